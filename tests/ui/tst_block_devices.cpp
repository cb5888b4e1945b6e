// engine/block_devices (a fake /sys tree) and engine/job_setup (the rules
// that decide which rows the lists grey out, on real image files).
#include "block_devices.h"
#include "job_setup.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <sys/stat.h>

#include <algorithm>

using namespace Qt::StringLiterals;
using engine::BlockDeviceInfo;
using testsupport::ScratchDir;

namespace {

bool writeFile(const QString& path, const QByteArray& content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(content) == content.size();
}

const BlockDeviceInfo* find(const std::vector<BlockDeviceInfo>& list, const std::string& name)
{
    auto it = std::find_if(list.begin(), list.end(),
                           [&](const BlockDeviceInfo& d) { return d.name == name; });
    return it == list.end() ? nullptr : &*it;
}

} // namespace

class TestBlockDevices : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void list_fakeSysfs_disksPartitionsKinds()
    {
        ScratchDir dir;
        const QString sys = dir.path();
        // sda: an ATA disk with two partitions.
        QVERIFY(writeFile(sys + "/block/sda/size"_L1, "1953525168\n"));
        QVERIFY(writeFile(sys + "/block/sda/dev"_L1, "8:0\n"));
        QVERIFY(writeFile(sys + "/block/sda/ro"_L1, "0\n"));
        QVERIFY(writeFile(sys + "/block/sda/removable"_L1, "0\n"));
        QVERIFY(writeFile(sys + "/block/sda/device/vendor"_L1, "ATA     \n"));
        QVERIFY(writeFile(sys + "/block/sda/device/model"_L1, "Samsung SSD 870 \n"));
        QVERIFY(writeFile(sys + "/block/sda/sda1/partition"_L1, "1\n"));
        QVERIFY(writeFile(sys + "/block/sda/sda1/size"_L1, "1048576\n"));
        QVERIFY(writeFile(sys + "/block/sda/sda1/dev"_L1, "8:1\n"));
        QVERIFY(writeFile(sys + "/block/sda/sda2/partition"_L1, "2\n"));
        QVERIFY(writeFile(sys + "/block/sda/sda2/size"_L1, "2048\n"));
        QVERIFY(writeFile(sys + "/block/sda/sda2/dev"_L1, "8:2\n"));
        QVERIFY(QDir().mkpath(sys + "/block/sda/holders"_L1));
        // sdb: on a USB bus (the device path says so), read-only.
        const QString usbDir = sys + "/devices/pci0000:00/usb1/1-1/block/sdb"_L1;
        QVERIFY(writeFile(usbDir + "/size"_L1, "62521344\n"));
        QVERIFY(writeFile(usbDir + "/dev"_L1, "8:16\n"));
        QVERIFY(writeFile(usbDir + "/ro"_L1, "1\n"));
        QVERIFY(writeFile(usbDir + "/removable"_L1, "0\n"));
        QVERIFY(QFile::link(usbDir, sys + "/block/sdb"_L1));
        // loop0 detached (size 0: left out), loop1 attached.
        QVERIFY(writeFile(sys + "/block/loop0/size"_L1, "0\n"));
        QVERIFY(writeFile(sys + "/block/loop1/size"_L1, "2048\n"));
        QVERIFY(writeFile(sys + "/block/loop1/dev"_L1, "7:1\n"));
        QVERIFY(writeFile(sys + "/block/loop1/loop/backing_file"_L1, "/var/tmp/x.img\n"));
        // mmcblk0: a removable card; zram0 is never listed.
        QVERIFY(writeFile(sys + "/block/mmcblk0/size"_L1, "4096\n"));
        QVERIFY(writeFile(sys + "/block/mmcblk0/removable"_L1, "1\n"));
        QVERIFY(writeFile(sys + "/block/zram0/size"_L1, "4096\n"));

        const auto list = engine::listBlockDevices(sys.toStdString());
        QCOMPARE(list.size(), std::size_t(6));
        QCOMPARE(list[0].name, std::string("loop1"));
        const auto* sda = find(list, "sda");
        QVERIFY(sda);
        QCOMPARE(sda->path, std::string("/dev/sda"));
        QCOMPARE(sda->model, std::string("ATA Samsung SSD 870"));
        QCOMPARE(sda->size, 1953525168ull * 512);
        QVERIFY(sda->kind == BlockDeviceInfo::Kind::Disk);
        QCOMPARE(sda->major, 8u);
        QCOMPARE(sda->minor, 0u);
        QCOMPARE(sda->partitions, (std::vector<std::string>{"sda1", "sda2"}));
        QVERIFY(sda->holders.empty());
        // Partitions follow their disk.
        const auto sdaAt = static_cast<std::size_t>(sda - list.data());
        QCOMPARE(list[sdaAt + 1].name, std::string("sda1"));
        QCOMPARE(list[sdaAt + 2].name, std::string("sda2"));
        QVERIFY(list[sdaAt + 1].kind == BlockDeviceInfo::Kind::Partition);
        QCOMPARE(list[sdaAt + 1].parent, std::string("sda"));
        QCOMPARE(list[sdaAt + 1].size, 1048576ull * 512);
        QCOMPARE(list[sdaAt + 2].minor, 2u);

        const auto* sdb = find(list, "sdb");
        QVERIFY(sdb);
        QVERIFY(sdb->kind == BlockDeviceInfo::Kind::Usb);
        QVERIFY(sdb->usb);
        QVERIFY(sdb->readOnly);
        const auto* loop = find(list, "loop1");
        QVERIFY(loop->kind == BlockDeviceInfo::Kind::Loop);
        QCOMPARE(loop->model, std::string("/var/tmp/x.img"));
        QVERIFY(!find(list, "loop0"));
        QVERIFY(!find(list, "zram0"));
        QVERIFY(find(list, "mmcblk0")->kind == BlockDeviceInfo::Kind::Usb);
        QVERIFY(find(list, "mmcblk0")->removable);
    }

    void list_thisMachine_consistent()
    {
        const auto list = engine::listBlockDevices();
        for (const auto& d : list) {
            QVERIFY(d.size > 0);
            QVERIFY(d.path.starts_with("/dev/"));
            if (d.kind == BlockDeviceInfo::Kind::Partition)
                QVERIFY(find(list, d.parent));
        }
        qInfo("%zu block devices listed", list.size());
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
        bad.options.bufSize = 1 << 20;
        bad.options.granularity = 2 << 20;
        auto refused = engine::prepareJob(bad, engine::nullLogger());
        QVERIFY(!refused);
        QVERIFY(!QFile::exists(dir.file(QStringLiteral("other.img"))));
    }
};

QTEST_MAIN(TestBlockDevices)
#include "tst_block_devices.moc"
