#pragma once

// The option grammar `card` and `store` share: `<command> <sub> [--flag] [--name VALUE] [ARG]…`.
// Parsing errors are printed as "zaitaku-cli <command>: …" and are bad input (exit 2).

#include "ui/cli/CliContext.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace zaitaku::cli
{

struct OptionSpec
{
    std::set<std::string> flags;  // e.g. "--json"
    std::set<std::string> valued; // e.g. "--db": takes the next argument
    bool positional = false;      // plain arguments allowed
};

struct CommandOptions
{
    std::string sub;
    bool help = false; // --help seen (parsing stopped there): the caller prints its usage
    std::set<std::string> flags;
    std::map<std::string, std::string> values; // keyed without the leading "--"
    std::vector<std::string> positional;

    bool has(const std::string& flag) const { return flags.contains(flag); }
    // The option's value, or "" when it was not given.
    std::string value(const std::string& name) const;
};

// Parses args[1…] (args[0] is the sub-command). nullopt after printing the error.
std::optional<CommandOptions>
parseCommandOptions(const Args& args, const OptionSpec& spec, const char* command, CliContext& ctx);

} // namespace zaitaku::cli
