#include "station_audit_model.h"

#include "format.h"
#include "protocol/station_protocol.h"

#include <QDateTime>
#include <QIcon>
#include <QLocale>

namespace ui {

namespace key = protocol::station::key;

StationAuditModel::StationAuditModel(const StationController& controller, QObject* parent)
    : QAbstractTableModel(parent), m_controller(controller),
      m_rows(static_cast<int>(controller.records().size()))
{
    connect(&controller, &StationController::recordAdded, this, &StationAuditModel::onRecordAdded);
}

void StationAuditModel::onRecordAdded(int row)
{
    if (row < m_rows)
        return;
    beginInsertRows({}, m_rows, row);
    m_rows = row + 1;
    endInsertRows();
}

int StationAuditModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int StationAuditModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StationAuditModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows)
        return {};
    const StationRecord& r = m_controller.records().at(index.row());
    const auto column = static_cast<Column>(index.column());
    if (role == Qt::TextAlignmentRole)
        return column == Capacity || column == Duration || column == Rate
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    if (role == Qt::DecorationRole && column == Result)
        return QIcon(r.passed ? QStringLiteral(":/icons/state-completed.svg")
                              : QStringLiteral(":/icons/state-failed.svg"));
    if (role == Qt::ToolTipRole) {
        if (column == Result)
            return r.text(key::kDetail).isEmpty() ? r.text(key::kResult) : r.text(key::kDetail);
        if (column == Device)
            return tr("WWN: %1").arg(r.text(key::kWwn));
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (column) {
    case Time: {
        // The log is in UTC, for every station alike; the operator reads
        // the local clock.
        const QDateTime utc = QDateTime::fromString(r.text(key::kTime), Qt::ISODate);
        return utc.isValid() ? QLocale().toString(utc.toLocalTime(), QLocale::ShortFormat)
                             : r.text(key::kTime);
    }
    case Slot:
        return r.text(key::kSlot);
    case Device:
        return r.text(key::kDevice);
    case Model: {
        const QString vendor = r.text(key::kVendor);
        const QString model = r.text(key::kModel);
        return vendor.isEmpty() ? model : vendor + QLatin1Char(' ') + model;
    }
    case Serial:
        return r.text(key::kSerial);
    case Capacity:
        return Format::bytes(r.number(key::kCapacity));
    case Result:
        return r.text(key::kResult);
    case Duration:
        return Format::duration(r.decimal(key::kDurationSeconds));
    case Rate:
        return QLocale().toString(r.decimal(key::kMibPerSecond), 'f', 1);
    case After:
        return r.text(key::kAfter);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant StationAuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (static_cast<Column>(section)) {
    case Time:
        return tr("Time");
    case Slot:
        return tr("Slot");
    case Device:
        return tr("Device");
    case Model:
        return tr("Model");
    case Serial:
        return tr("Serial");
    case Capacity:
        return tr("Capacity");
    case Result:
        return tr("Result");
    case Duration:
        return tr("Duration");
    case Rate:
        return tr("MiB/s");
    case After:
        return tr("Afterwards");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace ui
