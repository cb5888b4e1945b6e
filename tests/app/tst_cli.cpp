// drivemirror-cli end to end: the real binary on real image files and (as
// root) real loop devices, checked with cmp, qemu-img compare and e2fsck.
//
// Covered: the three sync modes, sparse target creation, odd sizes, every
// refusal of bad input (exit 2, nothing touched), loop devices, the --json
// event stream, interactive stdin commands, cancel before and after READY,
// and the verify, info and demo commands.
#include "fault_fs.h"
#include "test_support.h"

#include <QCryptographicHash>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>
#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

using namespace testsupport;

namespace {

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = 1024 * kKiB;
constexpr int kExitOk = 0;
constexpr int kExitBadInput = 2;
constexpr int kExitAborted = 5;
constexpr int kExitDifferent = 6;
constexpr int kExitInternal = 1;
constexpr int kExitSkipped = 8;
// The mtime given to targets before a refused run, so that any write shows.
constexpr time_t kOldMtime = 978307200; // 2001-01-01

// One region of a test image: pseudo-random data, or zeroes written as data.
struct Extent
{
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    bool zero = false;
    std::uint64_t seed = 1;
};

bool makeImage(const QString& path, std::uint64_t size, const std::vector<Extent>& extents)
{
    if (!createSparse(path, size))
        return false;
    for (const auto& e : extents) {
        const bool ok = e.zero ? writeZeroData(path, e.offset, e.length)
                               : writePattern(path, e.offset, e.length, e.seed);
        if (!ok)
            return false;
    }
    return true;
}

// A whole image of pseudo-random data.
bool makeFilled(const QString& path, std::uint64_t size, std::uint64_t seed)
{
    return makeImage(path, size, {{0, size, false, seed}});
}

QByteArray readBytes(const QString& path, std::uint64_t offset, std::uint64_t length)
{
    QByteArray out;
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return out;
    out.resize(static_cast<qsizetype>(length));
    std::uint64_t done = 0;
    while (done < length) {
        const ssize_t n =
            ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
        if (n <= 0)
            break;
        done += static_cast<std::uint64_t>(n);
    }
    ::close(fd);
    out.resize(static_cast<qsizetype>(done));
    return out;
}

// SHA-1 of a file's or a block device's first @p length bytes (0: all).
QByteArray contentHash(const QString& path, std::uint64_t length = 0)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha1);
    std::vector<char> buf(1 << 20);
    std::uint64_t done = 0;
    for (;;) {
        std::size_t want = buf.size();
        if (length)
            want = static_cast<std::size_t>(std::min<std::uint64_t>(want, length - done));
        if (want == 0)
            break;
        const ssize_t n = ::read(fd, buf.data(), want);
        if (n <= 0)
            break;
        hash.addData(QByteArrayView(buf.data(), n));
        done += static_cast<std::uint64_t>(n);
    }
    ::close(fd);
    return hash.result();
}

// Everything a refused run must leave as it was.
struct FileState
{
    bool exists = false;
    mode_t mode = 0;
    off_t size = 0;
    time_t mtimeSec = 0;
    long mtimeNsec = 0;
    QByteArray hash;

    bool operator==(const FileState&) const = default;
};

FileState fileState(const QString& path)
{
    FileState s;
    struct stat st
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return s;
    s.exists = true;
    s.mode = st.st_mode;
    s.size = st.st_size;
    s.mtimeSec = st.st_mtim.tv_sec;
    s.mtimeNsec = st.st_mtim.tv_nsec;
    if (!S_ISLNK(st.st_mode))
        s.hash = contentHash(path);
    return s;
}

QString describe(const FileState& s)
{
    return s.exists ? QStringLiteral("mode %1 size %2 mtime %3.%4 sha1 %5")
                          .arg(s.mode, 0, 8)
                          .arg(s.size)
                          .arg(s.mtimeSec)
                          .arg(s.mtimeNsec)
                          .arg(QString::fromLatin1(s.hash.toHex()))
                    : QStringLiteral("absent");
}

bool setOldMtime(const QString& path)
{
    const timespec times[2] = {{kOldMtime, 0}, {kOldMtime, 0}};
    return ::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times, 0) == 0;
}

CommandResult cli(const QStringList& args, int timeoutMs = 60000)
{
    return runCommand(cliPath(), args, timeoutMs);
}

QString show(const CommandResult& r)
{
    return QStringLiteral("exit %1\n--- stdout:\n%2\n--- stderr:\n%3")
        .arg(r.exitCode)
        .arg(r.out.left(4000), r.err.left(4000));
}

// The CLI under a locale: LANGUAGE and LANG as given (empty: unset), every
// LC_* variable unset, so that Qt and the C library see only these.
CommandResult cliInLocale(const QString& language, const QString& lang, const QStringList& args,
                          int timeoutMs = 60000)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys())
        if (key.startsWith(QLatin1String("LC_")))
            env.remove(key);
    env.remove(QStringLiteral("LANGUAGE"));
    env.remove(QStringLiteral("LANG"));
    if (!language.isEmpty())
        env.insert(QStringLiteral("LANGUAGE"), language);
    if (!lang.isEmpty())
        env.insert(QStringLiteral("LANG"), lang);
    return runCommandIn(env, cliPath(), args, timeoutMs);
}

// The structure of a --json run: each event name (or "return") with the
// keys of its data, in order; progress events, whose number depends on
// timing, only once.
QStringList jsonStructure(const QList<QJsonObject>& objects)
{
    QStringList out;
    for (const QJsonObject& o : objects) {
        QString line;
        if (o.contains(QStringLiteral("event"))) {
            QStringList keys = o.value(QStringLiteral("data")).toObject().keys();
            keys.sort();
            line = o.value(QStringLiteral("event")).toString() + QStringLiteral(": ") +
                   keys.join(QLatin1Char(' ')) + QStringLiteral(" / ") +
                   QStringList(o.keys()).join(QLatin1Char(' '));
        } else {
            line = QStringList(o.keys()).join(QLatin1Char(' '));
        }
        if (line.startsWith(QLatin1String("BLOCK_JOB_PROGRESS")) && out.contains(line))
            continue;
        out << line;
    }
    return out;
}

// stderr holds exactly one line, the CLI's error message.
bool isOneLineError(const QString& err)
{
    const QString t = err.trimmed();
    return !t.isEmpty() && !t.contains(QLatin1Char('\n')) &&
           t.startsWith(QStringLiteral("drivemirror-cli: ")) && err.endsWith(QLatin1Char('\n'));
}

struct JsonLines
{
    QList<QJsonObject> objects;
    QStringList bad; ///< lines that are not one JSON object each
};

JsonLines parseJsonLines(const QString& out)
{
    JsonLines r;
    for (const QString& line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        QJsonParseError err{};
        const auto doc = QJsonDocument::fromJson(line.toUtf8(), &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject())
            r.bad << line;
        else
            r.objects << doc.object();
    }
    return r;
}

bool isEvent(const QJsonObject& o, const QString& name)
{
    return o.value(QStringLiteral("event")).toString() == name;
}

bool isStatusChange(const QJsonObject& o, const QString& status)
{
    return isEvent(o, QStringLiteral("JOB_STATUS_CHANGE")) &&
           o.value(QStringLiteral("data")).toObject().value(QStringLiteral("status")).toString() ==
               status;
}

bool isReply(const QJsonObject& o)
{
    return !o.contains(QStringLiteral("event")) &&
           (o.contains(QStringLiteral("return")) || o.contains(QStringLiteral("error")));
}

QList<QJsonObject> eventsNamed(const QList<QJsonObject>& all, const QString& name)
{
    QList<QJsonObject> out;
    for (const auto& o : all)
        if (isEvent(o, name))
            out << o;
    return out;
}

QStringList statusSequence(const QList<QJsonObject>& all)
{
    QStringList out;
    for (const auto& o : eventsNamed(all, QStringLiteral("JOB_STATUS_CHANGE")))
        out << o.value(QStringLiteral("data"))
                   .toObject()
                   .value(QStringLiteral("status"))
                   .toString();
    return out;
}

// The last line that is an event (replies and status lines excluded).
QJsonObject lastEvent(const QList<QJsonObject>& all)
{
    for (auto it = all.crbegin(); it != all.crend(); ++it)
        if (it->contains(QStringLiteral("event")))
            return *it;
    return {};
}

qint64 dataInt(const QJsonObject& event, const char* key)
{
    return event.value(QStringLiteral("data")).toObject().value(QLatin1String(key)).toInteger(-1);
}

// The job is dismissed (null) before it reports its end, so every status
// list closes with concluded, null.
QStringList withoutTrailingNull(QStringList statuses)
{
    if (statuses.isEmpty() || statuses.last() != QStringLiteral("null"))
        return statuses << QStringLiteral("(no null)");
    statuses.removeLast();
    return statuses;
}

bool differencesContain(const QJsonArray& differences, qint64 offset)
{
    for (const auto& v : differences) {
        const auto d = v.toObject();
        const qint64 off = d.value(QStringLiteral("offset")).toInteger(-1);
        const qint64 len = d.value(QStringLiteral("length")).toInteger(-1);
        if (off >= 0 && len > 0 && off <= offset && offset < off + len)
            return true;
    }
    return false;
}

// A running drivemirror-cli with its stdin open for commands and its stdout
// parsed into JSON lines as they arrive.
class CliSession
{
public:
    ~CliSession()
    {
        if (m_proc.state() != QProcess::NotRunning) {
            m_proc.kill();
            m_proc.waitForFinished(10000);
        }
    }

    bool start(const QStringList& args)
    {
        m_proc.setProgram(cliPath());
        m_proc.setArguments(args);
        m_proc.start();
        return m_proc.waitForStarted(10000);
    }

    void closeStdin() { m_proc.closeWriteChannel(); }
    void setEnvironment(const QProcessEnvironment& env) { m_proc.setProcessEnvironment(env); }

    void send(const QByteArray& line)
    {
        m_proc.write(line + '\n');
        m_proc.waitForBytesWritten(5000);
    }

    /// Writes bytes as they are, reading stdout meanwhile so that neither
    /// side blocks on a full pipe.
    void sendRaw(const QByteArray& bytes)
    {
        m_proc.write(bytes);
        while (m_proc.bytesToWrite() > 0 && m_proc.state() == QProcess::Running) {
            m_proc.waitForBytesWritten(100);
            pump();
        }
    }

    /// Sends a command and returns the reply line it produced.
    std::optional<QJsonObject> command(const QByteArray& line, int timeoutMs = 10000)
    {
        pump();
        const int from = static_cast<int>(m_lines.size());
        send(line);
        const int i = waitFor(isReply, timeoutMs, from);
        return i < 0 ? std::nullopt : std::optional<QJsonObject>(m_lines[i]);
    }

    /// What the `status` command returned (the object with "status").
    std::optional<QJsonObject> status()
    {
        pump();
        const int from = static_cast<int>(m_lines.size());
        send("status");
        const int i = waitFor(
            [](const QJsonObject& o) {
                return o.value(QStringLiteral("return"))
                    .toObject()
                    .contains(QStringLiteral("status"));
            },
            10000, from);
        return i < 0 ? std::nullopt
                     : std::optional<QJsonObject>(
                           m_lines[i].value(QStringLiteral("return")).toObject());
    }

    /// Index of the first line at or after @p from that satisfies @p pred;
    /// -1 when the time ran out or the program ended without printing one.
    int waitFor(const std::function<bool(const QJsonObject&)>& pred, int timeoutMs, int from = 0)
    {
        QDeadlineTimer deadline(timeoutMs);
        int i = from;
        for (;;) {
            pump();
            for (; i < m_lines.size(); ++i)
                if (pred(m_lines[i]))
                    return i;
            if (deadline.hasExpired() || m_proc.state() == QProcess::NotRunning)
                return -1;
            m_proc.waitForReadyRead(
                static_cast<int>(std::clamp<qint64>(deadline.remainingTime(), 1, 100)));
        }
    }

    int waitForEvent(const QString& name, int timeoutMs, int from = 0)
    {
        return waitFor([&](const QJsonObject& o) { return isEvent(o, name); }, timeoutMs, from);
    }

    int waitForStatus(const QString& status, int timeoutMs, int from = 0)
    {
        return waitFor([&](const QJsonObject& o) { return isStatusChange(o, status); }, timeoutMs,
                       from);
    }

    /// Exit code, -2 on timeout (the program is killed), -3 on a crash.
    int finish(int timeoutMs)
    {
        if (!m_proc.waitForFinished(timeoutMs)) {
            m_proc.kill();
            m_proc.waitForFinished(10000);
            pump();
            return -2;
        }
        pump();
        return m_proc.exitStatus() == QProcess::NormalExit ? m_proc.exitCode() : -3;
    }

    qint64 pid() const { return m_proc.processId(); }
    const QList<QJsonObject>& lines() const { return m_lines; }
    const QStringList& badLines() const { return m_bad; }
    QString transcript() const
    {
        return QStringLiteral("--- stdout:\n%1\n--- stderr:\n%2")
            .arg(QString::fromUtf8(m_out.right(6000)), QString::fromLocal8Bit(m_err.right(4000)));
    }

private:
    void pump()
    {
        const QByteArray chunk = m_proc.readAllStandardOutput();
        m_out += chunk;
        m_pending += chunk;
        m_err += m_proc.readAllStandardError();
        qsizetype nl;
        while ((nl = m_pending.indexOf('\n')) >= 0) {
            const QByteArray line = m_pending.left(nl);
            m_pending.remove(0, nl + 1);
            if (line.trimmed().isEmpty())
                continue;
            QJsonParseError err{};
            const auto doc = QJsonDocument::fromJson(line, &err);
            if (err.error != QJsonParseError::NoError || !doc.isObject())
                m_bad << QString::fromUtf8(line);
            else
                m_lines << doc.object();
        }
    }

    QProcess m_proc;
    QByteArray m_out;
    QByteArray m_err;
    QByteArray m_pending;
    QList<QJsonObject> m_lines;
    QStringList m_bad;
};

// Mounts a block device for the lifetime of the object.
class Mount
{
public:
    Mount(const QString& device, const QString& dir) : m_dir(dir)
    {
        m_ok = runCommand(QStringLiteral("mount"), {device, dir}).exitCode == 0;
    }
    ~Mount() { unmount(); }
    bool ok() const { return m_ok; }
    bool unmount()
    {
        if (!m_ok)
            return true;
        m_ok = runCommand(QStringLiteral("umount"), {m_dir}).exitCode != 0;
        return !m_ok;
    }

private:
    QString m_dir;
    bool m_ok = false;
};

bool haveTool(const QString& name)
{
    return !QStandardPaths::findExecutable(name).isEmpty() ||
           QFileInfo::exists(QStringLiteral("/usr/sbin/") + name) ||
           QFileInfo::exists(QStringLiteral("/sbin/") + name);
}

