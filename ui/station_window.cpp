#include "station_window.h"

#include "format.h"
#include "resources.h"
#include "station_audit_model.h"

#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {

using State = StationSlot::State;
using Phase = StationController::Phase;

constexpr int kMaxColumns = 4;
constexpr int kProgressSteps = 1000;

// The tones of the status panel's banners, with dark text on each, so that
// they read the same on a light and a dark theme.
const QColor kText(0x20, 0x20, 0x20);
const QColor kGrey(0xec, 0xec, 0xec);
const QColor kBlue(0xd8, 0xe8, 0xfa);
const QColor kViolet(0xe6, 0xdf, 0xf7);
const QColor kGreen(0xd9, 0xf2, 0xe0);
const QColor kAmber(0xfd, 0xef, 0xd0);
const QColor kRed(0xfa, 0xdc, 0xdc);

QColor tone(State state)
{
    switch (state) {
    case State::Empty:
        return kGrey;
    case State::Ignored:
        return kAmber;
    case State::Copying:
        return kBlue;
    case State::Verifying:
        return kViolet;
    case State::Passed:
        return kGreen;
    case State::Failed:
    case State::Refused:
        return kRed;
    }
    return kGrey;
}

QString iconPath(State state)
{
    switch (state) {
    case State::Empty:
        return QStringLiteral(":/icons/state-idle.svg");
    case State::Ignored:
        return QStringLiteral(":/icons/state-paused.svg");
    case State::Copying:
        return QStringLiteral(":/icons/state-running.svg");
    case State::Verifying:
        return QStringLiteral(":/icons/state-completing.svg");
    case State::Passed:
        return QStringLiteral(":/icons/state-completed.svg");
    case State::Failed:
        return QStringLiteral(":/icons/state-failed.svg");
    case State::Refused:
        return QStringLiteral(":/icons/state-cancelled.svg");
    }
    return QStringLiteral(":/icons/state-idle.svg");
}

void paint(QWidget* w, const QColor& background)
{
    QPalette pal = w->palette();
    pal.setColor(QPalette::Window, background);
    pal.setColor(QPalette::WindowText, kText);
    w->setPalette(pal);
    w->setAutoFillBackground(true);
}

QLabel* selectableLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

int steps(std::uint64_t done, std::uint64_t total)
{
    if (total == 0)
        return 0;
    const double f = std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0);
    return static_cast<int>(std::lround(f * kProgressSteps));
}

} // namespace

// --- StationSlotTile ---

StationSlotTile::StationSlotTile(QWidget* parent) : QFrame(parent)
{
    setFrameShape(QFrame::StyledPanel);
    setMinimumWidth(220);
    auto* layout = new QVBoxLayout(this);
    auto* top = new QHBoxLayout;
    m_icon = new QLabel(this);
    m_label = new QLabel(this);
    QFont big = m_label->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.3);
    m_label->setFont(big);
    m_stateText = new QLabel(this);
    QFont bold = m_stateText->font();
    bold.setBold(true);
    m_stateText->setFont(bold);
    top->addWidget(m_icon);
    top->addWidget(m_label);
    top->addStretch(1);
    top->addWidget(m_stateText);
    layout->addLayout(top);
    m_drive = selectableLabel(this);
    layout->addWidget(m_drive);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, kProgressSteps);
    m_progress->setTextVisible(true);
    layout->addWidget(m_progress);
    m_rate = new QLabel(this);
    layout->addWidget(m_rate);
    m_result = selectableLabel(this);
    layout->addWidget(m_result);
    layout->addStretch(1);
    setSlot(StationSlot{});
}

QString StationSlotTile::stateName(State state)
{
    switch (state) {
    case State::Empty:
        return tr("Waiting for a drive");
    case State::Ignored:
        return tr("Left alone");
    case State::Copying:
        return tr("Copying");
    case State::Verifying:
        return tr("Verifying");
    case State::Passed:
        return tr("Passed");
    case State::Failed:
        return tr("FAILED");
    case State::Refused:
        return tr("Refused");
    }
    return {};
}

