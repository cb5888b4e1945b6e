// A job's journal: what lets an interrupted copy go on where it stopped.
//
// Three files in a state directory, named after the source and target:
//
//   job-HASH.ckpt        the checkpoint (checkpoint.h): identity + in-sync map
//   job-HASH.hashes      8 bytes per granule: a hash of what the target got
//   job-HASH.unreadable  "offset length" per line: source ranges read as zeroes
//
// The rule that keeps a resumed copy right: a granule the last checkpoint
// calls in sync holds on the target, durably, the data whose hash the hash
// file holds. So a checkpoint is committed only after the target and the
// hash file are flushed, and a granule it calls in sync is not written
// again before a checkpoint that no longer calls it so is committed
// (invalidate()). A running job commits in steps (stage(), its flushes,
// writeStaged(), slotSynced()) so that the flushes do not stop its copy.
// What may be trusted at a resume:
//
//  - an offline source that is provably unchanged since the job began (an
//    image with the same inode, size and change times; a block device in
//    the same boot with the same write counters): the map as it is;
//  - anything else (a live source, or a doubt): the map after a comparison
//    that reads the source's in-sync granules once and copies again those
//    whose hash differs from what the target got.
#pragma once

#include "base/result.h"
#include "bitmap/dirty_bitmap.h"
#include "job/checkpoint.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace engine {

class Disk;

/// How often a running job commits a checkpoint unless told otherwise.
inline constexpr std::chrono::seconds kDefaultCheckpointInterval{5};

/// Where jobs keep their journals when the user names no directory:
/// $DRIVEMIRROR_STATE_DIR if set; /var/lib/drivemirror for root; else
/// $XDG_STATE_HOME/drivemirror or ~/.local/state/drivemirror.
std::string defaultStateDir();

/// The files of the job copying @p source to @p target in @p dir, each end
/// named by its key (JobEnd::key).
struct JournalPaths
{
    std::string checkpoint;
    std::string hashes;
    std::string unreadable;
    std::string id; ///< "job-" + 16 hex digits, the files' common stem
};
JournalPaths journalPaths(const std::string& dir, const std::string& source,
                          const std::string& target);
/// The same from a job id (as `jobs` lists it) in @p dir.
JournalPaths journalPathsOf(const std::string& dir, const std::string& id);

/// An interrupted job found in a state directory.
struct SavedJob
{
    JournalPaths paths;
    std::string source;       ///< real path
    std::string target;       ///< real path
    std::uint64_t extent = 0; ///< bytes the job covers
    std::uint64_t granularity = 0;
    std::uint64_t inSyncBytes = 0; ///< of extent
    std::string sync;              ///< "full", "top", "none"
    std::int64_t savedAt = 0;      ///< unix time of the last checkpoint
    /// A job holds its journal while it runs: listed, but neither resumed
    /// nor discarded by anyone else meanwhile.
    bool running = false;
    Checkpoint checkpoint;
    std::vector<ByteRange> unreadable; ///< sorted, merged
};
/// The job whose checkpoint is at @p checkpointPath.
Result<SavedJob> loadSavedJob(const JournalPaths& paths);
/// Every job with a whole checkpoint in @p dir, newest first; files that are
/// not whole checkpoints are skipped. A missing directory is an empty list.
Result<std::vector<SavedJob>> listSavedJobs(const std::string& dir);
/// Removes a job's files (a running job's too: check SavedJob::running).
Result<void> discardSavedJob(const JournalPaths& paths);
/// True while a job (in this process or another) holds the journal.
bool journalInUse(const JournalPaths& paths);

/// The map as a GNU ddrescue mapfile: in-sync ranges finished ('+'), ranges
/// left to copy non-tried ('?'), unreadable ranges bad ('-').
std::string ddrescueMapfile(const SavedJob& job);

/// How a job starts from its journal.
struct ResumePlan
{
    enum class From {
        Scratch, ///< no checkpoint used
        Map,     ///< the checkpoint's map, trusted as it is
        Compare, ///< the map after comparing the source with the hashes
    };
    From from = From::Scratch;
    std::string why; ///< in words, for the log and the user
    /// With Map or Compare: bit i = granule i in sync at the checkpoint.
    Checkpoint checkpoint;
    std::vector<ByteRange> unreadable;
};
std::string_view toString(ResumePlan::From from);

/// One end of a job as its journal knows it.
struct JobEnd
{
    std::string path; ///< real path
    /// A block device's stable identity (serial, WWN), an image's
    /// imageFileId(); empty when unknown.
    std::string id;
    /// What names the journal: a disk by its identity (its path may change
    /// with the next boot), an image by its path.
    std::string key() const;
};

