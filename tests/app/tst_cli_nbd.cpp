// drivemirror-cli mirror onto an NBD export: a TARGET given as a libnbd URI
// (nbd+unix://, nbd://, nbds+unix://, nbds://) served by programs no one here
// wrote (qemu-nbd, nbdkit's file plugin) and by our own `serve`, with TLS-PSK
// too. The copy is checked on the file behind the export with cmp and
// qemu-img compare; refusals (a read-only or too small export, a malformed
// URI, nobody listening, a wrong key) must exit 2 with one line naming the
// URI and leave that file as it was, down to its mtime. Unix sockets in a
// private scratch directory, and loopback TCP for TLS, only. The loop device
// cases need root and skip, saying so.
#include "cli_test_support.h"
#include "test_support.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QScopeGuard>
#include <QThread>
#include <QtTest>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <vector>

using namespace clitest;
using namespace testsupport;

// QSKIP returns from the function it is written in: a macro, not a helper.
#define SKIP_WITHOUT_TOOL(tool, package)                                                           \
    do {                                                                                           \
        if (!haveTool(QStringLiteral(tool)))                                                       \
            QSKIP(tool " is not installed (package " package ")");                                 \
    } while (false)

namespace {

constexpr std::uint64_t kSize = kMixedImageSize;
// The PSK files `serve --tls-psk` and libnbd's tls-psk-file read.
constexpr char kRightKey[] =
    "alice:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n";
constexpr char kWrongKey[] =
    "alice:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210\n";

// The source: every kind of region a copy meets.
const std::vector<Extent>& kSourceExtents = mixedImageExtents();

std::uint64_t sourceDataBytes()
{
    return dataBytes(kSourceExtents);
}

// A socket file that nobody listens on any more (connect: ECONNREFUSED).
bool makeStaleSocket(const QString& path)
{
    sockaddr_un addr{};
    if (!unixSocketAddress(path, &addr))
        return false;
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok && QFile::exists(path) && !unixSocketAccepts(path);
}

QString unixUri(const QString& exportName, const QString& socket)
{
    return QStringLiteral("nbd+unix:///%1?socket=%2").arg(exportName, socket);
}

// The size of a file or a block device (whose st_size is 0).
std::uint64_t byteSize(const QString& path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    const off_t end = ::lseek(fd, 0, SEEK_END);
    ::close(fd);
    return end < 0 ? 0 : static_cast<std::uint64_t>(end);
}

bool writeText(const QString& path, const QByteArray& text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

// What is wrong with the copy, or empty: cmp and qemu-img compare of the
// source and the file behind the export, and, when @p uri is given,
// qemu-img compare of the source and the export read through its server.
QString copyDiffers(const QString& source, const QString& exportFile, const QString& uri = {})
{
    if (byteSize(exportFile) != byteSize(source))
        return QStringLiteral("the export file is %1 bytes, the source %2")
            .arg(byteSize(exportFile))
            .arg(byteSize(source));
    if (!cmpIdentical(source, exportFile))
        return QStringLiteral("cmp: %1 differs from the source %2").arg(exportFile, source);
    const auto q = qemuImgIdentical(source, exportFile);
    if (!q.has_value())
        return QStringLiteral("qemu-img compare could not run");
    if (!*q)
        return QStringLiteral("qemu-img compare: %1 differs from the source").arg(exportFile);
    if (!uri.isEmpty()) {
        const auto r =
            runCommand(QStringLiteral("qemu-img"),
                       {QStringLiteral("compare"), QStringLiteral("-f"), QStringLiteral("raw"),
                        QStringLiteral("-F"), QStringLiteral("raw"), source, uri},
                       60000);
        if (r.exitCode != 0)
            return QStringLiteral("qemu-img compare through %1:\n%2").arg(uri, show(r));
    }
    return {};
}

// An NBD server of another project (qemu-nbd, nbdkit) on a unix socket,
// exporting one file; stopped when the object goes, and with this process
// (PR_SET_PDEATHSIG; nbdkit also --exit-with-parent) when a timeout kills it.
class NbdServer
{
public:
    /// NbdkitWriteback keeps writes in nbdkit's cache filter until a flush:
    /// a server killed loses what it had not flushed, as a machine that
    /// loses power loses its write cache.
    enum class Kind { QemuNbd, Nbdkit, NbdkitWriteback };

    /// nullptr with the reason when the server does not listen within 15 s.
    static std::unique_ptr<NbdServer> start(Kind kind, const QString& file, const QString& socket,
                                            const QString& exportName, bool readOnly, QString* why)
    {
        std::unique_ptr<NbdServer> s(new NbdServer);
        s->m_kind = kind;
        s->m_readOnly = readOnly;
        s->m_socket = socket;
        s->m_export = exportName;
        s->m_log = socket + QStringLiteral(".log");
        QString program;
        QStringList args;
        if (kind == Kind::QemuNbd) {
            program = QStringLiteral("qemu-nbd");
            args << QStringLiteral("--format=raw") << QStringLiteral("--persistent")
                 << QStringLiteral("--shared=0");
            args << (readOnly ? QStringLiteral("--read-only") : QStringLiteral("--discard=unmap"));
            args << QStringLiteral("--socket=") + socket
                 << QStringLiteral("--export-name=") + exportName << file;
        } else {
            // The file plugin serves one file under any export name.
            program = QStringLiteral("nbdkit");
            if (readOnly)
                args << QStringLiteral("-r");
            args << QStringLiteral("--unix") << socket << QStringLiteral("--foreground")
                 << QStringLiteral("--exit-with-parent");
            if (kind == Kind::NbdkitWriteback)
                args << QStringLiteral("--filter=cache");
            args << QStringLiteral("file") << file;
            if (kind == Kind::NbdkitWriteback)
                args << QStringLiteral("cache=writeback");
        }
        s->m_commandLine = program + QLatin1Char(' ') + args.join(QLatin1Char(' '));
        QFile::remove(s->m_log);
        s->m_proc.setStandardOutputFile(s->m_log, QIODevice::Append);
        s->m_proc.setStandardErrorFile(s->m_log, QIODevice::Append);
        s->m_proc.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        s->m_proc.start(program, args);
        if (!s->m_proc.waitForStarted(10000)) {
            *why = s->m_commandLine + QStringLiteral(": did not start");
            return nullptr;
        }
        const bool up = waitFor(
            [&] { return s->m_proc.state() != QProcess::Running || unixSocketAccepts(socket); },
            std::chrono::seconds(15));
        if (!up || s->m_proc.state() != QProcess::Running) {
            *why = s->m_commandLine + QStringLiteral(": does not listen on ") + socket +
                   QStringLiteral("\n") + s->logText();
            return nullptr;
        }
        return s;
    }

    ~NbdServer()
    {
        if (m_proc.state() == QProcess::NotRunning)
            return;
        m_proc.terminate();
        if (!m_proc.waitForFinished(10000)) {
            m_proc.kill();
            m_proc.waitForFinished(5000);
        }
    }

    /// A server of the same kind on the same socket and export name, serving
    /// @p file: this one restarted (kill() it first), or another disk put
    /// in its place.
    std::unique_ptr<NbdServer> again(const QString& file, QString* why) const
    {
        QFile::remove(m_socket);
        return start(m_kind, file, m_socket, m_export, m_readOnly, why);
    }

    QString uri() const { return unixUri(m_export, m_socket); }
    bool running() const { return m_proc.state() == QProcess::Running; }
    /// Gone at once, as a crashed or rebooted server.
    void kill()
    {
        m_proc.kill();
        m_proc.waitForFinished(10000);
    }
    QString logText() const
    {
        QFile f(m_log);
        return f.open(QIODevice::ReadOnly) ? QString::fromLocal8Bit(f.readAll()) : QString();
    }
    QString describe() const { return m_commandLine + QStringLiteral("\n") + logText(); }

private:
    NbdServer() = default;
    Kind m_kind = Kind::QemuNbd;
    bool m_readOnly = false;
    QProcess m_proc;
    QString m_socket, m_export, m_log, m_commandLine;
};

// A `serve` session ended at the end of a test, also of one that failed,
// and its qemu-nbd gone before the scratch directory is removed.
class ServeStopper
{
public:
    ServeStopper(CliSession& session, const QJsonObject& serving)
        : m_session(session), m_server(serving.value(QStringLiteral("pid")).toInteger())
    {
    }
    ~ServeStopper()
    {
        // processId() is 0 once it ended: kill(0) would signal this process group.
        if (m_session.pid() > 0)
            m_session.signal(SIGTERM);
        m_session.finish(15000);
        if (m_server > 0)
            waitFor([this] { return !processAlive(m_server); }, std::chrono::seconds(10));
    }
    ServeStopper(const ServeStopper&) = delete;
    ServeStopper& operator=(const ServeStopper&) = delete;

private:
    CliSession& m_session;
    qint64 m_server;
};

} // namespace

class TestCliNbd : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();

