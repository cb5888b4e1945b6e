// RateLimiter: bytes per second in 100 ms slices (QEMU include/qemu/ratelimit.h).
// A pure value with the time passed in, so it is tested without sleeping.
// The first request of a slice always passes, so a request larger than one
// slice's quota still makes progress; its overshoot is carried into the
// following slices as a delay.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace engine {

class RateLimiter
{
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::nanoseconds kSlice = std::chrono::milliseconds(100);

    /// 0 = unlimited. Takes effect at once; the current slice is restarted.
    void setSpeed(std::uint64_t bytesPerSecond)
    {
        m_speed = bytesPerSecond;
        m_quota = bytesPerSecond / 10; // per 100 ms
        if (m_speed && m_quota == 0)
            m_quota = 1;
        m_sliceStart = {};
        m_dispatched = 0;
    }
    std::uint64_t speed() const { return m_speed; }

    /// Changes the speed without restarting the slice: what was dispatched
    /// stays counted. For a limit that moves every interval (a yielding
    /// mirror), where a restart would let one more request through each time.
    void retune(std::uint64_t bytesPerSecond)
    {
        if (bytesPerSecond == m_speed)
            return;
        if (m_speed == 0 || bytesPerSecond == 0) {
            setSpeed(bytesPerSecond);
            return;
        }
        m_speed = bytesPerSecond;
        m_quota = std::max<std::uint64_t>(1, bytesPerSecond / 10);
    }

    /// How long to wait before dispatching more, given that nothing may be
    /// dispatched while the returned delay is positive.
    std::chrono::nanoseconds delay(Clock::time_point now) const
    {
        if (m_quota == 0 || m_dispatched < m_quota)
            return std::chrono::nanoseconds::zero();
        // Each full quota beyond the first occupies one more slice.
        const auto slices = m_dispatched / m_quota;
        const auto end = m_sliceStart + kSlice * static_cast<std::int64_t>(slices);
        return end > now ? end - now : std::chrono::nanoseconds::zero();
    }

    /// Accounts @p bytes dispatched at @p now.
    void account(std::uint64_t bytes, Clock::time_point now)
    {
        if (m_quota == 0)
            return;
        if (m_sliceStart == Clock::time_point{} || now >= m_sliceStart + kSlice) {
            // Carry what the previous slices over-committed into this one.
            if (m_sliceStart != Clock::time_point{}) {
                const auto elapsedSlices =
                    static_cast<std::uint64_t>((now - m_sliceStart) / kSlice);
                const std::uint64_t allowance = elapsedSlices * m_quota;
                m_dispatched = m_dispatched > allowance ? m_dispatched - allowance : 0;
                m_sliceStart += kSlice * static_cast<std::int64_t>(elapsedSlices);
            } else {
                m_sliceStart = now;
                m_dispatched = 0;
            }
        }
        m_dispatched += bytes;
    }

private:
    std::uint64_t m_speed = 0;
    std::uint64_t m_quota = 0;
    std::uint64_t m_dispatched = 0;
    Clock::time_point m_sliceStart{};
};

} // namespace engine
