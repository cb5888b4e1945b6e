// Freezing the file systems of a live source for the final copy (FIFREEZE),
// so that it sees a quiet, consistent disk, without ever leaving them frozen.
//
// A frozen file system stays frozen when its freezer goes away: every writer
// on it hangs until someone runs `fsfreeze -u`. Signal handlers cannot cover
// SIGKILL, an OOM kill, SIGSTOP or a process hung in I/O, so the freeze is
// held by a guardian: a small child process, forked when the live source is
// set up, in a session of its own. It freezes and thaws on request, and it
// thaws by itself
//
//   - when the freeze has lasted its maximum (the deadline), and
//   - when this process ends in any way (its end of the socket closes),
//
// and then also removes the trace instance of this process, which nobody
// else would remove until the next run. The child runs only system calls
// (it is forked from a process with threads), never returns to the caller's
// code, and exits as soon as its parent is gone.
#pragma once

#include "base/logging.h"
#include "base/result.h"

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace engine {

class FreezeGuardian
{
public:
    /// Forks the guardian. @p cleanupDir (may be empty) is removed with
    /// rmdir when this process ends without stopping the guardian.
    static Result<std::unique_ptr<FreezeGuardian>> start(const std::string& cleanupDir,
                                                         Logger log = {});
    /// Thaws, tells the guardian to exit and reaps it.
    ~FreezeGuardian();
    FreezeGuardian(const FreezeGuardian&) = delete;
    FreezeGuardian& operator=(const FreezeGuardian&) = delete;

    /// Freezes every file system mounted from the block device
    /// @p devicePath or its partitions (each once, however often mounted),
    /// for at most @p maxHold. Nothing mounted: nothing frozen, no error. On
    /// failure nothing stays frozen. Returns the mount points frozen.
    Result<std::vector<std::string>> freeze(const std::string& devicePath,
                                            std::chrono::milliseconds maxHold);
    /// True once the current freeze has reached its deadline: the guardian
    /// thaws (or has thawed) the file systems by itself.
    bool expired() const;
    /// Thaws what freeze() froze. An error when the freeze did not hold
    /// until now (the deadline came first, or the guardian is gone), so
    /// that what was copied under it is not known to be of one moment.
    Result<void> thaw();
    bool frozen() const { return m_frozen; }
    pid_t pid() const { return m_pid; }

private:
    FreezeGuardian() = default;
    Result<void> request(unsigned op, const std::vector<int>& fds, std::int64_t holdNs, int& status,
                         int& err, std::chrono::milliseconds timeout);
    void stop();

    pid_t m_pid = -1;
    int m_socket = -1;
    bool m_frozen = false;
    std::chrono::steady_clock::time_point m_deadline{};
    std::vector<std::string> m_points;
    Logger m_log;
};

/// The first of @p mountPoints whose file system is frozen now (by another
/// program, or a run killed while it held the freeze), found without waiting
/// on it: a write of zero bytes with RWF_NOWAIT through io_uring, to a file
/// there, is refused with EAGAIN instead of sleeping while the file system
/// is frozen, and changes nothing otherwise. Empty when none is, or when no
/// file there can be opened to ask.
std::string frozenMountPoint(const std::vector<std::string>& mountPoints);

} // namespace engine
