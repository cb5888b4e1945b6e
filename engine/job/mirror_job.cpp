// The mirror job's engine thread.
//
// One loop owns everything mutable (ring, buffers, request slots, state):
//
//   commands -> fill slots from the dirty bitmap -> submit + wait -> reap
//       ^                                                            |
//       +------------------------------------------------------------+
//
// A slot is one request in flight over a granule-aligned byte range:
// Read (source -> buffer) then Write (buffer -> target), or Zero (a run that
// reads as zeroes: a hole of the source, or a buffer that came back all
// zero) which becomes fallocate on the target instead of data. The dirty
// bits of a range are cleared before its read is staged; every failure puts
// them back before the error policy decides (QEMU mirror_iteration).
// Slots never overlap, so two requests never cover one granule.

#include "job/mirror_job.h"

#include "base/aligned_buffer.h"
#include "base/units.h"
#include "io/ring.h"
#include "job/rate_limiter.h"
#include "job/yield_controller.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/ioprio.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace engine {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

Result<ValidOptions> ValidOptions::check(MirrorOptions options)
{
    if (auto r = validate(options); !r)
        return r.error();
    return ValidOptions(std::move(options));
}

std::uint64_t defaultGranularity(const Disk& target)
{
    // 64 KiB as QEMU, but never below what the target writes in one piece:
    // a granule smaller than the physical block turns every write into a
    // read-modify-write inside the device.
    return std::clamp<std::uint64_t>(target.physicalBlockSize(), kDefaultGranularity,
                                     kMaxGranularity);
}

namespace {

class FunctionQuiescer : public Quiescer
{
public:
    FunctionQuiescer(std::function<Result<void>()> q, std::function<void()> r)
        : m_quiesce(std::move(q)), m_release(std::move(r))
    {
    }
    Result<void> quiesce(std::chrono::milliseconds) override
    {
        return m_quiesce ? m_quiesce() : Result<void>{};
    }
    Result<void> release() override
    {
        if (m_release)
            m_release();
        return {};
    }

private:
    std::function<Result<void>()> m_quiesce;
    std::function<void()> m_release;
};

} // namespace

std::shared_ptr<Quiescer> makeQuiescer(std::function<Result<void>()> quiesce,
                                       std::function<void()> release)
{
    return std::make_shared<FunctionQuiescer>(std::move(quiesce), std::move(release));
}

namespace {

constexpr std::uint64_t kWakeTag = ~0ull;
constexpr std::uint64_t kCancelWakeTag = ~0ull - 1;
constexpr std::uint64_t kCommitFlushTag = ~0ull - 2;
// An NBD export's socket, polled through the ring: readable, writable, and
// the cancellation of those polls at the end.
constexpr std::uint64_t kSourcePollIn = ~0ull - 3;
constexpr std::uint64_t kSourcePollOut = ~0ull - 4;
constexpr std::uint64_t kTargetPollIn = ~0ull - 5;
constexpr std::uint64_t kTargetPollOut = ~0ull - 6;
constexpr std::uint64_t kCancelPollTag = ~0ull - 7;
constexpr auto kTick = 100ms;
// A granule the last checkpoint calls in sync waits at most this long for a
// checkpoint without it before it is copied again: one commit (a small
// write and an fdatasync of the state file) serves every such granule
// dirtied meanwhile.
constexpr auto kInvalidateEvery = 50ms;
// A zero run costs no data transfer, so it may cover far more than a buffer.
constexpr std::uint64_t kMaxZeroRun = 256ull << 20;
// The I/O priority of a yielding job's requests, its target writes included
// (docs/decisions.md has the measurements): the disk's scheduler serves the
// user's requests first within an interval, which the controller, acting
// once per interval, cannot do; and a target on the same disk, or below the
// same loop device, queues with the user's writes.
constexpr std::uint16_t kYieldIoPriority = IOPRIO_PRIO_VALUE(IOPRIO_CLASS_IDLE, 0);

bool isAllZero(const std::uint8_t* p, std::size_t n)
{
    // Buffers are 4 KiB aligned and lengths are multiples of 8 except at the
    // tail of an odd-sized image.
    std::size_t i = 0;
    for (; i + 64 <= n; i += 64) {
        std::uint64_t acc = 0;
        for (std::size_t k = 0; k < 64; k += 8) {
            std::uint64_t w;
            std::memcpy(&w, p + i + k, 8);
            acc |= w;
        }
        if (acc)
            return false;
    }
    for (; i < n; ++i)
        if (p[i])
            return false;
    return true;
}

void appendMerged(std::vector<ByteRange>& ranges, ByteRange r)
{
    if (!ranges.empty() && ranges.back().end() == r.offset)
        ranges.back().length += r.length;
    else
        ranges.push_back(r);
}

} // namespace

// ---------------------------------------------------------------------------

struct MirrorJob::Impl
{
    /// Await: another member of the group reads the range now (SharedReads).
    enum class OpKind { Free, Read, Write, Zero, ZeroWrite, Await };
    struct Op
    {
        OpKind kind = OpKind::Free;
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
        std::uint64_t progress = 0; ///< bytes of the current phase already done
        std::uint8_t* buf = nullptr;
        bool zero = false;          ///< counts as zeroed in the statistics
        bool claimed = false;       ///< its read is the group's (SharedReads::Claim::Read)
        bool extra = false;         ///< another member read the range before: a re-read
        Clock::time_point issued{}; ///< of the request in flight, when yielding
        ByteRange range() const { return {offset, length}; }
    };

    MirrorJob& job;
    Disk& src;
    Disk& dst;
    DirtyBitmap& dirty;
    Logger log;
    // The buffers outlive the ring (declared first, destroyed last), and the
    // ring is drained before either goes: the kernel owns a buffer until its
    // request is reaped.
    AlignedBuffer slab;
    std::uint64_t* wakeValue = nullptr; ///< in slab, written by the kernel
    std::optional<Ring> ring;
    bool ringBroken = false;             ///< requests could not be waited for: slab is leaked
    std::optional<WrittenHashes> hashes; ///< with verify: what each block got
    std::uint64_t slotSize = 0;
    std::vector<Op> ops;
    unsigned inFlight = 0;
    std::uint64_t inFlightBytes = 0;
    std::uint64_t cursor = 0;
    RateLimiter limiter;
    std::uint64_t userSpeed = 0; ///< the explicit limit (--speed, setSpeed)

    // Yielding to other I/O on the source's disk (YieldMode::Auto, live source).
    bool yieldActive = false;
    std::optional<YieldController> yielder;
    std::string statPath;             ///< the source's disk's stat file
    bool targetOnSourceDisk = false;  ///< the job's writes count as its own too
    std::uint64_t maxRequest = 0;     ///< the disk may split larger requests
    unsigned maxSlots = kMaxInFlight; ///< kMaxInFlight, or kMaxInFlightNbd
    unsigned depthCap = kMaxInFlight;
    OwnIo own;                     ///< since the last sample
    Clock::time_point busySince{}; ///< while requests are in flight: since when
    Clock::time_point lastSample{};
    bool sampling = false; ///< the last turn copied (for the forecast's clock)

    Forecast forecast;
    std::uint64_t doneAtSample = 0;
    struct
    {
        bool valid = false;
        std::uint64_t generation = 0;
        std::uint64_t from = 0;
        std::uint64_t dataStart = 0;
        std::uint64_t dataEnd = 0;
    } extentCache;
    bool punchSupported = true;
    bool zeroRangeSupported = true;

    bool readyReached = false;
    /// A Complete, or a Cancel after READY that copies under a quiesce as
    /// Complete does, so that the target is a copy of one moment.
    enum class Finish { None, Complete, Cancel };
    Finish finishing = Finish::None;
    bool cancelRequested = false; ///< end now: before READY, or a quick cancel
    bool quickCancel = false;
    std::string powerCutReason; ///< why a consistent cancel became a quick one
    bool quiesced = false;
    Clock::time_point quiesceStart{};
    bool wakeArmed = false;
    bool tearingDown = false;
    bool pollsParked = false; ///< an export's socket is not polled (verification, the end)
    bool verifying = false;
    std::uint64_t verifyDone = 0;
    std::uint64_t verifyTotal = 0;
    std::optional<Error> failure;
    bool failureFromSource = false;
    std::string ioError;

    // The journal (setJournal): checkpoints to resume from.
    JobJournal* journal = nullptr;
    bool resuming = false;
    Clock::time_point nextCheckpoint{};
    Clock::time_point lastInvalidate{};
    bool needInvalidate = false; ///< a dirty granule waits for invalidate()
    bool stopCommitted = false;  ///< committed since the job last stopped
    /// A checkpoint taken while copying goes on: which flush it waits for.
    enum class CommitStep { Idle, Target, Hashes, Slot };
    CommitStep commitStep = CommitStep::Idle;
    bool commitFlushInFlight = false;
    std::vector<std::uint8_t> zeroes; ///< a granule of them, for its hash
    std::uint64_t zeroGranuleHash = 0;
    std::vector<std::uint64_t> hashScratch;
    bool comparing = false;
    std::uint64_t compareDone = 0;
    std::uint64_t compareTotal = 0;

    // An export whose connection was lost (MirrorOptions::reconnectSeconds):
    // nothing new starts until its server answers again.
    struct Lost
    {
        Clock::time_point since;
        Clock::time_point nextTry;
        unsigned attempts = 0;
        std::string endpoint;
    };
    std::optional<Lost> lostExport;
    unsigned reconnects = 0;
    /// What an export target acknowledged since its last flush, and what a
    /// flush in flight covers: a server that restarts may have lost both.
    std::unique_ptr<DirtyBitmap> unflushed;
    std::unique_ptr<DirtyBitmap> flushing;

    std::uint64_t bytesDone = 0;
    std::uint64_t bytesZeroed = 0;
    std::uint64_t sourceBytesRead = 0;
    std::vector<ByteRange> unreadable;
    std::vector<ByteRange> unwritable;
    std::uint64_t unreadableBytes = 0;
    Clock::time_point startTime = Clock::now();
    Clock::time_point lastPublish{};
    std::uint64_t generation = 0;

