// Tests for DirtyBitmap.
//
// The main check is an oracle: every operation is applied both to the bitmap
// and to a plain std::vector<bool> of granules (the shadow), and after each
// step the count, dirty bytes and the full list of runs reported by walking
// nextDirtyRun() from 0 are compared. Sizes sit at the level edges of the
// hierarchy (64, 64^2 and 64^3 granules, each -1/+0/+1) because that is where
// an off-by-one in the upper levels would show, and operation offsets are
// biased towards word and level boundaries for the same reason.
#include "bitmap/dirty_bitmap.h"

#include <QElapsedTimer>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

using engine::ByteRange;
using engine::DirtyBitmap;

namespace {

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = 1024 * kKiB;
constexpr std::uint64_t kTiB = 1024 * 1024 * kMiB;
constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();

/// The specification of DirtyBitmap written the slow, obvious way.
class Shadow
{
public:
    Shadow(std::uint64_t size, std::uint64_t granularity)
        : m_size(size), m_granularity(granularity),
          m_bits(static_cast<std::size_t>((size + granularity - 1) / granularity))
    {
    }

    std::uint64_t granules() const { return m_bits.size(); }

    void assign(std::uint64_t offset, std::uint64_t length, bool value)
    {
        if (length == 0 || offset >= m_size)
            return;
        const std::uint64_t end = length > m_size - offset ? m_size : offset + length;
        for (std::uint64_t g = offset / m_granularity; g <= (end - 1) / m_granularity; ++g)
            m_bits[g] = value;
    }

    void assignAll(bool value) { std::fill(m_bits.begin(), m_bits.end(), value); }

    bool test(std::uint64_t granule) const { return m_bits[granule]; }

    std::uint64_t count() const
    {
        return static_cast<std::uint64_t>(std::count(m_bits.begin(), m_bits.end(), true));
    }

    std::uint64_t dirtyBytes() const
    {
        std::uint64_t bytes = 0;
        for (std::uint64_t g = 0; g < granules(); ++g) {
            if (m_bits[g])
                bytes += std::min(m_granularity, m_size - g * m_granularity);
        }
        return bytes;
    }

    std::optional<ByteRange> nextRun(std::uint64_t from, std::uint64_t maxLength) const
    {
        if (from >= m_size)
            return std::nullopt;
        std::uint64_t g = (from + m_granularity - 1) / m_granularity;
        while (g < granules() && !m_bits[g])
            ++g;
        if (g == granules())
            return std::nullopt;
        const std::uint64_t cap = std::max<std::uint64_t>(1, maxLength / m_granularity);
        std::uint64_t n = 0;
        while (g + n < granules() && m_bits[g + n] && n < cap)
            ++n;
        const std::uint64_t offset = g * m_granularity;
        const std::uint64_t end = std::min(m_size, (g + n) * m_granularity);
        return ByteRange{offset, end - offset};
    }

    std::vector<ByteRange> walk(std::uint64_t maxLength) const
    {
        std::vector<ByteRange> runs;
        std::uint64_t from = 0;
        while (const std::optional<ByteRange> run = nextRun(from, maxLength)) {
            runs.push_back(*run);
            from = run->end();
        }
        return runs;
    }

private:
    std::uint64_t m_size;
    std::uint64_t m_granularity;
    std::vector<bool> m_bits;
};

std::vector<ByteRange> walk(const DirtyBitmap& bitmap, std::uint64_t maxLength)
{
    std::vector<ByteRange> runs;
    std::uint64_t from = 0;
    while (const std::optional<ByteRange> run = bitmap.nextDirtyRun(from, maxLength)) {
        runs.push_back(*run);
        from = run->end();
    }
    return runs;
}

} // namespace

namespace engine {

// Found by Qt Test through argument-dependent lookup, so that a failed
// QCOMPARE prints the runs instead of just "not the same".
char* toString(const ByteRange& run)
{
    const std::string text =
        "[" + std::to_string(run.offset) + "+" + std::to_string(run.length) + "]";
    return qstrdup(text.c_str());
}

char* toString(const std::optional<ByteRange>& run)
{
    return run ? toString(*run) : qstrdup("none");
}

} // namespace engine

