#include "cli.h"

#include "commands.h"
#include "common.h"
#include "text.h"
#include "version.h"

#include <getopt.h>
#include <signal.h>

#include <cstdio>
#include <string>

namespace cli {

int run(int argc, char** argv)
{
    ::opterr = 0; // our own one-line messages instead of getopt's
    // A front end that reads our output may go away: a write to its closed
    // pipe must fail with EPIPE, not kill the process in the middle of a job.
    ::signal(SIGPIPE, SIG_IGN);
    if (argc < 2)
        return badInput(fill(Cli::tr("missing command (see --help)")));
    const std::string cmd = argv[1];
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        printHelp();
        return kExitOk;
    }
    if (cmd == "--version") {
        std::printf("drivemirror-cli %s\n", DRIVEMIRROR_VERSION);
        return kExitOk;
    }
    // Sub-commands parse their own arguments from argv[1] on.
    if (cmd == "mirror")
        return cmdMirror(argc - 1, argv + 1);
    if (cmd == "demo")
        return cmdDemo(argc - 1, argv + 1);
    if (cmd == "verify")
        return cmdVerify(argc - 1, argv + 1);
    if (cmd == "info")
        return cmdInfo(argc - 1, argv + 1);
    if (cmd == "list")
        return cmdList(argc - 1, argv + 1);
    if (cmd == "inspect")
        return cmdInspect(argc - 1, argv + 1);
    if (cmd == "station")
        return cmdStation(argc - 1, argv + 1);
    if (cmd == "jobs")
        return cmdJobs(argc - 1, argv + 1);
    if (cmd == "map")
        return cmdMap(argc - 1, argv + 1);
    if (cmd == "serve")
        return cmdServe(argc - 1, argv + 1);
    return badInput(fill(Cli::tr("unknown command '%1' (see --help)"), {cmd}));
}

} // namespace cli
