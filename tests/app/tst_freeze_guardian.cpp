// The freeze guardian, end to end, with the real drivemirror-cli: a mounted
// ext4 on a loop device, a writer on it, mirrored onto a slow target (faultfs
// with a write delay) so that the final copy of Complete runs under the
// freeze for seconds. The CLI is killed at random moments of Complete,
// stopped inside the freeze, given a final copy longer than its maximum
// freeze, and the guardian itself gets the signals that end processes.
//
// The oracle is the file system: a new file written to it must go through
// within the maximum freeze, whatever happened to the CLI. Then nothing of
// the run may be left (trace instance, guardian), the next run must work and
// cmp must find its copy identical, and a completion may never be claimed
// for a freeze that expired. The slow target itself (faultfs's write delay,
// and its --drop-write, a disk that loses writes) is checked first.
#include "cli_test_support.h"
#include "fault_fs.h"
#include "test_support.h"
#include "track/trace_tracker.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <random>
#include <thread>

using namespace testsupport;
using clitest::CliSession;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::uint64_t kMiB = 1 << 20;
constexpr std::uint64_t kSourceSize = 64 * kMiB;
// A short maximum freeze keeps the suite quick.
constexpr auto kMaxFreeze = 2s;
const QString kMaxFreezeArg = QStringLiteral("2");
// What a loaded machine may add to the maximum freeze before a writer goes
// on: the guardian's wake-up, the thaw, the probe's own write.
constexpr auto kMargin = 1500ms;
// Per write request to the target: with kDirtyPages granules to copy under
// the freeze, the final copy takes far longer than kMaxFreeze.
constexpr int kSlowWriteMs = 50;
constexpr int kKillRuns = 20;
// Pages the test dirties right before a Complete, each in a granule of its
// own: the freeze flushes them, and at kSlowWriteMs per request the final
// copy lasts several times the maximum freeze, whatever the writer did.
constexpr int kDirtyPages = 96;
constexpr std::uint64_t kDirtStride = 128 * 1024;

bool allocateFile(const QString& path, std::uint64_t size)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return false;
    const bool ok = ::posix_fallocate(fd, 0, static_cast<off_t>(size)) == 0;
    return ::close(fd) == 0 && ok;
}

double seconds(Clock::duration d)
{
    return std::chrono::duration<double>(d).count();
}

// One small write to the source's file system on a thread of its own: a
// new file with 4 KiB in it. It hangs while the file system is frozen, so
// its end is the moment the file system took writes again.
class WriteProbe
{
public:
    explicit WriteProbe(const QString& path) : m_path(QFile::encodeName(path))
    {
        m_thread = std::thread([this] { run(); });
    }
    ~WriteProbe() { m_thread.join(); }
    WriteProbe(const WriteProbe&) = delete;
    WriteProbe& operator=(const WriteProbe&) = delete;

