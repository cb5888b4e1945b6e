#include "job/job_journal.h"

#include "base/units.h"
#include "io/disk.h"
#include "job/yield_controller.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace engine {

namespace {

constexpr std::string_view kCheckpointSuffix = ".ckpt";

std::string hex16(std::uint64_t v)
{
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

std::string readSmallFile(const std::string& path)
{
    std::ifstream in(path);
    std::string text;
    std::getline(in, text);
    return text;
}

// What tells whether the source changed while no job watched it: an image's
// change times (they survive a reboot), a disk's write counters in this boot.
std::string sourceState(const Disk& source)
{
    if (source.isNbd())
        return "unknown"; // the server's clients write it out of sight
    struct stat st;       // NOLINT: filled by fstat
    if (::fstat(source.fd(), &st) != 0)
        return "unknown";
    if (!source.isBlockDevice())
        return "mtime " + std::to_string(st.st_mtim.tv_sec) + "." +
               std::to_string(st.st_mtim.tv_nsec) + " ctime " + std::to_string(st.st_ctim.tv_sec) +
               "." + std::to_string(st.st_ctim.tv_nsec) + " size " + std::to_string(st.st_size);
    auto stat = readBlockStat(blockStatPath(source.identity().rdev));
    if (!stat)
        return "unknown";
    const std::string boot = readSmallFile("/proc/sys/kernel/random/boot_id");
    return "boot " + (boot.empty() ? std::string("unknown") : boot) + " writes " +
           std::to_string(stat->writeIos) + " sectors " + std::to_string(stat->writeSectors) +
           " discards " + std::to_string(stat->discardIos);
}

Result<std::vector<ByteRange>> readUnreadable(const std::string& path)
{
    std::ifstream in(path);
    std::vector<ByteRange> out;
    if (!in)
        return out; // none recorded
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
    while (in >> offset >> length)
        out.push_back({offset, length});
    if (!in.eof())
        return Error{EBADMSG, path + ": not a list of unreadable ranges"};
    return out;
}

std::uint64_t parseNumber(const JobIdentity& identity, const std::string& key)
{
    const auto it = identity.find(key);
    return it == identity.end() ? 0 : std::strtoull(it->second.c_str(), nullptr, 10);
}

std::string valueOf(const JobIdentity& identity, const std::string& key)
{
    const auto it = identity.find(key);
    return it == identity.end() ? std::string() : it->second;
}

std::uint64_t inSyncGranules(const Checkpoint& c)
{
    std::uint64_t n = 0;
    for (std::uint8_t b : c.inSync)
        n += static_cast<std::uint64_t>(std::popcount(b));
    return n;
}

// Makes @p dir and the directories above it that are missing (a new
// account has no ~/.local/state).
Result<void> makeDirectories(const std::string& dir)
{
    for (std::size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
        const std::string part = dir.substr(0, slash);
        if (!part.empty() && ::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST)
            return systemError(errno, "create the state directory " + dir);
        if (slash == std::string::npos)
            return {};
    }
}

// Where the map can be trusted as it is, and why not where it cannot.
ResumePlan::From judge(const JobIdentity& saved, const JobIdentity& now, std::string& why)
{
    const std::string seen(kSeenPrefix);
    if (valueOf(saved, seen + "live") != "no" || valueOf(now, seen + "live") != "no") {
        why = "the source is live: what was written to it while no job watched it is known "
              "only by reading it";
        return ResumePlan::From::Compare;
    }
    const std::string then = valueOf(saved, seen + "source-state");
    const std::string nowState = valueOf(now, seen + "source-state");
    if (then.empty() || then == "unknown" || then != nowState) {
        why = "the source may have changed since the job began (" + then + " then, " + nowState +
              " now)";
        return ResumePlan::From::Compare;
    }
    why = "the source is unchanged since the job began (" + nowState + ")";
    return ResumePlan::From::Map;
}

} // namespace

std::string defaultStateDir()
{
    if (const char* dir = std::getenv("DRIVEMIRROR_STATE_DIR"); dir && *dir)
        return dir;
    if (::geteuid() == 0)
        return "/var/lib/drivemirror";
    if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg == '/')
        return std::string(xdg) + "/drivemirror";
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : "/tmp") + "/.local/state/drivemirror";
}

