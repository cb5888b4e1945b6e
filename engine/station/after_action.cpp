#include "station/after_action.h"

#include "base/child_process.h"
#include "device/device_catalog.h"
#include "io/resolve.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <vector>

namespace engine {

namespace {

constexpr auto kToolTimeout = std::chrono::seconds(60);

struct ToolRun
{
    bool found = true;
    int status = -1;     ///< exit status; -1 when it did not exit by itself
    std::string message; ///< the first line it wrote on stderr
};

std::string firstLine(const std::string& text)
{
    const auto end = text.find('\n');
    return text.substr(0, end);
}

// Reads the tool's stderr until it closes it or the time is up.
std::string collectStderr(int fd, std::chrono::steady_clock::time_point deadline, bool& timedOut)
{
    std::string err;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timedOut = true;
            return err;
        }
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) < 0 && errno != EINTR)
            return err;
        char buf[512];
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
            return err;
        if (n > 0 && err.size() < 4096)
            err.append(buf, static_cast<std::size_t>(n));
    }
}

ToolRun runTool(const std::vector<std::string>& args)
{
    ToolRun run;
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
        run.message = std::strerror(errno);
        return run;
    }
    auto pid = spawnChild(args, -1, pipeFds[1]);
    ::close(pipeFds[1]);
    if (!pid) {
        ::close(pipeFds[0]);
        run.found = pid.error().code != ENOENT;
        run.message = std::strerror(pid.error().code);
        return run;
    }
    bool timedOut = false;
    run.message = firstLine(
        collectStderr(pipeFds[0], std::chrono::steady_clock::now() + kToolTimeout, timedOut));
    ::close(pipeFds[0]);
    if (timedOut)
        ::kill(*pid, SIGKILL);
    int status = 0;
    while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!timedOut && WIFEXITED(status))
        run.status = WEXITSTATUS(status);
    if (timedOut)
        run.message = "no answer within a minute";
    return run;
}

// Nothing of the copy may stay in a cache when the operator pulls the drive.
std::string flushAndLeave(const FinishedDrive& drive, const std::string& why)
{
    const UniqueFd fd(::open(drive.devnode.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
    struct stat st
    {
    };
    if (!fd.valid() || ::fstat(fd.get(), &st) != 0 || !S_ISBLK(st.st_mode) ||
        st.st_rdev != drive.devnum)
        return "left alone (" + why + "; " + drive.devnode + " is gone)";
    int err = ::fsync(fd.get()) == 0 ? 0 : errno;
    if (!err && ::ioctl(fd.get(), BLKFLSBUF, 0) != 0)
        err = errno;
    if (err)
        return "left in place, flush failed: " + errnoText(err) + " (" + why + ")";
    return "flushed, left in place (" + why + ")";
}

std::string toolFailure(const std::string& tool, const std::string& command, const ToolRun& run)
{
    if (!run.found)
        return tool + " is not installed";
    return command + " failed" + (run.message.empty() ? std::string() : ": " + run.message);
}

} // namespace

std::string finishDrive(AfterAction action, const FinishedDrive& drive, const Logger& log)
{
    if (action == AfterAction::None)
        return "none";
    // A drive pulled and another one plugged in under its name meanwhile
    // is not the one to eject.
    auto now = describeDevice(drive.devnode, log);
    if (!now || now->stableId() != drive.stableId || now->devnum != drive.devnum)
        return "left alone (" + drive.devnode + " is no longer the drive that was copied)";
    std::string why;
    if (action == AfterAction::Eject) {
        const ToolRun run = runTool({"eject", drive.devnode});
        if (run.status == 0)
            return "ejected";
        why = toolFailure("eject", "eject", run);
        log->info("{}: {}", drive.devnode, why);
        // Powered off, a drive is as safe to pull as ejected.
        if (run.found)
            return flushAndLeave(drive, why);
    }
    const ToolRun run =
        runTool({"udisksctl", "power-off", "--no-user-interaction", "-b", drive.devnode});
    if (run.status == 0)
        return why.empty() ? "powered off" : "powered off (" + why + ")";
    why += (why.empty() ? "" : "; ") + toolFailure("udisksctl", "udisksctl power-off", run);
    log->info("{}: {}", drive.devnode, why);
    return flushAndLeave(drive, why);
}

} // namespace engine
