// RemoteJobController: runs the mirror in a drivemirror-cli helper process
// with root rights (pkexec), so the window itself never runs as root.
//
//   UI thread                                 helper (root)
//   inspectTarget() --- inspect --json ------> reviewTarget(), one line back
//   start() ----------- mirror ... --json ---> prepareJob(): every rule again
//           <---------- JOB_STARTED, JOB_STATUS_CHANGE, BLOCK_JOB_PROGRESS
//                       (with the dirty map), BLOCK_JOB_READY, replies
//   complete() -------- "complete\n" -------->
//           <---------- COMPLETE_FAILED (back to READY) | BLOCK_JOB_VERIFYING,
//                       BLOCK_JOB_COMPLETED, then the process exits
//
// Everything goes through QProcess's non-blocking pipes: the UI thread never
// waits for the helper. The helper checks every rule again itself, target
// identity included, so a disk swapped between the confirmation and the
// start is refused by the process that would write it. Closing the window
// closes the helper's stdin, which cancels the job (--cancel-on-eof).
#pragma once

#include "base/logging.h"
#include "bridge/helper_protocol.h"
#include "bridge/job_controller.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QProcess>
#include <QQueue>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace ui {

class RemoteJobController final : public JobControllerBase
{
    Q_OBJECT

public:
    RemoteJobController(HelperCommand helper, engine::Logger log, QObject* parent = nullptr);
    /// Cancels a running job and waits (up to a minute) for the helper to end.
    ~RemoteJobController() override;

    const HelperCommand& helper() const { return m_helper; }
    void setDirtyMapCells(int cells) { m_mapCells = cells; }

    void inspectTarget(const QString& source, const QString& target,
                       const QString& expectedTargetId) override;
    void start(const JobRequest& request) override;
    void pause() override;
    void resume() override;
    void complete() override;
    void cancel(bool quick) override;
    void interrupt() override;
    void setSpeed(std::uint64_t bytesPerSecond) override;

private:
    void send(engine::JobVerb verb, const QByteArray& line);
    void onStdout();
    void onStderr();
    void onExited(int exitCode, QProcess::ExitStatus status);
    void onLine(const QByteArray& line);
    /// The target an event is about (its "device"); -1 for none of ours.
    int targetOf(const QJsonObject& data) const;
    void onEvent(const QString& name, const QJsonObject& data);
    void onStarted(int index, const QJsonObject& data);
    void onProgress(int index, const QJsonObject& data, bool isReady);
    void onVerifying(int index);
    void onEnded(int index, const QString& name, const QJsonObject& data);
    /// Why the helper could not do its work, from its exit and what it said.
    engine::Error helperFailure(int exitCode, QProcess::ExitStatus status,
                                const QString& said) const;
    void logHelperLine(const QByteArray& line);
    void recordCreatedTarget(int index, const QString& path);

    HelperCommand m_helper;
    engine::Logger m_log;
    int m_mapCells = 65536;

    QProcess* m_process = nullptr;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QString m_lastHelperError;              ///< the last error line the helper wrote on stderr
    std::optional<engine::Error> m_refusal; ///< an {"error"} before JOB_STARTED
    QQueue<engine::JobVerb> m_pending;      ///< commands sent, replies not yet read

    bool m_started = false;
    bool m_live = false;
    QStringList m_mountPoints;
    std::uint64_t m_diskSize = 0;
    using FileId = std::pair<std::uint64_t, std::uint64_t>;
    /// What the helper says of each target.
    struct PerTarget
    {
        std::uint64_t mapGeneration = 0;
        std::uint64_t snapshotGeneration = 0;
        bool readyReached = false;
        /// The helper created the target file; its (st_dev, st_ino) once read.
        bool created = false;
        FileId file;
        std::optional<JobOutcome> outcome; ///< from its last event, announced at exit
    };
    std::vector<PerTarget> m_each;
    QHash<QString, int> m_index; ///< a target's absolute path -> its index
    quint64 m_jobSerial = 0;     ///< tells a late answer about an earlier job's file
    QElapsedTimer m_clock;
    JobRequest m_request;
};

} // namespace ui
