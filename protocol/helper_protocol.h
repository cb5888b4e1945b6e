// drivemirror-cli's JSON protocol, defined once: the event names, the keys,
// the stdin command words and the outcome names that the CLI writes and the
// desktop app reads (ui/bridge/helper_protocol.cpp, ui/bridge/remote_job_controller.cpp).
// Plain C++ with no Qt and no engine, so that both sides and the round-trip
// test use the same spelling; a key added to the protocol goes here first.
//
// Lines on stdout, one JSON object each (QMP's shapes):
//   {"event": NAME, "data": {...}, "timestamp": {"seconds", "microseconds"}}
//   {"return": {...}, "id"?}                       a command carried out
//   {"error": {"class", "desc", "errno", "rule"?}, "id"?}  a refusal
// Job status names are engine::toString(JobStatus), the engine's own.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace protocol {

namespace event {
inline constexpr std::string_view kJobStarted = "JOB_STARTED";
inline constexpr std::string_view kStatusChange = "JOB_STATUS_CHANGE";
inline constexpr std::string_view kProgress = "BLOCK_JOB_PROGRESS";
inline constexpr std::string_view kReady = "BLOCK_JOB_READY";
inline constexpr std::string_view kCompleteFailed = "COMPLETE_FAILED";
inline constexpr std::string_view kVerifying = "BLOCK_JOB_VERIFYING";
inline constexpr std::string_view kCompleted = "BLOCK_JOB_COMPLETED";
inline constexpr std::string_view kCancelled = "BLOCK_JOB_CANCELLED";
} // namespace event

