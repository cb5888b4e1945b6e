// drivemirror-cli station: the real command with the real device monitor.
// Two loop devices named in the config's slots get their files only after
// STATION_ARMED, as sticks plugged into a station's ports; both must end
// identical to the image, with two passed rows in the audit log and exit 0,
// while a third drive in no slot is left as it was. A bad config is one
// line and exit 2; a signal stops an idle station with exit 0, and with
// --disarm-on-eof so do the line "disarm" on stdin and stdin's end; a drive
// too small is refused unwritten, and the station's exit code says so (12).
#include "cli_test_support.h"
#include "named_loop.h"
#include "test_support.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <memory>

using namespace clitest;
using namespace testsupport;

namespace {

constexpr std::uint64_t kSourceSize = 32 * kMiB;
// Some drive was refused or failed; from app/cli's station command.
constexpr int kExitNotAllPassed = 12;

QJsonObject dataOf(const QJsonObject& event)
{
    return event.value(QStringLiteral("data")).toObject();
}

bool writeFile(const QString& path, const QByteArray& text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

QByteArray configText(const QStringList& devices, const QString& source, const QString& log)
{
    return clitest::stationConfigText(devices, source, log, QStringLiteral("power-off"),
                                      QStringLiteral("bench 1"));
}

} // namespace

class TestCliStation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void clonesDrivesPluggedInAfterArming();
    void refusesBadConfig();
    void stopsOnSignal();
    void disarmsOnStdin_data();
    void disarmsOnStdin();
    void exitsTwelveWhenADriveIsRefused();
};

void TestCliStation::initTestCase()
{
    initCliSuite();
    if (!isRoot())
        QSKIP("station writes block devices: needs root");
    if (!haveTool(QStringLiteral("losetup")))
        QSKIP("needs losetup (util-linux)");
}

void TestCliStation::clonesDrivesPluggedInAfterArming()
{
    ScratchDir dir;
    const QString source = dir.file(QStringLiteral("golden.img"));
    QVERIFY(makeImage(source, kSourceSize,
                      {{0, 6 * kMiB, false, 11}, {20 * kMiB, 4 * kMiB, false, 12}}));
    // Old data everywhere, and one drive larger than the image: its rest
    // must be wiped.
    const QStringList files{dir.file(QStringLiteral("stick1.img")),
                            dir.file(QStringLiteral("stick2.img")),
                            dir.file(QStringLiteral("other.img"))};
    QVERIFY(makeFilled(files[0], kSourceSize, 21));
    QVERIFY(makeFilled(files[1], kSourceSize + 4 * kMiB, 22));
    QVERIFY(makeFilled(files[2], kSourceSize, 23));
    const QStringList names = freeLoopNames(3);
    QCOMPARE(names.size(), 3);
    const QString config = dir.file(QStringLiteral("station.json"));
    const QString log = dir.file(QStringLiteral("audit.csv"));
    QVERIFY(writeFile(config, configText(names.mid(0, 2), source, log)));

    CliSession cli;
    QVERIFY(
        cli.start({QStringLiteral("station"), QStringLiteral("--config"), config,
                   QStringLiteral("--json"), QStringLiteral("--exit-after"), QStringLiteral("2")}));
    const int armed = cli.waitForEvent(QStringLiteral("STATION_ARMED"), 30000);
    QVERIFY2(armed >= 0, qPrintable(cli.transcript()));
    std::vector<std::unique_ptr<NamedLoop>> loops;
    for (int i = 0; i < 3; ++i) {
        QString why;
        loops.push_back(NamedLoop::attach(names[i], files[i], &why));
        QVERIFY2(loops.back(), qPrintable(why));
    }
    const QByteArray otherHash = contentHash(names[2]);
    QCOMPARE(cli.finish(60000), kExitOk);
    QVERIFY2(cli.badLines().isEmpty(), qPrintable(cli.badLines().join(QLatin1Char('\n'))));

    QVERIFY(cmpIdentical(source, names[0]));
    QVERIFY(cmpIdenticalPrefix(source, names[1], kSourceSize));
    QCOMPARE(readBytes(names[1], kSourceSize, 4 * kMiB), QByteArray(4 * kMiB, '\0'));
    QCOMPARE(contentHash(names[2]), otherHash);

    const auto finished = cli.events(QStringLiteral("SLOT_FINISHED"));
    QCOMPARE(finished.size(), 2);
    for (const QJsonObject& e : finished) {
        QCOMPARE(dataOf(e).value(QStringLiteral("result")).toString(), QStringLiteral("passed"));
        QVERIFY(dataOf(e).value(QStringLiteral("passed")).toBool());
        QCOMPARE(dataOf(e).value(QStringLiteral("image_sha256")).toString(),
                 dataOf(cli.lines()[armed]).value(QStringLiteral("sha256")).toString());
    }
    QCOMPARE(cli.events(QStringLiteral("SLOT_STARTED")).size(), 2);
    bool otherIgnored = false;
    for (const QJsonObject& e : cli.events(QStringLiteral("DEVICE_IGNORED")))
        otherIgnored =
            otherIgnored ||
            (dataOf(e).value(QStringLiteral("device")).toString() == names[2] &&
             dataOf(e).value(QStringLiteral("reason")).toString() == QLatin1String("in no slot"));
    QVERIFY2(otherIgnored, qPrintable(cli.transcript()));
    const auto disarmed = cli.events(QStringLiteral("STATION_DISARMED"));
    QCOMPARE(disarmed.size(), 1);
    QCOMPARE(dataOf(disarmed[0]).value(QStringLiteral("reason")).toString(),
             QStringLiteral("exit-after"));

    const QStringList csv = fileLines(log);
    QCOMPARE(csv.size(), 3);
    const auto resultColumn = csv[0].split(QLatin1Char(',')).indexOf(QStringLiteral("result"));
    QVERIFY(resultColumn >= 0);
    for (int i = 1; i < 3; ++i) {
        QVERIFY2(csv[i].startsWith(QLatin1String("20")), qPrintable(csv[i]));
        // Every field before the result is free of commas here.
        QCOMPARE(csv[i].split(QLatin1Char(','))[resultColumn], QStringLiteral("passed"));
    }
    QCOMPARE(fileLines(log + QStringLiteral(".jsonl")).size(), 2);
}

