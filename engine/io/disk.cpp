#include "io/disk.h"

#include "base/units.h"
#include "io/open_files.h"
#include "io/ring.h"
#include "nbd/nbd_server.h"

#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

namespace engine {

namespace {

// The logical block size of the device that holds a file system, read from
// sysfs; partitions keep their queue/ one directory up. 512 when unknown
// (virtual file systems such as tmpfs or overlay have no queue at all).
std::uint32_t hostLogicalBlockSize(dev_t dev)
{
    const std::string base =
        "/sys/dev/block/" + std::to_string(major(dev)) + ":" + std::to_string(minor(dev));
    for (const char* rel : {"/queue/logical_block_size", "/../queue/logical_block_size"}) {
        std::ifstream in(base + rel);
        std::uint32_t value = 0;
        if (in >> value && value >= 512)
            return value;
    }
    return 512;
}

int openFlags(Disk::Access access)
{
    return (access == Disk::Access::ReadWrite ? O_RDWR : O_RDONLY) | O_CLOEXEC;
}

} // namespace

Result<DiskIdentity> identify(const std::string& path)
{
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) != 0)
        return systemError(errno, path);
    return identityOf(st, path);
}

Result<DiskIdentity> identityOf(const struct stat& st, const std::string& path)
{
    DiskIdentity id;
    id.blockDevice = S_ISBLK(st.st_mode);
    if (id.blockDevice) {
        id.rdev = st.st_rdev;
    } else if (S_ISREG(st.st_mode)) {
        id.dev = st.st_dev;
        id.ino = st.st_ino;
    } else {
        return Error{EINVAL, path + ": not a regular file or block device"};
    }
    return id;
}

Result<Disk> Disk::open(const std::string& path, OpenOptions options, Logger log)
{
    return open(path, path, options, std::move(log));
}

Result<Disk> Disk::openNbd(const std::string& uri, Access access, Logger log)
{
    Disk disk;
    disk.m_log = orNull(std::move(log));
    disk.m_writable = access == Access::ReadWrite;
    auto c = NbdConnection::connect(uri, disk.m_writable, disk.m_log);
    if (!c)
        return c.error();
    disk.m_nbd = std::move(*c);
    disk.m_path = uri;
    disk.m_identity.uri = uri;
    disk.m_size = disk.m_nbd->size();
    // Requests need no alignment beyond the server's minimum, and nothing
    // is cached on this side: "direct" as far as the job is concerned.
    disk.m_direct = true;
    disk.m_logicalBlock = disk.m_nbd->minimumBlock();
    disk.m_physicalBlock = std::max(disk.m_logicalBlock, disk.m_nbd->preferredBlock());
    return disk;
}

namespace {

// Whether process @p pid holds the node @p id open: what qemu-nbd opened by
// name is then the node the rules checked, not one put there meanwhile.
bool holdsOpen(pid_t pid, const DiskIdentity& id)
{
    const std::string dir = "/proc/" + std::to_string(pid) + "/fd";
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        struct stat st
        {
        };
        if (::stat(entry.path().c_str(), &st) == 0 && S_ISREG(st.st_mode) && st.st_dev == id.dev &&
            st.st_ino == id.ino)
            return true;
    }
    return false;
}

} // namespace

