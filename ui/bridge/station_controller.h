// StationController: the imaging station behind the station window. The
// station runs as `drivemirror-cli station --config FILE --json
// --disarm-on-eof` with root rights (the helper command: pkexec, or the CLI
// itself for a root process), and its lines are read into a model of the
// station: its phase, its source and checksum, one entry per slot, and the
// audit records.
//
//   UI thread                                  station (root)
//   arm() ------- station --config F --json -->  hashes the source
//         <------ STATION_HASHING ... STATION_ARMED, DEVICE_IGNORED,
//                 SLOT_STARTED, SLOT_PROGRESS, SLOT_FINISHED, {"error"}
//   disarm() ---- "disarm\n", stdin closed --->  cancels what runs
//         <------ STATION_DISARMED, then the process exits (0, 1, 2 or 12)
//
// A root process cannot be signalled by the user's GUI, so the station is
// stopped through its stdin; should the window go away, its stdin ends and
// the station disarms itself. Everything goes through QProcess's
// non-blocking pipes and every signal is emitted on the UI thread; the
// audit log's export is written on a pool thread.
#pragma once

#include "base/logging.h"
#include "bridge/helper_protocol.h"
#include "station/audit_log.h"
#include "station/station_config.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace ui {

/// One port of the station and the drive in it.
struct StationSlot
{
    enum class State : std::uint8_t {
        Empty,     ///< nothing taken since arming (or the last drive's result)
        Ignored,   ///< a drive sits there that the station leaves alone
        Copying,   ///< being written
        Verifying, ///< being read back
        Passed,
        Failed,
        Refused, ///< never written: a rule refused it
    };

    QString label;
    QString match; ///< the config's globs, "PROPERTY=GLOB" joined by ", "
    State state = State::Empty;
    QString device;
    QString vendor;
    QString model;
    QString serial;
    std::uint64_t capacity = 0;
    std::uint64_t done = 0;  ///< bytes copied (or read back, while verifying)
    std::uint64_t total = 0; ///< bytes to copy (or read back)
    double rate = 0;         ///< bytes/s
    /// The last drive's result ("passed", "refused: RULE", "error: ...").
    QString result;
    /// What stands behind it: the detail of a refusal or failure, or why a
    /// drive is ignored.
    QString detail;
};

/// One audit record as SLOT_FINISHED carried it: every column of
/// engine::auditFields(), in that order.
struct StationRecord
{
    std::vector<engine::AuditField> fields;
    bool passed = false;

    /// A column's value as text ("" when absent).
    QString text(std::string_view column) const;
    std::uint64_t number(std::string_view column) const;
    double decimal(std::string_view column) const;
};

/// What the header says about the station.
struct StationInfo
{
    QString configPath; ///< absolute
    QString name;
    QString source;
    std::uint64_t size = 0;
    QString sha256; ///< empty until hashed
    std::uint64_t hashDone = 0;
    std::uint64_t hashTotal = 0;
    bool verify = true;
    QString after;
    QString log;   ///< the station's own audit log (CSV)
    QString jsonl; ///< and its JSON lines
    std::uint64_t maxSize = 0;
};

class StationController : public QObject
{
    Q_OBJECT

public:
    enum class Phase : std::uint8_t {
        Idle,      ///< never armed
        Starting,  ///< the process starts (pkexec may be asking for a password)
        Hashing,   ///< computing the source's SHA-256
        Armed,     ///< drives plugged in are written
        Disarming, ///< no more drives; what runs ends or is cancelled
        Disarmed,  ///< the process ended
    };

    /// @p configPath: the station's config file (made absolute).
    StationController(HelperCommand helper, const QString& configPath, engine::Logger log,
                      QObject* parent = nullptr);
    /// Disarms a running station and waits (up to a minute) for it to end.
    ~StationController() override;
    StationController(const StationController&) = delete;
    StationController& operator=(const StationController&) = delete;

