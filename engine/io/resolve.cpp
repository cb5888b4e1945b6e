#include "io/resolve.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <optional>

namespace engine {

namespace {

std::optional<unsigned long> envNumber(const char* name)
{
    const char* v = std::getenv(name);
    if (!v || !*v)
        return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const unsigned long n = std::strtoul(v, &end, 10);
    if (*end || errno)
        return std::nullopt;
    return n;
}

std::string userName(uid_t uid)
{
    passwd pw{};
    passwd* found = nullptr;
    char buf[4096];
    if (::getpwuid_r(uid, &pw, buf, sizeof buf, &found) == 0 && found)
        return found->pw_name;
    return "uid " + std::to_string(uid);
}

std::vector<std::string> splitPath(const std::string& path)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= path.size()) {
        const std::size_t j = path.find('/', i);
        const std::size_t end = j == std::string::npos ? path.size() : j;
        if (end > i)
            out.push_back(path.substr(i, end - i));
        if (j == std::string::npos)
            break;
        i = j + 1;
    }
    return out;
}

std::string joinPath(const std::vector<std::string>& parts)
{
    std::string out;
    for (const auto& p : parts)
        out += "/" + p;
    return out.empty() ? "/" : out;
}

bool sameNode(const struct stat& a, const struct stat& b)
{
    if (S_ISBLK(a.st_mode) || S_ISBLK(b.st_mode))
        return S_ISBLK(a.st_mode) && S_ISBLK(b.st_mode) && a.st_rdev == b.st_rdev;
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// Runs open(path, flags, mode) in a child that has taken @p who's
// credentials and hands the descriptor back over a socket. Everything the
// child touches is prepared before fork: the parent has other threads, so
// the child may call only async-signal-safe functions and raw system calls.
Result<UniqueFd> openInChild(const Invoker& who, const std::string& path, int flags, mode_t mode)
{
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return systemError(errno, "socketpair");
    const std::vector<gid_t> groups = who.groups.empty() ? std::vector<gid_t>{who.gid} : who.groups;
    const char* cpath = path.c_str();
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int err = errno;
        ::close(sv[0]);
        ::close(sv[1]);
        return systemError(err, "fork");
    }
    if (pid == 0) {
        int result = 0;
        int fd = -1;
        if (::syscall(SYS_setgroups, groups.size(), groups.data()) != 0 ||
            ::syscall(SYS_setresgid, who.gid, who.gid, who.gid) != 0 ||
            ::syscall(SYS_setresuid, who.uid, who.uid, who.uid) != 0)
            result = errno ? errno : EPERM;
        if (!result) {
            fd = ::open(cpath, flags | O_CLOEXEC, mode);
            if (fd < 0)
                result = errno;
        }
        iovec iov{&result, sizeof result};
        msghdr msg{};
        msg.msg_iov = &iov;
        msg.msg_iovlen = 1;
        alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
        if (fd >= 0) {
            msg.msg_control = control;
            msg.msg_controllen = sizeof control;
            cmsghdr* c = CMSG_FIRSTHDR(&msg);
            c->cmsg_level = SOL_SOCKET;
            c->cmsg_type = SCM_RIGHTS;
            c->cmsg_len = CMSG_LEN(sizeof(int));
            std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
        }
        const ssize_t sent = ::sendmsg(sv[1], &msg, MSG_NOSIGNAL);
        ::_exit(sent == static_cast<ssize_t>(sizeof result) ? 0 : 1);
    }
    ::close(sv[1]);
    int result = EIO;
    int fd = -1;
    iovec iov{&result, sizeof result};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t got;
    do
        got = ::recvmsg(sv[0], &msg, MSG_CMSG_CLOEXEC);
    while (got < 0 && errno == EINTR);
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); got > 0 && c; c = CMSG_NXTHDR(&msg, c))
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
            std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
    ::close(sv[0]);
    while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
    UniqueFd out(fd);
    if (got != static_cast<ssize_t>(sizeof result))
        return Error{EIO, "the process that opens files as " + who.name + " did not answer"};
    if (result)
        return Error{result, errnoText(result)};
    if (!out.valid())
        return Error{EIO,
                     "no descriptor came back from the process that opens files as " + who.name};
    return out;
}

std::string accessText(int flags)
{
    return (flags & O_ACCMODE) == O_RDONLY ? "read" : "write";
}

} // namespace

void UniqueFd::reset(int fd)
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = fd;
}

Invoker processInvoker()
{
    Invoker w;
    w.uid = ::getuid();
    w.gid = ::getgid();
    w.name = userName(w.uid);
    return w;
}

