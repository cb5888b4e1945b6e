#include "track/trace_tracker.h"

#include "io/disk.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

namespace engine {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPrefix = "drivemirror-";

Result<void> writeFile(const std::string& path, const std::string& value)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0)
        return systemError(errno, "open " + path);
    const ssize_t n = ::write(fd, value.data(), value.size());
    const int err = errno;
    ::close(fd);
    if (n != static_cast<ssize_t>(value.size()))
        return systemError(n < 0 ? err : EIO, "write '" + value + "' to " + path);
    return {};
}

std::string readFirstLine(const std::string& path)
{
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

std::uint64_t readNumber(const std::string& path)
{
    try {
        return std::stoull(readFirstLine(path));
    } catch (...) {
        return 0;
    }
}

// Events the kernel overwrote or could not record, summed over all CPUs.
std::uint64_t lostEvents(const std::string& instance)
{
    std::uint64_t lost = 0;
    std::error_code ec;
    for (const auto& cpu : fs::directory_iterator(instance + "/per_cpu", ec)) {
        std::ifstream in(cpu.path() / "stats");
        std::string line;
        while (std::getline(in, line)) {
            auto value = [&](const char* key) -> std::uint64_t {
                const std::size_t n = std::strlen(key);
                if (line.compare(0, n, key) != 0)
                    return 0;
                return std::strtoull(line.c_str() + n, nullptr, 10);
            };
            lost += value("overrun:");
            lost += value("dropped events:");
        }
    }
    return lost;
}

} // namespace

Result<std::string> TraceTracker::tracefsRoot()
{
    std::ifstream mounts("/proc/self/mounts");
    std::string dev, point, type;
    std::string line;
    std::string found;
    while (std::getline(mounts, line)) {
        std::istringstream in(line);
        in >> dev >> point >> type;
        if (type == "tracefs" && (found.empty() || point == "/sys/kernel/tracing"))
            found = point;
    }
    if (!found.empty())
        return found;
    const std::string target = "/sys/kernel/tracing";
    if (::mount("nodev", target.c_str(), "tracefs", 0, nullptr) != 0)
        return systemError(errno, "mount tracefs at " + target +
                                      " (kernel write tracking needs root and a kernel with "
                                      "tracing)");
    return target;
}

int TraceTracker::removeStaleInstances(const std::string& root, Logger log)
{
    log = orNull(std::move(log));
    int removed = 0;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root + "/instances", ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(kPrefix, 0) != 0)
            continue;
        const long pid = std::strtol(name.c_str() + std::strlen(kPrefix), nullptr, 10);
        if (pid <= 0 || (::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH))
            continue;
        if (::rmdir(entry.path().c_str()) == 0) {
            log->info("removed a trace instance left by a run that ended without cleaning up: {}",
                      entry.path().string());
            ++removed;
        } else {
            log->warn("cannot remove stale trace instance {}: {}", entry.path().string(),
                      std::strerror(errno));
        }
    }
    return removed;
}

