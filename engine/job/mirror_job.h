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

#include "base/logging.h"
#include "base/result.h"
#include "bitmap/dirty_bitmap.h"
#include "io/disk.h"
#include "job/forecast.h"
#include "job/job_journal.h"
#include "job/job_options.h"
#include "job/job_status.h"
#include "job/shared_reads.h"
#include "job/verify.h"

#include <atomic>
#include <chrono>
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

/// Requests a job keeps in flight between local disks: 16 of 1 MiB (the
/// default buffer) keep any disk busy.
inline constexpr unsigned kMaxInFlight = 16;
/// To or from an NBD export, the same buffer in 64 requests (256 KiB each):
/// a server reads a connection's requests one after another and hands them
/// to its workers, which more and smaller requests keep busy.
inline constexpr unsigned kMaxInFlightNbd = 64;

/// Stops the source's writers for the final copy of Complete (or of a
/// consistent Cancel) and lets them go again. Called on the job thread.
class Quiescer
{
public:
    virtual ~Quiescer() = default;
    /// Stops the writers. An implementation that can leave the machine
    /// stuck (a frozen file system) must end the quiesce by itself after
    /// @p maxHold, even when this process is stopped or killed.
    virtual Result<void> quiesce(std::chrono::milliseconds maxHold) = 0;
    /// True once the quiesce has ended by itself (its deadline passed):
    /// writes since then are tracked, but the copy is no longer of one moment.
    virtual bool expired() { return false; }
    /// Lets the writers go. An error says the quiesce did not hold until
    /// now (it expired), so what was copied under it is not of one moment.
    virtual Result<void> release() = 0;
    /// Delivers, before returning, every write to the source that completed
    /// so far (through notifyWrite). Verification calls it before it
    /// believes a difference.
    virtual Result<void> syncWrites() { return {}; }
};

/// A quiescer from two functions, for writers that need no deadline (an
/// in-process writer, the demo, tests).
std::shared_ptr<Quiescer> makeQuiescer(std::function<Result<void>()> quiesce,
                                       std::function<void()> release = {});

/// Verification keeps 8 bytes per block of the target; above this many
/// blocks the granularity is raised (up to 1 MiB blocks).
inline constexpr std::uint64_t kMaxHashBlocks = 8ull << 20;

/// What a job runs with: the user's choices and how to stop the source's
/// writers.
struct MirrorOptions : JobOptions
{
    /// Stops the source's writers for the final copy; nullptr: nothing
    /// writes to the source but through notifyWrite, or nothing at all.
    std::shared_ptr<Quiescer> quiescer;
    /// The target reads as zeroes everywhere: the job setup has just
    /// created it. The first pass of sync full then copies only what the
    /// source holds (QEMU's mirror does so for a zero-initialised target):
    /// a hole needs no write, and a format without a cheap way to write
    /// zeroes (vmdk, vhdx, vdi) stays sparse.
    bool targetReadsZero = false;
};

/// Options that passed validate(), and only such: a job made from them
/// does not check them again.
class ValidOptions
{
public:
    static Result<ValidOptions> check(MirrorOptions options);
    const MirrorOptions& get() const { return m_options; }
    /// The quiescer is no choice of the user's: set once the source's
    /// writers are known (after the options were checked).
    void setQuiescer(std::shared_ptr<Quiescer> quiescer)
    {
        m_options.quiescer = std::move(quiescer);
    }
    /// The targets of a group copy in one granularity: where the user chose
    /// none, the group sets the coarsest of its targets' defaults (each a
    /// valid one, from defaultGranularity()).
    void setDefaultGranularity(std::uint64_t granularity)
    {
        if (m_options.granularity == 0)
            m_options.granularity = granularity;
    }
    /// Also no choice of the user's: known once the target was created.
    void setTargetReadsZero(bool zero) { m_options.targetReadsZero = zero; }

private:
    explicit ValidOptions(MirrorOptions options) : m_options(std::move(options)) {}
    MirrorOptions m_options;
};

/// The granularity the job will use for @p target when none was chosen.
std::uint64_t defaultGranularity(const Disk& target);

