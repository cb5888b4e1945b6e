// A running drivemirror-cli driven through stdin and signals: pause,
// resume, speed, status and cancel before and after READY, commands sent
// early or garbled, and SIGINT/SIGTERM turned into a cancel.
#include "cli_test_support.h"
#include "test_support.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QThread>
#include <QtTest>

#include <signal.h>

#include <optional>

using namespace clitest;
using namespace testsupport;

class TestCliStdin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // Stdin commands.
    void interactive_pauseResumeSpeedComplete();
    void interactive_statusRightAfterStart_reportsLength();
    void stdin_garbage_repliedAndHarmless();
    void stdin_commandsBeforeReady_heldUntilItMakesSense_data();
    void stdin_commandsBeforeReady_heldUntilItMakesSense();
    void stdin_replies_qmpShapedWithIdExtraWordsRefused();

    // Cancel and signals.
    void cancel_beforeReady_exit5_data();
    void cancel_beforeReady_exit5();
    void cancel_afterReady_consistentCopy_data();
    void cancel_afterReady_consistentCopy();
    void cancel_quickOnImage_notAPowerCut();
    void cancel_liveSource_consistentOrPowerCut_data();
    void cancel_liveSource_consistentOrPowerCut();
    void signals_cancelInsteadOfKilling_data();
    void signals_cancelInsteadOfKilling();
    void signalDuringVerify_exit10_copyWholeNotChecked();

private:
    QString bigSource() { return m_bigSource.path(); }
    BigSource m_bigSource;
};

void TestCliStdin::initTestCase()
{
    initCliSuite();
}

// ---------------------------------------------------------------------------
// Stdin commands