QStringList dirEntries(const QString& dir)
{
    return QDir(dir).entryList(
        QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // Sync modes on image files.
    void mirror_syncFull_targetIdentical_data();
    void mirror_syncFull_targetIdentical();
    void mirror_syncTop_copiesExtentsLeavesHoles();
    void mirror_syncNone_copiesNothing_data();
    void mirror_syncNone_copiesNothing();

    // Target creation and sparseness.
    void mirror_missingTarget_createdSparseAndIdentical_data();
    void mirror_missingTarget_createdSparseAndIdentical();
    void mirror_noUnmap_identicalAndAllocated();

    // Sizes that are not a multiple of the granularity or of 512.
    void mirror_oddSize_identical_data();
    void mirror_oddSize_identical();

    // Refusals: exit 2, one line on stderr, nothing touched.
    void badInput_existingTarget_untouched_data();
    void badInput_existingTarget_untouched();
    void badInput_missingTarget_notCreated_data();
    void badInput_missingTarget_notCreated();
    void badInput_mountedLoopTarget_refused();
    void badInput_loopBackedBySource_refused();
    void loopTarget_holdingExt4_needsForce();

    // Loop devices on both sides.
    void mirror_loopToLoop_data();
    void mirror_loopToLoop();
    void mirror_loopToNewFile_createdAndIdentical();
    void badInput_loopTargetTooSmall_refused();

    // --json, stdin commands, cancel.
    void json_eventSequence_data();
    void json_eventSequence();
    void json_statusSequence_sameOnEveryRun();
    void interactive_pauseResumeSpeedComplete();
    void cancel_beforeReady_exit5_data();
    void cancel_beforeReady_exit5();
    void interactive_statusRightAfterStart_reportsLength();
    void cancel_afterReady_consistentCopy_data();
    void cancel_afterReady_consistentCopy();

    // verify, info, demo and the rest of the command line.
    void verify_identical_exit0_data();
    void verify_identical_exit0();
    void verify_flippedByte_exit6WithRange();
    void verify_badInput_exit2();
    void info_json_reportsFileLayout();
    void commandLine_versionHelpUnknown();
    void demo_imagesIdentical();

    // What the desktop app's helper process relies on.
    void helper_jobStartedFirst_outcomeLast();
    void helper_refusalIsOneJsonError();
    void helper_stdinClosed_cancels();
    void helper_createdTarget_belongsToInvokingUser();
    void inspect_imageTarget();
    void inspect_loopTarget_identityAndPartitions();

    // Languages: the text a person reads follows the locale, what programs
    // read does not.
    void locale_help_followsLanguage_data();
    void locale_help_followsLanguage();
    void locale_errorsAndInfo_german();
    void locale_info_japanese();
    void locale_mirrorText_german();
    void locale_json_sameStructureInEveryLocale();
    void locale_stdinCommands_englishInEveryLocale();
    void locale_qtCore_everyThreadBlocksCancelSignals();

    // QEMU's buffer semantics, garbage on stdin, larger targets, cancel.
    void mirror_bufSizeBelowGranule_roundedUp_data();
    void mirror_bufSizeBelowGranule_roundedUp();
    void stdin_garbage_repliedAndHarmless();
    void wipeRest_largerTarget_data();
    void wipeRest_largerTarget();
    void cancel_quickOnImage_notAPowerCut();
    void cancel_liveSource_consistentOrPowerCut_data();
    void cancel_liveSource_consistentOrPowerCut();
    void expectId_empty_refused();
    void signals_cancelInsteadOfKilling_data();
    void signals_cancelInsteadOfKilling();
    void completedText_identicalOnlyWhenCopiedWhole_data();
    void completedText_identicalOnlyWhenCopiedWhole();
    void stdin_commandsBeforeReady_heldUntilItMakesSense_data();
    void stdin_commandsBeforeReady_heldUntilItMakesSense();
    void stdin_replies_qmpShapedWithIdExtraWordsRefused();
    void options_strict_refusedAndNothingCreated_data();
    void options_strict_refusedAndNothingCreated();
    void internalFailure_exit1_createdTargetRemoved();
    void targetErrorIgnored_exit8_saysWhatWasSkipped();
    void sourceErrorIgnored_exit8_zeroedRangeNamed();
    void badInput_targetOneByteSmaller_sizesInBytes();

private:
    QString bigSource(); ///< 256 MiB of data, made once, for the throttled runs
    std::unique_ptr<ScratchDir> m_shared;
    QString m_bigSource;
};

void TestCli::initTestCase()
{
    const QString path = cliPath();
    QVERIFY2(!path.isEmpty(), "DRIVEMIRROR_CLI is not set (ctest sets it)");
    QVERIFY2(QFileInfo(path).isExecutable(), qPrintable(path + " is not an executable"));
    QVERIFY2(haveTool(QStringLiteral("cmp")), "cmp is missing (apt-get install diffutils)");
    QVERIFY2(haveTool(QStringLiteral("qemu-img")),
             "qemu-img is missing (apt-get install qemu-utils)");
    m_shared = std::make_unique<ScratchDir>();
    QVERIFY(m_shared->isValid());
    // Every check outside the locale_ tests reads the CLI's English: the
    // processes this suite starts inherit the C locale, whatever language
    // the environment that runs ctest speaks.
    qputenv("LC_ALL", "C");
    qputenv("LANG", "C");
    qputenv("LANGUAGE", "");
}

QString TestCli::bigSource()
{
    if (m_bigSource.isEmpty()) {
        const QString p = m_shared->file(QStringLiteral("big-source.img"));
        if (makeFilled(p, 256 * kMiB, 4242))
            m_bigSource = p;
    }
    return m_bigSource;
}

// ---------------------------------------------------------------------------
// Sync modes

void TestCli::mirror_syncFull_targetIdentical_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addColumn<quint64>("targetSize");
    QTest::newRow("default granularity") << QStringList{} << quint64(32 * kMiB);
    QTest::newRow("granularity 512")
        << QStringList{QStringLiteral("--granularity"), QStringLiteral("512")}
        << quint64(32 * kMiB);
    QTest::newRow("granularity 1M, buf-size 2M")
        << QStringList{QStringLiteral("--granularity"), QStringLiteral("1M"),
                       QStringLiteral("--buf-size"), QStringLiteral("2M")}
        << quint64(32 * kMiB);
    QTest::newRow("larger target") << QStringList{} << quint64(48 * kMiB);
    QTest::newRow("with --verify") << QStringList{QStringLiteral("--verify")} << quint64(32 * kMiB);
}

void TestCli::mirror_syncFull_targetIdentical()
{
    QFETCH(QStringList, extra);
    QFETCH(quint64, targetSize);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    const std::uint64_t size = 32 * kMiB;
    // Data, holes and zeroes written as data; the target holds other data
    // everywhere, so every byte of it must be replaced.
    QVERIFY(makeImage(src, size,
                      {{0, 1 * kMiB, false, 1},
                       {3 * kMiB, 5 * kMiB, false, 2},
                       {12 * kMiB, 2 * kMiB, true},
                       {20 * kMiB + 4 * kKiB, 300 * kKiB, false, 3},
                       {31 * kMiB, 1 * kMiB, false, 4}}));
    QVERIFY(makeFilled(dst, targetSize, 99));
    const QByteArray beyond = readBytes(dst, size, targetSize - size);

    const auto r = cli(QStringList{QStringLiteral("mirror"), src, dst, QStringLiteral("--sync"),
                                   QStringLiteral("full"), QStringLiteral("--complete-when-ready")}
                       << extra);
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QCOMPARE(fileSize(dst), targetSize);
    if (targetSize == size) {
        QVERIFY2(cmpIdentical(src, dst), "cmp: target differs from source");
        const auto q = qemuImgIdentical(src, dst);
        QVERIFY2(q.has_value(), "qemu-img compare could not run");
        QVERIFY2(*q, "qemu-img compare: target differs from source");
    } else {
        QVERIFY2(cmpIdenticalPrefix(src, dst, size), "cmp -n: target differs over source size");
        QVERIFY2(readBytes(dst, size, targetSize - size) == beyond,
                 "bytes past the source's end were changed");
    }
    if (extra.contains(QStringLiteral("--verify")))
        QVERIFY2(r.err.contains(QStringLiteral("identical")), qPrintable(show(r)));
}

void TestCli::mirror_syncTop_copiesExtentsLeavesHoles()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    const std::uint64_t size = 32 * kMiB;
    const std::vector<Extent> extents = {{1 * kMiB, 2 * kMiB, false, 1},
                                         {10 * kMiB, 64 * kKiB, false, 2},
                                         {20 * kMiB, 4 * kMiB, true},
                                         {28 * kMiB, 128 * kKiB, false, 3}};
    QVERIFY(makeImage(src, size, extents));
    QVERIFY(makeFilled(dst, size, 77));
    const QByteArray before = readBytes(dst, 0, size);
    QCOMPARE(static_cast<std::uint64_t>(before.size()), size);

    const auto r =
        cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--sync"), QStringLiteral("top"),
             QStringLiteral("--json"), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QByteArray after = readBytes(dst, 0, size);
    QCOMPARE(static_cast<std::uint64_t>(after.size()), size);

    // Allocated extents (the zeroes written as data included) are copied.
    std::uint64_t allocated = 0;
    for (const auto& e : extents) {
        const auto o = static_cast<qsizetype>(e.offset);
        const auto n = static_cast<qsizetype>(e.length);
        QVERIFY2(after.mid(o, n) == readBytes(src, e.offset, e.length),
                 qPrintable(QStringLiteral("extent at %1 not copied").arg(e.offset)));
        allocated += e.length;
    }
    // Holes of the source keep what the target had there.
    std::uint64_t pos = 0;
    for (const auto& e : extents) {
        const auto o = static_cast<qsizetype>(pos);
        const auto n = static_cast<qsizetype>(e.offset - pos);
        QVERIFY2(after.mid(o, n) == before.mid(o, n),
                 qPrintable(QStringLiteral("hole [%1, %2) of the source was written on the target")
                                .arg(pos)
                                .arg(e.offset)));
        pos = e.offset + e.length;
    }
    QVERIFY2(after.mid(static_cast<qsizetype>(pos)) == before.mid(static_cast<qsizetype>(pos)),
             "the hole at the end of the source was written on the target");

    const auto json = parseJsonLines(r.out);
    QVERIFY2(json.bad.isEmpty(), qPrintable(json.bad.join(QLatin1Char('\n'))));
    const QJsonObject done = lastEvent(json.objects);
    QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
    QCOMPARE(dataInt(done, "offset"), static_cast<qint64>(allocated));
    QCOMPARE(dataInt(done, "len"), static_cast<qint64>(allocated));
}

void TestCli::mirror_syncNone_copiesNothing_data()
{
    QTest::addColumn<QString>("whenReady");
    QTest::addColumn<QString>("finalEvent");
    QTest::newRow("cancel when ready")
        << QStringLiteral("--cancel-when-ready") << QStringLiteral("BLOCK_JOB_CANCELLED");
    QTest::newRow("complete when ready")
        << QStringLiteral("--complete-when-ready") << QStringLiteral("BLOCK_JOB_COMPLETED");
}

void TestCli::mirror_syncNone_copiesNothing()
{
    QFETCH(QString, whenReady);
    QFETCH(QString, finalEvent);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeImage(src, 16 * kMiB, {{0, 8 * kMiB, false, 5}, {12 * kMiB, 1 * kMiB, true}}));
    QVERIFY(makeFilled(dst, 16 * kMiB, 6));
    const QByteArray before = contentHash(dst);

    const auto r = cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--sync"),
                        QStringLiteral("none"), QStringLiteral("--json"), whenReady});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY2(contentHash(dst) == before, "sync none changed the target");
    const auto json = parseJsonLines(r.out);
    QVERIFY2(json.bad.isEmpty(), qPrintable(json.bad.join(QLatin1Char('\n'))));
    QVERIFY2(!eventsNamed(json.objects, QStringLiteral("BLOCK_JOB_READY")).isEmpty(),
             qPrintable(show(r)));
    const QJsonObject done = lastEvent(json.objects);
    QVERIFY2(isEvent(done, finalEvent), qPrintable(show(r)));
    QCOMPARE(dataInt(done, "offset"), qint64(0));
    QVERIFY2(!done.value(QStringLiteral("data")).toObject().contains(QStringLiteral("error")),
             qPrintable(show(r)));
}

// ---------------------------------------------------------------------------
// Target creation

void TestCli::mirror_missingTarget_createdSparseAndIdentical_data()
{
    QTest::addColumn<QString>("sync");
    QTest::newRow("full") << QStringLiteral("full");
    QTest::newRow("top") << QStringLiteral("top");
}

void TestCli::mirror_missingTarget_createdSparseAndIdentical()
{
    QFETCH(QString, sync);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("new.img"));
    const std::uint64_t size = 64 * kMiB;
    // About 90% holes; of the rest, a third is zeroes written as data.
    const std::uint64_t patternBytes = 4 * kMiB + 512 * kKiB;
    QVERIFY(makeImage(src, size,
                      {{4 * kMiB, 4 * kMiB, false, 11},
                       {16 * kMiB, 2 * kMiB, true},
                       {40 * kMiB, 512 * kKiB, false, 12},
                       {50 * kMiB, 512 * kKiB, true}}));
    QVERIFY(!QFileInfo::exists(dst));

    const auto r = cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--sync"), sync,
                        QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY(QFileInfo(dst).isFile());
    QCOMPARE(fileSize(dst), size);
    QVERIFY2(cmpIdentical(src, dst), "cmp: target differs from source");
    const auto q = qemuImgIdentical(src, dst);
    QVERIFY2(q.has_value() && *q, "qemu-img compare: target differs from source");

    const std::uint64_t srcAlloc = allocatedBytes(src);
    const std::uint64_t dstAlloc = allocatedBytes(dst);
    const QString alloc = QStringLiteral("source allocates %1 bytes, target %2 bytes of %3")
                              .arg(srcAlloc)
                              .arg(dstAlloc)
                              .arg(size);
    // Holes and zero data both stay unallocated on the target.
    QVERIFY2(dstAlloc <= patternBytes + 1 * kMiB, qPrintable(alloc));
    QVERIFY2(dstAlloc < srcAlloc, qPrintable(alloc));
}

void TestCli::mirror_noUnmap_identicalAndAllocated()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("new.img"));
    const std::uint64_t size = 32 * kMiB;
    QVERIFY(makeImage(src, size, {{2 * kMiB, 2 * kMiB, false, 21}, {10 * kMiB, 1 * kMiB, true}}));
    QVERIFY(makeFilled(dst, size, 22)); // old data in the holes must turn into zeroes

    const auto r = cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--no-unmap"),
                        QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY2(cmpIdentical(src, dst), "cmp: target differs from source");
    const auto q = qemuImgIdentical(src, dst);
    QVERIFY2(q.has_value() && *q, "qemu-img compare: target differs from source");
    // --help: "write zeroes instead of discarding (target fully allocated)".
    QVERIFY2(allocatedBytes(dst) >= size,
             qPrintable(QStringLiteral("--no-unmap left the target with %1 of %2 bytes allocated")
                            .arg(allocatedBytes(dst))
                            .arg(size)));
}

// ---------------------------------------------------------------------------
// Odd sizes

void TestCli::mirror_oddSize_identical_data()
{
    QTest::addColumn<quint64>("size");
    QTest::addColumn<QString>("layout"); // data, head-data, tail-zero
    QTest::addColumn<bool>("targetExists");
    QTest::addColumn<QString>("granularity");
    const quint64 odd = 10 * kMiB + 1234;
    QTest::newRow("10M+1234 data, new target") << odd << "data" << false << QString();
    QTest::newRow("10M+1234 data, old target") << odd << "data" << true << QString();
    QTest::newRow("10M+1234 data, granularity 4K") << odd << "data" << true << "4K";
    QTest::newRow("10M+1234 data, granularity 512") << odd << "data" << true << "512";
    QTest::newRow("10M+1234 hole at the tail") << odd << "head-data" << true << QString();
    QTest::newRow("10M+1234 zero data at the tail") << odd << "tail-zero" << true << QString();
    QTest::newRow("5M+1536 granularity 1M") << quint64(5 * kMiB + 1536) << "data" << true << "1M";
    QTest::newRow("1234 bytes, new target") << quint64(1234) << "data" << false << QString();
    QTest::newRow("1234 bytes, old target") << quint64(1234) << "data" << true << QString();
}

void TestCli::mirror_oddSize_identical()
{
    QFETCH(quint64, size);
    QFETCH(QString, layout);
    QFETCH(bool, targetExists);
    QFETCH(QString, granularity);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    std::vector<Extent> extents;
    if (layout == QStringLiteral("data"))
        extents = {{0, size, false, 31}};
    else if (layout == QStringLiteral("head-data"))
        extents = {{0, 1 * kMiB, false, 32}};
    else
        extents = {{0, size - 70 * kKiB, false, 33}, {size - 70 * kKiB, 70 * kKiB, true}};
    QVERIFY(makeImage(src, size, extents));
    QCOMPARE(fileSize(src), size);
    if (targetExists)
        QVERIFY(makeFilled(dst, size, 34));

    QStringList args{QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                     QStringLiteral("--complete-when-ready")};
    if (!granularity.isEmpty())
        args << QStringLiteral("--granularity") << granularity;
    const auto r = cli(args);
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QCOMPARE(fileSize(dst), size);
    QVERIFY2(cmpIdentical(src, dst), "cmp: target differs from source");
    const auto q = qemuImgIdentical(src, dst);
    QVERIFY2(q.has_value() && *q, "qemu-img compare: target differs from source");

    const auto json = parseJsonLines(r.out);
    QVERIFY2(json.bad.isEmpty(), qPrintable(json.bad.join(QLatin1Char('\n'))));
    const QJsonObject done = lastEvent(json.objects);
    QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
    QCOMPARE(dataInt(done, "offset"), static_cast<qint64>(size));
    QCOMPARE(dataInt(done, "len"), static_cast<qint64>(size));
}

// ---------------------------------------------------------------------------
// Refusals

