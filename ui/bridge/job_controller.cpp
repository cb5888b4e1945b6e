#include "bridge/job_controller.h"

#include <algorithm>
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

void JobControllerBase::beginTargets(const JobRequest& request)
{
    m_targets.clear();
    for (const RequestTarget& t : request.targets)
        m_targets.push_back(TargetState{t.path, engine::JobStatus::Created, nullptr, std::nullopt});
    m_maps.assign(m_targets.size(), nullptr);
    m_shown = 0;
}

void JobControllerBase::showTarget(int index)
{
    if (index < 0 || index >= static_cast<int>(m_targets.size()) || index == m_shown)
        return;
    m_shown = index;
    m_snapshot = m_targets[static_cast<std::size_t>(index)].snapshot;
    if (m_snapshot)
        Q_EMIT progressChanged(m_snapshot);
    Q_EMIT dirtyMapChanged(m_maps[static_cast<std::size_t>(index)]);
}

void JobControllerBase::targetProgress(int index, SnapshotPtr snapshot)
{
    if (index < 0 || index >= static_cast<int>(m_targets.size()))
        return;
    m_targets[static_cast<std::size_t>(index)].snapshot = snapshot;
    Q_EMIT targetChanged(index);
    if (index == m_shown) {
        m_snapshot = std::move(snapshot);
        Q_EMIT progressChanged(m_snapshot);
    }
}

void JobControllerBase::targetMap(int index, DirtyMapPtr map)
{
    if (index < 0 || index >= static_cast<int>(m_maps.size()))
        return;
    m_maps[static_cast<std::size_t>(index)] = map;
    if (index == m_shown)
        Q_EMIT dirtyMapChanged(map);
}

void JobControllerBase::targetStatus(int index, engine::JobStatus status)
{
    if (index < 0 || index >= static_cast<int>(m_targets.size()))
        return;
    TargetState& t = m_targets[static_cast<std::size_t>(index)];
    // An ended target stays ended whatever a late event says.
    if (t.outcome || t.status == status)
        return;
    const bool wasReady = allReady();
    t.status = status;
    Q_EMIT targetChanged(index);
    updateStatus();
    // The others may have waited only for this one, which now ends.
    if (!wasReady && allReady())
        Q_EMIT ready();
}

void JobControllerBase::targetReady(int index)
{
    targetStatus(index, engine::JobStatus::Ready);
}

bool JobControllerBase::targetFinished(int index, JobOutcome outcome)
{
    if (index < 0 || index >= static_cast<int>(m_targets.size()))
        return false;
    const bool wasReady = allReady();
    TargetState& t = m_targets[static_cast<std::size_t>(index)];
    t.status = engine::JobStatus::Concluded;
    t.outcome = std::move(outcome);
    Q_EMIT targetChanged(index);
    updateStatus();
    const bool all = std::all_of(m_targets.begin(), m_targets.end(),
                                 [](const TargetState& s) { return s.outcome.has_value(); });
    // A target that fails after the others reached READY was all they
    // waited for.
    if (!all && !wasReady && allReady())
        Q_EMIT ready();
    return all;
}

bool JobControllerBase::allReady() const
{
    bool any = false;
    for (const TargetState& t : m_targets) {
        if (t.outcome || engine::isFinished(t.status))
            continue;
        if (t.status != engine::JobStatus::Ready && t.status != engine::JobStatus::Standby)
            return false;
        any = true;
    }
    return any;
}

void JobControllerBase::updateStatus()
{
    std::vector<engine::JobStatus> statuses;
    for (const TargetState& t : m_targets)
        statuses.push_back(t.outcome ? engine::JobStatus::Concluded : t.status);
    setStatus(engine::groupStatus(statuses));
}

JobOutcome JobControllerBase::jobOutcome() const
{
    if (m_targets.size() == 1 && m_targets.front().outcome)
        return *m_targets.front().outcome;
    using Outcome = engine::JobResult::Outcome;
    // From least to most successful: what the summary says of all.
    const auto rank = [](Outcome o) {
        switch (o) {
        case Outcome::Failed:
            return 0;
        case Outcome::Aborted:
            return 1;
        case Outcome::Cancelled:
            return 2;
        case Outcome::Completed:
            return 3;
        }
        return 0;
    };
    JobOutcome sum;
    bool first = true;
    for (const TargetState& t : m_targets) {
        JobOutcome o = t.outcome ? *t.outcome : JobOutcome{};
        if (!t.outcome)
            o.target = t.path;
        if (first) {
            sum = o;
            first = false;
        } else if (rank(o.outcome) < rank(sum.outcome)) {
            sum.outcome = o.outcome;
            sum.error = o.error;
            sum.sourceFailed = o.sourceFailed;
        }
        sum.elapsedSeconds = std::max(sum.elapsedSeconds, o.elapsedSeconds);
        sum.quiesceSeconds = std::max(sum.quiesceSeconds, o.quiesceSeconds);
        sum.targets.push_back(std::move(o));
    }
    return sum;
}

} // namespace ui
