// drivemirror-cli serve: an image or disk exported over NBD, checked with
// clients no one here wrote (qemu-img, nbdinfo from libnbd), over unix
// sockets and loopback TCP with TLS-PSK; and what it refuses, with the
// refused path left as it was.
#include "cli_test_support.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

using namespace testsupport;
using namespace clitest;

namespace {

constexpr std::uint64_t MiB = 1024 * 1024;

} // namespace

class TestCliServe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void readOnlyImage_unixSocket_identicalAndWritesRefused();
    void writableImage_clientWrites_landInTheImage();
    void tcpWithTlsPsk_onlyAClientWithTheKeyConnects();
    void cliKilled_serverEndsWithIt();
    void refusals_oneLineNothingServedNothingChanged_data();
    void refusals_oneLineNothingServedNothingChanged();
    void disks_mountedRefused_dataNeedsOverwrite();

private:
    // Starts `serve ARGS --json` and returns the SERVING event's data.
    QJsonObject serve(CliSession& s, const QStringList& args);

    std::unique_ptr<ScratchDir> m_dir;
};

void TestCliServe::initTestCase()
{
    initCliSuite();
    if (!haveTool(QStringLiteral("qemu-nbd")) || !haveTool(QStringLiteral("qemu-img")))
        QSKIP("qemu-nbd and qemu-img (package qemu-utils) are needed");
    if (!haveTool(QStringLiteral("nbdinfo")))
        QSKIP("nbdinfo (package libnbd-bin) is needed as the client");
    m_dir = std::make_unique<ScratchDir>();
    QVERIFY(m_dir->isValid());
}

QJsonObject TestCliServe::serve(CliSession& s, const QStringList& args)
{
    if (!s.start(QStringList{QStringLiteral("serve")} + args + QStringList{"--json"}))
        return {};
    const int i = s.waitForEvent(QStringLiteral("SERVING"), 20000);
    if (i < 0)
        return {};
    return s.lines()[i].value(QStringLiteral("data")).toObject();
}

void TestCliServe::readOnlyImage_unixSocket_identicalAndWritesRefused()
{
    const QString img = m_dir->file("ro.img"), sock = m_dir->file("ro.sock");
    QVERIFY(makeFilled(img, 8 * MiB, 11));
    const QByteArray before = contentHash(img);
    CliSession s;
    const QJsonObject d = serve(s, {img, "--read-only", "--listen", "unix:" + sock});
    QVERIFY2(!d.isEmpty(), qPrintable(s.transcript()));
    const QString uri = d.value(QStringLiteral("uri")).toString();
    QCOMPARE(uri, QStringLiteral("nbd+unix:///ro.img?socket=%1").arg(sock));
    QCOMPARE(d.value(QStringLiteral("read-only")).toBool(), true);
    QCOMPARE(d.value(QStringLiteral("size")).toInteger(), qint64(8 * MiB));

    const auto cmp =
        runCommand(QStringLiteral("qemu-img"), {"compare", "-f", "raw", "-F", "raw", img, uri});
    QVERIFY2(cmp.exitCode == 0, qPrintable(show(cmp)));
    const auto info = runCommand(QStringLiteral("nbdinfo"), {"--json", uri});
    QVERIFY2(info.exitCode == 0, qPrintable(show(info)));
    QVERIFY2(info.out.contains("\"is_read_only\": true"), qPrintable(info.out));
    // A client's write is refused by the server.
    const auto write =
        runCommand(QStringLiteral("qemu-io"), {"-f", "raw", "-c", "write -P 0x55 0 64k", uri});
    QVERIFY2(write.exitCode != 0 || write.err.contains("ermission") ||
                 write.out.contains("ermission") || write.err.contains("read-only") ||
                 write.out.contains("read-only") || write.err.contains("read only") ||
                 write.out.contains("read only"),
             qPrintable(show(write)));

    s.signal(SIGTERM);
    QCOMPARE(s.finish(15000), 0);
    const QJsonObject end = s.lastEvent();
    QCOMPARE(end.value(QStringLiteral("event")).toString(), QStringLiteral("SERVE_ENDED"));
    QCOMPARE(
        end.value(QStringLiteral("data")).toObject().value(QStringLiteral("reason")).toString(),
        QStringLiteral("signal SIGTERM"));
    QCOMPARE(contentHash(img), before);
    QVERIFY2(!QFile::exists(sock), "the socket stays after the server stopped");
}

