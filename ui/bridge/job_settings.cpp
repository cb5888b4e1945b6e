#include "bridge/job_settings.h"

#include <bit>
#include <string>

namespace ui {

namespace {

template <class T>
T parseOr(const QVariant& v, std::optional<T> (*parse)(std::string_view), T fallback)
{
    if (!v.isValid())
        return fallback;
    const std::string text = v.toString().toStdString();
    return parse(text).value_or(fallback);
}

QString text(std::string_view s)
{
    return QString::fromLatin1(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace

engine::MirrorOptions JobSettings::toOptions() const
{
    engine::MirrorOptions o;
    o.sync = sync;
    o.granularity = granularity;
    o.speed = speed;
    o.bufSize = bufSize;
    o.onSourceError = onSourceError;
    o.onTargetError = onTargetError;
    o.unmap = unmap;
    o.verify = verify;
    o.maxFreezeSeconds = maxFreezeSeconds;
    o.wipeRest = wipeRest;
    return o;
}

JobSettings JobSettings::load(QSettings& s)
{
    JobSettings d;
    JobSettings out;
    s.beginGroup(QStringLiteral("job"));
    out.sync =
        parseOr<engine::SyncMode>(s.value(QStringLiteral("sync")), &engine::parseSyncMode, d.sync);
    out.granularity =
        s.value(QStringLiteral("granularity"), QVariant::fromValue<qulonglong>(0)).toULongLong();
    if (out.granularity != 0 &&
        (out.granularity < engine::kMinGranularity || out.granularity > engine::kMaxGranularity ||
         !std::has_single_bit(out.granularity)))
        out.granularity = d.granularity;
    out.speed = s.value(QStringLiteral("speed"), QVariant::fromValue<qulonglong>(0)).toULongLong();
    out.bufSize = s.value(QStringLiteral("bufSize"), QVariant::fromValue<qulonglong>(d.bufSize))
                      .toULongLong();
    if (out.bufSize < (1u << 20) || out.bufSize > (1ull << 30))
        out.bufSize = d.bufSize;
    out.onSourceError = parseOr<engine::ErrorPolicy>(s.value(QStringLiteral("onSourceError")),
                                                     &engine::parseErrorPolicy, d.onSourceError);
    out.onTargetError = parseOr<engine::ErrorPolicy>(s.value(QStringLiteral("onTargetError")),
                                                     &engine::parseErrorPolicy, d.onTargetError);
    out.unmap = s.value(QStringLiteral("unmap"), d.unmap).toBool();
    out.verify = s.value(QStringLiteral("verify"), d.verify).toBool();
    bool ok = false;
    out.maxFreezeSeconds =
        s.value(QStringLiteral("maxFreezeSeconds"), d.maxFreezeSeconds).toDouble(&ok);
    // The engine refuses anything outside its range: an edited file must not
    // make every start fail.
    if (!ok || !(out.maxFreezeSeconds >= engine::kMinFreezeSeconds &&
                 out.maxFreezeSeconds <= engine::kMaxFreezeSeconds))
        out.maxFreezeSeconds = d.maxFreezeSeconds;
    out.wipeRest = s.value(QStringLiteral("wipeRest"), d.wipeRest).toBool();
    s.endGroup();
    return out;
}

void JobSettings::save(QSettings& s) const
{
    s.beginGroup(QStringLiteral("job"));
    s.setValue(QStringLiteral("sync"), text(engine::toString(sync)));
    s.setValue(QStringLiteral("granularity"), QVariant::fromValue<qulonglong>(granularity));
    s.setValue(QStringLiteral("speed"), QVariant::fromValue<qulonglong>(speed));
    s.setValue(QStringLiteral("bufSize"), QVariant::fromValue<qulonglong>(bufSize));
    s.setValue(QStringLiteral("onSourceError"), text(engine::toString(onSourceError)));
    s.setValue(QStringLiteral("onTargetError"), text(engine::toString(onTargetError)));
    s.setValue(QStringLiteral("unmap"), unmap);
    s.setValue(QStringLiteral("verify"), verify);
    s.setValue(QStringLiteral("maxFreezeSeconds"), maxFreezeSeconds);
    s.setValue(QStringLiteral("wipeRest"), wipeRest);
    s.endGroup();
}

} // namespace ui
