// The offer of an interrupted copy: a real one, left by drivemirror-cli
// killed mid-copy, found at the window's start, resumed through the window
// to an identical target, or discarded; and a job the user cancels in the
// window leaves nothing to offer.
//
// With DRIVEMIRROR_SCREENSHOT set to a file name, the window with the offer
// is saved there as PNG (run under Xvfb with QT_QPA_PLATFORM=xcb to see it
// as on a desktop).
#include "bridge/local_job_controller.h"
#include "confirm_start_dialog.h"
#include "device_list_model.h"
#include "device_pane.h"
#include "format.h"
#include "gui_test_support.h"
#include "job/job_journal.h"
#include "job_settings_widget.h"
#include "log_view.h"
#include "main_window.h"
#include "resume_offer.h"
#include "status_panel.h"
#include "test_support.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using testsupport::ScratchDir;

namespace {

constexpr std::uint64_t kMiB = 1ull << 20;

// A source with data extents and holes, and an existing target full of other data.
bool makeImages(const ScratchDir& dir, std::uint64_t size, QString& source, QString& target)
{
    source = dir.file(QStringLiteral("source.img"));
    target = dir.file(QStringLiteral("target.img"));
    return testsupport::createSparse(source, size) &&
           testsupport::writePattern(source, 0, size / 4, 1) &&
           testsupport::writePattern(source, size / 2, size / 4, 2) &&
           testsupport::writePattern(source, size - size / 16, size / 16, 3) &&
           testsupport::createSparse(target, size) && testsupport::writePattern(target, 0, size, 4);
}

std::vector<engine::SavedJob> savedJobs(const QString& stateDir)
{
    auto jobs = engine::listSavedJobs(stateDir.toStdString());
    return jobs ? std::move(*jobs) : std::vector<engine::SavedJob>{};
}

// The files a job's journal leaves in @p stateDir.
QStringList journalFiles(const QString& stateDir)
{
    return QDir(stateDir).entryList({QStringLiteral("job-*")}, QDir::Files);
}

// The window's state directory is the test's own: the jobs it runs keep
// their journals there, and it looks there (and nowhere else) for
// interrupted ones.
class StateDir
{
public:
    explicit StateDir(const ScratchDir& dir)
        : m_path(dir.file(QStringLiteral("state"))), m_old(qgetenv("DRIVEMIRROR_STATE_DIR"))
    {
        qputenv("DRIVEMIRROR_STATE_DIR", QFile::encodeName(m_path));
    }
    ~StateDir() { qputenv("DRIVEMIRROR_STATE_DIR", m_old); }
    StateDir(const StateDir&) = delete;
    StateDir& operator=(const StateDir&) = delete;
    const QString& path() const { return m_path; }

private:
    QString m_path;
    QByteArray m_old;
};

} // namespace

class TestResumeOffer : public QObject
{
    Q_OBJECT

private:
    // drivemirror-cli mirror, throttled, killed (SIGKILL: nothing of it runs
    // on) once a checkpoint holds part of the copy and before it is done.
    void interruptCli(const QString& source, const QString& target, const QString& stateDir)
    {
        QProcess cli;
        cli.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        cli.setStandardOutputFile(QProcess::nullDevice());
        cli.start(testsupport::cliPath(),
                  {QStringLiteral("mirror"), source, target, QStringLiteral("--state-dir"),
                   stateDir, QStringLiteral("--speed"), QStringLiteral("8M"),
                   QStringLiteral("--checkpoint-interval"), QStringLiteral("0.2")});
        QVERIFY2(cli.waitForStarted(), qPrintable(testsupport::cliPath()));
        const bool partly = testsupport::waitFor(
            [&] {
                const auto jobs = savedJobs(stateDir);
                return !jobs.empty() && jobs.front().inSyncBytes >= 4 * kMiB;
            },
            std::chrono::seconds(30));
        cli.kill();
        QVERIFY(cli.waitForFinished(10000));
        QVERIFY2(partly, "no checkpoint with part of the copy appeared");
        const auto jobs = savedJobs(stateDir);
        QCOMPARE(jobs.size(), std::size_t{1});
        QVERIFY2(jobs.front().inSyncBytes < jobs.front().extent, "the copy ended before the kill");
    }

    // The window, with the offer of what interruptCli() left once shown.
    struct Window
    {
        std::shared_ptr<ui::LogSink> sink = std::make_shared<ui::LogSink>();
        engine::Logger log = uitest::loggerFor(sink);
        ui::DeviceListModel devices;
        ui::LocalJobController controller{log};
        ui::MainWindow window{devices, controller, log};
    };

