// What the kernel says is mounted and used as swap, from /proc: facts about
// devices that the safety rules, the catalog and the freezer all read.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace engine {

struct MountEntry
{
    dev_t dev = 0;     ///< the device the file system was mounted from
    std::string point; ///< decoded (mountinfo writes a space as \040)
};
/// Every mount of this process's view, from /proc/self/mountinfo.
std::vector<MountEntry> readMountTable();

struct SwapEntry
{
    std::string path;
    bool device = false;
    dev_t rdev = 0; ///< a swap partition or device
    dev_t dev = 0;  ///< a swap file: its file system and inode
    ino_t ino = 0;
};
/// Every swap area in use (/proc/swaps).
std::vector<SwapEntry> swapEntries();
/// Device numbers of the block devices in use as swap (/proc/swaps).
std::vector<dev_t> swapDevices();

/// Mount points (from /proc/self/mountinfo) of the block device with the
/// given device number and of its partitions.
std::vector<std::string> mountPointsOf(unsigned major, unsigned minor);

} // namespace engine
