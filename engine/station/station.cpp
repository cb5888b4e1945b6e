#include "station/station.h"

#include "base/units.h"
#include "protocol/station_protocol.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>

namespace engine {

Station::Station(StationConfig config, StationSource source, AuditLog log,
                 StationListener& listener, Logger logger, Invoker who)
    : m_config(std::move(config)), m_source(std::move(source)), m_log(std::move(log)),
      m_listener(listener), m_logger(orNull(std::move(logger))), m_who(std::move(who)),
      m_wakeFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK))
{
}

Station::~Station()
{
    disarm(true);
    m_runs.clear();
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
}

void Station::arm(const std::vector<DeviceInfo>& present)
{
    if (m_failed)
        return;
    std::vector<const DeviceInfo*> inSlots;
    for (const DeviceInfo& d : present)
        if (m_present.emplace(d.name, d.isPartition ? d.parent : "").second && !d.isPartition &&
            !slotsOf(d).empty())
            inSlots.push_back(&d);
    m_armed = true;
    m_listener.armed(*this);
    // Said once, so that an operator who plugged a drive in too early
    // knows to plug it in again.
    for (const DeviceInfo* d : inSlots)
        m_listener.deviceIgnored(*d, ignore_reason::kPresentBeforeArming,
                                 slotsOf(*d).front()->label);
    m_logger->info("station {} armed: {} slots, source {} (sha256 {})", m_config.station,
                   m_config.slotList.size(), m_source.path, m_source.sha256);
}

void Station::disarm(bool cancelRunning)
{
    m_armed = false;
    if (cancelRunning)
        for (auto& r : m_runs)
            r.run->cancel("the station was stopped");
}

void Station::handle(const DeviceEvent& event)
{
    const DeviceInfo& d = event.info;
    // An empty reader or a loop device without its file has no medium.
    if (event.kind == DeviceEventKind::Removed || d.size == 0) {
        removed(d.name);
        return;
    }
    // Only a medium that was not there before makes a drive appear: a
    // change event of a drive already known (udev's after every write, a
    // resize) is no new drive.
    const bool appearedNow = m_present.emplace(d.name, d.isPartition ? d.parent : "").second;
    if (appearedNow && !d.isPartition)
        appeared(d);
}

void Station::removed(const std::string& name)
{
    std::erase_if(m_present,
                  [&](const auto& entry) { return entry.first == name || entry.second == name; });
    for (auto& r : m_runs)
        if (r.run->device().name == name && !r.run->copyEnded())
            r.run->cancel("the drive was removed during the copy");
}

void Station::appeared(const DeviceInfo& device)
{
    const auto matched = slotsOf(device);
    if (matched.empty()) {
        m_listener.deviceIgnored(device, ignore_reason::kNoSlot, {});
        return;
    }
    if (!m_armed) {
        m_listener.deviceIgnored(device, ignore_reason::kNotArmed, matched.front()->label);
        return;
    }
    const std::string& slot = matched.front()->label;
    if (matched.size() > 1) {
        std::string labels;
        for (const SlotConfig* s : matched)
            labels += (labels.empty() ? "" : ", ") + s->label;
        refuse(labels, device, station_rule::kAmbiguousSlot,
               device.devnode + " matches the slots " + labels + "; fix the configuration");
        return;
    }
    for (const auto& r : m_runs)
        if (r.run->slot() == slot) {
            refuse(slot, device, station_rule::kSlotBusy,
                   "slot " + slot + " is still writing " + r.run->device().devnode);
            return;
        }
    if (!device.removable && !m_config.allowFixed) {
        refuse(slot, device, station_rule::kFixedDrive,
               device.devnode + " is not a removable drive, and allow-fixed is off");
        return;
    }
    if (m_config.maxSize && device.size > m_config.maxSize) {
        refuse(slot, device, station_rule::kTooLarge,
               device.devnode + " (" + formatBytes(device.size) + ") is larger than max-size " +
                   formatBytes(m_config.maxSize));
        return;
    }
    m_logger->info("slot {}: {} ({} {}, {}) appeared", slot, device.devnode, device.vendor,
                   device.model, formatBytes(device.size));
    m_runs.push_back({std::make_unique<SlotRun>(slot, device, context()), false});
}

void Station::refuse(const std::string& slot, const DeviceInfo& device, std::string_view rule,
                     const std::string& detail)
{
    RunContext c = context();
    AuditRecord r = recordFor(c, slot, device);
    r.result = std::string(protocol::station::kRefusedPrefix) + std::string(rule);
    r.detail = detail;
    m_logger->warn("slot {}: {}", slot, detail);
    record(std::move(r));
}

void Station::service()
{
    std::uint64_t count = 0;
    [[maybe_unused]] const ssize_t n = ::read(m_wakeFd, &count, sizeof count);
    for (auto& r : m_runs)
        if (!r.startReported && r.run->writing()) {
            r.startReported = true;
            m_listener.slotStarted(r.run->slot(), r.run->device());
        }
    for (auto it = m_runs.begin(); it != m_runs.end();) {
        if (!it->run->done()) {
            ++it;
            continue;
        }
        AuditRecord r = it->run->takeRecord();
        it = m_runs.erase(it);
        record(std::move(r));
    }
}

void Station::record(AuditRecord r)
{
    r.time = isoTimeNow();
    ++m_finished;
    if (r.passed())
        ++m_passed;
    const auto written = m_failed ? Result<void>() : m_log.append(r);
    m_listener.slotFinished(r);
    if (!written) {
        // A station that cannot account for what it wrote must not go on.
        m_failed = true;
        disarm(true);
        m_listener.stationFailed(written.error());
    }
}

std::vector<SlotProgress> Station::progress()
{
    std::vector<SlotProgress> out;
    const auto now = std::chrono::steady_clock::now();
    for (auto& r : m_runs)
        if (r.startReported)
            if (auto p = r.run->progress(now))
                out.push_back(std::move(*p));
    return out;
}

RunContext Station::context()
{
    const int fd = m_wakeFd;
    return RunContext{&m_config,
                      &m_source,
                      &m_setupLock,
                      [fd] {
                          const std::uint64_t one = 1;
                          [[maybe_unused]] const ssize_t n = ::write(fd, &one, sizeof one);
                      },
                      m_logger,
                      m_who};
}

std::vector<const SlotConfig*> Station::slotsOf(const DeviceInfo& device) const
{
    std::vector<const SlotConfig*> out;
    for (const SlotConfig& s : m_config.slotList)
        if (slotMatches(s, device.properties))
            out.push_back(&s);
    return out;
}

} // namespace engine
