// RoutingJobController: one JobController for the window that hands each job
// to the controller that can run it: a job on a block device goes to the
// privileged helper when this process is not root, everything else (image
// files, and every job of a root process) runs in this process.
//
// The choice is made per inspection (by the target alone: the review reads
// nothing else) and per start (by both paths), so
// the window, the demo driver and the tests see a single controller and
// behave the same either way.
#pragma once

#include "bridge/job_controller.h"

#include <functional>

namespace ui {

class RoutingJobController final : public JobController
{
    Q_OBJECT

public:
    /// Says whether a job from @p source to @p target must run in the helper.
    using Route = std::function<bool(const QString& source, const QString& target)>;

    /// @p remote may be null (no helper available): everything runs in
    /// @p local. Both must outlive this object.
    RoutingJobController(JobController& local, JobController* remote, Route route,
                         QObject* parent = nullptr);

    /// The route for a process that is not root: through the helper when
    /// either path is a block device.
    static bool blockDeviceInvolved(const QString& source, const QString& target);

    /// The controller of the current (or last) job.
    JobController& current() const { return *m_current; }
    bool hasHelper() const { return m_remote != nullptr; }

    bool isActive() const override { return m_current->isActive(); }
    engine::JobStatus status() const override { return m_current->status(); }
    SnapshotPtr snapshot() const override { return m_current->snapshot(); }
    bool completionRequested() const override { return m_current->completionRequested(); }
    const std::vector<TargetState>& targets() const override { return m_current->targets(); }
    void showTarget(int index) override { m_current->showTarget(index); }
    int shownTarget() const override { return m_current->shownTarget(); }

    void inspectTarget(const QString& source, const QString& target,
                       const QString& expectedTargetId) override;
    void start(const JobRequest& request) override;
    void pause() override { m_current->pause(); }
    void resume() override { m_current->resume(); }
    void complete() override { m_current->complete(); }
    void cancel(bool quick) override { m_current->cancel(quick); }
    void interrupt() override { m_current->interrupt(); }
    void setSpeed(std::uint64_t bytesPerSecond) override { m_current->setSpeed(bytesPerSecond); }

private:
    JobController& pick(const QString& source, const QString& target) const;
    void forward(JobController& from);

    JobController& m_local;
    JobController* m_remote;
    Route m_route;
    JobController* m_current;
};

} // namespace ui
