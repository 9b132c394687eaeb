#pragma once

// The flags a route pre-check attaches to a patient's latest result (DESIGN.md §4): what the
// nurse must know before the door. Flag names are ours [I]; they are documented in
// docs/PROTOCOL.md ("Route pre-check").

#include "base/Date.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::gateway
{

// `snapshot` in the store's JSON form (store/ModelJson); null: "no_result".
// `certificateExpiry`: the card's user-authentication certificate as seen at the first visit
// (R3: ecert_expiring / ecert_grace / ecert_unusable).
std::vector<std::string> precheckFlags(const nlohmann::json& snapshot,
                                       const std::optional<base::Date>& receivedOn,
                                       const base::Date& visitDate,
                                       const std::optional<base::Date>& certificateExpiry = std::nullopt);

} // namespace zaitaku::sync::gateway