    // Copies onto the servers, checked on the file behind the export.
    void imageToQemuNbd_syncFull_identical();
    void imageToNbdkit_syncFull_identical();
    void imageToServe_syncFull_identical();
    void imageToQemuNbd_syncTop_identical();
    void imageToQemuNbd_syncNone_exportUnchanged();
    void imageToQemuNbd_granularityAndSpeed_identical_data();
    void imageToQemuNbd_granularityAndSpeed_identical();
    void imageToServeTlsPsk_rightKey_identical_data();
    void imageToServeTlsPsk_rightKey_identical();
    void imageToServeTlsPsk_wrongKey_refusedExportUnchanged_data();
    void imageToServeTlsPsk_wrongKey_refusedExportUnchanged();

    // Block devices as the source (root).
    void loopDeviceToQemuNbd_offline_identical();
    void liveLoopDeviceToQemuNbd_writesDuringJob_identical();

    // Refusals: exit 2, one line naming the URI, nothing written.
    void readOnlyExport_refusedNothingWritten_data();
    void readOnlyExport_refusedNothingWritten();
    void smallerExport_refusedNothingWritten();
    void malformedUri_refusedOneLine_data();
    void malformedUri_refusedOneLine();
    void unreachableServer_refusedOneLine_data();
    void unreachableServer_refusedOneLine();

    // --json names the target by its URI.
    void imageToQemuNbd_json_eventsNameTheUri();

    // More than one export, a server that goes away, data on the export
    void oneSourceTwoExports_bothIdentical();
    void serverKilledMidJob_targetFails_resumeAfterRestartIdentical();
    void serverRestartedMidJob_jobConnectsAgain_identical_data();
    void serverRestartedMidJob_jobConnectsAgain_identical();
    void sourceServerRestartedMidJob_jobConnectsAgain_identical();
    void serverBackWithAnotherDisk_jobFails_data();
    void serverBackWithAnotherDisk_jobFails();
    void exportHoldingFileSystem_refusedUnlessOverwrite();
    void exportAsSource_syncFullAndTop_identical_data();
    void exportAsSource_syncFullAndTop_identical();
    void exportToExport_identical();
    void sameExportBothEnds_refusedOneLine();

private:
    /// A fresh source image (kSourceExtents) in the test's own directory.
    QString makeSource(const QString& name);
    /// Starts `serve FILE ARGS --json`; the SERVING event's data, or empty.
    QJsonObject serve(CliSession& s, const QString& file, const QStringList& args);
    /// The refusal contract: exit 2, one line on stderr naming @p uri,
    /// nothing made in the working directory.
    QString refusalBroken(const CommandResult& r, const QString& uri,
                          const QStringList& cwdBefore) const;

    std::unique_ptr<ScratchDir> m_dir;
    std::unique_ptr<ScratchDir> m_test; ///< one per test function, emptied by init()
    QString m_cwd;
};

void TestCliNbd::initTestCase()
{
    initCliSuite();
    m_dir = std::make_unique<ScratchDir>();
    QVERIFY(m_dir->isValid());
    // The CLI runs in a directory of its own: a URI it took for a relative
    // path would show there as a new file.
    m_cwd = m_dir->file(QStringLiteral("cwd"));
    QVERIFY(QDir().mkpath(m_cwd));
    QVERIFY(QDir::setCurrent(m_cwd));
}

void TestCliNbd::init()
{
    m_test.reset();
    m_test = std::make_unique<ScratchDir>();
    QVERIFY(m_test->isValid());
}

QString TestCliNbd::makeSource(const QString& name)
{
    const QString path = m_test->file(name);
    return makeImage(path, kSize, kSourceExtents) ? path : QString();
}

QJsonObject TestCliNbd::serve(CliSession& s, const QString& file, const QStringList& args)
{
    if (!s.start(QStringList{QStringLiteral("serve"), file} + args +
                 QStringList{QStringLiteral("--json")}))
        return {};
    const int i = s.waitForEvent(QStringLiteral("SERVING"), 20000);
    if (i < 0)
        return {};
    return s.lines()[i].value(QStringLiteral("data")).toObject();
}

QString TestCliNbd::refusalBroken(const CommandResult& r, const QString& uri,
                                  const QStringList& cwdBefore) const
{
    if (r.exitCode != kExitBadInput)
        return QStringLiteral("exit code %1, not 2\n").arg(r.exitCode) + show(r);
    if (!isOneLineError(r.err))
        return QStringLiteral("stderr is not one line\n") + show(r);
    if (!r.err.contains(uri))
        return QStringLiteral("stderr does not name %1\n").arg(uri) + show(r);
    const QStringList cwdAfter = dirEntries(m_cwd);
    if (cwdAfter != cwdBefore)
        return QStringLiteral("the working directory changed: %1 -> %2")
            .arg(cwdBefore.join(QLatin1Char(' ')), cwdAfter.join(QLatin1Char(' ')));
    return {};
}

