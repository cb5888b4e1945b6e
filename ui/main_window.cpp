#include "main_window.h"

#include "base/units.h"
#include "bridge/error_text.h"
#include "bridge/export_probe.h"
#include "confirm_start_dialog.h"
#include "device_list_model.h"
#include "device_pane.h"
#include "dirty_map_legend.h"
#include "dirty_map_widget.h"
#include "format.h"
#include "io/disk.h"
#include "io/nbd_connection.h"
#include "job/job_options.h"
#include "job_settings_widget.h"
#include "log_view.h"
#include "notifier.h"
#include "resources.h"
#include "status_panel.h"
#include "target_table.h"
#include "throughput_graph.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace ui {

namespace {

// A push button that mirrors an action (text, icon, tooltip, enabled).
QPushButton* buttonFor(QAction* action, QWidget* parent)
{
    auto* button = new QPushButton(action->icon(), action->text(), parent);
    button->setToolTip(action->toolTip());
    button->setEnabled(action->isEnabled());
    QObject::connect(button, &QPushButton::clicked, action, &QAction::trigger);
    QObject::connect(action, &QAction::changed, button, [button, action] {
        button->setText(action->text());
        button->setIcon(action->icon());
        button->setToolTip(action->toolTip());
        button->setEnabled(action->isEnabled());
    });
    return button;
}

// Deletes the image file a job created and left incomplete, if the file
// under that path still is that one. Runs on a worker: unlink may wait.
engine::Result<void> removeCreatedFile(const QString& path, std::uint64_t device,
                                       std::uint64_t inode)
{
    engine::DiskIdentity created;
    created.dev = static_cast<dev_t>(device);
    created.ino = static_cast<ino_t>(inode);
    return engine::removeFileIfStill(AT_FDCWD, QFile::encodeName(path).toStdString(), created);
}

QGroupBox* group(const QString& title, QWidget* content, QWidget* parent)
{
    auto* box = new QGroupBox(title, parent);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(content);
    return box;
}

} // namespace

MainWindow::MainWindow(DeviceListModel& devices, JobController& controller, engine::Logger log,
                       QWidget* parent)
    : QMainWindow(parent), m_devices(devices), m_controller(controller),
      m_logger(engine::orNull(std::move(log)))
{
    initResources();
    setWindowTitle(tr("DriveMirror"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/drivemirror.svg")));
    setObjectName(QStringLiteral("MainWindow"));

    m_sourcePane = new DevicePane(DeviceFilterModel::Purpose::Source, &devices, this);
    m_targetPane = new DevicePane(DeviceFilterModel::Purpose::Target, &devices, this);
    m_settings = new JobSettingsWidget(this);
    m_settings->load();
    m_map = new DirtyMapWidget(this);
    m_graph = new ThroughputGraph(this);
    m_status = new StatusPanel(this);
    m_targetTable = new TargetTable(this);
    m_log = new LogView(this);
    m_notifier = new DesktopNotifier(this);
    m_resumeOffer = new ResumeOffer(this);
    m_stateDirs = interruptedJobDirs();

    buildActions();
    buildLayout();
    connectController();

    connect(m_sourcePane, &DevicePane::currentPathChanged, this, &MainWindow::onSelectionChanged);
    connect(m_targetPane, &DevicePane::currentPathChanged, this, [this] {
        rememberTargetIdentity();
        onSelectionChanged();
    });
    // Mount state follows the machine: the live note follows the model.
    connect(&m_devices, &QAbstractItemModel::dataChanged, this, &MainWindow::updateLiveNote);
    connect(&m_devices, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateLiveNote);
    connect(&m_devices, &DeviceListModel::canOpenDevicesChanged, this,
            [this](bool can) { m_privilegeNote->setVisible(!can); });
    for (DevicePane* pane : {m_sourcePane, m_targetPane}) {
        connect(pane, &DevicePane::imagesChosen, this, [this, pane](const QStringList& paths) {
            // An image added in the source list becomes the source; one added
            // in the target list is offered, never preselected.
            if (pane == m_sourcePane && !paths.isEmpty())
                m_pendingSource = QFileInfo(paths.front()).absoluteFilePath();
            m_devices.addImages(paths, false);
        });
        connect(pane, &DevicePane::refreshRequested, &m_devices, &DeviceListModel::refresh);
    }
    connect(m_targetPane, &DevicePane::newImageChosen, this, [this](const QString& path) {
        // The user asked for this very file as the target: select it.
        m_pendingTarget = QFileInfo(path).absoluteFilePath();
        m_devices.addImages({path}, true);
    });
    connect(m_targetPane, &DevicePane::exportChosen, this,
            [this](const QString& uri, const std::optional<ExportFacts>& tested) {
                // Listed, never preselected: it may hold data.
                logExportAdded(uri, tested, "a target");
                m_devices.addExport(uri, tested);
            });
    connect(m_sourcePane, &DevicePane::exportChosen, this,
            [this](const QString& uri, const std::optional<ExportFacts>& tested) {
                // Reading it harms nothing: picked as the source at once
                // when its server has answered (else once the user picks it).
                logExportAdded(uri, tested, "a source");
                m_devices.addExport(uri, tested);
                m_sourcePane->selectPath(uri);
            });
    connect(&m_devices, &DeviceListModel::imagesAdded, this, [this](const QStringList& paths) {
        for (const QString& p : paths) {
            if (p == m_pendingSource && m_sourcePane->selectPath(p))
                m_pendingSource.clear();
            if (p == m_pendingTarget && m_targetPane->selectPath(p))
                m_pendingTarget.clear();
        }
    });
    connect(&m_devices, &DeviceListModel::probeFailed, this,
            [this](const QString& path, const engine::Error& error) {
                m_logger->warn("cannot add {}: {}", path.toStdString(), error.message);
                showError(tr("Cannot Add %1").arg(QFileInfo(path).fileName()), error);
            });
    connect(&m_devices, &DeviceListModel::idle, this, &MainWindow::updateActions);
    connect(&m_devices, &DeviceListModel::idle, this, &MainWindow::continueResume);
    // Whether an interrupted job's disks are there follows the machine.
    connect(&m_devices, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateResumeOffer);
    connect(&m_devices, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateResumeOffer);
    connect(m_resumeOffer, &ResumeOffer::resumeRequested, this, &MainWindow::resumeInterrupted);
    connect(m_resumeOffer, &ResumeOffer::discardRequested, this, &MainWindow::discardInterrupted);
    connect(m_targetTable, &TargetTable::targetChosen, this, [this](int index) {
        if (index == m_controller.shownTarget())
            return;
        // The graph and the numbers follow one target: start them afresh.
        m_graph->clear();
        m_status->reset();
        m_status->setStatus(m_controller.status());
        m_controller.showTarget(index);
    });
    connect(m_settings, &JobSettingsWidget::speedChanged, this, [this](std::uint64_t speed) {
        if (m_controller.isActive())
            m_controller.setSpeed(speed);
    });

    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray())) {
        const QRect screen = QApplication::primaryScreen()
                                 ? QApplication::primaryScreen()->availableGeometry()
                                 : QRect(0, 0, 1600, 1000);
        resize(std::min(1500, screen.width() - 40), std::min(980, screen.height() - 40));
    }
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());
    updateActions();
    // Queued: whoever made the window may still point it elsewhere
    // (setInterruptedJobDirs) before the first look.
    QMetaObject::invokeMethod(this, &MainWindow::findInterrupted, Qt::QueuedConnection);
}

MainWindow::~MainWindow() = default;

