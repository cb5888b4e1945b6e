// RemoteJobController against the real drivemirror-cli as its helper (started
// directly instead of through pkexec, which needs a desktop session to ask
// for a password): the same signals and outcomes as the in-process
// controller, refusals from the helper, a dismissed authentication, the
// helper's end when the window goes away, and a live disk as the source.
#include "bridge/error_text.h"
#include "bridge/helper_protocol.h"
#include "bridge/local_job_controller.h"
#include "bridge/remote_job_controller.h"
#include "bridge/routing_job_controller.h"
#include "engine_printers.h"
#include "polkit_sandbox.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

using engine::JobStatus;
using testsupport::ScratchDir;

namespace {

constexpr std::uint64_t kMiB = 1ull << 20;

ui::HelperCommand cliHelper()
{
    return ui::HelperCommand{testsupport::cliPath(), {}};
}

ui::JobRequest request(const QString& source, const QString& target)
{
    ui::JobRequest r;
    r.source = source;
    r.targets = {ui::RequestTarget{target, {}, false}};
    return r;
}

// Processes whose command line mentions @p needle (the helper of a job on a
// uniquely named target).
QList<pid_t> processesMentioning(const QString& needle)
{
    QList<pid_t> out;
    const QByteArray n = QFile::encodeName(needle);
    for (const QString& entry : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool ok = false;
        const pid_t pid = static_cast<pid_t>(entry.toInt(&ok));
        if (!ok || pid == ::getpid())
            continue;
        QFile f(QStringLiteral("/proc/%1/cmdline").arg(entry));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        if (f.readAll().contains(n))
            out << pid;
    }
    return out;
}

// An executable shell script in @p dir with @p text.
QString writeScript(const ScratchDir& dir, const QString& text)
{
    const QString path = dir.file(QStringLiteral("helper.sh"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(text.toUtf8());
    f.close();
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

std::vector<JobStatus> statusesOf(const QSignalSpy& spy)
{
    std::vector<JobStatus> seen;
    for (const auto& args : spy)
        seen.push_back(args.front().value<JobStatus>());
    return seen;
}

} // namespace

class TestRemoteJobController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(QFileInfo(testsupport::cliPath()).isExecutable(),
                 "DRIVEMIRROR_CLI must name the built drivemirror-cli (ctest sets it)");
    }

    void protocol_dirtyMapParsing()
    {
        QJsonObject data{{QStringLiteral("map"), QStringLiteral("00ff80")},
                         {QStringLiteral("granularity"), 65536}};
        auto m = ui::parseDirtyMap(data, 3 * 65536);
        QVERIFY(m);
        QCOMPARE(m->cells, (std::vector<std::uint8_t>{0, 255, 128}));
        QCOMPARE(m->granularity, std::uint64_t(65536));
        QCOMPARE(m->diskSize, std::uint64_t(3 * 65536));
        data[QStringLiteral("map")] = QStringLiteral("0f0");
        QVERIFY(!ui::parseDirtyMap(data, 1));
        data[QStringLiteral("map")] = QStringLiteral("0g");
        QVERIFY(!ui::parseDirtyMap(data, 1));
        data.remove(QStringLiteral("map"));
        QVERIFY(!ui::parseDirtyMap(data, 1));
        for (std::size_t i = 0; i < engine::kStatusCount; ++i) {
            const auto s = static_cast<JobStatus>(i);
            QVERIFY(ui::parseStatus(QString::fromUtf8(engine::toString(s).data())) == s);
        }
        QVERIFY(!ui::parseStatus(QStringLiteral("flying")));
    }

    void protocol_argumentsCarryConsentAndIdentity()
    {
        ui::JobRequest r = request(QStringLiteral("relative-src.img"), QStringLiteral("/dev/sdz"));
        QStringList a = ui::mirrorArguments(r, 1024);
        QCOMPARE(a.at(1), QDir::current().absoluteFilePath(QStringLiteral("relative-src.img")));
        QVERIFY(!a.contains(QStringLiteral("--force")));
        QVERIFY(!a.contains(QStringLiteral("--overwrite")));
        QVERIFY(!a.contains(QStringLiteral("--expect-id")));
        QVERIFY(a.contains(QStringLiteral("--cancel-on-eof")));
        r.targets[0].overwriteConfirmed = true;
        r.targets[0].expectedId = QStringLiteral("wwn:0x5000");
        r.settings.granularity = 1 << 20;
        r.settings.verify = true;
        a = ui::mirrorArguments(r, 1024);
        // Consent is for the confirmed target alone, never --force for all.
        QVERIFY(!a.contains(QStringLiteral("--force")));
        QCOMPARE(a.at(a.indexOf(QStringLiteral("--overwrite")) + 1), QStringLiteral("/dev/sdz"));
        QCOMPARE(a.at(a.indexOf(QStringLiteral("--expect-id")) + 1), r.targets[0].expectedId);
        QCOMPARE(a.at(a.indexOf(QStringLiteral("--granularity")) + 1), QStringLiteral("1048576"));
        QCOMPARE(a.at(a.indexOf(QStringLiteral("--map-cells")) + 1), QStringLiteral("1024"));
        QVERIFY(a.contains(QStringLiteral("--verify")));
        // An image file's identity goes the same way.
        r.targets[0].expectedId = QStringLiteral("file:259:3:4242:16777216");
        a = ui::mirrorArguments(r, 1024);
        QCOMPARE(a.at(a.indexOf(QStringLiteral("--expect-id")) + 1), r.targets[0].expectedId);
    }

    void protocol_takeLines_keepsAnUnfinishedLine()
    {
        QByteArray pending;
        QCOMPARE(ui::takeLines(pending, "{\"a\":1}\n{\"b\""), QList<QByteArray>{"{\"a\":1}"});
        QCOMPARE(pending, QByteArray("{\"b\""));
        QCOMPARE(ui::takeLines(pending, ":2}\n\nend"),
                 (QList<QByteArray>{"{\"b\":2}", QByteArray()}));
        QCOMPARE(pending, QByteArray("end"));
        QVERIFY(ui::takeLines(pending, QByteArray()).isEmpty());
        QCOMPARE(pending, QByteArray("end"));
    }

    void protocol_helperStderr_errorLinesKept()
    {
        const engine::Logger log = engine::nullLogger();
        QVERIFY(!ui::relayHelperLog("", log));
        QVERIFY(!ui::relayHelperLog("info: copying", log));
        QVERIFY(!ui::relayHelperLog("warning: slow target", log, "station: "));
        QVERIFY(!ui::relayHelperLog("debug: ring of 16", log));
        QCOMPARE(ui::relayHelperLog("error: write /dev/sdz: Input/output error", log),
                 std::optional<QString>(QStringLiteral("write /dev/sdz: Input/output error")));
        QCOMPARE(
            ui::relayHelperLog("drivemirror-cli: refusing target (rule: mounted target)\n", log),
            std::optional<QString>(QStringLiteral("refusing target (rule: mounted target)")));
        // Whatever else it says is an error in its own words.
        QCOMPARE(ui::relayHelperLog("Segmentation fault", log),
                 std::optional<QString>(QStringLiteral("Segmentation fault")));
    }

    void protocol_severalTargetsEachWithItsOwnConsentAndIdentity()
    {
        ui::JobRequest r = request(QStringLiteral("/tmp/src.img"), QStringLiteral("/dev/sdy"));
        r.targets.append(ui::RequestTarget{QStringLiteral("/dev/sdz"), {}, false});
        r.targets.append(ui::RequestTarget{QStringLiteral("/tmp/new.img"), {}, false});
        r.targets[0].expectedId = QStringLiteral("wwn:0x1");
        r.targets[1].expectedId = QStringLiteral("wwn:0x2");
        r.targets[1].overwriteConfirmed = true;
        r.targets[2].expectedId = QStringLiteral("absent");
        const QStringList a = ui::mirrorArguments(r, 256);
        QCOMPARE(a.mid(0, 5), (QStringList{QStringLiteral("mirror"), QStringLiteral("/tmp/src.img"),
                                           QStringLiteral("/dev/sdy"), QStringLiteral("/dev/sdz"),
                                           QStringLiteral("/tmp/new.img")}));
        QCOMPARE(a.count(QStringLiteral("--overwrite")), 1);
        QCOMPARE(a.at(a.indexOf(QStringLiteral("--overwrite")) + 1), QStringLiteral("/dev/sdz"));
        QVERIFY(!a.contains(QStringLiteral("--force")));
        QStringList ids;
        for (int i = 0; i < a.size(); ++i)
            if (a[i] == QLatin1String("--expect-id"))
                ids << a.value(i + 1);
        QCOMPARE(ids, (QStringList{QStringLiteral("wwn:0x1"), QStringLiteral("wwn:0x2"),
                                   QStringLiteral("absent")}));
    }

    void protocol_freezeAndWipeRestReachTheHelper()
    {
        ui::JobRequest r = request(QStringLiteral("/tmp/src.img"), QStringLiteral("/tmp/dst.img"));
        QStringList a = ui::mirrorArguments(r, 1024);
        // The window's default is said, not left to the helper's.
        QCOMPARE(a.at(a.indexOf(QStringLiteral("--max-freeze")) + 1), QStringLiteral("10"));
        QCOMPARE(a.count(QStringLiteral("--reconnect-timeout")), 1);
        QCOMPARE(a.at(a.indexOf(QStringLiteral("--reconnect-timeout")) + 1), QStringLiteral("60"));
        QVERIFY(!a.contains(QStringLiteral("--wipe-rest")));
        r.settings.maxFreezeSeconds = 0.5;
        r.settings.wipeRest = true;
        // 0 is said too: the helper must fail at once, not wait its default.
        r.settings.reconnectSeconds = 0;
        a = ui::mirrorArguments(r, 1024);
        QCOMPARE(a.at(a.indexOf(QStringLiteral("--max-freeze")) + 1), QStringLiteral("0.5"));
        QVERIFY(a.contains(QStringLiteral("--wipe-rest")));
        QCOMPARE(a.at(a.indexOf(QStringLiteral("--reconnect-timeout")) + 1), QStringLiteral("0"));
        r.settings.reconnectSeconds = engine::kMaxReconnectSeconds;
        a = ui::mirrorArguments(r, 1024);
        QCOMPARE(a.at(a.indexOf(QStringLiteral("--reconnect-timeout")) + 1),
                 QStringLiteral("86400"));
        // Whatever the locale, a decimal point (the CLI reads no other).
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        r.settings.maxFreezeSeconds = 2.5;
        a = ui::mirrorArguments(r, 1024);
        QLocale::setDefault(QLocale::c());
        QCOMPARE(a.at(a.indexOf(QStringLiteral("--max-freeze")) + 1), QStringLiteral("2.5"));
    }

    void protocol_verifyingProgressAndOutcomeFields()
    {
        const auto object = [](const char* json) {
            return QJsonDocument::fromJson(QByteArray(json)).object();
        };
        auto s = ui::parseProgress(object(R"({"len": 100, "offset": 100, "status": "ready",
            "verifying": true, "verify-done": 25, "verify-total": 400})"),
                                   100);
        QVERIFY(s.verifying);
        QCOMPARE(s.verifyDone, std::uint64_t(25));
        QCOMPARE(s.verifyTotal, std::uint64_t(400));
        s = ui::parseProgress(object(R"({"len": 100, "offset": 50, "verify-done": 25})"), 100);
        QVERIFY(!s.verifying);
        QCOMPARE(s.verifyDone, std::uint64_t(0));

        auto o = ui::parseOutcome(QStringLiteral("BLOCK_JOB_COMPLETED"), object(R"({
            "outcome": "completed", "quiesce-seconds": 0.01, "past-end-bytes": 4096,
            "past-end-wiped": true, "verify": {"identical": true, "compared": 1000,
            "skipped-holes": 24, "hash-checked": 300, "unchecked": 7, "past-end": 4096,
            "past-end-zero": true, "differences": [], "more-differences": false}})"));
        QVERIFY(o.outcome == engine::JobResult::Outcome::Completed);
        QVERIFY(o.verify);
        QCOMPARE(o.verify->bytesCompared, std::uint64_t(1000));
        QCOMPARE(o.verify->bytesSkipped, std::uint64_t(24));
        QCOMPARE(o.verify->bytesHashChecked, std::uint64_t(300));
        QCOMPARE(o.verify->bytesUnchecked, std::uint64_t(7));
        QCOMPARE(o.verify->bytesPastEnd, std::uint64_t(4096));
        QVERIFY(o.verify->pastEndZero);
        QCOMPARE(o.pastEndBytes, std::uint64_t(4096));
        QVERIFY(o.pastEndWiped);
        QVERIFY(!o.powerCutCopy);
        QVERIFY(!o.verifyCancelled);

        o = ui::parseOutcome(QStringLiteral("BLOCK_JOB_COMPLETED"),
                             object(R"({"outcome": "completed", "verify-cancelled": true})"));
        QVERIFY(o.verifyCancelled);
        QVERIFY(!o.verify);
        o = ui::parseOutcome(QStringLiteral("BLOCK_JOB_CANCELLED"),
                             object(R"({"outcome": "cancelled", "powercut-copy": true})"));
        QVERIFY(o.outcome == engine::JobResult::Outcome::Cancelled);
        QVERIFY(o.powerCutCopy);
        o = ui::parseOutcome(QStringLiteral("BLOCK_JOB_CANCELLED"),
                             object(R"({"outcome": "cancelled", "powercut-copy": false,
                                        "quiesce-seconds": 0.25})"));
        QVERIFY(!o.powerCutCopy);
        QCOMPARE(o.quiesceSeconds, 0.25);
        // Only a cancelled job has a power-cut copy.
        o = ui::parseOutcome(QStringLiteral("BLOCK_JOB_CANCELLED"),
                             object(R"({"outcome": "aborted", "powercut-copy": true})"));
        QVERIFY(!o.powerCutCopy);
    }

