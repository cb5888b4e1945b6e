// JobSettingsWidget: edits engine::JobOptions (sync mode, granularity, speed limit,
// buffer, error policies, maximum freeze, how long to wait for a lost NBD
// server, unmap, clearing the rest of a larger target, verify) and keeps them
// in QSettings.
//
// While a job runs only the speed limit stays editable; every change of it
// is reported at once through speedChanged, so the window can apply it to
// the running job.
#pragma once

#include "bridge/job_settings.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QSpinBox;

namespace ui {

class JobSettingsWidget : public QWidget
{
    Q_OBJECT

public:
    explicit JobSettingsWidget(QWidget* parent = nullptr);

    engine::JobOptions settings() const;
    void setSettings(const engine::JobOptions& settings);
    /// Locks everything but the speed limit while a job runs.
    void setJobRunning(bool running);

    /// Loads from / saves to QSettings (group "job").
    void load();
    void save() const;
    /// When false, changes are not saved (the demo shows its own choices).
    void setPersistent(bool persistent) { m_persistent = persistent; }

    /// The one-line explanation of a sync mode.
    static QString syncExplanation(engine::SyncMode mode);

    // For tests and the window's keyboard focus.
    QComboBox* syncCombo() const { return m_sync; }
    QCheckBox* limitCheck() const { return m_limit; }
    QDoubleSpinBox* speedSpin() const { return m_speedValue; }
    QComboBox* speedUnitCombo() const { return m_speedUnit; }
    QDoubleSpinBox* maxFreezeSpin() const { return m_maxFreeze; }
    QSpinBox* reconnectSpin() const { return m_reconnect; }
    QCheckBox* wipeRestCheck() const { return m_wipeRest; }
    QCheckBox* verifyCheck() const { return m_verify; }
    QCheckBox* yieldCheck() const { return m_yield; }

Q_SIGNALS:
    /// The speed limit changed (bytes/s, 0 = unlimited).
    void speedChanged(std::uint64_t bytesPerSecond);
    void settingsChanged();

private:
    void addSyncRow(QFormLayout* form);
    void addGranularityRow(QFormLayout* form);
    void addSpeedRow(QFormLayout* form);
    void addFreezeRow(QFormLayout* form);
    void addReconnectRow(QFormLayout* form);
    void addCheckRows(QFormLayout* form);
    /// Every control's change reaches onChanged().
    void connectChanges();
    void onChanged();
    std::uint64_t speedFromControls() const;
    void updateSyncExplanation();

    QComboBox* m_sync;
    QLabel* m_syncHelp;
    QComboBox* m_granularity;
    QCheckBox* m_limit;
    QDoubleSpinBox* m_speedValue;
    QComboBox* m_speedUnit;
    QComboBox* m_bufSize;
    QComboBox* m_sourcePolicy;
    QComboBox* m_targetPolicy;
    QDoubleSpinBox* m_maxFreeze;
    QSpinBox* m_reconnect;
    QCheckBox* m_unmap;
    QCheckBox* m_wipeRest;
    QCheckBox* m_verify;
    QCheckBox* m_yield;
    bool m_updating = false;
    bool m_persistent = true;
    std::uint64_t m_lastSpeed = 0;
};

} // namespace ui