// ---------------------------------------------------------------------------
// Copies onto the servers

void TestCliNbd::imageToQemuNbd_syncFull_identical()
{
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    // Other data everywhere: the source's holes must become zeroes too.
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 99));
    const QByteArray srcBefore = contentHash(src);
    QString why;
    auto server = NbdServer::start(NbdServer::Kind::QemuNbd, exp, m_test->file("q.sock"),
                                   QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));

    const auto r = cli({QStringLiteral("mirror"), src, server->uri(), QStringLiteral("--sync"),
                        QStringLiteral("full"), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QString differs = copyDiffers(src, exp, server->uri());
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
    QVERIFY2(contentHash(src) == srcBefore, "the source changed");
    QVERIFY2(server->running(), qPrintable(server->describe()));
}

void TestCliNbd::imageToNbdkit_syncFull_identical()
{
    SKIP_WITHOUT_TOOL("nbdkit", "nbdkit");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 98));
    QString why;
    auto server = NbdServer::start(NbdServer::Kind::Nbdkit, exp, m_test->file("k.sock"),
                                   QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));

    const auto r = cli({QStringLiteral("mirror"), src, server->uri(), QStringLiteral("--sync"),
                        QStringLiteral("full"), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QString differs = copyDiffers(src, exp, server->uri());
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
    QVERIFY2(server->running(), qPrintable(server->describe()));
}

void TestCliNbd::imageToServe_syncFull_identical()
{
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 97));
    const QString sock = m_test->file(QStringLiteral("s.sock"));
    CliSession server;
    const QJsonObject d = serve(server, exp,
                                {QStringLiteral("--listen"), QStringLiteral("unix:") + sock,
                                 QStringLiteral("--export"), QStringLiteral("disk")});
    QVERIFY2(!d.isEmpty(), qPrintable(server.transcript()));
    const ServeStopper stopper(server, d);
    // The URI serve prints is the one a mirror takes.
    const QString uri = d.value(QStringLiteral("uri")).toString();
    QCOMPARE(uri, unixUri(QStringLiteral("disk"), sock));

    const auto r = cli({QStringLiteral("mirror"), src, uri, QStringLiteral("--sync"),
                        QStringLiteral("full"), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QString differs = copyDiffers(src, exp, uri);
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
    QVERIFY2(server.events(QStringLiteral("SERVE_ENDED")).isEmpty(),
             qPrintable(server.transcript()));
    server.signal(SIGTERM);
    QCOMPARE(server.finish(15000), 0);
}

void TestCliNbd::imageToQemuNbd_syncTop_identical()
{
    // A raw image's allocated extents are all of its data: onto a blank
    // export, top gives the same bytes as full.
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(createSparse(exp, kSize));
    QString why;
    auto server = NbdServer::start(NbdServer::Kind::QemuNbd, exp, m_test->file("q.sock"),
                                   QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));

    const auto r = cli({QStringLiteral("mirror"), src, server->uri(), QStringLiteral("--sync"),
                        QStringLiteral("top"), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QString differs = copyDiffers(src, exp);
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
}

void TestCliNbd::imageToQemuNbd_syncNone_exportUnchanged()
{
    // Nothing writes the source while the job runs: nothing to copy.
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 96));
    QVERIFY(setOldMtime(exp));
    const FileState before = fileState(exp);
    QString why;
    auto server = NbdServer::start(NbdServer::Kind::QemuNbd, exp, m_test->file("q.sock"),
                                   QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));

    const auto r = cli({QStringLiteral("mirror"), src, server->uri(), QStringLiteral("--sync"),
                        QStringLiteral("none"), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    // The old data is still there (a copy would have replaced it).
    QVERIFY2(contentHash(exp) == before.hash, "sync none wrote data onto the export");
    QVERIFY2(!cmpIdentical(src, exp), "sync none made the export a copy");
}

void TestCliNbd::imageToQemuNbd_granularityAndSpeed_identical_data()
{
    QTest::addColumn<QString>("granularity");
    QTest::addColumn<QString>("speed");
    QTest::addColumn<qint64>("granuleBytes");
    QTest::addColumn<qint64>("bytesPerSecond");
    QTest::newRow("64K at 200M") << QStringLiteral("64K") << QStringLiteral("200M")
                                 << qint64(64 * kKiB) << qint64(200 * kMiB);
    // Slow enough for the limit to show in the time the copy takes.
    QTest::newRow("4K at 16M") << QStringLiteral("4K") << QStringLiteral("16M") << qint64(4 * kKiB)
                               << qint64(16 * kMiB);
}

void TestCliNbd::imageToQemuNbd_granularityAndSpeed_identical()
{
    QFETCH(QString, granularity);
    QFETCH(QString, speed);
    QFETCH(qint64, granuleBytes);
    QFETCH(qint64, bytesPerSecond);
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 95));
    QString why;
    auto server = NbdServer::start(NbdServer::Kind::QemuNbd, exp, m_test->file("q.sock"),
                                   QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));

    QElapsedTimer clock;
    clock.start();
    const auto r = cli({QStringLiteral("mirror"), src, server->uri(),
                        QStringLiteral("--granularity"), granularity, QStringLiteral("--speed"),
                        speed, QStringLiteral("--json"), QStringLiteral("--complete-when-ready")},
                       120000);
    const double seconds = static_cast<double>(clock.elapsed()) / 1000.0;
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QString differs = copyDiffers(src, exp);
    QVERIFY2(differs.isEmpty(), qPrintable(differs));

    const auto json = parseJsonLines(r.out);
    QVERIFY2(json.bad.isEmpty(), qPrintable(json.bad.join(QLatin1Char('\n'))));
    const auto started = eventsNamed(json.objects, QStringLiteral("JOB_STARTED"));
    QVERIFY2(started.size() == 1, qPrintable(show(r)));
    QCOMPARE(dataInt(started.front(), "granularity"), granuleBytes);
    // Zero runs are not charged; the data is. Leave room for a first burst.
    const double least =
        0.6 * static_cast<double>(sourceDataBytes()) / static_cast<double>(bytesPerSecond);
    QVERIFY2(seconds >= least,
             qPrintable(QStringLiteral("%1 bytes of data copied in %2 s at --speed %3 (at least "
                                       "%4 s expected)")
                            .arg(sourceDataBytes())
                            .arg(seconds)
                            .arg(speed)
                            .arg(least)));
}

void TestCliNbd::imageToServeTlsPsk_rightKey_identical_data()
{
    QTest::addColumn<bool>("tcp");
    QTest::newRow("nbds:// on loopback TCP") << true;
    QTest::newRow("nbds+unix://") << false;
}

