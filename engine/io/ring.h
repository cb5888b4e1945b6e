// Ring: one io_uring instance, owned and used by exactly one thread.
//
// The mirror job talks to it in four verbs, as fio's engines do: stage
// (prepare* puts one request into the submission queue, no system call;
// false means the queue is full and the caller must submit or reap first),
// submit (one io_uring_enter for the whole batch), wait (block until at least
// one completion or a deadline), and reap (hand every ready completion to a
// callback, then release them all at once). The ring knows nothing about
// mirroring: a request is identified only by the 64-bit tag the caller gave.
#pragma once

#include "base/logging.h"
#include "base/result.h"

#include <liburing.h>

#include <chrono>
#include <cstdint>
#include <optional>

namespace engine {

class Ring
{
public:
    /// Creates a ring with room for @p entries requests. Tries the flags that
    /// suit a single-thread owner and falls back to plain flags on kernels
    /// that refuse them. Must be called on the thread that will use the ring.
    static Result<Ring> create(unsigned entries, Logger log = {});

    Ring(Ring&& other) noexcept;
    Ring& operator=(Ring&&) = delete;
    Ring(const Ring&) = delete;
    Ring& operator=(const Ring&) = delete;
    ~Ring();

    /// @p ioprio: the request's I/O priority (IOPRIO_PRIO_VALUE), 0 = the
    /// thread's own, so that a background copy can give way per request
    /// without changing the priority of anything else the thread does.
    bool prepareRead(int fd, void* buf, std::uint32_t length, std::uint64_t offset,
                     std::uint64_t tag, std::uint16_t ioprio = 0);
    bool prepareWrite(int fd, const void* buf, std::uint32_t length, std::uint64_t offset,
                      std::uint64_t tag, std::uint16_t ioprio = 0);
    /// fallocate(fd, mode, offset, length) as an asynchronous request.
    bool prepareFallocate(int fd, int mode, std::uint64_t offset, std::uint64_t length,
                          std::uint64_t tag);
    /// fdatasync(fd) as an asynchronous request.
    bool prepareDataSync(int fd, std::uint64_t tag);
    /// Completes once @p fd is ready for @p events (POLLIN, POLLOUT): how a
    /// socket another library reads and writes (an NBD connection) wakes the
    /// same wait as the disks.
    bool preparePoll(int fd, unsigned events, std::uint64_t tag);
    /// Asks the kernel to cancel the request tagged @p target; its own
    /// completion carries @p tag. The cancelled request still completes
    /// (with -ECANCELED) and must be reaped before its buffer is freed.
    bool prepareCancel(std::uint64_t target, std::uint64_t tag);

    /// Submits everything staged; returns the number of requests the kernel
    /// took. -EINTR/-EAGAIN/-EBUSY are retried by the caller's next turn.
    Result<unsigned> submit();
    /// Submits what is staged and waits until a completion is ready or
    /// @p timeout passes (nullopt: wait without limit). A timeout or a signal
    /// is not an error.
    Result<void> submitAndWait(std::optional<std::chrono::nanoseconds> timeout);

    /// Calls @p onCompletion(tag, res) for every completion that is ready,
    /// where res is the byte count or a negative errno, then releases them.
    /// Returns how many there were.
    template <class F>
    unsigned reap(F&& onCompletion)
    {
        unsigned head = 0;
        unsigned count = 0;
        io_uring_cqe* cqe = nullptr;
        io_uring_for_each_cqe(&m_ring, head, cqe)
        {
            onCompletion(io_uring_cqe_get_data64(cqe), cqe->res);
            ++count;
        }
        io_uring_cq_advance(&m_ring, count);
        return count;
    }

private:
    Ring() = default;

    io_uring m_ring{};
    bool m_valid = false;
    Logger m_log;
};

} // namespace engine
