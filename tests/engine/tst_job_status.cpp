// The state and verb tables against the transitions the mirror relies on,
// and the rate limiter against a simulated clock.
#include "job/job_status.h"
#include "job/mirror_job.h"
#include "job/rate_limiter.h"

#include "engine_printers.h"

#include <QtTest>

using namespace engine;

class TestJobStatus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void verbs_matchQemuSemantics_data();
    void verbs_matchQemuSemantics();
    void transitions_lifecycleReachable();
    void transitions_terminalStatesAreFinal();
    void errorAction_tableMatchesPolicies();
    void rateLimiter_holdsRateOverTenSeconds_data();
    void rateLimiter_holdsRateOverTenSeconds();
    void rateLimiter_unlimitedNeverDelays();
    void rateLimiter_speedChangeAppliesAtOnce();
};

void TestJobStatus::verbs_matchQemuSemantics_data()
{
    QTest::addColumn<int>("verb");
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("allowed");
    auto row = [](JobVerb v, JobStatus s, bool ok) {
        QTest::addRow("%s-%s", toString(v).data(), toString(s).data())
            << static_cast<int>(v) << static_cast<int>(s) << ok;
    };
    for (std::size_t s = 0; s < kStatusCount; ++s) {
        const auto st = static_cast<JobStatus>(s);
        row(JobVerb::Complete, st, st == JobStatus::Ready);
        row(JobVerb::Pause, st, st == JobStatus::Running || st == JobStatus::Ready);
        row(JobVerb::Resume, st, st == JobStatus::Paused || st == JobStatus::Standby);
        const bool live = st == JobStatus::Created || st == JobStatus::Running ||
                          st == JobStatus::Paused || st == JobStatus::Ready ||
                          st == JobStatus::Standby;
        row(JobVerb::Cancel, st, live);
        row(JobVerb::SetSpeed, st, live);
    }
}

void TestJobStatus::verbs_matchQemuSemantics()
{
    QFETCH(int, verb);
    QFETCH(int, status);
    QFETCH(bool, allowed);
    QCOMPARE(isVerbAllowed(static_cast<JobVerb>(verb), static_cast<JobStatus>(status)), allowed);
}

void TestJobStatus::transitions_lifecycleReachable()
{
    const JobStatus happy[] = {JobStatus::Created, JobStatus::Running, JobStatus::Ready,
                               JobStatus::Waiting, JobStatus::Pending, JobStatus::Concluded,
                               JobStatus::Null};
    for (std::size_t i = 0; i + 1 < std::size(happy); ++i)
        QVERIFY2(canTransition(happy[i], happy[i + 1]), toString(happy[i]).data());
    QVERIFY(canTransition(JobStatus::Running, JobStatus::Paused));
    QVERIFY(canTransition(JobStatus::Paused, JobStatus::Running));
    QVERIFY(canTransition(JobStatus::Ready, JobStatus::Standby));
    QVERIFY(canTransition(JobStatus::Standby, JobStatus::Ready));
    for (auto s : {JobStatus::Created, JobStatus::Running, JobStatus::Paused, JobStatus::Ready,
                   JobStatus::Standby})
        QVERIFY2(canTransition(s, JobStatus::Aborting), toString(s).data());
    QVERIFY(!canTransition(JobStatus::Paused, JobStatus::Ready));
    QVERIFY(!canTransition(JobStatus::Standby, JobStatus::Running));
}

void TestJobStatus::transitions_terminalStatesAreFinal()
{
    for (std::size_t s = 0; s < kStatusCount; ++s) {
        const auto to = static_cast<JobStatus>(s);
        QVERIFY(!canTransition(JobStatus::Null, to));
        QCOMPARE(canTransition(JobStatus::Concluded, to), to == JobStatus::Null);
    }
}

void TestJobStatus::errorAction_tableMatchesPolicies()
{
    QCOMPARE(decideErrorAction(ErrorPolicy::Report, ENOSPC), ErrorAction::Report);
    QCOMPARE(decideErrorAction(ErrorPolicy::Ignore, EIO), ErrorAction::Ignore);
    QCOMPARE(decideErrorAction(ErrorPolicy::Stop, EIO), ErrorAction::Stop);
    QCOMPARE(decideErrorAction(ErrorPolicy::Enospc, ENOSPC), ErrorAction::Stop);
    QCOMPARE(decideErrorAction(ErrorPolicy::Enospc, EIO), ErrorAction::Report);
    for (auto p :
         {ErrorPolicy::Report, ErrorPolicy::Ignore, ErrorPolicy::Stop, ErrorPolicy::Enospc})
        QCOMPARE(parseErrorPolicy(toString(p)), std::optional<ErrorPolicy>(p));
    QVERIFY(!parseErrorPolicy("bogus"));
    QVERIFY(!parseSyncMode("Full"));
}

void TestJobStatus::rateLimiter_holdsRateOverTenSeconds_data()
{
    QTest::addColumn<qulonglong>("speed");
    QTest::addColumn<qulonglong>("request");
    QTest::newRow("1 MiB/s, 64 KiB requests") << qulonglong(1 << 20) << qulonglong(64 << 10);
    QTest::newRow("10 MiB/s, 1 MiB requests") << qulonglong(10 << 20) << qulonglong(1 << 20);
    QTest::newRow("100 KiB/s, 1 MiB requests") << qulonglong(100 << 10) << qulonglong(1 << 20);
    QTest::newRow("500 MiB/s, 1 MiB requests") << qulonglong(500ull << 20) << qulonglong(1 << 20);
}

void TestJobStatus::rateLimiter_holdsRateOverTenSeconds()
{
    QFETCH(qulonglong, speed);
    QFETCH(qulonglong, request);
    RateLimiter limiter;
    limiter.setSpeed(speed);
    auto now = RateLimiter::Clock::time_point{} + std::chrono::hours(1);
    const auto end = now + std::chrono::seconds(10);
    std::uint64_t sent = 0;
    while (now < end) {
        const auto d = limiter.delay(now);
        if (d > std::chrono::nanoseconds::zero()) {
            now += d;
            continue;
        }
        limiter.account(request, now);
        sent += request;
        now += std::chrono::microseconds(50); // the time a dispatch takes
    }
    const double achieved = static_cast<double>(sent) / 10.0;
    const double error =
        std::abs(achieved - static_cast<double>(speed)) / static_cast<double>(speed);
    // Requests are whole: one request of slack over ten seconds.
    const double slack = static_cast<double>(request) / 10.0 / static_cast<double>(speed);
    QVERIFY2(error <= 0.03 + slack,
             qPrintable(QStringLiteral("achieved %1 B/s for %2 B/s").arg(achieved).arg(speed)));
}

void TestJobStatus::rateLimiter_unlimitedNeverDelays()
{
    RateLimiter limiter;
    const auto now = RateLimiter::Clock::now();
    for (int i = 0; i < 1000; ++i)
        limiter.account(1 << 30, now);
    QCOMPARE(limiter.delay(now), std::chrono::nanoseconds::zero());
}

void TestJobStatus::rateLimiter_speedChangeAppliesAtOnce()
{
    RateLimiter limiter;
    limiter.setSpeed(1 << 20);
    const auto now = RateLimiter::Clock::now();
    limiter.account(8 << 20, now);
    QVERIFY(limiter.delay(now) > std::chrono::seconds(7));
    limiter.setSpeed(0);
    QCOMPARE(limiter.delay(now), std::chrono::nanoseconds::zero());
}

QTEST_APPLESS_MAIN(TestJobStatus)
#include "tst_job_status.moc"
