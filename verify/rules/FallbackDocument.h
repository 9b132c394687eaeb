#pragma once

// Whether a fallback document (F6) proves the patient's insurance at this visit, from what staff
// transcribed off it:
//   - 資格確認書 / paper 健康保険証: 有効期限 and 発効期日 against the visit date [seed 003, 004];
//     the paper card at the latest 2025-12-01 [seed 003: 「(~2025.12/1)」][seed 004];
//   - the birthday limits on documents (R2): a pre-70 document ends with the birth month (the
//     month before for a birthday on the 1st); from 70 the document prints the ratio and its
//     発効期日 [seed 003: 「70歳以上の場合、負担割合のほか、有効期限、発効期日を記載」]; an NHI or
//     employer document ends the day before the 75th birthday [seed 004];
//   - マイナポータル screen / PDF and 資格情報のお知らせ only together with the card
//     [seed 003: 「この画面のみでは受診できません」「このお知らせのみでは受診できません」]; past the
//     screen's 有効期限 the ratio may have changed (a note, not a refusal) [seed 003].
// Field names are the fallback forms' (verify/visit/FallbackForms) [I].

#include "base/Date.h"
#include "verify/model/FallbackEvidence.h"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::rules
{

struct DocumentFinding
{
    std::string code;    // "expired", "not_yet_effective", "paper_card_ended", "needs_card", …
    std::string message; // Japanese, for the screen and the record
};

struct DocumentCheck
{
    bool accepted = true;
    std::vector<DocumentFinding> reasons; // why not accepted (empty when accepted)
    std::vector<DocumentFinding> notes;   // accepted, but tell the patient / clerk
};

struct DocumentCheckInput
{
    model::FallbackKind kind = model::FallbackKind::Moushitatesho;
    const nlohmann::json* fields = nullptr; // an object of strings (the form's keys)
    base::Date visitDate;
    std::optional<base::Date> birthdate; // the patient's (roster); a document's own 生年月日 must match it
    std::optional<bool> cardPresented;   // default: the form's 「マイナンバーカードを確認した」
};

DocumentCheck checkFallbackDocument(const DocumentCheckInput& input);

// The last day a paper 健康保険証 could be used [seed 003][seed 004].
base::Date paperCardLastDay();

// 後期高齢者医療's insurer numbers carry 法別番号 39 [I: published widely, not in the seeds].
bool isKoukiInsurerNumber(const std::string& insurerNumber);

} // namespace zaitaku::rules
