#include "demo_driver.h"

#include "base/units.h"
#include "device_list_model.h"
#include "device_pane.h"
#include "job/demo.h"
#include "job_settings_widget.h"
#include "main_window.h"
#include "status_panel.h"

#include <QFutureWatcher>
#include <QImage>
#include <QPixmap>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace ui {

namespace {

struct PreparedImages
{
    std::optional<engine::Error> error;
    QString source;
    QString target;
};

} // namespace

DemoDriver::DemoDriver(MainWindow& window, DeviceListModel& devices, JobController& controller,
                       DemoOptions options, engine::Logger log, QObject* parent)
    : QObject(parent), m_window(window), m_devices(devices), m_controller(controller),
      m_options(std::move(options)), m_log(engine::orNull(std::move(log)))
{
    connect(&m_devices, &DeviceListModel::imagesAdded, this, &DemoDriver::onImagesAdded);
    connect(&m_controller, &JobController::ready, this, &DemoDriver::onReady);
    connect(&m_controller, &JobController::progressChanged, this, &DemoDriver::onProgress);
    connect(&m_controller, &JobController::finished, this, &DemoDriver::onFinished);
}

void DemoDriver::begin()
{
    m_window.setDemoMode(true);
    m_window.setConfirmNewFiles(!m_options.autostart);
    engine::JobOptions settings = m_window.settingsWidget()->settings();
    settings.verify = true;
    if (settings.speed == 0)
        settings.speed = m_options.speedLimit;
    // Demo choices are shown, not stored: the user's own settings stay.
    m_window.settingsWidget()->setPersistent(false);
    m_window.settingsWidget()->setSettings(settings);

    const std::string dir =
        m_options.dir.isEmpty() ? engine::defaultDemoDir() : m_options.dir.toStdString();
    const std::uint64_t size = m_options.size;
    m_log->info("demo: preparing a {} source image with data extents in {}",
                engine::formatBytes(size), dir);
    m_window.statusPanel()->setActivity(tr("Preparing the demo images…"));

    auto* watcher = new QFutureWatcher<PreparedImages>(this);
    connect(watcher, &QFutureWatcher<PreparedImages>::finished, this, [this, watcher] {
        watcher->deleteLater();
        const PreparedImages r = watcher->result();
        m_window.statusPanel()->setActivity({});
        if (r.error) {
            m_log->error("demo: {}", r.error->message);
            Q_EMIT failed(QString::fromStdString(r.error->message));
            return;
        }
        m_source = r.source;
        m_target = r.target;
        m_devices.addImages({m_source}, false);
        m_devices.addImages({m_target}, true);
    });
    watcher->setFuture(QtConcurrent::run([dir, size] {
        PreparedImages out;
        auto images = engine::prepareDemoImages(dir, size);
        if (!images) {
            out.error = images.error();
            return out;
        }
        out.source = QString::fromStdString(images->source);
        out.target = QString::fromStdString(images->target);
        return out;
    }));
}

void DemoDriver::onImagesAdded(const QStringList& paths)
{
    if (m_selected)
        return;
    m_sourceListed = m_sourceListed || paths.contains(m_source);
    m_targetListed = m_targetListed || paths.contains(m_target);
    if (!m_sourceListed || !m_targetListed)
        return;
    m_selected = true;
    m_window.sourcePane()->selectPath(m_source);
    m_window.targetPane()->selectPath(m_target);
    m_log->info("demo: source {} and target {} are selected; a writer will change the source "
                "at {} while it is mirrored",
                m_source.toStdString(), m_target.toStdString(),
                engine::formatRate(static_cast<double>(kDemoWriterRate)));
    Q_EMIT prepared();
    if (m_options.autostart) {
        // The target row is checked against the source on a worker; start
        // once the lists are up to date.
        auto startWhenIdle = [this] {
            if (!m_controller.isActive())
                m_window.requestStart();
        };
        if (m_devices.isIdle())
            QTimer::singleShot(0, this, startWhenIdle);
        else
            connect(&m_devices, &DeviceListModel::idle, this, startWhenIdle,
                    Qt::SingleShotConnection);
    }
}

void DemoDriver::onProgress(const SnapshotPtr& snapshot)
{
    if (!m_options.screenshotWhileCopying || m_options.screenshotPath.isEmpty() || !snapshot ||
        snapshot->readyReached || snapshot->diskSize == 0)
        return;
    if (snapshot->bytesRemaining * 2 <= snapshot->diskSize)
        saveScreenshot();
}

void DemoDriver::onReady()
{
    if (m_options.autocompleteSeconds >= 0) {
        QTimer::singleShot(static_cast<int>(m_options.autocompleteSeconds * 1000), this, [this] {
            if (!m_options.screenshotWhileCopying)
                saveScreenshot();
            m_log->info("demo: completing {} s after READY", m_options.autocompleteSeconds);
            m_window.requestComplete();
        });
    } else if (!m_options.screenshotPath.isEmpty() && !m_options.screenshotWhileCopying) {
        QTimer::singleShot(3000, this, &DemoDriver::saveScreenshot);
    }
}

void DemoDriver::saveScreenshot()
{
    if (m_options.screenshotPath.isEmpty())
        return;
    const QString path = m_options.screenshotPath;
    m_options.screenshotPath.clear();
    const QImage image = m_window.grab().toImage();
    // Encoding and writing a PNG is disk I/O: off the UI thread.
    auto future = QtConcurrent::run([image, path] { return image.save(path); });
    auto* watcher = new QFutureWatcher<bool>(this);
    connect(watcher, &QFutureWatcher<bool>::finished, this, [this, watcher, path] {
        watcher->deleteLater();
        if (watcher->result())
            m_log->info("demo: screenshot saved to {}", path.toStdString());
        else
            m_log->error("demo: cannot save the screenshot to {}", path.toStdString());
    });
    watcher->setFuture(future);
}

void DemoDriver::onFinished(const JobOutcome& outcome)
{
    if (m_options.quitAfterCompleteSeconds < 0)
        return;
    const bool ok = outcome.outcome == engine::JobResult::Outcome::Completed &&
                    (!outcome.verify || outcome.verify->identical);
    QTimer::singleShot(static_cast<int>(m_options.quitAfterCompleteSeconds * 1000), this,
                       [this, ok] { Q_EMIT quitRequested(ok ? 0 : 1); });
}

} // namespace ui
