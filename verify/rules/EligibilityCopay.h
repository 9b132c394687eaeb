#pragma once

// The copay ratio to show for a visit date, from an OQS result (R1 precedence [I]): the ratio
// OQS returned wins (後期: InsuredPartialContributionRatio; 70–74: the 高齢受給者 ratio when its
// validity covers the date); the age rule fills in when OQS sent none, and a disagreement is
// reported, never silently overridden.

#include "base/Date.h"
#include "verify/model/EligibilitySnapshot.h"

#include <optional>
#include <string_view>

namespace zaitaku::rules
{

enum class CopaySource
{
    KoukiRatio,   // InsuredPartialContributionRatio
    ElderlyRatio, // ElderlyRecipientContributionRatio, valid on the date
    AgeRule,      // R1 by birthdate (income unknown: 一般)
};

struct EligibilityCopay
{
    int percent = 30;
    CopaySource source = CopaySource::AgeRule;
    std::optional<int> ruleDisagrees; // the age rule's percent when it contradicts OQS
};

std::string_view copaySourceName(CopaySource source);

// Nothing when the result carries neither a ratio nor a birthdate.
std::optional<EligibilityCopay> eligibilityCopay(const model::EligibilitySnapshot& snapshot, base::Date on);

} // namespace zaitaku::rules