    std::unique_ptr<Window> openWindow(const QString& stateDir)
    {
        auto w = std::make_unique<Window>();
        w->window.logView()->setSink(w->sink);
        w->devices.setDeviceAccess(ui::DeviceListModel::DeviceAccess::Direct);
        w->window.setInterruptedJobDirs({stateDir});
        w->window.show();
        if (!QTest::qWaitForWindowExposed(&w->window))
            return nullptr;
        return w;
    }

private Q_SLOTS:
    void initTestCase() { uitest::isolateSettings(); }
    void init() { QSettings().clear(); }

    // Killed mid-copy: offered with its ends and how far it got; Resume
    // goes through the confirmation (which says it resumes) to READY, and
    // Complete leaves the target identical to the source.
    void interruptedCli_offeredAtStart_resumedToIdentical()
    {
        ScratchDir dir;
        StateDir state(dir);
        QString source, target;
        QVERIFY(makeImages(dir, 64 * kMiB, source, target));
        interruptCli(source, target, state.path());
        if (QTest::currentTestFailed())
            return;
        const engine::SavedJob saved = savedJobs(state.path()).front();

        auto win = openWindow(state.path());
        QVERIFY(win);
        ui::MainWindow& w = win->window;
        ui::ResumeOffer* offer = w.resumeOffer();
        QTRY_VERIFY(offer->isVisible());
        QCOMPARE(w.interruptedJobs().size(), std::size_t{1});
        const QString text = offer->text();
        const QString expected =
            QStringLiteral("An interrupted copy of %1 to %2 can be resumed: %3 was copied (%4 of "
                           "%5); the rest is copied, and what changed on the source since is "
                           "found by comparing.")
                .arg(source, target,
                     ui::Format::percent(static_cast<double>(saved.inSyncBytes) /
                                         static_cast<double>(saved.extent)),
                     ui::Format::bytes(saved.inSyncBytes), ui::Format::bytes(64 * kMiB));
        QCOMPARE(text, expected);
        QVERIFY(offer->resumeButton()->isEnabled());
        QVERIFY(offer->discardButton()->isEnabled());
        // Nothing is selected or started until the user says so.
        QVERIFY(w.sourcePane()->currentPath().isEmpty());
        QVERIFY(!win->controller.isActive());

        if (const QString shot = qEnvironmentVariable("DRIVEMIRROR_SCREENSHOT"); !shot.isEmpty())
            QVERIFY(w.grab().save(shot));

        QSignalSpy ready(&win->controller, &ui::JobController::ready);
        QSignalSpy finished(&win->controller, &ui::JobController::finished);
        QTest::mouseClick(offer->resumeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.confirmDialog() != nullptr, 20000);
        ui::ConfirmStartDialog* dialog = w.confirmDialog();
        if (!dialog)
            QFAIL("no confirmation");
        QCOMPARE(w.sourcePane()->currentPath(), source);
        QCOMPARE(w.targetPane()->currentPaths(), QStringList{target});
        QVERIFY(dialog->target().resume);
        QCOMPARE(dialog->windowTitle(), QStringLiteral("Resume the Interrupted Copy?"));
        QCOMPARE(dialog->startButton()->text(), QStringLiteral("Resume Copy"));
        dialog->startButton()->click();

        QTRY_VERIFY(win->controller.isActive());
        QVERIFY(!offer->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 60000);
        // It went on from the checkpoint, not from the beginning.
        QVERIFY2(w.logView()->text().contains(QStringLiteral("resume from")),
                 qPrintable(w.logView()->text()));
        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
        const auto outcome = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(outcome.outcome == engine::JobResult::Outcome::Completed);
        QVERIFY(testsupport::cmpIdentical(source, target));
        // Completed: nothing left to resume, nothing offered.
        QVERIFY(savedJobs(state.path()).empty());
        QTRY_VERIFY(w.interruptedJobs().empty());
        QVERIFY(!offer->isVisible());
    }

