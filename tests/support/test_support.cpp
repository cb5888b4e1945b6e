#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <random>
#include <vector>

namespace testsupport {

bool isRoot()
{
    return ::geteuid() == 0;
}

// /var/tmp is disk-backed on Debian even where /tmp is a tmpfs.
ScratchDir::ScratchDir() : m_dir(QStringLiteral("/var/tmp/drivemirror-test-XXXXXX"))
{
}

bool createSparse(const QString& path, std::uint64_t size)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return false;
    const bool ok = ::ftruncate(fd, static_cast<off_t>(size)) == 0;
    ::close(fd);
    return ok;
}

namespace {
bool writeWith(const QString& path, std::uint64_t offset, std::uint64_t length,
               const std::function<void(std::vector<std::uint64_t>&)>& fill)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY);
    if (fd < 0)
        return false;
    std::vector<std::uint64_t> buf(1 << 17);
    std::uint64_t done = 0;
    bool ok = true;
    while (ok && done < length) {
        fill(buf);
        const auto n =
            static_cast<std::size_t>(std::min<std::uint64_t>(buf.size() * 8, length - done));
        ok = ::pwrite(fd, buf.data(), n, static_cast<off_t>(offset + done)) ==
             static_cast<ssize_t>(n);
        done += n;
    }
    ok = ::fsync(fd) == 0 && ok;
    ::close(fd);
    return ok;
}
} // namespace

bool writePattern(const QString& path, std::uint64_t offset, std::uint64_t length,
                  std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    return writeWith(path, offset, length, [&](std::vector<std::uint64_t>& b) {
        for (auto& w : b)
            w = rng() | 1; // never a zero word: the data must not look like a hole
    });
}

bool writeZeroData(const QString& path, std::uint64_t offset, std::uint64_t length)
{
    return writeWith(path, offset, length,
                     [](std::vector<std::uint64_t>& b) { std::fill(b.begin(), b.end(), 0); });
}

std::uint64_t allocatedBytes(const QString& path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0;
    return static_cast<std::uint64_t>(st.st_blocks) * 512;
}

std::uint64_t fileSize(const QString& path)
{
    return static_cast<std::uint64_t>(QFileInfo(path).size());
}

CommandResult runCommand(const QString& program, const QStringList& args, int timeoutMs,
                         const QByteArray& stdinData)
{
    return runCommandIn(QProcessEnvironment::systemEnvironment(), program, args, timeoutMs,
                        stdinData);
}

CommandResult runCommandIn(const QProcessEnvironment& environment, const QString& program,
                           const QStringList& args, int timeoutMs, const QByteArray& stdinData)
{
    CommandResult r;
    QProcess p;
    p.setProcessEnvironment(environment);
    p.start(program, args);
    if (!p.waitForStarted(10000))
        return r;
    r.started = true;
    if (!stdinData.isEmpty())
        p.write(stdinData);
    p.closeWriteChannel();
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        r.exitCode = -2;
    } else {
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -3;
    }
    r.out = QString::fromLocal8Bit(p.readAllStandardOutput());
    r.err = QString::fromLocal8Bit(p.readAllStandardError());
    return r;
}

QStringList fileLines(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    return lines;
}

bool cmpIdentical(const QString& a, const QString& b)
{
    return runCommand(QStringLiteral("cmp"), {QStringLiteral("-s"), a, b}).exitCode == 0;
}

bool cmpIdenticalPrefix(const QString& a, const QString& b, std::uint64_t length)
{
    return runCommand(QStringLiteral("cmp"),
                      {QStringLiteral("-s"), QStringLiteral("-n"), QString::number(length), a, b})
               .exitCode == 0;
}

std::optional<bool> qemuImgIdentical(const QString& a, const QString& b)
{
    if (QStandardPaths::findExecutable(QStringLiteral("qemu-img")).isEmpty())
        return std::nullopt;
    const auto r =
        runCommand(QStringLiteral("qemu-img"),
                   {QStringLiteral("compare"), QStringLiteral("-q"), QStringLiteral("-f"),
                    QStringLiteral("raw"), QStringLiteral("-F"), QStringLiteral("raw"), a, b});
    if (r.exitCode != 0 && r.exitCode != 1)
        return std::nullopt;
    return r.exitCode == 0;
}

