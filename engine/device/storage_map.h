// StorageMap: which block devices and image files reach the same bytes.
//
// Two names are the same disk when writing through one changes what the
// other reads: a loop device and its backing file, two loop devices over
// the same file with overlapping offset/size ranges, a loop device over a
// disk or a partition, partitions of any of these, at any depth. The map
// resolves every block device down to its base storage (an inode, or a disk
// that is not a loop device) and a byte range on it, so that every safety
// rule (source is target, inside, contains, mounted, held, in use) can ask
// "what else reaches these bytes" instead of comparing names.
//
// Everything comes from sysfs, LOOP_GET_STATUS64 (exact backing inode, also
// for a renamed or deleted file; sysfs's backing_file path without root),
// /proc/self/mountinfo and /proc/swaps: no udev, no probing of contents, so a
// scan costs about a millisecond and never touches a slow disk.
#pragma once

#include "base/result.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace engine {

/// Where a block device or an image file keeps its bytes.
struct Reach
{
    enum class Base { File, Device };
    Base base = Base::Device;
    dev_t dev = 0; ///< File: the file system holding the inode; Device: the base disk's number
    ino_t ino = 0; ///< File only
    std::uint64_t begin = 0;
    std::uint64_t end = 0; ///< exclusive

    bool sameBase(const Reach& o) const
    {
        return base == o.base && dev == o.dev && (base == Base::Device || ino == o.ino);
    }
    bool overlaps(const Reach& o) const { return sameBase(o) && begin < o.end && o.begin < end; }
    /// Every byte of @p o is also a byte of this.
    bool contains(const Reach& o) const { return sameBase(o) && begin <= o.begin && o.end <= end; }
};

/// One block device as the kernel describes it now.
struct BlockNode
{
    dev_t devnum = 0;
    std::string name;    ///< kernel name: loop3, loop3p1, sda
    std::string devnode; ///< /dev/loop3
    bool partition = false;
    dev_t parent = 0;        ///< partitions: the disk they are on
    std::uint64_t start = 0; ///< partitions: byte offset on the disk
    std::uint64_t size = 0;
    bool readOnly = false;
    std::vector<std::string> holders; ///< kernel names of dm/md devices on it

    bool loop = false; ///< a whole loop device with a backing file
    std::string backingPath;
    bool backingKnown = false; ///< the backing inode was identified
    bool backingIsDevice = false;
    dev_t backingRdev = 0; ///< backing is a block device: its number
    dev_t backingDev = 0;  ///< backing is a file: its file system and inode
    ino_t backingIno = 0;
    std::uint64_t loopOffset = 0;
};

class StorageMap
{
public:
    /// Reads the machine's block devices, mounts and swap areas.
    static StorageMap scan();

    const std::vector<BlockNode>& nodes() const { return m_nodes; }
    const BlockNode* find(dev_t devnum) const;

    /// The bytes a block device reaches, down to its base storage.
    std::optional<Reach> reachOf(dev_t devnum) const;
    /// The same for a path: a block device node, or an image file (its
    /// inode, from 0 to its size). nullopt for anything else.
    std::optional<Reach> reachOfPath(const std::string& path) const;
    /// The same for a node already looked up (its stat).
    std::optional<Reach> reachOfNode(const struct stat& st) const;

    /// Every block device that reaches at least one byte of @p reach.
    std::vector<const BlockNode*> overlapping(const Reach& reach) const;

    /// "/dev/loop4 -> /dev/loop3 -> /var/tmp/disk.img": how a device
    /// reaches its base storage, for messages.
    std::string chain(dev_t devnum) const;

    /// Mount points of the device itself (not of its partitions).
    std::vector<std::string> mountPoints(dev_t devnum) const;
    bool swap(dev_t devnum) const;
    /// Swap files (not devices) in use: their inodes.
    bool swapFile(dev_t dev, ino_t ino) const;

private:
    std::optional<Reach> reachOf(dev_t devnum, int depth) const;

    std::vector<BlockNode> m_nodes;
    struct Mount
    {
        dev_t dev;
        std::string point;
    };
    std::vector<Mount> m_mounts;
    std::vector<dev_t> m_swapDevices;
    struct FileKey
    {
        dev_t dev;
        ino_t ino;
    };
    std::vector<FileKey> m_swapFiles;
};

/// How a target's bytes lie against a source's, for the rules "source is
/// target", "target inside source", "target contains source".
enum class ReachRelation { Same, Inside, Contains, Overlaps, Apart };
ReachRelation relate(const Reach& target, const Reach& source);

} // namespace engine
