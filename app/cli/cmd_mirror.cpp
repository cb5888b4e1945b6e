#include "cli.h"
#include "commands.h"
#include "common.h"
#include "job_driver.h"
#include "json_output.h"
#include "signals.h"
#include "text.h"

#include <algorithm>
#include <cerrno>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cli {

namespace {

// The engine's refusal, with the way out the CLI offers: in English in the
// JSON answer, in the user's language around it on stderr.
int refused(const MirrorArgs& a, const engine::Error& error)
{
    const std::string& msg = error.message;
    const bool forceHelps = error.code == EEXIST && error.rule == engine::Rule::TargetHoldsData;
    if (a.json)
        printError({error.code, forceHelps ? msg + "; run again with --force to accept" : msg,
                    error.rule});
    return badInput(forceHelps ? fill(Cli::tr("%1; run again with --force to accept"), {msg})
                               : msg);
}

// --overwrite names targets as given: one that names none of them is a
// mistake the user must see, not an option that quietly does nothing.
std::optional<std::string> unknownOverwrite(const MirrorArgs& a,
                                            const std::vector<std::string>& targets)
{
    for (const std::string& name : a.overwrite)
        if (std::find(targets.begin(), targets.end(), name) == targets.end())
            return fill(Cli::tr("--overwrite: %1 is not one of the targets"), {name});
    return std::nullopt;
}

bool mayOverwrite(const MirrorArgs& a, const std::string& target)
{
    return a.force ||
           std::find(a.overwrite.begin(), a.overwrite.end(), target) != a.overwrite.end();
}

// `mirror SOURCE TARGET TARGET...`: every target passes every rule before
// any is written, then one group copies to all of them.
void setImageOptions(const MirrorArgs& a, engine::JobSetup& setup)
{
    setup.sourceFormat = a.sourceFormat;
    setup.targetFormat = a.targetFormat;
    setup.targetBacking = a.backing;
    setup.compressTarget = a.compress;
}

int mirrorToMany(MirrorArgs& a, const engine::Logger& log)
{
    if (a.completeWhenReady && a.cancelWhenReady)
        return badInput(
            fill(Cli::tr("--complete-when-ready and --cancel-when-ready exclude each other")));
    if (a.resume && a.noCheckpoints)
        return badInput(fill(Cli::tr("--resume and --no-checkpoints exclude each other")));
    if (a.targets.size() > engine::kMaxTargets)
        return badInput(
            fill(Cli::tr("mirror takes at most %1 targets, not %2"),
                 {std::to_string(engine::kMaxTargets), std::to_string(a.targets.size())}));
    if (!a.expectIds.empty() && a.expectIds.size() != a.targets.size())
        return badInput(
            fill(Cli::tr("--expect-id: given %1 times for %2 targets; give it once "
                         "per target, in the targets' order"),
                 {std::to_string(a.expectIds.size()), std::to_string(a.targets.size())}));
    if (auto e = unknownOverwrite(a, a.targets))
        return badInput(*e);
    engine::GroupSetup setup;
    setup.common.source = a.source;
    setup.common.options = a.options;
    setup.common.allowDataOnTarget = a.force;
    setup.common.trackWrites = !a.noTracking;
    setup.common.invoker = engine::currentInvoker();
    setup.common.stateDir = a.effectiveStateDir();
    setup.common.resume = a.resume;
    setup.common.checkpointInterval = a.checkpointInterval;
    setImageOptions(a, setup.common);
    for (std::size_t i = 0; i < a.targets.size(); ++i)
        setup.targets.push_back({a.targets[i], a.expectIds.empty() ? std::string() : a.expectIds[i],
                                 mayOverwrite(a, a.targets[i])});
    setup.group.floorSpeed = a.floorSpeed;
    auto prepared = engine::prepareGroup(std::move(setup), log);
    if (!prepared)
        return refused(a, prepared.error());
    for (std::size_t i = 0; i < prepared->group->size(); ++i)
        if (mayOverwrite(a, a.targets[i]) && prepared->group->member(i).target().isBlockDevice())
            log->warn("{}", fill(Cli::tr("--force: %1 will be overwritten"), {a.targets[i]}));
    return driveGroup(*prepared, a, log);
}

} // namespace

Prepared prepareMirror(MirrorArgs& a, const engine::Logger& log,
                       std::shared_ptr<engine::Quiescer> quiescer)
{
    Prepared p;
    if (a.resume && a.noCheckpoints) {
        p.code = badInput(fill(Cli::tr("--resume and --no-checkpoints exclude each other")));
        return p;
    }
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
    if (auto e = unknownOverwrite(a, {a.target})) {
        p.code = badInput(*e);
        return p;
    }
    setup.allowDataOnTarget = mayOverwrite(a, a.target);
    if (a.floorSpeed > 0) {
        p.code = badInput(fill(Cli::tr("--drop-below: only with several targets")));
        return p;
    }
    if (a.expectIds.size() > 1) {
        p.code = badInput(fill(Cli::tr("--expect-id: given %1 times for one target"),
                               {std::to_string(a.expectIds.size())}));
        return p;
    }
    setup.expectedTargetId = a.expectIds.empty() ? std::string() : a.expectIds.front();
    setup.trackWrites = !a.noTracking;
    setup.invoker = engine::currentInvoker();
    setup.stateDir = a.effectiveStateDir();
    setup.resume = a.resume;
    setup.checkpointInterval = a.checkpointInterval;
    setImageOptions(a, setup);
    auto prepared = engine::prepareJob(std::move(setup), log);
    if (!prepared) {
        p.code = refused(a, prepared.error());
        return p;
    }
    if (mayOverwrite(a, a.target) && prepared->job->target().isBlockDevice())
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
    if (argc - optind < 2)
        return badInput(fill(Cli::tr("mirror needs SOURCE and TARGET (see --help)")));
    a.source = argv[optind];
    a.target = argv[optind + 1];
    auto log = makeLogger(a.verbose);
    if (argc - optind > 2) {
        a.targets.assign(argv + optind + 1, argv + argc);
        return mirrorToMany(a, log);
    }
    auto prepared = prepareMirror(a, log);
    if (!prepared.job())
        return prepared.code;
    return driveJob(prepared.prepared, a, log, nullptr, 0);
}

} // namespace cli
