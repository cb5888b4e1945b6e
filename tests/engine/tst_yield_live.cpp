// A mirror that gives way to its source's user, as root on a loop device with
// direct I/O (so that the load reaches the disk below, as a real disk's user
// would): fio writes 64 KiB at random at 200/s while the job copies. With
// YieldMode::Auto the job yields and still reaches READY with an identical
// target; with YieldMode::Off it keeps its full depth; the forecast has
// numbers once the copy is under way; an offline job never yields.
#include "engine_printers.h"
#include "io/disk.h"
#include "job/mirror_job.h"
#include "test_support.h"
#include "track/live_source.h"

#include <QtTest>

#include <algorithm>
#include <functional>
#include <thread>

using namespace engine;
using namespace testsupport;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t MiB = 1 << 20;
constexpr std::uint64_t kSourceSize = 512 * MiB;

// The source's user: random 64 KiB direct writes at a fixed rate.
class FioUser : public FioWriter
{
public:
    explicit FioUser(const QString& device, const QString& blockSize = QStringLiteral("64k"),
                     int iops = 200)
        : FioWriter({QStringLiteral("--name=user"), QStringLiteral("--filename=") + device,
                     QStringLiteral("--rw=randwrite"), QStringLiteral("--bs=") + blockSize,
                     QStringLiteral("--direct=1"), QStringLiteral("--ioengine=psync"),
                     QStringLiteral("--rate_iops=") + QString::number(iops),
                     QStringLiteral("--time_based"), QStringLiteral("--runtime=300")})
    {
    }
};

// A job on a live source, torn down in the order LiveSource needs (its
// tracking stops before the job goes away), also when a check fails.
struct LiveJob
{
    std::unique_ptr<LiveSource> live;
    std::unique_ptr<MirrorJob> job;
    ~LiveJob()
    {
        if (job && !job->finished()) {
            (void)job->cancel(true);
            job->wait();
        }
        if (live)
            live->stop();
        job.reset();
    }
};

// The source's user at work on a new loop device, and a live job started on
// it after him; torn down job first, then the user, then the device.
struct UnderLoad
{
    QString image;
    QString target;
    std::unique_ptr<LoopDevice> loop;
    std::unique_ptr<FioUser> user;
    LiveJob lj;
};

// Calls @p visit once with each new progress snapshot of @p job that watches
// its disk and is half a second into the copy, until @p done holds for a
// snapshot or @p limit passes; says whether @p done held.
bool watchYielding(const MirrorJob& job, const std::function<void(const JobSnapshot&)>& visit,
                   const std::function<bool(const JobSnapshot&)>& done,
                   std::chrono::milliseconds limit)
{
    std::uint64_t lastGeneration = 0;
    return waitFor(
        [&] {
            const auto s = job.snapshot();
            if (s->generation != lastGeneration && s->yield.active && s->elapsedSeconds > 0.5) {
                lastGeneration = s->generation;
                visit(*s);
            }
            return done(*s);
        },
        limit);
}

} // namespace

class TestYieldLive : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void autoUnderLoad_yieldsReachesReadyAndCompletesIdentical();
    void offUnderLoad_neverActiveAndFullDepth();
    void forecast_numbersOnceWellIntoTheCopy();
    void autoUnderLoad_setSpeedStillCaps();
    void smallWritesUnderLoad_neverReadAsQuiet();
    void idleSource_ownReadsNeverTakenForTheUser();
    void offlineImage_neverYields();

private:
    // A loop device with direct I/O over an image of patterned data.
    std::unique_ptr<LoopDevice> makeSource(const QString& name, QString* image,
                                           std::uint64_t size = kSourceSize);
    // Starts a job of @p source to a fresh target image, tracked live.
    void startLive(LiveJob& lj, const QString& device, const QString& target, MirrorOptions o,
                   std::size_t mapCells = 0, std::uint64_t size = kSourceSize);
    // The same on a source fio writes to (@p blockSize at @p iops) from
    // 300 ms before the job starts.
    void startUnderLoad(UnderLoad& u, const QString& name, YieldMode yield,
                        std::uint64_t size = kSourceSize, std::size_t mapCells = 0,
                        const QString& blockSize = QStringLiteral("64k"), int iops = 200);

    ScratchDir m_dir;
};

void TestYieldLive::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

