// `jobs` and `map export` on what real interrupted runs left: a throttled
// mirror killed mid-copy (SIGKILL, as a crash or a power cut leaves it) is
// listed with its ends and progress, its map is read by GNU ddrescuelog, the
// command `jobs` prints goes on with it, and `--discard` removes it; a job
// the user cancels leaves nothing; ranges a failing source (faultfs) could
// not give show as bad areas. Bad ids and arguments are refused in one line.
#include "cli_test_support.h"
#include "fault_fs.h"
#include "test_support.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtTest>

#include <signal.h>

#include <chrono>
#include <thread>

using namespace clitest;
using namespace testsupport;

namespace {

// `jobs --json` of @p stateDir, parsed; an empty object when it fails.
QJsonObject jobsJson(const QString& stateDir, CommandResult* raw = nullptr)
{
    const auto r = cli({QStringLiteral("jobs"), QStringLiteral("--state-dir"), stateDir,
                        QStringLiteral("--json")});
    if (raw)
        *raw = r;
    if (r.exitCode != kExitOk)
        return {};
    return QJsonDocument::fromJson(r.out.toUtf8()).object();
}

QJsonArray jobsOf(const QString& stateDir)
{
    return jobsJson(stateDir).value(QStringLiteral("jobs")).toArray();
}

// Polls `jobs --json` (a process a turn, so not too often) until its one job
// satisfies @p pred; that job, or an empty object when time ran out.
QJsonObject waitForJob(const QString& stateDir, const std::function<bool(const QJsonObject&)>& pred,
                       std::chrono::milliseconds limit = std::chrono::seconds(60))
{
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
        const QJsonArray jobs = jobsOf(stateDir);
        if (jobs.size() == 1 && pred(jobs.first().toObject()))
            return jobs.first().toObject();
        std::this_thread::sleep_for(std::chrono::milliseconds(150));
    }
    return {};
}

// A size as `ddrescuelog -t` shows it: from a million on in kB, MB...,
// truncated.
QString shownByDdrescuelog(qint64 bytes)
{
    const char* units[] = {"B", "kB", "MB", "GB", "TB"};
    int unit = 0;
    while (bytes >= 1000000 && unit < 4) {
        bytes /= 1000;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(bytes).arg(QLatin1String(units[unit]));
}

// "rescued:   131636 B,  in      3 area(s)" of `ddrescuelog -t`: the size
// as shown, and the number of areas.
std::optional<std::pair<QString, int>> statusLine(const QString& status, const QString& name)
{
    const QRegularExpression re(QStringLiteral("%1:\\s+(\\d+ [kMGT]?B),\\s+in\\s+(\\d+) area")
                                    .arg(QRegularExpression::escape(name)));
    const auto m = re.match(status);
    if (!m.hasMatch())
        return std::nullopt;
    return std::make_pair(m.captured(1), m.captured(2).toInt());
}

QString ddrescuelog()
{
    return QStandardPaths::findExecutable(QStringLiteral("ddrescuelog"));
}

QString canonical(const QString& path)
{
    return QFileInfo(path).canonicalFilePath();
}

} // namespace

class TestCliJobs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void killed_listedExportedAndResumedByItsCommand();
    void killed_discardRemovesIt();
    void cancelled_leavesNoJob();
    void emptyOrMissingStateDir_saysSo();
    void badIdsAndArguments_refusedInOneLine_data();
    void badIdsAndArguments_refusedInOneLine();
    void unreadableSource_mapShowsTheBadArea();

private:
    // Starts a throttled mirror of a fresh 64 MiB image into m_dir/NAME and
    // kills it with SIGKILL once a checkpoint holds some of it in sync.
    // Returns the job as `jobs --json` lists it.
    QJsonObject killMidCopy(const QString& name, const QString& stateDir, QString* src,
                            QString* dst);

    std::unique_ptr<ScratchDir> m_dir;
};

void TestCliJobs::initTestCase()
{
    initCliSuite();
    m_dir = std::make_unique<ScratchDir>();
    QVERIFY(m_dir->isValid());
}

