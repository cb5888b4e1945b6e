// What every command of the CLI shares: its logger, its way of refusing bad
// input, and the access rule for a CLI that acts for another user.
#pragma once

#include "base/logging.h"
#include "base/result.h"

#include <optional>
#include <string>

namespace cli {

engine::Logger makeLogger(bool verbose);

// Prints "drivemirror-cli: MESSAGE" on stderr; returns kExitBadInput.
int badInput(const std::string& message);

// Run through pkexec or sudo, the CLI is root acting for a user: it reads
// an image file only if that user could (the engine opens it as him), so
// verify, info and inspect reveal nothing of a file he could not read
// himself. Nullopt when @p path may be used; block devices are what root
// is for.
std::optional<engine::Error> elevatedAccessRefusal(const std::string& path, int flags);

} // namespace cli
