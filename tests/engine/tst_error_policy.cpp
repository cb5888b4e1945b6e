// Error policies against real faults: EIO from a FUSE file (faultfs) on the
// source or the target, and ENOSPC from a small ext4 file system on a loop
// device. Needs root for FUSE, loop devices and mounting; skips otherwise.
#include "engine_printers.h"
#include "fault_fs.h"
#include "io/disk.h"
#include "job/mirror_job.h"
#include "test_support.h"

#include <QtTest>

#include <sys/mount.h>

#include <thread>

using namespace engine;
using namespace testsupport;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t MiB = 1 << 20;
constexpr std::uint64_t KiB = 1 << 10;

Result<std::unique_ptr<MirrorJob>> makeJob(const QString& src, const QString& dst, MirrorOptions o)
{
    auto s = Disk::open(src.toStdString(), {Disk::Access::ReadOnly, true, false});
    if (!s)
        return s.error();
    auto d = Disk::open(dst.toStdString(), {Disk::Access::ReadWrite, true, false});
    if (!d)
        return d.error();
    return MirrorJob::create(std::move(*s), std::move(*d), std::move(o));
}

// No blocks reserved: the ENOSPC tests fill the whole file system.
Ext4Image::Options smallFs()
{
    Ext4Image::Options o;
    o.mkfsOptions = {QStringLiteral("-m"), QStringLiteral("0")};
    return o;
}

// Runs the job; completes it at READY. Returns the result.
const JobResult& runJob(MirrorJob& job)
{
    job.start();
    waitFor([&] { return job.status() == JobStatus::Ready || job.finished(); });
    if (!job.finished())
        (void)job.complete();
    return job.wait();
}

} // namespace

class TestErrorPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sourceEio_report_failsNamingTheSource();
    void sourceEio_ignore_rescuesAroundBadBlocksAndReportsThem();
    void sourceEio_stop_pausesWithErrorUntilCancelled();
    void targetEio_enospcPolicy_reportsNonSpaceErrors();
    void targetEio_ignore_completesAndListsUnwritten();
    void targetEnospc_report_fails();
    void targetEnospc_enospcPolicy_stopsThenResumeFinishes();
    void verify_targetDropsAWriteSilently_caught();

private:
    std::unique_ptr<FaultFs> mountFaulty(const QString& backing, const QStringList& args);
    ScratchDir m_dir;
    QString m_source;
};

void TestErrorPolicy::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (!isRoot())
        QSKIP("error-policy tests need root: FUSE mounts, loop devices and mount(8)");
    QString why;
    if (!FaultFs::available(&why))
        QSKIP(qPrintable(QStringLiteral("FUSE fault injection unavailable: ") + why));
    m_source = m_dir.file(QStringLiteral("source.img"));
    QVERIFY(createSparse(m_source, 32 * MiB));
    QVERIFY(writePattern(m_source, 0, 32 * MiB, 1));
}

std::unique_ptr<FaultFs> TestErrorPolicy::mountFaulty(const QString& backing,
                                                      const QStringList& args)
{
    QString why;
    auto fs = FaultFs::mount(backing, args, &why);
    if (!fs)
        qWarning("faultfs: %s", qPrintable(why));
    return fs;
}

void TestErrorPolicy::sourceEio_report_failsNamingTheSource()
{
    auto fs =
        mountFaulty(m_source, {QStringLiteral("--read-error"), QStringLiteral("5242880:4096")});
    QVERIFY(fs);
    const QString dst = m_dir.file(QStringLiteral("report-dst.img"));
    QVERIFY(createSparse(dst, 32 * MiB));
    auto job = makeJob(fs->diskPath(), dst, {});
    QVERIFY(job);
    const JobResult& r = runJob(**job);
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Failed));
    QVERIFY(r.sourceFailed);
    QVERIFY2(r.error.code == EIO && r.error.message.find("read") != std::string::npos,
             r.error.message.c_str());
}

