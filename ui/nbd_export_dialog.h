// NbdExportDialog: the URI of an NBD export to list as a target.
//
//   URI: [nbd://server:10809/disk                          ]
//        nbd://HOST[:PORT]/EXPORT (on another machine)
//        nbd+unix:///EXPORT?socket=PATH (on this machine)
//        nbds://USER@HOST/EXPORT?tls-psk-file=FILE (with TLS)
//   [Test Connection] (busy bar) 64.0 MiB, writable
//                                                [Add] [Cancel]
//
// Add is offered only for a text that is meant as an NBD URI
// (engine::isNbdUri); whether the export can be reached, may be written and
// is large enough is for the list to say, as for any target. Test Connection
// asks the server off the UI thread (ExportProbe) and shows the answer: the
// export's size and whether it may be written, or the connection's one-line
// error (without the URI it starts with, which is right above; the whole
// line is the result's tooltip). An edit of the URI, a new test or closing the dialog abandons a
// test under way; its answer is dropped.
#pragma once

#include "bridge/export_probe.h"

#include <QDialog>

#include <chrono>
#include <optional>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace ui {

class NbdExportDialog : public QDialog
{
    Q_OBJECT

public:
    /// @p forSource: the export is to be read, so a read-only one is fine.
    explicit NbdExportDialog(QWidget* parent = nullptr, bool forSource = false);

    /// The URI as typed, without surrounding blanks.
    QString uri() const;
    /// What the last test found for uri(), when it connected.
    std::optional<ExportFacts> testedFacts() const;
    /// A test is under way.
    bool testing() const;
    /// How long a test waits for the server (default 20 s).
    void setDeadline(std::chrono::milliseconds deadline) { m_deadline = deadline; }

    QLineEdit* uriEdit() const { return m_uri; }
    QPushButton* testButton() const { return m_test; }
    QPushButton* addButton() const { return m_add; }
    /// The test's answer (empty until there is one).
    QLabel* resultLabel() const { return m_result; }
    QProgressBar* busyIndicator() const { return m_busy; }

public Q_SLOTS:
    /// Asks the server of uri(), off the UI thread.
    void testConnection();

Q_SIGNALS:
    /// A test's answer is shown.
    void tested();

private:
    void onUriEdited();
    void onAnswer(const ExportProbeResult& result);
    void showResult(const QString& text, bool good);
    void setTesting(bool testing);

    bool m_forSource = false;
    ExportProbe* m_probe;
    QLineEdit* m_uri;
    QPushButton* m_test;
    QPushButton* m_add;
    QProgressBar* m_busy;
    QLabel* m_result;
    std::optional<ExportFacts> m_facts; ///< the last test's answer, for m_facts->uri
    std::chrono::milliseconds m_deadline = std::chrono::seconds(20);
};

} // namespace ui
