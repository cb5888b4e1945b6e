// A job's journal (job_journal.h), without a job: what open() decides
// from the checkpoint it finds, what commit() and invalidate() leave on disk
// (read back by loading the file again, as a later run would), the hash file,
// the state directory as `jobs` lists it, and the ddrescue mapfile as GNU
// ddrescuelog itself reads it.
#include "engine_printers.h"
#include "job/job_journal.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>

using namespace engine;
using testsupport::ScratchDir;

namespace {

constexpr std::uint64_t kGranularity = 4096;

// A job's identity as describeJob() writes it, for an offline image source
// whose state was @p state when the job began.
JobIdentity identity(const std::string& live = "no", const std::string& state = "mtime 1.0")
{
    return {{"source", "/images/src.img"},
            {"source-id", "file:8:1:42:1048576"},
            {"source-size", "1048576"},
            {"source-block", "512"},
            {"target", "/images/dst.img"},
            {"target-id", "file:8:1:43:1048576"},
            {"target-size", "1048576"},
            {"target-block", "512"},
            {"extent", "1048576"},
            {"granularity", std::to_string(kGranularity)},
            {"sync", "full"},
            {"wipe-rest", "no"},
            {"source-key", "/images/src.img"},
            {"target-key", "/images/dst.img"},
            {"seen.live", live},
            {"seen.source-state", state}};
}

constexpr std::uint64_t kGranules = 1048576 / kGranularity; // 256

JobJournal::Options options(const ScratchDir& dir, bool resume)
{
    JobJournal::Options o;
    o.dir = dir.path().toStdString();
    o.resume = resume;
    return o;
}

// A map with the granules [first, last] of each pair in sync.
std::vector<std::uint8_t> mapWith(std::uint64_t granules,
                                  std::initializer_list<std::pair<std::uint64_t, std::uint64_t>> in)
{
    std::vector<std::uint8_t> bits(checkpointBitmapBytes(granules), 0);
    for (const auto& [first, last] : in)
        for (std::uint64_t i = first; i <= last; ++i)
            bits[i / 8] = static_cast<std::uint8_t>(bits[i / 8] | (1u << (i % 8)));
    return bits;
}

std::unique_ptr<JobJournal> openOrFail(const JobJournal::Options& o, const JobIdentity& id,
                                       std::uint64_t granules = kGranules)
{
    auto j = JobJournal::open(o, id, granules, kGranularity);
    if (!j) {
        qWarning("open: %s", j.error().message.c_str());
        return nullptr;
    }
    return std::move(*j);
}

bool setMtime(const std::string& path, std::int64_t seconds)
{
    const timespec times[2] = {{seconds, 0}, {seconds, 0}};
    return ::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0;
}

// One line of `ddrescuelog -t`: "rescued:   131636 B,  in      3 area(s)".
// From a million bytes on it shows kB, MB...: the sizes here stay below.
struct StatusLine
{
    std::uint64_t shown = 0;
    QString unit;
    int areas = -1;
};

std::optional<StatusLine> statusLine(const QString& status, const QString& name)
{
    const QRegularExpression re(QStringLiteral("%1:\\s+(\\d+) ([kMGT]?B),\\s+in\\s+(\\d+) area")
                                    .arg(QRegularExpression::escape(name)));
    const auto m = re.match(status);
    if (!m.hasMatch())
        return std::nullopt;
    return StatusLine{m.captured(1).toULongLong(), m.captured(2), m.captured(3).toInt()};
}

} // namespace

class TestJobJournal : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void open_fresh_createsJournalPlanScratch();
    void open_resume_goesOnFromLastCommit();
    void open_resume_nothingThere_refusedWritingNothing();
    void open_resume_identityDiffers_refusedSayingWhat();
    void open_resume_seenKeysIgnoredByTheIdentity();
    void resumePlan_mapOnlyForAnUnchangedOfflineSource_data();
    void resumePlan_mapOnlyForAnUnchangedOfflineSource();
    void protectedRun_afterCommit_followsTheCommittedMap();
    void invalidate_dropsDirtyGranules_andCommits();
    void stagedCommit_unstagedGranulesLeftOut_bothSlotsProtectedUntilSynced();
    void recordHashes_readBack_alsoAfterResume();
    void listSavedJobs_skipsDamaged_newestFirst();
    void loadSavedJob_inSyncBytesCappedAtExtent_unreadableMerged();
    void ddrescueMapfile_readByDdrescuelog();
};

