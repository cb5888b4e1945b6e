// One source mirrored to several targets (MirrorGroup through prepareGroup)
// on real image files and faultfs disks, with cmp as the oracle: shared
// source reads, a slow or failing target that holds up no other, the floor
// that drops a laggard, the refusal of targets that reach the same bytes,
// the quiesce shared by the members, and writes to the source while the
// group copies. The faultfs cases need root and FUSE; they skip otherwise.
#include "engine_printers.h"
#include "fault_fs.h"
#include "job/mirror_group.h"
#include "job/mirror_job.h"
#include "job/shared_reads.h"
#include "rules/job_setup.h"
#include "test_support.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QScopeGuard>
#include <QtTest>

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/logger.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <cstring>
#include <random>
#include <thread>

using namespace engine;
using namespace testsupport;
using namespace std::chrono_literals;

namespace {

constexpr std::uint64_t MiB = 1 << 20;
constexpr std::uint64_t KiB = 1 << 10;

// Warnings only: a dropped or failing member says why on stderr, which is
// what one wants to read when a case fails.
Logger testLog()
{
    static const Logger log = [] {
        auto l = std::make_shared<spdlog::logger>(
            "group", std::make_shared<spdlog::sinks::stderr_sink_mt>());
        l->set_level(spdlog::level::warn);
        return l;
    }();
    return log;
}

template <class T>
const char* whyNot(const Result<T>& r)
{
    return r ? "" : r.error().message.c_str();
}

Result<PreparedGroup> prepare(const QString& source, const QStringList& targets,
                              GroupOptions group = {}, JobOptions options = {})
{
    GroupSetup setup;
    setup.common.source = source.toStdString();
    setup.common.options = options;
    for (const QString& t : targets)
        setup.targets.push_back({t.toStdString(), {}});
    setup.group = group;
    return prepareGroup(std::move(setup), testLog());
}

// Every member's state in one line, for the message of a failed check.
QString describe(const MirrorGroup& g)
{
    QStringList parts;
    for (std::size_t i = 0; i < g.size(); ++i) {
        const auto s = g.member(i).snapshot();
        parts << QStringLiteral("#%1 %2 %3/%4 MiB%5%6")
                     .arg(i)
                     .arg(name(s->status))
                     .arg(s->bytesDone / MiB)
                     .arg(s->diskSize / MiB)
                     .arg(g.member(i).finished() ? QStringLiteral(" finished") : QString())
                     .arg(g.dropReason(i).empty() ? QString()
                                                  : QStringLiteral(" (%1)").arg(
                                                        QString::fromStdString(g.dropReason(i))));
    }
    return parts.join(QStringLiteral("; "));
}

bool isReady(const MirrorGroup& g, std::size_t i)
{
    return !g.member(i).finished() && g.member(i).status() == JobStatus::Ready;
}

// False as soon as one of them finished instead: it will never be READY.
bool waitReady(const MirrorGroup& g, const std::vector<std::size_t>& members,
               std::chrono::milliseconds limit = 60s)
{
    bool ended = false;
    waitFor(
        [&] {
            bool all = true;
            for (std::size_t i : members) {
                ended = ended || g.member(i).finished();
                all = all && isReady(g, i);
            }
            return all || ended;
        },
        limit);
    for (std::size_t i : members)
        if (!isReady(g, i))
            return false;
    return true;
}

QString fuseUnavailable()
{
    if (!isRoot())
        return QStringLiteral("faultfs targets need root (FUSE mounts)");
    QString why;
    if (!FaultFs::available(&why))
        return QStringLiteral("FUSE fault injection unavailable: ") + why;
    return {};
}

// A faultfs disk over a fresh sparse backing file of @p size bytes.
std::unique_ptr<FaultFs> faultyDisk(const ScratchDir& dir, const QString& name, std::uint64_t size,
                                    const QStringList& args)
{
    const QString backing = dir.file(name);
    if (!createSparse(backing, size))
        return nullptr;
    QString why;
    auto fs = FaultFs::mount(backing, args, &why);
    if (!fs)
        qWarning("faultfs: %s", qPrintable(why));
    return fs;
}

bool exists(const QString& path)
{
    return QFileInfo::exists(path);
}

bool completed(const GroupResult& r, std::size_t i)
{
    return r.members.at(i).outcome == JobResult::Outcome::Completed;
}

// For the message of a failed check: what member @p i ended as, and why.
QString outcome(const GroupResult& r, std::size_t i)
{
    return QStringLiteral("#%1 %2: %3")
        .arg(i)
        .arg(name(r.members.at(i).outcome))
        .arg(QString::fromStdString(r.members.at(i).error.message));
}

double ms(const QElapsedTimer& t)
{
    return static_cast<double>(t.nsecsElapsed()) / 1e6;
}

} // namespace

