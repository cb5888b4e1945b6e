#include "common.h"

#include "cli.h"
#include "io/resolve.h"
#include "rules/job_setup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace cli {

engine::Logger makeLogger(bool verbose)
{
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    auto log = std::make_shared<spdlog::logger>("drivemirror", sink);
    // On a terminal, clear the live progress line before a message so the
    // two never mix; the next progress tick draws it again.
    log->set_pattern(::isatty(2) ? "\r\033[K%^%l%$: %v" : "%l: %v");
    log->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
    return log;
}

int badInput(const std::string& message)
{
    std::fprintf(stderr, "drivemirror-cli: %s\n", message.c_str());
    return kExitBadInput;
}

std::optional<engine::Error> elevatedAccessRefusal(const std::string& path, int flags)
{
    const engine::Invoker who = engine::currentInvoker();
    if (!who.elevated)
        return std::nullopt;
    auto r = engine::resolvePath(path, who);
    if (!r)
        return r.error();
    if (!r->exists() || !S_ISREG(r->st.st_mode))
        return std::nullopt;
    if (auto fd = engine::openAsInvoker(*r, who, flags); !fd)
        return fd.error();
    return std::nullopt;
}

} // namespace cli
