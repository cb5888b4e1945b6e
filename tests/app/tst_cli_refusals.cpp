// drivemirror-cli refuses bad input: exit 2, one line on stderr, and the
// target (an image, a loop device, a file system on it) left exactly as it
// was, down to its mtime.
#include "cli_test_support.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QtTest>

#include <unistd.h>

#include <cstdint>

using namespace clitest;
using namespace testsupport;

class TestCliRefusals : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // Refusals: exit 2, one line on stderr, nothing touched.
    void badInput_existingTarget_untouched_data();
    void badInput_existingTarget_untouched();
    void badInput_missingTarget_notCreated_data();
    void badInput_missingTarget_notCreated();
    void badInput_mountedLoopTarget_refused();
    void badInput_loopBackedBySource_refused();
    void loopTarget_holdingExt4_needsForce();
    void badInput_loopTargetTooSmall_refused();
    void badInput_targetOneByteSmaller_sizesInBytes();

    // Options a script might get wrong.
    void expectId_empty_refused();
    void options_strict_refusedAndNothingCreated_data();
    void options_strict_refusedAndNothingCreated();
};

void TestCliRefusals::initTestCase()
{
    initCliSuite();
}

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
    ReconnectNegative,
    ReconnectTooLong,
    ReconnectNotWhole,
    TargetNotAnImage,
};
} // namespace

// ---------------------------------------------------------------------------
// Refusals: exit 2, one line on stderr, nothing touched

void TestCliRefusals::badInput_existingTarget_untouched_data()
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
    row("reconnect timeout -1", Bad::ReconnectNegative, "--reconnect-timeout");
    row("reconnect timeout 86401", Bad::ReconnectTooLong, "--reconnect-timeout");
    row("reconnect timeout 1.5", Bad::ReconnectNotWhole, "--reconnect-timeout");
    row("target is a directory", Bad::TargetNotAnImage, "not a regular file");
}

void TestCliRefusals::badInput_existingTarget_untouched()
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
    case Bad::ReconnectNegative:
        extra << QStringLiteral("--reconnect-timeout") << QStringLiteral("-1");
        break;
    case Bad::ReconnectTooLong:
        extra << QStringLiteral("--reconnect-timeout") << QStringLiteral("86401");
        break;
    case Bad::ReconnectNotWhole:
        extra << QStringLiteral("--reconnect-timeout") << QStringLiteral("1.5");
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

void TestCliRefusals::badInput_missingTarget_notCreated_data()
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

void TestCliRefusals::badInput_missingTarget_notCreated()
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

void TestCliRefusals::badInput_mountedLoopTarget_refused()
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

void TestCliRefusals::badInput_loopBackedBySource_refused()
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

void TestCliRefusals::loopTarget_holdingExt4_needsForce()
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

void TestCliRefusals::badInput_loopTargetTooSmall_refused()
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

void TestCliRefusals::badInput_targetOneByteSmaller_sizesInBytes()
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

// ---------------------------------------------------------------------------
// Options a script might get wrong

void TestCliRefusals::expectId_empty_refused()
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

void TestCliRefusals::options_strict_refusedAndNothingCreated_data()
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

void TestCliRefusals::options_strict_refusedAndNothingCreated()
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

QTEST_GUILESS_MAIN(TestCliRefusals)
#include "tst_cli_refusals.moc"
