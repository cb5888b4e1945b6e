// drivemirror-cli mirror SOURCE TARGET TARGET...: one source copied to
// several targets at once, each with its own job and events, the source
// read about once for all of them; a failing target costs only its own
// copy (exit 11), and a refusal of any target refuses all before anything
// is created or written.
#include "cli_test_support.h"
#include "fault_fs.h"
#include "test_support.h"

#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

using namespace clitest;
using namespace testsupport;

namespace {

// Some targets copied, some not; from app/cli.h, which tests do not include.
constexpr int kExitSomeTargets = 11;

QString dataString(const QJsonObject& event, const char* key)
{
    return event.value(QStringLiteral("data")).toObject().value(QLatin1String(key)).toString();
}

// The events named @p name, by the device they name, and in @p count how
// many there were: a device named twice leaves fewer keys than events.
QHash<QString, QJsonObject> byDevice(const QList<QJsonObject>& all, const QString& name,
                                     qsizetype* count)
{
    QHash<QString, QJsonObject> out;
    const auto events = eventsNamed(all, name);
    *count = events.size();
    for (const QJsonObject& e : events)
        out.insert(dataString(e, "device"), e);
    return out;
}

// A target ends with BLOCK_JOB_COMPLETED, or BLOCK_JOB_CANCELLED when it
// was cancelled or dropped: whichever names @p device.
QJsonObject endEventOf(const QList<QJsonObject>& all, const QString& device)
{
    for (const QJsonObject& o : all)
        if ((isEvent(o, QStringLiteral("BLOCK_JOB_COMPLETED")) ||
             isEvent(o, QStringLiteral("BLOCK_JOB_CANCELLED"))) &&
            dataString(o, "device") == device)
            return o;
    return {};
}

QString refusedRule(const QString& out)
{
    const auto json = parseJsonLines(out);
    for (const QJsonObject& o : json.objects)
        if (o.contains(QStringLiteral("error")))
            return o.value(QStringLiteral("error"))
                .toObject()
                .value(QStringLiteral("rule"))
                .toString();
    return {};
}

} // namespace

class TestCliManyTargets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // Copies.
    void threeTargets_allIdentical_exit0();
    void failingTarget_exit11_othersIdentical();
    void stdinCommands_actOnAll();

    // Refusals: every target passes every rule before any is written.
    void sameTargetTwice_refused_nothingCreated();
    void imageAndLoopOverIt_refused_imageUnchanged();
    void oneTargetRefused_nothingWritten_data();
    void oneTargetRefused_nothingWritten();
    void expectIdCount_mismatch_badInput_data();
    void expectIdCount_mismatch_badInput();
    void dropBelow_oneTarget_badInput();
    void overwrite_consentNamesEachTarget();

    void help_mentionsSeveralTargets();
};

void TestCliManyTargets::initTestCase()
{
    initCliSuite();
}

// ---------------------------------------------------------------------------
// Copies

