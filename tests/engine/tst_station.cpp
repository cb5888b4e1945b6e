// The imaging station on real loop devices, with the device events fed in
// by the test: drives that appear in their slots after arming are cloned
// (cmp against the source), verified and recorded (the CSV and JSON lines
// parsed back); every drive the station must not write is proved untouched
// twice, by its content hash and by inotify, which sees every close of a
// descriptor that was open for writing on the device node. The config's
// validation is checked from a table.
#include "cli_test_support.h"
#include "device/device_catalog.h"
#include "named_loop.h"
#include "station/audit_log.h"
#include "station/station.h"
#include "station/station_config.h"
#include "test_support.h"

#include <QFile>
#include <QtTest>

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <memory>

using namespace engine;
using namespace testsupport;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t MiB = 1 << 20;
constexpr std::uint64_t kSourceSize = 24 * MiB;

Logger testLog()
{
    static const Logger log = [] {
        auto l = std::make_shared<spdlog::logger>(
            "station", std::make_shared<spdlog::sinks::stderr_sink_mt>());
        l->set_level(spdlog::level::warn);
        return l;
    }();
    return log;
}

QString qs(std::string_view s)
{
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

struct Ignored
{
    std::string device;
    std::string reason;
    std::string slot;
};

class Recorder final : public StationListener
{
public:
    void armed(const Station&) override { ++armings; }
    void deviceIgnored(const DeviceInfo& d, std::string_view reason,
                       const std::string& slot) override
    {
        ignored.push_back({d.devnode, std::string(reason), slot});
    }
    void slotStarted(const std::string& slot, const DeviceInfo&) override
    {
        started.push_back(slot);
    }
    void slotFinished(const AuditRecord& r) override { finished.push_back(r); }
    void stationFailed(const Error& e) override { failures.push_back(e.message); }

    std::vector<Ignored> ignored;
    std::vector<std::string> started;
    std::vector<AuditRecord> finished;
    std::vector<std::string> failures;
    int armings = 0;
};

// Sees every close of a descriptor that was opened for writing on the node,
// by whatever name it was opened (inotify watches the inode).
class WriteWatch
{
public:
    explicit WriteWatch(const QString& node) : m_fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC))
    {
        m_ok = m_fd >= 0 &&
               ::inotify_add_watch(m_fd, QFile::encodeName(node).constData(), IN_CLOSE_WRITE) >= 0;
    }
    ~WriteWatch()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    bool ok() const { return m_ok; }
    bool sawWrite()
    {
        alignas(inotify_event) char buf[4096];
        while (true) {
            const ssize_t n = ::read(m_fd, buf, sizeof buf);
            if (n <= 0)
                return m_seen;
            m_seen = true;
        }
    }

private:
    int m_fd = -1;
    bool m_ok = false;
    bool m_seen = false;
};

DeviceEvent eventFor(const QString& node, DeviceEventKind kind = DeviceEventKind::Changed)
{
    auto info = describeDevice(node.toStdString());
    return DeviceEvent{kind, info ? *info : DeviceInfo{}};
}

SlotConfig slotFor(const QString& label, const QString& node)
{
    return SlotConfig{label.toStdString(), {{"DEVNAME", node.toStdString()}}};
}

QStringList csvRow(const QString& line)
{
    // The records' only quoted fields here are "after" texts with commas.
    QStringList out;
    QString cell;
    bool quoted = false;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line[i];
        if (quoted && c == QLatin1Char('"') && i + 1 < line.size() && line[i + 1] == c) {
            cell += c;
            ++i;
        } else if (c == QLatin1Char('"')) {
            quoted = !quoted;
        } else if (c == QLatin1Char(',') && !quoted) {
            out << cell;
            cell.clear();
        } else {
            cell += c;
        }
    }
    return out << cell;
}

// One station on a scratch folder: its source, config, log and listener.
class Rig
{
public:
    Rig()
    {
        source = dir.file(QStringLiteral("golden.img"));
        // Data, a hole and zeroes written as data: the copy must clear what
        // the drives held there before.
        m_ok = clitest::makeImage(
            source, kSourceSize,
            {{0, 5 * MiB, false, 7}, {9 * MiB, 3 * MiB, true, 0}, {16 * MiB, 6 * MiB, false, 8}});
        config.source = source.toStdString();
        config.log = dir.stdFile(QStringLiteral("audit.csv"));
        config.allowFixed = true;
        config.after = AfterAction::Eject;
        config.wipeRest = true;
        config.station = "test-station";
    }
    bool ok() const { return m_ok && dir.isValid(); }