/// The identity of a job copying @p source to @p target, what must be the
/// same for its checkpoint to apply, with the seen.* keys of the source's
/// state now. @p live: something may write to the source while it is copied.
JobIdentity describeJob(const Disk& source, const JobEnd& sourceEnd, const Disk& target,
                        const JobEnd& targetEnd, std::uint64_t extent, std::uint64_t granularity,
                        std::string_view sync, bool wipeRest, bool live);

/// What a job does with its journal; owned by the job, used on its thread.
class JobJournal
{
public:
    struct Options
    {
        std::string dir;
        /// Go on from the checkpoint in dir; refused when there is none or
        /// it is another job's. Without it an old checkpoint is replaced.
        bool resume = false;
        std::chrono::milliseconds interval = kDefaultCheckpointInterval;
    };

    /// Opens (resume) or creates the journal for a job of @p identity over
    /// @p granules granules, and decides how it starts. Writes nothing on a
    /// refusal.
    static Result<std::unique_ptr<JobJournal>> open(const Options& options, JobIdentity identity,
                                                    std::uint64_t granules,
                                                    std::uint64_t granularity);
    ~JobJournal();
    JobJournal(const JobJournal&) = delete;
    JobJournal& operator=(const JobJournal&) = delete;

    const ResumePlan& plan() const { return m_plan; }
    const JournalPaths& paths() const { return m_paths; }
    std::chrono::milliseconds interval() const { return m_interval; }
    std::uint64_t granularity() const { return m_granularity; }

    /// The hash of one granule's data as the job stores it (0 never: it
    /// means "nothing recorded").
    static std::uint64_t hashGranule(const std::uint8_t* data, std::size_t length);
    /// The hashes recorded for the granules from @p first on, 0 where none.
    Result<void> recordedHashes(std::uint64_t first, std::span<std::uint64_t> out) const;
    /// The target got @p hashes for the granules from @p first on (buffered;
    /// durable at the next commit).
    Result<void> recordHashes(std::uint64_t first, std::span<const std::uint64_t> hashes);
    void addUnreadable(ByteRange range);

    /// Granules from @p index on (at most @p maxGranules) that the last
    /// checkpoint calls in sync: they must not be written before
    /// invalidate() commits a checkpoint without them.
    std::uint64_t protectedRun(std::uint64_t index, std::uint64_t maxGranules) const;
    /// Granules from @p index on (at most @p maxGranules) that are free to
    /// write.
    std::uint64_t unprotectedRun(std::uint64_t index, std::uint64_t maxGranules) const;

    /// Commits the last checkpoint minus every granule @p dirty holds: no
    /// flush needed, those granules were flushed when first committed.
    Result<void> invalidate(const DirtyBitmap& dirty);
    /// Commits @p inSync (bit per granule), which the caller has flushed to
    /// the target; flushes the hash file first.
    Result<void> commit(std::vector<std::uint8_t> inSync);

    // The same commit in steps, for a job that flushes asynchronously so
    // that its copy goes on meanwhile: stage() the map, flush the target and
    // hashFd(), writeStaged(), flush slotFd(), slotSynced(). A granule the
    // job starts to write after stage() must be unstage()d; one the written
    // slot or the one before it calls in sync stays protected (protectedRun)
    // until the written slot is synced, since a crash may keep either.

    /// Holds @p inSync as the next checkpoint, replacing one staged before.
    void stage(std::vector<std::uint8_t> inSync);
    bool hasStaged() const { return m_hasStaged; }
    /// The job writes these granules: the staged map no longer calls them
    /// in sync.
    void unstage(std::uint64_t index, std::uint64_t count);
    void dropStaged();
    int hashFd() const { return m_hashFd; }
    /// Writes the staged map into the older slot, without a flush (the
    /// target and hashFd() are flushed). Call only after slotSynced().
    Result<void> writeStaged();
    int slotFd() const { return m_file ? m_file->fd() : -1; }
    /// The slot writeStaged() wrote is durable.
    void slotSynced() { m_prior.clear(); }
    /// The job completed: its journal is of no more use.
    void remove();
    std::uint64_t commits() const { return m_commits; }

private:
    JobJournal() = default;
    Result<void> writeUnreadable();

    Result<void> hold();

    JournalPaths m_paths;
    int m_lockFd = -1; ///< the checkpoint, flocked while the job runs
    std::optional<CheckpointFile> m_file;
    int m_hashFd = -1;
    std::uint64_t m_granules = 0;
    std::uint64_t m_granularity = 0;
    std::chrono::milliseconds m_interval{};
    std::vector<std::uint8_t> m_committed;
    /// The slot before m_committed's while m_committed's is not synced: a
    /// crash may keep it, so what it calls in sync stays protected.
    std::vector<std::uint8_t> m_prior;
    std::vector<std::uint8_t> m_staged;
    bool m_hasStaged = false;
    std::vector<ByteRange> m_unreadable;
    bool m_unreadableChanged = false;
    ResumePlan m_plan;
    std::uint64_t m_commits = 0;
};

} // namespace engine
