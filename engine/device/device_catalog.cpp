#include "device/device_catalog.h"

#include "device/mounts.h"
#include "device/signatures.h"
#include "io/disk.h"

#include <blkid/blkid.h>
#include <libudev.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace engine {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string s)
{
    const auto first = s.find_first_not_of(" \t\n");
    if (first == std::string::npos)
        return {};
    const auto last = s.find_last_not_of(" \t\n");
    return s.substr(first, last - first + 1);
}

std::string readSys(const std::string& path)
{
    std::ifstream in(path);
    std::string s;
    std::getline(in, s);
    return trim(s);
}

std::uint64_t readSysNumber(const std::string& path)
{
    const std::string s = readSys(path);
    return s.empty() ? 0 : std::strtoull(s.c_str(), nullptr, 10);
}

const char* prop(udev_device* d, const char* key)
{
    const char* v = udev_device_get_property_value(d, key);
    return v ? v : "";
}

std::string busOf(udev_device* d, const std::string& name, const std::string& syspath)
{
    std::string bus = prop(d, "ID_BUS");
    if (syspath.find("/usb") != std::string::npos)
        return "usb";
    if (!bus.empty())
        return bus;
    if (name.rfind("loop", 0) == 0)
        return "loop";
    if (name.rfind("nvme", 0) == 0)
        return "nvme";
    if (name.rfind("dm-", 0) == 0)
        return "dm";
    if (name.rfind("md", 0) == 0)
        return "md";
    if (name.rfind("mmcblk", 0) == 0)
        return "mmc";
    if (name.rfind("vd", 0) == 0 || syspath.find("/virtio") != std::string::npos)
        return "virtio";
    if (syspath.find("/ata") != std::string::npos)
        return "ata";
    if (name.rfind("sd", 0) == 0)
        return "scsi";
    return "other";
}

