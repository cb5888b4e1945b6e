// Safety rules that protect the wrong disk from being overwritten. They live
// in the engine so the CLI and the GUI refuse exactly the same things, each
// refusal naming its rule.
//
// Every rule judges storage by what it is, not by its name: an image file
// that backs a loop device has that device's state, two loop devices over
// the same file are the same disk where their ranges overlap, and so on
// through any depth of loop stacking and partitions (see StorageMap).
#pragma once

#include "base/result.h"
#include "device/storage_map.h"
#include "io/open_files.h"
#include "io/resolve.h"

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace engine {

/// Refuses source and target that reach the same storage: the same inode or
/// device through any path, a loop device backed by the other file, a
/// partition of the other disk, two loop devices over overlapping parts of
/// one file, a loop device over the other disk, at any depth.
Result<void> checkDistinct(const std::string& sourcePath, const std::string& targetPath);
Result<void> checkDistinct(const std::string& sourcePath, const std::string& targetPath,
                           const StorageMap& map);
Result<void> checkDistinct(const PathFacts& source, const PathFacts& target, const StorageMap& map);

/// What a target path must be before anything else is asked: an existing
/// regular file or block device (not a directory, socket, FIFO, character
/// device or dangling link), and never a file in /dev, /proc or /sys or on a
/// kernel file system (devtmpfs, proc, sysfs, ...), where a mistyped device
/// name such as /dev/sdz would otherwise become a RAM-backed image file.
Result<void> checkTargetPath(const std::string& target);
/// The part of it that looking a path up by its facts cannot see: a
/// symbolic link to nothing (rule: not an image or disk).
Result<void> checkTargetLink(const std::string& target);
/// The same for a target already looked up (links followed; a dangling one
/// was refused by the lookup).
Result<void> checkTargetPath(const PathFacts& target);

/// Everything that uses the bytes of an existing @p target under any name:
/// a device that shares them and is mounted, used as swap or held by
/// LVM/RAID/dm (rules mounted target, held target), a swap file, a process
/// that has it or any alias open for writing (a VM, dd, another job), and
/// any lock on an image file (QEMU, another DriveMirror job), each named
/// (rule: target in use).
Result<void> checkTargetUse(const std::string& target, const StorageMap& map);
Result<void> checkTargetUse(const PathFacts& target, const StorageMap& map);

/// The rules for an image source that need no tracking decision: no other
/// process has it open for writing or holds a write lock on it (QEMU holds
/// the write permission byte while it writes) (rule: source in use).
Result<void> checkImageSourceWriters(const std::string& source);
Result<void> checkImageSourceWriters(const PathFacts& source);

/// How a source is written by others, and what a job must do so that the
/// copy still ends consistent.
struct SourceUse
{
    /// Writes that cannot be tracked or frozen: refuse.
    std::optional<Error> refusal;
    /// The block device whose kernel write tracking sees every write to the
    /// source: the source itself, or for an image file the loop device over
    /// all of it. Empty when there is none (an image no loop device reads).
    std::string trackDevice;
    /// Something uses trackDevice now (mounted, swap, held, written by a
    /// process), so copying without tracking would copy a moving target.
    bool inUse = false;
    std::vector<std::string> mountPoints; ///< of trackDevice and its partitions
};
/// For an image file @p source: a loop device over the whole file can be
/// tracked (writes through it, its partitions and loop devices stacked on
/// it all pass through its queue); any other way the file is written (a
/// process with the file open, a second loop device, one over part of it)
/// cannot, and is refused. For a block device: aliases that write without
/// passing through it, or are mounted where Complete cannot freeze them,
/// are refused.
SourceUse analyseSourceUse(const std::string& source, const StorageMap& map);
SourceUse analyseSourceUse(const PathFacts& source, const StorageMap& map);

} // namespace engine
