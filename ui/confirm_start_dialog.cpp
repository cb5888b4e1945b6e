#include "confirm_start_dialog.h"

#include "format.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QScrollBar>
#include <QStyle>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

ConfirmStartDialog::ConfirmStartDialog(const TargetDescription& target, QWidget* parent)
    : QDialog(parent), m_target(target)
{
    setWindowTitle(target.resume    ? tr("Resume the Interrupted Copy?")
                   : target.newFile ? tr("Create Target and Start?")
                                    : tr("Overwrite Target?"));
    setModal(true);

    // Built top to bottom: the order of creation is the order of the focus chain.
    QLabel* icon = makeIcon();
    QLabel* headline = makeHeadline();
    QFormLayout* facts = makeFacts();

    auto* text = new QVBoxLayout;
    text->addWidget(headline);
    text->addLayout(facts);
    if (!target.newFile && !target.partitionDetails.empty())
        addPartitionList(text);
    addConfirmation(text);

    auto* top = new QHBoxLayout;
    top->addWidget(icon, 0, Qt::AlignTop);
    top->addSpacing(8);
    top->addLayout(text, 1);

    auto* buttons = new QDialogButtonBox(this);
    m_start = buttons->addButton(target.resume    ? tr("Resume Copy")
                                 : target.newFile ? tr("Create and Start")
                                                  : tr("Overwrite and Start"),
                                 QDialogButtonBox::AcceptRole);
    QPushButton* cancel = buttons->addButton(QDialogButtonBox::Cancel);
    cancel->setDefault(true);
    m_start->setAutoDefault(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConfirmStartDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConfirmStartDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addSpacing(8);
    layout->addWidget(buttons);

    if (m_name) {
        m_start->setEnabled(false);
        connect(m_name, &QLineEdit::textChanged, this, [this] {
            m_start->setEnabled(confirmed());
            if (confirmed())
                m_hint->hide();
        });
        // Enter would reach the default button (Cancel) and close the
        // dialog without a word: the field handles it itself.
        m_name->installEventFilter(this);
        m_name->setFocus();
    } else {
        cancel->setFocus();
    }
    setMinimumWidth(fontMetrics().averageCharWidth() * 60);
}

QLabel* ConfirmStartDialog::makeIcon()
{
    auto* icon = new QLabel(this);
    const int iconSize = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(style()
                        ->standardIcon(m_target.newFile ? QStyle::SP_MessageBoxQuestion
                                                        : QStyle::SP_MessageBoxWarning,
                                       nullptr, this)
                        .pixmap(iconSize, iconSize));
    icon->setAlignment(Qt::AlignTop);
    return icon;
}

QLabel* ConfirmStartDialog::makeHeadline()
{
    auto* headline = new QLabel(this);
    headline->setWordWrap(true);
    headline->setTextFormat(Qt::RichText);
    headline->setText(
        QStringLiteral("<b>%1</b>")
            .arg((m_target.resume
                      ? tr("The interrupted copy to this target will be resumed: what it lacks, "
                           "and what changed on the source since, will be overwritten:")
                  : m_target.newFile
                      ? tr("A new image file will be created and kept in sync with the source:")
                  : m_target.pastEndBytes() > 0 && !m_target.wipeRest
                      ? tr("This target will be overwritten up to the source's size:")
                      : tr("Everything on this target will be overwritten:"))
                     .toHtmlEscaped()));
    return headline;
}

QLabel* ConfirmStartDialog::addFact(QFormLayout* facts, const QString& label, const QString& value)
{
    auto* v = new QLabel(value, this);
    v->setWordWrap(true);
    v->setTextInteractionFlags(Qt::TextSelectableByMouse);
    facts->addRow(label, v);
    return v;
}

QFormLayout* ConfirmStartDialog::makeFacts()
{
    const TargetDescription& target = m_target;
    auto* facts = new QFormLayout;
    facts->setRowWrapPolicy(QFormLayout::WrapLongRows);
    if (!target.newFile && target.blockDevice)
        addFact(facts, tr("Model:"), target.model.isEmpty() ? tr("unknown") : target.model);
    if (target.networkExport && !target.model.isEmpty())
        addFact(facts, tr("Server:"), target.model);
    const std::uint64_t size = target.newFile ? target.sourceSize : target.size;
    addFact(facts, tr("Size:"),
            tr("%1 (%2 bytes)")
                .arg(Format::bytes(size))
                .arg(QLocale().toString(static_cast<qulonglong>(size))));
    addFact(facts, target.networkExport ? tr("URI:") : tr("Path:"), target.path);
    if (!target.kind.isEmpty())
        addFact(facts, tr("Kind:"), target.kind);
    if (!target.newFile) {
        addFact(facts, tr("Holds:"), holdsText());
        if (!target.fsLabel.isEmpty())
            addFact(facts, tr("Label:"), target.fsLabel);
    }
    addFact(facts, tr("Source:"),
            tr("%1 (%2)").arg(target.sourcePath, Format::bytes(target.sourceSize)));
    if (const std::uint64_t pastEnd = target.pastEndBytes(); pastEnd > 0) {
        // The copy covers the source's size; what lies beyond is either
        // cleared or left alone, and the user must know which.
        const QString amount = tr("%1 (%2 bytes)")
                                   .arg(Format::bytes(pastEnd))
                                   .arg(QLocale().toString(static_cast<qulonglong>(pastEnd)));
        m_pastEnd = addFact(
            facts, tr("Past the source's end:"),
            target.wipeRest
                ? tr("%1 of the target lie past the source's end. They will be cleared, so "
                     "nothing of the old data stays there.")
                      .arg(amount)
                : tr("%1 of the target lie past the source's end. They are kept as they are and "
                     "not compared: the old data there stays readable. To clear them, check "
                     "“Clear the target past the source's end” in the settings.")
                      .arg(amount));
        m_pastEnd->setObjectName(QStringLiteral("pastEnd"));
    }
    return facts;
}

QString ConfirmStartDialog::holdsText() const
{
    const TargetDescription& target = m_target;
    QString holds;
    if (!target.dataSignature.isEmpty())
        holds = Format::signature(target.dataSignature);
    if (!target.partitions.isEmpty()) {
        const QString parts =
            target.partitionDetails.empty()
                ? tr("partitions %1").arg(target.partitions.join(QStringLiteral(", ")))
            : target.partitionDetails.size() == 1
                ? tr("one partition, listed below")
                : tr("%1 partitions, listed below").arg(target.partitionDetails.size());
        holds = holds.isEmpty() ? parts : holds + QStringLiteral("; ") + parts;
    }
    if (holds.isEmpty() && !target.fsType.isEmpty())
        holds = tr("a %1 file system").arg(target.fsType);
    if (holds.isEmpty())
        holds = target.signatureReadable ? tr("no partition table or file system found")
                                         : tr("unknown (its first sectors could not be read)");
    return holds;
}

void ConfirmStartDialog::addPartitionList(QVBoxLayout* text)
{
    m_partitions = new QTreeWidget(this);
    m_partitions->setObjectName(QStringLiteral("partitionList"));
    m_partitions->setAccessibleName(tr("Partitions that will be overwritten"));
    m_partitions->setRootIsDecorated(false);
    m_partitions->setSelectionMode(QAbstractItemView::NoSelection);
    m_partitions->setFocusPolicy(Qt::NoFocus);
    m_partitions->setHeaderLabels(
        {tr("Partition"), tr("Label"), tr("File system"), tr("Size"), tr("Mounted at")});
    for (const PartitionDescription& p : m_target.partitionDetails) {
        auto* item = new QTreeWidgetItem(m_partitions);
        item->setText(0, p.name);
        item->setText(1, p.label.isEmpty() ? QStringLiteral("–") : p.label);
        item->setText(2, p.fsType.isEmpty() ? tr("none found") : p.fsType);
        item->setText(3, Format::bytes(p.size));
        item->setTextAlignment(3, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(4, p.mountPoints.isEmpty() ? QStringLiteral("–")
                                                 : p.mountPoints.join(QStringLiteral(", ")));
    }
    // Wide enough for every column and tall enough for up to eight rows
    // (then it scrolls), so nothing about a partition is hidden.
    m_partitions->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    int width = 2 * m_partitions->frameWidth();
    for (int c = 0; c < m_partitions->columnCount(); ++c) {
        m_partitions->resizeColumnToContents(c);
        m_partitions->setColumnWidth(c, m_partitions->columnWidth(c) +
                                            fontMetrics().averageCharWidth());
        width += m_partitions->columnWidth(c);
    }
    const int count = static_cast<int>(m_target.partitionDetails.size());
    const int rows = std::min(count, 8);
    const int rowHeight = std::max(m_partitions->sizeHintForRow(0), fontMetrics().height() + 4);
    if (count > rows)
        width += m_partitions->verticalScrollBar()->sizeHint().width();
    m_partitions->setMinimumWidth(width);
    m_partitions->setFixedHeight(m_partitions->header()->sizeHint().height() + rows * rowHeight +
                                 2 * m_partitions->frameWidth() + 2);
    text->addSpacing(4);
    text->addWidget(m_partitions);
}

void ConfirmStartDialog::addConfirmation(QVBoxLayout* text)
{
    if (m_target.requiresTypedName()) {
        auto* prompt = new QLabel(this);
        prompt->setWordWrap(true);
        prompt->setTextFormat(Qt::RichText);
        prompt->setText((m_target.networkExport
                             ? tr("This export holds data that will be lost. To confirm, type its "
                                  "name <b>%1</b>:")
                             : tr("This device holds data that will be lost. To confirm, type its "
                                  "name <b>%1</b>:"))
                            .arg(m_target.name.toHtmlEscaped()));
        m_name = new QLineEdit(this);
        m_name->setPlaceholderText(m_target.name);
        m_name->setAccessibleName(m_target.networkExport ? tr("Export name") : tr("Device name"));
        prompt->setBuddy(m_name);
        m_hint = new QLabel(this);
        m_hint->setObjectName(QStringLiteral("nameHint"));
        m_hint->setWordWrap(true);
        m_hint->setTextFormat(Qt::RichText);
        QPalette hintPalette = m_hint->palette();
        hintPalette.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
        m_hint->setPalette(hintPalette);
        m_hint->hide();
        text->addSpacing(6);
        text->addWidget(prompt);
        text->addWidget(m_name);
        text->addWidget(m_hint);
    } else if (!m_target.newFile) {
        auto* note = new QLabel(tr("This cannot be undone."), this);
        note->setWordWrap(true);
        text->addSpacing(6);
        text->addWidget(note);
    }
}

bool ConfirmStartDialog::confirmed() const
{
    return !m_name || m_name->text() == m_target.name;
}

bool ConfirmStartDialog::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_name && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        const bool enter = key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
        const Qt::KeyboardModifiers mods =
            key->modifiers() & ~(Qt::KeypadModifier | Qt::ShiftModifier);
        if (enter && mods == Qt::NoModifier) {
            onNameEntered();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void ConfirmStartDialog::onNameEntered()
{
    if (confirmed()) {
        accept();
        return;
    }
    const QString name = m_target.name.toHtmlEscaped();
    if (m_target.networkExport)
        m_hint->setText(
            m_name->text().isEmpty()
                ? tr("Type the name <b>%1</b> to overwrite this export, or press Esc to keep it.")
                      .arg(name)
                : tr("“%1” is not the name of this export: type <b>%2</b> exactly to overwrite "
                     "it, or press Esc to keep it.")
                      .arg(m_name->text().toHtmlEscaped(), name));
    else
        m_hint->setText(
            m_name->text().isEmpty()
                ? tr("Type the name <b>%1</b> to overwrite this device, or press Esc to keep it.")
                      .arg(name)
                : tr("“%1” is not the name of this device: type <b>%2</b> exactly to overwrite "
                     "it, or press Esc to keep it.")
                      .arg(m_name->text().toHtmlEscaped(), name));
    m_hint->show();
    m_name->selectAll();
}

void ConfirmStartDialog::accept()
{
    if (!confirmed())
        return;
    QDialog::accept();
}

} // namespace ui
