// DeviceListModel: the disks, partitions and image files a job can use.
//
// One keyed table (key: the path) shared by the source and the target list,
// each of which looks at it through a DeviceFilterModel. Rows are merged by
// key on every refresh, so selection and scroll position survive. All I/O
// (the /sys/block walk, probing image files, the safety checks that decide
// whether a row may be a target) runs on the thread pool; the model only
// applies results on the UI thread.
#pragma once

#include "result.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QIcon>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace ui {

struct DeviceEntry
{
    enum class Kind { Disk, Partition, Usb, Loop, Image };

    QString path; ///< the key
    QString name;
    QString model;
    QString serial;
    QString parent; ///< partitions: the disk's name
    std::uint64_t size = 0;
    Kind kind = Kind::Image;
    bool readOnly = false;
    bool blockDevice = false;
    /// An image file that does not exist yet: created at start as a sparse
    /// file of the source's size. Offered as a target only.
    bool newImage = false;
    QStringList mountPoints;
    QStringList holders;
    QStringList partitions;
    std::optional<engine::Error> sourceRefusal; ///< why it cannot be a source
    std::optional<engine::Error> targetRefusal; ///< why it cannot be the current source's target
};

class DeviceListModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { NameColumn, ModelColumn, SizeColumn, KindColumn, MountColumn, ColumnCount };
    enum Role {
        PathRole = Qt::UserRole + 1,
        SizeBytesRole,
        KindRole, ///< DeviceEntry::Kind as int
        NewImageRole,
        BlockDeviceRole,
        SourceRefusalRole, ///< translated reason, empty when usable as source
        TargetRefusalRole, ///< translated reason, empty when usable as target
    };

    explicit DeviceListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// Re-reads the block devices and re-probes the image files (async).
    void refresh();
    /// Probes @p paths and adds them (async); with @p asNewTarget a missing
    /// path becomes a new image file to create. Emits imagesAdded.
    void addImages(const QStringList& paths, bool asNewTarget = false);
    /// The source whose targets are checked; re-checks every row (async).
    void setSource(const QString& path);
    QString source() const { return m_source; }

    const DeviceEntry* entry(const QString& path) const;
    int rowOf(const QString& path) const;
    /// True while no refresh, probe or check is pending.
    bool isIdle() const { return m_pending == 0; }

    static QString kindText(const DeviceEntry& e);
    static QString mountText(const DeviceEntry& e);
    static QIcon kindIcon(DeviceEntry::Kind kind);

Q_SIGNALS:
    /// Images were probed and are in the model (or were already).
    void imagesAdded(const QStringList& paths);
    void probeFailed(const QString& path, const engine::Error& error);
    /// A refresh, probe or check finished and the model is up to date.
    void idle();

private:
    struct Update;
    void run(std::function<Update()> work);
    void apply(Update update);
    void merge(std::vector<DeviceEntry> entries, bool replaceDevices);
    void setRow(int row, DeviceEntry entry);
    std::uint64_t sourceSize() const;
    const QIcon& cachedIcon(DeviceEntry::Kind kind) const;

    std::vector<DeviceEntry> m_rows;
    QString m_source;
    quint64 m_checkGeneration = 0;
    int m_pending = 0;
    mutable QHash<int, QIcon> m_icons;
};

/// One list's view of the devices: the source list hides images that do
/// not exist yet; both grey out rows the rules refuse for their purpose and
/// say why in the tooltip.
class DeviceFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    enum class Purpose { Source, Target };
    explicit DeviceFilterModel(Purpose purpose, QObject* parent = nullptr);

    Purpose purpose() const { return m_purpose; }
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    /// The translated reason why the row cannot be used, empty when it can.
    QString refusal(const QModelIndex& index) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    Purpose m_purpose;
};

} // namespace ui
