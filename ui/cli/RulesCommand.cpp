#include "ui/cli/RulesCommand.h"

#include "base/BoundedJson.h"
#include "ui/cli/CommandOptions.h"
#include "verify/rules/RuleExplanation.h"
#include "verify/rules/RuleService.h"

#include <algorithm>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>

namespace zaitaku::cli
{

namespace
{

using nlohmann::json;

constexpr std::size_t kMaxRequestBytes = 1 << 20;

void printUsage(std::ostream& out)
{
    out << "usage: zaitaku-cli rules                      < request.json\n"
           "       zaitaku-cli rules <rule> [--field value ...] [--json]\n"
           "\n"
           "Evaluates the eligibility rules (docs/PROTOCOL.md, docs/design/DOMAIN.md §4).\n"
           "JSON form: reads one request object on stdin, writes one JSON object on stdout.\n"
           "  exit 0: the result; exit 2: {\"error\": \"...\", \"field\": \"...\"} for a bad request.\n"
           "Human form: fields as --flags (dashes or underscores), a short Japanese/English\n"
           "explanation on stdout; --on defaults to now (JST); --json prints the JSON instead.\n"
           "Dates are YYYY-MM-DD; date-times YYYY-MM-DDThh:mm:ss+09:00.\n"
           "\n"
           "rules:\n";
    for (const auto& rule : rules::ruleCatalogue()) {
        out << "  " << rule.name << std::string(22 - std::min<std::size_t>(rule.name.size(), 21), ' ') << rule.summary
            << "\n"
            << std::string(24, ' ') << "fields: " << rule.fields << "\n";
    }
    out << "\nexample:\n"
           "  echo '{\"rule\":\"copay\",\"birthdate\":\"1955-06-15\",\"on\":\"2025-07-08\"}' | zaitaku-cli rules\n"
           "  zaitaku-cli rules copay --birthdate 1955-06-15 --on 2025-07-08\n";
}

const rules::RuleInfo* findRule(const std::string& name)
{
    for (const auto& rule : rules::ruleCatalogue()) {
        if (rule.name == name) {
            return &rule;
        }
    }
    return nullptr;
}

// "true"/"false" → bool, digits → integer, {…} → an object (a form's fields), anything else stays
// a string ("2025-07-08").
json flagValue(const std::string& text)
{
    if (!text.empty() && text.front() == '{') {
        json object = base::parseJson(text);
        if (object.is_object()) {
            return object;
        }
    }
    if (text == "true" || text == "false") {
        return text == "true";
    }
    if (!text.empty() && text.size() < 10 &&
        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::stoi(text);
    }
    return text;
}

int runJson(CliContext& ctx)
{
    std::string request;
    char buffer[4096];
    while (ctx.in.read(buffer, sizeof buffer) || ctx.in.gcount() > 0) {
        request.append(buffer, static_cast<std::size_t>(ctx.in.gcount()));
        if (request.size() > kMaxRequestBytes) {
            ctx.out << rules::errorToJson(rules::Error{rules::Errc::MalformedRequest, "the request exceeds 1 MiB"})
                           .dump(-1, ' ', false, json::error_handler_t::replace)
                    << "\n";
            return kExitBadInput;
        }
    }
    auto response = rules::evaluateRuleText(request);
    if (!response) {
        ctx.out << rules::errorToJson(response.error()).dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
        return kExitBadInput;
    }
    ctx.out << response->dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
    return kExitOk;
}

int runHuman(const Args& args, CliContext& ctx)
{
    const rules::RuleInfo* rule = findRule(args[0]);
    if (!rule) {
        ctx.err << "zaitaku-cli rules: unknown rule '" << args[0] << "' (see zaitaku-cli rules --help)\n";
        return kExitBadInput;
    }
    const auto options = parseCommandOptions(args, OptionSpec{{"--json"}, {}, false, true}, "rules", ctx);
    if (!options) {
        return kExitBadInput;
    }
    if (options->help) {
        ctx.out << "usage: zaitaku-cli rules " << rule->name << " [--field value ...] [--json]\n"
                << rule->summary << "\nfields: " << rule->fields << "\n";
        return kExitOk;
    }
    json request{{"rule", args[0]}};
    for (const auto& [name, value] : options->values) {
        std::string key = name;
        std::replace(key.begin(), key.end(), '-', '_');
        request[key] = flagValue(value);
    }
    const bool asJson = options->has("--json");
    auto response = rules::evaluateRule(request, rules::RuleDefaults{&ctx.clock});
    if (!response) {
        ctx.err << "zaitaku-cli rules " << rule->name << ": " << response.error().message << "\n";
        return kExitBadInput;
    }
    if (asJson) {
        ctx.out << response->dump(2) << "\n";
    } else {
        ctx.out << rules::explainRule(*response);
    }
    return kExitOk;
}

} // namespace

int runRules(const Args& args, CliContext& ctx)
{
    if (args.empty()) {
        return runJson(ctx);
    }
    if (isHelpFlag(args[0])) {
        printUsage(ctx.out);
        return kExitOk;
    }
    return runHuman(args, ctx);
}

} // namespace zaitaku::cli
