// The helper's JSON protocol, both ends at once: every event and answer is
// written with the CLI's own writer and read back with the desktop app's
// parsers, field by field. A key renamed on one side only, or a value the
// reader takes from the wrong place, fails here without a helper process.
#include "bridge/helper_protocol.h"
#include "json_events.h"
#include "options.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <sys/sysmacros.h>

#include <cerrno>

using protocol::Outcome;
namespace event = protocol::event;
namespace key = protocol::key;

namespace {

const std::string kDevice = "/var/tmp/target.img";

QJsonObject parseLine(const std::string& line)
{
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(line));
    if (!doc.isObject())
        qFatal("not one JSON object: %s", line.c_str());
    return doc.object();
}

// An event line read back: its name must be @p name; returns its data.
QJsonObject eventData(const std::string& line, std::string_view name)
{
    const QJsonObject o = parseLine(line);
    if (o.value(ui::protocolName(key::kEvent)).toString() != ui::protocolName(name))
        qFatal("expected %s in %s", std::string(name).c_str(), line.c_str());
    return o.value(ui::protocolName(key::kData)).toObject();
}

engine::JobSnapshot busySnapshot()
{
    engine::JobSnapshot s;
    s.status = engine::JobStatus::Running;
    s.bytesDone = 3ull << 30;
    s.bytesRemaining = 5ull << 20;
    s.bytesZeroed = 1ull << 30;
    s.dirtyBytes = 4ull << 20;
    s.inFlightBytes = 1ull << 20;
    s.speedLimit = 100ull << 20;
    s.unreadableBytes = 4096;
    s.ioError = "read error at offset 4096: Input/output error";
    s.verifying = true;
    s.verifyDone = 1ull << 30;
    s.verifyTotal = 3ull << 30;
    s.yield.active = true;
    s.yield.yielding = true;
    s.yield.share = 0.25;
    s.yield.reason = "foreground-delayed";
    s.yield.foregroundIops = 201.5;
    s.yield.foregroundLatencyMs = 3.75;
    s.forecast.confidence = engine::Forecast::Confidence::Low;
    s.forecast.copyRate = 150e6;
    s.forecast.dirtyRate = 160e6;
    s.forecast.converges = false;
    s.forecast.freezeIfCompletedNow = 2.5;
    s.forecast.remedies = {engine::Forecast::Remedy::TurnYieldOff,
                           engine::Forecast::Remedy::AcceptLongerFreeze};
    return s;
}

engine::DirtyMapSnapshot map()
{
    engine::DirtyMapSnapshot m;
    m.cells = {0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff};
    m.granularity = 65536;
    m.inFlight = {{0, 65536}, {1 << 20, 131072}};
    m.unreadable = {{4096, 512}};
    return m;
}

void compareMap(const engine::DirtyMapSnapshot& got, const engine::DirtyMapSnapshot& want)
{
    QCOMPARE(got.cells, want.cells);
    QCOMPARE(got.granularity, want.granularity);
    QVERIFY(got.inFlight == want.inFlight);
    QVERIFY(got.unreadable == want.unreadable);
}

engine::DeviceInfo device(const std::string& name, bool partition)
{
    engine::DeviceInfo d;
    d.name = name;
    d.devnode = "/dev/" + name;
    d.devnum = makedev(259, partition ? 3 : 0);
    d.isPartition = partition;
    if (partition) {
        d.parent = "nvme1n1";
        d.partitionNumber = 3;
        d.startSector = 2048;
    }
    d.vendor = "ACME";
    d.model = "Fast Disk 2000";
    d.serial = "S123";
    d.wwn = "eui.0025388b";
    d.diskSeq = 42;
    d.bus = "nvme";
    d.size = 512ull << 30;
    d.logicalBlockSize = 512;
    d.physicalBlockSize = 4096;
    d.removable = partition;
    d.rotational = !partition;
    d.readOnly = partition;
    d.loopBackingFile = partition ? "" : "/var/tmp/backing.img";
    d.partitionTable = partition ? "" : "gpt";
    d.fsType = partition ? "ext4" : "";
    d.fsLabel = partition ? "data" : "";
    d.fsUuid = partition ? "0b7e-11" : "";
    d.mountPoints = partition ? std::vector<std::string>{"/mnt/data"} : std::vector<std::string>{};
    d.holders = partition ? std::vector<std::string>{} : std::vector<std::string>{"dm-0"};
    d.swap = !partition;
    d.holdsData = true;
    return d;
}

