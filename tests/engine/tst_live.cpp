// Live sources, as root on loop devices: a mounted ext4 under a steady write
// load (fio plus a writer of checksummed files) is mirrored with kernel write
// tracking and completed with a freeze; e2fsck and the files themselves judge
// the copy. Also: a partition as the source, a trace buffer forced to
// overflow, hotplug seen by the device catalog, and the safety rules.
#include "device_catalog.h"
#include "disk.h"
#include "engine_printers.h"
#include "live_source.h"
#include "mirror_job.h"
#include "test_support.h"
#include "trace_tracker.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
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
        m_thread = std::thread([this] { run(); });
    }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    /// Files whose creation finished (renamed and synced) so far.
    int finished() const { return m_finished.load(); }

private:
    void run()
    {
        const int dirFd = ::open(QFile::encodeName(m_dir).constData(), O_RDONLY | O_DIRECTORY);
        for (int n = 0; !m_stop; ++n) {
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
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_finished{0};
    std::thread m_thread;
};

// An ext4 file system on a loop device (optionally on its first partition),
// mounted for the test's lifetime.
class Ext4Source
{
public:
    static std::unique_ptr<Ext4Source> create(const ScratchDir& dir, const QString& name,
                                              std::uint64_t size, bool partitioned, QString* why)
    {
        std::unique_ptr<Ext4Source> s(new Ext4Source);
        s->m_image = dir.file(name + QStringLiteral(".img"));
        if (!createSparse(s->m_image, size)) {
            *why = QStringLiteral("cannot create image");
            return nullptr;
        }
        if (partitioned) {
            // One partition from 1 MiB to the end, MBR.
            const auto r =
                runCommand(QStringLiteral("sfdisk"), {QStringLiteral("-q"), s->m_image}, 60000,
                           QByteArrayLiteral("label: dos\nstart=2048, type=83\n"));
            if (r.exitCode != 0) {
                *why = QStringLiteral("sfdisk: ") + r.err;
                return nullptr;
            }
        }
        s->m_loop = LoopDevice::attach(s->m_image, why, partitioned);
        if (!s->m_loop)
            return nullptr;
        s->m_device = partitioned ? s->m_loop->path() + QStringLiteral("p1") : s->m_loop->path();
        if (partitioned && !QFile::exists(s->m_device)) {
            *why = QStringLiteral("partition node did not appear: ") + s->m_device;
            return nullptr;
        }
        const auto mk = runCommand(QStringLiteral("mkfs.ext4"),
                                   {QStringLiteral("-q"), QStringLiteral("-F"), s->m_device});
        if (mk.exitCode != 0) {
            *why = QStringLiteral("mkfs.ext4: ") + mk.err;
            return nullptr;
        }
        s->m_mount = dir.file(name + QStringLiteral("-mnt"));
        QDir().mkpath(s->m_mount);
        const auto m = runCommand(QStringLiteral("mount"), {s->m_device, s->m_mount});
        if (m.exitCode != 0) {
            *why = QStringLiteral("mount: ") + m.err;
            return nullptr;
        }
        s->m_mounted = true;
        return s;
    }
    ~Ext4Source()
    {
        if (m_mounted)
            runCommand(QStringLiteral("umount"), {m_mount});
    }
    QString device() const { return m_device; }
    QString mountPoint() const { return m_mount; }
    QString loopPath() const { return m_loop->path(); }

private:
    Ext4Source() = default;
    QString m_image, m_device, m_mount;
    std::unique_ptr<LoopDevice> m_loop;
    bool m_mounted = false;
};

// fio as an independent writer: random 4 KiB writes at a fixed rate.
class FioLoad
{
public:
    FioLoad(const QString& dir, const QString& rate)
    {
        m_proc.start(QStringLiteral("fio"),
                     {QStringLiteral("--name=load"), QStringLiteral("--directory=") + dir,
                      QStringLiteral("--size=48M"), QStringLiteral("--rw=randwrite"),
                      QStringLiteral("--bs=4k"), QStringLiteral("--ioengine=psync"),
                      QStringLiteral("--fsync=32"), QStringLiteral("--time_based"),
                      QStringLiteral("--runtime=600"), QStringLiteral("--rate=") + rate,
                      QStringLiteral("--output=/dev/null")});
        m_proc.waitForStarted();
    }
    ~FioLoad() { stop(); }
    bool running() const { return m_proc.state() == QProcess::Running; }
    void stop()
    {
        if (m_proc.state() != QProcess::NotRunning) {
            m_proc.terminate();
            if (!m_proc.waitForFinished(20000)) {
                m_proc.kill();
                m_proc.waitForFinished();
            }
        }
    }

private:
    QProcess m_proc;
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
LiveRun mirrorLive(const Ext4Source& source, const QString& targetImage,
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

} // namespace

class TestLive : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tracker_reportsExactlyTheWrittenRange();
    void tracker_staleInstanceOfDeadProcess_removed();
    void liveFull_mountedExt4UnderLoad_cleanWholeTarget();
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

void TestLive::liveFull_mountedExt4UnderLoad_cleanWholeTarget()
{
    QString why;
    auto src = Ext4Source::create(m_dir, QStringLiteral("full"), 256 * MiB, false, &why);
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

void TestLive::livePartition_sourceIsPartition_cleanWholeTarget()
{
    QString why;
    auto src = Ext4Source::create(m_dir, QStringLiteral("part"), 160 * MiB, true, &why);
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
    auto src = Ext4Source::create(m_dir, QStringLiteral("ovf"), 128 * MiB, false, &why);
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
    auto src = Ext4Source::create(m_dir, QStringLiteral("cli"), 128 * MiB, false, &why);
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
    auto src = Ext4Source::create(m_dir, QStringLiteral("notrack"), 32 * MiB, false, &why);
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
    auto mounted = Ext4Source::create(m_dir, QStringLiteral("safe-mnt"), 64 * MiB, false, &why);
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