std::unique_ptr<LoopDevice> TestYieldLive::makeSource(const QString& name, QString* image,
                                                      std::uint64_t size)
{
    *image = m_dir.file(name + QStringLiteral(".img"));
    if (!createSparse(*image, size) || !writePattern(*image, 0, size, 12))
        return nullptr;
    QString why;
    auto loop = LoopDevice::attach(*image, &why);
    if (!loop) {
        qWarning("%s", qPrintable(why));
        return nullptr;
    }
    const auto dio =
        runCommand(QStringLiteral("losetup"), {QStringLiteral("--direct-io=on"), loop->path()});
    if (dio.exitCode != 0) {
        qWarning("losetup --direct-io=on: %s", qPrintable(dio.err));
        return nullptr;
    }
    return loop;
}

void TestYieldLive::startLive(LiveJob& lj, const QString& device, const QString& target,
                              MirrorOptions o, std::size_t mapCells, std::uint64_t size)
{
    QVERIFY(createSparse(target, size));
    auto live = LiveSource::create(device.toStdString());
    QVERIFY2(live, live ? "" : live.error().message.c_str());
    lj.live = std::move(*live);
    auto src = Disk::open(device.toStdString(), {Disk::Access::ReadOnly, true, false});
    auto dst = Disk::open(target.toStdString(), {Disk::Access::ReadWrite, true, false});
    QVERIFY(src && dst);
    o.quiescer = lj.live->quiescer();
    auto job = MirrorJob::create(std::move(*src), std::move(*dst), o);
    QVERIFY2(job, job ? "" : job.error().message.c_str());
    lj.job = std::move(*job);
    if (mapCells)
        lj.job->setDirtyMapCells(mapCells);
    QVERIFY(lj.live->attach(*lj.job));
    lj.job->start();
}

void TestYieldLive::startUnderLoad(UnderLoad& u, const QString& name, YieldMode yield,
                                   std::uint64_t size, std::size_t mapCells,
                                   const QString& blockSize, int iops)
{
    u.loop = makeSource(name, &u.image, size);
    QVERIFY(u.loop);
    u.user = std::make_unique<FioUser>(u.loop->path(), blockSize, iops);
    QVERIFY(u.user->running());
    std::this_thread::sleep_for(300ms); // the user is at work before the copy starts
    u.target = m_dir.file(name + QStringLiteral("-target.img"));
    MirrorOptions o;
    o.yield = yield;
    startLive(u.lj, u.loop->path(), u.target, o, mapCells, size);
}

void TestYieldLive::autoUnderLoad_yieldsReachesReadyAndCompletesIdentical()
{
    if (!isRoot())
        QSKIP("needs root: loop devices, tracefs");
    UnderLoad u;
    // Long enough at full speed (a few seconds) for the controller to act.
    startUnderLoad(u, QStringLiteral("auto"), YieldMode::Auto, 2048 * MiB);
    if (QTest::currentTestFailed())
        return;
    LiveJob& lj = u.lj;

    bool active = false;
    double lowestShare = 1.0;
    std::string reasonThen;
    // The first foreground I/O always brings a slowdown to measure it alone;
    // giving way to the load shows outside of those.
    bool yieldedToLoad = false;
    const bool ready = waitFor(
        [&] {
            const auto s = lj.job->snapshot();
            active = active || s->yield.active;
            if (s->yield.yielding && s->yield.share < lowestShare) {
                lowestShare = s->yield.share;
                reasonThen = s->yield.reason;
            }
            yieldedToLoad = yieldedToLoad || (s->yield.yielding && s->yield.share < 1.0 &&
                                              s->yield.reason != "measuring-baseline");
            return s->status == JobStatus::Ready || lj.job->finished();
        },
        45s);
    const auto s = lj.job->snapshot();
    qInfo("READY after %.1f s; lowest share %.3f (%s); foreground %.0f IOPS", s->elapsedSeconds,
          lowestShare, reasonThen.c_str(), s->yield.foregroundIops);
    QVERIFY2(ready, "no READY under the user's load");
    QVERIFY(!lj.job->finished());
    QVERIFY2(active, "the job never watched its source's disk");
    QVERIFY2(lowestShare < 1.0, "the job never gave way to the user's writes");
    QVERIFY2(yieldedToLoad, "the job yielded only to measure the user's baseline");

    // The tracker cannot stop fio: stop it, then the final copy has all.
    u.user->stop();
    QVERIFY(lj.job->complete());
    const JobResult& r = lj.job->wait();
    QVERIFY2(r.outcome == JobResult::Outcome::Completed, r.error.message.c_str());
    lj.live->stop();
    QVERIFY(cmpIdentical(u.image, u.target));
}

