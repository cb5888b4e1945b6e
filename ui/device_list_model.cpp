#include "device_list_model.h"

#include "base/units.h"
#include "bridge/error_text.h"
#include "device/storage_map.h"
#include "format.h"
#include "io/nbd_connection.h"
#include "resources.h"
#include "rules/job_setup.h"
#include "rules/safety.h"

#include <QApplication>
#include <QFileInfo>
#include <QFont>
#include <QFutureWatcher>
#include <QSocketNotifier>
#include <QStyle>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace ui {

struct DeviceListModel::Update
{
    enum class Kind { Devices, AddImages, Check };
    Kind kind = Kind::Check;
    QString source; ///< the source the refusals were computed for
    std::vector<DeviceEntry> entries;
    /// Devices: the new catalog, and whether the monitor was drained.
    std::vector<engine::DeviceInfo> catalog;
    bool drained = false;
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

DeviceEntry::Kind kindOf(const engine::DeviceInfo& d)
{
    // The catalog decides what a device is; this names it for the row's
    // kind text and icon.
    const std::string k = d.kind();
    if (d.isPartition)
        return DeviceEntry::Kind::Partition;
    if (k == "loop")
        return DeviceEntry::Kind::Loop;
    if (k == "USB")
        return DeviceEntry::Kind::Usb;
    if (k == "SD card")
        return DeviceEntry::Kind::Card;
    if (k == "virtual")
        return DeviceEntry::Kind::Virtual;
    if (k == "SSD")
        return DeviceEntry::Kind::Ssd;
    return DeviceEntry::Kind::Disk;
}

// What a person recognises a disk by: "Samsung SSD 870 EVO"; a loop
// device's file.
QString modelText(const engine::DeviceInfo& d)
{
    if (!d.loopBackingFile.empty())
        return fromStd(d.loopBackingFile);
    QString model = fromStd(d.model).replace(u'_', u' ').trimmed();
    const QString vendor = fromStd(d.vendor).replace(u'_', u' ').trimmed();
    // "ATA" names the bus, not the maker.
    if (!vendor.isEmpty() && vendor != QLatin1String("ATA") &&
        !model.startsWith(vendor, Qt::CaseInsensitive))
        model = model.isEmpty() ? vendor : vendor + u' ' + model;
    return model;
}

} // namespace

DeviceEntry DeviceListModel::entryFor(const engine::DeviceInfo& d,
                                      const std::vector<engine::DeviceInfo>& all)
{
    DeviceEntry e;
    e.path = fromStd(d.devnode);
    e.name = fromStd(d.name);
    e.model = modelText(d);
    e.serial = fromStd(d.serial);
    e.parent = fromStd(d.parent);
    e.size = d.size;
    e.kind = kindOf(d);
    e.readOnly = d.readOnly;
    e.blockDevice = true;
    e.mountPoints = fromStd(d.mountPoints);
    e.holders = fromStd(d.holders);
    e.swap = d.swap;
    e.stableId = fromStd(d.stableId());
    e.bus = fromStd(d.bus);
    e.fsType = fromStd(d.fsType);
    e.fsLabel = fromStd(d.fsLabel);
    e.partitionTable = fromStd(d.partitionTable);
    e.loopBackingFile = fromStd(d.loopBackingFile);
    e.partitionNumber = d.partitionNumber;
    e.holdsData = d.holdsData;
    e.removable = d.removable;
    if (!d.isPartition)
        for (const auto& p : all)
            if (p.isPartition && p.parent == d.name) {
                e.partitions.append(fromStd(p.name));
                e.partitionMounts.append(fromStd(p.mountPoints));
            }
    return e;
}

