#include "cli.h"

#include "demo.h"
#include "device_catalog.h"
#include "disk.h"
#include "format.h"
#include "job_setup.h"
#include "json_writer.h"
#include "live_source.h"
#include "mirror_job.h"
#include "safety.h"
#include "units.h"
#include "verify.h"
#include "version.h"

#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <QCoreApplication>
#include <QLocale>
#include <QString>
#include <QStringList>
#include <QTextBoundaryFinder>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <initializer_list>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cli {

namespace {

using Clock = std::chrono::steady_clock;

// No command is longer; a longer line is garbage and is skipped unread.
constexpr std::size_t kMaxCommandLine = 4096;
// --complete-when-ready tries Complete this often before it gives up.
constexpr int kCompleteAttempts = 3;
constexpr std::uint64_t kMaxBufSize = 1ull << 30;

// Everything the CLI prints for a person goes through tr() in the context
// "cli" (translations/*.ts), in the language QLocale::system() names. What
// programs read stays as it is in every locale: --json output, the stdin
// command words, option names, the logger's level prefix ("info: "), the
// "drivemirror-cli: " prefix, and messages that come from the engine, which
// are English by design (they are also what a bug report quotes).
class Cli
{
    Q_DECLARE_TR_FUNCTIONS(cli)
};

// A translated text with %1..%9 replaced by @p args. The arguments go in as
// bytes: a path need not be UTF-8, and an argument that itself contains "%2"
// is not replaced again (as chained QString::arg calls would).
std::string fill(const QString& text, std::initializer_list<std::string_view> args = {})
{
    const std::string t = text.toStdString();
    std::string out;
    out.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '%' && i + 1 < t.size() && t[i + 1] >= '1' && t[i + 1] <= '9') {
            const auto n = static_cast<std::size_t>(t[i + 1] - '1');
            if (n < args.size()) {
                out += *(args.begin() + n);
                ++i;
                continue;
            }
        }
        out += t[i];
    }
    return out;
}

// Sizes, rates, durations and numbers for a person, in the user's locale
// (the desktop app's formatter). Logs of the engine and JSON keep the C locale.
// What a disk holds, in the user's language (the window's names for it).
std::string signatureText(const std::string& engineText)
{
    return ui::Format::signature(QString::fromStdString(engineText)).toStdString();
}

std::string sizeText(std::uint64_t bytes)
{
    return ui::Format::bytes(bytes).toStdString();
}

std::string rateText(double bytesPerSecond)
{
    return ui::Format::rate(bytesPerSecond).toStdString();
}

std::string durationText(double seconds)
{
    return ui::Format::duration(seconds).toStdString();
}

std::string numberText(double value, int decimals)
{
    return QLocale().toString(value, 'f', decimals).toStdString();
}

// A count of bytes with the locale's digit grouping; plain digits in the C
// locale, as the CLI printed them before it had translations.
std::string countText(std::uint64_t value)
{
    QLocale locale;
    if (locale.language() == QLocale::C)
        locale.setNumberOptions(QLocale::OmitGroupSeparator);
    return locale.toString(static_cast<qulonglong>(value)).toStdString();
}

// The kinds DeviceInfo::kind() names, as the list shows them. (QString:
// lupdate loses the tr() context of a function that returns std::string.)
QString kindText(const std::string& kind)
{
    if (kind == "disk")
        return Cli::tr("disk");
    if (kind == "SSD")
        return Cli::tr("SSD");
    if (kind == "partition")
        return Cli::tr("partition");
    if (kind == "loop")
        return Cli::tr("loop");
    if (kind == "loop partition")
        return Cli::tr("loop partition");
    if (kind == "USB")
        return Cli::tr("USB");
    if (kind == "SD card")
        return Cli::tr("SD card");
    if (kind == "virtual")
        return Cli::tr("virtual");
    return QString::fromStdString(kind); // one this CLI does not know yet: as the engine names it
}

// tr()'s plural count is an int; beyond it every language uses its plural.
int pluralCount(std::uint64_t n)
{
    return static_cast<int>(std::min<std::uint64_t>(n, INT_MAX));
}

// East Asian wide characters take two columns of a terminal.
bool isWide(char32_t c)
{
    return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) ||
           (c >= 0x3041 && c <= 0x33ff) || (c >= 0x3400 && c <= 0x4dbf) ||
           (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) ||
           (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
           (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
           (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
}

int displayWidth(const QString& s)
{
    int width = 0;
    for (const char32_t c : s.toUcs4())
        width += isWide(c) ? 2 : 1;
    return width;
}

int displayWidth(std::string_view s)
{
    return displayWidth(QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())));
}

// @p s cut to @p width columns (with "…" when cut) and padded to them.
std::string fitText(const std::string& s, int width, bool alignRight = false)
{
    std::string out = s;
    if (displayWidth(out) > width) {
        QString q = QString::fromStdString(s);
        while (!q.isEmpty() && displayWidth(q) > width - 1)
            q.chop(1);
        out = q.toStdString() + "…";
    }
    const std::string pad(static_cast<std::size_t>(std::max(0, width - displayWidth(out))), ' ');
    return alignRight ? pad + out : out + pad;
}

// @p text wrapped to lines of at most @p width columns, for output that
// continues at column @p indent (every further line is indented as much).
// Lines break after spaces and, in Chinese or Japanese text, between
// characters where Unicode line breaking allows it (so never before "、" or
// "。"); never inside a word or an option name such as --cancel-on-eof, nor
// between a number and what follows it.
std::string wrapText(const QString& text, int indent, int width = 79)
{
    QStringList pieces;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Line, text);
    qsizetype start = 0;
    for (qsizetype pos = finder.toNextBoundary(); pos > 0 && pos < text.size();
         pos = finder.toNextBoundary()) {
        const QChar before = text.at(pos - 1);
        // A number stays with its unit: "64 MiB", not "64" at a line's end.
        const bool afterNumber = before.isSpace() && pos >= 2 && text.at(pos - 2).isDigit();
        if ((before.isSpace() && !afterNumber) || isWide(before.unicode()) ||
            isWide(text.at(pos).unicode())) {
            pieces << text.mid(start, pos - start);
            start = pos;
        }
    }
    pieces << text.mid(start);

    const auto withoutTrailingSpace = [](const QString& s) {
        qsizetype n = s.size();
        while (n > 0 && s.at(n - 1).isSpace())
            --n;
        return s.left(n);
    };
    std::string out;
    QString line;
    int column = indent;
    for (const QString& piece : pieces) {
        if (!line.isEmpty() && column + displayWidth(withoutTrailingSpace(piece)) > width) {
            out += withoutTrailingSpace(line).toStdString() + "\n" +
                   std::string(static_cast<std::size_t>(indent), ' ');
            line.clear();
            column = indent;
        }
        line += piece;
        column += displayWidth(piece);
    }
    return out + withoutTrailingSpace(line).toStdString();
}

