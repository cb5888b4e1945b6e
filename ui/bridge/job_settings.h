// The user's choices for a mirror job, as a value: what the settings pane
// edits, what QSettings stores between sessions, and what becomes the
// engine's MirrorOptions when a job starts.
#pragma once

#include "job/mirror_job.h"

#include <QSettings>

#include <cstdint>

namespace ui {

struct JobSettings
{
    engine::SyncMode sync = engine::SyncMode::Full;
    std::uint64_t granularity = 0; ///< 0: the engine's default for the target
    std::uint64_t speed = 0;       ///< bytes/s, 0 = unlimited
    std::uint64_t bufSize = engine::kDefaultBufSize;
    engine::ErrorPolicy onSourceError = engine::ErrorPolicy::Report;
    engine::ErrorPolicy onTargetError = engine::ErrorPolicy::Report;
    bool unmap = true;
    bool verify = false;
    /// Longest freeze of the source's file systems for the final copy of a
    /// Complete or a consistent Cancel.
    double maxFreezeSeconds = engine::kDefaultMaxFreezeSeconds;
    /// Clear a larger target past the source's end instead of keeping the
    /// old data there.
    bool wipeRest = false;

    bool operator==(const JobSettings&) const = default;

    /// The engine options for these settings (without quiesce hooks).
    engine::MirrorOptions toOptions() const;

    /// Reads the settings stored under "job/"; values that are missing or no
    /// longer valid fall back to the defaults above.
    static JobSettings load(QSettings& settings);
    void save(QSettings& settings) const;
};

} // namespace ui