void StationSlotTile::setSlot(const StationSlot& slot)
{
    m_state = slot.state;
    paint(this, tone(slot.state));
    m_label->setText(slot.label);
    m_icon->setPixmap(QIcon(iconPath(slot.state)).pixmap(QSize(16, 16)));
    m_stateText->setText(stateName(slot.state));
    setToolTip(slot.match.isEmpty() ? QString() : tr("Matches %1").arg(slot.match));
    setAccessibleName(tr("Slot %1: %2").arg(slot.label, stateName(slot.state)));

    if (slot.device.isEmpty()) {
        m_drive->setText(tr("No drive"));
    } else {
        const QString name = QStringList{slot.vendor, slot.model}.join(QLatin1Char(' ')).trimmed();
        QStringList facts;
        if (!slot.serial.isEmpty())
            facts << tr("serial %1").arg(slot.serial);
        if (slot.capacity > 0)
            facts << Format::bytes(slot.capacity);
        facts << slot.device;
        m_drive->setText((name.isEmpty() ? tr("Unnamed drive") : name) + QLatin1Char('\n') +
                         facts.join(QStringLiteral(", ")));
    }

    const bool moving = slot.state == State::Copying || slot.state == State::Verifying;
    const int value = slot.state == State::Passed ? kProgressSteps : steps(slot.done, slot.total);
    m_progress->setValue(value);
    m_progress->setFormat(Format::percent(static_cast<double>(value) / kProgressSteps));
    m_progress->setEnabled(moving || slot.state == State::Passed);
    if (moving && slot.total > 0)
        m_rate->setText(
            tr("%1 of %2, %3")
                .arg(Format::bytes(slot.done), Format::bytes(slot.total), Format::rate(slot.rate)));
    else if (moving)
        m_rate->setText(tr("starting"));
    else if (slot.state == State::Passed && slot.rate > 0)
        m_rate->setText(tr("average %1").arg(Format::rate(slot.rate)));
    else
        m_rate->clear();

    if (slot.state == State::Ignored)
        m_result->setText(slot.detail);
    else if (slot.result.isEmpty())
        m_result->clear();
    else if (slot.detail.isEmpty() || slot.result.contains(slot.detail))
        m_result->setText(tr("Last result: %1").arg(slot.result));
    else
        m_result->setText(tr("Last result: %1 (%2)").arg(slot.result, slot.detail));
}

QString StationSlotTile::stateText() const
{
    return m_stateText->text();
}

QString StationSlotTile::driveText() const
{
    return m_drive->text();
}

QString StationSlotTile::resultText() const
{
    return m_result->text();
}

// --- StationWindow ---

StationWindow::StationWindow(StationController& controller, engine::Logger log, QWidget* parent)
    : QMainWindow(parent), m_controller(controller), m_log(engine::orNull(std::move(log)))
{
    initResources();
    setObjectName(QStringLiteral("StationWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/drivemirror.svg")));

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->addWidget(buildHeader());

    m_grid = new QWidget;
    m_gridLayout = new QGridLayout(m_grid);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setWidget(m_grid);
    scroll->setFrameShape(QFrame::NoFrame);
    m_gridScroll = scroll;
    auto* splitter = new QSplitter(Qt::Vertical, central);
    splitter->addWidget(scroll);
    splitter->addWidget(buildAudit());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    // Each part's share, not its size hint: a tile's wrapped lines are
    // higher than its hint says.
    splitter->setSizes({500, 400});
    layout->addWidget(splitter, 1);
    setCentralWidget(central);
    statusBar();

    connect(&m_controller, &StationController::phaseChanged, this, [this] {
        updateHeader();
        updateActions();
    });
    connect(&m_controller, &StationController::infoChanged, this, &StationWindow::updateHeader);
    connect(&m_controller, &StationController::slotsReset, this, &StationWindow::rebuildTiles);
    connect(&m_controller, &StationController::slotChanged, this, &StationWindow::updateTile);
    connect(&m_controller, &StationController::recordAdded, this, [this] {
        m_recordCount->setText(
            tr("%n drive(s) recorded", nullptr, static_cast<int>(m_controller.records().size())));
        m_exportButton->setEnabled(true);
        // A new record may need wider columns.
        m_auditView->resizeColumnsToContents();
        m_auditView->scrollToBottom();
    });
    connect(&m_controller, &StationController::errorOccurred, this, &StationWindow::showError);
    connect(&m_controller, &StationController::finished, this, [this] {
        if (m_closeWhenStopped)
            close();
    });
    connect(&m_controller, &StationController::exported, this,
            [this](const QString& path, int count, const QString& error) {
                if (error.isEmpty()) {
                    statusBar()->showMessage(
                        tr("%n record(s) exported to %1", nullptr, count).arg(path));
                    return;
                }
                auto* box = new QMessageBox(QMessageBox::Warning, tr("Export Failed"),
                                            tr("The audit log could not be saved to %1.").arg(path),
                                            QMessageBox::Ok, this);
                box->setDetailedText(error);
                box->setAttribute(Qt::WA_DeleteOnClose);
                box->setWindowModality(Qt::WindowModal);
                box->open();
            });

    rebuildTiles();
    updateHeader();
    updateActions();
    resize(960, 720);
}

