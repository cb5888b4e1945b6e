#include "device_list_model.h"

#include "block_devices.h"
#include "error_text.h"
#include "format.h"
#include "job_setup.h"

#include <QFileInfo>
#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace ui {

struct DeviceListModel::Update
{
    enum class Kind { Refresh, AddImages, Check };
    Kind kind = Kind::Check;
    QString source; ///< the source the refusals were computed for
    std::vector<DeviceEntry> entries;
    QStringList removed; ///< image paths that no longer exist
    QStringList added;
    std::vector<std::pair<QString, engine::Error>> failures;
    quint64 generation = 0;
};

namespace {

QString fromStd(const std::string& s)
{
    return QString::fromStdString(s);
}

QStringList fromStd(const std::vector<std::string>& v)
{
    QStringList out;
    out.reserve(static_cast<qsizetype>(v.size()));
    for (const auto& s : v)
        out.append(fromStd(s));
    return out;
}

bool sameError(const std::optional<engine::Error>& a, const std::optional<engine::Error>& b)
{
    if (a.has_value() != b.has_value())
        return false;
    return !a || (a->code == b->code && a->message == b->message);
}

// --- worker-side helpers: plain functions over values, no model access ---

DeviceEntry fromBlockDevice(const engine::BlockDeviceInfo& d)
{
    DeviceEntry e;
    e.path = fromStd(d.path);
    e.name = fromStd(d.name);
    e.model = fromStd(d.model);
    e.serial = fromStd(d.serial);
    e.parent = fromStd(d.parent);
    e.size = d.size;
    e.readOnly = d.readOnly;
    e.blockDevice = true;
    e.mountPoints = fromStd(d.mountPoints);
    e.holders = fromStd(d.holders);
    e.partitions = fromStd(d.partitions);
    switch (d.kind) {
    case engine::BlockDeviceInfo::Kind::Disk:
        e.kind = DeviceEntry::Kind::Disk;
        break;
    case engine::BlockDeviceInfo::Kind::Partition:
        e.kind = DeviceEntry::Kind::Partition;
        break;
    case engine::BlockDeviceInfo::Kind::Usb:
        e.kind = DeviceEntry::Kind::Usb;
        break;
    case engine::BlockDeviceInfo::Kind::Loop:
        e.kind = DeviceEntry::Kind::Loop;
        break;
    }
    return e;
}

std::vector<DeviceEntry> listDevices()
{
    std::vector<DeviceEntry> out;
    for (const auto& d : engine::listBlockDevices())
        out.push_back(fromBlockDevice(d));
    return out;
}

// Probes one path chosen by the user: an image file, a path for a new one,
// or a device node (which becomes a device row).
engine::Result<DeviceEntry> probe(const QString& path, bool allowNew)
{
    const std::string p = path.toStdString();
    struct stat st
    {
    };
    if (::stat(p.c_str(), &st) != 0) {
        const int err = errno;
        if (err == ENOENT && allowNew) {
            DeviceEntry e;
            e.path = path;
            e.name = QFileInfo(path).fileName();
            e.kind = DeviceEntry::Kind::Image;
            e.newImage = true;
            return e;
        }
        return engine::systemError(err, p);
    }
    if (S_ISBLK(st.st_mode)) {
        for (const auto& d : engine::listBlockDevices()) {
            struct stat ds
            {
            };
            if (::stat(d.path.c_str(), &ds) == 0 && ds.st_rdev == st.st_rdev)
                return fromBlockDevice(d);
        }
        return engine::Error{ENODEV, p + ": not listed in /sys/block"};
    }
    if (!S_ISREG(st.st_mode))
        return engine::Error{EINVAL, p + ": not a regular file or block device"};
    DeviceEntry e;
    e.path = path;
    e.name = QFileInfo(path).fileName();
    e.kind = DeviceEntry::Kind::Image;
    e.size = static_cast<std::uint64_t>(st.st_size);
    e.readOnly = (st.st_mode & 0222) == 0 || ::access(p.c_str(), W_OK) != 0;
    return e;
}

void check(DeviceEntry& e, const QString& source)
{
    const std::string path = e.path.toStdString();
    e.sourceRefusal.reset();
    e.targetRefusal.reset();
    if (e.newImage)
        e.sourceRefusal = engine::Error{ENOENT, path + " does not exist yet"};
    else if (auto r = engine::checkSourceCandidate(path); !r)
        e.sourceRefusal = r.error();
    if (!source.isEmpty() && source == e.path)
        e.targetRefusal =
            engine::Error{EINVAL, "refusing: " + path + " is the source (rule: source is target)"};
    else if (auto r = engine::checkTargetCandidate(source.toStdString(), path); !r)
        e.targetRefusal = r.error();
}

} // namespace

