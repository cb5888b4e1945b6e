// Readable QCOMPARE failure messages for engine types. Enums that have an
// engine toString() are compared through name(), since a second toString()
// overload for them would be ambiguous; plain structs get a QTest printer.
#pragma once

#include "bitmap/dirty_bitmap.h"
#include "job/job_status.h"
#include "job/mirror_job.h"
#include "protocol/helper_protocol.h"

#include <QStringList>
#include <QtTest>

namespace engine {

inline char* toString(const ErrorAction& a)
{
    const char* names[] = {"report", "ignore", "stop"};
    return qstrdup(names[static_cast<int>(a)]);
}
inline char* toString(const ByteRange& r)
{
    return qstrdup(QStringLiteral("[%1, +%2)").arg(r.offset).arg(r.length).toLatin1().constData());
}
inline char* toString(const std::vector<ByteRange>& v)
{
    QStringList parts;
    for (const auto& r : v)
        parts << QStringLiteral("[%1, +%2)").arg(r.offset).arg(r.length);
    return qstrdup(parts.join(QLatin1Char(' ')).toLatin1().constData());
}

inline QString latin1(std::string_view sv)
{
    return QString::fromLatin1(sv.data(), static_cast<qsizetype>(sv.size()));
}

template <class E>
QString name(E e)
{
    return latin1(toString(e));
}

// Outcomes and the forecast's words by the names the protocol gives them,
// the one place they are spelled.
inline QString name(JobResult::Outcome o)
{
    return latin1(protocol::outcomeName(static_cast<protocol::Outcome>(o)));
}
inline QString name(Forecast::Confidence c)
{
    return latin1(protocol::kConfidenceNames.at(static_cast<std::size_t>(c)));
}
inline QString name(Forecast::Remedy r)
{
    return latin1(protocol::kRemedyNames.at(static_cast<std::size_t>(r)));
}

inline QStringList names(const std::vector<JobStatus>& v)
{
    QStringList out;
    for (auto s : v)
        out << name(s);
    return out;
}

} // namespace engine
