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

// prepareJob's steps, in the order of the rules (see job_setup.h), on one
// job's values: each path is resolved and identified once, and every step
// reads what the earlier ones found.
class Preparation
{
public:
    Preparation(JobSetup setup, Logger log)
        : m_setup(std::move(setup)), m_log(std::move(log)), m_who(m_setup.invoker)
    {
    }

    Result<void> resolve();
    Result<void> checkBinding();
    Result<void> checkRules();
    Result<void> trackSource();
    Result<Disk> openSource();
    Result<void> createTarget(std::uint64_t size);
    Result<Disk> openTarget();
    Result<PreparedJob> createJob(Disk source, Disk target);
    /// Removes the target file this preparation created, if it is still
    /// the one under that name; for a refusal after it was created.
    void removeCreated();

private:
    Result<void> trackDeviceSource();
    Result<void> trackImageSource();
    std::optional<Error> openedUnderItsName() const;
    Result<void> checkOpened(Disk& target) const;
    void logTracking() const;

    JobSetup m_setup;
    Logger m_log;
    const Invoker& m_who;
    std::optional<ValidOptions> m_options;
    std::optional<ResolvedPath> m_src;
    std::optional<ResolvedPath> m_dst;
    PathFacts m_srcFacts;
    PathFacts m_dstFacts;
    DiskIdentity m_srcId;
    bool m_boundToFile = false;  ///< expectedTargetId names an image file (or none)
    bool m_targetAsUser = false; ///< an existing image target, opened as the invoker
    bool m_targetIsDevice = false;
    dev_t m_confirmedDevice = 0;
    SourceUse m_use;
    UniqueFd m_srcPin;
    UniqueFd m_dstPin;
    std::optional<DiskIdentity> m_created;
    PreparedJob m_prepared;
};

Result<void> Preparation::resolve()
{
    auto options = ValidOptions::check(MirrorOptions{m_setup.options, m_setup.quiescer});
    if (!options)
        return options.error();
    m_options = std::move(*options);

    // Each path is looked up once. The rules that work by name look at the
    // real (symlink-free) paths, whose nodes are checked again against the
    // pinned ones before anything is opened for I/O; the data descriptors
    // come from the pinned nodes.
    auto src = resolvePath(m_setup.source, m_who);
    if (!src)
        return withContext("source: ", src.error());
    if (!src->exists())
        return Error{ENOENT, "source: " + m_setup.source + ": " + errnoText(ENOENT)};
    auto dst = resolvePath(m_setup.target, m_who);
    if (!dst)
        return withContext("target: ", dst.error());
    m_src = std::move(*src);
    m_dst = std::move(*dst);
    // What each path names, identified once: every rule below reads these.
    m_srcFacts = factsOf(*m_src);
    m_dstFacts = factsOf(*m_dst);
    auto srcId = m_srcFacts.identity();
    if (!srcId)
        return Error{srcId.error().code,
                     "source: " + m_setup.source + ": " + errnoText(srcId.error().code)};
    m_srcId = *srcId;
    m_targetIsDevice = m_dst->exists() && S_ISBLK(m_dst->st.st_mode);
    return {};
}

Result<void> Preparation::checkBinding()
{
    const bool targetExists = m_dst->exists();
    // The confirmed image file (or its absence) first: any other verdict
    // would be about a file the user did not confirm. Checked again on the
    // opened descriptor.
    m_boundToFile = isImageFileId(m_setup.expectedTargetId);
    if (m_boundToFile)
        if (auto why = imageIdentityMismatch(m_setup.target, m_setup.expectedTargetId,
                                             targetExists ? &m_dst->st : nullptr))
            return *why;
    if (m_who.elevated && m_setup.expectedTargetId.empty()) {
        const std::string now = identityNow(*m_dst, m_log);
        return refusal(EPERM, Rule::TargetIdentity,
                       "refusing " + m_setup.target + ": run through " + m_who.via + " for " +
                           m_who.name +
                           ", a job writes only the target that was confirmed: pass --expect-id "
                           "with its identity" +
                           (now.empty() ? std::string() : " (now " + now + ")") +
                           " after checking that it is the one you mean");
    }
    // Through pkexec or sudo, image files are read and written as the user
    // who asked, never with root's rights.
    if (m_who.elevated && !m_srcId.blockDevice) {
        auto fd = openAsInvoker(*m_src, m_who, O_RDONLY);
        if (!fd)
            return fd.error();
        m_srcPin = std::move(*fd);
    }
    // The target only as a test of the user's rights for now: held open
    // for writing, it would count as a writer of its own in the rules.
    m_targetAsUser = m_who.elevated && targetExists && S_ISREG(m_dst->st.st_mode);
    if (m_targetAsUser)
        if (auto fd = openAsInvoker(*m_dst, m_who, O_RDWR); !fd)
            return fd.error();
    return {};
}

