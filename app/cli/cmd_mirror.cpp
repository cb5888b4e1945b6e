#include "cli.h"
#include "commands.h"
#include "common.h"
#include "job_driver.h"
#include "json_output.h"
#include "signals.h"
#include "text.h"

#include <cerrno>
#include <utility>

namespace cli {

Prepared prepareMirror(MirrorArgs& a, const engine::Logger& log,
                       std::shared_ptr<engine::Quiescer> quiescer)
{
    Prepared p;
    if (a.completeWhenReady && a.cancelWhenReady) {
        p.code = badInput(
            fill(Cli::tr("--complete-when-ready and --cancel-when-ready exclude each other")));
        return p;
    }
    engine::JobSetup setup;
    setup.source = a.source;
    setup.target = a.target;
    setup.options = a.options;
    setup.quiescer = std::move(quiescer);
    setup.allowDataOnTarget = a.force;
    setup.expectedTargetId = a.expectId;
    setup.trackWrites = !a.noTracking;
    setup.invoker = engine::currentInvoker();
    auto prepared = engine::prepareJob(std::move(setup), log);
    if (!prepared) {
        // The engine's message, with the way out the CLI offers: in English
        // in the JSON answer, in the user's language around it on stderr.
        const std::string& msg = prepared.error().message;
        const bool forceHelps = prepared.error().code == EEXIST &&
                                prepared.error().rule == engine::Rule::TargetHoldsData;
        if (a.json)
            printError({prepared.error().code,
                        forceHelps ? msg + "; run again with --force to accept" : msg,
                        prepared.error().rule});
        p.code = badInput(forceHelps ? fill(Cli::tr("%1; run again with --force to accept"), {msg})
                                     : msg);
        return p;
    }
    if (a.force && prepared->job->target().isBlockDevice())
        log->warn("{}", fill(Cli::tr("--force: %1 will be overwritten"), {a.target}));
    p.prepared = std::move(*prepared);
    return p;
}

int cmdMirror(int argc, char** argv)
{
    blockCancelSignals();
    MirrorArgs a;
    const CommandOptions command{[](const char* word) {
                                     return fill(Cli::tr("mirror: unknown option or missing "
                                                         "value: %1 (see --help)"),
                                                 {word});
                                 },
                                 {}};
    if (auto e = parseCommandLine(argc, argv, a, command))
        return badInput(*e);
    if (argc - optind != 2)
        return badInput(fill(Cli::tr("mirror needs SOURCE and TARGET (see --help)")));
    a.source = argv[optind];
    a.target = argv[optind + 1];
    auto log = makeLogger(a.verbose);
    auto prepared = prepareMirror(a, log);
    if (!prepared.job())
        return prepared.code;
    return driveJob(prepared.prepared, a, log, nullptr, 0);
}

} // namespace cli