void TestCliNbd::imageToServeTlsPsk_rightKey_identical()
{
    QFETCH(bool, tcp);
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 94));
    const QString keys = m_test->file(QStringLiteral("keys.psk"));
    QVERIFY(writeText(keys, kRightKey));
    const QString sock = m_test->file(QStringLiteral("tls.sock"));
    const quint16 port = freePort();
    QVERIFY(port != 0);
    const QString listen =
        tcp ? QStringLiteral("tcp:127.0.0.1:%1").arg(port) : QStringLiteral("unix:") + sock;
    CliSession server;
    const QJsonObject d = serve(server, exp,
                                {QStringLiteral("--listen"), listen, QStringLiteral("--export"),
                                 QStringLiteral("disk"), QStringLiteral("--tls-psk"), keys});
    QVERIFY2(!d.isEmpty(), qPrintable(server.transcript()));
    const ServeStopper stopper(server, d);
    QCOMPARE(d.value(QStringLiteral("tls")).toBool(), true);
    const QString uri =
        tcp ? QStringLiteral("nbds://alice@127.0.0.1:%1/disk?tls-psk-file=%2").arg(port).arg(keys)
            : QStringLiteral("nbds+unix://alice@/disk?socket=%1&tls-psk-file=%2").arg(sock, keys);

    const auto r =
        cli({QStringLiteral("mirror"), src, uri, QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QString differs = copyDiffers(src, exp);
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
    server.signal(SIGTERM);
    QCOMPARE(server.finish(15000), 0);
}

void TestCliNbd::imageToServeTlsPsk_wrongKey_refusedExportUnchanged_data()
{
    QTest::addColumn<QString>("client"); // wrong-key, no-tls
    QTest::newRow("another key under the same name") << QStringLiteral("wrong-key");
    QTest::newRow("no TLS at all") << QStringLiteral("no-tls");
}

void TestCliNbd::imageToServeTlsPsk_wrongKey_refusedExportUnchanged()
{
    QFETCH(QString, client);
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 93));
    QVERIFY(setOldMtime(exp));
    const FileState before = fileState(exp);
    const QString keys = m_test->file(QStringLiteral("keys.psk"));
    const QString wrong = m_test->file(QStringLiteral("wrong.psk"));
    QVERIFY(writeText(keys, kRightKey));
    QVERIFY(writeText(wrong, kWrongKey));
    const quint16 port = freePort();
    QVERIFY(port != 0);
    CliSession server;
    const QJsonObject d = serve(
        server, exp,
        {QStringLiteral("--listen"), QStringLiteral("tcp:127.0.0.1:%1").arg(port),
         QStringLiteral("--export"), QStringLiteral("disk"), QStringLiteral("--tls-psk"), keys});
    QVERIFY2(!d.isEmpty(), qPrintable(server.transcript()));
    const ServeStopper stopper(server, d);
    const QString uri =
        client == QStringLiteral("wrong-key")
            ? QStringLiteral("nbds://alice@127.0.0.1:%1/disk?tls-psk-file=%2").arg(port).arg(wrong)
            : QStringLiteral("nbd://127.0.0.1:%1/disk").arg(port);
    const QStringList cwdBefore = dirEntries(m_cwd);

    const auto r =
        cli({QStringLiteral("mirror"), src, uri, QStringLiteral("--complete-when-ready")}, 30000);
    const QString broken = refusalBroken(r, uri, cwdBefore);
    QVERIFY2(broken.isEmpty(), qPrintable(broken));
    const FileState after = fileState(exp);
    QVERIFY2(after == before, qPrintable(QStringLiteral("the export file changed: %1 -> %2")
                                             .arg(describe(before), describe(after))));
    // The server is still up for a client with the key.
    QVERIFY2(server.events(QStringLiteral("SERVE_ENDED")).isEmpty(),
             qPrintable(server.transcript()));
    server.signal(SIGTERM);
    QCOMPARE(server.finish(15000), 0);
}

// ---------------------------------------------------------------------------
// Block devices as the source

void TestCliNbd::loopDeviceToQemuNbd_offline_identical()
{
    if (!isRoot())
        QSKIP("needs root: attaches a loop device");
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString backing = makeSource(QStringLiteral("src.img"));
    QVERIFY(!backing.isEmpty());
    QString why;
    auto loop = LoopDevice::attach(backing, &why);
    QVERIFY2(loop, qPrintable(why));
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 92));
    auto server = NbdServer::start(NbdServer::Kind::QemuNbd, exp, m_test->file("q.sock"),
                                   QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));
    const QByteArray srcBefore = contentHash(loop->path());

    const auto r = cli({QStringLiteral("mirror"), loop->path(), server->uri(),
                        QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QString differs = copyDiffers(loop->path(), exp);
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
    QVERIFY2(contentHash(loop->path()) == srcBefore, "the source device changed");
}

void TestCliNbd::liveLoopDeviceToQemuNbd_writesDuringJob_identical()
{
    // A writer keeps writing the source device (O_DIRECT, 64 KiB at random
    // places) before the job, while it copies and after READY; it stops, and
    // `complete` must then leave the export equal to the device.
    if (!isRoot())
        QSKIP("needs root: a loop device the kernel tracks writes to");
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString backing = makeSource(QStringLiteral("src.img"));
    QVERIFY(!backing.isEmpty());
    QString why;
    auto loop = LoopDevice::attach(backing, &why);
    QVERIFY2(loop, qPrintable(why));
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 91));
    auto server = NbdServer::start(NbdServer::Kind::QemuNbd, exp, m_test->file("q.sock"),
                                   QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));
    const QByteArray srcBefore = contentHash(loop->path());

    constexpr std::size_t kBlock = 64 * kKiB;
    std::atomic<int> writes{0};
    std::atomic<bool> writeFailed{false};
    BackgroundLoop writer;
    const std::string dev = loop->stdPath();
    writer.start([&writes, &writeFailed, &writer, dev] {
        const int fd = ::open(dev.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
        void* mem = nullptr;
        if (fd < 0 || ::posix_memalign(&mem, 4096, kBlock) != 0) {
            writeFailed = true;
            if (fd >= 0)
                ::close(fd);
            return;
        }
        auto* words = static_cast<std::uint64_t*>(mem);
        std::mt19937_64 rng(4711);
        while (!writer.stopping()) {
            for (std::size_t i = 0; i < kBlock / sizeof(std::uint64_t); ++i)
                words[i] = rng() | 1;
            const auto at = static_cast<off_t>((rng() % (kSize / kBlock)) * kBlock);
            if (::pwrite(fd, mem, kBlock, at) != static_cast<ssize_t>(kBlock)) {
                writeFailed = true;
                break;
            }
            ++writes;
            QThread::msleep(15);
        }
        std::free(mem);
        ::close(fd);
    });
    auto stopWriter = qScopeGuard([&] { writer.stop(); });
    QVERIFY2(waitFor([&] { return writes >= 5 || writeFailed; }, std::chrono::seconds(10)),
             "the writer did not get going");
    QVERIFY2(!writeFailed, "the writer could not write the loop device");

    CliSession s;
    // Slow enough that the writer writes while the job copies; full speed
    // otherwise, whatever the writer does to the device's latency.
    QVERIFY(s.start({QStringLiteral("mirror"), loop->path(), server->uri(),
                     QStringLiteral("--json"), QStringLiteral("--speed"), QStringLiteral("16M"),
                     QStringLiteral("--yield"), QStringLiteral("off")}));
    QVERIFY2(s.waitForEvent(QStringLiteral("JOB_STARTED"), 30000) >= 0, qPrintable(s.transcript()));
    const int atStart = writes;
    QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 90000) >= 0,
             qPrintable(s.transcript()));
    const int atReady = writes;
    QVERIFY2(
        atReady > atStart + 10,
        qPrintable(QStringLiteral("only %1 writes while the job copied").arg(atReady - atStart)));
    QThread::msleep(500); // writes mirrored at READY
    writer.stop();
    QVERIFY2(!writeFailed, "a write to the loop device failed");
    QVERIFY2(writes > atReady, "no write after READY");

    const auto reply = s.command("complete");
    QVERIFY2(reply && reply->contains(QStringLiteral("return")), qPrintable(s.transcript()));
    QCOMPARE(s.finish(90000), kExitOk);
    QVERIFY2(isEvent(s.lastEvent(), QStringLiteral("BLOCK_JOB_COMPLETED")),
             qPrintable(s.transcript()));
    QVERIFY2(contentHash(loop->path()) != srcBefore, "the writer changed nothing");
    const QString differs = copyDiffers(loop->path(), exp);
    QVERIFY2(differs.isEmpty(),
             qPrintable(differs + QStringLiteral(" (after %1 writes)").arg(writes)));
}

