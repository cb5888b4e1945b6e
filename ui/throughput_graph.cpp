#include "throughput_graph.h"

#include "format.h"

#include <QEvent>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {

constexpr double kMinInterval = 0.5; // seconds per point
constexpr double kKeepSeconds = 600; // history kept (the widest span)
constexpr double kSpans[] = {60, 120, 300};
constexpr int kPad = 6;

QColor dataColor()
{
    return QColor(0x25, 0x76, 0xd2);
}

QColor zeroColor()
{
    return QColor(0x8e, 0x5c, 0xc4);
}

QColor limitColor()
{
    return QColor(0xc6, 0x28, 0x28);
}

QColor yieldColor()
{
    return QColor(0xef, 0x8f, 0x00);
}

} // namespace

ThroughputGraph::ThroughputGraph(QWidget* parent) : QWidget(parent)
{
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_scale = niceScale(0);
}

QSize ThroughputGraph::sizeHint() const
{
    return {640, 200};
}

QSize ThroughputGraph::minimumSizeHint() const
{
    return {200, 110};
}

ThroughputGraph::Scale ThroughputGraph::niceScale(double maxBytesPerSecond)
{
    static const char* const kUnits[] = {"B/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s"};
    double v = std::max(maxBytesPerSecond, 1024.0 * 1024.0); // at least 1 MiB/s
    int unit = 0;
    double unitBytes = 1;
    while (v / unitBytes >= 1000 && unit < 4) {
        unitBytes *= 1024;
        ++unit;
    }
    const double inUnit = v / unitBytes;
    const double raw = inUnit / 4; // about four intervals
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude * 10;
    for (double f : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (f * magnitude >= raw) {
            step = f * magnitude;
            break;
        }
    Scale s;
    s.unitBytes = unitBytes;
    s.step = step * unitBytes;
    s.top = std::ceil(inUnit / step - 1e-9) * step * unitBytes;
    s.unit = QString::fromLatin1(kUnits[unit]);
    return s;
}

void ThroughputGraph::clear()
{
    m_points.clear();
    m_hasLast = false;
    m_now = 0;
    m_span = kSpans[0];
    m_showLimit = false;
    m_showYield = false;
    m_scale = niceScale(0);
    m_grid = QPixmap();
    update();
}

void ThroughputGraph::addSample(const engine::JobSnapshot& s)
{
    const std::uint64_t copied = s.bytesDone - std::min(s.bytesZeroed, s.bytesDone);
    if (!m_hasLast || s.elapsedSeconds < m_lastT) {
        m_hasLast = true;
        m_lastT = s.elapsedSeconds;
        m_lastData = copied;
        m_lastZero = s.bytesZeroed;
        m_now = s.elapsedSeconds;
        return;
    }
    const double dt = s.elapsedSeconds - m_lastT;
    if (dt < kMinInterval)
        return;
    Point p;
    p.t = s.elapsedSeconds;
    p.data = static_cast<double>(copied - std::min(m_lastData, copied)) / dt;
    p.zero = static_cast<double>(s.bytesZeroed - std::min(m_lastZero, s.bytesZeroed)) / dt;
    p.limit = static_cast<double>(s.speedLimit);
    p.yieldShare = s.yield.active && s.yield.yielding ? s.yield.share : 1.0;
    m_points.push_back(p);
    m_lastT = s.elapsedSeconds;
    m_lastData = copied;
    m_lastZero = s.bytesZeroed;
    m_now = s.elapsedSeconds;
    while (!m_points.empty() && m_points.front().t < m_now - kKeepSeconds)
        m_points.pop_front();
    rescale();
    update();
}

void ThroughputGraph::rescale()
{
    double span = kSpans[std::size(kSpans) - 1];
    for (double candidate : kSpans)
        if (m_now <= candidate) {
            span = candidate;
            break;
        }
    double peak = 0;
    bool limit = false;
    bool yielded = false;
    for (const Point& p : m_points) {
        if (p.t < m_now - span)
            continue;
        peak = std::max({peak, p.data, p.zero, p.limit});
        limit = limit || p.limit > 0;
        yielded = yielded || p.yieldShare < 1.0;
    }
    Scale next = m_scale;
    // Grow at once; shrink only when the peak fell well below the top, so
    // the axis does not twitch with every sample.
    if (peak > m_scale.top || peak < m_scale.top * 0.4)
        next = niceScale(peak * 1.05);
    if (span != m_span || next.top != m_scale.top || next.unit != m_scale.unit ||
        limit != m_showLimit || yielded != m_showYield) {
        m_span = span;
        m_scale = next;
        m_showLimit = limit;
        m_showYield = yielded;
        m_grid = QPixmap();
    }
}

QString ThroughputGraph::timeLabel(double secondsAgo) const
{
    const QLocale locale;
    if (secondsAgo < 0.5)
        return tr("now");
    if (m_span <= 120)
        return tr("−%1 s").arg(locale.toString(std::lround(secondsAgo)));
    return tr("−%1 min").arg(locale.toString(secondsAgo / 60, 'g', 2));
}

int ThroughputGraph::legendHeight(int width) const
{
    // Entries flow left to right and wrap when they do not fit.
    const QFontMetrics fm = fontMetrics();
    const int line = fm.height();
    const QStringList items{tr("Data copied"), tr("Zeroed or discarded"), tr("Speed limit"),
                            tr("Giving way to other I/O")};
    int x = 0;
    int lines = 1;
    for (const QString& text : items) {
        const int w = line * 2 + 4 + fm.horizontalAdvance(text) + 16;
        if (x > 0 && x + w > width) {
            ++lines;
            x = 0;
        }
        x += w;
    }
    return lines * (line + 2);
}

void ThroughputGraph::paintLegend(QPainter& p, const QRect& area) const
{
    const QFontMetrics fm = fontMetrics();
    const int line = fm.height();
    struct Item
    {
        QString text;
        QColor color;
        Qt::PenStyle style;
        bool visible;
    };
    const Item items[] = {
        {tr("Data copied"), dataColor(), Qt::SolidLine, true},
        {tr("Zeroed or discarded"), zeroColor(), Qt::SolidLine, true},
        {tr("Speed limit"), limitColor(), Qt::DashLine, m_showLimit},
        {tr("Giving way to other I/O"), yieldColor(), Qt::SolidLine, m_showYield}};
    int x = area.left();
    int y = area.top();
    for (const Item& item : items) {
        const int w = line * 2 + 4 + fm.horizontalAdvance(item.text) + 16;
        if (x > area.left() && x + w > area.right()) {
            x = area.left();
            y += line + 2;
        }
        if (item.visible) {
            p.setPen(QPen(item.color, 2, item.style));
            const int mid = y + line / 2;
            p.drawLine(x, mid, x + line * 2, mid);
            p.setPen(palette().color(QPalette::Text));
            p.drawText(QRect(x + line * 2 + 4, y, w, line), Qt::AlignLeft | Qt::AlignVCenter,
                       item.text);
        }
        x += w;
    }
}

QRect ThroughputGraph::plotRect() const
{
    const QFontMetrics fm = fontMetrics();
    const QLocale locale;
    int labelWidth = 0;
    for (double v = 0; v <= m_scale.top + m_scale.step / 2; v += m_scale.step)
        labelWidth = std::max(labelWidth,
                              fm.horizontalAdvance(QStringLiteral("%1 %2").arg(
                                  locale.toString(v / m_scale.unitBytes, 'g', 4), m_scale.unit)));
    const QRect area = contentsRect().adjusted(kPad, kPad, -kPad, -kPad);
    const int top = area.top() + legendHeight(area.width()) + kPad;
    const int bottom = area.bottom() - fm.height() - 4;
    const int left = area.left() + labelWidth + 8;
    const int right = area.right() - fm.horizontalAdvance(tr("now")) / 2 - 2;
    return QRect(QPoint(left, top), QPoint(right, bottom));
}

void ThroughputGraph::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QRect plot = plotRect();
    if (m_grid.size() != size() * devicePixelRatioF() || m_grid.isNull())
        paintGrid(plot);
    p.drawPixmap(0, 0, m_grid);
    if (m_points.empty() || m_scale.top <= 0)
        return;
    p.setClipRect(plot.adjusted(0, -1, 1, 1));
    p.setRenderHint(QPainter::Antialiasing, true);
    paintCurves(p, plot);
}