void printHelp()
{
    struct Option
    {
        const char* names;
        QString text;
    };
    const Option options[] = {
        {"--sync full|top|none",
         Cli::tr("full: everything; top: only the allocated extents of SOURCE (holes stay "
                 "untouched); none: only what is written to SOURCE during the job (default "
                 "full)")},
        {"--granularity SIZE",
         Cli::tr("dirty-tracking unit, a power of two from 512 B to 64 MiB (default 64 KiB, or "
                 "the target's physical block size when larger)")},
        {"--buf-size SIZE",
         Cli::tr("copy buffer, split into up to 16 requests (default 16M, at most 1G); rounded "
                 "up to whole granules, at least one, as QEMU does")},
        {"--speed RATE", Cli::tr("limit in bytes per second, e.g. 100M (default 0 = unlimited)")},
        {"--on-source-error P",
         Cli::tr("report|ignore|stop|enospc (default report); ignore re-reads a failed range "
                 "block by block, writes zeroes where nothing can be read and lists those "
                 "ranges at the end")},
        {"--on-target-error P", Cli::tr("report|ignore|stop|enospc (default report)")},
        {"--no-unmap", Cli::tr("write zeroes instead of discarding them (target fully allocated)")},
        {"--complete-when-ready", Cli::tr("complete as soon as the job is READY")},
        {"--cancel-when-ready", Cli::tr("cancel as soon as the job is READY (a consistent copy)")},
        {"--verify",
         Cli::tr("after the final copy, once SOURCE runs again, compare TARGET with SOURCE, and "
                 "where SOURCE changed since, with hashes of what was written (8 bytes per "
                 "granule)")},
        {"--max-freeze SECONDS",
         Cli::tr("longest time SOURCE's file systems stay frozen for the final copy (default "
                 "10, from 0.1 to 3600); a final copy that takes longer is abandoned, SOURCE is "
                 "thawed and the job goes on mirroring")},
        {"--wipe-rest",
         Cli::tr("clear TARGET past the end of SOURCE (a larger disk), so nothing of its old "
                 "data stays there; without it those bytes are kept and not compared")},
        {"--force", Cli::tr("accept a target block device that holds data")},
        {"--expect-id ID",
         Cli::tr("refuse unless TARGET is still what you checked: the disk with this identity "
                 "(the id in `list --json`), or the image file with this identity (the id in "
                 "`inspect --json`: file:DEVMAJ:DEVMIN:INO:SIZE, or absent for a file the job "
                 "creates)")},
        {"--no-tracking",
         Cli::tr("do not track writes to a block-device source (only for sources nothing "
                 "writes to; refused if mounted)")},
        {"--json", Cli::tr("one JSON object per line on stdout (QMP-style events)")},
        {"--progress-interval MS",
         Cli::tr("BLOCK_JOB_PROGRESS every MS milliseconds (default 1000)")},
        {"--map-cells N", Cli::tr("add the dirty map (N cells, hex) to progress events")},
        {"--cancel-on-eof",
         Cli::tr("cancel the job when stdin is closed (for a program that drives the CLI "
                 "through a pipe)")},
        {"--no-command-queue",
         Cli::tr("refuse a command the job cannot take at once instead of holding it until it "
                 "can (for a program that follows the job's state itself)")},
        {"--keep-incomplete",
         Cli::tr("keep a target file the job created when it fails or is cancelled before "
                 "READY (for a program that asks its user instead)")},
        {"-v, --verbose", Cli::tr("debug messages on stderr")},
    };
    constexpr int kDescriptionColumn = 27;
    std::string out = fill(Cli::tr("Usage:")) + "\n";
    out += "  drivemirror-cli mirror SOURCE TARGET " + fill(Cli::tr("[options]")) + "\n";
    out += "  drivemirror-cli verify A B [--json]\n"
           "  drivemirror-cli info PATH [--json]\n"
           "  drivemirror-cli inspect TARGET [--source SOURCE] [--expect-id ID] [--json]\n"
           "  drivemirror-cli list [--json]\n"
           "  drivemirror-cli demo [--size SIZE] [--dir DIR] [--live SECONDS] "
           "[--writer-rate RATE] [--json]\n"
           "  drivemirror-cli --version | --help\n\n";
    out += wrapText(Cli::tr("mirror copies SOURCE to TARGET (image files or block devices) "
                            "with QEMU's drive-mirror semantics and keeps TARGET in sync until "
                            "you complete or cancel. A TARGET that does not exist is created "
                            "as a sparse file of SOURCE's size."),
                    0) +
           "\n\n";
    out += fill(Cli::tr("Mirror options:")) + "\n";
    for (const Option& o : options) {
        std::string line = std::string("  ") + o.names;
        if (static_cast<int>(line.size()) >= kDescriptionColumn - 1)
            line += "\n" + std::string(kDescriptionColumn, ' ');
        else
            line += std::string(kDescriptionColumn - line.size(), ' ');
        out += line + wrapText(o.text, kDescriptionColumn) + "\n";
    }
    out += "\n";
    const QString paragraphs[] = {
        Cli::tr("Without --complete-when-ready or --cancel-when-ready the job waits at READY. "
                "Commands are read on stdin, one per line, whenever it is open: complete, "
                "cancel, cancel quick, pause, resume, speed RATE, status, each optionally "
                "followed by id=WORD, which the JSON reply carries back. complete sent before "
                "READY is carried out at READY. When stdin ends without --cancel-on-eof, the "
                "job goes on: a job at READY keeps mirroring until a signal or "
                "--complete-when-ready ends it. After READY, cancel freezes SOURCE for a "
                "final copy as complete does, so TARGET is a copy of one moment; cancel quick "
                "does not, and a live SOURCE's copy is then like a disk after a power cut. "
                "SIGINT, SIGTERM, SIGHUP and the other signals that would end the program "
                "cancel quickly."),
        Cli::tr("inspect applies every rule that needs no write to TARGET (for SOURCE, when "
                "given) and tells what TARGET holds and its identity, which mirror --expect-id "
                "takes to refuse anything else under that name: exit 0 when it would be "
                "accepted, 2 when a rule refuses it."),
        Cli::tr("SIZE and RATE: bytes, or a number with K, M, G, T (binary; KiB, MiB... too). "
                "A value that rounds down to 0, exponents (1e3), abbreviated and repeated "
                "options are refused."),
        Cli::tr("Exit codes: 0 done as asked; 1 internal error; 2 bad input or refused by a "
                "safety rule (nothing written); 3 source failed; 4 target failed; 5 cancelled "
                "before READY (target incomplete); 6 verification found differences; 7 "
                "--complete-when-ready could not complete, because SOURCE could not be frozen "
                "for the final copy (long enough); TARGET is like a disk after a power cut; 8 "
                "completed, but --on-source-error or --on-target-error ignore left ranges "
                "zeroed or unwritten: the copy is not whole. A TARGET file the job created is "
                "removed again when the job fails or is cancelled before READY."),
    };
    for (std::size_t i = 0; i < std::size(paragraphs); ++i)
        out += (i ? "\n" : "") + wrapText(paragraphs[i], 0) + "\n";
    std::fputs(out.c_str(), stdout);
}

engine::Logger makeLogger(bool verbose)
{
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    auto log = std::make_shared<spdlog::logger>("drivemirror", sink);
    // On a terminal, clear the live progress line before a message so the
    // two never mix; the next progress tick draws it again.
    log->set_pattern(::isatty(2) ? "\r\033[K%^%l%$: %v" : "%l: %v");
    log->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
    return log;
}

int badInput(const std::string& message)
{
    std::fprintf(stderr, "drivemirror-cli: %s\n", message.c_str());
    return kExitBadInput;
}

std::string timestampJson()
{
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
    return JsonObject()
        .add("seconds", static_cast<std::int64_t>(us / 1000000))
        .add("microseconds", static_cast<std::int64_t>(us % 1000000))
        .str();
}

void printEvent(const std::string& name, const JsonObject& data)
{
    const std::string line = JsonObject()
                                 .add("event", name)
                                 .addRaw("data", data.str())
                                 .addRaw("timestamp", timestampJson())
                                 .str();
    std::fprintf(stdout, "%s\n", line.c_str());
    std::fflush(stdout);
}

// A refusal, in the form QMP answers a failed command; @p id is the
// command's own, when it gave one.
void printError(const engine::Error& error, const std::string& id = {})
{
    JsonObject e;
    e.add("class", "GenericError").add("desc", error.message).add("errno", error.code);
    if (error.rule != engine::Rule::None)
        e.add("rule", engine::ruleName(error.rule));
    JsonObject o;
    o.addRaw("error", e.str());
    if (!id.empty())
        o.add("id", id);
    std::fprintf(stdout, "%s\n", o.str().c_str());
    std::fflush(stdout);
}

std::string rangesJson(const std::vector<engine::ByteRange>& ranges)
{
    std::string out = "[";
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        if (i)
            out += ", ";
        out += JsonObject().add("offset", ranges[i].offset).add("length", ranges[i].length).str();
    }
    return out + "]";
}

// The dirty map as two hex digits per cell (00 clean .. ff all dirty): the
// form a front end in another process can paint from.
std::string hexCells(const std::vector<std::uint8_t>& cells)
{
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(cells.size() * 2);
    for (const std::uint8_t c : cells) {
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
    return out;
}

std::string stringArray(const std::vector<std::string>& v)
{
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i)
        out += (i ? ", " : "") + jsonQuote(v[i]);
    return out + "]";
}

const char* outcomeName(engine::JobResult::Outcome o)
{
    switch (o) {
    case engine::JobResult::Outcome::Completed:
        return "completed";
    case engine::JobResult::Outcome::Cancelled:
        return "cancelled";
    case engine::JobResult::Outcome::Aborted:
        return "aborted";
    case engine::JobResult::Outcome::Failed:
        break;
    }
    return "failed";
}

std::string verifyJson(const engine::VerifyReport& r)
{
    return JsonObject()
        .add("identical", r.identical)
        .add("compared", r.bytesCompared)
        .add("skipped-holes", r.bytesSkipped)
        .add("hash-checked", r.bytesHashChecked)
        .add("unchecked", r.bytesUnchecked)
        .add("past-end", r.bytesPastEnd)
        .add("past-end-zero", r.pastEndZero)
        .addRaw("differences", rangesJson(r.differences))
        .add("more-differences", r.moreDifferences)
        .str();
}

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

// Rate over a sliding window of a couple of seconds, from cumulative bytes.
class RateMeter
{
public:
    void add(Clock::time_point t, std::uint64_t done)
    {
        m_samples.emplace_back(t, done);
        while (m_samples.size() > 2 && t - m_samples.front().first > std::chrono::seconds(2))
            m_samples.pop_front();
    }
    double rate() const
    {
        if (m_samples.size() < 2)
            return 0;
        const double dt =
            std::chrono::duration<double>(m_samples.back().first - m_samples.front().first).count();
        if (dt <= 0)
            return 0;
        return static_cast<double>(m_samples.back().second - m_samples.front().second) / dt;
    }

private:
    std::deque<std::pair<Clock::time_point, std::uint64_t>> m_samples;
};

struct MirrorArgs
{
    std::string source;
    std::string target;
    engine::MirrorOptions options;
    bool completeWhenReady = false;
    bool cancelWhenReady = false;
    bool json = false;
    bool force = false;
    bool verbose = false;
    bool noTracking = false;
    std::string expectId;
    std::chrono::milliseconds progressInterval{1000};
    std::size_t mapCells = 0;
    bool cancelOnEof = false;
    bool noCommandQueue = false;
    bool keepIncomplete = false;
};

