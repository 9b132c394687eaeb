#pragma once

// F4: how long consented 薬剤/診療 information may be viewed after the consent.
//   往診 (and counter use of 居宅同意取得型): 24 hours after the consent registration
//     (「同意情報登録後24時間」, seed 003) — the window is [consent, consent + 24 h], inclusive.
//   continuing home care (訪問診療 / 訪問看護): no fixed end; allowed while re-query is allowed
//     (the continuing relationship, [S:P1][S:P5]); the caller checks rules::requery.
// When OQS sends an *AvailableTime, it is the authoritative deadline [I] and replaces both.

#include "base/CodeTable.h"
#include "base/Expected.h"
#include "base/Timestamp.h"
#include "verify/rules/RulesError.h"

#include <array>
#include <optional>

namespace zaitaku::rules
{

using base::Timestamp;

enum class VisitKind
{
    Oushin,           // 往診
    HoumonContinuing, // 継続的な訪問診療・訪問看護
};

enum class WindowBasis
{
    TwentyFourHours,
    ContinuingCare,
    AvailableTime,
};

struct MedicalInfoWindowInput
{
    base::Timestamp consentAt;
    base::Timestamp on;
    VisitKind visitKind = VisitKind::Oushin;
    std::optional<base::Timestamp> availableTime;
};

struct MedicalInfoWindowResult
{
    bool allowed = false;
    std::optional<base::Timestamp> until; // empty: no fixed end (continuing care)
    WindowBasis basis = WindowBasis::TwentyFourHours;
    bool requiresRequeryAllowed = false;
};

Expected<MedicalInfoWindowResult, Error> medicalInfoWindow(const MedicalInfoWindowInput& input);

} // namespace zaitaku::rules

namespace zaitaku::base
{
template <> struct CodeTable<rules::VisitKind>
{
    static constexpr std::string_view name = "visit_kind";
    static constexpr std::array<CodeEntry<rules::VisitKind>, 2> entries{{
        {rules::VisitKind::Oushin, "oushin", "往診"},
        {rules::VisitKind::HoumonContinuing, "houmon_continuing", "継続的な訪問診療・訪問看護"},
    }};
};

template <> struct CodeTable<rules::WindowBasis>
{
    static constexpr std::string_view name = "window_basis";
    static constexpr std::array<CodeEntry<rules::WindowBasis>, 3> entries{{
        {rules::WindowBasis::TwentyFourHours, "consent_plus_24h", "同意情報登録後24時間"},
        {rules::WindowBasis::ContinuingCare, "continuing_care", "継続的な療養の間（再照会が可能な間）"},
        {rules::WindowBasis::AvailableTime, "available_time", "OQSの閲覧可能期限（AvailableTime）"},
    }};
};
} // namespace zaitaku::base
