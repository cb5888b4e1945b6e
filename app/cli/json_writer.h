// A minimal JSON object writer for the CLI's one-object-per-line events.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cli {

class JsonObject
{
public:
    JsonObject& add(std::string_view key, std::string_view value);
    JsonObject& add(std::string_view key, const char* value)
    {
        return add(key, std::string_view(value));
    }
    JsonObject& add(std::string_view key, std::uint64_t value);
    JsonObject& add(std::string_view key, std::int64_t value);
    JsonObject& add(std::string_view key, int value)
    {
        return add(key, static_cast<std::int64_t>(value));
    }
    JsonObject& add(std::string_view key, double value);
    JsonObject& add(std::string_view key, bool value);
    /// @p json must already be valid JSON (an object or an array).
    JsonObject& addRaw(std::string_view key, std::string_view json);
    std::string str() const { return "{" + m_body + "}"; }

private:
    void key(std::string_view k);
    std::string m_body;
};

std::string jsonQuote(std::string_view s);

} // namespace cli
