// The reporter of --json: QMP-style events, replies and refusals, one object
// per line on stdout, English in every locale.
#include "json_events.h"
#include "reporter.h"

#include <cerrno>
#include <cstdio>

namespace cli {

namespace event = protocol::event;

namespace {

class JsonReporter final : public JobReporter
{
public:
    JsonReporter(engine::MirrorJob& job, const MirrorArgs& a)
        : m_job(job), m_args(a), m_lastProgress(Clock::now())
    {
    }

    void started(const engine::LiveSource* live, bool targetCreated) override
    {
        // What a front end in another process needs before the first
        // progress event: the geometry of the map and what Complete freezes.
        std::vector<std::string> mounts;
        if (live)
            mounts = live->mountPoints();
        printEvent(event::kJobStarted,
                   startedData(device(), m_args.source, m_args.target, m_job.source().size(),
                               m_job.granularity(), live != nullptr, mounts, targetCreated));
    }

    void statusChanged(engine::JobStatus to) override
    {
        printEvent(event::kStatusChange, statusChangeData(device(), to));
    }

    void ready(const engine::JobSnapshot& s, bool) override
    {
        printEvent(event::kReady, mapped(jobJson(device(), s)));
    }

    void completeFailed(const std::string& reason) override
    {
        printEvent(event::kCompleteFailed, completeFailedData(device(), reason));
    }

    void verifying() override { printEvent(event::kVerifying, verifyingData(device())); }

    void tick(const engine::JobSnapshot& s, Clock::time_point now, double rate) override
    {
        if (now - m_lastProgress < m_args.progressInterval)
            return;
        m_lastProgress = now;
        printEvent(event::kProgress,
                   mapped(progressData(device(), s, rate, m_job.options().yield)));
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
            printError(r.error(), id);
    }

    void status(const engine::JobSnapshot& s, const std::string& id) override
    {
        printReturn(statusData(device(), s).str(), id);
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
        printError(
            {EINVAL, "command line longer than " + std::to_string(maxBytes) + " bytes: ignored"});
    }

private:
    const std::string& device() const { return m_args.target; }

    // With --map-cells, the map rides along progress and READY: a job that
    // converges between two progress events still shows its clean map.
    JsonObject mapped(JsonObject data) const
    {
        if (auto map = m_job.dirtyMap(); map && m_args.mapCells > 0)
            return withMap(std::move(data), *map);
        return data;
    }

    engine::MirrorJob& m_job;
    const MirrorArgs& m_args;
    Clock::time_point m_lastProgress;
};

void JsonReporter::finished(const JobEnd& end)
{
    printEvent(protocol::endEvent(toProtocol(end.result.outcome)), endData(device(), end));
}

} // namespace

std::unique_ptr<JobReporter> makeJsonReporter(engine::MirrorJob& job, const MirrorArgs& a)
{
    return std::make_unique<JsonReporter>(job, a);
}

} // namespace cli
