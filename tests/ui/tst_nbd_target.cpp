// An NBD export as a target in the desktop app: the "Add NBD Export" dialog
// tested against real qemu-nbd servers (writable, read-only), a socket
// nobody listens on and a server that accepts and never answers (the UI
// thread stays free, the attempt is dropped when the dialog closes); the
// export's row in the target list; its inspection; and a real job onto it,
// in this process and in the helper, confirmed by the export's URI, with
// the export's name typed when it holds data.
//
// With DRIVEMIRROR_SCREENSHOT_DIR set, the dialog and the window are saved
// there as PNGs (nbd-export-dialog.png, nbd-main-window.png).
#include "bridge/export_probe.h"
#include "bridge/helper_protocol.h"
#include "bridge/local_job_controller.h"
#include "bridge/remote_job_controller.h"
#include "bridge/routing_job_controller.h"
#include "confirm_start_dialog.h"
#include "device_list_model.h"
#include "device_pane.h"
#include "fake_job_controller.h"
#include "gui_test_support.h"
#include "job_settings_widget.h"
#include "log_view.h"
#include "main_window.h"
#include "nbd_export_dialog.h"
#include "status_panel.h"
#include "test_support.h"

#include <QCheckBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QProcess>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTest>
#include <QTimer>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <memory>

using engine::JobStatus;
using testsupport::ScratchDir;

namespace {

constexpr std::uint64_t kMiB = 1ull << 20;

QString uriFor(const QString& socket)
{
    return QStringLiteral("nbd+unix:///disk?socket=") + socket;
}

// A unix socket at @p path, listening or not. Listening, it takes the
// connection (the kernel queues it) and never says a word: a server that
// accepts and then never answers.
class UnixSocket
{
public:
    UnixSocket(const QString& path, bool listening)
    {
        m_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        const QByteArray p = QFile::encodeName(path);
        if (m_fd < 0 || static_cast<std::size_t>(p.size()) >= sizeof(addr.sun_path))
            return;
        std::memcpy(addr.sun_path, p.constData(), static_cast<std::size_t>(p.size()));
        m_ok = ::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
               (!listening || ::listen(m_fd, 8) == 0);
        if (!listening)
            close(); // the file stays: a socket nobody listens on
    }
    ~UnixSocket() { close(); }
    UnixSocket(const UnixSocket&) = delete;
    UnixSocket& operator=(const UnixSocket&) = delete;
    bool ok() const { return m_ok; }
    /// Stops listening: the connections queued and never taken are reset.
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

private:
    int m_fd = -1;
    bool m_ok = false;
};

// qemu-nbd serving @p file as export "disk" on a unix socket, as long as
// this object lives (and never longer than this process).
class QemuNbd
{
public:
    QemuNbd(const QString& file, const QString& socket, bool readOnly) : m_socket(socket)
    {
        QStringList args{QStringLiteral("--format=raw"), QStringLiteral("--persistent"),
                         QStringLiteral("--shared=0"), QStringLiteral("--socket=") + socket,
                         QStringLiteral("--export-name=disk")};
        if (readOnly)
            args << QStringLiteral("--read-only");
        args << file;
        m_proc.setProgram(QStringLiteral("qemu-nbd"));
        m_proc.setArguments(args);
        m_proc.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        m_proc.start();
    }
    ~QemuNbd()
    {
        m_proc.terminate();
        if (!m_proc.waitForFinished(5000)) {
            m_proc.kill();
            m_proc.waitForFinished(5000);
        }
    }
    /// Listening on its socket; false with what it said otherwise.
    bool waitReady(QString* why)
    {
        if (!m_proc.waitForStarted(10000)) {
            *why = m_proc.errorString();
            return false;
        }
        // qemu-nbd binds and listens at once: the socket file means both.
        if (!QTest::qWaitFor([this] { return QFileInfo::exists(m_socket); }, 10000) ||
            m_proc.state() != QProcess::Running) {
            *why = QString::fromLocal8Bit(m_proc.readAllStandardError());
            return false;
        }
        return true;
    }
    QString uri() const { return uriFor(m_socket); }

private:
    QString m_socket;
    QProcess m_proc;
};

void saveScreenshot(QWidget* widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("DRIVEMIRROR_SCREENSHOT_DIR");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    // Laid out as it will be painted: a layout request may still be queued.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
    const QString path = QDir(dir).filePath(name);
    if (!widget->grab().save(path))
        qWarning("cannot save %s", qPrintable(path));
}

// The display text of @p uri's row in @p column.
QString cell(const ui::DeviceListModel& devices, const QString& uri, int column)
{
    const int row = devices.rowOf(uri);
    return row < 0 ? QString() : devices.index(row, column).data().toString();
}

} // namespace