void TestCliStdin::interactive_pauseResumeSpeedComplete()
{
    const QString src = bigSource();
    QVERIFY2(!src.isEmpty(), "cannot write the 256 MiB source image");
    ScratchDir dir;
    const QString dst = dir.file(QStringLiteral("dst.img"));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                     QStringLiteral("--speed"), QStringLiteral("20M")}));
    QVERIFY2(s.waitForStatus(QStringLiteral("running"), 20000) >= 0, qPrintable(s.transcript()));

    // A progress event carries the limit.
    const int progress = s.waitForEvent(QStringLiteral("BLOCK_JOB_PROGRESS"), 5000);
    QVERIFY2(progress >= 0, qPrintable(s.transcript()));
    QCOMPARE(dataInt(s.lines()[progress], "speed"), qint64(20 * kMiB));
    QCOMPARE(dataInt(s.lines()[progress], "len"), qint64(256 * kMiB));

    // So does status, with the job's size.
    auto st = s.status();
    QVERIFY2(st, qPrintable(s.transcript()));
    QCOMPARE(st->value(QStringLiteral("status")).toString(), QStringLiteral("running"));
    QCOMPARE(st->value(QStringLiteral("speed")).toInteger(), qint64(20 * kMiB));
    QCOMPARE(st->value(QStringLiteral("len")).toInteger(), qint64(256 * kMiB));
    QVERIFY(st->contains(QStringLiteral("dirty")));

    // (complete before READY is held until READY:
    // stdin_commandsBeforeReady_heldUntilItMakesSense.)
    int from = static_cast<int>(s.lines().size());
    auto reply = s.command("pause");
    QVERIFY2(reply, qPrintable(s.transcript()));
    QCOMPARE(reply->value(QStringLiteral("return")), QJsonValue(QJsonObject()));
    QVERIFY2(s.waitForStatus(QStringLiteral("paused"), 5000, from) >= 0,
             qPrintable(s.transcript()));

    // Paused: nothing more is copied.
    QThread::msleep(300);
    st = s.status();
    QVERIFY(st);
    QCOMPARE(st->value(QStringLiteral("status")).toString(), QStringLiteral("paused"));
    const qint64 pausedAt = st->value(QStringLiteral("offset")).toInteger(-1);
    QVERIFY2(pausedAt >= 0 && pausedAt < qint64(256 * kMiB), qPrintable(s.transcript()));
    QThread::msleep(700);
    st = s.status();
    QVERIFY(st);
    QCOMPARE(st->value(QStringLiteral("offset")).toInteger(-1), pausedAt);

    reply = s.command("pause"); // not allowed while paused
    QVERIFY2(reply && reply->contains(QStringLiteral("error")), qPrintable(s.transcript()));

    from = static_cast<int>(s.lines().size());
    reply = s.command("resume");
    QVERIFY2(reply, qPrintable(s.transcript()));
    QCOMPARE(reply->value(QStringLiteral("return")), QJsonValue(QJsonObject()));
    QVERIFY2(s.waitForStatus(QStringLiteral("running"), 5000, from) >= 0,
             qPrintable(s.transcript()));

    reply = s.command("bogus");
    QVERIFY2(reply, qPrintable(s.transcript()));
    const auto err = reply->value(QStringLiteral("error")).toObject();
    QCOMPARE(err.value(QStringLiteral("class")).toString(), QStringLiteral("GenericError"));
    QVERIFY2(err.value(QStringLiteral("desc")).toString().contains(QStringLiteral("bogus")),
             qPrintable(s.transcript()));

    reply = s.command("speed -3M");
    QVERIFY2(reply && reply->contains(QStringLiteral("error")), qPrintable(s.transcript()));

    reply = s.command("speed 0");
    QVERIFY2(reply, qPrintable(s.transcript()));
    QCOMPARE(reply->value(QStringLiteral("return")), QJsonValue(QJsonObject()));

    const int ready = s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 60000);
    QVERIFY2(ready >= 0, qPrintable(s.transcript()));
    QCOMPARE(dataInt(s.lines()[ready], "speed"), qint64(0));

    reply = s.command("complete");
    QVERIFY2(reply, qPrintable(s.transcript()));
    QCOMPARE(reply->value(QStringLiteral("return")), QJsonValue(QJsonObject()));
    const int done = s.waitForEvent(QStringLiteral("BLOCK_JOB_COMPLETED"), 30000, ready);
    QVERIFY2(done >= 0, qPrintable(s.transcript()));
    QVERIFY2(
        !s.lines()[done].value(QStringLiteral("data")).toObject().contains(QStringLiteral("error")),
        qPrintable(s.transcript()));
    QCOMPARE(s.finish(30000), kExitOk);
    QVERIFY2(s.badLines().isEmpty(), qPrintable(s.badLines().join(QLatin1Char('\n'))));
    QVERIFY2(eventsNamed(s.lines(), QStringLiteral("BLOCK_JOB_CANCELLED")).isEmpty(),
             qPrintable(s.transcript()));
    QVERIFY2(cmpIdentical(src, dst), "cmp: target differs from source");
}

void TestCliStdin::interactive_statusRightAfterStart_reportsLength()
{
    // The job knows its length from the start: status asked right after the
    // running event must not report 0 of 0 bytes (a front end shows that as
    // 100% done).
    const QString src = bigSource();
    QVERIFY2(!src.isEmpty(), "cannot write the 256 MiB source image");
    ScratchDir dir;
    const QString dst = dir.file(QStringLiteral("dst.img"));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                     QStringLiteral("--speed"), QStringLiteral("5M")}));
    QVERIFY2(s.waitForStatus(QStringLiteral("running"), 20000) >= 0, qPrintable(s.transcript()));
    const auto st = s.status();
    QVERIFY2(st, qPrintable(s.transcript()));
    const qint64 len = st->value(QStringLiteral("len")).toInteger(-1);
    const auto reply = s.command("cancel");
    QVERIFY2(reply && reply->contains(QStringLiteral("return")), qPrintable(s.transcript()));
    QCOMPARE(s.finish(20000), kExitAborted);
    QVERIFY2(
        len == qint64(256 * kMiB),
        qPrintable(QStringLiteral("status right after start reports len %1, expected %2: %3")
                       .arg(len)
                       .arg(256 * kMiB)
                       .arg(QString::fromUtf8(QJsonDocument(*st).toJson(QJsonDocument::Compact)))));
}

