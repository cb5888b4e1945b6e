// `station --config FILE`: the imaging station. The config is read and the
// source hashed first; then the station is armed and every drive that
// appears in a slot is cloned, verified, recorded and ejected, several at
// once, until a signal, --exit-after or (with --disarm-on-eof) stdin ends it.
#include "cli.h"
#include "command_args.h"
#include "commands.h"
#include "common.h"
#include "json_output.h"
#include "signals.h"
#include "station_reporter.h"
#include "text.h"

#include "device/device_catalog.h"
#include "protocol/station_protocol.h"
#include "station/station.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstring>
#include <optional>
#include <vector>

namespace cli {

namespace {

using Clock = std::chrono::steady_clock;
namespace reason = protocol::station::reason;

struct StationArgs
{
    std::string config;
    bool json = false;
    std::size_t exitAfter = 0; ///< 0: until a signal
    bool verbose = false;
    /// "disarm" on stdin, or its end, disarms as a signal does: the way a
    /// program that started the station as root (through pkexec) and cannot
    /// signal it stops it, and a station whose program went away stops too.
    bool disarmOnEof = false;
};

std::optional<std::size_t> parseCount(const std::string& text)
{
    std::size_t n = 0;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), n);
    if (r.ec != std::errc() || r.ptr != text.data() + text.size() || n == 0)
        return std::nullopt;
    return n;
}

// "--config FILE" and "--config=FILE", each option once, as `mirror` takes them.
std::optional<std::string> parseArgs(int argc, char** argv, StationArgs& a)
{
    for (const CommandArg& arg : splitCommandArgs(argc, argv, {"--config", "--exit-after"})) {
        const std::string& name = arg.name;
        const auto& value = arg.value;
        if (arg.repeated)
            return fill(Cli::tr("station: %1 given twice"), {name});
        if (name == "--json" && !value) {
            a.json = true;
        } else if (name == "--disarm-on-eof" && !value) {
            a.disarmOnEof = true;
        } else if ((name == "-v" || name == "--verbose") && !value) {
            a.verbose = true;
        } else if (name == "--config" && value && !value->empty()) {
            a.config = *value;
        } else if (name == "--exit-after" && value) {
            const auto n = parseCount(*value);
            if (!n)
                return fill(Cli::tr("station: --exit-after takes a number of drives, at least 1, "
                                    "not %1"),
                            {*value});
            a.exitAfter = *n;
        } else {
            return fill(Cli::tr("station: unknown option or missing value: %1 (see --help)"),
                        {arg.text});
        }
    }
    if (a.config.empty())
        return fill(Cli::tr("station needs --config FILE (see --help)"));
    return std::nullopt;
}

// One line on stderr, and for a program the JSON refusal too; exit code 2.
int refuse(const StationArgs& a, const engine::Error& error)
{
    if (a.json)
        printError(error);
    return badInput(error.message);
}

// What stops the station from outside: a signal, and with --disarm-on-eof
// the disarm command or the end of stdin. The hashing and the armed loop
// both ask here, so that each way stops the station the same way.
class StopRequests
{
public:
    StopRequests(int sigFd, bool watchStdin, const engine::Logger& log)
        : m_sigFd(sigFd), m_stdinOpen(watchStdin), m_log(log)
    {
    }

    /// The signal fd and stdin, for the caller's poll (-1: not watched).
    std::array<pollfd, 2> fds() const
    {
        return {pollfd{m_sigFd, POLLIN, 0}, pollfd{m_stdinOpen ? 0 : -1, POLLIN, 0}};
    }

    /// What @p polled (fds() after a poll) says: the reason to stop, if one
    /// came ("signal SIGINT", "disarm", "stdin closed").
    std::optional<std::string> take(const std::array<pollfd, 2>& polled)
    {
        if (polled[0].revents & POLLIN)
            return std::string(reason::kSignalPrefix) + readSignalName(m_sigFd);
        if (polled[1].revents & (POLLIN | POLLHUP))
            return readStdin();
        return std::nullopt;
    }

    /// take() without waiting.
    std::optional<std::string> poll()
    {
        auto polled = fds();
        if (::poll(polled.data(), polled.size(), 0) <= 0)
            return std::nullopt;
        return take(polled);
    }

private:
    std::optional<std::string> readStdin()
    {
        char buf[512];
        const ssize_t n = ::read(0, buf, sizeof buf);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            return std::nullopt;
        if (n < 0) {
            // A terminal this process does not own: no input, and no end
            // of it either.
            m_stdinOpen = false;
            m_log->debug("stdin: {}", std::strerror(errno));
            return std::nullopt;
        }
        if (n == 0) {
            m_stdinOpen = false;
            return std::string(reason::kStdinClosed);
        }
        m_line.append(buf, static_cast<std::size_t>(n));
        std::size_t nl;
        while ((nl = m_line.find('\n')) != std::string::npos) {
            std::string line = m_line.substr(0, nl);
            m_line.erase(0, nl + 1);
            while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
                line.pop_back();
            if (line == protocol::station::command::kDisarm)
                return std::string(reason::kDisarm);
            if (!line.empty())
                m_log->warn("{}", fill(Cli::tr("stdin: unknown command (the station takes "
                                               "only disarm): %1"),
                                       {line.substr(0, kMaxLineShown)}));
        }
        // No command is this long: what came is not one, and must not grow.
        if (m_line.size() > kMaxLineShown)
            m_line.clear();
        return std::nullopt;
    }