    void scriptedHelper_completeFailsThenVerifiesAndCompletes()
    {
        // A stand-in for the helper that says what the real one says on a
        // live disk whose first final copy outlasts the maximum freeze,
        // step by step as the test allows it.
        ScratchDir dir;
        const QString script = writeScript(dir, QStringLiteral(R"(#!/bin/sh
dir=$1
shift
echo "$@" > "$dir/args"
emit() { printf '%s\n' "$1"; }
emit '{"event": "JOB_STARTED", "data": {"device": "mirror", "len": 16777216, "live": true, "mount-points": ["/mnt/live"], "target-created": false, "target": "/nowhere"}}'
emit '{"event": "JOB_STATUS_CHANGE", "data": {"status": "running"}}'
emit '{"event": "JOB_STATUS_CHANGE", "data": {"status": "ready"}}'
emit '{"event": "BLOCK_JOB_READY", "data": {"len": 16777216, "offset": 16777216, "speed": 0}}'
read line; echo "$line" >> "$dir/commands"
emit '{"return": {}}'
emit '{"event": "COMPLETE_FAILED", "data": {"device": "mirror", "reason": "the final copy did not finish within the maximum freeze of 0.5 s, so the source was let go"}}'
read line; echo "$line" >> "$dir/commands"
emit '{"return": {}}'
emit '{"event": "BLOCK_JOB_VERIFYING", "data": {"device": "mirror"}}'
emit '{"event": "BLOCK_JOB_PROGRESS", "data": {"len": 16777216, "offset": 16777216, "status": "ready", "verifying": true, "verify-done": 4194304, "verify-total": 16777216}}'
while [ ! -e "$dir/go" ]; do sleep 0.02; done
emit '{"event": "JOB_STATUS_CHANGE", "data": {"status": "concluded"}}'
emit '{"event": "BLOCK_JOB_COMPLETED", "data": {"len": 16777216, "offset": 16777216, "outcome": "completed", "quiesce-seconds": 0.02, "elapsed": 1.5, "past-end-bytes": 8388608, "past-end-wiped": false, "verify": {"identical": true, "compared": 12582912, "skipped-holes": 2097152, "hash-checked": 2097152, "unchecked": 0, "past-end": 8388608, "past-end-zero": false, "differences": [], "more-differences": false}}}'
)"));
        ui::RemoteJobController c(
            ui::HelperCommand{QStringLiteral("/bin/sh"), {script, dir.path()}},
            engine::nullLogger());
        // The window hears the helper through the router.
        ui::LocalJobController local(engine::nullLogger());
        ui::RoutingJobController router(local, &c,
                                        [](const QString&, const QString&) { return true; });
        QSignalSpy routed(&router, &ui::JobController::completeFailed);
        QSignalSpy ready(&c, &ui::JobController::ready);
        QSignalSpy completeFailed(&c, &ui::JobController::completeFailed);
        QSignalSpy progress(&c, &ui::JobController::progressChanged);
        QSignalSpy finished(&c, &ui::JobController::finished);
        ui::JobRequest r =
            request(dir.file(QStringLiteral("src")), dir.file(QStringLiteral("dst")));
        r.settings.maxFreezeSeconds = 0.5;
        r.settings.wipeRest = false;
        r.settings.reconnectSeconds = 5;
        c.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 10000);
        QVERIFY(c.status() == JobStatus::Ready);

        c.complete();
        QVERIFY(c.completionRequested());
        QTRY_COMPARE_WITH_TIMEOUT(completeFailed.count(), 1, 10000);
        QVERIFY(
            completeFailed.front().front().toString().contains(QStringLiteral("maximum freeze")));
        QCOMPARE(routed.count(), 1);
        QVERIFY(!c.completionRequested()); // Complete may be pressed again
        QVERIFY(c.status() == JobStatus::Ready);
        QVERIFY(c.isActive());

        c.complete();
        QTRY_VERIFY_WITH_TIMEOUT(c.snapshot() && c.snapshot()->verifyTotal > 0, 10000);
        QVERIFY(c.snapshot()->verifying);
        QCOMPARE(c.snapshot()->verifyDone, 4 * kMiB);
        QCOMPARE(c.snapshot()->verifyTotal, 16 * kMiB);
        // BLOCK_JOB_VERIFYING alone already says so, before the numbers come.
        QVERIFY(std::any_of(progress.begin(), progress.end(), [](const QList<QVariant>& args) {
            const auto s = args.front().value<ui::SnapshotPtr>();
            return s->verifying && s->verifyTotal == 0;
        }));

        QFile go(dir.file(QStringLiteral("go")));
        QVERIFY(go.open(QIODevice::WriteOnly));
        go.close();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(o.outcome == engine::JobResult::Outcome::Completed);
        QVERIFY(o.liveSource);
        QCOMPARE(o.frozenMountPoints, QStringList{QStringLiteral("/mnt/live")});
        QCOMPARE(o.pastEndBytes, 8 * kMiB);
        QVERIFY(!o.pastEndWiped);
        QVERIFY(o.verify && o.verify->identical);
        QCOMPARE(o.verify->bytesHashChecked, 2 * kMiB);
        QCOMPARE(o.verify->bytesPastEnd, 8 * kMiB);
        QVERIFY(!o.targetCreated);
        QVERIFY(!c.snapshot()->verifying);

        QFile commands(dir.file(QStringLiteral("commands")));
        QVERIFY(commands.open(QIODevice::ReadOnly));
        QCOMPARE(commands.readAll(), QByteArray("complete\ncomplete\n"));
        QFile args(dir.file(QStringLiteral("args")));
        QVERIFY(args.open(QIODevice::ReadOnly));
        const QByteArray line = args.readAll();
        QVERIFY2(line.contains("--max-freeze 0.5"), line.constData());
        QVERIFY2(line.contains("--reconnect-timeout 5"), line.constData());
        QVERIFY2(!line.contains("--wipe-rest"), line.constData());
    }

