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

class JobDriver
{
public:
    JobDriver(const engine::PreparedJob& prepared, const MirrorArgs& a, const engine::Logger& log,
              engine::DemoWriter* demoWriter, double liveSeconds)
        : m_prepared(prepared), m_job(*prepared.job), m_args(a), m_log(log),
          m_demoWriter(demoWriter), m_liveSeconds(liveSeconds)
    {
    }

    int run();

private:
    bool listen();
    void pollOnce(int timeoutMs);
    void readStdin();
    // Reports the events the job sent since the last turn; false once it
    // has finished.
    bool handleEvents(const engine::JobSnapshot& snap, Clock::time_point now);
    void onReady(const engine::JobSnapshot& snap, Clock::time_point now);
    void onCompleteFailed(const std::string& reason);
    void completeDemo(Clock::time_point now);
    void closeFds();
    int finish();

    const engine::PreparedJob& m_prepared;
    engine::MirrorJob& m_job;
    const MirrorArgs& m_args;
    const engine::Logger& m_log;
    engine::DemoWriter* m_demoWriter;
    double m_liveSeconds;

    int m_sigFd = -1;
    int m_pipeFds[2] = {-1, -1};
    std::mutex m_queueMutex;
    std::deque<engine::JobEvent> m_queue;
    std::unique_ptr<JobReporter> m_reporter;
    std::unique_ptr<CommandQueue> m_commands;
    RateMeter m_meter;
    Clock::time_point m_readyAt{};
    bool m_everReady = false;
    // Read whenever it is open, with --complete-when-ready too: a job that an
    // error policy paused must still be resumable or cancellable from there.
    bool m_stdinOpen = true;
    int m_completeAttempts = 0;
    bool m_completeGaveUp = false;
};

// The job thread's events wait in a queue; a byte in a pipe wakes the loop.
bool JobDriver::listen()
{
    if (::pipe2(m_pipeFds, O_CLOEXEC | O_NONBLOCK) != 0) {
        m_log->error("{}", fill(Cli::tr("cannot create a pipe: %1"), {std::strerror(errno)}));
        return false;
    }
    m_job.setListener([this](const engine::JobEvent& ev) {
        {
            std::lock_guard lock(m_queueMutex);
            m_queue.push_back(ev);
        }
        const char b = 1;
        [[maybe_unused]] const ssize_t n = ::write(m_pipeFds[1], &b, 1);
    });
    return true;
}

int JobDriver::run()
{
    m_sigFd = openCancelSignalFd();
    if (!listen())
        return kExitInternal;
    if (m_args.json)
        m_reporter = makeJsonReporter(m_job, m_args);
    else
        m_reporter = makeTerminalReporter(m_args, m_log);
    m_commands = std::make_unique<CommandQueue>(m_job, *m_reporter, m_args.noCommandQueue);

    if (m_args.mapCells > 0)
        m_job.setDirtyMapCells(m_args.mapCells);
    const int pollMs =
        static_cast<int>(std::min<std::int64_t>(250, m_args.progressInterval.count()));
    m_reporter->started(m_prepared);
    // Reading a terminal from the background must fail, not stop the process.
    ::signal(SIGTTIN, SIG_IGN);
    m_job.start();
    for (;;) {
        pollOnce(pollMs);
        const auto snap = m_job.snapshot();
        const auto now = Clock::now();
        m_meter.add(now, snap->bytesDone);
        const bool finished = !handleEvents(*snap, now);
        m_commands->runPending();
        completeDemo(now);
        if (finished)
            break;
        m_reporter->tick(*snap, now, m_meter.rate());
    }
    m_reporter->loopEnded();
    m_commands->answerRest();
    return finish();
}

void JobDriver::pollOnce(int timeoutMs)
{
    pollfd fds[3] = {
        {m_pipeFds[0], POLLIN, 0}, {m_sigFd, POLLIN, 0}, {m_stdinOpen ? 0 : -1, POLLIN, 0}};
    ::poll(fds, 3, timeoutMs);
    if (fds[1].revents & POLLIN) {
        m_log->info("{}", fill(Cli::tr("%1 received: cancelling"), {readSignalName(m_sigFd)}));
        // Whoever sends a signal wants the process gone, not a final
        // copy under a freeze first.
        auto r = m_job.cancel(true);
        if (!r)
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
            if (auto r = m_job.cancel(true); !r)
                m_log->debug("{}", r.error().message);
        }
    } else {
        m_commands->takeInput(buf, static_cast<std::size_t>(n));
    }
}

