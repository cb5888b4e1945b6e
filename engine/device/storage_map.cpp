#include "device/storage_map.h"

#include "base/units.h"
#include "device/mounts.h"

#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

namespace engine {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kUnbounded = std::numeric_limits<std::uint64_t>::max();
// Loop devices over loop devices over ...: deeper than anyone stacks, and a
// guard against a cycle the kernel would not allow anyway.
constexpr int kMaxDepth = 32;

std::string readLine(const fs::path& path)
{
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    while (!line.empty() && (line.back() == '\n' || line.back() == ' '))
        line.pop_back();
    return line;
}

std::uint64_t readNumber(const fs::path& path)
{
    const std::string s = readLine(path);
    return s.empty() ? 0 : std::strtoull(s.c_str(), nullptr, 10);
}

std::optional<dev_t> readDevNumber(const fs::path& path)
{
    unsigned ma = 0, mi = 0;
    if (std::sscanf(readLine(path).c_str(), "%u:%u", &ma, &mi) != 2)
        return std::nullopt;
    return makedev(ma, mi);
}

// DEVNAME from the uevent file: the node udev and devtmpfs create.
std::string devnodeOf(const fs::path& sysdir, const std::string& name)
{
    std::ifstream in(sysdir / "uevent");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("DEVNAME=", 0) == 0)
            return "/dev/" + line.substr(8);
    return "/dev/" + name;
}

// The backing file's identity through the loop driver itself: exact even
// when the file was renamed or deleted since, which the sysfs path is not.
bool loopStatus(BlockNode& node)
{
    const int fd = ::open(node.devnode.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return false;
    struct stat st
    {
    };
    loop_info64 info{};
    const bool ok = ::fstat(fd, &st) == 0 && S_ISBLK(st.st_mode) && st.st_rdev == node.devnum &&
                    ::ioctl(fd, LOOP_GET_STATUS64, &info) == 0;
    ::close(fd);
    if (!ok)
        return false;
    // The kernel encodes these as new_encode_dev(), which is glibc's dev_t
    // layout for every number a real system uses.
    node.loopOffset = info.lo_offset;
    if (info.lo_rdevice != 0) {
        node.backingIsDevice = true;
        node.backingRdev = static_cast<dev_t>(info.lo_rdevice);
    } else {
        node.backingDev = static_cast<dev_t>(info.lo_device);
        node.backingIno = static_cast<ino_t>(info.lo_inode);
    }
    node.backingKnown = true;
    return true;
}

// Without the right to open the device: the path sysfs shows, as long as it
// still names the file (a deleted one is marked "(deleted)").
void loopFromSysfs(BlockNode& node, const fs::path& sysdir)
{
    node.loopOffset = readNumber(sysdir / "loop" / "offset");
    const std::string deleted = " (deleted)";
    if (node.backingPath.empty() ||
        (node.backingPath.size() > deleted.size() &&
         node.backingPath.compare(node.backingPath.size() - deleted.size(), deleted.size(),
                                  deleted) == 0))
        return;
    struct stat st
    {
    };
    if (::stat(node.backingPath.c_str(), &st) != 0)
        return;
    if (S_ISBLK(st.st_mode)) {
        node.backingIsDevice = true;
        node.backingRdev = st.st_rdev;
    } else if (S_ISREG(st.st_mode)) {
        node.backingDev = st.st_dev;
        node.backingIno = st.st_ino;
    } else {
        return;
    }
    node.backingKnown = true;
}

} // namespace

StorageMap StorageMap::scan()
{
    StorageMap map;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/sys/class/block", ec)) {
        std::error_code ec2;
        const fs::path sysdir = fs::canonical(entry.path(), ec2);
        if (ec2)
            continue;
        BlockNode node;
        node.name = entry.path().filename().string();
        const auto dev = readDevNumber(sysdir / "dev");
        if (!dev)
            continue;
        node.devnum = *dev;
        node.devnode = devnodeOf(sysdir, node.name);
        node.size = readNumber(sysdir / "size") * 512;
        node.readOnly = readNumber(sysdir / "ro") != 0;
        for (const auto& h : fs::directory_iterator(sysdir / "holders", ec2))
            node.holders.push_back(h.path().filename().string());
        std::sort(node.holders.begin(), node.holders.end());
        if (fs::exists(sysdir / "partition", ec2)) {
            node.partition = true;
            node.start = readNumber(sysdir / "start") * 512;
            if (auto parent = readDevNumber(sysdir.parent_path() / "dev"))
                node.parent = *parent;
        } else if (fs::exists(sysdir / "loop", ec2)) {
            node.loop = true;
            node.backingPath = readLine(sysdir / "loop" / "backing_file");
            if (!loopStatus(node))
                loopFromSysfs(node, sysdir);
        }
        map.m_nodes.push_back(std::move(node));
    }
    for (const auto& m : readMountTable())
        map.m_mounts.push_back({m.dev, m.point});
    for (const auto& s : swapEntries()) {
        if (s.device)
            map.m_swapDevices.push_back(s.rdev);
        else
            map.m_swapFiles.push_back({s.dev, s.ino});
    }
    return map;
}

