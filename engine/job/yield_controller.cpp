#include "job/yield_controller.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>

#include <sys/sysmacros.h>
#include <unistd.h>

namespace engine {

namespace {

/// Share gained per interval when the foreground's delay is zero: one
/// request's worth of the full depth.
constexpr double kGrowStep = 1.0 / YieldController::kMaxDepth;
/// Share lost per interval is this times the delay's excess over the target,
/// relative to the target, and never more than kMaxCut of the share.
constexpr double kCutGain = 0.5;
constexpr double kMaxCut = 0.75;
/// Weight of a new measurement in the smoothed full speed.
constexpr double kFullSpeedWeight = 0.2;
constexpr double kShortOfWork = 0.5;

double toMs(std::chrono::microseconds us)
{
    return static_cast<double>(us.count()) / 1000.0;
}

bool wentBackwards(const BlockStat& now, const BlockStat& before)
{
    return now.readIos < before.readIos || now.writeIos < before.writeIos ||
           now.readMerges < before.readMerges || now.writeMerges < before.writeMerges ||
           now.readTicksMs < before.readTicksMs || now.writeTicksMs < before.writeTicksMs;
}

} // namespace

Result<BlockStat> parseBlockStat(std::string_view text)
{
    std::array<std::uint64_t, 17> fields{};
    std::size_t count = 0;
    const char* p = text.data();
    const char* end = p + text.size();
    while (true) {
        while (p != end && (*p == ' ' || *p == '\t' || *p == '\n'))
            ++p;
        if (p == end)
            break;
        if (count == fields.size())
            return Error{EINVAL, "block stat: more than 17 fields"};
        const auto [next, ec] = std::from_chars(p, end, fields[count]);
        if (ec != std::errc{} || (next != end && *next != ' ' && *next != '\t' && *next != '\n'))
            return Error{EINVAL, "block stat: field " + std::to_string(count + 1) +
                                     " is not a number: \"" + std::string(text) + "\""};
        ++count;
        p = next;
    }
    if (count < 11)
        return Error{EINVAL, "block stat: " + std::to_string(count) + " fields, expected 11 to 17"};
    BlockStat s;
    s.readIos = fields[0];
    s.readMerges = fields[1];
    s.readSectors = fields[2];
    s.readTicksMs = fields[3];
    s.writeIos = fields[4];
    s.writeMerges = fields[5];
    s.writeSectors = fields[6];
    s.writeTicksMs = fields[7];
    s.inFlight = fields[8];
    s.ioTicksMs = fields[9];
    s.timeInQueueMs = fields[10];
    s.discardIos = fields[11];
    s.discardMerges = fields[12];
    s.discardSectors = fields[13];
    s.discardTicksMs = fields[14];
    s.flushIos = fields[15];
    s.flushTicksMs = fields[16];
    return s;
}

Result<BlockStat> readBlockStat(const std::string& statPath)
{
    std::ifstream in(statPath);
    if (!in)
        return systemError(errno ? errno : ENOENT, "open " + statPath);
    std::string text; // one line
    if (!std::getline(in, text))
        return systemError(errno ? errno : EIO, "read " + statPath);
    auto stat = parseBlockStat(text);
    if (!stat)
        return Error{stat.error().code, statPath + ": " + stat.error().message};
    return stat;
}

namespace {

std::string sysDevDir(std::uint64_t rdev)
{
    std::ostringstream path;
    path << "/sys/dev/block/" << major(rdev) << ':' << minor(rdev);
    return path.str();
}

} // namespace

std::string blockStatPath(std::uint64_t rdev)
{
    return sysDevDir(rdev) + "/stat";
}

std::string diskStatPath(std::uint64_t rdev)
{
    // A partition's sysfs directory sits inside its disk's and has a
    // "partition" attribute; a disk's has none.
    const std::string dir = sysDevDir(rdev);
    if (::access((dir + "/partition").c_str(), F_OK) == 0)
        return dir + "/../stat";
    return dir + "/stat";
}

std::string_view toString(YieldController::Reason reason)
{
    // Machine words: the CLI's JSON carries them and the front ends word them.
    switch (reason) {
    case YieldController::Reason::Starting:
        return "starting";
    case YieldController::Reason::Quiet:
        return "quiet";
    case YieldController::Reason::GrowingBack:
        return "growing-back";
    case YieldController::Reason::WithinTarget:
        return "within-target";
    case YieldController::Reason::ForegroundDelayed:
        return "foreground-delayed";
    case YieldController::Reason::MeasuringBaseline:
        return "measuring-baseline";
    }
    return "unknown";
}

void countOwnIo(OwnIo::Direction& direction, std::uint64_t length, std::chrono::nanoseconds latency,
                std::uint64_t maxRequestBytes)
{
    const std::uint64_t pieces =
        maxRequestBytes == 0 || length == 0 ? 1 : (length + maxRequestBytes - 1) / maxRequestBytes;
    direction.ios += pieces;
    direction.ticksNs +=
        pieces * static_cast<std::uint64_t>(std::max<std::int64_t>(0, latency.count()));
}

std::uint64_t unsplitRequestBytes(const std::string& statPath)
{
    // The stat file and the queue directory sit side by side in the disk's
    // sysfs directory.
    const auto slash = statPath.rfind('/');
    if (slash == std::string::npos)
        return 0;
    const std::string queue = statPath.substr(0, slash) + "/queue/";
    const auto readNumber = [&](const char* name) {
        std::ifstream in(queue + name);
        std::uint64_t value = 0;
        return in >> value ? value : 0;
    };
    const std::uint64_t maxBytes = readNumber("max_sectors_kb") * 1024;
    if (maxBytes == 0)
        return 0;
    const long page = ::sysconf(_SC_PAGESIZE);
    const std::uint64_t segments = readNumber("max_segments");
    if (segments == 0 || page <= 0)
        return maxBytes;
    return std::min(maxBytes, segments * static_cast<std::uint64_t>(page));
}

YieldController::YieldController(std::uint64_t speedCap) : m_speedCap(speedCap)
{
    m_state.rateLimit = speedCap;
}

void YieldController::setSpeedCap(std::uint64_t bytesPerSecond)
{
    m_speedCap = bytesPerSecond;
    const auto latency = m_state.foregroundLatencyMs;
    publish(m_state.reason, {}, m_previous ? m_previous->time : Clock::time_point{});
    m_state.foregroundLatencyMs = latency;
}

namespace {

struct Part
{
    std::uint64_t ios = 0;
    double ticksMs = 0;
};

/// The device's count less the job's, in one direction; what the job counted
/// ahead of the device is carried in @p owed to the next interval.
template <class Owed>
Part foregroundPart(std::uint64_t deviceIos, std::uint64_t deviceTicksMs,
                    const OwnIo::Direction& own, Owed& owed)
{
    const std::uint64_t ownIos = own.ios + owed.ios;
    const double ownTicks = own.ticksMs() + owed.ticksMs;
    const auto deviceTicks = static_cast<double>(deviceTicksMs);
    Part fg;
    fg.ios = deviceIos > ownIos ? deviceIos - ownIos : 0;
    owed.ios = ownIos > deviceIos ? ownIos - deviceIos : 0;
    // Time is owed only along with requests; otherwise an overestimate of
    // the job's own time would hide the foreground's for good.
    fg.ticksMs = std::max(0.0, deviceTicks - ownTicks);
    owed.ticksMs = owed.ios > 0 ? std::max(0.0, ownTicks - deviceTicks) : 0;
    return fg;
}

} // namespace

YieldController::Foreground YieldController::foregroundOf(const YieldSample& sample)
{
    const BlockStat& now = sample.device;
    const BlockStat& before = m_previous->device;
    const Part reads =
        foregroundPart((now.readIos + now.readMerges) - (before.readIos + before.readMerges),
                       now.readTicksMs - before.readTicksMs, sample.own.reads, m_owedReads);
    const Part writes =
        foregroundPart((now.writeIos + now.writeMerges) - (before.writeIos + before.writeMerges),
                       now.writeTicksMs - before.writeTicksMs, sample.own.writes, m_owedWrites);
    Foreground fg;
    fg.ios = reads.ios + writes.ios;
    if (fg.ios > 0)
        fg.latencyMs = (reads.ticksMs + writes.ticksMs) / static_cast<double>(fg.ios);
    return fg;
}

void YieldController::noteBaseline(double latencyMs, Clock::time_point now)
{
    Bucket* bucket = &m_buckets[m_bucket];
    if (bucket->used && now - bucket->start >= kBaselineBucket) {
        m_bucket = (m_bucket + 1) % m_buckets.size();
        bucket = &m_buckets[m_bucket];
        bucket->used = false;
    }
    if (!bucket->used) {
        *bucket = {now, latencyMs, true};
        return;
    }
    bucket->minMs = std::min(bucket->minMs, latencyMs);
}

std::optional<double> YieldController::baseline(Clock::time_point now) const
{
    std::optional<double> lowest;
    for (const Bucket& b : m_buckets) {
        if (!b.used || now - b.start >= kBaselineBucket * kBaselineBuckets)
            continue;
        lowest = lowest ? std::min(*lowest, b.minMs) : b.minMs;
    }
    return lowest;
}

void YieldController::measureFullSpeed(const OwnIo& own, double seconds)
{
    if (m_share < 1.0 || own.bytes == 0 || seconds <= 0)
        return;
    // Over the time the job had requests in flight: a job held by a speed
    // limit works in bursts, at the disk's speed.
    const double busy =
        own.busyNs > 0 ? std::min(seconds, static_cast<double>(own.busyNs) / 1e9) : seconds;
    const double rate = static_cast<double>(own.bytes) / busy;
    // Far below what it reached before, the job ran short of dirty data (at
    // READY it copies a few granules now and then): that says nothing of
    // the device.
    if (rate < kShortOfWork * m_fullSpeed)
        return;
    m_fullSpeed = m_fullSpeed == 0 ? rate : m_fullSpeed + kFullSpeedWeight * (rate - m_fullSpeed);
}

YieldController::Reason YieldController::decide(const Foreground& fg, Clock::time_point now)
{
    // A slowdown's samples are measured with the mirror at the floor: they
    // make the baseline, but would hide from the filter the delay the
    // mirror brings back. Outside of them the baseline is the lowest of the
    // filtered latency too, so that both sides of the delay are measured
    // alike (the lowest single interval of a minute is far below a typical
    // one, and read every later interval as delayed).
    const bool atFloor = m_slowdownEnd.has_value();
    double current = 0;
    if (fg.ios > 0) {
        m_lastForeground = now;
        m_everForeground = true;
        current = atFloor ? fg.latencyMs : currentLatency(fg, now);
        noteBaseline(current, now);
    }

    if (m_slowdownEnd) {
        if (now < *m_slowdownEnd)
            return Reason::MeasuringBaseline;
        m_slowdownEnd.reset();
        m_share = m_shareBeforeSlowdown;
        m_recent = {};
    }

    if (!m_everForeground || now - m_lastForeground >= kQuietAfter) {
        m_share = std::min(1.0, std::max(m_share * 2, m_share + kGrowStep));
        return m_share >= 1.0 ? Reason::Quiet : Reason::GrowingBack;
    }
    if (fg.ios == 0) { // a pause in the foreground, too short to call quiet
        const Reason last = m_state.reason;
        return last == Reason::MeasuringBaseline ? Reason::WithinTarget : last;
    }

    const auto base = baseline(now);
    if (startSlowdownIfDue(base.has_value(), now))
        return Reason::MeasuringBaseline;
    return followDelay(fg, current, *base);
}

bool YieldController::startSlowdownIfDue(bool haveBaseline, Clock::time_point now)
{
    if (haveBaseline && now - m_lastSlowdown < kSlowdownEvery)
        return false;
    m_lastSlowdown = now;
    // Near the floor the mirror is almost silent already: this sample is as
    // good as a slowdown's.
    if (haveBaseline && m_share <= 4 * kMinShare)
        return false;
    m_shareBeforeSlowdown = m_share;
    m_share = kMinShare;
    m_slowdownEnd = now + kSlowdownLength;
    return true;
}

double YieldController::currentLatency(const Foreground& fg, Clock::time_point now)
{
    m_recent[m_recentNext] = {now, fg.latencyMs};
    m_recentNext = (m_recentNext + 1) % m_recent.size();
    // Only intervals of the last moments: a delay that began after a pause
    // of the foreground counts at once.
    const auto horizon = kDelayFilter * kSampleInterval + kSampleInterval / 2;
    double lowest = fg.latencyMs;
    for (const Recent& r : m_recent)
        if (r.time != Clock::time_point{} && now - r.time < horizon)
            lowest = std::min(lowest, r.latencyMs);
    return lowest;
}

YieldController::Reason YieldController::followDelay(const Foreground& fg, double currentMs,
                                                     double baselineMs)
{
    // The stat file sums whole milliseconds: the interval's mean is known to
    // within 1 ms over its request count.
    double delayMs = currentMs - baselineMs;
    if (delayMs <= 1.0 / static_cast<double>(fg.ios))
        delayMs = 0;
    const double target =
        std::clamp(kTargetRatio * baselineMs, toMs(kMinTargetDelay), toMs(kMaxTargetDelay));
    const double offTarget = (target - delayMs) / target; // 1 idle .. 0 at target .. negative
    if (offTarget >= 0) {
        m_share = std::min(1.0, m_share + kGrowStep * offTarget);
        return Reason::WithinTarget;
    }
    const double keep = std::clamp(1.0 + kCutGain * offTarget, 1.0 - kMaxCut, 1.0);
    m_share = std::max(kMinShare, m_share * keep);
    return Reason::ForegroundDelayed;
}

void YieldController::publish(Reason reason, const Foreground& fg, Clock::time_point now)
{
    // Unmeasured, a limited job's disk is at least as fast as its limit.
    const double full = m_fullSpeed > 0
                            ? m_fullSpeed
                            : std::max(kFallbackFullSpeed, static_cast<double>(m_speedCap));
    const double allowed = m_share * full;

    State s;
    s.share = m_share;
    // Yielding when the share holds the job below what it would do without
    // it: full speed, or the user's limit.
    s.yielding = m_share < 1.0 && (m_speedCap == 0 || allowed < static_cast<double>(m_speedCap));
    s.maxInFlight = static_cast<unsigned>(
        std::clamp(std::ceil(m_share * kMaxDepth - 1e-9), 1.0, static_cast<double>(kMaxDepth)));
    if (s.yielding)
        s.rateLimit = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(allowed));
    else
        s.rateLimit = m_speedCap;
    s.reason = reason;
    s.foregroundIops = m_state.foregroundIops;
    if (fg.ios > 0)
        s.foregroundLatencyMs = fg.latencyMs;
    s.baselineMs = baseline(now);
    s.fullSpeed = full;
    m_state = s;
}

const YieldController::State& YieldController::addSample(const YieldSample& sample)
{
    if (!m_previous || sample.time <= m_previous->time ||
        wentBackwards(sample.device, m_previous->device)) {
        m_previous = sample;
        m_owedReads = {};
        m_owedWrites = {};
        return m_state;
    }
    const double seconds = std::chrono::duration<double>(sample.time - m_previous->time).count();
    const Foreground fg = foregroundOf(sample);
    measureFullSpeed(sample.own, seconds);
    const Reason reason = decide(fg, sample.time);
    m_state.foregroundIops = static_cast<double>(fg.ios) / seconds;
    publish(reason, fg, sample.time);
    m_previous = sample;
    return m_state;
}

} // namespace engine
