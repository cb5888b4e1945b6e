// A job's state on disk, so that an interrupted copy (the program killed,
// the machine reset, a cable pulled) can go on from its last checkpoint
// instead of from zero.
//
// The file holds who the job is (JobIdentity: what the source and target
// are, their sizes, the granularity, the settings, the boot) and which
// granules were in sync at the checkpoint, in two alternating slots:
//
//   header (4 KiB)  magic, version, slot size
//   slot A          magic, generation, lengths, checksum | identity | in-sync bits
//   slot B          the same, one generation older or newer
//
// A commit overwrites the older slot and fdatasyncs it, so a crash while it
// writes leaves the other slot whole; load() takes the whole slot with the
// higher generation and refuses a file with none. The caller commits only
// what is safe to trust: granules it copied and flushed to the target, with
// no tracked write to them since their read began.
#pragma once

#include "base/result.h"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

/// What must be the same for a checkpoint to apply: key, value (text).
using JobIdentity = std::map<std::string, std::string>;

/// Identity keys with this prefix describe the source's state when the job
/// began, to decide how far its map can be trusted; they never make a
/// checkpoint refuse to apply (identityMismatch skips them).
inline constexpr std::string_view kSeenPrefix = "seen.";

struct Checkpoint
{
    JobIdentity identity;
    std::uint64_t generation = 0;
    std::uint64_t granules = 0;
    /// Bit i % 8 of byte i / 8: granule i was in sync.
    std::vector<std::uint8_t> inSync;

    bool granuleInSync(std::uint64_t index) const
    {
        return index < granules && (inSync[index / 8] >> (index % 8)) & 1u;
    }
};

/// Bytes the in-sync bits of @p granules granules take.
constexpr std::uint64_t checkpointBitmapBytes(std::uint64_t granules)
{
    return (granules + 7) / 8;
}

class CheckpointFile
{
public:
    /// The most identity text a checkpoint holds.
    static constexpr std::size_t kMaxIdentityBytes = 8192;

    /// Creates @p path (replacing what was there) for a job of @p granules
    /// granules; nothing is committed yet, so load() refuses it until the
    /// first commit().
    static Result<CheckpointFile> create(const std::string& path, JobIdentity identity,
                                         std::uint64_t granules);
    /// Opens @p path to go on committing after its newest checkpoint.
    static Result<CheckpointFile> reopen(const std::string& path);
    /// The newest whole checkpoint in @p path.
    static Result<Checkpoint> load(const std::string& path);

    CheckpointFile(CheckpointFile&& other) noexcept;
    CheckpointFile& operator=(CheckpointFile&& other) noexcept;
    CheckpointFile(const CheckpointFile&) = delete;
    CheckpointFile& operator=(const CheckpointFile&) = delete;
    ~CheckpointFile();

    /// Writes @p inSync (checkpointBitmapBytes(granules) bytes) as the next
    /// generation into the older slot, then fdatasyncs it.
    Result<void> commit(std::span<const std::uint8_t> inSync);
    /// commit() without the fdatasync, for a caller that flushes fd()
    /// itself (asynchronously). Until then a crash may keep either slot:
    /// the older one stays whole, since the next write goes to the other.
    Result<void> write(std::span<const std::uint8_t> inSync);
    int fd() const { return m_fd; }
    std::uint64_t generation() const { return m_generation; }
    std::uint64_t granules() const { return m_granules; }
    const std::string& path() const { return m_path; }

private:
    CheckpointFile() = default;

    std::string m_path;
    int m_fd = -1;
    JobIdentity m_identity;
    std::uint64_t m_granules = 0;
    std::uint64_t m_slotBytes = 0;
    std::uint64_t m_generation = 0;
};

/// Why @p saved does not describe the job @p now ("target-size: 2147483648
/// then, 1073741824 now"); nullopt when every key but the seen.* ones agrees.
std::optional<std::string> identityMismatch(const JobIdentity& saved, const JobIdentity& now);

} // namespace engine