void compareDevice(const engine::DeviceInfo& got, const engine::DeviceInfo& want)
{
    QCOMPARE(got.name, want.name);
    QCOMPARE(got.devnode, want.devnode);
    QCOMPARE(got.devnum, want.devnum);
    QCOMPARE(got.isPartition, want.isPartition);
    QCOMPARE(got.parent, want.parent);
    QCOMPARE(got.partitionNumber, want.partitionNumber);
    QCOMPARE(got.startSector, want.startSector);
    QCOMPARE(got.vendor, want.vendor);
    QCOMPARE(got.model, want.model);
    QCOMPARE(got.serial, want.serial);
    QCOMPARE(got.wwn, want.wwn);
    QCOMPARE(got.diskSeq, want.diskSeq);
    QCOMPARE(got.bus, want.bus);
    QCOMPARE(got.size, want.size);
    QCOMPARE(got.logicalBlockSize, want.logicalBlockSize);
    QCOMPARE(got.physicalBlockSize, want.physicalBlockSize);
    QCOMPARE(got.removable, want.removable);
    QCOMPARE(got.rotational, want.rotational);
    QCOMPARE(got.readOnly, want.readOnly);
    QCOMPARE(got.loopBackingFile, want.loopBackingFile);
    QCOMPARE(got.partitionTable, want.partitionTable);
    QCOMPARE(got.fsType, want.fsType);
    QCOMPARE(got.fsLabel, want.fsLabel);
    QCOMPARE(got.fsUuid, want.fsUuid);
    QCOMPARE(got.mountPoints, want.mountPoints);
    QCOMPARE(got.holders, want.holders);
    QCOMPARE(got.swap, want.swap);
    QCOMPARE(got.holdsData, want.holdsData);
}

} // namespace

Q_DECLARE_METATYPE(engine::JobResult::Outcome)

class TestProtocolRoundTrip : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void outcomeNames();
    void commandWords();
    void started();
    void statusChange();
    void progressWithMap();
    void progressReconnecting();
    void ready();
    void verifying();
    void completeFailed();
    void jobEnd_data();
    void jobEnd();
    void errorReplies();
    void statusReply();
    void inspectAnswer();
    void jobOptions_data();
    void jobOptions();
};

void TestProtocolRoundTrip::outcomeNames()
{
    // Every forecast word, written by the CLI and read back by the window.
    using engine::Forecast;
    auto roundTrip = [](const engine::JobSnapshot& want) {
        return ui::parseProgress(
            eventData(cli::eventLine(event::kProgress, cli::progressData(kDevice, want, 1.0,
                                                                         engine::YieldMode::Auto)),
                      event::kProgress),
            8ull << 30);
    };
    engine::JobSnapshot want = busySnapshot();
    for (auto c :
         {Forecast::Confidence::None, Forecast::Confidence::Low, Forecast::Confidence::Good}) {
        want.forecast.confidence = c;
        QCOMPARE(int(roundTrip(want).forecast.confidence), int(c));
    }
    want.forecast.confidence = Forecast::Confidence::Good;
    want.forecast.remedies = {Forecast::Remedy::RaiseSpeedLimit, Forecast::Remedy::TurnYieldOff,
                              Forecast::Remedy::FinerGranularity,
                              Forecast::Remedy::AcceptLongerFreeze};
    QVERIFY(roundTrip(want).forecast.remedies == want.forecast.remedies);
    for (const Outcome o :
         {Outcome::Completed, Outcome::Cancelled, Outcome::Aborted, Outcome::Failed}) {
        QVERIFY(protocol::outcomeFromName(protocol::outcomeName(o)) == o);
    }
    QVERIFY(!protocol::outcomeFromName("finished"));
    QVERIFY(protocol::endEvent(Outcome::Completed) == event::kCompleted);
    QVERIFY(protocol::endEvent(Outcome::Failed) == event::kCompleted);
    QVERIFY(protocol::endEvent(Outcome::Cancelled) == event::kCancelled);
    QVERIFY(protocol::endEvent(Outcome::Aborted) == event::kCancelled);
}