class TestMirrorGroup : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void threeImageTargets_identical_sourceReadOnce();
    void smallShareCapacity_laggingMemberReadsItself();
    void slowTarget_doesNotSlowTheOthers();
    void failingTarget_othersComplete();
    void floor_dropsATargetBelowIt();
    void targetsOverlap_refusedNothingCreated();
    void quiesceHub_freezesOnceForAllExpected();
    void liveWrites_invalidateShared();
    void sharedReads_writeDropsOnlyItsGranules();
    void sharedReads_readInFlightServesUpToTheWrite();

private:
    ScratchDir m_dir;
    // Non-zero data throughout, so that no granule is skipped as zeroes
    // and every byte has to be read and copied.
    QString m_big;
    QString m_mid;
    static constexpr std::uint64_t kBig = 192 * MiB;
    static constexpr std::uint64_t kMid = 128 * MiB;
};

void TestMirrorGroup::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_big = m_dir.file(QStringLiteral("big.img"));
    QVERIFY(createSparse(m_big, kBig));
    QVERIFY(writePattern(m_big, 0, kBig, 11));
    m_mid = m_dir.file(QStringLiteral("mid.img"));
    QVERIFY(createSparse(m_mid, kMid));
    QVERIFY(writePattern(m_mid, 0, kMid, 12));
}

void TestMirrorGroup::threeImageTargets_identical_sourceReadOnce()
{
    ScratchDir dir;
    const QStringList targets{dir.file(QStringLiteral("a.img")), dir.file(QStringLiteral("b.img")),
                              dir.file(QStringLiteral("c.img"))};
    for (const QString& t : targets)
        QVERIFY(!exists(t));
    auto prepared = prepare(m_big, targets);
    QVERIFY2(prepared, whyNot(prepared));
    QCOMPARE(prepared->targetCreated, std::vector<bool>(3, true));
    MirrorGroup& g = *prepared->group;
    QCOMPARE(g.size(), std::size_t(3));

    g.start();
    QVERIFY2(waitReady(g, {0, 1, 2}), qPrintable(describe(g)));
    const auto completing = g.complete();
    QVERIFY2(completing, whyNot(completing));
    const GroupResult r = g.wait();
    QCOMPARE(r.members.size(), std::size_t(3));
    for (std::size_t i = 0; i < 3; ++i) {
        QVERIFY2(completed(r, i), qPrintable(outcome(r, i)));
        QVERIFY(r.dropped[i].empty());
    }
    qInfo("3 targets of %llu MiB: source read %.1f MiB (%.2fx), shared hits %.1f MiB, first "
          "reads %.1f MiB, extra %.1f MiB",
          static_cast<unsigned long long>(kBig / MiB), static_cast<double>(r.sourceBytesRead) / MiB,
          static_cast<double>(r.sourceBytesRead) / static_cast<double>(kBig),
          static_cast<double>(r.shared.hitBytes) / MiB,
          static_cast<double>(r.shared.readBytes) / MiB,
          static_cast<double>(r.shared.extraReadBytes) / MiB);
    // Every byte must come from the source at least once; without sharing
    // it would come three times.
    QVERIFY(r.sourceBytesRead >= kBig);
    QVERIFY2(
        r.sourceBytesRead * 100 <= kBig * 115,
        qPrintable(QStringLiteral("the source was read %1 times over")
                       .arg(static_cast<double>(r.sourceBytesRead) / static_cast<double>(kBig))));
    QVERIFY(r.shared.hitBytes > 0);
    // The group's count of its claims and the members' count of their
    // reads are the same reads: nothing was cancelled or failed.
    QCOMPARE(r.shared.readBytes + r.shared.extraReadBytes, r.sourceBytesRead);
    QCOMPARE(r.shared.heldBytes, std::uint64_t(0));

    prepared->group.reset();
    for (const QString& t : targets)
        QVERIFY2(cmpIdentical(m_big, t), qPrintable(t));
}

