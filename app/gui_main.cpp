// drivemirror: the desktop application's composition root. Builds the logger
// and its sinks, the device model, the job controller and the window, and
// wires the demo mode; nothing here touches a disk.
#include "base/units.h"
#include "bridge/local_job_controller.h"
#include "bridge/remote_job_controller.h"
#include "bridge/routing_job_controller.h"
#include "bridge/station_controller.h"
#include "demo_driver.h"
#include "device_list_model.h"
#include "log_view.h"
#include "main_window.h"
#include "station/station_config.h"
#include "station_window.h"
#include "translations.h"
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
#include <optional>

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

// --help and --version must answer on a console without a display, where
// QApplication could not open its window system.
void useOffscreenForTextOnly(int argc, char** argv)
{
    const bool textOnly = std::any_of(argv + 1, argv + argc, [](const char* a) {
        const std::string_view v(a);
        return v == "--help" || v == "-h" || v == "--help-all" || v == "--version" || v == "-v";
    });
    if (textOnly && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY") &&
        qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
}

void nameApplication()
{
    QApplication::setApplicationName(QStringLiteral("drivemirror"));
    QApplication::setOrganizationName(QStringLiteral("DriveMirror"));
    QApplication::setApplicationDisplayName(QStringLiteral("DriveMirror"));
    QApplication::setApplicationVersion(QStringLiteral(DRIVEMIRROR_VERSION));
    // The id of the .desktop entry and icon, so desktops match the window to them.
    QApplication::setDesktopFileName(QStringLiteral("io.github.drivemirror.DriveMirror"));
}

struct Options
{
    QCommandLineOption demo;
    QCommandLineOption demoDir;
    QCommandLineOption demoSize;
    QCommandLineOption autostart;
    QCommandLineOption autocomplete;
    QCommandLineOption quitAfter;
    QCommandLineOption screenshot;
    QCommandLineOption screenshotAt;
    QCommandLineOption verbose;
    QCommandLineOption station;
};

QCommandLineOption option(const char* name, const QString& description,
                          const char* valueName = nullptr)
{
    return QCommandLineOption(QString::fromLatin1(name), description,
                              valueName ? QString::fromLatin1(valueName) : QString());
}

// The options in the order --help lists them.
Options addOptions(QCommandLineParser& parser)
{
    parser.setApplicationDescription(QApplication::translate(
        "main", "Clone disks and image files and keep the copy in sync while the source is in "
                "use."));
    parser.addHelpOption();
    parser.addVersionOption();
    Options o{
        option("demo", QApplication::translate(
                           "main", "Mirror a demo image that a writer keeps changing.")),
        option("demo-dir",
               QApplication::translate("main", "Where the demo images go (default: the cache)."),
               "dir"),
        option("demo-size",
               QApplication::translate("main", "Size of the demo source image (default: 1G)."),
               "size"),
        option("autostart",
               QApplication::translate("main", "With --demo: start the mirror at once.")),
        option(
            "autocomplete",
            QApplication::translate("main", "With --demo: complete this many seconds after READY."),
            "seconds"),
        option("quit-after-complete",
               QApplication::translate("main", "With --demo: quit this many seconds after the job "
                                               "ended (exit code 0 when it completed identical)."),
               "seconds"),
        option(
            "screenshot",
            QApplication::translate("main", "With --demo: save the window as PNG while in sync."),
            "file"),
        option("screenshot-at",
               QApplication::translate("main", "When to take the screenshot: \"ready\" (default, "
                                               "before --autocomplete) or \"copying\" (the first "
                                               "copy half done)."),
               "when"),
        option("verbose", QApplication::translate("main", "Show debug messages in the log.")),
        option("station",
               QApplication::translate("main", "Open the imaging station's window for this "
                                               "config file instead of the main window."),
               "config"),
    };
    parser.addOptions({o.demo, o.demoDir, o.demoSize, o.autostart, o.autocomplete, o.quitAfter,
                       o.screenshot, o.screenshotAt, o.verbose, o.station});
    return o;
}

// The demo's options as given; nothing (after saying why on stderr) when one
// is malformed or given without --demo.
std::optional<ui::DemoOptions> readDemoOptions(const QCommandLineParser& parser, const Options& o)
{
    ui::DemoOptions demoOptions;
    demoOptions.autostart = parser.isSet(o.autostart);
    demoOptions.screenshotPath = parser.value(o.screenshot);
    demoOptions.dir = parser.value(o.demoDir);
    if (parser.isSet(o.screenshotAt)) {
        const QString when = parser.value(o.screenshotAt);
        if (when != QStringLiteral("ready") && when != QStringLiteral("copying")) {
            std::fprintf(stderr, "drivemirror: --screenshot-at is \"ready\" or \"copying\"\n");
            return std::nullopt;
        }
        demoOptions.screenshotWhileCopying = when == QStringLiteral("copying");
    }
    if (parser.isSet(o.autocomplete) &&
        !parseSeconds(parser.value(o.autocomplete), demoOptions.autocompleteSeconds)) {
        std::fprintf(stderr, "drivemirror: --autocomplete needs a number of seconds\n");
        return std::nullopt;
    }
    if (parser.isSet(o.quitAfter) &&
        !parseSeconds(parser.value(o.quitAfter), demoOptions.quitAfterCompleteSeconds)) {
        std::fprintf(stderr, "drivemirror: --quit-after-complete needs a number of seconds\n");
        return std::nullopt;
    }
    if (parser.isSet(o.demoSize)) {
        auto size = engine::parseSize(parser.value(o.demoSize).toStdString());
        if (!size || *size < (16u << 20)) {
            std::fprintf(stderr, "drivemirror: --demo-size needs a size of at least 16M\n");
            return std::nullopt;
        }
        demoOptions.size = *size;
    }
    const bool demoOnly = demoOptions.autostart || demoOptions.autocompleteSeconds >= 0 ||
                          demoOptions.quitAfterCompleteSeconds >= 0 ||
                          !demoOptions.screenshotPath.isEmpty() || parser.isSet(o.demoDir) ||
                          parser.isSet(o.demoSize) || parser.isSet(o.screenshotAt);
    if (demoOnly && !parser.isSet(o.demo)) {
        std::fprintf(stderr, "drivemirror: --autostart, --autocomplete, --quit-after-complete, "
                             "--screenshot, --demo-dir and --demo-size need --demo\n");
        return std::nullopt;
    }
    return demoOptions;
}

// The window runs unprivileged: a job on a disk runs in drivemirror-cli,
// started with root rights through pkexec, behind the same interface.
std::unique_ptr<ui::RemoteJobController> makeHelperController(const engine::Logger& log)
{
    if (::geteuid() == 0)
        return nullptr;
    const auto helper = ui::HelperCommand::detect(QCoreApplication::applicationDirPath());
    if (!helper.isValid())
        return nullptr;
    return std::make_unique<ui::RemoteJobController>(helper, log);
}

void logStart(const engine::Logger& log, const ui::RemoteJobController* remote)
{
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
}

// SIGINT/SIGTERM: cancel the job cleanly, then quit. The handler only writes
// to a socket; the notifier on its other end does the work in the event loop.
void catchSignals()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, g_signalFds) != 0)
        return;
    struct sigaction sa
    {
    };
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
}

