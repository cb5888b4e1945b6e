// The imaging station's window (`drivemirror --station CONFIG`): what a
// station's operator watches all day. A header with the station, its
// source and checksum and whether it is armed; one tile per slot, laid out
// in the config's order as the ports are; the audit records of this run
// and their export. The station itself runs in StationController's
// process; the window only shows its model and passes on Arm and Disarm.
#pragma once

#include "base/logging.h"
#include "bridge/station_controller.h"

#include <QFrame>
#include <QMainWindow>

#include <vector>

class QGridLayout;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace ui {

class StationAuditModel;

/// One slot: its label, its state in words, an icon and a colour, the
/// drive in it, the progress of its copy, and its last result.
class StationSlotTile final : public QFrame
{
    Q_OBJECT

public:
    explicit StationSlotTile(QWidget* parent = nullptr);

    void setSlot(const StationSlot& slot);

    StationSlot::State state() const { return m_state; }
    /// The state as the tile says it ("Copying", "Passed").
    QString stateText() const;
    /// The drive's line (vendor, model, serial, size, device).
    QString driveText() const;
    QString resultText() const;
    const QProgressBar* progressBar() const { return m_progress; }

    /// The state in the operator's words.
    static QString stateName(StationSlot::State state);

private:
    StationSlot::State m_state = StationSlot::State::Empty;
    QLabel* m_label = nullptr;
    QLabel* m_icon = nullptr;
    QLabel* m_stateText = nullptr;
    QLabel* m_drive = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_rate = nullptr;
    QLabel* m_result = nullptr;
};

class StationWindow final : public QMainWindow
{
    Q_OBJECT

public:
    StationWindow(StationController& controller, engine::Logger log, QWidget* parent = nullptr);

    const std::vector<StationSlotTile*>& tiles() const { return m_tiles; }
    QPushButton* armButton() const { return m_armButton; }
    QPushButton* disarmButton() const { return m_disarmButton; }
    QPushButton* exportButton() const { return m_exportButton; }
    QTableView* auditView() const { return m_auditView; }
    /// The armed state in words, as the header says it.
    QString stateText() const;
    /// The columns the slot grid uses for @p slots tiles: all in one row up
    /// to 4, else rows of at most 4 as even as they come (5: 3+2).
    static int gridColumns(int slots);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    QWidget* buildHeader();
    QWidget* buildAudit();
    void rebuildTiles();
    void updateTile(int index);
    void updateHeader();
    void updateActions();
    void askBeforeClosing();
    void startExport();
    void showError(const QString& message);

    StationController& m_controller;
    engine::Logger m_log;
    StationAuditModel* m_auditModel = nullptr;

    QLabel* m_title = nullptr;
    QLabel* m_stateIcon = nullptr;
    QLabel* m_state = nullptr;
    QWidget* m_stateBox = nullptr;
    QLabel* m_config = nullptr;
    QLabel* m_source = nullptr;
    QLabel* m_sha256 = nullptr;
    QProgressBar* m_hashProgress = nullptr;
    QLabel* m_logPath = nullptr;
    QLabel* m_error = nullptr;
    QPushButton* m_armButton = nullptr;
    QPushButton* m_disarmButton = nullptr;
    QPushButton* m_exportButton = nullptr;
    QLabel* m_recordCount = nullptr;
    QTableView* m_auditView = nullptr;
    QWidget* m_grid = nullptr;
    QWidget* m_gridScroll = nullptr;
    QGridLayout* m_gridLayout = nullptr;
    std::vector<StationSlotTile*> m_tiles;
    bool m_closeWhenStopped = false;
    bool m_asking = false;
};

} // namespace ui