void TestJobJournal::open_fresh_createsJournalPlanScratch()
{
    ScratchDir dir;
    // The state directory need not exist yet.
    JobJournal::Options o = options(dir, false);
    o.dir += "/state";
    auto j = openOrFail(o, identity());
    QVERIFY(j);
    QCOMPARE(name(j->plan().from), QStringLiteral("scratch"));
    const JournalPaths p = j->paths(); // a copy: the journal is replaced below
    QVERIFY2(QRegularExpression(QStringLiteral("^job-[0-9a-f]{16}$"))
                 .match(QString::fromStdString(p.id))
                 .hasMatch(),
             p.id.c_str());
    QCOMPARE(p.checkpoint, o.dir + "/" + p.id + ".ckpt");
    QCOMPARE(p.checkpoint, journalPaths(o.dir, "/images/src.img", "/images/dst.img").checkpoint);
    QCOMPARE(journalPathsOf(o.dir, p.id).hashes, p.hashes);
    QCOMPARE(testsupport::fileSize(QString::fromStdString(p.hashes)), kGranules * 8);
    // Nothing committed: no job to list or to resume yet.
    QVERIFY(!loadSavedJob(p));
    auto listed = listSavedJobs(o.dir);
    QVERIFY(listed && listed->empty());
    QCOMPARE(j->protectedRun(0, kGranules), 0u);
    QCOMPARE(j->unprotectedRun(0, kGranules), kGranules);

    QVERIFY(j->commit(mapWith(kGranules, {{0, 9}})));
    QCOMPARE(j->commits(), 1u);
    auto saved = loadSavedJob(p);
    QVERIFY2(saved, saved ? "" : saved.error().message.c_str());
    QCOMPARE(saved->inSyncBytes, 10 * kGranularity);

    // A fresh start replaces what an earlier run left.
    j.reset();
    j = openOrFail(o, identity());
    QVERIFY(j);
    QVERIFY(!loadSavedJob(p));
}

void TestJobJournal::open_resume_goesOnFromLastCommit()
{
    ScratchDir dir;
    const auto committed = mapWith(kGranules, {{0, 99}, {200, 255}});
    {
        auto j = openOrFail(options(dir, false), identity());
        QVERIFY(j);
        QVERIFY(j->commit(mapWith(kGranules, {{0, 9}})));
        QVERIFY(j->commit(committed));
    }
    auto j = openOrFail(options(dir, true), identity());
    QVERIFY(j);
    QCOMPARE(name(j->plan().from), QStringLiteral("map"));
    QVERIFY(j->plan().checkpoint.inSync == committed);
    QCOMPARE(j->plan().checkpoint.generation, 2u);
    QCOMPARE(j->protectedRun(0, kGranules), 100u);
    QCOMPARE(j->unprotectedRun(100, kGranules), 100u);
    // It commits on after the checkpoint it found.
    QVERIFY(j->commit(mapWith(kGranules, {{0, 255}})));
    auto c = CheckpointFile::load(j->paths().checkpoint);
    QVERIFY(c);
    QCOMPARE(c->generation, 3u);
    QVERIFY(c->granuleInSync(150));
}

void TestJobJournal::open_resume_nothingThere_refusedWritingNothing()
{
    ScratchDir dir;
    auto j = JobJournal::open(options(dir, true), identity(), kGranules, kGranularity);
    QVERIFY(!j);
    QCOMPARE(j.error().code, ENOENT);
    QVERIFY2(j.error().message.find("nothing to resume") != std::string::npos,
             j.error().message.c_str());
    QVERIFY2(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).isEmpty(),
             qPrintable(QDir(dir.path()).entryList().join(QLatin1Char(' '))));
}

