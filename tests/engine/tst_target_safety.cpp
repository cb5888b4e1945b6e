// The rules that decide whether a target (and a source) may be used, as root
// on loop devices, image files, tmpfs and real file systems; through the
// engine and through the real drivemirror-cli binary (DRIVEMIRROR_CLI).
//
// One test per finding of "Never the wrong target, never a false claim":
// an image file behind a mounted loop device, two jobs on one target, a
// source image that others write, a shrinking source and a full file
// system, aliases of the source or of a mounted disk and processes that
// write a target, signatures of every file system, and paths that are no
// place for an image. Each proves with SHA-256 that nothing was written
// where a rule refused. And item 3 of what to build: an image target is bound
// to the file the user confirmed (device, inode, size, or its absence), in
// the engine and through the CLI.
#include "cli_test_support.h"
#include "device/device_catalog.h"
#include "device/storage_map.h"
#include "engine_printers.h"
#include "io/disk.h"
#include "rules/job_setup.h"
#include "rules/safety.h"
#include "test_support.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QtTest>

#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

using namespace engine;
using namespace testsupport;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t KiB = 1024;
constexpr std::uint64_t MiB = 1024 * KiB;
constexpr int kExitOk = 0;
constexpr int kExitBadInput = 2;

// The suites share what a refused run must leave as it was, and how a
// content hash and a failed run are shown (tests/support).
using clitest::contentHash;
using clitest::describe;
using clitest::fileState;
using clitest::FileState;
using clitest::haveTool;
using clitest::show;

CommandResult cli(const QStringList& args, int timeoutMs = 120000)
{
    return runCommand(cliPath(), args, timeoutMs);
}

bool makeFilled(const QString& path, std::uint64_t size, std::uint64_t seed)
{
    return createSparse(path, size) && writePattern(path, 0, size, seed);
}

QStringList dirEntries(const QString& dir)
{
    return QDir(dir).entryList(
        QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
}

bool run(const QString& program, const QStringList& args, QString* output = nullptr,
         const QByteArray& input = {})
{
    const auto r = runCommand(program, args, 120000, input);
    if (output)
        *output = r.out + r.err;
    return r.exitCode == 0;
}

// A file system mounted for the lifetime of the object.
class Mount
{
public:
    Mount(const QStringList& args, const QString& dir) : m_dir(dir)
    {
        QDir().mkpath(dir);
        m_ok = run(QStringLiteral("mount"), args + QStringList{dir});
    }
    ~Mount() { unmount(); }
    bool ok() const { return m_ok; }
    bool unmount()
    {
        if (!m_ok)
            return true;
        m_ok = !run(QStringLiteral("umount"), {m_dir});
        return !m_ok;
    }

private:
    QString m_dir;
    bool m_ok = false;
};

// A loop device with losetup options (an offset, a device as backing),
// detached again at the end.
class Loop
{
public:
    static std::unique_ptr<Loop> attach(const QString& backing, const QStringList& options,
                                        QString* why)
    {
        const auto r = runCommand(QStringLiteral("losetup"),
                                  QStringList{QStringLiteral("--find"), QStringLiteral("--show")} +
                                      options + QStringList{backing});
        if (r.exitCode != 0) {
            *why = QStringLiteral("losetup failed: ") + r.err.trimmed();
            return nullptr;
        }
        std::unique_ptr<Loop> l(new Loop);
        l->m_path = r.out.trimmed();
        return l;
    }
    ~Loop() { runCommand(QStringLiteral("losetup"), {QStringLiteral("-d"), m_path}); }
    QString path() const { return m_path; }
    std::string stdPath() const { return m_path.toStdString(); }

private:
    Loop() = default;
    QString m_path;
};

// Another program that keeps a file or device open (for writing, or read
// only) until the object goes away: a stand-in for a VM or a running dd.
class Holder
{
public:
    explicit Holder(const QString& path, bool write = true)
    {
        const QString redirect = write ? QStringLiteral("3<>") : QStringLiteral("3<");
        m_proc.start(QStringLiteral("bash"),
                     {QStringLiteral("-c"),
                      QStringLiteral("exec %1\"$1\" && echo ready && exec sleep 600").arg(redirect),
                      QStringLiteral("holder"), path});
        m_proc.waitForStarted(10000);
        QDeadlineTimer deadline(10000);
        while (!m_proc.readAllStandardOutput().contains("ready") && !deadline.hasExpired() &&
               m_proc.state() == QProcess::Running)
            m_proc.waitForReadyRead(100);
    }
    ~Holder()
    {
        m_proc.kill();
        m_proc.waitForFinished(10000);
    }
    bool running() const { return m_proc.state() == QProcess::Running; }
    qint64 pid() const { return m_proc.processId(); }

private:
    QProcess m_proc;
};

// A drivemirror-cli job that runs until told otherwise, its stdout read as
// JSON lines.
class CliJob
{
public:
    explicit CliJob(const QStringList& args)
    {
        m_proc.start(cliPath(), args);
        m_proc.waitForStarted(10000);
    }
    ~CliJob()
    {
        if (m_proc.state() != QProcess::NotRunning) {
            m_proc.kill();
            m_proc.waitForFinished(10000);
        }
    }
    bool waitForEvent(const QString& name, int timeoutMs)
    {
        QDeadlineTimer deadline(timeoutMs);
        for (;;) {
            m_out += m_proc.readAllStandardOutput();
            m_err += m_proc.readAllStandardError();
            for (const QByteArray& line : m_out.split('\n'))
                if (QJsonDocument::fromJson(line).object().value(QStringLiteral("event")) ==
                    QJsonValue(name))
                    return true;
            if (deadline.hasExpired() || m_proc.state() != QProcess::Running)
                return false;
            m_proc.waitForReadyRead(100);
        }
    }
    void send(const QByteArray& line)
    {
        m_proc.write(line + '\n');
        m_proc.waitForBytesWritten(5000);
    }
    int finish(int timeoutMs)
    {
        if (!m_proc.waitForFinished(timeoutMs))
            return -2;
        m_out += m_proc.readAllStandardOutput();
        m_err += m_proc.readAllStandardError();
        return m_proc.exitStatus() == QProcess::NormalExit ? m_proc.exitCode() : -3;
    }
    qint64 pid() const { return m_proc.processId(); }
    QString transcript() const
    {
        return QString::fromUtf8(m_out.right(3000)) + QStringLiteral("\n--- stderr:\n") +
               QString::fromLocal8Bit(m_err.right(3000));
    }

private:
    QProcess m_proc;
    QByteArray m_out;
    QByteArray m_err;
};

bool mkfsExt4(const QString& device, QString* out)
{
    return run(QStringLiteral("mkfs.ext4"), {QStringLiteral("-q"), QStringLiteral("-F"), device},
               out);
}

bool contains(const std::string& text, const char* part)
{
    return text.find(part) != std::string::npos;
}

std::string errorOf(const Result<void>& r)
{
    return r ? std::string("accepted") : r.error().message;
}

// Runs a hook once, on the thread that logs, when the engine logs a message
// that starts with a marker: a way to change the disk under a path at an
// exact point of prepareJob (after its checks of the path, before it opens
// the target), with no sleeps and no luck involved.
class HookSink final : public spdlog::sinks::base_sink<std::mutex>
{
public:
    HookSink(std::string marker, std::function<void()> hook)
        : m_marker(std::move(marker)), m_hook(std::move(hook))
    {
    }
    bool fired() const { return m_fired; }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override
    {
        if (m_fired ||
            std::string_view(msg.payload.data(), msg.payload.size()).substr(0, m_marker.size()) !=
                m_marker)
            return;
        m_fired = true;
        m_hook();
    }
    void flush_() override {}

private:
    std::string m_marker;
    std::function<void()> m_hook;
    bool m_fired = false;
};

// The identity imageFileId() gives @p path, computed here from stat(2).
QString expectedFileId(const QString& path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return {};
    return QStringLiteral("file:%1:%2:%3:%4")
        .arg(major(st.st_dev))
        .arg(minor(st.st_dev))
        .arg(static_cast<quint64>(st.st_ino))
        .arg(static_cast<qint64>(st.st_size));
}

quint64 inodeOf(const QString& path)
{
    struct stat st
    {
    };
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_ino : 0;
}

// Mirrors a prepared job to READY and completes it.
bool completeJob(MirrorJob& job)
{
    job.start();
    if (!waitFor([&] { return job.status() == JobStatus::Ready || job.finished(); }, 60s))
        return false;
    if (!job.complete())
        return false;
    return job.wait().outcome == JobResult::Outcome::Completed;
}

} // namespace

