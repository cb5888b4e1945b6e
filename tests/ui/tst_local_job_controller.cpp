// LocalJobController on real image files: signals in order and on the UI
// thread, the ~10 Hz bound, refusals, creation of a missing target, cancel;
// several targets, one of them a faultfs disk that fails its writes.
#include "bridge/local_job_controller.h"
#include "fault_fs.h"
#include "io/disk.h"
#include "io/open_files.h"
#include "test_support.h"

#include <QFile>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <sys/stat.h>

#include <optional>

using engine::JobStatus;
using testsupport::ScratchDir;

namespace {

constexpr std::uint64_t kMiB = 1ull << 20;

ui::JobRequest request(const QString& source, const QString& target)
{
    ui::JobRequest r;
    r.source = source;
    r.targets = {ui::RequestTarget{target, {}, false}};
    return r;
}

} // namespace

class TestLocalJobController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void start_missingTarget_createsItAndCompletes()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("new.img"));
        QVERIFY(testsupport::createSparse(src, 32 * kMiB));
        QVERIFY(testsupport::writePattern(src, 4 * kMiB, 8 * kMiB, 7));
        ui::LocalJobController c(engine::nullLogger());
        QSignalSpy started(&c, &ui::JobController::started);
        QSignalSpy statuses(&c, &ui::JobController::statusChanged);
        QSignalSpy maps(&c, &ui::JobController::dirtyMapChanged);
        QSignalSpy finished(&c, &ui::JobController::finished);
        QObject::connect(&c, &ui::JobController::progressChanged, this,
                         [] { QVERIFY(QThread::currentThread() == qApp->thread()); });
        ui::JobRequest r = request(src, dst);
        r.settings.verify = true;
        c.start(r);
        QVERIFY(c.isActive());
        QVERIFY(c.status() == JobStatus::Created);
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(c.status() == JobStatus::Ready, 20000);
        QVERIFY(QFile::exists(dst));
        QVERIFY(!maps.isEmpty());
        const auto map = maps.back().front().value<ui::DirtyMapPtr>();
        QCOMPARE(map->diskSize, 32 * kMiB);
        QCOMPARE(map->cells.size(), std::size_t(512)); // one cell per 64 KiB granule
        c.complete();
        QVERIFY(c.completionRequested());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(o.outcome == engine::JobResult::Outcome::Completed);
        QVERIFY(o.verify && o.verify->identical);
        QVERIFY(!c.isActive());
        QVERIFY(c.status() == JobStatus::Concluded);
        QVERIFY(testsupport::cmpIdentical(src, dst));
        // Status changes arrived in the engine's order.
        std::vector<JobStatus> seen;
        for (const auto& args : statuses)
            seen.push_back(args.front().value<JobStatus>());
        const auto pos = [&](JobStatus s) {
            return std::find(seen.begin(), seen.end(), s) - seen.begin();
        };
        QVERIFY(pos(JobStatus::Running) < pos(JobStatus::Ready));
        QVERIFY(pos(JobStatus::Ready) < pos(JobStatus::Concluded));
    }

    // Three targets, the middle one a disk whose writes fail: it ends alone
    // with its error, the other two go on to READY and complete identical,
    // each row says so, and the rows pick which target's numbers are shown.
    void severalTargets_oneFails_othersCompleteIdentical()
    {
        QString why;
        if (!testsupport::isRoot())
            QSKIP("needs root: a faultfs target is a FUSE mount");
        if (!testsupport::FaultFs::available(&why))
            QSKIP(qPrintable(why));
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const std::uint64_t size = 32 * kMiB;
        QVERIFY(testsupport::createSparse(src, size));
        QVERIFY(testsupport::writePattern(src, 0, size, 11));
        const QString backing = dir.file(QStringLiteral("faulty.img"));
        QVERIFY(testsupport::createSparse(backing, size));
        auto faulty = testsupport::FaultFs::mount(
            backing,
            {QStringLiteral("--write-error"), QStringLiteral("%1:%2").arg(8 * kMiB).arg(kMiB)},
            &why);
        QVERIFY2(faulty, qPrintable(why));
        const QStringList targets{dir.file(QStringLiteral("a.img")), faulty->diskPath(),
                                  dir.file(QStringLiteral("c.img"))};

        ui::LocalJobController c(engine::nullLogger());
        QSignalSpy ready(&c, &ui::JobController::ready);
        QSignalSpy finished(&c, &ui::JobController::finished);
        QSignalSpy rows(&c, &ui::JobController::targetChanged);
        ui::JobRequest r = request(src, targets[0]);
        r.targets.append(ui::RequestTarget{targets[1], {}, false});
        r.targets.append(ui::RequestTarget{targets[2], {}, false});
        c.start(r);
        QCOMPARE(c.targets().size(), std::size_t{3});
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() >= 1, 30000);
        QVERIFY(c.status() == JobStatus::Ready);
        const auto& t = c.targets();
        QVERIFY(t[1].outcome && t[1].outcome->outcome == engine::JobResult::Outcome::Failed);
        QVERIFY(t[0].status == JobStatus::Ready && t[2].status == JobStatus::Ready);
        QVERIFY(rows.count() >= 3);
        for (const QList<QVariant>& row : rows)
            QVERIFY(row.front().toInt() >= 0 && row.front().toInt() < 3);

        // The shown target follows the choice, its newest progress at once.
        QSignalSpy progress(&c, &ui::JobController::progressChanged);
        c.showTarget(2);
        QCOMPARE(c.shownTarget(), 2);
        QCOMPARE(progress.count(), 1);
        QVERIFY(c.snapshot() == c.targets()[2].snapshot);

        c.complete();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        // The summary says the least of them; each target says its own.
        QVERIFY(o.outcome == engine::JobResult::Outcome::Failed);
        QCOMPARE(o.targets.size(), std::size_t{3});
        QVERIFY(o.targets[0].outcome == engine::JobResult::Outcome::Completed);
        QVERIFY(o.targets[1].outcome == engine::JobResult::Outcome::Failed);
        QCOMPARE(o.targets[1].error.code, EIO);
        QVERIFY(o.targets[2].outcome == engine::JobResult::Outcome::Completed);
        for (int i : {0, 2}) {
            QCOMPARE(o.targets[static_cast<std::size_t>(i)].target, targets[i]);
            QVERIFY2(testsupport::cmpIdentical(src, targets[i]), qPrintable(targets[i]));
        }
        QVERIFY(!c.isActive());
        QVERIFY(c.status() == JobStatus::Concluded);
    }

    void start_targetTooSmall_startFailedWithRule()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("small.img"));
        QVERIFY(testsupport::createSparse(src, 16 * kMiB));
        QVERIFY(testsupport::createSparse(dst, 8 * kMiB));
        ui::LocalJobController c(engine::nullLogger());
        QSignalSpy failed(&c, &ui::JobController::startFailed);
        QSignalSpy finished(&c, &ui::JobController::finished);
        c.start(request(src, dst));
        QTRY_COMPARE(failed.count(), 1);
        const auto e = failed.front().front().value<engine::Error>();
        QVERIFY(e.message.find("(rule: target too small)") != std::string::npos);
        QVERIFY(!c.isActive());
        QCOMPARE(finished.count(), 0);
        QCOMPARE(testsupport::fileSize(dst), 8 * kMiB);
    }

    void progress_boundedRate_andSpeedApplied()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("dst.img"));
        QVERIFY(testsupport::createSparse(src, 64 * kMiB));
        QVERIFY(testsupport::writePattern(src, 0, 64 * kMiB, 9));
        ui::LocalJobController c(engine::nullLogger());
        QSignalSpy progress(&c, &ui::JobController::progressChanged);
        QSignalSpy finished(&c, &ui::JobController::finished);
        ui::JobRequest r = request(src, dst);
        r.settings.speed = 2 * kMiB;
        c.start(r);
        // A speed change while preparing is applied when the job starts.
        c.setSpeed(4 * kMiB);
        QTRY_VERIFY_WITH_TIMEOUT(c.status() == JobStatus::Running, 20000);
        progress.clear();
        QTest::qWait(2000);
        qInfo("%lld progress signals in 2 s", static_cast<long long>(progress.count()));
        QVERIFY(progress.count() >= 5);
        QVERIFY(progress.count() <= 30); // about 10 Hz, never a flood
        QTRY_COMPARE(c.snapshot()->speedLimit, 4 * kMiB);
        c.pause();
        QTRY_VERIFY(c.status() == JobStatus::Paused);
        c.resume();
        QTRY_VERIFY(c.status() == JobStatus::Running);
        c.cancel(false);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QVERIFY(finished.front().front().value<ui::JobOutcome>().outcome ==
                engine::JobResult::Outcome::Aborted);
    }

    void cancel_rightAfterStart_endsCleanly()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("new.img"));
        QVERIFY(testsupport::createSparse(src, 16 * kMiB));
        ui::LocalJobController c(engine::nullLogger());
        QSignalSpy finished(&c, &ui::JobController::finished);
        c.start(request(src, dst));
        c.cancel(false); // still preparing
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        QVERIFY(finished.front().front().value<ui::JobOutcome>().outcome ==
                engine::JobResult::Outcome::Aborted);
        QVERIFY(!c.isActive());
        // Nothing was mirrored: the file created for it is gone again.
        QTRY_VERIFY(!QFile::exists(dst));
    }

    // What the window does on finished (list the target again, check it as
    // the next job's target, offer to delete it) sees a closed file: the job's
    // descriptors are gone when the signal arrives, as they are when the
    // helper process has exited.
    void finished_targetAlreadyClosed_data()
    {
        QTest::addColumn<bool>("cancelBeforeReady");
        QTest::addColumn<bool>("cancelWhilePreparing");
        QTest::newRow("completed") << false << false;
        QTest::newRow("cancelled before READY") << true << false;
        QTest::newRow("cancelled while preparing") << false << true;
    }

    void finished_targetAlreadyClosed()
    {
        QFETCH(bool, cancelBeforeReady);
        QFETCH(bool, cancelWhilePreparing);
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("dst.img"));
        QVERIFY(testsupport::createSparse(src, 32 * kMiB));
        QVERIFY(testsupport::writePattern(src, 0, 32 * kMiB, 21));
        QVERIFY(testsupport::createSparse(dst, 32 * kMiB));
        const auto id = engine::identify(dst.toStdString());
        QVERIFY(id);
        const engine::FileKey key{id->dev, id->ino};
        ui::LocalJobController c(engine::nullLogger());
        std::optional<std::size_t> openersAtFinish;
        std::optional<bool> activeAtFinish;
        QObject::connect(&c, &ui::JobController::finished, this, [&] {
            openersAtFinish = engine::findOpeners({}, {key}).size();
            activeAtFinish = c.isActive();
        });
        ui::JobRequest r = request(src, dst);
        r.targets[0].overwriteConfirmed = true;
        if (cancelBeforeReady)
            r.settings.speed = 1 * kMiB;
        c.start(r);
        if (cancelWhilePreparing) {
            c.cancel(false);
        } else if (cancelBeforeReady) {
            QTRY_VERIFY_WITH_TIMEOUT(c.status() == JobStatus::Running, 20000);
            c.cancel(false);
        } else {
            QTRY_VERIFY_WITH_TIMEOUT(c.status() == JobStatus::Ready, 20000);
            c.complete();
        }
        QTRY_VERIFY_WITH_TIMEOUT(openersAtFinish.has_value(), 20000);
        QCOMPARE(*openersAtFinish, std::size_t(0));
        QCOMPARE(*activeAtFinish, false);
        QVERIFY(c.status() == JobStatus::Concluded);
    }

    void destroy_whileRunning_doesNotHang()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("dst.img"));
        QVERIFY(testsupport::createSparse(src, 32 * kMiB));
        QVERIFY(testsupport::writePattern(src, 0, 32 * kMiB, 5));
        auto c = std::make_unique<ui::LocalJobController>(engine::nullLogger());
        ui::JobRequest r = request(src, dst);
        r.settings.speed = 1 * kMiB;
        r.demoWriter = true; // the writer must stop with the job
        c->start(r);
        QTRY_VERIFY_WITH_TIMEOUT(c->status() == JobStatus::Running, 20000);
        QElapsedTimer t;
        t.start();
        c.reset();
        QVERIFY(t.elapsed() < 5000);
    }

    void inspectTarget_reportsRefusalOrFacts()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("dst.img"));
        QVERIFY(testsupport::createSparse(src, 16 * kMiB));
        QVERIFY(testsupport::createSparse(dst, 16 * kMiB));
        ui::LocalJobController c(engine::nullLogger());
        QSignalSpy inspected(&c, &ui::JobController::targetInspected);
        c.inspectTarget(src, dst, {});
        QTRY_COMPARE(inspected.count(), 1);
        auto i = inspected.front().front().value<ui::TargetInspection>();
        QVERIFY(!i.refusal);
        QVERIFY(i.facts.exists);
        QCOMPARE(i.facts.size, 16 * kMiB);
        c.inspectTarget(src, src, {});
        QTRY_COMPARE(inspected.count(), 2);
        i = inspected.back().front().value<ui::TargetInspection>();
        QVERIFY(i.refusal);
        QVERIFY(!c.isActive());
        // An identity names a disk: a file under the chosen path is refused.
        c.inspectTarget(src, dst, QStringLiteral("seq:loop7:42"));
        QTRY_COMPARE(inspected.count(), 3);
        i = inspected.back().front().value<ui::TargetInspection>();
        QVERIFY(i.refusal);
        QVERIFY2(i.refusal->message.find("(rule: target identity)") != std::string::npos,
                 i.refusal->message.c_str());
    }

    void start_expectedTargetId_reachesTheEngineRules()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("dst.img"));
        QVERIFY(testsupport::createSparse(src, 16 * kMiB));
        QVERIFY(testsupport::createSparse(dst, 16 * kMiB));
        ui::LocalJobController c(engine::nullLogger());
        QSignalSpy failed(&c, &ui::JobController::startFailed);
        ui::JobRequest r = request(src, dst);
        r.targets[0].expectedId = QStringLiteral("wwn:0x5000c500a1b2c3d4");
        c.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 20000);
        const auto error = failed.front().front().value<engine::Error>();
        QVERIFY2(error.message.find("(rule: target identity)") != std::string::npos,
                 error.message.c_str());
        QVERIFY(!c.isActive());
    }

    void abortedBeforeReady_createdTarget_keptAndNamedForTheWindow()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("new.img"));
        QVERIFY(testsupport::createSparse(src, 32 * kMiB));
        QVERIFY(testsupport::writePattern(src, 0, 32 * kMiB, 13));
        ui::LocalJobController c(engine::nullLogger());
        QSignalSpy finished(&c, &ui::JobController::finished);
        ui::JobRequest r = request(src, dst);
        r.settings.speed = 1 * kMiB;
        c.start(r);
        QTRY_VERIFY_WITH_TIMEOUT(c.status() == JobStatus::Running, 20000);
        c.cancel(false);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(o.outcome == engine::JobResult::Outcome::Aborted);
        QVERIFY(o.targetCreated);
        // The job started writing it: whether it goes is the user's choice.
        QTest::qWait(200);
        QVERIFY(QFile::exists(dst));
        struct stat st
        {
        };
        QCOMPARE(::stat(QFile::encodeName(dst).constData(), &st), 0);
        QCOMPARE(o.targetInode, static_cast<std::uint64_t>(st.st_ino));
        QCOMPARE(o.targetDevice, static_cast<std::uint64_t>(st.st_dev));
    }

    void cancelAfterReady_demoWriter_consistentUnlessQuick_data()
    {
        QTest::addColumn<bool>("quick");
        QTest::newRow("consistent") << false;
        QTest::newRow("quick") << true;
    }

    void cancelAfterReady_demoWriter_consistentUnlessQuick()
    {
        QFETCH(bool, quick);
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("dst.img"));
        QVERIFY(testsupport::createSparse(src, 16 * kMiB));
        QVERIFY(testsupport::writePattern(src, 0, 4 * kMiB, 14));
        QVERIFY(testsupport::createSparse(dst, 16 * kMiB));
        ui::LocalJobController c(engine::nullLogger());
        QSignalSpy ready(&c, &ui::JobController::ready);
        QSignalSpy finished(&c, &ui::JobController::finished);
        ui::JobRequest r = request(src, dst);
        r.demoWriter = true; // the source changes until the final copy
        c.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
        c.cancel(quick);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(o.outcome == engine::JobResult::Outcome::Cancelled);
        QCOMPARE(o.powerCutCopy, quick);
        QVERIFY(!o.targetCreated);
        if (!quick) // a copy of the moment the writer was stopped
            QVERIFY(testsupport::cmpIdentical(src, dst));
    }

    void liveLoopSource_writesAfterReady_trackedAndCompletedIdentical()
    {
        if (!testsupport::isRoot())
            QSKIP("needs root: a loop device as the source, kernel write tracking");
        ScratchDir dir;
        const QString img = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("dst.img"));
        QVERIFY(testsupport::createSparse(img, 32 * kMiB));
        QVERIFY(testsupport::writePattern(img, 0, 8 * kMiB, 11));
        QString why;
        auto loop = testsupport::LoopDevice::attach(img, &why);
        QVERIFY2(loop, qPrintable(why));
        ui::LocalJobController c(engine::nullLogger());
        QSignalSpy ready(&c, &ui::JobController::ready);
        QSignalSpy finished(&c, &ui::JobController::finished);
        ui::JobRequest r = request(loop->path(), dst);
        r.settings.verify = true;
        c.start(r);
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 20000);
        // Written behind the job's back, to the device: only the kernel's
        // tracking tells the job, and verify would catch a miss.
        const auto dd = testsupport::runCommand(
            QStringLiteral("dd"),
            {QStringLiteral("if=/dev/urandom"), QStringLiteral("of=") + loop->path(),
             QStringLiteral("bs=64K"), QStringLiteral("count=16"), QStringLiteral("seek=300"),
             QStringLiteral("oflag=direct"), QStringLiteral("status=none")});
        QCOMPARE(dd.exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            c.snapshot() && c.snapshot()->dirtyBytes == 0 && c.status() == JobStatus::Ready, 20000);
        c.complete();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(o.outcome == engine::JobResult::Outcome::Completed);
        QVERIFY(o.liveSource);
        QVERIFY(o.frozenMountPoints.isEmpty()); // nothing mounted, nothing frozen
        QVERIFY(o.verify && o.verify->identical);
        QVERIFY(testsupport::cmpIdentical(loop->path(), dst));
    }
};

QTEST_MAIN(TestLocalJobController)
#include "tst_local_job_controller.moc"
