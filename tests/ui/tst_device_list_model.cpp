// DeviceListModel and its filters: keyed merging under QAbstractItemModelTester,
// image probing, and which rows each list greys out.
#include "device_list_model.h"
#include "test_support.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using testsupport::ScratchDir;
using ui::DeviceFilterModel;
using ui::DeviceListModel;

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
};

QTEST_MAIN(TestDeviceListModel)
#include "tst_device_list_model.moc"