namespace {

std::vector<DeviceEntry> entriesOf(const std::vector<engine::DeviceInfo>& catalog)
{
    std::vector<DeviceEntry> out;
    out.reserve(catalog.size());
    for (const auto& d : catalog)
        out.push_back(DeviceListModel::entryFor(d, catalog));
    return out;
}

const engine::DeviceInfo* findDevice(const std::vector<engine::DeviceInfo>& catalog, dev_t devnum)
{
    for (const auto& d : catalog)
        if (d.devnum == devnum)
            return &d;
    return nullptr;
}

// Probes one path chosen by the user: an image file, a path for a new one,
// or a device node (which becomes a device row). @p catalog is filled on
// first need.
engine::Result<DeviceEntry> probe(const QString& path, bool allowNew,
                                  std::vector<engine::DeviceInfo>& catalog, bool& enumerated)
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
        if (!enumerated) {
            catalog = engine::enumerateDevices();
            enumerated = true;
        }
        if (const engine::DeviceInfo* d = findDevice(catalog, st.st_rdev))
            return DeviceListModel::entryFor(*d, catalog);
        return engine::Error{ENODEV, p + ": not in the list of block devices (empty or detached)"};
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

// What every row is checked against: the chosen source, the catalog and a
// storage map read once for all rows.
struct CheckContext
{
    engine::StorageMap map;
    engine::TargetDeviceContext devices;
    DeviceListModel::DeviceAccess access = DeviceListModel::DeviceAccess::None;
};

std::unique_ptr<CheckContext> contextFor(const QString& source,
                                         const std::vector<engine::DeviceInfo>& catalog,
                                         DeviceListModel::DeviceAccess access,
                                         std::optional<std::uint64_t> exportSize)
{
    auto c = std::make_unique<CheckContext>();
    engine::TargetDeviceContext& d = c->devices;
    d.source = source.toStdString();
    d.catalog = &catalog;
    // A helper opens the device with its own rights and checks them itself.
    d.writableHere = access != DeviceListModel::DeviceAccess::Helper;
    c->access = access;
    if (!d.source.empty()) {
        // Only block rows read the map; without access every one is refused
        // before that.
        if (access != DeviceListModel::DeviceAccess::None) {
            c->map = engine::StorageMap::scan();
            d.map = &c->map;
        }
        if (exportSize)
            d.sourceSize = exportSize; // what its server answered
        else if (auto size = engine::storageSize(d.source))
            d.sourceSize = *size;
    }
    return c;
}

engine::Error needsRoot(const std::string& path)
{
    return engine::refusal(EPERM, engine::Rule::NeedsRoot,
                           "needs root: " + path +
                               " is a block device, and only an administrator may read or "
                               "write disks");
}

// An export's verdicts come from its server's answers alone: no I/O here.
void checkExport(DeviceEntry& e, std::optional<std::uint64_t> sourceSize)
{
    const std::string uri = e.path.toStdString();
    e.sourceRefusal.reset();
    e.targetRefusal.reset();
    if (e.connecting)
        e.targetRefusal = engine::Error{EINPROGRESS, uri + ": its server has not answered yet"};
    else if (e.unreachable)
        e.targetRefusal = e.unreachable;
    else
        e.targetRefusal =
            exportRefusal(ExportFacts{e.path, e.size, e.readOnly, false, false}, sourceSize);
    // Any export that answers can be read, a read-only one too.
    if (e.connecting || e.unreachable)
        e.sourceRefusal = e.targetRefusal;
}

void check(DeviceEntry& e, const CheckContext& c)
{
    if (e.networkExport) {
        checkExport(e, c.devices.sourceSize);
        return;
    }
    const std::string path = e.path.toStdString();
    e.sourceRefusal.reset();
    e.targetRefusal.reset();
    if (e.newImage)
        e.sourceRefusal = engine::Error{ENOENT, path + " does not exist yet"};
    else if (e.blockDevice && c.access == DeviceListModel::DeviceAccess::None)
        e.sourceRefusal = needsRoot(path);
    else if (e.blockDevice && c.access == DeviceListModel::DeviceAccess::Helper)
        ; // readable by the helper; it applies the source rules itself
    else if (auto r = engine::checkSourceCandidate(path); !r)
        e.sourceRefusal = r.error();

    const std::string& source = c.devices.source;
    if (!source.empty() && source == path)
        e.targetRefusal = engine::refusal(EINVAL, engine::Rule::SourceIsTarget,
                                          "refusing: " + path + " is the source");
    else if (e.blockDevice && c.access == DeviceListModel::DeviceAccess::None)
        e.targetRefusal = needsRoot(path);
    else if (e.blockDevice) {
        if (auto r = engine::checkTargetDevice(path, c.devices); !r)
            e.targetRefusal = r.error();
    } else if (auto r = engine::checkTargetCandidate(source, path); !r)
        e.targetRefusal = r.error();
}

QString quoted(const QString& s)
{
    return DeviceListModel::tr("“%1”").arg(s);
}

// "ext4 “data”", "GPT", or empty.
QString contentText(const DeviceEntry& e)
{
    QString fs = e.fsType;
    if (!e.fsLabel.isEmpty())
        fs = fs.isEmpty() ? quoted(e.fsLabel) : fs + u' ' + quoted(e.fsLabel);
    if (!e.partitionTable.isEmpty()) {
        const QString table = e.partitionTable == QLatin1String("dos") ? DeviceListModel::tr("MBR")
                                                                       : e.partitionTable.toUpper();
        fs = fs.isEmpty() ? table : table + QStringLiteral(", ") + fs;
    }
    return fs;
}

} // namespace