void MainWindow::buildActions()
{
    m_startAction = new QAction(QIcon(QStringLiteral(":/icons/start.svg")), tr("&Start"), this);
    m_startAction->setToolTip(tr("Start mirroring the source to the target"));
    m_pauseAction = new QAction(QIcon(QStringLiteral(":/icons/pause.svg")), tr("&Pause"), this);
    m_pauseAction->setToolTip(tr("Pause copying; writes to the source are still tracked"));
    m_completeAction =
        new QAction(QIcon(QStringLiteral(":/icons/complete.svg")), tr("C&omplete"), this);
    m_completeAction->setToolTip(tr("Finish with a target identical to the source (only when "
                                    "in sync)"));
    m_cancelAction = new QAction(QIcon(QStringLiteral(":/icons/cancel.svg")), tr("&Cancel"), this);
    m_cancelAction->setToolTip(tr("Stop the mirror"));
    connect(m_startAction, &QAction::triggered, this, &MainWindow::requestStart);
    connect(m_pauseAction, &QAction::triggered, this, &MainWindow::requestPauseResume);
    connect(m_completeAction, &QAction::triggered, this, &MainWindow::requestComplete);
    connect(m_cancelAction, &QAction::triggered, this, &MainWindow::requestCancel);

    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* refresh = file->addAction(tr("&Refresh Disks"), &m_devices, &DeviceListModel::refresh);
    refresh->setShortcut(QKeySequence::Refresh);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    QMenu* job = menuBar()->addMenu(tr("&Mirror"));
    job->addAction(m_startAction);
    job->addAction(m_pauseAction);
    job->addAction(m_completeAction);
    job->addAction(m_cancelAction);
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About DriveMirror"), this, [this] {
        auto* box = new QMessageBox(this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setWindowTitle(tr("About DriveMirror"));
        box->setIconPixmap(windowIcon().pixmap(64, 64));
        box->setText(tr("<b>DriveMirror %1</b>").arg(QApplication::applicationVersion()));
        box->setInformativeText(
            tr("Clones disks and image files and keeps the copy in sync while the source is in "
               "use, until you complete (an identical copy) or cancel (a consistent copy)."));
        box->open();
    });
}

void MainWindow::buildLayout()
{
    m_startButton = buttonFor(m_startAction, this);
    m_pauseButton = buttonFor(m_pauseAction, this);
    m_completeButton = buttonFor(m_completeAction, this);
    m_cancelButton = buttonFor(m_cancelAction, this);
    m_startButton->setObjectName(QStringLiteral("startButton"));
    m_pauseButton->setObjectName(QStringLiteral("pauseButton"));
    m_completeButton->setObjectName(QStringLiteral("completeButton"));
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));

    // Top: the two lists side by side.
    auto* lists = new QSplitter(Qt::Horizontal, this);
    lists->addWidget(m_sourcePane);
    lists->addWidget(m_targetPane);
    lists->setChildrenCollapsible(false);

    QSplitter* middle = buildMiddle();
    QWidget* controls = buildControls();

    auto* upper = new QWidget(this);
    auto* upperLayout = new QVBoxLayout(upper);
    upperLayout->setContentsMargins(0, 0, 0, 0);
    upperLayout->addWidget(middle, 1);
    upperLayout->addWidget(controls);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->addWidget(lists);
    m_splitter->addWidget(upper);
    m_splitter->addWidget(group(tr("Log"), m_log, this));
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 5);
    m_splitter->setStretchFactor(2, 1);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setSizes({190, 580, 170});

    buildPrivilegeNote();

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(8, 8, 8, 8);
    layout->addWidget(m_privilegeNote);
    layout->addWidget(m_resumeOffer);
    layout->addWidget(m_splitter);
    setCentralWidget(central);
}

// Middle: settings | dirty map with legend, above the graph.
QSplitter* MainWindow::buildMiddle()
{
    auto* settingsBox = group(tr("Settings"), m_settings, this);
    settingsBox->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    auto* mapArea = new QWidget(this);
    auto* mapLayout = new QHBoxLayout(mapArea);
    mapLayout->setContentsMargins(0, 0, 0, 0);
    mapLayout->addWidget(m_map, 1);
    auto* legend = new DirtyMapLegend(m_map, mapArea);
    legend->setFixedWidth(fontMetrics().averageCharWidth() * 26);
    mapLayout->addWidget(legend);
    auto* monitor = new QSplitter(Qt::Vertical, this);
    m_targetBox = group(tr("Targets"), m_targetTable, this);
    m_targetBox->hide();
    monitor->addWidget(m_targetBox);
    monitor->addWidget(group(tr("Dirty Map"), mapArea, this));
    monitor->addWidget(group(tr("Throughput"), m_graph, this));
    monitor->setStretchFactor(0, 2);
    monitor->setStretchFactor(1, 3);
    monitor->setStretchFactor(2, 2);
    monitor->setChildrenCollapsible(false);
    auto* middle = new QSplitter(Qt::Horizontal, this);
    middle->addWidget(settingsBox);
    middle->addWidget(monitor);
    middle->setStretchFactor(0, 0);
    middle->setStretchFactor(1, 1);
    middle->setChildrenCollapsible(false);
    return middle;
}

// Controls: status on the left, buttons on the right.
QWidget* MainWindow::buildControls()
{
    auto* controls = new QWidget(this);
    auto* controlLayout = new QHBoxLayout(controls);
    controlLayout->setContentsMargins(0, 0, 0, 0);
    controlLayout->addWidget(m_status, 1);
    auto* buttons = new QVBoxLayout;
    auto* buttonRow = new QHBoxLayout;
    buttonRow->addWidget(m_startButton);
    buttonRow->addWidget(m_pauseButton);
    buttonRow->addWidget(m_completeButton);
    buttonRow->addWidget(m_cancelButton);
    buttons->addLayout(buttonRow);
    m_completeNote = new QLabel(this);
    m_completeNote->setObjectName(QStringLiteral("completeNote"));
    m_completeNote->setWordWrap(true);
    m_completeNote->setMaximumWidth(buttonRow->sizeHint().width());
    m_completeNote->setAlignment(Qt::AlignRight | Qt::AlignTop);
    m_completeNote->hide();
    buttons->addWidget(m_completeNote);
    buttons->addStretch(1);
    controlLayout->addSpacing(12);
    controlLayout->addLayout(buttons);
    return controls;
}

// Without root the disks are greyed out: say so once, above the lists.
void MainWindow::buildPrivilegeNote()
{
    m_privilegeNote = new QLabel(this);
    m_privilegeNote->setObjectName(QStringLiteral("privilegeNote"));
    m_privilegeNote->setWordWrap(true);
    m_privilegeNote->setText(tr("Running without administrator rights, and pkexec was not found: "
                                "only image files can be mirrored; disks are listed greyed out. "
                                "Install pkexec, or start DriveMirror as root, to use them."));
    m_privilegeNote->setAutoFillBackground(true);
    QPalette notePalette = m_privilegeNote->palette();
    notePalette.setColor(QPalette::Window, QColor(0xfd, 0xef, 0xd0));
    notePalette.setColor(QPalette::WindowText, QColor(0x20, 0x20, 0x20));
    m_privilegeNote->setPalette(notePalette);
    m_privilegeNote->setMargin(6);
    m_privilegeNote->setVisible(!m_devices.canOpenDevices());
}

void MainWindow::connectController()
{
    JobController* c = &m_controller;
    connect(c, &JobController::targetInspected, this, &MainWindow::onTargetInspected);
    connect(c, &JobController::statusChanged, this, [this](engine::JobStatus s) {
        m_status->setStatus(s);
        updateActions();
    });
    connect(c, &JobController::started, this, [this] {
        m_status->setActivity({});
        updateActions();
    });
    connect(c, &JobController::progressChanged, this, [this](const SnapshotPtr& snap) {
        if (!snap)
            return;
        m_status->setSnapshot(*snap);
        m_graph->addSample(*snap);
    });
    connect(c, &JobController::dirtyMapChanged, m_map, &DirtyMapWidget::setMap);
    connect(c, &JobController::targetChanged, this, [this](int index) {
        const auto& targets = m_controller.targets();
        if (index >= 0 && static_cast<std::size_t>(index) < targets.size())
            m_targetTable->updateTarget(index, targets[static_cast<std::size_t>(index)]);
    });
    connect(c, &JobController::ready, this, &MainWindow::onReady);
    connect(c, &JobController::completeFailed, this, &MainWindow::onCompleteFailed);
    connect(c, &JobController::finished, this, &MainWindow::onFinished);
    connect(c, &JobController::startFailed, this, [this](const engine::Error& error) {
        m_status->setActivity({});
        m_status->reset();
        m_closeRequested = false;
        updateActions();
        showError(m_startResume ? tr("Cannot Resume the Mirror") : tr("Cannot Start the Mirror"),
                  error);
        findInterrupted();
    });
    connect(c, &JobController::commandFailed, this,
            [this](engine::JobVerb verb, const engine::Error& error) {
                // Usually a race with a status change (the job became READY
                // just as Pause was pressed): worth a log line, not a dialog.
                m_logger->warn("{} refused: {}", engine::toString(verb), error.message);
                updateActions();
            });
}

