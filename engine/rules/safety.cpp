#include "rules/safety.h"

#include "base/units.h"
#include "io/disk.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace engine {

namespace fs = std::filesystem;

namespace {

// The file system type of the mount that holds @p dev ("devtmpfs", "ext4"),
// from mountinfo's field after the " - " separator; empty when unknown.
std::string fsTypeOf(dev_t dev)
{
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::string id, parent, mm;
        fields >> id >> parent >> mm;
        unsigned ma = 0, mi = 0;
        if (std::sscanf(mm.c_str(), "%u:%u", &ma, &mi) != 2 || makedev(ma, mi) != dev)
            continue;
        const auto sep = line.find(" - ");
        if (sep == std::string::npos)
            continue;
        std::istringstream rest(line.substr(sep + 3));
        std::string type;
        rest >> type;
        return type;
    }
    return {};
}

// File systems that are windows into the kernel, not storage: a file
// written there is a setting changed or memory used, never an image.
bool kernelFileSystem(const std::string& type)
{
    static const std::array<const char*, 21> kTypes = {
        "devtmpfs",  "proc",        "sysfs",   "devpts", "debugfs",  "tracefs",    "securityfs",
        "cgroup",    "cgroup2",     "bpf",     "pstore", "efivarfs", "configfs",   "mqueue",
        "hugetlbfs", "binfmt_misc", "fusectl", "nsfs",   "autofs",   "rpc_pipefs", "selinuxfs"};
    return std::find_if(kTypes.begin(), kTypes.end(), [&](const char* t) { return type == t; }) !=
           kTypes.end();
}

// "/dev", "/proc" or "/sys" when @p realPath is that directory or inside it.
std::string systemDirectoryOf(const std::string& realPath)
{
    for (const char* dir : {"/dev", "/proc", "/sys"}) {
        const std::string d = dir;
        if (realPath == d || realPath.rfind(d + "/", 0) == 0)
            return d;
    }
    return {};
}

std::string realPathOf(const std::string& path)
{
    char buf[PATH_MAX];
    return ::realpath(path.c_str(), buf) ? std::string(buf) : std::string();
}

std::string kindOf(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISFIFO(mode))
        return "a FIFO (named pipe)";
    if (S_ISCHR(mode))
        return "a character device";
    return "a special file";
}

// How a device reaches the data, for messages: "/dev/loop4 (on /dev/loop3
// -> /var/tmp/disk.img)", or just its name when it is the base.
std::string aliasText(const StorageMap& map, const BlockNode& d)
{
    const std::string chain = map.chain(d.devnum);
    const std::string head = d.devnode + " -> ";
    if (chain.rfind(head, 0) != 0)
        return d.devnode;
    return d.devnode + " (on " + chain.substr(head.size()) + ")";
}

// A path as the rules name it: a block device with its chain when it has one.
std::string pathText(const StorageMap& map, const std::string& path, const DiskIdentity& id)
{
    if (!id.blockDevice)
        return path;
    const std::string chain = map.chain(id.rdev);
    return chain.empty() || chain.find(" -> ") == std::string::npos ? path
                                                                    : path + " (" + chain + ")";
}

// True when @p d reaches its data through @p through: it is @p through, a
// partition of it, or a loop device stacked on it, at any depth.
bool passesThrough(const StorageMap& map, const BlockNode* d, dev_t through)
{
    for (int depth = 0; d && depth < 64; ++depth) {
        if (d->devnum == through)
            return true;
        if (d->partition)
            d = map.find(d->parent);
        else if (d->loop && d->backingKnown && d->backingIsDevice)
            d = map.find(d->backingRdev);
        else
            return false;
    }
    return false;
}

std::vector<Opener> writersOf(const std::vector<Opener>& openers)
{
    std::vector<Opener> out;
    for (const auto& o : openers)
        if (o.writable)
            out.push_back(o);
    return out;
}

std::vector<Opener> onDevice(const std::vector<Opener>& openers, dev_t dev)
{
    std::vector<Opener> out;
    for (const auto& o : openers)
        if (o.blockDevice && o.rdev == dev)
            out.push_back(o);
    return out;
}

std::vector<Opener> onFile(const std::vector<Opener>& openers, const FileKey& key)
{
    std::vector<Opener> out;
    for (const auto& o : openers)
        if (!o.blockDevice && o.file == key)
            out.push_back(o);
    return out;
}

// QEMU's lock bytes for the write and resize permissions: a QEMU that holds
// them writes the image (block/file-posix.c, RAW_LOCK_PERM_BASE + bit).
bool qemuWriterLock(const LockEntry& e)
{
    auto covers = [&](std::uint64_t byte) { return e.start <= byte && byte <= e.end; };
    return e.kind != "FLOCK" && e.kind != "LEASE" && (covers(101) || covers(103));
}

