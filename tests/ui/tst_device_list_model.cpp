// DeviceListModel and its filters: keyed merging under QAbstractItemModelTester,
// image probing, which rows each list greys out, and (as root, on loop
// devices) hotplug and mount changes followed live through the real monitor.
#include "device_list_model.h"
#include "device_pane.h"
#include "rules/job_setup.h"
#include "test_support.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QIcon>
#include <QImage>
#include <QItemSelectionModel>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using testsupport::runCommand;
using testsupport::ScratchDir;
using ui::DeviceFilterModel;
using ui::DeviceListModel;

namespace {

constexpr std::uint64_t kMiB = 1ull << 20;

QModelIndex proxyIndex(const DeviceFilterModel& proxy, const DeviceListModel& model,
                       const QString& path, int column = 0)
{
    return proxy.mapFromSource(model.index(model.rowOf(path), column));
}

} // namespace

class TestDeviceListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void refreshAndAdd_keyedRows_modelTesterClean()
    {
        ScratchDir dir;
        const QString a = dir.file(QStringLiteral("a.img"));
        const QString b = dir.file(QStringLiteral("b.img"));
        QVERIFY(testsupport::createSparse(a, 8 << 20));
        QVERIFY(testsupport::createSparse(b, 16 << 20));
        DeviceListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.refresh();
        QTRY_VERIFY(model.isIdle());
        const int devices = model.rowCount();
        model.addImages({a, b});
        QTRY_COMPARE(model.rowCount(), devices + 2);
        QTRY_VERIFY(model.isIdle());
        const QPersistentModelIndex aIndex = model.index(model.rowOf(a), 0);
        QVERIFY(aIndex.isValid());
        QCOMPARE(aIndex.data(DeviceListModel::SizeBytesRole).toULongLong(), 8ull << 20);
        QCOMPARE(aIndex.data().toString(), QStringLiteral("a.img"));

        // Adding again and refreshing neither duplicates nor moves rows.
        model.addImages({a});
        model.refresh();
        model.refresh();
        QTRY_VERIFY(model.isIdle());
        QCOMPARE(model.rowCount(), devices + 2);
        QVERIFY(aIndex.isValid());
        QCOMPARE(aIndex.row(), model.rowOf(a));
        // Devices come first, images after them.
        for (int row = 0; row < devices; ++row)
            QVERIFY(model.index(row, 0).data(DeviceListModel::BlockDeviceRole).toBool());

        // A removed image file disappears at the next refresh.
        QVERIFY(QFile::remove(b));
        model.refresh();
        QTRY_VERIFY(model.isIdle());
        QCOMPARE(model.rowCount(), devices + 1);
        QVERIFY(aIndex.isValid());
    }

    void addImages_missingPath_failsUnlessNew()
    {
        ScratchDir dir;
        DeviceListModel model;
        QSignalSpy failed(&model, &DeviceListModel::probeFailed);
        QSignalSpy added(&model, &DeviceListModel::imagesAdded);
        const QString missing = dir.file(QStringLiteral("missing.img"));
        model.addImages({missing});
        QTRY_COMPARE(failed.count(), 1);
        QCOMPARE(model.rowOf(missing), -1);
        model.addImages({missing}, true);
        QTRY_COMPARE(added.count(), 1);
        const ui::DeviceEntry* e = model.entry(missing);
        QVERIFY(e);
        QVERIFY(e->newImage);
        QVERIFY(e->sourceRefusal.has_value());
        QVERIFY(!e->targetRefusal.has_value());
    }

    void filters_greyOutRefusedRows_withReasons()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString small = dir.file(QStringLiteral("small.img"));
        const QString ok = dir.file(QStringLiteral("ok.img"));
        const QString created = dir.file(QStringLiteral("new.img"));
        QVERIFY(testsupport::createSparse(src, 16 << 20));
        QVERIFY(testsupport::createSparse(small, 8 << 20));
        QVERIFY(testsupport::createSparse(ok, 16 << 20));
        DeviceListModel model;
        DeviceFilterModel sources(DeviceFilterModel::Purpose::Source);
        DeviceFilterModel targets(DeviceFilterModel::Purpose::Target);
        sources.setSourceModel(&model);
        targets.setSourceModel(&model);
        QAbstractItemModelTester t1(&sources,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&targets,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addImages({src, small, ok});
        model.addImages({created}, true);
        QTRY_VERIFY(model.isIdle() && model.rowOf(created) >= 0 && model.rowOf(ok) >= 0);
        // The new image is a target only.
        QCOMPARE(sources.rowCount(), model.rowCount() - 1);
        QCOMPARE(targets.rowCount(), model.rowCount());

        model.setSource(src);
        QTRY_VERIFY(model.isIdle());
        const auto targetIndex = [&](const QString& path) {
            return targets.mapFromSource(model.index(model.rowOf(path), 0));
        };
        QVERIFY(!(targets.flags(targetIndex(src)) & Qt::ItemIsEnabled));
        QVERIFY(!(targets.flags(targetIndex(small)) & Qt::ItemIsSelectable));
        QVERIFY(targets.data(targetIndex(small), Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("smaller than the source")));
        QVERIFY(targets.flags(targetIndex(ok)) & Qt::ItemIsEnabled);
        QVERIFY(targets.flags(targetIndex(created)) & Qt::ItemIsEnabled);
        // A new image shows the size it will get.
        QCOMPARE(model.index(model.rowOf(created), DeviceListModel::SizeColumn)
                     .data(DeviceListModel::SizeBytesRole)
                     .toULongLong(),
                 16ull << 20);
        // As source, every existing image is fine.
        const QModelIndex smallAsSource = sources.mapFromSource(model.index(model.rowOf(small), 0));
        QVERIFY(sources.flags(smallAsSource) & Qt::ItemIsEnabled);

        // Another source: the verdicts follow.
        model.setSource(small);
        QTRY_VERIFY(model.isIdle());
        QVERIFY(targets.flags(targetIndex(src)) & Qt::ItemIsEnabled);
        QVERIFY(!(targets.flags(targetIndex(small)) & Qt::ItemIsEnabled));
    }

    void display_columnsHaveText()
    {
        ScratchDir dir;
        const QString a = dir.file(QStringLiteral("a.img"));
        QVERIFY(testsupport::createSparse(a, 3 << 20));
        DeviceListModel model;
        model.addImages({a});
        QTRY_VERIFY(model.rowOf(a) >= 0);
        const int row = model.rowOf(a);
        QCOMPARE(model.index(row, DeviceListModel::KindColumn).data().toString(),
                 QStringLiteral("Image"));
        QVERIFY(model.index(row, DeviceListModel::SizeColumn)
                    .data()
                    .toString()
                    .contains(QStringLiteral("MiB")));
        QVERIFY(!model.index(row, DeviceListModel::MountColumn).data().toString().isEmpty());
        QVERIFY(model.index(row, 0).data(Qt::ToolTipRole).toString().contains(a));
        for (int c = 0; c < DeviceListModel::ColumnCount; ++c)
            QVERIFY(!model.headerData(c, Qt::Horizontal).toString().isEmpty());
    }

    void iconPath_catalogDevice_ssdOnlyForFixedSolidStateDisks_data()
    {
        QTest::addColumn<QString>("bus");
        QTest::addColumn<bool>("rotational");
        QTest::addColumn<bool>("removable");
        QTest::addColumn<bool>("partition");
        QTest::addColumn<QString>("icon");
        const auto icon = [](const char* name) {
            return QStringLiteral(":/icons/%1.svg").arg(QLatin1String(name));
        };
        QTest::newRow("nvme") << QStringLiteral("nvme") << false << false << false << icon("ssd");
        QTest::newRow("ata ssd") << QStringLiteral("ata") << false << false << false << icon("ssd");
        QTest::newRow("virtio ssd")
            << QStringLiteral("virtio") << false << false << false << icon("ssd");
        QTest::newRow("ata hdd") << QStringLiteral("ata") << true << false << false << icon("disk");
        QTest::newRow("scsi hdd") << QStringLiteral("scsi") << true << false << false
                                  << icon("disk");
        QTest::newRow("removable flash")
            << QStringLiteral("scsi") << false << true << false << icon("disk");
        QTest::newRow("usb stick")
            << QStringLiteral("usb") << false << true << false << icon("usb");
        QTest::newRow("usb ssd") << QStringLiteral("usb") << false << false << false << icon("usb");
        QTest::newRow("sd card") << QStringLiteral("mmc") << false << true << false << icon("usb");
        QTest::newRow("loop") << QStringLiteral("loop") << false << false << false << icon("loop");
        QTest::newRow("dm") << QStringLiteral("dm") << false << false << false << icon("disk");
        QTest::newRow("ssd partition")
            << QStringLiteral("nvme") << false << false << true << icon("partition");
    }

    void iconPath_catalogDevice_ssdOnlyForFixedSolidStateDisks()
    {
        QFETCH(QString, bus);
        QFETCH(bool, rotational);
        QFETCH(bool, removable);
        QFETCH(bool, partition);
        QFETCH(QString, icon);
        engine::DeviceInfo d;
        d.name = partition ? "xda1" : "xda";
        d.devnode = "/dev/" + d.name;
        d.isPartition = partition;
        d.parent = partition ? "xda" : "";
        d.bus = bus.toStdString();
        d.rotational = rotational;
        d.removable = removable;
        d.size = 64 * kMiB;
        const ui::DeviceEntry e = DeviceListModel::entryFor(d, {d});
        QCOMPARE(DeviceListModel::iconPath(e), icon);
        QVERIFY2(QFile::exists(icon), qPrintable(icon));
    }

    void decoration_everyRow_isTheIconOfItsPath()
    {
        // The model shows what iconPath() names: compared as rendered images,
        // since QIcon identity says nothing about the file behind it.
        ScratchDir dir;
        const QString a = dir.file(QStringLiteral("a.img"));
        QVERIFY(testsupport::createSparse(a, 3 << 20));
        DeviceListModel model;
        model.refresh();
        model.addImages({a});
        model.addImages({dir.file(QStringLiteral("new.img"))}, true);
        QTRY_VERIFY(model.rowOf(a) >= 0 && model.isIdle());
        const auto render = [](const QIcon& icon) {
            return icon.pixmap(QSize(16, 16), 2.0)
                .toImage()
                .convertToFormat(QImage::Format_ARGB32_Premultiplied);
        };
        QCOMPARE(DeviceListModel::iconPath(*model.entry(a)), QStringLiteral(":/icons/image.svg"));
        for (int row = 0; row < model.rowCount(); ++row) {
            const QModelIndex index = model.index(row, DeviceListModel::NameColumn);
            const ui::DeviceEntry* e =
                model.entry(index.data(DeviceListModel::PathRole).toString());
            QVERIFY(e);
            const QImage shown = render(index.data(Qt::DecorationRole).value<QIcon>());
            QVERIFY2(!shown.isNull(), qPrintable(e->path));
            QCOMPARE(shown, render(QIcon(DeviceListModel::iconPath(*e))));
            QVERIFY(
                !model.index(row, DeviceListModel::SizeColumn).data(Qt::DecorationRole).isValid());
        }
        // The SSD and the disk icon are told apart in the list.
        QVERIFY(render(QIcon(QStringLiteral(":/icons/ssd.svg"))) !=
                render(QIcon(QStringLiteral(":/icons/disk.svg"))));
    }

    void pane_selectionBoundToThePick_neverMovesNorReturns()
    {
        ScratchDir dir;
        const QString small = dir.file(QStringLiteral("small.img"));
        const QString large = dir.file(QStringLiteral("large.img"));
        const QString a = dir.file(QStringLiteral("a.img"));
        const QString b = dir.file(QStringLiteral("b.img"));
        const QString c = dir.file(QStringLiteral("c.img"));
        QVERIFY(testsupport::createSparse(small, 8 << 20));
        QVERIFY(testsupport::createSparse(large, 32 << 20));
        for (const QString& f : {a, b, c})
            QVERIFY(testsupport::createSparse(f, 8 << 20));
        DeviceListModel model;
        ui::DevicePane pane(DeviceFilterModel::Purpose::Target, &model);
        pane.show();
        QSignalSpy changed(&pane, &ui::DevicePane::currentPathChanged);
        model.addImages({small, large, a, b, c});
        model.setSource(small);
        QTRY_VERIFY(model.isIdle() && model.entry(c));
        QVERIFY(pane.selectPath(b));
        QCOMPARE(changed.count(), 1);
        QItemSelectionModel* selection = pane.view()->selectionModel();

        // The picked row goes: the selection goes with it, to no neighbour.
        QVERIFY(QFile::remove(b));
        model.refresh();
        QTRY_VERIFY(model.isIdle() && model.rowOf(b) < 0);
        QVERIFY(pane.currentPath().isEmpty());
        QVERIFY(!selection->hasSelection());
        QVERIFY(!selection->currentIndex().isValid());
        QCOMPARE(changed.count(), 2);
        QCOMPARE(changed.back().front().toString(), QString());
        // Back in the list, not picked.
        QVERIFY(testsupport::createSparse(b, 8 << 20));
        model.addImages({b});
        QTRY_VERIFY(model.isIdle() && model.entry(b));
        QVERIFY(pane.currentPath().isEmpty());
        QCOMPARE(changed.count(), 2);

        // Refused (too small for another source), then usable again: the
        // pick is gone for good, not kept to come back.
        QVERIFY(pane.selectPath(a));
        model.setSource(large);
        QTRY_VERIFY(model.isIdle() && model.entry(a)->targetRefusal);
        QVERIFY(pane.currentPath().isEmpty());
        model.setSource(small);
        QTRY_VERIFY(model.isIdle() && !model.entry(a)->targetRefusal);
        QVERIFY(pane.currentPath().isEmpty());
        QVERIFY(!selection->hasSelection());
        const QStringList announced = [&] {
            QStringList out;
            for (const auto& args : changed)
                out << args.front().toString();
            return out;
        }();
        QCOMPARE(announced, (QStringList{b, QString(), a, QString()}));
    }

    void hotplug_loopAttachedAndDetached_rowFollowsWithoutRefresh()
    {
        if (!testsupport::isRoot())
            QSKIP("needs root: attaching loop devices");
        ScratchDir dir;
        const QString keep = dir.file(QStringLiteral("keep.img"));
        const QString img = dir.file(QStringLiteral("hotplug.img"));
        QVERIFY(testsupport::createSparse(keep, 8 * kMiB));
        QVERIFY(testsupport::createSparse(img, 24 * kMiB));
        DeviceListModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        DeviceFilterModel sources(DeviceFilterModel::Purpose::Source);
        sources.setSourceModel(&model);
        QString why;
        QVERIFY2(model.startMonitoring(&why), qPrintable(why));
        QVERIFY(model.isMonitoring());
        model.refresh();
        model.addImages({keep});
        QTRY_VERIFY(model.isIdle() && model.rowOf(keep) >= 0);
        // A selection that must survive every hotplug update.
        QItemSelectionModel selection(&sources);
        const QModelIndex keepIndex = proxyIndex(sources, model, keep);
        selection.select(keepIndex,
                         QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);

        QElapsedTimer timer;
        timer.start();
        auto loop = testsupport::LoopDevice::attach(img, &why);
        QVERIFY2(loop, qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(model.rowOf(loop->path()) >= 0, 10000);
        qInfo("listed %lld ms after attaching", static_cast<long long>(timer.elapsed()));
        const ui::DeviceEntry* e = model.entry(loop->path());
        QVERIFY(e);
        QVERIFY(e->blockDevice);
        QVERIFY(e->kind == ui::DeviceEntry::Kind::Loop);
        QCOMPARE(e->size, 24 * kMiB);
        QCOMPARE(e->model, img); // a loop device is recognised by its file
        QVERIFY(!e->stableId.isEmpty());
        const int row = model.rowOf(loop->path());
        QCOMPARE(model.index(row, DeviceListModel::KindColumn).data().toString(),
                 QStringLiteral("Loop"));
        QVERIFY(model.index(row, DeviceListModel::MountColumn)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("Not mounted")));
        QVERIFY(inserted.count() >= 1);

        const QString path = loop->path();
        timer.restart();
        loop.reset(); // detach
        QTRY_VERIFY_WITH_TIMEOUT(model.rowOf(path) < 0, 10000);
        qInfo("gone %lld ms after detaching", static_cast<long long>(timer.elapsed()));
        QVERIFY(removed.count() >= 1);
        QCOMPARE(resets.count(), 0); // row by row, never a reset
        QVERIFY(selection.isRowSelected(proxyIndex(sources, model, keep).row()));
        QCOMPARE(selection.selectedRows().size(), 1);
    }

    void mountedLoop_greyedOutTarget_toolTipNamesRule_liveAsSource()
    {
        if (!testsupport::isRoot())
            QSKIP("needs root: loop devices, mkfs and mount");
        ScratchDir dir;
        const QString img = dir.file(QStringLiteral("fs.img"));
        QVERIFY(testsupport::createSparse(img, 32 * kMiB));
        QString why;
        auto loop = testsupport::LoopDevice::attach(img, &why);
        QVERIFY2(loop, qPrintable(why));
        QCOMPARE(
            runCommand(QStringLiteral("mkfs.ext4"), {QStringLiteral("-q"), QStringLiteral("-L"),
                                                     QStringLiteral("Data"), loop->path()})
                .exitCode,
            0);
        DeviceListModel model;
        DeviceFilterModel sources(DeviceFilterModel::Purpose::Source);
        DeviceFilterModel targets(DeviceFilterModel::Purpose::Target);
        sources.setSourceModel(&model);
        targets.setSourceModel(&model);
        QAbstractItemModelTester tester(&targets,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(model.startMonitoring());
        model.refresh();
        QTRY_VERIFY(model.isIdle() && model.rowOf(loop->path()) >= 0);
        QVERIFY(targets.flags(proxyIndex(targets, model, loop->path())) & Qt::ItemIsEnabled);
        QCOMPARE(model.entry(loop->path())->fsLabel, QStringLiteral("Data"));
        QVERIFY(model.entry(loop->path())->holdsData);

        // Mounted while the model watches: no refresh, no device event.
        const QString mnt = dir.file(QStringLiteral("mnt"));
        QVERIFY(QDir().mkpath(mnt));
        QCOMPARE(runCommand(QStringLiteral("mount"), {loop->path(), mnt}).exitCode, 0);
        auto unmount = qScopeGuard([&] { runCommand(QStringLiteral("umount"), {mnt}); });
        const auto targetIndex = [&] { return proxyIndex(targets, model, loop->path()); };
        QTRY_VERIFY_WITH_TIMEOUT(!(targets.flags(targetIndex()) & Qt::ItemIsEnabled), 10000);
        QVERIFY(!(targets.flags(targetIndex()) & Qt::ItemIsSelectable));
        const QString tip = targetIndex().data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QStringLiteral("(rule: mounted target)")), qPrintable(tip));
        QVERIFY2(tip.contains(mnt), qPrintable(tip));
        QVERIFY(tip.startsWith(QStringLiteral("Cannot be the target")));
        // The engine's refusal at start, rule and words, from the list's catalog.
        const auto atStart = engine::checkTargetCandidate({}, loop->path().toStdString());
        QVERIFY(!atStart);
        const auto& refusal = model.entry(loop->path())->targetRefusal;
        QVERIFY(refusal);
        QCOMPARE(refusal->rule, engine::Rule::MountedTarget);
        QCOMPARE(refusal->message, atStart.error().message);

        // As a source it is fine, and live.
        const QModelIndex asSource =
            proxyIndex(sources, model, loop->path(), DeviceListModel::MountColumn);
        QVERIFY(sources.flags(asSource) & Qt::ItemIsEnabled);
        QCOMPARE(asSource.data().toString(), QStringLiteral("Live · Mounted at %1").arg(mnt));
        QVERIFY(asSource.data(Qt::ToolTipRole).toString().contains(QStringLiteral("freezes")));
        QVERIFY(model.entry(loop->path())->live());

        // Unmounted again: usable as a target again.
        unmount.dismiss();
        QCOMPARE(runCommand(QStringLiteral("umount"), {mnt}).exitCode, 0);
        QTRY_VERIFY_WITH_TIMEOUT(targets.flags(targetIndex()) & Qt::ItemIsEnabled, 10000);
        QVERIFY(!model.entry(loop->path())->live());
    }

    void withoutRoot_deviceRowsGreyed_needsRootToolTip()
    {
        ScratchDir dir;
        const QString img = dir.file(QStringLiteral("a.img"));
        QVERIFY(testsupport::createSparse(img, 8 * kMiB));
        std::unique_ptr<testsupport::LoopDevice> loop;
        if (testsupport::isRoot()) {
            QString why;
            loop = testsupport::LoopDevice::attach(dir.file(QStringLiteral("a.img")), &why);
            QVERIFY2(loop, qPrintable(why));
        }
        DeviceListModel model;
        DeviceFilterModel sources(DeviceFilterModel::Purpose::Source);
        DeviceFilterModel targets(DeviceFilterModel::Purpose::Target);
        sources.setSourceModel(&model);
        targets.setSourceModel(&model);
        QSignalSpy changed(&model, &DeviceListModel::canOpenDevicesChanged);
        model.setCanOpenDevices(false);
        QCOMPARE(changed.count(), 1);
        model.refresh();
        model.addImages({img});
        QTRY_VERIFY(model.isIdle() && model.rowOf(img) >= 0);
        int devices = 0;
        for (int row = 0; row < model.rowCount(); ++row) {
            if (!model.index(row, 0).data(DeviceListModel::BlockDeviceRole).toBool())
                continue;
            ++devices;
            for (const DeviceFilterModel* proxy : {&sources, &targets}) {
                const QModelIndex i = proxy->mapFromSource(model.index(row, 0));
                QVERIFY(!(proxy->flags(i) & Qt::ItemIsEnabled));
                const QString tip = i.data(Qt::ToolTipRole).toString();
                QVERIFY2(tip.contains(QStringLiteral("needs root: ")), qPrintable(tip));
            }
        }
        if (devices == 0)
            QSKIP("no block device on this machine to grey out");
        // Image files stay usable.
        QVERIFY(sources.flags(proxyIndex(sources, model, img)) & Qt::ItemIsEnabled);
        QVERIFY(targets.flags(proxyIndex(targets, model, img)) & Qt::ItemIsEnabled);

        if (testsupport::isRoot()) {
            model.setCanOpenDevices(true);
            QTRY_VERIFY(model.isIdle());
            QVERIFY(targets.flags(proxyIndex(targets, model, loop->path())) & Qt::ItemIsEnabled);
        }
    }
};

QTEST_MAIN(TestDeviceListModel)
#include "tst_device_list_model.moc"
