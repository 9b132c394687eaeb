#pragma once

// One entry of the append-only card custody ledger (F8, DOMAIN.md §5.1). Never a PIN.

#include "verify/model/CodeTable.h"
#include "verify/model/Timestamp.h"

#include <array>
#include <string>

namespace zaitaku::model
{

enum class CustodyAction
{
    Deposit,        // into locked storage
    Checkout,       // taken out by a custodian for a purpose
    Return,         // back into storage
    HandoverFamily, // given to the family with the resident's consent
    Lost,           // incident
};

template <> struct CodeTable<CustodyAction>
{
    static constexpr std::string_view name = "CustodyAction";
    static constexpr std::array<CodeEntry<CustodyAction>, 5> entries{{
        {CustodyAction::Deposit, "deposit", "預かり"},
        {CustodyAction::Checkout, "checkout", "持出し"},
        {CustodyAction::Return, "return", "返却"},
        {CustodyAction::HandoverFamily, "handover_family", "家族への引渡し"},
        {CustodyAction::Lost, "lost", "紛失"},
    }};
};

struct CustodyEvent
{
    std::string id;
    std::string patientId;
    std::string facilityId;
    CustodyAction action = CustodyAction::Deposit;
    std::string staffId;
    std::string witnessId;
    std::string purpose;
    Timestamp at = Timestamp::fromUtc({});
    std::string storageLocation;
};

} // namespace zaitaku::model