bool DeviceEntry::operator==(const DeviceEntry& o) const
{
    return path == o.path && name == o.name && model == o.model && serial == o.serial &&
           parent == o.parent && size == o.size && kind == o.kind && readOnly == o.readOnly &&
           blockDevice == o.blockDevice && newImage == o.newImage && mountPoints == o.mountPoints &&
           partitionMounts == o.partitionMounts && holders == o.holders &&
           partitions == o.partitions && swap == o.swap && stableId == o.stableId && bus == o.bus &&
           fsType == o.fsType && fsLabel == o.fsLabel && partitionTable == o.partitionTable &&
           loopBackingFile == o.loopBackingFile && partitionNumber == o.partitionNumber &&
           holdsData == o.holdsData && removable == o.removable &&
           networkExport == o.networkExport && connecting == o.connecting &&
           sameError(unreachable, o.unreachable) && sameError(sourceRefusal, o.sourceRefusal) &&
           sameError(targetRefusal, o.targetRefusal);
}

// --- model ---------------------------------------------------------------

DeviceListModel::DeviceListModel(QObject* parent)
    : QAbstractTableModel(parent),
      m_access(::geteuid() == 0 ? DeviceAccess::Direct : DeviceAccess::None)
{
    initResources(); // the row icons
}

DeviceListModel::~DeviceListModel()
{
    // A worker may still hold the monitor; it is freed with the last copy.
    delete m_monitorNotifier;
    delete m_mountNotifier;
    if (m_mountFd >= 0)
        ::close(m_mountFd);
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
    case DeviceEntry::Kind::Ssd:
        return tr("SSD");
    case DeviceEntry::Kind::Partition:
        return tr("Partition");
    case DeviceEntry::Kind::Usb:
        return tr("USB");
    case DeviceEntry::Kind::Card:
        return tr("SD card");
    case DeviceEntry::Kind::Virtual:
        return tr("Virtual");
    case DeviceEntry::Kind::Loop:
        return tr("Loop");
    case DeviceEntry::Kind::Image:
        return e.newImage ? tr("New image") : tr("Image");
    case DeviceEntry::Kind::Export:
        return tr("Network");
    }
    return {};
}

QString DeviceListModel::mountText(const DeviceEntry& e)
{
    if (e.networkExport) {
        if (e.connecting)
            return tr("Connecting…");
        if (e.unreachable)
            return tr("Cannot connect");
        return e.readOnly ? tr("Read-only") : tr("Writable");
    }
    if (!e.mountPoints.isEmpty()) {
        if (e.mountPoints.size() == 1)
            return tr("Mounted at %1").arg(e.mountPoints.front());
        return tr("Mounted at %1 (+%2)").arg(e.mountPoints.front()).arg(e.mountPoints.size() - 1);
    }
    if (!e.partitionMounts.isEmpty()) {
        if (e.partitionMounts.size() == 1)
            return tr("Partition mounted at %1").arg(e.partitionMounts.front());
        return tr("Partitions mounted at %1 (+%2)")
            .arg(e.partitionMounts.front())
            .arg(e.partitionMounts.size() - 1);
    }
    if (e.swap)
        return tr("In use as swap");
    if (!e.holders.isEmpty())
        return tr("In use by %1").arg(e.holders.join(QStringLiteral(", ")));
    if (e.newImage)
        return tr("Created at start");
    if (!e.blockDevice)
        return tr("File");
    const QString content = contentText(e);
    return content.isEmpty() ? tr("Not mounted") : tr("Not mounted · %1").arg(content);
}

