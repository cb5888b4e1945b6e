#include "freeze.h"

#include "disk.h"
#include "safety.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>

namespace engine {

namespace {

// A frozen file system stays frozen if its freezer dies: every writer on it
// hangs until someone runs fsfreeze -u. So the descriptors of frozen file
// systems are also kept here, where a fatal-signal handler and atexit can
// thaw them (ioctl is async-signal-safe). A slot holds fd + 1; 0 is empty.
constexpr std::size_t kSlots = 64;
std::atomic<int> g_frozen[kSlots];
constexpr int kFatal[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT};
struct sigaction g_previous[std::size(kFatal)];

void emergencyThaw()
{
    for (auto& slot : g_frozen) {
        const int fd = slot.exchange(0) - 1;
        if (fd >= 0)
            ::ioctl(fd, FITHAW, 0);
    }
}

void onFatalSignal(int sig)
{
    emergencyThaw();
    for (std::size_t i = 0; i < std::size(kFatal); ++i)
        if (kFatal[i] == sig)
            ::sigaction(sig, &g_previous[i], nullptr);
    ::raise(sig);
}

void installEmergencyThaw()
{
    static std::once_flag once;
    std::call_once(once, [] {
        struct sigaction sa
        {
        };
        sa.sa_handler = onFatalSignal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESETHAND;
        for (std::size_t i = 0; i < std::size(kFatal); ++i)
            ::sigaction(kFatal[i], &sa, &g_previous[i]);
        std::atexit(emergencyThaw);
    });
}

void registerFrozen(int fd)
{
    for (auto& slot : g_frozen) {
        int expected = 0;
        if (slot.compare_exchange_strong(expected, fd + 1))
            return;
    }
}

void unregisterFrozen(int fd)
{
    for (auto& slot : g_frozen) {
        int expected = fd + 1;
        if (slot.compare_exchange_strong(expected, 0))
            return;
    }
}

} // namespace

Result<FreezeGuard> FreezeGuard::freezeMountsOf(const std::string& devicePath, Logger log)
{
    FreezeGuard guard;
    guard.m_log = orNull(std::move(log));
    auto id = identify(devicePath);
    if (!id)
        return id.error();
    if (!id->blockDevice)
        return guard;
    installEmergencyThaw();
    std::vector<dev_t> seen;
    for (const auto& point : mountPointsOf(major(id->rdev), minor(id->rdev))) {
        const int fd = ::open(point.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return systemError(errno, "open mount point " + point);
        struct stat st
        {
        };
        ::fstat(fd, &st);
        if (std::find(seen.begin(), seen.end(), st.st_dev) != seen.end()) {
            ::close(fd); // a bind mount of a file system already frozen
            continue;
        }
        if (::ioctl(fd, FIFREEZE, 0) != 0) {
            const int err = errno;
            ::close(fd);
            return systemError(err, "freeze " + point);
        }
        registerFrozen(fd);
        seen.push_back(st.st_dev);
        guard.m_fds.push_back(fd);
        guard.m_points.push_back(point);
        guard.m_log->info("froze {}", point);
    }
    return guard;
}

FreezeGuard::FreezeGuard(FreezeGuard&& other) noexcept
{
    *this = std::move(other);
}

FreezeGuard& FreezeGuard::operator=(FreezeGuard&& other) noexcept
{
    if (this != &other) {
        thaw();
        m_fds = std::move(other.m_fds);
        m_points = std::move(other.m_points);
        m_log = std::move(other.m_log);
        other.m_fds.clear();
        other.m_points.clear();
    }
    return *this;
}

FreezeGuard::~FreezeGuard()
{
    thaw();
}

void FreezeGuard::thaw()
{
    for (std::size_t i = 0; i < m_fds.size(); ++i) {
        unregisterFrozen(m_fds[i]);
        if (::ioctl(m_fds[i], FITHAW, 0) != 0 && m_log)
            m_log->error("thaw {}: {}", m_points[i], std::strerror(errno));
        else if (m_log)
            m_log->info("thawed {}", m_points[i]);
        ::close(m_fds[i]);
    }
    m_fds.clear();
    m_points.clear();
}

} // namespace engine
