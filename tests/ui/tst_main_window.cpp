// The main window driven like a user would: real image files, a real job
// through LocalJobController, and a fake controller to put the window in
// every job state.
#include "confirm_start_dialog.h"
#include "demo_driver.h"
#include "device_list_model.h"
#include "device_pane.h"
#include "dirty_map_widget.h"
#include "fake_job_controller.h"
#include "gui_test_support.h"
#include "job_settings_widget.h"
#include "local_job_controller.h"
#include "log_view.h"
#include "main_window.h"
#include "remote_job_controller.h"
#include "routing_job_controller.h"
#include "status_panel.h"
#include "test_support.h"
#include "throughput_graph.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QThread>
#include <QTreeWidget>
#include <QUrl>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <thread>

using engine::JobStatus;
using engine::JobVerb;
using testsupport::runCommand;
using testsupport::ScratchDir;

namespace {

constexpr std::uint64_t kMiB = 1ull << 20;

const JobStatus kAllStatuses[] = {
    JobStatus::Created,   JobStatus::Running, JobStatus::Paused,  JobStatus::Ready,
    JobStatus::Standby,   JobStatus::Waiting, JobStatus::Pending, JobStatus::Aborting,
    JobStatus::Concluded, JobStatus::Null,
};

// A source with data extents and holes, and an existing target full of other data.
bool makeImages(const ScratchDir& dir, std::uint64_t size, QString& source, QString& target)
{
    source = dir.file(QStringLiteral("source.img"));
    target = dir.file(QStringLiteral("target.img"));
    return testsupport::createSparse(source, size) &&
           testsupport::writePattern(source, 0, size / 8, 1) &&
           testsupport::writePattern(source, size / 2, size / 8, 2) &&
           testsupport::writePattern(source, size - size / 16, size / 16, 3) &&
           testsupport::createSparse(target, size) && testsupport::writePattern(target, 0, size, 4);
}

// Attaches @p file to the loop device @p node (losetup --find picks any; a
// swap needs the same node). The old file's detach may be deferred while
// something still has the node open, so this retries briefly.
bool attachAt(const QString& node, const QString& file)
{
    for (int i = 0; i < 100; ++i) {
        if (runCommand(QStringLiteral("losetup"), {node, file}).exitCode == 0)
            return true;
        QThread::msleep(20);
    }
    return false;
}

// Files written into a mounted file system until stopped, each fsynced: a
// steady stream of writes the kernel tracking must see.
class FileWriter
{
public:
    explicit FileWriter(const QString& dir)
        : m_thread([this, d = dir.toStdString()] {
              std::string block(64 * 1024, 'x');
              for (int n = 0; !m_stop; ++n) {
                  block[static_cast<std::size_t>(n) % block.size()] =
                      static_cast<char>('a' + n % 26);
                  const std::string path = d + "/f" + std::to_string(n % 200);
                  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
                  if (fd < 0)
                      break;
                  const bool ok =
                      ::write(fd, block.data(), block.size()) == static_cast<ssize_t>(block.size());
                  ::fsync(fd);
                  ::close(fd);
                  if (!ok)
                      break;
                  ++m_files;
                  std::this_thread::sleep_for(std::chrono::milliseconds(10));
              }
          })
    {
    }
    ~FileWriter() { stop(); }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    int files() const { return m_files; }

private:
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_files{0};
    std::thread m_thread;
};

// The window's controller as the application builds it: in this process, or
// every job in the helper process (drivemirror-cli, started directly here
// instead of through pkexec, which needs a desktop session to ask).
class Controllers
{
public:
    Controllers(bool helper, const engine::Logger& log) : m_local(log)
    {
        if (helper)
            m_remote = std::make_unique<ui::RemoteJobController>(
                ui::HelperCommand{testsupport::cliPath(), {}}, log);
        m_router = std::make_unique<ui::RoutingJobController>(
            m_local, m_remote.get(), [](const QString&, const QString&) { return true; });
    }
    ui::JobController& get() { return *m_router; }
    /// What the device lists may assume about opening disks.
    ui::DeviceListModel::DeviceAccess access() const
    {
        return m_remote ? ui::DeviceListModel::DeviceAccess::Helper
                        : ui::DeviceListModel::DeviceAccess::Direct;
    }

private:
    ui::LocalJobController m_local;
    std::unique_ptr<ui::RemoteJobController> m_remote;
    std::unique_ptr<ui::RoutingJobController> m_router;
};

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private:
    // Lists both images and selects them; QVERIFY-style failures return early.
    void select(ui::MainWindow& w, ui::DeviceListModel& devices, const QString& source,
                const QString& target)
    {
        devices.addImages({source, target});
        QTRY_VERIFY(devices.entry(source) && devices.entry(target));
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(w.sourcePane()->selectPath(source));
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(w.targetPane()->selectPath(target));
    }

