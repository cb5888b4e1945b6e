#include "device/mounts.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace engine {

namespace fs = std::filesystem;

namespace {

std::string sysfsDir(dev_t dev)
{
    std::error_code ec;
    const auto p = fs::canonical(
        "/sys/dev/block/" + std::to_string(major(dev)) + ":" + std::to_string(minor(dev)), ec);
    return ec ? std::string() : p.string();
}

std::string readLine(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

// The device numbers of a whole disk's partitions ("sda" -> sda1, sda2...).
std::vector<dev_t> partitionsOf(const std::string& sysDir)
{
    std::vector<dev_t> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(sysDir, ec)) {
        if (!fs::exists(entry.path() / "partition"))
            continue;
        unsigned ma = 0, mi = 0;
        char colon = 0;
        std::istringstream in(readLine((entry.path() / "dev").string()));
        if (in >> ma >> colon >> mi)
            out.push_back(makedev(ma, mi));
    }
    return out;
}

std::vector<dev_t> selfAndPartitions(dev_t dev)
{
    std::vector<dev_t> devs{dev};
    const std::string dir = sysfsDir(dev);
    if (!dir.empty())
        for (dev_t p : partitionsOf(dir))
            devs.push_back(p);
    return devs;
}

// mountinfo and /proc/swaps write space, tab, newline and backslash in paths
// as octal escapes ("/mnt/my\040disk").
std::string unescapeProcPath(const std::string& s)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto digit = [&](std::size_t k) {
            return k < s.size() && s[k] >= '0' && s[k] <= '7';
        };
        if (s[i] == '\\' && digit(i + 1) && digit(i + 2) && digit(i + 3)) {
            out.push_back(
                static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
            i += 3;
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

} // namespace

std::vector<MountEntry> readMountTable()
{
    std::vector<MountEntry> out;
    std::ifstream in("/proc/self/mountinfo");
    std::string line;
    while (std::getline(in, line)) {
        // id parent major:minor root mountpoint ...
        std::istringstream fields(line);
        std::string id, parent, mm, root, point;
        fields >> id >> parent >> mm >> root >> point;
        unsigned ma = 0, mi = 0;
        if (std::sscanf(mm.c_str(), "%u:%u", &ma, &mi) == 2)
            out.push_back({makedev(ma, mi), unescapeProcPath(point)});
    }
    return out;
}

std::vector<SwapEntry> swapEntries()
{
    std::vector<SwapEntry> out;
    std::ifstream in("/proc/swaps");
    std::string line;
    std::getline(in, line); // header
    while (std::getline(in, line)) {
        SwapEntry e;
        e.path = unescapeProcPath(line.substr(0, line.find_first_of(" \t")));
        struct stat st
        {
        };
        if (::stat(e.path.c_str(), &st) != 0)
            continue;
        if (S_ISBLK(st.st_mode)) {
            e.device = true;
            e.rdev = st.st_rdev;
        } else if (S_ISREG(st.st_mode)) {
            e.dev = st.st_dev;
            e.ino = st.st_ino;
        } else {
            continue;
        }
        out.push_back(std::move(e));
    }
    return out;
}

std::vector<dev_t> swapDevices()
{
    std::vector<dev_t> out;
    for (const auto& e : swapEntries())
        if (e.device)
            out.push_back(e.rdev);
    return out;
}

std::vector<std::string> mountPointsOf(unsigned ma, unsigned mi)
{
    std::vector<std::string> out;
    const auto devs = selfAndPartitions(makedev(ma, mi));
    for (const auto& m : readMountTable())
        for (dev_t d : devs)
            if (d == m.dev)
                out.push_back(m.point);
    return out;
}

} // namespace engine
