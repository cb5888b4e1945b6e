#include "job_driver.h"

#include "cli.h"
#include "command_queue.h"
#include "reporter.h"
#include "signals.h"
#include "text.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <utility>

namespace cli {

namespace {

// --complete-when-ready tries Complete this often before it gives up.
constexpr int kCompleteAttempts = 3;

// Rate over a sliding window of a couple of seconds, from cumulative bytes.
class RateMeter
{
public:
    void add(Clock::time_point t, std::uint64_t done)
    {
        m_samples.emplace_back(t, done);
        while (m_samples.size() > 2 && t - m_samples.front().first > std::chrono::seconds(2))
            m_samples.pop_front();
    }
    double rate() const
    {
        if (m_samples.size() < 2)
            return 0;
        const double dt =
            std::chrono::duration<double>(m_samples.back().first - m_samples.front().first).count();
        if (dt <= 0)
            return 0;
        return static_cast<double>(m_samples.back().second - m_samples.front().second) / dt;
    }

private:
    std::deque<std::pair<Clock::time_point, std::uint64_t>> m_samples;
};

std::uint64_t rangeBytes(const std::vector<engine::ByteRange>& ranges)
{
    std::uint64_t n = 0;
    for (const auto& r : ranges)
        n += r.length;
    return n;
}

// Removes the target file the job created, if the name still leads to the
// file the job wrote (not something put there since). Acting for another
// user (pkexec, sudo), the file is left: root must not unlink by a path that
// user controls.
bool removeCreatedTarget(engine::MirrorJob& job, const std::string& path, const engine::Logger& log)
{
    if (engine::currentInvoker().elevated)
        return false;
    if (auto r = engine::removeFileIfStill(AT_FDCWD, path, job.target().identity()); !r) {
        log->debug("cannot remove {}: {}", path, r.error().message);
        return false;
    }
    return true;
}

// The exit code for how the job ended; sets @p errorText to the English
// error the JSON report carries.
int outcomeExitCode(const engine::JobResult& res, bool completeGaveUp, std::string& errorText)
{
    int code = kExitOk;
    switch (res.outcome) {
    case engine::JobResult::Outcome::Completed:
        if (res.verifyCancelled)
            code = kExitNotVerified;
        break;
    case engine::JobResult::Outcome::Cancelled:
        code = completeGaveUp ? kExitNotCompleted : kExitCancelledReady;
        break;
    case engine::JobResult::Outcome::Aborted:
        code = kExitAborted;
        errorText = "cancelled before READY: the target is incomplete"; // JSON: stays English
        break;
    case engine::JobResult::Outcome::Failed:
        code = res.internalFailure ? kExitInternal : res.sourceFailed ? kExitSource : kExitTarget;
        errorText = res.error.message;
        break;
    }
    return code;
}

// One target's job as the driver follows it.
struct Member
{
    engine::MirrorJob& job;
    MirrorArgs args; ///< the command's, with this member's target
    bool targetCreated = false;
    std::unique_ptr<JobReporter> reporter;
    RateMeter meter;
    bool everReady = false;
    bool finished = false;
};

// The combined exit code of several targets: 0 when every copy succeeded,
// kExitSomeTargets when some did, the first target's failure when none did.
int combinedExitCode(const std::vector<int>& codes)
{
    if (codes.size() == 1)
        return codes.front();
    std::size_t ok = 0;
    int firstFailure = kExitOk;
    for (int c : codes) {
        if (c == kExitOk)
            ++ok;
        else if (firstFailure == kExitOk)
            firstFailure = c;
    }
    if (ok == codes.size())
        return kExitOk;
    return ok > 0 ? kExitSomeTargets : firstFailure;
}

class JobDriver final : public JobControls
{
public:
    JobDriver(std::vector<Member> members, engine::MirrorGroup* group,
              const engine::LiveSource* live, const MirrorArgs& a, const engine::Logger& log,
              engine::DemoWriter* demoWriter, double liveSeconds)
        : m_members(std::move(members)), m_group(group), m_live(live), m_args(a), m_log(log),
          m_demoWriter(demoWriter), m_liveSeconds(liveSeconds)
    {
    }

    int run();

