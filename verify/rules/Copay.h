#pragma once

// R1: the copay ratio (一部負担金割合) by age, as the engine's cross-check of what OQS returns.
// Precedence [I]: the ratio in the OQS result for the visit date wins; this rule validates it
// or fills in when it is absent, and a disagreement is flagged, never silently overridden.

#include "base/CodeTable.h"
#include "base/Date.h"
#include "base/Expected.h"
#include "verify/rules/RulesError.h"

#include <array>
#include <optional>

namespace zaitaku::rules
{

using base::Date;

enum class Income
{
    General, // 一般
    High,    // 現役並み所得者
};

enum class CopayBasis
{
    Preschool,     // 未就学: 2割
    General,       // school entry to 69: 3割
    Elderly70to74, // 2割, 3割 for 現役並み
    Kouki,         // 後期高齢者: 1/2/3割 as the insurer decides
};

struct CopayInput
{
    base::Date birthdate;
    base::Date on;
    Income income = Income::General;
    int koukiPercent = 10; // the 後期 ratio the insurer set (10, 20 or 30)
};

struct CopayResult
{
    int percent = 30;
    CopayBasis basis = CopayBasis::General;
    int age = 0;
};

Expected<CopayResult, Error> copay(const CopayInput& input);

// Compares the ratio OQS returned with the age rule. Returns the rule's result when they
// disagree (the caller shows a discrepancy flag), nothing when they agree or OQS sent none.
std::optional<CopayResult> copayDiscrepancy(const CopayInput& input, std::optional<int> oqsPercent);

} // namespace zaitaku::rules

namespace zaitaku::base
{
template <> struct CodeTable<rules::Income>
{
    static constexpr std::string_view name = "income";
    static constexpr std::array<CodeEntry<rules::Income>, 2> entries{{
        {rules::Income::General, "general", "一般"},
        {rules::Income::High, "high", "現役並み所得者"},
    }};
};

template <> struct CodeTable<rules::CopayBasis>
{
    static constexpr std::string_view name = "basis";
    static constexpr std::array<CodeEntry<rules::CopayBasis>, 4> entries{{
        {rules::CopayBasis::Preschool, "preschool", "未就学児"},
        {rules::CopayBasis::General, "general", "義務教育就学後〜69歳"},
        {rules::CopayBasis::Elderly70to74, "elderly_70_74", "70〜74歳（高齢受給者）"},
        {rules::CopayBasis::Kouki, "kouki", "後期高齢者医療"},
    }};
};
} // namespace zaitaku::base
