// DemoDriver: `drivemirror --demo`. Prepares a sparse source image with data
// extents and a target path under the user's cache directory (on a worker),
// puts both into the lists and selects them; the user presses Start, and a
// writer keeps changing the source while it is mirrored, so dirty cells come
// and go, READY is reached and Complete can be tried without any real disk.
//
// For screenshots and smoke tests it can also start by itself, complete a
// number of seconds after READY, save a screenshot of the window just before
// completing, and quit a number of seconds after the job ended.
#pragma once

#include "base/logging.h"
#include "bridge/job_controller.h"

#include <QObject>
#include <QString>

#include <cstdint>

namespace ui {

class DeviceListModel;
class MainWindow;

struct DemoOptions
{
    QString dir;                            ///< empty: engine::defaultDemoDir()
    std::uint64_t size = 1ull << 30;        ///< source image size
    std::uint64_t speedLimit = 64ull << 20; ///< bytes/s, so the first copy can be watched
    bool autostart = false;
    double autocompleteSeconds = -1;      ///< >= 0: complete this long after READY
    double quitAfterCompleteSeconds = -1; ///< >= 0: quit this long after the job ended
    QString screenshotPath;               ///< a PNG of the window, see screenshotWhileCopying
    /// Take the screenshot when the first copy is half done, rather than
    /// while in sync (just before the automatic Complete, or 3 s after READY).
    bool screenshotWhileCopying = false;
};

class DemoDriver : public QObject
{
    Q_OBJECT

public:
    DemoDriver(MainWindow& window, DeviceListModel& devices, JobController& controller,
               DemoOptions options, engine::Logger log, QObject* parent = nullptr);

    /// Prepares the images and selects them (and starts, with autostart).
    void begin();
    const QString& sourcePath() const { return m_source; }
    const QString& targetPath() const { return m_target; }

Q_SIGNALS:
    /// The images are listed and selected.
    void prepared();
    void failed(const QString& message);
    /// quitAfterCompleteSeconds passed after the job ended: 0 when it
    /// completed (and verified identical), 1 otherwise.
    void quitRequested(int exitCode);

private:
    void onImagesAdded(const QStringList& paths);
    void onReady();
    void onProgress(const SnapshotPtr& snapshot);
    void onFinished(const JobOutcome& outcome);
    void saveScreenshot();

    MainWindow& m_window;
    DeviceListModel& m_devices;
    JobController& m_controller;
    DemoOptions m_options;
    engine::Logger m_log;
    QString m_source;
    QString m_target;
    bool m_sourceListed = false;
    bool m_targetListed = false;
    bool m_selected = false;
};

} // namespace ui
