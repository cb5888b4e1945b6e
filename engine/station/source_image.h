// The station's golden source: checked once by the rules of any job's
// source, hashed once (SHA-256, the checksum its audit records carry), and
// watched afterwards, so that no record names a checksum of bytes other
// than those copied.
#pragma once

#include "base/result.h"
#include "io/resolve.h" // Invoker
#include "station/station_config.h"

#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace engine {

struct StationSource
{
    std::string path;
    std::uint64_t size = 0;
    std::string sha256; ///< lowercase hex
    bool blockDevice = false;
    struct stat identity
    {
    }; ///< when hashed: an image file changed since then is no longer that image
};

struct HashOptions
{
    /// Bytes hashed so far, after every chunk read (a few MiB).
    std::function<void(std::uint64_t done, std::uint64_t total)> progress;
    const std::atomic<bool>* stop = nullptr; ///< set to give up (ECANCELED)
};

/// Applies the rules for a job's source to @p config's source, refuses a
/// max-size it could never fit, and hashes it; an image file is read as
/// @p who may (see resolve.h).
Result<StationSource> examineSource(const StationConfig& config, const HashOptions& options = {},
                                    const Invoker& who = processInvoker());

/// Why the image file is no longer the one that was hashed (written,
/// replaced, truncated since); nullopt when it still is, and for a block
/// device, whose writers the job setup's rules judge.
std::optional<Error> sourceChanged(const StationSource& source);

} // namespace engine
