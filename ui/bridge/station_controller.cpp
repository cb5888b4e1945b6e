#include "bridge/station_controller.h"

#include "protocol/station_protocol.h"
#include "station/station.h"

#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

#include <unistd.h>

#include <algorithm>
#include <utility>
#include <variant>

namespace ui {

namespace sp = protocol::station;
namespace key = protocol::station::key;

namespace {

// pkexec's own exit codes: the station never ran.
constexpr int kPkexecDismissed = 126;
constexpr int kPkexecNotAuthorized = 127;
// The station's exit codes (app/cli.h).
constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitNotAllPassed = 12;

QString text(const QJsonObject& o, std::string_view k)
{
    return o.value(protocolName(k)).toString();
}

std::uint64_t u64(const QJsonObject& o, std::string_view k)
{
    const qint64 n = o.value(protocolName(k)).toInteger(-1);
    return n < 0 ? 0 : static_cast<std::uint64_t>(n);
}

QString matchText(const QJsonObject& match)
{
    QStringList parts;
    for (auto it = match.begin(); it != match.end(); ++it)
        parts << it.key() + QLatin1Char('=') + it.value().toString();
    return parts.join(QStringLiteral(", "));
}

QString matchText(const std::map<std::string, std::string>& match)
{
    QStringList parts;
    for (const auto& [property, glob] : match)
        parts << QString::fromStdString(property) + QLatin1Char('=') + QString::fromStdString(glob);
    return parts.join(QStringLiteral(", "));
}

// The columns of a record, in the audit log's order, with their types.
const std::vector<engine::AuditField>& auditColumns()
{
    static const std::vector<engine::AuditField> columns = engine::auditFields({});
    return columns;
}

const engine::AuditField* findField(const std::vector<engine::AuditField>& fields,
                                    std::string_view column)
{
    const auto it =
        std::find_if(fields.begin(), fields.end(),
                     [column](const engine::AuditField& f) { return f.name == column; });
    return it == fields.end() ? nullptr : &*it;
}

StationRecord parseRecord(const QJsonObject& data)
{
    StationRecord r;
    for (const engine::AuditField& column : auditColumns()) {
        engine::AuditField f{column.name, column.value};
        const QJsonValue v = data.value(protocolName(column.name));
        if (std::holds_alternative<std::string>(column.value))
            f.value = v.toString().toStdString();
        else if (std::holds_alternative<std::uint64_t>(column.value))
            f.value = static_cast<std::uint64_t>(std::max<qint64>(0, v.toInteger()));
        else
            f.value = v.toDouble();
        r.fields.push_back(std::move(f));
    }
    r.passed = data.value(protocolName(key::kPassed)).toBool();
    return r;
}

bool viaPkexec(const HelperCommand& helper)
{
    const QStringList command = QStringList{helper.program} + helper.arguments;
    return std::any_of(command.begin(), command.end(), [](const QString& part) {
        return QFileInfo(part).fileName() == QLatin1String("pkexec");
    });
}

} // namespace

QString StationRecord::text(std::string_view column) const
{
    const engine::AuditField* f = findField(fields, column);
    if (!f)
        return {};
    if (const auto* s = std::get_if<std::string>(&f->value))
        return QString::fromStdString(*s);
    if (const auto* n = std::get_if<std::uint64_t>(&f->value))
        return QString::number(*n);
    return QString::fromStdString(engine::decimalText(std::get<double>(f->value)));
}

std::uint64_t StationRecord::number(std::string_view column) const
{
    const engine::AuditField* f = findField(fields, column);
    const auto* n = f ? std::get_if<std::uint64_t>(&f->value) : nullptr;
    return n ? *n : 0;
}

double StationRecord::decimal(std::string_view column) const
{
    const engine::AuditField* f = findField(fields, column);
    const auto* d = f ? std::get_if<double>(&f->value) : nullptr;
    return d ? *d : 0.0;
}

StationController::StationController(HelperCommand helper, const QString& configPath,
                                     engine::Logger log, QObject* parent)
    : QObject(parent), m_helper(std::move(helper)),
      m_configPath(QFileInfo(configPath).absoluteFilePath()), m_log(engine::orNull(std::move(log)))
{
    m_info.configPath = m_configPath;
}

StationController::~StationController()
{
    if (!m_process)
        return;
    // No signal may reach a half-destroyed controller.
    m_process->disconnect(this);
    if (m_process->state() == QProcess::NotRunning)
        return;
    m_log->info("closing: disarming the station");
    // A root station cannot be killed from here; it stops by itself once
    // its stdin ends, cancelling what it writes.
    m_process->write(QByteArray(sp::command::kDisarm.data(),
                                static_cast<qsizetype>(sp::command::kDisarm.size())) +
                     '\n');
    m_process->closeWriteChannel();
    if (!m_process->waitForFinished(60000))
        m_log->error("the station did not end within a minute");
}

HelperCommand StationController::stationCommand(const QString& applicationDir)
{
    if (::geteuid() != 0 || !qEnvironmentVariable("DRIVEMIRROR_HELPER").trimmed().isEmpty())
        return HelperCommand::detect(applicationDir);
    // Root already: pkexec would only ask for nothing.
    HelperCommand h;
    const QString cli = QDir(applicationDir).filePath(QStringLiteral("drivemirror-cli"));
    if (QFileInfo(cli).isExecutable())
        h.program = cli;
    return h;
}

QStringList StationController::arguments(const QString& configPath)
{
    return {QStringLiteral("station"), QStringLiteral("--config"),
            QFileInfo(configPath).absoluteFilePath(), QStringLiteral("--json"),
            QStringLiteral("--disarm-on-eof")};
}

void StationController::setConfig(const engine::StationConfig& config)
{
    m_config = config;
    m_info.name = QString::fromStdString(config.station);
    m_info.source = QString::fromStdString(config.source);
    m_info.verify = config.verify;
    m_info.after = QString::fromUtf8(engine::toString(config.after).data(),
                                     static_cast<qsizetype>(engine::toString(config.after).size()));
    m_info.log = QString::fromStdString(config.log);
    m_info.jsonl = QString::fromStdString(engine::jsonLinesPath(config.log));
    m_info.maxSize = config.maxSize;
    m_slots.clear();
    for (const engine::SlotConfig& s : config.slotList) {
        StationSlot slot;
        slot.label = QString::fromStdString(s.label);
        slot.match = matchText(s.match);
        m_slots.push_back(std::move(slot));
    }
    Q_EMIT infoChanged();
    Q_EMIT slotsReset();
}

void StationController::setPhase(Phase phase)
{
    if (phase == m_phase)
        return;
    m_phase = phase;
    Q_EMIT phaseChanged(phase);
}

bool StationController::arm()
{
    if (running())
        return false;
    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
        m_process = nullptr;
    }
    m_stdout.clear();
    m_stderr.clear();
    m_lastHelperError.clear();
    m_errorLineSeen = false;
    m_failedToStart = false;
    m_disarmReason.clear();
    m_finished = 0;
    m_passed = 0;
    m_exitCode.reset();
    m_info.sha256.clear();
    m_info.hashDone = 0;
    m_info.hashTotal = 0;
    // What the last run left in the tiles is in the audit table now.
    for (StationSlot& slot : m_slots) {
        StationSlot fresh;
        fresh.label = slot.label;
        fresh.match = slot.match;
        slot = std::move(fresh);
    }
    Q_EMIT infoChanged();
    Q_EMIT slotsReset();