class TestTargetSafety : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void rules_namedAsMessagesNameThem();
    void found1_imageBehindMountedLoop_refused();
    void found2_twoJobsOnOneTarget_secondRefusedNamingFirst();
    void found2_imageLocks_qemuAndJobsSeeEachOther();
    void found4_sourceImageWrittenByAnotherProgram_refused();
    void found4_sourceImageBehindMountedLoop_trackedThroughIt();
    void found7_sourceShrinksOrVanishes_namedAsSuch();
    void found7_noRoomForImage_refusedBeforeWriting();
    void found9_aliasesOfSourceAndMountedDisks_refused();
    void found9_targetOpenForWritingByAnotherProcess_refused();
    void found10_everyFileSystemNeedsForce_data();
    void found10_everyFileSystemNeedsForce();
    void found11_pathsThatAreNoPlaceForAnImage_refused_data();
    void found11_pathsThatAreNoPlaceForAnImage_refused();
    void build3_imageTargetIdentity_confirmedFileAccepted();
    void build3_imageTargetChangedSinceConfirmed_refused_data();
    void build3_imageTargetChangedSinceConfirmed_refused();
    void cost_checkTargetCandidate();

private:
    void needRoot(const char* why);
};

void TestTargetSafety::initTestCase()
{
    const QString path = cliPath();
    QVERIFY2(!path.isEmpty(), "DRIVEMIRROR_CLI is not set (ctest sets it)");
    QVERIFY2(QFileInfo(path).isExecutable(), qPrintable(path + " is not an executable"));
    qputenv("LC_ALL", "C");
    qputenv("LANG", "C");
    qputenv("LANGUAGE", "");
}

void TestTargetSafety::needRoot(const char* why)
{
    if (!isRoot())
        QSKIP(qPrintable(QStringLiteral("needs root: %1").arg(QLatin1String(why))));
    if (!QFileInfo::exists(QStringLiteral("/dev/loop-control")))
        QSKIP("needs loop devices (/dev/loop-control is missing)");
}

// Found 1: an image file that backs a mounted loop device (directly, under a
// second loop device, or through a partition) takes that device's state.
void TestTargetSafety::found1_imageBehindMountedLoop_refused()
{
    needRoot("attaches loop devices and mounts file systems");
    QVERIFY2(haveTool(QStringLiteral("mkfs.ext4")), "mkfs.ext4 is missing (e2fsprogs)");
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString victim = dir.file(QStringLiteral("victim.img"));
    QVERIFY(makeFilled(src, 16 * MiB, 11));
    QVERIFY(createSparse(victim, 64 * MiB));
    QString why, out;
    auto loop = LoopDevice::attach(victim, &why);
    QVERIFY2(loop, qPrintable(why));
    QVERIFY2(mkfsExt4(loop->path(), &out), qPrintable(out));
    // Read-only, so that the kernel itself changes nothing the hashes see.
    const QString mnt = dir.file(QStringLiteral("mnt"));
    const FileState before = fileState(victim);

    auto refusedEverywhere = [&](const QString& mountedDevice) {
        // CLI: inspect and mirror, with --force (it overrides nothing here).
        auto r = cli({QStringLiteral("inspect"), victim, QStringLiteral("--source"), src});
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
        QVERIFY2(r.out.contains(QStringLiteral("refused")), qPrintable(show(r)));
        QVERIFY2(r.out.contains(QStringLiteral("(rule: mounted target)")), qPrintable(show(r)));
        QVERIFY2(r.out.contains(mountedDevice), qPrintable(show(r)));
        r = cli({QStringLiteral("mirror"), src, victim, QStringLiteral("--force"),
                 QStringLiteral("--complete-when-ready")});
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
        QVERIFY2(r.err.contains(QStringLiteral("(rule: mounted target)")), qPrintable(show(r)));
        QVERIFY2(r.err.contains(mnt), qPrintable(show(r)));
        // Engine: the rule, the review and the whole preparation.
        const auto check = checkTargetCandidate(src.toStdString(), victim.toStdString());
        QVERIFY2(!check && check.error().rule == Rule::MountedTarget &&
                     contains(check.error().message, "(rule: mounted target)"),
                 errorOf(check).c_str());
        const auto review = reviewTarget(src.toStdString(), victim.toStdString(), {});
        QVERIFY(review.refusal);
        JobSetup setup;
        setup.source = src.toStdString();
        setup.target = victim.toStdString();
        setup.allowDataOnTarget = true;
        auto prepared = prepareJob(setup, nullLogger());
        QVERIFY2(!prepared, "prepareJob accepted an image behind a mounted loop device");
        const FileState after = fileState(victim);
        QVERIFY2(after == before, qPrintable(QStringLiteral("victim.img changed: %1 -> %2")
                                                 .arg(describe(before), describe(after))));
    };

    {
        Mount m({QStringLiteral("-o"), QStringLiteral("ro"), loop->path()}, mnt);
        QVERIFY2(m.ok(), "mount failed");
        refusedEverywhere(loop->path());
        if (QTest::currentTestFailed())
            return;
    }
    // Two levels: a loop device over the loop device, mounted.
    {
        auto upper = Loop::attach(loop->path(), {}, &why);
        QVERIFY2(upper, qPrintable(why));
        Mount m({QStringLiteral("-o"), QStringLiteral("ro"), upper->path()}, mnt);
        QVERIFY2(m.ok(), "mount of the stacked loop device failed");
        refusedEverywhere(upper->path());
        if (QTest::currentTestFailed())
            return;
        // The lower loop device is refused too, naming the upper one.
        const auto r = cli({QStringLiteral("mirror"), src, loop->path(), QStringLiteral("--force"),
                            QStringLiteral("--complete-when-ready")});
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
        QVERIFY2(r.err.contains(QStringLiteral("(rule: mounted target)")) &&
                     r.err.contains(upper->path()),
                 qPrintable(show(r)));
    }
    QCOMPARE(fileState(victim), before);

    // Through a partition: an image whose loop device's first partition is mounted.
    QVERIFY2(haveTool(QStringLiteral("sfdisk")), "sfdisk is missing (fdisk)");
    const QString disk = dir.file(QStringLiteral("parts.img"));
    QVERIFY(createSparse(disk, 64 * MiB));
    QVERIFY(run(QStringLiteral("sfdisk"), {QStringLiteral("-q"), disk}, &out,
                "label: gpt\nsize=32MiB\n"));
    auto parted = LoopDevice::attach(disk, &why, true);
    QVERIFY2(parted, qPrintable(why));
    const QString p1 = parted->path() + QStringLiteral("p1");
    QTRY_VERIFY(QFileInfo::exists(p1));
    QVERIFY2(mkfsExt4(p1, &out), qPrintable(out));
    const FileState diskBefore = fileState(disk);
    {
        Mount m({QStringLiteral("-o"), QStringLiteral("ro"), p1}, mnt);
        QVERIFY2(m.ok(), "mount of the partition failed");
        const auto r = cli({QStringLiteral("mirror"), src, disk, QStringLiteral("--force"),
                            QStringLiteral("--complete-when-ready")});
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
        QVERIFY2(r.err.contains(QStringLiteral("(rule: mounted target)")) && r.err.contains(p1),
                 qPrintable(show(r)));
    }
    QCOMPARE(fileState(disk), diskBefore);
    const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), victim});
    QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
}

