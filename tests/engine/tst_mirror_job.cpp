// The mirror job end to end on real image files, with cmp and qemu-img
// compare as oracles that owe nothing to our code.
#include "engine_printers.h"
#include "io/disk.h"
#include "job/mirror_job.h"
#include "job/verify.h"
#include "test_support.h"

#include <QtTest>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <mutex>
#include <random>
#include <thread>

using namespace engine;
using namespace testsupport;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t MiB = 1 << 20;
constexpr std::uint64_t KiB = 1 << 10;

Disk openOrFail(const QString& path, bool writable)
{
    auto d = Disk::open(path.toStdString(),
                        {writable ? Disk::Access::ReadWrite : Disk::Access::ReadOnly, true, false});
    if (!d)
        qFatal("open %s: %s", qPrintable(path), d.error().message.c_str());
    return std::move(*d);
}

std::unique_ptr<MirrorJob> makeJob(const QString& src, const QString& dst, MirrorOptions o = {})
{
    auto job = MirrorJob::create(openOrFail(src, false), openOrFail(dst, true), std::move(o));
    if (!job)
        qFatal("create: %s", job.error().message.c_str());
    return std::move(*job);
}

// Records every status change, thread-safely. The listener owns what it
// records with the log: a test that returns early (a failed QVERIFY) destroys
// its log before the job, which may still be calling the listener.
struct StatusLog
{
    struct Seen
    {
        std::mutex mutex;
        std::vector<JobStatus> statuses;
        std::atomic<bool> ready{false};
    };
    std::shared_ptr<Seen> seen = std::make_shared<Seen>();

    MirrorJob::Listener listener()
    {
        return [s = seen](const JobEvent& ev) {
            if (ev.kind == JobEvent::Kind::StatusChanged) {
                std::lock_guard lock(s->mutex);
                s->statuses.push_back(ev.to);
            }
            if (ev.kind == JobEvent::Kind::Ready)
                s->ready = true;
        };
    }
    bool isReady() const { return seen->ready.load(); }
    std::vector<JobStatus> statuses()
    {
        std::lock_guard lock(seen->mutex);
        return seen->statuses;
    }
};

const JobResult& runToCompletion(MirrorJob& job, StatusLog& log)
{
    job.setListener(log.listener());
    job.start();
    if (!waitFor([&] { return log.isReady() || job.finished(); }))
        qFatal("the job did not reach READY");
    if (!job.finished()) {
        auto r = job.complete();
        if (!r)
            qFatal("complete: %s", r.error().message.c_str());
    }
    return job.wait();
}

// Writes random blocks to a file and tells the job, until stopped; the
// job's quiesce hook stops it, as a frozen file system would.
class Writer
{
public:
    // @p dirtyRate: the bytes per second the writer may dirty, counted in
    // whole granules, so the job can converge as it would on a real system
    // whose write load stays below the copy rate.
    Writer(QString path, std::uint64_t size, std::uint64_t seed, MirrorJob* job,
           std::uint64_t granularity, std::uint64_t dirtyRate = 64 * MiB)
        : m_size(size), m_seed(seed), m_job(job),
          m_pause(
              std::chrono::microseconds(1'000'000 * std::max(granularity, 32 * KiB) / dirtyRate))
    {
        m_fd = ::open(QFile::encodeName(path).constData(), O_WRONLY);
    }
    ~Writer()
    {
        stop();
        ::close(m_fd);
    }
    void start()
    {
        m_loop.start([this] { run(); });
    }
    void stop() { m_loop.stop(); }
    std::uint64_t writes() const { return m_writes; }

private:
    void run()
    {
        std::mt19937_64 rng(m_seed);
        std::vector<std::uint64_t> buf(64 * KiB / 8);
        while (!m_loop.stopping()) {
            // Unaligned offsets and lengths: writes straddle granules.
            const std::uint64_t len = 1 + rng() % (64 * KiB - 1);
            const std::uint64_t off = rng() % (m_size - len);
            for (auto& w : buf)
                w = rng();
            if (::pwrite(m_fd, buf.data(), len, static_cast<off_t>(off)) ==
                static_cast<ssize_t>(len)) {
                m_job->notifyWrite(off, len);
                ++m_writes;
            }
            std::this_thread::sleep_for(m_pause);
        }
    }
    int m_fd = -1;
    std::uint64_t m_size;
    std::uint64_t m_seed;
    MirrorJob* m_job;
    std::chrono::microseconds m_pause;
    std::atomic<std::uint64_t> m_writes{0};
    BackgroundLoop m_loop;
};

// A quiescer whose two hooks a test scripts, counting the calls.
class ScriptedQuiescer : public Quiescer
{
public:
    std::function<Result<void>(int call)> onQuiesce;
    std::function<void()> onRelease;
    std::atomic<int> quiesces{0};
    std::atomic<int> releases{0};

    Result<void> quiesce(std::chrono::milliseconds) override
    {
        const int call = ++quiesces;
        return onQuiesce ? onQuiesce(call) : Result<void>{};
    }
    Result<void> release() override
    {
        ++releases;
        if (onRelease)
            onRelease();
        return {};
    }
};

// Every event of a job, thread-safely, for asserting on their order; owned
// with the listener, as StatusLog's.
struct EventLog
{
    struct Seen
    {
        std::mutex mutex;
        std::vector<JobEvent> events;
    };
    std::shared_ptr<Seen> seen = std::make_shared<Seen>();

    MirrorJob::Listener listener()
    {
        return [s = seen](const JobEvent& ev) {
            if (ev.kind == JobEvent::Kind::Progress)
                return;
            std::lock_guard lock(s->mutex);
            s->events.push_back(ev);
        };
    }
    int count(JobEvent::Kind kind)
    {
        std::lock_guard lock(seen->mutex);
        return static_cast<int>(std::count_if(seen->events.begin(), seen->events.end(),
                                              [&](const JobEvent& e) { return e.kind == kind; }));
    }
    std::string lastMessage(JobEvent::Kind kind)
    {
        std::lock_guard lock(seen->mutex);
        for (auto it = seen->events.rbegin(); it != seen->events.rend(); ++it)
            if (it->kind == kind)
                return it->message;
        return {};
    }
};

