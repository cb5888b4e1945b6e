// prepareJob (job_setup.h): the rules applied in their order, the disks
// opened and the job created.
#include "base/units.h"
#include "device/device_catalog.h"
#include "device/mounts.h"
#include "device/storage_map.h"
#include "io/disk.h"
#include "io/resolve.h"
#include "rules/job_setup.h"
#include "rules/safety.h"
#include "rules/target_identity.h"
#include "track/freeze.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <optional>

namespace engine {

namespace {

// The identity a job through pkexec or sudo must be bound to, as it is now,
// so that the refusal can say what to pass after checking.
std::string identityNow(const ResolvedPath& r, const Logger& log)
{
    if (!r.exists())
        return std::string(kAbsentTargetId);
    if (S_ISREG(r.st.st_mode))
        return imageFileId(r.st.st_dev, r.st.st_ino, static_cast<std::uint64_t>(r.st.st_size));
    if (S_ISBLK(r.st.st_mode))
        if (auto info = describeDevice(r.real, log))
            return info->stableId();
    return {};
}

// How a journal knows one end of the job: its real path and the identity
// of what was opened there.
JobEnd endOf(const Disk& disk, const std::string& real, const Logger& log)
{
    JobEnd end{real, {}};
    if (!disk.identity().uri.empty())
        return end; // an export: known by its URI alone
    if (disk.isBlockDevice()) {
        if (auto info = describeDevice(real, log))
            end.id = info->stableId();
    } else {
        const DiskIdentity id = disk.identity();
        end.id = imageFileId(id.dev, id.ino, disk.size());
    }
    return end;
}

// Why a formatted image could not be opened, as the rule that refuses it:
// QEMU's image lock held by another program (@p inUse), a file swapped
// since it was checked, or what openImage's own check said.
Error imageRefusal(const Error& e, const std::string& end, Rule inUse)
{
    if (e.rule != Rule::None)
        return e;
    if (e.message.find(" lock") != std::string::npos)
        return refusal(EBUSY, inUse, "refusing the " + end + ": " + e.message);
    if (e.code == ESTALE)
        return refusal(ESTALE, Rule::TargetIdentity, "refusing the " + end + ": " + e.message);
    return withContext(end + ": ", e);
}

// prepareJob's steps, in the order of the rules (see job_setup.h), on one
// job's values: each path is resolved and identified once, and every step
// reads what the earlier ones found.
class Preparation
{
public:
    Preparation(JobSetup setup, Logger log)
        : m_setup(std::move(setup)), m_log(std::move(log)), m_who(m_setup.invoker)
    {
    }
    // m_who refers into m_setup: a copy would refer into the original.
    Preparation(const Preparation&) = delete;
    Preparation& operator=(const Preparation&) = delete;

    Result<void> resolve();
    Result<void> checkBinding();
    Result<void> checkRules();
    Result<void> trackSource();
    Result<Disk> openSource();
    Result<void> createTarget(std::uint64_t size);
    Result<Disk> openTarget();
    Result<PreparedJob> createJob(Disk source, Disk target);
    /// The job's checkpoints (JobSetup::stateDir), and its start from them.
    Result<void> attachJournal(MirrorJob& job) const;
    /// A group's member: the job alone, tracked and quiesced by the group.
    Result<std::unique_ptr<MirrorJob>> createMember(Disk source, Disk target);

    // What a group's preparation shares between its targets' preparations.
    std::shared_ptr<Quiescer> sourceQuiescer() const { return m_options->get().quiescer; }
    void setQuiescer(std::shared_ptr<Quiescer> q) { m_options->setQuiescer(std::move(q)); }
    void setDefaultGranularity(std::uint64_t g) { m_options->setDefaultGranularity(g); }
    std::unique_ptr<LiveSource> takeLive() { return std::move(m_prepared.live); }
    bool targetCreated() const { return m_prepared.targetCreated; }
    const std::string& targetName() const { return m_setup.target; }
    /// What a target this preparation created is ("a sparse file").
    std::string createdAs() const
    {
        return m_dstFormat == ImageFormat::Raw
                   ? std::string("a sparse file")
                   : "a " + std::string(toString(m_dstFormat)) + " image";
    }
    /// Where the target keeps its bytes, or where it will be created.
    std::optional<Reach> targetReach(const StorageMap& map) const
    {
        return m_dst && m_dst->exists() ? map.reachOfNode(m_dst->st) : std::nullopt;
    }
    /// The source's path without symlinks; an NBD source's URI.
    const std::string& sourceRealPath() const { return m_src ? m_src->real : m_setup.source; }
    /// The target's path without symlinks; an NBD target's URI.
    const std::string& targetRealPath() const { return m_dst ? m_dst->real : m_setup.target; }
    /// Removes the target file this preparation created, if it is still
    /// the one under that name; for a refusal after it was created.
    void removeCreated();

private:
    Result<void> trackDeviceSource();
    Result<void> trackImageSource();
    std::optional<Error> openedUnderItsName() const;
    Result<void> checkOpened(Disk& target) const;
    Result<void> checkTargetData(const Disk& target) const;
    Result<void> checkNbdBinding() const;
    Result<Disk> openNbdTarget();
    Result<void> resolveFormats();
    Result<std::optional<BackingFile>> newTargetBacking() const;
    Result<Disk> openFormattedTarget();
    bool resumingOnto(const Disk& target) const;
    void logTracking() const;

