// The reporter of --json: QMP-style events, replies and refusals, one object
// per line on stdout, English in every locale.
#include "json_output.h"
#include "reporter.h"

#include <cerrno>
#include <cstdio>

namespace cli {

namespace {

class JsonReporter final : public JobReporter
{
public:
    JsonReporter(engine::MirrorJob& job, const MirrorArgs& a)
        : m_job(job), m_args(a), m_lastProgress(Clock::now())
    {
    }

    void started(const engine::PreparedJob& prepared) override
    {
        // What a front end in another process needs before the first
        // progress event: the geometry of the map and what Complete freezes.
        std::vector<std::string> mounts;
        if (prepared.live)
            mounts = prepared.live->mountPoints();
        printEvent("JOB_STARTED", JsonObject()
                                      .add("device", device())
                                      .add("source", m_args.source)
                                      .add("target", m_args.target)
                                      .add("len", m_job.source().size())
                                      .add("granularity", m_job.granularity())
                                      .add("live", prepared.live != nullptr)
                                      .addRaw("mount-points", stringArray(mounts))
                                      .add("target-created", prepared.targetCreated));
    }

    void statusChanged(engine::JobStatus to) override
    {
        printEvent("JOB_STATUS_CHANGE",
                   JsonObject().add("id", device()).add("status", engine::toString(to)));
    }

    void ready(const engine::JobSnapshot& s, bool) override
    {
        printEvent("BLOCK_JOB_READY", withMap(jobJson(device(), s)));
    }

    void completeFailed(const std::string& reason) override
    {
        printEvent("COMPLETE_FAILED", JsonObject().add("device", device()).add("reason", reason));
    }

    void verifying() override
    {
        printEvent("BLOCK_JOB_VERIFYING", JsonObject().add("device", device()));
    }

    void tick(const engine::JobSnapshot& s, Clock::time_point now, double rate) override
    {
        if (now - m_lastProgress < m_args.progressInterval)
            return;
        m_lastProgress = now;
        JsonObject data = jobJson(device(), s);
        data.add("status", engine::toString(s.status))
            .add("rate", rate)
            .add("dirty", s.dirtyBytes)
            .add("in-flight", s.inFlightBytes)
            .add("zeroed", s.bytesZeroed)
            .add("unreadable-bytes", s.unreadableBytes);
        if (!s.ioError.empty())
            data.add("io-error", s.ioError);
        if (s.verifying)
            data.add("verifying", true)
                .add("verify-done", s.verifyDone)
                .add("verify-total", s.verifyTotal);
        printEvent("BLOCK_JOB_PROGRESS", withMap(std::move(data)));
    }

    void loopEnded() override {}

    void finished(const JobEnd& end) override;

    // Replies in QMP's shape, one per command line, carrying the line's id
    // when it gave one so that a script can match them up.
    void reply(const engine::Result<void>& r, const std::string& id) override
    {
        if (r)
            printReturn("{}", id);
        else
            printError(r.error().code, r.error().message, id);
    }

    void status(const engine::JobSnapshot& s, const std::string& id) override
    {
        JsonObject d = jobJson(device(), s);
        d.add("status", engine::toString(s.status)).add("dirty", s.dirtyBytes);
        printReturn(d.str(), id);
    }

    void completeHeld() override {}

    std::optional<engine::Error> unknownCommand(const std::string& verb) override
    {
        return engine::Error{EINVAL, "unknown command '" + verb +
                                         "' (complete, cancel, cancel quick, pause, resume, "
                                         "speed RATE, status; optionally followed by id=WORD)"};
    }

    void lineTooLong(std::size_t maxBytes) override
    {
        printError(EINVAL,
                   "command line longer than " + std::to_string(maxBytes) + " bytes: ignored");
    }

private:
    const std::string& device() const { return m_args.target; }

    // With --map-cells, the map rides along progress and READY: a job that
    // converges between two progress events still shows its clean map.
    JsonObject withMap(JsonObject data) const
    {
        if (auto map = m_job.dirtyMap(); map && m_args.mapCells > 0)
            data.add("map", hexCells(map->cells))
                .add("granularity", map->granularity)
                .addRaw("in-flight-ranges", rangesJson(map->inFlight))
                .addRaw("unreadable-ranges", rangesJson(map->unreadable));
        return data;
    }

    engine::MirrorJob& m_job;
    const MirrorArgs& m_args;
    Clock::time_point m_lastProgress;
};

void JsonReporter::finished(const JobEnd& end)
{
    using Outcome = engine::JobResult::Outcome;
    const engine::JobResult& res = end.result;
    JsonObject d = jobJson(device(), end.snapshot);
    d.add("zeroed", res.bytesZeroed).add("elapsed", res.elapsedSeconds);
    if (!end.errorText.empty())
        d.add("error", end.errorText);
    if (!res.unreadable.empty())
        d.addRaw("unreadable", rangesJson(res.unreadable));
    if (!res.unwritable.empty())
        d.addRaw("unwritable", rangesJson(res.unwritable));
    if (end.skipped)
        d.add("ranges-skipped", true)
            .add("unwritten-bytes", end.unwrittenBytes)
            .add("unreadable-bytes", end.unreadableBytes);
    if (end.targetRemoved)
        d.add("target-removed", true);
    if (res.verify)
        d.addRaw("verify", verifyJson(*res.verify));
    if (res.verifyCancelled)
        d.add("verify-cancelled", true);
    if (res.outcome == Outcome::Completed ||
        (res.outcome == Outcome::Cancelled && !res.powerCutCopy))
        d.add("quiesce-seconds", res.quiesceSeconds);
    if (res.outcome == Outcome::Cancelled)
        d.add("powercut-copy", res.powerCutCopy);
    if (res.powerCutCopy)
        d.add("powercut-reason", res.powerCutReason);
    if (res.pastEndBytes > 0)
        d.add("past-end-bytes", res.pastEndBytes).add("past-end-wiped", res.pastEndWiped);
    d.add("outcome", outcomeName(res.outcome));
    if (res.outcome == Outcome::Failed)
        d.add("source-failed", res.sourceFailed).add("errno", res.error.code);
    const bool cancelled = res.outcome == Outcome::Cancelled || res.outcome == Outcome::Aborted;
    printEvent(cancelled ? "BLOCK_JOB_CANCELLED" : "BLOCK_JOB_COMPLETED", d);
}

} // namespace

std::unique_ptr<JobReporter> makeJsonReporter(engine::MirrorJob& job, const MirrorArgs& a)
{
    return std::make_unique<JsonReporter>(job, a);
}

} // namespace cli