void TestProtocolRoundTrip::commandWords()
{
    QCOMPARE(ui::commandLine(engine::JobVerb::Complete), QByteArray("complete"));
    QCOMPARE(ui::commandLine(engine::JobVerb::Cancel), QByteArray("cancel"));
    QCOMPARE(ui::commandLine(engine::JobVerb::Cancel, 1), QByteArray("cancel quick"));
    QCOMPARE(ui::commandLine(engine::JobVerb::Pause), QByteArray("pause"));
    QCOMPARE(ui::commandLine(engine::JobVerb::Resume), QByteArray("resume"));
    QCOMPARE(ui::commandLine(engine::JobVerb::SetSpeed, 1048576), QByteArray("speed 1048576"));
}

void TestProtocolRoundTrip::started()
{
    const std::vector<std::string> mounts = {"/", "/home"};
    const auto data = eventData(
        cli::eventLine(event::kJobStarted, cli::startedData(kDevice, "/dev/sda", kDevice,
                                                            8ull << 30, 65536, true, mounts, true)),
        event::kJobStarted);
    const ui::JobStart s = ui::parseStarted(data);
    QCOMPARE(s.target, QString::fromStdString(kDevice));
    QCOMPARE(s.len, 8ull << 30);
    QVERIFY(s.live);
    QCOMPARE(s.mountPoints, (QStringList{QStringLiteral("/"), QStringLiteral("/home")}));
    QVERIFY(s.targetCreated);
}

void TestProtocolRoundTrip::statusChange()
{
    for (std::size_t i = 0; i < engine::kStatusCount; ++i) {
        const auto status = static_cast<engine::JobStatus>(i);
        const auto data =
            eventData(cli::eventLine(event::kStatusChange, cli::statusChangeData(kDevice, status)),
                      event::kStatusChange);
        const auto parsed = ui::parseStatus(data.value(ui::protocolName(key::kStatus)).toString());
        QVERIFY(parsed);
        QCOMPARE(engine::toString(*parsed), engine::toString(status));
    }
}

void TestProtocolRoundTrip::progressWithMap()
{
    const engine::JobSnapshot want = busySnapshot();
    const std::uint64_t diskSize = 8ull << 30;
    const auto data = eventData(
        cli::eventLine(event::kProgress, cli::withMap(cli::progressData(kDevice, want, 123456.5,
                                                                        engine::YieldMode::Auto),
                                                      map())),
        event::kProgress);
    const engine::JobSnapshot got = ui::parseProgress(data, diskSize);
    QCOMPARE(engine::toString(got.status), engine::toString(want.status));
    QCOMPARE(got.diskSize, diskSize);
    QCOMPARE(got.bytesDone, want.bytesDone);
    QCOMPARE(got.bytesRemaining, want.bytesRemaining);
    QCOMPARE(got.bytesZeroed, want.bytesZeroed);
    QCOMPARE(got.dirtyBytes, want.dirtyBytes);
    QCOMPARE(got.inFlightBytes, want.inFlightBytes);
    QCOMPARE(got.speedLimit, want.speedLimit);
    QCOMPARE(got.unreadableBytes, want.unreadableBytes);
    QCOMPARE(got.ioError, want.ioError);
    QCOMPARE(got.verifying, want.verifying);
    QCOMPARE(got.verifyDone, want.verifyDone);
    QCOMPARE(got.verifyTotal, want.verifyTotal);
    QCOMPARE(got.yield.active, want.yield.active);
    QCOMPARE(got.yield.yielding, want.yield.yielding);
    QCOMPARE(got.yield.share, want.yield.share);
    QCOMPARE(got.yield.reason, want.yield.reason);
    QCOMPARE(got.yield.foregroundIops, want.yield.foregroundIops);
    QCOMPARE(got.yield.foregroundLatencyMs, want.yield.foregroundLatencyMs);
    QCOMPARE(int(got.forecast.confidence), int(want.forecast.confidence));
    QCOMPARE(got.forecast.copyRate, want.forecast.copyRate);
    QCOMPARE(got.forecast.dirtyRate, want.forecast.dirtyRate);
    QCOMPARE(got.forecast.converges, want.forecast.converges);
    QVERIFY(!got.forecast.secondsToReady);
    QVERIFY(!got.forecast.freezeSeconds);
    QCOMPARE(got.forecast.freezeIfCompletedNow, want.forecast.freezeIfCompletedNow);
    QCOMPARE(got.forecast.remedies, want.forecast.remedies);
    const auto gotMap = ui::parseDirtyMap(data, diskSize);
    QVERIFY(gotMap);
    QCOMPARE(gotMap->diskSize, diskSize);
    compareMap(*gotMap, map());
}

