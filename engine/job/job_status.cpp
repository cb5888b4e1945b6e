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

} // namespace engine
