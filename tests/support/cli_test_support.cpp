#include "cli_test_support.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace clitest {

using namespace testsupport;

const std::vector<Extent>& mixedImageExtents()
{
    static const std::vector<Extent> extents = {
        {0, 8 * kMiB, false, 1},
        // [8M, 12M) hole
        {12 * kMiB, 16 * kMiB, false, 2},
        {28 * kMiB, 2 * kMiB, true},
        // [30M, 40M) hole
        {40 * kMiB + 4 * kKiB, 300 * kKiB, false, 3},
        {48 * kMiB, 12 * kMiB, false, 4},
        // [60M, 64M - 64K) hole
        {kMixedImageSize - 64 * kKiB, 64 * kKiB, false, 5},
    };
    return extents;
}

std::uint64_t dataBytes(const std::vector<Extent>& extents)
{
    std::uint64_t n = 0;
    for (const auto& e : extents)
        if (!e.zero)
            n += e.length;
    return n;
}

bool makeImage(const QString& path, std::uint64_t size, const std::vector<Extent>& extents)
{
    if (!createSparse(path, size))
        return false;
    for (const auto& e : extents) {
        const bool ok = e.zero ? writeZeroData(path, e.offset, e.length)
                               : writePattern(path, e.offset, e.length, e.seed);
        if (!ok)
            return false;
    }
    return true;
}

bool makeFilled(const QString& path, std::uint64_t size, std::uint64_t seed)
{
    return makeImage(path, size, {{0, size, false, seed}});
}

QByteArray readBytes(const QString& path, std::uint64_t offset, std::uint64_t length)
{
    QByteArray out;
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return out;
    out.resize(static_cast<qsizetype>(length));
    std::uint64_t done = 0;
    while (done < length) {
        const ssize_t n =
            ::pread(fd, out.data() + done, length - done, static_cast<off_t>(offset + done));
        if (n <= 0)
            break;
        done += static_cast<std::uint64_t>(n);
    }
    ::close(fd);
    out.resize(static_cast<qsizetype>(done));
    return out;
}

QByteArray contentHash(const QString& path, std::uint64_t length)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha1);
    std::vector<char> buf(1 << 20);
    std::uint64_t done = 0;
    for (;;) {
        std::size_t want = buf.size();
        if (length)
            want = static_cast<std::size_t>(std::min<std::uint64_t>(want, length - done));
        if (want == 0)
            break;
        const ssize_t n = ::read(fd, buf.data(), want);
        if (n <= 0)
            break;
        hash.addData(QByteArrayView(buf.data(), n));
        done += static_cast<std::uint64_t>(n);
    }
    ::close(fd);
    return hash.result();
}

FileState fileState(const QString& path)
{
    FileState s;
    struct stat st
    {
    };
    if (::lstat(QFile::encodeName(path).constData(), &st) != 0)
        return s;
    s.exists = true;
    s.mode = st.st_mode;
    s.uid = st.st_uid;
    s.gid = st.st_gid;
    s.size = st.st_size;
    s.mtimeSec = st.st_mtim.tv_sec;
    s.mtimeNsec = st.st_mtim.tv_nsec;
    // Opening a FIFO or a socket a test planted would block or fail.
    if (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode))
        s.hash = contentHash(path);
    return s;
}

QString describe(const FileState& s)
{
    if (!s.exists)
        return QStringLiteral("absent");
    return QStringLiteral("mode %1 owner %2:%3 size %4 mtime %5.%6 sha1 %7")
        .arg(s.mode, 0, 8)
        .arg(s.uid)
        .arg(s.gid)
        .arg(s.size)
        .arg(s.mtimeSec)
        .arg(s.mtimeNsec)
        .arg(QString::fromLatin1(s.hash.toHex()));
}

bool setOldMtime(const QString& path)
{
    const timespec times[2] = {{kOldMtime, 0}, {kOldMtime, 0}};
    return ::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times, AT_SYMLINK_NOFOLLOW) ==
           0;
}

CommandResult cli(const QStringList& args, int timeoutMs)
{
    return runCommand(cliPath(), args, timeoutMs);
}

QString show(const CommandResult& r)
{
    if (!r.started)
        return QStringLiteral("%1 did not start").arg(cliPath());
    return QStringLiteral("exit %1\n--- stdout:\n%2\n--- stderr:\n%3")
        .arg(r.exitCode)
        .arg(r.out.right(4000), r.err.right(4000));
}

CommandResult cliInLocale(const QString& language, const QString& lang, const QStringList& args,
                          int timeoutMs)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys())
        if (key.startsWith(QLatin1String("LC_")))
            env.remove(key);
    env.remove(QStringLiteral("LANGUAGE"));
    env.remove(QStringLiteral("LANG"));
    if (!language.isEmpty())
        env.insert(QStringLiteral("LANGUAGE"), language);
    if (!lang.isEmpty())
        env.insert(QStringLiteral("LANG"), lang);
    return runCommandIn(env, cliPath(), args, timeoutMs);
}

QStringList jsonStructure(const QList<QJsonObject>& objects)
{
    QStringList out;
    for (const QJsonObject& o : objects) {
        QString line;
        if (o.contains(QStringLiteral("event"))) {
            QStringList keys = o.value(QStringLiteral("data")).toObject().keys();
            keys.sort();
            line = o.value(QStringLiteral("event")).toString() + QStringLiteral(": ") +
                   keys.join(QLatin1Char(' ')) + QStringLiteral(" / ") +
                   QStringList(o.keys()).join(QLatin1Char(' '));
        } else {
            line = QStringList(o.keys()).join(QLatin1Char(' '));
        }
        if (line.startsWith(QLatin1String("BLOCK_JOB_PROGRESS")) && out.contains(line))
            continue;
        out << line;
    }
    return out;
}

