#include "dirty_map_legend.h"

#include "dirty_map_widget.h"
#include "format.h"

#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QPainter>

namespace ui {

namespace {

QPixmap swatch(const QColor& color, const QColor& border, int size)
{
    QPixmap pm(size, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.fillRect(QRect(0, 0, size, size), color);
    p.setPen(border);
    p.drawRect(QRect(0, 0, size - 1, size - 1));
    return pm;
}

// Dirty shades from a little (left) to all (right).
QPixmap gradientSwatch(const QPalette& pal, const QColor& border, int size)
{
    QPixmap pm(size * 3, size);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    const int w = pm.width();
    for (int x = 0; x < w; ++x) {
        const int density = 1 + x * 254 / std::max(1, w - 1);
        p.fillRect(QRect(x, 0, 1, size),
                   DirtyMapWidget::colorFor(DirtyMapWidget::State::Dirty, pal, density));
    }
    p.setPen(border);
    p.drawRect(QRect(0, 0, w - 1, size - 1));
    return pm;
}

} // namespace

DirtyMapLegend::DirtyMapLegend(DirtyMapWidget* map, QWidget* parent)
    : QWidget(parent), m_map(map), m_clean(new QLabel(this)), m_dirty(new QLabel(this)),
      m_inFlight(new QLabel(this)), m_unreadable(new QLabel(this)), m_scale(new QLabel(this))
{
    auto* grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(6);
    const auto addRow = [&](int row, QLabel* swatchLabel, const QString& text, const QString& tip,
                            Qt::TextFormat format = Qt::PlainText) {
        auto* label = new QLabel(text, this);
        label->setWordWrap(true);
        label->setTextFormat(format);
        label->setToolTip(tip);
        swatchLabel->setToolTip(tip);
        grid->addWidget(swatchLabel, row, 0, Qt::AlignLeft | Qt::AlignTop);
        grid->addWidget(label, row, 1, Qt::AlignTop);
    };
    addRow(0, m_clean, tr("In sync"), tr("Source and target agree in this range."));
    // Two short lines rather than one long one: a narrow legend wraps the
    // long one mid-phrase, which reads as cut off.
    addRow(1, m_dirty,
           QStringLiteral("%1<br><small>%2</small>")
               .arg(tr("To copy").toHtmlEscaped(), tr("darker = more").toHtmlEscaped()),
           tr("Part of this range still has to be copied; the darker, the more."), Qt::RichText);
    addRow(2, m_inFlight, tr("Being copied"), tr("A copy request for this range is in flight."));
    addRow(3, m_unreadable, tr("Unreadable"),
           tr("The source could not be read here; zeroes were written instead."));
    m_scale->setWordWrap(true);
    m_scale->setForegroundRole(QPalette::PlaceholderText);
    grid->addWidget(m_scale, 4, 0, 1, 2, Qt::AlignTop);
    grid->setRowStretch(5, 1);
    grid->setColumnStretch(1, 1);

    connect(map, &DirtyMapWidget::scaleChanged, this, &DirtyMapLegend::updateScale);
    updateSwatches();
    updateScale();
}

void DirtyMapLegend::updateSwatches()
{
    const QPalette pal = m_map->palette();
    const QColor border = pal.color(QPalette::Mid);
    const int size = fontMetrics().height() - 2;
    m_clean->setPixmap(
        swatch(DirtyMapWidget::colorFor(DirtyMapWidget::State::Clean, pal), border, size));
    m_dirty->setPixmap(gradientSwatch(pal, border, size));
    m_inFlight->setPixmap(
        swatch(DirtyMapWidget::colorFor(DirtyMapWidget::State::InFlight, pal), border, size));
    m_unreadable->setPixmap(
        swatch(DirtyMapWidget::colorFor(DirtyMapWidget::State::Unreadable, pal), border, size));
    // Swatch column as wide as the widest swatch, so the texts line up.
    for (QLabel* l : {m_clean, m_dirty, m_inFlight, m_unreadable})
        l->setMinimumWidth(size * 3);
}

void DirtyMapLegend::updateScale()
{
    const auto& map = m_map->map();
    const std::uint64_t perCell = m_map->bytesPerCell();
    if (!map || perCell == 0) {
        m_scale->clear();
        return;
    }
    m_scale->setText(tr("%1 cells of %2 each over %3; copied in granules of %4.")
                         .arg(m_map->displayCellCount())
                         .arg(Format::bytes(perCell), Format::bytes(map->diskSize),
                              Format::bytes(map->granularity)));
}

void DirtyMapLegend::changeEvent(QEvent* event)
{
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        updateSwatches();
    QWidget::changeEvent(event);
}

} // namespace ui
