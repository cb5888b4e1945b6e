#include "station/audit_log.h"

#include "station/station_config.h"

#include "protocol/station_protocol.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <ctime>
#include <filesystem>

namespace engine {

namespace {

Result<void> writeAll(int fd, std::string_view data, const std::string& path)
{
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return systemError(errno, "audit log " + path);
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fsync(fd) != 0)
        return systemError(errno, "audit log " + path + ": fsync");
    return {};
}

// A new file's name is on disk only once its folder is synced too.
void syncFolder(const std::string& path)
{
    const std::string dir = std::filesystem::path(path).parent_path().string();
    const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

// Through pkexec or sudo the log is written as the user who asked: a
// station must not append to files he could not write himself.
Result<UniqueFd> openForAppend(const std::string& path, const Invoker& who, bool& created)
{
    auto r = resolvePath(path, who);
    if (!r)
        return withContext("audit log: ", r.error());
    if (r->exists() && !S_ISREG(r->st.st_mode))
        return Error{EINVAL, "audit log " + path + ": not a regular file"};
    auto fd =
        r->exists() ? openAsInvoker(*r, who, O_WRONLY | O_APPEND) : createAsInvoker(*r, who, 0644);
    if (!fd)
        return withContext("audit log: ", fd.error());
    const int flags = ::fcntl(fd->get(), F_GETFL);
    struct stat st
    {
    };
    if (flags < 0 || ::fcntl(fd->get(), F_SETFL, flags | O_APPEND) != 0 ||
        ::fstat(fd->get(), &st) != 0)
        return systemError(errno, "audit log " + path);
    created = st.st_size == 0;
    if (created)
        syncFolder(path);
    return std::move(*fd);
}

std::string jsonLine(const std::vector<AuditField>& fields)
{
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    for (const AuditField& f : fields) {
        const std::string key(f.name);
        if (const auto* s = std::get_if<std::string>(&f.value))
            o[key] = *s;
        else if (const auto* n = std::get_if<std::uint64_t>(&f.value))
            o[key] = *n;
        else
            o[key] = std::round(std::get<double>(f.value) * 1000) / 1000;
    }
    // A drive's strings are not always UTF-8; the line must stay valid JSON.
    return o.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

} // namespace

std::vector<AuditField> auditFields(const AuditRecord& r)
{
    // The names SLOT_FINISHED carries too: a reader finds the columns by them.
    namespace key = protocol::station::key;
    return {
        {key::kTime, r.time},
        {key::kStation, r.station},
        {key::kSlot, r.slot},
        {key::kDevice, r.device},
        {key::kVendor, r.vendor},
        {key::kModel, r.model},
        {key::kSerial, r.serial},
        {key::kWwn, r.wwn},
        {key::kCapacity, r.capacity},
        {"image", r.image},
        {"image_sha256", r.imageSha256},
        {"bytes_written", r.bytesWritten},
        {key::kResult, r.result},
        {key::kDetail, r.detail},
        {key::kDurationSeconds, r.durationSeconds},
        {key::kMibPerSecond, r.mibPerSecond},
        {key::kAfter, r.after},
    };
}

std::string csvLine(const std::vector<AuditField>& fields, bool header)
{
    std::string line;
    for (const AuditField& f : fields) {
        if (!line.empty())
            line += ',';
        if (header)
            line += csvField(f.name);
        else if (const auto* s = std::get_if<std::string>(&f.value))
            line += csvField(*s);
        else if (const auto* n = std::get_if<std::uint64_t>(&f.value))
            line += std::to_string(*n);
        else
            line += decimalText(std::get<double>(f.value));
    }
    return line + "\n";
}

std::string isoTimeNow()
{
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string csvField(std::string_view text)
{
    std::string s(text);
    // OWASP's advice against formula injection through a spreadsheet.
    if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos)
        s.insert(s.begin(), '\'');
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

std::string decimalText(double value)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, 3);
    return r.ec == std::errc() ? std::string(buf, r.ptr) : std::string("0.000");
}

Result<AuditLog> AuditLog::open(const std::string& csvPath, const Invoker& who)
{
    AuditLog log;
    log.m_csvPath = csvPath;
    log.m_jsonPath = jsonLinesPath(csvPath);
    bool created = false;
    auto csv = openForAppend(log.m_csvPath, who, created);
    if (!csv)
        return csv.error();
    log.m_csv = std::move(*csv);
    if (created)
        if (auto r = writeAll(log.m_csv.get(), csvLine(auditFields({}), true), csvPath); !r)
            return r.error();
    auto json = openForAppend(log.m_jsonPath, who, created);
    if (!json)
        return json.error();
    log.m_json = std::move(*json);
    return log;
}

Result<void> AuditLog::append(const AuditRecord& record)
{
    const auto fields = auditFields(record);
    if (auto r = writeAll(m_csv.get(), csvLine(fields, false), m_csvPath); !r)
        return r;
    return writeAll(m_json.get(), jsonLine(fields), m_jsonPath);
}

} // namespace engine
