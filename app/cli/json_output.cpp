#include "json_output.h"

#include "device_catalog.h"

#include <sys/sysmacros.h>

#include <chrono>
#include <cstdio>

namespace cli {

namespace {

std::string timestampJson()
{
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
    return JsonObject()
        .add("seconds", static_cast<std::int64_t>(us / 1000000))
        .add("microseconds", static_cast<std::int64_t>(us % 1000000))
        .str();
}

} // namespace

void printEvent(const std::string& name, const JsonObject& data)
{
    const std::string line = JsonObject()
                                 .add("event", name)
                                 .addRaw("data", data.str())
                                 .addRaw("timestamp", timestampJson())
                                 .str();
    std::fprintf(stdout, "%s\n", line.c_str());
    std::fflush(stdout);
}

void printError(int code, const std::string& message, const std::string& id)
{
    JsonObject o;
    o.addRaw(
        "error",
        JsonObject().add("class", "GenericError").add("desc", message).add("errno", code).str());
    if (!id.empty())
        o.add("id", id);
    std::fprintf(stdout, "%s\n", o.str().c_str());
    std::fflush(stdout);
}

void printReturn(const std::string& returned, const std::string& id)
{
    JsonObject o;
    o.addRaw("return", returned);
    if (!id.empty())
        o.add("id", id);
    std::fprintf(stdout, "%s\n", o.str().c_str());
    std::fflush(stdout);
}

std::string rangesJson(const std::vector<engine::ByteRange>& ranges)
{
    std::string out = "[";
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        if (i)
            out += ", ";
        out += JsonObject().add("offset", ranges[i].offset).add("length", ranges[i].length).str();
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

const char* outcomeName(engine::JobResult::Outcome o)
{
    switch (o) {
    case engine::JobResult::Outcome::Completed:
        return "completed";
    case engine::JobResult::Outcome::Cancelled:
        return "cancelled";
    case engine::JobResult::Outcome::Aborted:
        return "aborted";
    case engine::JobResult::Outcome::Failed:
        break;
    }
    return "failed";
}

std::string verifyJson(const engine::VerifyReport& r)
{
    return JsonObject()
        .add("identical", r.identical)
        .add("compared", r.bytesCompared)
        .add("skipped-holes", r.bytesSkipped)
        .add("hash-checked", r.bytesHashChecked)
        .add("unchecked", r.bytesUnchecked)
        .add("past-end", r.bytesPastEnd)
        .add("past-end-zero", r.pastEndZero)
        .addRaw("differences", rangesJson(r.differences))
        .add("more-differences", r.moreDifferences)
        .str();
}

JsonObject deviceJson(const engine::DeviceInfo& d)
{
    JsonObject o;
    o.add("name", d.name)
        .add("path", d.devnode)
        .add("id", d.stableId())
        .add("kind", d.kind())
        .add("bus", d.bus)
        .add("size", d.size)
        .add("model", d.model)
        .add("vendor", d.vendor)
        .add("serial", d.serial)
        .add("wwn", d.wwn)
        .add("logical-block-size", static_cast<std::uint64_t>(d.logicalBlockSize))
        .add("physical-block-size", static_cast<std::uint64_t>(d.physicalBlockSize))
        .add("removable", d.removable)
        .add("rotational", d.rotational)
        .add("read-only", d.readOnly)
        .add("partition-table", d.partitionTable)
        .add("fs-type", d.fsType)
        .add("fs-label", d.fsLabel)
        .add("fs-uuid", d.fsUuid)
        .addRaw("mount-points", stringArray(d.mountPoints))
        .addRaw("holders", stringArray(d.holders))
        .add("swap", d.swap)
        .add("holds-data", d.holdsData);
    if (d.isPartition)
        o.add("parent", d.parent).add("start-sector", d.startSector);
    if (!d.loopBackingFile.empty())
        o.add("backing-file", d.loopBackingFile);
    o.add("major", static_cast<std::uint64_t>(major(d.devnum)))
        .add("minor", static_cast<std::uint64_t>(minor(d.devnum)))
        .add("disk-seq", d.diskSeq)
        .add("partition-number", static_cast<std::uint64_t>(d.partitionNumber));
    return o;
}

JsonObject jobJson(const std::string& device, const engine::JobSnapshot& s)
{
    JsonObject d;
    d.add("device", device)
        .add("type", "mirror")
        .add("len", s.bytesDone + s.bytesRemaining)
        .add("offset", s.bytesDone)
        .add("speed", s.speedLimit);
    return d;
}

} // namespace cli
