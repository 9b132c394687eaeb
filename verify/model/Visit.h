#pragma once

// One home visit and where it is in its flow (F1 first visit, F2 revisit, F6 fallback).

#include "base/CodeTable.h"
#include "base/Date.h"
#include "base/Timestamp.h"
#include "verify/model/CareRelationship.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::model
{

enum class VisitFlow
{
    FirstVisit, // F1 初回
    Revisit,    // F2 再照会
    Fallback,   // F6
};

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::VisitFlow>
{
    static constexpr std::string_view name = "VisitFlow";
    static constexpr std::array<CodeEntry<model::VisitFlow>, 3> entries{{
        {model::VisitFlow::FirstVisit, "first_visit", "初回"},
        {model::VisitFlow::Revisit, "revisit", "再照会"},
        {model::VisitFlow::Fallback, "fallback", "代替手段"},
    }};
};
} // namespace zaitaku::base

namespace zaitaku::model
{

// Who helped the patient at the door (seed 004 Q1: family, carers or facility staff may place the
// card for a patient who cannot, at the patient's wish; the PIN is for the patient or the 法定代理人
// only: 「原則として法定代理人以外の者に知らせることは適当ではありません」).
enum class Assistance
{
    None,                // 本人のみ
    Family,              // 家族
    Carer,               // 介助者
    FacilityStaff,       // 施設職員
    LegalRepresentative, // 法定代理人
};

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::Assistance>
{
    static constexpr std::string_view name = "Assistance";
    static constexpr std::array<CodeEntry<model::Assistance>, 5> entries{{
        {model::Assistance::None, "none", "本人のみ"},
        {model::Assistance::Family, "family", "家族"},
        {model::Assistance::Carer, "carer", "介助者"},
        {model::Assistance::FacilityStaff, "facility_staff", "施設職員"},
        {model::Assistance::LegalRepresentative, "legal_representative", "法定代理人"},
    }};
};
} // namespace zaitaku::base

namespace zaitaku::model
{

// How a revisit's qualification was confirmed (F2, seed 004: 「2回目以降の訪問においては…再照会機能を
// 活用した資格確認を行う」). Answered: the gateway asked OQS at the visit and the answer came back;
// pending: no signal at the door, so the gateway asks OQS when the record arrives and feeds the
// answer back. A cached result is never today's confirmation.
enum class RequeryState
{
    None,     // not a re-query visit
    Answered, // OQS answered at the visit (Visit::snapshotId names the answer)
    Pending,  // to be asked by the gateway when the record arrives
};

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::RequeryState>
{
    static constexpr std::string_view name = "RequeryState";
    static constexpr std::array<CodeEntry<model::RequeryState>, 3> entries{{
        {model::RequeryState::None, "none", "再照会なし"},
        {model::RequeryState::Answered, "answered", "再照会済み"},
        {model::RequeryState::Pending, "pending", "再照会待ち"},
    }};
};
} // namespace zaitaku::base

namespace zaitaku::model
{

struct Visit
{
    std::string id;
    std::string patientId;
    std::string careRelationshipId;
    ServiceKind serviceKind = ServiceKind::HoumonShinryo;
    VisitFlow flow = VisitFlow::FirstVisit;
    std::string state; // the visit engine's state name (verify/visit)
    base::Date scheduledFor = base::Date::fromSysDays({});
    std::optional<base::Timestamp> startedAt;
    std::optional<base::Timestamp> completedAt;
    std::string staffId;
    std::string deviceId;
    std::optional<base::Date> qualificationConfirmationDate;
    std::string snapshotId;
    std::vector<std::string> evidenceIds;
    std::vector<std::string> consentIds;
    Assistance assistedBy = Assistance::None;
    RequeryState requery = RequeryState::None;
};

} // namespace zaitaku::model
