// drivemirror-cli mirror --resume, end to end. A copy killed with SIGKILL
// (no chance to cancel, flush or write a last checkpoint) at random
// moments, while paused and at READY, goes on from its checkpoint, copies
// about what was left and ends identical; a target whose unflushed writes a
// power cut took is never trusted for them; a mounted ext4 under load is
// resumed by comparing it with the hashes of what the target got; a
// checkpoint of another job is refused with nothing written; several
// targets resume together. cmp, e2fsck and the files' own contents judge.
//
// The random moments come from one seed, printed at the start of each test;
// DRIVEMIRROR_TEST_SEED=N repeats a run.
#include "cli_test_support.h"
#include "fault_fs.h"
#include "job/checkpoint.h"
#include "test_support.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QThread>
#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>

using namespace clitest;
using namespace testsupport;
using namespace std::chrono_literals;

namespace {

const QString kCheckpointInterval = QStringLiteral("0.3");
constexpr double kCheckpointSeconds = 0.3;
// The most a job has read or is writing at once (the default --buf-size):
// never called in sync by a checkpoint, so copied again after a kill.
constexpr std::uint64_t kInFlightBytes = 16 * kMiB;
// CliSession::finish()'s code for a program a signal ended.
constexpr int kKilled = -3;

QJsonObject dataOf(const QJsonObject& o)
{
    return o.value(QStringLiteral("data")).toObject();
}

QString dataString(const QJsonObject& event, const char* key)
{
    return dataOf(event).value(QLatin1String(key)).toString();
}

QString compact(const QJsonObject& o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// The seed of a test's random choices, from DRIVEMIRROR_TEST_SEED when set,
// and printed, so that a failing run can be repeated.
quint32 testSeed()
{
    bool ok = false;
    quint32 seed = qEnvironmentVariable("DRIVEMIRROR_TEST_SEED").toUInt(&ok);
    if (!ok)
        seed = QRandomGenerator::system()->generate();
    qInfo("%s: seed %u (DRIVEMIRROR_TEST_SEED=%u repeats it)", QTest::currentTestFunction(), seed,
          seed);
    return seed;
}

// What the job copying to @p device had left to copy (len - offset) by the
// last line that said: a progress or READY event, or a status reply. For an
// offline source it only shrinks, so the last line bounds what was left at
// the kill. -1 when no line said.
qint64 leftToCopy(const QList<QJsonObject>& lines, const QString& device)
{
    qint64 left = -1;
    for (const QJsonObject& o : lines) {
        const QJsonObject d = o.contains(QStringLiteral("event"))
                                  ? dataOf(o)
                                  : o.value(QStringLiteral("return")).toObject();
        if (!d.contains(QStringLiteral("len")) || !d.contains(QStringLiteral("offset")))
            continue;
        if (d.value(QStringLiteral("device")).toString() != device)
            continue;
        left = d.value(QStringLiteral("len")).toInteger() -
               d.value(QStringLiteral("offset")).toInteger();
    }
    return left;
}

// The BLOCK_JOB_COMPLETED or BLOCK_JOB_CANCELLED event of @p device.
QJsonObject endEventOf(const QList<QJsonObject>& all, const QString& device)
{
    for (const QJsonObject& o : all)
        if ((isEvent(o, QStringLiteral("BLOCK_JOB_COMPLETED")) ||
             isEvent(o, QStringLiteral("BLOCK_JOB_CANCELLED"))) &&
            dataString(o, "device") == device)
            return o;
    return {};
}

// The error object of a refused --json run; empty when none.
QJsonObject refusal(const QString& out)
{
    for (const QJsonObject& o : parseJsonLines(out).objects)
        if (o.contains(QStringLiteral("error")))
            return o.value(QStringLiteral("error")).toObject();
    return {};
}

// The journal files in @p stateDir: job-HASH.ckpt and its companions.
QStringList journalFiles(const QString& stateDir)
{
    return QDir(stateDir).entryList({QStringLiteral("job-*")}, QDir::Files, QDir::Name);
}

QStringList checkpointFiles(const QString& stateDir)
{
    return QDir(stateDir).entryList({QStringLiteral("job-*.ckpt")}, QDir::Files, QDir::Name);
}

// What the checkpoint in @p stateDir calls in sync, in bytes of a job over
// @p size bytes, read with the engine's own loader; -1 when there is no one
// whole checkpoint.
qint64 checkpointInSync(const QString& stateDir, std::uint64_t size)
{
    const QStringList files = checkpointFiles(stateDir);
    if (files.size() != 1)
        return -1;
    const auto c = engine::CheckpointFile::load(
        QFile::encodeName(stateDir + QLatin1Char('/') + files.front()).toStdString());
    if (!c)
        return -1;
    const auto g = c->identity.find("granularity");
    bool ok = false;
    const std::uint64_t granularity =
        g == c->identity.end() ? 0 : QString::fromStdString(g->second).toULongLong(&ok);
    if (!ok || granularity == 0)
        return -1;
    std::uint64_t bytes = 0;
    for (std::uint64_t i = 0; i < c->granules && i * granularity < size; ++i)
        if (c->granuleInSync(i))
            bytes += std::min(granularity, size - i * granularity);
    return static_cast<qint64>(bytes);
}

// Every journal file's name and content, to show a refusal wrote none.
QStringList journalState(const QString& stateDir)
{
    QStringList out;
    for (const QString& name : journalFiles(stateDir))
        out << name + QLatin1Char(' ') +
                   QString::fromLatin1(contentHash(stateDir + QLatin1Char('/') + name).toHex());
    return out;
}

QStringList mirrorArgs(const QString& source, const QStringList& targets, const QString& stateDir)
{
    return QStringList{QStringLiteral("mirror"), source} + targets +
           QStringList{QStringLiteral("--json"), QStringLiteral("--state-dir"), stateDir};
}

// A first run: checkpoints often, progress often, throttled to @p speed.
QStringList firstRunArgs(const QString& source, const QStringList& targets, const QString& stateDir,
                         std::uint64_t speed)
{
    return mirrorArgs(source, targets, stateDir) +
           QStringList{QStringLiteral("--checkpoint-interval"),
                       kCheckpointInterval,
                       QStringLiteral("--speed"),
                       QString::number(speed),
                       QStringLiteral("--progress-interval"),
                       QStringLiteral("50")};
}

QStringList resumeArgs(const QString& source, const QStringList& targets, const QString& stateDir)
{
    return mirrorArgs(source, targets, stateDir) +
           QStringList{QStringLiteral("--resume"), QStringLiteral("--complete-when-ready")};
}

// Whether something holds @p path the way a job holds its target: a lock
// on a file (OFD, as QEMU's), an exclusive open of a block device.
bool heldAsTarget(const QString& path)
{
    const QByteArray name = QFile::encodeName(path);
    struct stat st
    {
    };
    if (::stat(name.constData(), &st) != 0)
        return false;
    if (S_ISBLK(st.st_mode)) {
        const int fd = ::open(name.constData(), O_RDONLY | O_EXCL | O_CLOEXEC);
        if (fd < 0)
            return errno == EBUSY;
        ::close(fd);
        return false;
    }
    const int fd = ::open(name.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct flock lock
    {
    };
    lock.l_type = F_WRLCK;
    lock.l_whence = SEEK_SET;
    const bool held = ::fcntl(fd, F_OFD_GETLK, &lock) == 0 && lock.l_type != F_UNLCK;
    ::close(fd);
    return held;
}

// How often, and for how long at most, a killed program's targets were
// still held after it was reaped (see killHard()).
struct Lingering
{
    int kills = 0;
    int held = 0;
    qint64 longestMs = 0;
};
Lingering g_lingering;

// SIGKILL: no chance to cancel, flush or write a last checkpoint. Returns
// the exit code (kKilled) once the program is gone and its @p targets are
// free again. The kernel lets go of a killed program's files, and of the
// locks on them, only when its io_uring has drained, up to a few hundred
// milliseconds after the program was reaped: a resume started before
// then is refused ("target in use"). @p atKill runs right after the signal.
int killHard(CliSession& s, const QStringList& targets, const std::function<void()>& atKill = {})
{
    // A pid of 0 would signal this whole process group.
    if (s.pid() <= 0)
        return s.finish(30000);
    s.signal(SIGKILL);
    if (atKill)
        atKill();
    const int code = s.finish(30000);
    QElapsedTimer held;
    held.start();
    const bool wasHeld = std::any_of(targets.begin(), targets.end(), heldAsTarget);
    waitFor([&] { return std::none_of(targets.begin(), targets.end(), heldAsTarget); }, 20s);
    ++g_lingering.kills;
    if (wasHeld) {
        ++g_lingering.held;
        g_lingering.longestMs = std::max(g_lingering.longestMs, held.elapsed());
    }
    return code;
}

// Reads the session's output for @p ms milliseconds (it stops early only if
// the program ends).
void runFor(CliSession& s, int ms)
{
    s.waitFor([](const QJsonObject&) { return false; }, ms, static_cast<int>(s.lines().size()));
}

// The bound on what a resume copies again: what was left at the kill, what
// the job may have copied since its last checkpoint (up to two intervals at
// the speed limit: the interval, and the flush and commit that close it),
// what was in flight, and the source's holes, which are zeroed without
// reading and so without the speed limit.
qint64 resumeBound(qint64 left, std::uint64_t speed, std::uint64_t holes)
{
    return left + static_cast<qint64>(2 * kCheckpointSeconds * static_cast<double>(speed)) +
           static_cast<qint64>(kInFlightBytes + holes);
}

// Offsets of the bytes in which two files or devices differ (at most
// @p most of them; the rest are counted in *more); nullopt when either
// cannot be read whole or their sizes differ.
std::optional<std::vector<std::uint64_t>> differingBytes(const QString& a, const QString& b,
                                                         std::size_t most, std::uint64_t* more)
{
    const int fa = ::open(QFile::encodeName(a).constData(), O_RDONLY | O_CLOEXEC);
    const int fb = ::open(QFile::encodeName(b).constData(), O_RDONLY | O_CLOEXEC);
    auto closeBoth = qScopeGuard([&] {
        if (fa >= 0)
            ::close(fa);
        if (fb >= 0)
            ::close(fb);
    });
    if (fa < 0 || fb < 0)
        return std::nullopt;
    std::vector<std::uint64_t> out;
    *more = 0;
    std::vector<char> ba(1 << 20), bb(1 << 20);
    for (std::uint64_t pos = 0;;) {
        const ssize_t na = ::pread(fa, ba.data(), ba.size(), static_cast<off_t>(pos));
        const ssize_t nb = ::pread(fb, bb.data(), bb.size(), static_cast<off_t>(pos));
        if (na < 0 || nb < 0 || na != nb)
            return std::nullopt;
        if (na == 0)
            return out;
        for (ssize_t i = 0; i < na; ++i) {
            if (ba[static_cast<std::size_t>(i)] == bb[static_cast<std::size_t>(i)])
                continue;
            if (out.size() < most)
                out.push_back(pos + static_cast<std::uint64_t>(i));
            else
                ++*more;
        }
        pos += static_cast<std::uint64_t>(na);
    }
}

// The content of checksummed file number @p n: its size and bytes follow
// from n alone, so a reader tells a whole file from a torn or stale one.
QByteArray fileContent(int n)
{
    std::mt19937_64 rng(static_cast<std::uint64_t>(n) * 7919u + 17u);
    const int size = 4096 + static_cast<int>(rng() % (192 * 1024));
    QByteArray data(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        data[i] = static_cast<char>(rng() & 0xff);
    return data;
}

// Creates checksummed files on a mounted file system: written under a
// temporary name, fsynced, renamed, the directory fsynced; a file under its
// final name is whole. Only the newest kKeep stay, so that blocks are freed
// and reused under the copy.
class FileWriter
{
public:
    explicit FileWriter(QString dir) : m_dir(std::move(dir)) {}
    ~FileWriter() { stop(); }
    FileWriter(const FileWriter&) = delete;
    FileWriter& operator=(const FileWriter&) = delete;

    void start()
    {
        m_loop.start([this] { run(); });
    }
    void stop() { m_loop.stop(); }
    /// The files that exist whole now (after stop(): for good).
    std::set<int> files() const
    {
        std::lock_guard lock(m_mutex);
        return m_files;
    }
    /// How many files were finished, removed ones included.
    int created() const { return m_created.load(); }
    bool failed() const { return m_failed.load(); }

private:
    static constexpr int kKeep = 40;

    void run()
    {
        const int dirFd =
            ::open(QFile::encodeName(m_dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        for (int n = 0; !m_loop.stopping() && dirFd >= 0; ++n) {
            const QByteArray data = fileContent(n);
            const QByteArray tmp = QFile::encodeName(m_dir + QStringLiteral("/.tmp-%1").arg(n));
            const QByteArray fin = QFile::encodeName(m_dir + QStringLiteral("/file-%1").arg(n));
            const int fd = ::open(tmp.constData(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
            const bool ok =
                fd >= 0 &&
                ::write(fd, data.constData(), static_cast<size_t>(data.size())) == data.size() &&
                ::fsync(fd) == 0;
            if (fd >= 0)
                ::close(fd);
            if (!ok || ::rename(tmp.constData(), fin.constData()) != 0 || ::fsync(dirFd) != 0) {
                m_failed = true;
                break;
            }
            {
                std::lock_guard lock(m_mutex);
                m_files.insert(n);
            }
            m_created = n + 1;
            if (n >= kKeep) {
                const int gone = n - kKeep;
                const QByteArray name =
                    QFile::encodeName(m_dir + QStringLiteral("/file-%1").arg(gone));
                std::lock_guard lock(m_mutex);
                if (::unlink(name.constData()) == 0 && ::fsync(dirFd) == 0)
                    m_files.erase(gone);
            }
            QThread::msleep(2);
        }
        if (dirFd >= 0)
            ::close(dirFd);
        else
            m_failed = true;
    }

    QString m_dir;
    mutable std::mutex m_mutex;
    std::set<int> m_files;
    std::atomic<int> m_created{0};
    std::atomic<bool> m_failed{false};
    BackgroundLoop m_loop;
};

} // namespace

class TestCliResume : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void killResume_imageAndLoopTargets();
    void faultFsVolatileCache_powerLossDropsOnlyUnflushed();
    void lostTargetCache_neverWrongResume();
    void liveExt4_resumedByComparison();
    void mismatches_refusedNothingWritten();
    void twoTargets_killedAndResumed_bothIdentical();
    void newTarget_holeWrittenWhileStopped_resumeCopiesIt();
};

void TestCliResume::initTestCase()
{
    initCliSuite();
}

void TestCliResume::cleanupTestCase()
{
    qInfo("after %d kills, the targets were still held %d times once the program was reaped, "
          "for at most %lld ms",
          g_lingering.kills, g_lingering.held, g_lingering.longestMs);
}

// ---------------------------------------------------------------------------

void TestCliResume::killResume_imageAndLoopTargets()
{
    constexpr std::uint64_t kSize = 256 * kMiB;
    // About 1.3 s for the whole copy: a kill lands early, late or at READY.
    constexpr std::uint64_t kSpeed = 192 * kMiB;
    constexpr int kRuns = 30;
    // A hole and zeroes written as data: the two kinds of zero run.
    constexpr std::uint64_t kHole = 8 * kMiB;
    constexpr std::uint64_t kZeroes = 8 * kMiB;
    const bool loops = isRoot();
    if (!loops)
        qWarning("not root: image targets only; the loop device runs need root");

    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeImage(src, kSize,
                      {{0, 96 * kMiB, false, 601},
                       {96 * kMiB + kHole, 40 * kMiB, false, 602},
                       {144 * kMiB, kZeroes, true, 0},
                       {152 * kMiB, kSize - 152 * kMiB, false, 603}}));
    QRandomGenerator rng(testSeed());

    enum class KillAt { AnyMoment, Paused, Ready };
    const char* const kKillNames[] = {"any moment", "paused", "READY"};
    int runsOnLoop = 0;
    for (int run = 0; run < kRuns; ++run) {
        const auto killAt = static_cast<KillAt>(run % 3);
        const bool onLoop = loops && run % 2 == 1;
        const QString stateDir = dir.file(QStringLiteral("state-%1").arg(run));
        QVERIFY(QDir().mkpath(stateDir));

        // A fresh target each run: an empty loop device (one holding data
        // would need --force) or a file the run creates.
        std::unique_ptr<LoopDevice> loop;
        QString target = dir.file(QStringLiteral("target.img"));
        QFile::remove(target);
        if (onLoop) {
            const QString backing = dir.file(QStringLiteral("loop-backing.img"));
            QFile::remove(backing);
            QVERIFY(createSparse(backing, kSize));
            QString why;
            loop = LoopDevice::attach(backing, &why);
            QVERIFY2(loop, qPrintable(why));
            target = loop->path();
            ++runsOnLoop;
        }

        CliSession s;
        QVERIFY(s.start(firstRunArgs(src, {target}, stateDir, kSpeed)));
        // The first progress event comes after the first checkpoint: from
        // here on, a kill leaves one.
        QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_PROGRESS"), 30000) >= 0,
                 qPrintable(s.transcript()));
        int waited = 0;
        int afterStop = -1; // ms between the pause or READY and the kill
        // Every other pause or READY is killed only once the checkpoint the
        // job commits there has landed; the others at any moment.
        const bool settled = killAt != KillAt::AnyMoment && (run / 3) % 2 == 1;
        switch (killAt) {
        case KillAt::AnyMoment:
            waited = static_cast<int>(rng.bounded(1500));
            runFor(s, waited);
            break;
        case KillAt::Paused: {
            waited = static_cast<int>(rng.bounded(900));
            runFor(s, waited);
            const int from = static_cast<int>(s.lines().size());
            const auto reply = s.command("pause");
            QVERIFY2(reply && reply->contains(QStringLiteral("return")),
                     qPrintable(s.transcript()));
            QVERIFY2(s.waitForStatus(QStringLiteral("paused"), 10000, from) >= 0,
                     qPrintable(s.transcript()));
            // Asked after the pause took: exactly what is left.
            QVERIFY2(s.status(), qPrintable(s.transcript()));
            break;
        }
        case KillAt::Ready:
            QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000) >= 0,
                     qPrintable(s.transcript()));
            break;
        }
        if (settled) {
            // A paused job commits a checkpoint once nothing is in flight,
            // and a job commits one at READY: all that is done is in sync.
            const qint64 done = static_cast<qint64>(kSize) - leftToCopy(s.lines(), target);
            QVERIFY2(waitFor([&] { return checkpointInSync(stateDir, kSize) >= done; }, 20s),
                     qPrintable(QStringLiteral("run %1: %2 bytes done when %3, the checkpoint "
                                               "calls %4 in sync")
                                    .arg(run)
                                    .arg(done)
                                    .arg(QLatin1String(kKillNames[run % 3]))
                                    .arg(checkpointInSync(stateDir, kSize))));
        }
        if (killAt != KillAt::AnyMoment) {
            afterStop = static_cast<int>(rng.bounded(settled ? 100 : 300));
            runFor(s, afterStop);
        }
        // Without --complete-when-ready the first run never ends by itself.
        QCOMPARE(killHard(s, {target}), kKilled);
        const qint64 left = leftToCopy(s.lines(), target);
        QVERIFY2(left >= 0, qPrintable(s.transcript()));
        if (killAt == KillAt::Ready)
            QCOMPARE(left, qint64(0));
        const qint64 savedInSync = checkpointInSync(stateDir, kSize);
        QVERIFY2(savedInSync >= 0, qPrintable(journalFiles(stateDir).join(QLatin1Char(' '))));

        const auto r = cli(resumeArgs(src, {target}, stateDir), 120000);
        QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
        const auto json = parseJsonLines(r.out);
        QVERIFY2(json.bad.isEmpty(), qPrintable(json.bad.join(QLatin1Char('\n'))));
        const QJsonObject done = endEventOf(json.objects, target);
        QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
        QCOMPARE(dataString(done, "outcome"), QStringLiteral("completed"));
        // An image nothing wrote to since: its map holds as it is.
        QVERIFY2(dataString(done, "resumed-from") == QStringLiteral("map"),
                 qPrintable(compact(done)));
        const qint64 copied = dataInt(done, "offset");
        const qint64 inSync = dataInt(done, "resume-in-sync");
        const qint64 bound = resumeBound(left, kSpeed, kHole);
        qInfo("run %2d: %-10s%-9s on %-4s killed %4d ms in (%3d after), %3lld MiB left; resumed: "
              "%3lld MiB in sync, %3lld MiB copied (at most %3lld)",
              run, kKillNames[run % 3], settled ? ", settled" : "", onLoop ? "loop" : "file",
              waited, afterStop, left / static_cast<qint64>(kMiB),
              inSync / static_cast<qint64>(kMiB), copied / static_cast<qint64>(kMiB),
              bound / static_cast<qint64>(kMiB));
        // The resume starts from what the checkpoint says, copies exactly
        // what it does not call in sync (nothing writes to the source), and
        // that is about what was left at the kill.
        QCOMPARE(inSync, savedInSync);
        QVERIFY2(copied == static_cast<qint64>(kSize) - inSync, qPrintable(compact(done)));
        QVERIFY2(copied <= bound,
                 qPrintable(QStringLiteral("run %1: the resume copied %2 bytes, more than the %3 "
                                           "left at the kill allow (%4)\n%5")
                                .arg(run)
                                .arg(copied)
                                .arg(left)
                                .arg(bound)
                                .arg(compact(done))));
        if (settled)
            QVERIFY2(copied <= left, qPrintable(QStringLiteral("run %1: %2 bytes left, %3 copied")
                                                    .arg(run)
                                                    .arg(left)
                                                    .arg(copied)));
        QVERIFY2(journalFiles(stateDir).isEmpty(),
                 qPrintable(QStringLiteral("a completed job left its journal: ") +
                            journalFiles(stateDir).join(QLatin1Char(' '))));
        QVERIFY2(cmpIdentical(src, target),
                 qPrintable(QStringLiteral("run %1 (%2, on %3): the target differs")
                                .arg(run)
                                .arg(QLatin1String(kKillNames[run % 3]), target)));
    }
    if (loops)
        QVERIFY(runsOnLoop >= kRuns / 2);
}

// The --volatile-cache of faultfs is what the next test relies on to fail a
// job that trusts what it did not flush: it must lose exactly the writes
// that no fsync covered.
void TestCliResume::faultFsVolatileCache_powerLossDropsOnlyUnflushed()
{
    QString why;
    if (!FaultFs::available(&why))
        QSKIP(qPrintable(why));
    ScratchDir dir;
    const QString backing = dir.file(QStringLiteral("backing.img"));
    const std::uint64_t size = 4 * kMiB;
    QVERIFY(makeFilled(backing, size, 611));
    const QByteArray old = readBytes(backing, 0, size);
    auto fs = FaultFs::mount(backing, {QStringLiteral("--volatile-cache")}, &why);
    QVERIFY2(fs, qPrintable(why));

    const QByteArray first(64 * 1024, 'a');
    const QByteArray second(6000, 'b'); // not page aligned: a page read, then changed
    const QByteArray third(64 * 1024, 'c');
    const int fd = ::open(QFile::encodeName(fs->diskPath()).constData(), O_RDWR | O_CLOEXEC);
    QVERIFY(fd >= 0);
    auto closeFd = qScopeGuard([fd] { ::close(fd); });
    QCOMPARE(::pwrite(fd, first.constData(), first.size(), 0), first.size());
    QCOMPARE(::pwrite(fd, second.constData(), second.size(), 1 * kMiB + 100), second.size());
    // Reads see the cache; the backing file does not have it yet.
    QCOMPARE(readBytes(fs->diskPath(), 0, first.size()), first);
    QCOMPARE(readBytes(fs->diskPath(), 1 * kMiB + 100, second.size()), second);
    QCOMPARE(readBytes(backing, 0, first.size()), old.left(first.size()));
    QCOMPARE(::fdatasync(fd), 0);
    QCOMPARE(readBytes(backing, 0, first.size()), first);
    QCOMPARE(readBytes(backing, 1 * kMiB, 100), old.mid(1 * kMiB, 100));
    QCOMPARE(readBytes(backing, 1 * kMiB + 100, second.size()), second);

    QCOMPARE(::pwrite(fd, third.constData(), third.size(), 2 * kMiB), third.size());
    QCOMPARE(::fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 3 * kMiB, 256 * 1024), 0);
    QCOMPARE(readBytes(fs->diskPath(), 3 * kMiB, 4096), QByteArray(4096, '\0'));
    // Closing writes nothing back: a killed program closes its files too.
    closeFd.dismiss();
    QCOMPARE(::close(fd), 0);
    QCOMPARE(readBytes(backing, 2 * kMiB, third.size()), old.mid(2 * kMiB, third.size()));

    const auto dropped = fs->powerLoss();
    QVERIFY2(dropped, qPrintable(fs->log()));
    QCOMPARE(*dropped, quint64(third.size() + 256 * 1024));
    // The unflushed write and punch are gone, everywhere; the flushed stay.
    QCOMPARE(readBytes(fs->diskPath(), 2 * kMiB, third.size()), old.mid(2 * kMiB, third.size()));
    QCOMPARE(readBytes(fs->diskPath(), 3 * kMiB, 4096), old.mid(3 * kMiB, 4096));
    QCOMPARE(readBytes(fs->diskPath(), 0, first.size()), first);
    QCOMPARE(readBytes(fs->diskPath(), 1 * kMiB + 100, second.size()), second);
    QCOMPARE(readBytes(backing, 2 * kMiB, third.size()), old.mid(2 * kMiB, third.size()));
    QCOMPARE(fs->powerLoss().value_or(~quint64(0)), quint64(0));
}

void TestCliResume::lostTargetCache_neverWrongResume()
{
    QString why;
    if (!FaultFs::available(&why))
        QSKIP(qPrintable(why));
    constexpr std::uint64_t kSize = 64 * kMiB;
    constexpr std::uint64_t kSpeed = 48 * kMiB; // about 1.3 s
    constexpr int kRuns = 4;
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeImage(src, kSize,
                      {{0, 40 * kMiB, false, 621},
                       {40 * kMiB, 4 * kMiB, true, 0},
                       {48 * kMiB, 16 * kMiB, false, 622}}));
    QRandomGenerator rng(testSeed());
    quint64 droppedTotal = 0;
    for (int run = 0; run < kRuns; ++run) {
        const QString stateDir = dir.file(QStringLiteral("state-%1").arg(run));
        QVERIFY(QDir().mkpath(stateDir));
        // Old data on the disk, unlike the source anywhere: a lost write
        // leaves it, and cmp sees it.
        const QString backing = dir.file(QStringLiteral("backing-%1.img").arg(run));
        QVERIFY(makeFilled(backing, kSize, 630 + static_cast<std::uint64_t>(run)));
        auto fs = FaultFs::mount(backing, {QStringLiteral("--volatile-cache")}, &why);
        QVERIFY2(fs, qPrintable(why));
        const QString target = fs->diskPath();

        CliSession s;
        QVERIFY(s.start(firstRunArgs(src, {target}, stateDir, kSpeed)));
        QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_PROGRESS"), 30000) >= 0,
                 qPrintable(s.transcript()));
        const int waited = 100 + static_cast<int>(rng.bounded(1000));
        runFor(s, waited);
        // The program and the disk's power go at the same moment; what the
        // dying program still had in flight lands in a cache that the
        // second loss empties again.
        std::optional<quint64> lost;
        QCOMPARE(killHard(s, {target}, [&] { lost = fs->powerLoss(); }), kKilled);
        const auto lostLate = fs->powerLoss();
        QVERIFY2(lost && lostLate, qPrintable(fs->log()));
        droppedTotal += *lost + *lostLate;
        const qint64 left = leftToCopy(s.lines(), target);
        const qint64 savedInSync = checkpointInSync(stateDir, kSize);
        QVERIFY2(savedInSync >= 0, qPrintable(journalFiles(stateDir).join(QLatin1Char(' '))));

