#include "json_output.h"

#include "device/device_catalog.h"

#include <sys/sysmacros.h>

#include <chrono>
#include <cstdio>

namespace cli {

namespace key = protocol::key;

namespace {

std::string timestampJson()
{
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
    return JsonObject()
        .add(key::kSeconds, static_cast<std::int64_t>(us / 1000000))
        .add(key::kMicroseconds, static_cast<std::int64_t>(us % 1000000))
        .str();
}

} // namespace

void printLine(const std::string& line)
{
    std::fprintf(stdout, "%s\n", line.c_str());
    std::fflush(stdout);
}

std::string eventLine(std::string_view name, const JsonObject& data)
{
    return JsonObject()
        .add(key::kEvent, name)
        .addRaw(key::kData, data.str())
        .addRaw(key::kTimestamp, timestampJson())
        .str();
}

std::string errorLine(const engine::Error& error, const std::string& id)
{
    JsonObject e;
    e.add(key::kClass, protocol::kGenericError)
        .add(key::kDesc, error.message)
        .add(key::kErrno, error.code);
    if (error.rule != engine::Rule::None)
        e.add(key::kRule, engine::ruleName(error.rule));
    JsonObject o;
    o.addRaw(key::kError, e.str());
    if (!id.empty())
        o.add(key::kId, id);
    return o.str();
}

std::string returnLine(const std::string& returned, const std::string& id)
{
    JsonObject o;
    o.addRaw(key::kReturn, returned);
    if (!id.empty())
        o.add(key::kId, id);
    return o.str();
}

void printEvent(std::string_view name, const JsonObject& data)
{
    printLine(eventLine(name, data));
}

void printError(const engine::Error& error, const std::string& id)
{
    printLine(errorLine(error, id));
}

void printReturn(const std::string& returned, const std::string& id)
{
    printLine(returnLine(returned, id));
}

std::string rangesJson(const std::vector<engine::ByteRange>& ranges)
{
    std::string out = "[";
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        if (i)
            out += ", ";
        out += JsonObject()
                   .add(key::kOffset, ranges[i].offset)
                   .add(key::kLength, ranges[i].length)
                   .str();
    }
    return out + "]";
}

std::string hexCells(const std::vector<std::uint8_t>& cells)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(cells.size() * 2);
    for (const std::uint8_t c : cells) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
    return out;
}

std::string stringArray(const std::vector<std::string>& v)
{
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i)
        out += (i ? ", " : "") + jsonQuote(v[i]);
    return out + "]";
}

protocol::Outcome toProtocol(engine::JobResult::Outcome o)
{
    switch (o) {
    case engine::JobResult::Outcome::Completed:
        return protocol::Outcome::Completed;
    case engine::JobResult::Outcome::Cancelled:
        return protocol::Outcome::Cancelled;
    case engine::JobResult::Outcome::Aborted:
        return protocol::Outcome::Aborted;
    case engine::JobResult::Outcome::Failed:
        break;
    }
    return protocol::Outcome::Failed;
}

std::string verifyJson(const engine::VerifyReport& r)
{
    return JsonObject()
        .add(key::kIdentical, r.identical)
        .add(key::kCompared, r.bytesCompared)
        .add(key::kSkippedHoles, r.bytesSkipped)
        .add(key::kHashChecked, r.bytesHashChecked)
        .add(key::kUnchecked, r.bytesUnchecked)
        .add(key::kPastEnd, r.bytesPastEnd)
        .add(key::kPastEndZero, r.pastEndZero)
        .addRaw(key::kDifferences, rangesJson(r.differences))
        .add(key::kMoreDifferences, r.moreDifferences)
        .str();
}

JsonObject deviceJson(const engine::DeviceInfo& d)
{
    JsonObject o;
    o.add(key::kName, d.name)
        .add(key::kPath, d.devnode)
        .add(key::kId, d.stableId())
        .add(key::kKind, d.kind())
        .add(key::kBus, d.bus)
        .add(key::kSize, d.size)
        .add(key::kModel, d.model)
        .add(key::kVendor, d.vendor)
        .add(key::kSerial, d.serial)
        .add(key::kWwn, d.wwn)
        .add(key::kLogicalBlockSize, static_cast<std::uint64_t>(d.logicalBlockSize))
        .add(key::kPhysicalBlockSize, static_cast<std::uint64_t>(d.physicalBlockSize))
        .add(key::kRemovable, d.removable)
        .add(key::kRotational, d.rotational)
        .add(key::kReadOnly, d.readOnly)
        .add(key::kPartitionTable, d.partitionTable)
        .add(key::kFsType, d.fsType)
        .add(key::kFsLabel, d.fsLabel)
        .add(key::kFsUuid, d.fsUuid)
        .addRaw(key::kMountPoints, stringArray(d.mountPoints))
        .addRaw(key::kHolders, stringArray(d.holders))
        .add(key::kSwap, d.swap)
        .add(key::kHoldsData, d.holdsData);
    if (d.isPartition)
        o.add(key::kParent, d.parent).add(key::kStartSector, d.startSector);
    if (!d.loopBackingFile.empty())
        o.add(key::kBackingFile, d.loopBackingFile);
    o.add(key::kMajor, static_cast<std::uint64_t>(major(d.devnum)))
        .add(key::kMinor, static_cast<std::uint64_t>(minor(d.devnum)))
        .add(key::kDiskSeq, d.diskSeq)
        .add(key::kPartitionNumber, static_cast<std::uint64_t>(d.partitionNumber));
    return o;
}

JsonObject jobJson(const std::string& device, const engine::JobSnapshot& s)
{
    JsonObject d;
    d.add(key::kDevice, device)
        .add(key::kType, protocol::kJobTypeMirror)
        .add(key::kLen, s.bytesDone + s.bytesRemaining)
        .add(key::kOffset, s.bytesDone)
        .add(key::kSpeed, s.speedLimit);
    return d;
}

} // namespace cli