QString DeviceListModel::iconPath(const DeviceEntry& e)
{
    switch (e.kind) {
    case DeviceEntry::Kind::Ssd:
        // The catalog calls every non-rotational whole disk that is not USB,
        // SD card, loop or virtual an SSD; one whose medium can be taken out
        // (removable) is drawn as a plain disk.
        if (!e.removable)
            return QStringLiteral(":/icons/ssd.svg");
        return QStringLiteral(":/icons/disk.svg");
    case DeviceEntry::Kind::Disk:
    case DeviceEntry::Kind::Virtual:
        return QStringLiteral(":/icons/disk.svg");
    case DeviceEntry::Kind::Partition:
        return QStringLiteral(":/icons/partition.svg");
    case DeviceEntry::Kind::Usb:
    case DeviceEntry::Kind::Card:
        return QStringLiteral(":/icons/usb.svg");
    case DeviceEntry::Kind::Loop:
        return QStringLiteral(":/icons/loop.svg");
    case DeviceEntry::Kind::Image:
        return QStringLiteral(":/icons/image.svg");
    case DeviceEntry::Kind::Export:
        // The set has no network icon yet: the style's network drive
        // stands in (DecorationRole).
        return {};
    }
    return {};
}

QString DeviceListModel::serverText(const QString& uri)
{
    const QUrl url(uri);
    const QString scheme = url.scheme();
    const bool tls = scheme.startsWith(QLatin1String("nbds"));
    QString where;
    if (scheme.endsWith(QLatin1String("+unix")) || scheme.endsWith(QLatin1String("+vsock")) ||
        url.host().isEmpty())
        where = tr("this machine");
    else
        where = url.port() > 0 ? url.host() + u':' + QString::number(url.port()) : url.host();
    return tls ? tr("NBD export on %1, TLS").arg(where) : tr("NBD export on %1").arg(where);
}

const QIcon& DeviceListModel::cachedIcon(const QString& path) const
{
    // QIcon keeps its rendered pixmaps: one per icon, for the model's life.
    auto it = m_icons.find(path);
    if (it == m_icons.end())
        it = m_icons.insert(path, QIcon(path));
    return *it;
}

std::uint64_t DeviceListModel::sourceSize() const
{
    const DeviceEntry* s = entry(m_source);
    return s ? s->size : 0;
}

