// The compiled-in icons: every SVG under :/icons is well-formed, self-contained
// (no scripts, no text, nothing fetched from outside), drawn in the 16x16 box
// of the set and renders; the .qrc lists every file of resources/icons; every
// icon path the sources name exists; and the status panel shows the icon of
// the job's state, rendered for the screen's device pixel ratio.
#include "resources.h"
#include "status_panel.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QIcon>
#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QSet>
#include <QSvgRenderer>
#include <QTest>
#include <QXmlStreamReader>

#include <algorithm>
#include <cstdlib>

using engine::JobStatus;
using ui::StatusPanel;
using StateIcon = ui::StatusPanel::StateIcon;
using Tone = ui::StatusPanel::Tone;

Q_DECLARE_METATYPE(engine::JobStatus)
Q_DECLARE_METATYPE(StateIcon)
Q_DECLARE_METATYPE(Tone)

namespace {

// The application icon is drawn for 64 px (window, menus, the package's
// hicolor icons); every other icon belongs to the 16 px set.
const QString kAppIcon = QStringLiteral("drivemirror.svg");

QString sourceDir()
{
    return QStringLiteral(DRIVEMIRROR_SOURCE_DIR);
}

QStringList resourceIcons()
{
    QStringList names;
    QDirIterator it(QStringLiteral(":/icons"), {QStringLiteral("*.svg")}, QDir::Files);
    while (it.hasNext()) {
        it.next();
        names << it.fileName();
    }
    names.sort();
    return names;
}

int opaquePixels(const QImage& image)
{
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (qAlpha(image.pixel(x, y)) > 0)
                ++n;
    return n;
}

// Largest difference of any channel of any pixel (same size and format).
int maxDifference(const QImage& a, const QImage& b)
{
    if (a.size() != b.size())
        return 256;
    int worst = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = a.pixel(x, y);
            const QRgb q = b.pixel(x, y);
            worst = std::max({worst, std::abs(qRed(p) - qRed(q)), std::abs(qGreen(p) - qGreen(q)),
                              std::abs(qBlue(p) - qBlue(q)), std::abs(qAlpha(p) - qAlpha(q))});
        }
    return worst;
}

// "url(#id)" is a reference inside the file; any other url() or href is not.
bool externalReference(const QString& value)
{
    static const QRegularExpression url(QStringLiteral("url\\(\\s*['\"]?([^)'\"]*)"));
    auto it = url.globalMatch(value);
    while (it.hasNext())
        if (!it.next().captured(1).startsWith(u'#'))
            return true;
    return false;
}

} // namespace

