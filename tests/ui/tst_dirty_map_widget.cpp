// DirtyMapWidget rendered off-screen: geometry, colours at sample pixels,
// aggregation of big maps, byte ranges and hover.
#include "dirty_map_widget.h"

#include <QHelpEvent>
#include <QSignalSpy>
#include <QTest>
#include <QToolTip>

using ui::DirtyMapWidget;

namespace {

ui::DirtyMapPtr makeMap(std::uint64_t diskSize, std::vector<std::uint8_t> cells,
                        std::vector<engine::ByteRange> inFlight = {},
                        std::vector<engine::ByteRange> unreadable = {},
                        std::uint64_t generation = 1)
{
    auto map = std::make_shared<engine::DirtyMapSnapshot>();
    map->diskSize = diskSize;
    map->granularity = 64 << 10;
    map->cells = std::move(cells);
    map->inFlight = std::move(inFlight);
    map->unreadable = std::move(unreadable);
    map->generation = generation;
    return map;
}

QPoint centreOf(const DirtyMapWidget& w, int index)
{
    const QPoint origin = [&] {
        // Find the grid origin from the first cell: scan for cellAt hits.
        for (int y = 0; y < w.height(); ++y)
            for (int x = 0; x < w.width(); ++x)
                if (auto c = w.cellAt({x, y}); c && c->index == 0)
                    return QPoint(x, y);
        return QPoint(-1, -1);
    }();
    const int pitch = w.pitch();
    return origin + QPoint((index % w.columns()) * pitch + (pitch - 1) / 2,
                           (index / w.columns()) * pitch + (pitch - 1) / 2);
}

} // namespace

