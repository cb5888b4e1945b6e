// Error and Result<T>: the engine's way to return failure without exceptions.
// Member names follow std::expected, so a later switch to C++23 is an alias.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace engine {

/// A failure: the errno that caused it (0 when none applies) and a message
/// meant for the user, naming what failed ("open /dev/sdb: Permission denied").
struct Error
{
    int code = 0;
    std::string message;
};

/// errno text for @p code ("No space left on device").
std::string errnoText(int code);
/// Error{code, context + ": " + errnoText(code)}.
Error systemError(int code, const std::string& context);

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
