// drivemirror-cli in other languages: the text a person reads follows the
// locale, what programs read (--json, stdin commands) does not.
#include "cli_test_support.h"
#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QtTest>

#include <signal.h>

using namespace clitest;
using namespace testsupport;

class TestCliLocale : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // Languages.
    void locale_help_followsLanguage_data();
    void locale_help_followsLanguage();
    void locale_errorsAndInfo_german();
    void locale_info_japanese();
    void locale_mirrorText_german();
    void locale_json_sameStructureInEveryLocale();
    void locale_stdinCommands_englishInEveryLocale();
    void locale_qtCore_everyThreadBlocksCancelSignals();

private:
    QString bigSource() { return m_bigSource.path(); }
    BigSource m_bigSource;
};

void TestCliLocale::initTestCase()
{
    initCliSuite();
}

// ---------------------------------------------------------------------------
// Languages

void TestCliLocale::locale_help_followsLanguage_data()
{
    QTest::addColumn<QString>("language");
    QTest::addColumn<QString>("lang");
    QTest::addColumn<QString>("usage");
    QTest::addColumn<QStringList>("phrases");
    QTest::newRow("de") << QStringLiteral("de") << QStringLiteral("de_DE.UTF-8")
                        << QStringLiteral("Aufruf:")
                        << QStringList{QStringLiteral("Optionen von mirror:"),
                                       QStringLiteral("Exit-Codes: 0 wie verlangt erledigt"),
                                       QString::fromUtf8("SIGINT oder SIGTERM bricht ab.")};
    QTest::newRow("ja") << QString() << QStringLiteral("ja_JP.UTF-8")
                        << QString::fromUtf8("使い方:")
                        << QStringList{QString::fromUtf8("mirror のオプション:"),
                                       QString::fromUtf8("終了コード: 0 指示どおり終了")};
    QTest::newRow("C") << QString() << QStringLiteral("C") << QStringLiteral("Usage:")
                       << QStringList{QStringLiteral("Mirror options:"),
                                      QStringLiteral("Exit codes: 0 done as asked")};
    QTest::newRow("unknown language")
        << QString() << QStringLiteral("fr_FR.UTF-8") << QStringLiteral("Usage:")
        << QStringList{QStringLiteral("Mirror options:")};
}

void TestCliLocale::locale_help_followsLanguage()
{
    QFETCH(QString, language);
    QFETCH(QString, lang);
    QFETCH(QString, usage);
    QFETCH(QStringList, phrases);
    const auto r = cliInLocale(language, lang, {QStringLiteral("--help")});
    QCOMPARE(r.exitCode, kExitOk);
    QVERIFY2(r.out.startsWith(usage + QLatin1Char('\n')), qPrintable(r.out.left(200)));
    // Paragraphs are wrapped to the terminal: a phrase may cross a line end.
    const QString unwrapped = QString(r.out).replace(QLatin1Char('\n'), QLatin1Char(' '));
    for (const QString& phrase : phrases)
        QVERIFY2(unwrapped.contains(phrase), qPrintable(phrase + QStringLiteral("\n") + r.out));
    // Option names and stdin commands are the same words in every language.
    for (const char* word : {"--sync full|top|none", "--complete-when-ready", "--json",
                             "--on-source-error P", "speed RATE", "BLOCK_JOB_PROGRESS"})
        QVERIFY2(r.out.contains(QLatin1String(word)), word);
    // Wrapped for a terminal of 80 columns (the synopsis excepted), also in
    // Japanese, whose characters take two columns each.
    const QStringList lines = r.out.split(QLatin1Char('\n'));
    for (const QString& line : lines) {
        if (line.startsWith(QLatin1String("  drivemirror-cli ")))
            continue;
        int width = 0;
        for (const char32_t c : line.toUcs4())
            width +=
                (c >= 0x1100 &&
                 (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
                  (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) ||
                  (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6)))
                    ? 2
                    : 1;
        QVERIFY2(width <= 80, qPrintable(line));
    }
}

void TestCliLocale::locale_errorsAndInfo_german()
{
    const QString de = QStringLiteral("de_DE.UTF-8");
    // A sentence of the CLI's own, after the prefix that stays.
    auto r = cliInLocale(QStringLiteral("de"), de, {QStringLiteral("frobnicate")});
    QCOMPARE(r.exitCode, kExitBadInput);
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("unbekannter Befehl 'frobnicate'")),
             qPrintable(show(r)));

    // An engine message stays English inside the CLI's translated sentence.
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString small = dir.file(QStringLiteral("small.img"));
    QVERIFY(makeImage(src, 16 * kMiB + 4096, {{kMiB, 2 * kMiB, false, 7}}));
    QVERIFY(createSparse(small, 4 * kMiB));
    r = cliInLocale(QStringLiteral("de"), de, {QStringLiteral("mirror"), src, small});
    QCOMPARE(r.exitCode, kExitBadInput);
    QVERIFY2(isOneLineError(r.err), qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("(rule: target too small)")), qPrintable(show(r)));

    // Sizes with the German decimal comma and digit grouping.
    r = cliInLocale(QStringLiteral("de"), de, {QStringLiteral("info"), src});
    QCOMPARE(r.exitCode, kExitOk);
    QVERIFY2(r.out.contains(QString::fromUtf8("Größe:")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("16,0 MiB (16.781.312 Bytes)")), qPrintable(r.out));
    QVERIFY2(r.out.contains(QStringLiteral("2,00 MiB in 1 Bereich")), qPrintable(r.out));
    // The values line up after the widest label.
    const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    const qsizetype column = lines.first().indexOf(src);
    QVERIFY(column > 0);
    for (const QString& line : lines)
        QVERIFY2(line.size() > column && line.at(column - 1) == QLatin1Char(' ') &&
                     line.at(column) != QLatin1Char(' '),
                 qPrintable(r.out));
    // --json stays as it is.
    const auto json = cliInLocale(QStringLiteral("de"), de,
                                  {QStringLiteral("info"), src, QStringLiteral("--json")});
    const auto english = cli({QStringLiteral("info"), src, QStringLiteral("--json")});
    QCOMPARE(json.out, english.out);
}

