#pragma once

// A patient as the facility knows them (the tablet's roster). Deliberately no 個人番号 field: it
// is never read, asked for or stored (docs/design/DESIGN.md §3.1).

#include "base/Date.h"

#include <string>

namespace zaitaku::model
{

// The numbers printed on the insurance card / 資格確認書 that identify the insured person to OQS
// (docs/design/DOMAIN.md §2.2). Kept as text exactly as written: zero padding is Q4.
struct InsuredNumbers
{
    std::string insurerNumber; // 保険者番号 (6 or 8 digits)
    std::string symbol;        // 記号 (may be empty, may contain kanji)
    std::string number;        // 番号
    std::string branch;        // 枝番 (2 digits; empty on documents issued before it existed)
};

struct Patient
{
    std::string id;          // our UUID (or the facility's stable id)
    std::string localMrn;    // the facility's own patient number
    std::string displayName; // as the facility writes it
    std::string nameKana;    // カナ氏名
    base::Date birthdate = base::Date::fromSysDays({});
    InsuredNumbers insured;      // as the facility has it on file (the roster); OQS may differ
    std::string acceptedOqsName; // staff-confirmed OQS name when it contains ● (R5 b)
    std::string referenceNumber; // 照会番号 registered with OQS (≤ 50 chars) [U:2]
};

} // namespace zaitaku::model