QJsonObject TestCliJobs::killMidCopy(const QString& name, const QString& stateDir, QString* src,
                                     QString* dst)
{
    *src = m_dir->file(name + QStringLiteral("-src.img"));
    *dst = m_dir->file(name + QStringLiteral("-dst.img"));
    if (!makeFilled(*src, 64 * kMiB, 77))
        return {};
    CliSession s;
    // 8 MiB/s: eight seconds for the whole image, so that the kill comes
    // mid-copy even on a busy machine; checkpoints every 0.2 s.
    if (!s.start({QStringLiteral("mirror"), *src, *dst, QStringLiteral("--state-dir"), stateDir,
                  QStringLiteral("--speed"), QStringLiteral("8M"),
                  QStringLiteral("--checkpoint-interval"), QStringLiteral("0.2"),
                  QStringLiteral("--json")}))
        return {};
    const QJsonObject job = waitForJob(stateDir, [](const QJsonObject& j) {
        return j.value(QStringLiteral("in-sync")).toInteger() >= qint64(4 * kMiB);
    });
    s.signal(SIGKILL);
    if (s.finish(30000) != -3)
        qWarning("the job was not killed: it ended first");
    if (job.isEmpty())
        qWarning().noquote() << s.transcript();
    // What the kill left, not what was seen before it.
    const QJsonArray after = jobsOf(stateDir);
    return after.size() == 1 ? after.first().toObject() : QJsonObject();
}