void TestCliLocale::locale_info_japanese()
{
    ScratchDir dir;
    const QString img = dir.file(QStringLiteral("img.img"));
    QVERIFY(makeImage(img, 3 * kMiB / 2, {{0, kMiB / 2, false, 9}}));
    const auto r = cliInLocale({}, QStringLiteral("ja_JP.UTF-8"), {QStringLiteral("info"), img});
    QCOMPARE(r.exitCode, kExitOk);
    for (const char* phrase : {"パス:", "種類:", "イメージファイル", "サイズ:", "1.50 MiB",
                               "（1,572,864 バイト）", "既定の粒度:"})
        QVERIFY2(r.out.contains(QString::fromUtf8(phrase)), qPrintable(r.out));
    const auto bad = cliInLocale({}, QStringLiteral("ja_JP.UTF-8"), {});
    QCOMPARE(bad.exitCode, kExitBadInput);
    QVERIFY2(isOneLineError(bad.err), qPrintable(show(bad)));
    QVERIFY2(bad.err.contains(QString::fromUtf8("コマンドがありません")), qPrintable(show(bad)));
}

void TestCliLocale::locale_mirrorText_german()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeImage(src, 8 * kMiB, {{0, 2 * kMiB, false, 21}}));
    const auto r =
        cliInLocale(QStringLiteral("de"), QStringLiteral("de_DE.UTF-8"),
                    {QStringLiteral("mirror"), src, dst, QStringLiteral("--complete-when-ready"),
                     QStringLiteral("--verify")});
    QVERIFY2(r.exitCode == kExitOk, qPrintable(show(r)));
    QVERIFY(cmpIdentical(src, dst));
    // The logger's level prefix is what the desktop app parses: it stays.
    QVERIFY2(r.err.contains(QStringLiteral("info: READY: %1 und %2 sind synchron").arg(src, dst)),
             qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("info: abgeschlossen: 8,00 MiB verarbeitet")),
             qPrintable(show(r)));
    QVERIFY2(r.err.contains(QStringLiteral("identisch: %1 und %2 stimmen ").arg(src, dst)),
             qPrintable(show(r)));
    for (const QString& line : r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
        QVERIFY2(line.startsWith(QLatin1String("info: ")) ||
                     line.startsWith(QLatin1String("identisch: ")),
                 qPrintable(line));
}

void TestCliLocale::locale_json_sameStructureInEveryLocale()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    QVERIFY(makeImage(src, 16 * kMiB, {{0, 4 * kMiB, false, 31}, {8 * kMiB, kMiB, true}}));
    QMap<QString, QStringList> structures;
    QMap<QString, QList<QJsonObject>> objects;
    const QList<QPair<QString, QString>> locales = {
        {QString(), QStringLiteral("C")},
        {QStringLiteral("de"), QStringLiteral("de_DE.UTF-8")},
        {QString(), QStringLiteral("ja_JP.UTF-8")}};
    for (const auto& [language, lang] : locales) {
        const QString dst = dir.file(QStringLiteral("dst-%1.img").arg(lang));
        const auto r =
            cliInLocale(language, lang,
                        {QStringLiteral("mirror"), src, dst, QStringLiteral("--json"),
                         QStringLiteral("--complete-when-ready"), QStringLiteral("--verify")});
        QVERIFY2(r.exitCode == kExitOk, qPrintable(lang + QLatin1Char('\n') + show(r)));
        const auto json = parseJsonLines(r.out);
        // A decimal comma would make the numbers invalid JSON.
        QVERIFY2(json.bad.isEmpty(), qPrintable(lang + QLatin1Char('\n') + show(r)));
        structures[lang] = jsonStructure(json.objects);
        objects[lang] = json.objects;
        // stderr: only the logger's lines, their prefix untranslated.
        for (const QString& line : r.err.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            QVERIFY2(line.startsWith(QLatin1String("info: ")) ||
                         line.startsWith(QLatin1String("warning: ")),
                     qPrintable(lang + QStringLiteral(": ") + line));
    }
    QCOMPARE(structures[QStringLiteral("de_DE.UTF-8")], structures[QStringLiteral("C")]);
    QCOMPARE(structures[QStringLiteral("ja_JP.UTF-8")], structures[QStringLiteral("C")]);
    for (const QString& lang : objects.keys()) {
        QCOMPARE(withoutTrailingNull(statusSequence(objects[lang])),
                 (QStringList{QStringLiteral("running"), QStringLiteral("ready"),
                              QStringLiteral("waiting"), QStringLiteral("pending"),
                              QStringLiteral("concluded")}));
        const QJsonObject done = lastEvent(objects[lang]);
        QVERIFY(isEvent(done, QStringLiteral("BLOCK_JOB_COMPLETED")));
        const auto d = done.value(QStringLiteral("data")).toObject();
        QCOMPARE(d.value(QStringLiteral("outcome")), QJsonValue(QStringLiteral("completed")));
        QVERIFY(d.value(QStringLiteral("elapsed")).isDouble());
        QCOMPARE(dataInt(done, "offset"), qint64(16 * kMiB));
    }
}

