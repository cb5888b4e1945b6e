// From two paths and options to a mirror job that is ready to start, with
// every safety rule applied in one place, so that every front end refuses
// exactly the same things in the same order:
//
//   options valid -> source readable, no other program writes the image
//   -> target path may be written (not /dev, /proc, /sys, not a socket...)
//   -> target distinct from the source under every name (StorageMap)
//   -> target not mounted / swap / held / written / locked, also through a
//      loop device or any other alias; not read-only, writable by us
//   -> the source's other writers can be tracked (an image through the loop
//      device over it) or the job is refused -> source locked (shared)
//   -> room for the copy on an image target's file system
//   -> (target missing: create a sparse file of the source's size)
//   -> target opened exclusively (O_EXCL for a block device) -> the identity
//      the user confirmed, on that descriptor -> an exclusive image lock
//   -> a block device holding data needs the user's explicit consent
//   -> MirrorJob::create (sizes, alignment)
//
// Every refusal is an Error that carries its rule (Error::rule) and names it
// in its message ("(rule: ...)"), like the checks in safety.h. Nothing is
// written before all checks that can be made without writing have passed; a
// target file created here is removed again if a later step fails.
#pragma once

#include "base/logging.h"
#include "base/result.h"
#include "device/device_catalog.h"
#include "io/image_format.h"
#include "io/resolve.h"
#include "job/job_journal.h"
#include "job/mirror_group.h"
#include "job/mirror_job.h"
#include "track/live_source.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

class StorageMap;

struct JobSetup
{
    std::string source;
    std::string target; ///< created as a sparse file of the source's size when missing
    JobOptions options;
    /// Stops the source's writers when they are this process's own (the
    /// demo's writer); for a block device, or an image the kernel writes
    /// through a loop device, prepareJob sets up its own.
    std::shared_ptr<Quiescer> quiescer;
    /// The user accepted that a target block device holding a partition
    /// table or file system is overwritten (the CLI's --force).
    bool allowDataOnTarget = false;
    /// When set, the target must still be what the user confirmed: a block
    /// device carrying this stable identity (DeviceInfo::stableId), so a disk
    /// renamed since it was chosen is refused; or an image file with this
    /// imageFileId(), or no file at all (kAbsentTargetId), checked on the
    /// descriptor the job writes through. Empty: nothing was confirmed.
    std::string expectedTargetId;
    /// Track writes to a block-device source through the kernel and freeze
    /// its file systems at Complete. Off only for a source nothing writes to;
    /// refused for a mounted one.
    bool trackWrites = true;
    /// Who the job acts for. The default is this process's own user; the
    /// CLI passes currentInvoker(), so that run through pkexec or sudo it
    /// reads and writes image files only as the user who asked, creates
    /// them as his, needs expectedTargetId, and refuses jobs that need no
    /// root (see resolve.h).
    Invoker invoker = processInvoker();
    /// Where the job keeps its checkpoints (job_journal.h); empty: none, and
    /// an interruption starts the copy from zero.
    std::string stateDir;
    /// Go on from the checkpoint in stateDir of a job of this source and
    /// target (rule: resume mismatch when there is none or it is another
    /// job's). A target disk holding data needs no new consent when the
    /// checkpoint names this very disk: the job being resumed wrote it.
    bool resume = false;
    std::chrono::milliseconds checkpointInterval = kDefaultCheckpointInterval;
    /// The image format of each end (io/image_format.h); nullopt: by its
    /// name's extension (.qcow2, .vmdk, .vhdx, .vdi), raw for any other.
    std::optional<ImageFormat> sourceFormat;
    std::optional<ImageFormat> targetFormat;
    /// A new qcow2 target's backing file. Empty: none, except that with
    /// sync top from a qcow2 that has one, the target gets the source's.
    std::string targetBacking;
    /// A new qcow2 target written compressed; refused for a live source.
    bool compressTarget = false;
};

struct PreparedJob
{
    std::unique_ptr<MirrorJob> job;
    /// Set for a block-device source: already tracking into the job. Declared
    /// after the job so it is destroyed first (its thread reports into the job).
    std::unique_ptr<LiveSource> live;
    bool targetCreated = false; ///< the target file did not exist and was created
};