// Parses the options shared by `mirror` and `demo`; returns an error text.
std::optional<std::string> parseMirrorOption(int opt, const char* arg, MirrorArgs& a)
{
    auto size = [&](const char* what, std::uint64_t& out) -> std::optional<std::string> {
        auto v = engine::parseSize(arg);
        if (!v)
            return std::string(what) + ": " + v.error().message; // the engine's text
        out = *v;
        return std::nullopt;
    };
    switch (opt) {
    case 's': {
        auto m = engine::parseSyncMode(arg);
        if (!m)
            return fill(Cli::tr("unknown sync mode '%1' (use full, top or none)"), {arg});
        a.options.sync = *m;
        return std::nullopt;
    }
    case 'g': {
        if (auto e = size("--granularity", a.options.granularity))
            return e;
        if (a.options.granularity == 0)
            return fill(Cli::tr("--granularity: must not be 0"));
        return std::nullopt;
    }
    case 'b':
        if (auto e = size("--buf-size", a.options.bufSize))
            return e;
        // More would only pin memory: 16 requests of 64 MiB already keep
        // any disk busy.
        if (a.options.bufSize > kMaxBufSize)
            return fill(Cli::tr("--buf-size: at most 1G (memory for data in flight), not '%1'"),
                        {arg});
        return std::nullopt;
    case 'r': {
        auto v = engine::parseRate(arg);
        if (!v)
            return "--speed: " + v.error().message;
        a.options.speed = *v;
        return std::nullopt;
    }
    case 'S':
    case 'T': {
        auto p = engine::parseErrorPolicy(arg);
        if (!p)
            return fill(Cli::tr("unknown error policy '%1' (use report, ignore, stop or enospc)"),
                        {arg});
        (opt == 'S' ? a.options.onSourceError : a.options.onTargetError) = *p;
        return std::nullopt;
    }
    case 'u':
        a.options.unmap = false;
        return std::nullopt;
    case 'c':
        a.completeWhenReady = true;
        return std::nullopt;
    case 'x':
        a.cancelWhenReady = true;
        return std::nullopt;
    case 'V':
        a.options.verify = true;
        return std::nullopt;
    case 'F': {
        // from_chars: a decimal point whatever the locale says.
        double secs = 0;
        const char* last = arg + std::strlen(arg);
        const auto [end, ec] = std::from_chars(arg, last, secs);
        if (ec != std::errc() || end != last || !(secs >= engine::kMinFreezeSeconds) ||
            !(secs <= engine::kMaxFreezeSeconds))
            return fill(Cli::tr("--max-freeze: seconds from 0.1 to 3600, not '%1'"), {arg});
        a.options.maxFreezeSeconds = secs;
        return std::nullopt;
    }
    case 'W':
        a.options.wipeRest = true;
        return std::nullopt;
    case 'f':
        a.force = true;
        return std::nullopt;
    case 'j':
        a.json = true;
        return std::nullopt;
    case 'v':
        a.verbose = true;
        return std::nullopt;
    case 'N':
        a.noTracking = true;
        return std::nullopt;
    case 'I':
        // Empty would read as "no identity asked for": the opposite of what
        // a script that lost its variable meant.
        if (!*arg)
            return fill(
                Cli::tr("--expect-id: an identity from `list --json` or `inspect --json`, not "
                        "empty"));
        a.expectId = arg;
        return std::nullopt;
    case 'P': {
        char* end = nullptr;
        const long ms = std::strtol(arg, &end, 10);
        if (!end || *end || ms < 50 || ms > 60000)
            return fill(Cli::tr("--progress-interval: milliseconds from 50 to 60000, not '%1'"),
                        {arg});
        a.progressInterval = std::chrono::milliseconds(ms);
        return std::nullopt;
    }
    case 'E':
        a.cancelOnEof = true;
        return std::nullopt;
    case 'Q':
        a.noCommandQueue = true;
        return std::nullopt;
    case 'K':
        a.keepIncomplete = true;
        return std::nullopt;
    case 'M': {
        char* end = nullptr;
        const long cells = std::strtol(arg, &end, 10);
        if (!end || *end || cells < 1 || cells > (1 << 20))
            return fill(Cli::tr("--map-cells: a number of cells from 1 to 1048576, not '%1'"),
                        {arg});
        a.mapCells = static_cast<std::size_t>(cells);
        return std::nullopt;
    }
    }
    return fill(Cli::tr("unknown option"));
}

const option kMirrorOptions[] = {
    {"sync", required_argument, nullptr, 's'},
    {"granularity", required_argument, nullptr, 'g'},
    {"buf-size", required_argument, nullptr, 'b'},
    {"speed", required_argument, nullptr, 'r'},
    {"on-source-error", required_argument, nullptr, 'S'},
    {"on-target-error", required_argument, nullptr, 'T'},
    {"no-unmap", no_argument, nullptr, 'u'},
    {"complete-when-ready", no_argument, nullptr, 'c'},
    {"cancel-when-ready", no_argument, nullptr, 'x'},
    {"verify", no_argument, nullptr, 'V'},
    {"max-freeze", required_argument, nullptr, 'F'},
    {"wipe-rest", no_argument, nullptr, 'W'},
    {"force", no_argument, nullptr, 'f'},
    {"json", no_argument, nullptr, 'j'},
    {"verbose", no_argument, nullptr, 'v'},
    {"no-tracking", no_argument, nullptr, 'N'},
    {"expect-id", required_argument, nullptr, 'I'},
    {"progress-interval", required_argument, nullptr, 'P'},
    {"map-cells", required_argument, nullptr, 'M'},
    {"cancel-on-eof", no_argument, nullptr, 'E'},
    {"no-command-queue", no_argument, nullptr, 'Q'},
    {"keep-incomplete", no_argument, nullptr, 'K'},
    {"size", required_argument, nullptr, 1000},
    {"dir", required_argument, nullptr, 1001},
    {"live", required_argument, nullptr, 1002},
    {"writer-rate", required_argument, nullptr, 1003},
    {nullptr, 0, nullptr, 0},
};

// getopt_long takes any unambiguous prefix of a long option ("--gran" for
// --granularity), so a typo in a script could quietly mean another option;
// and a repeated option would silently override the first. Both refused:
// returns the error text, or nullopt. Call right after getopt_long returned
// @p opt with @p longIndex (-1 when it was not a long option).
std::optional<std::string> checkOptionUse(int opt, int longIndex, char** argv,
                                          const option* longOptions, std::set<int>& seen)
{
    if (longIndex >= 0) {
        // The option's own argv word: the one before a separate value.
        const bool separateValue = optarg && optind >= 2 && optarg == argv[optind - 1];
        const std::string given = argv[optind - (separateValue ? 2 : 1)];
        const std::string name = given.substr(0, given.find('='));
        if (name != std::string("--") + longOptions[longIndex].name)
            return fill(Cli::tr("unknown option %1: options are not abbreviated (see --help)"),
                        {name});
    }
    if (!seen.insert(opt).second) {
        const std::string name = longIndex >= 0 ? std::string("--") + longOptions[longIndex].name
                                                : std::string("-") + static_cast<char>(opt);
        return fill(Cli::tr("%1 given twice"), {name});
    }
    return std::nullopt;
}

// Every signal whose default is to end the process and that can be caught:
// the terminal's ^C and hang-up (a closed ssh session under sudo), kill's
// TERM, timers and resource limits, and a reader of stdout that went away.
constexpr int kCancelSignals[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,   SIGUSR1, SIGUSR2,
                                  SIGALRM, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGPIPE};

sigset_t cancelSignals()
{
    sigset_t mask;
    sigemptyset(&mask);
    for (int sig : kCancelSignals)
        sigaddset(&mask, sig);
    return mask;
}

// Such a signal must cancel the job, never kill the process: a killed
// process leaves a half-written target and a job nobody reports on (the
// freeze guardian thaws and removes the trace instance, but nothing more).
// They are blocked before any thread exists, so every thread inherits the
// mask and the signals wait in driveJob's signalfd; with SIGPIPE blocked, a
// write to a closed stdout fails with EPIPE instead of ending the process.
void blockCancelSignals()
{
    const sigset_t mask = cancelSignals();
    ::pthread_sigmask(SIG_BLOCK, &mask, nullptr);
}

std::uint64_t rangeBytes(const std::vector<engine::ByteRange>& ranges)
{
    std::uint64_t n = 0;
    for (const auto& r : ranges)
        n += r.length;
    return n;
}

// Removes the target file the job created, if the name still leads to the
// file the job wrote (not something put there since). Acting for another
// user (pkexec, sudo), the file is left: root must not unlink by a path that
// user controls.
bool removeCreatedTarget(engine::MirrorJob& job, const std::string& path, const engine::Logger& log)
{
    if (engine::currentInvoker().elevated)
        return false;
    if (auto r = engine::removeFileIfStill(AT_FDCWD, path, job.target().identity()); !r) {
        log->debug("cannot remove {}: {}", path, r.error().message);
        return false;
    }
    return true;
}