bool MainWindow::readyReached() const
{
    // Several targets: every one still copying has been in sync.
    if (const auto& targets = m_controller.targets(); targets.size() > 1) {
        bool any = false;
        for (const TargetState& t : targets) {
            if (t.outcome)
                continue;
            if (!t.snapshot || !t.snapshot->readyReached)
                return false;
            any = true;
        }
        return any;
    }
    const SnapshotPtr snap = m_controller.snapshot();
    const engine::JobStatus s = m_controller.status();
    return (snap && snap->readyReached) || s == engine::JobStatus::Ready ||
           s == engine::JobStatus::Standby;
}

void MainWindow::updateActions()
{
    using engine::isVerbAllowed;
    using engine::JobVerb;
    const bool active = m_controller.isActive();
    const engine::JobStatus s = m_controller.status();
    const bool completing = m_controller.completionRequested();
    const bool selection =
        !m_sourcePane->currentPath().isEmpty() && !m_targetPane->currentPaths().isEmpty();

    m_startAction->setEnabled(!active && !m_inspecting && selection && !m_closeRequested);
    const bool canResume = active && isVerbAllowed(JobVerb::Resume, s);
    const bool canPause = active && isVerbAllowed(JobVerb::Pause, s);
    m_pauseAction->setText(canResume ? tr("&Resume") : tr("&Pause"));
    m_pauseAction->setIcon(QIcon(canResume ? QStringLiteral(":/icons/start.svg")
                                           : QStringLiteral(":/icons/pause.svg")));
    m_pauseAction->setToolTip(canResume ? tr("Continue copying")
                                        : tr("Pause copying; writes to the source are still "
                                             "tracked"));
    m_pauseAction->setEnabled((canPause || canResume) && !completing && !m_cancelRequested);
    m_completeAction->setEnabled(active && isVerbAllowed(JobVerb::Complete, s) && !completing &&
                                 !m_cancelRequested);
    m_cancelAction->setEnabled(active && isVerbAllowed(JobVerb::Cancel, s) && !m_cancelRequested);

    m_sourcePane->setLocked(active || m_inspecting);
    m_targetPane->setLocked(active || m_inspecting);
    m_settings->setJobRunning(active || m_inspecting);

    // A live job: the freeze is explained before Complete is pressed.
    const bool live = active && !m_jobLiveMounts.isEmpty();
    m_completeNote->setVisible(live);
    if (live) {
        const QString what = freezeWhat(m_jobLiveMounts);
        m_completeNote->setText(
            tr("Complete freezes %1 for a moment: writes to it wait until the final copy is "
               "done, then continue.")
                .arg(what));
        // The splitter above gives this row its size hint, which a wrapped
        // label computes for a wider line than it gets: ask for every line.
        m_completeNote->setMinimumHeight(
            m_completeNote->heightForWidth(m_completeNote->maximumWidth()));
        m_completeAction->setToolTip(tr("Finish with a target identical to the source (only when "
                                        "in sync). Freezes %1 for a moment for the final copy.")
                                         .arg(what));
    } else {
        m_completeAction->setToolTip(tr("Finish with a target identical to the source (only when "
                                        "in sync)"));
    }
    updateResumeOffer();
}

void MainWindow::onSelectionChanged()
{
    // A start in progress is about what was selected when Start was pressed.
    if ((m_inspecting || m_confirm) && !m_controller.isActive()) {
        if (m_targetPane->currentPaths() != m_startTargets)
            abandonStart(
                m_startTargets.size() == 1
                    ? tr("The target %1 is gone or has changed.").arg(m_startTargets.front())
                    : tr("The choice of targets has changed."));
        else if (m_sourcePane->currentPath() != m_startSource)
            abandonStart(tr("The source %1 is gone or has changed.").arg(m_startSource));
    }
    m_devices.setSource(m_sourcePane->currentPath());
    updateLiveNote();
    updateActions();
}

void MainWindow::rememberTargetIdentity()
{
    // The disk the user chose is the one under this path now: a disk that
    // takes its place later (renamed, swapped, re-attached) is refused.
    QHash<QString, QString> ids;
    for (const QString& path : m_targetPane->currentPaths()) {
        if (const auto kept = m_targetIds.constFind(path); kept != m_targetIds.constEnd()) {
            ids.insert(path, *kept);
            continue;
        }
        const DeviceEntry* e = m_devices.entry(path);
        const QString id = e && e->blockDevice ? e->stableId : QString();
        ids.insert(path, id);
        if (!id.isEmpty())
            m_logger->debug("target {} chosen: {}", path.toStdString(), id.toStdString());
    }
    m_targetIds = std::move(ids);
}

QString MainWindow::chosenTargetId() const
{
    return m_targetIds.value(m_targetPane->currentPath());
}

QStringList MainWindow::liveMountsOf(const QString& source) const
{
    const DeviceEntry* e = m_devices.entry(source);
    return e && e->live() ? e->allMountPoints() : QStringList();
}

QString MainWindow::freezeWhat(const QStringList& mounts)
{
    if (mounts.size() == 1)
        return mounts.front();
    if (mounts.size() == 2)
        return tr("%1 and %2").arg(mounts.front(), mounts.back());
    return tr("%1 and %2 more").arg(mounts.front()).arg(mounts.size() - 1);
}

void MainWindow::updateLiveNote()
{
    // While a job runs, the note describes its source as it started.
    const QStringList mounts =
        m_controller.isActive() ? m_jobLiveMounts : liveMountsOf(m_sourcePane->currentPath());
    m_sourcePane->setNote(
        mounts.isEmpty() ? QString()
                         : tr("<b>Live:</b> writes are tracked; Complete freezes %1 for a moment.")
                               .arg(freezeWhat(mounts).toHtmlEscaped()));
}

void MainWindow::requestStart()
{
    const QString source = m_sourcePane->currentPath();
    const QStringList targets = m_targetPane->currentPaths();
    if (source.isEmpty() || targets.isEmpty() || m_controller.isActive() || m_inspecting)
        return;
    if (targets.size() > static_cast<qsizetype>(engine::kMaxTargets)) {
        showError(tr("Too Many Targets"),
                  engine::Error{EINVAL, tr("A mirror copies to at most %1 targets at once; %2 are "
                                           "selected.")
                                            .arg(engine::kMaxTargets)
                                            .arg(targets.size())
                                            .toStdString()});
        return;
    }
    // What Start means is fixed now: a device that vanishes from the list
    // while the user confirms still gets checked, and refused, by identity.
    m_startSource = source;
    m_startTargets = targets;
    m_startTargetIds.clear();
    for (const QString& t : targets)
        m_startTargetIds << m_targetIds.value(t);
    m_inspections.assign(static_cast<std::size_t>(targets.size()), std::nullopt);
    m_startBoundIds = QStringList(targets.size(), QString());
    m_startOverwrite = QList<bool>(targets.size(), false);
    m_startLiveMounts = liveMountsOf(source);
    m_startSettings = m_settings->settings();
    m_startResume = std::exchange(m_resumeNext, std::nullopt);
    if (m_startResume) {
        // The interrupted job's checkpoint applies only to a job with the
        // same mode, granularity and treatment of the target's rest.
        const InterruptedJob& job = *m_startResume;
        if (const auto sync = engine::parseSyncMode(job.sync.toStdString()))
            m_startSettings.sync = *sync;
        if (job.granularity)
            m_startSettings.granularity = job.granularity;
        m_startSettings.wipeRest = job.wipeRest;
    }
    m_inspecting = true;
    m_status->setActivity(targets.size() == 1 ? tr("Checking the target…")
                                              : tr("Checking the targets…"));
    updateActions();
    for (qsizetype i = 0; i < targets.size(); ++i)
        m_controller.inspectTarget(source, targets[i], m_startTargetIds[i]);
}

