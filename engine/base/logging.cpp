#include "base/logging.h"

#include <spdlog/sinks/null_sink.h>

namespace engine {

Logger nullLogger()
{
    static const Logger log =
        std::make_shared<spdlog::logger>("null", std::make_shared<spdlog::sinks::null_sink_mt>());
    return log;
}

Logger orNull(Logger log)
{
    return log ? std::move(log) : nullLogger();
}

Logger childLogger(const Logger& parent, const std::string& name)
{
    if (!parent)
        return nullLogger();
    auto child =
        std::make_shared<spdlog::logger>(name, parent->sinks().begin(), parent->sinks().end());
    child->set_level(parent->level());
    return child;
}

} // namespace engine