    Clock::time_point startedAt() const { return m_started; }
    bool finished() const { return m_finished.load(); }
    bool succeeded() const { return m_ok.load(); }
    /// False when the write still hangs after @p limit.
    bool wait(std::chrono::milliseconds limit) const
    {
        return waitFor([this] { return finished(); }, limit);
    }
    Clock::time_point doneAt() const
    {
        std::lock_guard lock(m_mutex);
        return m_doneAt;
    }

private:
    void run()
    {
        const int fd = ::open(m_path.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        bool ok = fd >= 0;
        if (ok) {
            char buf[4096];
            std::fill(std::begin(buf), std::end(buf), 'p');
            ok = ::write(fd, buf, sizeof buf) == static_cast<ssize_t>(sizeof buf);
            ok = ::close(fd) == 0 && ok;
        }
        {
            std::lock_guard lock(m_mutex);
            m_doneAt = Clock::now();
        }
        m_ok = ok;
        m_finished = true;
    }

    const QByteArray m_path;
    const Clock::time_point m_started = Clock::now();
    mutable std::mutex m_mutex;
    Clock::time_point m_doneAt{};
    std::atomic<bool> m_ok{false};
    std::atomic<bool> m_finished{false};
    std::thread m_thread;
};

// The live source (ext4 on a loop device, mounted), its writer, and the slow
// target (faultfs over an image file). Tearing down thaws first: a test
// that failed inside a freeze must not leave writers hanging for good.
class LiveRig
{
public:
    static std::unique_ptr<LiveRig> create(const ScratchDir& dir, const QString& name, QString* why)
    {
        std::unique_ptr<LiveRig> r(new LiveRig);
        r->m_image = dir.file(name + QStringLiteral("-src.img"));
        r->m_mount = dir.file(name + QStringLiteral("-mnt"));
        r->m_targetImage = dir.file(name + QStringLiteral("-tgt.img"));
        // The source's image allocated in one piece and never discarded:
        // the writer's random writes would otherwise shred it into
        // thousands of extents, which take seconds to delete.
        if (!allocateFile(r->m_image, kSourceSize) ||
            !createSparse(r->m_targetImage, kSourceSize) || !QDir().mkpath(r->m_mount)) {
            *why = QStringLiteral("cannot create images under ") + dir.path();
            return nullptr;
        }
        r->m_loop = LoopDevice::attach(r->m_image, why);
        if (!r->m_loop)
            return nullptr;
        // No lazy initialisation: no background writes but the writer's.
        const auto mk =
            runCommand(QStringLiteral("mkfs.ext4"),
                       {QStringLiteral("-q"), QStringLiteral("-F"), QStringLiteral("-b"),
                        QStringLiteral("4096"), QStringLiteral("-E"),
                        QStringLiteral("lazy_itable_init=0,lazy_journal_init=0,nodiscard"),
                        r->m_loop->path()});
        if (mk.exitCode != 0) {
            *why = QStringLiteral("mkfs.ext4: ") + mk.err;
            return nullptr;
        }
        if (!r->mount()) {
            *why = QStringLiteral("cannot mount ") + r->m_loop->path();
            return nullptr;
        }
        // Allocated, never written: the initial copy reads zeroes there.
        const int fd = ::open(QFile::encodeName(r->dirtPath()).constData(),
                              O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        const bool allocated = fd >= 0 && ::fallocate(fd, 0, 0, kDirtyPages * kDirtStride) == 0;
        if (fd >= 0)
            ::close(fd);
        if (!allocated) {
            *why = QStringLiteral("cannot allocate ") + r->dirtPath();
            return nullptr;
        }
        r->m_fault = FaultFs::mount(r->m_targetImage, {}, why);
        if (!r->m_fault)
            return nullptr;
        return r;
    }

    ~LiveRig()
    {
        if (m_mounted)
            runCommand(QStringLiteral("fsfreeze"), {QStringLiteral("-u"), m_mount});
        m_probes.clear();
        stopWriter();
        if (m_fault)
            m_fault->setWriteDelay(0);
        // A guardian that outlived its CLI holds the mount point open until
        // it has thawed and ended.
        if (m_mounted && !waitFor([this] { return unmount(); }, 12s))
            runCommand(QStringLiteral("umount"), {QStringLiteral("-l"), m_mount});
    }

    QString device() const { return m_loop->path(); }
    QString mountPoint() const { return m_mount; }
    QString target() const { return m_fault->diskPath(); }
    QString targetImage() const { return m_targetImage; }
    QString dirtPath() const { return m_mount + QStringLiteral("/dirt"); }

    /// Dirties kDirtyPages pages of the source's page cache, each in a
    /// granule of its own, for the next freeze to flush.
    bool dirty()
    {
        const int fd = ::open(QFile::encodeName(dirtPath()).constData(), O_WRONLY | O_CLOEXEC);
        if (fd < 0)
            return false;
        char page[4096];
        std::fill(std::begin(page), std::end(page), static_cast<char>('a' + m_dirtRound++ % 26));
        bool ok = true;
        for (int i = 0; i < kDirtyPages && ok; ++i)
            ok = ::pwrite(fd, page, sizeof page, static_cast<off_t>(i * kDirtStride)) ==
                 static_cast<ssize_t>(sizeof page);
        return ::close(fd) == 0 && ok;
    }
    FaultFs& faultFs() { return *m_fault; }

    bool mount()
    {
        m_mounted = runCommand(QStringLiteral("mount"),
                               {QStringLiteral("-o"), QStringLiteral("noinit_itable"),
                                m_loop->path(), m_mount})
                        .exitCode == 0;
        return m_mounted;
    }
    bool unmount()
    {
        if (m_mounted && runCommand(QStringLiteral("umount"), {m_mount}).exitCode == 0)
            m_mounted = false;
        return !m_mounted;
    }

    /// fio, random 4 KiB writes through the page cache into a file
    /// allocated but never written (unwritten extents): the initial copy
    /// stays cheap, and every freeze has megabytes of dirty pages to flush.
    bool startWriter()
    {
        m_writer = std::make_unique<QProcess>();
        m_writer->start(QStringLiteral("fio"),
                        {QStringLiteral("--name=writer"), QStringLiteral("--directory=") + m_mount,
                         QStringLiteral("--size=32M"), QStringLiteral("--rw=randwrite"),
                         QStringLiteral("--bs=4k"), QStringLiteral("--ioengine=psync"),
                         QStringLiteral("--rate=2m"), QStringLiteral("--fallocate=native"),
                         QStringLiteral("--time_based"), QStringLiteral("--runtime=3600"),
                         QStringLiteral("--output=/dev/null")});
        if (!m_writer->waitForStarted(10000))
            return false;
        // The writer is writing once its file's modification time moves.
        const QString file = m_mount + QStringLiteral("/writer.0.0");
        const QDateTime before = QFileInfo(file).lastModified();
        return waitFor([&] {
            const QFileInfo now(file);
            return now.size() == static_cast<qint64>(32 * kMiB) &&
                   (!before.isValid() || now.lastModified() > before);
        });
    }
    void stopWriter()
    {
        if (!m_writer || m_writer->state() == QProcess::NotRunning)
            return;
        m_writer->terminate();
        if (!m_writer->waitForFinished(20000)) {
            m_writer->kill();
            m_writer->waitForFinished(20000);
        }
    }

    /// A new write to the file system, on its own thread; it lives as
    /// long as the rig.
    const WriteProbe& probe()
    {
        m_probes.push_back(std::make_unique<WriteProbe>(
            m_mount + QStringLiteral("/probe-%1").arg(m_probeCount++ % 64)));
        return *m_probes.back();
    }

    /// A probe that hangs, once the file system is frozen (within @p limit).
    /// A write to a file system that is not frozen takes a millisecond, on
    /// a loaded machine some tens.
    const WriteProbe* waitForFreeze(std::chrono::milliseconds limit)
    {
        const WriteProbe* hung = nullptr;
        waitFor(
            [&] {
                const WriteProbe& p = probe();
                if (!p.wait(300ms))
                    hung = &p;
                return hung != nullptr;
            },
            limit);
        return hung;
    }

private:
    LiveRig() = default;
    QString m_image, m_mount, m_targetImage;
    std::unique_ptr<LoopDevice> m_loop;
    bool m_mounted = false;
    std::unique_ptr<FaultFs> m_fault;
    std::unique_ptr<QProcess> m_writer;
    std::deque<std::unique_ptr<WriteProbe>> m_probes;
    int m_probeCount = 0;
    int m_dirtRound = 0;
};

QString eventName(const QJsonObject& o)
{
    return o.value(QStringLiteral("event")).toString();
}

QJsonObject eventData(const QJsonObject& o)
{
    return o.value(QStringLiteral("data")).toObject();
}

// The guardian the CLI @p cli forked: its child named dm-freeze-guard.
pid_t guardianOf(qint64 cli)
{
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString& entry : entries) {
        bool number = false;
        const int pid = entry.toInt(&number);
        QFile f(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!number || !f.open(QIODevice::ReadOnly))
            continue;
        // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
        const QByteArray stat = f.readAll();
        const qsizetype open = stat.indexOf('('), close = stat.lastIndexOf(')');
        if (open < 0 || close < open)
            continue;
        const QList<QByteArray> rest = stat.mid(close + 2).split(' ');
        if (stat.mid(open + 1, close - open - 1) == "dm-freeze-guard" && rest.size() > 1 &&
            rest[1].toLongLong() == cli)
            return pid;
    }
    return -1;
}

// Whether process @p pid has ended. This process is the subreaper: an
// orphaned guardian becomes its child and is reaped here; one whose CLI
// still runs is a zombie until the CLI reaps it.
bool ended(pid_t pid)
{
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid)
        return true;
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return true;
    const QByteArray stat = f.readAll();
    const qsizetype close = stat.lastIndexOf(')');
    return close > 0 && stat.size() > close + 2 && stat[close + 2] == 'Z';
}

