// Byte and rate parsing and formatting for the CLI and logs (IEC units,
// C locale). The GUI formats through QLocale instead.
#pragma once

#include "base/result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace engine {

/// Parses a size as qemu-img does: a plain number of bytes, or a number with a
/// binary suffix K, M, G, T, P, E (also k, KiB, MiB, ... and KB/MB... meaning
/// the same binary multiples, and B for bytes). A fraction is allowed with a
/// suffix ("1.5G") and is rounded down to whole bytes. Rejects empty input,
/// negative numbers, unknown suffixes, trailing junk and overflow, with a
/// message that quotes the input.
Result<std::uint64_t> parseSize(std::string_view text);

/// Parses a rate in bytes per second: the same syntax as parseSize, optionally
/// followed by "/s" ("100M", "100MiB/s"). "0" means unlimited.
Result<std::uint64_t> parseRate(std::string_view text);

/// @p v rounded up to a multiple of @p a (a > 0).
constexpr std::uint64_t roundUp(std::uint64_t v, std::uint64_t a)
{
    return (v + a - 1) / a * a;
}

/// "0 B", "512 B", "1.0 KiB", "64.0 MiB", "1.50 GiB" style: three significant
/// digits, IEC units.
std::string formatBytes(std::uint64_t bytes);
/// formatBytes(bytesPerSecond) + "/s".
std::string formatRate(double bytesPerSecond);
/// "59s", "4m05s", "2h03m"; "--" for a negative or non-finite value.
std::string formatDuration(double seconds);

} // namespace engine
