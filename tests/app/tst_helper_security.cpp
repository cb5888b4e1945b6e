// drivemirror-cli as the root helper: pkexec starts it as root with
// PKEXEC_UID naming the user who asked, and it must do exactly what that
// user confirmed and nothing else. Every test runs the real binary as root,
// most of them "elevated" the way pkexec starts it, for an unprivileged test
// account (drivemirror-sec) whose processes really run as that user: they
// flip symbolic links and rename files while the helper works, as an
// attacker would.
//
// Covered: a symlink flipped between the user's image and root's files, a
// created image renamed away before it is handed over, every request
// outside the user's own files (scope, access, identity), a link planted by
// another user in a shared directory, a disk whose only trace of data is a
// partition the kernel knows, and a source frozen by someone else.
//
// The oracles: SHA-256, owner and mode of root's files after every run;
// cmp for the copies that must happen; the exit code 2 and the rule tag for
// the refusals.
#include "cli_test_support.h"
#include "test_support.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtTest>

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using namespace clitest;
using namespace testsupport;

namespace {

constexpr std::uint64_t kImageSize = 4 * kMiB;
constexpr int kExitTarget = 4;
constexpr int kRaceRuns = 200;
const QString kUserName = QStringLiteral("drivemirror-sec");
const QString kOtherUserName = QStringLiteral("drivemirror-sec2");

struct Account
{
    QString name;
    uid_t uid = 0;
    gid_t gid = 0;
};

// The account is kept after the run: deleting it could leave files of a
// failed run owned by a uid that a later account reuses.
std::optional<Account> ensureAccount(const QString& name, QString* why)
{
    if (runCommand(QStringLiteral("id"), {QStringLiteral("-u"), name}).exitCode != 0) {
        const auto r =
            runCommand(QStringLiteral("useradd"),
                       {QStringLiteral("--system"), QStringLiteral("--no-create-home"),
                        QStringLiteral("--shell"), QStringLiteral("/usr/sbin/nologin"), name});
        if (r.exitCode != 0) {
            *why = QStringLiteral("useradd %1: %2").arg(name, r.err.trimmed());
            return std::nullopt;
        }
    }
    const passwd* pw = ::getpwnam(QFile::encodeName(name).constData());
    if (!pw || pw->pw_uid == 0) {
        *why = QStringLiteral("no usable account %1").arg(name);
        return std::nullopt;
    }
    return Account{name, pw->pw_uid, pw->pw_gid};
}

// What the CLI sees run by root itself: no trace of an invoking user.
QProcessEnvironment rootEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* key : {"PKEXEC_UID", "SUDO_UID", "SUDO_GID", "SUDO_USER", "SUDO_COMMAND"})
        env.remove(QLatin1String(key));
    return env;
}

// What the CLI sees started by pkexec for @p user.
QProcessEnvironment elevatedEnvironment(const Account& user)
{
    QProcessEnvironment env = rootEnvironment();
    env.insert(QStringLiteral("PKEXEC_UID"), QString::number(user.uid));
    return env;
}

CommandResult asRoot(const QStringList& args, int timeoutMs = 60000)
{
    return runCommandIn(rootEnvironment(), cliPath(), args, timeoutMs);
}

CommandResult elevated(const Account& user, const QStringList& args, int timeoutMs = 60000)
{
    return runCommandIn(elevatedEnvironment(user), cliPath(), args, timeoutMs);
}

QString ruleTag(const QString& rule)
{
    return QStringLiteral("(rule: ") + rule + QLatin1Char(')');
}

enum class TagIn { Stderr, Anywhere };

// Empty when @p r is the refusal asked for: exit 2 and the rule's tag on
// stderr (or anywhere, for commands that answer in JSON on stdout); else
// what is wrong with it.
QString refusalMismatch(const CommandResult& r, const QString& rule, TagIn where = TagIn::Stderr)
{
    const QString tag = ruleTag(rule);
    if (r.exitCode != kExitBadInput)
        return QStringLiteral("expected a refusal (exit 2) with %1, got %2").arg(tag, show(r));
    const bool found = r.err.contains(tag) || (where == TagIn::Anywhere && r.out.contains(tag));
    if (!found)
        return QStringLiteral("refused, but not with %1: %2").arg(tag, show(r));
    return {};
}

// The rule tags in a refusal, for the race statistics.
QStringList rulesIn(const CommandResult& r)
{
    static const QRegularExpression re(QStringLiteral("\\(rule: ([^)]+)\\)"));
    QStringList out;
    auto it = re.globalMatch(r.err);
    while (it.hasNext()) {
        const QString rule = it.next().captured(1);
        if (!out.contains(rule))
            out << rule;
    }
    return out;
}

QString countsText(const QMap<QString, int>& counts)
{
    QStringList parts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts << QStringLiteral("%1: %2").arg(it.key()).arg(it.value());
    return parts.isEmpty() ? QStringLiteral("none") : parts.join(QStringLiteral(", "));
}

QByteArray encoded(const QString& path)
{
    return QFile::encodeName(path);
}

// A regular file of pseudo-random data with the given owner and mode.
bool makeFile(const QString& path, std::uint64_t size, std::uint64_t seed, uid_t uid, gid_t gid,
              mode_t mode)
{
    if (!createSparse(path, size) || !writePattern(path, 0, size, seed))
        return false;
    return ::chown(encoded(path).constData(), uid, gid) == 0 &&
           ::chmod(encoded(path).constData(), mode) == 0;
}

bool makeDir(const QString& path, uid_t uid, gid_t gid, mode_t mode)
{
    // chmod after mkdir: the umask must not take bits the test relies on.
    return ::mkdir(encoded(path).constData(), 0700) == 0 &&
           ::chown(encoded(path).constData(), uid, gid) == 0 &&
           ::chmod(encoded(path).constData(), mode) == 0;
}

QString stateChange(const QString& what, const FileState& before, const FileState& after)
{
    if (before == after)
        return {};
    return QStringLiteral("%1 changed: was %2, is %3").arg(what, describe(before), describe(after));
}

// The identity `inspect --json` reports to plain root: what the desktop app
// hands to --expect-id once the user confirmed the target.
QString inspectId(const QString& target, QString* why)
{
    const auto r = asRoot({QStringLiteral("inspect"), target, QStringLiteral("--json")});
    const auto doc = QJsonDocument::fromJson(r.out.trimmed().toUtf8());
    const QString id = doc.object().value(QStringLiteral("id")).toString();
    if (id.isEmpty())
        *why = QStringLiteral("no id from inspect %1: %2").arg(target, show(r));
    return id;
}

