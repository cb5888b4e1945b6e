// The mirror job's parts of yielding and forecasting that need no disk: the
// job's own I/O as the block layer counts it, the mode's words, clean-to-dirty
// counting in the bitmap, and a speed limit that moves without a restart.
#include "bitmap/dirty_bitmap.h"
#include "job/mirror_job.h"
#include "job/rate_limiter.h"
#include "job/yield_controller.h"

#include <QtTest>

using namespace engine;
using namespace std::chrono_literals;

class TestYieldJob : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void ownIo_wholeRequest_onePieceWithItsLatency();
    void ownIo_splitRequest_countsEachPiece();
    void ownIo_manyShortRequests_keepTheirTimeBelowOneMs();
    void ownIo_unknownLimit_neverSplits();
    void yieldMode_wordsRoundTrip();
    void reason_machineWords();
    void bitmapSet_countsOnlyCleanToDirty();
    void rateLimiter_retune_keepsWhatWasDispatched();
    void rateLimiter_retune_toAndFromUnlimited();
    void options_defaultYieldIsAuto();
};

void TestYieldJob::ownIo_wholeRequest_onePieceWithItsLatency()
{
    OwnIo own;
    countOwnIo(own.reads, 1 << 20, 3ms, 1280 * 1024);
    QCOMPARE(own.reads.ios, quint64{1});
    QCOMPARE(own.reads.ticksMs(), 3.0);
    QCOMPARE(own.writes.ios, quint64{0});
}

void TestYieldJob::ownIo_splitRequest_countsEachPiece()
{
    // 1 MiB on a disk that takes 128 KiB at most: the kernel counts eight
    // requests and adds each one's time to the ticks.
    OwnIo own;
    countOwnIo(own.writes, 1 << 20, 2ms, 128 * 1024);
    QCOMPARE(own.writes.ios, quint64{8});
    QCOMPARE(own.writes.ticksMs(), 16.0);
    // A length that is not a multiple of the limit still ends in a piece.
    countOwnIo(own.writes, 129 * 1024, 1ms, 128 * 1024);
    QCOMPARE(own.writes.ios, quint64{10});
    QCOMPARE(own.writes.ticksMs(), 18.0);
    QCOMPARE(own.reads.ios, quint64{0});
}

void TestYieldJob::ownIo_manyShortRequests_keepTheirTimeBelowOneMs()
{
    OwnIo own;
    for (int i = 0; i < 10; ++i)
        countOwnIo(own.reads, 64 * 1024, 300us, 0);
    QCOMPARE(own.reads.ios, quint64{10});
    QCOMPARE(own.reads.ticksMs(), 3.0); // 10 x 0.3 ms, not 10 x 0
}

void TestYieldJob::ownIo_unknownLimit_neverSplits()
{
    OwnIo own;
    countOwnIo(own.reads, 16 << 20, 10ms, 0);
    QCOMPARE(own.reads.ios, quint64{1});
    QCOMPARE(own.reads.ticksMs(), 10.0);
}

void TestYieldJob::yieldMode_wordsRoundTrip()
{
    QCOMPARE(QByteArray(toString(YieldMode::Auto).data()), QByteArray("auto"));
    QCOMPARE(QByteArray(toString(YieldMode::Off).data()), QByteArray("off"));
    for (auto m : {YieldMode::Auto, YieldMode::Off})
        QVERIFY(parseYieldMode(toString(m)) == m);
    QVERIFY(!parseYieldMode("on"));
    QVERIFY(!parseYieldMode(""));
}

void TestYieldJob::reason_machineWords()
{
    using R = YieldController::Reason;
    const std::pair<R, const char*> words[] = {
        {R::Starting, "starting"},
        {R::Quiet, "quiet"},
        {R::GrowingBack, "growing-back"},
        {R::WithinTarget, "within-target"},
        {R::ForegroundDelayed, "foreground-delayed"},
        {R::MeasuringBaseline, "measuring-baseline"},
    };
    for (const auto& [reason, word] : words)
        QCOMPARE(QByteArray(toString(reason).data(), qsizetype(toString(reason).size())),
                 QByteArray(word));
}

void TestYieldJob::bitmapSet_countsOnlyCleanToDirty()
{
    DirtyBitmap b(1 << 20, 4096); // 256 granules
    QCOMPARE(b.set(0, 4096), quint64{1});
    QCOMPARE(b.set(0, 4096), quint64{0}); // a hot granule costs one copy
    QCOMPARE(b.set(100, 1), quint64{0});  // inside the same granule
    QCOMPARE(b.set(4095, 2), quint64{1}); // straddles into the next one
    QCOMPARE(b.set(0, 64 * 4096), quint64{62});
    QCOMPARE(b.set(0, 1 << 21), quint64{192});  // clipped to the disk
    QCOMPARE(b.set(2 << 20, 4096), quint64{0}); // past the end
    b.reset(8192, 8192);
    QCOMPARE(b.set(0, 1 << 20), quint64{2});
}

void TestYieldJob::rateLimiter_retune_keepsWhatWasDispatched()
{
    RateLimiter l;
    l.setSpeed(10 << 20); // 1 MiB a slice
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    l.account(3 << 20, t0); // three slices' worth
    const auto before = l.delay(t0);
    QVERIFY(before > 250ms);
    // A lower limit takes effect at once and does not forgive the debt:
    // half the quota, so twice the slices.
    l.retune(5 << 20);
    QCOMPARE(l.speed(), quint64{5 << 20});
    QVERIFY(l.delay(t0) > before);
    // setSpeed restarts the slice, which is what retune avoids.
    l.setSpeed(5 << 20);
    QCOMPARE(l.delay(t0), std::chrono::nanoseconds::zero());
}

void TestYieldJob::rateLimiter_retune_toAndFromUnlimited()
{
    RateLimiter l;
    const auto t0 = RateLimiter::Clock::time_point{} + 1h;
    l.retune(1 << 20);
    l.account(1 << 20, t0);
    QVERIFY(l.delay(t0) > std::chrono::nanoseconds::zero());
    l.retune(0);
    QCOMPARE(l.delay(t0), std::chrono::nanoseconds::zero());
    QCOMPARE(l.speed(), quint64{0});
}

void TestYieldJob::options_defaultYieldIsAuto()
{
    MirrorOptions o;
    QVERIFY(o.yield == YieldMode::Auto);
    JobSnapshot s;
    QVERIFY(!s.yield.active);
    QCOMPARE(s.yield.share, 1.0);
    QCOMPARE(s.yield.maxInFlight, 16u);
    QVERIFY(s.forecast.confidence == Forecast::Confidence::None);
}

QTEST_GUILESS_MAIN(TestYieldJob)
#include "tst_yield_job.moc"
