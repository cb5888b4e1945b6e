// The imaging station's window and its controller. The lines the model is
// read from are written by the CLI's own station reporter, so a key renamed
// on one side only fails here. A real station, the built drivemirror-cli
// run as the window's helper (DRIVEMIRROR_HELPER), is armed with the
// window's button, writes two loop devices that appear in its slots after
// arming, and is disarmed through its stdin; its config refused is said in
// the window; closing the window while armed asks first. `drivemirror
// --station` refuses a config it cannot use before any window opens.
#include "bridge/station_controller.h"
#include "cli_test_support.h"
#include "gui_test_support.h"
#include "named_loop.h"
#include "protocol/station_protocol.h"
#include "station/station.h"
#include "station_audit_model.h"
#include "station_reporter.h"
#include "station_window.h"
#include "test_support.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

#include <memory>
#include <string>
#include <vector>

using State = ui::StationSlot::State;
using Phase = ui::StationController::Phase;
using testsupport::freeLoopNames;
using testsupport::NamedLoop;
using testsupport::ScratchDir;

namespace key = protocol::station::key;

namespace {

constexpr std::uint64_t kMiB = 1ull << 20;
constexpr std::uint64_t kSourceSize = 24 * kMiB;

bool writeFile(const QString& path, const QByteArray& text)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray configText(const QStringList& devices, const QString& source, const QString& log)
{
    return clitest::stationConfigText(devices, source, log, QStringLiteral("none"),
                                      QStringLiteral("bench 2"));
}

engine::DeviceInfo drive(const std::string& name, const std::string& serial)
{
    engine::DeviceInfo d;
    d.name = name;
    d.devnode = "/dev/" + name;
    d.vendor = "ACME";
    d.model = "Stick 64";
    d.serial = serial;
    d.wwn = "naa.5000" + serial;
    d.size = 64 * kMiB;
    d.removable = true;
    return d;
}

engine::AuditRecord record(const std::string& slot, const engine::DeviceInfo& d,
                           const std::string& result, const std::string& detail)
{
    engine::AuditRecord r;
    r.time = "2026-05-01T09:30:12Z";
    r.station = "bench 1";
    r.slot = slot;
    r.device = d.devnode;
    r.vendor = d.vendor;
    r.model = d.model;
    r.serial = d.serial;
    r.wwn = d.wwn;
    r.capacity = d.size;
    r.image = "/srv/golden.img";
    r.imageSha256 = std::string(64, 'a');
    r.bytesWritten = result == "passed" ? 32 * kMiB : 0;
    r.result = result;
    r.detail = detail;
    r.durationSeconds = 12.5;
    r.mibPerSecond = result == "passed" ? 2.56 : 0;
    r.after = result == "passed" ? "ejected" : "untouched";
    return r;
}

// The controller and the window on one config, with the built CLI as the
// station's helper.
struct LiveStation
{
    explicit LiveStation(const QString& config)
        : controller(ui::StationController::stationCommand(QCoreApplication::applicationDirPath()),
                     config, nullptr),
          window(controller, nullptr)
    {
        if (auto c = engine::loadStationConfig(config.toStdString()))
            controller.setConfig(*c);
        window.show();
    }

    ui::StationController controller;
    ui::StationWindow window;
};

} // namespace

class TestStationWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void recordKeysAreAuditColumns();
    void gridColumns();
    void readsTheStationsLines();
    void exportIsTheStationsCsv();
    void acceleratorsAreUnique();
    void guiRefusesUnusableConfig();
    void refusedConfigIsShown();
    void armsWritesAndDisarms();
    void closingWhileArmedAsksFirst();

private:
    bool m_canRunStation = false;
    QString m_whyNot;
};

void TestStationWindow::initTestCase()
{
    uitest::isolateSettings();
    clitest::initCliSuite();
    // The window runs the built CLI itself, not pkexec.
    qputenv("DRIVEMIRROR_HELPER", testsupport::cliPath().toLocal8Bit());
    m_canRunStation = testsupport::isRoot() && clitest::haveTool(QStringLiteral("losetup"));
    m_whyNot = testsupport::isRoot() ? QStringLiteral("needs losetup (util-linux)")
                                     : QStringLiteral("a station writes block devices: needs root");
}