    /// A backing file of @p size full of old data.
    QString drive(const QString& name, std::uint64_t size, std::uint64_t seed = 99)
    {
        const QString file = dir.file(name);
        return clitest::makeFilled(file, size, seed) ? file : QString();
    }

    /// Hashes the source, opens the log and arms, as the CLI does.
    QString arm()
    {
        auto src = examineSource(config);
        if (!src)
            return QString::fromStdString(src.error().message);
        auto log = AuditLog::open(config.log);
        if (!log)
            return QString::fromStdString(log.error().message);
        station = std::make_unique<Station>(config, std::move(*src), std::move(*log), recorder,
                                            testLog());
        station->arm(enumerateDevices());
        return {};
    }

    /// Services the station until @p finished drives have their record.
    bool waitFinished(std::size_t finished, std::chrono::milliseconds limit = 60s)
    {
        return waitFor(
            [&] {
                pollfd p{station->wakeFd(), POLLIN, 0};
                ::poll(&p, 1, 50);
                station->service();
                return recorder.finished.size() >= finished && station->idle();
            },
            limit);
    }

    ScratchDir dir;
    QString source;
    StationConfig config;
    Recorder recorder;
    std::unique_ptr<Station> station;

private:
    bool m_ok = false;
};

// What a drive the station refused or ignored must still be.
struct Untouched
{
    explicit Untouched(const QString& device)
        : node(device), watch(device), hash(clitest::contentHash(device))
    {
    }
    bool ok() const { return watch.ok() && !hash.isEmpty(); }
    QString check()
    {
        if (watch.sawWrite())
            return node + QStringLiteral(" was opened for writing");
        if (clitest::contentHash(node) != hash)
            return node + QStringLiteral(" changed");
        return {};
    }
    QString node;
    WriteWatch watch;
    QByteArray hash;
};

} // namespace

class TestStation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void clonesEveryDriveInItsSlot();
    void leavesDriveInNoSlotAlone();
    void leavesDrivePresentBeforeArmingAlone();
    void refusesWithoutWriting_data();
    void refusesWithoutWriting();
    void refusesDriveSwappedSinceItsEvent();
    void refusesWhenTheSourceChanged();
    void cancelsWhenDisarmed();
    void validatesConfig_data();
    void validatesConfig();
    void readsValidConfig();
    void matchesSlotsByGlobs();
    void quotesCsv();

private:
    QStringList m_loops;
};

void TestStation::initTestCase()
{
    if (!isRoot())
        QSKIP("the station's suite needs root: it writes loop devices");
    if (!clitest::haveTool(QStringLiteral("losetup")))
        QSKIP("the station's suite needs losetup (util-linux)");
    m_loops = freeLoopNames(3);
    QCOMPARE(m_loops.size(), 3);
}

