// Live sources, as root on loop devices: a mounted ext4 under a steady write
// load (fio plus a writer of checksummed files) is mirrored with kernel write
// tracking and completed with a freeze; e2fsck and the files themselves judge
// the copy. Every kind of request that changes data (writes through the page
// cache and direct, discards, write-zeroes, and what ext4 makes of fallocate)
// is made on a source before and after READY, and cmp judges the target.
// Also: a partition as the source, a trace buffer forced to overflow, hotplug
// seen by the device catalog, and the safety rules.
#include "device/device_catalog.h"
#include "engine_printers.h"
#include "io/disk.h"
#include "job/mirror_job.h"
#include "rules/job_setup.h"
#include "test_support.h"
#include "track/live_source.h"
#include "track/trace_tracker.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <random>
#include <set>
#include <thread>

using namespace engine;
using namespace testsupport;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t MiB = 1 << 20;

// The content of checksummed file number @p n: its size and bytes follow
// from n alone, so a reader can tell a whole file from a torn one.
QByteArray fileContent(int n)
{
    std::mt19937_64 rng(static_cast<std::uint64_t>(n) * 7919u);
    const int size = 4096 + static_cast<int>(rng() % (256 * 1024));
    QByteArray data(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        data[i] = static_cast<char>(rng() & 0xff);
    return data;
}

// Creates files with known contents: write to a temporary name, fsync,
// rename, fsync the directory, so a file under its final name is whole.
class FileWriter
{
public:
    explicit FileWriter(QString dir) : m_dir(std::move(dir)) {}
    ~FileWriter() { stop(); }
    void start()
    {
        m_loop.start([this] { run(); });
    }
    void stop() { m_loop.stop(); }
    /// Files whose creation finished (renamed and synced) so far.
    int finished() const { return m_finished.load(); }

private:
    void run()
    {
        const int dirFd = ::open(QFile::encodeName(m_dir).constData(), O_RDONLY | O_DIRECTORY);
        for (int n = 0; !m_loop.stopping(); ++n) {
            const QByteArray data = fileContent(n);
            const QByteArray tmp = QFile::encodeName(m_dir + QStringLiteral("/.tmp-%1").arg(n));
            const QByteArray fin = QFile::encodeName(m_dir + QStringLiteral("/file-%1").arg(n));
            const int fd = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0)
                break;
            const bool ok =
                ::write(fd, data.constData(), static_cast<size_t>(data.size())) == data.size() &&
                ::fsync(fd) == 0;
            ::close(fd);
            if (!ok || ::rename(tmp.constData(), fin.constData()) != 0)
                break;
            ::fsync(dirFd);
            m_finished = n + 1;
            std::this_thread::sleep_for(5ms);
        }
        ::close(dirFd);
    }
    QString m_dir;
    std::atomic<int> m_finished{0};
    BackgroundLoop m_loop;
};

// fio as an independent writer: random 4 KiB writes at a fixed rate.
class FioLoad : public FioWriter
{
public:
    FioLoad(const QString& dir, const QString& rate)
        : FioWriter({QStringLiteral("--name=load"), QStringLiteral("--directory=") + dir,
                     QStringLiteral("--size=48M"), QStringLiteral("--rw=randwrite"),
                     QStringLiteral("--bs=4k"), QStringLiteral("--ioengine=psync"),
                     QStringLiteral("--fsync=32"), QStringLiteral("--time_based"),
                     QStringLiteral("--runtime=600"), QStringLiteral("--rate=") + rate})
    {
    }
};

struct LiveRun
{
    JobResult::Outcome outcome = JobResult::Outcome::Failed;
    std::string error;
    double quiesceSeconds = 0;
    std::uint64_t bytesDone = 0;
    int filesBeforeComplete = 0;
    std::uint64_t events = 0;
    std::uint64_t overflows = 0;
};

// Mirrors @p source (mounted, under load) to @p targetImage and completes.
LiveRun mirrorLive(const Ext4Image& source, const QString& targetImage,
                   TraceTracker::Options trackerOptions = {},
                   const std::function<void()>& duringCopy = {})
{
    LiveRun out;
    FileWriter files(source.mountPoint());
    FioLoad fio(source.mountPoint(), QStringLiteral("10m"));
    files.start();
    std::this_thread::sleep_for(300ms); // the load is on before the copy starts

    auto live = LiveSource::create(source.device().toStdString(), trackerOptions);
    if (!live)
        qFatal("live source: %s", live.error().message.c_str());
    auto src = Disk::open(source.device().toStdString(), {Disk::Access::ReadOnly, true, false});
    auto dst = Disk::open(targetImage.toStdString(), {Disk::Access::ReadWrite, true, false});
    if (!src || !dst)
        qFatal("open failed");
    MirrorOptions o;
    o.quiescer = (*live)->quiescer();
    auto job = MirrorJob::create(std::move(*src), std::move(*dst), o);
    if (!job)
        qFatal("create: %s", job.error().message.c_str());
    if (auto r = (*live)->attach(**job); !r)
        qFatal("attach: %s", r.error().message.c_str());
    (*job)->start();
    if (duringCopy)
        duringCopy();
    if (!waitFor([&] { return (*job)->status() == JobStatus::Ready || (*job)->finished(); }, 120s))
        qFatal("no READY under load");
    std::this_thread::sleep_for(1s); // mirror live writes for a while
    out.filesBeforeComplete = files.finished();
    if (!(*job)->complete())
        qFatal("complete refused");
    const JobResult& r = (*job)->wait();
    out.outcome = r.outcome;
    out.error = r.error.message;
    out.quiesceSeconds = r.quiesceSeconds;
    out.bytesDone = r.bytesDone;
    out.events = (*live)->tracker().eventsSeen();
    out.overflows = (*live)->tracker().overflows();
    (*live)->stop(); // before the job goes away
    files.stop();
    fio.stop();
    return out;
}