QString DeviceListModel::toolTip(const DeviceEntry& e, std::uint64_t size) const
{
    if (e.networkExport) {
        QStringList tip{e.path, serverText(e.path)};
        if (e.connecting)
            tip << tr("Connecting to its server…");
        else if (!e.unreachable || e.size)
            tip << tr("%1 (%2 bytes)").arg(Format::bytes(size)).arg(size);
        if (!e.connecting && !e.unreachable)
            tip << (e.readOnly ? tr("Read-only") : tr("Writable"));
        if (e.unreachable)
            tip << tr("Cannot connect: %1").arg(fromStd(e.unreachable->message));
        return tip.join(u'\n');
    }
    QStringList tip{e.path};
    if (!e.model.isEmpty())
        tip << e.model;
    if (!e.serial.isEmpty())
        tip << tr("Serial: %1").arg(e.serial);
    if (!e.newImage)
        tip << tr("%1 (%2 bytes)").arg(Format::bytes(size)).arg(size);
    if (e.blockDevice) {
        tip << tr("Kind: %1").arg(kindText(e));
        if (const QString content = contentText(e); !content.isEmpty())
            tip << tr("Holds: %1").arg(content);
    }
    if (!e.partitions.isEmpty())
        tip << tr("Partitions: %1").arg(e.partitions.join(QStringLiteral(", ")));
    if (!e.allMountPoints().isEmpty())
        tip << tr("Mounted at: %1").arg(e.allMountPoints().join(QStringLiteral(", ")));
    if (!e.holders.isEmpty())
        tip << tr("Held by: %1").arg(e.holders.join(QStringLiteral(", ")));
    if (e.readOnly)
        tip << tr("Read-only");
    if (!e.stableId.isEmpty())
        tip << tr("Identity: %1").arg(e.stableId);
    return tip.join(u'\n');
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
            if (e.networkExport)
                return serverText(e.path);
            return e.model.isEmpty() ? QStringLiteral("–") : e.model;
        case SizeColumn:
            if (e.networkExport && e.connecting)
                return tr("Connecting…");
            if (e.networkExport && e.unreachable && size == 0)
                return QStringLiteral("–");
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
        if (index.column() != NameColumn)
            return {};
        if (e.networkExport)
            return QApplication::style()->standardIcon(QStyle::SP_DriveNetIcon);
        return cachedIcon(iconPath(e));
    case Qt::ToolTipRole:
        return toolTip(e, size);
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
    case SourceRefusalDetailsRole:
        return e.sourceRefusal ? fromStd(e.sourceRefusal->message) : QString();
    case TargetRefusalDetailsRole:
        return e.targetRefusal ? fromStd(e.targetRefusal->message) : QString();
    case StableIdRole:
        return e.stableId;
    case LiveRole:
        return e.live();
    case MountPointsRole:
        return e.allMountPoints();
    case NetworkExportRole:
        return e.networkExport;
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

std::vector<const DeviceEntry*> DeviceListModel::partitionsOf(const QString& name) const
{
    std::vector<const DeviceEntry*> out;
    for (const auto& e : m_rows)
        if (e.blockDevice && !e.parent.isEmpty() && e.parent == name)
            out.push_back(&e);
    return out;
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
    scheduleDeviceWork(RefreshAll);
    // Exports are asked apart: a slow server does not hold up the disks.
    for (const auto& e : m_rows)
        if (e.networkExport)
            probeExport(e.path);
}

bool DeviceListModel::startMonitoring(QString* whyNot)
{
    if (m_monitorNotifier)
        return true;
    auto monitor = engine::DeviceMonitor::create();
    if (!monitor) {
        if (whyNot)
            *whyNot = fromStd(monitor.error().message);
        return false;
    }
    m_monitor = std::shared_ptr<engine::DeviceMonitor>(std::move(*monitor));
    m_monitorNotifier = new QSocketNotifier(m_monitor->fd(), QSocketNotifier::Read, this);
    connect(m_monitorNotifier, &QSocketNotifier::activated, this, [this] {
        // The worker reads the events; until it is done the socket stays
        // readable, so stop listening instead of waking up again and again.
        m_monitorNotifier->setEnabled(false);
        scheduleDeviceWork(DrainEvents);
    });
    // Mounting and unmounting send no device event; mountinfo signals them
    // with POLLPRI.
    m_mountFd = ::open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
    if (m_mountFd >= 0) {
        m_mountNotifier = new QSocketNotifier(m_mountFd, QSocketNotifier::Exception, this);
        connect(m_mountNotifier, &QSocketNotifier::activated, this,
                [this] { scheduleDeviceWork(ReadUsage); });
    }
    return true;
}

void DeviceListModel::scheduleDeviceWork(int what)
{
    m_deviceWorkWanted |= what;
    if (!m_deviceWorkRunning)
        startDeviceWork();
}

void DeviceListModel::startDeviceWork()
{
    const int what = std::exchange(m_deviceWorkWanted, 0);
    if (what == 0)
        return;
    m_deviceWorkRunning = true;
    std::vector<std::pair<QString, bool>> images; // re-probed on refresh
    std::vector<DeviceEntry> imageRows;           // re-checked otherwise
    for (const auto& e : m_rows) {
        // Exports are not the device work's: their rows stay as they are.
        if (e.blockDevice || e.networkExport)
            continue;
        if (what & RefreshAll)
            images.emplace_back(e.path, e.newImage);
        else
            imageRows.push_back(e);
    }
    std::shared_ptr<engine::DeviceMonitor> monitor;
    if (what & DrainEvents)
        monitor = m_monitor;
    run([what, monitor, catalog = m_catalog, images = std::move(images),
         imageRows = std::move(imageRows), source = m_source, access = m_access,
         exportSize = sourceExportSize()]() mutable {
        Update u;
        u.kind = Update::Kind::Devices;
        u.source = source;
        u.drained = monitor != nullptr;
        std::vector<engine::DeviceEvent> events;
        if (monitor)
            events = monitor->drain();
        if (what & RefreshAll) {
            catalog = engine::enumerateDevices();
        } else {
            engine::applyDeviceEvents(catalog, events);
            engine::updateUsage(catalog);
        }
        u.entries = entriesOf(catalog);
        bool enumerated = true;
        for (const auto& [path, isNew] : images) {
            auto e = probe(path, isNew, catalog, enumerated);
            if (e)
                u.entries.push_back(std::move(*e));
            else
                u.removed.append(path);
        }
        for (auto& e : imageRows)
            u.entries.push_back(std::move(e));
        const auto context = contextFor(source, catalog, access, exportSize);
        for (auto& e : u.entries)
            check(e, *context);
        u.catalog = std::move(catalog);
        return u;
    });
}

void DeviceListModel::addImages(const QStringList& given, bool asNewTarget)
{
    // A URI among them (an interrupted job's target, say) is an export.
    QStringList paths;
    for (const QString& p : given) {
        if (engine::isNbdUri(p.toStdString()))
            addExport(p);
        else
            paths << p;
    }
    if (paths.isEmpty())
        return;
    run([paths, asNewTarget, source = m_source, catalog = m_catalog, access = m_access,
         exportSize = sourceExportSize()]() mutable {
        Update u;
        u.kind = Update::Kind::AddImages;
        u.source = source;
        bool enumerated = false;
        std::vector<DeviceEntry> entries;
        for (const QString& path : paths) {
            const QString absolute = QFileInfo(path).absoluteFilePath();
            auto e = probe(absolute, asNewTarget, catalog, enumerated);
            if (!e) {
                u.failures.emplace_back(absolute, e.error());
                continue;
            }
            u.added.append(e->path);
            entries.push_back(std::move(*e));
        }
        const auto context = contextFor(source, catalog, access, exportSize);
        for (auto& e : entries)
            check(e, *context);
        u.entries = std::move(entries);
        return u;
    });
}

std::optional<std::uint64_t> DeviceListModel::sourceExportSize() const
{
    const DeviceEntry* s = entry(m_source);
    if (!s || !s->networkExport || s->connecting || s->unreachable)
        return std::nullopt;
    return s->size;
}

std::optional<std::uint64_t> DeviceListModel::listedSourceSize() const
{
    const DeviceEntry* s = entry(m_source);
    return s && !s->newImage ? std::optional<std::uint64_t>(s->size) : std::nullopt;
}

void DeviceListModel::addExport(const QString& uri, const std::optional<ExportFacts>& known)
{
    const int existing = rowOf(uri);
    DeviceEntry e;
    if (existing >= 0)
        e = m_rows[static_cast<std::size_t>(existing)];
    e.path = uri;
    e.name = uri;
    e.kind = DeviceEntry::Kind::Export;
    e.networkExport = true;
    const bool answered = known && known->uri == uri;
    if (answered) {
        e.size = known->size;
        e.readOnly = known->readOnly;
        e.connecting = false;
        e.unreachable.reset();
    } else if (existing < 0) {
        e.connecting = true;
    }
    // At once, from what the rows know; the check below confirms it.
    checkExport(e, listedSourceSize());
    if (existing >= 0) {
        setRow(existing, std::move(e));
    } else {
        const int row = static_cast<int>(m_rows.size());
        beginInsertRows({}, row, row);
        m_rows.push_back(std::move(e));
        endInsertRows();
    }
    if (!answered)
        probeExport(uri);
    recheck();
    Q_EMIT exportAdded(uri);
}

void DeviceListModel::probeExport(const QString& uri)
{
    if (m_exportProbes.contains(uri))
        return; // asked already
    auto* probe = new ExportProbe({}, this);
    m_exportProbes.insert(uri, probe);
    ++m_pending;
    connect(probe, &ExportProbe::finished, this,
            [this, probe, uri](const ExportProbeResult& result) {
                m_exportProbes.remove(uri);
                probe->deleteLater();
                --m_pending;
                onExportAnswered(result);
                if (m_pending == 0)
                    Q_EMIT idle();
            });
    probe->start(uri);
}

void DeviceListModel::onExportAnswered(const ExportProbeResult& result)
{
    const int row = rowOf(result.facts.uri);
    if (row < 0)
        return;
    DeviceEntry e = m_rows[static_cast<std::size_t>(row)];
    e.connecting = false;
    if (result.error) {
        // The last size known stays shown; the row says why it is refused.
        e.unreachable = result.error;
    } else {
        e.unreachable.reset();
        e.size = result.facts.size;
        e.readOnly = result.facts.readOnly;
    }
    checkExport(e, listedSourceSize());
    setRow(row, std::move(e));
    // A check under way read the row as it was: its verdict is stale.
    recheck();
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
    recheck();
}

void DeviceListModel::setDeviceAccess(DeviceAccess access)
{
    if (access == m_access)
        return;
    const bool could = canOpenDevices();
    m_access = access;
    if (could != canOpenDevices())
        Q_EMIT canOpenDevicesChanged(canOpenDevices());
    recheck();
}

void DeviceListModel::recheck()
{
    const quint64 generation = ++m_checkGeneration;
    run([rows = m_rows, catalog = m_catalog, path = m_source, generation, access = m_access,
         exportSize = sourceExportSize()]() mutable {
        Update u;
        u.kind = Update::Kind::Check;
        u.source = path;
        u.generation = generation;
        const auto context = contextFor(path, catalog, access, exportSize);
        for (auto& e : rows)
            check(e, *context);
        u.entries = std::move(rows);
        return u;
    });
}

void DeviceListModel::setRow(int row, DeviceEntry entry)
{
    auto& slot = m_rows[static_cast<std::size_t>(row)];
    if (slot == entry)
        return;
    slot = std::move(entry);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

void DeviceListModel::apply(Update u)
{
    for (const auto& [path, error] : u.failures)
        Q_EMIT probeFailed(path, error);

    const bool current = u.source == m_source;
    // Verdicts computed for another source are stale: keep the row's until
    // the check for the current source arrives.
    if (!current && u.kind != Update::Kind::Check) {
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
        if (!current)
            recheck();
        return;
    case Update::Kind::Devices:
        m_catalog = std::move(u.catalog);
        for (const QString& path : u.removed) {
            const int row = rowOf(path);
            if (row < 0)
                continue;
            beginRemoveRows({}, row, row);
            m_rows.erase(m_rows.begin() + row);
            endRemoveRows();
        }
        merge(std::move(u.entries), true);
        m_deviceWorkRunning = false;
        if (u.drained && m_monitorNotifier)
            m_monitorNotifier->setEnabled(true);
        if (!current)
            recheck();
        if (m_deviceWorkWanted)
            startDeviceWork();
        return;
    }
}

// Devices first, in the order listed; images after them, in the order added.
// With @p replaceDevices the device entries are the complete list: device
// rows not in it are removed. Rows whose content did not change emit nothing.
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
    const auto base = [&](int r) { return QSortFilterProxyModel::data(index, r); };
    if (!index.isValid() ||
        (role != Qt::ToolTipRole && role != Qt::DisplayRole && role != Qt::FontRole))
        return base(role);
    const bool source = m_purpose == Purpose::Source;
    const QString why =
        base(source ? DeviceListModel::SourceRefusalRole : DeviceListModel::TargetRefusalRole)
            .toString();
    const bool live = source && why.isEmpty() && base(DeviceListModel::LiveRole).toBool();
    if (role == Qt::ToolTipRole) {
        const QString tip = base(role).toString();
        if (!why.isEmpty()) {
            const QString details = base(source ? DeviceListModel::SourceRefusalDetailsRole
                                                : DeviceListModel::TargetRefusalDetailsRole)
                                        .toString();
            return (source ? tr("Cannot be the source: %1\n(%2)\n\n%3")
                           : tr("Cannot be the target: %1\n(%2)\n\n%3"))
                .arg(why, details, tip);
        }
        if (live)
            return tr("Live source: while it is mirrored, writes to it are tracked; Complete "
                      "freezes %1 for a moment for the final copy.\n\n%2")
                .arg(base(DeviceListModel::MountPointsRole)
                         .toStringList()
                         .join(QStringLiteral(", ")),
                     tip);
        return tip;
    }
    if (!live || index.column() != DeviceListModel::MountColumn)
        return base(role);
    if (role == Qt::DisplayRole)
        return tr("Live · %1").arg(base(role).toString());
    QFont font = base(role).value<QFont>();
    font.setBold(true);
    return font;
}

bool DeviceFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (m_purpose == Purpose::Target)
        return true;
    // A target only: an image still to create.
    const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
    return !idx.data(DeviceListModel::NewImageRole).toBool();
}

} // namespace ui
