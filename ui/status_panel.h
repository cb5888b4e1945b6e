// StatusPanel: the job's state in words and numbers, under the graphs.
//
//   [=================                    ] 42.3 %
//   (>) Copying · 431 MiB of 1.00 GiB · 180 MiB/s · about 3 s left · 12.0 MiB to copy
//   [ banner: READY / completed / cancelled / failed, with what it means ]
//
// After Complete's final copy, while the snapshot says verifying, the bar
// and the line show the comparison instead: "Verifying… 42.0 %".
// While the job waits for an NBD export's lost server, the line says so
// next to the state: "connection to nbd://… lost 12 s ago: connecting again".
//
// Rates and the ETA come from the snapshots' cumulative counters over a few
// seconds. Labels wrap, so long translations never clip. The icon before the
// status line shows the state at a glance: from the job status, and once
// the job has concluded, from the outcome banner the window shows for it.
#pragma once

#include "job/mirror_job.h"

#include <QStringList>
#include <QWidget>

#include <deque>
#include <optional>

class QLabel;
class QProgressBar;

namespace ui {

class StatusPanel : public QWidget
{
    Q_OBJECT

public:
    enum class Tone { Info, Success, Warning, Error };
    /// The icon beside the status line (resources/icons/state-*.svg).
    enum class StateIcon { Idle, Running, Paused, Ready, Completing, Completed, Cancelled, Failed };

    explicit StatusPanel(QWidget* parent = nullptr);

    void setStatus(engine::JobStatus status);
    void setSnapshot(const engine::JobSnapshot& snapshot);
    /// A line of its own for what is happening outside the job (checking,
    /// preparing demo images, cancelling...). Empty: hidden.
    void setActivity(const QString& text);
    void showBanner(Tone tone, const QString& title, const QString& text);
    void hideBanner();
    void reset();

    /// Bytes/s over the last few seconds: all bytes processed (copied, zeroed).
    double rate() const;
    /// Bytes/s over the last few seconds that were read and written as data.
    double dataRate() const;
    QString statusText() const;
    /// "42.3 %" beside the bar; empty before the first progress.
    QString percentText() const;
    QString bannerText() const;
    bool bannerVisible() const;
    /// What the icon beside the status line shows now.
    StateIcon stateIcon() const;
    /// The resource path of @p icon: ":/icons/state-running.svg", ...
    static QString iconPath(StateIcon icon);

private:
    class IconView;
    void refresh();
    /// Sets the bar for the verification and returns the facts for the line.
    QStringList showVerifyProgress();
    /// Sets the bar for the copy and returns the facts for the line.
    QStringList showCopyProgress();

    QProgressBar* m_progress;
    IconView* m_stateIcon;
    QLabel* m_percent;
    QLabel* m_line;
    QLabel* m_activity;
    QLabel* m_banner;
    engine::JobStatus m_status = engine::JobStatus::Created;
    bool m_hasStatus = false;
    /// The tone of the banner shown since the job concluded: its outcome
    /// (the window reports it after the Concluded status).
    std::optional<Tone> m_outcomeTone;
    bool m_hasSnapshot = false;
    engine::JobSnapshot m_snapshot;
    struct Sample
    {
        double t;
        std::uint64_t done;
        std::uint64_t zeroed;
    };
    std::deque<Sample> m_samples;
};

} // namespace ui
