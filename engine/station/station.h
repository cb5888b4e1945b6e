// The imaging station: while armed, every drive that appears in a
// configured slot is cloned from the golden source, verified, recorded in
// the audit log and ejected; several slots at once, each on its own job.
//
// The station is driven by one thread, its owner's: device events come in
// through handle() (from a DeviceMonitor, or a test), the runs' ends are
// collected by service() when wakeFd() turns readable, and every listener
// call is made on that thread. A drive is taken only when it appears while
// the station is armed (added, or its medium inserted: its size went from 0
// to more); what was there before is never touched, whatever it is.
#pragma once

#include "base/logging.h"
#include "device/device_catalog.h"
#include "station/audit_log.h"
#include "station/slot_run.h"
#include "station/source_image.h"
#include "station/station_config.h"

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace engine {

/// Why the station refused a drive before its job setup (whose refusals
/// carry the engine's Rule): the word after "refused: " in the record.
namespace station_rule {
inline constexpr std::string_view kAmbiguousSlot = "ambiguous slot";
inline constexpr std::string_view kSlotBusy = "slot busy";
inline constexpr std::string_view kFixedDrive = "fixed drive";
inline constexpr std::string_view kTooLarge = "larger than max-size";
} // namespace station_rule

/// Why a drive was left alone without a record.
namespace ignore_reason {
inline constexpr std::string_view kNoSlot = "in no slot";
inline constexpr std::string_view kPresentBeforeArming = "present before arming";
inline constexpr std::string_view kNotArmed = "station not armed";
} // namespace ignore_reason

class Station;

class StationListener
{
public:
    virtual ~StationListener() = default;
    /// The station took its source and slots; the drives present that sit
    /// in a slot are reported (deviceIgnored) right after.
    virtual void armed(const Station& station) = 0;
    /// A drive the station does not touch and keeps no record of; @p slot
    /// is the slot it sits in, if any.
    virtual void deviceIgnored(const DeviceInfo& device, std::string_view reason,
                               const std::string& slot) = 0;
    /// The drive passed every rule and its copy starts.
    virtual void slotStarted(const std::string& slot, const DeviceInfo& device) = 0;
    /// A drive's end (written, refused or failed), with its record, which
    /// is on disk already unless stationFailed() follows.
    virtual void slotFinished(const AuditRecord& record) = 0;
    /// The audit log could not be written: the station disarmed itself and
    /// cancels what runs.
    virtual void stationFailed(const Error& error) = 0;
};

class Station
{
public:
    /// @p who: whom the jobs act for (JobSetup::invoker).
    Station(StationConfig config, StationSource source, AuditLog log, StationListener& listener,
            Logger logger = {}, Invoker who = processInvoker());
    /// Cancels the runs and waits for them.
    ~Station();
    Station(const Station&) = delete;
    Station& operator=(const Station&) = delete;

    /// From now on drives that appear are taken. @p present: the machine's
    /// devices now (enumerateDevices()); each is left alone until it has
    /// gone and come back.
    void arm(const std::vector<DeviceInfo>& present);
    /// No more drives are taken; with @p cancelRunning the runs are
    /// cancelled too (their records say so), otherwise they finish.
    void disarm(bool cancelRunning);
    bool armed() const { return m_armed; }
    /// The audit log could not be written (stationFailed was called).
    bool failed() const { return m_failed; }

    void handle(const DeviceEvent& event);
    /// Reports the runs that started or ended since the last call.
    void service();
    /// Readable when service() has something to do.
    int wakeFd() const { return m_wakeFd; }

    /// The slots being written now, with how far they are.
    std::vector<SlotProgress> progress();
    /// No run under way.
    bool idle() const { return m_runs.empty(); }
    std::size_t finishedCount() const { return m_finished; }
    std::size_t passedCount() const { return m_passed; }
    const StationConfig& config() const { return m_config; }
    const StationSource& source() const { return m_source; }

private:
    void appeared(const DeviceInfo& device);
    void removed(const std::string& name);
    void refuse(const std::string& slot, const DeviceInfo& device, std::string_view rule,
                const std::string& detail);
    void record(AuditRecord r);
    RunContext context();
    std::vector<const SlotConfig*> slotsOf(const DeviceInfo& device) const;

    struct Run
    {
        std::unique_ptr<SlotRun> run;
        bool startReported = false;
    };

    const StationConfig m_config;
    const StationSource m_source;
    AuditLog m_log;
    StationListener& m_listener;
    Logger m_logger;
    const Invoker m_who;
    int m_wakeFd = -1;
    std::mutex m_setupLock;
    bool m_armed = false;
    bool m_failed = false;
    /// Devices with a medium, by kernel name, with their disk's name for a
    /// partition (empty for a disk).
    std::map<std::string, std::string> m_present;
    std::size_t m_finished = 0;
    std::size_t m_passed = 0;
    std::vector<Run> m_runs; ///< last: destroyed (cancelled, joined) first
};

} // namespace engine
