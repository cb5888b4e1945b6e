// The checkpoint file a resumable job keeps: committed maps read back
// exactly; a damaged or torn newest copy leaves the one before it; a file
// with no whole copy, or none of ours, is refused; identities that differ
// say where. And the real fault: a process SIGKILLed at random moments
// while it commits, 40 times, always leaves a checkpoint that loads and is
// exactly one it committed.
#include "job/checkpoint.h"
#include "test_support.h"

#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QtTest>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

using engine::Checkpoint;
using engine::CheckpointFile;
using engine::JobIdentity;
using testsupport::ScratchDir;

namespace {

// The map generation @p g commits: a pattern no other generation has.
std::vector<std::uint8_t> mapFor(std::uint64_t g, std::uint64_t granules)
{
    std::vector<std::uint8_t> out(engine::checkpointBitmapBytes(granules));
    for (std::size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<std::uint8_t>((g * 131 + i * 7) & 0xff);
    // Bits past the last granule stay clear, as a job's map has them.
    if (granules % 8)
        out.back() &= static_cast<std::uint8_t>((1u << (granules % 8)) - 1);
    return out;
}

JobIdentity identity()
{
    return {{"source-id", "wwn:0x5000c500a1b2c3d4"},
            {"target-id", "file:259:3:4242:2147483648"},
            {"size", "2147483648"},
            {"granularity", "65536"},
            {"sync", "full"}};
}

// Flips one byte of @p path at @p offset.
bool flipByte(const QString& path, qint64 offset)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadWrite) || !f.seek(offset))
        return false;
    char c = 0;
    if (f.read(&c, 1) != 1 || !f.seek(offset))
        return false;
    c = static_cast<char>(c ^ 0x5a);
    return f.write(&c, 1) == 1;
}

constexpr qint64 kHeaderBytes = 4096;

} // namespace

