#include "track/freeze.h"

#include "device/mounts.h"
#include "io/disk.h"

#include <dirent.h>
#include <fcntl.h>
#include <liburing.h>
#include <linux/fs.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <deque>

namespace engine {

namespace {

using Clock = std::chrono::steady_clock;

constexpr unsigned kMaxMounts = 64;

enum : std::uint32_t { kOpFreeze = 1, kOpThaw = 2, kOpExit = 3 };
// Reply status: 0 done; 1 thaw after the deadline had already thawed; -1 failed.
constexpr std::int32_t kExpired = 1;

struct Request
{
    std::uint32_t op = 0;
    std::uint32_t seq = 0;
    std::int64_t holdNs = 0;
};

struct Reply
{
    std::uint32_t seq = 0;
    std::int32_t status = 0;
    std::int32_t err = 0;
};

// --- the guardian process: system calls only --------------------------------

std::int64_t monotonicNs()
{
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

struct GuardianState
{
    int sock = -1;
    int frozen[kMaxMounts];
    unsigned count = 0;
    std::int64_t deadline = 0;
    bool expired = false;
    pid_t parent = -1;
    char cleanupDir[PATH_MAX];
};

int thawAll(GuardianState& g)
{
    int err = 0;
    for (unsigned i = 0; i < g.count; ++i) {
        if (::ioctl(g.frozen[i], FITHAW, 0) != 0 && errno != EINVAL)
            err = errno; // EINVAL: not frozen (someone ran fsfreeze -u)
        ::close(g.frozen[i]);
    }
    g.count = 0;
    return err;
}

[[noreturn]] void leave(GuardianState& g, bool cleanup)
{
    thawAll(g);
    // Signalled while the job still runs: its tracker still uses the
    // instance and removes it itself.
    if (cleanup && ::getppid() == g.parent)
        cleanup = false;
    if (cleanup && g.cleanupDir[0]) {
        // The dying parent's descriptors may still be closing, which keeps
        // the trace instance busy for a moment.
        for (int i = 0; i < 100; ++i) {
            if (::rmdir(g.cleanupDir) == 0 || errno == ENOENT)
                break;
            const timespec pause{0, 20'000'000};
            ::nanosleep(&pause, nullptr);
        }
    }
    ::_exit(0);
}

void reply(GuardianState& g, std::uint32_t seq, std::int32_t status, std::int32_t err)
{
    const Reply r{seq, status, err};
    [[maybe_unused]] const ssize_t n = ::send(g.sock, &r, sizeof r, MSG_NOSIGNAL | MSG_DONTWAIT);
}

void handleFreeze(GuardianState& g, const Request& req, const int* fds, unsigned n)
{
    thawAll(g);
    // The deadline counts from the first FIFREEZE: its flush already holds
    // the writers back.
    g.deadline = monotonicNs() + req.holdNs;
    g.expired = false;
    for (unsigned i = 0; i < n; ++i) {
        if (::ioctl(fds[i], FIFREEZE, 0) != 0) {
            const int err = errno;
            for (unsigned k = i; k < n; ++k)
                ::close(fds[k]);
            thawAll(g);
            return reply(g, req.seq, -1, err);
        }
        g.frozen[g.count++] = fds[i];
    }
    reply(g, req.seq, 0, 0);
}

[[noreturn]] void guardianMain(GuardianState& g)
{
    ::setsid(); // not stopped by the terminal's ^Z, not hung up with it
    ::prctl(PR_SET_NAME, "dm-freeze-guard", 0, 0, 0);
    const int devnull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devnull >= 0) {
        ::dup2(devnull, 0);
        ::dup2(devnull, 1);
        ::dup2(devnull, 2);
    }
    // Hold nothing of the parent's: a pipe kept open here would delay the
    // end-of-file its reader waits for, an O_EXCL device would stay busy.
    if (g.sock > 3)
        ::close_range(3, static_cast<unsigned>(g.sock - 1), 0);
    ::close_range(static_cast<unsigned>(g.sock + 1), ~0u, 0);

    // Whoever signals the guardian to end gets the file systems thawed.
    sigset_t all;
    ::sigfillset(&all);
    ::sigprocmask(SIG_SETMASK, &all, nullptr);
    sigset_t ending;
    ::sigemptyset(&ending);
    for (int s : {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF,
                  SIGXCPU, SIGXFSZ})
        ::sigaddset(&ending, s);
    const int sigFd = ::signalfd(-1, &ending, SFD_CLOEXEC);

    for (;;) {
        int timeout = -1;
        if (g.count > 0) {
            const std::int64_t left = g.deadline - monotonicNs();
            timeout = left <= 0 ? 0 : static_cast<int>((left + 999'999) / 1'000'000);
        }
        pollfd p[2] = {{g.sock, POLLIN, 0}, {sigFd, POLLIN, 0}};
        const int rc = ::poll(p, 2, timeout);
        if (g.count > 0 && monotonicNs() >= g.deadline) {
            thawAll(g);
            g.expired = true;
        }
        if (rc <= 0)
            continue;
        if (p[1].revents & POLLIN)
            leave(g, true);
        if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        Request req;
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxMounts)];
        iovec iov{&req, sizeof req};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        msg.msg_control = control;
        msg.msg_controllen = sizeof control;
        const ssize_t got = ::recvmsg(g.sock, &msg, MSG_CMSG_CLOEXEC);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            leave(g, true); // the parent is gone
        int fds[kMaxMounts];
        unsigned nfds = 0;
        for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
            if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                continue;
            const auto n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (std::size_t i = 0; i < n && nfds < kMaxMounts; ++i)
                std::memcpy(&fds[nfds++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
        }
        if (static_cast<std::size_t>(got) != sizeof req) {
            for (unsigned i = 0; i < nfds; ++i)
                ::close(fds[i]);
            continue;
        }
        switch (req.op) {
        case kOpFreeze:
            handleFreeze(g, req, fds, nfds);
            break;
        case kOpThaw: {
            for (unsigned i = 0; i < nfds; ++i)
                ::close(fds[i]);
            if (g.expired) {
                g.expired = false;
                reply(g, req.seq, kExpired, 0);
            } else {
                const int err = thawAll(g);
                reply(g, req.seq, err ? -1 : 0, err);
            }
            break;
        }
        case kOpExit:
            leave(g, false);
        default:
            for (unsigned i = 0; i < nfds; ++i)
                ::close(fds[i]);
            break;
        }
    }
}

std::uint32_t g_sequence = 0;

} // namespace

// --- this process's side -----------------------------------------------------

Result<std::unique_ptr<FreezeGuardian>> FreezeGuardian::start(const std::string& cleanupDir,
                                                              Logger log)
{
    if (cleanupDir.size() >= PATH_MAX)
        return Error{ENAMETOOLONG, "freeze guardian: path too long: " + cleanupDir};
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return systemError(errno, "freeze guardian: socketpair");
    // Everything the child needs is in this block before the fork: after it
    // the child may not allocate (another thread may hold malloc's lock).
    auto* state = new GuardianState;
    state->sock = sv[1];
    state->parent = ::getpid();
    std::memset(state->cleanupDir, 0, sizeof state->cleanupDir);
    std::memcpy(state->cleanupDir, cleanupDir.data(), cleanupDir.size());
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int err = errno;
        delete state;
        ::close(sv[0]);
        ::close(sv[1]);
        return systemError(err, "freeze guardian: fork");
    }
    if (pid == 0)
        guardianMain(*state);
    delete state;
    ::close(sv[1]);
    std::unique_ptr<FreezeGuardian> g(new FreezeGuardian);
    g->m_pid = pid;
    g->m_socket = sv[0];
    g->m_log = orNull(std::move(log));
    g->m_log->debug("freeze guardian started (pid {})", pid);
    return g;
}

FreezeGuardian::~FreezeGuardian()
{
    stop();
}

void FreezeGuardian::stop()
{
    if (m_socket < 0)
        return;
    if (m_frozen)
        (void)thaw();
    const Request req{kOpExit, ++g_sequence, 0};
    [[maybe_unused]] const ssize_t n = ::send(m_socket, &req, sizeof req, MSG_NOSIGNAL);
    ::close(m_socket);
    m_socket = -1;
    while (::waitpid(m_pid, nullptr, 0) < 0 && errno == EINTR) {
    }
}

Result<void> FreezeGuardian::request(unsigned op, const std::vector<int>& fds, std::int64_t holdNs,
                                     int& status, int& err, std::chrono::milliseconds timeout)
{
    if (m_socket < 0)
        return Error{EPIPE, "the freeze guardian is not running"};
    Request req{op, ++g_sequence, holdNs};
    iovec iov{&req, sizeof req};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxMounts)] = {};
    if (!fds.empty()) {
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
        cmsghdr* c = CMSG_FIRSTHDR(&msg);
        if (!c)
            return Error{EINVAL, "freeze guardian: no room for descriptors"};
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
        std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
    }
    ssize_t n;
    do
        n = ::sendmsg(m_socket, &msg, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(sizeof req))
        return systemError(n < 0 ? errno : EIO, "the freeze guardian does not answer");
    const auto until = Clock::now() + timeout;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
        if (left <= 0)
            return Error{ETIMEDOUT, "the freeze guardian did not answer within " +
                                        std::to_string(timeout.count()) + " ms"};
        pollfd p{m_socket, POLLIN, 0};
        const int rc = ::poll(&p, 1, static_cast<int>(left));
        if (rc < 0 && errno != EINTR)
            return systemError(errno, "freeze guardian");
        if (rc <= 0)
            continue;
        Reply r;
        const ssize_t got = ::recv(m_socket, &r, sizeof r, 0);
        if (got <= 0)
            return Error{EPIPE, "the freeze guardian ended"};
        if (got != sizeof r || r.seq != req.seq)
            continue; // the late answer to a request that timed out
        status = r.status;
        err = r.err;
        return {};
    }
}