// e2fsck -fn, then mount the target and check every file against its seed.
void checkTarget(const ScratchDir& dir, const QString& targetImage, int mustHave)
{
    const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), targetImage});
    QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
    const QString mnt = dir.file(QStringLiteral("target-mnt"));
    QDir().mkpath(mnt);
    const auto m = runCommand(QStringLiteral("mount"),
                              {QStringLiteral("-o"), QStringLiteral("loop,ro"), targetImage, mnt});
    QVERIFY2(m.exitCode == 0, qPrintable(m.err));
    auto unmount = qScopeGuard([&] { runCommand(QStringLiteral("umount"), {mnt}); });
    const QStringList names = QDir(mnt).entryList({QStringLiteral("file-*")}, QDir::Files);
    std::set<int> present;
    for (const QString& name : names) {
        const int n = name.mid(5).toInt();
        QFile f(mnt + QLatin1Char('/') + name);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(f.readAll() == fileContent(n), qPrintable(name + QStringLiteral(" is torn")));
        present.insert(n);
    }
    for (int n = 0; n < mustHave; ++n)
        QVERIFY2(present.count(n), qPrintable(QStringLiteral("file-%1 missing").arg(n)));
}

// --- request kinds -----------------------------------------------------------

// The ways a source's data changes, each a different kind of block request
// (or a different way of producing one) that tracking must not miss.
enum class Change {
    BufferedWrite, ///< through the page cache: reaches the disk at writeback
    DirectWrite,   ///< O_DIRECT: reaches the disk before the call returns
    Discard,       ///< blkdiscard: a discard request (D)
    WriteZeroes,   ///< blkdiscard -z, BLKZEROOUT: a write-zeroes request (N)
    ZeroRange,     ///< fallocate -z on ext4, then a write into the range
    PunchHole,     ///< fallocate -p on ext4 mounted with -o discard
};

// The letter block_rq_complete prints for the request a change must produce.
char requestLetter(Change c)
{
    switch (c) {
    case Change::BufferedWrite:
    case Change::DirectWrite:
        return 'W';
    case Change::Discard:
    case Change::PunchHole:
        return 'D';
    case Change::WriteZeroes:
    case Change::ZeroRange:
        return 'N';
    }
    return '?';
}

struct SeenRequest
{
    char kind = 0; ///< W, D or N
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

// Records the requests that complete on a disk through a tracefs instance
// of its own, independent of the tracker under test, so that a row can show
// that the kernel really sent the kind of request the row is about. Named
// like the tracker's instances, so that one left by a crashed run is removed
// as stale by the next.
class RequestProbe
{
public:
    static std::unique_ptr<RequestProbe> create(const QString& device, QString* why)
    {
        auto root = TraceTracker::tracefsRoot();
        if (!root) {
            *why = QString::fromStdString(root.error().message);
            return nullptr;
        }
        struct stat st
        {
        };
        if (::stat(QFile::encodeName(device).constData(), &st) != 0 || !S_ISBLK(st.st_mode)) {
            *why = device + QStringLiteral(" is not a block device");
            return nullptr;
        }
        std::unique_ptr<RequestProbe> p(new RequestProbe);
        p->m_instance = QString::fromStdString(*root) +
                        QStringLiteral("/instances/drivemirror-%1-probe").arg(::getpid());
        if (!QDir().mkdir(p->m_instance)) {
            *why = QStringLiteral("cannot create ") + p->m_instance;
            p->m_instance.clear();
            return nullptr;
        }
        const std::uint64_t kdev =
            (static_cast<std::uint64_t>(major(st.st_rdev)) << 20) | minor(st.st_rdev);
        if (!p->write(QStringLiteral("/buffer_size_kb"), "4096") ||
            !p->write(QStringLiteral("/events/block/block_rq_complete/filter"),
                      QByteArray("dev == ") + QByteArray::number(kdev) + " && nr_sector > 0") ||
            !p->write(QStringLiteral("/events/block/block_rq_complete/enable"), "1") ||
            !p->write(QStringLiteral("/tracing_on"), "1")) {
            *why = QStringLiteral("cannot set up ") + p->m_instance;
            return nullptr;
        }
        return p;
    }
    ~RequestProbe()
    {
        if (m_instance.isEmpty())
            return;
        write(QStringLiteral("/tracing_on"), "0");
        write(QStringLiteral("/events/block/block_rq_complete/enable"), "0");
        QDir().rmdir(m_instance);
    }
    /// Every request that changed data, in bytes of the traced disk.
    std::vector<SeenRequest> seen() const
    {
        std::vector<SeenRequest> out;
        QFile f(m_instance + QStringLiteral("/trace"));
        if (!f.open(QIODevice::ReadOnly))
            return out;
        static const QByteArray tag = "block_rq_complete: ";
        for (const QByteArray& line : f.readAll().split('\n')) {
            const qsizetype at = line.indexOf(tag);
            if (at < 0)
                continue;
            const QByteArray rest = line.mid(at + tag.size());
            unsigned ma = 0, mi = 0;
            char rwbs[16] = {};
            if (std::sscanf(rest.constData(), "%u,%u %15s", &ma, &mi, rwbs) != 3)
                continue;
            const qsizetype close = rest.indexOf(") ");
            unsigned long long sector = 0;
            unsigned nr = 0;
            if (close < 0 ||
                std::sscanf(rest.constData() + close + 2, "%llu + %u", &sector, &nr) != 2 ||
                nr == 0 || std::strchr(rwbs, 'R'))
                continue;
            const char kind = std::strchr(rwbs, 'D')   ? 'D'
                              : std::strchr(rwbs, 'N') ? 'N'
                              : std::strchr(rwbs, 'W') ? 'W'
                                                       : '?';
            out.push_back({kind, sector * 512, std::uint64_t(nr) * 512});
        }
        return out;
    }

private:
    RequestProbe() = default;
    bool write(const QString& relative, const QByteArray& value) const
    {
        QFile f(m_instance + relative);
        return f.open(QIODevice::WriteOnly) && f.write(value) == value.size();
    }
    QString m_instance;
};

bool overlaps(const std::vector<ByteRange>& ranges, std::uint64_t offset, std::uint64_t length)
{
    for (const auto& r : ranges)
        if (offset < r.end() && r.offset < offset + length)
            return true;
    return false;
}

struct FileExtent
{
    std::uint64_t logical = 0;
    std::uint64_t physical = 0;
    std::uint64_t length = 0;
};

// Where a file's data lies on its disk (FIEMAP), in bytes.
std::vector<FileExtent> fileExtents(const QString& path)
{
    std::vector<FileExtent> out;
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return out;
    constexpr unsigned kMax = 64;
    std::vector<std::uint64_t> storage((sizeof(fiemap) + kMax * sizeof(fiemap_extent)) / 8 + 1);
    auto* fm = reinterpret_cast<fiemap*>(storage.data());
    fm->fm_start = 0;
    fm->fm_length = ~0ull;
    fm->fm_flags = FIEMAP_FLAG_SYNC;
    fm->fm_extent_count = kMax;
    if (::ioctl(fd, FS_IOC_FIEMAP, fm) == 0)
        for (unsigned i = 0; i < fm->fm_mapped_extents; ++i)
            out.push_back({fm->fm_extents[i].fe_logical, fm->fm_extents[i].fe_physical,
                           fm->fm_extents[i].fe_length});
    ::close(fd);
    return out;
}

// Deterministic bytes that differ from whatever was there before.
QByteArray pattern(std::size_t length, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    QByteArray data(static_cast<qsizetype>(length), Qt::Uninitialized);
    for (auto& c : data)
        c = static_cast<char>(rng() | 1);
    return data;
}

bool pwriteAll(const QString& path, std::uint64_t offset, std::size_t length, bool direct,
               bool sync, std::uint64_t seed)
{
    const int fd =
        ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CLOEXEC | (direct ? O_DIRECT : 0));
    if (fd < 0)
        return false;
    const QByteArray data = pattern(length, seed);
    void* buf = nullptr;
    if (::posix_memalign(&buf, 4096, length) != 0) {
        ::close(fd);
        return false;
    }
    std::memcpy(buf, data.constData(), length);
    bool ok = ::pwrite(fd, buf, length, static_cast<off_t>(offset)) == static_cast<ssize_t>(length);
    if (sync)
        ok = ::fsync(fd) == 0 && ok;
    std::free(buf);
    return ::close(fd) == 0 && ok;
}