std::vector<std::string> holdersOf(const std::string& syspath)
{
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& h : fs::directory_iterator(syspath + "/holders", ec))
        out.push_back(h.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

bool ownData(const DeviceInfo& info)
{
    return !info.partitionTable.empty() || !info.fsType.empty();
}

// Partition table and file system signatures, read from the device itself:
// what udevd would have recorded, for systems where it did not.
void probeSignatures(DeviceInfo& info)
{
    blkid_probe pr = blkid_new_probe_from_filename(info.devnode.c_str());
    if (!pr)
        return; // no permission or no medium: nothing known
    blkid_probe_enable_superblocks(pr, 1);
    blkid_probe_set_superblocks_flags(pr,
                                      BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID);
    blkid_probe_enable_partitions(pr, 1);
    const int rc = blkid_do_safeprobe(pr);
    if (rc == 0) {
        const char* v = nullptr;
        if (info.fsType.empty() && blkid_probe_lookup_value(pr, "TYPE", &v, nullptr) == 0)
            info.fsType = v;
        if (info.fsLabel.empty() && blkid_probe_lookup_value(pr, "LABEL", &v, nullptr) == 0)
            info.fsLabel = v;
        if (info.fsUuid.empty() && blkid_probe_lookup_value(pr, "UUID", &v, nullptr) == 0)
            info.fsUuid = v;
        if (info.partitionTable.empty() && blkid_probe_lookup_value(pr, "PTTYPE", &v, nullptr) == 0)
            info.partitionTable = v;
    } else if (rc == -2) {
        // Several signatures (an old file system under a new one, a hybrid
        // ISO image): the safe probe names none, yet each one is data.
        for (const auto& sig : engine::probeSignatures(blkid_probe_get_fd(pr))) {
            std::string& field = sig.partitionTable ? info.partitionTable : info.fsType;
            if (field.empty())
                field = sig.type;
        }
    }
    blkid_free_probe(pr);
}

std::map<std::string, std::string> propertiesOf(udev_device* d)
{
    std::map<std::string, std::string> out;
    udev_list_entry* entry = nullptr;
    udev_list_entry_foreach(entry, udev_device_get_properties_list_entry(d))
    {
        const char* value = udev_list_entry_get_value(entry);
        out.emplace(udev_list_entry_get_name(entry), value ? value : "");
    }
    return out;
}

DeviceInfo describe(udev_device* d, const std::vector<MountEntry>& mounts,
                    const std::vector<dev_t>& swaps)
{
    DeviceInfo info;
    info.name = udev_device_get_sysname(d);
    const char* node = udev_device_get_devnode(d);
    info.devnode = node ? node : "/dev/" + info.name;
    info.syspath = udev_device_get_syspath(d);
    info.devnum = udev_device_get_devnum(d);
    const char* devtype = udev_device_get_devtype(d);
    info.isPartition = devtype && std::string(devtype) == "partition";
    const std::string sys = info.syspath;
    info.size = readSysNumber(sys + "/size") * 512;
    info.readOnly = readSysNumber(sys + "/ro") != 0;

    std::string diskSys = sys;
    udev_device* disk = d;
    if (info.isPartition) {
        disk = udev_device_get_parent_with_subsystem_devtype(d, "block", "disk");
        if (disk) {
            info.parent = udev_device_get_sysname(disk);
            diskSys = udev_device_get_syspath(disk);
        }
        info.partitionNumber = static_cast<unsigned>(readSysNumber(sys + "/partition"));
        info.startSector = readSysNumber(sys + "/start");
    }
    const std::string diskName = info.isPartition ? info.parent : info.name;
    info.logicalBlockSize =
        static_cast<std::uint32_t>(readSysNumber(diskSys + "/queue/logical_block_size"));
    info.physicalBlockSize =
        static_cast<std::uint32_t>(readSysNumber(diskSys + "/queue/physical_block_size"));
    if (info.logicalBlockSize < 512)
        info.logicalBlockSize = 512;
    if (info.physicalBlockSize < info.logicalBlockSize)
        info.physicalBlockSize = info.logicalBlockSize;
    info.removable = readSysNumber(diskSys + "/removable") != 0;
    info.rotational = readSysNumber(diskSys + "/queue/rotational") != 0;
    info.diskSeq = readSysNumber(diskSys + "/diskseq");
    info.bus = busOf(disk ? disk : d, diskName, diskSys);

    info.vendor = prop(disk ? disk : d, "ID_VENDOR");
    if (info.vendor.empty())
        info.vendor = readSys(diskSys + "/device/vendor");
    info.model = prop(disk ? disk : d, "ID_MODEL");
    if (info.model.empty())
        info.model = readSys(diskSys + "/device/model");
    info.serial = prop(disk ? disk : d, "ID_SERIAL_SHORT");
    if (info.serial.empty())
        info.serial = readSys(diskSys + "/device/serial");
    if (info.serial.empty())
        info.serial = readSys(diskSys + "/serial");
    info.wwn = prop(disk ? disk : d, "ID_WWN");
    if (info.wwn.empty())
        info.wwn = readSys(diskSys + "/wwid");
    if (info.wwn.empty())
        info.wwn = readSys(diskSys + "/device/wwid");
    // virtio exposes its PCI vendor number where SCSI has a vendor name.
    if (info.vendor.rfind("0x", 0) == 0)
        info.vendor.clear();
    if (info.model.empty() && info.bus == "virtio")
        info.model = "Virtio disk";
    if (info.bus == "loop") {
        info.loopBackingFile = readSys(diskSys + "/loop/backing_file");
        if (info.model.empty())
            info.model = "Loop device";
    }

    info.fsType = prop(d, "ID_FS_TYPE");
    info.fsLabel = prop(d, "ID_FS_LABEL");
    info.fsUuid = prop(d, "ID_FS_UUID");
    info.partitionTable = prop(d, "ID_PART_TABLE_TYPE");
    if (info.size > 0 && ::geteuid() == 0)
        probeSignatures(info);

    for (const auto& m : mounts)
        if (m.dev == info.devnum)
            info.mountPoints.push_back(m.point);
    info.swap = std::find(swaps.begin(), swaps.end(), info.devnum) != swaps.end();
    info.holders = holdersOf(sys);
    info.holdsData = ownData(info);
    info.properties = propertiesOf(d);
    // A kernel uevent names it "sdb"; udevd's, and every glob a user writes, "/dev/sdb".
    info.properties["DEVNAME"] = info.devnode;
    return info;
}

bool wanted(const DeviceInfo& info)
{
    // Unattached loop devices and empty card readers have size 0; ram disks
    // and zram are memory, not disks anyone clones.
    if (info.size == 0)
        return false;
    return info.name.rfind("ram", 0) != 0 && info.name.rfind("zram", 0) != 0;
}

template <class F>
void forEachBlockDevice(udev* u, F&& f)
{
    udev_enumerate* e = udev_enumerate_new(u);
    udev_enumerate_add_match_subsystem(e, "block");
    udev_enumerate_scan_devices(e);
    udev_list_entry* entry = nullptr;
    udev_list_entry_foreach(entry, udev_enumerate_get_list_entry(e))
    {
        udev_device* d = udev_device_new_from_syspath(u, udev_list_entry_get_name(entry));
        if (!d)
            continue;
        f(d);
        udev_device_unref(d);
    }
    udev_enumerate_unref(e);
}

// Disks in name order, each followed by its partitions; a disk holds data
// when it or any of its partitions does.
void arrange(std::vector<DeviceInfo>& devices)
{
    auto key = [](const DeviceInfo& i) {
        return std::make_tuple(i.isPartition ? i.parent : i.name, i.isPartition ? 1 : 0,
                               i.partitionNumber, i.name);
    };
    std::sort(devices.begin(), devices.end(),
              [&](const DeviceInfo& a, const DeviceInfo& b) { return key(a) < key(b); });
    for (auto& d : devices)
        d.holdsData = ownData(d);
    for (auto& disk : devices)
        if (!disk.isPartition)
            for (const auto& p : devices)
                if (p.isPartition && p.parent == disk.name && p.holdsData)
                    disk.holdsData = true;
}

} // namespace

