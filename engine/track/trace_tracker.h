// TraceTracker: which ranges of a block device were written, from the
// kernel's own block tracepoints, with no driver, device-mapper or LVM.
//
// A private tracefs instance (instances/drivemirror-<pid>-<n>) enables only
// block_rq_complete, filtered in the kernel to the source's disk and to
// every request that is not a read: W (write), D (discard, secure erase), N
// (write-zeroes and any other kind that carries sectors). Completion, not
// queueing, is what counts: a range is reported after the data reached the
// device, so a copy that reads it afterwards cannot see the old contents and
// then miss the change. A partition maps through sysfs "start": the events
// carry whole-disk sectors.
//
// Events are read as text from the instance's trace_pipe on the tracker's own
// thread. The per-CPU buffer statistics are checked on every batch: if the
// kernel overwrote or dropped any event, the tracker can no longer say what
// changed, so it reports everything as written and says why.
#pragma once

#include "base/logging.h"
#include "base/result.h"

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace engine {

class TraceTracker
{
public:
    /// Receives written ranges in bytes relative to the traced device.
    using Sink = std::function<void(std::uint64_t offset, std::uint64_t length)>;
    /// Told that events were lost and everything must be considered written.
    using OverflowSink = std::function<void(const std::string& why)>;

    struct Options
    {
        std::uint32_t bufferKiBPerCpu = 8192;
        /// 0: read as soon as events arrive. Otherwise read in batches at
        /// most this often, trading latency for fewer wake-ups; the buffer
        /// must then hold an interval's worth of events.
        std::chrono::milliseconds readInterval{0};
        std::string tracefsRoot; ///< empty: find or mount tracefs
    };

    /// Prepares tracing of the block device @p devicePath (a disk or a
    /// partition). Needs root. Removes stale instances of crashed runs.
    static Result<std::unique_ptr<TraceTracker>> create(const std::string& devicePath,
                                                        Options options, Logger log = {});
    ~TraceTracker(); ///< stops and removes the instance

    TraceTracker(const TraceTracker&) = delete;
    TraceTracker& operator=(const TraceTracker&) = delete;

    /// Starts delivering events to @p sink on the tracker's thread.
    Result<void> start(Sink sink, OverflowSink overflow);
    /// Reads every event recorded so far and delivers it before returning
    /// (the quiesce step: after a freeze, nothing recorded is left behind).
    Result<void> drain();
    /// Stops the thread and removes the tracefs instance. Idempotent.
    void stop();

    std::uint64_t eventsSeen() const { return m_events.load(); }
    std::uint64_t overflows() const { return m_overflows.load(); }
    const std::string& instancePath() const { return m_instance; }

    /// The tracefs mount point, mounting it at /sys/kernel/tracing if needed.
    static Result<std::string> tracefsRoot();
    /// Removes instances left by processes that no longer run; returns how many.
    static int removeStaleInstances(const std::string& root, Logger log);

private:
    TraceTracker() = default;
    void run(std::stop_token stop);
    Result<void> readAvailable(bool force = false);
    void parse(const char* data, std::size_t length);
    void handleLine(const std::string& line);
    void checkLoss();

    // Immutable after create().
    std::string m_instance;
    int m_pipeFd = -1;
    unsigned m_major = 0, m_minor = 0;
    std::uint64_t m_startSector = 0; ///< partition start on its disk, in 512 B sectors
    std::uint64_t m_sectors = 0;     ///< size of the traced device in sectors
    Logger m_log;
    std::chrono::milliseconds m_readInterval{0};

    Sink m_sink;
    OverflowSink m_overflow;
    std::mutex m_readMutex; ///< one reader at a time: the thread or drain()
    std::string m_partial;  ///< guarded by m_readMutex: a line cut by a read
    std::uint64_t m_lostBaseline = 0;
    std::chrono::steady_clock::time_point m_lastLossCheck{};
    std::atomic<std::uint64_t> m_events{0};
    std::atomic<std::uint64_t> m_overflows{0};
    std::jthread m_thread;
    bool m_stopped = false;
};

} // namespace engine
