#include "target_table.h"

#include "bridge/error_text.h"
#include "format.h"

#include <QHeaderView>

#include <algorithm>

namespace ui {

namespace {

// Seconds of progress a row's rate is taken over: long enough to smooth the
// 100 ms steps, short enough to follow a target that slows down.
constexpr double kRateWindow = 3.0;

} // namespace

TargetTable::TargetTable(QWidget* parent) : QTableWidget(0, ColumnCount, parent)
{
    setObjectName(QStringLiteral("targetTable"));
    setHorizontalHeaderLabels({tr("Target"), tr("State"), tr("Copied"), tr("Rate"), tr("Result")});
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    setShowGrid(false);
    setWordWrap(false);
    setTextElideMode(Qt::ElideMiddle);
    verticalHeader()->hide();
    QHeaderView* header = horizontalHeader();
    header->setHighlightSections(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(PathColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(ResultColumn, QHeaderView::Stretch);
    setAccessibleName(tr("Targets of this mirror"));
    connect(this, &QTableWidget::itemSelectionChanged, this, [this] {
        const QModelIndexList rows = selectionModel()->selectedRows();
        if (!rows.isEmpty())
            Q_EMIT targetChosen(rows.front().row());
    });
}

void TargetTable::setText(int row, int column, const QString& text, const QString& tip)
{
    QTableWidgetItem* cell = item(row, column);
    if (!cell) {
        cell = new QTableWidgetItem;
        if (column == CopiedColumn || column == RateColumn)
            cell->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        setItem(row, column, cell);
    }
    if (cell->text() != text)
        cell->setText(text);
    if (cell->toolTip() != tip)
        cell->setToolTip(tip);
}

void TargetTable::setTargets(const QStringList& paths)
{
    const QSignalBlocker quiet(this);
    clearContents();
    setRowCount(static_cast<int>(paths.size()));
    m_samples.assign(static_cast<std::size_t>(paths.size()), {});
    for (int row = 0; row < paths.size(); ++row) {
        setText(row, PathColumn, paths[row], paths[row]);
        setText(row, StateColumn, Format::status(engine::JobStatus::Created));
        setText(row, CopiedColumn, QString());
        setText(row, RateColumn, QString());
        setText(row, ResultColumn, QString());
    }
    if (!paths.isEmpty())
        selectRow(0);
    // Every row in sight up to six; more scroll.
    const int rows = std::min<int>(static_cast<int>(paths.size()), 6);
    setMinimumHeight(horizontalHeader()->sizeHint().height() +
                     rows * verticalHeader()->defaultSectionSize() + 2 * frameWidth() + 2);
}

QString TargetTable::resultText(const JobOutcome& o)
{
    using Outcome = engine::JobResult::Outcome;
    switch (o.outcome) {
    case Outcome::Completed:
        if (o.verify && !o.verify->identical)
            return tr("Verification found differences");
        return o.verify ? tr("Identical, verified") : tr("Identical");
    case Outcome::Cancelled:
        return o.powerCutCopy ? tr("Cancelled: like a disk after a power cut")
                              : tr("Cancelled: a consistent copy");
    case Outcome::Aborted:
        return o.droppedReason.isEmpty() ? tr("Cancelled before in sync: incomplete")
                                         : tr("Dropped: %1").arg(o.droppedReason);
    case Outcome::Failed:
        return tr("Failed: %1").arg(ErrorText::describe(o.error).cause);
    }
    return {};
}

void TargetTable::updateTarget(int index, const TargetState& state)
{
    if (index < 0 || index >= rowCount())
        return;
    const engine::JobSnapshot* s = state.snapshot.get();
    QString stateText = Format::status(state.status);
    if (s && s->verifying)
        stateText = tr("Verifying");
    setText(index, StateColumn, stateText);
    if (s) {
        const std::uint64_t total = s->bytesDone + s->bytesRemaining;
        const bool inSync =
            state.status == engine::JobStatus::Ready || state.status == engine::JobStatus::Standby;
        const double fraction =
            inSync || (state.outcome && s->bytesRemaining == 0)
                ? 1.0
                : (total ? static_cast<double>(s->bytesDone) / static_cast<double>(total) : 0.0);
        setText(index, CopiedColumn, Format::percent(fraction),
                tr("%1 of %2").arg(Format::bytes(s->bytesDone), Format::bytes(total)));
        auto& samples = m_samples[static_cast<std::size_t>(index)];
        if (samples.empty() || s->elapsedSeconds > samples.back().t)
            samples.push_back({s->elapsedSeconds, s->bytesDone});
        while (samples.size() > 2 && samples.back().t - samples.front().t > kRateWindow)
            samples.pop_front();
        double rate = 0;
        if (samples.size() >= 2 && samples.back().t > samples.front().t)
            rate = static_cast<double>(samples.back().done -
                                       std::min(samples.front().done, samples.back().done)) /
                   (samples.back().t - samples.front().t);
        setText(index, RateColumn,
                state.outcome || state.status == engine::JobStatus::Paused ? QString()
                                                                           : Format::rate(rate));
    }
    if (state.outcome) {
        const QString result = resultText(*state.outcome);
        setText(index, ResultColumn, result, result);
    }
}

} // namespace ui
