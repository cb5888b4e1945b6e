// One drive's way through the station, on a thread of its own so that the
// slots run at once: the job setup with every rule of a normal job (bound to
// the drive seen in the event), the copy, Complete at READY, the
// verification, the after action; its end is an audit record.
#pragma once

#include "base/logging.h"
#include "device/device_catalog.h"
#include "station/audit_log.h"
#include "station/source_image.h"
#include "station/station_config.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace engine {

class MirrorJob;
struct JobResult;
struct PreparedJob;

/// What a slot's copy has done so far.
struct SlotProgress
{
    std::string slot;
    std::string device;
    bool verifying = false; ///< reading the copy back (done and total count that)
    std::uint64_t done = 0;
    std::uint64_t total = 0;
    double rate = 0; ///< bytes/s since the previous look
};

/// What every run of a station shares.
struct RunContext
{
    const StationConfig* config = nullptr;
    const StationSource* source = nullptr;
    /// The job setups one at a time: each scans the machine's storage, and
    /// two drives plugged in together need not do it at once.
    std::mutex* setupLock = nullptr;
    std::function<void()> wake; ///< the run started writing or ended
    Logger log;
    Invoker invoker; ///< who the jobs act for (JobSetup::invoker)
};

/// The record of @p device in @p slot without a result: the fields that
/// describe the drive, the station and the image.
AuditRecord recordFor(const RunContext& context, const std::string& slot, const DeviceInfo& device);

class SlotRun
{
public:
    /// Starts the run's thread.
    SlotRun(std::string slot, DeviceInfo device, RunContext context);
    /// Cancels and waits for the thread.
    ~SlotRun();
    SlotRun(const SlotRun&) = delete;
    SlotRun& operator=(const SlotRun&) = delete;

    const std::string& slot() const { return m_slot; }
    const DeviceInfo& device() const { return m_device; }
    /// The job passed every rule and writes the drive.
    bool writing() const { return m_writing.load(); }
    /// The job ended (the after action may still run).
    bool copyEnded() const { return m_copyEnded.load(); }
    bool done() const { return m_done.load(); }
    /// Stops the copy (quickly: the drive will not be used); @p why goes
    /// into the record.
    void cancel(const std::string& why);
    /// While the job runs.
    std::optional<SlotProgress> progress(std::chrono::steady_clock::time_point now);
    /// Once done(): the record, without its time.
    AuditRecord takeRecord();

private:
    void work();
    void copy(PreparedJob& prepared);
    bool awaitEnd(MirrorJob& job);
    /// @p result null: the run was cancelled before the job ended.
    void conclude(const JobResult* result, std::uint64_t bytesDone);
    void refuse(const Error& error);

    const std::string m_slot;
    const DeviceInfo m_device;
    const RunContext m_context;
    AuditRecord m_record;
    std::chrono::steady_clock::time_point m_began;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    MirrorJob* m_job = nullptr; ///< while it runs
    bool m_ready = false;
    bool m_jobFinished = false;
    std::string m_cancelled; ///< why, once cancelled
    // The previous look, for the rate.
    bool m_lastVerifying = false;
    std::uint64_t m_lastDone = 0;
    std::chrono::steady_clock::time_point m_lastAt;

    std::atomic<bool> m_writing{false};
    std::atomic<bool> m_copyEnded{false};
    std::atomic<bool> m_done{false};
    std::thread m_thread; ///< last: starts when everything above is ready
};

} // namespace engine