void TestCliManyTargets::threeTargets_allIdentical_exit0()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const std::uint64_t size = 64 * kMiB;
    // Data everywhere: a target that skipped a range as a hole would differ.
    QVERIFY(makeFilled(src, size, 301));
    const QStringList targets{dir.file(QStringLiteral("a.img")), dir.file(QStringLiteral("b.img")),
                              dir.file(QStringLiteral("c.img"))};

    const auto r =
        cli(QStringList{QStringLiteral("mirror"), src} + targets +
            QStringList{QStringLiteral("--complete-when-ready"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    for (const QString& t : targets)
        QVERIFY2(cmpIdentical(src, t), qPrintable(QStringLiteral("cmp: %1 differs").arg(t)));

    const auto json = parseJsonLines(r.out);
    QVERIFY2(json.bad.isEmpty(), qPrintable(json.bad.join(QLatin1Char('\n'))));
    const QSet<QString> expected(targets.begin(), targets.end());
    qsizetype count = 0;
    const auto started = byDevice(json.objects, QStringLiteral("JOB_STARTED"), &count);
    QCOMPARE(count, 3);
    QCOMPARE(QSet<QString>(started.keyBegin(), started.keyEnd()), expected);
    for (const QJsonObject& e : started)
        QVERIFY2(e.value(QStringLiteral("data"))
                     .toObject()
                     .value(QStringLiteral("target-created"))
                     .toBool(),
                 qPrintable(QJsonDocument(e).toJson(QJsonDocument::Compact)));
    const auto done = byDevice(json.objects, QStringLiteral("BLOCK_JOB_COMPLETED"), &count);
    QCOMPARE(count, 3);
    QCOMPARE(QSet<QString>(done.keyBegin(), done.keyEnd()), expected);
    QVERIFY2(eventsNamed(json.objects, QStringLiteral("BLOCK_JOB_CANCELLED")).isEmpty(),
             qPrintable(show(r)));

    // Status changes name their job by "id", which is the target too.
    QSet<QString> ids;
    for (const QJsonObject& e : eventsNamed(json.objects, QStringLiteral("JOB_STATUS_CHANGE")))
        ids.insert(dataString(e, "id"));
    QCOMPARE(ids, expected);

    qint64 sum = 0;
    QStringList perTarget;
    for (auto it = done.cbegin(); it != done.cend(); ++it) {
        QCOMPARE(dataString(*it, "outcome"), QStringLiteral("completed"));
        const qint64 read = dataInt(*it, "source-bytes-read");
        QVERIFY2(read >= 0,
                 qPrintable(QStringLiteral("no source-bytes-read for %1").arg(it.key())));
        perTarget << QString::number(read);
        sum += read;
    }
    qInfo("source-bytes-read over 3 targets of a %llu-byte source: %lld (%.3f x size; each %s)",
          static_cast<unsigned long long>(size), sum,
          static_cast<double>(sum) / static_cast<double>(size),
          qPrintable(perTarget.join(QStringLiteral(", "))));
    // Targets that keep pace share one read: about the size once, not three
    // times; less than the size would mean a byte copied without being read.
    QVERIFY2(sum >= static_cast<qint64>(size), qPrintable(QString::number(sum)));
    QVERIFY2(static_cast<double>(sum) <= 1.15 * static_cast<double>(size),
             qPrintable(QString::number(sum)));
}

void TestCliManyTargets::failingTarget_exit11_othersIdentical()
{
    QString why;
    if (!FaultFs::available(&why))
        QSKIP(qPrintable(why));
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString backing = dir.file(QStringLiteral("backing.img"));
    const std::uint64_t size = 32 * kMiB;
    QVERIFY(makeFilled(src, size, 302));
    QVERIFY(createSparse(backing, size));
    // Past the first buffers, so that the failure comes while the others
    // are copying, not before any of them started.
    auto fs = FaultFs::mount(
        backing, {QStringLiteral("--write-error"), QStringLiteral("20971520:4096:EIO")}, &why);
    QVERIFY2(fs, qPrintable(why));
    const QString good1 = dir.file(QStringLiteral("a.img"));
    const QString good2 = dir.file(QStringLiteral("b.img"));
    // The failing one in the middle: neither the first nor the last
    // target's code decides.
    const QStringList targets{good1, fs->diskPath(), good2};

    const auto r =
        cli(QStringList{QStringLiteral("mirror"), src} + targets +
            QStringList{QStringLiteral("--complete-when-ready"), QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitSomeTargets, qPrintable(show(r)));
    const auto json = parseJsonLines(r.out);
    QVERIFY2(json.bad.isEmpty(), qPrintable(json.bad.join(QLatin1Char('\n'))));

    const QJsonObject failed = endEventOf(json.objects, fs->diskPath());
    QVERIFY2(!failed.isEmpty(), qPrintable(show(r)));
    QCOMPARE(dataString(failed, "outcome"), QStringLiteral("failed"));
    QVERIFY2(!dataString(failed, "error").isEmpty(), qPrintable(show(r)));
    qInfo("the failing target ended with: %s", qPrintable(dataString(failed, "error")));
    for (const QString& t : {good1, good2}) {
        const QJsonObject end = endEventOf(json.objects, t);
        QVERIFY2(isEvent(end, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
        QCOMPARE(dataString(end, "outcome"), QStringLiteral("completed"));
        QVERIFY2(cmpIdentical(src, t), qPrintable(QStringLiteral("cmp: %1 differs").arg(t)));
    }
}

void TestCliManyTargets::stdinCommands_actOnAll()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeFilled(src, 16 * kMiB, 303));
    const QStringList targets{dir.file(QStringLiteral("a.img")), dir.file(QStringLiteral("b.img"))};
    // The whole of stdin is read long before READY (half a second away at
    // this speed), and then closed: the complete must wait for every target
    // to be READY and then complete them all.
    const auto r = runCommand(
        cliPath(),
        QStringList{QStringLiteral("mirror"), src} + targets +
            QStringList{QStringLiteral("--json"), QStringLiteral("--speed"), QStringLiteral("32M")},
        30000, "complete id=all\n");
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    for (const QString& t : targets)
        QVERIFY2(cmpIdentical(src, t), qPrintable(QStringLiteral("cmp: %1 differs").arg(t)));

    const auto json = parseJsonLines(r.out);
    QVERIFY2(json.bad.isEmpty(), qPrintable(json.bad.join(QLatin1Char('\n'))));
    QList<QJsonObject> replies;
    for (const QJsonObject& o : json.objects)
        if (isReply(o))
            replies << o;
    // One command, one reply, whatever the number of targets it acted on.
    // Carried out while a target was still running, it would complete only
    // the READY ones and leave that one at READY with stdin closed: the run
    // above would time out. (The reply's place among the READY events is
    // not asserted: it may come before the last READY event is printed,
    // with one target as with several.)
    QCOMPARE(replies.size(), 1);
    QCOMPARE(replies.front().value(QStringLiteral("return")), QJsonValue(QJsonObject()));
    QCOMPARE(replies.front().value(QStringLiteral("id")).toString(), QStringLiteral("all"));
    QCOMPARE(eventsNamed(json.objects, QStringLiteral("BLOCK_JOB_READY")).size(), 2);
    for (const QString& t : targets) {
        const QJsonObject end = endEventOf(json.objects, t);
        QVERIFY2(isEvent(end, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
        QCOMPARE(dataString(end, "outcome"), QStringLiteral("completed"));
    }
}

// ---------------------------------------------------------------------------
// Refusals

void TestCliManyTargets::sameTargetTwice_refused_nothingCreated()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("t.img"));
    QVERIFY(makeFilled(src, 8 * kMiB, 304));
    // The same name twice, and the same file under two names: neither
    // exists yet, so only the names can tell.
    const QString sameViaDot = dir.path() + QStringLiteral("/./t.img");
    for (const QString& second : {dst, sameViaDot}) {
        const QStringList args{QStringLiteral("mirror"), src, dst, second,
                               QStringLiteral("--complete-when-ready")};
        const auto r = cli(args);
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
        QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
        QVERIFY2(r.err.contains(QStringLiteral("rule: targets overlap")), qPrintable(show(r)));
        QVERIFY2(!QFileInfo::exists(dst), qPrintable(show(r)));

        const auto j = cli(args + QStringList{QStringLiteral("--json")});
        QVERIFY2(j.exitCode == kExitBadInput, qPrintable(show(j)));
        QCOMPARE(refusedRule(j.out), QStringLiteral("targets overlap"));
        QVERIFY2(!QFileInfo::exists(dst), qPrintable(show(j)));
    }
    QCOMPARE(dirEntries(dir.path()), QStringList{QStringLiteral("src.img")});
}

void TestCliManyTargets::imageAndLoopOverIt_refused_imageUnchanged()
{
    if (!isRoot())
        QSKIP("loop devices need root");
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString image = dir.file(QStringLiteral("t.img"));
    const std::uint64_t size = 16 * kMiB;
    QVERIFY(makeFilled(src, size, 305));
    QVERIFY(makeFilled(image, size, 306));
    QString why;
    auto loop = LoopDevice::attach(image, &why);
    QVERIFY2(loop, qPrintable(why));
    QVERIFY(setOldMtime(image));
    const FileState before = fileState(image);

    // Both orders: the rule must not depend on which name comes first.
    // --force, so that the loop device holding data is no reason to refuse.
    for (const QStringList& targets :
         {QStringList{image, loop->path()}, QStringList{loop->path(), image}}) {
        const QStringList args =
            QStringList{QStringLiteral("mirror"), src} + targets +
            QStringList{QStringLiteral("--complete-when-ready"), QStringLiteral("--force")};
        const auto r = cli(args);
        QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
        QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
        QVERIFY2(r.err.contains(QStringLiteral("rule: targets overlap")), qPrintable(show(r)));
        const auto j = cli(args + QStringList{QStringLiteral("--json")});
        QVERIFY2(j.exitCode == kExitBadInput, qPrintable(show(j)));
        QCOMPARE(refusedRule(j.out), QStringLiteral("targets overlap"));
        const FileState after = fileState(image);
        QVERIFY2(after == before, qPrintable(QStringLiteral("before: %1\nafter: %2\n%3")
                                                 .arg(describe(before), describe(after), show(r))));
    }
}

namespace {
enum class Refused { Smaller, InProc };
} // namespace

void TestCliManyTargets::oneTargetRefused_nothingWritten_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("refusedFirst");
    QTest::addColumn<QString>("rule");
    QTest::newRow("smaller existing target second")
        << static_cast<int>(Refused::Smaller) << false << QStringLiteral("target too small");
    QTest::newRow("smaller existing target first")
        << static_cast<int>(Refused::Smaller) << true << QStringLiteral("target too small");
    QTest::newRow("new file under /proc second")
        << static_cast<int>(Refused::InProc) << false << QStringLiteral("system directory");
}

void TestCliManyTargets::oneTargetRefused_nothingWritten()
{
    QFETCH(int, kind);
    QFETCH(bool, refusedFirst);
    QFETCH(QString, rule);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString fine = dir.file(QStringLiteral("fine.img"));
    const std::uint64_t size = 16 * kMiB;
    QVERIFY(makeFilled(src, size, 307));
    QString bad;
    if (static_cast<Refused>(kind) == Refused::Smaller) {
        bad = dir.file(QStringLiteral("small.img"));
        QVERIFY(makeFilled(bad, size / 2, 308));
        QVERIFY(setOldMtime(bad));
    } else {
        bad = QStringLiteral("/proc/drivemirror-many-targets.img");
        QVERIFY(!QFileInfo::exists(bad));
    }
    QVERIFY(setOldMtime(src));
    const FileState srcBefore = fileState(src);
    const FileState badBefore = fileState(bad);
    const QStringList entriesBefore = dirEntries(dir.path());

    const QStringList targets = refusedFirst ? QStringList{bad, fine} : QStringList{fine, bad};
    const auto r = cli(QStringList{QStringLiteral("mirror"), src} + targets +
                       QStringList{QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("rule: ") + rule), qPrintable(show(r)));
    QVERIFY2(!QFileInfo::exists(fine), qPrintable(show(r)));
    QCOMPARE(dirEntries(dir.path()), entriesBefore);
    for (const auto& [path, before] : {std::pair{src, srcBefore}, std::pair{bad, badBefore}}) {
        const FileState after = fileState(path);
        QVERIFY2(after == before, qPrintable(QStringLiteral("%1 before: %2\nafter: %3")
                                                 .arg(path, describe(before), describe(after))));
    }
}

void TestCliManyTargets::expectIdCount_mismatch_badInput_data()
{
    QTest::addColumn<int>("ids");
    QTest::newRow("one for two targets") << 1;
    QTest::newRow("three for two targets") << 3;
}

void TestCliManyTargets::expectIdCount_mismatch_badInput()
{
    QFETCH(int, ids);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeFilled(src, 8 * kMiB, 309));
    QStringList args{QStringLiteral("mirror"), src, dir.file(QStringLiteral("a.img")),
                     dir.file(QStringLiteral("b.img")), QStringLiteral("--complete-when-ready")};
    for (int i = 0; i < ids; ++i)
        args << QStringLiteral("--expect-id") << QStringLiteral("file:0:0:%1:0").arg(i + 1);
    const auto r = cli(args);
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("--expect-id")), qPrintable(show(r)));
    QCOMPARE(dirEntries(dir.path()), QStringList{QStringLiteral("src.img")});
}

