// A JobController that runs nothing: tests set its state and emit its
// signals, and read which commands the window sent.
#pragma once

#include "bridge/job_controller.h"

#include <QStringList>

#include <optional>

class FakeJobController final : public ui::JobController
{
    Q_OBJECT

public:
    using JobController::JobController;

    bool isActive() const override { return active; }
    engine::JobStatus status() const override { return currentStatus; }
    ui::SnapshotPtr snapshot() const override { return currentSnapshot; }
    bool completionRequested() const override { return completing; }
    const std::vector<ui::TargetState>& targets() const override { return targetStates; }
    void showTarget(int index) override { shown = index; }
    int shownTarget() const override { return shown; }

    void inspectTarget(const QString& source, const QString& target,
                       const QString& expectedTargetId) override
    {
        calls << QStringLiteral("inspect");
        ui::TargetInspection out = inspection;
        out.source = source;
        out.target = target;
        out.expectedTargetId = expectedTargetId;
        if (answerInspections)
            Q_EMIT targetInspected(out);
    }
    void start(const ui::JobRequest& request) override
    {
        calls << QStringLiteral("start");
        lastRequest = request;
        active = true;
        setStatus(engine::JobStatus::Created);
    }
    void pause() override { calls << QStringLiteral("pause"); }
    void resume() override { calls << QStringLiteral("resume"); }
    void complete() override
    {
        calls << QStringLiteral("complete");
        completing = true;
    }
    void cancel(bool quick) override
    {
        calls << (quick ? QStringLiteral("cancel quick") : QStringLiteral("cancel"));
    }
    void setSpeed(std::uint64_t bytesPerSecond) override
    {
        calls << QStringLiteral("speed");
        speeds.push_back(bytesPerSecond);
    }

    /// Moves to @p s as a running job would, with a snapshot to match.
    void setStatus(engine::JobStatus s, bool readyReached = false)
    {
        currentStatus = s;
        auto snap = std::make_shared<engine::JobSnapshot>();
        snap->status = s;
        snap->diskSize = 64ull << 20;
        snap->readyReached =
            readyReached || s == engine::JobStatus::Ready || s == engine::JobStatus::Standby;
        currentSnapshot = snap;
        Q_EMIT statusChanged(s);
        Q_EMIT progressChanged(currentSnapshot);
    }
    /// The final copy could not be made under the freeze: back to READY.
    void failComplete(const QString& reason)
    {
        completing = false;
        Q_EMIT statusChanged(currentStatus);
        Q_EMIT completeFailed(reason);
    }
    /// After Complete's final copy: the comparison has done @p done of @p total.
    void setVerifying(std::uint64_t done, std::uint64_t total)
    {
        auto snap = std::make_shared<engine::JobSnapshot>(currentSnapshot ? *currentSnapshot
                                                                          : engine::JobSnapshot{});
        snap->verifying = true;
        snap->verifyDone = done;
        snap->verifyTotal = total;
        currentSnapshot = snap;
        Q_EMIT progressChanged(currentSnapshot);
    }
    void finish(engine::JobResult::Outcome outcome)
    {
        active = false;
        completing = false;
        currentStatus = engine::JobStatus::Concluded;
        Q_EMIT statusChanged(currentStatus);
        ui::JobOutcome o = nextOutcome;
        o.outcome = outcome;
        o.source = lastRequest.source;
        o.target = lastRequest.targets.isEmpty() ? QString() : lastRequest.targets.front().path;
        Q_EMIT finished(o);
    }

    bool active = false;
    bool completing = false;
    bool answerInspections = true;
    engine::JobStatus currentStatus = engine::JobStatus::Created;
    ui::SnapshotPtr currentSnapshot;
    ui::TargetInspection inspection;
    ui::JobOutcome nextOutcome; ///< what finish() reports, besides the outcome
    ui::JobRequest lastRequest;
    std::vector<ui::TargetState> targetStates;
    int shown = 0;
    QStringList calls;
    std::vector<std::uint64_t> speeds;
};
