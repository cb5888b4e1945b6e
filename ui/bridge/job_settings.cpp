#include "bridge/job_settings.h"

#include <limits>
#include <string>

namespace ui {

namespace {

QString text(std::string_view s)
{
    return QString::fromLatin1(s.data(), static_cast<qsizetype>(s.size()));
}

// One stored field, judged by the engine's own rules: @p apply puts it into
// a copy of the defaults, which only stays when validate() accepts it.
template <class Apply>
void take(engine::JobOptions& out, Apply apply)
{
    engine::JobOptions probe;
    if (!apply(probe) || !engine::validate(probe))
        return;
    apply(out);
}

template <class T>
bool parsed(const QVariant& v, std::optional<T> (*parse)(std::string_view), T& out)
{
    if (!v.isValid())
        return false;
    const auto value = parse(v.toString().toStdString());
    if (value)
        out = *value;
    return value.has_value();
}

bool number(const QVariant& v, std::uint64_t& out)
{
    bool ok = false;
    const qulonglong n = v.toULongLong(&ok);
    if (ok)
        out = n;
    return ok;
}

bool seconds(const QVariant& v, double& out)
{
    bool ok = false;
    const double d = v.toDouble(&ok);
    if (ok)
        out = d;
    return ok;
}

// Read wide and range-checked here: an unsigned conversion of a stored
// negative number would wrap around instead of failing.
bool wholeSeconds(const QVariant& v, unsigned& out)
{
    bool ok = false;
    const qlonglong n = v.toLongLong(&ok);
    if (!ok || n < 0 || n > qlonglong{std::numeric_limits<unsigned>::max()})
        return false;
    out = static_cast<unsigned>(n);
    return true;
}

bool flag(const QVariant& v, bool& out)
{
    if (!v.isValid())
        return false;
    out = v.toBool();
    return true;
}

} // namespace

engine::JobOptions loadJobOptions(QSettings& s)
{
    engine::JobOptions out;
    s.beginGroup(QStringLiteral("job"));
    auto value = [&s](const char* key) { return s.value(QLatin1String(key)); };
    take(out, [&](auto& o) { return parsed(value("sync"), &engine::parseSyncMode, o.sync); });
    take(out, [&](auto& o) { return number(value("granularity"), o.granularity); });
    take(out, [&](auto& o) { return number(value("speed"), o.speed); });
    take(out, [&](auto& o) { return number(value("bufSize"), o.bufSize); });
    take(out, [&](auto& o) {
        return parsed(value("onSourceError"), &engine::parseErrorPolicy, o.onSourceError);
    });
    take(out, [&](auto& o) {
        return parsed(value("onTargetError"), &engine::parseErrorPolicy, o.onTargetError);
    });
    take(out, [&](auto& o) { return flag(value("unmap"), o.unmap); });
    take(out, [&](auto& o) { return flag(value("verify"), o.verify); });
    take(out, [&](auto& o) { return seconds(value("maxFreezeSeconds"), o.maxFreezeSeconds); });
    take(out, [&](auto& o) { return flag(value("wipeRest"), o.wipeRest); });
    take(out, [&](auto& o) { return parsed(value("yield"), &engine::parseYieldMode, o.yield); });
    take(out, [&](auto& o) { return wholeSeconds(value("reconnectSeconds"), o.reconnectSeconds); });
    s.endGroup();
    return out;
}

void saveJobOptions(QSettings& s, const engine::JobOptions& o)
{
    s.beginGroup(QStringLiteral("job"));
    s.setValue(QStringLiteral("sync"), text(engine::toString(o.sync)));
    s.setValue(QStringLiteral("granularity"), QVariant::fromValue<qulonglong>(o.granularity));
    s.setValue(QStringLiteral("speed"), QVariant::fromValue<qulonglong>(o.speed));
    s.setValue(QStringLiteral("bufSize"), QVariant::fromValue<qulonglong>(o.bufSize));
    s.setValue(QStringLiteral("onSourceError"), text(engine::toString(o.onSourceError)));
    s.setValue(QStringLiteral("onTargetError"), text(engine::toString(o.onTargetError)));
    s.setValue(QStringLiteral("unmap"), o.unmap);
    s.setValue(QStringLiteral("verify"), o.verify);
    s.setValue(QStringLiteral("maxFreezeSeconds"), o.maxFreezeSeconds);
    s.setValue(QStringLiteral("wipeRest"), o.wipeRest);
    s.setValue(QStringLiteral("yield"), text(engine::toString(o.yield)));
    s.setValue(QStringLiteral("reconnectSeconds"), o.reconnectSeconds);
    s.endGroup();
}

} // namespace ui