std::string lockHolders(const std::vector<Opener>& openers)
{
    std::vector<Opener> holders;
    for (const auto& o : openers)
        if (o.locks)
            holders.push_back(o);
    return holders.empty() ? std::string("another program") : describeOpeners(holders);
}

} // namespace

Result<void> checkDistinct(const std::string& sourcePath, const std::string& targetPath)
{
    return checkDistinct(sourcePath, targetPath, StorageMap::scan());
}

Result<void> checkDistinct(const std::string& sourcePath, const std::string& targetPath,
                           const StorageMap& map)
{
    auto s = pathFacts(sourcePath);
    if (!s)
        return s.error();
    auto t = pathFacts(targetPath);
    if (!t)
        return t.error();
    return checkDistinct(*s, *t, map);
}

Result<void> checkDistinct(const PathFacts& sourceFacts, const PathFacts& targetFacts,
                           const StorageMap& map)
{
    const std::string& sourcePath = sourceFacts.path;
    const std::string& targetPath = targetFacts.path;
    auto s = sourceFacts.identity();
    if (!s)
        return s.error();
    auto t = targetFacts.identity();
    if (!t)
        return t.error();
    if (*s == *t)
        return refusal(EINVAL, Rule::SourceIsTarget,
                       "refusing: source " + sourcePath + " and target " + targetPath +
                           " are the same " + (s->blockDevice ? "device" : "file"));
    const auto rs = map.reachOfNode(sourceFacts.st);
    const auto rt = map.reachOfNode(targetFacts.st);
    if (!rs || !rt)
        return {};
    const std::string target = "target " + pathText(map, targetPath, *t);
    const std::string source = "source " + pathText(map, sourcePath, *s);
    switch (relate(*rt, *rs)) {
    case ReachRelation::Apart:
        return {};
    case ReachRelation::Same:
        return refusal(EINVAL, Rule::SourceIsTarget,
                       "refusing: the " + target + " reaches the same data as the " + source);
    case ReachRelation::Inside:
        return refusal(EINVAL, Rule::TargetInsideSource,
                       "refusing: the " + target + " lies inside the " + source);
    case ReachRelation::Contains:
        return refusal(EINVAL, Rule::TargetContainsSource,
                       "refusing: the " + target + " contains the " + source);
    case ReachRelation::Overlaps:
        return refusal(EINVAL, Rule::TargetOverlapsSource,
                       "refusing: the " + target + " shares part of its data with the " + source);
    }
    return {};
}