void MainWindow::logExportAdded(const QString& uri, const std::optional<ExportFacts>& tested,
                                const char* as) const
{
    m_logger->info("NBD export {} added as {}{}", uri.toStdString(), as,
                   tested ? " (" + engine::formatBytes(tested->size) +
                                (tested->readOnly ? ", read-only)" : ", writable)")
                          : std::string());
}

TargetDescription MainWindow::describeTarget(const TargetInspection& inspection) const
{
    TargetDescription d;
    d.path = inspection.target;
    d.sourcePath = inspection.source;
    const DeviceEntry* e = m_devices.entry(inspection.target);
    if (engine::isNbdUri(inspection.target.toStdString())) {
        // Named by its URI and server; its export name is what is typed.
        d.networkExport = true;
        d.name = exportName(inspection.target);
        if (d.name.isEmpty())
            d.name = inspection.target;
        d.model = DeviceListModel::serverText(inspection.target);
        d.kind = tr("Network (NBD export)");
    } else if (e) {
        d.name = e->name;
        d.model = e->model;
        d.kind = DeviceListModel::kindText(*e);
        d.mountPoints = e->mountPoints;
        d.fsType = e->fsType;
        d.fsLabel = e->fsLabel;
    } else {
        d.name = QFileInfo(inspection.target).fileName();
    }
    // The catalog as read for this inspection is the freshest word on what
    // the disk holds; the list's rows are the fallback.
    if (inspection.device) {
        d.name = QString::fromStdString(inspection.device->name);
        d.fsType = QString::fromStdString(inspection.device->fsType);
        d.fsLabel = QString::fromStdString(inspection.device->fsLabel);
        for (const engine::DeviceInfo& p : inspection.partitions) {
            PartitionDescription pd;
            pd.name = QString::fromStdString(p.name);
            pd.label = QString::fromStdString(p.fsLabel);
            pd.fsType = QString::fromStdString(p.fsType);
            pd.size = p.size;
            for (const auto& m : p.mountPoints)
                pd.mountPoints.append(QString::fromStdString(m));
            d.partitionDetails.push_back(pd);
        }
    } else if (e) {
        for (const DeviceEntry* p : m_devices.partitionsOf(e->name))
            d.partitionDetails.push_back({p->name, p->fsLabel, p->fsType, p->size, p->mountPoints});
    }
    if (const DeviceEntry* s = m_devices.entry(inspection.source))
        d.sourceSize = s->size;
    d.wipeRest = m_startSettings.wipeRest;
    d.resume = m_startResume.has_value();
    const engine::TargetFacts& f = inspection.facts;
    d.newFile = !f.exists;
    d.size = f.size;
    d.blockDevice = f.blockDevice;
    d.dataSignature = QString::fromStdString(f.dataSignature);
    d.signatureReadable = !f.exists || f.signatureReadable;
    for (const auto& p : f.partitions)
        d.partitions.append(QString::fromStdString(p));
    if (d.blockDevice && d.name.isEmpty())
        d.name = QFileInfo(inspection.target).fileName();
    return d;
}

void MainWindow::onTargetInspected(const TargetInspection& inspection)
{
    if (!m_inspecting)
        return;
    // An answer to an earlier Start (one abandoned when its target changed
    // identity, say) is not about the disk the user picked now: the answer
    // to this one is still on its way.
    const qsizetype index = m_startTargets.indexOf(inspection.target);
    if (inspection.source != m_startSource || index < 0 ||
        inspection.expectedTargetId != m_startTargetIds[index] ||
        m_inspections[static_cast<std::size_t>(index)])
        return;
    m_inspections[static_cast<std::size_t>(index)] = inspection;
    if (std::any_of(m_inspections.begin(), m_inspections.end(),
                    [](const auto& i) { return !i.has_value(); }))
        return;
    m_inspecting = false;
    m_status->setActivity({});
    // One target the rules refuse refuses the start: the user picks again.
    for (const auto& i : m_inspections) {
        if (i->refusal) {
            updateActions();
            showError(m_startTargets.size() == 1
                          ? tr("Cannot Use This Target")
                          : tr("Cannot Use %1").arg(QFileInfo(i->target).fileName()),
                      *i->refusal);
            return;
        }
    }
    // The job gets what each answer describes, and refuses anything else
    // under that path by the time it opens it: another file put there, the
    // file truncated, or a file where a new one was to be created.
    for (std::size_t i = 0; i < m_inspections.size(); ++i) {
        const auto q = static_cast<qsizetype>(i);
        m_startBoundIds[q] = !m_startTargetIds[q].isEmpty()
                                 ? m_startTargetIds[q]
                                 : QString::fromStdString(m_inspections[i]->facts.identity);
    }
    confirmTarget(0);
}

