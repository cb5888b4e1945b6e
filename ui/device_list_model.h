// DeviceListModel: the disks, partitions and image files a job can use.
//
// One keyed table (key: the path) shared by the source and the target list,
// each of which looks at it through a DeviceFilterModel. The block devices
// come from the engine's device catalog (libudev, sysfs, blkid) and follow
// the machine live:
//
//   DeviceMonitor::fd() --QSocketNotifier--> drain() on a worker
//       --> applyDeviceEvents() on a copy of the catalog --> per-row
//           insert / remove / dataChanged on the UI thread
//   /proc/self/mountinfo --QSocketNotifier (POLLPRI)--> updateUsage() on a
//       worker --> mount state and refusals per row
//
// NBD exports (addExport: a URI the user gave) are rows of their own, a
// source or a target: their size and read-only state are their server's answers, asked by
// an ExportProbe on a thread of its own (a silent server must hold no pool
// thread), again on refresh(); a row says "Connecting…" until the answer
// comes, and why it cannot be used when none does.
//
// Rows are merged by key, so selection and scroll position survive every
// update. All I/O (enumeration, probing, hotplug draining, image probing,
// the safety checks that decide whether a row may be a source or a target)
// runs on the thread pool; the model only applies results on the UI thread.
#pragma once

#include "base/result.h"
#include "bridge/export_probe.h"
#include "device/device_catalog.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QIcon>
#include <QSortFilterProxyModel>
#include <QStringList>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QSocketNotifier;

namespace ui {

struct DeviceEntry
{
    enum class Kind { Disk, Ssd, Partition, Usb, Card, Virtual, Loop, Image, Export };

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
    /// An NBD export (path: its URI, engine::isNbdUri), reached through its
    /// server. Offered as a target only (the engine takes none as a source).
    bool networkExport = false;
    /// An export whose server has not answered yet: size and state unknown.
    bool connecting = false;
    /// Why an export's server could not be reached at the last look.
    std::optional<engine::Error> unreachable;
    QStringList mountPoints;     ///< of the device itself
    QStringList partitionMounts; ///< disks: mount points of their partitions
    QStringList holders;
    QStringList partitions; ///< disks: kernel names of their partitions
    bool swap = false;

    // From the device catalog (block devices only).
    QString stableId; ///< engine::DeviceInfo::stableId()
    QString bus;
    QString fsType;
    QString fsLabel;
    QString partitionTable;
    QString loopBackingFile;
    unsigned partitionNumber = 0;
    bool holdsData = false;
    bool removable = false;

    std::optional<engine::Error> sourceRefusal; ///< why it cannot be a source
    std::optional<engine::Error> targetRefusal; ///< why it cannot be the current source's target

    /// Every file system mounted from it (itself, then its partitions).
    QStringList allMountPoints() const { return mountPoints + partitionMounts; }
    /// A mounted block device: as a source it is live (writes are tracked,
    /// Complete freezes its file systems).
    bool live() const { return blockDevice && !allMountPoints().isEmpty(); }
    bool operator==(const DeviceEntry& other) const;
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
        SourceRefusalRole,        ///< translated reason, empty when usable as source
        TargetRefusalRole,        ///< translated reason, empty when usable as target
        SourceRefusalDetailsRole, ///< the engine's message, naming the rule
        TargetRefusalDetailsRole,
        StableIdRole,
        LiveRole,          ///< a mounted block device
        MountPointsRole,   ///< QStringList, allMountPoints()
        NetworkExportRole, ///< an NBD export (DeviceEntry::networkExport)
    };

    explicit DeviceListModel(QObject* parent = nullptr);
    ~DeviceListModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// Re-reads the block devices and re-probes the image files (async).
    void refresh();
    /// Follows hotplug events and mount changes from now on. False (with
    /// the reason) when the kernel's device events cannot be received; the
    /// list then changes only on refresh().
    bool startMonitoring(QString* whyNot = nullptr);
    bool isMonitoring() const { return m_monitorNotifier != nullptr; }
    /// Probes @p paths and adds them (async); with @p asNewTarget a missing
    /// path becomes a new image file to create. Emits imagesAdded. A URI
    /// among @p paths (engine::isNbdUri) is listed as an export (addExport).
    void addImages(const QStringList& paths, bool asNewTarget = false);
    /// Lists the NBD export @p uri (engine::isNbdUri) as a target: with
    /// @p known (what a test connection just found) at once, otherwise once
    /// its server answered (asked off the UI thread; the row says
    /// "Connecting…" meanwhile). A listed export is asked again. Emits
    /// exportAdded when the row is there.
    void addExport(const QString& uri, const std::optional<ExportFacts>& known = std::nullopt);
    /// The source whose targets are checked; re-checks every row (async).
    void setSource(const QString& path);
    QString source() const { return m_source; }