// A process of this test with another user's uid, gid and no supplementary
// groups: the attacker's side of a race, or another user's hand. It runs
// its body and ends with _exit, never returning into Qt Test, whose state
// it shares after fork().
class UserProcess
{
public:
    /// @p body gets a descriptor to write one byte to once it is ready;
    /// its return value is the exit code.
    static std::unique_ptr<UserProcess>
    start(const Account& who, const std::function<int(int readyFd)>& body, QString* why)
    {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC) != 0) {
            *why = QStringLiteral("pipe: ") + QString::fromLocal8Bit(std::strerror(errno));
            return nullptr;
        }
        const pid_t parent = ::getpid();
        const pid_t pid = ::fork();
        if (pid < 0) {
            *why = QStringLiteral("fork: ") + QString::fromLocal8Bit(std::strerror(errno));
            ::close(fds[0]);
            ::close(fds[1]);
            return nullptr;
        }
        if (pid == 0) {
            ::close(fds[0]);
            int code = 120;
            if (::setgroups(0, nullptr) == 0 && ::setresgid(who.gid, who.gid, who.gid) == 0 &&
                ::setresuid(who.uid, who.uid, who.uid) == 0 && ::geteuid() == who.uid) {
                // Set after the credentials change, which clears it; and an
                // attacker left running after a crashed test would go on
                // flipping links.
                ::prctl(PR_SET_PDEATHSIG, SIGKILL);
                code = ::getppid() == parent ? body(fds[1]) : 121;
            }
            ::_exit(code);
        }
        ::close(fds[1]);
        std::unique_ptr<UserProcess> p(new UserProcess);
        p->m_pid = pid;
        p->m_ready = fds[0];
        return p;
    }

    ~UserProcess()
    {
        stop();
        if (m_ready >= 0)
            ::close(m_ready);
    }
    UserProcess(const UserProcess&) = delete;
    UserProcess& operator=(const UserProcess&) = delete;

    /// True once the body wrote its byte.
    bool waitReady(int timeoutMs)
    {
        pollfd p{m_ready, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) != 1)
            return false;
        char c = 0;
        return ::read(m_ready, &c, 1) == 1;
    }

    /// The exit code once the process ended by itself, -1 otherwise.
    int waitExit(int timeoutMs)
    {
        int status = 0;
        const bool ended = waitFor([&] { return ::waitpid(m_pid, &status, WNOHANG) == m_pid; },
                                   std::chrono::milliseconds(timeoutMs));
        if (!ended)
            return -1;
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    /// Ends the process: an attacker stops when the test has seen enough.
    void stop()
    {
        if (m_pid <= 0)
            return;
        ::kill(m_pid, SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        m_pid = -1;
    }

    /// Holds the process between runs, so that the checks after a run do
    /// not share the CPUs with it.
    void pause() { ::kill(m_pid, SIGSTOP); }
    void resume() { ::kill(m_pid, SIGCONT); }

    bool running()
    {
        if (m_pid > 0 && ::waitpid(m_pid, nullptr, WNOHANG) == m_pid)
            m_pid = -1; // reaped: its pid may be another process's soon
        return m_pid > 0;
    }

private:
    UserProcess() = default;
    pid_t m_pid = -1;
    int m_ready = -1;
};

// The places of one test: a scratch directory root may write (0755), with
// the user's own directory user/ (his, 0755) and a directory only root may
// write, root/ (0755).
class Arena
{
public:
    explicit Arena(const Account& user)
    {
        m_ok = m_dir.isValid() && ::chmod(encoded(m_dir.path()).constData(), 0755) == 0 &&
               makeDir(userFile({}), user.uid, user.gid, 0755) && makeDir(rootFile({}), 0, 0, 0755);
    }
    bool ok() const { return m_ok; }
    QString file(const QString& name) const { return m_dir.file(name); }
    QString userFile(const QString& name) const
    {
        return name.isEmpty() ? m_dir.file(QStringLiteral("user"))
                              : m_dir.file(QStringLiteral("user/") + name);
    }
    QString rootFile(const QString& name) const
    {
        return name.isEmpty() ? m_dir.file(QStringLiteral("root"))
                              : m_dir.file(QStringLiteral("root/") + name);
    }

private:
    ScratchDir m_dir;
    bool m_ok = false;
};

// A file system mounted at a directory, perhaps frozen. Thawed and unmounted
// however the test ends: a frozen file system left behind hangs whatever
// writes to it next.
class MountGuard
{
public:
    MountGuard(const QString& device, const QString& dir) : m_dir(dir)
    {
        m_mounted = runCommand(QStringLiteral("mount"), {device, dir}).exitCode == 0;
    }
    ~MountGuard()
    {
        thaw();
        if (m_mounted)
            waitFor([this] { return runCommand(QStringLiteral("umount"), {m_dir}).exitCode == 0; },
                    std::chrono::seconds(10));
    }
    MountGuard(const MountGuard&) = delete;
    MountGuard& operator=(const MountGuard&) = delete;

    bool mounted() const { return m_mounted; }
    bool freeze()
    {
        m_frozen =
            runCommand(QStringLiteral("fsfreeze"), {QStringLiteral("-f"), m_dir}).exitCode == 0;
        return m_frozen;
    }
    void thaw()
    {
        if (m_frozen)
            runCommand(QStringLiteral("fsfreeze"), {QStringLiteral("-u"), m_dir});
        m_frozen = false;
    }

private:
    QString m_dir;
    bool m_mounted = false;
    bool m_frozen = false;
};

// A root file the races aim at, with what it must keep, and the means to
// put it back after a run that damaged it, so every later run is tested on
// its own.
class GuardedFile
{
public:
    bool create(const QString& path, std::uint64_t seed, mode_t mode)
    {
        m_path = path;
        m_mode = mode;
        if (!makeFile(path, kImageSize, seed, 0, 0, mode))
            return false;
        m_hash = contentHash(path);
        return !m_hash.isEmpty();
    }
    QString path() const { return m_path; }

    /// Empty when the file is as it was.
    QString damage() const
    {
        struct stat st
        {
        };
        if (::lstat(encoded(m_path).constData(), &st) != 0)
            return QStringLiteral("%1 is gone").arg(m_path);
        QStringList what;
        if (!S_ISREG(st.st_mode))
            what << QStringLiteral("no regular file any more");
        if (st.st_uid != 0 || st.st_gid != 0)
            what << QStringLiteral("owner %1:%2").arg(st.st_uid).arg(st.st_gid);
        if ((st.st_mode & 07777) != m_mode)
            what << QStringLiteral("mode %1").arg(st.st_mode & 07777, 0, 8);
        if (S_ISREG(st.st_mode) && contentHash(m_path) != m_hash)
            what << QStringLiteral("content (SHA-256) changed");
        if (what.isEmpty())
            return {};
        return QStringLiteral("%1: %2").arg(m_path, what.join(QStringLiteral(", ")));
    }

    bool restore(std::uint64_t seed)
    {
        ::unlink(encoded(m_path).constData());
        return create(m_path, seed, m_mode);
    }

private:
    QString m_path;
    mode_t m_mode = 0;
    QByteArray m_hash;
};

// What happened to any of @p files, each hashed on a thread of its own:
// the hashes would otherwise take as long as the run they check.
QStringList damageOf(const std::vector<const GuardedFile*>& files)
{
    std::vector<QString> found(files.size());
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < files.size(); ++i)
        threads.emplace_back([&found, &files, i] { found[i] = files[i]->damage(); });
    for (auto& t : threads)
        t.join();
    QStringList out;
    for (const QString& d : found)
        if (!d.isEmpty())
            out << d;
    return out;
}

