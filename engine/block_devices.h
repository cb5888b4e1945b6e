// Block devices as /sys/block shows them: whole disks and their partitions,
// with the facts a user needs to recognise a disk (name, model, size, kind)
// and the facts the safety rules need (read-only, mount points, holders).
//
// This is a plain directory walk, no udev: it runs in a few milliseconds and
// needs no privileges. It reads sysfs and /proc/self/mountinfo, so callers on
// a UI thread run it on a worker like any other I/O.
//
//   /sys/block/sda            -> disk  /dev/sda   (size in 512-byte sectors)
//   /sys/block/sda/sda1       -> partition /dev/sda1 (has a "partition" file)
//   /sys/block/loop0          -> loop  (listed only while attached)
//   .../usb1/1-2/.../sdb      -> USB   (removable, or "usb" in the device path)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

struct BlockDeviceInfo
{
    enum class Kind { Disk, Partition, Usb, Loop };

    std::string name;       ///< kernel name: "sda", "nvme0n1p2", "loop3"
    std::string path;       ///< device node: "/dev/sda"
    std::string model;      ///< vendor and model, the loop's backing file, or empty
    std::string serial;     ///< empty when the device reports none
    std::string parent;     ///< partitions: the disk's kernel name; empty otherwise
    std::uint64_t size = 0; ///< bytes
    Kind kind = Kind::Disk;
    bool readOnly = false;
    bool removable = false;
    bool usb = false; ///< on a USB bus (also for partitions of a USB disk)
    unsigned major = 0;
    unsigned minor = 0;
    std::vector<std::string> partitions;  ///< disks: kernel names of their partitions
    std::vector<std::string> holders;     ///< LVM, RAID or dm devices built on this one
    std::vector<std::string> mountPoints; ///< of the device and, for disks, its partitions
};

std::string_view toString(BlockDeviceInfo::Kind kind);

/// Lists disks with their partitions right after them, in /sys/block order
/// (sorted by name). Devices of size 0 (detached loop devices, empty card
/// readers) and RAM disks are left out. @p sysRoot replaces "/sys" in tests;
/// mount points are then left empty. Never fails: unreadable attributes stay
/// at their defaults.
std::vector<BlockDeviceInfo> listBlockDevices(const std::string& sysRoot = "/sys");

} // namespace engine
