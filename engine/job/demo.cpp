#include "job/demo.h"

#include "io/disk.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <vector>

namespace engine {

namespace fs = std::filesystem;

std::string defaultDemoDir()
{
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return std::string(xdg) + "/drivemirror/demo";
    const char* home = std::getenv("HOME");
    return std::string(home && *home ? home : "/tmp") + "/.cache/drivemirror/demo";
}

Result<DemoImages> prepareDemoImages(const std::string& dir, std::uint64_t size)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        return Error{ec.value(), "create " + dir + ": " + ec.message()};
    DemoImages images{dir + "/demo.img", dir + "/demo-copy.img"};
    fs::remove(images.source, ec);
    fs::remove(images.target, ec);
    if (auto r = Disk::createSparseFile(images.source, size); !r)
        return r.error();

    const int fd = ::open(images.source.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return systemError(errno, "open " + images.source);
    // Extents of 1-8 MiB spread over the image, about a third of it in all,
    // filled with pseudo-random bytes that do not compress to zero runs.
    std::mt19937_64 rng(42);
    std::vector<std::uint64_t> chunk(1 << 17); // 1 MiB
    std::uint64_t pos = 0;
    while (pos < size) {
        const std::uint64_t gap = (rng() % 16) << 20;
        const std::uint64_t len = ((rng() % 8) + 1) << 20;
        pos += gap;
        for (std::uint64_t done = 0; done < len && pos < size; done += 1 << 20) {
            for (auto& w : chunk)
                w = rng();
            const auto n = static_cast<std::size_t>(std::min<std::uint64_t>(1 << 20, size - pos));
            if (::pwrite(fd, chunk.data(), n, static_cast<off_t>(pos)) != static_cast<ssize_t>(n)) {
                const int err = errno;
                ::close(fd);
                return systemError(err, "write " + images.source);
            }
            pos += n;
        }
    }
    ::fsync(fd);
    ::close(fd);
    return images;
}

DemoWriter::DemoWriter(std::string path, std::uint64_t bytesPerSecond, Notify notify, Logger log)
    : m_path(std::move(path)), m_rate(bytesPerSecond), m_notify(std::move(notify)),
      m_log(orNull(std::move(log)))
{
}

DemoWriter::~DemoWriter()
{
    stop();
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<void> DemoWriter::start()
{
    m_fd = ::open(m_path.c_str(), O_WRONLY | O_CLOEXEC);
    if (m_fd < 0)
        return systemError(errno, "open " + m_path);
    const off_t end = ::lseek(m_fd, 0, SEEK_END);
    if (end <= 0)
        return Error{EINVAL, m_path + ": empty"};
    m_size = static_cast<std::uint64_t>(end);
    m_thread = std::jthread([this](std::stop_token st) { run(st); });
    return {};
}

void DemoWriter::stop()
{
    if (m_thread.joinable()) {
        m_thread.request_stop();
        m_cv.notify_all();
        m_thread.join();
    }
}

void DemoWriter::pause()
{
    std::unique_lock lock(m_mutex);
    m_paused = true;
    m_cv.wait(lock, [this] { return !m_busy; });
}

void DemoWriter::resume()
{
    {
        std::lock_guard lock(m_mutex);
        m_paused = false;
    }
    m_cv.notify_all();
}

void DemoWriter::run(std::stop_token stop)
{
    std::mt19937_64 rng(7);
    std::vector<std::uint64_t> block(64 << 10 >> 3);
    const auto start = std::chrono::steady_clock::now();
    std::uint64_t budget = 0;
    // Writes cluster in a few hot regions, as a real workload does, so the
    // dirty map shows areas that keep coming back.
    const std::uint64_t hot[3] = {m_size / 7, m_size / 2, m_size * 5 / 6};
    while (!stop.stop_requested()) {
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, stop, [this] { return !m_paused; });
            if (stop.stop_requested())
                break;
            m_busy = true;
        }
        const std::uint64_t len = ((rng() % 16) + 1) * 4096;
        std::uint64_t off;
        if (rng() % 4 == 0)
            off = (rng() % (m_size / 4096)) * 4096;
        else
            off = (hot[rng() % 3] + (rng() % (32u << 20))) / 4096 * 4096;
        off = std::min(off, m_size - len);
        for (auto& w : block)
            w = rng();
        const ssize_t n = ::pwrite(m_fd, block.data(), len, static_cast<off_t>(off));
        if (n > 0) {
            // Notify only after the write returned: the mirror must never
            // clear a granule before the data it will read is there.
            m_notify(off, static_cast<std::uint64_t>(n));
            m_written += static_cast<std::uint64_t>(n);
        }
        {
            std::lock_guard lock(m_mutex);
            m_busy = false;
        }
        m_cv.notify_all();
        budget += len;
        const auto due = start + std::chrono::duration<double>(static_cast<double>(budget) /
                                                               static_cast<double>(m_rate));
        std::unique_lock lock(m_mutex);
        m_cv.wait_until(lock, stop,
                        std::chrono::time_point_cast<std::chrono::steady_clock::duration>(due),
                        [] { return false; });
    }
}

} // namespace engine