// Reads @p device with O_DIRECT (what is on the disk, not what a cache
// kept) into the file @p out.
bool copyDevice(const std::string& device, const std::string& out)
{
    const int in = ::open(device.c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC);
    const int dst = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    constexpr std::size_t kChunk = 1 << 20;
    void* buf = nullptr;
    bool ok = in >= 0 && dst >= 0 && ::posix_memalign(&buf, 4096, kChunk) == 0;
    for (off_t at = 0; ok;) {
        const ssize_t n = ::pread(in, buf, kChunk, at);
        if (n == 0)
            break;
        ok = n > 0 && ::pwrite(dst, buf, static_cast<size_t>(n), at) == n;
        at += n;
    }
    std::free(buf);
    if (in >= 0)
        ::close(in);
    if (dst >= 0)
        ok = ::close(dst) == 0 && ok;
    return ok;
}

// The live source's quiescer, which also keeps the source as it is at the
// end of each quiesce: file systems frozen, final copy done. That is the
// moment Complete promises the target equals; after the thaw the file
// system writes again (its superblock at least), so only this copy can be
// compared with the target byte for byte.
class SnapshotQuiescer : public Quiescer
{
public:
    SnapshotQuiescer(std::shared_ptr<Quiescer> inner, std::string device, std::string snapshot)
        : m_inner(std::move(inner)), m_device(std::move(device)), m_snapshot(std::move(snapshot))
    {
    }
    Result<void> quiesce(std::chrono::milliseconds maxHold) override
    {
        return m_inner->quiesce(maxHold);
    }
    bool expired() override { return m_inner->expired(); }
    Result<void> release() override
    {
        if (!m_snapshot.empty())
            m_taken = copyDevice(m_device, m_snapshot);
        return m_inner->release();
    }
    Result<void> syncWrites() override { return m_inner->syncWrites(); }
    bool taken() const { return m_taken.load(); }

private:
    std::shared_ptr<Quiescer> m_inner;
    std::string m_device;
    std::string m_snapshot;
    std::atomic<bool> m_taken{false};
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

// True when every granule of @p ranges is clean and none is in flight: the
// data there now is on the target.
bool copiedToTarget(const MirrorJob& job, const std::vector<ByteRange>& ranges)
{
    const auto map = job.dirtyMap();
    if (!map || map->cells.empty())
        return false;
    const std::uint64_t cell = (map->diskSize + map->cells.size() - 1) / map->cells.size();
    for (const auto& r : ranges) {
        for (std::uint64_t c = r.offset / cell; c <= (r.end() - 1) / cell; ++c)
            if (c < map->cells.size() && map->cells[c] != 0)
                return false;
        if (overlaps(map->inFlight, r.offset, r.length))
            return false;
    }
    return true;
}

bool writeSysfs(const QString& path, const QByteArray& value)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(value) == value.size();
}

bool fsyncFile(const QString& path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool ok = ::fsync(fd) == 0;
    return ::close(fd) == 0 && ok;
}

// Where a change on the bare device lands: granules cut at both ends.
constexpr ByteRange kDeviceRegion{4 * MiB + 4096, MiB - 8192};

