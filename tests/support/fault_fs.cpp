#include "fault_fs.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QSaveFile>
#include <QtGlobal>

#include <cerrno>
#include <csignal>
#include <cstring>

#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

namespace testsupport {

namespace {

constexpr int kMountTimeoutMs = 5000;
constexpr int kPollIntervalMs = 20;
constexpr int kExitTimeoutMs = 5000;
constexpr int kDetachedExitTimeoutMs = 500;
constexpr int kToolTimeoutMs = 10000;

QString errnoText(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

// True when path is a mount point, including a FUSE mount whose daemon died.
bool isMounted(const QString& path)
{
    const QByteArray self = QFile::encodeName(path);
    const QByteArray parent = QFile::encodeName(QFileInfo(path).absolutePath());
    struct stat selfStat
    {
    };
    struct stat parentStat
    {
    };
    if (::stat(self.constData(), &selfStat) != 0)
        return errno == ENOTCONN || errno == ECONNABORTED;
    if (::stat(parent.constData(), &parentStat) != 0)
        return false;
    return selfStat.st_dev != parentStat.st_dev;
}

bool canOpenForReading(const QString& path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    ::close(fd);
    return true;
}

// Runs a helper tool with its output discarded; true when it exits with 0.
bool runQuietly(const QString& program, const QStringList& arguments)
{
    QProcess process;
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setStandardErrorFile(QProcess::nullDevice());
    process.start(program, arguments);
    if (!process.waitForStarted(kToolTimeoutMs))
        return false;
    if (!process.waitForFinished(kToolTimeoutMs)) {
        process.kill();
        process.waitForFinished(kToolTimeoutMs);
        return false;
    }
    return process.exitStatus() == QProcess::NormalExit && process.exitCode() == 0;
}

QString faultFsBinary()
{
    return qEnvironmentVariable("DRIVEMIRROR_FAULTFS");
}

} // namespace

FaultFs::FaultFs() = default;

bool FaultFs::available(QString* whyNot)
{
    const auto fail = [whyNot](const QString& reason) {
        if (whyNot)
            *whyNot = reason;
        return false;
    };

    const QString binary = faultFsBinary();
    if (binary.isEmpty())
        return fail(QStringLiteral("DRIVEMIRROR_FAULTFS is not set"));
    const QFileInfo binaryInfo(binary);
    if (!binaryInfo.isFile() || !binaryInfo.isExecutable())
        return fail(QStringLiteral("faultfs binary %1 is missing or not executable").arg(binary));
    if (::geteuid() != 0)
        return fail(QStringLiteral("mounting faultfs needs root"));

    const int fd = ::open("/dev/fuse", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        const int error = errno;
        return fail(QStringLiteral("FUSE is unavailable: /dev/fuse: %1").arg(errnoText(error)));
    }
    ::close(fd);
    return true;
}

std::unique_ptr<FaultFs> FaultFs::mount(const QString& backingFile, const QStringList& faultArgs,
                                        QString* whyNot)
{
    QString reason;
    if (!available(&reason)) {
        if (whyNot)
            *whyNot = reason;
        return nullptr;
    }
    const auto fail = [whyNot](const QString& why) -> std::unique_ptr<FaultFs> {
        if (whyNot)
            *whyNot = why;
        return nullptr;
    };

    const QFileInfo backing(backingFile);
    if (!backing.isFile())
        return fail(QStringLiteral("backing file %1 does not exist").arg(backingFile));

    std::unique_ptr<FaultFs> fs(new FaultFs);
    if (!fs->m_dir.isValid())
        return fail(
            QStringLiteral("cannot create a temporary directory: %1").arg(fs->m_dir.errorString()));
    fs->m_mountPoint = fs->m_dir.filePath(QStringLiteral("mnt"));
    fs->m_logPath = fs->m_dir.filePath(QStringLiteral("faultfs.log"));
    fs->m_delayPath = fs->m_dir.filePath(QStringLiteral("write-delay-ms"));
    if (!QDir().mkdir(fs->m_mountPoint))
        return fail(QStringLiteral("cannot create mount point %1").arg(fs->m_mountPoint));

    fs->m_process = std::make_unique<QProcess>();
    QProcess& process = *fs->m_process;
    process.setProgram(faultFsBinary());
    process.setArguments(QStringList{backing.absoluteFilePath(), fs->m_mountPoint} + faultArgs +
                         QStringList{QStringLiteral("--write-delay-file"), fs->m_delayPath});
    process.setStandardInputFile(QProcess::nullDevice());
    process.setStandardOutputFile(QProcess::nullDevice());
    process.setStandardErrorFile(fs->m_logPath);
    // Stop the daemon (which unmounts) if the test dies without cleaning up.
    const pid_t parent = ::getpid();
    process.setChildProcessModifier([parent] {
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent)
            ::_exit(127);
    });
    process.start();
    if (!process.waitForStarted(kMountTimeoutMs))
        return fail(QStringLiteral("cannot start faultfs: %1").arg(process.errorString()));