QWidget* StationWindow::buildHeader()
{
    auto* header = new QWidget(this);
    auto* outer = new QVBoxLayout(header);
    outer->setContentsMargins(0, 0, 0, 0);

    auto* top = new QHBoxLayout;
    m_title = new QLabel(header);
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.5);
    m_title->setFont(big);
    top->addWidget(m_title);
    top->addStretch(1);
    m_stateBox = new QWidget(header);
    auto* stateLayout = new QHBoxLayout(m_stateBox);
    m_stateIcon = new QLabel(m_stateBox);
    m_state = new QLabel(m_stateBox);
    QFont bold = m_state->font();
    bold.setBold(true);
    m_state->setFont(bold);
    stateLayout->addWidget(m_stateIcon);
    stateLayout->addWidget(m_state);
    top->addWidget(m_stateBox);
    m_armButton = new QPushButton(QIcon(QStringLiteral(":/icons/start.svg")), tr("&Arm"), header);
    m_armButton->setToolTip(tr("Hash the source, then write every drive plugged into a slot"));
    m_disarmButton =
        new QPushButton(QIcon(QStringLiteral(":/icons/cancel.svg")), tr("&Disarm"), header);
    m_disarmButton->setToolTip(
        tr("Take no more drives and cancel the copies under way (their records say so)"));
    top->addWidget(m_armButton);
    top->addWidget(m_disarmButton);
    outer->addLayout(top);

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_config = selectableLabel(header);
    m_source = selectableLabel(header);
    m_sha256 = selectableLabel(header);
    m_sha256->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_hashProgress = new QProgressBar(header);
    m_hashProgress->setRange(0, kProgressSteps);
    auto* checksum = new QWidget(header);
    auto* checksumLayout = new QHBoxLayout(checksum);
    checksumLayout->setContentsMargins(0, 0, 0, 0);
    checksumLayout->addWidget(m_sha256, 1);
    checksumLayout->addWidget(m_hashProgress, 1);
    m_logPath = selectableLabel(header);
    form->addRow(tr("Config:"), m_config);
    form->addRow(tr("Source:"), m_source);
    form->addRow(tr("SHA-256:"), checksum);
    form->addRow(tr("Station's audit log:"), m_logPath);
    outer->addLayout(form);

    m_error = selectableLabel(header);
    paint(m_error, kRed);
    m_error->setMargin(6);
    m_error->hide();
    outer->addWidget(m_error);

    connect(m_armButton, &QPushButton::clicked, this, [this] {
        m_error->hide();
        m_error->clear();
        statusBar()->clearMessage();
        m_controller.arm();
    });
    connect(m_disarmButton, &QPushButton::clicked, &m_controller, &StationController::disarm);
    return header;
}