std::unique_ptr<LoopDevice> LoopDevice::attach(const QString& file, QString* whyNot, bool partScan)
{
    if (!isRoot()) {
        if (whyNot)
            *whyNot = QStringLiteral("loop devices need root");
        return nullptr;
    }
    QStringList args{QStringLiteral("--find"), QStringLiteral("--show")};
    if (partScan)
        args << QStringLiteral("--partscan");
    args << file;
    const auto r = runCommand(QStringLiteral("losetup"), args);
    if (r.exitCode != 0) {
        if (whyNot)
            *whyNot = QStringLiteral("losetup failed: ") + r.err.trimmed();
        return nullptr;
    }
    std::unique_ptr<LoopDevice> dev(new LoopDevice);
    dev->m_path = r.out.trimmed();
    if (partScan) {
        // Some kernels set the partscan flag without scanning; partx asks
        // for the partitions explicitly (BLKPG), which works everywhere.
        const QString first = dev->m_path + QStringLiteral("p1");
        for (int i = 0; i < 20 && !QFileInfo::exists(first); ++i)
            QThread::msleep(50);
        if (!QFileInfo::exists(first))
            runCommand(QStringLiteral("partx"), {QStringLiteral("-a"), dev->m_path});
    }
    return dev;
}

LoopDevice::~LoopDevice()
{
    runCommand(QStringLiteral("losetup"), {QStringLiteral("-d"), m_path});
}

std::unique_ptr<Ext4Image> Ext4Image::create(const ScratchDir& dir, const QString& name,
                                             std::uint64_t size, QString* why,
                                             const Options& options)
{
    std::unique_ptr<Ext4Image> s(new Ext4Image);
    s->m_image = dir.file(name + QStringLiteral(".img"));
    if (!createSparse(s->m_image, size)) {
        *why = QStringLiteral("cannot create image ") + s->m_image;
        return nullptr;
    }
    if (options.partitioned) {
        const auto r = runCommand(QStringLiteral("sfdisk"), {QStringLiteral("-q"), s->m_image},
                                  60000, QByteArrayLiteral("label: dos\nstart=2048, type=83\n"));
        if (r.exitCode != 0) {
            *why = QStringLiteral("sfdisk: ") + r.err;
            return nullptr;
        }
    }
    s->m_loop = LoopDevice::attach(s->m_image, why, options.partitioned);
    if (!s->m_loop)
        return nullptr;
    s->m_device =
        options.partitioned ? s->m_loop->path() + QStringLiteral("p1") : s->m_loop->path();
    if (options.partitioned && !QFile::exists(s->m_device)) {
        *why = QStringLiteral("partition node did not appear: ") + s->m_device;
        return nullptr;
    }
    const auto mk = runCommand(QStringLiteral("mkfs.ext4"),
                               QStringList{QStringLiteral("-q"), QStringLiteral("-F")}
                                   << options.mkfsOptions << s->m_device);
    if (mk.exitCode != 0) {
        *why = QStringLiteral("mkfs.ext4: ") + mk.err;
        return nullptr;
    }
    s->m_mount = dir.file(name + QStringLiteral("-mnt"));
    QDir().mkpath(s->m_mount);
    QStringList mountArgs{s->m_device, s->m_mount};
    if (!options.mountOptions.isEmpty())
        mountArgs << QStringLiteral("-o") << options.mountOptions;
    const auto m = runCommand(QStringLiteral("mount"), mountArgs);
    if (m.exitCode != 0) {
        *why = QStringLiteral("mount: ") + m.err;
        return nullptr;
    }
    s->m_mounted = true;
    return s;
}

Ext4Image::~Ext4Image()
{
    if (m_mounted)
        runCommand(QStringLiteral("umount"), {m_mount});
}

FioWriter::FioWriter(const QStringList& arguments)
{
    m_proc.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_proc.start(QStringLiteral("fio"),
                 arguments + QStringList{QStringLiteral("--output=/dev/null")});
    m_proc.waitForStarted();
}

void FioWriter::stop()
{
    if (m_proc.state() == QProcess::NotRunning)
        return;
    m_proc.terminate();
    if (!m_proc.waitForFinished(20000)) {
        m_proc.kill();
        m_proc.waitForFinished();
    }
}

bool waitFor(const std::function<bool()>& cond, std::chrono::milliseconds limit)
{
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!cond()) {
        if (std::chrono::steady_clock::now() > end)
            return false;
        QThread::msleep(5);
    }
    return true;
}

quint16 freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    quint16 port = 0;
    if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
        port = ntohs(addr.sin_port);
    if (fd >= 0)
        ::close(fd);
    return port;
}

bool unixSocketAddress(const QString& path, sockaddr_un* addr)
{
    const QByteArray p = QFile::encodeName(path);
    if (static_cast<std::size_t>(p.size()) >= sizeof addr->sun_path)
        return false;
    *addr = {};
    addr->sun_family = AF_UNIX;
    std::memcpy(addr->sun_path, p.constData(), static_cast<std::size_t>(p.size()));
    return true;
}

bool unixSocketAccepts(const QString& path)
{
    sockaddr_un addr{};
    if (!unixSocketAddress(path, &addr))
        return false;
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

bool processAlive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close >= 0 && close + 2 < line.size() && line[close + 2] != 'Z';
}

QString cliPath()
{
    return qEnvironmentVariable("DRIVEMIRROR_CLI");
}

} // namespace testsupport