void TestErrorPolicy::sourceEio_ignore_rescuesAroundBadBlocksAndReportsThem()
{
    const std::uint64_t bad1 = 5 * MiB + 4 * KiB, bad2 = 20 * MiB + 512;
    auto fs = mountFaulty(m_source,
                          {QStringLiteral("--read-error"), QStringLiteral("%1:4096").arg(bad1),
                           QStringLiteral("--read-error"), QStringLiteral("%1:1024").arg(bad2)});
    QVERIFY(fs);
    const QString dst = m_dir.file(QStringLiteral("ignore-dst.img"));
    QVERIFY(createSparse(dst, 32 * MiB));
    MirrorOptions o;
    o.onSourceError = ErrorPolicy::Ignore;
    auto job = makeJob(fs->diskPath(), dst, o);
    QVERIFY(job);
    const JobResult& r = runJob(**job);
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    const std::vector<ByteRange> expected{{bad1, 4096}, {bad2, 1024}};
    QCOMPARE(r.unreadable, expected);
    job->reset();
    // The target is the source with zeroes exactly where nothing could be read.
    const QString ref = m_dir.file(QStringLiteral("ignore-ref.img"));
    QFile::remove(ref);
    QVERIFY(QFile::copy(m_source, ref));
    QVERIFY(writeZeroData(ref, bad1, 4096));
    QVERIFY(writeZeroData(ref, bad2, 1024));
    QVERIFY(cmpIdentical(ref, dst));
}

void TestErrorPolicy::sourceEio_stop_pausesWithErrorUntilCancelled()
{
    auto fs =
        mountFaulty(m_source, {QStringLiteral("--read-error"), QStringLiteral("10485760:65536")});
    QVERIFY(fs);
    const QString dst = m_dir.file(QStringLiteral("stop-dst.img"));
    QVERIFY(createSparse(dst, 32 * MiB));
    MirrorOptions o;
    o.onSourceError = ErrorPolicy::Stop;
    auto job = makeJob(fs->diskPath(), dst, o);
    QVERIFY(job);
    (*job)->start();
    QVERIFY(waitFor([&] { return (*job)->snapshot()->status == JobStatus::Paused; }));
    const auto snap = (*job)->snapshot();
    QVERIFY2(snap->ioError.find("Input/output error") != std::string::npos, snap->ioError.c_str());
    QVERIFY(snap->dirtyBytes >= 64 * KiB); // the failed range is dirty again
    // Resume retries the range; the disk still fails, so the job stops again.
    QVERIFY((*job)->resume());
    QVERIFY(waitFor([&] {
        auto s = (*job)->snapshot();
        return s->status == JobStatus::Paused && !s->ioError.empty();
    }));
    QVERIFY((*job)->cancel());
    QCOMPARE(name((*job)->wait().outcome), name(JobResult::Outcome::Aborted));
}

void TestErrorPolicy::targetEio_enospcPolicy_reportsNonSpaceErrors()
{
    const QString backing = m_dir.file(QStringLiteral("eio-target.img"));
    QVERIFY(createSparse(backing, 32 * MiB));
    auto fs =
        mountFaulty(backing, {QStringLiteral("--write-error"), QStringLiteral("8388608:4096:EIO")});
    QVERIFY(fs);
    MirrorOptions o;
    o.onTargetError = ErrorPolicy::Enospc;
    auto job = makeJob(m_source, fs->diskPath(), o);
    QVERIFY(job);
    const JobResult& r = runJob(**job);
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Failed));
    QVERIFY(!r.sourceFailed);
    QCOMPARE(r.error.code, EIO);
}

void TestErrorPolicy::targetEio_ignore_completesAndListsUnwritten()
{
    const QString backing = m_dir.file(QStringLiteral("eio-target2.img"));
    QVERIFY(createSparse(backing, 32 * MiB));
    auto fs =
        mountFaulty(backing, {QStringLiteral("--write-error"), QStringLiteral("8388608:4096:EIO")});
    QVERIFY(fs);
    MirrorOptions o;
    o.onTargetError = ErrorPolicy::Ignore;
    auto job = makeJob(m_source, fs->diskPath(), o);
    QVERIFY(job);
    const JobResult& r = runJob(**job);
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QCOMPARE(r.unwritable.size(), std::size_t(1));
    QVERIFY(r.unwritable[0].offset <= 8 * MiB && r.unwritable[0].end() >= 8 * MiB + 4096);
    const std::uint64_t firstUnwritten = r.unwritable[0].offset; // r dies with the job
    job->reset();
    fs.reset();
    // Everything outside the failed request arrived.
    QVERIFY(cmpIdenticalPrefix(m_source, backing, firstUnwritten));
}

