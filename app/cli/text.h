// Text for a person: the CLI's translations, locale-aware numbers and
// terminal columns.
#pragma once

#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cli {

// Everything the CLI prints for a person goes through tr() in the context
// "cli" (translations/*.ts), in the language QLocale::system() names. What
// programs read stays as it is in every locale: --json output, the stdin
// command words, option names, the logger's level prefix ("info: "), the
// "drivemirror-cli: " prefix, and messages that come from the engine, which
// are English by design (they are also what a bug report quotes).
class Cli
{
    Q_DECLARE_TR_FUNCTIONS(cli)
};

// A translated text with %1..%9 replaced by @p args. The arguments go in as
// bytes: a path need not be UTF-8, and an argument that itself contains "%2"
// is not replaced again (as chained QString::arg calls would).
std::string fill(const QString& text, std::initializer_list<std::string_view> args = {});

// Sizes, rates, durations and numbers for a person, in the user's locale
// (the desktop app's formatter). Logs of the engine and JSON keep the C locale.
// What a disk holds, in the user's language (the window's names for it).
std::string signatureText(const std::string& engineText);
std::string sizeText(std::uint64_t bytes);
std::string rateText(double bytesPerSecond);
std::string durationText(double seconds);
std::string numberText(double value, int decimals);
// A count of bytes with the locale's digit grouping; plain digits in the C
// locale, as the CLI printed them before it had translations.
std::string countText(std::uint64_t value);
// The kinds DeviceInfo::kind() names, as the list shows them. (QString:
// lupdate loses the tr() context of a function that returns std::string.)
QString kindText(const std::string& kind);
// tr()'s plural count is an int; beyond it every language uses its plural.
int pluralCount(std::uint64_t n);

// East Asian wide characters take two columns of a terminal.
bool isWide(char32_t c);
int displayWidth(const QString& s);
int displayWidth(std::string_view s);
// @p s cut to @p width columns (with "…" when cut) and padded to them.
std::string fitText(const std::string& s, int width, bool alignRight = false);
// @p text wrapped to lines of at most @p width columns, for output that
// continues at column @p indent (every further line is indented as much).
// Lines break after spaces and, in Chinese or Japanese text, between
// characters where Unicode line breaking allows it (so never before "、" or
// "。"); never inside a word or an option name such as --cancel-on-eof, nor
// between a number and what follows it.
std::string wrapText(const QString& text, int indent, int width = 79);
// "label: value" lines, the values lined up after the widest label.
void printRows(const std::vector<std::pair<std::string, std::string>>& rows);

} // namespace cli