// Makes @p what on @p file (on a mounted ext4) or on @p device. With @p sync
// the change is on the disk when this returns. @p boundary: an offset in
// @p file whose block starts a granule on the disk.
bool makeChange(Change what, const QString& device, const QString& file, std::uint64_t boundary,
                bool sync, QString* why)
{
    auto run = [why](const QString& program, const QStringList& args) {
        const auto r = runCommand(program, args);
        if (r.exitCode != 0)
            *why = program + QStringLiteral(": ") + r.err;
        return r.exitCode == 0;
    };
    auto num = [](std::uint64_t n) { return QString::number(n); };
    const ByteRange d = kDeviceRegion;
    const bool onFile = !file.isEmpty();
    bool ok = false;
    switch (what) {
    case Change::BufferedWrite:
        ok = onFile ? pwriteAll(file, MiB + 4096, 100 * 1024, false, sync, 31)
                    : pwriteAll(device, d.offset, d.length, false, sync, 31);
        break;
    case Change::DirectWrite:
        ok = onFile ? pwriteAll(file, 2 * MiB, 64 * 1024, true, false, 32)
                    : pwriteAll(device, d.offset, d.length, true, false, 32);
        break;
    case Change::Discard:
        ok = run(QStringLiteral("blkdiscard"), {QStringLiteral("-o"), num(d.offset),
                                                QStringLiteral("-l"), num(d.length), device});
        break;
    case Change::WriteZeroes:
        ok = run(QStringLiteral("blkdiscard"),
                 {QStringLiteral("-z"), QStringLiteral("-o"), num(d.offset), QStringLiteral("-l"),
                  num(d.length), device});
        break;
    case Change::ZeroRange:
        // The range becomes an unwritten extent of eight blocks across a
        // granule boundary. A write into its third block makes ext4 zero
        // blocks four to eight on the disk (an extent that small is zeroed,
        // not split): write-zeroes into a granule no write touches.
        ok = run(QStringLiteral("fallocate"),
                 {QStringLiteral("-z"), QStringLiteral("-o"), num(boundary - 16 * 1024),
                  QStringLiteral("-l"), num(32 * 1024), file}) &&
             pwriteAll(file, boundary - 8 * 1024, 4096, false, false, 33) &&
             (!sync || fsyncFile(file));
        break;
    case Change::PunchHole:
        ok = run(QStringLiteral("fallocate"),
                 {QStringLiteral("-p"), QStringLiteral("-o"), num(4 * MiB), QStringLiteral("-l"),
                  num(256 * 1024), file}) &&
             (!sync || fsyncFile(file));
        break;
    }
    if (!ok && why->isEmpty())
        *why = QStringLiteral("the change failed: ") + QString::fromLocal8Bit(std::strerror(errno));
    return ok;
}

} // namespace

class TestLive : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tracker_reportsExactlyTheWrittenRange();
    void tracker_staleInstanceOfDeadProcess_removed();
    void tracking_everyRequestKind_targetMatches_data();
    void tracking_everyRequestKind_targetMatches();
    void liveFull_mountedExt4UnderLoad_cleanWholeTarget();
    void liveGroup_threeTargetsUnderLoad_allClean();
    void livePartition_sourceIsPartition_cleanWholeTarget();
    void liveOverflow_tinyTraceBuffer_fullResyncStillClean();
    void cli_mountedSourceUnderLoad_completesCleanAndReportsFreeze();
    void cli_sigtermDuringLiveJob_cancelsAndRemovesTraceInstance();
    void cli_expectId_refusesAnotherDisk();
    void cli_noTrackingOnMountedSource_refused();
    void cli_progressCarriesDirtyMap();
    void catalog_loopDeviceAddedAndRemoved_seen();
    void safety_rulesRefuseWithTheirNames();

private:
    ScratchDir m_dir;
};

void TestLive::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (!isRoot())
        QSKIP("live-source tests need root: loop devices, mounts, tracefs and FIFREEZE");
    auto root = TraceTracker::tracefsRoot();
    QVERIFY2(root, root ? "" : root.error().message.c_str());
}

void TestLive::tracker_reportsExactlyTheWrittenRange()
{
    const QString img = m_dir.file(QStringLiteral("trk.img"));
    QVERIFY(createSparse(img, 64 * MiB));
    QString why;
    auto loop = LoopDevice::attach(img, &why);
    QVERIFY2(loop, qPrintable(why));
    auto t = TraceTracker::create(loop->stdPath(), {});
    QVERIFY2(t, t ? "" : t.error().message.c_str());
    std::mutex mutex;
    std::vector<ByteRange> seen;
    QVERIFY((*t)->start(
        [&](std::uint64_t off, std::uint64_t len) {
            std::lock_guard lock(mutex);
            seen.push_back({off, len});
        },
        {}));
    const auto dd =
        runCommand(QStringLiteral("dd"),
                   {QStringLiteral("if=/dev/urandom"), QStringLiteral("of=") + loop->path(),
                    QStringLiteral("bs=4096"), QStringLiteral("count=3"),
                    QStringLiteral("seek=2560"), QStringLiteral("oflag=direct")});
    QCOMPARE(dd.exitCode, 0);
    QVERIFY((*t)->drain());
    std::lock_guard lock(mutex);
    std::uint64_t lo = ~0ull, hi = 0;
    for (const auto& r : seen) {
        lo = std::min(lo, r.offset);
        hi = std::max(hi, r.end());
    }
    QCOMPARE(lo, 10 * MiB);
    QCOMPARE(hi, 10 * MiB + 3 * 4096);
    const std::string instance = (*t)->instancePath();
    (*t)->stop();
    QVERIFY2(!QFileInfo::exists(QString::fromStdString(instance)), instance.c_str());
}

void TestLive::tracker_staleInstanceOfDeadProcess_removed()
{
    auto root = TraceTracker::tracefsRoot();
    QVERIFY(root);
    // A pid that cannot be running: above the kernel's pid_max.
    const QString stale =
        QString::fromStdString(*root) + QStringLiteral("/instances/drivemirror-999999999-0");
    QVERIFY(QDir().mkdir(stale));
    QVERIFY(TraceTracker::removeStaleInstances(*root, {}) >= 1);
    QVERIFY(!QFileInfo::exists(stale));
}

void TestLive::tracking_everyRequestKind_targetMatches_data()
{
    QTest::addColumn<int>("change");
    QTest::addColumn<bool>("mounted");
    QTest::addColumn<bool>("beforeReady");
    struct Kind
    {
        Change change;
        bool mounted;
        const char* name;
    };
    // A loop device cannot do secure erase (DE); everything else it and
    // ext4 can send is here.
    const Kind kinds[] = {
        {Change::BufferedWrite, false, "device: buffered write"},
        {Change::DirectWrite, false, "device: O_DIRECT write"},
        {Change::Discard, false, "device: blkdiscard"},
        {Change::WriteZeroes, false, "device: blkdiscard -z"},
        {Change::BufferedWrite, true, "ext4: buffered write"},
        {Change::DirectWrite, true, "ext4: O_DIRECT write"},
        {Change::ZeroRange, true, "ext4: fallocate -z, then a write into the range"},
        {Change::PunchHole, true, "ext4 -o discard: fallocate -p"},
    };
    for (const auto& k : kinds)
        for (const bool before : {true, false})
            QTest::addRow("%s, %s", k.name, before ? "before READY" : "after READY")
                << static_cast<int>(k.change) << k.mounted << before;
}

