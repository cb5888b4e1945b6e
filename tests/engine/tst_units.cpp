// Tests for size/rate parsing and the byte, rate and duration formatters.
#include "base/units.h"

#include <QTest>

#include <cerrno>
#include <clocale>
#include <cstdint>
#include <string>

using engine::formatBytes;
using engine::formatDuration;
using engine::formatRate;
using engine::parseRate;
using engine::parseSize;

namespace {

constexpr std::uint64_t kKiB = 1024;
constexpr std::uint64_t kMiB = kKiB * 1024;
constexpr std::uint64_t kGiB = kMiB * 1024;
constexpr std::uint64_t kTiB = kGiB * 1024;
constexpr std::uint64_t kPiB = kTiB * 1024;
constexpr std::uint64_t kEiB = kPiB * 1024;

} // namespace

class TestUnits : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseSize_valid_returnsBytes_data();
    void parseSize_valid_returnsBytes();
    void parseSize_invalid_failsQuotingInput_data();
    void parseSize_invalid_failsQuotingInput();
    void parseSize_overflow_failsWithRange_data();
    void parseSize_overflow_failsWithRange();
    void parseRate_perSecondSuffix_accepted_data();
    void parseRate_perSecondSuffix_accepted();
    void parseRate_invalid_failsNamingRate_data();
    void parseRate_invalid_failsNamingRate();
    void formatBytes_threeSignificantDigits_data();
    void formatBytes_threeSignificantDigits();
    void formatBytes_foreignLocale_usesDecimalPoint();
    void formatRate_appendsPerSecond_data();
    void formatRate_appendsPerSecond();
    void formatDuration_compactForm_data();
    void formatDuration_compactForm();
};

void TestUnits::parseSize_valid_returnsBytes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::uint64_t>("bytes");

    QTest::newRow("zero") << "0" << std::uint64_t{0};
    QTest::newRow("bytes") << "512" << std::uint64_t{512};
    QTest::newRow("leading zeros") << "0010" << std::uint64_t{10};
    QTest::newRow("B") << "4096B" << std::uint64_t{4096};
    QTest::newRow("b") << "7b" << std::uint64_t{7};
    QTest::newRow("K") << "1K" << kKiB;
    QTest::newRow("k") << "64k" << 64 * kKiB;
    QTest::newRow("KiB") << "64KiB" << 64 * kKiB;
    QTest::newRow("KB") << "2KB" << 2 * kKiB;
    QTest::newRow("M") << "100M" << 100 * kMiB;
    QTest::newRow("MiB") << "3MiB" << 3 * kMiB;
    QTest::newRow("mb") << "3mb" << 3 * kMiB;
    QTest::newRow("G") << "2G" << 2 * kGiB;
    QTest::newRow("GiB") << "2GiB" << 2 * kGiB;
    QTest::newRow("T") << "16T" << 16 * kTiB;
    QTest::newRow("TiB") << "1TiB" << kTiB;
    QTest::newRow("P") << "1P" << kPiB;
    QTest::newRow("E") << "15E" << 15 * kEiB;
    QTest::newRow("1.5G") << "1.5G" << 3 * kGiB / 2;
    QTest::newRow("0.5K") << "0.5K" << std::uint64_t{512};
    QTest::newRow(".25M") << ".25M" << kMiB / 4;
    QTest::newRow("0.1K rounds down") << "0.1K" << std::uint64_t{102};
    QTest::newRow("1.999K rounds down") << "1.999K" << std::uint64_t{2046};
    QTest::newRow("many fraction digits") << "1.0000000000000000000001K" << kKiB;
    QTest::newRow("2.5TiB") << "2.5TiB" << 5 * kTiB / 2;
    QTest::newRow("max bytes") << "18446744073709551615" << UINT64_MAX;
    QTest::newRow("15.99E") << "15.99E" << std::uint64_t{18435214858663483146ULL};
}

void TestUnits::parseSize_valid_returnsBytes()
{
    QFETCH(QString, text);
    QFETCH(std::uint64_t, bytes);

    const std::string input = text.toStdString();
    const engine::Result<std::uint64_t> result = parseSize(input);
    QVERIFY2(result.has_value(), result ? "" : result.error().message.c_str());
    QCOMPARE(*result, bytes);
}

