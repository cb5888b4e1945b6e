// YieldController: how much a mirror of a live source may have in flight,
// and how fast it may go, so that the source's own user keeps a usable disk.
//
// Delay-based, after LEDBAT (RFC 6817) with LEDBAT++'s periodic slowdowns:
//
//   signal   the foreground's mean I/O latency in each ~100 ms interval, from
//            /sys/block/DEV/stat deltas minus what the job itself did (its
//            writes exactly: the job only reads the source)
//   baseline the lowest (filtered) foreground latency seen in the last minute
//            (per 10 s buckets, so that it can rise again when the workload
//            changes)
//   delay    latency - baseline: the time the foreground waited in a queue,
//            from the lowest latency of the last kDelayFilter intervals
//            (LEDBAT's current-delay filter): one slow write in an interval
//            is the disk's noise, a delay that holds is the queue's
//   target   the foreground may wait as long again as it does alone
//            (kTargetRatio x baseline), within kMinTargetDelay ..
//            kMaxTargetDelay: a program that waits for each write before the
//            next one runs at 1 / latency, so what it loses is relative
//
// The controller keeps one number, the share of full speed (1/64 .. 1):
//
//   device quiet (no foreground I/O)   share doubles each interval (slow start)
//   delay below the target             share grows in proportion to the slack
//   delay above the target             share shrinks in proportion to the
//                                      excess, by up to 3/4 in one interval
//   no baseline yet, or a stale one    a slowdown: two intervals at the floor,
//                                      so that the foreground is measured
//                                      nearly alone (LEDBAT++'s answer to a
//                                      baseline inflated by our own traffic)
//
// The share becomes a request depth (share x 16, at least 1) and a rate
// (share x full speed, never above an explicit speed limit). Full speed is
// what the job achieved while it did not yield; it is measured, not assumed.
//
// Pure: no I/O, no clock. The job feeds counters with their timestamps, so
// every decision can be replayed in a test. readBlockStat() is the only part
// that touches sysfs.
#pragma once

#include "base/result.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace engine {

/// The counters of /sys/block/DEV/stat (Documentation/block/stat.rst), all
/// cumulative since the device appeared, except inFlight. Times are in ms.
/// Kernels before 4.18 have no discard fields, before 5.5 no flush fields;
/// those read as zero.
struct BlockStat
{
    std::uint64_t readIos = 0;
    std::uint64_t readMerges = 0;
    std::uint64_t readSectors = 0;
    std::uint64_t readTicksMs = 0;
    std::uint64_t writeIos = 0;
    std::uint64_t writeMerges = 0;
    std::uint64_t writeSectors = 0;
    std::uint64_t writeTicksMs = 0;
    std::uint64_t inFlight = 0; ///< requests in flight now (not cumulative)
    std::uint64_t ioTicksMs = 0;
    std::uint64_t timeInQueueMs = 0;
    std::uint64_t discardIos = 0;
    std::uint64_t discardMerges = 0;
    std::uint64_t discardSectors = 0;
    std::uint64_t discardTicksMs = 0;
    std::uint64_t flushIos = 0;
    std::uint64_t flushTicksMs = 0;
};

/// Parses the text of a stat file: 11, 15 or 17 unsigned numbers separated
/// by blanks. Fails on fewer than 11 fields or on anything not a number.
Result<BlockStat> parseBlockStat(std::string_view text);
/// Reads and parses @p statPath (e.g. /sys/block/sda/stat).
Result<BlockStat> readBlockStat(const std::string& statPath);
/// The stat file of the block device (disk or partition) with number @p rdev:
/// /sys/dev/block/MAJ:MIN/stat.
std::string blockStatPath(std::uint64_t rdev);
/// The stat file of the whole disk that holds @p rdev (the device itself
/// when it is no partition). This is what the controller wants: every
/// partition's users wait in the disk's one queue.
std::string diskStatPath(std::uint64_t rdev);

