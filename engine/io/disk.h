// Disk: one end of a job, with the facts the mirror needs: an open image
// file or block device, or an NBD export (nbd://, nbd+unix://, nbds://).
//
// The job talks to every kind alike. Data requests are staged with the
// stage* methods into the job's io_uring ring: a local disk puts them into
// the ring itself, an export hands them to its NbdConnection, whose socket
// the ring polls (armPolls, onPoll) and whose completions reap() delivers
// with the same tags. The other methods are the synchronous rest: geometry,
// allocation queries, and the read/zero/flush helpers used outside the copy
// loop (verification, comparisons, tails).
//
// O_DIRECT is used when the file system accepts it, so that the copy neither
// pollutes nor is served from the page cache; where it is refused (EINVAL,
// e.g. on some FUSE or tmpfs mounts) the disk falls back to buffered I/O and
// says so in the log. A direct disk also keeps a buffered descriptor for the
// one request that can be unaligned: the tail of an image whose size is not a
// multiple of the logical block size.
#pragma once

#include "base/logging.h"
#include "base/result.h"
#include "bitmap/dirty_bitmap.h" // ByteRange
#include "io/image_format.h"
#include "io/nbd_connection.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace engine {

class NbdServer;
class Ring;

/// What identifies the storage behind a path, whatever path was used to open
/// it (a symlink, /dev/disk/by-id/..., a hard link).
struct DiskIdentity
{
    bool blockDevice = false;
    dev_t rdev = 0; ///< block devices: the device number
    dev_t dev = 0;  ///< files: the file system holding the inode
    ino_t ino = 0;
    std::string uri; ///< NBD exports: the URI (none of the numbers apply)
    bool operator==(const DiskIdentity&) const = default;
};

class Disk
{
public:
    enum class Access { ReadOnly, ReadWrite };
    struct OpenOptions
    {
        Access access = Access::ReadOnly;
        bool direct = true;     ///< try O_DIRECT, fall back to buffered I/O
        bool exclusive = false; ///< O_EXCL on block devices: fails if mounted or held
    };

    static Result<Disk> open(const std::string& path, OpenOptions options, Logger log = {});
    /// Opens @p path (the /proc/self/fd entry of a node resolved once, so
    /// exactly that node) under the name @p name, which messages and path()
    /// use.
    static Result<Disk> open(const std::string& path, const std::string& name, OpenOptions options,
                             Logger log = {});
    /// Connects to the NBD export @p uri (isNbdUri); a read-only export
    /// opened for writing is refused (EROFS).
    static Result<Disk> openNbd(const std::string& uri, Access access, Logger log = {});
    /// How a formatted image (qcow2, vmdk, vhdx, vdi) is opened.
    struct ImageOptions
    {
        ImageFormat format = ImageFormat::Qcow2;
        Access access = Access::ReadOnly;
        /// nextAllocated() answers what the top image of a backing chain
        /// holds itself (sync top), not all it reads.
        bool topLayer = false;
        /// Writes are compressed (qcow2): for a target written once.
        bool compress = false;
        /// The file the rules checked: the one opened must be this node.
        std::optional<DiskIdentity> expected;
    };
    /// Opens the virtual disk of the image file at @p realPath (a path
    /// without symlinks) through a qemu-nbd of its own on a private unix
    /// socket; @p name is what messages and path() say. The file must carry
    /// the format's magic (EINVAL otherwise), and the qemu-nbd must hold
    /// exactly that node open (ESTALE otherwise). qemu-nbd's own image locks
    /// guard it for the disk's life; lockImage() is not needed.
    static Result<Disk> openImage(const std::string& realPath, const std::string& name,
                                  const ImageOptions& options, Logger log = {});
    /// Creates a new sparse file of @p size bytes (fails if @p path exists)
    /// and returns what it created, as the creating descriptor saw it: a
    /// caller that opens the path again can tell whether it is still that file.
    static Result<DiskIdentity> createSparseFile(const std::string& path, std::uint64_t size);

    Disk(Disk&& other) noexcept;
    Disk& operator=(Disk&& other) noexcept;
    Disk(const Disk&) = delete;
    Disk& operator=(const Disk&) = delete;
    ~Disk();

    const std::string& path() const { return m_path; }
    /// Data goes through NBD: an export, or a formatted image through its
    /// qemu-nbd. No descriptor (fd() is -1), no page cache, no locks.
    bool isNbd() const { return m_nbd != nullptr; }
    /// A formatted image (openImage): a file here, read through NBD.
    bool isFormattedImage() const { return m_server != nullptr; }
    /// The image's format; raw for anything not opened by openImage.
    ImageFormat format() const { return m_format; }
    NbdConnection* nbd() const { return m_nbd.get(); }
    /// The descriptor for data I/O (O_DIRECT when directIo()).
    int fd() const { return m_fd; }
    /// A buffered descriptor on the same file: fd() itself when not direct.
    int bufferedFd() const { return m_bufferedFd >= 0 ? m_bufferedFd : m_fd; }
    bool directIo() const { return m_direct; }
    bool isBlockDevice() const { return m_identity.blockDevice; }
    bool writable() const { return m_writable; }
    DiskIdentity identity() const { return m_identity; }

    std::uint64_t size() const { return m_size; }
    /// Smallest unit of direct I/O (offsets, lengths and buffer addresses).
    std::uint32_t logicalBlockSize() const { return m_logicalBlock; }
    /// The device's own write unit (>= logical), used to choose granularity.
    std::uint32_t physicalBlockSize() const { return m_physicalBlock; }
    /// Alignment that every request on fd() must respect: the logical block
    /// size with O_DIRECT, 1 without.
    std::uint32_t requiredAlignment() const { return m_direct ? m_logicalBlock : 1; }