namespace {

std::string describe(const std::optional<ByteRange>& run)
{
    if (!run)
        return "none";
    return "[" + std::to_string(run->offset) + "+" + std::to_string(run->length) + "]";
}

/// Empty when equal, otherwise the first difference in words.
std::string firstDifference(const std::vector<ByteRange>& actual,
                            const std::vector<ByteRange>& expected)
{
    const std::size_t n = std::max(actual.size(), expected.size());
    for (std::size_t i = 0; i < n; ++i) {
        const std::optional<ByteRange> a =
            i < actual.size() ? std::optional<ByteRange>(actual[i]) : std::nullopt;
        const std::optional<ByteRange> e =
            i < expected.size() ? std::optional<ByteRange>(expected[i]) : std::nullopt;
        if (a != e)
            return "run " + std::to_string(i) + ": got " + describe(a) + ", expected " +
                   describe(e);
    }
    return {};
}

/// Offsets that land on word and level edges far more often than uniform
/// sampling would, plus plain random ones.
std::uint64_t pickOffset(std::mt19937_64& rng, std::uint64_t size, std::uint64_t granularity)
{
    static constexpr std::uint64_t kEdges[] = {64, 64 * 64, 64 * 64 * 64};
    std::uniform_int_distribution<int> kind(0, 3);
    std::uniform_int_distribution<std::uint64_t> any(0, size - 1);
    if (kind(rng) == 0) {
        const std::uint64_t edge = kEdges[std::uniform_int_distribution<int>(0, 2)(rng)];
        const std::uint64_t granules = (size + granularity - 1) / granularity;
        const std::uint64_t multiples = granules / edge;
        if (multiples > 0) {
            const std::uint64_t m = std::uniform_int_distribution<std::uint64_t>(1, multiples)(rng);
            const std::int64_t nudge = std::uniform_int_distribution<std::int64_t>(-1, 1)(rng);
            const std::uint64_t granule = m * edge + static_cast<std::uint64_t>(nudge);
            if (granule * granularity < size)
                return granule * granularity;
        }
    }
    return any(rng);
}

std::uint64_t pickLength(std::mt19937_64& rng, std::uint64_t size, std::uint64_t granularity)
{
    switch (std::uniform_int_distribution<int>(0, 9)(rng)) {
    case 0:
        return 0;
    case 1:
        return 1;
    case 2:
        return kNoLimit; // must be clipped without wrapping
    case 3:
    case 4:
        return std::uniform_int_distribution<std::uint64_t>(1, size)(rng);
    default:
        return std::uniform_int_distribution<std::uint64_t>(1, 300 * granularity)(rng);
    }
}

std::uint64_t pickMaxLength(std::mt19937_64& rng, std::uint64_t granularity)
{
    switch (std::uniform_int_distribution<int>(0, 4)(rng)) {
    case 0:
        return 0; // still one granule
    case 1:
        return granularity * 7 + granularity / 2; // rounded down to 7
    case 2:
        return granularity * 100;
    default:
        return kNoLimit;
    }
}

/// The naive reading of downsample()'s contract.
std::vector<std::uint8_t> naiveDownsample(const Shadow& shadow, std::uint64_t size,
                                          std::uint64_t granularity, std::size_t cells)
{
    std::vector<std::uint8_t> out(cells);
    for (std::size_t i = 0; i < cells; ++i) {
        const std::uint64_t begin = i * size / cells;
        const std::uint64_t end = (i + 1) * size / cells;
        const std::uint64_t first = begin / granularity;
        const std::uint64_t last = end > begin ? (end - 1) / granularity : first;
        std::uint64_t dirty = 0;
        for (std::uint64_t g = first; g <= last; ++g)
            dirty += shadow.test(g) ? 1 : 0;
        const std::uint64_t total = last - first + 1;
        if (dirty == 0)
            out[i] = 0;
        else if (dirty == total)
            out[i] = 255;
        else
            out[i] = static_cast<std::uint8_t>(
                std::clamp<std::uint64_t>((dirty * 255 + total / 2) / total, 1, 254));
    }
    return out;
}

} // namespace

