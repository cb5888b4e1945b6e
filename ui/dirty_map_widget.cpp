#include "dirty_map_widget.h"

#include "format.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {

__extension__ using Uint128 = unsigned __int128;

constexpr int kMinPitch = 6;  // 5 px cell + 1 px gap: the smallest readable cell
constexpr int kMaxPitch = 24; // small disks: big cells, not a few dots
constexpr int kMargin = 2;
constexpr std::uint8_t kInFlight = 1;
constexpr std::uint8_t kUnreadable = 2;

std::uint64_t mulDiv(std::uint64_t a, std::uint64_t b, std::uint64_t c)
{
    return c ? static_cast<std::uint64_t>(Uint128{a} * b / c) : 0;
}

QColor blend(const QColor& a, const QColor& b, double t)
{
    const auto mix = [t](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * t)); };
    return QColor(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()));
}

} // namespace

DirtyMapWidget::DirtyMapWidget(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    m_placeholder = tr("The dirty map appears when a mirror starts.");
}

QSize DirtyMapWidget::sizeHint() const
{
    return {640, 240};
}

QSize DirtyMapWidget::minimumSizeHint() const
{
    return {160, 80};
}

void DirtyMapWidget::setPlaceholderText(const QString& text)
{
    m_placeholder = text;
    if (!m_map)
        update();
}

QColor DirtyMapWidget::colorFor(State state, const QPalette& palette, int density)
{
    const QColor base = palette.color(QPalette::Base);
    switch (state) {
    case State::Clean:
        return blend(base, QColor(0x2e, 0x9d, 0x5b), 0.55);
    case State::Dirty: {
        const QColor few = blend(base, QColor(0xf4, 0xb4, 0x2c), 0.6);
        const QColor all = QColor(0xe0, 0x6a, 0x10);
        return blend(few, all, std::clamp(density, 1, 255) / 255.0);
    }
    case State::InFlight:
        return QColor(0x25, 0x76, 0xd2);
    case State::Unreadable:
        return QColor(0xc6, 0x28, 0x28);
    }
    return base;
}

void DirtyMapWidget::setMap(const DirtyMapPtr& map)
{
    if (map == m_map ||
        (map && m_map && map->generation == m_map->generation &&
         map->cells.size() == m_map->cells.size() && map->diskSize == m_map->diskSize))
        return;
    const bool geometryChanged = !map || !m_map || map->cells.size() != m_map->cells.size() ||
                                 map->diskSize != m_map->diskSize;
    m_map = map;
    if (geometryChanged) {
        layoutGrid();
        Q_EMIT scaleChanged();
    }
    m_aggregated = false;
    m_image = QImage();
    update();
}

std::uint64_t DirtyMapWidget::bytesPerCell() const
{
    if (!m_map || m_displayCells == 0)
        return 0;
    return (m_map->diskSize + static_cast<std::uint64_t>(m_displayCells) - 1) /
           static_cast<std::uint64_t>(m_displayCells);
}

void DirtyMapWidget::layoutGrid()
{
    m_cols = m_rows = m_displayCells = m_pitch = 0;
    m_hover = -1;
    if (!m_map || m_map->cells.empty() || m_map->diskSize == 0)
        return;
    const QRect area = contentsRect().adjusted(kMargin, kMargin, -kMargin, -kMargin);
    if (area.width() < kMinPitch || area.height() < kMinPitch)
        return;
    const auto n = static_cast<std::uint64_t>(m_map->cells.size());
    // The largest cells with which all source cells fit; past the smallest
    // cell size, source cells are merged.
    int pitch = kMaxPitch;
    while (pitch > kMinPitch && static_cast<std::uint64_t>(area.width() / pitch) *
                                        static_cast<std::uint64_t>(area.height() / pitch) <
                                    n)
        --pitch;
    const int maxCols = std::max(1, area.width() / pitch);
    const int maxRows = std::max(1, area.height() / pitch);
    const std::uint64_t capacity =
        static_cast<std::uint64_t>(maxCols) * static_cast<std::uint64_t>(maxRows);
    m_displayCells = static_cast<int>(std::min(n, capacity));
    m_pitch = pitch;
    m_cols = std::min(maxCols, m_displayCells);
    m_rows = (m_displayCells + m_cols - 1) / m_cols;
    m_origin = QPoint(area.left() + (area.width() - m_cols * pitch) / 2, area.top());
    m_aggregated = false;
    m_image = QImage();
}

