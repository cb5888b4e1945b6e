#include "bridge/remote_job_controller.h"

#include "base/units.h"
#include "bridge/export_probe.h"
#include "io/nbd_connection.h"

#include <QFile>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QJsonArray>
#include <QJsonDocument>
#include <QtConcurrent/QtConcurrentRun>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <utility>

namespace ui {

namespace event = protocol::event;
namespace key = protocol::key;

namespace {

// pkexec's own exit codes: the helper never ran.
constexpr int kPkexecDismissed = 126;
constexpr int kPkexecNotAuthorized = 127;

QString lastLine(const QByteArray& text)
{
    const QList<QByteArray> lines = text.trimmed().split('\n');
    return lines.isEmpty() ? QString() : QString::fromUtf8(lines.last().trimmed());
}

} // namespace

RemoteJobController::RemoteJobController(HelperCommand helper, engine::Logger log, QObject* parent)
    : JobControllerBase(parent), m_helper(std::move(helper)), m_log(engine::orNull(std::move(log)))
{
}

RemoteJobController::~RemoteJobController()
{
    if (!m_process)
        return;
    // No signal may reach a half-destroyed controller.
    m_process->disconnect(this);
    if (m_process->state() != QProcess::NotRunning) {
        m_log->info("closing: cancelling the mirror in the helper process");
        // As the in-process job: nobody waits for a final copy any more.
        m_process->write(commandLine(engine::JobVerb::Cancel, 1) + '\n');
        m_process->closeWriteChannel();
        if (!m_process->waitForFinished(60000))
            m_log->error("the helper process did not end within a minute");
    }
}

engine::Error RemoteJobController::helperFailure(int exitCode, QProcess::ExitStatus status,
                                                 const QString& said) const
{
    const QString helper = m_helper.display();
    if (status == QProcess::CrashExit)
        return engine::Error{EIO, (QStringLiteral("the helper process (%1) crashed").arg(helper) +
                                   (said.isEmpty() ? QString() : QStringLiteral(": ") + said))
                                      .toStdString()};
    const QStringList command = QStringList{m_helper.program} + m_helper.arguments;
    const bool viaPkexec = std::any_of(command.begin(), command.end(), [](const QString& part) {
        return QFileInfo(part).fileName() == QLatin1String("pkexec");
    });
    if (viaPkexec && (exitCode == kPkexecDismissed || exitCode == kPkexecNotAuthorized))
        return engine::Error{
            EACCES,
            (QStringLiteral("administrator authentication was cancelled or refused "
                            "(pkexec exit %1%2) (rule: authentication)")
                 .arg(exitCode)
                 .arg(said.isEmpty() ? QString() : QStringLiteral(": ") + said))
                .toStdString(),
            engine::Rule::Authentication};
    return engine::Error{EIO, (QStringLiteral("the helper process (%1) ended with exit code %2%3")
                                   .arg(helper)
                                   .arg(exitCode)
                                   .arg(said.isEmpty() ? QString() : QStringLiteral(": ") + said))
                                  .toStdString()};
}

void RemoteJobController::inspectTarget(const QString& source, const QString& target,
                                        const QString& expectedTargetId)
{
    // An export needs no root to be looked at: no password for the review.
    if (engine::isNbdUri(target.toStdString())) {
        inspectExport(this, source, target, expectedTargetId, m_log,
                      [this](const TargetInspection& i) { Q_EMIT targetInspected(i); });
        return;
    }
    auto* process = new QProcess(this);
    auto answer = [this, source, target, expectedTargetId](TargetInspection result) {
        // The window matches answers by the paths it asked about.
        result.source = source;
        result.target = target;
        result.expectedTargetId = expectedTargetId;
        Q_EMIT targetInspected(result);
    };
    connect(process, &QProcess::finished, this,
            [this, process, answer](int exitCode, QProcess::ExitStatus status) {
                process->deleteLater();
                const QByteArray err = process->readAllStandardError();
                if (!err.isEmpty())
                    m_log->debug("inspect helper: {}", err.trimmed().toStdString());
                if (auto parsed = parseInspection(process->readAllStandardOutput())) {
                    answer(std::move(*parsed));
                    return;
                }
                TargetInspection failed;
                failed.refusal = helperFailure(exitCode, status, lastLine(err));
                answer(std::move(failed));
            });
    connect(process, &QProcess::errorOccurred, this,
            [this, process, answer](QProcess::ProcessError error) {
                if (error != QProcess::FailedToStart)
                    return;
                process->deleteLater();
                TargetInspection failed;
                failed.refusal =
                    engine::Error{ENOENT, (QStringLiteral("cannot run the helper %1: %2")
                                               .arg(m_helper.display(), process->errorString()))
                                              .toStdString()};
                answer(std::move(failed));
            });
    process->start(m_helper.program,
                   m_helper.arguments + inspectArguments(source, target, expectedTargetId));
}

void RemoteJobController::start(const JobRequest& request)
{
    if (m_active) {
        refuseBusy(engine::JobVerb::Cancel);
        return;
    }
    if (m_process) {
        m_process->disconnect(this);
        m_process->deleteLater();
    }
    if (request.targets.isEmpty()) {
        Q_EMIT startFailed(engine::Error{EINVAL, "no target chosen"});
        return;
    }
    m_request = request;
    m_active = true;
    m_started = false;
    m_completionRequested = false;
    m_live = false;
    beginTargets(request);
    const auto n = static_cast<std::size_t>(request.targets.size());
    m_index.clear();
    for (int i = 0; i < request.targets.size(); ++i)
        m_index.insert(helperPath(request.targets[i].path), i);
    m_each.assign(n, PerTarget{});
    ++m_jobSerial;
    m_mountPoints.clear();
    m_diskSize = 0;
    m_stdout.clear();
    m_stderr.clear();
    m_lastHelperError.clear();
    m_refusal.reset();
    m_pending.clear();
    m_snapshot.reset();
    m_status = engine::JobStatus::Created;
    Q_EMIT statusChanged(m_status);

    m_process = new QProcess(this);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &RemoteJobController::onStdout);
    connect(m_process, &QProcess::readyReadStandardError, this, &RemoteJobController::onStderr);
    connect(m_process, &QProcess::finished, this, &RemoteJobController::onExited);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart)
            return;
        m_lastHelperError = m_process->errorString();
        onExited(-1, QProcess::NormalExit);
    });
    const QStringList args = m_helper.arguments + mirrorArguments(request, m_mapCells);
    m_log->info("starting the mirror in a helper process with administrator rights: {}",
                m_helper.display().toStdString());
    m_log->debug("helper arguments: {}", args.join(QLatin1Char(' ')).toStdString());
    m_process->start(m_helper.program, args);
}