const BlockNode* StorageMap::find(dev_t devnum) const
{
    for (const auto& n : m_nodes)
        if (n.devnum == devnum)
            return &n;
    return nullptr;
}

std::optional<Reach> StorageMap::reachOf(dev_t devnum) const
{
    return reachOf(devnum, 0);
}

std::optional<Reach> StorageMap::reachOf(dev_t devnum, int depth) const
{
    const BlockNode* node = find(devnum);
    if (!node || depth > kMaxDepth)
        return std::nullopt;
    const Reach itself{Reach::Base::Device, devnum, 0, 0, node->size};
    if (node->partition) {
        auto r = reachOf(node->parent, depth + 1);
        if (!r)
            return itself;
        r->begin += node->start;
        r->end = r->begin + node->size;
        return r;
    }
    if (node->loop && node->backingKnown) {
        Reach r;
        if (node->backingIsDevice) {
            auto below = reachOf(node->backingRdev, depth + 1);
            r = below ? *below : Reach{Reach::Base::Device, node->backingRdev, 0, 0, kUnbounded};
        } else {
            r = Reach{Reach::Base::File, node->backingDev, node->backingIno, 0, kUnbounded};
        }
        r.begin += node->loopOffset;
        r.end = r.begin + node->size;
        return r;
    }
    return itself;
}

std::optional<Reach> StorageMap::reachOfPath(const std::string& path) const
{
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) != 0)
        return std::nullopt;
    return reachOfNode(st);
}

std::optional<Reach> StorageMap::reachOfNode(const struct stat& st) const
{
    if (S_ISBLK(st.st_mode)) {
        if (auto r = reachOf(st.st_rdev))
            return r;
        return Reach{Reach::Base::Device, st.st_rdev, 0, 0, kUnbounded};
    }
    if (S_ISREG(st.st_mode))
        return Reach{Reach::Base::File, st.st_dev, st.st_ino, 0,
                     std::max<std::uint64_t>(static_cast<std::uint64_t>(st.st_size), 1)};
    return std::nullopt;
}

std::vector<const BlockNode*> StorageMap::overlapping(const Reach& reach) const
{
    std::vector<const BlockNode*> out;
    for (const auto& n : m_nodes) {
        if (n.size == 0)
            continue;
        if (auto r = reachOf(n.devnum); r && r->overlaps(reach))
            out.push_back(&n);
    }
    return out;
}

std::string StorageMap::chain(dev_t devnum) const
{
    const BlockNode* cur = find(devnum);
    if (!cur)
        return {};
    std::string out = cur->devnode;
    for (int depth = 0; depth < kMaxDepth; ++depth) {
        if (cur->partition) {
            const BlockNode* parent = find(cur->parent);
            if (!parent)
                break;
            out += " -> " + parent->devnode;
            cur = parent;
            continue;
        }
        if (!cur->loop)
            break;
        const std::string from =
            cur->loopOffset ? " (from " + formatBytes(cur->loopOffset) + ")" : std::string();
        const BlockNode* below = cur->backingIsDevice ? find(cur->backingRdev) : nullptr;
        if (!below) {
            out += " -> " + (cur->backingPath.empty() ? "?" : cur->backingPath) + from;
            break;
        }
        out += " -> " + below->devnode + from;
        cur = below;
    }
    return out;
}

std::vector<std::string> StorageMap::mountPoints(dev_t devnum) const
{
    std::vector<std::string> out;
    for (const auto& m : m_mounts)
        if (m.dev == devnum)
            out.push_back(m.point);
    return out;
}

bool StorageMap::swap(dev_t devnum) const
{
    return std::find(m_swapDevices.begin(), m_swapDevices.end(), devnum) != m_swapDevices.end();
}

bool StorageMap::swapFile(dev_t dev, ino_t ino) const
{
    return std::any_of(m_swapFiles.begin(), m_swapFiles.end(),
                       [&](const FileKey& k) { return k.dev == dev && k.ino == ino; });
}

ReachRelation relate(const Reach& target, const Reach& source)
{
    if (!target.overlaps(source))
        return ReachRelation::Apart;
    // A loop device ends at the last whole sector of its file: a file and a
    // loop device over all of it are the same bytes.
    auto near = [](std::uint64_t a, std::uint64_t b) { return (a > b ? a - b : b - a) < 512; };
    if (target.begin == source.begin && near(target.end, source.end))
        return ReachRelation::Same;
    if (source.contains(target))
        return ReachRelation::Inside;
    if (target.contains(source))
        return ReachRelation::Contains;
    return ReachRelation::Overlaps;
}

} // namespace engine