// Overwrites the head of @p path in place, keeping its inode and size (its
// identity), so that a run that copies onto it shows in cmp. No fsync: the
// kernel writes dirty pages back before any direct I/O on them.
bool scribble(const QString& path, std::uint64_t seed)
{
    std::vector<std::uint64_t> words(8192);
    for (auto& w : words)
        w = seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    const int fd = ::open(encoded(path).constData(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    const auto bytes = static_cast<ssize_t>(words.size() * sizeof(words[0]));
    const bool ok = ::pwrite(fd, words.data(), static_cast<std::size_t>(bytes), 0) == bytes;
    return ::close(fd) == 0 && ok;
}

// The change and modification times: any write, chown or chmod moves the
// change time, and no program can set it back. Cheaper than a hash where
// the question is only whether a run touched a file at all.
std::pair<timespec, timespec> touchTimes(const QString& path)
{
    struct stat st
    {
    };
    if (::lstat(encoded(path).constData(), &st) != 0)
        return {};
    return {st.st_ctim, st.st_mtim};
}

bool sameTimes(const std::pair<timespec, timespec>& a, const std::pair<timespec, timespec>& b)
{
    return a.first.tv_sec == b.first.tv_sec && a.first.tv_nsec == b.first.tv_nsec &&
           a.second.tv_sec == b.second.tv_sec && a.second.tv_nsec == b.second.tv_nsec;
}

// The outcome of many runs of a race: how they ended, and the first few
// failures in full (all of them would drown the report).
class RaceLog
{
public:
    void refused(const CommandResult& r)
    {
        const QStringList rules = rulesIn(r);
        ++m_refusedBy[rules.isEmpty() ? QStringLiteral("no rule tag")
                                      : rules.join(QStringLiteral(" + "))];
    }
    void fail(const QString& what)
    {
        if (++m_failures <= 5)
            m_examples << what;
    }
    int refusals() const
    {
        int n = 0;
        for (int v : m_refusedBy)
            n += v;
        return n;
    }
    QString refusalsText() const { return countsText(m_refusedBy); }
    bool failed() const { return m_failures > 0; }
    QString report() const
    {
        return QStringLiteral("%1 failures, the first ones:\n").arg(m_failures) +
               m_examples.join(QLatin1Char('\n'));
    }

private:
    QMap<QString, int> m_refusedBy;
    QStringList m_examples;
    int m_failures = 0;
};

// Attacker of the symlink flip race: makes @p link point at each of
// @p targets in turn, replacing it atomically (a new link renamed over it),
// in bursts of fast flips with pauses of random length between them, so
// that the helper meets both a link that changes under it and one that
// stays put long enough to be used. Runs until it is killed.
struct FlipPlan
{
    std::string link;
    std::string tmp;
    std::vector<std::string> targets;
};

int flipLinks(const FlipPlan& plan, int readyFd)
{
    std::uint64_t rng = 0x9e3779b97f4a7c15ull ^ static_cast<std::uint64_t>(::getpid());
    auto next = [&rng] {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        return rng;
    };
    auto flip = [&plan](std::size_t i) {
        const std::string& to = plan.targets[i % plan.targets.size()];
        while (::symlink(to.c_str(), plan.tmp.c_str()) != 0) {
            if (errno != EEXIST)
                return false;
            ::unlink(plan.tmp.c_str());
        }
        return ::rename(plan.tmp.c_str(), plan.link.c_str()) == 0;
    };
    if (!flip(0) || ::write(readyFd, "r", 1) != 1)
        return 10;
    for (std::size_t i = 1;;) {
        // Bursts of random length, so that a pause finds any of the targets.
        for (std::uint64_t n = 1 + next() % 512; n > 0; --n)
            if (!flip(i++))
                return 11;
        const timespec pause{0, static_cast<long>(next() % 4000000)};
        ::nanosleep(&pause, nullptr);
    }
}

// Attacker of the create/rename race: as soon as @p target appears as a
// regular file in the watched directory, renames the prepared link @p tmp
// (pointing at root's file) over it, then prepares the next link. Runs
// until it is killed.
struct RenamePlan
{
    std::string dir;
    std::string name;
    std::string target;
    std::string tmp;
    std::string linkTo;
};

int renameOnCreate(const RenamePlan& plan, int readyFd)
{
    const int in = ::inotify_init1(IN_CLOEXEC);
    if (in < 0)
        return 20;
    if (::inotify_add_watch(in, plan.dir.c_str(), IN_CREATE | IN_MOVED_TO) < 0)
        return 21;
    bool told = false;
    alignas(inotify_event) char buf[8192];
    for (;;) {
        struct stat st
        {
        };
        if (::lstat(plan.tmp.c_str(), &st) != 0 &&
            ::symlink(plan.linkTo.c_str(), plan.tmp.c_str()) != 0)
            return 22;
        if (!told) {
            told = ::write(readyFd, "r", 1) == 1;
            if (!told)
                return 23;
        }
        const ssize_t n = ::read(in, buf, sizeof buf);
        if (n <= 0)
            return 24;
        for (ssize_t off = 0; off < n;) {
            const auto* e = reinterpret_cast<const inotify_event*>(buf + off);
            off += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
            if (e->len == 0 || std::strcmp(e->name, plan.name.c_str()) != 0)
                continue;
            // Its own rename shows as a link: nothing to do then.
            if (::lstat(plan.target.c_str(), &st) == 0 && S_ISREG(st.st_mode))
                ::rename(plan.tmp.c_str(), plan.target.c_str());
        }
    }
}

} // namespace

class TestHelperSecurity : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    // The races the helper loses if it looks a path up twice.
    void race_symlinkFlip_rootFilesUntouched();
    void race_createThenRename_noChownByPath();

    // What the user did not, or could not, ask for.
    void helperScope_imageToImage_refused_data();
    void helperScope_imageToImage_refused();
    void userAccess_newFileInRootsDirectory_refused_data();
    void userAccess_newFileInRootsDirectory_refused();
    void userAccess_rootsFileAsTarget_refused_data();
    void userAccess_rootsFileAsTarget_refused();
    void userAccess_unreadableSourceToDisk_refused();
    void targetIdentity_missingExpectId_refused_data();
    void targetIdentity_missingExpectId_refused();
    void helperScope_demo_refused();
    void userAccess_readingCommands_refused_data();
    void userAccess_readingCommands_refused();
    void helper_diskToNewUserFile_ownedByUser();
    void helper_diskToExistingUserImage_identical_data();
    void helper_diskToExistingUserImage_identical();
    void helper_userImageToDisk_identical();

    // Links, disks and sources that look harmless but are not.
    void untrustedSymlink_otherUsersLink_refused();
    void untrustedSymlink_rootsLink_followed();
    void targetHoldsData_kernelPartitionWithoutSignature_needsForce();
    void sourceFrozen_refusedWithThawHint();

private:
    std::optional<Account> m_user;
    std::optional<Account> m_other;
};