// Runs a prepared job to its end: events, stdin commands, signals, the
// progress line. Returns the exit code.
int driveJob(const engine::PreparedJob& prepared, const MirrorArgs& a, const engine::Logger& log,
             engine::DemoWriter* demoWriter, double liveSeconds)
{
    engine::MirrorJob& job = *prepared.job;
    const sigset_t mask = cancelSignals();
    const int sigFd = ::signalfd(-1, &mask, SFD_CLOEXEC);

    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC | O_NONBLOCK) != 0) {
        log->error("{}", fill(Cli::tr("cannot create a pipe: %1"), {std::strerror(errno)}));
        return kExitInternal;
    }
    std::mutex queueMutex;
    std::deque<engine::JobEvent> queue;
    job.setListener([&](const engine::JobEvent& ev) {
        {
            std::lock_guard lock(queueMutex);
            queue.push_back(ev);
        }
        const char b = 1;
        [[maybe_unused]] const ssize_t n = ::write(pipeFds[1], &b, 1);
    });

    const bool tty = !a.json && ::isatty(2);
    const std::string device = a.target;
    RateMeter meter;
    auto lastJsonProgress = Clock::now();
    Clock::time_point readyAt{};
    bool everReady = false;
    // Read whenever it is open, with --complete-when-ready too: a job that an
    // error policy paused must still be resumable or cancellable from there.
    bool stdinOpen = true;
    std::string stdinBuffer;     // an unfinished line, at most kMaxCommandLine bytes
    bool discardingLine = false; // inside a line too long to be a command
    bool progressShown = false;
    int completeAttempts = 0;
    bool completeGaveUp = false;

    auto commonData = [&](const engine::JobSnapshot& s) {
        JsonObject d;
        d.add("device", device)
            .add("type", "mirror")
            .add("len", s.bytesDone + s.bytesRemaining)
            .add("offset", s.bytesDone)
            .add("speed", s.speedLimit);
        return d;
    };
    // Replies in QMP's shape, one per command line, carrying the line's
    // id when it gave one so that a script can match them up.
    auto reply = [&](const engine::Result<void>& r, const std::string& id = {}) {
        if (a.json) {
            if (r) {
                JsonObject o;
                o.addRaw("return", "{}");
                if (!id.empty())
                    o.add("id", id);
                std::fprintf(stdout, "%s\n", o.str().c_str());
                std::fflush(stdout);
            } else {
                printError(r.error(), id);
            }
        } else if (!r) {
            log->error("{}", r.error().message);
        }
    };
    // A command is carried out when it makes sense: `complete` before READY
    // (a file of commands is read at once) is held until READY; a command
    // right after pause or resume waits until the job has taken that one
    // (resume from standby is not "ready" until the job thread says so).
    // Every line is answered in the order it came, refusals and status
    // included, so that a client without ids can pair replies with lines.
    struct Command
    {
        enum class Kind { Verb, Status, Refusal } kind = Kind::Verb;
        engine::JobVerb verb = engine::JobVerb::Complete;
        std::uint64_t argument = 0;
        std::string id;
        engine::Error refusal;
    };
    std::optional<std::string> heldComplete; // the held complete's id
    std::deque<Command> pending;
    std::optional<engine::JobStatus> transitFrom; // status when pause/resume was sent
    auto answerStatus = [&](const std::string& id) {
        auto snap = job.snapshot();
        JsonObject d = commonData(*snap);
        d.add("status", engine::toString(snap->status)).add("dirty", snap->dirtyBytes);
        if (a.json) {
            JsonObject o;
            o.addRaw("return", d.str());
            if (!id.empty())
                o.add("id", id);
            std::fprintf(stdout, "%s\n", o.str().c_str());
            std::fflush(stdout);
        } else {
            std::fprintf(stderr, "%s\n", d.str().c_str());
        }
    };
    auto execute = [&](const Command& c) {
        if (c.kind == Command::Kind::Status)
            return answerStatus(c.id);
        if (c.kind == Command::Kind::Refusal)
            return reply(c.refusal, c.id);
        const engine::JobStatus before = job.status();
        engine::Result<void> r;
        switch (c.verb) {
        case engine::JobVerb::Complete:
            r = job.complete();
            break;
        case engine::JobVerb::Cancel:
            r = job.cancel(c.argument != 0);
            break;
        case engine::JobVerb::Pause:
            r = job.pause();
            break;
        case engine::JobVerb::Resume:
            r = job.resume();
            break;
        case engine::JobVerb::SetSpeed:
            r = job.setSpeed(c.argument);
            break;
        }
        if (r && (c.verb == engine::JobVerb::Pause || c.verb == engine::JobVerb::Resume))
            transitFrom = before;
        reply(r, c.id);
    };
    auto mayBecomeReady = [](engine::JobStatus s) {
        return s == engine::JobStatus::Created || s == engine::JobStatus::Running ||
               s == engine::JobStatus::Paused || s == engine::JobStatus::Standby;
    };
    auto runPending = [&]() {
        const engine::JobStatus s = job.status();
        if (transitFrom && (s != *transitFrom || engine::isFinished(s)))
            transitFrom.reset();
        if (heldComplete && !transitFrom && !mayBecomeReady(s)) {
            const std::string id = *heldComplete;
            heldComplete.reset();
            execute({Command::Kind::Verb, engine::JobVerb::Complete, 0, id, {}});
        }
        while (!pending.empty() && (!transitFrom || a.noCommandQueue)) {
            const Command c = pending.front();
            const engine::JobStatus now = job.status();
            if (a.noCommandQueue) {
                // A front end with its own view of the job wants to hear at
                // once that the view is stale, not to have its click replayed.
                pending.pop_front();
                execute(c);
                continue;
            }
            const bool verb = c.kind == Command::Kind::Verb;
            if (verb && c.verb == engine::JobVerb::Complete && mayBecomeReady(now)) {
                pending.pop_front();
                if (heldComplete) {
                    reply(engine::Error{EBUSY, "a complete is already waiting for READY"}, c.id);
                } else {
                    heldComplete = c.id;
                    if (!a.json)
                        log->info("{}", fill(Cli::tr("complete: carried out when the job is "
                                                     "READY")));
                }
                continue;
            }
            if (verb && c.verb == engine::JobVerb::Pause && now == engine::JobStatus::Created)
                break; // the job thread is about to run
            pending.pop_front();
            execute(c);
        }
    };
    auto handleCommand = [&](const std::string& line) {
        std::istringstream in(line);
        std::vector<std::string> words;
        for (std::string w; in >> w;)
            words.push_back(w);
        if (words.empty())
            return;
        Command c;
        auto refuse = [&](engine::Error e) {
            c.kind = Command::Kind::Refusal;
            c.refusal = std::move(e);
            pending.push_back(std::move(c));
            runPending();
        };
        if (words.back().rfind("id=", 0) == 0) {
            c.id = words.back().substr(3);
            words.pop_back();
            const bool wordOk =
                !c.id.empty() && c.id.size() <= 64 &&
                std::all_of(c.id.begin(), c.id.end(), [](unsigned char ch) {
                    return std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == ':';
                });
            if (!wordOk) {
                c.id.clear();
                return refuse({EINVAL, "id=WORD: 1 to 64 letters, digits, '-', '_', '.' or ':'"});
            }
            if (words.empty())
                return refuse({EINVAL, "a command before id="});
        }
        std::string verb = words[0];
        const std::size_t args = words.size() - 1;
        // The command words are the protocol and stay English; so does the
        // JSON answer. Extra words are refused rather than dropped: "speed 5
        // 6" may mean something the job cannot know.
        const engine::Error extraWords{EINVAL, "too many words after '" + verb.substr(0, 64) +
                                                   "': " + line.substr(0, 64)};
        if (verb == "status") {
            if (args != 0)
                return refuse(extraWords);
            c.kind = Command::Kind::Status;
        } else if (verb == "complete" || verb == "pause" || verb == "resume") {
            if (args != 0)
                return refuse(extraWords);
            c.verb = verb == "complete" ? engine::JobVerb::Complete
                     : verb == "pause"  ? engine::JobVerb::Pause
                                        : engine::JobVerb::Resume;
        } else if (verb == "cancel" && (args == 0 || words[1] == "quick")) {
            if (args > 1)
                return refuse(extraWords);
            c.verb = engine::JobVerb::Cancel;
            c.argument = args == 1 ? 1 : 0;
        } else if (verb == "speed" && args >= 1) {
            if (args != 1)
                return refuse(extraWords);
            auto rate = engine::parseRate(words[1]);
            if (!rate)
                return refuse(rate.error());
            c.verb = engine::JobVerb::SetSpeed;
            c.argument = *rate;
        } else {
            // An echo of garbage stays short and printable.
            if (verb.size() > 64)
                verb = verb.substr(0, 64) + "...";
            if (!a.json) {
                log->error("{}", fill(Cli::tr("unknown command '%1' (complete, cancel, cancel "
                                              "quick, pause, resume, speed RATE, status)"),
                                      {verb}));
                return;
            }
            return refuse({EINVAL, "unknown command '" + verb +
                                       "' (complete, cancel, cancel quick, pause, resume, "
                                       "speed RATE, status; optionally followed by id=WORD)"});
        }
        pending.push_back(std::move(c));
        runPending();
    };
    // Splits what stdin gave into lines, looking only at the new bytes; a
    // line longer than any command is refused once and skipped to its end,
    // so garbage costs neither memory nor time.
    auto takeInput = [&](const char* data, std::size_t n) {
        std::size_t begin = 0;
        while (begin < n) {
            const void* hit = std::memchr(data + begin, '\n', n - begin);
            const std::size_t end =
                hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - data) : n;
            if (!discardingLine) {
                const std::size_t room = kMaxCommandLine - stdinBuffer.size();
                if (end - begin > room) {
                    discardingLine = true;
                    stdinBuffer.clear();
                    if (a.json)
                        printError({EINVAL, "command line longer than " +
                                                std::to_string(kMaxCommandLine) +
                                                " bytes: ignored"});
                    else
                        log->error("{}", fill(Cli::tr("command line longer than %1 bytes: "
                                                      "ignored"),
                                              {std::to_string(kMaxCommandLine)}));
                } else {
                    stdinBuffer.append(data + begin, end - begin);
                }
            }
            if (!hit)
                break;
            if (!discardingLine)
                handleCommand(stdinBuffer);
            stdinBuffer.clear();
            discardingLine = false;
            begin = end + 1;
        }
    };
    // With --map-cells, the map rides along progress and READY: a job that
    // converges between two progress events still shows its clean map.
    auto withMap = [&](JsonObject data) {
        if (auto map = job.dirtyMap(); map && a.mapCells > 0)
            data.add("map", hexCells(map->cells))
                .add("granularity", map->granularity)
                .addRaw("in-flight-ranges", rangesJson(map->inFlight))
                .addRaw("unreadable-ranges", rangesJson(map->unreadable));
        return data;
    };
    auto drawProgress = [&](const engine::JobSnapshot& s) {
        const double rate = meter.rate();
        const std::uint64_t total = s.bytesDone + s.bytesRemaining;
        const double fraction =
            total > 0 ? static_cast<double>(s.bytesDone) / static_cast<double>(total) : 1.0;
        const double eta = rate > 1 && s.bytesRemaining > 0
                               ? static_cast<double>(s.bytesRemaining) / rate
                               : -1; // shown as a dash
        std::string line =
            fill(Cli::tr("%1  %2  %3 of %4  %5  ETA %6  dirty %7"),
                 {ui::Format::status(s.status).toStdString(),
                  ui::Format::percent(fraction).toStdString(), sizeText(s.bytesDone),
                  sizeText(total), rateText(rate), durationText(eta), sizeText(s.dirtyBytes)});
        if (!s.ioError.empty())
            line += "  " + fill(Cli::tr("STOPPED: %1"), {s.ioError});
        std::fprintf(stderr, "\r\033[K%s", line.c_str());
        progressShown = true;
    };

    if (a.mapCells > 0)
        job.setDirtyMapCells(a.mapCells);
    const int pollMs = static_cast<int>(std::min<std::int64_t>(250, a.progressInterval.count()));
    if (a.json) {
        // What a front end in another process needs before the first
        // progress event: the geometry of the map and what Complete freezes.
        std::vector<std::string> mounts;
        if (prepared.live)
            mounts = prepared.live->mountPoints();
        printEvent("JOB_STARTED", JsonObject()
                                      .add("device", device)
                                      .add("source", a.source)
                                      .add("target", a.target)
                                      .add("len", job.source().size())
                                      .add("granularity", job.granularity())
                                      .add("live", prepared.live != nullptr)
                                      .addRaw("mount-points", stringArray(mounts))
                                      .add("target-created", prepared.targetCreated));
    }
    // Reading a terminal from the background must fail, not stop the process.
    ::signal(SIGTTIN, SIG_IGN);
    job.start();
    bool finished = false;
    while (!finished) {
        pollfd fds[3] = {
            {pipeFds[0], POLLIN, 0}, {sigFd, POLLIN, 0}, {stdinOpen ? 0 : -1, POLLIN, 0}};
        ::poll(fds, 3, pollMs);
        if (fds[1].revents & POLLIN) {
            signalfd_siginfo si{};
            [[maybe_unused]] const ssize_t n = ::read(sigFd, &si, sizeof si);
            const char* abbrev = ::sigabbrev_np(static_cast<int>(si.ssi_signo));
            log->info("{}", fill(Cli::tr("%1 received: cancelling"),
                                 {std::string("SIG") + (abbrev ? abbrev : "?")}));
            // Whoever sends a signal wants the process gone, not a final
            // copy under a freeze first.
            auto r = job.cancel(true);
            if (!r)
                log->debug("{}", r.error().message);
        }
        if (fds[2].revents & (POLLIN | POLLHUP)) {
            char buf[4096];
            const ssize_t n = ::read(0, buf, sizeof buf);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
                // poll again
            } else if (n < 0) {
                // A terminal this process does not own (started with & from
                // a shell): EIO, SIGTTIN being ignored. Not an end of input.
                stdinOpen = false;
                log->debug("stdin: {}", std::strerror(errno));
            } else if (n == 0) {
                stdinOpen = false;
                if (a.cancelOnEof) {
                    log->info("{}", fill(Cli::tr("stdin closed: cancelling")));
                    if (auto r = job.cancel(true); !r)
                        log->debug("{}", r.error().message);
                }
            } else {
                takeInput(buf, static_cast<std::size_t>(n));
            }
        }
        if (fds[0].revents & POLLIN) {
            char drainBuf[256];
            while (::read(pipeFds[0], drainBuf, sizeof drainBuf) > 0) {
            }
        }
        std::deque<engine::JobEvent> events;
        {
            std::lock_guard lock(queueMutex);
            events.swap(queue);
        }
        const auto snap = job.snapshot();
        const auto now = Clock::now();
        meter.add(now, snap->bytesDone);
        for (const auto& ev : events) {
            switch (ev.kind) {
            case engine::JobEvent::Kind::StatusChanged:
                if (a.json)
                    printEvent(
                        "JOB_STATUS_CHANGE",
                        JsonObject().add("id", device).add("status", engine::toString(ev.to)));
                break;
            case engine::JobEvent::Kind::Ready:
                readyAt = now;
                everReady = true;
                if (a.json)
                    printEvent("BLOCK_JOB_READY", withMap(commonData(*snap)));
                else
                    log->info(
                        "{}",
                        a.completeWhenReady || a.cancelWhenReady || demoWriter
                            ? fill(Cli::tr("READY: %1 and %2 are in sync"), {a.source, a.target})
                            : fill(Cli::tr("READY: %1 and %2 are in sync; type 'complete' "
                                           "or 'cancel' and Enter"),
                                   {a.source, a.target}));
                if (a.completeWhenReady && !demoWriter) {
                    ++completeAttempts;
                    reply(job.complete());
                } else if (a.cancelWhenReady) {
                    reply(job.cancel(false));
                }
                break;
            case engine::JobEvent::Kind::CompleteFailed:
                if (a.json)
                    printEvent("COMPLETE_FAILED",
                               JsonObject().add("device", device).add("reason", ev.message));
                else
                    log->warn("{}", fill(Cli::tr("complete failed: %1; the job goes on mirroring "
                                                 "at READY"),
                                         {ev.message}));
                // Unattended: try again (the next final copy is shorter, the
                // source having converged once more), then give up.
                if (a.completeWhenReady && !demoWriter) {
                    if (completeAttempts < kCompleteAttempts) {
                        ++completeAttempts;
                        reply(job.complete());
                    } else {
                        completeGaveUp = true;
                        log->error("{}", fill(Cli::tr("giving up after %1 attempts to complete; "
                                                      "cancelling"),
                                              {std::to_string(completeAttempts)}));
                        reply(job.cancel(true));
                    }
                }
                break;
            case engine::JobEvent::Kind::Verifying:
                if (a.json)
                    printEvent("BLOCK_JOB_VERIFYING", JsonObject().add("device", device));
                else
                    log->info("{}", fill(Cli::tr("verifying: comparing %1 with %2 while the "
                                                 "source runs on"),
                                         {a.target, a.source}));
                break;
            case engine::JobEvent::Kind::Progress:
                break;
            case engine::JobEvent::Kind::Finished:
                finished = true;
                break;
            }
        }
        runPending();
        if (demoWriter && readyAt != Clock::time_point{} &&
            job.status() == engine::JobStatus::Ready &&
            now - readyAt >= std::chrono::duration<double>(liveSeconds)) {
            log->info("{}", fill(Cli::tr("demo: %1 written by the live writer so far; completing"),
                                 {sizeText(demoWriter->bytesWritten())}));
            readyAt = Clock::time_point{};
            reply(job.complete());
        }
        if (finished)
            break;
        if (tty)
            drawProgress(*snap);
        if (a.json && now - lastJsonProgress >= a.progressInterval) {
            lastJsonProgress = now;
            JsonObject data = commonData(*snap);
            data.add("status", engine::toString(snap->status))
                .add("rate", meter.rate())
                .add("dirty", snap->dirtyBytes)
                .add("in-flight", snap->inFlightBytes)
                .add("zeroed", snap->bytesZeroed)
                .add("unreadable-bytes", snap->unreadableBytes);
            if (!snap->ioError.empty())
                data.add("io-error", snap->ioError);
            if (snap->verifying)
                data.add("verifying", true)
                    .add("verify-done", snap->verifyDone)
                    .add("verify-total", snap->verifyTotal);
            printEvent("BLOCK_JOB_PROGRESS", withMap(std::move(data)));
        }
    }
    if (progressShown)
        std::fprintf(stderr, "\r\033[K");
    // What never became possible is answered, so that nobody waits for it.
    if (heldComplete)
        reply(engine::Error{ECANCELED, "the job ended before READY: not completed"}, *heldComplete);
    for (const Command& c : pending) {
        if (c.kind == Command::Kind::Verb)
            reply(engine::Error{ECANCELED, "the job ended before this command could be carried "
                                           "out"},
                  c.id);
        else
            execute(c);
    }

    const engine::JobResult& res = job.wait();
    const auto snap = job.snapshot();
    ::close(pipeFds[0]);
    ::close(pipeFds[1]);
    if (sigFd >= 0)
        ::close(sigFd);

    int code = kExitOk;
    std::string errorText;
    switch (res.outcome) {
    case engine::JobResult::Outcome::Completed:
        break;
    case engine::JobResult::Outcome::Cancelled:
        if (completeGaveUp)
            code = kExitNotCompleted;
        break;
    case engine::JobResult::Outcome::Aborted:
        code = kExitAborted;
        errorText = "cancelled before READY: the target is incomplete"; // JSON: stays English
        break;
    case engine::JobResult::Outcome::Failed:
        code = res.internalFailure ? kExitInternal : res.sourceFailed ? kExitSource : kExitTarget;
        errorText = res.error.message;
        break;
    }
    const std::uint64_t unwrittenBytes = rangeBytes(res.unwritable);
    const std::uint64_t unreadableBytes = rangeBytes(res.unreadable);
    const bool skipped = unwrittenBytes + unreadableBytes > 0;
    if (res.verify && !res.verify->identical && code == kExitOk)
        code = kExitDifferent;
    // Skipped ranges explain any difference the verification found; what a
    // script must learn first is that the copy is not whole.
    if (skipped && (code == kExitOk || code == kExitDifferent))
        code = kExitSkipped;
    // A file this job created and that never held a whole copy is not left
    // behind as if it were one.
    bool createdRemoved = false;
    if (prepared.targetCreated && !everReady && !a.keepIncomplete &&
        (res.outcome == engine::JobResult::Outcome::Aborted ||
         res.outcome == engine::JobResult::Outcome::Failed))
        createdRemoved = removeCreatedTarget(job, a.target, log);

    if (a.json) {
        JsonObject d = commonData(*snap);
        d.add("zeroed", res.bytesZeroed).add("elapsed", res.elapsedSeconds);
        if (!errorText.empty())
            d.add("error", errorText);
        if (!res.unreadable.empty())
            d.addRaw("unreadable", rangesJson(res.unreadable));
        if (!res.unwritable.empty())
            d.addRaw("unwritable", rangesJson(res.unwritable));
        if (skipped)
            d.add("ranges-skipped", true)
                .add("unwritten-bytes", unwrittenBytes)
                .add("unreadable-bytes", unreadableBytes);
        if (createdRemoved)
            d.add("target-removed", true);
        if (res.verify)
            d.addRaw("verify", verifyJson(*res.verify));
        if (res.verifyCancelled)
            d.add("verify-cancelled", true);
        if (res.outcome == engine::JobResult::Outcome::Completed ||
            (res.outcome == engine::JobResult::Outcome::Cancelled && !res.powerCutCopy))
            d.add("quiesce-seconds", res.quiesceSeconds);
        if (res.outcome == engine::JobResult::Outcome::Cancelled)
            d.add("powercut-copy", res.powerCutCopy);
        if (res.powerCutCopy)
            d.add("powercut-reason", res.powerCutReason);
        if (res.pastEndBytes > 0)
            d.add("past-end-bytes", res.pastEndBytes).add("past-end-wiped", res.pastEndWiped);
        d.add("outcome", outcomeName(res.outcome));
        if (res.outcome == engine::JobResult::Outcome::Failed)
            d.add("source-failed", res.sourceFailed).add("errno", res.error.code);
        const bool cancelled = res.outcome == engine::JobResult::Outcome::Cancelled ||
                               res.outcome == engine::JobResult::Outcome::Aborted;
        printEvent(cancelled ? "BLOCK_JOB_CANCELLED" : "BLOCK_JOB_COMPLETED", d);
    } else {
        const double rate =
            res.elapsedSeconds > 0
                ? static_cast<double>(res.bytesDone - res.bytesZeroed) / res.elapsedSeconds
                : 0;
        const std::string summary =
            fill(Cli::tr("%1 processed, of which %2 were zero runs written without data "
                         "transfer, in %3; data copied at %4"),
                 {sizeText(res.bytesDone), sizeText(res.bytesZeroed),
                  durationText(res.elapsedSeconds), rateText(rate)});
        switch (res.outcome) {
        case engine::JobResult::Outcome::Completed:
            // "identical" only where it is: a verification that disagrees,
            // or a sync mode that did not copy everything, says otherwise.
            if (res.verify && !res.verify->identical)
                log->warn("{}", fill(Cli::tr("completed: %1; but the verification found %2 "
                                             "different from %3 (ranges below)"),
                                     {summary, a.target, a.source}));
            else if (skipped)
                log->warn("{}", fill(Cli::tr("completed with errors ignored: %1; %2 differs "
                                             "from %3 in the ranges listed below"),
                                     {summary, a.target, a.source}));
            else if (a.options.sync == engine::SyncMode::Top)
                log->info("{}",
                          fill(Cli::tr("completed: %1; %2 holds the allocated data of %3 "
                                       "as of the final copy; its other ranges were not "
                                       "copied (sync top; source quiesced %4 s)"),
                               {summary, a.target, a.source, numberText(res.quiesceSeconds, 3)}));
            else if (a.options.sync == engine::SyncMode::None)
                log->info("{}",
                          fill(Cli::tr("completed: %1; %2 holds what was written to %3 "
                                       "during the job, nothing else was copied (sync "
                                       "none; source quiesced %4 s)"),
                               {summary, a.target, a.source, numberText(res.quiesceSeconds, 3)}));
            else
                log->info("{}",
                          fill(Cli::tr("completed: %1; %2 is identical to %3 as of the "
                                       "final copy (source quiesced %4 s)"),
                               {summary, a.target, a.source, numberText(res.quiesceSeconds, 3)}));
            break;
        case engine::JobResult::Outcome::Cancelled:
            if (res.powerCutCopy)
                log->warn("{}", fill(Cli::tr("cancelled after READY without freezing the source: "
                                             "%1; %2 is like %3 after a power cut (a file system "
                                             "on it needs its journal replayed, and the last "
                                             "writes are missing)"),
                                     {summary, a.target, a.source}));
            else
                log->info("{}",
                          fill(Cli::tr("cancelled after READY: %1; %2 is a consistent copy "
                                       "of %3 as of the final copy (source quiesced %4 s)"),
                               {summary, a.target, a.source, numberText(res.quiesceSeconds, 3)}));
            break;
        case engine::JobResult::Outcome::Aborted:
            log->warn("{}", fill(Cli::tr("cancelled before READY: the target is incomplete: %1"),
                                 {summary}));
            break;
        case engine::JobResult::Outcome::Failed:
            log->error("{}", fill(Cli::tr("failed: %1"), {errorText}));
            break;
        }
        if (unwrittenBytes > 0)
            log->warn("{}", fill(Cli::tr("%1 bytes of %2 were not written (target errors "
                                         "ignored): the copy is not whole"),
                                 {std::to_string(unwrittenBytes), a.target}));
        if (unreadableBytes > 0)
            log->warn("{}", fill(Cli::tr("%1 bytes of %2 could not be read and were written as "
                                         "zeroes (source errors ignored): the copy is not whole"),
                                 {std::to_string(unreadableBytes), a.source}));
        if (createdRemoved)
            log->info("{}", fill(Cli::tr("%1 was created by this job and never held a whole "
                                         "copy: removed"),
                                 {a.target}));
        // Offsets and lengths as plain digits, ready for dd or cmp.
        for (const auto& r : res.unreadable)
            log->warn("{}", fill(Cli::tr("unreadable source range written as zeroes: offset %1, "
                                         "%2 bytes"),
                                 {std::to_string(r.offset), std::to_string(r.length)}));
        for (const auto& r : res.unwritable)
            log->warn("{}", fill(Cli::tr("target range left unwritten: offset %1, %2 bytes"),
                                 {std::to_string(r.offset), std::to_string(r.length)}));
        if (res.pastEndBytes > 0 && !res.verify &&
            (res.outcome == engine::JobResult::Outcome::Completed ||
             res.outcome == engine::JobResult::Outcome::Cancelled))
            log->info("{}", res.pastEndWiped
                                ? fill(Cli::tr("the %1 of %2 past the end of %3 were cleared"),
                                       {sizeText(res.pastEndBytes), a.target, a.source})
                                : fill(Cli::tr("the %1 of %2 past the end of %3 were kept as they "
                                               "were (use --wipe-rest to clear them)"),
                                       {sizeText(res.pastEndBytes), a.target, a.source}));
        if (res.verify)
            printVerifyText(*res.verify, a.source, a.target);
        else if (res.verifyCancelled)
            log->warn("{}", fill(Cli::tr("verification cancelled: the copy is complete but was "
                                         "not checked")));
    }
    return code;
}