Result<Disk> Disk::openImage(const std::string& realPath, const std::string& name,
                             const ImageOptions& options, Logger log)
{
    Disk disk;
    disk.m_log = orNull(std::move(log));
    disk.m_path = name;
    disk.m_writable = options.access == Access::ReadWrite;
    disk.m_format = options.format;
    const std::string fmt(toString(options.format));
    {
        const int fd = ::open(realPath.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
            return systemError(errno, name);
        struct stat st
        {
        };
        const bool statted = ::fstat(fd, &st) == 0;
        auto magic = checkImageMagic(fd, name, options.format);
        ::close(fd);
        if (!statted || !S_ISREG(st.st_mode))
            return Error{EINVAL, name + ": a " + fmt + " image must be a regular file"};
        disk.m_identity.dev = st.st_dev;
        disk.m_identity.ino = st.st_ino;
        if (options.expected &&
            (options.expected->dev != st.st_dev || options.expected->ino != st.st_ino))
            return Error{ESTALE, name + " changed while it was checked"};
        if (!magic)
            return magic.error();
    }
    NbdServeOptions serve;
    serve.path = realPath;
    serve.readOnly = !disk.m_writable;
    serve.format = fmt;
    serve.allocationDepth = options.topLayer;
    serve.compress = options.compress;
    serve.privateSocket = true;
    auto server = NbdServer::start(serve, disk.m_log);
    if (!server)
        return server.error(); // names the image by its real path
    // qemu-nbd listens before it opens the image: only its handshake says
    // that the image is open.
    auto c = NbdConnection::connect((*server)->uri(), disk.m_writable, disk.m_log,
                                    NbdConnection::kConnectTimeout, options.topLayer);
    if (!c) {
        for (int i = 0; i < 50 && !(*server)->exited(); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        const std::string said = (*server)->exited() ? (*server)->logTail() : std::string();
        return Error{c.error().code, name + ": " + (said.empty() ? c.error().message : said)};
    }
    if (!holdsOpen((*server)->pid(), disk.m_identity))
        return Error{ESTALE, name + " changed while it was opened"};
    disk.m_server = std::move(*server);
    disk.m_nbd = std::move(*c);
    disk.m_size = disk.m_nbd->size();
    disk.m_direct = true;
    disk.m_logicalBlock = disk.m_nbd->minimumBlock();
    disk.m_physicalBlock = std::max(disk.m_logicalBlock, disk.m_nbd->preferredBlock());
    disk.m_log->info("{}: {} image, {} virtual disk, through qemu-nbd (pid {})", name, fmt,
                     formatBytes(disk.m_size), disk.m_server->pid());
    return disk;
}

Result<Disk> Disk::open(const std::string& path, const std::string& displayName,
                        OpenOptions options, Logger log)
{
    if (isNbdUri(path))
        return openNbd(path, options.access, std::move(log));
    Disk disk;
    disk.m_path = displayName;
    const std::string& name = disk.m_path;
    disk.m_log = orNull(std::move(log));
    disk.m_writable = options.access == Access::ReadWrite;

    auto id = identify(path);
    if (!id)
        return path == name ? id.error()
                            : Error{id.error().code, name + ": " + errnoText(id.error().code)};
    disk.m_identity = *id;

    int flags = openFlags(options.access);
    if (options.exclusive && id->blockDevice)
        flags |= O_EXCL;
    if (options.direct) {
        disk.m_fd = ::open(path.c_str(), flags | O_DIRECT);
        if (disk.m_fd >= 0) {
            disk.m_direct = true;
        } else if (errno == EINVAL) {
            disk.m_log->warn("{}: the file system refuses O_DIRECT; using buffered I/O, which "
                             "goes through the page cache",
                             name);
        } else {
            return systemError(errno, "open " + name);
        }
    }
    if (disk.m_fd < 0) {
        disk.m_fd = ::open(path.c_str(), flags);
        if (disk.m_fd < 0)
            return systemError(errno, "open " + name);
    }

    // Identity again through the descriptor: the path may have been replaced
    // between stat() and open(), and the checks made on the path must hold
    // for what we actually opened.
    struct stat st
    {
    };
    if (::fstat(disk.m_fd, &st) != 0)
        return systemError(errno, "stat " + name);
    if (id->blockDevice ? (st.st_rdev != id->rdev) : (st.st_dev != id->dev || st.st_ino != id->ino))
        return Error{ESTALE, name + ": changed while it was being opened"};

    if (id->blockDevice) {
        std::uint64_t bytes = 0;
        if (::ioctl(disk.m_fd, BLKGETSIZE64, &bytes) != 0)
            return systemError(errno, "BLKGETSIZE64 " + name);
        disk.m_size = bytes;
        int lbs = 512;
        unsigned int pbs = 4096;
        if (::ioctl(disk.m_fd, BLKSSZGET, &lbs) == 0 && lbs >= 512)
            disk.m_logicalBlock = static_cast<std::uint32_t>(lbs);
        if (::ioctl(disk.m_fd, BLKPBSZGET, &pbs) == 0 && pbs >= disk.m_logicalBlock)
            disk.m_physicalBlock = pbs;
        else
            disk.m_physicalBlock = disk.m_logicalBlock;
        int ro = 0;
        if (disk.m_writable && ::ioctl(disk.m_fd, BLKROGET, &ro) == 0 && ro)
            return Error{EROFS, name + ": the block device is read-only"};
    } else {
        disk.m_size = static_cast<std::uint64_t>(st.st_size);
        disk.m_logicalBlock = hostLogicalBlockSize(st.st_dev);
        disk.m_physicalBlock =
            std::max<std::uint32_t>(disk.m_logicalBlock, static_cast<std::uint32_t>(st.st_blksize));
    }

    if (disk.m_direct) {
        disk.m_bufferedFd = ::open(path.c_str(), openFlags(options.access));
        if (disk.m_bufferedFd < 0)
            return systemError(errno, "open " + name);
        // A second lookup of the path: both descriptors must reach the
        // storage whose identity the first one was checked for.
        struct stat bst
        {
        };
        if (::fstat(disk.m_bufferedFd, &bst) != 0)
            return systemError(errno, "stat " + name);
        if (id->blockDevice ? (bst.st_rdev != st.st_rdev)
                            : (bst.st_dev != st.st_dev || bst.st_ino != st.st_ino))
            return Error{ESTALE, name + ": changed while it was being opened"};
    }
    disk.m_log->debug("opened {}: {} bytes, logical block {}, physical block {}, {}{}", name,
                      disk.m_size, disk.m_logicalBlock, disk.m_physicalBlock,
                      disk.m_direct ? "O_DIRECT" : "buffered",
                      disk.m_writable ? ", read-write" : ", read-only");
    return disk;
}

Result<void> removeFileIfStill(int dirFd, const std::string& name, const DiskIdentity& created)
{
    struct stat st
    {
    };
    if (::fstatat(dirFd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return systemError(errno, name);
    if (!S_ISREG(st.st_mode))
        return Error{EINVAL, name + ": not a regular file any more"};
    if (created.ino != 0 && (st.st_dev != created.dev || st.st_ino != created.ino))
        return Error{EEXIST, name + ": another file is there now, not the one the mirror created"};
    if (::unlinkat(dirFd, name.c_str(), 0) != 0)
        return systemError(errno, name);
    return {};
}

Result<DiskIdentity> Disk::createSparseFile(const std::string& path, std::uint64_t size)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return systemError(errno, "create " + path);
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || ::ftruncate(fd, static_cast<off_t>(size)) != 0) {
        const int err = errno;
        ::close(fd);
        ::unlink(path.c_str());
        return systemError(err, "resize " + path);
    }
    ::close(fd);
    DiskIdentity id;
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    return id;
}

Disk::Disk(Disk&& other) noexcept
{
    *this = std::move(other);
}

Disk& Disk::operator=(Disk&& other) noexcept
{
    if (this != &other) {
        close();
        m_path = std::move(other.m_path);
        m_fd = std::exchange(other.m_fd, -1);
        m_bufferedFd = std::exchange(other.m_bufferedFd, -1);
        m_direct = other.m_direct;
        m_writable = other.m_writable;
        m_identity = other.m_identity;
        m_size = other.m_size;
        m_logicalBlock = other.m_logicalBlock;
        m_physicalBlock = other.m_physicalBlock;
        m_nbd = std::move(other.m_nbd);
        m_server = std::move(other.m_server);
        m_format = other.m_format;
        m_log = std::move(other.m_log);
    }
    return *this;
}

Disk::~Disk()
{
    close();
}

void Disk::close()
{
    m_nbd.reset(); // the connection first: qemu-nbd then ends on a clean close
    m_server.reset();
    if (m_bufferedFd >= 0)
        ::close(std::exchange(m_bufferedFd, -1));
    if (m_fd >= 0)
        ::close(std::exchange(m_fd, -1));
}

Result<std::optional<ByteRange>> Disk::nextInTopLayer(std::uint64_t offset) const
{
    if (m_nbd && m_nbd->knowsLayers())
        return m_nbd->nextInTopLayer(offset);
    return nextAllocated(offset);
}

Result<std::optional<ByteRange>> Disk::nextAllocated(std::uint64_t offset) const
{
    if (offset >= m_size)
        return std::optional<ByteRange>{};
    if (m_nbd)
        return m_nbd->nextAllocated(offset);
    if (isBlockDevice())
        return std::optional<ByteRange>{ByteRange{offset, m_size - offset}};
    const off_t data = ::lseek(m_fd, static_cast<off_t>(offset), SEEK_DATA);
    if (data < 0) {
        if (errno == ENXIO) // nothing but holes up to the end
            return std::optional<ByteRange>{};
        if (errno == EINVAL || errno == EOPNOTSUPP)
            return std::optional<ByteRange>{ByteRange{offset, m_size - offset}};
        return systemError(errno, "SEEK_DATA " + m_path);
    }
    off_t hole = ::lseek(m_fd, data, SEEK_HOLE);
    if (hole < 0)
        return systemError(errno, "SEEK_HOLE " + m_path);
    const auto start = static_cast<std::uint64_t>(data);
    const auto end = std::min<std::uint64_t>(static_cast<std::uint64_t>(hole), m_size);
    if (start >= end)
        return std::optional<ByteRange>{};
    return std::optional<ByteRange>{ByteRange{start, end - start}};
}

Result<void> Disk::writeZeroes(std::uint64_t offset, std::uint64_t length, bool unmap)
{
    if (length == 0)
        return {};
    if (m_nbd && m_nbd->canZero())
        return m_nbd->zeroNow(offset, length, unmap);
    const auto off = static_cast<off_t>(offset);
    const auto len = static_cast<off_t>(length);
    // fallocate works on block devices too (the kernel turns it into a discard
    // or write-zeroes that guarantees zeroes), so one path serves both.
    if (unmap && ::fallocate(m_fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, len) == 0)
        return {};
    if (::fallocate(m_fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, off, len) == 0)
        return {};
    if (errno != EOPNOTSUPP && errno != EINVAL && errno != ENODEV)
        return systemError(errno, "zero " + m_path);

    constexpr std::size_t kChunk = 1 << 20;
    void* raw = nullptr;
    if (::posix_memalign(&raw, 4096, kChunk) != 0)
        return Error{ENOMEM, "zero " + m_path + ": out of memory"};
    std::unique_ptr<void, decltype(&std::free)> buf(raw, &std::free);
    std::memset(raw, 0, kChunk);
    std::uint64_t done = 0;
    while (done < length) {
        const std::size_t n =
            static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, length - done));
        if (m_nbd) {
            if (auto r = m_nbd->pwriteNow(raw, n, offset + done); !r)
                return r;
            done += n;
            continue;
        }
        const bool aligned = (n % requiredAlignment()) == 0;
        const ssize_t w =
            ::pwrite(aligned ? m_fd : bufferedFd(), raw, n, static_cast<off_t>(offset + done));
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return systemError(errno, "write zeroes " + m_path);
        }
        done += static_cast<std::uint64_t>(w);
    }
    return {};
}