    if (!m_helper.isValid()) {
        m_failedToStart = true;
        m_lastHelperError = tr("neither pkexec nor drivemirror-cli was found");
        setPhase(Phase::Starting);
        onExited(-1, QProcess::NormalExit);
        return true;
    }
    m_process = new QProcess(this);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &StationController::onStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &StationController::onStderr);
    connect(m_process, &QProcess::finished, this, &StationController::onExited);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        m_failedToStart = true;
        m_lastHelperError = m_process->errorString();
        onExited(-1, QProcess::NormalExit);
    });
    const QStringList args = m_helper.arguments + arguments(m_configPath);
    m_log->info("starting the station with administrator rights: {} {}",
                m_helper.display().toStdString(), args.join(QLatin1Char(' ')).toStdString());
    setPhase(Phase::Starting);
    m_process->start(m_helper.program, args);
    return true;
}

void StationController::disarm()
{
    if (!running() || m_phase == Phase::Disarming)
        return;
    setPhase(Phase::Disarming);
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_log->info("disarming the station");
    m_process->write(QByteArray(sp::command::kDisarm.data(),
                                static_cast<qsizetype>(sp::command::kDisarm.size())) +
                     '\n');
    m_process->closeWriteChannel();
}

void StationController::onStdout()
{
    for (const QByteArray& line : takeLines(m_stdout, m_process->readAllStandardOutput()))
        parseLine(line);
}

