// MirrorJob: QEMU's drive-mirror for image files and block devices.
//
// The job copies every dirty granule of the source to the target until both
// agree (READY), then keeps copying what the source's writers dirty until the
// user completes or cancels it. It runs on its own thread with its own
// io_uring ring; every public method is thread-safe.
//
// Writers tell the job what they changed through notifyWrite() *after* their
// write reached the source; the job clears a granule's dirty bit *before* it
// reads it, so a write that lands during the copy dirties it again and it is
// copied again. Two requests never cover the same granule at once.
#pragma once

#include "dirty_bitmap.h"
#include "disk.h"
#include "job_status.h"
#include "logging.h"
#include "result.h"
#include "verify.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace engine {

enum class SyncMode { Full, Top, None };
enum class ErrorPolicy { Report, Ignore, Stop, Enospc };
/// What the job does with one failed request.
enum class ErrorAction { Report, Ignore, Stop };

std::string_view toString(SyncMode mode);
std::string_view toString(ErrorPolicy policy);
std::optional<SyncMode> parseSyncMode(std::string_view text);
std::optional<ErrorPolicy> parseErrorPolicy(std::string_view text);
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
inline constexpr unsigned kMaxInFlight = 16;

struct MirrorOptions
{
    SyncMode sync = SyncMode::Full;
    std::uint64_t granularity =
        0; ///< 0: kDefaultGranularity, or the target's physical block if larger
    std::uint64_t bufSize = kDefaultBufSize;
    std::uint64_t speed = 0; ///< bytes/s, 0 = unlimited
    ErrorPolicy onSourceError = ErrorPolicy::Report;
    ErrorPolicy onTargetError = ErrorPolicy::Report;
    bool unmap = true;   ///< zero runs release space on the target (stays sparse)
    bool verify = false; ///< compare source and target at Complete, while quiesced
    /// Called on the job thread when Complete starts: stop the source's
    /// writers (freeze file systems). An error aborts the completion and the
    /// job stays READY. Optional.
    std::function<Result<void>()> quiesce;
    /// Undoes quiesce; called on every path once quiesce succeeded. Optional.
    std::function<void()> unquiesce;
};

/// Checks options that do not depend on the disks (granularity a power of two
/// in range, buffer at least one granule).
Result<void> validateOptions(const MirrorOptions& options);
/// The granularity the job will use for @p target when none was chosen.
std::uint64_t defaultGranularity(const Disk& target);

/// A consistent picture of the job, published by the job thread.
struct JobSnapshot
{
    JobStatus status = JobStatus::Created;
    std::uint64_t diskSize = 0;
    std::uint64_t bytesDone = 0;      ///< cumulative, including zeroed runs; may exceed diskSize
    std::uint64_t bytesZeroed = 0;    ///< part of bytesDone handled without data transfer
    std::uint64_t bytesRemaining = 0; ///< dirty + in flight; can grow under live writes
    std::uint64_t dirtyBytes = 0;
    std::uint64_t inFlightBytes = 0;
    std::uint64_t speedLimit = 0;
    double elapsedSeconds = 0;
    bool readyReached = false;
    std::string ioError; ///< set while the job is stopped on an I/O error
    std::uint64_t unreadableBytes = 0;
    std::uint64_t generation = 0;
};

/// The dirty map for display: the disk as cells, each a fraction dirty.
struct DirtyMapSnapshot
{
    std::uint64_t diskSize = 0;
    std::uint64_t granularity = 0;
    std::vector<std::uint8_t> cells; ///< 0 = clean .. 255 = all dirty
    std::vector<ByteRange> inFlight;
    std::vector<ByteRange> unreadable;
    std::uint64_t generation = 0;
};

struct JobResult
{
    enum class Outcome {
        Completed, ///< target identical to the source at the quiesce point
        Cancelled, ///< cancelled after READY: a consistent copy of a converged state
        Aborted,   ///< cancelled before READY: the target is incomplete
        Failed,    ///< an I/O error ended the job; see error
    };
    Outcome outcome = Outcome::Failed;
    Error error;
    bool sourceFailed = false;          ///< with Failed: the source (not the target) failed
    std::vector<ByteRange> unreadable;  ///< source ranges replaced by zeroes (ignore)
    std::vector<ByteRange> unwritable;  ///< target ranges left unwritten (ignore)
    std::optional<VerifyReport> verify; ///< with MirrorOptions::verify
    double quiesceSeconds = 0;          ///< how long the source was quiesced
    std::uint64_t bytesDone = 0;
    std::uint64_t bytesZeroed = 0;
    double elapsedSeconds = 0;
};