void TestStation::clonesEveryDriveInItsSlot()
{
    Rig rig;
    QVERIFY(rig.ok());
    for (int i = 0; i < 3; ++i)
        rig.config.slotList.push_back(slotFor(QStringLiteral("A%1").arg(i + 1), m_loops[i]));
    const QString armed = rig.arm();
    QVERIFY2(armed.isEmpty(), qPrintable(armed));

    std::vector<std::unique_ptr<NamedLoop>> loops;
    std::vector<std::unique_ptr<WriteWatch>> watches;
    for (int i = 0; i < 3; ++i) {
        const QString file = rig.drive(QStringLiteral("drive%1.img").arg(i), kSourceSize, 50 + i);
        QString why;
        loops.push_back(NamedLoop::attach(m_loops[i], file, &why));
        QVERIFY2(loops.back(), qPrintable(why));
        watches.push_back(std::make_unique<WriteWatch>(m_loops[i]));
        // The kernel says "change" when a loop device gets its file, "add"
        // when a stick is plugged in: both are an appearance.
        rig.station->handle(
            eventFor(m_loops[i], i == 0 ? DeviceEventKind::Added : DeviceEventKind::Changed));
    }
    // How far each copy is, as the CLI asks once a second: whatever was
    // seen must make sense (how much is seen depends on the machine's pace).
    QString badProgress;
    QVERIFY(waitFor(
        [&] {
            for (const SlotProgress& p : rig.station->progress())
                if (p.done > p.total || p.slot.size() != 2 || p.rate < 0)
                    badProgress = QString::fromStdString(p.slot + " " + p.device);
            return rig.waitFinished(3, 0ms);
        },
        60s));
    QVERIFY2(badProgress.isEmpty(), qPrintable(badProgress));

    QCOMPARE(rig.recorder.started.size(), std::size_t(3));
    QVERIFY(rig.recorder.failures.empty());
    QVERIFY(rig.recorder.ignored.empty());
    // The checksum the records carry, against an oracle of its own.
    const QString sha =
        runCommand(QStringLiteral("sha256sum"), {rig.source}).out.section(QLatin1Char(' '), 0, 0);
    QCOMPARE(sha.size(), 64);
    for (int i = 0; i < 3; ++i) {
        QVERIFY2(cmpIdentical(rig.source, m_loops[i]), qPrintable(m_loops[i]));
        QVERIFY2(watches[i]->sawWrite(), "the watch did not see the copy: it proves nothing");
    }
    for (const AuditRecord& r : rig.recorder.finished) {
        QCOMPARE(QString::fromStdString(r.result), QStringLiteral("passed"));
        QCOMPARE(QString::fromStdString(r.imageSha256), sha);
        QCOMPARE(r.bytesWritten, kSourceSize);
        QVERIFY2(r.after != "untouched" && !r.after.empty(), r.after.c_str());
    }

    const QStringList csv = fileLines(rig.dir.file(QStringLiteral("audit.csv")));
    QCOMPARE(csv.size(), 4);
    const QStringList header = csvRow(csv[0]);
    const auto resultColumn = header.indexOf(QStringLiteral("result"));
    const auto slotColumn = header.indexOf(QStringLiteral("slot"));
    QVERIFY(resultColumn >= 0 && slotColumn >= 0);
    QStringList labels;
    for (int i = 1; i < 4; ++i) {
        const QStringList row = csvRow(csv[i]);
        QCOMPARE(row.size(), header.size());
        QCOMPARE(row[resultColumn], QStringLiteral("passed"));
        labels << row[slotColumn];
    }
    labels.sort();
    QCOMPARE(labels,
             (QStringList{QStringLiteral("A1"), QStringLiteral("A2"), QStringLiteral("A3")}));
    const QStringList jsonl = fileLines(rig.dir.file(QStringLiteral("audit.csv.jsonl")));
    QCOMPARE(jsonl.size(), 3);
    for (const QString& line : jsonl) {
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        QCOMPARE(o.value(QStringLiteral("result")).toString(), QStringLiteral("passed"));
        QCOMPARE(o.value(QStringLiteral("image_sha256")).toString(), sha);
        QCOMPARE(o.value(QStringLiteral("capacity")).toInteger(), qint64(kSourceSize));
    }
}

void TestStation::leavesDriveInNoSlotAlone()
{
    Rig rig;
    QVERIFY(rig.ok());
    rig.config.slotList.push_back(slotFor(QStringLiteral("A1"), m_loops[0]));
    QVERIFY(rig.arm().isEmpty());
    QString why;
    const auto loop =
        NamedLoop::attach(m_loops[1], rig.drive(QStringLiteral("d.img"), kSourceSize), &why);
    QVERIFY2(loop, qPrintable(why));
    Untouched drive(m_loops[1]);
    QVERIFY(drive.ok());
    rig.station->handle(eventFor(m_loops[1]));
    QVERIFY(rig.waitFinished(0, 2s));
    QCOMPARE(rig.recorder.ignored.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(rig.recorder.ignored[0].device), m_loops[1]);
    QCOMPARE(qs(rig.recorder.ignored[0].reason), qs(ignore_reason::kNoSlot));
    QVERIFY(rig.recorder.finished.empty());
    const QString changed = drive.check();
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
}