class TestDirtyMapWidget : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void noMap_showsPlaceholderOnly()
    {
        DirtyMapWidget w;
        w.resize(300, 150);
        w.setPlaceholderText(QStringLiteral("nothing yet"));
        const QImage img = w.grab().toImage();
        QCOMPARE(w.displayCellCount(), 0);
        QVERIFY(!w.cellAt({150, 75}));
        QCOMPARE(img.pixelColor(2, 2), w.palette().color(QPalette::Base));
    }

    void smallDisk_bigCells_oneDisplayCellPerMapCell()
    {
        DirtyMapWidget w;
        w.resize(400, 200);
        w.setMap(makeMap(100 << 20, std::vector<std::uint8_t>(100, 0)));
        QCOMPARE(w.displayCellCount(), 100);
        QVERIFY(w.pitch() > 6);
        QCOMPARE(w.bytesPerCell(), (100ull << 20) / 100);
    }

    void colours_eachState_atCellCentres()
    {
        std::vector<std::uint8_t> cells(64, 0);
        for (int i = 16; i < 32; ++i)
            cells[static_cast<std::size_t>(i)] = 255;
        for (int i = 32; i < 48; ++i)
            cells[static_cast<std::size_t>(i)] = 128;
        const std::uint64_t size = 64ull << 20; // 1 MiB per cell
        DirtyMapWidget w;
        w.resize(400, 200);
        w.setMap(makeMap(size, cells, {{48ull << 20, 4096}}, {{(63ull << 20) + 512, 512}}));
        QCOMPARE(w.displayCellCount(), 64);
        w.prepare();
        const QImage img = w.grab().toImage();
        const QPalette pal = w.palette();
        const auto at = [&](int index) { return img.pixelColor(centreOf(w, index)); };
        QCOMPARE(at(0), DirtyMapWidget::colorFor(DirtyMapWidget::State::Clean, pal));
        QCOMPARE(at(20), DirtyMapWidget::colorFor(DirtyMapWidget::State::Dirty, pal, 255));
        QCOMPARE(at(40), DirtyMapWidget::colorFor(DirtyMapWidget::State::Dirty, pal, 128));
        QCOMPARE(at(48), DirtyMapWidget::colorFor(DirtyMapWidget::State::InFlight, pal));
        QCOMPARE(at(63), DirtyMapWidget::colorFor(DirtyMapWidget::State::Unreadable, pal));
        QVERIFY(w.cell(48)->state == DirtyMapWidget::State::InFlight);
        QVERIFY(w.cell(63)->state == DirtyMapWidget::State::Unreadable);
        QCOMPARE(w.cell(40)->dirtyFraction, 128 / 255.0);
        // Shades differ: half dirty is lighter than all dirty, clean differs from both.
        QVERIFY(at(40) != at(20));
        QVERIFY(at(0) != at(40));
    }

    void cells_coverTheDiskContiguously()
    {
        DirtyMapWidget w;
        w.resize(523, 211);
        const std::uint64_t size = (1ull << 30) + 12345; // odd size on purpose
        w.setMap(makeMap(size, std::vector<std::uint8_t>(65536, 0)));
        QVERIFY(w.displayCellCount() > 100);
        QVERIFY(w.displayCellCount() <= 65536);
        std::uint64_t end = 0;
        for (int i = 0; i < w.displayCellCount(); ++i) {
            const auto c = w.cell(i);
            QVERIFY(c);
            QCOMPARE(c->offset, end);
            QVERIFY(c->length > 0);
            end = c->offset + c->length;
        }
        QCOMPARE(end, size);
        QVERIFY(!w.cell(w.displayCellCount()));
    }

    void bigMap_singleDirtyCell_staysVisible()
    {
        // 32 Mi source cells (one per granule of a 2 TiB disk at 64 KiB).
        const std::size_t n = std::size_t(1) << 25;
        std::vector<std::uint8_t> cells(n, 0);
        const std::size_t dirty = 30'000'001;
        cells[dirty] = 255;
        DirtyMapWidget w;
        w.resize(800, 300);
        w.setMap(makeMap(2ull << 40, std::move(cells)));
        w.prepare();
        int dirtyCells = 0;
        int dirtyIndex = -1;
        for (int i = 0; i < w.displayCellCount(); ++i)
            if (w.cell(i)->state == DirtyMapWidget::State::Dirty) {
                ++dirtyCells;
                dirtyIndex = i;
            }
        QCOMPARE(dirtyCells, 1);
        const auto c = w.cell(dirtyIndex);
        const std::uint64_t byte = (2ull << 40) / n * dirty;
        QVERIFY(c->offset <= byte && byte < c->offset + c->length);
        QVERIFY(c->dirtyFraction > 0);
    }

    void hover_reportsRangeAndState()
    {
        DirtyMapWidget w;
        w.resize(400, 200);
        std::vector<std::uint8_t> cells(64, 0);
        cells[5] = 255;
        w.setMap(makeMap(64ull << 20, cells));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QSignalSpy hovered(&w, &DirtyMapWidget::cellHovered);
        const QPoint p = centreOf(w, 5);
        QTest::mouseMove(&w, p);
        QTRY_VERIFY(!hovered.isEmpty());
        const auto cell = hovered.back().front().value<std::optional<DirtyMapWidget::Cell>>();
        QVERIFY(cell.has_value());
        QCOMPARE(cell->index, 5);
        QCOMPARE(cell->offset, 5ull << 20);
        QCOMPARE(cell->length, 1ull << 20);
        QVERIFY(cell->state == DirtyMapWidget::State::Dirty);

        QHelpEvent help(QEvent::ToolTip, p, w.mapToGlobal(p));
        QApplication::sendEvent(&w, &help);
        QTRY_VERIFY(QToolTip::isVisible());
        QVERIFY(QToolTip::text().contains(QStringLiteral("5.00 MiB")));
        QVERIFY(QToolTip::text().contains(QStringLiteral("to copy")));
        QToolTip::hideText();
    }

    void newGeneration_rerenders_sameGenerationIsIgnored()
    {
        DirtyMapWidget w;
        w.resize(400, 200);
        w.setMap(makeMap(64ull << 20, std::vector<std::uint8_t>(64, 0), {}, {}, 1));
        w.prepare();
        QVERIFY(w.cell(3)->state == DirtyMapWidget::State::Clean);
        std::vector<std::uint8_t> dirty(64, 255);
        w.setMap(makeMap(64ull << 20, dirty, {}, {}, 1)); // same generation: kept
        w.prepare();
        QVERIFY(w.cell(3)->state == DirtyMapWidget::State::Clean);
        w.setMap(makeMap(64ull << 20, dirty, {}, {}, 2));
        w.prepare();
        QVERIFY(w.cell(3)->state == DirtyMapWidget::State::Dirty);
    }
};

QTEST_MAIN(TestDirtyMapWidget)
#include "tst_dirty_map_widget.moc"
