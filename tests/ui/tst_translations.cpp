// The shipped translations are complete: every message of every .ts file is
// translated (no unfinished, obsolete or vanished entries, placeholders and
// accelerators kept), and lupdate run over the sources today finds no string
// the .ts files lack.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
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