void TestStation::leavesDrivePresentBeforeArmingAlone()
{
    Rig rig;
    QVERIFY(rig.ok());
    rig.config.slotList.push_back(slotFor(QStringLiteral("A1"), m_loops[0]));
    QString why;
    const auto loop =
        NamedLoop::attach(m_loops[0], rig.drive(QStringLiteral("d.img"), kSourceSize), &why);
    QVERIFY2(loop, qPrintable(why));
    Untouched drive(m_loops[0]);
    QVERIFY(drive.ok());
    QVERIFY(rig.arm().isEmpty());
    QCOMPARE(rig.recorder.armings, 1);
    QCOMPARE(rig.recorder.ignored.size(), std::size_t(1));
    QCOMPARE(qs(rig.recorder.ignored[0].reason), qs(ignore_reason::kPresentBeforeArming));
    QCOMPARE(qs(rig.recorder.ignored[0].slot), QStringLiteral("A1"));
    // udev's change after a write, a resize: still the drive from before.
    rig.station->handle(eventFor(m_loops[0]));
    rig.station->handle(eventFor(m_loops[0], DeviceEventKind::Added));
    QVERIFY(rig.waitFinished(0, 2s));
    QVERIFY(rig.recorder.finished.empty());
    QVERIFY(rig.recorder.started.empty());
    const QString changed = drive.check();
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
}

void TestStation::refusesWithoutWriting_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("result");
    QTest::newRow("mounted") << QStringLiteral("mounted")
                             << QStringLiteral("refused: mounted target");
    QTest::newRow("too small") << QStringLiteral("small")
                               << QStringLiteral("refused: target too small");
    QTest::newRow("the source itself")
        << QStringLiteral("source") << QStringLiteral("refused: source is target");
    QTest::newRow("larger than max-size")
        << QStringLiteral("large") << QStringLiteral("refused: larger than max-size");
    QTest::newRow("fixed drive") << QStringLiteral("fixed")
                                 << QStringLiteral("refused: fixed drive");
    QTest::newRow("two slots") << QStringLiteral("ambiguous")
                               << QStringLiteral("refused: ambiguous slot");
}

// Each drive appears in a slot after arming and is refused by a rule: its
// record says which, and nothing opened it for writing.
void TestStation::refusesWithoutWriting()
{
    QFETCH(QString, kind);
    QFETCH(QString, result);
    Rig rig;
    QVERIFY(rig.ok());
    rig.config.slotList.push_back(slotFor(QStringLiteral("A1"), m_loops[0]));
    if (kind == QLatin1String("ambiguous"))
        rig.config.slotList.push_back({"A2", {{"DEVNAME", "/dev/loop*"}}});
    if (kind == QLatin1String("fixed"))
        rig.config.allowFixed = false;
    if (kind == QLatin1String("large"))
        rig.config.maxSize = kSourceSize + MiB;
    QString backing;
    if (kind == QLatin1String("source")) {
        backing = rig.source;
    } else if (kind == QLatin1String("small")) {
        backing = rig.drive(QStringLiteral("d.img"), kSourceSize - MiB);
    } else if (kind == QLatin1String("large")) {
        backing = rig.drive(QStringLiteral("d.img"), kSourceSize + 2 * MiB);
    } else {
        backing = rig.drive(QStringLiteral("d.img"), kSourceSize + MiB);
    }
    QVERIFY(!backing.isEmpty());
    if (kind == QLatin1String("mounted"))
        // Initialised in full now: the kernel's lazy init would change the
        // drive while it is watched.
        QVERIFY(runCommand(QStringLiteral("mkfs.ext4"),
                           {QStringLiteral("-q"), QStringLiteral("-F"), QStringLiteral("-E"),
                            QStringLiteral("lazy_itable_init=0,lazy_journal_init=0"), backing})
                    .exitCode == 0);
    QVERIFY(rig.arm().isEmpty());
    const QByteArray sourceHash = clitest::contentHash(rig.source);

    QString why;
    const auto loop = NamedLoop::attach(m_loops[0], backing, &why);
    QVERIFY2(loop, qPrintable(why));
    std::unique_ptr<clitest::Mount> mount;
    if (kind == QLatin1String("mounted")) {
        QDir().mkpath(rig.dir.file(QStringLiteral("mnt")));
        mount = std::make_unique<clitest::Mount>(m_loops[0], rig.dir.file(QStringLiteral("mnt")));
        QVERIFY(mount->ok());
    }
    Untouched drive(m_loops[0]);
    QVERIFY(drive.ok());
    rig.station->handle(eventFor(m_loops[0]));
    QVERIFY(rig.waitFinished(1, 30s));

    QCOMPARE(rig.recorder.finished.size(), std::size_t(1));
    const AuditRecord& r = rig.recorder.finished[0];
    QCOMPARE(QString::fromStdString(r.result), result);
    QVERIFY2(!r.detail.empty(), "a refusal says why");
    QCOMPARE(qs(r.after), QStringLiteral("untouched"));
    QVERIFY(rig.recorder.started.empty());
    const QString changed = drive.check();
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
    QCOMPARE(clitest::contentHash(rig.source), sourceHash);
    const QStringList csv = fileLines(rig.dir.file(QStringLiteral("audit.csv")));
    QCOMPARE(csv.size(), 2);
    QVERIFY2(csv[1].contains(result), qPrintable(csv[1]));
}

