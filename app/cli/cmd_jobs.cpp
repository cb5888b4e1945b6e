// `jobs` and `map export`: what an interrupted job left in its state
// directory (engine/job/job_journal.h), for a person to decide whether to go
// on with it, and its map for GNU ddrescue's tools (ddrescuelog, ddrescueview).
#include "cli.h"
#include "commands.h"
#include "common.h"
#include "json_output.h"
#include "text.h"

#include "format.h"
#include "job/job_journal.h"

#include <unistd.h>

#include <QDateTime>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace cli {

namespace key = protocol::key;

namespace {

// An id is used to build file names: anything but the form journalPaths()
// gives could name a file outside the state directory.
bool wellFormedId(const std::string& id)
{
    constexpr std::string_view kPrefix = "job-";
    if (id.size() != kPrefix.size() + 16 || id.rfind(kPrefix, 0) != 0)
        return false;
    for (std::size_t i = kPrefix.size(); i < id.size(); ++i)
        if (!std::isxdigit(static_cast<unsigned char>(id[i])) ||
            std::isupper(static_cast<unsigned char>(id[i])))
            return false;
    return true;
}

// The state directory as the output names it: absolute, so that the command
// `jobs` prints works from any directory, and without a trailing slash.
std::string stateDirOf(const std::string& given)
{
    std::string dir = given.empty() ? engine::defaultStateDir() : given;
    if (dir[0] != '/') {
        std::error_code ec;
        const auto absolute = std::filesystem::absolute(dir, ec);
        if (!ec)
            dir = absolute.lexically_normal().string();
    }
    while (dir.size() > 1 && dir.back() == '/')
        dir.pop_back();
    return dir;
}

// A word as a POSIX shell reads it back: paths with spaces or quotes must
// survive being pasted into a terminal.
std::string shellWord(const std::string& s)
{
    const bool plain =
        !s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_-./,:+=@%") == std::string::npos;
    if (plain)
        return s;
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// The arguments of `mirror` that go on with @p job: what its identity
// requires to be the same (identityMismatch refuses anything else), and the
// state directory when it is not the one a plain `mirror` would use.
std::vector<std::string> resumeArgs(const engine::SavedJob& job, const std::string& dir,
                                    bool defaultDir)
{
    std::vector<std::string> args{"mirror", job.source, job.target, "--resume"};
    if (!defaultDir)
        args.insert(args.end(), {"--state-dir", dir});
    if (!job.sync.empty() && job.sync != "full")
        args.insert(args.end(), {"--sync", job.sync});
    // 64 KiB is what most targets default to; any other value was either
    // asked for or the target's block size, and naming it is right either way.
    if (job.granularity != 64 * 1024)
        args.insert(args.end(), {"--granularity", std::to_string(job.granularity)});
    const auto wipe = job.checkpoint.identity.find("wipe-rest");
    if (wipe != job.checkpoint.identity.end() && wipe->second == "yes")
        args.emplace_back("--wipe-rest");
    return args;
}

double inSyncFraction(const engine::SavedJob& job)
{
    return job.extent ? static_cast<double>(job.inSyncBytes) / static_cast<double>(job.extent)
                      : 0.0;
}

std::uint64_t unreadableBytes(const engine::SavedJob& job)
{
    std::uint64_t n = 0;
    for (const engine::ByteRange& r : job.unreadable)
        n += r.length;
    return n;
}

std::string jobJsonText(const engine::SavedJob& job, const std::string& dir, bool defaultDir)
{
    return JsonObject()
        .add(key::kId, job.paths.id)
        .add(key::kSource, job.source)
        .add(key::kTarget, job.target)
        .add(key::kSize, job.extent)
        .add(key::kInSync, job.inSyncBytes)
        .add(key::kInSyncPercent, 100.0 * inSyncFraction(job))
        .add(key::kGranularity, job.granularity)
        .add(key::kSync, job.sync)
        .add(key::kSavedAt, job.savedAt)
        .add(key::kRunning, job.running)
        .addRaw(key::kUnreadable, rangesJson(job.unreadable))
        .add(key::kUnreadableBytes, unreadableBytes(job))
        .add(key::kCheckpoint, job.paths.checkpoint)
        .addRaw(key::kResumeArgs, stringArray(resumeArgs(job, dir, defaultDir)))
        .str();
}

void printJobText(const engine::SavedJob& job, const std::string& dir, bool defaultDir)
{
    std::string command = "drivemirror-cli";
    for (const std::string& word : resumeArgs(job, dir, defaultDir))
        command += " " + shellWord(word);
    // ISO order: a date a person cannot misread whatever his locale, in his
    // own time zone; how long ago, because that is what he decides by.
    const QString when =
        QDateTime::fromSecsSinceEpoch(job.savedAt).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    const double ago = std::difftime(std::time(nullptr), static_cast<std::time_t>(job.savedAt));
    std::vector<std::pair<std::string, std::string>> rows = {
        {fill(Cli::tr("source:")), job.source},
        {fill(Cli::tr("target:")), job.target},
        {fill(Cli::tr("in sync:")),
         fill(Cli::tr("%1 of %2 (%3)"), {ui::Format::percent(inSyncFraction(job)).toStdString(),
                                         sizeText(job.extent), sizeText(job.inSyncBytes)})},
        {fill(Cli::tr("granularity:")), sizeText(job.granularity)},
        {fill(Cli::tr("sync:")), job.sync},
        {fill(Cli::tr("saved:")),
         fill(Cli::tr("%1 (%2 ago)"), {when.toStdString(), durationText(std::max(0.0, ago))})},
    };
    if (!job.unreadable.empty())
        rows.emplace_back(fill(Cli::tr("unreadable:")),
                          fill(Cli::tr("%1 read as zeroes"), {sizeText(unreadableBytes(job))}));
    if (job.running)
        rows.emplace_back(fill(Cli::tr("state:")),
                          fill(Cli::tr("running now (in another process)")));
    else
        rows.emplace_back(fill(Cli::tr("to go on:")), command);
    std::printf("%s\n", job.paths.id.c_str());
    printRows(rows);
}

// "--name VALUE" or "--name=VALUE" at argv[i]; advances i past the value.
// Nullopt when argv[i] is not this option; an error text in @p error when
// its value is missing, empty or given twice.
std::optional<std::string> optionValue(int argc, char** argv, int& i, const std::string& name,
                                       const std::string& current, std::string& error)
{
    const std::string arg = argv[i];
    std::string value;
    if (arg == name) {
        if (i + 1 >= argc) {
            error = fill(Cli::tr("%1 needs a value"), {name});
            return std::string();
        }
        value = argv[++i];
    } else if (arg.rfind(name + "=", 0) == 0) {
        value = arg.substr(name.size() + 1);
    } else {
        return std::nullopt;
    }
    if (value.empty())
        error = fill(Cli::tr("%1: a value, not empty"), {name});
    else if (!current.empty())
        error = fill(Cli::tr("%1 given twice"), {name});
    return value;
}

// The job @p id in @p dir, or the one-line refusal.
engine::Result<engine::SavedJob> findJob(const std::string& dir, const std::string& id)
{
    const std::string unknown =
        fill(Cli::tr("no interrupted job %1 in %2 (see `jobs`)"), {id, dir});
    if (!wellFormedId(id))
        return engine::Error{EINVAL, unknown};
    auto job = engine::loadSavedJob(engine::journalPathsOf(dir, id));
    if (!job && job.error().code == ENOENT)
        return engine::Error{ENOENT, unknown};
    return job;
}

int discardJob(const std::string& dir, const std::string& id, bool json)
{
    const std::string unknown =
        fill(Cli::tr("jobs --discard: no interrupted job %1 in %2 (see `jobs`)"), {id, dir});
    if (!wellFormedId(id))
        return badInput(unknown);
    // A damaged checkpoint (one `jobs` skips) can still be discarded by its
    // id: that is how its files go.
    const engine::JournalPaths paths = engine::journalPathsOf(dir, id);
    if (::access(paths.checkpoint.c_str(), F_OK) != 0)
        return badInput(unknown);
    if (engine::journalInUse(paths))
        return badInput(fill(Cli::tr("jobs --discard: %1 is running now; cancel it first"), {id}));
    if (auto r = engine::discardSavedJob(paths); !r)
        return badInput(fill(Cli::tr("jobs --discard: %1"), {r.error().message}));
    if (json)
        printReturn(JsonObject().add(key::kId, id).str(), {});
    else
        std::printf("%s\n", fill(Cli::tr("discarded %1"), {id}).c_str());
    return kExitOk;
}

} // namespace

int cmdJobs(int argc, char** argv)
{
    bool json = false;
    std::string stateDir;
    std::string discard;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        std::string error;
        if (arg == "--json") {
            json = true;
        } else if (auto dir = optionValue(argc, argv, i, "--state-dir", stateDir, error)) {
            if (!error.empty())
                return badInput(fill(Cli::tr("jobs: %1"), {error}));
            stateDir = *dir;
        } else if (auto id = optionValue(argc, argv, i, "--discard", discard, error)) {
            if (!error.empty())
                return badInput(fill(Cli::tr("jobs: %1"), {error}));
            discard = *id;
        } else {
            return badInput(fill(Cli::tr("jobs: unknown argument %1 (see --help)"), {arg}));
        }
    }
    const std::string dir = stateDirOf(stateDir);
    const bool defaultDir = dir == stateDirOf({});
    if (!discard.empty())
        return discardJob(dir, discard, json);