void cancelAndQuitOnSignal(QSocketNotifier& notifier, ui::JobController& controller,
                           const engine::Logger& log)
{
    QObject::connect(&notifier, &QSocketNotifier::activated, qApp, [&controller, log] {
        char b;
        [[maybe_unused]] const ssize_t n = ::read(g_signalFds[1], &b, 1);
        log->info("signal received: cancelling and quitting");
        if (!controller.isActive()) {
            QApplication::quit();
            return;
        }
        QObject::connect(&controller, &ui::JobController::finished, qApp,
                         [] { QApplication::quit(); });
        // Not the user's decision: the copy is offered again at the next start.
        controller.interrupt();
    });
}

void releaseSignals()
{
    if (g_signalFds[0] < 0)
        return;
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    ::close(g_signalFds[0]);
    ::close(g_signalFds[1]);
}

void showDemoFailure(QWidget* window, const QString& message)
{
    auto* box = new QMessageBox(
        QMessageBox::Critical, QApplication::translate("main", "Demo Not Available"),
        QApplication::translate("main", "The demo images could not be created."), QMessageBox::Ok,
        window);
    box->setDetailedText(message);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

// A demo that quits by itself leaves its exit code in @p exitCode: the one it
// asked for, or 1 when the demo or its job could not start.
std::unique_ptr<ui::DemoDriver> startDemo(ui::MainWindow& window, ui::DeviceListModel& devices,
                                          ui::JobController& controller,
                                          const ui::DemoOptions& options, const engine::Logger& log,
                                          int& exitCode)
{
    auto driver = std::make_unique<ui::DemoDriver>(window, devices, controller, options,
                                                   engine::childLogger(log, "demo"));
    const bool quitsByItself = options.quitAfterCompleteSeconds >= 0;
    QObject::connect(driver.get(), &ui::DemoDriver::quitRequested, qApp, [&exitCode](int code) {
        exitCode = code;
        QApplication::quit();
    });
    QObject::connect(driver.get(), &ui::DemoDriver::failed, &window,
                     [&window, quitsByItself, &exitCode](const QString& message) {
                         if (!quitsByItself) {
                             showDemoFailure(&window, message);
                             return;
                         }
                         exitCode = 1;
                         QApplication::quit();
                     });
    QObject::connect(&controller, &ui::JobController::startFailed, qApp,
                     [quitsByItself, &exitCode] {
                         if (quitsByItself) {
                             exitCode = 1;
                             QApplication::quit();
                         }
                     });
    QTimer::singleShot(0, driver.get(), &ui::DemoDriver::begin);
    return driver;
}

// `--station CONFIG`: the imaging station's window instead of the main
// window. The config is read before any window exists, so that one that
// cannot be used is refused at once, on stderr with exit code 2, as the
// CLI refuses it.
int runStation(const QString& configPath, const engine::Logger& log)
{
    const auto config = engine::loadStationConfig(configPath.toStdString());
    if (!config) {
        std::fprintf(stderr, "drivemirror: %s\n", config.error().message.c_str());
        return 2;
    }
    ui::StationController controller(
        ui::StationController::stationCommand(QCoreApplication::applicationDirPath()), configPath,
        engine::childLogger(log, "station"));
    controller.setConfig(*config);
    if (!controller.helper().isValid())
        log->warn("the station needs administrator rights, and neither pkexec nor "
                  "drivemirror-cli was found");
    ui::StationWindow window(controller, engine::childLogger(log, "ui"));
    window.show();
    return QApplication::exec();
}

} // namespace

