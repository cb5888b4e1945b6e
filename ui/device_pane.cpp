#include "device_pane.h"

#include "nbd_export_dialog.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

namespace {

// Qt's views, in single selection mode, select a neighbour when the current
// row is removed: for a disk list that would offer a one-click overwrite of
// a disk nobody chose. Here a removed row takes the current index with it.
class BoundTableView final : public QTableView
{
public:
    using QTableView::QTableView;

protected:
    void rowsAboutToBeRemoved(const QModelIndex& parent, int start, int end) override
    {
        const QModelIndex current = currentIndex();
        bool hit = current.isValid() && current.parent() == parent && current.row() >= start &&
                   current.row() <= end;
        for (const QModelIndex& row : selectionModel()->selectedRows())
            hit = hit || (row.parent() == parent && row.row() >= start && row.row() <= end);
        if (hit)
            selectionModel()->clear();
        QTableView::rowsAboutToBeRemoved(parent, start, end);
    }
};

// A long name (an export's URI with its socket path, an image's long file
// name) would take the list's width from the model and state columns: the
// name column asks for at most about 44 characters, and the view elides the
// middle of a longer one; the row's tooltip has it whole.
class NameDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        size.setWidth(std::min(size.width(), option.fontMetrics.averageCharWidth() * 44));
        return size;
    }
};

QStringList localFiles(const QMimeData* mime)
{
    QStringList out;
    if (!mime || !mime->hasUrls())
        return out;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile())
            out.append(url.toLocalFile());
    return out;
}

} // namespace

DevicePane::DevicePane(DeviceFilterModel::Purpose purpose, DeviceListModel* model, QWidget* parent)
    : QWidget(parent), m_purpose(purpose), m_model(model),
      m_filter(new DeviceFilterModel(purpose, this)), m_title(new QLabel(this)),
      m_note(new QLabel(this)), m_view(new BoundTableView(this)),
      m_add(new QPushButton(tr("Add Image…"), this)),
      m_refresh(new QPushButton(tr("Refresh"), this))
{
    const bool source = purpose == DeviceFilterModel::Purpose::Source;
    m_filter->setSourceModel(model);
    m_title->setText(source ? tr("<b>Source</b>: what is copied")
                            : tr("<b>Target</b>: what is overwritten"));
    m_title->setWordWrap(true);

    m_view->setModel(m_filter);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(source ? QAbstractItemView::SingleSelection
                                    : QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setHighlightSections(false);
    // Short columns fit their contents; model and state share the rest.
    QHeaderView* header = m_view->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(DeviceListModel::ModelColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(DeviceListModel::MountColumn, QHeaderView::Stretch);
    m_view->setItemDelegateForColumn(DeviceListModel::NameColumn, new NameDelegate(m_view));
    m_view->setAccessibleName(source ? tr("Sources") : tr("Targets"));
    m_view->setMinimumHeight(fontMetrics().height() * 6);

    m_add->setToolTip(source ? tr("Add image files to mirror from (you can also drop files here).")
                             : tr("Add existing image files to overwrite (you can also drop files "
                                  "here)."));
    m_refresh->setToolTip(tr("Read the list of disks again."));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    if (!source) {
        m_new = new QPushButton(tr("New Image File…"), this);
        m_new->setToolTip(tr("Create a new sparse image file of the source's size as target."));
        buttons->addWidget(m_new);
        connect(m_new, &QPushButton::clicked, this, &DevicePane::chooseNewImage);
    }
    m_addExport = new QPushButton(tr("Add NBD Export…"), this);
    m_addExport->setObjectName(QStringLiteral("addNbdExport"));
    m_addExport->setToolTip(source ? tr("Add an export of an NBD server (nbd://, nbd+unix://, "
                                        "nbds://) to mirror from: a disk or image on another "
                                        "machine.")
                                   : tr("Add an export of an NBD server (nbd://, nbd+unix://, "
                                        "nbds://) as a target: a disk or image on another "
                                        "machine."));
    buttons->addWidget(m_addExport);
    connect(m_addExport, &QPushButton::clicked, this, &DevicePane::chooseExport);
    buttons->addStretch(1);
    buttons->addWidget(m_refresh);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_view, 1);
    m_note->setObjectName(QStringLiteral("note"));
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::RichText);
    m_note->hide();
    layout->addWidget(m_note);
    layout->addLayout(buttons);

    setAcceptDrops(true);
    connect(m_add, &QPushButton::clicked, this, &DevicePane::chooseImages);
    connect(m_refresh, &QPushButton::clicked, this, &DevicePane::refreshRequested);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DevicePane::emitIfChanged);
    // A row that goes away, becomes unusable (for a new source, say) or
    // holds another disk loses its selection for good.
    connect(m_filter, &QAbstractItemModel::dataChanged, this, &DevicePane::revalidate);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &DevicePane::revalidate);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &DevicePane::revalidate);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &DevicePane::revalidate);
}

QString DevicePane::currentPath() const
{
    const QStringList paths = currentPaths();
    return paths.isEmpty() ? QString() : paths.front();
}