std::string DeviceInfo::stableId() const
{
    if (!wwn.empty())
        return "wwn:" + wwn + (isPartition ? "-part" + std::to_string(partitionNumber) : "");
    if (!serial.empty())
        return "serial:" + model + ":" + serial +
               (isPartition ? "-part" + std::to_string(partitionNumber) : "");
    return "seq:" + name + ":" + std::to_string(diskSeq);
}

std::string DeviceInfo::kind() const
{
    if (bus == "loop")
        return isPartition ? "loop partition" : "loop";
    if (isPartition)
        return "partition";
    if (bus == "usb")
        return "USB";
    if (bus == "mmc")
        return "SD card";
    if (bus == "dm" || bus == "md")
        return "virtual";
    return rotational ? "disk" : "SSD";
}

std::vector<DeviceInfo> enumerateDevices(Logger log)
{
    log = orNull(std::move(log));
    std::vector<DeviceInfo> out;
    udev* u = udev_new();
    if (!u) {
        log->error("udev is not available: no device list");
        return out;
    }
    const auto mounts = readMountTable();
    const auto swaps = swapDevices();
    forEachBlockDevice(u, [&](udev_device* d) {
        DeviceInfo info = describe(d, mounts, swaps);
        if (wanted(info))
            out.push_back(std::move(info));
    });
    udev_unref(u);
    arrange(out);
    return out;
}

void updateUsage(std::vector<DeviceInfo>& devices)
{
    const auto mounts = readMountTable();
    const auto swaps = swapDevices();
    for (auto& info : devices) {
        info.mountPoints.clear();
        for (const auto& m : mounts)
            if (m.dev == info.devnum)
                info.mountPoints.push_back(m.point);
        info.swap = std::find(swaps.begin(), swaps.end(), info.devnum) != swaps.end();
        info.holders = holdersOf(info.syspath);
    }
}

void applyDeviceEvents(std::vector<DeviceInfo>& devices, const std::vector<DeviceEvent>& events)
{
    for (const auto& ev : events) {
        const std::string& name = ev.info.name;
        if (ev.kind == DeviceEventKind::Removed) {
            // A disk that goes takes its partitions with it.
            std::erase_if(devices, [&](const DeviceInfo& d) {
                return d.name == name || (d.isPartition && d.parent == name);
            });
            continue;
        }
        auto it = std::find_if(devices.begin(), devices.end(),
                               [&](const DeviceInfo& d) { return d.name == name; });
        if (it != devices.end())
            *it = ev.info;
        else
            devices.push_back(ev.info);
    }
    arrange(devices);
}

Result<DeviceInfo> describeDevice(const std::string& path, Logger log)
{
    auto id = identify(path);
    if (!id)
        return id.error();
    if (!id->blockDevice)
        return Error{ENOTBLK, path + ": not a block device"};
    // Only this device: enumerating would probe every disk of the machine,
    // and a failing one can take seconds to answer.
    log = orNull(std::move(log));
    udev* u = udev_new();
    if (!u)
        return Error{ENOMEM, "udev is not available"};
    udev_device* d = udev_device_new_from_devnum(u, 'b', id->rdev);
    if (!d) {
        udev_unref(u);
        return Error{ENODEV, path + ": no such block device in the device list"};
    }
    DeviceInfo info = describe(d, readMountTable(), swapDevices());
    udev_device_unref(d);
    udev_unref(u);
    if (!wanted(info))
        return Error{ENODEV, path + ": no such block device in the device list (no medium?)"};
    return info;
}

bool holdsRootFileSystem(const DeviceInfo& disk, const std::vector<DeviceInfo>& all)
{
    dev_t root = 0;
    for (const auto& m : readMountTable())
        if (m.point == "/")
            root = m.dev;
    if (root == 0)
        return false;
    if (disk.devnum == root)
        return true;
    for (const auto& d : all)
        if (d.devnum == root && d.isPartition && d.parent == disk.name)
            return true;
    return false;
}

