#include "job_settings_widget.h"

#include "format.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>

#include <cmath>

namespace ui {

namespace {

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = kKiB * 1024;
constexpr std::uint64_t kGiB = kMiB * 1024;

void addPolicies(QComboBox* combo)
{
    using P = engine::ErrorPolicy;
    combo->addItem(ui::JobSettingsWidget::tr("Report (stop the job)"), static_cast<int>(P::Report));
    combo->setItemData(0, ui::JobSettingsWidget::tr("The job fails at the first error."),
                       Qt::ToolTipRole);
    combo->addItem(ui::JobSettingsWidget::tr("Ignore (skip and continue)"),
                   static_cast<int>(P::Ignore));
    combo->setItemData(
        1,
        ui::JobSettingsWidget::tr("Skip the failed range, record it and go on. On the "
                                  "source, what cannot be read is written as zeroes."),
        Qt::ToolTipRole);
    combo->addItem(ui::JobSettingsWidget::tr("Pause (retry on resume)"), static_cast<int>(P::Stop));
    combo->setItemData(2,
                       ui::JobSettingsWidget::tr("Pause the job; Resume retries the failed range."),
                       Qt::ToolTipRole);
    combo->addItem(ui::JobSettingsWidget::tr("Pause when full, else report"),
                   static_cast<int>(P::Enospc));
    combo->setItemData(
        3, ui::JobSettingsWidget::tr("Pause when the target runs out of space, fail otherwise."),
        Qt::ToolTipRole);
}

void selectData(QComboBox* combo, const QVariant& value)
{
    const int i = combo->findData(value);
    combo->setCurrentIndex(i >= 0 ? i : 0);
}

} // namespace

QString JobSettingsWidget::syncExplanation(engine::SyncMode mode)
{
    switch (mode) {
    case engine::SyncMode::Full:
        return tr("Copies the whole source, then keeps the target in sync.");
    case engine::SyncMode::Top:
        return tr("Copies only what the source has allocated; holes stay untouched on the "
                  "target.");
    case engine::SyncMode::None:
        return tr("Copies nothing up front, only what is written to the source from now on.");
    }
    return {};
}

JobSettingsWidget::JobSettingsWidget(QWidget* parent)
    : QWidget(parent), m_sync(new QComboBox(this)), m_syncHelp(new QLabel(this)),
      m_granularity(new QComboBox(this)), m_limit(new QCheckBox(tr("Limit to"), this)),
      m_speedValue(new QDoubleSpinBox(this)), m_speedUnit(new QComboBox(this)),
      m_bufSize(new QComboBox(this)), m_sourcePolicy(new QComboBox(this)),
      m_targetPolicy(new QComboBox(this)), m_maxFreeze(new QDoubleSpinBox(this)),
      m_reconnect(new QSpinBox(this)),
      m_unmap(new QCheckBox(tr("Discard zero ranges on the target (keeps it sparse)"), this)),
      m_wipeRest(new QCheckBox(tr("Clear the target past the source's end"), this)),
      m_verify(new QCheckBox(tr("Verify the copy after completion"), this)),
      m_yield(new QCheckBox(tr("Give way to programs using the source disk"), this))
{
    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setRowWrapPolicy(QFormLayout::WrapLongRows);

    addSyncRow(form);
    addGranularityRow(form);
    addSpeedRow(form);

    for (std::uint64_t b = kMiB; b <= 256 * kMiB; b *= 2)
        m_bufSize->addItem(Format::bytes(b), QVariant::fromValue<qulonglong>(b));
    m_bufSize->setToolTip(tr("Memory for data in flight, split into up to 16 requests."));
    form->addRow(tr("&Buffer:"), m_bufSize);

    addPolicies(m_sourcePolicy);
    addPolicies(m_targetPolicy);
    form->addRow(tr("On read &error:"), m_sourcePolicy);
    form->addRow(tr("On &write error:"), m_targetPolicy);

    addFreezeRow(form);
    addReconnectRow(form);
    addCheckRows(form);
    connectChanges();

    setSettings(engine::JobOptions{});
}

void JobSettingsWidget::addSyncRow(QFormLayout* form)
{
    using S = engine::SyncMode;
    m_sync->addItem(tr("Full"), static_cast<int>(S::Full));
    m_sync->addItem(tr("Allocated data only (top)"), static_cast<int>(S::Top));
    m_sync->addItem(tr("New writes only (none)"), static_cast<int>(S::None));
    for (int i = 0; i < m_sync->count(); ++i)
        m_sync->setItemData(i, syncExplanation(static_cast<S>(m_sync->itemData(i).toInt())),
                            Qt::ToolTipRole);
    m_syncHelp->setWordWrap(true);
    m_syncHelp->setForegroundRole(QPalette::PlaceholderText);
    auto* syncBox = new QVBoxLayout;
    syncBox->setSpacing(2);
    syncBox->addWidget(m_sync);
    syncBox->addWidget(m_syncHelp);
    auto* syncLabel = new QLabel(tr("S&ync mode:"), this);
    syncLabel->setBuddy(m_sync);
    form->addRow(syncLabel, syncBox);
}

void JobSettingsWidget::addGranularityRow(QFormLayout* form)
{
    m_granularity->addItem(tr("Automatic (%1, or the target's block size)")
                               .arg(Format::bytes(engine::kDefaultGranularity)),
                           QVariant::fromValue<qulonglong>(0));
    for (std::uint64_t g = engine::kMinGranularity; g <= engine::kMaxGranularity; g *= 2)
        m_granularity->addItem(Format::bytes(g), QVariant::fromValue<qulonglong>(g));
    m_granularity->setToolTip(
        tr("The unit of dirty tracking: a write anywhere in a granule copies the whole "
           "granule again. Smaller granules copy less after small writes but need more "
           "memory."));
    form->addRow(tr("&Granularity:"), m_granularity);
}

void JobSettingsWidget::addSpeedRow(QFormLayout* form)
{
    m_speedValue->setRange(0.1, 100000);
    m_speedValue->setDecimals(1);
    m_speedValue->setValue(100);
    m_speedValue->setAccelerated(true);
    m_speedUnit->addItem(tr("KiB/s"), QVariant::fromValue<qulonglong>(kKiB));
    m_speedUnit->addItem(tr("MiB/s"), QVariant::fromValue<qulonglong>(kMiB));
    m_speedUnit->addItem(tr("GiB/s"), QVariant::fromValue<qulonglong>(kGiB));
    m_speedUnit->setCurrentIndex(1);
    auto* speedRow = new QHBoxLayout;
    speedRow->addWidget(m_limit);
    speedRow->addWidget(m_speedValue, 1);
    speedRow->addWidget(m_speedUnit);
    const QString speedTip = tr("Unchecked: as fast as the disks allow. Changes apply at once, "
                                "also to a running job.");
    m_limit->setToolTip(speedTip);
    m_speedValue->setToolTip(speedTip);
    auto* speedLabel = new QLabel(tr("Speed &limit:"), this);
    speedLabel->setBuddy(m_limit);
    form->addRow(speedLabel, speedRow);
}

void JobSettingsWidget::addFreezeRow(QFormLayout* form)
{
    m_maxFreeze->setRange(engine::kMinFreezeSeconds, engine::kMaxFreezeSeconds);
    m_maxFreeze->setDecimals(1);
    m_maxFreeze->setSingleStep(1);
    m_maxFreeze->setSuffix(tr(" s"));
    m_maxFreeze->setAccelerated(true);
    m_maxFreeze->setToolTip(
        tr("The longest time Complete, or Cancel once in sync, may freeze the source's mounted "
           "file systems for the final copy; writes to them wait meanwhile. A final copy that "
           "takes longer is abandoned: the source runs on, the job keeps mirroring and you can "
           "try again."));
    auto* freezeLabel = new QLabel(tr("Maximum free&ze:"), this);
    freezeLabel->setBuddy(m_maxFreeze);
    form->addRow(freezeLabel, m_maxFreeze);
}

void JobSettingsWidget::addReconnectRow(QFormLayout* form)
{
    m_reconnect->setRange(0, static_cast<int>(engine::kMaxReconnectSeconds));
    m_reconnect->setSingleStep(10);
    m_reconnect->setSuffix(tr(" s"));
    m_reconnect->setSpecialValueText(tr("fail at once"));
    m_reconnect->setAccelerated(true);
    m_reconnect->setToolTip(
        tr("When the connection to an NBD export is lost, for example because its server "
           "restarts, the job connects again for up to this long and then copies on; what the "
           "server had not yet flushed is copied again. 0: the job stops at once and can be "
           "resumed later."));
    auto* reconnectLabel = new QLabel(tr("Reco&nnect for up to:"), this);
    reconnectLabel->setBuddy(m_reconnect);
    form->addRow(reconnectLabel, m_reconnect);
}

void JobSettingsWidget::addCheckRows(QFormLayout* form)
{
    m_unmap->setToolTip(tr("Ranges that read as zeroes are discarded on the target instead of "
                           "written, so an image stays sparse and an SSD learns they are free."));
    m_wipeRest->setToolTip(
        tr("For a target larger than the source: make everything past the source's end read as "
           "zeroes, so none of the target's old data stays there. Unchecked, those bytes are "
           "kept as they are and are not compared."));
    m_verify->setToolTip(tr("After the final copy, once the source runs again, compare the "
                            "target with the source; where the source changed since, check the "
                            "target against what the job wrote."));
    m_yield->setToolTip(
        tr("While programs on the source's computer read and write its disk, the copy slows "
           "down so that they stay responsive, and speeds up again when the disk is quiet. "
           "A source nothing writes to is copied at full speed either way."));
    form->addRow(m_yield);
    form->addRow(m_unmap);
    form->addRow(m_wipeRest);
    form->addRow(m_verify);
}

void JobSettingsWidget::connectChanges()
{
    const auto changed = [this] { onChanged(); };
    for (QComboBox* c :
         {m_sync, m_granularity, m_speedUnit, m_bufSize, m_sourcePolicy, m_targetPolicy})
        connect(c, &QComboBox::currentIndexChanged, this, changed);
    for (QCheckBox* c : {m_limit, m_unmap, m_wipeRest, m_verify, m_yield})
        connect(c, &QCheckBox::toggled, this, changed);
    connect(m_speedValue, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_maxFreeze, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_reconnect, &QSpinBox::valueChanged, this, changed);
}

std::uint64_t JobSettingsWidget::speedFromControls() const
{
    if (!m_limit->isChecked())
        return 0;
    const double unit = static_cast<double>(m_speedUnit->currentData().toULongLong());
    return static_cast<std::uint64_t>(std::llround(m_speedValue->value() * unit));
}

engine::JobOptions JobSettingsWidget::settings() const
{
    engine::JobOptions s;
    s.sync = static_cast<engine::SyncMode>(m_sync->currentData().toInt());
    s.granularity = m_granularity->currentData().toULongLong();
    s.speed = speedFromControls();
    s.bufSize = m_bufSize->currentData().toULongLong();
    s.onSourceError = static_cast<engine::ErrorPolicy>(m_sourcePolicy->currentData().toInt());
    s.onTargetError = static_cast<engine::ErrorPolicy>(m_targetPolicy->currentData().toInt());
    s.maxFreezeSeconds = m_maxFreeze->value();
    s.reconnectSeconds = static_cast<unsigned>(m_reconnect->value());
    s.unmap = m_unmap->isChecked();
    s.wipeRest = m_wipeRest->isChecked();
    s.verify = m_verify->isChecked();
    s.yield = m_yield->isChecked() ? engine::YieldMode::Auto : engine::YieldMode::Off;
    return s;
}

void JobSettingsWidget::setSettings(const engine::JobOptions& s)
{
    m_updating = true;
    selectData(m_sync, static_cast<int>(s.sync));
    selectData(m_granularity, QVariant::fromValue<qulonglong>(s.granularity));
    m_limit->setChecked(s.speed > 0);
    if (s.speed > 0) {
        // The largest unit that shows the limit as a number >= 1.
        int unitIndex = 0;
        for (int i = m_speedUnit->count() - 1; i >= 0; --i)
            if (s.speed >= m_speedUnit->itemData(i).toULongLong()) {
                unitIndex = i;
                break;
            }
        m_speedUnit->setCurrentIndex(unitIndex);
        m_speedValue->setValue(static_cast<double>(s.speed) /
                               static_cast<double>(m_speedUnit->itemData(unitIndex).toULongLong()));
    }
    selectData(m_bufSize, QVariant::fromValue<qulonglong>(s.bufSize));
    selectData(m_sourcePolicy, static_cast<int>(s.onSourceError));
    selectData(m_targetPolicy, static_cast<int>(s.onTargetError));
    m_maxFreeze->setValue(s.maxFreezeSeconds);
    m_reconnect->setValue(static_cast<int>(s.reconnectSeconds));
    m_unmap->setChecked(s.unmap);
    m_wipeRest->setChecked(s.wipeRest);
    m_verify->setChecked(s.verify);
    m_yield->setChecked(s.yield == engine::YieldMode::Auto);
    m_updating = false;
    m_speedValue->setEnabled(m_limit->isChecked());
    m_speedUnit->setEnabled(m_limit->isChecked());
    updateSyncExplanation();
    m_lastSpeed = speedFromControls();
}

void JobSettingsWidget::updateSyncExplanation()
{
    m_syncHelp->setText(
        syncExplanation(static_cast<engine::SyncMode>(m_sync->currentData().toInt())));
}

void JobSettingsWidget::onChanged()
{
    if (m_updating)
        return;
    m_speedValue->setEnabled(m_limit->isChecked());
    m_speedUnit->setEnabled(m_limit->isChecked());
    updateSyncExplanation();
    save();
    const std::uint64_t speed = speedFromControls();
    if (speed != m_lastSpeed) {
        m_lastSpeed = speed;
        Q_EMIT speedChanged(speed);
    }
    Q_EMIT settingsChanged();
}

void JobSettingsWidget::setJobRunning(bool running)
{
    for (QWidget* w : std::initializer_list<QWidget*>{
             m_sync, m_granularity, m_bufSize, m_sourcePolicy, m_targetPolicy, m_maxFreeze,
             m_reconnect, m_unmap, m_wipeRest, m_verify, m_yield})
        w->setEnabled(!running);
}

void JobSettingsWidget::load()
{
    QSettings s;
    setSettings(loadJobOptions(s));
}

void JobSettingsWidget::save() const
{
    if (!m_persistent)
        return;
    QSettings s;
    saveJobOptions(s, settings());
}

} // namespace ui