        const auto r = cli(resumeArgs(src, {target}, stateDir), 120000);
        QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r) + fs->log()));
        const QJsonObject done = endEventOf(parseJsonLines(r.out).objects, target);
        QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
        qInfo("run %d: killed %d ms in, %lld MiB left, %llu + %llu KiB of unflushed writes lost; "
              "resumed from %s: %lld MiB in sync, %lld MiB copied",
              run, waited, left / static_cast<qint64>(kMiB), *lost / kKiB, *lostLate / kKiB,
              qPrintable(dataString(done, "resumed-from")),
              dataInt(done, "resume-in-sync") / static_cast<qint64>(kMiB),
              dataInt(done, "offset") / static_cast<qint64>(kMiB));
        QVERIFY2(dataString(done, "resumed-from") == QStringLiteral("map"),
                 qPrintable(compact(done)));
        QCOMPARE(dataInt(done, "resume-in-sync"), savedInSync);
        QVERIFY2(dataInt(done, "offset") == static_cast<qint64>(kSize) - savedInSync,
                 qPrintable(compact(done)));
        QVERIFY2(cmpIdentical(src, target),
                 qPrintable(QStringLiteral("run %1: the resumed copy differs: a granule the "
                                           "checkpoint called in sync was lost with the cache")
                                .arg(run)));
        // A completed job flushed what it wrote: another power cut now
        // costs nothing.
        const auto after = fs->powerLoss();
        QVERIFY2(after, qPrintable(fs->log()));
        QVERIFY2(cmpIdentical(src, backing),
                 qPrintable(QStringLiteral("run %1: completed, but %2 bytes were still unflushed")
                                .arg(run)
                                .arg(*after)));
    }
    // Had nothing been lost, the runs above would prove nothing.
    QVERIFY2(droppedTotal > 0, "no power cut lost any write");
}