namespace {
enum class Bad {
    MissingSource,
    TargetSmaller,
    SameFile,
    SameViaSymlink,
    SameViaHardlink,
    GranularityNotPowerOfTwo,
    GranularityTooSmall,
    GranularityTooLarge,
    GranularityZero,
    UnknownSync,
    UnknownSourcePolicy,
    UnknownTargetPolicy,
    NegativeSpeed,
    GarbageSpeed,
    ReadOnlyTarget,
    CompleteAndCancel,
    MissingOperand,
    UnknownOption,
    MaxFreezeTooShort,
    MaxFreezeNotANumber,
    TargetNotAnImage,
};
} // namespace

void TestCli::badInput_existingTarget_untouched_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expect"); // a part of the message, case-insensitive
    auto row = [](const char* name, Bad kind, const char* expect) {
        QTest::newRow(name) << static_cast<int>(kind) << QString::fromLatin1(expect);
    };
    row("missing source", Bad::MissingSource, "source");
    row("target smaller than source", Bad::TargetSmaller, "smaller");
    row("same file", Bad::SameFile, "rule: source is target");
    row("same file through a symlink", Bad::SameViaSymlink, "rule: source is target");
    row("same file through a hard link", Bad::SameViaHardlink, "rule: source is target");
    row("granularity 3000", Bad::GranularityNotPowerOfTwo, "power of two");
    row("granularity 256", Bad::GranularityTooSmall, "granularity");
    row("granularity 128M", Bad::GranularityTooLarge, "granularity");
    row("granularity 0", Bad::GranularityZero, "granularity");
    row("unknown sync mode", Bad::UnknownSync, "sync mode");
    row("unknown source error policy", Bad::UnknownSourcePolicy, "policy");
    row("unknown target error policy", Bad::UnknownTargetPolicy, "policy");
    row("negative speed", Bad::NegativeSpeed, "negative");
    row("speed not a number", Bad::GarbageSpeed, "--speed");
    row("read-only target", Bad::ReadOnlyTarget, "read-only");
    row("complete and cancel when ready", Bad::CompleteAndCancel, "exclude");
    row("one operand", Bad::MissingOperand, "SOURCE and TARGET");
    row("unknown option", Bad::UnknownOption, "option");
    row("max freeze 0.05 s", Bad::MaxFreezeTooShort, "--max-freeze");
    row("max freeze not a number", Bad::MaxFreezeNotANumber, "--max-freeze");
    row("target is a directory", Bad::TargetNotAnImage, "not a regular file");
}

void TestCli::badInput_existingTarget_untouched()
{
    QFETCH(int, kind);
    QFETCH(QString, expect);
    const auto bad = static_cast<Bad>(kind);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QString dst = dir.file(QStringLiteral("dst.img"));
    const std::uint64_t size = 16 * kMiB;
    QVERIFY(makeImage(src, size, {{0, 4 * kMiB, false, 41}, {8 * kMiB, 4 * kMiB, false, 42}}));
    QVERIFY(makeFilled(dst, bad == Bad::TargetSmaller ? 8 * kMiB : size, 43));

    QStringList args{QStringLiteral("mirror"), src, dst};
    QStringList extra{QStringLiteral("--complete-when-ready")};
    switch (bad) {
    case Bad::MissingSource:
        args[1] = dir.file(QStringLiteral("no-such-source.img"));
        break;
    case Bad::TargetSmaller:
        break;
    case Bad::SameFile:
        args[2] = src;
        break;
    case Bad::SameViaSymlink:
        QVERIFY(QFile::link(src, dir.file(QStringLiteral("link.img"))));
        args[2] = dir.file(QStringLiteral("link.img"));
        break;
    case Bad::SameViaHardlink:
        QCOMPARE(::link(QFile::encodeName(src).constData(),
                        QFile::encodeName(dir.file(QStringLiteral("hard.img"))).constData()),
                 0);
        args[2] = dir.file(QStringLiteral("hard.img"));
        break;
    case Bad::GranularityNotPowerOfTwo:
        extra << QStringLiteral("--granularity") << QStringLiteral("3000");
        break;
    case Bad::GranularityTooSmall:
        extra << QStringLiteral("--granularity") << QStringLiteral("256");
        break;
    case Bad::GranularityTooLarge:
        extra << QStringLiteral("--granularity") << QStringLiteral("128M");
        break;
    case Bad::GranularityZero:
        extra << QStringLiteral("--granularity") << QStringLiteral("0");
        break;
    case Bad::UnknownSync:
        extra << QStringLiteral("--sync") << QStringLiteral("incremental");
        break;
    case Bad::UnknownSourcePolicy:
        extra << QStringLiteral("--on-source-error") << QStringLiteral("retry");
        break;
    case Bad::UnknownTargetPolicy:
        extra << QStringLiteral("--on-target-error") << QStringLiteral("panic");
        break;
    case Bad::NegativeSpeed:
        extra << QStringLiteral("--speed") << QStringLiteral("-1M");
        break;
    case Bad::GarbageSpeed:
        extra << QStringLiteral("--speed") << QStringLiteral("fast");
        break;
    case Bad::ReadOnlyTarget:
        QVERIFY(QFile::setPermissions(dst, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        break;
    case Bad::CompleteAndCancel:
        extra << QStringLiteral("--cancel-when-ready");
        break;
    case Bad::MissingOperand:
        args.removeLast();
        break;
    case Bad::UnknownOption:
        extra << QStringLiteral("--turbo");
        break;
    case Bad::MaxFreezeTooShort:
        extra << QStringLiteral("--max-freeze") << QStringLiteral("0.05");
        break;
    case Bad::MaxFreezeNotANumber:
        extra << QStringLiteral("--max-freeze") << QStringLiteral("10s");
        break;
    case Bad::TargetNotAnImage:
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("adir")));
        args[2] = dir.file(QStringLiteral("adir"));
        break;
    }
    QVERIFY(setOldMtime(src));
    QVERIFY(setOldMtime(dst));
    const FileState srcBefore = fileState(src);
    const FileState dstBefore = fileState(dst);
    const QStringList entriesBefore = dirEntries(dir.path());

    const auto r = cli(args + extra);
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
    QVERIFY2(r.err.contains(expect, Qt::CaseInsensitive),
             qPrintable(QStringLiteral("expected '%1' in the message\n").arg(expect) + show(r)));
    QVERIFY2(r.out.isEmpty(), qPrintable(show(r)));

    const FileState dstAfter = fileState(dst);
    QVERIFY2(dstAfter == dstBefore, qPrintable(QStringLiteral("target changed: before %1, after %2")
                                                   .arg(describe(dstBefore), describe(dstAfter))));
    QVERIFY2(fileState(src) == srcBefore, "the source changed");
    QCOMPARE(dirEntries(dir.path()), entriesBefore);
}

void TestCli::badInput_missingTarget_notCreated_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("expect");
    auto row = [](const char* name, Bad kind, const char* expect) {
        QTest::newRow(name) << static_cast<int>(kind) << QString::fromLatin1(expect);
    };
    row("missing source", Bad::MissingSource, "source");
    row("granularity 3000", Bad::GranularityNotPowerOfTwo, "power of two");
    row("granularity 128M", Bad::GranularityTooLarge, "granularity");
    row("unknown sync mode", Bad::UnknownSync, "sync mode");
    row("negative speed", Bad::NegativeSpeed, "negative");
    row("complete and cancel when ready", Bad::CompleteAndCancel, "exclude");
    // Checked only once the disks are open: the file must not stay behind.
    row("max freeze 0.05 s", Bad::MaxFreezeTooShort, "--max-freeze");
    row("target in a missing directory", Bad::TargetNotAnImage, "target");
}

void TestCli::badInput_missingTarget_notCreated()
{
    QFETCH(int, kind);
    QFETCH(QString, expect);
    const auto bad = static_cast<Bad>(kind);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QString dst = dir.file(QStringLiteral("new.img"));
    QVERIFY(makeImage(src, 16 * kMiB, {{0, 4 * kMiB, false, 51}}));

    QStringList extra{QStringLiteral("--complete-when-ready")};
    QString source = src;
    switch (bad) {
    case Bad::MissingSource:
        source = dir.file(QStringLiteral("no-such-source.img"));
        break;
    case Bad::GranularityNotPowerOfTwo:
        extra << QStringLiteral("--granularity") << QStringLiteral("3000");
        break;
    case Bad::GranularityTooLarge:
        extra << QStringLiteral("--granularity") << QStringLiteral("128M");
        break;
    case Bad::UnknownSync:
        extra << QStringLiteral("--sync") << QStringLiteral("incremental");
        break;
    case Bad::NegativeSpeed:
        extra << QStringLiteral("--speed") << QStringLiteral("-5");
        break;
    case Bad::CompleteAndCancel:
        extra << QStringLiteral("--cancel-when-ready");
        break;
    case Bad::MaxFreezeTooShort:
        extra << QStringLiteral("--max-freeze") << QStringLiteral("0.05");
        break;
    case Bad::TargetNotAnImage:
        dst = dir.file(QStringLiteral("no-such-dir/new.img"));
        break;
    default:
        QFAIL("row not handled");
    }
    const QStringList entriesBefore = dirEntries(dir.path());

    const auto r = cli(QStringList{QStringLiteral("mirror"), source, dst} + extra);
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
    QVERIFY2(r.err.contains(expect, Qt::CaseInsensitive),
             qPrintable(QStringLiteral("expected '%1' in the message\n").arg(expect) + show(r)));
    QVERIFY2(!fileState(dst).exists, qPrintable(dst + " was left behind\n" + show(r)));
    QCOMPARE(dirEntries(dir.path()), entriesBefore);
}

void TestCli::badInput_mountedLoopTarget_refused()
{
    if (!isRoot())
        QSKIP("needs root: attaches a loop device and mounts a file system on it");
    QVERIFY2(haveTool(QStringLiteral("mkfs.ext4")), "mkfs.ext4 is missing (e2fsprogs)");
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString backing = dir.file(QStringLiteral("fs.img"));
    const QString mnt = dir.file(QStringLiteral("mnt"));
    QVERIFY(makeFilled(src, 16 * kMiB, 61));
    QVERIFY(createSparse(backing, 64 * kMiB));
    QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("mnt")));
    QString why;
    auto loop = LoopDevice::attach(backing, &why);
    QVERIFY2(loop, qPrintable(why));
    const auto mk = runCommand(QStringLiteral("mkfs.ext4"),
                               {QStringLiteral("-q"), QStringLiteral("-F"), loop->path()});
    QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));

    const QByteArray payload = readBytes(src, 0, 1 * kMiB);
    {
        Mount m(loop->path(), mnt);
        QVERIFY2(m.ok(), "mount failed");
        {
            QFile f(mnt + QStringLiteral("/payload.bin"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            QCOMPARE(f.write(payload), payload.size());
        }
        QCOMPARE(runCommand(QStringLiteral("sync"), {}).exitCode, 0);

        for (const bool force : {false, true}) {
            QStringList args{QStringLiteral("mirror"), src, loop->path(),
                             QStringLiteral("--complete-when-ready")};
            if (force)
                args << QStringLiteral("--force");
            const auto r = cli(args);
            QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
            QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
            QVERIFY2(r.err.contains(QStringLiteral("rule: mounted target")), qPrintable(show(r)));
            QVERIFY2(r.err.contains(mnt), qPrintable(show(r)));
        }

        // info names the mount point.
        const auto info = cli({QStringLiteral("info"), loop->path(), QStringLiteral("--json")});
        QVERIFY2(info.exitCode == kExitOk, qPrintable(show(info)));
        const auto doc = QJsonDocument::fromJson(info.out.toUtf8()).object();
        QCOMPARE(doc.value(QStringLiteral("kind")).toString(), QStringLiteral("block-device"));
        QCOMPARE(doc.value(QStringLiteral("size")).toInteger(), qint64(64 * kMiB));
        const auto points = doc.value(QStringLiteral("mount-points")).toArray();
        QVERIFY2(points.contains(QJsonValue(mnt)), qPrintable(info.out));

        QVERIFY2(m.unmount(), "umount failed");
    }
    const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), loop->path()});
    QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
    Mount again(loop->path(), mnt);
    QVERIFY2(again.ok(), "the file system no longer mounts");
    QFile f(mnt + QStringLiteral("/payload.bin"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY2(f.readAll() == payload, "a file on the mounted target changed");
}

void TestCli::badInput_loopBackedBySource_refused()
{
    if (!isRoot())
        QSKIP("needs root: attaches a loop device");
    ScratchDir dir;
    const QString file = dir.file(QStringLiteral("disk.img"));
    const QString other = dir.file(QStringLiteral("other.img"));
    QVERIFY(makeFilled(file, 16 * kMiB, 71));
    QVERIFY(makeFilled(other, 16 * kMiB, 72));
    QString why;
    auto loop = LoopDevice::attach(file, &why);
    QVERIFY2(loop, qPrintable(why));
    QVERIFY(setOldMtime(file));
    const FileState before = fileState(file);

    // The loop device as target of its own backing file, and the other way round.
    for (const auto& pair : {std::pair{file, loop->path()}, std::pair{loop->path(), file}}) {
        const auto r = cli({QStringLiteral("mirror"), pair.first, pair.second,
                            QStringLiteral("--force"), QStringLiteral("--complete-when-ready")});
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
        QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
        QVERIFY2(r.err.contains(QStringLiteral("rule: source is target")), qPrintable(show(r)));
        const FileState after = fileState(file);
        QVERIFY2(after == before, qPrintable(QStringLiteral("backing file changed: %1 -> %2")
                                                 .arg(describe(before), describe(after))));
    }
    // The same device twice.
    const auto r = cli({QStringLiteral("mirror"), loop->path(), loop->path(),
                        QStringLiteral("--force"), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("rule: source is target")), qPrintable(show(r)));
    QVERIFY(fileState(file) == before);
}

void TestCli::loopTarget_holdingExt4_needsForce()
{
    if (!isRoot())
        QSKIP("needs root: attaches a loop device");
    QVERIFY2(haveTool(QStringLiteral("mkfs.ext4")), "mkfs.ext4 is missing (e2fsprogs)");
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString backing = dir.file(QStringLiteral("fs.img"));
    const std::uint64_t size = 32 * kMiB;
    QVERIFY(makeImage(src, size, {{0, 8 * kMiB, false, 81}, {20 * kMiB, 4 * kMiB, false, 82}}));
    QVERIFY(createSparse(backing, 64 * kMiB));
    QString why;
    auto loop = LoopDevice::attach(backing, &why);
    QVERIFY2(loop, qPrintable(why));
    const auto mk = runCommand(QStringLiteral("mkfs.ext4"),
                               {QStringLiteral("-q"), QStringLiteral("-F"), loop->path()});
    QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
    const QByteArray before = contentHash(loop->path());

    const auto refused =
        cli({QStringLiteral("mirror"), src, loop->path(), QStringLiteral("--complete-when-ready")});
    QVERIFY2(refused.exitCode == kExitBadInput, qPrintable(show(refused)));
    QVERIFY2(isOneLineError(refused.err), qPrintable(show(refused)));
    QVERIFY2(refused.err.contains(QStringLiteral("rule: target holds data")),
             qPrintable(show(refused)));
    QVERIFY2(refused.err.contains(QStringLiteral("ext2/3/4")), qPrintable(show(refused)));
    QVERIFY2(refused.err.contains(QStringLiteral("--force")), qPrintable(show(refused)));
    QVERIFY2(contentHash(loop->path()) == before, "the refused run changed the device");
    const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), loop->path()});
    QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));

    const auto forced = cli({QStringLiteral("mirror"), src, loop->path(), QStringLiteral("--force"),
                             QStringLiteral("--complete-when-ready")});
    QVERIFY2(forced.exitCode == kExitOk, qPrintable(show(forced)));
    QVERIFY2(cmpIdenticalPrefix(src, loop->path(), size),
             "cmp -n: the device differs from the source");
}

// ---------------------------------------------------------------------------
// Loop devices

void TestCli::mirror_loopToLoop_data()
{
    QTest::addColumn<QString>("sync");
    QTest::newRow("full") << QStringLiteral("full");
    QTest::newRow("top") << QStringLiteral("top");
    QTest::newRow("none") << QStringLiteral("none");
}

