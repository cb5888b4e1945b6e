// The real main window in German and in Japanese: the compiled translations
// load, the window's texts are translated, every accelerator of the window is
// unique, sizes follow the locale, and the German layout still fits a
// 1366x768 screen.
#include "device_list_model.h"
#include "fake_job_controller.h"
#include "format.h"
#include "gui_test_support.h"
#include "main_window.h"
#include "status_panel.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QGroupBox>
#include <QHash>
#include <QLabel>
#include <QLocale>
#include <QMenuBar>
#include <QTest>
#include <QTranslator>

#include <memory>

namespace {

QString qmFile(const QString& lang)
{
    return QDir(qEnvironmentVariable("DRIVEMIRROR_QM_DIR"))
        .filePath(QStringLiteral("drivemirror_%1.qm").arg(lang));
}

QStringList menuTitles(ui::MainWindow& w)
{
    QStringList out;
    for (QAction* a : w.menuBar()->actions())
        out << a->text();
    return out;
}

QStringList groupTitles(ui::MainWindow& w)
{
    QStringList out;
    for (QGroupBox* g : w.findChildren<QGroupBox*>())
        out << g->title();
    return out;
}

bool anyComboHas(ui::MainWindow& w, const QString& item)
{
    for (QComboBox* c : w.findChildren<QComboBox*>())
        if (c->findText(item) >= 0)
            return true;
    return false;
}

bool anyLabelIs(ui::MainWindow& w, const QString& text)
{
    for (QLabel* l : w.findChildren<QLabel*>())
        if (l->text() == text)
            return true;
    return false;
}

// Alt+key shortcuts of the window itself: menu titles, buttons, and labels
// with a buddy. Duplicates make Alt+key cycle instead of act.
QStringList duplicateMnemonics(ui::MainWindow& w)
{
    QStringList texts = menuTitles(w);
    for (QAbstractButton* b : w.findChildren<QAbstractButton*>())
        texts << b->text();
    for (QLabel* l : w.findChildren<QLabel*>())
        if (l->buddy())
            texts << l->text();
    return uitest::mnemonicClashes(texts);
}

} // namespace

class TestMainWindowI18n : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTranslator> m_translator;

    void install(const QString& lang)
    {
        m_translator = std::make_unique<QTranslator>();
        QVERIFY2(m_translator->load(qmFile(lang)), qPrintable(qmFile(lang)));
        QVERIFY(QCoreApplication::installTranslator(m_translator.get()));
    }

private Q_SLOTS:
    void initTestCase() { uitest::isolateSettings(); }

    void cleanup()
    {
        if (m_translator)
            QCoreApplication::removeTranslator(m_translator.get());
        m_translator.reset();
        QLocale::setDefault(QLocale::c());
    }

    void german_textsTranslated_layoutFits()
    {
        install(QStringLiteral("de"));
        if (QTest::currentTestFailed())
            return;
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        ui::DeviceListModel devices;
        FakeJobController controller;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        QCOMPARE(menuTitles(w),
                 (QStringList{QStringLiteral("&Datei"), QStringLiteral("Spi&egelung"),
                              QStringLiteral("&Hilfe")}));
        const QStringList groups = groupTitles(w);
        for (const char* title : {"Einstellungen", "Änderungskarte", "Durchsatz", "Protokoll"})
            QVERIFY2(groups.contains(QString::fromUtf8(title)), title);
        auto* start = w.findChild<QAbstractButton*>(QStringLiteral("startButton"));
        QVERIFY(start);
        QCOMPARE(start->text(), QStringLiteral("&Starten"));
        auto* complete = w.findChild<QAbstractButton*>(QStringLiteral("completeButton"));
        QVERIFY(complete);
        QCOMPARE(complete->text(), QString::fromUtf8("&Abschließen"));
        auto* cancel = w.findChild<QAbstractButton*>(QStringLiteral("cancelButton"));
        QVERIFY(cancel);
        QCOMPARE(cancel->text(), QStringLiteral("Abbre&chen"));
        QVERIFY(anyLabelIs(w, QString::fromUtf8("&Granularität:")));
        QVERIFY(anyLabelIs(w, QStringLiteral("Geschwindigkeits&begrenzung:")));
        // Items built outside the class (context ui::JobSettingsWidget).
        QVERIFY(anyComboHas(w, QStringLiteral("Melden (Auftrag anhalten)")));
        QVERIFY(anyComboHas(w, QStringLiteral("Vollständig")));
        const QStringList dups = duplicateMnemonics(w);
        QVERIFY2(dups.isEmpty(), qPrintable(dups.join(u'\n')));

        // Sizes and rates with the German decimal comma.
        QCOMPARE(ui::Format::bytes(1536), QStringLiteral("1,50 KiB"));
        QCOMPARE(ui::Format::rate(1.5 * 1024 * 1024), QStringLiteral("1,50 MiB/s"));
        QCOMPARE(ui::Format::status(engine::JobStatus::Ready), QStringLiteral("Bereit: synchron"));

        // The longer German strings still fit a common laptop screen.
        const QSize min = w.minimumSizeHint().expandedTo(w.minimumSize());
        QVERIFY2(
            min.width() <= 1366 && min.height() <= 768,
            qPrintable(QStringLiteral("minimum size %1x%2").arg(min.width()).arg(min.height())));
    }

    void japanese_textsTranslated()
    {
        install(QStringLiteral("ja"));
        if (QTest::currentTestFailed())
            return;
        QLocale::setDefault(QLocale(QLocale::Japanese, QLocale::Japan));
        ui::DeviceListModel devices;
        FakeJobController controller;
        ui::MainWindow w(devices, controller, engine::nullLogger());
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        QCOMPARE(menuTitles(w),
                 (QStringList{QString::fromUtf8("ファイル(&F)"), QString::fromUtf8("ミラー(&M)"),
                              QString::fromUtf8("ヘルプ(&H)")}));
        const QStringList groups = groupTitles(w);
        for (const char* title : {"設定", "ダーティマップ", "スループット", "ログ"})
            QVERIFY2(groups.contains(QString::fromUtf8(title)), title);
        auto* start = w.findChild<QAbstractButton*>(QStringLiteral("startButton"));
        QVERIFY(start);
        QCOMPARE(start->text(), QString::fromUtf8("開始(&S)"));
        auto* complete = w.findChild<QAbstractButton*>(QStringLiteral("completeButton"));
        QVERIFY(complete);
        QCOMPARE(complete->text(), QString::fromUtf8("完了(&O)"));
        auto* cancel = w.findChild<QAbstractButton*>(QStringLiteral("cancelButton"));
        QVERIFY(cancel);
        QCOMPARE(cancel->text(), QString::fromUtf8("キャンセル(&C)"));
        QVERIFY(anyLabelIs(w, QString::fromUtf8("粒度(&G):")));
        QVERIFY(anyComboHas(w, QString::fromUtf8("報告（ジョブを停止）")));
        const QStringList dups = duplicateMnemonics(w);
        QVERIFY2(dups.isEmpty(), qPrintable(dups.join(u'\n')));
        QCOMPARE(ui::Format::status(engine::JobStatus::Ready),
                 QString::fromUtf8("準備完了: 同期済み"));

        const QSize min = w.minimumSizeHint().expandedTo(w.minimumSize());
        QVERIFY2(
            min.width() <= 1366 && min.height() <= 768,
            qPrintable(QStringLiteral("minimum size %1x%2").arg(min.width()).arg(min.height())));
    }
};

QTEST_MAIN(TestMainWindowI18n)
#include "tst_main_window_i18n.moc"
