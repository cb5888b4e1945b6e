#include "json_writer.h"

#include <cmath>
#include <cstdio>

namespace cli {

namespace {

// The length of the well-formed UTF-8 sequence at s[i], or 0 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8Length(std::string_view s, std::size_t i)
{
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (i + n > s.size() || b(i + 1) < lo || b(i + 1) > hi)
        return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (b(i + k) < 0x80 || b(i + k) > 0xBF)
            return 0;
    return n;
}

} // namespace

std::string jsonQuote(std::string_view s)
{
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (static_cast<unsigned char>(c) >= 0x80) {
            // JSON is UTF-8: a byte that is not part of a character (a file
            // name in another encoding, garbage on stdin) becomes U+FFFD.
            const std::size_t n = utf8Length(s, i);
            if (n == 0) {
                out += "\\ufffd";
                continue;
            }
            out.append(s.substr(i, n));
            i += n - 1;
            continue;
        }
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (static_cast<unsigned char>(c) < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
                out += buf;
            } else {
                out += c;
            }
        }
    }
    return out + "\"";
}

void JsonObject::key(std::string_view k)
{
    if (!m_body.empty())
        m_body += ", ";
    m_body += jsonQuote(k);
    m_body += ": ";
}

JsonObject& JsonObject::add(std::string_view k, std::string_view value)
{
    key(k);
    m_body += jsonQuote(value);
    return *this;
}

JsonObject& JsonObject::add(std::string_view k, std::uint64_t value)
{
    key(k);
    m_body += std::to_string(value);
    return *this;
}

JsonObject& JsonObject::add(std::string_view k, std::int64_t value)
{
    key(k);
    m_body += std::to_string(value);
    return *this;
}

JsonObject& JsonObject::add(std::string_view k, double value)
{
    key(k);
    if (!std::isfinite(value)) {
        m_body += "null";
        return *this;
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", value);
    m_body += buf;
    return *this;
}

JsonObject& JsonObject::add(std::string_view k, bool value)
{
    key(k);
    m_body += value ? "true" : "false";
    return *this;
}

JsonObject& JsonObject::addRaw(std::string_view k, std::string_view json)
{
    key(k);
    m_body += json;
    return *this;
}

} // namespace cli
