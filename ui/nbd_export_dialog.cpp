#include "nbd_export_dialog.h"

#include "format.h"
#include "io/nbd_connection.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace ui {

NbdExportDialog::NbdExportDialog(QWidget* parent, bool forSource)
    : QDialog(parent), m_forSource(forSource), m_probe(new ExportProbe({}, this)),
      m_uri(new QLineEdit(this)), m_test(new QPushButton(tr("&Test Connection"), this)),
      m_busy(new QProgressBar(this)), m_result(new QLabel(this))
{
    setWindowTitle(tr("Add NBD Export"));
    setObjectName(QStringLiteral("nbdExportDialog"));

    auto* intro = new QLabel(
        forSource ? tr("An export of an NBD server on another machine or on this one "
                       "(drivemirror-cli serve, qemu-nbd, nbdkit), to mirror from. Other "
                       "clients' writes to it cannot be followed: it is copied as an image "
                       "nothing else writes to.")
                  : tr("An export of an NBD server on another machine or on this one "
                       "(drivemirror-cli serve, qemu-nbd, nbdkit). It is listed as a target: a "
                       "mirror onto it overwrites what it holds."),
        this);
    intro->setWordWrap(true);

    m_uri->setObjectName(QStringLiteral("nbdUri"));
    m_uri->setPlaceholderText(QStringLiteral("nbd://server:10809/disk"));
    m_uri->setClearButtonEnabled(true);
    m_uri->setMinimumWidth(fontMetrics().averageCharWidth() * 64);
    auto* uriLabel = new QLabel(tr("&URI:"), this);
    uriLabel->setBuddy(m_uri);
    // A line per form: a URI has no place to wrap.
    auto* syntax = new QLabel(
        QStringList{
            tr("%1 (on another machine)").arg(QStringLiteral("nbd://HOST[:PORT]/EXPORT")),
            tr("%1 (on this machine)").arg(QStringLiteral("nbd+unix:///EXPORT?socket=PATH")),
            tr("%1 (with TLS)").arg(QStringLiteral("nbds://USER@HOST/EXPORT?tls-psk-file=FILE"))}
            .join(u'\n'),
        this);
    syntax->setObjectName(QStringLiteral("nbdUriSyntax"));
    syntax->setTextFormat(Qt::PlainText);
    syntax->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont small = syntax->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    syntax->setFont(small);
    syntax->setForegroundRole(QPalette::PlaceholderText);

    auto* form = new QFormLayout;
    form->addRow(uriLabel, m_uri);
    form->addRow(QString(), syntax);

    m_test->setObjectName(QStringLiteral("testConnection"));
    m_test->setToolTip(tr("Connect to the export and show its size and whether it may be "
                          "written; nothing is written."));
    m_test->setAutoDefault(false);
    // A running test shows a busy bar; the UI goes on meanwhile.
    m_busy->setObjectName(QStringLiteral("testBusy"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(fontMetrics().averageCharWidth() * 10);
    m_busy->setMaximumHeight(fontMetrics().height());
    m_busy->hide();
    m_result->setObjectName(QStringLiteral("testResult"));
    m_result->setWordWrap(true);
    m_result->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_result->setMinimumWidth(1); // long words are cut, never widen the dialog
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_result->setTextFormat(Qt::PlainText);
    // Room for two lines from the start: the dialog does not grow when an
    // answer comes (the whole line is the tooltip).
    m_result->setMinimumHeight(2 * fontMetrics().lineSpacing());
    auto* testRow = new QHBoxLayout;
    testRow->addWidget(m_test, 0, Qt::AlignTop);
    testRow->addWidget(m_busy);
    testRow->addWidget(m_result, 1);

    auto* buttons = new QDialogButtonBox(this);
    m_add = buttons->addButton(tr("&Add"), QDialogButtonBox::AcceptRole);
    m_add->setObjectName(QStringLiteral("addExport"));
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addSpacing(4);
    layout->addLayout(form);
    layout->addLayout(testRow);
    layout->addSpacing(8);
    layout->addStretch(1);
    layout->addWidget(buttons);

    connect(m_uri, &QLineEdit::textChanged, this, &NbdExportDialog::onUriEdited);
    connect(m_test, &QPushButton::clicked, this, &NbdExportDialog::testConnection);
    connect(m_probe, &ExportProbe::finished, this, &NbdExportDialog::onAnswer);
    // Closing (Add or Cancel) drops a test under way.
    connect(this, &QDialog::finished, m_probe, &ExportProbe::abandon);
    onUriEdited();
}

QString NbdExportDialog::uri() const
{
    return m_uri->text().trimmed();
}

std::optional<ExportFacts> NbdExportDialog::testedFacts() const
{
    if (m_facts && m_facts->uri == uri())
        return m_facts;
    return std::nullopt;
}

bool NbdExportDialog::testing() const
{
    return m_probe->isRunning();
}

void NbdExportDialog::onUriEdited()
{
    const bool plausible = engine::isNbdUri(uri().toStdString());
    m_add->setEnabled(plausible);
    // An answer is about the URI it was asked for.
    if (m_facts && m_facts->uri != uri())
        m_facts.reset();
    if (testing() && m_probe->uri() != uri()) {
        m_probe->abandon();
        setTesting(false);
        showResult(QString(), true);
    } else if (!testing() && !testedFacts()) {
        showResult(QString(), true);
    }
    m_test->setEnabled(plausible && !testing());
}

void NbdExportDialog::setTesting(bool testing)
{
    m_busy->setVisible(testing);
    m_test->setEnabled(!testing && engine::isNbdUri(uri().toStdString()));
}

void NbdExportDialog::testConnection()
{
    const QString target = uri();
    if (!engine::isNbdUri(target.toStdString()))
        return;
    m_facts.reset();
    ExportProbe::Options options;
    options.deadline = m_deadline;
    m_probe->start(target, options);
    setTesting(true);
    showResult(tr("Connecting to the server…"), true);
}

void NbdExportDialog::onAnswer(const ExportProbeResult& r)
{
    setTesting(false);
    if (r.facts.uri != uri())
        return;
    if (r.error) {
        // The engine's line names the URI, which is right above: the rest
        // says what happened; the whole line is the tooltip.
        const QString message = QString::fromStdString(r.error->message);
        const QString prefix = r.facts.uri + QStringLiteral(": ");
        showResult(tr("Cannot connect: %1")
                       .arg(message.startsWith(prefix) ? message.mid(prefix.size()) : message),
                   false);
        m_result->setToolTip(message);
    } else {
        m_facts = r.facts;
        if (r.facts.readOnly && m_forSource)
            showResult(tr("%1, read-only").arg(Format::bytes(r.facts.size)), true);
        else if (r.facts.readOnly)
            showResult(tr("%1, read-only: cannot be a target").arg(Format::bytes(r.facts.size)),
                       false);
        else
            showResult(tr("%1, writable").arg(Format::bytes(r.facts.size)), true);
    }
    Q_EMIT tested();
}

void NbdExportDialog::showResult(const QString& text, bool good)
{
    m_result->setText(text);
    m_result->setToolTip(QString());
    QPalette p = palette();
    if (!good)
        p.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    m_result->setPalette(p);
}

} // namespace ui