    JobSetup m_setup;
    Logger m_log;
    const Invoker& m_who;
    std::optional<ValidOptions> m_options;
    std::optional<ResolvedPath> m_src;
    std::optional<ResolvedPath> m_dst;
    PathFacts m_srcFacts;
    PathFacts m_dstFacts;
    DiskIdentity m_srcId;
    bool m_boundToFile = false;  ///< expectedTargetId names an image file (or none)
    bool m_targetAsUser = false; ///< an existing image target, opened as the invoker
    bool m_targetIsDevice = false;
    /// An NBD export (isNbdUri): no path, no node; m_src or m_dst stays empty.
    bool m_nbdSource = false;
    bool m_nbdTarget = false;
    /// Each end's image format: anything but raw is read and written
    /// through a qemu-nbd of its own (Disk::openImage).
    ImageFormat m_srcFormat = ImageFormat::Raw;
    ImageFormat m_dstFormat = ImageFormat::Raw;
    dev_t m_confirmedDevice = 0;
    std::uint64_t m_sourceSize = 0;
    SourceUse m_use;
    UniqueFd m_srcPin;
    UniqueFd m_dstPin;
    std::optional<DiskIdentity> m_created;
    bool m_createdOverBacking = false; ///< the new qcow2 has a backing file
    PreparedJob m_prepared;
};

Result<void> Preparation::resolve()
{
    auto options = ValidOptions::check(MirrorOptions{m_setup.options, m_setup.quiescer});
    if (!options)
        return options.error();
    m_options = std::move(*options);

    // Each path is looked up once. The rules that work by name look at the
    // real (symlink-free) paths, whose nodes are checked again against the
    // pinned ones before anything is opened for I/O; the data descriptors
    // come from the pinned nodes.
    m_nbdSource = isNbdUri(m_setup.source);
    if (!m_nbdSource) {
        auto src = resolvePath(m_setup.source, m_who);
        if (!src)
            return withContext("source: ", src.error());
        if (!src->exists())
            return Error{ENOENT, "source: " + m_setup.source + ": " + errnoText(ENOENT)};
        m_src = std::move(*src);
    }
    m_nbdTarget = isNbdUri(m_setup.target);
    if (!m_nbdTarget) {
        auto dst = resolvePath(m_setup.target, m_who);
        if (!dst)
            return withContext("target: ", dst.error());
        m_dst = std::move(*dst);
        m_dstFacts = factsOf(*m_dst);
    }
    if (m_nbdSource && m_nbdTarget && m_setup.source == m_setup.target)
        return refusal(EINVAL, Rule::SourceIsTarget,
                       "refusing: source and target are the same export (" + m_setup.source + ")");
    // What each path names, identified once: every rule below reads these.
    if (m_nbdSource) {
        m_srcId.uri = m_setup.source;
    } else {
        m_srcFacts = factsOf(*m_src);
        auto srcId = m_srcFacts.identity();
        if (!srcId)
            return Error{srcId.error().code,
                         "source: " + m_setup.source + ": " + errnoText(srcId.error().code)};
        m_srcId = *srcId;
    }
    m_targetIsDevice = m_dst && m_dst->exists() && S_ISBLK(m_dst->st.st_mode);
    return resolveFormats();
}

// Which format each end has, and whether the target options fit it; all
// said before anything is opened or created.
Result<void> Preparation::resolveFormats()
{
    const auto exportFormat = [](const std::string& uri, const std::optional<ImageFormat>& given,
                                 const char* option) -> Result<void> {
        if (given && *given != ImageFormat::Raw)
            return Error{EINVAL, uri + " is an NBD export, whose format is the server's: " +
                                     option + " does not apply"};
        return {};
    };
    if (m_nbdSource) {
        if (auto r = exportFormat(m_setup.source, m_setup.sourceFormat, "--source-format"); !r)
            return r;
    } else {
        m_srcFormat = formatOf(m_setup.source, m_setup.sourceFormat);
    }
    if (m_nbdTarget) {
        if (auto r = exportFormat(m_setup.target, m_setup.targetFormat, "--format"); !r)
            return r;
    } else {
        m_dstFormat = formatOf(m_setup.target, m_setup.targetFormat);
    }
    const std::string fmt(toString(m_dstFormat));
    const bool newTarget = m_dst && !m_dst->exists();
    for (const auto& [asked, option] : {std::pair{m_setup.compressTarget, "--compress"},
                                        std::pair{!m_setup.targetBacking.empty(), "--backing"}}) {
        if (!asked)
            continue;
        if (m_dstFormat != ImageFormat::Qcow2)
            return Error{EINVAL, std::string(option) + " is for a qcow2 target, and " +
                                     m_setup.target + " is " +
                                     (m_nbdTarget ? std::string("an NBD export") : fmt)};
        if (!newTarget)
            return Error{EINVAL, std::string(option) + " shapes a new qcow2 image, and " +
                                     m_setup.target + " exists"};
    }
    if (m_srcFormat != ImageFormat::Raw || m_dstFormat != ImageFormat::Raw)
        m_log->debug("formats: source {}, target {}", toString(m_srcFormat), fmt);
    return {};
}

Result<void> Preparation::checkBinding()
{
    if (m_nbdTarget)
        return checkNbdBinding();
    const bool targetExists = m_dst->exists();
    // The confirmed image file (or its absence) first: any other verdict
    // would be about a file the user did not confirm. Checked again on the
    // opened descriptor.
    m_boundToFile = isImageFileId(m_setup.expectedTargetId);
    if (m_boundToFile)
        if (auto why = imageIdentityMismatch(m_setup.target, m_setup.expectedTargetId,
                                             targetExists ? &m_dst->st : nullptr))
            return *why;
    if (m_who.elevated && m_setup.expectedTargetId.empty()) {
        const std::string now = identityNow(*m_dst, m_log);
        return refusal(EPERM, Rule::TargetIdentity,
                       "refusing " + m_setup.target + ": run through " + m_who.via + " for " +
                           m_who.name +
                           ", a job writes only the target that was confirmed: pass --expect-id "
                           "with its identity" +
                           (now.empty() ? std::string() : " (now " + now + ")") +
                           " after checking that it is the one you mean");
    }
    // Through pkexec or sudo, image files are read and written as the user
    // who asked, never with root's rights.
    if (m_who.elevated && m_src && !m_srcId.blockDevice) {
        auto fd = openAsInvoker(*m_src, m_who, O_RDONLY);
        if (!fd)
            return fd.error();
        m_srcPin = std::move(*fd);
    }
    // The target only as a test of the user's rights for now: held open
    // for writing, it would count as a writer of its own in the rules.
    m_targetAsUser = m_who.elevated && targetExists && S_ISREG(m_dst->st.st_mode);
    if (m_targetAsUser)
        if (auto fd = openAsInvoker(*m_dst, m_who, O_RDWR); !fd)
            return fd.error();
    return {};
}

Result<void> Preparation::checkRules()
{
    // One look at the machine's storage for every rule of this job.
    const StorageMap map = StorageMap::scan();
    if (!m_nbdSource)
        if (auto r = checkSourceCandidate(m_srcFacts); !r)
            return r.error();
    if (!m_nbdTarget) {
        // A formatted image's file size is not its disk's: the size rule
        // waits for the virtual sizes (openFormattedTarget, MirrorJob).
        PathFacts source = m_srcFacts;
        if (m_srcFormat != ImageFormat::Raw || m_dstFormat != ImageFormat::Raw)
            source.size.reset();
        if (auto r = checkTargetCandidate(m_nbdSource ? nullptr : &source, m_dstFacts, map); !r)
            return r.error();
    }
    if ((m_srcId.blockDevice || m_targetIsDevice) && ::geteuid() != 0)
        return refusal(EPERM, Rule::NeedsRoot,
                       "block devices need root: run drivemirror-cli with sudo, or let the desktop "
                       "app ask for authorisation");
    if (!m_setup.expectedTargetId.empty() && !m_boundToFile && !m_nbdTarget) {
        if (!m_targetIsDevice)
            return refusal(EINVAL, Rule::TargetIdentity,
                           "an expected identity names a disk, but " + m_setup.target +
                               " is not a block device");
        auto info = describeDevice(m_dst->real, m_log);
        if (!info)
            return withContext("target: ", info.error());
        if (info->stableId() != m_setup.expectedTargetId)
            return refusal(ESTALE, Rule::TargetIdentity,
                           "refusing " + m_setup.target + ": it is " + info->stableId() + ", not " +
                               m_setup.expectedTargetId);
        if (info->devnum != m_dst->st.st_rdev)
            return refusal(ESTALE, Rule::TargetIdentity,
                           "refusing " + m_setup.target + ": " + m_dst->real +
                               " changed while it was checked");
        m_confirmedDevice = info->devnum;
    }

    // Who else writes the source, and whether the job can see those writes.
    // An export's other clients are on the server's side, out of sight: it
    // is copied as an offline image is, and --verify tells what changed.
    if (!m_nbdSource)
        m_use = analyseSourceUse(m_srcFacts, map);
    if (m_use.refusal)
        return *m_use.refusal;
    // What root is needed for: a disk on either side, or tracking the
    // writes of a loop device over an image source. Two image files are the
    // user's own business, without root.
    if (m_who.elevated && !m_srcId.blockDevice && !m_targetIsDevice && m_use.trackDevice.empty())
        return refusal(EPERM, Rule::HelperScope,
                       "refusing: " + m_setup.source + " and " + m_setup.target +
                           " are both image files, which " + m_who.name +
                           " can mirror without administrator rights; run drivemirror-cli "
                           "without " +
                           m_who.via);
    return {};
}

Result<void> Preparation::trackSource()
{
    if (m_srcId.blockDevice)
        return trackDeviceSource();
    if (!m_use.trackDevice.empty())
        return trackImageSource();
    return {};
}

Result<void> Preparation::trackDeviceSource()
{
    const std::string& source = m_setup.source;
    if (!m_setup.trackWrites) {
        const auto mounts = mountPointsOf(major(m_srcId.rdev), minor(m_srcId.rdev));
        if (!mounts.empty())
            return refusal(EBUSY, Rule::LiveSourceNeedsTracking,
                           "refusing to mirror " + source +
                               " without write tracking: it is mounted at " + mounts.front());
        m_log->warn("write tracking is off: writes to {} during the job would be missed", source);
        return {};
    }
    auto live = LiveSource::create(m_src->real, {}, m_log);
    if (!live)
        return refusal(live.error().code, Rule::LiveSourceNeedsTracking,
                       "cannot track writes to " + source + ": " + live.error().message, {},
                       "; turn tracking off only if nothing writes to the source");
    m_prepared.live = std::move(*live);
    m_options->setQuiescer(m_prepared.live->quiescer());
    // Complete could never freeze it; better said now than at READY.
    if (const std::string point = frozenMountPoint(m_prepared.live->mountPoints()); !point.empty())
        return refusal(EBUSY, Rule::SourceFrozen,
                       "refusing source " + source + ": its file system at " + point +
                           " is frozen already (by another program, or by a run that was "
                           "killed); thaw it with fsfreeze -u " +
                           point + " and start again");
    return {};
}

// An image the kernel writes through a loop device over all of it: the loop
// device's writes are the image's writes, offset for offset.
Result<void> Preparation::trackImageSource()
{
    const std::string& source = m_setup.source;
    const std::string& dev = m_use.trackDevice;
    const std::string state = m_use.mountPoints.empty() ? std::string("in use")
                                                        : "mounted at " + m_use.mountPoints.front();
    if (m_setup.trackWrites && ::geteuid() == 0) {
        auto live = LiveSource::create(dev, {}, m_log);
        if (live) {
            m_prepared.live = std::move(*live);
            m_options->setQuiescer(m_prepared.live->quiescer());
        } else if (m_use.inUse) {
            return refusal(live.error().code, Rule::LiveSourceNeedsTracking,
                           "cannot track writes to " + source + " through " + dev + ", which is " +
                               state + ": " + live.error().message);
        } else {
            m_log->warn("{} backs {}, whose writes cannot be tracked ({}); nothing uses it "
                        "now, and writes through it during the job would be missed",
                        source, dev, live.error().message);
        }
    } else if (m_use.inUse) {
        if (!m_setup.trackWrites)
            return refusal(EBUSY, Rule::LiveSourceNeedsTracking,
                           "refusing to mirror " + source + " without write tracking: it backs " +
                               dev + ", which is " + state);
        return refusal(EPERM, Rule::NeedsRoot,
                       "refusing source " + source + ": it backs " + dev + ", which is " + state +
                           ", so it changes while it is copied; only root can track those "
                           "writes: run drivemirror-cli with sudo, or stop using " +
                           dev + " first");
    } else {
        m_log->warn("{} backs {}: writes through it during the job would be missed", source, dev);
    }
    return {};
}

Result<Disk> Preparation::openSource()
{
    // Checked before the target file is created or anything is written.
    if (!m_targetIsDevice && !m_nbdTarget)
        if (auto r = checkTargetRoom(m_srcFacts, m_dstFacts, m_setup.options); !r)
            return r.error();
    // The rules above looked the real paths up by name: they were about the
    // pinned nodes only if those names still lead there.
    for (const auto* r : {&m_src, &m_dst})
        if (*r && (*r)->exists() && !(*r)->stillNamed())
            return refusal(ESTALE, Rule::TargetIdentity,
                           "refusing " + (*r)->given + ": " + (*r)->real +
                               " changed while it was checked");

    if (m_srcFormat != ImageFormat::Raw) {
        // qemu-nbd holds QEMU's own image locks: a virtual machine that
        // writes the image keeps it from being opened at all.
        Disk::ImageOptions o;
        o.format = m_srcFormat;
        o.topLayer = m_setup.options.sync == SyncMode::Top;
        o.expected = m_srcId;
        auto disk = Disk::openImage(m_src->real, m_setup.source, o, m_log);
        if (!disk)
            return imageRefusal(disk.error(), "source", Rule::SourceInUse);
        return disk;
    }
    auto disk = m_nbdSource
                    ? Disk::openNbd(m_setup.source, Disk::Access::ReadOnly, m_log)
                    : Disk::open(m_srcPin.valid() ? procFdPath(m_srcPin.get()) : m_src->nodePath(),
                                 m_setup.source, {Disk::Access::ReadOnly, true, false}, m_log);
    if (!disk)
        return withContext("source: ", disk.error());
    // Held for the job's life: QEMU and other jobs cannot write it meanwhile.
    if (auto r = disk->lockImage(Disk::Lock::Shared); !r)
        return refusal(r.error().code, Rule::SourceInUse,
                       "refusing the source: " + r.error().message);
    return disk;
}

Result<void> Preparation::createTarget(std::uint64_t size)
{
    m_sourceSize = size;
    if (m_nbdTarget)
        return {}; // an export is the server's to create
    if (m_targetAsUser) {
        auto fd = openAsInvoker(*m_dst, m_who, O_RDWR);
        if (!fd)
            return fd.error();
        m_dstPin = std::move(*fd);
    }
    if (m_dst->exists())
        return {};
    std::optional<BackingFile> backing;
    if (m_dstFormat != ImageFormat::Raw) {
        if (m_setup.compressTarget && m_options->get().quiescer)
            return refusal(EINVAL, Rule::CompressedLiveTarget,
                           "refusing a compressed target for the live source " + m_setup.source +
                               ": a compressed qcow2 cluster is written once, and a live mirror "
                               "writes again what the source's users change",
                           "; mirror to an uncompressed qcow2, and after Complete convert it: "
                           "qemu-img convert -c -O qcow2 " +
                               m_setup.target + " COMPRESSED.qcow2");
        auto b = newTargetBacking();
        if (!b)
            return b.error();
        backing = std::move(*b);
    }
    auto made = createAsInvoker(*m_dst, m_who, 0644);
    if (!made) {
        // O_EXCL lost the race: something appeared since the check.
        if (m_boundToFile && made.error().code == EEXIST)
            return fileAppeared(m_setup.target);
        return withContext("target: ", made.error());
    }
    struct stat st
    {
    };
    if (::fstat(made->get(), &st) != 0 ||
        (m_dstFormat == ImageFormat::Raw &&
         ::ftruncate(made->get(), static_cast<off_t>(size)) != 0)) {
        const int err = errno;
        ::unlinkat(m_dst->dir.get(), m_dst->name.c_str(), 0);
        return systemError(err, "resize " + m_setup.target);
    }
    m_createdOverBacking = backing.has_value();
    if (m_dstFormat != ImageFormat::Raw) {
        if (auto r = createImage(made->get(), m_setup.target, m_dstFormat, size,
                                 backing ? &*backing : nullptr);
            !r) {
            ::unlinkat(m_dst->dir.get(), m_dst->name.c_str(), 0);
            return r.error();
        }
    }
    DiskIdentity id;
    id.dev = st.st_dev;
    id.ino = st.st_ino;
    m_created = id;
    m_dstPin = std::move(*made);
    m_prepared.targetCreated = true;
    return {};
}

void Preparation::removeCreated()
{
    if (m_created && m_dst)
        (void)removeFileIfStill(m_dst->dir.get(), m_dst->name, *m_created);
}

Result<Disk> Preparation::openTarget()
{
    if (m_nbdTarget)
        return openNbdTarget();
    if (m_dstFormat != ImageFormat::Raw)
        return openFormattedTarget();
    auto disk = Disk::open(m_dstPin.valid() ? procFdPath(m_dstPin.get()) : m_dst->nodePath(),
                           m_setup.target, {Disk::Access::ReadWrite, true, true}, m_log);
    if (!disk) {
        const std::string& msg = disk.error().message;
        const int code = disk.error().code;
        if (code == EBUSY)
            return refusal(code, Rule::TargetInUse,
                           "target: " + msg +
                               " (the device is mounted or held by another program)");
        if ((code == EACCES || code == EPERM) && (m_srcId.blockDevice || m_targetIsDevice))
            return refusal(code, Rule::NeedsRoot, "target: " + msg + " (block devices need root)");
        return withContext("target: ", disk.error());
    }
    if (auto why = openedUnderItsName())
        return *why;
    if (auto r = checkOpened(*disk); !r)
        return r.error();
    return disk;
}

// An export has no node to pin: through pkexec or sudo it is bound to the
// URI the user confirmed, and it never needs root of its own.
Result<void> Preparation::checkNbdBinding() const
{
    if (auto r = checkExportBinding(m_setup.target, m_setup.expectedTargetId); !r)
        return r.error();
    if (m_who.elevated && m_setup.expectedTargetId.empty())
        return refusal(EPERM, Rule::TargetIdentity,
                       "refusing " + m_setup.target + ": run through " + m_who.via + " for " +
                           m_who.name +
                           ", a job writes only the target that was confirmed: pass --expect-id "
                           "with the export's URI after checking that it is the one you mean");
    return {};
}

// The export's own answers are its facts: whether it may be written, its
// size, and what its first and last megabyte hold.
Result<Disk> Preparation::openNbdTarget()
{
    auto disk = Disk::openNbd(m_setup.target, Disk::Access::ReadWrite, m_log);
    if (!disk) {
        if (disk.error().code == EROFS)
            return checkExportTarget(m_setup.target, true, 0, 0).error();
        return withContext("target: ", disk.error());
    }
    if (auto r = checkExportTarget(m_setup.target, false, disk->size(), m_sourceSize); !r)
        return r.error();
    if (auto r = checkTargetData(*disk); !r)
        return r.error();
    return disk;
}

// The backing file of a new qcow2 target: the one the user named, which he
// must be able to read himself (through pkexec or sudo qemu-nbd reads it as
// root, and what the job leaves unwritten shows through); or with sync top
// from a qcow2, the source's own, so that the target reads as the source
// does while only the top layer is copied.
Result<std::optional<BackingFile>> Preparation::newTargetBacking() const
{
    if (!m_setup.targetBacking.empty()) {
        auto r = resolvePath(m_setup.targetBacking, m_who);
        if (!r)
            return withContext("--backing: ", r.error());
        if (!r->exists() || !S_ISREG(r->st.st_mode))
            return Error{EINVAL, "--backing " + m_setup.targetBacking + ": not an image file"};
        auto fd = openAsInvoker(*r, m_who, O_RDONLY);
        if (!fd)
            return withContext("--backing: ", fd.error());
        BackingFile b;
        b.named = m_setup.targetBacking;
        b.path = r->real;
        b.format = probeImageFormat(fd->get()).value_or(ImageFormat::Raw);
        return std::optional<BackingFile>{b};
    }
    if (m_setup.options.sync != SyncMode::Top || m_srcFormat != ImageFormat::Qcow2)
        return std::optional<BackingFile>{};
    const int fd = ::open(m_src->real.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return systemError(errno, "source: " + m_setup.source);
    auto b = qcow2Backing(fd, m_src->real);
    ::close(fd);
    if (!b)
        return withContext("source: ", b.error());
    if (b->named.empty())
        return std::optional<BackingFile>{};
    if (m_dstFormat != ImageFormat::Qcow2) {
        m_log->warn("sync top copies only {}'s top layer, and {} has no backing file: where the "
                    "top layer holds nothing, it keeps what it reads now",
                    m_setup.source, m_setup.target);
        return std::optional<BackingFile>{};
    }
    m_log->info("{} gets {}'s backing file {}: sync top copies the top layer alone", m_setup.target,
                m_setup.source, b->path);
    return std::optional<BackingFile>{*b};
}

// A formatted image as the target: its virtual disk, through its qemu-nbd,
// which must hold the file the rules checked (the one created, or the one
// confirmed); its virtual size is what the size rule compares.
Result<Disk> Preparation::openFormattedTarget()
{
    Disk::ImageOptions o;
    o.format = m_dstFormat;
    o.access = Disk::Access::ReadWrite;
    o.compress = m_setup.compressTarget;
    if (m_created) {
        o.expected = *m_created;
    } else if (m_dst->exists()) {
        DiskIdentity id;
        id.dev = m_dst->st.st_dev;
        id.ino = m_dst->st.st_ino;
        o.expected = id;
    }
    auto disk = Disk::openImage(m_dst->real, m_setup.target, o, m_log);
    if (!disk)
        return imageRefusal(disk.error(), "target", Rule::TargetInUse);
    if (auto why = openedUnderItsName())
        return *why;
    if (disk->size() < m_sourceSize)
        return refusal(ENOSPC, Rule::TargetTooSmall,
                       "refusing target " + m_setup.target + ": its virtual disk is " +
                           formatBytes(disk->size()) + ", smaller than the source (" +
                           formatBytes(m_sourceSize) + ")");
    return disk;
}

// The path still leads to what was opened: the copy lands under the name the
// user chose, not in a file renamed away from it meanwhile.
std::optional<Error> Preparation::openedUnderItsName() const
{
    struct stat now
    {
    };
    const bool there = ::stat(m_dst->real.c_str(), &now) == 0;
    if (m_created) {
        if (!there || !S_ISREG(now.st_mode) || now.st_dev != m_created->dev ||
            now.st_ino != m_created->ino)
            return refusal(ESTALE, Rule::TargetIdentity,
                           "refusing the target: the image file created at " + m_setup.target +
                               " is no longer there under that name");
        return std::nullopt;
    }
    if (m_boundToFile)
        return imageIdentityMismatch(m_setup.target, m_setup.expectedTargetId,
                                     there ? &now : nullptr);
    if (!m_dst->stillNamed())
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + m_setup.target + ": " + m_dst->real +
                           " changed while it was opened");
    return std::nullopt;
}

// Nothing has been written yet, and nothing is written through another
// descriptor than this one.
Result<void> Preparation::checkOpened(Disk& target) const
{
    if (auto r = checkOpenedTarget(target, m_setup.expectedTargetId, m_created, m_confirmedDevice);
        !r)
        return r.error();
    // The image's equivalent of O_EXCL, held until the job is destroyed; it
    // also closes the window between the checks and this open.
    if (auto r = target.lockImage(Disk::Lock::Exclusive); !r)
        return refusal(r.error().code, Rule::TargetInUse,
                       "refusing the target: " + r.error().message);
    if (!target.isBlockDevice())
        return {};
    return checkTargetData(target);
}

// A disk or export that holds a file system, a partition table or another
// signature is overwritten only as confirmed.
Result<void> Preparation::checkTargetData(const Disk& target) const
{
    const std::string data = dataOnDevice(target);
    if (!data.empty() && !m_setup.allowDataOnTarget && resumingOnto(target)) {
        m_log->info("{} holds {}, written by the interrupted copy being resumed", m_setup.target,
                    data);
        return {};
    }
    if (!data.empty() && !m_setup.allowDataOnTarget)
        return refusal(
            EEXIST, Rule::TargetHoldsData,
            "target " + m_setup.target + " holds " + data +
                "; everything on it would be overwritten and the overwrite was not confirmed");
    if (!data.empty())
        m_log->warn("{} holds {}; overwriting it as confirmed", m_setup.target, data);
    return {};
}

// The consent given when the job began holds for its resume, and only for
// the disk it was given for: the checkpoint names it by its serial or WWN.
bool Preparation::resumingOnto(const Disk& target) const
{
    if (!m_setup.resume || m_setup.stateDir.empty())
        return false;
    const JobEnd dst = endOf(target, targetRealPath(), m_log);
    if (dst.id.empty())
        return false;
    std::string sourceKey = sourceRealPath();
    if (m_srcId.blockDevice)
        if (auto info = describeDevice(m_src->real, m_log))
            sourceKey = info->stableId();
    auto saved =
        CheckpointFile::load(journalPaths(m_setup.stateDir, sourceKey, dst.key()).checkpoint);
    return saved && saved->identity["target-id"] == dst.id;
}

Result<void> Preparation::attachJournal(MirrorJob& job) const
{
    if (m_setup.stateDir.empty()) {
        if (m_setup.resume)
            return refusal(EINVAL, Rule::ResumeMismatch,
                           "nothing to resume from: the job keeps no checkpoints");
        return {};
    }
    const JobEnd src = endOf(job.source(), sourceRealPath(), m_log);
    const JobEnd dst = endOf(job.target(), targetRealPath(), m_log);
    const auto& o = job.options();
    const std::uint64_t granules = (job.extent() + job.granularity() - 1) / job.granularity();
    auto journal = JobJournal::open({m_setup.stateDir, m_setup.resume, m_setup.checkpointInterval},
                                    describeJob(job.source(), src, job.target(), dst, job.extent(),
                                                job.granularity(), toString(o.sync), o.wipeRest,
                                                o.quiescer != nullptr),
                                    granules, job.granularity());
    if (!journal) {
        if (m_setup.resume)
            return refusal(journal.error().code, Rule::ResumeMismatch, journal.error().message);
        return journal.error();
    }
    if (m_setup.resume)
        m_log->info("resume from {}: {} ({})", (*journal)->paths().checkpoint,
                    toString((*journal)->plan().from), (*journal)->plan().why);
    job.setJournal(std::move(*journal));
    return {};
}

Result<PreparedJob> Preparation::createJob(Disk source, Disk target)
{
    // A new file reads as zeroes, unless a backing file shows through it.
    m_options->setTargetReadsZero(m_prepared.targetCreated && !m_createdOverBacking);
    auto job =
        MirrorJob::create(std::move(source), std::move(target), std::move(*m_options), m_log);
    if (!job)
        return job.error();
    if (auto r = attachJournal(**job); !r)
        return r.error();
    m_prepared.job = std::move(*job);
    if (m_prepared.live) {
        // Tracking starts before the copy, so no write falls between them.
        if (auto r = m_prepared.live->attach(*m_prepared.job); !r) {
            m_prepared.live.reset();
            m_prepared.job.reset();
            return withContext("cannot start write tracking: ", r.error());
        }
        logTracking();
    }
    if (m_prepared.targetCreated)
        m_log->info("created {} as {} of {}", m_setup.target, createdAs(),
                    formatBytes(m_prepared.job->source().size()));
    return std::move(m_prepared);
}

Result<std::unique_ptr<MirrorJob>> Preparation::createMember(Disk source, Disk target)
{
    auto job =
        MirrorJob::create(std::move(source), std::move(target), std::move(*m_options), m_log);
    if (!job)
        return job.error();
    if (auto r = attachJournal(**job); !r)
        return r.error();
    return job;
}

void Preparation::logTracking() const
{
    const auto mounts = m_prepared.live->mountPoints();
    const std::string through =
        m_srcId.blockDevice ? std::string() : " through " + m_use.trackDevice;
    if (mounts.empty())
        m_log->info("{}: writes{} are tracked by the kernel; nothing is mounted, so Complete "
                    "needs no freeze",
                    m_setup.source, through);
    else
        m_log->info("{}: live source, writes{} are tracked by the kernel; Complete will "
                    "briefly freeze {}{}",
                    m_setup.source, through, mounts.front(), mounts.size() > 1 ? " and more" : "");
}

} // namespace

Result<PreparedJob> prepareJob(JobSetup setup, const Logger& log)
{
    Preparation p(std::move(setup), orNull(log));
    for (auto step : {&Preparation::resolve, &Preparation::checkBinding, &Preparation::checkRules,
                      &Preparation::trackSource})
        if (auto r = (p.*step)(); !r)
            return r.error();
    auto source = p.openSource();
    if (!source)
        return source.error();
    if (auto r = p.createTarget(source->size()); !r)
        return r.error();
    auto target = p.openTarget();
    if (!target) {
        p.removeCreated();
        return target.error();
    }
    auto job = p.createJob(std::move(*source), std::move(*target));
    if (!job)
        p.removeCreated();
    return job;
}

} // namespace engine