// Run through pkexec or sudo, the CLI is root acting for a user: it reads
// an image file only if that user could (the engine opens it as him), so
// verify, info and inspect reveal nothing of a file he could not read
// himself. Nullopt when @p path may be used; block devices are what root
// is for.
std::optional<engine::Error> elevatedAccessRefusal(const std::string& path, int flags)
{
    const engine::Invoker who = engine::currentInvoker();
    if (!who.elevated)
        return std::nullopt;
    auto r = engine::resolvePath(path, who);
    if (!r)
        return r.error();
    if (!r->exists() || !S_ISREG(r->st.st_mode))
        return std::nullopt;
    if (auto fd = engine::openAsInvoker(*r, who, flags); !fd)
        return fd.error();
    return std::nullopt;
}

// Every rule, the target's creation and the job itself come from
// engine::prepareJob, the same path the desktop app takes; what is left here
// is turning a refusal into one line and exit code 2.
struct Prepared
{
    engine::PreparedJob prepared;
    int code = kExitOk;
    engine::MirrorJob* job() const { return prepared.job.get(); }
};

Prepared prepareMirror(MirrorArgs& a, const engine::Logger& log)
{
    Prepared p;
    if (a.completeWhenReady && a.cancelWhenReady) {
        p.code = badInput(
            fill(Cli::tr("--complete-when-ready and --cancel-when-ready exclude each other")));
        return p;
    }
    engine::JobSetup setup;
    setup.source = a.source;
    setup.target = a.target;
    setup.options = a.options;
    setup.allowDataOnTarget = a.force;
    setup.expectedTargetId = a.expectId;
    setup.trackWrites = !a.noTracking;
    setup.invoker = engine::currentInvoker();
    auto prepared = engine::prepareJob(std::move(setup), log);
    if (!prepared) {
        // The engine's message, with the way out the CLI offers: in English
        // in the JSON answer, in the user's language around it on stderr.
        const std::string& msg = prepared.error().message;
        const bool forceHelps = prepared.error().code == EEXIST &&
                                prepared.error().rule == engine::Rule::TargetHoldsData;
        if (a.json)
            printError({prepared.error().code,
                        forceHelps ? msg + "; run again with --force to accept" : msg,
                        prepared.error().rule});
        p.code = badInput(forceHelps ? fill(Cli::tr("%1; run again with --force to accept"), {msg})
                                     : msg);
        return p;
    }
    if (a.force && prepared->job->target().isBlockDevice())
        log->warn("{}", fill(Cli::tr("--force: %1 will be overwritten"), {a.target}));
    p.prepared = std::move(*prepared);
    return p;
}

