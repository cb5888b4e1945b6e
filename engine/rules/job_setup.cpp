#include "rules/job_setup.h"

#include "base/units.h"
#include "device/device_catalog.h"
#include "device/mounts.h"
#include "device/signatures.h"
#include "device/storage_map.h"
#include "io/disk.h"
#include "io/resolve.h"
#include "rules/safety.h"
#include "track/freeze.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>

namespace engine {

namespace fs = std::filesystem;

namespace {

std::string sysfsDevDir(dev_t dev)
{
    return "/sys/dev/block/" + std::to_string(major(dev)) + ":" + std::to_string(minor(dev));
}

bool sysfsReadOnly(dev_t dev)
{
    std::ifstream in(sysfsDevDir(dev) + "/ro");
    int ro = 0;
    return (in >> ro) && ro != 0;
}

std::vector<std::string> sysfsPartitions(dev_t dev)
{
    std::vector<std::string> out;
    std::error_code ec;
    const fs::path dir = fs::canonical(sysfsDevDir(dev), ec);
    if (ec)
        return out;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (fs::exists(entry.path() / "partition", ec))
            out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

std::string modeText(mode_t mode)
{
    char m[8];
    std::snprintf(m, sizeof m, "%04o", static_cast<unsigned>(mode & 07777));
    return m;
}

struct FreeDeleter
{
    void operator()(void* p) const { std::free(p); }
};

// The catalog's view of use (mounts, swap, holders, read-only) built from
// sysfs alone, for targetRefusal: the same rules as the device list without
// enumerating through udev and probing every disk's contents.
std::vector<DeviceInfo> usageCatalog(const StorageMap& map)
{
    std::vector<DeviceInfo> out;
    for (const auto& n : map.nodes()) {
        // What enumerateDevices leaves out: nothing there, or memory.
        if (n.size == 0 || n.name.rfind("ram", 0) == 0 || n.name.rfind("zram", 0) == 0)
            continue;
        DeviceInfo d;
        d.name = n.name;
        d.devnode = n.devnode;
        d.devnum = n.devnum;
        d.isPartition = n.partition;
        if (n.partition)
            if (const BlockNode* parent = map.find(n.parent))
                d.parent = parent->name;
        d.size = n.size;
        d.readOnly = n.readOnly;
        d.mountPoints = map.mountPoints(n.devnum);
        d.swap = map.swap(n.devnum);
        d.holders = n.holders;
        out.push_back(std::move(d));
    }
    return out;
}

// What a partition table or file system looks like when libblkid rejects
// it as damaged (a GPT header with a bad checksum, a boot sector without
// valid entries): still a disk someone used, so still data.
std::string damagedSignature(int fd, std::uint64_t size)
{
    constexpr std::size_t kBytes = 8192;
    if (size < kBytes)
        return {};
    void* raw = nullptr;
    if (::posix_memalign(&raw, 4096, kBytes) != 0)
        return {};
    std::unique_ptr<unsigned char, FreeDeleter> holder(static_cast<unsigned char*>(raw));
    unsigned char* buf = holder.get();
    if (::pread(fd, buf, kBytes, 0) != static_cast<ssize_t>(kBytes))
        return {};
    if (std::memcmp(buf + 512, "EFI PART", 8) == 0 || std::memcmp(buf + 4096, "EFI PART", 8) == 0)
        return "a GPT partition table";
    if (buf[510] == 0x55 && buf[511] == 0xAA)
        return "a partition table (MBR)";
    return {};
}

constexpr std::string_view kFileIdPrefix = "file:";

// An imageFileId() taken apart.
struct ImageFileId
{
    std::uint64_t devMajor = 0;
    std::uint64_t devMinor = 0;
    std::uint64_t ino = 0;
    std::uint64_t size = 0;
};

std::optional<ImageFileId> parseImageFileId(std::string_view id)
{
    if (!id.starts_with(kFileIdPrefix))
        return std::nullopt;
    id.remove_prefix(kFileIdPrefix.size());
    std::uint64_t parts[4] = {};
    for (std::size_t i = 0; i < std::size(parts); ++i) {
        if (i > 0) {
            if (id.empty() || id.front() != ':')
                return std::nullopt;
            id.remove_prefix(1);
        }
        const char* begin = id.data();
        const auto [end, ec] = std::from_chars(begin, begin + id.size(), parts[i]);
        if (ec != std::errc{} || end == begin)
            return std::nullopt;
        id.remove_prefix(static_cast<std::size_t>(end - begin));
    }
    if (!id.empty())
        return std::nullopt;
    return ImageFileId{parts[0], parts[1], parts[2], parts[3]};
}

std::string deviceText(std::uint64_t devMajor, std::uint64_t devMinor)
{
    return std::to_string(devMajor) + ":" + std::to_string(devMinor);
}

Error fileAppeared(const std::string& target)
{
    return refusal(EEXIST, Rule::TargetIdentity,
                   "refusing the target: a file appeared at " + target +
                       " since you confirmed it would be created as a new image file");
}

// Why @p target, as @p now shows it (nullptr: nothing is there), is not what
// @p expected (an imageFileId() or kAbsentTargetId) names; nullopt when it is.
std::optional<Error> imageIdentityMismatch(const std::string& target, const std::string& expected,
                                           const struct stat* now)
{
    if (expected == kAbsentTargetId) {
        if (!now)
            return std::nullopt;
        return fileAppeared(target);
    }
    const auto want = parseImageFileId(expected);
    if (!want)
        return refusal(EINVAL, Rule::TargetIdentity,
                       "refusing " + target + ": '" + expected +
                           "' is no image file identity (file:DEVMAJ:DEVMIN:INO:SIZE, or " +
                           std::string(kAbsentTargetId) + ")");
    if (!now)
        return refusal(ENOENT, Rule::TargetIdentity,
                       "refusing " + target +
                           ": the image file you confirmed is gone (deleted or renamed "
                           "since), and no new one is created in its place");
    if (!S_ISREG(now->st_mode))
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + target + ": it is " +
                           (S_ISBLK(now->st_mode) ? "a block device" : "no regular file") +
                           " now, not the image file you confirmed");
    const std::uint64_t devMajor = major(now->st_dev);
    const std::uint64_t devMinor = minor(now->st_dev);
    const auto ino = static_cast<std::uint64_t>(now->st_ino);
    if (devMajor != want->devMajor || devMinor != want->devMinor)
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + target + ": it is another file now (inode " +
                           std::to_string(ino) + " on device " + deviceText(devMajor, devMinor) +
                           ", was inode " + std::to_string(want->ino) + " on device " +
                           deviceText(want->devMajor, want->devMinor) +
                           "), not the image file you confirmed");
    if (ino != want->ino)
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + target + ": it is another file now (inode " +
                           std::to_string(ino) + ", was " + std::to_string(want->ino) +
                           "), not the image file you confirmed");
    const auto size = static_cast<std::uint64_t>(now->st_size);
    if (size < want->size)
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + target + ": it was truncated from " +
                           std::to_string(want->size) + " to " + std::to_string(size) +
                           " bytes since you confirmed the image file");
    if (size > want->size)
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + target + ": it grew from " + std::to_string(want->size) +
                           " to " + std::to_string(size) +
                           " bytes since you confirmed the image file, so another program "
                           "writes it");
    return std::nullopt;
}