int main(int argc, char** argv)
{
    useOffscreenForTextOnly(argc, argv);
    QApplication app(argc, argv);
    nameApplication();

    // The user's language: Qt's own strings (standard buttons, file dialogs,
    // context menus) from the system's Qt translations when installed,
    // DriveMirror's from the embedded :/i18n/drivemirror_<lang>.qm. Numbers,
    // sizes and dates follow QLocale().
    l10n::installTranslations(app, l10n::QtStrings::Included);

    QCommandLineParser parser;
    const Options options = addOptions(parser);
    parser.process(app);
    const std::optional<ui::DemoOptions> demoOptions = readDemoOptions(parser, options);
    if (!demoOptions)
        return 2;

    auto paneSink = std::make_shared<ui::LogSink>();
    const engine::Logger log = makeLogger(parser.isSet(options.verbose), paneSink);
    if (parser.isSet(options.station)) {
        if (parser.isSet(options.demo)) {
            std::fprintf(stderr, "drivemirror: --station and --demo exclude each other\n");
            return 2;
        }
        return runStation(parser.value(options.station), log);
    }

    ui::DeviceListModel devices;
    ui::LocalJobController local(log);
    const std::unique_ptr<ui::RemoteJobController> remote = makeHelperController(log);
    ui::RoutingJobController controller(local, remote.get(),
                                        &ui::RoutingJobController::blockDeviceInvolved);
    devices.setDeviceAccess(::geteuid() == 0 ? ui::DeviceListModel::DeviceAccess::Direct
                            : remote         ? ui::DeviceListModel::DeviceAccess::Helper
                                             : ui::DeviceListModel::DeviceAccess::None);
    ui::MainWindow window(devices, controller, engine::childLogger(log, "ui"));
    window.logView()->setSink(paneSink);
    logStart(log, remote.get());
    QString noHotplug;
    if (!devices.startMonitoring(&noHotplug))
        log->warn("disks plugged in or removed are not seen until Refresh: {}",
                  noHotplug.toStdString());
    devices.refresh();
    window.show();

    catchSignals();
    QSocketNotifier signalNotifier(g_signalFds[1], QSocketNotifier::Read);
    cancelAndQuitOnSignal(signalNotifier, controller, log);

    std::unique_ptr<ui::DemoDriver> driver;
    int exitCode = 0;
    if (parser.isSet(options.demo))
        driver = startDemo(window, devices, controller, *demoOptions, log, exitCode);

    const int rc = QApplication::exec();
    driver.reset();
    releaseSignals();
    return rc != 0 ? rc : exitCode;
}