void MainWindow::confirmTarget(std::size_t index)
{
    if (index >= m_inspections.size()) {
        startJob();
        return;
    }
    const TargetInspection& inspection = *m_inspections[index];
    const TargetDescription target = describeTarget(inspection);
    if (const std::uint64_t pastEnd = target.pastEndBytes())
        m_logger->info("{} is larger than the source: {} past the source's end will be {}",
                       inspection.target.toStdString(), engine::formatBytes(pastEnd),
                       target.wipeRest ? "cleared" : "kept as they are and not compared");
    if (target.newFile && !m_confirmNewFiles) {
        confirmTarget(index + 1);
        return;
    }
    auto* dialog = new ConfirmStartDialog(target, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    if (m_inspections.size() > 1) {
        dialog->setWindowTitle(tr("%1 (Target %2 of %3)")
                                   .arg(dialog->windowTitle())
                                   .arg(index + 1)
                                   .arg(m_inspections.size()));
        // Only the last one starts the job: the others lead to the next.
        if (index + 1 < m_inspections.size())
            dialog->startButton()->setText(target.newFile ? tr("Create, Next Target")
                                                          : tr("Overwrite, Next Target"));
    }
    const bool typed = target.requiresTypedName();
    connect(dialog, &QDialog::accepted, this, [this, typed, index] {
        m_confirm = nullptr;
        m_startOverwrite[static_cast<qsizetype>(index)] = typed;
        confirmTarget(index + 1);
    });
    connect(dialog, &QDialog::rejected, this, [this] {
        m_confirm = nullptr;
        m_logger->info("start cancelled by the user");
        updateActions();
    });
    m_confirm = dialog;
    updateActions();
    dialog->open();
}

void MainWindow::startJob()
{
    JobRequest request;
    request.source = m_startSource;
    if (request.source.isEmpty() || m_startTargets.isEmpty() || m_controller.isActive())
        return;
    for (qsizetype i = 0; i < m_startTargets.size(); ++i)
        request.targets.append(
            RequestTarget{m_startTargets[i], m_startBoundIds[i], m_startOverwrite[i]});
    // The settings the confirmation described; only the speed may have
    // changed since, and it applies at any time anyway.
    request.settings = m_startSettings;
    request.settings.speed = m_settings->settings().speed;
    m_jobLiveMounts = m_startLiveMounts;
    m_jobSettings = request.settings;
    const DeviceEntry* sourceEntry = m_devices.entry(request.source);
    m_jobLiveSource = m_demo || (sourceEntry && sourceEntry->blockDevice);
    request.demoWriter = m_demo;
    request.resume = m_startResume.has_value();
    // This job resumes or replaces (a new journal under the same name) any
    // interrupted copy of the same source to these targets.
    std::erase_if(m_interrupted, [this, &request](const InterruptedJob& job) {
        return job.source == request.source && m_startTargets.contains(job.target);
    });
    m_cancelRequested = false;
    m_cancelQuick = false;
    m_map->setMap(nullptr);
    m_map->setPlaceholderText(tr("Preparing…"));
    m_graph->clear();
    m_status->reset();
    m_status->setActivity(tr("Preparing the mirror…"));
    m_targetTable->setTargets(m_startTargets);
    m_targetBox->setVisible(m_startTargets.size() > 1);
    m_logger->info(
        "{}: {} -> {} (speed limit {}{})", request.resume ? "resuming" : "starting",
        request.source.toStdString(), m_startTargets.join(QStringLiteral(", ")).toStdString(),
        request.settings.speed ? engine::formatRate(static_cast<double>(request.settings.speed))
                               : std::string("none"),
        m_demo ? "; a demo writer keeps changing the source" : "");
    m_controller.start(request);
    updateLiveNote();
    updateActions();
}

void MainWindow::abandonStart(const QString& why)
{
    m_logger->warn("start abandoned: {}", why.toStdString());
    m_inspecting = false; // a late answer of the check is ignored
    m_status->setActivity({});
    if (ConfirmStartDialog* dialog = m_confirm) {
        dialog->disconnect(this);
        m_confirm = nullptr;
        dialog->reject();
    }
    m_status->showBanner(StatusPanel::Tone::Warning, tr("Not started."),
                         why + u' ' +
                             tr("Nothing was written. Choose the source and the target again, "
                                "then press Start."));
    updateActions();
}

void MainWindow::requestPauseResume()
{
    if (engine::isVerbAllowed(engine::JobVerb::Resume, m_controller.status()))
        m_controller.resume();
    else
        m_controller.pause();
    updateActions();
}

void MainWindow::requestComplete()
{
    if (!engine::isVerbAllowed(engine::JobVerb::Complete, m_controller.status()))
        return;
    m_controller.complete();
    const bool verify = m_jobSettings.verify;
    const QString limit = seconds(m_jobSettings.maxFreezeSeconds);
    if (!m_jobLiveMounts.isEmpty())
        m_status->showBanner(
            StatusPanel::Tone::Info, tr("Completing."),
            verify ? tr("%1 is frozen for the final copy, at most %2: writes to it wait, then "
                        "continue. Then the target is compared with the source, which runs on "
                        "meanwhile.")
                         .arg(freezeWhat(m_jobLiveMounts), limit)
                   : tr("%1 is frozen for the final copy, at most %2: writes to it wait, then "
                        "continue.")
                         .arg(freezeWhat(m_jobLiveMounts), limit));
    else
        m_status->showBanner(StatusPanel::Tone::Info, tr("Completing."),
                             verify ? tr("The source is quiesced for the final copy, then the "
                                         "target is compared with it.")
                                    : tr("The source is quiesced for the final copy."));
    updateActions();
}

QString MainWindow::seconds(double value)
{
    return tr("%1 s").arg(QLocale().toString(value));
}

QString MainWindow::cancelMeaning() const
{
    if (!readyReached())
        return tr("The target is not in sync yet: it holds only part of the source and is not "
                  "usable as a copy.");
    const QString limit = seconds(m_jobSettings.maxFreezeSeconds);
    return m_jobLiveMounts.isEmpty()
               ? tr("The source is quiesced briefly for a final copy, as at Complete, so the "
                    "target is a consistent copy of the source as of that moment; later writes "
                    "to the source are not on it.")
               : tr("%1 is frozen briefly (at most %2) for a final copy, as at Complete, so the "
                    "target is a consistent copy of the source as of that moment; later writes "
                    "to the source are not on it.")
                     .arg(freezeWhat(m_jobLiveMounts), limit);
}

void MainWindow::cancelJob(bool quick)
{
    if (!m_controller.isActive())
        return;
    m_cancelRequested = true;
    m_cancelQuick = quick;
    m_logger->info("cancelling{}", !readyReached() ? ""
                                   : quick         ? " at once, without a final copy"
                                                   : " with a final copy");
    m_controller.cancel(quick);
}

void MainWindow::requestCancel()
{
    if (!m_controller.isActive() || questionOpen())
        return;
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Cancel the Mirror?"),
                                readyReached() ? tr("Stop mirroring?")
                                               : tr("Cancel the mirror before it is in sync?"),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("cancelConfirmation"));
    // Only a live source can change between the last sync and the end: only
    // then is there a quick cancel that differs from the consistent one.
    const bool offerQuick = readyReached() && m_jobLiveSource;
    QString meaning = cancelMeaning();
    if (offerQuick)
        meaning += QStringLiteral("\n\n") +
                   tr("“Cancel Now” skips the final copy: the target is then like a disk after a "
                      "power cut. Its file systems need a check (fsck) or a journal replay "
                      "before use, and the last writes to the source are missing.");
    box->setInformativeText(meaning);
    QPushButton* yes = box->addButton(tr("Cancel Mirror"), QMessageBox::DestructiveRole);
    QPushButton* now =
        offerQuick ? box->addButton(tr("Cancel Now"), QMessageBox::DestructiveRole) : nullptr;
    if (now) {
        now->setObjectName(QStringLiteral("cancelNow"));
        now->setToolTip(tr("Stop at once, without a final copy: a copy like after a power cut"));
        yes->setToolTip(tr("Freeze the source briefly for a final copy: a consistent copy"));
    }
    QPushButton* no = box->addButton(tr("Keep Mirroring"), QMessageBox::RejectRole);
    box->setDefaultButton(no);
    box->setEscapeButton(no);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::buttonClicked, this, [this, yes, now](QAbstractButton* clicked) {
        if ((clicked != yes && (!now || clicked != now)) || !m_controller.isActive())
            return;
        const bool quick = now && clicked == now;
        m_status->setActivity(quick || !readyReached() ? tr("Cancelling…")
                                                       : tr("Cancelling: making the final copy…"));
        cancelJob(quick);
        updateActions();
    });
    m_question = box;
    box->open();
}

void MainWindow::onReady()
{
    m_status->showBanner(StatusPanel::Tone::Success, tr("In sync."),
                         tr("The target matches the source and follows every new write. Press "
                            "Complete for an identical copy, or Cancel to stop with a "
                            "consistent copy."));
    m_notifier->notify(tr("DriveMirror: in sync"),
                       m_startTargets.size() == 1
                           ? tr("%1 is in sync with %2. Complete the mirror when you are ready.")
                                 .arg(m_startTargets.front(), m_startSource)
                           : tr("%n targets are in sync with %1. Complete the mirror when you are "
                                "ready.",
                                nullptr, static_cast<int>(m_startTargets.size()))
                                 .arg(m_startSource));
    updateActions();
}

void MainWindow::onCompleteFailed(const QString& reason)
{
    m_logger->warn("complete failed: {}; the job goes on mirroring, Complete may be tried again",
                   reason.toStdString());
    m_status->setActivity({});
    m_status->showBanner(
        StatusPanel::Tone::Warning, tr("Complete failed."),
        tr("The final copy could not be made while the source was frozen: %1. The source runs "
           "on, the mirror keeps the target in sync, and the target is still the copy of the "
           "last time they were in sync. Press Complete to try again; if it fails again, raise "
           "the maximum freeze in the settings, or reduce the writes to the source.")
            .arg(reason));
    updateActions();
}

