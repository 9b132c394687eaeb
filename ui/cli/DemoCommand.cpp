#include "ui/cli/DemoCommand.h"

#include "verify/rules/RuleExplanation.h"
#include "verify/rules/RuleService.h"

#include <nlohmann/json.hpp>
#include <ostream>

namespace zaitaku::cli
{

namespace
{

using nlohmann::json;

// One step of the demo: a heading and the rule requests evaluated for it.
struct DemoStep
{
    const char* heading;
    std::vector<json> requests;
};

std::vector<DemoStep> workedExample()
{
    // DOMAIN.md §7: born 1955-06-15, NHI, e-cert expiry 2025-08-20, first home visit 2025-06-10
    // with card + visual confirmation, consents to 薬剤 and 診療.
    const std::string birth = "1955-06-15";
    const std::string first = "2025-06-10";
    auto copay = [&](const char* on) { return json{{"rule", "copay"}, {"birthdate", birth}, {"on", on}}; };
    auto requery = [&](const char* on) {
        return json{{"rule", "requery"},  {"first_online_confirm", first},
                    {"on", on},           {"same_provider", true},
                    {"continuous", true}, {"setting", "home"}};
    };
    auto ecert = [](const char* on) { return json{{"rule", "ecert"}, {"expiry", "2025-08-20"}, {"on", on}}; };
    return {
        {"2025-06-10 初回訪問 First visit (F1: card + visual confirmation)",
         {copay("2025-06-10"), ecert("2025-06-10"),
          json{{"rule", "medical_info_window"},
               {"consent_at", "2025-06-10T10:30:00+09:00"},
               {"on", "2025-06-10T11:00:00+09:00"},
               {"visit_kind", "houmon_continuing"}}}},
        {"2025-06-24 再訪問 Revisit (F2)",
         {requery("2025-06-24"), copay("2025-06-24"),
          json{{"rule", "card_valid_until"}, {"birthdate", birth}, {"event", "70"}}}},
        {"2025-07-08 再訪問 Revisit (F2): the 70-74 ratio now applies",
         {requery("2025-07-08"), copay("2025-07-08"), json{{"rule", "elderly_from"}, {"birthdate", birth}}}},
        {"2025-08-21 証明書の有効期限後 After the certificate expiry", {ecert("2025-08-21")}},
        {"2025-12-01 猶予期間後 After the grace period: F6 fallback",
         {ecert("2025-12-01"), json{{"rule", "fusho_claim"}, {"kouki", false}}}},
        {"参考 For reference: 往診 consent window (24 h, seed 003)",
         {json{{"rule", "medical_info_window"},
               {"consent_at", "2025-06-10T10:30:00+09:00"},
               {"on", "2025-06-11T11:00:00+09:00"},
               {"visit_kind", "oushin"}}}},
    };
}

} // namespace

int runDemo(const Args& args, CliContext& ctx)
{
    for (const auto& arg : args) {
        if (isHelpFlag(arg)) {
            ctx.out << "usage: zaitaku-cli demo\n"
                       "Runs the embedded demo. This release: the rules engine on the worked example of\n"
                       "DOMAIN.md §7 (born 1955-06-15, first visit 2025-06-10, certificate expiry 2025-08-20).\n"
                       "The gateway, OQS simulator and virtual card join the demo as they land.\n";
            return kExitOk;
        }
        ctx.err << "zaitaku-cli demo: unexpected argument '" << arg << "'\n";
        return kExitBadInput;
    }
    ctx.out << "zaitaku demo — 在宅 eligibility rules on one patient's visits\n"
               "(patient: born 1955-06-15, NHI; My Number Card certificate expires 2025-08-20)\n";
    for (const auto& step : workedExample()) {
        ctx.out << "\n■ " << step.heading << "\n";
        for (const auto& request : step.requests) {
            auto response = rules::evaluateRule(request);
            if (!response) {
                ctx.err << "demo step failed: " << response.error().message << "\n";
                return kExitFailure;
            }
            ctx.out << rules::explainRule(*response);
        }
    }
    ctx.out << "\ndemo complete\n";
    return kExitOk;
}

} // namespace zaitaku::cli
