// ResumeOffer: the bar above the lists that offers an interrupted copy for
// resumption, found at start in the directories where jobs keep their
// journals (engine::defaultStateDir(), and root's, where the helper's jobs
// keep theirs).
//
//   [ An interrupted copy of SOURCE to TARGET can be resumed: 62% was
//     copied (1.2 GiB of 2.0 GiB); ...                  [Resume] [Discard] ]
//
// The bar only shows and asks; the window decides what Resume and Discard do
// (select both ends, then the normal start with its checks and
// confirmations; or remove the journal after asking). Finding the jobs reads
// the disk: findInterruptedJobs() runs on a worker, never on the UI thread.
#pragma once

#include "job/job_journal.h"

#include <QFrame>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

class QLabel;
class QPushButton;

namespace ui {

/// An interrupted job as the window offers it.
struct InterruptedJob
{
    QString dir; ///< the state directory holding its journal
    engine::JournalPaths paths;
    QString source; ///< real paths, as the job named them
    QString target;
    std::uint64_t extent = 0;
    std::uint64_t inSyncBytes = 0;
    /// What the job's identity fixes: a resume with other values is another job.
    QString sync;
    std::uint64_t granularity = 0;
    bool wipeRest = false;
    /// The disks' stable identities as the job recorded them ("unknown",
    /// or an image's file identity, when not a disk).
    QString sourceId;
    QString targetId;
    // What the paths were when the directory was read.
    bool sourceExists = false;
    bool sourceBlockDevice = false;
    bool targetExists = false;
    bool targetBlockDevice = false;
    /// This process may remove the journal (a root job's is root's).
    bool discardable = false;
    std::int64_t savedAt = 0; ///< unix time of its last checkpoint
};

/// Where jobs started from this window keep their journals: this process's
/// engine::defaultStateDir(), and root's, where the helper's are, when that
/// is another.
QStringList interruptedJobDirs();

/// Every interrupted job in @p dirs, newest first. Reads the disk. A
/// directory that cannot be read adds its reason to @p problems.
std::vector<InterruptedJob> findInterruptedJobs(const QStringList& dirs, QStringList* problems);

class ResumeOffer : public QFrame
{
    Q_OBJECT

public:
    explicit ResumeOffer(QWidget* parent = nullptr);

    /// Offers @p job; @p others more wait behind it. @p missing says which
    /// end cannot be found now (empty: both are there), and disables Resume.
    void offer(const InterruptedJob& job, int others, const QString& missing);
    /// Resume waits (the window is busy) or is possible again.
    void setResumeEnabled(bool enabled);

    QString text() const;
    QLabel* label() const { return m_label; }
    QPushButton* resumeButton() const { return m_resume; }
    QPushButton* discardButton() const { return m_discard; }

Q_SIGNALS:
    void resumeRequested();
    void discardRequested();

private:
    QLabel* m_label;
    QPushButton* m_resume;
    QPushButton* m_discard;
    bool m_present = false;
    bool m_resumeAllowed = true;
};

} // namespace ui