namespace key {
// Every line.
inline constexpr std::string_view kEvent = "event";
inline constexpr std::string_view kData = "data";
inline constexpr std::string_view kTimestamp = "timestamp";
inline constexpr std::string_view kSeconds = "seconds";
inline constexpr std::string_view kMicroseconds = "microseconds";
inline constexpr std::string_view kReturn = "return";
inline constexpr std::string_view kError = "error";
/// A command's own id=WORD; in JOB_STATUS_CHANGE the job's device; in a
/// device, its stable identity; in an inspect answer, the target's.
inline constexpr std::string_view kId = "id";

// Inside "error".
inline constexpr std::string_view kClass = "class";
inline constexpr std::string_view kDesc = "desc";
inline constexpr std::string_view kErrno = "errno";
/// The safety rule that refused, by name (engine's rule names).
inline constexpr std::string_view kRule = "rule";

// Job events.
inline constexpr std::string_view kDevice = "device";
inline constexpr std::string_view kType = "type";
inline constexpr std::string_view kLen = "len";
inline constexpr std::string_view kOffset = "offset";
inline constexpr std::string_view kSpeed = "speed";
inline constexpr std::string_view kStatus = "status";
inline constexpr std::string_view kSource = "source";
inline constexpr std::string_view kTarget = "target";
inline constexpr std::string_view kGranularity = "granularity";
inline constexpr std::string_view kLive = "live";
inline constexpr std::string_view kMountPoints = "mount-points";
inline constexpr std::string_view kTargetCreated = "target-created";
inline constexpr std::string_view kRate = "rate";
inline constexpr std::string_view kDirty = "dirty";
inline constexpr std::string_view kInFlight = "in-flight";
inline constexpr std::string_view kZeroed = "zeroed";
/// What this target's job read from the source itself (not served from
/// another target's read of it).
inline constexpr std::string_view kSourceBytesRead = "source-bytes-read";
inline constexpr std::string_view kUnreadableBytes = "unreadable-bytes";
inline constexpr std::string_view kIoError = "io-error";
inline constexpr std::string_view kVerifying = "verifying";
inline constexpr std::string_view kVerifyDone = "verify-done";
inline constexpr std::string_view kVerifyTotal = "verify-total";
inline constexpr std::string_view kMap = "map";
inline constexpr std::string_view kInFlightRanges = "in-flight-ranges";
inline constexpr std::string_view kUnreadableRanges = "unreadable-ranges";
inline constexpr std::string_view kReason = "reason";
// BLOCK_JOB_PROGRESS: how the job gives way to other I/O on its source
// ("yield": {...}), and its forecast ("forecast": {...}). A number that is
// not known yet is null.
inline constexpr std::string_view kYield = "yield";
inline constexpr std::string_view kMode = "mode";
inline constexpr std::string_view kActive = "active";
inline constexpr std::string_view kYielding = "yielding";
inline constexpr std::string_view kShare = "share";
inline constexpr std::string_view kForegroundIops = "foreground-iops";
inline constexpr std::string_view kForegroundLatencyMs = "foreground-latency-ms";
inline constexpr std::string_view kForecast = "forecast";
inline constexpr std::string_view kConfidence = "confidence";
inline constexpr std::string_view kCopyRate = "copy-rate";
inline constexpr std::string_view kDirtyRate = "dirty-rate";
inline constexpr std::string_view kConverges = "converges";
inline constexpr std::string_view kReadyIn = "ready-in";
inline constexpr std::string_view kFreeze = "freeze";
inline constexpr std::string_view kFreezeIfCompletedNow = "freeze-if-completed-now";
inline constexpr std::string_view kRemedies = "remedies";
// BLOCK_JOB_PROGRESS while an NBD export's connection is lost and the job
// waits for its server ("reconnecting": {...}, absent otherwise), and how
// often this run found a lost connection again ("reconnects").
inline constexpr std::string_view kReconnecting = "reconnecting";
inline constexpr std::string_view kEndpoint = "endpoint";
inline constexpr std::string_view kLostSeconds = "lost-seconds";
inline constexpr std::string_view kAttempts = "attempts";
inline constexpr std::string_view kLimitSeconds = "limit-seconds";
inline constexpr std::string_view kReconnects = "reconnects";

// BLOCK_JOB_COMPLETED and BLOCK_JOB_CANCELLED.
inline constexpr std::string_view kElapsed = "elapsed";
inline constexpr std::string_view kUnreadable = "unreadable";
inline constexpr std::string_view kUnwritable = "unwritable";
inline constexpr std::string_view kRangesSkipped = "ranges-skipped";
inline constexpr std::string_view kUnwrittenBytes = "unwritten-bytes";
inline constexpr std::string_view kTargetRemoved = "target-removed";
/// The job keeps a checkpoint there: `mirror ... --resume` goes on from it.
inline constexpr std::string_view kCheckpoint = "checkpoint";
/// A resumed job: how it started ("map", "compare"), why, what the
/// checkpoint called in sync and what of that the comparison found changed.
inline constexpr std::string_view kResumedFrom = "resumed-from";
inline constexpr std::string_view kResumeWhy = "resume-why";
inline constexpr std::string_view kResumeInSync = "resume-in-sync";
inline constexpr std::string_view kResumeChanged = "resume-changed";
inline constexpr std::string_view kVerify = "verify";
inline constexpr std::string_view kVerifyCancelled = "verify-cancelled";
inline constexpr std::string_view kQuiesceSeconds = "quiesce-seconds";
inline constexpr std::string_view kPowercutCopy = "powercut-copy";
inline constexpr std::string_view kPowercutReason = "powercut-reason";
inline constexpr std::string_view kPastEndBytes = "past-end-bytes";
inline constexpr std::string_view kPastEndWiped = "past-end-wiped";
inline constexpr std::string_view kOutcome = "outcome";
inline constexpr std::string_view kSourceFailed = "source-failed";

// A byte range.
inline constexpr std::string_view kLength = "length";

// A verification report ("verify", and `verify --json`).
inline constexpr std::string_view kIdentical = "identical";
inline constexpr std::string_view kCompared = "compared";
inline constexpr std::string_view kSkippedHoles = "skipped-holes";
inline constexpr std::string_view kHashChecked = "hash-checked";
inline constexpr std::string_view kUnchecked = "unchecked";
inline constexpr std::string_view kPastEnd = "past-end";
inline constexpr std::string_view kPastEndZero = "past-end-zero";
inline constexpr std::string_view kDifferences = "differences";
inline constexpr std::string_view kMoreDifferences = "more-differences";

// A device (`list --json`, and in an inspect answer).
inline constexpr std::string_view kName = "name";
inline constexpr std::string_view kPath = "path";
inline constexpr std::string_view kKind = "kind";
inline constexpr std::string_view kBus = "bus";
inline constexpr std::string_view kSize = "size";
inline constexpr std::string_view kModel = "model";
inline constexpr std::string_view kVendor = "vendor";
inline constexpr std::string_view kSerial = "serial";
inline constexpr std::string_view kWwn = "wwn";
inline constexpr std::string_view kLogicalBlockSize = "logical-block-size";
inline constexpr std::string_view kPhysicalBlockSize = "physical-block-size";
inline constexpr std::string_view kRemovable = "removable";
inline constexpr std::string_view kRotational = "rotational";
inline constexpr std::string_view kReadOnly = "read-only";
inline constexpr std::string_view kPartitionTable = "partition-table";
inline constexpr std::string_view kFsType = "fs-type";
inline constexpr std::string_view kFsLabel = "fs-label";
inline constexpr std::string_view kFsUuid = "fs-uuid";
inline constexpr std::string_view kHolders = "holders";
inline constexpr std::string_view kSwap = "swap";
inline constexpr std::string_view kHoldsData = "holds-data";
inline constexpr std::string_view kParent = "parent";
inline constexpr std::string_view kStartSector = "start-sector";
inline constexpr std::string_view kBackingFile = "backing-file";
inline constexpr std::string_view kMajor = "major";
inline constexpr std::string_view kMinor = "minor";
inline constexpr std::string_view kDiskSeq = "disk-seq";
inline constexpr std::string_view kPartitionNumber = "partition-number";
inline constexpr std::string_view kTargetRefusal = "target-refusal";

// An inspect answer.
inline constexpr std::string_view kExpectId = "expect-id";
inline constexpr std::string_view kRefusal = "refusal";
inline constexpr std::string_view kMessage = "message";
inline constexpr std::string_view kFacts = "facts";
inline constexpr std::string_view kExists = "exists";
inline constexpr std::string_view kBlockDevice = "block-device";
inline constexpr std::string_view kDataSignature = "data-signature";
inline constexpr std::string_view kSignatureReadable = "signature-readable";
inline constexpr std::string_view kPartitions = "partitions";
inline constexpr std::string_view kDevicePartitions = "device-partitions";

// `jobs --json`: the interrupted jobs of a state directory, newest first, as
// one object:
//   {"state-dir": DIR, "jobs": [{"id", "source", "target", "size", "in-sync",
//    "in-sync-percent", "granularity", "sync", "saved-at", "unreadable",
//    "unreadable-bytes", "checkpoint", "resume-args"}, ...]}
// "size" and "in-sync" are bytes of the extent the job covers, "saved-at"
// the unix time of the last checkpoint, "resume-args" the arguments after
// the program's name that go on with the job. `jobs --discard ID --json`
// answers {"return": {"id": ID}}.
inline constexpr std::string_view kStateDir = "state-dir";
inline constexpr std::string_view kJobs = "jobs";
inline constexpr std::string_view kInSync = "in-sync";
inline constexpr std::string_view kInSyncPercent = "in-sync-percent";
inline constexpr std::string_view kSync = "sync";
inline constexpr std::string_view kSavedAt = "saved-at";
/// The job runs now (it holds its journal): neither resumable nor discardable.
inline constexpr std::string_view kRunning = "running";
inline constexpr std::string_view kResumeArgs = "resume-args";
} // namespace key