class TestDirtyBitmap : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void randomOps_atLevelBoundaries_matchShadow_data();
    void randomOps_atLevelBoundaries_matchShadow();
    void setRange_acrossLevelBoundary_matchesShadow();
    void range_unalignedOrOutOfBounds_widenedAndClipped();
    void lastGranule_partial_countsRealLength();
    void nextDirtyRun_fromMidGranule_startsAtNextGranule();
    void nextDirtyRun_maxLength_roundsDownToGranules();
    void downsample_randomBitmaps_matchesNaiveReference_data();
    void downsample_randomBitmaps_matchesNaiveReference();
    void downsample_extremes_reserveZeroAnd255();
    void takeDirtyRun_concurrentSetters_accountsForEveryBit();
    void hugeBitmap_16TiB_setCountFindAndDownsample();
};

void TestDirtyBitmap::randomOps_atLevelBoundaries_matchShadow_data()
{
    QTest::addColumn<std::uint64_t>("granules");
    QTest::addColumn<std::uint64_t>("granularity");
    QTest::addColumn<bool>("partialTail");
    QTest::addColumn<int>("steps");

    struct Size
    {
        const char* name;
        std::uint64_t granules;
    };
    const Size sizes[] = {
        {"1", 1},
        {"L1-1", 63},
        {"L1", 64},
        {"L1+1", 65},
        {"L2-1", 64 * 64 - 1},
        {"L2", 64 * 64},
        {"L2+1", 64 * 64 + 1},
        {"L3-1", 64 * 64 * 64 - 1},
        {"L3", 64 * 64 * 64},
        {"L3+1", 64 * 64 * 64 + 1},
    };
    const std::uint64_t granularities[] = {512, 4 * kKiB, 64 * kKiB, 64 * kMiB};
    int row = 0;
    for (const Size& size : sizes) {
        // Every size at two granularities, whole and with a partial last
        // granule; the biggest sizes get fewer steps so a sanitizer run of the
        // whole suite stays within seconds.
        for (int variant = 0; variant < 2; ++variant) {
            const std::uint64_t granularity = granularities[(row + variant) % 4];
            const bool partial = variant == 1;
            const int steps = size.granules > 64 * 64 + 1 ? 25 : 250;
            const std::string name = std::string(size.name) + " @" + std::to_string(granularity) +
                                     (partial ? " partial" : "");
            QTest::newRow(name.c_str()) << size.granules << granularity << partial << steps;
        }
        ++row;
    }
}

