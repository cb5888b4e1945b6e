// AlignedBuffer: memory for direct I/O (O_DIRECT needs buffers aligned to
// the logical block; 4 KiB covers every device here).
//
// A buffer handed to io_uring belongs to the kernel until its completion is
// reaped. An owner that cannot wait for that (the ring broke) calls leak():
// a few MiB lost is better than the kernel writing into freed memory.
#pragma once

#include "base/result.h"

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>

namespace engine {

class AlignedBuffer
{
public:
    static constexpr std::size_t kAlignment = 4096;

    AlignedBuffer() = default;
    static Result<AlignedBuffer> allocate(std::size_t size, const std::string& what)
    {
        void* raw = nullptr;
        if (size == 0 || ::posix_memalign(&raw, kAlignment, size) != 0)
            return Error{ENOMEM, "cannot allocate " + std::to_string(size) + " bytes for " + what};
        AlignedBuffer b;
        b.m_data = static_cast<std::uint8_t*>(raw);
        b.m_size = size;
        return b;
    }

    AlignedBuffer(AlignedBuffer&& o) noexcept
        : m_data(std::exchange(o.m_data, nullptr)), m_size(std::exchange(o.m_size, 0))
    {
    }
    AlignedBuffer& operator=(AlignedBuffer&& o) noexcept
    {
        if (this != &o) {
            std::free(m_data);
            m_data = std::exchange(o.m_data, nullptr);
            m_size = std::exchange(o.m_size, 0);
        }
        return *this;
    }
    AlignedBuffer(const AlignedBuffer&) = delete;
    AlignedBuffer& operator=(const AlignedBuffer&) = delete;
    ~AlignedBuffer() { std::free(m_data); }

    std::uint8_t* data() const { return m_data; }
    std::size_t size() const { return m_size; }
    /// Gives the memory up without freeing it (see the file comment).
    void leak()
    {
        m_data = nullptr;
        m_size = 0;
    }

private:
    std::uint8_t* m_data = nullptr;
    std::size_t m_size = 0;
};

} // namespace engine
