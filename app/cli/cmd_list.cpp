#include "cli.h"
#include "commands.h"
#include "common.h"
#include "json_output.h"
#include "text.h"

#include "device/device_catalog.h"

#include <array>
#include <cstdio>

namespace cli {

int cmdList(int argc, char** argv)
{
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--json")
            json = true;
        else
            return badInput(fill(Cli::tr("list: unknown argument %1"), {argv[i]}));
    }
    const auto all = engine::enumerateDevices(makeLogger(false));
    if (json) {
        for (const auto& d : all) {
            JsonObject o = deviceJson(d);
            if (const auto refusal = engine::targetRefusal(d, all))
                o.add(protocol::key::kTargetRefusal, *refusal);
            std::printf("%s\n", o.str().c_str());
        }
        return kExitOk;
    }
    // One row per device under translated headings; each column as wide as
    // its widest cell (in terminal columns: translations differ in length),
    // the model cut at 28.
    using Row = std::array<std::string, 6>;
    std::vector<Row> rows = {{fill(Cli::tr("DEVICE")), fill(Cli::tr("KIND")), fill(Cli::tr("SIZE")),
                              fill(Cli::tr("MODEL")), fill(Cli::tr("FS")), fill(Cli::tr("USE"))}};
    for (const auto& d : all) {
        std::string use;
        if (!d.mountPoints.empty())
            use = fill(Cli::tr("mounted at %1"), {d.mountPoints.front()});
        else if (d.swap)
            use = fill(Cli::tr("swap"));
        else if (!d.holders.empty())
            use = fill(Cli::tr("held by %1"), {d.holders.front()});
        if (holdsRootFileSystem(d, all))
            use = use.empty() ? fill(Cli::tr("system disk"))
                              : fill(Cli::tr("%1, system disk"), {use});
        std::string fsText = d.fsType.empty() ? d.partitionTable : d.fsType;
        if (!d.fsLabel.empty())
            fsText += " \"" + d.fsLabel + "\"";
        std::string model = d.model.empty() ? d.vendor : d.model;
        if (!d.loopBackingFile.empty())
            model = d.loopBackingFile;
        rows.push_back({d.isPartition ? "  " + d.name : d.name, kindText(d.kind()).toStdString(),
                        sizeText(d.size), model, fsText, use});
    }
    std::array<int, 6> width{};
    for (const Row& r : rows)
        for (std::size_t c = 0; c < r.size(); ++c)
            width[c] = std::max(width[c], displayWidth(r[c]));
    width[3] = std::min(width[3], 28);
    for (const Row& r : rows) {
        const std::string line = fitText(r[0], width[0]) + " " + fitText(r[1], width[1]) + " " +
                                 fitText(r[2], width[2], true) + "  " + fitText(r[3], width[3]) +
                                 " " + fitText(r[4], width[4]) + " " + r[5];
        std::printf("%s\n", line.c_str());
    }
    return kExitOk;
}

} // namespace cli