void TestDirtyBitmap::randomOps_atLevelBoundaries_matchShadow()
{
    QFETCH(std::uint64_t, granules);
    QFETCH(std::uint64_t, granularity);
    QFETCH(bool, partialTail);
    QFETCH(int, steps);

    const std::uint64_t size = granules * granularity - (partialTail ? granularity / 3 : 0);
    DirtyBitmap bitmap(size, granularity);
    Shadow shadow(size, granularity);
    QCOMPARE(bitmap.granuleCount(), shadow.granules());

    std::mt19937_64 rng(granules * 31 + granularity + (partialTail ? 7 : 0));
    for (int step = 0; step < steps; ++step) {
        const std::uint64_t offset = pickOffset(rng, size, granularity);
        const std::uint64_t length = pickLength(rng, size, granularity);
        std::string op;
        switch (std::uniform_int_distribution<int>(0, 19)(rng)) {
        case 0:
            op = "setAll";
            bitmap.setAll();
            shadow.assignAll(true);
            break;
        case 1:
            op = "resetAll";
            bitmap.resetAll();
            shadow.assignAll(false);
            break;
        case 2:
        case 3:
        case 4:
        case 5:
        case 6:
        case 7:
        case 8:
            op = "set";
            bitmap.set(offset, length);
            shadow.assign(offset, length, true);
            break;
        case 9:
        case 10:
        case 11:
        case 12:
        case 13:
            op = "reset";
            bitmap.reset(offset, length);
            shadow.assign(offset, length, false);
            break;
        default: {
            op = "take";
            const std::uint64_t maxLength = pickMaxLength(rng, granularity);
            const std::optional<ByteRange> expected = shadow.nextRun(offset, maxLength);
            const std::optional<ByteRange> taken = bitmap.takeDirtyRun(offset, maxLength);
            QVERIFY2(taken == expected,
                     ("step " + std::to_string(step) + " take from " + std::to_string(offset) +
                      ": got " + describe(taken) + ", expected " + describe(expected))
                         .c_str());
            if (expected)
                shadow.assign(expected->offset, expected->length, false);
            break;
        }
        }
        const std::string where = "step " + std::to_string(step) + " " + op + " " +
                                  std::to_string(offset) + "+" + std::to_string(length);

        QVERIFY2(bitmap.dirtyGranules() == shadow.count(), where.c_str());
        QVERIFY2(bitmap.dirtyBytes() == shadow.dirtyBytes(), where.c_str());
        const std::uint64_t probe = pickOffset(rng, size, granularity);
        QVERIFY2(bitmap.isDirty(probe) == shadow.test(probe / granularity), where.c_str());
        // Searches from the middle of the disk climb the hierarchy from words
        // a walk from 0 may never start in.
        for (int probeRun = 0; probeRun < 3; ++probeRun) {
            const std::uint64_t from = pickOffset(rng, size, granularity);
            const std::uint64_t cap = pickMaxLength(rng, granularity);
            const std::optional<ByteRange> got = bitmap.nextDirtyRun(from, cap);
            const std::optional<ByteRange> want = shadow.nextRun(from, cap);
            QVERIFY2(got == want, (where + ": from " + std::to_string(from) + " got " +
                                   describe(got) + ", expected " + describe(want))
                                      .c_str());
        }
        const std::uint64_t maxLength = pickMaxLength(rng, granularity);
        const std::string diff = firstDifference(walk(bitmap, maxLength), shadow.walk(maxLength));
        QVERIFY2(diff.empty(), (where + ": " + diff).c_str());
    }
}

void TestDirtyBitmap::setRange_acrossLevelBoundary_matchesShadow()
{
    // 64^3 + 1 granules: four levels, the last granule alone in its word at
    // every level. Set a range across the 64^2 boundary, then punch holes at
    // the edges so that upper-level bits must be cleared for some words and
    // kept for their neighbours.
    const std::uint64_t granularity = 512;
    const std::uint64_t granules = 64 * 64 * 64 + 1;
    const std::uint64_t size = granules * granularity;
    DirtyBitmap bitmap(size, granularity);
    Shadow shadow(size, granularity);

    const auto apply = [&](bool set, std::uint64_t firstGranule, std::uint64_t count) {
        const std::uint64_t offset = firstGranule * granularity;
        const std::uint64_t length = count * granularity;
        if (set)
            bitmap.set(offset, length);
        else
            bitmap.reset(offset, length);
        shadow.assign(offset, length, set);
        QCOMPARE(bitmap.dirtyGranules(), shadow.count());
        QCOMPARE(firstDifference(walk(bitmap, kNoLimit), shadow.walk(kNoLimit)), std::string());
    };

    apply(true, 4096 - 65, 130); // words 62..64 of level 0, across level-1 word 0|1
    apply(false, 4096 - 1, 2);   // hole straddling the boundary
    apply(false, 4096 - 65, 65); // clears word 62 and the tail of word 63
    apply(false, 4096 + 1, 64);  // leaves nothing
    QCOMPARE(bitmap.dirtyGranules(), std::uint64_t{0});
    apply(true, granules - 1, 1);           // the lone last granule
    apply(true, 0, 1);                      // and the first
    apply(true, 64 * 64 * 63, 64 * 64 + 1); // up to the end, across the last level-2 word
    apply(false, 1, granules - 2);          // everything but the two ends
    QCOMPARE(bitmap.nextDirtyRun(granularity, kNoLimit),
             std::optional<ByteRange>(ByteRange{(granules - 1) * granularity, granularity}));
    apply(true, 0, granules);
    apply(false, 64, 64 * 64 * 64 - 128);
}