QByteArray readRange(const QString& path, std::uint64_t offset, std::uint64_t length)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || !f.seek(static_cast<qint64>(offset)))
        return {};
    return f.read(static_cast<qint64>(length));
}

// Overwrites bytes of a file behind the job's back (a lying or meddling disk).
bool scribble(const QString& path, std::uint64_t offset, const QByteArray& bytes)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::pwrite(fd, bytes.constData(), static_cast<std::size_t>(bytes.size()),
                             static_cast<off_t>(offset)) == bytes.size() &&
                    ::fdatasync(fd) == 0;
    ::close(fd);
    return ok;
}

bool containsOffset(const std::vector<ByteRange>& ranges, std::uint64_t offset)
{
    return std::any_of(ranges.begin(), ranges.end(),
                       [&](const ByteRange& r) { return r.offset <= offset && offset < r.end(); });
}

} // namespace

class TestMirrorJob : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void syncFull_dataHolesAndZeroes_identicalByCmpAndQemuImg();
    void syncFull_statusSequence_matchesQemuLifecycle();
    void syncTop_holesOfSource_leftUntouchedOnTarget();
    void syncNone_copiesOnlyNotifiedWrites();
    void liveWriter_randomSeeds_completeGivesIdenticalTarget_data();
    void liveWriter_randomSeeds_completeGivesIdenticalTarget();
    void oddSizes_notMultipleOfGranularity_identical_data();
    void oddSizes_notMultipleOfGranularity_identical();
    void emptySource_readyAtOnce();
    void zeroHeavySource_targetStaysSparse();
    void noUnmap_zeroRunsWrittenAsZeroes();
    void cancel_beforeReady_abortsAndSaysIncomplete();
    void cancel_afterReady_consistentCopy();
    void pause_whileRunning_stopsCopyingUntilResume();
    void speed_changedWhileRunning_takesEffect();
    void commands_inWrongState_refusedWithStateAndVerb();
    void create_refusesBadCombinations();
    void verifyDisks_reportsFirstDifferences();
    void dirtyMap_publishedWithCells();

    // Complete, Cancel and verification with the source let go again.
    void verify_sourceChangedAfterThaw_checkedAgainstHashes();
    void verify_targetCorruptedAfterThaw_caught_data();
    void verify_targetCorruptedAfterThaw_caught();
    void verify_writerBusyAfterThaw_noFalseDifference();
    void maxFreeze_finalCopyTooLong_completeFailsThenSucceeds();
    void cancel_afterReady_quiescesUnlessQuick_data();
    void cancel_afterReady_quiescesUnlessQuick();
    void wipeRest_largerTarget_data();
    void wipeRest_largerTarget();
    void bufSize_smallerThanGranule_roundedUpAsQemu_data();
    void bufSize_smallerThanGranule_roundedUpAsQemu();
    void teardown_cancelMidFlight_manyTimes();
    void teardown_verifyStoppedMidFlight_manyTimes();
    void sourceShrinksMidJob_failsSayingSo();
    void targetDeletedBeforeComplete_noSuccessClaimed();

private:
    ScratchDir m_dir;
};

void TestMirrorJob::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestMirrorJob::syncFull_dataHolesAndZeroes_identicalByCmpAndQemuImg()
{
    const QString src = m_dir.file("full-src.img"), dst = m_dir.file("full-dst.img");
    QVERIFY(createSparse(src, 64 * MiB));
    QVERIFY(writePattern(src, 0, 5 * MiB, 1));
    QVERIFY(writePattern(src, 20 * MiB + 4 * KiB, 3 * MiB, 2));
    QVERIFY(writeZeroData(src, 30 * MiB, 2 * MiB));
    QVERIFY(writePattern(src, 64 * MiB - 100 * KiB, 100 * KiB, 3));
    // The target held other data: full mode must overwrite holes too.
    QVERIFY(createSparse(dst, 64 * MiB));
    QVERIFY(writePattern(dst, 0, 64 * MiB, 99));

    auto job = makeJob(src, dst);
    StatusLog log;
    const JobResult& r = runToCompletion(*job, log);
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QCOMPARE(r.bytesDone, 64 * MiB); // an idle source is copied exactly once
    QVERIFY(r.bytesZeroed >= 64 * MiB - 10 * MiB);
    job.reset();
    QVERIFY(cmpIdentical(src, dst));
    const auto q = qemuImgIdentical(src, dst);
    QVERIFY2(q.has_value(), "qemu-img is not installed");
    QVERIFY(*q);
}

void TestMirrorJob::syncFull_statusSequence_matchesQemuLifecycle()
{
    const QString src = m_dir.file("seq-src.img"), dst = m_dir.file("seq-dst.img");
    QVERIFY(createSparse(src, 8 * MiB));
    QVERIFY(writePattern(src, 0, 8 * MiB, 4));
    QVERIFY(createSparse(dst, 8 * MiB));
    auto job = makeJob(src, dst);
    StatusLog log;
    runToCompletion(*job, log);
    job.reset(); // joins: the final transition to null has happened
    const std::vector<JobStatus> expected{JobStatus::Running,   JobStatus::Ready,
                                          JobStatus::Waiting,   JobStatus::Pending,
                                          JobStatus::Concluded, JobStatus::Null};
    QCOMPARE(names(log.statuses()), names(expected));
}

