#include "cli.h"
#include "commands.h"
#include "common.h"
#include "json_events.h"
#include "text.h"

#include "device/device_catalog.h"

#include <fcntl.h>

#include <cstdio>

namespace cli {

namespace {

// What `inspect` tells a person: what TARGET holds and the verdict.
void printInspectText(const engine::TargetReview& r, const std::string& target)
{
    const engine::TargetFacts& f = r.facts;
    const std::string labels[] = {fill(Cli::tr("target:")),  fill(Cli::tr("holds:")),
                                  fill(Cli::tr("size:")),    fill(Cli::tr("device:")),
                                  fill(Cli::tr("verdict:")), fill(Cli::tr("identity:"))};
    int width = 0;
    for (const std::string& l : labels)
        width = std::max(width, displayWidth(l));
    auto row = [&](const std::string& label, const std::string& value) {
        std::printf("%s %s\n", fitText(label, width).c_str(), value.c_str());
    };
    row(labels[0], target);
    if (!f.exists)
        row(labels[1], fill(Cli::tr("nothing (it does not exist and would be created)")));
    else if (!f.signatureReadable)
        row(labels[1], fill(Cli::tr("unknown (the first sectors could not be read)")));
    else
        row(labels[1], f.dataSignature.empty()
                           ? fill(Cli::tr("no known partition table or file system"))
                           : signatureText(f.dataSignature));
    if (f.exists)
        row(labels[2], sizeText(f.size));
    if (r.device)
        row(labels[3], kindText(r.device->kind()).toStdString() + " " + r.device->model + " (" +
                           r.device->stableId() + ")");
    for (const auto& p : r.partitions)
        std::printf("  %s %s  %s%s\n", fitText(p.name, 12).c_str(),
                    fitText(sizeText(p.size), 10, true).c_str(), p.fsType.c_str(),
                    p.fsLabel.empty() ? "" : (" \"" + p.fsLabel + "\"").c_str());
    if (!f.identity.empty())
        row(labels[5], fill(Cli::tr("%1 (for mirror --expect-id)"), {f.identity}));
    if (r.refusal)
        row(labels[4], fill(Cli::tr("refused: %1"), {r.refusal->message}));
    else if (f.blockDevice && !f.dataSignature.empty())
        row(labels[4], fill(Cli::tr("accepted once you agree to overwrite %1 (mirror --force)"),
                            {signatureText(f.dataSignature)}));
    else if (f.blockDevice && (!f.partitions.empty() || !f.signatureReadable))
        row(labels[4], fill(Cli::tr("accepted once you agree to overwrite what it holds "
                                    "(mirror --force)")));
    else
        row(labels[4], fill(Cli::tr("accepted")));
}

} // namespace

int cmdInspect(int argc, char** argv)
{
    bool json = false;
    std::string source, target, expectId;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--json") {
            json = true;
        } else if (arg == "--source" || arg == "--expect-id") {
            if (i + 1 >= argc)
                return badInput(fill(Cli::tr("inspect: %1 needs a value"), {arg}));
            (arg == "--source" ? source : expectId) = argv[++i];
            if ((arg == "--source" ? source : expectId).empty())
                return badInput(fill(Cli::tr("inspect: %1 needs a value"), {arg}));
        } else if (!arg.empty() && arg[0] == '-') {
            return badInput(fill(Cli::tr("inspect: unknown option %1"), {arg}));
        } else if (target.empty()) {
            target = arg;
        } else {
            return badInput(fill(Cli::tr("inspect takes one target")));
        }
    }
    if (target.empty())
        return badInput(fill(Cli::tr("inspect needs a target (see --help)")));
    // Nothing is looked at in a file the user could not use himself.
    std::optional<engine::Error> gate = elevatedAccessRefusal(target, O_RDWR);
    if (!gate && !source.empty())
        gate = elevatedAccessRefusal(source, O_RDONLY);
    engine::TargetReview r;
    if (gate)
        r.refusal = *gate;
    else
        r = engine::reviewTarget(source, target, expectId);
    if (json)
        std::printf("%s\n", inspectJson(r, target, source, expectId).c_str());
    else
        printInspectText(r, target);
    return r.refusal ? kExitBadInput : kExitOk;
}

} // namespace cli