    /// The first allocated extent that ends after @p offset, clipped to start
    /// at @p offset or later; nullopt when only holes follow. Block devices
    /// and file systems without SEEK_DATA report everything as allocated.
    Result<std::optional<ByteRange>> nextAllocated(std::uint64_t offset) const;
    /// The same for what sync top copies: what the image holds itself. A
    /// formatted image opened with ImageOptions::topLayer answers for its
    /// top layer, not the backing files under it; anything else as
    /// nextAllocated().
    Result<std::optional<ByteRange>> nextInTopLayer(std::uint64_t offset) const;
    /// Makes [offset, offset+length) read as zeroes: with @p unmap the space
    /// is released where the storage can guarantee zeroes afterwards (punch a
    /// hole / discard), otherwise zeroes are written efficiently (ZERO_RANGE /
    /// BLKZEROOUT), falling back to writing a zero buffer.
    Result<void> writeZeroes(std::uint64_t offset, std::uint64_t length, bool unmap);
    /// Durably stores everything written so far (fdatasync).
    Result<void> flush();
    /// Reads [offset, offset+length) whole, blocking; @p buf has room for
    /// the length rounded up to requiredAlignment().
    Result<void> readAt(void* buf, std::uint64_t length, std::uint64_t offset) const;

    // -- requests through the job's ring --------------------------------------
    // Each completes once, with @p tag, through the ring or through reap():
    // res is the byte count (0 for a flush) or a negative errno. False: the
    // ring is full, try again next turn.
    bool stageRead(Ring& ring, void* buf, std::uint32_t length, std::uint64_t offset,
                   std::uint64_t tag, std::uint16_t ioprio = 0) const;
    /// A length that is not a multiple of requiredAlignment() (an image's
    /// tail) goes through the buffered descriptor.
    bool stageWrite(Ring& ring, const void* buf, std::uint32_t length, std::uint64_t offset,
                    std::uint64_t tag, std::uint16_t ioprio = 0) const;
    bool stageFlush(Ring& ring, std::uint64_t tag) const;
    /// An export's socket: the polls it needs staged (a no-op for a local
    /// disk), and their completions; onPoll is false for a tag not its own.
    bool armPolls(Ring& ring, std::uint64_t inTag, std::uint64_t outTag) const;
    bool onPoll(std::uint64_t tag, int res) const;
    bool pollsArmed() const;
    void cancelPolls(Ring& ring, std::uint64_t cancelTag) const;
    /// Hands the export's finished requests to @p onCompletion(tag, res).
    template <class F>
    unsigned reap(F&& onCompletion) const;
    bool hasCompletions() const;

    enum class Lock { Shared, Exclusive };
    /// Image files: takes the OFD locks QEMU takes on its images (one byte
    /// at 100 + n for each permission held, one at 200 + n for each one not
    /// shared: consistent read, write, write-unchanged, resize), so that
    /// QEMU, other DriveMirror jobs and this one see each other. Shared (a
    /// source): reads, lets others read, not write or resize. Exclusive (a
    /// target): writes and shares nothing; any other lock on the file is a
    /// conflict. Applied first and checked after, as QEMU does, so two jobs
    /// starting at once cannot both win. On a conflict the locks are dropped
    /// again and the error names the holders (EBUSY). The locks live as long
    /// as this disk. Block devices: nothing to do (O_EXCL guards a target).
    Result<void> lockImage(Lock mode);
    /// Why a read came back short: the disk shrank (ESTALE), its file was
    /// deleted (ENOENT) or the device went away (ENODEV), each with a
    /// message that says so; success when it is still all there.
    Result<void> checkStillThere() const;
    /// An export the user named (not a formatted image's own qemu-nbd):
    /// its server may come back after its connection was lost.
    bool canReconnect() const { return m_nbd && !m_server; }
    /// Connects to the export again (canReconnect(), its polls no longer
    /// armed). The export must have the size it had (ESTALE otherwise: the
    /// URI now names another disk); the connection is replaced only on
    /// success.
    Result<void> reconnect(std::chrono::milliseconds timeout);

private:
    Disk() = default;
    void close();

    std::string m_path;
    int m_fd = -1;
    int m_bufferedFd = -1;
    bool m_direct = false;
    bool m_writable = false;
    DiskIdentity m_identity;
    std::uint64_t m_size = 0;
    std::uint32_t m_logicalBlock = 512;
    std::uint32_t m_physicalBlock = 4096;
    std::unique_ptr<NbdConnection> m_nbd;
    std::unique_ptr<NbdServer> m_server; ///< a formatted image's qemu-nbd
    ImageFormat m_format = ImageFormat::Raw;
    Logger m_log;
};

/// Removes the regular file @p name (relative to @p dirFd, or AT_FDCWD)
/// only while it still is the file @p created (same device and inode; an
/// inode of 0 means unknown, and only a regular file is asked for): a file
/// put under that name since belongs to someone else (EEXIST).
Result<void> removeFileIfStill(int dirFd, const std::string& name, const DiskIdentity& created);

/// Identity of the storage at @p path without opening it for I/O.
Result<DiskIdentity> identify(const std::string& path);
/// The same from a node's stat, for the path @p path (named in the error).
Result<DiskIdentity> identityOf(const struct stat& st, const std::string& path);

template <class F>
unsigned Disk::reap(F&& onCompletion) const
{
    return m_nbd ? m_nbd->reap(std::forward<F>(onCompletion)) : 0;
}

} // namespace engine
