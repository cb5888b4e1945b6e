#include "io/ring.h"

#include <cerrno>

namespace engine {

Result<Ring> Ring::create(unsigned entries, Logger log)
{
    Ring ring;
    ring.m_log = orNull(std::move(log));
    // SINGLE_ISSUER and DEFER_TASKRUN let the kernel run completion work in
    // our own thread when we wait, instead of interrupting it; they need
    // kernel 6.1. Older kernels answer EINVAL, and plain flags still work.
    const unsigned preferred = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    int rc = io_uring_queue_init(entries, &ring.m_ring, preferred);
    if (rc == -EINVAL) {
        ring.m_log->debug("io_uring: DEFER_TASKRUN unsupported here, using default flags");
        rc = io_uring_queue_init(entries, &ring.m_ring, 0);
    }
    if (rc < 0) {
        const int err = -rc;
        Error e = systemError(err, "io_uring setup");
        if (err == ENOSYS || err == EPERM)
            e.message += " (io_uring is missing or disabled on this system; check the "
                         "kernel.io_uring_disabled sysctl)";
        return e;
    }
    ring.m_valid = true;
    return ring;
}

Ring::Ring(Ring&& other) noexcept
    : m_ring(other.m_ring), m_valid(std::exchange(other.m_valid, false)),
      m_log(std::move(other.m_log))
{
}

Ring::~Ring()
{
    if (m_valid)
        io_uring_queue_exit(&m_ring);
}

bool Ring::prepareRead(int fd, void* buf, std::uint32_t length, std::uint64_t offset,
                       std::uint64_t tag, std::uint16_t ioprio)
{
    io_uring_sqe* sqe = io_uring_get_sqe(&m_ring);
    if (!sqe)
        return false;
    io_uring_prep_read(sqe, fd, buf, length, offset);
    sqe->ioprio = ioprio;
    io_uring_sqe_set_data64(sqe, tag);
    return true;
}

bool Ring::prepareWrite(int fd, const void* buf, std::uint32_t length, std::uint64_t offset,
                        std::uint64_t tag, std::uint16_t ioprio)
{
    io_uring_sqe* sqe = io_uring_get_sqe(&m_ring);
    if (!sqe)
        return false;
    io_uring_prep_write(sqe, fd, buf, length, offset);
    sqe->ioprio = ioprio;
    io_uring_sqe_set_data64(sqe, tag);
    return true;
}

bool Ring::prepareFallocate(int fd, int mode, std::uint64_t offset, std::uint64_t length,
                            std::uint64_t tag)
{
    io_uring_sqe* sqe = io_uring_get_sqe(&m_ring);
    if (!sqe)
        return false;
    io_uring_prep_fallocate(sqe, fd, mode, static_cast<off_t>(offset), static_cast<off_t>(length));
    io_uring_sqe_set_data64(sqe, tag);
    return true;
}

bool Ring::prepareDataSync(int fd, std::uint64_t tag)
{
    io_uring_sqe* sqe = io_uring_get_sqe(&m_ring);
    if (!sqe)
        return false;
    io_uring_prep_fsync(sqe, fd, IORING_FSYNC_DATASYNC);
    io_uring_sqe_set_data64(sqe, tag);
    return true;
}

bool Ring::preparePoll(int fd, unsigned events, std::uint64_t tag)
{
    io_uring_sqe* sqe = io_uring_get_sqe(&m_ring);
    if (!sqe)
        return false;
    io_uring_prep_poll_add(sqe, fd, events);
    io_uring_sqe_set_data64(sqe, tag);
    return true;
}

bool Ring::prepareCancel(std::uint64_t target, std::uint64_t tag)
{
    io_uring_sqe* sqe = io_uring_get_sqe(&m_ring);
    if (!sqe)
        return false;
    io_uring_prep_cancel64(sqe, target, 0);
    io_uring_sqe_set_data64(sqe, tag);
    return true;
}

Result<unsigned> Ring::submit()
{
    const int rc = io_uring_submit(&m_ring);
    if (rc >= 0)
        return static_cast<unsigned>(rc);
    if (rc == -EINTR || rc == -EAGAIN || rc == -EBUSY)
        return 0u;
    return systemError(-rc, "io_uring submit");
}

Result<void> Ring::submitAndWait(std::optional<std::chrono::nanoseconds> timeout)
{
    io_uring_cqe* cqe = nullptr;
    int rc = 0;
    if (timeout) {
        const auto ns = std::max<std::int64_t>(0, timeout->count());
        __kernel_timespec ts{};
        ts.tv_sec = ns / 1'000'000'000;
        ts.tv_nsec = ns % 1'000'000'000;
        rc = io_uring_submit_and_wait_timeout(&m_ring, &cqe, 1, &ts, nullptr);
    } else {
        rc = io_uring_submit_and_wait(&m_ring, 1);
    }
    if (rc >= 0 || rc == -ETIME || rc == -EINTR || rc == -EAGAIN || rc == -EBUSY)
        return {};
    return systemError(-rc, "io_uring wait");
}

} // namespace engine
