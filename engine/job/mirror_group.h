// MirrorGroup: one source mirrored to several targets at once.
//
// One MirrorJob per target, each with its own dirty bitmap, cursor,
// requests in flight, error policy, status and result, so that no target
// can hold up another: a target that fails ends alone, a slow one falls
// behind alone. What they share is the source: its reads (SharedReads, so
// that targets keeping pace read it once), its writers' writes (every
// tracked write dirties every member) and its quiesce (Complete freezes a
// live source once for every member it completes).
//
// A member slower than the floor (GroupOptions::floorSpeed) for
// floorSeconds while another member makes progress is dropped: cancelled,
// with the reason kept in its place.
#pragma once

#include "base/logging.h"
#include "base/result.h"
#include "job/mirror_job.h"
#include "job/shared_reads.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace engine {

inline constexpr unsigned kMaxTargets = 16;
/// Source data held for members behind the fastest one.
inline constexpr std::uint64_t kDefaultSharedReadBytes = 256ull << 20;

/// Stops the source's writers once for every member that takes part in a
/// Complete (or a consistent Cancel), and lets them go when the last of
/// them is done. Each member gets its own Quiescer from member().
class QuiesceHub : public std::enable_shared_from_this<QuiesceHub>
{
public:
    /// @p inner: the source's own quiescer; nullptr when nothing writes to
    /// the source but through notifyWrite.
    explicit QuiesceHub(std::shared_ptr<Quiescer> inner);
    /// Member @p index's quiescer (index < 32); the hub is made with make_shared.
    std::shared_ptr<Quiescer> member(unsigned index);
    /// These members (bits) will quiesce for one final copy: the writers
    /// stay stopped until each of them let go or withdrew.
    void expect(std::uint32_t members);
    /// The member ended: it holds the quiesce no longer and will not ask.
    void withdraw(unsigned index);

private:
    class Member;
    Result<void> quiesce(unsigned index, std::chrono::milliseconds maxHold);
    Result<void> release(unsigned index);
    Result<void> releaseIfDone(std::unique_lock<std::mutex>& lock);

    std::shared_ptr<Quiescer> m_inner;
    std::mutex m_mutex;
    bool m_frozen = false;
    std::uint32_t m_holding = 0;
    std::uint32_t m_expected = 0;
};

struct GroupOptions
{
    /// Bytes of source data held for members behind the fastest.
    std::uint64_t sharedReadBytes = kDefaultSharedReadBytes;
    /// Bytes/s below which a member is dropped (0: never).
    std::uint64_t floorSpeed = 0;
    double floorSeconds = 30;
};

struct GroupResult
{
    std::vector<JobResult> members; ///< by member index
    /// Why the group dropped a member (slower than the floor); empty otherwise.
    std::vector<std::string> dropped;
    std::uint64_t sourceBytesRead = 0; ///< by all members together
    SharedReads::Stats shared;
};

class MirrorGroup
{
public:
    /// Members share the source's reads and quiesce: @p jobs (created, not
    /// started; the same source; one granularity) must have been created
    /// with hub->member(i) as their quiescer when the source has writers.
    static Result<std::unique_ptr<MirrorGroup>> create(std::vector<std::unique_ptr<MirrorJob>> jobs,
                                                       std::shared_ptr<QuiesceHub> hub,
                                                       GroupOptions options, Logger log = {});
    ~MirrorGroup(); ///< cancels what runs and waits for it

    MirrorGroup(const MirrorGroup&) = delete;
    MirrorGroup& operator=(const MirrorGroup&) = delete;

    std::size_t size() const { return m_jobs.size(); }
    MirrorJob& member(std::size_t index) { return *m_jobs[index]; }
    const MirrorJob& member(std::size_t index) const { return *m_jobs[index]; }
    /// Called with the member's index, on that member's thread.
    void setListener(std::function<void(std::size_t, const JobEvent&)> listener);
    void start();

    /// Completes every READY member, under one quiesce of the source;
    /// refused when none is READY.
    Result<void> complete();
    /// Cancels every member still running (see MirrorJob::cancel).
    Result<void> cancel(bool quick = false);
    Result<void> pause();
    Result<void> resume();
    Result<void> setSpeed(std::uint64_t bytesPerSecond);
    /// The source was written: every member copies the range again.
    void notifyWrite(std::uint64_t offset, std::uint64_t length);

    std::string dropReason(std::size_t index) const;
    SharedReads::Stats sharedStats() const { return m_shared->stats(); }
    bool finished() const;
    /// Blocks until every member concluded.
    GroupResult wait();

private:
    MirrorGroup(std::vector<std::unique_ptr<MirrorJob>> jobs, std::shared_ptr<QuiesceHub> hub,
                std::shared_ptr<SharedReads> shared, GroupOptions options, Logger log);
    /// Runs the verb on every member it applies to; refused only when it
    /// applies to none.
    Result<void> forEach(const char* verb, const std::function<Result<void>(MirrorJob&)>& act);
    void watchFloor(std::stop_token stop);
    /// Members still running and READY (bits).
    std::uint32_t readyMembers() const;

    std::vector<std::unique_ptr<MirrorJob>> m_jobs;
    std::shared_ptr<QuiesceHub> m_hub;
    std::shared_ptr<SharedReads> m_shared;
    GroupOptions m_options;
    Logger m_log;
    std::function<void(std::size_t, const JobEvent&)> m_listener;
    mutable std::mutex m_mutex;
    std::vector<std::string> m_dropped;
    std::jthread m_watcher;
};

} // namespace engine