Result<void> checkTargetLink(const std::string& target)
{
    struct stat lst
    {
    };
    if (::lstat(target.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
        struct stat st
        {
        };
        if (::stat(target.c_str(), &st) != 0)
            return refusal(ENOENT, Rule::NotAnImageOrDisk,
                           "refusing target " + target +
                               ": it is a symbolic link to something that does not exist");
    }
    return {};
}

Result<void> checkTargetPath(const std::string& target)
{
    if (auto r = checkTargetLink(target); !r)
        return r;
    auto facts = pathFacts(target);
    if (!facts)
        return facts.error();
    return checkTargetPath(*facts);
}

Result<void> checkTargetPath(const PathFacts& facts)
{
    const std::string& target = facts.path;
    if (!facts.exists) {
        // A new image file: where would it go?
        std::string dir = fs::path(target).parent_path().string();
        if (dir.empty())
            dir = ".";
        const std::string real = realPathOf(dir);
        struct stat dst
        {
        };
        if (real.empty() || ::stat(real.c_str(), &dst) != 0)
            return {}; // a missing directory: the permission rule says so
        const std::string sys = systemDirectoryOf(real);
        if (sys == "/dev")
            return refusal(ENOENT, Rule::SystemDirectory,
                           "refusing to create " + target +
                               ": there is no such device, and an image file is never created in "
                               "/dev (a mistyped device name?)");
        const std::string type = fsTypeOf(dst.st_dev);
        if (!sys.empty() || kernelFileSystem(type))
            return refusal(EINVAL, Rule::SystemDirectory,
                           "refusing to create " + target + ": " + real + " is " +
                               (type.empty() ? "a kernel interface" : "on " + type) +
                               ", not storage for an image file");
        return {};
    }
    const struct stat& st = facts.st;
    if (S_ISBLK(st.st_mode))
        return {};
    if (!S_ISREG(st.st_mode))
        return refusal(EINVAL, Rule::NotAnImageOrDisk,
                       "refusing target " + target + ": it is " + kindOf(st.st_mode) +
                           ", not a regular file or block device");
    const std::string real = realPathOf(target);
    const std::string sys = systemDirectoryOf(real);
    const std::string type = fsTypeOf(st.st_dev);
    if (!sys.empty() || kernelFileSystem(type))
        return refusal(EINVAL, Rule::SystemDirectory,
                       "refusing target " + target + ": it is a file in " +
                           (sys.empty() ? type : sys) + ", a kernel interface, not an image file");
    return {};
}

Result<void> checkTargetUse(const std::string& target, const StorageMap& map)
{
    auto facts = pathFacts(target);
    if (!facts)
        return {};
    return checkTargetUse(*facts, map);
}

Result<void> checkTargetUse(const PathFacts& facts, const StorageMap& map)
{
    if (!facts.exists)
        return {};
    const std::string& target = facts.path;
    const struct stat& st = facts.st;
    const auto reach = map.reachOfNode(st);
    if (!reach)
        return {};
    const bool block = S_ISBLK(st.st_mode);
    const auto aliases = map.overlapping(*reach);
    // The device itself and its partitions are the catalog's rules
    // (targetRefusal), which say it in their established words.
    auto own = [&](const BlockNode* d) {
        return block && (d->devnum == st.st_rdev || (d->partition && d->parent == st.st_rdev));
    };
    for (const BlockNode* d : aliases) {
        if (own(d))
            continue;
        const bool backs = !block && d->loop && d->backingKnown && !d->backingIsDevice &&
                           d->backingDev == st.st_dev && d->backingIno == st.st_ino;
        const std::string who = "refusing " + target + ": " +
                                (backs ? "it backs " + d->devnode + ", which is"
                                       : aliasText(map, *d) + " shares its data and is") +
                                " ";
        if (const auto points = map.mountPoints(d->devnum); !points.empty())
            return refusal(EBUSY, Rule::MountedTarget, who + "mounted at " + points.front(),
                           "; unmount it first");
        if (map.swap(d->devnum))
            return refusal(EBUSY, Rule::HeldTarget, who + "in use as swap", "; swapoff first");
        if (!d->holders.empty())
            return refusal(EBUSY, Rule::HeldTarget,
                           who + "held by " + d->holders.front() + " (LVM, RAID or device-mapper)");
    }
    const FileKey self{st.st_dev, st.st_ino};
    if (!block && map.swapFile(st.st_dev, st.st_ino))
        return refusal(EBUSY, Rule::HeldTarget,
                       "refusing " + target + ": it is in use as a swap file", "; swapoff first");

    std::vector<dev_t> devices;
    for (const BlockNode* d : aliases)
        devices.push_back(d->devnum);
    if (block)
        devices.push_back(st.st_rdev);
    std::vector<FileKey> files;
    if (!block)
        files.push_back(self);
    if (reach->base == Reach::Base::File && !(reach->dev == self.dev && reach->ino == self.ino))
        files.push_back({reach->dev, reach->ino});
    const auto openers = findOpeners(devices, files);

    // Writers, on the target itself first: the name a person recognises.
    auto refuseWriters = [&](const std::vector<Opener>& on, const std::string& via) {
        const auto writers = writersOf(on);
        if (writers.empty())
            return std::optional<Error>();
        return std::optional<Error>(refusal(EBUSY, Rule::TargetInUse,
                                            "refusing " + target + ": it is open for writing by " +
                                                describeOpeners(writers) + via +
                                                "; close that program first"));
    };
    if (auto e = refuseWriters(block ? onDevice(openers, st.st_rdev) : onFile(openers, self), ""))
        return *e;
    for (const BlockNode* d : aliases)
        if (!(block && d->devnum == st.st_rdev))
            if (auto e =
                    refuseWriters(onDevice(openers, d->devnum), " through " + aliasText(map, *d)))
                return *e;
    if (files.size() > (block ? 0u : 1u))
        if (auto e = refuseWriters(onFile(openers, files.back()), " through its backing file"))
            return *e;

    // Locks: QEMU and DriveMirror lock every image they use, readers too.
    for (const FileKey& key : files) {
        const auto locks = locksOn(key);
        const auto on = onFile(openers, key);
        const bool held = !locks.empty() || std::any_of(on.begin(), on.end(),
                                                        [](const Opener& o) { return o.locks; });
        if (held)
            return refusal(
                EBUSY, Rule::TargetInUse,
                "refusing " + target + ": " + lockHolders(on) + " holds a lock on " +
                    (key == self ? "it" : "its backing file") +
                    " (QEMU and DriveMirror lock the images they use); stop that program first");
    }
    return {};
}

Result<void> checkImageSourceWriters(const std::string& source)
{
    auto facts = pathFacts(source);
    if (!facts)
        return {};
    return checkImageSourceWriters(*facts);
}

Result<void> checkImageSourceWriters(const PathFacts& facts)
{
    if (!facts.regularFile())
        return {};
    const std::string& source = facts.path;
    const struct stat& st = facts.st;
    const FileKey key{st.st_dev, st.st_ino};
    const auto openers = findOpeners({}, {key});
    if (const auto writers = writersOf(openers); !writers.empty())
        return refusal(
            EBUSY, Rule::SourceInUse,
            "refusing source " + source + ": it is open for writing by " +
                describeOpeners(writers) +
                ", so it would change while it is copied and the copy would not be consistent; "
                "close that program (or shut the virtual machine down) first");
    for (const auto& e : locksOn(key))
        if (e.write || qemuWriterLock(e))
            return refusal(
                EBUSY, Rule::SourceInUse,
                "refusing source " + source + ": " + lockHolders(openers) +
                    " holds a lock on it that says it writes the image; stop that program first");
    return {};
}

SourceUse analyseSourceUse(const std::string& source, const StorageMap& map)
{
    auto facts = pathFacts(source);
    if (!facts)
        return {};
    return analyseSourceUse(*facts, map);
}

SourceUse analyseSourceUse(const PathFacts& facts, const StorageMap& map)
{
    SourceUse use;
    if (!facts.exists)
        return use;
    const std::string& source = facts.path;
    const struct stat& st = facts.st;
    const auto reach = map.reachOfNode(st);
    if (!reach)
        return use;
    const bool block = S_ISBLK(st.st_mode);

    // The device whose write tracking sees every write that changes the
    // source: the source device, or a loop device over all of the image.
    const BlockNode* tracked = block ? map.find(st.st_rdev) : nullptr;
    if (!block)
        for (const auto& n : map.nodes())
            if (n.loop && n.backingKnown && !n.backingIsDevice && n.backingDev == st.st_dev &&
                n.backingIno == st.st_ino && n.loopOffset == 0 && n.size > 0 &&
                static_cast<std::uint64_t>(st.st_size) -
                        std::min<std::uint64_t>(n.size, st.st_size) <
                    512) {
                tracked = &n;
                break;
            }
    if (block)
        use.trackDevice = source;
    else if (tracked)
        use.trackDevice = tracked->devnode;

    const auto aliases = map.overlapping(*reach);
    std::vector<dev_t> devices;
    for (const BlockNode* d : aliases)
        devices.push_back(d->devnum);
    std::vector<FileKey> files;
    if (reach->base == Reach::Base::File)
        files.push_back({reach->dev, reach->ino});
    const auto openers = findOpeners(devices, files);

    const std::string what = "refusing source " + source + ": ";
    // A process that writes the image file itself bypasses every block
    // device: nothing can track it.
    if (!files.empty())
        if (const auto writers = writersOf(onFile(openers, files.front())); !writers.empty()) {
            use.refusal =
                refusal(EBUSY, Rule::SourceInUse,
                        what + (block ? "its backing file is" : "it is") + " open for writing by " +
                            describeOpeners(writers) +
                            ", so it would change while it is copied, and those writes cannot be "
                            "tracked; close that program (or shut the virtual machine down) first");
            return use;
        }

    for (const BlockNode* d : aliases) {
        const auto points = map.mountPoints(d->devnum);
        const auto writers = writersOf(onDevice(openers, d->devnum));
        const bool busy =
            !points.empty() || map.swap(d->devnum) || !d->holders.empty() || !writers.empty();
        if (!busy)
            continue;
        const bool throughTracked = tracked && passesThrough(map, d, tracked->devnum);
        // The partition's disk: its writes land in the same queue, where
        // tracking of a partition filters them by sector range.
        const bool trackedsDisk = tracked && tracked->partition && d->devnum == tracked->parent;
        const bool frozen =
            tracked && (d == tracked || (d->partition && d->parent == tracked->devnum));
        const std::string how = !points.empty()       ? "mounted at " + points.front()
                                : map.swap(d->devnum) ? std::string("in use as swap")
                                : !d->holders.empty()
                                    ? "held by " + d->holders.front()
                                    : "open for writing by " + describeOpeners(writers);
        if (!throughTracked && !trackedsDisk) {
            const std::string alias = aliasText(map, *d);
            use.refusal = refusal(
                EBUSY, Rule::SourceInUse,
                what + alias + " shares its data and is " + how + ". " +
                    (tracked ? "Its writes do not pass through " + tracked->devnode +
                                   ", so they cannot be tracked"
                             : std::string(
                                   "Writes through a loop device over part of the file, or over "
                                   "another loop device, cannot be tracked for the file")) +
                    "; mirror " + d->devnode + " itself, or stop using it first");
            return use;
        }
        if (!frozen && !points.empty()) {
            use.refusal = refusal(EBUSY, Rule::SourceInUse,
                                  what + aliasText(map, *d) + " is " + how +
                                      ", and Complete can only freeze file systems on " +
                                      tracked->devnode + " and its partitions; mirror " +
                                      d->devnode + " itself, or unmount it first");
            return use;
        }
        use.inUse = true;
        for (const auto& p : points)
            use.mountPoints.push_back(p);
    }
    return use;
}

} // namespace engine