// --- model ---------------------------------------------------------------

DeviceListModel::DeviceListModel(QObject* parent) : QAbstractTableModel(parent)
{
}

int DeviceListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int DeviceListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString DeviceListModel::kindText(const DeviceEntry& e)
{
    switch (e.kind) {
    case DeviceEntry::Kind::Disk:
        return tr("Disk");
    case DeviceEntry::Kind::Partition:
        return tr("Partition");
    case DeviceEntry::Kind::Usb:
        return tr("USB");
    case DeviceEntry::Kind::Loop:
        return tr("Loop");
    case DeviceEntry::Kind::Image:
        return e.newImage ? tr("New image") : tr("Image");
    }
    return {};
}

QString DeviceListModel::mountText(const DeviceEntry& e)
{
    if (!e.mountPoints.isEmpty()) {
        if (e.mountPoints.size() == 1)
            return tr("Mounted at %1").arg(e.mountPoints.front());
        return tr("Mounted at %1 (+%2)").arg(e.mountPoints.front()).arg(e.mountPoints.size() - 1);
    }
    if (!e.holders.isEmpty())
        return tr("In use by %1").arg(e.holders.join(QStringLiteral(", ")));
    if (e.newImage)
        return tr("Created at start");
    if (!e.blockDevice)
        return tr("File");
    return tr("Not mounted");
}

QIcon DeviceListModel::kindIcon(DeviceEntry::Kind kind)
{
    switch (kind) {
    case DeviceEntry::Kind::Disk:
        return QIcon(QStringLiteral(":/icons/disk.svg"));
    case DeviceEntry::Kind::Partition:
        return QIcon(QStringLiteral(":/icons/partition.svg"));
    case DeviceEntry::Kind::Usb:
        return QIcon(QStringLiteral(":/icons/usb.svg"));
    case DeviceEntry::Kind::Loop:
        return QIcon(QStringLiteral(":/icons/loop.svg"));
    case DeviceEntry::Kind::Image:
        return QIcon(QStringLiteral(":/icons/image.svg"));
    }
    return {};
}

const QIcon& DeviceListModel::cachedIcon(DeviceEntry::Kind kind) const
{
    // QIcon keeps its rendered pixmaps: one per kind, for the model's life.
    auto it = m_icons.find(static_cast<int>(kind));
    if (it == m_icons.end())
        it = m_icons.insert(static_cast<int>(kind), kindIcon(kind));
    return *it;
}

std::uint64_t DeviceListModel::sourceSize() const
{
    const DeviceEntry* s = entry(m_source);
    return s ? s->size : 0;
}

QVariant DeviceListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeviceEntry& e = m_rows[static_cast<std::size_t>(index.row())];
    const std::uint64_t size = e.newImage ? sourceSize() : e.size;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return e.name;
        case ModelColumn:
            return e.model.isEmpty() ? QStringLiteral("–") : e.model;
        case SizeColumn:
            if (e.newImage)
                return size ? tr("%1 (as source)").arg(Format::bytes(size)) : tr("As source");
            return Format::bytes(size);
        case KindColumn:
            return kindText(e);
        case MountColumn:
            return mountText(e);
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == NameColumn)
            return cachedIcon(e.kind);
        return {};
    case Qt::ToolTipRole: {
        QString tip = e.path;
        if (!e.model.isEmpty())
            tip += u'\n' + e.model;
        if (!e.serial.isEmpty())
            tip += u'\n' + tr("Serial: %1").arg(e.serial);
        if (!e.newImage)
            tip += u'\n' + tr("%1 (%2 bytes)").arg(Format::bytes(size)).arg(size);
        if (!e.partitions.isEmpty())
            tip += u'\n' + tr("Partitions: %1").arg(e.partitions.join(QStringLiteral(", ")));
        if (!e.mountPoints.isEmpty())
            tip += u'\n' + tr("Mounted at: %1").arg(e.mountPoints.join(QStringLiteral(", ")));
        if (e.readOnly)
            tip += u'\n' + tr("Read-only");
        return tip;
    }
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case PathRole:
        return e.path;
    case SizeBytesRole:
        return QVariant::fromValue<qulonglong>(size);
    case KindRole:
        return static_cast<int>(e.kind);
    case NewImageRole:
        return e.newImage;
    case BlockDeviceRole:
        return e.blockDevice;
    case SourceRefusalRole:
        return e.sourceRefusal ? ErrorText::brief(*e.sourceRefusal) : QString();
    case TargetRefusalRole:
        return e.targetRefusal ? ErrorText::brief(*e.targetRefusal) : QString();
    }
    return {};
}