void TestMirrorGroup::smallShareCapacity_laggingMemberReadsItself()
{
    if (const QString why = fuseUnavailable(); !why.isEmpty())
        QSKIP(qPrintable(why));
    ScratchDir dir;
    auto slow = faultyDisk(dir, QStringLiteral("slow-backing.img"), kBig,
                           {QStringLiteral("--write-delay-ms"), QStringLiteral("20")});
    QVERIFY(slow);
    const QStringList targets{dir.file(QStringLiteral("a.img")), dir.file(QStringLiteral("b.img")),
                              slow->diskPath()};
    GroupOptions go;
    go.sharedReadBytes = 4 * MiB;
    auto prepared = prepare(m_big, targets, go);
    QVERIFY2(prepared, whyNot(prepared));
    MirrorGroup& g = *prepared->group;

    g.start();
    QVERIFY2(waitReady(g, {0, 1}), qPrintable(describe(g)));
    const std::uint64_t slowDone = g.member(2).snapshot()->bytesDone;
    const auto behind = g.sharedStats();
    qInfo("fast targets READY with the slow one at %.1f MiB of %llu; held %.1f MiB (capacity 4 "
          "MiB), extra reads so far %.1f MiB",
          static_cast<double>(slowDone) / MiB, static_cast<unsigned long long>(kBig / MiB),
          static_cast<double>(behind.heldBytes) / MiB,
          static_cast<double>(behind.extraReadBytes) / MiB);
    // Fall behind by more than what is held, or the case proves nothing.
    QVERIFY2(slowDone + 8 * MiB < kBig, qPrintable(describe(g)));
    QVERIFY(behind.heldBytes <= go.sharedReadBytes);
    // Let it catch up; what it reads from now on is read a second time.
    QVERIFY(slow->setWriteDelay(0));
    QVERIFY2(waitReady(g, {0, 1, 2}), qPrintable(describe(g)));
    const auto completing = g.complete();
    QVERIFY2(completing, whyNot(completing));
    const GroupResult r = g.wait();
    for (std::size_t i = 0; i < 3; ++i)
        QVERIFY2(completed(r, i), qPrintable(outcome(r, i)));
    qInfo("source read %.1f MiB (%.2fx; by member %.1f, %.1f, %.1f MiB): first reads %.1f MiB, "
          "extra %.1f MiB, hits %.1f MiB",
          static_cast<double>(r.sourceBytesRead) / MiB,
          static_cast<double>(r.sourceBytesRead) / static_cast<double>(kBig),
          static_cast<double>(r.members[0].sourceBytesRead) / MiB,
          static_cast<double>(r.members[1].sourceBytesRead) / MiB,
          static_cast<double>(r.members[2].sourceBytesRead) / MiB,
          static_cast<double>(r.shared.readBytes) / MiB,
          static_cast<double>(r.shared.extraReadBytes) / MiB,
          static_cast<double>(r.shared.hitBytes) / MiB);
    QVERIFY(r.shared.extraReadBytes > 0);
    QVERIFY(r.sourceBytesRead > kBig);
    QCOMPARE(r.shared.readBytes + r.shared.extraReadBytes, r.sourceBytesRead);

    prepared->group.reset();
    for (const QString& t : targets)
        QVERIFY2(cmpIdentical(m_big, t), qPrintable(t));
}