void StationController::onStderr()
{
    for (const QByteArray& line : takeLines(m_stderr, m_process->readAllStandardError()))
        logHelperLine(line);
}

void StationController::logHelperLine(const QByteArray& raw)
{
    if (auto error = relayHelperLog(raw, m_log, "station: "))
        m_lastHelperError = *error;
}

void StationController::parseLine(const QByteArray& line)
{
    if (line.trimmed().isEmpty())
        return;
    const auto parsed = parseHelperLine(line);
    if (!parsed) {
        m_log->warn("station: unexpected output: {}", line.toStdString());
        return;
    }
    if (!parsed->event.isEmpty()) {
        onEvent(parsed->event, parsed->data);
        return;
    }
    const QJsonObject& o = parsed->object;
    if (o.contains(protocolName(key::kError))) {
        m_errorLineSeen = true;
        const engine::Error error = parseError(o.value(protocolName(key::kError)).toObject());
        m_log->error("station: {}", error.message);
        Q_EMIT errorOccurred(
            tr("The station reports an error: %1").arg(QString::fromStdString(error.message)));
    }
}

void StationController::onEvent(const QString& name, const QJsonObject& data)
{
    namespace ev = sp::event;
    if (name == protocolName(ev::kHashing)) {
        m_info.source = text(data, key::kSource);
        m_info.hashDone = u64(data, key::kDone);
        m_info.hashTotal = u64(data, key::kTotal);
        if (m_phase == Phase::Starting)
            setPhase(Phase::Hashing);
        Q_EMIT infoChanged();
    } else if (name == protocolName(ev::kArmed)) {
        onArmed(data);
    } else if (name == protocolName(ev::kIgnored)) {
        onIgnored(data);
    } else if (name == protocolName(ev::kStarted)) {
        onStarted(data);
    } else if (name == protocolName(ev::kProgress)) {
        onProgress(data);
    } else if (name == protocolName(ev::kFinished)) {
        onFinished(data);
    } else if (name == protocolName(ev::kDisarmed)) {
        m_disarmReason = text(data, key::kReason);
        m_finished = u64(data, key::kFinished);
        m_passed = u64(data, key::kPassed);
        m_log->info("station disarmed ({}): {} drive(s) finished, {} passed",
                    m_disarmReason.toStdString(), m_finished, m_passed);
        if (m_phase != Phase::Disarmed)
            setPhase(Phase::Disarming);
    }
}

void StationController::onArmed(const QJsonObject& data)
{
    m_info.name = text(data, key::kStation);
    m_info.source = text(data, key::kSource);
    m_info.size = u64(data, key::kSize);
    m_info.sha256 = text(data, key::kSha256);
    m_info.hashDone = m_info.hashTotal = m_info.size;
    m_info.verify = data.value(protocolName(key::kVerify)).toBool(true);
    m_info.after = text(data, key::kAfter);
    m_info.maxSize = u64(data, key::kMaxSize);
    m_info.log = text(data, key::kLog);
    m_info.jsonl = text(data, key::kJsonl);
    // The config as the station read it; the same as the one shown before,
    // unless the file changed since.
    std::vector<StationSlot> slotList;
    for (const QJsonValue& v : data.value(protocolName(key::kSlots)).toArray()) {
        const QJsonObject o = v.toObject();
        StationSlot slot;
        slot.label = text(o, key::kLabel);
        slot.match = matchText(o.value(protocolName(key::kMatch)).toObject());
        slotList.push_back(std::move(slot));
    }
    m_slots = std::move(slotList);
    m_log->info("station {} armed: {} ({} bytes, SHA-256 {})", m_info.name.toStdString(),
                m_info.source.toStdString(), m_info.size, m_info.sha256.toStdString());
    Q_EMIT infoChanged();
    Q_EMIT slotsReset();
    if (m_phase != Phase::Disarming && m_phase != Phase::Disarmed)
        setPhase(Phase::Armed);
}