    void scriptedHelper_cancelQuick_sentAndPowerCutReported()
    {
        ScratchDir dir;
        const QString script = writeScript(dir, QStringLiteral(R"(#!/bin/sh
dir=$1
emit() { printf '%s\n' "$1"; }
emit '{"event": "JOB_STARTED", "data": {"device": "mirror", "len": 1048576, "live": true, "mount-points": [], "target-created": false}}'
emit '{"event": "JOB_STATUS_CHANGE", "data": {"status": "ready"}}'
emit '{"event": "BLOCK_JOB_READY", "data": {"len": 1048576, "offset": 1048576}}'
read line; echo "$line" > "$dir/commands"
emit '{"return": {}}'
emit '{"event": "BLOCK_JOB_CANCELLED", "data": {"len": 1048576, "offset": 1048576, "outcome": "cancelled", "powercut-copy": true}}'
)"));
        ui::RemoteJobController c(
            ui::HelperCommand{QStringLiteral("/bin/sh"), {script, dir.path()}},
            engine::nullLogger());
        QSignalSpy ready(&c, &ui::JobController::ready);
        QSignalSpy finished(&c, &ui::JobController::finished);
        c.start(request(dir.file(QStringLiteral("src")), dir.file(QStringLiteral("dst"))));
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 10000);
        c.cancel(true);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(o.outcome == engine::JobResult::Outcome::Cancelled);
        QVERIFY(o.powerCutCopy);
        QFile commands(dir.file(QStringLiteral("commands")));
        QVERIFY(commands.open(QIODevice::ReadOnly));
        QCOMPARE(commands.readAll(), QByteArray("cancel quick\n"));
    }

