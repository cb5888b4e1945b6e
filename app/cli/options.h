// The command line of `mirror` and `demo`: the options table and its strict
// parsing (no abbreviations, no repeats), into MirrorArgs.
#pragma once

#include "io/image_format.h"
#include "job/job_journal.h"
#include "job/job_options.h"

#include <getopt.h>

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cli {

struct MirrorArgs
{
    std::string source;
    std::string target;
    /// With several targets: all of them, in order (target is the first).
    std::vector<std::string> targets;
    engine::JobOptions options;
    bool completeWhenReady = false;
    bool cancelWhenReady = false;
    bool json = false;
    bool force = false;
    bool verbose = false;
    bool noTracking = false;
    /// --overwrite: targets that may hold data (as --force, for each alone).
    std::vector<std::string> overwrite;
    /// --expect-id, once per target in the targets' order.
    std::vector<std::string> expectIds;
    std::chrono::milliseconds progressInterval{1000};
    std::size_t mapCells = 0;
    bool cancelOnEof = false;
    bool noCommandQueue = false;
    bool keepIncomplete = false;
    /// --drop-below: with several targets, one slower than this for 30 s is dropped.
    std::uint64_t floorSpeed = 0;
    /// Where checkpoints go (--state-dir; empty: engine::defaultStateDir()).
    std::string stateDir;
    bool resume = false;
    bool noCheckpoints = false;
    std::chrono::milliseconds checkpointInterval = engine::kDefaultCheckpointInterval;
    /// --source-format, --format, --backing, --compress (engine::JobSetup's).
    std::optional<engine::ImageFormat> sourceFormat;
    std::optional<engine::ImageFormat> targetFormat;
    std::string backing;
    bool compress = false;
    /// The state directory the job uses: empty with --no-checkpoints.
    std::string effectiveStateDir() const;
};

// getopt_long's table of both commands; demo's own options have values from
// 1000 (kDemoSize...).
extern const option kMirrorOptions[];
enum DemoOption : int { kDemoSize = 1000, kDemoDir, kDemoLive, kDemoWriterRate };

// Parses the options shared by `mirror` and `demo`; returns an error text.
std::optional<std::string> parseMirrorOption(int opt, const char* arg, MirrorArgs& a);

// How a command treats what the shared table does not parse for it.
struct CommandOptions
{
    /// The error text for an unknown option or a missing value (@p word).
    std::function<std::string(const char* word)> unknown;
    /// A command's own option (1000 and above); without it, those are unknown.
    std::function<std::optional<std::string>(int opt, const char* arg)> own;
};

// Runs getopt_long over @p argv into @p a, checking each option's use;
// returns the first error text. The operands start at optind.
std::optional<std::string> parseCommandLine(int argc, char** argv, MirrorArgs& a,
                                            const CommandOptions& command);

} // namespace cli
