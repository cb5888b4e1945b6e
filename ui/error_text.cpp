#include "error_text.h"

#include <cerrno>
#include <string_view>

namespace ui {

namespace {

std::string_view ruleOf(const std::string& message)
{
    constexpr std::string_view tag = "(rule: ";
    const auto at = message.rfind(tag);
    if (at == std::string::npos)
        return {};
    const auto begin = at + tag.size();
    const auto end = message.find(')', begin);
    if (end == std::string::npos)
        return {};
    return std::string_view(message).substr(begin, end - begin);
}

} // namespace

UserMessage ErrorText::describe(const engine::Error& error)
{
    UserMessage m;
    m.details = QString::fromStdString(error.message);
    const std::string_view rule = ruleOf(error.message);

    if (rule == "source is target") {
        m.cause = tr("The source and the target are the same storage.");
        m.advice = tr("Choose a different target.");
    } else if (rule == "target inside source" || rule == "target contains source") {
        m.cause = tr("The target and the source are parts of the same disk.");
        m.advice = tr("Choose a target on another disk.");
    } else if (rule == "system disk") {
        m.cause = tr("The target holds the file system of the running system.");
        m.advice = tr("Choose another disk. The running system cannot be overwritten.");
    } else if (rule == "mounted target") {
        m.cause = tr("The target (or one of its partitions) is mounted.");
        m.advice = tr("Unmount all its file systems first, then try again.");
    } else if (rule == "held target" || rule == "target in use") {
        m.cause = tr("The target is in use by the system (swap, LVM, RAID, encryption or "
                     "another program).");
        m.advice = tr("Stop using it (for example swapoff, deactivate the volume group or "
                      "close the program), then try again.");
    } else if (rule == "read-only target") {
        m.cause = tr("The target is read-only.");
        m.advice = tr("Choose another target, or make this one writable if you are sure it "
                      "may be overwritten.");
    } else if (rule == "target too small") {
        m.cause = tr("The target is smaller than the source.");
        m.advice = tr("Choose a target that is at least as large as the source.");
    } else if (rule == "target holds data") {
        m.cause = tr("The target holds data (a partition table, a file system or partitions, or "
                     "a start that cannot be read), and overwriting it was not confirmed.");
        m.advice = tr("Start again and type the device name to confirm, or choose another "
                      "target.");
    } else if (rule == "target identity" && error.message.find("image file") != std::string::npos) {
        // The engine names "the image file" in every refusal about a file's
        // identity (engine::imageFileId): the disk's wording would mislead.
        m.cause = tr("The target file is no longer the one you confirmed: another program "
                     "replaced, truncated, moved or created it since.");
        m.advice = tr("Check what else writes to that folder, then choose the target again.");
    } else if (rule == "target identity") {
        m.cause = tr("The target is no longer the disk you chose: it was removed, replaced or "
                     "renamed since.");
        m.advice = tr("Check which disk is connected, then choose the target again.");
    } else if (rule == "needs root") {
        m.cause = tr("Disks and partitions can only be used with administrator rights.");
        m.advice = tr("Install pkexec so that DriveMirror can ask for administrator rights, or "
                      "mirror image files instead.");
    } else if (rule == "authentication") {
        m.cause = tr("Administrator authentication was cancelled or refused, so the disks "
                     "could not be opened.");
        m.advice = tr("Start again and authenticate as an administrator when asked, or mirror "
                      "image files instead.");
    } else if (rule == "user access") {
        m.cause = tr("With administrator rights, DriveMirror reads and writes image files only as "
                     "you: you may not use this file or create one in this folder yourself.");
        m.advice = tr("Choose an image file, or a folder for the new one, that is yours.");
    } else if (rule == "untrusted symlink") {
        m.cause = tr("The path leads through a symbolic link that belongs to another user, who "
                     "could point it at any disk.");
        m.advice = tr("Choose the file or disk itself, not the link.");
    } else if (rule == "source frozen") {
        m.cause = tr("A file system on the source is frozen already, by another program or by a "
                     "run that was stopped, so the final copy could never freeze it.");
        m.advice = tr("Thaw it with the fsfreeze -u command named in the details, then start "
                      "again.");
    } else if (rule == "helper scope") {
        m.cause = tr("This job needs no administrator rights, so the helper with those rights "
                     "does not run it.");
        m.advice = tr("Start it without administrator rights.");
    } else if (rule == "permission") {
        m.cause = tr("You do not have permission for this file or folder.");
        m.advice = tr("Choose a location you may write to, or change the permissions.");
    } else {
        switch (error.code) {
        case ENOENT:
            m.cause = tr("The file or device does not exist (any more).");
            m.advice = tr("Refresh the lists and choose again.");
            break;
        case EACCES:
        case EPERM:
            m.cause = tr("Access was denied.");
            m.advice = tr("Check the permissions, or start DriveMirror as administrator for "
                          "block devices.");
            break;
        case EBUSY:
            m.cause = tr("The device is busy: it is mounted or used by another program.");
            m.advice = tr("Unmount it or close the program that uses it, then try again.");
            break;
        case EROFS:
            m.cause = tr("The target cannot be written: it is read-only.");
            m.advice = tr("Choose a writable target.");
            break;
        case ENOSPC:
            m.cause = tr("There is not enough space.");
            m.advice = tr("Free space on the target's file system, or choose a larger target.");
            break;
        case EIO:
            m.cause = tr("A read or write failed with an input/output error: the disk or its "
                         "connection may be failing.");
            m.advice = tr("Check the cable and the disk's health. To rescue what can be read, "
                          "set the source error policy to \"Ignore\" and start again.");
            break;
        case EINVAL:
            m.cause = tr("A setting or the chosen storage is not valid for this job.");
            m.advice = tr("Check the job settings (granularity, buffer size) and the chosen "
                          "source and target.");
            break;
        case ENOMEM:
            m.cause = tr("There is not enough memory for the copy buffers.");
            m.advice = tr("Choose a smaller buffer size.");
            break;
        case ENOSYS:
            m.cause = tr("The kernel lacks a feature the copy needs (io_uring).");
            m.advice = tr("Use a kernel with io_uring enabled (Linux 5.6 or later).");
            break;
        default:
            m.cause = tr("The operation failed.");
            m.advice = tr("See the details and the log for more information.");
            break;
        }
    }
    return m;
}

QString ErrorText::brief(const engine::Error& error)
{
    const UserMessage m = describe(error);
    return m.cause + u'\n' + m.advice;
}

} // namespace ui
