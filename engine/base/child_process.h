// Starting another program as this process's child, the way every front
// end needs it: nothing of this process's signal setup is inherited (the
// CLI blocks the signals that cancel a job; a child that inherited that mask
// could not be interrupted), no descriptor but the three standard ones.
#pragma once

#include "base/result.h"

#include <sys/types.h>

#include <string>
#include <vector>

namespace engine {

/// Starts @p args (args[0] looked up in PATH) with stdin from /dev/null and
/// stdout and stderr on @p stdoutFd and @p stderrFd (-1: /dev/null). With
/// @p ownProcessGroup the child does not get the terminal's Ctrl-C: the
/// caller decides when it ends. @p passFd, when set, is the child's
/// descriptor 3 (a file it reaches as /dev/fd/3: exactly the node the caller
/// holds). The error's code is ENOENT when the program is not installed.
Result<pid_t> spawnChild(const std::vector<std::string>& args, int stdoutFd = -1, int stderrFd = -1,
                         bool ownProcessGroup = false, int passFd = -1);

} // namespace engine