    // JobControls: the stdin commands act on every target at once.
    engine::JobStatus status() const override;
    engine::Result<void> act(engine::JobVerb verb, std::uint64_t argument) override;
    void reportStatus(const std::string& id) override;

private:
    bool listen();
    void pollOnce(int timeoutMs);
    void readStdin();
    // Reports the events the jobs sent since the last turn; false once
    // every one has finished.
    bool handleEvents(Clock::time_point now);
    void onReady(Member& m, Clock::time_point now);
    void finishWhenAllReady();
    void onCompleteFailed(Member& m, const std::string& reason);
    void completeDemo(Clock::time_point now);
    void tick(Clock::time_point now);
    void closeFds();
    int finishMember(std::size_t index, const engine::JobResult& res);
    int finish();

    std::vector<Member> m_members;
    engine::MirrorGroup* m_group; ///< null: one target, m_members[0]
    const engine::LiveSource* m_live;
    const MirrorArgs& m_args;
    const engine::Logger& m_log;
    engine::DemoWriter* m_demoWriter;
    double m_liveSeconds;

    int m_sigFd = -1;
    int m_pipeFds[2] = {-1, -1};
    std::mutex m_queueMutex;
    std::deque<std::pair<std::size_t, engine::JobEvent>> m_queue;
    std::unique_ptr<CommandQueue> m_commands;
    Clock::time_point m_readyAt{};
    // Read whenever it is open, with --complete-when-ready too: a job that an
    // error policy paused must still be resumable or cancellable from there.
    bool m_stdinOpen = true;
    bool m_interrupted = false; ///< a signal or a closed stdin cancelled the job
    bool m_finishSent = false;  ///< --complete/--cancel-when-ready acted
    int m_completeAttempts = 0;
    bool m_completeGaveUp = false;
};

// The jobs' threads' events wait in a queue; a byte in a pipe wakes the loop.
bool JobDriver::listen()
{
    if (::pipe2(m_pipeFds, O_CLOEXEC | O_NONBLOCK) != 0) {
        m_log->error("{}", fill(Cli::tr("cannot create a pipe: %1"), {std::strerror(errno)}));
        return false;
    }
    auto push = [this](std::size_t index, const engine::JobEvent& ev) {
        {
            std::lock_guard lock(m_queueMutex);
            m_queue.emplace_back(index, ev);
        }
        const char b = 1;
        [[maybe_unused]] const ssize_t n = ::write(m_pipeFds[1], &b, 1);
    };
    if (m_group)
        m_group->setListener(push);
    else
        m_members.front().job.setListener([push](const engine::JobEvent& ev) { push(0, ev); });
    return true;
}

int JobDriver::run()
{
    m_sigFd = openCancelSignalFd();
    if (!listen())
        return kExitInternal;
    for (auto& m : m_members) {
        m.reporter =
            m_args.json ? makeJsonReporter(m.job, m.args) : makeTerminalReporter(m.args, m_log);
        if (m_args.mapCells > 0)
            m.job.setDirtyMapCells(m_args.mapCells);
    }
    // Replies and refusals name no target: the first target's reporter says them.
    m_commands =
        std::make_unique<CommandQueue>(*this, *m_members.front().reporter, m_args.noCommandQueue);
    const int pollMs =
        static_cast<int>(std::min<std::int64_t>(250, m_args.progressInterval.count()));
    for (auto& m : m_members)
        m.reporter->started(m_live, m.targetCreated);
    // Reading a terminal from the background must fail, not stop the process.
    ::signal(SIGTTIN, SIG_IGN);
    if (m_group)
        m_group->start();
    else
        m_members.front().job.start();
    for (;;) {
        pollOnce(pollMs);
        const auto now = Clock::now();
        for (auto& m : m_members)
            m.meter.add(now, m.job.snapshot()->bytesDone);
        const bool finished = !handleEvents(now);
        m_commands->runPending();
        completeDemo(now);
        if (finished)
            break;
        tick(now);
    }
    for (auto& m : m_members)
        m.reporter->loopEnded();
    m_commands->answerRest();
    return finish();
}

// Progress: each target's in JSON; on a terminal one line, for several
// targets the slowest one's with how many are done.
void JobDriver::tick(Clock::time_point now)
{
    if (m_members.size() == 1 || m_args.json) {
        for (auto& m : m_members)
            if (!m.finished)
                m.reporter->tick(*m.job.snapshot(), now, m.meter.rate());
        return;
    }
    GroupProgress g;
    g.targets = m_members.size();
    double slowestFraction = 2;
    for (auto& m : m_members) {
        const auto snap = m.job.snapshot();
        if (m.finished) {
            const auto& res = m.job.wait();
            (res.outcome == engine::JobResult::Outcome::Completed ? g.done : g.failed) += 1;
            continue;
        }
        const std::uint64_t total = snap->bytesDone + snap->bytesRemaining;
        const double fraction =
            total > 0 ? static_cast<double>(snap->bytesDone) / static_cast<double>(total) : 1.0;
        if (fraction < slowestFraction) {
            slowestFraction = fraction;
            g.slowestTarget = m.args.target;
            g.slowest = snap;
            g.slowestRate = m.meter.rate();
        }
    }
    if (g.slowest)
        m_members.front().reporter->groupTick(g);
}

void JobDriver::pollOnce(int timeoutMs)
{
    pollfd fds[3] = {
        {m_pipeFds[0], POLLIN, 0}, {m_sigFd, POLLIN, 0}, {m_stdinOpen ? 0 : -1, POLLIN, 0}};
    ::poll(fds, 3, timeoutMs);
    if (fds[1].revents & POLLIN) {
        m_log->info("{}", fill(Cli::tr("%1 received: cancelling"), {readSignalName(m_sigFd)}));
        m_interrupted = true;
        // Whoever sends a signal wants the process gone, not a final
        // copy under a freeze first.
        if (auto r = act(engine::JobVerb::Cancel, 1); !r)
            m_log->debug("{}", r.error().message);
    }
    if (fds[2].revents & (POLLIN | POLLHUP))
        readStdin();
    if (fds[0].revents & POLLIN) {
        char drainBuf[256];
        while (::read(m_pipeFds[0], drainBuf, sizeof drainBuf) > 0) {
        }
    }
}

void JobDriver::readStdin()
{
    char buf[4096];
    const ssize_t n = ::read(0, buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
        // poll again
    } else if (n < 0) {
        // A terminal this process does not own (started with & from
        // a shell): EIO, SIGTTIN being ignored. Not an end of input.
        m_stdinOpen = false;
        m_log->debug("stdin: {}", std::strerror(errno));
    } else if (n == 0) {
        m_stdinOpen = false;
        if (m_args.cancelOnEof) {
            m_log->info("{}", fill(Cli::tr("stdin closed: cancelling")));
            // Whoever held the other end went away (the window closed or
            // killed): an interruption, not a decision to drop the copy.
            m_interrupted = true;
            if (auto r = act(engine::JobVerb::Cancel, 1); !r)
                m_log->debug("{}", r.error().message);
        }
    } else {
        m_commands->takeInput(buf, static_cast<std::size_t>(n));
    }
}

bool JobDriver::handleEvents(Clock::time_point now)
{
    std::deque<std::pair<std::size_t, engine::JobEvent>> events;
    {
        std::lock_guard lock(m_queueMutex);
        events.swap(m_queue);
    }
    for (const auto& [index, ev] : events) {
        Member& m = m_members[index];
        switch (ev.kind) {
        case engine::JobEvent::Kind::StatusChanged:
            m.reporter->statusChanged(ev.to);
            break;
        case engine::JobEvent::Kind::Ready:
            onReady(m, now);
            break;
        case engine::JobEvent::Kind::CompleteFailed:
            onCompleteFailed(m, ev.message);
            break;
        case engine::JobEvent::Kind::Verifying:
            m.reporter->verifying();
            break;
        case engine::JobEvent::Kind::Progress:
            break;
        case engine::JobEvent::Kind::Finished:
            m.finished = true;
            // The others may be all that is left, and all READY.
            finishWhenAllReady();
            break;
        }
    }
    for (const auto& m : m_members)
        if (!m.finished)
            return true;
    return false;
}

void JobDriver::onReady(Member& m, Clock::time_point now)
{
    m_readyAt = now;
    m.everReady = true;
    m.reporter->ready(*m.job.snapshot(),
                      m_args.completeWhenReady || m_args.cancelWhenReady || m_demoWriter);
    finishWhenAllReady();
}

// --complete-when-ready and --cancel-when-ready act once every target that
// still runs is READY: a live source is then frozen once for all of them.
void JobDriver::finishWhenAllReady()
{
    if (m_finishSent || m_demoWriter || !(m_args.completeWhenReady || m_args.cancelWhenReady))
        return;
    bool any = false;
    for (const auto& m : m_members) {
        if (m.finished)
            continue;
        if (m.job.status() != engine::JobStatus::Ready)
            return;
        any = true;
    }
    if (!any)
        return;
    m_finishSent = true;
    if (m_args.completeWhenReady) {
        ++m_completeAttempts;
        m_members.front().reporter->reply(act(engine::JobVerb::Complete, 0));
    } else {
        m_members.front().reporter->reply(act(engine::JobVerb::Cancel, 0));
    }
}

void JobDriver::onCompleteFailed(Member& m, const std::string& reason)
{
    m.reporter->completeFailed(reason);
    // Unattended: try again (the next final copy is shorter, the source
    // having converged once more), then give up.
    if (!m_args.completeWhenReady || m_demoWriter)
        return;
    if (m_completeAttempts < kCompleteAttempts) {
        ++m_completeAttempts;
        m.reporter->reply(m_group ? m_group->complete() : m.job.complete());
        return;
    }
    m_completeGaveUp = true;
    m_log->error("{}", fill(Cli::tr("giving up after %1 attempts to complete; cancelling"),
                            {std::to_string(m_completeAttempts)}));
    m.reporter->reply(act(engine::JobVerb::Cancel, 1));
}

// `demo` completes by itself a while after READY, with its writer running.
void JobDriver::completeDemo(Clock::time_point now)
{
    engine::MirrorJob& job = m_members.front().job;
    if (!m_demoWriter || m_readyAt == Clock::time_point{} ||
        job.status() != engine::JobStatus::Ready ||
        now - m_readyAt < std::chrono::duration<double>(m_liveSeconds))
        return;
    m_log->info("{}", fill(Cli::tr("demo: %1 written by the live writer so far; completing"),
                           {sizeText(m_demoWriter->bytesWritten())}));
    m_readyAt = Clock::time_point{};
    m_members.front().reporter->reply(job.complete());
}

engine::JobStatus JobDriver::status() const
{
    if (!m_group)
        return m_members.front().job.status();
    std::vector<engine::JobStatus> statuses;
    for (const auto& m : m_members)
        statuses.push_back(m.job.finished() ? engine::JobStatus::Concluded : m.job.status());
    return engine::groupStatus(statuses);
}

engine::Result<void> JobDriver::act(engine::JobVerb verb, std::uint64_t argument)
{
    if (m_group) {
        switch (verb) {
        case engine::JobVerb::Complete:
            return m_group->complete();
        case engine::JobVerb::Cancel:
            return m_group->cancel(argument != 0);
        case engine::JobVerb::Pause:
            return m_group->pause();
        case engine::JobVerb::Resume:
            return m_group->resume();
        case engine::JobVerb::SetSpeed:
            return m_group->setSpeed(argument);
        }
    }
    engine::MirrorJob& job = m_members.front().job;
    switch (verb) {
    case engine::JobVerb::Complete:
        return job.complete();
    case engine::JobVerb::Cancel:
        return job.cancel(argument != 0);
    case engine::JobVerb::Pause:
        return job.pause();
    case engine::JobVerb::Resume:
        return job.resume();
    case engine::JobVerb::SetSpeed:
        return job.setSpeed(argument);
    }
    return engine::Error{EINVAL, "unknown verb"};
}

void JobDriver::reportStatus(const std::string& id)
{
    for (auto& m : m_members)
        m.reporter->status(*m.job.snapshot(), id);
}

void JobDriver::closeFds()
{
    ::close(m_pipeFds[0]);
    ::close(m_pipeFds[1]);
    if (m_sigFd >= 0)
        ::close(m_sigFd);
}

int JobDriver::finishMember(std::size_t index, const engine::JobResult& res)
{
    Member& m = m_members[index];
    const auto snap = m.job.snapshot();
    JobEnd end{res, *snap, {}, 0, 0, false, false, {}};
    int code = outcomeExitCode(res, m_completeGaveUp, end.errorText);
    if (m_group && !m_group->dropReason(index).empty())
        end.errorText = m_group->dropReason(index);
    end.unwrittenBytes = rangeBytes(res.unwritable);
    end.unreadableBytes = rangeBytes(res.unreadable);
    end.skipped = end.unwrittenBytes + end.unreadableBytes > 0;
    if (res.verify && !res.verify->identical && code == kExitOk)
        code = kExitDifferent;
    // Skipped ranges explain any difference the verification found; what a
    // script must learn first is that the copy is not whole.
    if (end.skipped && (code == kExitOk || code == kExitDifferent || code == kExitCancelledReady ||
                        code == kExitNotVerified))
        code = kExitSkipped;
    // A file this job created and that never held a whole copy is not left
    // behind as if it were one.
    // A job a signal or an I/O error (a cable pulled) ended goes on from its
    // checkpoint with --resume: its target stays for that. One the user
    // cancelled (before READY or after) is over, its checkpoint with it.
    using Outcome = engine::JobResult::Outcome;
    const engine::JobJournal* journal = m.job.journal();
    const bool ended = res.outcome == Outcome::Aborted || res.outcome == Outcome::Failed;
    const bool failedOnDisk = res.outcome == Outcome::Failed && !res.internalFailure;
    const bool resumable = journal && res.outcome != Outcome::Completed &&
                           (m_interrupted || failedOnDisk) &&
                           ::access(journal->paths().checkpoint.c_str(), F_OK) == 0;
    if (m.targetCreated && !m.everReady && !m_args.keepIncomplete && ended && !resumable)
        end.targetRemoved = removeCreatedTarget(m.job, m.args.target, m_log);
    if (resumable)
        end.checkpoint = journal->paths().checkpoint;
    else if (journal)
        (void)engine::discardSavedJob(journal->paths());
    m.reporter->finished(end);
    return code;
}

int JobDriver::finish()
{
    std::vector<int> codes;
    if (m_group) {
        const engine::GroupResult group = m_group->wait();
        closeFds();
        std::size_t ok = 0;
        for (std::size_t i = 0; i < m_members.size(); ++i) {
            codes.push_back(finishMember(i, group.members[i]));
            ok += codes.back() == kExitOk ? 1 : 0;
        }
        if (!m_args.json)
            m_log->info("{}",
                        fill(Cli::tr("%1 of %2 targets copied; the source was read %3 "
                                     "(%4 of it served to several targets from one read)"),
                             {std::to_string(ok), std::to_string(m_members.size()),
                              sizeText(group.sourceBytesRead), sizeText(group.shared.hitBytes)}));
    } else {
        const engine::JobResult& res = m_members.front().job.wait();
        closeFds();
        codes.push_back(finishMember(0, res));
    }
    return combinedExitCode(codes);
}

} // namespace

int driveJob(const engine::PreparedJob& prepared, const MirrorArgs& a, const engine::Logger& log,
             engine::DemoWriter* demoWriter, double liveSeconds)
{
    std::vector<Member> members;
    members.push_back(Member{*prepared.job, a, prepared.targetCreated, {}, {}});
    return JobDriver(std::move(members), nullptr, prepared.live.get(), a, log, demoWriter,
                     liveSeconds)
        .run();
}

int driveGroup(const engine::PreparedGroup& prepared, const MirrorArgs& a,
               const engine::Logger& log)
{
    std::vector<Member> members;
    for (std::size_t i = 0; i < prepared.group->size(); ++i) {
        MirrorArgs one = a;
        one.target = a.targets.at(i);
        members.push_back(
            Member{prepared.group->member(i), std::move(one), prepared.targetCreated[i], {}, {}});
    }
    return JobDriver(std::move(members), prepared.group.get(), prepared.live.get(), a, log, nullptr,
                     0)
        .run();
}

} // namespace cli
