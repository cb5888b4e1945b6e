#include "json_events.h"

namespace cli {

namespace key = protocol::key;

JsonObject startedData(const std::string& device, const std::string& source,
                       const std::string& target, std::uint64_t len, std::uint64_t granularity,
                       bool live, const std::vector<std::string>& mountPoints, bool targetCreated)
{
    return JsonObject()
        .add(key::kDevice, device)
        .add(key::kSource, source)
        .add(key::kTarget, target)
        .add(key::kLen, len)
        .add(key::kGranularity, granularity)
        .add(key::kLive, live)
        .addRaw(key::kMountPoints, stringArray(mountPoints))
        .add(key::kTargetCreated, targetCreated);
}

JsonObject statusChangeData(const std::string& device, engine::JobStatus to)
{
    return JsonObject().add(key::kId, device).add(key::kStatus, engine::toString(to));
}

namespace {

JsonObject& addOptional(JsonObject& o, std::string_view k, const std::optional<double>& v)
{
    return v ? o.add(k, *v) : o.addRaw(k, "null");
}

std::string yieldJson(const engine::JobSnapshot::YieldView& y, engine::YieldMode mode)
{
    JsonObject o;
    o.add(key::kMode, engine::toString(mode))
        .add(key::kActive, y.active)
        .add(key::kYielding, y.yielding)
        .add(key::kShare, y.share);
    if (y.reason.empty())
        o.addRaw(key::kReason, "null");
    else
        o.add(key::kReason, y.reason);
    o.add(key::kForegroundIops, y.foregroundIops);
    addOptional(o, key::kForegroundLatencyMs, y.foregroundLatencyMs);
    return o.str();
}

std::string forecastJson(const engine::Forecast::Estimate& e)
{
    JsonObject o;
    o.add(key::kConfidence, protocol::kConfidenceNames[static_cast<std::size_t>(e.confidence)])
        .add(key::kCopyRate, e.copyRate)
        .add(key::kDirtyRate, e.dirtyRate)
        .add(key::kConverges, e.converges);
    addOptional(o, key::kReadyIn, e.secondsToReady);
    addOptional(o, key::kFreeze, e.freezeSeconds);
    addOptional(o, key::kFreezeIfCompletedNow, e.freezeIfCompletedNow);
    std::string remedies = "[";
    for (const auto r : e.remedies)
        remedies += (remedies.size() > 1 ? "," : "") +
                    jsonQuote(protocol::kRemedyNames[static_cast<std::size_t>(r)]);
    o.addRaw(key::kRemedies, remedies + "]");
    return o.str();
}

} // namespace

JsonObject progressData(const std::string& device, const engine::JobSnapshot& s, double rate,
                        engine::YieldMode mode)
{
    JsonObject data = jobJson(device, s);
    data.add(key::kStatus, engine::toString(s.status))
        .add(key::kRate, rate)
        .add(key::kDirty, s.dirtyBytes)
        .add(key::kInFlight, s.inFlightBytes)
        .add(key::kZeroed, s.bytesZeroed)
        .add(key::kUnreadableBytes, s.unreadableBytes);
    if (!s.ioError.empty())
        data.add(key::kIoError, s.ioError);
    if (s.verifying)
        data.add(key::kVerifying, true)
            .add(key::kVerifyDone, s.verifyDone)
            .add(key::kVerifyTotal, s.verifyTotal);
    data.addRaw(key::kYield, yieldJson(s.yield, mode))
        .addRaw(key::kForecast, forecastJson(s.forecast))
        .add(key::kReconnects, std::uint64_t{s.reconnect.reconnects});
    if (s.reconnect.active)
        data.addRaw(key::kReconnecting,
                    JsonObject()
                        .add(key::kEndpoint, s.reconnect.endpoint)
                        .add(key::kLostSeconds, s.reconnect.lostSeconds)
                        .add(key::kAttempts, std::uint64_t{s.reconnect.attempts})
                        .add(key::kLimitSeconds, std::uint64_t{s.reconnect.limitSeconds})
                        .str());
    return data;
}

JsonObject withMap(JsonObject data, const engine::DirtyMapSnapshot& map)
{
    data.add(key::kMap, hexCells(map.cells))
        .add(key::kGranularity, map.granularity)
        .addRaw(key::kInFlightRanges, rangesJson(map.inFlight))
        .addRaw(key::kUnreadableRanges, rangesJson(map.unreadable));
    return data;
}

JsonObject completeFailedData(const std::string& device, const std::string& reason)
{
    return JsonObject().add(key::kDevice, device).add(key::kReason, reason);
}

JsonObject verifyingData(const std::string& device)
{
    return JsonObject().add(key::kDevice, device);
}

JsonObject statusData(const std::string& device, const engine::JobSnapshot& s)
{
    JsonObject d = jobJson(device, s);
    d.add(key::kStatus, engine::toString(s.status)).add(key::kDirty, s.dirtyBytes);
    return d;
}

JsonObject endData(const std::string& device, const JobEnd& end)
{
    using Outcome = engine::JobResult::Outcome;
    const engine::JobResult& res = end.result;
    JsonObject d = jobJson(device, end.snapshot);
    d.add(key::kZeroed, res.bytesZeroed)
        .add(key::kElapsed, res.elapsedSeconds)
        .add(key::kSourceBytesRead, res.sourceBytesRead);
    if (!end.errorText.empty())
        d.add(key::kError, end.errorText);
    if (!res.unreadable.empty())
        d.addRaw(key::kUnreadable, rangesJson(res.unreadable));
    if (!res.unwritable.empty())
        d.addRaw(key::kUnwritable, rangesJson(res.unwritable));
    if (end.skipped)
        d.add(key::kRangesSkipped, true)
            .add(key::kUnwrittenBytes, end.unwrittenBytes)
            .add(key::kUnreadableBytes, end.unreadableBytes);
    if (end.targetRemoved)
        d.add(key::kTargetRemoved, true);
    if (!end.checkpoint.empty())
        d.add(key::kCheckpoint, end.checkpoint);
    if (!res.resumedFrom.empty())
        d.add(key::kResumedFrom, res.resumedFrom)
            .add(key::kResumeWhy, res.resumeWhy)
            .add(key::kResumeInSync, res.resumedInSyncBytes)
            .add(key::kResumeChanged, res.resumeChangedBytes);
    if (res.verify)
        d.addRaw(key::kVerify, verifyJson(*res.verify));
    if (res.verifyCancelled)
        d.add(key::kVerifyCancelled, true);
    if (res.outcome == Outcome::Completed ||
        (res.outcome == Outcome::Cancelled && !res.powerCutCopy))
        d.add(key::kQuiesceSeconds, res.quiesceSeconds);
    if (res.outcome == Outcome::Cancelled)
        d.add(key::kPowercutCopy, res.powerCutCopy);
    if (res.powerCutCopy)
        d.add(key::kPowercutReason, res.powerCutReason);
    if (res.pastEndBytes > 0)
        d.add(key::kPastEndBytes, res.pastEndBytes).add(key::kPastEndWiped, res.pastEndWiped);
    d.add(key::kOutcome, protocol::outcomeName(toProtocol(res.outcome)));
    if (res.outcome == Outcome::Failed)
        d.add(key::kSourceFailed, res.sourceFailed).add(key::kErrno, res.error.code);
    return d;
}

std::string inspectJson(const engine::TargetReview& r, const std::string& target,
                        const std::string& source, const std::string& expectId)
{
    const engine::TargetFacts& f = r.facts;
    JsonObject facts;
    facts.add(key::kExists, f.exists)
        .add(key::kBlockDevice, f.blockDevice)
        .add(key::kSize, f.size)
        .add(key::kDataSignature, f.dataSignature)
        .add(key::kSignatureReadable, f.signatureReadable)
        .addRaw(key::kPartitions, stringArray(f.partitions));
    JsonObject o;
    o.add(key::kTarget, target).add(key::kSource, source).add(key::kExpectId, expectId);
    // What mirror --expect-id takes to bind a job to this very target.
    o.add(key::kId, f.identity);
    if (r.refusal) {
        JsonObject refusal;
        refusal.add(key::kErrno, r.refusal->code).add(key::kMessage, r.refusal->message);
        if (r.refusal->rule != engine::Rule::None)
            refusal.add(key::kRule, engine::ruleName(r.refusal->rule));
        o.addRaw(key::kRefusal, refusal.str());
    }
    o.addRaw(key::kFacts, facts.str());
    if (r.device)
        o.addRaw(key::kDevice, deviceJson(*r.device).str());
    std::string parts = "[";
    for (std::size_t i = 0; i < r.partitions.size(); ++i)
        parts += (i ? ", " : "") + deviceJson(r.partitions[i]).str();
    o.addRaw(key::kDevicePartitions, parts + "]");
    return o.str();
}

} // namespace cli