void TestJobJournal::open_resume_identityDiffers_refusedSayingWhat()
{
    ScratchDir dir;
    {
        auto j = openOrFail(options(dir, false), identity());
        QVERIFY(j);
        QVERIFY(j->commit(mapWith(kGranules, {{0, 9}})));
    }
    const JournalPaths paths =
        journalPaths(dir.path().toStdString(), "/images/src.img", "/images/dst.img");
    // Each key that makes it another job, alone.
    for (const auto& [key, value] : std::initializer_list<std::pair<const char*, const char*>>{
             {"target-size", "2097152"},
             {"source-id", "file:8:1:99:1048576"},
             {"granularity", "65536"},
             {"sync", "top"},
             {"wipe-rest", "yes"}}) {
        JobIdentity other = identity();
        other[key] = value;
        auto j = JobJournal::open(options(dir, true), other, kGranules, kGranularity);
        QVERIFY2(!j, key);
        QCOMPARE(j.error().code, EINVAL);
        QVERIFY2(j.error().message.find("another job") != std::string::npos &&
                     j.error().message.find(key) != std::string::npos,
                 j.error().message.c_str());
    }
    // Another number of granules: refused too.
    auto j = JobJournal::open(options(dir, true), identity(), kGranules + 1, kGranularity);
    QVERIFY(!j);
    QVERIFY2(j.error().message.find("granules") != std::string::npos, j.error().message.c_str());
    // And the checkpoint is as it was: refusals write nothing.
    auto c = CheckpointFile::load(paths.checkpoint);
    QVERIFY2(c, c ? "" : c.error().message.c_str());
    QCOMPARE(c->generation, 1u);
    QVERIFY(c->inSync == mapWith(kGranules, {{0, 9}}));
}

void TestJobJournal::open_resume_seenKeysIgnoredByTheIdentity()
{
    ScratchDir dir;
    {
        auto j = openOrFail(options(dir, false), identity("no", "mtime 1.0"));
        QVERIFY(j);
        QVERIFY(j->commit(mapWith(kGranules, {{0, 9}})));
    }
    QVERIFY(!identityMismatch(identity("no", "mtime 1.0"), identity("yes", "mtime 2.0")));
    JobIdentity noSeen = identity();
    noSeen.erase("seen.live");
    noSeen.erase("seen.source-state");
    QVERIFY(!identityMismatch(identity(), noSeen));
    // Accepted, but what changed decides how far the map is trusted.
    auto j = openOrFail(options(dir, true), identity("no", "mtime 2.0"));
    QVERIFY(j);
    QCOMPARE(name(j->plan().from), QStringLiteral("compare"));
    QVERIFY2(j->plan().why.find("mtime 2.0") != std::string::npos, j->plan().why.c_str());
}

void TestJobJournal::resumePlan_mapOnlyForAnUnchangedOfflineSource_data()
{
    QTest::addColumn<QString>("liveThen");
    QTest::addColumn<QString>("stateThen");
    QTest::addColumn<QString>("liveNow");
    QTest::addColumn<QString>("stateNow");
    QTest::addColumn<QString>("from");
    const QString a = QStringLiteral("mtime 1.5 ctime 1.5 size 1048576");
    const QString b = QStringLiteral("mtime 1.5 ctime 9.0 size 1048576");
    const QString no = QStringLiteral("no");
    const QString yes = QStringLiteral("yes");
    const QString map = QStringLiteral("map");
    const QString compare = QStringLiteral("compare");
    QTest::newRow("offline, unchanged") << no << a << no << a << map;
    QTest::newRow("offline, changed") << no << a << no << b << compare;
    QTest::newRow("live then") << yes << a << no << a << compare;
    QTest::newRow("live now") << no << a << yes << a << compare;
    QTest::newRow("live both times") << yes << a << yes << a << compare;
    QTest::newRow("state unknown both times")
        << no << QStringLiteral("unknown") << no << QStringLiteral("unknown") << compare;
    QTest::newRow("state not recorded") << no << QString() << no << QString() << compare;
    QTest::newRow("live not recorded") << QString() << a << no << a << compare;
}

