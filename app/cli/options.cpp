#include "options.h"

#include "base/units.h"
#include "text.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>
#include <utility>

namespace cli {

namespace {

// The options that only switch something on; false for any other.
bool setFlag(int opt, MirrorArgs& a)
{
    switch (opt) {
    case 'u':
        a.options.unmap = false;
        return true;
    case 'c':
        a.completeWhenReady = true;
        return true;
    case 'x':
        a.cancelWhenReady = true;
        return true;
    case 'V':
        a.options.verify = true;
        return true;
    case 'W':
        a.options.wipeRest = true;
        return true;
    case 'f':
        a.force = true;
        return true;
    case 'j':
        a.json = true;
        return true;
    case 'v':
        a.verbose = true;
        return true;
    case 'N':
        a.noTracking = true;
        return true;
    case 'E':
        a.cancelOnEof = true;
        return true;
    case 'Q':
        a.noCommandQueue = true;
        return true;
    case 'K':
        a.keepIncomplete = true;
        return true;
    case 'R':
        a.resume = true;
        return true;
    case 'n':
        a.noCheckpoints = true;
        return true;
    case 'C':
        a.compress = true;
        return true;
    }
    return false;
}

// The values of the front end's options: --expect-id, --overwrite,
// --progress-interval, --map-cells, --drop-below.
std::optional<std::string> parseFrontEndValue(int opt, const char* arg, MirrorArgs& a)
{
    switch (opt) {
    case 'I':
        // Empty would read as "no identity asked for": the opposite of what
        // a script that lost its variable meant.
        if (!*arg)
            return fill(
                Cli::tr("--expect-id: an identity from `list --json` or `inspect --json`, not "
                        "empty"));
        a.expectIds.emplace_back(arg);
        return std::nullopt;
    case 'A':
    case 'Z': {
        auto f = engine::parseImageFormat(arg);
        if (!f)
            return fill(Cli::tr("%1: raw, qcow2, vmdk, vhdx or vdi, not '%2'"),
                        {opt == 'A' ? "--source-format" : "--format", arg});
        (opt == 'A' ? a.sourceFormat : a.targetFormat) = *f;
        return std::nullopt;
    }
    case 'B':
        if (!*arg)
            return fill(Cli::tr("--backing: an image file, not empty"));
        a.backing = arg;
        return std::nullopt;
    case 'O':
        if (!*arg)
            return fill(Cli::tr("--overwrite: a TARGET as given on the command line, not empty"));
        a.overwrite.emplace_back(arg);
        return std::nullopt;
    case 'P': {
        char* end = nullptr;
        const long ms = std::strtol(arg, &end, 10);
        if (!end || *end || ms < 50 || ms > 60000)
            return fill(Cli::tr("--progress-interval: milliseconds from 50 to 60000, not '%1'"),
                        {arg});
        a.progressInterval = std::chrono::milliseconds(ms);
        return std::nullopt;
    }
    case 'D': {
        auto v = engine::parseRate(arg);
        if (!v)
            return "--drop-below: " + v.error().message;
        a.floorSpeed = *v;
        return std::nullopt;
    }
    case 'd':
        if (!*arg)
            return fill(Cli::tr("--state-dir: a directory, not empty"));
        a.stateDir = arg;
        return std::nullopt;
    case 'i': {
        double secs = 0;
        const char* last = arg + std::strlen(arg);
        const auto [end, ec] = std::from_chars(arg, last, secs);
        if (ec != std::errc() || end != last || !(secs >= 0.1) || !(secs <= 3600))
            return fill(Cli::tr("--checkpoint-interval: seconds from 0.1 to 3600, not '%1'"),
                        {arg});
        a.checkpointInterval = std::chrono::milliseconds(std::llround(secs * 1000));
        return std::nullopt;
    }
    case 'M': {
        char* end = nullptr;
        const long cells = std::strtol(arg, &end, 10);
        if (!end || *end || cells < 1 || cells > (1 << 20))
            return fill(Cli::tr("--map-cells: a number of cells from 1 to 1048576, not '%1'"),
                        {arg});
        a.mapCells = static_cast<std::size_t>(cells);
        return std::nullopt;
    }
    }
    return fill(Cli::tr("unknown option"));
}

// The values of the job's own options (engine::JobOptions).
std::optional<std::string> parseJobValue(int opt, const char* arg, MirrorArgs& a)
{
    auto size = [&](const char* what, std::uint64_t& out) -> std::optional<std::string> {
        auto v = engine::parseSize(arg);
        if (!v)
            return std::string(what) + ": " + v.error().message; // the engine's text
        out = *v;
        return std::nullopt;
    };
    switch (opt) {
    case 's': {
        auto m = engine::parseSyncMode(arg);
        if (!m)
            return fill(Cli::tr("unknown sync mode '%1' (use full, top or none)"), {arg});
        a.options.sync = *m;
        return std::nullopt;
    }
    case 'g': {
        if (auto e = size("--granularity", a.options.granularity))
            return e;
        if (a.options.granularity == 0)
            return fill(Cli::tr("--granularity: must not be 0"));
        return std::nullopt;
    }
    case 'b':
        if (auto e = size("--buf-size", a.options.bufSize))
            return e;
        // More would only pin memory: 16 requests of 64 MiB already keep
        // any disk busy.
        if (a.options.bufSize > engine::kMaxBufSize)
            return fill(Cli::tr("--buf-size: at most 1G (memory for data in flight), not '%1'"),
                        {arg});
        return std::nullopt;
    case 'r': {
        auto v = engine::parseRate(arg);
        if (!v)
            return "--speed: " + v.error().message;
        a.options.speed = *v;
        return std::nullopt;
    }
    case 'S':
    case 'T': {
        auto p = engine::parseErrorPolicy(arg);
        if (!p)
            return fill(Cli::tr("unknown error policy '%1' (use report, ignore, stop or enospc)"),
                        {arg});
        (opt == 'S' ? a.options.onSourceError : a.options.onTargetError) = *p;
        return std::nullopt;
    }
    case 'Y': {
        auto m = engine::parseYieldMode(arg);
        if (!m)
            return fill(Cli::tr("--yield: auto or off, not '%1'"), {arg});
        a.options.yield = *m;
        return std::nullopt;
    }
    case 'F': {
        // from_chars: a decimal point whatever the locale says.
        double secs = 0;
        const char* last = arg + std::strlen(arg);
        const auto [end, ec] = std::from_chars(arg, last, secs);
        if (ec != std::errc() || end != last || !(secs >= engine::kMinFreezeSeconds) ||
            !(secs <= engine::kMaxFreezeSeconds))
            return fill(Cli::tr("--max-freeze: seconds from 0.1 to 3600, not '%1'"), {arg});
        a.options.maxFreezeSeconds = secs;
        return std::nullopt;
    }
    case 'L': {
        unsigned secs = 0;
        const char* last = arg + std::strlen(arg);
        const auto [end, ec] = std::from_chars(arg, last, secs);
        if (ec != std::errc() || end != last || secs > engine::kMaxReconnectSeconds)
            return fill(Cli::tr("--reconnect-timeout: whole seconds from 0 to 86400, not '%1'"),
                        {arg});
        a.options.reconnectSeconds = secs;
        return std::nullopt;
    }
    }
    return parseFrontEndValue(opt, arg, a);
}

// getopt_long takes any unambiguous prefix of a long option ("--gran" for
// --granularity), so a typo in a script could quietly mean another option;
// and a repeated option would silently override the first. Both refused:
// returns the error text, or nullopt. Call right after getopt_long returned
// @p opt with @p longIndex (-1 when it was not a long option).
std::optional<std::string> checkOptionUse(int opt, int longIndex, char** argv,
                                          const option* longOptions, std::set<int>& seen)
{
    if (longIndex >= 0) {
        // The option's own argv word: the one before a separate value.
        const bool separateValue = optarg && optind >= 2 && optarg == argv[optind - 1];
        const std::string given = argv[optind - (separateValue ? 2 : 1)];
        const std::string name = given.substr(0, given.find('='));
        if (name != std::string("--") + longOptions[longIndex].name)
            return fill(Cli::tr("unknown option %1: options are not abbreviated (see --help)"),
                        {name});
    }
    // --expect-id binds each of several targets in turn; --overwrite names
    // one target each time.
    if (!seen.insert(opt).second && opt != 'I' && opt != 'O') {
        const std::string name = longIndex >= 0 ? std::string("--") + longOptions[longIndex].name
                                                : std::string("-") + static_cast<char>(opt);
        return fill(Cli::tr("%1 given twice"), {name});
    }
    return std::nullopt;
}

} // namespace

const option kMirrorOptions[] = {
    {"sync", required_argument, nullptr, 's'},
    {"granularity", required_argument, nullptr, 'g'},
    {"buf-size", required_argument, nullptr, 'b'},
    {"speed", required_argument, nullptr, 'r'},
    {"on-source-error", required_argument, nullptr, 'S'},
    {"on-target-error", required_argument, nullptr, 'T'},
    {"no-unmap", no_argument, nullptr, 'u'},
    {"complete-when-ready", no_argument, nullptr, 'c'},
    {"cancel-when-ready", no_argument, nullptr, 'x'},
    {"verify", no_argument, nullptr, 'V'},
    {"max-freeze", required_argument, nullptr, 'F'},
    {"wipe-rest", no_argument, nullptr, 'W'},
    {"yield", required_argument, nullptr, 'Y'},
    {"reconnect-timeout", required_argument, nullptr, 'L'},
    {"force", no_argument, nullptr, 'f'},
    {"overwrite", required_argument, nullptr, 'O'},
    {"json", no_argument, nullptr, 'j'},
    {"verbose", no_argument, nullptr, 'v'},
    {"no-tracking", no_argument, nullptr, 'N'},
    {"expect-id", required_argument, nullptr, 'I'},
    {"progress-interval", required_argument, nullptr, 'P'},
    {"map-cells", required_argument, nullptr, 'M'},
    {"cancel-on-eof", no_argument, nullptr, 'E'},
    {"no-command-queue", no_argument, nullptr, 'Q'},
    {"keep-incomplete", no_argument, nullptr, 'K'},
    {"drop-below", required_argument, nullptr, 'D'},
    {"state-dir", required_argument, nullptr, 'd'},
    {"resume", no_argument, nullptr, 'R'},
    {"no-checkpoints", no_argument, nullptr, 'n'},
    {"checkpoint-interval", required_argument, nullptr, 'i'},
    {"source-format", required_argument, nullptr, 'A'},
    {"format", required_argument, nullptr, 'Z'},
    {"backing", required_argument, nullptr, 'B'},
    {"compress", no_argument, nullptr, 'C'},
    {"size", required_argument, nullptr, kDemoSize},
    {"dir", required_argument, nullptr, kDemoDir},
    {"live", required_argument, nullptr, kDemoLive},
    {"writer-rate", required_argument, nullptr, kDemoWriterRate},
    {nullptr, 0, nullptr, 0},
};

std::string MirrorArgs::effectiveStateDir() const
{
    if (noCheckpoints)
        return {};
    return stateDir.empty() ? engine::defaultStateDir() : stateDir;
}

std::optional<std::string> parseMirrorOption(int opt, const char* arg, MirrorArgs& a)
{
    if (setFlag(opt, a))
        return std::nullopt;
    return parseJobValue(opt, arg, a);
}

std::optional<std::string> parseCommandLine(int argc, char** argv, MirrorArgs& a,
                                            const CommandOptions& command)
{
    optind = 1;
    int opt;
    std::set<int> seen;
    int longIndex = -1;
    while ((opt = ::getopt_long(argc, argv, "v", kMirrorOptions, &longIndex)) != -1) {
        if (opt == '?' || (opt >= kDemoSize && !command.own))
            return command.unknown(argv[optind - 1]);
        if (auto e = checkOptionUse(opt, std::exchange(longIndex, -1), argv, kMirrorOptions, seen))
            return e;
        if (auto e =
                opt >= kDemoSize ? command.own(opt, optarg) : parseMirrorOption(opt, optarg, a))
            return e;
    }
    return std::nullopt;
}

} // namespace cli
