// SharedReads (shared_reads.h).
#include "job/shared_reads.h"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace engine {

SharedReads::SharedReads(unsigned members, std::uint64_t sourceSize, std::uint64_t granularity,
                         std::uint64_t capacity)
    : m_members(members), m_capacity(capacity), m_wakers(members),
      m_active(members >= 32 ? ~0u : (1u << members) - 1), m_readOnce(sourceSize, granularity)
{
    assert(members >= 1 && members <= 16);
}

void SharedReads::setWaker(unsigned member, std::function<void()> wake)
{
    std::lock_guard lock(m_mutex);
    m_wakers.at(member) = std::move(wake);
}

ByteRange SharedReads::granules(ByteRange range, ByteRange within) const
{
    const std::uint64_t g = m_readOnce.granularity();
    const std::uint64_t from = std::max(range.offset / g * g, within.offset);
    const std::uint64_t to = std::min((range.end() + g - 1) / g * g, within.end());
    return {from, to > from ? to - from : 0};
}

std::pair<SharedReads::Entries::iterator, std::uint64_t> SharedReads::serving(std::uint64_t offset,
                                                                              std::uint64_t end)
{
    // Entries start at most m_longest before the offset.
    auto it = m_entries.upper_bound(offset);
    const std::uint64_t floor = offset > m_longest ? offset - m_longest : 0;
    while (it != m_entries.begin()) {
        --it;
        if (it->first < floor)
            break;
        const Entry& e = it->second;
        if (offset >= e.end())
            continue;
        // A read in flight serves up to the first granule written meanwhile.
        std::uint64_t until = std::min(end, e.end());
        for (const ByteRange& w : e.written)
            if (w.end() > offset)
                until = std::min(until, std::max(w.offset, offset));
        if (until > offset)
            return {it, until};
    }
    return {m_entries.end(), offset};
}

std::uint64_t SharedReads::nextStart(std::uint64_t offset, std::uint64_t end) const
{
    auto it = m_entries.upper_bound(offset);
    return it != m_entries.end() && it->first < end ? it->first : end;
}

SharedReads::Entries::iterator SharedReads::pendingOf(unsigned member, ByteRange range)
{
    auto [first, last] = m_entries.equal_range(range.offset);
    for (auto it = first; it != last; ++it)
        if (it->second.pending && it->second.reader == member && it->second.length == range.length)
            return it;
    return m_entries.end();
}

bool SharedReads::wantedByOthers(const Entry& e) const
{
    for (unsigned m = 0; m < m_members; ++m)
        if ((m_active & (1u << m)) && e.taken[m] < e.length)
            return true;
    return false;
}

void SharedReads::erase(Entries::iterator it, std::uint32_t& wake)
{
    Entry& e = it->second;
    wake |= e.waiting;
    if (!e.pending) {
        if (!e.zero)
            m_stats.heldBytes -= e.length;
        m_published.erase(e.sequence);
    }
    m_entries.erase(it);
}

void SharedReads::hold(const Entry& from, ByteRange piece, std::uint32_t& wake)
{
    if (piece.length == 0)
        return;
    Entry e;
    e.offset = piece.offset;
    e.length = piece.length;
    e.pending = false;
    e.zero = from.zero;
    e.reader = from.reader;
    // A member that had taken all of the range has taken every piece.
    e.taken.assign(m_members, 0);
    for (unsigned m = 0; m < m_members; ++m)
        if (from.taken[m] >= from.length)
            e.taken[m] = e.length;
    if (!wantedByOthers(e))
        return;
    e.data = from.data;
    e.dataOffset = from.dataOffset + (piece.offset - from.offset);
    e.sequence = ++m_sequence;
    const std::uint64_t sequence = e.sequence;
    if (!e.zero)
        m_stats.heldBytes += e.length;
    auto it = m_entries.emplace(piece.offset, std::move(e));
    m_published.emplace(sequence, it);
    evict(wake);
}

// The oldest go first: the member that needs them is the one furthest
// behind, and it reads for itself.
void SharedReads::evict(std::uint32_t& wake)
{
    while (m_stats.heldBytes > m_capacity && !m_published.empty())
        erase(m_published.begin()->second, wake);
}

void SharedReads::wakeAll(std::uint32_t members)
{
    // Outside the lock: a waker may take locks of its own (the job's).
    for (unsigned m = 0; m < m_members; ++m)
        if ((members & (1u << m)) && m_wakers[m])
            m_wakers[m]();
}

