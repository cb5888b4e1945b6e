// What the desktop app's helper process relies on: drivemirror-cli started
// with --json as the app starts it, its first and last lines, refusals as
// one JSON error, stdin closed as a cancel, and who owns a created target.
#include "cli_test_support.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstdint>

using namespace clitest;
using namespace testsupport;

class TestCliHelper : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // The helper protocol.
    void helper_jobStartedFirst_outcomeLast();
    void helper_refusalIsOneJsonError();
    void helper_stdinClosed_cancels();
    void helper_createdTarget_belongsToInvokingUser();

private:
    QString bigSource() { return m_bigSource.path(); }
    BigSource m_bigSource;
};

void TestCliHelper::initTestCase()
{
    initCliSuite();
}

// ---------------------------------------------------------------------------
// The helper protocol

void TestCliHelper::helper_jobStartedFirst_outcomeLast()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("new.img")); // created by the job
    const std::uint64_t size = 24 * kMiB;
    QVERIFY(makeImage(src, size, {{0, 4 * kMiB, false, 7}}));
    const auto r =
        cli({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
             QStringLiteral("--complete-when-ready"), QStringLiteral("--map-cells"),
             QStringLiteral("64"), QStringLiteral("--progress-interval"), QStringLiteral("50"),
             QStringLiteral("--granularity"), QStringLiteral("1M")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    const auto json = parseJsonLines(r.out);
    QVERIFY(json.bad.isEmpty());
    QVERIFY(!json.objects.isEmpty());
    const QJsonObject first = json.objects.first();
    QVERIFY2(isEvent(first, QStringLiteral("JOB_STARTED")), qPrintable(show(r)));
    const auto d = first.value(QStringLiteral("data")).toObject();
    QCOMPARE(d.value(QStringLiteral("len")).toInteger(), static_cast<qint64>(size));
    QCOMPARE(d.value(QStringLiteral("granularity")).toInteger(), static_cast<qint64>(kMiB));
    QCOMPARE(d.value(QStringLiteral("live")), QJsonValue(false));
    QCOMPARE(d.value(QStringLiteral("target-created")), QJsonValue(true));
    QCOMPARE(d.value(QStringLiteral("source")), QJsonValue(src));
    QCOMPARE(d.value(QStringLiteral("target")), QJsonValue(dst));
    QVERIFY(d.value(QStringLiteral("mount-points")).toArray().isEmpty());
    QCOMPARE(eventsNamed(json.objects, QStringLiteral("JOB_STARTED")).size(), 1);
    const QJsonObject last = lastEvent(json.objects);
    QVERIFY(isEvent(last, QStringLiteral("BLOCK_JOB_COMPLETED")));
    QCOMPARE(last.value(QStringLiteral("data")).toObject().value(QStringLiteral("outcome")),
             QJsonValue(QStringLiteral("completed")));
    // Progress events carry the map, at most one cell per granule: 24 cells
    // of two hex digits, though 64 were asked for.
    const auto progress = eventsNamed(json.objects, QStringLiteral("BLOCK_JOB_PROGRESS"));
    for (const auto& e : progress) {
        const QString map =
            e.value(QStringLiteral("data")).toObject().value(QStringLiteral("map")).toString();
        QCOMPARE(map.size(), 48);
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]+$")).match(map).hasMatch());
    }
    QVERIFY2(cmpIdentical(src, dst), "cmp: target differs from source");
}

void TestCliHelper::helper_refusalIsOneJsonError()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeImage(src, 8 * kMiB, {{0, kMiB, false, 3}}));
    const auto r = cli({QStringLiteral("mirror"), src, src, QStringLiteral("--json")});
    QVERIFY2(r.exitCode == kExitBadInput, qPrintable(show(r)));
    const auto json = parseJsonLines(r.out);
    QVERIFY(json.bad.isEmpty());
    QCOMPARE(json.objects.size(), 1);
    const auto e = json.objects.first().value(QStringLiteral("error")).toObject();
    QVERIFY2(e.value(QStringLiteral("desc"))
                 .toString()
                 .contains(QStringLiteral("(rule: source is target)")),
             qPrintable(show(r)));
    QVERIFY(e.value(QStringLiteral("errno")).toInt() > 0);
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
}