// Old data first, copied to the target; then the change, on data the job
// has copied already (before READY) or while it mirrors (after READY);
// then Complete. A request the tracking misses leaves the old data on the
// target, and cmp shows it.
void TestLive::tracking_everyRequestKind_targetMatches()
{
    QFETCH(int, change);
    QFETCH(bool, mounted);
    QFETCH(bool, beforeReady);
    const auto what = static_cast<Change>(change);
    constexpr std::uint64_t size = 64 * MiB;
    static int row = 0;
    const QString name = QStringLiteral("kind%1").arg(++row);

    QString why;
    std::unique_ptr<LoopDevice> loop;
    std::unique_ptr<Ext4Image> fs;
    QString device, file;
    std::vector<ByteRange> region; // where the change lands on the device
    std::uint64_t boundary = 0;
    if (mounted) {
        // No lazy initialisation: nothing but the row writes. dioread_lock:
        // a write into a small unwritten extent makes ext4 zero the rest of
        // it with write-zeroes (the default splits the extent instead).
        Ext4Image::Options options;
        options.mkfsOptions = {QStringLiteral("-b"), QStringLiteral("4096"), QStringLiteral("-E"),
                               QStringLiteral("lazy_itable_init=0,lazy_journal_init=0")};
        options.mountOptions = QStringLiteral("discard,dioread_lock,noinit_itable");
        fs = Ext4Image::create(m_dir, name, size, &why, options);
        QVERIFY2(fs, qPrintable(why));
        device = fs->device();
        file = fs->mountPoint() + QStringLiteral("/old-data");
        QVERIFY(createSparse(file, 8 * MiB));
        QVERIFY(writePattern(file, 0, 8 * MiB, 20));
        // ext4 zeroes unwritten extents up to this size instead of splitting them.
        QVERIFY(writeSysfs(QStringLiteral("/sys/fs/ext4/%1/extent_max_zeroout_kb")
                               .arg(QFileInfo(device).fileName()),
                           "32"));
        for (const auto& e : fileExtents(file)) {
            region.push_back({e.physical, e.length});
            const std::uint64_t g = kDefaultGranularity;
            const std::uint64_t at = (e.physical + 3 * MiB + g - 1) / g * g;
            if (boundary == 0 && at + 16 * 1024 <= e.physical + e.length)
                boundary = e.logical + (at - e.physical);
        }
        QVERIFY2(boundary >= 16 * 1024, "no extent holds a granule boundary");
    } else {
        const QString img = m_dir.file(name + QStringLiteral(".img"));
        QVERIFY(createSparse(img, size));
        QVERIFY(writePattern(img, 0, size, 21));
        loop = LoopDevice::attach(img, &why);
        QVERIFY2(loop, qPrintable(why));
        device = loop->path();
        region = {kDeviceRegion};
    }
    auto probe = RequestProbe::create(device, &why);
    QVERIFY2(probe, qPrintable(why));

    const QString target = m_dir.file(name + QStringLiteral("-target.img"));
    QVERIFY(createSparse(target, size));
    const QString frozen = m_dir.file(name + QStringLiteral("-frozen.img"));

    LiveJob lj;
    auto live = LiveSource::create(device.toStdString());
    QVERIFY2(live, live ? "" : live.error().message.c_str());
    lj.live = std::move(*live);
    auto quiescer = std::make_shared<SnapshotQuiescer>(
        lj.live->quiescer(), device.toStdString(), mounted ? frozen.toStdString() : std::string());
    auto src = Disk::open(device.toStdString(), {Disk::Access::ReadOnly, true, false});
    auto dst = Disk::open(target.toStdString(), {Disk::Access::ReadWrite, true, false});
    QVERIFY(src && dst);
    MirrorOptions o;
    o.quiescer = quiescer;
    // Slow enough that the change lands on data already copied while most
    // of the disk is still to be copied.
    o.speed = beforeReady ? 16 * MiB : 0;
    auto job = MirrorJob::create(std::move(*src), std::move(*dst), o);
    QVERIFY2(job, job ? "" : job.error().message.c_str());
    lj.job = std::move(*job);
    QCOMPARE(lj.job->granularity(), kDefaultGranularity);
    lj.job->setDirtyMapCells(size / lj.job->granularity());
    QVERIFY(lj.live->attach(*lj.job));
    lj.job->start();
    auto ready = [&] {
        return waitFor([&] { return lj.job->status() == JobStatus::Ready || lj.job->finished(); },
                       60s);
    };

    if (beforeReady)
        QVERIFY2(waitFor([&] { return copiedToTarget(*lj.job, region); }, 30s),
                 "the region to change was never copied");
    else
        QVERIFY(ready());
    // Before READY the change goes to the disk at once, while the job
    // copies. After READY it is left where the writer left it (a buffered
    // write in the page cache): Complete's quiesce must bring it to the
    // disk and deliver it.
    QVERIFY2(makeChange(what, device, file, boundary, beforeReady, &why), qPrintable(why));
    if (beforeReady) {
        QVERIFY2(!lj.job->snapshot()->readyReached,
                 "READY came before the change was made: the row proves nothing");
        QVERIFY(lj.job->setSpeed(0));
        QVERIFY(ready());
    }
    QVERIFY(lj.job->complete());
    const JobResult& r = lj.job->wait();
    QVERIFY2(r.outcome == JobResult::Outcome::Completed, r.error.message.c_str());
    lj.live->stop();

    if (mounted) {
        QVERIFY2(quiescer->taken(), "the frozen source could not be read");
        QVERIFY2(cmpIdentical(frozen, target),
                 "the target differs from the source as it was frozen for the final copy");
    } else {
        QVERIFY2(cmpIdentical(device, target), "the target differs from the source");
    }
    // A row whose change never reached the disk as the kind of request it
    // is about proves nothing.
    bool sent = false;
    for (const auto& s : probe->seen())
        sent = sent || (s.kind == requestLetter(what) && overlaps(region, s.offset, s.length));
    QVERIFY2(sent, qPrintable(QStringLiteral("the kernel sent no %1 request where the row changed "
                                             "data")
                                  .arg(QLatin1Char(requestLetter(what)))));
}