int cmdMirror(int argc, char** argv)
{
    blockCancelSignals();
    MirrorArgs a;
    optind = 1;
    int opt;
    std::set<int> seen;
    int longIndex = -1;
    while ((opt = ::getopt_long(argc, argv, "v", kMirrorOptions, &longIndex)) != -1) {
        if (opt == '?' || opt >= 1000)
            return badInput(
                fill(Cli::tr("mirror: unknown option or missing value: %1 (see --help)"),
                     {argv[optind - 1]}));
        if (auto e = checkOptionUse(opt, std::exchange(longIndex, -1), argv, kMirrorOptions, seen))
            return badInput(*e);
        if (auto e = parseMirrorOption(opt, optarg, a))
            return badInput(*e);
    }
    if (argc - optind != 2)
        return badInput(fill(Cli::tr("mirror needs SOURCE and TARGET (see --help)")));
    a.source = argv[optind];
    a.target = argv[optind + 1];
    auto log = makeLogger(a.verbose);
    auto prepared = prepareMirror(a, log);
    if (!prepared.job())
        return prepared.code;
    return driveJob(prepared.prepared, a, log, nullptr, 0);
}

int cmdDemo(int argc, char** argv)
{
    blockCancelSignals();
    MirrorArgs a;
    std::uint64_t size = 1ull << 30;
    std::string dir = engine::defaultDemoDir();
    double live = 5;
    std::uint64_t writerRate = 8ull << 20;
    if (const engine::Invoker who = engine::currentInvoker(); who.elevated)
        return badInput("demo writes image files, which " + who.name +
                        " can do without administrator rights; run drivemirror-cli demo "
                        "without " +
                        who.via + " (rule: helper scope)");
    optind = 1;
    int opt;
    std::set<int> seen;
    int longIndex = -1;
    while ((opt = ::getopt_long(argc, argv, "v", kMirrorOptions, &longIndex)) != -1) {
        if (opt == '?')
            return badInput(fill(Cli::tr("demo: unknown option or missing value: %1 (see --help)"),
                                 {argv[optind - 1]}));
        if (auto e = checkOptionUse(opt, std::exchange(longIndex, -1), argv, kMirrorOptions, seen))
            return badInput(*e);
        if (opt == 1000) {
            auto v = engine::parseSize(optarg);
            if (!v || *v < (16u << 20))
                return badInput(fill(Cli::tr("--size: at least 16M")));
            size = *v;
        } else if (opt == 1001) {
            dir = optarg;
        } else if (opt == 1002) {
            char* end = nullptr;
            live = std::strtod(optarg, &end);
            if (!end || *end || live < 0)
                return badInput(fill(Cli::tr("--live: a number of seconds")));
        } else if (opt == 1003) {
            auto v = engine::parseRate(optarg);
            if (!v || *v == 0)
                return badInput(fill(Cli::tr("--writer-rate: a rate above 0")));
            writerRate = *v;
        } else if (auto e = parseMirrorOption(opt, optarg, a)) {
            return badInput(*e);
        }
    }
    if (optind != argc)
        return badInput(fill(Cli::tr("demo takes no file arguments (see --help)")));
    auto log = makeLogger(a.verbose);
    log->info("{}", fill(Cli::tr("demo: preparing a %1 source image with data extents in %2"),
                         {sizeText(size), dir}));
    auto images = engine::prepareDemoImages(dir, size);
    if (!images)
        return badInput(images.error().message);
    a.source = images->source;
    a.target = images->target;
    a.options.verify = true;

    // The writer needs the job for its notifications and the job needs the
    // writer for its quiesce hook: wire them through a pointer set below.
    engine::MirrorJob* jobPtr = nullptr;
    engine::DemoWriter writer(
        a.source, writerRate,
        [&jobPtr](std::uint64_t off, std::uint64_t len) {
            if (jobPtr)
                jobPtr->notifyWrite(off, len);
        },
        log);
    // The demo's workload ends with the job: the writer stays stopped after
    // the final copy, so the copy can be checked afterwards with cmp or
    // qemu-img compare and found identical. A real source would carry on.
    a.options.quiescer = engine::makeQuiescer([&writer]() -> engine::Result<void> {
        writer.pause();
        return {};
    });
    auto prepared = prepareMirror(a, log);
    if (!prepared.job())
        return prepared.code;
    jobPtr = prepared.job();
    if (auto r = writer.start(); !r)
        return badInput(r.error().message);
    log->info("{}", fill(Cli::tr("demo: a writer changes the source at %1 while it is mirrored; "
                                 "the job completes %2 s after READY and verifies the copy"),
                         {rateText(static_cast<double>(writerRate)),
                          QLocale().toString(live).toStdString()}));
    const int code = driveJob(prepared.prepared, a, log, &writer, live);
    writer.stop();
    return code;
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

// "label: value" lines, the values lined up after the widest label.
void printRows(const std::vector<std::pair<std::string, std::string>>& rows)
{
    int width = 0;
    for (const auto& [label, value] : rows)
        width = std::max(width, displayWidth(label));
    for (const auto& [label, value] : rows)
        std::printf("%s %s\n", fitText(label, width).c_str(), value.c_str());
}

int cmdInfo(int argc, char** argv)
{
    bool json = false;
    std::string path;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--json")
            json = true;
        else if (!arg.empty() && arg[0] == '-')
            return badInput(fill(Cli::tr("info: unknown option %1"), {arg}));
        else if (path.empty())
            path = arg;
        else
            return badInput(fill(Cli::tr("info takes one path")));
    }
    if (path.empty())
        return badInput(fill(Cli::tr("info needs a path (see --help)")));
    if (auto why = elevatedAccessRefusal(path, O_RDONLY))
        return badInput(why->message);
    auto disk = engine::Disk::open(path, {engine::Disk::Access::ReadOnly, true, false},
                                   engine::nullLogger());
    if (!disk)
        return badInput(disk.error().message);
    std::uint64_t allocated = 0;
    std::uint64_t extents = 0;
    for (std::uint64_t pos = 0; pos < disk->size();) {
        auto ext = disk->nextAllocated(pos);
        if (!ext || !*ext)
            break;
        allocated += (*ext)->length;
        pos = (*ext)->end();
        ++extents;
    }
    std::vector<std::string> mounts;
    if (disk->isBlockDevice())
        mounts = engine::mountPointsOf(major(disk->identity().rdev), minor(disk->identity().rdev));
    if (json) {
        std::string m = "[";
        for (std::size_t i = 0; i < mounts.size(); ++i)
            m += (i ? ", " : "") + jsonQuote(mounts[i]);
        m += "]";
        std::fprintf(
            stdout, "%s\n",
            JsonObject()
                .add("path", path)
                .add("kind", disk->isBlockDevice() ? "block-device" : "file")
                .add("size", disk->size())
                .add("logical-block-size", static_cast<std::uint64_t>(disk->logicalBlockSize()))
                .add("physical-block-size", static_cast<std::uint64_t>(disk->physicalBlockSize()))
                .add("direct-io", disk->directIo())
                .add("allocated", allocated)
                .add("extents", extents)
                .add("default-granularity", engine::defaultGranularity(*disk))
                .addRaw("mount-points", m)
                .str()
                .c_str());
        return kExitOk;
    }
    std::vector<std::pair<std::string, std::string>> rows = {
        {fill(Cli::tr("path:")), path},
        {fill(Cli::tr("kind:")),
         fill(disk->isBlockDevice() ? Cli::tr("block device") : Cli::tr("image file"))},
        {fill(Cli::tr("size:")),
         fill(Cli::tr("%1 (%2 bytes)"), {sizeText(disk->size()), countText(disk->size())})},
        {fill(Cli::tr("logical block:")), std::to_string(disk->logicalBlockSize())},
        {fill(Cli::tr("physical block:")), std::to_string(disk->physicalBlockSize())},
        {fill(Cli::tr("direct I/O:")),
         fill(disk->directIo() ? Cli::tr("yes") : Cli::tr("no (buffered)"))},
        {fill(Cli::tr("allocated:")),
         fill(Cli::tr("%1 in %n extent(s)", nullptr, pluralCount(extents)), {sizeText(allocated)})},
        {fill(Cli::tr("default granularity:")), sizeText(engine::defaultGranularity(*disk))},
    };
    if (disk->isBlockDevice())
        rows.emplace_back(fill(Cli::tr("mounted:")),
                          mounts.empty() ? fill(Cli::tr("no")) : mounts.front());
    printRows(rows);
    return kExitOk;
}

