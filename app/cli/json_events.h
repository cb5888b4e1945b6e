// The data of each event and answer the CLI writes for a program, as pure
// functions of what the job says, so that a test can write every one and
// read it back the way the desktop app does.
#pragma once

#include "json_output.h"
#include "reporter.h"

#include <string>
#include <vector>

namespace cli {

JsonObject startedData(const std::string& device, const std::string& source,
                       const std::string& target, std::uint64_t len, std::uint64_t granularity,
                       bool live, const std::vector<std::string>& mountPoints, bool targetCreated);
JsonObject statusChangeData(const std::string& device, engine::JobStatus to);
/// BLOCK_JOB_PROGRESS's data; @p mode is the job's yield option (the
/// snapshot says whether it is active).
JsonObject progressData(const std::string& device, const engine::JobSnapshot& s, double rate,
                        engine::YieldMode mode);
// The map rides along progress and READY (with --map-cells).
JsonObject withMap(JsonObject data, const engine::DirtyMapSnapshot& map);
JsonObject completeFailedData(const std::string& device, const std::string& reason);
JsonObject verifyingData(const std::string& device);
// The answer to `status`.
JsonObject statusData(const std::string& device, const engine::JobSnapshot& s);
// BLOCK_JOB_COMPLETED or BLOCK_JOB_CANCELLED (protocol::endEvent).
JsonObject endData(const std::string& device, const JobEnd& end);
// What `inspect --json` prints: the review, facts and devices in one object.
std::string inspectJson(const engine::TargetReview& r, const std::string& target,
                        const std::string& source, const std::string& expectId);

} // namespace cli