void ThroughputGraph::paintGrid(const QRect& plot)
{
    m_grid = QPixmap(size() * devicePixelRatioF());
    m_grid.setDevicePixelRatio(devicePixelRatioF());
    m_grid.fill(palette().color(QPalette::Base));
    QPainter g(&m_grid);
    g.setRenderHint(QPainter::Antialiasing, false);
    QColor gridColor = palette().color(QPalette::Text);
    gridColor.setAlpha(40);
    paintRateAxis(g, plot, gridColor);
    paintTimeAxis(g, plot, gridColor);
    QColor axis = palette().color(QPalette::Text);
    axis.setAlpha(140);
    g.setPen(axis);
    g.drawLine(plot.bottomLeft(), plot.bottomRight());
    g.drawLine(plot.bottomLeft(), plot.topLeft());
    paintLegend(g, contentsRect().adjusted(kPad, kPad, -kPad, -kPad));
}

void ThroughputGraph::paintRateAxis(QPainter& g, const QRect& plot, const QColor& gridColor) const
{
    // Ticks and labels with units.
    const QFontMetrics fm = fontMetrics();
    const QLocale locale;
    const QColor textColor = palette().color(QPalette::Text);
    for (double v = 0; v <= m_scale.top + m_scale.step / 2; v += m_scale.step) {
        const int y =
            plot.bottom() - static_cast<int>(std::lround(v / m_scale.top * plot.height()));
        g.setPen(gridColor);
        g.drawLine(plot.left(), y, plot.right(), y);
        g.setPen(textColor);
        const QString label = QStringLiteral("%1 %2").arg(
            locale.toString(v / m_scale.unitBytes, 'g', 4), m_scale.unit);
        g.drawText(QRect(contentsRect().left(), y - fm.height() / 2,
                         plot.left() - 8 - contentsRect().left(), fm.height()),
                   Qt::AlignRight | Qt::AlignVCenter, label);
    }
}