// The trace instances of process @p pid (instances/drivemirror-PID-N).
QStringList traceInstancesOf(qint64 pid)
{
    auto root = engine::TraceTracker::tracefsRoot();
    if (!root)
        return {QString::fromStdString(root.error().message)};
    return QDir(QString::fromStdString(*root) + QStringLiteral("/instances"))
        .entryList({QStringLiteral("drivemirror-%1-*").arg(pid)}, QDir::Dirs);
}

// The source, unmounted and quiet, mirrored by a fresh CLI to @p target and
// compared with cmp. Empty when all went well, else what did not.
QString nextRunIdentical(LiveRig& rig, const QString& target)
{
    rig.stopWriter();
    if (!rig.unmount())
        return QStringLiteral("cannot unmount the source");
    const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), rig.device()});
    if (fsck.exitCode != 0)
        return QStringLiteral("e2fsck of the source: ") + fsck.out + fsck.err;
    QFile::remove(target);
    const auto r =
        runCommand(cliPath(), {QStringLiteral("mirror"), rig.device(), target,
                               QStringLiteral("--complete-when-ready"), QStringLiteral("--json")});
    if (r.exitCode != 0)
        return QStringLiteral("the next run failed (exit %1): %2").arg(r.exitCode).arg(r.err);
    if (!cmpIdentical(rig.device(), target))
        return QStringLiteral("the next run's copy differs from the source");
    if (!rig.mount() || !rig.startWriter())
        return QStringLiteral("cannot mount the source again or start its writer");
    return {};
}