void TestCliServe::writableImage_clientWrites_landInTheImage()
{
    const QString src = m_dir->file("w-src.img"), img = m_dir->file("w.img"),
                  sock = m_dir->file("w.sock");
    QVERIFY(makeFilled(src, 16 * MiB, 21));
    QVERIFY(createSparse(img, 16 * MiB));
    CliSession s;
    const QJsonObject d = serve(s, {img, "--listen", "unix:" + sock, "--export", "disk"});
    QVERIFY2(!d.isEmpty(), qPrintable(s.transcript()));
    const QString uri = d.value(QStringLiteral("uri")).toString();
    QCOMPARE(uri, QStringLiteral("nbd+unix:///disk?socket=%1").arg(sock));
    QCOMPARE(d.value(QStringLiteral("read-only")).toBool(), false);
    const auto conv = runCommand(QStringLiteral("qemu-img"),
                                 {"convert", "-n", "-f", "raw", "-O", "raw", src, uri});
    QVERIFY2(conv.exitCode == 0, qPrintable(show(conv)));
    s.signal(SIGINT);
    QCOMPARE(s.finish(15000), 0);
    QVERIFY(cmpIdentical(src, img));
}

void TestCliServe::tcpWithTlsPsk_onlyAClientWithTheKeyConnects()
{
    const QString img = m_dir->file("tls.img"), keys = m_dir->file("keys.psk"),
                  wrong = m_dir->file("wrong.psk");
    QVERIFY(makeFilled(img, 4 * MiB, 31));
    {
        QFile f(keys), g(wrong);
        QVERIFY(f.open(QIODevice::WriteOnly) && g.open(QIODevice::WriteOnly));
        f.write("alice:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n");
        g.write("alice:fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210\n");
    }
    const quint16 port = freePort();
    QVERIFY(port != 0);
    CliSession s;
    const QJsonObject d = serve(
        s, {img, "--listen", QStringLiteral("tcp:127.0.0.1:%1").arg(port), "--tls-psk", keys});
    QVERIFY2(!d.isEmpty(), qPrintable(s.transcript()));
    QCOMPARE(d.value(QStringLiteral("tls")).toBool(), true);
    QCOMPARE(d.value(QStringLiteral("uri")).toString(),
             QStringLiteral("nbds://127.0.0.1:%1/tls.img").arg(port));

    const QString base = QStringLiteral("nbds://alice@127.0.0.1:%1/tls.img").arg(port);
    const auto good =
        runCommand(QStringLiteral("nbdinfo"), {"--size", base + "?tls-psk-file=" + keys});
    QVERIFY2(good.exitCode == 0, qPrintable(show(good)));
    QCOMPARE(good.out.trimmed(), QStringLiteral("4194304"));
    const auto bad =
        runCommand(QStringLiteral("nbdinfo"), {"--size", base + "?tls-psk-file=" + wrong});
    QVERIFY2(bad.exitCode != 0, qPrintable(show(bad)));
    const auto plain =
        runCommand(QStringLiteral("nbdinfo"),
                   {"--size", QStringLiteral("nbd://127.0.0.1:%1/tls.img").arg(port)});
    QVERIFY2(plain.exitCode != 0, qPrintable(show(plain)));
    s.signal(SIGTERM);
    QCOMPARE(s.finish(15000), 0);
}

void TestCliServe::cliKilled_serverEndsWithIt()
{
    const QString img = m_dir->file("k.img"), sock = m_dir->file("k.sock");
    QVERIFY(makeFilled(img, 4 * MiB, 41));
    CliSession s;
    const QJsonObject d = serve(s, {img, "--read-only", "--listen", "unix:" + sock});
    QVERIFY2(!d.isEmpty(), qPrintable(s.transcript()));
    const qint64 server = d.value(QStringLiteral("pid")).toInteger();
    QVERIFY(server > 0 && processAlive(server));
    s.signal(SIGKILL);
    s.finish(10000);
    QVERIFY2(waitFor([&] { return !processAlive(server); }, std::chrono::seconds(10)),
             "qemu-nbd outlived the killed CLI");
    const auto info =
        runCommand(QStringLiteral("nbdinfo"),
                   {"--size", QStringLiteral("nbd+unix:///k.img?socket=%1").arg(sock)});
    QVERIFY2(info.exitCode != 0, "the export is still served");
}

