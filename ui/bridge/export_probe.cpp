#include "bridge/export_probe.h"

#include "base/units.h"
#include "io/disk.h"
#include "rules/job_setup.h"

#include <QTimer>
#include <QUrl>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <system_error>
#include <thread>

namespace ui {

namespace {

std::atomic<int> g_threadsRunning{0};

// The look itself, on the probe thread: everything it opens is closed again
// before it returns.
ExportProbeResult look(const std::string& uri, bool readEdges, const std::string& source,
                       const engine::Logger& log)
{
    ExportProbeResult r;
    r.facts.uri = QString::fromStdString(uri);
    if (!source.empty())
        if (auto size = engine::storageSize(source))
            r.sourceSize = *size;
    // Read-only: a look writes nothing, and a read-only export answers too.
    auto disk = engine::Disk::openNbd(uri, engine::Disk::Access::ReadOnly, log);
    if (!disk) {
        r.error = disk.error();
        return r;
    }
    const engine::NbdConnection* c = disk->nbd();
    r.facts.size = disk->size();
    r.facts.readOnly = c->readOnly();
    r.facts.canZero = c->canZero();
    r.facts.canFlush = c->canFlush();
    if (readEdges)
        r.dataOnExport = engine::dataOnDevice(*disk);
    return r;
}

} // namespace

// What the probe thread and the probe share. The probe thread posts its
// answer only while holding the mutex and only to a live owner; the owner
// clears itself under the same mutex before it goes, so the thread never
// posts to an object being destroyed.
struct ExportProbe::Shared
{
    std::mutex mutex;
    ExportProbe* owner = nullptr; ///< guarded by mutex; null once abandoned
};

ExportProbe::ExportProbe(engine::Logger log, QObject* parent)
    : QObject(parent), m_log(engine::orNull(std::move(log))), m_deadline(new QTimer(this))
{
    m_deadline->setSingleShot(true);
    connect(m_deadline, &QTimer::timeout, this, &ExportProbe::onDeadline);
}

ExportProbe::~ExportProbe()
{
    abandon();
}

int ExportProbe::threadsRunning()
{
    return g_threadsRunning.load();
}

void ExportProbe::start(const QString& uri, const Options& options)
{
    abandon();
    m_uri = uri;
    m_deadlineLength = options.deadline;
    auto shared = std::make_shared<Shared>();
    shared->owner = this;
    m_shared = shared;
    ++g_threadsRunning;
    try {
        std::thread([shared, uri = uri.toStdString(), readEdges = options.readEdges,
                     source = options.sourceForSize.toStdString(), log = m_log] {
            ExportProbeResult result = look(uri, readEdges, source, log);
            {
                std::lock_guard lock(shared->mutex);
                if (ExportProbe* owner = shared->owner)
                    QMetaObject::invokeMethod(
                        owner,
                        [owner, shared, result = std::move(result)]() mutable {
                            owner->onAnswer(shared, std::move(result));
                        },
                        Qt::QueuedConnection);
            }
            --g_threadsRunning;
        }).detach();
    } catch (const std::system_error& e) {
        --g_threadsRunning;
        ExportProbeResult result;
        result.facts.uri = uri;
        result.error =
            engine::Error{e.code().value(),
                          uri.toStdString() + ": cannot start a thread to connect: " + e.what()};
        QMetaObject::invokeMethod(
            this,
            [this, shared, result = std::move(result)]() mutable {
                onAnswer(shared, std::move(result));
            },
            Qt::QueuedConnection);
    }
    m_deadline->start(options.deadline);
}

void ExportProbe::abandon()
{
    m_deadline->stop();
    if (!m_shared)
        return;
    {
        std::lock_guard lock(m_shared->mutex);
        m_shared->owner = nullptr;
    }
    m_shared.reset();
}

void ExportProbe::onAnswer(const std::shared_ptr<Shared>& from, ExportProbeResult result)
{
    // An answer posted just before its attempt was abandoned or replaced.
    if (from != m_shared)
        return;
    abandon(); // done: nothing more comes from that thread
    Q_EMIT finished(result);
}

void ExportProbe::onDeadline()
{
    if (!m_shared)
        return;
    const auto seconds =
        std::chrono::duration_cast<std::chrono::duration<double>>(m_deadlineLength).count();
    m_log->warn("{}: no answer from the NBD server within {:g} s; giving up", m_uri.toStdString(),
                seconds);
    abandon();
    ExportProbeResult result;
    result.facts.uri = m_uri;
    result.error =
        engine::Error{ETIMEDOUT, m_uri.toStdString() + ": no answer from the NBD server within " +
                                     QString::number(seconds, 'g', 3).toStdString() + " s"};
    Q_EMIT finished(result);
}

std::optional<engine::Error> exportRefusal(const ExportFacts& facts,
                                           std::optional<std::uint64_t> sourceSize)
{
    auto r = engine::checkExportTarget(facts.uri.toStdString(), facts.readOnly, facts.size,
                                       sourceSize.value_or(0));
    return r ? std::nullopt : std::optional<engine::Error>(r.error());
}

void inspectExport(QObject* parent, const QString& source, const QString& uri,
                   const QString& expectedTargetId, const engine::Logger& log,
                   std::function<void(const TargetInspection&)> done)
{
    TargetInspection out;
    out.source = source;
    out.target = uri;
    out.expectedTargetId = expectedTargetId;
    // An export is bound to its URI, as the job setup binds it.
    if (auto bound = engine::checkExportBinding(uri.toStdString(), expectedTargetId.toStdString());
        !bound) {
        out.refusal = bound.error();
        QMetaObject::invokeMethod(
            parent, [done = std::move(done), out] { done(out); }, Qt::QueuedConnection);
        return;
    }
    auto* probe = new ExportProbe(log, parent);
    QObject::connect(probe, &ExportProbe::finished, parent,
                     [probe, done = std::move(done), out, uri](const ExportProbeResult& r) mutable {
                         probe->deleteLater();
                         if (r.error) {
                             out.refusal = engine::withContext("target: ", *r.error);
                         } else {
                             out.refusal = exportRefusal(r.facts, r.sourceSize);
                             out.facts.exists = true;
                             out.facts.size = r.facts.size;
                             out.facts.dataSignature = r.dataOnExport;
                             // dataOnDevice says so itself when an edge
                             // cannot be read.
                             out.facts.signatureReadable = true;
                             out.facts.identity = uri.toStdString();
                         }
                         done(out);
                     });
    ExportProbe::Options options;
    options.readEdges = true;
    options.sourceForSize = source;
    options.deadline = std::chrono::seconds(60);
    probe->start(uri, options);
}

QString exportName(const QString& uri)
{
    const QUrl url(uri);
    QString name = url.path(QUrl::FullyDecoded);
    if (name.startsWith(u'/'))
        name.remove(0, 1);
    return name;
}

} // namespace ui
