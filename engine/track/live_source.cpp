#include "track/live_source.h"

#include "device/mounts.h"
#include "io/disk.h"

#include <fcntl.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <mutex>

namespace engine {

namespace {

// A write to the device itself through its page cache (a program writing to
// the bare disk, a tool without O_DIRECT) reaches the disk, and the trace,
// only at writeback, up to half a minute later. FIFREEZE flushes what goes
// through a file system; this flushes the rest, so that the final copy
// sees every write that returned before Complete.
Result<void> flushDevice(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return systemError(errno, "open " + path);
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    if (rc != 0)
        return systemError(err, "flush the page cache of " + path);
    return {};
}

} // namespace

// Shared with the quiescer, which the job may keep after stop().
struct LiveSource::State
{
    std::mutex mutex; ///< between the job thread (quiesce, sync) and stop()
    std::string path;
    std::unique_ptr<TraceTracker> tracker;
    std::unique_ptr<FreezeGuardian> guardian;
    bool stopped = false;
    Logger log;
};

class LiveSource::Quiesce : public Quiescer
{
public:
    explicit Quiesce(std::shared_ptr<State> s) : m_state(std::move(s)) {}

    Result<void> quiesce(std::chrono::milliseconds maxHold) override
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->stopped)
            return Error{ECANCELED, "the source's write tracking has stopped"};
        auto frozen = m_state->guardian->freeze(m_state->path, maxHold);
        if (!frozen)
            return frozen.error();
        if (auto r = flushDevice(m_state->path); !r) {
            (void)m_state->guardian->thaw();
            return r;
        }
        // Every write that completed before the freeze is in the trace
        // buffer now; read it all before the final pass decides what is dirty.
        if (auto r = m_state->tracker->drain(); !r) {
            (void)m_state->guardian->thaw();
            return r;
        }
        return {};
    }

    bool expired() override
    {
        std::lock_guard lock(m_state->mutex);
        return !m_state->stopped && m_state->guardian->expired();
    }

    Result<void> release() override
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->stopped)
            return {};
        return m_state->guardian->thaw();
    }

    Result<void> syncWrites() override
    {
        std::lock_guard lock(m_state->mutex);
        if (m_state->stopped)
            return Error{ECANCELED, "the source's write tracking has stopped"};
        return m_state->tracker->drain();
    }

private:
    std::shared_ptr<State> m_state;
};

Result<std::unique_ptr<LiveSource>> LiveSource::create(const std::string& devicePath,
                                                       TraceTracker::Options options, Logger log)
{
    log = orNull(std::move(log));
    std::unique_ptr<LiveSource> live(new LiveSource);
    live->m_path = devicePath;
    auto state = std::make_shared<State>();
    state->path = devicePath;
    state->log = log;
    auto tracker =
        TraceTracker::create(devicePath, std::move(options), childLogger(log, "engine.track"));
    if (!tracker)
        return tracker.error();
    state->tracker = std::move(*tracker);
    // Forked after the trace instance exists, so that it can remove it when
    // this process dies without doing so itself.
    auto guardian =
        FreezeGuardian::start(state->tracker->instancePath(), childLogger(log, "engine.freeze"));
    if (!guardian)
        return guardian.error();
    state->guardian = std::move(*guardian);
    live->m_state = std::move(state);
    return live;
}

LiveSource::~LiveSource()
{
    stop();
}

Result<void> LiveSource::attach(MirrorJob& job)
{
    return attach(
        [&job](std::uint64_t offset, std::uint64_t length) { job.notifyWrite(offset, length); },
        job.source().size());
}

Result<void> LiveSource::attach(TraceTracker::Sink sink, std::uint64_t size)
{
    auto overflow = [sink, size](const std::string&) { sink(0, size); };
    return m_state->tracker->start(std::move(sink), std::move(overflow));
}

void LiveSource::stop()
{
    if (!m_state)
        return;
    std::lock_guard lock(m_state->mutex);
    if (m_state->stopped)
        return;
    m_state->stopped = true;
    m_state->tracker->stop();
    m_state->guardian.reset(); // thaws if still frozen
}

std::shared_ptr<Quiescer> LiveSource::quiescer()
{
    return std::make_shared<Quiesce>(m_state);
}

std::vector<std::string> LiveSource::mountPoints() const
{
    auto id = identify(m_path);
    if (!id || !id->blockDevice)
        return {};
    return mountPointsOf(major(id->rdev), minor(id->rdev));
}

const TraceTracker& LiveSource::tracker() const
{
    return *m_state->tracker;
}

pid_t LiveSource::guardianPid() const
{
    std::lock_guard lock(m_state->mutex);
    return m_state->guardian ? m_state->guardian->pid() : -1;
}

} // namespace engine