void TestProtocolRoundTrip::progressReconnecting()
{
    const auto roundTrip = [](const engine::JobSnapshot& want) {
        return eventData(
            cli::eventLine(event::kProgress,
                           cli::progressData(kDevice, want, 1.0, engine::YieldMode::Auto)),
            event::kProgress);
    };
    engine::JobSnapshot want = busySnapshot();
    want.reconnect.active = true;
    want.reconnect.endpoint = "nbd://backup.example:10809/disk";
    want.reconnect.lostSeconds = 3.2;
    want.reconnect.attempts = 4;
    want.reconnect.limitSeconds = 60;
    want.reconnect.reconnects = 2;
    QJsonObject data = roundTrip(want);
    QVERIFY(data.value(ui::protocolName(key::kReconnecting)).isObject());
    engine::JobSnapshot got = ui::parseProgress(data, 8ull << 30);
    QVERIFY(got.reconnect.active);
    QCOMPARE(got.reconnect.endpoint, want.reconnect.endpoint);
    QCOMPARE(got.reconnect.lostSeconds, want.reconnect.lostSeconds);
    QCOMPARE(got.reconnect.attempts, want.reconnect.attempts);
    QCOMPARE(got.reconnect.limitSeconds, want.reconnect.limitSeconds);
    QCOMPARE(got.reconnect.reconnects, want.reconnect.reconnects);
    QCOMPARE(got.bytesDone, want.bytesDone);

    // Connected again: no "reconnecting" object, the count stays.
    want.reconnect = {};
    want.reconnect.reconnects = 2;
    data = roundTrip(want);
    QVERIFY(!data.contains(ui::protocolName(key::kReconnecting)));
    got = ui::parseProgress(data, 8ull << 30);
    QVERIFY(!got.reconnect.active);
    QCOMPARE(got.reconnect.reconnects, 2u);
    QVERIFY(got.reconnect.endpoint.empty());
    QCOMPARE(got.reconnect.attempts, 0u);

    // Anything but an object is no wait at all.
    data.insert(ui::protocolName(key::kReconnecting), true);
    QVERIFY(!ui::parseProgress(data, 8ull << 30).reconnect.active);
}

void TestProtocolRoundTrip::ready()
{
    engine::JobSnapshot want = busySnapshot();
    want.status = engine::JobStatus::Ready;
    const auto data =
        eventData(cli::eventLine(event::kReady, cli::withMap(cli::jobJson(kDevice, want), map())),
                  event::kReady);
    // READY carries no status (the event is the status) and no counters
    // beyond the job's own.
    QVERIFY(!data.contains(ui::protocolName(key::kStatus)));
    const engine::JobSnapshot got = ui::parseProgress(data, want.bytesDone);
    QCOMPARE(got.bytesDone, want.bytesDone);
    QCOMPARE(got.bytesRemaining, want.bytesRemaining);
    QCOMPARE(got.speedLimit, want.speedLimit);
    const auto gotMap = ui::parseDirtyMap(data, want.bytesDone);
    QVERIFY(gotMap);
    compareMap(*gotMap, map());
}