SharedReads::Answer SharedReads::claim(unsigned member, ByteRange range, std::uint8_t* buf)
{
    std::lock_guard lock(m_mutex);
    const auto [it, until] = serving(range.offset, range.end());
    if (it != m_entries.end()) {
        Entry& e = it->second;
        const std::uint64_t length = until - range.offset;
        if (e.pending) {
            e.waiting |= 1u << member;
            return {Claim::Wait, length, false, false};
        }
        if (!e.zero)
            std::memcpy(buf, e.data->data() + e.dataOffset + (range.offset - e.offset), length);
        e.taken[member] += length;
        m_stats.hitBytes += length;
        const bool zero = e.zero;
        if (!wantedByOthers(e)) {
            std::uint32_t none = 0;
            erase(it, none);
        }
        return {Claim::Hit, length, zero, false};
    }
    // Up to what another member holds or reads: that part is claimed anew.
    const ByteRange read{range.offset, nextStart(range.offset, range.end()) - range.offset};
    Entry e;
    e.offset = read.offset;
    e.length = read.length;
    e.reader = member;
    e.taken.assign(m_members, 0);
    m_longest = std::max(m_longest, read.length);
    m_entries.emplace(read.offset, std::move(e));
    const std::uint64_t g = m_readOnce.granularity();
    const std::uint64_t granuleCount = (read.end() + g - 1) / g - read.offset / g;
    const bool extra = m_readOnce.set(read.offset, read.length) < granuleCount;
    (extra ? m_stats.extraReadBytes : m_stats.readBytes) += read.length;
    return {Claim::Read, read.length, false, extra};
}

void SharedReads::publish(unsigned member, ByteRange range, const std::uint8_t* buf, bool zero)
{
    std::uint32_t wake = 0;
    {
        std::lock_guard lock(m_mutex);
        auto it = pendingOf(member, range);
        if (it == m_entries.end())
            return; // given up on meanwhile
        Entry landed = std::move(it->second);
        m_entries.erase(it);
        wake |= landed.waiting;
        landed.taken[member] = landed.length;
        landed.pending = false;
        landed.zero = zero;
        if (!zero)
            landed.data =
                std::make_shared<const std::vector<std::uint8_t>>(buf, buf + range.length);
        // What was written while the read was in flight is not served:
        // the pieces around it are.
        std::sort(landed.written.begin(), landed.written.end(),
                  [](ByteRange a, ByteRange b) { return a.offset < b.offset; });
        std::uint64_t from = landed.offset;
        for (const ByteRange& w : landed.written) {
            if (w.offset > from)
                hold(landed, {from, w.offset - from}, wake);
            from = std::max(from, w.end());
        }
        if (from < landed.end())
            hold(landed, {from, landed.end() - from}, wake);
    }
    wakeAll(wake);
}

void SharedReads::abandon(unsigned member, ByteRange range)
{
    std::uint32_t wake = 0;
    {
        std::lock_guard lock(m_mutex);
        auto it = pendingOf(member, range);
        if (it == m_entries.end())
            return;
        erase(it, wake);
        m_readOnce.reset(range.offset, range.length);
    }
    wakeAll(wake);
}

void SharedReads::invalidate(ByteRange range)
{
    std::uint32_t wake = 0;
    {
        std::lock_guard lock(m_mutex);
        const std::uint64_t from = range.offset > m_longest ? range.offset - m_longest : 0;
        std::vector<Entry> cut;
        for (auto it = m_entries.lower_bound(from);
             it != m_entries.end() && it->first < range.end();) {
            auto next = std::next(it);
            Entry& e = it->second;
            const ByteRange w = granules(range, {e.offset, e.length});
            if (w.length > 0) {
                if (e.pending) {
                    e.written.push_back(w);
                } else {
                    // Held: keep the pieces before and after the write.
                    cut.push_back(e);
                    cut.back().written = {w};
                    std::uint32_t none = 0;
                    erase(it, none);
                }
            }
            it = next;
        }
        for (const Entry& e : cut) {
            const ByteRange w = e.written.front();
            hold(e, {e.offset, w.offset - e.offset}, wake);
            hold(e, {w.end(), e.end() - w.end()}, wake);
        }
        m_readOnce.reset(range.offset, range.length);
    }
    wakeAll(wake);
}

void SharedReads::leave(unsigned member)
{
    std::uint32_t wake = 0;
    {
        std::lock_guard lock(m_mutex);
        m_active &= ~(1u << member);
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            auto next = std::next(it);
            Entry& e = it->second;
            e.waiting &= ~(1u << member);
            if (e.pending ? e.reader == member : !wantedByOthers(e))
                erase(it, wake);
            it = next;
        }
    }
    wakeAll(wake);
}

SharedReads::Stats SharedReads::stats() const
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

} // namespace engine
