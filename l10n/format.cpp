#include "format.h"

#include <QLocale>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

namespace ui {

namespace {

int decimalsFor(double value)
{
    if (value < 10)
        return 2;
    if (value < 100)
        return 1;
    return 0;
}

} // namespace

QString Format::bytes(std::uint64_t bytes)
{
    const QLocale locale;
    if (bytes < 1024)
        return locale.formattedDataSize(static_cast<qint64>(bytes), 0, QLocale::DataSizeIecFormat);
    // formattedDataSize takes the number of decimals; choose them so that
    // the value keeps three significant digits in the unit it picks.
    double scaled = static_cast<double>(bytes);
    while (scaled >= 1024)
        scaled /= 1024;
    int decimals = decimalsFor(scaled);
    // Rounding may carry into the next digit (9.996 -> 10.0).
    if (std::round(scaled * std::pow(10, decimals)) / std::pow(10, decimals) >= 10 && decimals == 2)
        decimals = 1;
    if (std::round(scaled * std::pow(10, decimals)) / std::pow(10, decimals) >= 100 &&
        decimals == 1)
        decimals = 0;
    return locale.formattedDataSize(
        static_cast<qint64>(std::min<std::uint64_t>(bytes, static_cast<std::uint64_t>(INT64_MAX))),
        decimals, QLocale::DataSizeIecFormat);
}

QString Format::rate(double bytesPerSecond)
{
    if (!(bytesPerSecond > 0))
        return tr("%1/s").arg(bytes(0));
    return tr("%1/s").arg(bytes(static_cast<std::uint64_t>(std::llround(bytesPerSecond))));
}

QString Format::duration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    const auto total = static_cast<long long>(std::llround(std::min(seconds, 1e9)));
    const QLocale locale;
    const auto two = [&](long long v) { return locale.toString(v).rightJustified(2, u'0'); };
    if (total < 60)
        return tr("%1 s").arg(total);
    if (total < 3600)
        return tr("%1 min %2 s").arg(total / 60).arg(two(total % 60));
    return tr("%1 h %2 min").arg(total / 3600).arg(two(total % 3600 / 60));
}

QString Format::percent(double fraction)
{
    if (!std::isfinite(fraction))
        fraction = 0;
    fraction = std::clamp(fraction, 0.0, 1.0);
    double value = fraction * 100;
    // Never claim 100 % while anything is left, nor 0 % once anything moved.
    if (fraction < 1 && value > 99.9)
        value = 99.9;
    if (fraction > 0 && value < 0.1)
        value = 0.1;
    return tr("%1 %").arg(QLocale().toString(value, 'f', 1));
}

QString Format::status(engine::JobStatus status)
{
    using S = engine::JobStatus;
    switch (status) {
    case S::Created:
        return tr("Preparing");
    case S::Running:
        return tr("Copying");
    case S::Paused:
        return tr("Paused");
    case S::Ready:
        return tr("Ready: in sync");
    case S::Standby:
        return tr("Paused while in sync");
    case S::Waiting:
    case S::Pending:
        return tr("Finishing");
    case S::Aborting:
        return tr("Stopping");
    case S::Concluded:
    case S::Null:
        return tr("Finished");
    }
    return {};
}

QString Format::shortDuration(double seconds)
{
    if (!(seconds >= 0))
        return QStringLiteral("–");
    const QLocale locale;
    if (seconds < 1)
        return tr("%1 ms").arg(locale.toString(std::max(1L, std::lround(seconds * 1000))));
    if (seconds < 10)
        return tr("%1 s").arg(locale.toString(seconds, 'f', 1));
    return duration(seconds);
}

QString Format::yielding(const engine::JobSnapshot::YieldView& y)
{
    if (!y.active)
        return {};
    if (y.reason == "measuring-baseline")
        return tr("measuring the disk's other I/O alone");
    if (!y.yielding)
        return {};
    return tr("giving way to other I/O on the disk: %1 of full speed").arg(percent(y.share));
}

QString Format::reconnecting(const engine::JobSnapshot::ReconnectView& r)
{
    if (!r.active)
        return {};
    return tr("connection to %1 lost %2 ago: connecting again (attempt %3, gives up after %4)")
        .arg(QString::fromStdString(r.endpoint), shortDuration(r.lostSeconds))
        .arg(r.attempts)
        .arg(duration(r.limitSeconds));
}

