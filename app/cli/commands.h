// The CLI's commands, one file each; each parses its own arguments from
// argv[1] on and returns the exit code.
#pragma once

#include "cli.h"
#include "job/verify.h"
#include "options.h"
#include "rules/job_setup.h"

#include <string>

namespace cli {

void printHelp();
int cmdMirror(int argc, char** argv);
int cmdDemo(int argc, char** argv);
int cmdVerify(int argc, char** argv);
int cmdInfo(int argc, char** argv);
int cmdList(int argc, char** argv);
int cmdInspect(int argc, char** argv);
int cmdStation(int argc, char** argv);
int cmdJobs(int argc, char** argv);
int cmdMap(int argc, char** argv);
int cmdServe(int argc, char** argv);

// Every rule, the target's creation and the job itself come from
// engine::prepareJob, the same path the desktop app takes; what is left here
// is turning a refusal into one line and exit code 2.
struct Prepared
{
    engine::PreparedJob prepared;
    int code = kExitOk;
    engine::MirrorJob* job() const { return prepared.job.get(); }
};

// Turns a refusal into one line (and for --json, the JSON refusal) and exit
// code 2; `mirror` and `demo` share it.
Prepared prepareMirror(MirrorArgs& a, const engine::Logger& log,
                       std::shared_ptr<engine::Quiescer> quiescer = {});

// A verification's verdict for a person, on stderr; `verify` and a job
// with --verify share it.
void printVerifyText(const engine::VerifyReport& r, const std::string& a, const std::string& b);

} // namespace cli