    /// Who opens block devices: nobody (every device row is refused for both
    /// purposes, saying so), this process (root), or a helper process with
    /// root rights (then the rules that need no access to the device still
    /// apply here, and the helper applies all of them again). Defaults to
    /// Direct for root and None otherwise.
    enum class DeviceAccess { None, Direct, Helper };
    void setDeviceAccess(DeviceAccess access);
    DeviceAccess deviceAccess() const { return m_access; }
    void setCanOpenDevices(bool can)
    {
        setDeviceAccess(can ? DeviceAccess::Direct : DeviceAccess::None);
    }
    bool canOpenDevices() const { return m_access != DeviceAccess::None; }

    const DeviceEntry* entry(const QString& path) const;
    int rowOf(const QString& path) const;
    /// The rows of the partitions of disk @p name, in order.
    std::vector<const DeviceEntry*> partitionsOf(const QString& name) const;
    /// The catalog the device rows were built from.
    const std::vector<engine::DeviceInfo>& catalog() const { return m_catalog; }
    /// True while no refresh, probe, hotplug update or check is pending.
    bool isIdle() const { return m_pending == 0; }

    static QString kindText(const DeviceEntry& e);
    static QString mountText(const DeviceEntry& e);
    /// Where an export's server is: "NBD export on server:10809, TLS",
    /// "NBD export on this machine" (a unix socket).
    static QString serverText(const QString& uri);
    /// The row's tooltip: everything known about it, a line each.
    QString toolTip(const DeviceEntry& e, std::uint64_t size) const;
    /// The resource path of the row's icon (Qt::DecorationRole of the name
    /// column): ":/icons/ssd.svg" for a fixed solid-state disk (not
    /// rotational, not removable, not USB, SD card or loop),
    /// ":/icons/disk.svg" for a rotational, removable or virtual one, and
    /// the partition, USB, loop or image icon for the others; empty for an
    /// NBD export, which shows the style's network drive. Pure.
    static QString iconPath(const DeviceEntry& e);
    /// The row for catalog device @p d; @p all (the whole catalog) supplies
    /// a disk's partitions and their mount points. Pure: runs on workers.
    static DeviceEntry entryFor(const engine::DeviceInfo& d,
                                const std::vector<engine::DeviceInfo>& all);

Q_SIGNALS:
    /// Images were probed and are in the model (or were already).
    void imagesAdded(const QStringList& paths);
    /// The export's row is in the model (its server may still be asked).
    void exportAdded(const QString& uri);
    void probeFailed(const QString& path, const engine::Error& error);
    /// A refresh, probe, hotplug update or check finished and the model is
    /// up to date.
    void idle();
    void canOpenDevicesChanged(bool can);

private:
    struct Update;
    enum DeviceWork { RefreshAll = 1, DrainEvents = 2, ReadUsage = 4 };
    void run(std::function<Update()> work);
    void apply(Update update);
    void scheduleDeviceWork(int what);
    void startDeviceWork();
    void recheck();
    void merge(std::vector<DeviceEntry> entries, bool replaceDevices);
    void setRow(int row, DeviceEntry entry);
    std::uint64_t sourceSize() const;
    /// The listed source's size; nullopt when none is chosen or listed.
    std::optional<std::uint64_t> listedSourceSize() const;
    /// The chosen source's size when it is an export that answered: the
    /// target rules compare with it (a URI has no size to look up).
    std::optional<std::uint64_t> sourceExportSize() const;
    const QIcon& cachedIcon(const QString& path) const;
    /// Asks the export's server (again); its row says so meanwhile.
    void probeExport(const QString& uri);
    void onExportAnswered(const ExportProbeResult& result);

    std::vector<DeviceEntry> m_rows;
    std::vector<engine::DeviceInfo> m_catalog;
    QString m_source;
    DeviceAccess m_access = DeviceAccess::None;
    quint64 m_checkGeneration = 0;
    int m_pending = 0;
    mutable QHash<QString, QIcon> m_icons;       ///< by resource path
    QHash<QString, ExportProbe*> m_exportProbes; ///< by URI, while its server is asked

    // Device work (refresh, hotplug, mount changes) runs one at a time, so
    // each starts from the catalog the previous one produced.
    std::shared_ptr<engine::DeviceMonitor> m_monitor;
    QSocketNotifier* m_monitorNotifier = nullptr;
    QSocketNotifier* m_mountNotifier = nullptr;
    int m_mountFd = -1;
    int m_deviceWorkWanted = 0;
    bool m_deviceWorkRunning = false;
};

/// One list's view of the devices: the source list hides images that do
/// not exist yet and marks mounted block devices as live; both grey out rows
/// the rules refuse for their purpose and say why in the tooltip.
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