// The identity the user confirmed, checked on the descriptor the job writes
// through: the path may name something else by now than when it was
// checked, and only the descriptor says what will be written. @p created:
// the file this job created (then nothing may have taken its place);
// @p confirmedDevice: the device number whose stable identity was checked.
Result<void> checkOpenedTarget(const Disk& target, const std::string& expected,
                               const std::optional<DiskIdentity>& created, dev_t confirmedDevice)
{
    struct stat st
    {
    };
    if (::fstat(target.fd(), &st) != 0)
        return systemError(errno, "stat " + target.path());
    if (created) {
        if (S_ISREG(st.st_mode) && st.st_dev == created->dev && st.st_ino == created->ino)
            return {};
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing the target: another file took the place of the image "
                       "file created at " +
                           target.path() + " before it was opened (inode " +
                           std::to_string(st.st_ino) + ", created " + std::to_string(created->ino) +
                           ")");
    }
    if (isImageFileId(expected)) {
        if (auto why = imageIdentityMismatch(target.path(), expected, &st))
            return *why;
        return {};
    }
    if (!expected.empty() && (!S_ISBLK(st.st_mode) || st.st_rdev != confirmedDevice))
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + target.path() +
                           ": what was opened is not the device whose identity was "
                           "checked (" +
                           expected + "); it changed while it was opened");
    return {};
}

} // namespace

std::string imageFileId(dev_t dev, ino_t ino, std::uint64_t size)
{
    return std::string(kFileIdPrefix) + deviceText(major(dev), minor(dev)) + ":" +
           std::to_string(static_cast<std::uint64_t>(ino)) + ":" + std::to_string(size);
}

bool isImageFileId(std::string_view id)
{
    return id == kAbsentTargetId || id.starts_with(kFileIdPrefix);
}

Result<std::uint64_t> storageSize(const std::string& path)
{
    auto facts = pathFacts(path);
    if (!facts)
        return facts.error();
    if (auto id = facts->identity(); !id)
        return id.error();
    if (!facts->size)
        return Error{ENODEV, path + ": no size in sysfs"};
    return *facts->size;
}

Result<void> checkSourceCandidate(const std::string& source)
{
    auto facts = pathFacts(source);
    if (!facts)
        return facts.error();
    return checkSourceCandidate(*facts);
}