// One device as `list --json` and `inspect --json` print it: every field a
// front end in another process needs to show and identify it.
JsonObject deviceJson(const engine::DeviceInfo& d)
{
    JsonObject o;
    o.add("name", d.name)
        .add("path", d.devnode)
        .add("id", d.stableId())
        .add("kind", d.kind())
        .add("bus", d.bus)
        .add("size", d.size)
        .add("model", d.model)
        .add("vendor", d.vendor)
        .add("serial", d.serial)
        .add("wwn", d.wwn)
        .add("logical-block-size", static_cast<std::uint64_t>(d.logicalBlockSize))
        .add("physical-block-size", static_cast<std::uint64_t>(d.physicalBlockSize))
        .add("removable", d.removable)
        .add("rotational", d.rotational)
        .add("read-only", d.readOnly)
        .add("partition-table", d.partitionTable)
        .add("fs-type", d.fsType)
        .add("fs-label", d.fsLabel)
        .add("fs-uuid", d.fsUuid)
        .addRaw("mount-points", stringArray(d.mountPoints))
        .addRaw("holders", stringArray(d.holders))
        .add("swap", d.swap)
        .add("holds-data", d.holdsData);
    if (d.isPartition)
        o.add("parent", d.parent).add("start-sector", d.startSector);
    if (!d.loopBackingFile.empty())
        o.add("backing-file", d.loopBackingFile);
    o.add("major", static_cast<std::uint64_t>(major(d.devnum)))
        .add("minor", static_cast<std::uint64_t>(minor(d.devnum)))
        .add("disk-seq", d.diskSeq)
        .add("partition-number", static_cast<std::uint64_t>(d.partitionNumber));
    return o;
}

