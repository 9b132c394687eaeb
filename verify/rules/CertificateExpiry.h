#pragma once

// R3 / F7: the state of the card's user-authentication certificate on a date.
//   valid     → before the alert window
//   expiring  → from 3 months before expiry through the expiry date: fully usable, show an alert
//   grace     → after expiry to the last day of the 3rd month after the expiry month:
//               qualification confirmation only [seed 003: 「有効期限が切れてから3か月間は健康保険証
//               として利用可能」]; no 診療・薬剤 information [https://nishipla-kenpo.or.jp/news/2802:
//               「オンライン資格確認のみ有効…診療情報・薬剤情報等の提供はできません」] (the seeds are
//               silent on medical information in this period)
//   unusable  → after the grace period (保険証利用登録 released): go to F6
// The grace period exists for expiries on or after 2024-12-02 [S:P29]; earlier expiries go
// straight from expiring to unusable.

#include "base/CodeTable.h"
#include "base/Date.h"

#include <array>
#include <optional>

namespace zaitaku::rules
{

using base::Date;

enum class CertificateState
{
    Valid,
    Expiring,
    Grace,
    Unusable,
};

struct CertificateStatus
{
    CertificateState state = CertificateState::Valid;
    base::Date alertFrom;                 // 3 calendar months before expiry, day-based [I] (Q14)
    std::optional<base::Date> graceUntil; // empty when no grace period applies
    bool qualificationAllowed = true;
    bool medicalInfoAllowed = true;
};

// The first expiry date the grace period applies to.
base::Date graceRuleFirstExpiry();

CertificateStatus certificateStatus(base::Date expiry, base::Date on);

} // namespace zaitaku::rules

namespace zaitaku::base
{
template <> struct CodeTable<rules::CertificateState>
{
    static constexpr std::string_view name = "state";
    static constexpr std::array<CodeEntry<rules::CertificateState>, 4> entries{{
        {rules::CertificateState::Valid, "valid", "有効"},
        {rules::CertificateState::Expiring, "expiring", "有効期限3か月前（更新案内）"},
        {rules::CertificateState::Grace, "grace", "有効期限切れ後3か月間（資格確認のみ可）"},
        {rules::CertificateState::Unusable, "unusable", "利用不可（健康保険証利用登録の解除）"},
    }};
};
} // namespace zaitaku::base