int StationController::slotIndex(const QString& label) const
{
    for (std::size_t i = 0; i < m_slots.size(); ++i)
        if (m_slots[i].label == label)
            return static_cast<int>(i);
    return -1;
}

void StationController::onIgnored(const QJsonObject& data)
{
    const QString device = text(data, key::kDevice);
    const QString reason = text(data, key::kReason);
    m_log->info("station: {} left alone: {}", device.toStdString(), reason.toStdString());
    const int i = slotIndex(text(data, key::kSlot));
    if (i < 0)
        return;
    StationSlot& slot = m_slots[static_cast<std::size_t>(i)];
    // A slot that writes a drive keeps showing it.
    if (slot.state == StationSlot::State::Copying || slot.state == StationSlot::State::Verifying)
        return;
    slot.state = StationSlot::State::Ignored;
    slot.device = device;
    slot.vendor = text(data, key::kVendor);
    slot.model = text(data, key::kModel);
    slot.serial = text(data, key::kSerial);
    slot.capacity = u64(data, key::kCapacity);
    slot.done = slot.total = 0;
    slot.rate = 0;
    slot.result.clear();
    if (reason == protocolName(engine::ignore_reason::kPresentBeforeArming))
        slot.detail = tr("It was there before the station was armed: plug it in again to "
                         "write it.");
    else if (reason == protocolName(engine::ignore_reason::kNotArmed))
        slot.detail = tr("The station is not armed.");
    else
        slot.detail = reason;
    Q_EMIT slotChanged(i);
}

void StationController::onStarted(const QJsonObject& data)
{
    const int i = slotIndex(text(data, key::kSlot));
    if (i < 0)
        return;
    StationSlot& slot = m_slots[static_cast<std::size_t>(i)];
    slot.state = StationSlot::State::Copying;
    slot.device = text(data, key::kDevice);
    slot.vendor = text(data, key::kVendor);
    slot.model = text(data, key::kModel);
    slot.serial = text(data, key::kSerial);
    slot.capacity = u64(data, key::kCapacity);
    slot.done = 0;
    slot.total = 0;
    slot.rate = 0;
    slot.result.clear();
    slot.detail.clear();
    Q_EMIT slotChanged(i);
}

void StationController::onProgress(const QJsonObject& data)
{
    const int i = slotIndex(text(data, key::kSlot));
    if (i < 0)
        return;
    StationSlot& slot = m_slots[static_cast<std::size_t>(i)];
    slot.state = text(data, key::kPhase) == protocolName(sp::phase::kVerify)
                     ? StationSlot::State::Verifying
                     : StationSlot::State::Copying;
    slot.done = u64(data, key::kDone);
    slot.total = u64(data, key::kTotal);
    slot.rate = data.value(protocolName(key::kRate)).toDouble();
    Q_EMIT slotChanged(i);
}

void StationController::onFinished(const QJsonObject& data)
{
    StationRecord record = parseRecord(data);
    const QString result = record.text(key::kResult);
    m_log->info("station: {} {}: {}", record.text(key::kSlot).toStdString(),
                record.text(key::kDevice).toStdString(), result.toStdString());
    const int i = slotIndex(record.text(key::kSlot));
    if (i >= 0) {
        StationSlot& slot = m_slots[static_cast<std::size_t>(i)];
        slot.state = record.passed ? StationSlot::State::Passed
                     : result.startsWith(protocolName(sp::kRefusedPrefix))
                         ? StationSlot::State::Refused
                         : StationSlot::State::Failed;
        slot.device = record.text(key::kDevice);
        slot.vendor = record.text(key::kVendor);
        slot.model = record.text(key::kModel);
        slot.serial = record.text(key::kSerial);
        slot.capacity = record.number(key::kCapacity);
        if (record.passed)
            slot.done = slot.total = std::max(slot.total, slot.done);
        slot.rate = record.decimal(key::kMibPerSecond) * 1024 * 1024;
        slot.result = result;
        slot.detail = record.text(key::kDetail);
    }
    m_records.append(std::move(record));
    Q_EMIT recordAdded(static_cast<int>(m_records.size() - 1));
    if (i >= 0)
        Q_EMIT slotChanged(i);
}

