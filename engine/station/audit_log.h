// The imaging station's audit log: one record per drive that came into a
// slot, appended to a CSV file (for a spreadsheet) and a JSON lines file
// (for a program), each record on disk (fsync) before the station reports
// the drive as finished. The column list is defined once (auditFields), and
// both files and the CLI's events are written from it.
#pragma once

#include "base/result.h"
#include "io/resolve.h" // UniqueFd

#include "protocol/station_protocol.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace engine {

struct AuditRecord
{
    std::string time; ///< ISO 8601 UTC, when the drive finished
    std::string station;
    std::string slot;
    std::string device; ///< devnode
    std::string vendor;
    std::string model;
    std::string serial;
    std::string wwn;
    std::uint64_t capacity = 0; ///< bytes
    std::string image;
    std::string imageSha256;
    std::uint64_t bytesWritten = 0;
    /// "passed", "verify failed at OFFSET", "refused: RULE" or "error: MESSAGE".
    std::string result;
    /// The whole message behind a refusal or an error; empty otherwise.
    std::string detail;
    double durationSeconds = 0;
    double mibPerSecond = 0;
    /// What became of the drive afterwards: "ejected", "powered off",
    /// "none", "untouched" (refused), or how the fallback left it.
    std::string after;

    bool passed() const { return result == protocol::station::kResultPassed; }
};

struct AuditField
{
    std::string_view name;
    std::variant<std::string, std::uint64_t, double> value;
};

/// The record's columns in their order (the CSV header), with their values.
std::vector<AuditField> auditFields(const AuditRecord& record);

/// One CSV row of @p fields with its newline: their names for the
/// @p header row, else their values (csvField, decimalText), as the log
/// writes them.
std::string csvLine(const std::vector<AuditField>& fields, bool header = false);

/// The current time as ISO 8601 UTC, to the second ("2024-05-01T09:30:12Z").
std::string isoTimeNow();

/// A CSV field, quoted as RFC 4180 wants; text that a spreadsheet would run
/// as a formula (a drive's serial starting with "=") gets a leading "'".
std::string csvField(std::string_view text);
/// A number for CSV and JSON, in every locale with a point, 3 decimals.
std::string decimalText(double value);

class AuditLog
{
public:
    /// Opens (creating) @p csvPath and jsonLinesPath(@p csvPath) for
    /// appending, as @p who may (see resolve.h); a new CSV file gets the
    /// header row.
    static Result<AuditLog> open(const std::string& csvPath, const Invoker& who = processInvoker());
    /// Appends the record to both files and syncs each.
    Result<void> append(const AuditRecord& record);

    const std::string& csvPath() const { return m_csvPath; }
    const std::string& jsonPath() const { return m_jsonPath; }

private:
    std::string m_csvPath;
    std::string m_jsonPath;
    UniqueFd m_csv;
    UniqueFd m_json;
};

} // namespace engine