/// What the job itself did on the source device during one interval, counted
/// as the device counts it: a request the block layer splits counts once per
/// piece, and its time is the sum of the pieces' completion times, as the
/// kernel adds them to read/write ticks. The device's count is taken as its
/// requests plus merges, so that requests the scheduler joins still count
/// once each. Reads and writes apart: the job only reads its source, so the
/// device's writes are the foreground's own, to the millisecond, unless the
/// target shares the disk.
struct OwnIo
{
    struct Direction
    {
        std::uint64_t ios = 0; ///< completed in the interval
        /// Their summed submit-to-completion time; in ns, so that many
        /// short requests do not round to nothing.
        std::uint64_t ticksNs = 0;
        double ticksMs() const { return static_cast<double>(ticksNs) / 1e6; }
    };
    Direction reads;
    Direction writes;
    std::uint64_t bytes = 0; ///< bytes copied in the interval (for full speed)
    /// Time in the interval with at least one of the job's requests in
    /// flight, in ns; 0 = not measured. Bytes over this time is what the
    /// disk does for the job while it works, also when a speed limit keeps
    /// it idle between bursts.
    std::uint64_t busyNs = 0;
};

/// Adds one completed request of @p length bytes that took @p latency to
/// @p direction, counted as the device counts it: split into pieces of at
/// most @p maxRequestBytes (0 = never split), each with the request's latency.
void countOwnIo(OwnIo::Direction& direction, std::uint64_t length, std::chrono::nanoseconds latency,
                std::uint64_t maxRequestBytes);
/// The largest request the disk of @p statPath takes whole wherever its
/// buffer's pages lie: queue/max_sectors_kb, and max_segments pages (pages
/// that happen to be contiguous in memory share a segment, others take one
/// each, so a larger request is split or not by chance). In bytes; 0 when
/// unknown.
std::uint64_t unsplitRequestBytes(const std::string& statPath);

/// One observation: the device's counters at @p time and the job's own part
/// since the previous observation.
struct YieldSample
{
    std::chrono::steady_clock::time_point time;
    BlockStat device;
    OwnIo own;
};

class YieldController
{
public:
    using Clock = std::chrono::steady_clock;

    static constexpr unsigned kMaxDepth = 16;
    /// How often the job feeds a sample.
    static constexpr std::chrono::milliseconds kSampleInterval{100};
    /// The smallest share of full speed: a yielding mirror still progresses,
    /// so that a source under constant load still reaches READY.
    static constexpr double kMinShare = 1.0 / 64;
    /// Queueing delay the foreground may pay for the mirror, relative to its
    /// baseline. A fixed 4 ms let a writer of 4 KiB blocks that waits
    /// 0.1 ms alone wait 1.8 ms: it ran at a quarter of its pace while the
    /// controller read "within target".
    static constexpr double kTargetRatio = 1.0;
    /// Bounds of that delay: below the floor the stat file's resolution
    /// (whole milliseconds summed over a few requests) reads as noise; the
    /// ceiling is for slow disks (the goal: the user's p99 at most twice its
    /// own plus 10 ms).
    static constexpr std::chrono::microseconds kMinTargetDelay{250};
    static constexpr std::chrono::microseconds kMaxTargetDelay{4000};
    /// How long the device must be free of foreground I/O to count as quiet.
    static constexpr std::chrono::milliseconds kQuietAfter{200};
    /// Slowdown length and spacing (LEDBAT++ spaces them by 9x their cost;
    /// a disk's baseline drifts far less than a network path's).
    static constexpr std::chrono::milliseconds kSlowdownLength{200};
    static constexpr std::chrono::seconds kSlowdownEvery{20};
    /// Baseline history: the minimum per bucket, for kBaselineBuckets buckets.
    static constexpr std::chrono::seconds kBaselineBucket{10};
    static constexpr std::size_t kBaselineBuckets = 6;
    /// Intervals the current latency is the lowest of. On a disk whose own
    /// p99 is 40 ms, an interval of 20 writes holds a slow one about every
    /// fifth time; four in a row about once in a thousand.
    static constexpr std::size_t kDelayFilter = 4;
    /// Full speed when the job has not yet run unhindered (bytes/s).
    static constexpr double kFallbackFullSpeed = 64.0 * 1024 * 1024;

