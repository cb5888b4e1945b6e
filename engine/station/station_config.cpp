#include "station/station_config.h"

#include "base/units.h"

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <filesystem>
#include <set>

namespace engine {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A config file is a few hundred bytes; anything near this is not one.
constexpr std::uintmax_t kMaxConfigBytes = 1 << 20;

constexpr std::string_view kKnownKeys[] = {"source", "slots",   "verify",   "wipe-rest",  "after",
                                           "log",    "station", "max-size", "allow-fixed"};

class ConfigReader
{
public:
    explicit ConfigReader(const std::string& origin) : m_origin(origin) {}

    Result<StationConfig> read(const json& root);

private:
    Error fail(const std::string& key, const std::string& message) const
    {
        return Error{EINVAL, "station config " + m_origin + ": " + key + ": " + message};
    }
    Result<void> checkKeys(const json& root) const;
    Result<std::string> path(const json& root, const char* key) const;
    Result<void> flag(const json& root, const char* key, bool& out) const;
    Result<void> after(const json& root, StationConfig& c) const;
    Result<void> maxSize(const json& root, StationConfig& c) const;
    Result<void> readSlots(const json& root, StationConfig& c) const;
    Result<SlotConfig> slot(const json& s, const std::string& where) const;

    std::string m_origin;
};

bool hasControl(const std::string& s)
{
    return std::any_of(s.begin(), s.end(),
                       [](char ch) { return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f; });
}

std::string hostName()
{
    char name[HOST_NAME_MAX + 1] = {};
    if (::gethostname(name, sizeof name - 1) != 0)
        return "station";
    return name;
}

Result<void> ConfigReader::checkKeys(const json& root) const
{
    for (const auto& [key, value] : root.items()) {
        const bool known =
            std::find(std::begin(kKnownKeys), std::end(kKnownKeys), key) != std::end(kKnownKeys);
        if (!known)
            return fail(key, "unknown key (the keys are source, slots, verify, wipe-rest, after, "
                             "log, station, max-size, allow-fixed)");
    }
    for (const char* required : {"source", "slots", "log"})
        if (!root.contains(required))
            return fail(required, "missing");
    return {};
}

// A relative path is taken from the config file's folder, not from wherever
// the station happens to be started.
Result<std::string> ConfigReader::path(const json& root, const char* key) const
{
    const json& v = root.at(key);
    if (!v.is_string() || v.get_ref<const std::string&>().empty())
        return fail(key, "must be a non-empty path");
    fs::path p = v.get<std::string>();
    if (p.is_relative())
        p = fs::absolute(fs::path(m_origin)).parent_path() / p;
    return p.lexically_normal().string();
}

Result<void> ConfigReader::flag(const json& root, const char* key, bool& out) const
{
    if (!root.contains(key))
        return {};
    if (!root.at(key).is_boolean())
        return fail(key, "must be true or false");
    out = root.at(key).get<bool>();
    return {};
}

Result<void> ConfigReader::after(const json& root, StationConfig& c) const
{
    if (!root.contains("after"))
        return {};
    const json& v = root.at("after");
    const std::string word = v.is_string() ? v.get<std::string>() : std::string();
    if (word == "eject")
        c.after = AfterAction::Eject;
    else if (word == "power-off")
        c.after = AfterAction::PowerOff;
    else if (word == "none")
        c.after = AfterAction::None;
    else
        return fail("after", "must be \"eject\", \"power-off\" or \"none\"");
    return {};
}

Result<void> ConfigReader::maxSize(const json& root, StationConfig& c) const
{
    if (!root.contains("max-size"))
        return {};
    const json& v = root.at("max-size");
    if (v.is_number_unsigned()) {
        c.maxSize = v.get<std::uint64_t>();
    } else if (v.is_string()) {
        auto size = parseSize(v.get<std::string>());
        if (!size)
            return fail("max-size", size.error().message);
        c.maxSize = *size;
    } else {
        return fail("max-size", "must be a size such as \"64G\" or a number of bytes");
    }
    if (c.maxSize == 0)
        return fail("max-size", "must be more than 0 bytes");
    return {};
}

Result<SlotConfig> ConfigReader::slot(const json& s, const std::string& where) const
{
    if (!s.is_object())
        return fail(where, "must be an object with a label and a match");
    for (const auto& [key, value] : s.items())
        if (key != "label" && key != "match")
            return fail(where + "." + key, "unknown key (a slot has a label and a match)");
    SlotConfig out;
    if (!s.contains("label") || !s.at("label").is_string() ||
        s.at("label").get_ref<const std::string&>().empty() ||
        hasControl(s.at("label").get<std::string>()))
        return fail(where + ".label", "must be a non-empty name");
    out.label = s.at("label").get<std::string>();
    const std::string matchKey = where + ".match";
    if (!s.contains("match") || !s.at("match").is_object() || s.at("match").empty())
        return fail(matchKey, "must be an object of udev property globs");
    for (const auto& [property, glob] : s.at("match").items()) {
        if (property.empty() || !glob.is_string() || glob.get_ref<const std::string&>().empty())
            return fail(matchKey, "must be an object of udev property globs");
        out.match.emplace(property, glob.get<std::string>());
    }
    return out;
}

Result<void> ConfigReader::readSlots(const json& root, StationConfig& c) const
{
    const json& v = root.at("slots");
    if (!v.is_array() || v.empty())
        return fail("slots", "must be an array of at least one slot");
    std::set<std::string> labels;
    for (std::size_t i = 0; i < v.size(); ++i) {
        auto s = slot(v[i], "slots[" + std::to_string(i) + "]");
        if (!s)
            return s.error();
        if (!labels.insert(s->label).second)
            return fail("slots[" + std::to_string(i) + "].label",
                        "\"" + s->label + "\" names two slots");
        c.slotList.push_back(std::move(*s));
    }
    return {};
}

Result<StationConfig> ConfigReader::read(const json& root)
{
    if (!root.is_object())
        return Error{EINVAL, "station config " + m_origin + ": must be a JSON object"};
    if (auto r = checkKeys(root); !r)
        return r.error();
    StationConfig c;
    auto source = path(root, "source");
    if (!source)
        return source.error();
    c.source = *source;
    auto log = path(root, "log");
    if (!log)
        return log.error();
    c.log = *log;
    if (auto r = readSlots(root, c); !r)
        return r.error();
    for (auto [key, out] : {std::pair{"verify", &c.verify}, std::pair{"wipe-rest", &c.wipeRest},
                            std::pair{"allow-fixed", &c.allowFixed}})
        if (auto r = flag(root, key, *out); !r)
            return r.error();
    if (auto r = after(root, c); !r)
        return r.error();
    if (auto r = maxSize(root, c); !r)
        return r.error();
    c.station = hostName();
    if (root.contains("station")) {
        const json& v = root.at("station");
        if (!v.is_string() || v.get_ref<const std::string&>().empty() ||
            hasControl(v.get<std::string>()))
            return fail("station", "must be a non-empty name");
        c.station = v.get<std::string>();
    }
    return c;
}

// JSON allows a key twice and keeps the last; in a station's config that is
// a mistake that would silently pick one of two sources.
class DuplicateKeys
{
public:
    bool operator()(int, json::parse_event_t event, json& parsed)
    {
        if (event == json::parse_event_t::object_start)
            m_open.emplace_back();
        else if (event == json::parse_event_t::object_end && !m_open.empty())
            m_open.pop_back();
        else if (event == json::parse_event_t::key && !m_open.empty() &&
                 !m_open.back().insert(parsed.get<std::string>()).second && m_first.empty())
            m_first = parsed.get<std::string>();
        return true;
    }
    const std::string& first() const { return m_first; }

private:
    std::vector<std::set<std::string>> m_open;
    std::string m_first;
};

// nlohmann's messages start with their own tag: "[json.exception.parse_error.101] ".
std::string parseMessage(const std::string& what)
{
    const auto close = what.find("] ");
    return what.rfind("[json.exception.", 0) == 0 && close != std::string::npos
               ? what.substr(close + 2)
               : what;
}

} // namespace

