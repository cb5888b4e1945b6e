// Safety rules that protect the wrong disk from being overwritten. They live
// in the engine so the CLI and the GUI refuse exactly the same things, each
// refusal naming its rule.
#pragma once

#include "result.h"

#include <sys/types.h>

#include <string>
#include <vector>

namespace engine {

/// Refuses source and target that reach the same storage: the same inode or
/// device through any path, a loop device backed by the other file, or a
/// partition of the other disk.
Result<void> checkDistinct(const std::string& sourcePath, const std::string& targetPath);

struct MountEntry
{
    dev_t dev = 0;     ///< the device the file system was mounted from
    std::string point; ///< decoded (mountinfo writes a space as \040)
};
/// Every mount of this process's view, from /proc/self/mountinfo.
std::vector<MountEntry> readMountTable();
/// Device numbers of the block devices in use as swap (/proc/swaps).
std::vector<dev_t> swapDevices();

/// Mount points (from /proc/self/mountinfo) of the block device with the
/// given device number and of its partitions.
std::vector<std::string> mountPointsOf(unsigned major, unsigned minor);

} // namespace engine