    // The target gone: the offer says so and Resume is off. Discard asks,
    // then removes the journal's files, and the offer goes.
    void interruptedCli_targetGone_discardRemovesTheJournal()
    {
        ScratchDir dir;
        StateDir state(dir);
        QString source, target;
        QVERIFY(makeImages(dir, 64 * kMiB, source, target));
        interruptCli(source, target, state.path());
        if (QTest::currentTestFailed())
            return;
        QVERIFY(!journalFiles(state.path()).isEmpty());
        QVERIFY(QFile::rename(target, target + QStringLiteral(".away")));

        auto win = openWindow(state.path());
        QVERIFY(win);
        ui::MainWindow& w = win->window;
        ui::ResumeOffer* offer = w.resumeOffer();
        QTRY_VERIFY(offer->isVisible());
        QVERIFY2(
            offer->text().contains(QStringLiteral("The target %1 is not present now").arg(target)),
            qPrintable(offer->text()));
        QVERIFY(!offer->resumeButton()->isEnabled());
        QVERIFY(offer->discardButton()->isEnabled());

        // Keep: nothing happens.
        QTest::mouseClick(offer->discardButton(), Qt::LeftButton);
        QTRY_VERIFY(w.questionBox());
        QMessageBox* box = w.questionBox();
        QCOMPARE(box->objectName(), QStringLiteral("discardInterrupted"));
        QVERIFY(box->text().contains(source) && box->text().contains(target));
        uitest::buttonWithRole(box, QMessageBox::RejectRole)->click();
        QTRY_VERIFY(!w.questionBox());
        QTest::qWait(200);
        QVERIFY(!journalFiles(state.path()).isEmpty());
        QVERIFY(offer->isVisible());

        QTest::mouseClick(offer->discardButton(), Qt::LeftButton);
        QTRY_VERIFY(w.questionBox());
        uitest::buttonWithRole(w.questionBox(), QMessageBox::DestructiveRole)->click();
        QTRY_VERIFY(journalFiles(state.path()).isEmpty());
        QTRY_VERIFY(!offer->isVisible());
        QVERIFY(w.interruptedJobs().empty());
        // The target is left as it was.
        QVERIFY(QFile::exists(target + QStringLiteral(".away")));
    }

    // A job the user cancels before READY keeps checkpoints while it runs
    // and leaves none: nothing is offered afterwards.
    void guiJob_cancelledBeforeReady_leavesNoJournal()
    {
        ScratchDir dir;
        StateDir state(dir);
        QString source, target;
        QVERIFY(makeImages(dir, 64 * kMiB, source, target));
        auto win = openWindow(state.path());
        QVERIFY(win);
        ui::MainWindow& w = win->window;
        QSignalSpy found(&w, &ui::MainWindow::interruptedJobsFound);
        QTRY_VERIFY(found.count() >= 1);
        QVERIFY(!w.resumeOffer()->isVisible());

        auto* settings = w.settingsWidget();
        settings->speedUnitCombo()->setCurrentIndex(1); // MiB/s
        settings->speedSpin()->setValue(4);
        settings->limitCheck()->setChecked(true);
        win->devices.addImages({source, target});
        QTRY_VERIFY(win->devices.entry(source) && win->devices.entry(target));
        QTRY_VERIFY(win->devices.isIdle());
        QVERIFY(w.sourcePane()->selectPath(source));
        QTRY_VERIFY(win->devices.isIdle());
        QVERIFY(w.targetPane()->selectPath(target));

        QSignalSpy finished(&win->controller, &ui::JobController::finished);
        QTest::mouseClick(w.startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.confirmDialog() != nullptr, 20000);
        ui::ConfirmStartDialog* dialog = w.confirmDialog();
        if (!dialog)
            QFAIL("no confirmation");
        QVERIFY(!dialog->target().resume);
        dialog->startButton()->click();
        // The window's jobs keep checkpoints in its state directory.
        QTRY_VERIFY_WITH_TIMEOUT(!savedJobs(state.path()).empty(), 20000);
        QVERIFY(win->controller.isActive());

        w.requestCancel();
        QTRY_VERIFY(w.questionBox());
        uitest::buttonWithRole(w.questionBox(), QMessageBox::DestructiveRole)->click();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 30000);
        const auto outcome = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(outcome.outcome == engine::JobResult::Outcome::Aborted);
        QVERIFY2(journalFiles(state.path()).isEmpty(),
                 qPrintable(journalFiles(state.path()).join(u' ')));
        QTRY_VERIFY(found.count() >= 2);
        QVERIFY(w.interruptedJobs().empty());
        QVERIFY(!w.resumeOffer()->isVisible());
    }
};

QTEST_MAIN(TestResumeOffer)
#include "tst_resume_offer.moc"
