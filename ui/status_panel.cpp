#include "status_panel.h"

#include "format.h"
#include "resources.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPainter>
#include <QProgressBar>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {

constexpr double kRateWindow = 3.0; // seconds
constexpr int kIconSize = 16;       // logical pixels

bool concludedStatus(engine::JobStatus s)
{
    return s == engine::JobStatus::Concluded || s == engine::JobStatus::Null;
}

} // namespace

// The state icon. Painted through QIcon::paint, which renders the SVG at the
// device pixel ratio of the painter's device: sharp on every screen, also
// after the window moves to a screen with another scale.
class StatusPanel::IconView : public QWidget
{
public:
    explicit IconView(QWidget* parent) : QWidget(parent)
    {
        setObjectName(QStringLiteral("stateIcon"));
        setFixedSize(kIconSize, kIconSize);
    }

    StateIcon which() const { return m_which; }

    void setState(StateIcon icon)
    {
        if (!m_icon.isNull() && icon == m_which)
            return;
        m_which = icon;
        m_icon = QIcon(StatusPanel::iconPath(icon));
        update();
    }

protected:
    void paintEvent(QPaintEvent*) override
    {
        QPainter painter(this);
        m_icon.paint(&painter, rect());
    }

private:
    StateIcon m_which = StateIcon::Idle;
    QIcon m_icon;
};

StatusPanel::StatusPanel(QWidget* parent)
    : QWidget(parent), m_progress(new QProgressBar(this)), m_stateIcon(new IconView(this)),
      m_percent(new QLabel(this)), m_line(new QLabel(this)), m_activity(new QLabel(this)),
      m_banner(new QLabel(this))
{
    initResources(); // the state icons
    m_progress->setRange(0, 1000);
    m_progress->setValue(0);
    // The percentage sits beside the bar, not on it: styles that centre it on
    // the bar split it between the filled and the empty part.
    m_progress->setTextVisible(false);
    m_progress->setFormat(QString());
    m_percent->setObjectName(QStringLiteral("percent"));
    m_percent->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_percent->setMinimumWidth(m_percent->fontMetrics().horizontalAdvance(Format::percent(1)) +
                               m_percent->fontMetrics().averageCharWidth());
    m_line->setWordWrap(true);
    m_line->setTextFormat(Qt::RichText);
    m_line->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_activity->setWordWrap(true);
    m_activity->hide();
    m_banner->setWordWrap(true);
    m_banner->setTextFormat(Qt::RichText);
    m_banner->setAutoFillBackground(true);
    m_banner->setMargin(8);
    m_banner->setObjectName(QStringLiteral("banner"));
    m_banner->hide();

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto* bar = new QHBoxLayout;
    bar->setSpacing(8);
    bar->addWidget(m_progress, 1);
    bar->addWidget(m_percent);
    layout->addLayout(bar);
    auto* line = new QHBoxLayout;
    line->setSpacing(6);
    // Centred like the label's text, also when the panel is taller than it needs.
    line->addWidget(m_stateIcon, 0, Qt::AlignVCenter);
    line->addWidget(m_line, 1);
    layout->addLayout(line);
    layout->addWidget(m_activity);
    layout->addWidget(m_banner);
    refresh();
}

void StatusPanel::reset()
{
    m_hasStatus = false;
    m_hasSnapshot = false;
    m_outcomeTone.reset();
    m_snapshot = {};
    m_samples.clear();
    hideBanner();
    refresh();
}

void StatusPanel::setStatus(engine::JobStatus status)
{
    // A banner from before the end (in sync, completing) says nothing about
    // the outcome.
    if (!m_hasStatus || !concludedStatus(m_status))
        m_outcomeTone.reset();
    m_status = status;
    m_hasStatus = true;
    refresh();
}

void StatusPanel::setSnapshot(const engine::JobSnapshot& snapshot)
{
    if (m_hasSnapshot && snapshot.elapsedSeconds < m_snapshot.elapsedSeconds)
        m_samples.clear();
    m_snapshot = snapshot;
    m_hasSnapshot = true;
    m_samples.push_back({snapshot.elapsedSeconds, snapshot.bytesDone, snapshot.bytesZeroed});
    while (m_samples.size() > 2 && m_samples.back().t - m_samples.front().t > kRateWindow)
        m_samples.pop_front();
    refresh();
}

void StatusPanel::setActivity(const QString& text)
{
    m_activity->setText(text);
    m_activity->setVisible(!text.isEmpty());
}

double StatusPanel::rate() const
{
    if (m_samples.size() < 2)
        return 0;
    const double dt = m_samples.back().t - m_samples.front().t;
    if (dt <= 0)
        return 0;
    return static_cast<double>(m_samples.back().done - m_samples.front().done) / dt;
}