/// A consistent picture of the job, published by the job thread.
struct JobSnapshot
{
    JobStatus status = JobStatus::Created;
    std::uint64_t diskSize = 0;       ///< what the job covers (MirrorJob::extent)
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
    /// After Complete, while the target is compared (the source is let go).
    bool verifying = false;
    std::uint64_t verifyDone = 0;
    std::uint64_t verifyTotal = 0;
    /// A resumed job, before it copies: the source's in-sync granules read
    /// and compared with the hashes of what the target got.
    bool comparing = false;
    std::uint64_t compareDone = 0;
    std::uint64_t compareTotal = 0;
    /// How the job gives way to other I/O on its source (YieldMode::Auto on
    /// a live source whose disk statistics can be read).
    struct YieldView
    {
        bool active = false;   ///< the job watches the source's disk and may yield
        bool yielding = false; ///< it runs below full speed now
        double share = 1.0;    ///< of full speed, 1/64 .. 1
        std::string reason;    ///< toString(YieldController::Reason); empty when not active
        double foregroundIops = 0;
        std::optional<double> foregroundLatencyMs;
        std::optional<double> baselineMs;
        unsigned maxInFlight = 16;
        std::uint64_t rateLimit = 0; ///< bytes/s in force, 0 = none
    };
    YieldView yield;
    /// An NBD export whose connection was lost: copying waits while the
    /// job tries to connect again (MirrorOptions::reconnectSeconds).
    struct ReconnectView
    {
        bool active = false;       ///< waiting for the server now
        std::string endpoint;      ///< the export's URI
        double lostSeconds = 0;    ///< since the connection was lost
        unsigned attempts = 0;     ///< connections tried so far
        unsigned limitSeconds = 0; ///< the job fails after this long
        unsigned reconnects = 0;   ///< connections lost and found again in this run
    };
    ReconnectView reconnect;
    /// Time to READY, freeze window and convergence, from the last 10 s.
    Forecast::Estimate forecast;
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
        Cancelled, ///< cancelled after READY: a copy of one moment, unless powerCutCopy
        Aborted,   ///< cancelled before READY: the target is incomplete
        Failed,    ///< an I/O error ended the job; see error
    };
    Outcome outcome = Outcome::Failed;
    Error error;
    bool sourceFailed = false; ///< with Failed: the source (not the target) failed
    /// With Failed: the program failed before touching a disk (memory for
    /// the buffers, the I/O ring), not the source or the target.
    bool internalFailure = false;
    /// Source ranges replaced by zeroes (ignore); sorted, merged.
    std::vector<ByteRange> unreadable;
    /// Target ranges left unwritten (ignore); sorted, merged.
    std::vector<ByteRange> unwritable;
    std::optional<VerifyReport> verify; ///< with MirrorOptions::verify
    bool verifyCancelled = false;       ///< the copy completed, its check was cancelled
    double quiesceSeconds = 0;          ///< how long the source was quiesced
    /// Target bytes past the source's end, and whether the job cleared them.
    std::uint64_t pastEndBytes = 0;
    bool pastEndWiped = false;
    /// With Cancelled: a quick cancel of a live source, without a quiesce.
    /// The copy is like the disk after a power cut (a file system on it
    /// needs its journal replayed; writes of the last moments are missing).
    bool powerCutCopy = false;
    /// With powerCutCopy: why ("a quick cancel was asked for", or why the
    /// source could not be quiesced for a consistent one).
    std::string powerCutReason;
    std::uint64_t bytesDone = 0;
    std::uint64_t bytesZeroed = 0;
    /// What the job read from the source itself (not from a group's
    /// shared reads).
    std::uint64_t sourceBytesRead = 0;
    /// With a journal: how the job started (ResumePlan::From) and why.
    std::string resumedFrom;
    std::string resumeWhy;
    /// Bytes the checkpoint called in sync when the job began, and of
    /// those the comparison found changed and copied again.
    std::uint64_t resumedInSyncBytes = 0;
    std::uint64_t resumeChangedBytes = 0;
    std::uint64_t checkpoints = 0; ///< committed by this run
    double elapsedSeconds = 0;
};

struct JobEvent
{
    /// CompleteFailed: a Complete (or consistent Cancel) could not finish
    /// its final copy under the quiesce; the job mirrors on (READY), the
    /// target still the copy of the last converged state. Verifying: the
    /// final copy is done and the source let go; the comparison runs.
    enum class Kind { StatusChanged, Ready, Progress, Finished, CompleteFailed, Verifying };
    Kind kind = Kind::Progress;
    JobStatus from = JobStatus::Created; ///< StatusChanged
    JobStatus to = JobStatus::Created;   ///< StatusChanged
    std::string message;                 ///< CompleteFailed: why
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
    static Result<std::unique_ptr<MirrorJob>> create(Disk source, Disk target, ValidOptions options,
                                                     Logger log = {});
    ~MirrorJob(); ///< cancels a running job and waits for its thread

    MirrorJob(const MirrorJob&) = delete;
    MirrorJob& operator=(const MirrorJob&) = delete;

    void setListener(Listener listener); ///< before start()
    /// Cells of the dirty map to publish with progress (0: none); at most
    /// one per granule.
    void setDirtyMapCells(std::size_t cells);
    /// Makes the job member @p member of a group that shares its source
    /// reads (see SharedReads); before start().
    void shareReads(std::shared_ptr<SharedReads> reads, unsigned member);
    /// Keeps the job's state in @p journal so that it can go on after an
    /// interruption, and starts from the journal's plan; before start().
    void setJournal(std::unique_ptr<JobJournal> journal);
    const JobJournal* journal() const { return m_journal.get(); }
    void start();

    // Commands: refused with a message naming state and verb where the verb
    // table says no; otherwise queued for the job thread.
    Result<void> complete();
    /// After READY a cancel quiesces the source like Complete, so the target
    /// is a copy of one moment; @p quick skips that (see powerCutCopy).
    Result<void> cancel(bool quick = false);
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
    /// The bytes the job covers: the source's size, or the target's when
    /// the rest of a larger target is wiped.
    std::uint64_t extent() const { return m_dirty.size(); }

    /// Blocks until the job concluded; the result stays valid while the job lives.
    const JobResult& wait();
    bool finished() const { return m_finished.load(); }

private:
    MirrorJob(Disk source, Disk target, MirrorOptions options, std::uint64_t granularity,
              std::uint64_t extent, Logger log);
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
    std::shared_ptr<SharedReads> m_shared;
    unsigned m_member = 0;
    std::unique_ptr<JobJournal> m_journal;

    // Thread-safe by themselves.
    DirtyBitmap m_dirty;
    std::atomic<JobStatus> m_status{JobStatus::Created};
    std::atomic<bool> m_finished{false};
    std::atomic<bool> m_wakePending{false};
    std::atomic<bool> m_cancelFlag{false};           ///< lets a long verification stop early
    std::atomic<std::uint64_t> m_writeGeneration{0}; ///< bumped by every notifyWrite
    // What notifyWrite added, for the forecast: granules it turned from
    // clean to dirty, and the bytes the source's writers wrote.
    std::atomic<std::uint64_t> m_newlyDirtyGranules{0};
    std::atomic<std::uint64_t> m_writtenBytes{0};
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
