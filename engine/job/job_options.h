// JobOptions: the user's choices for a mirror job, as one plain value.
//
// The CLI parses its command line into it, the desktop app's settings pane
// edits it and stores it between sessions, the app hands it to a privileged
// helper as that helper's command line, and the job setup turns it into the
// job's MirrorOptions (adding what only a running job has: the quiescer).
// validate() is the one place that says which values are allowed.
#pragma once

#include "base/result.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace engine {

enum class SyncMode { Full, Top, None };
enum class ErrorPolicy { Report, Ignore, Stop, Enospc };
/// What the job does with one failed request.
enum class ErrorAction { Report, Ignore, Stop };
/// Whether a mirror of a live source gives way to the source's other users.
enum class YieldMode { Auto, Off };

std::string_view toString(SyncMode mode);
std::string_view toString(ErrorPolicy policy);
std::string_view toString(YieldMode mode);
std::optional<SyncMode> parseSyncMode(std::string_view text);
std::optional<ErrorPolicy> parseErrorPolicy(std::string_view text);
std::optional<YieldMode> parseYieldMode(std::string_view text);

/// The decision table of QEMU's block_job_error_action: a pure function.
constexpr ErrorAction decideErrorAction(ErrorPolicy policy, int errnoValue)
{
    switch (policy) {
    case ErrorPolicy::Report:
        return ErrorAction::Report;
    case ErrorPolicy::Ignore:
        return ErrorAction::Ignore;
    case ErrorPolicy::Stop:
        return ErrorAction::Stop;
    case ErrorPolicy::Enospc:
        return errnoValue == 28 /* ENOSPC */ ? ErrorAction::Stop : ErrorAction::Report;
    }
    return ErrorAction::Report;
}

inline constexpr std::uint64_t kMinGranularity = 512;
inline constexpr std::uint64_t kMaxGranularity = 64ull << 20;
inline constexpr std::uint64_t kDefaultGranularity = 64ull << 10;
inline constexpr std::uint64_t kDefaultBufSize = 16ull << 20;
/// More would only pin memory: 16 requests of 64 MiB keep any disk busy.
inline constexpr std::uint64_t kMaxBufSize = 1ull << 30;

/// Windows' VSS lets writers wait at most 10 s for a snapshot; a desktop
/// user notices about as soon.
inline constexpr double kDefaultMaxFreezeSeconds = 10;
inline constexpr double kMinFreezeSeconds = 0.1;
inline constexpr double kMaxFreezeSeconds = 3600;

/// An NBD server that restarts (an update, a crash and its service manager)
/// is back within seconds; a minute also covers a switch or a cable.
inline constexpr unsigned kDefaultReconnectSeconds = 60;
inline constexpr unsigned kMaxReconnectSeconds = 86400;

struct JobOptions
{
    SyncMode sync = SyncMode::Full;
    std::uint64_t granularity =
        0; ///< 0: kDefaultGranularity, or the target's physical block if larger
    /// Rounded up to whole granules, at least one (as QEMU's buf_size).
    std::uint64_t bufSize = kDefaultBufSize;
    std::uint64_t speed = 0; ///< bytes/s, 0 = unlimited
    ErrorPolicy onSourceError = ErrorPolicy::Report;
    ErrorPolicy onTargetError = ErrorPolicy::Report;
    bool unmap = true; ///< zero runs release space on the target (stays sparse)
    /// After Complete, compare the target with the source (ranges the source
    /// kept since the final copy) and with what the job wrote (ranges the
    /// source changed since), after the source is let go again.
    bool verify = false;
    /// Make the target past the source's end read as zeroes (discard or
    /// write zeroes) instead of keeping its old contents there. The wipe is
    /// part of the copy: READY comes after it.
    bool wipeRest = false;
    /// Longest quiesce (file systems frozen) of a Complete or consistent
    /// Cancel; when the final copy takes longer, the source is let go, the
    /// completion fails and the job goes on mirroring (READY).
    double maxFreezeSeconds = kDefaultMaxFreezeSeconds;
    /// Auto: a job whose source has live writers gives way to their I/O;
    /// a source nothing else writes is copied at full speed either way.
    YieldMode yield = YieldMode::Auto;
    /// How long a job waits for an NBD export whose connection was lost to
    /// answer again; copying goes on once it does. 0: the job fails at once
    /// (a --resume goes on later).
    unsigned reconnectSeconds = kDefaultReconnectSeconds;

    bool operator==(const JobOptions&) const = default;
};

/// The rules for options that do not depend on the disks: a granularity that
/// is 0 or a power of two from 512 B to 64 MiB, a buffer of at most 1 GiB, a maximum freeze from
/// 0.1 s to an hour. The first one broken, in words a user can act on.
Result<void> validate(const JobOptions& options);

} // namespace engine
