// ConfirmStartDialog: the last question before a target is overwritten.
//
// It names the target by model, size and path and says what it holds: the
// signature in its first sectors, its own file system and label, and a table
// of its partitions with their labels, file systems and sizes (from the
// device catalog). For a block device that holds partitions or data (or
// whose first sectors could not be read) the user must type the device's
// name; Start stays disabled, and accept() refuses, until the typed name
// matches exactly. An NBD export is named by its URI and its server, and one
// that holds data (or whose edges could not be read) needs its export name
// typed the same way. Enter in that field starts when the name matches and
// otherwise only says why it does not (it never cancels silently).
//
// A target larger than the source is said to be so: how much of it lies
// past the source's end, and whether that part is kept (and not compared)
// or cleared, as the "clear the rest" setting says.
#pragma once

#include <QDialog>
#include <QStringList>

#include <cstdint>
#include <vector>

class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;
class QVBoxLayout;

namespace ui {

struct PartitionDescription
{
    QString name; ///< kernel name: "sdb1"
    QString label;
    QString fsType; ///< "ext4", "vfat", "swap", ... or empty
    std::uint64_t size = 0;
    QStringList mountPoints;
};

struct TargetDescription
{
    QString path;
    QString name; ///< kernel name of a device ("sdb") or file name
    QString model;
    QString kind; ///< translated kind ("Disk", "USB", "Image")
    std::uint64_t size = 0;
    bool blockDevice = false;
    /// An NBD export: path is its URI, name its export name (what is typed),
    /// model where its server is.
    bool networkExport = false;
    bool newFile = false;  ///< does not exist yet: created at start
    QString dataSignature; ///< engine text: "a GPT partition table", ...
    bool signatureReadable = true;
    QStringList partitions; ///< kernel names
    /// The partitions as the catalog describes them (may be empty when the
    /// catalog could not be read; partitions then still names them).
    std::vector<PartitionDescription> partitionDetails;
    QString fsType; ///< a file system on the device itself
    QString fsLabel;
    QStringList mountPoints;
    QString sourcePath;
    std::uint64_t sourceSize = 0;
    /// The job clears the target past the source's end (JobOptions::wipeRest).
    bool wipeRest = false;
    /// The job goes on with an interrupted copy to this target.
    bool resume = false;

    /// Bytes of an existing target past the source's end (0 when unknown).
    std::uint64_t pastEndBytes() const
    {
        return !newFile && sourceSize > 0 && size > sourceSize ? size - sourceSize : 0;
    }

    /// Typing the name is required for a block device or an NBD export
    /// with partitions or data, or whose contents could not be read.
    bool requiresTypedName() const
    {
        return (blockDevice || networkExport) &&
               (!partitions.isEmpty() || !dataSignature.isEmpty() || !signatureReadable);
    }
};

class ConfirmStartDialog : public QDialog
{
    Q_OBJECT

public:
    explicit ConfirmStartDialog(const TargetDescription& target, QWidget* parent = nullptr);

    const TargetDescription& target() const { return m_target; }
    /// True when no name is required or the typed one matches.
    bool confirmed() const;
    QLineEdit* nameEdit() const { return m_name; }
    /// The table of the target's partitions, or nullptr when it has none.
    QTreeWidget* partitionList() const { return m_partitions; }
    QPushButton* startButton() const { return m_start; }
    /// Says why Enter did not start (hidden until then).
    QLabel* nameHint() const { return m_hint; }
    /// The fact row about the target's bytes past the source's end, or nullptr.
    QLabel* pastEndLabel() const { return m_pastEnd; }

public Q_SLOTS:
    void accept() override;

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QLabel* makeIcon();
    QLabel* makeHeadline();
    /// Model, size, path, kind, contents, source and what lies past its end.
    QFormLayout* makeFacts();
    QLabel* addFact(QFormLayout* facts, const QString& label, const QString& value);
    QString holdsText() const;
    void addPartitionList(QVBoxLayout* text);
    /// The typed-name prompt, or the plain warning when no name is required.
    void addConfirmation(QVBoxLayout* text);
    void onNameEntered();

    TargetDescription m_target;
    QLineEdit* m_name = nullptr;
    QLabel* m_hint = nullptr;
    QLabel* m_pastEnd = nullptr;
    QPushButton* m_start = nullptr;
    QTreeWidget* m_partitions = nullptr;
};

} // namespace ui