bool JobDriver::handleEvents(const engine::JobSnapshot& snap, Clock::time_point now)
{
    std::deque<engine::JobEvent> events;
    {
        std::lock_guard lock(m_queueMutex);
        events.swap(m_queue);
    }
    bool finished = false;
    for (const auto& ev : events) {
        switch (ev.kind) {
        case engine::JobEvent::Kind::StatusChanged:
            m_reporter->statusChanged(ev.to);
            break;
        case engine::JobEvent::Kind::Ready:
            onReady(snap, now);
            break;
        case engine::JobEvent::Kind::CompleteFailed:
            onCompleteFailed(ev.message);
            break;
        case engine::JobEvent::Kind::Verifying:
            m_reporter->verifying();
            break;
        case engine::JobEvent::Kind::Progress:
            break;
        case engine::JobEvent::Kind::Finished:
            finished = true;
            break;
        }
    }
    return !finished;
}

void JobDriver::onReady(const engine::JobSnapshot& snap, Clock::time_point now)
{
    m_readyAt = now;
    m_everReady = true;
    m_reporter->ready(snap, m_args.completeWhenReady || m_args.cancelWhenReady || m_demoWriter);
    if (m_args.completeWhenReady && !m_demoWriter) {
        ++m_completeAttempts;
        m_reporter->reply(m_job.complete());
    } else if (m_args.cancelWhenReady) {
        m_reporter->reply(m_job.cancel(false));
    }
}

void JobDriver::onCompleteFailed(const std::string& reason)
{
    m_reporter->completeFailed(reason);
    // Unattended: try again (the next final copy is shorter, the source
    // having converged once more), then give up.
    if (!m_args.completeWhenReady || m_demoWriter)
        return;
    if (m_completeAttempts < kCompleteAttempts) {
        ++m_completeAttempts;
        m_reporter->reply(m_job.complete());
        return;
    }
    m_completeGaveUp = true;
    m_log->error("{}", fill(Cli::tr("giving up after %1 attempts to complete; cancelling"),
                            {std::to_string(m_completeAttempts)}));
    m_reporter->reply(m_job.cancel(true));
}

// `demo` completes by itself a while after READY, with its writer running.
void JobDriver::completeDemo(Clock::time_point now)
{
    if (!m_demoWriter || m_readyAt == Clock::time_point{} ||
        m_job.status() != engine::JobStatus::Ready ||
        now - m_readyAt < std::chrono::duration<double>(m_liveSeconds))
        return;
    m_log->info("{}", fill(Cli::tr("demo: %1 written by the live writer so far; completing"),
                           {sizeText(m_demoWriter->bytesWritten())}));
    m_readyAt = Clock::time_point{};
    m_reporter->reply(m_job.complete());
}

void JobDriver::closeFds()
{
    ::close(m_pipeFds[0]);
    ::close(m_pipeFds[1]);
    if (m_sigFd >= 0)
        ::close(m_sigFd);
}

int JobDriver::finish()
{
    const engine::JobResult& res = m_job.wait();
    const auto snap = m_job.snapshot();
    closeFds();

    JobEnd end{res, *snap, {}, 0, 0, false, false};
    int code = outcomeExitCode(res, m_completeGaveUp, end.errorText);
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
    if (m_prepared.targetCreated && !m_everReady && !m_args.keepIncomplete &&
        (res.outcome == engine::JobResult::Outcome::Aborted ||
         res.outcome == engine::JobResult::Outcome::Failed))
        end.targetRemoved = removeCreatedTarget(m_job, m_args.target, m_log);
    m_reporter->finished(end);
    return code;
}

} // namespace

int driveJob(const engine::PreparedJob& prepared, const MirrorArgs& a, const engine::Logger& log,
             engine::DemoWriter* demoWriter, double liveSeconds)
{
    return JobDriver(prepared, a, log, demoWriter, liveSeconds).run();
}

} // namespace cli