void TestStationWindow::recordKeysAreAuditColumns()
{
    QStringList columns;
    for (const auto& f : engine::auditFields({}))
        columns << QString::fromLatin1(f.name.data(), static_cast<qsizetype>(f.name.size()));
    for (std::string_view k : {key::kTime, key::kSlot, key::kDevice, key::kVendor, key::kModel,
                               key::kSerial, key::kWwn, key::kCapacity, key::kResult, key::kDetail,
                               key::kDurationSeconds, key::kMibPerSecond, key::kAfter})
        QVERIFY2(columns.contains(ui::protocolName(k)), k.data());
}

void TestStationWindow::gridColumns()
{
    QCOMPARE(ui::StationWindow::gridColumns(1), 1);
    QCOMPARE(ui::StationWindow::gridColumns(4), 4);
    QCOMPARE(ui::StationWindow::gridColumns(5), 3);
    QCOMPARE(ui::StationWindow::gridColumns(6), 3);
    QCOMPARE(ui::StationWindow::gridColumns(7), 4);
    QCOMPARE(ui::StationWindow::gridColumns(9), 3);
    QCOMPARE(ui::StationWindow::gridColumns(16), 4);
}

void TestStationWindow::readsTheStationsLines()
{
    ScratchDir dir;
    std::vector<std::string> lines;
    auto reporter =
        cli::makeStationJsonReporter([&lines](const std::string& line) { lines.push_back(line); });
    ui::StationController controller(ui::HelperCommand{}, dir.file(QStringLiteral("s.json")),
                                     nullptr);
    ui::StationWindow window(controller, nullptr);
    QAbstractItemModelTester tester(window.auditView()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy errors(&controller, &ui::StationController::errorOccurred);
    // Every line the reporter wrote since the last call, read by the model.
    std::size_t fed = 0;
    auto feed = [&] {
        for (; fed < lines.size(); ++fed)
            controller.parseLine(QByteArray::fromStdString(lines[fed]));
    };

    reporter->hashing("/srv/golden.img", 4 * kMiB, 32 * kMiB);
    feed();
    QCOMPARE(controller.info().hashDone, 4 * kMiB);
    QCOMPARE(controller.info().hashTotal, 32 * kMiB);
    QCOMPARE(controller.info().source, QStringLiteral("/srv/golden.img"));

    engine::StationConfig config;
    config.station = "bench 1";
    config.source = "/srv/golden.img";
    config.log = dir.stdFile(QStringLiteral("audit.csv"));
    config.slotList = {{"A1", {{"ID_PATH", "pci-0000:00:14.0-usb-0:1*"}}},
                       {"A2", {{"DEVNAME", "/dev/sdy"}}},
                       {"A3", {{"DEVNAME", "/dev/sdz"}, {"ID_BUS", "usb"}}}};
    engine::StationSource source;
    source.path = config.source;
    source.size = 32 * kMiB;
    source.sha256 = std::string(64, 'a');
    auto log = engine::AuditLog::open(config.log);
    QVERIFY(log);
    engine::Station station(config, source, std::move(*log), *reporter);
    reporter->armed(station);
    feed();
    QCOMPARE(controller.info().name, QStringLiteral("bench 1"));
    QCOMPARE(controller.info().sha256, QString(64, QLatin1Char('a')));
    QCOMPARE(controller.info().size, 32 * kMiB);
    QCOMPARE(controller.info().log, dir.file(QStringLiteral("audit.csv")));
    QCOMPARE(controller.info().jsonl, dir.file(QStringLiteral("audit.csv.jsonl")));
    QCOMPARE(controller.phase(), Phase::Armed);
    const auto& slots = controller.slotList();
    QCOMPARE(slots.size(), 3u);
    QCOMPARE(slots[0].label, QStringLiteral("A1"));
    QCOMPARE(slots[0].match, QStringLiteral("ID_PATH=pci-0000:00:14.0-usb-0:1*"));
    QCOMPARE(slots[2].match, QStringLiteral("DEVNAME=/dev/sdz, ID_BUS=usb"));
    for (const auto& s : slots)
        QCOMPARE(s.state, State::Empty);
    QCOMPARE(window.tiles().size(), 3u);
    QVERIFY(window.stateText().contains(QStringLiteral("ARMED")));

    const engine::DeviceInfo a1 = drive("sdx", "S1"), a2 = drive("sdy", "S2"),
                             a3 = drive("sdz", "S3");
    reporter->deviceIgnored(a3, engine::ignore_reason::kPresentBeforeArming, "A3");
    reporter->deviceIgnored(drive("sdw", "S4"), engine::ignore_reason::kNoSlot, "");
    feed();
    QCOMPARE(slots[2].state, State::Ignored);
    QCOMPARE(slots[2].device, QStringLiteral("/dev/sdz"));
    QVERIFY(!slots[2].detail.isEmpty());
    QCOMPARE(slots[0].state, State::Empty);
    QCOMPARE(window.tiles()[2]->state(), State::Ignored);

    reporter->slotStarted("A1", a1);
    feed();
    QCOMPARE(slots[0].state, State::Copying);
    QCOMPARE(slots[0].vendor, QStringLiteral("ACME"));
    QCOMPARE(slots[0].model, QStringLiteral("Stick 64"));
    QCOMPARE(slots[0].serial, QStringLiteral("S1"));
    QCOMPARE(slots[0].capacity, 64 * kMiB);
    QCOMPARE(window.tiles()[0]->stateText(), ui::StationSlotTile::stateName(State::Copying));
    QVERIFY(window.tiles()[0]->driveText().contains(QStringLiteral("S1")));

    reporter->progress({{"A1", "/dev/sdx", false, 8 * kMiB, 32 * kMiB, 3.0e6}});
    feed();
    QCOMPARE(slots[0].state, State::Copying);
    QCOMPARE(slots[0].done, 8 * kMiB);
    QCOMPARE(slots[0].total, 32 * kMiB);
    QCOMPARE(slots[0].rate, 3.0e6);
    QCOMPARE(window.tiles()[0]->progressBar()->value(), 250);
    reporter->progress({{"A1", "/dev/sdx", true, 16 * kMiB, 32 * kMiB, 5.0e6}});
    feed();
    QCOMPARE(slots[0].state, State::Verifying);
    QCOMPARE(slots[0].done, 16 * kMiB);

    reporter->slotFinished(record("A1", a1, "passed", ""));
    reporter->slotFinished(
        record("A2", a2, "refused: target too small", "the target is smaller than the source"));
    reporter->slotStarted("A3", a3);
    reporter->slotFinished(
        record("A3", a3, "error: cancelled (the station was stopped)", "cancelled"));
    feed();
    QCOMPARE(slots[0].state, State::Passed);
    QCOMPARE(slots[0].result, QStringLiteral("passed"));
    QCOMPARE(slots[1].state, State::Refused);
    // A refused drive was never started: what it is comes from its record.
    QCOMPARE(slots[1].serial, QStringLiteral("S2"));
    QCOMPARE(slots[1].detail, QStringLiteral("the target is smaller than the source"));
    QCOMPARE(slots[2].state, State::Failed);
    QCOMPARE(window.tiles()[0]->stateText(), ui::StationSlotTile::stateName(State::Passed));
    QCOMPARE(window.tiles()[0]->progressBar()->value(), 1000);
    QVERIFY(window.tiles()[1]->resultText().contains(QStringLiteral("target too small")));

    const auto& records = controller.records();
    QCOMPARE(records.size(), 3);
    QVERIFY(records[0].passed);
    QVERIFY(!records[1].passed);
    QCOMPARE(records[0].text(key::kSerial), QStringLiteral("S1"));
    QCOMPARE(records[0].number(key::kCapacity), 64 * kMiB);
    QCOMPARE(records[0].decimal(key::kMibPerSecond), 2.56);
    QCOMPARE(records[0].text("image_sha256"), QString(64, QLatin1Char('a')));
    const QAbstractItemModel* model = window.auditView()->model();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->index(0, ui::StationAuditModel::Result).data().toString(),
             QStringLiteral("passed"));
    QCOMPARE(model->index(1, ui::StationAuditModel::Serial).data().toString(),
             QStringLiteral("S2"));
    QCOMPARE(model->index(1, ui::StationAuditModel::Result).data(Qt::ToolTipRole).toString(),
             QStringLiteral("the target is smaller than the source"));
    QVERIFY(window.exportButton()->isEnabled());

    QCOMPARE(errors.size(), 0);
    reporter->stationFailed(engine::Error{28, "audit log /x.csv: No space left on device"});
    feed();
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors[0][0].toString().contains(QStringLiteral("No space left on device")));

    reporter->disarmed("disarm", 3, 1);
    feed();
    QCOMPARE(controller.disarmReason(), QStringLiteral("disarm"));
    QCOMPARE(controller.finishedCount(), 3u);
    QCOMPARE(controller.passedCount(), 1u);
    QCOMPARE(controller.phase(), Phase::Disarming);

    // What is not a line of the protocol changes nothing.
    controller.parseLine("not json");
    controller.parseLine(R"({"event": "SOMETHING_NEW", "data": {"slot": "A1"}})");
    QCOMPARE(slots[0].state, State::Passed);
    QCOMPARE(controller.records().size(), 3);
}

