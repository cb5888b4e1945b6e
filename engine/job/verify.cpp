// Verification reads both disks in 1 MiB chunks through one io_uring ring,
// several chunk pairs in flight, and compares each pair in offset order (so
// the differences found first are the first ones on the disk). Ranges that
// are holes on both sides, and that the source did not change, are equal
// without being read.

#include "job/verify.h"

#include "base/aligned_buffer.h"
#include "base/units.h"
#include "io/ring.h"

#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <thread>

namespace engine {

// --- WrittenHashes -----------------------------------------------------------

WrittenHashes::WrittenHashes(std::uint64_t size, std::uint64_t granularity)
    : m_size(size), m_block(std::min(granularity, kMaxBlock))
{
    m_hashes.assign((size + m_block - 1) / m_block, 0);
    const std::vector<std::uint8_t> zero(m_block, 0);
    m_zeroHash = hash(zero.data(), zero.size());
}

std::uint64_t WrittenHashes::hash(const std::uint8_t* data, std::size_t length)
{
    const std::uint64_t h = XXH3_64bits(data, length);
    return h ? h : 1;
}

std::uint64_t WrittenHashes::lengthAt(std::uint64_t index) const
{
    return std::min(m_block, m_size - index * m_block);
}

void WrittenHashes::record(std::uint64_t offset, const std::uint8_t* data, std::uint64_t length)
{
    for (std::uint64_t pos = 0; pos < length && offset + pos < m_size;) {
        const std::uint64_t index = (offset + pos) / m_block;
        const std::uint64_t len = lengthAt(index);
        m_hashes[index] = hash(data + pos, len);
        pos += len;
    }
}

void WrittenHashes::recordZero(std::uint64_t offset, std::uint64_t length)
{
    const std::uint64_t end = std::min(offset + length, m_size);
    for (std::uint64_t index = offset / m_block; index * m_block < end; ++index) {
        const std::uint64_t len = lengthAt(index);
        if (len == m_block) {
            m_hashes[index] = m_zeroHash;
        } else {
            const std::vector<std::uint8_t> zero(len, 0);
            m_hashes[index] = hash(zero.data(), len);
        }
    }
}

void WrittenHashes::forget(std::uint64_t offset, std::uint64_t length)
{
    const std::uint64_t end = std::min(offset + length, m_size);
    for (std::uint64_t index = offset / m_block; index * m_block < end; ++index)
        m_hashes[index] = 0;
}

std::optional<std::uint64_t> WrittenHashes::at(std::uint64_t offset) const
{
    const std::uint64_t h = m_hashes[offset / m_block];
    if (h == 0)
        return std::nullopt;
    return h;
}

// --- the reader --------------------------------------------------------------

namespace {

constexpr std::uint64_t kChunk = 1 << 20;
constexpr unsigned kPairs = 8;
// An NBD export's socket polls, [disk][in, out], and their cancellation:
// far above the pairs' tags.
constexpr std::uint64_t kPollTags[2][2] = {{~0ull, ~0ull - 1}, {~0ull - 2, ~0ull - 3}};
constexpr std::uint64_t kCancelPollTag = ~0ull - 4;
constexpr std::uint64_t kSector = 512;
// A write racing the read of an unchanged range shows up as a difference
// until its completion is delivered: look again this often before believing it.
constexpr int kRechecks = 5;

struct Pair
{
    std::uint64_t offset = 0; ///< where the reads start
    std::uint64_t length = 0;
    std::uint8_t* buf[2] = {nullptr, nullptr};
    std::uint64_t got[2] = {0, 0};
    bool want[2] = {true, true};
    bool pastEnd = false; ///< B only, must read as zeroes from checkFrom
    std::uint64_t checkFrom = 0;
    bool busy = false;
    bool done() const { return (!want[0] || got[0] >= length) && (!want[1] || got[1] >= length); }
};

bool allZero(const std::uint8_t* p, std::size_t n)
{
    return n == 0 || (p[0] == 0 && std::memcmp(p, p + 1, n - 1) == 0);
}

class Verifier
{
public:
    Verifier(const Disk& a, const Disk& b, const VerifyOptions& o) : m_o(o), m_disks{&a, &b} {}