Result<std::vector<std::string>> FreezeGuardian::freeze(const std::string& devicePath,
                                                        std::chrono::milliseconds maxHold)
{
    if (m_frozen)
        return Error{EBUSY, "internal: freeze while frozen"};
    auto id = identify(devicePath);
    if (!id)
        return id.error();
    if (!id->blockDevice)
        return std::vector<std::string>{};
    std::vector<int> fds;
    std::vector<std::string> points;
    std::vector<dev_t> seen;
    auto closeAll = [&] {
        for (int fd : fds)
            ::close(fd);
    };
    for (const auto& point : mountPointsOf(major(id->rdev), minor(id->rdev))) {
        const int fd = ::open(point.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            const int err = errno;
            closeAll();
            return systemError(err, "open mount point " + point);
        }
        struct stat st
        {
        };
        if (::fstat(fd, &st) != 0 || std::find(seen.begin(), seen.end(), st.st_dev) != seen.end() ||
            fds.size() >= kMaxMounts) {
            ::close(fd); // a bind mount of a file system already listed
            continue;
        }
        seen.push_back(st.st_dev);
        fds.push_back(fd);
        points.push_back(point);
    }
    if (fds.empty())
        return points;
    const auto sent = Clock::now();
    int status = 0, err = 0;
    // FIFREEZE flushes the file system first; give it the hold time and a
    // little more before calling the guardian lost.
    auto r = request(kOpFreeze, fds, std::chrono::nanoseconds(maxHold).count(), status, err,
                     maxHold + std::chrono::seconds(5));
    closeAll(); // the guardian holds its own copies
    if (!r)
        return r.error();
    if (status != 0) {
        if (err == EBUSY)
            return Error{EBUSY, "cannot freeze the file systems of " + devicePath +
                                    ": one of them (" + points.front() +
                                    (points.size() > 1 ? " or another" : "") +
                                    ") is frozen already, by another program or an earlier run; "
                                    "thaw it with fsfreeze -u MOUNTPOINT"};
        return systemError(err, "freeze " + devicePath);
    }
    m_frozen = true;
    m_deadline = sent + maxHold;
    m_points = points;
    for (const auto& p : points)
        m_log->info("froze {} (at most {:.1f} s)", p,
                    std::chrono::duration<double>(maxHold).count());
    return points;
}