void TestMirrorJob::syncTop_holesOfSource_leftUntouchedOnTarget()
{
    const QString src = m_dir.file("top-src.img"), dst = m_dir.file("top-dst.img");
    QVERIFY(createSparse(src, 32 * MiB));
    QVERIFY(writePattern(src, 2 * MiB, 2 * MiB, 5));
    QVERIFY(writePattern(src, 16 * MiB, 1 * MiB, 6));
    QVERIFY(createSparse(dst, 32 * MiB));
    QVERIFY(writePattern(dst, 0, 32 * MiB, 77));
    const QString old = m_dir.file("top-old.img");
    QVERIFY(QFile::copy(dst, old));

    MirrorOptions o;
    o.sync = SyncMode::Top;
    auto job = makeJob(src, dst, o);
    StatusLog log;
    const JobResult& r = runToCompletion(*job, log);
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QCOMPARE(r.bytesDone, 3 * MiB);
    job.reset();
    // Allocated extents copied...
    QFile s(src), d(dst), o2(old);
    QVERIFY(s.open(QIODevice::ReadOnly) && d.open(QIODevice::ReadOnly) &&
            o2.open(QIODevice::ReadOnly));
    auto range = [](QFile& f, qint64 off, qint64 len) {
        f.seek(off);
        return f.read(len);
    };
    QCOMPARE(range(d, 2 * MiB, 2 * MiB), range(s, 2 * MiB, 2 * MiB));
    QCOMPARE(range(d, 16 * MiB, MiB), range(s, 16 * MiB, MiB));
    // ...and the holes keep what the target had.
    QCOMPARE(range(d, 0, 2 * MiB), range(o2, 0, 2 * MiB));
    QCOMPARE(range(d, 8 * MiB, 8 * MiB), range(o2, 8 * MiB, 8 * MiB));
    QCOMPARE(range(d, 20 * MiB, 12 * MiB), range(o2, 20 * MiB, 12 * MiB));
}

void TestMirrorJob::syncNone_copiesOnlyNotifiedWrites()
{
    const QString src = m_dir.file("none-src.img"), dst = m_dir.file("none-dst.img");
    QVERIFY(createSparse(src, 16 * MiB));
    QVERIFY(writePattern(src, 0, 16 * MiB, 8));
    QVERIFY(createSparse(dst, 16 * MiB));
    QVERIFY(writePattern(dst, 0, 16 * MiB, 9));
    const QString old = m_dir.file("none-old.img");
    QVERIFY(QFile::copy(dst, old));

    MirrorOptions o;
    o.sync = SyncMode::None;
    auto job = makeJob(src, dst, o);
    StatusLog log;
    job->setListener(log.listener());
    job->start();
    QVERIFY(waitFor([&] { return log.isReady(); }));
    QCOMPARE(job->snapshot()->bytesDone, 0ull);
    // A write after READY: rewrite 100 KiB at 5 MiB + 3, then notify.
    QVERIFY(writePattern(src, 5 * MiB + 3, 100 * KiB, 10));
    job->notifyWrite(5 * MiB + 3, 100 * KiB);
    QVERIFY(job->complete());
    const JobResult& r = job->wait();
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QCOMPARE(r.bytesDone, 128 * KiB); // two 64 KiB granules
    job.reset();
    QFile s(src), d(dst), o2(old);
    QVERIFY(s.open(QIODevice::ReadOnly) && d.open(QIODevice::ReadOnly) &&
            o2.open(QIODevice::ReadOnly));
    s.seek(5 * MiB);
    d.seek(5 * MiB);
    QCOMPARE(d.read(128 * KiB), s.read(128 * KiB));
    d.seek(0);
    o2.seek(0);
    QCOMPARE(d.read(5 * MiB), o2.read(5 * MiB));
    d.seek(5 * MiB + 128 * KiB);
    o2.seek(5 * MiB + 128 * KiB);
    QCOMPARE(d.readAll(), o2.readAll());
}

void TestMirrorJob::liveWriter_randomSeeds_completeGivesIdenticalTarget_data()
{
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<quint64>("size");
    QTest::addColumn<quint64>("granularity");
    QTest::addColumn<quint64>("bufSize");
    std::mt19937_64 rng(20261122);
    const quint64 grans[] = {4 * KiB, 64 * KiB, 512 * KiB, 1 * MiB};
    for (int i = 0; i < 12; ++i) {
        const quint64 g = grans[rng() % 4];
        const quint64 size = 32 * MiB + (rng() % (16 * MiB)) / 4096 * 4096 + (i % 3 ? 0 : g / 2);
        const quint64 buf = std::max<quint64>(g, (rng() % 2 ? 16 : 2) * MiB);
        QTest::addRow("seed%d-g%llu", i, static_cast<unsigned long long>(g))
            << quint64(rng()) << size << g << buf;
    }
}

void TestMirrorJob::liveWriter_randomSeeds_completeGivesIdenticalTarget()
{
    QFETCH(quint64, seed);
    QFETCH(quint64, size);
    QFETCH(quint64, granularity);
    QFETCH(quint64, bufSize);
    const QString src = m_dir.file("live-src.img"), dst = m_dir.file("live-dst.img");
    QFile::remove(src);
    QFile::remove(dst);
    QVERIFY(createSparse(src, size));
    QVERIFY(writePattern(src, 0, size / 2, seed));
    QVERIFY(createSparse(dst, size));

    std::unique_ptr<Writer> writer;
    MirrorOptions o;
    o.granularity = granularity;
    o.bufSize = bufSize;
    o.quiescer = makeQuiescer([&]() -> Result<void> {
        writer->stop();
        return {};
    });
    auto job = makeJob(src, dst, o);
    writer = std::make_unique<Writer>(src, size, seed, job.get(), granularity);
    // The writer must be gone before the job it notifies, on every path.
    auto stopWriter = qScopeGuard([&] { writer->stop(); });
    StatusLog log;
    job->setListener(log.listener());
    writer->start(); // writes start before and continue during the copy
    job->start();
    QVERIFY(waitFor([&] { return log.isReady(); }));
    std::this_thread::sleep_for(100ms); // live mirroring after READY
    QVERIFY(job->complete());
    const JobResult& r = job->wait();
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QVERIFY2(writer->writes() > 0, "the writer never wrote");
    job.reset();
    QVERIFY2(cmpIdentical(src, dst),
             qPrintable(QStringLiteral("differs after %1 writes").arg(writer->writes())));
}

