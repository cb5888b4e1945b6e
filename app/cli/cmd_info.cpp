#include "cli.h"
#include "commands.h"
#include "common.h"
#include "json_output.h"
#include "text.h"

#include "device/mounts.h"
#include "io/disk.h"
#include "job/mirror_job.h"

#include <fcntl.h>
#include <sys/sysmacros.h>

#include <cstdio>

namespace cli {

int cmdInfo(int argc, char** argv)
{
    bool json = false;
    std::string path;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--json")
            json = true;
        else if (!arg.empty() && arg[0] == '-')
            return badInput(fill(Cli::tr("info: unknown option %1"), {arg}));
        else if (path.empty())
            path = arg;
        else
            return badInput(fill(Cli::tr("info takes one path")));
    }
    if (path.empty())
        return badInput(fill(Cli::tr("info needs a path (see --help)")));
    if (auto why = elevatedAccessRefusal(path, O_RDONLY))
        return badInput(why->message);
    auto disk = engine::Disk::open(path, {engine::Disk::Access::ReadOnly, true, false},
                                   engine::nullLogger());
    if (!disk)
        return badInput(disk.error().message);
    std::uint64_t allocated = 0;
    std::uint64_t extents = 0;
    for (std::uint64_t pos = 0; pos < disk->size();) {
        auto ext = disk->nextAllocated(pos);
        if (!ext || !*ext)
            break;
        allocated += (*ext)->length;
        pos = (*ext)->end();
        ++extents;
    }
    std::vector<std::string> mounts;
    if (disk->isBlockDevice())
        mounts = engine::mountPointsOf(major(disk->identity().rdev), minor(disk->identity().rdev));
    if (json) {
        std::fprintf(stdout, "%s\n",
                     JsonObject()
                         .add(protocol::key::kPath, path)
                         .add(protocol::key::kKind, disk->isBlockDevice() ? "block-device" : "file")
                         .add(protocol::key::kSize, disk->size())
                         .add(protocol::key::kLogicalBlockSize,
                              static_cast<std::uint64_t>(disk->logicalBlockSize()))
                         .add(protocol::key::kPhysicalBlockSize,
                              static_cast<std::uint64_t>(disk->physicalBlockSize()))
                         .add("direct-io", disk->directIo())
                         .add("allocated", allocated)
                         .add("extents", extents)
                         .add("default-granularity", engine::defaultGranularity(*disk))
                         .addRaw(protocol::key::kMountPoints, stringArray(mounts))
                         .str()
                         .c_str());
        return kExitOk;
    }
    std::vector<std::pair<std::string, std::string>> rows = {
        {fill(Cli::tr("path:")), path},
        {fill(Cli::tr("kind:")),
         fill(disk->isBlockDevice() ? Cli::tr("block device") : Cli::tr("image file"))},
        {fill(Cli::tr("size:")),
         fill(Cli::tr("%1 (%2 bytes)"), {sizeText(disk->size()), countText(disk->size())})},
        {fill(Cli::tr("logical block:")), std::to_string(disk->logicalBlockSize())},
        {fill(Cli::tr("physical block:")), std::to_string(disk->physicalBlockSize())},
        {fill(Cli::tr("direct I/O:")),
         fill(disk->directIo() ? Cli::tr("yes") : Cli::tr("no (buffered)"))},
        {fill(Cli::tr("allocated:")),
         fill(Cli::tr("%1 in %n extent(s)", nullptr, pluralCount(extents)), {sizeText(allocated)})},
        {fill(Cli::tr("default granularity:")), sizeText(engine::defaultGranularity(*disk))},
    };
    if (disk->isBlockDevice())
        rows.emplace_back(fill(Cli::tr("mounted:")),
                          mounts.empty() ? fill(Cli::tr("no")) : mounts.front());
    printRows(rows);
    return kExitOk;
}

} // namespace cli