void TestCliStation::refusesBadConfig()
{
    ScratchDir dir;
    const QString config = dir.file(QStringLiteral("station.json"));
    QVERIFY(writeFile(config, R"({"source": "/x.img", "log": "/tmp/x.csv", "slots": "A1"})"));
    const auto r = cli({QStringLiteral("station"), QStringLiteral("--config"), config});
    QCOMPARE(r.exitCode, kExitBadInput);
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("station config ") + config +
                            QStringLiteral(": slots: must be an array")),
             qPrintable(show(r)));
    QVERIFY(r.out.isEmpty());

    const auto missing = cli({QStringLiteral("station"), QStringLiteral("--json")});
    QCOMPARE(missing.exitCode, kExitBadInput);
    QVERIFY2(isOneLineError(missing.err), qPrintable(show(missing)));
    QCOMPARE(cli({QStringLiteral("station"), QStringLiteral("--config"), config,
                  QStringLiteral("--exit-after"), QStringLiteral("0")})
                 .exitCode,
             kExitBadInput);
}

void TestCliStation::stopsOnSignal()
{
    ScratchDir dir;
    const QString source = dir.file(QStringLiteral("golden.img"));
    QVERIFY(makeFilled(source, 4 * kMiB, 5));
    const QString config = dir.file(QStringLiteral("station.json"));
    QVERIFY(writeFile(config, configText({QStringLiteral("/dev/nothing-here")}, source,
                                         dir.file(QStringLiteral("audit.csv")))));
    CliSession cli;
    QVERIFY(cli.start(
        {QStringLiteral("station"), QStringLiteral("--config"), config, QStringLiteral("--json")}));
    QVERIFY2(cli.waitForEvent(QStringLiteral("STATION_ARMED"), 30000) >= 0,
             qPrintable(cli.transcript()));
    cli.signal(SIGTERM);
    QCOMPARE(cli.finish(30000), kExitOk);
    const auto disarmed = cli.events(QStringLiteral("STATION_DISARMED"));
    QCOMPARE(disarmed.size(), 1);
    QCOMPARE(dataOf(disarmed[0]).value(QStringLiteral("reason")).toString(),
             QStringLiteral("signal SIGTERM"));
}