/// An image file's identity, in the family of DeviceInfo::stableId():
/// "file:DEVMAJ:DEVMIN:INO:SIZE" (the file system's device, the inode and the
/// size in bytes). Another file put under the same name, or the same file
/// truncated or grown, has another identity.
std::string imageFileId(dev_t dev, ino_t ino, std::uint64_t size);
/// The identity of a target path where nothing exists yet: the job creates
/// the file, and must not find one there.
inline constexpr std::string_view kAbsentTargetId = "absent";
/// True for an imageFileId() or kAbsentTargetId (or something that tries
/// to be one: "file:" followed by anything), as opposed to a disk's identity.
bool isImageFileId(std::string_view id);

/// The size in bytes of the file or block device at @p path, without opening
/// it (st_size, or the sector count in sysfs).
Result<std::uint64_t> storageSize(const std::string& path);

/// The rules for a source that need no I/O on it: it exists, is a regular
/// file or a block device, this process may read it, and no other process
/// has an image file open for writing or holds a write lock on it.
Result<void> checkSourceCandidate(const std::string& source);
/// The same for a source already looked up.
Result<void> checkSourceCandidate(const PathFacts& source);

/// Every rule that can refuse @p target without opening it for writing: a
/// path that may hold an image (checkTargetPath), distinct from @p source
/// under every name, not in use under any name (mounted, swap, held, open for
/// writing by a process, locked: checkTargetUse), not read-only, writable by
/// this process, at least as large as the source. A target that does not
/// exist passes when its directory is writable and is no system directory
/// (it will be created). With an empty @p source only the rules about the
/// target alone apply. Reads sysfs and /proc once each; probes no disk.
Result<void> checkTargetCandidate(const std::string& source, const std::string& target);
/// The same for paths already looked up (@p source nullptr: the rules about
/// the target alone), judged on @p map: a job's setup identifies each path
/// and scans the machine once, and every rule reads those values.
Result<void> checkTargetCandidate(const PathFacts* source, const PathFacts& target,
                                  const StorageMap& map);

/// What a front end that keeps the machine's device list already holds, so
/// that it can judge every block device in it without reading them again.
struct TargetDeviceContext
{
    std::string source;                      ///< empty: only the rules about the target alone
    std::optional<std::uint64_t> sourceSize; ///< unknown: the size rule is not applied
    /// The machine's devices (enumerateDevices, kept current with
    /// applyDeviceEvents and updateUsage).
    const std::vector<DeviceInfo>* catalog = nullptr;
    /// Scanned once for all targets, to tell source and target apart under
    /// every name; null: that rule is not applied.
    const StorageMap* map = nullptr;
    /// False when a helper opens the target with its own rights and applies
    /// the write permission rule itself.
    bool writableHere = true;
};

/// checkTargetCandidate's rules for the block device @p target, in its
/// order and words, judged on @p context instead of a new scan: distinct from
/// the source, known to the catalog, not the system disk, not read-only, not
/// mounted, swap or held (also through a partition), writable, at least as
/// large as the source. Costs a few system calls (stat, access, one sysfs
/// file), so a list may check every row; what only a look at every process
/// shows (writers, locks, use through another name: checkTargetUse) is left
/// to checkTargetCandidate and prepareJob.
Result<void> checkTargetDevice(const std::string& target, const TargetDeviceContext& context);

/// An image target's file system must have room for what the copy
/// allocates (the source's allocated data, or all of it for a full sync
/// without unmap; a block device counts as fully allocated) minus what the
/// target file already holds (rule: no room for the target). Nothing to
/// check for a block-device target or sync none.
Result<void> checkTargetRoom(const std::string& source, const std::string& target,
                             const JobOptions& options);
Result<void> checkTargetRoom(const PathFacts& source, const PathFacts& target,
                             const JobOptions& options);

/// What a target holds, for the confirmation that names what is overwritten.
struct TargetFacts
{
    bool exists = false;
    bool blockDevice = false;
    std::uint64_t size = 0;
    /// "a GPT partition table", "an ext2/3/4 file system", ...; empty when
    /// no signature was found (or the disk could not be read).
    std::string dataSignature;
    bool signatureReadable = false;      ///< the first sectors could be read
    std::vector<std::string> partitions; ///< block devices: kernel names of partitions
    /// What JobSetup::expectedTargetId takes to bind a job to this target:
    /// imageFileId() for an image file, kAbsentTargetId for a path where
    /// the job would create one, and (reviewTarget only) the disk's stable
    /// identity for a block device the catalog knows; empty otherwise.
    std::string identity;
};