void TestMirrorJob::oddSizes_notMultipleOfGranularity_identical_data()
{
    QTest::addColumn<quint64>("size");
    QTest::addColumn<quint64>("granularity");
    QTest::newRow("10MiB+1234, 64K") << quint64(10 * MiB + 1234) << quint64(64 * KiB);
    QTest::newRow("1MiB+4097, 64K") << quint64(MiB + 4097) << quint64(64 * KiB);
    QTest::newRow("smaller than a granule") << quint64(3000) << quint64(64 * KiB);
    QTest::newRow("one byte") << quint64(1) << quint64(512);
    QTest::newRow("5MiB-512, 1M") << quint64(5 * MiB - 512) << quint64(MiB);
}

void TestMirrorJob::oddSizes_notMultipleOfGranularity_identical()
{
    QFETCH(quint64, size);
    QFETCH(quint64, granularity);
    const QString src = m_dir.file("odd-src.img"), dst = m_dir.file("odd-dst.img");
    QFile::remove(src);
    QFile::remove(dst);
    QVERIFY(createSparse(src, size));
    QVERIFY(writePattern(src, 0, size, size));
    QVERIFY(createSparse(dst, size));
    MirrorOptions o;
    o.granularity = granularity;
    auto job = makeJob(src, dst, o);
    StatusLog log;
    const JobResult& r = runToCompletion(*job, log);
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QCOMPARE(r.bytesDone, size);
    job.reset();
    QCOMPARE(fileSize(dst), size);
    QVERIFY(cmpIdentical(src, dst));
}

void TestMirrorJob::emptySource_readyAtOnce()
{
    const QString src = m_dir.file("empty-src.img"), dst = m_dir.file("empty-dst.img");
    QVERIFY(createSparse(src, 0));
    QVERIFY(createSparse(dst, 0));
    auto job = makeJob(src, dst);
    StatusLog log;
    const JobResult& r = runToCompletion(*job, log);
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QCOMPARE(r.bytesDone, 0ull);
}

void TestMirrorJob::zeroHeavySource_targetStaysSparse()
{
    const QString src = m_dir.file("sparse-src.img"), dst = m_dir.file("sparse-dst.img");
    QVERIFY(createSparse(src, 128 * MiB));
    for (int i = 0; i < 8; ++i) // ~10% data
        QVERIFY(writePattern(src, static_cast<std::uint64_t>(i) * 16 * MiB, 1600 * KiB, 20 + i));
    QVERIFY(writeZeroData(src, 100 * MiB, 8 * MiB)); // allocated, but zero
    QVERIFY(createSparse(dst, 128 * MiB));
    auto job = makeJob(src, dst);
    StatusLog log;
    const JobResult& r = runToCompletion(*job, log);
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QCOMPARE(r.bytesDone - r.bytesZeroed, 8 * 1600 * KiB);
    job.reset();
    QVERIFY(cmpIdentical(src, dst));
    const auto allocated = allocatedBytes(dst);
    QVERIFY2(allocated <= 8 * 1600 * KiB + 8 * 64 * KiB,
             qPrintable(QStringLiteral("target allocates %1 bytes").arg(allocated)));
}

void TestMirrorJob::noUnmap_zeroRunsWrittenAsZeroes()
{
    const QString src = m_dir.file("nounmap-src.img"), dst = m_dir.file("nounmap-dst.img");
    QVERIFY(createSparse(src, 16 * MiB));
    QVERIFY(writePattern(src, 4 * MiB, MiB, 30));
    QVERIFY(createSparse(dst, 16 * MiB));
    QVERIFY(writePattern(dst, 0, 16 * MiB, 31));
    MirrorOptions o;
    o.unmap = false;
    auto job = makeJob(src, dst, o);
    StatusLog log;
    QCOMPARE(name(runToCompletion(*job, log).outcome), name(JobResult::Outcome::Completed));
    job.reset();
    QVERIFY(cmpIdentical(src, dst));
    // Without unmap the zeroed ranges stay allocated (ZERO_RANGE).
    QVERIFY(allocatedBytes(dst) >= 15 * MiB);
}

void TestMirrorJob::cancel_beforeReady_abortsAndSaysIncomplete()
{
    const QString src = m_dir.file("cancel-src.img"), dst = m_dir.file("cancel-dst.img");
    QVERIFY(createSparse(src, 64 * MiB));
    QVERIFY(writePattern(src, 0, 64 * MiB, 40));
    QVERIFY(createSparse(dst, 64 * MiB));
    MirrorOptions o;
    o.speed = 4 * MiB;
    auto job = makeJob(src, dst, o);
    StatusLog log;
    job->setListener(log.listener());
    job->start();
    QVERIFY(waitFor([&] { return job->snapshot()->bytesDone > 0; }));
    QVERIFY(job->cancel());
    const JobResult& r = job->wait();
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Aborted));
    QVERIFY(r.bytesDone < 64 * MiB);
    job.reset();
    const auto seen = log.statuses();
    QVERIFY(std::find(seen.begin(), seen.end(), JobStatus::Aborting) != seen.end());
    QVERIFY(std::find(seen.begin(), seen.end(), JobStatus::Ready) == seen.end());
    QVERIFY(!cmpIdentical(src, dst));
}

void TestMirrorJob::cancel_afterReady_consistentCopy()
{
    const QString src = m_dir.file("cancel2-src.img"), dst = m_dir.file("cancel2-dst.img");
    QVERIFY(createSparse(src, 16 * MiB));
    QVERIFY(writePattern(src, 0, 16 * MiB, 41));
    QVERIFY(createSparse(dst, 16 * MiB));
    auto job = makeJob(src, dst);
    StatusLog log;
    job->setListener(log.listener());
    job->start();
    QVERIFY(waitFor([&] { return log.isReady(); }));
    QVERIFY(job->cancel());
    const JobResult& r = job->wait();
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Cancelled));
    job.reset();
    const auto seen = log.statuses();
    QVERIFY(std::find(seen.begin(), seen.end(), JobStatus::Aborting) == seen.end());
    QVERIFY(cmpIdentical(src, dst));
}

