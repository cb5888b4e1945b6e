#include "bridge/routing_job_controller.h"

#include <sys/stat.h>

#include <cerrno>

namespace ui {

RoutingJobController::RoutingJobController(JobController& local, JobController* remote, Route route,
                                           QObject* parent)
    : JobController(parent), m_local(local), m_remote(remote), m_route(std::move(route)),
      m_current(&local)
{
    forward(m_local);
    if (m_remote)
        forward(*m_remote);
}

void RoutingJobController::forward(JobController& from)
{
    // Only one job runs at a time, so at most one of them speaks at once.
    connect(&from, &JobController::targetInspected, this, &JobController::targetInspected);
    connect(&from, &JobController::started, this, &JobController::started);
    connect(&from, &JobController::startFailed, this, &JobController::startFailed);
    connect(&from, &JobController::statusChanged, this, &JobController::statusChanged);
    connect(&from, &JobController::progressChanged, this, &JobController::progressChanged);
    connect(&from, &JobController::dirtyMapChanged, this, &JobController::dirtyMapChanged);
    connect(&from, &JobController::targetChanged, this, &JobController::targetChanged);
    connect(&from, &JobController::ready, this, &JobController::ready);
    connect(&from, &JobController::completeFailed, this, &JobController::completeFailed);
    connect(&from, &JobController::commandFailed, this, &JobController::commandFailed);
    connect(&from, &JobController::finished, this, &JobController::finished);
}

bool RoutingJobController::blockDeviceInvolved(const QString& source, const QString& target)
{
    // Device nodes live on devtmpfs: this stat never waits for a disk. A
    // path elsewhere is taken for an image file; should it be a device node
    // after all, the in-process rules refuse it as needing root.
    auto isBlock = [](const QString& path) {
        if (!path.startsWith(QLatin1String("/dev/")))
            return false;
        struct stat st
        {
        };
        return ::stat(path.toLocal8Bit().constData(), &st) == 0 && S_ISBLK(st.st_mode);
    };
    return isBlock(source) || isBlock(target);
}

JobController& RoutingJobController::pick(const QString& source, const QString& target) const
{
    if (m_remote && m_route && m_route(source, target))
        return *m_remote;
    return m_local;
}

void RoutingJobController::inspectTarget(const QString& source, const QString& target,
                                         const QString& expectedTargetId)
{
    // The review reads the target only (the source is looked at by stat and
    // sysfs): a disk-to-image job is reviewed here and asks for a password
    // once, for the job itself.
    pick(QString(), target).inspectTarget(source, target, expectedTargetId);
}

void RoutingJobController::start(const JobRequest& request)
{
    if (m_current->isActive()) {
        refuseBusy(engine::JobVerb::Cancel);
        return;
    }
    // One job, one process: a block device among the targets takes them all
    // to the helper.
    m_current = &m_local;
    for (const RequestTarget& t : request.targets)
        if (&pick(request.source, t.path) != &m_local)
            m_current = &pick(request.source, t.path);
    m_current->start(request);
}

} // namespace ui
