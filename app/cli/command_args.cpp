#include "command_args.h"

#include <algorithm>

namespace cli {

std::vector<CommandArg> splitCommandArgs(int argc, char** argv,
                                         std::initializer_list<std::string_view> withValue)
{
    std::vector<CommandArg> out;
    std::vector<std::string> seen;
    for (int i = 1; i < argc; ++i) {
        CommandArg a;
        a.text = argv[i];
        if (a.text.rfind('-', 0) != 0 || a.text == "-") {
            out.push_back(std::move(a));
            continue;
        }
        a.name = a.text;
        if (const auto eq = a.name.find('=');
            a.name.rfind("--", 0) == 0 && eq != std::string::npos) {
            a.value = a.name.substr(eq + 1);
            a.name.resize(eq);
        }
        a.repeated = std::find(seen.begin(), seen.end(), a.name) != seen.end();
        seen.push_back(a.name);
        const bool takesValue =
            std::find(withValue.begin(), withValue.end(), a.name) != withValue.end();
        if (takesValue && !a.value && i + 1 < argc)
            a.value = argv[++i];
        out.push_back(std::move(a));
    }
    return out;
}

} // namespace cli
