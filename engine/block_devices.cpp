#include "block_devices.h"

#include "safety.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace engine {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string s)
{
    const auto notSpace = [](unsigned char c) { return c != ' ' && c != '\t' && c != '\n'; };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), notSpace));
    s.erase(std::find_if(s.rbegin(), s.rend(), notSpace).base(), s.end());
    return s;
}

std::string readAttribute(const fs::path& path)
{
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return trim(line);
}

std::uint64_t readNumber(const fs::path& path)
{
    std::istringstream in(readAttribute(path));
    std::uint64_t v = 0;
    in >> v;
    return v;
}

bool readFlag(const fs::path& path)
{
    return readAttribute(path) == "1";
}

void readDevNumber(const fs::path& dir, BlockDeviceInfo& info)
{
    std::istringstream in(readAttribute(dir / "dev"));
    char colon = 0;
    in >> info.major >> colon >> info.minor;
}

std::vector<std::string> entriesOf(const fs::path& dir)
{
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

// "ATA Samsung SSD 860" from device/vendor and device/model; the backing file
// of a loop device; the mapping name of a device-mapper device.
std::string modelOf(const fs::path& dir, const std::string& name, const std::string& devicePath)
{
    if (name.starts_with("loop"))
        return readAttribute(dir / "loop" / "backing_file");
    if (name.starts_with("dm-")) {
        const std::string dmName = readAttribute(dir / "dm" / "name");
        return dmName.empty() ? std::string() : "device-mapper " + dmName;
    }
    if (name.starts_with("md"))
        return "software RAID " + readAttribute(dir / "md" / "level");
    std::string vendor = readAttribute(dir / "device" / "vendor");
    if (vendor.starts_with("0x")) // a PCI vendor id (virtio), not a name
        vendor.clear();
    const std::string model = readAttribute(dir / "device" / "model");
    std::string out = vendor;
    if (!model.empty() && !model.starts_with(vendor))
        out = trim(out + ' ' + model);
    else if (!model.empty())
        out = model;
    if (out.empty() && devicePath.find("/virtio") != std::string::npos)
        out = "VirtIO block device";
    return out;
}

bool skipped(const std::string& name)
{
    return name.starts_with("ram") || name.starts_with("zram");
}

} // namespace

std::string_view toString(BlockDeviceInfo::Kind kind)
{
    switch (kind) {
    case BlockDeviceInfo::Kind::Disk:
        return "disk";
    case BlockDeviceInfo::Kind::Partition:
        return "partition";
    case BlockDeviceInfo::Kind::Usb:
        return "usb";
    case BlockDeviceInfo::Kind::Loop:
        return "loop";
    }
    return "?";
}

std::vector<BlockDeviceInfo> listBlockDevices(const std::string& sysRoot)
{
    const bool realSystem = sysRoot == "/sys";
    std::vector<BlockDeviceInfo> out;
    const fs::path blockDir = fs::path(sysRoot) / "block";
    for (const std::string& name : entriesOf(blockDir)) {
        if (skipped(name))
            continue;
        const fs::path dir = blockDir / name;
        std::error_code ec;
        const std::string devicePath = fs::canonical(dir, ec).string();

        BlockDeviceInfo disk;
        disk.name = name;
        disk.path = "/dev/" + name;
        disk.size = readNumber(dir / "size") * 512;
        if (disk.size == 0)
            continue;
        readDevNumber(dir, disk);
        disk.readOnly = readFlag(dir / "ro");
        disk.removable = readFlag(dir / "removable");
        disk.usb = devicePath.find("/usb") != std::string::npos;
        disk.model = modelOf(dir, name, devicePath);
        disk.serial = readAttribute(dir / "device" / "serial");
        if (disk.serial.empty())
            disk.serial = readAttribute(dir / "serial");
        disk.holders = entriesOf(dir / "holders");
        if (name.starts_with("loop"))
            disk.kind = BlockDeviceInfo::Kind::Loop;
        else if (disk.removable || disk.usb)
            disk.kind = BlockDeviceInfo::Kind::Usb;
        if (realSystem)
            disk.mountPoints = mountPointsOf(disk.major, disk.minor);

        std::vector<BlockDeviceInfo> parts;
        for (const std::string& child : entriesOf(dir)) {
            const fs::path partDir = dir / child;
            if (!fs::exists(partDir / "partition", ec))
                continue;
            BlockDeviceInfo part;
            part.name = child;
            part.path = "/dev/" + child;
            part.parent = name;
            part.kind = BlockDeviceInfo::Kind::Partition;
            part.size = readNumber(partDir / "size") * 512;
            readDevNumber(partDir, part);
            part.readOnly = disk.readOnly || readFlag(partDir / "ro");
            part.removable = disk.removable;
            part.usb = disk.usb;
            part.model = disk.model;
            part.holders = entriesOf(partDir / "holders");
            if (realSystem)
                part.mountPoints = mountPointsOf(part.major, part.minor);
            disk.partitions.push_back(child);
            parts.push_back(std::move(part));
        }
        out.push_back(std::move(disk));
        for (auto& p : parts)
            out.push_back(std::move(p));
    }
    return out;
}

} // namespace engine
