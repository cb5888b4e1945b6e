#include "io/open_files.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

namespace engine {

namespace {

bool allDigits(const char* s)
{
    if (!*s)
        return false;
    for (; *s; ++s)
        if (!std::isdigit(static_cast<unsigned char>(*s)))
            return false;
    return true;
}

// The open flags and the locks of one descriptor. A process that exits in
// between simply leaves the defaults.
void readFdinfo(pid_t pid, int fd, Opener& o)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/fdinfo/" + std::to_string(fd));
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("flags:", 0) == 0) {
            const unsigned long flags = std::strtoul(line.c_str() + 6, nullptr, 8);
            o.writable = (flags & O_ACCMODE) != O_RDONLY;
        } else if (line.rfind("lock:", 0) == 0) {
            o.locks = true;
        }
    }
}

std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

} // namespace

std::string describeProcess(pid_t pid)
{
    std::string cmd = readAll("/proc/" + std::to_string(pid) + "/cmdline");
    std::replace(cmd.begin(), cmd.end(), '\0', ' ');
    while (!cmd.empty() && cmd.back() == ' ')
        cmd.pop_back();
    if (cmd.empty()) {
        cmd = readAll("/proc/" + std::to_string(pid) + "/comm");
        while (!cmd.empty() && (cmd.back() == '\n' || cmd.back() == ' '))
            cmd.pop_back();
        cmd = "[" + cmd + "]";
    }
    constexpr std::size_t kMax = 120;
    if (cmd.size() > kMax)
        cmd = cmd.substr(0, kMax - 3) + "...";
    return "pid " + std::to_string(pid) + " (" + cmd + ")";
}

std::vector<Opener> findOpeners(const std::vector<dev_t>& devices,
                                const std::vector<FileKey>& files)
{
    std::vector<Opener> out;
    if (devices.empty() && files.empty())
        return out;
    DIR* proc = ::opendir("/proc");
    if (!proc)
        return out;
    const int procFd = ::dirfd(proc);
    while (const dirent* p = ::readdir(proc)) {
        if (!allDigits(p->d_name))
            continue;
        const pid_t pid = static_cast<pid_t>(std::atoi(p->d_name));
        const int dirFd = ::openat(procFd, (std::string(p->d_name) + "/fd").c_str(),
                                   O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirFd < 0)
            continue; // gone, or another user's process without root
        DIR* fds = ::fdopendir(dirFd);
        if (!fds) {
            ::close(dirFd);
            continue;
        }
        while (const dirent* f = ::readdir(fds)) {
            if (!allDigits(f->d_name))
                continue;
            // Cached attributes only: a descriptor on a FUSE or NFS file
            // whose server hangs must not hang the check.
            struct statx sx
            {
            };
            if (::statx(dirFd, f->d_name, AT_STATX_DONT_SYNC, STATX_TYPE | STATX_INO, &sx) != 0)
                continue;
            Opener o;
            const mode_t type = sx.stx_mode & S_IFMT;
            if (type == S_IFBLK) {
                o.rdev = makedev(sx.stx_rdev_major, sx.stx_rdev_minor);
                if (std::find(devices.begin(), devices.end(), o.rdev) == devices.end())
                    continue;
                o.blockDevice = true;
            } else if (type == S_IFREG) {
                o.file = {makedev(sx.stx_dev_major, sx.stx_dev_minor),
                          static_cast<ino_t>(sx.stx_ino)};
                if (std::find(files.begin(), files.end(), o.file) == files.end())
                    continue;
            } else {
                continue;
            }
            o.pid = pid;
            o.fd = std::atoi(f->d_name);
            readFdinfo(pid, o.fd, o);
            out.push_back(std::move(o));
        }
        ::closedir(fds);
    }
    ::closedir(proc);
    std::map<pid_t, std::string> names;
    for (auto& o : out) {
        auto it = names.find(o.pid);
        if (it == names.end())
            it = names.emplace(o.pid, describeProcess(o.pid)).first;
        o.what = it->second;
    }
    return out;
}

std::vector<LockEntry> locksOn(const FileKey& file)
{
    std::vector<LockEntry> out;
    std::ifstream in("/proc/locks");
    std::string line;
    while (std::getline(in, line)) {
        // "1: FLOCK  ADVISORY  WRITE 24035 fe:00:405093 0 EOF"; a blocked
        // waiter has "->" after the number and holds nothing.
        std::istringstream fields(line);
        std::string id, kind, mode, type, pidText, where, start, end;
        fields >> id >> kind;
        if (kind == "->")
            continue;
        fields >> mode >> type >> pidText >> where >> start >> end;
        unsigned ma = 0, mi = 0;
        unsigned long ino = 0;
        if (std::sscanf(where.c_str(), "%x:%x:%lu", &ma, &mi, &ino) != 3)
            continue;
        if (ma != major(file.dev) || mi != minor(file.dev) || ino != file.ino)
            continue;
        LockEntry e;
        e.kind = kind;
        e.write = type == "WRITE";
        e.pid = static_cast<pid_t>(std::atoi(pidText.c_str()));
        e.start = std::strtoull(start.c_str(), nullptr, 10);
        e.end = end == "EOF" ? std::numeric_limits<std::uint64_t>::max()
                             : std::strtoull(end.c_str(), nullptr, 10);
        out.push_back(std::move(e));
    }
    return out;
}

std::string describeOpeners(const std::vector<Opener>& openers, std::size_t max)
{
    std::vector<pid_t> seen;
    std::string out;
    std::size_t more = 0;
    for (const auto& o : openers) {
        if (std::find(seen.begin(), seen.end(), o.pid) != seen.end())
            continue;
        seen.push_back(o.pid);
        if (seen.size() > max) {
            ++more;
            continue;
        }
        out += (out.empty() ? "" : ", ") + o.what;
    }
    if (more)
        out += " and " + std::to_string(more) + " more";
    return out;
}

} // namespace engine
