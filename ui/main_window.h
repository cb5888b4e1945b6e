// MainWindow: composes the panes and drives a job through a JobController.
//
//   [ without root: "only image files can be mirrored" note             ]
//   [ "An interrupted copy of ... can be resumed"   [Resume] [Discard]   ]
//   +-- Source ----------------------+-- Target ----------------------+
//   | table (DevicePane)             | table (DevicePane)             |
//   | "Live: writes are tracked…"    |                                |
//   +-- Settings ----+-- Targets (several only) -----------------------+
//   | form           | TargetTable: a row per target; picks the shown one|
//   |                +-- Dirty map ---------------------+-- legend ---+
//   |                | DirtyMapWidget                   |             |
//   |                +-- Throughput --------------------+-------------+
//   |                | ThroughputGraph                                |
//   +----------------+------------------------------------------------+
//   | StatusPanel (progress, numbers, banner)   [Start][Pause][Complete][Cancel]
//   |                                  live job: "Complete freezes /mnt/x…"
//   +-- Log (LogView) ------------------------------------------------+
//
// The window owns no engine object and never touches a disk: the model
// lists devices on workers, the controller runs the job. The buttons follow
// the job status through engine::isVerbAllowed, the one verb table shared
// with the engine and the CLI. Every question is asked with a window-modal
// dialog opened with open(), never a nested event loop.
//
// A target block device is remembered by its stable identity when the user
// picks it; Start checks that identity (and the engine checks it again when
// the job is prepared), so a disk swapped in under the same name is refused.
// What Start means is fixed when it is pressed (source, target, identity,
// settings): a selection that goes away while the target is checked or the
// confirmation is open ends that start, and the lists never move a selection
// to another row by themselves (DevicePane), so Start stays disabled until
// the user picks again.
//
// Several targets (rows picked together in the target list): each is
// checked by itself and gets its own confirmation, typed where it holds
// data; the job copies the source to all at once, a row per target shows
// how each fares, and the dirty map, graph and numbers follow the row
// selected. Commands act on all targets.
//
// An NBD export (Add NBD Export… under the target list) is a target like a
// file: checked through its server (on a thread of its own: a silent server
// holds nothing here), confirmed by its URI and server, its export name typed
// when it holds data, and handed to the job as its URI, to which the job is
// bound (JobSetup::expectedTargetId).
//
// Cancel after READY makes a final copy under a freeze, as Complete does, so
// the target is a consistent copy; for a live source it also offers a quick
// cancel, saying that its copy is like a disk after a power cut.
//
// A job that was interrupted (the window killed or crashed, a cable pulled)
// leaves its journal behind. At start the window looks for such jobs on a
// worker and offers the newest in a bar above the lists (ResumeOffer):
// Resume selects its source and target and starts as Start does, every
// check and confirmation included, with JobRequest::resume; Discard asks,
// then removes the journal.
#pragma once

#include "base/logging.h"
#include "bridge/export_probe.h"
#include "bridge/job_controller.h"
#include "confirm_start_dialog.h"
#include "resume_offer.h"

#include <QHash>
#include <QMainWindow>
#include <QMessageBox>
#include <QPointer>

#include <optional>
#include <vector>

class QAction;
class QLabel;
class QPushButton;
class QSplitter;