void TestJobJournal::resumePlan_mapOnlyForAnUnchangedOfflineSource()
{
    QFETCH(QString, liveThen);
    QFETCH(QString, stateThen);
    QFETCH(QString, liveNow);
    QFETCH(QString, stateNow);
    QFETCH(QString, from);
    auto withSeen = [](const QString& live, const QString& state) {
        JobIdentity id = identity(live.toStdString(), state.toStdString());
        if (live.isEmpty())
            id.erase("seen.live");
        if (state.isEmpty())
            id.erase("seen.source-state");
        return id;
    };
    ScratchDir dir;
    {
        auto j = openOrFail(options(dir, false), withSeen(liveThen, stateThen));
        QVERIFY(j);
        QVERIFY(j->commit(mapWith(kGranules, {{0, 127}})));
    }
    auto j = openOrFail(options(dir, true), withSeen(liveNow, stateNow));
    QVERIFY(j);
    QCOMPARE(name(j->plan().from), from);
    QVERIFY(!j->plan().why.empty());
    // Either way the plan carries the map the checkpoint holds.
    QVERIFY(j->plan().checkpoint.inSync == mapWith(kGranules, {{0, 127}}));
}

void TestJobJournal::protectedRun_afterCommit_followsTheCommittedMap()
{
    ScratchDir dir;
    auto j = openOrFail(options(dir, false), identity());
    QVERIFY(j);
    // in sync: 0-3, 6-9, 250-255 (the end)
    QVERIFY(j->commit(mapWith(kGranules, {{0, 3}, {6, 9}, {250, 255}})));
    QCOMPARE(j->protectedRun(0, 100), 4u);
    QCOMPARE(j->protectedRun(0, 2), 2u); // at most maxGranules
    QCOMPARE(j->protectedRun(2, 100), 2u);
    QCOMPARE(j->protectedRun(4, 100), 0u);
    QCOMPARE(j->unprotectedRun(4, 100), 2u);
    QCOMPARE(j->unprotectedRun(0, 100), 0u);
    QCOMPARE(j->protectedRun(6, 100), 4u);
    QCOMPARE(j->unprotectedRun(10, 1000), 240u);
    QCOMPARE(j->unprotectedRun(10, 7), 7u);
    QCOMPARE(j->protectedRun(250, 1000), 6u); // stops at the last granule
    QCOMPARE(j->protectedRun(kGranules, 10), 0u);
    QCOMPARE(j->unprotectedRun(kGranules, 10), 0u);
    // A later commit is what counts.
    QVERIFY(j->commit(mapWith(kGranules, {{4, 5}})));
    QCOMPARE(j->protectedRun(0, 100), 0u);
    QCOMPARE(j->protectedRun(4, 100), 2u);
}

void TestJobJournal::invalidate_dropsDirtyGranules_andCommits()
{
    ScratchDir dir;
    auto j = openOrFail(options(dir, false), identity());
    QVERIFY(j);
    QVERIFY(j->commit(mapWith(kGranules, {{0, 99}})));
    const std::uint64_t before = j->commits();

    // Dirty granules outside the map change nothing, and nothing is committed.
    DirtyBitmap outside(kGranules * kGranularity, kGranularity);
    outside.set(150 * kGranularity, 10 * kGranularity);
    QVERIFY(j->invalidate(outside));
    QCOMPARE(j->commits(), before);

    // A write of a few bytes across the boundary of granules 10 and 11, and
    // one of granule 50: three granules go.
    DirtyBitmap dirty(kGranules * kGranularity, kGranularity);
    dirty.set(11 * kGranularity - 10, 20);
    dirty.set(50 * kGranularity, kGranularity);
    dirty.set(150 * kGranularity, kGranularity);
    QVERIFY(j->invalidate(dirty));
    QCOMPARE(j->commits(), before + 1);
    QCOMPARE(j->protectedRun(0, kGranules), 10u);
    QCOMPARE(j->unprotectedRun(10, kGranules), 2u);
    QCOMPARE(j->protectedRun(12, kGranules), 38u);

    // What a later run finds: the file itself says so.
    auto c = CheckpointFile::load(j->paths().checkpoint);
    QVERIFY2(c, c ? "" : c.error().message.c_str());
    QCOMPARE(c->generation, 2u);
    for (std::uint64_t i = 0; i < kGranules; ++i)
        QVERIFY2(c->granuleInSync(i) == (i < 100 && i != 10 && i != 11 && i != 50),
                 qPrintable(QString::number(i)));
}

