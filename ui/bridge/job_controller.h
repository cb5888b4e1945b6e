// JobController: what the main window knows about a mirror job.
//
// The window talks only to this interface: commands in (inspect, start,
// pause, resume, complete, cancel, set speed), signals out, always on the UI
// thread, carrying immutable values (snapshots shared by pointer, never the
// live engine state). LocalJobController runs the engine in this process on
// its own threads; a controller that drives a privileged helper process
// through the CLI's JSON protocol implements the same interface, so the
// window does not change when a job needs root.
//
//   inspectTarget() --> targetInspected          (checks + what the target holds)
//   start()         --> started | startFailed    (preparation on a worker)
//                   --> statusChanged*, progressChanged*, dirtyMapChanged*,
//                       targetChanged*, ready, completeFailed*,
//                       commandFailed*, finished      (about 10 Hz at most)
//
// A job may have several targets (one source copied to all of them at
// once). Commands act on all; statusChanged carries engine::groupStatus of
// the targets still copying, and ready comes when every one of them is
// READY; progressChanged and dirtyMapChanged are about the shown target
// (showTarget), targetChanged about any one of them (targets()).
//
// finished and startFailed come once the job has let go of its disks (its
// descriptors closed, a target it created and did not use removed): the
// window may list, check or delete the target at once.
#pragma once

#include "bridge/job_settings.h"
#include "device/device_catalog.h"
#include "job/mirror_job.h"
#include "rules/job_setup.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace ui {

using SnapshotPtr = std::shared_ptr<const engine::JobSnapshot>;
using DirtyMapPtr = std::shared_ptr<const engine::DirtyMapSnapshot>;

inline constexpr std::uint64_t kDemoWriterRate = 8ull << 20;

/// One target of a job, as the user chose and confirmed it.
struct RequestTarget
{
    QString path; ///< created as a sparse file of the source's size when missing
    /// What the user confirmed as this target (engine::JobSetup::
    /// expectedTargetId): the stable identity of a block device
    /// (engine::DeviceInfo::stableId), or an image file's identity as the
    /// inspection found it (engine::imageFileId, or "absent" for a file the
    /// job creates). Anything else under that path when the job opens it is
    /// refused. Empty: nothing to check.
    QString expectedId;
    /// The user typed the target's name to accept that the partitions or
    /// data on this target block device are overwritten.
    bool overwriteConfirmed = false;
};

struct JobRequest
{
    QString source;
    /// One or more (up to engine::kMaxTargets): with several, one source
    /// is copied to all of them at once (engine::MirrorGroup).
    QList<RequestTarget> targets;
    engine::JobOptions settings;
    /// Demo mode: a writer keeps changing the source while it is mirrored.
    bool demoWriter = false;
    std::uint64_t demoWriterRate = kDemoWriterRate;
    /// Go on from the checkpoint an interrupted job of this source and
    /// target left (engine::JobSetup::resume); refused when there is none
    /// or it is another job's.
    bool resume = false;
};

/// The answer to inspectTarget(): whether the rules accept the target for
/// this source, and what it holds now.
struct TargetInspection
{
    QString source;
    QString target;
    QString expectedTargetId;
    std::optional<engine::Error> refusal;
    engine::TargetFacts facts;
    /// A block-device target as the catalog sees it now, and its partitions
    /// (with their file systems and labels), for the confirmation.
    std::optional<engine::DeviceInfo> device;
    std::vector<engine::DeviceInfo> partitions;
};

/// How a job ended, for the window's summary and dialogs.
struct JobOutcome
{
    engine::JobResult::Outcome outcome = engine::JobResult::Outcome::Failed;
    engine::Error error;       ///< with Failed
    bool sourceFailed = false; ///< with Failed: the source, not the target, failed
    std::optional<engine::VerifyReport> verify;
    bool verifyCancelled = false; ///< completed, but its verification was cancelled
    double quiesceSeconds = 0;    ///< how long the source was quiesced (frozen) at Complete
    /// Cancelled without a quiesce on a live source: like a power cut.
    bool powerCutCopy = false;
    QString powerCutReason; ///< the engine's words (English), with powerCutCopy
    /// Target bytes past the source's end, and whether the job cleared them.
    std::uint64_t pastEndBytes = 0;
    bool pastEndWiped = false;
    double elapsedSeconds = 0;
    /// A block-device source whose writes were tracked by the kernel.
    bool liveSource = false;
    /// The file systems mounted from a live source when the job started:
    /// what Complete froze for quiesceSeconds.
    QStringList frozenMountPoints;
    std::uint64_t bytesDone = 0;
    std::uint64_t bytesZeroed = 0;
    std::uint64_t unreadableRanges = 0; ///< source ranges replaced by zeroes
    std::uint64_t unwritableRanges = 0; ///< target ranges left unwritten
    /// The job created the target image file (it did not exist before), and
    /// which file that is (st_dev, st_ino; 0 when unknown), so that an
    /// incomplete one can be deleted without touching a file put there since.
    bool targetCreated = false;
    std::uint64_t targetDevice = 0;
    std::uint64_t targetInode = 0;
    QString source;
    QString target;
    /// Why the job dropped this target (slower than the floor while others
    /// went on); empty otherwise.
    QString droppedReason;
    /// With several targets: each target's own outcome, in the request's
    /// order. This one then sums them up: the least successful outcome
    /// (Completed only when every target completed), the longest time.
    std::vector<JobOutcome> targets;
};

/// One target of the current (or last) job, for a row per target.
struct TargetState
{
    QString path;
    engine::JobStatus status = engine::JobStatus::Created;
    SnapshotPtr snapshot;              ///< its newest progress, null before the first
    std::optional<JobOutcome> outcome; ///< once its copy has ended
};

