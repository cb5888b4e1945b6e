// A real pkexec for tests: what a desktop session gives an administrator who
// typed their password, without the prompt. A system D-Bus and polkitd
// (started only when not running, and stopped again), a system user, and a
// polkit rule that says yes to that user for the named programs and actions
// (removed at the end). Root only.
#pragma once

#include <QString>
#include <QStringList>

#include <sys/types.h>

#include <memory>

namespace testsupport {

class PolkitSandbox
{
public:
    /// nullptr with a reason when not root, or pkexec, polkitd or
    /// dbus-daemon are missing, or polkit does not start to say yes.
    static std::unique_ptr<PolkitSandbox> create(const QStringList& programs,
                                                 const QStringList& actions, QString* whyNot);
    ~PolkitSandbox();
    PolkitSandbox(const PolkitSandbox&) = delete;
    PolkitSandbox& operator=(const PolkitSandbox&) = delete;

    QString user() const { return m_user; }
    uid_t uid() const { return m_uid; }
    /// Runs what follows as user() through pkexec: {"runuser", "-u", user,
    /// "--", "pkexec"}.
    QStringList pkexecAsUser() const;
    /// The same for a user no rule covers: pkexec finds no agent and refuses.
    static QStringList pkexecAsStranger();

private:
    PolkitSandbox() = default;
    QString m_user;
    uid_t m_uid = 0;
    QString m_ruleFile;
    qint64 m_dbusPid = 0;    ///< started here, stopped at the end
    qint64 m_polkitdPid = 0; ///< started here, stopped at the end
};

} // namespace testsupport
