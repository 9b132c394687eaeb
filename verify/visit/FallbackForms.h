#pragma once

// The F6 ladder (docs/design/DOMAIN.md F6, R4, R6) as forms: for each kind, the fields staff transcribe, which
// are required, whether the kind applies at this visit, and how long the tablet keeps it.
//   マイナポータル screen / PDF, 資格情報のお知らせ + card, 資格確認書, paper 健康保険証 (only until its
//   expiry, at the latest 2025-12-01 [S:P31]), verbal confirmation (revisits with a known prior
//   qualification only [S:P16]), 被保険者資格申立書 (the seed's 別紙様式 fields; its record carries the
//   不詳 claim fields of R4 [S:P17]).
// Field names are ours (snake_case, English) [I]; the labels are the documents' own words.

#include "base/Date.h"
#include "base/Expected.h"
#include "verify/model/EligibilitySnapshot.h"
#include "verify/model/FallbackEvidence.h"
#include "verify/model/Patient.h"
#include "verify/visit/VisitError.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::visit
{

struct FormField
{
    std::string key;
    std::string label; // Japanese, as printed on the document
    bool required = false;
    std::vector<std::string> choices; // empty: free text
};

struct FallbackForm
{
    model::FallbackKind kind;
    std::vector<FormField> fields;
};

const FallbackForm& fallbackForm(model::FallbackKind kind);
// What a choice code is called on screen and on paper (Japanese; the code itself is what is stored).
std::string choiceLabel(const std::string& code);
// In F6 order.
const std::vector<model::FallbackKind>& fallbackLadder();

struct FallbackSituation
{
    base::Date on;
    bool revisit = false;            // a returning patient (seen before by this provider), however the visit began
    bool priorQualification = false; // a confirmed result or re-query key is on file
    // true: a card was read at this visit; otherwise unknown (staff attest to it on the form).
    std::optional<bool> cardPresented;
};

// Empty when the kind applies; otherwise why not (Japanese).
std::optional<std::string> fallbackUnavailable(model::FallbackKind kind, const FallbackSituation& situation);

struct FallbackRetention
{
    int moushitateshoDays = 180; // until the claim is paid [S:P16]; the payment date is not known here [I]
    int otherDays = 3 * 365;     // 療担規則 第9条: other records 3 years [S:P33]
};

// Validates the transcribed fields (a JSON object of strings) against the form and returns the
// canonical JSON to store: known fields only, plus, for a 申立書, the 不詳 claim fields (R4).
Expected<std::string, Error> checkFallbackFields(model::FallbackKind kind, const std::string& fieldsJson);

// The numbers a 申立書's claim uses, in seed 003's order: ① the current numbers (interview, past
// visits), ② the former numbers (the 資格（無効） screen, past visits), ③ 不詳 (R4). Returns
// {order: 1|2|3, basis: "current"|"former"|"fusho", insurer_number, insured_number}.
nlohmann::json claimFor(const nlohmann::json& moushitateshoFields);

// What the newest cached result suggests for ① (a valid result: past visits) or ② (a 資格（無効）
// result); staff confirm it with the patient before it counts. Empty when it suggests nothing.
std::map<std::string, std::string> claimSuggestion(const model::EligibilitySnapshot& latest);
// What the facility's roster already knows and a form asks for (issue 31: kanji are typed only
// when the roster lacks them): 氏名, フリガナ, 生年月日. Staff confirm them against the document or
// with the patient; the numbers are always copied from the document itself.
std::map<std::string, std::string> rosterSuggestion(const model::Patient& patient);

// R4: the 不詳 claim a 申立書's fields lead to: the claim numbers (後期高齢者 when the declared
// insurance type is kouki), 摘要欄 = 「不詳」 + address, residence, employer and contact, and the
// review body the insurance type points to (支払基金 for shaho, 国保連 for kokuho/kouki, else the
// facility decides [S:P17]). Used by the tablet when it stores the form and by the gateway, which
// derives it again from the fields it received.
nlohmann::json fushoClaimFor(const nlohmann::json& moushitateshoFields);

base::Date discardAfter(model::FallbackKind kind, base::Date on, const FallbackRetention& retention);

} // namespace zaitaku::visit
