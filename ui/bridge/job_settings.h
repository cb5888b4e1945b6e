// The user's choices for a mirror job between sessions: the engine's own
// JobOptions value, stored in QSettings under "job/". The settings pane
// edits that value, a job starts with it, a helper gets it as its command
// line (helper_protocol.h).
#pragma once

#include "job/job_options.h"

#include <QSettings>

namespace ui {

/// Reads the options stored under "job/"; a value that is missing or that
/// the engine would refuse (an edited file, an older version's) falls back
/// to the default, field by field, so that no start fails because of it.
engine::JobOptions loadJobOptions(QSettings& settings);
void saveJobOptions(QSettings& settings, const engine::JobOptions& options);

} // namespace ui
