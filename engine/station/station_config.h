// The imaging station's configuration: one golden source, the ports
// ("slots") whose drives receive it, and what happens to each drive after.
// A JSON file, read once; every mistake is refused with one line that names
// the file and the key, so that a station never starts on a config that
// means something else than its author thought.
#pragma once

#include "base/result.h"
#include "io/resolve.h" // Invoker

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

enum class AfterAction { Eject, PowerOff, None };

std::string_view toString(AfterAction action);

struct SlotConfig
{
    std::string label;
    /// udev property name -> fnmatch glob; every one must match.
    std::map<std::string, std::string> match;
};

struct StationConfig
{
    std::string source; ///< absolute: relative paths are taken from the file's folder
    std::vector<SlotConfig> slotList;
    bool verify = true;
    bool wipeRest = false;
    AfterAction after = AfterAction::Eject;
    /// The audit log (CSV); the JSON lines go to the same path + ".jsonl".
    std::string log;
    /// Drives that are not removable (internal disks, loop devices) may be
    /// written too.
    bool allowFixed = false;
    std::string station;       ///< the name in the audit log; the host name by default
    std::uint64_t maxSize = 0; ///< larger drives are refused; 0: no limit
};

/// Parses and validates @p text, the content of the file @p origin (named in
/// every message; its folder anchors relative paths).
Result<StationConfig> parseStationConfig(std::string_view text, const std::string& origin);
/// Reads and parses the file @p path, as @p who may (see resolve.h).
Result<StationConfig> loadStationConfig(const std::string& path,
                                        const Invoker& who = processInvoker());

/// True when every glob of @p slot matches the property of that name in
/// @p properties (a property the device lacks matches nothing).
bool slotMatches(const SlotConfig& slot, const std::map<std::string, std::string>& properties);

/// The audit log's JSON lines file beside the CSV file @p csvPath.
std::string jsonLinesPath(const std::string& csvPath);

} // namespace engine