double StatusPanel::dataRate() const
{
    if (m_samples.size() < 2)
        return 0;
    const double dt = m_samples.back().t - m_samples.front().t;
    if (dt <= 0)
        return 0;
    const auto copied = [](const Sample& s) { return s.done - std::min(s.zeroed, s.done); };
    const std::uint64_t a = copied(m_samples.front());
    const std::uint64_t b = copied(m_samples.back());
    return static_cast<double>(b - std::min(a, b)) / dt;
}

QString StatusPanel::percentText() const
{
    return m_percent->text();
}

QString StatusPanel::statusText() const
{
    return m_line->text();
}

QString StatusPanel::bannerText() const
{
    return m_banner->text();
}

bool StatusPanel::bannerVisible() const
{
    return !m_banner->isHidden();
}

StatusPanel::StateIcon StatusPanel::stateIcon() const
{
    return m_stateIcon->which();
}

QString StatusPanel::iconPath(StateIcon icon)
{
    switch (icon) {
    case StateIcon::Idle:
        return QStringLiteral(":/icons/state-idle.svg");
    case StateIcon::Running:
        return QStringLiteral(":/icons/state-running.svg");
    case StateIcon::Paused:
        return QStringLiteral(":/icons/state-paused.svg");
    case StateIcon::Ready:
        return QStringLiteral(":/icons/state-ready.svg");
    case StateIcon::Completing:
        return QStringLiteral(":/icons/state-completing.svg");
    case StateIcon::Completed:
        return QStringLiteral(":/icons/state-completed.svg");
    case StateIcon::Cancelled:
        return QStringLiteral(":/icons/state-cancelled.svg");
    case StateIcon::Failed:
        return QStringLiteral(":/icons/state-failed.svg");
    }
    return {};
}

namespace {

StatusPanel::StateIcon iconFor(engine::JobStatus status, bool stoppedOnError,
                               std::optional<StatusPanel::Tone> outcome)
{
    using S = engine::JobStatus;
    using I = StatusPanel::StateIcon;
    using T = StatusPanel::Tone;
    switch (status) {
    case S::Created:
        return I::Idle;
    case S::Running:
        return I::Running;
    case S::Paused:
    case S::Standby:
        // The error policy "stop" pauses the job until someone resumes it.
        return stoppedOnError ? I::Failed : I::Paused;
    case S::Ready:
        return I::Ready;
    case S::Waiting:
    case S::Pending:
        return I::Completing;
    case S::Aborting:
        return stoppedOnError ? I::Failed : I::Cancelled;
    case S::Concluded:
    case S::Null:
        if (!outcome)
            return I::Completing; // finished, the outcome is on its way
        switch (*outcome) {
        case T::Success:
            return I::Completed;
        case T::Info:    // cancelled after READY: a consistent copy
        case T::Warning: // cancelled before READY: the target is incomplete
            return I::Cancelled;
        case T::Error: // failed, or completed but verification differs
            return I::Failed;
        }
        return I::Completing;
    }
    return I::Idle;
}

} // namespace

void StatusPanel::refresh()
{
    const bool verifying = m_hasSnapshot && m_snapshot.verifying && !concludedStatus(m_status);
    m_stateIcon->setState(
        !m_hasStatus ? StateIcon::Idle
        : verifying
            ? StateIcon::Completing
            : iconFor(m_status, m_hasSnapshot && !m_snapshot.ioError.empty(), m_outcomeTone));
    if (!m_hasStatus) {
        m_progress->setValue(0);
        m_percent->clear();
        m_line->setText(tr("Choose a source and a target, check the settings, then press "
                           "Start."));
        return;
    }
    QStringList parts;
    if (verifying) {
        parts = showVerifyProgress();
    } else {
        parts << QStringLiteral("<b>%1</b>").arg(Format::status(m_status).toHtmlEscaped());
        if (m_hasSnapshot) {
            parts << showCopyProgress();
        } else {
            m_progress->setValue(0);
            m_percent->clear();
        }
    }
    // Nothing moves while the job waits for a lost server, so this is said
    // whatever the state, next to the state itself; once the job is over,
    // a last snapshot's wait is history.
    if (const QString waiting = Format::reconnecting(m_snapshot.reconnect);
        m_hasSnapshot && !waiting.isEmpty() && !concludedStatus(m_status))
        parts.insert(1, waiting.toHtmlEscaped());
    m_line->setText(parts.join(QStringLiteral(" · ")));
}