void TestDirtyBitmap::range_unalignedOrOutOfBounds_widenedAndClipped()
{
    const std::uint64_t granularity = 4 * kKiB;
    DirtyBitmap bitmap(100 * granularity, granularity);

    bitmap.set(5 * granularity + 1, 0); // length 0 is nothing
    QCOMPARE(bitmap.dirtyGranules(), std::uint64_t{0});
    bitmap.set(100 * granularity, 10); // at the end
    bitmap.set(kNoLimit - 5, 100);     // far past the end
    QCOMPARE(bitmap.dirtyGranules(), std::uint64_t{0});

    bitmap.set(5 * granularity - 1, 2); // one byte either side of a boundary
    QCOMPARE(bitmap.dirtyGranules(), std::uint64_t{2});
    QVERIFY(bitmap.isDirty(4 * granularity));
    QVERIFY(bitmap.isDirty(5 * granularity + granularity - 1));
    QVERIFY(!bitmap.isDirty(6 * granularity));

    bitmap.set(98 * granularity + 7, kNoLimit); // clipped, without wrapping
    QCOMPARE(bitmap.dirtyGranules(), std::uint64_t{4});
    QVERIFY(!bitmap.isDirty(100 * granularity));

    bitmap.reset(4 * granularity + 100, 1); // one byte cleans the whole granule
    QCOMPARE(bitmap.dirtyGranules(), std::uint64_t{3});
    QVERIFY(!bitmap.isDirty(4 * granularity));
}

void TestDirtyBitmap::lastGranule_partial_countsRealLength()
{
    const std::uint64_t granularity = 64 * kKiB;
    const std::uint64_t size = 10 * granularity + 1000;
    DirtyBitmap bitmap(size, granularity);
    QCOMPARE(bitmap.granuleCount(), std::uint64_t{11});

    bitmap.set(size - 1, 1);
    QCOMPARE(bitmap.dirtyGranules(), std::uint64_t{1});
    QCOMPARE(bitmap.dirtyBytes(), std::uint64_t{1000});
    QCOMPARE(bitmap.nextDirtyRun(0, kNoLimit),
             std::optional<ByteRange>(ByteRange{10 * granularity, 1000}));

    bitmap.set(9 * granularity, 1);
    QCOMPARE(bitmap.dirtyBytes(), granularity + 1000);
    QCOMPARE(bitmap.nextDirtyRun(0, kNoLimit),
             std::optional<ByteRange>(ByteRange{9 * granularity, granularity + 1000}));

    bitmap.setAll();
    QCOMPARE(bitmap.dirtyBytes(), size);
    QCOMPARE(bitmap.takeDirtyRun(0, kNoLimit), std::optional<ByteRange>(ByteRange{0, size}));
    QCOMPARE(bitmap.dirtyBytes(), std::uint64_t{0});

    bitmap.set(0, 1);
    QCOMPARE(bitmap.dirtyBytes(), granularity); // a whole granule when not the last

    // A disk smaller than one granule.
    DirtyBitmap tiny(700, 512);
    tiny.setAll();
    QCOMPARE(tiny.dirtyBytes(), std::uint64_t{700});
    QCOMPARE(tiny.downsample(3), std::vector<std::uint8_t>(3, 255));
}

void TestDirtyBitmap::nextDirtyRun_fromMidGranule_startsAtNextGranule()
{
    const std::uint64_t granularity = 512;
    DirtyBitmap bitmap(1000 * granularity, granularity);
    bitmap.set(10 * granularity, 5 * granularity);

    QCOMPARE(bitmap.nextDirtyRun(10 * granularity, kNoLimit),
             std::optional<ByteRange>(ByteRange{10 * granularity, 5 * granularity}));
    QCOMPARE(bitmap.nextDirtyRun(10 * granularity + 1, kNoLimit),
             std::optional<ByteRange>(ByteRange{11 * granularity, 4 * granularity}));
    QCOMPARE(bitmap.nextDirtyRun(15 * granularity, kNoLimit), std::nullopt);
    QCOMPARE(bitmap.nextDirtyRun(1000 * granularity, kNoLimit), std::nullopt);
    QCOMPARE(bitmap.nextDirtyRun(kNoLimit, kNoLimit), std::nullopt);
}