// The event showed one drive; by the time its job opens the name, another
// medium is there (a stick swapped in the same port). The job is bound to
// the drive of the event and refuses the other.
void TestStation::refusesDriveSwappedSinceItsEvent()
{
    Rig rig;
    QVERIFY(rig.ok());
    rig.config.slotList.push_back(slotFor(QStringLiteral("A1"), m_loops[0]));
    QVERIFY(rig.arm().isEmpty());
    QString why;
    auto first =
        NamedLoop::attach(m_loops[0], rig.drive(QStringLiteral("a.img"), kSourceSize), &why);
    QVERIFY2(first, qPrintable(why));
    const DeviceEvent seen = eventFor(m_loops[0]);
    first.reset();
    const auto second =
        NamedLoop::attach(m_loops[0], rig.drive(QStringLiteral("b.img"), kSourceSize), &why);
    QVERIFY2(second, qPrintable(why));
    Untouched drive(m_loops[0]);
    QVERIFY(drive.ok());
    rig.station->handle(seen);
    QVERIFY(rig.waitFinished(1, 30s));
    QCOMPARE(qs(rig.recorder.finished[0].result), QStringLiteral("refused: target identity"));
    const QString changed = drive.check();
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
}

// The records name the image's checksum: an image written after it was
// hashed is no longer that image, and no drive gets it.
void TestStation::refusesWhenTheSourceChanged()
{
    Rig rig;
    QVERIFY(rig.ok());
    rig.config.slotList.push_back(slotFor(QStringLiteral("A1"), m_loops[0]));
    QVERIFY(rig.arm().isEmpty());
    QVERIFY(writePattern(rig.source, 0, 4096, 1234));
    QString why;
    const auto loop =
        NamedLoop::attach(m_loops[0], rig.drive(QStringLiteral("d.img"), kSourceSize), &why);
    QVERIFY2(loop, qPrintable(why));
    Untouched drive(m_loops[0]);
    QVERIFY(drive.ok());
    rig.station->handle(eventFor(m_loops[0]));
    QVERIFY(rig.waitFinished(1, 30s));
    QCOMPARE(qs(rig.recorder.finished[0].result), QStringLiteral("error: source changed"));
    const QString changed = drive.check();
    QVERIFY2(changed.isEmpty(), qPrintable(changed));
}

// A signal disarms the station and cancels its runs: the record says the
// drive was cancelled, and it does not count as passed.
void TestStation::cancelsWhenDisarmed()
{
    Rig rig;
    QVERIFY(rig.ok());
    rig.config.slotList.push_back(slotFor(QStringLiteral("A1"), m_loops[0]));
    QVERIFY(rig.arm().isEmpty());
    QString why;
    const auto loop =
        NamedLoop::attach(m_loops[0], rig.drive(QStringLiteral("d.img"), kSourceSize), &why);
    QVERIFY2(loop, qPrintable(why));
    rig.station->handle(eventFor(m_loops[0]));
    rig.station->disarm(true);
    QVERIFY(rig.waitFinished(1, 30s));
    QVERIFY(!rig.station->armed());
    QCOMPARE(qs(rig.recorder.finished[0].result),
             QStringLiteral("error: cancelled (the station was stopped)"));
    QCOMPARE(rig.station->passedCount(), std::size_t(0));
    QCOMPARE(rig.station->finishedCount(), std::size_t(1));
    // Disarmed, it takes no drive that appears.
    rig.station->handle(eventFor(m_loops[0], DeviceEventKind::Removed));
    rig.station->handle(eventFor(m_loops[0]));
    QCOMPARE(rig.recorder.ignored.size(), std::size_t(1));
    QCOMPARE(qs(rig.recorder.ignored[0].reason), qs(ignore_reason::kNotArmed));
}

