// gui_bench: figures for the desktop app, printed as "name: value unit".
//
//   1. Dirty map: the engine's down-sampling of a 2 TiB bitmap at 64 KiB
//      granularity (32 Mi granules) to the 64 Ki cells it publishes, and the
//      widget's work per snapshot (merge + render + paint) at a typical size;
//      also the worst case of a snapshot with one cell per granule.
//   2. UI stall: the real window drives a full-speed mirror of an image file
//      (no speed limit) to READY and Complete, while a 1 ms timer on the UI
//      thread measures the longest gap between its ticks.
//
// Usage: gui_bench [--size BYTES] [--dir DIR] [--no-job]
// Runs off-screen unless QT_QPA_PLATFORM says otherwise.
#include "base/units.h"
#include "bitmap/dirty_bitmap.h"
#include "bridge/local_job_controller.h"
#include "confirm_start_dialog.h"
#include "device_list_model.h"
#include "device_pane.h"
#include "dirty_map_widget.h"
#include "main_window.h"
#include "test_support.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

namespace {

struct Stats
{
    double median = 0;
    double p99 = 0;
    double max = 0;
};

Stats stats(std::vector<double> v)
{
    Stats s;
    if (v.empty())
        return s;
    std::sort(v.begin(), v.end());
    s.median = v[v.size() / 2];
    s.p99 = v[std::min(v.size() - 1, v.size() * 99 / 100)];
    s.max = v.back();
    return s;
}

double msSince(const QElapsedTimer& t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

void report(const char* name, const Stats& s)
{
    std::printf("%s: median %.2f ms, p99 %.2f ms, max %.2f ms\n", name, s.median, s.p99, s.max);
}

ui::DirtyMapPtr snapshotOf(const engine::DirtyBitmap& bitmap, std::size_t cells,
                           std::uint64_t generation)
{
    auto map = std::make_shared<engine::DirtyMapSnapshot>();
    map->diskSize = bitmap.size();
    map->granularity = bitmap.granularity();
    map->cells = bitmap.downsample(cells);
    // A typical moment: 16 requests in flight somewhere in the middle.
    for (int i = 0; i < 16; ++i)
        map->inFlight.push_back(
            {bitmap.size() / 2 + static_cast<std::uint64_t>(i) * (1 << 20), 1 << 20});
    map->generation = generation;
    return map;
}

void benchDirtyMap()
{
    constexpr std::uint64_t kSize = 2ull << 40;
    constexpr std::uint64_t kGranularity = 64ull << 10;
    engine::DirtyBitmap bitmap(kSize, kGranularity);
    std::mt19937_64 rng(1);
    // About a third dirty, in runs of 1..4096 granules spread over the disk.
    const std::uint64_t granules = bitmap.granuleCount();
    while (bitmap.dirtyGranules() < granules / 3) {
        const std::uint64_t start = rng() % granules;
        const std::uint64_t len = 1 + rng() % 4096;
        bitmap.set(start * kGranularity, len * kGranularity);
    }
    std::printf("dirty map: %llu granules (%s at %s), %.1f %% dirty\n",
                static_cast<unsigned long long>(granules), engine::formatBytes(kSize).c_str(),
                engine::formatBytes(kGranularity).c_str(),
                100.0 * static_cast<double>(bitmap.dirtyGranules()) /
                    static_cast<double>(granules));

    std::vector<double> downsample;
    for (int i = 0; i < 20; ++i) {
        QElapsedTimer t;
        t.start();
        const auto cells = bitmap.downsample(65536);
        downsample.push_back(msSince(t));
    }
    report("engine downsample 32 Mi granules -> 64 Ki cells (job thread)", stats(downsample));

    ui::DirtyMapWidget widget;
    widget.resize(1100, 420);
    QImage canvas(widget.size(), QImage::Format_ARGB32_Premultiplied);
    const ui::DirtyMapPtr a = snapshotOf(bitmap, 65536, 1);
    bitmap.reset(0, kSize / 4); // the next snapshot differs
    const ui::DirtyMapPtr b = snapshotOf(bitmap, 65536, 2);
    std::vector<double> perSnapshot;
    std::vector<double> paintOnly;
    for (int i = 0; i < 60; ++i) {
        auto map = std::make_shared<engine::DirtyMapSnapshot>(i % 2 ? *a : *b);
        map->generation = 10 + static_cast<std::uint64_t>(i);
        QElapsedTimer t;
        t.start();
        widget.setMap(map);
        widget.render(&canvas);
        perSnapshot.push_back(msSince(t));
        t.restart();
        widget.render(&canvas);
        paintOnly.push_back(msSince(t));
    }
    std::printf("dirty map widget: %d display cells of %s at %d px pitch, 1100 x 420 px\n",
                widget.displayCellCount(), engine::formatBytes(widget.bytesPerCell()).c_str(),
                widget.pitch());
    report("widget new snapshot (merge + render + paint), UI thread", stats(perSnapshot));
    report("widget repaint (cached image)", stats(paintOnly));

    // Worst case: a snapshot with one cell per granule.
    QElapsedTimer t;
    t.start();
    const ui::DirtyMapPtr full = snapshotOf(bitmap, static_cast<std::size_t>(granules), 100);
    const double fullDownsample = msSince(t);
    std::vector<double> fullSnapshot;
    for (int i = 0; i < 5; ++i) {
        auto map = std::make_shared<engine::DirtyMapSnapshot>(*full);
        map->generation = 200 + static_cast<std::uint64_t>(i);
        t.restart();
        widget.setMap(map);
        widget.render(&canvas);
        fullSnapshot.push_back(msSince(t));
    }
    std::printf("engine downsample to 32 Mi cells (one per granule): %.1f ms\n", fullDownsample);
    report("widget new snapshot with 32 Mi cells (merge + render + paint)", stats(fullSnapshot));
}

int benchJob(std::uint64_t size, const QString& dirPath)
{
    QTemporaryDir dir(dirPath + QStringLiteral("/drivemirror-bench-XXXXXX"));
    if (!dir.isValid()) {
        std::fprintf(stderr, "gui_bench: cannot create a directory in %s\n", qPrintable(dirPath));
        return 1;
    }
    const QString source = dir.filePath(QStringLiteral("source.img"));
    const QString target = dir.filePath(QStringLiteral("target.img"));
    // Half data (so the copy moves real bytes), half holes.
    if (!testsupport::createSparse(source, size) ||
        !testsupport::writePattern(source, 0, size / 4, 1) ||
        !testsupport::writePattern(source, size / 2, size / 4, 2)) {
        std::fprintf(stderr, "gui_bench: cannot write the source image\n");
        return 1;
    }

    ui::DeviceListModel devices;
    ui::LocalJobController controller(engine::nullLogger());
    ui::MainWindow window(devices, controller, engine::nullLogger());
    window.show();

    std::vector<double> gaps;
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(1);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        gaps.push_back(static_cast<double>(now - last) / 1e6);
        last = now;
    });