namespace ui {

class DesktopNotifier;
class DeviceListModel;
class DevicePane;
class DirtyMapWidget;
class JobSettingsWidget;
class LogView;
class StatusPanel;
class TargetTable;
class ThroughputGraph;

class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(DeviceListModel& devices, JobController& controller, engine::Logger log,
               QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Demo mode: jobs run with a writer that keeps changing the source.
    void setDemoMode(bool demo);
    bool demoMode() const { return m_demo; }
    /// Skip the confirmation when the target is a new file (demo --autostart).
    void setConfirmNewFiles(bool confirm) { m_confirmNewFiles = confirm; }

    DevicePane* sourcePane() const { return m_sourcePane; }
    DevicePane* targetPane() const { return m_targetPane; }
    JobSettingsWidget* settingsWidget() const { return m_settings; }
    DirtyMapWidget* dirtyMap() const { return m_map; }
    ThroughputGraph* graph() const { return m_graph; }
    StatusPanel* statusPanel() const { return m_status; }
    /// The rows of a job's targets (shown when it has several).
    TargetTable* targetTable() const { return m_targetTable; }
    LogView* logView() const { return m_log; }
    DesktopNotifier* notifier() const { return m_notifier; }
    QPushButton* startButton() const { return m_startButton; }
    QPushButton* pauseButton() const { return m_pauseButton; }
    QPushButton* completeButton() const { return m_completeButton; }
    QPushButton* cancelButton() const { return m_cancelButton; }
    /// Explains the freeze next to the buttons while a live job runs.
    QLabel* completeNote() const { return m_completeNote; }
    /// "Running without administrator rights…", shown when disks cannot be used.
    QLabel* privilegeNote() const { return m_privilegeNote; }
    /// The identity of the (first) chosen target block device (empty for files).
    QString chosenTargetId() const;
    /// The open confirmation or question, if any (tests, the demo driver).
    ConfirmStartDialog* confirmDialog() const { return m_confirm; }
    QMessageBox* questionBox() const { return m_question; }
    /// The offer of an interrupted copy (hidden when there is none).
    ResumeOffer* resumeOffer() const { return m_resumeOffer; }
    /// The interrupted jobs found, newest first; the first is offered.
    const std::vector<InterruptedJob>& interruptedJobs() const { return m_interrupted; }
    /// Where to look for interrupted jobs (default: interruptedJobDirs());
    /// looks again at once.
    void setInterruptedJobDirs(const QStringList& dirs);

public Q_SLOTS:
    /// Start: check the target, confirm, then start the job.
    void requestStart();
    void requestPauseResume();
    void requestComplete();
    /// Cancel: asks first, explaining what the target will be.
    void requestCancel();
    /// Resume the offered interrupted copy: select its ends, then start.
    void resumeInterrupted();
    /// Discard the offered interrupted copy: asks first.
    void discardInterrupted();

Q_SIGNALS:
    /// A job ended (after the window updated itself).
    void jobFinished(const ui::JobOutcome& outcome);
    /// The state directories were read (interruptedJobs()).
    void interruptedJobsFound(int count);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildActions();
    void buildLayout();
    QSplitter* buildMiddle();
    QWidget* buildControls();
    void buildPrivilegeNote();
    void connectController();
    void updateActions();
    void onSelectionChanged();
    void rememberTargetIdentity();
    void updateLiveNote();
    QStringList liveMountsOf(const QString& source) const;
    static QString freezeWhat(const QStringList& mounts);
    void onTargetInspected(const TargetInspection& inspection);
    /// Asks for target @p index's confirmation, then the next one's; the
    /// job starts after the last.
    void confirmTarget(std::size_t index);
    void startJob();
    /// Ends a start whose source or target went away before the job began.
    void abandonStart(const QString& why);
    void cancelJob(bool quick);
    void onReady();
    void onCompleteFailed(const QString& reason);
    void onFinished(const JobOutcome& outcome);
    /// The end of a job with several targets: what each of them holds now.
    void reportTargets(const JobOutcome& outcome);
    void reportCompleted(const JobOutcome& outcome);
    void reportCancelled(const JobOutcome& outcome);
    /// What the outcome says about the target past the source's end and
    /// about what verification covered (empty when there is nothing to say).
    QString coverageText(const JobOutcome& outcome) const;
    /// Asks whether to delete these image files, which the job created and
    /// left incomplete.
    void offerToDeleteIncompleteTargets(const std::vector<JobOutcome>& outcomes);
    bool questionOpen() const;
    void deleteIncompleteTarget(const JobOutcome& outcome);
    void reselectTargetWhenListed(const QString& path);
    void showError(const QString& title, const engine::Error& error);
    QString cancelMeaning() const;
    static QString seconds(double value);
    bool readyReached() const;
    TargetDescription describeTarget(const TargetInspection& inspection) const;
    void logExportAdded(const QString& uri, const std::optional<ExportFacts>& tested,
                        const char* as) const;
    /// Reads the state directories on a worker, then offers what it found.
    void findInterrupted();
    void updateResumeOffer();
    /// Why the offered job cannot be resumed now (an end not present), or empty.
    QString missingEnds(const InterruptedJob& job) const;
    /// Selects the ends of the job being resumed as they become listed,
    /// then starts it.
    void continueResume();
    void abandonResume(const QString& why);

    DeviceListModel& m_devices;
    JobController& m_controller;
    engine::Logger m_logger;

    DevicePane* m_sourcePane = nullptr;
    DevicePane* m_targetPane = nullptr;
    JobSettingsWidget* m_settings = nullptr;
    DirtyMapWidget* m_map = nullptr;
    ThroughputGraph* m_graph = nullptr;
    StatusPanel* m_status = nullptr;
    TargetTable* m_targetTable = nullptr;
    QWidget* m_targetBox = nullptr;
    LogView* m_log = nullptr;
    QSplitter* m_splitter = nullptr;
    DesktopNotifier* m_notifier = nullptr;

    QAction* m_startAction = nullptr;
    QAction* m_pauseAction = nullptr;
    QAction* m_completeAction = nullptr;
    QAction* m_cancelAction = nullptr;
    QPushButton* m_startButton = nullptr;
    QPushButton* m_pauseButton = nullptr;
    QPushButton* m_completeButton = nullptr;
    QPushButton* m_cancelButton = nullptr;
    QLabel* m_completeNote = nullptr;
    QLabel* m_privilegeNote = nullptr;
    ResumeOffer* m_resumeOffer = nullptr;

    QPointer<ConfirmStartDialog> m_confirm;
    QPointer<QMessageBox> m_question;

    /// The chosen target paths and the identity each block device had when
    /// it was picked (empty for files).
    QHash<QString, QString> m_targetIds;
    // Fixed when Start is pressed, for the inspections, confirmations and start.
    QString m_startSource;
    QStringList m_startTargets;
    QStringList m_startTargetIds;
    /// Each target's inspection, in m_startTargets' order, as they come in.
    std::vector<std::optional<TargetInspection>> m_inspections;
    /// What each confirmation described, for the job to check once more
    /// when it opens the target: the chosen disk's identity, or the image
    /// file's (device, inode and size; "absent" for a file the job creates).
    QStringList m_startBoundIds;
    /// The user typed the target's name to overwrite what it holds.
    QList<bool> m_startOverwrite;
    QStringList m_startLiveMounts;
    engine::JobOptions m_startSettings;
    QStringList m_jobLiveMounts;      ///< the running job's source file systems (live)
    engine::JobOptions m_jobSettings; ///< what the running job was started with
    /// Something else writes to the running job's source (a tracked block
    /// device, or the demo's writer): a quick cancel leaves a power-cut copy.
    bool m_jobLiveSource = false;

    QString m_pendingSource; ///< select when added (an image added to the source list)
    QString m_pendingTarget; ///< select when added (a new image file chosen as target)
    bool m_demo = false;
    bool m_confirmNewFiles = true;
    bool m_inspecting = false; ///< Start pressed, waiting for the target check
    bool m_cancelRequested = false;
    bool m_cancelQuick = false; ///< the requested cancel skips the final copy
    bool m_closeRequested = false;
    bool m_closing = false; ///< the job ended after a close request

    QStringList m_stateDirs;
    std::vector<InterruptedJob> m_interrupted;
    quint64 m_findGeneration = 0; ///< answers of an older look are dropped
    /// Resume pressed: its ends are being listed and selected.
    std::optional<InterruptedJob> m_resumePending;
    /// Handed to the next requestStart(), which fixes it in m_startResume.
    std::optional<InterruptedJob> m_resumeNext;
    /// The start in progress (or the running job) resumes this job.
    std::optional<InterruptedJob> m_startResume;
};

} // namespace ui