QWidget* StationWindow::buildAudit()
{
    auto* box = new QGroupBox(tr("Audit records"), this);
    auto* layout = new QVBoxLayout(box);
    m_auditModel = new StationAuditModel(m_controller, this);
    m_auditView = new QTableView(box);
    m_auditView->setModel(m_auditModel);
    m_auditView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_auditView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_auditView->verticalHeader()->hide();
    m_auditView->setWordWrap(false);
    m_auditView->horizontalHeader()->setStretchLastSection(true);
    layout->addWidget(m_auditView);
    auto* row = new QHBoxLayout;
    m_recordCount = new QLabel(tr("No drive yet"), box);
    row->addWidget(m_recordCount, 1);
    m_exportButton = new QPushButton(tr("&Export…"), box);
    m_exportButton->setToolTip(tr("Save these records as a CSV file, with every column of the "
                                  "station's own audit log"));
    m_exportButton->setEnabled(false);
    row->addWidget(m_exportButton);
    layout->addLayout(row);
    connect(m_exportButton, &QPushButton::clicked, this, &StationWindow::startExport);
    return box;
}

int StationWindow::gridColumns(int slots)
{
    if (slots <= kMaxColumns)
        return std::max(1, slots);
    const int rows = (slots + kMaxColumns - 1) / kMaxColumns;
    return (slots + rows - 1) / rows;
}

void StationWindow::rebuildTiles()
{
    const auto& slots = m_controller.slotList();
    // Same slots (a new run of the same config): the tiles stay put.
    if (m_tiles.size() != slots.size()) {
        for (StationSlotTile* t : m_tiles)
            delete t;
        m_tiles.clear();
        const int columns = gridColumns(static_cast<int>(slots.size()));
        for (std::size_t i = 0; i < slots.size(); ++i) {
            auto* tile = new StationSlotTile(m_grid);
            tile->setObjectName(QStringLiteral("slot%1").arg(i));
            m_gridLayout->addWidget(tile, static_cast<int>(i) / columns,
                                    static_cast<int>(i) % columns);
            m_tiles.push_back(tile);
        }
        m_gridLayout->setRowStretch(m_gridLayout->rowCount(), 1);
        // The tiles are what the operator watches: up to two rows stay in
        // view however the audit table grows; more scroll.
        if (!m_tiles.empty()) {
            const int rows = (static_cast<int>(m_tiles.size()) + columns - 1) / columns;
            const QMargins m = m_gridLayout->contentsMargins();
            m_gridScroll->setMinimumHeight(
                std::min(rows, 2) * m_tiles.front()->sizeHint().height() +
                (std::min(rows, 2) - 1) * m_gridLayout->spacing() + m.top() + m.bottom());
        }
    }
    for (std::size_t i = 0; i < slots.size(); ++i)
        m_tiles[i]->setSlot(slots[i]);
}

void StationWindow::updateTile(int index)
{
    const auto& slots = m_controller.slotList();
    if (index < 0 || static_cast<std::size_t>(index) >= slots.size() ||
        static_cast<std::size_t>(index) >= m_tiles.size())
        return;
    m_tiles[static_cast<std::size_t>(index)]->setSlot(slots[static_cast<std::size_t>(index)]);
}

QString StationWindow::stateText() const
{
    return m_state->text();
}

