// drivemirror: the desktop application's composition root. Builds the logger
// and its sinks, the device model, the job controller and the window, and
// wires the demo mode; nothing here touches a disk.
#include "demo_driver.h"
#include "device_list_model.h"
#include "local_job_controller.h"
#include "log_view.h"
#include "main_window.h"
#include "remote_job_controller.h"
#include "routing_job_controller.h"
#include "translations.h"
#include "units.h"
#include "version.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QSocketNotifier>
#include <QTimer>

#include <algorithm>
#include <string_view>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

namespace {

int g_signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char b = 1;
    [[maybe_unused]] const ssize_t n = ::write(g_signalFds[0], &b, 1);
}

engine::Logger makeLogger(bool verbose, const std::shared_ptr<ui::LogSink>& paneSink)
{
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_pattern("%^%l%$: %v");
    paneSink->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
    console->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
    auto log =
        std::make_shared<spdlog::logger>("drivemirror", spdlog::sinks_init_list{console, paneSink});
    log->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
    return log;
}

bool parseSeconds(const QString& text, double& out)
{
    bool ok = false;
    out = text.toDouble(&ok);
    return ok && out >= 0;
}

} // namespace

int main(int argc, char** argv)
{
    // --help and --version must answer on a console without a display, where
    // QApplication could not open its window system.
    const bool textOnly = std::any_of(argv + 1, argv + argc, [](const char* a) {
        const std::string_view v(a);
        return v == "--help" || v == "-h" || v == "--help-all" || v == "--version" || v == "-v";
    });
    if (textOnly && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("drivemirror"));
    QApplication::setOrganizationName(QStringLiteral("DriveMirror"));
    QApplication::setApplicationDisplayName(QStringLiteral("DriveMirror"));
    QApplication::setApplicationVersion(QStringLiteral(DRIVEMIRROR_VERSION));
    // The id of the .desktop entry and icon, so desktops match the window to them.
    QApplication::setDesktopFileName(QStringLiteral("io.github.drivemirror.DriveMirror"));

    // The user's language: Qt's own strings (standard buttons, file dialogs,
    // context menus) from the system's Qt translations when installed,
    // DriveMirror's from the embedded :/i18n/drivemirror_<lang>.qm. Numbers,
    // sizes and dates follow QLocale().
    l10n::installTranslations(app, l10n::QtStrings::Included);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Clone disks and image files and keep the copy in sync while the source is in "
                "use."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QApplication::translate("main", "Mirror a demo image that a writer keeps changing."));
    const QCommandLineOption demoDir(
        QStringLiteral("demo-dir"),
        QApplication::translate("main", "Where the demo images go (default: the cache)."),
        QStringLiteral("dir"));
    const QCommandLineOption demoSize(
        QStringLiteral("demo-size"),
        QApplication::translate("main", "Size of the demo source image (default: 1G)."),
        QStringLiteral("size"));
    const QCommandLineOption autostart(
        QStringLiteral("autostart"),
        QApplication::translate("main", "With --demo: start the mirror at once."));
    const QCommandLineOption autocomplete(
        QStringLiteral("autocomplete"),
        QApplication::translate("main", "With --demo: complete this many seconds after READY."),
        QStringLiteral("seconds"));
    const QCommandLineOption quitAfter(
        QStringLiteral("quit-after-complete"),
        QApplication::translate("main", "With --demo: quit this many seconds after the job "
                                        "ended (exit code 0 when it completed identical)."),
        QStringLiteral("seconds"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QApplication::translate("main", "With --demo: save the window as PNG while in sync."),
        QStringLiteral("file"));
    const QCommandLineOption screenshotAt(
        QStringLiteral("screenshot-at"),
        QApplication::translate("main", "When to take the screenshot: \"ready\" (default, "
                                        "before --autocomplete) or \"copying\" (the first "
                                        "copy half done)."),
        QStringLiteral("when"));
    const QCommandLineOption verbose(
        QStringLiteral("verbose"),
        QApplication::translate("main", "Show debug messages in the log."));
    parser.addOptions({demo, demoDir, demoSize, autostart, autocomplete, quitAfter, screenshot,
                       screenshotAt, verbose});
    parser.process(app);

    ui::DemoOptions demoOptions;
    demoOptions.autostart = parser.isSet(autostart);
    demoOptions.screenshotPath = parser.value(screenshot);
    demoOptions.dir = parser.value(demoDir);
    if (parser.isSet(screenshotAt)) {
        const QString when = parser.value(screenshotAt);
        if (when != QStringLiteral("ready") && when != QStringLiteral("copying")) {
            std::fprintf(stderr, "drivemirror: --screenshot-at is \"ready\" or \"copying\"\n");
            return 2;
        }
        demoOptions.screenshotWhileCopying = when == QStringLiteral("copying");
    }
    if (parser.isSet(autocomplete) &&
        !parseSeconds(parser.value(autocomplete), demoOptions.autocompleteSeconds)) {
        std::fprintf(stderr, "drivemirror: --autocomplete needs a number of seconds\n");
        return 2;
    }
    if (parser.isSet(quitAfter) &&
        !parseSeconds(parser.value(quitAfter), demoOptions.quitAfterCompleteSeconds)) {
        std::fprintf(stderr, "drivemirror: --quit-after-complete needs a number of seconds\n");
        return 2;
    }
    if (parser.isSet(demoSize)) {
        auto size = engine::parseSize(parser.value(demoSize).toStdString());
        if (!size || *size < (16u << 20)) {
            std::fprintf(stderr, "drivemirror: --demo-size needs a size of at least 16M\n");
            return 2;
        }
        demoOptions.size = *size;
    }
    const bool demoOnly = demoOptions.autostart || demoOptions.autocompleteSeconds >= 0 ||
                          demoOptions.quitAfterCompleteSeconds >= 0 ||
                          !demoOptions.screenshotPath.isEmpty() || parser.isSet(demoDir) ||
                          parser.isSet(demoSize) || parser.isSet(screenshotAt);
    if (demoOnly && !parser.isSet(demo)) {
        std::fprintf(stderr, "drivemirror: --autostart, --autocomplete, --quit-after-complete, "
                             "--screenshot, --demo-dir and --demo-size need --demo\n");
        return 2;
    }

    auto paneSink = std::make_shared<ui::LogSink>();
    const engine::Logger log = makeLogger(parser.isSet(verbose), paneSink);

    // The window runs unprivileged: a job on a disk runs in drivemirror-cli,
    // started with root rights through pkexec, behind the same interface.
    ui::DeviceListModel devices;
    ui::LocalJobController local(log);
    std::unique_ptr<ui::RemoteJobController> remote;
    if (::geteuid() != 0) {
        const auto helper = ui::HelperCommand::detect(QCoreApplication::applicationDirPath());
        if (helper.isValid())
            remote = std::make_unique<ui::RemoteJobController>(helper, log);
    }
    ui::RoutingJobController controller(local, remote.get(),
                                        &ui::RoutingJobController::blockDeviceInvolved);
    devices.setDeviceAccess(::geteuid() == 0 ? ui::DeviceListModel::DeviceAccess::Direct
                            : remote         ? ui::DeviceListModel::DeviceAccess::Helper
                                             : ui::DeviceListModel::DeviceAccess::None);
    ui::MainWindow window(devices, controller, engine::childLogger(log, "ui"));
    window.logView()->setSink(paneSink);
    if (::geteuid() == 0)
        log->info("DriveMirror {} started as root", DRIVEMIRROR_VERSION);
    else if (remote)
        log->info("DriveMirror {} started; jobs on disks run in a helper with administrator "
                  "rights ({}), which asks for authentication",
                  DRIVEMIRROR_VERSION, remote->helper().display().toStdString());
    else
        log->info("DriveMirror {} started; without root and without pkexec only image files "
                  "can be used",
                  DRIVEMIRROR_VERSION);
    QString noHotplug;
    if (!devices.startMonitoring(&noHotplug))
        log->warn("disks plugged in or removed are not seen until Refresh: {}",
                  noHotplug.toStdString());
    devices.refresh();
    window.show();

    // SIGINT/SIGTERM: cancel the job cleanly, then quit.
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalFds) == 0) {
        struct sigaction sa
        {
        };
        sa.sa_handler = onSignal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        ::sigaction(SIGINT, &sa, nullptr);
        ::sigaction(SIGTERM, &sa, nullptr);
    }
    QSocketNotifier signalNotifier(g_signalFds[1], QSocketNotifier::Read);
    QObject::connect(&signalNotifier, &QSocketNotifier::activated, &app, [&] {
        char b;
        [[maybe_unused]] const ssize_t n = ::read(g_signalFds[1], &b, 1);
        log->info("signal received: cancelling and quitting");
        if (!controller.isActive()) {
            QApplication::quit();
            return;
        }
        QObject::connect(&controller, &ui::JobController::finished, &app,
                         [] { QApplication::quit(); });
        controller.cancel(true);
    });

    std::unique_ptr<ui::DemoDriver> driver;
    int exitCode = 0;
    if (parser.isSet(demo)) {
        driver = std::make_unique<ui::DemoDriver>(window, devices, controller, demoOptions,
                                                  engine::childLogger(log, "demo"));
        QObject::connect(driver.get(), &ui::DemoDriver::quitRequested, &app, [&exitCode](int code) {
            exitCode = code;
            QApplication::quit();
        });
        QObject::connect(
            driver.get(), &ui::DemoDriver::failed, &window,
            [&window, &demoOptions, &exitCode](const QString& message) {
                if (demoOptions.quitAfterCompleteSeconds >= 0) {
                    exitCode = 1;
                    QApplication::quit();
                    return;
                }
                auto* box = new QMessageBox(
                    QMessageBox::Critical, QApplication::translate("main", "Demo Not Available"),
                    QApplication::translate("main", "The demo images could not be created."),
                    QMessageBox::Ok, &window);
                box->setDetailedText(message);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->open();
            });
        QObject::connect(&controller, &ui::JobController::startFailed, &app,
                         [&demoOptions, &exitCode] {
                             if (demoOptions.quitAfterCompleteSeconds >= 0) {
                                 exitCode = 1;
                                 QApplication::quit();
                             }
                         });
        QTimer::singleShot(0, driver.get(), &ui::DemoDriver::begin);
    }

    const int rc = QApplication::exec();
    driver.reset();
    if (g_signalFds[0] >= 0) {
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        ::close(g_signalFds[0]);
        ::close(g_signalFds[1]);
    }
    return rc != 0 ? rc : exitCode;
}
