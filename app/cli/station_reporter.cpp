#include "station_reporter.h"

#include "json_output.h"
#include "text.h"

#include "format.h"
#include "protocol/station_protocol.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <utility>
#include <variant>

namespace cli {

namespace {

using Clock = std::chrono::steady_clock;
namespace ev = protocol::station::event;
namespace key = protocol::station::key;

constexpr std::string_view kRefused = protocol::station::kRefusedPrefix;

double fraction(std::uint64_t done, std::uint64_t total)
{
    return total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
}

JsonObject deviceData(const engine::DeviceInfo& d)
{
    JsonObject o;
    o.add(key::kDevice, d.devnode)
        .add(key::kId, d.stableId())
        .add(key::kVendor, d.vendor)
        .add(key::kModel, d.model)
        .add(key::kSerial, d.serial);
    return o;
}

std::string slotsJson(const std::vector<engine::SlotConfig>& list)
{
    std::string out = "[";
    for (std::size_t i = 0; i < list.size(); ++i) {
        JsonObject match;
        for (const auto& [property, glob] : list[i].match)
            match.add(property, glob);
        out += (i ? ", " : "") +
               JsonObject().add(key::kLabel, list[i].label).addRaw(key::kMatch, match.str()).str();
    }
    return out + "]";
}

class JsonStationReporter final : public StationReporter
{
public:
    explicit JsonStationReporter(LineSink sink) : m_sink(std::move(sink)) {}

    void hashing(const std::string& source, std::uint64_t done, std::uint64_t total) override
    {
        const auto now = Clock::now();
        if (done < total && now - m_lastHashing < std::chrono::seconds(1))
            return;
        m_lastHashing = now;
        event(ev::kHashing,
              JsonObject().add(key::kSource, source).add(key::kDone, done).add(key::kTotal, total));
    }

    void armed(const engine::Station& station) override
    {
        const auto& c = station.config();
        const auto& s = station.source();
        event(ev::kArmed, JsonObject()
                              .add(key::kStation, c.station)
                              .add(key::kSource, s.path)
                              .add(key::kSize, s.size)
                              .add(key::kSha256, s.sha256)
                              .addRaw(key::kSlots, slotsJson(c.slotList))
                              .add(key::kVerify, c.verify)
                              .add(key::kWipeRest, c.wipeRest)
                              .add(key::kAfter, engine::toString(c.after))
                              .add(key::kAllowFixed, c.allowFixed)
                              .add(key::kMaxSize, c.maxSize)
                              .add(key::kLog, c.log)
                              .add(key::kJsonl, engine::jsonLinesPath(c.log)));
    }

    void deviceIgnored(const engine::DeviceInfo& d, std::string_view reason,
                       const std::string& slot) override
    {
        event(ev::kIgnored, deviceData(d)
                                .add(key::kReason, reason)
                                .add(key::kSlot, slot)
                                .add(key::kCapacity, d.size));
    }

    void slotStarted(const std::string& slot, const engine::DeviceInfo& d) override
    {
        event(
            ev::kStarted,
            deviceData(d).add(key::kSlot, slot).add(key::kWwn, d.wwn).add(key::kCapacity, d.size));
    }

    void progress(const std::vector<engine::SlotProgress>& running) override
    {
        namespace phase = protocol::station::phase;
        for (const auto& p : running)
            event(ev::kProgress, JsonObject()
                                     .add(key::kSlot, p.slot)
                                     .add(key::kDevice, p.device)
                                     .add(key::kPhase, p.verifying ? phase::kVerify : phase::kCopy)
                                     .add(key::kDone, p.done)
                                     .add(key::kTotal, p.total)
                                     .add(key::kRate, p.rate));
    }

    void slotFinished(const engine::AuditRecord& r) override
    {
        JsonObject o;
        for (const auto& f : engine::auditFields(r)) {
            if (const auto* s = std::get_if<std::string>(&f.value))
                o.add(f.name, *s);
            else if (const auto* n = std::get_if<std::uint64_t>(&f.value))
                o.add(f.name, *n);
            else
                o.add(f.name, std::get<double>(f.value));
        }
        event(ev::kFinished, o.add(key::kPassed, r.passed()));
    }

    void stationFailed(const engine::Error& error) override { m_sink(errorLine(error)); }

    void disarmed(const std::string& reason, std::size_t finished, std::size_t passed) override
    {
        event(ev::kDisarmed, JsonObject()
                                 .add(key::kReason, reason)
                                 .add(key::kFinished, static_cast<std::uint64_t>(finished))
                                 .add(key::kPassed, static_cast<std::uint64_t>(passed)));
    }

private:
    void event(std::string_view name, const JsonObject& data) { m_sink(eventLine(name, data)); }

    LineSink m_sink;
    Clock::time_point m_lastHashing{};
};

// Lines for the operator on stdout; on a terminal, a live line below them
// with every slot's progress.
class TextStationReporter final : public StationReporter
{
public:
    explicit TextStationReporter(const engine::Logger& log) : m_log(log), m_tty(::isatty(1)) {}