    Result<VerifyReport> run()
    {
        const Disk& a = *m_disks[0];
        const Disk& b = *m_disks[1];
        m_report.sizeA = a.size();
        m_report.sizeB = b.size();
        m_total = m_o.length ? m_o.length : a.size();
        if (m_total > a.size() || m_total > b.size())
            return Error{EINVAL, "cannot compare " + std::to_string(m_total) + " bytes: " +
                                     (m_total > a.size() ? a.path() : b.path()) + " is shorter"};
        m_end = m_total;
        m_tail = m_total;
        if (b.size() > m_total) {
            m_report.bytesPastEnd = b.size() - m_total;
            if (m_o.checkPastEndZero)
                m_end = b.size();
        }
        m_unit = m_o.written ? m_o.written->block() : kSector;

        // The buffers outlive the ring: declared first, destroyed last.
        auto slab = AlignedBuffer::allocate(2 * kPairs * kChunk, "verification buffers");
        if (!slab)
            return slab.error();
        auto ring = Ring::create(2 * kPairs);
        if (!ring)
            return ring.error();
        m_pairs.resize(kPairs);
        for (unsigned i = 0; i < kPairs; ++i) {
            m_pairs[i].buf[0] = slab->data() + (2 * i) * kChunk;
            m_pairs[i].buf[1] = slab->data() + (2 * i + 1) * kChunk;
        }
        auto r = loop(*ring);
        if (!drain(*ring)) {
            slab->leak(); // the kernel may still write into it
            if (r)
                r = Error{EIO, "verification: requests could not be waited for"};
        }
        if (!r)
            return r.error();
        if (m_o.progress)
            m_o.progress(m_end, m_end);
        m_report.identical = m_report.differences.empty() && !m_report.moreDifferences;
        m_report.pastEndZero =
            m_o.checkPastEndZero && m_report.bytesPastEnd > 0 && m_report.identical;
        return m_report;
    }

private:
    std::size_t inFlight() const
    {
        return static_cast<std::size_t>(
            std::count_if(m_pairs.begin(), m_pairs.end(), [](const Pair& p) { return p.busy; }));
    }

    void stage(Ring& ring, Pair& p, int side)
    {
        const Disk& d = *m_disks[side];
        const std::uint64_t left = p.length - p.got[side];
        const auto len = static_cast<std::uint32_t>(roundUp(left, d.requiredAlignment()));
        d.stageRead(ring, p.buf[side] + p.got[side], len, p.offset + p.got[side],
                    static_cast<std::uint64_t>((&p - m_pairs.data()) * 2 + side));
    }

    bool changedAny(std::uint64_t offset, std::uint64_t length) const
    {
        if (!m_o.changed)
            return false;
        auto run = m_o.changed->nextDirtyRun(offset, 1);
        return run && run->offset < offset + length;
    }

    bool changedAll(std::uint64_t offset, std::uint64_t length) const
    {
        if (!m_o.changed)
            return false;
        auto run = m_o.changed->nextDirtyRun(offset, length);
        return run && run->offset <= offset && run->end() >= std::min(offset + length, m_total);
    }

    // The next chunk to read, after skipping what is a hole on both sides
    // (and was not changed since the copy).
    Result<std::optional<Pair>> nextChunk()
    {
        while (m_pos < m_total) {
            auto da = m_disks[0]->nextAllocated(m_pos);
            if (!da)
                return da.error();
            auto db = m_disks[1]->nextAllocated(m_pos);
            if (!db)
                return db.error();
            const std::uint64_t dataA = *da ? (*da)->offset : m_total;
            const std::uint64_t dataB = *db ? (*db)->offset : m_total;
            const std::uint64_t data = std::min({dataA, dataB, m_total});
            if (data > m_pos) {
                // Whole units only, so that a chunk never starts unaligned.
                std::uint64_t skip = (data - m_pos) / m_unit * m_unit;
                if (skip > 0 && changedAny(m_pos, skip)) {
                    auto run = m_o.changed->nextDirtyRun(m_pos, 1);
                    skip = (run->offset - m_pos) / m_unit * m_unit;
                }
                if (skip > 0) {
                    m_report.bytesSkipped += skip;
                    m_pos += skip;
                    continue;
                }
            }
            Pair p;
            p.offset = m_pos;
            p.length = std::min(kChunk, m_total - m_pos);
            // A chunk the source changed all over is checked by hashes alone.
            p.want[0] = !(m_o.written && changedAll(p.offset, p.length));
            m_pos += p.length;
            return std::optional<Pair>{p};
        }
        if (m_tail < m_end) {
            // B past A's end: read from an aligned offset, check from m_total.
            Pair p;
            const std::uint64_t align = m_disks[1]->requiredAlignment();
            p.offset = m_tail == m_total ? m_total / align * align : m_tail;
            p.length = std::min(kChunk, m_end - p.offset);
            p.want[0] = false;
            p.pastEnd = true;
            p.checkFrom = m_total;
            m_tail = p.offset + p.length;
            return std::optional<Pair>{p};
        }
        return std::optional<Pair>{};
    }

