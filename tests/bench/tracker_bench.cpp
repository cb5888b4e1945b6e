// How many write events the kernel write tracking sustains, and what it
// costs: fio writes 4 KiB blocks as fast as it can to a loop device while a
// TraceTracker follows it; the report compares the events seen with fio's
// own count of writes and gives the CPU time of this process (which does
// nothing but track). Run on demand as root, not a test:
//
//   tracker_bench [--seconds N] [--dir DIR] [--rate IOPS]
#include "test_support.h"
#include "track/trace_tracker.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>

using namespace testsupport;

namespace {

double cpuSeconds()
{
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

struct Row
{
    QString load;
    double seconds = 0;
    double fioIops = 0;
    double events = 0;
    double bytesSeen = 0;
    double fioBytes = 0;
    std::uint64_t overflows = 0;
    double cpu = 0;
};

Row runOnce(const QString& device, int seconds, const QString& rate, std::uint32_t bufferKiB)
{
    Row row;
    row.load = rate.isEmpty() ? QStringLiteral("unlimited") : rate + QStringLiteral(" IOPS");
    engine::TraceTracker::Options o;
    o.bufferKiBPerCpu = bufferKiB;
    auto t = engine::TraceTracker::create(device.toStdString(), o);
    if (!t)
        qFatal("tracker: %s", t.error().message.c_str());
    std::atomic<std::uint64_t> bytes{0};
    if (auto r = (*t)->start([&](std::uint64_t, std::uint64_t len) { bytes += len; }, {}); !r)
        qFatal("start: %s", r.error().message.c_str());
    QStringList args{QStringLiteral("--name=w"),
                     QStringLiteral("--filename=") + device,
                     QStringLiteral("--rw=randwrite"),
                     QStringLiteral("--bs=4k"),
                     QStringLiteral("--direct=1"),
                     QStringLiteral("--ioengine=io_uring"),
                     QStringLiteral("--iodepth=32"),
                     QStringLiteral("--time_based"),
                     QStringLiteral("--runtime=%1").arg(seconds),
                     QStringLiteral("--output-format=json")};
    if (!rate.isEmpty())
        args << QStringLiteral("--rate_iops=") + rate;
    const double cpu0 = cpuSeconds();
    const auto t0 = std::chrono::steady_clock::now();
    const auto fio = runCommand(QStringLiteral("fio"), args, (seconds + 60) * 1000);
    if (auto r = (*t)->drain(); !r)
        qFatal("drain: %s", r.error().message.c_str());
    row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    row.cpu = cpuSeconds() - cpu0;
    row.events = static_cast<double>((*t)->eventsSeen());
    row.overflows = (*t)->overflows();
    row.bytesSeen = static_cast<double>(bytes.load());
    const auto job = QJsonDocument::fromJson(fio.out.toUtf8())
                         .object()
                         .value(QStringLiteral("jobs"))
                         .toArray()
                         .first()
                         .toObject()
                         .value(QStringLiteral("write"))
                         .toObject();
    row.fioIops = job.value(QStringLiteral("iops")).toDouble();
    row.fioBytes = job.value(QStringLiteral("io_bytes")).toDouble();
    (*t)->stop();
    return row;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int seconds = 10;
    QString dir = QStringLiteral("/var/tmp");
    const QStringList a = app.arguments();
    for (int i = 1; i + 1 < a.size(); i += 2) {
        if (a[i] == QStringLiteral("--seconds"))
            seconds = a[i + 1].toInt();
        else if (a[i] == QStringLiteral("--dir"))
            dir = a[i + 1];
    }
    if (!isRoot()) {
        std::fprintf(stderr, "tracker_bench: needs root (loop devices, tracefs)\n");
        return 2;
    }
    const QString img = dir + QStringLiteral("/tracker-bench.img");
    if (!createSparse(img, 1ull << 30))
        qFatal("cannot create %s", qPrintable(img));
    QString why;
    auto loop = LoopDevice::attach(img, &why);
    if (!loop)
        qFatal("%s", qPrintable(why));
    // The image's own writes land in the page cache; the loop device's
    // direct mode keeps the benchmark about the device, not the cache.
    runCommand(QStringLiteral("losetup"), {QStringLiteral("--direct-io=on"), loop->path()});

    std::printf("| fio load | events/s tracked | fio writes/s | tracked / written bytes | "
                "lost-event resyncs | tracker CPU %% of one core | CPU us per event |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
    for (const QString& rate : {QStringLiteral("1000"), QStringLiteral("10000"), QString()}) {
        const Row r = runOnce(loop->path(), seconds, rate, 8192);
        std::printf("| %s | %.0f | %.0f | %.3f | %llu | %.1f | %.1f |\n", qPrintable(r.load),
                    r.events / r.seconds, r.fioIops, r.fioBytes > 0 ? r.bytesSeen / r.fioBytes : 0,
                    static_cast<unsigned long long>(r.overflows), 100.0 * r.cpu / r.seconds,
                    r.events > 0 ? 1e6 * r.cpu / r.events : 0);
        std::fflush(stdout);
    }
    loop.reset();
    QFile::remove(img);
    return 0;
}