    QElapsedTimer timer;
    timer.start();
    for (;;) {
        if (isMounted(fs->m_mountPoint) && canOpenForReading(fs->diskPath()))
            return fs;
        if (process.state() == QProcess::NotRunning || process.waitForFinished(kPollIntervalMs)) {
            const QString log = fs->log().trimmed();
            if (process.exitStatus() == QProcess::CrashExit)
                return fail(QStringLiteral("faultfs crashed: %1").arg(log));
            return fail(QStringLiteral("faultfs exited with status %1 without mounting: %2")
                            .arg(process.exitCode())
                            .arg(log));
        }
        if (timer.elapsed() > kMountTimeoutMs) {
            process.terminate();
            return fail(QStringLiteral("faultfs did not mount %1 within %2 ms: %3")
                            .arg(fs->m_mountPoint)
                            .arg(kMountTimeoutMs)
                            .arg(fs->log().trimmed()));
        }
    }
}

FaultFs::~FaultFs()
{
    if (!m_process)
        return;

    bool detached = false;
    bool unmounted = unmount(&detached);
    // After a lazy unmount the daemon keeps serving files that are still
    // open, so it is stopped after a short grace period.
    if (m_process->state() != QProcess::NotRunning &&
        !m_process->waitForFinished(detached ? kDetachedExitTimeoutMs : kExitTimeoutMs)) {
        m_process->terminate();
        if (!m_process->waitForFinished(kExitTimeoutMs)) {
            m_process->kill();
            m_process->waitForFinished(kExitTimeoutMs);
        }
    }
    if (!unmounted)
        unmounted = !isMounted(m_mountPoint);
    if (!unmounted) {
        qWarning("faultfs: %s is still mounted; leaving its directory in place",
                 qPrintable(m_mountPoint));
        m_dir.setAutoRemove(false);
    }
}

bool FaultFs::unmount(bool* detached)
{
    *detached = false;
    if (m_mountPoint.isEmpty() || !isMounted(m_mountPoint))
        return true;
    runQuietly(QStringLiteral("fusermount3"), {QStringLiteral("-u"), m_mountPoint});
    if (!isMounted(m_mountPoint))
        return true;
    *detached = true;
    runQuietly(QStringLiteral("umount"), {QStringLiteral("-l"), m_mountPoint});
    return !isMounted(m_mountPoint);
}

QString FaultFs::diskPath() const
{
    return m_mountPoint + QStringLiteral("/disk");
}

QString FaultFs::mountPoint() const
{
    return m_mountPoint;
}

bool FaultFs::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

bool FaultFs::setWriteDelay(int ms)
{
    // Replaced whole, so that the daemon never reads half a number.
    QSaveFile file(m_delayPath);
    return ms >= 0 && file.open(QIODevice::WriteOnly) && file.write(QByteArray::number(ms)) > 0 &&
           file.commit();
}

std::optional<quint64> FaultFs::powerLoss()
{
    static const QString kMark = QStringLiteral("faultfs: power loss: ");
    if (!isRunning())
        return std::nullopt;
    const qsizetype before = log().count(kMark);
    if (::kill(static_cast<pid_t>(m_process->processId()), SIGUSR1) != 0)
        return std::nullopt;
    // The daemon takes the loss before it serves the next request: a stat
    // makes one, so the cache is empty when it returns.
    struct stat st
    {
    };
    ::stat(QFile::encodeName(diskPath()).constData(), &st);
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < kMountTimeoutMs) {
        const QString text = log();
        if (text.count(kMark) > before) {
            const qsizetype at = text.lastIndexOf(kMark) + kMark.size();
            bool ok = false;
            const quint64 bytes =
                text.mid(at, text.indexOf(QLatin1Char(' '), at) - at).toULongLong(&ok);
            return ok ? std::optional<quint64>(bytes) : std::nullopt;
        }
        ::usleep(kPollIntervalMs * 1000);
    }
    return std::nullopt;
}

QString FaultFs::log() const
{
    QFile file(m_logPath);
    if (m_logPath.isEmpty() || !file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLocal8Bit(file.readAll());
}

} // namespace testsupport
