// LiveSource: what makes a mounted, in-use block device a mirror source.
// It owns the kernel write tracking and the freeze guardian, and gives the
// job its quiescer, so the CLI and the GUI wire a live job the same way:
//
//   auto live = LiveSource::create(path);          // before the job
//   options.quiescer = live->quiescer();           // freeze + drain, thaw
//   auto job = MirrorJob::create(...);
//   live->attach(*job);                            // tracking starts here
//   job->start(); ... job->wait(); live->stop();   // stop before the job dies
//
// The quiescer stays valid after stop() (the job may hold it longer): it
// then refuses to quiesce and has nothing to deliver.
#pragma once

#include "base/logging.h"
#include "base/result.h"
#include "job/mirror_job.h"
#include "track/freeze.h"
#include "track/trace_tracker.h"

#include <memory>
#include <string>
#include <vector>

namespace engine {

class LiveSource
{
public:
    static Result<std::unique_ptr<LiveSource>>
    create(const std::string& devicePath, TraceTracker::Options options = {}, Logger log = {});
    ~LiveSource(); ///< stops tracking, thaws, ends the guardian

    /// Starts tracking writes into @p job; call before job.start().
    Result<void> attach(MirrorJob& job);
    /// Starts tracking writes into @p sink (a group's notifyWrite) for a
    /// source of @p size bytes; a lost trace marks all of it written.
    Result<void> attach(TraceTracker::Sink sink, std::uint64_t size);
    /// Stops tracking and the guardian; must happen before the job is destroyed.
    void stop();

    /// Freezes the source's file systems (held by the guardian, at most the
    /// job's maximum freeze) and delivers every write tracked until then.
    std::shared_ptr<Quiescer> quiescer();

    /// File systems mounted from the source now (what Complete will freeze).
    std::vector<std::string> mountPoints() const;
    const TraceTracker& tracker() const;
    /// The guardian's process id (tests kill it, or this process, on purpose).
    pid_t guardianPid() const;

private:
    struct State;
    class Quiesce;
    LiveSource() = default;
    std::string m_path;
    std::shared_ptr<State> m_state;
};

} // namespace engine