void TestJobJournal::stagedCommit_unstagedGranulesLeftOut_bothSlotsProtectedUntilSynced()
{
    ScratchDir dir;
    auto j = openOrFail(options(dir, false), identity());
    QVERIFY(j);
    QVERIFY(j->commit(mapWith(kGranules, {{0, 9}})));
    QCOMPARE(j->commits(), 1u);

    // Staged: 0-19. The job then writes 15-16 and the source dirties 18:
    // neither may be called in sync by the slot written from it.
    j->stage(mapWith(kGranules, {{0, 19}}));
    QVERIFY(j->hasStaged());
    QCOMPARE(j->protectedRun(10, 100), 0u); // staged is no promise yet
    j->unstage(15, 2);
    DirtyBitmap dirty(kGranules * kGranularity, kGranularity);
    dirty.set(18 * kGranularity + 100, 10);
    QVERIFY(j->invalidate(dirty)); // 18 is in no written slot: nothing to commit
    QCOMPARE(j->commits(), 1u);
    QVERIFY(j->writeStaged());
    QVERIFY(!j->hasStaged());
    QCOMPARE(j->commits(), 2u);
    auto c = CheckpointFile::load(j->paths().checkpoint);
    QVERIFY2(c, c ? "" : c.error().message.c_str());
    QCOMPARE(c->generation, 2u);
    for (std::uint64_t i = 0; i < 30; ++i)
        QVERIFY2(c->granuleInSync(i) == (i < 20 && i != 15 && i != 16 && i != 18),
                 qPrintable(QString::number(i)));

    // Until the written slot is synced a crash may keep the one before: a
    // granule only that one calls in sync stays protected.
    QVERIFY(j->commit(mapWith(kGranules, {{0, 9}, {40, 49}})));
    j->stage(mapWith(kGranules, {{0, 9}}));
    QVERIFY(j->writeStaged());
    QCOMPARE(j->protectedRun(40, 100), 10u);
    j->slotSynced();
    QCOMPARE(j->protectedRun(40, 100), 0u);
    QCOMPARE(j->protectedRun(0, 100), 10u);

    // A checkpoint committed at once replaces what is staged.
    j->stage(mapWith(kGranules, {{0, 99}}));
    QVERIFY(j->commit(mapWith(kGranules, {{0, 4}})));
    QVERIFY(!j->hasStaged());
    QVERIFY(j->writeStaged()); // nothing staged: nothing written
    c = CheckpointFile::load(j->paths().checkpoint);
    QVERIFY2(c, c ? "" : c.error().message.c_str());
    QVERIFY(c->granuleInSync(4));
    QVERIFY(!c->granuleInSync(5));
}

void TestJobJournal::recordHashes_readBack_alsoAfterResume()
{
    ScratchDir dir;
    std::vector<std::uint8_t> data(kGranularity, 0);
    QVERIFY(JobJournal::hashGranule(data.data(), data.size()) != 0);
    std::vector<std::uint64_t> hashes;
    for (std::uint8_t seed = 1; seed <= 3; ++seed) {
        std::fill(data.begin(), data.end(), seed);
        hashes.push_back(JobJournal::hashGranule(data.data(), data.size()));
    }
    QVERIFY(hashes[0] != hashes[1] && hashes[1] != hashes[2]);
    {
        auto j = openOrFail(options(dir, false), identity());
        QVERIFY(j);
        QVERIFY(j->recordHashes(5, hashes));
        std::vector<std::uint64_t> out(5, 99);
        QVERIFY(j->recordedHashes(4, out));
        QVERIFY(out == (std::vector<std::uint64_t>{0, hashes[0], hashes[1], hashes[2], 0}));
        // The last granules, and past the end: nothing recorded reads as 0.
        std::vector<std::uint64_t> tail(4, 99);
        QVERIFY(j->recordedHashes(kGranules - 2, tail));
        QVERIFY(tail == (std::vector<std::uint64_t>(4, 0)));
        QVERIFY(j->commit(mapWith(kGranules, {{5, 7}})));
    }
    auto j = openOrFail(options(dir, true), identity());
    QVERIFY(j);
    std::vector<std::uint64_t> out(3, 0);
    QVERIFY(j->recordedHashes(5, out));
    QVERIFY(out == hashes);
}