    void largerAndNewTargets_helperReportsWhatTheEngineReports_data()
    {
        QTest::addColumn<bool>("wipe");
        QTest::addColumn<bool>("newFile");
        QTest::newRow("larger target, kept") << false << false;
        QTest::newRow("larger target, cleared") << true << false;
        QTest::newRow("new file") << false << true;
    }

    void largerAndNewTargets_helperReportsWhatTheEngineReports()
    {
        QFETCH(bool, wipe);
        QFETCH(bool, newFile);
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        QVERIFY(testsupport::createSparse(src, 16 * kMiB));
        QVERIFY(testsupport::writePattern(src, 0, 4 * kMiB, 51));
        QVERIFY(testsupport::writePattern(src, 12 * kMiB, 4 * kMiB, 52));
        // The same job twice, in this process and in the helper.
        const auto run = [&](ui::JobController& c, const QString& target) -> ui::JobOutcome {
            if (!newFile) {
                if (!testsupport::createSparse(target, 24 * kMiB) ||
                    !testsupport::writePattern(target, 0, 24 * kMiB, 53))
                    return {};
            }
            QSignalSpy finished(&c, &ui::JobController::finished);
            ui::JobRequest r = request(src, target);
            r.settings.verify = true;
            r.settings.wipeRest = wipe;
            c.start(r);
            if (!QTest::qWaitFor([&] { return c.status() == JobStatus::Ready; }, 30000))
                return {};
            c.complete();
            if (!QTest::qWaitFor([&] { return finished.count() == 1; }, 30000))
                return {};
            return finished.front().front().value<ui::JobOutcome>();
        };
        ui::LocalJobController local(engine::nullLogger());
        ui::RemoteJobController remote(cliHelper(), engine::nullLogger());
        const QString localTarget = dir.file(QStringLiteral("local.img"));
        const QString remoteTarget = dir.file(QStringLiteral("remote.img"));
        const ui::JobOutcome l = run(local, localTarget);
        const ui::JobOutcome h = run(remote, remoteTarget);
        QVERIFY2(l.outcome == engine::JobResult::Outcome::Completed, l.error.message.c_str());
        QVERIFY2(h.outcome == engine::JobResult::Outcome::Completed, h.error.message.c_str());
        QVERIFY(l.verify && h.verify);
        QVERIFY(l.verify->identical && h.verify->identical);
        QCOMPARE(h.verify->bytesCompared, l.verify->bytesCompared);
        QCOMPARE(h.verify->bytesSkipped, l.verify->bytesSkipped);
        QCOMPARE(h.verify->bytesHashChecked, l.verify->bytesHashChecked);
        QCOMPARE(h.verify->bytesUnchecked, l.verify->bytesUnchecked);
        QCOMPARE(h.verify->bytesPastEnd, l.verify->bytesPastEnd);
        QCOMPARE(h.verify->pastEndZero, l.verify->pastEndZero);
        QCOMPARE(h.pastEndBytes, l.pastEndBytes);
        QCOMPARE(h.pastEndWiped, l.pastEndWiped);
        QCOMPARE(h.powerCutCopy, l.powerCutCopy);
        QCOMPARE(h.targetCreated, l.targetCreated);
        QCOMPARE(l.pastEndBytes, newFile ? 0 : 8 * kMiB);
        QCOMPARE(l.pastEndWiped, wipe && !newFile);
        QCOMPARE(l.verify->pastEndZero, wipe && !newFile);
        QCOMPARE(l.targetCreated, newFile);
        // The created files are named by what they are, for a later delete.
        for (const auto& [o, path] : {std::pair{l, localTarget}, std::pair{h, remoteTarget}}) {
            struct stat st
            {
            };
            QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
            if (newFile) {
                QCOMPARE(o.targetInode, static_cast<std::uint64_t>(st.st_ino));
                QCOMPARE(o.targetDevice, static_cast<std::uint64_t>(st.st_dev));
            } else {
                QCOMPARE(o.targetInode, std::uint64_t(0));
            }
        }
    }

