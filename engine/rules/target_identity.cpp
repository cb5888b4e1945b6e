#include "rules/target_identity.h"

#include "rules/job_setup.h"

#include <sys/sysmacros.h>

#include <cerrno>
#include <charconv>
#include <cstdint>
#include <string_view>

namespace engine {

namespace {

constexpr std::string_view kFileIdPrefix = "file:";

// An imageFileId() taken apart.
struct ImageFileId
{
    std::uint64_t devMajor = 0;
    std::uint64_t devMinor = 0;
    std::uint64_t ino = 0;
    std::uint64_t size = 0;
};

std::optional<ImageFileId> parseImageFileId(std::string_view id)
{
    if (!id.starts_with(kFileIdPrefix))
        return std::nullopt;
    id.remove_prefix(kFileIdPrefix.size());
    std::uint64_t parts[4] = {};
    for (std::size_t i = 0; i < std::size(parts); ++i) {
        if (i > 0) {
            if (id.empty() || id.front() != ':')
                return std::nullopt;
            id.remove_prefix(1);
        }
        const char* begin = id.data();
        const auto [end, ec] = std::from_chars(begin, begin + id.size(), parts[i]);
        if (ec != std::errc{} || end == begin)
            return std::nullopt;
        id.remove_prefix(static_cast<std::size_t>(end - begin));
    }
    if (!id.empty())
        return std::nullopt;
    return ImageFileId{parts[0], parts[1], parts[2], parts[3]};
}

std::string deviceText(std::uint64_t devMajor, std::uint64_t devMinor)
{
    return std::to_string(devMajor) + ":" + std::to_string(devMinor);
}

} // namespace

std::string imageFileId(dev_t dev, ino_t ino, std::uint64_t size)
{
    return std::string(kFileIdPrefix) + deviceText(major(dev), minor(dev)) + ":" +
           std::to_string(static_cast<std::uint64_t>(ino)) + ":" + std::to_string(size);
}

bool isImageFileId(std::string_view id)
{
    return id == kAbsentTargetId || id.starts_with(kFileIdPrefix);
}

Error fileAppeared(const std::string& target)
{
    return refusal(EEXIST, Rule::TargetIdentity,
                   "refusing the target: a file appeared at " + target +
                       " since you confirmed it would be created as a new image file");
}

std::optional<Error> imageIdentityMismatch(const std::string& target, const std::string& expected,
                                           const struct stat* now)
{
    if (expected == kAbsentTargetId) {
        if (!now)
            return std::nullopt;
        return fileAppeared(target);
    }
    const auto want = parseImageFileId(expected);
    if (!want)
        return refusal(EINVAL, Rule::TargetIdentity,
                       "refusing " + target + ": '" + expected +
                           "' is no image file identity (file:DEVMAJ:DEVMIN:INO:SIZE, or " +
                           std::string(kAbsentTargetId) + ")");
    if (!now)
        return refusal(ENOENT, Rule::TargetIdentity,
                       "refusing " + target +
                           ": the image file you confirmed is gone (deleted or renamed "
                           "since), and no new one is created in its place");
    if (!S_ISREG(now->st_mode))
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + target + ": it is " +
                           (S_ISBLK(now->st_mode) ? "a block device" : "no regular file") +
                           " now, not the image file you confirmed");
    const std::uint64_t devMajor = major(now->st_dev);
    const std::uint64_t devMinor = minor(now->st_dev);
    const auto ino = static_cast<std::uint64_t>(now->st_ino);
    if (devMajor != want->devMajor || devMinor != want->devMinor)
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + target + ": it is another file now (inode " +
                           std::to_string(ino) + " on device " + deviceText(devMajor, devMinor) +
                           ", was inode " + std::to_string(want->ino) + " on device " +
                           deviceText(want->devMajor, want->devMinor) +
                           "), not the image file you confirmed");
    if (ino != want->ino)
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + target + ": it is another file now (inode " +
                           std::to_string(ino) + ", was " + std::to_string(want->ino) +
                           "), not the image file you confirmed");
    const auto size = static_cast<std::uint64_t>(now->st_size);
    if (size < want->size)
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + target + ": it was truncated from " +
                           std::to_string(want->size) + " to " + std::to_string(size) +
                           " bytes since you confirmed the image file");
    if (size > want->size)
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + target + ": it grew from " + std::to_string(want->size) +
                           " to " + std::to_string(size) +
                           " bytes since you confirmed the image file, so another program "
                           "writes it");
    return std::nullopt;
}

Result<void> checkOpenedTarget(const Disk& target, const std::string& expected,
                               const std::optional<DiskIdentity>& created, dev_t confirmedDevice)
{
    struct stat st
    {
    };
    if (::fstat(target.fd(), &st) != 0)
        return systemError(errno, "stat " + target.path());
    if (created) {
        if (S_ISREG(st.st_mode) && st.st_dev == created->dev && st.st_ino == created->ino)
            return {};
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing the target: another file took the place of the image "
                       "file created at " +
                           target.path() + " before it was opened (inode " +
                           std::to_string(st.st_ino) + ", created " + std::to_string(created->ino) +
                           ")");
    }
    if (isImageFileId(expected)) {
        if (auto why = imageIdentityMismatch(target.path(), expected, &st))
            return *why;
        return {};
    }
    if (!expected.empty() && (!S_ISBLK(st.st_mode) || st.st_rdev != confirmedDevice))
        return refusal(ESTALE, Rule::TargetIdentity,
                       "refusing " + target.path() +
                           ": what was opened is not the device whose identity was "
                           "checked (" +
                           expected + "); it changed while it was opened");
    return {};
}

} // namespace engine
