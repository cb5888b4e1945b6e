#include "polkit_sandbox.h"

#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QThread>

#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace testsupport {

namespace {

constexpr const char* kUser = "drivemirror-test";
constexpr const char* kBusSocket = "/run/dbus/system_bus_socket";
constexpr const char* kPolkitd = "/usr/lib/polkit-1/polkitd";
constexpr const char* kRulesDir = "/etc/polkit-1/rules.d";

bool processRunning(const QString& name)
{
    return runCommand(QStringLiteral("pgrep"), {QStringLiteral("-x"), name}).exitCode == 0;
}

// A socket file may outlive its bus: only a connection tells.
bool busListening()
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, kBusSocket, sizeof addr.sun_path - 1);
    const bool ok = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

QString jsString(const QString& s)
{
    QString out = s;
    out.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    out.replace(QLatin1Char('"'), QStringLiteral("\\\""));
    return QLatin1Char('"') + out + QLatin1Char('"');
}

} // namespace

QStringList PolkitSandbox::pkexecAsUser() const
{
    return {QStringLiteral("runuser"), QStringLiteral("-u"), m_user, QStringLiteral("--"),
            QStringLiteral("pkexec")};
}

QStringList PolkitSandbox::pkexecAsStranger()
{
    return {QStringLiteral("runuser"), QStringLiteral("-u"), QStringLiteral("nobody"),
            QStringLiteral("--"), QStringLiteral("pkexec")};
}

std::unique_ptr<PolkitSandbox> PolkitSandbox::create(const QStringList& programs,
                                                     const QStringList& actions, QString* whyNot)
{
    auto fail = [whyNot](const QString& why) {
        if (whyNot)
            *whyNot = why;
        return nullptr;
    };
    if (!isRoot())
        return fail(QStringLiteral("needs root: starts polkitd and writes a polkit rule"));
    const QString pkexec = QStandardPaths::findExecutable(QStringLiteral("pkexec"));
    if (pkexec.isEmpty())
        return fail(QStringLiteral("pkexec is missing (apt-get install pkexec)"));
    if (!QFileInfo::exists(QString::fromLatin1(kPolkitd)))
        return fail(QStringLiteral("polkitd is missing (apt-get install polkitd)"));
    std::unique_ptr<PolkitSandbox> s(new PolkitSandbox);

    s->m_user = QString::fromLatin1(kUser);
    if (!::getpwnam(kUser)) {
        const auto add =
            runCommand(QStringLiteral("useradd"),
                       {QStringLiteral("--system"), QStringLiteral("--no-create-home"),
                        QStringLiteral("--shell"), QStringLiteral("/usr/sbin/nologin"), s->m_user});
        if (add.exitCode != 0)
            return fail(QStringLiteral("useradd %1: %2").arg(s->m_user, add.err));
    }
    const passwd* pw = ::getpwnam(kUser);
    if (!pw)
        return fail(QStringLiteral("user %1 does not exist").arg(s->m_user));
    s->m_uid = pw->pw_uid;

    // The rule first: polkitd reads it when it starts, or sees it appear.
    QStringList conditions;
    for (const QString& a : actions)
        conditions << QStringLiteral("action.id == %1").arg(jsString(a));
    for (const QString& p : programs + QStringList{QStringLiteral("/usr/bin/true")})
        conditions << QStringLiteral("(action.id == \"org.freedesktop.policykit.exec\" && "
                                     "action.lookup(\"program\") == %1)")
                          .arg(jsString(p));
    s->m_ruleFile = QStringLiteral("%1/00-drivemirror-test-%2.rules")
                        .arg(QString::fromLatin1(kRulesDir))
                        .arg(::getpid());
    QFile rule(s->m_ruleFile);
    if (!rule.open(QIODevice::WriteOnly))
        return fail(QStringLiteral("cannot write %1: %2").arg(s->m_ruleFile, rule.errorString()));
    rule.write(QStringLiteral("polkit.addRule(function(action, subject) {\n"
                              "    if (subject.user == %1 && (%2))\n"
                              "        return polkit.Result.YES;\n"
                              "});\n")
                   .arg(jsString(s->m_user), conditions.join(QStringLiteral(" || ")))
                   .toUtf8());
    rule.close();

    if (!busListening()) {
        QDir().mkpath(QStringLiteral("/run/dbus"));
        QFile::remove(QString::fromLatin1(kBusSocket)); // a dead bus's socket
        QFile::remove(QStringLiteral("/run/dbus/pid"));
        const auto bus = runCommand(
            QStringLiteral("dbus-daemon"),
            {QStringLiteral("--system"), QStringLiteral("--fork"), QStringLiteral("--print-pid")});
        if (bus.exitCode != 0)
            return fail(QStringLiteral("dbus-daemon --system: %1").arg(bus.err));
        s->m_dbusPid = bus.out.trimmed().toLongLong();
    }
    if (!processRunning(QStringLiteral("polkitd"))) {
        if (!QProcess::startDetached(QString::fromLatin1(kPolkitd), {QStringLiteral("--no-debug")},
                                     QString(), &s->m_polkitdPid))
            return fail(QStringLiteral("cannot start %1").arg(QString::fromLatin1(kPolkitd)));
    }
    // Ready when pkexec says yes for the harmless program.
    for (int i = 0; i < 100; ++i) {
        const auto probe = runCommand(QStringLiteral("runuser"),
                                      {QStringLiteral("-u"), s->m_user, QStringLiteral("--"),
                                       pkexec, QStringLiteral("/usr/bin/true")},
                                      10000);
        if (probe.exitCode == 0)
            return s;
        QThread::msleep(100);
    }
    return fail(QStringLiteral("polkit did not authorise %1 within 10 s").arg(s->m_user));
}

PolkitSandbox::~PolkitSandbox()
{
    if (!m_ruleFile.isEmpty())
        QFile::remove(m_ruleFile);
    if (m_polkitdPid > 0)
        ::kill(static_cast<pid_t>(m_polkitdPid), SIGTERM);
    if (m_dbusPid > 0) {
        ::kill(static_cast<pid_t>(m_dbusPid), SIGTERM);
        // dbus-daemon refuses to start again over a stale pid file.
        waitFor([this] { return !processAlive(m_dbusPid); }, std::chrono::seconds(5));
        QFile::remove(QStringLiteral("/run/dbus/pid"));
    }
}

} // namespace testsupport
