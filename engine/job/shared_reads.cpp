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

SharedReads::Entries::iterator SharedReads::containing(ByteRange range)
{
    // Entries start at most m_longest before the range.
    auto it = m_entries.upper_bound(range.offset);
    const std::uint64_t floor = range.offset > m_longest ? range.offset - m_longest : 0;
    while (it != m_entries.begin()) {
        --it;
        if (it->first < floor)
            break;
        if (it->first + it->second.length >= range.end())
            return it;
    }
    return m_entries.end();
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
        m_stats.heldBytes -= e.data.size();
        m_published.erase(e.sequence);
    }
    m_entries.erase(it);
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
    auto it = containing(range);
    if (it != m_entries.end()) {
        Entry& e = it->second;
        if (e.pending) {
            e.waiting |= 1u << member;
            return {Claim::Wait, false, false};
        }
        const std::uint64_t at = range.offset - it->first;
        if (!e.zero)
            std::memcpy(buf, e.data.data() + at, range.length);
        e.taken[member] += range.length;
        m_stats.hitBytes += range.length;
        const bool zero = e.zero;
        if (!wantedByOthers(e)) {
            std::uint32_t none = 0;
            erase(it, none);
        }
        return {Claim::Hit, zero, false};
    }
    Entry e;
    e.offset = range.offset;
    e.length = range.length;
    e.reader = member;
    e.taken.assign(m_members, 0);
    m_longest = std::max(m_longest, range.length);
    m_entries.emplace(range.offset, std::move(e));
    const std::uint64_t g = m_readOnce.granularity();
    const std::uint64_t first = range.offset / g;
    const std::uint64_t granules = (range.end() + g - 1) / g - first;
    const bool extra = m_readOnce.set(range.offset, range.length) < granules;
    (extra ? m_stats.extraReadBytes : m_stats.readBytes) += range.length;
    return {Claim::Read, false, extra};
}

void SharedReads::publish(unsigned member, ByteRange range, const std::uint8_t* buf, bool zero)
{
    std::uint32_t wake = 0;
    {
        std::lock_guard lock(m_mutex);
        auto it = pendingOf(member, range);
        if (it == m_entries.end())
            return; // written meanwhile: what was read is not served
        Entry& e = it->second;
        e.taken[member] = e.length;
        wake = e.waiting;
        e.waiting = 0;
        if (!wantedByOthers(e)) {
            m_entries.erase(it);
        } else {
            e.pending = false;
            e.zero = zero;
            if (!zero)
                e.data.assign(buf, buf + range.length);
            e.sequence = ++m_sequence;
            m_published.emplace(e.sequence, it);
            m_stats.heldBytes += e.data.size();
            // The oldest go first: the member that needs them is the one
            // furthest behind, and it reads for itself.
            while (m_stats.heldBytes > m_capacity && !m_published.empty())
                erase(m_published.begin()->second, wake);
        }
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
        for (auto it = m_entries.lower_bound(from);
             it != m_entries.end() && it->first < range.end();) {
            auto next = std::next(it);
            if (it->first + it->second.length > range.offset)
                erase(it, wake);
            it = next;
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