    /// How the window runs the station: the CLI beside this program when
    /// the window runs as root, else the helper as for jobs on disks
    /// (HelperCommand::detect); DRIVEMIRROR_HELPER wins either way.
    static HelperCommand stationCommand(const QString& applicationDir);
    /// The CLI's arguments after the helper's own.
    static QStringList arguments(const QString& configPath);

    /// What the config says before the station runs: its name, source and
    /// slots, so the window shows them before arming.
    void setConfig(const engine::StationConfig& config);

    /// Starts the station; false (and nothing happens) while one runs.
    bool arm();
    /// Stops taking drives and cancels the copies under way, as a signal
    /// to the CLI would.
    void disarm();

    /// One line of the station's stdout (without its newline); public so
    /// that recorded lines can be fed to the model.
    void parseLine(const QByteArray& line);

    Phase phase() const { return m_phase; }
    bool running() const { return m_phase != Phase::Idle && m_phase != Phase::Disarmed; }
    const StationInfo& info() const { return m_info; }
    const std::vector<StationSlot>& slotList() const { return m_slots; }
    const QList<StationRecord>& records() const { return m_records; }
    const HelperCommand& helper() const { return m_helper; }
    /// Why the station was disarmed (STATION_DISARMED's reason), once known.
    const QString& disarmReason() const { return m_disarmReason; }
    std::uint64_t finishedCount() const { return m_finished; }
    std::uint64_t passedCount() const { return m_passed; }
    /// The process's exit code once it ended; nullopt before, and when it
    /// crashed or could not start.
    std::optional<int> exitCode() const { return m_exitCode; }

    /// The records as the station's CSV file has them: the header row, then
    /// one row each.
    static QByteArray csv(const QList<StationRecord>& records);
    /// Writes csv(records()) to @p path on a pool thread; exported() says
    /// how it went.
    void exportRecords(const QString& path);

Q_SIGNALS:
    void phaseChanged(ui::StationController::Phase phase);
    /// The header's facts changed (hashing progress, checksum, log path).
    void infoChanged();
    /// The slot list was replaced (the config, or STATION_ARMED).
    void slotsReset();
    void slotChanged(int index);
    void recordAdded(int index);
    /// Something the operator should read: a refusal by the station, a
    /// process that failed or could not start.
    void errorOccurred(const QString& message);
    /// The process ended; exitCode() says how.
    void finished();
    /// exportRecords() is done: @p error empty when @p count records were
    /// written to @p path.
    void exported(const QString& path, int count, const QString& error);

private:
    void setPhase(Phase phase);
    void onStdout();
    void onStderr();
    void onExited(int exitCode, QProcess::ExitStatus status);
    void onEvent(const QString& name, const QJsonObject& data);
    void onArmed(const QJsonObject& data);
    void onIgnored(const QJsonObject& data);
    void onStarted(const QJsonObject& data);
    void onProgress(const QJsonObject& data);
    void onFinished(const QJsonObject& data);
    /// The index of the slot called @p label; -1 when none is.
    int slotIndex(const QString& label) const;
    void logHelperLine(const QByteArray& line);
    /// Why the process ended as it did, for the operator; empty when it
    /// ended as asked.
    QString exitProblem(int exitCode, QProcess::ExitStatus status) const;

    HelperCommand m_helper;
    QString m_configPath;
    engine::Logger m_log;
    std::optional<engine::StationConfig> m_config;

    QProcess* m_process = nullptr;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QString m_lastHelperError; ///< the last error line on stderr
    bool m_errorLineSeen = false;
    bool m_failedToStart = false;

    Phase m_phase = Phase::Idle;
    StationInfo m_info;
    std::vector<StationSlot> m_slots;
    QList<StationRecord> m_records;
    QString m_disarmReason;
    std::uint64_t m_finished = 0;
    std::uint64_t m_passed = 0;
    std::optional<int> m_exitCode;
};

} // namespace ui
