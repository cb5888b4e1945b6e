#include "text.h"

#include "format.h"

#include <QLocale>
#include <QStringList>
#include <QTextBoundaryFinder>

#include <algorithm>
#include <climits>
#include <cstdio>

namespace cli {

std::string fill(const QString& text, std::initializer_list<std::string_view> args)
{
    const std::string t = text.toStdString();
    std::string out;
    out.reserve(t.size());
    for (std::size_t i = 0; i < t.size(); ++i) {
        if (t[i] == '%' && i + 1 < t.size() && t[i + 1] >= '1' && t[i + 1] <= '9') {
            const auto n = static_cast<std::size_t>(t[i + 1] - '1');
            if (n < args.size()) {
                out += *(args.begin() + n);
                ++i;
                continue;
            }
        }
        out += t[i];
    }
    return out;
}

std::string signatureText(const std::string& engineText)
{
    return ui::Format::signature(QString::fromStdString(engineText)).toStdString();
}

std::string sizeText(std::uint64_t bytes)
{
    return ui::Format::bytes(bytes).toStdString();
}

std::string rateText(double bytesPerSecond)
{
    return ui::Format::rate(bytesPerSecond).toStdString();
}

std::string durationText(double seconds)
{
    return ui::Format::duration(seconds).toStdString();
}

std::string numberText(double value, int decimals)
{
    return QLocale().toString(value, 'f', decimals).toStdString();
}

std::string countText(std::uint64_t value)
{
    QLocale locale;
    if (locale.language() == QLocale::C)
        locale.setNumberOptions(QLocale::OmitGroupSeparator);
    return locale.toString(static_cast<qulonglong>(value)).toStdString();
}

QString kindText(const std::string& kind)
{
    if (kind == "disk")
        return Cli::tr("disk");
    if (kind == "SSD")
        return Cli::tr("SSD");
    if (kind == "partition")
        return Cli::tr("partition");
    if (kind == "loop")
        return Cli::tr("loop");
    if (kind == "loop partition")
        return Cli::tr("loop partition");
    if (kind == "USB")
        return Cli::tr("USB");
    if (kind == "SD card")
        return Cli::tr("SD card");
    if (kind == "virtual")
        return Cli::tr("virtual");
    return QString::fromStdString(kind); // one this CLI does not know yet: as the engine names it
}

int pluralCount(std::uint64_t n)
{
    return static_cast<int>(std::min<std::uint64_t>(n, INT_MAX));
}

bool isWide(char32_t c)
{
    return (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0x303e) ||
           (c >= 0x3041 && c <= 0x33ff) || (c >= 0x3400 && c <= 0x4dbf) ||
           (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xa000 && c <= 0xa4cf) ||
           (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
           (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
           (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
}

int displayWidth(const QString& s)
{
    int width = 0;
    for (const char32_t c : s.toUcs4())
        width += isWide(c) ? 2 : 1;
    return width;
}

int displayWidth(std::string_view s)
{
    return displayWidth(QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())));
}

std::string fitText(const std::string& s, int width, bool alignRight)
{
    std::string out = s;
    if (displayWidth(out) > width) {
        QString q = QString::fromStdString(s);
        while (!q.isEmpty() && displayWidth(q) > width - 1)
            q.chop(1);
        out = q.toStdString() + "…";
    }
    const std::string pad(static_cast<std::size_t>(std::max(0, width - displayWidth(out))), ' ');
    return alignRight ? pad + out : out + pad;
}

std::string wrapText(const QString& text, int indent, int width)
{
    QStringList pieces;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Line, text);
    qsizetype start = 0;
    for (qsizetype pos = finder.toNextBoundary(); pos > 0 && pos < text.size();
         pos = finder.toNextBoundary()) {
        const QChar before = text.at(pos - 1);
        // A number stays with its unit: "64 MiB", not "64" at a line's end.
        const bool afterNumber = before.isSpace() && pos >= 2 && text.at(pos - 2).isDigit();
        if ((before.isSpace() && !afterNumber) || isWide(before.unicode()) ||
            isWide(text.at(pos).unicode())) {
            pieces << text.mid(start, pos - start);
            start = pos;
        }
    }
    pieces << text.mid(start);

    const auto withoutTrailingSpace = [](const QString& s) {
        qsizetype n = s.size();
        while (n > 0 && s.at(n - 1).isSpace())
            --n;
        return s.left(n);
    };
    std::string out;
    QString line;
    int column = indent;
    for (const QString& piece : pieces) {
        if (!line.isEmpty() && column + displayWidth(withoutTrailingSpace(piece)) > width) {
            out += withoutTrailingSpace(line).toStdString() + "\n" +
                   std::string(static_cast<std::size_t>(indent), ' ');
            line.clear();
            column = indent;
        }
        line += piece;
        column += displayWidth(piece);
    }
    return out + withoutTrailingSpace(line).toStdString();
}

void printRows(const std::vector<std::pair<std::string, std::string>>& rows)
{
    int width = 0;
    for (const auto& [label, value] : rows)
        width = std::max(width, displayWidth(label));
    for (const auto& [label, value] : rows)
        std::printf("%s %s\n", fitText(label, width).c_str(), value.c_str());
}

} // namespace cli
