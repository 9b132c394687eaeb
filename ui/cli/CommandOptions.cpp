#include "ui/cli/CommandOptions.h"

#include <nlohmann/json.hpp>
#include <ostream>

namespace zaitaku::cli
{

std::string CommandOptions::value(const std::string& name) const
{
    const auto it = values.find(name);
    return it == values.end() ? std::string() : it->second;
}

namespace
{
// "zaitaku-cli " for zaitaku-cli's commands; zaitaku-gateway passes its own name as the command.
std::string programOf(const char* command)
{
    return std::string_view(command).starts_with("zaitaku-") ? "" : "zaitaku-cli ";
}
} // namespace

int reportFailure(CliContext& ctx, const CommandOptions& o, const char* command, const CommandFailure& failure)
{
    if (o.has("--json")) {
        nlohmann::json j{{"error", failure.message}, {"code", failure.code}};
        if (!failure.field.empty()) {
            j["field"] = failure.field;
        }
        ctx.out << j.dump() << "\n";
    } else {
        ctx.err << programOf(command) << command << " " << o.sub << ": " << failure.message << "\n";
    }
    return failure.exitCode;
}

namespace
{

std::optional<CommandOptions>
parseFrom(const Args& args, std::size_t first, const OptionSpec& spec, const char* command, CliContext& ctx)
{
    CommandOptions o;
    for (std::size_t i = first; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (isHelpFlag(a)) {
            o.help = true;
            return o; // the rest does not matter: the caller prints its usage
        }
        if (spec.flags.contains(a)) {
            o.flags.insert(a);
        } else if (spec.valued.contains(a) || (spec.anyValued && a.size() > 2 && a.starts_with("--"))) {
            if (i + 1 >= args.size()) {
                ctx.err << programOf(command) << command << ": " << a << " needs a value\n";
                return std::nullopt;
            }
            o.values[a.substr(2)] = args[++i];
        } else if (!a.empty() && a[0] == '-') {
            ctx.err << programOf(command) << command << ": unknown option '" << a << "'\n";
            return std::nullopt;
        } else if (spec.positional) {
            o.positional.push_back(a);
        } else {
            ctx.err << programOf(command) << command << ": unexpected argument '" << a << "'\n";
            return std::nullopt;
        }
    }
    return o;
}

} // namespace

std::optional<CommandOptions>
parseCommandOptions(const Args& args, const OptionSpec& spec, const char* command, CliContext& ctx)
{
    auto o = parseFrom(args, 1, spec, command, ctx);
    if (o) {
        o->sub = args.empty() ? std::string() : args[0];
    }
    return o;
}

std::optional<CommandOptions>
parseOptions(const Args& args, const OptionSpec& spec, const char* command, CliContext& ctx)
{
    return parseFrom(args, 0, spec, command, ctx);
}

ParsedCommand
parseSubcommand(const Args& args, const OptionSpec& spec, const char* command, const char* usage, CliContext& ctx)
{
    if (args.empty() || isHelpFlag(args[0])) {
        (args.empty() ? ctx.err : ctx.out) << usage;
        return {std::nullopt, args.empty() ? kExitBadInput : kExitOk};
    }
    auto parsed = parseCommandOptions(args, spec, command, ctx);
    if (!parsed) {
        return {std::nullopt, kExitBadInput};
    }
    if (parsed->help) {
        ctx.out << usage;
        return {std::nullopt, kExitOk};
    }
    return {std::move(parsed), kExitOk};
}

} // namespace zaitaku::cli
