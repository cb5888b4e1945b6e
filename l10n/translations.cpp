#include "translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace l10n {

namespace {

bool install(QCoreApplication& app, const QString& name, const QString& directory)
{
    auto* translator = new QTranslator(&app);
    // Tries name_<lang>.qm for each of the locale's UI languages in turn
    // ("de-DE" as de_DE, then de); none for English, C or POSIX.
    if (translator->load(QLocale(), name, QStringLiteral("_"), directory) &&
        QCoreApplication::installTranslator(translator))
        return true;
    delete translator;
    return false;
}

} // namespace

bool installTranslations(QCoreApplication& app, QtStrings qt)
{
    if (qt == QtStrings::Included)
        install(app, QStringLiteral("qtbase"), QLibraryInfo::path(QLibraryInfo::TranslationsPath));
    return install(app, QStringLiteral("drivemirror"), QStringLiteral(":/i18n"));
}

} // namespace l10n