// ---------------------------------------------------------------------------
// Refusals

void TestCliNbd::readOnlyExport_refusedNothingWritten_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("qemu-nbd --read-only") << int(NbdServer::Kind::QemuNbd);
    QTest::newRow("nbdkit -r") << int(NbdServer::Kind::Nbdkit);
}

void TestCliNbd::readOnlyExport_refusedNothingWritten()
{
    QFETCH(int, kind);
    const auto k = static_cast<NbdServer::Kind>(kind);
    if (k == NbdServer::Kind::QemuNbd)
        SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    else
        SKIP_WITHOUT_TOOL("nbdkit", "nbdkit");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 90));
    QVERIFY(setOldMtime(exp));
    const FileState before = fileState(exp);
    QString why;
    auto server =
        NbdServer::start(k, exp, m_test->file("ro.sock"), QStringLiteral("disk"), true, &why);
    QVERIFY2(server, qPrintable(why));
    const QStringList cwdBefore = dirEntries(m_cwd);

    const auto r =
        cli({QStringLiteral("mirror"), src, server->uri(), QStringLiteral("--complete-when-ready")},
            30000);
    const QString broken = refusalBroken(r, server->uri(), cwdBefore);
    QVERIFY2(broken.isEmpty(), qPrintable(broken));
    QVERIFY2(r.err.contains(QStringLiteral("read-only")) ||
                 r.err.contains(QStringLiteral("read only")),
             qPrintable(show(r)));
    const FileState after = fileState(exp);
    QVERIFY2(after == before, qPrintable(QStringLiteral("the export file changed: %1 -> %2")
                                             .arg(describe(before), describe(after))));
}

void TestCliNbd::smallerExport_refusedNothingWritten()
{
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    // One 64 KiB granule short of the source, writable.
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize - 64 * kKiB, 89));
    QVERIFY(setOldMtime(exp));
    const FileState before = fileState(exp);
    QString why;
    auto server = NbdServer::start(NbdServer::Kind::QemuNbd, exp, m_test->file("small.sock"),
                                   QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));
    const QStringList cwdBefore = dirEntries(m_cwd);

    const auto r =
        cli({QStringLiteral("mirror"), src, server->uri(), QStringLiteral("--complete-when-ready")},
            30000);
    const QString broken = refusalBroken(r, server->uri(), cwdBefore);
    QVERIFY2(broken.isEmpty(), qPrintable(broken));
    QVERIFY2(r.err.contains(QStringLiteral("smaller")), qPrintable(show(r)));
    const FileState after = fileState(exp);
    QVERIFY2(after == before, qPrintable(QStringLiteral("the export file changed: %1 -> %2")
                                             .arg(describe(before), describe(after))));
    QVERIFY2(server->running(), qPrintable(server->describe()));
}

void TestCliNbd::malformedUri_refusedOneLine_data()
{
    QTest::addColumn<QString>("uri");
    QTest::newRow("nbd+unix without socket") << QStringLiteral("nbd+unix:///x");
    QTest::newRow("nbd:// without host") << QStringLiteral("nbd://");
    QTest::newRow("empty socket") << QStringLiteral("nbd+unix:///e?socket=");
}

void TestCliNbd::malformedUri_refusedOneLine()
{
    QFETCH(QString, uri);
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QByteArray srcBefore = contentHash(src);
    const QStringList cwdBefore = dirEntries(m_cwd);
    const auto r =
        cli({QStringLiteral("mirror"), src, uri, QStringLiteral("--complete-when-ready")}, 30000);
    const QString broken = refusalBroken(r, uri, cwdBefore);
    QVERIFY2(broken.isEmpty(), qPrintable(broken));
    QVERIFY2(contentHash(src) == srcBefore, "the source changed");
}

void TestCliNbd::unreachableServer_refusedOneLine_data()
{
    QTest::addColumn<QString>("situation");
    QTest::newRow("no socket at the path") << QStringLiteral("missing");
    QTest::newRow("a socket nobody listens on") << QStringLiteral("stale");
    QTest::newRow("a server without that export") << QStringLiteral("no-export");
}

void TestCliNbd::unreachableServer_refusedOneLine()
{
    QFETCH(QString, situation);
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString sock = m_test->file(QStringLiteral("u.sock"));
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 88));
    QVERIFY(setOldMtime(exp));
    const FileState before = fileState(exp);
    std::unique_ptr<NbdServer> server;
    QString uri = unixUri(QStringLiteral("disk"), sock);
    if (situation == QStringLiteral("stale")) {
        QVERIFY(makeStaleSocket(sock));
    } else if (situation == QStringLiteral("no-export")) {
        SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
        QString why;
        server = NbdServer::start(NbdServer::Kind::QemuNbd, exp, sock, QStringLiteral("disk"),
                                  false, &why);
        QVERIFY2(server, qPrintable(why));
        uri = unixUri(QStringLiteral("other"), sock);
    }
    const QStringList cwdBefore = dirEntries(m_cwd);

    const auto r =
        cli({QStringLiteral("mirror"), src, uri, QStringLiteral("--complete-when-ready")}, 30000);
    const QString broken = refusalBroken(r, uri, cwdBefore);
    QVERIFY2(broken.isEmpty(), qPrintable(broken));
    const FileState after = fileState(exp);
    QVERIFY2(after == before, qPrintable(QStringLiteral("the export file changed: %1 -> %2")
                                             .arg(describe(before), describe(after))));
    if (situation == QStringLiteral("missing"))
        QVERIFY2(!QFile::exists(sock), "something was made at the socket's path");
}