    static constexpr std::size_t kMaxLineShown = 64;
    const int m_sigFd;
    bool m_stdinOpen;
    const engine::Logger& m_log;
    std::string m_line; ///< an unfinished line
};

// Hashing a large image takes minutes: a stop request meanwhile stops it,
// and @p stoppedBy says which.
engine::Result<engine::StationSource> hashSource(const engine::StationConfig& config,
                                                 StationReporter& reporter, StopRequests& stops,
                                                 const engine::Invoker& who, std::string& stoppedBy)
{
    std::atomic<bool> stop{false};
    engine::HashOptions hashing;
    hashing.stop = &stop;
    hashing.progress = [&](std::uint64_t done, std::uint64_t total) {
        if (stoppedBy.empty())
            if (auto why = stops.poll()) {
                stoppedBy = *why;
                stop = true;
            }
        reporter.hashing(config.source, done, total);
    };
    return engine::examineSource(config, hashing, who);
}

// Drives come and go, runs end, stop requests arrive: one poll for all of
// them.
class StationLoop
{
public:
    StationLoop(engine::Station& station, engine::DeviceMonitor& monitor, StationReporter& reporter,
                StopRequests& stops, const StationArgs& a, const engine::Logger& log)
        : m_station(station), m_monitor(monitor), m_reporter(reporter), m_stops(stops), m_args(a),
          m_log(log)
    {
    }

    int run()
    {
        auto lastProgress = Clock::now();
        while (m_station.armed() || !m_station.idle()) {
            turn();
            const auto now = Clock::now();
            if (now - lastProgress >= std::chrono::seconds(1)) {
                lastProgress = now;
                m_reporter.progress(m_station.progress());
            }
        }
        if (m_reason.empty())
            m_reason = reason::kAuditLogFailed;
        m_reporter.disarmed(m_reason, m_station.finishedCount(), m_station.passedCount());
        if (m_station.failed())
            return kExitInternal;
        return m_station.finishedCount() == m_station.passedCount() ? kExitOk : kExitNotAllPassed;
    }

private:
    void turn()
    {
        const auto stopFds = m_stops.fds();
        pollfd fds[4] = {
            {m_monitor.fd(), POLLIN, 0}, {m_station.wakeFd(), POLLIN, 0}, stopFds[0], stopFds[1]};
        ::poll(fds, 4, 250);
        if (auto why = m_stops.take({fds[2], fds[3]}))
            stop(*why);
        if (fds[0].revents & POLLIN)
            for (const auto& event : m_monitor.drain())
                m_station.handle(event);
        m_station.service();
        if (m_args.exitAfter && m_station.armed() &&
            m_station.finishedCount() >= m_args.exitAfter) {
            m_reason = reason::kExitAfter;
            m_station.disarm(false);
        }
    }

    // Whoever stops the station wants it gone, not the copies under way
    // finished first: they are cancelled, and their records say so.
    void stop(const std::string& why)
    {
        if (!m_station.armed() && m_cancelled)
            return;
        m_log->info("{}", fill(Cli::tr("stopping the station (%1)"), {why}));
        m_reason = why;
        m_cancelled = true;
        m_station.disarm(true);
    }

    engine::Station& m_station;
    engine::DeviceMonitor& m_monitor;
    StationReporter& m_reporter;
    StopRequests& m_stops;
    const StationArgs& m_args;
    const engine::Logger& m_log;
    std::string m_reason;
    bool m_cancelled = false;
};

} // namespace

int cmdStation(int argc, char** argv)
{
    blockCancelSignals();
    StationArgs a;
    if (auto e = parseArgs(argc, argv, a))
        return badInput(*e);
    auto log = makeLogger(a.verbose);
    // The reporter says what the operator needs; the engine's notes are for -v.
    if (!a.verbose)
        log->set_level(spdlog::level::warn);
    const engine::Invoker who = engine::currentInvoker();
    auto config = engine::loadStationConfig(a.config, who);
    if (!config)
        return refuse(a, config.error());
    auto reporter = a.json ? makeStationJsonReporter() : makeStationTextReporter(log);
    auto monitor = engine::DeviceMonitor::create(log);
    if (!monitor) {
        log->error("{}", monitor.error().message);
        return kExitInternal;
    }
    StopRequests stops(openCancelSignalFd(), a.disarmOnEof, log);
    std::string stoppedBy;
    auto source = hashSource(*config, *reporter, stops, who, stoppedBy);
    // Also when the last chunk was hashed after the request: it was taken
    // from its fd and would not come again.
    if (!stoppedBy.empty()) {
        reporter->disarmed(stoppedBy, 0, 0);
        return kExitOk;
    }
    if (!source)
        return refuse(a, source.error());
    auto audit = engine::AuditLog::open(config->log, who);
    if (!audit)
        return refuse(a, audit.error());
    // What happened while the image was hashed happened before arming.
    (void)(*monitor)->drain();
    engine::Station station(std::move(*config), std::move(*source), std::move(*audit), *reporter,
                            log, who);
    station.arm(engine::enumerateDevices(log));
    return StationLoop(station, **monitor, *reporter, stops, a, log).run();
}

} // namespace cli