void TestMirrorGroup::slowTarget_doesNotSlowTheOthers()
{
    if (const QString why = fuseUnavailable(); !why.isEmpty())
        QSKIP(qPrintable(why));
    ScratchDir dir;

    // (a) The two fast targets alone.
    double alone = 0;
    {
        const QStringList targets{dir.file(QStringLiteral("alone-a.img")),
                                  dir.file(QStringLiteral("alone-b.img"))};
        auto prepared = prepare(m_mid, targets);
        QVERIFY2(prepared, whyNot(prepared));
        MirrorGroup& g = *prepared->group;
        QElapsedTimer timer;
        timer.start();
        g.start();
        QVERIFY2(waitReady(g, {0, 1}), qPrintable(describe(g)));
        alone = ms(timer);
        QVERIFY(g.complete());
        const GroupResult r = g.wait();
        for (const auto& m : r.members)
            QCOMPARE(name(m.outcome), name(JobResult::Outcome::Completed));
    }

    // (b) The same two with a slow third.
    auto slow = faultyDisk(dir, QStringLiteral("slow-backing.img"), kMid,
                           {QStringLiteral("--write-delay-ms"), QStringLiteral("30")});
    QVERIFY(slow);
    const QStringList targets{dir.file(QStringLiteral("a.img")), dir.file(QStringLiteral("b.img")),
                              slow->diskPath()};
    auto prepared = prepare(m_mid, targets);
    QVERIFY2(prepared, whyNot(prepared));
    MirrorGroup& g = *prepared->group;
    QElapsedTimer timer;
    timer.start();
    g.start();
    QVERIFY2(waitReady(g, {0, 1}), qPrintable(describe(g)));
    const double withSlow = ms(timer);
    const auto slowSnap = g.member(2).snapshot();
    qInfo("two fast targets of %llu MiB READY after %.0f ms alone, %.0f ms beside a slow one "
          "(which had %.1f MiB done then)",
          static_cast<unsigned long long>(kMid / MiB), alone, withSlow,
          static_cast<double>(slowSnap->bytesDone) / MiB);
    QVERIFY2(
        withSlow <= 2 * alone + 1000,
        qPrintable(
            QStringLiteral("%1 ms beside the slow target, %2 ms alone").arg(withSlow).arg(alone)));
    // Otherwise the slow target was not slow, and nothing was shown.
    QVERIFY2(slowSnap->status != JobStatus::Ready && slowSnap->bytesDone < kMid / 2,
             qPrintable(describe(g)));

    // Let it finish, so that all three are checked.
    QVERIFY(slow->setWriteDelay(0));
    QVERIFY2(waitReady(g, {0, 1, 2}), qPrintable(describe(g)));
    QVERIFY(g.complete());
    const GroupResult r = g.wait();
    for (std::size_t i = 0; i < 3; ++i)
        QVERIFY2(completed(r, i), qPrintable(outcome(r, i)));
    prepared->group.reset();
    for (const QString& t : targets)
        QVERIFY2(cmpIdentical(m_mid, t), qPrintable(t));
}

void TestMirrorGroup::failingTarget_othersComplete()
{
    if (const QString why = fuseUnavailable(); !why.isEmpty())
        QSKIP(qPrintable(why));
    ScratchDir dir;
    const std::uint64_t bad = 64 * MiB + 8 * KiB;
    auto failing =
        faultyDisk(dir, QStringLiteral("failing-backing.img"), kBig,
                   {QStringLiteral("--write-error"), QStringLiteral("%1:4096:EIO").arg(bad)});
    QVERIFY(failing);
    const QStringList targets{dir.file(QStringLiteral("a.img")), failing->diskPath(),
                              dir.file(QStringLiteral("b.img"))};
    auto prepared = prepare(m_big, targets);
    QVERIFY2(prepared, whyNot(prepared));
    MirrorGroup& g = *prepared->group;

    g.start();
    QVERIFY2(waitReady(g, {0, 2}), qPrintable(describe(g)));
    QVERIFY2(waitFor([&] { return g.member(1).finished(); }, 30s), qPrintable(describe(g)));
    QVERIFY(g.complete());
    const GroupResult r = g.wait();
    const JobResult& failed = r.members[1];
    QCOMPARE(name(failed.outcome), name(JobResult::Outcome::Failed));
    QVERIFY(!failed.sourceFailed);
    QCOMPARE(failed.error.code, EIO);
    QVERIFY2(QString::fromStdString(failed.error.message).contains(failing->diskPath()),
             failed.error.message.c_str());
    QVERIFY(r.dropped[1].empty()); // it failed; the group did not drop it
    for (std::size_t i : {0, 2})
        QVERIFY2(completed(r, i), qPrintable(outcome(r, i)));
    qInfo("failing target: %s; the other two completed", failed.error.message.c_str());

    prepared->group.reset();
    QVERIFY(cmpIdentical(m_big, targets[0]));
    QVERIFY(cmpIdentical(m_big, targets[2]));
}