QString StationController::exitProblem(int exitCode, QProcess::ExitStatus status) const
{
    const QString said =
        m_lastHelperError.isEmpty() ? QString() : QStringLiteral(": ") + m_lastHelperError;
    if (m_failedToStart)
        return tr("The station could not be started (%1)%2")
            .arg(m_helper.isValid() ? m_helper.display() : QStringLiteral("drivemirror-cli"), said);
    if (status == QProcess::CrashExit)
        return tr("The station process crashed%1").arg(said);
    if (viaPkexec(m_helper) && (exitCode == kPkexecDismissed || exitCode == kPkexecNotAuthorized))
        return tr("Administrator authentication was cancelled or refused: the station did not "
                  "start.");
    switch (exitCode) {
    case kExitOk:
    case kExitNotAllPassed:
        // How each drive ended is in its record.
        return {};
    case kExitInternal:
        return m_errorLineSeen ? QString()
                               : tr("The station stopped: its audit log could not be written, "
                                    "or it cannot see drives being plugged in%1")
                                     .arg(said);
    case kExitBadInput:
        return m_errorLineSeen ? QString() : tr("The station did not start%1").arg(said);
    default:
        return tr("The station ended with exit code %1%2").arg(exitCode).arg(said);
    }
}

void StationController::onExited(int exitCode, QProcess::ExitStatus status)
{
    if (m_phase == Phase::Disarmed || m_phase == Phase::Idle)
        return;
    if (m_process) {
        // What is still in the pipes belongs to this run.
        onStdout();
        onStderr();
        if (!m_stderr.isEmpty()) {
            logHelperLine(m_stderr);
            m_stderr.clear();
        }
    }
    if (!m_failedToStart && status == QProcess::NormalExit)
        m_exitCode = exitCode;
    const QString problem = exitProblem(exitCode, status);
    if (!problem.isEmpty()) {
        m_log->error("{}", problem.toStdString());
        Q_EMIT errorOccurred(problem);
    }
    for (std::size_t i = 0; i < m_slots.size(); ++i) {
        StationSlot& slot = m_slots[i];
        // A drive whose end never came: the process went first.
        if (slot.state == StationSlot::State::Copying ||
            slot.state == StationSlot::State::Verifying) {
            slot.state = StationSlot::State::Failed;
            slot.rate = 0;
            slot.result = tr("no result: the station ended");
            Q_EMIT slotChanged(static_cast<int>(i));
        }
    }
    setPhase(Phase::Disarmed);
    Q_EMIT finished();
}

QByteArray StationController::csv(const QList<StationRecord>& records)
{
    std::string out = engine::csvLine(auditColumns(), true);
    for (const StationRecord& r : records)
        out += engine::csvLine(r.fields);
    return QByteArray::fromStdString(out);
}

void StationController::exportRecords(const QString& path)
{
    const QList<StationRecord> records = m_records;
    const int count = static_cast<int>(records.size());
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path, count] {
        watcher->deleteLater();
        const QString error = watcher->result();
        if (error.isEmpty())
            m_log->info("audit log exported to {} ({} records)", path.toStdString(), count);
        else
            m_log->error("cannot export the audit log to {}: {}", path.toStdString(),
                         error.toStdString());
        Q_EMIT exported(path, count, error);
    });
    // A file dialog may name a network share or a slow stick.
    watcher->setFuture(QtConcurrent::run([path, records]() -> QString {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly))
            return file.errorString();
        const QByteArray data = csv(records);
        if (file.write(data) != data.size() || !file.commit())
            return file.errorString();
        return {};
    }));
}

} // namespace ui