void RemoteJobController::send(engine::JobVerb verb, const QByteArray& line)
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_pending.enqueue(verb);
    m_process->write(line + '\n');
}

void RemoteJobController::onStdout()
{
    for (const QByteArray& line : takeLines(m_stdout, m_process->readAllStandardOutput()))
        onLine(line);
}

void RemoteJobController::logHelperLine(const QByteArray& raw)
{
    if (auto error = relayHelperLog(raw, m_log))
        m_lastHelperError = *error;
}

void RemoteJobController::onStderr()
{
    for (const QByteArray& line : takeLines(m_stderr, m_process->readAllStandardError()))
        logHelperLine(line);
}

void RemoteJobController::onLine(const QByteArray& line)
{
    const auto parsed = parseHelperLine(line);
    if (!parsed) {
        m_log->warn("helper: unexpected output: {}", line.toStdString());
        return;
    }
    if (!parsed->event.isEmpty()) {
        onEvent(parsed->event, parsed->data);
        return;
    }
    const QJsonObject& o = parsed->object;
    const bool ok = o.contains(protocolName(key::kReturn));
    if (!ok && !o.contains(protocolName(key::kError)))
        return;
    if (!m_started) {
        // The job was refused before it existed: the reason for startFailed.
        if (!ok)
            m_refusal = parseError(o.value(protocolName(key::kError)).toObject());
        return;
    }
    if (m_pending.isEmpty())
        return;
    const engine::JobVerb verb = m_pending.dequeue();
    if (!ok) {
        if (verb == engine::JobVerb::Complete && m_completionRequested) {
            m_completionRequested = false;
            Q_EMIT statusChanged(m_status);
        }
        Q_EMIT commandFailed(verb, parseError(o.value(protocolName(key::kError)).toObject()));
        return;
    }
    if (verb == engine::JobVerb::Complete)
        m_log->info("completing: quiescing the source for the final copy");
}

int RemoteJobController::targetOf(const QJsonObject& data) const
{
    // Every event names the target it concerns: the path as passed.
    const QString device = data.value(protocolName(key::kDevice)).toString();
    if (const auto it = m_index.constFind(device); it != m_index.constEnd())
        return *it;
    return m_each.size() == 1 ? 0 : -1;
}