void TestCliJobs::killed_listedExportedAndResumedByItsCommand()
{
    const QString state = m_dir->file(QStringLiteral("state-listed"));
    QString src;
    QString dst;
    const qint64 started = QDateTime::currentSecsSinceEpoch();
    const QJsonObject job = killMidCopy(QStringLiteral("listed"), state, &src, &dst);
    QVERIFY2(!job.isEmpty(), "no job listed after the kill");

    // --json: the same job with every field.
    const QString id = job.value(QStringLiteral("id")).toString();
    QVERIFY2(QRegularExpression(QStringLiteral("^job-[0-9a-f]{16}$")).match(id).hasMatch(),
             qPrintable(id));
    QCOMPARE(job.value(QStringLiteral("source")).toString(), canonical(src));
    QCOMPARE(job.value(QStringLiteral("target")).toString(), canonical(dst));
    const qint64 size = job.value(QStringLiteral("size")).toInteger();
    const qint64 inSync = job.value(QStringLiteral("in-sync")).toInteger();
    const double percent = job.value(QStringLiteral("in-sync-percent")).toDouble();
    QCOMPARE(size, qint64(64 * kMiB));
    QVERIFY2(inSync > 0 && inSync < size, qPrintable(QString::number(inSync)));
    QVERIFY2(percent > 0 && percent < 100, qPrintable(QString::number(percent)));
    QVERIFY(qAbs(percent - 100.0 * double(inSync) / double(size)) < 0.01);
    QCOMPARE(job.value(QStringLiteral("granularity")).toInteger(), qint64(64 * kKiB));
    QCOMPARE(job.value(QStringLiteral("sync")).toString(), QStringLiteral("full"));
    const qint64 savedAt = job.value(QStringLiteral("saved-at")).toInteger();
    QVERIFY2(savedAt >= started - 1 && savedAt <= QDateTime::currentSecsSinceEpoch(),
             qPrintable(QString::number(savedAt)));
    QCOMPARE(job.value(QStringLiteral("unreadable-bytes")).toInteger(), 0);
    QVERIFY(QFileInfo::exists(job.value(QStringLiteral("checkpoint")).toString()));
    QStringList resumeArgs;
    for (const auto& v : job.value(QStringLiteral("resume-args")).toArray())
        resumeArgs << v.toString();
    QCOMPARE(resumeArgs,
             (QStringList{QStringLiteral("mirror"), canonical(src), canonical(dst),
                          QStringLiteral("--resume"), QStringLiteral("--state-dir"), state}));
    CommandResult raw;
    QCOMPARE(jobsJson(state, &raw).value(QStringLiteral("state-dir")).toString(), state);
    QCOMPARE(raw.out.count(QLatin1Char('\n')), 1); // one document

    // For a person: the same facts, and the command to paste.
    const auto text = cli({QStringLiteral("jobs"), QStringLiteral("--state-dir"), state});
    QVERIFY2(text.exitCode == kExitOk, qPrintable(show(text)));
    for (const QString& part :
         {id, canonical(src), canonical(dst), QStringLiteral("64.0 MiB"), QStringLiteral("full"),
          QStringLiteral("%"),
          QStringLiteral("drivemirror-cli mirror %1 %2 --resume --state-dir %3")
              .arg(canonical(src), canonical(dst), state)})
        QVERIFY2(text.out.contains(part), qPrintable(part + QStringLiteral("\n") + show(text)));
    // In the default state directory the command needs no --state-dir.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DRIVEMIRROR_STATE_DIR"), state);
    const auto byDefault =
        runCommandIn(env, cliPath(), {QStringLiteral("jobs"), QStringLiteral("--json")});
    QVERIFY2(byDefault.exitCode == kExitOk, qPrintable(show(byDefault)));
    const QJsonArray defaultArgs = QJsonDocument::fromJson(byDefault.out.toUtf8())
                                       .object()
                                       .value(QStringLiteral("jobs"))
                                       .toArray()
                                       .first()
                                       .toObject()
                                       .value(QStringLiteral("resume-args"))
                                       .toArray();
    QCOMPARE(defaultArgs.size(), 4);
    QVERIFY(!byDefault.out.contains(QStringLiteral("--state-dir")));

    // The map, to a file and to stdout alike, as ddrescuelog reads it.
    const QString map = m_dir->file(QStringLiteral("listed.map"));
    const auto exported =
        cli({QStringLiteral("map"), QStringLiteral("export"), id, QStringLiteral("--state-dir"),
             state, QStringLiteral("--output"), map});
    QVERIFY2(exported.exitCode == kExitOk && exported.out.isEmpty(), qPrintable(show(exported)));
    const auto toStdout = cli({QStringLiteral("map"), QStringLiteral("export"), id,
                               QStringLiteral("--state-dir"), state});
    QVERIFY2(toStdout.exitCode == kExitOk, qPrintable(show(toStdout)));
    QFile mapFile(map);
    QVERIFY(mapFile.open(QIODevice::ReadOnly));
    QCOMPARE(toStdout.out.toUtf8(), mapFile.readAll());
    if (ddrescuelog().isEmpty()) {
        qWarning("ddrescuelog (package gddrescue) is missing: the map is not checked by it");
    } else {
        const auto status = runCommand(ddrescuelog(), {QStringLiteral("-t"), map});
        QVERIFY2(status.exitCode == 0, qPrintable(status.err + status.out));
        const auto rescued = statusLine(status.out, QStringLiteral("rescued"));
        const auto nonTried = statusLine(status.out, QStringLiteral("non-tried"));
        const auto bad = statusLine(status.out, QStringLiteral("bad-sector"));
        QVERIFY2(rescued && nonTried && bad, qPrintable(status.out));
        QCOMPARE(rescued->first, shownByDdrescuelog(inSync));
        QCOMPARE(nonTried->first, shownByDdrescuelog(size - inSync));
        QCOMPARE(bad->second, 0);
    }

    // The command it printed goes on with the job, and that job, complete,
    // leaves nothing behind.
    const auto resumed =
        cli(resumeArgs + QStringList{QStringLiteral("--complete-when-ready")}, 120000);
    QVERIFY2(resumed.exitCode == kExitOk, qPrintable(show(resumed)));
    QVERIFY2(cmpIdentical(src, dst), "cmp: the resumed copy differs from its source");
    const auto none = cli({QStringLiteral("jobs"), QStringLiteral("--state-dir"), state});
    QCOMPARE(none.exitCode, kExitOk);
    QCOMPARE(none.out, QStringLiteral("no interrupted jobs in %1\n").arg(state));
}

