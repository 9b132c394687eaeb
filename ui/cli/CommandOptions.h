#pragma once

// The option grammar every command shares: `<command> <sub> [--flag] [--name VALUE] [ARG]…`.
// Parsing errors are printed as "zaitaku-cli <command>: …" and are bad input (exit 2).

#include "base/CodeTable.h"
#include "base/Error.h"
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
    bool anyValued = false;       // any other --name takes a value (the rules' fields)
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

// A command that could not do its job: printed as {error, code, field} on stdout with --json,
// else as "zaitaku-cli <command> <sub>: message" on stderr.
struct CommandFailure
{
    std::string message;
    std::string code;
    std::string field;
    int exitCode = kExitFailure;
};

template <typename E> CommandFailure failureOf(const BasicError<E>& e, int exitCode)
{
    return CommandFailure{e.message, std::string(base::toCode(e.code)), e.field, exitCode};
}

// Prints the failure and returns its exit code.
int reportFailure(CliContext& ctx, const CommandOptions& o, const char* command, const CommandFailure& failure);

// Parses args[1…] (args[0] is the sub-command). nullopt after printing the error.
std::optional<CommandOptions>
parseCommandOptions(const Args& args, const OptionSpec& spec, const char* command, CliContext& ctx);
// The same for a command without sub-commands (`demo`): every argument is an option.
std::optional<CommandOptions>
parseOptions(const Args& args, const OptionSpec& spec, const char* command, CliContext& ctx);

// The preamble of every `<command> <sub> …` program: no arguments prints `usage` on stderr (exit
// 2), --help anywhere prints it on stdout (exit 0), a parsing error is bad input (exit 2). Without
// `options` the caller returns `exitCode`.
struct ParsedCommand
{
    std::optional<CommandOptions> options;
    int exitCode = kExitOk;
};
ParsedCommand
parseSubcommand(const Args& args, const OptionSpec& spec, const char* command, const char* usage, CliContext& ctx);

} // namespace zaitaku::cli