void TestCli::mirror_loopToLoop()
{
    QFETCH(QString, sync);
    if (!isRoot())
        QSKIP("needs root: attaches loop devices");
    ScratchDir dir;
    const QString srcFile = dir.file(QStringLiteral("src.img"));
    const QString dstFile = dir.file(QStringLiteral("dst.img"));
    const std::uint64_t size = 32 * kMiB;
    QVERIFY(makeImage(srcFile, size,
                      {{0, 3 * kMiB, false, 91},
                       {8 * kMiB, 5 * kMiB, false, 92},
                       {16 * kMiB, 1 * kMiB, true},
                       {30 * kMiB, 2 * kMiB, false, 93}}));
    // A larger target full of other data, without a signature at its start.
    QVERIFY(makeFilled(dstFile, 40 * kMiB, 94));
    QVERIFY(writeZeroData(dstFile, 0, 8 * kKiB));
    QString why;
    auto srcDev = LoopDevice::attach(srcFile, &why);
    QVERIFY2(srcDev, qPrintable(why));
    auto dstDev = LoopDevice::attach(dstFile, &why);
    QVERIFY2(dstDev, qPrintable(why));
    const QByteArray before = contentHash(dstDev->path());
    const QByteArray srcBefore = contentHash(srcDev->path());

    const auto r =
        cli({QStringLiteral("mirror"), srcDev->path(), dstDev->path(), QStringLiteral("--sync"),
             sync, QStringLiteral("--json"), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    if (sync == QStringLiteral("none")) {
        QVERIFY2(contentHash(dstDev->path()) == before, "sync none changed the target device");
    } else {
        QVERIFY2(cmpIdenticalPrefix(srcDev->path(), dstDev->path(), size),
                 "cmp -n: the target device differs from the source device");
        QVERIFY2(cmpIdenticalPrefix(srcFile, dstFile, size),
                 "cmp -n: the target's backing file differs from the source's");
    }
    QVERIFY2(contentHash(srcDev->path()) == srcBefore, "the source device changed");
    const auto json = parseJsonLines(r.out);
    const QJsonObject done = lastEvent(json.objects);
    QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
    QCOMPARE(done.value(QStringLiteral("data")).toObject().value(QStringLiteral("device")),
             QJsonValue(dstDev->path()));
}

void TestCli::mirror_loopToNewFile_createdAndIdentical()
{
    if (!isRoot())
        QSKIP("needs root: attaches a loop device");
    ScratchDir dir;
    const QString srcFile = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("copy.img"));
    const std::uint64_t size = 24 * kMiB;
    QVERIFY(makeImage(srcFile, size, {{2 * kMiB, 4 * kMiB, false, 95}, {20 * kMiB, kMiB, true}}));
    QString why;
    auto srcDev = LoopDevice::attach(srcFile, &why);
    QVERIFY2(srcDev, qPrintable(why));

    const auto r = cli(
        {QStringLiteral("mirror"), srcDev->path(), dst, QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QCOMPARE(fileSize(dst), size);
    QVERIFY2(cmpIdentical(srcDev->path(), dst), "cmp: the new file differs from the device");
    // Zeroes read from the device are not stored: the new file stays sparse.
    QVERIFY2(allocatedBytes(dst) <= 5 * kMiB,
             qPrintable(QStringLiteral("%1 bytes allocated").arg(allocatedBytes(dst))));
}

void TestCli::badInput_loopTargetTooSmall_refused()
{
    if (!isRoot())
        QSKIP("needs root: attaches a loop device");
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString backing = dir.file(QStringLiteral("small.img"));
    QVERIFY(makeFilled(src, 32 * kMiB, 96));
    QVERIFY(makeFilled(backing, 16 * kMiB, 97));
    QVERIFY(writeZeroData(backing, 0, 8 * kKiB));
    QString why;
    auto loop = LoopDevice::attach(backing, &why);
    QVERIFY2(loop, qPrintable(why));
    const QByteArray before = contentHash(loop->path());

    const auto r =
        cli({QStringLiteral("mirror"), src, loop->path(), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("smaller")), qPrintable(show(r)));
    QVERIFY2(contentHash(loop->path()) == before, "the refused run changed the device");
}

// ---------------------------------------------------------------------------
// --json, stdin commands, cancel

void TestCli::json_eventSequence_data()
{
    QTest::addColumn<bool>("verify");
    QTest::newRow("complete") << false;
    QTest::newRow("complete with --verify") << true;
}

void TestCli::json_eventSequence()
{
    QFETCH(bool, verify);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    const std::uint64_t size = 32 * kMiB;
    QVERIFY(makeImage(src, size, {{0, 6 * kMiB, false, 101}, {16 * kMiB, 2 * kMiB, true}}));

    QStringList args{QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                     QStringLiteral("--complete-when-ready")};
    if (verify)
        args << QStringLiteral("--verify");
    const auto r = cli(args);
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY2(cmpIdentical(src, dst), "cmp: target differs from source");

    const auto json = parseJsonLines(r.out);
    QVERIFY2(json.bad.isEmpty(),
             qPrintable(QStringLiteral("not JSON: ") + json.bad.join(QLatin1Char('\n'))));
    QVERIFY(!json.objects.isEmpty());
    for (const auto& o : json.objects) {
        if (isReply(o))
            continue; // the reply to the automatic complete
        const QString line = QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
        QVERIFY2(o.value(QStringLiteral("event")).isString(), qPrintable(line));
        QVERIFY2(o.value(QStringLiteral("data")).isObject(), qPrintable(line));
        const auto ts = o.value(QStringLiteral("timestamp")).toObject();
        QVERIFY2(ts.value(QStringLiteral("seconds")).toInteger() > 1600000000, qPrintable(line));
        const qint64 us = ts.value(QStringLiteral("microseconds")).toInteger(-1);
        QVERIFY2(us >= 0 && us < 1000000, qPrintable(line));
    }

    const QStringList statuses = withoutTrailingNull(statusSequence(json.objects));
    QCOMPARE(statuses, (QStringList{QStringLiteral("running"), QStringLiteral("ready"),
                                    QStringLiteral("waiting"), QStringLiteral("pending"),
                                    QStringLiteral("concluded")}));
    for (const auto& o : eventsNamed(json.objects, QStringLiteral("JOB_STATUS_CHANGE")))
        QCOMPARE(o.value(QStringLiteral("data")).toObject().value(QStringLiteral("id")),
                 QJsonValue(dst));

    const auto ready = eventsNamed(json.objects, QStringLiteral("BLOCK_JOB_READY"));
    QCOMPARE(ready.size(), 1);
    const auto readyData = ready.first().value(QStringLiteral("data")).toObject();
    QCOMPARE(readyData.value(QStringLiteral("device")), QJsonValue(dst));
    QCOMPARE(readyData.value(QStringLiteral("type")), QJsonValue(QStringLiteral("mirror")));
    QCOMPARE(dataInt(ready.first(), "offset"), static_cast<qint64>(size));
    QCOMPARE(dataInt(ready.first(), "len"), static_cast<qint64>(size));

    const auto completed = eventsNamed(json.objects, QStringLiteral("BLOCK_JOB_COMPLETED"));
    QCOMPARE(completed.size(), 1);
    QVERIFY(eventsNamed(json.objects, QStringLiteral("BLOCK_JOB_CANCELLED")).isEmpty());
    const QJsonObject done = lastEvent(json.objects);
    QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
    const auto d = done.value(QStringLiteral("data")).toObject();
    QVERIFY2(!d.contains(QStringLiteral("error")), qPrintable(show(r)));
    QCOMPARE(d.value(QStringLiteral("device")), QJsonValue(dst));
    QCOMPARE(d.value(QStringLiteral("type")), QJsonValue(QStringLiteral("mirror")));
    QCOMPARE(dataInt(done, "offset"), static_cast<qint64>(size));
    QCOMPARE(dataInt(done, "len"), static_cast<qint64>(size));
    QCOMPARE(dataInt(done, "speed"), qint64(0));
    const qint64 zeroed = dataInt(done, "zeroed");
    QVERIFY2(zeroed >= qint64(size - 6 * kMiB) && zeroed <= qint64(size), qPrintable(show(r)));
    QVERIFY(d.value(QStringLiteral("elapsed")).isDouble());
    QVERIFY(d.value(QStringLiteral("quiesce-seconds")).isDouble());
    if (verify) {
        const auto v = d.value(QStringLiteral("verify")).toObject();
        QCOMPARE(v.value(QStringLiteral("identical")), QJsonValue(true));
        QCOMPARE(v.value(QStringLiteral("compared")).toInteger() +
                     v.value(QStringLiteral("skipped-holes")).toInteger(),
                 static_cast<qint64>(size));
        QVERIFY(v.value(QStringLiteral("differences")).toArray().isEmpty());
    } else {
        QVERIFY(!d.contains(QStringLiteral("verify")));
    }
    // The READY event comes before the end, and nothing follows the end.
    const auto idxReady = json.objects.indexOf(ready.first());
    const auto idxDone = json.objects.indexOf(completed.first());
    QVERIFY(idxReady < idxDone);
    QCOMPARE(idxDone, json.objects.size() - 1);
}

void TestCli::json_statusSequence_sameOnEveryRun()
{
    // The same job on the same idle images must report the same status
    // changes every time; the closing "null" must not depend on timing.
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeImage(src, 4 * kMiB, {{0, 1 * kMiB, false, 105}}));
    QMap<QString, int> seen;
    for (int run = 0; run < 40; ++run) {
        QFile::remove(dst);
        const auto r = cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                            QStringLiteral("--complete-when-ready")});
        QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
        ++seen[statusSequence(parseJsonLines(r.out).objects).join(QLatin1Char(' '))];
    }
    QStringList summary;
    for (auto it = seen.cbegin(); it != seen.cend(); ++it)
        summary << QStringLiteral("%1 x [%2]").arg(it.value()).arg(it.key());
    QVERIFY2(seen.size() == 1,
             qPrintable(QStringLiteral("different status sequences over 40 runs: ") +
                        summary.join(QStringLiteral("; "))));
}

void TestCli::interactive_pauseResumeSpeedComplete()
{
    const QString src = bigSource();
    QVERIFY2(!src.isEmpty(), "cannot write the 256 MiB source image");
    ScratchDir dir;
    const QString dst = dir.file(QStringLiteral("dst.img"));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                     QStringLiteral("--speed"), QStringLiteral("20M")}));
    QVERIFY2(s.waitForStatus(QStringLiteral("running"), 20000) >= 0, qPrintable(s.transcript()));

    // A progress event carries the limit.
    const int progress = s.waitForEvent(QStringLiteral("BLOCK_JOB_PROGRESS"), 5000);
    QVERIFY2(progress >= 0, qPrintable(s.transcript()));
    QCOMPARE(dataInt(s.lines()[progress], "speed"), qint64(20 * kMiB));
    QCOMPARE(dataInt(s.lines()[progress], "len"), qint64(256 * kMiB));

    // So does status, with the job's size.
    auto st = s.status();
    QVERIFY2(st, qPrintable(s.transcript()));
    QCOMPARE(st->value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QCOMPARE(st->value(QStringLiteral("speed")).toInteger(), qint64(20 * kMiB));
    QCOMPARE(st->value(QStringLiteral("len")).toInteger(), qint64(256 * kMiB));
    QVERIFY(st->contains(QStringLiteral("dirty")));

    // (complete before READY is held until READY:
    // stdin_commandsBeforeReady_heldUntilItMakesSense.)
    int from = static_cast<int>(s.lines().size());
    auto reply = s.command("pause");
    QVERIFY2(reply, qPrintable(s.transcript()));
    QCOMPARE(reply->value(QStringLiteral("return")), QJsonValue(QJsonObject()));
    QVERIFY2(s.waitForStatus(QStringLiteral("paused"), 5000, from) >= 0,
             qPrintable(s.transcript()));

    // Paused: nothing more is copied.
    QThread::msleep(300);
    st = s.status();
    QVERIFY(st);
    QCOMPARE(st->value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
    const qint64 pausedAt = st->value(QStringLiteral("offset")).toInteger(-1);
    QVERIFY2(pausedAt >= 0 && pausedAt < qint64(256 * kMiB), qPrintable(s.transcript()));
    QThread::msleep(700);
    st = s.status();
    QVERIFY(st);
    QCOMPARE(st->value(QStringLiteral("offset")).toInteger(-1), pausedAt);

    reply = s.command("pause"); // not allowed while paused
    QVERIFY2(reply && reply->contains(QStringLiteral("error")), qPrintable(s.transcript()));

    from = static_cast<int>(s.lines().size());
    reply = s.command("resume");
    QVERIFY2(reply, qPrintable(s.transcript()));
    QCOMPARE(reply->value(QStringLiteral("return")), QJsonValue(QJsonObject()));
    QVERIFY2(s.waitForStatus(QStringLiteral("running"), 5000, from) >= 0,
             qPrintable(s.transcript()));

    reply = s.command("bogus");
    QVERIFY2(reply, qPrintable(s.transcript()));
    const auto err = reply->value(QStringLiteral("error")).toObject();
    QCOMPARE(err.value(QStringLiteral("class")).toString(), QStringLiteral("GenericError"));
    QVERIFY2(err.value(QStringLiteral("desc")).toString().contains(QStringLiteral("bogus")),
             qPrintable(s.transcript()));

    reply = s.command("speed -3M");
    QVERIFY2(reply && reply->contains(QStringLiteral("error")), qPrintable(s.transcript()));

    reply = s.command("speed 0");
    QVERIFY2(reply, qPrintable(s.transcript()));
    QCOMPARE(reply->value(QStringLiteral("return")), QJsonValue(QJsonObject()));

    const int ready = s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 60000);
    QVERIFY2(ready >= 0, qPrintable(s.transcript()));
    QCOMPARE(dataInt(s.lines()[ready], "speed"), qint64(0));

    reply = s.command("complete");
    QVERIFY2(reply, qPrintable(s.transcript()));
    QCOMPARE(reply->value(QStringLiteral("return")), QJsonValue(QJsonObject()));
    const int done = s.waitForEvent(QStringLiteral("BLOCK_JOB_COMPLETED"), 30000, ready);
    QVERIFY2(done >= 0, qPrintable(s.transcript()));
    QVERIFY2(
        !s.lines()[done].value(QStringLiteral("data")).toObject().contains(QStringLiteral("error")),
        qPrintable(s.transcript()));
    QCOMPARE(s.finish(30000), kExitOk);
    QVERIFY2(s.badLines().isEmpty(), qPrintable(s.badLines().join(QLatin1Char('\n'))));
    QVERIFY2(eventsNamed(s.lines(), QStringLiteral("BLOCK_JOB_CANCELLED")).isEmpty(),
             qPrintable(s.transcript()));
    QVERIFY2(cmpIdentical(src, dst), "cmp: target differs from source");
}

void TestCli::cancel_beforeReady_exit5_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("cancel on stdin") << QStringLiteral("stdin");
    QTest::newRow("SIGINT") << QStringLiteral("SIGINT");
    QTest::newRow("SIGTERM") << QStringLiteral("SIGTERM");
}

void TestCli::cancel_beforeReady_exit5()
{
    QFETCH(QString, how);
    const QString src = bigSource();
    QVERIFY2(!src.isEmpty(), "cannot write the 256 MiB source image");
    ScratchDir dir;
    const QString dst = dir.file(QStringLiteral("dst.img"));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                     QStringLiteral("--speed"), QStringLiteral("5M")}));
    QVERIFY2(s.waitForStatus(QStringLiteral("running"), 20000) >= 0, qPrintable(s.transcript()));
    // The first progress event comes a second in: the copy is under way.
    const int progress = s.waitForEvent(QStringLiteral("BLOCK_JOB_PROGRESS"), 5000);
    QVERIFY2(progress >= 0, qPrintable(s.transcript()));
    QVERIFY(dataInt(s.lines()[progress], "offset") < qint64(256 * kMiB));

    if (how == QStringLiteral("stdin")) {
        const auto reply = s.command("cancel");
        QVERIFY2(reply, qPrintable(s.transcript()));
        QCOMPARE(reply->value(QStringLiteral("return")), QJsonValue(QJsonObject()));
    } else {
        QCOMPARE(
            ::kill(static_cast<pid_t>(s.pid()), how == QStringLiteral("SIGINT") ? SIGINT : SIGTERM),
            0);
    }
    const int cancelled = s.waitForEvent(QStringLiteral("BLOCK_JOB_CANCELLED"), 20000);
    QVERIFY2(cancelled >= 0, qPrintable(s.transcript()));
    QCOMPARE(s.finish(20000), kExitAborted);

    const auto d = s.lines()[cancelled].value(QStringLiteral("data")).toObject();
    QVERIFY2(d.value(QStringLiteral("error")).toString().contains(QStringLiteral("before READY")),
             qPrintable(s.transcript()));
    QVERIFY2(dataInt(s.lines()[cancelled], "offset") < qint64(256 * kMiB),
             qPrintable(s.transcript()));
    QVERIFY(eventsNamed(s.lines(), QStringLiteral("BLOCK_JOB_READY")).isEmpty());
    QVERIFY(eventsNamed(s.lines(), QStringLiteral("BLOCK_JOB_COMPLETED")).isEmpty());
    QCOMPARE(withoutTrailingNull(statusSequence(s.lines())),
             (QStringList{QStringLiteral("running"), QStringLiteral("aborting"),
                          QStringLiteral("concluded")}));
    QVERIFY2(s.badLines().isEmpty(), qPrintable(s.badLines().join(QLatin1Char('\n'))));
}