void TestMirrorJob::pause_whileRunning_stopsCopyingUntilResume()
{
    const QString src = m_dir.file("pause-src.img"), dst = m_dir.file("pause-dst.img");
    QVERIFY(createSparse(src, 64 * MiB));
    QVERIFY(writePattern(src, 0, 64 * MiB, 42));
    QVERIFY(createSparse(dst, 64 * MiB));
    MirrorOptions o;
    o.speed = 8 * MiB;
    auto job = makeJob(src, dst, o);
    StatusLog log;
    job->setListener(log.listener());
    job->start();
    QVERIFY(waitFor([&] { return job->snapshot()->bytesDone > 0; }));
    QVERIFY(job->pause());
    QVERIFY(waitFor([&] {
        auto s = job->snapshot();
        return s->status == JobStatus::Paused && s->inFlightBytes == 0;
    }));
    const auto before = job->snapshot()->bytesDone;
    std::this_thread::sleep_for(400ms);
    QCOMPARE(job->snapshot()->bytesDone, before); // drained and idle
    QVERIFY(!job->pause());                       // already paused: refused
    QVERIFY(job->resume());
    QVERIFY(job->setSpeed(0));
    QVERIFY(waitFor([&] { return log.isReady(); }));
    QVERIFY(job->complete());
    QCOMPARE(name(job->wait().outcome), name(JobResult::Outcome::Completed));
    job.reset();
    QVERIFY(cmpIdentical(src, dst));
}

void TestMirrorJob::speed_changedWhileRunning_takesEffect()
{
    const QString src = m_dir.file("speed-src.img"), dst = m_dir.file("speed-dst.img");
    QVERIFY(createSparse(src, 128 * MiB));
    QVERIFY(writePattern(src, 0, 128 * MiB, 43));
    QVERIFY(createSparse(dst, 128 * MiB));
    MirrorOptions o;
    o.speed = 2 * MiB;
    auto job = makeJob(src, dst, o);
    StatusLog log;
    job->setListener(log.listener());
    job->start();
    std::this_thread::sleep_for(1s);
    // A limit can only be exceeded by the slack of one request per slice,
    // however slow the machine: a functional check, not a timing one.
    const auto limited = job->snapshot()->bytesDone;
    QVERIFY2(limited <= 6 * MiB, qPrintable(QString::number(limited)));
    QCOMPARE(job->snapshot()->speedLimit, 2 * MiB);
    QVERIFY(job->setSpeed(0));
    QVERIFY(waitFor([&] { return log.isReady(); }, 120s));
    QCOMPARE(job->snapshot()->speedLimit, 0ull);
    QVERIFY(job->complete());
    QCOMPARE(name(job->wait().outcome), name(JobResult::Outcome::Completed));
    job.reset();
    QVERIFY(cmpIdentical(src, dst));
}

void TestMirrorJob::commands_inWrongState_refusedWithStateAndVerb()
{
    const QString src = m_dir.file("cmd-src.img"), dst = m_dir.file("cmd-dst.img");
    QVERIFY(createSparse(src, 64 * MiB));
    QVERIFY(writePattern(src, 0, 64 * MiB, 44));
    QVERIFY(createSparse(dst, 64 * MiB));
    MirrorOptions o;
    o.speed = 4 * MiB;
    auto job = makeJob(src, dst, o);
    job->start();
    QVERIFY(waitFor([&] { return job->status() == JobStatus::Running; }));
    const auto r = job->complete();
    QVERIFY(!r);
    QVERIFY2(r.error().message.find("complete") != std::string::npos &&
                 r.error().message.find("running") != std::string::npos,
             r.error().message.c_str());
    QVERIFY(!job->resume());
    QVERIFY(job->cancel());
    QCOMPARE(name(job->wait().outcome), name(JobResult::Outcome::Aborted));
    QVERIFY(!job->cancel());
}

void TestMirrorJob::create_refusesBadCombinations()
{
    const QString a = m_dir.file("cr-a.img"), small = m_dir.file("cr-small.img");
    QVERIFY(createSparse(a, 8 * MiB));
    QVERIFY(createSparse(small, 4 * MiB));
    {
        auto r = MirrorJob::create(openOrFail(a, false), openOrFail(small, true), {});
        QVERIFY(!r);
        QVERIFY(r.error().message.find("smaller") != std::string::npos);
    }
    {
        auto r = MirrorJob::create(openOrFail(a, false), openOrFail(a, true), {});
        QVERIFY(!r);
        QVERIFY(r.error().message.find("same") != std::string::npos);
    }
    for (std::uint64_t g : {std::uint64_t(3000), std::uint64_t(256), std::uint64_t(128 * MiB)}) {
        MirrorOptions o;
        o.granularity = g;
        const QString b = m_dir.file("cr-b.img");
        QVERIFY(createSparse(b, 8 * MiB));
        auto r = MirrorJob::create(openOrFail(a, false), openOrFail(b, true), o);
        QVERIFY2(!r, qPrintable(QString::number(g)));
        QVERIFY(r.error().message.find("granularity") != std::string::npos);
    }
    {
        const QString b = m_dir.file("cr-b.img");
        auto r = MirrorJob::create(openOrFail(a, false), openOrFail(b, false), {});
        QVERIFY(!r);
    }
}

void TestMirrorJob::verifyDisks_reportsFirstDifferences()
{
    const QString a = m_dir.file("v-a.img"), b = m_dir.file("v-b.img");
    QVERIFY(createSparse(a, 16 * MiB));
    QVERIFY(writePattern(a, MiB, 4 * MiB, 50));
    QVERIFY(createSparse(b, 16 * MiB));
    QVERIFY(writePattern(b, MiB, 4 * MiB, 50));
    {
        auto r = verifyDisks(openOrFail(a, false), openOrFail(b, false));
        QVERIFY(r);
        QVERIFY(r->identical);
        QCOMPARE(r->bytesCompared + r->bytesSkipped, 16 * MiB);
        QVERIFY(r->bytesSkipped >= 10 * MiB); // holes on both sides are not read
    }
    QVERIFY(writePattern(b, 3 * MiB + 700, 10, 51));
    QVERIFY(writePattern(b, 12 * MiB, 512, 52));
    auto r = verifyDisks(openOrFail(a, false), openOrFail(b, false));
    QVERIFY(r);
    QVERIFY(!r->identical);
    QCOMPARE(r->differences.size(), std::size_t(2));
    QCOMPARE(r->differences[0], (ByteRange{3 * MiB + 512, 512}));
    QCOMPARE(r->differences[1], (ByteRange{12 * MiB, 512}));
}