QVariant DeviceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case ModelColumn:
        return tr("Model");
    case SizeColumn:
        return tr("Size");
    case KindColumn:
        return tr("Kind");
    case MountColumn:
        return tr("State");
    }
    return {};
}

const DeviceEntry* DeviceListModel::entry(const QString& path) const
{
    const int row = rowOf(path);
    return row < 0 ? nullptr : &m_rows[static_cast<std::size_t>(row)];
}

int DeviceListModel::rowOf(const QString& path) const
{
    if (path.isEmpty())
        return -1;
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].path == path)
            return static_cast<int>(i);
    return -1;
}

void DeviceListModel::run(std::function<Update()> work)
{
    ++m_pending;
    auto* watcher = new QFutureWatcher<Update>(this);
    connect(watcher, &QFutureWatcher<Update>::finished, this, [this, watcher] {
        watcher->deleteLater();
        --m_pending;
        apply(watcher->result());
        if (m_pending == 0)
            Q_EMIT idle();
    });
    watcher->setFuture(QtConcurrent::run(std::move(work)));
}

void DeviceListModel::refresh()
{
    std::vector<std::pair<QString, bool>> images;
    for (const auto& e : m_rows)
        if (!e.blockDevice)
            images.emplace_back(e.path, e.newImage);
    const QString source = m_source;
    run([images, source] {
        Update u;
        u.kind = Update::Kind::Refresh;
        u.source = source;
        u.entries = listDevices();
        for (const auto& [path, isNew] : images) {
            auto e = probe(path, isNew);
            if (e)
                u.entries.push_back(std::move(*e));
            else
                u.removed.append(path);
        }
        for (auto& e : u.entries)
            check(e, source);
        return u;
    });
}

void DeviceListModel::addImages(const QStringList& paths, bool asNewTarget)
{
    const QString source = m_source;
    run([paths, asNewTarget, source] {
        Update u;
        u.kind = Update::Kind::AddImages;
        u.source = source;
        for (const QString& path : paths) {
            const QString absolute = QFileInfo(path).absoluteFilePath();
            auto e = probe(absolute, asNewTarget);
            if (!e) {
                u.failures.emplace_back(absolute, e.error());
                continue;
            }
            check(*e, source);
            u.added.append(e->path);
            u.entries.push_back(std::move(*e));
        }
        return u;
    });
}

void DeviceListModel::setSource(const QString& path)
{
    if (path == m_source)
        return;
    m_source = path;
    // New images show the source's size.
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].newImage)
            Q_EMIT dataChanged(index(static_cast<int>(i), SizeColumn),
                               index(static_cast<int>(i), SizeColumn));
    std::vector<DeviceEntry> rows = m_rows;
    const quint64 generation = ++m_checkGeneration;
    run([rows = std::move(rows), path, generation]() mutable {
        Update u;
        u.kind = Update::Kind::Check;
        u.source = path;
        u.generation = generation;
        for (auto& e : rows)
            check(e, path);
        u.entries = std::move(rows);
        return u;
    });
}

