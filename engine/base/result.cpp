#include "base/result.h"

#include <array>
#include <cstring>

namespace engine {

namespace {

// Indexed by Rule; the names are part of the CLI's output and protocol.
constexpr std::array<std::string_view, 30> kRuleNames{
    "",
    "source is target",
    "target inside source",
    "target contains source",
    "target overlaps source",
    "system disk",
    "system directory",
    "mounted target",
    "held target",
    "target in use",
    "source in use",
    "read-only target",
    "target too small",
    "target holds data",
    "target identity",
    "needs root",
    "authentication",
    "user access",
    "untrusted symlink",
    "source frozen",
    "helper scope",
    "permission",
    "live source needs tracking",
    "not an image or disk",
    "unknown device",
    "no room for the target",
    "targets overlap",
    "resume mismatch",
    "image format mismatch",
    "compressed live target",
};
static_assert(kRuleNames.size() == static_cast<std::size_t>(Rule::CompressedLiveTarget) + 1);

} // namespace

std::string_view ruleName(Rule rule)
{
    const auto i = static_cast<std::size_t>(rule);
    return i < kRuleNames.size() ? kRuleNames[i] : std::string_view();
}

Rule ruleFromName(std::string_view name)
{
    if (name.empty())
        return Rule::None;
    for (std::size_t i = 1; i < kRuleNames.size(); ++i)
        if (kRuleNames[i] == name)
            return static_cast<Rule>(i);
    return Rule::None;
}

Error refusal(int code, Rule rule, std::string message, std::string_view after,
              std::string_view note)
{
    message.append(" (rule: ").append(ruleName(rule)).append(note).append(")").append(after);
    return Error{code, std::move(message), rule};
}

Error withContext(std::string_view context, Error error)
{
    error.message.insert(0, context);
    return error;
}

std::string errnoText(int code)
{
    char buf[256];
    // GNU strerror_r may return a static string instead of filling buf.
    return ::strerror_r(code, buf, sizeof buf);
}

Error systemError(int code, const std::string& context)
{
    return Error{code, context + ": " + errnoText(code)};
}

} // namespace engine