std::string JobEnd::key() const
{
    return !id.empty() && id.rfind("file:", 0) != 0 ? id : path;
}

JournalPaths journalPathsOf(const std::string& dir, const std::string& id)
{
    const std::string stem = dir + "/" + id;
    return {stem + std::string(kCheckpointSuffix), stem + ".hashes", stem + ".unreadable", id};
}

JournalPaths journalPaths(const std::string& dir, const std::string& source,
                          const std::string& target)
{
    const std::string both = source + '\n' + target;
    return journalPathsOf(dir, "job-" + hex16(XXH3_64bits(both.data(), both.size())));
}

std::string_view toString(ResumePlan::From from)
{
    switch (from) {
    case ResumePlan::From::Scratch:
        return "scratch";
    case ResumePlan::From::Map:
        return "map";
    case ResumePlan::From::Compare:
        return "compare";
    }
    return "scratch";
}

JobIdentity describeJob(const Disk& source, const JobEnd& sourceEnd, const Disk& target,
                        const JobEnd& targetEnd, std::uint64_t extent, std::uint64_t granularity,
                        std::string_view sync, bool wipeRest, bool live)
{
    JobIdentity id;
    id["source"] = sourceEnd.path;
    id["source-id"] = sourceEnd.id.empty() ? "unknown" : sourceEnd.id;
    id["source-size"] = std::to_string(source.size());
    id["source-block"] = std::to_string(source.logicalBlockSize());
    id["target"] = targetEnd.path;
    id["target-id"] = targetEnd.id.empty() ? "unknown" : targetEnd.id;
    id["target-size"] = std::to_string(target.size());
    id["target-block"] = std::to_string(target.logicalBlockSize());
    id["extent"] = std::to_string(extent);
    id["granularity"] = std::to_string(granularity);
    id["sync"] = std::string(sync);
    id["wipe-rest"] = wipeRest ? "yes" : "no";
    // What names the journal, kept so that a resume finds it by the same
    // names whatever path it was given.
    id["source-key"] = sourceEnd.key();
    id["target-key"] = targetEnd.key();
    const std::string seen(kSeenPrefix);
    id[seen + "live"] = live ? "yes" : "no";
    id[seen + "source-state"] = sourceState(source);
    return id;
}

// ---------------------------------------------------------------------------

Result<SavedJob> loadSavedJob(const JournalPaths& paths)
{
    auto c = CheckpointFile::load(paths.checkpoint);
    if (!c)
        return c.error();
    SavedJob job;
    job.paths = paths;
    job.source = valueOf(c->identity, "source");
    job.target = valueOf(c->identity, "target");
    job.extent = parseNumber(c->identity, "extent");
    job.granularity = parseNumber(c->identity, "granularity");
    job.sync = valueOf(c->identity, "sync");
    job.inSyncBytes = inSyncGranules(*c) * job.granularity;
    // The last granule may be partial: it holds only what the extent has.
    if (c->granules > 0 && c->granuleInSync(c->granules - 1) &&
        c->granules * job.granularity > job.extent)
        job.inSyncBytes -= std::min(job.inSyncBytes, c->granules * job.granularity - job.extent);
    job.running = journalInUse(paths);
    struct stat st; // NOLINT: filled by stat
    if (::stat(paths.checkpoint.c_str(), &st) == 0)
        job.savedAt = st.st_mtim.tv_sec;
    auto bad = readUnreadable(paths.unreadable);
    if (!bad)
        return bad.error();
    job.unreadable = sortedMerged(std::move(*bad));
    job.checkpoint = std::move(*c);
    return job;
}

Result<std::vector<SavedJob>> listSavedJobs(const std::string& dir)
{
    std::vector<SavedJob> out;
    DIR* d = ::opendir(dir.c_str());
    if (!d) {
        if (errno == ENOENT)
            return out;
        return systemError(errno, "open " + dir);
    }
    while (const dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name.size() <= kCheckpointSuffix.size() || name.rfind("job-", 0) != 0 ||
            !name.ends_with(kCheckpointSuffix))
            continue;
        auto job = loadSavedJob(
            journalPathsOf(dir, name.substr(0, name.size() - kCheckpointSuffix.size())));
        if (job)
            out.push_back(std::move(*job));
    }
    ::closedir(d);
    std::sort(out.begin(), out.end(),
              [](const SavedJob& a, const SavedJob& b) { return a.savedAt > b.savedAt; });
    return out;
}

