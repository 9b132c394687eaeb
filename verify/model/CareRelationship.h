#pragma once

// The continuing care that makes re-query (F2, R7) possible: same provider, continuous, at home.

#include "verify/model/CodeTable.h"
#include "verify/model/Date.h"

#include <array>
#include <optional>
#include <string>

namespace zaitaku::model
{

enum class ServiceKind
{
    HoumonShinryo,  // 訪問診療
    Oushin,         // 往診
    HoumonKango,    // 訪問看護
    KyotakuYakuzai, // 在宅患者訪問薬剤管理
};

template <> struct CodeTable<ServiceKind>
{
    static constexpr std::string_view name = "ServiceKind";
    static constexpr std::array<CodeEntry<ServiceKind>, 4> entries{{
        {ServiceKind::HoumonShinryo, "houmon_shinryo", "訪問診療"},
        {ServiceKind::Oushin, "oushin", "往診"},
        {ServiceKind::HoumonKango, "houmon_kango", "訪問看護"},
        {ServiceKind::KyotakuYakuzai, "kyotaku_yakuzai", "在宅患者訪問薬剤管理"},
    }};
};

// How the person was verified at a first visit (DESIGN.md §3.2).
enum class ConfirmMethod
{
    Pin,
    Face,
    Visual,
};

template <> struct CodeTable<ConfirmMethod>
{
    static constexpr std::string_view name = "ConfirmMethod";
    static constexpr std::array<CodeEntry<ConfirmMethod>, 3> entries{{
        {ConfirmMethod::Pin, "pin", "暗証番号"},
        {ConfirmMethod::Face, "face", "顔認証"},
        {ConfirmMethod::Visual, "visual", "目視確認"},
    }};
};

struct CareRelationship
{
    std::string id;
    std::string patientId;
    ServiceKind serviceKind = ServiceKind::HoumonShinryo;
    std::optional<Date> firstOnlineConfirmAt; // the F1 that makes later re-query lawful
    std::optional<ConfirmMethod> firstConfirmMethod;
    bool continuing = true;
    std::optional<Date> endedAt; // explicit end: the next visit is F1 again
};

} // namespace zaitaku::model