void TestHelperSecurity::initTestCase()
{
    const QString path = cliPath();
    QVERIFY2(!path.isEmpty(), "DRIVEMIRROR_CLI is not set (ctest sets it)");
    QVERIFY2(QFileInfo(path).isExecutable(), qPrintable(path + " is not an executable"));
    QVERIFY2(haveTool(QStringLiteral("cmp")), "cmp is missing (apt-get install diffutils)");
    // The checks read the CLI's English, whatever language runs ctest.
    qputenv("LC_ALL", "C");
    qputenv("LANG", "C");
    qputenv("LANGUAGE", "");
    if (!isRoot())
        return; // every test skips, with its reason
    QString why;
    m_user = ensureAccount(kUserName, &why);
    QVERIFY2(m_user, qPrintable(why));
    m_other = ensureAccount(kOtherUserName, &why);
    QVERIFY2(m_other, qPrintable(why));
}

// ---------------------------------------------------------------------------
// Races

void TestHelperSecurity::race_symlinkFlip_rootFilesUntouched()
{
    if (!isRoot())
        QSKIP("needs root: runs the helper as pkexec does and an attacker as another user");
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString sourceImage = arena.file(QStringLiteral("source.img"));
    QVERIFY(makeFile(sourceImage, kImageSize, 11, 0, 0, 0644));
    QString why;
    auto source = LoopDevice::attach(sourceImage, &why);
    QVERIFY2(source, qPrintable(why));

    const QString userImage = arena.userFile(QStringLiteral("user.img"));
    QVERIFY(makeFile(userImage, kImageSize, 12, user.uid, user.gid, 0644));
    GuardedFile readOnly;
    QVERIFY(readOnly.create(arena.file(QStringLiteral("root-ro.img")), 13, 0444));
    GuardedFile secret;
    QVERIFY(secret.create(arena.rootFile(QStringLiteral("secret.img")), 14, 0600));
    const QString id = inspectId(userImage, &why);
    QVERIFY2(!id.isEmpty(), qPrintable(why));

    const QString link = arena.userFile(QStringLiteral("link.img"));
    const FlipPlan plan{encoded(link).toStdString(),
                        encoded(arena.userFile(QStringLiteral("link.tmp"))).toStdString(),
                        {encoded(userImage).toStdString(), encoded(readOnly.path()).toStdString(),
                         encoded(userImage).toStdString(), encoded(secret.path()).toStdString()}};
    auto attacker = UserProcess::start(
        user, [&plan](int readyFd) { return flipLinks(plan, readyFd); }, &why);
    QVERIFY2(attacker, qPrintable(why));
    QVERIFY2(attacker->waitReady(10000), "the attacker did not start flipping link.img");

    const QStringList args{QStringLiteral("mirror"),
                           source->path(),
                           link,
                           QStringLiteral("--json"),
                           QStringLiteral("--complete-when-ready"),
                           QStringLiteral("--expect-id"),
                           id};
    int copied = 0;
    int damagedRuns = 0;
    RaceLog log;
    for (int run = 0; run < kRaceRuns; ++run) {
        QVERIFY(scribble(userImage, 1000 + static_cast<std::uint64_t>(run)));
        const auto userTimes = touchTimes(userImage);
        attacker->resume();
        const auto r = elevated(user, args);
        attacker->pause();
        QVERIFY2(r.started, qPrintable(show(r)));
        const QStringList damage = damageOf({&readOnly, &secret});
        if (!damage.isEmpty()) {
            ++damagedRuns;
            log.fail(QStringLiteral("run %1 (exit %2) damaged root's files: %3")
                         .arg(run)
                         .arg(r.exitCode)
                         .arg(damage.join(QStringLiteral("; "))));
            QVERIFY(readOnly.restore(13));
            QVERIFY(secret.restore(14));
        }
        if (r.exitCode == kExitOk) {
            if (cmpIdentical(source->path(), userImage))
                ++copied;
            else
                log.fail(QStringLiteral("run %1 succeeded, but user.img is no copy of the "
                                        "source: %2")
                             .arg(run)
                             .arg(show(r)));
        } else if (r.exitCode == kExitBadInput) {
            log.refused(r);
            if (!sameTimes(touchTimes(userImage), userTimes))
                log.fail(QStringLiteral("run %1 was refused but wrote user.img: %2")
                             .arg(run)
                             .arg(show(r)));
        } else {
            log.fail(QStringLiteral("run %1 neither succeeded nor was refused: %2")
                         .arg(run)
                         .arg(show(r)));
        }
    }
    attacker->resume();
    QVERIFY2(attacker->running(), "the attacker stopped flipping before the runs ended");
    attacker->stop();
    qInfo("symlink flip, %d runs: %d copied onto the user's file, %d refused (%s); %d damaged "
          "root's files",
          kRaceRuns, copied, log.refusals(), qPrintable(log.refusalsText()), damagedRuns);
    QVERIFY2(!log.failed(), qPrintable(log.report()));
    QVERIFY2(copied > 0, "no run reached the user's own file: the race was not tested");
}

