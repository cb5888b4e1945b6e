#include "bridge/job_controller.h"

#include <cerrno>

namespace ui {

void JobController::refuseBusy(engine::JobVerb verb)
{
    Q_EMIT commandFailed(verb, engine::Error{EBUSY, tr("A job is already running.").toStdString()});
}

void JobController::refuseNotStarted(engine::JobVerb verb)
{
    Q_EMIT commandFailed(verb,
                         engine::Error{EBUSY, tr("The job has not started yet.").toStdString()});
}

void JobControllerBase::setStatus(engine::JobStatus status)
{
    if (status == engine::JobStatus::Null)
        status = engine::JobStatus::Concluded;
    if (status == m_status)
        return;
    m_status = status;
    Q_EMIT statusChanged(status);
}

} // namespace ui