// A floor only means something beside other targets: with one it would be
// accepted and never act.
void TestCliManyTargets::dropBelow_oneTarget_badInput()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeFilled(src, 8 * kMiB, 310));
    const auto r = cli({QStringLiteral("mirror"), src, dir.file(QStringLiteral("a.img")),
                        QStringLiteral("--drop-below"), QStringLiteral("10M"),
                        QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("--drop-below")), qPrintable(show(r)));
    QCOMPARE(dirEntries(dir.path()), QStringList{QStringLiteral("src.img")});
}

// --overwrite is the consent for one target: a device holding data that it
// does not name is refused (with nothing written to any target), one it
// names is copied, and a name that is no target is a mistake said as such.
void TestCliManyTargets::overwrite_consentNamesEachTarget()
{
    if (!isRoot())
        QSKIP("needs root: attaches loop devices");
    QVERIFY2(haveTool(QStringLiteral("mkfs.ext4")), "mkfs.ext4 is missing (e2fsprogs)");
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const std::uint64_t size = 16 * kMiB;
    QVERIFY(makeFilled(src, size, 311));
    std::vector<std::unique_ptr<LoopDevice>> loops;
    QStringList devices;
    for (const char* name : {"one.img", "two.img"}) {
        const QString backing = dir.file(QString::fromLatin1(name));
        QVERIFY(createSparse(backing, 32 * kMiB));
        QString why;
        loops.push_back(LoopDevice::attach(backing, &why));
        QVERIFY2(loops.back(), qPrintable(why));
        devices << loops.back()->path();
        const auto mk = runCommand(QStringLiteral("mkfs.ext4"),
                                   {QStringLiteral("-q"), QStringLiteral("-F"), devices.back()});
        QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
    }
    const QByteArray before0 = contentHash(devices[0]);
    const QByteArray before1 = contentHash(devices[1]);
    const QStringList mirror = QStringList{QStringLiteral("mirror"), src} + devices;
    const QStringList finish{QStringLiteral("--complete-when-ready")};

    const auto onlyFirst =
        cli(mirror + QStringList{QStringLiteral("--overwrite"), devices[0]} + finish);
    QVERIFY2(onlyFirst.exitCode == kExitBadInput, qPrintable(show(onlyFirst)));
    QVERIFY2(onlyFirst.err.contains(QStringLiteral("rule: target holds data")),
             qPrintable(show(onlyFirst)));
    QVERIFY2(onlyFirst.err.contains(devices[1]), qPrintable(show(onlyFirst)));
    QVERIFY2(contentHash(devices[0]) == before0, "a refused group wrote its consented target");
    QVERIFY2(contentHash(devices[1]) == before1, "a refused group wrote the other target");

    const QString stranger = dir.file(QStringLiteral("elsewhere.img"));
    const auto unknown = cli(mirror +
                             QStringList{QStringLiteral("--overwrite"), devices[0],
                                         QStringLiteral("--overwrite"), stranger} +
                             finish);
    QVERIFY2(unknown.exitCode == kExitBadInput, qPrintable(show(unknown)));
    QVERIFY2(unknown.err.contains(
                 QStringLiteral("--overwrite: %1 is not one of the targets").arg(stranger)),
             qPrintable(show(unknown)));
    QVERIFY(!QFileInfo::exists(stranger));
    QVERIFY2(contentHash(devices[0]) == before0, "a mistyped consent wrote a target");

    const auto both = cli(mirror +
                          QStringList{QStringLiteral("--overwrite"), devices[0],
                                      QStringLiteral("--overwrite"), devices[1]} +
                          finish);
    QVERIFY2(both.exitCode == kExitOk, qPrintable(show(both)));
    for (const QString& d : devices)
        QVERIFY2(cmpIdenticalPrefix(src, d, size), qPrintable(QStringLiteral("cmp: %1").arg(d)));

    // One target: the same consent, the same way.
    QVERIFY(runCommand(QStringLiteral("mkfs.ext4"),
                       {QStringLiteral("-q"), QStringLiteral("-F"), devices[0]})
                .exitCode == 0);
    const auto single =
        cli({QStringLiteral("mirror"), src, devices[0], QStringLiteral("--overwrite"), devices[0],
             QStringLiteral("--complete-when-ready")});
    QVERIFY2(single.exitCode == kExitOk, qPrintable(show(single)));
    QVERIFY(cmpIdenticalPrefix(src, devices[0], size));
}

void TestCliManyTargets::help_mentionsSeveralTargets()
{
    const auto help = cli({QStringLiteral("--help")});
    QVERIFY2(help.exitCode == kExitOk, qPrintable(show(help)));
    QVERIFY2(help.out.contains(QStringLiteral("TARGET [TARGET...]")), qPrintable(help.out));
    QVERIFY2(help.out.contains(QStringLiteral("--drop-below")), qPrintable(help.out));
    QVERIFY2(help.out.contains(QRegularExpression(QStringLiteral("\\b11\\b"))),
             qPrintable(help.out));
}

QTEST_GUILESS_MAIN(TestCliManyTargets)
#include "tst_cli_many_targets.moc"
