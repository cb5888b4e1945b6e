// LocalJobController: runs the engine's MirrorJob in this process.
//
//   UI thread                      worker (thread pool)        job thread
//   start() ----------------------> prepareJob() (prepareGroup()
//                                   for several targets): checks,
//                                   create targets, open disks
//   onPrepared() <-----------------'
//     job->start() ---------------------------------------------> copy loop
//   onProgress()  <-- one queued call while one is pending ------ listener
//   onStatus()/onReady()/onFinished() <-- queued, in order ------ listener
//   dispose() --------------------> ~MirrorJob (join), close fds
//   finished / startFailed <--------'
//
// The UI thread never opens, reads, writes or closes a disk: preparation and
// disposal run on the thread pool, the copy on the job's own thread. Progress
// notifications are coalesced: while one queued call is pending the job
// thread posts no other, and the call reads the newest snapshot, so the event
// queue never holds more than one progress call (the engine publishes at most
// every 100 ms).
//
// Jobs keep their checkpoints in engine::defaultStateDir(): one that this
// process does not live to end (killed, crashed, the power gone) or that
// fails (a cable pulled) can go on from there (JobRequest::resume). One the
// user cancels before READY is over: its journal goes with it.
#pragma once

#include "base/logging.h"
#include "bridge/job_controller.h"

#include <QFuture>
#include <QList>

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

namespace ui {

class LocalJobController final : public JobControllerBase
{
    Q_OBJECT

public:
    explicit LocalJobController(engine::Logger log, QObject* parent = nullptr);
    /// Cancels a running job and waits for it and for background work.
    ~LocalJobController() override;

    /// Cells of the dirty map the engine publishes (default 65536; fewer for
    /// disks with fewer granules). Takes effect at the next start().
    void setDirtyMapCells(std::size_t cells) { m_mapCells = cells; }

    void inspectTarget(const QString& source, const QString& target,
                       const QString& expectedTargetId) override;
    void start(const JobRequest& request) override;
    void pause() override;
    void resume() override;
    void complete() override;
    void cancel(bool quick) override;
    void interrupt() override;
    void setSpeed(std::uint64_t bytesPerSecond) override;

private:
    struct Session;
    struct Prepared;

    void onPrepared(const std::shared_ptr<Session>& session, const Prepared& prepared);
    /// Posts the job's events to this thread, tagged with the session's id
    /// and the target's index.
    void relayEvents(Session& session);
    void onProgress(quint64 id, int index);
    void onStatus(quint64 id, int index, engine::JobStatus status);
    void onReady(quint64 id, int index);
    void onCompleteFailed(quint64 id, int index, const QString& why);
    void onFinished(quint64 id, int index);
    bool current(quint64 id) const;
    void publishLatest(int index);
    JobOutcome outcomeOf(int index);
    /// The verb on the job, or on every target's job that it applies to.
    engine::Result<void> act(engine::JobVerb verb, std::uint64_t argument = 0);
    /// Closes the session's job and disks on the thread pool (removing the
    /// target files it created when @p removeCreatedTarget, and the journals
    /// in @p discard), then runs @p then on this thread.
    void dispose(std::shared_ptr<Session> session, bool removeCreatedTarget,
                 std::vector<engine::JournalPaths> discard, std::function<void()> then);
    /// The job is over: idle again, before finished or startFailed says how.
    void conclude();
    void pruneBackground();

    engine::Logger m_log;
    std::size_t m_mapCells = 65536;

    std::shared_ptr<Session> m_session; ///< the running job; null while preparing or idle
    quint64 m_nextId = 1;
    quint64 m_preparingId = 0; ///< non-zero while a preparation runs
    bool m_cancelWhilePreparing = false;
    bool m_interrupted = false;                  ///< interrupt(): the journals stay
    std::vector<std::uint64_t> m_mapGenerations; ///< per target
    JobRequest m_request;
    QList<QFuture<void>> m_background; ///< preparation and disposal, waited for at the end
};

} // namespace ui
