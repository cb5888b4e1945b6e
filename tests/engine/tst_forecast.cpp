// Tests for the convergence forecast, on traces shaped like the job's
// progress events: every 100 ms the granules newly dirtied, the bytes copied
// and what remains, with the jitter a real disk shows.
#include "engine_printers.h"
#include "forecast.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

using engine::Forecast;
using engine::ForecastSample;
using Remedy = Forecast::Remedy;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;
constexpr std::uint64_t kGranule = 64 * 1024;
constexpr auto kInterval = std::chrono::milliseconds(100);

/// Deterministic jitter in [-1, 1] (a small LCG: the same trace every run).
class Jitter
{
public:
    double next()
    {
        m_state = m_state * 6364136223846793005ull + 1442695040888963407ull;
        return static_cast<double>(m_state >> 11) / static_cast<double>(1ull << 53) * 2.0 - 1.0;
    }

private:
    std::uint64_t m_state = 42;
};

/// A mirror in progress: copies at copyRate (bytes/s) while writers dirty
/// clean granules at dirtyRate, each rate varying by +-jitter per interval.
/// The remaining bytes follow from both, as in the job.
struct TraceRecorder
{
    double remaining = 0;
    double copyRate = 200 * kMiB;
    double dirtyRate = 20 * kMiB;
    double jitter = 0.3;
    double writtenPerDirtied = 1.0; ///< bytes the writers wrote per byte dirtied
    std::uint64_t speedLimit = 0;
    bool yielding = false;
    std::chrono::steady_clock::time_point now{std::chrono::seconds(100)};
    double elapsed = 0;
    bool caughtUp = false;
    Jitter random;

    ForecastSample next()
    {
        const double seconds = std::chrono::duration<double>(kInterval).count();
        const double copied =
            std::min(remaining, copyRate * (1.0 + jitter * random.next()) * seconds);
        // READY: the copy caught up with everything dirty (what the writers
        // dirty afterwards is the residue READY keeps mirroring).
        caughtUp = copied >= remaining;
        const auto granules = static_cast<std::uint64_t>(
            std::max(0.0, dirtyRate * (1.0 + jitter * random.next()) * seconds) / kGranule);
        remaining = remaining - copied + static_cast<double>(granules * kGranule);
        now += kInterval;
        elapsed += seconds;
        ForecastSample s;
        s.time = now;
        s.newlyDirtyGranules = granules;
        s.copiedBytes = static_cast<std::uint64_t>(copied);
        s.remainingBytes = static_cast<std::uint64_t>(remaining);
        s.writtenBytes = static_cast<std::uint64_t>(static_cast<double>(granules * kGranule) *
                                                    writtenPerDirtied);
        s.speedLimit = speedLimit;
        s.yielding = yielding;
        return s;
    }
};

/// A trace of @p remainingMiB to copy at @p copyMiB per second while
/// @p dirtyMiB per second of clean granules turn dirty.
TraceRecorder makeTrace(double remainingMiB, double copyMiB, double dirtyMiB, double jitter = 0.3)
{
    TraceRecorder t;
    t.remaining = remainingMiB * kMiB;
    t.copyRate = copyMiB * kMiB;
    t.dirtyRate = dirtyMiB * kMiB;
    t.jitter = jitter;
    return t;
}

Forecast::Estimate feed(Forecast& f, TraceRecorder& trace, double seconds)
{
    const int steps = static_cast<int>(std::lround(seconds / 0.1));
    for (int i = 0; i < steps; ++i)
        f.addSample(trace.next());
    return f.estimate();
}

bool has(const std::vector<Remedy>& list, Remedy r)
{
    return std::find(list.begin(), list.end(), r) != list.end();
}

} // namespace

class TestForecast : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fewSamples_noConfidenceNoNumbers();
    void steadyState_etaWithinTenPercentOfReady();
    void steadyState_freezeFromResidue();
    void hotSetFasterThanCopy_willNotConverge();
    void remedies_followTheCause();
    void shortBurst_doesNotFlip_sustainedOneDoes();
    void hysteresis_nearTheEdge_doesNotBlink();
    void dirtyRate_countsGranulesNotBytesWritten();
};