void TestMirrorGroup::floor_dropsATargetBelowIt()
{
    if (const QString why = fuseUnavailable(); !why.isEmpty())
        QSKIP(qPrintable(why));
    ScratchDir dir;
    auto slow = faultyDisk(dir, QStringLiteral("slow-backing.img"), kBig,
                           {QStringLiteral("--write-delay-ms"), QStringLiteral("200")});
    QVERIFY(slow);
    const QStringList targets{dir.file(QStringLiteral("a.img")), slow->diskPath(),
                              dir.file(QStringLiteral("b.img"))};
    // The fast members are held at 32 MiB/s, so that they are still
    // copying (not READY, and so judged) when the floor's window has passed;
    // the slow one manages at most a few MiB/s through its 200 ms writes.
    GroupOptions go;
    go.floorSpeed = 16 * MiB;
    go.floorSeconds = 2;
    JobOptions jo;
    jo.speed = 32 * MiB;
    auto prepared = prepare(m_big, targets, go, jo);
    QVERIFY2(prepared, whyNot(prepared));
    MirrorGroup& g = *prepared->group;

    QElapsedTimer timer;
    timer.start();
    g.start();
    QVERIFY2(waitFor([&] { return !g.dropReason(1).empty() || g.finished(); }, 20s),
             qPrintable(describe(g)));
    const std::string why = g.dropReason(1);
    qInfo("slow target dropped after %.0f ms: %s", ms(timer), why.c_str());
    QVERIFY2(QString::fromStdString(why).contains(QStringLiteral("below the floor")),
             qPrintable(describe(g)));
    QVERIFY2(g.dropReason(0).empty() && g.dropReason(2).empty(), qPrintable(describe(g)));
    // The rest need not crawl any longer, nor the dropped one's drain.
    QVERIFY(slow->setWriteDelay(0));
    QVERIFY(g.setSpeed(0));
    QVERIFY2(waitReady(g, {0, 2}), qPrintable(describe(g)));
    QVERIFY(g.complete());
    const GroupResult r = g.wait();
    QCOMPARE(name(r.members[1].outcome), name(JobResult::Outcome::Aborted));
    QCOMPARE(r.dropped[1], why);
    QVERIFY(r.dropped[0].empty() && r.dropped[2].empty());
    for (std::size_t i : {0, 2})
        QVERIFY2(completed(r, i), qPrintable(outcome(r, i)));
    prepared->group.reset();
    QVERIFY(cmpIdentical(m_big, targets[0]));
    QVERIFY(cmpIdentical(m_big, targets[2]));
}

void TestMirrorGroup::targetsOverlap_refusedNothingCreated()
{
    ScratchDir dir;
    const QString source = dir.file(QStringLiteral("source.img"));
    QVERIFY(createSparse(source, 8 * MiB));
    QVERIFY(writePattern(source, 0, 8 * MiB, 21));

    const QString twice = dir.file(QStringLiteral("twice.img"));
    const QString other = dir.file(QStringLiteral("other.img"));
    auto same = prepare(source, {other, twice, twice});
    QVERIFY2(!same && same.error().rule == Rule::TargetsOverlap, whyNot(same));
    QVERIFY2(same.error().message.find("twice.img") != std::string::npos,
             same.error().message.c_str());
    // Refused before any target was created, the distinct one included.
    QVERIFY(!exists(twice));
    QVERIFY(!exists(other));

    if (!isRoot())
        QSKIP("the loop device over a target image needs root");
    const QString image = dir.file(QStringLiteral("image.img"));
    QVERIFY(createSparse(image, 8 * MiB));
    QVERIFY(writePattern(image, 0, 8 * MiB, 22));
    const QString reference = dir.file(QStringLiteral("reference.img"));
    QVERIFY(createSparse(reference, 8 * MiB));
    QVERIFY(writePattern(reference, 0, 8 * MiB, 22));
    QString why;
    auto loop = LoopDevice::attach(image, &why);
    QVERIFY2(loop, qPrintable(why));
    for (const QStringList& targets :
         {QStringList{image, loop->path()}, QStringList{loop->path(), other, image}}) {
        auto aliased = prepare(source, targets);
        QVERIFY2(!aliased && aliased.error().rule == Rule::TargetsOverlap,
                 aliased ? qPrintable(QStringLiteral("accepted ") + targets.join(QLatin1Char(' ')))
                         : aliased.error().message.c_str());
        QVERIFY(!exists(other));
    }
    QVERIFY2(cmpIdentical(reference, image), "a refused group wrote its target");
}