void TestCliResume::liveExt4_resumedByComparison()
{
    if (!isRoot())
        QSKIP("needs root: a mounted ext4 on a loop device as the source");
    QVERIFY2(haveTool(QStringLiteral("mkfs.ext4")), "mkfs.ext4 is missing (e2fsprogs)");
    QVERIFY2(haveTool(QStringLiteral("e2fsck")), "e2fsck is missing (e2fsprogs)");
    constexpr std::uint64_t kSize = 256 * kMiB;
    constexpr std::uint64_t kSpeed = 128 * kMiB; // about 2 s
    ScratchDir dir;
    const QString backing = dir.file(QStringLiteral("live.img"));
    const QString dst = dir.file(QStringLiteral("copy.img"));
    const QString stateDir = dir.file(QStringLiteral("state"));
    const QString mnt = dir.file(QStringLiteral("mnt"));
    const QString dstMnt = dir.file(QStringLiteral("copy-mnt"));
    QVERIFY(QDir().mkpath(stateDir) && QDir().mkpath(mnt) && QDir().mkpath(dstMnt));
    QVERIFY(createSparse(backing, kSize));
    QString why;
    auto loop = LoopDevice::attach(backing, &why);
    QVERIFY2(loop, qPrintable(why));
    // No lazy initialisation: the only writes are the writer's and ext4's
    // own for them.
    const auto mk =
        runCommand(QStringLiteral("mkfs.ext4"),
                   {QStringLiteral("-q"), QStringLiteral("-F"), QStringLiteral("-E"),
                    QStringLiteral("lazy_itable_init=0,lazy_journal_init=0"), loop->path()});
    QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
    auto mount = std::make_unique<Mount>(loop->path(), mnt);
    QVERIFY(mount->ok());
    // The first file on the new file system, so its blocks come early on
    // the disk, among the first the copy finishes.
    const QString anchor = mnt + QStringLiteral("/anchor");
    constexpr std::uint64_t kAnchorSize = 4 * kMiB;
    QVERIFY(createSparse(anchor, kAnchorSize) && writePattern(anchor, 0, kAnchorSize, 661));
    // Declared after the mount, so destroyed before it: no file is open
    // when the source is unmounted.
    auto writer = std::make_unique<FileWriter>(mnt);
    writer->start();
    QVERIFY(waitFor([&] { return writer->created() >= 5 || writer->failed(); }, 10s));
    QVERIFY(!writer->failed());

    CliSession first;
    QVERIFY(first.start(firstRunArgs(loop->path(), {dst}, stateDir, kSpeed)));
    // Killed with part of the disk in sync and part not.
    const int mid = first.waitFor(
        [&](const QJsonObject& o) {
            const QJsonObject d = dataOf(o);
            return isEvent(o, QStringLiteral("BLOCK_JOB_PROGRESS")) &&
                   d.value(QStringLiteral("offset")).toInteger() >
                       static_cast<qint64>(kSize * 2 / 5);
        },
        60000);
    QVERIFY2(mid >= 0, qPrintable(first.transcript()));
    QCOMPARE(killHard(first, {dst}), kKilled);
    QVERIFY2(checkpointFiles(stateDir).size() == 1,
             qPrintable(journalFiles(stateDir).join(QLatin1Char(' '))));
    const auto started = eventsNamed(first.lines(), QStringLiteral("JOB_STARTED"));
    QVERIFY2(!started.isEmpty() && dataOf(started.front()).value(QStringLiteral("live")).toBool(),
             qPrintable(first.transcript()));
    // Writes while no job watches: only the comparison can find them. The
    // anchor is rewritten in place, in blocks the checkpoint calls in sync.
    QVERIFY(writePattern(anchor, 0, kAnchorSize, 662));
    const int filesAtKill = writer->created();
    QVERIFY(
        waitFor([&] { return writer->created() >= filesAtKill + 20 || writer->failed(); }, 20s));
    QVERIFY(!writer->failed());

    // Throttled, so that READY, and the freeze --complete-when-ready then
    // asks for, are seconds away when the writer stops: the files that
    // exist then are exactly those the copy must hold.
    CliSession resumed;
    QVERIFY(resumed.start(resumeArgs(loop->path(), {dst}, stateDir) +
                          QStringList{QStringLiteral("--speed"), QStringLiteral("64M")}));
    QVERIFY2(resumed.waitForStatus(QStringLiteral("running"), 60000) >= 0,
             qPrintable(resumed.transcript()));
    runFor(resumed, 300); // the writer goes on under the resumed job for a moment
    writer->stop();
    QVERIFY(!writer->failed());
    const std::set<int> files = writer->files();
    QVERIFY2(resumed.events(QStringLiteral("BLOCK_JOB_READY")).isEmpty(),
             "READY came before the writer stopped: the copy is not of a known set of files");
    QCOMPARE(resumed.finish(120000), kExitOk);
    const QJsonObject done = endEventOf(resumed.lines(), dst);
    QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_COMPLETED")),
             qPrintable(resumed.transcript()));
    qInfo("resumed: %s (%s), %lld MiB in sync at the checkpoint, %lld KiB of it changed, %lld "
          "MiB copied, frozen %.3f s; %d files written, %zu kept",
          qPrintable(dataString(done, "resumed-from")), qPrintable(dataString(done, "resume-why")),
          dataInt(done, "resume-in-sync") / static_cast<qint64>(kMiB),
          dataInt(done, "resume-changed") / static_cast<qint64>(kKiB),
          dataInt(done, "offset") / static_cast<qint64>(kMiB),
          dataOf(done).value(QStringLiteral("quiesce-seconds")).toDouble(), writer->created(),
          files.size());
    QCOMPARE(dataString(done, "outcome"), QStringLiteral("completed"));
    QVERIFY2(dataString(done, "resumed-from") == QStringLiteral("compare"),
             qPrintable(compact(done)));
    QVERIFY2(dataInt(done, "resume-in-sync") > 0, qPrintable(compact(done)));
    // The anchor, at least, changed where the checkpoint called it in sync.
    QVERIFY2(dataInt(done, "resume-changed") > 0, qPrintable(compact(done)));
    QVERIFY2(dataOf(done).value(QStringLiteral("quiesce-seconds")).toDouble() > 0,
             qPrintable(compact(done)));
    QVERIFY2(journalFiles(stateDir).isEmpty(),
             qPrintable(journalFiles(stateDir).join(QLatin1Char(' '))));

    const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), dst});
    QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
    {
        // Every file the writer finished is in the copy, whole; no other.
        const auto m = runCommand(QStringLiteral("mount"),
                                  {QStringLiteral("-o"), QStringLiteral("loop,ro"), dst, dstMnt});
        QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        auto unmount = qScopeGuard([&] { runCommand(QStringLiteral("umount"), {dstMnt}); });
        std::set<int> present;
        for (const QString& name :
             QDir(dstMnt).entryList({QStringLiteral("file-*")}, QDir::Files)) {
            const int n = name.mid(5).toInt();
            QFile f(dstMnt + QLatin1Char('/') + name);
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(f.readAll() == fileContent(n), qPrintable(name + QStringLiteral(" is torn")));
            present.insert(n);
        }
        QVERIFY2(present == files, qPrintable(QStringLiteral("%1 files in the copy, %2 written")
                                                  .arg(present.size())
                                                  .arg(files.size())));
        const QString anchorNow = dir.file(QStringLiteral("anchor-rewritten"));
        QVERIFY(makeFilled(anchorNow, kAnchorSize, 662));
        QVERIFY2(cmpIdentical(anchorNow, dstMnt + QStringLiteral("/anchor")),
                 "the copy holds the anchor as it was before the kill");
    }
    // Nothing writes to the source now but its unmount, which rewrites the
    // bookkeeping of the primary superblock (bytes 1024 to 2047: write
    // time, kilobytes written, checksum): every other byte must be the
    // copy's.
    writer.reset();
    QVERIFY(mount->unmount());
    const auto fsckSource =
        runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), loop->path()});
    QVERIFY2(fsckSource.exitCode == 0, qPrintable(fsckSource.out + fsckSource.err));
    std::uint64_t more = 0;
    const auto differ = differingBytes(loop->path(), dst, 64, &more);
    QVERIFY2(differ, "cannot compare the source with the copy");
    QStringList where;
    for (const std::uint64_t at : *differ)
        where << QString::number(at);
    qInfo("the unmounted source and the copy differ in %llu bytes: %s",
          static_cast<unsigned long long>(differ->size() + more),
          qPrintable(where.join(QLatin1Char(' '))));
    QVERIFY2(more == 0 && std::all_of(differ->begin(), differ->end(),
                                      [](std::uint64_t at) { return at >= 1024 && at < 2048; }),
             qPrintable(QStringLiteral("the copy differs from the source outside its superblock, "
                                       "at %1")
                            .arg(where.join(QLatin1Char(' ')))));
}

