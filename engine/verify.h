// Verification: read two disks side by side and report where they differ.
#pragma once

#include "dirty_bitmap.h" // ByteRange
#include "disk.h"
#include "result.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace engine {

struct VerifyReport
{
    bool identical = false;
    std::uint64_t bytesCompared = 0;
    std::uint64_t bytesSkipped = 0; ///< holes on both sides, equal without reading
    /// The first differing ranges (at most maxRanges), in 512-byte units,
    /// adjacent differences merged.
    std::vector<ByteRange> differences;
    bool moreDifferences = false; ///< more than maxRanges ranges differ
    std::uint64_t sizeA = 0;
    std::uint64_t sizeB = 0;
};

struct VerifyOptions
{
    std::size_t maxRanges = 16;
    /// Compare only the first @p length bytes (0: the size of A). When B is
    /// larger than A, the bytes past A's end are not compared: a mirror
    /// target may be larger than its source.
    std::uint64_t length = 0;
    /// Called with bytes compared so far, about 10 times a second.
    std::function<void(std::uint64_t done, std::uint64_t total)> progress;
    const std::atomic<bool>* stop = nullptr; ///< set to abandon (ECANCELED)
};

/// Compares @p a and @p b from offset 0. Fails only on I/O errors; a
/// difference is a successful report with identical = false.
Result<VerifyReport> verifyDisks(const Disk& a, const Disk& b, const VerifyOptions& options = {});

} // namespace engine
