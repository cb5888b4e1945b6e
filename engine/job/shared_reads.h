// SharedReads: one read of the source serves every job of a group.
//
// A group mirrors one source to several targets with one job per target;
// each job keeps its own bitmap, cursor and pace. Before a job reads a
// range of the source it claims it here: if another member has the range
// in memory it is copied from there (a hit), if another member's read of
// it is in flight the job waits for that read (woken when it lands), and
// otherwise the job reads it itself and publishes what it read. A member
// that keeps pace with the fastest one thus never reads the source; one
// that falls further behind than the capacity reads it again itself, and
// those reads are counted as extra. No member ever waits for another's
// target: a read in flight lands at the source's speed.
//
// Writes to the source make what is held stale: the group calls
// invalidate() for every write before it dirties the members' bitmaps, so
// a member either copies data read after the write or has the range dirty
// again. Only the written granules are dropped: what is held around them
// (or lands around them, for a read in flight) still serves the others.
#pragma once

#include "bitmap/dirty_bitmap.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace engine {

class SharedReads
{
public:
    /// At most 16 members reading a source of @p sourceSize bytes in
    /// granules of @p granularity; @p capacity bytes of data held at most.
    SharedReads(unsigned members, std::uint64_t sourceSize, std::uint64_t granularity,
                std::uint64_t capacity);

    /// Called (on any thread, quickly) when a read this member waits for
    /// landed or was given up: the member claims the range again.
    void setWaker(unsigned member, std::function<void()> wake);

    enum class Claim {
        Hit,  ///< the data is in the buffer (or it is all zeroes: see zero)
        Wait, ///< another member reads it now; claim again when woken
        Read, ///< read it and publish() it, or abandon() it
    };
    struct Answer
    {
        Claim claim = Claim::Read;
        /// How much of the range the answer is about, from its start: the
        /// claim ends where what is held or read by another member ends or
        /// begins, and the member claims the rest anew. Whole granules, or
        /// up to the source's end.
        std::uint64_t length = 0;
        bool zero = false;  ///< with Hit: the range reads as zeroes, buf untouched
        bool extra = false; ///< with Read: a member read this range before
    };
    /// @p range starts on a granule; @p buf holds @p range.length bytes.
    Answer claim(unsigned member, ByteRange range, std::uint8_t* buf);
    /// The member's read of a claimed range (Answer::length of it) landed;
    /// @p zero: it is all zeroes.
    void publish(unsigned member, ByteRange range, const std::uint8_t* buf, bool zero);
    /// The member's read of a claimed range failed or was dropped.
    void abandon(unsigned member, ByteRange range);
    /// The source was written there: nothing held or in flight is served.
    void invalidate(ByteRange range);
    /// The member ends: it will not claim again, its reads in flight are
    /// given up and nothing is held for it any more.
    void leave(unsigned member);

    struct Stats
    {
        std::uint64_t hitBytes = 0;       ///< served from memory
        std::uint64_t readBytes = 0;      ///< read from the source for the first time
        std::uint64_t extraReadBytes = 0; ///< read again after being dropped
        std::uint64_t heldBytes = 0;      ///< in memory now
    };
    Stats stats() const;

private:
    struct Entry
    {
        std::uint64_t offset = 0;
        std::uint64_t length = 0;
        bool pending = true; ///< the reader's request is in flight
        bool zero = false;
        unsigned reader = 0;
        std::uint32_t waiting = 0;        ///< members to wake when it lands (bits)
        std::vector<std::uint64_t> taken; ///< bytes each member took from it
        /// Held data, shared by the pieces a write cut the range into.
        std::shared_ptr<const std::vector<std::uint8_t>> data;
        std::uint64_t dataOffset = 0;
        /// Pending only: granules written while the read was in flight.
        std::vector<ByteRange> written;
        std::uint64_t sequence = 0; ///< publication order, for eviction
        std::uint64_t end() const { return offset + length; }
    };
    using Entries = std::multimap<std::uint64_t, Entry>;

    /// An entry that serves @p offset, and up to where (at most @p end): a
    /// held one to its end, one in flight up to a granule written meanwhile.
    std::pair<Entries::iterator, std::uint64_t> serving(std::uint64_t offset, std::uint64_t end);
    /// Where the next entry after @p offset starts, at most @p end.
    std::uint64_t nextStart(std::uint64_t offset, std::uint64_t end) const;
    Entries::iterator pendingOf(unsigned member, ByteRange range);
    bool wantedByOthers(const Entry& e) const;
    /// Removes an entry; the members waiting for it are added to @p wake.
    void erase(Entries::iterator it, std::uint32_t& wake);
    /// Holds @p piece (a part of @p from's data) unless no member needs it.
    void hold(const Entry& from, ByteRange piece, std::uint32_t& wake);
    void evict(std::uint32_t& wake);
    /// @p range widened to whole granules, clipped to @p within.
    ByteRange granules(ByteRange range, ByteRange within) const;
    void wakeAll(std::uint32_t members);

    const unsigned m_members;
    const std::uint64_t m_capacity;
    mutable std::mutex m_mutex;
    Entries m_entries;
    std::map<std::uint64_t, Entries::iterator> m_published; ///< by sequence: oldest first
    std::uint64_t m_longest = 0; ///< the longest entry ever, to bound the search
    std::vector<std::function<void()>> m_wakers;
    std::uint32_t m_active = 0; ///< members that have not left (bits)
    std::uint64_t m_sequence = 0;
    /// Granules read once already: a member reading one of them again
    /// reads extra.
    DirtyBitmap m_readOnce;
    Stats m_stats;
};

} // namespace engine
