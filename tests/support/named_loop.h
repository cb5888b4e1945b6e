// Loop devices whose names are known before they exist: an imaging
// station's slots name their drives up front, and the drive must appear
// only after the station is armed. The numbers are taken far above the ones
// `losetup --find` hands out, at an offset from the process id, so that
// suites running at once do not take each other's.
#pragma once

#include "test_support.h"

#include <QFileInfo>
#include <QString>
#include <QStringList>

#include <fcntl.h>
#include <linux/loop.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <memory>

namespace testsupport {

/// @p count loop device paths (/dev/loopN) that nothing is attached to now.
inline QStringList freeLoopNames(int count)
{
    QStringList out;
    const int first = 64 + static_cast<int>(::getpid() % 64) * 4;
    for (int n = first; n < first + 512 && out.size() < count; ++n)
        if (!QFileInfo::exists(QStringLiteral("/sys/block/loop%1/loop/backing_file").arg(n)))
            out << QStringLiteral("/dev/loop%1").arg(n);
    return out;
}

/// A loop device attached by name for the lifetime of the object; the
/// device is removed again afterwards when this attach created it.
class NamedLoop
{
public:
    /// nullptr with a reason when losetup fails.
    static std::unique_ptr<NamedLoop> attach(const QString& name, const QString& file,
                                             QString* whyNot)
    {
        const auto r = runCommand(QStringLiteral("losetup"), {name, file});
        if (r.exitCode != 0) {
            if (whyNot)
                *whyNot = QStringLiteral("losetup %1 %2: %3").arg(name, file, r.err.trimmed());
            return nullptr;
        }
        std::unique_ptr<NamedLoop> loop(new NamedLoop);
        loop->m_path = name;
        return loop;
    }
    ~NamedLoop()
    {
        runCommand(QStringLiteral("losetup"), {QStringLiteral("-d"), m_path});
        const int control = ::open("/dev/loop-control", O_RDWR | O_CLOEXEC);
        if (control >= 0) {
            ::ioctl(control, LOOP_CTL_REMOVE, m_path.mid(9).toInt());
            ::close(control);
        }
    }
    NamedLoop(const NamedLoop&) = delete;
    NamedLoop& operator=(const NamedLoop&) = delete;

    QString path() const { return m_path; }
    std::string stdPath() const { return m_path.toStdString(); }

private:
    NamedLoop() = default;
    QString m_path;
};

} // namespace testsupport