class TestNbdTarget : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<ScratchDir> m_dir;

    // A 64 MiB export file served by qemu-nbd; null (the test skipped or
    // failed) when it cannot be had.
    std::unique_ptr<QemuNbd> serve(const QString& name, std::uint64_t size, bool readOnly,
                                   QString* file = nullptr)
    {
        if (QStandardPaths::findExecutable(QStringLiteral("qemu-nbd")).isEmpty())
            return nullptr;
        const QString path = m_dir->file(name + QStringLiteral(".img"));
        if (!testsupport::createSparse(path, size))
            return nullptr;
        if (file)
            *file = path;
        auto server =
            std::make_unique<QemuNbd>(path, m_dir->file(name + QStringLiteral(".sock")), readOnly);
        QString why;
        if (!server->waitReady(&why)) {
            qWarning("qemu-nbd did not start: %s", qPrintable(why));
            return nullptr;
        }
        return server;
    }

    static bool haveQemuNbd()
    {
        return !QStandardPaths::findExecutable(QStringLiteral("qemu-nbd")).isEmpty();
    }

    // Types @p uri into the dialog, presses Test Connection and waits for
    // the answer; false when none came.
    static bool testUri(ui::NbdExportDialog& dialog, const QString& uri)
    {
        dialog.uriEdit()->setText(uri);
        QSignalSpy tested(&dialog, &ui::NbdExportDialog::tested);
        QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
        return tested.count() == 1 || tested.wait(20000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        uitest::isolateSettings();
        m_dir = std::make_unique<ScratchDir>();
        QVERIFY(m_dir->isValid());
    }
    void init()
    {
        QSettings().clear();
        if (!haveQemuNbd())
            QSKIP("qemu-nbd is not installed (package qemu-utils): no NBD server to test "
                  "against");
    }
    void cleanupTestCase()
    {
        // Every probe thread has ended: none is left behind by a test.
        QTRY_COMPARE_WITH_TIMEOUT(ui::ExportProbe::threadsRunning(), 0, 20000);
    }

    void testConnection_writableExport_showsSizeAndWritable()
    {
        auto server = serve(QStringLiteral("writable"), 64 * kMiB, false);
        QVERIFY(server);
        ui::NbdExportDialog dialog;
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(dialog.resultLabel()->text().isEmpty());

        dialog.uriEdit()->setText(server->uri());
        QSignalSpy tested(&dialog, &ui::NbdExportDialog::tested);
        QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
        // Busy while the server is asked: the button waits, a bar moves.
        QVERIFY(tested.count() == 0);
        QVERIFY(dialog.testing());
        QVERIFY(dialog.busyIndicator()->isVisible());
        QVERIFY(!dialog.testButton()->isEnabled());
        QVERIFY(tested.wait(20000));

        QCOMPARE(dialog.resultLabel()->text(), QStringLiteral("64.0 MiB, writable"));
        QVERIFY(!dialog.busyIndicator()->isVisible());
        QVERIFY(!dialog.testing());
        QVERIFY(dialog.testButton()->isEnabled());
        QVERIFY(dialog.addButton()->isEnabled());
        const auto facts = dialog.testedFacts();
        QVERIFY(facts.has_value());
        QCOMPARE(facts->uri, server->uri());
        QCOMPARE(facts->size, 64 * kMiB);
        QVERIFY(!facts->readOnly);
        saveScreenshot(&dialog, QStringLiteral("nbd-export-dialog.png"));

        // The answer belongs to that URI: another one has none.
        dialog.uriEdit()->setText(server->uri() + QStringLiteral("x"));
        QVERIFY(!dialog.testedFacts());
        QVERIFY(dialog.resultLabel()->text().isEmpty());
    }

    void testConnection_readOnlyExport_saysItCannotBeATarget()
    {
        auto server = serve(QStringLiteral("readonly"), 64 * kMiB, true);
        QVERIFY(server);
        ui::NbdExportDialog dialog;
        dialog.show();
        QVERIFY(testUri(dialog, server->uri()));
        QCOMPARE(dialog.resultLabel()->text(),
                 QStringLiteral("64.0 MiB, read-only: cannot be a target"));
        const auto facts = dialog.testedFacts();
        QVERIFY(facts && facts->readOnly);
        saveScreenshot(&dialog, QStringLiteral("nbd-export-dialog-readonly.png"));
    }

    void testConnection_nobodyListens_showsTheError()
    {
        const QString socket = m_dir->file(QStringLiteral("nobody.sock"));
        UnixSocket dead(socket, false);
        QVERIFY(dead.ok());
        ui::NbdExportDialog dialog;
        dialog.show();
        QVERIFY(testUri(dialog, uriFor(socket)));
        // The URI is right above: the line says what happened, the
        // tooltip is the engine's whole line, which names the URI.
        const QString text = dialog.resultLabel()->text();
        QCOMPARE(text, QStringLiteral("Cannot connect: connect: Connection refused"));
        const QString tip = dialog.resultLabel()->toolTip();
        QVERIFY2(tip.startsWith(uriFor(socket) + QStringLiteral(": ")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("Connection refused")), qPrintable(tip));
        QVERIFY(!tip.contains(u'\n')); // one line
        QVERIFY(!dialog.testedFacts());
        QVERIFY(!dialog.testing());
        // Whether it can be reached is the list's to say; the URI is one.
        QVERIFY(dialog.addButton()->isEnabled());
        saveScreenshot(&dialog, QStringLiteral("nbd-export-dialog-error.png"));
    }

    // A server that accepts and never answers: libnbd's connect would block
    // for good. The UI thread keeps running, and closing the dialog drops
    // the attempt, whose thread ends once the connection goes.
    void testConnection_silentServer_uiResponsive_attemptAbandonedOnClose()
    {
        const QString socket = m_dir->file(QStringLiteral("silent.sock"));
        UnixSocket silent(socket, true);
        QVERIFY(silent.ok());
        QTRY_COMPARE_WITH_TIMEOUT(ui::ExportProbe::threadsRunning(), 0, 20000);

        int ticks = 0;
        qint64 longestGap = 0;
        QElapsedTimer sinceTick;
        QTimer timer;
        timer.setInterval(10);
        connect(&timer, &QTimer::timeout, this, [&] {
            if (ticks > 0)
                longestGap = std::max(longestGap, sinceTick.elapsed());
            sinceTick.restart();
            ++ticks;
        });

        auto* dialog = new ui::NbdExportDialog;
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        QPointer<ui::NbdExportDialog> alive(dialog);
        dialog->show();
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        QSignalSpy tested(dialog, &ui::NbdExportDialog::tested);
        dialog->uriEdit()->setText(uriFor(socket));
        timer.start();
        QTest::mouseClick(dialog->testButton(), Qt::LeftButton);
        QTest::qWait(1500);
        timer.stop();

        QVERIFY(dialog->testing());
        QVERIFY(dialog->busyIndicator()->isVisible());
        QCOMPARE(dialog->resultLabel()->text(), QStringLiteral("Connecting to the server…"));
        saveScreenshot(dialog, QStringLiteral("nbd-export-dialog-connecting.png"));
        QCOMPARE(tested.count(), 0);
        QCOMPARE(ui::ExportProbe::threadsRunning(), 1);
        // 10 ms ticks all along: nothing waited for the server.
        QVERIFY2(ticks >= 40, qPrintable(QString::number(ticks)));
        QVERIFY2(longestGap < 500, qPrintable(QString::number(longestGap)));

        dialog->reject();
        QTRY_VERIFY(alive.isNull());
        // Still connecting (the server says nothing), but abandoned.
        QTest::qWait(200);
        QCOMPARE(ui::ExportProbe::threadsRunning(), 1);
        // The server goes: the attempt ends and closes what it opened, and
        // its answer goes nowhere.
        silent.close();
        QTRY_COMPARE_WITH_TIMEOUT(ui::ExportProbe::threadsRunning(), 0, 10000);
        QTest::qWait(100); // a late answer would land on a deleted dialog
    }

    void testConnection_silentServer_deadline_saysNoAnswer()
    {
        const QString socket = m_dir->file(QStringLiteral("silent2.sock"));
        UnixSocket silent(socket, true);
        QVERIFY(silent.ok());
        ui::NbdExportDialog dialog;
        dialog.setDeadline(std::chrono::milliseconds(300));
        dialog.show();
        QElapsedTimer clock;
        clock.start();
        QVERIFY(testUri(dialog, uriFor(socket)));
        QVERIFY(clock.elapsed() < 5000);
        const QString text = dialog.resultLabel()->text();
        QVERIFY2(text.contains(QStringLiteral("no answer from the NBD server within 0.3 s")),
                 qPrintable(text));
        QVERIFY(!dialog.testing());
        QVERIFY(!dialog.busyIndicator()->isVisible());
        QVERIFY(dialog.testButton()->isEnabled());
        silent.close();
        QTRY_COMPARE_WITH_TIMEOUT(ui::ExportProbe::threadsRunning(), 0, 10000);
    }

    void testConnection_uriEditedWhileTesting_attemptDropped()
    {
        const QString socket = m_dir->file(QStringLiteral("silent3.sock"));
        UnixSocket silent(socket, true);
        QVERIFY(silent.ok());
        ui::NbdExportDialog dialog;
        dialog.show();
        QSignalSpy tested(&dialog, &ui::NbdExportDialog::tested);
        dialog.uriEdit()->setText(uriFor(socket));
        QTest::mouseClick(dialog.testButton(), Qt::LeftButton);
        QVERIFY(dialog.testing());
        QTest::keyClick(dialog.uriEdit(), Qt::Key_Backspace);
        QVERIFY(!dialog.testing());
        QVERIFY(!dialog.busyIndicator()->isVisible());
        QVERIFY(dialog.resultLabel()->text().isEmpty());
        QVERIFY(dialog.testButton()->isEnabled());
        silent.close();
        QTRY_COMPARE_WITH_TIMEOUT(ui::ExportProbe::threadsRunning(), 0, 10000);
        QCOMPARE(tested.count(), 0);
    }

    void addButton_enabledOnlyForAnNbdUri_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("enabled");
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("path") << QStringLiteral("/var/tmp/disk.img") << false;
        QTest::newRow("http") << QStringLiteral("http://server/disk") << false;
        QTest::newRow("no scheme") << QStringLiteral("server:10809/disk") << false;
        QTest::newRow("nbd") << QStringLiteral("nbd://server:10809/disk") << true;
        QTest::newRow("unix") << QStringLiteral("nbd+unix:///disk?socket=/run/d.sock") << true;
        QTest::newRow("tls, blanks around")
            << QStringLiteral("  nbds://alice@server/sdc?tls-psk-file=keys.psk ") << true;
    }

    void addButton_enabledOnlyForAnNbdUri()
    {
        QFETCH(QString, text);
        QFETCH(bool, enabled);
        ui::NbdExportDialog dialog;
        dialog.uriEdit()->setText(text);
        QCOMPARE(dialog.addButton()->isEnabled(), enabled);
        QCOMPARE(dialog.testButton()->isEnabled(), enabled);
        QCOMPARE(dialog.uri(), text.trimmed());
        QVERIFY(!dialog.uriEdit()->placeholderText().isEmpty());
    }

    // Through the window: Add NBD Export, tested, added; the row shows the
    // URI, its size at once and that it is a network export; it is listed
    // as a source too, and picked as the target like any other.
    void addExport_throughTheWindow_listedAsNetworkTarget_selectable()
    {
        auto server = serve(QStringLiteral("listed"), 64 * kMiB, false);
        QVERIFY(server);
        const QString source = m_dir->file(QStringLiteral("listed-source.img"));
        QVERIFY(testsupport::createSparse(source, 32 * kMiB));

        ui::DeviceListModel devices;
        FakeJobController controller;
        ui::MainWindow w(devices, controller, {});
        w.setInterruptedJobDirs({});
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        QPushButton* add = w.targetPane()->addExportButton();
        QVERIFY(add && add->isVisible());
        QVERIFY(w.sourcePane()->addExportButton());
        QTest::mouseClick(add, Qt::LeftButton);
        QTRY_VERIFY(w.targetPane()->exportDialog());
        ui::NbdExportDialog* dialog = w.targetPane()->exportDialog();
        QVERIFY(dialog->isVisible());
        QVERIFY(testUri(*dialog, server->uri()));
        QSignalSpy added(&devices, &ui::DeviceListModel::exportAdded);
        QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
        QCOMPARE(added.count(), 1);
        QCOMPARE(added.front().front().toString(), server->uri());
        QTRY_VERIFY(!w.targetPane()->exportDialog());

        // What the test found is shown at once: no second look needed.
        const ui::DeviceEntry* e = devices.entry(server->uri());
        QVERIFY(e);
        QVERIFY(e->networkExport && !e->connecting);
        QCOMPARE(cell(devices, server->uri(), ui::DeviceListModel::NameColumn), server->uri());
        QCOMPARE(cell(devices, server->uri(), ui::DeviceListModel::SizeColumn),
                 QStringLiteral("64.0 MiB"));
        QCOMPARE(cell(devices, server->uri(), ui::DeviceListModel::KindColumn),
                 QStringLiteral("Network"));
        QCOMPARE(cell(devices, server->uri(), ui::DeviceListModel::ModelColumn),
                 QStringLiteral("NBD export on this machine"));
        QCOMPARE(cell(devices, server->uri(), ui::DeviceListModel::MountColumn),
                 QStringLiteral("Writable"));
        const int row = devices.rowOf(server->uri());
        QVERIFY(!devices.index(row, 0).data(Qt::DecorationRole).value<QIcon>().isNull());

        // In both lists: an export can be read as well as written.
        QVERIFY(w.sourcePane()->filterModel()->mapFromSource(devices.index(row, 0)).isValid());
        QVERIFY(w.targetPane()->filterModel()->mapFromSource(devices.index(row, 0)).isValid());
        // Never preselected; picked like any target.
        QVERIFY(w.targetPane()->currentPaths().isEmpty());
        devices.addImages({source});
        QTRY_VERIFY(devices.entry(source) && devices.isIdle());
        QVERIFY(w.sourcePane()->selectPath(source));
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(w.targetPane()->selectPath(server->uri()));
        QCOMPARE(w.targetPane()->currentPaths(), QStringList{server->uri()});
        QVERIFY(w.startButton()->isEnabled());
        w.resize(1300, 860);
        QTest::qWait(50);
        saveScreenshot(&w, QStringLiteral("nbd-main-window.png"));

        // Start: the window asks about the URI and starts with it.
        controller.inspection.facts.exists = true;
        controller.inspection.facts.size = 64 * kMiB;
        controller.inspection.facts.signatureReadable = true;
        controller.inspection.facts.identity = server->uri().toStdString();
        QTest::mouseClick(w.startButton(), Qt::LeftButton);
        QTRY_VERIFY(w.confirmDialog());
        ui::ConfirmStartDialog* confirm = w.confirmDialog();
        QCOMPARE(confirm->target().path, server->uri());
        QVERIFY(confirm->target().networkExport);
        QVERIFY(!confirm->target().requiresTypedName());
        QStringList texts;
        for (const QLabel* l : confirm->findChildren<QLabel*>())
            texts << l->text();
        QVERIFY2(texts.contains(server->uri()), qPrintable(texts.join(u'|')));
        QVERIFY(texts.contains(QStringLiteral("URI:")));
        QVERIFY(texts.contains(QStringLiteral("NBD export on this machine")));
        saveScreenshot(confirm, QStringLiteral("nbd-confirm.png"));
        confirm->startButton()->click();
        QTRY_VERIFY(controller.calls.contains(QStringLiteral("start")));
        QCOMPARE(controller.lastRequest.source, source);
        QCOMPARE(controller.lastRequest.targets.size(), 1);
        QCOMPARE(controller.lastRequest.targets.front().path, server->uri());
        // Bound to the URI, as the job setup binds an export.
        QCOMPARE(controller.lastRequest.targets.front().expectedId, server->uri());
        QVERIFY(!controller.lastRequest.targets.front().overwriteConfirmed);
    }

    // Listed without a test: "Connecting…" and not usable until its server
    // answered, then its size; asked again on refresh.
    void addExport_untested_connectsThenShowsSize()
    {
        auto server = serve(QStringLiteral("untested"), 64 * kMiB, false);
        QVERIFY(server);
        const QString uri = server->uri();
        ui::DeviceListModel devices;
        ui::DeviceFilterModel targets(ui::DeviceFilterModel::Purpose::Target);
        targets.setSourceModel(&devices);
        devices.addExport(server->uri());
        const int row = devices.rowOf(server->uri());
        QVERIFY(row >= 0);
        QVERIFY(devices.entry(server->uri())->connecting);
        QVERIFY(!devices.isIdle());
        QCOMPARE(cell(devices, server->uri(), ui::DeviceListModel::SizeColumn),
                 QStringLiteral("Connecting…"));
        const QModelIndex index = targets.mapFromSource(devices.index(row, 0));
        QVERIFY(!targets.refusal(index).isEmpty());
        QVERIFY(!(targets.flags(index) & Qt::ItemIsSelectable));

        QTRY_VERIFY_WITH_TIMEOUT(devices.isIdle(), 20000);
        QCOMPARE(cell(devices, server->uri(), ui::DeviceListModel::SizeColumn),
                 QStringLiteral("64.0 MiB"));
        QCOMPARE(devices.index(row, 0).data(ui::DeviceListModel::SizeBytesRole).toULongLong(),
                 64 * kMiB);
        QVERIFY2(targets.refusal(index).isEmpty(), qPrintable(targets.refusal(index)));
        QVERIFY(targets.flags(index) & Qt::ItemIsSelectable);

        // Refresh asks again: the server went away, so the row says so.
        server.reset();
        devices.refresh();
        QTRY_VERIFY_WITH_TIMEOUT(devices.isIdle() && devices.entry(uri)->unreachable.has_value(),
                                 20000);
        QCOMPARE(cell(devices, uri, ui::DeviceListModel::MountColumn),
                 QStringLiteral("Cannot connect"));
        // The size last known stays shown.
        QCOMPARE(cell(devices, uri, ui::DeviceListModel::SizeColumn), QStringLiteral("64.0 MiB"));
        QVERIFY(!targets.refusal(index).isEmpty());
    }

    // What the rules refuse is greyed out, the reason in its tooltip.
    void addExport_refused_greyedWithTheReason_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("readOnly");
        QTest::addColumn<quint64>("sourceSize");
        QTest::addColumn<QString>("state");
        QTest::addColumn<QString>("why");
        QTest::newRow("read-only")
            << QStringLiteral("ro") << true << quint64(32 * kMiB) << QStringLiteral("Read-only")
            << QStringLiteral("the export is read-only");
        QTest::newRow("smaller than the source")
            << QStringLiteral("small") << false << quint64(128 * kMiB) << QStringLiteral("Writable")
            << QStringLiteral("it is smaller than the source");
        QTest::newRow("nobody listens")
            << QString() << false << quint64(32 * kMiB) << QStringLiteral("Cannot connect")
            << QStringLiteral("Connection refused");
    }

    void addExport_refused_greyedWithTheReason()
    {
        QFETCH(QString, name);
        QFETCH(bool, readOnly);
        QFETCH(quint64, sourceSize);
        QFETCH(QString, state);
        QFETCH(QString, why);
        std::unique_ptr<QemuNbd> server;
        std::unique_ptr<UnixSocket> dead;
        QString uri;
        if (name.isEmpty()) {
            const QString socket = m_dir->file(QStringLiteral("refused.sock"));
            QFile::remove(socket);
            dead = std::make_unique<UnixSocket>(socket, false);
            QVERIFY(dead->ok());
            uri = uriFor(socket);
        } else {
            server = serve(name, 64 * kMiB, readOnly);
            QVERIFY(server);
            uri = server->uri();
        }
        const QString source = m_dir->file(QStringLiteral("refused-source.img"));
        QVERIFY(testsupport::createSparse(source, sourceSize));

        ui::DeviceListModel devices;
        ui::DevicePane pane(ui::DeviceFilterModel::Purpose::Target, &devices);
        devices.addImages({source});
        QTRY_VERIFY(devices.entry(source) && devices.isIdle());
        devices.setSource(source);
        devices.addExport(uri);
        QTRY_VERIFY_WITH_TIMEOUT(devices.isIdle() && !devices.entry(uri)->connecting, 20000);
        QTRY_VERIFY(devices.isIdle());
        QCOMPARE(cell(devices, uri, ui::DeviceListModel::MountColumn), state);
        const QModelIndex index =
            pane.filterModel()->mapFromSource(devices.index(devices.rowOf(uri), 0));
        QVERIFY(!pane.filterModel()->refusal(index).isEmpty());
        const QString tip = index.data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.startsWith(QStringLiteral("Cannot be the target: ")), qPrintable(tip));
        QVERIFY2(tip.contains(why), qPrintable(tip));
        QVERIFY(!pane.selectPath(uri));
        QVERIFY(pane.currentPaths().isEmpty());
    }

    // The controllers' look at an export: its facts, bound to its URI, and
    // the refusals of its own answers.
    void inspectTarget_export_factsAndRefusals_data()
    {
        QTest::addColumn<bool>("readOnly");
        QTest::addColumn<quint64>("sourceSize");
        QTest::addColumn<bool>("partitioned");
        QTest::addColumn<int>("rule");
        QTest::newRow("blank, large enough")
            << false << quint64(64 * kMiB) << false << int(engine::Rule::None);
        QTest::newRow("holds a partition table")
            << false << quint64(32 * kMiB) << true << int(engine::Rule::None);
        QTest::newRow("read-only")
            << true << quint64(32 * kMiB) << false << int(engine::Rule::ReadOnlyTarget);
        QTest::newRow("smaller than the source")
            << false << quint64(65 * kMiB) << false << int(engine::Rule::TargetTooSmall);
    }

    void inspectTarget_export_factsAndRefusals()
    {
        QFETCH(bool, readOnly);
        QFETCH(quint64, sourceSize);
        QFETCH(bool, partitioned);
        QFETCH(int, rule);
        const QString name = QStringLiteral("inspect-%1")
                                 .arg(QString::fromUtf8(QTest::currentDataTag()))
                                 .replace(u' ', u'-')
                                 .replace(u',', u'-');
        // Partitioned before it is served: qemu-nbd holds its lock.
        const QString path = m_dir->file(name + QStringLiteral(".img"));
        QVERIFY(testsupport::createSparse(path, 64 * kMiB));
        if (partitioned) {
            const auto r =
                testsupport::runCommand(QStringLiteral("sfdisk"), {QStringLiteral("-q"), path},
                                        60000, "label: dos\n,,83\n");
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
        QemuNbd server(path, m_dir->file(name + QStringLiteral(".sock")), readOnly);
        QString why;
        QVERIFY2(server.waitReady(&why), qPrintable(why));
        const QString source = m_dir->file(name + QStringLiteral("-source.img"));
        QVERIFY(testsupport::createSparse(source, sourceSize));

        ui::LocalJobController controller({});
        QSignalSpy inspected(&controller, &ui::JobController::targetInspected);
        controller.inspectTarget(source, server.uri(), QString());
        QVERIFY(inspected.count() == 0); // answered later, never on the spot
        QVERIFY(inspected.wait(20000));
        const auto i = inspected.front().front().value<ui::TargetInspection>();
        QCOMPARE(i.source, source);
        QCOMPARE(i.target, server.uri());
        QCOMPARE(int(i.refusal ? i.refusal->rule : engine::Rule::None), rule);
        QVERIFY(i.facts.exists);
        QVERIFY(!i.facts.blockDevice);
        QCOMPARE(i.facts.size, 64 * kMiB);
        QCOMPARE(QString::fromStdString(i.facts.identity), server.uri());
        QCOMPARE(!i.facts.dataSignature.empty(), partitioned);

        // Bound to another URI: refused by identity, without connecting.
        inspected.clear();
        controller.inspectTarget(source, server.uri(), QStringLiteral("nbd://elsewhere/disk"));
        QVERIFY(inspected.wait(5000));
        const auto bound = inspected.front().front().value<ui::TargetInspection>();
        QVERIFY(bound.refusal && bound.refusal->rule == engine::Rule::TargetIdentity);
    }

    // A real job onto the export: confirmed by its URI, the URI is the
    // job's target (in this process and in the helper), and after Complete
    // the export holds the source byte for byte.
    void start_onExport_jobGetsTheUri_targetIdentical_data()
    {
        QTest::addColumn<bool>("helper");
        QTest::newRow("in process") << false;
        QTest::newRow("helper process") << true;
    }

    void start_onExport_jobGetsTheUri_targetIdentical()
    {
        QFETCH(bool, helper);
        QString exportFile;
        auto server = serve(helper ? QStringLiteral("job-helper") : QStringLiteral("job-local"),
                            32 * kMiB, false, &exportFile);
        QVERIFY(server);
        const QString uri = server->uri();
        const QString source = m_dir->file(QStringLiteral("job-source.img"));
        QVERIFY(testsupport::createSparse(source, 32 * kMiB) &&
                testsupport::writePattern(source, 0, 4 * kMiB, 11) &&
                testsupport::writePattern(source, 20 * kMiB, 3 * kMiB, 12));

        auto sink = std::make_shared<ui::LogSink>();
        const engine::Logger log = uitest::loggerFor(sink);
        ui::LocalJobController local(log);
        // The helper is there either way; the route picks it or not.
        ui::RemoteJobController remote(ui::HelperCommand{testsupport::cliPath(), {}}, log);
        QStringList routed;
        ui::RoutingJobController controller(local, &remote,
                                            [&](const QString&, const QString& target) {
                                                routed << target;
                                                return helper;
                                            });
        ui::DeviceListModel devices;
        ui::MainWindow w(devices, controller, log);
        w.setInterruptedJobDirs({});
        w.logView()->setSink(sink);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        devices.addImages({source});
        devices.addExport(server->uri());
        QTRY_VERIFY_WITH_TIMEOUT(devices.isIdle() && devices.entry(source) &&
                                     !devices.entry(server->uri())->connecting,
                                 20000);
        QVERIFY(w.sourcePane()->selectPath(source));
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(w.targetPane()->selectPath(server->uri()));

        QSignalSpy ready(&controller, &ui::JobController::ready);
        QSignalSpy finished(&controller, &ui::JobController::finished);
        QTest::mouseClick(w.startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.confirmDialog(), 20000);
        ui::ConfirmStartDialog* confirm = w.confirmDialog();
        QCOMPARE(confirm->target().path, server->uri());
        QCOMPARE(confirm->target().size, 32 * kMiB);
        QVERIFY(!confirm->target().newFile);
        QVERIFY(!confirm->target().requiresTypedName()); // blank
        QVERIFY(confirm->startButton()->isEnabled());
        confirm->startButton()->click();

        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 60000);
        QVERIFY(routed.contains(server->uri()));
        QCOMPARE(controller.targets().size(), std::size_t{1});
        QCOMPARE(controller.targets().front().path, server->uri());
        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
        const auto outcome = finished.front().front().value<ui::JobOutcome>();
        QVERIFY2(outcome.outcome == engine::JobResult::Outcome::Completed,
                 outcome.error.message.c_str());
        QCOMPARE(outcome.target, server->uri());
        QVERIFY(!outcome.targetCreated);
        server.reset(); // flushed and closed
        QVERIFY(testsupport::cmpIdentical(source, exportFile));
        QVERIFY(w.logView()->text().contains(QStringLiteral(" -> ") + uri));
    }

    void exportAsSource_addedInTheSourceList_newImageIdentical_data()
    {
        QTest::addColumn<bool>("helper");
        QTest::newRow("in process") << false;
        QTest::newRow("helper process") << true;
    }

    // A read-only export added from the source list: the dialog calls that
    // fine, the export is picked as the source at once, and a new image
    // file gets what it serves.
    void exportAsSource_addedInTheSourceList_newImageIdentical()
    {
        QFETCH(bool, helper);
        QString exportFile;
        const QString name = helper ? QStringLiteral("src-helper") : QStringLiteral("src-local");
        auto server = serve(name, 32 * kMiB, true, &exportFile);
        QVERIFY(server);
        QVERIFY(testsupport::writePattern(exportFile, 0, 4 * kMiB, 21) &&
                testsupport::writePattern(exportFile, 17 * kMiB, 5 * kMiB, 22));
        const QString target = m_dir->file(name + QStringLiteral("-copy.img"));

        auto sink = std::make_shared<ui::LogSink>();
        const engine::Logger log = uitest::loggerFor(sink);
        ui::LocalJobController local(log);
        ui::RemoteJobController remote(ui::HelperCommand{testsupport::cliPath(), {}}, log);
        ui::RoutingJobController controller(local, &remote,
                                            [&](const QString&, const QString&) { return helper; });
        ui::DeviceListModel devices;
        ui::MainWindow w(devices, controller, log);
        w.setInterruptedJobDirs({});
        w.logView()->setSink(sink);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        QTest::mouseClick(w.sourcePane()->addExportButton(), Qt::LeftButton);
        QTRY_VERIFY(w.sourcePane()->exportDialog());
        ui::NbdExportDialog* dialog = w.sourcePane()->exportDialog();
        QVERIFY(testUri(*dialog, server->uri()));
        QCOMPARE(dialog->resultLabel()->text(), QStringLiteral("32.0 MiB, read-only"));
        saveScreenshot(dialog, QStringLiteral("nbd-source-dialog.png"));
        QTest::mouseClick(dialog->addButton(), Qt::LeftButton);
        QTRY_VERIFY(!w.sourcePane()->exportDialog());
        QTRY_COMPARE(w.sourcePane()->currentPaths(), QStringList{server->uri()});
        // Read-only: listed among the targets, but refused there.
        const ui::DeviceEntry* e = devices.entry(server->uri());
        QVERIFY(e && !e->sourceRefusal && e->targetRefusal);

        devices.addImages({target}, true);
        QTRY_VERIFY(devices.isIdle() && devices.entry(target));
        QVERIFY(w.targetPane()->selectPath(target));
        w.resize(1300, 860);
        QTest::qWait(50);
        saveScreenshot(&w, QStringLiteral("nbd-source-main-window.png"));
        QSignalSpy ready(&controller, &ui::JobController::ready);
        QSignalSpy finished(&controller, &ui::JobController::finished);
        QTest::mouseClick(w.startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.confirmDialog(), 20000);
        ui::ConfirmStartDialog* confirm = w.confirmDialog();
        QVERIFY(confirm->target().newFile);
        confirm->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1, 60000);
        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
        const auto outcome = finished.front().front().value<ui::JobOutcome>();
        QVERIFY2(outcome.outcome == engine::JobResult::Outcome::Completed,
                 outcome.error.message.c_str());
        QVERIFY(outcome.targetCreated);
        QVERIFY(testsupport::cmpIdentical(exportFile, target));
        QVERIFY(w.logView()->text().contains(server->uri() + QStringLiteral(" -> ")));
    }

    void exportTargetServerRestarted_statusLineSaysSo_copyIdentical_data()
    {
        QTest::addColumn<bool>("helper");
        QTest::newRow("in process") << false;
        QTest::newRow("helper process") << true;
    }

    // The export's server goes away in the middle of the copy and comes
    // back: the status line says the job waits for it, and the job then
    // copies on to an identical target, in process and through the helper.
    void exportTargetServerRestarted_statusLineSaysSo_copyIdentical()
    {
        QFETCH(bool, helper);
        const QString name = helper ? QStringLiteral("restart-helper") : QStringLiteral("restart");
        const QString exportFile = m_dir->file(name + QStringLiteral(".img"));
        QVERIFY(testsupport::createSparse(exportFile, 32 * kMiB));
        const QString socket = m_dir->file(name + QStringLiteral(".sock"));
        auto server = std::make_unique<QemuNbd>(exportFile, socket, false);
        QString why;
        QVERIFY2(server->waitReady(&why), qPrintable(why));
        const QString uri = server->uri();
        const QString source = m_dir->file(name + QStringLiteral("-source.img"));
        QVERIFY(testsupport::createSparse(source, 32 * kMiB) &&
                testsupport::writePattern(source, 0, 32 * kMiB, 23));

        auto sink = std::make_shared<ui::LogSink>();
        const engine::Logger log = uitest::loggerFor(sink);
        ui::LocalJobController local(log);
        ui::RemoteJobController remote(ui::HelperCommand{testsupport::cliPath(), {}}, log);
        ui::RoutingJobController controller(local, &remote,
                                            [&](const QString&, const QString&) { return helper; });
        ui::DeviceListModel devices;
        ui::MainWindow w(devices, controller, log);
        w.setInterruptedJobDirs({});
        w.logView()->setSink(sink);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        devices.addImages({source});
        devices.addExport(uri);
        QTRY_VERIFY_WITH_TIMEOUT(
            devices.isIdle() && devices.entry(source) && !devices.entry(uri)->connecting, 20000);
        QVERIFY(w.sourcePane()->selectPath(source));
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(w.targetPane()->selectPath(uri));
        // Slow enough that the server goes while most of the copy is to come.
        w.settingsWidget()->speedSpin()->setValue(4);
        w.settingsWidget()->limitCheck()->setChecked(true);
        QCOMPARE(w.settingsWidget()->reconnectSpin()->value(), 60);

        QSignalSpy ready(&controller, &ui::JobController::ready);
        QSignalSpy finished(&controller, &ui::JobController::finished);
        QTest::mouseClick(w.startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.confirmDialog(), 20000);
        w.confirmDialog()->startButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(
            controller.snapshot() && controller.snapshot()->bytesDone >= 4 * kMiB, 30000);
        QVERIFY(finished.isEmpty());

        server.reset();
        QTRY_VERIFY_WITH_TIMEOUT(
            w.statusPanel()->statusText().contains(QStringLiteral("connecting again")), 15000);
        QVERIFY2(w.statusPanel()->statusText().contains(uri.toHtmlEscaped()),
                 qPrintable(w.statusPanel()->statusText()));
        w.resize(1300, 860);
        saveScreenshot(&w, name + QStringLiteral("-waiting.png"));
        QVERIFY(finished.isEmpty());
        QFile::remove(socket);
        server = std::make_unique<QemuNbd>(exportFile, socket, false);
        QVERIFY2(server->waitReady(&why), qPrintable(why));

        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1 || finished.count() == 1, 60000);
        QVERIFY2(ready.count() == 1,
                 finished.isEmpty()
                     ? ""
                     : finished.front().front().value<ui::JobOutcome>().error.message.c_str());
        QVERIFY(!w.statusPanel()->statusText().contains(QStringLiteral("connecting again")));
        // READY's own event carries no counts: the next progress does.
        QTRY_COMPARE_WITH_TIMEOUT(controller.snapshot()->reconnect.reconnects, 1u, 10000);
        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
        const auto outcome = finished.front().front().value<ui::JobOutcome>();
        QVERIFY2(outcome.outcome == engine::JobResult::Outcome::Completed,
                 outcome.error.message.c_str());
        server.reset();
        QVERIFY(testsupport::cmpIdentical(source, exportFile));
    }

    // An export that holds data is overwritten only once its export name
    // is typed, as a disk's name is; the job then takes it.
    void start_exportHoldsData_nameTyped_thenOverwritten()
    {
        const QString exportFile = m_dir->file(QStringLiteral("holds.img"));
        QVERIFY(testsupport::createSparse(exportFile, 32 * kMiB));
        const auto r =
            testsupport::runCommand(QStringLiteral("sfdisk"), {QStringLiteral("-q"), exportFile},
                                    60000, "label: dos\n,,83\n");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        auto server =
            std::make_unique<QemuNbd>(exportFile, m_dir->file(QStringLiteral("holds.sock")), false);
        QString why;
        QVERIFY2(server->waitReady(&why), qPrintable(why));
        const QString source = m_dir->file(QStringLiteral("holds-source.img"));
        QVERIFY(testsupport::createSparse(source, 32 * kMiB) &&
                testsupport::writePattern(source, 0, 32 * kMiB, 21));

        ui::LocalJobController controller({});
        ui::DeviceListModel devices;
        ui::MainWindow w(devices, controller, {});
        w.setInterruptedJobDirs({});
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        devices.addImages({source});
        devices.addExport(server->uri());
        QTRY_VERIFY_WITH_TIMEOUT(devices.isIdle() && devices.entry(source) &&
                                     !devices.entry(server->uri())->connecting,
                                 20000);
        QVERIFY(w.sourcePane()->selectPath(source));
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(w.targetPane()->selectPath(server->uri()));

        QSignalSpy ready(&controller, &ui::JobController::ready);
        QSignalSpy finished(&controller, &ui::JobController::finished);
        QTest::mouseClick(w.startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.confirmDialog(), 20000);
        ui::ConfirmStartDialog* confirm = w.confirmDialog();
        QVERIFY(confirm->target().requiresTypedName());
        QCOMPARE(confirm->target().name, QStringLiteral("disk"));
        QVERIFY(!confirm->target().dataSignature.isEmpty());
        QVERIFY(confirm->nameEdit());
        QVERIFY(!confirm->startButton()->isEnabled());
        QTest::keyClicks(confirm->nameEdit(), QStringLiteral("dis"));
        QVERIFY(!confirm->startButton()->isEnabled());
        QTest::keyClick(confirm->nameEdit(), Qt::Key_Return);
        QVERIFY(confirm->nameHint()->isVisible());
        QVERIFY(confirm->nameHint()->text().contains(QStringLiteral("this export")));
        QVERIFY(w.confirmDialog()); // Enter did not start, nor close
        // The mistyped name is selected: typing replaces it.
        QTest::keyClicks(confirm->nameEdit(), QStringLiteral("disk"));
        QCOMPARE(confirm->nameEdit()->text(), QStringLiteral("disk"));
        QVERIFY(confirm->startButton()->isEnabled());
        saveScreenshot(confirm, QStringLiteral("nbd-confirm-typed.png"));
        confirm->startButton()->click();

        // Without the typed consent the job setup would refuse (rule: target
        // holds data): it runs.
        QTRY_VERIFY_WITH_TIMEOUT(ready.count() == 1 || finished.count() == 1, 60000);
        QVERIFY2(ready.count() == 1,
                 finished.isEmpty()
                     ? ""
                     : finished.front().front().value<ui::JobOutcome>().error.message.c_str());
        QTest::mouseClick(w.completeButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, 60000);
        QVERIFY(finished.front().front().value<ui::JobOutcome>().outcome ==
                engine::JobResult::Outcome::Completed);
        server.reset();
        QVERIFY(testsupport::cmpIdentical(source, exportFile));
    }

    // Data that appears on the export after it was checked: the job setup
    // refuses (rule: target holds data), the window explains it as for a
    // disk, and the next Start asks for the export's name.
    void start_exportGainsDataAfterTheCheck_refusedThenNameAsked()
    {
        QString exportFile;
        auto server = serve(QStringLiteral("gains"), 32 * kMiB, false, &exportFile);
        QVERIFY(server);
        const QString source = m_dir->file(QStringLiteral("gains-source.img"));
        QVERIFY(testsupport::createSparse(source, 32 * kMiB) &&
                testsupport::writePattern(source, 0, kMiB, 31));

        ui::LocalJobController controller({});
        ui::DeviceListModel devices;
        ui::MainWindow w(devices, controller, {});
        w.setInterruptedJobDirs({});
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        devices.addImages({source});
        devices.addExport(server->uri());
        QTRY_VERIFY_WITH_TIMEOUT(devices.isIdle() && devices.entry(source) &&
                                     !devices.entry(server->uri())->connecting,
                                 20000);
        QVERIFY(w.sourcePane()->selectPath(source));
        QTRY_VERIFY(devices.isIdle());
        QVERIFY(w.targetPane()->selectPath(server->uri()));

        QSignalSpy failed(&controller, &ui::JobController::startFailed);
        QTest::mouseClick(w.startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.confirmDialog(), 20000);
        QVERIFY(!w.confirmDialog()->target().requiresTypedName()); // blank when checked
        // Meanwhile a partition table is written onto it behind the server.
        const auto r =
            testsupport::runCommand(QStringLiteral("sfdisk"), {QStringLiteral("-q"), exportFile},
                                    60000, "label: dos\n,,83\n");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        w.confirmDialog()->startButton()->click();

        QVERIFY(failed.wait(30000));
        const auto error = failed.front().front().value<engine::Error>();
        QVERIFY(error.rule == engine::Rule::TargetHoldsData);
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = w.findChild<QMessageBox*>(QStringLiteral("errorDialog"))));
        QVERIFY2(box->text().contains(QStringLiteral("holds data")), qPrintable(box->text()));
        QVERIFY(box->informativeText().contains(QStringLiteral("type the")));
        QVERIFY(box->detailedText().contains(server->uri()));
        QVERIFY(!controller.isActive());
        box->close();

        // Asked again, it says what it holds and wants its name.
        QTRY_VERIFY(w.startButton()->isEnabled());
        QTest::mouseClick(w.startButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(w.confirmDialog(), 20000);
        QVERIFY(w.confirmDialog()->target().requiresTypedName());
        QCOMPARE(w.confirmDialog()->target().name, QStringLiteral("disk"));
        QVERIFY(!w.confirmDialog()->startButton()->isEnabled());
        w.confirmDialog()->reject();
    }

    // The helper gets the URI as given: not made into a path under the
    // current directory, also where it names the target to overwrite and
    // the identity to expect.
    void mirrorArguments_exportTarget_uriPassedAsGiven()
    {
        const QString uri = QStringLiteral("nbd+unix:///disk?socket=/run/d.sock");
        ui::JobRequest request;
        request.source = QStringLiteral("relative.img");
        request.targets << ui::RequestTarget{uri, uri, true};
        const QStringList args = ui::mirrorArguments(request, 1024);
        QCOMPARE(args.at(0), QStringLiteral("mirror"));
        QCOMPARE(args.at(1), QDir::current().absoluteFilePath(QStringLiteral("relative.img")));
        QCOMPARE(args.at(2), uri);
        const qsizetype overwrite = args.indexOf(QStringLiteral("--overwrite"));
        QVERIFY(overwrite > 0);
        QCOMPARE(args.at(overwrite + 1), uri);
        const qsizetype expect = args.indexOf(QStringLiteral("--expect-id"));
        QVERIFY(expect > 0);
        QCOMPARE(args.at(expect + 1), uri);
        QCOMPARE(ui::helperPath(uri), uri);
        QCOMPARE(ui::helperPath(QStringLiteral("x.img")),
                 QDir::current().absoluteFilePath(QStringLiteral("x.img")));
    }
};

QTEST_MAIN(TestNbdTarget)
#include "tst_nbd_target.moc"