void TestCli::cancel_afterReady_consistentCopy_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("--cancel-when-ready") << QStringLiteral("option");
    QTest::newRow("cancel on stdin at READY") << QStringLiteral("stdin");
    QTest::newRow("SIGINT at READY") << QStringLiteral("SIGINT");
}

void TestCli::cancel_afterReady_consistentCopy()
{
    QFETCH(QString, how);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeImage(src, 32 * kMiB, {{0, 10 * kMiB, false, 111}, {20 * kMiB, 1 * kMiB, true}}));
    QVERIFY(makeFilled(dst, 32 * kMiB, 112));

    QStringList args{QStringLiteral("mirror"), src, dst, QStringLiteral("--json")};
    if (how == QStringLiteral("option"))
        args << QStringLiteral("--cancel-when-ready");
    CliSession s;
    QVERIFY(s.start(args));
    const int ready = s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000);
    QVERIFY2(ready >= 0, qPrintable(s.transcript()));
    if (how == QStringLiteral("stdin")) {
        const auto reply = s.command("cancel");
        QVERIFY2(reply, qPrintable(s.transcript()));
        QCOMPARE(reply->value(QStringLiteral("return")), QJsonValue(QJsonObject()));
    } else if (how == QStringLiteral("SIGINT")) {
        QCOMPARE(::kill(static_cast<pid_t>(s.pid()), SIGINT), 0);
    }
    const int cancelled = s.waitForEvent(QStringLiteral("BLOCK_JOB_CANCELLED"), 30000, ready);
    QVERIFY2(cancelled >= 0, qPrintable(s.transcript()));
    QCOMPARE(s.finish(30000), kExitOk);
    QVERIFY2(s.badLines().isEmpty(), qPrintable(s.badLines().join(QLatin1Char('\n'))));
    QVERIFY2(cmpIdentical(src, dst), "cmp: an idle source's copy differs after cancel at READY");

    QCOMPARE(eventsNamed(s.lines(), QStringLiteral("BLOCK_JOB_READY")).size(), 1);
    QVERIFY(eventsNamed(s.lines(), QStringLiteral("BLOCK_JOB_COMPLETED")).isEmpty());
    const QJsonObject done = lastEvent(s.lines());
    QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_CANCELLED")), qPrintable(s.transcript()));
    QVERIFY2(!done.value(QStringLiteral("data")).toObject().contains(QStringLiteral("error")),
             qPrintable(s.transcript()));
    QCOMPARE(dataInt(done, "offset"), qint64(32 * kMiB));
    QCOMPARE(
        withoutTrailingNull(statusSequence(s.lines())),
        (QStringList{QStringLiteral("running"), QStringLiteral("ready"), QStringLiteral("waiting"),
                     QStringLiteral("pending"), QStringLiteral("concluded")}));
}

void TestCli::interactive_statusRightAfterStart_reportsLength()
{
    // The job knows its length from the start: status asked right after the
    // running event must not report 0 of 0 bytes (a front end shows that as
    // 100% done).
    const QString src = bigSource();
    QVERIFY2(!src.isEmpty(), "cannot write the 256 MiB source image");
    ScratchDir dir;
    const QString dst = dir.file(QStringLiteral("dst.img"));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                     QStringLiteral("--speed"), QStringLiteral("5M")}));
    QVERIFY2(s.waitForStatus(QStringLiteral("running"), 20000) >= 0, qPrintable(s.transcript()));
    const auto st = s.status();
    QVERIFY2(st, qPrintable(s.transcript()));
    const qint64 len = st->value(QStringLiteral("len")).toInteger(-1);
    const auto reply = s.command("cancel");
    QVERIFY2(reply && reply->contains(QStringLiteral("return")), qPrintable(s.transcript()));
    QCOMPARE(s.finish(20000), kExitAborted);
    QVERIFY2(
        len == qint64(256 * kMiB),
        qPrintable(QStringLiteral("status right after start reports len %1, expected %2: %3")
                       .arg(len)
                       .arg(256 * kMiB)
                       .arg(QString::fromUtf8(QJsonDocument(*st).toJson(QJsonDocument::Compact)))));
}

// ---------------------------------------------------------------------------
// verify, info, demo, the command line

void TestCli::verify_identical_exit0_data()
{
    QTest::addColumn<bool>("zeroDataVersusHole");
    QTest::newRow("byte copy") << false;
    QTest::newRow("zero data on one side, a hole on the other") << true;
}

void TestCli::verify_identical_exit0()
{
    QFETCH(bool, zeroDataVersusHole);
    ScratchDir dir;
    const QString a = dir.file(QStringLiteral("a.img"));
    const QString b = dir.file(QStringLiteral("b.img"));
    const std::uint64_t size = 16 * kMiB;
    QVERIFY(makeImage(a, size, {{1 * kMiB, 3 * kMiB, false, 121}, {8 * kMiB, 1 * kMiB, true}}));
    if (zeroDataVersusHole)
        QVERIFY(makeImage(b, size, {{1 * kMiB, 3 * kMiB, false, 121}}));
    else
        QCOMPARE(
            runCommand(QStringLiteral("cp"), {QStringLiteral("--sparse=always"), a, b}).exitCode,
            0);
    QVERIFY(cmpIdentical(a, b));

    const auto text = cli({QStringLiteral("verify"), a, b});
    QVERIFY2(text.exitCode == kExitOk, qPrintable(show(text)));
    QVERIFY2(text.err.contains(QStringLiteral("identical")), qPrintable(show(text)));

    const auto r = cli({QStringLiteral("verify"), a, b, QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const auto json = parseJsonLines(r.out);
    QVERIFY2(json.bad.isEmpty() && json.objects.size() == 1, qPrintable(show(r)));
    const auto o = json.objects.first();
    QCOMPARE(o.value(QStringLiteral("identical")), QJsonValue(true));
    QCOMPARE(o.value(QStringLiteral("compared")).toInteger() +
                 o.value(QStringLiteral("skipped-holes")).toInteger(),
             static_cast<qint64>(size));
    QVERIFY(o.value(QStringLiteral("differences")).toArray().isEmpty());
    QCOMPARE(o.value(QStringLiteral("more-differences")), QJsonValue(false));
}

void TestCli::verify_flippedByte_exit6WithRange()
{
    ScratchDir dir;
    const QString a = dir.file(QStringLiteral("a.img"));
    const QString b = dir.file(QStringLiteral("b.img"));
    const std::uint64_t size = 16 * kMiB;
    QVERIFY(makeImage(a, size, {{1 * kMiB, 6 * kMiB, false, 131}}));
    QCOMPARE(runCommand(QStringLiteral("cp"), {QStringLiteral("--sparse=always"), a, b}).exitCode,
             0);
    // One byte inside the data, and one inside a hole of A.
    for (const qint64 flip : {qint64(5 * kMiB + 12345), qint64(11 * kMiB + 777)}) {
        ScratchDir scratch;
        const QString c = scratch.file(QStringLiteral("c.img"));
        QCOMPARE(
            runCommand(QStringLiteral("cp"), {QStringLiteral("--sparse=always"), b, c}).exitCode,
            0);
        {
            QFile f(c);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.seek(flip));
            char byte = 0;
            QVERIFY(f.getChar(&byte));
            QVERIFY(f.seek(flip));
            QVERIFY(f.putChar(static_cast<char>(byte ^ 0x5a)));
        }
        QCOMPARE(fileSize(c), size);

        const auto r = cli({QStringLiteral("verify"), a, c, QStringLiteral("--json")});
        QVERIFY2(r.exitCode == kExitDifferent, qPrintable(show(r)));
        const auto json = parseJsonLines(r.out);
        QVERIFY2(json.bad.isEmpty() && json.objects.size() == 1, qPrintable(show(r)));
        const auto o = json.objects.first();
        QCOMPARE(o.value(QStringLiteral("identical")), QJsonValue(false));
        const auto diffs = o.value(QStringLiteral("differences")).toArray();
        QCOMPARE(diffs.size(), 1);
        QVERIFY2(differencesContain(diffs, flip),
                 qPrintable(QStringLiteral("offset %1 not in %2").arg(flip).arg(r.out)));
        QVERIFY2(diffs.first().toObject().value(QStringLiteral("length")).toInteger() <= 4096,
                 qPrintable(r.out));

        const auto text = cli({QStringLiteral("verify"), a, c});
        QVERIFY2(text.exitCode == kExitDifferent, qPrintable(show(text)));
        QVERIFY2(text.err.contains(QStringLiteral("DIFFERENT")), qPrintable(show(text)));
    }
}

void TestCli::verify_badInput_exit2()
{
    ScratchDir dir;
    const QString a = dir.file(QStringLiteral("a.img"));
    const QString small = dir.file(QStringLiteral("small.img"));
    QVERIFY(makeFilled(a, 4 * kMiB, 141));
    QVERIFY(makeFilled(small, 2 * kMiB, 142));
    const QList<QStringList> cases = {
        {QStringLiteral("verify"), a, small},
        {QStringLiteral("verify"), a, dir.file(QStringLiteral("missing.img"))},
        {QStringLiteral("verify"), a},
        {QStringLiteral("verify"), a, a, a},
        {QStringLiteral("verify"), a, a, QStringLiteral("--fast")},
        {QStringLiteral("info")},
        {QStringLiteral("info"), dir.file(QStringLiteral("missing.img"))},
        {QStringLiteral("info"), a, small},
    };
    for (const auto& args : cases) {
        const auto r = cli(args);
        QVERIFY2(r.exitCode == kExitBadInput,
                 qPrintable(args.join(QLatin1Char(' ')) + QLatin1Char('\n') + show(r)));
        QVERIFY2(isOneLineError(r.err),
                 qPrintable(args.join(QLatin1Char(' ')) + QLatin1Char('\n') + show(r)));
    }
}

void TestCli::info_json_reportsFileLayout()
{
    ScratchDir dir;
    const QString img = dir.file(QStringLiteral("layout.img"));
    const std::uint64_t size = 16 * kMiB + 4096;
    QVERIFY(makeImage(img, size, {{1 * kMiB, 2 * kMiB, false, 151}, {8 * kMiB, 1 * kMiB, true}}));

    const auto r = cli({QStringLiteral("info"), img, QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const auto json = parseJsonLines(r.out);
    QVERIFY2(json.bad.isEmpty() && json.objects.size() == 1, qPrintable(show(r)));
    const auto o = json.objects.first();
    QCOMPARE(o.value(QStringLiteral("path")).toString(), img);
    QCOMPARE(o.value(QStringLiteral("kind")).toString(), QStringLiteral("file"));
    QCOMPARE(o.value(QStringLiteral("size")).toInteger(), static_cast<qint64>(size));
    QCOMPARE(o.value(QStringLiteral("allocated")).toInteger(), qint64(3 * kMiB));
    QCOMPARE(o.value(QStringLiteral("extents")).toInteger(), qint64(2));
    const qint64 lbs = o.value(QStringLiteral("logical-block-size")).toInteger();
    const qint64 pbs = o.value(QStringLiteral("physical-block-size")).toInteger();
    const qint64 gran = o.value(QStringLiteral("default-granularity")).toInteger();
    auto pow2 = [](qint64 v) { return v > 0 && (v & (v - 1)) == 0; };
    QVERIFY2(lbs >= 512 && pow2(lbs), qPrintable(r.out));
    QVERIFY2(pbs >= lbs && pow2(pbs), qPrintable(r.out));
    QVERIFY2(gran >= qint64(64 * kKiB) && gran >= pbs && pow2(gran), qPrintable(r.out));
    QVERIFY(o.value(QStringLiteral("direct-io")).isBool());
    QVERIFY(o.value(QStringLiteral("mount-points")).isArray());
    QVERIFY(o.value(QStringLiteral("mount-points")).toArray().isEmpty());

    const auto text = cli({QStringLiteral("info"), img});
    QVERIFY2(text.exitCode == kExitOk, qPrintable(show(text)));
    QVERIFY2(text.out.contains(QString::number(size)), qPrintable(show(text)));
}

void TestCli::commandLine_versionHelpUnknown()
{
    const auto version = cli({QStringLiteral("--version")});
    QCOMPARE(version.exitCode, kExitOk);
    QVERIFY2(version.out.startsWith(QStringLiteral("drivemirror-cli ")), qPrintable(version.out));
    QCOMPARE(version.out.count(QLatin1Char('\n')), 1);

    for (const QString& flag : {QStringLiteral("--help"), QStringLiteral("-h")}) {
        const auto help = cli({flag});
        QCOMPARE(help.exitCode, kExitOk);
        QVERIFY2(help.out.startsWith(QStringLiteral("Usage:")), qPrintable(help.out));
        for (const char* word : {"mirror", "verify", "info", "demo", "--sync", "--json",
                                 "--complete-when-ready", "Exit codes"})
            QVERIFY2(help.out.contains(QLatin1String(word)), word);
    }

    for (const QStringList& args : {QStringList{QStringLiteral("frobnicate")}, QStringList{},
                                    QStringList{QStringLiteral("--bogus")}}) {
        const auto r = cli(args);
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
        QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
        QVERIFY(r.out.isEmpty());
    }
}

void TestCli::demo_imagesIdentical()
{
    ScratchDir dir;
    const QString demoDir = dir.file(QStringLiteral("demo"));
    const auto r = cli({QStringLiteral("demo"), QStringLiteral("--size"), QStringLiteral("64M"),
                        QStringLiteral("--live"), QStringLiteral("1"), QStringLiteral("--dir"),
                        demoDir, QStringLiteral("--json")},
                       120000);
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QString src = demoDir + QStringLiteral("/demo.img");
    const QString dst = demoDir + QStringLiteral("/demo-copy.img");
    QCOMPARE(fileSize(src), 64 * kMiB);
    QCOMPARE(fileSize(dst), 64 * kMiB);
    QVERIFY2(cmpIdentical(src, dst), "cmp: the demo's copy differs from its source");
    const auto q = qemuImgIdentical(src, dst);
    QVERIFY2(q.has_value() && *q, "qemu-img compare: the demo's copy differs from its source");

    const auto json = parseJsonLines(r.out);
    QVERIFY2(json.bad.isEmpty(), qPrintable(json.bad.join(QLatin1Char('\n'))));
    QVERIFY(!eventsNamed(json.objects, QStringLiteral("BLOCK_JOB_READY")).isEmpty());
    const QJsonObject done = lastEvent(json.objects);
    QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
    const auto v =
        done.value(QStringLiteral("data")).toObject().value(QStringLiteral("verify")).toObject();
    QCOMPARE(v.value(QStringLiteral("identical")), QJsonValue(true));
    // The live writer ran during the job: more than one pass over the disk.
    QVERIFY2(dataInt(done, "offset") >= qint64(64 * kMiB), qPrintable(show(r)));
}

// ---------------------------------------------------------------------------
// The helper protocol

void TestCli::helper_jobStartedFirst_outcomeLast()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("new.img")); // created by the job
    const std::uint64_t size = 24 * kMiB;
    QVERIFY(makeImage(src, size, {{0, 4 * kMiB, false, 7}}));
    const auto r =
        cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
             QStringLiteral("--complete-when-ready"), QStringLiteral("--map-cells"),
             QStringLiteral("64"), QStringLiteral("--progress-interval"), QStringLiteral("50"),
             QStringLiteral("--granularity"), QStringLiteral("1M")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const auto json = parseJsonLines(r.out);
    QVERIFY(json.bad.isEmpty());
    QVERIFY(!json.objects.isEmpty());
    const QJsonObject first = json.objects.first();
    QVERIFY2(isEvent(first, QStringLiteral("JOB_STARTED")), qPrintable(show(r)));
    const auto d = first.value(QStringLiteral("data")).toObject();
    QCOMPARE(d.value(QStringLiteral("len")).toInteger(), static_cast<qint64>(size));
    QCOMPARE(d.value(QStringLiteral("granularity")).toInteger(), static_cast<qint64>(kMiB));
    QCOMPARE(d.value(QStringLiteral("live")), QJsonValue(false));
    QCOMPARE(d.value(QStringLiteral("target-created")), QJsonValue(true));
    QCOMPARE(d.value(QStringLiteral("source")), QJsonValue(src));
    QCOMPARE(d.value(QStringLiteral("target")), QJsonValue(dst));
    QVERIFY(d.value(QStringLiteral("mount-points")).toArray().isEmpty());
    QCOMPARE(eventsNamed(json.objects, QStringLiteral("JOB_STARTED")).size(), 1);
    const QJsonObject last = lastEvent(json.objects);
    QVERIFY(isEvent(last, QStringLiteral("BLOCK_JOB_COMPLETED")));
    QCOMPARE(last.value(QStringLiteral("data")).toObject().value(QStringLiteral("outcome")),
             QJsonValue(QStringLiteral("completed")));
    // Progress events carry the map, at most one cell per granule: 24 cells
    // of two hex digits, though 64 were asked for.
    const auto progress = eventsNamed(json.objects, QStringLiteral("BLOCK_JOB_PROGRESS"));
    for (const auto& e : progress) {
        const QString map =
            e.value(QStringLiteral("data")).toObject().value(QStringLiteral("map")).toString();
        QCOMPARE(map.size(), 48);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]+$")).match(map).hasMatch());
    }
    QVERIFY2(cmpIdentical(src, dst), "cmp: target differs from source");
}

