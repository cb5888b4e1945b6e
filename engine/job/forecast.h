// Forecast: when a live mirror will be READY, how long Complete will freeze
// the source, and whether it converges at all.
//
// The bytes still to copy change as  dR/dt = D - C,  where C is the copy
// rate and D the rate at which *clean* granules turn dirty, in bytes (the
// granule count times the granularity). Counting clean-to-dirty transitions,
// not bytes written, is what makes D right: a hot granule rewritten a
// thousand times before it is copied costs one copy, and a write smaller
// than a granule costs a whole one. So:
//
//   time to READY   R / (C - D)                    when C > D
//   freeze window   residue / C, where the residue is what is dirtied while
//                   the job goes once round what it is behind on:
//                   D * kRoundTime / (1 - D/C)     (grows without bound as D
//                                                  approaches C); at the
//                   achieved C, so an upper bound: the final copy runs
//                   without the speed limit and without yielding
//   no convergence  D >= C (entered at kStopRatio, left at kResumeRatio)
//
// Example: 8 GiB to copy at C = 200 MiB/s while the user dirties D = 20 MiB/s
// of new granules: READY in 8192 / 180 = 45.5 s; the residue is
// 20 * 0.1 / 0.9 = 2.2 MiB, a freeze of 11 ms.
//
// C and D are the bytes of the last kWindow (10 s) over its length, so that a
// burst of writes of a second or two moves the forecast but does not flip it.
// A moving average forgets the job's start, unlike an exponential one: in
// the first pass most granules are still dirty, so writes dirty few new ones
// and D is low; it rises as the copy goes on, and the verdict must follow.
// Pure: samples carry their own time.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace engine {

/// One interval of a running mirror, as the job counts it. Fed while the job
/// copies (not while it is paused or stopped on an error: a copy rate of
/// zero would read as a job that cannot keep up).
struct ForecastSample
{
    std::chrono::steady_clock::time_point time;
    std::uint64_t newlyDirtyGranules = 0; ///< clean-to-dirty transitions since the last sample
    /// Bytes the job finished since the last sample: copied, zeroed or
    /// discarded (QEMU's offset); each one shrinks what remains.
    std::uint64_t copiedBytes = 0;
    std::uint64_t remainingBytes = 0; ///< dirty + in flight now
    /// Bytes the source's writers wrote since the last sample (from the
    /// tracker), 0 = unknown. Tells whether a finer granularity would help.
    std::uint64_t writtenBytes = 0;
    std::uint64_t speedLimit = 0; ///< bytes/s in force, 0 = none
    bool yielding = false;        ///< the copy rate is held down for other I/O
};

class Forecast
{
public:
    using Clock = std::chrono::steady_clock;

    static constexpr std::chrono::seconds kWindow{10};
    /// Time the job takes to notice and copy a newly dirty granule once
    /// converged: its wake-up and publish cadence.
    static constexpr std::chrono::milliseconds kRoundTime{100};
    /// D/C at which the forecast says "will not converge", and below which it
    /// takes that back (hysteresis, so that it does not blink).
    static constexpr double kStopRatio = 0.98;
    static constexpr double kResumeRatio = 0.90;
    /// Below this much observed time the estimate is a guess.
    static constexpr std::chrono::seconds kLowConfidenceUntil{2};
    static constexpr std::chrono::seconds kGoodConfidenceFrom{10};
    /// A copy rate this close to the speed limit is held by it.
    static constexpr double kAtLimit = 0.9;
    /// Granule bytes dirtied per byte written above which a finer
    /// granularity would copy less.
    static constexpr double kAmplificationWorthFiner = 2.0;
    static constexpr std::uint64_t kFinestUsefulGranularity = 4096;

    enum class Confidence {
        None, ///< too few samples: no numbers
        Low,  ///< a few seconds: numbers, but they may move a lot
        Good,
    };
    /// What would let the job converge, for the UI and the CLI to word.
    enum class Remedy {
        RaiseSpeedLimit,    ///< the copy runs at the speed limit
        TurnYieldOff,       ///< the copy yields to other I/O
        FinerGranularity,   ///< writes are much smaller than a granule
        AcceptLongerFreeze, ///< Complete now: copy the rest under the freeze
    };

    struct Estimate
    {
        Confidence confidence = Confidence::None;
        double copyRate = 0;  ///< bytes/s, smoothed
        double dirtyRate = 0; ///< bytes/s of newly dirty granules, smoothed
        bool converges = true;
        /// Seconds; nullopt without confidence or when it does not converge.
        std::optional<double> secondsToReady;
        std::optional<double> freezeSeconds;
        /// Without convergence: the freeze a Complete would take now (all
        /// that is dirty, copied under it at the copy rate).
        std::optional<double> freezeIfCompletedNow;
        std::vector<Remedy> remedies; ///< only when it does not converge
    };

    explicit Forecast(std::uint64_t granularity);

    /// Feeds one interval (the first sample only starts the clock).
    const Estimate& addSample(const ForecastSample& sample);
    const Estimate& estimate() const { return m_estimate; }
    /// The job stopped copying (paused, stopped on an error): the next
    /// sample only restarts the clock, so that the stop does not count as
    /// time in which nothing was copied.
    void interrupt() { m_last.reset(); }

private:
    /// Bytes per second over the last kWindow.
    class Window
    {
    public:
        void add(double bytes, double seconds);
        double rate() const { return m_seconds > 0 ? m_bytes / m_seconds : 0.0; }

    private:
        struct Entry
        {
            double bytes;
            double seconds;
        };
        std::deque<Entry> m_entries;
        double m_bytes = 0;
        double m_seconds = 0;
    };

    void update(const ForecastSample& sample);
    std::vector<Remedy> remedies(const ForecastSample& sample) const;

    std::uint64_t m_granularity;
    std::optional<Clock::time_point> m_last;
    double m_observedSeconds = 0;
    Window m_copy;
    Window m_dirty;
    Window m_written;
    double m_copyRate = 0;
    double m_dirtyRate = 0;
    double m_writtenRate = 0;
    bool m_anyWritten = false;
    bool m_converges = true;
    Estimate m_estimate;
};

} // namespace engine