void TestProtocolRoundTrip::verifying()
{
    const auto data = eventData(cli::eventLine(event::kVerifying, cli::verifyingData(kDevice)),
                                event::kVerifying);
    QCOMPARE(data.value(ui::protocolName(key::kDevice)).toString(),
             QString::fromStdString(kDevice));
}

void TestProtocolRoundTrip::completeFailed()
{
    const std::string reason = "the source could not be frozen within 10 s";
    const auto data =
        eventData(cli::eventLine(event::kCompleteFailed, cli::completeFailedData(kDevice, reason)),
                  event::kCompleteFailed);
    QCOMPARE(data.value(ui::protocolName(key::kReason)).toString(), QString::fromStdString(reason));
}

void TestProtocolRoundTrip::jobEnd_data()
{
    QTest::addColumn<engine::JobResult::Outcome>("outcome");
    QTest::addColumn<bool>("powerCut");
    QTest::newRow("completed") << engine::JobResult::Outcome::Completed << false;
    QTest::newRow("cancelled, consistent") << engine::JobResult::Outcome::Cancelled << false;
    QTest::newRow("cancelled, power cut") << engine::JobResult::Outcome::Cancelled << true;
    QTest::newRow("aborted") << engine::JobResult::Outcome::Aborted << false;
    QTest::newRow("failed") << engine::JobResult::Outcome::Failed << false;
}

void TestProtocolRoundTrip::jobEnd()
{
    using O = engine::JobResult::Outcome;
    QFETCH(engine::JobResult::Outcome, outcome);
    QFETCH(bool, powerCut);
    engine::JobResult res;
    res.outcome = outcome;
    res.error = engine::Error{EIO, "write error at offset 0: Input/output error"};
    res.sourceFailed = true;
    res.unreadable = {{0, 4096}, {8192, 512}};
    res.unwritable = {{65536, 4096}};
    if (outcome == O::Completed) {
        engine::VerifyReport v;
        v.identical = false;
        v.bytesCompared = 1 << 30;
        v.bytesSkipped = 2 << 20;
        v.bytesHashChecked = 4096;
        v.bytesUnchecked = 512;
        v.bytesPastEnd = 1 << 20;
        v.pastEndZero = true;
        v.differences = {{4096, 4096}};
        v.moreDifferences = true;
        res.verify = v;
    }
    res.verifyCancelled = outcome == O::Cancelled;
    res.quiesceSeconds = 0.25;
    res.pastEndBytes = 1 << 20;
    res.pastEndWiped = true;
    res.powerCutCopy = powerCut;
    res.powerCutReason = powerCut ? "a quick cancel was asked for" : "";
    res.bytesDone = 5ull << 30;
    res.bytesZeroed = 1ull << 30;
    res.elapsedSeconds = 12.5;
    engine::JobSnapshot snap;
    snap.bytesDone = res.bytesDone;
    const cli::JobEnd end{
        res, snap, outcome == O::Failed ? res.error.message : "", 4096, 4608, true, false, {}};

    const std::string_view name = protocol::endEvent(cli::toProtocol(outcome));
    const auto data = eventData(cli::eventLine(name, cli::endData(kDevice, end)), name);
    const ui::JobOutcome got = ui::parseOutcome(ui::protocolName(name), data);
    QCOMPARE(protocol::outcomeName(cli::toProtocol(got.outcome)),
             protocol::outcomeName(cli::toProtocol(outcome)));
    if (outcome == O::Failed) {
        QCOMPARE(got.error.code, res.error.code);
        QCOMPARE(got.error.message, res.error.message);
        QCOMPARE(got.sourceFailed, true);
    }
    QCOMPARE(got.verify.has_value(), res.verify.has_value());
    if (res.verify) {
        QCOMPARE(got.verify->identical, res.verify->identical);
        QCOMPARE(got.verify->bytesCompared, res.verify->bytesCompared);
        QCOMPARE(got.verify->bytesSkipped, res.verify->bytesSkipped);
        QCOMPARE(got.verify->bytesHashChecked, res.verify->bytesHashChecked);
        QCOMPARE(got.verify->bytesUnchecked, res.verify->bytesUnchecked);
        QCOMPARE(got.verify->bytesPastEnd, res.verify->bytesPastEnd);
        QCOMPARE(got.verify->pastEndZero, res.verify->pastEndZero);
        QVERIFY(got.verify->differences == res.verify->differences);
        QCOMPARE(got.verify->moreDifferences, res.verify->moreDifferences);
    }
    QCOMPARE(got.verifyCancelled, res.verifyCancelled);
    const bool quiesced = outcome == O::Completed || (outcome == O::Cancelled && !powerCut);
    QCOMPARE(got.quiesceSeconds, quiesced ? res.quiesceSeconds : 0.0);
    QCOMPARE(got.powerCutCopy, powerCut);
    QCOMPARE(got.powerCutReason, QString::fromStdString(res.powerCutReason));
    QCOMPARE(got.pastEndBytes, res.pastEndBytes);
    QCOMPARE(got.pastEndWiped, res.pastEndWiped);
    QCOMPARE(got.elapsedSeconds, res.elapsedSeconds);
    QCOMPARE(got.bytesDone, res.bytesDone);
    QCOMPARE(got.bytesZeroed, res.bytesZeroed);
    QCOMPARE(got.unreadableRanges, std::uint64_t{2});
    QCOMPARE(got.unwritableRanges, std::uint64_t{1});
}