Result<void> Disk::flush()
{
    if (m_nbd)
        return m_nbd->flushNow();
    if (::fdatasync(m_fd) != 0)
        return systemError(errno, "flush " + m_path);
    return {};
}

Result<void> Disk::readAt(void* buf, std::uint64_t length, std::uint64_t offset) const
{
    if (m_nbd)
        return m_nbd->pread(buf, length, offset);
    const std::uint64_t want = roundUp(length, requiredAlignment());
    auto* p = static_cast<std::uint8_t*>(buf);
    std::uint64_t got = 0;
    while (got < length) {
        const ssize_t n = ::pread(m_fd, p + got, want - got, static_cast<off_t>(offset + got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return systemError(n < 0 ? errno : EIO,
                               "read " + m_path + " at " + std::to_string(offset + got));
        got += static_cast<std::uint64_t>(n);
    }
    return {};
}

bool Disk::stageRead(Ring& ring, void* buf, std::uint32_t length, std::uint64_t offset,
                     std::uint64_t tag, std::uint16_t ioprio) const
{
    if (m_nbd) {
        m_nbd->read(buf, length, offset, tag);
        return true;
    }
    return ring.prepareRead(m_fd, buf, length, offset, tag, ioprio);
}

bool Disk::stageWrite(Ring& ring, const void* buf, std::uint32_t length, std::uint64_t offset,
                      std::uint64_t tag, std::uint16_t ioprio) const
{
    if (m_nbd) {
        m_nbd->write(buf, length, offset, tag);
        return true;
    }
    const int fd = length % requiredAlignment() ? bufferedFd() : m_fd;
    return ring.prepareWrite(fd, buf, length, offset, tag, ioprio);
}

bool Disk::stageFlush(Ring& ring, std::uint64_t tag) const
{
    if (!m_nbd)
        return ring.prepareDataSync(m_fd, tag);
    if (m_nbd->canFlush())
        m_nbd->flush(tag);
    else
        m_nbd->finished(tag, 0); // the server writes through
    return true;
}

bool Disk::armPolls(Ring& ring, std::uint64_t inTag, std::uint64_t outTag) const
{
    return !m_nbd || m_nbd->armPolls(ring, inTag, outTag);
}

bool Disk::onPoll(std::uint64_t tag, int res) const
{
    return m_nbd && m_nbd->onPoll(tag, res);
}

bool Disk::pollsArmed() const
{
    return m_nbd && m_nbd->pollsArmed();
}

void Disk::cancelPolls(Ring& ring, std::uint64_t cancelTag) const
{
    if (m_nbd)
        m_nbd->cancelPolls(ring, cancelTag);
}

bool Disk::hasCompletions() const
{
    return m_nbd && m_nbd->hasCompletions();
}

namespace {

// QEMU's permission bits (BLK_PERM_*) and where it locks them
// (block/file-posix.c: RAW_LOCK_PERM_BASE, RAW_LOCK_SHARED_BASE).
constexpr off_t kLockPermBase = 100;
constexpr off_t kLockSharedBase = 200;
constexpr unsigned kPermConsistentRead = 0x1;
constexpr unsigned kPermWrite = 0x2;
constexpr unsigned kPermWriteUnchanged = 0x4;
constexpr unsigned kPermCount = 4; // ... and resize (0x8)

// True when the OFD lock call itself is not available here (some network
// or FUSE file systems): the image is then used unlocked, as QEMU's
// locking=auto does.
bool lockingUnsupported(int err)
{
    return err == EINVAL || err == ENOLCK || err == EOPNOTSUPP || err == ENOSYS;
}

struct flock lockRequest(short type, off_t start, off_t len)
{
    struct flock fl
    {
    };
    fl.l_type = type;
    fl.l_whence = SEEK_SET;
    fl.l_start = start;
    fl.l_len = len;
    return fl;
}

} // namespace

Result<void> Disk::lockImage(Lock mode)
{
    if (m_nbd)
        return {}; // the server guards its own export
    if (isBlockDevice())
        return {};
    const unsigned perm =
        mode == Lock::Exclusive ? kPermConsistentRead | kPermWrite : kPermConsistentRead;
    const unsigned shared =
        mode == Lock::Exclusive ? 0u : kPermConsistentRead | kPermWriteUnchanged;

    auto lockRange = [&](short type, off_t start, off_t len) {
        struct flock fl = lockRequest(type, start, len);
        return ::fcntl(m_fd, F_OFD_SETLK, &fl) == 0 ? 0 : errno;
    };
    // Another descriptor's lock that would conflict with a @p type lock.
    auto conflict = [&](short type, off_t start, off_t len) {
        struct flock fl = lockRequest(type, start, len);
        if (::fcntl(m_fd, F_OFD_GETLK, &fl) != 0)
            return false;
        return fl.l_type != F_UNLCK;
    };
    auto unlockAll = [&] { (void)lockRange(F_UNLCK, 0, 0); };

    // Takes the locks; true when another program's lock is in the way.
    auto lockClash = [&](bool& supported) {
        bool clash = false;
        for (unsigned i = 0; i < kPermCount && !clash; ++i) {
            const unsigned bit = 1u << i;
            for (const auto& [wanted, base] : {std::pair{(perm & bit) != 0, kLockPermBase},
                                               std::pair{(shared & bit) == 0, kLockSharedBase}}) {
                if (!wanted)
                    continue;
                if (const int err = lockRange(F_RDLCK, base + i, 1); err != 0) {
                    if (lockingUnsupported(err)) {
                        supported = false;
                        return false;
                    }
                    clash = true; // a write lock of some other program on that byte
                    break;
                }
            }
        }
        for (unsigned i = 0; i < kPermCount && !clash; ++i) {
            const unsigned bit = 1u << i;
            // Someone who does not share what we hold, or holds what we do not share.
            if (((perm & bit) && conflict(F_WRLCK, kLockSharedBase + i, 1)) ||
                (!(shared & bit) && conflict(F_WRLCK, kLockPermBase + i, 1)))
                clash = true;
        }
        // Beyond QEMU's bytes: a writer locks anything anywhere; a target
        // tolerates no lock at all.
        if (!clash)
            clash = conflict(mode == Lock::Exclusive ? F_WRLCK : F_RDLCK, 0, 0);
        return clash;
    };

    // A process killed a moment ago keeps its locks until its I/O ring is
    // torn down, after it was reaped (up to about 200 ms here): with no
    // process left holding the image, the lock is asked again for a second.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    for (;;) {
        bool supported = true;
        const bool clash = lockClash(supported);
        if (!supported) {
            m_log->warn("{}: the file system does not support OFD locks; the image is "
                        "used without them, so other programs are not kept out",
                        m_path);
            unlockAll();
            return {};
        }
        if (!clash)
            return {};
        unlockAll();
        std::vector<Opener> holders;
        for (auto& o : findOpeners({}, {{m_identity.dev, m_identity.ino}}))
            if (o.locks && !(o.pid == ::getpid() && o.fd == m_fd))
                holders.push_back(std::move(o));
        if (holders.empty() && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        const std::string who =
            holders.empty() ? std::string("another program") : describeOpeners(holders);
        return Error{EBUSY,
                     m_path + " is in use: " + who + " holds a lock on it" +
                         (mode == Lock::Exclusive
                              ? std::string(" (QEMU and DriveMirror lock the images they use)")
                              : std::string(" that says it writes the image, or keeps "
                                            "others from reading it"))};
    }
}

Result<void> Disk::reconnect(std::chrono::milliseconds timeout)
{
    if (!canReconnect())
        return Error{ENOTSUP, m_path + ": not an NBD export"};
    if (m_nbd->pollsArmed())
        return Error{EBUSY, m_path + ": its connection is still polled"};
    auto c = NbdConnection::connect(m_path, m_writable, m_log, timeout);
    if (!c)
        return c.error();
    if ((*c)->size() != m_size)
        return Error{ESTALE, m_path + ": the export came back with " + formatBytes((*c)->size()) +
                                 " instead of " + formatBytes(m_size) +
                                 ": it is not the disk the job was copying"};
    m_nbd = std::move(*c);
    return {};
}

Result<void> Disk::checkStillThere() const
{
    if (m_nbd)
        return m_nbd->checkAlive();
    const std::string what = (m_writable ? "the target " : "the source ") + m_path;
    auto shrank = [&](std::uint64_t now) {
        return Error{ESTALE, what + " shrank from " + formatBytes(m_size) + " to " +
                                 formatBytes(now) + " while it was copied"};
    };
    if (isBlockDevice()) {
        const dev_t dev = m_identity.rdev;
        const std::string sys =
            "/sys/dev/block/" + std::to_string(major(dev)) + ":" + std::to_string(minor(dev));
        const Error gone{ENODEV, what + " disappeared while it was copied (the device was "
                                        "removed or detached)"};
        struct stat st
        {
        };
        if (::stat(sys.c_str(), &st) != 0)
            return gone;
        std::uint64_t bytes = 0;
        if (::ioctl(m_fd, BLKGETSIZE64, &bytes) != 0)
            return (errno == ENODEV || errno == ENXIO) ? Result<void>(gone) : Result<void>();
        if (bytes == 0)
            return gone;
        if (bytes < m_size)
            return shrank(bytes);
        return {};
    }
    struct stat st
    {
    };
    if (::fstat(m_fd, &st) != 0)
        return systemError(errno, "stat " + m_path);
    if (static_cast<std::uint64_t>(st.st_size) < m_size)
        return shrank(static_cast<std::uint64_t>(st.st_size));
    if (st.st_nlink == 0)
        return Error{ENOENT, what + " was deleted while it was copied"};
    return {};
}

} // namespace engine
