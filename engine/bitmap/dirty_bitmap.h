// DirtyBitmap: which granules of a disk still have to be copied.
//
// One bit per granule (granularity: a power of two from 512 B to 64 MiB).
// The bits live in a hierarchy of levels, as in QEMU's HBitmap: level 0 is the
// real bitmap, and each bit of level N+1 says "word N of level N is non-zero".
// Finding the next dirty granule from an offset therefore skips empty regions
// 64^k granules at a time, so a nearly clean 16 TiB disk (256 Mi granules at
// 64 KiB) is scanned in a handful of word reads. The number of set bits is
// maintained on every set/reset, so count() is O(1).
//
// Every public method takes the internal mutex, so the job thread and any
// number of writer threads (write notifications) may call it concurrently.
// Offsets and lengths are bytes; ranges are widened outwards to whole granules
// (a write of one byte dirties its whole granule) and clipped to the disk size.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace engine {

struct ByteRange
{
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    std::uint64_t end() const { return offset + length; }
    bool operator==(const ByteRange&) const = default;
};

/// @p ranges sorted by offset, overlapping and adjacent ones merged: each
/// byte once, as a script handing the list to dd needs it (failures are
/// recorded out of order, and a range can fail twice when retried).
std::vector<ByteRange> sortedMerged(std::vector<ByteRange> ranges);

class DirtyBitmap
{
public:
    /// @p size in bytes (any value, the last granule may be partial);
    /// @p granularity must be a power of two in [512, 64 MiB] (asserted).
    DirtyBitmap(std::uint64_t size, std::uint64_t granularity);

    std::uint64_t size() const { return m_size; }
    std::uint64_t granularity() const { return m_granularity; }
    std::uint64_t granuleCount() const { return m_granules; }

    /// Marks [offset, offset+length) dirty (widened to granules, clipped to size).
    /// Returns how many granules were clean before: what a live source's
    /// writes add to the work, as opposed to rewriting granules still to copy.
    std::uint64_t set(std::uint64_t offset, std::uint64_t length);
    void setAll();
    /// Marks [offset, offset+length) clean (widened to granules, clipped to size).
    void reset(std::uint64_t offset, std::uint64_t length);
    void resetAll();

    bool isDirty(std::uint64_t offset) const;
    /// Dirty bytes (dirty granules times granularity, the last one counted by
    /// its real length). O(1).
    std::uint64_t dirtyBytes() const;
    std::uint64_t dirtyGranules() const;

    /// The first dirty run that starts at or after @p from: its offset is the
    /// first dirty granule >= from (granule-aligned), its length covers the
    /// consecutive dirty granules that follow, capped at @p maxLength bytes
    /// (rounded down to whole granules, at least one granule) and at the end
    /// of the disk. nullopt when nothing at or after @p from is dirty.
    std::optional<ByteRange> nextDirtyRun(std::uint64_t from, std::uint64_t maxLength) const;

    /// Atomically finds the next dirty run as nextDirtyRun() does and clears
    /// it, so that a write notified after this call re-dirties the range.
    std::optional<ByteRange> takeDirtyRun(std::uint64_t from, std::uint64_t maxLength);

    /// Down-sampled view for display: @p cells values, cell i covering bytes
    /// [i*size/cells, (i+1)*size/cells) rounded to granules; each value is the
    /// fraction of that cell's granules that are dirty, scaled to 0..255
    /// (0 only when fully clean, 255 only when fully dirty). Cost is
    /// proportional to the dirty words plus the number of cells, not to the
    /// disk size, so it can be called at 10 Hz on a 16 TiB bitmap.
    std::vector<std::uint8_t> downsample(std::size_t cells) const;

private:
    // Each helper expects m_mutex to be held by the caller.
    /// Returns the bits that were clear at @p level.
    std::uint64_t setBitsLocked(std::size_t level, std::uint64_t first, std::uint64_t last);
    void resetBitsLocked(std::size_t level, std::uint64_t first, std::uint64_t last);
    std::optional<std::uint64_t> findNextSetLocked(std::size_t level, std::uint64_t pos) const;
    std::uint64_t countRangeLocked(std::uint64_t first, std::uint64_t last) const;
    std::optional<ByteRange> nextDirtyRunLocked(std::uint64_t from, std::uint64_t maxLength) const;

    /// Widens [offset, offset+length) to the granules it touches, clipped to the
    /// disk; false when nothing remains. Uses only immutable members.
    bool granuleSpan(std::uint64_t offset, std::uint64_t length, std::uint64_t& first,
                     std::uint64_t& last) const;
    /// Number of meaningful bits at @p level (granules at level 0, words of the
    /// level below otherwise). Immutable after construction.
    std::uint64_t bitsAtLevel(std::size_t level) const;

    // Immutable after construction.
    std::uint64_t m_size;
    std::uint64_t m_granularity;
    unsigned m_shift; // log2(granularity)
    std::uint64_t m_granules;

    // Guarded by m_mutex.
    std::uint64_t m_count = 0;                        // set bits in level 0
    std::vector<std::vector<std::uint64_t>> m_levels; // m_levels[0] = real bits
    mutable std::mutex m_mutex;
};

} // namespace engine