void TestProtocolRoundTrip::errorReplies()
{
    const QJsonObject refused = parseLine(cli::errorLine(
        engine::refusal(EEXIST, engine::Rule::TargetHoldsData, "the target holds data")));
    QVERIFY(!refused.contains(ui::protocolName(key::kId)));
    const engine::Error e = ui::parseError(refused.value(ui::protocolName(key::kError)).toObject());
    QCOMPARE(e.code, EEXIST);
    QCOMPARE(e.message, std::string("the target holds data (rule: target holds data)"));
    QCOMPARE(e.rule, engine::Rule::TargetHoldsData);

    const QJsonObject answered = parseLine(cli::errorLine({EINVAL, "unknown command"}, "c-7"));
    QCOMPARE(answered.value(ui::protocolName(key::kId)).toString(), QStringLiteral("c-7"));
    const engine::Error plain =
        ui::parseError(answered.value(ui::protocolName(key::kError)).toObject());
    QCOMPARE(plain.code, EINVAL);
    QCOMPARE(plain.rule, engine::Rule::None);

    const QJsonObject ok = parseLine(cli::returnLine("{}", "c-8"));
    QVERIFY(ok.contains(ui::protocolName(key::kReturn)));
    QCOMPARE(ok.value(ui::protocolName(key::kId)).toString(), QStringLiteral("c-8"));
}

void TestProtocolRoundTrip::statusReply()
{
    const engine::JobSnapshot want = busySnapshot();
    const QJsonObject o = parseLine(cli::returnLine(cli::statusData(kDevice, want).str(), {}));
    const engine::JobSnapshot got =
        ui::parseProgress(o.value(ui::protocolName(key::kReturn)).toObject(), 0);
    QCOMPARE(engine::toString(got.status), engine::toString(want.status));
    QCOMPARE(got.dirtyBytes, want.dirtyBytes);
    QCOMPARE(got.bytesDone, want.bytesDone);
}

