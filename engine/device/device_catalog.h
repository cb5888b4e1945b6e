// The block devices of this machine, from libudev (enumeration and hotplug),
// sysfs (geometry, holders), /proc/self/mountinfo and /proc/swaps (use), and
// libblkid signature probing for partition tables and file systems when
// udevd has not recorded them.
//
// Every disk carries a stable identity (WWN, else model + serial, else the
// kernel's disk sequence number, which changes on every attach), so that a
// device renamed between two plug-ins (sdb coming back as sdc) is never taken
// for the one the user chose.
#pragma once

#include "base/logging.h"
#include "base/result.h"

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct udev;
struct udev_monitor;

namespace engine {

struct DeviceInfo
{
    std::string name;    ///< kernel name: sda, nvme0n1p2, loop3
    std::string devnode; ///< /dev/sda
    std::string syspath;
    dev_t devnum = 0;
    bool isPartition = false;
    std::string parent; ///< a partition's disk (kernel name)
    unsigned partitionNumber = 0;
    std::uint64_t startSector = 0; ///< partitions: where they start on their disk

    std::string vendor;
    std::string model;
    std::string serial;
    std::string wwn;
    std::uint64_t diskSeq = 0;
    std::string bus; ///< nvme, ata, scsi, usb, virtio, mmc, loop, dm, md, ...
    std::uint64_t size = 0;
    std::uint32_t logicalBlockSize = 512;
    std::uint32_t physicalBlockSize = 512;
    bool removable = false;
    bool rotational = false;
    bool readOnly = false;
    std::string loopBackingFile;

    std::string partitionTable; ///< gpt, dos, or empty
    std::string fsType;         ///< ext4, vfat, swap, LVM2_member, ... or empty
    std::string fsLabel;
    std::string fsUuid;
    std::vector<std::string> mountPoints; ///< of this device itself
    std::vector<std::string> holders;     ///< kernel names of dm/md devices on it
    bool swap = false;
    /// The device's udev properties (ID_PATH, ID_SERIAL, ...: only the
    /// kernel's own, such as DEVNAME and DISKSEQ, where udevd does not run);
    /// DEVNAME is always there and always the devnode.
    std::map<std::string, std::string> properties;

    /// "wwn:...", "serial:MODEL:SERIAL", or "seq:NAME:DISKSEQ".
    std::string stableId() const;
    /// "disk", "partition", "USB", "loop", ...: what a person calls it.
    std::string kind() const;
    /// True when it holds data that overwriting would destroy: a partition
    /// table or a file system signature (on itself or, for a disk, on a
    /// partition).
    bool holdsData = false;
};

enum class DeviceEventKind { Added, Removed, Changed };
struct DeviceEvent
{
    DeviceEventKind kind;
    DeviceInfo info; ///< for Removed only name, devnode and devnum are reliable
};

/// Disks and partitions of the machine (loop devices without a file and
/// empty devices are left out), in kernel order, partitions after their disk.
std::vector<DeviceInfo> enumerateDevices(Logger log = {});
/// One device by path (/dev/sdb, a /dev/disk/by-id link, ...).
Result<DeviceInfo> describeDevice(const std::string& path, Logger log = {});

/// Re-reads what uses each device (mount points, swap, holders) without
/// probing the devices themselves: cheap enough for every mount change.
void updateUsage(std::vector<DeviceInfo>& devices);
/// Applies hotplug events to a list from enumerateDevices(), keeping its
/// order and the "disk holds data when a partition does" rule.
void applyDeviceEvents(std::vector<DeviceInfo>& devices, const std::vector<DeviceEvent>& events);

/// Why @p target (with @p all, the machine's devices for the partition and
/// holder checks) must not be overwritten, naming the rule; nullopt if it may.
/// The same rules serve the CLI and the GUI.
std::optional<std::string> targetRefusal(const DeviceInfo& target,
                                         const std::vector<DeviceInfo>& all);
/// targetRefusal as the refusal the engine gives: EBUSY, the rule as data
/// and "refusing " before the reason.
std::optional<Error> targetDeviceRefusal(const DeviceInfo& target,
                                         const std::vector<DeviceInfo>& all);
/// True when the machine's root file system lives on @p disk or its partitions.
bool holdsRootFileSystem(const DeviceInfo& disk, const std::vector<DeviceInfo>& all);

/// Hotplug: a udev monitor whose fd() can be polled (or wrapped in a
/// QSocketNotifier); drain() returns what happened since the last call.
class DeviceMonitor
{
public:
    static Result<std::unique_ptr<DeviceMonitor>> create(Logger log = {});
    ~DeviceMonitor();
    DeviceMonitor(const DeviceMonitor&) = delete;
    DeviceMonitor& operator=(const DeviceMonitor&) = delete;
    int fd() const;
    std::vector<DeviceEvent> drain();

private:
    DeviceMonitor() = default;
    udev* m_udev = nullptr;
    udev_monitor* m_monitor = nullptr;
    Logger m_log;
};

} // namespace engine