void TestErrorPolicy::targetEnospc_report_fails()
{
    QString why;
    auto small = Ext4Image::create(m_dir, QStringLiteral("smallfs"), 24 * MiB, &why, smallFs());
    if (!small)
        QFAIL(qPrintable(why));
    const QString dst = small->file(QStringLiteral("target.img"));
    QVERIFY(createSparse(dst, 32 * MiB)); // sparse: larger than the space behind it
    auto job = makeJob(m_source, dst, {});
    QVERIFY(job);
    const JobResult& r = runJob(**job);
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Failed));
    QCOMPARE(r.error.code, ENOSPC);
    QVERIFY(!r.sourceFailed);
}

void TestErrorPolicy::targetEnospc_enospcPolicy_stopsThenResumeFinishes()
{
    QString why;
    auto small = Ext4Image::create(m_dir, QStringLiteral("smallfs"), 64 * MiB, &why, smallFs());
    if (!small)
        QFAIL(qPrintable(why));
    // Leave less room than the copy needs, then make room while it waits.
    const QString filler = small->file(QStringLiteral("filler"));
    QVERIFY(createSparse(filler, 0));
    QVERIFY(writePattern(filler, 0, 40 * MiB, 2));
    const QString dst = small->file(QStringLiteral("target.img"));
    QVERIFY(createSparse(dst, 32 * MiB));
    MirrorOptions o;
    o.onTargetError = ErrorPolicy::Enospc;
    auto job = makeJob(m_source, dst, o);
    QVERIFY(job);
    (*job)->start();
    QVERIFY(waitFor([&] { return (*job)->snapshot()->status == JobStatus::Paused; }));
    QVERIFY2((*job)->snapshot()->ioError.find("No space") != std::string::npos,
             (*job)->snapshot()->ioError.c_str());
    QVERIFY(QFile::remove(filler));
    runCommand(QStringLiteral("sync"), {});
    QVERIFY((*job)->resume());
    QVERIFY(waitFor([&] { return (*job)->status() == JobStatus::Ready; }));
    QVERIFY((*job)->complete());
    QCOMPARE(name((*job)->wait().outcome), name(JobResult::Outcome::Completed));
    job->reset();
    QVERIFY(cmpIdentical(m_source, dst));
}

void TestErrorPolicy::verify_targetDropsAWriteSilently_caught()
{
    // A target that reports a write done and keeps its old bytes (a fake
    // USB stick, a lying cache): only reading it back can tell.
    const QString backing = m_dir.file(QStringLiteral("lying-dst.img"));
    QFile::remove(backing);
    QVERIFY(createSparse(backing, 32 * MiB));
    QVERIFY(writePattern(backing, 0, 32 * MiB, 77)); // old contents, unlike the source
    const std::uint64_t dropped = 9 * MiB + 64 * KiB;
    auto fs = mountFaulty(backing,
                          {QStringLiteral("--drop-write"), QStringLiteral("%1:4096").arg(dropped)});
    QVERIFY(fs);
    MirrorOptions o;
    o.verify = true;
    auto job = makeJob(m_source, fs->diskPath(), o);
    QVERIFY(job);
    const JobResult& r = runJob(**job);
    QCOMPARE(name(r.outcome), name(JobResult::Outcome::Completed));
    QVERIFY(r.verify);
    QVERIFY2(!r.verify->identical, "a target that dropped a write was called identical");
    QVERIFY(!r.verify->differences.empty());
    QVERIFY2(r.verify->differences.front().offset <= dropped &&
                 dropped < r.verify->differences.front().end(),
             "the dropped range is not the one named");
}

QTEST_GUILESS_MAIN(TestErrorPolicy)
#include "tst_error_policy.moc"