void RemoteJobController::onEvent(const QString& name, const QJsonObject& data)
{
    const int index = targetOf(data);
    if (index < 0) {
        m_log->warn("helper: an event about no target of this job: {}", name.toStdString());
        return;
    }
    if (name == protocolName(event::kJobStarted)) {
        onStarted(index, data);
    } else if (name == protocolName(event::kStatusChange)) {
        if (auto s = parseStatus(data.value(protocolName(key::kStatus)).toString()))
            targetStatus(index, *s);
    } else if (name == protocolName(event::kProgress) || name == protocolName(event::kReady)) {
        onProgress(index, data, name == protocolName(event::kReady));
    } else if (name == protocolName(event::kCompleteFailed)) {
        // The helper's job mirrors on at READY: Complete may be tried again.
        // Several targets complete under one freeze: one failure speaks for all.
        if (!m_completionRequested)
            return;
        m_completionRequested = false;
        Q_EMIT statusChanged(m_status);
        Q_EMIT completeFailed(data.value(protocolName(key::kReason)).toString());
    } else if (name == protocolName(event::kVerifying)) {
        onVerifying(index);
    } else if (name == protocolName(event::kCompleted) || name == protocolName(event::kCancelled)) {
        onEnded(index, name, data);
    }
}

void RemoteJobController::onStarted(int index, const QJsonObject& data)
{
    const JobStart start = parseStarted(data);
    PerTarget& t = m_each[static_cast<std::size_t>(index)];
    t.created = start.targetCreated;
    if (t.created)
        recordCreatedTarget(index, start.target);
    auto first = std::make_shared<engine::JobSnapshot>();
    first->diskSize = start.len;
    first->bytesRemaining = start.len;
    first->speedLimit = m_request.settings.speed;
    first->generation = ++t.snapshotGeneration;
    targetProgress(index, std::move(first));
    if (m_started)
        return;
    // Each target's job starts once the group is prepared: the first says
    // what all share (the source, its size, its file systems).
    m_started = true;
    m_clock.start();
    m_diskSize = start.len;
    m_live = start.live;
    m_mountPoints = start.mountPoints;
    Q_EMIT started();
}

void RemoteJobController::onProgress(int index, const QJsonObject& data, bool isReady)
{
    PerTarget& t = m_each[static_cast<std::size_t>(index)];
    t.readyReached = t.readyReached || isReady;
    auto snap = std::make_shared<engine::JobSnapshot>(parseProgress(data, m_diskSize));
    if (isReady)
        snap->status = engine::JobStatus::Ready;
    snap->readyReached = t.readyReached;
    snap->elapsedSeconds = static_cast<double>(m_clock.elapsed()) / 1000.0;
    snap->generation = ++t.snapshotGeneration;
    if (!data.contains(protocolName(key::kStatus)) && !isReady)
        snap->status = targets()[static_cast<std::size_t>(index)].status;
    targetProgress(index, std::move(snap));
    if (auto map = parseDirtyMap(data, m_diskSize)) {
        map->generation = ++t.mapGeneration;
        targetMap(index, std::make_shared<const engine::DirtyMapSnapshot>(std::move(*map)));
    }
    if (isReady)
        targetReady(index);
}

void RemoteJobController::onVerifying(int index)
{
    // Said at once, before the next progress event carries the numbers.
    PerTarget& t = m_each[static_cast<std::size_t>(index)];
    const SnapshotPtr& current = targets()[static_cast<std::size_t>(index)].snapshot;
    if (current && !current->verifying) {
        auto snap = std::make_shared<engine::JobSnapshot>(*current);
        snap->verifying = true;
        snap->generation = ++t.snapshotGeneration;
        targetProgress(index, std::move(snap));
    }
}

void RemoteJobController::onEnded(int index, const QString& name, const QJsonObject& data)
{
    PerTarget& t = m_each[static_cast<std::size_t>(index)];
    t.outcome = parseOutcome(name, data);
    const SnapshotPtr& current = targets()[static_cast<std::size_t>(index)].snapshot;
    if (current) {
        auto last = std::make_shared<engine::JobSnapshot>(*current);
        last->bytesDone = t.outcome->bytesDone;
        last->bytesRemaining = 0;
        last->dirtyBytes = 0;
        last->inFlightBytes = 0;
        last->verifying = false;
        last->generation = ++t.snapshotGeneration;
        targetProgress(index, std::move(last));
    }
}

