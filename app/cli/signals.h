// The signals that cancel a job instead of ending the process.
#pragma once

#include <string>

namespace cli {

// Such a signal must cancel the job, never kill the process: a killed
// process leaves a half-written target and a job nobody reports on (the
// freeze guardian thaws and removes the trace instance, but nothing more).
// They are blocked before any thread exists, so every thread inherits the
// mask and the signals wait in driveJob's signalfd; with SIGPIPE blocked, a
// write to a closed stdout fails with EPIPE instead of ending the process.
void blockCancelSignals();

// A signalfd for those signals (-1 when there is none).
int openCancelSignalFd();
// Reads one signal from @p fd: its name ("SIGINT").
std::string readSignalName(int fd);

} // namespace cli
