#include "live_source.h"

#include "disk.h"
#include "safety.h"

#include <sys/sysmacros.h>

namespace engine {

Result<std::unique_ptr<LiveSource>> LiveSource::create(const std::string& devicePath,
                                                       TraceTracker::Options options, Logger log)
{
    std::unique_ptr<LiveSource> live(new LiveSource);
    live->m_path = devicePath;
    live->m_log = orNull(log);
    auto tracker =
        TraceTracker::create(devicePath, std::move(options), childLogger(log, "engine.track"));
    if (!tracker)
        return tracker.error();
    live->m_tracker = std::move(*tracker);
    return live;
}

LiveSource::~LiveSource()
{
    stop();
}

Result<void> LiveSource::attach(MirrorJob& job)
{
    const std::uint64_t size = job.source().size();
    return m_tracker->start(
        [&job](std::uint64_t offset, std::uint64_t length) { job.notifyWrite(offset, length); },
        [&job, size](const std::string&) { job.notifyWrite(0, size); });
}

void LiveSource::stop()
{
    if (m_tracker)
        m_tracker->stop();
    std::lock_guard lock(m_mutex);
    m_freeze.thaw();
}

std::function<Result<void>()> LiveSource::quiesceHook()
{
    return [this]() -> Result<void> {
        std::lock_guard lock(m_mutex);
        auto guard = FreezeGuard::freezeMountsOf(m_path, m_log);
        if (!guard)
            return guard.error();
        m_freeze = std::move(*guard);
        // Every write that completed before the freeze is in the trace
        // buffer now; read it all before the final pass decides what is dirty.
        if (auto r = m_tracker->drain(); !r) {
            m_freeze.thaw();
            return r;
        }
        return {};
    };
}

std::function<void()> LiveSource::unquiesceHook()
{
    return [this] {
        std::lock_guard lock(m_mutex);
        m_freeze.thaw();
    };
}

std::vector<std::string> LiveSource::mountPoints() const
{
    auto id = identify(m_path);
    if (!id || !id->blockDevice)
        return {};
    return mountPointsOf(major(id->rdev), minor(id->rdev));
}

} // namespace engine