Result<std::unique_ptr<TraceTracker>> TraceTracker::create(const std::string& devicePath,
                                                           Options options, Logger log)
{
    log = orNull(std::move(log));
    auto id = identify(devicePath);
    if (!id)
        return id.error();
    if (!id->blockDevice)
        return Error{EINVAL, devicePath + ": write tracking needs a block device"};

    std::unique_ptr<TraceTracker> t(new TraceTracker);
    t->m_log = log;
    t->m_readInterval = options.readInterval;
    std::error_code ec;
    const std::string sys = fs::canonical("/sys/dev/block/" + std::to_string(major(id->rdev)) +
                                              ":" + std::to_string(minor(id->rdev)),
                                          ec)
                                .string();
    if (ec)
        return Error{ENODEV, devicePath + ": not found in /sys/dev/block"};
    t->m_sectors = readNumber(sys + "/size");
    unsigned ma = major(id->rdev), mi = minor(id->rdev);
    if (fs::exists(sys + "/partition")) {
        // Requests are issued, and traced, against the whole disk.
        t->m_startSector = readNumber(sys + "/start");
        std::istringstream in(readFirstLine(sys + "/../dev"));
        char colon = 0;
        if (!(in >> ma >> colon >> mi))
            return Error{ENODEV, devicePath + ": cannot find the disk that holds this partition"};
    }
    if (fs::exists(sys + "/dm") || fs::exists(sys + "/md"))
        return Error{EOPNOTSUPP, devicePath +
                                     ": device-mapper and RAID devices complete bios, not "
                                     "requests, and cannot be tracked; mirror their member "
                                     "disks or stop the writers"};
    t->m_major = ma;
    t->m_minor = mi;

    auto root = tracefsRoot();
    if (!root)
        return root.error();
    removeStaleInstances(*root, log);

    static std::atomic<unsigned> counter{0};
    for (;;) {
        t->m_instance = *root + "/instances/" + kPrefix + std::to_string(::getpid()) + "-" +
                        std::to_string(counter++);
        if (::mkdir(t->m_instance.c_str(), 0700) == 0)
            break;
        if (errno != EEXIST) {
            const int err = errno;
            t->m_instance.clear();
            return systemError(err, "create trace instance under " + *root + "/instances");
        }
    }
    const std::string ev = t->m_instance + "/events/block/block_rq_complete";
    // The kernel's dev_t packs the major above 20 bits of minor.
    const std::uint64_t kdev = (static_cast<std::uint64_t>(ma) << 20) | mi;
    // Every request that carries sectors and is not a read may change data:
    // writes (W), discards and secure erase (D, DE), and everything the
    // kernel prints as N (write-zeroes, zone operations, kinds added later).
    // A flush carries no sectors. Better a range copied twice than lost.
    std::string where = "dev == " + std::to_string(kdev) + " && nr_sector > 0";
    if (t->m_startSector > 0 || t->m_sectors > 0)
        where += " && sector < " + std::to_string(t->m_startSector + t->m_sectors);
    if (auto r =
            writeFile(t->m_instance + "/buffer_size_kb", std::to_string(options.bufferKiBPerCpu));
        !r)
        return r.error();
    // "!" in filters is newer than the rest (Linux 4.17); the listed kinds
    // are what older kernels know.
    if (auto r = writeFile(ev + "/filter", where + " && !(rwbs ~ \"*R*\")"); !r) {
        if (auto old = writeFile(ev + "/filter", where + " && (rwbs ~ \"*W*\" || rwbs ~ \"*D*\" "
                                                         "|| rwbs ~ \"*N*\")");
            !old)
            return r.error();
    }
    for (auto r : {writeFile(ev + "/enable", "1"), writeFile(t->m_instance + "/tracing_on", "1")}) {
        if (!r)
            return r.error();
    }
    t->m_pipeFd =
        ::open((t->m_instance + "/trace_pipe").c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (t->m_pipeFd < 0)
        return systemError(errno, "open " + t->m_instance + "/trace_pipe");
    t->m_lostBaseline = lostEvents(t->m_instance);
    log->info("tracking writes to {} (disk {}:{}, sectors {}..{}) through {}", devicePath, ma, mi,
              t->m_startSector, t->m_startSector + t->m_sectors, t->m_instance);
    return t;
}

TraceTracker::~TraceTracker()
{
    stop();
}

Result<void> TraceTracker::start(Sink sink, OverflowSink overflow)
{
    m_sink = std::move(sink);
    m_overflow = std::move(overflow);
    m_thread = std::jthread([this](std::stop_token st) { run(st); });
    return {};
}

void TraceTracker::run(std::stop_token stop)
{
    while (!stop.stop_requested()) {
        if (m_readInterval.count() > 0) {
            std::mutex m;
            std::condition_variable_any cv;
            std::unique_lock lock(m);
            cv.wait_for(lock, stop, m_readInterval, [] { return false; });
        } else {
            pollfd p{m_pipeFd, POLLIN, 0};
            if (::poll(&p, 1, 100) > 0 && (p.revents & POLLIN)) {
                // Let a few milliseconds of events gather: one read per
                // batch instead of one wake-up per write.
                std::mutex m;
                std::condition_variable_any cv;
                std::unique_lock lock(m);
                cv.wait_for(lock, stop, std::chrono::milliseconds(10), [] { return false; });
            }
        }
        if (auto r = readAvailable(); !r) {
            m_log->error("write tracking stopped: {}", r.error().message);
            if (m_overflow)
                m_overflow(r.error().message);
            return;
        }
    }
}

Result<void> TraceTracker::readAvailable(bool force)
{
    std::lock_guard lock(m_readMutex);
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(m_pipeFd, buf, sizeof buf);
        if (n > 0) {
            parse(buf, static_cast<std::size_t>(n));
            continue;
        }
        if (n == 0 || errno == EAGAIN)
            break;
        if (errno == EINTR)
            continue;
        return systemError(errno, "read " + m_instance + "/trace_pipe");
    }
    // The loss counters live in one sysfs file per CPU; reading them on
    // every wake-up cost more than the events themselves at low rates.
    const auto now = std::chrono::steady_clock::now();
    if (force || now - m_lastLossCheck >= std::chrono::milliseconds(100)) {
        m_lastLossCheck = now;
        checkLoss();
    }
    return {};
}

