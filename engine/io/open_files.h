// Who has a file or block device open, from /proc: every process's
// descriptors (/proc/PID/fd), their open flags and the locks they hold
// through them (/proc/PID/fdinfo), and the kernel's lock table (/proc/locks),
// which also shows locks of processes this one cannot see.
//
// The rules use it to refuse a target another program writes (a VM, a
// running dd, a second DriveMirror job) and to name that program, and to
// refuse a source image another program changes while it would be copied.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace engine {

struct FileKey
{
    dev_t dev = 0;
    ino_t ino = 0;
    bool operator==(const FileKey&) const = default;
};

/// One descriptor of one process on a watched file or device.
struct Opener
{
    pid_t pid = 0;
    int fd = -1;
    bool writable = false; ///< opened for writing (O_WRONLY or O_RDWR)
    bool locks = false;    ///< holds a lock (flock, POSIX or OFD) through it
    bool blockDevice = false;
    dev_t rdev = 0;   ///< block devices
    FileKey file;     ///< files
    std::string what; ///< "pid 1234 (dd if=/dev/zero of=/dev/loop3)"
};

/// Every descriptor, in every process visible here (this one included), on
/// one of the block devices @p devices or the files @p files. Reads nothing
/// through a file system: a hung FUSE or NFS server cannot stall it.
std::vector<Opener> findOpeners(const std::vector<dev_t>& devices,
                                const std::vector<FileKey>& files);

struct LockEntry
{
    std::string kind; ///< FLOCK, POSIX, OFDLCK, LEASE, ...
    bool write = false;
    pid_t pid = -1; ///< -1 for OFD locks (they belong to a descriptor, not a process)
    std::uint64_t start = 0;
    std::uint64_t end = 0; ///< inclusive; UINT64_MAX for "to the end of the file"
};
/// The locks held on @p file, from /proc/locks (blocked waiters left out).
std::vector<LockEntry> locksOn(const FileKey& file);

/// "pid 1234 (dd if=/dev/zero of=/dev/loop3)": the command line, or the
/// kernel's name for a process without one.
std::string describeProcess(pid_t pid);

/// "pid 1 (a), pid 2 (b)" from the openers, each process once, at most @p max.
std::string describeOpeners(const std::vector<Opener>& openers, std::size_t max = 3);

} // namespace engine