QStringList StatusPanel::showVerifyProgress()
{
    // The copy is done and the source runs again; what is left is the
    // comparison, with a progress of its own.
    const engine::JobSnapshot& s = m_snapshot;
    const double fraction =
        s.verifyTotal ? static_cast<double>(s.verifyDone) / static_cast<double>(s.verifyTotal)
                      : 0.0;
    const QString percent = Format::percent(fraction);
    m_progress->setValue(static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * 1000)));
    m_percent->setText(percent);
    m_progress->setFormat(percent);
    QStringList parts;
    parts << QStringLiteral("<b>%1</b>").arg(tr("Verifying… %1").arg(percent).toHtmlEscaped());
    if (s.verifyTotal > 0)
        parts << tr("%1 of %2 checked")
                     .arg(Format::bytes(s.verifyDone), Format::bytes(s.verifyTotal))
                     .toHtmlEscaped();
    parts << tr("the source runs on meanwhile").toHtmlEscaped();
    return parts;
}

QStringList StatusPanel::showCopyProgress()
{
    const engine::JobSnapshot& s = m_snapshot;
    const std::uint64_t total = s.bytesDone + s.bytesRemaining;
    const double fraction =
        total ? static_cast<double>(s.bytesDone) / static_cast<double>(total) : 0.0;
    const bool inSync =
        m_status == engine::JobStatus::Ready || m_status == engine::JobStatus::Standby;
    const double shown = inSync ? 1.0 : fraction;
    m_progress->setValue(static_cast<int>(std::lround(shown * 1000)));
    m_percent->setText(Format::percent(shown));
    m_progress->setFormat(m_percent->text()); // for screen readers
    QStringList parts;
    parts << tr("%1 of %2").arg(Format::bytes(s.bytesDone), Format::bytes(total)).toHtmlEscaped();
    const double r = rate();
    const bool moving =
        m_status == engine::JobStatus::Running || m_status == engine::JobStatus::Ready;
    // The rate shown is data moved, comparable with the speed limit; the
    // ETA also counts zero runs, which cost no transfer.
    parts << tr("copying %1").arg(Format::rate(moving ? dataRate() : 0)).toHtmlEscaped();
    // The forecast counts what the source's writers dirty meanwhile; the
    // plain remaining/rate is only the first seconds' guess.
    const QString forecast = moving ? Format::forecast(s.forecast, inSync) : QString();
    if (!forecast.isEmpty())
        parts << (s.forecast.converges ? forecast.toHtmlEscaped()
                                       : QStringLiteral("<span style=\"color:#c62828\">%1</span>")
                                             .arg(forecast.toHtmlEscaped()));
    else if (m_status == engine::JobStatus::Running && r > 1 && s.bytesRemaining > 0)
        parts << tr("about %1 left")
                     .arg(Format::duration(static_cast<double>(s.bytesRemaining) / r))
                     .toHtmlEscaped();
    if (const QString giving = Format::yielding(s.yield); !giving.isEmpty() && moving)
        parts << giving.toHtmlEscaped();
    parts << tr("%1 to copy").arg(Format::bytes(s.dirtyBytes + s.inFlightBytes)).toHtmlEscaped();
    if (s.speedLimit > 0)
        parts
            << tr("limit %1").arg(Format::rate(static_cast<double>(s.speedLimit))).toHtmlEscaped();
    if (s.unreadableBytes > 0)
        parts << tr("%1 unreadable").arg(Format::bytes(s.unreadableBytes)).toHtmlEscaped();
    if (!s.ioError.empty())
        parts << QStringLiteral("<span style=\"color:#c62828\">%1</span>")
                     .arg(tr("stopped on an I/O error: %1")
                              .arg(QString::fromStdString(s.ioError))
                              .toHtmlEscaped());
    return parts;
}

void StatusPanel::showBanner(Tone tone, const QString& title, const QString& text)
{
    QColor background;
    switch (tone) {
    case Tone::Info:
        background = QColor(0xd8, 0xe8, 0xfa);
        break;
    case Tone::Success:
        background = QColor(0xd9, 0xf2, 0xe0);
        break;
    case Tone::Warning:
        background = QColor(0xfd, 0xef, 0xd0);
        break;
    case Tone::Error:
        background = QColor(0xfa, 0xdc, 0xdc);
        break;
    }
    QPalette pal = m_banner->palette();
    pal.setColor(QPalette::Window, background);
    pal.setColor(QPalette::WindowText, QColor(0x20, 0x20, 0x20));
    m_banner->setPalette(pal);
    m_banner->setText(
        QStringLiteral("<b>%1</b> %2").arg(title.toHtmlEscaped(), text.toHtmlEscaped()));
    m_banner->show();
    if (m_hasStatus &&
        (m_status == engine::JobStatus::Concluded || m_status == engine::JobStatus::Null)) {
        m_outcomeTone = tone;
        refresh();
    }
}

void StatusPanel::hideBanner()
{
    m_banner->hide();
    m_banner->clear();
}

} // namespace ui