void TestYieldLive::offUnderLoad_neverActiveAndFullDepth()
{
    if (!isRoot())
        QSKIP("needs root: loop devices, tracefs");
    UnderLoad u;
    startUnderLoad(u, QStringLiteral("off"), YieldMode::Off, kSourceSize, 4096);
    if (QTest::currentTestFailed())
        return;
    LiveJob& lj = u.lj;

    bool everActive = false;
    std::size_t depth = 0;
    const bool ready = waitFor(
        [&] {
            const auto s = lj.job->snapshot();
            everActive = everActive || s->yield.active || s->yield.yielding;
            if (const auto map = lj.job->dirtyMap())
                depth = std::max(depth, map->inFlight.size());
            return s->status == JobStatus::Ready || lj.job->finished();
        },
        45s);
    QVERIFY(ready);
    QVERIFY(!everActive);
    QCOMPARE(depth, std::size_t{kMaxInFlight});
    u.user->stop();
    QVERIFY(lj.job->complete());
    const JobResult& r = lj.job->wait();
    QVERIFY2(r.outcome == JobResult::Outcome::Completed, r.error.message.c_str());
    lj.live->stop();
    QVERIFY(!lj.job->snapshot()->yield.active);
    QVERIFY(cmpIdentical(u.image, u.target));
}

void TestYieldLive::forecast_numbersOnceWellIntoTheCopy()
{
    if (!isRoot())
        QSKIP("needs root: loop devices, tracefs");
    QString image;
    auto loop = makeSource(QStringLiteral("forecast"), &image);
    QVERIFY(loop);

    LiveJob lj;
    const QString target = m_dir.file(QStringLiteral("forecast-target.img"));
    MirrorOptions o;
    o.speed = 64 * MiB; // 8 s for the copy: long enough to forecast
    startLive(lj, loop->path(), target, o);
    if (QTest::currentTestFailed())
        return;

    QVERIFY(waitFor([&] { return lj.job->snapshot()->bytesDone >= kSourceSize * 2 / 5; }, 30s));
    const auto s = lj.job->snapshot();
    QVERIFY(s->status == JobStatus::Running);
    const Forecast::Estimate& f = s->forecast;
    qInfo("at %.1f s: confidence %s, copy %.1f MiB/s, ready in %.1f s", s->elapsedSeconds,
          qPrintable(name(f.confidence)), f.copyRate / MiB, f.secondsToReady.value_or(-1));
    QVERIFY(f.confidence != Forecast::Confidence::None);
    QVERIFY(f.copyRate > 0);
    QVERIFY(f.converges);
    QVERIFY(f.secondsToReady.has_value());
    QVERIFY(*f.secondsToReady > 0);
    // What is left at the speed limit, within reason.
    const double expected = static_cast<double>(s->bytesRemaining) / (64.0 * MiB);
    QVERIFY2(*f.secondsToReady > expected / 2 && *f.secondsToReady < expected * 2,
             qPrintable(
                 QStringLiteral("%1 s, expected about %2 s").arg(*f.secondsToReady).arg(expected)));
    QVERIFY(lj.job->cancel(true));
    lj.job->wait();
}

void TestYieldLive::autoUnderLoad_setSpeedStillCaps()
{
    if (!isRoot())
        QSKIP("needs root: loop devices, tracefs");
    QString image;
    auto loop = makeSource(QStringLiteral("speed"), &image);
    QVERIFY(loop);
    FioUser user(loop->path());
    QVERIFY(user.running());

    LiveJob lj;
    const QString target = m_dir.file(QStringLiteral("speed-target.img"));
    MirrorOptions o;
    o.speed = 64 * MiB;
    startLive(lj, loop->path(), target, o);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(waitFor([&] { return lj.job->snapshot()->yield.active; }, 5s));
    // A lower limit while yielding: the yield never lifts the copy above it.
    QVERIFY(lj.job->setSpeed(8 * MiB));
    std::this_thread::sleep_for(300ms);
    const auto before = lj.job->snapshot();
    std::this_thread::sleep_for(3s);
    const auto after = lj.job->snapshot();
    const double rate = static_cast<double>(after->bytesDone - before->bytesDone) /
                        (after->elapsedSeconds - before->elapsedSeconds);
    qInfo("%.1f MiB/s under a limit of 8 MiB/s; share %.2f", rate / MiB, after->yield.share);
    QCOMPARE(after->speedLimit, quint64{8 * MiB});
    QVERIFY(after->yield.rateLimit > 0 && after->yield.rateLimit <= 8 * MiB);
    QVERIFY2(rate <= 8.0 * MiB * 1.1, qPrintable(QString::number(rate / MiB)));
    QVERIFY(after->status == JobStatus::Running);
}