void TestCliResume::mismatches_refusedNothingWritten()
{
    constexpr std::uint64_t kSize = 32 * kMiB;
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString target = dir.file(QStringLiteral("target.img"));
    const QString stateDir = dir.file(QStringLiteral("state"));
    QVERIFY(QDir().mkpath(stateDir));
    QVERIFY(makeFilled(src, kSize, 641));

    // A refused resume: bad input, the rule named, the target and the
    // journal as they were.
    auto refused = [&](const QStringList& extra, const QString& why) {
        const FileState before = fileState(target);
        const QStringList journal = journalState(stateDir);
        const auto r = cli(resumeArgs(src, {target}, stateDir) + extra);
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(why + QLatin1Char('\n') + show(r)));
        const QJsonObject error = refusal(r.out);
        QVERIFY2(error.value(QStringLiteral("rule")).toString() ==
                     QStringLiteral("resume mismatch"),
                 qPrintable(why + QLatin1Char('\n') + show(r)));
        const FileState after = fileState(target);
        QVERIFY2(after == before, qPrintable(QStringLiteral("%1: the target changed\nbefore: %2\n"
                                                            "after: %3")
                                                 .arg(why, describe(before), describe(after))));
        QCOMPARE(journalState(stateDir), journal);
        qInfo("%s: refused: %s", qPrintable(why),
              qPrintable(error.value(QStringLiteral("desc")).toString()));
    };
    // A job killed a third of the way: its checkpoint in stateDir.
    auto killedJob = [&] {
        CliSession s;
        QVERIFY(s.start(firstRunArgs(src, {target}, stateDir, 24 * kMiB)));
        const int third = s.waitFor(
            [&](const QJsonObject& o) {
                return isEvent(o, QStringLiteral("BLOCK_JOB_PROGRESS")) &&
                       dataOf(o).value(QStringLiteral("offset")).toInteger() >
                           static_cast<qint64>(kSize / 3);
            },
            30000);
        QVERIFY2(third >= 0, qPrintable(s.transcript()));
        QCOMPARE(killHard(s, {target}), kKilled);
        QCOMPARE(checkpointFiles(stateDir).size(), 1);
    };

    // No checkpoint at all: neither a missing target is created nor an
    // existing one touched.
    refused({}, QStringLiteral("no checkpoint, no target"));
    if (QTest::currentTestFailed())
        return;
    QVERIFY(!QFileInfo::exists(target));
    QVERIFY(makeFilled(target, kSize, 642));
    refused({}, QStringLiteral("no checkpoint, a target"));
    if (QTest::currentTestFailed())
        return;
    QVERIFY(QFile::remove(target));

    killedJob();
    if (QTest::currentTestFailed())
        return;
    refused({QStringLiteral("--granularity"), QStringLiteral("1M")},
            QStringLiteral("another granularity"));
    if (QTest::currentTestFailed())
        return;
    // The same file, grown: another size.
    QVERIFY(QFile::resize(target, kSize + kMiB));
    refused({}, QStringLiteral("a target of another size"));
    if (QTest::currentTestFailed())
        return;
    QVERIFY(QFile::resize(target, kSize));
    // Nothing of the above spent the checkpoint: the right job resumes.
    const auto ok = cli(resumeArgs(src, {target}, stateDir));
    QVERIFY2(ok.exitCode == kExitOk, qPrintable(show(ok)));
    QVERIFY2(dataString(endEventOf(parseJsonLines(ok.out).objects, target), "resumed-from") ==
                 QStringLiteral("map"),
             qPrintable(show(ok)));
    QVERIFY(cmpIdentical(src, target));

    // Another file under the target's name, with the very same bytes.
    QVERIFY(QFile::remove(target));
    killedJob();
    if (QTest::currentTestFailed())
        return;
    const QString copy = dir.file(QStringLiteral("copy.img"));
    QVERIFY(QFile::copy(target, copy));
    QVERIFY(::rename(QFile::encodeName(copy).constData(), QFile::encodeName(target).constData()) ==
            0);
    refused({}, QStringLiteral("another file of the same name"));
}

