// The desktop app's side of drivemirror-cli's JSON protocol, as pure
// functions from lines to values, so that the remote controller is only
// plumbing and the parsing is tested on its own. The names and keys are
// protocol/helper_protocol.h's, which the CLI writes with.
//
//   drivemirror-cli inspect TARGET --source S [--expect-id ID] --json
//       -> one object: {target, source, id, refusal?, facts, device?, device-partitions}
//   drivemirror-cli mirror S T --json --cancel-on-eof --map-cells N ...
//       -> {"error": {...}}                          refused before the job exists
//       -> JOB_STARTED, JOB_STATUS_CHANGE, BLOCK_JOB_PROGRESS (with "map", and
//          "verifying", "verify-done", "verify-total" while verifying),
//          BLOCK_JOB_READY, COMPLETE_FAILED {reason} (back to READY),
//          BLOCK_JOB_VERIFYING, {"return": {}} | {"error": {...}} per command,
//          BLOCK_JOB_COMPLETED | BLOCK_JOB_CANCELLED (always last)
//       <- complete, cancel, cancel quick, pause, resume, speed N   (one per line)
#pragma once

#include "base/logging.h"
#include "bridge/job_controller.h"
#include "protocol/helper_protocol.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <optional>
#include <string_view>

namespace ui {

/// How the GUI runs the CLI with root rights: `pkexec /usr/bin/drivemirror-cli`
/// when installed, or what DRIVEMIRROR_HELPER says (for sudo -A, or tests).
struct HelperCommand
{
    QString program;       ///< empty: no helper available
    QStringList arguments; ///< put before the CLI's own arguments
    bool isValid() const { return !program.isEmpty(); }
    QString display() const;

    /// DRIVEMIRROR_HELPER (split at spaces) when set, else pkexec with the
    /// drivemirror-cli that sits beside this program (@p applicationDir);
    /// invalid when neither pkexec nor that CLI is found.
    static HelperCommand detect(const QString& applicationDir);
};

/// A path as the helper is given it: made absolute (pkexec starts the
/// helper in another directory); an NBD export's URI (engine::isNbdUri) as
/// it is, since it names no file.
QString helperPath(const QString& pathOrUri);
/// The CLI's arguments for a mirror job the GUI drives: JSON events, the map
/// with @p mapCells cells, progress every 100 ms, and cancel when the GUI
/// goes away (stdin closed). Paths go through helperPath().
QStringList mirrorArguments(const JobRequest& request, int mapCells);
QStringList inspectArguments(const QString& source, const QString& target,
                             const QString& expectedTargetId);

/// One line of the CLI's --json output: an event (its name and data), or
/// another object (a command's reply, an error); nullopt when the line is
/// not a JSON object.
struct HelperLine
{
    QString event; ///< empty when the line is not an event
    QJsonObject data;
    QJsonObject object; ///< the whole line
};
std::optional<HelperLine> parseHelperLine(const QByteArray& line);

/// Appends @p read to @p pending and takes out every whole line (without
/// its newline); an unfinished last line stays in @p pending.
QList<QByteArray> takeLines(QByteArray& pending, const QByteArray& read);

/// Passes a line the CLI wrote on stderr to @p log at its level, with
/// @p prefix before it ("station: "). The CLI's logger writes "level:
/// message"; a refusal before the job exists reads "drivemirror-cli:
/// message". Returns the message of an error line (what to show the user
/// when the helper fails), nullopt for any other line.
std::optional<QString> relayHelperLog(const QByteArray& line, const engine::Logger& log,
                                      std::string_view prefix = {});

/// A name or key of protocol/helper_protocol.h as QJsonObject takes it.
inline QLatin1String protocolName(std::string_view name)
{
    return QLatin1String(name.data(), static_cast<qsizetype>(name.size()));
}

/// The stdin line for a command, without its newline: "pause", "cancel
/// quick" (Cancel with @p argument 1), "speed 1048576".
QByteArray commandLine(engine::JobVerb verb, std::uint64_t argument = 0);

/// What JOB_STARTED says before the first progress event.
struct JobStart
{
    QString target;
    std::uint64_t len = 0;
    bool live = false;
    QStringList mountPoints; ///< what Complete freezes
    bool targetCreated = false;
};
JobStart parseStarted(const QJsonObject& data);

engine::DeviceInfo parseDevice(const QJsonObject& o);
/// An inspect answer; std::nullopt when @p json is not one.
std::optional<TargetInspection> parseInspection(const QByteArray& json);
std::optional<engine::JobStatus> parseStatus(const QString& name);
/// BLOCK_JOB_PROGRESS data as a snapshot of a disk of @p diskSize bytes.
engine::JobSnapshot parseProgress(const QJsonObject& data, std::uint64_t diskSize);
/// The map in BLOCK_JOB_PROGRESS data; std::nullopt when it carries none or
/// a malformed one.
std::optional<engine::DirtyMapSnapshot> parseDirtyMap(const QJsonObject& data,
                                                      std::uint64_t diskSize);
/// BLOCK_JOB_COMPLETED / BLOCK_JOB_CANCELLED data as an outcome (without the
/// paths, the live source and the created target, which JOB_STARTED says).
JobOutcome parseOutcome(const QString& event, const QJsonObject& data);
/// {"error": {"desc", "errno"}} as an Error.
engine::Error parseError(const QJsonObject& error);

} // namespace ui
