#include "job/forecast.h"

#include <limits>

namespace engine {

Forecast::Forecast(std::uint64_t granularity) : m_granularity(granularity)
{
}

void Forecast::Window::add(double bytes, double seconds)
{
    m_entries.push_back({bytes, seconds});
    m_bytes += bytes;
    m_seconds += seconds;
    const double window = std::chrono::duration<double>(kWindow).count();
    while (m_entries.size() > 1 && m_seconds - m_entries.front().seconds >= window) {
        m_bytes -= m_entries.front().bytes;
        m_seconds -= m_entries.front().seconds;
        m_entries.pop_front();
    }
}

std::vector<Forecast::Remedy> Forecast::remedies(const ForecastSample& sample) const
{
    std::vector<Remedy> out;
    if (sample.speedLimit > 0 && m_copyRate >= kAtLimit * static_cast<double>(sample.speedLimit))
        out.push_back(Remedy::RaiseSpeedLimit);
    if (sample.yielding)
        out.push_back(Remedy::TurnYieldOff);
    if (m_anyWritten && m_writtenRate > 0 && m_granularity > kFinestUsefulGranularity &&
        m_dirtyRate >= kAmplificationWorthFiner * m_writtenRate)
        out.push_back(Remedy::FinerGranularity);
    out.push_back(Remedy::AcceptLongerFreeze);
    return out;
}

void Forecast::update(const ForecastSample& sample)
{
    Estimate e;
    e.copyRate = m_copyRate;
    e.dirtyRate = m_dirtyRate;
    if (m_observedSeconds >= std::chrono::duration<double>(kGoodConfidenceFrom).count())
        e.confidence = Confidence::Good;
    else if (m_observedSeconds >= std::chrono::duration<double>(kLowConfidenceUntil).count())
        e.confidence = Confidence::Low;
    if (e.confidence == Confidence::None) {
        m_estimate = e;
        return;
    }

    const double remaining = static_cast<double>(sample.remainingBytes);
    const double ratio = m_copyRate > 0
                             ? m_dirtyRate / m_copyRate
                             : (m_dirtyRate > 0 ? std::numeric_limits<double>::infinity() : 0.0);
    if (m_converges && ratio >= kStopRatio)
        m_converges = false;
    else if (!m_converges && ratio <= kResumeRatio)
        m_converges = true;
    e.converges = m_converges;

    if (!m_converges) {
        if (m_copyRate > 0)
            e.freezeIfCompletedNow = remaining / m_copyRate;
        e.remedies = remedies(sample);
    } else if (sample.remainingBytes == 0) {
        e.secondsToReady = 0.0;
    } else if (m_copyRate > m_dirtyRate) {
        e.secondsToReady = remaining / (m_copyRate - m_dirtyRate);
    }
    if (m_converges && m_copyRate > 0 && ratio < 1.0) {
        const double round = std::chrono::duration<double>(kRoundTime).count();
        const double residue = m_dirtyRate * round / (1.0 - ratio);
        e.freezeSeconds = residue / m_copyRate;
    }
    m_estimate = e;
}

const Forecast::Estimate& Forecast::addSample(const ForecastSample& sample)
{
    if (!m_last || sample.time <= *m_last) {
        m_last = sample.time;
        update(sample);
        return m_estimate;
    }
    const double seconds = std::chrono::duration<double>(sample.time - *m_last).count();
    m_last = sample.time;
    const double dirtyBytes =
        static_cast<double>(sample.newlyDirtyGranules) * static_cast<double>(m_granularity);
    m_copy.add(static_cast<double>(sample.copiedBytes), seconds);
    m_dirty.add(dirtyBytes, seconds);
    if (sample.writtenBytes > 0)
        m_anyWritten = true;
    m_written.add(static_cast<double>(sample.writtenBytes), seconds);
    m_copyRate = m_copy.rate();
    m_dirtyRate = m_dirty.rate();
    m_writtenRate = m_written.rate();
    m_observedSeconds += seconds;
    update(sample);
    return m_estimate;
}

} // namespace engine