void TestCliJobs::killed_discardRemovesIt()
{
    const QString state = m_dir->file(QStringLiteral("state-discard"));
    QString src;
    QString dst;
    const QJsonObject job = killMidCopy(QStringLiteral("discard"), state, &src, &dst);
    QVERIFY2(!job.isEmpty(), "no job listed after the kill");
    const QString id = job.value(QStringLiteral("id")).toString();

    // Another well-formed id that names no job: refused, nothing removed.
    const auto unknown = cli({QStringLiteral("jobs"), QStringLiteral("--state-dir"), state,
                              QStringLiteral("--discard"), QStringLiteral("job-0123456789abcdef")});
    QCOMPARE(unknown.exitCode, kExitBadInput);
    QVERIFY2(isOneLineError(unknown.err), qPrintable(show(unknown)));
    QVERIFY2(unknown.err.contains(QStringLiteral("job-0123456789abcdef")), qPrintable(unknown.err));
    QCOMPARE(jobsOf(state).size(), 1);

    const auto discarded = cli({QStringLiteral("jobs"), QStringLiteral("--state-dir"), state,
                                QStringLiteral("--discard"), id, QStringLiteral("--json")});
    QVERIFY2(discarded.exitCode == kExitOk, qPrintable(show(discarded)));
    QCOMPARE(QJsonDocument::fromJson(discarded.out.toUtf8())
                 .object()
                 .value(QStringLiteral("return"))
                 .toObject()
                 .value(QStringLiteral("id"))
                 .toString(),
             id);
    QVERIFY2(dirEntries(state).filter(id).isEmpty(),
             qPrintable(dirEntries(state).join(QLatin1Char(' '))));
    QCOMPARE(jobsOf(state).size(), 0);
    // Gone: a second discard and an export are refused.
    const auto again = cli({QStringLiteral("jobs"), QStringLiteral("--state-dir"), state,
                            QStringLiteral("--discard"), id});
    QCOMPARE(again.exitCode, kExitBadInput);
    QVERIFY2(isOneLineError(again.err), qPrintable(show(again)));
    const auto exported = cli({QStringLiteral("map"), QStringLiteral("export"), id,
                               QStringLiteral("--state-dir"), state});
    QCOMPARE(exported.exitCode, kExitBadInput);
    QVERIFY2(isOneLineError(exported.err), qPrintable(show(exported)));
    QVERIFY(exported.out.isEmpty());
}

void TestCliJobs::cancelled_leavesNoJob()
{
    const QString state = m_dir->file(QStringLiteral("state-cancel"));
    const QString src = m_dir->file(QStringLiteral("cancel-src.img"));
    const QString dst = m_dir->file(QStringLiteral("cancel-dst.img"));
    QVERIFY(makeFilled(src, 64 * kMiB, 78));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--state-dir"), state,
                     QStringLiteral("--speed"), QStringLiteral("8M"),
                     QStringLiteral("--checkpoint-interval"), QStringLiteral("0.2"),
                     QStringLiteral("--json")}));
    const QJsonObject job = waitForJob(state, [](const QJsonObject& j) {
        return j.value(QStringLiteral("in-sync")).toInteger() > 0;
    });
    QVERIFY2(!job.isEmpty(), qPrintable(s.transcript()));
    QVERIFY(s.command("cancel"));
    QCOMPARE(s.finish(30000), kExitAborted);
    QCOMPARE(jobsOf(state).size(), 0);
    QVERIFY2(dirEntries(state).filter(job.value(QStringLiteral("id")).toString()).isEmpty(),
             qPrintable(dirEntries(state).join(QLatin1Char(' '))));
}

void TestCliJobs::emptyOrMissingStateDir_saysSo()
{
    const QString empty = m_dir->file(QStringLiteral("state-empty"));
    QVERIFY(QDir().mkpath(empty));
    const QString missing = m_dir->file(QStringLiteral("state-missing"));
    for (const QString& dir : {empty, missing}) {
        const auto text = cli({QStringLiteral("jobs"), QStringLiteral("--state-dir=") + dir});
        QVERIFY2(text.exitCode == kExitOk, qPrintable(show(text)));
        QCOMPARE(text.out, QStringLiteral("no interrupted jobs in %1\n").arg(dir));
        QVERIFY(text.err.isEmpty());
        CommandResult raw;
        const QJsonObject json = jobsJson(dir, &raw);
        QVERIFY2(raw.exitCode == kExitOk, qPrintable(show(raw)));
        QCOMPARE(json.value(QStringLiteral("state-dir")).toString(), dir);
        QVERIFY(json.value(QStringLiteral("jobs")).isArray());
        QCOMPARE(json.value(QStringLiteral("jobs")).toArray().size(), 0);
    }
    QVERIFY2(!QFileInfo::exists(missing), "listing created the state directory");
    // Named as the command it prints will need it from anywhere: absolute,
    // without a trailing slash.
    const auto relative = cli({QStringLiteral("jobs"), QStringLiteral("--state-dir"),
                               QStringLiteral("drivemirror-no-such-state/./")});
    QCOMPARE(relative.exitCode, kExitOk);
    QCOMPARE(relative.out, QStringLiteral("no interrupted jobs in %1/drivemirror-no-such-state\n")
                               .arg(QDir::currentPath()));
    // Without --state-dir: $DRIVEMIRROR_STATE_DIR.
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("DRIVEMIRROR_STATE_DIR"), missing);
    const auto byDefault = runCommandIn(env, cliPath(), {QStringLiteral("jobs")});
    QCOMPARE(byDefault.exitCode, kExitOk);
    QCOMPARE(byDefault.out, QStringLiteral("no interrupted jobs in %1\n").arg(missing));
}