// Found 2: a second job on the target of a running one is refused and names
// it; so is a job that would write the first one's source.
void TestTargetSafety::found2_twoJobsOnOneTarget_secondRefusedNamingFirst()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString other = dir.file(QStringLiteral("other.img"));
    const QString same = dir.file(QStringLiteral("same.img"));
    QVERIFY(makeFilled(src, 32 * MiB, 21));
    QVERIFY(makeFilled(other, 32 * MiB, 22));

    CliJob first({QStringLiteral("mirror"), src, same, QStringLiteral("--json")});
    QVERIFY2(first.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 60000),
             qPrintable(first.transcript()));
    const QByteArray atReady = contentHash(same);
    const QByteArray srcBefore = contentHash(src);
    const QString firstPid = QStringLiteral("pid %1 ").arg(first.pid());

    auto r = cli({QStringLiteral("mirror"), other, same, QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("(rule: target in use)")), qPrintable(show(r)));
    QVERIFY2(r.err.contains(firstPid) && r.err.contains(QStringLiteral("drivemirror-cli")),
             qPrintable(show(r)));
    QCOMPARE(contentHash(same), atReady);

    // The first job's source is locked for reading: not a target either.
    r = cli({QStringLiteral("mirror"), other, src, QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("(rule: target in use)")) && r.err.contains(firstPid),
             qPrintable(show(r)));
    QCOMPARE(contentHash(src), srcBefore);
    // The first job's target is being written: not a source.
    r = cli({QStringLiteral("mirror"), same, dir.file(QStringLiteral("x.img")),
             QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("(rule: source in use)")), qPrintable(show(r)));
    QVERIFY(!QFileInfo::exists(dir.file(QStringLiteral("x.img"))));
    // Reading the same source in a second job is fine.
    r = cli({QStringLiteral("inspect"), dir.file(QStringLiteral("y.img")),
             QStringLiteral("--source"), src});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));

    first.send("complete");
    QCOMPARE(first.finish(60000), kExitOk);
    QVERIFY2(cmpIdentical(src, same), "the first job's copy is not identical to its source");

    // In one process (the desktop app runs local jobs in-process): the same.
    JobSetup a;
    a.source = src.toStdString();
    a.target = dir.stdFile(QStringLiteral("t.img"));
    auto one = prepareJob(a, nullLogger());
    QVERIFY2(one, one ? "" : one.error().message.c_str());
    JobSetup b = a;
    b.source = other.toStdString();
    auto two = prepareJob(b, nullLogger());
    QVERIFY2(!two && two.error().rule == Rule::TargetInUse &&
                 contains(two.error().message, "(rule: target in use)"),
             two ? "accepted" : two.error().message.c_str());
}

// The image locks themselves (beyond the /proc scan): QEMU's lock bytes, so
// that QEMU and DriveMirror keep out of each other's images, and two jobs
// starting at the same moment cannot both win.
void TestTargetSafety::found2_imageLocks_qemuAndJobsSeeEachOther()
{
    ScratchDir dir;
    const QString img = dir.file(QStringLiteral("img.img"));
    QVERIFY(makeFilled(img, 4 * MiB, 23));
    const QByteArray before = contentHash(img);
    const std::string path = img.toStdString();
    auto open = [&](Disk::Access access) { return Disk::open(path, {access, true, false}); };
    {
        auto w1 = open(Disk::Access::ReadWrite);
        auto w2 = open(Disk::Access::ReadWrite);
        auto r1 = open(Disk::Access::ReadOnly);
        auto r2 = open(Disk::Access::ReadOnly);
        QVERIFY(w1 && w2 && r1 && r2);
        QVERIFY(r1->lockImage(Disk::Lock::Shared));
        QVERIFY(r2->lockImage(Disk::Lock::Shared)); // readers share
        const auto refused = w1->lockImage(Disk::Lock::Exclusive);
        QVERIFY2(!refused && refused.error().code == EBUSY, errorOf(refused).c_str());
        QVERIFY2(contains(refused.error().message, "pid "), refused.error().message.c_str());
    }
    {
        auto w1 = open(Disk::Access::ReadWrite);
        auto w2 = open(Disk::Access::ReadWrite);
        auto r1 = open(Disk::Access::ReadOnly);
        QVERIFY(w1->lockImage(Disk::Lock::Exclusive));
        QVERIFY(!w2->lockImage(Disk::Lock::Exclusive));
        QVERIFY(!r1->lockImage(Disk::Lock::Shared));
        QVERIFY2(!checkTargetCandidate({}, path), "a locked image was accepted as a target");
    }
    QVERIFY(checkTargetCandidate({}, path)); // released with the descriptors
    QCOMPARE(contentHash(img), before);

    if (!haveTool(QStringLiteral("qemu-io")))
        QSKIP("qemu-io is missing (qemu-utils): QEMU's side of the locks is not checked");
    // DriveMirror holds the image: QEMU cannot write it, nor read the target.
    {
        auto src = open(Disk::Access::ReadOnly);
        QVERIFY(src->lockImage(Disk::Lock::Shared));
        QString out;
        QVERIFY2(!run(QStringLiteral("qemu-io"),
                      {QStringLiteral("-f"), QStringLiteral("raw"), QStringLiteral("-c"),
                       QStringLiteral("write 0 512"), img},
                      &out),
                 qPrintable(out));
        QVERIFY2(out.contains(QStringLiteral("lock")), qPrintable(out));
        // A reader that shares what we share is welcome.
        QVERIFY2(run(QStringLiteral("qemu-io"),
                     {QStringLiteral("-r"), QStringLiteral("-f"), QStringLiteral("raw"),
                      QStringLiteral("-c"), QStringLiteral("read 0 512"), img},
                     &out),
                 qPrintable(out));
    }
    {
        auto dst = open(Disk::Access::ReadWrite);
        QVERIFY(dst->lockImage(Disk::Lock::Exclusive));
        QString out;
        QVERIFY2(!run(QStringLiteral("qemu-io"),
                      {QStringLiteral("-r"), QStringLiteral("-f"), QStringLiteral("raw"),
                       QStringLiteral("-c"), QStringLiteral("read 0 512"), img},
                      &out),
                 qPrintable(out));
    }
    QCOMPARE(contentHash(img), before);
    // QEMU holds the image: DriveMirror refuses it as target, naming qemu-io.
    QProcess qemu;
    qemu.start(QStringLiteral("qemu-io"),
               {QStringLiteral("-r"), QStringLiteral("-f"), QStringLiteral("raw"), img});
    QVERIFY(qemu.waitForStarted());
    auto stop = qScopeGuard([&] {
        qemu.kill();
        qemu.waitForFinished();
    });
    QVERIFY(waitFor([&] { return !checkTargetCandidate({}, path); }, 10s));
    const auto refused = checkTargetCandidate({}, path);
    QVERIFY2(!refused && contains(refused.error().message, "qemu-io") &&
                 refused.error().rule == Rule::TargetInUse &&
                 contains(refused.error().message, "(rule: target in use)"),
             errorOf(refused).c_str());
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeFilled(src, 4 * MiB, 24));
    const auto r =
        cli({QStringLiteral("mirror"), src, img, QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("qemu-io")) &&
                 r.err.contains(QStringLiteral("(rule: target in use)")),
             qPrintable(show(r)));
    QCOMPARE(contentHash(img), before);
}

