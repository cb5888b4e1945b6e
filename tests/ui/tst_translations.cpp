// The shipped translations are complete: every message of every .ts file is
// translated (no unfinished, obsolete or vanished entries, placeholders and
// accelerators kept), lupdate run over the sources today finds no string the
// .ts files lack, and those sources are every file with a tr() in it: the
// window's, the CLI's (app/cli.cpp) and the shared formatter's.
#include "translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

namespace {

struct Message
{
    QString context;
    QString source;
    QString type; // of the <translation> element: "", "unfinished", "obsolete", "vanished"
    QStringList translations; // one, or the numerus forms
};

QList<Message> readTs(const QString& path, QString* error)
{
    QList<Message> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return out;
    }
    QXmlStreamReader xml(&file);
    QString context;
    Message current;
    bool inMessage = false;
    bool numerus = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == u"name" && !inMessage) {
                context = xml.readElementText();
            } else if (name == u"message") {
                inMessage = true;
                numerus = xml.attributes().value(QLatin1String("numerus")) == u"yes";
                current = Message{context, {}, {}, {}};
            } else if (name == u"source" && inMessage) {
                current.source = xml.readElementText();
            } else if (name == u"translation" && inMessage) {
                current.type = xml.attributes().value(QLatin1String("type")).toString();
                if (!numerus) // else <numerusform> children follow
                    current.translations << xml.readElementText();
            } else if (name == u"numerusform" && inMessage) {
                current.translations << xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == u"message") {
            inMessage = false;
            out << current;
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return out;
}

QStringList envList(const char* name)
{
    return qEnvironmentVariable(name).split(u':', Qt::SkipEmptyParts);
}

QString describe(const Message& m)
{
    return m.context + QStringLiteral(": \"") + m.source + u'"';
}

QStringList placeholders(const QString& text)
{
    static const QRegularExpression re(QStringLiteral("%(\\d+|n)"));
    QStringList out;
    for (auto it = re.globalMatch(text); it.hasNext();)
        out << it.next().captured(0);
    out.sort();
    return out;
}

// The accelerator of a text ("&File" -> 'f'); none for "&&" or a trailing '&'.
bool hasAccelerator(const QString& text)
{
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != u'&')
            continue;
        if (text[i + 1] == u'&') {
            ++i;
            continue;
        }
        return !text[i + 1].isSpace();
    }
    return false;
}

// The words of the CLI a program or a script reads: option names, job events,
// the READY state and quoted stdin commands. A translation keeps them.
QStringList protocolWords(const QString& text)
{
    static const QRegularExpression re(
        QStringLiteral("--[a-z][a-z-]*|BLOCK_JOB_[A-Z_]+|\\bREADY\\b|'[a-z]+'"));
    QStringList out;
    for (auto it = re.globalMatch(text); it.hasNext();)
        out << it.next().captured(0);
    out.removeDuplicates();
    return out;
}