void TestMirrorJob::dirtyMap_publishedWithCells()
{
    const QString src = m_dir.file("map-src.img"), dst = m_dir.file("map-dst.img");
    QVERIFY(createSparse(src, 64 * MiB));
    QVERIFY(writePattern(src, 0, 64 * MiB, 60));
    QVERIFY(createSparse(dst, 64 * MiB));
    MirrorOptions o;
    o.speed = 16 * MiB;
    auto job = makeJob(src, dst, o);
    job->setDirtyMapCells(256);
    job->start();
    QVERIFY(waitFor([&] {
        auto m = job->dirtyMap();
        return m && m->cells.size() == 256 && m->cells.back() == 255 && m->cells.front() < 255;
    }));
    QVERIFY(job->cancel());
    job->wait();
}

// ---------------------------------------------------------------------------
// Complete, Cancel and verification with the source let go again

void TestMirrorJob::verify_sourceChangedAfterThaw_checkedAgainstHashes()
{
    // The source changes between the final copy and the verification: that
    // range is checked against what the job wrote, not reported different.
    const QString src = m_dir.file("vh-src.img"), dst = m_dir.file("vh-dst.img");
    QVERIFY(createSparse(src, 32 * MiB));
    QVERIFY(writePattern(src, 0, 32 * MiB, 70));
    QVERIFY(createSparse(dst, 32 * MiB));
    const QByteArray frozen = readRange(src, 4 * MiB, MiB);
    auto q = std::make_shared<ScriptedQuiescer>();
    MirrorOptions o;
    o.verify = true;
    o.quiescer = q;
    auto job = makeJob(src, dst, o);
    q->onRelease = [&] {
        QVERIFY(writePattern(src, 4 * MiB, MiB, 71));
        job->notifyWrite(4 * MiB, MiB);
    };
    EventLog events;
    job->setListener(events.listener());
    job->start();
    QVERIFY(waitFor([&] { return events.count(JobEvent::Kind::Ready) > 0; }));
    QVERIFY(job->complete());
    const JobResult& r = job->wait();
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QVERIFY(r.verify);
    QVERIFY2(r.verify->identical, "a range changed after the copy was taken for a difference");
    QCOMPARE(r.verify->bytesHashChecked, MiB);
    QCOMPARE(r.verify->bytesUnchecked, 0ull);
    QCOMPARE(r.verify->bytesCompared + r.verify->bytesHashChecked + r.verify->bytesSkipped,
             32 * MiB);
    QCOMPARE(events.count(JobEvent::Kind::Verifying), 1);
    QCOMPARE(q->quiesces.load(), 1);
    QCOMPARE(q->releases.load(), 1);
    // The target holds the source as it was at the final copy.
    QCOMPARE(readRange(dst, 4 * MiB, MiB), frozen);
}

void TestMirrorJob::verify_targetCorruptedAfterThaw_caught_data()
{
    QTest::addColumn<bool>("sourceChangedToo");
    QTest::newRow("range the source kept") << false;
    QTest::newRow("range the source changed after the copy") << true;
}

void TestMirrorJob::verify_targetCorruptedAfterThaw_caught()
{
    // Something writes to the target after the final copy: the comparison
    // with the source (or with the written hashes, where the source moved
    // on) must catch it.
    QFETCH(bool, sourceChangedToo);
    const QString src = m_dir.file("vc-src.img"), dst = m_dir.file("vc-dst.img");
    QFile::remove(src);
    QFile::remove(dst);
    QVERIFY(createSparse(src, 32 * MiB));
    QVERIFY(writePattern(src, 0, 32 * MiB, 72));
    QVERIFY(createSparse(dst, 32 * MiB));
    const std::uint64_t bad = 8 * MiB + 4 * KiB;
    auto q = std::make_shared<ScriptedQuiescer>();
    MirrorOptions o;
    o.verify = true;
    o.quiescer = q;
    auto job = makeJob(src, dst, o);
    q->onRelease = [&] {
        if (sourceChangedToo) {
            QVERIFY(writePattern(src, 8 * MiB, 256 * KiB, 73));
            job->notifyWrite(8 * MiB, 256 * KiB);
        }
        QVERIFY(scribble(dst, bad, QByteArray(512, 'X')));
    };
    StatusLog log;
    const JobResult& r = runToCompletion(*job, log);
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QVERIFY(r.verify);
    QVERIFY2(!r.verify->identical, "a corrupted target was called identical");
    QVERIFY2(containsOffset(r.verify->differences, bad), "the corrupted range is not named");
    if (sourceChangedToo)
        QVERIFY(r.verify->bytesHashChecked > 0); // the blocks beside it still matched
}

void TestMirrorJob::verify_writerBusyAfterThaw_noFalseDifference()
{
    // Writes racing the verification's reads are not differences.
    const QString src = m_dir.file("vw-src.img"), dst = m_dir.file("vw-dst.img");
    const std::uint64_t size = 48 * MiB;
    QVERIFY(createSparse(src, size));
    QVERIFY(writePattern(src, 0, size, 74));
    QVERIFY(createSparse(dst, size));
    auto q = std::make_shared<ScriptedQuiescer>();
    MirrorOptions o;
    o.verify = true;
    o.quiescer = q;
    auto job = makeJob(src, dst, o);
    Writer writer(src, size, 75, job.get(), 64 * KiB, 256 * MiB);
    q->onRelease = [&] { writer.start(); };
    StatusLog log;
    const JobResult& r = runToCompletion(*job, log);
    writer.stop();
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QVERIFY(r.verify);
    QVERIFY2(writer.writes() > 0, "the writer never wrote during the verification");
    QVERIFY2(r.verify->identical,
             qPrintable(QStringLiteral("%1 false difference(s) after %2 racing writes")
                            .arg(r.verify->differences.size())
                            .arg(writer.writes())));
    QVERIFY(r.verify->bytesHashChecked > 0);
}