bool journalInUse(const JournalPaths& paths)
{
    const int fd = ::open(paths.checkpoint.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    const bool held = ::flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
    ::close(fd);
    return held;
}

Result<void> discardSavedJob(const JournalPaths& paths)
{
    for (const std::string* p : {&paths.checkpoint, &paths.hashes, &paths.unreadable})
        if (::unlink(p->c_str()) != 0 && errno != ENOENT)
            return systemError(errno, "remove " + *p);
    return {};
}

std::string ddrescueMapfile(const SavedJob& job)
{
    // ddrescue's format (info "Mapfile structure"): comments, the status
    // line "current_pos current_status current_pass", then one line per
    // block "pos size status" in hexadecimal, covering the whole extent.
    std::ostringstream out;
    out << "# Mapfile. Created by DriveMirror\n";
    out << "# source: " << job.source << "\n# target: " << job.target << "\n";
    out << "# current_pos  current_status  current_pass\n";
    out << "0x00000000     ?               1\n";
    out << "#      pos        size  status\n";
    struct Block
    {
        std::uint64_t pos;
        std::uint64_t size;
        char status;
    };
    std::vector<Block> blocks;
    auto add = [&](std::uint64_t pos, std::uint64_t size, char status) {
        if (size == 0)
            return;
        if (!blocks.empty() && blocks.back().status == status &&
            blocks.back().pos + blocks.back().size == pos)
            blocks.back().size += size;
        else
            blocks.push_back({pos, size, status});
    };
    const std::uint64_t g = job.granularity;
    std::size_t bad = 0;
    for (std::uint64_t i = 0; g && i < job.checkpoint.granules; ++i) {
        const std::uint64_t start = i * g;
        const std::uint64_t end = std::min(job.extent, start + g);
        if (!job.checkpoint.granuleInSync(i)) {
            add(start, end - start, '?');
            continue;
        }
        // An in-sync granule is finished except where the source could not
        // be read and zeroes were written instead.
        std::uint64_t pos = start;
        while (bad < job.unreadable.size() && job.unreadable[bad].end() <= pos)
            ++bad;
        for (std::size_t k = bad; k < job.unreadable.size() && job.unreadable[k].offset < end;
             ++k) {
            const ByteRange& r = job.unreadable[k];
            const std::uint64_t from = std::max(pos, r.offset);
            const std::uint64_t to = std::min(end, r.end());
            add(pos, from - pos, '+');
            add(from, to - from, '-');
            pos = to;
        }
        add(pos, end - pos, '+');
    }
    for (const Block& b : blocks) {
        char line[64];
        std::snprintf(line, sizeof line, "0x%08llX  0x%08llX  %c\n",
                      static_cast<unsigned long long>(b.pos),
                      static_cast<unsigned long long>(b.size), b.status);
        out << line;
    }
    return out.str();
}

// ---------------------------------------------------------------------------

Result<std::unique_ptr<JobJournal>> JobJournal::open(const Options& options, JobIdentity identity,
                                                     std::uint64_t granules,
                                                     std::uint64_t granularity)
{
    std::unique_ptr<JobJournal> j(new JobJournal);
    j->m_paths =
        journalPaths(options.dir, valueOf(identity, "source-key"), valueOf(identity, "target-key"));
    j->m_granules = granules;
    j->m_granularity = granularity;
    j->m_interval = options.interval;
    if (auto r = makeDirectories(options.dir); !r)
        return r.error();

    if (options.resume) {
        if (journalInUse(j->m_paths))
            return Error{EBUSY, "cannot resume: the job of " + valueOf(identity, "source") +
                                    " to " + valueOf(identity, "target") +
                                    " is running in another process"};
        auto saved = CheckpointFile::load(j->m_paths.checkpoint);
        if (!saved) {
            if (saved.error().code == ENOENT)
                return Error{ENOENT, "nothing to resume: no interrupted job of " +
                                         valueOf(identity, "source") + " to " +
                                         valueOf(identity, "target") + " in " + options.dir};
            return saved.error();
        }
        if (auto why = identityMismatch(saved->identity, identity))
            return Error{EINVAL, "cannot resume: the checkpoint in " + j->m_paths.checkpoint +
                                     " is of another job (" + *why + ")"};
        if (saved->granules != granules)
            return Error{EINVAL, "cannot resume: the checkpoint covers " +
                                     std::to_string(saved->granules) + " granules, the job " +
                                     std::to_string(granules)};
        auto bad = readUnreadable(j->m_paths.unreadable);
        if (!bad)
            return bad.error();
        const int fd = ::open(j->m_paths.hashes.c_str(), O_RDWR | O_CLOEXEC);
        if (fd < 0)
            return systemError(errno, "open " + j->m_paths.hashes);
        j->m_hashFd = fd;
        auto file = CheckpointFile::reopen(j->m_paths.checkpoint);
        if (!file)
            return file.error();
        j->m_file.emplace(std::move(*file));
        j->m_plan.from = judge(saved->identity, identity, j->m_plan.why);
        j->m_committed = saved->inSync;
        j->m_unreadable = sortedMerged(std::move(*bad));
        j->m_plan.unreadable = j->m_unreadable;
        j->m_plan.checkpoint = std::move(*saved);
        if (auto r = j->hold(); !r)
            return r.error();
        return j;
    }
    // A fresh start replaces what an earlier run left under this name.
    (void)discardSavedJob(j->m_paths);
    const int fd = ::open(j->m_paths.hashes.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return systemError(errno, "create " + j->m_paths.hashes);
    j->m_hashFd = fd;
    if (::ftruncate(fd, static_cast<off_t>(granules * 8)) != 0)
        return systemError(errno, "resize " + j->m_paths.hashes);
    auto file = CheckpointFile::create(j->m_paths.checkpoint, std::move(identity), granules);
    if (!file)
        return file.error();
    j->m_file.emplace(std::move(*file));
    j->m_committed.assign(checkpointBitmapBytes(granules), 0);
    j->m_plan.why = "a new job";
    if (auto r = j->hold(); !r)
        return r.error();
    return j;
}

Result<void> JobJournal::hold()
{
    m_lockFd = ::open(m_paths.checkpoint.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_lockFd < 0)
        return systemError(errno, "open " + m_paths.checkpoint);
    if (::flock(m_lockFd, LOCK_EX | LOCK_NB) != 0)
        return Error{EBUSY, m_paths.checkpoint + ": the job is running in another process"};
    return {};
}

JobJournal::~JobJournal()
{
    if (m_hashFd >= 0)
        ::close(m_hashFd);
    if (m_lockFd >= 0)
        ::close(m_lockFd);
}

std::uint64_t JobJournal::hashGranule(const std::uint8_t* data, std::size_t length)
{
    const std::uint64_t h = XXH3_64bits(data, length);
    return h ? h : 1;
}

Result<void> JobJournal::recordedHashes(std::uint64_t first, std::span<std::uint64_t> out) const
{
    std::fill(out.begin(), out.end(), 0);
    const ssize_t n = ::pread(m_hashFd, out.data(), out.size_bytes(),
                              static_cast<off_t>(first * sizeof(std::uint64_t)));
    if (n < 0)
        return systemError(errno, "read " + m_paths.hashes);
    return {};
}

Result<void> JobJournal::recordHashes(std::uint64_t first, std::span<const std::uint64_t> hashes)
{
    const std::size_t bytes = hashes.size_bytes();
    const ssize_t n =
        ::pwrite(m_hashFd, hashes.data(), bytes, static_cast<off_t>(first * sizeof(std::uint64_t)));
    if (n < 0)
        return systemError(errno, "write " + m_paths.hashes);
    if (static_cast<std::size_t>(n) != bytes)
        return Error{EIO, "write " + m_paths.hashes + ": short write"};
    return {};
}

void JobJournal::addUnreadable(ByteRange range)
{
    m_unreadable.push_back(range);
    m_unreadableChanged = true;
}

namespace {

bool bitSet(const std::vector<std::uint8_t>& bits, std::uint64_t i)
{
    return i / 8 < bits.size() && ((bits[i / 8] >> (i % 8)) & 1u);
}

} // namespace

std::uint64_t JobJournal::protectedRun(std::uint64_t index, std::uint64_t maxGranules) const
{
    std::uint64_t n = 0;
    while (n < maxGranules && index + n < m_granules &&
           (bitSet(m_committed, index + n) || bitSet(m_prior, index + n)))
        ++n;
    return n;
}

std::uint64_t JobJournal::unprotectedRun(std::uint64_t index, std::uint64_t maxGranules) const
{
    std::uint64_t n = 0;
    while (n < maxGranules && index + n < m_granules && !bitSet(m_committed, index + n) &&
           !bitSet(m_prior, index + n))
        ++n;
    return n;
}

void JobJournal::stage(std::vector<std::uint8_t> inSync)
{
    m_staged = std::move(inSync);
    m_hasStaged = true;
}

void JobJournal::unstage(std::uint64_t index, std::uint64_t count)
{
    if (!m_hasStaged)
        return;
    for (std::uint64_t i = index; i < index + count && i < m_granules; ++i)
        m_staged[i / 8] = static_cast<std::uint8_t>(m_staged[i / 8] & ~(1u << (i % 8)));
}

void JobJournal::dropStaged()
{
    m_staged.clear();
    m_hasStaged = false;
}

Result<void> JobJournal::writeStaged()
{
    if (!m_hasStaged)
        return {};
    if (auto r = writeUnreadable(); !r)
        return r;
    if (auto r = m_file->write(m_staged); !r)
        return r;
    m_prior = std::move(m_committed);
    m_committed = std::move(m_staged);
    m_hasStaged = false;
    ++m_commits;
    return {};
}

Result<void> JobJournal::invalidate(const DirtyBitmap& dirty)
{
    // The slot written last must be durable before the next one goes over
    // the slot before it.
    if (!m_prior.empty()) {
        if (::fdatasync(m_file->fd()) != 0)
            return systemError(errno, "flush " + m_paths.checkpoint);
        m_prior.clear();
    }
    const std::uint64_t g = m_granularity;
    bool changed = false;
    std::uint64_t pos = 0;
    while (auto run = dirty.nextDirtyRun(pos, dirty.size())) {
        const std::uint64_t last = (run->end() - 1) / g;
        unstage(run->offset / g, last + 1 - run->offset / g);
        for (std::uint64_t i = run->offset / g; i <= last && i < m_granules; ++i) {
            std::uint8_t& byte = m_committed[i / 8];
            const auto bit = static_cast<std::uint8_t>(1u << (i % 8));
            if (byte & bit) {
                byte = static_cast<std::uint8_t>(byte & ~bit);
                changed = true;
            }
        }
        pos = run->end();
    }
    if (!changed)
        return {};
    if (auto r = m_file->commit(m_committed); !r)
        return r;
    ++m_commits;
    return {};
}

Result<void> JobJournal::writeUnreadable()
{
    if (!m_unreadableChanged)
        return {};
    m_unreadable = sortedMerged(std::move(m_unreadable));
    const std::string tmp = m_paths.unreadable + ".new";
    {
        std::ofstream out(tmp, std::ios::trunc);
        for (const ByteRange& r : m_unreadable)
            out << r.offset << ' ' << r.length << '\n';
        out.flush();
        if (!out)
            return Error{EIO, "write " + tmp};
    }
    const int fd = ::open(tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ::fdatasync(fd);
        ::close(fd);
    }
    if (::rename(tmp.c_str(), m_paths.unreadable.c_str()) != 0)
        return systemError(errno, "rename " + tmp);
    m_unreadableChanged = false;
    return {};
}

Result<void> JobJournal::commit(std::vector<std::uint8_t> inSync)
{
    // This checkpoint is newer than anything staged; the fdatasync below
    // makes a slot written before it durable too.
    dropStaged();
    m_prior.clear();
    // What the new map calls in sync must have its hashes (and its
    // unreadable ranges) on disk before the map says so.
    if (::fdatasync(m_hashFd) != 0)
        return systemError(errno, "flush " + m_paths.hashes);
    if (auto r = writeUnreadable(); !r)
        return r;
    if (auto r = m_file->commit(inSync); !r)
        return r;
    m_committed = std::move(inSync);
    ++m_commits;
    return {};
}

void JobJournal::remove()
{
    (void)discardSavedJob(m_paths);
}

} // namespace engine