void TestCliStdin::stdin_garbage_repliedAndHarmless()
{
    // Every line that is not a command gets an error reply and changes
    // nothing; a huge line costs neither memory nor time.
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeImage(src, 32 * kMiB, {{0, 12 * kMiB, false, 142}}));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json")}));
    const int ready = s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000);
    QVERIFY2(ready >= 0, qPrintable(s.transcript()));
    auto isError = [](const std::optional<QJsonObject>& o) {
        return o && o->value(QStringLiteral("error")).toObject().value(QStringLiteral("class")) ==
                        QStringLiteral("GenericError");
    };
    QVERIFY2(isError(s.command("frobnicate")), qPrintable(s.transcript()));
    QVERIFY2(isError(s.command(QByteArray("\xff\xfe garbage \x80\x01\x02", 15))),
             qPrintable(s.transcript()));
    QVERIFY2(isError(s.command("cancel slowly")), qPrintable(s.transcript()));
    QVERIFY2(isError(s.command(QByteArray(5000, 'a'))), qPrintable(s.transcript()));
    // 64 MiB without a line end, then one: refused once. Before, each read
    // of 4 KiB scanned the whole buffer again, which took minutes.
    const auto before = s.lines().size();
    QByteArray block(1 << 20, 'b');
    for (int i = 0; i < 64; ++i)
        s.sendRaw(block);
    s.send(""); // its end
    const auto status = s.status();
    QVERIFY2(status, qPrintable(s.transcript()));
    QCOMPARE(status->value(QStringLiteral("status")).toString(), QStringLiteral("ready"));
    const auto errors = std::count_if(s.lines().begin() + before, s.lines().end(),
                                      [&](const QJsonObject& o) { return isError(o); });
    QCOMPARE(errors, 1);
    const auto done = s.command("complete");
    QVERIFY2(done && done->contains(QStringLiteral("return")), qPrintable(s.transcript()));
    QCOMPARE(s.finish(60000), kExitOk);
    QVERIFY2(s.badLines().isEmpty(), qPrintable(s.badLines().join(QLatin1Char('\n')).left(2000)));
    QVERIFY(cmpIdentical(src, dst));
}

void TestCliStdin::stdin_commandsBeforeReady_heldUntilItMakesSense_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::newRow("complete in a file read before READY") << QStringLiteral("file");
    QTest::newRow("resume and complete at once from standby") << QStringLiteral("resume");
    QTest::newRow("cancel with --complete-when-ready") << QStringLiteral("cwr-cancel");
}

void TestCliStdin::stdin_commandsBeforeReady_heldUntilItMakesSense()
{
    QFETCH(QString, scenario);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeFilled(src, 16 * kMiB, 151));
    if (scenario == QLatin1String("file")) {
        // The README's `drivemirror-cli mirror a b --json <commands.txt`:
        // the whole file is read before the job is READY.
        const auto r = runCommand(cliPath(),
                                  {QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                                   QStringLiteral("--speed"), QStringLiteral("32M")},
                                  60000, "complete\n");
        QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
        const auto lines = parseJsonLines(r.out);
        const QJsonObject last = lastEvent(lines.objects);
        QVERIFY2(isEvent(last, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(show(r)));
        QCOMPARE(last.value(QStringLiteral("data")).toObject().value(QStringLiteral("outcome")),
                 QStringLiteral("completed"));
        QVERIFY(cmpIdentical(src, dst));
        return;
    }
    CliSession s;
    if (scenario == QLatin1String("resume")) {
        QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json")}));
        QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000) >= 0,
                 qPrintable(s.transcript()));
        const auto paused = s.command("pause");
        QVERIFY2(paused && paused->contains(QStringLiteral("return")), qPrintable(s.transcript()));
        QVERIFY2(s.waitForStatus(QStringLiteral("standby"), 10000) >= 0,
                 qPrintable(s.transcript()));
        const int from = static_cast<int>(s.lines().size());
        s.send("resume\ncomplete");
        s.closeStdin();
        QCOMPARE(s.finish(30000), kExitOk);
        int replies = 0;
        for (int i = from; i < s.lines().size(); ++i)
            if (isReply(s.lines()[i])) {
                ++replies;
                QVERIFY2(s.lines()[i].contains(QStringLiteral("return")),
                         qPrintable(s.transcript()));
            }
        QCOMPARE(replies, 2);
        QVERIFY(cmpIdentical(src, dst));
        return;
    }
    // --complete-when-ready reads stdin as well: a cancel there ends the job
    // before READY, and the target it created is not left behind.
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                     QStringLiteral("--complete-when-ready"), QStringLiteral("--speed"),
                     QStringLiteral("2M")}));
    QVERIFY2(s.waitForStatus(QStringLiteral("running"), 10000) >= 0, qPrintable(s.transcript()));
    const auto cancelled = s.command("cancel");
    QVERIFY2(cancelled && cancelled->contains(QStringLiteral("return")),
             qPrintable(s.transcript()));
    QCOMPARE(s.finish(30000), kExitAborted);
    const QJsonObject data = lastEvent(s.lines()).value(QStringLiteral("data")).toObject();
    QCOMPARE(data.value(QStringLiteral("outcome")).toString(), QStringLiteral("aborted"));
    QVERIFY2(data.value(QStringLiteral("target-removed")).toBool(), qPrintable(s.transcript()));
    QVERIFY2(!QFileInfo::exists(dst), "a half-written target the user never had is left behind");
}

