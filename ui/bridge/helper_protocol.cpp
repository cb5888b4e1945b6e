#include "bridge/helper_protocol.h"

#include "io/nbd_connection.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

#include <sys/sysmacros.h>

#include <algorithm>
#include <cerrno>
#include <limits>

namespace ui {

namespace key = protocol::key;

namespace {

std::uint64_t u64(const QJsonValue& v)
{
    const qint64 n = v.toInteger(-1);
    return n < 0 ? 0 : static_cast<std::uint64_t>(n);
}

unsigned u32(const QJsonValue& v)
{
    return static_cast<unsigned>(
        std::min<std::uint64_t>(u64(v), std::numeric_limits<unsigned>::max()));
}

std::string str(const QJsonValue& v)
{
    return v.toString().toStdString();
}

std::optional<double> number(const QJsonValue& v)
{
    if (!v.isDouble())
        return std::nullopt;
    return v.toDouble();
}

engine::JobSnapshot::YieldView parseYield(const QJsonObject& o)
{
    engine::JobSnapshot::YieldView y;
    y.active = o.value(protocolName(key::kActive)).toBool();
    y.yielding = o.value(protocolName(key::kYielding)).toBool();
    y.share = o.value(protocolName(key::kShare)).toDouble(1.0);
    y.reason = str(o.value(protocolName(key::kReason)));
    y.foregroundIops = o.value(protocolName(key::kForegroundIops)).toDouble();
    y.foregroundLatencyMs = number(o.value(protocolName(key::kForegroundLatencyMs)));
    return y;
}

// "reconnects" counts for the whole run; the "reconnecting" object is there
// only while a connection is lost, so its presence is what makes it active.
engine::JobSnapshot::ReconnectView parseReconnect(const QJsonObject& data)
{
    engine::JobSnapshot::ReconnectView r;
    r.reconnects = u32(data.value(protocolName(key::kReconnects)));
    const QJsonValue v = data.value(protocolName(key::kReconnecting));
    if (!v.isObject())
        return r;
    const QJsonObject o = v.toObject();
    r.active = true;
    r.endpoint = str(o.value(protocolName(key::kEndpoint)));
    r.lostSeconds = o.value(protocolName(key::kLostSeconds)).toDouble();
    r.attempts = u32(o.value(protocolName(key::kAttempts)));
    r.limitSeconds = u32(o.value(protocolName(key::kLimitSeconds)));
    return r;
}

engine::Forecast::Estimate parseForecast(const QJsonObject& o)
{
    using engine::Forecast;
    Forecast::Estimate e;
    const auto confidence =
        protocol::indexOf(protocol::kConfidenceNames, str(o.value(protocolName(key::kConfidence))));
    e.confidence = static_cast<Forecast::Confidence>(confidence.value_or(0));
    e.copyRate = o.value(protocolName(key::kCopyRate)).toDouble();
    e.dirtyRate = o.value(protocolName(key::kDirtyRate)).toDouble();
    e.converges = o.value(protocolName(key::kConverges)).toBool(true);
    e.secondsToReady = number(o.value(protocolName(key::kReadyIn)));
    e.freezeSeconds = number(o.value(protocolName(key::kFreeze)));
    e.freezeIfCompletedNow = number(o.value(protocolName(key::kFreezeIfCompletedNow)));
    for (const QJsonValue& r : o.value(protocolName(key::kRemedies)).toArray())
        if (const auto i = protocol::indexOf(protocol::kRemedyNames, str(r)))
            e.remedies.push_back(static_cast<Forecast::Remedy>(*i));
    return e;
}

std::vector<std::string> strings(const QJsonValue& v)
{
    std::vector<std::string> out;
    for (const QJsonValue& e : v.toArray())
        out.push_back(str(e));
    return out;
}

std::vector<engine::ByteRange> ranges(const QJsonValue& v)
{
    std::vector<engine::ByteRange> out;
    for (const QJsonValue& e : v.toArray()) {
        const QJsonObject r = e.toObject();
        out.push_back(
            {u64(r.value(protocolName(key::kOffset))), u64(r.value(protocolName(key::kLength)))});
    }
    return out;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

engine::JobResult::Outcome fromProtocol(protocol::Outcome o)
{
    switch (o) {
    case protocol::Outcome::Completed:
        return engine::JobResult::Outcome::Completed;
    case protocol::Outcome::Cancelled:
        return engine::JobResult::Outcome::Cancelled;
    case protocol::Outcome::Aborted:
        return engine::JobResult::Outcome::Aborted;
    case protocol::Outcome::Failed:
        break;
    }
    return engine::JobResult::Outcome::Failed;
}

QString absolute(const QString& path)
{
    return helperPath(path);
}

} // namespace

QString helperPath(const QString& pathOrUri)
{
    if (engine::isNbdUri(pathOrUri.toStdString()))
        return pathOrUri;
    return QFileInfo(pathOrUri).absoluteFilePath();
}

QString HelperCommand::display() const
{
    return (QStringList{program} + arguments).join(QLatin1Char(' '));
}

HelperCommand HelperCommand::detect(const QString& applicationDir)
{
    HelperCommand h;
    const QString custom = qEnvironmentVariable("DRIVEMIRROR_HELPER").trimmed();
    if (!custom.isEmpty()) {
        QStringList parts = custom.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        h.program = parts.takeFirst();
        h.arguments = parts;
        return h;
    }
    const QString cli = QDir(applicationDir).filePath(QStringLiteral("drivemirror-cli"));
    const QString pkexec = QStandardPaths::findExecutable(QStringLiteral("pkexec"));
    if (pkexec.isEmpty() || !QFileInfo(cli).isExecutable())
        return h;
    h.program = pkexec;
    h.arguments = {QFileInfo(cli).canonicalFilePath()};
    return h;
}

std::optional<HelperLine> parseHelperLine(const QByteArray& line)
{
    const QJsonDocument doc = QJsonDocument::fromJson(line);
    if (!doc.isObject())
        return std::nullopt;
    HelperLine out;
    out.object = doc.object();
    out.event = out.object.value(protocolName(protocol::key::kEvent)).toString();
    out.data = out.object.value(protocolName(protocol::key::kData)).toObject();
    return out;
}

QList<QByteArray> takeLines(QByteArray& pending, const QByteArray& read)
{
    pending += read;
    QList<QByteArray> lines;
    qsizetype start = 0;
    for (qsizetype nl; (nl = pending.indexOf('\n', start)) >= 0; start = nl + 1)
        lines << pending.mid(start, nl - start);
    pending.remove(0, start);
    return lines;
}

std::optional<QString> relayHelperLog(const QByteArray& raw, const engine::Logger& log,
                                      std::string_view prefix)
{
    const QString line = QString::fromUtf8(raw).trimmed();
    if (line.isEmpty())
        return std::nullopt;
    const qsizetype colon = line.indexOf(QLatin1String(": "));
    const QString head = colon > 0 ? line.left(colon) : QString();
    const std::string text = (colon > 0 ? line.mid(colon + 2) : line).toStdString();
    if (head == QLatin1String("info")) {
        log->info("{}{}", prefix, text);
    } else if (head == QLatin1String("warning")) {
        log->warn("{}{}", prefix, text);
    } else if (head == QLatin1String("debug")) {
        log->debug("{}{}", prefix, text);
    } else {
        const QString error = head == QLatin1String("error") || head == QLatin1String("critical") ||
                                      head == QLatin1String("drivemirror-cli")
                                  ? QString::fromStdString(text)
                                  : line;
        log->error("{}{}", prefix, error.toStdString());
        return error;
    }
    return std::nullopt;
}

QStringList mirrorArguments(const JobRequest& request, int mapCells)
{
    const engine::JobOptions& s = request.settings;
    QStringList a{QStringLiteral("mirror"), absolute(request.source)};
    for (const RequestTarget& t : request.targets)
        a << absolute(t.path);
    a << QStringList{
        QStringLiteral("--json"), QStringLiteral("--cancel-on-eof"),
        QStringLiteral("--no-command-queue"),
        // The window asks the user whether to delete an incomplete copy.
        QStringLiteral("--keep-incomplete"), QStringLiteral("--progress-interval"),
        QStringLiteral("100"), QStringLiteral("--map-cells"), QString::number(mapCells),
        QStringLiteral("--sync"), QString::fromUtf8(engine::toString(s.sync).data()),
        QStringLiteral("--buf-size"), QString::number(s.bufSize), QStringLiteral("--speed"),
        QString::number(s.speed), QStringLiteral("--on-source-error"),
        QString::fromUtf8(engine::toString(s.onSourceError).data()),
        QStringLiteral("--on-target-error"),
        QString::fromUtf8(engine::toString(s.onTargetError).data())};
    if (s.granularity)
        a << QStringLiteral("--granularity") << QString::number(s.granularity);
    if (!s.unmap)
        a << QStringLiteral("--no-unmap");
    if (s.verify)
        a << QStringLiteral("--verify");
    // Always passed: the helper's default could differ from what the window
    // shows. QString::number writes a decimal point whatever the locale.
    a << QStringLiteral("--max-freeze") << QString::number(s.maxFreezeSeconds, 'g', 6);
    if (s.wipeRest)
        a << QStringLiteral("--wipe-rest");
    a << QStringLiteral("--yield") << QString::fromUtf8(engine::toString(s.yield).data());
    a << QStringLiteral("--reconnect-timeout") << QString::number(s.reconnectSeconds);
    // The helper keeps its checkpoints where root's jobs keep them
    // (/var/lib/drivemirror): pkexec passes no environment that could point
    // it elsewhere, so that is where the window finds them again.
    if (request.resume)
        a << QStringLiteral("--resume");
    // Each target is bound to what the user confirmed for it alone: the
    // helper may overwrite data only on the targets named here.
    for (const RequestTarget& t : request.targets)
        if (t.overwriteConfirmed)
            a << QStringLiteral("--overwrite") << absolute(t.path);
    // --expect-id is given once per target, in order, or not at all.
    const bool allBound =
        std::all_of(request.targets.begin(), request.targets.end(),
                    [](const RequestTarget& t) { return !t.expectedId.isEmpty(); });
    if (allBound)
        for (const RequestTarget& t : request.targets)
            a << QStringLiteral("--expect-id") << t.expectedId;
    return a;
}

QStringList inspectArguments(const QString& source, const QString& target,
                             const QString& expectedTargetId)
{
    QStringList a{QStringLiteral("inspect"), absolute(target), QStringLiteral("--json")};
    if (!source.isEmpty())
        a << QStringLiteral("--source") << absolute(source);
    if (!expectedTargetId.isEmpty())
        a << QStringLiteral("--expect-id") << expectedTargetId;
    return a;
}

engine::DeviceInfo parseDevice(const QJsonObject& o)
{
    auto v = [&o](std::string_view k) { return o.value(protocolName(k)); };
    engine::DeviceInfo d;
    d.name = str(v(key::kName));
    d.devnode = str(v(key::kPath));
    d.devnum = makedev(static_cast<unsigned>(u64(v(key::kMajor))),
                       static_cast<unsigned>(u64(v(key::kMinor))));
    d.isPartition = o.contains(protocolName(key::kParent));
    d.parent = str(v(key::kParent));
    d.partitionNumber = static_cast<unsigned>(u64(v(key::kPartitionNumber)));
    d.startSector = u64(v(key::kStartSector));
    d.vendor = str(v(key::kVendor));
    d.model = str(v(key::kModel));
    d.serial = str(v(key::kSerial));
    d.wwn = str(v(key::kWwn));
    d.diskSeq = u64(v(key::kDiskSeq));
    d.bus = str(v(key::kBus));
    d.size = u64(v(key::kSize));
    d.logicalBlockSize = static_cast<std::uint32_t>(u64(v(key::kLogicalBlockSize)));
    d.physicalBlockSize = static_cast<std::uint32_t>(u64(v(key::kPhysicalBlockSize)));
    d.removable = v(key::kRemovable).toBool();
    d.rotational = v(key::kRotational).toBool();
    d.readOnly = v(key::kReadOnly).toBool();
    d.loopBackingFile = str(v(key::kBackingFile));
    d.partitionTable = str(v(key::kPartitionTable));
    d.fsType = str(v(key::kFsType));
    d.fsLabel = str(v(key::kFsLabel));
    d.fsUuid = str(v(key::kFsUuid));
    d.mountPoints = strings(v(key::kMountPoints));
    d.holders = strings(v(key::kHolders));
    d.swap = v(key::kSwap).toBool();
    d.holdsData = v(key::kHoldsData).toBool();
    return d;
}

QByteArray commandLine(engine::JobVerb verb, std::uint64_t argument)
{
    namespace command = protocol::command;
    const auto bytes = [](std::string_view word) {
        return QByteArray(word.data(), static_cast<qsizetype>(word.size()));
    };
    switch (verb) {
    case engine::JobVerb::Complete:
        return bytes(command::kComplete);
    case engine::JobVerb::Cancel:
        return argument ? bytes(command::kCancel) + ' ' + bytes(command::kQuick)
                        : bytes(command::kCancel);
    case engine::JobVerb::Pause:
        return bytes(command::kPause);
    case engine::JobVerb::Resume:
        return bytes(command::kResume);
    case engine::JobVerb::SetSpeed:
        break;
    }
    return bytes(command::kSpeed) + ' ' + QByteArray::number(qulonglong(argument));
}

JobStart parseStarted(const QJsonObject& data)
{
    JobStart s;
    s.target = data.value(protocolName(key::kTarget)).toString();
    s.len = static_cast<std::uint64_t>(data.value(protocolName(key::kLen)).toInteger());
    s.live = data.value(protocolName(key::kLive)).toBool();
    for (const QJsonValue& m : data.value(protocolName(key::kMountPoints)).toArray())
        s.mountPoints << m.toString();
    s.targetCreated = data.value(protocolName(key::kTargetCreated)).toBool();
    return s;
}

engine::Error parseError(const QJsonObject& error)
{
    const int code = error.value(protocolName(key::kErrno)).toInt(EIO);
    return engine::Error{code, str(error.value(protocolName(key::kDesc))),
                         engine::ruleFromName(str(error.value(protocolName(key::kRule))))};
}

std::optional<TargetInspection> parseInspection(const QByteArray& json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json.trimmed());
    if (!doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    if (!o.contains(protocolName(key::kFacts)) || !o.contains(protocolName(key::kTarget)))
        return std::nullopt;
    TargetInspection out;
    out.target = o.value(protocolName(key::kTarget)).toString();
    out.source = o.value(protocolName(key::kSource)).toString();
    out.expectedTargetId = o.value(protocolName(key::kExpectId)).toString();
    if (o.contains(protocolName(key::kRefusal))) {
        const QJsonObject r = o.value(protocolName(key::kRefusal)).toObject();
        out.refusal = engine::Error{r.value(protocolName(key::kErrno)).toInt(EPERM),
                                    str(r.value(protocolName(key::kMessage))),
                                    engine::ruleFromName(str(r.value(protocolName(key::kRule))))};
    }
    const QJsonObject f = o.value(protocolName(key::kFacts)).toObject();
    out.facts.exists = f.value(protocolName(key::kExists)).toBool();
    out.facts.blockDevice = f.value(protocolName(key::kBlockDevice)).toBool();
    out.facts.size = u64(f.value(protocolName(key::kSize)));
    out.facts.dataSignature = str(f.value(protocolName(key::kDataSignature)));
    out.facts.signatureReadable = f.value(protocolName(key::kSignatureReadable)).toBool();
    out.facts.partitions = strings(f.value(protocolName(key::kPartitions)));
    out.facts.identity = str(o.value(protocolName(key::kId)));
    if (o.contains(protocolName(key::kDevice)))
        out.device = parseDevice(o.value(protocolName(key::kDevice)).toObject());
    for (const QJsonValue& p : o.value(protocolName(key::kDevicePartitions)).toArray())
        out.partitions.push_back(parseDevice(p.toObject()));
    return out;
}

std::optional<engine::JobStatus> parseStatus(const QString& name)
{
    const std::string n = name.toStdString();
    for (std::size_t i = 0; i < engine::kStatusCount; ++i) {
        const auto s = static_cast<engine::JobStatus>(i);
        if (engine::toString(s) == n)
            return s;
    }
    return std::nullopt;
}

engine::JobSnapshot parseProgress(const QJsonObject& data, std::uint64_t diskSize)
{
    engine::JobSnapshot s;
    s.status = parseStatus(data.value(protocolName(key::kStatus)).toString())
                   .value_or(engine::JobStatus::Running);
    s.diskSize = diskSize;
    const std::uint64_t len = u64(data.value(protocolName(key::kLen)));
    s.bytesDone = u64(data.value(protocolName(key::kOffset)));
    s.bytesRemaining = len > s.bytesDone ? len - s.bytesDone : 0;
    s.bytesZeroed = u64(data.value(protocolName(key::kZeroed)));
    s.dirtyBytes = u64(data.value(protocolName(key::kDirty)));
    s.inFlightBytes = u64(data.value(protocolName(key::kInFlight)));
    s.speedLimit = u64(data.value(protocolName(key::kSpeed)));
    s.unreadableBytes = u64(data.value(protocolName(key::kUnreadableBytes)));
    s.ioError = str(data.value(protocolName(key::kIoError)));
    s.verifying = data.value(protocolName(key::kVerifying)).toBool();
    if (s.verifying) {
        s.verifyDone = u64(data.value(protocolName(key::kVerifyDone)));
        s.verifyTotal = u64(data.value(protocolName(key::kVerifyTotal)));
    }
    s.yield = parseYield(data.value(protocolName(key::kYield)).toObject());
    s.reconnect = parseReconnect(data);
    s.forecast = parseForecast(data.value(protocolName(key::kForecast)).toObject());
    return s;
}

std::optional<engine::DirtyMapSnapshot> parseDirtyMap(const QJsonObject& data,
                                                      std::uint64_t diskSize)
{
    const QByteArray hex = data.value(protocolName(key::kMap)).toString().toLatin1();
    if (hex.isEmpty() || hex.size() % 2)
        return std::nullopt;
    engine::DirtyMapSnapshot m;
    m.diskSize = diskSize;
    m.granularity = u64(data.value(protocolName(key::kGranularity)));
    m.cells.reserve(static_cast<std::size_t>(hex.size() / 2));
    for (qsizetype i = 0; i < hex.size(); i += 2) {
        const int hi = hexDigit(hex[i]);
        const int lo = hexDigit(hex[i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        m.cells.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    }
    m.inFlight = ranges(data.value(protocolName(key::kInFlightRanges)));
    m.unreadable = ranges(data.value(protocolName(key::kUnreadableRanges)));
    return m;
}

JobOutcome parseOutcome(const QString& event, const QJsonObject& data)
{
    using Outcome = engine::JobResult::Outcome;
    JobOutcome out;
    const QString name = data.value(protocolName(key::kOutcome)).toString();
    if (const auto o = protocol::outcomeFromName(name.toStdString()))
        out.outcome = fromProtocol(*o);
    else // a helper of another version: what its event says
        out.outcome =
            event == protocolName(protocol::event::kCompleted) ? Outcome::Failed : Outcome::Aborted;
    if (out.outcome == Outcome::Failed) {
        out.error = engine::Error{data.value(protocolName(key::kErrno)).toInt(EIO),
                                  str(data.value(protocolName(key::kError)))};
        out.sourceFailed = data.value(protocolName(key::kSourceFailed)).toBool();
    }
    if (data.contains(protocolName(key::kVerify))) {
        const QJsonObject v = data.value(protocolName(key::kVerify)).toObject();
        engine::VerifyReport r;
        r.identical = v.value(protocolName(key::kIdentical)).toBool();
        r.bytesCompared = u64(v.value(protocolName(key::kCompared)));
        r.bytesSkipped = u64(v.value(protocolName(key::kSkippedHoles)));
        r.bytesHashChecked = u64(v.value(protocolName(key::kHashChecked)));
        r.bytesUnchecked = u64(v.value(protocolName(key::kUnchecked)));
        r.bytesPastEnd = u64(v.value(protocolName(key::kPastEnd)));
        r.pastEndZero = v.value(protocolName(key::kPastEndZero)).toBool();
        r.differences = ranges(v.value(protocolName(key::kDifferences)));
        r.moreDifferences = v.value(protocolName(key::kMoreDifferences)).toBool();
        out.verify = r;
    }
    out.verifyCancelled = data.value(protocolName(key::kVerifyCancelled)).toBool();
    out.powerCutCopy =
        out.outcome == Outcome::Cancelled && data.value(protocolName(key::kPowercutCopy)).toBool();
    out.powerCutReason = data.value(protocolName(key::kPowercutReason)).toString();
    out.pastEndBytes = u64(data.value(protocolName(key::kPastEndBytes)));
    out.pastEndWiped =
        out.pastEndBytes > 0 && data.value(protocolName(key::kPastEndWiped)).toBool();
    out.quiesceSeconds = data.value(protocolName(key::kQuiesceSeconds)).toDouble();
    out.elapsedSeconds = data.value(protocolName(key::kElapsed)).toDouble();
    out.bytesDone = u64(data.value(protocolName(key::kOffset)));
    out.bytesZeroed = u64(data.value(protocolName(key::kZeroed)));
    out.unreadableRanges =
        static_cast<std::uint64_t>(data.value(protocolName(key::kUnreadable)).toArray().size());
    out.unwritableRanges =
        static_cast<std::uint64_t>(data.value(protocolName(key::kUnwritable)).toArray().size());
    return out;
}

} // namespace ui
