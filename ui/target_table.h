// TargetTable: one row per target of a job with several (its path, state,
// how much is copied, its rate and, once it ended, its result). The
// selected row is the target whose dirty map, graph and numbers the window
// shows; a row is always selected while there are rows.
#pragma once

#include "bridge/job_controller.h"

#include <QTableWidget>

#include <deque>
#include <vector>

namespace ui {

class TargetTable : public QTableWidget
{
    Q_OBJECT

public:
    enum Column { PathColumn, StateColumn, CopiedColumn, RateColumn, ResultColumn, ColumnCount };

    explicit TargetTable(QWidget* parent = nullptr);

    /// A new job: one row per path, the first selected.
    void setTargets(const QStringList& paths);
    void updateTarget(int index, const TargetState& state);
    /// The row's result in words (empty while it runs).
    static QString resultText(const JobOutcome& outcome);

Q_SIGNALS:
    /// The user selected this target's row.
    void targetChosen(int index);

private:
    struct Sample
    {
        double t = 0;
        std::uint64_t done = 0;
    };
    void setText(int row, int column, const QString& text, const QString& tip = {});

    std::vector<std::deque<Sample>> m_samples; ///< per row, for its rate
};

} // namespace ui