    void setSpeed(ui::MainWindow& w, double mibPerSecond)
    {
        auto* settings = w.settingsWidget();
        settings->speedUnitCombo()->setCurrentIndex(1); // MiB/s
        settings->speedSpin()->setValue(mibPerSecond);
        settings->limitCheck()->setChecked(true);
    }

private Q_SLOTS:
    void initTestCase() { uitest::isolateSettings(); }
    void init() { QSettings().clear(); }

    void startReadyComplete_imageFiles_targetIdentical_data()
    {
        QTest::addColumn<bool>("helper");
        QTest::newRow("in process") << false;
        QTest::newRow("helper process") << true;
    }

    void startReadyComplete_imageFiles_targetIdentical()
    {
        QFETCH(bool, helper);
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 64 * kMiB, source, target));

        auto sink = std::make_shared<ui::LogSink>();
        const engine::Logger log = uitest::loggerFor(sink);
        ui::DeviceListModel devices;
        Controllers controllers(helper, log);
        devices.setDeviceAccess(controllers.access());
        ui::JobController& controller = controllers.get();
        ui::MainWindow w(devices, controller, log);
        w.logView()->setSink(sink);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        // Nothing is preselected; Start needs both.
        QVERIFY(!w.startButton()->isEnabled());
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;
        QVERIFY(w.startButton()->isEnabled());
        QVERIFY(!w.completeButton()->isEnabled());

        QSignalSpy ready(&controller, &ui::JobController::ready);
        QSignalSpy finished(&controller, &ui::JobController::finished);
        QTest::mouseClick(w.startButton(), Qt::LeftButton);
        QTRY_VERIFY(w.confirmDialog());
        ui::ConfirmStartDialog* dialog = w.confirmDialog();
        if (!dialog)
            QFAIL("no confirmation");
        QVERIFY(!dialog->target().newFile);
        QCOMPARE(dialog->target().path, target);
        // A file has no model to show (not even "unknown").
        for (const QLabel* l : dialog->findChildren<QLabel*>())
            QVERIFY2(l->text() != QStringLiteral("Model:"), "a file's confirmation lists a model");
        QVERIFY(dialog->startButton()->isEnabled()); // a file: no name to type
        dialog->startButton()->click();

        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 40000);
        QVERIFY(controller.status() == JobStatus::Ready);
        QVERIFY(w.completeButton()->isEnabled());
        QVERIFY(w.statusPanel()->bannerVisible());
        QVERIFY(w.dirtyMap()->map() != nullptr);
        QVERIFY(!w.startButton()->isEnabled());

        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QVERIFY(!w.completeButton()->isEnabled()); // no second Complete while finishing
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 40000);
        const auto outcome = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(outcome.outcome == engine::JobResult::Outcome::Completed);
        QVERIFY(testsupport::cmpIdentical(source, target));

        QVERIFY(w.startButton()->isEnabled());
        QVERIFY(!w.cancelButton()->isEnabled());
        QVERIFY(w.statusPanel()->bannerText().contains(QStringLiteral("Completed")));
        // Engine and UI messages both reach the log pane.
        QTRY_VERIFY(w.logView()->text().contains(QStringLiteral("ready: source and target")));
        QVERIFY(w.logView()->text().contains(QStringLiteral("starting: ")));
    }

    void buttons_everyStatus_followVerbTable_data()
    {
        QTest::addColumn<int>("status");
        for (JobStatus s : kAllStatuses)
            QTest::newRow(std::string(engine::toString(s)).c_str()) << static_cast<int>(s);
    }

    void buttons_everyStatus_followVerbTable()
    {
        QFETCH(int, status);
        const auto s = static_cast<JobStatus>(status);
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        ui::DeviceListModel devices;
        FakeJobController controller;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;

        controller.active = true;
        controller.setStatus(s);
        QVERIFY(!w.startButton()->isEnabled());
        const bool canPause = engine::isVerbAllowed(JobVerb::Pause, s);
        const bool canResume = engine::isVerbAllowed(JobVerb::Resume, s);
        QCOMPARE(w.pauseButton()->isEnabled(), canPause || canResume);
        QCOMPARE(w.pauseButton()->text().remove(u'&'),
                 canResume ? QStringLiteral("Resume") : QStringLiteral("Pause"));
        QCOMPARE(w.completeButton()->isEnabled(), engine::isVerbAllowed(JobVerb::Complete, s));
        QCOMPARE(w.cancelButton()->isEnabled(), engine::isVerbAllowed(JobVerb::Cancel, s));
        QVERIFY(!w.sourcePane()->view()->isEnabled());
        QVERIFY(!w.targetPane()->view()->isEnabled());

        // Once Complete was accepted, neither Complete nor Pause is offered.
        if (s == JobStatus::Ready) {
            w.requestComplete();
            QVERIFY(controller.calls.contains(QStringLiteral("complete")));
            QVERIFY(!w.completeButton()->isEnabled());
            QVERIFY(!w.pauseButton()->isEnabled());
        }

        // A pressed button sends its verb.
        if (canPause || canResume) {
            controller.completing = false;
            controller.setStatus(s);
            QTest::mouseClick(w.pauseButton(), Qt::LeftButton);
            QVERIFY(controller.calls.contains(canResume ? QStringLiteral("resume")
                                                        : QStringLiteral("pause")));
        }

        controller.finish(engine::JobResult::Outcome::Cancelled);
        QVERIFY(w.startButton()->isEnabled());
        QVERIFY(!w.pauseButton()->isEnabled());
        QVERIFY(!w.completeButton()->isEnabled());
        QVERIFY(!w.cancelButton()->isEnabled());
        QVERIFY(w.sourcePane()->view()->isEnabled());
    }

    void buttons_idle_startNeedsSourceAndTarget()
    {
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        ui::DeviceListModel devices;
        FakeJobController controller;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        devices.addImages({source, target});
        QTRY_VERIFY(devices.entry(source) && devices.entry(target) && devices.isIdle());
        for (QPushButton* b :
             {w.startButton(), w.pauseButton(), w.completeButton(), w.cancelButton()})
            QVERIFY(!b->isEnabled());
        QVERIFY(w.targetPane()->currentPath().isEmpty()); // never preselected
        QVERIFY(w.sourcePane()->selectPath(source));
        QVERIFY(!w.startButton()->isEnabled());
        QTRY_VERIFY(devices.isIdle());
        // The source cannot be its own target.
        QVERIFY(!w.targetPane()->selectPath(source));
        QVERIFY(w.targetPane()->selectPath(target));
        QVERIFY(w.startButton()->isEnabled());
        w.targetPane()->clearSelection();
        QVERIFY(!w.startButton()->isEnabled());
    }

    void dropImages_sourceSelected_targetOnlyListed()
    {
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        ui::DeviceListModel devices;
        FakeJobController controller;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        const auto drop = [](QWidget* pane, const QString& file) {
            QMimeData mime;
            mime.setUrls({QUrl::fromLocalFile(file)});
            const QPointF pos(pane->width() / 2.0, pane->height() / 2.0);
            QDragEnterEvent enter(pos.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton,
                                  Qt::NoModifier);
            QApplication::sendEvent(pane, &enter);
            QDropEvent dropEvent(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
            QApplication::sendEvent(pane, &dropEvent);
            return enter.isAccepted() && dropEvent.isAccepted();
        };
        QVERIFY(drop(w.sourcePane(), source));
        QTRY_COMPARE(w.sourcePane()->currentPath(), source);
        QVERIFY(drop(w.targetPane(), target));
        QTRY_VERIFY(devices.entry(target) && devices.isIdle());
        QVERIFY(w.targetPane()->currentPath().isEmpty()); // offered, never preselected
    }

    void confirmation_mistypedName_refusesStart()
    {
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        ui::DeviceListModel devices;
        FakeJobController controller;
        // The target answers like a disk with partitions.
        controller.inspection.facts.exists = true;
        controller.inspection.facts.blockDevice = true;
        controller.inspection.facts.size = 16 * kMiB;
        controller.inspection.facts.signatureReadable = true;
        controller.inspection.facts.dataSignature = "a GPT partition table";
        controller.inspection.facts.partitions = {"target.img1", "target.img2"};
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;

        w.requestStart();
        QTRY_VERIFY(w.confirmDialog());
        ui::ConfirmStartDialog* dialog = w.confirmDialog();
        if (!dialog)
            QFAIL("no confirmation");
        QVERIFY(dialog->target().requiresTypedName());
        QVERIFY(dialog->nameEdit());
        QVERIFY(!dialog->startButton()->isEnabled());

        for (const QString& wrong :
             {QString(), QStringLiteral("target.im"), QStringLiteral("Target.img"),
              QStringLiteral("target.img "), QStringLiteral("target.img1")}) {
            dialog->nameEdit()->setText(wrong);
            QVERIFY2(!dialog->startButton()->isEnabled(), qPrintable(wrong));
            dialog->accept(); // Enter, or a button that got enabled anyway
            QVERIFY(dialog->isVisible());
            QVERIFY(!controller.calls.contains(QStringLiteral("start")));
        }
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("x"));
        dialog->nameEdit()->clear();
        QTest::keyClicks(dialog->nameEdit(), QStringLiteral("target.img"));
        QVERIFY(dialog->startButton()->isEnabled());
        dialog->startButton()->click();
        QCOMPARE(controller.calls.count(QStringLiteral("start")), 1);
        QVERIFY(controller.lastRequest.overwriteConfirmed);
        QCOMPARE(controller.lastRequest.target, target);
    }

    void confirmation_rejected_startsNothing()
    {
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        ui::DeviceListModel devices;
        FakeJobController controller;
        controller.inspection.facts.exists = true;
        controller.inspection.facts.size = 16 * kMiB;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;
        w.requestStart();
        QTRY_VERIFY(w.confirmDialog());
        ui::ConfirmStartDialog* dialog = w.confirmDialog();
        if (!dialog)
            QFAIL("no confirmation");
        QVERIFY(!dialog->target().requiresTypedName());
        dialog->reject();
        QVERIFY(!controller.calls.contains(QStringLiteral("start")));
        QTRY_VERIFY(w.startButton()->isEnabled());
    }

    void confirmation_refusedTarget_showsCauseAndAdvice()
    {
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        ui::DeviceListModel devices;
        FakeJobController controller;
        controller.inspection.refusal = engine::Error{
            EBUSY, "refusing /dev/sdz: it is mounted at /mnt (rule: mounted target); unmount "
                   "it first"};
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;
        w.requestStart();
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = w.findChild<QMessageBox*>(QStringLiteral("errorDialog"))));
        QVERIFY(box->text().contains(QStringLiteral("mounted")));
        QVERIFY(box->informativeText().contains(QStringLiteral("Unmount")));
        QVERIFY(box->detailedText().contains(QStringLiteral("/mnt")));
        QVERIFY(!w.confirmDialog());
        QVERIFY(!controller.calls.contains(QStringLiteral("start")));
    }

    void cancel_beforeAndAfterReady_explainsWhatTheTargetIs()
    {
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        ui::DeviceListModel devices;
        FakeJobController controller;
        controller.inspection.facts.exists = true;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;
        controller.active = true;

        controller.setStatus(JobStatus::Running);
        w.requestCancel();
        QTRY_VERIFY(w.questionBox());
        QVERIFY(w.questionBox()->informativeText().contains(QStringLiteral("not usable")));
        // "Keep Mirroring" leaves the job alone.
        uitest::buttonWithRole(w.questionBox(), QMessageBox::RejectRole)->click();
        QTRY_VERIFY(!w.questionBox());
        QVERIFY(!controller.calls.contains(QStringLiteral("cancel")));

        controller.setStatus(JobStatus::Ready);
        w.requestCancel();
        QTRY_VERIFY(w.questionBox());
        QVERIFY(w.questionBox()->informativeText().contains(QStringLiteral("consistent copy")));
        uitest::buttonWithRole(w.questionBox(), QMessageBox::DestructiveRole)->click();
        QVERIFY(controller.calls.contains(QStringLiteral("cancel")));
        QVERIFY(!w.cancelButton()->isEnabled());
        controller.finish(engine::JobResult::Outcome::Cancelled);
        QVERIFY(w.statusPanel()->bannerText().contains(QStringLiteral("consistent copy")));
    }

    void speedChange_whileRunning_reachesJob()
    {
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 64 * kMiB, source, target));
        ui::DeviceListModel devices;
        ui::LocalJobController controller(engine::nullLogger());
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;
        setSpeed(w, 1); // slow enough to stay running for the whole test
        w.requestStart();
        QTRY_VERIFY(w.confirmDialog());
        if (ui::ConfirmStartDialog* dialog = w.confirmDialog())
            dialog->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(controller.snapshot() && controller.status() == JobStatus::Running,
                                 20000);
        QTRY_COMPARE(controller.snapshot()->speedLimit, 1 * kMiB);

        w.settingsWidget()->speedSpin()->setValue(3);
        QTRY_COMPARE_WITH_TIMEOUT(controller.snapshot()->speedLimit, 3 * kMiB, 5000);
        w.settingsWidget()->speedUnitCombo()->setCurrentIndex(0); // 3 KiB/s
        QTRY_COMPARE_WITH_TIMEOUT(controller.snapshot()->speedLimit, 3 * 1024ull, 5000);
        w.settingsWidget()->limitCheck()->setChecked(false); // unlimited
        QTRY_COMPARE_WITH_TIMEOUT(controller.snapshot()->speedLimit, 0ull, 5000);
        // Only the speed stays editable while running.
        QVERIFY(w.settingsWidget()->speedSpin()->isEnabled() ||
                !w.settingsWidget()->limitCheck()->isChecked());
        QVERIFY(w.settingsWidget()->limitCheck()->isEnabled());
        QVERIFY(!w.settingsWidget()->syncCombo()->isEnabled());

        QSignalSpy finished(&controller, &ui::JobController::finished);
        controller.cancel(false);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 20000);
    }

    void close_midJob_cancelsWithoutHang_data()
    {
        QTest::addColumn<bool>("helper");
        QTest::newRow("in process") << false;
        QTest::newRow("helper process") << true;
    }

    void close_midJob_cancelsWithoutHang()
    {
        QFETCH(bool, helper);
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 64 * kMiB, source, target));
        ui::DeviceListModel devices;
        Controllers controllers(helper, engine::nullLogger());
        ui::JobController& controller = controllers.get();
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;
        setSpeed(w, 2);
        w.requestStart();
        QTRY_VERIFY(w.confirmDialog());
        if (ui::ConfirmStartDialog* dialog = w.confirmDialog())
            dialog->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(controller.status() == JobStatus::Running, 20000);

        // "Keep Running" keeps window and job.
        QVERIFY(!w.close());
        QTRY_VERIFY(w.questionBox());
        QCOMPARE(w.questionBox()->objectName(), QStringLiteral("closeConfirmation"));
        QVERIFY(w.questionBox()->informativeText().contains(QStringLiteral("not usable")));
        uitest::buttonWithRole(w.questionBox(), QMessageBox::RejectRole)->click();
        QTRY_VERIFY(!w.questionBox());
        QVERIFY(w.isVisible());
        QVERIFY(controller.isActive());

        QSignalSpy finished(&controller, &ui::JobController::finished);
        QVERIFY(!w.close());
        QTRY_VERIFY(w.questionBox());
        QElapsedTimer timer;
        timer.start();
        uitest::buttonWithRole(w.questionBox(), QMessageBox::DestructiveRole)->click();
        QTRY_VERIFY_WITH_TIMEOUT(!w.isVisible(), 10000);
        const qint64 ms = timer.elapsed();
        QCOMPARE(finished.count(), 1);
        QVERIFY(finished.front().front().value<ui::JobOutcome>().outcome ==
                engine::JobResult::Outcome::Aborted);
        QVERIFY(!controller.isActive());
        qInfo("closed %lld ms after confirming", static_cast<long long>(ms));
        QVERIFY2(ms < 5000, "cancelling on close took too long");
    }

    void withoutRoot_noteBeforeStart()
    {
        ui::DeviceListModel devices;
        FakeJobController controller;
        devices.setCanOpenDevices(false);
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        QVERIFY(w.privilegeNote()->isVisible());
        QVERIFY(w.privilegeNote()->text().contains(QStringLiteral("administrator")));
        devices.setCanOpenDevices(true);
        QVERIFY(!w.privilegeNote()->isVisible());
    }

    void finished_liveOutcome_showsFreezeWindow()
    {
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        ui::DeviceListModel devices;
        FakeJobController controller;
        controller.inspection.facts.exists = true;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;
        controller.active = true;
        controller.setStatus(JobStatus::Running);
        // The percentage sits beside the bar, not half on it.
        QCOMPARE(w.statusPanel()->percentText(), QStringLiteral("0.0 %"));
        controller.nextOutcome.liveSource = true;
        controller.nextOutcome.quiesceSeconds = 0.0421;
        controller.nextOutcome.frozenMountPoints = {QStringLiteral("/mnt/x")};
        controller.finish(engine::JobResult::Outcome::Completed);
        const QString banner = w.statusPanel()->bannerText();
        QVERIFY2(banner.contains(QStringLiteral("Freeze window: /mnt/x was frozen for 0.042 s")),
                 qPrintable(banner));
    }

    void targetIdentity_loopSwappedBehindPath_startRefused()
    {
        if (!testsupport::isRoot())
            QSKIP("needs root: loop devices");
        ScratchDir dir;
        const QString source = dir.file(QStringLiteral("source.img"));
        const QString first = dir.file(QStringLiteral("first.img"));
        const QString second = dir.file(QStringLiteral("second.img"));
        QVERIFY(testsupport::createSparse(source, 8 * kMiB));
        QVERIFY(testsupport::writePattern(source, 0, 8 * kMiB, 5));
        QVERIFY(testsupport::createSparse(first, 16 * kMiB));
        QVERIFY(testsupport::createSparse(second, 16 * kMiB));
        QString why;
        auto loop = testsupport::LoopDevice::attach(first, &why);
        QVERIFY2(loop, qPrintable(why));
        const QString node = loop->path();

        ui::DeviceListModel devices;
        QVERIFY(devices.startMonitoring());
        devices.refresh();
        ui::LocalJobController controller(engine::nullLogger());
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        select(w, devices, source, node);
        if (QTest::currentTestFailed())
            return;
        const QString chosen = devices.entry(node)->stableId;
        QCOMPARE(w.chosenTargetId(), chosen);

        // Another file behind the same node, while the user looks away.
        QTRY_VERIFY(devices.isIdle());
        QTest::qWait(100);
        QCOMPARE(runCommand(QStringLiteral("losetup"), {QStringLiteral("-d"), node}).exitCode, 0);
        QVERIFY(attachAt(node, second));
        auto detach = qScopeGuard([&] {
            runCommand(QStringLiteral("losetup"), {QStringLiteral("-d"), node});
        });
        QTRY_VERIFY_WITH_TIMEOUT(devices.entry(node) && devices.entry(node)->stableId != chosen,
                                 10000);
        QTRY_VERIFY(devices.isIdle());
        // Same path, same row, still selected: only the identity tells.
        QCOMPARE(w.targetPane()->currentPath(), node);
        QVERIFY(w.startButton()->isEnabled());
        QSignalSpy started(&controller, &ui::JobController::started);
        w.requestStart();
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = w.findChild<QMessageBox*>(QStringLiteral("errorDialog"))));
        QVERIFY2(box->detailedText().contains(QStringLiteral("(rule: target identity)")),
                 qPrintable(box->detailedText()));
        QVERIFY(box->text().contains(QStringLiteral("no longer the disk")));
        QVERIFY(!w.confirmDialog());
        box->close();
        QTRY_VERIFY(!w.findChild<QMessageBox*>(QStringLiteral("errorDialog")));

        // Chosen again, then swapped while the confirmation is open: the
        // engine's own check at start refuses it.
        w.targetPane()->clearSelection();
        QVERIFY(w.targetPane()->selectPath(node));
        const QString rechosen = w.chosenTargetId();
        QCOMPARE(rechosen, devices.entry(node)->stableId);
        w.requestStart();
        QTRY_VERIFY(w.confirmDialog());
        ui::ConfirmStartDialog* dialog = w.confirmDialog();
        if (!dialog)
            QFAIL("no confirmation");
        QCOMPARE(runCommand(QStringLiteral("losetup"), {QStringLiteral("-d"), node}).exitCode, 0);
        QVERIFY(attachAt(node, first));
        QSignalSpy failed(&controller, &ui::JobController::startFailed);
        dialog->startButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        const auto error = failed.front().front().value<engine::Error>();
        QVERIFY2(error.message.find("(rule: target identity)") != std::string::npos,
                 error.message.c_str());
        QCOMPARE(started.count(), 0);
        QVERIFY(testsupport::allocatedBytes(first) == 0); // nothing was written
    }

    void confirmation_partitionedLoopTarget_listsPartitions_refusesMistypedName()
    {
        if (!testsupport::isRoot())
            QSKIP("needs root: loop devices with partitions");
        ScratchDir dir;
        const QString source = dir.file(QStringLiteral("source.img"));
        const QString disk = dir.file(QStringLiteral("disk.img"));
        QVERIFY(testsupport::createSparse(source, 8 * kMiB));
        QVERIFY(testsupport::createSparse(disk, 48 * kMiB));
        const auto sf = runCommand(QStringLiteral("sfdisk"), {QStringLiteral("-q"), disk}, 60000,
                                   QByteArrayLiteral("label: gpt\nsize=16MiB\nsize=20MiB\n"));
        QVERIFY2(sf.exitCode == 0, qPrintable(sf.err));
        QString why;
        auto loop = testsupport::LoopDevice::attach(disk, &why, true);
        QVERIFY2(loop, qPrintable(why));
        const QString name = QFileInfo(loop->path()).fileName();
        const QString p1 = loop->path() + QStringLiteral("p1");
        const QString p2 = loop->path() + QStringLiteral("p2");
        QTRY_VERIFY(QFile::exists(p2));
        QCOMPARE(
            runCommand(QStringLiteral("mkfs.ext4"),
                       {QStringLiteral("-q"), QStringLiteral("-L"), QStringLiteral("Photos"), p1})
                .exitCode,
            0);
        QCOMPARE(runCommand(QStringLiteral("mkswap"),
                            {QStringLiteral("-L"), QStringLiteral("Spare"), p2})
                     .exitCode,
                 0);

        ui::DeviceListModel devices;
        QVERIFY(devices.startMonitoring());
        devices.refresh();
        ui::LocalJobController controller(engine::nullLogger());
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        select(w, devices, source, loop->path());
        if (QTest::currentTestFailed())
            return;
        QSignalSpy started(&controller, &ui::JobController::started);
        w.requestStart();
        QTRY_VERIFY_WITH_TIMEOUT(w.confirmDialog(), 10000);
        ui::ConfirmStartDialog* dialog = w.confirmDialog();
        if (!dialog)
            QFAIL("no confirmation");
        QVERIFY(dialog->target().requiresTypedName());
        QCOMPARE(dialog->target().name, name);
        QTreeWidget* parts = dialog->partitionList();
        QVERIFY(parts);
        QVERIFY(parts->isVisible());
        QCOMPARE(parts->topLevelItemCount(), 2);
        QCOMPARE(parts->topLevelItem(0)->text(0), name + QStringLiteral("p1"));
        QCOMPARE(parts->topLevelItem(0)->text(1), QStringLiteral("Photos"));
        QCOMPARE(parts->topLevelItem(0)->text(2), QStringLiteral("ext4"));
        QCOMPARE(parts->topLevelItem(0)->text(3), QStringLiteral("16.0 MiB"));
        QCOMPARE(parts->topLevelItem(1)->text(0), name + QStringLiteral("p2"));
        QCOMPARE(parts->topLevelItem(1)->text(1), QStringLiteral("Spare"));
        QCOMPARE(parts->topLevelItem(1)->text(2), QStringLiteral("swap"));
        QCOMPARE(parts->topLevelItem(1)->text(3), QStringLiteral("20.0 MiB"));

        for (const QString& wrong : {QString(), name + QStringLiteral("p1"), name.toUpper(),
                                     name.left(name.size() - 1), QStringLiteral("/dev/") + name}) {
            dialog->nameEdit()->setText(wrong);
            QVERIFY2(!dialog->startButton()->isEnabled(), qPrintable(wrong));
            dialog->accept();
            QVERIFY(dialog->isVisible());
        }
        QCOMPARE(started.count(), 0);
        QVERIFY(!controller.isActive());
        dialog->nameEdit()->setText(name);
        QVERIFY(dialog->startButton()->isEnabled());
        dialog->reject(); // nothing is overwritten in this test
        QTRY_VERIFY(!w.confirmDialog());
        QVERIFY(!controller.isActive());
    }

    void liveSource_mountedExt4_readyCompleteShowsFreezeWindow_fsckClean_data()
    {
        QTest::addColumn<bool>("helper");
        QTest::newRow("in process") << false;
        QTest::newRow("helper process") << true;
    }

    void liveSource_mountedExt4_readyCompleteShowsFreezeWindow_fsckClean()
    {
        QFETCH(bool, helper);
        if (!testsupport::isRoot())
            QSKIP("needs root: loop devices, mounts, kernel write tracking and FIFREEZE");
        ScratchDir dir;
        const QString img = dir.file(QStringLiteral("live.img"));
        const QString target = dir.file(QStringLiteral("copy.img"));
        QVERIFY(testsupport::createSparse(img, 64 * kMiB));
        QString why;
        auto loop = testsupport::LoopDevice::attach(img, &why);
        QVERIFY2(loop, qPrintable(why));
        QCOMPARE(
            runCommand(QStringLiteral("mkfs.ext4"), {QStringLiteral("-q"), loop->path()}).exitCode,
            0);
        const QString mnt = dir.file(QStringLiteral("mnt"));
        QVERIFY(QDir().mkpath(mnt));
        QCOMPARE(runCommand(QStringLiteral("mount"), {loop->path(), mnt}).exitCode, 0);
        auto unmount = qScopeGuard([&] { runCommand(QStringLiteral("umount"), {mnt}); });

        auto sink = std::make_shared<ui::LogSink>();
        const engine::Logger log = uitest::loggerFor(sink);
        ui::DeviceListModel devices;
        Controllers controllers(helper, log);
        devices.setDeviceAccess(controllers.access());
        ui::JobController& controller = controllers.get();
        QVERIFY(devices.startMonitoring());
        devices.refresh();
        ui::MainWindow w(devices, controller, log);
        w.logView()->setSink(sink);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        ui::JobSettings settings = w.settingsWidget()->settings();
        settings.verify = true;
        w.settingsWidget()->setSettings(settings);

        QTRY_VERIFY(devices.isIdle() && devices.entry(loop->path()));
        QVERIFY(w.sourcePane()->selectPath(loop->path()));
        // Labelled live in the list and in the window before anything starts.
        const QModelIndex state = w.sourcePane()->filterModel()->mapFromSource(
            devices.index(devices.rowOf(loop->path()), ui::DeviceListModel::MountColumn));
        QVERIFY(state.data().toString().startsWith(QStringLiteral("Live")));
        QVERIFY2(w.sourcePane()->note().contains(QStringLiteral("writes are tracked")) &&
                     w.sourcePane()->note().contains(mnt),
                 qPrintable(w.sourcePane()->note()));
        devices.addImages({target}, true);
        QTRY_VERIFY(devices.isIdle() && devices.entry(target));
        QVERIFY(w.targetPane()->selectPath(target));
        QVERIFY(w.chosenTargetId().isEmpty()); // a file has no disk identity

        FileWriter writer(mnt);
        QSignalSpy ready(&controller, &ui::JobController::ready);
        QSignalSpy finished(&controller, &ui::JobController::finished);
        // Copying slowly at first, in a window of a laptop's size: the note
        // about the freeze shares the controls row with no banner yet.
        w.resize(1326, 860);
        setSpeed(w, 16);
        w.requestStart();
        QTRY_VERIFY(w.confirmDialog());
        if (ui::ConfirmStartDialog* dialog = w.confirmDialog())
            dialog->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(controller.status() == JobStatus::Running, 20000);
        QTRY_VERIFY(w.completeNote()->isVisible());
        // Every line of it is shown, not cut off by the row below.
        QTRY_VERIFY2(
            w.completeNote()->height() >=
                w.completeNote()->heightForWidth(w.completeNote()->width()),
            qPrintable(QStringLiteral("%1 px for %2 px of text")
                           .arg(w.completeNote()->height())
                           .arg(w.completeNote()->heightForWidth(w.completeNote()->width()))));
        w.settingsWidget()->limitCheck()->setChecked(false);
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 40000);
        // The freeze is explained before Complete is pressed.
        QVERIFY(w.completeNote()->isVisible());
        QVERIFY2(w.completeNote()->text().contains(mnt), qPrintable(w.completeNote()->text()));
        QVERIFY(w.completeButton()->toolTip().contains(QStringLiteral("Freezes")));
        const int filesBefore = writer.files();
        QTRY_VERIFY_WITH_TIMEOUT(writer.files() > filesBefore + 10, 10000); // still writing
        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 40000);
        writer.stop();
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY2(o.outcome == engine::JobResult::Outcome::Completed, o.error.message.c_str());
        QVERIFY(o.liveSource);
        QCOMPARE(o.frozenMountPoints, QStringList{mnt});
        QVERIFY(o.verify && o.verify->identical);
        const QString banner = w.statusPanel()->bannerText();
        QVERIFY2(banner.contains(QStringLiteral("Freeze window: %1 was frozen for").arg(mnt)),
                 qPrintable(banner));
        QVERIFY(!w.completeNote()->isVisible());
        qInfo("freeze window %.3f s; %d files written during the job", o.quiesceSeconds,
              writer.files());
        QVERIFY(o.quiesceSeconds < 5);

        const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), target});
        QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
    }

    void demo_autostartAutocomplete_completesIdentical()
    {
        ScratchDir dir;
        ui::DeviceListModel devices;
        ui::LocalJobController controller(engine::nullLogger());
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        ui::DemoOptions options;
        options.dir = dir.path();
        options.size = 32 * kMiB;
        options.autostart = true;
        options.autocompleteSeconds = 0.5;
        options.quitAfterCompleteSeconds = 0;
        ui::DemoDriver driver(w, devices, controller, options, engine::nullLogger());
        QSignalSpy quit(&driver, &ui::DemoDriver::quitRequested);
        QSignalSpy finished(&controller, &ui::JobController::finished);
        QSignalSpy ready(&controller, &ui::JobController::ready);
        driver.begin();
        QTRY_VERIFY_WITH_TIMEOUT(quit.count() == 1, 45000);
        QCOMPARE(quit.front().front().toInt(), 0);
        QCOMPARE(ready.count(), 1);
        QCOMPARE(w.sourcePane()->currentPath(), driver.sourcePath());
        QCOMPARE(w.targetPane()->currentPath(), driver.targetPath());
        const auto outcome = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(outcome.outcome == engine::JobResult::Outcome::Completed);
        QVERIFY(outcome.verify && outcome.verify->identical);
        QVERIFY(testsupport::cmpIdentical(driver.sourcePath(), driver.targetPath()));
        // The target the job created is listed as the image it now is.
        QTRY_VERIFY(devices.entry(driver.targetPath()) &&
                    !devices.entry(driver.targetPath())->newImage);
        QCOMPARE(devices.entry(driver.targetPath())->size, 32 * kMiB);
        QCOMPARE(w.targetPane()->currentPath(), driver.targetPath());
        // The demo's choices were shown, not stored.
        QVERIFY(!QSettings().contains(QStringLiteral("job/verify")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