    void imageJob_completesLikeInProcess()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("new.img"));
        QVERIFY(testsupport::createSparse(src, 32 * kMiB));
        QVERIFY(testsupport::writePattern(src, 0, 32 * kMiB, 7));
        ui::RemoteJobController c(cliHelper(), engine::nullLogger());
        c.setDirtyMapCells(256);
        QSignalSpy started(&c, &ui::JobController::started);
        QSignalSpy statuses(&c, &ui::JobController::statusChanged);
        QSignalSpy progress(&c, &ui::JobController::progressChanged);
        QSignalSpy maps(&c, &ui::JobController::dirtyMapChanged);
        QSignalSpy ready(&c, &ui::JobController::ready);
        QSignalSpy failed(&c, &ui::JobController::commandFailed);
        QSignalSpy finished(&c, &ui::JobController::finished);
        ui::JobRequest r = request(src, dst);
        r.settings.verify = true;
        r.settings.speed = 32 * kMiB; // about ten progress events before READY
        c.start(r);
        QVERIFY(c.isActive());
        QVERIFY(c.status() == JobStatus::Created);
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
        QVERIFY(c.status() == JobStatus::Ready);
        QVERIFY(c.snapshot() && c.snapshot()->readyReached);
        QCOMPARE(c.snapshot()->diskSize, 32 * kMiB);
        QVERIFY(progress.count() >= 2);
        // The map follows the helper's job: at READY it turns all clean.
        QTRY_VERIFY_WITH_TIMEOUT(!maps.isEmpty(), 5000);
        const auto clean = [&maps] {
            const auto map = maps.back().front().value<ui::DirtyMapPtr>();
            return std::all_of(map->cells.begin(), map->cells.end(), [](auto v) { return v == 0; });
        };
        QTRY_VERIFY_WITH_TIMEOUT(clean(), 5000);
        const auto map = maps.back().front().value<ui::DirtyMapPtr>();
        QCOMPARE(map->diskSize, 32 * kMiB);
        QCOMPARE(map->cells.size(), std::size_t(256));
        QCOMPARE(map->granularity, std::uint64_t(64 * 1024));
        // Before READY some of it was dirty: the map really came from the job.
        QVERIFY(std::any_of(maps.begin(), maps.end(), [](const QList<QVariant>& args) {
            const auto m = args.front().value<ui::DirtyMapPtr>();
            return std::any_of(m->cells.begin(), m->cells.end(), [](auto v) { return v != 0; });
        }));
        c.setSpeed(0);
        c.complete();
        QTRY_VERIFY_WITH_TIMEOUT(c.completionRequested(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QVERIFY2(failed.isEmpty(), "a command was refused");
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(o.outcome == engine::JobResult::Outcome::Completed);
        QVERIFY(o.verify && o.verify->identical);
        QCOMPARE(o.verify->bytesCompared + o.verify->bytesSkipped, 32 * kMiB);
        QVERIFY(!o.liveSource);
        QCOMPARE(o.source, src);
        QCOMPARE(o.target, dst);
        QVERIFY(!c.isActive());
        QVERIFY(c.status() == JobStatus::Concluded);
        QVERIFY(testsupport::cmpIdentical(src, dst));
        const auto seen = statusesOf(statuses);
        const auto pos = [&](JobStatus s) {
            return std::find(seen.begin(), seen.end(), s) - seen.begin();
        };
        QVERIFY(pos(JobStatus::Running) < pos(JobStatus::Ready));
        QVERIFY(pos(JobStatus::Ready) < pos(JobStatus::Concluded));
        QCOMPARE(name(seen.back()), name(JobStatus::Concluded));
    }

    // Two new image files through the helper: the events of each target
    // reach its own row (the helper names the target in every event), one
    // READY for both, one Complete, and each outcome is its target's.
    void severalTargets_eventsSortedByTarget_bothCompleteIdentical()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        QVERIFY(testsupport::createSparse(src, 16 * kMiB));
        QVERIFY(testsupport::writePattern(src, 0, 16 * kMiB, 21));
        const QString a = dir.file(QStringLiteral("a.img"));
        const QString b = dir.file(QStringLiteral("b.img"));
        ui::RemoteJobController c(cliHelper(), engine::nullLogger());
        c.setDirtyMapCells(64);
        QSignalSpy started(&c, &ui::JobController::started);
        QSignalSpy ready(&c, &ui::JobController::ready);
        QSignalSpy maps(&c, &ui::JobController::dirtyMapChanged);
        QSignalSpy finished(&c, &ui::JobController::finished);
        ui::JobRequest r = request(src, a);
        r.targets.append(ui::RequestTarget{b, QStringLiteral("absent"), false});
        r.targets[0].expectedId = QStringLiteral("absent");
        c.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 20000);
        QVERIFY(c.status() == JobStatus::Ready);
        QCOMPARE(c.targets().size(), std::size_t{2});
        for (const ui::TargetState& t : c.targets()) {
            QVERIFY(t.status == JobStatus::Ready);
            QVERIFY(t.snapshot && t.snapshot->readyReached);
            QCOMPARE(t.snapshot->diskSize, 16 * kMiB);
        }
        const int mapsBefore = static_cast<int>(maps.count());
        c.showTarget(1);
        QCOMPARE(maps.count(), mapsBefore + 1);
        QVERIFY(maps.back().front().value<ui::DirtyMapPtr>() != nullptr);

        c.complete();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(o.outcome == engine::JobResult::Outcome::Completed);
        QCOMPARE(o.targets.size(), std::size_t{2});
        QCOMPARE(o.targets[0].target, a);
        QCOMPARE(o.targets[1].target, b);
        for (const ui::JobOutcome& t : o.targets) {
            QVERIFY(t.outcome == engine::JobResult::Outcome::Completed);
            QVERIFY(t.targetCreated);
            QVERIFY2(testsupport::cmpIdentical(src, t.target), qPrintable(t.target));
        }
        QVERIFY(!c.isActive());
    }

    void refusal_startFailedWithTheHelpersRule()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        QVERIFY(testsupport::createSparse(src, 8 * kMiB));
        const QString small = dir.file(QStringLiteral("small.img"));
        QVERIFY(testsupport::createSparse(small, 4 * kMiB));
        ui::RemoteJobController c(cliHelper(), engine::nullLogger());
        QSignalSpy startFailed(&c, &ui::JobController::startFailed);
        QSignalSpy finished(&c, &ui::JobController::finished);
        c.start(request(src, small));
        QTRY_COMPARE_WITH_TIMEOUT(startFailed.count(), 1, 20000);
        const auto e = startFailed.front().front().value<engine::Error>();
        QVERIFY2(
            QString::fromStdString(e.message).contains(QStringLiteral("(rule: target too small)")),
            e.message.c_str());
        QCOMPARE(e.code, ENOSPC);
        QVERIFY(finished.isEmpty());
        QVERIFY(!c.isActive());
        QVERIFY(c.status() == JobStatus::Concluded);
        QCOMPARE(QFileInfo(small).size(), qint64(4 * kMiB));
    }

    void inspect_answersFromTheHelper()
    {
        QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("mkfs.ext4")).isEmpty() ||
                     QFileInfo::exists(QStringLiteral("/usr/sbin/mkfs.ext4")) ||
                     QFileInfo::exists(QStringLiteral("/sbin/mkfs.ext4")),
                 "mkfs.ext4 is missing (e2fsprogs)");
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString fs = dir.file(QStringLiteral("fs.img"));
        QVERIFY(testsupport::createSparse(src, 8 * kMiB));
        QVERIFY(testsupport::createSparse(fs, 16 * kMiB));
        const auto mk = testsupport::runCommand(QStringLiteral("mkfs.ext4"),
                                                {QStringLiteral("-q"), QStringLiteral("-F"), fs});
        QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
        ui::RemoteJobController c(cliHelper(), engine::nullLogger());
        QSignalSpy inspected(&c, &ui::JobController::targetInspected);
        c.inspectTarget(src, fs, {});
        QTRY_COMPARE_WITH_TIMEOUT(inspected.count(), 1, 20000);
        auto i = inspected.front().front().value<ui::TargetInspection>();
        QCOMPARE(i.source, src);
        QCOMPARE(i.target, fs);
        QVERIFY2(!i.refusal, i.refusal ? i.refusal->message.c_str() : "");
        QVERIFY(i.facts.exists);
        QCOMPARE(i.facts.size, 16 * kMiB);
        QVERIFY(QString::fromStdString(i.facts.dataSignature).contains(QStringLiteral("ext2/3/4")));
        // The identity a job is bound to, as the engine sees it here.
        auto local = engine::inspectTarget(fs.toStdString());
        QVERIFY(local);
        QVERIFY(engine::isImageFileId(local->identity));
        QCOMPARE(i.facts.identity, local->identity);
        c.inspectTarget(src, dir.file(QStringLiteral("new.img")), {});
        QTRY_COMPARE_WITH_TIMEOUT(inspected.count(), 2, 20000);
        i = inspected.back().front().value<ui::TargetInspection>();
        QVERIFY(!i.facts.exists);
        QCOMPARE(i.facts.identity, std::string(engine::kAbsentTargetId));
        inspected.clear();

        c.inspectTarget(src, src, {});
        QTRY_COMPARE_WITH_TIMEOUT(inspected.count(), 1, 20000);
        i = inspected.back().front().value<ui::TargetInspection>();
        QVERIFY(i.refusal);
        QVERIFY(QString::fromStdString(i.refusal->message)
                    .contains(QStringLiteral("(rule: source is target)")));
    }

    void missingHelper_saysSo()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        QVERIFY(testsupport::createSparse(src, 8 * kMiB));
        ui::RemoteJobController c(ui::HelperCommand{dir.file(QStringLiteral("no-such-helper")), {}},
                                  engine::nullLogger());
        QSignalSpy startFailed(&c, &ui::JobController::startFailed);
        QSignalSpy inspected(&c, &ui::JobController::targetInspected);
        c.start(request(src, dir.file(QStringLiteral("dst.img"))));
        QTRY_COMPARE_WITH_TIMEOUT(startFailed.count(), 1, 10000);
        QVERIFY(!c.isActive());
        c.inspectTarget(src, dir.file(QStringLiteral("dst.img")), {});
        QTRY_COMPARE_WITH_TIMEOUT(inspected.count(), 1, 10000);
        const auto i = inspected.front().front().value<ui::TargetInspection>();
        QVERIFY(i.refusal);
        QVERIFY(
            QString::fromStdString(i.refusal->message).contains(QStringLiteral("no-such-helper")));
        QVERIFY(!QFile::exists(dir.file(QStringLiteral("dst.img"))));
    }

    void dismissedAuthentication_isExplained()
    {
        // A stand-in with pkexec's name and exit code for a dismissed dialog.
        ScratchDir dir;
        const QString fake = dir.file(QStringLiteral("pkexec"));
        {
            QFile f(fake);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("#!/bin/sh\necho 'Error executing command as another user: Request "
                    "dismissed' >&2\nexit 126\n");
        }
        QVERIFY(
            QFile::setPermissions(fake, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
        const QString src = dir.file(QStringLiteral("src.img"));
        QVERIFY(testsupport::createSparse(src, 8 * kMiB));
        ui::RemoteJobController c(ui::HelperCommand{fake, {testsupport::cliPath()}},
                                  engine::nullLogger());
        QSignalSpy startFailed(&c, &ui::JobController::startFailed);
        c.start(request(src, dir.file(QStringLiteral("dst.img"))));
        QTRY_COMPARE_WITH_TIMEOUT(startFailed.count(), 1, 10000);
        const auto e = startFailed.front().front().value<engine::Error>();
        const QString msg = QString::fromStdString(e.message);
        QVERIFY2(msg.contains(QStringLiteral("(rule: authentication)")), qPrintable(msg));
        QVERIFY2(msg.contains(QStringLiteral("Request dismissed")), qPrintable(msg));
        const ui::UserMessage m = ui::ErrorText::describe(e);
        QVERIFY2(m.cause.contains(QStringLiteral("authentication")), qPrintable(m.cause));
    }

    void cancelBeforeReady_commandsAndRefusals()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("dst.img"));
        QVERIFY(testsupport::createSparse(src, 64 * kMiB));
        QVERIFY(testsupport::writePattern(src, 0, 64 * kMiB, 3));
        ui::RemoteJobController c(cliHelper(), engine::nullLogger());
        QSignalSpy started(&c, &ui::JobController::started);
        QSignalSpy statuses(&c, &ui::JobController::statusChanged);
        QSignalSpy failed(&c, &ui::JobController::commandFailed);
        QSignalSpy finished(&c, &ui::JobController::finished);
        ui::JobRequest r = request(src, dst);
        r.settings.speed = 4 * kMiB;
        c.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(c.status() == JobStatus::Running, 10000);
        c.pause();
        QTRY_VERIFY_WITH_TIMEOUT(c.status() == JobStatus::Paused, 10000);
        c.resume();
        QTRY_VERIFY_WITH_TIMEOUT(c.status() == JobStatus::Running, 10000);
        QVERIFY(failed.isEmpty());
        // Complete before READY: the helper's job refuses, and says so.
        c.complete();
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QCOMPARE(name(failed.front().at(0).value<engine::JobVerb>()),
                 name(engine::JobVerb::Complete));
        QVERIFY(!c.completionRequested());
        c.cancel(false);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 20000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY(o.outcome == engine::JobResult::Outcome::Aborted);
        QVERIFY(o.bytesDone < 64 * kMiB);
        QCOMPARE(name(statusesOf(statuses).back()), name(JobStatus::Concluded));
    }

    void destroyed_helperCancelsAndEnds()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString dst = dir.file(QStringLiteral("helper-end-%1.img").arg(::getpid()));
        QVERIFY(testsupport::createSparse(src, 64 * kMiB));
        QVERIFY(testsupport::writePattern(src, 0, 64 * kMiB, 4));
        {
            ui::RemoteJobController c(cliHelper(), engine::nullLogger());
            QSignalSpy started(&c, &ui::JobController::started);
            ui::JobRequest r = request(src, dst);
            r.settings.speed = 2 * kMiB;
            c.start(r);
            QTRY_COMPARE_WITH_TIMEOUT(started.count(), 1, 20000);
            QCOMPARE(processesMentioning(dst).size(), 1);
        }
        QVERIFY(processesMentioning(dst).isEmpty());
    }

    void router_sendsJobsWhereTheRouteSays()
    {
        ScratchDir dir;
        const QString src = dir.file(QStringLiteral("src.img"));
        const QString viaHelper = dir.file(QStringLiteral("via-helper.img"));
        const QString inProcess = dir.file(QStringLiteral("in-process.img"));
        QVERIFY(testsupport::createSparse(src, 8 * kMiB));
        QVERIFY(testsupport::writePattern(src, 0, 2 * kMiB, 5));
        ui::LocalJobController local(engine::nullLogger());
        ui::RemoteJobController remote(cliHelper(), engine::nullLogger());
        ui::RoutingJobController router(
            local, &remote, [&](const QString&, const QString& t) { return t == viaHelper; });
        QSignalSpy ready(&router, &ui::JobController::ready);
        QSignalSpy finished(&router, &ui::JobController::finished);
        for (const QString& target : {viaHelper, inProcess}) {
            router.start(request(src, target));
            QCOMPARE(&router.current(), target == viaHelper
                                            ? static_cast<ui::JobController*>(&remote)
                                            : static_cast<ui::JobController*>(&local));
            QTRY_VERIFY_WITH_TIMEOUT(router.status() == JobStatus::Ready, 20000);
            router.complete();
            QTRY_VERIFY_WITH_TIMEOUT(!router.isActive(), 20000);
            QVERIFY(testsupport::cmpIdentical(src, target));
        }
        QCOMPARE(ready.count(), 2);
        QCOMPARE(finished.count(), 2);
        // Without root, a device node goes to the helper and a file does not.
        QVERIFY(ui::RoutingJobController::blockDeviceInvolved(src, QStringLiteral("/dev/loop0")) ==
                QFileInfo(QStringLiteral("/dev/loop0")).exists());
        QVERIFY(!ui::RoutingJobController::blockDeviceInvolved(src, viaHelper));
        QVERIFY(!ui::RoutingJobController::blockDeviceInvolved(src, QStringLiteral("/dev/null")));
    }

    void realPkexec_diskToUsersImage()
    {
        // The production path: an unprivileged user's helper, through the
        // real pkexec and polkitd, reads a disk as root.
        QString why;
        const QString cli = QFileInfo(testsupport::cliPath()).canonicalFilePath();
        auto sandbox = testsupport::PolkitSandbox::create({cli}, {}, &why);
        if (!sandbox && !testsupport::isRoot())
            QSKIP(qPrintable(why));
        QVERIFY2(sandbox, qPrintable(why));
        ScratchDir dir;
        const QString backing = dir.file(QStringLiteral("disk.img"));
        QVERIFY(testsupport::createSparse(backing, 32 * kMiB));
        QVERIFY(testsupport::writePattern(backing, 0, 12 * kMiB, 21));
        QVERIFY(testsupport::writePattern(backing, 20 * kMiB, 4 * kMiB, 22));
        auto loop = testsupport::LoopDevice::attach(backing, &why);
        QVERIFY2(loop, qPrintable(why));
        // The helper creates the copy as the user, so in a directory of his.
        QVERIFY(::chown(QFile::encodeName(dir.path()).constData(), sandbox->uid(),
                        static_cast<gid_t>(-1)) == 0);
        const QString dst = dir.file(QStringLiteral("users-copy.img"));

        QStringList prefix = sandbox->pkexecAsUser();
        const QString program = prefix.takeFirst();
        ui::RemoteJobController c(ui::HelperCommand{program, prefix + QStringList{cli}},
                                  engine::nullLogger());
        QSignalSpy inspected(&c, &ui::JobController::targetInspected);
        c.inspectTarget(loop->path(), dst, {});
        QTRY_COMPARE_WITH_TIMEOUT(inspected.count(), 1, 20000);
        const auto i = inspected.front().front().value<ui::TargetInspection>();
        QVERIFY2(!i.refusal, i.refusal ? i.refusal->message.c_str() : "");
        QVERIFY(!i.facts.exists);

        QSignalSpy ready(&c, &ui::JobController::ready);
        QSignalSpy finished(&c, &ui::JobController::finished);
        ui::JobRequest r = request(loop->path(), dst);
        r.settings.verify = true;
        // What the window passes: the identity the inspection reported.
        r.targets[0].expectedId = QString::fromStdString(i.facts.identity);
        QCOMPARE(r.targets[0].expectedId, QStringLiteral("absent"));
        c.start(r);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 30000);
        c.complete();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY2(o.outcome == engine::JobResult::Outcome::Completed, o.error.message.c_str());
        QVERIFY(o.liveSource); // a disk's writes are tracked, by root
        QVERIFY(o.verify && o.verify->identical);
        QVERIFY(testsupport::cmpIdentical(loop->path(), dst));
        struct stat st
        {
        };
        QVERIFY(::stat(QFile::encodeName(dst).constData(), &st) == 0);
        QCOMPARE(st.st_uid, sandbox->uid()); // the user's copy, not root's

        // A new file in root's folder: the helper creates files only as the
        // user, so it is refused as he would be, and the window says why.
        ScratchDir roots;
        QVERIFY(::chmod(QFile::encodeName(roots.path()).constData(), 0755) == 0);
        const QString rootsFile = roots.file(QStringLiteral("copy.img"));
        ui::RemoteJobController asUser(ui::HelperCommand{program, prefix + QStringList{cli}},
                                       engine::nullLogger());
        QSignalSpy userRefused(&asUser, &ui::JobController::startFailed);
        ui::JobRequest intoRoots = request(loop->path(), rootsFile);
        intoRoots.targets[0].expectedId = QStringLiteral("absent");
        asUser.start(intoRoots);
        QTRY_COMPARE_WITH_TIMEOUT(userRefused.count(), 1, 30000);
        const auto denied = userRefused.front().front().value<engine::Error>();
        QVERIFY2(denied.message.find("(rule: user access)") != std::string::npos,
                 denied.message.c_str());
        QVERIFY(!QFile::exists(rootsFile));
        const ui::UserMessage said = ui::ErrorText::describe(denied);
        QVERIFY2(said.cause.contains(QStringLiteral("image files only as you")),
                 qPrintable(said.cause));

        // A user no rule covers: no agent to ask, pkexec refuses.
        QStringList stranger = testsupport::PolkitSandbox::pkexecAsStranger();
        const QString strangerProgram = stranger.takeFirst();
        ui::RemoteJobController refused(
            ui::HelperCommand{strangerProgram, stranger + QStringList{cli}}, engine::nullLogger());
        QSignalSpy startFailed(&refused, &ui::JobController::startFailed);
        refused.start(request(loop->path(), dir.file(QStringLiteral("strangers.img"))));
        QTRY_COMPARE_WITH_TIMEOUT(startFailed.count(), 1, 30000);
        const auto e = startFailed.front().front().value<engine::Error>();
        QVERIFY2(e.message.find("(rule: authentication)") != std::string::npos, e.message.c_str());
        QVERIFY(!QFile::exists(dir.file(QStringLiteral("strangers.img"))));
    }

    void liveDiskSource_frozenAndCleanThroughTheHelper()
    {
        if (::geteuid() != 0)
            QSKIP("needs root: attaches a loop device and mounts ext4 (the helper's real job)");
        ScratchDir dir;
        const QString backing = dir.file(QStringLiteral("live.img"));
        QVERIFY(testsupport::createSparse(backing, 64 * kMiB));
        QString why;
        auto loop = testsupport::LoopDevice::attach(backing, &why);
        QVERIFY2(loop, qPrintable(why));
        auto mk =
            testsupport::runCommand(QStringLiteral("mkfs.ext4"),
                                    {QStringLiteral("-q"), QStringLiteral("-F"), loop->path()});
        QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
        const QString mnt = dir.file(QStringLiteral("mnt"));
        QVERIFY(QDir().mkpath(mnt));
        QVERIFY(testsupport::runCommand(QStringLiteral("mount"), {loop->path(), mnt}).exitCode ==
                0);
        auto unmount = qScopeGuard([&] {
            testsupport::runCommand(QStringLiteral("umount"), {QStringLiteral("-l"), mnt});
        });
        {
            QFile f(mnt + QStringLiteral("/before.txt"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(1 << 20, 'a'));
        }
        ::sync();

        const QString dst = dir.file(QStringLiteral("copy.img"));
        ui::RemoteJobController c(cliHelper(), engine::nullLogger());
        QSignalSpy finished(&c, &ui::JobController::finished);
        QSignalSpy ready(&c, &ui::JobController::ready);
        c.start(request(loop->path(), dst));
        QTRY_COMPARE_WITH_TIMEOUT(ready.count(), 1, 30000);
        {
            // A write while mirrored: tracked by the helper's kernel trace.
            QFile f(mnt + QStringLiteral("/during.txt"));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(2 << 20, 'b'));
            f.close();
            ::sync();
        }
        c.complete();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const auto o = finished.front().front().value<ui::JobOutcome>();
        QVERIFY2(o.outcome == engine::JobResult::Outcome::Completed, o.error.message.c_str());
        QVERIFY(o.liveSource);
        QCOMPARE(o.frozenMountPoints, QStringList{QDir(mnt).canonicalPath()});
        QVERIFY(o.quiesceSeconds > 0);
        unmount.dismiss();
        QVERIFY(testsupport::runCommand(QStringLiteral("umount"), {mnt}).exitCode == 0);
        const auto fsck =
            testsupport::runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), dst});
        QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
        // The copy holds what was written while it was mirrored (the source
        // itself changed again at umount, so it is not compared byte by byte).
        const auto cat =
            testsupport::runCommand(QStringLiteral("debugfs"),
                                    {QStringLiteral("-R"), QStringLiteral("cat /during.txt"), dst});
        QCOMPARE(cat.out.size(), qsizetype(2 << 20));
        QVERIFY(cat.out == QString(2 << 20, QLatin1Char('b')));
    }
};

QTEST_MAIN(TestRemoteJobController)
#include "tst_remote_job_controller.moc"
