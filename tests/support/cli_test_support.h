// Helpers shared by the drivemirror-cli suites (tst_cli_*): images with
// known content, the state a refused run must not change, the CLI run to
// completion or as a session on stdin and stdout, and its --json lines.
#pragma once

#include "test_support.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTest>
#include <QtDebug>

#include <signal.h>
#include <sys/types.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace clitest {

using testsupport::CommandResult;

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = 1024 * kKiB;
constexpr int kExitOk = 0;
constexpr int kExitBadInput = 2;
constexpr int kExitAborted = 5;
constexpr int kExitDifferent = 6;
constexpr int kExitInternal = 1;
constexpr int kExitNotCompleted = 7;
constexpr int kExitSkipped = 8;
constexpr int kExitCancelledReady = 9;
constexpr int kExitNotVerified = 10;
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

// Everything a refused run must leave as it was (lstat: a link is a link).
struct FileState
{
    bool exists = false;
    mode_t mode = 0;
    uid_t uid = 0;
    gid_t gid = 0;
    off_t size = 0;
    time_t mtimeSec = 0;
    long mtimeNsec = 0;
    QByteArray hash; ///< of regular files and block devices

    bool operator==(const FileState&) const = default;
};

struct JsonLines
{
    QList<QJsonObject> objects;
    QStringList bad; ///< lines that are not one JSON object each
};

/// Writes a sparse image of @p size bytes holding @p extents.
bool makeImage(const QString& path, std::uint64_t size, const std::vector<Extent>& extents);
// A 64 MiB image of every kind of region a copy meets: pseudo-random data
// with 25.6 MiB of holes between, zeroes written as data, an extent that is
// not granule-aligned, and data in the last granule.
constexpr std::uint64_t kMixedImageSize = 64 * kMiB;
const std::vector<Extent>& mixedImageExtents();
// Bytes of @p extents that are neither holes nor zeroes: what a sparse copy
// allocates, and what a speed limit charges for.
std::uint64_t dataBytes(const std::vector<Extent>& extents);
/// A whole image of pseudo-random data.
bool makeFilled(const QString& path, std::uint64_t size, std::uint64_t seed);
/// Up to @p length bytes at @p offset (fewer at the end of the file).
QByteArray readBytes(const QString& path, std::uint64_t offset, std::uint64_t length);
/// SHA-1 of a file's or a block device's first @p length bytes (0: all);
/// never through a link: the hash is of the node itself. SHA-1, not a
/// stronger hash: it only tells a changed disk from an unchanged one, and
/// the refusal tests hash gigabytes.
QByteArray contentHash(const QString& path, std::uint64_t length = 0);
FileState fileState(const QString& path);
QString describe(const FileState& s);
/// Sets the mtime to kOldMtime, so that any later write shows (of a link,
/// the link's own).
bool setOldMtime(const QString& path);
/// True when @p name is on PATH or in /usr/sbin or /sbin.
bool haveTool(const QString& name);
/// A directory's entries, hidden ones included, sorted by name.
QStringList dirEntries(const QString& dir);

/// Runs drivemirror-cli to completion.
CommandResult cli(const QStringList& args, int timeoutMs = 60000);
/// Exit code, stdout and stderr of a run, for a failure message.
QString show(const CommandResult& r);
/// The CLI under a locale: LANGUAGE and LANG as given (empty: unset), every
/// LC_* variable unset, so that Qt and the C library see only these.
CommandResult cliInLocale(const QString& language, const QString& lang, const QStringList& args,
                          int timeoutMs = 60000);
/// stderr holds exactly one line, the CLI's error message.
bool isOneLineError(const QString& err);

/// The structure of a --json run: each event name (or "return") with the
/// keys of its data, in order; progress events, whose number depends on
/// timing, only once.
QStringList jsonStructure(const QList<QJsonObject>& objects);
JsonLines parseJsonLines(const QString& out);
bool isEvent(const QJsonObject& o, const QString& name);
bool isStatusChange(const QJsonObject& o, const QString& status);
/// A reply to a stdin command ("return" or "error"), not an event.
bool isReply(const QJsonObject& o);
QList<QJsonObject> eventsNamed(const QList<QJsonObject>& all, const QString& name);
/// The statuses of the JOB_STATUS_CHANGE events, in order.
QStringList statusSequence(const QList<QJsonObject>& all);
/// The last line that is an event (replies and status lines excluded).
QJsonObject lastEvent(const QList<QJsonObject>& all);
/// An integer of an event's data; -1 when absent.
qint64 dataInt(const QJsonObject& event, const char* key);
/// The job is dismissed (null) before it reports its end, so every status
/// list closes with concluded, null: the list without that null.
QStringList withoutTrailingNull(QStringList statuses);
/// True when one of verify's differences covers @p offset.
bool differencesContain(const QJsonArray& differences, qint64 offset);