void TestHelperSecurity::race_createThenRename_noChownByPath()
{
    if (!isRoot())
        QSKIP("needs root: runs the helper as pkexec does and an attacker as another user");
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString sourceImage = arena.file(QStringLiteral("source.img"));
    QVERIFY(makeFile(sourceImage, kImageSize, 21, 0, 0, 0644));
    QString why;
    auto source = LoopDevice::attach(sourceImage, &why);
    QVERIFY2(source, qPrintable(why));
    GuardedFile secret;
    QVERIFY(secret.create(arena.rootFile(QStringLiteral("secret.img")), 22, 0600));

    const QString target = arena.userFile(QStringLiteral("new.img"));
    const QString tmp = arena.userFile(QStringLiteral("new.tmp"));
    const RenamePlan plan{encoded(arena.userFile({})).toStdString(), "new.img",
                          encoded(target).toStdString(), encoded(tmp).toStdString(),
                          encoded(secret.path()).toStdString()};
    auto attacker = UserProcess::start(
        user, [&plan](int readyFd) { return renameOnCreate(plan, readyFd); }, &why);
    QVERIFY2(attacker, qPrintable(why));
    QVERIFY2(attacker->waitReady(10000), "the attacker did not start watching");

    const QStringList args{QStringLiteral("mirror"),
                           source->path(),
                           target,
                           QStringLiteral("--json"),
                           QStringLiteral("--complete-when-ready"),
                           QStringLiteral("--expect-id"),
                           QStringLiteral("absent")};
    auto isLink = [](const QString& path) {
        struct stat st
        {
        };
        return ::lstat(encoded(path).constData(), &st) == 0 && S_ISLNK(st.st_mode);
    };
    int succeeded = 0;
    int targetLost = 0;
    int renamedAway = 0;
    int damagedRuns = 0;
    RaceLog log;
    for (int run = 0; run < kRaceRuns; ++run) {
        // The attacker prepares its next link only after its last rename,
        // so that this unlink cannot come before a late one.
        QVERIFY2(waitFor([&] { return isLink(tmp); }, std::chrono::seconds(5)),
                 "the attacker did not prepare its link");
        ::unlink(encoded(target).constData());
        const auto r = elevated(user, args);
        QVERIFY2(r.started, qPrintable(show(r)));
        if (const QString d = secret.damage(); !d.isEmpty()) {
            ++damagedRuns;
            log.fail(QStringLiteral("run %1 (exit %2) damaged root's file: %3")
                         .arg(run)
                         .arg(r.exitCode)
                         .arg(d));
            QVERIFY(secret.restore(22));
        }
        struct stat st
        {
        };
        const bool regular = ::lstat(encoded(target).constData(), &st) == 0 && S_ISREG(st.st_mode);
        if (isLink(target))
            ++renamedAway;
        if (r.exitCode == kExitOk) {
            ++succeeded;
            if (regular && (st.st_uid != user.uid || st.st_gid != user.gid))
                log.fail(QStringLiteral("run %1 created new.img owned by %2:%3, not by the "
                                        "user (%4:%5)")
                             .arg(run)
                             .arg(st.st_uid)
                             .arg(st.st_gid)
                             .arg(user.uid)
                             .arg(user.gid));
        } else if (r.exitCode == kExitBadInput) {
            log.refused(r);
        } else if (r.exitCode == kExitTarget) {
            // The attacker took the file away under a running job: a target
            // deleted mid-job is the target failing, not the helper.
            ++targetLost;
        } else {
            log.fail(QStringLiteral("run %1 ended neither as done, refused nor with its target "
                                    "lost: %2")
                         .arg(run)
                         .arg(show(r)));
        }
    }
    QVERIFY2(attacker->running(), "the attacker stopped watching before the runs ended");
    attacker->stop();
    ::unlink(encoded(target).constData());
    qInfo("create/rename, %d runs: %d succeeded, %d refused (%s), %d lost their target; the "
          "attacker renamed its link over new.img in %d runs; %d runs damaged root's file",
          kRaceRuns, succeeded, log.refusals(), qPrintable(log.refusalsText()), targetLost,
          renamedAway, damagedRuns);
    QVERIFY2(!log.failed(), qPrintable(log.report()));
    QVERIFY2(renamedAway > 0, "the attacker never got its link in: the race was not tested");
}

// ---------------------------------------------------------------------------
// Refusals

void TestHelperSecurity::helperScope_imageToImage_refused_data()
{
    QTest::addColumn<bool>("rootsSource");
    QTest::addColumn<bool>("targetExists");
    QTest::newRow("root's image to a new file of the user") << true << false;
    QTest::newRow("user's image to a new file of the user") << false << false;
    QTest::newRow("user's image to an image of the user") << false << true;
}

void TestHelperSecurity::helperScope_imageToImage_refused()
{
    // The helper is for disks: two image files are the user's own business,
    // done without root, and root's file is none of it.
    if (!isRoot())
        QSKIP("needs root: runs the helper as pkexec does");
    QFETCH(bool, rootsSource);
    QFETCH(bool, targetExists);
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString source = rootsSource ? arena.rootFile(QStringLiteral("secret.img"))
                                       : arena.userFile(QStringLiteral("own.img"));
    QVERIFY(rootsSource ? makeFile(source, kImageSize, 31, 0, 0, 0600)
                        : makeFile(source, kImageSize, 31, user.uid, user.gid, 0644));
    const QString target = arena.userFile(QStringLiteral("copy.img"));
    QString id = QStringLiteral("absent");
    if (targetExists) {
        QVERIFY(makeFile(target, kImageSize, 32, user.uid, user.gid, 0644));
        QVERIFY(setOldMtime(target));
        QString why;
        id = inspectId(target, &why);
        QVERIFY2(!id.isEmpty(), qPrintable(why));
    }
    const FileState sourceBefore = fileState(source);
    const FileState targetBefore = fileState(target);
    const auto r =
        elevated(user, {QStringLiteral("mirror"), source, target, QStringLiteral("--expect-id"), id,
                        QStringLiteral("--complete-when-ready")});
    // Root's file fails two rules: the user may not read it, and the job
    // needs no root. Either refusal names its rule; neither reads it.
    const QString wrong = refusalMismatch(r, QStringLiteral("helper scope"));
    const QString wrongAccess =
        rootsSource ? refusalMismatch(r, QStringLiteral("user access")) : wrong;
    QVERIFY2(wrong.isEmpty() || wrongAccess.isEmpty(), qPrintable(wrong));
    const QString changed = stateChange(QStringLiteral("target"), targetBefore, fileState(target)) +
                            stateChange(QStringLiteral("source"), sourceBefore, fileState(source));
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
}

void TestHelperSecurity::userAccess_newFileInRootsDirectory_refused_data()
{
    QTest::addColumn<QString>("where");
    QTest::addColumn<int>("mode");
    QTest::newRow("root's directory, 0755") << QStringLiteral("root") << 0755;
    QTest::newRow("root's directory, 0700") << QStringLiteral("root-private") << 0700;
    // Like /etc: root's, readable by all, and here inside the user's own
    // directory, so only the directory that takes the file counts.
    QTest::newRow("root's etc in the user's directory") << QStringLiteral("user/etc") << 0755;
}

void TestHelperSecurity::userAccess_newFileInRootsDirectory_refused()
{
    if (!isRoot())
        QSKIP("needs root: runs the helper as pkexec does");
    QFETCH(QString, where);
    QFETCH(int, mode);
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString dir = arena.file(where);
    if (!QFileInfo::exists(dir))
        QVERIFY(makeDir(dir, 0, 0, static_cast<mode_t>(mode)));
    const QString sourceImage = arena.file(QStringLiteral("source.img"));
    QVERIFY(makeFile(sourceImage, kImageSize, 41, 0, 0, 0644));
    QString why;
    auto source = LoopDevice::attach(sourceImage, &why);
    QVERIFY2(source, qPrintable(why));
    const QString target = dir + QStringLiteral("/new.img");
    const auto r = elevated(user, {QStringLiteral("mirror"), source->path(), target,
                                   QStringLiteral("--expect-id"), QStringLiteral("absent"),
                                   QStringLiteral("--complete-when-ready")});
    const QString wrong = refusalMismatch(r, QStringLiteral("user access"));
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    QVERIFY2(!fileState(target).exists, qPrintable(target + " was created: " + show(r)));
}

void TestHelperSecurity::userAccess_rootsFileAsTarget_refused_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("in root's directory") << QStringLiteral("root/root.img");
    QTest::newRow("in the user's directory") << QStringLiteral("user/root.img");
}