// Found 4, first half: an image that another program has open for writing
// (a VM, fio) is refused as a source, naming it; nothing is created.
void TestTargetSafety::found4_sourceImageWrittenByAnotherProgram_refused()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("vm.img"));
    const QString dst = dir.file(QStringLiteral("copy.img"));
    QVERIFY(makeFilled(src, 16 * MiB, 41));
    const QByteArray before = contentHash(src);
    const QStringList entries = dirEntries(dir.path());
    {
        Holder writer(src, true);
        QVERIFY(writer.running());
        const QString pid = QStringLiteral("pid %1 ").arg(writer.pid());
        const auto r =
            cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--complete-when-ready")});
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
        QVERIFY2(r.err.contains(QStringLiteral("(rule: source in use)")) && r.err.contains(pid),
                 qPrintable(show(r)));
        QCOMPARE(dirEntries(dir.path()), entries);
        const auto check = checkSourceCandidate(src.toStdString());
        QVERIFY2(!check && check.error().rule == Rule::SourceInUse &&
                     contains(check.error().message, "(rule: source in use)"),
                 errorOf(check).c_str());
    }
    {
        // A reader does not change it: accepted.
        Holder reader(src, false);
        QVERIFY(reader.running());
        QVERIFY(checkSourceCandidate(src.toStdString()));
    }
    QCOMPARE(contentHash(src), before);

    // Written through a loop device over part of it: cannot be tracked.
    if (!isRoot())
        return;
    QString why;
    auto part = Loop::attach(src, {QStringLiteral("-o"), QStringLiteral("1M")}, &why);
    QVERIFY2(part, qPrintable(why));
    {
        Holder writer(part->path(), true);
        QVERIFY(writer.running());
        const auto r =
            cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--complete-when-ready")});
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
        QVERIFY2(r.err.contains(QStringLiteral("(rule: source in use)")) &&
                     r.err.contains(part->path()),
                 qPrintable(show(r)));
        QCOMPARE(dirEntries(dir.path()), entries);
    }
    QCOMPARE(contentHash(src), before);
}

// Found 4, second half: an image behind a mounted, written loop device is
// live: the job tracks writes through the loop device and freezes its file
// system at Complete, so the copy is a clean file system.
void TestTargetSafety::found4_sourceImageBehindMountedLoop_trackedThroughIt()
{
    needRoot("attaches a loop device, mounts it and traces its writes");
    QVERIFY2(haveTool(QStringLiteral("mkfs.ext4")), "mkfs.ext4 is missing (e2fsprogs)");
    ScratchDir dir;
    const QString img = dir.file(QStringLiteral("live.img"));
    const QString copy = dir.file(QStringLiteral("copy.img"));
    QVERIFY(createSparse(img, 128 * MiB));
    QString why, out;
    auto loop = LoopDevice::attach(img, &why);
    QVERIFY2(loop, qPrintable(why));
    QVERIFY2(mkfsExt4(loop->path(), &out), qPrintable(out));
    const QString mnt = dir.file(QStringLiteral("mnt"));
    Mount m({loop->path()}, mnt);
    QVERIFY2(m.ok(), "mount failed");

    // Without tracking the engine says so instead of copying.
    {
        JobSetup setup;
        setup.source = img.toStdString();
        setup.target = copy.toStdString();
        setup.trackWrites = false;
        auto refused = prepareJob(setup, nullLogger());
        QVERIFY2(!refused && refused.error().rule == Rule::LiveSourceNeedsTracking &&
                     contains(refused.error().message, "(rule: live source needs tracking)"),
                 refused ? "accepted" : refused.error().message.c_str());
        QVERIFY(!QFileInfo::exists(copy));
    }
    // A writer that keeps creating files and syncing them.
    QProcess writer;
    writer.start(QStringLiteral("bash"),
                 {QStringLiteral("-c"),
                  QStringLiteral("i=0; while :; do i=$((i+1)); head -c 200000 /dev/urandom > "
                                 "\"$1/f$i\"; sync \"$1/f$i\"; sleep 0.02; done"),
                  QStringLiteral("writer"), mnt});
    QVERIFY(writer.waitForStarted());
    auto stopWriter = qScopeGuard([&] {
        writer.kill();
        writer.waitForFinished();
    });
    std::this_thread::sleep_for(500ms);
    const auto r = cli({QStringLiteral("mirror"), img, copy, QStringLiteral("--speed"),
                        QStringLiteral("32M"), QStringLiteral("--complete-when-ready")},
                       300000);
    writer.kill();
    writer.waitForFinished();
    stopWriter.dismiss();
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("through ") + loop->path()), qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("froze")) || r.err.contains(QStringLiteral("freeze")),
             qPrintable(show(r)));
    const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), copy});
    QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
}

// Found 7, first half: a source that shrinks or disappears is named as such
// (the copy loop asks the disk when a read ends early).
void TestTargetSafety::found7_sourceShrinksOrVanishes_namedAsSuch()
{
    ScratchDir dir;
    const QString img = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeFilled(img, 16 * MiB, 71));
    {
        auto disk = Disk::open(img.toStdString(), {Disk::Access::ReadOnly, true, false});
        QVERIFY(disk);
        QVERIFY(disk->checkStillThere());
        QCOMPARE(::truncate(QFile::encodeName(img).constData(), 8 * MiB), 0);
        const auto r = disk->checkStillThere();
        QVERIFY(!r);
        QCOMPARE(r.error().code, ESTALE);
        QVERIFY2(
            contains(r.error().message, "the source ") &&
                contains(r.error().message, "shrank from 16.0 MiB to 8.00 MiB while it was copied"),
            r.error().message.c_str());
    }
    {
        auto disk = Disk::open(img.toStdString(), {Disk::Access::ReadOnly, true, false});
        QVERIFY(disk);
        QVERIFY(QFile::remove(img));
        const auto r = disk->checkStillThere();
        QVERIFY(!r);
        QCOMPARE(r.error().code, ENOENT);
        QVERIFY2(contains(r.error().message, "deleted"), r.error().message.c_str());
    }
    if (!isRoot())
        return;
    // A loop device whose file was cut and whose size was re-read.
    const QString backing = dir.file(QStringLiteral("loop.img"));
    QVERIFY(makeFilled(backing, 32 * MiB, 72));
    QString why;
    auto loop = LoopDevice::attach(backing, &why);
    QVERIFY2(loop, qPrintable(why));
    auto disk = Disk::open(loop->stdPath(), {Disk::Access::ReadOnly, true, false});
    QVERIFY(disk);
    QVERIFY(disk->checkStillThere());
    QCOMPARE(::truncate(QFile::encodeName(backing).constData(), 16 * MiB), 0);
    QVERIFY(run(QStringLiteral("losetup"), {QStringLiteral("-c"), loop->path()}));
    const auto r = disk->checkStillThere();
    QVERIFY(!r);
    QVERIFY2(contains(r.error().message, "shrank from 32.0 MiB to 16.0 MiB"),
             r.error().message.c_str());
}