class JobController : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    /// From start() until finished (or startFailed).
    virtual bool isActive() const = 0;
    /// The engine status of the current (or last) job; Created while preparing.
    virtual engine::JobStatus status() const = 0;
    /// The newest progress snapshot, or nullptr before the first.
    virtual SnapshotPtr snapshot() const = 0;
    /// Complete was accepted and the job is finishing (it may still be READY
    /// while the final copy and verification run).
    virtual bool completionRequested() const = 0;
    /// The current (or last) job's targets, in the request's order.
    virtual const std::vector<TargetState>& targets() const = 0;
    /// Which target progressChanged, dirtyMapChanged and snapshot() are
    /// about (0 until chosen; each job starts at 0). Announces that
    /// target's newest progress and map at once.
    virtual void showTarget(int index) = 0;
    virtual int shownTarget() const = 0;

    /// Applies every rule that needs no write to @p target and reads what it
    /// holds, with its identity (TargetFacts::identity); answers with
    /// targetInspected. With @p expectedTargetId, a target that no longer
    /// carries that identity is refused (rule: target identity). Does not
    /// touch the job.
    virtual void inspectTarget(const QString& source, const QString& target,
                               const QString& expectedTargetId) = 0;
    /// Prepares (checks again, creates a missing target file, opens both
    /// disks) off the UI thread, then starts the job.
    virtual void start(const JobRequest& request) = 0;
    virtual void pause() = 0;
    virtual void resume() = 0;
    virtual void complete() = 0;
    /// Before READY the target is left incomplete. After READY the source
    /// is quiesced for a final copy as at Complete, so the target is a copy
    /// of one moment; with @p quick it is not (a live source's copy is then
    /// like a disk after a power cut).
    virtual void cancel(bool quick) = 0;
    /// Ends the job at once as an interruption (a signal, the desktop
    /// session ending), not as the user's decision: its checkpoint stays, and
    /// the next start offers to resume it.
    virtual void interrupt() { cancel(true); }
    /// Applies at once to a running job (bytes/s, 0 = unlimited).
    virtual void setSpeed(std::uint64_t bytesPerSecond) = 0;

Q_SIGNALS:
    void targetInspected(const ui::TargetInspection& inspection);
    void started();
    void startFailed(const engine::Error& error);
    void statusChanged(engine::JobStatus status);
    void progressChanged(const ui::SnapshotPtr& snapshot);
    void dirtyMapChanged(const ui::DirtyMapPtr& map);
    /// Target @p index's status, progress or outcome changed (targets()).
    void targetChanged(int index);
    void ready();
    /// Complete could not finish its final copy under the quiesce (the
    /// source could not be frozen, or not for long enough): the job mirrors
    /// on at READY and Complete can be tried again.
    void completeFailed(const QString& reason);
    void commandFailed(engine::JobVerb verb, const engine::Error& error);
    void finished(const ui::JobOutcome& outcome);

protected:
    /// Refuses @p verb with EBUSY: a job runs already, or none has started.
    void refuseBusy(engine::JobVerb verb);
    void refuseNotStarted(engine::JobVerb verb);
};

/// What every controller that runs jobs itself (in this process or in a
/// helper) keeps: whether a job runs, its status, its newest snapshot, and
/// whether Complete was accepted.
class JobControllerBase : public JobController
{
    Q_OBJECT

public:
    using JobController::JobController;

    bool isActive() const override { return m_active; }
    engine::JobStatus status() const override { return m_status; }
    SnapshotPtr snapshot() const override { return m_snapshot; }
    bool completionRequested() const override { return m_completionRequested; }
    const std::vector<TargetState>& targets() const override { return m_targets; }
    void showTarget(int index) override;
    int shownTarget() const override { return m_shown; }

protected:
    /// Records and announces @p status; a dismissed job (null) reads as
    /// concluded, and an unchanged status is not announced again.
    void setStatus(engine::JobStatus status);

    // What a controller reports of each target; these keep the targets'
    // rows, the shown target's signals and the job's status in step.
    /// A new job with these targets, none started, target 0 shown.
    void beginTargets(const JobRequest& request);
    void targetProgress(int index, SnapshotPtr snapshot);
    void targetMap(int index, DirtyMapPtr map);
    /// Also sets the job's status (engine::groupStatus).
    void targetStatus(int index, engine::JobStatus status);
    /// Announces ready() the first time every target still copying is READY.
    void targetReady(int index);
    /// Target @p index's copy ended; returns whether every target's has.
    bool targetFinished(int index, JobOutcome outcome);
    /// What finished carries: the one target's outcome, or with several
    /// their summary (JobOutcome::targets).
    JobOutcome jobOutcome() const;
    /// Every target that has not ended is READY (or paused at READY).
    bool allReady() const;

    bool m_active = false;
    bool m_completionRequested = false;
    engine::JobStatus m_status = engine::JobStatus::Created;
    SnapshotPtr m_snapshot;

private:
    void updateStatus();

    std::vector<TargetState> m_targets;
    std::vector<DirtyMapPtr> m_maps;
    int m_shown = 0;
    bool m_readyAnnounced = false;
};

} // namespace ui

Q_DECLARE_METATYPE(engine::JobStatus)
Q_DECLARE_METATYPE(engine::JobVerb)
Q_DECLARE_METATYPE(engine::Error)
Q_DECLARE_METATYPE(ui::SnapshotPtr)
Q_DECLARE_METATYPE(ui::DirtyMapPtr)
Q_DECLARE_METATYPE(ui::TargetInspection)
Q_DECLARE_METATYPE(ui::JobOutcome)