void TestJobJournal::listSavedJobs_skipsDamaged_newestFirst()
{
    ScratchDir dir;
    const std::string state = dir.path().toStdString();
    auto missing = listSavedJobs(state + "/none");
    QVERIFY2(missing && missing->empty(), "a missing directory is an empty list");

    // Three jobs, committed in an order that is not their age.
    const std::int64_t ages[3] = {1700000200, 1700000300, 1700000100};
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        JobIdentity id = identity();
        id["target"] = id["target-key"] = "/images/dst" + std::to_string(i) + ".img";
        auto j = openOrFail(options(dir, false), id);
        QVERIFY(j);
        QVERIFY(j->commit(mapWith(kGranules, {{0, static_cast<std::uint64_t>(i)}})));
        QVERIFY(setMtime(j->paths().checkpoint, ages[i]));
        ids.push_back(j->paths().id);
    }
    // A checkpoint that is no checkpoint, one with nothing committed, and
    // files that are not checkpoints at all.
    QFile junk(QString::fromStdString(state + "/job-00000000000000aa.ckpt"));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write(QByteArray(8192, 'x'));
    junk.close();
    {
        JobIdentity id = identity();
        id["target"] = id["target-key"] = "/images/never.img";
        QVERIFY(openOrFail(options(dir, false), id));
    }
    QFile other(QString::fromStdString(state + "/notes.txt"));
    QVERIFY(other.open(QIODevice::WriteOnly));
    other.close();

    auto jobs = listSavedJobs(state);
    QVERIFY2(jobs, jobs ? "" : jobs.error().message.c_str());
    QCOMPARE(jobs->size(), 3u);
    QCOMPARE((*jobs)[0].paths.id, ids[1]);
    QCOMPARE((*jobs)[1].paths.id, ids[0]);
    QCOMPARE((*jobs)[2].paths.id, ids[2]);
    QCOMPARE((*jobs)[0].savedAt, ages[1]);
    QCOMPARE((*jobs)[0].target, std::string("/images/dst1.img"));
    QCOMPARE((*jobs)[0].source, std::string("/images/src.img"));
    QCOMPARE((*jobs)[0].inSyncBytes, 2 * kGranularity);

    // Discarded, a job is gone from the list with all its files.
    QVERIFY(discardSavedJob((*jobs)[0].paths));
    for (const std::string* p :
         {&(*jobs)[0].paths.checkpoint, &(*jobs)[0].paths.hashes, &(*jobs)[0].paths.unreadable})
        QVERIFY2(!QFile::exists(QString::fromStdString(*p)), p->c_str());
    auto after = listSavedJobs(state);
    QVERIFY(after && after->size() == 2);
}

void TestJobJournal::loadSavedJob_inSyncBytesCappedAtExtent_unreadableMerged()
{
    ScratchDir dir;
    // 10 granules of 4 KiB over 38 KiB: the last one is half a granule.
    const std::uint64_t extent = 38 * 1024;
    JobIdentity id = identity();
    id["extent"] = std::to_string(extent);
    auto j = openOrFail(options(dir, false), id, 10);
    QVERIFY(j);
    j->addUnreadable({8192, 512});
    j->addUnreadable({8704, 512}); // adjacent: merged
    j->addUnreadable({20480, 1024});
    QVERIFY(j->commit(mapWith(10, {{0, 9}})));
    auto saved = loadSavedJob(j->paths());
    QVERIFY2(saved, saved ? "" : saved.error().message.c_str());
    QCOMPARE(saved->extent, extent);
    QCOMPARE(saved->granularity, kGranularity);
    QCOMPARE(saved->inSyncBytes, extent);
    QCOMPARE(saved->sync, std::string("full"));
    QCOMPARE(saved->unreadable, (std::vector<ByteRange>{{8192, 1024}, {20480, 1024}}));
}