int cmdList(int argc, char** argv)
{
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--json")
            json = true;
        else
            return badInput(fill(Cli::tr("list: unknown argument %1"), {argv[i]}));
    }
    const auto all = engine::enumerateDevices(makeLogger(false));
    if (json) {
        for (const auto& d : all) {
            JsonObject o = deviceJson(d);
            if (const auto refusal = engine::targetRefusal(d, all))
                o.add("target-refusal", *refusal);
            std::printf("%s\n", o.str().c_str());
        }
        return kExitOk;
    }
    // One row per device under translated headings; each column as wide as
    // its widest cell (in terminal columns: translations differ in length),
    // the model cut at 28.
    using Row = std::array<std::string, 6>;
    std::vector<Row> rows = {{fill(Cli::tr("DEVICE")), fill(Cli::tr("KIND")), fill(Cli::tr("SIZE")),
                              fill(Cli::tr("MODEL")), fill(Cli::tr("FS")), fill(Cli::tr("USE"))}};
    for (const auto& d : all) {
        std::string use;
        if (!d.mountPoints.empty())
            use = fill(Cli::tr("mounted at %1"), {d.mountPoints.front()});
        else if (d.swap)
            use = fill(Cli::tr("swap"));
        else if (!d.holders.empty())
            use = fill(Cli::tr("held by %1"), {d.holders.front()});
        if (holdsRootFileSystem(d, all))
            use = use.empty() ? fill(Cli::tr("system disk"))
                              : fill(Cli::tr("%1, system disk"), {use});
        std::string fsText = d.fsType.empty() ? d.partitionTable : d.fsType;
        if (!d.fsLabel.empty())
            fsText += " \"" + d.fsLabel + "\"";
        std::string model = d.model.empty() ? d.vendor : d.model;
        if (!d.loopBackingFile.empty())
            model = d.loopBackingFile;
        rows.push_back({d.isPartition ? "  " + d.name : d.name, kindText(d.kind()).toStdString(),
                        sizeText(d.size), model, fsText, use});
    }
    std::array<int, 6> width{};
    for (const Row& r : rows)
        for (std::size_t c = 0; c < r.size(); ++c)
            width[c] = std::max(width[c], displayWidth(r[c]));
    width[3] = std::min(width[3], 28);
    for (const Row& r : rows) {
        const std::string line = fitText(r[0], width[0]) + " " + fitText(r[1], width[1]) + " " +
                                 fitText(r[2], width[2], true) + "  " + fitText(r[3], width[3]) +
                                 " " + fitText(r[4], width[4]) + " " + r[5];
        std::printf("%s\n", line.c_str());
    }
    return kExitOk;
}

int cmdInspect(int argc, char** argv)
{
    bool json = false;
    std::string source, target, expectId;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--json") {
            json = true;
        } else if (arg == "--source" || arg == "--expect-id") {
            if (i + 1 >= argc)
                return badInput(fill(Cli::tr("inspect: %1 needs a value"), {arg}));
            (arg == "--source" ? source : expectId) = argv[++i];
            if ((arg == "--source" ? source : expectId).empty())
                return badInput(fill(Cli::tr("inspect: %1 needs a value"), {arg}));
        } else if (!arg.empty() && arg[0] == '-') {
            return badInput(fill(Cli::tr("inspect: unknown option %1"), {arg}));
        } else if (target.empty()) {
            target = arg;
        } else {
            return badInput(fill(Cli::tr("inspect takes one target")));
        }
    }
    if (target.empty())
        return badInput(fill(Cli::tr("inspect needs a target (see --help)")));
    // Nothing is looked at in a file the user could not use himself.
    std::optional<engine::Error> gate = elevatedAccessRefusal(target, O_RDWR);
    if (!gate && !source.empty())
        gate = elevatedAccessRefusal(source, O_RDONLY);
    engine::TargetReview r;
    if (gate)
        r.refusal = *gate;
    else
        r = engine::reviewTarget(source, target, expectId);
    const engine::TargetFacts& f = r.facts;
    if (json) {
        JsonObject facts;
        facts.add("exists", f.exists)
            .add("block-device", f.blockDevice)
            .add("size", f.size)
            .add("data-signature", f.dataSignature)
            .add("signature-readable", f.signatureReadable)
            .addRaw("partitions", stringArray(f.partitions));
        JsonObject o;
        o.add("target", target).add("source", source).add("expect-id", expectId);
        // What mirror --expect-id takes to bind a job to this very target.
        o.add("id", f.identity);
        if (r.refusal) {
            JsonObject refusal;
            refusal.add("errno", r.refusal->code).add("message", r.refusal->message);
            if (r.refusal->rule != engine::Rule::None)
                refusal.add("rule", engine::ruleName(r.refusal->rule));
            o.addRaw("refusal", refusal.str());
        }
        o.addRaw("facts", facts.str());
        if (r.device)
            o.addRaw("device", deviceJson(*r.device).str());
        std::string parts = "[";
        for (std::size_t i = 0; i < r.partitions.size(); ++i)
            parts += (i ? ", " : "") + deviceJson(r.partitions[i]).str();
        o.addRaw("device-partitions", parts + "]");
        std::printf("%s\n", o.str().c_str());
    } else {
        const std::string labels[] = {fill(Cli::tr("target:")),  fill(Cli::tr("holds:")),
                                      fill(Cli::tr("size:")),    fill(Cli::tr("device:")),
                                      fill(Cli::tr("verdict:")), fill(Cli::tr("identity:"))};
        int width = 0;
        for (const std::string& l : labels)
            width = std::max(width, displayWidth(l));
        auto row = [&](const std::string& label, const std::string& value) {
            std::printf("%s %s\n", fitText(label, width).c_str(), value.c_str());
        };
        row(labels[0], target);
        if (!f.exists)
            row(labels[1], fill(Cli::tr("nothing (it does not exist and would be created)")));
        else if (!f.signatureReadable)
            row(labels[1], fill(Cli::tr("unknown (the first sectors could not be read)")));
        else
            row(labels[1], f.dataSignature.empty()
                               ? fill(Cli::tr("no known partition table or file system"))
                               : signatureText(f.dataSignature));
        if (f.exists)
            row(labels[2], sizeText(f.size));
        if (r.device)
            row(labels[3], kindText(r.device->kind()).toStdString() + " " + r.device->model + " (" +
                               r.device->stableId() + ")");
        for (const auto& p : r.partitions)
            std::printf("  %s %s  %s%s\n", fitText(p.name, 12).c_str(),
                        fitText(sizeText(p.size), 10, true).c_str(), p.fsType.c_str(),
                        p.fsLabel.empty() ? "" : (" \"" + p.fsLabel + "\"").c_str());
        if (!f.identity.empty())
            row(labels[5], fill(Cli::tr("%1 (for mirror --expect-id)"), {f.identity}));
        if (r.refusal)
            row(labels[4], fill(Cli::tr("refused: %1"), {r.refusal->message}));
        else if (f.blockDevice && !f.dataSignature.empty())
            row(labels[4], fill(Cli::tr("accepted once you agree to overwrite %1 (mirror --force)"),
                                {signatureText(f.dataSignature)}));
        else if (f.blockDevice && (!f.partitions.empty() || !f.signatureReadable))
            row(labels[4], fill(Cli::tr("accepted once you agree to overwrite what it holds "
                                        "(mirror --force)")));
        else
            row(labels[4], fill(Cli::tr("accepted")));
    }
    return r.refusal ? kExitBadInput : kExitOk;
}

} // namespace

int run(int argc, char** argv)
{
    ::opterr = 0; // our own one-line messages instead of getopt's
    // A front end that reads our output may go away: a write to its closed
    // pipe must fail with EPIPE, not kill the process in the middle of a job.
    ::signal(SIGPIPE, SIG_IGN);
    if (argc < 2)
        return badInput(fill(Cli::tr("missing command (see --help)")));
    const std::string cmd = argv[1];
    if (cmd == "--help" || cmd == "-h" || cmd == "help") {
        printHelp();
        return kExitOk;
    }
    if (cmd == "--version") {
        std::printf("drivemirror-cli %s\n", DRIVEMIRROR_VERSION);
        return kExitOk;
    }
    // Sub-commands parse their own arguments from argv[1] on.
    if (cmd == "mirror")
        return cmdMirror(argc - 1, argv + 1);
    if (cmd == "demo")
        return cmdDemo(argc - 1, argv + 1);
    if (cmd == "verify")
        return cmdVerify(argc - 1, argv + 1);
    if (cmd == "info")
        return cmdInfo(argc - 1, argv + 1);
    if (cmd == "list")
        return cmdList(argc - 1, argv + 1);
    if (cmd == "inspect")
        return cmdInspect(argc - 1, argv + 1);
    return badInput(fill(Cli::tr("unknown command '%1' (see --help)"), {cmd}));
}

} // namespace cli
