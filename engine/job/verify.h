// Verification: read two disks side by side and report where they differ.
//
// The same reader serves `drivemirror-cli verify A B` and a job's check
// after Complete. A job verifies after the source is let go again (the
// freeze covers only the final copy), so the source may change while it is
// read: ranges the source changed since the copy's moment are checked
// against hashes of what the job wrote there (WrittenHashes), every other
// range against the source itself. A difference on an unchanged range is
// believed only after every write that completed meanwhile was delivered and
// the source read again: a write racing the read is not a difference.
#pragma once

#include "base/result.h"
#include "bitmap/dirty_bitmap.h" // ByteRange
#include "io/disk.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace engine {

/// A hash of what a job last wrote to each block of its target (blocks of
/// the job's granularity, at most 1 MiB, so every write covers whole
/// blocks). 8 bytes per block.
class WrittenHashes
{
public:
    static constexpr std::uint64_t kMaxBlock = 1ull << 20;
    WrittenHashes(std::uint64_t size, std::uint64_t granularity);

    std::uint64_t block() const { return m_block; }
    std::uint64_t memoryBytes() const { return m_hashes.size() * sizeof(std::uint64_t); }
    /// [offset, offset+length) was written with @p data; @p offset is block
    /// aligned, @p length whole blocks except at the end of the disk.
    void record(std::uint64_t offset, const std::uint8_t* data, std::uint64_t length);
    /// [offset, offset+length) was made to read as zeroes.
    void recordZero(std::uint64_t offset, std::uint64_t length);
    /// [offset, offset+length) was not written (a failed write the job skipped).
    void forget(std::uint64_t offset, std::uint64_t length);
    /// The hash of what was written to the block at @p offset, if anything.
    std::optional<std::uint64_t> at(std::uint64_t offset) const;

    static std::uint64_t hash(const std::uint8_t* data, std::size_t length);

private:
    std::uint64_t lengthAt(std::uint64_t index) const;
    std::uint64_t m_size;
    std::uint64_t m_block;
    std::uint64_t m_zeroHash;            ///< of one full block of zeroes
    std::vector<std::uint64_t> m_hashes; ///< 0: nothing recorded (a real 0 is stored as 1)
};

struct VerifyReport
{
    bool identical = false;
    std::uint64_t bytesCompared = 0; ///< read on both sides and compared
    std::uint64_t bytesSkipped = 0;  ///< holes on both sides, equal without reading
    /// A live job: ranges the source changed after the final copy, where the
    /// target was checked against the hashes of what the job wrote there.
    std::uint64_t bytesHashChecked = 0;
    /// A live job: ranges the source changed after the final copy that the
    /// job never wrote (sync top or none), which nothing can check.
    std::uint64_t bytesUnchecked = 0;
    /// Target bytes past the source's end: kept as they were and not
    /// compared, or (pastEndZero) cleared and read back as zeroes.
    std::uint64_t bytesPastEnd = 0;
    bool pastEndZero = false;
    /// The first differing ranges (at most maxRanges), in 512-byte units
    /// (whole hash blocks where a hash did not match), adjacent differences
    /// merged.
    std::vector<ByteRange> differences;
    bool moreDifferences = false; ///< more than maxRanges ranges differ
    std::uint64_t sizeA = 0;
    std::uint64_t sizeB = 0;
};

struct VerifyOptions
{
    std::size_t maxRanges = 16;
    /// Compare only the first @p length bytes (0: the size of A). When B is
    /// larger, the bytes past it are counted in bytesPastEnd and not
    /// compared, unless checkPastEndZero.
    std::uint64_t length = 0;
    /// Read B past @p length and require zeroes there (a target whose rest
    /// was wiped).
    bool checkPastEndZero = false;
    /// Called with bytes handled so far, about 10 times a second.
    std::function<void(std::uint64_t done, std::uint64_t total)> progress;
    const std::atomic<bool>* stop = nullptr; ///< set to abandon (ECANCELED)

    // A job's verification (all three or none):
    /// Ranges of A written since the copy's moment; grows while verifying.
    const DirtyBitmap* changed = nullptr;
    /// What was written to B.
    const WrittenHashes* written = nullptr;
    /// Delivers into @p changed every write of A that completed so far.
    std::function<Result<void>()> syncChanges;
};

/// Compares @p a and @p b from offset 0. Fails only on I/O errors; a
/// difference is a successful report with identical = false.
Result<VerifyReport> verifyDisks(const Disk& a, const Disk& b, const VerifyOptions& options = {});

} // namespace engine