bool isOneLineError(const QString& err)
{
    const QString t = err.trimmed();
    return !t.isEmpty() && !t.contains(QLatin1Char('\n')) &&
           t.startsWith(QStringLiteral("drivemirror-cli: ")) && err.endsWith(QLatin1Char('\n'));
}

JsonLines parseJsonLines(const QString& out)
{
    JsonLines r;
    for (const QString& line : out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        QJsonParseError err{};
        const auto doc = QJsonDocument::fromJson(line.toUtf8(), &err);
        if (err.error != QJsonParseError::NoError || !doc.isObject())
            r.bad << line;
        else
            r.objects << doc.object();
    }
    return r;
}

bool isEvent(const QJsonObject& o, const QString& name)
{
    return o.value(QStringLiteral("event")).toString() == name;
}

bool isStatusChange(const QJsonObject& o, const QString& status)
{
    return isEvent(o, QStringLiteral("JOB_STATUS_CHANGE")) &&
           o.value(QStringLiteral("data")).toObject().value(QStringLiteral("status")).toString() ==
               status;
}

bool isReply(const QJsonObject& o)
{
    return !o.contains(QStringLiteral("event")) &&
           (o.contains(QStringLiteral("return")) || o.contains(QStringLiteral("error")));
}

QList<QJsonObject> eventsNamed(const QList<QJsonObject>& all, const QString& name)
{
    QList<QJsonObject> out;
    for (const auto& o : all)
        if (isEvent(o, name))
            out << o;
    return out;
}

QStringList statusSequence(const QList<QJsonObject>& all)
{
    QStringList out;
    for (const auto& o : eventsNamed(all, QStringLiteral("JOB_STATUS_CHANGE")))
        out << o.value(QStringLiteral("data"))
                   .toObject()
                   .value(QStringLiteral("status"))
                   .toString();
    return out;
}

QJsonObject lastEvent(const QList<QJsonObject>& all)
{
    for (auto it = all.crbegin(); it != all.crend(); ++it)
        if (it->contains(QStringLiteral("event")))
            return *it;
    return {};
}

qint64 dataInt(const QJsonObject& event, const char* key)
{
    return event.value(QStringLiteral("data")).toObject().value(QLatin1String(key)).toInteger(-1);
}

QStringList withoutTrailingNull(QStringList statuses)
{
    if (statuses.isEmpty() || statuses.last() != QStringLiteral("null"))
        return statuses << QStringLiteral("(no null)");
    statuses.removeLast();
    return statuses;
}

bool differencesContain(const QJsonArray& differences, qint64 offset)
{
    for (const auto& v : differences) {
        const auto d = v.toObject();
        const qint64 off = d.value(QStringLiteral("offset")).toInteger(-1);
        const qint64 len = d.value(QStringLiteral("length")).toInteger(-1);
        if (off >= 0 && len > 0 && off <= offset && offset < off + len)
            return true;
    }
    return false;
}

bool haveTool(const QString& name)
{
    return !QStandardPaths::findExecutable(name).isEmpty() ||
           QFileInfo::exists(QStringLiteral("/usr/sbin/") + name) ||
           QFileInfo::exists(QStringLiteral("/sbin/") + name);
}

QStringList dirEntries(const QString& dir)
{
    return QDir(dir).entryList(
        QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System, QDir::Name);
}

void initCliSuite()
{
    const QString path = cliPath();
    QVERIFY2(!path.isEmpty(), "DRIVEMIRROR_CLI is not set (ctest sets it)");
    QVERIFY2(QFileInfo(path).isExecutable(), qPrintable(path + " is not an executable"));
    QVERIFY2(haveTool(QStringLiteral("cmp")), "cmp is missing (apt-get install diffutils)");
    QVERIFY2(haveTool(QStringLiteral("qemu-img")),
             "qemu-img is missing (apt-get install qemu-utils)");
    qputenv("LC_ALL", "C");
    qputenv("LANG", "C");
    qputenv("LANGUAGE", "");
}

QString BigSource::path()
{
    if (m_path.isEmpty()) {
        m_dir = std::make_unique<ScratchDir>();
        const QString p = m_dir->file(QStringLiteral("big-source.img"));
        if (m_dir->isValid() && makeFilled(p, 256 * kMiB, 4242))
            m_path = p;
    }
    return m_path;
}

QByteArray stationConfigText(const QStringList& devices, const QString& source, const QString& log,
                             const QString& after, const QString& station)
{
    QJsonArray slotList;
    for (int i = 0; i < devices.size(); ++i)
        slotList.append(QJsonObject{
            {QStringLiteral("label"), QStringLiteral("P%1").arg(i + 1)},
            {QStringLiteral("match"), QJsonObject{{QStringLiteral("DEVNAME"), devices[i]}}}});
    const QJsonObject config{
        {QStringLiteral("source"), source},    {QStringLiteral("slots"), slotList},
        {QStringLiteral("verify"), true},      {QStringLiteral("wipe-rest"), true},
        {QStringLiteral("after"), after},      {QStringLiteral("log"), log},
        {QStringLiteral("allow-fixed"), true}, {QStringLiteral("station"), station}};
    return QJsonDocument(config).toJson();
}

} // namespace clitest
