// Runs a prepared job to its end: events, stdin commands, signals and the
// reports, then the exit code.
#pragma once

#include "job/demo.h"
#include "options.h"
#include "rules/job_setup.h"

namespace cli {

// @p demoWriter and @p liveSeconds: `demo` completes the job that long after
// READY; null and 0 for `mirror`. Returns the exit code.
int driveJob(const engine::PreparedJob& prepared, const MirrorArgs& a, const engine::Logger& log,
             engine::DemoWriter* demoWriter, double liveSeconds);

// The same for one source and several targets (MirrorArgs::targets, in the
// group's order): every command acts on all of them, each target reports
// its own events, and the exit code says whether all, some or none of the
// copies succeeded.
int driveGroup(const engine::PreparedGroup& prepared, const MirrorArgs& a,
               const engine::Logger& log);

} // namespace cli