// The project's root, from a .ts file's path (translations/NAME.ts).
QString projectRoot()
{
    const QStringList ts = envList("DRIVEMIRROR_TS_FILES");
    return ts.isEmpty() ? QString()
                        : QFileInfo(ts.first()).dir().absoluteFilePath(QStringLiteral(".."));
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (envList("DRIVEMIRROR_TS_FILES").isEmpty())
            QFAIL("DRIVEMIRROR_TS_FILES is not set (run through ctest)");
    }

    void tsFiles_data()
    {
        QTest::addColumn<QString>("path");
        for (const QString& ts : envList("DRIVEMIRROR_TS_FILES"))
            QTest::newRow(qPrintable(QFileInfo(ts).fileName())) << ts;
    }

    void tsFiles_everyMessageTranslated_data() { tsFiles_data(); }
    void tsFiles_everyMessageTranslated()
    {
        QFETCH(QString, path);
        QString error;
        const QList<Message> messages = readTs(path, &error);
        QVERIFY2(error.isEmpty(), qPrintable(path + QStringLiteral(": ") + error));
        QVERIFY2(messages.size() > 100, qPrintable(path + QStringLiteral(": too few messages")));
        const bool japanese = path.endsWith(QLatin1String("_ja.ts"));
        QStringList problems;
        for (const Message& m : messages) {
            if (!m.type.isEmpty()) {
                problems << m.type + QStringLiteral(" ") + describe(m);
                continue;
            }
            if (m.translations.isEmpty()) {
                problems << QStringLiteral("empty ") + describe(m);
                continue;
            }
            for (const QString& t : m.translations) {
                if (t.trimmed().isEmpty())
                    problems << QStringLiteral("empty ") + describe(m);
                QStringList expected = placeholders(m.source);
                QStringList got = placeholders(t);
                // A numerus form may leave out %n (e.g. "one file").
                if (m.translations.size() > 1) {
                    expected.removeAll(QStringLiteral("%n"));
                    got.removeAll(QStringLiteral("%n"));
                }
                if (expected != got)
                    problems << QStringLiteral("placeholders differ in ") + describe(m) +
                                    QStringLiteral(" -> \"") + t + u'"';
                if (hasAccelerator(m.source) != hasAccelerator(t))
                    problems << QStringLiteral("accelerator differs in ") + describe(m) +
                                    QStringLiteral(" -> \"") + t + u'"';
                static const QRegularExpression jaAccel(QStringLiteral("\\(&[A-Z0-9]\\)"));
                if (japanese && hasAccelerator(t) && !t.contains(jaAccel))
                    problems << QStringLiteral("Japanese accelerator not as (&X) in ") +
                                    describe(m) + QStringLiteral(" -> \"") + t + u'"';
                if (m.source.count(u'\n') != t.count(u'\n'))
                    problems << QStringLiteral("line breaks differ in ") + describe(m);
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    // What both programs call at start: the embedded translation for the
    // locale's language (none for English), and Qt's own when installed.
    void installTranslations_followsLocale_data()
    {
        QTest::addColumn<QString>("locale");
        QTest::addColumn<bool>("loaded");
        QTest::addColumn<QString>("usage");
        QTest::addColumn<QString>("qtCancel");
        QTest::newRow("de_DE") << QStringLiteral("de_DE") << true << QStringLiteral("Aufruf:")
                               << QStringLiteral("Abbrechen");
        QTest::newRow("ja_JP") << QStringLiteral("ja_JP") << true << QString::fromUtf8("使い方:")
                               << QString::fromUtf8("キャンセル");
        QTest::newRow("en_US") << QStringLiteral("en_US") << false << QStringLiteral("Usage:")
                               << QStringLiteral("Cancel");
        QTest::newRow("C") << QStringLiteral("C") << false << QStringLiteral("Usage:")
                           << QStringLiteral("Cancel");
    }
    void installTranslations_followsLocale()
    {
        QFETCH(QString, locale);
        QFETCH(bool, loaded);
        QFETCH(QString, usage);
        QFETCH(QString, qtCancel);
        QLocale::setDefault(QLocale(locale));
        auto* app = QCoreApplication::instance();
        QCOMPARE(l10n::installTranslations(*app, l10n::QtStrings::Excluded), loaded);
        QCOMPARE(QCoreApplication::translate("cli", "Usage:"), usage);
        // The desktop app's strings come from the same file.
        QCOMPARE(QCoreApplication::translate("ui::MainWindow", "Settings").isEmpty(), false);
        const bool haveQt =
            QFileInfo::exists(QDir(QLibraryInfo::path(QLibraryInfo::TranslationsPath))
                                  .filePath(QStringLiteral("qtbase_de.qm")));
        l10n::installTranslations(*app, l10n::QtStrings::Included);
        if (haveQt)
            QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), qtCancel);
        for (QTranslator* t : app->findChildren<QTranslator*>()) {
            QCoreApplication::removeTranslator(t);
            delete t;
        }
        QLocale::setDefault(QLocale::c());
        if (!haveQt)
            QSKIP("Qt's own translations are not installed (qt6-translations-l10n)");
    }

    // lupdate reads every file that has user-visible strings: each .cpp and
    // .h under app/, ui/ and l10n/, their subfolders too, that calls tr() or
    // translate() is among DRIVEMIRROR_I18N_SOURCES, among them the CLI's.
    void sources_everyTranslatableFileScanned()
    {
        const QDir root(projectRoot());
        QVERIFY2(root.exists(QStringLiteral("app/cli/text.cpp")), qPrintable(root.path()));
        QStringList scanned;
        for (const QString& f : envList("DRIVEMIRROR_I18N_SOURCES"))
            scanned << QFileInfo(f).canonicalFilePath();
        QVERIFY(scanned.contains(
            QFileInfo(root.filePath(QStringLiteral("app/cli/text.cpp"))).canonicalFilePath()));
        static const QRegularExpression call(
            QStringLiteral("\\btr\\(\"|translate\\(\\s*\"|Q_DECLARE_TR_FUNCTIONS"));
        QStringList unscanned;
        int withStrings = 0;
        for (const char* dir : {"app", "ui", "l10n"}) {
            QDirIterator it(root.filePath(QLatin1String(dir)),
                            {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = QFileInfo(it.next()).canonicalFilePath();
                QFile f(path);
                QVERIFY(f.open(QIODevice::ReadOnly));
                if (!QString::fromUtf8(f.readAll()).contains(call))
                    continue;
                ++withStrings;
                if (!scanned.contains(path))
                    unscanned << root.relativeFilePath(path);
            }
        }
        QVERIFY2(withStrings > 10, "too few files with tr() found: wrong project root?");
        QVERIFY2(unscanned.isEmpty(),
                 qPrintable(QStringLiteral("files with tr() that lupdate does not read:\n") +
                            unscanned.join(u'\n')));
    }

    // The CLI's strings (context "cli") are there, and their translations
    // keep what programs read: option names, BLOCK_JOB_ events, READY and
    // quoted stdin commands.
    void tsFiles_cliTranslatedKeepsProtocolWords_data() { tsFiles_data(); }
    void tsFiles_cliTranslatedKeepsProtocolWords()
    {
        QFETCH(QString, path);
        QString error;
        const QList<Message> messages = readTs(path, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        int cli = 0;
        QStringList problems;
        for (const Message& m : messages) {
            if (m.context != QLatin1String("cli"))
                continue;
            ++cli;
            for (const QString& t : m.translations)
                for (const QString& word : protocolWords(m.source))
                    if (!t.contains(word))
                        problems << word + QStringLiteral(" missing in ") + describe(m) +
                                        QStringLiteral(" -> \"") + t + u'"';
        }
        QVERIFY2(cli >= 100, qPrintable(QStringLiteral("only %1 CLI messages").arg(cli)));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    // lupdate over today's sources into a copy: a string the .ts lacks comes
    // out unfinished, one the sources no longer have comes out vanished.
    void tsFiles_matchTheSources_data() { tsFiles_data(); }
    void tsFiles_matchTheSources()
    {
        QFETCH(QString, path);
        const QString lupdate = qEnvironmentVariable("DRIVEMIRROR_LUPDATE");
        const QStringList sources = envList("DRIVEMIRROR_I18N_SOURCES");
        QVERIFY2(QFileInfo(lupdate).isExecutable(), "DRIVEMIRROR_LUPDATE is not set");
        QVERIFY(!sources.isEmpty());

        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString copy = tmp.filePath(QFileInfo(path).fileName());
        QVERIFY(QFile::copy(path, copy));
        QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);

        QStringList args = sources;
        for (const QString& dir : envList("DRIVEMIRROR_I18N_INCLUDES"))
            args << QStringLiteral("-I") + dir;
        args << QStringLiteral("-locations") << QStringLiteral("none") << QStringLiteral("-ts")
             << copy;
        QProcess p;
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(lupdate, args);
        QVERIFY(p.waitForFinished(60000));
        const QString output = QString::fromLocal8Bit(p.readAll());
        QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, qPrintable(output));

        QString error;
        const QList<Message> before = readTs(path, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const QList<Message> after = readTs(copy, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));

        QStringList missing, stale;
        for (const Message& m : after) {
            if (m.type == QLatin1String("unfinished"))
                missing << describe(m);
            else if (m.type == QLatin1String("vanished") || m.type == QLatin1String("obsolete"))
                stale << describe(m);
        }
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("strings in the sources but not translated in ") +
                            QFileInfo(path).fileName() +
                            QStringLiteral(" (build update_translations, then translate):\n") +
                            missing.join(u'\n')));
        QVERIFY2(stale.isEmpty(),
                 qPrintable(QStringLiteral("strings in ") + QFileInfo(path).fileName() +
                            QStringLiteral(" that the sources no longer have:\n") +
                            stale.join(u'\n')));
        QCOMPARE(after.size(), before.size());
    }
};

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