Invoker currentInvoker()
{
    if (::geteuid() != 0)
        return processInvoker();
    Invoker w;
    std::optional<unsigned long> gid;
    if (auto u = envNumber("PKEXEC_UID")) {
        w.uid = static_cast<uid_t>(*u);
        w.via = "pkexec";
    } else if (auto su = envNumber("SUDO_UID")) {
        w.uid = static_cast<uid_t>(*su);
        w.via = "sudo";
        gid = envNumber("SUDO_GID");
    } else {
        return processInvoker();
    }
    if (w.uid == 0)
        return processInvoker();
    w.elevated = true;
    passwd pw{};
    passwd* found = nullptr;
    char buf[4096];
    if (::getpwuid_r(w.uid, &pw, buf, sizeof buf, &found) == 0 && found) {
        w.name = found->pw_name;
        w.gid = gid ? static_cast<gid_t>(*gid) : found->pw_gid;
        int n = 64;
        std::vector<gid_t> groups(static_cast<std::size_t>(n));
        if (::getgrouplist(found->pw_name, w.gid, groups.data(), &n) < 0) {
            groups.resize(static_cast<std::size_t>(n));
            if (::getgrouplist(found->pw_name, w.gid, groups.data(), &n) < 0)
                n = 0;
        }
        groups.resize(static_cast<std::size_t>(n));
        w.groups = groups;
    } else {
        // A uid without an account: no groups but its own, and "nogroup"
        // rather than root's when nothing names one.
        w.name = "uid " + std::to_string(w.uid);
        w.gid = gid ? static_cast<gid_t>(*gid) : static_cast<gid_t>(65534);
    }
    if (w.groups.empty())
        w.groups.push_back(w.gid);
    return w;
}

std::string procFdPath(int fd)
{
    return "/proc/self/fd/" + std::to_string(fd);
}

std::string ResolvedPath::nodePath() const
{
    return procFdPath(node.get());
}

bool ResolvedPath::stillNamed() const
{
    struct stat now
    {
    };
    return exists() && ::stat(real.c_str(), &now) == 0 && sameNode(now, st);
}

namespace {

std::optional<std::uint64_t> sizeOf(const struct stat& st)
{
    if (S_ISREG(st.st_mode))
        return static_cast<std::uint64_t>(st.st_size);
    if (!S_ISBLK(st.st_mode))
        return std::nullopt;
    std::ifstream in("/sys/dev/block/" + std::to_string(major(st.st_rdev)) + ":" +
                     std::to_string(minor(st.st_rdev)) + "/size");
    std::uint64_t sectors = 0;
    if (!(in >> sectors))
        return std::nullopt;
    return sectors * 512;
}

} // namespace

Result<DiskIdentity> PathFacts::identity() const
{
    if (!exists)
        return systemError(ENOENT, path);
    return identityOf(st, path);
}

Result<PathFacts> pathFacts(const std::string& path)
{
    PathFacts f;
    f.path = path;
    if (::stat(path.c_str(), &f.st) != 0) {
        if (errno != ENOENT)
            return systemError(errno, path);
        return f;
    }
    f.exists = true;
    f.size = sizeOf(f.st);
    return f;
}

PathFacts factsOf(const ResolvedPath& r)
{
    PathFacts f;
    f.path = r.real;
    f.exists = r.exists();
    if (f.exists) {
        f.st = r.st;
        f.size = sizeOf(f.st);
    }
    return f;
}

