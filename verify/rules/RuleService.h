#pragma once

// The JSON face of the rules: one request object in, one response object out (the contract of
// `zaitaku-cli rules`, docs/PROTOCOL.md §rules). Strict: a missing field, a wrong type, an
// impossible date or a reversed date order is an Error naming the field.

#include "base/Clock.h"
#include "base/Expected.h"
#include "verify/rules/RulesError.h"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::rules
{

struct RuleDefaults
{
    // When set, a missing "on" is filled with the clock's now in JST (the CLI's human form).
    // The JSON contract leaves it unset: there, "on" is required.
    const base::Clock* clock = nullptr;
};

struct RuleInfo
{
    std::string_view name;
    std::string_view summary;
    std::string_view fields; // the request fields, for --help
};

const std::vector<RuleInfo>& ruleCatalogue();

Expected<nlohmann::json, Error> evaluateRule(const nlohmann::json& request, const RuleDefaults& defaults = {});
Expected<nlohmann::json, Error> evaluateRuleText(std::string_view requestText, const RuleDefaults& defaults = {});

// {"error": message, "field": name-or-null, "code": "missing_field" …}
nlohmann::json errorToJson(const Error& error);

} // namespace zaitaku::rules
