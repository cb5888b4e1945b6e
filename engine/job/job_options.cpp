#include "job/job_options.h"

#include <cerrno>
#include <string>

namespace engine {

std::string_view toString(SyncMode mode)
{
    switch (mode) {
    case SyncMode::Full:
        return "full";
    case SyncMode::Top:
        return "top";
    case SyncMode::None:
        return "none";
    }
    return "?";
}

std::string_view toString(ErrorPolicy policy)
{
    switch (policy) {
    case ErrorPolicy::Report:
        return "report";
    case ErrorPolicy::Ignore:
        return "ignore";
    case ErrorPolicy::Stop:
        return "stop";
    case ErrorPolicy::Enospc:
        return "enospc";
    }
    return "?";
}

std::string_view toString(YieldMode mode)
{
    switch (mode) {
    case YieldMode::Auto:
        return "auto";
    case YieldMode::Off:
        return "off";
    }
    return "?";
}

std::optional<SyncMode> parseSyncMode(std::string_view text)
{
    for (auto m : {SyncMode::Full, SyncMode::Top, SyncMode::None})
        if (text == toString(m))
            return m;
    return std::nullopt;
}

std::optional<ErrorPolicy> parseErrorPolicy(std::string_view text)
{
    for (auto p :
         {ErrorPolicy::Report, ErrorPolicy::Ignore, ErrorPolicy::Stop, ErrorPolicy::Enospc})
        if (text == toString(p))
            return p;
    return std::nullopt;
}

std::optional<YieldMode> parseYieldMode(std::string_view text)
{
    for (auto m : {YieldMode::Auto, YieldMode::Off})
        if (text == toString(m))
            return m;
    return std::nullopt;
}

Result<void> validate(const JobOptions& options)
{
    const auto g = options.granularity;
    if (g != 0 && (g < kMinGranularity || g > kMaxGranularity || (g & (g - 1)) != 0))
        return Error{EINVAL, "invalid granularity " + std::to_string(g) +
                                 ": it must be a power of two from 512 B to 64 MiB"};
    if (options.bufSize > kMaxBufSize)
        return Error{EINVAL, "invalid buffer size " + std::to_string(options.bufSize) +
                                 ": at most 1 GiB (memory for data in flight)"};
    if (!(options.maxFreezeSeconds >= kMinFreezeSeconds &&
          options.maxFreezeSeconds <= kMaxFreezeSeconds))
        return Error{EINVAL, "invalid maximum freeze " + std::to_string(options.maxFreezeSeconds) +
                                 " s: it must be from 0.1 s to 3600 s"};
    if (options.reconnectSeconds > kMaxReconnectSeconds)
        return Error{EINVAL, "invalid reconnect time " + std::to_string(options.reconnectSeconds) +
                                 " s: it must be from 0 s to 86400 s"};
    return {};
}

} // namespace engine