void TestMirrorGroup::quiesceHub_freezesOnceForAllExpected()
{
    std::vector<std::string> calls;
    auto inner = makeQuiescer(
        [&] {
            calls.emplace_back("quiesce");
            return Result<void>{};
        },
        [&] { calls.emplace_back("release"); });
    auto hub = std::make_shared<QuiesceHub>(inner);
    const auto first = hub->member(0);
    const auto second = hub->member(1);
    using Calls = std::vector<std::string>;

    // One Complete of two members: one freeze, let go by the last of them.
    hub->expect(0b11);
    QVERIFY(first->quiesce(1s));
    QCOMPARE(calls, Calls{"quiesce"});
    QVERIFY(first->release());
    QCOMPARE(calls, Calls{"quiesce"}); // the second is still to copy under it
    QVERIFY(second->quiesce(1s));
    QCOMPARE(calls, Calls{"quiesce"});
    QVERIFY(second->release());
    QCOMPARE(calls, (Calls{"quiesce", "release"}));

    // A member expected but ended (failed, cancelled) withdraws instead.
    calls.clear();
    hub->expect(0b11);
    QVERIFY(first->quiesce(1s));
    QVERIFY(first->release());
    QCOMPARE(calls, Calls{"quiesce"});
    hub->withdraw(1);
    QCOMPARE(calls, (Calls{"quiesce", "release"}));
    // Late word from the withdrawn one changes nothing.
    QVERIFY(second->release());
    QCOMPARE(calls, (Calls{"quiesce", "release"}));

    // A member not expected quiesces on its own.
    calls.clear();
    QVERIFY(second->quiesce(1s));
    QVERIFY(second->release());
    QCOMPARE(calls, (Calls{"quiesce", "release"}));
}

void TestMirrorGroup::liveWrites_invalidateShared()
{
    ScratchDir dir;
    constexpr std::uint64_t size = 64 * MiB;
    const QString source = dir.file(QStringLiteral("live.img"));
    QVERIFY(createSparse(source, size));
    QVERIFY(writePattern(source, 0, size, 31));
    const QStringList targets{dir.file(QStringLiteral("a.img")), dir.file(QStringLiteral("b.img"))};
    // Member 1 trails member 0, so that what member 0 read is held for it
    // while the writes land: the held data is what the writes make stale.
    JobOptions jo;
    jo.speed = 12 * MiB;
    auto prepared = prepare(source, targets, {}, jo);
    QVERIFY2(prepared, whyNot(prepared));
    MirrorGroup& g = *prepared->group;
    g.start();
    QVERIFY(g.member(0).setSpeed(32 * MiB));

    const int fd = ::open(QFile::encodeName(source).constData(), O_WRONLY | O_CLOEXEC);
    QVERIFY(fd >= 0);
    auto closeFd = qScopeGuard([fd] { ::close(fd); });
    std::mt19937_64 rng(32);
    std::vector<std::uint64_t> buf(64 * KiB / 8);
    int written = 0, betweenMembers = 0, atLeader = 0;
    std::uint64_t maxHeld = 0;
    for (int n = 0; n < 300; ++n) {
        // Unaligned, so that writes straddle granules and cut shared entries.
        const std::uint64_t len = 1 + rng() % (64 * KiB - 1);
        std::uint64_t off = rng() % (size - len);
        const std::uint64_t lead = g.member(0).snapshot()->bytesDone;
        const std::uint64_t trail = g.member(1).snapshot()->bytesDone;
        if (n % 3 == 0 && lead > trail + 128 * KiB && lead <= size) {
            off = trail + rng() % (lead - trail - len);
            ++betweenMembers;
        } else if (n % 3 == 1 && lead + 4 * MiB <= size) {
            // Where the leader reads now: a read in flight must not be served.
            off = lead + rng() % (2 * MiB);
            ++atLeader;
        }
        for (auto& w : buf)
            w = rng();
        QCOMPARE(::pwrite(fd, buf.data(), len, static_cast<off_t>(off)), static_cast<ssize_t>(len));
        g.notifyWrite(off, len);
        ++written;
        maxHeld = std::max(maxHeld, g.sharedStats().heldBytes);
        std::this_thread::sleep_for(3ms);
    }
    const QString atEnd = describe(g);
    qInfo("%d writes while copying (%d between the members' positions, %d at the leader's); up "
          "to %.1f MiB held; then: %s",
          written, betweenMembers, atLeader, static_cast<double>(maxHeld) / MiB, qPrintable(atEnd));
    // The writes must have met a copy in progress, and data held for the
    // trailing member.
    QVERIFY2(!isReady(g, 0) && !isReady(g, 1) && !g.member(0).finished() && !g.member(1).finished(),
             qPrintable(atEnd));
    QVERIFY(betweenMembers > 40);
    QVERIFY(atLeader > 40);
    QVERIFY(maxHeld > 0);

    QVERIFY(g.setSpeed(0));
    QVERIFY2(waitReady(g, {0, 1}), qPrintable(describe(g)));
    QVERIFY(g.complete());
    const GroupResult r = g.wait();
    for (std::size_t i = 0; i < 2; ++i)
        QVERIFY2(completed(r, i), qPrintable(outcome(r, i)));
    QVERIFY(r.shared.hitBytes > 0);
    prepared->group.reset();
    for (const QString& t : targets)
        QVERIFY2(cmpIdentical(source, t), qPrintable(t));
}