namespace engine {

namespace {

// No two targets of a group may reach the same bytes: the copies would
// overwrite each other.
Result<void> checkTargetsDistinct(const std::vector<std::unique_ptr<Preparation>>& preps)
{
    const StorageMap map = StorageMap::scan();
    for (std::size_t i = 0; i < preps.size(); ++i) {
        const auto a = preps[i]->targetReach(map);
        for (std::size_t j = 0; j < i; ++j) {
            const auto b = preps[j]->targetReach(map);
            const bool same =
                a && b ? a->overlaps(*b) : preps[i]->targetRealPath() == preps[j]->targetRealPath();
            if (same)
                return refusal(EINVAL, Rule::TargetsOverlap,
                               "refusing targets " + preps[j]->targetName() + " and " +
                                   preps[i]->targetName() + ": they reach the same storage");
        }
    }
    return {};
}

// prepareGroup's steps once every target passed its rules: open the source
// and each target (creating missing ones), make one job per target in the
// coarsest of their default granularities, group them and start tracking.
// What it created stays for the caller to remove on a failure.
Result<void> assembleGroup(const std::vector<std::unique_ptr<Preparation>>& preps,
                           const std::shared_ptr<QuiesceHub>& hub, const GroupOptions& options,
                           const Logger& log, PreparedGroup& prepared)
{
    std::vector<Disk> sources;
    std::vector<Disk> targets;
    std::uint64_t granularity = 0;
    for (const auto& p : preps) {
        auto source = p->openSource();
        if (!source)
            return source.error();
        if (auto r = p->createTarget(source->size()); !r)
            return r.error();
        auto target = p->openTarget();
        if (!target)
            return target.error();
        granularity = std::max(granularity, defaultGranularity(*target));
        sources.push_back(std::move(*source));
        targets.push_back(std::move(*target));
    }
    std::vector<std::unique_ptr<MirrorJob>> jobs;
    for (std::size_t i = 0; i < preps.size(); ++i) {
        preps[i]->setDefaultGranularity(granularity);
        auto job = preps[i]->createMember(std::move(sources[i]), std::move(targets[i]));
        if (!job)
            return job.error();
        jobs.push_back(std::move(*job));
        prepared.targetCreated.push_back(preps[i]->targetCreated());
    }
    const std::uint64_t size = jobs.front()->source().size();
    auto group = MirrorGroup::create(std::move(jobs), hub, options, log);
    if (!group)
        return group.error();
    prepared.group = std::move(*group);
    if (!prepared.live)
        return {};
    MirrorGroup* g = prepared.group.get();
    if (auto r = prepared.live->attach(
            [g](std::uint64_t offset, std::uint64_t length) { g->notifyWrite(offset, length); },
            size);
        !r)
        return withContext("cannot start write tracking: ", r.error());
    return {};
}

} // namespace

Result<PreparedGroup> prepareGroup(GroupSetup setup, const Logger& log)
{
    const Logger out = orNull(log);
    const std::size_t n = setup.targets.size();
    if (n == 0 || n > kMaxTargets)
        return Error{EINVAL, "a mirror takes 1 to " + std::to_string(kMaxTargets) +
                                 " targets, not " + std::to_string(n)};
    // Each member would take the others' reads for the user's I/O.
    const bool yieldAsked = n > 1 && setup.common.options.yield == YieldMode::Auto;
    if (yieldAsked)
        setup.common.options.yield = YieldMode::Off;
    std::vector<std::unique_ptr<Preparation>> preps;
    for (const auto& t : setup.targets) {
        JobSetup one = setup.common;
        one.target = t.path;
        one.expectedTargetId = t.expectedId;
        one.allowDataOnTarget = one.allowDataOnTarget || t.allowData;
        preps.push_back(std::make_unique<Preparation>(std::move(one), out));
        for (auto step :
             {&Preparation::resolve, &Preparation::checkBinding, &Preparation::checkRules})
            if (auto r = (*preps.back().*step)(); !r)
                return r.error();
    }
    if (auto r = checkTargetsDistinct(preps); !r)
        return r.error();
    // The source is tracked once; every member quiesces it through the hub.
    if (auto r = preps.front()->trackSource(); !r)
        return r.error();
    PreparedGroup prepared;
    prepared.live = preps.front()->takeLive();
    auto inner = preps.front()->sourceQuiescer();
    if (inner && yieldAsked)
        out->info("with several targets the mirror does not yield to other I/O on the source");
    auto hub = std::make_shared<QuiesceHub>(inner);
    if (inner)
        for (std::size_t i = 0; i < n; ++i)
            preps[i]->setQuiescer(hub->member(static_cast<unsigned>(i)));

    if (auto r = assembleGroup(preps, hub, setup.group, out, prepared); !r) {
        // Tracking reports into the group: it goes first.
        prepared.live.reset();
        prepared.group.reset();
        for (auto& p : preps)
            p->removeCreated();
        return r.error();
    }
    const std::uint64_t size = prepared.group->member(0).source().size();
    for (std::size_t i = 0; i < n; ++i)
        if (prepared.targetCreated[i])
            out->info("created {} as {} of {}", preps[i]->targetName(), preps[i]->createdAs(),
                      formatBytes(size));
    return prepared;
}

} // namespace engine