Result<void> checkSourceCandidate(const PathFacts& facts)
{
    const std::string& source = facts.path;
    auto id = facts.identity();
    if (!id)
        return id.error();
    if (::access(source.c_str(), R_OK) != 0) {
        const int err = errno;
        return refusal(err, id->blockDevice ? Rule::NeedsRoot : Rule::Permission,
                       "cannot read " + source + ": " + errnoText(err));
    }
    if (!id->blockDevice)
        if (auto r = checkImageSourceWriters(facts); !r)
            return r;
    return {};
}

namespace {

Error tooSmall(const std::string& target, std::uint64_t targetSize, std::uint64_t sourceSize)
{
    // "16.0 MiB vs 16.0 MiB" explains nothing: exact bytes when the rounded
    // sizes look the same.
    std::string t = formatBytes(targetSize);
    std::string s = formatBytes(sourceSize);
    if (t == s) {
        t = std::to_string(targetSize) + " bytes";
        s = std::to_string(sourceSize) + " bytes";
    }
    return refusal(ENOSPC, Rule::TargetTooSmall,
                   "refusing target " + target + " (" + t + "): it is smaller than the source (" +
                       s + ")");
}

// The block-device rules of checkTargetCandidate, in its order. @p checkUse
// adds checkTargetUse, which reads every process's open files.
// @p sourceFacts and @p targetFacts: both looked up already (a job's
// setup); nullptr: the rules look the paths up themselves (a list's row).
Result<void> deviceRules(const std::string& target, dev_t rdev, const TargetDeviceContext& c,
                         bool checkUse, const PathFacts* sourceFacts = nullptr,
                         const PathFacts* targetFacts = nullptr)
{
    if (!c.source.empty() && c.map)
        if (auto r = sourceFacts && targetFacts ? checkDistinct(*sourceFacts, *targetFacts, *c.map)
                                                : checkDistinct(c.source, target, *c.map);
            !r)
            return r;
    // The catalog's rules: mounted (also a partition), swap, held by
    // LVM/RAID/dm, the system disk, read-only.
    const std::vector<DeviceInfo>& all = *c.catalog;
    const auto it =
        std::find_if(all.begin(), all.end(), [&](const DeviceInfo& d) { return d.devnum == rdev; });
    // A device the catalog does not know (no medium, size 0) cannot be
    // checked, so it is not written either.
    if (it == all.end())
        return refusal(ENODEV, Rule::UnknownDevice,
                       "refusing " + target +
                           ": the device list does not know it, so its use cannot be checked");
    if (auto why = targetDeviceRefusal(*it, all))
        return *why;
    // The same rules for every other name of these bytes: loop devices over
    // the target, processes and locks.
    if (checkUse && c.map)
        if (auto r =
                targetFacts ? checkTargetUse(*targetFacts, *c.map) : checkTargetUse(target, *c.map);
            !r)
            return r;
    if (sysfsReadOnly(rdev))
        return refusal(EROFS, Rule::ReadOnlyTarget,
                       "refusing " + target +
                           ": the device is read-only (write-protected or set read-only)");
    if (c.writableHere && ::access(target.c_str(), W_OK) != 0) {
        const int err = errno;
        return refusal(err, Rule::NeedsRoot, "cannot write " + target + ": " + errnoText(err));
    }
    if (!c.source.empty() && c.sourceSize && it->size < *c.sourceSize)
        return tooSmall(target, it->size, *c.sourceSize);
    return {};
}

} // namespace

Result<void> checkTargetCandidate(const std::string& source, const std::string& target)
{
    // The rest of checkTargetPath runs on the facts below.
    if (auto r = checkTargetLink(target); !r)
        return r;
    auto targetFacts = pathFacts(target);
    if (!targetFacts)
        return targetFacts.error();
    std::optional<PathFacts> sourceFacts;
    if (!source.empty()) {
        // A source that cannot be looked up has no size: the size rule is
        // left to the job, which opens it.
        auto f = pathFacts(source);
        sourceFacts = f ? std::move(*f) : PathFacts{source, false, {}, std::nullopt};
    }
    return checkTargetCandidate(sourceFacts ? &*sourceFacts : nullptr, *targetFacts,
                                targetFacts->exists ? StorageMap::scan() : StorageMap());
}