QString describe(const std::vector<double>& values)
{
    if (values.empty())
        return QStringLiteral("none");
    std::vector<double> v = values;
    std::sort(v.begin(), v.end());
    return QStringLiteral("min %1 s, median %2 s, max %3 s")
        .arg(v.front(), 0, 'f', 3)
        .arg(v[v.size() / 2], 0, 'f', 3)
        .arg(v.back(), 0, 'f', 3);
}

} // namespace

class TestFreezeGuardian : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void faultFs_slowAndLyingTarget_asDocumented();
    void kill9DuringComplete_thawsCleansUpNextRunIdentical();
    void sigstopDuringFreeze_deadlineThaws_noClaimForExpiredFreeze();
    void finalCopyLongerThanMaxFreeze_completeFailsBackToReady();
    void finalCopyLongerThanMaxFreeze_completeWhenReady_givesUpExit7();
    void signalToGuardianWhileFrozen_thaws_data();
    void signalToGuardianWhileFrozen_thaws();

private:
    ScratchDir m_dir;
};

void TestFreezeGuardian::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (!isRoot())
        QSKIP("the freeze guardian tests need root: loop devices, mounts, FIFREEZE, tracefs, "
              "FUSE");
    QString why;
    if (!FaultFs::available(&why))
        QSKIP(qPrintable(QStringLiteral("the slow target needs FUSE: ") + why));
    const QString probeImage = m_dir.file(QStringLiteral("loop-check.img"));
    QVERIFY(createSparse(probeImage, kMiB));
    if (!LoopDevice::attach(probeImage, &why))
        QSKIP(qPrintable(QStringLiteral("no loop devices: ") + why));
    if (auto root = engine::TraceTracker::tracefsRoot(); !root)
        QSKIP(qPrintable(QStringLiteral("no tracefs: ") +
                         QString::fromStdString(root.error().message)));
    if (QStandardPaths::findExecutable(QStringLiteral("fio")).isEmpty())
        QSKIP("fio, the writer on the source, is not installed");
    if (!QFileInfo(cliPath()).isExecutable())
        QSKIP("DRIVEMIRROR_CLI does not name the drivemirror-cli binary");
    // An orphaned guardian (its CLI killed) becomes a child of this process,
    // which can then see it end and reap it.
    QVERIFY(::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
}

