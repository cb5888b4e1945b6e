#include "helper_protocol.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>

#include <sys/sysmacros.h>

#include <cerrno>

namespace ui {

namespace {

std::uint64_t u64(const QJsonValue& v)
{
    const qint64 n = v.toInteger(-1);
    return n < 0 ? 0 : static_cast<std::uint64_t>(n);
}

std::string str(const QJsonValue& v)
{
    return v.toString().toStdString();
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
            {u64(r.value(QStringLiteral("offset"))), u64(r.value(QStringLiteral("length")))});
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

QString absolute(const QString& path)
{
    return QFileInfo(path).absoluteFilePath();
}

} // namespace

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

QStringList mirrorArguments(const JobRequest& request, int mapCells)
{
    const JobSettings& s = request.settings;
    QStringList a{QStringLiteral("mirror"), absolute(request.source), absolute(request.target),
                  QStringLiteral("--json"), QStringLiteral("--cancel-on-eof"),
                  QStringLiteral("--no-command-queue"),
                  // The window asks the user whether to delete an incomplete copy.
                  QStringLiteral("--keep-incomplete"), QStringLiteral("--progress-interval"),
                  QStringLiteral("100"), QStringLiteral("--map-cells"), QString::number(mapCells),
                  QStringLiteral("--sync"), QString::fromUtf8(engine::toString(s.sync).data()),
                  QStringLiteral("--buf-size"), QString::number(s.bufSize),
                  QStringLiteral("--speed"), QString::number(s.speed),
                  QStringLiteral("--on-source-error"),
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
    if (request.overwriteConfirmed)
        a << QStringLiteral("--force");
    if (!request.expectedTargetId.isEmpty())
        a << QStringLiteral("--expect-id") << request.expectedTargetId;
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
    auto v = [&o](const char* key) { return o.value(QLatin1String(key)); };
    engine::DeviceInfo d;
    d.name = str(v("name"));
    d.devnode = str(v("path"));
    d.devnum =
        makedev(static_cast<unsigned>(u64(v("major"))), static_cast<unsigned>(u64(v("minor"))));
    d.isPartition = o.contains(QLatin1String("parent"));
    d.parent = str(v("parent"));
    d.partitionNumber = static_cast<unsigned>(u64(v("partition-number")));
    d.startSector = u64(v("start-sector"));
    d.vendor = str(v("vendor"));
    d.model = str(v("model"));
    d.serial = str(v("serial"));
    d.wwn = str(v("wwn"));
    d.diskSeq = u64(v("disk-seq"));
    d.bus = str(v("bus"));
    d.size = u64(v("size"));
    d.logicalBlockSize = static_cast<std::uint32_t>(u64(v("logical-block-size")));
    d.physicalBlockSize = static_cast<std::uint32_t>(u64(v("physical-block-size")));
    d.removable = v("removable").toBool();
    d.rotational = v("rotational").toBool();
    d.readOnly = v("read-only").toBool();
    d.loopBackingFile = str(v("backing-file"));
    d.partitionTable = str(v("partition-table"));
    d.fsType = str(v("fs-type"));
    d.fsLabel = str(v("fs-label"));
    d.fsUuid = str(v("fs-uuid"));
    d.mountPoints = strings(v("mount-points"));
    d.holders = strings(v("holders"));
    d.swap = v("swap").toBool();
    d.holdsData = v("holds-data").toBool();
    return d;
}

engine::Error parseError(const QJsonObject& error)
{
    const int code = error.value(QStringLiteral("errno")).toInt(EIO);
    return engine::Error{code, str(error.value(QStringLiteral("desc"))),
                         engine::ruleFromName(str(error.value(QStringLiteral("rule"))))};
}

std::optional<TargetInspection> parseInspection(const QByteArray& json)
{
    const QJsonDocument doc = QJsonDocument::fromJson(json.trimmed());
    if (!doc.isObject())
        return std::nullopt;
    const QJsonObject o = doc.object();
    if (!o.contains(QStringLiteral("facts")) || !o.contains(QStringLiteral("target")))
        return std::nullopt;
    TargetInspection out;
    out.target = o.value(QStringLiteral("target")).toString();
    out.source = o.value(QStringLiteral("source")).toString();
    out.expectedTargetId = o.value(QStringLiteral("expect-id")).toString();
    if (o.contains(QStringLiteral("refusal"))) {
        const QJsonObject r = o.value(QStringLiteral("refusal")).toObject();
        out.refusal = engine::Error{r.value(QStringLiteral("errno")).toInt(EPERM),
                                    str(r.value(QStringLiteral("message"))),
                                    engine::ruleFromName(str(r.value(QStringLiteral("rule"))))};
    }
    const QJsonObject f = o.value(QStringLiteral("facts")).toObject();
    out.facts.exists = f.value(QStringLiteral("exists")).toBool();
    out.facts.blockDevice = f.value(QStringLiteral("block-device")).toBool();
    out.facts.size = u64(f.value(QStringLiteral("size")));
    out.facts.dataSignature = str(f.value(QStringLiteral("data-signature")));
    out.facts.signatureReadable = f.value(QStringLiteral("signature-readable")).toBool();
    out.facts.partitions = strings(f.value(QStringLiteral("partitions")));
    out.facts.identity = str(o.value(QStringLiteral("id")));
    if (o.contains(QStringLiteral("device")))
        out.device = parseDevice(o.value(QStringLiteral("device")).toObject());
    for (const QJsonValue& p : o.value(QStringLiteral("device-partitions")).toArray())
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
    s.status = parseStatus(data.value(QStringLiteral("status")).toString())
                   .value_or(engine::JobStatus::Running);
    s.diskSize = diskSize;
    const std::uint64_t len = u64(data.value(QStringLiteral("len")));
    s.bytesDone = u64(data.value(QStringLiteral("offset")));
    s.bytesRemaining = len > s.bytesDone ? len - s.bytesDone : 0;
    s.bytesZeroed = u64(data.value(QStringLiteral("zeroed")));
    s.dirtyBytes = u64(data.value(QStringLiteral("dirty")));
    s.inFlightBytes = u64(data.value(QStringLiteral("in-flight")));
    s.speedLimit = u64(data.value(QStringLiteral("speed")));
    s.unreadableBytes = u64(data.value(QStringLiteral("unreadable-bytes")));
    s.ioError = str(data.value(QStringLiteral("io-error")));
    s.verifying = data.value(QStringLiteral("verifying")).toBool();
    if (s.verifying) {
        s.verifyDone = u64(data.value(QStringLiteral("verify-done")));
        s.verifyTotal = u64(data.value(QStringLiteral("verify-total")));
    }
    return s;
}

std::optional<engine::DirtyMapSnapshot> parseDirtyMap(const QJsonObject& data,
                                                      std::uint64_t diskSize)
{
    const QByteArray hex = data.value(QStringLiteral("map")).toString().toLatin1();
    if (hex.isEmpty() || hex.size() % 2)
        return std::nullopt;
    engine::DirtyMapSnapshot m;
    m.diskSize = diskSize;
    m.granularity = u64(data.value(QStringLiteral("granularity")));
    m.cells.reserve(static_cast<std::size_t>(hex.size() / 2));
    for (qsizetype i = 0; i < hex.size(); i += 2) {
        const int hi = hexDigit(hex[i]);
        const int lo = hexDigit(hex[i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        m.cells.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
    }
    m.inFlight = ranges(data.value(QStringLiteral("in-flight-ranges")));
    m.unreadable = ranges(data.value(QStringLiteral("unreadable-ranges")));
    return m;
}

JobOutcome parseOutcome(const QString& event, const QJsonObject& data)
{
    using Outcome = engine::JobResult::Outcome;
    JobOutcome out;
    const QString name = data.value(QStringLiteral("outcome")).toString();
    if (name == QLatin1String("completed"))
        out.outcome = Outcome::Completed;
    else if (name == QLatin1String("cancelled"))
        out.outcome = Outcome::Cancelled;
    else if (name == QLatin1String("aborted"))
        out.outcome = Outcome::Aborted;
    else if (name == QLatin1String("failed") || event == QLatin1String("BLOCK_JOB_COMPLETED"))
        out.outcome = Outcome::Failed;
    else
        out.outcome = Outcome::Aborted;
    if (out.outcome == Outcome::Failed) {
        out.error = engine::Error{data.value(QStringLiteral("errno")).toInt(EIO),
                                  str(data.value(QStringLiteral("error")))};
        out.sourceFailed = data.value(QStringLiteral("source-failed")).toBool();
    }
    if (data.contains(QStringLiteral("verify"))) {
        const QJsonObject v = data.value(QStringLiteral("verify")).toObject();
        engine::VerifyReport r;
        r.identical = v.value(QStringLiteral("identical")).toBool();
        r.bytesCompared = u64(v.value(QStringLiteral("compared")));
        r.bytesSkipped = u64(v.value(QStringLiteral("skipped-holes")));
        r.bytesHashChecked = u64(v.value(QStringLiteral("hash-checked")));
        r.bytesUnchecked = u64(v.value(QStringLiteral("unchecked")));
        r.bytesPastEnd = u64(v.value(QStringLiteral("past-end")));
        r.pastEndZero = v.value(QStringLiteral("past-end-zero")).toBool();
        r.differences = ranges(v.value(QStringLiteral("differences")));
        r.moreDifferences = v.value(QStringLiteral("more-differences")).toBool();
        out.verify = r;
    }
    out.verifyCancelled = data.value(QStringLiteral("verify-cancelled")).toBool();
    out.powerCutCopy =
        out.outcome == Outcome::Cancelled && data.value(QStringLiteral("powercut-copy")).toBool();
    out.powerCutReason = data.value(QStringLiteral("powercut-reason")).toString();
    out.pastEndBytes = u64(data.value(QStringLiteral("past-end-bytes")));
    out.pastEndWiped =
        out.pastEndBytes > 0 && data.value(QStringLiteral("past-end-wiped")).toBool();
    out.quiesceSeconds = data.value(QStringLiteral("quiesce-seconds")).toDouble();
    out.elapsedSeconds = data.value(QStringLiteral("elapsed")).toDouble();
    out.bytesDone = u64(data.value(QStringLiteral("offset")));
    out.bytesZeroed = u64(data.value(QStringLiteral("zeroed")));
    out.unreadableRanges =
        static_cast<std::uint64_t>(data.value(QStringLiteral("unreadable")).toArray().size());
    out.unwritableRanges =
        static_cast<std::uint64_t>(data.value(QStringLiteral("unwritable")).toArray().size());
    return out;
}

} // namespace ui