    void hashing(const std::string& source, std::uint64_t done, std::uint64_t total) override
    {
        if (!m_hashingSaid) {
            m_hashingSaid = true;
            line(fill(Cli::tr("Computing the SHA-256 of %1 (%2)..."), {source, sizeText(total)}));
        }
        if (m_tty)
            live(fill(Cli::tr("hashing: %1"),
                      {ui::Format::percent(fraction(done, total)).toStdString()}));
    }

    void armed(const engine::Station& station) override
    {
        const auto& c = station.config();
        const auto& s = station.source();
        std::string labels;
        for (const auto& slot : c.slotList)
            labels += (labels.empty() ? "" : ", ") + slot.label;
        line(fill(Cli::tr("Station %1 armed: %2 (%3, SHA-256 %4) to slots %5. Drives "
                          "plugged in from now on are written; Ctrl+C stops."),
                  {c.station, s.path, sizeText(s.size), s.sha256, labels}));
    }

    void deviceIgnored(const engine::DeviceInfo& d, std::string_view reason,
                       const std::string& slot) override
    {
        std::string why;
        if (reason == engine::ignore_reason::kNoSlot)
            why = fill(Cli::tr("it is in no slot"));
        else if (reason == engine::ignore_reason::kPresentBeforeArming)
            why = fill(Cli::tr("it was there before the station was armed; plug it in again "
                               "to write it"));
        else
            why = fill(Cli::tr("the station is not armed"));
        line(slot.empty()
                 ? fill(Cli::tr("%1 (%2) left alone: %3"), {d.devnode, name(d), why})
                 : fill(Cli::tr("%1: %2 (%3) left alone: %4"), {slot, d.devnode, name(d), why}));
    }

    void slotStarted(const std::string& slot, const engine::DeviceInfo& d) override
    {
        line(d.serial.empty() ? fill(Cli::tr("%1: writing %2 (%3, %4)"),
                                     {slot, d.devnode, name(d), sizeText(d.size)})
                              : fill(Cli::tr("%1: writing %2 (%3, %4, serial %5)"),
                                     {slot, d.devnode, name(d), sizeText(d.size), d.serial}));
    }

    void progress(const std::vector<engine::SlotProgress>& running) override
    {
        if (!m_tty || running.empty())
            return;
        std::string text;
        for (const auto& p : running) {
            const std::string percent =
                ui::Format::percent(fraction(p.done, p.total)).toStdString();
            text += (text.empty() ? "" : "  ") +
                    (p.verifying
                         ? fill(Cli::tr("%1 verifying %2 %3"), {p.slot, percent, rateText(p.rate)})
                         : p.slot + " " + percent + " " + rateText(p.rate));
        }
        live(text);
    }

    void slotFinished(const engine::AuditRecord& r) override
    {
        if (r.passed())
            line(fill(Cli::tr("%1: %2 passed in %3 (%4); after: %5"),
                      {r.slot, r.device, durationText(r.durationSeconds),
                       rateText(r.mibPerSecond * 1024 * 1024), r.after}));
        else if (r.result.rfind(kRefused, 0) == 0)
            line(fill(Cli::tr("%1: %2 REFUSED (%3): %4"),
                      {r.slot, r.device, r.result.substr(kRefused.size()), r.detail}));
        else if (r.detail.empty() || r.result.find(r.detail) != std::string::npos)
            line(fill(Cli::tr("%1: %2 FAILED: %3; after: %4"),
                      {r.slot, r.device, r.result, r.after}));
        else
            line(fill(Cli::tr("%1: %2 FAILED: %3 (%4); after: %5"),
                      {r.slot, r.device, r.result, r.detail, r.after}));
    }

    void stationFailed(const engine::Error& error) override
    {
        clearLive();
        m_log->error("{}", error.message);
    }

    void disarmed(const std::string& reason, std::size_t finished, std::size_t passed) override
    {
        line(fill(Cli::tr("Station stopped (%1): %n drive(s) finished, %2 passed.", nullptr,
                          pluralCount(finished)),
                  {reason, std::to_string(passed)}));
    }

private:
    static std::string name(const engine::DeviceInfo& d)
    {
        const std::string both = d.vendor.empty() ? d.model : d.vendor + " " + d.model;
        return both.empty() ? d.kind() : both;
    }
    void clearLive()
    {
        if (m_liveShown)
            std::fputs("\r\033[K", stdout);
        m_liveShown = false;
    }
    void line(const std::string& text)
    {
        clearLive();
        std::fprintf(stdout, "%s\n", text.c_str());
        std::fflush(stdout);
    }
    void live(const std::string& text)
    {
        std::fprintf(stdout, "\r\033[K%s", text.c_str());
        std::fflush(stdout);
        m_liveShown = true;
    }

    const engine::Logger& m_log;
    const bool m_tty;
    bool m_hashingSaid = false;
    bool m_liveShown = false;
};

} // namespace

std::unique_ptr<StationReporter> makeStationJsonReporter(LineSink sink)
{
    return std::make_unique<JsonStationReporter>(std::move(sink));
}

std::unique_ptr<StationReporter> makeStationTextReporter(const engine::Logger& log)
{
    return std::make_unique<TextStationReporter>(log);
}

} // namespace cli