void TestStationWindow::exportIsTheStationsCsv()
{
    ScratchDir dir;
    std::vector<std::string> lines;
    auto reporter =
        cli::makeStationJsonReporter([&lines](const std::string& line) { lines.push_back(line); });
    const engine::DeviceInfo d = drive("sdx", "=cmd|' /C calc'!A0");
    std::vector<engine::AuditRecord> written = {
        record("A1", d, "passed", ""),
        record("A2", d, "verify failed at 4096", "differs at 4096, \"quoted\", and so on")};
    for (const auto& r : written)
        reporter->slotFinished(r);
    ui::StationController controller(ui::HelperCommand{}, dir.file(QStringLiteral("s.json")),
                                     nullptr);
    for (const auto& l : lines)
        controller.parseLine(QByteArray::fromStdString(l));
    QCOMPARE(controller.records().size(), 2);

    // Byte for byte what the station's own log holds for the same records.
    const std::string logPath = dir.stdFile(QStringLiteral("station.csv"));
    auto log = engine::AuditLog::open(logPath);
    QVERIFY(log);
    for (const auto& r : written)
        QVERIFY(log->append(r));
    QCOMPARE(ui::StationController::csv(controller.records()),
             readFile(QString::fromStdString(logPath)));

    const QString out = dir.file(QStringLiteral("export.csv"));
    QSignalSpy exported(&controller, &ui::StationController::exported);
    controller.exportRecords(out);
    QVERIFY(exported.wait(10000));
    QCOMPARE(exported[0][0].toString(), out);
    QCOMPARE(exported[0][1].toInt(), 2);
    QCOMPARE(exported[0][2].toString(), QString());
    QCOMPARE(readFile(out), readFile(QString::fromStdString(logPath)));

    controller.exportRecords(dir.file(QStringLiteral("no/such/folder/x.csv")));
    QVERIFY(exported.wait(10000));
    QVERIFY(!exported[1][2].toString().isEmpty());
}