QString MainWindow::coverageText(const JobOutcome& o) const
{
    QStringList parts;
    if (o.verify) {
        const engine::VerifyReport& v = *o.verify;
        parts << tr("Verification compared %1 with the source, checked %2 against what the job "
                    "wrote (the source changed there after the final copy), and could not check "
                    "%3.")
                     .arg(Format::bytes(v.bytesCompared + v.bytesSkipped),
                          Format::bytes(v.bytesHashChecked), Format::bytes(v.bytesUnchecked));
    } else if (o.verifyCancelled) {
        parts << tr("Its verification was cancelled: the copy was not checked.");
    }
    const std::uint64_t pastEnd =
        o.pastEndBytes ? o.pastEndBytes : (o.verify ? o.verify->bytesPastEnd : 0);
    if (pastEnd > 0) {
        const bool readBack = o.verify && o.verify->pastEndZero;
        if (o.pastEndWiped || readBack)
            parts << (readBack ? tr("The %1 of the target past the source's end were cleared and "
                                    "read back as zeroes.")
                               : tr("The %1 of the target past the source's end were cleared."))
                         .arg(Format::bytes(pastEnd));
        else
            parts << tr("The %1 of the target past the source's end were kept as they were and "
                        "not compared.")
                         .arg(Format::bytes(pastEnd));
    }
    return parts.join(u' ');
}

void MainWindow::onFinished(const JobOutcome& o)
{
    const std::vector<JobOutcome> each = o.targets.empty() ? std::vector<JobOutcome>{o} : o.targets;
    // A target the job created is an image file now, no longer one to create.
    for (const JobOutcome& t : each)
        if (const DeviceEntry* e = m_devices.entry(t.target); e && e->newImage)
            m_devices.addImages({t.target}, true);
    m_status->setActivity({});
    m_map->setPlaceholderText(tr("The dirty map appears when a mirror starts."));
    using Outcome = engine::JobResult::Outcome;
    if (!o.targets.empty())
        reportTargets(o);
    else
        switch (o.outcome) {
        case Outcome::Completed:
            reportCompleted(o);
            break;
        case Outcome::Cancelled:
            reportCancelled(o);
            break;
        case Outcome::Aborted:
            m_status->showBanner(
                StatusPanel::Tone::Warning, tr("Cancelled before in sync."),
                o.targetCreated
                    ? tr("%1 is incomplete and not usable as a copy. The mirror created this file; "
                         "you can delete it.")
                          .arg(o.target)
                    : tr("%1 is incomplete and not usable as a copy.").arg(o.target));
            if (o.targetCreated && !m_closeRequested)
                offerToDeleteIncompleteTargets({o});
            break;
        case Outcome::Failed:
            m_status->showBanner(StatusPanel::Tone::Error,
                                 o.sourceFailed ? tr("Failed reading the source.")
                                                : tr("Failed writing the target."),
                                 ErrorText::describe(o.error).cause);
            if (!m_closeRequested)
                showError(tr("The Mirror Failed"), o.error);
            m_notifier->notify(tr("DriveMirror: failed"), ErrorText::describe(o.error).cause,
                               DesktopNotifier::Kind::Critical);
            break;
        }
    if (o.unreadableRanges > 0)
        m_logger->warn("{} source range(s) could not be read and were written as zeroes",
                       o.unreadableRanges);
    m_cancelRequested = false;
    m_cancelQuick = false;
    m_jobLiveMounts.clear();
    m_jobLiveSource = false;
    // What a written disk holds now is what its source held: read it again
    // (no device event says so when udevd does not watch the disk).
    if (std::any_of(each.begin(), each.end(), [this](const JobOutcome& t) {
            const DeviceEntry* e = m_devices.entry(t.target);
            return e && e->blockDevice;
        }))
        m_devices.refresh();
    updateLiveNote();
    updateActions();
    // The job removed its journal (completed, cancelled), or left it to be
    // resumed (failed): offer what is there now.
    findInterrupted();
    Q_EMIT jobFinished(o);
    if (m_closeRequested) {
        m_closing = true;
        close();
    }
}

void MainWindow::reportTargets(const JobOutcome& o)
{
    using Outcome = engine::JobResult::Outcome;
    const auto count = [&o](auto pred) {
        return static_cast<int>(std::count_if(o.targets.begin(), o.targets.end(), pred));
    };
    const int total = static_cast<int>(o.targets.size());
    const int identical = count([](const JobOutcome& t) {
        return t.outcome == Outcome::Completed && (!t.verify || t.verify->identical);
    });
    const int different = count([](const JobOutcome& t) {
        return t.outcome == Outcome::Completed && t.verify && !t.verify->identical;
    });
    const int failed = count([](const JobOutcome& t) { return t.outcome == Outcome::Failed; });
    QStringList lines;
    for (const JobOutcome& t : o.targets)
        lines << tr("%1: %2").arg(t.target, TargetTable::resultText(t));
    QString text = lines.join(QStringLiteral("; ")) + u'.';
    if (!o.frozenMountPoints.isEmpty() && identical > 0)
        text += u' ' + tr("Freeze window: %1 was frozen for %2 s.")
                           .arg(freezeWhat(o.frozenMountPoints),
                                QLocale().toString(o.quiesceSeconds, 'f', 3));
    std::vector<JobOutcome> incomplete;
    for (const JobOutcome& t : o.targets)
        if (t.targetCreated && (t.outcome == Outcome::Aborted || t.outcome == Outcome::Failed))
            incomplete.push_back(t);
    if (identical == total) {
        m_status->showBanner(StatusPanel::Tone::Success,
                             tr("Completed: %n targets identical.", nullptr, total), text);
        m_notifier->notify(tr("DriveMirror: completed"),
                           tr("The mirror to %n targets is complete.", nullptr, total));
    } else if (different > 0 || failed > 0) {
        m_status->showBanner(StatusPanel::Tone::Error,
                             tr("%1 of %2 targets identical.").arg(identical).arg(total), text);
        if (!m_closeRequested) {
            auto* box = new QMessageBox(
                QMessageBox::Critical, tr("Not Every Target Was Copied"),
                tr("%1 of %2 targets are identical to the source.").arg(identical).arg(total),
                QMessageBox::Ok, this);
            box->setInformativeText(lines.join(u'\n'));
            box->setAttribute(Qt::WA_DeleteOnClose);
            box->setObjectName(QStringLiteral("errorDialog"));
            box->setWindowModality(Qt::WindowModal);
            box->open();
        }
        m_notifier->notify(tr("DriveMirror: failed"),
                           tr("%1 of %2 targets identical.").arg(identical).arg(total),
                           DesktopNotifier::Kind::Critical);
    } else {
        // Cancelled: each target is what its row says.
        m_status->showBanner(identical > 0 ? StatusPanel::Tone::Warning : StatusPanel::Tone::Info,
                             tr("Cancelled: %1 of %2 targets identical.").arg(identical).arg(total),
                             text);
    }
    if (!incomplete.empty() && !m_closeRequested)
        offerToDeleteIncompleteTargets(incomplete);
}

void MainWindow::reportCompleted(const JobOutcome& o)
{
    if (o.verify && !o.verify->identical) {
        m_status->showBanner(StatusPanel::Tone::Error, tr("Completed, but different."),
                             tr("Verification found differences between source and target. "
                                "Do not rely on this copy; see the log."));
        auto* box =
            new QMessageBox(QMessageBox::Critical, tr("Verification Failed"),
                            tr("The copy is not identical to the source."), QMessageBox::Ok, this);
        box->setInformativeText(tr("Check the disks and start the mirror again."));
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setObjectName(QStringLiteral("errorDialog"));
        box->open();
    } else {
        // "Verified" only when the check covered everything it had to.
        const bool partlyChecked = o.verify && o.verify->bytesUnchecked > 0;
        QString text =
            (!o.verify       ? tr("%1 is identical to %2 as of the final copy (%3).")
             : partlyChecked ? tr("%1 is identical to %2 as of the final copy (%3); "
                                  "verification found no difference where it could check.")
                             : tr("%1 is identical to %2 as of the final copy, and verified "
                                  "(%3)."))
                .arg(o.target, o.source, Format::duration(o.elapsedSeconds));
        if (const QString coverage = coverageText(o); !coverage.isEmpty())
            text += u' ' + coverage;
        if (!o.frozenMountPoints.isEmpty())
            text += u' ' + tr("Freeze window: %1 was frozen for %2 s.")
                               .arg(freezeWhat(o.frozenMountPoints),
                                    QLocale().toString(o.quiesceSeconds, 'f', 3));
        else if (o.liveSource)
            text += u' ' + tr("Writes were tracked; nothing was mounted from the source, so "
                              "nothing had to be frozen.");
        m_status->showBanner(StatusPanel::Tone::Success, tr("Completed."), text);
    }
    m_notifier->notify(tr("DriveMirror: completed"),
                       tr("The mirror to %1 is complete.").arg(o.target));
}