/// The "class" of every error line, as QMP names a failed command.
inline constexpr std::string_view kGenericError = "GenericError";
/// The "type" of every job.
inline constexpr std::string_view kJobTypeMirror = "mirror";

// The commands read on stdin, one per line, each optionally followed by
// id=WORD: complete, cancel, cancel quick, pause, resume, speed RATE, status.
namespace command {
inline constexpr std::string_view kComplete = "complete";
inline constexpr std::string_view kCancel = "cancel";
inline constexpr std::string_view kQuick = "quick"; ///< cancel's one argument
inline constexpr std::string_view kPause = "pause";
inline constexpr std::string_view kResume = "resume";
inline constexpr std::string_view kSpeed = "speed";
inline constexpr std::string_view kStatus = "status";
inline constexpr std::string_view kIdPrefix = "id=";
} // namespace command

/// How a job ended ("outcome"), in the order of engine::JobResult::Outcome.
enum class Outcome : std::uint8_t { Completed, Cancelled, Aborted, Failed };

inline constexpr std::array<std::string_view, 4> kOutcomeNames = {"completed", "cancelled",
                                                                  "aborted", "failed"};

constexpr std::string_view outcomeName(Outcome o)
{
    return kOutcomeNames[static_cast<std::size_t>(o)];
}

constexpr std::optional<Outcome> outcomeFromName(std::string_view name)
{
    for (std::size_t i = 0; i < kOutcomeNames.size(); ++i)
        if (kOutcomeNames[i] == name)
            return static_cast<Outcome>(i);
    return std::nullopt;
}

/// The forecast's words, in the order of engine::Forecast::Confidence and
/// engine::Forecast::Remedy.
inline constexpr std::array<std::string_view, 3> kConfidenceNames = {"none", "low", "good"};
inline constexpr std::array<std::string_view, 4> kRemedyNames = {
    "raise-speed-limit", "yield-off", "finer-granularity", "accept-longer-freeze"};

/// The index of @p name in @p names.
template <std::size_t N>
constexpr std::optional<std::size_t> indexOf(const std::array<std::string_view, N>& names,
                                             std::string_view name)
{
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == name)
            return i;
    return std::nullopt;
}

/// The event that ends a job: cancelled (after READY or before it) or
/// completed (also when it failed).
constexpr std::string_view endEvent(Outcome o)
{
    return o == Outcome::Cancelled || o == Outcome::Aborted ? event::kCancelled : event::kCompleted;
}

} // namespace protocol