std::string_view toString(AfterAction action)
{
    switch (action) {
    case AfterAction::Eject:
        return "eject";
    case AfterAction::PowerOff:
        return "power-off";
    case AfterAction::None:
        return "none";
    }
    return "none";
}

Result<StationConfig> parseStationConfig(std::string_view text, const std::string& origin)
{
    DuplicateKeys duplicates;
    json root;
    try {
        root = json::parse(text, std::ref(duplicates));
    } catch (const json::parse_error& e) {
        return Error{EINVAL,
                     "station config " + origin + ": not valid JSON: " + parseMessage(e.what())};
    }
    if (!duplicates.first().empty())
        return Error{EINVAL,
                     "station config " + origin + ": " + duplicates.first() + ": given twice"};
    return ConfigReader(origin).read(root);
}

Result<StationConfig> loadStationConfig(const std::string& path, const Invoker& who)
{
    const std::string what = "station config " + path;
    auto r = resolvePath(path, who);
    if (!r)
        return withContext(what + ": ", r.error());
    if (!r->exists())
        return Error{ENOENT, what + ": " + errnoText(ENOENT)};
    if (!S_ISREG(r->st.st_mode))
        return Error{EINVAL, what + ": not a regular file"};
    if (static_cast<std::uintmax_t>(r->st.st_size) > kMaxConfigBytes)
        return Error{EFBIG, what + ": larger than 1 MiB, not a config"};
    auto fd = openAsInvoker(*r, who, O_RDONLY);
    if (!fd)
        return withContext(what + ": ", fd.error());
    std::string text;
    char buf[8192];
    for (;;) {
        const ssize_t n = ::read(fd->get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return systemError(errno, what);
        if (n == 0)
            break;
        text.append(buf, static_cast<std::size_t>(n));
        if (text.size() > kMaxConfigBytes)
            return Error{EFBIG, what + ": larger than 1 MiB, not a config"};
    }
    return parseStationConfig(text, path);
}

bool slotMatches(const SlotConfig& slot, const std::map<std::string, std::string>& properties)
{
    for (const auto& [property, glob] : slot.match) {
        const auto it = properties.find(property);
        if (it == properties.end() || ::fnmatch(glob.c_str(), it->second.c_str(), 0) != 0)
            return false;
    }
    return true;
}

std::string jsonLinesPath(const std::string& csvPath)
{
    return csvPath + ".jsonl";
}

} // namespace engine