void TestLive::liveFull_mountedExt4UnderLoad_cleanWholeTarget()
{
    QString why;
    auto src = Ext4Image::create(m_dir, QStringLiteral("full"), 256 * MiB, &why);
    QVERIFY2(src, qPrintable(why));
    const QString target = m_dir.file(QStringLiteral("full-target.img"));
    QVERIFY(createSparse(target, 256 * MiB));
    const LiveRun r = mirrorLive(*src, target);
    QVERIFY2(r.outcome == JobResult::Outcome::Completed, r.error.c_str());
    QVERIFY2(r.events > 0, "no write was tracked under load");
    QVERIFY(r.filesBeforeComplete > 0);
    qInfo("tracked %llu write events; freeze window %.3f s",
          static_cast<unsigned long long>(r.events), r.quiesceSeconds);
    checkTarget(m_dir, target, r.filesBeforeComplete);
}

// One live source to three targets through the job setup the CLI uses:
// every tracked write reaches every target, and one Complete freezes the
// source once, leaving three identical copies, each a clean file system
// with every file finished before it.
void TestLive::liveGroup_threeTargetsUnderLoad_allClean()
{
    QString why;
    auto src = Ext4Image::create(m_dir, QStringLiteral("group"), 192 * MiB, &why);
    QVERIFY2(src, qPrintable(why));
    FileWriter files(src->mountPoint());
    FioLoad fio(src->mountPoint(), QStringLiteral("10m"));
    files.start();
    std::this_thread::sleep_for(300ms);

    GroupSetup setup;
    setup.common.source = src->device().toStdString();
    QStringList targets;
    for (int i = 0; i < 3; ++i) {
        targets << m_dir.file(QStringLiteral("group-target-%1.img").arg(i));
        setup.targets.push_back({targets.back().toStdString(), {}});
    }
    auto prepared = prepareGroup(setup, {});
    QVERIFY2(prepared, prepared ? "" : prepared.error().message.c_str());
    QVERIFY(prepared->live);
    MirrorGroup& group = *prepared->group;
    group.start();
    QVERIFY2(waitFor(
                 [&] {
                     for (std::size_t i = 0; i < group.size(); ++i)
                         if (group.member(i).status() != JobStatus::Ready)
                             return false;
                     return true;
                 },
                 120s),
             "not every target reached READY under load");
    std::this_thread::sleep_for(1s); // mirror live writes for a while
    const int filesBeforeComplete = files.finished();
    QVERIFY(group.complete());
    const GroupResult result = group.wait();
    const auto events = prepared->live->tracker().eventsSeen();
    prepared->live->stop();
    files.stop();
    fio.stop();
    QVERIFY2(events > 0, "no write was tracked under load");
    for (std::size_t i = 0; i < result.members.size(); ++i) {
        const JobResult& r = result.members[i];
        QVERIFY2(r.outcome == JobResult::Outcome::Completed, r.error.message.c_str());
        qInfo("target %zu: freeze window %.3f s, read %llu bytes of the source itself", i,
              r.quiesceSeconds, static_cast<unsigned long long>(r.sourceBytesRead));
    }
    qInfo("%llu write events tracked; source read %llu bytes for 3 targets of %llu (first "
          "reads %llu, again %llu, served from shared reads %llu)",
          static_cast<unsigned long long>(events),
          static_cast<unsigned long long>(result.sourceBytesRead),
          static_cast<unsigned long long>(192 * MiB),
          static_cast<unsigned long long>(result.shared.readBytes),
          static_cast<unsigned long long>(result.shared.extraReadBytes),
          static_cast<unsigned long long>(result.shared.hitBytes));
    prepared->group.reset();
    prepared->live.reset();
    // One freeze for all: the three copies are of the same moment, so they
    // are byte for byte the same, while the source has moved on.
    for (int i = 1; i < targets.size(); ++i)
        QVERIFY2(cmpIdentical(targets.front(), targets[i]),
                 qPrintable(targets[i] + QStringLiteral(" is not the copy of the same moment")));
    for (const QString& target : targets)
        checkTarget(m_dir, target, filesBeforeComplete);
}

void TestLive::livePartition_sourceIsPartition_cleanWholeTarget()
{
    QString why;
    Ext4Image::Options partitioned;
    partitioned.partitioned = true;
    auto src = Ext4Image::create(m_dir, QStringLiteral("part"), 160 * MiB, &why, partitioned);
    QVERIFY2(src, qPrintable(why));
    auto info = describeDevice(src->device().toStdString());
    QVERIFY2(info, info ? "" : info.error().message.c_str());
    QVERIFY(info->isPartition);
    QCOMPARE(info->startSector, std::uint64_t(2048));
    const QString target = m_dir.file(QStringLiteral("part-target.img"));
    QVERIFY(createSparse(target, info->size));
    const LiveRun r = mirrorLive(*src, target);
    QVERIFY2(r.outcome == JobResult::Outcome::Completed, r.error.c_str());
    QVERIFY(r.events > 0);
    checkTarget(m_dir, target, r.filesBeforeComplete);
}

void TestLive::liveOverflow_tinyTraceBuffer_fullResyncStillClean()
{
    QString why;
    auto src = Ext4Image::create(m_dir, QStringLiteral("ovf"), 128 * MiB, &why);
    QVERIFY2(src, qPrintable(why));
    const QString target = m_dir.file(QStringLiteral("ovf-target.img"));
    QVERIFY(createSparse(target, 128 * MiB));
    TraceTracker::Options small;
    small.bufferKiBPerCpu = 4;                    // a page: any burst overruns it
    small.readInterval = std::chrono::seconds(1); // read late, as a loaded machine would
    const QString mnt = src->mountPoint();
    const LiveRun r = mirrorLive(*src, target, small, [&] {
        // A burst of direct writes far faster than the tracker can read them.
        runCommand(QStringLiteral("fio"),
                   {QStringLiteral("--name=burst"), QStringLiteral("--directory=") + mnt,
                    QStringLiteral("--size=16M"), QStringLiteral("--rw=randwrite"),
                    QStringLiteral("--bs=4k"), QStringLiteral("--direct=1"),
                    QStringLiteral("--ioengine=io_uring"), QStringLiteral("--iodepth=32"),
                    QStringLiteral("--output=/dev/null")});
    });
    QVERIFY2(r.outcome == JobResult::Outcome::Completed, r.error.c_str());
    QVERIFY2(r.overflows > 0, "the trace buffer did not overflow; the test proves nothing");
    // A full resync copies the disk at least twice.
    QVERIFY(r.bytesDone >= 2 * 128 * MiB);
    checkTarget(m_dir, target, r.filesBeforeComplete);
}