void TestJobJournal::ddrescueMapfile_readByDdrescuelog()
{
    const QString tool = QStandardPaths::findExecutable(QStringLiteral("ddrescuelog"));
    if (tool.isEmpty())
        QSKIP("ddrescuelog (GNU ddrescue, Debian package gddrescue) is not installed: the "
              "mapfile cannot be checked by the tool that reads it");
    ScratchDir dir;
    // 200 granules of 4 KiB, the last one partial: an extent of
    // 819000 bytes, under the million from which ddrescuelog shows kB.
    const std::uint64_t granules = 200;
    const std::uint64_t extent = granules * kGranularity - 200;
    JobIdentity id = identity();
    id["extent"] = std::to_string(extent);
    auto j = openOrFail(options(dir, false), id, granules);
    QVERIFY(j);
    // In sync: 0-49 and 120-199 (to the partial end); unreadable: two
    // ranges inside in-sync granules, one straddling two of them, and one
    // in a granule left to copy (not in sync, so not shown as bad).
    j->addUnreadable({10 * kGranularity + 512, 1024});
    j->addUnreadable({40 * kGranularity - 512, 2048});
    j->addUnreadable({60 * kGranularity, 512});
    QVERIFY(j->commit(mapWith(granules, {{0, 49}, {120, 199}})));
    auto saved = loadSavedJob(j->paths());
    QVERIFY2(saved, saved ? "" : saved.error().message.c_str());
    const std::uint64_t bad = 1024 + 2048;
    const std::uint64_t inSync = 50 * kGranularity + (80 * kGranularity - 200);
    QCOMPARE(saved->inSyncBytes, inSync);

    const QString map = dir.file(QStringLiteral("job.map"));
    {
        QFile f(map);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const std::string text = ddrescueMapfile(*saved);
        QVERIFY(f.write(text.data(), static_cast<qint64>(text.size())) ==
                static_cast<qint64>(text.size()));
    }
    const auto status = testsupport::runCommand(tool, {QStringLiteral("-t"), map});
    QVERIFY2(status.exitCode == 0, qPrintable(status.err + status.out));
    const auto extentLine = statusLine(status.out, QStringLiteral("mapfile extent"));
    const auto rescued = statusLine(status.out, QStringLiteral("rescued"));
    const auto nonTried = statusLine(status.out, QStringLiteral("non-tried"));
    const auto badSector = statusLine(status.out, QStringLiteral("bad-sector"));
    QVERIFY2(extentLine && rescued && nonTried && badSector, qPrintable(status.out));
    QCOMPARE(extentLine->unit, QStringLiteral("B"));
    QCOMPARE(extentLine->shown, extent);
    QCOMPARE(rescued->shown, inSync - bad);
    QCOMPARE(nonTried->shown, 70 * kGranularity);
    QCOMPARE(badSector->shown, bad);
    // Finished around the two bad ranges and after 120: four areas; one
    // gap to copy; two bad areas.
    QCOMPARE(rescued->areas, 4);
    QCOMPARE(nonTried->areas, 1);
    QCOMPARE(badSector->areas, 2);

    // And exactly where: the bad 512-byte sectors ddrescuelog lists.
    const auto list = testsupport::runCommand(tool, {QStringLiteral("-l-"), map});
    QVERIFY2(list.exitCode == 0, qPrintable(list.err));
    QStringList expected;
    for (std::uint64_t s = (10 * kGranularity + 512) / 512; s < (10 * kGranularity + 1536) / 512;
         ++s)
        expected << QString::number(s);
    for (std::uint64_t s = (40 * kGranularity - 512) / 512; s < (40 * kGranularity + 1536) / 512;
         ++s)
        expected << QString::number(s);
    QCOMPARE(list.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts), expected);

    // A job with nothing in sync is all non-tried, one area.
    saved->checkpoint.inSync.assign(saved->checkpoint.inSync.size(), 0);
    {
        QFile f(map);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        const std::string text = ddrescueMapfile(*saved);
        f.write(text.data(), static_cast<qint64>(text.size()));
    }
    const auto empty = testsupport::runCommand(tool, {QStringLiteral("-t"), map});
    QVERIFY2(empty.exitCode == 0, qPrintable(empty.err + empty.out));
    const auto allNonTried = statusLine(empty.out, QStringLiteral("non-tried"));
    QVERIFY2(allNonTried, qPrintable(empty.out));
    QCOMPARE(allNonTried->shown, extent);
    QCOMPARE(allNonTried->areas, 1);
}

QTEST_GUILESS_MAIN(TestJobJournal)
#include "tst_job_journal.moc"
