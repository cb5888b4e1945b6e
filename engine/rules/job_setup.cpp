#include "rules/job_setup.h"

#include "base/units.h"
#include "device/device_catalog.h"
#include "device/mounts.h"
#include "device/signatures.h"
#include "device/storage_map.h"
#include "io/disk.h"
#include "io/resolve.h"
#include "rules/safety.h"
#include "rules/target_identity.h"
#include "track/freeze.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
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

} // namespace

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
        // A formatted image's file size is not its virtual disk's.
        if (formatOfName(source) || formatOfName(target))
            sourceFacts->size.reset();
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

namespace {

std::string dataSignature(int fd, std::uint64_t size)
{
    const auto found = probeSignatures(fd);
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
    return damagedSignature(fd, size);
}

} // namespace

std::string dataSignature(const Disk& disk)
{
    return dataSignature(disk.bufferedFd(), disk.size());
}

namespace {

// An export's start and end, where partition tables, file systems and RAID
// members keep their signatures, in a sparse memory file of its size: the
// probes read it as they read a disk.
std::string dataOnExport(const Disk& disk)
{
    constexpr std::uint64_t kEdge = 1 << 20;
    UniqueFd mem(::memfd_create("drivemirror-probe", MFD_CLOEXEC));
    if (!mem.valid() || ::ftruncate(mem.get(), static_cast<off_t>(disk.size())) != 0)
        return {};
    std::vector<std::uint8_t> buf(kEdge);
    const std::uint64_t head = std::min(kEdge, disk.size());
    const std::uint64_t tailAt = disk.size() > kEdge ? disk.size() - kEdge : 0;
    for (const std::uint64_t at : {std::uint64_t{0}, std::max(head, tailAt)}) {
        const std::uint64_t n = std::min(kEdge, disk.size() - std::min(at, disk.size()));
        if (n == 0)
            continue;
        if (!disk.readAt(buf.data(), n, at))
            return "a start or end that cannot be read, so what it holds is unknown";
        if (::pwrite(mem.get(), buf.data(), n, static_cast<off_t>(at)) != static_cast<ssize_t>(n))
            return {};
    }
    return dataSignature(mem.get(), disk.size());
}

} // namespace

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

Result<void> checkServeCandidate(const std::string& path, bool readOnly, bool allowDataOnTarget)
{
    if (readOnly)
        return checkSourceCandidate(path);
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) != 0)
        return systemError(errno, path);
    if (auto r = checkTargetCandidate(std::string(), path); !r)
        return r;
    if (!S_ISBLK(st.st_mode) || allowDataOnTarget)
        return {};
    auto disk = Disk::open(path, {Disk::Access::ReadOnly, false, false});
    if (!disk)
        return disk.error();
    if (const std::string data = dataOnDevice(*disk); !data.empty())
        return refusal(EEXIST, Rule::TargetHoldsData,
                       "refusing to serve " + path + " writable: it holds " + data +
                           ", which its clients could overwrite, and that was not confirmed");
    return {};
}

std::string dataOnDevice(const Disk& disk)
{
    if (disk.isNbd())
        return dataOnExport(disk);
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

Result<void> checkExportTarget(const std::string& uri, bool readOnly, std::uint64_t size,
                               std::uint64_t sourceSize)
{
    if (readOnly)
        return refusal(EROFS, Rule::ReadOnlyTarget,
                       "refusing " + uri + ": the export is read-only");
    if (size < sourceSize)
        return refusal(ENOSPC, Rule::TargetTooSmall,
                       "refusing target " + uri + " (" + formatBytes(size) +
                           "): it is smaller than the source (" + formatBytes(sourceSize) + ")");
    return {};
}

Result<void> checkExportBinding(const std::string& uri, const std::string& expectedId)
{
    if (!expectedId.empty() && expectedId != uri)
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + uri + ": the expected identity " + expectedId +
                           " is not this export's URI");
    return {};
}

} // namespace engine
