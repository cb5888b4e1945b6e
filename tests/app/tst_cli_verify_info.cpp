// drivemirror-cli's other commands: verify (exit 0, exit 6 with the ranges
// that differ, exit 2), info, inspect of an image and of a loop device, and
// demo.
#include "cli_test_support.h"
#include "test_support.h"

#include <QFile>
#include <QJsonObject>
#include <QtTest>

#include <cstdint>

using namespace clitest;
using namespace testsupport;

class TestCliVerifyInfo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // verify, info, inspect and demo.
    void verify_identical_exit0_data();
    void verify_identical_exit0();
    void verify_flippedByte_exit6WithRange();
    void verify_badInput_exit2();
    void info_json_reportsFileLayout();
    void inspect_imageTarget();
    void inspect_loopTarget_identityAndPartitions();
    void demo_imagesIdentical();
};

void TestCliVerifyInfo::initTestCase()
{
    initCliSuite();
}

// ---------------------------------------------------------------------------
// verify, info, inspect and demo

void TestCliVerifyInfo::verify_identical_exit0_data()
{
    QTest::addColumn<bool>("zeroDataVersusHole");
    QTest::newRow("byte copy") << false;
    QTest::newRow("zero data on one side, a hole on the other") << true;
}

void TestCliVerifyInfo::verify_identical_exit0()
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

void TestCliVerifyInfo::verify_flippedByte_exit6WithRange()
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

void TestCliVerifyInfo::verify_badInput_exit2()
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

void TestCliVerifyInfo::info_json_reportsFileLayout()
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

void TestCliVerifyInfo::inspect_imageTarget()
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

void TestCliVerifyInfo::inspect_loopTarget_identityAndPartitions()
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

void TestCliVerifyInfo::demo_imagesIdentical()
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

QTEST_GUILESS_MAIN(TestCliVerifyInfo)
#include "tst_cli_verify_info.moc"