Result<void> Preparation::checkRules()
{
    // One look at the machine's storage for every rule of this job.
    const StorageMap map = StorageMap::scan();
    if (auto r = checkSourceCandidate(m_srcFacts); !r)
        return r.error();
    if (auto r = checkTargetCandidate(&m_srcFacts, m_dstFacts, map); !r)
        return r.error();
    if ((m_srcId.blockDevice || m_targetIsDevice) && ::geteuid() != 0)
        return refusal(EPERM, Rule::NeedsRoot,
                       "block devices need root: run drivemirror-cli with sudo, or let the desktop "
                       "app ask for authorisation");
    if (!m_setup.expectedTargetId.empty() && !m_boundToFile) {
        if (!m_targetIsDevice)
            return refusal(EINVAL, Rule::TargetIdentity,
                           "an expected identity names a disk, but " + m_setup.target +
                               " is not a block device");
        auto info = describeDevice(m_dst->real, m_log);
        if (!info)
            return withContext("target: ", info.error());
        if (info->stableId() != m_setup.expectedTargetId)
            return refusal(ESTALE, Rule::TargetIdentity,
                           "refusing " + m_setup.target + ": it is " + info->stableId() + ", not " +
                               m_setup.expectedTargetId);
        if (info->devnum != m_dst->st.st_rdev)
            return refusal(ESTALE, Rule::TargetIdentity,
                           "refusing " + m_setup.target + ": " + m_dst->real +
                               " changed while it was checked");
        m_confirmedDevice = info->devnum;
    }

    // Who else writes the source, and whether the job can see those writes.
    m_use = analyseSourceUse(m_srcFacts, map);
    if (m_use.refusal)
        return *m_use.refusal;
    // What root is needed for: a disk on either side, or tracking the
    // writes of a loop device over an image source. Two image files are the
    // user's own business, without root.
    if (m_who.elevated && !m_srcId.blockDevice && !m_targetIsDevice && m_use.trackDevice.empty())
        return refusal(EPERM, Rule::HelperScope,
                       "refusing: " + m_setup.source + " and " + m_setup.target +
                           " are both image files, which " + m_who.name +
                           " can mirror without administrator rights; run drivemirror-cli "
                           "without " +
                           m_who.via);
    return {};
}

Result<void> Preparation::trackSource()
{
    if (m_srcId.blockDevice)
        return trackDeviceSource();
    if (!m_use.trackDevice.empty())
        return trackImageSource();
    return {};
}

Result<void> Preparation::trackDeviceSource()
{
    const std::string& source = m_setup.source;
    if (!m_setup.trackWrites) {
        const auto mounts = mountPointsOf(major(m_srcId.rdev), minor(m_srcId.rdev));
        if (!mounts.empty())
            return refusal(EBUSY, Rule::LiveSourceNeedsTracking,
                           "refusing to mirror " + source +
                               " without write tracking: it is mounted at " + mounts.front());
        m_log->warn("write tracking is off: writes to {} during the job would be missed", source);
        return {};
    }
    auto live = LiveSource::create(m_src->real, {}, m_log);
    if (!live)
        return refusal(live.error().code, Rule::LiveSourceNeedsTracking,
                       "cannot track writes to " + source + ": " + live.error().message, {},
                       "; turn tracking off only if nothing writes to the source");
    m_prepared.live = std::move(*live);
    m_options->setQuiescer(m_prepared.live->quiescer());
    // Complete could never freeze it; better said now than at READY.
    if (const std::string point = frozenMountPoint(m_prepared.live->mountPoints()); !point.empty())
        return refusal(EBUSY, Rule::SourceFrozen,
                       "refusing source " + source + ": its file system at " + point +
                           " is frozen already (by another program, or by a run that was "
                           "killed); thaw it with fsfreeze -u " +
                           point + " and start again");
    return {};
}

