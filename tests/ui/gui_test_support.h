// Helpers for the UI suites: isolated settings, a logger feeding a LogSink,
// image files, and finding the window's open dialogs.
#pragma once

#include "log_view.h"
#include "logging.h"

#include <QAbstractButton>
#include <QCoreApplication>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>

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

} // namespace uitest