void MainWindow::reportCancelled(const JobOutcome& o)
{
    if (o.powerCutCopy) {
        QString text = tr("%1 is like %2 after a power cut: its file systems need a check "
                          "(fsck) or a journal replay before use, and the last writes are "
                          "missing.")
                           .arg(o.target, o.source);
        // The user asked for the consistent cancel: say why it is not.
        if (!m_cancelQuick) {
            text = tr("The source could not be frozen long enough for the final copy, so "
                      "the mirror was cancelled without it.") +
                   u' ' + text;
            if (!o.powerCutReason.isEmpty())
                text += u' ' + tr("Reason: %1.").arg(o.powerCutReason);
        }
        m_status->showBanner(StatusPanel::Tone::Warning, tr("Cancelled without a final copy."),
                             text);
    } else {
        // Without a final copy, the copy is of the last time they were
        // in sync (nothing wrote to the source since, or it would be
        // a power-cut copy).
        QString text =
            (m_cancelQuick ? tr("%1 is a consistent copy of %2 as of the last time they were "
                                "in sync; later writes to the source are not on it.")
                           : tr("%1 is a consistent copy of %2 as of the final copy; later "
                                "writes to the source are not on it."))
                .arg(o.target, o.source);
        if (!o.frozenMountPoints.isEmpty())
            text += u' ' + tr("Freeze window: %1 was frozen for %2 s.")
                               .arg(freezeWhat(o.frozenMountPoints),
                                    QLocale().toString(o.quiesceSeconds, 'f', 3));
        if (const QString coverage = coverageText(o); !coverage.isEmpty())
            text += u' ' + coverage;
        m_status->showBanner(StatusPanel::Tone::Info, tr("Cancelled."), text);
    }
}

void MainWindow::offerToDeleteIncompleteTargets(const std::vector<JobOutcome>& outcomes)
{
    if (questionOpen() || outcomes.empty())
        return;
    QStringList paths;
    for (const JobOutcome& o : outcomes)
        paths << o.target;
    const bool one = outcomes.size() == 1;
    auto* box = new QMessageBox(
        QMessageBox::Question,
        one ? tr("Delete the Incomplete Image?") : tr("Delete the Incomplete Images?"),
        one ? tr("%1 holds only part of the source.").arg(paths.front())
            : tr("%1 hold only part of the source.").arg(paths.join(QStringLiteral(", "))),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("deleteIncompleteTarget"));
    box->setInformativeText(
        one ? tr("The mirror created this image file and was cancelled before it was in sync, "
                 "so it is not usable as a copy. Delete it, or keep it to look at or to mirror "
                 "into again.")
            : tr("The mirror created these image files and they did not get in sync, so they "
                 "are not usable as copies. Delete them, or keep them to look at or to mirror "
                 "into again."));
    QPushButton* remove =
        box->addButton(one ? tr("Delete File") : tr("Delete Files"), QMessageBox::DestructiveRole);
    QPushButton* keep =
        box->addButton(one ? tr("Keep File") : tr("Keep Files"), QMessageBox::RejectRole);
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::buttonClicked, this,
            [this, remove, outcomes](QAbstractButton* clicked) {
                for (const JobOutcome& o : outcomes) {
                    if (clicked == remove)
                        deleteIncompleteTarget(o);
                    else
                        m_logger->info("kept the incomplete {}", o.target.toStdString());
                }
            });
    m_question = box;
    box->open();
}

void MainWindow::deleteIncompleteTarget(const JobOutcome& o)
{
    // The list re-reads the file the job made (onFinished); deleting it
    // under that probe would list it as a vanished image, not a new one.
    if (!m_devices.isIdle()) {
        connect(
            &m_devices, &DeviceListModel::idle, this, [this, o] { deleteIncompleteTarget(o); },
            Qt::SingleShotConnection);
        return;
    }
    auto* watcher = new QFutureWatcher<engine::Result<void>>(this);
    const QString path = o.target;
    // The list may see the file vanish before it is listed again as a new
    // image, and drop the selection meanwhile; the user deleted the file he
    // had chosen, not the choice, so it comes back once the row is usable.
    const bool wasSelected = m_targetPane->currentPaths().contains(path);
    connect(watcher, &QFutureWatcher<engine::Result<void>>::finished, this,
            [this, watcher, path, wasSelected] {
                watcher->deleteLater();
                const engine::Result<void> r = watcher->result();
                if (!r) {
                    m_logger->error("cannot delete {}: {}", path.toStdString(), r.error().message);
                    showError(tr("Cannot Delete %1").arg(QFileInfo(path).fileName()), r.error());
                    return;
                }
                m_logger->info("deleted the incomplete {}", path.toStdString());
                // Several targets: the banner sums all of them up and stays.
                if (m_controller.targets().size() <= 1)
                    m_status->showBanner(StatusPanel::Tone::Warning,
                                         tr("Cancelled before in sync."),
                                         tr("The incomplete %1 was deleted.").arg(path));
                // Listed again as what it is now: a file a new mirror would create.
                if (m_devices.entry(path))
                    m_devices.addImages({path}, true);
                if (wasSelected)
                    reselectTargetWhenListed(path);
            });
    const std::uint64_t device = o.targetDevice;
    const std::uint64_t inode = o.targetInode;
    watcher->setFuture(QtConcurrent::run(
        [path, device, inode] { return removeCreatedFile(path, device, inode); }));
}

void MainWindow::reselectTargetWhenListed(const QString& path)
{
    if (!m_devices.isIdle()) {
        connect(
            &m_devices, &DeviceListModel::idle, this,
            [this, path] { reselectTargetWhenListed(path); }, Qt::SingleShotConnection);
        return;
    }
    // Added to what is selected only while that is nothing but targets of
    // the job that ended: the user's own new pick is left alone.
    const DeviceEntry* entry = m_devices.entry(path);
    const QStringList now = m_targetPane->currentPaths();
    const bool ours = std::all_of(now.begin(), now.end(),
                                  [this](const QString& p) { return m_startTargets.contains(p); });
    if (entry && entry->newImage && ours && !now.contains(path) && !m_controller.isActive())
        m_targetPane->selectPaths(now + QStringList{path});
}

bool MainWindow::questionOpen() const
{
    // An answered question may still wait for its deferred deletion.
    const QMessageBox* box = m_question.data();
    return box != nullptr && !box->isHidden();
}

