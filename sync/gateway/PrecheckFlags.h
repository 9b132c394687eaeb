#pragma once

// The flags a route pre-check attaches to a patient's latest result (DESIGN.md §4): what the
// nurse must know before the door. Flag names are ours [I]; they are documented in
// docs/PROTOCOL.md ("Route pre-check").

#include "verify/model/Date.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::gateway
{

// `snapshot` in the store's JSON form (store/ModelJson); null: "no_result".
std::vector<std::string> precheckFlags(const nlohmann::json& snapshot,
                                       const std::optional<model::Date>& receivedOn,
                                       const model::Date& visitDate);

} // namespace zaitaku::sync::gateway
