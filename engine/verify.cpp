// Verification reads both disks in 1 MiB chunks through one io_uring ring,
// several chunk pairs in flight, and compares each pair in offset order (so
// the differences found first are the first ones on the disk). Ranges that
// are holes on both sides are equal without being read.

#include "verify.h"

#include "ring.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>

namespace engine {

namespace {

constexpr std::uint64_t kChunk = 1 << 20;
constexpr unsigned kPairs = 8;
constexpr std::uint64_t kSector = 512;

struct Pair
{
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    std::uint8_t* buf[2] = {nullptr, nullptr};
    std::uint64_t got[2] = {0, 0};
    bool busy = false;
};

std::uint64_t roundUp(std::uint64_t v, std::uint64_t a)
{
    return (v + a - 1) / a * a;
}

struct FreeDeleter
{
    void operator()(void* p) const { std::free(p); }
};

} // namespace

Result<VerifyReport> verifyDisks(const Disk& a, const Disk& b, const VerifyOptions& options)
{
    VerifyReport report;
    report.sizeA = a.size();
    report.sizeB = b.size();
    const std::uint64_t total = options.length ? options.length : a.size();
    if (total > a.size() || total > b.size())
        return Error{EINVAL, "cannot compare " + std::to_string(total) + " bytes: " +
                                 (total > a.size() ? a.path() : b.path()) + " is shorter"};

    auto ring = Ring::create(2 * kPairs);
    if (!ring)
        return ring.error();
    void* raw = nullptr;
    if (::posix_memalign(&raw, 4096, 2 * kPairs * kChunk) != 0)
        return Error{ENOMEM, "verify: out of memory"};
    std::unique_ptr<std::uint8_t, FreeDeleter> slab(static_cast<std::uint8_t*>(raw));
    std::vector<Pair> pairs(kPairs);
    for (unsigned i = 0; i < kPairs; ++i) {
        pairs[i].buf[0] = slab.get() + (2 * i) * kChunk;
        pairs[i].buf[1] = slab.get() + (2 * i + 1) * kChunk;
    }
    const Disk* disks[2] = {&a, &b};

    auto stage = [&](Pair& p, int side) {
        const Disk& d = *disks[side];
        const std::uint64_t left = p.length - p.got[side];
        const auto len = static_cast<std::uint32_t>(roundUp(left, d.requiredAlignment()));
        ring->prepareRead(d.fd(), p.buf[side] + p.got[side], len, p.offset + p.got[side],
                          static_cast<std::uint64_t>((&p - pairs.data()) * 2 + side));
    };

    // The next range to read, after skipping what is a hole on both sides.
    std::uint64_t pos = 0;
    auto nextChunk = [&]() -> Result<std::optional<ByteRange>> {
        while (pos < total) {
            auto da = a.nextAllocated(pos);
            if (!da)
                return da.error();
            auto db = b.nextAllocated(pos);
            if (!db)
                return db.error();
            const std::uint64_t dataA = *da ? (*da)->offset : total;
            const std::uint64_t dataB = *db ? (*db)->offset : total;
            const std::uint64_t data = std::min({dataA, dataB, total});
            if (data > pos) {
                // Skip whole sectors only, so a chunk never starts unaligned.
                const std::uint64_t skip = (data - pos) / kSector * kSector;
                if (skip > 0) {
                    report.bytesSkipped += skip;
                    pos += skip;
                    continue;
                }
            }
            const std::uint64_t len = std::min(kChunk, total - pos);
            ByteRange r{pos, len};
            pos += len;
            return std::optional<ByteRange>{r};
        }
        return std::optional<ByteRange>{};
    };

    std::deque<Pair*> order; // issue order, compared from the front
    std::vector<ByteRange> diffs;
    auto addDiff = [&](std::uint64_t off, std::uint64_t len) {
        if (!diffs.empty() && diffs.back().end() == off) {
            diffs.back().length += len;
            return;
        }
        if (diffs.size() >= options.maxRanges) {
            report.moreDifferences = true;
            return;
        }
        diffs.push_back({off, len});
    };
    auto compare = [&](const Pair& p) {
        report.bytesCompared += p.length;
        if (std::memcmp(p.buf[0], p.buf[1], p.length) == 0)
            return;
        for (std::uint64_t s = 0; s < p.length; s += kSector) {
            const std::uint64_t n = std::min(kSector, p.length - s);
            if (std::memcmp(p.buf[0] + s, p.buf[1] + s, n) != 0)
                addDiff(p.offset + s, n);
        }
    };

    std::optional<Error> failure;
    bool exhausted = false;
    auto lastProgress = std::chrono::steady_clock::now();
    for (;;) {
        if (options.stop && options.stop->load())
            return Error{ECANCELED, "verification cancelled"};
        // Fill every idle pair.
        while (!exhausted && !failure) {
            auto it =
                std::find_if(pairs.begin(), pairs.end(), [](const Pair& p) { return !p.busy; });
            if (it == pairs.end())
                break;
            auto next = nextChunk();
            if (!next) {
                failure = next.error();
                break;
            }
            if (!*next) {
                exhausted = true;
                break;
            }
            it->offset = (*next)->offset;
            it->length = (*next)->length;
            it->got[0] = it->got[1] = 0;
            it->busy = true;
            order.push_back(&*it);
            stage(*it, 0);
            stage(*it, 1);
        }
        // Compare finished pairs in order.
        while (!order.empty() && order.front()->got[0] >= order.front()->length &&
               order.front()->got[1] >= order.front()->length) {
            if (!failure) // a failed read leaves nothing worth comparing
                compare(*order.front());
            order.front()->busy = false;
            order.pop_front();
        }
        // After a failure nothing new is staged; what is in flight lands and
        // is popped above before the buffers go away.
        if (order.empty() && (exhausted || failure))
            break;
        if (auto r = ring->submitAndWait(std::chrono::milliseconds(100)); !r)
            return r.error();
        ring->reap([&](std::uint64_t tag, int res) {
            Pair& p = pairs[tag / 2];
            const int side = static_cast<int>(tag % 2);
            if (res == -EAGAIN || res == -EINTR)
                return stage(p, side);
            if (res <= 0) {
                if (!failure)
                    failure = systemError(res < 0 ? -res : EIO,
                                          "read " + disks[side]->path() + " at " +
                                              std::to_string(p.offset + p.got[side]));
                p.got[side] = p.length; // give up on this pair
                return;
            }
            p.got[side] += static_cast<std::uint64_t>(res);
            if (p.got[side] < p.length)
                stage(p, side);
        });
        const auto now = std::chrono::steady_clock::now();
        if (options.progress && now - lastProgress > std::chrono::milliseconds(100)) {
            lastProgress = now;
            options.progress(report.bytesCompared + report.bytesSkipped, total);
        }
    }
    if (failure)
        return *failure;
    report.differences = std::move(diffs);
    report.identical = report.differences.empty() && !report.moreDifferences;
    if (options.progress)
        options.progress(total, total);
    return report;
}

} // namespace engine