void TestCliJobs::badIdsAndArguments_refusedInOneLine_data()
{
    QTest::addColumn<QStringList>("args");
    const QString state = QStringLiteral("--state-dir=/nonexistent/drivemirror-state");
    const QString jobs = QStringLiteral("jobs");
    const QString discard = QStringLiteral("--discard");
    const QString map = QStringLiteral("map");
    const QString exportWord = QStringLiteral("export");
    QTest::newRow("discard: not an id") << QStringList{jobs, state, discard, QStringLiteral("x")};
    QTest::newRow("discard: a path")
        << QStringList{jobs, state, discard, QStringLiteral("../../etc/passwd")};
    QTest::newRow("discard: upper-case hex")
        << QStringList{jobs, state, discard, QStringLiteral("job-0123456789ABCDEF")};
    QTest::newRow("discard: one digit short")
        << QStringList{jobs, state, discard, QStringLiteral("job-0123456789abcde")};
    QTest::newRow("discard: unknown")
        << QStringList{jobs, state, discard, QStringLiteral("job-0123456789abcdef")};
    QTest::newRow("discard: no value") << QStringList{jobs, state, discard};
    QTest::newRow("discard: empty") << QStringList{jobs, state, QStringLiteral("--discard=")};
    QTest::newRow("discard: twice") << QStringList{jobs,    state,
                                                   discard, QStringLiteral("job-0123456789abcdef"),
                                                   discard, QStringLiteral("job-0123456789abcdef")};
    QTest::newRow("jobs: unknown option") << QStringList{jobs, QStringLiteral("--all")};
    QTest::newRow("jobs: an operand") << QStringList{jobs, QStringLiteral("job-0123456789abcdef")};
    QTest::newRow("jobs: state-dir empty") << QStringList{jobs, QStringLiteral("--state-dir=")};
    QTest::newRow("jobs: state-dir twice") << QStringList{jobs, state, state};
    QTest::newRow("map: no sub-command") << QStringList{map};
    QTest::newRow("map: unknown sub-command") << QStringList{map, QStringLiteral("import")};
    QTest::newRow("map export: no id") << QStringList{map, exportWord, state};
    QTest::newRow("map export: two ids")
        << QStringList{map, exportWord, QStringLiteral("job-0123456789abcdef"),
                       QStringLiteral("job-0123456789abcde0"), state};
    QTest::newRow("map export: unknown id")
        << QStringList{map, exportWord, QStringLiteral("job-0123456789abcdef"), state};
    QTest::newRow("map export: a path as id")
        << QStringList{map, exportWord, QStringLiteral("../job-0123456789abcdef"), state};
    QTest::newRow("map export: unknown option") << QStringList{
        map, exportWord, QStringLiteral("job-0123456789abcdef"), QStringLiteral("--format=list")};
    QTest::newRow("map export: output empty") << QStringList{
        map, exportWord, QStringLiteral("job-0123456789abcdef"), QStringLiteral("--output=")};
}

void TestCliJobs::badIdsAndArguments_refusedInOneLine()
{
    QFETCH(QStringList, args);
    const auto r = cli(args);
    QCOMPARE(r.exitCode, kExitBadInput);
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
    QVERIFY2(r.out.isEmpty(), qPrintable(show(r)));
}

