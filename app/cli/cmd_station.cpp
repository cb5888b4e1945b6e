// `station --config FILE`: the imaging station. The config is read and the
// source hashed first; then the station is armed and every drive that
// appears in a slot is cloned, verified, recorded and ejected, several at
// once, until a signal or --exit-after ends it.
#include "cli.h"
#include "commands.h"
#include "common.h"
#include "json_output.h"
#include "signals.h"
#include "station_reporter.h"
#include "text.h"

#include "device/device_catalog.h"
#include "station/station.h"

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <optional>
#include <vector>

namespace cli {

namespace {

using Clock = std::chrono::steady_clock;

struct StationArgs
{
    std::string config;
    bool json = false;
    std::size_t exitAfter = 0; ///< 0: until a signal
    bool verbose = false;
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
    std::vector<std::string> seen;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        std::optional<std::string> value;
        if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = arg.substr(eq + 1);
            arg.resize(eq);
        }
        if (std::find(seen.begin(), seen.end(), arg) != seen.end())
            return fill(Cli::tr("station: %1 given twice"), {arg});
        seen.push_back(arg);
        const bool takesValue = arg == "--config" || arg == "--exit-after";
        if (takesValue && !value && i + 1 < argc)
            value = argv[++i];
        if (arg == "--json" && !value) {
            a.json = true;
        } else if ((arg == "-v" || arg == "--verbose") && !value) {
            a.verbose = true;
        } else if (arg == "--config" && value && !value->empty()) {
            a.config = *value;
        } else if (arg == "--exit-after" && value) {
            const auto n = parseCount(*value);
            if (!n)
                return fill(Cli::tr("station: --exit-after takes a number of drives, at least 1, "
                                    "not %1"),
                            {*value});
            a.exitAfter = *n;
        } else {
            return fill(Cli::tr("station: unknown option or missing value: %1 (see --help)"),
                        {argv[i]});
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

bool signalPending(int fd)
{
    pollfd p{fd, POLLIN, 0};
    return fd >= 0 && ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

// Hashing a large image takes minutes: a signal meanwhile stops it, and
// @p stoppedBy names the signal.
engine::Result<engine::StationSource> hashSource(const engine::StationConfig& config,
                                                 StationReporter& reporter, int sigFd,
                                                 const engine::Invoker& who, std::string& stoppedBy)
{
    std::atomic<bool> stop{false};
    engine::HashOptions hashing;
    hashing.stop = &stop;
    hashing.progress = [&](std::uint64_t done, std::uint64_t total) {
        if (signalPending(sigFd)) {
            stoppedBy = "signal " + readSignalName(sigFd);
            stop = true;
        }
        reporter.hashing(config.source, done, total);
    };
    return engine::examineSource(config, hashing, who);
}

// Drives come and go, runs end, signals arrive: one poll for all of them.
class StationLoop
{
public:
    StationLoop(engine::Station& station, engine::DeviceMonitor& monitor, StationReporter& reporter,
                int sigFd, const StationArgs& a, const engine::Logger& log)
        : m_station(station), m_monitor(monitor), m_reporter(reporter), m_sigFd(sigFd), m_args(a),
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
            m_reason = "audit log failed";
        m_reporter.disarmed(m_reason, m_station.finishedCount(), m_station.passedCount());
        if (m_station.failed())
            return kExitInternal;
        return m_station.finishedCount() == m_station.passedCount() ? kExitOk : kExitNotAllPassed;
    }

private:
    void turn()
    {
        pollfd fds[3] = {
            {m_monitor.fd(), POLLIN, 0}, {m_station.wakeFd(), POLLIN, 0}, {m_sigFd, POLLIN, 0}};
        ::poll(fds, 3, 250);
        if (fds[2].revents & POLLIN) {
            const std::string sig = readSignalName(m_sigFd);
            if (m_station.armed() || !m_cancelled) {
                m_log->info("{}", fill(Cli::tr("%1 received: stopping the station"), {sig}));
                m_reason = "signal " + sig;
                m_cancelled = true;
                m_station.disarm(true);
            }
        }
        if (fds[0].revents & POLLIN)
            for (const auto& event : m_monitor.drain())
                m_station.handle(event);
        m_station.service();
        if (m_args.exitAfter && m_station.armed() &&
            m_station.finishedCount() >= m_args.exitAfter) {
            m_reason = "exit-after";
            m_station.disarm(false);
        }
    }

    engine::Station& m_station;
    engine::DeviceMonitor& m_monitor;
    StationReporter& m_reporter;
    int m_sigFd;
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
    const int sigFd = openCancelSignalFd();
    std::string stoppedBy;
    auto source = hashSource(*config, *reporter, sigFd, who, stoppedBy);
    if (!source && !stoppedBy.empty()) {
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
    return StationLoop(station, **monitor, *reporter, sigFd, a, log).run();
}

} // namespace cli
