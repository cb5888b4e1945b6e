#include "bridge/local_job_controller.h"

#include "base/units.h"
#include "bridge/export_probe.h"
#include "io/nbd_connection.h"
#include "job/demo.h"

#include <QDir>
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
    std::vector<std::string> targets;
    std::vector<bool> targetCreated;
    std::vector<engine::DiskIdentity> targetIdentity; ///< of each opened target
    /// Per target: a progress call is queued and not yet run.
    std::unique_ptr<std::atomic<bool>[]> progressPending;
    std::atomic<engine::MirrorJob*> jobForWriter{nullptr};
    std::atomic<engine::MirrorGroup*> groupForWriter{nullptr};
    std::unique_ptr<engine::DemoWriter> writer;
    std::unique_ptr<engine::MirrorJob> job;     ///< one target
    std::unique_ptr<engine::MirrorGroup> group; ///< several targets
    /// Kernel write tracking of a block-device source; reports into the job
    /// and freezes the source's file systems at Complete (the job's quiesce
    /// hooks point into it), so it lives exactly as long as the job.
    std::unique_ptr<engine::LiveSource> live;
    std::vector<std::string> liveMounts; ///< mounted from the source at start

    explicit Session(const JobRequest& request)
    {
        for (const RequestTarget& t : request.targets)
            targets.push_back(t.path.toStdString());
        targetCreated.assign(targets.size(), false);
        targetIdentity.resize(targets.size());
        progressPending = std::make_unique<std::atomic<bool>[]>(targets.size());
    }

    std::size_t size() const { return targets.size(); }
    engine::MirrorJob& member(std::size_t index) { return group ? group->member(index) : *job; }
    bool finished() const { return group ? group->finished() : job->finished(); }

    /// The journals of the jobs @p which picks (by target), where they keep
    /// one.
    std::vector<engine::JournalPaths> journals(const std::vector<bool>& which)
    {
        std::vector<engine::JournalPaths> out;
        if (!job && !group)
            return out;
        for (std::size_t i = 0; i < size() && i < which.size(); ++i)
            if (which[i])
                if (const engine::JobJournal* journal = member(i).journal())
                    out.push_back(journal->paths());
        return out;
    }

    ~Session()
    {
        // The writer and the tracker notify the job, and the job's quiesce
        // hook pauses the writer or freezes the source: stop the feeding
        // threads first, then the job's, then free.
        if (writer)
            writer->stop();
        if (live)
            live->stop();
        group.reset();
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

// Where the job keeps its checkpoints; empty: none. The demo's images are
// made afresh each run, so there is nothing to resume. A state directory
// that cannot be made costs only the resumability, not the copy.
std::string checkpointDir(const JobRequest& request, const engine::Logger& log)
{
    if (request.demoWriter && !request.resume)
        return {};
    const std::string dir = engine::defaultStateDir();
    if (!request.resume && !QDir().mkpath(QString::fromStdString(dir))) {
        log->warn("cannot create the state directory {}: this mirror keeps no checkpoints, and "
                  "an interruption starts it from the beginning",
                  dir);
        return {};
    }
    return dir;
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
    // An export is reviewed by its server's answers, on a thread of its own:
    // a silent server must not hold a thread the pool is waited for.
    if (engine::isNbdUri(target.toStdString())) {
        inspectExport(this, source, target, expectedTargetId, m_log,
                      [this](const TargetInspection& i) { Q_EMIT targetInspected(i); });
        return;
    }
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
    if (request.targets.isEmpty()) {
        Q_EMIT startFailed(engine::Error{EINVAL, "no target chosen"});
        return;
    }
    pruneBackground();
    m_request = request;
    m_active = true;
    m_completionRequested = false;
    m_cancelWhilePreparing = false;
    m_interrupted = false;
    m_snapshot.reset();
    m_mapGenerations.assign(static_cast<std::size_t>(request.targets.size()), 0);
    beginTargets(request);
    m_status = engine::JobStatus::Created;
    Q_EMIT statusChanged(m_status);

    auto session = std::make_shared<Session>(request);
    session->id = m_nextId++;
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
        setup.options = request.settings;
        setup.stateDir = checkpointDir(request, log);
        setup.resume = request.resume;
        if (request.demoWriter) {
            s->writer = std::make_unique<engine::DemoWriter>(
                setup.source, request.demoWriterRate,
                [s](std::uint64_t offset, std::uint64_t length) {
                    if (auto* group = s->groupForWriter.load())
                        group->notifyWrite(offset, length);
                    else if (auto* job = s->jobForWriter.load())
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
        if (request.targets.size() == 1) {
            const RequestTarget& t = request.targets.front();
            setup.target = toStd(t.path);
            setup.allowDataOnTarget = t.overwriteConfirmed;
            setup.expectedTargetId = toStd(t.expectedId);
            auto prepared = engine::prepareJob(std::move(setup), log);
            if (!prepared)
                return Prepared{prepared.error()};
            s->targetCreated[0] = prepared->targetCreated;
            s->targetIdentity[0] = prepared->job->target().identity();
            s->live = std::move(prepared->live);
            s->job = std::move(prepared->job);
            s->jobForWriter.store(s->job.get());
        } else {
            engine::GroupSetup group;
            group.common = std::move(setup);
            for (const RequestTarget& t : request.targets)
                group.targets.push_back({toStd(t.path), toStd(t.expectedId), t.overwriteConfirmed});
            auto prepared = engine::prepareGroup(std::move(group), log);
            if (!prepared)
                return Prepared{prepared.error()};
            for (std::size_t i = 0; i < s->size(); ++i) {
                s->targetCreated[i] = prepared->targetCreated[i];
                s->targetIdentity[i] = prepared->group->member(i).target().identity();
            }
            s->live = std::move(prepared->live);
            s->group = std::move(prepared->group);
            s->groupForWriter.store(s->group.get());
        }
        if (s->live)
            s->liveMounts = s->live->mountPoints();
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
            for (int i = 0; i < static_cast<int>(session->size()); ++i) {
                JobOutcome outcome;
                outcome.outcome = engine::JobResult::Outcome::Aborted;
                outcome.source = m_request.source;
                outcome.target = m_request.targets[i].path;
                targetFinished(i, outcome);
            }
            // Ended before it started: nothing was copied, nothing to resume.
            dispose(session, true, session->journals(std::vector<bool>(session->size(), true)),
                    [this, outcome = jobOutcome()] {
                        conclude();
                        Q_EMIT finished(outcome);
                    });
        } else {
            m_log->error("cannot start the mirror: {}", prepared.error->message);
            dispose(session, true, {}, [this, error = *prepared.error] {
                conclude();
                Q_EMIT startFailed(error);
            });
        }
        return;
    }

    m_session = session;
    for (std::size_t i = 0; i < session->size(); ++i)
        session->member(i).setDirtyMapCells(m_mapCells);

    relayEvents(*session);
    const auto& o = session->member(0).options();
    m_log->debug("job started: speed limit {}{}",
                 o.speed ? engine::formatRate(static_cast<double>(o.speed)) : "unlimited",
                 m_request.demoWriter ? ", the demo writer changes the source" : "");
    if (session->group)
        session->group->start();
    else
        session->job->start();
    for (std::size_t i = 0; i < session->size(); ++i)
        targetProgress(static_cast<int>(i), session->member(i).snapshot());
    Q_EMIT started();
    if (m_request.settings.speed != o.speed) {
        if (auto r = act(engine::JobVerb::SetSpeed, m_request.settings.speed); !r)
            Q_EMIT commandFailed(engine::JobVerb::SetSpeed, r.error());
    }
}

// The listener runs on the job thread: it posts only, never blocks. A queued
// call to a destroyed QObject is dropped; the controller outlives the job anyway.
void LocalJobController::relayEvents(Session& session)
{
    const quint64 id = session.id;
    Session* s = &session;
    auto relay = [this, id, s](int index, const engine::JobEvent& ev) {
        using Kind = engine::JobEvent::Kind;
        switch (ev.kind) {
        case Kind::Progress:
        case Kind::Verifying:
            if (!s->progressPending[static_cast<std::size_t>(index)].exchange(true))
                QMetaObject::invokeMethod(
                    this, [this, id, index] { onProgress(id, index); }, Qt::QueuedConnection);
            break;
        case Kind::StatusChanged: {
            const engine::JobStatus to = ev.to;
            QMetaObject::invokeMethod(
                this, [this, id, index, to] { onStatus(id, index, to); }, Qt::QueuedConnection);
            break;
        }
        case Kind::Ready:
            QMetaObject::invokeMethod(
                this, [this, id, index] { onReady(id, index); }, Qt::QueuedConnection);
            break;
        case Kind::Finished:
            QMetaObject::invokeMethod(
                this, [this, id, index] { onFinished(id, index); }, Qt::QueuedConnection);
            break;
        case Kind::CompleteFailed: {
            const QString why = QString::fromStdString(ev.message);
            QMetaObject::invokeMethod(
                this, [this, id, index, why] { onCompleteFailed(id, index, why); },
                Qt::QueuedConnection);
            break;
        }
        }
    };
    if (session.group)
        session.group->setListener([relay](std::size_t index, const engine::JobEvent& ev) {
            relay(static_cast<int>(index), ev);
        });
    else
        session.job->setListener([relay](const engine::JobEvent& ev) { relay(0, ev); });
}

void LocalJobController::publishLatest(int index)
{
    const auto i = static_cast<std::size_t>(index);
    engine::MirrorJob& job = m_session->member(i);
    m_session->progressPending[i].store(false);
    if (auto snap = job.snapshot(); snap && snap != targets()[i].snapshot)
        targetProgress(index, std::move(snap));
    if (auto map = job.dirtyMap(); map && map->generation != m_mapGenerations[i]) {
        m_mapGenerations[i] = map->generation;
        targetMap(index, std::move(map));
    }
}

void LocalJobController::onProgress(quint64 id, int index)
{
    if (current(id))
        publishLatest(index);
}

void LocalJobController::onStatus(quint64 id, int index, engine::JobStatus status)
{
    if (!current(id))
        return;
    publishLatest(index);
    targetStatus(index, status);
}

void LocalJobController::onReady(quint64 id, int index)
{
    if (!current(id))
        return;
    publishLatest(index);
    targetReady(index);
}

void LocalJobController::onCompleteFailed(quint64 id, int index, const QString& why)
{
    if (!current(id))
        return;
    publishLatest(index);
    // Several targets complete under one freeze: one failure speaks for all.
    if (!m_completionRequested)
        return;
    m_completionRequested = false;
    Q_EMIT statusChanged(m_status);
    Q_EMIT completeFailed(why);
}

JobOutcome LocalJobController::outcomeOf(int index)
{
    const auto i = static_cast<std::size_t>(index);
    Session& s = *m_session;
    // The job set its result before it reported Finished: this returns at once.
    const engine::JobResult& r = s.member(i).wait();
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
    outcome.target = m_request.targets[index].path;
    outcome.liveSource = s.live != nullptr;
    for (const auto& m : s.liveMounts)
        outcome.frozenMountPoints.append(QString::fromStdString(m));
    outcome.targetCreated = s.targetCreated[i];
    if (outcome.targetCreated) {
        outcome.targetDevice = static_cast<std::uint64_t>(s.targetIdentity[i].dev);
        outcome.targetInode = static_cast<std::uint64_t>(s.targetIdentity[i].ino);
    }
    if (s.group)
        outcome.droppedReason = QString::fromStdString(s.group->dropReason(i));

    const std::string target = toStd(outcome.target);
    const std::string source = toStd(m_request.source);
    switch (r.outcome) {
    case engine::JobResult::Outcome::Completed:
        m_log->info(
            "completed: {} is identical to {} as of the final copy (source quiesced "
            "{:.3f} s){}",
            target, source, r.quiesceSeconds,
            r.verify ? (r.verify->identical ? "; verified identical" : "; verify: DIFFERENT") : "");
        break;
    case engine::JobResult::Outcome::Cancelled:
        if (r.powerCutCopy)
            m_log->warn("cancelled after READY without a final copy: {} is like {} after a power "
                        "cut (its file systems need a check or a journal replay; the last writes "
                        "are missing)",
                        target, source);
        else
            m_log->info("cancelled after READY: {} is a consistent copy of {} as of the final "
                        "copy (source quiesced {:.3f} s)",
                        target, source, r.quiesceSeconds);
        break;
    case engine::JobResult::Outcome::Aborted:
        if (!outcome.droppedReason.isEmpty())
            m_log->warn("{} dropped: {}", target, toStd(outcome.droppedReason));
        else
            m_log->warn("cancelled before READY: {} is incomplete", target);
        break;
    case engine::JobResult::Outcome::Failed:
        m_log->error("failed{}: {}", s.size() > 1 ? " (" + target + ")" : std::string(),
                     r.error.message);
        break;
    }
    return outcome;
}

void LocalJobController::onFinished(quint64 id, int index)
{
    if (!current(id))
        return;
    publishLatest(index);
    if (!targetFinished(index, outcomeOf(index)))
        return;
    // As the CLI does: a job the user cancelled (before READY or after), or
    // dropped, is over; one that failed (a cable pulled) or was interrupted
    // goes on from its checkpoint when resumed, as one does that this
    // process did not live to end.
    using Outcome = engine::JobResult::Outcome;
    std::vector<bool> over;
    for (const TargetState& t : targets())
        over.push_back(
            !m_interrupted && t.outcome &&
            (t.outcome->outcome == Outcome::Aborted || t.outcome->outcome == Outcome::Cancelled));
    std::vector<engine::JournalPaths> discard = m_session->journals(over);
    dispose(std::exchange(m_session, nullptr), false, std::move(discard),
            [this, outcome = jobOutcome()] {
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
                                 std::vector<engine::JournalPaths> discard,
                                 std::function<void()> then)
{
    // Joining the job's thread and closing its disks may block (a flush on
    // close, a failing device): never on the UI thread.
    pruneBackground();
    QFuture<void> disposal =
        QtConcurrent::run([session = std::move(session), removeCreatedTarget,
                           discard = std::move(discard), log = m_log]() mutable {
            std::vector<std::string> remove;
            for (std::size_t i = 0; i < session->size(); ++i)
                if (removeCreatedTarget && session->targetCreated[i])
                    remove.push_back(session->targets[i]);
            session.reset();
            for (const std::string& target : remove)
                ::unlink(target.c_str());
            // After the job closed them: nothing writes the journal again.
            for (const engine::JournalPaths& paths : discard) {
                if (auto r = engine::discardSavedJob(paths); !r)
                    log->warn("cannot remove the checkpoint {}: {}", paths.checkpoint,
                              r.error().message);
                else
                    log->debug("checkpoint {} removed: the mirror was cancelled", paths.checkpoint);
            }
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

engine::Result<void> LocalJobController::act(engine::JobVerb verb, std::uint64_t argument)
{
    Session& s = *m_session;
    switch (verb) {
    case engine::JobVerb::Complete:
        return s.group ? s.group->complete() : s.job->complete();
    case engine::JobVerb::Cancel:
        return s.group ? s.group->cancel(argument != 0) : s.job->cancel(argument != 0);
    case engine::JobVerb::Pause:
        return s.group ? s.group->pause() : s.job->pause();
    case engine::JobVerb::Resume:
        return s.group ? s.group->resume() : s.job->resume();
    case engine::JobVerb::SetSpeed:
        return s.group ? s.group->setSpeed(argument) : s.job->setSpeed(argument);
    }
    return engine::Error{EINVAL, "unknown command"};
}

void LocalJobController::pause()
{
    if (!m_session)
        return refuseNotStarted(engine::JobVerb::Pause);
    if (auto r = act(engine::JobVerb::Pause); !r)
        Q_EMIT commandFailed(engine::JobVerb::Pause, r.error());
}

void LocalJobController::resume()
{
    if (!m_session)
        return refuseNotStarted(engine::JobVerb::Resume);
    if (auto r = act(engine::JobVerb::Resume); !r)
        Q_EMIT commandFailed(engine::JobVerb::Resume, r.error());
}

void LocalJobController::complete()
{
    if (!m_session)
        return refuseNotStarted(engine::JobVerb::Complete);
    if (auto r = act(engine::JobVerb::Complete); !r) {
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
    if (auto r = act(engine::JobVerb::Cancel, quick ? 1 : 0); !r)
        Q_EMIT commandFailed(engine::JobVerb::Cancel, r.error());
}

void LocalJobController::interrupt()
{
    if (!m_active)
        return;
    m_interrupted = true;
    cancel(true);
}

void LocalJobController::setSpeed(std::uint64_t bytesPerSecond)
{
    m_request.settings.speed = bytesPerSecond;
    if (!m_session)
        return; // applied when the prepared job starts
    if (auto r = act(engine::JobVerb::SetSpeed, bytesPerSecond); !r)
        Q_EMIT commandFailed(engine::JobVerb::SetSpeed, r.error());
    else
        m_log->info("speed limit: {}", bytesPerSecond
                                           ? engine::formatRate(static_cast<double>(bytesPerSecond))
                                           : std::string("unlimited"));
}

} // namespace ui
