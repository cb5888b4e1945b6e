// The command-line contract scripts rely on: the --json event stream, exit
// codes and what the final text claims, and the command line itself.
#include "cli_test_support.h"
#include "fault_fs.h"
#include "test_support.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QtTest>

#include <cstdint>

using namespace clitest;
using namespace testsupport;

class TestCliContract : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // --json events.
    void json_eventSequence_data();
    void json_eventSequence();
    void json_statusSequence_sameOnEveryRun();
    void json_progressCarriesYieldAndForecast_data();
    void json_progressCarriesYieldAndForecast();
    void yieldOption_badValueRefused();

    // Exit codes and outcomes.
    void completedText_identicalOnlyWhenCopiedWhole_data();
    void completedText_identicalOnlyWhenCopiedWhole();
    void internalFailure_exit1_createdTargetRemoved();
    void targetErrorIgnored_exit8_saysWhatWasSkipped();
    void sourceErrorIgnored_exit8_zeroedRangeNamed();

    // The command line.
    void commandLine_versionHelpUnknown();
};

void TestCliContract::initTestCase()
{
    initCliSuite();
}

// ---------------------------------------------------------------------------
// --json events

void TestCliContract::json_eventSequence_data()
{
    QTest::addColumn<bool>("verify");
    QTest::newRow("complete") << false;
    QTest::newRow("complete with --verify") << true;
}

void TestCliContract::json_eventSequence()
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

void TestCliContract::json_statusSequence_sameOnEveryRun()
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

void TestCliContract::json_progressCarriesYieldAndForecast_data()
{
    QTest::addColumn<QString>("mode");
    QTest::newRow("auto") << QStringLiteral("auto");
    QTest::newRow("off") << QStringLiteral("off");
}

// Every progress event says how the job gives way and what it forecasts.
// An image nothing writes to is never yielded for, whatever the mode; with
// a few seconds of copying at a limit the forecast has numbers: a time to
// READY that fits what was left at that limit.
void TestCliContract::json_progressCarriesYieldAndForecast()
{
    QFETCH(QString, mode);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeImage(src, 160 * kMiB, {{0, 160 * kMiB, false, 77}}));
    const double limit = 32.0 * kMiB;
    const auto r = cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                        QStringLiteral("--complete-when-ready"), QStringLiteral("--speed"),
                        QStringLiteral("32M"), QStringLiteral("--progress-interval"),
                        QStringLiteral("200"), QStringLiteral("--yield"), mode});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const auto progress =
        eventsNamed(parseJsonLines(r.out).objects, QStringLiteral("BLOCK_JOB_PROGRESS"));
    QVERIFY2(progress.size() >= 10, qPrintable(show(r)));
    bool forecastSeen = false;
    for (const QJsonObject& e : progress) {
        const QJsonObject data = e.value(QStringLiteral("data")).toObject();
        const QJsonObject y = data.value(QStringLiteral("yield")).toObject();
        QCOMPARE(y.value(QStringLiteral("mode")).toString(), mode);
        QCOMPARE(y.value(QStringLiteral("active")).toBool(true), false);
        QCOMPARE(y.value(QStringLiteral("yielding")).toBool(true), false);
        QCOMPARE(y.value(QStringLiteral("share")).toDouble(), 1.0);
        // An image watches no disk: there is no reason to give.
        QVERIFY(y.value(QStringLiteral("reason")).isNull());
        const QJsonObject f = data.value(QStringLiteral("forecast")).toObject();
        for (const char* k : {"confidence", "copy-rate", "dirty-rate", "converges", "ready-in",
                              "freeze", "freeze-if-completed-now", "remedies"})
            QVERIFY2(f.contains(QLatin1String(k)), k);
        QVERIFY(f.value(QStringLiteral("converges")).toBool());
        QCOMPARE(f.value(QStringLiteral("dirty-rate")).toDouble(-1), 0.0);
        if (f.value(QStringLiteral("confidence")).toString() == QStringLiteral("none")) {
            QVERIFY(f.value(QStringLiteral("ready-in")).isNull());
            continue;
        }
        // Nothing writes the source: the rest takes what is left at the
        // limit, and the freeze is nothing to speak of.
        const double remaining = data.value(QStringLiteral("len")).toDouble() -
                                 data.value(QStringLiteral("offset")).toDouble();
        const double readyIn = f.value(QStringLiteral("ready-in")).toDouble(-1);
        QVERIFY2(readyIn >= 0, qPrintable(QJsonDocument(f).toJson()));
        QVERIFY2(readyIn <= 2 * remaining / limit + 1 && readyIn >= 0.3 * remaining / limit - 1,
                 qPrintable(QStringLiteral("ready-in %1 s with %2 MiB left at 32 MiB/s")
                                .arg(readyIn)
                                .arg(remaining / kMiB)));
        const double copyRate = f.value(QStringLiteral("copy-rate")).toDouble();
        QVERIFY2(copyRate > 0.5 * limit && copyRate < 1.5 * limit,
                 qPrintable(QString::number(copyRate)));
        forecastSeen = true;
    }
    QVERIFY2(forecastSeen, "no progress event carried a forecast with numbers");
}

void TestCliContract::yieldOption_badValueRefused()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeImage(src, 4 * kMiB, {{0, 1 * kMiB, false, 3}}));
    const auto r = cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--yield"),
                        QStringLiteral("sometimes")});
    QCOMPARE(r.exitCode, kExitBadInput);
    QVERIFY2(r.err.contains(QStringLiteral("--yield: auto or off, not 'sometimes'")),
             qPrintable(show(r)));
    QVERIFY(!QFile::exists(dst));
}

// ---------------------------------------------------------------------------
// Exit codes and outcomes

void TestCliContract::completedText_identicalOnlyWhenCopiedWhole_data()
{
    QTest::addColumn<QString>("sync");
    QTest::addColumn<bool>("identical");
    QTest::newRow("full") << QStringLiteral("full") << true;
    QTest::newRow("top") << QStringLiteral("top") << false;
    QTest::newRow("none") << QStringLiteral("none") << false;
}

void TestCliContract::completedText_identicalOnlyWhenCopiedWhole()
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

void TestCliContract::internalFailure_exit1_createdTargetRemoved()
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

void TestCliContract::targetErrorIgnored_exit8_saysWhatWasSkipped()
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

void TestCliContract::sourceErrorIgnored_exit8_zeroedRangeNamed()
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

// ---------------------------------------------------------------------------
// The command line

void TestCliContract::commandLine_versionHelpUnknown()
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

QTEST_GUILESS_MAIN(TestCliContract)
#include "tst_cli_contract.moc"