void TestCliStdin::stdin_replies_qmpShapedWithIdExtraWordsRefused()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeFilled(src, 16 * kMiB, 152));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json")}));
    QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000) >= 0,
             qPrintable(s.transcript()));
    auto errorWithId = [](const std::optional<QJsonObject>& o, const QString& id) {
        return o && o->value(QStringLiteral("error")).toObject().contains(QStringLiteral("desc")) &&
               o->value(QStringLiteral("id")).toString() == id;
    };
    QVERIFY2(errorWithId(s.command("pause pause id=p1"), QStringLiteral("p1")),
             qPrintable(s.transcript()));
    QVERIFY2(errorWithId(s.command("speed 5 6"), QString()), qPrintable(s.transcript()));
    QVERIFY2(errorWithId(s.command("frobnicate id=f-2"), QStringLiteral("f-2")),
             qPrintable(s.transcript()));
    // Nothing changed: still ready, still unlimited.
    const auto st = s.command("status id=s");
    QVERIFY2(st, qPrintable(s.transcript()));
    QCOMPARE(st->value(QStringLiteral("id")).toString(), QStringLiteral("s"));
    const QJsonObject ret = st->value(QStringLiteral("return")).toObject();
    QCOMPARE(ret.value(QStringLiteral("status")).toString(), QStringLiteral("ready"));
    QCOMPARE(ret.value(QStringLiteral("speed")).toInteger(), 0);
    const auto done = s.command("complete id=7");
    QVERIFY2(done && done->contains(QStringLiteral("return")) &&
                 done->value(QStringLiteral("id")).toString() == QStringLiteral("7"),
             qPrintable(s.transcript()));
    QCOMPARE(s.finish(30000), kExitOk);
    QVERIFY(s.badLines().isEmpty());
    QCOMPARE(lastEvent(s.lines())
                 .value(QStringLiteral("data"))
                 .toObject()
                 .value(QStringLiteral("outcome"))
                 .toString(),
             QStringLiteral("completed"));
    QVERIFY(cmpIdentical(src, dst));
}

// ---------------------------------------------------------------------------
// Cancel and signals

void TestCliStdin::cancel_beforeReady_exit5_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("cancel on stdin") << QStringLiteral("stdin");
    QTest::newRow("SIGINT") << QStringLiteral("SIGINT");
    QTest::newRow("SIGTERM") << QStringLiteral("SIGTERM");
}