void TestCliHelper::helper_stdinClosed_cancels()
{
    const QString src = bigSource();
    QVERIFY(!src.isEmpty());
    ScratchDir dir;
    const QString dst = dir.file(QStringLiteral("dst.img"));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                     QStringLiteral("--cancel-on-eof"), QStringLiteral("--speed"),
                     QStringLiteral("8M")}));
    QVERIFY2(s.waitForEvent(QStringLiteral("JOB_STARTED"), 20000) >= 0, qPrintable(s.transcript()));
    s.closeStdin();
    QCOMPARE(s.finish(20000), kExitAborted);
    const QJsonObject last = lastEvent(s.lines());
    QVERIFY2(isEvent(last, QStringLiteral("BLOCK_JOB_CANCELLED")), qPrintable(s.transcript()));
    QCOMPARE(last.value(QStringLiteral("data")).toObject().value(QStringLiteral("outcome")),
             QJsonValue(QStringLiteral("aborted")));

    // Without the option a closed stdin changes nothing: the job goes on.
    CliSession plain;
    QVERIFY(
        plain.start({QStringLiteral("mirror"), src, dir.file(QStringLiteral("dst2.img")),
                     QStringLiteral("--json"), QStringLiteral("--speed"), QStringLiteral("8M")}));
    QVERIFY(plain.waitForEvent(QStringLiteral("JOB_STARTED"), 20000) >= 0);
    plain.closeStdin();
    QCOMPARE(plain.waitForEvent(QStringLiteral("BLOCK_JOB_CANCELLED"), 1500), -1);
    QVERIFY(::kill(static_cast<pid_t>(plain.pid()), SIGTERM) == 0);
    QCOMPARE(plain.finish(20000), kExitAborted);
}

void TestCliHelper::helper_createdTarget_belongsToInvokingUser()
{
    if (!isRoot())
        QSKIP("needs root: a disk source and a user the helper acts for");
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeImage(src, 8 * kMiB, {{0, kMiB, false, 5}}));
    QString why;
    auto loop = LoopDevice::attach(src, &why);
    QVERIFY2(loop, qPrintable(why));
    // The user's own directory: the helper creates the copy there as him.
    QVERIFY(::chmod(QFile::encodeName(dir.path()).constData(), 0755) == 0);
    const QString home = dir.file(QStringLiteral("home"));
    QVERIFY(QDir().mkpath(home));
    QVERIFY(::chown(QFile::encodeName(home).constData(), 65534, 65534) == 0);
    const QString dst = home + QStringLiteral("/users-copy.img");
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("PKEXEC_UID"), QStringLiteral("65534"));
    env.remove(QStringLiteral("SUDO_UID"));
    CliSession s;
    s.setEnvironment(env);
    QVERIFY(s.start({QStringLiteral("mirror"), loop->path(), dst, QStringLiteral("--json"),
                     QStringLiteral("--complete-when-ready"), QStringLiteral("--expect-id"),
                     QStringLiteral("absent")}));
    QCOMPARE(s.finish(30000), kExitOk);
    QVERIFY(cmpIdentical(loop->path(), dst));
    struct stat st
    {
    };
    QVERIFY(::stat(QFile::encodeName(dst).constData(), &st) == 0);
    QCOMPARE(st.st_uid, static_cast<uid_t>(65534));
    QCOMPARE(st.st_gid, static_cast<gid_t>(65534));
    // An existing target keeps its owner.
    const QString existing = home + QStringLiteral("/existing.img");
    QVERIFY(createSparse(existing, 8 * kMiB));
    QVERIFY(::chown(QFile::encodeName(existing).constData(), 65534, 0) == 0);
    QVERIFY(::stat(QFile::encodeName(existing).constData(), &st) == 0);
    const QString id = QStringLiteral("file:%1:%2:%3:%4")
                           .arg(major(st.st_dev))
                           .arg(minor(st.st_dev))
                           .arg(st.st_ino)
                           .arg(st.st_size);
    CliSession again;
    again.setEnvironment(env);
    QVERIFY(
        again.start({QStringLiteral("mirror"), loop->path(), existing, QStringLiteral("--json"),
                     QStringLiteral("--complete-when-ready"), QStringLiteral("--expect-id"), id}));
    QCOMPARE(again.finish(30000), kExitOk);
    QVERIFY(::stat(QFile::encodeName(existing).constData(), &st) == 0);
    QCOMPARE(st.st_uid, static_cast<uid_t>(65534));
    QCOMPARE(st.st_gid, static_cast<gid_t>(0));
    QVERIFY(cmpIdentical(loop->path(), existing));
}

QTEST_GUILESS_MAIN(TestCliHelper)
#include "tst_cli_helper.moc"