/// Checks what every CLI suite needs (the binary, cmp, qemu-img) from its
/// initTestCase, and makes the CLIs it starts speak English: every check
/// outside the locale tests reads the CLI's English, whatever language the
/// environment that runs ctest speaks.
void initCliSuite();

/// 256 MiB of data, made on first use and kept for the suite: a throttled
/// run on it lasts long enough for a test to act while it runs.
class BigSource
{
public:
    /// Empty when the image could not be made.
    QString path();

private:
    std::unique_ptr<testsupport::ScratchDir> m_dir;
    QString m_path;
};

// A running drivemirror-cli with its stdin open for commands and its stdout
// parsed into JSON lines as they arrive.
class CliSession
{
public:
    ~CliSession()
    {
        // A failure message is cut short; the whole story goes to the log.
        if (QTest::currentTestFailed())
            qWarning().noquote() << story();
        if (m_proc.state() != QProcess::NotRunning) {
            m_proc.kill();
            m_proc.waitForFinished(30000);
        }
    }

    bool start(const QStringList& args)
    {
        m_proc.setProgram(testsupport::cliPath());
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
    int waitForEvent(const QString& name, std::chrono::milliseconds limit, int from = 0)
    {
        return waitForEvent(name, static_cast<int>(limit.count()), from);
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
            m_proc.waitForFinished(30000);
            pump();
            return -2;
        }
        pump();
        return m_proc.exitStatus() == QProcess::NormalExit ? m_proc.exitCode() : -3;
    }

    int finish(std::chrono::milliseconds limit) { return finish(static_cast<int>(limit.count())); }

    qint64 pid() const { return m_proc.processId(); }
    void signal(int sig) { ::kill(static_cast<pid_t>(m_proc.processId()), sig); }
    /// The events called @p name so far.
    QList<QJsonObject> events(const QString& name)
    {
        pump();
        return eventsNamed(m_lines, name);
    }
    /// The last event so far (replies and status lines excluded).
    QJsonObject lastEvent()
    {
        pump();
        return clitest::lastEvent(m_lines);
    }
    const QList<QJsonObject>& lines() const { return m_lines; }
    const QStringList& badLines() const { return m_bad; }
    QString transcript() const
    {
        return QStringLiteral("--- stdout:\n%1\n--- stderr:\n%2")
            .arg(QString::fromUtf8(m_out.right(6000)), QString::fromLocal8Bit(m_err.right(4000)));
    }

private:
    /// The whole run without the progress events, for the log.
    QString story()
    {
        pump();
        QByteArray out;
        for (const QByteArray& line : m_out.split('\n'))
            if (!line.contains("BLOCK_JOB_PROGRESS"))
                out += line + '\n';
        return QStringLiteral(
                   "--- drivemirror-cli %1, stdout (without progress):\n%2--- stderr:\n%3")
            .arg(m_proc.processId())
            .arg(QString::fromUtf8(out.right(20000)), QString::fromLocal8Bit(m_err.right(20000)));
    }

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
        m_ok = testsupport::runCommand(QStringLiteral("mount"), {device, dir}).exitCode == 0;
    }
    ~Mount() { unmount(); }
    bool ok() const { return m_ok; }
    bool unmount()
    {
        if (!m_ok)
            return true;
        m_ok = testsupport::runCommand(QStringLiteral("umount"), {m_dir}).exitCode != 0;
        return !m_ok;
    }

private:
    QString m_dir;
    bool m_ok = false;
};

/// A station config (JSON) with one slot per device, matched by DEVNAME and
/// labelled P1, P2, ...; verify and wipe-rest on, fixed disks allowed (loop
/// devices are not removable).
QByteArray stationConfigText(const QStringList& devices, const QString& source, const QString& log,
                             const QString& after, const QString& station);

} // namespace clitest