void TestDirtyBitmap::nextDirtyRun_maxLength_roundsDownToGranules()
{
    const std::uint64_t granularity = 4 * kKiB;
    DirtyBitmap bitmap(1000 * granularity, granularity);
    bitmap.set(0, 300 * granularity);

    QCOMPARE(bitmap.nextDirtyRun(0, 0), std::optional<ByteRange>(ByteRange{0, granularity}));
    QCOMPARE(bitmap.nextDirtyRun(0, granularity - 1),
             std::optional<ByteRange>(ByteRange{0, granularity}));
    QCOMPARE(bitmap.nextDirtyRun(0, 3 * granularity - 1),
             std::optional<ByteRange>(ByteRange{0, 2 * granularity}));
    QCOMPARE(bitmap.nextDirtyRun(0, 1 * kMiB),
             std::optional<ByteRange>(ByteRange{0, 256 * granularity}));
    QCOMPARE(bitmap.takeDirtyRun(0, 1 * kMiB),
             std::optional<ByteRange>(ByteRange{0, 256 * granularity}));
    QCOMPARE(bitmap.takeDirtyRun(0, 1 * kMiB),
             std::optional<ByteRange>(ByteRange{256 * granularity, 44 * granularity}));
    QCOMPARE(bitmap.takeDirtyRun(0, 1 * kMiB), std::nullopt);
}

void TestDirtyBitmap::downsample_randomBitmaps_matchesNaiveReference_data()
{
    QTest::addColumn<std::uint64_t>("size");
    QTest::addColumn<std::uint64_t>("granularity");
    QTest::addColumn<int>("density"); // percent of granules set, roughly

    QTest::newRow("L2+1 sparse") << std::uint64_t{(64 * 64 + 1) * 512} << std::uint64_t{512} << 1;
    QTest::newRow("L2+1 half") << std::uint64_t{(64 * 64 + 1) * 512} << std::uint64_t{512} << 50;
    QTest::newRow("L2+1 dense") << std::uint64_t{(64 * 64 + 1) * 512} << std::uint64_t{512} << 99;
    QTest::newRow("1000 partial") << std::uint64_t{1000 * 4096 - 123} << std::uint64_t{4096} << 30;
    QTest::newRow("100 granules") << std::uint64_t{100 * 65536} << std::uint64_t{65536} << 20;
    QTest::newRow("7 granules") << std::uint64_t{7 * 512 - 1} << std::uint64_t{512} << 40;
    QTest::newRow("L3 sparse") << std::uint64_t{64 * 64 * 64 * 512} << std::uint64_t{512} << 2;
}

void TestDirtyBitmap::downsample_randomBitmaps_matchesNaiveReference()
{
    QFETCH(std::uint64_t, size);
    QFETCH(std::uint64_t, granularity);
    QFETCH(int, density);

    DirtyBitmap bitmap(size, granularity);
    Shadow shadow(size, granularity);
    std::mt19937_64 rng(size + static_cast<std::uint64_t>(density));
    // Runs of random length, so cells see both whole words and ragged edges.
    std::uint64_t pos = 0;
    std::uniform_int_distribution<int> percent(0, 99);
    std::uniform_int_distribution<std::uint64_t> runLength(1, 200);
    while (pos < shadow.granules()) {
        const std::uint64_t n = runLength(rng);
        if (percent(rng) < density) {
            bitmap.set(pos * granularity, n * granularity);
            shadow.assign(pos * granularity, n * granularity, true);
        }
        pos += n;
    }
    // And some single granules inside clean runs.
    for (int i = 0; i < 20; ++i) {
        const std::uint64_t offset = std::uniform_int_distribution<std::uint64_t>(0, size - 1)(rng);
        bitmap.set(offset, 1);
        shadow.assign(offset, 1, true);
    }

    const std::size_t granules = static_cast<std::size_t>(shadow.granules());
    const std::size_t cellCounts[] = {
        1, 2, 3, 7, 64, 100, 640, 4096, granules, granules + 1, granules * 3 + 5};
    for (const std::size_t cells : cellCounts) {
        const std::vector<std::uint8_t> actual = bitmap.downsample(cells);
        const std::vector<std::uint8_t> expected =
            naiveDownsample(shadow, size, granularity, cells);
        QCOMPARE(actual.size(), cells);
        for (std::size_t i = 0; i < cells; ++i) {
            QVERIFY2(actual[i] == expected[i],
                     ("cells " + std::to_string(cells) + " cell " + std::to_string(i) + ": got " +
                      std::to_string(actual[i]) + ", expected " + std::to_string(expected[i]))
                         .c_str());
        }
    }
    QVERIFY(bitmap.downsample(0).empty());
}