    void addDiff(std::uint64_t off, std::uint64_t len)
    {
        auto& diffs = m_report.differences;
        if (!diffs.empty() && diffs.back().end() == off) {
            diffs.back().length += len;
            return;
        }
        if (diffs.size() >= m_o.maxRanges) {
            m_report.moreDifferences = true;
            return;
        }
        diffs.push_back({off, len});
    }

    void addSectorDiffs(std::uint64_t offset, const std::uint8_t* x, const std::uint8_t* y,
                        std::uint64_t length)
    {
        for (std::uint64_t s = 0; s < length; s += kSector) {
            const std::uint64_t n = std::min(kSector, length - s);
            if (std::memcmp(x + s, y + s, n) != 0)
                addDiff(offset + s, n);
        }
    }

    void checkHash(std::uint64_t offset, const std::uint8_t* target, std::uint64_t length)
    {
        const auto want = m_o.written->at(offset);
        if (!want) {
            m_report.bytesUnchecked += length;
            return;
        }
        if (WrittenHashes::hash(target, length) == *want)
            m_report.bytesHashChecked += length;
        else
            addDiff(offset, length);
    }

    // Reads A again at [offset, offset+length) into @p buf (synchronously:
    // this only happens for a range that just looked different).
    Result<void> reread(std::uint64_t offset, std::uint8_t* buf, std::uint64_t length)
    {
        return m_disks[0]->readAt(buf, length, offset);
    }

