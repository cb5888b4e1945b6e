// LiveSource: what makes a mounted, in-use block device a mirror source.
// It owns the kernel write tracking and the freeze at Complete, and gives the
// job its quiesce hooks, so the CLI and the GUI wire a live job the same way:
//
//   auto live = LiveSource::create(path);          // before the job
//   options.quiesce = live->quiesceHook();        // freeze + drain the trace
//   options.unquiesce = live->unquiesceHook();    // thaw, on every path
//   auto job = MirrorJob::create(...);
//   live->attach(*job);                           // tracking starts here
//   job->start(); ... job->wait(); live->stop();  // stop before the job dies
#pragma once

#include "freeze.h"
#include "logging.h"
#include "mirror_job.h"
#include "result.h"
#include "trace_tracker.h"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace engine {

class LiveSource
{
public:
    static Result<std::unique_ptr<LiveSource>>
    create(const std::string& devicePath, TraceTracker::Options options = {}, Logger log = {});
    ~LiveSource(); ///< stops tracking and thaws

    /// Starts tracking writes into @p job; call before job.start().
    Result<void> attach(MirrorJob& job);
    /// Stops tracking; must happen before the job is destroyed.
    void stop();

    std::function<Result<void>()> quiesceHook();
    std::function<void()> unquiesceHook();

    /// File systems mounted from the source now (what Complete will freeze).
    std::vector<std::string> mountPoints() const;
    const TraceTracker& tracker() const { return *m_tracker; }

private:
    LiveSource() = default;
    std::string m_path;
    std::unique_ptr<TraceTracker> m_tracker;
    std::mutex m_mutex; ///< guards m_freeze between the job thread and stop()
    FreezeGuard m_freeze;
    Logger m_log;
};

} // namespace engine
