#include "station/slot_run.h"

#include "job/mirror_job.h"
#include "protocol/station_protocol.h"
#include "rules/job_setup.h"
#include "station/after_action.h"

#include <algorithm>

namespace engine {

namespace {

using Clock = std::chrono::steady_clock;

constexpr double kMiB = 1024.0 * 1024.0;

// A station writes drives nobody has confirmed one by one: it trusts its
// slots instead. So the target may hold data (used sticks are the rule),
// and the job is bound to the drive the event showed, not to a name.
JobSetup setupFor(const RunContext& context, const DeviceInfo& device)
{
    JobSetup setup;
    setup.source = context.source->path;
    setup.target = device.devnode;
    setup.options.sync = SyncMode::Full;
    setup.options.verify = context.config->verify;
    setup.options.wipeRest = context.config->wipeRest;
    // Nothing but the station reads the golden image; yielding would only
    // slow the copies down.
    setup.options.yield = YieldMode::Off;
    setup.allowDataOnTarget = true;
    setup.expectedTargetId = device.stableId();
    // The image was hashed once: a source that changes under the copies
    // would make every record's checksum a lie, so it is never tracked,
    // and a mounted one is refused.
    setup.trackWrites = false;
    setup.invoker = context.invoker;
    return setup;
}

std::string verifyVerdict(const JobResult& r, std::string& detail)
{
    if (!r.verify) {
        detail = r.verifyCancelled ? "the verification was cancelled" : "the copy was not verified";
        return "error: " + detail;
    }
    if (r.verify->identical)
        return std::string(protocol::station::kResultPassed);
    const auto& diffs = r.verify->differences;
    const std::uint64_t at = diffs.empty() ? 0 : diffs.front().offset;
    detail = std::to_string(diffs.size()) + (r.verify->moreDifferences ? "+" : "") +
             " differing ranges, the first at byte " + std::to_string(at);
    return "verify failed at " + std::to_string(at);
}

} // namespace

AuditRecord recordFor(const RunContext& context, const std::string& slot, const DeviceInfo& device)
{
    AuditRecord r;
    r.station = context.config->station;
    r.slot = slot;
    r.device = device.devnode;
    r.vendor = device.vendor;
    r.model = device.model;
    r.serial = device.serial;
    r.wwn = device.wwn;
    r.capacity = device.size;
    r.image = context.source->path;
    r.imageSha256 = context.source->sha256;
    r.after = "untouched";
    return r;
}

SlotRun::SlotRun(std::string slot, DeviceInfo device, RunContext context)
    : m_slot(std::move(slot)), m_device(std::move(device)), m_context(std::move(context)),
      m_record(recordFor(m_context, m_slot, m_device)), m_began(Clock::now()), m_lastAt(m_began),
      m_thread([this] { work(); })
{
}

SlotRun::~SlotRun()
{
    cancel("the station was stopped");
    if (m_thread.joinable())
        m_thread.join();
}

// The run's thread sees it and lets the job go; a job that is verifying
// takes no cancel, but destroying it ends the verification too.
void SlotRun::cancel(const std::string& why)
{
    std::lock_guard lock(m_mutex);
    if (!m_cancelled.empty() || m_jobFinished)
        return;
    m_cancelled = why;
    m_changed.notify_all();
}

std::optional<SlotProgress> SlotRun::progress(Clock::time_point now)
{
    std::lock_guard lock(m_mutex);
    if (!m_job || m_jobFinished)
        return std::nullopt;
    const auto snap = m_job->snapshot();
    SlotProgress p{m_slot, m_device.devnode, snap->verifying, 0, 0, 0};
    p.total = p.verifying ? snap->verifyTotal : snap->diskSize;
    p.done = std::min(p.verifying ? snap->verifyDone : snap->bytesDone, p.total);
    const double seconds = std::chrono::duration<double>(now - m_lastAt).count();
    if (p.verifying == m_lastVerifying && seconds > 0 && p.done >= m_lastDone)
        p.rate = static_cast<double>(p.done - m_lastDone) / seconds;
    m_lastVerifying = p.verifying;
    m_lastDone = p.done;
    m_lastAt = now;
    return p;
}

AuditRecord SlotRun::takeRecord()
{
    if (m_thread.joinable())
        m_thread.join();
    return m_record;
}

void SlotRun::work()
{
    if (auto changed = sourceChanged(*m_context.source)) {
        m_record.result = "error: source changed";
        m_record.detail = changed->message;
    } else {
        Result<PreparedJob> prepared = Error{};
        {
            std::lock_guard lock(*m_context.setupLock);
            prepared = prepareJob(setupFor(m_context, m_device), m_context.log);
        }
        if (prepared)
            copy(*prepared);
        else
            refuse(prepared.error());
    }
    m_done = true;
    m_context.wake();
}

void SlotRun::copy(PreparedJob& prepared)
{
    MirrorJob& job = *prepared.job;
    job.setListener([this](const JobEvent& ev) {
        if (ev.kind != JobEvent::Kind::Ready && ev.kind != JobEvent::Kind::Finished)
            return;
        std::lock_guard lock(m_mutex);
        (ev.kind == JobEvent::Kind::Ready ? m_ready : m_jobFinished) = true;
        m_changed.notify_all();
    });
    {
        std::lock_guard lock(m_mutex);
        if (!m_cancelled.empty()) {
            m_record.result = "error: cancelled (" + m_cancelled + ")";
            return; // never started, nothing written
        }
        m_job = &job;
        job.start();
    }
    m_writing = true;
    m_context.wake();
    const bool ended = awaitEnd(job);
    const std::uint64_t bytesDone = job.snapshot()->bytesDone;
    {
        std::lock_guard lock(m_mutex);
        m_job = nullptr;
    }
    conclude(ended ? &job.wait() : nullptr, bytesDone);
    // The drive is closed before anything else opens it.
    prepared.job.reset();
    m_copyEnded = true;
    m_context.wake();
    m_record.after =
        ended ? finishDrive(m_context.config->after,
                            {m_device.devnode, m_device.devnum, m_device.stableId()}, m_context.log)
              : "none (cancelled)";
}

// Completes the job at READY (a station's source does not change, so the
// first convergence is the copy) and waits for its end; false when the run
// was cancelled first.
bool SlotRun::awaitEnd(MirrorJob& job)
{
    std::unique_lock lock(m_mutex);
    bool completing = false;
    for (;;) {
        m_changed.wait(lock, [&] {
            return (m_ready && !completing) || m_jobFinished || !m_cancelled.empty();
        });
        if (m_jobFinished)
            return true;
        if (!m_cancelled.empty())
            return false;
        completing = true;
        lock.unlock();
        auto r = job.complete();
        lock.lock();
        if (!r && m_cancelled.empty() && !m_jobFinished)
            m_cancelled = "complete failed: " + r.error().message;
    }
}

void SlotRun::conclude(const JobResult* r, std::uint64_t bytesDone)
{
    m_record.bytesWritten = r ? r->bytesDone : bytesDone;
    m_record.durationSeconds = std::chrono::duration<double>(Clock::now() - m_began).count();
    if (m_record.durationSeconds > 0)
        m_record.mibPerSecond =
            static_cast<double>(m_record.bytesWritten) / kMiB / m_record.durationSeconds;
    if (!r) {
        std::lock_guard lock(m_mutex);
        m_record.result = "error: cancelled (" + m_cancelled + ")";
        m_record.detail = m_cancelled;
        return;
    }
    switch (r->outcome) {
    case JobResult::Outcome::Completed:
        m_record.result = m_context.config->verify ? verifyVerdict(*r, m_record.detail)
                                                   : std::string(protocol::station::kResultPassed);
        break;
    case JobResult::Outcome::Failed:
        m_record.result = "error: " + r->error.message;
        m_record.detail = r->error.message;
        break;
    case JobResult::Outcome::Cancelled:
    case JobResult::Outcome::Aborted:
        m_record.result = "error: cancelled";
        m_record.detail = "the job was cancelled";
        break;
    }
}

void SlotRun::refuse(const Error& error)
{
    m_record.result = error.rule != Rule::None ? std::string(protocol::station::kRefusedPrefix) +
                                                     std::string(ruleName(error.rule))
                                               : "error: " + error.message;
    m_record.detail = error.message;
    m_record.durationSeconds = std::chrono::duration<double>(Clock::now() - m_began).count();
}

} // namespace engine
