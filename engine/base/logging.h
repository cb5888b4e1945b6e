// Loggers for engine objects. The engine never uses spdlog's global registry
// or default logger: every object that logs receives its logger, and falls
// back to a logger that discards everything when the application set none.
#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace engine {

using Logger = std::shared_ptr<spdlog::logger>;

/// A shared logger with a null sink; never nullptr.
Logger nullLogger();
/// @p log itself, or nullLogger() when it is empty.
Logger orNull(Logger log);
/// A logger named @p name that writes to the same sinks as @p parent, at the
/// same level ("engine.mirror" below "engine").
Logger childLogger(const Logger& parent, const std::string& name);

} // namespace engine