void TestCli::helper_refusalIsOneJsonError()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeImage(src, 8 * kMiB, {{0, kMiB, false, 3}}));
    const auto r = cli({QStringLiteral("mirror"), src, src, QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    const auto json = parseJsonLines(r.out);
    QVERIFY(json.bad.isEmpty());
    QCOMPARE(json.objects.size(), 1);
    const auto e = json.objects.first().value(QStringLiteral("error")).toObject();
    QVERIFY2(e.value(QStringLiteral("desc"))
                 .toString()
                 .contains(QStringLiteral("(rule: source is target)")),
             qPrintable(show(r)));
    QVERIFY(e.value(QStringLiteral("errno")).toInt() > 0);
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
}

void TestCli::helper_stdinClosed_cancels()
{
    const QString src = bigSource();
    QVERIFY(!src.isEmpty());
    ScratchDir dir;
    const QString dst = dir.file(QStringLiteral("dst.img"));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                     QStringLiteral("--cancel-on-eof"), QStringLiteral("--speed"),
                     QStringLiteral("8M")}));
    QVERIFY2(s.waitForEvent(QStringLiteral("JOB_STARTED"), 20000) >= 0, qPrintable(s.transcript()));
    s.closeStdin();
    QCOMPARE(s.finish(20000), kExitAborted);
    const QJsonObject last = lastEvent(s.lines());
    QVERIFY2(isEvent(last, QStringLiteral("BLOCK_JOB_CANCELLED")), qPrintable(s.transcript()));
    QCOMPARE(last.value(QStringLiteral("data")).toObject().value(QStringLiteral("outcome")),
             QJsonValue(QStringLiteral("aborted")));

    // Without the option a closed stdin changes nothing: the job goes on.
    CliSession plain;
    QVERIFY(
        plain.start({QStringLiteral("mirror"), src, dir.file(QStringLiteral("dst2.img")),
                     QStringLiteral("--json"), QStringLiteral("--speed"), QStringLiteral("8M")}));
    QVERIFY(plain.waitForEvent(QStringLiteral("JOB_STARTED"), 20000) >= 0);
    plain.closeStdin();
    QCOMPARE(plain.waitForEvent(QStringLiteral("BLOCK_JOB_CANCELLED"), 1500), -1);
    QVERIFY(::kill(static_cast<pid_t>(plain.pid()), SIGTERM) == 0);
    QCOMPARE(plain.finish(20000), kExitAborted);
}

void TestCli::helper_createdTarget_belongsToInvokingUser()
{
    if (!isRoot())
        QSKIP("needs root: a disk source and a user the helper acts for");
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeImage(src, 8 * kMiB, {{0, kMiB, false, 5}}));
    QString why;
    auto loop = LoopDevice::attach(src, &why);
    QVERIFY2(loop, qPrintable(why));
    // The user's own directory: the helper creates the copy there as him.
    QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
    const QString home = dir.file(QStringLiteral("home"));
    QVERIFY(QDir().mkpath(home));
    QVERIFY(::chown(QFile::encodeName(home).constData(), 65534, 65534) == 0);
    const QString dst = home + QStringLiteral("/users-copy.img");
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PKEXEC_UID"), QStringLiteral("65534"));
    env.remove(QStringLiteral("SUDO_UID"));
    CliSession s;
    s.setEnvironment(env);
    QVERIFY(s.start({QStringLiteral("mirror"), loop->path(), dst, QStringLiteral("--json"),
                     QStringLiteral("--complete-when-ready"), QStringLiteral("--expect-id"),
                     QStringLiteral("absent")}));
    QCOMPARE(s.finish(30000), kExitOk);
    QVERIFY(cmpIdentical(loop->path(), dst));
    struct stat st
    {
    };
    QVERIFY(::stat(QFile::encodeName(dst).constData(), &st) == 0);
    QCOMPARE(st.st_uid, static_cast<uid_t>(65534));
    QCOMPARE(st.st_gid, static_cast<gid_t>(65534));
    // An existing target keeps its owner.
    const QString existing = home + QStringLiteral("/existing.img");
    QVERIFY(createSparse(existing, 8 * kMiB));
    QVERIFY(::chown(QFile::encodeName(existing).constData(), 65534, 0) == 0);
    QVERIFY(::stat(QFile::encodeName(existing).constData(), &st) == 0);
    const QString id = QStringLiteral("file:%1:%2:%3:%4")
                           .arg(major(st.st_dev))
                           .arg(minor(st.st_dev))
                           .arg(st.st_ino)
                           .arg(st.st_size);
    CliSession again;
    again.setEnvironment(env);
    QVERIFY(
        again.start({QStringLiteral("mirror"), loop->path(), existing, QStringLiteral("--json"),
                     QStringLiteral("--complete-when-ready"), QStringLiteral("--expect-id"), id}));
    QCOMPARE(again.finish(30000), kExitOk);
    QVERIFY(::stat(QFile::encodeName(existing).constData(), &st) == 0);
    QCOMPARE(st.st_uid, static_cast<uid_t>(65534));
    QCOMPARE(st.st_gid, static_cast<gid_t>(0));
    QVERIFY(cmpIdentical(loop->path(), existing));
}

void TestCli::inspect_imageTarget()
{
    QVERIFY2(haveTool(QStringLiteral("mkfs.ext4")), "mkfs.ext4 is missing (e2fsprogs)");
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString fs = dir.file(QStringLiteral("fs.img"));
    QVERIFY(makeImage(src, 16 * kMiB, {{0, kMiB, false, 9}}));
    QVERIFY(createSparse(fs, 32 * kMiB));
    const auto mk =
        runCommand(QStringLiteral("mkfs.ext4"), {QStringLiteral("-q"), QStringLiteral("-F"), fs});
    QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
    const QByteArray before = contentHash(fs);

    auto r = cli(
        {QStringLiteral("inspect"), fs, QStringLiteral("--source"), src, QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    auto json = parseJsonLines(r.out);
    QCOMPARE(json.objects.size(), 1);
    QJsonObject o = json.objects.first();
    QVERIFY(!o.contains(QStringLiteral("refusal")));
    const auto facts = o.value(QStringLiteral("facts")).toObject();
    QCOMPARE(facts.value(QStringLiteral("exists")), QJsonValue(true));
    QCOMPARE(facts.value(QStringLiteral("block-device")), QJsonValue(false));
    QCOMPARE(facts.value(QStringLiteral("size")).toInteger(), static_cast<qint64>(32 * kMiB));
    QVERIFY2(facts.value(QStringLiteral("data-signature"))
                 .toString()
                 .contains(QStringLiteral("ext2/3/4")),
             qPrintable(show(r)));

    // Smaller than the source: refused, exit 2, in text and JSON.
    r = cli({QStringLiteral("inspect"), src, QStringLiteral("--source"), fs});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(r.out.contains(QStringLiteral("refused: ")), qPrintable(show(r)));
    r = cli({QStringLiteral("inspect"), src, QStringLiteral("--source"), src,
             QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    json = parseJsonLines(r.out);
    QCOMPARE(json.objects.size(), 1);
    QVERIFY(json.objects.first()
                .value(QStringLiteral("refusal"))
                .toObject()
                .value(QStringLiteral("message"))
                .toString()
                .contains(QStringLiteral("(rule: source is target)")));
    // An expected identity names a disk, so an image file is refused.
    r = cli({QStringLiteral("inspect"), fs, QStringLiteral("--expect-id"),
             QStringLiteral("wwn:0x1"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY(r.out.contains(QStringLiteral("rule: target identity")));
    QVERIFY2(cli({QStringLiteral("inspect")}).exitCode == kExitBadInput,
             "inspect without a target");
    QVERIFY2(contentHash(fs) == before, "inspect changed the target");
}

void TestCli::inspect_loopTarget_identityAndPartitions()
{
    if (!isRoot())
        QSKIP("needs root: attaches a loop device");
    QVERIFY2(haveTool(QStringLiteral("sfdisk")), "sfdisk is missing (fdisk)");
    ScratchDir dir;
    const QString backing = dir.file(QStringLiteral("disk.img"));
    QVERIFY(createSparse(backing, 64 * kMiB));
    const auto part = runCommand(QStringLiteral("sfdisk"), {QStringLiteral("-q"), backing}, 30000,
                                 "label: gpt\n,16M\n,16M\n");
    QVERIFY2(part.exitCode == 0, qPrintable(part.err));
    QString why;
    auto loop = LoopDevice::attach(backing, &why, true);
    QVERIFY2(loop, qPrintable(why));
    // The catalog reads partitions from udev, which learns of them a moment later.
    runCommand(QStringLiteral("udevadm"), {QStringLiteral("settle")});
    const QByteArray before = contentHash(loop->path());

    auto r = cli({QStringLiteral("inspect"), loop->path(), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    auto json = parseJsonLines(r.out);
    QCOMPARE(json.objects.size(), 1);
    const QJsonObject o = json.objects.first();
    QVERIFY2(o.value(QStringLiteral("facts"))
                 .toObject()
                 .value(QStringLiteral("data-signature"))
                 .toString()
                 .contains(QStringLiteral("GPT")),
             qPrintable(show(r)));
    const auto device = o.value(QStringLiteral("device")).toObject();
    QCOMPARE(device.value(QStringLiteral("path")), QJsonValue(loop->path()));
    const QString id = device.value(QStringLiteral("id")).toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(o.value(QStringLiteral("device-partitions")).toArray().size(), 2);

    // The id matches `list --json`, and another id is refused.
    const auto list = cli({QStringLiteral("list"), QStringLiteral("--json")});
    QVERIFY(list.out.contains(QStringLiteral("\"id\": \"%1\"").arg(id)));
    r = cli({QStringLiteral("inspect"), loop->path(), QStringLiteral("--expect-id"), id});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY2(r.out.contains(QStringLiteral("mirror --force")), qPrintable(show(r)));
    r = cli({QStringLiteral("inspect"), loop->path(), QStringLiteral("--expect-id"),
             id + QStringLiteral("x"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(r.out.contains(QStringLiteral("rule: target identity")), qPrintable(show(r)));
    QVERIFY2(contentHash(loop->path()) == before, "inspect changed the device");
}

// ---------------------------------------------------------------------------
// Languages

void TestCli::locale_help_followsLanguage_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("lang");
    QTest::addColumn<QString>("usage");
    QTest::addColumn<QStringList>("phrases");
    QTest::newRow("de") << QStringLiteral("de") << QStringLiteral("de_DE.UTF-8")
                        << QStringLiteral("Aufruf:")
                        << QStringList{QStringLiteral("Optionen von mirror:"),
                                       QStringLiteral("Exit-Codes: 0 wie verlangt erledigt"),
                                       QString::fromUtf8("SIGINT oder SIGTERM bricht ab.")};
    QTest::newRow("ja") << QString() << QStringLiteral("ja_JP.UTF-8")
                        << QString::fromUtf8("使い方:")
                        << QStringList{QString::fromUtf8("mirror のオプション:"),
                                       QString::fromUtf8("終了コード: 0 指示どおり終了")};
    QTest::newRow("C") << QString() << QStringLiteral("C") << QStringLiteral("Usage:")
                       << QStringList{QStringLiteral("Mirror options:"),
                                      QStringLiteral("Exit codes: 0 done as asked")};
    QTest::newRow("unknown language")
        << QString() << QStringLiteral("fr_FR.UTF-8") << QStringLiteral("Usage:")
        << QStringList{QStringLiteral("Mirror options:")};
}

void TestCli::locale_help_followsLanguage()
{
    QFETCH(QString, language);
    QFETCH(QString, lang);
    QFETCH(QString, usage);
    QFETCH(QStringList, phrases);
    const auto r = cliInLocale(language, lang, {QStringLiteral("--help")});
    QCOMPARE(r.exitCode, kExitOk);
    QVERIFY2(r.out.startsWith(usage + QLatin1Char('\n')), qPrintable(r.out.left(200)));
    // Paragraphs are wrapped to the terminal: a phrase may cross a line end.
    const QString unwrapped = QString(r.out).replace(QLatin1Char('\n'), QLatin1Char(' '));
    for (const QString& phrase : phrases)
        QVERIFY2(unwrapped.contains(phrase), qPrintable(phrase + QStringLiteral("\n") + r.out));
    // Option names and stdin commands are the same words in every language.
    for (const char* word : {"--sync full|top|none", "--complete-when-ready", "--json",
                             "--on-source-error P", "speed RATE", "BLOCK_JOB_PROGRESS"})
        QVERIFY2(r.out.contains(QLatin1String(word)), word);
    // Wrapped for a terminal of 80 columns (the synopsis excepted), also in
    // Japanese, whose characters take two columns each.
    const QStringList lines = r.out.split(QLatin1Char('\n'));
    for (const QString& line : lines) {
        if (line.startsWith(QLatin1String("  drivemirror-cli ")))
            continue;
        int width = 0;
        for (const char32_t c : line.toUcs4())
            width +=
                (c >= 0x1100 &&
                 (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
                  (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
                  (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6)))
                    ? 2
                    : 1;
        QVERIFY2(width <= 80, qPrintable(line));
    }
}

void TestCli::locale_errorsAndInfo_german()
{
    const QString de = QStringLiteral("de_DE.UTF-8");
    // A sentence of the CLI's own, after the prefix that stays.
    auto r = cliInLocale(QStringLiteral("de"), de, {QStringLiteral("frobnicate")});
    QCOMPARE(r.exitCode, kExitBadInput);
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("unbekannter Befehl 'frobnicate'")),
             qPrintable(show(r)));

    // An engine message stays English inside the CLI's translated sentence.
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString small = dir.file(QStringLiteral("small.img"));
    QVERIFY(makeImage(src, 16 * kMiB + 4096, {{kMiB, 2 * kMiB, false, 7}}));
    QVERIFY(createSparse(small, 4 * kMiB));
    r = cliInLocale(QStringLiteral("de"), de, {QStringLiteral("mirror"), src, small});
    QCOMPARE(r.exitCode, kExitBadInput);
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("(rule: target too small)")), qPrintable(show(r)));

    // Sizes with the German decimal comma and digit grouping.
    r = cliInLocale(QStringLiteral("de"), de, {QStringLiteral("info"), src});
    QCOMPARE(r.exitCode, kExitOk);
    QVERIFY2(r.out.contains(QString::fromUtf8("Größe:")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("16,0 MiB (16.781.312 Bytes)")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("2,00 MiB in 1 Bereich")), qPrintable(r.out));
    // The values line up after the widest label.
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const qsizetype column = lines.first().indexOf(src);
    QVERIFY(column > 0);
    for (const QString& line : lines)
        QVERIFY2(line.size() > column && line.at(column - 1) == QLatin1Char(' ') &&
                     line.at(column) != QLatin1Char(' '),
                 qPrintable(r.out));
    // --json stays as it is.
    const auto json = cliInLocale(QStringLiteral("de"), de,
                                  {QStringLiteral("info"), src, QStringLiteral("--json")});
    const auto english = cli({QStringLiteral("info"), src, QStringLiteral("--json")});
    QCOMPARE(json.out, english.out);
}

void TestCli::locale_info_japanese()
{
    ScratchDir dir;
    const QString img = dir.file(QStringLiteral("img.img"));
    QVERIFY(makeImage(img, 3 * kMiB / 2, {{0, kMiB / 2, false, 9}}));
    const auto r = cliInLocale({}, QStringLiteral("ja_JP.UTF-8"), {QStringLiteral("info"), img});
    QCOMPARE(r.exitCode, kExitOk);
    for (const char* phrase : {"パス:", "種類:", "イメージファイル", "サイズ:", "1.50 MiB",
                               "（1,572,864 バイト）", "既定の粒度:"})
        QVERIFY2(r.out.contains(QString::fromUtf8(phrase)), qPrintable(r.out));
    const auto bad = cliInLocale({}, QStringLiteral("ja_JP.UTF-8"), {});
    QCOMPARE(bad.exitCode, kExitBadInput);
    QVERIFY2(isOneLineError(bad.err), qPrintable(show(bad)));
    QVERIFY2(bad.err.contains(QString::fromUtf8("コマンドがありません")), qPrintable(show(bad)));
}

void TestCli::locale_mirrorText_german()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeImage(src, 8 * kMiB, {{0, 2 * kMiB, false, 21}}));
    const auto r =
        cliInLocale(QStringLiteral("de"), QStringLiteral("de_DE.UTF-8"),
                    {QStringLiteral("mirror"), src, dst, QStringLiteral("--complete-when-ready"),
                     QStringLiteral("--verify")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY(cmpIdentical(src, dst));
    // The logger's level prefix is what the desktop app parses: it stays.
    QVERIFY2(r.err.contains(QStringLiteral("info: READY: %1 und %2 sind synchron").arg(src, dst)),
             qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("info: abgeschlossen: 8,00 MiB verarbeitet")),
             qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("identisch: %1 und %2 stimmen ").arg(src, dst)),
             qPrintable(show(r)));
    for (const QString& line : r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        QVERIFY2(line.startsWith(QLatin1String("info: ")) ||
                     line.startsWith(QLatin1String("identisch: ")),
                 qPrintable(line));
}

void TestCli::locale_json_sameStructureInEveryLocale()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeImage(src, 16 * kMiB, {{0, 4 * kMiB, false, 31}, {8 * kMiB, kMiB, true}}));
    QMap<QString, QStringList> structures;
    QMap<QString, QList<QJsonObject>> objects;
    const QList<QPair<QString, QString>> locales = {
        {QString(), QStringLiteral("C")},
        {QStringLiteral("de"), QStringLiteral("de_DE.UTF-8")},
        {QString(), QStringLiteral("ja_JP.UTF-8")}};
    for (const auto& [language, lang] : locales) {
        const QString dst = dir.file(QStringLiteral("dst-%1.img").arg(lang));
        const auto r =
            cliInLocale(language, lang,
                        {QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                         QStringLiteral("--complete-when-ready"), QStringLiteral("--verify")});
        QVERIFY2(r.exitCode == kExitOk, qPrintable(lang + QLatin1Char('\n') + show(r)));
        const auto json = parseJsonLines(r.out);
        // A decimal comma would make the numbers invalid JSON.
        QVERIFY2(json.bad.isEmpty(), qPrintable(lang + QLatin1Char('\n') + show(r)));
        structures[lang] = jsonStructure(json.objects);
        objects[lang] = json.objects;
        // stderr: only the logger's lines, their prefix untranslated.
        for (const QString& line : r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            QVERIFY2(line.startsWith(QLatin1String("info: ")) ||
                         line.startsWith(QLatin1String("warning: ")),
                     qPrintable(lang + QStringLiteral(": ") + line));
    }
    QCOMPARE(structures[QStringLiteral("de_DE.UTF-8")], structures[QStringLiteral("C")]);
    QCOMPARE(structures[QStringLiteral("ja_JP.UTF-8")], structures[QStringLiteral("C")]);
    for (const QString& lang : objects.keys()) {
        QCOMPARE(withoutTrailingNull(statusSequence(objects[lang])),
                 (QStringList{QStringLiteral("running"), QStringLiteral("ready"),
                              QStringLiteral("waiting"), QStringLiteral("pending"),
                              QStringLiteral("concluded")}));
        const QJsonObject done = lastEvent(objects[lang]);
        QVERIFY(isEvent(done, QStringLiteral("BLOCK_JOB_COMPLETED")));
        const auto d = done.value(QStringLiteral("data")).toObject();
        QCOMPARE(d.value(QStringLiteral("outcome")), QJsonValue(QStringLiteral("completed")));
        QVERIFY(d.value(QStringLiteral("elapsed")).isDouble());
        QCOMPARE(dataInt(done, "offset"), qint64(16 * kMiB));
    }
}

void TestCli::locale_stdinCommands_englishInEveryLocale()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeImage(src, 8 * kMiB, {{0, kMiB, false, 41}}));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("LC_ALL"));
    env.insert(QStringLiteral("LANGUAGE"), QStringLiteral("de"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("de_DE.UTF-8"));
    CliSession s;
    s.setEnvironment(env);
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json")}));
    QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000) >= 0,
             qPrintable(s.transcript()));
    const auto bogus = s.command("frobnicate");
    QVERIFY2(bogus && bogus->contains(QStringLiteral("error")), qPrintable(s.transcript()));
    QVERIFY2(bogus->value(QStringLiteral("error"))
                 .toObject()
                 .value(QStringLiteral("desc"))
                 .toString()
                 .startsWith(QStringLiteral("unknown command 'frobnicate'")),
             qPrintable(s.transcript()));
    const auto st = s.status();
    QVERIFY2(st && st->value(QStringLiteral("status")) == QJsonValue(QStringLiteral("ready")),
             qPrintable(s.transcript()));
    const auto done = s.command("complete");
    QVERIFY2(done && done->contains(QStringLiteral("return")), qPrintable(s.transcript()));
    s.closeStdin();
    QCOMPARE(s.finish(30000), kExitOk);
    QVERIFY2(isEvent(lastEvent(s.lines()), QStringLiteral("BLOCK_JOB_COMPLETED")),
             qPrintable(s.transcript()));
    QVERIFY(s.badLines().isEmpty());
}

// The QCoreApplication the CLI creates for its translations must not start a
// thread before SIGINT and SIGTERM are blocked: every thread of a running
// job has them blocked, so they reach the signalfd and cancel the job.
void TestCli::locale_qtCore_everyThreadBlocksCancelSignals()
{
    const QString src = bigSource();
    QVERIFY(!src.isEmpty());
    ScratchDir dir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("LC_ALL"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("de_DE.UTF-8"));
    CliSession s;
    s.setEnvironment(env);
    QVERIFY(s.start({QStringLiteral("mirror"), src, dir.file(QStringLiteral("dst.img")),
                     QStringLiteral("--json"), QStringLiteral("--speed"), QStringLiteral("8M")}));
    QVERIFY2(s.waitForStatus(QStringLiteral("running"), 20000) >= 0, qPrintable(s.transcript()));
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(s.pid()));
    const QStringList threads = tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QVERIFY(!threads.isEmpty());
    constexpr quint64 kCancel = (quint64(1) << (SIGINT - 1)) | (quint64(1) << (SIGTERM - 1));
    for (const QString& t : threads) {
        QFile status(tasks.filePath(t + QStringLiteral("/status")));
        QVERIFY(status.open(QIODevice::ReadOnly));
        const QString text = QString::fromLatin1(status.readAll());
        static const QRegularExpression re(QStringLiteral("SigBlk:\\s*([0-9a-f]+)"));
        const auto m = re.match(text);
        QVERIFY2(m.hasMatch(), qPrintable(text));
        const quint64 blocked = m.captured(1).toULongLong(nullptr, 16);
        QVERIFY2((blocked & kCancel) == kCancel, qPrintable(t + QStringLiteral(": ") + text));
    }
    QVERIFY(::kill(static_cast<pid_t>(s.pid()), SIGINT) == 0);
    QCOMPARE(s.finish(20000), kExitAborted);
}

// ---------------------------------------------------------------------------
// QEMU's buffer semantics, garbage on stdin, larger targets, cancel

void TestCli::mirror_bufSizeBelowGranule_roundedUp_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<quint64>("size");
    QTest::newRow("--granularity 64M, default buffer")
        << QStringList{QStringLiteral("--granularity"), QStringLiteral("64M")}
        << quint64(130 * kMiB);
    QTest::newRow("--buf-size 4K")
        << QStringList{QStringLiteral("--buf-size"), QStringLiteral("4K")}
        << quint64(16 * kMiB + 4096);
}