// ---------------------------------------------------------------------------
// --json

void TestCliNbd::imageToQemuNbd_json_eventsNameTheUri()
{
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 87));
    QString why;
    auto server = NbdServer::start(NbdServer::Kind::QemuNbd, exp, m_test->file("j.sock"),
                                   QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));
    const QString uri = server->uri();

    const auto r = cli({QStringLiteral("mirror"), src, uri, QStringLiteral("--json"),
                        QStringLiteral("--verify"), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QString differs = copyDiffers(src, exp);
    QVERIFY2(differs.isEmpty(), qPrintable(differs));

    const auto json = parseJsonLines(r.out);
    QVERIFY2(json.bad.isEmpty(), qPrintable(json.bad.join(QLatin1Char('\n'))));
    const auto data = [](const QJsonObject& o) {
        return o.value(QStringLiteral("data")).toObject();
    };
    const auto started = eventsNamed(json.objects, QStringLiteral("JOB_STARTED"));
    QVERIFY2(started.size() == 1, qPrintable(show(r)));
    QCOMPARE(data(started.front()).value(QStringLiteral("target")).toString(), uri);
    QCOMPARE(data(started.front()).value(QStringLiteral("device")).toString(), uri);
    QCOMPARE(data(started.front()).value(QStringLiteral("source")).toString(), src);
    QCOMPARE(dataInt(started.front(), "len"), qint64(kSize));
    QCOMPARE(data(started.front()).value(QStringLiteral("target-created")).toBool(true), false);

    const auto ready = eventsNamed(json.objects, QStringLiteral("BLOCK_JOB_READY"));
    QVERIFY2(ready.size() == 1, qPrintable(show(r)));
    QCOMPARE(data(ready.front()).value(QStringLiteral("device")).toString(), uri);

    const auto changes = eventsNamed(json.objects, QStringLiteral("JOB_STATUS_CHANGE"));
    QVERIFY2(!changes.isEmpty(), qPrintable(show(r)));
    for (const QJsonObject& c : changes)
        QCOMPARE(data(c).value(QStringLiteral("id")).toString(), uri);
    QCOMPARE(withoutTrailingNull(statusSequence(json.objects)).last(), QStringLiteral("concluded"));

    const QJsonObject done = lastEvent(json.objects);
    QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
    const QJsonObject d = data(done);
    QCOMPARE(d.value(QStringLiteral("device")).toString(), uri);
    QCOMPARE(d.value(QStringLiteral("outcome")).toString(), QStringLiteral("completed"));
    QCOMPARE(dataInt(done, "offset"), qint64(kSize));
    QCOMPARE(dataInt(done, "len"), qint64(kSize));
    QVERIFY2(
        d.value(QStringLiteral("verify")).toObject().value(QStringLiteral("identical")).toBool(),
        qPrintable(show(r)));
}

// ---------------------------------------------------------------------------
// More than one export, a server that goes away, data on the export

void TestCliNbd::oneSourceTwoExports_bothIdentical()
{
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    SKIP_WITHOUT_TOOL("nbdkit", "nbdkit");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString expA = m_test->file(QStringLiteral("a.img"));
    const QString expB = m_test->file(QStringLiteral("b.img"));
    QVERIFY(makeFilled(expA, kSize, 81));
    QVERIFY(makeFilled(expB, kSize, 82));
    QString why;
    auto a = NbdServer::start(NbdServer::Kind::QemuNbd, expA, m_test->file("a.sock"),
                              QStringLiteral("disk"), false, &why);
    QVERIFY2(a, qPrintable(why));
    auto b = NbdServer::start(NbdServer::Kind::Nbdkit, expB, m_test->file("b.sock"),
                              QStringLiteral("disk"), false, &why);
    QVERIFY2(b, qPrintable(why));

    const auto r = cli({QStringLiteral("mirror"), src, a->uri(), b->uri(),
                        QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QString differs = copyDiffers(src, expA, a->uri());
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
    differs = copyDiffers(src, expB, b->uri());
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
}

void TestCliNbd::serverKilledMidJob_targetFails_resumeAfterRestartIdentical()
{
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 83));
    const QString sock = m_test->file(QStringLiteral("k.sock"));
    const QString state = m_test->file(QStringLiteral("state"));
    QString why;
    auto server =
        NbdServer::start(NbdServer::Kind::QemuNbd, exp, sock, QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));
    const QString uri = server->uri();
    const QStringList args{QStringLiteral("mirror"),
                           src,
                           uri,
                           QStringLiteral("--speed"),
                           QStringLiteral("8M"),
                           QStringLiteral("--state-dir"),
                           state,
                           QStringLiteral("--json"),
                           QStringLiteral("--complete-when-ready"),
                           QStringLiteral("--reconnect-timeout"),
                           QStringLiteral("2")};
    {
        CliSession s;
        QVERIFY(s.start(args));
        // Some of the copy on the export, most of it still to come.
        const int i = s.waitFor(
            [](const QJsonObject& o) {
                return isEvent(o, QStringLiteral("BLOCK_JOB_PROGRESS")) &&
                       o.value(QStringLiteral("data"))
                               .toObject()
                               .value(QStringLiteral("offset"))
                               .toDouble() >= 4.0 * kMiB;
            },
            30000);
        QVERIFY2(i >= 0, qPrintable(s.transcript()));
        server->kill();
        const int code = s.finish(30000);
        QVERIFY2(code == 4, qPrintable(QStringLiteral("exit %1\n").arg(code) + s.transcript()));
        // It waited for the server as long as it was told to, then gave up.
        QVERIFY2(s.transcript().contains(QStringLiteral("did not answer again within 2")),
                 qPrintable(s.transcript()));
        QVERIFY2(!s.events(QStringLiteral("BLOCK_JOB_PROGRESS")).isEmpty(),
                 qPrintable(s.transcript()));
    }
    QVERIFY2(!copyDiffers(src, exp).isEmpty(), "the copy was whole before the server went");

    // The same server again on the same socket: the job goes on from its
    // checkpoint and ends identical.
    server = server->again(exp, &why);
    QVERIFY2(server, qPrintable(why));
    QStringList resume = args;
    resume.removeAt(resume.indexOf(QStringLiteral("--speed")) + 1);
    resume.removeOne(QStringLiteral("--speed"));
    resume << QStringLiteral("--resume");
    const auto r = cli(resume);
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QString differs = copyDiffers(src, exp, uri);
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
}

