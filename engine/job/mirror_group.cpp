// MirrorGroup (mirror_group.h).
#include "job/mirror_group.h"

#include "base/units.h"

#include <deque>

namespace engine {

using Clock = std::chrono::steady_clock;

// -- QuiesceHub ---------------------------------------------------------------

class QuiesceHub::Member : public Quiescer
{
public:
    Member(std::weak_ptr<QuiesceHub> hub, unsigned index) : m_hub(std::move(hub)), m_index(index) {}
    Result<void> quiesce(std::chrono::milliseconds maxHold) override
    {
        auto hub = m_hub.lock();
        if (!hub)
            return Error{ESRCH, "the group of this job is gone"};
        return hub->quiesce(m_index, maxHold);
    }
    bool expired() override
    {
        auto hub = m_hub.lock();
        return hub && hub->m_inner && hub->m_inner->expired();
    }
    Result<void> release() override
    {
        auto hub = m_hub.lock();
        return hub ? hub->release(m_index) : Result<void>{};
    }
    Result<void> syncWrites() override
    {
        auto hub = m_hub.lock();
        return hub && hub->m_inner ? hub->m_inner->syncWrites() : Result<void>{};
    }

private:
    std::weak_ptr<QuiesceHub> m_hub;
    unsigned m_index;
};

QuiesceHub::QuiesceHub(std::shared_ptr<Quiescer> inner) : m_inner(std::move(inner))
{
}

std::shared_ptr<Quiescer> QuiesceHub::member(unsigned index)
{
    return std::make_shared<Member>(weak_from_this(), index);
}

void QuiesceHub::expect(std::uint32_t members)
{
    std::lock_guard lock(m_mutex);
    m_expected |= members;
}

Result<void> QuiesceHub::quiesce(unsigned index, std::chrono::milliseconds maxHold)
{
    std::unique_lock lock(m_mutex);
    if (!m_frozen && m_inner) {
        if (auto r = m_inner->quiesce(maxHold); !r) {
            m_expected &= ~(1u << index);
            return r;
        }
    }
    m_frozen = true;
    m_holding |= 1u << index;
    return {};
}

Result<void> QuiesceHub::releaseIfDone(std::unique_lock<std::mutex>&)
{
    if (!m_frozen || m_holding != 0 || m_expected != 0)
        return {};
    m_frozen = false;
    return m_inner ? m_inner->release() : Result<void>{};
}

Result<void> QuiesceHub::release(unsigned index)
{
    std::unique_lock lock(m_mutex);
    m_holding &= ~(1u << index);
    m_expected &= ~(1u << index);
    auto r = releaseIfDone(lock);
    if (!r)
        return r;
    // Others still hold the writers: what this member copied is of one
    // moment as long as the quiesce had not ended by itself.
    if (m_frozen && m_inner && m_inner->expired())
        return Error{ETIMEDOUT, "the quiesce of the source ended by itself before the final "
                                "copy was done"};
    return {};
}

void QuiesceHub::withdraw(unsigned index)
{
    std::unique_lock lock(m_mutex);
    m_holding &= ~(1u << index);
    m_expected &= ~(1u << index);
    (void)releaseIfDone(lock);
}

// -- MirrorGroup --------------------------------------------------------------

Result<std::unique_ptr<MirrorGroup>>
MirrorGroup::create(std::vector<std::unique_ptr<MirrorJob>> jobs, std::shared_ptr<QuiesceHub> hub,
                    GroupOptions options, Logger log)
{
    if (jobs.empty() || jobs.size() > kMaxTargets)
        return Error{EINVAL, "a mirror takes 1 to " + std::to_string(kMaxTargets) +
                                 " targets, not " + std::to_string(jobs.size())};
    const MirrorJob& first = *jobs.front();
    for (const auto& job : jobs) {
        if (job->source().identity() != first.source().identity() ||
            job->source().size() != first.source().size())
            return Error{EINVAL, "the jobs of a group mirror one source"};
        if (job->granularity() != first.granularity())
            return Error{EINVAL, "the jobs of a group copy in one granularity, not " +
                                     formatBytes(first.granularity()) + " and " +
                                     formatBytes(job->granularity())};
        if (job->status() != JobStatus::Created)
            return Error{EINVAL, "the jobs of a group start together"};
    }
    auto shared =
        std::make_shared<SharedReads>(static_cast<unsigned>(jobs.size()), first.source().size(),
                                      first.granularity(), options.sharedReadBytes);
    if (!hub)
        hub = std::make_shared<QuiesceHub>(nullptr);
    return std::unique_ptr<MirrorGroup>(new MirrorGroup(
        std::move(jobs), std::move(hub), std::move(shared), options, orNull(std::move(log))));
}

MirrorGroup::MirrorGroup(std::vector<std::unique_ptr<MirrorJob>> jobs,
                         std::shared_ptr<QuiesceHub> hub, std::shared_ptr<SharedReads> shared,
                         GroupOptions options, Logger log)
    : m_jobs(std::move(jobs)), m_hub(std::move(hub)), m_shared(std::move(shared)),
      m_options(options), m_log(std::move(log)), m_dropped(m_jobs.size())
{
    for (std::size_t i = 0; i < m_jobs.size(); ++i)
        m_jobs[i]->shareReads(m_shared, static_cast<unsigned>(i));
}

MirrorGroup::~MirrorGroup()
{
    m_watcher = {};
    // Each job's destructor cancels it and waits for its thread.
    m_jobs.clear();
}

void MirrorGroup::setListener(std::function<void(std::size_t, const JobEvent&)> listener)
{
    m_listener = std::move(listener);
}

void MirrorGroup::start()
{
    for (std::size_t i = 0; i < m_jobs.size(); ++i) {
        m_jobs[i]->setListener([this, i](const JobEvent& ev) {
            if (ev.kind == JobEvent::Kind::Finished)
                m_hub->withdraw(static_cast<unsigned>(i));
            if (m_listener)
                m_listener(i, ev);
        });
    }
    for (auto& job : m_jobs)
        job->start();
    if (m_options.floorSpeed > 0 && m_jobs.size() > 1)
        m_watcher = std::jthread([this](std::stop_token stop) { watchFloor(stop); });
}

Result<void> MirrorGroup::forEach(const char* verb,
                                  const std::function<Result<void>(MirrorJob&)>& act)
{
    std::optional<Error> refused;
    bool any = false;
    for (auto& job : m_jobs) {
        if (job->finished())
            continue;
        if (auto r = act(*job); r)
            any = true;
        else if (!refused)
            refused = r.error();
    }
    if (any)
        return {};
    if (refused)
        return *refused;
    return Error{EBUSY, std::string("cannot ") + verb + ": no target's job runs any more"};
}

std::uint32_t MirrorGroup::readyMembers() const
{
    std::uint32_t ready = 0;
    for (std::size_t i = 0; i < m_jobs.size(); ++i)
        if (!m_jobs[i]->finished() && m_jobs[i]->status() == JobStatus::Ready)
            ready |= 1u << i;
    return ready;
}

Result<void> MirrorGroup::complete()
{
    const std::uint32_t ready = readyMembers();
    if (ready == 0)
        return Error{EBUSY, "cannot complete: no target is ready"};
    // One quiesce for all of them: the writers stay stopped until the last
    // of them has made its final copy.
    m_hub->expect(ready);
    bool any = false;
    std::optional<Error> refused;
    for (std::size_t i = 0; i < m_jobs.size(); ++i) {
        if (!(ready & (1u << i)))
            continue;
        if (auto r = m_jobs[i]->complete(); r) {
            any = true;
        } else {
            m_hub->withdraw(static_cast<unsigned>(i));
            if (!refused)
                refused = r.error();
        }
    }
    if (!any && refused)
        return *refused;
    return {};
}

Result<void> MirrorGroup::cancel(bool quick)
{
    if (!quick) {
        // A consistent cancel after READY copies under a quiesce too.
        m_hub->expect(readyMembers());
    }
    auto r = forEach("cancel", [quick](MirrorJob& job) { return job.cancel(quick); });
    if (!quick)
        for (std::size_t i = 0; i < m_jobs.size(); ++i)
            if (m_jobs[i]->finished())
                m_hub->withdraw(static_cast<unsigned>(i));
    return r;
}

Result<void> MirrorGroup::pause()
{
    return forEach("pause", [](MirrorJob& job) { return job.pause(); });
}

Result<void> MirrorGroup::resume()
{
    return forEach("resume", [](MirrorJob& job) { return job.resume(); });
}

Result<void> MirrorGroup::setSpeed(std::uint64_t bytesPerSecond)
{
    return forEach("set the speed",
                   [bytesPerSecond](MirrorJob& job) { return job.setSpeed(bytesPerSecond); });
}

void MirrorGroup::notifyWrite(std::uint64_t offset, std::uint64_t length)
{
    // What is held goes before the bits are set: a member that finds the
    // range clean afterwards finds nothing stale to copy either.
    m_shared->invalidate({offset, length});
    for (auto& job : m_jobs)
        job->notifyWrite(offset, length);
}

std::string MirrorGroup::dropReason(std::size_t index) const
{
    std::lock_guard lock(m_mutex);
    return m_dropped.at(index);
}

bool MirrorGroup::finished() const
{
    for (const auto& job : m_jobs)
        if (!job->finished())
            return false;
    return true;
}

GroupResult MirrorGroup::wait()
{
    GroupResult result;
    for (auto& job : m_jobs) {
        result.members.push_back(job->wait());
        result.sourceBytesRead += result.members.back().sourceBytesRead;
    }
    m_watcher = {};
    {
        std::lock_guard lock(m_mutex);
        result.dropped = m_dropped;
    }
    result.shared = m_shared->stats();
    return result;
}

// Every second: a member that copied less than the floor over the last
// floorSeconds, while another member copied at least that, is dropped. A
// member that is READY, stopped or finished is not judged, and its window
// starts again when it copies again.
void MirrorGroup::watchFloor(std::stop_token stop)
{
    struct Sample
    {
        Clock::time_point time;
        std::uint64_t done;
    };
    std::vector<std::deque<Sample>> history(m_jobs.size());
    const auto window = std::chrono::duration<double>(m_options.floorSeconds);
    std::mutex sleepMutex;
    std::condition_variable_any sleeper;
    while (!stop.stop_requested() && !finished()) {
        {
            std::unique_lock lock(sleepMutex);
            sleeper.wait_for(lock, stop, std::chrono::seconds(1), [] { return false; });
        }
        if (stop.stop_requested())
            return;
        const auto now = Clock::now();
        std::vector<double> rate(m_jobs.size(), -1); // -1: not judged now
        for (std::size_t i = 0; i < m_jobs.size(); ++i) {
            const auto snap = m_jobs[i]->snapshot();
            auto& h = history[i];
            if (m_jobs[i]->finished() || snap->status != JobStatus::Running) {
                h.clear();
                continue;
            }
            h.push_back({now, snap->bytesDone});
            while (h.size() > 1 && now - h[1].time >= window)
                h.pop_front();
            const double secs = std::chrono::duration<double>(now - h.front().time).count();
            if (secs >= m_options.floorSeconds * 0.999)
                rate[i] = static_cast<double>(h.back().done - h.front().done) / secs;
        }
        const double floor = static_cast<double>(m_options.floorSpeed);
        bool othersKeepUp = false;
        for (double r : rate)
            othersKeepUp = othersKeepUp || r >= floor;
        for (std::size_t i = 0; i < m_jobs.size() && othersKeepUp; ++i) {
            if (rate[i] < 0 || rate[i] >= floor)
                continue;
            const std::string why = "dropped: " + formatRate(rate[i]) + " over the last " +
                                    formatDuration(m_options.floorSeconds) +
                                    ", below the floor of " + formatRate(floor);
            m_log->warn("{}: {}", m_jobs[i]->target().path(), why);
            {
                std::lock_guard lock(m_mutex);
                m_dropped[i] = why;
            }
            (void)m_jobs[i]->cancel(true);
            history[i].clear();
        }
    }
}

} // namespace engine
