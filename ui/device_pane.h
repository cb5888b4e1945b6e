// DevicePane: one of the two lists (source or target), with its buttons.
//
// A table over a DeviceFilterModel; rows the rules refuse are greyed out and
// say why in their tooltip. Image files come in through "Add Image…" or by
// drag and drop; the target pane also offers "New Image File…" and "Add NBD
// Export…" (NbdExportDialog: an export's URI, tested off the UI thread).
// Nothing is selected until the user selects it (the target pane never
// preselects, an export just added neither).
//
// The target pane takes several rows (Ctrl- or Shift-click): one source
// copied to several targets at once.
//
// A selection is bound to what the user picked: each row's path and, for a
// block device, its stable identity. When one of those rows goes away,
// becomes unusable for this list, or carries another disk under the same
// path, the whole selection is cleared (a start would otherwise quietly
// take fewer targets than were picked); it never moves to a neighbouring
// row (as Qt's views do for a removed current row), and a row that becomes
// usable again is not selected again by itself.
#pragma once

#include "device_list_model.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTableView;

namespace ui {

class NbdExportDialog;

class DevicePane : public QWidget
{
    Q_OBJECT

public:
    DevicePane(DeviceFilterModel::Purpose purpose, DeviceListModel* model,
               QWidget* parent = nullptr);

    DeviceFilterModel::Purpose purpose() const { return m_purpose; }
    /// The first selected path, empty when nothing (usable) is selected.
    QString currentPath() const;
    /// Every selected path, sorted; empty when any selected
    /// row is unusable.
    QStringList currentPaths() const;
    /// Selects @p path alone if it is listed and usable; returns whether it did.
    bool selectPath(const QString& path);
    /// Selects these paths (the target pane); returns whether all were
    /// listed and usable (nothing is selected otherwise).
    bool selectPaths(const QStringList& paths);
    void clearSelection();
    QTableView* view() const { return m_view; }
    DeviceFilterModel* filterModel() const { return m_filter; }
    /// Locks the selection while a job runs.
    void setLocked(bool locked);
    /// Target pane: "Add NBD Export…" (nullptr in the source pane).
    QPushButton* addExportButton() const { return m_addExport; }
    /// The open "Add NBD Export" dialog, if any.
    NbdExportDialog* exportDialog() const;
    /// A rich-text line under the list (the live note); empty hides it.
    void setNote(const QString& text);
    QString note() const;

Q_SIGNALS:
    /// The selection changed; @p path is its first path (currentPaths()).
    void currentPathChanged(const QString& path);
    /// The user asked to add these images (file dialog or drop).
    void imagesChosen(const QStringList& paths);
    /// Target pane: the user chose a path for a new image file.
    void newImageChosen(const QString& path);
    /// Target pane: the user added this NBD export, with what its test
    /// connection found if it was tested.
    void exportChosen(const QString& uri, const std::optional<ui::ExportFacts>& tested);
    void refreshRequested();

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void chooseImages();
    void chooseNewImage();
    void chooseExport();
    void emitIfChanged();
    /// Clears the selection unless it still is what the user picked.
    void revalidate();

    DeviceFilterModel::Purpose m_purpose;
    DeviceListModel* m_model;
    DeviceFilterModel* m_filter;
    QLabel* m_title;
    QLabel* m_note;
    QTableView* m_view;
    QPushButton* m_add;
    QPushButton* m_new = nullptr;
    QPushButton* m_addExport = nullptr;
    QPointer<NbdExportDialog> m_exportDialog;
    QPushButton* m_refresh;
    QStringList m_lastPaths; ///< what the user picked, as last announced
    QStringList m_lastIds;   ///< their stable identities (block devices)
};

} // namespace ui
