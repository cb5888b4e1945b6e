#include "job/job_status.h"

namespace engine {

std::string_view toString(JobStatus status)
{
    switch (status) {
    case JobStatus::Created:
        return "created";
    case JobStatus::Running:
        return "running";
    case JobStatus::Paused:
        return "paused";
    case JobStatus::Ready:
        return "ready";
    case JobStatus::Standby:
        return "standby";
    case JobStatus::Waiting:
        return "waiting";
    case JobStatus::Pending:
        return "pending";
    case JobStatus::Aborting:
        return "aborting";
    case JobStatus::Concluded:
        return "concluded";
    case JobStatus::Null:
        return "null";
    }
    return "?";
}

std::string_view toString(JobVerb verb)
{
    switch (verb) {
    case JobVerb::Cancel:
        return "cancel";
    case JobVerb::Pause:
        return "pause";
    case JobVerb::Resume:
        return "resume";
    case JobVerb::SetSpeed:
        return "set-speed";
    case JobVerb::Complete:
        return "complete";
    }
    return "?";
}

JobStatus groupStatus(std::span<const JobStatus> members)
{
    const auto paused = [](JobStatus s) {
        return s == JobStatus::Paused || s == JobStatus::Standby;
    };
    bool any = false;
    bool same = true;
    bool allPaused = true;
    JobStatus first = JobStatus::Concluded;
    for (const JobStatus s : members) {
        if (isFinished(s))
            continue;
        if (!any)
            first = s;
        same = same && s == first;
        allPaused = allPaused && paused(s);
        any = true;
    }
    if (!any)
        return JobStatus::Concluded;
    if (same)
        return first;
    return allPaused ? JobStatus::Paused : JobStatus::Running;
}

} // namespace engine
