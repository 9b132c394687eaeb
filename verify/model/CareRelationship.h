#pragma once

// The continuing care that makes re-query (F2, R7) possible: same provider, continuous, at home.

#include "base/CodeTable.h"
#include "base/Date.h"

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

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::ServiceKind>
{
    static constexpr std::string_view name = "ServiceKind";
    static constexpr std::array<CodeEntry<model::ServiceKind>, 4> entries{{
        {model::ServiceKind::HoumonShinryo, "houmon_shinryo", "訪問診療"},
        {model::ServiceKind::Oushin, "oushin", "往診"},
        {model::ServiceKind::HoumonKango, "houmon_kango", "訪問看護"},
        {model::ServiceKind::KyotakuYakuzai, "kyotaku_yakuzai", "在宅患者訪問薬剤管理"},
    }};
};
} // namespace zaitaku::base

namespace zaitaku::model
{

// How the person was verified at a first visit (docs/design/DESIGN.md §3.2).
enum class ConfirmMethod
{
    Pin,
    Face,
    Visual,
};

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::ConfirmMethod>
{
    static constexpr std::string_view name = "ConfirmMethod";
    static constexpr std::array<CodeEntry<model::ConfirmMethod>, 3> entries{{
        {model::ConfirmMethod::Pin, "pin", "暗証番号"},
        {model::ConfirmMethod::Face, "face", "顔認証"},
        {model::ConfirmMethod::Visual, "visual", "目視確認"},
    }};
};
} // namespace zaitaku::base

namespace zaitaku::model
{

struct CareRelationship
{
    std::string id;
    std::string patientId;
    ServiceKind serviceKind = ServiceKind::HoumonShinryo;
    std::optional<base::Date> firstOnlineConfirmAt; // the F1 that makes later re-query lawful
    std::optional<ConfirmMethod> firstConfirmMethod;
    bool continuing = true;
    std::optional<base::Date> endedAt; // explicit end: the next visit is F1 again
};

} // namespace zaitaku::model
