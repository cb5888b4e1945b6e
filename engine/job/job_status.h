// Job states and user verbs, as data (QEMU job.c): one table says which
// status may follow which, another which verb is allowed in which status.
// The engine, the CLI's command validation and the GUI's buttons all read the
// same tables, so there is no second copy of the rules anywhere.
//
//   created -> running -> ready -> waiting -> pending -> concluded -> null
//                 |  ^      |  ^                ^
//                 v  |      v  |                |
//               paused    standby         aborting (cancel, failure)
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace engine {

enum class JobStatus : std::uint8_t {
    Created,
    Running,
    Paused,
    Ready,
    Standby,
    Waiting,
    Pending,
    Aborting,
    Concluded,
    Null,
};
inline constexpr std::size_t kStatusCount = 10;

enum class JobVerb : std::uint8_t { Cancel, Pause, Resume, SetSpeed, Complete };
inline constexpr std::size_t kVerbCount = 5;

namespace detail {
using Row = std::array<bool, kStatusCount>;
//                                       Cr Ru Pa Re St Wa Pe Ab Co Nu
inline constexpr std::array<Row, kStatusCount> kTransitions{{
    /* Created   */ Row{0, 1, 0, 0, 0, 0, 0, 1, 0, 0},
    /* Running   */ Row{0, 0, 1, 1, 0, 1, 0, 1, 0, 0},
    /* Paused    */ Row{0, 1, 0, 0, 0, 0, 0, 1, 0, 0},
    /* Ready     */ Row{0, 0, 0, 0, 1, 1, 0, 1, 0, 0},
    /* Standby   */ Row{0, 0, 0, 1, 0, 0, 0, 1, 0, 0},
    /* Waiting   */ Row{0, 0, 0, 0, 0, 0, 1, 1, 0, 0},
    /* Pending   */ Row{0, 0, 0, 0, 0, 0, 0, 1, 1, 0},
    /* Aborting  */ Row{0, 0, 0, 0, 0, 0, 0, 0, 1, 0},
    /* Concluded */ Row{0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
    /* Null      */ Row{0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
}};
//                                       Cr Ru Pa Re St Wa Pe Ab Co Nu
inline constexpr std::array<Row, kVerbCount> kVerbs{{
    /* Cancel    */ Row{1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
    /* Pause     */ Row{0, 1, 0, 1, 0, 0, 0, 0, 0, 0},
    /* Resume    */ Row{0, 0, 1, 0, 1, 0, 0, 0, 0, 0},
    /* SetSpeed  */ Row{1, 1, 1, 1, 1, 0, 0, 0, 0, 0},
    /* Complete  */ Row{0, 0, 0, 1, 0, 0, 0, 0, 0, 0},
}};
} // namespace detail

constexpr bool canTransition(JobStatus from, JobStatus to)
{
    return detail::kTransitions[static_cast<std::size_t>(from)][static_cast<std::size_t>(to)];
}

constexpr bool isVerbAllowed(JobVerb verb, JobStatus status)
{
    return detail::kVerbs[static_cast<std::size_t>(verb)][static_cast<std::size_t>(status)];
}

/// The job can no longer change the target (terminal or about to be).
constexpr bool isFinished(JobStatus s)
{
    return s == JobStatus::Concluded || s == JobStatus::Null;
}

/// Several targets of one source move together (a command acts on all of
/// them): the status of those not finished when they agree; where they
/// differ, Paused when every one of them is paused (so Resume is offered),
/// else Running (so Complete waits until every one is READY). Concluded
/// when all are finished.
JobStatus groupStatus(std::span<const JobStatus> members);

static_assert(isVerbAllowed(JobVerb::Complete, JobStatus::Ready));
static_assert(!isVerbAllowed(JobVerb::Complete, JobStatus::Running));
static_assert(!isVerbAllowed(JobVerb::Complete, JobStatus::Standby));
static_assert(canTransition(JobStatus::Ready, JobStatus::Standby));
static_assert(!canTransition(JobStatus::Concluded, JobStatus::Running));
static_assert(canTransition(JobStatus::Aborting, JobStatus::Concluded));

/// QEMU's lower-case names ("running", "ready", ...), used in logs and JSON.
std::string_view toString(JobStatus status);
std::string_view toString(JobVerb verb);

} // namespace engine