void TestCliResume::twoTargets_killedAndResumed_bothIdentical()
{
    constexpr std::uint64_t kSize = 128 * kMiB;
    constexpr std::uint64_t kSpeed = 96 * kMiB; // about 1.3 s
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString stateDir = dir.file(QStringLiteral("state"));
    QVERIFY(QDir().mkpath(stateDir));
    QVERIFY(makeImage(src, kSize,
                      {{0, 60 * kMiB, false, 651},
                       {64 * kMiB, 4 * kMiB, true, 0},
                       {68 * kMiB, kSize - 68 * kMiB, false, 652}}));
    const QStringList targets{dir.file(QStringLiteral("a.img")), dir.file(QStringLiteral("b.img"))};
    QRandomGenerator rng(testSeed());

    CliSession s;
    QVERIFY(s.start(firstRunArgs(src, targets, stateDir, kSpeed)));
    QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_PROGRESS"), 30000) >= 0,
             qPrintable(s.transcript()));
    const int waited = 300 + static_cast<int>(rng.bounded(700));
    runFor(s, waited);
    QCOMPARE(killHard(s, targets), kKilled);
    QCOMPARE(checkpointFiles(stateDir).size(), 2);

    const auto r = cli(resumeArgs(src, targets, stateDir), 120000);
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const auto json = parseJsonLines(r.out);
    QVERIFY2(json.bad.isEmpty(), qPrintable(json.bad.join(QLatin1Char('\n'))));
    for (const QString& t : targets) {
        const QJsonObject done = endEventOf(json.objects, t);
        QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
        const qint64 left = leftToCopy(s.lines(), t);
        const qint64 copied = dataInt(done, "offset");
        qInfo("%s: killed %d ms in, %lld MiB left; resumed: %lld MiB in sync, %lld MiB copied",
              qPrintable(QFileInfo(t).fileName()), waited, left / static_cast<qint64>(kMiB),
              dataInt(done, "resume-in-sync") / static_cast<qint64>(kMiB),
              copied / static_cast<qint64>(kMiB));
        QCOMPARE(dataString(done, "outcome"), QStringLiteral("completed"));
        QVERIFY2(dataString(done, "resumed-from") == QStringLiteral("map"),
                 qPrintable(compact(done)));
        QVERIFY2(left >= 0 && copied <= resumeBound(left, kSpeed, 4 * kMiB),
                 qPrintable(compact(done)));
        QVERIFY2(copied == static_cast<qint64>(kSize) - dataInt(done, "resume-in-sync"),
                 qPrintable(compact(done)));
        QVERIFY2(cmpIdentical(src, t), qPrintable(QStringLiteral("cmp: %1 differs").arg(t)));
    }
    QVERIFY2(journalFiles(stateDir).isEmpty(),
             qPrintable(journalFiles(stateDir).join(QLatin1Char(' '))));
}