    explicit Impl(MirrorJob& j)
        : job(j), src(j.m_source), dst(j.m_target), dirty(j.m_dirty), log(j.m_log),
          forecast(j.m_granularity)
    {
    }
    ~Impl()
    {
        ring.reset();
        if (ringBroken)
            slab.leak();
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    JobStatus status() const { return job.m_status.load(); }
    bool stopped() const
    {
        const auto s = status();
        return s == JobStatus::Paused || s == JobStatus::Standby;
    }

    void emit(JobEvent ev)
    {
        if (job.m_listener)
            job.m_listener(ev);
    }

    void transition(JobStatus to)
    {
        const JobStatus from = status();
        if (from == to)
            return;
        if (!canTransition(from, to)) {
            log->error("internal: transition {} -> {} is not allowed", toString(from),
                       toString(to));
            return;
        }
        log->debug("job status {} -> {}", toString(from), toString(to));
        job.m_status.store(to);
        publish(true);
        emit({JobEvent::Kind::StatusChanged, from, to, {}});
    }

    // -- setup ---------------------------------------------------------------

    Result<void> init()
    {
        const std::uint64_t g = job.m_granularity;
        maxSlots = src.isNbd() || dst.isNbd() ? kMaxInFlightNbd : kMaxInFlight;
        depthCap = maxSlots;
        slotSize = std::max<std::uint64_t>(g, job.m_options.bufSize / maxSlots / g * g);
        const auto slots = static_cast<unsigned>(
            std::clamp<std::uint64_t>(job.m_options.bufSize / slotSize, 1, maxSlots));
        // One more aligned block at the end holds the wake-up counter.
        auto buffer =
            AlignedBuffer::allocate(slots * slotSize + AlignedBuffer::kAlignment, "copy buffers");
        if (!buffer)
            return Error{ENOMEM, "cannot allocate " + formatBytes(slots * slotSize) +
                                     " of copy buffers (--buf-size)"};
        slab = std::move(*buffer);
        wakeValue = reinterpret_cast<std::uint64_t*>(slab.data() + slots * slotSize);
        ops.resize(slots);
        for (unsigned i = 0; i < slots; ++i)
            ops[i].buf = slab.data() + i * slotSize;
        if (job.m_options.verify) {
            try {
                hashes.emplace(src.size(), g);
            } catch (const std::bad_alloc&) {
                return Error{ENOMEM, "cannot allocate the verification hashes for " +
                                         formatBytes(src.size())};
            }
        }
        auto r = Ring::create(4 * maxSlots, childLogger(log, "engine.ring"));
        if (!r)
            return r.error();
        ring.emplace(std::move(*r));
        userSpeed = job.m_options.speed;
        limiter.setSpeed(userSpeed);
        initYield();
        if (dst.canReconnect() && job.m_options.reconnectSeconds > 0) {
            try {
                unflushed = std::make_unique<DirtyBitmap>(dirty.size(), g);
                flushing = std::make_unique<DirtyBitmap>(dirty.size(), g);
            } catch (const std::bad_alloc&) {
                return Error{ENOMEM, "cannot allocate the map of unflushed writes"};
            }
        }
        if (job.m_journal) {
            journal = job.m_journal.get();
            resuming = journal->plan().from != ResumePlan::From::Scratch;
            zeroes.assign(g, 0);
            zeroGranuleHash = JobJournal::hashGranule(zeroes.data(), zeroes.size());
            log->info("checkpoints every {} s in {}",
                      std::chrono::duration<double>(journal->interval()).count(),
                      journal->paths().checkpoint);
        }
        armWake();
        log->info("mirror {} -> {}: {}, sync {}, granularity {}, {} x {} buffers, {}", src.path(),
                  dst.path(), formatBytes(src.size()), toString(job.m_options.sync), formatBytes(g),
                  slots, formatBytes(slotSize),
                  src.directIo() && dst.directIo() ? "direct I/O" : "buffered I/O on one side");
        return {};
    }

    // The stat file of the disk that holds @p disk: a device's own, or
    // the one under an image file's file system; empty when there is none
    // (tmpfs, overlay: no block device to watch).
    static std::string diskStatOf(const Disk& disk)
    {
        if (disk.isNbd())
            return {}; // another machine's disk: nothing here to watch
        if (disk.isBlockDevice())
            return diskStatPath(disk.identity().rdev);
        struct stat st; // NOLINT: filled by fstat
        if (::fstat(disk.fd(), &st) != 0 || major(st.st_dev) == 0)
            return {};
        return diskStatPath(st.st_dev);
    }

    void initYield()
    {
        if (job.m_options.yield != YieldMode::Auto || !job.m_options.quiescer)
            return; // nobody else uses the disk (or the user said so): full speed
        statPath = diskStatOf(src);
        auto stat = statPath.empty() ? Result<BlockStat>(Error{ENODEV, "no block device"})
                                     : readBlockStat(statPath);
        if (!stat) {
            log->warn("not yielding to other I/O on {}: its disk statistics cannot be read ({})",
                      src.path(), stat.error().message);
            return;
        }
        yieldActive = true;
        yielder.emplace(userSpeed);
        maxRequest = unsplitRequestBytes(statPath);
        targetOnSourceDisk = diskStatOf(dst) == statPath;
        log->info("yielding to other I/O on {} (watching {}, reads of up to {}{})", src.path(),
                  statPath, formatBytes(maxRunLength()),
                  targetOnSourceDisk ? ", the target on the same disk" : "");
    }

    // Called every turn of the loop; acts about every kTick while copying.
    void sample(Clock::time_point now)
    {
        const bool copying = !stopped() && !quiesced;
        if (!copying) {
            if (sampling)
                forecast.interrupt();
            sampling = false;
            return;
        }
        if (sampling && now - lastSample < kTick)
            return;
        const bool first = !sampling;
        sampling = true;
        lastSample = now;
        if (yieldActive)
            sampleYield(now, first);
        sampleForecast(now, first);
    }

    void sampleYield(Clock::time_point now, bool afterStop)
    {
        auto stat = readBlockStat(statPath);
        if (!stat) {
            log->warn("not yielding any more: {}", stat.error().message);
            yieldActive = false;
            yielder.reset();
            depthCap = maxSlots;
            limiter.setSpeed(userSpeed);
            return;
        }
        // The disk counts a request when it ends, the job when it reaps
        // it, and the ring holds finished requests back until it is waited
        // on: what the disk has counted but the job not yet would pass for
        // the user's I/O. Reaped (by a wait of no time) after the disk's
        // counters were read, the job's count can only be ahead, which the
        // controller carries over.
        if (auto r = waitForCompletions(std::chrono::nanoseconds::zero()); !r)
            log->warn("{}", r.error().message);
        if (afterStop) {
            // A stop's gap says nothing of the foreground: start afresh
            // from this sample.
            own = {};
        }
        if (inFlight > 0) {
            addBusy(now);
            busySince = std::max(busySince, now);
        }
        const auto& state = yielder->addSample({now, *stat, own});
        own = {};
        applyYield(state);
    }

    void applyYield(const YieldController::State& state)
    {
        // The controller's depth is out of kMaxDepth; an export's deeper
        // queue of smaller requests scales with it.
        depthCap = std::max(1u, state.maxInFlight * maxSlots / YieldController::kMaxDepth);
        limiter.retune(state.rateLimit);
    }

    void sampleForecast(Clock::time_point now, bool restart)
    {
        ForecastSample f;
        f.time = now;
        f.newlyDirtyGranules = job.m_newlyDirtyGranules.exchange(0);
        f.writtenBytes = job.m_writtenBytes.exchange(0);
        f.copiedBytes = bytesDone - doneAtSample;
        doneAtSample = bytesDone;
        f.remainingBytes = dirty.dirtyBytes() + inFlightBytes;
        // The user's limit, not the yield's: a copy held by yielding should
        // hear "yield off", not "raise the speed limit".
        f.speedLimit = userSpeed;
        f.yielding = yieldActive && yielder->state().yielding;
        if (restart) {
            f.newlyDirtyGranules = 0;
            f.writtenBytes = 0;
            f.copiedBytes = 0;
        }
        forecast.addSample(f);
    }

    void addBusy(Clock::time_point until)
    {
        if (until > busySince)
            own.busyNs += static_cast<std::uint64_t>(
                std::chrono::duration_cast<std::chrono::nanoseconds>(until - busySince).count());
    }

    // What the job itself did on the source's disk, counted as the disk
    // counts it, so that the controller can tell it from the foreground's.
    void countOwn(const Op& op, std::uint64_t bytes, bool read)
    {
        if (!yieldActive || (!read && !targetOnSourceDisk))
            return;
        countOwnIo(read ? own.reads : own.writes, bytes, Clock::now() - op.issued, maxRequest);
        if (read)
            own.bytes += bytes;
    }

    // The longest data run: a slot, or on a watched disk what the disk takes
    // in one request. A read the disk splits or not depending on where its
    // pages happen to lie counts as one request or two, and the controller
    // would take the difference for the user's I/O; the disk would split
    // the larger ones anyway.
    std::uint64_t maxRunLength() const
    {
        const std::uint64_t g = job.m_granularity;
        if (!yieldActive || maxRequest < g)
            return slotSize;
        return std::min(slotSize, maxRequest / g * g);
    }

    // The final copy under a quiesce keeps the normal priority: the
    // source's writers wait for it.
    std::uint16_t ioPriority() const { return yieldActive && !quiesced ? kYieldIoPriority : 0; }

    Result<void> initDirty()
    {
        if (auto r = resuming ? resumeDirty() : initSyncDirty(); !r)
            return r;
        if (job.extent() > src.size()) {
            // The rest of a larger target is wiped as part of the copy. The
            // granule the source ends in is its last data granule, so the
            // few bytes between the source's end and the next granule are
            // zeroed here and the wipe starts on a granule.
            const std::uint64_t g = job.m_granularity;
            const std::uint64_t from = std::min(roundUp(src.size(), g), job.extent());
            if (auto r = dst.writeZeroes(src.size(), from - src.size(), job.m_options.unmap); !r)
                return r.error();
            if (!resuming)
                dirty.set(from, job.extent() - from);
            log->info("the target past the source's end ({}) is wiped",
                      formatBytes(job.extent() - src.size()));
        }
        return {};
    }

    Result<void> initSyncDirty()
    {
        switch (job.m_options.sync) {
        case SyncMode::Full:
            if (!job.m_options.targetReadsZero) {
                dirty.setAll();
                break;
            }
            if (auto n = dirtyAllocated(false); !n)
                return n.error();
            else
                log->info("new target reads as zeroes: {} of data in {} extents to copy, holes "
                          "left as they are",
                          formatBytes(dirty.dirtyBytes()), *n);
            countHolesAsDone();
            break;
        case SyncMode::Top:
            if (auto n = dirtyAllocated(true); !n)
                return n.error();
            else
                log->info("sync top: {} allocated in {} extents", formatBytes(dirty.dirtyBytes()),
                          *n);
            break;
        case SyncMode::None:
            break;
        }
        return {};
    }

    // The holes a new target already reads as zeroes are as good as zero
    // runs written: progress reaches the whole disk at READY (QEMU's offset
    // = len), and the verification knows what they hold.
    void countHolesAsDone()
    {
        std::uint64_t pos = 0;
        while (pos < src.size()) {
            const auto run = dirty.nextDirtyRun(pos, src.size());
            const std::uint64_t holeEnd = run ? std::min(run->offset, src.size()) : src.size();
            if (holeEnd > pos) {
                bytesDone += holeEnd - pos;
                bytesZeroed += holeEnd - pos;
                if (hashes)
                    hashes->recordZero(pos, holeEnd - pos);
            }
            if (!run)
                break;
            pos = run->end();
        }
    }

    // Marks dirty what the source holds (@p topLayer: its top layer alone);
    // the number of extents.
    Result<std::uint64_t> dirtyAllocated(bool topLayer)
    {
        std::uint64_t pos = 0;
        std::uint64_t extents = 0;
        while (pos < src.size()) {
            auto ext = topLayer ? src.nextInTopLayer(pos) : src.nextAllocated(pos);
            if (!ext)
                return ext.error();
            if (!*ext)
                break;
            dirty.set((*ext)->offset, (*ext)->length);
            pos = (*ext)->end();
            ++extents;
        }
        return extents;
    }

    // -- the journal ---------------------------------------------------------

    // The checkpoint's map: what it does not call in sync is dirty; on the
    // compare path, so is what the source no longer agrees with.
    Result<void> resumeDirty()
    {
        const ResumePlan& plan = journal->plan();
        const Checkpoint& c = plan.checkpoint;
        const std::uint64_t g = job.m_granularity;
        std::uint64_t inSync = 0;
        for (std::uint64_t i = 0; i < c.granules;) {
            std::uint64_t n = 1;
            const bool in = c.granuleInSync(i);
            while (i + n < c.granules && c.granuleInSync(i + n) == in)
                ++n;
            const std::uint64_t end = std::min(job.extent(), (i + n) * g);
            if (in)
                inSync += end - i * g;
            else
                dirty.set(i * g, end - i * g);
            i += n;
        }
        for (const ByteRange& r : plan.unreadable) {
            appendMerged(unreadable, r);
            unreadableBytes += r.length;
        }
        job.m_result.resumedFrom = std::string(toString(plan.from));
        job.m_result.resumeWhy = plan.why;
        job.m_result.resumedInSyncBytes = inSync;
        log->info("resuming from the checkpoint of {} ({} of {} in sync): {}",
                  journal->paths().checkpoint, formatBytes(inSync), formatBytes(job.extent()),
                  plan.why);
        if (plan.from == ResumePlan::From::Compare)
            return compareWithHashes(c);
        return {};
    }

    // Reads every in-sync granule of the source once and copies again those
    // whose data hashes otherwise than what the target got. A write to the
    // source meanwhile is tracked as any other: it dirties its granules.
    Result<void> compareWithHashes(const Checkpoint& c)
    {
        const std::uint64_t g = job.m_granularity;
        const std::uint64_t cap = std::max<std::uint64_t>(g, ops.size() * slotSize / g * g);
        const std::uint64_t granules = std::min(c.granules, (src.size() + g - 1) / g);
        for (std::uint64_t i = 0; i < granules; ++i)
            if (c.granuleInSync(i))
                compareTotal += std::min(g, src.size() - i * g);
        comparing = true;
        publish(true);
        std::vector<std::uint64_t> saved;
        std::uint64_t changed = 0;
        std::uint8_t* buf = slab.data();
        for (std::uint64_t i = 0; i < granules && !job.m_cancelFlag.load();) {
            if (!c.granuleInSync(i)) {
                ++i;
                continue;
            }
            std::uint64_t n = 1;
            while (i + n < granules && c.granuleInSync(i + n) && (n + 1) * g <= cap)
                ++n;
            const std::uint64_t off = i * g;
            const std::uint64_t len = std::min(n * g, src.size() - off);
            saved.resize(n);
            if (auto r = journal->recordedHashes(i, saved); !r)
                return r;
            const bool read = readSource(buf, off, len);
            for (std::uint64_t k = 0; k < n; ++k) {
                const std::uint64_t glen = std::min(g, len - k * g);
                if (saved[k] == 0 && !copiedBySync(off + k * g, glen))
                    continue;
                if (read && saved[k] != 0 && JobJournal::hashGranule(buf + k * g, glen) == saved[k])
                    continue;
                dirty.set(off + k * g, glen);
                changed += glen;
            }
            sourceBytesRead += len;
            compareDone += len;
            publish(false);
            i += n;
        }
        comparing = false;
        job.m_result.resumeChangedBytes = changed;
        log->info("resume: compared {} of the source with what the target got; {} changed and "
                  "will be copied again",
                  formatBytes(compareDone), formatBytes(changed));
        return {};
    }

    // A granule in sync that the job never wrote was left as the target had
    // it by the sync mode (a hole of a sync top source, a hole of the source
    // on a new target that reads as zeroes, anything of sync none): so it
    // stays, unless the sync mode would copy it now that the source holds
    // data there.
    bool copiedBySync(std::uint64_t offset, std::uint64_t length)
    {
        if (job.m_options.sync == SyncMode::None)
            return false;
        auto ext = job.m_options.sync == SyncMode::Top ? src.nextInTopLayer(offset)
                                                       : src.nextAllocated(offset);
        return !ext || (*ext && (*ext)->offset < offset + length);
    }

    // A plain blocking read (the comparison, the rescue of a failed range);
    // false when the range cannot be read.
    bool readSource(std::uint8_t* buf, std::uint64_t offset, std::uint64_t length)
    {
        return src.readAt(buf, length, offset).has_value();
    }

    // What the target got for @p op, granule by granule, for a later
    // comparison.
    void recordHashes(const Op& op)
    {
        const std::uint64_t g = job.m_granularity;
        hashScratch.clear();
        for (std::uint64_t pos = 0; pos < op.length; pos += g) {
            const std::uint64_t off = op.offset + pos;
            const std::uint64_t glen = std::min(g, op.length - pos);
            if (off >= src.size())
                hashScratch.push_back(0); // the wipe past the source: nothing to compare
            else if (op.zero)
                hashScratch.push_back(glen == g ? zeroGranuleHash
                                                : JobJournal::hashGranule(zeroes.data(), glen));
            else
                hashScratch.push_back(
                    JobJournal::hashGranule(op.buf + pos, std::min(glen, src.size() - off)));
        }
        if (auto r = journal->recordHashes(op.offset / g, hashScratch); !r)
            journalFailed(r.error());
    }

    // The checkpoints cannot go on: the copy does, but cannot be resumed.
    // The last checkpoint goes too, since the job may now write granules
    // it calls in sync.
    void journalFailed(const Error& why)
    {
        log->warn("checkpoints stopped ({}); the copy goes on but cannot be resumed after an "
                  "interruption",
                  why.message);
        journal->remove();
        journal = nullptr;
        needInvalidate = false;
    }

    static void clearBits(std::vector<std::uint8_t>& bits, std::uint64_t first, std::uint64_t last)
    {
        for (; first <= last && first % 8; ++first)
            bits[first / 8] = static_cast<std::uint8_t>(bits[first / 8] & ~(1u << (first % 8)));
        if (first + 8 <= last + 1) {
            const std::uint64_t bytes = (last + 1 - first) / 8;
            std::memset(bits.data() + first / 8, 0, bytes);
            first += bytes * 8;
        }
        for (; first <= last; ++first)
            bits[first / 8] = static_cast<std::uint8_t>(bits[first / 8] & ~(1u << (first % 8)));
    }

    // Granules that are neither dirty nor in flight nor left unwritten:
    // what the target holds as the source has it, once flushed.
    std::vector<std::uint8_t> inSyncMap() const
    {
        const std::uint64_t g = job.m_granularity;
        const std::uint64_t granules = dirty.granuleCount();
        std::vector<std::uint8_t> bits(checkpointBitmapBytes(granules), 0xff);
        if (granules % 8)
            bits.back() = static_cast<std::uint8_t>((1u << (granules % 8)) - 1);
        auto clear = [&](ByteRange r) {
            if (r.length > 0)
                clearBits(bits, r.offset / g, std::min(granules - 1, (r.end() - 1) / g));
        };
        std::uint64_t pos = 0;
        while (auto run = dirty.nextDirtyRun(pos, dirty.size())) {
            clear(*run);
            pos = run->end();
        }
        for (const auto& op : ops)
            if (op.kind != OpKind::Free)
                clear(op.range());
        for (const ByteRange& r : unwritable)
            clear(r);
        return bits;
    }

    // Snapshot, flush, commit: a granule the checkpoint calls in sync is on
    // the target durably, with its hash.
    void checkpoint()
    {
        if (!journal)
            return;
        nextCheckpoint = Clock::now() + journal->interval();
        auto bits = inSyncMap();
        if (auto r = flushDst(); !r) {
            log->warn("no checkpoint: {}", r.error().message);
            return;
        }
        if (auto r = journal->commit(std::move(bits)); !r)
            journalFailed(r.error());
    }

    // The periodic checkpoint, in steps that never block the copy: the
    // target's flush alone can take seconds behind a large write cache.
    void startCommit(Clock::time_point now)
    {
        nextCheckpoint = now + journal->interval();
        journal->stage(inSyncMap());
        commitStep = CommitStep::Target;
        submitCommitStep();
    }

    void submitCommitStep()
    {
        if (commitFlushInFlight || commitStep == CommitStep::Idle)
            return;
        // A full queue: the next turn asks again.
        if (commitStep == CommitStep::Target) {
            commitFlushInFlight = dst.stageFlush(*ring, kCommitFlushTag);
            if (commitFlushInFlight)
                flushStarted();
        } else
            commitFlushInFlight = ring->prepareDataSync(
                commitStep == CommitStep::Hashes ? journal->hashFd() : journal->slotFd(),
                kCommitFlushTag);
    }

    void onCommitFlushed(int res)
    {
        commitFlushInFlight = false;
        const CommitStep step = std::exchange(commitStep, CommitStep::Idle);
        if (step == CommitStep::Target) {
            flushEnded(res >= 0);
            if (res < 0 && connectionLost(dst))
                markLost(dst);
        }
        // A checkpoint committed at once (pause, READY, the end) took the
        // staged one's place.
        if (!journal || (step != CommitStep::Slot && !journal->hasStaged()))
            return;
        if (res < 0 && step == CommitStep::Target) {
            log->warn("no checkpoint: flush {}: {}", dst.path(), std::strerror(-res));
            journal->dropStaged();
            return;
        }
        if (res < 0) {
            journalFailed(systemError(-res, "flush " + (step == CommitStep::Hashes
                                                            ? journal->paths().hashes
                                                            : journal->paths().checkpoint)));
            return;
        }
        switch (step) {
        case CommitStep::Target:
            commitStep = CommitStep::Hashes;
            break;
        case CommitStep::Hashes:
            if (auto r = journal->writeStaged(); !r) {
                journalFailed(r.error());
                return;
            }
            commitStep = CommitStep::Slot;
            break;
        case CommitStep::Slot:
            journal->slotSynced();
            return;
        case CommitStep::Idle:
            return;
        }
        submitCommitStep();
    }

    void maybeCheckpoint(Clock::time_point now)
    {
        if (!journal || quiesced)
            return;
        if (stopped()) {
            // A paused job may be left so for long, or the machine shut down.
            if (inFlight == 0 && !stopCommitted) {
                checkpoint();
                stopCommitted = true;
            }
            return;
        }
        stopCommitted = false;
        if (needInvalidate && (now - lastInvalidate >= kInvalidateEvery)) {
            lastInvalidate = now;
            needInvalidate = false;
            if (auto r = journal->invalidate(dirty); !r)
                journalFailed(r.error());
        }
        if (!journal)
            return;
        if (commitStep != CommitStep::Idle)
            submitCommitStep();
        else if (now >= nextCheckpoint)
            startCommit(now);
    }

    // Under a quiesce the final copy cannot wait for the next turn.
    void invalidateNow()
    {
        if (!journal || !needInvalidate)
            return;
        lastInvalidate = Clock::now();
        needInvalidate = false;
        if (auto r = journal->invalidate(dirty); !r)
            journalFailed(r.error());
    }

    void armWake()
    {
        // The eventfd read completes whenever another thread calls wake();
        // without it the loop could only notice commands at its next tick.
        wakeArmed = ring->prepareRead(job.m_wakeFd, wakeValue, sizeof *wakeValue, 0, kWakeTag);
    }

    // -- commands ------------------------------------------------------------

    void processCommands()
    {
        std::deque<Command> cmds;
        {
            std::lock_guard lock(job.m_commandMutex);
            cmds.swap(job.m_commands);
        }
        for (const auto& c : cmds) {
            if (!isVerbAllowed(c.verb, status())) {
                log->debug("dropping {}: not allowed while {}", toString(c.verb),
                           toString(status()));
                continue;
            }
            switch (c.verb) {
            case JobVerb::Cancel:
                // After READY, and with nothing stopped, a cancel leaves a
                // copy of one moment: the final copy of Complete, under a
                // quiesce, without Complete's verification. Otherwise (or
                // when asked to be quick) it ends now.
                if (readyReached && c.argument == 0 && status() == JobStatus::Ready &&
                    ioError.empty()) {
                    finishing = Finish::Cancel;
                } else {
                    cancelRequested = true;
                    quickCancel = readyReached;
                }
                break;
            case JobVerb::Pause:
                transition(status() == JobStatus::Ready ? JobStatus::Standby : JobStatus::Paused);
                break;
            case JobVerb::Resume:
                if (!ioError.empty())
                    log->info("resuming after I/O error: {}", ioError);
                ioError.clear();
                transition(status() == JobStatus::Standby ? JobStatus::Ready : JobStatus::Running);
                break;
            case JobVerb::SetSpeed:
                userSpeed = c.argument;
                if (yieldActive) {
                    yielder->setSpeedCap(userSpeed);
                    limiter.setSpeed(yielder->state().rateLimit);
                } else {
                    limiter.setSpeed(userSpeed);
                }
                log->info("speed limit {}", c.argument ? formatRate(static_cast<double>(c.argument))
                                                       : std::string("off"));
                publish(true);
                break;
            case JobVerb::Complete:
                if (finishing == Finish::None)
                    finishing = Finish::Complete;
                break;
            }
        }
    }

    // -- staging -------------------------------------------------------------

    Op* freeSlot()
    {
        for (auto& op : ops)
            if (op.kind == OpKind::Free)
                return &op;
        return nullptr;
    }

    const Op* overlapping(ByteRange r) const
    {
        for (const auto& op : ops)
            if (op.kind != OpKind::Free && op.offset < r.end() && r.offset < op.offset + op.length)
                return &op;
        return nullptr;
    }

    struct Run
    {
        ByteRange range;
        bool zero = false;
    };

    // The next dirty run that no request covers, classified as data or zero
    // and already cleared in the bitmap. Scans from the cursor and wraps once.
    Result<std::optional<Run>> pickRun()
    {
        const std::uint64_t g = job.m_granularity;
        bool wrapped = false;
        for (unsigned guard = 0; guard < 4 * maxSlots + 4; ++guard) {
            auto found = dirty.nextDirtyRun(cursor, kMaxZeroRun);
            if (!found) {
                if (wrapped || cursor == 0)
                    return std::optional<Run>{};
                wrapped = true;
                cursor = 0;
                continue;
            }
            ByteRange r = *found;
            if (const Op* op = overlapping({r.offset, g})) {
                cursor = op->offset + op->length;
                continue;
            }
            if (journal) {
                // Not over what the last checkpoint calls in sync: that
                // waits for a checkpoint without it.
                const std::uint64_t first = r.offset / g;
                const std::uint64_t most = (r.length + g - 1) / g;
                if (const std::uint64_t held = journal->protectedRun(first, most)) {
                    needInvalidate = true;
                    cursor = std::min(job.extent(), (first + held) * g);
                    continue;
                }
                r.length = std::min(r.length, journal->unprotectedRun(first, most) * g);
                journal->unstage(first, (r.length + g - 1) / g);
            }
            for (const auto& op : ops)
                if (op.kind != OpKind::Free && op.offset > r.offset && op.offset < r.end())
                    r.length = op.offset - r.offset;

            // Clear before asking the source what the range holds: a write
            // that lands after this point dirties it again, so a stale answer
            // below can cost a second copy but never a lost write.
            dirty.reset(r.offset, r.length);
            Run run{r, false};
            const std::uint64_t srcEnd = src.size();
            if (r.offset >= srcEnd) {
                run.zero = true; // the rest of a larger target, being wiped
            } else if (r.end() > srcEnd) {
                run.range.length = srcEnd - r.offset;
            }
            if (r.offset < srcEnd && !src.isBlockDevice()) {
                auto ext = allocationAt(r.offset);
                if (!ext)
                    return ext.error();
                const auto [dataStart, dataEnd] = *ext;
                if (dataStart > r.offset) {
                    // A hole: zero up to the data, in whole granules (a granule
                    // that is partly data must be copied as data). The last
                    // granule of the disk may be partial.
                    std::uint64_t len = std::min(r.length, dataStart - r.offset);
                    if (r.offset + len < src.size())
                        len = len / g * g;
                    if (len > 0) {
                        run.range.length = len;
                        run.zero = true;
                    }
                } else if (dataEnd < src.size()) {
                    // Stop a data run at the extent end, rounded up to a granule,
                    // so the hole behind it becomes a zero run of its own.
                    const std::uint64_t end = std::min(roundUp(dataEnd, g), r.end());
                    run.range.length = end - r.offset;
                }
            }
            if (!run.zero)
                run.range.length = std::min(run.range.length, maxRunLength());
            // What this run does not cover stays to be copied; the granule
            // the source ends in is done when its data is.
            const std::uint64_t rest =
                run.range.end() == srcEnd ? roundUp(srcEnd, g) : run.range.end();
            if (rest < r.end())
                dirty.set(rest, r.end() - rest);
            cursor = run.range.end();
            return std::optional<Run>{run};
        }
        return std::optional<Run>{};
    }

    // Where the data around @p offset lies in the source file: [dataStart,
    // dataEnd) is the first extent at or after @p offset, everything from
    // @p offset to dataStart is a hole (dataStart = size: only holes). The
    // last answer is reused while no write was notified since it was taken,
    // because asking costs two system calls per request, and on some file
    // systems (tmpfs) time proportional to the file's size.
    Result<std::pair<std::uint64_t, std::uint64_t>> allocationAt(std::uint64_t offset)
    {
        const std::uint64_t gen = job.m_writeGeneration.load();
        if (extentCache.valid && extentCache.generation == gen && offset >= extentCache.from &&
            offset < extentCache.dataEnd)
            return std::pair{std::max(offset, extentCache.dataStart), extentCache.dataEnd};
        auto ext = src.nextAllocated(offset);
        if (!ext)
            return ext.error();
        extentCache.valid = true;
        extentCache.generation = gen;
        extentCache.from = offset;
        extentCache.dataStart = *ext ? (*ext)->offset : src.size();
        extentCache.dataEnd = *ext ? (*ext)->end() : src.size();
        return std::pair{extentCache.dataStart, extentCache.dataEnd};
    }

    Result<void> fill(Clock::time_point now)
    {
        if (lostExport)
            return {};
        // The final copy under a quiesce ignores the speed limit: every
        // moment of it is a moment the source's writers wait.
        while (quiesced || limiter.delay(now) == Clock::duration::zero()) {
            // The final copy under a quiesce runs at full depth as well.
            if (!quiesced && inFlight >= depthCap)
                break;
            Op* op = freeSlot();
            if (!op)
                break;
            auto run = pickRun();
            if (!run && connectionLost(src)) {
                markLost(src); // an allocation query found the server gone
                return {};
            }
            if (!run)
                return run.error();
            if (!*run)
                break;
            op->offset = (*run)->range.offset;
            op->length = (*run)->range.length;
            op->progress = 0;
            op->zero = (*run)->zero;
            if (inFlight++ == 0 && yieldActive)
                busySince = Clock::now();
            inFlightBytes += op->length;
            if (op->zero) {
                op->kind = OpKind::Zero;
                stageZero(*op);
            } else {
                startData(*op);
                limiter.account(op->length, now);
            }
        }
        return {};
    }

    // A data run: read from the source, or with a group from another
    // member's read of it.
    void startData(Op& op)
    {
        if (!job.m_shared) {
            op.kind = OpKind::Read;
            return stageRead(op);
        }
        const auto answer = job.m_shared->claim(job.m_member, op.range(), op.buf);
        if (answer.length < op.length) {
            // The answer covers the start of the run: the rest is to copy
            // still, and is claimed anew by a request of its own.
            dirty.set(op.offset + answer.length, op.length - answer.length);
            inFlightBytes -= op.length - answer.length;
            op.length = answer.length;
        }
        switch (answer.claim) {
        case SharedReads::Claim::Hit:
            op.progress = 0;
            if (answer.zero) {
                op.zero = true;
                op.kind = OpKind::Zero;
                return stageZero(op);
            }
            op.kind = OpKind::Write;
            return stageWrite(op);
        case SharedReads::Claim::Wait:
            op.kind = OpKind::Await;
            return;
        case SharedReads::Claim::Read:
            op.kind = OpKind::Read;
            op.claimed = true;
            op.extra = answer.extra;
            return stageRead(op);
        }
    }

    // Claims again what waited for another member's read: it landed (the
    // member woke this job), was given up, or is still in flight.
    void retryAwaiting()
    {
        for (auto& op : ops)
            if (op.kind == OpKind::Await)
                startData(op);
    }

    // What the group gets to know of a read of this job's that it shares.
    void unclaim(Op& op, bool landed)
    {
        if (!op.claimed)
            return;
        op.claimed = false;
        op.extra = false;
        if (landed)
            job.m_shared->publish(job.m_member, op.range(), op.buf, op.zero);
        else
            job.m_shared->abandon(job.m_member, op.range());
    }

    std::uint64_t tagOf(const Op& op) const { return static_cast<std::uint64_t>(&op - ops.data()); }

    void stageRead(Op& op)
    {
        const std::uint64_t left = op.length - op.progress;
        // The tail of an odd-sized image is read with an aligned length; the
        // kernel stops at the end of the file.
        const auto len = static_cast<std::uint32_t>(roundUp(left, src.requiredAlignment()));
        if (yieldActive)
            op.issued = Clock::now();
        // A member that fell behind reads again what the group read once:
        // in the idle class, so that its reads take only what the members
        // keeping pace leave of the disk.
        src.stageRead(*ring, op.buf + op.progress, len, op.offset + op.progress, tagOf(op),
                      op.extra && !quiesced ? kYieldIoPriority : ioPriority());
    }

    void stageWrite(Op& op)
    {
        if (yieldActive)
            op.issued = Clock::now();
        const std::uint64_t left = op.length - op.progress;
        const std::uint64_t off = op.offset + op.progress;
        if (op.kind == OpKind::ZeroWrite) {
            const auto len = static_cast<std::uint32_t>(std::min(left, slotSize));
            dst.stageWrite(*ring, op.buf, len, off, tagOf(op), ioPriority());
            return;
        }
        const auto len = static_cast<std::uint32_t>(left);
        dst.stageWrite(*ring, op.buf + op.progress, len, off, tagOf(op), ioPriority());
    }

    void stageZero(Op& op)
    {
        if (dst.isNbd()) {
            // The server's write-zeroes (a hole where it may punch one);
            // zero buffers over the wire only for one that has none.
            if (dst.nbd()->canZero())
                dst.nbd()->zero(op.offset, op.length, job.m_options.unmap, tagOf(op));
            else
                startZeroWrite(op);
            return;
        }
        if (job.m_options.unmap && punchSupported) {
            ring->prepareFallocate(dst.fd(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, op.offset,
                                   op.length, tagOf(op));
        } else if (zeroRangeSupported) {
            ring->prepareFallocate(dst.fd(), FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, op.offset,
                                   op.length, tagOf(op));
        } else {
            startZeroWrite(op);
        }
    }

    void startZeroWrite(Op& op)
    {
        std::memset(op.buf, 0, std::min(op.length, slotSize));
        op.kind = OpKind::ZeroWrite;
        op.progress = 0;
        stageWrite(op);
    }

    // -- completions ---------------------------------------------------------

    void finish(Op& op)
    {
        bytesDone += op.length;
        if (op.zero)
            bytesZeroed += op.length;
        if (hashes && op.offset < src.size()) {
            const std::uint64_t len = std::min(op.length, src.size() - op.offset);
            if (op.zero)
                hashes->recordZero(op.offset, len);
            else
                hashes->record(op.offset, op.buf, len);
        }
        if (journal)
            recordHashes(op);
        if (unflushed)
            unflushed->set(op.offset, op.length);
        release(op);
    }

    void release(Op& op)
    {
        if (--inFlight == 0 && yieldActive)
            addBusy(Clock::now());
        inFlightBytes -= op.length;
        op.kind = OpKind::Free;
    }

    void onCompletion(std::uint64_t tag, int res)
    {
        if (tag == kWakeTag) {
            if (res == -ECANCELED || tearingDown) {
                wakeArmed = false;
                return;
            }
            job.m_wakePending.store(false);
            armWake();
            return;
        }
        if (tag == kCancelWakeTag)
            return;
        if (tag == kCommitFlushTag)
            return onCommitFlushed(res);
        if (tag == kCancelPollTag || src.onPoll(tag, res) || dst.onPoll(tag, res))
            return;
        Op& op = ops[tag];
        if (res == -EAGAIN || res == -EINTR) {
            restage(op);
            return;
        }
        switch (op.kind) {
        case OpKind::Read:
            if (res < 0 && connectionLost(src))
                return onLost(op, src);
            if (res == 0 || (res < 0 && mayBeGone(-res))) {
                // A file that shrank reads short; a device pulled out fails:
                // neither is a bad sector to retry or skip.
                if (auto there = src.checkStillThere(); !there)
                    return onGone(op, there.error(), true);
            }
            if (res < 0)
                return onError(op, -res, true);
            if (res == 0)
                return onError(op, EIO, true);
            countOwn(op, static_cast<std::uint64_t>(res), true);
            sourceBytesRead += static_cast<std::uint64_t>(res);
            op.progress += static_cast<std::uint64_t>(res);
            if (op.progress < op.length)
                return stageRead(op);
            op.progress = 0;
            // Data that reads as zeroes is stored as zeroes, not copied:
            // the target stays sparse and nothing is transferred.
            op.zero = isAllZero(op.buf, op.length);
            unclaim(op, true);
            if (op.zero) {
                op.kind = OpKind::Zero;
                return stageZero(op);
            }
            op.kind = OpKind::Write;
            return stageWrite(op);
        case OpKind::Write:
        case OpKind::ZeroWrite:
            if (res < 0 && connectionLost(dst))
                return onLost(op, dst);
            if (res < 0 && mayBeGone(-res))
                if (auto there = dst.checkStillThere(); !there)
                    return onGone(op, there.error(), false);
            if (res < 0)
                return onError(op, -res, false);
            if (res == 0)
                return onError(op, EIO, false);
            countOwn(op, static_cast<std::uint64_t>(res), false);
            op.progress += static_cast<std::uint64_t>(res);
            if (op.progress < op.length)
                return stageWrite(op);
            return finish(op);
        case OpKind::Zero:
            if (res < 0 && connectionLost(dst))
                return onLost(op, dst);
            if (res == -EOPNOTSUPP || res == -EINVAL || res == -ENODEV) {
                const bool wasPunch = job.m_options.unmap && punchSupported;
                (wasPunch ? punchSupported : zeroRangeSupported) = false;
                log->info("{}: {} not supported, {}", dst.path(),
                          wasPunch ? "discard (punch hole)" : "write-zeroes",
                          zeroRangeSupported ? "using write-zeroes" : "writing zero buffers");
                return stageZero(op);
            }
            if (res < 0)
                return onError(op, -res, false);
            return finish(op);
        case OpKind::Free:
        case OpKind::Await:
            break;
        }
    }

    void restage(Op& op)
    {
        switch (op.kind) {
        case OpKind::Read:
            return stageRead(op);
        case OpKind::Write:
        case OpKind::ZeroWrite:
            return stageWrite(op);
        case OpKind::Zero:
            return stageZero(op);
        case OpKind::Free:
        case OpKind::Await:
            return;
        }
    }

    static bool mayBeGone(int err) { return err == EIO || err == ENODEV || err == ENXIO; }

    // -- an export's lost connection -------------------------------------------

    // An export the job may wait for: its connection is gone, and the user
    // gave it time to come back.
    bool connectionLost(const Disk& disk) const
    {
        return disk.canReconnect() && job.m_options.reconnectSeconds > 0 && !disk.checkStillThere();
    }

    // A request to the lost export: its range is copied again once the
    // server is back.
    void onLost(Op& op, const Disk& disk)
    {
        unclaim(op, false);
        dirty.set(op.offset, op.length);
        release(op);
        markLost(disk);
    }

    void markLost(const Disk& disk)
    {
        if (lostExport) {
            reDirtyUnflushed(); // acknowledged while the rest failed
            return;
        }
        const auto now = Clock::now();
        lostExport = Lost{now, now, 0, disk.path()};
        log->warn("{}: the connection to the server was lost; connecting again for up to {}",
                  disk.path(), formatDuration(job.m_options.reconnectSeconds));
        reDirtyUnflushed();
        // The source's writers must not wait for a server: the final copy
        // starts over once it is back.
        if (quiesced)
            abandonFinish("the connection to " + disk.path() + " was lost during the final copy");
        publish(true);
    }

    // A successful flush covers everything the target acknowledged before
    // it was sent.
    void flushStarted()
    {
        if (!unflushed)
            return;
        merge(*flushing, *unflushed);
        unflushed->resetAll();
    }

    void flushEnded(bool ok)
    {
        if (!flushing)
            return;
        if (!ok)
            merge(*unflushed, *flushing); // still not known to be durable
        flushing->resetAll();
    }

    Result<void> flushDst()
    {
        flushStarted();
        auto r = dst.flush();
        flushEnded(static_cast<bool>(r));
        if (!r && connectionLost(dst))
            markLost(dst);
        return r;
    }

    // A server that restarted may have dropped what it had not flushed:
    // those ranges are to copy again.
    void reDirtyUnflushed()
    {
        if (!unflushed)
            return;
        const std::uint64_t before = dirty.dirtyBytes();
        merge(dirty, *unflushed);
        merge(dirty, *flushing);
        unflushed->resetAll();
        flushing->resetAll();
        if (const std::uint64_t again = dirty.dirtyBytes() - before; again > 0) {
            log->info("{}: {} the server had not flushed are copied again", dst.path(),
                      formatBytes(again));
            needInvalidate = journal != nullptr;
        }
    }

    static void merge(DirtyBitmap& into, const DirtyBitmap& from)
    {
        std::uint64_t at = 0;
        while (auto run = from.nextDirtyRun(at, from.size())) {
            into.set(run->offset, run->length);
            at = run->end();
        }
    }

    static constexpr auto kReconnectAttempt = std::chrono::seconds(2);
    static constexpr unsigned kIdentitySamples = 16;

    // After a reconnect, an export of the same size may still be another
    // disk (a server restarted on another file). What the job wrote there
    // and the server flushed must read back as written: granules spread
    // over the disk, clean since, with the hash the journal recorded.
    Result<void> checkSameTarget()
    {
        if (!journal || !dst.canReconnect())
            return {};
        const std::uint64_t g = job.m_granularity;
        const std::uint64_t granules = (src.size() + g - 1) / g;
        const std::uint64_t stride = std::max<std::uint64_t>(1, granules / kIdentitySamples);
        std::uint64_t saved = 0;
        unsigned checked = 0;
        for (std::uint64_t start = 0; start < granules && checked < kIdentitySamples;
             start += stride) {
            // The first written, clean granule of this stretch.
            for (std::uint64_t i = start; i < std::min(granules, start + stride); ++i) {
                const std::uint64_t off = i * g;
                if (dirty.isDirty(off))
                    continue;
                if (auto r = journal->recordedHashes(i, {&saved, 1}); !r)
                    return r;
                if (saved == 0)
                    continue;
                const std::uint64_t len = std::min(g, src.size() - off);
                if (auto r = dst.nbd()->pread(slab.data(), len, off); !r)
                    return r;
                if (JobJournal::hashGranule(slab.data(), len) != saved)
                    return Error{ESTALE, dst.path() +
                                             ": the export came back without what "
                                             "the job wrote and the server flushed at " +
                                             std::to_string(off) +
                                             ": it is not the disk the job was copying"};
                ++checked;
                break;
            }
        }
        log->debug("{}: {} granules read back as written", dst.path(), checked);
        return {};
    }

    // Connects again to the export that was lost, once nothing is in flight
    // any more; the job fails when the server stays away longer than the
    // user allowed, or comes back with another disk.
    void tryReconnect(Clock::time_point now)
    {
        if (!lostExport || now < lostExport->nextTry || inFlight > 0 || commitFlushInFlight)
            return;
        for (Disk* disk : {&src, &dst}) {
            if (!disk->canReconnect() || disk->checkStillThere())
                continue;
            if (disk->pollsArmed()) {
                // The old socket's polls go first; the next turn connects.
                disk->cancelPolls(*ring, kCancelPollTag);
                return;
            }
            ++lostExport->attempts;
            const auto limit = std::chrono::seconds(job.m_options.reconnectSeconds);
            const auto left = lostExport->since + limit - now;
            auto r = disk->reconnect(std::clamp<std::chrono::milliseconds>(
                std::chrono::duration_cast<std::chrono::milliseconds>(left),
                std::chrono::milliseconds(100), kReconnectAttempt));
            if (!r) {
                const Error& why = r.error();
                if (why.code == ESTALE || why.code == EROFS) {
                    failure = why; // another disk answers there now
                    failureFromSource = disk == &src;
                    return;
                }
                if (Clock::now() - lostExport->since >= limit) {
                    std::string detail = why.message;
                    if (detail.rfind(disk->path() + ": ", 0) == 0)
                        detail.erase(0, disk->path().size() + 2);
                    failure =
                        Error{ENOTCONN, disk->path() +
                                            ": the connection to the server was lost and it "
                                            "did not answer again within " +
                                            formatDuration(static_cast<double>(limit.count())) +
                                            " (" + detail + ")"};
                    failureFromSource = disk == &src;
                    return;
                }
                log->debug("{}: attempt {}: {}", disk->path(), lostExport->attempts,
                           r.error().message);
                lostExport->nextTry =
                    Clock::now() +
                    std::min<Clock::duration>(std::chrono::milliseconds(250) * lostExport->attempts,
                                              std::chrono::seconds(2));
                publish(true);
                return;
            }
        }
        reDirtyUnflushed();
        if (auto same = checkSameTarget(); !same) {
            failure = same.error();
            failureFromSource = false;
            return;
        }
        ++reconnects;
        log->info(
            "{}: connected again after {} ({} attempts); copying goes on", lostExport->endpoint,
            formatDuration(std::chrono::duration<double>(Clock::now() - lostExport->since).count()),
            lostExport->attempts);
        lostExport.reset();
        extentCache.valid = false;
        publish(true);
    }

    // The disk itself went away or shrank: the job ends, whatever the error
    // policy, and says so instead of blaming a sector.
    void onGone(Op& op, const Error& why, bool read)
    {
        unclaim(op, false);
        dirty.set(op.offset, op.length);
        release(op);
        if (!failure) {
            failure = why;
            failureFromSource = read;
        }
    }

    void onError(Op& op, int err, bool read)
    {
        const ErrorPolicy policy = read ? job.m_options.onSourceError : job.m_options.onTargetError;
        const ErrorAction action = decideErrorAction(policy, err);
        const Disk& disk = read ? src : dst;
        const std::string where = std::string(read ? "read " : "write ") + disk.path() + " at " +
                                  std::to_string(op.offset) + "+" + std::to_string(op.length);
        log->warn("{}: {} (policy {})", where, errnoText(err), toString(policy));
        unclaim(op, false);

        if (action == ErrorAction::Ignore) {
            if (read) {
                rescue(op);
                op.kind = OpKind::Write;
                op.progress = 0;
                return stageWrite(op);
            }
            appendMerged(unwritable, op.range());
            if (hashes && op.offset < src.size())
                hashes->forget(op.offset, op.length);
            return release(op);
        }
        // Invariant: a range that did not reach the target is dirty again
        // before anything else happens, so a resume or a later pass copies it.
        dirty.set(op.offset, op.length);
        release(op);
        if (action == ErrorAction::Stop) {
            // Never leave the source quiesced while waiting for a person;
            // a Complete under way quiesces again once resumed.
            (void)endQuiesce();
            if (ioError.empty()) {
                ioError = systemError(err, where).message;
                transition(status() == JobStatus::Ready ? JobStatus::Standby : JobStatus::Paused);
            }
            return;
        }
        if (!failure) {
            failure = systemError(err, where);
            failureFromSource = read;
        }
    }

    // Reads what can be read of a range that failed as a whole: first per
    // granule, then per logical block inside a failing granule. Unreadable
    // blocks become zeroes in the buffer and are recorded. This runs on the
    // job thread synchronously: it only happens on a failing disk, where
    // every read is slow anyway, and it keeps the bookkeeping simple.
    void rescue(Op& op)
    {
        const std::uint64_t g = job.m_granularity;
        const std::uint64_t block = src.logicalBlockSize();
        auto readAt = [&](std::uint64_t pos, std::uint64_t len) {
            return readSource(op.buf + pos, op.offset + pos, len);
        };
        std::uint64_t lost = 0;
        for (std::uint64_t pos = 0; pos < op.length; pos += g) {
            const std::uint64_t len = std::min(g, op.length - pos);
            if (readAt(pos, len))
                continue;
            for (std::uint64_t b = 0; b < len; b += block) {
                const std::uint64_t blen = std::min(block, len - b);
                if (readAt(pos + b, blen))
                    continue;
                std::memset(op.buf + pos + b, 0, blen);
                appendMerged(unreadable, {op.offset + pos + b, blen});
                if (journal)
                    journal->addUnreadable({op.offset + pos + b, blen});
                lost += blen;
            }
        }
        unreadableBytes += lost;
        log->warn("{}: {} unreadable in {}+{}, written as zeroes", src.path(), formatBytes(lost),
                  op.offset, op.length);
    }

    // -- progress ------------------------------------------------------------

    void publish(bool force)
    {
        const auto now = Clock::now();
        if (!force && now - lastPublish < kTick)
            return;
        lastPublish = now;
        auto snap = std::make_shared<JobSnapshot>();
        snap->status = status();
        snap->diskSize = job.extent();
        snap->bytesDone = bytesDone;
        snap->bytesZeroed = bytesZeroed;
        snap->dirtyBytes = verifying ? 0 : dirty.dirtyBytes();
        snap->inFlightBytes = inFlightBytes;
        snap->bytesRemaining = snap->dirtyBytes + inFlightBytes;
        snap->speedLimit = userSpeed;
        snap->yield.active = yieldActive;
        const YieldController::State state =
            yieldActive ? yielder->state() : YieldController::State{};
        snap->yield.yielding = state.yielding;
        snap->yield.share = state.share;
        if (yieldActive)
            snap->yield.reason = std::string(toString(state.reason));
        snap->yield.foregroundIops = state.foregroundIops;
        snap->yield.foregroundLatencyMs = state.foregroundLatencyMs;
        snap->yield.baselineMs = state.baselineMs;
        snap->yield.maxInFlight = yieldActive ? depthCap : maxSlots;
        snap->yield.rateLimit = yieldActive ? limiter.speed() : userSpeed;
        snap->forecast = forecast.estimate();
        snap->elapsedSeconds = std::chrono::duration<double>(now - startTime).count();
        snap->readyReached = readyReached;
        snap->ioError = ioError;
        snap->unreadableBytes = unreadableBytes;
        snap->verifying = verifying;
        snap->verifyDone = verifyDone;
        snap->verifyTotal = verifyTotal;
        snap->reconnect.active = lostExport.has_value();
        snap->reconnect.reconnects = reconnects;
        snap->reconnect.limitSeconds = job.m_options.reconnectSeconds;
        if (lostExport) {
            snap->reconnect.endpoint = lostExport->endpoint;
            snap->reconnect.lostSeconds =
                std::chrono::duration<double>(now - lostExport->since).count();
            snap->reconnect.attempts = lostExport->attempts;
        }
        snap->comparing = comparing;
        snap->compareDone = compareDone;
        snap->compareTotal = compareTotal;
        snap->generation = ++generation;
        job.m_snapshot.store(std::move(snap));
        // While verifying, the bitmap holds what the source changed since the
        // copy, which is no longer work to do: the map stays as it was.
        if (job.m_mapCells > 0 && !verifying) {
            auto map = std::make_shared<DirtyMapSnapshot>();
            map->diskSize = job.extent();
            map->granularity = job.m_granularity;
            map->cells = dirty.downsample(job.m_mapCells);
            for (const auto& op : ops)
                if (op.kind != OpKind::Free)
                    map->inFlight.push_back(op.range());
            map->unreadable = unreadable;
            map->generation = generation;
            job.m_dirtyMap.store(std::move(map));
        }
        if (!force)
            emit({JobEvent::Kind::Progress, status(), status(), {}});
    }

    // -- the loop ------------------------------------------------------------

    Result<void> waitForCompletions(std::optional<std::chrono::nanoseconds> timeout)
    {
        // An export's socket wakes the same wait; a request it already
        // finished (one it could not send) must not wait at all.
        if (!pollsParked) {
            src.armPolls(*ring, kSourcePollIn, kSourcePollOut);
            dst.armPolls(*ring, kTargetPollIn, kTargetPollOut);
        }
        if (src.hasCompletions() || dst.hasCompletions())
            timeout = std::chrono::nanoseconds::zero();
        auto r = ring->submitAndWait(timeout);
        if (!r)
            return r;
        const auto handle = [this](std::uint64_t tag, int res) { onCompletion(tag, res); };
        ring->reap(handle);
        src.reap(handle);
        dst.reap(handle);
        return {};
    }

    // Waits out every request in flight. Nothing may give up on a request
    // the kernel still owns: after repeated wait errors the ring is taken as
    // broken and its buffers are leaked instead of freed.
    void drain()
    {
        // What waits for another member's read has no request of its own:
        // it is still to copy.
        for (auto& op : ops)
            if (op.kind == OpKind::Await) {
                dirty.set(op.offset, op.length);
                release(op);
            }
        int errors = 0;
        while ((inFlight > 0 || commitFlushInFlight) && !ringBroken) {
            if (auto r = waitForCompletions(kTick); !r) {
                log->error("waiting for {} request(s): {}", inFlight, r.error().message);
                if (++errors >= 50)
                    ringBroken = true;
            }
        }
        // A step the ring had no room for is not taken now: what comes
        // next commits at once.
        if (commitStep != CommitStep::Idle && !commitFlushInFlight) {
            if (journal)
                journal->dropStaged();
            commitStep = CommitStep::Idle;
        }
    }

    // The eventfd read is in flight all the time: cancel it and wait for it.
    void teardown()
    {
        drain();
        if (!ring || ringBroken)
            return;
        tearingDown = true;
        if (!parkPolls())
            return;
        if (wakeArmed && ring->prepareCancel(kWakeTag, kCancelWakeTag)) {
            int errors = 0;
            while (wakeArmed) {
                if (auto r = waitForCompletions(kTick); !r && ++errors >= 50) {
                    ringBroken = true;
                    return;
                }
            }
        }
    }

    // Takes an export's socket polls back from the ring, so that another
    // loop (the verification's) can drive the same connection, or the ring
    // can go. False when the ring broke meanwhile.
    bool parkPolls()
    {
        pollsParked = true;
        src.cancelPolls(*ring, kCancelPollTag);
        dst.cancelPolls(*ring, kCancelPollTag);
        int errors = 0;
        while (src.pollsArmed() || dst.pollsArmed()) {
            if (auto r = waitForCompletions(kTick); !r && ++errors >= 50) {
                ringBroken = true;
                return false;
            }
        }
        return true;
    }

    Result<void> flushTarget()
    {
        auto r = flushDst();
        // A lost connection was said as a warning; the job waits for it.
        if (!r && !lostExport)
            log->error("{}", r.error().message);
        return r;
    }

    std::chrono::milliseconds maxHold() const
    {
        return std::chrono::milliseconds(std::llround(job.m_options.maxFreezeSeconds * 1000.0));
    }

    bool quiesceOverdue(Clock::time_point now) const
    {
        if (!quiesced)
            return false;
        if (now - quiesceStart >= maxHold())
            return true;
        return job.m_options.quiescer && job.m_options.quiescer->expired();
    }

    // Lets the source's writers go. An error: the quiesce did not hold
    // until now, so the final copy is not of one moment.
    Result<void> endQuiesce()
    {
        if (!quiesced)
            return {};
        quiesced = false;
        Result<void> r;
        if (job.m_options.quiescer)
            r = job.m_options.quiescer->release();
        const double secs = std::chrono::duration<double>(Clock::now() - quiesceStart).count();
        job.m_result.quiesceSeconds = secs;
        log->info("source quiesced for {:.3f} s", secs);
        return r;
    }

    // A Complete (or consistent Cancel) that cannot finish its final copy
    // under the quiesce: the source is let go and the job mirrors on. A
    // Cancel still ends, but its copy is no longer of one moment.
    void abandonFinish(const std::string& why)
    {
        (void)endQuiesce();
        if (finishing == Finish::Cancel) {
            log->warn("cancel: {}; the copy is like a disk after a power cut", why);
            cancelRequested = true;
            quickCancel = true;
            powerCutReason = why;
        } else {
            log->warn("complete failed: {}; mirroring goes on", why);
            JobEvent ev{JobEvent::Kind::CompleteFailed, status(), status(), {}};
            ev.message = why;
            emit(ev);
        }
        finishing = Finish::None;
        publish(true);
    }

    std::string overdueText() const
    {
        char secs[32];
        std::snprintf(secs, sizeof secs, "%g", job.m_options.maxFreezeSeconds);
        return std::string("the final copy did not finish within the maximum freeze of ") + secs +
               " s, so the source was let go";
    }

    // After Complete's final copy, with the source let go: the target
    // against the source where the source kept its data, against the hashes
    // of what was written where the source changed since.
    void verifyTarget()
    {
        verifying = true;
        emit({JobEvent::Kind::Verifying, status(), status(), {}});
        publish(true);
        if (!dst.directIo()) {
            // Read back what the target stored, not what the cache kept.
            ::posix_fadvise(dst.bufferedFd(), 0, 0, POSIX_FADV_DONTNEED);
        }
        VerifyOptions vo;
        vo.length = src.size();
        vo.checkPastEndZero = job.extent() > src.size();
        vo.stop = &job.m_cancelFlag;
        vo.changed = &dirty;
        vo.written = &*hashes;
        auto quiescer = job.m_options.quiescer;
        vo.syncChanges = [quiescer]() -> Result<void> {
            return quiescer ? quiescer->syncWrites() : Result<void>{};
        };
        vo.progress = [this](std::uint64_t done, std::uint64_t total) {
            verifyDone = done;
            verifyTotal = total;
            publish(false);
        };
        if (!parkPolls()) {
            failure = Error{EIO, "verification: the I/O ring broke"};
            failureFromSource = false;
            return;
        }
        auto report = verifyDisks(src, dst, vo);
        pollsParked = false;
        verifying = false;
        if (!report) {
            if (report.error().code == ECANCELED) {
                job.m_result.verifyCancelled = true;
                log->warn("verification cancelled: the copy is complete but was not checked");
                return;
            }
            failure = Error{report.error().code, "verification: " + report.error().message};
            failureFromSource = false;
            return;
        }
        job.m_result.verify = *report;
        log->info("verify: {} ({} compared with the source, {} checked against the hashes of "
                  "what was written, {} unchecked)",
                  report->identical ? "identical" : "DIFFERENT", formatBytes(report->bytesCompared),
                  formatBytes(report->bytesHashChecked), formatBytes(report->bytesUnchecked));
    }

    enum class Converged { No, Completed, Cancelled };

    // A flush at READY or Complete that failed: the end of the job, unless
    // the connection was lost and the job converges again once it is back.
    Result<Converged> flushFailed(const Error& why) const
    {
        if (lostExport)
            return Converged::No;
        return why;
    }

    Result<Converged> converge()
    {
        if (!readyReached) {
            // READY promises that the target holds everything copied so
            // far durably: flush before saying so.
            if (auto r = flushTarget(); !r)
                return flushFailed(r.error());
            readyReached = true;
            transition(JobStatus::Ready);
            log->info(
                "ready: source and target are in sync after {}",
                formatDuration(std::chrono::duration<double>(Clock::now() - startTime).count()));
            emit({JobEvent::Kind::Ready, JobStatus::Ready, JobStatus::Ready, {}});
            checkpoint();
        }
        if (finishing == Finish::None)
            return Converged::No;
        if (!quiesced) {
            quiesceStart = Clock::now();
            if (job.m_options.quiescer) {
                if (auto r = job.m_options.quiescer->quiesce(maxHold()); !r) {
                    abandonFinish("cannot quiesce the source: " + r.error().message);
                    return Converged::No;
                }
            }
            quiesced = true;
            // Writes that landed before the quiesce took effect may have
            // dirtied more: go round the loop once more to copy them.
            return Converged::No;
        }
        // Everything read under the quiesce is on the target; make it durable
        // before the writers go on.
        if (auto r = flushTarget(); !r)
            return flushFailed(r.error());
        // A target file deleted or truncated behind the job's back took the
        // copy with it: no success can be claimed for it.
        if (auto r = dst.checkStillThere(); !r) {
            failureFromSource = false;
            return r.error();
        }
        if (quiesceOverdue(Clock::now())) {
            abandonFinish(overdueText());
            return Converged::No;
        }
        if (auto r = endQuiesce(); !r) {
            abandonFinish(r.error().message);
            return Converged::No;
        }
        if (finishing == Finish::Cancel)
            return Converged::Cancelled;
        if (job.m_options.verify)
            verifyTarget();
        return Converged::Completed;
    }

    void run()
    {
        JobResult& result = job.m_result;
        auto finishWith = [&](JobResult::Outcome outcome) {
            result.outcome = outcome;
            const bool clean = outcome == JobResult::Outcome::Completed ||
                               outcome == JobResult::Outcome::Cancelled;
            if (clean) {
                if (status() == JobStatus::Standby)
                    transition(JobStatus::Ready);
                transition(JobStatus::Waiting);
                transition(JobStatus::Pending);
            } else {
                transition(JobStatus::Aborting);
            }
            transition(JobStatus::Concluded);
        };

        result.pastEndBytes = dst.size() > src.size() ? dst.size() - src.size() : 0;
        if (auto r = init(); !r) {
            result.error = r.error();
            result.internalFailure = true;
            return finishWith(JobResult::Outcome::Failed);
        }
        processCommands();
        if (cancelRequested)
            return finishWith(JobResult::Outcome::Aborted);
        // Fill the bitmap first, so the snapshot published with "running"
        // already knows how much there is to copy.
        if (auto r = initDirty(); !r) {
            failure = r.error();
            failureFromSource = true;
        }
        transition(JobStatus::Running);
        // From the first moment on, an interruption leaves a checkpoint.
        if (!resuming && !failure)
            checkpoint();

        for (;;) {
            processCommands();
            if (failure) {
                drain();
                (void)endQuiesce();
                checkpoint();
                result.error = *failure;
                result.sourceFailed = failureFromSource;
                return finishWith(JobResult::Outcome::Failed);
            }
            if (cancelRequested) {
                drain();
                (void)endQuiesce();
                checkpoint();
                if (!readyReached)
                    return finishWith(JobResult::Outcome::Aborted);
                // What is in flight has landed: make it durable.
                if (auto r = flushTarget(); !r) {
                    result.error = r.error();
                    return finishWith(JobResult::Outcome::Failed);
                }
                // Without a quiesce, a source something writes to was copied
                // at no one moment.
                result.powerCutCopy = quickCancel && job.m_options.quiescer != nullptr;
                if (result.powerCutCopy)
                    result.powerCutReason =
                        powerCutReason.empty() ? "a quick cancel was asked for" : powerCutReason;
                result.pastEndWiped = result.pastEndBytes > 0 && job.extent() > src.size();
                return finishWith(JobResult::Outcome::Cancelled);
            }
            const auto now = Clock::now();
            if (quiesceOverdue(now)) {
                abandonFinish(overdueText());
                continue;
            }
            if (quiesced)
                invalidateNow();
            tryReconnect(now);
            if (failure)
                continue;
            if (!stopped() && !lostExport) {
                retryAwaiting();
                if (auto r = fill(now); !r) {
                    failure = r.error();
                    failureFromSource = true;
                    continue;
                }
                if (inFlight == 0 && dirty.dirtyGranules() == 0) {
                    auto done = converge();
                    if (!done) {
                        failure = done.error();
                        continue;
                    }
                    if (failure)
                        continue;
                    if (*done != Converged::No) {
                        result.pastEndWiped = result.pastEndBytes > 0 && job.extent() > src.size();
                        if (*done == Converged::Completed && journal)
                            journal->remove(); // nothing left to resume
                        else
                            checkpoint();
                        return finishWith(*done == Converged::Completed
                                              ? JobResult::Outcome::Completed
                                              : JobResult::Outcome::Cancelled);
                    }
                    if (quiesced)
                        continue; // copy what the quiesce let through, without a wait
                }
            }
            sample(now);
            publish(false);
            maybeCheckpoint(now);
            std::chrono::nanoseconds timeout = kTick;
            if (needInvalidate)
                timeout = std::chrono::nanoseconds(kInvalidateEvery);
            const auto throttle = limiter.delay(now);
            if (throttle > std::chrono::nanoseconds::zero() && !quiesced)
                timeout = std::min<std::chrono::nanoseconds>(timeout, throttle);
            if (quiesced) {
                const auto left = quiesceStart + maxHold() - now;
                timeout = std::clamp<std::chrono::nanoseconds>(left, std::chrono::milliseconds(1),
                                                               timeout);
            }
            if (auto r = waitForCompletions(timeout); !r) {
                failure = r.error();
                failureFromSource = false;
            }
        }
    }
};

// ---------------------------------------------------------------------------

MirrorJob::MirrorJob(Disk source, Disk target, MirrorOptions options, std::uint64_t granularity,
                     std::uint64_t extent, Logger log)
    : m_source(std::move(source)), m_target(std::move(target)), m_options(std::move(options)),
      m_granularity(granularity), m_log(std::move(log)), m_dirty(extent, granularity)
{
    m_wakeFd = ::eventfd(0, EFD_CLOEXEC);
    auto snap = std::make_shared<JobSnapshot>();
    snap->diskSize = extent;
    snap->speedLimit = m_options.speed;
    m_snapshot.store(std::move(snap));
}

Result<std::unique_ptr<MirrorJob>> MirrorJob::create(Disk source, Disk target,
                                                     MirrorOptions options, Logger log)
{
    auto valid = ValidOptions::check(std::move(options));
    if (!valid)
        return valid.error();
    return create(std::move(source), std::move(target), std::move(*valid), std::move(log));
}

Result<std::unique_ptr<MirrorJob>> MirrorJob::create(Disk source, Disk target, ValidOptions valid,
                                                     Logger log)
{
    log = orNull(std::move(log));
    MirrorOptions options = valid.get();
    if (source.identity() == target.identity())
        return Error{EINVAL, "source and target are the same " +
                                 std::string(source.isBlockDevice() ? "device" : "file") + " (" +
                                 source.path() + ", " + target.path() + ")"};
    if (!target.writable())
        return Error{EROFS, target.path() + ": the target is not open for writing"};
    if (target.size() < source.size())
        return Error{ENOSPC, "target " + target.path() + " (" + formatBytes(target.size()) +
                                 ") is smaller than source " + source.path() + " (" +
                                 formatBytes(source.size()) + ")"};
    std::uint64_t g = options.granularity ? options.granularity : defaultGranularity(target);
    const std::uint64_t align = std::max(source.requiredAlignment(), target.requiredAlignment());
    if (g < align)
        return Error{EINVAL, "granularity " + formatBytes(g) + " is smaller than the " +
                                 formatBytes(align) + " blocks that direct I/O needs here"};
    if (options.verify) {
        // 8 bytes of hash per block; a huge disk gets coarser granules
        // rather than an unbounded table.
        const std::uint64_t chosen = g;
        while (g < WrittenHashes::kMaxBlock && (source.size() + g - 1) / g > kMaxHashBlocks)
            g *= 2;
        if (g != chosen)
            log->info("granularity raised from {} to {} so that the verification hashes of {} "
                      "stay within {}",
                      formatBytes(chosen), formatBytes(g), formatBytes(source.size()),
                      formatBytes(kMaxHashBlocks * 8));
    }
    // As QEMU's buf_size: whole granules, at least one.
    options.bufSize = std::max(roundUp(options.bufSize, g), g);
    const std::uint64_t extent =
        options.wipeRest ? std::max(source.size(), target.size()) : source.size();
    std::unique_ptr<MirrorJob> job(new MirrorJob(std::move(source), std::move(target),
                                                 std::move(options), g, extent,
                                                 childLogger(log, "engine.mirror")));
    if (job->m_wakeFd < 0)
        return systemError(errno, "eventfd");
    return job;
}

MirrorJob::~MirrorJob()
{
    if (m_thread.joinable()) {
        m_cancelFlag.store(true);
        {
            std::lock_guard lock(m_commandMutex);
            m_commands.push_back({JobVerb::Cancel, 1}); // quick: nobody waits for the copy
        }
        wake();
        m_thread.join();
    }
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
}

void MirrorJob::setListener(Listener listener)
{
    m_listener = std::move(listener);
}

void MirrorJob::setDirtyMapCells(std::size_t cells)
{
    // A cell finer than a granule shows nothing more and only skews the
    // cells at the end: at most one cell per granule.
    const std::uint64_t granules = (extent() + granularity() - 1) / granularity();
    m_mapCells = static_cast<std::size_t>(
        std::min<std::uint64_t>(cells, std::max<std::uint64_t>(granules, 1)));
}

void MirrorJob::shareReads(std::shared_ptr<SharedReads> reads, unsigned member)
{
    m_shared = std::move(reads);
    m_member = member;
    m_shared->setWaker(member, [this] { wake(); });
}

void MirrorJob::setJournal(std::unique_ptr<JobJournal> journal)
{
    m_journal = std::move(journal);
}

void MirrorJob::start()
{
    m_thread = std::jthread([this] {
        Impl impl(*this);
        impl.run();
        impl.teardown();
        if (m_shared)
            m_shared->leave(m_member);
        m_result.bytesDone = impl.bytesDone;
        m_result.sourceBytesRead = impl.sourceBytesRead;
        m_result.checkpoints = m_journal ? m_journal->commits() : 0;
        m_result.bytesZeroed = impl.bytesZeroed;
        m_result.unreadable = sortedMerged(std::move(impl.unreadable));
        m_result.unwritable = sortedMerged(std::move(impl.unwritable));
        m_result.elapsedSeconds =
            std::chrono::duration<double>(Clock::now() - impl.startTime).count();
        // Auto-dismiss, as QEMU does with auto-dismiss on.
        impl.transition(JobStatus::Null);
        // Finished is the listener's last call, and it comes before wait()
        // returns: whoever waits may destroy what the listener uses.
        if (m_listener)
            m_listener({JobEvent::Kind::Finished, JobStatus::Null, JobStatus::Null, {}});
        {
            std::lock_guard lock(m_doneMutex);
            m_finished.store(true);
        }
        m_doneCv.notify_all();
    });
}

Result<void> MirrorJob::enqueue(JobVerb verb, std::uint64_t argument)
{
    const JobStatus s = m_status.load();
    if (!isVerbAllowed(verb, s))
        return Error{EBUSY, "cannot " + std::string(toString(verb)) + " the job while it is " +
                                std::string(toString(s))};
    {
        std::lock_guard lock(m_commandMutex);
        m_commands.push_back({verb, argument});
    }
    wake();
    return {};
}

Result<void> MirrorJob::complete()
{
    return enqueue(JobVerb::Complete);
}

Result<void> MirrorJob::cancel(bool quick)
{
    auto r = enqueue(JobVerb::Cancel, quick ? 1 : 0);
    if (r)
        m_cancelFlag.store(true); // stops a verification under way
    return r;
}

Result<void> MirrorJob::pause()
{
    return enqueue(JobVerb::Pause);
}

Result<void> MirrorJob::resume()
{
    return enqueue(JobVerb::Resume);
}

Result<void> MirrorJob::setSpeed(std::uint64_t bytesPerSecond)
{
    return enqueue(JobVerb::SetSpeed, bytesPerSecond);
}

void MirrorJob::notifyWrite(std::uint64_t offset, std::uint64_t length)
{
    // The generation moves before the bits are set: the job clears bits and
    // then reads the generation, so either it sees this write's bits (and
    // copies again) or it sees the new generation (and asks the source anew).
    m_writeGeneration.fetch_add(1);
    m_newlyDirtyGranules.fetch_add(m_dirty.set(offset, length), std::memory_order_relaxed);
    m_writtenBytes.fetch_add(length, std::memory_order_relaxed);
    wake();
}

void MirrorJob::wake()
{
    if (!m_wakePending.exchange(true)) {
        const std::uint64_t one = 1;
        [[maybe_unused]] const ssize_t n = ::write(m_wakeFd, &one, sizeof one);
    }
}

std::shared_ptr<const JobSnapshot> MirrorJob::snapshot() const
{
    return m_snapshot.load();
}

std::shared_ptr<const DirtyMapSnapshot> MirrorJob::dirtyMap() const
{
    return m_dirtyMap.load();
}

const JobResult& MirrorJob::wait()
{
    std::unique_lock lock(m_doneMutex);
    m_doneCv.wait(lock, [this] { return m_finished.load(); });
    return m_result;
}

} // namespace engine