void RemoteJobController::onExited(int exitCode, QProcess::ExitStatus exitStatus)
{
    if (!m_active)
        return;
    // What is still in the pipes belongs to this job.
    onStdout();
    onStderr();
    if (!m_stderr.isEmpty()) {
        logHelperLine(m_stderr);
        m_stderr.clear();
    }
    m_active = false;
    if (!m_started) {
        const engine::Error error =
            m_refusal ? *m_refusal : helperFailure(exitCode, exitStatus, m_lastHelperError);
        m_log->error("cannot start the mirror: {}", error.message);
        setStatus(engine::JobStatus::Concluded);
        Q_EMIT startFailed(error);
        return;
    }
    for (std::size_t i = 0; i < m_each.size(); ++i) {
        const PerTarget& t = m_each[i];
        JobOutcome outcome;
        if (t.outcome) {
            outcome = *t.outcome;
        } else {
            outcome.outcome = engine::JobResult::Outcome::Failed;
            outcome.error = helperFailure(exitCode, exitStatus, m_lastHelperError);
            outcome.error.message = "the helper ended without a result: " + outcome.error.message;
            outcome.elapsedSeconds = static_cast<double>(m_clock.elapsed()) / 1000.0;
            m_log->error("failed: {}", outcome.error.message);
        }
        outcome.source = m_request.source;
        outcome.target = m_request.targets[static_cast<int>(i)].path;
        outcome.liveSource = m_live;
        if (m_live)
            outcome.frozenMountPoints = m_mountPoints;
        outcome.targetCreated = t.created;
        outcome.targetDevice = t.file.first;
        outcome.targetInode = t.file.second;
        targetFinished(static_cast<int>(i), std::move(outcome));
    }
    setStatus(engine::JobStatus::Concluded);
    Q_EMIT finished(jobOutcome());
}

void RemoteJobController::recordCreatedTarget(int index, const QString& path)
{
    // Which file the helper created, so that deleting an incomplete one
    // later cannot hit another file put under that name since. A stat may
    // wait on a slow file system: not on the UI thread.
    auto* watcher = new QFutureWatcher<FileId>(this);
    const quint64 serial = m_jobSerial;
    connect(watcher, &QFutureWatcher<FileId>::finished, this, [this, watcher, serial, index] {
        watcher->deleteLater();
        if (serial == m_jobSerial)
            m_each[static_cast<std::size_t>(index)].file = watcher->result();
    });
    watcher->setFuture(QtConcurrent::run([path]() -> FileId {
        struct stat st
        {
        };
        if (::stat(QFile::encodeName(path).constData(), &st) != 0 || !S_ISREG(st.st_mode))
            return {};
        return {static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino)};
    }));
}

void RemoteJobController::pause()
{
    if (!m_started)
        return refuseNotStarted(engine::JobVerb::Pause);
    send(engine::JobVerb::Pause, commandLine(engine::JobVerb::Pause));
}

void RemoteJobController::resume()
{
    if (!m_started)
        return refuseNotStarted(engine::JobVerb::Resume);
    send(engine::JobVerb::Resume, commandLine(engine::JobVerb::Resume));
}

void RemoteJobController::complete()
{
    if (!m_started)
        return refuseNotStarted(engine::JobVerb::Complete);
    // Taken as accepted until the helper says otherwise, so the window does
    // not offer a second Complete while the first is on its way.
    send(engine::JobVerb::Complete, commandLine(engine::JobVerb::Complete));
    m_completionRequested = true;
    Q_EMIT statusChanged(m_status);
}

void RemoteJobController::cancel(bool quick)
{
    if (!m_active)
        return;
    // Before JOB_STARTED the line waits in the pipe: the helper reads it as
    // soon as its job runs and cancels it at once.
    send(engine::JobVerb::Cancel, commandLine(engine::JobVerb::Cancel, quick ? 1 : 0));
}

void RemoteJobController::interrupt()
{
    // The helper reads the end of its input as its owner gone
    // (--cancel-on-eof): it cancels at once and keeps the checkpoint.
    if (m_active && m_process)
        m_process->closeWriteChannel();
}

void RemoteJobController::setSpeed(std::uint64_t bytesPerSecond)
{
    m_request.settings.speed = bytesPerSecond;
    if (!m_active)
        return;
    send(engine::JobVerb::SetSpeed, commandLine(engine::JobVerb::SetSpeed, bytesPerSecond));
    m_log->info("speed limit: {}", bytesPerSecond
                                       ? engine::formatRate(static_cast<double>(bytesPerSecond))
                                       : std::string("unlimited"));
}

} // namespace ui
