// `drivemirror-cli station --json`'s protocol, defined once: the event
// names and data keys that the CLI writes (app/cli/station_reporter.cpp)
// and the desktop app's station window reads (ui/bridge/station_controller.cpp),
// and the word that disarms it on stdin. Plain C++ as helper_protocol.h,
// whose line shapes ({"event", "data", "timestamp"}, {"error": {...}}) and
// shared keys it uses.
//
// SLOT_FINISHED carries every column of the audit record under the name
// engine::auditFields() gives it (the CSV header's), and "passed"; the
// columns a reader looks up by name are named below, and the engine writes
// the record with these names and result words.
#pragma once

#include "protocol/helper_protocol.h"

#include <string_view>

namespace protocol::station {

namespace event {
inline constexpr std::string_view kHashing = "STATION_HASHING";
inline constexpr std::string_view kArmed = "STATION_ARMED";
inline constexpr std::string_view kIgnored = "DEVICE_IGNORED";
inline constexpr std::string_view kStarted = "SLOT_STARTED";
inline constexpr std::string_view kProgress = "SLOT_PROGRESS";
inline constexpr std::string_view kFinished = "SLOT_FINISHED";
inline constexpr std::string_view kDisarmed = "STATION_DISARMED";
} // namespace event

namespace key {
// Spelled as the job events spell them.
using protocol::key::kData;
using protocol::key::kDevice;
using protocol::key::kError;
using protocol::key::kEvent;
using protocol::key::kId;
using protocol::key::kModel;
using protocol::key::kRate;
using protocol::key::kReason;
using protocol::key::kSerial;
using protocol::key::kSize;
using protocol::key::kSource;
using protocol::key::kVendor;
using protocol::key::kWwn;

// STATION_HASHING, SLOT_PROGRESS: bytes so far and in all.
inline constexpr std::string_view kDone = "done";
inline constexpr std::string_view kTotal = "total";

// STATION_ARMED.
inline constexpr std::string_view kStation = "station";
inline constexpr std::string_view kSha256 = "sha256";
inline constexpr std::string_view kSlots = "slots"; ///< [{label, match: {PROPERTY: GLOB}}]
inline constexpr std::string_view kLabel = "label";
inline constexpr std::string_view kMatch = "match";
inline constexpr std::string_view kVerify = "verify";
inline constexpr std::string_view kWipeRest = "wipe-rest";
inline constexpr std::string_view kAfter = "after";
inline constexpr std::string_view kAllowFixed = "allow-fixed";
inline constexpr std::string_view kMaxSize = "max-size";
inline constexpr std::string_view kLog = "log";     ///< the audit log (CSV)
inline constexpr std::string_view kJsonl = "jsonl"; ///< its JSON lines beside it

// DEVICE_IGNORED, SLOT_STARTED, SLOT_PROGRESS, SLOT_FINISHED.
inline constexpr std::string_view kSlot = "slot";
inline constexpr std::string_view kCapacity = "capacity";
/// SLOT_PROGRESS: "copy" or "verify".
inline constexpr std::string_view kPhase = "phase";

// SLOT_FINISHED: the audit record's columns a reader picks by name.
inline constexpr std::string_view kTime = "time";
inline constexpr std::string_view kResult = "result";
inline constexpr std::string_view kDetail = "detail";
inline constexpr std::string_view kMibPerSecond = "mib_per_s";
inline constexpr std::string_view kDurationSeconds = "duration_s";
/// Also STATION_DISARMED's count of drives that passed.
inline constexpr std::string_view kPassed = "passed";

// STATION_DISARMED.
inline constexpr std::string_view kFinished = "finished";
} // namespace key

namespace phase {
inline constexpr std::string_view kCopy = "copy";
inline constexpr std::string_view kVerify = "verify";
} // namespace phase

/// SLOT_FINISHED's "result": "passed", or a refusal with its rule after
/// this prefix; anything else is a failure ("verify failed at...", "error: ...").
inline constexpr std::string_view kResultPassed = "passed";
inline constexpr std::string_view kRefusedPrefix = "refused: ";

/// STATION_DISARMED's "reason" ("signal SIGINT", "signal SIGTERM", ... for
/// a signal).
namespace reason {
inline constexpr std::string_view kExitAfter = "exit-after";
inline constexpr std::string_view kSignalPrefix = "signal ";
/// --disarm-on-eof: the disarm command came, or stdin ended.
inline constexpr std::string_view kDisarm = "disarm";
inline constexpr std::string_view kStdinClosed = "stdin closed";
inline constexpr std::string_view kAuditLogFailed = "audit log failed";
} // namespace reason

/// With --disarm-on-eof, the one stdin line the station takes.
namespace command {
inline constexpr std::string_view kDisarm = "disarm";
} // namespace command

} // namespace protocol::station