void DeviceListModel::setRow(int row, DeviceEntry entry)
{
    auto& slot = m_rows[static_cast<std::size_t>(row)];
    // A row checked against another source keeps its current verdicts until
    // the check for the current source arrives.
    slot = std::move(entry);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void DeviceListModel::apply(Update u)
{
    for (const auto& [path, error] : u.failures)
        Q_EMIT probeFailed(path, error);

    const bool current = u.source == m_source;
    // Verdicts computed for another source are stale: keep the row's.
    if (!current) {
        for (auto& e : u.entries)
            if (const DeviceEntry* old = entry(e.path)) {
                e.sourceRefusal = old->sourceRefusal;
                e.targetRefusal = old->targetRefusal;
            }
    }

    switch (u.kind) {
    case Update::Kind::Check:
        if (u.generation != m_checkGeneration)
            return;
        for (const auto& e : u.entries) {
            const int row = rowOf(e.path);
            if (row < 0)
                continue;
            auto& slot = m_rows[static_cast<std::size_t>(row)];
            if (sameError(slot.sourceRefusal, e.sourceRefusal) &&
                sameError(slot.targetRefusal, e.targetRefusal))
                continue;
            slot.sourceRefusal = e.sourceRefusal;
            slot.targetRefusal = e.targetRefusal;
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
        return;
    case Update::Kind::AddImages:
        merge(std::move(u.entries), false);
        if (!u.added.isEmpty())
            Q_EMIT imagesAdded(u.added);
        return;
    case Update::Kind::Refresh:
        for (const QString& path : u.removed) {
            const int row = rowOf(path);
            if (row < 0)
                continue;
            beginRemoveRows({}, row, row);
            m_rows.erase(m_rows.begin() + row);
            endRemoveRows();
        }
        merge(std::move(u.entries), true);
        return;
    }
}

// Devices first, in the order listed; images after them, in the order added.
// With @p replaceDevices the device entries are the complete list: device
// rows not in it are removed.
void DeviceListModel::merge(std::vector<DeviceEntry> entries, bool replaceDevices)
{
    if (replaceDevices) {
        QHash<QString, bool> listed;
        for (const auto& e : entries)
            if (e.blockDevice)
                listed.insert(e.path, true);
        for (int row = static_cast<int>(m_rows.size()) - 1; row >= 0; --row) {
            const auto& e = m_rows[static_cast<std::size_t>(row)];
            if (e.blockDevice && !listed.contains(e.path)) {
                beginRemoveRows({}, row, row);
                m_rows.erase(m_rows.begin() + row);
                endRemoveRows();
            }
        }
    }
    int deviceRow = 0;
    for (auto& e : entries) {
        const int existing = rowOf(e.path);
        if (e.blockDevice && replaceDevices) {
            if (existing == deviceRow) {
                setRow(existing, std::move(e));
            } else if (existing > deviceRow) {
                beginMoveRows({}, existing, existing, {}, deviceRow);
                auto moved = std::move(m_rows[static_cast<std::size_t>(existing)]);
                m_rows.erase(m_rows.begin() + existing);
                m_rows.insert(m_rows.begin() + deviceRow, std::move(moved));
                endMoveRows();
                setRow(deviceRow, std::move(e));
            } else {
                beginInsertRows({}, deviceRow, deviceRow);
                m_rows.insert(m_rows.begin() + deviceRow, std::move(e));
                endInsertRows();
            }
            ++deviceRow;
            continue;
        }
        if (existing >= 0) {
            setRow(existing, std::move(e));
            continue;
        }
        int row = static_cast<int>(m_rows.size());
        if (e.blockDevice) {
            // A device node added by hand: after the last device row.
            row = 0;
            while (row < static_cast<int>(m_rows.size()) &&
                   m_rows[static_cast<std::size_t>(row)].blockDevice)
                ++row;
        }
        beginInsertRows({}, row, row);
        m_rows.insert(m_rows.begin() + row, std::move(e));
        endInsertRows();
    }
}

// --- filter ----------------------------------------------------------------

DeviceFilterModel::DeviceFilterModel(Purpose purpose, QObject* parent)
    : QSortFilterProxyModel(parent), m_purpose(purpose)
{
}

QString DeviceFilterModel::refusal(const QModelIndex& index) const
{
    return index
        .data(m_purpose == Purpose::Source ? DeviceListModel::SourceRefusalRole
                                           : DeviceListModel::TargetRefusalRole)
        .toString();
}

Qt::ItemFlags DeviceFilterModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QSortFilterProxyModel::flags(index);
    if (index.isValid() && !refusal(index).isEmpty())
        f &= ~(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    return f;
}

QVariant DeviceFilterModel::data(const QModelIndex& index, int role) const
{
    if (role == Qt::ToolTipRole && index.isValid()) {
        const QString why = refusal(index);
        const QString tip = QSortFilterProxyModel::data(index, role).toString();
        if (!why.isEmpty())
            return m_purpose == Purpose::Source
                       ? tr("Cannot be the source:\n%1\n\n%2").arg(why, tip)
                       : tr("Cannot be the target:\n%1\n\n%2").arg(why, tip);
        return tip;
    }
    return QSortFilterProxyModel::data(index, role);
}

bool DeviceFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_purpose == Purpose::Target)
        return true;
    const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
    return !idx.data(DeviceListModel::NewImageRole).toBool();
}

} // namespace ui