void StationWindow::updateHeader()
{
    const StationInfo& info = m_controller.info();
    const QString name = info.name.isEmpty() ? tr("Imaging station") : info.name;
    m_title->setText(name);
    setWindowTitle(tr("%1 – DriveMirror Station").arg(name));
    m_config->setText(info.configPath);
    m_source->setText(info.size > 0 ? tr("%1 (%2)").arg(info.source, Format::bytes(info.size))
                                    : info.source);
    m_logPath->setText(info.log.isEmpty() ? tr("not known yet")
                                          : tr("%1 and %2").arg(info.log, info.jsonl));

    const Phase phase = m_controller.phase();
    const bool hashing = phase == Phase::Hashing || phase == Phase::Starting;
    m_sha256->setText(!info.sha256.isEmpty() ? info.sha256
                      : hashing              ? tr("computing…")
                                             : tr("computed when armed"));
    m_hashProgress->setVisible(hashing && info.hashTotal > 0);
    m_hashProgress->setValue(steps(info.hashDone, info.hashTotal));
    m_hashProgress->setFormat(Format::percent(
        info.hashTotal ? static_cast<double>(info.hashDone) / static_cast<double>(info.hashTotal)
                       : 0.0));

    QString text;
    QColor colour = kGrey;
    QString icon = QStringLiteral(":/icons/state-idle.svg");
    switch (phase) {
    case Phase::Idle:
        text = tr("Not armed");
        break;
    case Phase::Starting:
        text = tr("Starting…");
        colour = kBlue;
        icon = QStringLiteral(":/icons/state-running.svg");
        break;
    case Phase::Hashing:
        text = tr("Computing the checksum…");
        colour = kBlue;
        icon = QStringLiteral(":/icons/state-running.svg");
        break;
    case Phase::Armed:
        text = tr("ARMED: drives plugged in are overwritten");
        colour = kAmber;
        icon = QStringLiteral(":/icons/state-ready.svg");
        break;
    case Phase::Disarming:
        text = tr("Disarming…");
        colour = kAmber;
        icon = QStringLiteral(":/icons/state-completing.svg");
        break;
    case Phase::Disarmed: {
        const std::optional<int> code = m_controller.exitCode();
        const bool clean = code && (*code == 0 || *code == 12);
        text = m_controller.disarmReason().isEmpty()
                   ? tr("Disarmed")
                   : tr("Disarmed (%1): %n drive(s) finished, %2 passed", nullptr,
                        static_cast<int>(m_controller.finishedCount()))
                         .arg(m_controller.disarmReason())
                         .arg(m_controller.passedCount());
        colour = clean ? kGrey : kRed;
        icon = clean ? QStringLiteral(":/icons/state-idle.svg")
                     : QStringLiteral(":/icons/state-failed.svg");
        break;
    }
    }
    m_state->setText(text);
    m_stateIcon->setPixmap(QIcon(icon).pixmap(QSize(16, 16)));
    paint(m_stateBox, colour);
}

void StationWindow::updateActions()
{
    const Phase phase = m_controller.phase();
    m_armButton->setEnabled((phase == Phase::Idle || phase == Phase::Disarmed) &&
                            m_controller.helper().isValid());
    if (!m_controller.helper().isValid())
        m_armButton->setToolTip(tr("The station needs administrator rights: neither pkexec nor "
                                   "drivemirror-cli was found"));
    m_disarmButton->setEnabled(phase == Phase::Starting || phase == Phase::Hashing ||
                               phase == Phase::Armed);
}

void StationWindow::showError(const QString& message)
{
    m_error->setText(message);
    m_error->show();
}

void StationWindow::startExport()
{
    auto* dialog = new QFileDialog(this, tr("Export Audit Records"),
                                   QDir::home().filePath(QStringLiteral("station-audit.csv")),
                                   tr("CSV files (*.csv);;All files (*)"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("csv"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, &m_controller, &StationController::exportRecords);
    dialog->open();
}

void StationWindow::askBeforeClosing()
{
    if (m_asking)
        return;
    m_asking = true;
    auto* box = new QMessageBox(
        QMessageBox::Question, tr("Disarm the Station?"),
        tr("The station is armed. Closing the window disarms it, and the drives being written "
           "now are cancelled."),
        QMessageBox::NoButton, this);
    QPushButton* disarm = box->addButton(tr("Disarm and Close"), QMessageBox::AcceptRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(qobject_cast<QPushButton*>(box->button(QMessageBox::Cancel)));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    connect(box, &QMessageBox::finished, this, [this, box, disarm] {
        m_asking = false;
        if (box->clickedButton() != disarm)
            return;
        m_closeWhenStopped = true;
        m_controller.disarm();
        // A run that never reached its loop may already be gone.
        if (!m_controller.running())
            close();
    });
    box->open();
}

void StationWindow::closeEvent(QCloseEvent* event)
{
    if (!m_controller.running()) {
        event->accept();
        return;
    }
    event->ignore();
    if (m_controller.phase() == Phase::Disarming) {
        m_closeWhenStopped = true;
        statusBar()->showMessage(tr("Closing once the station has stopped…"));
        return;
    }
    askBeforeClosing();
}

} // namespace ui