namespace {

bool progressAtLeast(const QJsonObject& o, std::uint64_t bytes)
{
    return isEvent(o, QStringLiteral("BLOCK_JOB_PROGRESS")) &&
           o.value(QStringLiteral("data")).toObject().value(QStringLiteral("offset")).toDouble() >=
               static_cast<double>(bytes);
}

bool reconnecting(const QJsonObject& o)
{
    return isEvent(o, QStringLiteral("BLOCK_JOB_PROGRESS")) &&
           o.value(QStringLiteral("data")).toObject().contains(QStringLiteral("reconnecting"));
}

// The highest "reconnects" count any progress event reported.
int reconnectsReported(const QList<QJsonObject>& progress)
{
    int most = 0;
    for (const auto& e : progress)
        most = std::max(
            most,
            e.value(QStringLiteral("data")).toObject().value(QStringLiteral("reconnects")).toInt());
    return most;
}

} // namespace

void TestCliNbd::serverRestartedMidJob_jobConnectsAgain_identical_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("qemu-nbd") << static_cast<int>(NbdServer::Kind::QemuNbd);
    // Killed, this server loses every write since its last flush: the job
    // must copy those ranges again, not only what was in flight.
    QTest::newRow("nbdkit with a write-back cache")
        << static_cast<int>(NbdServer::Kind::NbdkitWriteback);
}

void TestCliNbd::serverRestartedMidJob_jobConnectsAgain_identical()
{
    QFETCH(int, kind);
    const auto k = static_cast<NbdServer::Kind>(kind);
    if (k == NbdServer::Kind::QemuNbd)
        SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    else
        SKIP_WITHOUT_TOOL("nbdkit", "nbdkit");
    // Data everywhere: every range the server drops differs from the
    // export's old contents.
    const QString src = m_test->file(QStringLiteral("src.img"));
    QVERIFY(makeFilled(src, kSize, 87));
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 84));
    const QString sock = m_test->file(QStringLiteral("r.sock"));
    QString why;
    auto server = NbdServer::start(k, exp, sock, QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));
    const QString uri = server->uri();

    CliSession s;
    // Checkpoints every 2 s: flushes the server acknowledged before it
    // went, and writes after the last one that it may have dropped.
    QVERIFY(s.start({QStringLiteral("mirror"), src, uri, QStringLiteral("--speed"),
                     QStringLiteral("8M"), QStringLiteral("--state-dir"),
                     m_test->file(QStringLiteral("state")), QStringLiteral("--checkpoint-interval"),
                     QStringLiteral("2"), QStringLiteral("--json"),
                     QStringLiteral("--complete-when-ready")}));
    QVERIFY2(s.waitFor([](const QJsonObject& o) { return progressAtLeast(o, 20 * kMiB); }, 30000) >=
                 0,
             qPrintable(s.transcript()));
    server->kill();
    // The job says it waits for the server, and for how long.
    const int lostAt = s.waitFor(reconnecting, 15000);
    QVERIFY2(lostAt >= 0, qPrintable(s.transcript()));
    const QJsonObject r = s.lines()[lostAt]
                              .value(QStringLiteral("data"))
                              .toObject()
                              .value(QStringLiteral("reconnecting"))
                              .toObject();
    QCOMPARE(r.value(QStringLiteral("endpoint")).toString(), uri);
    QCOMPARE(r.value(QStringLiteral("limit-seconds")).toInt(), 60);
    QVERIFY(r.value(QStringLiteral("lost-seconds")).toDouble() >= 0);
    // Out of service for a second, then the same export on the same socket.
    QTest::qWait(1000);
    server = server->again(exp, &why);
    QVERIFY2(server, qPrintable(why));

    const int code = s.finish(120000);
    QVERIFY2(code == kExitOk, qPrintable(QStringLiteral("exit %1\n").arg(code) + s.transcript()));
    QCOMPARE(reconnectsReported(s.events(QStringLiteral("BLOCK_JOB_PROGRESS"))), 1);
    QVERIFY2(s.transcript().contains(QStringLiteral("connected again")),
             qPrintable(s.transcript()));
    const QString differs = copyDiffers(src, exp, uri);
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
}

void TestCliNbd::sourceServerRestartedMidJob_jobConnectsAgain_identical()
{
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString img = makeSource(QStringLiteral("served.img"));
    QVERIFY(!img.isEmpty());
    const QString sock = m_test->file(QStringLiteral("src.sock"));
    QString why;
    auto server =
        NbdServer::start(NbdServer::Kind::QemuNbd, img, sock, QStringLiteral("disk"), true, &why);
    QVERIFY2(server, qPrintable(why));
    const QString dst = m_test->file(QStringLiteral("copy.img"));

    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), server->uri(), dst, QStringLiteral("--speed"),
                     QStringLiteral("8M"), QStringLiteral("--no-checkpoints"),
                     QStringLiteral("--json"), QStringLiteral("--complete-when-ready")}));
    QVERIFY2(s.waitFor([](const QJsonObject& o) { return progressAtLeast(o, 16 * kMiB); }, 30000) >=
                 0,
             qPrintable(s.transcript()));
    server->kill();
    QVERIFY2(s.waitFor(reconnecting, 15000) >= 0, qPrintable(s.transcript()));
    server = server->again(img, &why);
    QVERIFY2(server, qPrintable(why));

    const int code = s.finish(120000);
    QVERIFY2(code == kExitOk, qPrintable(QStringLiteral("exit %1\n").arg(code) + s.transcript()));
    QCOMPARE(reconnectsReported(s.events(QStringLiteral("BLOCK_JOB_PROGRESS"))), 1);
    const auto c = runCommand(QStringLiteral("cmp"), {img, dst});
    QVERIFY2(c.exitCode == 0, qPrintable(show(c)));
}

void TestCliNbd::serverBackWithAnotherDisk_jobFails_data()
{
    QTest::addColumn<bool>("sameSize");
    QTest::addColumn<QString>("expect");
    QTest::newRow("half the size")
        << false << QStringLiteral("came back with 32.0 MiB instead of 64.0 MiB");
    // Only what it holds tells this one apart: what the job wrote and the
    // server flushed does not read back.
    QTest::newRow("the same size")
        << true << QStringLiteral("came back without what the job wrote");
}