void TestCli::mirror_bufSizeBelowGranule_roundedUp()
{
    // QEMU's drive-mirror takes the larger of buffer and granule; refusing
    // made --granularity 64M unusable with the default buffer.
    QFETCH(QStringList, options);
    QFETCH(quint64, size);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeFilled(src, size, 141));
    const auto r = cli(
        QStringList{QStringLiteral("mirror"), src, dst, QStringLiteral("--complete-when-ready")} +
        options);
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY2(cmpIdentical(src, dst), "cmp: target differs from source");
}

void TestCli::stdin_garbage_repliedAndHarmless()
{
    // Every line that is not a command gets an error reply and changes
    // nothing; a huge line costs neither memory nor time.
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeImage(src, 32 * kMiB, {{0, 12 * kMiB, false, 142}}));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json")}));
    const int ready = s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000);
    QVERIFY2(ready >= 0, qPrintable(s.transcript()));
    auto isError = [](const std::optional<QJsonObject>& o) {
        return o && o->value(QStringLiteral("error")).toObject().value(QStringLiteral("class")) ==
                        QStringLiteral("GenericError");
    };
    QVERIFY2(isError(s.command("frobnicate")), qPrintable(s.transcript()));
    QVERIFY2(isError(s.command(QByteArray("\xff\xfe garbage \x80\x01\x02", 15))),
             qPrintable(s.transcript()));
    QVERIFY2(isError(s.command("cancel slowly")), qPrintable(s.transcript()));
    QVERIFY2(isError(s.command(QByteArray(5000, 'a'))), qPrintable(s.transcript()));
    // 64 MiB without a line end, then one: refused once. Before, each read
    // of 4 KiB scanned the whole buffer again, which took minutes.
    const auto before = s.lines().size();
    QByteArray block(1 << 20, 'b');
    for (int i = 0; i < 64; ++i)
        s.sendRaw(block);
    s.send(""); // its end
    const auto status = s.status();
    QVERIFY2(status, qPrintable(s.transcript()));
    QCOMPARE(status->value(QStringLiteral("status")).toString(), QStringLiteral("ready"));
    const auto errors = std::count_if(s.lines().begin() + before, s.lines().end(),
                                      [&](const QJsonObject& o) { return isError(o); });
    QCOMPARE(errors, 1);
    const auto done = s.command("complete");
    QVERIFY2(done && done->contains(QStringLiteral("return")), qPrintable(s.transcript()));
    QCOMPARE(s.finish(60000), kExitOk);
    QVERIFY2(s.badLines().isEmpty(), qPrintable(s.badLines().join(QLatin1Char('\n')).left(2000)));
    QVERIFY(cmpIdentical(src, dst));
}

void TestCli::wipeRest_largerTarget_data()
{
    QTest::addColumn<bool>("wipe");
    QTest::newRow("kept, and said so") << false;
    QTest::newRow("--wipe-rest --verify") << true;
}

void TestCli::wipeRest_largerTarget()
{
    // A 64 MiB image onto a 128 MiB "stick" with a secret at 100 MiB.
    QFETCH(bool, wipe);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("stick.img"));
    QVERIFY(makeFilled(src, 64 * kMiB, 143));
    QVERIFY(makeFilled(dst, 128 * kMiB, 144));
    const QByteArray secret("CUSTOMER-SECRET-DATA");
    {
        QFile f(dst);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(100 * kMiB));
        QCOMPARE(f.write(secret), secret.size());
    }
    QStringList args{QStringLiteral("mirror"), src, dst, QStringLiteral("--complete-when-ready"),
                     QStringLiteral("--json")};
    if (wipe)
        args << QStringLiteral("--wipe-rest") << QStringLiteral("--verify");
    const auto r = cli(args);
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const auto json = parseJsonLines(r.out);
    const QJsonObject last = lastEvent(json.objects);
    QVERIFY2(isEvent(last, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
    const QJsonObject data = last.value(QStringLiteral("data")).toObject();
    QCOMPARE(data.value(QStringLiteral("past-end-bytes")).toInteger(), qint64(64 * kMiB));
    QCOMPARE(data.value(QStringLiteral("past-end-wiped")).toBool(), wipe);
    QVERIFY(cmpIdenticalPrefix(src, dst, 64 * kMiB));
    const QByteArray at = readBytes(dst, 100 * kMiB, static_cast<std::uint64_t>(secret.size()));
    if (wipe) {
        QCOMPARE(at, QByteArray(secret.size(), '\0'));
        const QJsonObject v = data.value(QStringLiteral("verify")).toObject();
        QVERIFY(v.value(QStringLiteral("identical")).toBool());
        QVERIFY(v.value(QStringLiteral("past-end-zero")).toBool());
        QCOMPARE(v.value(QStringLiteral("past-end")).toInteger(), qint64(64 * kMiB));
    } else {
        QCOMPARE(at, secret);
        // A person is told too.
        const auto text =
            cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--complete-when-ready")});
        QVERIFY2(text.exitCode == kExitOk, qPrintable(show(text)));
        QVERIFY2(text.err.contains(QStringLiteral("past the end")) &&
                     text.err.contains(QStringLiteral("--wipe-rest")),
                 qPrintable(show(text)));
    }
}

void TestCli::cancel_quickOnImage_notAPowerCut()
{
    // Nothing writes to an image source but its owner: a quick cancel of an
    // idle image leaves a whole copy and must not claim otherwise.
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeFilled(src, 16 * kMiB, 145));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json")}));
    QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000) >= 0,
             qPrintable(s.transcript()));
    const auto reply = s.command("cancel quick");
    QVERIFY2(reply && reply->contains(QStringLiteral("return")), qPrintable(s.transcript()));
    QCOMPARE(s.finish(30000), kExitOk);
    const QJsonObject done = lastEvent(s.lines());
    QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_CANCELLED")), qPrintable(s.transcript()));
    QCOMPARE(done.value(QStringLiteral("data")).toObject().value(QStringLiteral("powercut-copy")),
             QJsonValue(false));
    QVERIFY(cmpIdentical(src, dst));
}

void TestCli::cancel_liveSource_consistentOrPowerCut_data()
{
    QTest::addColumn<bool>("quick");
    QTest::newRow("cancel: frozen final copy") << false;
    QTest::newRow("cancel quick: power-cut copy") << true;
}

void TestCli::cancel_liveSource_consistentOrPowerCut()
{
    // Cancel after READY on a mounted, busy file system: a consistent copy
    // that e2fsck finds clean, or, when asked to be quick, one the result
    // calls a power-cut copy.
    QFETCH(bool, quick);
    if (!isRoot())
        QSKIP("needs root: a mounted loop device as a live source");
    QVERIFY2(haveTool(QStringLiteral("mkfs.ext4")), "mkfs.ext4 is missing (e2fsprogs)");
    ScratchDir dir;
    const QString backing = dir.file(QStringLiteral("live.img"));
    const QString dst = dir.file(QStringLiteral("copy.img"));
    QVERIFY(createSparse(backing, 128 * kMiB));
    QString why;
    auto loop = LoopDevice::attach(backing, &why);
    QVERIFY2(loop, qPrintable(why));
    QVERIFY(runCommand(QStringLiteral("mkfs.ext4"),
                       {QStringLiteral("-q"), QStringLiteral("-F"), loop->path()})
                .exitCode == 0);
    const QString mnt = dir.file(QStringLiteral("mnt"));
    QVERIFY(QDir().mkpath(mnt));
    Mount mount(loop->path(), mnt);
    QVERIFY(mount.ok());
    // A writer that keeps creating and syncing small files.
    QProcess writer;
    writer.start(QStringLiteral("sh"),
                 {QStringLiteral("-c"),
                  QStringLiteral("i=0; while :; do i=$((i+1)); head -c 65536 /dev/urandom > "
                                 "'%1/f'$((i%%50)); sync '%1/f'$((i%%50)); done")
                      .arg(mnt)});
    QVERIFY(writer.waitForStarted());
    auto stopWriter = qScopeGuard([&] {
        writer.kill();
        writer.waitForFinished(5000);
    });

    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), loop->path(), dst, QStringLiteral("--json")}));
    QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 60000) >= 0,
             qPrintable(s.transcript()));
    QThread::msleep(300); // mirror live writes for a moment
    const auto reply = s.command(quick ? "cancel quick" : "cancel");
    QVERIFY2(reply && reply->contains(QStringLiteral("return")), qPrintable(s.transcript()));
    QCOMPARE(s.finish(60000), kExitOk);
    const QJsonObject done = lastEvent(s.lines());
    QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_CANCELLED")), qPrintable(s.transcript()));
    const QJsonObject data = done.value(QStringLiteral("data")).toObject();
    QCOMPARE(data.value(QStringLiteral("powercut-copy")), QJsonValue(quick));
    QCOMPARE(data.value(QStringLiteral("powercut-reason")).toString(),
             quick ? QStringLiteral("a quick cancel was asked for") : QString());
    if (!quick) {
        QVERIFY(data.value(QStringLiteral("quiesce-seconds")).toDouble() > 0);
        const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), dst});
        QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
    }
}