namespace {

// The catalog's rules, worded from the device ("/dev/sdb is mounted at ...").
std::optional<Error> deviceRefusal(const DeviceInfo& target, const std::vector<DeviceInfo>& all)
{
    const std::string who = target.devnode;
    if (holdsRootFileSystem(target, all))
        return refusal(EBUSY, Rule::SystemDisk,
                       who + " holds the running system's root file system");
    if (target.readOnly)
        return refusal(EBUSY, Rule::ReadOnlyTarget, who + " is read-only");
    std::vector<const DeviceInfo*> parts{&target};
    for (const auto& d : all)
        if (!target.isPartition && d.isPartition && d.parent == target.name)
            parts.push_back(&d);
    for (const DeviceInfo* p : parts) {
        const std::string which = p == &target ? "" : " has partition " + p->devnode;
        if (!p->mountPoints.empty())
            return refusal(EBUSY, Rule::MountedTarget,
                           who + (p == &target ? " is" : which) + " mounted at " +
                               p->mountPoints.front(),
                           "; unmount it first");
        if (p->swap)
            return refusal(EBUSY, Rule::HeldTarget, who + which + " in use as swap",
                           "; swapoff first");
        if (!p->holders.empty())
            return refusal(EBUSY, Rule::HeldTarget,
                           who + which + " held by " + p->holders.front() +
                               " (LVM, RAID or device-mapper)");
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> targetRefusal(const DeviceInfo& target,
                                         const std::vector<DeviceInfo>& all)
{
    if (auto e = deviceRefusal(target, all))
        return std::move(e->message);
    return std::nullopt;
}

std::optional<Error> targetDeviceRefusal(const DeviceInfo& target,
                                         const std::vector<DeviceInfo>& all)
{
    if (auto e = deviceRefusal(target, all))
        return withContext("refusing ", std::move(*e));
    return std::nullopt;
}

Result<std::unique_ptr<DeviceMonitor>> DeviceMonitor::create(Logger log)
{
    std::unique_ptr<DeviceMonitor> m(new DeviceMonitor);
    m->m_log = orNull(std::move(log));
    m->m_udev = udev_new();
    if (!m->m_udev)
        return Error{ENOMEM, "udev_new failed"};
    // Without udevd (containers, minimal systems) only the kernel's own
    // uevents arrive; they carry the same add/remove/change actions.
    const bool udevd = ::access("/run/udev/control", F_OK) == 0;
    m->m_monitor = udev_monitor_new_from_netlink(m->m_udev, udevd ? "udev" : "kernel");
    if (!m->m_monitor)
        return Error{EPERM, "cannot listen to device hotplug events"};
    udev_monitor_filter_add_match_subsystem_devtype(m->m_monitor, "block", nullptr);
    if (udev_monitor_enable_receiving(m->m_monitor) < 0)
        return Error{EPERM, "cannot listen to device hotplug events"};
    m->m_log->debug("device monitor on {} events", udevd ? "udev" : "kernel");
    return m;
}

DeviceMonitor::~DeviceMonitor()
{
    if (m_monitor)
        udev_monitor_unref(m_monitor);
    if (m_udev)
        udev_unref(m_udev);
}

int DeviceMonitor::fd() const
{
    return udev_monitor_get_fd(m_monitor);
}

std::vector<DeviceEvent> DeviceMonitor::drain()
{
    std::vector<DeviceEvent> events;
    const auto mounts = readMountTable();
    const auto swaps = swapDevices();
    while (udev_device* d = udev_monitor_receive_device(m_monitor)) {
        const std::string action = udev_device_get_action(d) ? udev_device_get_action(d) : "";
        DeviceEvent ev{DeviceEventKind::Changed, {}};
        if (action == "remove") {
            ev.kind = DeviceEventKind::Removed;
            ev.info.name = udev_device_get_sysname(d);
            ev.info.devnum = udev_device_get_devnum(d);
            const char* node = udev_device_get_devnode(d);
            ev.info.devnode = node ? node : "/dev/" + ev.info.name;
        } else {
            ev.info = describe(d, mounts, swaps);
            // A loop device that lost its file, or a reader whose card was
            // pulled, is gone for the user even though the node stays.
            if (!wanted(ev.info))
                ev.kind = DeviceEventKind::Removed;
            else
                ev.kind = action == "add" ? DeviceEventKind::Added : DeviceEventKind::Changed;
        }
        if (action != "add" && action != "remove" && action != "change")
            m_log->debug("device event '{}' for {} treated as a change", action, ev.info.name);
        events.push_back(std::move(ev));
        udev_device_unref(d);
    }
    return events;
}

} // namespace engine