Result<void> checkTargetCandidate(const PathFacts* sourceFacts, const PathFacts& facts,
                                  const StorageMap& map)
{
    if (auto r = checkTargetPath(facts); !r)
        return r;
    const std::string& target = facts.path;
    const std::string source = sourceFacts ? sourceFacts->path : std::string();
    const struct stat& st = facts.st;
    if (!facts.exists) {
        // A new file: its directory must exist and take it.
        std::string dir = fs::path(target).parent_path().string();
        if (dir.empty())
            dir = ".";
        if (::access(dir.c_str(), W_OK | X_OK) != 0) {
            const int err = errno;
            return refusal(err, Rule::Permission,
                           "cannot create target " + target + ": " + errnoText(err));
        }
        if (!source.empty() && fs::path(source) == fs::path(target))
            return refusal(EINVAL, Rule::SourceIsTarget,
                           "refusing: source and target are the same path " + target);
        return {};
    }
    const bool block = S_ISBLK(st.st_mode);
    if (!block && !S_ISREG(st.st_mode))
        return Error{EINVAL, target + ": not a regular file or block device"};
    const std::optional<std::uint64_t> sourceSize =
        sourceFacts && sourceFacts->identity() ? sourceFacts->size : std::nullopt;
    if (block) {
        const auto all = usageCatalog(map);
        TargetDeviceContext context;
        context.source = source;
        context.sourceSize = sourceSize;
        context.catalog = &all;
        context.map = &map;
        return deviceRules(target, st.st_rdev, context, true, sourceFacts, &facts);
    }
    if (sourceFacts) {
        if (auto r = checkDistinct(*sourceFacts, facts, map); !r)
            return r;
    }
    // The same rules for every other name of these bytes: a loop device
    // over the file, processes and locks.
    if (auto r = checkTargetUse(facts, map); !r)
        return r;
    // Root may open a file without write permission; a disk tool must not:
    // a read-only mode is the owner's "do not overwrite".
    if ((st.st_mode & 0222) == 0)
        return refusal(EROFS, Rule::ReadOnlyTarget,
                       "refusing " + target + ": the file is read-only (mode " +
                           modeText(st.st_mode) + ")");
    if (::access(target.c_str(), W_OK) != 0) {
        const int err = errno;
        return refusal(err, Rule::Permission, "cannot write " + target + ": " + errnoText(err));
    }
    if (sourceSize && static_cast<std::uint64_t>(st.st_size) < *sourceSize)
        return tooSmall(target, static_cast<std::uint64_t>(st.st_size), *sourceSize);
    return {};
}

Result<void> checkTargetDevice(const std::string& target, const TargetDeviceContext& context)
{
    struct stat st
    {
    };
    if (::stat(target.c_str(), &st) != 0)
        return systemError(errno, target);
    if (!S_ISBLK(st.st_mode))
        return Error{EINVAL, target + ": not a block device"};
    return deviceRules(target, st.st_rdev, context, false);
}

Result<void> checkTargetRoom(const std::string& source, const std::string& target,
                             const JobOptions& options)
{
    auto s = pathFacts(source);
    auto t = pathFacts(target);
    if (!s || !t)
        return {};
    return checkTargetRoom(*s, *t, options);
}

Result<void> checkTargetRoom(const PathFacts& sourceFacts, const PathFacts& targetFacts,
                             const JobOptions& options)
{
    if (options.sync == SyncMode::None)
        return {}; // only new writes are copied: nothing to estimate
    if (!sourceFacts.exists || !sourceFacts.identity() || !sourceFacts.size)
        return {};
    const std::optional<std::uint64_t> sourceSize = sourceFacts.size;
    const struct stat& ss = sourceFacts.st;
    const std::string& target = targetFacts.path;
    const struct stat& ts = targetFacts.st;
    const bool exists = targetFacts.exists;
    if (exists && !S_ISREG(ts.st_mode))
        return {}; // a block device: the size rule covers it
    // What the copy allocates: holes and zeroes stay holes with unmap, and
    // become allocated zeroes without it in a full sync. A block device
    // counts as fully allocated, as the copy does.
    std::uint64_t data = *sourceSize;
    if (S_ISREG(ss.st_mode) && !(options.sync == SyncMode::Full && !options.unmap))
        data = std::min<std::uint64_t>(static_cast<std::uint64_t>(ss.st_blocks) * 512, data);
    const std::uint64_t held = exists ? static_cast<std::uint64_t>(ts.st_blocks) * 512 : 0;
    const std::uint64_t need = data > held ? data - held : 0;
    if (need == 0)
        return {};
    std::string where = target;
    if (!exists) {
        where = fs::path(target).parent_path().string();
        if (where.empty())
            where = ".";
    }
    struct statvfs vfs
    {
    };
    if (::statvfs(where.c_str(), &vfs) != 0)
        return {};
    // Root may use the blocks the file system reserves for it.
    const std::uint64_t blocks = ::geteuid() == 0 ? vfs.f_bfree : vfs.f_bavail;
    const std::uint64_t free = blocks * static_cast<std::uint64_t>(vfs.f_frsize);
    if (need <= free)
        return {};
    return refusal(
        ENOSPC, Rule::NoRoomForTarget,
        "refusing target " + target + ": its file system has " + formatBytes(free) +
            " free, but the copy needs " + formatBytes(need) + " more (the source holds " +
            formatBytes(data) + " of data" +
            (held ? ", of which the target already holds " + formatBytes(held) : std::string()) +
            "); free space there or choose another place");
}