Result<void> TraceTracker::drain()
{
    if (m_pipeFd < 0)
        return Error{EBADF, "write tracking is not running"};
    return readAvailable(true);
}

void TraceTracker::parse(const char* data, std::size_t length)
{
    m_partial.append(data, length);
    std::size_t begin = 0;
    for (;;) {
        const std::size_t nl = m_partial.find('\n', begin);
        if (nl == std::string::npos)
            break;
        handleLine(m_partial.substr(begin, nl - begin));
        begin = nl + 1;
    }
    m_partial.erase(0, begin);
}

void TraceTracker::handleLine(const std::string& line)
{
    // "<task>-<pid> [cpu] flags ts: block_rq_complete: 7,0 WS () 80 + 8 be,0,4 [0]"
    static constexpr std::string_view kTag = "block_rq_complete: ";
    const std::size_t at = line.find(kTag);
    if (at == std::string::npos)
        return;
    const char* p = line.c_str() + at + kTag.size();
    unsigned ma = 0, mi = 0;
    char rwbs[16] = {};
    if (std::sscanf(p, "%u,%u %15s", &ma, &mi, rwbs) != 3 || ma != m_major || mi != m_minor)
        return;
    // The command in parentheses may hold spaces; the numbers follow it.
    const char* close = std::strstr(p, ") ");
    unsigned long long sector = 0;
    unsigned nr = 0;
    if (!close || std::sscanf(close + 2, "%llu + %u", &sector, &nr) != 2 || nr == 0)
        return;
    if (std::strchr(rwbs, 'R'))
        return; // only reads leave the data as it was
    std::uint64_t first = sector;
    std::uint64_t end = sector + nr;
    first = std::max<std::uint64_t>(first, m_startSector);
    end = std::min<std::uint64_t>(end, m_startSector + m_sectors);
    if (first >= end)
        return;
    ++m_events;
    if (m_sink)
        m_sink((first - m_startSector) * 512, (end - first) * 512);
}

void TraceTracker::checkLoss()
{
    const std::uint64_t lost = lostEvents(m_instance);
    if (lost <= m_lostBaseline)
        return;
    const std::uint64_t n = lost - m_lostBaseline;
    m_lostBaseline = lost;
    ++m_overflows;
    const std::string why = "the kernel trace buffer lost " + std::to_string(n) +
                            " event(s); every block is treated as written and copied again";
    m_log->warn("{}", why);
    if (m_overflow)
        m_overflow(why);
}

void TraceTracker::stop()
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_thread.joinable()) {
        m_thread.request_stop();
        m_thread.join();
    }
    if (!m_instance.empty()) {
        (void)writeFile(m_instance + "/events/block/block_rq_complete/enable", "0");
        if (m_pipeFd >= 0)
            ::close(m_pipeFd);
        m_pipeFd = -1;
        // The kernel lets go of a closed trace_pipe's reader a moment
        // later, and the instance is busy until it has.
        int err = 0;
        for (int attempt = 0; attempt < 50; ++attempt) {
            err = ::rmdir(m_instance.c_str()) == 0 ? 0 : errno;
            if (err != EBUSY)
                break;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        if (err != 0)
            m_log->warn("cannot remove trace instance {}: {}", m_instance, std::strerror(err));
    }
}

} // namespace engine
