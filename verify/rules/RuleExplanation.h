#pragma once

// A short Japanese / English explanation of a rule response, for people at a terminal
// (`zaitaku-cli rules copay --birthdate … --on …`) and for the demo.

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace zaitaku::rules
{

// `response` is what evaluateRule returned (it carries "rule"). Two or more lines: Japanese
// first, then English.
std::string explainRule(const nlohmann::json& response);

} // namespace zaitaku::rules