// The instrument first: faultfs's write delay, changed while mounted, and
// --drop-write, which loses the bytes in its range and reports success.
void TestFreezeGuardian::faultFs_slowAndLyingTarget_asDocumented()
{
    const QString backing = m_dir.file(QStringLiteral("faultfs.img"));
    QVERIFY(createSparse(backing, 4 * kMiB));
    QVERIFY(writePattern(backing, 0, 4 * kMiB, 5));
    QFile before(backing);
    QVERIFY(before.open(QIODevice::ReadOnly));
    const QByteArray old = before.readAll();
    before.close();
    QString why;
    auto fs = FaultFs::mount(backing,
                             {QStringLiteral("--write-delay-ms"), QStringLiteral("200"),
                              QStringLiteral("--drop-write"), QStringLiteral("1M:64K")},
                             &why);
    QVERIFY2(fs, qPrintable(why));
    const int fd = ::open(QFile::encodeName(fs->diskPath()).constData(), O_WRONLY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    auto closeFd = qScopeGuard([fd] { ::close(fd); });
    const QByteArray page(4096, 'd');
    auto timedWrite = [&](const QByteArray& data, off_t at) {
        const auto start = Clock::now();
        const bool ok =
            ::pwrite(fd, data.constData(), static_cast<size_t>(data.size()), at) == data.size();
        return ok ? seconds(Clock::now() - start) : -1.0;
    };
    const double slow = timedWrite(page, 0);
    QVERIFY2(slow >= 0.19, qPrintable(QString::number(slow)));
    QVERIFY(fs->setWriteDelay(0));
    const double fast = timedWrite(page, 4096);
    QVERIFY2(fast >= 0 && fast < 0.15, qPrintable(QString::number(fast)));

    // 64 KiB either side of the dropped range, and the range itself.
    const QByteArray span(192 * 1024, 'n');
    QVERIFY(timedWrite(span, static_cast<off_t>(kMiB - 64 * 1024)) >= 0);
    QFile after(backing);
    QVERIFY(after.open(QIODevice::ReadOnly));
    const QByteArray now = after.readAll();
    const qsizetype mib = static_cast<qsizetype>(kMiB), k64 = 64 * 1024;
    QCOMPARE(now.mid(mib - k64, k64), QByteArray(k64, 'n'));
    QCOMPARE(now.mid(mib, k64), old.mid(mib, k64));
    QCOMPARE(now.mid(mib + k64, k64), QByteArray(k64, 'n'));
}

// SIGKILL at seeded random moments after `complete`, most of them inside
// the freeze. After each: a write goes through within the maximum freeze,
// the trace instance and the guardian are gone, and the next run (from the
// unmounted source) completes with cmp finding it identical.
void TestFreezeGuardian::kill9DuringComplete_thawsCleansUpNextRunIdentical()
{
    QString why;
    auto rig = LiveRig::create(m_dir, QStringLiteral("kill"), &why);
    QVERIFY2(rig, qPrintable(why));
    QVERIFY(rig->startWriter());
    const QString nextTarget = m_dir.file(QStringLiteral("kill-next.img"));

    std::mt19937 rng(20261206);
    std::uniform_int_distribution<int> pick(0, 2400);
    std::vector<int> delays(kKillRuns);
    for (int& d : delays)
        d = pick(rng);

    int killedFrozen = 0;
    std::vector<double> writableAfterKill, cliGoneAfterKill;
    for (int run = 0; run < kKillRuns; ++run) {
        const QString at =
            QStringLiteral("run %1, SIGKILL %2 ms after complete: ").arg(run).arg(delays[run]);
        QVERIFY(rig->faultFs().setWriteDelay(0));
        CliSession cli;
        QVERIFY(
            cli.start({QStringLiteral("mirror"), rig->device(), rig->target(),
                       QStringLiteral("--json"), QStringLiteral("--max-freeze"), kMaxFreezeArg}));
        pid_t guardian = -1;
        QVERIFY2(waitFor([&] { return (guardian = guardianOf(cli.pid())) > 0; }, 10s),
                 qPrintable(at + QStringLiteral("no guardian")));
        QVERIFY2(cli.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 60s) >= 0, qPrintable(at));
        QVERIFY(rig->faultFs().setWriteDelay(kSlowWriteMs));
        QVERIFY(rig->dirty());
        cli.send("complete");
        const auto sent = Clock::now();
        std::this_thread::sleep_until(sent + std::chrono::milliseconds(delays[run]) - 50ms);
        // Started just before the kill: still hanging at the kill means the
        // file system was frozen then.
        const WriteProbe& probe = rig->probe();
        std::this_thread::sleep_until(
            std::max(sent + std::chrono::milliseconds(delays[run]), probe.startedAt() + 50ms));
        const auto killed = Clock::now();
        cli.signal(SIGKILL);
        const bool frozen = !probe.finished();

        QVERIFY2(
            probe.wait(std::chrono::duration_cast<std::chrono::milliseconds>(kMaxFreeze + kMargin)),
            qPrintable(at + QStringLiteral("the file system is still frozen")));
        QVERIFY2(probe.succeeded(), qPrintable(at + QStringLiteral("the write failed")));
        if (frozen) {
            ++killedFrozen;
            writableAfterKill.push_back(seconds(probe.doneAt() - killed));
            QVERIFY2(probe.doneAt() - sent <= kMaxFreeze + kMargin,
                     qPrintable(at + QStringLiteral("writable only %1 s after complete")
                                         .arg(seconds(probe.doneAt() - sent))));
        }
        const WriteProbe& after = rig->probe();
        QVERIFY2(after.wait(kMargin) && after.succeeded(),
                 qPrintable(at + QStringLiteral("a write after the thaw hangs or fails")));

        const int exit = cli.finish(30s);
        QVERIFY2(exit == -3,
                 qPrintable(at + QStringLiteral("exit %1 instead of SIGKILL").arg(exit)));
        cliGoneAfterKill.push_back(seconds(Clock::now() - killed));
        QVERIFY2(waitFor([&] { return traceInstancesOf(cli.pid()).isEmpty(); }, 5s),
                 qPrintable(at + QStringLiteral("left behind: ") +
                            traceInstancesOf(cli.pid()).join(QLatin1Char(' '))));
        QVERIFY2(waitFor([&] { return ended(guardian); }, 5s),
                 qPrintable(at + QStringLiteral("the guardian %1 still runs").arg(guardian)));
        QVERIFY(rig->faultFs().setWriteDelay(0));
        const QString next = nextRunIdentical(*rig, nextTarget);
        QVERIFY2(next.isEmpty(), qPrintable(at + next));
    }
    qInfo("%d kills, %d inside the freeze; writable after the kill: %s; the killed CLI gone "
          "after: %s",
          kKillRuns, killedFrozen, qPrintable(describe(writableAfterKill)),
          qPrintable(describe(cliGoneAfterKill)));
    QVERIFY2(killedFrozen >= kKillRuns / 2,
             "fewer than half of the kills came inside the freeze: the test proves little");
}

