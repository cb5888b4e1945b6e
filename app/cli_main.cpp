// drivemirror-cli's entry point. A QCoreApplication exists only because
// translations need one (QCoreApplication::translate asks the instance's
// translators): no event loop ever runs, and creating it starts no thread, so
// cli::run still blocks SIGINT and SIGTERM before the first thread exists.
#include "cli.h"
#include "translations.h"

#include <QCoreApplication>

#include <clocale>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    // QCoreApplication has applied the environment's locale to the C library
    // (setlocale(LC_ALL, "")). What programs read must not follow it: JSON
    // numbers are printed with "%.3f", numbers are parsed with strtod, and
    // errno texts in engine messages stay English. Back to the C locale; what
    // a person reads is localised through QLocale and the translations, which
    // read LANGUAGE, LC_* and LANG themselves.
    std::setlocale(LC_ALL, "C");
    l10n::installTranslations(app, l10n::QtStrings::Excluded);
    return cli::run(argc, argv);
}