Result<ResolvedPath> resolvePath(const std::string& path, const Invoker& who)
{
    if (path.empty())
        return Error{ENOENT, "an empty path names nothing"};
    ResolvedPath out;
    out.given = path;
    std::vector<std::string> real;
    if (path.front() != '/') {
        char cwd[PATH_MAX];
        if (!::getcwd(cwd, sizeof cwd))
            return systemError(errno, "the current directory");
        real = splitPath(cwd);
    }
    UniqueFd cur(::open(path.front() == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!cur.valid())
        return systemError(errno, path);
    const auto parts = splitPath(path);
    std::deque<std::string> todo(parts.begin(), parts.end());
    // Whether only "." (or nothing) is left: the component at hand is the last.
    auto lastHere = [&todo] {
        for (const auto& p : todo)
            if (p != ".")
                return false;
        return true;
    };
    int links = 0;
    bool finalLink = false; // the last component came from a link's text
    while (!todo.empty()) {
        const std::string comp = todo.front();
        todo.pop_front();
        if (comp == ".")
            continue;
        if (comp == "..") {
            UniqueFd up(::openat(cur.get(), "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
            if (!up.valid())
                return systemError(errno, path);
            cur = std::move(up);
            if (!real.empty())
                real.pop_back();
            continue;
        }
        const bool last = lastHere();
        UniqueFd fd(::openat(cur.get(), comp.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
        if (!fd.valid()) {
            const int err = errno;
            if (err == ENOENT && finalLink)
                return refusal(ENOENT, Rule::NotAnImageOrDisk,
                               "refusing " + path +
                                   ": it is a symbolic link to something that does not exist");
            if (err == ENOENT && last) {
                real.push_back(comp);
                out.real = joinPath(real);
                out.dir = std::move(cur);
                out.name = comp;
                return out;
            }
            return systemError(err, path);
        }
        struct stat st
        {
        };
        if (::fstat(fd.get(), &st) != 0)
            return systemError(errno, path);
        if (S_ISLNK(st.st_mode)) {
            real.push_back(comp);
            const std::string linkPath = joinPath(real);
            real.pop_back();
            if (st.st_uid != 0 && st.st_uid != who.uid)
                return refusal(EPERM, Rule::UntrustedSymlink,
                               "refusing " + path + ": it leads through the symbolic link " +
                                   linkPath + ", which belongs to " + userName(st.st_uid) +
                                   ", neither root nor " + who.name +
                                   "; such a link can point at any disk by the time it is used. "
                                   "Name the file or disk itself");
            if (++links > 40)
                return Error{ELOOP, path + ": too many levels of symbolic links"};
            char buf[PATH_MAX];
            const ssize_t n = ::readlinkat(fd.get(), "", buf, sizeof buf);
            if (n < 0)
                return systemError(errno, linkPath);
            if (static_cast<std::size_t>(n) >= sizeof buf)
                return Error{ENAMETOOLONG, linkPath + ": link text too long"};
            const std::string text(buf, static_cast<std::size_t>(n));
            if (text.empty())
                return Error{ENOENT, linkPath + ": an empty symbolic link"};
            const auto more = splitPath(text);
            todo.insert(todo.begin(), more.begin(), more.end());
            finalLink = last;
            if (text.front() == '/') {
                UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
                if (!root.valid())
                    return systemError(errno, "/");
                cur = std::move(root);
                real.clear();
            }
            continue;
        }
        if (!last) {
            if (!S_ISDIR(st.st_mode))
                return Error{ENOTDIR, path + ": " + errnoText(ENOTDIR)};
            cur = std::move(fd);
            real.push_back(comp);
            continue;
        }
        real.push_back(comp);
        out.real = joinPath(real);
        out.dir = std::move(cur);
        out.name = comp;
        out.node = std::move(fd);
        out.st = st;
        return out;
    }
    // "/", "." or "a/..": a directory, which the rules refuse by its kind.
    out.real = joinPath(real);
    out.name = real.empty() ? "/" : real.back();
    if (::fstat(cur.get(), &out.st) != 0)
        return systemError(errno, path);
    out.dir = UniqueFd(::openat(cur.get(), "..", O_PATH | O_DIRECTORY | O_CLOEXEC));
    out.node = std::move(cur);
    return out;
}

Result<UniqueFd> openAsInvoker(const ResolvedPath& r, const Invoker& who, int flags)
{
    if (!r.exists())
        return Error{ENOENT, r.given + ": " + errnoText(ENOENT)};
    if (!who.elevated) {
        UniqueFd fd(::open(r.nodePath().c_str(), flags | O_CLOEXEC));
        if (!fd.valid())
            return systemError(errno, "open " + r.given);
        return fd;
    }
    auto fd = openInChild(who, r.real, flags | O_NOFOLLOW, 0);
    if (!fd) {
        const int err = fd.error().code;
        if (err == EACCES || err == EPERM || err == EROFS)
            return refusal(err, Rule::UserAccess,
                           "refusing " + r.given + ": " + who.name + ", for whom this runs (" +
                               who.via + "), may not " + accessText(flags) + " it (" +
                               errnoText(err) + "); run " + who.via +
                               " only for files that user could " + accessText(flags) + " himself");
        if (err == ELOOP || err == ENOENT)
            return refusal(ESTALE, Rule::TargetIdentity,
                           "refusing " + r.given + ": " + r.real +
                               " changed while it was being opened");
        return Error{err, "open " + r.given + " as " + who.name + ": " + fd.error().message};
    }
    struct stat st
    {
    };
    if (::fstat(fd->get(), &st) != 0)
        return systemError(errno, "stat " + r.given);
    if (!sameNode(st, r.st))
        return refusal(
            ESTALE, Rule::TargetIdentity,
            "refusing " + r.given + ": " + r.real +
                " names another file than the one checked; it changed while it was being opened");
    return std::move(*fd);
}

Result<UniqueFd> createAsInvoker(const ResolvedPath& r, const Invoker& who, mode_t mode)
{
    const int flags = O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    if (!who.elevated) {
        UniqueFd fd(::openat(r.dir.get(), r.name.c_str(), flags, mode));
        if (!fd.valid())
            return systemError(errno, "create " + r.given);
        return fd;
    }
    auto fd = openInChild(who, r.real, flags, mode);
    if (!fd) {
        const int err = fd.error().code;
        if (err == EACCES || err == EPERM || err == EROFS)
            return refusal(err, Rule::UserAccess,
                           "refusing to create " + r.given + ": " + who.name +
                               ", for whom this runs (" + who.via +
                               "), may not create files in its directory (" + errnoText(err) +
                               "); choose a place that user may write");
        return Error{err, "create " + r.given + " as " + who.name + ": " + fd.error().message};
    }
    // Created where the directory was pinned, not through a directory
    // renamed since.
    struct stat made
    {
    }, there{};
    if (::fstat(fd->get(), &made) != 0 ||
        ::fstatat(r.dir.get(), r.name.c_str(), &there, AT_SYMLINK_NOFOLLOW) != 0 ||
        !sameNode(made, there))
        return refusal(
            ESTALE, Rule::TargetIdentity,
            "refusing " + r.given + ": the file created at " + r.real +
                " is not in the directory that was checked; it changed while the file was created");
    return std::move(*fd);
}

} // namespace engine