void TestUnits::parseSize_invalid_failsQuotingInput_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << "";
    QTest::newRow("negative") << "-1";
    QTest::newRow("negative with unit") << "-1.5G";
    QTest::newRow("plus sign") << "+5";
    QTest::newRow("leading space") << " 5";
    QTest::newRow("trailing space") << "5 ";
    QTest::newRow("space before unit") << "5 G";
    QTest::newRow("unit only") << "G";
    QTest::newRow("dot only") << ".";
    QTest::newRow("dot and unit") << ".K";
    QTest::newRow("unknown unit") << "5X";
    QTest::newRow("SI word") << "5 bytes";
    QTest::newRow("trailing junk") << "5Gx";
    QTest::newRow("junk after KiB") << "5KiBs";
    QTest::newRow("double unit") << "5KK";
    QTest::newRow("two dots") << "1.2.3G";
    QTest::newRow("fraction without unit") << "1.5";
    QTest::newRow("fraction of bytes") << "1.5B";
    QTest::newRow("hex") << "0x10";
    QTest::newRow("words") << "lots";
    QTest::newRow("per second") << "5M/s";
    QTest::newRow("exponent") << "1e3";
    QTest::newRow("exponent with sign") << "1E+3";
    QTest::newRow("rounds to zero") << "0.0001K";
}

void TestUnits::parseSize_invalid_failsQuotingInput()
{
    QFETCH(QString, text);

    const std::string input = text.toStdString();
    const engine::Result<std::uint64_t> result = parseSize(input);
    QVERIFY(!result.has_value());
    QCOMPARE(result.error().code, EINVAL);
    const std::string& message = result.error().message;
    QVERIFY2(message.rfind("invalid size '" + input + "': ", 0) == 0, message.c_str());
    QVERIFY2(message.size() > ("invalid size '" + input + "': ").size(), message.c_str());
}

void TestUnits::parseSize_overflow_failsWithRange_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("2^64") << "18446744073709551616";
    QTest::newRow("huge") << "99999999999999999999999999";
    QTest::newRow("16E") << "16E";
    QTest::newRow("17179869184G") << "17179869184G";
    QTest::newRow("16.0E") << "16.0E";
    QTest::newRow("huge with fraction") << "99999999999999999999.5K";
}

void TestUnits::parseSize_overflow_failsWithRange()
{
    QFETCH(QString, text);

    const std::string input = text.toStdString();
    const engine::Result<std::uint64_t> result = parseSize(input);
    QVERIFY2(!result.has_value(), result ? std::to_string(*result).c_str() : "");
    QCOMPARE(result.error().code, ERANGE);
    QVERIFY2(result.error().message.rfind("invalid size '" + input + "': ", 0) == 0,
             result.error().message.c_str());
}

void TestUnits::parseRate_perSecondSuffix_accepted_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<std::uint64_t>("bytesPerSecond");

    QTest::newRow("unlimited") << "0" << std::uint64_t{0};
    QTest::newRow("bytes") << "1000" << std::uint64_t{1000};
    QTest::newRow("bytes/s") << "1000/s" << std::uint64_t{1000};
    QTest::newRow("M") << "100M" << 100 * kMiB;
    QTest::newRow("MiB/s") << "100MiB/s" << 100 * kMiB;
    QTest::newRow("M/s") << "100M/s" << 100 * kMiB;
    QTest::newRow("1.5G/s") << "1.5G/s" << 3 * kGiB / 2;
    QTest::newRow("B/s") << "4096B/s" << std::uint64_t{4096};
}

void TestUnits::parseRate_perSecondSuffix_accepted()
{
    QFETCH(QString, text);
    QFETCH(std::uint64_t, bytesPerSecond);

    const std::string input = text.toStdString();
    const engine::Result<std::uint64_t> result = parseRate(input);
    QVERIFY2(result.has_value(), result ? "" : result.error().message.c_str());
    QCOMPARE(*result, bytesPerSecond);
}

void TestUnits::parseRate_invalid_failsNamingRate_data()
{
    QTest::addColumn<QString>("text");

    QTest::newRow("empty") << "";
    QTest::newRow("suffix only") << "/s";
    QTest::newRow("negative") << "-100M/s";
    QTest::newRow("per minute") << "100M/min";
    QTest::newRow("double suffix") << "100M/s/s";
    QTest::newRow("junk") << "fast";
    QTest::newRow("overflow") << "16E/s";
}

void TestUnits::parseRate_invalid_failsNamingRate()
{
    QFETCH(QString, text);

    const std::string input = text.toStdString();
    const engine::Result<std::uint64_t> result = parseRate(input);
    QVERIFY(!result.has_value());
    const std::string& message = result.error().message;
    // The whole input is quoted, including the "/s" the user typed.
    QVERIFY2(message.rfind("invalid rate '" + input + "': ", 0) == 0, message.c_str());
}