void TestCliLocale::locale_stdinCommands_englishInEveryLocale()
{
    ScratchDir dir;
    const QString src = dir.file(QStringLiteral("src.img"));
    const QString dst = dir.file(QStringLiteral("dst.img"));
    QVERIFY(makeImage(src, 8 * kMiB, {{0, kMiB, false, 41}}));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("LC_ALL"));
    env.insert(QStringLiteral("LANGUAGE"), QStringLiteral("de"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("de_DE.UTF-8"));
    CliSession s;
    s.setEnvironment(env);
    QVERIFY(s.start({QStringLiteral("mirror"), src, dst, QStringLiteral("--json")}));
    QVERIFY2(s.waitForEvent(QStringLiteral("BLOCK_JOB_READY"), 30000) >= 0,
             qPrintable(s.transcript()));
    const auto bogus = s.command("frobnicate");
    QVERIFY2(bogus && bogus->contains(QStringLiteral("error")), qPrintable(s.transcript()));
    QVERIFY2(bogus->value(QStringLiteral("error"))
                 .toObject()
                 .value(QStringLiteral("desc"))
                 .toString()
                 .startsWith(QStringLiteral("unknown command 'frobnicate'")),
             qPrintable(s.transcript()));
    const auto st = s.status();
    QVERIFY2(st && st->value(QStringLiteral("status")) == QJsonValue(QStringLiteral("ready")),
             qPrintable(s.transcript()));
    const auto done = s.command("complete");
    QVERIFY2(done && done->contains(QStringLiteral("return")), qPrintable(s.transcript()));
    s.closeStdin();
    QCOMPARE(s.finish(30000), kExitOk);
    QVERIFY2(isEvent(lastEvent(s.lines()), QStringLiteral("BLOCK_JOB_COMPLETED")),
             qPrintable(s.transcript()));
    QVERIFY(s.badLines().isEmpty());
}

// The QCoreApplication the CLI creates for its translations must not start a
// thread before SIGINT and SIGTERM are blocked: every thread of a running
// job has them blocked, so they reach the signalfd and cancel the job.
void TestCliLocale::locale_qtCore_everyThreadBlocksCancelSignals()
{
    const QString src = bigSource();
    QVERIFY(!src.isEmpty());
    ScratchDir dir;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("LC_ALL"));
    env.insert(QStringLiteral("LANG"), QStringLiteral("de_DE.UTF-8"));
    CliSession s;
    s.setEnvironment(env);
    QVERIFY(s.start({QStringLiteral("mirror"), src, dir.file(QStringLiteral("dst.img")),
                     QStringLiteral("--json"), QStringLiteral("--speed"), QStringLiteral("8M")}));
    QVERIFY2(s.waitForStatus(QStringLiteral("running"), 20000) >= 0, qPrintable(s.transcript()));
    const QDir tasks(QStringLiteral("/proc/%1/task").arg(s.pid()));
    const QStringList threads = tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QVERIFY(!threads.isEmpty());
    constexpr quint64 kCancel = (quint64(1) << (SIGINT - 1)) | (quint64(1) << (SIGTERM - 1));
    for (const QString& t : threads) {
        QFile status(tasks.filePath(t + QStringLiteral("/status")));
        QVERIFY(status.open(QIODevice::ReadOnly));
        const QString text = QString::fromLatin1(status.readAll());
        static const QRegularExpression re(QStringLiteral("SigBlk:\\s*([0-9a-f]+)"));
        const auto m = re.match(text);
        QVERIFY2(m.hasMatch(), qPrintable(text));
        const quint64 blocked = m.captured(1).toULongLong(nullptr, 16);
        QVERIFY2((blocked & kCancel) == kCancel, qPrintable(t + QStringLiteral(": ") + text));
    }
    QVERIFY(::kill(static_cast<pid_t>(s.pid()), SIGINT) == 0);
    QCOMPARE(s.finish(20000), kExitAborted);
}

QTEST_GUILESS_MAIN(TestCliLocale)
#include "tst_cli_locale.moc"
