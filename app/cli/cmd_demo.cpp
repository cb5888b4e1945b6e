#include "base/units.h"
#include "commands.h"
#include "common.h"
#include "job_driver.h"
#include "signals.h"
#include "text.h"

#include <QLocale>

#include <cstdlib>

namespace cli {

namespace {

// What demo takes besides the mirror options.
struct DemoArgs
{
    std::uint64_t size = 1ull << 30;
    std::string dir = engine::defaultDemoDir();
    double live = 5;
    std::uint64_t writerRate = 8ull << 20;
};

std::optional<std::string> parseDemoOption(int opt, const char* arg, DemoArgs& d)
{
    if (opt == kDemoSize) {
        auto v = engine::parseSize(arg);
        if (!v || *v < (16u << 20))
            return fill(Cli::tr("--size: at least 16M"));
        d.size = *v;
    } else if (opt == kDemoDir) {
        d.dir = arg;
    } else if (opt == kDemoLive) {
        char* end = nullptr;
        d.live = std::strtod(arg, &end);
        if (!end || *end || d.live < 0)
            return fill(Cli::tr("--live: a number of seconds"));
    } else if (opt == kDemoWriterRate) {
        auto v = engine::parseRate(arg);
        if (!v || *v == 0)
            return fill(Cli::tr("--writer-rate: a rate above 0"));
        d.writerRate = *v;
    }
    return std::nullopt;
}

// The demo's images, its live writer and the job, run to the end.
int runDemo(MirrorArgs& a, const DemoArgs& d, const engine::Logger& log)
{
    auto images = engine::prepareDemoImages(d.dir, d.size);
    if (!images)
        return badInput(images.error().message);
    a.source = images->source;
    a.target = images->target;
    a.options.verify = true;

    // The writer needs the job for its notifications and the job needs the
    // writer for its quiesce hook: wire them through a pointer set below.
    engine::MirrorJob* jobPtr = nullptr;
    engine::DemoWriter writer(
        a.source, d.writerRate,
        [&jobPtr](std::uint64_t off, std::uint64_t len) {
            if (jobPtr)
                jobPtr->notifyWrite(off, len);
        },
        log);
    // The demo's workload ends with the job: the writer stays stopped after
    // the final copy, so the copy can be checked afterwards with cmp or
    // qemu-img compare and found identical. A real source would carry on.
    auto quiescer = engine::makeQuiescer([&writer]() -> engine::Result<void> {
        writer.pause();
        return {};
    });
    // The demo's images are made afresh each run: nothing to resume.
    a.noCheckpoints = !a.resume && a.stateDir.empty();
    auto prepared = prepareMirror(a, log, std::move(quiescer));
    if (!prepared.job())
        return prepared.code;
    jobPtr = prepared.job();
    if (auto r = writer.start(); !r)
        return badInput(r.error().message);
    log->info("{}", fill(Cli::tr("demo: a writer changes the source at %1 while it is mirrored; "
                                 "the job completes %2 s after READY and verifies the copy"),
                         {rateText(static_cast<double>(d.writerRate)),
                          QLocale().toString(d.live).toStdString()}));
    const int code = driveJob(prepared.prepared, a, log, &writer, d.live);
    writer.stop();
    return code;
}

} // namespace

int cmdDemo(int argc, char** argv)
{
    blockCancelSignals();
    MirrorArgs a;
    DemoArgs d;
    if (const engine::Invoker who = engine::currentInvoker(); who.elevated)
        return badInput("demo writes image files, which " + who.name +
                        " can do without administrator rights; run drivemirror-cli demo "
                        "without " +
                        who.via + " (rule: helper scope)");
    const CommandOptions command{
        [](const char* word) {
            return fill(Cli::tr("demo: unknown option or missing value: %1 (see --help)"), {word});
        },
        [&d](int opt, const char* arg) { return parseDemoOption(opt, arg, d); }};
    if (auto e = parseCommandLine(argc, argv, a, command))
        return badInput(*e);
    if (optind != argc)
        return badInput(fill(Cli::tr("demo takes no file arguments (see --help)")));
    auto log = makeLogger(a.verbose);
    log->info("{}", fill(Cli::tr("demo: preparing a %1 source image with data extents in %2"),
                         {sizeText(d.size), d.dir}));
    return runDemo(a, d, log);
}

} // namespace cli