void TestHelperSecurity::userAccess_rootsFileAsTarget_refused()
{
    // Root may write a 0644 file of root's; the user who asked may not, and
    // the helper writes only what he could.
    if (!isRoot())
        QSKIP("needs root: runs the helper as pkexec does");
    QFETCH(QString, name);
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString target = arena.file(name);
    QVERIFY(makeFile(target, kImageSize, 51, 0, 0, 0644));
    QVERIFY(setOldMtime(target));
    const QString sourceImage = arena.file(QStringLiteral("source.img"));
    QVERIFY(makeFile(sourceImage, kImageSize, 52, 0, 0, 0644));
    QString why;
    auto source = LoopDevice::attach(sourceImage, &why);
    QVERIFY2(source, qPrintable(why));
    const QString id = inspectId(target, &why);
    QVERIFY2(!id.isEmpty(), qPrintable(why));
    const FileState before = fileState(target);
    const auto r = elevated(user, {QStringLiteral("mirror"), source->path(), target,
                                   QStringLiteral("--expect-id"), id,
                                   QStringLiteral("--complete-when-ready")});
    const QString wrong = refusalMismatch(r, QStringLiteral("user access"));
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    const QString changed = stateChange(target, before, fileState(target));
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
}

void TestHelperSecurity::userAccess_unreadableSourceToDisk_refused()
{
    // Copying root's file onto a disk the user may write would hand him
    // its content.
    if (!isRoot())
        QSKIP("needs root: runs the helper as pkexec does and attaches a loop device");
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString secret = arena.rootFile(QStringLiteral("secret.img"));
    QVERIFY(makeFile(secret, kImageSize, 61, 0, 0, 0600));
    const QString diskImage = arena.file(QStringLiteral("disk.img"));
    QVERIFY(createSparse(diskImage, kImageSize));
    QString why;
    auto disk = LoopDevice::attach(diskImage, &why);
    QVERIFY2(disk, qPrintable(why));
    const QString id = inspectId(disk->path(), &why);
    QVERIFY2(!id.isEmpty(), qPrintable(why));
    const QByteArray before = contentHash(disk->path());
    const auto r = elevated(user, {QStringLiteral("mirror"), secret, disk->path(),
                                   QStringLiteral("--expect-id"), id, QStringLiteral("--force"),
                                   QStringLiteral("--complete-when-ready")});
    const QString wrong = refusalMismatch(r, QStringLiteral("user access"));
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    QVERIFY2(contentHash(disk->path()) == before, qPrintable(disk->path() + " was written"));
}

void TestHelperSecurity::targetIdentity_missingExpectId_refused_data()
{
    QTest::addColumn<bool>("targetExists");
    QTest::newRow("new file") << false;
    QTest::newRow("existing image of the user") << true;
}

void TestHelperSecurity::targetIdentity_missingExpectId_refused()
{
    // Elevated, the helper acts only on a target the user confirmed, and
    // the identity is that confirmation.
    if (!isRoot())
        QSKIP("needs root: runs the helper as pkexec does and attaches a loop device");
    QFETCH(bool, targetExists);
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString sourceImage = arena.file(QStringLiteral("source.img"));
    QVERIFY(makeFile(sourceImage, kImageSize, 71, 0, 0, 0644));
    QString why;
    auto source = LoopDevice::attach(sourceImage, &why);
    QVERIFY2(source, qPrintable(why));
    const QString target = arena.userFile(QStringLiteral("copy.img"));
    if (targetExists) {
        QVERIFY(makeFile(target, kImageSize, 72, user.uid, user.gid, 0644));
        QVERIFY(setOldMtime(target));
    }
    const FileState before = fileState(target);
    const auto r = elevated(user, {QStringLiteral("mirror"), source->path(), target,
                                   QStringLiteral("--complete-when-ready")});
    const QString wrong = refusalMismatch(r, QStringLiteral("target identity"));
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    const QString changed = stateChange(target, before, fileState(target));
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
}

void TestHelperSecurity::helperScope_demo_refused()
{
    // The demo needs no disk, so no root either. A small, short demo: where
    // it is not refused, this test must still end soon.
    if (!isRoot())
        QSKIP("needs root: runs the helper as pkexec does");
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString dir = arena.userFile(QStringLiteral("demo"));
    const auto r =
        elevated(user,
                 {QStringLiteral("demo"), QStringLiteral("--dir"), dir, QStringLiteral("--size"),
                  QStringLiteral("16M"), QStringLiteral("--live"), QStringLiteral("0")},
                 120000);
    const QString wrong = refusalMismatch(r, QStringLiteral("helper scope"));
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    QVERIFY2(!fileState(dir).exists, qPrintable(dir + " was created"));
}

void TestHelperSecurity::userAccess_readingCommands_refused_data()
{
    QTest::addColumn<QString>("command");
    QTest::newRow("verify") << QStringLiteral("verify");
    QTest::newRow("info") << QStringLiteral("info");
    QTest::newRow("inspect --json") << QStringLiteral("inspect");
}

void TestHelperSecurity::userAccess_readingCommands_refused()
{
    // Reading tells too: a comparison, a layout or a signature of a file
    // the user may not read is not his to learn.
    if (!isRoot())
        QSKIP("needs root: runs the helper as pkexec does");
    QFETCH(QString, command);
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString secret = arena.rootFile(QStringLiteral("secret.img"));
    QVERIFY(makeFile(secret, kImageSize, 81, 0, 0, 0600));
    const QString own = arena.userFile(QStringLiteral("own.img"));
    QVERIFY(makeFile(own, kImageSize, 82, user.uid, user.gid, 0644));
    QStringList args{command, secret};
    if (command == QStringLiteral("verify"))
        args << own;
    if (command == QStringLiteral("inspect"))
        args << QStringLiteral("--json");
    const auto r = elevated(user, args);
    const QString wrong = refusalMismatch(r, QStringLiteral("user access"), TagIn::Anywhere);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
}