void TestCli::expectId_empty_refused()
{
    // An empty identity is not "no identity asked for".
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeFilled(src, 4 * kMiB, 146));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    const auto r = cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--expect-id"),
                        QString(), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("--expect-id")), qPrintable(show(r)));
    QVERIFY(!QFile::exists(dst));
}

void TestCli::signals_cancelInsteadOfKilling_data()
{
    QTest::addColumn<int>("sig");
    for (int sig : {SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU, SIGXFSZ, SIGVTALRM,
                    SIGPROF, SIGPIPE, SIGTERM, SIGINT})
        QTest::addRow("SIG%s", ::sigabbrev_np(sig)) << sig;
}

void TestCli::signals_cancelInsteadOfKilling()
{
    // A closed terminal (HUP), a timer or a resource limit must not kill the
    // program with its job half done and unreported: it cancels, reports and
    // exits as for SIGTERM.
    QFETCH(int, sig);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeFilled(src, 8 * kMiB, 147));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json")}));
    QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000) >= 0,
             qPrintable(s.transcript()));
    QCOMPARE(::kill(static_cast<pid_t>(s.pid()), sig), 0);
    QCOMPARE(s.finish(30000), kExitOk);
    QVERIFY2(isEvent(lastEvent(s.lines()), QStringLiteral("BLOCK_JOB_CANCELLED")),
             qPrintable(s.transcript()));
    QVERIFY(cmpIdentical(src, dst));
}

void TestCli::completedText_identicalOnlyWhenCopiedWhole_data()
{
    QTest::addColumn<QString>("sync");
    QTest::addColumn<bool>("identical");
    QTest::newRow("full") << QStringLiteral("full") << true;
    QTest::newRow("top") << QStringLiteral("top") << false;
    QTest::newRow("none") << QStringLiteral("none") << false;
}

void TestCli::completedText_identicalOnlyWhenCopiedWhole()
{
    // --sync none onto a new target used to end with "is identical" over a
    // target of zeroes.
    QFETCH(QString, sync);
    QFETCH(bool, identical);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeImage(src, 16 * kMiB, {{0, 8 * kMiB, false, 148}}));
    QVERIFY(makeFilled(dst, 16 * kMiB, 149));
    const auto r = cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--sync"), sync,
                        QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QCOMPARE(r.err.contains(QStringLiteral("is identical")), identical);
    QCOMPARE(cmpIdentical(src, dst), identical);
}

// ---------------------------------------------------------------------------
// The command-line contract: commands, replies, options, outcomes

void TestCli::stdin_commandsBeforeReady_heldUntilItMakesSense_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::newRow("complete in a file read before READY") << QStringLiteral("file");
    QTest::newRow("resume and complete at once from standby") << QStringLiteral("resume");
    QTest::newRow("cancel with --complete-when-ready") << QStringLiteral("cwr-cancel");
}

void TestCli::stdin_commandsBeforeReady_heldUntilItMakesSense()
{
    QFETCH(QString, scenario);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeFilled(src, 16 * kMiB, 151));
    if (scenario == QLatin1String("file")) {
        // The README's `drivemirror-cli mirror a b --json <commands.txt`:
        // the whole file is read before the job is READY.
        const auto r = runCommand(cliPath(),
                                  {QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                                   QStringLiteral("--speed"), QStringLiteral("32M")},
                                  60000, "complete\n");
        QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
        const auto lines = parseJsonLines(r.out);
        const QJsonObject last = lastEvent(lines.objects);
        QVERIFY2(isEvent(last, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
        QCOMPARE(last.value(QStringLiteral("data")).toObject().value(QStringLiteral("outcome")),
                 QStringLiteral("completed"));
        QVERIFY(cmpIdentical(src, dst));
        return;
    }
    CliSession s;
    if (scenario == QLatin1String("resume")) {
        QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json")}));
        QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000) >= 0,
                 qPrintable(s.transcript()));
        const auto paused = s.command("pause");
        QVERIFY2(paused && paused->contains(QStringLiteral("return")), qPrintable(s.transcript()));
        QVERIFY2(s.waitForStatus(QStringLiteral("standby"), 10000) >= 0,
                 qPrintable(s.transcript()));
        const int from = static_cast<int>(s.lines().size());
        s.send("resume\ncomplete");
        s.closeStdin();
        QCOMPARE(s.finish(30000), kExitOk);
        int replies = 0;
        for (int i = from; i < s.lines().size(); ++i)
            if (isReply(s.lines()[i])) {
                ++replies;
                QVERIFY2(s.lines()[i].contains(QStringLiteral("return")),
                         qPrintable(s.transcript()));
            }
        QCOMPARE(replies, 2);
        QVERIFY(cmpIdentical(src, dst));
        return;
    }
    // --complete-when-ready reads stdin as well: a cancel there ends the job
    // before READY, and the target it created is not left behind.
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                     QStringLiteral("--complete-when-ready"), QStringLiteral("--speed"),
                     QStringLiteral("2M")}));
    QVERIFY2(s.waitForStatus(QStringLiteral("running"), 10000) >= 0, qPrintable(s.transcript()));
    const auto cancelled = s.command("cancel");
    QVERIFY2(cancelled && cancelled->contains(QStringLiteral("return")),
             qPrintable(s.transcript()));
    QCOMPARE(s.finish(30000), kExitAborted);
    const QJsonObject data = lastEvent(s.lines()).value(QStringLiteral("data")).toObject();
    QCOMPARE(data.value(QStringLiteral("outcome")).toString(), QStringLiteral("aborted"));
    QVERIFY2(data.value(QStringLiteral("target-removed")).toBool(), qPrintable(s.transcript()));
    QVERIFY2(!QFileInfo::exists(dst), "a half-written target the user never had is left behind");
}

void TestCli::stdin_replies_qmpShapedWithIdExtraWordsRefused()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeFilled(src, 16 * kMiB, 152));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json")}));
    QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000) >= 0,
             qPrintable(s.transcript()));
    auto errorWithId = [](const std::optional<QJsonObject>& o, const QString& id) {
        return o && o->value(QStringLiteral("error")).toObject().contains(QStringLiteral("desc")) &&
               o->value(QStringLiteral("id")).toString() == id;
    };
    QVERIFY2(errorWithId(s.command("pause pause id=p1"), QStringLiteral("p1")),
             qPrintable(s.transcript()));
    QVERIFY2(errorWithId(s.command("speed 5 6"), QString()), qPrintable(s.transcript()));
    QVERIFY2(errorWithId(s.command("frobnicate id=f-2"), QStringLiteral("f-2")),
             qPrintable(s.transcript()));
    // Nothing changed: still ready, still unlimited.
    const auto st = s.command("status id=s");
    QVERIFY2(st, qPrintable(s.transcript()));
    QCOMPARE(st->value(QStringLiteral("id")).toString(), QStringLiteral("s"));
    const QJsonObject ret = st->value(QStringLiteral("return")).toObject();
    QCOMPARE(ret.value(QStringLiteral("status")).toString(), QStringLiteral("ready"));
    QCOMPARE(ret.value(QStringLiteral("speed")).toInteger(), 0);
    const auto done = s.command("complete id=7");
    QVERIFY2(done && done->contains(QStringLiteral("return")) &&
                 done->value(QStringLiteral("id")).toString() == QStringLiteral("7"),
             qPrintable(s.transcript()));
    QCOMPARE(s.finish(30000), kExitOk);
    QVERIFY(s.badLines().isEmpty());
    QCOMPARE(lastEvent(s.lines())
                 .value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("outcome"))
                 .toString(),
             QStringLiteral("completed"));
    QVERIFY(cmpIdentical(src, dst));
}

void TestCli::options_strict_refusedAndNothingCreated_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<QString>("expect");
    QTest::newRow("repeated") << QStringList{QStringLiteral("--speed"), QStringLiteral("1M"),
                                             QStringLiteral("--speed"), QStringLiteral("2M")}
                              << QStringLiteral("--speed given twice");
    QTest::newRow("repeated flag")
        << QStringList{QStringLiteral("--verify"), QStringLiteral("--verify")}
        << QStringLiteral("--verify given twice");
    QTest::newRow("abbreviated") << QStringList{QStringLiteral("--gran"), QStringLiteral("64K")}
                                 << QStringLiteral("unknown option --gran");
    QTest::newRow("abbreviated with =")
        << QStringList{QStringLiteral("--spe=1M")} << QStringLiteral("unknown option --spe");
    QTest::newRow("rounds to 0") << QStringList{QStringLiteral("--speed"),
                                                QStringLiteral("0.0001K")}
                                 << QStringLiteral("rounds down to 0");
    QTest::newRow("exponent") << QStringList{QStringLiteral("--buf-size"), QStringLiteral("1e3")}
                              << QStringLiteral("exponent");
    QTest::newRow("buffer above 1G")
        << QStringList{QStringLiteral("--buf-size"), QStringLiteral("2G")}
        << QStringLiteral("at most 1G");
}

void TestCli::options_strict_refusedAndNothingCreated()
{
    QFETCH(QStringList, options);
    QFETCH(QString, expect);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeFilled(src, 4 * kMiB, 153));
    const auto r = cli(
        QStringList{QStringLiteral("mirror"), src, dst, QStringLiteral("--complete-when-ready")} +
        options);
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(isOneLineError(r.err) && r.err.contains(expect), qPrintable(show(r)));
    QVERIFY(!QFileInfo::exists(dst));
}

void TestCli::internalFailure_exit1_createdTargetRemoved()
{
    // Copy buffers that cannot be allocated are the program's failure, not
    // the target's; and the target it created is gone again.
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeFilled(src, 4 * kMiB, 154));
    const QStringList args{QStringLiteral("mirror"),
                           src,
                           dst,
                           QStringLiteral("--json"),
                           QStringLiteral("--buf-size"),
                           QStringLiteral("1G"),
                           QStringLiteral("--complete-when-ready")};
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer reserves its shadow memory at start, which an address
    // space limit forbids; its own allocation limit fails the buffers alike.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString asan = env.value(QStringLiteral("ASAN_OPTIONS"));
    env.insert(QStringLiteral("ASAN_OPTIONS"),
               (asan.isEmpty() ? QString() : asan + u':') +
                   QStringLiteral("allocator_may_return_null=1:max_allocation_size_mb=256"));
    const auto r = runCommandIn(env, cliPath(), args);
#else
    const auto r = runCommand(QStringLiteral("/bin/sh"),
                              QStringList{QStringLiteral("-c"),
                                          QStringLiteral("ulimit -v 800000 && exec \"$0\" \"$@\""),
                                          cliPath()} +
                                  args);
#endif
    QVERIFY2(r.exitCode == kExitInternal, qPrintable(show(r)));
    const QJsonObject data =
        lastEvent(parseJsonLines(r.out).objects).value(QStringLiteral("data")).toObject();
    QCOMPARE(data.value(QStringLiteral("outcome")).toString(), QStringLiteral("failed"));
    QVERIFY2(data.value(QStringLiteral("error")).toString().contains(QStringLiteral("allocate")),
             qPrintable(show(r)));
    QVERIFY(data.value(QStringLiteral("target-removed")).toBool());
    QVERIFY(!QFileInfo::exists(dst));
}

void TestCli::targetErrorIgnored_exit8_saysWhatWasSkipped()
{
    QString why;
    if (!FaultFs::available(&why))
        QSKIP(qPrintable(why));
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString backing = dir.file(QStringLiteral("backing.img"));
    QVERIFY(makeFilled(src, 32 * kMiB, 155));
    QVERIFY(createSparse(backing, 32 * kMiB));
    // Two failing ranges, the later one first in the argument list.
    auto fs = FaultFs::mount(backing,
                             {QStringLiteral("--write-error"), QStringLiteral("20971520:4096:EIO"),
                              QStringLiteral("--write-error"), QStringLiteral("8388608:4096:EIO")},
                             &why);
    QVERIFY2(fs, qPrintable(why));
    const QStringList args{QStringLiteral("mirror"), src,
                           fs->diskPath(),           QStringLiteral("--on-target-error"),
                           QStringLiteral("ignore"), QStringLiteral("--complete-when-ready")};
    const auto r = cli(args + QStringList{QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitSkipped, qPrintable(show(r)));
    const QJsonObject data =
        lastEvent(parseJsonLines(r.out).objects).value(QStringLiteral("data")).toObject();
    QCOMPARE(data.value(QStringLiteral("outcome")).toString(), QStringLiteral("completed"));
    QVERIFY2(data.value(QStringLiteral("ranges-skipped")).toBool(), qPrintable(show(r)));
    const QJsonArray ranges = data.value(QStringLiteral("unwritable")).toArray();
    QVERIFY2(ranges.size() >= 2, qPrintable(show(r)));
    qint64 unwritten = 0;
    qint64 end = -1;
    for (const auto& v : ranges) {
        const QJsonObject o = v.toObject();
        const qint64 off = o.value(QStringLiteral("offset")).toInteger();
        QVERIFY2(off > end, "ranges not sorted and merged");
        end = off + o.value(QStringLiteral("length")).toInteger();
        unwritten += o.value(QStringLiteral("length")).toInteger();
    }
    QCOMPARE(data.value(QStringLiteral("unwritten-bytes")).toInteger(), unwritten);
    const qint64 firstUnwritten =
        ranges.first().toObject().value(QStringLiteral("offset")).toInteger();
    QVERIFY(firstUnwritten <= 8 * qint64(kMiB));
    // A person reads how much is missing, not "in sync".
    const auto human = cli(args);
    QVERIFY2(human.exitCode == kExitSkipped, qPrintable(show(human)));
    QVERIFY2(human.err.contains(QStringLiteral("bytes of")) &&
                 human.err.contains(QStringLiteral("were not written")) &&
                 !human.err.contains(QStringLiteral("is identical")),
             qPrintable(show(human)));
    fs.reset();
    QVERIFY(cmpIdenticalPrefix(src, backing, static_cast<std::uint64_t>(firstUnwritten)));
}

void TestCli::sourceErrorIgnored_exit8_zeroedRangeNamed()
{
    QString why;
    if (!FaultFs::available(&why))
        QSKIP(qPrintable(why));
    ScratchDir dir;
    const QString backing = dir.file(QStringLiteral("src-backing.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeFilled(backing, 16 * kMiB, 157));
    auto fs = FaultFs::mount(
        backing, {QStringLiteral("--read-error"), QStringLiteral("5242880:4096:EIO")}, &why);
    QVERIFY2(fs, qPrintable(why));
    const auto r = cli({QStringLiteral("mirror"), fs->diskPath(), dst,
                        QStringLiteral("--on-source-error"), QStringLiteral("ignore"),
                        QStringLiteral("--complete-when-ready"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitSkipped, qPrintable(show(r)));
    const QJsonObject data =
        lastEvent(parseJsonLines(r.out).objects).value(QStringLiteral("data")).toObject();
    QCOMPARE(data.value(QStringLiteral("outcome")).toString(), QStringLiteral("completed"));
    QVERIFY(data.value(QStringLiteral("ranges-skipped")).toBool());
    QCOMPARE(data.value(QStringLiteral("unreadable-bytes")).toInteger(), 4096);
    const QJsonArray ranges = data.value(QStringLiteral("unreadable")).toArray();
    QCOMPARE(ranges.size(), 1);
    QCOMPARE(ranges.first().toObject().value(QStringLiteral("offset")).toInteger(), 5242880);
    fs.reset();
    // Everything but the unreadable block arrived; that block is zeroes.
    QVERIFY(cmpIdenticalPrefix(backing, dst, 5242880));
    QCOMPARE(readBytes(dst, 5242880, 4096), QByteArray(4096, '\0'));
    QCOMPARE(readBytes(dst, 5242880 + 4096, 11 * kMiB - 4096),
             readBytes(backing, 5242880 + 4096, 11 * kMiB - 4096));
}

void TestCli::badInput_targetOneByteSmaller_sizesInBytes()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeFilled(src, 16 * kMiB, 156));
    QVERIFY(createSparse(dst, 16 * kMiB - 1));
    const FileState before = fileState(dst);
    const auto r =
        cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("(16777215 bytes)")) &&
                 r.err.contains(QStringLiteral("(16777216 bytes)")),
             qPrintable(show(r)));
    QVERIFY(fileState(dst) == before);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