void TestMirrorJob::maxFreeze_finalCopyTooLong_completeFailsThenSucceeds()
{
    const QString src = m_dir.file("mf-src.img"), dst = m_dir.file("mf-dst.img");
    QVERIFY(createSparse(src, 16 * MiB));
    QVERIFY(writePattern(src, 0, 16 * MiB, 76));
    QVERIFY(createSparse(dst, 16 * MiB));
    auto q = std::make_shared<ScriptedQuiescer>();
    // The first quiesce takes longer than the job may hold the source.
    q->onQuiesce = [](int call) -> Result<void> {
        if (call == 1)
            std::this_thread::sleep_for(300ms);
        return {};
    };
    MirrorOptions o;
    o.quiescer = q;
    o.maxFreezeSeconds = 0.1;
    auto job = makeJob(src, dst, o);
    EventLog events;
    job->setListener(events.listener());
    job->start();
    QVERIFY(waitFor([&] { return events.count(JobEvent::Kind::Ready) > 0; }));
    QVERIFY(job->complete());
    QVERIFY(waitFor([&] { return events.count(JobEvent::Kind::CompleteFailed) > 0; }));
    QVERIFY2(events.lastMessage(JobEvent::Kind::CompleteFailed).find("maximum freeze") !=
                 std::string::npos,
             events.lastMessage(JobEvent::Kind::CompleteFailed).c_str());
    QCOMPARE(q->releases.load(), 1); // let go at once
    QVERIFY(!job->finished());
    QCOMPARE(toString(job->status()), toString(JobStatus::Ready));
    QVERIFY(job->complete()); // again, and this time in time
    const JobResult& r = job->wait();
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QCOMPARE(q->quiesces.load(), 2);
    QCOMPARE(q->releases.load(), 2);
    job.reset();
    QVERIFY(cmpIdentical(src, dst));
}

void TestMirrorJob::cancel_afterReady_quiescesUnlessQuick_data()
{
    QTest::addColumn<bool>("quick");
    QTest::newRow("cancel") << false;
    QTest::newRow("cancel quick") << true;
}

void TestMirrorJob::cancel_afterReady_quiescesUnlessQuick()
{
    QFETCH(bool, quick);
    const QString src = m_dir.file("cq-src.img"), dst = m_dir.file("cq-dst.img");
    QFile::remove(src);
    QFile::remove(dst);
    QVERIFY(createSparse(src, 16 * MiB));
    QVERIFY(writePattern(src, 0, 16 * MiB, 77));
    QVERIFY(createSparse(dst, 16 * MiB));
    auto q = std::make_shared<ScriptedQuiescer>();
    MirrorOptions o;
    o.quiescer = q;
    auto job = makeJob(src, dst, o);
    StatusLog log;
    job->setListener(log.listener());
    job->start();
    QVERIFY(waitFor([&] { return log.isReady(); }));
    // A write after READY: a consistent cancel copies it under the quiesce.
    QVERIFY(writePattern(src, 5 * MiB, 64 * KiB, 78));
    job->notifyWrite(5 * MiB, 64 * KiB);
    QVERIFY(job->cancel(quick));
    const JobResult& r = job->wait();
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Cancelled));
    QCOMPARE(r.powerCutCopy, quick);
    QCOMPARE(r.powerCutReason.empty(), !quick);
    QCOMPARE(q->quiesces.load(), quick ? 0 : 1);
    QCOMPARE(q->releases.load(), quick ? 0 : 1);
    if (!quick) {
        job.reset();
        QVERIFY2(cmpIdentical(src, dst), "a consistent cancel missed the last write");
    }
}

void TestMirrorJob::wipeRest_largerTarget_data()
{
    QTest::addColumn<bool>("wipe");
    QTest::newRow("kept") << false;
    QTest::newRow("wiped and verified") << true;
}

void TestMirrorJob::wipeRest_largerTarget()
{
    // A 24 MiB + 3000 byte source onto a 64 MiB target that holds a secret
    // past the source's end.
    QFETCH(bool, wipe);
    const QString src = m_dir.file("wr-src.img"), dst = m_dir.file("wr-dst.img");
    QFile::remove(src);
    QFile::remove(dst);
    const std::uint64_t size = 24 * MiB + 3000, big = 64 * MiB;
    QVERIFY(createSparse(src, size));
    QVERIFY(writePattern(src, 0, size, 79));
    QVERIFY(createSparse(dst, big));
    QVERIFY(writePattern(dst, 0, big, 80));
    const QByteArray secret("CUSTOMER-SECRET-DATA");
    QVERIFY(scribble(dst, 50 * MiB, secret));
    MirrorOptions o;
    o.wipeRest = wipe;
    o.verify = wipe;
    auto job = makeJob(src, dst, o);
    QCOMPARE(job->extent(), wipe ? big : size);
    StatusLog log;
    const JobResult r = runToCompletion(*job, log); // a copy: the job goes before the checks
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QCOMPARE(r.pastEndBytes, big - size);
    QCOMPARE(r.pastEndWiped, wipe);
    job.reset();
    QVERIFY(cmpIdenticalPrefix(src, dst, size));
    const QByteArray after = readRange(dst, 50 * MiB, static_cast<std::uint64_t>(secret.size()));
    if (wipe) {
        QVERIFY(r.verify);
        QVERIFY(r.verify->identical);
        QVERIFY(r.verify->pastEndZero);
        QCOMPARE(r.verify->bytesPastEnd, big - size);
        const QByteArray rest = readRange(dst, size, big - size);
        QCOMPARE(rest.size(), qsizetype(big - size));
        QVERIFY2(rest.count('\0') == rest.size(), "the target past the source is not all zero");
    } else {
        QCOMPARE(after, secret);
    }
}