// Found 7, second half: an image target on a file system without room for
// the copy is refused before anything is created or written; a sparse
// source and what the target already holds are counted.
void TestTargetSafety::found7_noRoomForImage_refusedBeforeWriting()
{
    needRoot("mounts a small tmpfs");
    ScratchDir dir;
    const QString small = dir.file(QStringLiteral("small"));
    Mount tmp({QStringLiteral("-t"), QStringLiteral("tmpfs"), QStringLiteral("-o"),
               QStringLiteral("size=24m"), QStringLiteral("tmpfs")},
              small);
    QVERIFY2(tmp.ok(), "mounting a tmpfs failed");
    const QString full = dir.file(QStringLiteral("full.img"));
    const QString sparse = dir.file(QStringLiteral("sparse.img"));
    QVERIFY(makeFilled(full, 32 * MiB, 73));
    QVERIFY(createSparse(sparse, 32 * MiB));
    QVERIFY(writePattern(sparse, 4 * MiB, 4 * MiB, 74));
    auto freeBytes = [&] {
        struct statvfs v
        {
        };
        ::statvfs(QFile::encodeName(small).constData(), &v);
        return static_cast<std::uint64_t>(v.f_bfree) * v.f_frsize;
    };
    const std::uint64_t freeBefore = freeBytes();

    const QString dst = small + QStringLiteral("/copy.img");
    auto r = cli({QStringLiteral("mirror"), full, dst, QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("(rule: no room for the target)")) &&
                 r.err.contains(QStringLiteral("32.0 MiB")) &&
                 r.err.contains(QStringLiteral("free")),
             qPrintable(show(r)));
    QVERIFY(dirEntries(small).isEmpty());
    QCOMPARE(freeBytes(), freeBefore);
    // The engine says the same before creating anything.
    JobSetup setup;
    setup.source = full.toStdString();
    setup.target = dst.toStdString();
    auto prepared = prepareJob(setup, nullLogger());
    QVERIFY2(!prepared && prepared.error().rule == Rule::NoRoomForTarget &&
                 contains(prepared.error().message, "(rule: no room for the target)"),
             prepared ? "accepted" : prepared.error().message.c_str());
    QVERIFY(dirEntries(small).isEmpty());

    // 32 MiB with 4 MiB of data fits: holes stay holes.
    r = cli({QStringLiteral("mirror"), sparse, dst, QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY(cmpIdentical(sparse, dst));
    QVERIFY(QFile::remove(dst));

    // A target that already holds 16 MiB of data needs only the rest.
    QVERIFY(createSparse(dst, 32 * MiB));
    QVERIFY(writePattern(dst, 0, 16 * MiB, 76));
    const QString twenty = dir.file(QStringLiteral("twenty.img"));
    QVERIFY(createSparse(twenty, 32 * MiB));
    QVERIFY(writePattern(twenty, 0, 20 * MiB, 77));
    r = cli({QStringLiteral("mirror"), twenty, dst, QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY(cmpIdentical(twenty, dst));
}

// Found 9, first half: every name of the same bytes is the same disk.
void TestTargetSafety::found9_aliasesOfSourceAndMountedDisks_refused()
{
    needRoot("attaches loop devices");
    ScratchDir dir;
    QString why, out;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeFilled(src, 16 * MiB, 91));

    auto refused = [&](const QString& from, const QString& to, const QString& rule,
                       const QString& mention = {}) {
        const auto r = cli({QStringLiteral("mirror"), from, to, QStringLiteral("--force"),
                            QStringLiteral("--complete-when-ready")});
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
        QVERIFY2(r.err.contains(QStringLiteral("(rule: %1)").arg(rule)), qPrintable(show(r)));
        if (!mention.isEmpty())
            QVERIFY2(r.err.contains(mention), qPrintable(show(r)));
    };

    // Two loop devices over one file, one from 1 MiB on.
    const QString disk = dir.file(QStringLiteral("disk.img"));
    QVERIFY(makeFilled(disk, 32 * MiB, 92));
    const FileState diskBefore = fileState(disk);
    auto whole = Loop::attach(disk, {}, &why);
    QVERIFY2(whole, qPrintable(why));
    auto tail = Loop::attach(disk, {QStringLiteral("-o"), QStringLiteral("1M")}, &why);
    QVERIFY2(tail, qPrintable(why));
    refused(whole->path(), tail->path(), QStringLiteral("target inside source"));
    refused(tail->path(), whole->path(), QStringLiteral("target contains source"));
    refused(tail->path(), disk, QStringLiteral("target contains source"));
    refused(disk, tail->path(), QStringLiteral("target inside source"));
    const auto distinct = checkDistinct(whole->stdPath(), tail->stdPath());
    QVERIFY2(!distinct && distinct.error().rule == Rule::TargetInsideSource &&
                 contains(distinct.error().message, "(rule: target inside source)"),
             errorOf(distinct).c_str());
    QCOMPARE(fileState(disk), diskBefore);

    // A loop device over the disk that holds the source partition, and one
    // over the partition with the whole disk as source.
    QVERIFY2(haveTool(QStringLiteral("sfdisk")), "sfdisk is missing (fdisk)");
    const QString parts = dir.file(QStringLiteral("parts.img"));
    QVERIFY(createSparse(parts, 64 * MiB));
    QVERIFY(run(QStringLiteral("sfdisk"), {QStringLiteral("-q"), parts}, &out,
                "label: gpt\nsize=20MiB\n"));
    auto parted = LoopDevice::attach(parts, &why, true);
    QVERIFY2(parted, qPrintable(why));
    const QString p1 = parted->path() + QStringLiteral("p1");
    QTRY_VERIFY(QFileInfo::exists(p1));
    const FileState partsBefore = fileState(parts);
    auto overDisk = Loop::attach(parted->path(), {}, &why);
    QVERIFY2(overDisk, qPrintable(why));
    auto overPart = Loop::attach(p1, {}, &why);
    QVERIFY2(overPart, qPrintable(why));
    refused(p1, overDisk->path(), QStringLiteral("target contains source"));
    refused(parted->path(), overPart->path(), QStringLiteral("target inside source"));
    refused(overPart->path(), p1, QStringLiteral("source is target"));
    QCOMPARE(fileState(parts), partsBefore);

    // A loop device that backs another, mounted loop device.
    QVERIFY2(haveTool(QStringLiteral("mkfs.ext4")), "mkfs.ext4 is missing (e2fsprogs)");
    const QString fsImg = dir.file(QStringLiteral("fs.img"));
    QVERIFY(createSparse(fsImg, 64 * MiB));
    auto lower = Loop::attach(fsImg, {}, &why);
    QVERIFY2(lower, qPrintable(why));
    auto upper = Loop::attach(lower->path(), {}, &why);
    QVERIFY2(upper, qPrintable(why));
    QVERIFY2(mkfsExt4(upper->path(), &out), qPrintable(out));
    const FileState fsBefore = fileState(fsImg);
    {
        Mount m({QStringLiteral("-o"), QStringLiteral("ro"), upper->path()},
                dir.file(QStringLiteral("mnt")));
        QVERIFY2(m.ok(), "mount failed");
        refused(src, lower->path(), QStringLiteral("mounted target"), upper->path());
        refused(src, fsImg, QStringLiteral("mounted target"), upper->path());
        QVERIFY(!checkTargetCandidate(src.toStdString(), lower->stdPath()));
    }
    QCOMPARE(fileState(fsImg), fsBefore);
    // Unmounted, the same target is accepted (its file system needs --force).
    const auto ok = checkTargetCandidate(src.toStdString(), lower->stdPath());
    QVERIFY2(ok, errorOf(ok).c_str());
}

// Found 9, second half: a block device another process writes (a VM, a
// running dd) is refused as a target, naming the process, also when the
// process writes through another name of the same bytes.
void TestTargetSafety::found9_targetOpenForWritingByAnotherProcess_refused()
{
    needRoot("attaches a loop device");
    ScratchDir dir;
    QString why;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeFilled(src, 16 * MiB, 93));
    const QString backing = dir.file(QStringLiteral("busy.img"));
    QVERIFY(makeFilled(backing, 32 * MiB, 94));
    auto loop = LoopDevice::attach(backing, &why);
    QVERIFY2(loop, qPrintable(why));
    const FileState before = fileState(backing);

    for (const QString& writes : {loop->path(), backing}) {
        Holder writer(writes, true);
        QVERIFY(writer.running());
        const QString pid = QStringLiteral("pid %1 ").arg(writer.pid());
        const auto r = cli({QStringLiteral("mirror"), src, loop->path(), QStringLiteral("--force"),
                            QStringLiteral("--complete-when-ready")});
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
        QVERIFY2(r.err.contains(QStringLiteral("(rule: target in use)")) && r.err.contains(pid),
                 qPrintable(show(r)));
        const auto check = checkTargetCandidate(src.toStdString(), loop->stdPath());
        QVERIFY2(!check && check.error().rule == Rule::TargetInUse &&
                     contains(check.error().message, "(rule: target in use)"),
                 errorOf(check).c_str());
        QCOMPARE(fileState(backing), before);
    }
    {
        // A reader is no reason to refuse.
        Holder reader(loop->path(), false);
        QVERIFY(reader.running());
        const auto check = checkTargetCandidate(src.toStdString(), loop->stdPath());
        QVERIFY2(check, errorOf(check).c_str());
    }
    // With the writer gone the device is accepted and written.
    const auto r = cli({QStringLiteral("mirror"), src, loop->path(), QStringLiteral("--force"),
                        QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY(cmpIdenticalPrefix(src, loop->path(), 16 * MiB));
}

// Found 10: whatever libblkid recognises is data that needs --force.
void TestTargetSafety::found10_everyFileSystemNeedsForce_data()
{
    QTest::addColumn<QString>("tool");
    QTest::addColumn<QString>("package");
    QTest::addColumn<QStringList>("args"); // DEV, DIR, IMG and KEY are replaced
    QTest::addColumn<int>("sizeMiB");
    QTest::addColumn<QString>("expect"); // in the signature's name
    auto row = [](const char* name, const char* tool, const char* package, QStringList args,
                  int size, const char* expect) {
        QTest::newRow(name) << QString::fromLatin1(tool) << QString::fromLatin1(package) << args
                            << size << QString::fromLatin1(expect);
    };
    const QString dev = QStringLiteral("DEV");
    row("ext4", "mkfs.ext4", "e2fsprogs", {QStringLiteral("-q"), QStringLiteral("-F"), dev}, 64,
        "ext2/3/4");
    row("xfs", "mkfs.xfs", "xfsprogs", {QStringLiteral("-q"), QStringLiteral("-f"), dev}, 320,
        "XFS");
    row("btrfs", "mkfs.btrfs", "btrfs-progs", {QStringLiteral("-q"), QStringLiteral("-f"), dev},
        128, "Btrfs");
    row("f2fs", "mkfs.f2fs", "f2fs-tools", {QStringLiteral("-q"), QStringLiteral("-f"), dev}, 128,
        "F2FS");
    row("vfat", "mkfs.vfat", "dosfstools", {dev}, 64, "FAT");
    row("exfat", "mkfs.exfat", "exfatprogs", {dev}, 64, "exFAT");
    row("ntfs", "mkfs.ntfs", "ntfs-3g",
        {QStringLiteral("-Q"), QStringLiteral("-F"), QStringLiteral("-q"), dev}, 64, "NTFS");
    row("swap", "mkswap", "util-linux", {dev}, 64, "swap");
    row("LUKS", "cryptsetup", "cryptsetup-bin",
        {QStringLiteral("luksFormat"), QStringLiteral("-q"), QStringLiteral("--type"),
         QStringLiteral("luks2"), QStringLiteral("--pbkdf"), QStringLiteral("pbkdf2"),
         QStringLiteral("--pbkdf-force-iterations"), QStringLiteral("1000"),
         QStringLiteral("--key-file"), QStringLiteral("KEY"), dev},
        64, "LUKS");
    row("squashfs", "mksquashfs", "squashfs-tools",
        {QStringLiteral("DIR"), QStringLiteral("IMG"), QStringLiteral("-noappend"),
         QStringLiteral("-quiet")},
        64, "SquashFS");
    row("iso9660", "xorriso", "xorriso",
        {QStringLiteral("-as"), QStringLiteral("mkisofs"), QStringLiteral("-quiet"),
         QStringLiteral("-o"), QStringLiteral("IMG"), QStringLiteral("DIR")},
        64, "ISO 9660");
}

void TestTargetSafety::found10_everyFileSystemNeedsForce()
{
    QFETCH(QString, tool);
    QFETCH(QString, package);
    QFETCH(QStringList, args);
    QFETCH(int, sizeMiB);
    QFETCH(QString, expect);
    needRoot("attaches a loop device");
    QVERIFY2(haveTool(tool),
             qPrintable(QStringLiteral("%1 is missing (apt-get install %2)").arg(tool, package)));
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeFilled(src, 16 * MiB, 101));
    const QString backing = dir.file(QStringLiteral("target.img"));
    QVERIFY(createSparse(backing, static_cast<std::uint64_t>(sizeMiB) * MiB));
    // Content for the image builders, a key for LUKS.
    const QString content = dir.file(QStringLiteral("content"));
    QVERIFY(QDir().mkpath(content));
    QVERIFY(makeFilled(content + QStringLiteral("/file.bin"), 256 * KiB, 102));
    const QString key = dir.file(QStringLiteral("key"));
    {
        QFile k(key);
        QVERIFY(k.open(QIODevice::WriteOnly));
        k.write("a test passphrase");
    }
    // squashfs and iso9660 are built as files and copied to the device's start.
    const QString built = dir.file(QStringLiteral("built.img"));
    const bool buildsFile = args.contains(QStringLiteral("IMG"));
    QString why, out;
    auto loop = LoopDevice::attach(backing, &why);
    QVERIFY2(loop, qPrintable(why));
    for (QString& a : args) {
        if (a == QStringLiteral("DEV"))
            a = loop->path();
        else if (a == QStringLiteral("DIR"))
            a = content;
        else if (a == QStringLiteral("IMG"))
            a = built;
        else if (a == QStringLiteral("KEY"))
            a = key;
    }
    QVERIFY2(run(tool, args, &out), qPrintable(tool + QStringLiteral(": ") + out));
    if (buildsFile)
        QVERIFY(run(QStringLiteral("dd"),
                    {QStringLiteral("if=") + built, QStringLiteral("of=") + loop->path(),
                     QStringLiteral("bs=1M"), QStringLiteral("conv=notrunc,fsync"),
                     QStringLiteral("status=none")},
                    &out));
    const QByteArray before = contentHash(loop->path());

    // What it holds, by name.
    auto r = cli({QStringLiteral("inspect"), loop->path(), QStringLiteral("--json")});
    const auto facts =
        QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("facts")).toObject();
    const QString signature = facts.value(QStringLiteral("data-signature")).toString();
    QVERIFY2(signature.contains(expect), qPrintable(show(r)));

    r = cli({QStringLiteral("mirror"), src, loop->path(), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("(rule: target holds data)")) &&
                 r.err.contains(expect) && r.err.contains(QStringLiteral("--force")),
             qPrintable(show(r)));
    QCOMPARE(contentHash(loop->path()), before);

    r = cli({QStringLiteral("mirror"), src, loop->path(), QStringLiteral("--force"),
             QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY2(cmpIdenticalPrefix(src, loop->path(), 16 * MiB), "the forced copy differs");
}

namespace {
enum class Place {
    MissingDevNode,
    InProc,
    InSys,
    Socket,
    Fifo,
    CharDevice,
    Directory,
    DanglingLink
};
}

// A rule's name is what messages, the man page and the helper's JSON show;
// reading it back gives the same rule, and a refusal names it at its end.
void TestTargetSafety::rules_namedAsMessagesNameThem()
{
    QCOMPARE(ruleFromName(""), Rule::None);
    QCOMPARE(ruleFromName("no such rule"), Rule::None);
    QVERIFY(ruleName(Rule::None).empty());
    for (int i = 1; i <= static_cast<int>(Rule::CompressedLiveTarget); ++i) {
        const auto rule = static_cast<Rule>(i);
        QVERIFY(!ruleName(rule).empty());
        QCOMPARE(ruleFromName(ruleName(rule)), rule);
    }
    QCOMPARE(ruleName(Rule::TargetHoldsData), std::string_view("target holds data"));
    const Error e = refusal(EBUSY, Rule::MountedTarget, "refusing /dev/x: mounted at /mnt",
                            "; unmount it first");
    QCOMPARE(e.message, std::string("refusing /dev/x: mounted at /mnt (rule: mounted target); "
                                    "unmount it first"));
    QCOMPARE(e.rule, Rule::MountedTarget);
    QCOMPARE(e.code, EBUSY);
    const Error wrapped = withContext("target: ", e);
    QCOMPARE(wrapped.rule, Rule::MountedTarget);
    QVERIFY(wrapped.message.starts_with("target: refusing"));
}

// Found 11: a mistyped device path and special files are no image targets.
void TestTargetSafety::found11_pathsThatAreNoPlaceForAnImage_refused_data()
{
    QTest::addColumn<int>("place");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<int>("ruleId");
    auto row = [](const char* name, Place p, const char* rule, Rule id) {
        QTest::newRow(name) << static_cast<int>(p) << QString::fromLatin1(rule)
                            << static_cast<int>(id);
    };
    row("mistyped /dev path", Place::MissingDevNode, "system directory", Rule::SystemDirectory);
    row("new file in /proc", Place::InProc, "system directory", Rule::SystemDirectory);
    row("new file in /sys", Place::InSys, "system directory", Rule::SystemDirectory);
    row("unix socket", Place::Socket, "not an image or disk", Rule::NotAnImageOrDisk);
    row("FIFO", Place::Fifo, "not an image or disk", Rule::NotAnImageOrDisk);
    row("character device", Place::CharDevice, "not an image or disk", Rule::NotAnImageOrDisk);
    row("directory", Place::Directory, "not an image or disk", Rule::NotAnImageOrDisk);
    row("dangling symlink", Place::DanglingLink, "not an image or disk", Rule::NotAnImageOrDisk);
}

void TestTargetSafety::found11_pathsThatAreNoPlaceForAnImage_refused()
{
    QFETCH(int, place);
    QFETCH(QString, rule);
    QFETCH(int, ruleId);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeFilled(src, 4 * MiB, 111));
    QString target;
    int sock = -1;
    auto closeSock = qScopeGuard([&] {
        if (sock >= 0)
            ::close(sock);
    });
    switch (static_cast<Place>(place)) {
    case Place::MissingDevNode:
        target = QStringLiteral("/dev/sdz-drivemirror-test-%1").arg(::getpid());
        QVERIFY(!QFileInfo::exists(target));
        break;
    case Place::InProc:
        target = QStringLiteral("/proc/drivemirror-test.img");
        break;
    case Place::InSys:
        target = QStringLiteral("/sys/kernel/drivemirror-test.img");
        break;
    case Place::Socket: {
        target = dir.file(QStringLiteral("sock"));
        sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        const QByteArray p = QFile::encodeName(target);
        QVERIFY(static_cast<std::size_t>(p.size()) < sizeof addr.sun_path);
        std::memcpy(addr.sun_path, p.constData(), static_cast<std::size_t>(p.size()));
        QCOMPARE(::bind(sock, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
        break;
    }
    case Place::Fifo:
        target = dir.file(QStringLiteral("fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(target).constData(), 0644), 0);
        break;
    case Place::CharDevice:
        target = QStringLiteral("/dev/null");
        break;
    case Place::Directory:
        target = dir.file(QStringLiteral("adir"));
        QVERIFY(QDir().mkpath(target));
        break;
    case Place::DanglingLink:
        target = dir.file(QStringLiteral("link.img"));
        QVERIFY(QFile::link(dir.file(QStringLiteral("nowhere/x.img")), target));
        break;
    }
    const FileState before = fileState(target);
    const QStringList entries = dirEntries(dir.path());

    const auto check = checkTargetCandidate(src.toStdString(), target.toStdString());
    QVERIFY2(!check && contains(check.error().message,
                                QStringLiteral("(rule: %1)").arg(rule).toStdString().c_str()),
             errorOf(check).c_str());
    // The rule travels as data, named as the message names it.
    QCOMPARE(static_cast<int>(check.error().rule), ruleId);
    QCOMPARE(QString::fromLatin1(ruleName(check.error().rule)), rule);
    QCOMPARE(ruleFromName(rule.toStdString()), check.error().rule);
    const auto r =
        cli({QStringLiteral("mirror"), src, target, QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("(rule: %1)").arg(rule)), qPrintable(show(r)));
    QVERIFY2(!r.out.contains(QStringLiteral("identical")), qPrintable(show(r)));
    const FileState after = fileState(target);
    QVERIFY2(
        after == before,
        qPrintable(
            QStringLiteral("%1 changed: %2 -> %3").arg(target, describe(before), describe(after))));
    QCOMPARE(dirEntries(dir.path()), entries);
}

// Build 3: an image target's identity is what the confirmation saw of it
// (device, inode, size; absent for a file the job creates), and a job bound
// to it goes ahead while the file is still that file: in the engine, and
// from `inspect --json` to `mirror --expect-id`.
void TestTargetSafety::build3_imageTargetIdentity_confirmedFileAccepted()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    const QString fresh = dir.file(QStringLiteral("fresh.img"));
    QVERIFY(makeFilled(src, 8 * MiB, 301));
    QVERIFY(makeFilled(dst, 8 * MiB, 302));
    const std::string s = src.toStdString();

    // The review reports the identity in the documented form.
    const TargetReview review = reviewTarget(s, dst.toStdString(), {});
    QVERIFY2(!review.refusal, review.refusal ? review.refusal->message.c_str() : "");
    QCOMPARE(QString::fromStdString(review.facts.identity), expectedFileId(dst));
    const TargetReview none = reviewTarget(s, fresh.toStdString(), {});
    QVERIFY2(!none.refusal, none.refusal ? none.refusal->message.c_str() : "");
    QCOMPARE(none.facts.identity, std::string(kAbsentTargetId));
    // ... and checks one it is given.
    QVERIFY(!reviewTarget(s, dst.toStdString(), review.facts.identity).refusal);
    QVERIFY(!reviewTarget(s, fresh.toStdString(), std::string(kAbsentTargetId)).refusal);
    const auto notAbsent = reviewTarget(s, dst.toStdString(), std::string(kAbsentTargetId));
    QVERIFY(notAbsent.refusal && notAbsent.refusal->rule == Rule::TargetIdentity &&
            contains(notAbsent.refusal->message, "(rule: target identity)"));

    // Something that looks like a file identity and is none binds to nothing.
    const FileState dstBefore = fileState(dst);
    for (const char* bad : {"file:", "file:8:1:12", "file:8:1:12:8388608:0", "file:a:b:c:d",
                            "file:-8:1:12:8388608", "file:8:1:12:8388608 "}) {
        JobSetup setup;
        setup.source = s;
        setup.target = dst.toStdString();
        setup.expectedTargetId = bad;
        const auto refused = prepareJob(setup, nullLogger());
        QVERIFY2(!refused, bad);
        QVERIFY2(contains(refused.error().message, "no image file identity") &&
                     refused.error().rule == Rule::TargetIdentity &&
                     contains(refused.error().message, "(rule: target identity)"),
                 refused.error().message.c_str());
    }
    QVERIFY(fileState(dst) == dstBefore);

    // Engine: bound to the confirmed file, the job copies into it ...
    {
        JobSetup setup;
        setup.source = s;
        setup.target = dst.toStdString();
        setup.expectedTargetId = review.facts.identity;
        auto prepared = prepareJob(setup, nullLogger());
        QVERIFY2(prepared, prepared ? "" : prepared.error().message.c_str());
        QVERIFY(!prepared->targetCreated);
        QVERIFY(completeJob(*prepared->job));
    }
    QVERIFY(cmpIdentical(src, dst));
    // ... and bound to its absence, it creates the file.
    {
        JobSetup setup;
        setup.source = s;
        setup.target = fresh.toStdString();
        setup.expectedTargetId = std::string(kAbsentTargetId);
        auto prepared = prepareJob(setup, nullLogger());
        QVERIFY2(prepared, prepared ? "" : prepared.error().message.c_str());
        QVERIFY(prepared->targetCreated);
        QVERIFY(completeJob(*prepared->job));
    }
    QVERIFY(cmpIdentical(src, fresh));

    // CLI: inspect names the identity, in JSON and in words, and mirror
    // --expect-id takes it.
    const QString cliTarget = dir.file(QStringLiteral("cli.img"));
    QVERIFY(makeFilled(cliTarget, 8 * MiB, 303));
    auto r = cli({QStringLiteral("inspect"), cliTarget, QStringLiteral("--source"), src,
                  QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QString id =
        QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("id")).toString();
    QCOMPARE(id, expectedFileId(cliTarget));
    r = cli({QStringLiteral("inspect"), cliTarget, QStringLiteral("--source"), src});
    QVERIFY2(r.exitCode == kExitOk && r.out.contains(QStringLiteral("identity:")) &&
                 r.out.contains(id),
             qPrintable(show(r)));
    r = cli({QStringLiteral("mirror"), src, cliTarget, QStringLiteral("--expect-id"), id,
             QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY(cmpIdentical(src, cliTarget));
    const QString cliNew = dir.file(QStringLiteral("cli-new.img"));
    r = cli({QStringLiteral("inspect"), cliNew, QStringLiteral("--source"), src,
             QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    id = QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("id")).toString();
    QCOMPARE(id, QStringLiteral("absent"));
    r = cli({QStringLiteral("mirror"), src, cliNew, QStringLiteral("--expect-id"), id,
             QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY(cmpIdentical(src, cliNew));

    // A disk's identity comes the same way: the stable one of `list --json`.
    if (!isRoot() || !QFileInfo::exists(QStringLiteral("/dev/loop-control")))
        return;
    QString why;
    auto loop = LoopDevice::attach(dst, &why);
    QVERIFY2(loop, qPrintable(why));
    const TargetReview disk = reviewTarget(s, loop->stdPath(), {});
    QVERIFY(disk.device);
    QCOMPARE(disk.facts.identity, disk.device->stableId());
    r = cli({QStringLiteral("inspect"), loop->path(), QStringLiteral("--json")});
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value(QStringLiteral("id")).toString(),
             o.value(QStringLiteral("device")).toObject().value(QStringLiteral("id")).toString());
    QCOMPARE(o.value(QStringLiteral("id")).toString(),
             QString::fromStdString(disk.device->stableId()));
}

void TestTargetSafety::build3_imageTargetChangedSinceConfirmed_refused_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("phase");
    for (const char* change : {"swapped", "truncated", "grown", "appeared", "removed"})
        for (const char* phase : {"engine, before preparing", "engine, while preparing", "cli"})
            QTest::addRow("%s, %s", change, phase)
                << QString::fromLatin1(change) << QString::fromLatin1(phase);
}

// Build 3: between the confirmation and the job's open, another file is put
// under the target's name, the file is truncated or grown, removed, or a file
// appears where a new one was to be created. The job refuses, naming the
// rule and what changed, and nothing there is written. "Before preparing"
// changes the file before prepareJob looks at the path; "while preparing"
// changes it after those checks, right before the target is opened, which
// only the check of the opened descriptor (or O_EXCL, for a new file) can
// catch; "cli" goes from `inspect --json` to `mirror --expect-id`.
void TestTargetSafety::build3_imageTargetChangedSinceConfirmed_refused()
{
    QFETCH(QString, change);
    QFETCH(QString, phase);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    // The confirmed file, where a swap or a removal moves it.
    const QString aside = dir.file(QStringLiteral("confirmed.img"));
    QVERIFY(makeFilled(src, 8 * MiB, 311));
    const bool appears = change == QLatin1String("appeared");
    if (!appears)
        QVERIFY(makeFilled(dst, 16 * MiB, 312)); // larger than the source: still a fit target
    const QByteArray srcBefore = contentHash(src);

    // What the user confirmed.
    QString id;
    if (phase == QLatin1String("cli")) {
        const auto r = cli({QStringLiteral("inspect"), dst, QStringLiteral("--source"), src,
                            QStringLiteral("--json")});
        QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
        id =
            QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("id")).toString();
    } else {
        const auto review = reviewTarget(src.toStdString(), dst.toStdString(), {});
        QVERIFY2(!review.refusal, review.refusal ? review.refusal->message.c_str() : "");
        id = QString::fromStdString(review.facts.identity);
    }
    QCOMPARE(id, appears ? QStringLiteral("absent") : expectedFileId(dst));
    const quint64 confirmedInode = inodeOf(dst);

    // What happens behind the user's back, the words that must name it, and
    // both places as they are right after it.
    QString expected;
    FileState atPath, atAside;
    bool changed = false;
    const auto changeIt = [&] {
        bool ok = true;
        if (change == QLatin1String("swapped")) {
            const QString other = dir.file(QStringLiteral("other.img"));
            ok = makeFilled(other, 16 * MiB, 313) && QFile::rename(dst, aside) &&
                 QFile::rename(other, dst);
            expected = QStringLiteral("it is another file now (inode %1, was %2)")
                           .arg(inodeOf(dst))
                           .arg(confirmedInode);
        } else if (change == QLatin1String("truncated")) {
            ok = ::truncate(QFile::encodeName(dst).constData(), 12 * MiB) == 0;
            expected = QStringLiteral("it was truncated from 16777216 to 12582912 bytes");
        } else if (change == QLatin1String("grown")) {
            ok = ::truncate(QFile::encodeName(dst).constData(), 20 * MiB) == 0;
            expected = QStringLiteral("it grew from 16777216 to 20971520 bytes");
        } else if (appears) {
            ok = makeFilled(dst, 16 * MiB, 314);
            expected = QStringLiteral("a file appeared at %1 since you confirmed it would be "
                                      "created")
                           .arg(dst);
        } else {
            ok = QFile::rename(dst, aside);
            expected = QStringLiteral("the image file you confirmed is gone");
        }
        atPath = fileState(dst);
        atAside = fileState(aside);
        changed = ok;
    };

    QString refusal;
    if (phase == QLatin1String("cli")) {
        changeIt();
        const auto r = cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--expect-id"), id,
                            QStringLiteral("--complete-when-ready")});
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
        refusal = r.err;
    } else {
        JobSetup setup;
        setup.source = src.toStdString();
        setup.target = dst.toStdString();
        setup.expectedTargetId = id.toStdString();
        // The source is opened after every check of the target's path and
        // before the target is created or opened: the change goes there.
        const bool whilePreparing = phase == QLatin1String("engine, while preparing");
        auto sink = std::make_shared<HookSink>("opened " + setup.source, changeIt);
        auto log = std::make_shared<spdlog::logger>("test", sink);
        log->set_level(spdlog::level::debug);
        if (!whilePreparing)
            changeIt();
        const auto prepared = prepareJob(setup, whilePreparing ? log : nullLogger());
        QCOMPARE(sink->fired(), whilePreparing);
        QVERIFY2(
            !prepared,
            qPrintable(QStringLiteral("prepareJob accepted %1 after it was %2").arg(dst, change)));
        refusal = QString::fromStdString(prepared.error().message);
    }
    QVERIFY2(changed, "the change behind the user's back failed");
    QVERIFY2(refusal.contains(QStringLiteral("(rule: target identity)")), qPrintable(refusal));
    QVERIFY2(refusal.contains(expected), qPrintable(expected + QStringLiteral(" | ") + refusal));

    // Nothing written: not what is under the name now, not the confirmed
    // file where it went, not the source.
    const FileState pathNow = fileState(dst);
    QVERIFY2(
        pathNow == atPath,
        qPrintable(
            QStringLiteral("%1 changed: %2 -> %3").arg(dst, describe(atPath), describe(pathNow))));
    const FileState asideNow = fileState(aside);
    QVERIFY2(asideNow == atAside,
             qPrintable(QStringLiteral("%1 changed: %2 -> %3")
                            .arg(aside, describe(atAside), describe(asideNow))));
    QCOMPARE(contentHash(src), srcBefore);
}

// What checkTargetCandidate costs here (the device list calls it per image
// row, the start path once): the median of 21 calls.
void TestTargetSafety::cost_checkTargetCandidate()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(createSparse(src, 16 * MiB));
    QVERIFY(createSparse(dst, 16 * MiB));
    auto median = [](const std::function<void()>& f) {
        std::vector<double> ms;
        for (int i = 0; i < 21; ++i) {
            QElapsedTimer t;
            t.start();
            f();
            ms.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        }
        std::sort(ms.begin(), ms.end());
        return ms[ms.size() / 2];
    };
    const double image =
        median([&] { QVERIFY(checkTargetCandidate(src.toStdString(), dst.toStdString())); });
    const double fresh = median([&] {
        QVERIFY(checkTargetCandidate(src.toStdString(), dir.stdFile(QStringLiteral("new.img"))));
    });
    qInfo("checkTargetCandidate median: existing image %.2f ms, new image %.2f ms", image, fresh);
    QVERIFY2(image < 500, "checkTargetCandidate is too slow for the device list");
    if (!isRoot() || !QFileInfo::exists(QStringLiteral("/dev/loop-control")))
        return;
    QString why;
    auto loop = LoopDevice::attach(dst, &why);
    QVERIFY2(loop, qPrintable(why));
    const double device =
        median([&] { QVERIFY(checkTargetCandidate(src.toStdString(), loop->stdPath())); });
    const double review =
        median([&] { (void)reviewTarget(src.toStdString(), loop->stdPath(), {}); });
    qInfo("checkTargetCandidate median: loop device %.2f ms; reviewTarget %.2f ms", device, review);
}

QTEST_GUILESS_MAIN(TestTargetSafety)
#include "tst_target_safety.moc"