void TestForecast::fewSamples_noConfidenceNoNumbers()
{
    Forecast f(kGranule);
    TraceRecorder trace;
    trace.remaining = 8 * 1024 * kMiB;
    const auto first = f.addSample(trace.next());
    QCOMPARE(engine::name(first.confidence), engine::name(Forecast::Confidence::None));
    QVERIFY(!first.secondsToReady);
    auto e = feed(f, trace, 1.0);
    QCOMPARE(engine::name(e.confidence), engine::name(Forecast::Confidence::None));
    QVERIFY(!e.secondsToReady);
    QVERIFY(!e.freezeSeconds);
    e = feed(f, trace, 2.0);
    QCOMPARE(engine::name(e.confidence), engine::name(Forecast::Confidence::Low));
    QVERIFY(e.secondsToReady.has_value());
    e = feed(f, trace, 8.0);
    QCOMPARE(engine::name(e.confidence), engine::name(Forecast::Confidence::Good));
}

void TestForecast::steadyState_etaWithinTenPercentOfReady()
{
    Forecast f(kGranule);
    TraceRecorder trace;
    const double total = 8 * 1024 * kMiB;
    trace.remaining = total;
    // Dirtying at 30% of the copy rate: a forecast that ignored it (R / C)
    // would be 30% short.
    trace.dirtyRate = 60 * kMiB;
    double copied = 0;
    std::optional<double> eta;
    double etaAt = 0;
    while (!trace.caughtUp && trace.elapsed < 600) {
        const auto s = trace.next();
        copied += static_cast<double>(s.copiedBytes);
        const auto& e = f.addSample(s);
        if (!eta && copied >= 0.1 * total) {
            QVERIFY(e.converges);
            QVERIFY(e.confidence != Forecast::Confidence::None);
            eta = e.secondsToReady;
            etaAt = trace.elapsed;
            QVERIFY(eta.has_value());
        }
    }
    QVERIFY(trace.caughtUp);
    const double actual = trace.elapsed - etaAt;
    qInfo("at 10%% copied (%.1f s): forecast %.1f s to READY, took %.1f s", etaAt, *eta, actual);
    // Expected: 8 GiB / (200 - 60) MiB/s = 58.5 s in all.
    QVERIFY2(std::abs(*eta - actual) <= 0.10 * actual,
             qPrintable(QStringLiteral("eta %1 s, actual %2 s").arg(*eta).arg(actual)));
    // At READY only the residue is left: seconds, not the 45 of the start.
    QVERIFY(*f.estimate().secondsToReady < 1.0);
}

void TestForecast::steadyState_freezeFromResidue()
{
    Forecast f(kGranule);
    TraceRecorder trace;
    trace.remaining = 4 * 1024 * kMiB;
    const auto e = feed(f, trace, 15.0);
    QVERIFY(e.freezeSeconds.has_value());
    // 20 MiB/s dirtied over a 0.1 s round, behind by 1 / (1 - 0.1): 2.2 MiB,
    // copied at 200 MiB/s: 11 ms.
    const double expected = 20.0 * 0.1 / 0.9 / 200.0;
    QVERIFY2(std::abs(*e.freezeSeconds - expected) < 0.3 * expected,
             qPrintable(QString::number(*e.freezeSeconds)));

    // Near the edge the residue grows fast: D = 0.9 C gives 9x the round.
    Forecast g(kGranule);
    TraceRecorder hot = makeTrace(4096, 200, 180, 0.05);
    const auto eh = feed(g, hot, 15.0);
    QVERIFY(eh.converges);
    QVERIFY(eh.freezeSeconds.has_value());
    QVERIFY2(*eh.freezeSeconds > 0.5 && *eh.freezeSeconds < 1.5,
             qPrintable(QString::number(*eh.freezeSeconds)));
}

void TestForecast::hotSetFasterThanCopy_willNotConverge()
{
    // A 2 GiB hot set rewritten faster than the copy gets round it: every
    // copied granule is dirty again before long, and the rest grows.
    Forecast f(kGranule);
    TraceRecorder hot = makeTrace(2048, 100, 110);
    const auto e = feed(f, hot, 10.0);
    QVERIFY(!e.converges);
    QVERIFY(!e.secondsToReady);
    QVERIFY(!e.freezeSeconds);
    QVERIFY(e.freezeIfCompletedNow.has_value());
    // Completing now copies all that is dirty under the freeze: ~20 s.
    QVERIFY(*e.freezeIfCompletedNow > 15 && *e.freezeIfCompletedNow < 30);
    QVERIFY(!e.remedies.empty());
    QCOMPARE(engine::name(e.remedies.back()), engine::name(Remedy::AcceptLongerFreeze));
    // Nothing limits the copy here, so neither remedy for a limit applies.
    QVERIFY(!has(e.remedies, Remedy::RaiseSpeedLimit));
    QVERIFY(!has(e.remedies, Remedy::TurnYieldOff));
}

