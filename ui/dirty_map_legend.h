// The dirty map's legend: one swatch per cell state, the dirty shading from
// "a little" to "all", and the map's scale (bytes per cell, granularity).
// Stacked vertically with word-wrapped labels, so long translations wrap
// instead of widening the window.
#pragma once

#include <QWidget>

class QLabel;

namespace ui {

class DirtyMapWidget;

class DirtyMapLegend : public QWidget
{
    Q_OBJECT

public:
    explicit DirtyMapLegend(DirtyMapWidget* map, QWidget* parent = nullptr);

protected:
    void changeEvent(QEvent* event) override;

private:
    void updateSwatches();
    void updateScale();

    DirtyMapWidget* m_map;
    QLabel* m_clean;
    QLabel* m_dirty;
    QLabel* m_inFlight;
    QLabel* m_unreadable;
    QLabel* m_scale;
};

} // namespace ui
