// drivemirror-cli mirror on real image files and (as root) real loop
// devices, checked with cmp and qemu-img compare: the three sync modes,
// sparse target creation, odd sizes, loop devices on both sides, QEMU's
// buffer semantics and targets larger than their source.
#include "cli_test_support.h"
#include "test_support.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QtTest>

#include <cstdint>
#include <vector>

using namespace clitest;
using namespace testsupport;

class TestCliMirror : public QObject
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

    // Loop devices on both sides.
    void mirror_loopToLoop_data();
    void mirror_loopToLoop();
    void mirror_loopToNewFile_createdAndIdentical();

    // QEMU's buffer semantics, larger targets.
    void mirror_bufSizeBelowGranule_roundedUp_data();
    void mirror_bufSizeBelowGranule_roundedUp();
    void wipeRest_largerTarget_data();
    void wipeRest_largerTarget();
};

void TestCliMirror::initTestCase()
{
    initCliSuite();
}

// ---------------------------------------------------------------------------
// Sync modes on image files

void TestCliMirror::mirror_syncFull_targetIdentical_data()
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

void TestCliMirror::mirror_syncFull_targetIdentical()
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

void TestCliMirror::mirror_syncTop_copiesExtentsLeavesHoles()
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

void TestCliMirror::mirror_syncNone_copiesNothing_data()
{
    QTest::addColumn<QString>("whenReady");
    QTest::addColumn<QString>("finalEvent");
    QTest::newRow("cancel when ready")
        << QStringLiteral("--cancel-when-ready") << QStringLiteral("BLOCK_JOB_CANCELLED");
    QTest::newRow("complete when ready")
        << QStringLiteral("--complete-when-ready") << QStringLiteral("BLOCK_JOB_COMPLETED");
}

void TestCliMirror::mirror_syncNone_copiesNothing()
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
    // Cancelled after READY is its own outcome: a copy of one moment.
    const int expected =
        finalEvent == QStringLiteral("BLOCK_JOB_CANCELLED") ? kExitCancelledReady : kExitOk;
    QVERIFY2(r.exitCode == expected, qPrintable(show(r)));
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
// Target creation and sparseness

void TestCliMirror::mirror_missingTarget_createdSparseAndIdentical_data()
{
    QTest::addColumn<QString>("sync");
    QTest::newRow("full") << QStringLiteral("full");
    QTest::newRow("top") << QStringLiteral("top");
}

void TestCliMirror::mirror_missingTarget_createdSparseAndIdentical()
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

void TestCliMirror::mirror_noUnmap_identicalAndAllocated()
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
// Sizes that are not a multiple of the granularity or of 512

void TestCliMirror::mirror_oddSize_identical_data()
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

void TestCliMirror::mirror_oddSize_identical()
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
// Loop devices on both sides

void TestCliMirror::mirror_loopToLoop_data()
{
    QTest::addColumn<QString>("sync");
    QTest::newRow("full") << QStringLiteral("full");
    QTest::newRow("top") << QStringLiteral("top");
    QTest::newRow("none") << QStringLiteral("none");
}

void TestCliMirror::mirror_loopToLoop()
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

void TestCliMirror::mirror_loopToNewFile_createdAndIdentical()
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

// ---------------------------------------------------------------------------
// QEMU's buffer semantics, larger targets

void TestCliMirror::mirror_bufSizeBelowGranule_roundedUp_data()
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

void TestCliMirror::mirror_bufSizeBelowGranule_roundedUp()
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

void TestCliMirror::wipeRest_largerTarget_data()
{
    QTest::addColumn<bool>("wipe");
    QTest::newRow("kept, and said so") << false;
    QTest::newRow("--wipe-rest --verify") << true;
}

void TestCliMirror::wipeRest_largerTarget()
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

QTEST_GUILESS_MAIN(TestCliMirror)
#include "tst_cli_mirror.moc"