std::string dataSignature(const Disk& disk)
{
    const auto found = probeSignatures(disk.bufferedFd());
    // A GPT says most about a whole disk. A file system comes before an MBR:
    // FAT, exFAT and NTFS boot sectors end in the MBR's 0x55AA, so libblkid
    // reports a "dos" table on them as well.
    for (const auto& sig : found)
        if (sig.partitionTable && sig.type == "gpt")
            return describeSignature(sig);
    for (const auto& sig : found)
        if (!sig.partitionTable)
            return describeSignature(sig);
    if (!found.empty())
        return describeSignature(found.front());
    return damagedSignature(disk.bufferedFd(), disk.size());
}

Result<TargetFacts> inspectTarget(const std::string& target)
{
    TargetFacts facts;
    struct stat st
    {
    };
    if (::stat(target.c_str(), &st) != 0) {
        if (errno != ENOENT)
            return systemError(errno, target);
        facts.identity = kAbsentTargetId;
        return facts;
    }
    facts.exists = true;
    facts.blockDevice = S_ISBLK(st.st_mode);
    if (S_ISREG(st.st_mode))
        facts.identity = imageFileId(st.st_dev, st.st_ino, static_cast<std::uint64_t>(st.st_size));
    auto size = storageSize(target);
    if (!size)
        return size.error();
    facts.size = *size;
    if (facts.blockDevice)
        facts.partitions = sysfsPartitions(st.st_rdev);
    auto disk = Disk::open(target, {Disk::Access::ReadOnly, true, false});
    if (disk) {
        facts.signatureReadable = true;
        facts.dataSignature = dataSignature(*disk);
    }
    return facts;
}

TargetReview reviewTarget(const std::string& source, const std::string& target,
                          const std::string& expectedTargetId)
{
    TargetReview out;
    if (auto r = checkTargetCandidate(source, target); !r)
        out.refusal = r.error();
    auto facts = inspectTarget(target);
    if (facts)
        out.facts = *facts;
    else if (!out.refusal)
        out.refusal = facts.error();
    if (facts && facts->blockDevice) {
        struct stat st
        {
        };
        const auto all = enumerateDevices();
        if (::stat(target.c_str(), &st) == 0)
            for (const auto& d : all)
                if (d.devnum == st.st_rdev)
                    out.device = d;
        if (out.device) {
            out.facts.identity = out.device->stableId();
            for (const auto& d : all)
                if (d.isPartition && d.parent == out.device->name)
                    out.partitions.push_back(d);
        }
    }
    if (isImageFileId(expectedTargetId)) {
        struct stat st
        {
        };
        const bool exists = ::stat(target.c_str(), &st) == 0;
        if (exists || errno == ENOENT) {
            if (auto why = imageIdentityMismatch(target, expectedTargetId, exists ? &st : nullptr))
                out.refusal = *why;
        } else if (!out.refusal) {
            out.refusal = systemError(errno, target);
        }
    } else if (!expectedTargetId.empty()) {
        if (!facts || !facts->blockDevice)
            out.refusal = refusal(EINVAL, Rule::TargetIdentity,
                                  "an expected identity names a disk, but " + target +
                                      " is not a block device (any more)");
        else if (!out.device)
            out.refusal =
                refusal(ENODEV, Rule::TargetIdentity,
                        "refusing " + target + ": it is not in the device list any more, not " +
                            expectedTargetId);
        else if (out.device->stableId() != expectedTargetId)
            out.refusal = refusal(ESTALE, Rule::TargetIdentity,
                                  "refusing " + target + ": it is " + out.device->stableId() +
                                      ", not " + expectedTargetId);
    }
    return out;
}

namespace {

// What a job may overwrite only with the user's explicit consent: a
// recognised signature, partitions the kernel knows (their table may be
// damaged or elsewhere), or a start that cannot even be read; empty for a
// blank disk.
std::string dataOnDevice(const Disk& disk)
{
    if (std::string sig = dataSignature(disk); !sig.empty())
        return sig;
    struct stat st
    {
    };
    if (::fstat(disk.fd(), &st) == 0) {
        const auto parts = sysfsPartitions(st.st_rdev);
        if (!parts.empty()) {
            std::string names;
            for (const auto& p : parts)
                names += (names.empty() ? "" : ", ") + p;
            return std::to_string(parts.size()) +
                   (parts.size() == 1 ? " partition (" : " partitions (") + names + ")";
        }
    }
    constexpr std::size_t kProbe = 8192;
    void* raw = nullptr;
    if (disk.size() >= kProbe && ::posix_memalign(&raw, 4096, kProbe) == 0) {
        std::unique_ptr<void, FreeDeleter> holder(raw);
        if (::pread(disk.bufferedFd(), raw, kProbe, 0) != static_cast<ssize_t>(kProbe))
            return "a start that cannot be read, so what it holds is unknown";
    }
    return {};
}

// The identity a job through pkexec or sudo must be bound to, as it is now,
// so that the refusal can say what to pass after checking.
std::string identityNow(const ResolvedPath& r, const Logger& log)
{
    if (!r.exists())
        return std::string(kAbsentTargetId);
    if (S_ISREG(r.st.st_mode))
        return imageFileId(r.st.st_dev, r.st.st_ino, static_cast<std::uint64_t>(r.st.st_size));
    if (S_ISBLK(r.st.st_mode))
        if (auto info = describeDevice(r.real, log))
            return info->stableId();
    return {};
}

} // namespace