    Result<void> compare(Pair& p)
    {
        if (p.pastEnd) {
            const std::uint64_t skip = p.checkFrom > p.offset ? p.checkFrom - p.offset : 0;
            const std::uint8_t* data = p.buf[1] + skip;
            const std::uint64_t len = p.length - skip;
            if (!allZero(data, len))
                for (std::uint64_t s = 0; s < len; s += kSector) {
                    const std::uint64_t n = std::min(kSector, len - s);
                    if (!allZero(data + s, n))
                        addDiff(p.offset + skip + s, n);
                }
            return {};
        }
        if (!m_o.changed) {
            m_report.bytesCompared += p.length;
            if (std::memcmp(p.buf[0], p.buf[1], p.length) != 0)
                addSectorDiffs(p.offset, p.buf[0], p.buf[1], p.length);
            return {};
        }
        // Block by block: changed blocks against the hashes, the rest
        // against the source; a mismatch of the rest is looked at again.
        std::vector<std::uint64_t> suspects;
        const std::uint64_t block = m_o.written->block();
        for (std::uint64_t pos = 0; pos < p.length; pos += block) {
            const std::uint64_t off = p.offset + pos;
            const std::uint64_t len = std::min(block, p.length - pos);
            if (changedAny(off, len) || !p.want[0])
                checkHash(off, p.buf[1] + pos, len);
            else if (std::memcmp(p.buf[0] + pos, p.buf[1] + pos, len) == 0)
                m_report.bytesCompared += len;
            else
                suspects.push_back(pos);
        }
        for (int round = 0; !suspects.empty(); ++round) {
            if (m_o.syncChanges)
                if (auto r = m_o.syncChanges(); !r)
                    return r;
            std::vector<std::uint64_t> still;
            for (std::uint64_t pos : suspects) {
                const std::uint64_t off = p.offset + pos;
                const std::uint64_t len = std::min(block, p.length - pos);
                if (changedAny(off, len)) {
                    checkHash(off, p.buf[1] + pos, len);
                    continue;
                }
                if (round > 0)
                    if (auto r = reread(off, p.buf[0] + pos, len); !r)
                        return r;
                if (std::memcmp(p.buf[0] + pos, p.buf[1] + pos, len) == 0) {
                    m_report.bytesCompared += len;
                    continue;
                }
                if (round + 1 >= kRechecks) {
                    m_report.bytesCompared += len;
                    addSectorDiffs(off, p.buf[0] + pos, p.buf[1] + pos, len);
                    continue;
                }
                still.push_back(pos);
            }
            suspects = std::move(still);
            if (!suspects.empty())
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return {};
    }

    Result<void> loop(Ring& ring)
    {
        std::deque<Pair*> order; // issue order, compared from the front
        bool exhausted = false;
        auto lastProgress = std::chrono::steady_clock::now();
        for (;;) {
            if (m_o.stop && m_o.stop->load())
                return Error{ECANCELED, "verification cancelled"};
            while (!exhausted && !m_failure) {
                auto it = std::find_if(m_pairs.begin(), m_pairs.end(),
                                       [](const Pair& p) { return !p.busy; });
                if (it == m_pairs.end())
                    break;
                auto next = nextChunk();
                if (!next) {
                    m_failure = next.error();
                    break;
                }
                if (!*next) {
                    exhausted = true;
                    break;
                }
                Pair& p = *it;
                p.offset = (*next)->offset;
                p.length = (*next)->length;
                p.want[0] = (*next)->want[0];
                p.want[1] = true;
                p.pastEnd = (*next)->pastEnd;
                p.checkFrom = (*next)->checkFrom;
                p.got[0] = p.got[1] = 0;
                p.busy = true;
                order.push_back(&p);
                if (p.want[0])
                    stage(ring, p, 0);
                stage(ring, p, 1);
            }
            while (!order.empty() && order.front()->done()) {
                Pair& p = *order.front();
                if (!m_failure) { // a failed read leaves nothing worth comparing
                    if (auto r = compare(p); !r)
                        m_failure = r.error();
                    m_done = p.offset + p.length;
                }
                p.busy = false;
                order.pop_front();
            }
            if (m_failure)
                return *m_failure;
            if (order.empty() && exhausted)
                return {};
            if (auto r = wait(ring); !r)
                return r;
            const auto now = std::chrono::steady_clock::now();
            if (m_o.progress && now - lastProgress > std::chrono::milliseconds(100)) {
                lastProgress = now;
                m_o.progress(m_done, m_end);
            }
        }
    }

    // One turn: an export's socket wakes the same wait as the ring.
    Result<void> wait(Ring& ring, bool polls = true)
    {
        std::chrono::nanoseconds timeout = std::chrono::milliseconds(100);
        for (int side = 0; side < 2; ++side) {
            if (polls)
                m_disks[side]->armPolls(ring, kPollTags[side][0], kPollTags[side][1]);
            if (m_disks[side]->hasCompletions())
                timeout = std::chrono::nanoseconds::zero();
        }
        auto r = ring.submitAndWait(timeout);
        if (!r)
            return r;
        reap(ring);
        return {};
    }

    void reap(Ring& ring)
    {
        const auto onCompletion = [&](std::uint64_t tag, int res) {
            if (tag == kCancelPollTag || m_disks[0]->onPoll(tag, res) ||
                m_disks[1]->onPoll(tag, res))
                return;
            Pair& p = m_pairs[tag / 2];
            const int side = static_cast<int>(tag % 2);
            if (res == -EAGAIN || res == -EINTR)
                return stage(ring, p, side);
            if (res <= 0) {
                if (!m_failure)
                    m_failure = systemError(res < 0 ? -res : EIO,
                                            "read " + m_disks[side]->path() + " at " +
                                                std::to_string(p.offset + p.got[side]));
                p.got[side] = p.length; // give up on this pair
                return;
            }
            p.got[side] += static_cast<std::uint64_t>(res);
            if (p.got[side] < p.length) {
                if (m_failure)
                    p.got[side] = p.length;
                else
                    stage(ring, p, side);
            }
        };
        ring.reap(onCompletion);
        m_disks[0]->reap(onCompletion);
        m_disks[1]->reap(onCompletion);
    }

    // Waits for every read in flight; false when that cannot be done.
    bool drain(Ring& ring)
    {
        if (!m_failure)
            m_failure = Error{ECANCELED, "stopping"}; // no re-staging from here on
        int errors = 0;
        while (std::any_of(m_pairs.begin(), m_pairs.end(),
                           [](const Pair& p) { return p.busy && !p.done(); })) {
            if (auto r = wait(ring); !r && ++errors > 100)
                return false;
        }
        // The polls of an export are the ring's until they complete.
        m_disks[0]->cancelPolls(ring, kCancelPollTag);
        m_disks[1]->cancelPolls(ring, kCancelPollTag);
        while (m_disks[0]->pollsArmed() || m_disks[1]->pollsArmed()) {
            if (auto r = wait(ring, false); !r && ++errors > 100)
                return false;
        }
        return true;
    }

    const VerifyOptions& m_o;
    const Disk* m_disks[2];
    VerifyReport m_report;
    std::vector<Pair> m_pairs;
    std::optional<Error> m_failure;
    std::uint64_t m_total = 0; ///< compared with A
    std::uint64_t m_end = 0;   ///< read on B (past m_total: must be zero)
    std::uint64_t m_unit = kSector;
    std::uint64_t m_pos = 0;
    std::uint64_t m_tail = 0;
    std::uint64_t m_done = 0;
};

} // namespace

Result<VerifyReport> verifyDisks(const Disk& a, const Disk& b, const VerifyOptions& options)
{
    Verifier v(a, b, options);
    return v.run();
}

} // namespace engine