class TestCheckpoint : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void commitThenLoad_newestMapAndIdentity()
    {
        ScratchDir dir;
        const std::string path = dir.file(QStringLiteral("job.ckpt")).toStdString();
        const std::uint64_t granules = 32768 + 5; // a partial last byte
        auto f = CheckpointFile::create(path, identity(), granules);
        QVERIFY2(f, f ? "" : f.error().message.c_str());
        for (std::uint64_t g = 1; g <= 3; ++g)
            QVERIFY(f->commit(mapFor(g, granules)));
        auto c = CheckpointFile::load(path);
        QVERIFY2(c, c ? "" : c.error().message.c_str());
        QCOMPARE(c->generation, 3u);
        QCOMPARE(c->granules, granules);
        QVERIFY(c->inSync == mapFor(3, granules));
        QVERIFY(c->identity == identity());
        QCOMPARE(c->granuleInSync(granules), false); // past the end

        // Reopened, it goes on after generation 3 into the older slot.
        f = CheckpointFile::reopen(path);
        QVERIFY2(f, f ? "" : f.error().message.c_str());
        QCOMPARE(f->generation(), 3u);
        QVERIFY(f->commit(mapFor(4, granules)));
        c = CheckpointFile::load(path);
        QVERIFY(c && c->generation == 4 && c->inSync == mapFor(4, granules));
    }

    void damagedNewest_theOneBeforeIsLoaded()
    {
        ScratchDir dir;
        const QString qpath = dir.file(QStringLiteral("job.ckpt"));
        const std::string path = qpath.toStdString();
        const std::uint64_t granules = 1000;
        auto f = CheckpointFile::create(path, identity(), granules);
        QVERIFY(f);
        QVERIFY(f->commit(mapFor(1, granules)));
        QVERIFY(f->commit(mapFor(2, granules)));
        // Generation 2 lives in slot 0: damage its map's last byte.
        const qint64 slotBytes = (QFileInfo(qpath).size() - kHeaderBytes) / 2;
        QVERIFY(flipByte(qpath, kHeaderBytes + 64 + 200));
        auto c = CheckpointFile::load(path);
        QVERIFY2(c, c ? "" : c.error().message.c_str());
        QCOMPARE(c->generation, 1u);
        QVERIFY(c->inSync == mapFor(1, granules));
        // Both damaged: refused, saying so.
        QVERIFY(flipByte(qpath, kHeaderBytes + slotBytes + 64 + 10));
        c = CheckpointFile::load(path);
        QVERIFY(!c);
        QCOMPARE(c.error().code, EBADMSG);
        QVERIFY2(c.error().message.find("no whole checkpoint") != std::string::npos,
                 c.error().message.c_str());
    }

    void nothingCommitted_orNotOurs_refused()
    {
        ScratchDir dir;
        const std::string path = dir.file(QStringLiteral("job.ckpt")).toStdString();
        QVERIFY(CheckpointFile::create(path, identity(), 64));
        auto c = CheckpointFile::load(path);
        QVERIFY(!c);
        QVERIFY(c.error().message.find("no whole checkpoint") != std::string::npos);

        const QString other = dir.file(QStringLiteral("other"));
        QVERIFY(testsupport::createSparse(other, 64 * 1024));
        QVERIFY(testsupport::writePattern(other, 0, 64 * 1024, 9));
        c = CheckpointFile::load(other.toStdString());
        QVERIFY(!c);
        QVERIFY2(c.error().message.find("not a DriveMirror checkpoint") != std::string::npos,
                 c.error().message.c_str());

        const QString shortFile = dir.file(QStringLiteral("short"));
        QVERIFY(testsupport::createSparse(shortFile, 3));
        c = CheckpointFile::load(shortFile.toStdString());
        QVERIFY(!c);
        QCOMPARE(c.error().code, EBADMSG);

        c = CheckpointFile::load(dir.file(QStringLiteral("absent")).toStdString());
        QVERIFY(!c);
        QCOMPARE(c.error().code, ENOENT);
    }

    void wrongMapSize_andUnstorableIdentity_refused()
    {
        ScratchDir dir;
        const std::string path = dir.file(QStringLiteral("job.ckpt")).toStdString();
        auto f = CheckpointFile::create(path, identity(), 100);
        QVERIFY(f);
        QVERIFY(!f->commit(std::vector<std::uint8_t>(12)));
        QVERIFY(f->commit(std::vector<std::uint8_t>(13)));
        QVERIFY(!CheckpointFile::create(path, {{"a=b", "c"}}, 8));
        QVERIFY(!CheckpointFile::create(path, {{"a", "two\nlines"}}, 8));
        QVERIFY(!CheckpointFile::create(path, {{"big", std::string(9000, 'x')}}, 8));
    }

    void identityMismatch_namesTheKey()
    {
        const JobIdentity then = identity();
        QVERIFY(!engine::identityMismatch(then, then));
        JobIdentity now = then;
        now["size"] = "1073741824";
        auto why = engine::identityMismatch(then, now);
        QVERIFY(why);
        QCOMPARE(QString::fromStdString(*why),
                 QStringLiteral("size: 2147483648 then, 1073741824 now"));
        now = then;
        now.erase("sync");
        QCOMPARE(QString::fromStdString(*engine::identityMismatch(then, now)),
                 QStringLiteral("sync: full then, not known now"));
        now = then;
        now["boot-id"] = "b1";
        QCOMPARE(QString::fromStdString(*engine::identityMismatch(then, now)),
                 QStringLiteral("boot-id: not recorded then, b1 now"));
    }

    // A child commits generation after generation as fast as it can; it is
    // killed at a random moment. Whatever the moment, the file loads, and
    // holds exactly the map of a generation the child committed (at least
    // the one it had finished before the kill, at most the one it was on).
    void killedWhileCommitting_alwaysAWholeCheckpoint()
    {
        ScratchDir dir;
        const std::uint64_t granules = 8 * 1024 * 1024; // 1 MiB of map: commits take a while
        auto* rng = QRandomGenerator::global();
        for (int run = 0; run < 40; ++run) {
            const std::string path = dir.file(QStringLiteral("job%1.ckpt").arg(run)).toStdString();
            int pipeFds[2];
            QVERIFY(::pipe(pipeFds) == 0);
            const pid_t child = ::fork();
            QVERIFY(child >= 0);
            if (child == 0) {
                ::close(pipeFds[0]);
                auto f = CheckpointFile::create(path, identity(), granules);
                if (!f)
                    ::_exit(2);
                for (std::uint64_t g = 1;; ++g) {
                    if (!f->commit(mapFor(g, granules)))
                        ::_exit(3);
                    // Tell the parent which generations are surely on disk.
                    if (::write(pipeFds[1], &g, sizeof g) != static_cast<ssize_t>(sizeof g))
                        ::_exit(4);
                }
            }
            ::close(pipeFds[1]);
            // Wait for the first commit, then kill at a random moment after.
            std::uint64_t done = 0;
            QVERIFY(::read(pipeFds[0], &done, sizeof done) == static_cast<ssize_t>(sizeof done));
            std::this_thread::sleep_for(std::chrono::microseconds(rng->bounded(1, 60000)));
            ::kill(child, SIGKILL);
            int status = 0;
            QVERIFY(::waitpid(child, &status, 0) == child);
            QVERIFY(WIFSIGNALED(status));
            std::uint64_t g = 0;
            while (::read(pipeFds[0], &g, sizeof g) == static_cast<ssize_t>(sizeof g))
                done = g;
            ::close(pipeFds[0]);

            auto c = CheckpointFile::load(path);
            QVERIFY2(c, c ? "" : c.error().message.c_str());
            QVERIFY2(c->generation == done || c->generation == done + 1,
                     qPrintable(QStringLiteral("run %1: loaded %2, %3 was committed")
                                    .arg(run)
                                    .arg(c->generation)
                                    .arg(done)));
            QVERIFY(c->inSync == mapFor(c->generation, granules));
            QVERIFY(c->identity == identity());
            // And the job can go on from it.
            auto again = CheckpointFile::reopen(path);
            QVERIFY2(again, again ? "" : again.error().message.c_str());
            QVERIFY(again->commit(mapFor(c->generation + 1, granules)));
            QCOMPARE(CheckpointFile::load(path)->generation, c->generation + 1);
        }
    }
};

QTEST_GUILESS_MAIN(TestCheckpoint)
#include "tst_checkpoint.moc"