Result<PreparedJob> prepareJob(JobSetup setup, const Logger& logger)
{
    const Logger log = orNull(logger);
    auto options = ValidOptions::check(MirrorOptions{setup.options, setup.quiescer});
    if (!options)
        return options.error();
    const Invoker& who = setup.invoker;

    // Each path is looked up once. The rules that work by name look at the
    // real (symlink-free) paths, whose nodes are checked again against the
    // pinned ones before anything is opened for I/O; the data descriptors
    // come from the pinned nodes.
    auto srcR = resolvePath(setup.source, who);
    if (!srcR)
        return withContext("source: ", srcR.error());
    if (!srcR->exists())
        return Error{ENOENT, "source: " + setup.source + ": " + errnoText(ENOENT)};
    auto dstR = resolvePath(setup.target, who);
    if (!dstR)
        return withContext("target: ", dstR.error());
    const std::string source = srcR->real;
    const std::string target = dstR->real;
    // What each path names, identified once: every rule below reads these.
    const PathFacts srcFacts = factsOf(*srcR);
    const PathFacts dstFacts = factsOf(*dstR);
    auto srcId = srcFacts.identity();
    if (!srcId)
        return Error{srcId.error().code,
                     "source: " + setup.source + ": " + errnoText(srcId.error().code)};

    const bool targetExists = dstR->exists();
    const struct stat& st = dstR->st;
    // The confirmed image file (or its absence) first: any other verdict
    // would be about a file the user did not confirm. Checked again on the
    // opened descriptor below.
    const bool boundToFile = isImageFileId(setup.expectedTargetId);
    if (boundToFile)
        if (auto why = imageIdentityMismatch(setup.target, setup.expectedTargetId,
                                             targetExists ? &st : nullptr))
            return *why;
    if (who.elevated && setup.expectedTargetId.empty()) {
        const std::string now = identityNow(*dstR, log);
        return refusal(EPERM, Rule::TargetIdentity,
                       "refusing " + setup.target + ": run through " + who.via + " for " +
                           who.name +
                           ", a job writes only the target that was confirmed: pass --expect-id "
                           "with its identity" +
                           (now.empty() ? std::string() : " (now " + now + ")") +
                           " after checking that it is the one you mean");
    }
    // Through pkexec or sudo, image files are read and written as the user
    // who asked, never with root's rights.
    UniqueFd srcPin;
    UniqueFd dstPin;
    if (who.elevated && !srcId->blockDevice) {
        auto fd = openAsInvoker(*srcR, who, O_RDONLY);
        if (!fd)
            return fd.error();
        srcPin = std::move(*fd);
    }
    // The target only as a test of the user's rights for now: held open
    // for writing, it would count as a writer of its own in the rules below.
    const bool targetAsUser = who.elevated && targetExists && S_ISREG(st.st_mode);
    if (targetAsUser)
        if (auto fd = openAsInvoker(*dstR, who, O_RDWR); !fd)
            return fd.error();
    // One look at the machine's storage for every rule of this job.
    const StorageMap map = StorageMap::scan();
    if (auto r = checkSourceCandidate(srcFacts); !r)
        return r.error();
    if (auto r = checkTargetCandidate(&srcFacts, dstFacts, map); !r)
        return r.error();

    const bool targetIsDevice = targetExists && S_ISBLK(st.st_mode);
    if ((srcId->blockDevice || targetIsDevice) && ::geteuid() != 0)
        return refusal(EPERM, Rule::NeedsRoot,
                       "block devices need root: run drivemirror-cli with sudo, or let the desktop "
                       "app ask for authorisation");
    dev_t confirmedDevice = 0;
    if (!setup.expectedTargetId.empty() && !boundToFile) {
        if (!targetIsDevice)
            return refusal(EINVAL, Rule::TargetIdentity,
                           "an expected identity names a disk, but " + setup.target +
                               " is not a block device");
        auto info = describeDevice(target, log);
        if (!info)
            return withContext("target: ", info.error());
        if (info->stableId() != setup.expectedTargetId)
            return refusal(ESTALE, Rule::TargetIdentity,
                           "refusing " + setup.target + ": it is " + info->stableId() + ", not " +
                               setup.expectedTargetId);
        if (info->devnum != st.st_rdev)
            return refusal(ESTALE, Rule::TargetIdentity,
                           "refusing " + setup.target + ": " + target +
                               " changed while it was checked");
        confirmedDevice = info->devnum;
    }

    // Who else writes the source, and whether the job can see those writes.
    const SourceUse use = analyseSourceUse(srcFacts, map);
    if (use.refusal)
        return *use.refusal;
    // What root is needed for: a disk on either side, or tracking the
    // writes of a loop device over an image source. Two image files are the
    // user's own business, without root.
    if (who.elevated && !srcId->blockDevice && !targetIsDevice && use.trackDevice.empty())
        return refusal(
            EPERM, Rule::HelperScope,
            "refusing: " + setup.source + " and " + setup.target + " are both image files, which " +
                who.name +
                " can mirror without administrator rights; run drivemirror-cli without " + who.via);

    PreparedJob prepared;
    if (srcId->blockDevice) {
        if (setup.trackWrites) {
            auto live = LiveSource::create(source, {}, log);
            if (!live)
                return refusal(live.error().code, Rule::LiveSourceNeedsTracking,
                               "cannot track writes to " + setup.source + ": " +
                                   live.error().message,
                               {}, "; turn tracking off only if nothing writes to the source");
            prepared.live = std::move(*live);
            options->setQuiescer(prepared.live->quiescer());
            // Complete could never freeze it; better said now than at READY.
            if (const std::string point = frozenMountPoint(prepared.live->mountPoints());
                !point.empty())
                return refusal(EBUSY, Rule::SourceFrozen,
                               "refusing source " + setup.source + ": its file system at " + point +
                                   " is frozen already (by another program, or by a run that was "
                                   "killed); thaw it with fsfreeze -u " +
                                   point + " and start again");
        } else {
            const auto mounts = mountPointsOf(major(srcId->rdev), minor(srcId->rdev));
            if (!mounts.empty())
                return refusal(EBUSY, Rule::LiveSourceNeedsTracking,
                               "refusing to mirror " + setup.source +
                                   " without write tracking: it is mounted at " + mounts.front());
            log->warn("write tracking is off: writes to {} during the job would be missed",
                      setup.source);
        }
    } else if (!use.trackDevice.empty()) {
        // An image the kernel writes through a loop device over all of it:
        // the loop device's writes are the image's writes, offset for offset.
        const std::string& dev = use.trackDevice;
        const std::string state = use.mountPoints.empty() ? std::string("in use")
                                                          : "mounted at " + use.mountPoints.front();
        if (setup.trackWrites && ::geteuid() == 0) {
            auto live = LiveSource::create(dev, {}, log);
            if (live) {
                prepared.live = std::move(*live);
                options->setQuiescer(prepared.live->quiescer());
            } else if (use.inUse) {
                return refusal(live.error().code, Rule::LiveSourceNeedsTracking,
                               "cannot track writes to " + setup.source + " through " + dev +
                                   ", which is " + state + ": " + live.error().message);
            } else {
                log->warn("{} backs {}, whose writes cannot be tracked ({}); nothing uses it "
                          "now, and writes through it during the job would be missed",
                          setup.source, dev, live.error().message);
            }
        } else if (use.inUse) {
            if (!setup.trackWrites)
                return refusal(EBUSY, Rule::LiveSourceNeedsTracking,
                               "refusing to mirror " + setup.source +
                                   " without write tracking: it backs " + dev + ", which is " +
                                   state);
            return refusal(EPERM, Rule::NeedsRoot,
                           "refusing source " + setup.source + ": it backs " + dev + ", which is " +
                               state +
                               ", so it changes while it is copied; only root can track those "
                               "writes: run drivemirror-cli with sudo, or stop using " +
                               dev + " first");
        } else {
            log->warn("{} backs {}: writes through it during the job would be missed", setup.source,
                      dev);
        }
    }

    // Checked before the target file is created or anything is written.
    if (!targetIsDevice)
        if (auto r = checkTargetRoom(srcFacts, dstFacts, setup.options); !r)
            return r.error();
    // The rules above looked the real paths up by name: they were about the
    // pinned nodes only if those names still lead there.
    for (const ResolvedPath* r : {&*srcR, &*dstR})
        if (r->exists() && !r->stillNamed())
            return refusal(ESTALE, Rule::TargetIdentity,
                           "refusing " + r->given + ": " + r->real +
                               " changed while it was checked");

    auto sourceDisk = Disk::open(srcPin.valid() ? procFdPath(srcPin.get()) : srcR->nodePath(),
                                 setup.source, {Disk::Access::ReadOnly, true, false}, log);
    if (!sourceDisk)
        return withContext("source: ", sourceDisk.error());
    // Held for the job's life: QEMU and other jobs cannot write it meanwhile.
    if (auto r = sourceDisk->lockImage(Disk::Lock::Shared); !r)
        return refusal(r.error().code, Rule::SourceInUse,
                       "refusing the source: " + r.error().message);

    if (targetAsUser) {
        auto fd = openAsInvoker(*dstR, who, O_RDWR);
        if (!fd)
            return fd.error();
        dstPin = std::move(*fd);
    }
    std::optional<DiskIdentity> created;
    if (!targetExists) {
        auto made = createAsInvoker(*dstR, who, 0644);
        if (!made) {
            // O_EXCL lost the race: something appeared since the check.
            if (boundToFile && made.error().code == EEXIST)
                return fileAppeared(setup.target);
            return withContext("target: ", made.error());
        }
        struct stat cst
        {
        };
        if (::fstat(made->get(), &cst) != 0 ||
            ::ftruncate(made->get(), static_cast<off_t>(sourceDisk->size())) != 0) {
            const int err = errno;
            ::unlinkat(dstR->dir.get(), dstR->name.c_str(), 0);
            return systemError(err, "resize " + setup.target);
        }
        DiskIdentity id;
        id.dev = cst.st_dev;
        id.ino = cst.st_ino;
        created = id;
        dstPin = std::move(*made);
        prepared.targetCreated = true;
    }
    auto removeCreated = [&] {
        if (created)
            (void)removeFileIfStill(dstR->dir.get(), dstR->name, *created);
    };

    auto targetDisk = Disk::open(dstPin.valid() ? procFdPath(dstPin.get()) : dstR->nodePath(),
                                 setup.target, {Disk::Access::ReadWrite, true, true}, log);
    if (!targetDisk) {
        removeCreated();
        const std::string& msg = targetDisk.error().message;
        const int code = targetDisk.error().code;
        if (code == EBUSY)
            return refusal(code, Rule::TargetInUse,
                           "target: " + msg +
                               " (the device is mounted or held by another program)");
        if ((code == EACCES || code == EPERM) && (srcId->blockDevice || targetIsDevice))
            return refusal(code, Rule::NeedsRoot, "target: " + msg + " (block devices need root)");
        return withContext("target: ", targetDisk.error());
    }
    // The path still leads to what is opened: the copy lands under the name
    // the user chose, not in a file renamed away from it meanwhile.
    {
        struct stat now
        {
        };
        const bool there = ::stat(target.c_str(), &now) == 0;
        std::optional<Error> why;
        if (created) {
            if (!there || !S_ISREG(now.st_mode) || now.st_dev != created->dev ||
                now.st_ino != created->ino)
                why = refusal(ESTALE, Rule::TargetIdentity,
                              "refusing the target: the image file created at " + setup.target +
                                  " is no longer there under that name");
        } else if (boundToFile) {
            why =
                imageIdentityMismatch(setup.target, setup.expectedTargetId, there ? &now : nullptr);
        } else if (!dstR->stillNamed()) {
            why = refusal(ESTALE, Rule::TargetIdentity,
                          "refusing " + setup.target + ": " + target +
                              " changed while it was opened");
        }
        if (why) {
            removeCreated();
            return *why;
        }
    }
    // Nothing has been written yet, and nothing is written through another
    // descriptor than this one.
    if (auto r = checkOpenedTarget(*targetDisk, setup.expectedTargetId, created, confirmedDevice);
        !r) {
        removeCreated();
        return r.error();
    }
    // The image's equivalent of O_EXCL, held until the job is destroyed; it
    // also closes the window between the checks above and this open.
    if (auto r = targetDisk->lockImage(Disk::Lock::Exclusive); !r) {
        removeCreated();
        return refusal(r.error().code, Rule::TargetInUse,
                       "refusing the target: " + r.error().message);
    }
    if (targetDisk->isBlockDevice()) {
        const std::string data = dataOnDevice(*targetDisk);
        if (!data.empty() && !setup.allowDataOnTarget)
            return refusal(
                EEXIST, Rule::TargetHoldsData,
                "target " + setup.target + " holds " + data +
                    "; everything on it would be overwritten and the overwrite was not confirmed");
        if (!data.empty())
            log->warn("{} holds {}; overwriting it as confirmed", setup.target, data);
    }

    auto job =
        MirrorJob::create(std::move(*sourceDisk), std::move(*targetDisk), std::move(*options), log);
    if (!job) {
        removeCreated();
        return job.error();
    }
    prepared.job = std::move(*job);
    if (prepared.live) {
        // Tracking starts before the copy, so no write falls between them.
        if (auto r = prepared.live->attach(*prepared.job); !r) {
            prepared.live.reset();
            prepared.job.reset();
            removeCreated();
            return withContext("cannot start write tracking: ", r.error());
        }
        const auto mounts = prepared.live->mountPoints();
        const std::string through =
            srcId->blockDevice ? std::string() : " through " + use.trackDevice;
        if (mounts.empty())
            log->info("{}: writes{} are tracked by the kernel; nothing is mounted, so Complete "
                      "needs no freeze",
                      setup.source, through);
        else
            log->info("{}: live source, writes{} are tracked by the kernel; Complete will "
                      "briefly freeze {}{}",
                      setup.source, through, mounts.front(), mounts.size() > 1 ? " and more" : "");
    }
    if (prepared.targetCreated)
        log->info("created {} as a sparse file of {}", setup.target,
                  formatBytes(prepared.job->source().size()));
    return prepared;
}

} // namespace engine
