#include "resume_offer.h"

#include "format.h"

#include <QFile>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QStyle>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <string>

namespace ui {

namespace {

// Root's jobs, and the helper's, keep their journals here whatever this
// process's own state directory is (pkexec passes no environment).
constexpr const char* kRootStateDir = "/var/lib/drivemirror";

QString identityValue(const engine::JobIdentity& identity, const char* key)
{
    const auto it = identity.find(key);
    return it == identity.end() ? QString() : QString::fromStdString(it->second);
}

void describePath(const QString& path, bool& exists, bool& blockDevice)
{
    struct stat st
    {
    };
    exists = ::stat(QFile::encodeName(path).constData(), &st) == 0;
    blockDevice = exists && S_ISBLK(st.st_mode);
}

} // namespace

QStringList interruptedJobDirs()
{
    QStringList dirs{QString::fromStdString(engine::defaultStateDir())};
    if (!dirs.contains(QLatin1String(kRootStateDir)))
        dirs << QLatin1String(kRootStateDir);
    return dirs;
}

std::vector<InterruptedJob> findInterruptedJobs(const QStringList& dirs, QStringList* problems)
{
    std::vector<InterruptedJob> out;
    for (const QString& dir : dirs) {
        auto saved = engine::listSavedJobs(dir.toStdString());
        if (!saved) {
            if (problems)
                *problems << dir + QStringLiteral(": ") +
                                 QString::fromStdString(saved.error().message);
            continue;
        }
        const bool discardable = ::access(QFile::encodeName(dir).constData(), W_OK) == 0;
        for (const engine::SavedJob& s : *saved) {
            if (s.running)
                continue; // a job of another window or of the command line, not interrupted
            InterruptedJob job;
            job.dir = dir;
            job.paths = s.paths;
            job.source = QString::fromStdString(s.source);
            job.target = QString::fromStdString(s.target);
            job.extent = s.extent;
            job.inSyncBytes = std::min(s.inSyncBytes, s.extent);
            job.sync = QString::fromStdString(s.sync);
            job.granularity = s.granularity;
            job.wipeRest =
                identityValue(s.checkpoint.identity, "wipe-rest") == QLatin1String("yes");
            job.sourceId = identityValue(s.checkpoint.identity, "source-id");
            job.targetId = identityValue(s.checkpoint.identity, "target-id");
            describePath(job.source, job.sourceExists, job.sourceBlockDevice);
            describePath(job.target, job.targetExists, job.targetBlockDevice);
            job.discardable = discardable;
            job.savedAt = s.savedAt;
            out.push_back(std::move(job));
        }
    }
    std::stable_sort(out.begin(), out.end(), [](const InterruptedJob& a, const InterruptedJob& b) {
        return a.savedAt > b.savedAt;
    });
    return out;
}

ResumeOffer::ResumeOffer(QWidget* parent)
    : QFrame(parent), m_label(new QLabel(this)),
      m_resume(new QPushButton(QIcon(QStringLiteral(":/icons/start.svg")), tr("Res&ume"), this)),
      m_discard(new QPushButton(tr("&Discard"), this))
{
    setObjectName(QStringLiteral("resumeOffer"));
    m_label->setObjectName(QStringLiteral("resumeOfferText"));
    m_resume->setObjectName(QStringLiteral("resumeOfferResume"));
    m_discard->setObjectName(QStringLiteral("resumeOfferDiscard"));
    // The tone of the window's other notes and banners: information that
    // asks for a decision, not an error.
    setAutoFillBackground(true);
    QPalette pal = palette();
    pal.setColor(QPalette::Window, QColor(0xd8, 0xe8, 0xfa));
    pal.setColor(QPalette::WindowText, QColor(0x20, 0x20, 0x20));
    setPalette(pal);
    m_label->setWordWrap(true);
    m_label->setTextFormat(Qt::PlainText);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_resume->setToolTip(tr("Select the source and the target and start the copy where it "
                            "stopped; the start asks for confirmation as always"));

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto* icon = new QLabel(this);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    icon->setPixmap(style()
                        ->standardIcon(QStyle::SP_MessageBoxInformation, nullptr, this)
                        .pixmap(iconSize, iconSize));
    layout->addWidget(icon, 0, Qt::AlignTop);
    layout->addWidget(m_label, 1);
    layout->addSpacing(12);
    layout->addWidget(m_resume, 0, Qt::AlignVCenter);
    layout->addWidget(m_discard, 0, Qt::AlignVCenter);
    connect(m_resume, &QPushButton::clicked, this, &ResumeOffer::resumeRequested);
    connect(m_discard, &QPushButton::clicked, this, &ResumeOffer::discardRequested);
    hide();
}

void ResumeOffer::offer(const InterruptedJob& job, int others, const QString& missing)
{
    const double fraction =
        job.extent ? static_cast<double>(job.inSyncBytes) / static_cast<double>(job.extent) : 0.0;
    QString text = tr("An interrupted copy of %1 to %2 can be resumed: %3 was copied (%4 of %5); "
                      "the rest is copied, and what changed on the source since is found by "
                      "comparing.")
                       .arg(job.source, job.target, Format::percent(fraction),
                            Format::bytes(job.inSyncBytes), Format::bytes(job.extent));
    if (!missing.isEmpty())
        text += u' ' + missing;
    if (others > 0)
        text += u' ' + tr("%n more interrupted copies are waiting; they are offered after this "
                          "one.",
                          nullptr, others);
    m_label->setText(text);
    m_present = missing.isEmpty();
    m_resume->setEnabled(m_present && m_resumeAllowed);
    m_discard->setEnabled(job.discardable);
    m_discard->setToolTip(
        job.discardable ? tr("Remove what lets this copy be resumed; the target keeps what was "
                             "copied so far")
                        : tr("Kept in %1, which only an administrator can change").arg(job.dir));
    show();
}

void ResumeOffer::setResumeEnabled(bool enabled)
{
    m_resumeAllowed = enabled;
    m_resume->setEnabled(m_present && m_resumeAllowed);
}

QString ResumeOffer::text() const
{
    return m_label->text();
}

} // namespace ui
