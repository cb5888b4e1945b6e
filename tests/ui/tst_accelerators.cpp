// Alt+key in the main window, in English, German and Japanese: no two visible
// menu titles, buttons, check boxes, group boxes or labels with a buddy share
// a mnemonic, in every state the buttons can be in (Pause becomes Resume);
// and inside each menu no two items share one. Two widgets with one letter
// make Alt+letter cycle between them instead of acting.
#include "device_list_model.h"
#include "fake_job_controller.h"
#include "gui_test_support.h"
#include "main_window.h"

#include <QAbstractButton>
#include <QDir>
#include <QGroupBox>
#include <QHash>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QTest>
#include <QTranslator>

#include <memory>

namespace {

// What Alt+key reaches with no menu open: the menu bar's titles and every
// visible widget that takes a mnemonic from its text.
QStringList windowTexts(ui::MainWindow& w)
{
    QStringList texts;
    for (QAction* a : w.menuBar()->actions())
        if (a->isVisible())
            texts << a->text();
    for (QAbstractButton* b : w.findChildren<QAbstractButton*>())
        if (b->isVisibleTo(&w))
            texts << b->text();
    for (QGroupBox* g : w.findChildren<QGroupBox*>())
        if (g->isVisibleTo(&w))
            texts << g->title();
    for (QLabel* l : w.findChildren<QLabel*>())
        if (l->buddy() && l->isVisibleTo(&w))
            texts << l->text();
    return texts;
}

// Clashes in the window and inside each menu, prefixed with where.
QStringList allClashes(ui::MainWindow& w, const QString& state)
{
    QStringList out;
    for (const QString& c : uitest::mnemonicClashes(windowTexts(w)))
        out << state + QStringLiteral(", window: ") + c;
    for (QAction* title : w.menuBar()->actions()) {
        QMenu* menu = title->menu();
        if (!menu)
            continue;
        QStringList items;
        for (QAction* a : menu->actions())
            if (a->isVisible() && !a->isSeparator())
                items << a->text();
        for (const QString& c : uitest::mnemonicClashes(items))
            out << state + QStringLiteral(", menu ") + title->text() + QStringLiteral(": ") + c;
    }
    return out;
}

int countMnemonics(const QStringList& texts)
{
    int n = 0;
    for (const QString& t : texts)
        n += uitest::mnemonic(t).isNull() ? 0 : 1;
    return n;
}

} // namespace

class TestAccelerators : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { uitest::isolateSettings(); }

    void mainWindow_mnemonicsUnique_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("en") << QString();
        QTest::newRow("de") << QStringLiteral("de");
        QTest::newRow("ja") << QStringLiteral("ja");
    }

    void mainWindow_mnemonicsUnique()
    {
        QFETCH(QString, language);
        QTranslator translator;
        if (!language.isEmpty()) {
            const QString qm = QDir(qEnvironmentVariable("DRIVEMIRROR_QM_DIR"))
                                   .filePath(QStringLiteral("drivemirror_%1.qm").arg(language));
            QVERIFY2(translator.load(qm), qPrintable(qm));
            QVERIFY(QCoreApplication::installTranslator(&translator));
        }
        {
            ui::DeviceListModel devices;
            FakeJobController controller;
            ui::MainWindow w(devices, controller, engine::nullLogger());
            w.show();
            QVERIFY(QTest::qWaitForWindowExposed(&w));

            // The check must see the window's mnemonics at all: menus,
            // the four buttons and the settings' labels.
            QVERIFY2(countMnemonics(windowTexts(w)) >= 12, qPrintable(windowTexts(w).join(u'\n')));

            QStringList problems = allClashes(w, QStringLiteral("idle"));
            controller.active = true;
            controller.setStatus(engine::JobStatus::Running);
            problems << allClashes(w, QStringLiteral("copying"));
            controller.setStatus(engine::JobStatus::Paused);
            // Pause has become Resume: a letter of its own too.
            auto* pause = w.findChild<QAbstractButton*>(QStringLiteral("pauseButton"));
            QVERIFY(pause);
            QVERIFY2(!uitest::mnemonic(pause->text()).isNull(), qPrintable(pause->text()));
            problems << allClashes(w, QStringLiteral("paused"));
            controller.setStatus(engine::JobStatus::Ready);
            problems << allClashes(w, QStringLiteral("ready"));
            QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        }
        if (!language.isEmpty())
            QCoreApplication::removeTranslator(&translator);
    }

    // The check itself: a clash is found, "&&" is no mnemonic, case does not
    // matter, and Japanese "(&S)" counts as S.
    void clashes_detected()
    {
        QCOMPARE(uitest::mnemonicClashes({QStringLiteral("&Start"), QStringLiteral("&sync mode:")})
                     .size(),
                 1);
        QCOMPARE(uitest::mnemonicClashes({QStringLiteral("&Start"), QStringLiteral("S&ync mode:")})
                     .size(),
                 0);
        QCOMPARE(
            uitest::mnemonicClashes({QStringLiteral("Save && &Quit"), QStringLiteral("&Start")})
                .size(),
            0);
        QCOMPARE(uitest::mnemonicClashes({QString::fromUtf8("開始(&S)"), QStringLiteral("&Sync")})
                     .size(),
                 1);
    }
};

QTEST_MAIN(TestAccelerators)
#include "tst_accelerators.moc"