bool FreezeGuardian::expired() const
{
    return m_frozen && Clock::now() >= m_deadline;
}

Result<void> FreezeGuardian::thaw()
{
    if (!m_frozen)
        return {};
    // Whatever was read before this call was read frozen when the guardian's
    // deadline (which starts no earlier than ours) has not passed yet.
    const bool late = Clock::now() >= m_deadline;
    int status = 0, err = 0;
    auto r = request(kOpThaw, {}, 0, status, err, std::chrono::seconds(10));
    m_frozen = false;
    const auto points = std::exchange(m_points, {});
    if (!r) {
        m_log->error("thaw: {}", r.error().message);
        return Error{r.error().code, r.error().message + "; the file systems were thawed when it "
                                                         "ended"};
    }
    if (status == -1) {
        m_log->error("thaw: {}", errnoText(err));
        return systemError(err, "thaw");
    }
    for (const auto& p : points)
        m_log->info("thawed {}", p);
    if (late || status == kExpired)
        return Error{ETIMEDOUT, "the freeze reached its maximum and the file systems were thawed "
                                "before the final copy was done"};
    return {};
}

namespace {

// Whether a zero-byte RWF_NOWAIT write to @p fd meets a frozen file system:
// the kernel takes the file system's write reference with a trylock for
// such a request and answers EAGAIN when it would have to sleep. A writer
// of the same file can cause one EAGAIN too, so only repeated ones count.
bool writeWouldWaitForFreeze(int fd)
{
    io_uring ring{};
    if (io_uring_queue_init(2, &ring, 0) != 0)
        return false;
    char byte = 0;
    int eagain = 0;
    for (int attempt = 0; attempt < 5; ++attempt) {
        io_uring_sqe* sqe = io_uring_get_sqe(&ring);
        if (!sqe)
            break;
        io_uring_prep_write(sqe, fd, &byte, 0, 0);
        sqe->rw_flags = RWF_NOWAIT;
        io_uring_cqe* cqe = nullptr;
        if (io_uring_submit_and_wait(&ring, 1) < 1 || io_uring_wait_cqe(&ring, &cqe) != 0)
            break;
        const int res = cqe->res;
        io_uring_cqe_seen(&ring, cqe);
        if (res != -EAGAIN)
            break;
        ++eagain;
        ::usleep(2000);
    }
    io_uring_queue_exit(&ring);
    return eagain == 5;
}

// A regular file on the file system mounted at @p point that this process
// can open for writing without changing it: the first few found breadth
// first, within a bounded number of directory entries.
bool probeFrozen(const std::string& point)
{
    struct stat rootSt
    {
    };
    const int root = ::open(point.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return false;
    if (::fstat(root, &rootSt) != 0) {
        ::close(root);
        return false;
    }
    std::deque<int> dirs{root};
    int entries = 0;
    int tried = 0;
    bool frozen = false;
    bool decided = false;
    while (!dirs.empty() && !decided && entries < 2000 && tried < 3) {
        const int dfd = dirs.front();
        dirs.pop_front();
        DIR* d = ::fdopendir(dfd);
        if (!d) {
            ::close(dfd);
            continue;
        }
        while (const dirent* e = ::readdir(d)) {
            if (++entries >= 2000 || decided || tried >= 3)
                break;
            const std::string name = e->d_name;
            if (name == "." || name == "..")
                continue;
            struct stat st
            {
            };
            if (::fstatat(::dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
                st.st_dev != rootSt.st_dev)
                continue;
            if (S_ISDIR(st.st_mode)) {
                if (dirs.size() < 64) {
                    const int sub = ::openat(::dirfd(d), e->d_name,
                                             O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                    if (sub >= 0)
                        dirs.push_back(sub);
                }
                continue;
            }
            if (!S_ISREG(st.st_mode))
                continue;
            // O_WRONLY without O_TRUNC or O_CREAT does not wait for a frozen
            // file system; a file in use as a program or swap refuses it.
            // O_DIRECT, because io_uring answers EAGAIN to every buffered
            // NOWAIT write on file systems that cannot do them (ext4).
            const int fd =
                ::openat(::dirfd(d), e->d_name,
                         O_WRONLY | O_DIRECT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
            if (fd < 0)
                continue;
            ++tried;
            frozen = writeWouldWaitForFreeze(fd);
            ::close(fd);
            decided = frozen;
        }
        ::closedir(d);
    }
    for (const int fd : dirs)
        ::close(fd);
    return frozen;
}

} // namespace

std::string frozenMountPoint(const std::vector<std::string>& mountPoints)
{
    for (const auto& p : mountPoints)
        if (probeFrozen(p))
            return p;
    return {};
}

} // namespace engine
