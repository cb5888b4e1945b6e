// The main window driven like a user would: real image files, a real job
// through LocalJobController, and a fake controller to put the window in
// every job state.
#include "bridge/helper_protocol.h"
#include "bridge/local_job_controller.h"
#include "bridge/remote_job_controller.h"
#include "bridge/routing_job_controller.h"
#include "confirm_start_dialog.h"
#include "demo_driver.h"
#include "device_list_model.h"
#include "device_pane.h"
#include "dirty_map_widget.h"
#include "fake_job_controller.h"
#include "format.h"
#include "gui_test_support.h"
#include "job_settings_widget.h"
#include "log_view.h"
#include "main_window.h"
#include "status_panel.h"
#include "target_table.h"
#include "test_support.h"
#include "throughput_graph.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
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

// SHA-256 of a file's contents; empty when it cannot be read (or is absent).
QByteArray sha256(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&f))
        return {};
    return hash.result().toHex();
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

    // A click on @p path's row, as a user picks it; true when it is picked.
    bool clickRow(ui::DevicePane* pane, ui::DeviceListModel& devices, const QString& path)
    {
        const int row = devices.rowOf(path);
        if (row < 0)
            return false;
        const QModelIndex index = pane->filterModel()->mapFromSource(devices.index(row, 0));
        if (!index.isValid())
            return false;
        QTableView* view = pane->view();
        view->scrollTo(index);
        QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier,
                          view->visualRect(index).center());
        return pane->currentPath() == path;
    }

    // A click on the box itself (its indicator), not somewhere in its row.
    void clickCheckBox(QCheckBox* box)
    {
        QTest::mouseClick(box, Qt::LeftButton, Qt::NoModifier,
                          QPoint(box->height() / 2, box->height() / 2));
    }

    // Start clicked; the confirmation that opens, or nullptr.
    ui::ConfirmStartDialog* pressStart(ui::MainWindow& w)
    {
        if (!w.startButton()->isEnabled())
            return nullptr;
        QTest::mouseClick(w.startButton(), Qt::LeftButton);
        if (!QTest::qWaitFor([&] { return w.confirmDialog() != nullptr; }, 20000))
            return nullptr;
        return w.confirmDialog();
    }

    // The target the open confirmation is about; empty when none is open.
    static QString confirmingPath(const ui::MainWindow& w)
    {
        const ui::ConfirmStartDialog* dialog = w.confirmDialog();
        return dialog ? dialog->target().path : QString();
    }

    // The cancel question's button for the cancel with a final copy.
    QAbstractButton* consistentCancelButton(QMessageBox* box)
    {
        for (QAbstractButton* b : box->buttons())
            if (box->buttonRole(b) == QMessageBox::DestructiveRole &&
                b->objectName() != QLatin1String("cancelNow"))
                return b;
        return nullptr;
    }

    static QString labelTexts(QWidget* parent)
    {
        QStringList out;
        for (const QLabel* l : parent->findChildren<QLabel*>())
            out << l->text();
        return out.join(u'\n');
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

    void newQcow2Target_fromTheWindow_virtualDiskIdentical_data()
    {
        QTest::addColumn<bool>("helper");
        QTest::newRow("in process") << false;
        QTest::newRow("helper process") << true;
    }

    // A new target named .qcow2, chosen in the window as a user would: the
    // job writes the disk inside a qcow2 image (qemu-img says so), not a
    // raw file with that name, and that disk is the source's.
    void newQcow2Target_fromTheWindow_virtualDiskIdentical()
    {
        QFETCH(bool, helper);
        if (QStandardPaths::findExecutable(QStringLiteral("qemu-img")).isEmpty() ||
            QStandardPaths::findExecutable(QStringLiteral("qemu-nbd")).isEmpty())
            QSKIP("qemu-img and qemu-nbd are not installed (package qemu-utils)");
        ScratchDir dir;
        QString source, unused;
        QVERIFY(makeImages(dir, 32 * kMiB, source, unused));
        const QString target = dir.file(QStringLiteral("new.qcow2"));

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
        devices.addImages({source});
        devices.addImages({target}, true);
        QTRY_VERIFY(devices.isIdle() && devices.entry(source) && devices.entry(target));
        QVERIFY(w.sourcePane()->selectPath(source));
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(w.targetPane()->selectPath(target));

        QSignalSpy ready(&controller, &ui::JobController::ready);
        QSignalSpy finished(&controller, &ui::JobController::finished);
        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QVERIFY(dialog->target().newFile);
        dialog->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 40000);
        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 40000);
        const auto outcome = finished.front().front().value<ui::JobOutcome>();
        QVERIFY2(outcome.outcome == engine::JobResult::Outcome::Completed,
                 outcome.error.message.c_str());

        const auto info =
            runCommand(QStringLiteral("qemu-img"),
                       {QStringLiteral("info"), QStringLiteral("--output=json"), target});
        QCOMPARE(info.exitCode, 0);
        QVERIFY2(info.out.contains(QStringLiteral("\"format\": \"qcow2\"")), qPrintable(info.out));
        QVERIFY2(info.out.contains(QStringLiteral("\"virtual-size\": %1").arg(32 * kMiB)),
                 qPrintable(info.out));
        const auto compare =
            runCommand(QStringLiteral("qemu-img"),
                       {QStringLiteral("compare"), QStringLiteral("-f"), QStringLiteral("raw"),
                        QStringLiteral("-F"), QStringLiteral("qcow2"), source, target});
        QVERIFY2(compare.exitCode == 0, qPrintable(compare.out + compare.err));
    }

    void severalTargets_eachConfirmed_rowPerTarget_allIdentical_data()
    {
        QTest::addColumn<bool>("helper");
        QTest::newRow("in process") << false;
        QTest::newRow("helper process") << true;
    }

    // Three image targets picked together: each gets its own confirmation,
    // one job copies to all, a row per target follows each, the rows pick
    // the dirty map shown, and Complete leaves all three identical.
    void severalTargets_eachConfirmed_rowPerTarget_allIdentical()
    {
        QFETCH(bool, helper);
        ScratchDir dir;
        QString source, first;
        QVERIFY(makeImages(dir, 32 * kMiB, source, first));
        QStringList targets{first};
        for (const char* name : {"second.img", "third.img"}) {
            const QString t = dir.file(QString::fromLatin1(name));
            QVERIFY(testsupport::createSparse(t, 32 * kMiB) &&
                    testsupport::writePattern(t, 0, 32 * kMiB, 5));
            targets << t;
        }
        targets.sort();

        auto sink = std::make_shared<ui::LogSink>();
        const engine::Logger log = uitest::loggerFor(sink);
        ui::DeviceListModel devices;
        Controllers controllers(helper, log);
        devices.setDeviceAccess(controllers.access());
        ui::JobController& controller = controllers.get();
        ui::MainWindow w(devices, controller, log);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        devices.addImages(QStringList{source} + targets);
        QTRY_VERIFY(devices.isIdle() && devices.entry(targets.back()));
        QVERIFY(w.sourcePane()->selectPath(source));
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(w.targetPane()->selectPaths(targets));
        QCOMPARE(w.targetPane()->currentPaths(), targets);
        QVERIFY(w.startButton()->isEnabled());

        QSignalSpy ready(&controller, &ui::JobController::ready);
        QSignalSpy finished(&controller, &ui::JobController::finished);
        QTest::mouseClick(w.startButton(), Qt::LeftButton);
        // One confirmation per target, in turn; each names its own.
        for (int i = 0; i < targets.size(); ++i) {
            QTRY_COMPARE(confirmingPath(w), targets[i]);
            ui::ConfirmStartDialog* dialog = w.confirmDialog();
            QVERIFY2(dialog->windowTitle().contains(QStringLiteral("Target %1 of 3").arg(i + 1)),
                     qPrintable(dialog->windowTitle()));
            QVERIFY(!controller.isActive());
            dialog->startButton()->click();
        }
        QTRY_VERIFY(controller.isActive());
        QVERIFY(w.targetTable()->isVisible());
        QCOMPARE(w.targetTable()->rowCount(), 3);
        for (int row = 0; row < 3; ++row)
            QCOMPARE(w.targetTable()->item(row, ui::TargetTable::PathColumn)->text(), targets[row]);

        QTRY_VERIFY_WITH_TIMEOUT(ready.count() >= 1, 60000);
        QVERIFY(controller.status() == JobStatus::Ready);
        QCOMPARE(controller.targets().size(), std::size_t{3});
        for (const ui::TargetState& t : controller.targets())
            QVERIFY(t.status == JobStatus::Ready && t.snapshot && t.snapshot->readyReached);
        QTRY_COMPARE(w.targetTable()->item(2, ui::TargetTable::CopiedColumn)->text(),
                     ui::Format::percent(1.0));
        // The third row picked: its map is the one shown.
        QSignalSpy maps(&controller, &ui::JobController::dirtyMapChanged);
        w.targetTable()->selectRow(2);
        QCOMPARE(controller.shownTarget(), 2);
        QVERIFY(maps.count() >= 1);
        QTRY_VERIFY(w.dirtyMap()->map() != nullptr);
        QVERIFY(w.completeButton()->isEnabled());

        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
        const auto outcome = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(outcome.outcome == engine::JobResult::Outcome::Completed);
        QCOMPARE(outcome.targets.size(), std::size_t{3});
        for (int i = 0; i < 3; ++i) {
            const ui::JobOutcome& t = outcome.targets[static_cast<std::size_t>(i)];
            QCOMPARE(t.target, targets[i]);
            QVERIFY(t.outcome == engine::JobResult::Outcome::Completed);
            QVERIFY2(testsupport::cmpIdentical(source, targets[i]), qPrintable(targets[i]));
            QCOMPARE(w.targetTable()->item(i, ui::TargetTable::ResultColumn)->text(),
                     ui::TargetTable::resultText(t));
        }
        QVERIFY2(w.statusPanel()->bannerText().contains(QStringLiteral("3 targets identical")),
                 qPrintable(w.statusPanel()->bannerText()));
        QVERIFY(w.startButton()->isEnabled());
    }

    // Several targets picked: when one of them goes, the whole pick goes
    // (a Start must never take fewer targets than the user saw picked).
    void selection_severalTargets_oneRemoved_wholeSelectionCleared()
    {
        ScratchDir dir;
        const QString source = dir.file(QStringLiteral("source.img"));
        QStringList targets;
        QVERIFY(testsupport::createSparse(source, 16 * kMiB));
        for (const char* name : {"a.img", "b.img", "c.img"}) {
            targets << dir.file(QString::fromLatin1(name));
            QVERIFY(testsupport::createSparse(targets.back(), 16 * kMiB));
        }
        ui::DeviceListModel devices;
        FakeJobController controller;
        controller.inspection.facts.exists = true;
        controller.inspection.facts.size = 16 * kMiB;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        devices.addImages(QStringList{source} + targets);
        QTRY_VERIFY(devices.isIdle() && devices.entry(targets.back()));
        QVERIFY(clickRow(w.sourcePane(), devices, source));
        QTRY_VERIFY(devices.isIdle());
        // Ctrl-click adds rows, as users pick several.
        QVERIFY(clickRow(w.targetPane(), devices, targets[0]));
        QTableView* view = w.targetPane()->view();
        for (int i : {1, 2}) {
            const QModelIndex index = w.targetPane()->filterModel()->mapFromSource(
                devices.index(devices.rowOf(targets[i]), 0));
            QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::ControlModifier,
                              view->visualRect(index).center());
        }
        QCOMPARE(w.targetPane()->currentPaths(), targets);
        QVERIFY(w.startButton()->isEnabled());

        QVERIFY(QFile::remove(targets[1]));
        devices.refresh();
        QTRY_VERIFY(devices.isIdle() && devices.rowOf(targets[1]) < 0);
        QVERIFY(w.targetPane()->currentPaths().isEmpty());
        QVERIFY(!view->selectionModel()->hasSelection());
        QVERIFY(!w.startButton()->isEnabled());
        w.requestStart();
        QVERIFY(controller.calls.isEmpty());
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
        QVERIFY(controller.lastRequest.targets.value(0).overwriteConfirmed);
        QCOMPARE(controller.lastRequest.targets.value(0).path, target);
    }

    // Several targets that hold data: each name is typed in its own
    // confirmation (one typed name never counts for another), and declining
    // any of them starts nothing.
    void severalTargets_eachTypedOnItsOwn_oneDeclined_nothingStarts()
    {
        ScratchDir dir;
        const QString source = dir.file(QStringLiteral("source.img"));
        const QString a = dir.file(QStringLiteral("a.img"));
        const QString b = dir.file(QStringLiteral("b.img"));
        for (const QString& f : {source, a, b})
            QVERIFY(testsupport::createSparse(f, 16 * kMiB));
        ui::DeviceListModel devices;
        FakeJobController controller;
        controller.inspection.facts.exists = true;
        controller.inspection.facts.blockDevice = true;
        controller.inspection.facts.size = 16 * kMiB;
        controller.inspection.facts.signatureReadable = true;
        controller.inspection.facts.dataSignature = "an ext2/3/4 file system";
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        devices.addImages({source, a, b});
        QTRY_VERIFY(devices.isIdle() && devices.entry(b));
        QVERIFY(w.sourcePane()->selectPath(source));
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(w.targetPane()->selectPaths({a, b}));

        w.requestStart();
        QTRY_COMPARE(confirmingPath(w), a);
        QCOMPARE(controller.calls.count(QStringLiteral("inspect")), 2);
        ui::ConfirmStartDialog* first = w.confirmDialog();
        if (!first)
            QFAIL("no confirmation");
        QVERIFY(first->target().requiresTypedName());
        QTest::keyClicks(first->nameEdit(), QStringLiteral("a.img"));
        first->startButton()->click();
        QTRY_COMPARE(confirmingPath(w), b);
        ui::ConfirmStartDialog* second = w.confirmDialog();
        if (!second)
            QFAIL("no second confirmation");
        QVERIFY(second->nameEdit()->text().isEmpty());
        QVERIFY(!second->startButton()->isEnabled());
        QTest::keyClicks(second->nameEdit(), QStringLiteral("a.img"));
        QVERIFY(!second->startButton()->isEnabled());
        second->reject();
        QTRY_VERIFY(!w.confirmDialog());
        QVERIFY(!controller.calls.contains(QStringLiteral("start")));
        QVERIFY(w.startButton()->isEnabled());

        w.requestStart();
        for (const QString& t : {a, b}) {
            QTRY_COMPARE(confirmingPath(w), t);
            ui::ConfirmStartDialog* dialog = w.confirmDialog();
            if (!dialog)
                QFAIL("no confirmation");
            QTest::keyClicks(dialog->nameEdit(), QFileInfo(t).fileName());
            QVERIFY(dialog->startButton()->isEnabled());
            dialog->startButton()->click();
        }
        QCOMPARE(controller.calls.count(QStringLiteral("start")), 1);
        QCOMPARE(controller.lastRequest.targets.size(), 2);
        for (int i = 0; i < 2; ++i) {
            QCOMPARE(controller.lastRequest.targets[i].path, (QStringList{a, b})[i]);
            QVERIFY(controller.lastRequest.targets[i].overwriteConfirmed);
        }
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
        // Same path, another disk: the pick is gone, nothing is offered.
        QTRY_VERIFY(w.targetPane()->currentPath().isEmpty());
        QVERIFY(!w.targetPane()->view()->selectionModel()->hasSelection());
        QVERIFY(!w.startButton()->isEnabled());
        QSignalSpy started(&controller, &ui::JobController::started);
        QSignalSpy inspected(&controller, &ui::JobController::targetInspected);
        w.requestStart();
        QTest::qWait(200);
        QCOMPARE(inspected.count(), 0);
        QVERIFY(!w.confirmDialog());

        // Chosen again and swapped right before Start, faster than the list
        // learns of it: the check refuses by identity, or the start ends
        // when the list catches up. Either way nothing is confirmed.
        QVERIFY(w.targetPane()->selectPath(node));
        QCOMPARE(w.chosenTargetId(), devices.entry(node)->stableId);
        QCOMPARE(runCommand(QStringLiteral("losetup"), {QStringLiteral("-d"), node}).exitCode, 0);
        QVERIFY(attachAt(node, first));
        w.requestStart();
        QMessageBox* box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (box = w.findChild<QMessageBox*>(QStringLiteral("errorDialog"))) ||
                w.statusPanel()->bannerText().contains(QStringLiteral("Not started")),
            10000);
        if (box) {
            QVERIFY2(box->detailedText().contains(QStringLiteral("(rule: target identity)")),
                     qPrintable(box->detailedText()));
            QVERIFY(box->text().contains(QStringLiteral("no longer the disk")));
            box->close();
            QTRY_VERIFY(!w.findChild<QMessageBox*>(QStringLiteral("errorDialog")));
        }
        QVERIFY(!w.confirmDialog());
        QTRY_VERIFY(devices.isIdle() && w.targetPane()->currentPath().isEmpty());

        // Chosen again, then swapped while the confirmation is open: the
        // engine's own check at start refuses it.
        QVERIFY(w.targetPane()->selectPath(node));
        const QString rechosen = w.chosenTargetId();
        QCOMPARE(rechosen, devices.entry(node)->stableId);
        w.requestStart();
        QTRY_VERIFY(w.confirmDialog());
        ui::ConfirmStartDialog* dialog = w.confirmDialog();
        if (!dialog)
            QFAIL("no confirmation");
        QCOMPARE(runCommand(QStringLiteral("losetup"), {QStringLiteral("-d"), node}).exitCode, 0);
        QVERIFY(attachAt(node, second));
        QSignalSpy failed(&controller, &ui::JobController::startFailed);
        dialog->startButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        const auto error = failed.front().front().value<engine::Error>();
        QVERIFY2(error.message.find("(rule: target identity)") != std::string::npos,
                 error.message.c_str());
        QCOMPARE(started.count(), 0);
        // Nothing was written to either file.
        QCOMPARE(testsupport::allocatedBytes(first), std::uint64_t(0));
        QCOMPARE(testsupport::allocatedBytes(second), std::uint64_t(0));
    }

    void boundImageTarget_requestCarriesTheInspectedIdentity()
    {
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        ui::DeviceListModel devices;
        FakeJobController controller;
        controller.inspection.facts.exists = true;
        controller.inspection.facts.size = 16 * kMiB;
        controller.inspection.facts.identity = "file:259:3:4242:16777216";
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;
        // A file has no disk identity to ask the inspection about ...
        QVERIFY(w.chosenTargetId().isEmpty());
        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        dialog->startButton()->click();
        QTRY_VERIFY(controller.calls.contains(QStringLiteral("start")));
        // ... so the job is bound to the file the confirmation described.
        QCOMPARE(controller.lastRequest.targets.value(0).expectedId,
                 QStringLiteral("file:259:3:4242:16777216"));
        controller.finish(engine::JobResult::Outcome::Completed);

        // A new file: bound to its absence.
        controller.inspection.facts = {};
        controller.inspection.facts.identity = std::string(engine::kAbsentTargetId);
        controller.calls.clear();
        dialog = pressStart(w);
        QVERIFY(dialog);
        QVERIFY(dialog->target().newFile);
        dialog->startButton()->click();
        QTRY_VERIFY(controller.calls.contains(QStringLiteral("start")));
        QCOMPARE(controller.lastRequest.targets.value(0).expectedId, QStringLiteral("absent"));
    }

    void boundImageTarget_changedBehindTheWindow_jobRefuses_data()
    {
        QTest::addColumn<bool>("helper");
        QTest::addColumn<QString>("change");
        for (const char* change : {"replaced", "truncated", "appeared"}) {
            QTest::addRow("%s, in process", change) << false << QString::fromLatin1(change);
            QTest::addRow("%s, helper process", change) << true << QString::fromLatin1(change);
        }
    }

    // The job is bound to the image file the confirmation showed. Changed
    // behind the window's back while the confirmation is open (another file
    // put under its name, the file truncated, or a file created where the
    // job was to create one), the job refuses when it opens the target, in
    // this process and in the helper, and nothing there is written.
    void boundImageTarget_changedBehindTheWindow_jobRefuses()
    {
        QFETCH(bool, helper);
        QFETCH(QString, change);
        ScratchDir dir;
        const QString source = dir.file(QStringLiteral("source.img"));
        const QString target = dir.file(QStringLiteral("target.img"));
        const QString confirmed = dir.file(QStringLiteral("confirmed.img"));
        QVERIFY(testsupport::createSparse(source, 8 * kMiB));
        QVERIFY(testsupport::writePattern(source, 0, 8 * kMiB, 61));
        const bool appears = change == QLatin1String("appeared");
        if (!appears) {
            // Larger than the source, so that it stays a fit target when truncated.
            QVERIFY(testsupport::createSparse(target, 16 * kMiB));
            QVERIFY(testsupport::writePattern(target, 0, 16 * kMiB, 62));
        }

        auto sink = std::make_shared<ui::LogSink>();
        const engine::Logger log = uitest::loggerFor(sink);
        ui::DeviceListModel devices;
        Controllers controllers(helper, log);
        devices.setDeviceAccess(controllers.access());
        ui::JobController& controller = controllers.get();
        ui::MainWindow w(devices, controller, log);
        w.logView()->setSink(sink);
        w.show();
        devices.addImages({source});
        QTRY_VERIFY(devices.isIdle() && devices.entry(source));
        QVERIFY(w.sourcePane()->selectPath(source));
        devices.addImages({target}, appears);
        QTRY_VERIFY(devices.isIdle() && devices.entry(target));
        QVERIFY(w.targetPane()->selectPath(target));

        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QCOMPARE(dialog->target().newFile, appears);

        QString expected;
        if (change == QLatin1String("replaced")) {
            const QString other = dir.file(QStringLiteral("other.img"));
            QVERIFY(testsupport::createSparse(other, 16 * kMiB));
            QVERIFY(testsupport::writePattern(other, 0, 16 * kMiB, 63));
            QVERIFY(QFile::rename(target, confirmed));
            QVERIFY(QFile::rename(other, target));
            expected = QStringLiteral("it is another file now");
        } else if (change == QLatin1String("truncated")) {
            QCOMPARE(::truncate(QFile::encodeName(target).constData(), 12 * kMiB), 0);
            expected = QStringLiteral("it was truncated from 16777216 to 12582912 bytes");
        } else {
            QVERIFY(testsupport::createSparse(target, 16 * kMiB));
            QVERIFY(testsupport::writePattern(target, 0, 16 * kMiB, 64));
            expected = QStringLiteral("a file appeared at %1").arg(target);
        }
        const QByteArray atTarget = sha256(target);
        const QByteArray atConfirmed = sha256(confirmed);
        QVERIFY(!atTarget.isEmpty());

        QSignalSpy failed(&controller, &ui::JobController::startFailed);
        QSignalSpy started(&controller, &ui::JobController::started);
        dialog->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() + started.count() > 0, 30000);
        if (!started.isEmpty()) {
            controller.cancel(true);
            QTRY_VERIFY_WITH_TIMEOUT(!controller.isActive(), 30000);
            QFAIL("the job started on a target that is not the one confirmed");
        }
        const auto error = failed.front().front().value<engine::Error>();
        const QString message = QString::fromStdString(error.message);
        QVERIFY2(message.contains(QStringLiteral("(rule: target identity)")) &&
                     message.contains(expected),
                 qPrintable(message));
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = w.findChild<QMessageBox*>(QStringLiteral("errorDialog"))));
        QVERIFY2(box->text().contains(QStringLiteral("no longer the one you confirmed")),
                 qPrintable(box->text()));
        QTRY_VERIFY(!controller.isActive());
        QVERIFY(w.startButton()->isEnabled());

        // Nothing written: not the file under the name now, not the one
        // that was confirmed.
        QCOMPARE(sha256(target), atTarget);
        QCOMPARE(sha256(confirmed), atConfirmed);
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
        engine::JobOptions settings = w.settingsWidget()->settings();
        settings.verify = true;
        settings.maxFreezeSeconds = 2.5;
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
        // The freeze was bounded by the window's setting, in the engine itself.
        QVERIFY2(w.logView()->text().contains(QStringLiteral("(at most 2.5 s)")),
                 qPrintable(w.logView()->text()));
        qInfo("freeze window %.3f s; %d files written during the job", o.quiesceSeconds,
              writer.files());
        QVERIFY(o.quiesceSeconds < 5);

        const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), target});
        QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
    }

    void settings_maxFreezeReconnectAndWipeRest_storedAndPassedToTheJob()
    {
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        ui::DeviceListModel devices;
        FakeJobController controller;
        controller.inspection.facts.exists = true;
        controller.inspection.facts.size = 16 * kMiB;
        {
            ui::MainWindow w(devices, controller, engine::nullLogger());
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));
            ui::JobSettingsWidget* s = w.settingsWidget();
            QVERIFY(s->maxFreezeSpin()->isVisible());
            QVERIFY(s->reconnectSpin()->isVisible());
            QVERIFY(s->wipeRestCheck()->isVisible());
            QCOMPARE(s->maxFreezeSpin()->value(), engine::kDefaultMaxFreezeSeconds);
            QCOMPARE(s->reconnectSpin()->value(), int(engine::kDefaultReconnectSeconds));
            QVERIFY(!s->reconnectSpin()->toolTip().isEmpty());
            QVERIFY(!s->wipeRestCheck()->isChecked());
            // Typed and clicked, as a user would.
            QTest::keyClick(s->maxFreezeSpin(), Qt::Key_A, Qt::ControlModifier);
            QTest::keyClicks(s->maxFreezeSpin(), QStringLiteral("2.5"));
            QTest::keyClick(s->maxFreezeSpin(), Qt::Key_Return);
            QCOMPARE(s->maxFreezeSpin()->value(), 2.5);
            // 0 is a choice of its own, and says what it means.
            s->reconnectSpin()->setValue(0);
            QCOMPARE(s->reconnectSpin()->text(), QStringLiteral("fail at once"));
            QCOMPARE(s->settings().reconnectSeconds, 0u);
            QTest::keyClick(s->reconnectSpin(), Qt::Key_A, Qt::ControlModifier);
            QTest::keyClicks(s->reconnectSpin(), QStringLiteral("7"));
            QTest::keyClick(s->reconnectSpin(), Qt::Key_Return);
            QCOMPARE(s->reconnectSpin()->value(), 7);
            clickCheckBox(s->wipeRestCheck());
            QVERIFY(s->wipeRestCheck()->isChecked());
        }
        QSettings stored;
        QCOMPARE(stored.value(QStringLiteral("job/maxFreezeSeconds")).toDouble(), 2.5);
        QCOMPARE(stored.value(QStringLiteral("job/reconnectSeconds")).toUInt(), 7u);
        QVERIFY(stored.value(QStringLiteral("job/wipeRest")).toBool());

        // The next session shows them and starts the job with them.
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        QCOMPARE(w.settingsWidget()->maxFreezeSpin()->value(), 2.5);
        QCOMPARE(w.settingsWidget()->reconnectSpin()->value(), 7);
        QVERIFY(w.settingsWidget()->wipeRestCheck()->isChecked());
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;
        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        QCOMPARE(controller.calls.count(QStringLiteral("start")), 1);
        const engine::JobOptions& sent = controller.lastRequest.settings;
        QCOMPARE(sent.maxFreezeSeconds, 2.5);
        QCOMPARE(sent.reconnectSeconds, 7u);
        QVERIFY(sent.wipeRest);
        const QStringList args = ui::mirrorArguments(controller.lastRequest, 1024);
        QVERIFY(args.contains(QStringLiteral("--max-freeze")));
        QCOMPARE(args.at(args.indexOf(QStringLiteral("--max-freeze")) + 1), QStringLiteral("2.5"));
        QVERIFY(args.contains(QStringLiteral("--wipe-rest")));
        QVERIFY(args.contains(QStringLiteral("--reconnect-timeout")));
        QCOMPARE(args.at(args.indexOf(QStringLiteral("--reconnect-timeout")) + 1),
                 QStringLiteral("7"));
        // Fixed for the running job.
        QVERIFY(!w.settingsWidget()->maxFreezeSpin()->isEnabled());
        QVERIFY(!w.settingsWidget()->reconnectSpin()->isEnabled());
        QVERIFY(!w.settingsWidget()->wipeRestCheck()->isEnabled());
        controller.finish(engine::JobResult::Outcome::Cancelled);
        QVERIFY(w.settingsWidget()->maxFreezeSpin()->isEnabled());
        QVERIFY(w.settingsWidget()->reconnectSpin()->isEnabled());

        // A stored value the engine would refuse does not make every start fail.
        for (const QVariant& bad :
             {QVariant(0.01), QVariant(7200.0), QVariant(QStringLiteral("x"))}) {
            stored.setValue(QStringLiteral("job/maxFreezeSeconds"), bad);
            QCOMPARE(ui::loadJobOptions(stored).maxFreezeSeconds, engine::kDefaultMaxFreezeSeconds);
        }
        for (const QVariant& bad : {QVariant(engine::kMaxReconnectSeconds + 1), QVariant(-1),
                                    QVariant(-1.0), QVariant(QStringLiteral("-5")),
                                    QVariant(QStringLiteral("2.5")), QVariant(QStringLiteral("x")),
                                    // wraps around to 86400 if read as unsigned
                                    QVariant(QStringLiteral("-4294880896"))}) {
            stored.setValue(QStringLiteral("job/reconnectSeconds"), bad);
            QCOMPARE(ui::loadJobOptions(stored).reconnectSeconds, engine::kDefaultReconnectSeconds);
        }
        // Unlike a bad value, 0 is kept: it asks to fail at once.
        stored.setValue(QStringLiteral("job/reconnectSeconds"), 0);
        QCOMPARE(ui::loadJobOptions(stored).reconnectSeconds, 0u);
        stored.setValue(QStringLiteral("job/reconnectSeconds"), engine::kMaxReconnectSeconds);
        QCOMPARE(ui::loadJobOptions(stored).reconnectSeconds, engine::kMaxReconnectSeconds);
    }

    void largerTarget_confirmationAndOutcomeSayWhatLiesPastTheSource_data()
    {
        QTest::addColumn<bool>("helper");
        QTest::addColumn<bool>("wipe");
        QTest::newRow("in process, kept") << false << false;
        QTest::newRow("in process, cleared") << false << true;
        QTest::newRow("helper process, kept") << true << false;
        QTest::newRow("helper process, cleared") << true << true;
    }

    void largerTarget_confirmationAndOutcomeSayWhatLiesPastTheSource()
    {
        QFETCH(bool, helper);
        QFETCH(bool, wipe);
        ScratchDir dir;
        const QString source = dir.file(QStringLiteral("source.img"));
        const QString target = dir.file(QStringLiteral("stick.img"));
        QVERIFY(testsupport::createSparse(source, 16 * kMiB));
        QVERIFY(testsupport::writePattern(source, 0, 16 * kMiB, 21));
        QVERIFY(testsupport::createSparse(target, 32 * kMiB));
        QVERIFY(testsupport::writePattern(target, 0, 32 * kMiB, 22));
        const QByteArray marker = QByteArrayLiteral("CUSTOMER-SECRET-DATA");
        const qint64 markerAt = 24 * kMiB;
        {
            QFile f(target);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.seek(markerAt));
            QCOMPARE(f.write(marker), qint64(marker.size()));
        }

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
        clickCheckBox(w.settingsWidget()->verifyCheck());
        if (wipe)
            clickCheckBox(w.settingsWidget()->wipeRestCheck());
        QCOMPARE(w.settingsWidget()->settings().wipeRest, wipe);
        QVERIFY(w.settingsWidget()->settings().verify);
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;

        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QCOMPARE(dialog->target().pastEndBytes(), 16 * kMiB);
        QVERIFY(dialog->pastEndLabel());
        const QString said = dialog->pastEndLabel()->text();
        QVERIFY2(said.contains(ui::Format::bytes(16 * kMiB)), qPrintable(said));
        QVERIFY2(said.contains(wipe ? QStringLiteral("cleared")
                                    : QStringLiteral("kept as they are and not compared")),
                 qPrintable(said));
        // "Everything will be overwritten" only where it is true.
        QCOMPARE(labelTexts(dialog).contains(QStringLiteral("Everything on this target")), wipe);

        QSignalSpy ready(&controller, &ui::JobController::ready);
        QSignalSpy finished(&controller, &ui::JobController::finished);
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 40000);
        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 40000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY2(o.outcome == engine::JobResult::Outcome::Completed, o.error.message.c_str());
        QCOMPARE(o.pastEndBytes, 16 * kMiB);
        QCOMPARE(o.pastEndWiped, wipe);
        QVERIFY(o.verify && o.verify->identical);
        QCOMPARE(o.verify->pastEndZero, wipe);
        QVERIFY(!o.targetCreated);

        const QString banner = w.statusPanel()->bannerText();
        QVERIFY2(banner.contains(QStringLiteral("Verification compared")), qPrintable(banner));
        QVERIFY2(banner.contains(wipe ? QStringLiteral("past the source's end were cleared and "
                                                       "read back as zeroes")
                                      : QStringLiteral("past the source's end were kept as they "
                                                       "were and not compared")),
                 qPrintable(banner));
        QVERIFY2(banner.contains(ui::Format::bytes(16 * kMiB)), qPrintable(banner));

        QVERIFY(testsupport::cmpIdenticalPrefix(source, target, 16 * kMiB));
        QFile f(target);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.seek(markerAt));
        const QByteArray there = f.read(marker.size());
        if (wipe)
            QCOMPARE(there, QByteArray(marker.size(), '\0'));
        else
            QCOMPARE(there, marker);
    }

    void completeFailed_backToReady_completeOfferedAgain()
    {
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        auto sink = std::make_shared<ui::LogSink>();
        const engine::Logger log = uitest::loggerFor(sink);
        ui::DeviceListModel devices;
        FakeJobController controller;
        ui::MainWindow w(devices, controller, log);
        w.logView()->setSink(sink);
        w.show();
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;
        controller.active = true;
        controller.setStatus(JobStatus::Ready);
        QVERIFY(w.completeButton()->isEnabled());
        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QCOMPARE(controller.calls.count(QStringLiteral("complete")), 1);
        QVERIFY(!w.completeButton()->isEnabled());

        const QString why = QStringLiteral("the final copy did not finish within the maximum "
                                           "freeze of 10 s, so the source was let go");
        controller.failComplete(why);
        QVERIFY(w.completeButton()->isEnabled());
        QVERIFY(w.cancelButton()->isEnabled());
        QVERIFY(w.pauseButton()->isEnabled());
        const QString banner = w.statusPanel()->bannerText();
        QVERIFY2(banner.contains(QStringLiteral("Complete failed")), qPrintable(banner));
        QVERIFY2(banner.contains(why), qPrintable(banner));
        QVERIFY2(banner.contains(QStringLiteral("maximum freeze in the settings")),
                 qPrintable(banner));
        QTRY_VERIFY2(w.logView()->text().contains(why), qPrintable(w.logView()->text()));
        QVERIFY(w.statusPanel()->stateIcon() == ui::StatusPanel::StateIcon::Ready);

        // Tried again from the same button.
        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QCOMPARE(controller.calls.count(QStringLiteral("complete")), 2);
        QVERIFY(!w.completeButton()->isEnabled());
    }

    void liveSource_cannotFreeze_completeFailsThenSucceedsWhenRetried_data()
    {
        QTest::addColumn<bool>("helper");
        QTest::newRow("in process") << false;
        QTest::newRow("helper process") << true;
    }

    void liveSource_cannotFreeze_completeFailsThenSucceedsWhenRetried()
    {
        QFETCH(bool, helper);
        if (!testsupport::isRoot())
            QSKIP("needs root: loop devices, mounts, kernel write tracking and FIFREEZE");
        ScratchDir dir;
        const QString img = dir.file(QStringLiteral("live.img"));
        const QString target = dir.file(QStringLiteral("copy.img"));
        QVERIFY(testsupport::createSparse(img, 32 * kMiB));
        QString why;
        auto loop = testsupport::LoopDevice::attach(img, &why);
        QVERIFY2(loop, qPrintable(why));
        QCOMPARE(
            runCommand(QStringLiteral("mkfs.ext4"), {QStringLiteral("-q"), loop->path()}).exitCode,
            0);
        const QString mnt = dir.file(QStringLiteral("mnt"));
        QVERIFY(QDir().mkpath(mnt));
        QCOMPARE(runCommand(QStringLiteral("mount"), {loop->path(), mnt}).exitCode, 0);
        auto unmount = qScopeGuard([&] {
            runCommand(QStringLiteral("fsfreeze"), {QStringLiteral("-u"), mnt});
            runCommand(QStringLiteral("umount"), {mnt});
        });

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
        QTRY_VERIFY(devices.isIdle() && devices.entry(loop->path()));
        QVERIFY(w.sourcePane()->selectPath(loop->path()));
        devices.addImages({target}, true);
        QTRY_VERIFY(devices.isIdle() && devices.entry(target));
        QVERIFY(w.targetPane()->selectPath(target));

        QSignalSpy ready(&controller, &ui::JobController::ready);
        QSignalSpy failedComplete(&controller, &ui::JobController::completeFailed);
        QSignalSpy finished(&controller, &ui::JobController::finished);
        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 40000);

        // Another program holds the file system frozen: the job cannot
        // freeze it for its final copy, and says so.
        QCOMPARE(runCommand(QStringLiteral("fsfreeze"), {QStringLiteral("-f"), mnt}).exitCode, 0);
        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(failedComplete.count(), 1, 20000);
        const QString reason = failedComplete.front().front().toString();
        QVERIFY2(reason.contains(QStringLiteral("frozen already")), qPrintable(reason));
        QTRY_VERIFY(w.completeButton()->isEnabled());
        QVERIFY(controller.status() == JobStatus::Ready);
        QVERIFY(controller.isActive());
        QVERIFY(finished.isEmpty());
        const QString banner = w.statusPanel()->bannerText();
        QVERIFY2(banner.contains(QStringLiteral("Complete failed")), qPrintable(banner));
        QVERIFY2(banner.contains(reason.toHtmlEscaped()), qPrintable(banner));
        QVERIFY2(w.logView()->text().contains(QStringLiteral("complete failed")),
                 qPrintable(w.logView()->text()));

        // Let go, and tried again from the same button: it completes.
        QCOMPARE(runCommand(QStringLiteral("fsfreeze"), {QStringLiteral("-u"), mnt}).exitCode, 0);
        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 40000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY2(o.outcome == engine::JobResult::Outcome::Completed, o.error.message.c_str());
        QCOMPARE(failedComplete.count(), 1);
        QVERIFY(w.statusPanel()->bannerText().contains(QStringLiteral("Completed")));
        const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), target});
        QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
    }

    void cancelAfterReady_imageSource_finalCopyAndNoQuickChoice()
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
        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        controller.setStatus(JobStatus::Ready);
        QTest::mouseClick(w.cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(w.questionBox());
        QMessageBox* box = w.questionBox();
        const QString text = box->informativeText();
        QVERIFY2(text.contains(QStringLiteral("final copy")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("consistent copy")), qPrintable(text));
        // Nothing else writes to an image file: no second kind of cancel.
        QVERIFY(!box->findChild<QAbstractButton*>(QStringLiteral("cancelNow")));
        QVERIFY(!text.contains(QStringLiteral("power cut")));
        consistentCancelButton(box)->click();
        QCOMPARE(controller.calls.filter(QStringLiteral("cancel")),
                 QStringList{QStringLiteral("cancel")});
        controller.nextOutcome.quiesceSeconds = 0.002;
        controller.finish(engine::JobResult::Outcome::Cancelled);
        const QString banner = w.statusPanel()->bannerText();
        QVERIFY2(banner.contains(QStringLiteral("consistent copy")), qPrintable(banner));
        QVERIFY2(banner.contains(QStringLiteral("as of the final copy")), qPrintable(banner));
    }

    void cancelAfterReady_liveSource_offersCancelNow_data()
    {
        QTest::addColumn<bool>("quick");
        QTest::addColumn<bool>("powerCut"); ///< what the job reports
        QTest::newRow("cancel now") << true << true;
        QTest::newRow("consistent") << false << false;
        QTest::newRow("consistent, freeze failed") << false << true;
    }

    void cancelAfterReady_liveSource_offersCancelNow()
    {
        QFETCH(bool, quick);
        QFETCH(bool, powerCut);
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        ui::DeviceListModel devices;
        FakeJobController controller;
        controller.inspection.facts.exists = true;
        controller.inspection.facts.size = 16 * kMiB;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.setDemoMode(true); // a writer keeps changing the source: a live source
        w.show();
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;
        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);

        // Before READY there is only one kind of cancel.
        controller.setStatus(JobStatus::Running);
        QTest::mouseClick(w.cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(w.questionBox());
        QVERIFY(!w.questionBox()->findChild<QAbstractButton*>(QStringLiteral("cancelNow")));
        uitest::buttonWithRole(w.questionBox(), QMessageBox::RejectRole)->click();
        QTRY_VERIFY(!w.questionBox());

        controller.setStatus(JobStatus::Ready);
        QTest::mouseClick(w.cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(w.questionBox());
        QMessageBox* box = w.questionBox();
        const QString text = box->informativeText();
        QVERIFY2(text.contains(QStringLiteral("final copy")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("consistent copy")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("power cut")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("fsck")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("last writes")), qPrintable(text));
        auto* now = box->findChild<QAbstractButton*>(QStringLiteral("cancelNow"));
        QVERIFY(now);
        QVERIFY(now->isVisible());
        // The safe answer stays the default.
        QCOMPARE(box->defaultButton(), uitest::buttonWithRole(box, QMessageBox::RejectRole));
        QTest::mouseClick(quick ? now : consistentCancelButton(box), Qt::LeftButton);
        QCOMPARE(controller.calls.filter(QStringLiteral("cancel")),
                 QStringList{quick ? QStringLiteral("cancel quick") : QStringLiteral("cancel")});
        QVERIFY(!w.cancelButton()->isEnabled());

        controller.nextOutcome.powerCutCopy = powerCut;
        controller.finish(engine::JobResult::Outcome::Cancelled);
        const QString banner = w.statusPanel()->bannerText();
        QCOMPARE(banner.contains(QStringLiteral("power cut")), powerCut);
        QCOMPARE(banner.contains(QStringLiteral("consistent copy")), !powerCut);
        // A consistent cancel that ended as a quick one says why.
        QCOMPARE(banner.contains(QStringLiteral("could not be frozen")), powerCut && !quick);
        QVERIFY(w.statusPanel()->stateIcon() == ui::StatusPanel::StateIcon::Cancelled);
    }

    void close_afterReady_liveSource_saysItLeavesAPowerCutCopy()
    {
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        ui::DeviceListModel devices;
        FakeJobController controller;
        controller.inspection.facts.exists = true;
        controller.inspection.facts.size = 16 * kMiB;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.setDemoMode(true);
        w.show();
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;
        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        controller.setStatus(JobStatus::Ready);
        QVERIFY(!w.close());
        QTRY_VERIFY(w.questionBox());
        QCOMPARE(w.questionBox()->objectName(), QStringLiteral("closeConfirmation"));
        const QString text = w.questionBox()->informativeText();
        QVERIFY2(text.contains(QStringLiteral("power cut")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("press Cancel or Complete first")), qPrintable(text));
        uitest::buttonWithRole(w.questionBox(), QMessageBox::DestructiveRole)->click();
        // Closing does not wait for a freeze.
        QCOMPARE(controller.calls.filter(QStringLiteral("cancel")),
                 QStringList{QStringLiteral("cancel quick")});
        controller.nextOutcome.powerCutCopy = true;
        controller.finish(engine::JobResult::Outcome::Cancelled);
        QTRY_VERIFY(!w.isVisible());
    }

    void demoSource_cancelAfterReady_consistentIdenticalOrPowerCut_data()
    {
        QTest::addColumn<bool>("quick");
        QTest::newRow("consistent") << false;
        QTest::newRow("cancel now") << true;
    }

    void demoSource_cancelAfterReady_consistentIdenticalOrPowerCut()
    {
        QFETCH(bool, quick);
        ScratchDir dir;
        const QString source = dir.file(QStringLiteral("demo-source.img"));
        const QString target = dir.file(QStringLiteral("demo-copy.img"));
        QVERIFY(testsupport::createSparse(source, 32 * kMiB));
        QVERIFY(testsupport::writePattern(source, 0, 8 * kMiB, 31));
        ui::DeviceListModel devices;
        ui::LocalJobController controller(engine::nullLogger());
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.setDemoMode(true);
        w.show();
        devices.addImages({source});
        QTRY_VERIFY(devices.isIdle() && devices.entry(source));
        QVERIFY(w.sourcePane()->selectPath(source));
        devices.addImages({target}, true);
        QTRY_VERIFY(devices.isIdle() && devices.entry(target));
        QVERIFY(w.targetPane()->selectPath(target));
        QSignalSpy ready(&controller, &ui::JobController::ready);
        QSignalSpy finished(&controller, &ui::JobController::finished);
        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 40000);
        QTest::mouseClick(w.cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(w.questionBox());
        auto* now = w.questionBox()->findChild<QAbstractButton*>(QStringLiteral("cancelNow"));
        QVERIFY(now);
        QTest::mouseClick(quick ? now : consistentCancelButton(w.questionBox()), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(o.outcome == engine::JobResult::Outcome::Cancelled);
        QCOMPARE(o.powerCutCopy, quick);
        const QString banner = w.statusPanel()->bannerText();
        QCOMPARE(banner.contains(QStringLiteral("power cut")), quick);
        // The writer stopped for the final copy: the copy is of that moment.
        if (!quick)
            QVERIFY(testsupport::cmpIdentical(source, target));
    }

    void liveSource_mountedExt4_cancelAfterReady_consistentCopyFsckClean_data()
    {
        QTest::addColumn<bool>("helper");
        QTest::newRow("in process") << false;
        QTest::newRow("helper process") << true;
    }

    void liveSource_mountedExt4_cancelAfterReady_consistentCopyFsckClean()
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

        ui::DeviceListModel devices;
        Controllers controllers(helper, engine::nullLogger());
        devices.setDeviceAccess(controllers.access());
        ui::JobController& controller = controllers.get();
        QVERIFY(devices.startMonitoring());
        devices.refresh();
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        QTRY_VERIFY(devices.isIdle() && devices.entry(loop->path()));
        QVERIFY(w.sourcePane()->selectPath(loop->path()));
        devices.addImages({target}, true);
        QTRY_VERIFY(devices.isIdle() && devices.entry(target));
        QVERIFY(w.targetPane()->selectPath(target));

        FileWriter writer(mnt);
        QSignalSpy ready(&controller, &ui::JobController::ready);
        QSignalSpy finished(&controller, &ui::JobController::finished);
        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 40000);
        const int filesBefore = writer.files();
        QTRY_VERIFY_WITH_TIMEOUT(writer.files() > filesBefore + 10, 10000); // still writing
        QTest::mouseClick(w.cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(w.questionBox());
        QVERIFY2(w.questionBox()->informativeText().contains(mnt),
                 qPrintable(w.questionBox()->informativeText()));
        consistentCancelButton(w.questionBox())->click();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 40000);
        writer.stop();
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(o.outcome == engine::JobResult::Outcome::Cancelled);
        QVERIFY(!o.powerCutCopy);
        const QString banner = w.statusPanel()->bannerText();
        QVERIFY2(banner.contains(QStringLiteral("consistent copy")), qPrintable(banner));
        QVERIFY2(banner.contains(QStringLiteral("Freeze window: %1 was frozen for").arg(mnt)),
                 qPrintable(banner));
        const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), target});
        QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
    }

    void reconnecting_statusLineSaysSo_whetherOrNotTheJobMoves()
    {
        ui::DeviceListModel devices;
        FakeJobController controller;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        controller.active = true;
        controller.setStatus(JobStatus::Running);
        const auto publish = [&controller](JobStatus status,
                                           const engine::JobSnapshot::ReconnectView& r) {
            auto snap = std::make_shared<engine::JobSnapshot>(*controller.snapshot());
            snap->status = status;
            snap->reconnect = r;
            controller.currentSnapshot = snap;
            Q_EMIT controller.progressChanged(snap);
        };
        engine::JobSnapshot::ReconnectView lost;
        lost.active = true;
        lost.endpoint = "nbd://backup.example:10809/disk";
        lost.lostSeconds = 3.2;
        lost.attempts = 4;
        lost.limitSeconds = 60;
        const QString text = ui::Format::reconnecting(lost);
        QVERIFY(text.contains(QStringLiteral("nbd://backup.example:10809/disk")));

        publish(JobStatus::Running, lost);
        QVERIFY2(w.statusPanel()->statusText().contains(text.toHtmlEscaped()),
                 qPrintable(w.statusPanel()->statusText()));
        // Paused, nothing is copied either; the wait goes on all the same.
        controller.setStatus(JobStatus::Paused);
        publish(JobStatus::Paused, lost);
        QVERIFY2(w.statusPanel()->statusText().contains(text.toHtmlEscaped()),
                 qPrintable(w.statusPanel()->statusText()));

        // The server answered: the count stays, the line goes.
        controller.setStatus(JobStatus::Running);
        engine::JobSnapshot::ReconnectView found;
        found.reconnects = 1;
        publish(JobStatus::Running, found);
        QVERIFY2(!w.statusPanel()->statusText().contains(QStringLiteral("nbd://backup.example")),
                 qPrintable(w.statusPanel()->statusText()));

        // A job that gave up waiting is over; its last snapshot is no news.
        publish(JobStatus::Running, lost);
        QVERIFY(w.statusPanel()->statusText().contains(text.toHtmlEscaped()));
        controller.finish(engine::JobResult::Outcome::Failed);
        QVERIFY2(!w.statusPanel()->statusText().contains(QStringLiteral("nbd://backup.example")),
                 qPrintable(w.statusPanel()->statusText()));
    }

    void verifying_statusLineShowsPercent_outcomeSaysWhatWasChecked()
    {
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
        controller.setStatus(JobStatus::Ready);
        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        controller.setVerifying(25 * kMiB, 100 * kMiB);
        QVERIFY2(w.statusPanel()->statusText().contains(QString::fromUtf8("Verifying… 25.0 %")),
                 qPrintable(w.statusPanel()->statusText()));
        QCOMPARE(w.statusPanel()->percentText(), QStringLiteral("25.0 %"));
        QVERIFY(w.statusPanel()->stateIcon() == ui::StatusPanel::StateIcon::Completing);
        controller.setVerifying(75 * kMiB, 100 * kMiB);
        QVERIFY(w.statusPanel()->statusText().contains(QString::fromUtf8("Verifying… 75.0 %")));

        engine::VerifyReport v;
        v.identical = true;
        v.bytesCompared = 40 * kMiB;
        v.bytesSkipped = 8 * kMiB;
        v.bytesHashChecked = 2 * kMiB;
        v.bytesUnchecked = 1 * kMiB;
        v.bytesPastEnd = 16 * kMiB;
        controller.nextOutcome.verify = v;
        controller.nextOutcome.pastEndBytes = 16 * kMiB;
        controller.finish(engine::JobResult::Outcome::Completed);
        QVERIFY(!w.statusPanel()->statusText().contains(QStringLiteral("Verifying")));
        const QString banner = w.statusPanel()->bannerText();
        // Not "verified" while part of it could not be checked.
        QVERIFY2(!banner.contains(QStringLiteral("verified")), qPrintable(banner));
        for (const QString& part :
             {QStringLiteral("no difference where it could check"),
              QStringLiteral("compared %1 with the source").arg(ui::Format::bytes(48 * kMiB)),
              QStringLiteral("checked %1 against what the job wrote")
                  .arg(ui::Format::bytes(2 * kMiB)),
              QStringLiteral("could not check %1").arg(ui::Format::bytes(1 * kMiB)),
              QStringLiteral("kept as they were and not compared")})
            QVERIFY2(banner.contains(part), qPrintable(part + QStringLiteral(" in: ") + banner));

        // Everything checked, and the rest of the target cleared and read back.
        controller.active = true;
        controller.setStatus(JobStatus::Ready);
        v.bytesUnchecked = 0;
        v.pastEndZero = true;
        controller.nextOutcome.verify = v;
        controller.nextOutcome.pastEndWiped = true;
        controller.finish(engine::JobResult::Outcome::Completed);
        QVERIFY2(w.statusPanel()->bannerText().contains(QStringLiteral("and verified")),
                 qPrintable(w.statusPanel()->bannerText()));
        QVERIFY2(w.statusPanel()->bannerText().contains(
                     QStringLiteral("could not check %1").arg(ui::Format::bytes(0))),
                 qPrintable(w.statusPanel()->bannerText()));
        QVERIFY2(w.statusPanel()->bannerText().contains(
                     QStringLiteral("cleared and read back as zeroes")),
                 qPrintable(w.statusPanel()->bannerText()));

        // A verification that was cancelled is not passed off as one.
        controller.active = true;
        controller.setStatus(JobStatus::Ready);
        controller.nextOutcome = {};
        controller.nextOutcome.verifyCancelled = true;
        controller.finish(engine::JobResult::Outcome::Completed);
        QVERIFY2(w.statusPanel()->bannerText().contains(QStringLiteral("not checked")),
                 qPrintable(w.statusPanel()->bannerText()));
        QVERIFY(!w.statusPanel()->bannerText().contains(QStringLiteral("verified")));
    }

    void confirmation_enterInNameField_startsOnlyWhenTheNameMatches()
    {
        ScratchDir dir;
        QString source, target;
        QVERIFY(makeImages(dir, 16 * kMiB, source, target));
        ui::DeviceListModel devices;
        FakeJobController controller;
        controller.inspection.facts.exists = true;
        controller.inspection.facts.blockDevice = true;
        controller.inspection.facts.size = 16 * kMiB;
        controller.inspection.facts.signatureReadable = true;
        controller.inspection.facts.dataSignature = "a GPT partition table";
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        select(w, devices, source, target);
        if (QTest::currentTestFailed())
            return;
        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QLineEdit* name = dialog->nameEdit();
        QVERIFY(name);
        QVERIFY(!dialog->nameHint()->isVisible());

        QTest::keyClicks(name, QStringLiteral("target.im"));
        QTest::keyClick(name, Qt::Key_Return);
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->nameHint()->isVisible());
        QVERIFY2(dialog->nameHint()->text().contains(QStringLiteral("target.im")) &&
                     dialog->nameHint()->text().contains(QStringLiteral("<b>target.img</b>")),
                 qPrintable(dialog->nameHint()->text()));
        QVERIFY(!controller.calls.contains(QStringLiteral("start")));

        name->clear();
        QTest::keyClick(name, Qt::Key_Enter, Qt::KeypadModifier);
        QVERIFY(dialog->isVisible());
        QVERIFY(dialog->nameHint()->text().contains(QStringLiteral("Type the name")));
        QVERIFY(!controller.calls.contains(QStringLiteral("start")));

        QTest::keyClicks(name, QStringLiteral("target.img"));
        QVERIFY(!dialog->nameHint()->isVisible());
        QTest::keyClick(name, Qt::Key_Return);
        QTRY_VERIFY(!w.confirmDialog());
        QCOMPARE(controller.calls.count(QStringLiteral("start")), 1);
        QVERIFY(controller.lastRequest.targets.value(0).overwriteConfirmed);
        QCOMPARE(controller.lastRequest.targets.value(0).path, target);
    }

    void abortedBeforeReady_createdImage_offeredForDeletion_data()
    {
        QTest::addColumn<bool>("helper");
        QTest::newRow("in process") << false;
        QTest::newRow("helper process") << true;
    }

    void abortedBeforeReady_createdImage_offeredForDeletion()
    {
        QFETCH(bool, helper);
        ScratchDir dir;
        const QString source = dir.file(QStringLiteral("source.img"));
        const QString target = dir.file(QStringLiteral("new.img"));
        QVERIFY(testsupport::createSparse(source, 64 * kMiB));
        QVERIFY(testsupport::writePattern(source, 0, 64 * kMiB, 41));
        ui::DeviceListModel devices;
        Controllers controllers(helper, engine::nullLogger());
        ui::JobController& controller = controllers.get();
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        devices.addImages({source});
        QTRY_VERIFY(devices.isIdle() && devices.entry(source));
        QVERIFY(w.sourcePane()->selectPath(source));
        devices.addImages({target}, true);
        QTRY_VERIFY(devices.isIdle() && devices.entry(target));
        QVERIFY(w.targetPane()->selectPath(target));
        setSpeed(w, 1); // never in sync during this test

        QSignalSpy finished(&controller, &ui::JobController::finished);
        const auto runAndCancel = [&]() -> bool {
            const auto before = finished.count();
            ui::ConfirmStartDialog* dialog = pressStart(w);
            if (!dialog || !dialog->target().newFile)
                return false;
            QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
            if (!QTest::qWaitFor([&] { return controller.status() == JobStatus::Running; }, 20000))
                return false;
            QTest::mouseClick(w.cancelButton(), Qt::LeftButton);
            if (!QTest::qWaitFor([&] { return w.questionBox() != nullptr; }, 5000))
                return false;
            uitest::buttonWithRole(w.questionBox(), QMessageBox::DestructiveRole)->click();
            return QTest::qWaitFor([&] { return finished.count() == before + 1; }, 20000);
        };
        const auto offer = [&]() -> QMessageBox* {
            QMessageBox* box = nullptr;
            const bool shown = QTest::qWaitFor(
                [&] {
                    box = w.questionBox();
                    return box && box->objectName() == QLatin1String("deleteIncompleteTarget");
                },
                5000);
            return shown ? box : nullptr;
        };

        // Deleted on request.
        QVERIFY(runAndCancel());
        auto o = finished.back().front().value<ui::JobOutcome>();
        QVERIFY(o.outcome == engine::JobResult::Outcome::Aborted);
        QVERIFY(o.targetCreated);
        QVERIFY(o.targetInode != 0);
        QVERIFY2(w.statusPanel()->bannerText().contains(QStringLiteral("incomplete")),
                 qPrintable(w.statusPanel()->bannerText()));
        QMessageBox* box = offer();
        QVERIFY(box);
        QVERIFY(box->text().contains(target));
        QVERIFY(QFile::exists(target));
        // Keeping it is the default answer.
        QCOMPARE(box->defaultButton(), uitest::buttonWithRole(box, QMessageBox::RejectRole));
        QTest::mouseClick(uitest::buttonWithRole(box, QMessageBox::DestructiveRole),
                          Qt::LeftButton);
        QTRY_VERIFY(!QFile::exists(target));
        QTRY_VERIFY(devices.isIdle() && devices.entry(target) && devices.entry(target)->newImage);
        QVERIFY(w.statusPanel()->bannerText().contains(QStringLiteral("was deleted")));
        // Chosen again once the list has the row as a new image once more:
        // the list may still be busy with the deletion here.
        QTRY_COMPARE(w.targetPane()->currentPath(), target);

        // Kept on request.
        QVERIFY(runAndCancel());
        box = offer();
        QVERIFY(box);
        QTest::mouseClick(uitest::buttonWithRole(box, QMessageBox::RejectRole), Qt::LeftButton);
        QTRY_VERIFY(!w.questionBox());
        QTest::qWait(200);
        QVERIFY(QFile::exists(target));

        // Another file put under that name meanwhile is not deleted.
        QVERIFY(QFile::remove(target));
        // The list may notice the file vanish (the re-read after the job)
        // and clear the choice: the user then picks it again, as a new image.
        QTRY_VERIFY(devices.isIdle());
        devices.addImages({target}, true);
        QTRY_VERIFY(devices.isIdle() && devices.entry(target) && devices.entry(target)->newImage);
        if (w.targetPane()->currentPath() != target)
            QVERIFY(w.targetPane()->selectPath(target));
        QVERIFY(runAndCancel());
        box = offer();
        QVERIFY(box);
        const QString moved = dir.file(QStringLiteral("moved.img"));
        QVERIFY(QFile::rename(target, moved));
        QVERIFY(testsupport::createSparse(target, 1 * kMiB));
        QTest::mouseClick(uitest::buttonWithRole(box, QMessageBox::DestructiveRole),
                          Qt::LeftButton);
        QTRY_VERIFY(w.findChild<QMessageBox*>(QStringLiteral("errorDialog")));
        QVERIFY(QFile::exists(target));
        QCOMPARE(testsupport::fileSize(target), 1 * kMiB);
    }

    // Two new image files, cancelled before in sync: one question offers
    // both for deletion, both go, the summary stays, and both are picked
    // again once listed as files to create.
    void severalTargets_cancelledBeforeReady_createdImagesOfferedTogether()
    {
        ScratchDir dir;
        const QString source = dir.file(QStringLiteral("source.img"));
        const QStringList targets{dir.file(QStringLiteral("new-a.img")),
                                  dir.file(QStringLiteral("new-b.img"))};
        QVERIFY(testsupport::createSparse(source, 64 * kMiB));
        QVERIFY(testsupport::writePattern(source, 0, 64 * kMiB, 43));
        ui::DeviceListModel devices;
        ui::LocalJobController controller(engine::nullLogger());
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.setConfirmNewFiles(false);
        w.show();
        devices.addImages({source});
        QTRY_VERIFY(devices.isIdle() && devices.entry(source));
        QVERIFY(w.sourcePane()->selectPath(source));
        devices.addImages(targets, true);
        QTRY_VERIFY(devices.isIdle() && devices.entry(targets[1]));
        QVERIFY(w.targetPane()->selectPaths(targets));
        setSpeed(w, 1); // never in sync during this test

        QSignalSpy finished(&controller, &ui::JobController::finished);
        QTest::mouseClick(w.startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(controller.status() == JobStatus::Running, 20000);
        QVERIFY(QFile::exists(targets[0]) && QFile::exists(targets[1]));
        QTest::mouseClick(w.cancelButton(), Qt::LeftButton);
        QTRY_VERIFY(w.questionBox() != nullptr);
        uitest::buttonWithRole(w.questionBox(), QMessageBox::DestructiveRole)->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(o.outcome == engine::JobResult::Outcome::Aborted);
        QCOMPARE(o.targets.size(), std::size_t{2});
        for (const ui::JobOutcome& t : o.targets)
            QVERIFY(t.outcome == engine::JobResult::Outcome::Aborted && t.targetCreated);
        const QString summary = w.statusPanel()->bannerText();
        QVERIFY2(summary.contains(QStringLiteral("0 of 2 targets identical")), qPrintable(summary));

        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = w.questionBox()) != nullptr &&
                    box->objectName() == QLatin1String("deleteIncompleteTarget"));
        QVERIFY(box->text().contains(targets[0]) && box->text().contains(targets[1]));
        QCOMPARE(box->defaultButton(), uitest::buttonWithRole(box, QMessageBox::RejectRole));
        QTest::mouseClick(uitest::buttonWithRole(box, QMessageBox::DestructiveRole),
                          Qt::LeftButton);
        QTRY_VERIFY(!QFile::exists(targets[0]) && !QFile::exists(targets[1]));
        QTRY_COMPARE(w.targetPane()->currentPaths(), targets);
        QCOMPARE(w.statusPanel()->bannerText(), summary);
    }

    void selection_targetRemoved_clearedNeverMovedToANeighbour()
    {
        ScratchDir dir;
        const QString source = dir.file(QStringLiteral("source.img"));
        const QString a = dir.file(QStringLiteral("a.img"));
        const QString b = dir.file(QStringLiteral("b.img"));
        const QString c = dir.file(QStringLiteral("c.img"));
        QVERIFY(testsupport::createSparse(source, 16 * kMiB));
        for (const QString& f : {a, b, c})
            QVERIFY(testsupport::createSparse(f, 16 * kMiB));
        ui::DeviceListModel devices;
        FakeJobController controller;
        controller.inspection.facts.exists = true;
        controller.inspection.facts.size = 16 * kMiB;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        devices.addImages({source, a, b, c});
        QTRY_VERIFY(devices.isIdle() && devices.entry(c));
        QVERIFY(clickRow(w.sourcePane(), devices, source));
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(clickRow(w.targetPane(), devices, b));
        QVERIFY(w.startButton()->isEnabled());
        QItemSelectionModel* selection = w.targetPane()->view()->selectionModel();

        // Rows around the pick go and come back: the pick stays.
        QVERIFY(QFile::remove(a) && QFile::remove(c));
        devices.refresh();
        QTRY_VERIFY(devices.isIdle() && devices.rowOf(a) < 0 && devices.rowOf(c) < 0);
        QCOMPARE(w.targetPane()->currentPath(), b);
        QVERIFY(testsupport::createSparse(a, 16 * kMiB) && testsupport::createSparse(c, 16 * kMiB));
        devices.addImages({a, c});
        QTRY_VERIFY(devices.isIdle() && devices.entry(a) && devices.entry(c));
        QCOMPARE(w.targetPane()->currentPath(), b);

        // The pick goes: nothing is selected, not a neighbour either.
        QVERIFY(QFile::remove(b));
        devices.refresh();
        QTRY_VERIFY(devices.isIdle() && devices.rowOf(b) < 0);
        QVERIFY(w.targetPane()->currentPath().isEmpty());
        QVERIFY(!selection->hasSelection());
        QVERIFY(!selection->currentIndex().isValid());
        QVERIFY(!w.startButton()->isEnabled());
        // Start from the menu or its shortcut does nothing either.
        w.requestStart();
        QVERIFY(!controller.calls.contains(QStringLiteral("inspect")));

        // Back in the list: offered, not picked; and the list moving
        // around it picks nothing.
        QVERIFY(testsupport::createSparse(b, 16 * kMiB));
        devices.addImages({b});
        QTRY_VERIFY(devices.isIdle() && devices.entry(b));
        QVERIFY(QFile::remove(a));
        devices.refresh();
        QTRY_VERIFY(devices.isIdle() && devices.rowOf(a) < 0);
        QVERIFY(w.targetPane()->currentPath().isEmpty());
        QVERIFY(!selection->hasSelection());
        QVERIFY(!w.startButton()->isEnabled());
        QVERIFY(controller.calls.isEmpty());

        // Only a new click and a new confirmation start a job, on that row.
        QVERIFY(clickRow(w.targetPane(), devices, c));
        QVERIFY(w.startButton()->isEnabled());
        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QCOMPARE(dialog->target().path, c);
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        QCOMPARE(controller.calls,
                 (QStringList{QStringLiteral("inspect"), QStringLiteral("start")}));
        QCOMPARE(controller.lastRequest.targets.value(0).path, c);
    }

    void selection_refusedThenUsableAgain_notSelectedAgain()
    {
        ScratchDir dir;
        const QString small = dir.file(QStringLiteral("small-source.img"));
        const QString large = dir.file(QStringLiteral("large-source.img"));
        const QString target = dir.file(QStringLiteral("target.img"));
        QVERIFY(testsupport::createSparse(small, 16 * kMiB));
        QVERIFY(testsupport::createSparse(large, 32 * kMiB));
        QVERIFY(testsupport::createSparse(target, 16 * kMiB));
        ui::DeviceListModel devices;
        FakeJobController controller;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        devices.addImages({small, large, target});
        QTRY_VERIFY(devices.isIdle() && devices.entry(target));
        QVERIFY(clickRow(w.sourcePane(), devices, small));
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(clickRow(w.targetPane(), devices, target));
        QVERIFY(w.startButton()->isEnabled());

        // A larger source: the target is too small now, and loses the pick.
        QVERIFY(clickRow(w.sourcePane(), devices, large));
        QTRY_VERIFY(devices.isIdle() && devices.entry(target)->targetRefusal);
        QVERIFY(w.targetPane()->currentPath().isEmpty());
        QVERIFY(!w.startButton()->isEnabled());

        // Usable again, but not picked again by itself.
        QVERIFY(clickRow(w.sourcePane(), devices, small));
        QTRY_VERIFY(devices.isIdle() && !devices.entry(target)->targetRefusal);
        QVERIFY(w.targetPane()->currentPath().isEmpty());
        QVERIFY(!w.targetPane()->view()->selectionModel()->hasSelection());
        QVERIFY(!w.startButton()->isEnabled());
        QVERIFY(clickRow(w.targetPane(), devices, target));
        QVERIFY(w.startButton()->isEnabled());
    }

    void selection_targetGoneWhileConfirming_startAbandoned()
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
        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QVERIFY(QFile::remove(target));
        devices.refresh();
        QTRY_VERIFY(!w.confirmDialog());
        QVERIFY(!controller.calls.contains(QStringLiteral("start")));
        QVERIFY2(w.statusPanel()->bannerText().contains(QStringLiteral("Not started")),
                 qPrintable(w.statusPanel()->bannerText()));
        QVERIFY(w.targetPane()->currentPath().isEmpty());
        QVERIFY(!w.startButton()->isEnabled());
    }

    void selection_loopDevicesDetachedAroundAndUnderThePick_neverMoved()
    {
        if (!testsupport::isRoot())
            QSKIP("needs root: loop devices, mkfs and mount");
        ScratchDir dir;
        const QString source = dir.file(QStringLiteral("source.img"));
        QVERIFY(testsupport::createSparse(source, 8 * kMiB));
        QStringList files;
        std::vector<std::unique_ptr<testsupport::LoopDevice>> loops;
        QStringList nodes;
        for (int i = 0; i < 3; ++i) {
            files << dir.file(QStringLiteral("disk%1.img").arg(i));
            QVERIFY(testsupport::createSparse(files.back(), 16 * kMiB));
            QString why;
            loops.push_back(testsupport::LoopDevice::attach(files.back(), &why));
            QVERIFY2(loops.back(), qPrintable(why));
            nodes << loops.back()->path();
        }
        const auto detach = [](const QString& node) {
            return runCommand(QStringLiteral("losetup"), {QStringLiteral("-d"), node}).exitCode ==
                   0;
        };

        ui::DeviceListModel devices;
        QVERIFY(devices.startMonitoring());
        devices.refresh();
        FakeJobController controller;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        devices.addImages({source});
        QTRY_VERIFY(devices.isIdle() && devices.entry(source) && devices.entry(nodes[2]));
        QVERIFY(clickRow(w.sourcePane(), devices, source));
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(clickRow(w.targetPane(), devices, nodes[1]));
        QItemSelectionModel* selection = w.targetPane()->view()->selectionModel();

        // The disks beside the pick go and come back.
        QVERIFY(detach(nodes[0]) && detach(nodes[2]));
        QTRY_VERIFY_WITH_TIMEOUT(devices.rowOf(nodes[0]) < 0 && devices.rowOf(nodes[2]) < 0, 10000);
        QCOMPARE(w.targetPane()->currentPath(), nodes[1]);
        QVERIFY(attachAt(nodes[0], files[0]) && attachAt(nodes[2], files[2]));
        QTRY_VERIFY_WITH_TIMEOUT(devices.entry(nodes[0]) && devices.entry(nodes[2]), 10000);
        QTRY_VERIFY(devices.isIdle());
        QCOMPARE(w.targetPane()->currentPath(), nodes[1]);

        // The pick goes: no neighbour takes its place, also when it returns.
        QVERIFY(detach(nodes[1]));
        QTRY_VERIFY_WITH_TIMEOUT(devices.rowOf(nodes[1]) < 0, 10000);
        QVERIFY(w.targetPane()->currentPath().isEmpty());
        QVERIFY(!selection->hasSelection());
        QVERIFY(!w.startButton()->isEnabled());
        QVERIFY(attachAt(nodes[1], files[1]));
        QTRY_VERIFY_WITH_TIMEOUT(devices.entry(nodes[1]), 10000);
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(w.targetPane()->currentPath().isEmpty());
        QVERIFY(!selection->hasSelection());

        // Mounted while picked: refused, dropped; unmounted: not picked again.
        QCOMPARE(runCommand(QStringLiteral("mkfs.ext4"), {QStringLiteral("-q"), nodes[0]}).exitCode,
                 0);
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(clickRow(w.targetPane(), devices, nodes[0]));
        const QString mnt = dir.file(QStringLiteral("mnt"));
        QVERIFY(QDir().mkpath(mnt));
        QCOMPARE(runCommand(QStringLiteral("mount"), {nodes[0], mnt}).exitCode, 0);
        auto unmount = qScopeGuard([&] { runCommand(QStringLiteral("umount"), {mnt}); });
        QTRY_VERIFY_WITH_TIMEOUT(devices.entry(nodes[0]) && devices.entry(nodes[0])->targetRefusal,
                                 10000);
        QTRY_VERIFY(w.targetPane()->currentPath().isEmpty());
        QCOMPARE(runCommand(QStringLiteral("umount"), {mnt}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(devices.entry(nodes[0]) && !devices.entry(nodes[0])->targetRefusal,
                                 10000);
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(w.targetPane()->currentPath().isEmpty());
        QVERIFY(!selection->hasSelection());
        QVERIFY(!w.startButton()->isEnabled());
        QVERIFY(!controller.calls.contains(QStringLiteral("inspect")));

        // A click and a confirmation, and the job is about that disk.
        QVERIFY(clickRow(w.targetPane(), devices, nodes[2]));
        ui::ConfirmStartDialog* dialog = pressStart(w);
        QVERIFY(dialog);
        QCOMPARE(dialog->target().path, nodes[2]);
        QTest::mouseClick(dialog->startButton(), Qt::LeftButton);
        QCOMPARE(controller.lastRequest.targets.value(0).path, nodes[2]);
        QCOMPARE(controller.lastRequest.targets.value(0).expectedId,
                 devices.entry(nodes[2])->stableId);
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