void TestMirrorJob::bufSize_smallerThanGranule_roundedUpAsQemu_data()
{
    QTest::addColumn<quint64>("size");
    QTest::addColumn<quint64>("granularity");
    QTest::addColumn<quint64>("bufSize");
    QTest::addColumn<quint64>("expectedBuf");
    QTest::newRow("4 KiB buffer, 64 KiB granules")
        << quint64(16 * MiB + 4096) << quint64(64 * KiB) << quint64(4 * KiB) << quint64(64 * KiB);
    QTest::newRow("100 KiB buffer, 64 KiB granules")
        << quint64(16 * MiB) << quint64(64 * KiB) << quint64(100 * KiB) << quint64(128 * KiB);
    QTest::newRow("default buffer, 64 MiB granules")
        << quint64(130 * MiB) << quint64(64 * MiB) << quint64(kDefaultBufSize) << quint64(64 * MiB);
}

void TestMirrorJob::bufSize_smallerThanGranule_roundedUpAsQemu()
{
    QFETCH(quint64, size);
    QFETCH(quint64, granularity);
    QFETCH(quint64, bufSize);
    QFETCH(quint64, expectedBuf);
    const QString src = m_dir.file("bs-src.img"), dst = m_dir.file("bs-dst.img");
    QFile::remove(src);
    QFile::remove(dst);
    QVERIFY(createSparse(src, size));
    QVERIFY(writePattern(src, 0, size, 81));
    QVERIFY(createSparse(dst, size));
    MirrorOptions o;
    o.granularity = granularity;
    o.bufSize = bufSize;
    auto job = makeJob(src, dst, o);
    QCOMPARE(job->options().bufSize, expectedBuf);
    StatusLog log;
    const JobResult& r = runToCompletion(*job, log);
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    job.reset();
    QVERIFY(cmpIdentical(src, dst));
}

void TestMirrorJob::teardown_cancelMidFlight_manyTimes()
{
    // Requests in flight when the job ends must land before their buffers
    // go (the sanitizer build runs this too); every end is a clean one.
    const QString src = m_dir.file("td-src.img"), dst = m_dir.file("td-dst.img");
    QVERIFY(createSparse(src, 64 * MiB));
    QVERIFY(writePattern(src, 0, 64 * MiB, 82));
    QVERIFY(createSparse(dst, 64 * MiB));
    std::mt19937 rng(20261206);
    for (int i = 0; i < 40; ++i) {
        auto job = makeJob(src, dst);
        job->start();
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 20000));
        if (i % 2 == 0) {
            (void)job->cancel(true);
            const JobResult& r = job->wait();
            QVERIFY2(r.outcome == JobResult::Outcome::Aborted ||
                         r.outcome == JobResult::Outcome::Cancelled,
                     qPrintable(QString::number(i)));
        }
        job.reset(); // odd rounds: the destructor cancels mid-flight
    }
}

void TestMirrorJob::teardown_verifyStoppedMidFlight_manyTimes()
{
    const QString a = m_dir.file("tv-a.img"), b = m_dir.file("tv-b.img");
    QVERIFY(createSparse(a, 64 * MiB));
    QVERIFY(writePattern(a, 0, 64 * MiB, 83));
    QVERIFY(createSparse(b, 64 * MiB));
    QVERIFY(writePattern(b, 0, 64 * MiB, 83));
    const Disk da = openOrFail(a, false), db = openOrFail(b, false);
    std::mt19937 rng(20261207);
    int stopped = 0;
    for (int i = 0; i < 40; ++i) {
        std::atomic<bool> stop{false};
        VerifyOptions vo;
        vo.stop = &stop;
        const auto delay = std::chrono::microseconds(rng() % 15000);
        std::thread stopper([&] {
            std::this_thread::sleep_for(delay);
            stop = true;
        });
        auto r = verifyDisks(da, db, vo);
        stopper.join();
        if (!r) {
            QCOMPARE(r.error().code, ECANCELED);
            ++stopped;
        } else {
            QVERIFY(r->identical);
        }
    }
    QVERIFY2(stopped > 0, "no verification was stopped mid-flight");
}

void TestMirrorJob::sourceShrinksMidJob_failsSayingSo()
{
    // A source image truncated while it is copied is not a failing disk
    // ("check the cable"): the job stops and names what happened.
    const QString src = m_dir.file("sh-src.img"), dst = m_dir.file("sh-dst.img");
    QVERIFY(createSparse(src, 64 * MiB));
    QVERIFY(writePattern(src, 0, 64 * MiB, 84));
    QVERIFY(createSparse(dst, 64 * MiB));
    MirrorOptions o;
    o.speed = 32 * MiB;                    // about two seconds: time to shrink it
    o.onSourceError = ErrorPolicy::Ignore; // even a policy that skips bad sectors stops
    auto job = makeJob(src, dst, o);
    job->start();
    QVERIFY(waitFor([&] { return job->snapshot()->bytesDone >= 4 * MiB; }));
    QVERIFY(QFile::resize(src, 16 * MiB));
    const JobResult& r = job->wait();
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Failed));
    QVERIFY(r.sourceFailed);
    QVERIFY2(r.error.message.find("shrank") != std::string::npos, r.error.message.c_str());
    QVERIFY(r.unreadable.empty());
}

void TestMirrorJob::targetDeletedBeforeComplete_noSuccessClaimed()
{
    const QString src = m_dir.file("td2-src.img"), dst = m_dir.file("td2-dst.img");
    QVERIFY(createSparse(src, 8 * MiB));
    QVERIFY(writePattern(src, 0, 8 * MiB, 85));
    QVERIFY(createSparse(dst, 8 * MiB));
    auto job = makeJob(src, dst);
    StatusLog log;
    job->setListener(log.listener());
    job->start();
    QVERIFY(waitFor([&] { return log.isReady(); }));
    QVERIFY(QFile::remove(dst));
    QVERIFY(job->complete());
    const JobResult& r = job->wait();
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Failed));
    QVERIFY(!r.sourceFailed);
    QVERIFY2(r.error.message.find("deleted") != std::string::npos, r.error.message.c_str());
}

QTEST_GUILESS_MAIN(TestMirrorJob)
#include "tst_mirror_job.moc"
