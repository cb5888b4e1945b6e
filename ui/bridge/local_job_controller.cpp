#include "bridge/local_job_controller.h"

#include "base/units.h"
#include "job/demo.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <utility>

namespace ui {

// Everything one job owns. The job thread's listener points into it, so it
// is destroyed only after the job (which joins that thread).
struct LocalJobController::Session
{
    quint64 id = 0;
    std::string target;
    bool targetCreated = false;
    engine::DiskIdentity targetIdentity; ///< of the opened target
    std::atomic<bool> progressPending{false};
    std::atomic<engine::MirrorJob*> jobForWriter{nullptr};
    std::unique_ptr<engine::DemoWriter> writer;
    std::unique_ptr<engine::MirrorJob> job;
    /// Kernel write tracking of a block-device source; reports into the job
    /// and freezes the source's file systems at Complete (the job's quiesce
    /// hooks point into it), so it lives exactly as long as the job.
    std::unique_ptr<engine::LiveSource> live;
    std::vector<std::string> liveMounts; ///< mounted from the source at start

    ~Session()
    {
        // The writer and the tracker notify the job, and the job's quiesce
        // hook pauses the writer or freezes the source: stop the feeding
        // threads first, then the job's, then free.
        if (writer)
            writer->stop();
        if (live)
            live->stop();
        job.reset();
        live.reset();
        writer.reset();
    }
};

struct LocalJobController::Prepared
{
    std::optional<engine::Error> error;
};

namespace {

std::string toStd(const QString& s)
{
    return s.toStdString();
}

} // namespace

LocalJobController::LocalJobController(engine::Logger log, QObject* parent)
    : JobControllerBase(parent), m_log(engine::orNull(std::move(log)))
{
}

LocalJobController::~LocalJobController()
{
    if (m_session) {
        if (m_session->job && !m_session->job->finished())
            m_log->info("closing: cancelling the running mirror");
        // Synchronous on purpose: nothing of the job may outlive its owner.
        m_session.reset();
    }
    for (auto& f : m_background)
        f.waitForFinished();
}

void LocalJobController::pruneBackground()
{
    m_background.erase(std::remove_if(m_background.begin(), m_background.end(),
                                      [](const QFuture<void>& f) { return f.isFinished(); }),
                       m_background.end());
}

bool LocalJobController::current(quint64 id) const
{
    return m_session && m_session->id == id;
}

void LocalJobController::inspectTarget(const QString& source, const QString& target,
                                       const QString& expectedTargetId)
{
    auto* watcher = new QFutureWatcher<TargetInspection>(this);
    connect(watcher, &QFutureWatcher<TargetInspection>::finished, this, [this, watcher] {
        watcher->deleteLater();
        Q_EMIT targetInspected(watcher->result());
    });
    watcher->setFuture(QtConcurrent::run([source, target, expectedTargetId] {
        auto review = engine::reviewTarget(toStd(source), toStd(target), toStd(expectedTargetId));
        TargetInspection out;
        out.source = source;
        out.target = target;
        out.expectedTargetId = expectedTargetId;
        out.refusal = std::move(review.refusal);
        out.facts = std::move(review.facts);
        out.device = std::move(review.device);
        out.partitions = std::move(review.partitions);
        return out;
    }));
}

void LocalJobController::start(const JobRequest& request)
{
    if (m_active) {
        refuseBusy(engine::JobVerb::Cancel);
        return;
    }
    pruneBackground();
    m_request = request;
    m_active = true;
    m_completionRequested = false;
    m_cancelWhilePreparing = false;
    m_snapshot.reset();
    m_mapGeneration = 0;
    m_status = engine::JobStatus::Created;
    Q_EMIT statusChanged(m_status);

    auto session = std::make_shared<Session>();
    session->id = m_nextId++;
    session->target = toStd(request.target);
    m_preparingId = session->id;

    auto* watcher = new QFutureWatcher<Prepared>(this);
    connect(watcher, &QFutureWatcher<Prepared>::finished, this, [this, watcher, session] {
        watcher->deleteLater();
        onPrepared(session, watcher->result());
    });
    const engine::Logger log = m_log;
    auto future = QtConcurrent::run([session, request, log]() -> Prepared {
        Session* s = session.get();
        engine::JobSetup setup;
        setup.source = toStd(request.source);
        setup.target = toStd(request.target);
        setup.options = request.settings;
        setup.allowDataOnTarget = request.overwriteConfirmed;
        setup.expectedTargetId = toStd(request.expectedTargetId);
        s->targetCreated = false;
        if (request.demoWriter) {
            s->writer = std::make_unique<engine::DemoWriter>(
                setup.source, request.demoWriterRate,
                [s](std::uint64_t offset, std::uint64_t length) {
                    if (auto* job = s->jobForWriter.load())
                        job->notifyWrite(offset, length);
                },
                log);
            engine::DemoWriter* writer = s->writer.get();
            // The demo's workload ends with the job, so that the finished
            // copy can be compared with the source afterwards.
            setup.quiescer = engine::makeQuiescer([writer]() -> engine::Result<void> {
                writer->pause();
                return {};
            });
        }
        auto prepared = engine::prepareJob(std::move(setup), log);
        if (!prepared)
            return Prepared{prepared.error()};
        s->targetCreated = prepared->targetCreated;
        s->targetIdentity = prepared->job->target().identity();
        s->live = std::move(prepared->live);
        s->job = std::move(prepared->job);
        if (s->live)
            s->liveMounts = s->live->mountPoints();
        s->jobForWriter.store(s->job.get());
        if (s->writer) {
            if (auto r = s->writer->start(); !r)
                return Prepared{r.error()};
        }
        return Prepared{};
    });
    watcher->setFuture(future);
    m_background.append(QFuture<void>(future));
}

void LocalJobController::onPrepared(const std::shared_ptr<Session>& session,
                                    const Prepared& prepared)
{
    if (session->id != m_preparingId)
        return;
    m_preparingId = 0;
    if (prepared.error || m_cancelWhilePreparing) {
        if (!prepared.error) {
            m_log->info("cancelled before the mirror started; the target was not changed");
            JobOutcome outcome;
            outcome.outcome = engine::JobResult::Outcome::Aborted;
            outcome.source = m_request.source;
            outcome.target = m_request.target;
            dispose(session, true, [this, outcome] {
                conclude();
                Q_EMIT finished(outcome);
            });
        } else {
            m_log->error("cannot start the mirror: {}", prepared.error->message);
            dispose(session, true, [this, error = *prepared.error] {
                conclude();
                Q_EMIT startFailed(error);
            });
        }
        return;
    }

    m_session = session;
    engine::MirrorJob& job = *session->job;
    job.setDirtyMapCells(m_mapCells);

    relayEvents(*session);
    const auto& o = job.options();
    m_log->debug("job started: speed limit {}{}",
                 o.speed ? engine::formatRate(static_cast<double>(o.speed)) : "unlimited",
                 m_request.demoWriter ? ", the demo writer changes the source" : "");
    job.start();
    m_snapshot = job.snapshot();
    Q_EMIT started();
    if (m_request.settings.speed != o.speed) {
        if (auto r = job.setSpeed(m_request.settings.speed); !r)
            Q_EMIT commandFailed(engine::JobVerb::SetSpeed, r.error());
    }
}

// The listener runs on the job thread: it posts only, never blocks. A queued
// call to a destroyed QObject is dropped; the controller outlives the job anyway.
void LocalJobController::relayEvents(Session& session)
{
    const quint64 id = session.id;
    Session* s = &session;
    session.job->setListener([this, id, s](const engine::JobEvent& ev) {
        using Kind = engine::JobEvent::Kind;
        switch (ev.kind) {
        case Kind::Progress:
            if (!s->progressPending.exchange(true))
                QMetaObject::invokeMethod(
                    this, [this, id] { onProgress(id); }, Qt::QueuedConnection);
            break;
        case Kind::StatusChanged: {
            const engine::JobStatus to = ev.to;
            QMetaObject::invokeMethod(
                this, [this, id, to] { onStatus(id, to); }, Qt::QueuedConnection);
            break;
        }
        case Kind::Ready:
            QMetaObject::invokeMethod(
                this, [this, id] { onReady(id); }, Qt::QueuedConnection);
            break;
        case Kind::Finished:
            QMetaObject::invokeMethod(
                this, [this, id] { onFinished(id); }, Qt::QueuedConnection);
            break;
        case Kind::CompleteFailed: {
            const QString why = QString::fromStdString(ev.message);
            QMetaObject::invokeMethod(
                this, [this, id, why] { onCompleteFailed(id, why); }, Qt::QueuedConnection);
            break;
        }
        case Kind::Verifying:
            if (!s->progressPending.exchange(true))
                QMetaObject::invokeMethod(
                    this, [this, id] { onProgress(id); }, Qt::QueuedConnection);
            break;
        }
    });
}

void LocalJobController::publishLatest()
{
    engine::MirrorJob& job = *m_session->job;
    m_session->progressPending.store(false);
    if (auto snap = job.snapshot(); snap && snap != m_snapshot) {
        m_snapshot = std::move(snap);
        Q_EMIT progressChanged(m_snapshot);
    }
    if (auto map = job.dirtyMap(); map && map->generation != m_mapGeneration) {
        m_mapGeneration = map->generation;
        Q_EMIT dirtyMapChanged(map);
    }
}

void LocalJobController::onProgress(quint64 id)
{
    if (current(id))
        publishLatest();
}

void LocalJobController::onStatus(quint64 id, engine::JobStatus status)
{
    if (!current(id))
        return;
    publishLatest();
    setStatus(status);
}

void LocalJobController::onReady(quint64 id)
{
    if (!current(id))
        return;
    publishLatest();
    Q_EMIT ready();
}

void LocalJobController::onCompleteFailed(quint64 id, const QString& why)
{
    if (!current(id))
        return;
    publishLatest();
    m_completionRequested = false;
    Q_EMIT statusChanged(m_status);
    Q_EMIT completeFailed(why);
}

void LocalJobController::onFinished(quint64 id)
{
    if (!current(id))
        return;
    publishLatest();
    // The job set its result before it reported Finished: this returns at once.
    const engine::JobResult& r = m_session->job->wait();
    JobOutcome outcome;
    outcome.outcome = r.outcome;
    outcome.error = r.error;
    outcome.sourceFailed = r.sourceFailed;
    outcome.verify = r.verify;
    outcome.verifyCancelled = r.verifyCancelled;
    outcome.quiesceSeconds = r.quiesceSeconds;
    outcome.powerCutCopy = r.powerCutCopy;
    outcome.powerCutReason = QString::fromStdString(r.powerCutReason);
    outcome.pastEndBytes = r.pastEndBytes;
    outcome.pastEndWiped = r.pastEndWiped;
    outcome.elapsedSeconds = r.elapsedSeconds;
    outcome.bytesDone = r.bytesDone;
    outcome.bytesZeroed = r.bytesZeroed;
    outcome.unreadableRanges = r.unreadable.size();
    outcome.unwritableRanges = r.unwritable.size();
    outcome.source = m_request.source;
    outcome.target = m_request.target;
    outcome.liveSource = m_session->live != nullptr;
    for (const auto& m : m_session->liveMounts)
        outcome.frozenMountPoints.append(QString::fromStdString(m));
    outcome.targetCreated = m_session->targetCreated;
    if (outcome.targetCreated) {
        outcome.targetDevice = static_cast<std::uint64_t>(m_session->targetIdentity.dev);
        outcome.targetInode = static_cast<std::uint64_t>(m_session->targetIdentity.ino);
    }

    switch (r.outcome) {
    case engine::JobResult::Outcome::Completed:
        m_log->info(
            "completed: {} is identical to {} as of the final copy (source quiesced "
            "{:.3f} s){}",
            toStd(m_request.target), toStd(m_request.source), r.quiesceSeconds,
            r.verify ? (r.verify->identical ? "; verified identical" : "; verify: DIFFERENT") : "");
        break;
    case engine::JobResult::Outcome::Cancelled:
        if (r.powerCutCopy)
            m_log->warn("cancelled after READY without a final copy: {} is like {} after a power "
                        "cut (its file systems need a check or a journal replay; the last writes "
                        "are missing)",
                        toStd(m_request.target), toStd(m_request.source));
        else
            m_log->info("cancelled after READY: {} is a consistent copy of {} as of the final "
                        "copy (source quiesced {:.3f} s)",
                        toStd(m_request.target), toStd(m_request.source), r.quiesceSeconds);
        break;
    case engine::JobResult::Outcome::Aborted:
        m_log->warn("cancelled before READY: {} is incomplete", toStd(m_request.target));
        break;
    case engine::JobResult::Outcome::Failed:
        m_log->error("failed: {}", r.error.message);
        break;
    }

    dispose(std::exchange(m_session, nullptr), false, [this, outcome] {
        conclude();
        Q_EMIT finished(outcome);
    });
}

void LocalJobController::conclude()
{
    m_active = false;
    setStatus(engine::JobStatus::Concluded);
}

void LocalJobController::dispose(std::shared_ptr<Session> session, bool removeCreatedTarget,
                                 std::function<void()> then)
{
    // Joining the job's thread and closing its disks may block (a flush on
    // close, a failing device): never on the UI thread.
    pruneBackground();
    QFuture<void> disposal =
        QtConcurrent::run([session = std::move(session), removeCreatedTarget]() mutable {
            const bool remove = removeCreatedTarget && session->targetCreated;
            const std::string target = session->target;
            session.reset();
            if (remove)
                ::unlink(target.c_str());
        });
    // The job ends for the window when its disks are closed, as a helper's
    // ends when the process has exited: what the window does next (list the
    // target again, check it for the next job, delete it) must not find this
    // process still writing it.
    auto* watcher = new QFutureWatcher<void>(this);
    connect(watcher, &QFutureWatcher<void>::finished, this, [watcher, then = std::move(then)] {
        watcher->deleteLater();
        then();
    });
    watcher->setFuture(disposal);
    m_background.append(disposal);
}

void LocalJobController::pause()
{
    if (!m_session)
        return refuseNotStarted(engine::JobVerb::Pause);
    if (auto r = m_session->job->pause(); !r)
        Q_EMIT commandFailed(engine::JobVerb::Pause, r.error());
}

void LocalJobController::resume()
{
    if (!m_session)
        return refuseNotStarted(engine::JobVerb::Resume);
    if (auto r = m_session->job->resume(); !r)
        Q_EMIT commandFailed(engine::JobVerb::Resume, r.error());
}

void LocalJobController::complete()
{
    if (!m_session)
        return refuseNotStarted(engine::JobVerb::Complete);
    if (auto r = m_session->job->complete(); !r) {
        Q_EMIT commandFailed(engine::JobVerb::Complete, r.error());
        return;
    }
    m_completionRequested = true;
    m_log->info("completing: quiescing the source for the final copy");
    Q_EMIT statusChanged(m_status);
}

void LocalJobController::cancel(bool quick)
{
    if (!m_active)
        return;
    if (!m_session) {
        m_cancelWhilePreparing = true;
        return;
    }
    if (auto r = m_session->job->cancel(quick); !r)
        Q_EMIT commandFailed(engine::JobVerb::Cancel, r.error());
}

void LocalJobController::setSpeed(std::uint64_t bytesPerSecond)
{
    m_request.settings.speed = bytesPerSecond;
    if (!m_session)
        return; // applied when the prepared job starts
    if (auto r = m_session->job->setSpeed(bytesPerSecond); !r)
        Q_EMIT commandFailed(engine::JobVerb::SetSpeed, r.error());
    else
        m_log->info("speed limit: {}", bytesPerSecond
                                           ? engine::formatRate(static_cast<double>(bytesPerSecond))
                                           : std::string("unlimited"));
}

} // namespace ui
