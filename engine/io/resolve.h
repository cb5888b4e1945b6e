// Resolve once, open once: how a job turns a path into the node it reads or
// writes.
//
// A path is looked up one component at a time (O_PATH | O_NOFOLLOW), and the
// result is a descriptor pinned to the node found. A symbolic link on the way
// is followed only when root or the invoking user owns it: one that anyone
// else planted (in /tmp, a shared folder) could point at a disk the moment
// it is used. Every later rule and every data descriptor starts from the
// pinned node, never from a second lookup of the path, so a link flipped or
// a file renamed in between changes nothing.
//
// Run through pkexec or sudo, the process is root but acts for a user: image
// files are then opened and created with that user's credentials, in a child
// process that takes them, so the helper reads and writes only what the user
// could read and write himself, and a file it creates is his from the start.
#pragma once

#include "base/result.h"
#include "io/disk.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace engine {

/// Who a job acts for.
struct Invoker
{
    uid_t uid = 0;
    gid_t gid = 0;
    std::vector<gid_t> groups; ///< supplementary groups (elevated only)
    /// Root acting for another user: started through pkexec or sudo.
    bool elevated = false;
    std::string via;  ///< "pkexec" or "sudo" when elevated
    std::string name; ///< the user's name, or the uid as text
};

/// This process's own user: root is root, a user is himself.
Invoker processInvoker();
/// With euid 0 and PKEXEC_UID (else SUDO_UID) naming a user other than
/// root, that user, elevated; processInvoker() otherwise.
Invoker currentInvoker();

/// A file descriptor owned by exactly one object.
class UniqueFd
{
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : m_fd(fd) {}
    UniqueFd(UniqueFd&& o) noexcept : m_fd(std::exchange(o.m_fd, -1)) {}
    UniqueFd& operator=(UniqueFd&& o) noexcept
    {
        if (this != &o)
            reset(std::exchange(o.m_fd, -1));
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return m_fd; }
    bool valid() const { return m_fd >= 0; }
    int release() { return std::exchange(m_fd, -1); }
    void reset(int fd = -1);

private:
    int m_fd = -1;
};

/// /proc/self/fd/N: opening it opens exactly what descriptor @p fd refers to.
std::string procFdPath(int fd);

/// A path looked up once.
struct ResolvedPath
{
    std::string given; ///< as it was named, for messages
    /// Absolute and without symbolic links: where the node was found. What
    /// the rules that work by name (mounts, system directories) look at.
    std::string real;
    UniqueFd dir;     ///< O_PATH: the directory that holds it
    std::string name; ///< its name in that directory
    UniqueFd node;    ///< O_PATH: the node itself; not valid when nothing is there
    struct stat st
    {
    }; ///< the node's, when it exists

    bool exists() const { return node.valid(); }
    /// /proc/self/fd/N of the node: opening it opens exactly this node.
    std::string nodePath() const;
    /// True when real still names the pinned node (same inode or device),
    /// so what was looked up by that name was about this node.
    bool stillNamed() const;
};

/// What a path names, identified once: the value a job's rules read, so that
/// no rule looks the path up again by itself.
struct PathFacts
{
    std::string path; ///< as the rules name it in their checks and messages
    bool exists = false;
    struct stat st
    {
    }; ///< the node's, when it exists
    /// Bytes: a file's length, a block device's capacity (from sysfs);
    /// nullopt when nothing exists or the capacity cannot be read.
    std::optional<std::uint64_t> size;

    bool blockDevice() const { return exists && S_ISBLK(st.st_mode); }
    bool regularFile() const { return exists && S_ISREG(st.st_mode); }
    /// What identifies the storage; an error for nothing there or for
    /// anything but a file or a block device (as identify()).
    Result<DiskIdentity> identity() const;
};

/// Looks @p path up once, following links; nothing there is no error
/// (exists is false), any other failure of stat is.
Result<PathFacts> pathFacts(const std::string& path);
/// The facts of a node resolvePath() pinned, named by its real path: no new
/// lookup by name.
PathFacts factsOf(const ResolvedPath& resolved);

/// Looks @p path up once for @p who (see the file comment). Refuses a
/// symbolic link owned by neither root nor @p who (rule: untrusted symlink)
/// and a last component that is a link to nothing (rule: not an image or
/// disk). A missing last component is no error: exists() is false and dir
/// is where it would be created.
Result<ResolvedPath> resolvePath(const std::string& path, const Invoker& who);

/// Opens the node @p r pinned with @p flags (O_RDONLY or O_RDWR) as @p who
/// would: when elevated, in a child process with the user's uid, gid and
/// groups, by r.real, and refused when that user could not (rule: user
/// access) or when the name reaches another node by now; otherwise this
/// process reopens the pinned node.
Result<UniqueFd> openAsInvoker(const ResolvedPath& r, const Invoker& who, int flags);

/// Creates r.name in r.dir read-write (O_EXCL, never through a link) with
/// @p mode, as @p who: when elevated, by a child process with the user's
/// credentials, so the file is his from the start and only a directory he
/// may write takes it (rule: user access).
Result<UniqueFd> createAsInvoker(const ResolvedPath& r, const Invoker& who, mode_t mode);

} // namespace engine
