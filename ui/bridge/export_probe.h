// ExportProbe: one look at an NBD export (engine::Disk::openNbd) off the UI
// thread: its size, whether its server lets it be written and, on request,
// what its first and last megabyte hold (engine::dataOnDevice).
//
// libnbd's connect blocks, and without a deadline: a server that accepts the
// connection and then never answers holds it until the server closes it. So
// each look runs on a thread of its own, never on the shared thread pool
// (whose threads the application waits for when it ends), and the UI thread
// never waits for it:
//
//   UI thread                                probe thread (detached)
//   start(uri) ------------------------------> Disk::openNbd (read-only),
//     deadline timer                           size, read-only, [edges],
//                                              the connection closed
//   finished(result) <--- queued, unless abandoned --'
//   deadline passed: finished(ETIMEDOUT), the attempt abandoned
//   abandon(), ~ExportProbe: nothing more is announced
//
// An abandoned attempt's thread ends when libnbd gives up (at once for a
// refused connection; for a silent server when it closes the connection),
// closing what it opened; its answer is dropped. threadsRunning() counts
// the threads still at work, abandoned ones included.
#pragma once

#include "base/logging.h"
#include "base/result.h"
#include "bridge/job_controller.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

class QTimer;

namespace ui {

/// What an export's server says about it.
struct ExportFacts
{
    QString uri;
    std::uint64_t size = 0; ///< bytes
    bool readOnly = false;
    bool canZero = false;
    bool canFlush = false;
};

struct ExportProbeResult
{
    ExportFacts facts;                  ///< valid when !error
    std::optional<engine::Error> error; ///< no connection, or no answer in time (ETIMEDOUT)
    /// With Options::readEdges: engine::dataOnDevice's words for what the
    /// export's first and last megabyte hold; empty when nothing was found.
    std::string dataOnExport;
    /// With Options::sourceForSize: that source's size (engine::storageSize).
    std::optional<std::uint64_t> sourceSize;
};

class ExportProbe : public QObject
{
    Q_OBJECT

public:
    struct Options
    {
        /// Also read what the export's edges hold (2 MiB over the network).
        bool readEdges = false;
        /// Also look up this source's size (stat, sysfs), on the same thread.
        QString sourceForSize;
        /// The answer that has not come by then is given up for ETIMEDOUT.
        std::chrono::milliseconds deadline = std::chrono::seconds(30);
    };

    explicit ExportProbe(engine::Logger log = {}, QObject* parent = nullptr);
    /// Abandons an attempt still under way.
    ~ExportProbe() override;

    /// Starts a look at @p uri, abandoning one under way; answered once by
    /// finished() on this object's thread.
    void start(const QString& uri, const Options& options);
    void start(const QString& uri) { start(uri, Options{}); }
    /// Drops the attempt under way (its thread ends by itself); no
    /// finished() for it.
    void abandon();
    /// An attempt is under way and not abandoned.
    bool isRunning() const { return m_shared != nullptr; }
    QString uri() const { return m_uri; }

    /// Probe threads still at work in this process, abandoned ones included.
    static int threadsRunning();

Q_SIGNALS:
    void finished(const ui::ExportProbeResult& result);

private:
    struct Shared;
    void onAnswer(const std::shared_ptr<Shared>& from, ExportProbeResult result);
    void onDeadline();

    engine::Logger m_log;
    QTimer* m_deadline;
    QString m_uri;
    std::chrono::milliseconds m_deadlineLength{0};
    std::shared_ptr<Shared> m_shared; ///< the attempt under way; null when none
};

/// The refusals an export's own answers give, in the job setup's words and
/// rules (prepareJob applies them again when it opens the export): a
/// read-only export (rule: read-only target), one smaller than the source
/// (rule: target too small; not applied while the source's size is
/// unknown). nullopt when neither applies.
std::optional<engine::Error> exportRefusal(const ExportFacts& facts,
                                           std::optional<std::uint64_t> sourceSize);

/// JobController::inspectTarget for an export (engine::isNbdUri): connects
/// off the UI thread (ExportProbe), reads what its edges hold and applies
/// exportRefusal; the facts' identity is the URI (what JobSetup::
/// expectedTargetId takes for an export). Calls @p done on @p parent's thread,
/// unless @p parent is destroyed first.
void inspectExport(QObject* parent, const QString& source, const QString& uri,
                   const QString& expectedTargetId, const engine::Logger& log,
                   std::function<void(const TargetInspection&)> done);

/// The export's name in @p uri ("disk" in nbd+unix:///disk?socket=...),
/// empty for the server's default export.
QString exportName(const QString& uri);

} // namespace ui

Q_DECLARE_METATYPE(ui::ExportProbeResult)
