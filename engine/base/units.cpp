// Size and rate parsing and formatting.
//
// Parsing is done by hand on the string_view rather than with strtod/strtoull:
// those honour the process locale (the GUI sets one, so "1.5G" could stop
// parsing in a German session), accept leading whitespace, signs and hex, and
// lose exactness on fractions. Here the integer and fraction digits are kept
// as integers and scaled with 128-bit arithmetic, so "1.5G" is exactly
// 1610612736 and "0.1K" is floor(102.4) = 102.
//
// Formatting likewise avoids printf's %f for the same locale reason: the
// value is rounded to an integer number of hundredths/tenths/units and the
// decimal point is inserted by hand.
#include "base/units.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <limits>

namespace engine {

namespace {

__extension__ using Uint128 = unsigned __int128;

constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();
// Fraction digits past this many are ignored: they are worth at most about a
// byte even at the E multiplier, and the cut keeps fraction << 60 in 128 bits.
constexpr int kMaxFractionDigits = 18;

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

char toUpper(char c)
{
    return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

/// log2 of the multiplier for a unit letter, or -1 when the letter is not one.
int unitShift(char c)
{
    switch (toUpper(c)) {
    case 'K':
        return 10;
    case 'M':
        return 20;
    case 'G':
        return 30;
    case 'T':
        return 40;
    case 'P':
        return 50;
    case 'E':
        return 60;
    default:
        return -1;
    }
}

/// Parses the qemu-img size syntax; @p what ("size", "rate") and @p original
/// (the user's full text) only shape the error message.
Result<std::uint64_t> parseSizeAs(std::string_view text, std::string_view what,
                                  std::string_view original)
{
    const auto fail = [&](int code, const char* reason) {
        return Error{code, "invalid " + std::string(what) + " '" + std::string(original) +
                               "': " + reason};
    };

    if (text.empty())
        return fail(EINVAL, "empty value");
    if (text.front() == '-')
        return fail(EINVAL, "must not be negative");
    if (!isDigit(text.front()) && text.front() != '.')
        return fail(EINVAL, "expected a number");

    std::size_t i = 0;
    std::uint64_t whole = 0;
    bool anyDigit = false;
    bool overflow = false;
    for (; i < text.size() && isDigit(text[i]); ++i) {
        anyDigit = true;
        const auto digit = static_cast<std::uint64_t>(text[i] - '0');
        if (whole > (kMaxU64 - digit) / 10)
            overflow = true;
        else
            whole = whole * 10 + digit;
    }

    bool hasFraction = false;
    std::uint64_t fraction = 0; // the kept fraction digits as an integer
    std::uint64_t fractionScale = 1;
    if (i < text.size() && text[i] == '.') {
        hasFraction = true;
        ++i;
        int kept = 0;
        for (; i < text.size() && isDigit(text[i]); ++i) {
            anyDigit = true;
            if (kept < kMaxFractionDigits) {
                fraction = fraction * 10 + static_cast<std::uint64_t>(text[i] - '0');
                fractionScale *= 10;
                ++kept;
            }
        }
    }
    if (!anyDigit)
        return fail(EINVAL, "expected a number");

    // Suffix: B, or a unit letter optionally followed by "B" or "iB".
    int shift = 0;
    bool hasUnit = false;
    const std::string_view suffix = text.substr(i);
    if (!suffix.empty()) {
        const int letterShift = unitShift(suffix[0]);
        std::string_view rest = suffix.substr(1);
        if (letterShift >= 0) {
            shift = letterShift;
            hasUnit = true;
            if (rest.size() == 2 && toUpper(rest[0]) == 'I' && toUpper(rest[1]) == 'B')
                rest = {};
            else if (rest.size() == 1 && toUpper(rest[0]) == 'B')
                rest = {};
        } else if (toUpper(suffix[0]) != 'B') {
            return fail(EINVAL, "unknown unit suffix (use B, K, M, G, T, P, E or KiB...)");
        }
        // "1e3" reads like a float but E is the exa unit: refuse it by name
        // rather than as trailing characters, so nobody copies 1000 EiB.
        if (toUpper(suffix[0]) == 'E' && !rest.empty() &&
            (isDigit(rest[0]) || rest[0] == '+' || rest[0] == '-'))
            return fail(EINVAL, "exponent notation is not accepted (write 1000 or 1K, not 1e3)");
        if (!rest.empty())
            return fail(EINVAL, "trailing characters after the unit");
    }
    if (hasFraction && !hasUnit)
        return fail(EINVAL, "a fraction needs a unit suffix such as K or G");

    if (overflow || (shift > 0 && whole > (kMaxU64 >> shift)))
        return fail(ERANGE, "too large");
    std::uint64_t bytes = whole << shift;
    if (fraction != 0) {
        // floor(fraction / fractionScale * 2^shift), exactly.
        const auto extra = static_cast<std::uint64_t>((Uint128{fraction} << shift) / fractionScale);
        if (bytes > kMaxU64 - extra)
            return fail(ERANGE, "too large");
        bytes += extra;
    }
    // A value the user wrote as non-zero must not turn into 0, which means
    // "unlimited" or "default" to the options that take it.
    if (bytes == 0 && (whole != 0 || fraction != 0))
        return fail(EINVAL, "rounds down to 0 bytes");
    return bytes;
}

/// Writes @p scaled / 10^decimals with a '.' decimal point.
std::string fixedPoint(std::uint64_t scaled, int decimals)
{
    if (decimals == 0)
        return std::to_string(scaled);
    std::uint64_t divisor = 1;
    for (int d = 0; d < decimals; ++d)
        divisor *= 10;
    std::string fractionDigits = std::to_string(scaled % divisor);
    fractionDigits.insert(0, static_cast<std::size_t>(decimals) - fractionDigits.size(), '0');
    return std::to_string(scaled / divisor) + '.' + fractionDigits;
}

} // namespace

Result<std::uint64_t> parseSize(std::string_view text)
{
    return parseSizeAs(text, "size", text);
}

Result<std::uint64_t> parseRate(std::string_view text)
{
    std::string_view number = text;
    if (number.size() >= 2 && number.substr(number.size() - 2) == "/s")
        number.remove_suffix(2);
    return parseSizeAs(number, "rate", text);
}

std::string formatBytes(std::uint64_t bytes)
{
    static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    if (bytes < 1024)
        return std::to_string(bytes) + " B";

    // Largest unit that leaves a value of at least 1, then as many decimals as
    // keep three significant digits. Rounding may carry into a fourth digit
    // (9.996 -> 10.0) or into the next unit (1023.6 KiB -> 1.00 MiB), so the
    // choice is re-made on the rounded value.
    int unit = (static_cast<int>(std::bit_width(bytes)) - 1) / 10;
    for (;;) {
        const int shift = unit * 10;
        for (int decimals = 2; decimals >= 0; --decimals) {
            const std::uint64_t factor = decimals == 2 ? 100 : decimals == 1 ? 10 : 1;
            const Uint128 half = shift > 0 ? Uint128{1} << (shift - 1) : 0;
            const auto scaled =
                static_cast<std::uint64_t>((Uint128{bytes} * factor + half) >> shift);
            const std::uint64_t limit = decimals == 2 ? 1000 : decimals == 1 ? 1000 : 1024;
            if (scaled < limit || (decimals == 0 && unit == 6))
                return fixedPoint(scaled, decimals) + ' ' + kUnits[unit];
        }
        ++unit;
    }
}

std::string formatRate(double bytesPerSecond)
{
    // Negative or NaN rates come from a clock hiccup, not from data; show
    // them as nothing transferred rather than as a wrapped huge number.
    if (!(bytesPerSecond > 0))
        return formatBytes(0) + "/s";
    // 2^64 as a double; anything at or above it saturates.
    if (bytesPerSecond >= 18446744073709551616.0)
        return formatBytes(kMaxU64) + "/s";
    return formatBytes(static_cast<std::uint64_t>(bytesPerSecond + 0.5)) + "/s";
}

std::string formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return "--";
    // Beyond ~11 years an ETA carries no information; the cap also keeps the
    // conversion to an integer defined.
    constexpr double kMaxSeconds = 1e8 * 3600;
    const auto total = static_cast<std::uint64_t>(std::llround(std::min(seconds, kMaxSeconds)));
    const auto twoDigits = [](std::uint64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); };
    if (total < 60)
        return std::to_string(total) + "s";
    if (total < 3600)
        return std::to_string(total / 60) + "m" + twoDigits(total % 60) + "s";
    return std::to_string(total / 3600) + "h" + twoDigits(total % 3600 / 60) + "m";
}

} // namespace engine
