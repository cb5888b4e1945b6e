// Helpers shared by the test suites: scratch images on a real file system,
// loop devices, and the external oracles (cmp, qemu-img compare, e2fsck).
#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <sys/un.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace testsupport {

/// True when running as root (loop devices, mounts, FUSE need it).
bool isRoot();

/// A scratch directory on a disk-backed file system (O_DIRECT, SEEK_DATA and
/// fallocate behave as on a user's disk, unlike tmpfs). Removed at the end.
class ScratchDir
{
public:
    ScratchDir();
    bool isValid() const { return m_dir.isValid(); }
    QString path() const { return m_dir.path(); }
    QString file(const QString& name) const { return m_dir.filePath(name); }
    std::string stdFile(const QString& name) const { return file(name).toStdString(); }

private:
    QTemporaryDir m_dir;
};

/// Creates a sparse file of @p size bytes.
bool createSparse(const QString& path, std::uint64_t size);
/// Writes deterministic pseudo-random data (from @p seed) at [offset, offset+length).
bool writePattern(const QString& path, std::uint64_t offset, std::uint64_t length,
                  std::uint64_t seed);
/// Writes zero bytes (as data, allocating blocks) at [offset, offset+length).
bool writeZeroData(const QString& path, std::uint64_t offset, std::uint64_t length);
/// Bytes actually allocated on disk for @p path (st_blocks * 512).
std::uint64_t allocatedBytes(const QString& path);
std::uint64_t fileSize(const QString& path);

struct CommandResult
{
    int exitCode = -1;
    QString out;
    QString err;
    bool started = false;
};
/// Runs a program to completion (default 120 s limit) and returns its output.
CommandResult runCommand(const QString& program, const QStringList& args, int timeoutMs = 120000,
                         const QByteArray& stdinData = {});
/// runCommand with @p environment instead of this process's.
CommandResult runCommandIn(const QProcessEnvironment& environment, const QString& program,
                           const QStringList& args, int timeoutMs = 120000,
                           const QByteArray& stdinData = {});

/// cmp -s A B: byte for byte identical over the whole files.
bool cmpIdentical(const QString& a, const QString& b);
/// The lines of a text file (UTF-8), without a last empty one; empty when it cannot be read.
QStringList fileLines(const QString& path);
/// cmp -n LENGTH A B (for targets larger than their source).
bool cmpIdenticalPrefix(const QString& a, const QString& b, std::uint64_t length);
/// qemu-img compare -f raw -F raw A B; nullopt when qemu-img is missing.
std::optional<bool> qemuImgIdentical(const QString& a, const QString& b);

/// A loop device attached to a file for the lifetime of the object.
class LoopDevice
{
public:
    /// nullptr with a reason when not root or losetup fails.
    static std::unique_ptr<LoopDevice> attach(const QString& file, QString* whyNot,
                                              bool partScan = false);
    ~LoopDevice();
    QString path() const { return m_path; }
    std::string stdPath() const { return m_path.toStdString(); }

private:
    QString m_path;
};

/// An ext4 file system in an image file on a loop device (optionally on its
/// first partition), mounted for the lifetime of the object.
class Ext4Image
{
public:
    struct Options
    {
        bool partitioned = false; ///< one MBR partition from 1 MiB to the end
        QStringList mkfsOptions;
        QString mountOptions; ///< for mount -o
    };
    /// nullptr with a reason when any step fails (not root, no mkfs.ext4...).
    static std::unique_ptr<Ext4Image> create(const ScratchDir& dir, const QString& name,
                                             std::uint64_t size, QString* why,
                                             const Options& options);
    static std::unique_ptr<Ext4Image> create(const ScratchDir& dir, const QString& name,
                                             std::uint64_t size, QString* why)
    {
        return create(dir, name, size, why, Options{});
    }
    ~Ext4Image();
    Ext4Image(const Ext4Image&) = delete;
    Ext4Image& operator=(const Ext4Image&) = delete;

    /// The file system's block device: the loop device or its partition.
    QString device() const { return m_device; }
    QString mountPoint() const { return m_mount; }
    QString loopPath() const { return m_loop->path(); }
    QString file(const QString& name) const { return m_mount + QLatin1Char('/') + name; }

private:
    Ext4Image() = default;
    QString m_image, m_device, m_mount;
    std::unique_ptr<LoopDevice> m_loop;
    bool m_mounted = false;
};

/// A thread that runs a loop until stop(), for writers that load a disk
/// while a job runs. The loop's body checks stopping().
class BackgroundLoop
{
public:
    BackgroundLoop() = default;
    ~BackgroundLoop() { stop(); }
    BackgroundLoop(const BackgroundLoop&) = delete;
    BackgroundLoop& operator=(const BackgroundLoop&) = delete;

    void start(std::function<void()> body) { m_thread = std::thread(std::move(body)); }
    void stop()
    {
        m_stop = true;
        if (m_thread.joinable())
            m_thread.join();
    }
    bool stopping() const { return m_stop.load(); }

private:
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

/// fio as an independent writer, running until stop() or destruction; it
/// dies with the test process too (a suite killed by its timeout must not
/// leave it writing).
class FioWriter
{
public:
    explicit FioWriter(const QStringList& arguments);
    ~FioWriter() { stop(); }
    FioWriter(const FioWriter&) = delete;
    FioWriter& operator=(const FioWriter&) = delete;
    bool running() const { return m_proc.state() == QProcess::Running; }
    void stop();

private:
    QProcess m_proc;
};

/// Polls @p cond every 5 ms until it holds or @p limit passes.
bool waitFor(const std::function<bool()>& cond,
             std::chrono::milliseconds limit = std::chrono::seconds(60));

/// True while @p pid runs; false once it is gone or a zombie (a process
/// that is not the caller's child is reaped by whoever inherited it).
bool processAlive(qint64 pid);

/// A loopback TCP port nobody listens on now.
quint16 freePort();
/// The address of the unix socket @p path; false when the path is too long.
bool unixSocketAddress(const QString& path, sockaddr_un* addr);
/// True when a server accepts connections on the unix socket @p path.
bool unixSocketAccepts(const QString& path);

/// The drivemirror-cli binary under test (from the DRIVEMIRROR_CLI environment).
QString cliPath();

} // namespace testsupport