// SIGSTOP inside the freeze: the CLI can thaw nothing, the guardian must, at
// the deadline. After SIGCONT the CLI reports the expired completion and
// tries again; whatever it ends with, it never claims a copy for the
// freeze that expired.
void TestFreezeGuardian::sigstopDuringFreeze_deadlineThaws_noClaimForExpiredFreeze()
{
    QString why;
    auto rig = LiveRig::create(m_dir, QStringLiteral("stop"), &why);
    QVERIFY2(rig, qPrintable(why));
    QVERIFY(rig->startWriter());
    // Slow from the start: --complete-when-ready completes at READY. The
    // initial copy is mostly zero runs, which the delay spares.
    QVERIFY(rig->faultFs().setWriteDelay(kSlowWriteMs));
    QVERIFY(rig->dirty());
    CliSession cli;
    QVERIFY(cli.start({QStringLiteral("mirror"), rig->device(), rig->target(),
                       QStringLiteral("--json"), QStringLiteral("--max-freeze"), kMaxFreezeArg,
                       QStringLiteral("--complete-when-ready"), QStringLiteral("--verify")}));
    QVERIFY2(cli.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 60s) >= 0,
             "see the output of the CLI");
    const WriteProbe* hung = rig->waitForFreeze(5s);
    QVERIFY2(hung, qPrintable(QStringLiteral("the source was never frozen")));
    cli.signal(SIGSTOP);
    const auto stopped = Clock::now();
    QVERIFY2(
        hung->wait(std::chrono::duration_cast<std::chrono::milliseconds>(kMaxFreeze + kMargin)),
        "the file system stayed frozen with the CLI stopped");
    QVERIFY(hung->succeeded());
    qInfo("writable %.3f s after SIGSTOP (%.3f s after the freeze was seen)",
          seconds(hung->doneAt() - stopped), seconds(hung->doneAt() - hung->startedAt()));
    QVERIFY(hung->doneAt() - hung->startedAt() <= kMaxFreeze + kMargin);
    const WriteProbe& next = rig->probe();
    QVERIFY2(next.wait(kMargin) && next.succeeded(), "a write after the thaw hangs");

    // Fast again, so that a retry can finish within the maximum freeze.
    QVERIFY(rig->faultFs().setWriteDelay(0));
    cli.signal(SIGCONT);
    const int code = cli.finish(120s);
    const auto failed = cli.events(QStringLiteral("COMPLETE_FAILED"));
    const QJsonObject last = cli.lastEvent();
    QVERIFY2(!failed.isEmpty(), qPrintable(QStringLiteral("the expired completion was not "
                                                          "reported")));
    QVERIFY2(eventData(failed.first())
                 .value(QStringLiteral("reason"))
                 .toString()
                 .contains(QStringLiteral("maximum")),
             "see the output of the CLI");
    if (code == 0) {
        qInfo("completed on attempt %lld", static_cast<long long>(failed.size() + 1));
        QVERIFY(failed.size() < 3);
        QCOMPARE(eventName(last), QStringLiteral("BLOCK_JOB_COMPLETED"));
        const QJsonObject d = eventData(last);
        QCOMPARE(d.value(QStringLiteral("outcome")).toString(), QStringLiteral("completed"));
        // The claim is for a freeze that held: no longer than the maximum.
        QVERIFY2(d.value(QStringLiteral("quiesce-seconds")).toDouble(99) <=
                     seconds(kMaxFreeze) + 0.05,
                 "see the output of the CLI");
        QVERIFY2(d.value(QStringLiteral("verify"))
                     .toObject()
                     .value(QStringLiteral("identical"))
                     .toBool(),
                 "see the output of the CLI");
        const auto fsck =
            runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), rig->targetImage()});
        QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
    } else {
        qInfo("gave up after %lld failed attempts", static_cast<long long>(failed.size()));
        QVERIFY2(code == clitest::kExitNotCompleted, "see the output of the CLI");
        QCOMPARE(failed.size(), 3);
        QCOMPARE(eventName(last), QStringLiteral("BLOCK_JOB_CANCELLED"));
        QVERIFY(eventData(last).value(QStringLiteral("powercut-copy")).toBool());
        QVERIFY(cli.events(QStringLiteral("BLOCK_JOB_COMPLETED")).isEmpty());
    }
    QVERIFY(traceInstancesOf(cli.pid()).isEmpty());
}

