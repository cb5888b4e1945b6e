// What the station does with a drive once its copy ended: eject it (eject,
// or udisks2's power-off where eject is not installed), or power it off
// through udisks2, so that the operator sees it is done and can pull it
// safely. Where the tool or the udisks daemon is missing the drive is
// flushed and left where it is, and the audit record says so.
#pragma once

#include "base/logging.h"
#include "station/station_config.h"

#include <sys/types.h>

#include <string>

namespace engine {

struct FinishedDrive
{
    std::string devnode;
    dev_t devnum = 0;
    std::string stableId; ///< the drive that was copied, not whatever has its name now
};

/// Carries out @p action on @p drive (closed by the job already) and says
/// what became of it, for the audit record's "after": "ejected", "powered
/// off", "none", "flushed, left in place (WHY)", or "left alone (WHY)" when
/// the name no longer leads to that drive. Blocks for as long as the tool
/// takes (at most a minute).
std::string finishDrive(AfterAction action, const FinishedDrive& drive, const Logger& log);

} // namespace engine