// An image the kernel writes through a loop device over all of it: the loop
// device's writes are the image's writes, offset for offset.
Result<void> Preparation::trackImageSource()
{
    const std::string& source = m_setup.source;
    const std::string& dev = m_use.trackDevice;
    const std::string state = m_use.mountPoints.empty() ? std::string("in use")
                                                        : "mounted at " + m_use.mountPoints.front();
    if (m_setup.trackWrites && ::geteuid() == 0) {
        auto live = LiveSource::create(dev, {}, m_log);
        if (live) {
            m_prepared.live = std::move(*live);
            m_options->setQuiescer(m_prepared.live->quiescer());
        } else if (m_use.inUse) {
            return refusal(live.error().code, Rule::LiveSourceNeedsTracking,
                           "cannot track writes to " + source + " through " + dev + ", which is " +
                               state + ": " + live.error().message);
        } else {
            m_log->warn("{} backs {}, whose writes cannot be tracked ({}); nothing uses it "
                        "now, and writes through it during the job would be missed",
                        source, dev, live.error().message);
        }
    } else if (m_use.inUse) {
        if (!m_setup.trackWrites)
            return refusal(EBUSY, Rule::LiveSourceNeedsTracking,
                           "refusing to mirror " + source + " without write tracking: it backs " +
                               dev + ", which is " + state);
        return refusal(EPERM, Rule::NeedsRoot,
                       "refusing source " + source + ": it backs " + dev + ", which is " + state +
                           ", so it changes while it is copied; only root can track those "
                           "writes: run drivemirror-cli with sudo, or stop using " +
                           dev + " first");
    } else {
        m_log->warn("{} backs {}: writes through it during the job would be missed", source, dev);
    }
    return {};
}

Result<Disk> Preparation::openSource()
{
    // Checked before the target file is created or anything is written.
    if (!m_targetIsDevice)
        if (auto r = checkTargetRoom(m_srcFacts, m_dstFacts, m_setup.options); !r)
            return r.error();
    // The rules above looked the real paths up by name: they were about the
    // pinned nodes only if those names still lead there.
    for (const ResolvedPath* r : {&*m_src, &*m_dst})
        if (r->exists() && !r->stillNamed())
            return refusal(ESTALE, Rule::TargetIdentity,
                           "refusing " + r->given + ": " + r->real +
                               " changed while it was checked");

    auto disk = Disk::open(m_srcPin.valid() ? procFdPath(m_srcPin.get()) : m_src->nodePath(),
                           m_setup.source, {Disk::Access::ReadOnly, true, false}, m_log);
    if (!disk)
        return withContext("source: ", disk.error());
    // Held for the job's life: QEMU and other jobs cannot write it meanwhile.
    if (auto r = disk->lockImage(Disk::Lock::Shared); !r)
        return refusal(r.error().code, Rule::SourceInUse,
                       "refusing the source: " + r.error().message);
    return disk;
}

Result<void> Preparation::createTarget(std::uint64_t size)
{
    if (m_targetAsUser) {
        auto fd = openAsInvoker(*m_dst, m_who, O_RDWR);
        if (!fd)
            return fd.error();
        m_dstPin = std::move(*fd);
    }
    if (m_dst->exists())
        return {};
    auto made = createAsInvoker(*m_dst, m_who, 0644);
    if (!made) {
        // O_EXCL lost the race: something appeared since the check.
        if (m_boundToFile && made.error().code == EEXIST)
            return fileAppeared(m_setup.target);
        return withContext("target: ", made.error());
    }
    struct stat st
    {
    };
    if (::fstat(made->get(), &st) != 0 || ::ftruncate(made->get(), static_cast<off_t>(size)) != 0) {
        const int err = errno;
        ::unlinkat(m_dst->dir.get(), m_dst->name.c_str(), 0);
        return systemError(err, "resize " + m_setup.target);
    }
    DiskIdentity id;
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    m_created = id;
    m_dstPin = std::move(*made);
    m_prepared.targetCreated = true;
    return {};
}

void Preparation::removeCreated()
{
    if (m_created)
        (void)removeFileIfStill(m_dst->dir.get(), m_dst->name, *m_created);
}

Result<Disk> Preparation::openTarget()
{
    auto disk = Disk::open(m_dstPin.valid() ? procFdPath(m_dstPin.get()) : m_dst->nodePath(),
                           m_setup.target, {Disk::Access::ReadWrite, true, true}, m_log);
    if (!disk) {
        const std::string& msg = disk.error().message;
        const int code = disk.error().code;
        if (code == EBUSY)
            return refusal(code, Rule::TargetInUse,
                           "target: " + msg +
                               " (the device is mounted or held by another program)");
        if ((code == EACCES || code == EPERM) && (m_srcId.blockDevice || m_targetIsDevice))
            return refusal(code, Rule::NeedsRoot, "target: " + msg + " (block devices need root)");
        return withContext("target: ", disk.error());
    }
    if (auto why = openedUnderItsName())
        return *why;
    if (auto r = checkOpened(*disk); !r)
        return r.error();
    return disk;
}