// Interactive: a final copy that cannot finish within the maximum freeze.
// The writers go on at the deadline, Complete fails, the job mirrors on at
// READY, and a later Complete (the target fast again) succeeds.
void TestFreezeGuardian::finalCopyLongerThanMaxFreeze_completeFailsBackToReady()
{
    QString why;
    auto rig = LiveRig::create(m_dir, QStringLiteral("slow"), &why);
    QVERIFY2(rig, qPrintable(why));
    QVERIFY(rig->startWriter());
    QVERIFY(rig->faultFs().setWriteDelay(0));
    CliSession cli;
    QVERIFY(cli.start({QStringLiteral("mirror"), rig->device(), rig->target(),
                       QStringLiteral("--json"), QStringLiteral("--max-freeze"), kMaxFreezeArg}));
    QVERIFY2(cli.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 60s) >= 0,
             "see the output of the CLI");
    QVERIFY(rig->faultFs().setWriteDelay(kSlowWriteMs));
    QVERIFY(rig->dirty());
    cli.send("complete");
    const auto sent = Clock::now();
    const WriteProbe* hung = rig->waitForFreeze(3s);
    QVERIFY2(hung, qPrintable(QStringLiteral("the source was never frozen")));
    const int failedAt = cli.waitForEvent(
        QStringLiteral("COMPLETE_FAILED"),
        std::chrono::duration_cast<std::chrono::milliseconds>(kMaxFreeze + kMargin));
    QVERIFY2(failedAt >= 0, "see the output of the CLI");
    QVERIFY2(hung->wait(kMargin) && hung->succeeded(), "the writer still hangs after the deadline");
    // Held to the deadline, not let go early, and not later than it either.
    const double held = seconds(hung->doneAt() - sent);
    qInfo("writer held %.3f s after complete (maximum freeze %.0f s)", held, seconds(kMaxFreeze));
    QVERIFY2(held >= seconds(kMaxFreeze) - 0.1 && held <= seconds(kMaxFreeze + kMargin),
             qPrintable(QString::number(held)));
    QVERIFY(eventData(cli.events(QStringLiteral("COMPLETE_FAILED")).first())
                .value(QStringLiteral("reason"))
                .toString()
                .contains(QStringLiteral("maximum")));
    const auto status = cli.status();
    QVERIFY(status);
    QCOMPARE(status->value(QStringLiteral("status")).toString(), QStringLiteral("ready"));
    const WriteProbe& free = rig->probe();
    QVERIFY2(free.wait(kMargin) && free.succeeded(), "the source is not writable at READY");
    QVERIFY(cli.events(QStringLiteral("BLOCK_JOB_COMPLETED")).isEmpty());

    // Fast again: Complete succeeds (a loaded machine may need another try).
    QVERIFY(rig->faultFs().setWriteDelay(0));
    for (int attempt = 0;
         attempt < 3 && cli.events(QStringLiteral("BLOCK_JOB_COMPLETED")).isEmpty(); ++attempt) {
        const int before = static_cast<int>(cli.events(QStringLiteral("COMPLETE_FAILED")).size());
        cli.send("complete");
        QVERIFY(waitFor(
            [&] {
                cli.waitForEvent(QStringLiteral("BLOCK_JOB_COMPLETED"), 50ms);
                return !cli.events(QStringLiteral("BLOCK_JOB_COMPLETED")).isEmpty() ||
                       cli.events(QStringLiteral("COMPLETE_FAILED")).size() > before;
            },
            30s));
    }
    QCOMPARE(cli.finish(60s), clitest::kExitOk);
    const QJsonObject done = eventData(cli.lastEvent());
    QCOMPARE(done.value(QStringLiteral("outcome")).toString(), QStringLiteral("completed"));
    QVERIFY(done.value(QStringLiteral("quiesce-seconds")).toDouble(99) <=
            seconds(kMaxFreeze) + 0.05);
    const auto fsck =
        runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), rig->targetImage()});
    QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
}

// Unattended (--complete-when-ready) with a target too slow for any final
// copy to fit in the maximum freeze: as documented, three attempts, each
// ended by the deadline, then a quick cancel and exit 7. No writer ever
// waits longer than the maximum freeze.
void TestFreezeGuardian::finalCopyLongerThanMaxFreeze_completeWhenReady_givesUpExit7()
{
    QString why;
    auto rig = LiveRig::create(m_dir, QStringLiteral("giveup"), &why);
    QVERIFY2(rig, qPrintable(why));
    QVERIFY(rig->startWriter());
    QVERIFY(rig->faultFs().setWriteDelay(kSlowWriteMs));
    QVERIFY(rig->dirty());
    CliSession cli;
    QVERIFY(cli.start({QStringLiteral("mirror"), rig->device(), rig->target(),
                       QStringLiteral("--json"), QStringLiteral("--max-freeze"), kMaxFreezeArg,
                       QStringLiteral("--complete-when-ready")}));
    QVERIFY2(cli.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 60s) >= 0,
             "see the output of the CLI");
    double longestHold = 0;
    int held = 0;
    qsizetype failures = 0;
    // Every turn starts a write probe: 50 ms a wait keeps them to about ten a
    // second. Probing faster dirties the source faster than the slow target
    // lets the job converge again, and the retries take minutes.
    while (cli.waitForEvent(QStringLiteral("BLOCK_JOB_CANCELLED"), 50ms) < 0 &&
           cli.waitForEvent(QStringLiteral("BLOCK_JOB_COMPLETED"), 50ms) < 0) {
        // A retry freezes once the job has converged again; give its final
        // copy as much to do as the first one had.
        if (const auto n = cli.events(QStringLiteral("COMPLETE_FAILED")).size(); n > failures) {
            failures = n;
            QVERIFY(rig->dirty());
        }
        const WriteProbe& p = rig->probe();
        QVERIFY2(
            p.wait(std::chrono::duration_cast<std::chrono::milliseconds>(kMaxFreeze + kMargin)),
            "a writer waited longer than the maximum freeze");
        QVERIFY(p.succeeded());
        const double s = seconds(p.doneAt() - p.startedAt());
        held += s > 0.5;
        longestHold = std::max(longestHold, s);
    }
    const int code = cli.finish(60s);
    qInfo("writers held %d times, longest %.3f s", held, longestHold);
    QVERIFY2(held >= 1, "no writer was ever held: the source was never frozen");
    QVERIFY2(code == clitest::kExitNotCompleted, "see the output of the CLI");
    QCOMPARE(cli.events(QStringLiteral("COMPLETE_FAILED")).size(), 3);
    QVERIFY(cli.events(QStringLiteral("BLOCK_JOB_COMPLETED")).isEmpty());
    const QJsonObject last = cli.lastEvent();
    QCOMPARE(eventName(last), QStringLiteral("BLOCK_JOB_CANCELLED"));
    QVERIFY(eventData(last).value(QStringLiteral("powercut-copy")).toBool());
    QVERIFY(traceInstancesOf(cli.pid()).isEmpty());
}