void TestDirtyBitmap::downsample_extremes_reserveZeroAnd255()
{
    // One dirty granule out of 2^20 in a single cell must not round to 0, and
    // one clean granule must not round to 255.
    const std::uint64_t granularity = 512;
    const std::uint64_t granules = std::uint64_t{1} << 20;
    DirtyBitmap bitmap(granules * granularity, granularity);
    QCOMPARE(bitmap.downsample(4), std::vector<std::uint8_t>(4, 0));

    bitmap.set(12345 * granularity, 1);
    QCOMPARE(bitmap.downsample(1), std::vector<std::uint8_t>{1});
    bitmap.setAll();
    QCOMPARE(bitmap.downsample(4), std::vector<std::uint8_t>(4, 255));
    bitmap.reset(granules / 2 * granularity, 1);
    QCOMPARE(bitmap.downsample(1), std::vector<std::uint8_t>{254});
    QCOMPARE(bitmap.downsample(2), (std::vector<std::uint8_t>{255, 254}));

    DirtyBitmap empty(0, 512);
    empty.setAll();
    QCOMPARE(empty.dirtyGranules(), std::uint64_t{0});
    QCOMPARE(empty.nextDirtyRun(0, kNoLimit), std::nullopt);
    QCOMPARE(empty.downsample(3), std::vector<std::uint8_t>(3, 0));
}

void TestDirtyBitmap::takeDirtyRun_concurrentSetters_accountsForEveryBit()
{
    // Four writers each dirty a disjoint quarter of the granules exactly once,
    // in random order, while a copier takes runs. Every granule must be taken
    // exactly once: never lost between find and clear, never taken twice.
    constexpr std::uint64_t granularity = 4 * kKiB;
    constexpr std::uint64_t granules = 1 << 15;
    constexpr std::uint64_t size = granules * granularity;
    DirtyBitmap bitmap(size, granularity);

    constexpr int kWriters = 4;
    std::atomic<int> writersLeft{kWriters};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
        writers.emplace_back([&bitmap, &writersLeft, w] {
            std::vector<std::uint64_t> mine;
            for (std::uint64_t g = static_cast<std::uint64_t>(w); g < granules; g += kWriters)
                mine.push_back(g);
            std::mt19937_64 rng(static_cast<std::uint64_t>(w));
            std::shuffle(mine.begin(), mine.end(), rng);
            std::uniform_int_distribution<std::uint64_t> within(0, granularity - 1);
            for (const std::uint64_t g : mine)
                bitmap.set(g * granularity + within(rng), 1);
            writersLeft.fetch_sub(1);
        });
    }

    std::vector<int> taken(granules, 0);
    std::atomic<bool> stop{false};
    std::thread copier([&] {
        std::uint64_t from = 0;
        for (;;) {
            const bool finished = writersLeft.load() == 0;
            const std::optional<ByteRange> run = bitmap.takeDirtyRun(from, 64 * granularity);
            if (run) {
                for (std::uint64_t g = run->offset / granularity; g < run->end() / granularity; ++g)
                    ++taken[g];
                from = run->end();
            } else if (from != 0) {
                from = 0; // ran off the end: start over, as the mirror does
            } else if (finished) {
                break; // a full pass after the last write found nothing
            } else {
                std::this_thread::yield();
            }
        }
        stop = true;
    });
    // A reader of the display and progress values, as the UI would be. Qt
    // Test's macros are not thread-safe, so it only records a failure.
    std::atomic<bool> readerSawNonsense{false};
    std::thread reader([&] {
        while (!stop.load()) {
            if (bitmap.downsample(256).size() != 256 || bitmap.dirtyBytes() > size)
                readerSawNonsense = true;
            std::this_thread::yield();
        }
    });

    for (std::thread& t : writers)
        t.join();
    copier.join();
    reader.join();

    QVERIFY(!readerSawNonsense.load());
    QCOMPARE(bitmap.dirtyGranules(), std::uint64_t{0});
    for (std::uint64_t g = 0; g < granules; ++g)
        QVERIFY2(taken[g] == 1,
                 ("granule " + std::to_string(g) + " taken " + std::to_string(taken[g]) + " times")
                     .c_str());
}