void TestHelperSecurity::helper_diskToNewUserFile_ownedByUser()
{
    // What the helper is for: a disk copied into the user's folder, the
    // copy his.
    if (!isRoot())
        QSKIP("needs root: runs the helper as pkexec does and attaches a loop device");
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString sourceImage = arena.file(QStringLiteral("source.img"));
    QVERIFY(makeFile(sourceImage, kImageSize, 91, 0, 0, 0644));
    QString why;
    auto source = LoopDevice::attach(sourceImage, &why);
    QVERIFY2(source, qPrintable(why));
    const QString target = arena.userFile(QStringLiteral("fresh.img"));
    const auto r =
        elevated(user, {QStringLiteral("mirror"), source->path(), target, QStringLiteral("--json"),
                        QStringLiteral("--complete-when-ready"), QStringLiteral("--expect-id"),
                        QStringLiteral("absent")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY2(cmpIdentical(source->path(), target), "cmp: the copy differs from the disk");
    const FileState s = fileState(target);
    QVERIFY(S_ISREG(s.mode));
    QCOMPARE(s.uid, user.uid);
    QCOMPARE(s.gid, user.gid);
}

void TestHelperSecurity::helper_diskToExistingUserImage_identical_data()
{
    QTest::addColumn<bool>("throughLink");
    QTest::newRow("named directly") << false;
    QTest::newRow("through the user's own link") << true;
}

void TestHelperSecurity::helper_diskToExistingUserImage_identical()
{
    // The symlink flip race without the attacker: what its runs that reach
    // the user's file must do, on every run.
    if (!isRoot())
        QSKIP("needs root: runs the helper as pkexec does and attaches a loop device");
    QFETCH(bool, throughLink);
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString sourceImage = arena.file(QStringLiteral("source.img"));
    QVERIFY(makeFile(sourceImage, kImageSize, 95, 0, 0, 0644));
    QString why;
    auto source = LoopDevice::attach(sourceImage, &why);
    QVERIFY2(source, qPrintable(why));
    const QString userImage = arena.userFile(QStringLiteral("user.img"));
    QVERIFY(makeFile(userImage, kImageSize, 96, user.uid, user.gid, 0644));
    const QString id = inspectId(userImage, &why);
    QVERIFY2(!id.isEmpty(), qPrintable(why));
    QString target = userImage;
    if (throughLink) {
        target = arena.userFile(QStringLiteral("link.img"));
        QVERIFY(::symlink(encoded(userImage).constData(), encoded(target).constData()) == 0);
        QVERIFY(::lchown(encoded(target).constData(), user.uid, user.gid) == 0);
    }
    const auto r = elevated(
        user, {QStringLiteral("mirror"), source->path(), target, QStringLiteral("--json"),
               QStringLiteral("--complete-when-ready"), QStringLiteral("--expect-id"), id});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY2(cmpIdentical(source->path(), userImage), "cmp: the user's image is no copy");
    const FileState s = fileState(userImage);
    QCOMPARE(s.uid, user.uid);
    QCOMPARE(s.gid, user.gid);
}

void TestHelperSecurity::helper_userImageToDisk_identical()
{
    if (!isRoot())
        QSKIP("needs root: runs the helper as pkexec does and attaches a loop device");
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    // 0600: only the user may read it, so the helper must read it as him.
    const QString own = arena.userFile(QStringLiteral("own.img"));
    QVERIFY(makeFile(own, kImageSize, 101, user.uid, user.gid, 0600));
    const QString diskImage = arena.file(QStringLiteral("disk.img"));
    QVERIFY(createSparse(diskImage, kImageSize));
    QString why;
    auto disk = LoopDevice::attach(diskImage, &why);
    QVERIFY2(disk, qPrintable(why));
    const QString id = inspectId(disk->path(), &why);
    QVERIFY2(!id.isEmpty(), qPrintable(why));
    const auto r = elevated(
        user, {QStringLiteral("mirror"), own, disk->path(), QStringLiteral("--json"),
               QStringLiteral("--complete-when-ready"), QStringLiteral("--expect-id"), id});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY2(cmpIdentical(own, disk->path()), "cmp: the disk differs from the user's image");
}

// ---------------------------------------------------------------------------
// Links, disks, sources

void TestHelperSecurity::untrustedSymlink_otherUsersLink_refused()
{
    // A shared directory anyone may write, without the sticky bit that
    // would make the kernel refuse such a link itself: a link another user
    // planted there may point anywhere, a disk included, and is followed
    // neither for root nor for the user the helper acts for.
    if (!isRoot())
        QSKIP("needs root: attaches a loop device and acts as two other users");
    const Account& user = *m_user;
    const Account& other = *m_other;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString shared = arena.file(QStringLiteral("shared"));
    QVERIFY(makeDir(shared, 0, 0, 0777));
    const QString diskImage = arena.file(QStringLiteral("disk.img"));
    QVERIFY(createSparse(diskImage, kImageSize));
    QString why;
    auto disk = LoopDevice::attach(diskImage, &why);
    QVERIFY2(disk, qPrintable(why));
    const QString own = arena.userFile(QStringLiteral("own.img"));
    QVERIFY(makeFile(own, kImageSize, 111, user.uid, user.gid, 0644));

    const QString link = shared + QStringLiteral("/backup.img");
    const std::string linkPath = encoded(link).toStdString();
    const std::string diskPath = disk->stdPath();
    auto planter = UserProcess::start(
        other,
        [&](int) { return ::symlink(diskPath.c_str(), linkPath.c_str()) == 0 ? 0 : 30 + errno; },
        &why);
    QVERIFY2(planter, qPrintable(why));
    QCOMPARE(planter->waitExit(10000), 0);
    const FileState linkState = fileState(link);
    QVERIFY(S_ISLNK(linkState.mode));
    QCOMPARE(linkState.uid, other.uid);
    const QString id = inspectId(disk->path(), &why);
    QVERIFY2(!id.isEmpty(), qPrintable(why));
    const QByteArray before = contentHash(disk->path());

    auto r = asRoot({QStringLiteral("mirror"), own, link, QStringLiteral("--complete-when-ready")});
    QString wrong = refusalMismatch(r, QStringLiteral("untrusted symlink"));
    QVERIFY2(wrong.isEmpty(), qPrintable(QStringLiteral("plain root: ") + wrong));
    QVERIFY2(contentHash(disk->path()) == before,
             "plain root: the disk behind the link was written");

    r = elevated(user, {QStringLiteral("mirror"), own, link, QStringLiteral("--expect-id"), id,
                        QStringLiteral("--force"), QStringLiteral("--complete-when-ready")});
    wrong = refusalMismatch(r, QStringLiteral("untrusted symlink"));
    QVERIFY2(wrong.isEmpty(), qPrintable(QStringLiteral("elevated: ") + wrong));
    QVERIFY2(contentHash(disk->path()) == before, "elevated: the disk behind the link was written");
    QVERIFY(fileState(link) == linkState);
}

void TestHelperSecurity::untrustedSymlink_rootsLink_followed()
{
    // The same shared directory, but the link is root's own: root trusts
    // himself, so the link is followed as any link is.
    if (!isRoot())
        QSKIP("needs root: creates files of another user and a link of root's");
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString shared = arena.file(QStringLiteral("shared"));
    QVERIFY(makeDir(shared, 0, 0, 0777));
    const QString source = arena.file(QStringLiteral("source.img"));
    QVERIFY(makeFile(source, kImageSize, 121, 0, 0, 0644));
    const QString target = arena.userFile(QStringLiteral("target.img"));
    QVERIFY(makeFile(target, kImageSize, 122, user.uid, user.gid, 0644));
    const QString link = shared + QStringLiteral("/root-link.img");
    QVERIFY(::symlink(encoded(target).constData(), encoded(link).constData()) == 0);

    const auto r =
        asRoot({QStringLiteral("mirror"), source, link, QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY2(cmpIdentical(source, target), "cmp: the image behind root's link is no copy");
    QVERIFY(S_ISLNK(fileState(link).mode));
}

void TestHelperSecurity::targetHoldsData_kernelPartitionWithoutSignature_needsForce()
{
    // The signature is gone from the disk's start, but the kernel still
    // has a partition on it: something used this disk, so it holds data.
    if (!isRoot())
        QSKIP("needs root: attaches a loop device and partitions it");
    QVERIFY2(haveTool(QStringLiteral("sfdisk")), "sfdisk is missing (fdisk)");
    QVERIFY2(haveTool(QStringLiteral("partx")), "partx is missing (util-linux)");
    const Account& user = *m_user;
    Arena arena(user);
    QVERIFY(arena.ok());
    const QString diskImage = arena.file(QStringLiteral("disk.img"));
    QVERIFY(createSparse(diskImage, 16 * kMiB));
    QString why;
    auto disk = LoopDevice::attach(diskImage, &why, true);
    QVERIFY2(disk, qPrintable(why));
    // MBR, not GPT: a GPT leaves a backup header at the disk's end, which
    // libblkid finds when the one at the start is gone.
    const auto part = runCommand(QStringLiteral("sfdisk"), {QStringLiteral("-q"), disk->path()},
                                 30000, "label: dos\nstart=2048, type=83\n");
    QVERIFY2(part.exitCode == 0, qPrintable(part.err));
    const QString name = QFileInfo(disk->path()).fileName();
    const QString partition = QStringLiteral("/sys/block/%1/%1p1").arg(name);
    // Some kernels do not rescan on sfdisk's request; partx adds the
    // partition explicitly.
    if (!QFileInfo::exists(partition))
        runCommand(QStringLiteral("partx"), {QStringLiteral("-a"), disk->path()});
    QVERIFY2(waitFor([&] { return QFileInfo::exists(partition); }, std::chrono::seconds(5)),
             qPrintable(partition + " did not appear"));
    {
        const int fd = ::open(disk->stdPath().c_str(), O_WRONLY | O_CLOEXEC);
        QVERIFY(fd >= 0);
        const std::vector<char> zeroes(kMiB, 0);
        const bool ok =
            ::pwrite(fd, zeroes.data(), zeroes.size(), 0) == static_cast<ssize_t>(zeroes.size()) &&
            ::fsync(fd) == 0;
        ::close(fd);
        QVERIFY(ok);
    }
    // Where udev rereads the table after the write, the partition is gone;
    // the premise is a partition the kernel has and the disk does not show.
    if (!QFileInfo::exists(partition))
        runCommand(QStringLiteral("addpart"),
                   {disk->path(), QStringLiteral("1"), QStringLiteral("2048"),
                    QString::number(16 * kMiB / 512 - 2048)});
    QVERIFY2(QFileInfo::exists(partition), qPrintable(partition + " is gone after the wipe"));
    const QString id = inspectId(disk->path(), &why);
    QVERIFY2(!id.isEmpty(), qPrintable(why));
    const QString own = arena.userFile(QStringLiteral("own.img"));
    QVERIFY(makeFile(own, kImageSize, 131, user.uid, user.gid, 0644));
    const QByteArray before = contentHash(disk->path());

    auto r = asRoot(
        {QStringLiteral("mirror"), own, disk->path(), QStringLiteral("--complete-when-ready")});
    QString wrong = refusalMismatch(r, QStringLiteral("target holds data"));
    QVERIFY2(wrong.isEmpty(), qPrintable(QStringLiteral("plain root: ") + wrong));
    QVERIFY2(contentHash(disk->path()) == before, "plain root: the disk was written");

    r = elevated(user, {QStringLiteral("mirror"), own, disk->path(), QStringLiteral("--expect-id"),
                        id, QStringLiteral("--complete-when-ready")});
    wrong = refusalMismatch(r, QStringLiteral("target holds data"));
    QVERIFY2(wrong.isEmpty(), qPrintable(QStringLiteral("elevated: ") + wrong));
    QVERIFY2(contentHash(disk->path()) == before, "elevated: the disk was written");

    r = asRoot({QStringLiteral("mirror"), own, disk->path(), QStringLiteral("--force"),
                QStringLiteral("--complete-when-ready")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(QStringLiteral("--force: ") + show(r)));
    QVERIFY2(cmpIdenticalPrefix(own, disk->path(), kImageSize),
             "cmp: the disk's start is no copy of the image");
}

void TestHelperSecurity::sourceFrozen_refusedWithThawHint()
{
    // A file system frozen by someone else cannot be frozen for the final
    // copy, and nothing here would thaw it: refuse before copying, and say
    // how to thaw it. It must not hang either.
    if (!isRoot())
        QSKIP("needs root: attaches a loop device, mounts and freezes a file system");
    QVERIFY2(haveTool(QStringLiteral("mkfs.ext4")), "mkfs.ext4 is missing (e2fsprogs)");
    QVERIFY2(haveTool(QStringLiteral("fsfreeze")), "fsfreeze is missing (util-linux)");
    Arena arena(*m_user);
    QVERIFY(arena.ok());
    const QString fsImage = arena.file(QStringLiteral("fs.img"));
    QVERIFY(createSparse(fsImage, 64 * kMiB));
    QString why;
    auto source = LoopDevice::attach(fsImage, &why);
    QVERIFY2(source, qPrintable(why));
    const auto mk =
        runCommand(QStringLiteral("mkfs.ext4"),
                   {QStringLiteral("-q"), QStringLiteral("-F"), QStringLiteral("-E"),
                    QStringLiteral("lazy_itable_init=0,lazy_journal_init=0"), source->path()});
    QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
    const QString mountPoint = arena.file(QStringLiteral("mnt"));
    QVERIFY(QDir().mkpath(mountPoint));
    MountGuard mount(source->path(), mountPoint);
    QVERIFY2(mount.mounted(), qPrintable("cannot mount " + source->path()));
    // A file system in use holds files; the check at start asks through one
    // (an empty one is only found frozen when Complete tries to freeze it).
    {
        QFile file(mountPoint + QStringLiteral("/notes.txt"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.write(QByteArray(8192, 'n')) == 8192);
    }
    ::sync();
    QVERIFY2(mount.freeze(), qPrintable("cannot freeze " + mountPoint));

    const QString target = arena.file(QStringLiteral("copy.img"));
    QProcess cli;
    cli.setProcessEnvironment(rootEnvironment());
    QElapsedTimer clock;
    clock.start();
    cli.start(cliPath(), {QStringLiteral("mirror"), source->path(), target,
                          QStringLiteral("--complete-when-ready")});
    QVERIFY(cli.waitForStarted(10000));
    if (!cli.waitForFinished(30000)) {
        // Thawed first: a process stuck in a frozen file system does not
        // die of SIGKILL until then.
        mount.thaw();
        cli.kill();
        cli.waitForFinished(10000);
        QFAIL(qPrintable(QStringLiteral("still running after 30 s with the source frozen:\n") +
                         QString::fromLocal8Bit(cli.readAllStandardError().right(3000))));
    }
    CommandResult r;
    r.started = true;
    r.exitCode = cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -3;
    r.out = QString::fromLocal8Bit(cli.readAllStandardOutput());
    r.err = QString::fromLocal8Bit(cli.readAllStandardError());
    qInfo("frozen source: answered after %.2f s", static_cast<double>(clock.elapsed()) / 1000);
    const QString wrong = refusalMismatch(r, QStringLiteral("source frozen"));
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong));
    QVERIFY2((r.out + r.err).contains(QStringLiteral("fsfreeze -u")), qPrintable(show(r)));
    QVERIFY2(!fileState(target).exists, qPrintable(target + " was created: " + show(r)));
}

QTEST_GUILESS_MAIN(TestHelperSecurity)
#include "tst_helper_security.moc"