    auto jobs = engine::listSavedJobs(dir);
    if (!jobs)
        return badInput(fill(Cli::tr("jobs: %1"), {jobs.error().message}));
    if (json) {
        std::string array = "[";
        for (std::size_t i = 0; i < jobs->size(); ++i)
            array += (i ? ", " : "") + jobJsonText((*jobs)[i], dir, defaultDir);
        printLine(JsonObject().add(key::kStateDir, dir).addRaw(key::kJobs, array + "]").str());
        return kExitOk;
    }
    if (jobs->empty()) {
        std::printf("%s\n", fill(Cli::tr("no interrupted jobs in %1"), {dir}).c_str());
        return kExitOk;
    }
    for (std::size_t i = 0; i < jobs->size(); ++i) {
        if (i)
            std::printf("\n");
        printJobText((*jobs)[i], dir, defaultDir);
    }
    return kExitOk;
}

int cmdMap(int argc, char** argv)
{
    if (argc < 2)
        return badInput(fill(Cli::tr("map needs a sub-command: export ID (see --help)")));
    if (std::string(argv[1]) != "export")
        return badInput(fill(Cli::tr("map: unknown sub-command %1 (see --help)"), {argv[1]}));
    std::string stateDir;
    std::string output;
    std::string id;
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        std::string error;
        if (auto dir = optionValue(argc, argv, i, "--state-dir", stateDir, error)) {
            if (!error.empty())
                return badInput(fill(Cli::tr("map export: %1"), {error}));
            stateDir = *dir;
        } else if (auto file = optionValue(argc, argv, i, "--output", output, error)) {
            if (!error.empty())
                return badInput(fill(Cli::tr("map export: %1"), {error}));
            output = *file;
        } else if (!arg.empty() && arg[0] == '-') {
            return badInput(fill(Cli::tr("map export: unknown option %1 (see --help)"), {arg}));
        } else if (id.empty()) {
            id = arg;
        } else {
            return badInput(fill(Cli::tr("map export takes one job id")));
        }
    }
    if (id.empty())
        return badInput(fill(Cli::tr("map export needs a job id, as `jobs` lists them")));
    const std::string dir = stateDirOf(stateDir);
    auto job = findJob(dir, id);
    if (!job)
        return badInput(fill(Cli::tr("map export: %1"), {job.error().message}));
    const std::string text = engine::ddrescueMapfile(*job);
    if (output.empty() || output == "-") {
        if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
            std::fflush(stdout) != 0)
            return badInput(
                fill(Cli::tr("map export: cannot write the map: %1"), {std::strerror(errno)}));
        return kExitOk;
    }
    // Written under another name and renamed, so that a mapfile ddrescue may
    // be reading is never seen half written.
    const std::string tmp = output + ".part";
    std::FILE* f = std::fopen(tmp.c_str(), "w");
    if (!f)
        return badInput(
            fill(Cli::tr("map export: cannot create %1: %2"), {tmp, std::strerror(errno)}));
    const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
    const int savedErrno = errno;
    if (std::fclose(f) != 0 || !written || std::rename(tmp.c_str(), output.c_str()) != 0) {
        const int err = written ? errno : savedErrno;
        std::remove(tmp.c_str());
        return badInput(
            fill(Cli::tr("map export: cannot write %1: %2"), {output, std::strerror(err)}));
    }
    return kExitOk;
}

} // namespace cli
