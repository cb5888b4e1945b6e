// The language DriveMirror speaks, for both programs: translations/*.ts are
// compiled and embedded under :/i18n/, and the one that matches the user's
// UI languages (QLocale().uiLanguages(), which Qt reads from LANGUAGE,
// LC_ALL, LC_MESSAGES and LANG) is installed on the application. QtCore only.
#pragma once

class QCoreApplication;

namespace l10n {

/// Whether Qt's own strings (standard buttons, file dialogs, context menus)
/// are translated too, from the system's qtbase_<lang>.qm.
enum class QtStrings { Excluded, Included };

/// Installs DriveMirror's translation for QLocale()'s UI languages and, with
/// QtStrings::Included, Qt's own from QLibraryInfo::TranslationsPath when it
/// is installed (Debian: qt6-translations-l10n). The translators are children
/// of @p app. Returns whether a DriveMirror translation was loaded: false for
/// English and for languages without one, which then read the English source.
bool installTranslations(QCoreApplication& app, QtStrings qt);

} // namespace l10n
