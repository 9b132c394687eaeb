#pragma once

// One entry of the append-only card custody ledger (F8, docs/design/DOMAIN.md §5.1). Never a PIN.

#include "base/CodeTable.h"
#include "base/Timestamp.h"

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

} // namespace zaitaku::model

namespace zaitaku::base
{
template <> struct CodeTable<model::CustodyAction>
{
    static constexpr std::string_view name = "CustodyAction";
    static constexpr std::array<CodeEntry<model::CustodyAction>, 5> entries{{
        {model::CustodyAction::Deposit, "deposit", "預かり"},
        {model::CustodyAction::Checkout, "checkout", "持出し"},
        {model::CustodyAction::Return, "return", "返却"},
        {model::CustodyAction::HandoverFamily, "handover_family", "家族への引渡し"},
        {model::CustodyAction::Lost, "lost", "紛失"},
    }};
};
} // namespace zaitaku::base

namespace zaitaku::model
{

// What staff do when a card is lost: suspend it at once by phone, day or night [seed 004: 「マイナン
// バー総合フリーダイヤルにお電話ください。…24時間365日、一時利用停止することが可能です」; the number:
// seed 003], and meanwhile confirm with the 資格確認書, issued on request to people whose card is
// lost [seed 004 P18: 「マイナンバーカードを紛失・更新中の方」].
inline constexpr const char* kLostCardGuidance =
    "マイナンバー総合フリーダイヤル（0120-95-0178、24時間365日）に電話して、カードの一時利用停止を"
    "してください。見つかるまでの資格確認は資格確認書で行います（紛失中の方には申請により交付されます）。";

struct CustodyEvent
{
    std::string id;
    std::string patientId;
    std::string facilityId;
    CustodyAction action = CustodyAction::Deposit;
    std::string staffId;
    std::string witnessId;
    std::string purpose;
    base::Timestamp at = base::Timestamp::fromUtc({});
    std::string storageLocation; // e.g. the locked cabinet (鍵付きのロッカー等) [seed 004]
    std::string agreementRef;    // the 入所契約 or 預かり証 the custody rests on [seed 004]
};

} // namespace zaitaku::model
