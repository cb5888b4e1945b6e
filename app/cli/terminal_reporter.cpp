// The reporter for a person: log lines on stderr in the user's language,
// and on a terminal a progress line that the log lines clear.
#include "commands.h"
#include "json_events.h"
#include "reporter.h"
#include "text.h"

#include "format.h"

#include <unistd.h>

#include <cstdio>

namespace cli {

namespace {

class TerminalReporter final : public JobReporter
{
public:
    TerminalReporter(const MirrorArgs& a, const engine::Logger& log)
        : m_args(a), m_log(log), m_tty(::isatty(2))
    {
    }

    void started(const engine::LiveSource*, bool) override {}
    void statusChanged(engine::JobStatus) override {}

    void ready(const engine::JobSnapshot&, bool unattended) override
    {
        m_log->info("{}", unattended ? fill(Cli::tr("READY: %1 and %2 are in sync"),
                                            {m_args.source, m_args.target})
                                     : fill(Cli::tr("READY: %1 and %2 are in sync; type "
                                                    "'complete' or 'cancel' and Enter"),
                                            {m_args.source, m_args.target}));
    }

    void completeFailed(const std::string& reason) override
    {
        m_log->warn("{}", fill(Cli::tr("complete failed: %1; the job goes on mirroring at READY"),
                               {reason}));
    }

    void verifying() override
    {
        m_log->info("{}", fill(Cli::tr("verifying: comparing %1 with %2 while the source runs on"),
                               {m_args.target, m_args.source}));
    }

    void tick(const engine::JobSnapshot& s, Clock::time_point, double rate) override
    {
        if (m_tty)
            drawProgress(s, rate, {});
    }

    void groupTick(const GroupProgress& g) override
    {
        if (m_tty)
            drawProgress(*g.slowest, g.slowestRate,
                         fill(Cli::tr("%1 targets, %2 done, %3 failed; slowest %4:"),
                              {std::to_string(g.targets), std::to_string(g.done),
                               std::to_string(g.failed), g.slowestTarget}) +
                             "  ");
    }

    void loopEnded() override
    {
        if (m_progressShown)
            std::fprintf(stderr, "\r\033[K");
    }

    void finished(const JobEnd& end) override
    {
        reportOutcome(end);
        reportDetails(end);
    }

    void reply(const engine::Result<void>& r, const std::string&) override
    {
        if (!r)
            m_log->error("{}", r.error().message);
    }

    // The status as the JSON reply carries it: a person who asks for it
    // at a terminal gets every number.
    void status(const engine::JobSnapshot& s, const std::string&) override
    {
        std::fprintf(stderr, "%s\n", statusData(m_args.target, s).str().c_str());
    }

    void completeHeld() override
    {
        m_log->info("{}", fill(Cli::tr("complete: carried out when the job is READY")));
    }

    std::optional<engine::Error> unknownCommand(const std::string& verb) override
    {
        m_log->error("{}", fill(Cli::tr("unknown command '%1' (complete, cancel, cancel quick, "
                                        "pause, resume, speed RATE, status)"),
                                {verb}));
        return std::nullopt;
    }

    void lineTooLong(std::size_t maxBytes) override
    {
        m_log->error("{}", fill(Cli::tr("command line longer than %1 bytes: ignored"),
                                {std::to_string(maxBytes)}));
    }

private:
    void drawProgress(const engine::JobSnapshot& s, double rate, const std::string& prefix);
    void reportOutcome(const JobEnd& end);
    void reportDetails(const JobEnd& end);