void TestDirtyBitmap::hugeBitmap_16TiB_setCountFindAndDownsample()
{
    const std::uint64_t granularity = 64 * kKiB;
    const std::uint64_t size = 16 * kTiB;
    DirtyBitmap bitmap(size, granularity);
    QCOMPARE(bitmap.granuleCount(), std::uint64_t{1} << 28);

    const std::uint64_t middle = 8 * kTiB + 3 * granularity;
    bitmap.set(123, 1);
    bitmap.set(middle, 10 * granularity);
    bitmap.set(size - 1, 1);
    QCOMPARE(bitmap.dirtyGranules(), std::uint64_t{12});
    QCOMPARE(bitmap.dirtyBytes(), 12 * granularity);

    QCOMPARE(bitmap.nextDirtyRun(0, kNoLimit), std::optional<ByteRange>(ByteRange{0, granularity}));
    QCOMPARE(bitmap.nextDirtyRun(granularity, kNoLimit),
             std::optional<ByteRange>(ByteRange{middle, 10 * granularity}));
    QCOMPARE(bitmap.nextDirtyRun(middle + 10 * granularity, kNoLimit),
             std::optional<ByteRange>(ByteRange{size - granularity, granularity}));
    QVERIFY(bitmap.isDirty(middle + 9 * granularity));
    QVERIFY(!bitmap.isDirty(middle + 10 * granularity));

    QElapsedTimer timer;
    timer.start();
    const int rounds = 10;
    std::vector<std::uint8_t> cells;
    for (int i = 0; i < rounds; ++i)
        cells = bitmap.downsample(4096);
    const double msPerCall = static_cast<double>(timer.nsecsElapsed()) / 1e6 / rounds;
    qInfo("downsample(4096) of a mostly clean 16 TiB bitmap: %.3f ms", msPerCall);
    // The budget is 10 ms; the margin absorbs sanitizer builds and busy hosts.
    QVERIFY2(msPerCall < 10.0, std::to_string(msPerCall).c_str());
    QCOMPARE(cells.size(), std::size_t{4096});
    QCOMPARE(cells.front(), std::uint8_t{1});
    QCOMPARE(cells[2048], std::uint8_t{1});
    QCOMPARE(cells.back(), std::uint8_t{1});
    QCOMPARE(std::count(cells.begin(), cells.end(), std::uint8_t{0}), std::ptrdiff_t{4093});

    QCOMPARE(bitmap.takeDirtyRun(granularity, 4 * granularity),
             std::optional<ByteRange>(ByteRange{middle, 4 * granularity}));
    QCOMPARE(bitmap.dirtyGranules(), std::uint64_t{8});

    bitmap.setAll();
    QCOMPARE(bitmap.dirtyBytes(), size);
    bitmap.reset(4 * kTiB, 4 * kTiB);
    QCOMPARE(bitmap.dirtyBytes(), 12 * kTiB);
    QCOMPARE(bitmap.nextDirtyRun(4 * kTiB, kNoLimit),
             std::optional<ByteRange>(ByteRange{8 * kTiB, 8 * kTiB}));
}

QTEST_APPLESS_MAIN(TestDirtyBitmap)

#include "tst_dirty_bitmap.moc"