QString Format::forecast(const engine::Forecast::Estimate& e, bool ready)
{
    using engine::Forecast;
    if (e.confidence == Forecast::Confidence::None)
        return {};
    if (!e.converges) {
        QStringList helps;
        for (const Forecast::Remedy r : e.remedies)
            switch (r) {
            case Forecast::Remedy::RaiseSpeedLimit:
                helps << tr("raise the speed limit");
                break;
            case Forecast::Remedy::TurnYieldOff:
                helps << tr("stop giving way to other I/O");
                break;
            case Forecast::Remedy::FinerGranularity:
                helps << tr("choose a finer granularity");
                break;
            case Forecast::Remedy::AcceptLongerFreeze:
                if (e.freezeIfCompletedNow)
                    helps << tr("complete now with a freeze of about %1")
                                 .arg(shortDuration(*e.freezeIfCompletedNow));
                break;
            }
        const QString verdict = tr("will not converge at this rate: the source dirties %1, the "
                                   "copy manages %2")
                                    .arg(rate(e.dirtyRate), rate(e.copyRate));
        return helps.isEmpty()
                   ? verdict
                   : tr("%1; what helps: %2").arg(verdict, helps.join(QStringLiteral(", ")));
    }
    const QString freeze =
        e.freezeSeconds ? tr("Complete freezes about %1").arg(shortDuration(*e.freezeSeconds))
                        : QString();
    if (ready || !e.secondsToReady)
        return freeze;
    const QString when = tr("in sync in about %1").arg(duration(*e.secondsToReady));
    return freeze.isEmpty() ? when : tr("%1, then %2").arg(when, freeze);
}

QString Format::signature(const QString& engineText)
{
    static const std::pair<const char*, const char*> kKnown[] = {
        {"a GPT partition table", QT_TR_NOOP("a GPT partition table")},
        {"a partition table (MBR)", QT_TR_NOOP("a partition table (MBR)")},
        {"an ext2/3/4 file system", QT_TR_NOOP("an ext2/3/4 file system")},
        {"an NTFS file system", QT_TR_NOOP("an NTFS file system")},
        {"a FAT file system", QT_TR_NOOP("a FAT file system")},
        {"an XFS file system", QT_TR_NOOP("an XFS file system")},
        {"a swap area", QT_TR_NOOP("a swap area")},
        {"an LVM physical volume", QT_TR_NOOP("an LVM physical volume")},
        {"a LUKS encrypted volume", QT_TR_NOOP("a LUKS encrypted volume")},
        {"a Btrfs file system", QT_TR_NOOP("a Btrfs file system")},
        {"an F2FS file system", QT_TR_NOOP("an F2FS file system")},
        {"an exFAT file system", QT_TR_NOOP("an exFAT file system")},
        {"a SquashFS file system", QT_TR_NOOP("a SquashFS file system")},
        {"an ISO 9660 file system", QT_TR_NOOP("an ISO 9660 file system")},
        {"a UDF file system", QT_TR_NOOP("a UDF file system")},
        {"a Linux RAID member", QT_TR_NOOP("a Linux RAID member")},
        {"a ZFS pool member", QT_TR_NOOP("a ZFS pool member")},
        {"a bcache device", QT_TR_NOOP("a bcache device")},
    };
    for (const auto& [engine, text] : kKnown)
        if (engineText == QLatin1String(engine))
            return tr(text);
    // The engine's generic forms for what libblkid names but the list above
    // does not: the type stays as libblkid spells it.
    static const std::pair<const char*, const char*> kPatterns[] = {
        {"a partition table (%1)", QT_TR_NOOP("a partition table (%1)")},
        {"a RAID or volume manager member (%1)",
         QT_TR_NOOP("a RAID or volume manager member (%1)")},
        {"an encrypted volume (%1)", QT_TR_NOOP("an encrypted volume (%1)")},
        {"a %1 file system", QT_TR_NOOP("a %1 file system")},
        {"a %1 signature", QT_TR_NOOP("a %1 signature")},
    };
    for (const auto& [engine, text] : kPatterns) {
        const QString pattern = QLatin1String(engine);
        const qsizetype at = pattern.indexOf(QLatin1String("%1"));
        const QString head = pattern.left(at), tail = pattern.mid(at + 2);
        if (engineText.size() > head.size() + tail.size() && engineText.startsWith(head) &&
            engineText.endsWith(tail))
            return tr(text).arg(
                engineText.mid(head.size(), engineText.size() - head.size() - tail.size()));
    }
    return engineText;
}

} // namespace ui