void TestCliServe::refusals_oneLineNothingServedNothingChanged_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("says");
    const QString img = QStringLiteral("@IMG@");
    QTest::newRow("no path") << QStringList{"--read-only"} << "needs an image or disk";
    QTest::newRow("missing path") << QStringList{"@DIR@/none.img", "--read-only"} << "none.img";
    QTest::newRow("bad listen") << QStringList{img, "--listen", "udp:1.2.3.4:5"}
                                << "neither unix:PATH nor tcp:HOST:PORT";
    QTest::newRow("bad port") << QStringList{img, "--read-only", "--listen", "tcp:127.0.0.1:99999"}
                              << "port must be a number";
    QTest::newRow("v6 without brackets")
        << QStringList{img, "--read-only", "--listen", "tcp:::1:10809"} << "brackets";
    QTest::newRow("writable tcp without tls")
        << QStringList{img, "--listen", "tcp:127.0.0.1:10809"} << "without TLS";
    QTest::newRow("socket path is a file")
        << QStringList{img, "--read-only", "--listen", "unix:@DIR@/precious.txt"} << "is no socket";
    QTest::newRow("bad psk file") << QStringList{img, "--read-only", "--tls-psk",
                                                 "@DIR@/precious.txt"}
                                  << "USERNAME:HEXKEY";
    QTest::newRow("overwrite another path")
        << QStringList{img, "--overwrite", "/dev/sdz"} << "is not the disk served";
    QTest::newRow("export with slash") << QStringList{img, "--export", "a/b"} << "without /";
    QTest::newRow("unknown option") << QStringList{img, "--fast"} << "unknown option";
}

void TestCliServe::refusals_oneLineNothingServedNothingChanged()
{
    QFETCH(QStringList, args);
    QFETCH(QString, says);
    const QString img = m_dir->file("refused.img"), precious = m_dir->file("precious.txt");
    if (!QFile::exists(img))
        QVERIFY(makeFilled(img, MiB, 51));
    QFile p(precious);
    QVERIFY(p.open(QIODevice::WriteOnly | QIODevice::Truncate));
    p.write("keep me\n");
    p.close();
    const QByteArray imgBefore = contentHash(img);
    for (QString& a : args)
        a.replace(QStringLiteral("@IMG@"), img).replace(QStringLiteral("@DIR@"), m_dir->path());
    const auto r = cli(QStringList{QStringLiteral("serve")} + args, 20000);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
    QVERIFY2(r.err.contains(says), qPrintable(show(r)));
    QCOMPARE(contentHash(img), imgBefore);
    QCOMPARE(readBytes(precious, 0, 100), QByteArray("keep me\n"));
}

void TestCliServe::disks_mountedRefused_dataNeedsOverwrite()
{
    if (!isRoot())
        QSKIP("needs root: loop devices and mount");
    QString why;
    auto fs = Ext4Image::create(*m_dir, QStringLiteral("fs"), 64 * MiB, &why);
    if (!fs)
        QFAIL(qPrintable(why));
    // Mounted: a client writing under the file system would corrupt it.
    const auto mounted = cli({"serve", fs->device(), "--listen", "unix:" + m_dir->file("m.sock")});
    QCOMPARE(mounted.exitCode, 2);
    QVERIFY2(mounted.err.contains("mounted"), qPrintable(show(mounted)));
    QCOMPARE(runCommand(QStringLiteral("umount"), {fs->mountPoint()}).exitCode, 0);
    const QByteArray before = contentHash(fs->device());
    // Not mounted, but an ext4 file system on it: only with --overwrite.
    const auto data = cli({"serve", fs->device(), "--listen", "unix:" + m_dir->file("d.sock")});
    QCOMPARE(data.exitCode, 2);
    QVERIFY2(data.err.contains("ext"), qPrintable(show(data)));
    QVERIFY2(data.err.contains("target holds data"), qPrintable(show(data)));
    QCOMPARE(contentHash(fs->device()), before);
    CliSession s;
    const QJsonObject d = serve(s, {fs->device(), "--overwrite", fs->device(), "--listen",
                                    "unix:" + m_dir->file("d.sock")});
    QVERIFY2(!d.isEmpty(), qPrintable(s.transcript()));
    const QString uri = d.value(QStringLiteral("uri")).toString();
    const auto cmp = runCommand(QStringLiteral("qemu-img"),
                                {"compare", "-f", "raw", "-F", "raw", fs->device(), uri});
    QVERIFY2(cmp.exitCode == 0, qPrintable(show(cmp)));
    s.signal(SIGTERM);
    QCOMPARE(s.finish(15000), 0);
    // Served writable, but no client wrote.
    QCOMPARE(contentHash(fs->device()), before);
}

QTEST_GUILESS_MAIN(TestCliServe)
#include "tst_cli_serve.moc"