void TestStation::validatesConfig_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    const QString slotsText =
        QStringLiteral(R"("slots": [{"label": "A1", "match": {"ID_PATH": "x"}}])");
    const QString base = QStringLiteral(R"({"source": "/img", "log": "/log.csv", %1, %2})");
    auto with = [&](const QString& extra) { return base.arg(slotsText, extra); };
    QTest::newRow("missing source") << QStringLiteral(R"({"log": "/l", %1})").arg(slotsText)
                                    << QStringLiteral("source: missing");
    QTest::newRow("missing log") << QStringLiteral(R"({"source": "/i", %1})").arg(slotsText)
                                 << QStringLiteral("log: missing");
    QTest::newRow("slots not an array")
        << QStringLiteral(R"({"source": "/i", "log": "/l", "slots": {"label": "A1"}})")
        << QStringLiteral("slots: must be an array of at least one slot");
    QTest::newRow("no slots") << QStringLiteral(R"({"source": "/i", "log": "/l", "slots": []})")
                              << QStringLiteral("slots: must be an array of at least one slot");
    QTest::newRow("match not an object")
        << QStringLiteral(R"({"source": "/i", "log": "/l", "slots": [{"label": "A1", "match": )"
                          R"({"DEVNAME": "a"}}, {"label": "A2", "match": ["ID_PATH"]}]})")
        << QStringLiteral("slots[1].match: must be an object of udev property globs");
    QTest::newRow("match value not a string")
        << QStringLiteral(R"({"source": "/i", "log": "/l", "slots": [{"label": "A1", "match": )"
                          R"({"DEVNAME": 3}}]})")
        << QStringLiteral("slots[0].match: must be an object of udev property globs");
    QTest::newRow("slot without label")
        << QStringLiteral(R"({"source": "/i", "log": "/l", "slots": [{"match": {"A": "b"}}]})")
        << QStringLiteral("slots[0].label: must be a non-empty name");
    QTest::newRow("two slots, one label")
        << QStringLiteral(R"({"source": "/i", "log": "/l", "slots": [{"label": "A", "match": )"
                          R"({"A": "b"}}, {"label": "A", "match": {"A": "c"}}]})")
        << QStringLiteral("slots[1].label: \"A\" names two slots");
    QTest::newRow("unknown slot key")
        << QStringLiteral(R"({"source": "/i", "log": "/l", "slots": [{"label": "A", "port": 1, )"
                          R"("match": {"A": "b"}}]})")
        << QStringLiteral("slots[0].port: unknown key");
    QTest::newRow("bad after") << with(QStringLiteral(R"("after": "shutdown")"))
                               << QStringLiteral("after: must be \"eject\", \"power-off\" or "
                                                 "\"none\"");
    QTest::newRow("unknown key") << with(QStringLiteral(R"("verfy": true)"))
                                 << QStringLiteral("verfy: unknown key");
    QTest::newRow("bad max-size") << with(QStringLiteral(R"("max-size": "64X")"))
                                  << QStringLiteral("max-size: ");
    QTest::newRow("max-size 0") << with(QStringLiteral(R"("max-size": "0")"))
                                << QStringLiteral("max-size: must be more than 0 bytes");
    QTest::newRow("max-size negative")
        << with(QStringLiteral(R"("max-size": -5)")) << QStringLiteral("max-size: must be a size");
    QTest::newRow("verify not a flag") << with(QStringLiteral(R"("verify": "yes")"))
                                       << QStringLiteral("verify: must be true or false");
    QTest::newRow("empty source")
        << QStringLiteral(R"({"source": "", "log": "/l", %1})").arg(slotsText)
        << QStringLiteral("source: must be a non-empty path");
    QTest::newRow("a key twice") << with(QStringLiteral(R"("source": "/other")"))
                                 << QStringLiteral("source: given twice");
    QTest::newRow("not JSON") << QStringLiteral(R"({"source": "/i",)")
                              << QStringLiteral("not valid JSON: ");
    QTest::newRow("not an object")
        << QStringLiteral("[1, 2]") << QStringLiteral("must be a JSON object");
}

