// Helpers for the UI suites: isolated settings, a logger feeding a LogSink,
// image files, and finding the window's open dialogs.
#pragma once

#include "base/logging.h"
#include "log_view.h"

#include <QAbstractButton>
#include <QCoreApplication>
#include <QHash>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QStringList>

#include <spdlog/logger.h>

#include <memory>

namespace uitest {

/// Settings go to a test location and start from the defaults.
inline void isolateSettings()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("DriveMirrorTests"));
    QCoreApplication::setApplicationName(QStringLiteral("drivemirror-tests"));
    QSettings().clear();
}

/// A logger whose messages go to @p sink (info and above).
inline engine::Logger loggerFor(const std::shared_ptr<ui::LogSink>& sink)
{
    auto log = std::make_shared<spdlog::logger>("test", sink);
    log->set_level(spdlog::level::info);
    return log;
}

/// The button of @p box with @p role (the first one).
inline QAbstractButton* buttonWithRole(QMessageBox* box, QMessageBox::ButtonRole role)
{
    for (QAbstractButton* b : box->buttons())
        if (box->buttonRole(b) == role)
            return b;
    return nullptr;
}

/// The character after a single '&', lowercased; null when there is none.
inline QChar mnemonic(const QString& text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != u'&')
            continue;
        if (text[i + 1] == u'&') {
            ++i;
            continue;
        }
        return text[i + 1].toLower();
    }
    return {};
}

/// Texts that share a mnemonic, one line per letter: "s: &Start / &Sync
/// mode:". Duplicates make Alt+key cycle between widgets instead of act.
inline QStringList mnemonicClashes(const QStringList& texts)
{
    QHash<QChar, QStringList> byKey;
    for (const QString& t : texts)
        if (const QChar m = mnemonic(t); !m.isNull())
            byKey[m] << t;
    QStringList out;
    for (auto it = byKey.cbegin(); it != byKey.cend(); ++it)
        if (it.value().size() > 1)
            out << QString(it.key()) + QStringLiteral(": ") +
                       it.value().join(QStringLiteral(" / "));
    out.sort();
    return out;
}

} // namespace uitest