void TestCliNbd::serverBackWithAnotherDisk_jobFails()
{
    // What answers under the same URI after the restart is another disk,
    // which the job must not go on writing to.
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    QFETCH(bool, sameSize);
    QFETCH(QString, expect);
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 85));
    const QString other = m_test->file(QStringLiteral("other.img"));
    QVERIFY(makeFilled(other, sameSize ? kSize : kSize / 2, 86));
    const QString sock = m_test->file(QStringLiteral("b.sock"));
    QString why;
    auto server =
        NbdServer::start(NbdServer::Kind::QemuNbd, exp, sock, QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));

    CliSession s;
    QElapsedTimer started;
    started.start();
    QVERIFY(s.start({QStringLiteral("mirror"), src, server->uri(), QStringLiteral("--speed"),
                     QStringLiteral("8M"), QStringLiteral("--state-dir"),
                     m_test->file(QStringLiteral("state")), QStringLiteral("--checkpoint-interval"),
                     QStringLiteral("0.5"), QStringLiteral("--json"),
                     QStringLiteral("--complete-when-ready")}));
    QVERIFY2(s.waitFor([](const QJsonObject& o) { return progressAtLeast(o, 16 * kMiB); }, 30000) >=
                 0,
             qPrintable(s.transcript()));
    // Checkpoints have flushed some of the copy.
    QTest::qWait(static_cast<int>(std::max<qint64>(0, 1500 - started.elapsed())));
    server->kill();
    QVERIFY2(s.waitFor(reconnecting, 15000) >= 0, qPrintable(s.transcript()));
    const FileState otherBefore = fileState(other);
    server = server->again(other, &why);
    QVERIFY2(server, qPrintable(why));

    const int code = s.finish(60000);
    QVERIFY2(code == 4, qPrintable(QStringLiteral("exit %1\n").arg(code) + s.transcript()));
    QVERIFY2(s.transcript().contains(expect), qPrintable(s.transcript()));
    server.reset(); // qemu-nbd may touch the file's times when it closes
    QVERIFY2(fileState(other).hash == otherBefore.hash, "the other disk was written to");
}

void TestCliNbd::exportHoldingFileSystem_refusedUnlessOverwrite()
{
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    SKIP_WITHOUT_TOOL("mkfs.ext4", "e2fsprogs");
    const QString src = makeSource(QStringLiteral("src.img"));
    QVERIFY(!src.isEmpty());
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(createSparse(exp, kSize));
    const auto mkfs =
        runCommand(QStringLiteral("mkfs.ext4"), {QStringLiteral("-q"), QStringLiteral("-F"), exp});
    QVERIFY2(mkfs.exitCode == 0, qPrintable(mkfs.err));
    const FileState before = fileState(exp);
    QString why;
    auto server = NbdServer::start(NbdServer::Kind::QemuNbd, exp, m_test->file("fs.sock"),
                                   QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));
    const QStringList cwdBefore = dirEntries(m_cwd);

    const auto refused = cli(
        {QStringLiteral("mirror"), src, server->uri(), QStringLiteral("--complete-when-ready")});
    const QString broken = refusalBroken(refused, server->uri(), cwdBefore);
    QVERIFY2(broken.isEmpty(), qPrintable(broken));
    QVERIFY2(refused.err.contains(QStringLiteral("target holds data")) &&
                 refused.err.contains(QStringLiteral("ext2/3/4 file system")),
             qPrintable(show(refused)));
    QVERIFY2(fileState(exp) == before, "the export file changed although it was refused");

    const auto r = cli({QStringLiteral("mirror"), src, server->uri(), QStringLiteral("--overwrite"),
                        server->uri(), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QString differs = copyDiffers(src, exp, server->uri());
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
}

void TestCliNbd::exportAsSource_syncFullAndTop_identical_data()
{
    QTest::addColumn<QString>("sync");
    QTest::newRow("full") << QStringLiteral("full");
    QTest::newRow("top") << QStringLiteral("top");
}

void TestCliNbd::exportAsSource_syncFullAndTop_identical()
{
    // A read-only export of a sparse image, copied to a new image file:
    // identical either way, and only the allocated data crosses the wire
    // (the export's block status), so the new file stays sparse.
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    QFETCH(QString, sync);
    const QString img = makeSource(QStringLiteral("served.img"));
    QVERIFY(!img.isEmpty());
    const QByteArray before = contentHash(img);
    QString why;
    auto server = NbdServer::start(NbdServer::Kind::QemuNbd, img, m_test->file("src.sock"),
                                   QStringLiteral("disk"), true, &why);
    QVERIFY2(server, qPrintable(why));
    const QString target = m_test->file(QStringLiteral("target.img"));

    const auto r = cli({QStringLiteral("mirror"), server->uri(), target, QStringLiteral("--sync"),
                        sync, QStringLiteral("--verify"), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QString differs = copyDiffers(img, target);
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
    QVERIFY2(contentHash(img) == before, "the served image changed");
    struct stat st
    {
    };
    QVERIFY(::stat(target.toLocal8Bit().constData(), &st) == 0);
    const auto allocated = static_cast<std::uint64_t>(st.st_blocks) * 512;
    QVERIFY2(allocated <= sourceDataBytes() + 2 * kMiB,
             qPrintable(QStringLiteral("%1 bytes allocated for %2 of data")
                            .arg(allocated)
                            .arg(sourceDataBytes())));
}

void TestCliNbd::exportToExport_identical()
{
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    SKIP_WITHOUT_TOOL("nbdkit", "nbdkit");
    const QString img = makeSource(QStringLiteral("served.img"));
    QVERIFY(!img.isEmpty());
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 84));
    QString why;
    auto from = NbdServer::start(NbdServer::Kind::QemuNbd, img, m_test->file("from.sock"),
                                 QStringLiteral("disk"), true, &why);
    QVERIFY2(from, qPrintable(why));
    auto to = NbdServer::start(NbdServer::Kind::Nbdkit, exp, m_test->file("to.sock"),
                               QStringLiteral("disk"), false, &why);
    QVERIFY2(to, qPrintable(why));

    const auto r = cli({QStringLiteral("mirror"), from->uri(), to->uri(),
                        QStringLiteral("--verify"), QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const QString differs = copyDiffers(img, exp, to->uri());
    QVERIFY2(differs.isEmpty(), qPrintable(differs));
}

void TestCliNbd::sameExportBothEnds_refusedOneLine()
{
    SKIP_WITHOUT_TOOL("qemu-nbd", "qemu-utils");
    const QString exp = m_test->file(QStringLiteral("export.img"));
    QVERIFY(makeFilled(exp, kSize, 85));
    const FileState before = fileState(exp);
    QString why;
    auto server = NbdServer::start(NbdServer::Kind::QemuNbd, exp, m_test->file("same.sock"),
                                   QStringLiteral("disk"), false, &why);
    QVERIFY2(server, qPrintable(why));
    const QStringList cwdBefore = dirEntries(m_cwd);
    const auto r = cli({QStringLiteral("mirror"), server->uri(), server->uri()}, 30000);
    const QString broken = refusalBroken(r, server->uri(), cwdBefore);
    QVERIFY2(broken.isEmpty(), qPrintable(broken));
    QVERIFY2(r.err.contains(QStringLiteral("same export")), qPrintable(show(r)));
    QVERIFY2(fileState(exp) == before, "the export file changed although it was refused");
}

QTEST_GUILESS_MAIN(TestCliNbd)
#include "tst_cli_nbd.moc"