// A write into a held range drops its granules and nothing else: the
// member behind takes what is held up to the write, reads the written
// granule itself, and takes the rest from memory again.
void TestMirrorGroup::sharedReads_writeDropsOnlyItsGranules()
{
    constexpr std::uint64_t g = 64 * KiB;
    SharedReads shared(2, 4 * MiB, g, 64 * MiB);
    std::vector<std::uint8_t> data(MiB), got(MiB);
    for (std::size_t i = 0; i < data.size(); ++i)
        data[i] = static_cast<std::uint8_t>(i * 7 + 1);

    auto a = shared.claim(0, {0, MiB}, data.data());
    QCOMPARE(a.claim, SharedReads::Claim::Read);
    QCOMPARE(a.length, MiB);
    shared.publish(0, {0, MiB}, data.data(), false);
    shared.invalidate({4 * g + 100, 10}); // one byte range inside granule 4

    auto b = shared.claim(1, {0, MiB}, got.data());
    QCOMPARE(b.claim, SharedReads::Claim::Hit);
    QCOMPARE(b.length, 4 * g);
    QVERIFY(std::memcmp(got.data(), data.data(), 4 * g) == 0);
    auto c = shared.claim(1, {4 * g, MiB - 4 * g}, got.data());
    QCOMPARE(c.claim, SharedReads::Claim::Read); // only the written granule
    QCOMPARE(c.length, g);
    shared.publish(1, {4 * g, g}, got.data(), false);
    auto d = shared.claim(1, {5 * g, MiB - 5 * g}, got.data());
    QCOMPARE(d.claim, SharedReads::Claim::Hit);
    QCOMPARE(d.length, MiB - 5 * g);
    QVERIFY(std::memcmp(got.data(), data.data() + 5 * g, MiB - 5 * g) == 0);
    const auto stats = shared.stats();
    QCOMPARE(stats.readBytes, MiB + g); // the written granule is read anew, not extra
    QCOMPARE(stats.extraReadBytes, std::uint64_t(0));
    // Held still: the granule member 1 read anew, which the write made
    // member 0 copy again too.
    QCOMPARE(stats.heldBytes, g);
}

// A write while the read is in flight: the others wait for the part before
// it, and nothing of the written granule is served when the read lands.
void TestMirrorGroup::sharedReads_readInFlightServesUpToTheWrite()
{
    constexpr std::uint64_t g = 64 * KiB;
    SharedReads shared(2, 4 * MiB, g, 64 * MiB);
    std::vector<std::uint8_t> data(MiB, 0x5a), got(MiB);
    QCOMPARE(shared.claim(0, {0, MiB}, data.data()).claim, SharedReads::Claim::Read);
    shared.invalidate({8 * g, 1});
    auto w = shared.claim(1, {0, MiB}, got.data());
    QCOMPARE(w.claim, SharedReads::Claim::Wait);
    QCOMPARE(w.length, 8 * g);
    shared.publish(0, {0, MiB}, data.data(), false);
    QCOMPARE(shared.claim(1, {0, 8 * g}, got.data()).claim, SharedReads::Claim::Hit);
    auto r = shared.claim(1, {8 * g, MiB - 8 * g}, got.data());
    QCOMPARE(r.claim, SharedReads::Claim::Read);
    QCOMPARE(r.length, g);
}

QTEST_GUILESS_MAIN(TestMirrorGroup)
#include "tst_mirror_group.moc"