void TestCliStdin::cancel_beforeReady_exit5()
{
    QFETCH(QString, how);
    const QString src = bigSource();
    QVERIFY2(!src.isEmpty(), "cannot write the 256 MiB source image");
    ScratchDir dir;
    const QString dst = dir.file(QStringLiteral("dst.img"));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                     QStringLiteral("--speed"), QStringLiteral("5M")}));
    QVERIFY2(s.waitForStatus(QStringLiteral("running"), 20000) >= 0, qPrintable(s.transcript()));
    // The first progress event comes a second in: the copy is under way.
    const int progress = s.waitForEvent(QStringLiteral("BLOCK_JOB_PROGRESS"), 5000);
    QVERIFY2(progress >= 0, qPrintable(s.transcript()));
    QVERIFY(dataInt(s.lines()[progress], "offset") < qint64(256 * kMiB));

    if (how == QStringLiteral("stdin")) {
        const auto reply = s.command("cancel");
        QVERIFY2(reply, qPrintable(s.transcript()));
        QCOMPARE(reply->value(QStringLiteral("return")), QJsonValue(QJsonObject()));
    } else {
        QCOMPARE(
            ::kill(static_cast<pid_t>(s.pid()), how == QStringLiteral("SIGINT") ? SIGINT : SIGTERM),
            0);
    }
    const int cancelled = s.waitForEvent(QStringLiteral("BLOCK_JOB_CANCELLED"), 20000);
    QVERIFY2(cancelled >= 0, qPrintable(s.transcript()));
    QCOMPARE(s.finish(20000), kExitAborted);

    const auto d = s.lines()[cancelled].value(QStringLiteral("data")).toObject();
    QVERIFY2(d.value(QStringLiteral("error")).toString().contains(QStringLiteral("before READY")),
             qPrintable(s.transcript()));
    QVERIFY2(dataInt(s.lines()[cancelled], "offset") < qint64(256 * kMiB),
             qPrintable(s.transcript()));
    QVERIFY(eventsNamed(s.lines(), QStringLiteral("BLOCK_JOB_READY")).isEmpty());
    QVERIFY(eventsNamed(s.lines(), QStringLiteral("BLOCK_JOB_COMPLETED")).isEmpty());
    QCOMPARE(withoutTrailingNull(statusSequence(s.lines())),
             (QStringList{QStringLiteral("running"), QStringLiteral("aborting"),
                          QStringLiteral("concluded")}));
    QVERIFY2(s.badLines().isEmpty(), qPrintable(s.badLines().join(QLatin1Char('\n'))));
}

void TestCliStdin::cancel_afterReady_consistentCopy_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("--cancel-when-ready") << QStringLiteral("option");
    QTest::newRow("cancel on stdin at READY") << QStringLiteral("stdin");
    QTest::newRow("SIGINT at READY") << QStringLiteral("SIGINT");
}

void TestCliStdin::cancel_afterReady_consistentCopy()
{
    QFETCH(QString, how);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeImage(src, 32 * kMiB, {{0, 10 * kMiB, false, 111}, {20 * kMiB, 1 * kMiB, true}}));
    QVERIFY(makeFilled(dst, 32 * kMiB, 112));

    QStringList args{QStringLiteral("mirror"), src, dst, QStringLiteral("--json")};
    if (how == QStringLiteral("option"))
        args << QStringLiteral("--cancel-when-ready");
    CliSession s;
    QVERIFY(s.start(args));
    const int ready = s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000);
    QVERIFY2(ready >= 0, qPrintable(s.transcript()));
    if (how == QStringLiteral("stdin")) {
        const auto reply = s.command("cancel");
        QVERIFY2(reply, qPrintable(s.transcript()));
        QCOMPARE(reply->value(QStringLiteral("return")), QJsonValue(QJsonObject()));
    } else if (how == QStringLiteral("SIGINT")) {
        QCOMPARE(::kill(static_cast<pid_t>(s.pid()), SIGINT), 0);
    }
    const int cancelled = s.waitForEvent(QStringLiteral("BLOCK_JOB_CANCELLED"), 30000, ready);
    QVERIFY2(cancelled >= 0, qPrintable(s.transcript()));
    QCOMPARE(s.finish(30000), kExitCancelledReady);
    QVERIFY2(s.badLines().isEmpty(), qPrintable(s.badLines().join(QLatin1Char('\n'))));
    QVERIFY2(cmpIdentical(src, dst), "cmp: an idle source's copy differs after cancel at READY");

    QCOMPARE(eventsNamed(s.lines(), QStringLiteral("BLOCK_JOB_READY")).size(), 1);
    QVERIFY(eventsNamed(s.lines(), QStringLiteral("BLOCK_JOB_COMPLETED")).isEmpty());
    const QJsonObject done = lastEvent(s.lines());
    QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_CANCELLED")), qPrintable(s.transcript()));
    QVERIFY2(!done.value(QStringLiteral("data")).toObject().contains(QStringLiteral("error")),
             qPrintable(s.transcript()));
    QCOMPARE(dataInt(done, "offset"), qint64(32 * kMiB));
    QCOMPARE(
        withoutTrailingNull(statusSequence(s.lines())),
        (QStringList{QStringLiteral("running"), QStringLiteral("ready"), QStringLiteral("waiting"),
                     QStringLiteral("pending"), QStringLiteral("concluded")}));
}