void TestProtocolRoundTrip::inspectAnswer()
{
    engine::TargetReview r;
    r.refusal = engine::refusal(EBUSY, engine::Rule::TargetInUse, "nvme1n1 is mounted");
    r.facts.exists = true;
    r.facts.blockDevice = true;
    r.facts.size = 512ull << 30;
    r.facts.dataSignature = "a GPT partition table";
    r.facts.signatureReadable = true;
    r.facts.partitions = {"nvme1n1p1", "nvme1n1p3"};
    r.facts.identity = "nvme-eui.0025388b";
    r.device = device("nvme1n1", false);
    r.partitions = {device("nvme1n1p3", true)};
    const auto got = ui::parseInspection(
        QByteArray::fromStdString(cli::inspectJson(r, "/dev/nvme1n1", "/dev/sda", "nvme-x")));
    QVERIFY(got);
    QCOMPARE(got->target, QStringLiteral("/dev/nvme1n1"));
    QCOMPARE(got->source, QStringLiteral("/dev/sda"));
    QCOMPARE(got->expectedTargetId, QStringLiteral("nvme-x"));
    QVERIFY(got->refusal);
    QCOMPARE(got->refusal->code, EBUSY);
    QCOMPARE(got->refusal->message, r.refusal->message);
    QCOMPARE(got->refusal->rule, engine::Rule::TargetInUse);
    QCOMPARE(got->facts.exists, r.facts.exists);
    QCOMPARE(got->facts.blockDevice, r.facts.blockDevice);
    QCOMPARE(got->facts.size, r.facts.size);
    QCOMPARE(got->facts.dataSignature, r.facts.dataSignature);
    QCOMPARE(got->facts.signatureReadable, r.facts.signatureReadable);
    QCOMPARE(got->facts.partitions, r.facts.partitions);
    QCOMPARE(got->facts.identity, r.facts.identity);
    QVERIFY(got->device);
    compareDevice(*got->device, *r.device);
    QCOMPARE(got->partitions.size(), std::size_t{1});
    compareDevice(got->partitions[0], r.partitions[0]);
}

// The other direction: the options the window starts a helper with, as its
// command line, parsed back by the CLI's own parser into the same value.
void TestProtocolRoundTrip::jobOptions_data()
{
    QTest::addColumn<int>("row");
    QTest::newRow("defaults") << 0;
    QTest::newRow("every field changed") << 1;
    QTest::newRow("edges of the ranges") << 2;
    QTest::newRow("other edges") << 3;
}

void TestProtocolRoundTrip::jobOptions()
{
    QFETCH(int, row);
    engine::JobOptions want;
    if (row == 1) {
        want.sync = engine::SyncMode::Top;
        want.granularity = 4096;
        want.bufSize = 4ull << 20;
        want.speed = 123456789;
        want.onSourceError = engine::ErrorPolicy::Ignore;
        want.onTargetError = engine::ErrorPolicy::Enospc;
        want.unmap = false;
        want.verify = true;
        want.wipeRest = true;
        want.maxFreezeSeconds = 2.5;
        want.yield = engine::YieldMode::Off;
        want.reconnectSeconds = 7;
    } else if (row == 2) {
        want.sync = engine::SyncMode::None;
        want.granularity = engine::kMaxGranularity;
        want.bufSize = engine::kMaxBufSize;
        want.onSourceError = engine::ErrorPolicy::Stop;
        want.maxFreezeSeconds = engine::kMinFreezeSeconds;
        want.reconnectSeconds = 0;
    } else if (row == 3) {
        want.reconnectSeconds = engine::kMaxReconnectSeconds;
    }
    QVERIFY(engine::validate(want));
    ui::JobRequest request;
    request.source = QStringLiteral("/var/tmp/source.img");
    request.targets = {ui::RequestTarget{QStringLiteral("/var/tmp/target.img"), {}, false}};
    request.settings = want;
    QStringList words = ui::mirrorArguments(request, 64);
    QCOMPARE(words.value(0), QStringLiteral("mirror"));
    std::vector<std::string> storage;
    for (const QString& w : words)
        storage.push_back(w.toStdString());
    std::vector<char*> argv;
    for (std::string& s : storage)
        argv.push_back(s.data());
    argv.push_back(nullptr);

    cli::MirrorArgs got;
    cli::CommandOptions command;
    command.unknown = [](const char* word) { return std::string("unknown: ") + word; };
    const auto error =
        cli::parseCommandLine(static_cast<int>(storage.size()), argv.data(), got, command);
    QVERIFY2(!error, error ? error->c_str() : "");
    QCOMPARE(got.options.reconnectSeconds, want.reconnectSeconds);
    QVERIFY(got.options == want);
    QCOMPARE(int(got.options.yield), int(want.yield));
    QCOMPARE(got.options.maxFreezeSeconds, want.maxFreezeSeconds);
}

QTEST_GUILESS_MAIN(TestProtocolRoundTrip)
#include "tst_protocol_roundtrip.moc"