void TestStation::validatesConfig()
{
    QFETCH(QString, text);
    QFETCH(QString, error);
    const auto c = parseStationConfig(text.toStdString(), "/etc/x.json");
    QVERIFY2(!c, "accepted");
    const QString message = QString::fromStdString(c.error().message);
    QVERIFY2(message.startsWith(QStringLiteral("station config /etc/x.json: ") + error),
             qPrintable(message));
    QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
}

void TestStation::readsValidConfig()
{
    const auto c = parseStationConfig(
        R"({"source": "images/golden.img", "log": "/var/log/station.csv", "slots": [)"
        R"({"label": "A1", "match": {"ID_PATH": "pci-*-usb-0:1.1:1.0-scsi-0:0:0:0"}},)"
        R"({"label": "A2", "match": {"ID_PATH": "pci-*-usb-0:1.2:1.0-*", "ID_BUS": "usb"}}],)"
        R"("max-size": "64G", "after": "power-off", "wipe-rest": true})",
        "/etc/drivemirror/station.json");
    QVERIFY2(c, c ? "" : c.error().message.c_str());
    QCOMPARE(qs(c->source), QStringLiteral("/etc/drivemirror/images/golden.img"));
    QCOMPARE(qs(c->log), QStringLiteral("/var/log/station.csv"));
    QCOMPARE(c->slotList.size(), std::size_t(2));
    QCOMPARE(c->slotList[1].match.size(), std::size_t(2));
    QCOMPARE(c->maxSize, std::uint64_t(64) << 30);
    QVERIFY(c->after == AfterAction::PowerOff);
    QVERIFY(c->verify);
    QVERIFY(c->wipeRest);
    QVERIFY(!c->allowFixed);
    QVERIFY(!c->station.empty());
}

void TestStation::matchesSlotsByGlobs()
{
    const SlotConfig slot{"A1", {{"ID_PATH", "pci-*-usb-0:1.1:*"}, {"ID_BUS", "usb"}}};
    std::map<std::string, std::string> props{{"ID_PATH", "pci-0000:00:14.0-usb-0:1.1:1.0-scsi-0"},
                                             {"ID_BUS", "usb"},
                                             {"DEVNAME", "/dev/sdb"}};
    QVERIFY(slotMatches(slot, props));
    props["ID_BUS"] = "ata";
    QVERIFY2(!slotMatches(slot, props), "every key of a match must match");
    props.erase("ID_BUS");
    QVERIFY2(!slotMatches(slot, props), "a property the device lacks matches nothing");
    QVERIFY(slotMatches({"B", {{"DEVNAME", "/dev/sd[b-d]"}}}, props));
    QVERIFY(!slotMatches({"B", {{"DEVNAME", "/dev/sd[c-d]"}}}, props));
}

void TestStation::quotesCsv()
{
    QCOMPARE(qs(csvField("plain")), QStringLiteral("plain"));
    QCOMPARE(qs(csvField("a,b")), QStringLiteral("\"a,b\""));
    QCOMPARE(qs(csvField("say \"hi\"")), QStringLiteral("\"say \"\"hi\"\"\""));
    QCOMPARE(qs(csvField("two\nlines")), QStringLiteral("\"two\nlines\""));
    QCOMPARE(qs(csvField("=HYPERLINK(1)")), QStringLiteral("'=HYPERLINK(1)"));
    QCOMPARE(qs(csvField("-1,2")), QStringLiteral("\"'-1,2\""));
    QCOMPARE(qs(decimalText(1.5)), QStringLiteral("1.500"));

    // A log opened again gets no second header.
    ScratchDir dir;
    const std::string path = dir.stdFile(QStringLiteral("log.csv"));
    AuditRecord r;
    r.result = "passed";
    r.serial = "SN,1";
    for (int i = 0; i < 2; ++i) {
        auto log = AuditLog::open(path);
        QVERIFY(log);
        QVERIFY(log->append(r));
    }
    const QStringList lines = fileLines(QString::fromStdString(path));
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].startsWith(QStringLiteral("time,station,slot,device,")));
    QVERIFY(lines[1].contains(QStringLiteral("\"SN,1\"")));
    QCOMPARE(fileLines(QString::fromStdString(path + ".jsonl")).size(), 2);
}

QTEST_GUILESS_MAIN(TestStation)
#include "tst_station.moc"
