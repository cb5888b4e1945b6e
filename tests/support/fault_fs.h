#pragma once

// FaultFs mounts the faultfs test file system over a backing file, so a test
// can give the mirror engine a "disk" whose reads or writes fail with chosen
// errors at chosen offsets, that loses writes, or that is slow. See faultfs.c
// for the arguments:
//
//   --read-error OFFSET:LENGTH[:ERRNO]    --write-error OFFSET:LENGTH[:ERRNO]
//   --drop-write OFFSET:LENGTH            --write-delay-ms N
//   --size BYTES                          --volatile-cache
//
// A request overlapping a fault range fails as a whole; requests beside it
// succeed. Files are served in direct I/O mode, so every read and write
// reaches the daemon with the caller's offsets (the kernel splits requests
// larger than 1 MiB; a split request failing after its first part succeeded
// returns a short count rather than an error).
//
// --drop-write is a disk that lies: the bytes of a write (or of a zeroing
// or punching fallocate) inside the range are not stored, the rest is, and
// the request reports success; reads there return the backing file's old
// bytes. --write-delay-ms is a slow disk: every write request waits N ms,
// and the requests queued behind it wait too (one request at a time);
// setWriteDelay() changes the delay while mounted.
//
// --volatile-cache is a disk with a volatile write cache: writes are held in
// the daemon's memory (reads see them) and reach the backing file only on
// fsync or fdatasync, or at an orderly unmount; closing the file writes
// nothing back. powerLoss() drops every write not yet flushed, as a power
// cut would.
//
// Mounting needs root, /dev/fuse and the faultfs binary named by the
// DRIVEMIRROR_FAULTFS environment variable (ctest sets it). When any of them
// is missing, mount() returns nullptr and says why, for a QSKIP.
//
// The daemon is told to stop when the thread that mounted it ends, so that a
// crashed test leaves no mount behind: mount from the test's own thread.

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>
#include <optional>

class QProcess;

namespace testsupport {

class FaultFs
{
public:
    // Mounts backingFile (which must exist) on a fresh temporary directory and
    // waits up to five seconds for MOUNTPOINT/disk to become readable.
    static std::unique_ptr<FaultFs> mount(const QString& backingFile, const QStringList& faultArgs,
                                          QString* whyNot);

    // Whether this machine can mount faultfs at all; fills *whyNot if not.
    static bool available(QString* whyNot);

    // Unmounts (fusermount3 -u, falling back to umount -l) and waits for the
    // daemon to exit.
    ~FaultFs();

    FaultFs(const FaultFs&) = delete;
    FaultFs& operator=(const FaultFs&) = delete;
    FaultFs(FaultFs&&) = delete;
    FaultFs& operator=(FaultFs&&) = delete;

    // MOUNTPOINT/disk, the faulty view of the backing file.
    QString diskPath() const;
    QString mountPoint() const;
    // Whether the daemon is still running.
    bool isRunning() const;
    // What the daemon wrote to stderr so far.
    QString log() const;
    // Makes every write request from now on wait @p ms milliseconds (0: no
    // delay), replacing --write-delay-ms. False if it cannot be set.
    bool setWriteDelay(int ms);
    // With --volatile-cache: drops every write not flushed yet (SIGUSR1 to
    // the daemon) and returns how many bytes of cached pages went; nullopt
    // when the daemon did not say within five seconds. Without the option
    // the signal ends the daemon: call it on volatile mounts only.
    std::optional<quint64> powerLoss();

private:
    FaultFs();
    bool unmount(bool* detached);

    QTemporaryDir m_dir;
    QString m_mountPoint;
    QString m_logPath;
    QString m_delayPath;
    std::unique_ptr<QProcess> m_process;
};

} // namespace testsupport
