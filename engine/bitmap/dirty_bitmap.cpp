// DirtyBitmap: a hierarchical bitmap of dirty granules.
//
// Layout. Level 0 holds one bit per granule in 64-bit words; bit b of word w
// is granule w*64+b. Every level above holds one bit per word of the level
// below, set exactly when that word is non-zero. Levels are added until the
// top one is a single word (and there are always at least two levels, so
// "the next non-zero word of level 0" can always be asked of level 1). Bits
// past the meaningful end of a level (granules past the disk, words past the
// level below) are kept at zero, which is what makes the searches below
// terminate without a sentinel.
//
// Worked example, 10000 granules, so 157 words in level 0, 3 in level 1 and
// 1 in level 2 (bits numbered from the least significant):
//
//     set granules 5..6 and 200 (200 = 3*64 + 8)
//       level 0: word 0 = {5, 6}, word 3 = {8}
//       level 1: word 0 = {0, 3}          words 0 and 3 of level 0 are non-zero
//       level 2: word 0 = {0}
//     find the next dirty granule from 7
//       level 0, word 0 has nothing at >= 7: go up and search from word 1
//       level 1, word 0 from bit 1 finds bit 3: go down into word 3
//       level 0, word 3 lowest bit is 8: granule 200
//     reset granule 200
//       word 3 of level 0 becomes zero, so bit 3 of level 1 is cleared; level 1
//       word 0 is still non-zero, so level 2 is left alone
//
// Cost model, for m granules touched and L levels (L = 6 for 2^32 granules):
//   set/reset     O(m/64 + L) word writes: each level touches 1/64 of the words
//                 of the level below, and stops early when nothing changed;
//   count         O(1), the number of bits that actually flipped is added or
//                 subtracted on every set/reset;
//   next dirty    O(L) word reads to find the start, then O(run/64) to measure
//                 the run;
//   downsample    O(cells * L + dirty words): a clean stretch costs one climb
//                 of the hierarchy, not a scan.
//
// Locking. Every public method takes m_mutex for its whole duration; the
// private *Locked helpers assume it is held. The hold time is bounded by the
// words touched; the longest hold is a downsample of a densely dirty 16 TiB
// bitmap, a few milliseconds, which write notifications can afford at 10 Hz.
#include "bitmap/dirty_bitmap.h"

#include <algorithm>
#include <bit>
#include <cassert>