std::string_view toString(JobResult::Outcome outcome);

struct JobEvent
{
    enum class Kind { StatusChanged, Ready, Progress, Finished };
    Kind kind = Kind::Progress;
    JobStatus from = JobStatus::Created; ///< StatusChanged
    JobStatus to = JobStatus::Created;   ///< StatusChanged
};

class MirrorJob
{
public:
    /// Called on the job thread; must return quickly (print, or post to
    /// another thread). Progress comes at most every 100 ms. Finished is the
    /// last call, made before wait() returns and finished() turns true.
    using Listener = std::function<void(const JobEvent&)>;

    /// Validates everything that can be checked before a byte is written and
    /// prepares the job in status created. The target must be writable and
    /// at least as large as the source; source and target must differ.
    static Result<std::unique_ptr<MirrorJob>> create(Disk source, Disk target,
                                                     MirrorOptions options, Logger log = {});
    ~MirrorJob(); ///< cancels a running job and waits for its thread

    MirrorJob(const MirrorJob&) = delete;
    MirrorJob& operator=(const MirrorJob&) = delete;

    void setListener(Listener listener); ///< before start()
    /// Cells of the dirty map to publish with progress (0: none); at most
    /// one per granule.
    void setDirtyMapCells(std::size_t cells);
    void start();

    // Commands: refused with a message naming state and verb where the verb
    // table says no; otherwise queued for the job thread.
    Result<void> complete();
    Result<void> cancel();
    Result<void> pause();
    Result<void> resume();
    Result<void> setSpeed(std::uint64_t bytesPerSecond);

    /// The source was written at [offset, offset+length). Any thread, any
    /// time, cheap: sets bits and wakes the job if it sleeps.
    void notifyWrite(std::uint64_t offset, std::uint64_t length);

    JobStatus status() const { return m_status.load(); }
    std::shared_ptr<const JobSnapshot> snapshot() const;
    std::shared_ptr<const DirtyMapSnapshot> dirtyMap() const;
    const MirrorOptions& options() const { return m_options; }
    std::uint64_t granularity() const { return m_granularity; }
    const Disk& source() const { return m_source; }
    const Disk& target() const { return m_target; }

    /// Blocks until the job concluded; the result stays valid while the job lives.
    const JobResult& wait();
    bool finished() const { return m_finished.load(); }

private:
    MirrorJob(Disk source, Disk target, MirrorOptions options, std::uint64_t granularity,
              Logger log);
    struct Impl;
    Result<void> enqueue(JobVerb verb, std::uint64_t argument = 0);
    void wake();
    void run();

    // Immutable after create().
    Disk m_source;
    Disk m_target;
    MirrorOptions m_options;
    std::uint64_t m_granularity;
    Logger m_log;
    Listener m_listener;
    std::size_t m_mapCells = 0;

    // Thread-safe by themselves.
    DirtyBitmap m_dirty;
    std::atomic<JobStatus> m_status{JobStatus::Created};
    std::atomic<bool> m_finished{false};
    std::atomic<bool> m_wakePending{false};
    std::atomic<bool> m_cancelFlag{false};           ///< lets a long verification stop early
    std::atomic<std::uint64_t> m_writeGeneration{0}; ///< bumped by every notifyWrite
    int m_wakeFd = -1;
    std::atomic<std::shared_ptr<const JobSnapshot>> m_snapshot;
    std::atomic<std::shared_ptr<const DirtyMapSnapshot>> m_dirtyMap;

    // Guarded by m_commandMutex.
    struct Command
    {
        JobVerb verb;
        std::uint64_t argument;
    };
    std::mutex m_commandMutex;
    std::deque<Command> m_commands;

    // Written by the job thread before m_finished is set.
    JobResult m_result;
    std::mutex m_doneMutex;
    std::condition_variable m_doneCv;

    std::jthread m_thread;
};

} // namespace engine
