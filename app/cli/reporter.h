// What a running job tells whoever started it. The job driver says what
// happened; a reporter decides how it reads: one JSON object per line for a
// program (--json), log lines and a progress line for a person.
#pragma once

#include "job/mirror_job.h"
#include "options.h"
#include "rules/job_setup.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace cli {

using Clock = std::chrono::steady_clock;

// How a job ended, with what the driver derived from it.
struct JobEnd
{
    const engine::JobResult& result;
    const engine::JobSnapshot& snapshot;
    std::string errorText; ///< English (it is also the JSON's); empty when none
    std::uint64_t unwrittenBytes = 0;
    std::uint64_t unreadableBytes = 0;
    bool skipped = false;       ///< an error policy `ignore` left ranges behind
    bool targetRemoved = false; ///< the file the job created was removed again
    /// The checkpoint an interrupted job left to resume from; empty when none.
    std::string checkpoint;
};

// Several targets' progress, as one line shows it.
struct GroupProgress
{
    std::size_t targets = 0;
    std::size_t done = 0;   ///< completed
    std::size_t failed = 0; ///< ended otherwise
    std::string slowestTarget;
    std::shared_ptr<const engine::JobSnapshot> slowest;
    double slowestRate = 0;
};

class JobReporter
{
public:
    virtual ~JobReporter() = default;

    /// @p live: the source's tracking, null for a source nothing writes to.
    virtual void started(const engine::LiveSource* live, bool targetCreated) = 0;
    virtual void statusChanged(engine::JobStatus to) = 0;
    /// @p unattended: nothing waits for a person's command at READY.
    virtual void ready(const engine::JobSnapshot& s, bool unattended) = 0;
    virtual void completeFailed(const std::string& reason) = 0;
    virtual void verifying() = 0;
    /// Called on every turn of the loop while the job runs.
    virtual void tick(const engine::JobSnapshot& s, Clock::time_point now, double rate) = 0;
    /// Instead of tick() on a terminal when one source goes to several targets.
    virtual void groupTick(const GroupProgress&) {}
    /// The loop is over; the final report follows.
    virtual void loopEnded() = 0;
    virtual void finished(const JobEnd& end) = 0;

    /// The answer to a command (or to the driver's own complete or cancel).
    virtual void reply(const engine::Result<void>& r, const std::string& id = {}) = 0;
    virtual void status(const engine::JobSnapshot& s, const std::string& id) = 0;
    /// A complete sent before READY waits for it.
    virtual void completeHeld() = 0;
    /// Says that @p verb is no command; returns the refusal to answer in the
    /// order of the lines, or nullopt when nothing is answered in order.
    virtual std::optional<engine::Error> unknownCommand(const std::string& verb) = 0;
    virtual void lineTooLong(std::size_t maxBytes) = 0;
};

std::unique_ptr<JobReporter> makeJsonReporter(engine::MirrorJob& job, const MirrorArgs& a);
std::unique_ptr<JobReporter> makeTerminalReporter(const MirrorArgs& a, const engine::Logger& log);

} // namespace cli