void TestLive::cli_mountedSourceUnderLoad_completesCleanAndReportsFreeze()
{
    QString why;
    auto src = Ext4Image::create(m_dir, QStringLiteral("cli"), 128 * MiB, &why);
    QVERIFY2(src, qPrintable(why));
    const QString target = m_dir.file(QStringLiteral("cli-target.img"));
    QFile::remove(target);
    FioLoad fio(src->mountPoint(), QStringLiteral("10m"));
    std::this_thread::sleep_for(300ms);
    const auto r =
        runCommand(cliPath(), {QStringLiteral("mirror"), src->device(), target,
                               QStringLiteral("--complete-when-ready"), QStringLiteral("--json")});
    fio.stop();
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("live source")), qPrintable(r.err));
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QVERIFY(!lines.isEmpty());
    const auto done = QJsonDocument::fromJson(lines.last().toUtf8()).object();
    QCOMPARE(done.value(QStringLiteral("event")).toString(), QStringLiteral("BLOCK_JOB_COMPLETED"));
    const double freeze = done.value(QStringLiteral("data"))
                              .toObject()
                              .value(QStringLiteral("quiesce-seconds"))
                              .toDouble(-1);
    QVERIFY2(freeze >= 0 && freeze < 5, qPrintable(lines.last()));
    const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), target});
    QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
}

void TestLive::cli_sigtermDuringLiveJob_cancelsAndRemovesTraceInstance()
{
    const QString img = m_dir.file(QStringLiteral("sig.img"));
    QVERIFY(createSparse(img, 256 * MiB));
    QVERIFY(writePattern(img, 0, 256 * MiB, 9));
    QString why;
    auto loop = LoopDevice::attach(img, &why);
    QVERIFY2(loop, qPrintable(why));
    const QString target = m_dir.file(QStringLiteral("sig-target.img"));
    QFile::remove(target);
    QProcess p;
    p.start(cliPath(), {QStringLiteral("mirror"), loop->path(), target, QStringLiteral("--speed"),
                        QStringLiteral("16M"), QStringLiteral("--json")});
    QVERIFY(p.waitForStarted());
    const QString instance = QString::fromStdString(*TraceTracker::tracefsRoot()) +
                             QStringLiteral("/instances/drivemirror-%1-0").arg(p.processId());
    QVERIFY(waitFor([&] { return QFileInfo::exists(instance); }, 10s));
    std::this_thread::sleep_for(500ms);
    ::kill(static_cast<pid_t>(p.processId()), SIGTERM);
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QCOMPARE(p.exitCode(), 5); // cancelled before READY
    QVERIFY2(!QFileInfo::exists(instance), qPrintable(instance));
    QVERIFY(QString::fromUtf8(p.readAllStandardOutput())
                .contains(QStringLiteral("BLOCK_JOB_CANCELLED")));
}

void TestLive::cli_expectId_refusesAnotherDisk()
{
    const QString srcImg = m_dir.file(QStringLiteral("id-src.img"));
    QVERIFY(createSparse(srcImg, 16 * MiB));
    QVERIFY(writePattern(srcImg, 0, 16 * MiB, 11));
    const QString tgtImg = m_dir.file(QStringLiteral("id-tgt.img"));
    QVERIFY(createSparse(tgtImg, 16 * MiB));
    QString why;
    auto target = LoopDevice::attach(tgtImg, &why);
    QVERIFY2(target, qPrintable(why));
    auto info = describeDevice(target->stdPath());
    QVERIFY(info);
    const QString id = QString::fromStdString(info->stableId());
    // The listing names the same identity.
    const auto list = runCommand(cliPath(), {QStringLiteral("list"), QStringLiteral("--json")});
    QCOMPARE(list.exitCode, 0);
    QVERIFY2(list.out.contains(QStringLiteral("\"id\": \"") + id + QLatin1Char('"')),
             qPrintable(list.out));

    const auto wrong = runCommand(
        cliPath(), {QStringLiteral("mirror"), srcImg, target->path(), QStringLiteral("--expect-id"),
                    id + QStringLiteral("x"), QStringLiteral("--complete-when-ready")});
    QCOMPARE(wrong.exitCode, 2);
    QVERIFY2(wrong.err.contains(QStringLiteral("(rule: target identity)")), qPrintable(wrong.err));
    const auto right = runCommand(cliPath(), {QStringLiteral("mirror"), srcImg, target->path(),
                                              QStringLiteral("--expect-id"), id,
                                              QStringLiteral("--complete-when-ready")});
    QVERIFY2(right.exitCode == 0, qPrintable(right.err));
    QVERIFY(cmpIdenticalPrefix(srcImg, target->path(), 16 * MiB));
}

void TestLive::cli_noTrackingOnMountedSource_refused()
{
    QString why;
    auto src = Ext4Image::create(m_dir, QStringLiteral("notrack"), 32 * MiB, &why);
    QVERIFY2(src, qPrintable(why));
    const QString target = m_dir.file(QStringLiteral("notrack-target.img"));
    QFile::remove(target);
    const auto r = runCommand(cliPath(), {QStringLiteral("mirror"), src->device(), target,
                                          QStringLiteral("--no-tracking"),
                                          QStringLiteral("--complete-when-ready")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("(rule: live source needs tracking)")),
             qPrintable(r.err));
    QVERIFY(!QFileInfo::exists(target)); // nothing was written
}