void TestCliJobs::unreadableSource_mapShowsTheBadArea()
{
    QString why;
    if (!FaultFs::available(&why))
        QSKIP(qPrintable(why));
    const QString backing = m_dir->file(QStringLiteral("faulty-backing.img"));
    const QString dst = m_dir->file(QStringLiteral("faulty-dst.img"));
    const QString state = m_dir->file(QStringLiteral("state-faulty"));
    QVERIFY(makeFilled(backing, 32 * kMiB, 79));
    // One unreadable 4 KiB block at 1 MiB, early in the copy.
    const qint64 badOffset = 1 * kMiB;
    auto fs = FaultFs::mount(
        backing, {QStringLiteral("--read-error"), QStringLiteral("1048576:4096:EIO")}, &why);
    QVERIFY2(fs, qPrintable(why));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), fs->diskPath(), dst, QStringLiteral("--state-dir"),
                     state, QStringLiteral("--on-source-error"), QStringLiteral("ignore"),
                     QStringLiteral("--speed"), QStringLiteral("4M"),
                     QStringLiteral("--checkpoint-interval"), QStringLiteral("0.2"),
                     QStringLiteral("--json")}));
    // Past the bad block and checkpointed with it, then ended by a signal:
    // a job ended so keeps its journal as a killed one does.
    const QJsonObject seen = waitForJob(state, [&](const QJsonObject& j) {
        return j.value(QStringLiteral("unreadable-bytes")).toInteger() > 0 &&
               j.value(QStringLiteral("in-sync")).toInteger() >= badOffset + qint64(2 * kMiB);
    });
    QVERIFY2(!seen.isEmpty(), qPrintable(s.transcript()));
    s.signal(SIGTERM);
    const int code = s.finish(30000);
    QVERIFY2(code == kExitAborted || code == kExitSkipped, qPrintable(s.transcript()));
    const QString checkpoint = lastEvent(s.lines())
                                   .value(QStringLiteral("data"))
                                   .toObject()
                                   .value(QStringLiteral("checkpoint"))
                                   .toString();
    QVERIFY2(!checkpoint.isEmpty() && QFileInfo::exists(checkpoint), qPrintable(s.transcript()));

    const QJsonArray jobs = jobsOf(state);
    QCOMPARE(jobs.size(), 1);
    const QJsonObject job = jobs.first().toObject();
    QCOMPARE(job.value(QStringLiteral("source")).toString(), canonical(fs->diskPath()));
    QCOMPARE(job.value(QStringLiteral("unreadable-bytes")).toInteger(), 4096);
    const QJsonArray unreadable = job.value(QStringLiteral("unreadable")).toArray();
    QCOMPARE(unreadable.size(), 1);
    QCOMPARE(unreadable.first().toObject().value(QStringLiteral("offset")).toInteger(), badOffset);
    const auto text = cli({QStringLiteral("jobs"), QStringLiteral("--state-dir"), state});
    QVERIFY2(text.out.contains(QStringLiteral("unreadable:")) &&
                 text.out.contains(QStringLiteral("4.00 KiB read as zeroes")),
             qPrintable(show(text)));

    const QString id = job.value(QStringLiteral("id")).toString();
    const QString map = m_dir->file(QStringLiteral("faulty.map"));
    const auto exported =
        cli({QStringLiteral("map"), QStringLiteral("export"), id, QStringLiteral("--state-dir"),
             state, QStringLiteral("--output"), map});
    QVERIFY2(exported.exitCode == kExitOk, qPrintable(show(exported)));
    const QString text2 = QString::fromUtf8([&] {
        QFile f(map);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }());
    QVERIFY2(text2.contains(QStringLiteral("0x00100000  0x00001000  -")), qPrintable(text2));
    if (ddrescuelog().isEmpty())
        QSKIP("ddrescuelog (package gddrescue) is missing: the bad area is in the map text, "
              "but not checked by ddrescuelog");
    const auto status = runCommand(ddrescuelog(), {QStringLiteral("-t"), map});
    QVERIFY2(status.exitCode == 0, qPrintable(status.err + status.out));
    const auto bad = statusLine(status.out, QStringLiteral("bad-sector"));
    const auto rescued = statusLine(status.out, QStringLiteral("rescued"));
    QVERIFY2(bad && rescued, qPrintable(status.out));
    QCOMPARE(bad->first, QStringLiteral("4096 B"));
    QCOMPARE(bad->second, 1);
    const qint64 inSync = job.value(QStringLiteral("in-sync")).toInteger();
    QCOMPARE(rescued->first, shownByDdrescuelog(inSync - 4096));
    // The bad sectors, exactly: 2048..2055 of 512 bytes.
    const auto list = runCommand(ddrescuelog(), {QStringLiteral("-l-"), map});
    QVERIFY2(list.exitCode == 0, qPrintable(list.err));
    QStringList expected;
    for (int sector = 2048; sector < 2056; ++sector)
        expected << QString::number(sector);
    QCOMPARE(list.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts), expected);
}

QTEST_GUILESS_MAIN(TestCliJobs)
#include "tst_cli_jobs.moc"