    enum class Reason {
        Starting,          ///< no sample yet: full speed
        Quiet,             ///< no foreground I/O: full speed
        GrowingBack,       ///< foreground gone, share growing to full
        WithinTarget,      ///< foreground active, its delay below the target
        ForegroundDelayed, ///< foreground delay above the target: backing off
        MeasuringBaseline, ///< a slowdown to measure the foreground alone
    };

    /// What the job applies and what the UI shows; a value.
    struct State
    {
        unsigned maxInFlight = kMaxDepth; ///< 1 .. kMaxDepth requests
        std::uint64_t rateLimit = 0;      ///< bytes/s; 0 = unlimited
        double share = 1.0;               ///< of full speed, kMinShare .. 1
        bool yielding = false;            ///< share below 1
        Reason reason = Reason::Starting;
        /// Last interval's foreground, for display: I/Os per second and mean
        /// latency, and the baseline (nullopt until measured).
        double foregroundIops = 0;
        std::optional<double> foregroundLatencyMs;
        std::optional<double> baselineMs;
        /// Bytes/s the share is taken of: the disk's speed for the job, also
        /// above the user's limit (a share of a limit would hold a limited
        /// job far below what the user allows and the disk can spare).
        double fullSpeed = 0;
    };

    /// @p speedCap: the user's explicit limit in bytes/s, 0 = none.
    explicit YieldController(std::uint64_t speedCap = 0);

    /// Changes the explicit limit (setSpeed while running); takes effect at
    /// the next sample and in state() at once.
    void setSpeedCap(std::uint64_t bytesPerSecond);
    std::uint64_t speedCap() const { return m_speedCap; }

    /// Feeds one observation, ~100 ms after the previous one, and returns the
    /// new state. The first one (and one whose counters went backwards, a
    /// re-created device) only sets the reference.
    const State& addSample(const YieldSample& sample);
    const State& state() const { return m_state; }

private:
    struct Foreground
    {
        std::uint64_t ios = 0;
        double latencyMs = 0;
    };
    Foreground foregroundOf(const YieldSample& sample);
    void noteBaseline(double latencyMs, Clock::time_point now);
    std::optional<double> baseline(Clock::time_point now) const;
    void measureFullSpeed(const OwnIo& own, double seconds);
    Reason decide(const Foreground& fg, Clock::time_point now);
    /// A slowdown when there is no baseline or the last is kSlowdownEvery old.
    bool startSlowdownIfDue(bool haveBaseline, Clock::time_point now);
    /// The share step for the foreground's queueing delay @p delayMs.
    Reason followDelay(const Foreground& fg, double currentMs, double baselineMs);
    /// The lowest foreground latency of the last kDelayFilter intervals.
    double currentLatency(const Foreground& fg, Clock::time_point now);
    void publish(Reason reason, const Foreground& fg, Clock::time_point now);

    std::uint64_t m_speedCap = 0;
    std::optional<YieldSample> m_previous;
    // What the job counted that the device had not yet (a completion reaped
    // before the device's counter moved): owed to the next interval.
    struct Owed
    {
        std::uint64_t ios = 0;
        double ticksMs = 0;
    };
    Owed m_owedReads;
    Owed m_owedWrites;

    double m_share = 1.0;
    double m_fullSpeed = 0; ///< smoothed bytes/s while not yielding; 0 = unknown
    Clock::time_point m_lastForeground{};
    bool m_everForeground = false;

    struct Bucket
    {
        Clock::time_point start{};
        double minMs = 0;
        bool used = false;
    };
    std::array<Bucket, kBaselineBuckets> m_buckets{};
    std::size_t m_bucket = 0;

    struct Recent
    {
        Clock::time_point time{};
        double latencyMs = 0;
    };
    std::array<Recent, kDelayFilter> m_recent{};
    std::size_t m_recentNext = 0;

    std::optional<Clock::time_point> m_slowdownEnd; ///< set while in a slowdown
    double m_shareBeforeSlowdown = 1.0;
    Clock::time_point m_lastSlowdown{};

    State m_state;
};

std::string_view toString(YieldController::Reason reason);

} // namespace engine