void TestStationWindow::acceleratorsAreUnique()
{
    ui::StationController controller(ui::HelperCommand{}, QStringLiteral("/x.json"), nullptr);
    ui::StationWindow window(controller, nullptr);
    QStringList texts;
    for (const QAbstractButton* b : window.findChildren<QAbstractButton*>())
        texts << b->text();
    for (const QLabel* l : window.findChildren<QLabel*>())
        if (l->buddy())
            texts << l->text();
    QVERIFY(texts.contains(window.armButton()->text()));
    QVERIFY(!uitest::mnemonic(window.armButton()->text()).isNull());
    QVERIFY(!uitest::mnemonic(window.disarmButton()->text()).isNull());
    QVERIFY(!uitest::mnemonic(window.exportButton()->text()).isNull());
    const QStringList clashes = uitest::mnemonicClashes(texts);
    QVERIFY2(clashes.isEmpty(), qPrintable(clashes.join(QLatin1Char('\n'))));
    // Nothing to run the station with: Arm says why instead of failing late.
    QVERIFY(!window.armButton()->isEnabled());
    QVERIFY(!window.disarmButton()->isEnabled());
}

void TestStationWindow::guiRefusesUnusableConfig()
{
    const QString gui =
        QFileInfo(testsupport::cliPath()).dir().filePath(QStringLiteral("drivemirror"));
    QVERIFY2(QFileInfo(gui).isExecutable(), qPrintable(gui));
    ScratchDir dir;
    const QString missing = dir.file(QStringLiteral("missing.json"));
    auto r = testsupport::runCommand(gui, {QStringLiteral("--station"), missing}, 30000);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("station config ") + missing), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("No such file or directory")), qPrintable(r.err));

    const QString bad = dir.file(QStringLiteral("bad.json"));
    QVERIFY(writeFile(bad, R"({"source": "/x.img", "log": "/tmp/x.csv", "slots": "A1"})"));
    r = testsupport::runCommand(gui, {QStringLiteral("--station"), bad}, 30000);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("slots: must be an array")), qPrintable(r.err));
}

