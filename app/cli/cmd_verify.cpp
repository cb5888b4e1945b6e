#include "commands.h"
#include "common.h"
#include "json_output.h"
#include "text.h"

#include "format.h"
#include "io/disk.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

namespace cli {

namespace {

// What a verification could not compare with A, said after its verdict.
void printVerifyCoverage(const engine::VerifyReport& r, const std::string& a, const std::string& b)
{
    if (r.bytesHashChecked > 0 || r.bytesUnchecked > 0)
        std::fprintf(stderr, "%s\n",
                     fill(Cli::tr("%1 changed on %2 after the final copy: %3 of it checked "
                                  "against hashes of what was written to %4, %5 never written "
                                  "by the job and not checked"),
                          {sizeText(r.bytesHashChecked + r.bytesUnchecked), a,
                           sizeText(r.bytesHashChecked), b, sizeText(r.bytesUnchecked)})
                         .c_str());
    if (r.bytesPastEnd > 0)
        std::fprintf(stderr, "%s\n",
                     (r.pastEndZero ? fill(Cli::tr("the %1 of %2 past the end of %3 read back "
                                                   "as zeroes"),
                                           {sizeText(r.bytesPastEnd), b, a})
                                    : fill(Cli::tr("the %1 of %2 past the end of %3 were not "
                                                   "compared"),
                                           {sizeText(r.bytesPastEnd), b, a}))
                         .c_str());
}

} // namespace

void printVerifyText(const engine::VerifyReport& r, const std::string& a, const std::string& b)
{
    if (r.identical) {
        const std::string line =
            fill(Cli::tr("identical: %1 and %2 agree over %3 (%4 read, %5 of holes on both "
                         "sides)"),
                 {a, b, sizeText(r.bytesCompared + r.bytesSkipped), sizeText(r.bytesCompared),
                  sizeText(r.bytesSkipped)});
        std::fprintf(stderr, "%s\n", line.c_str());
        printVerifyCoverage(r, a, b);
        return;
    }
    const int n = pluralCount(r.differences.size());
    const std::string line =
        r.moreDifferences
            ? fill(Cli::tr("DIFFERENT: %1 and %2 differ in more than %n range(s):", nullptr, n),
                   {a, b})
            : fill(Cli::tr("DIFFERENT: %1 and %2 differ in %n range(s):", nullptr, n), {a, b});
    std::fprintf(stderr, "%s\n", line.c_str());
    // Offsets and lengths as plain digits, ready for dd or cmp.
    for (const auto& d : r.differences)
        std::fprintf(stderr, "  %s\n",
                     fill(Cli::tr("offset %1, %2 bytes"),
                          {std::to_string(d.offset), std::to_string(d.length)})
                         .c_str());
    printVerifyCoverage(r, a, b);
}

int cmdVerify(int argc, char** argv)
{
    bool json = false;
    std::vector<std::string> paths;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--json")
            json = true;
        else if (!arg.empty() && arg[0] == '-')
            return badInput(fill(Cli::tr("verify: unknown option %1"), {arg}));
        else
            paths.push_back(arg);
    }
    if (paths.size() != 2)
        return badInput(fill(Cli::tr("verify needs two paths (see --help)")));
    for (const auto& p : paths)
        if (auto why = elevatedAccessRefusal(p, O_RDONLY))
            return badInput(why->message);
    auto log = makeLogger(false);
    auto a = engine::Disk::open(paths[0], {engine::Disk::Access::ReadOnly, true, false}, log);
    if (!a)
        return badInput(a.error().message);
    auto b = engine::Disk::open(paths[1], {engine::Disk::Access::ReadOnly, true, false}, log);
    if (!b)
        return badInput(b.error().message);
    if (b->size() < a->size())
        return badInput(fill(Cli::tr("%1 (%2) is smaller than %3 (%4)"),
                             {paths[1], sizeText(b->size()), paths[0], sizeText(a->size())}));
    engine::VerifyOptions vo;
    const bool tty = !json && ::isatty(2);
    if (tty)
        vo.progress = [](std::uint64_t done, std::uint64_t total) {
            std::fprintf(
                stderr, "\r\033[K%s",
                fill(Cli::tr("verifying %1"),
                     {ui::Format::percent(
                          total ? static_cast<double>(done) / static_cast<double>(total) : 1.0)
                          .toStdString()})
                    .c_str());
        };
    auto report = engine::verifyDisks(*a, *b, vo);
    if (tty)
        std::fprintf(stderr, "\r\033[K");
    if (!report) {
        std::fprintf(stderr, "drivemirror-cli: verify: %s\n", report.error().message.c_str());
        return kExitSource;
    }
    if (json)
        std::fprintf(stdout, "%s\n", verifyJson(*report).c_str());
    else
        printVerifyText(*report, paths[0], paths[1]);
    if (b->size() > a->size() && !json)
        std::fprintf(stderr, "%s\n",
                     fill(Cli::tr("note: %1 is %2 larger; the extra bytes were not compared"),
                          {paths[1], sizeText(b->size() - a->size())})
                         .c_str());
    return report->identical ? kExitOk : kExitDifferent;
}

} // namespace cli
