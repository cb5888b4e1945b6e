// What the device lists are built from: engine/device_catalog (kinds,
// identities, hotplug events applied to a list, this machine's devices, and
// as root loop devices with partitions, labels and mounts) and
// engine/job_setup (the rules that decide which rows the lists grey out, on
// real image files).
#include "device/device_catalog.h"
#include "rules/job_setup.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QScopeGuard>
#include <QTest>

#include <sys/stat.h>

#include <algorithm>

using engine::DeviceEvent;
using engine::DeviceEventKind;
using engine::DeviceInfo;
using testsupport::runCommand;
using testsupport::ScratchDir;

namespace {

constexpr std::uint64_t kMiB = 1ull << 20;

DeviceInfo disk(const std::string& name, const std::string& bus = "ata", bool rotational = true)
{
    DeviceInfo d;
    d.name = name;
    d.devnode = "/dev/" + name;
    d.bus = bus;
    d.rotational = rotational;
    d.size = 1ull << 30;
    return d;
}

DeviceInfo partition(const DeviceInfo& parent, unsigned number, const std::string& fsType = {})
{
    DeviceInfo p = parent;
    p.name = parent.name + std::to_string(number);
    p.devnode = "/dev/" + p.name;
    p.isPartition = true;
    p.parent = parent.name;
    p.partitionNumber = number;
    p.partitionTable.clear();
    p.fsType = fsType;
    p.holdsData = !fsType.empty();
    return p;
}

std::vector<std::string> names(const std::vector<DeviceInfo>& list)
{
    std::vector<std::string> out;
    for (const auto& d : list)
        out.push_back(d.name);
    return out;
}

const DeviceInfo* find(const std::vector<DeviceInfo>& list, const QString& devnode)
{
    auto it = std::find_if(list.begin(), list.end(), [&](const DeviceInfo& d) {
        return QString::fromStdString(d.devnode) == devnode;
    });
    return it == list.end() ? nullptr : &*it;
}

} // namespace