void DirtyMapWidget::aggregate()
{
    m_aggregated = true;
    const int d = m_displayCells;
    m_density.assign(static_cast<std::size_t>(d), 0);
    m_flags.assign(static_cast<std::size_t>(d), 0);
    if (!m_map || d == 0)
        return;
    const auto& cells = m_map->cells;
    const auto n = static_cast<std::uint64_t>(cells.size());
    const auto dd = static_cast<std::uint64_t>(d);
    // Display cell i covers source cells [i*n/d, ceil((i+1)*n/d)): a source
    // cell on a boundary counts for both, so nothing dirty is ever hidden.
    for (std::uint64_t i = 0; i < dd; ++i) {
        const std::uint64_t first = mulDiv(i, n, dd);
        const auto ceilEnd = static_cast<std::uint64_t>((Uint128{i + 1} * n + dd - 1) / dd);
        const std::uint64_t last = std::clamp(ceilEnd, first + 1, n);
        std::uint64_t sum = 0;
        bool all = true;
        for (std::uint64_t j = first; j < last; ++j) {
            const std::uint8_t v = cells[j];
            sum += v;
            all = all && v == 255;
        }
        std::uint8_t value = 0;
        if (all)
            value = 255;
        else if (sum > 0)
            value = static_cast<std::uint8_t>(
                std::clamp<std::uint64_t>((sum + (last - first) / 2) / (last - first), 1, 254));
        m_density[i] = value;
    }
    const std::uint64_t size = m_map->diskSize;
    const auto mark = [&](const std::vector<engine::ByteRange>& ranges, std::uint8_t flag) {
        for (const auto& r : ranges) {
            if (r.length == 0 || r.offset >= size)
                continue;
            const std::uint64_t end = std::min(r.end(), size);
            const std::uint64_t a = mulDiv(r.offset, dd, size);
            const std::uint64_t b = std::min(mulDiv(end - 1, dd, size), dd - 1);
            for (std::uint64_t i = a; i <= b; ++i)
                m_flags[i] |= flag;
        }
    };
    mark(m_map->inFlight, kInFlight);
    mark(m_map->unreadable, kUnreadable);
}

void DirtyMapWidget::renderCells()
{
    if (!m_aggregated)
        aggregate();
    if (m_cols <= 0 || m_rows <= 0) {
        m_image = QImage();
        return;
    }
    const QPalette pal = palette();
    QRgb table[256];
    table[0] = colorFor(State::Clean, pal).rgb();
    for (int v = 1; v < 256; ++v)
        table[v] = colorFor(State::Dirty, pal, v).rgb();
    const QRgb inFlight = colorFor(State::InFlight, pal).rgb();
    const QRgb unreadable = colorFor(State::Unreadable, pal).rgb();
    const QRgb empty = pal.color(QPalette::Base).rgb();

    m_image = QImage(m_cols, m_rows, QImage::Format_RGB32);
    int i = 0;
    for (int y = 0; y < m_rows; ++y) {
        auto* line = reinterpret_cast<QRgb*>(m_image.scanLine(y));
        for (int x = 0; x < m_cols; ++x, ++i) {
            if (i >= m_displayCells) {
                line[x] = empty;
                continue;
            }
            const auto k = static_cast<std::size_t>(i);
            const std::uint8_t f = m_flags[k];
            line[x] = (f & kUnreadable) ? unreadable
                      : (f & kInFlight) ? inFlight
                                        : table[m_density[k]];
        }
    }
}

void DirtyMapWidget::prepare()
{
    if (!m_aggregated)
        aggregate();
    if (m_image.isNull())
        renderCells();
}

void DirtyMapWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    if (!m_map || m_displayCells == 0) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(contentsRect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
                   m_placeholder);
        return;
    }
    prepare();
    const QRect grid(m_origin, QSize(m_cols * m_pitch, m_rows * m_pitch));
    p.drawImage(grid, m_image); // nearest neighbour: crisp pitch x pitch blocks

    // Gaps between cells, in the background colour.
    const QColor gap = pal.color(QPalette::Base);
    for (int c = 1; c <= m_cols; ++c)
        p.fillRect(m_origin.x() + c * m_pitch - 1, grid.top(), 1, grid.height(), gap);
    for (int r = 1; r <= m_rows; ++r)
        p.fillRect(grid.left(), m_origin.y() + r * m_pitch - 1, grid.width(), 1, gap);

    if (m_hover >= 0 && m_hover < m_displayCells) {
        const QRect cellRect(m_origin.x() + (m_hover % m_cols) * m_pitch - 1,
                             m_origin.y() + (m_hover / m_cols) * m_pitch - 1, m_pitch, m_pitch);
        p.setPen(QPen(pal.color(QPalette::Text), 1));
        p.setBrush(Qt::NoBrush);
        p.drawRect(cellRect.adjusted(0, 0, -1, -1));
    }
}

void DirtyMapWidget::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    const int before = m_displayCells;
    layoutGrid();
    if (before != m_displayCells)
        Q_EMIT scaleChanged();
}

void DirtyMapWidget::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        m_image = QImage();
    QWidget::changeEvent(event);
}

std::optional<DirtyMapWidget::Cell> DirtyMapWidget::cell(int index) const
{
    if (!m_map || index < 0 || index >= m_displayCells)
        return std::nullopt;
    Cell c;
    c.index = index;
    const auto dd = static_cast<std::uint64_t>(m_displayCells);
    const auto i = static_cast<std::uint64_t>(index);
    c.offset = mulDiv(i, m_map->diskSize, dd);
    c.length = mulDiv(i + 1, m_map->diskSize, dd) - c.offset;
    if (m_aggregated && static_cast<std::size_t>(index) < m_density.size()) {
        const auto k = static_cast<std::size_t>(index);
        c.dirtyFraction = m_density[k] / 255.0;
        if (m_flags[k] & kUnreadable)
            c.state = State::Unreadable;
        else if (m_flags[k] & kInFlight)
            c.state = State::InFlight;
        else
            c.state = m_density[k] ? State::Dirty : State::Clean;
    }
    return c;
}

std::optional<DirtyMapWidget::Cell> DirtyMapWidget::cellAt(QPoint pos) const
{
    if (m_pitch <= 0)
        return std::nullopt;
    const QPoint rel = pos - m_origin;
    if (rel.x() < 0 || rel.y() < 0)
        return std::nullopt;
    const int col = rel.x() / m_pitch;
    const int row = rel.y() / m_pitch;
    if (col >= m_cols || row >= m_rows)
        return std::nullopt;
    return cell(row * m_cols + col);
}

QString DirtyMapWidget::describe(const Cell& c) const
{
    QString state;
    switch (c.state) {
    case State::Clean:
        state = tr("In sync");
        break;
    case State::Dirty:
        state = c.dirtyFraction >= 1 ? tr("All to copy")
                                     : tr("%1 to copy").arg(Format::percent(c.dirtyFraction));
        break;
    case State::InFlight:
        state = tr("Being copied");
        break;
    case State::Unreadable:
        state = tr("Contains unreadable sectors (copied as zeroes)");
        break;
    }
    return tr("%1 – %2 (%3)\nBytes %4 to %5\n%6")
        .arg(Format::bytes(c.offset), Format::bytes(c.offset + c.length), Format::bytes(c.length))
        .arg(c.offset)
        .arg(c.offset + c.length - 1)
        .arg(state);
}

bool DirtyMapWidget::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        prepare();
        if (auto c = cellAt(help->pos())) {
            const QRect r(m_origin.x() + (c->index % m_cols) * m_pitch,
                          m_origin.y() + (c->index / m_cols) * m_pitch, m_pitch, m_pitch);
            QToolTip::showText(help->globalPos(), describe(*c), this, r);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    return QWidget::event(event);
}

void DirtyMapWidget::mouseMoveEvent(QMouseEvent* event)
{
    auto c = m_map ? cellAt(event->position().toPoint()) : std::nullopt;
    const int index = c ? c->index : -1;
    if (index != m_hover) {
        m_hover = index;
        update();
        if (c) {
            prepare();
            c = cell(index);
        }
        Q_EMIT cellHovered(c);
    }
    QWidget::mouseMoveEvent(event);
}

void DirtyMapWidget::leaveEvent(QEvent* event)
{
    if (m_hover != -1) {
        m_hover = -1;
        update();
        Q_EMIT cellHovered(std::nullopt);
    }
    QWidget::leaveEvent(event);
}

} // namespace ui
