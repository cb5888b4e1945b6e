// The built-in demo: a sparse source image with data extents, and a writer
// that keeps changing it while a mirror runs, so the whole life of a job
// (dirty granules coming and going, READY, Complete) can be watched without
// touching a real disk. Shared by `drivemirror-cli demo` and `drivemirror --demo`.
#pragma once

#include "base/logging.h"
#include "base/result.h"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace engine {

struct DemoImages
{
    std::string source;
    std::string target;
};

/// Creates (or re-creates) demo.img and demo-copy.img in @p dir: a sparse
/// source of @p size bytes with about a third of it written in scattered
/// extents, and no target (the mirror creates it).
Result<DemoImages> prepareDemoImages(const std::string& dir, std::uint64_t size);

/// The default demo directory: $XDG_CACHE_HOME/drivemirror/demo or
/// ~/.cache/drivemirror/demo.
std::string defaultDemoDir();

/// Writes random blocks into a file at a steady rate on its own thread and
/// reports every completed write to @p notify (the job's write notification).
/// pause() blocks until no write is in progress, which makes it a quiesce hook.
class DemoWriter
{
public:
    using Notify = std::function<void(std::uint64_t offset, std::uint64_t length)>;
    DemoWriter(std::string path, std::uint64_t bytesPerSecond, Notify notify, Logger log = {});
    ~DemoWriter();
    Result<void> start();
    void stop();
    void pause();
    void resume();
    std::uint64_t bytesWritten() const { return m_written.load(); }

private:
    void run(std::stop_token stop);

    std::string m_path;
    std::uint64_t m_rate;
    Notify m_notify;
    Logger m_log;
    int m_fd = -1;
    std::uint64_t m_size = 0;
    std::atomic<std::uint64_t> m_written{0};
    std::mutex m_mutex;
    std::condition_variable_any m_cv;
    bool m_paused = false; // guarded by m_mutex
    bool m_busy = false;   // guarded by m_mutex
    std::jthread m_thread;
};

} // namespace engine