// The path still leads to what was opened: the copy lands under the name the
// user chose, not in a file renamed away from it meanwhile.
std::optional<Error> Preparation::openedUnderItsName() const
{
    struct stat now
    {
    };
    const bool there = ::stat(m_dst->real.c_str(), &now) == 0;
    if (m_created) {
        if (!there || !S_ISREG(now.st_mode) || now.st_dev != m_created->dev ||
            now.st_ino != m_created->ino)
            return refusal(ESTALE, Rule::TargetIdentity,
                           "refusing the target: the image file created at " + m_setup.target +
                               " is no longer there under that name");
        return std::nullopt;
    }
    if (m_boundToFile)
        return imageIdentityMismatch(m_setup.target, m_setup.expectedTargetId,
                                     there ? &now : nullptr);
    if (!m_dst->stillNamed())
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + m_setup.target + ": " + m_dst->real +
                           " changed while it was opened");
    return std::nullopt;
}

// Nothing has been written yet, and nothing is written through another
// descriptor than this one.
Result<void> Preparation::checkOpened(Disk& target) const
{
    if (auto r = checkOpenedTarget(target, m_setup.expectedTargetId, m_created, m_confirmedDevice);
        !r)
        return r.error();
    // The image's equivalent of O_EXCL, held until the job is destroyed; it
    // also closes the window between the checks and this open.
    if (auto r = target.lockImage(Disk::Lock::Exclusive); !r)
        return refusal(r.error().code, Rule::TargetInUse,
                       "refusing the target: " + r.error().message);
    if (!target.isBlockDevice())
        return {};
    const std::string data = dataOnDevice(target);
    if (!data.empty() && !m_setup.allowDataOnTarget)
        return refusal(
            EEXIST, Rule::TargetHoldsData,
            "target " + m_setup.target + " holds " + data +
                "; everything on it would be overwritten and the overwrite was not confirmed");
    if (!data.empty())
        m_log->warn("{} holds {}; overwriting it as confirmed", m_setup.target, data);
    return {};
}

Result<PreparedJob> Preparation::createJob(Disk source, Disk target)
{
    auto job =
        MirrorJob::create(std::move(source), std::move(target), std::move(*m_options), m_log);
    if (!job)
        return job.error();
    m_prepared.job = std::move(*job);
    if (m_prepared.live) {
        // Tracking starts before the copy, so no write falls between them.
        if (auto r = m_prepared.live->attach(*m_prepared.job); !r) {
            m_prepared.live.reset();
            m_prepared.job.reset();
            return withContext("cannot start write tracking: ", r.error());
        }
        logTracking();
    }
    if (m_prepared.targetCreated)
        m_log->info("created {} as a sparse file of {}", m_setup.target,
                    formatBytes(m_prepared.job->source().size()));
    return std::move(m_prepared);
}

void Preparation::logTracking() const
{
    const auto mounts = m_prepared.live->mountPoints();
    const std::string through =
        m_srcId.blockDevice ? std::string() : " through " + m_use.trackDevice;
    if (mounts.empty())
        m_log->info("{}: writes{} are tracked by the kernel; nothing is mounted, so Complete "
                    "needs no freeze",
                    m_setup.source, through);
    else
        m_log->info("{}: live source, writes{} are tracked by the kernel; Complete will "
                    "briefly freeze {}{}",
                    m_setup.source, through, mounts.front(), mounts.size() > 1 ? " and more" : "");
}

} // namespace

Result<PreparedJob> prepareJob(JobSetup setup, const Logger& log)
{
    Preparation p(std::move(setup), orNull(log));
    for (auto step : {&Preparation::resolve, &Preparation::checkBinding, &Preparation::checkRules,
                      &Preparation::trackSource})
        if (auto r = (p.*step)(); !r)
            return r.error();
    auto source = p.openSource();
    if (!source)
        return source.error();
    if (auto r = p.createTarget(source->size()); !r)
        return r.error();
    auto target = p.openTarget();
    if (!target) {
        p.removeCreated();
        return target.error();
    }
    auto job = p.createJob(std::move(*source), std::move(*target));
    if (!job)
        p.removeCreated();
    return job;
}

} // namespace engine