QStringList DevicePane::currentPaths() const
{
    QStringList out;
    for (const QModelIndex& index : m_view->selectionModel()->selectedRows()) {
        if (!m_filter->refusal(index).isEmpty())
            return {};
        out << index.data(DeviceListModel::PathRole).toString();
    }
    // By path, not by row: sorting the list does not change the selection.
    out.sort();
    return out;
}

bool DevicePane::selectPath(const QString& path)
{
    return selectPaths({path});
}

bool DevicePane::selectPaths(const QStringList& paths)
{
    QItemSelection selection;
    QModelIndex first;
    for (const QString& path : paths) {
        const int sourceRow = m_model->rowOf(path);
        if (sourceRow < 0)
            return false;
        const QModelIndex index = m_filter->mapFromSource(m_model->index(sourceRow, 0));
        if (!index.isValid() || !m_filter->refusal(index).isEmpty())
            return false;
        selection.select(index, index);
        if (!first.isValid())
            first = index;
    }
    if (!first.isValid() || (paths.size() > 1 && m_purpose == DeviceFilterModel::Purpose::Source))
        return false;
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect |
                                                    QItemSelectionModel::Rows);
    m_view->selectionModel()->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
    m_view->scrollTo(first);
    emitIfChanged();
    return true;
}

void DevicePane::clearSelection()
{
    // The current index too: nothing may come back selected by itself.
    m_view->selectionModel()->clear();
    emitIfChanged();
}

void DevicePane::setLocked(bool locked)
{
    m_view->setEnabled(!locked);
    m_add->setEnabled(!locked);
    m_refresh->setEnabled(!locked);
    if (m_new)
        m_new->setEnabled(!locked);
    if (m_addExport)
        m_addExport->setEnabled(!locked);
    setAcceptDrops(!locked);
}

void DevicePane::setNote(const QString& text)
{
    if (m_note->text() == text)
        return;
    m_note->setText(text);
    m_note->setVisible(!text.isEmpty());
}

QString DevicePane::note() const
{
    return m_note->text();
}

void DevicePane::emitIfChanged()
{
    const QStringList paths = currentPaths();
    if (paths == m_lastPaths)
        return;
    m_lastPaths = paths;
    m_lastIds.clear();
    for (const QString& path : paths) {
        const int row = m_model->rowOf(path);
        m_lastIds << (row < 0
                          ? QString()
                          : m_model->index(row, 0).data(DeviceListModel::StableIdRole).toString());
    }
    Q_EMIT currentPathChanged(paths.isEmpty() ? QString() : paths.front());
}

void DevicePane::revalidate()
{
    QItemSelectionModel* selection = m_view->selectionModel();
    bool keep = false;
    if (!m_lastPaths.isEmpty()) {
        // selectedRows() leaves out rows that are no longer selectable.
        QStringList picked;
        for (int i = 0; i < m_lastPaths.size(); ++i)
            picked << m_lastPaths[i] + u'\n' + m_lastIds[i];
        QStringList now;
        keep = true;
        for (const QModelIndex& row : selection->selectedRows()) {
            keep = keep && m_filter->refusal(row).isEmpty();
            now << row.data(DeviceListModel::PathRole).toString() + u'\n' +
                       row.data(DeviceListModel::StableIdRole).toString();
        }
        picked.sort();
        now.sort();
        keep = keep && now == picked;
    }
    // Also a selection the user did not make (one kept by the selection
    // model while its row was refused) goes, before the row is usable again.
    if (!keep && (selection->hasSelection() || selection->currentIndex().isValid()))
        selection->clear();
    emitIfChanged();
}

void DevicePane::chooseImages()
{
    auto* dialog = new QFileDialog(this, m_purpose == DeviceFilterModel::Purpose::Source
                                             ? tr("Add Source Image Files")
                                             : tr("Add Target Image Files"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setNameFilters({tr("Disk images (*.img *.raw *.iso *.bin *.dd)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::filesSelected, this, &DevicePane::imagesChosen);
    dialog->open();
}

void DevicePane::chooseNewImage()
{
    auto* dialog = new QFileDialog(this, tr("New Image File"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("img"));
    dialog->setNameFilters({tr("Disk images (*.img)"), tr("All files (*)")});
    connect(dialog, &QFileDialog::fileSelected, this, &DevicePane::newImageChosen);
    dialog->open();
}

NbdExportDialog* DevicePane::exportDialog() const
{
    return m_exportDialog;
}

void DevicePane::chooseExport()
{
    if (m_exportDialog) {
        m_exportDialog->raise();
        m_exportDialog->activateWindow();
        return;
    }
    auto* dialog = new NbdExportDialog(this, m_purpose == DeviceFilterModel::Purpose::Source);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { Q_EMIT exportChosen(dialog->uri(), dialog->testedFacts()); });
    m_exportDialog = dialog;
    dialog->open();
}

void DevicePane::dragEnterEvent(QDragEnterEvent* event)
{
    if (!localFiles(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void DevicePane::dropEvent(QDropEvent* event)
{
    const QStringList files = localFiles(event->mimeData());
    if (files.isEmpty())
        return;
    event->acceptProposedAction();
    Q_EMIT imagesChosen(files);
}

} // namespace ui
