// The arguments of the commands that take a few long options (station,
// serve): split once, the same way for each, so that "--name VALUE",
// "--name=VALUE" and a repeated option mean the same everywhere. Each
// command then says in its own words what it does not take.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

struct CommandArg
{
    std::string text; ///< as given, for a message
    std::string name; ///< "--name" or "-v"; empty for an operand
    /// "--name=VALUE", or for a name in withValue the next argument (none
    /// when it was the last).
    std::optional<std::string> value;
    bool repeated = false; ///< an option given before
};

/// argv[1..argc): an argument that does not start with "-" (or is "-") is
/// an operand; an option named in @p withValue takes the next argument as
/// its value unless it has one after "=".
std::vector<CommandArg> splitCommandArgs(int argc, char** argv,
                                         std::initializer_list<std::string_view> withValue);

} // namespace cli
