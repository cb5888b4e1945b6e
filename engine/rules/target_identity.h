// What binds a job to the target the user confirmed: an image file's
// identity (imageFileId, job_setup.h) checked against the path and against
// the descriptor the job writes through. Shared by the target review, which
// shows the verdict before the user confirms, and the job's preparation,
// which applies it before anything is written.
#pragma once

#include "base/result.h"
#include "io/disk.h"

#include <sys/stat.h>

#include <optional>
#include <string>

namespace engine {

/// The refusal for a file that appeared where the user confirmed a new one
/// would be created.
Error fileAppeared(const std::string& target);

/// Why @p target, as @p now shows it (nullptr: nothing is there), is not what
/// @p expected (an imageFileId() or kAbsentTargetId) names; nullopt when it is.
std::optional<Error> imageIdentityMismatch(const std::string& target, const std::string& expected,
                                           const struct stat* now);

/// The identity the user confirmed, checked on the descriptor the job writes
/// through: the path may name something else by now than when it was
/// checked, and only the descriptor says what will be written. @p created:
/// the file this job created (then nothing may have taken its place);
/// @p confirmedDevice: the device number whose stable identity was checked.
Result<void> checkOpenedTarget(const Disk& target, const std::string& expected,
                               const std::optional<DiskIdentity>& created, dev_t confirmedDevice);

} // namespace engine