void MainWindow::showError(const QString& title, const engine::Error& error)
{
    const UserMessage m = ErrorText::describe(error);
    auto* box = new QMessageBox(QMessageBox::Critical, title, m.cause, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->setInformativeText(m.advice);
    box->setDetailedText(m.details);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    box->open();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_controller.isActive() && !m_closing) {
        event->ignore();
        if (m_closeRequested || questionOpen())
            return;
        auto* box = new QMessageBox(QMessageBox::Question, tr("Close DriveMirror?"),
                                    tr("A mirror is running. Closing cancels it."),
                                    QMessageBox::NoButton, this);
        box->setObjectName(QStringLiteral("closeConfirmation"));
        // Closing does not wait for a freeze (docs/decisions.md): say what
        // that leaves.
        box->setInformativeText(
            !readyReached() ? cancelMeaning()
            : m_jobLiveSource
                ? tr("Closing stops the mirror at once, without a final copy: the target is "
                     "then like a disk after a power cut. Its file systems need a check (fsck) "
                     "or a journal replay before use, and the last writes to the source are "
                     "missing. For a consistent copy, press Cancel or Complete first and close "
                     "when the mirror has ended.")
                : tr("The target stays a consistent copy of the source as of the last time "
                     "they were in sync."));
        QPushButton* yes =
            box->addButton(tr("Cancel Mirror and Close"), QMessageBox::DestructiveRole);
        QPushButton* no = box->addButton(tr("Keep Running"), QMessageBox::RejectRole);
        box->setDefaultButton(no);
        box->setEscapeButton(no);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setWindowModality(Qt::WindowModal);
        connect(box, &QMessageBox::buttonClicked, this, [this, yes](QAbstractButton* clicked) {
            if (clicked != yes)
                return;
            if (!m_controller.isActive()) {
                m_closing = true;
                close();
                return;
            }
            m_closeRequested = true;
            m_status->setActivity(tr("Cancelling, then closing…"));
            m_logger->info("closing: cancelling the mirror first");
            cancelJob(true);
            updateActions();
        });
        m_question = box;
        box->open();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
    event->accept();
}

void MainWindow::setInterruptedJobDirs(const QStringList& dirs)
{
    m_stateDirs = dirs;
    findInterrupted();
}

void MainWindow::findInterrupted()
{
    const quint64 generation = ++m_findGeneration;
    struct Found
    {
        std::vector<InterruptedJob> jobs;
        QStringList problems;
    };
    auto* watcher = new QFutureWatcher<Found>(this);
    connect(watcher, &QFutureWatcher<Found>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_findGeneration)
            return;
        Found found = watcher->result();
        for (const QString& problem : found.problems)
            m_logger->warn("cannot look for interrupted copies in {}", problem.toStdString());
        m_interrupted = std::move(found.jobs);
        for (const InterruptedJob& job : m_interrupted)
            m_logger->info("interrupted copy of {} to {} found: {} of {} in sync ({})",
                           job.source.toStdString(), job.target.toStdString(),
                           engine::formatBytes(job.inSyncBytes), engine::formatBytes(job.extent),
                           job.paths.checkpoint);
        updateResumeOffer();
        Q_EMIT interruptedJobsFound(static_cast<int>(m_interrupted.size()));
    });
    watcher->setFuture(QtConcurrent::run([dirs = m_stateDirs] {
        Found found;
        found.jobs = findInterruptedJobs(dirs, &found.problems);
        return found;
    }));
}

QString MainWindow::missingEnds(const InterruptedJob& job) const
{
    // An image file is there when it was when the directory was read; a
    // disk when the list shows it, and it is the disk the job wrote.
    const auto present = [this](const QString& path, bool exists, bool blockDevice,
                                const QString& id) {
        // An export is asked when it is resumed: whether its server answers
        // is the start's check.
        if (engine::isNbdUri(path.toStdString()))
            return true;
        if (!blockDevice && !path.startsWith(QLatin1String("/dev/")))
            return exists;
        const DeviceEntry* e = m_devices.entry(path);
        if (!e)
            return false;
        const bool known = !id.isEmpty() && id != QLatin1String("unknown");
        return !known || e->stableId.isEmpty() || e->stableId == id;
    };
    const bool source = present(job.source, job.sourceExists, job.sourceBlockDevice, job.sourceId);
    const bool target = present(job.target, job.targetExists, job.targetBlockDevice, job.targetId);
    if (!source && !target)
        return tr("Neither the source nor the target is present now, so the copy cannot be "
                  "resumed yet.");
    if (!source)
        return tr("The source %1 is not present now, so the copy cannot be resumed yet.")
            .arg(job.source);
    if (!target)
        return tr("The target %1 is not present now, so the copy cannot be resumed yet.")
            .arg(job.target);
    return {};
}

void MainWindow::updateResumeOffer()
{
    // While a job runs the window is about that job; the offer comes back
    // when it has ended.
    if (m_interrupted.empty() || m_controller.isActive()) {
        m_resumeOffer->hide();
        return;
    }
    const InterruptedJob& job = m_interrupted.front();
    m_resumeOffer->offer(job, static_cast<int>(m_interrupted.size()) - 1, missingEnds(job));
    m_resumeOffer->setResumeEnabled(!m_inspecting && !m_confirm && !m_resumePending &&
                                    !m_closeRequested);
}

void MainWindow::resumeInterrupted()
{
    if (m_interrupted.empty() || m_controller.isActive() || m_inspecting || m_confirm ||
        m_resumePending || !missingEnds(m_interrupted.front()).isEmpty())
        return;
    const InterruptedJob& job = m_interrupted.front();
    m_resumePending = job;
    m_logger->info("resuming the interrupted copy of {} to {}", job.source.toStdString(),
                   job.target.toStdString());
    // Disks are listed already; image files once added.
    QStringList images;
    for (const QString& path : {job.source, job.target})
        if (!m_devices.entry(path))
            images << path;
    if (!images.isEmpty())
        m_devices.addImages(images, false);
    updateActions();
    continueResume();
}

void MainWindow::continueResume()
{
    // Each selection re-checks the rows: go on once the list is settled.
    if (!m_resumePending || !m_devices.isIdle())
        return;
    const InterruptedJob job = *m_resumePending;
    if (!m_devices.entry(job.source) || !m_devices.entry(job.target)) {
        abandonResume(tr("%1 or %2 could not be listed.").arg(job.source, job.target));
        return;
    }
    if (m_sourcePane->currentPath() != job.source) {
        if (!m_sourcePane->selectPath(job.source)) {
            abandonResume(tr("%1 cannot be chosen as the source now.").arg(job.source));
            return;
        }
        if (!m_devices.isIdle())
            return;
    }
    if (m_targetPane->currentPaths() != QStringList{job.target} &&
        !m_targetPane->selectPath(job.target)) {
        abandonResume(
            tr("%1 cannot be chosen as the target now; the target list says why.").arg(job.target));
        return;
    }
    m_resumePending.reset();
    m_resumeNext = job;
    requestStart();
    m_resumeNext.reset();
}

void MainWindow::abandonResume(const QString& why)
{
    m_logger->warn("not resumed: {}", why.toStdString());
    m_resumePending.reset();
    m_status->showBanner(StatusPanel::Tone::Warning, tr("Not resumed."), why);
    updateActions();
}

void MainWindow::discardInterrupted()
{
    if (m_interrupted.empty() || questionOpen() || m_controller.isActive())
        return;
    const InterruptedJob job = m_interrupted.front();
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Discard the Interrupted Copy?"),
        tr("The copy of %1 to %2 can then no longer be resumed.").arg(job.source, job.target),
        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("discardInterrupted"));
    box->setInformativeText(tr("%1 keeps what was copied so far, but it is not usable as a copy; "
                               "a new mirror to it starts from the beginning.")
                                .arg(job.target));
    QPushButton* discard = box->addButton(tr("Discard"), QMessageBox::DestructiveRole);
    QPushButton* keep = box->addButton(tr("Keep"), QMessageBox::RejectRole);
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::buttonClicked, this, [this, discard, job](QAbstractButton* clicked) {
        if (clicked != discard)
            return;
        auto* watcher = new QFutureWatcher<engine::Result<void>>(this);
        connect(watcher, &QFutureWatcher<engine::Result<void>>::finished, this,
                [this, watcher, job] {
                    watcher->deleteLater();
                    const engine::Result<void> r = watcher->result();
                    if (!r) {
                        m_logger->error("cannot discard {}: {}", job.paths.checkpoint,
                                        r.error().message);
                        showError(tr("Cannot Discard the Interrupted Copy"), r.error());
                        return;
                    }
                    m_logger->info("discarded the interrupted copy of {} to {} ({})",
                                   job.source.toStdString(), job.target.toStdString(),
                                   job.paths.checkpoint);
                    std::erase_if(m_interrupted, [&job](const InterruptedJob& j) {
                        return j.paths.checkpoint == job.paths.checkpoint;
                    });
                    updateResumeOffer();
                });
        watcher->setFuture(
            QtConcurrent::run([paths = job.paths] { return engine::discardSavedJob(paths); }));
    });
    m_question = box;
    box->open();
}

void MainWindow::setDemoMode(bool demo)
{
    m_demo = demo;
    setWindowTitle(demo ? tr("DriveMirror (demo)") : tr("DriveMirror"));
}

} // namespace ui
