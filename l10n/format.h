// Text for sizes, rates, durations and job states, for what a person reads:
// every widget of the desktop app and the CLI's human output (logs, JSON and
// engine messages format through engine/base/units.h, in the C locale). Built on
// QLocale, so digits and separators follow the user's locale; units are IEC
// (KiB, MiB, GiB). QtCore only, in the drivemirror_l10n library; the class
// keeps the ui namespace it was born in.
#pragma once

#include "job/forecast.h"
#include "job/job_status.h"
#include "job/mirror_job.h"

#include <QCoreApplication>
#include <QString>

#include <cstdint>

namespace ui {

class Format
{
    Q_DECLARE_TR_FUNCTIONS(ui::Format)

public:
    /// "512 bytes", "64.0 KiB", "1.50 GiB": three significant digits.
    static QString bytes(std::uint64_t bytes);
    /// bytes() per second: "123 MiB/s".
    static QString rate(double bytesPerSecond);
    /// "42 s", "4 min 05 s", "2 h 03 min"; "–" when unknown or negative.
    static QString duration(double seconds);
    /// "42.3 %" (one decimal; 0 and 100 exact only when the fraction is).
    static QString percent(double fraction);
    /// A user-facing name for an engine job status ("Copying", "Ready").
    static QString status(engine::JobStatus status);
    /// What engine::dataSignature() found ("an ext2/3/4 file system"), in
    /// the user's language; an unknown text comes back as it is.
    static QString signature(const QString& engineText);
    /// "11 ms", "1.4 s", then as duration(): how long a freeze lasts.
    static QString shortDuration(double seconds);
    /// How the job gives way to the source's other I/O, in a few words;
    /// empty while it runs at full speed.
    static QString yielding(const engine::JobSnapshot::YieldView& yield);
    /// "connection to nbd://… lost 12 s ago: connecting again (attempt 4,
    /// gives up after 60 s)"; empty while no connection is lost.
    static QString reconnecting(const engine::JobSnapshot::ReconnectView& reconnect);
    /// When the copy will be in sync and how long Complete will freeze the
    /// source, or (@p ready) only the freeze; that it will not converge at
    /// this rate and what would help. Empty without an estimate.
    static QString forecast(const engine::Forecast::Estimate& estimate, bool ready);
};

} // namespace ui
