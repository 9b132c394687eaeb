#pragma once

// One home visit and where it is in its flow (F1 first visit, F2 revisit, F6 fallback).

#include "verify/model/CareRelationship.h"
#include "verify/model/CodeTable.h"
#include "verify/model/Date.h"
#include "verify/model/Timestamp.h"

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

template <> struct CodeTable<VisitFlow>
{
    static constexpr std::string_view name = "VisitFlow";
    static constexpr std::array<CodeEntry<VisitFlow>, 3> entries{{
        {VisitFlow::FirstVisit, "first_visit", "初回"},
        {VisitFlow::Revisit, "revisit", "再照会"},
        {VisitFlow::Fallback, "fallback", "代替手段"},
    }};
};

struct Visit
{
    std::string id;
    std::string patientId;
    std::string careRelationshipId;
    ServiceKind serviceKind = ServiceKind::HoumonShinryo;
    VisitFlow flow = VisitFlow::FirstVisit;
    std::string state; // the visit engine's state name (verify/visit)
    Date scheduledFor = Date::fromSysDays({});
    std::optional<Timestamp> startedAt;
    std::optional<Timestamp> completedAt;
    std::string staffId;
    std::string deviceId;
    std::optional<Date> qualificationConfirmationDate;
    std::string snapshotId;
    std::vector<std::string> evidenceIds;
    std::vector<std::string> consentIds;
};

} // namespace zaitaku::model