void TestYieldLive::smallWritesUnderLoad_neverReadAsQuiet()
{
    // A file system's 4 KiB writes at 2,000/s are fewer sectors an interval
    // than two of the job's 1 MiB reads: by sectors alone, one of the job's
    // completions reaped on the other side of a sample hid them, and the
    // job read the disk as quiet in about 40% of its intervals and took it
    // at full speed.
    if (!isRoot())
        QSKIP("needs root: loop devices, tracefs");
    UnderLoad u;
    startUnderLoad(u, QStringLiteral("small"), YieldMode::Auto, 2048 * MiB, 0, QStringLiteral("4k"),
                   2000);
    if (QTest::currentTestFailed())
        return;
    LiveJob& lj = u.lj;
    int seen = 0;
    int quiet = 0;
    watchYielding(
        *lj.job,
        [&](const JobSnapshot& s) {
            ++seen;
            if (s.yield.reason == "quiet" || s.yield.reason == "growing-back")
                ++quiet;
        },
        [&](const JobSnapshot& s) { return s.status == JobStatus::Ready || lj.job->finished(); },
        8s);
    qInfo("%d of %d progress snapshots read the disk as quiet", quiet, seen);
    QVERIFY(seen >= 8); // READY can come in 2 s: each snapshot counts
    // Up to 1 in 8: a snapshot is also quiet when fio itself paused (its
    // writeback, or the sanitizer build's slower job); 7 of 72 were seen so
    // under AddressSanitizer, 0 of 43 alone. Unseen writes read as quiet in
    // 2 of 5.
    QVERIFY2(quiet * 8 <= seen, "the user's small writes went unseen");
}

void TestYieldLive::idleSource_ownReadsNeverTakenForTheUser()
{
    // Nobody but the job uses the disk. The loop device cuts each of the
    // job's 1 MiB reads in two (128 segments of a page each): counted as
    // one request, the other half read as a user at ~140 requests/s, and
    // the job gave way to itself.
    if (!isRoot())
        QSKIP("needs root: loop devices, tracefs");
    QString image;
    auto loop = makeSource(QStringLiteral("idle"), &image, 2048 * MiB);
    QVERIFY(loop);
    LiveJob lj;
    MirrorOptions o;
    o.yield = YieldMode::Auto;
    startLive(lj, loop->path(), m_dir.file(QStringLiteral("idle-target.img")), o, 0, 2048 * MiB);
    if (QTest::currentTestFailed())
        return;
    int seen = 0;
    int busy = 0;
    double worstIops = 0;
    QVERIFY(watchYielding(
        *lj.job,
        [&](const JobSnapshot& s) {
            if (s.status != JobStatus::Running)
                return;
            ++seen;
            worstIops = std::max(worstIops, s.yield.foregroundIops);
            if (s.yield.foregroundIops > 0)
                ++busy;
        },
        [&](const JobSnapshot& s) { return s.status == JobStatus::Ready || lj.job->finished(); },
        60s));
    qInfo("%d of %d progress snapshots saw a user (at most %.0f requests/s)", busy, seen,
          worstIops);
    QVERIFY(seen >= 4);
    // A read the disk has counted while its completion is still on its way
    // to the job can pass for one request of a user, now and then (1 of 11
    // intervals in one run, 0 of 35 in another); before, every one did.
    QVERIFY2(busy <= std::max(1, seen / 10), "the job's own reads were taken for the user's");
}

void TestYieldLive::offlineImage_neverYields()
{
    // No quiescer: nothing else writes to the source, so there is no one to
    // give way to, even with Auto.
    const QString image = m_dir.file(QStringLiteral("offline.img"));
    const QString target = m_dir.file(QStringLiteral("offline-target.img"));
    QVERIFY(createSparse(image, 128 * MiB));
    QVERIFY(writePattern(image, 0, 128 * MiB, 13));
    QVERIFY(createSparse(target, 128 * MiB));
    auto src = Disk::open(image.toStdString(), {Disk::Access::ReadOnly, true, false});
    auto dst = Disk::open(target.toStdString(), {Disk::Access::ReadWrite, true, false});
    QVERIFY(src && dst);
    MirrorOptions o;
    o.speed = 64 * MiB;
    auto job = MirrorJob::create(std::move(*src), std::move(*dst), o);
    QVERIFY(job);
    (*job)->start();
    bool everActive = false;
    QVERIFY(waitFor(
        [&] {
            const auto s = (*job)->snapshot();
            everActive = everActive || s->yield.active || s->yield.yielding;
            return s->status == JobStatus::Ready;
        },
        30s));
    QVERIFY(!everActive);
    QVERIFY((*job)->complete());
    QVERIFY((*job)->wait().outcome == JobResult::Outcome::Completed);
    QVERIFY(cmpIdentical(image, target));
}

QTEST_GUILESS_MAIN(TestYieldLive)
#include "tst_yield_live.moc"