/// Reads the first sectors of @p target (read-only) and lists its partitions.
Result<TargetFacts> inspectTarget(const std::string& target);

/// What a front end shows before the user confirms a target: the rules'
/// verdict, what the target holds and, for a block device, the device and
/// its partitions as the catalog sees them now.
struct TargetReview
{
    std::optional<Error> refusal;
    TargetFacts facts;
    std::optional<DeviceInfo> device;
    std::vector<DeviceInfo> partitions;
};

/// checkTargetCandidate and inspectTarget together. With @p expectedTargetId
/// a target that no longer carries that identity (a block device's stable
/// identity, an image file's, or absent) is refused, and that verdict comes
/// first: any other would be about another disk or file than the one the
/// user chose. Writes nothing.
TargetReview reviewTarget(const std::string& source, const std::string& target,
                          const std::string& expectedTargetId);

/// What @p disk holds as libblkid recognises it (every file system, RAID
/// and LVM member, swap, crypto and partition table it knows, damaged ones
/// too): "a GPT partition table", "a Btrfs file system", ...; empty when
/// nothing is found.
std::string dataSignature(const Disk& disk);

/// What a block device holds that a job may overwrite only with the user's
/// explicit consent: a recognised signature, partitions the kernel knows
/// (their table may be damaged or elsewhere), or a start that cannot even be
/// read; empty for a blank disk.
std::string dataOnDevice(const Disk& disk);

/// The rules an NBD export answers for itself as a job's target: it may be
/// written (ReadOnlyTarget) and holds at least @p sourceSize bytes
/// (TargetTooSmall; 0 = not known yet). Its data is dataOnDevice's.
Result<void> checkExportTarget(const std::string& uri, bool readOnly, std::uint64_t size,
                               std::uint64_t sourceSize);
/// An export is identified by its URI: @p expectedId, when given, must be
/// it (TargetIdentity).
Result<void> checkExportBinding(const std::string& uri, const std::string& expectedId);

/// The rules for exporting @p path over NBD (nbd/nbd_server.h), in the
/// words of a job's: read-only, those of a source (checkSourceCandidate);
/// writable, those of a target alone (checkTargetCandidate without a
/// source) on a path that exists, and a block device holding data only with
/// @p allowDataOnTarget (rule: target holds data), since its clients write it.
Result<void> checkServeCandidate(const std::string& path, bool readOnly, bool allowDataOnTarget);

/// One source to several targets: the source's settings as for one
/// target (JobSetup without target and expectedTargetId), and each target
/// with the identity the user confirmed for it.
struct GroupSetup
{
    JobSetup common;
    struct Target
    {
        std::string path;
        std::string expectedId; ///< as JobSetup::expectedTargetId
        /// As JobSetup::allowDataOnTarget, for this target alone (the
        /// user confirmed overwriting this one); common's applies to all.
        bool allowData = false;
    };
    std::vector<Target> targets;
    GroupOptions group;
};

struct PreparedGroup
{
    std::unique_ptr<MirrorGroup> group;
    /// As PreparedJob::live: tracking into the group, destroyed first.
    std::unique_ptr<LiveSource> live;
    std::vector<bool> targetCreated; ///< by target
};

/// prepareJob for several targets: every target passes every rule (and no
/// two of them reach the same bytes: rule targets overlap) before any is
/// created or written; the source is tracked once; the jobs share one
/// granularity, the source's reads and its quiesce (MirrorGroup). A refusal
/// of any target refuses the group, and removes what it created.
Result<PreparedGroup> prepareGroup(GroupSetup setup, const Logger& log);

/// Applies every rule above, creates a missing target, opens both disks
/// (the target exclusively) and creates the job (status created, not
/// started). An expected identity is checked first on the path and again
/// on the opened target's descriptor, before anything is written. For a
/// block-device source, write tracking is already running when this
/// returns, so no write between preparing and starting is missed.
Result<PreparedJob> prepareJob(JobSetup setup, const Logger& log);

} // namespace engine
