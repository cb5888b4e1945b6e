// The station window's audit table: one row per record the station wrote
// since the window opened, newest last, over StationController::records().
// The columns are the ones an operator checks at the bench; the export
// (StationController::csv) has every column of the station's own log.
#pragma once

#include "bridge/station_controller.h"

#include <QAbstractTableModel>

namespace ui {

class StationAuditModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Time,
        Slot,
        Device,
        Model,
        Serial,
        Capacity,
        Result,
        Duration,
        Rate,
        After,
        ColumnCount
    };

    explicit StationAuditModel(const StationController& controller, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    void onRecordAdded(int row);

    const StationController& m_controller;
    int m_rows = 0;
};

} // namespace ui