void TestCliStdin::cancel_quickOnImage_notAPowerCut()
{
    // Nothing writes to an image source but its owner: a quick cancel of an
    // idle image leaves a whole copy and must not claim otherwise.
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeFilled(src, 16 * kMiB, 145));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json")}));
    QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000) >= 0,
             qPrintable(s.transcript()));
    const auto reply = s.command("cancel quick");
    QVERIFY2(reply && reply->contains(QStringLiteral("return")), qPrintable(s.transcript()));
    QCOMPARE(s.finish(30000), kExitCancelledReady);
    const QJsonObject done = lastEvent(s.lines());
    QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_CANCELLED")), qPrintable(s.transcript()));
    QCOMPARE(done.value(QStringLiteral("data")).toObject().value(QStringLiteral("powercut-copy")),
             QJsonValue(false));
    QVERIFY(cmpIdentical(src, dst));
}

void TestCliStdin::cancel_liveSource_consistentOrPowerCut_data()
{
    QTest::addColumn<bool>("quick");
    QTest::newRow("cancel: frozen final copy") << false;
    QTest::newRow("cancel quick: power-cut copy") << true;
}

void TestCliStdin::cancel_liveSource_consistentOrPowerCut()
{
    // Cancel after READY on a mounted, busy file system: a consistent copy
    // that e2fsck finds clean, or, when asked to be quick, one the result
    // calls a power-cut copy.
    QFETCH(bool, quick);
    if (!isRoot())
        QSKIP("needs root: a mounted loop device as a live source");
    QVERIFY2(haveTool(QStringLiteral("mkfs.ext4")), "mkfs.ext4 is missing (e2fsprogs)");
    ScratchDir dir;
    const QString backing = dir.file(QStringLiteral("live.img"));
    const QString dst = dir.file(QStringLiteral("copy.img"));
    QVERIFY(createSparse(backing, 128 * kMiB));
    QString why;
    auto loop = LoopDevice::attach(backing, &why);
    QVERIFY2(loop, qPrintable(why));
    QVERIFY(runCommand(QStringLiteral("mkfs.ext4"),
                       {QStringLiteral("-q"), QStringLiteral("-F"), loop->path()})
                .exitCode == 0);
    const QString mnt = dir.file(QStringLiteral("mnt"));
    QVERIFY(QDir().mkpath(mnt));
    Mount mount(loop->path(), mnt);
    QVERIFY(mount.ok());
    // A writer that keeps creating and syncing small files.
    QProcess writer;
    writer.start(QStringLiteral("sh"),
                 {QStringLiteral("-c"),
                  QStringLiteral("i=0; while :; do i=$((i+1)); head -c 65536 /dev/urandom > "
                                 "'%1/f'$((i%%50)); sync '%1/f'$((i%%50)); done")
                      .arg(mnt)});
    QVERIFY(writer.waitForStarted());
    auto stopWriter = qScopeGuard([&] {
        writer.kill();
        writer.waitForFinished(5000);
    });

    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), loop->path(), dst, QStringLiteral("--json")}));
    QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 60000) >= 0,
             qPrintable(s.transcript()));
    QThread::msleep(300); // mirror live writes for a moment
    const auto reply = s.command(quick ? "cancel quick" : "cancel");
    QVERIFY2(reply && reply->contains(QStringLiteral("return")), qPrintable(s.transcript()));
    QCOMPARE(s.finish(60000), kExitCancelledReady);
    const QJsonObject done = lastEvent(s.lines());
    QVERIFY2(isEvent(done, QStringLiteral("BLOCK_JOB_CANCELLED")), qPrintable(s.transcript()));
    const QJsonObject data = done.value(QStringLiteral("data")).toObject();
    QCOMPARE(data.value(QStringLiteral("powercut-copy")), QJsonValue(quick));
    QCOMPARE(data.value(QStringLiteral("powercut-reason")).toString(),
             quick ? QStringLiteral("a quick cancel was asked for") : QString());
    if (!quick) {
        QVERIFY(data.value(QStringLiteral("quiesce-seconds")).toDouble() > 0);
        const auto fsck = runCommand(QStringLiteral("e2fsck"), {QStringLiteral("-fn"), dst});
        QVERIFY2(fsck.exitCode == 0, qPrintable(fsck.out + fsck.err));
    }
}