void TestFreezeGuardian::signalToGuardianWhileFrozen_thaws_data()
{
    QTest::addColumn<int>("sig");
    for (int s : {SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM, SIGINT})
        QTest::newRow(sigabbrev_np(s)) << s;
}

// A signal that ends processes, sent to the guardian while it holds the
// freeze: it thaws at once (long before the deadline) and ends. The CLI's
// completion then fails, and without a guardian it never completes.
void TestFreezeGuardian::signalToGuardianWhileFrozen_thaws()
{
    QFETCH(int, sig);
    QString why;
    auto rig = LiveRig::create(m_dir, QStringLiteral("sig-%1").arg(sigabbrev_np(sig)), &why);
    QVERIFY2(rig, qPrintable(why));
    QVERIFY(rig->startWriter());
    QVERIFY(rig->faultFs().setWriteDelay(0));
    CliSession cli;
    // The default maximum freeze (10 s): a thaw within a second is the
    // signal's doing, not the deadline's.
    QVERIFY(cli.start(
        {QStringLiteral("mirror"), rig->device(), rig->target(), QStringLiteral("--json")}));
    pid_t guardian = -1;
    QVERIFY2(waitFor([&] { return (guardian = guardianOf(cli.pid())) > 0; }, 10s),
             "see the output of the CLI");
    QVERIFY2(cli.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 60s) >= 0,
             "see the output of the CLI");
    QVERIFY(rig->faultFs().setWriteDelay(kSlowWriteMs));
    QVERIFY(rig->dirty());
    cli.send("complete");
    const WriteProbe* hung = rig->waitForFreeze(3s);
    QVERIFY2(hung, qPrintable(QStringLiteral("the source was never frozen")));
    QCOMPARE(::kill(guardian, sig), 0);
    const auto signalled = Clock::now();
    QVERIFY2(hung->wait(1s), "still frozen a second after the signal");
    QVERIFY(hung->succeeded());
    qInfo("writable %.3f s after %s", seconds(hung->doneAt() - signalled), sigabbrev_np(sig));
    QVERIFY2(waitFor([&] { return ended(guardian); }, 5s), "the guardian did not end");

    QVERIFY(rig->faultFs().setWriteDelay(0));
    QVERIFY2(cli.waitForEvent(QStringLiteral("COMPLETE_FAILED"), 20s) >= 0,
             "see the output of the CLI");
    // Nothing can freeze the source any more: a Complete must fail too.
    cli.send("complete");
    QVERIFY2(cli.waitForEvent(QStringLiteral("COMPLETE_FAILED"), 20s,
                              cli.waitForEvent(QStringLiteral("COMPLETE_FAILED"), 0ms) + 1) >= 0,
             "see the output of the CLI");
    cli.send("cancel quick");
    QCOMPARE(cli.finish(60s), clitest::kExitCancelledReady);
    QVERIFY(cli.events(QStringLiteral("BLOCK_JOB_COMPLETED")).isEmpty());
    QCOMPARE(eventName(cli.lastEvent()), QStringLiteral("BLOCK_JOB_CANCELLED"));
    QVERIFY(traceInstancesOf(cli.pid()).isEmpty());
}

QTEST_GUILESS_MAIN(TestFreezeGuardian)
#include "tst_freeze_guardian.moc"
