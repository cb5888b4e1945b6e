// DirtyMapWidget: the whole source as a grid of cells, each coloured by what
// is left to copy in its byte range: clean (in sync), dirty (shaded by the
// fraction still to copy), copying (a request in flight) or unreadable.
//
// The engine down-samples its bitmap to a fixed number of cells (a 2 TiB
// disk at 64 KiB granularity is 32 Mi granules, published as 64 Ki cells);
// this widget merges those into as many cells as fit its size, renders them
// once per snapshot into a QImage with one pixel per cell, and paintEvent
// only scales that image up (no smoothing) and draws the gaps:
//
//   DirtyMapSnapshot (N cells) --setMap--> display cells (D <= N, cols x rows)
//                              --render--> QImage cols x rows --paint--> pitch x pitch blocks
//
// Hovering a cell shows its byte range and state as a tooltip.
#pragma once

#include "bridge/job_controller.h"

#include <QImage>
#include <QWidget>

#include <cstdint>
#include <optional>
#include <vector>

namespace ui {

class DirtyMapWidget : public QWidget
{
    Q_OBJECT

public:
    enum class State { Clean, Dirty, InFlight, Unreadable };

    struct Cell
    {
        int index = -1;
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
        double dirtyFraction = 0; ///< 0..1
        State state = State::Clean;
    };

    explicit DirtyMapWidget(QWidget* parent = nullptr);

    /// Shows @p map (nullptr: the placeholder). Cheap for the same generation.
    void setMap(const DirtyMapPtr& map);
    const DirtyMapPtr& map() const { return m_map; }
    /// Text shown while there is no map.
    void setPlaceholderText(const QString& text);

    /// The colour of a state; for Dirty, @p density 1..255 shades from a
    /// little to entirely dirty. Derived from @p palette (dark themes).
    static QColor colorFor(State state, const QPalette& palette, int density = 255);

    int displayCellCount() const { return m_displayCells; }
    int columns() const { return m_cols; }
    int rows() const { return m_rows; }
    int pitch() const { return m_pitch; }
    /// Bytes of the source in one display cell (0 without a map).
    std::uint64_t bytesPerCell() const;
    std::optional<Cell> cellAt(QPoint pos) const;
    std::optional<Cell> cell(int index) const;
    /// Merges and renders now what the next paint would (tests, benchmark).
    void prepare();

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// The grid's scale changed (new map geometry or widget size).
    void scaleChanged();
    /// The pointer moved onto another cell (nullopt: off the grid).
    void cellHovered(const std::optional<ui::DirtyMapWidget::Cell>& cell);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;
    bool event(QEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    void layoutGrid();
    void aggregate();
    void renderCells();
    QString describe(const Cell& cell) const;

    DirtyMapPtr m_map;
    QString m_placeholder;

    // Geometry, from the widget size and the map's cell count.
    int m_pitch = 0; ///< pixels per cell, gap included
    int m_cols = 0;
    int m_rows = 0;
    int m_displayCells = 0;
    QPoint m_origin;

    // Per display cell, rebuilt by aggregate(); m_image by render().
    std::vector<std::uint8_t> m_density; ///< 0 clean .. 255 all dirty
    std::vector<std::uint8_t> m_flags;   ///< bit 0 in flight, bit 1 unreadable
    bool m_aggregated = false;
    QImage m_image;
    int m_hover = -1;
};

} // namespace ui

Q_DECLARE_METATYPE(std::optional<ui::DirtyMapWidget::Cell>)