void TestCliStdin::signals_cancelInsteadOfKilling_data()
{
    QTest::addColumn<int>("sig");
    for (int sig : {SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGXCPU, SIGXFSZ, SIGVTALRM,
                    SIGPROF, SIGPIPE, SIGTERM, SIGINT})
        QTest::addRow("SIG%s", ::sigabbrev_np(sig)) << sig;
}

void TestCliStdin::signals_cancelInsteadOfKilling()
{
    // A closed terminal (HUP), a timer or a resource limit must not kill the
    // program with its job half done and unreported: it cancels, reports and
    // exits as for SIGTERM.
    QFETCH(int, sig);
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeFilled(src, 8 * kMiB, 147));
    CliSession s;
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json")}));
    QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000) >= 0,
             qPrintable(s.transcript()));
    QCOMPARE(::kill(static_cast<pid_t>(s.pid()), sig), 0);
    QCOMPARE(s.finish(30000), kExitCancelledReady);
    QVERIFY2(isEvent(lastEvent(s.lines()), QStringLiteral("BLOCK_JOB_CANCELLED")),
             qPrintable(s.transcript()));
    QVERIFY(cmpIdentical(src, dst));
}

// A signal while --verify compares: the copy is whole, but the check asked
// for did not happen, and the exit status must not say it did (0).
void TestCliStdin::signalDuringVerify_exit10_copyWholeNotChecked()
{
    const QString src = bigSource();
    QVERIFY2(!src.isEmpty(), "cannot write the 256 MiB source image");
    // The comparison of 256 MiB lasts a fraction of a second: a run that
    // finished its check before the signal landed is tried again.
    for (int attempt = 1;; ++attempt) {
        ScratchDir dir;
        const QString dst = dir.file(QStringLiteral("dst.img"));
        CliSession s;
        QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                         QStringLiteral("--complete-when-ready"), QStringLiteral("--verify")}));
        QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_VERIFYING"), 60000) >= 0,
                 qPrintable(s.transcript()));
        s.signal(SIGTERM);
        const int code = s.finish(30000);
        const QJsonObject last = s.lastEvent();
        const QJsonObject d = last.value(QStringLiteral("data")).toObject();
        if (d.contains(QStringLiteral("verify")) && attempt < 5)
            continue; // the check ended before the signal came
        QVERIFY2(isEvent(last, QStringLiteral("BLOCK_JOB_COMPLETED")), qPrintable(s.transcript()));
        QCOMPARE(d.value(QStringLiteral("outcome")).toString(), QStringLiteral("completed"));
        QVERIFY2(d.value(QStringLiteral("verify-cancelled")).toBool(), qPrintable(s.transcript()));
        QVERIFY2(!d.contains(QStringLiteral("verify")), qPrintable(s.transcript()));
        QCOMPARE(code, kExitNotVerified);
        QVERIFY2(cmpIdentical(src, dst), "the completed copy differs from its source");
        return;
    }
}

QTEST_GUILESS_MAIN(TestCliStdin)
#include "tst_cli_stdin.moc"
