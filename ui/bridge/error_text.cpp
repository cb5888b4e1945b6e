#include "bridge/error_text.h"

#include <cerrno>

namespace ui {

namespace {

struct Explanation
{
    const char* cause;
    const char* advice;
};

struct RuleText
{
    engine::Rule rule;
    Explanation text;
};

struct ErrnoText
{
    int code;
    Explanation text;
};

using engine::Rule;

// Explanations that serve more than one rule or errno.
constexpr Explanation kSameDisk{
    QT_TRANSLATE_NOOP("ui::ErrorText", "The target and the source are parts of the same disk."),
    QT_TRANSLATE_NOOP("ui::ErrorText", "Choose a target on another disk.")};
constexpr Explanation kInUse{
    QT_TRANSLATE_NOOP("ui::ErrorText",
                      "The target is in use by the system (swap, LVM, RAID, encryption or "
                      "another program)."),
    QT_TRANSLATE_NOOP("ui::ErrorText",
                      "Stop using it (for example swapoff, deactivate the volume group or "
                      "close the program), then try again.")};
constexpr Explanation kDenied{
    QT_TRANSLATE_NOOP("ui::ErrorText", "Access was denied."),
    QT_TRANSLATE_NOOP("ui::ErrorText",
                      "Check the permissions, or start DriveMirror as administrator for block "
                      "devices.")};

constexpr Explanation kUnreachable{
    QT_TRANSLATE_NOOP("ui::ErrorText",
                      "The NBD server could not be reached, or it did not answer or closed the "
                      "connection."),
    QT_TRANSLATE_NOOP("ui::ErrorText",
                      "Check the URI, that the server runs and that this machine can reach it "
                      "(and the TLS key, for nbds://), then try again.")};

// The rules a person can act on; any other refusal is explained by its errno.
constexpr RuleText kRules[] = {
    {Rule::SourceIsTarget,
     {QT_TRANSLATE_NOOP("ui::ErrorText", "The source and the target are the same storage."),
      QT_TRANSLATE_NOOP("ui::ErrorText", "Choose a different target.")}},
    {Rule::TargetInsideSource, kSameDisk},
    {Rule::TargetContainsSource, kSameDisk},
    {Rule::SystemDisk,
     {QT_TRANSLATE_NOOP("ui::ErrorText", "The target holds the file system of the running system."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Choose another disk. The running system cannot be overwritten.")}},
    {Rule::MountedTarget,
     {QT_TRANSLATE_NOOP("ui::ErrorText", "The target (or one of its partitions) is mounted."),
      QT_TRANSLATE_NOOP("ui::ErrorText", "Unmount all its file systems first, then try again.")}},
    {Rule::HeldTarget, kInUse},
    {Rule::TargetInUse, kInUse},
    {Rule::ReadOnlyTarget,
     {QT_TRANSLATE_NOOP("ui::ErrorText", "The target is read-only."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Choose another target, or make this one writable if you are sure it "
                        "may be overwritten.")}},
    {Rule::TargetTooSmall,
     {QT_TRANSLATE_NOOP("ui::ErrorText", "The target is smaller than the source."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Choose a target that is at least as large as the source.")}},
    {Rule::TargetHoldsData,
     {QT_TRANSLATE_NOOP("ui::ErrorText",
                        "The target holds data (a partition table, a file system or partitions, "
                        "or a start that cannot be read), and overwriting it was not confirmed."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Start again and type the device name to confirm, or choose another "
                        "target.")}},
    {Rule::TargetIdentity,
     {QT_TRANSLATE_NOOP("ui::ErrorText",
                        "The target is no longer the disk you chose: it was removed, replaced or "
                        "renamed since."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Check which disk is connected, then choose the target again.")}},
    {Rule::NeedsRoot,
     {QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Disks and partitions can only be used with administrator rights."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Install pkexec so that DriveMirror can ask for administrator rights, or "
                        "mirror image files instead.")}},
    {Rule::Authentication,
     {QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Administrator authentication was cancelled or refused, so the disks "
                        "could not be opened."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Start again and authenticate as an administrator when asked, or mirror "
                        "image files instead.")}},
    {Rule::UserAccess,
     {QT_TRANSLATE_NOOP("ui::ErrorText",
                        "With administrator rights, DriveMirror reads and writes image files "
                        "only as you: you may not use this file or create one in this folder "
                        "yourself."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Choose an image file, or a folder for the new one, that is yours.")}},
    {Rule::UntrustedSymlink,
     {QT_TRANSLATE_NOOP("ui::ErrorText",
                        "The path leads through a symbolic link that belongs to another user, "
                        "who could point it at any disk."),
      QT_TRANSLATE_NOOP("ui::ErrorText", "Choose the file or disk itself, not the link.")}},
    {Rule::SourceFrozen,
     {QT_TRANSLATE_NOOP("ui::ErrorText",
                        "A file system on the source is frozen already, by another program or by "
                        "a run that was stopped, so the final copy could never freeze it."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Thaw it with the fsfreeze -u command named in the details, then start "
                        "again.")}},
    {Rule::HelperScope,
     {QT_TRANSLATE_NOOP("ui::ErrorText",
                        "This job needs no administrator rights, so the helper with those rights "
                        "does not run it."),
      QT_TRANSLATE_NOOP("ui::ErrorText", "Start it without administrator rights.")}},
    {Rule::Permission,
     {QT_TRANSLATE_NOOP("ui::ErrorText", "You do not have permission for this file or folder."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Choose a location you may write to, or change the permissions.")}},
};

// Every refusal about a file's identity names "the image file"
// (engine::imageFileId): the disk's wording would mislead there.
constexpr Explanation kImageIdentity{
    QT_TRANSLATE_NOOP("ui::ErrorText",
                      "The target file is no longer the one you confirmed: another program "
                      "replaced, truncated, moved or created it since."),
    QT_TRANSLATE_NOOP("ui::ErrorText",
                      "Check what else writes to that folder, then choose the target again.")};

constexpr ErrnoText kErrnos[] = {
    {ENOENT,
     {QT_TRANSLATE_NOOP("ui::ErrorText", "The file or device does not exist (any more)."),
      QT_TRANSLATE_NOOP("ui::ErrorText", "Refresh the lists and choose again.")}},
    {EACCES, kDenied},
    {EPERM, kDenied},
    {EBUSY,
     {QT_TRANSLATE_NOOP("ui::ErrorText",
                        "The device is busy: it is mounted or used by another program."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Unmount it or close the program that uses it, then try again.")}},
    {EROFS,
     {QT_TRANSLATE_NOOP("ui::ErrorText", "The target cannot be written: it is read-only."),
      QT_TRANSLATE_NOOP("ui::ErrorText", "Choose a writable target.")}},
    {ENOSPC,
     {QT_TRANSLATE_NOOP("ui::ErrorText", "There is not enough space."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Free space on the target's file system, or choose a larger target.")}},
    {EIO,
     {QT_TRANSLATE_NOOP("ui::ErrorText",
                        "A read or write failed with an input/output error: the disk or its "
                        "connection may be failing."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Check the cable and the disk's health. To rescue what can be read, set "
                        "the source error policy to \"Ignore\" and start again.")}},
    {EINVAL,
     {QT_TRANSLATE_NOOP("ui::ErrorText",
                        "A setting or the chosen storage is not valid for this job."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Check the job settings (granularity, buffer size) and the chosen source "
                        "and target.")}},
    {ENOMEM,
     {QT_TRANSLATE_NOOP("ui::ErrorText", "There is not enough memory for the copy buffers."),
      QT_TRANSLATE_NOOP("ui::ErrorText", "Choose a smaller buffer size.")}},
    {EINPROGRESS,
     {QT_TRANSLATE_NOOP("ui::ErrorText", "The NBD export's server has not answered yet."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Wait a moment: the list shows the export's size once its server "
                        "answers.")}},
    {ECONNREFUSED, kUnreachable},
    {ETIMEDOUT, kUnreachable},
    {EHOSTUNREACH, kUnreachable},
    {ENETUNREACH, kUnreachable},
    {ECONNRESET, kUnreachable},
    {ENOTCONN, kUnreachable},
    {EPROTO, kUnreachable},
    {ENOSYS,
     {QT_TRANSLATE_NOOP("ui::ErrorText", "The kernel lacks a feature the copy needs (io_uring)."),
      QT_TRANSLATE_NOOP("ui::ErrorText",
                        "Use a kernel with io_uring enabled (Linux 5.6 or later).")}},
};

constexpr Explanation kOther{
    QT_TRANSLATE_NOOP("ui::ErrorText", "The operation failed."),
    QT_TRANSLATE_NOOP("ui::ErrorText", "See the details and the log for more information.")};

const Explanation& explain(const engine::Error& error)
{
    if (error.rule == Rule::TargetIdentity && error.message.find("image file") != std::string::npos)
        return kImageIdentity;
    for (const RuleText& r : kRules)
        if (r.rule == error.rule)
            return r.text;
    for (const ErrnoText& e : kErrnos)
        if (e.code == error.code)
            return e.text;
    return kOther;
}

} // namespace

UserMessage ErrorText::describe(const engine::Error& error)
{
    const Explanation& text = explain(error);
    UserMessage m;
    m.cause = tr(text.cause);
    m.advice = tr(text.advice);
    m.details = QString::fromStdString(error.message);
    return m;
}

QString ErrorText::brief(const engine::Error& error)
{
    const UserMessage m = describe(error);
    return m.cause + u'\n' + m.advice;
}

} // namespace ui
