// ThroughputGraph: transfer rates over the last minutes.
//
// Rates are derived from the snapshots' cumulative counters (bytes copied,
// bytes zeroed) over at least half a second, so a dropped or coalesced
// snapshot never distorts them. Two curves: data copied (read and written)
// and zero/discard (ranges handled without moving data); the speed limit as
// a dashed line. Both axes scale themselves: time spans 1, 2 then 5 minutes,
// the rate axis rounds to 1/2/2.5/5 steps in B/s, KiB/s, MiB/s or GiB/s. The
// grid and labels are cached as a pixmap until the scale, size, palette or
// font changes; a new sample only repaints the curves.
#pragma once

#include "job/mirror_job.h"

#include <QPainterPath>
#include <QPixmap>
#include <QWidget>

#include <deque>
#include <vector>

namespace ui {

class ThroughputGraph : public QWidget
{
    Q_OBJECT

public:
    struct Point
    {
        double t = 0;     ///< seconds since the job started
        double data = 0;  ///< bytes/s copied
        double zero = 0;  ///< bytes/s zeroed or discarded
        double limit = 0; ///< bytes/s, 0 = unlimited
        /// Share of full speed the job allows itself while it gives way to
        /// other I/O on the source (1: it does not).
        double yieldShare = 1.0;
    };

    /// A rate axis: ticks 0, step, ... top, in units of unitBytes.
    struct Scale
    {
        double top = 0;  ///< bytes/s at the top of the axis
        double step = 0; ///< bytes/s between ticks
        double unitBytes = 1;
        QString unit; ///< "MiB/s"
    };

    explicit ThroughputGraph(QWidget* parent = nullptr);

    /// Feeds a snapshot; a point is added once half a second has passed.
    void addSample(const engine::JobSnapshot& snapshot);
    void clear();

    const std::deque<Point>& points() const { return m_points; }
    double spanSeconds() const { return m_span; }
    const Scale& scale() const { return m_scale; }
    /// The nice axis for rates up to @p maxBytesPerSecond.
    static Scale niceScale(double maxBytesPerSecond);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    /// The curves in widget coordinates, over the span shown.
    struct Curves
    {
        QPainterPath data;
        QPainterPath zero;
        QPainterPath limit;
        /// Where the job gave way: an x range and how much (1 - share).
        struct Band
        {
            double x0;
            double x1;
            double depth;
        };
        std::vector<Band> yielding;
        double firstX = 0;
        double lastX = 0;
        bool empty = true; ///< no point falls in the span
    };

    void rescale();
    QRect plotRect() const;
    int legendHeight(int width) const;
    void paintLegend(QPainter& p, const QRect& area) const;
    /// Renders axes, grid, labels and legend into m_grid.
    void paintGrid(const QRect& plot);
    void paintRateAxis(QPainter& g, const QRect& plot, const QColor& gridColor) const;
    void paintTimeAxis(QPainter& g, const QRect& plot, const QColor& gridColor) const;
    Curves curves(const QRect& plot) const;
    void paintCurves(QPainter& p, const QRect& plot) const;
    QString timeLabel(double secondsAgo) const;

    std::deque<Point> m_points;
    bool m_hasLast = false;
    double m_lastT = 0;
    std::uint64_t m_lastData = 0;
    std::uint64_t m_lastZero = 0;
    double m_now = 0;
    double m_span = 60;
    Scale m_scale;
    bool m_showLimit = false;
    bool m_showYield = false;
    QPixmap m_grid; ///< axes, grid and labels for the current scale and size
};

} // namespace ui