class TestDeviceCatalog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void kind_whatAPersonCallsIt()
    {
        QCOMPARE(disk("sda", "ata", true).kind(), std::string("disk"));
        QCOMPARE(disk("nvme0n1", "nvme", false).kind(), std::string("SSD"));
        QCOMPARE(disk("sdb", "usb").kind(), std::string("USB"));
        QCOMPARE(disk("mmcblk0", "mmc").kind(), std::string("SD card"));
        QCOMPARE(disk("loop3", "loop").kind(), std::string("loop"));
        QCOMPARE(disk("dm-0", "dm").kind(), std::string("virtual"));
        QCOMPARE(partition(disk("sda"), 1).kind(), std::string("partition"));
    }

    void stableId_prefersWwnThenSerialThenSequence()
    {
        DeviceInfo d = disk("sdb");
        d.diskSeq = 17;
        QCOMPARE(d.stableId(), std::string("seq:sdb:17"));
        d.model = "Disk";
        d.serial = "S123";
        QCOMPARE(d.stableId(), std::string("serial:Disk:S123"));
        QCOMPARE(partition(d, 2).stableId(), std::string("serial:Disk:S123-part2"));
        d.wwn = "0x5000";
        QCOMPARE(d.stableId(), std::string("wwn:0x5000"));
        // A different disk under the same name is a different identity.
        DeviceInfo other = disk("sdb");
        other.diskSeq = 18;
        QVERIFY(other.stableId() != disk("sdb").stableId());
    }

    void applyEvents_keepsOrderAndDataRule()
    {
        std::vector<DeviceInfo> list{disk("sdb"), disk("sda")};
        engine::applyDeviceEvents(list, {});
        QCOMPARE(names(list), (std::vector<std::string>{"sda", "sdb"}));
        QVERIFY(!list[0].holdsData);

        // Partitions arrive after their disk; a file system on one makes the
        // disk hold data.
        const DeviceInfo sda = list[0];
        std::vector<DeviceEvent> events{
            {DeviceEventKind::Added, partition(sda, 2)},
            {DeviceEventKind::Added, partition(sda, 1, "ext4")},
            {DeviceEventKind::Added, disk("loop0", "loop")},
        };
        engine::applyDeviceEvents(list, events);
        QCOMPARE(names(list), (std::vector<std::string>{"loop0", "sda", "sda1", "sda2", "sdb"}));
        QVERIFY(list[1].holdsData);
        QVERIFY(list[2].holdsData);
        QVERIFY(!list[3].holdsData);

        // A change replaces the entry; the disk's verdict follows.
        engine::applyDeviceEvents(list, {{DeviceEventKind::Changed, partition(sda, 1)}});
        QVERIFY(!list[1].holdsData);
        DeviceInfo withTable = sda;
        withTable.partitionTable = "gpt";
        engine::applyDeviceEvents(list, {{DeviceEventKind::Changed, withTable}});
        QVERIFY(list[1].holdsData);

        // A disk that goes takes its partitions along.
        DeviceEvent gone{DeviceEventKind::Removed, {}};
        gone.info.name = "sda";
        engine::applyDeviceEvents(list, {gone});
        QCOMPARE(names(list), (std::vector<std::string>{"loop0", "sdb"}));
    }

    void enumerate_thisMachine_consistent()
    {
        const auto list = engine::enumerateDevices();
        std::vector<std::string> seenDisks;
        for (const auto& d : list) {
            QVERIFY(d.size > 0);
            QVERIFY(d.devnode.starts_with("/dev/"));
            QVERIFY(!d.stableId().empty());
            QVERIFY(!d.kind().empty());
            if (d.isPartition)
                // Partitions come right after their disk.
                QVERIFY2(!seenDisks.empty() && seenDisks.back() == d.parent, d.name.c_str());
            else
                seenDisks.push_back(d.name);
        }
        qInfo("%zu block devices listed", list.size());
    }

    void loopDevices_partitionsLabelsMounts()
    {
        if (!testsupport::isRoot())
            QSKIP("needs root: loop devices, mkfs and mount");
        ScratchDir dir;
        const QString img = dir.file(QStringLiteral("parts.img"));
        QVERIFY(testsupport::createSparse(img, 64 * kMiB));
        const auto sf = runCommand(QStringLiteral("sfdisk"), {QStringLiteral("-q"), img}, 60000,
                                   QByteArrayLiteral("label: gpt\nsize=20MiB\nsize=24MiB\n"));
        QVERIFY2(sf.exitCode == 0, qPrintable(sf.err));
        QString why;
        auto loop = testsupport::LoopDevice::attach(img, &why, true);
        QVERIFY2(loop, qPrintable(why));
        const QString p1 = loop->path() + QStringLiteral("p1");
        const QString p2 = loop->path() + QStringLiteral("p2");
        QTRY_VERIFY(QFile::exists(p2));
        QCOMPARE(
            runCommand(QStringLiteral("mkfs.ext4"),
                       {QStringLiteral("-q"), QStringLiteral("-L"), QStringLiteral("Photos"), p1})
                .exitCode,
            0);
        // A mount point with a space: mountinfo writes it as "\040".
        const QString mnt = dir.file(QStringLiteral("my disk"));
        QVERIFY(QDir().mkpath(mnt));
        QCOMPARE(runCommand(QStringLiteral("mount"), {p1, mnt}).exitCode, 0);
        auto unmount = qScopeGuard([&] { runCommand(QStringLiteral("umount"), {mnt}); });

        auto list = engine::enumerateDevices();
        const DeviceInfo* d = find(list, loop->path());
        const DeviceInfo* a = find(list, p1);
        const DeviceInfo* b = find(list, p2);
        QVERIFY(d && a && b);
        QCOMPARE(d->partitionTable, std::string("gpt"));
        QVERIFY(d->holdsData);
        QCOMPARE(d->bus, std::string("loop"));
        QCOMPARE(QString::fromStdString(d->loopBackingFile), img);
        QCOMPARE(a->parent, d->name);
        QCOMPARE(a->partitionNumber, 1u);
        QCOMPARE(b->partitionNumber, 2u);
        QCOMPARE(a->fsType, std::string("ext4"));
        QCOMPARE(a->fsLabel, std::string("Photos"));
        QCOMPARE(a->size, 20 * kMiB);
        QCOMPARE(b->size, 24 * kMiB);
        QCOMPARE(a->mountPoints, (std::vector<std::string>{mnt.toStdString()}));
        QVERIFY(b->mountPoints.empty());
        // The disk is refused because of its partition; the rule is named.
        const auto refusal = engine::targetRefusal(*d, list);
        QVERIFY(refusal);
        QVERIFY2(refusal->find("(rule: mounted target)") != std::string::npos, refusal->c_str());
        QVERIFY(refusal->find(p1.toStdString()) != std::string::npos);

        // Mount changes without a new enumeration.
        unmount.dismiss();
        QCOMPARE(runCommand(QStringLiteral("umount"), {mnt}).exitCode, 0);
        engine::updateUsage(list);
        QVERIFY(find(list, p1)->mountPoints.empty());
        QVERIFY(!engine::targetRefusal(*find(list, loop->path()), list));
    }

    void checkTarget_rules_nameTheRule()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString small = dir.file(QStringLiteral("small.img"));
        const QString big = dir.file(QStringLiteral("big.img"));
        const QString ro = dir.file(QStringLiteral("ro.img"));
        QVERIFY(testsupport::createSparse(src, 8 << 20));
        QVERIFY(testsupport::createSparse(small, 4 << 20));
        QVERIFY(testsupport::createSparse(big, 16 << 20));
        QVERIFY(testsupport::createSparse(ro, 16 << 20));
        QVERIFY(::chmod(ro.toLocal8Bit().constData(), 0444) == 0);
        const auto check = [&](const QString& s, const QString& t) {
            return engine::checkTargetCandidate(s.toStdString(), t.toStdString());
        };
        QVERIFY(check(src, big));
        QVERIFY(check({}, small)); // no source: size is not checked
        auto tooSmall = check(src, small);
        QVERIFY(!tooSmall);
        QVERIFY(tooSmall.error().message.find("(rule: target too small)") != std::string::npos);
        auto same = check(src, src);
        QVERIFY(!same);
        QVERIFY(same.error().message.find("(rule: source is target)") != std::string::npos);
        auto readOnly = check(src, ro);
        QVERIFY(!readOnly);
        QVERIFY(readOnly.error().message.find("(rule: read-only target)") != std::string::npos);
        // A new file in a writable directory is fine; in a missing one it is not.
        QVERIFY(check(src, dir.file(QStringLiteral("new.img"))));
        QVERIFY(!check(src, dir.file(QStringLiteral("missing/new.img"))));
        QVERIFY(engine::checkSourceCandidate(src.toStdString()));
        QVERIFY(!engine::checkSourceCandidate(dir.file(QStringLiteral("nope.img")).toStdString()));
    }

    void inspectTarget_signatureAndSize()
    {
        ScratchDir dir;
        const QString img = dir.file(QStringLiteral("gpt.img"));
        QVERIFY(testsupport::createSparse(img, 1 << 20));
        {
            QFile f(img);
            QVERIFY(f.open(QIODevice::ReadWrite));
            f.seek(512);
            f.write("EFI PART");
        }
        auto facts = engine::inspectTarget(img.toStdString());
        QVERIFY(facts);
        QVERIFY(facts->exists);
        QVERIFY(!facts->blockDevice);
        QCOMPARE(facts->size, 1ull << 20);
        QVERIFY(facts->signatureReadable);
        QCOMPARE(facts->dataSignature, std::string("a GPT partition table"));
        auto missing = engine::inspectTarget(dir.stdFile(QStringLiteral("new.img")));
        QVERIFY(missing);
        QVERIFY(!missing->exists);
    }

    void prepareJob_missingTarget_createdOnlyWhenValid()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        QVERIFY(testsupport::createSparse(src, 8 << 20));
        engine::JobSetup setup;
        setup.source = src.toStdString();
        setup.target = dir.stdFile(QStringLiteral("new.img"));
        auto prepared = engine::prepareJob(setup, engine::nullLogger());
        QVERIFY(prepared);
        QVERIFY(prepared->targetCreated);
        QCOMPARE(testsupport::fileSize(dir.file(QStringLiteral("new.img"))), 8ull << 20);
        QVERIFY(prepared->job->status() == engine::JobStatus::Created);

        // Invalid options are refused before anything is created.
        engine::JobSetup bad = setup;
        bad.target = dir.stdFile(QStringLiteral("other.img"));
        bad.options.granularity = 3000; // not a power of two
        auto refused = engine::prepareJob(bad, engine::nullLogger());
        QVERIFY(!refused);
        QVERIFY(!QFile::exists(dir.file(QStringLiteral("other.img"))));
    }
};

QTEST_MAIN(TestDeviceCatalog)
#include "tst_device_catalog.moc"
