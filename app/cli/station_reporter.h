// What `station` tells whoever watches it: one JSON object per line for a
// program (--json, the events below), or lines for a person at the station.
//
// The --json events, each {"event", "data", "timestamp"} as the job events:
//   STATION_HASHING  {source, done, total}            about once a second
//   STATION_ARMED    {station, source, size, sha256, slots: [{label,
//                     match: {PROPERTY: GLOB}}], verify, wipe-rest, after,
//                     allow-fixed, max-size, log, jsonl}
//   DEVICE_IGNORED   {device, reason, slot, id, vendor, model, serial, capacity}
//                     reason: "in no slot", "present before arming",
//                     "station not armed"; slot empty when in none
//   SLOT_STARTED     {slot, device, id, vendor, model, serial, wwn, capacity}
//   SLOT_PROGRESS    {slot, device, phase: "copy" | "verify", done, total,
//                     rate}                           about once a second
//   SLOT_FINISHED    {every field of the audit record, in its order, and
//                     passed: true | false}
//   STATION_DISARMED {reason: "exit-after" | "signal SIGINT" | ... |
//                     "disarm" | "stdin closed" | "audit log failed",
//                     finished, passed}
// A failure of the station itself (a config it refuses, an audit log it
// cannot write) is an {"error": ...} line as the job's refusals are. The
// names and keys are protocol/station_protocol.h's, which the desktop app's
// station window reads with.
#pragma once

#include "json_output.h"

#include "station/station.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

class StationReporter : public engine::StationListener
{
public:
    /// Called after every chunk hashed: the reporter keeps its own pace.
    virtual void hashing(const std::string& source, std::uint64_t done, std::uint64_t total) = 0;
    /// About once a second while slots are written.
    virtual void progress(const std::vector<engine::SlotProgress>& running) = 0;
    virtual void disarmed(const std::string& reason, std::size_t finished, std::size_t passed) = 0;
};

/// Takes one line, without its newline.
using LineSink = std::function<void(const std::string& line)>;

/// The --json reporter; its lines go to @p sink, by default to stdout,
/// flushed at once (a program waits for them).
std::unique_ptr<StationReporter> makeStationJsonReporter(LineSink sink = printLine);
std::unique_ptr<StationReporter> makeStationTextReporter(const engine::Logger& log);

} // namespace cli