void TestCliStation::disarmsOnStdin_data()
{
    QTest::addColumn<bool>("closeStdin");
    QTest::addColumn<QString>("reason");
    QTest::newRow("disarm") << false << QStringLiteral("disarm");
    QTest::newRow("stdin closed") << true << QStringLiteral("stdin closed");
}

void TestCliStation::disarmsOnStdin()
{
    QFETCH(bool, closeStdin);
    QFETCH(QString, reason);
    ScratchDir dir;
    const QString source = dir.file(QStringLiteral("golden.img"));
    QVERIFY(makeFilled(source, 4 * kMiB, 5));
    const QString config = dir.file(QStringLiteral("station.json"));
    QVERIFY(writeFile(config, configText({QStringLiteral("/dev/nothing-here")}, source,
                                         dir.file(QStringLiteral("audit.csv")))));
    CliSession cli;
    QVERIFY(cli.start({QStringLiteral("station"), QStringLiteral("--config"), config,
                       QStringLiteral("--json"), QStringLiteral("--disarm-on-eof")}));
    QVERIFY2(cli.waitForEvent(QStringLiteral("STATION_ARMED"), 30000) >= 0,
             qPrintable(cli.transcript()));
    // A line that is no command is said on stderr, and changes nothing.
    cli.send("status");
    if (closeStdin)
        cli.closeStdin();
    else
        cli.send("disarm");
    QCOMPARE(cli.finish(30000), kExitOk);
    QVERIFY2(cli.badLines().isEmpty(), qPrintable(cli.badLines().join(QLatin1Char('\n'))));
    const auto disarmed = cli.events(QStringLiteral("STATION_DISARMED"));
    QCOMPARE(disarmed.size(), 1);
    QCOMPARE(dataOf(disarmed[0]).value(QStringLiteral("reason")).toString(), reason);
    QCOMPARE(dataOf(disarmed[0]).value(QStringLiteral("finished")).toInt(-1), 0);
    QVERIFY2(cli.lastEvent() == disarmed[0], qPrintable(cli.transcript()));
    QVERIFY2(cli.transcript().contains(QStringLiteral("unknown command")),
             qPrintable(cli.transcript()));
}

void TestCliStation::exitsTwelveWhenADriveIsRefused()
{
    ScratchDir dir;
    const QString source = dir.file(QStringLiteral("golden.img"));
    const QString small = dir.file(QStringLiteral("small.img"));
    QVERIFY(makeFilled(source, 8 * kMiB, 6));
    QVERIFY(makeFilled(small, 4 * kMiB, 7));
    const QStringList names = freeLoopNames(1);
    QCOMPARE(names.size(), 1);
    const QString config = dir.file(QStringLiteral("station.json"));
    const QString log = dir.file(QStringLiteral("audit.csv"));
    QVERIFY(writeFile(config, configText(names, source, log)));
    CliSession cli;
    QVERIFY(
        cli.start({QStringLiteral("station"), QStringLiteral("--config"), config,
                   QStringLiteral("--json"), QStringLiteral("--exit-after"), QStringLiteral("1")}));
    QVERIFY2(cli.waitForEvent(QStringLiteral("STATION_ARMED"), 30000) >= 0,
             qPrintable(cli.transcript()));
    QString why;
    const auto loop = NamedLoop::attach(names[0], small, &why);
    QVERIFY2(loop, qPrintable(why));
    const QByteArray before = contentHash(names[0]);
    QCOMPARE(cli.finish(60000), kExitNotAllPassed);
    QCOMPARE(contentHash(names[0]), before);
    QVERIFY(cli.events(QStringLiteral("SLOT_STARTED")).isEmpty());
    const auto finished = cli.events(QStringLiteral("SLOT_FINISHED"));
    QCOMPARE(finished.size(), 1);
    QCOMPARE(dataOf(finished[0]).value(QStringLiteral("result")).toString(),
             QStringLiteral("refused: target too small"));
    QCOMPARE(dataOf(finished[0]).value(QStringLiteral("after")).toString(),
             QStringLiteral("untouched"));
    QCOMPARE(fileLines(log).size(), 2);
}

QTEST_GUILESS_MAIN(TestCliStation)
#include "tst_cli_station.moc"
