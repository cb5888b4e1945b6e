// The desktop app's formatters (C locale, so the digits are predictable).
#include "format.h"

#include <QLocale>
#include <QTest>

using ui::Format;

class TestFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void bytes_threeSignificantDigits_data()
    {
        QTest::addColumn<quint64>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << quint64(0) << QStringLiteral("0 bytes");
        QTest::newRow("512") << quint64(512) << QStringLiteral("512 bytes");
        QTest::newRow("1 KiB") << quint64(1024) << QStringLiteral("1.00 KiB");
        QTest::newRow("64 KiB") << quint64(64 << 10) << QStringLiteral("64.0 KiB");
        QTest::newRow("999.5 KiB rounds") << quint64(1023487) << QStringLiteral("999 KiB");
        QTest::newRow("1.5 GiB") << quint64(3ull << 29) << QStringLiteral("1.50 GiB");
        QTest::newRow("2 TiB") << quint64(2ull << 40) << QStringLiteral("2.00 TiB");
        QTest::newRow("9.999 MiB carries") << quint64(10484711) << QStringLiteral("10.0 MiB");
    }
    void bytes_threeSignificantDigits()
    {
        QFETCH(quint64, bytes);
        QFETCH(QString, text);
        QCOMPARE(Format::bytes(bytes), text);
    }

    void rate_perSecond()
    {
        QCOMPARE(Format::rate(100.0 * (1 << 20)), QStringLiteral("100 MiB/s"));
        QCOMPARE(Format::rate(0), QStringLiteral("0 bytes/s"));
        QCOMPARE(Format::rate(-5), QStringLiteral("0 bytes/s"));
        QCOMPARE(Format::rate(std::nan("")), QStringLiteral("0 bytes/s"));
    }

    void duration_units()
    {
        QCOMPARE(Format::duration(42), QStringLiteral("42 s"));
        QCOMPARE(Format::duration(245), QStringLiteral("4 min 05 s"));
        QCOMPARE(Format::duration(7380), QStringLiteral("2 h 03 min"));
        QCOMPARE(Format::duration(-1), QStringLiteral("–"));
        QCOMPARE(Format::duration(std::numeric_limits<double>::infinity()), QStringLiteral("–"));
    }

    void percent_neverClaimsDoneEarly()
    {
        QCOMPARE(Format::percent(0), QStringLiteral("0.0 %"));
        QCOMPARE(Format::percent(1), QStringLiteral("100.0 %"));
        QCOMPARE(Format::percent(0.9999), QStringLiteral("99.9 %"));
        QCOMPARE(Format::percent(0.00001), QStringLiteral("0.1 %"));
        QCOMPARE(Format::percent(0.423), QStringLiteral("42.3 %"));
        QCOMPARE(Format::percent(2), QStringLiteral("100.0 %"));
    }

    void status_everyStatusHasText()
    {
        for (int s = 0; s < static_cast<int>(engine::kStatusCount); ++s)
            QVERIFY(!Format::status(static_cast<engine::JobStatus>(s)).isEmpty());
    }
};

QTEST_MAIN(TestFormat)
#include "tst_format.moc"
