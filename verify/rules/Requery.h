#pragma once

// R7 / F2: when a later visit may rely on re-querying OQS instead of reading the card again.
// Allowed only when all hold [S:P2][S:P3][S:P4]: the same provider confirmed eligibility
// electronically at an earlier visit, care has been continuous since, and the care is given at
// home (居宅). The 療担規則 / 施行規則 amendments took effect on 2023-12-01.
// Continuity after a hospital stay is unclear (Q8): callers pass continuous=false, do F1 [I].

#include "base/CodeTable.h"
#include "base/Date.h"
#include "base/Expected.h"
#include "verify/rules/RulesError.h"

#include <array>
#include <vector>

namespace zaitaku::rules
{

using base::Date;

enum class CareSetting
{
    Home,       // 居宅: 在宅患者訪問診療, 往診 at home, 訪問看護, 訪問薬剤管理
    Outpatient, // 外来
};

enum class RequeryReason
{
    Allowed,
    NotHomeSetting,
    NotSameProvider,
    NotContinuous,
    BeforeRuleEffective,
};

struct RequeryInput
{
    base::Date firstOnlineConfirm;
    base::Date on;
    bool sameProvider = false;
    bool continuous = false;
    CareSetting setting = CareSetting::Home;
};

struct RequeryDecision
{
    bool allowed = false;
    RequeryReason reason = RequeryReason::Allowed; // the first reason that forbids it
    std::vector<RequeryReason> reasons;            // every reason that forbids it
};

base::Date requeryRuleEffective();
Expected<RequeryDecision, Error> requery(const RequeryInput& input);

} // namespace zaitaku::rules

namespace zaitaku::base
{
template <> struct CodeTable<rules::CareSetting>
{
    static constexpr std::string_view name = "setting";
    static constexpr std::array<CodeEntry<rules::CareSetting>, 2> entries{{
        {rules::CareSetting::Home, "home", "居宅"},
        {rules::CareSetting::Outpatient, "outpatient", "外来"},
    }};
};

template <> struct CodeTable<rules::RequeryReason>
{
    static constexpr std::string_view name = "reason";
    static constexpr std::array<CodeEntry<rules::RequeryReason>, 5> entries{{
        {rules::RequeryReason::Allowed, "continuing_home_care", "同一医療機関による継続的な居宅での療養"},
        {rules::RequeryReason::NotHomeSetting, "not_home_setting", "居宅での療養ではない"},
        {rules::RequeryReason::NotSameProvider, "not_same_provider", "同一の医療機関等による初回の資格確認がない"},
        {rules::RequeryReason::NotContinuous, "not_continuous", "初回の資格確認以降、継続した療養ではない"},
        {rules::RequeryReason::BeforeRuleEffective, "before_rule_effective", "再照会の規定の施行（2023-12-01）前"},
    }};
};
} // namespace zaitaku::base