void TestLive::cli_progressCarriesDirtyMap()
{
    const QString srcImg = m_dir.file(QStringLiteral("map-src.img"));
    QVERIFY(createSparse(srcImg, 32 * MiB));
    QVERIFY(writePattern(srcImg, 0, 32 * MiB, 12));
    const QString target = m_dir.file(QStringLiteral("map-target.img"));
    QFile::remove(target);
    const auto r =
        runCommand(cliPath(), {QStringLiteral("mirror"), srcImg, target, QStringLiteral("--json"),
                               QStringLiteral("--map-cells"), QStringLiteral("32"),
                               QStringLiteral("--progress-interval"), QStringLiteral("100"),
                               QStringLiteral("--speed"), QStringLiteral("32M"),
                               QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QStringList maps;
    for (const QString& line : r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const auto o = QJsonDocument::fromJson(line.toUtf8()).object();
        if (o.value(QStringLiteral("event")).toString() == QStringLiteral("BLOCK_JOB_PROGRESS"))
            maps << o.value(QStringLiteral("data"))
                        .toObject()
                        .value(QStringLiteral("map"))
                        .toString();
    }
    QVERIFY2(maps.size() >= 3, qPrintable(r.out)); // about a second at 32 MiB/s, every 100 ms
    for (const QString& m : maps)
        QCOMPARE(m.size(), 64); // two hex digits per cell
    // The copy runs front to back: the first cell is clean before the last.
    QVERIFY2(maps.last().startsWith(QStringLiteral("00")), qPrintable(maps.last()));
    QVERIFY2(maps.first().endsWith(QStringLiteral("ff")), qPrintable(maps.first()));
}

void TestLive::catalog_loopDeviceAddedAndRemoved_seen()
{
    auto mon = DeviceMonitor::create();
    QVERIFY2(mon, mon ? "" : mon.error().message.c_str());
    const QString img = m_dir.file(QStringLiteral("hotplug.img"));
    QVERIFY(createSparse(img, 32 * MiB));
    QString why;
    auto loop = LoopDevice::attach(img, &why);
    QVERIFY2(loop, qPrintable(why));
    const QString name = QFileInfo(loop->path()).fileName();
    auto seenAs = [&](DeviceEventKind kind) {
        return waitFor(
            [&] {
                pollfd p{(*mon)->fd(), POLLIN, 0};
                ::poll(&p, 1, 100);
                for (const auto& ev : (*mon)->drain())
                    if (QString::fromStdString(ev.info.name) == name && ev.kind == kind)
                        return true;
                return false;
            },
            10s);
    };
    // Attaching a loop device is a change of an existing node or an add.
    QVERIFY(seenAs(DeviceEventKind::Changed) || seenAs(DeviceEventKind::Added));
    bool listed = false;
    for (const auto& d : enumerateDevices())
        if (QString::fromStdString(d.name) == name) {
            listed = true;
            QCOMPARE(QString::fromStdString(d.bus), QStringLiteral("loop"));
            QCOMPARE(d.size, 32 * MiB);
            QCOMPARE(QString::fromStdString(d.loopBackingFile), img);
            QVERIFY(!d.stableId().empty());
        }
    QVERIFY(listed);
    loop.reset();
    QVERIFY(seenAs(DeviceEventKind::Removed));
    for (const auto& d : enumerateDevices())
        QVERIFY(QString::fromStdString(d.name) != name);
}

void TestLive::safety_rulesRefuseWithTheirNames()
{
    QString why;
    // Mounted.
    auto mounted = Ext4Image::create(m_dir, QStringLiteral("safe-mnt"), 64 * MiB, &why);
    QVERIFY2(mounted, qPrintable(why));
    auto all = enumerateDevices();
    auto find = [&](const QString& path) -> const DeviceInfo* {
        for (const auto& d : all)
            if (QString::fromStdString(d.devnode) == path)
                return &d;
        return nullptr;
    };
    const DeviceInfo* m = find(mounted->device());
    QVERIFY(m);
    auto refusal = targetRefusal(*m, all);
    QVERIFY(refusal && refusal->find("(rule: mounted target)") != std::string::npos);
    QCOMPARE(QString::fromStdString(m->fsType), QStringLiteral("ext4"));
    QVERIFY(m->holdsData);

    // Swap.
    const QString swapImg = m_dir.file(QStringLiteral("swap.img"));
    QVERIFY(createSparse(swapImg, 32 * MiB));
    auto swapLoop = LoopDevice::attach(swapImg, &why);
    QVERIFY2(swapLoop, qPrintable(why));
    QCOMPARE(runCommand(QStringLiteral("mkswap"), {swapLoop->path()}).exitCode, 0);
    const auto on = runCommand(QStringLiteral("swapon"), {swapLoop->path()});
    if (on.exitCode == 0) {
        auto off = qScopeGuard([&] { runCommand(QStringLiteral("swapoff"), {swapLoop->path()}); });
        all = enumerateDevices();
        const DeviceInfo* s = find(swapLoop->path());
        QVERIFY(s);
        refusal = targetRefusal(*s, all);
        QVERIFY2(refusal && refusal->find("(rule: held target)") != std::string::npos,
                 refusal ? refusal->c_str() : "accepted");
    } else {
        qWarning("swapon refused here (%s); the swap rule is checked by its parser only",
                 qPrintable(on.err.trimmed()));
        QVERIFY(on.err.contains(QStringLiteral("swapon")));
    }

    // The disk that holds /.
    all = enumerateDevices();
    bool foundRoot = false;
    for (const auto& d : all)
        if (!d.isPartition && holdsRootFileSystem(d, all)) {
            foundRoot = true;
            refusal = targetRefusal(d, all);
            QVERIFY2(refusal && refusal->find("(rule: system disk)") != std::string::npos,
                     refusal ? refusal->c_str() : "accepted");
        }
    if (!foundRoot)
        qInfo("/ is not on a block device here (overlay or network root): no system disk to test");

    // An unused loop device is accepted.
    const QString freeImg = m_dir.file(QStringLiteral("free.img"));
    QVERIFY(createSparse(freeImg, 16 * MiB));
    auto freeLoop = LoopDevice::attach(freeImg, &why);
    QVERIFY2(freeLoop, qPrintable(why));
    all = enumerateDevices();
    const DeviceInfo* f = find(freeLoop->path());
    QVERIFY(f);
    QVERIFY(!targetRefusal(*f, all));
    QVERIFY(!f->holdsData);
}

QTEST_GUILESS_MAIN(TestLive)
#include "tst_live.moc"