void TestUnits::formatBytes_threeSignificantDigits_data()
{
    QTest::addColumn<std::uint64_t>("bytes");
    QTest::addColumn<QString>("text");

    QTest::newRow("0") << std::uint64_t{0} << "0 B";
    QTest::newRow("1") << std::uint64_t{1} << "1 B";
    QTest::newRow("512") << std::uint64_t{512} << "512 B";
    QTest::newRow("1023") << std::uint64_t{1023} << "1023 B";
    QTest::newRow("1 KiB") << kKiB << "1.00 KiB";
    QTest::newRow("1.5 KiB") << kKiB * 3 / 2 << "1.50 KiB";
    QTest::newRow("9.995 KiB carries") << std::uint64_t{10235} << "10.0 KiB";
    QTest::newRow("64 MiB") << 64 * kMiB << "64.0 MiB";
    QTest::newRow("99.96 MiB carries") << std::uint64_t{104815657} << "100 MiB";
    QTest::newRow("512 MiB") << 512 * kMiB << "512 MiB";
    QTest::newRow("1000 MiB") << 1000 * kMiB << "1000 MiB";
    QTest::newRow("1023.6 MiB to GiB") << std::uint64_t{1073322394} << "1.00 GiB";
    QTest::newRow("1.5 GiB") << 3 * kGiB / 2 << "1.50 GiB";
    QTest::newRow("1.234 GiB rounds") << std::uint64_t{1324997410} << "1.23 GiB";
    QTest::newRow("16 TiB") << 16 * kTiB << "16.0 TiB";
    QTest::newRow("1 PiB") << kPiB << "1.00 PiB";
    QTest::newRow("max") << UINT64_MAX << "16.0 EiB";
}

void TestUnits::formatBytes_threeSignificantDigits()
{
    QFETCH(std::uint64_t, bytes);
    QFETCH(QString, text);

    QCOMPARE(QString::fromStdString(formatBytes(bytes)), text);
}

void TestUnits::formatBytes_foreignLocale_usesDecimalPoint()
{
    // The GUI installs the user's locale; the CLI and log format must not
    // follow it.
    const char* previous = std::setlocale(LC_ALL, nullptr);
    const std::string saved = previous ? previous : "C";
    if (!std::setlocale(LC_ALL, "de_DE.UTF-8") && !std::setlocale(LC_ALL, "fr_FR.UTF-8"))
        QSKIP("no locale with a decimal comma is installed");
    const std::string text = formatBytes(3 * kGiB / 2);
    std::setlocale(LC_ALL, saved.c_str());
    QCOMPARE(QString::fromStdString(text), QStringLiteral("1.50 GiB"));
}

void TestUnits::formatRate_appendsPerSecond_data()
{
    QTest::addColumn<double>("bytesPerSecond");
    QTest::addColumn<QString>("text");

    QTest::newRow("0") << 0.0 << "0 B/s";
    QTest::newRow("fractional bytes") << 0.4 << "0 B/s";
    QTest::newRow("512") << 512.0 << "512 B/s";
    QTest::newRow("100 MiB") << 100.0 * kMiB << "100 MiB/s";
    QTest::newRow("1.5 GiB") << 1.5 * kGiB << "1.50 GiB/s";
    QTest::newRow("negative") << -5.0 << "0 B/s";
    QTest::newRow("nan") << qQNaN() << "0 B/s";
    QTest::newRow("infinite") << qInf() << "16.0 EiB/s";
}

void TestUnits::formatRate_appendsPerSecond()
{
    QFETCH(double, bytesPerSecond);
    QFETCH(QString, text);

    QCOMPARE(QString::fromStdString(formatRate(bytesPerSecond)), text);
}

void TestUnits::formatDuration_compactForm_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("text");

    QTest::newRow("0") << 0.0 << "0s";
    QTest::newRow("59") << 59.0 << "59s";
    QTest::newRow("59.4 rounds down") << 59.4 << "59s";
    QTest::newRow("59.6 carries") << 59.6 << "1m00s";
    QTest::newRow("60") << 60.0 << "1m00s";
    QTest::newRow("245") << 245.0 << "4m05s";
    QTest::newRow("3599") << 3599.0 << "59m59s";
    QTest::newRow("3600") << 3600.0 << "1h00m";
    QTest::newRow("2h03m") << 2 * 3600.0 + 3 * 60 + 59 << "2h03m";
    QTest::newRow("100h") << 100 * 3600.0 << "100h00m";
    QTest::newRow("negative") << -1.0 << "--";
    QTest::newRow("nan") << qQNaN() << "--";
    QTest::newRow("infinite") << qInf() << "--";
    QTest::newRow("absurd") << 1e300 << "100000000h00m";
}

void TestUnits::formatDuration_compactForm()
{
    QFETCH(double, seconds);
    QFETCH(QString, text);

    QCOMPARE(QString::fromStdString(formatDuration(seconds)), text);
}

QTEST_APPLESS_MAIN(TestUnits)

#include "tst_units.moc"
