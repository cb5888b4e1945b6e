// Error and Result<T>: the engine's way to return failure without exceptions.
// Member names follow std::expected, so a later switch to C++23 is an alias.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace engine {

/// The safety rule behind a refusal. Front ends decide on it (what to
/// explain, which way out to offer) and the helper's JSON carries its name,
/// so no one has to read it back out of a message.
enum class Rule {
    None, ///< not a refusal: a failure with a cause (errno) only
    SourceIsTarget,
    TargetInsideSource,
    TargetContainsSource,
    TargetOverlapsSource,
    SystemDisk,
    SystemDirectory,
    MountedTarget,
    HeldTarget,
    TargetInUse,
    SourceInUse,
    ReadOnlyTarget,
    TargetTooSmall,
    TargetHoldsData,
    TargetIdentity,
    NeedsRoot,
    Authentication,
    UserAccess,
    UntrustedSymlink,
    SourceFrozen,
    HelperScope,
    Permission,
    LiveSourceNeedsTracking,
    NotAnImageOrDisk,
    UnknownDevice,
    NoRoomForTarget,
    TargetsOverlap,
    /// A resume whose checkpoint is of another job (another disk in the
    /// slot, another size, other settings), or that has none.
    ResumeMismatch,
    /// An image file that does not carry the format its name or --format
    /// says (a raw file named .qcow2, a vmdk given as qcow2).
    ImageFormatMismatch,
    /// A compressed qcow2 as the target of a live source: its clusters can
    /// be written once, and a live mirror writes again what changes.
    CompressedLiveTarget,
};

/// The rule's name as messages, the man page and the JSON protocol spell it
/// ("target holds data"); empty for Rule::None.
std::string_view ruleName(Rule rule);
/// The rule named @p name by ruleName(); Rule::None for any other text.
Rule ruleFromName(std::string_view name);

/// A failure: the errno that caused it (0 when none applies), a message
/// meant for the user, naming what failed ("open /dev/sdb: Permission
/// denied"), and for a refusal the rule that refused (see refusal()).
struct Error
{
    int code = 0;
    std::string message;
    Rule rule = Rule::None;
};

/// errno text for @p code ("No space left on device").
std::string errnoText(int code);
/// Error{code, context + ": " + errnoText(code)}.
Error systemError(int code, const std::string& context);
/// A refusal by @p rule: its message is @p message + " (rule: NAME" +
/// @p note + ")" + @p after, the form the CLI, its man page and scripts show
/// ("... (rule: mounted target); unmount it first").
Error refusal(int code, Rule rule, std::string message, std::string_view after = {},
              std::string_view note = {});
/// @p error with @p context put before its message ("target: "), keeping
/// its code and rule.
Error withContext(std::string_view context, Error error);

template <class T>
class [[nodiscard]] Result
{
public:
    Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

    bool has_value() const { return m_v.index() == 0; }
    explicit operator bool() const { return has_value(); }
    T& value() &
    {
        assert(has_value());
        return std::get<0>(m_v);
    }
    const T& value() const&
    {
        assert(has_value());
        return std::get<0>(m_v);
    }
    T&& value() &&
    {
        assert(has_value());
        return std::get<0>(std::move(m_v));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const Error& error() const
    {
        assert(!has_value());
        return std::get<1>(m_v);
    }

private:
    std::variant<T, Error> m_v;
};

template <>
class [[nodiscard]] Result<void>
{
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_ok(false) {}

    bool has_value() const { return m_ok; }
    explicit operator bool() const { return m_ok; }
    const Error& error() const
    {
        assert(!m_ok);
        return m_error;
    }

private:
    Error m_error;
    bool m_ok = true;
};

} // namespace engine