    QElapsedTimer jobClock;
    double readySeconds = 0;
    double totalSeconds = 0;
    int rc = 0;
    QObject::connect(&controller, &ui::JobController::ready, &window, [&] {
        readySeconds = static_cast<double>(jobClock.elapsed()) / 1000;
        QTimer::singleShot(1000, &window, [&] { window.requestComplete(); });
    });
    QObject::connect(&controller, &ui::JobController::finished, &window,
                     [&](const ui::JobOutcome& o) {
                         totalSeconds = static_cast<double>(jobClock.elapsed()) / 1000;
                         rc = o.outcome == engine::JobResult::Outcome::Completed ? 0 : 1;
                         probe.stop();
                         QApplication::quit();
                     });
    QObject::connect(&controller, &ui::JobController::startFailed, &window,
                     [&](const engine::Error& e) {
                         std::fprintf(stderr, "gui_bench: %s\n", e.message.c_str());
                         rc = 1;
                         QApplication::quit();
                     });

    devices.addImages({source});
    devices.addImages({target}, true);
    // Select once both are listed and checked, then press Start and confirm.
    QTimer setup;
    setup.setInterval(20);
    QObject::connect(&setup, &QTimer::timeout, [&] {
        if (!devices.entry(source) || !devices.entry(target) || !devices.isIdle())
            return;
        if (window.sourcePane()->currentPath().isEmpty()) {
            window.sourcePane()->selectPath(source);
            return;
        }
        if (window.targetPane()->currentPath().isEmpty()) {
            window.targetPane()->selectPath(target);
            return;
        }
        if (ui::ConfirmStartDialog* d = window.confirmDialog()) {
            setup.stop();
            jobClock.start();
            last = clock.nsecsElapsed();
            probe.start();
            d->startButton()->click();
            return;
        }
        if (window.startButton()->isEnabled())
            window.requestStart();
    });
    setup.start();
    QApplication::exec();
    if (rc != 0)
        return rc;

    const Stats s = stats(gaps);
    const double stallMax = std::max(0.0, s.max - 1.0);
    int over16 = 0;
    for (double g : gaps)
        over16 += g > 16.0 ? 1 : 0;
    std::printf("full-speed job: %s image (half data), READY after %.2f s, completed after %.2f "
                "s, %.0f MiB/s overall\n",
                engine::formatBytes(size).c_str(), readySeconds, totalSeconds,
                static_cast<double>(size) / (1 << 20) / readySeconds);
    std::printf("UI thread tick gaps (1 ms timer, %zu ticks): median %.2f ms, p99 %.2f ms\n",
                gaps.size(), s.median, s.p99);
    std::printf("UI thread longest stall during the job: %.2f ms (%d gaps over 16 ms)\n", stallMax,
                over16);
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("DriveMirrorBench"));
    std::uint64_t size = 2ull << 30;
    QString dir = QStringLiteral("/var/tmp");
    bool job = true;
    const QStringList args = QCoreApplication::arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QStringLiteral("--size") && i + 1 < args.size()) {
            auto v = engine::parseSize(args[++i].toStdString());
            if (!v) {
                std::fprintf(stderr, "gui_bench: %s\n", v.error().message.c_str());
                return 2;
            }
            size = *v;
        } else if (args[i] == QStringLiteral("--dir") && i + 1 < args.size()) {
            dir = args[++i];
        } else if (args[i] == QStringLiteral("--no-job")) {
            job = false;
        } else {
            std::fprintf(stderr, "usage: gui_bench [--size BYTES] [--dir DIR] [--no-job]\n");
            return 2;
        }
    }
    benchDirtyMap();
    return job ? benchJob(size, dir) : 0;
}