    const MirrorArgs& m_args;
    engine::Logger m_log;
    bool m_tty;
    bool m_progressShown = false;
};

void TerminalReporter::drawProgress(const engine::JobSnapshot& s, double rate,
                                    const std::string& prefix)
{
    const std::uint64_t total = s.bytesDone + s.bytesRemaining;
    const double fraction =
        total > 0 ? static_cast<double>(s.bytesDone) / static_cast<double>(total) : 1.0;
    const double eta = rate > 1 && s.bytesRemaining > 0
                           ? static_cast<double>(s.bytesRemaining) / rate
                           : -1; // shown as a dash
    std::string line =
        prefix + fill(Cli::tr("%1  %2  %3 of %4  %5  ETA %6  dirty %7"),
                      {ui::Format::status(s.status).toStdString(),
                       ui::Format::percent(fraction).toStdString(), sizeText(s.bytesDone),
                       sizeText(total), rateText(rate), durationText(eta), sizeText(s.dirtyBytes)});
    const bool ready =
        s.status == engine::JobStatus::Ready || s.status == engine::JobStatus::Standby;
    for (const QString& more :
         {ui::Format::forecast(s.forecast, ready), ui::Format::yielding(s.yield),
          ui::Format::reconnecting(s.reconnect)})
        if (!more.isEmpty())
            line += "  " + more.toStdString();
    if (!s.ioError.empty())
        line += "  " + fill(Cli::tr("STOPPED: %1"), {s.ioError});
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    m_progressShown = true;
}

// One line on how the job ended and what TARGET now is. (Over 40 lines: one
// case per outcome and sync mode, each its own sentence for translators.)
void TerminalReporter::reportOutcome(const JobEnd& end)
{
    using Outcome = engine::JobResult::Outcome;
    const engine::JobResult& res = end.result;
    const double rate =
        res.elapsedSeconds > 0
            ? static_cast<double>(res.bytesDone - res.bytesZeroed) / res.elapsedSeconds
            : 0;
    const std::string summary =
        fill(Cli::tr("%1 processed, of which %2 were zero runs written without data "
                     "transfer, in %3; data copied at %4"),
             {sizeText(res.bytesDone), sizeText(res.bytesZeroed), durationText(res.elapsedSeconds),
              rateText(rate)});
    switch (res.outcome) {
    case Outcome::Completed:
        // "identical" only where it is: a verification that disagrees,
        // or a sync mode that did not copy everything, says otherwise.
        if (res.verify && !res.verify->identical)
            m_log->warn("{}", fill(Cli::tr("completed: %1; but the verification found %2 "
                                           "different from %3 (ranges below)"),
                                   {summary, m_args.target, m_args.source}));
        else if (end.skipped)
            m_log->warn("{}", fill(Cli::tr("completed with errors ignored: %1; %2 differs "
                                           "from %3 in the ranges listed below"),
                                   {summary, m_args.target, m_args.source}));
        else if (m_args.options.sync == engine::SyncMode::Top)
            m_log->info("{}", fill(Cli::tr("completed: %1; %2 holds the allocated data of %3 "
                                           "as of the final copy; its other ranges were not "
                                           "copied (sync top; source quiesced %4 s)"),
                                   {summary, m_args.target, m_args.source,
                                    numberText(res.quiesceSeconds, 3)}));
        else if (m_args.options.sync == engine::SyncMode::None)
            m_log->info("{}", fill(Cli::tr("completed: %1; %2 holds what was written to %3 "
                                           "during the job, nothing else was copied (sync "
                                           "none; source quiesced %4 s)"),
                                   {summary, m_args.target, m_args.source,
                                    numberText(res.quiesceSeconds, 3)}));
        else
            m_log->info("{}", fill(Cli::tr("completed: %1; %2 is identical to %3 as of the "
                                           "final copy (source quiesced %4 s)"),
                                   {summary, m_args.target, m_args.source,
                                    numberText(res.quiesceSeconds, 3)}));
        break;
    case Outcome::Cancelled:
        if (res.powerCutCopy)
            m_log->warn("{}", fill(Cli::tr("cancelled after READY without freezing the source: "
                                           "%1; %2 is like %3 after a power cut (a file system "
                                           "on it needs its journal replayed, and the last "
                                           "writes are missing)"),
                                   {summary, m_args.target, m_args.source}));
        else
            m_log->info("{}", fill(Cli::tr("cancelled after READY: %1; %2 is a consistent copy "
                                           "of %3 as of the final copy (source quiesced %4 s)"),
                                   {summary, m_args.target, m_args.source,
                                    numberText(res.quiesceSeconds, 3)}));
        break;
    case Outcome::Aborted:
        m_log->warn(
            "{}", fill(Cli::tr("cancelled before READY: the target is incomplete: %1"), {summary}));
        break;
    case Outcome::Failed:
        m_log->error("{}", fill(Cli::tr("failed: %1"), {end.errorText}));
        break;
    }
}

// What the copy lacks or what else happened to TARGET, after the outcome.
void TerminalReporter::reportDetails(const JobEnd& end)
{
    using Outcome = engine::JobResult::Outcome;
    const engine::JobResult& res = end.result;
    if (end.unwrittenBytes > 0)
        m_log->warn("{}", fill(Cli::tr("%1 bytes of %2 were not written (target errors "
                                       "ignored): the copy is not whole"),
                               {std::to_string(end.unwrittenBytes), m_args.target}));
    if (end.unreadableBytes > 0)
        m_log->warn("{}", fill(Cli::tr("%1 bytes of %2 could not be read and were written as "
                                       "zeroes (source errors ignored): the copy is not whole"),
                               {std::to_string(end.unreadableBytes), m_args.source}));
    if (end.targetRemoved)
        m_log->info("{}", fill(Cli::tr("%1 was created by this job and never held a whole "
                                       "copy: removed"),
                               {m_args.target}));
    if (!end.checkpoint.empty())
        m_log->info("{}", fill(Cli::tr("the copy can go on from where it stopped: run the same "
                                       "command with --resume (checkpoint %1)"),
                               {end.checkpoint}));
    // Offsets and lengths as plain digits, ready for dd or cmp.
    for (const auto& r : res.unreadable)
        m_log->warn("{}", fill(Cli::tr("unreadable source range written as zeroes: offset %1, "
                                       "%2 bytes"),
                               {std::to_string(r.offset), std::to_string(r.length)}));
    for (const auto& r : res.unwritable)
        m_log->warn("{}", fill(Cli::tr("target range left unwritten: offset %1, %2 bytes"),
                               {std::to_string(r.offset), std::to_string(r.length)}));
    if (res.pastEndBytes > 0 && !res.verify &&
        (res.outcome == Outcome::Completed || res.outcome == Outcome::Cancelled))
        m_log->info("{}", res.pastEndWiped
                              ? fill(Cli::tr("the %1 of %2 past the end of %3 were cleared"),
                                     {sizeText(res.pastEndBytes), m_args.target, m_args.source})
                              : fill(Cli::tr("the %1 of %2 past the end of %3 were kept as they "
                                             "were (use --wipe-rest to clear them)"),
                                     {sizeText(res.pastEndBytes), m_args.target, m_args.source}));
    if (res.verify)
        printVerifyText(*res.verify, m_args.source, m_args.target);
    else if (res.verifyCancelled)
        m_log->warn("{}", fill(Cli::tr("verification cancelled: the copy is complete but was "
                                       "not checked")));
}

} // namespace

std::unique_ptr<JobReporter> makeTerminalReporter(const MirrorArgs& a, const engine::Logger& log)
{
    return std::make_unique<TerminalReporter>(a, log);
}

} // namespace cli