class TestIcons : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        ui::initResources();
        QVERIFY2(resourceIcons().size() >= 21, qPrintable(resourceIcons().join(u' ')));
    }

    void svg_data()
    {
        QTest::addColumn<QString>("name");
        for (const QString& name : resourceIcons())
            QTest::newRow(qPrintable(name)) << name;
    }

    void svg()
    {
        QFETCH(QString, name);
        QFile file(QStringLiteral(":/icons/") + name);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();

        // Well-formed, an <svg> root in the SVG namespace, the set's box, and
        // self-contained: nothing executable, no text (fonts differ), no
        // files or URLs from outside.
        QXmlStreamReader xml(bytes);
        bool sawRoot = false;
        while (!xml.atEnd()) {
            if (xml.readNext() != QXmlStreamReader::StartElement)
                continue;
            const QString element = xml.name().toString();
            if (!sawRoot) {
                sawRoot = true;
                QCOMPARE(element, QStringLiteral("svg"));
                QCOMPARE(xml.namespaceUri().toString(),
                         QStringLiteral("http://www.w3.org/2000/svg"));
                const QString viewBox =
                    xml.attributes().value(QStringLiteral("viewBox")).toString();
                QCOMPARE(viewBox, name == kAppIcon ? QStringLiteral("0 0 64 64")
                                                   : QStringLiteral("0 0 16 16"));
            }
            static const QSet<QString> forbidden{
                QStringLiteral("script"),   QStringLiteral("text"),
                QStringLiteral("image"),    QStringLiteral("foreignObject"),
                QStringLiteral("style"),    QStringLiteral("a"),
                QStringLiteral("iframe"),   QStringLiteral("tspan"),
                QStringLiteral("textPath"),
            };
            QVERIFY2(!forbidden.contains(element), qPrintable(element));
            for (const QXmlStreamAttribute& a : xml.attributes()) {
                const QString attribute = a.name().toString();
                const QString value = a.value().toString();
                QVERIFY2(!attribute.startsWith(QStringLiteral("on")), qPrintable(attribute));
                if (attribute == QStringLiteral("href"))
                    QVERIFY2(value.startsWith(u'#'), qPrintable(value));
                QVERIFY2(!externalReference(value), qPrintable(attribute + u'=' + value));
            }
        }
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
        QVERIFY(sawRoot);

        // Renders, and draws something: into a transparent 32x32 image.
        QSvgRenderer renderer(bytes);
        QVERIFY(renderer.isValid());
        QImage image(32, 32, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        {
            QPainter painter(&image);
            renderer.render(&painter);
        }
        QVERIFY2(opaquePixels(image) >= 32 * 32 / 10,
                 qPrintable(QString::number(opaquePixels(image))));

        // And through QIcon, as the application loads it (the SVG icon
        // engine plugin), at 16 px on a 2x screen.
        const QPixmap pixmap = QIcon(QStringLiteral(":/icons/") + name).pixmap(QSize(16, 16), 2.0);
        QVERIFY(!pixmap.isNull());
        QCOMPARE(pixmap.deviceIndependentSize().toSize(), QSize(16, 16));
        QCOMPARE(pixmap.size(), QSize(32, 32));
        QVERIFY(opaquePixels(pixmap.toImage()) >= 32 * 32 / 10);
    }

    void qrc_listsEveryIconFile()
    {
        const QDir icons(sourceDir() + QStringLiteral("/resources/icons"));
        QVERIFY2(icons.exists(), qPrintable(icons.path()));
        QStringList onDisk = icons.entryList({QStringLiteral("*.svg")}, QDir::Files);
        onDisk.sort();
        QCOMPARE(resourceIcons(), onDisk);
    }

    void sources_nameOnlyIconsThatExist()
    {
        static const QRegularExpression literal(QStringLiteral(":/icons/[A-Za-z0-9_.-]+\\.svg"));
        QSet<QString> named;
        for (const QString& sub : {QStringLiteral("ui"), QStringLiteral("app")}) {
            QDirIterator it(sourceDir() + u'/' + sub,
                            {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files);
            while (it.hasNext()) {
                QFile file(it.next());
                QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
                const QString text = QString::fromUtf8(file.readAll());
                auto match = literal.globalMatch(text);
                while (match.hasNext()) {
                    const QString path = match.next().captured();
                    named.insert(path);
                    QVERIFY2(QFile::exists(path),
                             qPrintable(it.fileName() + QStringLiteral(" names ") + path));
                }
            }
        }
        // The scan found the sources (window, device list, status panel).
        for (const char* expected : {":/icons/drivemirror.svg", ":/icons/ssd.svg",
                                     ":/icons/disk.svg", ":/icons/state-failed.svg"})
            QVERIFY2(named.contains(QLatin1String(expected)), expected);
    }

    void stateIcon_followsStatus_data()
    {
        QTest::addColumn<JobStatus>("status");
        QTest::addColumn<bool>("ioError");
        QTest::addColumn<StateIcon>("icon");
        QTest::newRow("created") << JobStatus::Created << false << StateIcon::Idle;
        QTest::newRow("running") << JobStatus::Running << false << StateIcon::Running;
        QTest::newRow("paused") << JobStatus::Paused << false << StateIcon::Paused;
        QTest::newRow("paused on I/O error") << JobStatus::Paused << true << StateIcon::Failed;
        QTest::newRow("ready") << JobStatus::Ready << false << StateIcon::Ready;
        QTest::newRow("standby") << JobStatus::Standby << false << StateIcon::Paused;
        QTest::newRow("standby on I/O error") << JobStatus::Standby << true << StateIcon::Failed;
        QTest::newRow("waiting") << JobStatus::Waiting << false << StateIcon::Completing;
        QTest::newRow("pending") << JobStatus::Pending << false << StateIcon::Completing;
        QTest::newRow("aborting") << JobStatus::Aborting << false << StateIcon::Cancelled;
        QTest::newRow("concluded, outcome not shown yet")
            << JobStatus::Concluded << false << StateIcon::Completing;
    }

    void stateIcon_followsStatus()
    {
        QFETCH(JobStatus, status);
        QFETCH(bool, ioError);
        QFETCH(StateIcon, icon);
        StatusPanel panel;
        QCOMPARE(panel.stateIcon(), StateIcon::Idle);
        panel.setStatus(status);
        engine::JobSnapshot snap;
        snap.status = status;
        snap.diskSize = 64ull << 20;
        snap.bytesRemaining = 64ull << 20;
        if (ioError)
            snap.ioError = "read /dev/sdz at 4096: Input/output error";
        panel.setSnapshot(snap);
        QCOMPARE(panel.stateIcon(), icon);
        panel.reset();
        QCOMPARE(panel.stateIcon(), StateIcon::Idle);
    }

    void stateIcon_concluded_outcomeFromTheBannerShownAfterIt_data()
    {
        QTest::addColumn<Tone>("tone");
        QTest::addColumn<StateIcon>("icon");
        QTest::newRow("completed") << Tone::Success << StateIcon::Completed;
        QTest::newRow("cancelled after ready") << Tone::Info << StateIcon::Cancelled;
        QTest::newRow("cancelled before ready") << Tone::Warning << StateIcon::Cancelled;
        QTest::newRow("failed or differs") << Tone::Error << StateIcon::Failed;
    }

    void stateIcon_concluded_outcomeFromTheBannerShownAfterIt()
    {
        QFETCH(Tone, tone);
        QFETCH(StateIcon, icon);
        StatusPanel panel;
        panel.setStatus(JobStatus::Running);
        panel.setStatus(JobStatus::Ready);
        // Banners of a running job (in sync, completing) are no outcome.
        panel.showBanner(Tone::Success, QStringLiteral("In sync."), QString());
        panel.showBanner(Tone::Info, QStringLiteral("Completing."), QString());
        QCOMPARE(panel.stateIcon(), StateIcon::Ready);
        panel.setStatus(JobStatus::Concluded);
        QCOMPARE(panel.stateIcon(), StateIcon::Completing);
        panel.showBanner(tone, QStringLiteral("Outcome."), QString());
        QCOMPARE(panel.stateIcon(), icon);
        // It stays when the banner goes, and a new job starts afresh.
        panel.hideBanner();
        QCOMPARE(panel.stateIcon(), icon);
        panel.reset();
        QCOMPARE(panel.stateIcon(), StateIcon::Idle);
        panel.setStatus(JobStatus::Created);
        QCOMPARE(panel.stateIcon(), StateIcon::Idle);
        panel.setStatus(JobStatus::Concluded);
        QCOMPARE(panel.stateIcon(), StateIcon::Completing);
    }

    void stateIcon_painted_isTheIconFileAtTheScreensPixelRatio_data()
    {
        QTest::addColumn<StateIcon>("icon");
        QTest::newRow("idle") << StateIcon::Idle;
        QTest::newRow("running") << StateIcon::Running;
        QTest::newRow("completed") << StateIcon::Completed;
        QTest::newRow("failed") << StateIcon::Failed;
    }

    // CTest runs this suite at QT_SCALE_FACTOR 1, 1.5 and 2: the icon must be
    // rendered for the screen's device pixels, not scaled up from 16 px.
    void stateIcon_painted_isTheIconFileAtTheScreensPixelRatio()
    {
        QFETCH(StateIcon, icon);
        StatusPanel panel;
        switch (icon) {
        case StateIcon::Running:
            panel.setStatus(JobStatus::Running);
            break;
        case StateIcon::Completed:
            panel.setStatus(JobStatus::Concluded);
            panel.showBanner(Tone::Success, QStringLiteral("Completed."), QString());
            break;
        case StateIcon::Failed:
            panel.setStatus(JobStatus::Concluded);
            panel.showBanner(Tone::Error, QStringLiteral("Failed."), QString());
            break;
        default:
            break;
        }
        QCOMPARE(panel.stateIcon(), icon);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        auto* view = panel.findChild<QWidget*>(QStringLiteral("stateIcon"));
        QVERIFY(view);
        const qreal dpr = view->devicePixelRatioF();
        bool scaled = false;
        const double factor = qEnvironmentVariable("QT_SCALE_FACTOR").toDouble(&scaled);
        if (scaled)
            QCOMPARE(dpr, factor);
        QCOMPARE(view->size(), QSize(16, 16));

        // The view alone, on a transparent background, in device pixels.
        QImage shown((QSizeF(view->size()) * dpr).toSize(), QImage::Format_ARGB32_Premultiplied);
        shown.setDevicePixelRatio(dpr);
        shown.fill(Qt::transparent);
        view->render(&shown, QPoint(), QRegion(), QWidget::RenderFlags());
        const QImage expected = QIcon(StatusPanel::iconPath(icon))
                                    .pixmap(QSize(16, 16), dpr)
                                    .toImage()
                                    .convertToFormat(QImage::Format_ARGB32_Premultiplied);
        QCOMPARE(shown.size(), expected.size());
        const int diff = maxDifference(shown, expected);
        QVERIFY2(diff <= 8, qPrintable(QString::number(diff)));
    }

    void iconPath_everyState_existsAndDiffers()
    {
        QSet<QString> paths;
        for (StateIcon icon : {StateIcon::Idle, StateIcon::Running, StateIcon::Paused,
                               StateIcon::Ready, StateIcon::Completing, StateIcon::Completed,
                               StateIcon::Cancelled, StateIcon::Failed}) {
            const QString path = StatusPanel::iconPath(icon);
            QVERIFY2(QFile::exists(path), qPrintable(path));
            paths.insert(path);
        }
        QCOMPARE(paths.size(), 8);
    }
};

QTEST_MAIN(TestIcons)
#include "tst_icons.moc"