namespace engine {

namespace {

constexpr std::uint64_t kAllOnes = ~std::uint64_t{0};

__extension__ using Uint128 = unsigned __int128;

/// Mask of bits [first, last] within one word (both in 0..63, first <= last).
std::uint64_t wordMask(unsigned first, unsigned last)
{
    return (kAllOnes << first) & (kAllOnes >> (63 - last));
}

/// Applies @p op(word, mask) to the part of bits [first, last] in each word
/// they touch; returns the sum of what @p op returns (the bits it flipped).
template <typename Op>
std::uint64_t forEachWord(std::vector<std::uint64_t>& words, std::uint64_t first,
                          std::uint64_t last, Op op)
{
    const std::uint64_t firstWord = first / 64;
    const std::uint64_t lastWord = last / 64;
    std::uint64_t changed = 0;
    for (std::uint64_t w = firstWord; w <= lastWord; ++w) {
        const unsigned lo = w == firstWord ? static_cast<unsigned>(first % 64) : 0;
        const unsigned hi = w == lastWord ? static_cast<unsigned>(last % 64) : 63;
        changed += op(words[w], wordMask(lo, hi));
    }
    return changed;
}

/// floor(a * b / c) without intermediate overflow; the result fits because
/// callers pass a <= c.
std::uint64_t mulDiv(std::uint64_t a, std::uint64_t b, std::uint64_t c)
{
    return static_cast<std::uint64_t>(Uint128{a} * b / c);
}

/// Maps d dirty out of n granules to 0..255, keeping 0 and 255 for the exact
/// extremes so that a single dirty granule in a huge cell still shows.
std::uint8_t dirtyShade(std::uint64_t dirty, std::uint64_t total)
{
    if (dirty == 0)
        return 0;
    if (dirty >= total)
        return 255;
    const std::uint64_t scaled =
        static_cast<std::uint64_t>((Uint128{dirty} * 255 + total / 2) / total);
    return static_cast<std::uint8_t>(std::clamp<std::uint64_t>(scaled, 1, 254));
}

} // namespace

DirtyBitmap::DirtyBitmap(std::uint64_t size, std::uint64_t granularity)
    : m_size(size), m_granularity(granularity),
      m_shift(static_cast<unsigned>(std::countr_zero(granularity))),
      m_granules((size >> m_shift) + ((size & (granularity - 1)) != 0 ? 1 : 0))
{
    assert(std::has_single_bit(granularity));
    assert(granularity >= 512 && granularity <= 64 * 1024 * 1024);

    std::uint64_t words = std::max<std::uint64_t>(1, (m_granules + 63) / 64);
    m_levels.emplace_back(words, 0);
    while (words > 1 || m_levels.size() < 2) {
        words = (words + 63) / 64;
        m_levels.emplace_back(words, 0);
    }
}

std::uint64_t DirtyBitmap::bitsAtLevel(std::size_t level) const
{
    // The level vectors are sized once in the constructor, so their sizes
    // may be read without the lock.
    return level == 0 ? m_granules : m_levels[level - 1].size();
}

bool DirtyBitmap::granuleSpan(std::uint64_t offset, std::uint64_t length, std::uint64_t& first,
                              std::uint64_t& last) const
{
    if (length == 0 || offset >= m_size)
        return false;
    // Written as a comparison so that offset + length cannot wrap.
    const std::uint64_t end = length > m_size - offset ? m_size : offset + length;
    first = offset >> m_shift;
    last = (end - 1) >> m_shift;
    return true;
}

std::uint64_t DirtyBitmap::setBitsLocked(std::size_t level, std::uint64_t first, std::uint64_t last)
{
    std::vector<std::uint64_t>& words = m_levels[level];
    const std::uint64_t firstWord = first / 64;
    const std::uint64_t lastWord = last / 64;
    const std::uint64_t changed =
        forEachWord(words, first, last, [](std::uint64_t& word, std::uint64_t mask) {
            const auto flipped = static_cast<std::uint64_t>(std::popcount(mask & ~word));
            word |= mask;
            return flipped;
        });
    if (level == 0)
        m_count += changed;
    // Nothing flipped means every word in the range was already non-zero, so
    // the levels above already say so.
    if (changed == 0 || level + 1 == m_levels.size())
        return changed;
    setBitsLocked(level + 1, firstWord, lastWord);
    return changed;
}

void DirtyBitmap::resetBitsLocked(std::size_t level, std::uint64_t first, std::uint64_t last)
{
    std::vector<std::uint64_t>& words = m_levels[level];
    const std::uint64_t firstWord = first / 64;
    const std::uint64_t lastWord = last / 64;
    const std::uint64_t changed =
        forEachWord(words, first, last, [](std::uint64_t& word, std::uint64_t mask) {
            const auto flipped = static_cast<std::uint64_t>(std::popcount(mask & word));
            word &= ~mask;
            return flipped;
        });
    if (level == 0)
        m_count -= changed;
    if (changed == 0 || level + 1 == m_levels.size())
        return;
    // Interior words were cleared completely; only the two edge words may
    // still hold bits outside the range, and their parent bits must stay.
    std::uint64_t lo = firstWord;
    std::uint64_t hi = lastWord;
    if (words[firstWord] != 0)
        ++lo;
    if (words[lastWord] != 0) {
        if (hi == 0)
            return;
        --hi;
    }
    if (lo <= hi)
        resetBitsLocked(level + 1, lo, hi);
}

std::optional<std::uint64_t> DirtyBitmap::findNextSetLocked(std::size_t level,
                                                            std::uint64_t pos) const
{
    // Climb while the current word has nothing at or after pos; the parent
    // level is then searched from the next word. Bits past bitsAtLevel() are
    // always zero, so the bound check only has to happen once per level.
    std::size_t at = level;
    for (;;) {
        if (pos >= bitsAtLevel(at))
            return std::nullopt;
        const std::uint64_t w = pos / 64;
        const std::uint64_t bits = m_levels[at][w] & (kAllOnes << (pos % 64));
        if (bits != 0) {
            pos = w * 64 + static_cast<std::uint64_t>(std::countr_zero(bits));
            break;
        }
        if (at + 1 == m_levels.size())
            return std::nullopt;
        pos = w + 1;
        ++at;
    }
    // Descend: a set bit promises a non-zero word below, and every bit of
    // that word lies past the position the climb started from.
    while (at > level) {
        --at;
        const std::uint64_t word = m_levels[at][pos];
        assert(word != 0);
        pos = pos * 64 + static_cast<std::uint64_t>(std::countr_zero(word));
    }
    return pos;
}

std::uint64_t DirtyBitmap::countRangeLocked(std::uint64_t first, std::uint64_t last) const
{
    const std::vector<std::uint64_t>& words = m_levels[0];
    const std::uint64_t firstWord = first / 64;
    const std::uint64_t lastWord = last / 64;
    const auto firstBit = static_cast<unsigned>(first % 64);
    const auto lastBit = static_cast<unsigned>(last % 64);
    if (firstWord == lastWord)
        return static_cast<std::uint64_t>(
            std::popcount(words[firstWord] & wordMask(firstBit, lastBit)));

    // The two edge words are masked; the words between are counted whole.
    std::uint64_t total =
        static_cast<std::uint64_t>(std::popcount(words[firstWord] & wordMask(firstBit, 63))) +
        static_cast<std::uint64_t>(std::popcount(words[lastWord] & wordMask(0, lastBit)));
    std::uint64_t w = firstWord + 1;
    while (w < lastWord) {
        if (words[w] == 0) {
            // A zero word hands the search to level 1, so clean space is
            // skipped 64^k words at a time instead of being read.
            const std::optional<std::uint64_t> next = findNextSetLocked(1, w);
            if (!next || *next >= lastWord)
                break;
            w = *next;
        }
        // Dense stretches are read straight through, without asking the
        // hierarchy about every word. Full words are common after a bulk
        // setAll() and skip the popcount, which is a library call on
        // baseline x86-64.
        for (; w < lastWord && words[w] != 0; ++w)
            total +=
                words[w] == kAllOnes ? 64 : static_cast<std::uint64_t>(std::popcount(words[w]));
    }
    return total;
}

std::optional<ByteRange> DirtyBitmap::nextDirtyRunLocked(std::uint64_t from,
                                                         std::uint64_t maxLength) const
{
    if (from >= m_size)
        return std::nullopt;
    // A run starts at or after from, so a partly passed granule is skipped.
    const std::uint64_t startGranule =
        (from >> m_shift) + ((from & (m_granularity - 1)) != 0 ? 1 : 0);
    const std::optional<std::uint64_t> found = findNextSetLocked(0, startGranule);
    if (!found)
        return std::nullopt;

    const std::uint64_t first = *found;
    const std::uint64_t limit =
        std::min(m_granules - first, std::max<std::uint64_t>(1, maxLength >> m_shift));
    const std::vector<std::uint64_t>& words = m_levels[0];
    std::uint64_t length = 0;
    std::uint64_t pos = first;
    while (length < limit) {
        const unsigned bit = static_cast<unsigned>(pos % 64);
        const std::uint64_t clean = ~words[pos / 64] >> bit;
        const std::uint64_t ones =
            clean != 0 ? static_cast<std::uint64_t>(std::countr_zero(clean)) : 64 - bit;
        length += ones;
        pos += ones;
        if (clean != 0)
            break;
    }
    length = std::min(length, limit);

    const std::uint64_t offset = first << m_shift;
    // The last granule may be partial; computing its end from m_size also
    // avoids a shift that could pass 2^64 on a disk of nearly that size.
    const std::uint64_t end = first + length == m_granules ? m_size : (first + length) << m_shift;
    return ByteRange{offset, end - offset};
}

std::uint64_t DirtyBitmap::set(std::uint64_t offset, std::uint64_t length)
{
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    if (!granuleSpan(offset, length, first, last))
        return 0;
    std::lock_guard lock(m_mutex);
    return setBitsLocked(0, first, last);
}

void DirtyBitmap::setAll()
{
    std::lock_guard lock(m_mutex);
    if (m_granules != 0)
        setBitsLocked(0, 0, m_granules - 1);
}

void DirtyBitmap::reset(std::uint64_t offset, std::uint64_t length)
{
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    if (!granuleSpan(offset, length, first, last))
        return;
    std::lock_guard lock(m_mutex);
    resetBitsLocked(0, first, last);
}

void DirtyBitmap::resetAll()
{
    std::lock_guard lock(m_mutex);
    for (std::vector<std::uint64_t>& level : m_levels)
        std::fill(level.begin(), level.end(), 0);
    m_count = 0;
}

bool DirtyBitmap::isDirty(std::uint64_t offset) const
{
    if (offset >= m_size)
        return false;
    const std::uint64_t granule = offset >> m_shift;
    std::lock_guard lock(m_mutex);
    return ((m_levels[0][granule / 64] >> (granule % 64)) & 1) != 0;
}

std::uint64_t DirtyBitmap::dirtyBytes() const
{
    std::lock_guard lock(m_mutex);
    if (m_count == 0)
        return 0;
    const std::uint64_t tail = m_size & (m_granularity - 1);
    const std::uint64_t lastGranule = m_granules - 1;
    const bool lastDirty = ((m_levels[0][lastGranule / 64] >> (lastGranule % 64)) & 1) != 0;
    if (tail == 0 || !lastDirty)
        return m_count << m_shift;
    return ((m_count - 1) << m_shift) + tail;
}

std::uint64_t DirtyBitmap::dirtyGranules() const
{
    std::lock_guard lock(m_mutex);
    return m_count;
}

std::optional<ByteRange> DirtyBitmap::nextDirtyRun(std::uint64_t from,
                                                   std::uint64_t maxLength) const
{
    std::lock_guard lock(m_mutex);
    return nextDirtyRunLocked(from, maxLength);
}

std::optional<ByteRange> DirtyBitmap::takeDirtyRun(std::uint64_t from, std::uint64_t maxLength)
{
    // Find and clear under one lock hold: a write notified after we return
    // sets the bits again, so the caller's copy can never hide it.
    std::lock_guard lock(m_mutex);
    const std::optional<ByteRange> run = nextDirtyRunLocked(from, maxLength);
    if (run)
        resetBitsLocked(0, run->offset >> m_shift, (run->end() - 1) >> m_shift);
    return run;
}

std::vector<std::uint8_t> DirtyBitmap::downsample(std::size_t cells) const
{
    std::vector<std::uint8_t> out(cells, 0);
    if (cells == 0 || m_granules == 0)
        return out;

    std::lock_guard lock(m_mutex);
    if (m_count == 0)
        return out;
    if (m_count == m_granules) {
        std::fill(out.begin(), out.end(), std::uint8_t{255});
        return out;
    }
    // Cell i covers bytes [i*size/cells, (i+1)*size/cells), widened outwards
    // to granules: a granule straddling a boundary counts for both cells, so a
    // dirty granule is never hidden. A cell narrower than a granule (or than
    // a byte) maps to the granule containing its start.
    const std::uint64_t cellCount = cells;
    std::uint64_t cellStart = 0;
    for (std::uint64_t i = 0; i < cellCount; ++i) {
        const std::uint64_t cellEnd = mulDiv(i + 1, m_size, cellCount);
        const std::uint64_t first = cellStart >> m_shift;
        const std::uint64_t last = cellEnd > cellStart ? (cellEnd - 1) >> m_shift : first;
        out[i] = dirtyShade(countRangeLocked(first, last), last - first + 1);
        cellStart = cellEnd;
    }
    return out;
}

std::vector<ByteRange> sortedMerged(std::vector<ByteRange> ranges)
{
    std::sort(ranges.begin(), ranges.end(),
              [](const ByteRange& a, const ByteRange& b) { return a.offset < b.offset; });
    std::vector<ByteRange> out;
    for (const ByteRange& r : ranges) {
        if (!out.empty() && r.offset <= out.back().end())
            out.back().length = std::max(out.back().end(), r.end()) - out.back().offset;
        else
            out.push_back(r);
    }
    return out;
}

} // namespace engine
