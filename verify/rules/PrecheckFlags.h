#pragma once

// The flags a route pre-check attaches to a patient's latest result: what the nurse must know
// before the door. The gateway attaches them to its answer and the tablet to its cached copy, with
// this one rule. Flag names are ours [I]; they are documented in docs/PROTOCOL.md ("Route
// pre-check").

#include "base/Date.h"
#include "verify/model/EligibilitySnapshot.h"

#include <optional>
#include <string>
#include <vector>

namespace zaitaku::rules
{

// `snapshot` null: "no_result".
// `certificateExpiry`: the card's user-authentication certificate as seen at the first visit
// (R3: ecert_expiring / ecert_grace / ecert_unusable).
std::vector<std::string> precheckFlags(const model::EligibilitySnapshot* snapshot,
                                       const std::optional<base::Date>& receivedOn,
                                       const base::Date& visitDate,
                                       const std::optional<base::Date>& certificateExpiry = std::nullopt);

} // namespace zaitaku::rules
