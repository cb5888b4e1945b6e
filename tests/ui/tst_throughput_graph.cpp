// ThroughputGraph: nice axes, rates derived from cumulative counters, and
// the curves and the limit line where they belong.
#include "throughput_graph.h"

#include <QTest>

using ui::ThroughputGraph;

namespace {

constexpr double kMiB = 1024.0 * 1024.0;

engine::JobSnapshot snap(double t, std::uint64_t done, std::uint64_t zeroed,
                         std::uint64_t limit = 0)
{
    engine::JobSnapshot s;
    s.elapsedSeconds = t;
    s.bytesDone = done;
    s.bytesZeroed = zeroed;
    s.speedLimit = limit;
    return s;
}

} // namespace

class TestThroughputGraph : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void niceScale_roundsToFriendlySteps_data()
    {
        QTest::addColumn<double>("peak");
        QTest::addColumn<double>("top");
        QTest::addColumn<double>("step");
        QTest::addColumn<QString>("unit");
        QTest::newRow("idle") << 0.0 << 1.0 * kMiB << 0.25 * kMiB << QStringLiteral("MiB/s");
        QTest::newRow("150 MiB/s")
            << 150 * kMiB << 150 * kMiB << 50 * kMiB << QStringLiteral("MiB/s");
        QTest::newRow("73 MiB/s") << 73 * kMiB << 80 * kMiB << 20 * kMiB << QStringLiteral("MiB/s");
        QTest::newRow("2.3 GiB/s") << 2.3 * 1024 * kMiB << 3.0 * 1024 * kMiB << 1.0 * 1024 * kMiB
                                   << QStringLiteral("GiB/s");
        QTest::newRow("999 MiB/s")
            << 999 * kMiB << 1000 * kMiB << 250 * kMiB << QStringLiteral("MiB/s");
    }
    void niceScale_roundsToFriendlySteps()
    {
        QFETCH(double, peak);
        QFETCH(double, top);
        QFETCH(double, step);
        QFETCH(QString, unit);
        const auto s = ThroughputGraph::niceScale(peak);
        QCOMPARE(s.top, top);
        QCOMPARE(s.step, step);
        QCOMPARE(s.unit, unit);
        QVERIFY(s.top >= peak);
    }

    void addSample_derivesRatesFromCounters()
    {
        ThroughputGraph g;
        g.addSample(snap(0, 0, 0));
        g.addSample(snap(0.2, 10 << 20, 0)); // too soon: accumulated
        QVERIFY(g.points().empty());
        g.addSample(snap(1.0, 100 << 20, 40 << 20)); // 60 MiB data + 40 MiB zero in 1 s
        QCOMPARE(g.points().size(), std::size_t(1));
        QCOMPARE(g.points().back().data, 60 * kMiB);
        QCOMPARE(g.points().back().zero, 40 * kMiB);
        g.addSample(snap(2.0, 150 << 20, 40 << 20, 64 << 20));
        QCOMPARE(g.points().back().data, 50 * kMiB);
        QCOMPARE(g.points().back().zero, 0.0);
        QCOMPARE(g.points().back().limit, 64 * kMiB);
        QVERIFY(g.scale().top >= 64 * kMiB);
        // A new job (time going back) starts over without a bogus point.
        g.addSample(snap(0.1, 0, 0));
        QCOMPARE(g.points().size(), std::size_t(2));
        g.clear();
        QVERIFY(g.points().empty());
    }

    void span_growsWithTheJob()
    {
        ThroughputGraph g;
        std::uint64_t done = 0;
        QCOMPARE(g.spanSeconds(), 60.0);
        for (int t = 0; t <= 400; ++t) {
            g.addSample(snap(t, done, 0));
            done += 10 << 20;
            if (t == 90)
                QCOMPARE(g.spanSeconds(), 120.0);
        }
        QCOMPARE(g.spanSeconds(), 300.0);
    }

    void paint_curveAndLimitLine_whereExpected()
    {
        ThroughputGraph g;
        g.resize(600, 260);
        std::uint64_t done = 0;
        for (int i = 0; i <= 40; ++i) {
            g.addSample(snap(i * 0.5, done, 0, 80 << 20));
            done += 20 << 20; // 40 MiB/s
        }
        QVERIFY(g.scale().top >= 80 * kMiB);
        const QImage img = g.grab().toImage();
        // The dashed red limit line sits at the top of the axis; the blue
        // data line at half height. Look for both colours in the right half.
        int red = 0;
        int blue = 0;
        for (int y = 0; y < img.height(); ++y)
            for (int x = img.width() / 2; x < img.width() - 20; ++x) {
                const QColor c = img.pixelColor(x, y);
                if (c.red() > 170 && c.green() < 80 && c.blue() < 80)
                    ++red;
                if (c.blue() > 170 && c.red() < 80 && c.green() < 150)
                    ++blue;
            }
        QVERIFY2(red > 50, qPrintable(QString::number(red)));
        QVERIFY2(blue > 50, qPrintable(QString::number(blue)));
    }
};

QTEST_MAIN(TestThroughputGraph)
#include "tst_throughput_graph.moc"