QTEST_GUILESS_MAIN(TestCliResume)

// A target the job created reads as zeroes, so the first pass leaves the
// source's holes unwritten and records no hash for them. Data written
// into such a hole while no job ran must still be found and copied by the
// resume's comparison, not taken for a hole the target already matches.
void TestCliResume::newTarget_holeWrittenWhileStopped_resumeCopiesIt()
{
    constexpr std::uint64_t kSize = 64 * kMiB;
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(
        makeImage(src, kSize, {{0, 16 * kMiB, false, 701}, {48 * kMiB, 16 * kMiB, false, 702}}));
    const QString target = dir.file(QStringLiteral("new.img"));
    const QString stateDir = dir.file(QStringLiteral("state"));
    QVERIFY(QDir().mkpath(stateDir));

    CliSession s;
    QVERIFY(s.start(firstRunArgs(src, {target}, stateDir, 256 * kMiB)));
    QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000) >= 0,
             qPrintable(s.transcript()));
    // READY commits a checkpoint with everything in sync.
    QVERIFY2(waitFor([&] { return checkpointInSync(stateDir, kSize) >= qint64(kSize); }, 20s),
             qPrintable(s.transcript()));
    killHard(s, {target});
    QVERIFY2(allocatedBytes(target) <= 36 * kMiB,
             qPrintable(QStringLiteral("%1 bytes allocated: the holes were written")
                            .arg(allocatedBytes(target))));

    QVERIFY(writePattern(src, 20 * kMiB, 4 * kMiB, 703)); // into the hole
    const auto r = cli(resumeArgs(src, {target}, stateDir), 120000);
    QVERIFY2(r.exitCode == 0, qPrintable(show(r)));
    QVERIFY(cmpIdentical(src, target));
}

#include "tst_cli_resume.moc"