void TestStationWindow::refusedConfigIsShown()
{
    ScratchDir dir;
    const QString config = dir.file(QStringLiteral("station.json"));
    QVERIFY(writeFile(config, R"({"source": "/x.img", "log": "/tmp/x.csv", "slots": "A1"})"));
    LiveStation s(config);
    QSignalSpy errors(&s.controller, &ui::StationController::errorOccurred);
    QVERIFY(s.window.armButton()->isEnabled());
    QTest::mouseClick(s.window.armButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(s.controller.phase(), Phase::Disarmed, 30000);
    QCOMPARE(s.controller.exitCode(), std::optional<int>(2));
    QVERIFY(!errors.isEmpty());
    QVERIFY2(errors.last()[0].toString().contains(QStringLiteral("slots: must be an array")),
             qPrintable(errors.last()[0].toString()));
    const auto labels = s.window.findChildren<QLabel*>();
    QVERIFY(std::any_of(labels.begin(), labels.end(), [](const QLabel* l) {
        return l->isVisible() && l->text().contains(QStringLiteral("slots: must be an array"));
    }));
    // Another try is the operator's to make, once the file is mended.
    QVERIFY(s.window.armButton()->isEnabled());
    QVERIFY(!s.window.disarmButton()->isEnabled());
}

void TestStationWindow::armsWritesAndDisarms()
{
    if (!m_canRunStation)
        QSKIP(qPrintable(m_whyNot));
    ScratchDir dir;
    const QString source = dir.file(QStringLiteral("golden.img"));
    QVERIFY(clitest::makeFilled(source, kSourceSize, 31));
    // Old data on both; the second is larger, and its rest must be wiped.
    const QStringList files{dir.file(QStringLiteral("stick1.img")),
                            dir.file(QStringLiteral("stick2.img"))};
    QVERIFY(clitest::makeFilled(files[0], kSourceSize, 32));
    QVERIFY(clitest::makeFilled(files[1], kSourceSize + 4 * kMiB, 33));
    const QStringList names = freeLoopNames(2);
    QCOMPARE(names.size(), 2);
    const QString config = dir.file(QStringLiteral("station.json"));
    const QString log = dir.file(QStringLiteral("audit.csv"));
    QVERIFY(writeFile(config, configText(names, source, log)));

    LiveStation s(config);
    QCOMPARE(s.window.tiles().size(), 2u);
    QVERIFY(s.window.armButton()->isEnabled());
    QVERIFY(!s.window.disarmButton()->isEnabled());
    QTest::mouseClick(s.window.armButton(), Qt::LeftButton);
    QVERIFY(!s.window.armButton()->isEnabled());
    QTRY_COMPARE_WITH_TIMEOUT(s.controller.phase(), Phase::Armed, 30000);
    QVERIFY(s.window.disarmButton()->isEnabled());
    QVERIFY(s.window.stateText().contains(QStringLiteral("ARMED")));
    QCOMPARE(s.controller.info().sha256.size(), 64);
    QCOMPARE(s.controller.info().log, log);

    std::vector<std::unique_ptr<NamedLoop>> loops;
    for (int i = 0; i < 2; ++i) {
        QString why;
        loops.push_back(NamedLoop::attach(names[i], files[i], &why));
        QVERIFY2(loops.back(), qPrintable(why));
    }
    const auto& tiles = s.window.tiles();
    QTRY_VERIFY_WITH_TIMEOUT(
        tiles[0]->state() == State::Passed && tiles[1]->state() == State::Passed, 60000);
    for (const auto* tile : tiles) {
        QCOMPARE(tile->stateText(), ui::StationSlotTile::stateName(State::Passed));
        QCOMPARE(tile->progressBar()->value(), 1000);
    }
    QVERIFY(tiles[0]->driveText().contains(names[0]));
    QVERIFY(testsupport::cmpIdentical(source, names[0]));
    QVERIFY(testsupport::cmpIdenticalPrefix(source, names[1], kSourceSize));
    QCOMPARE(clitest::readBytes(names[1], kSourceSize, 4 * kMiB), QByteArray(4 * kMiB, '\0'));

    const QAbstractItemModel* model = s.window.auditView()->model();
    QCOMPARE(model->rowCount(), 2);
    for (int row = 0; row < 2; ++row)
        QCOMPARE(model->index(row, ui::StationAuditModel::Result).data().toString(),
                 QStringLiteral("passed"));

    // Export through the window's own dialog.
    const QString csv = dir.file(QStringLiteral("export.csv"));
    QSignalSpy exported(&s.controller, &ui::StationController::exported);
    QTest::mouseClick(s.window.exportButton(), Qt::LeftButton);
    QFileDialog* dialog = nullptr;
    QTRY_VERIFY((dialog = s.window.findChild<QFileDialog*>()) != nullptr);
    QVERIFY(dialog->isVisible());
    dialog->selectFile(csv);
    // As the Save button does (accept() is a protected slot).
    QVERIFY(QMetaObject::invokeMethod(dialog, "accept"));
    QVERIFY(exported.wait(10000));
    QCOMPARE(exported[0][2].toString(), QString());
    const QStringList rows = testsupport::fileLines(csv);
    QCOMPARE(rows.size(), 3);
    const int resultColumn = rows[0].split(QLatin1Char(',')).indexOf(QStringLiteral("result"));
    QVERIFY(resultColumn >= 0);
    for (int i = 1; i < 3; ++i)
        QCOMPARE(rows[i].split(QLatin1Char(','))[resultColumn], QStringLiteral("passed"));
    // The same records the station logged, in the same form.
    QCOMPARE(readFile(csv), readFile(log));

    QSignalSpy finished(&s.controller, &ui::StationController::finished);
    QTest::mouseClick(s.window.disarmButton(), Qt::LeftButton);
    QVERIFY(!s.window.disarmButton()->isEnabled());
    QVERIFY(finished.wait(30000));
    QCOMPARE(s.controller.phase(), Phase::Disarmed);
    QCOMPARE(s.controller.exitCode(), std::optional<int>(0));
    QCOMPARE(s.controller.disarmReason(), QStringLiteral("disarm"));
    QCOMPARE(s.controller.finishedCount(), 2u);
    QCOMPARE(s.controller.passedCount(), 2u);
    QVERIFY2(s.window.stateText().startsWith(QStringLiteral("Disarmed")),
             qPrintable(s.window.stateText()));
    QVERIFY(s.window.armButton()->isEnabled());
    // The tiles keep the last results until the next arming.
    QCOMPARE(tiles[0]->state(), State::Passed);
}

void TestStationWindow::closingWhileArmedAsksFirst()
{
    if (!m_canRunStation)
        QSKIP(qPrintable(m_whyNot));
    ScratchDir dir;
    const QString source = dir.file(QStringLiteral("golden.img"));
    QVERIFY(clitest::makeFilled(source, 4 * kMiB, 5));
    const QString config = dir.file(QStringLiteral("station.json"));
    QVERIFY(writeFile(config, configText({QStringLiteral("/dev/nothing-here")}, source,
                                         dir.file(QStringLiteral("audit.csv")))));
    LiveStation s(config);
    QTest::mouseClick(s.window.armButton(), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(s.controller.phase(), Phase::Armed, 30000);

    // Cancel keeps the station armed and the window open.
    QVERIFY(!s.window.close());
    QMessageBox* box = nullptr;
    QTRY_VERIFY((box = s.window.findChild<QMessageBox*>()) != nullptr);
    QCOMPARE(box->windowModality(), Qt::WindowModal);
    box->button(QMessageBox::Cancel)->click();
    QTRY_VERIFY(s.window.findChild<QMessageBox*>() == nullptr);
    QVERIFY(s.window.isVisible());
    QCOMPARE(s.controller.phase(), Phase::Armed);

    QSignalSpy finished(&s.controller, &ui::StationController::finished);
    QVERIFY(!s.window.close());
    QTRY_VERIFY((box = s.window.findChild<QMessageBox*>()) != nullptr);
    QAbstractButton* disarm = uitest::buttonWithRole(box, QMessageBox::AcceptRole);
    QVERIFY(disarm);
    disarm->click();
    QVERIFY(finished.wait(30000));
    QTRY_VERIFY(!s.window.isVisible());
    QCOMPARE(s.controller.exitCode(), std::optional<int>(0));
    QCOMPARE(s.controller.disarmReason(), QStringLiteral("disarm"));
}

QTEST_MAIN(TestStationWindow)
#include "tst_station_window.moc"