void ThroughputGraph::paintTimeAxis(QPainter& g, const QRect& plot, const QColor& gridColor) const
{
    // Six intervals over the span.
    const QFontMetrics fm = fontMetrics();
    const QColor textColor = palette().color(QPalette::Text);
    const int intervals = 6;
    for (int i = 0; i <= intervals; ++i) {
        const double ago = m_span * (intervals - i) / intervals;
        const int x = plot.left() + plot.width() * i / intervals;
        g.setPen(gridColor);
        g.drawLine(x, plot.top(), x, plot.bottom());
        g.setPen(textColor);
        const QString label = timeLabel(ago);
        const int w = fm.horizontalAdvance(label);
        g.drawText(QRect(x - w / 2 - 2, plot.bottom() + 3, w + 4, fm.height()), Qt::AlignCenter,
                   label);
    }
}

ThroughputGraph::Curves ThroughputGraph::curves(const QRect& plot) const
{
    const auto xOf = [&](double t) {
        return plot.left() + (t - (m_now - m_span)) / m_span * plot.width();
    };
    const auto yOf = [&](double v) {
        return plot.bottom() - std::min(v, m_scale.top) / m_scale.top * plot.height();
    };
    Curves c;
    double prevX = -1;
    double limitValue = 0;
    for (const Point& pt : m_points) {
        if (pt.t < m_now - m_span - kMinInterval * 4)
            continue;
        const double x = xOf(pt.t);
        if (c.empty) {
            c.data.moveTo(x, yOf(pt.data));
            c.zero.moveTo(x, yOf(pt.zero));
            c.firstX = x;
            c.empty = false;
        } else {
            c.data.lineTo(x, yOf(pt.data));
            c.zero.lineTo(x, yOf(pt.zero));
        }
        if (pt.yieldShare < 1.0 && prevX >= 0)
            c.yielding.push_back({prevX, x, 1.0 - pt.yieldShare});
        c.lastX = x;
        // The limit is a step line: horizontal while it holds, a new segment
        // where it changes.
        if (pt.limit > 0) {
            const double y = yOf(pt.limit);
            if (pt.limit != limitValue) {
                if (limitValue > 0)
                    c.limit.lineTo(x, c.limit.currentPosition().y());
                c.limit.moveTo(prevX < 0 ? x : prevX, y);
                limitValue = pt.limit;
            }
            c.limit.lineTo(x, y);
        } else if (limitValue > 0) {
            c.limit.lineTo(x, c.limit.currentPosition().y());
            limitValue = 0;
        }
        prevX = x;
    }
    return c;
}

void ThroughputGraph::paintCurves(QPainter& p, const QRect& plot) const
{
    const Curves c = curves(plot);
    if (c.empty)
        return;
    // Behind the curves: the more the job holds back, the deeper the tint.
    for (const Curves::Band& b : c.yielding) {
        QColor tint = yieldColor();
        tint.setAlpha(static_cast<int>(25 + 70 * std::clamp(b.depth, 0.0, 1.0)));
        p.fillRect(QRectF(b.x0, plot.top(), b.x1 - b.x0, plot.height()), tint);
    }
    QPainterPath area = c.data;
    area.lineTo(c.lastX, plot.bottom());
    area.lineTo(c.firstX, plot.bottom());
    area.closeSubpath();
    QColor fill = dataColor();
    fill.setAlpha(50);
    p.fillPath(area, fill);
    p.setPen(QPen(zeroColor(), 1.5));
    p.drawPath(c.zero);
    p.setPen(QPen(dataColor(), 2));
    p.drawPath(c.data);
    if (!c.limit.isEmpty()) {
        p.setPen(QPen(limitColor(), 1.5, Qt::DashLine));
        p.drawPath(c.limit);
    }
}

void ThroughputGraph::resizeEvent(QResizeEvent* event)
{
    m_grid = QPixmap();
    QWidget::resizeEvent(event);
}

void ThroughputGraph::changeEvent(QEvent* event)
{
    switch (event->type()) {
    case QEvent::PaletteChange:
    case QEvent::FontChange:
    case QEvent::LocaleChange:
    case QEvent::StyleChange:
    case QEvent::LayoutDirectionChange:
        m_grid = QPixmap();
        break;
    default:
        break;
    }
    QWidget::changeEvent(event);
}

} // namespace ui