void TestForecast::remedies_followTheCause()
{
    TraceRecorder limited = makeTrace(2048, 50, 60, 0.05);
    limited.speedLimit = static_cast<std::uint64_t>(50 * kMiB);
    limited.yielding = true;
    limited.writtenPerDirtied = 4096.0 / kGranule; // 4 KiB writes, one per granule
    Forecast f(kGranule);
    auto e = feed(f, limited, 10.0);
    QVERIFY(!e.converges);
    QVERIFY(has(e.remedies, Remedy::RaiseSpeedLimit));
    QVERIFY(has(e.remedies, Remedy::TurnYieldOff));
    QVERIFY(has(e.remedies, Remedy::FinerGranularity));
    QVERIFY(has(e.remedies, Remedy::AcceptLongerFreeze));

    // Whole-granule writes and a limit far above the rate: only the freeze.
    TraceRecorder plain = limited;
    plain.speedLimit = static_cast<std::uint64_t>(500 * kMiB);
    plain.yielding = false;
    plain.writtenPerDirtied = 1.0;
    Forecast g(kGranule);
    e = feed(g, plain, 10.0);
    QVERIFY(!e.converges);
    QVERIFY(e.remedies == std::vector<Remedy>{Remedy::AcceptLongerFreeze});

    // A granule already at 4 KiB cannot usefully get finer.
    Forecast fine(4096);
    TraceRecorder small = limited;
    e = feed(fine, small, 10.0);
    QVERIFY(!has(e.remedies, Remedy::FinerGranularity));
}

void TestForecast::shortBurst_doesNotFlip_sustainedOneDoes()
{
    Forecast f(kGranule);
    TraceRecorder trace;
    trace.remaining = 16 * 1024 * kMiB;
    trace.dirtyRate = 100 * kMiB; // half the copy rate
    const auto before = feed(f, trace, 20.0);
    QVERIFY(before.converges);
    const double etaBefore = *before.secondsToReady;

    trace.dirtyRate = 600 * kMiB; // a 1.5 s burst at 3x the copy rate
    for (int i = 0; i < 15; ++i) {
        const auto& e = f.addSample(trace.next());
        QVERIFY2(e.converges, qPrintable(QStringLiteral("flipped after %1 ms").arg(i * 100)));
        QVERIFY(e.secondsToReady.has_value());
    }
    QVERIFY(*f.estimate().secondsToReady > etaBefore); // it does move the forecast
    trace.dirtyRate = 100 * kMiB;
    const auto after = feed(f, trace, 10.0);
    QVERIFY(after.converges);

    trace.dirtyRate = 600 * kMiB; // the same load, kept up: it is real
    const auto sustained = feed(f, trace, 10.0);
    QVERIFY(!sustained.converges);
}

void TestForecast::hysteresis_nearTheEdge_doesNotBlink()
{
    Forecast f(kGranule);
    TraceRecorder edge = makeTrace(2048, 100, 105, 0.05);
    QVERIFY(!feed(f, edge, 15.0).converges);
    // Hovering at 95% of the copy rate: still not converging in practice.
    edge.dirtyRate = 95 * kMiB;
    for (int i = 0; i < 200; ++i)
        QVERIFY(!f.addSample(edge.next()).converges);
    // Clearly below: it converges again.
    edge.dirtyRate = 50 * kMiB;
    QVERIFY(feed(f, edge, 20.0).converges);
}

void TestForecast::dirtyRate_countsGranulesNotBytesWritten()
{
    // The job reports clean-to-dirty transitions; the forecast must take a
    // granule's worth for each, whatever the writers wrote.
    Forecast f(kGranule);
    ForecastSample s;
    s.time = std::chrono::steady_clock::time_point(std::chrono::seconds(1));
    s.remainingBytes = 1ull << 30;
    f.addSample(s);
    for (int i = 0; i < 30; ++i) {
        s.time += kInterval;
        s.newlyDirtyGranules = 16;    // 1 MiB of granules per interval
        s.writtenBytes = 64ull << 20; // rewriting hot data costs nothing more
        s.copiedBytes = 10ull << 20;  // 100 MiB/s
        s.remainingBytes -= (10ull << 20) - (1ull << 20);
        f.addSample(s);
    }
    const auto& e = f.estimate();
    QVERIFY(std::abs(e.dirtyRate - 10 * kMiB) < 0.01 * kMiB);
    QVERIFY(std::abs(e.copyRate - 100 * kMiB) < 0.01 * kMiB);
    QVERIFY(e.converges);
    const double expected = static_cast<double>(s.remainingBytes) / (90 * kMiB);
    QVERIFY(std::abs(*e.secondsToReady - expected) < 0.01 * expected);
}

QTEST_GUILESS_MAIN(TestForecast)
#include "tst_forecast.moc"
