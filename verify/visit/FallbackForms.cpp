#include "verify/visit/FallbackForms.h"

#include "base/BoundedJson.h"
#include "verify/rules/FallbackDocument.h"
#include "verify/rules/FushoClaim.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

namespace zaitaku::visit
{

namespace
{

using model::FallbackKind;

const std::vector<std::string> kRatios{"3", "2", "1", "unknown"};

std::vector<FormField> insuredNumberFields()
{
    return {{"insurer_number", "保険者番号", true, {}},
            {"insured_symbol", "記号", false, {}},
            {"insured_number", "番号", true, {}},
            {"insured_branch", "枝番", false, {}},
            {"name", "氏名", true, {}},
            {"birthdate", "生年月日", true, {}},
            {"copay_ratio", "負担割合", false, kRatios}};
}

const std::map<FallbackKind, FallbackForm>& forms()
{
    static const std::map<FallbackKind, FallbackForm> all = [] {
        std::map<FallbackKind, FallbackForm> m;
        // Only together with the card: 「この画面のみでは受診できません」 [seed 003]. The screen and the
        // PDF show an 有効期限 for people aged 70 and over and 後期 members [seed 003].
        auto portal = insuredNumberFields();
        portal.push_back({"card_seen", "マイナンバーカードを確認した", true, {"yes"}});
        portal.push_back({"valid_until", "有効期限（70歳以上・後期高齢者）", false, {}});
        m[FallbackKind::MynaportalScreen] = {FallbackKind::MynaportalScreen, portal};
        m[FallbackKind::MynaportalPdf] = {FallbackKind::MynaportalPdf, portal};
        auto oshirase = insuredNumberFields();
        oshirase.push_back({"card_seen", "マイナンバーカードを確認した", true, {"yes"}});
        m[FallbackKind::OshirasePlusCard] = {FallbackKind::OshirasePlusCard, oshirase};
        auto kakuninsho = insuredNumberFields();
        kakuninsho.push_back({"valid_until", "有効期限", true, {}});
        kakuninsho.push_back({"valid_from", "発効期日", false, {}});
        kakuninsho.push_back({"insurer_name", "交付者名", false, {}});
        kakuninsho.push_back({"limit_class", "限度区分", false, {}});
        kakuninsho.push_back({"residence_until", "在留期限（外国籍の方）", false, {}});
        m[FallbackKind::ShikakuKakuninsho] = {FallbackKind::ShikakuKakuninsho, kakuninsho};
        auto paper = insuredNumberFields();
        paper.push_back({"valid_until", "有効期限", true, {}});
        paper.push_back({"valid_from", "交付年月日・発効期日", false, {}});
        paper.push_back({"residence_until", "在留期限（外国籍の方）", false, {}});
        m[FallbackKind::PaperCard] = {FallbackKind::PaperCard, paper};
        m[FallbackKind::VerbalRevisit] = {
            FallbackKind::VerbalRevisit,
            {{"patient_confirms_no_change", "前回から資格に変更がないことを本人に確認した", true, {"yes"}},
             {"confirmed_with", "確認した相手（本人・家族等）", false, {}}}};
        // 被保険者資格申立書 (seed 003, 別紙様式): 1 保険資格 / 2 券面事項 / signature and contact.
        m[FallbackKind::Moushitatesho] = {
            FallbackKind::Moushitatesho,
            {{"has_valid_qualification", "有効な保険資格を有している", true, {"yes"}},
             {"insurance_type", "保険種別", true, {"shaho", "kokuho", "kouki", "other", "unknown"}},
             {"insurer_name", "保険者等名称", false, {}},
             {"employer", "事業所名", false, {}},
             {"copay_ratio", "一部負担金の割合", false, kRatios},
             {"name", "氏名", true, {}},
             {"name_kana", "フリガナ", true, {}},
             {"birthdate", "生年月日", true, {}},
             {"sex", "性別", true, {"male", "female"}},
             {"address", "住所", true, {}},
             {"residence", "居所（券面の住所以外）", false, {}},
             {"signed_on", "記入日", true, {}},
             {"signer_relation", "患者との関係（代筆の場合）", false, {}},
             {"contact_phone", "連絡先電話番号", false, {}},
             // The claim's numbers, in the seed's order ①→②→③ [seed 003]: ① the current numbers
             // from the interview or past visits, ② the former ones from the 資格（無効） screen or
             // past visits, ③ only then 不詳.
             {"current_insurer_number", "①現在の保険者番号（聞き取り・過去の受診歴）", false, {}},
             {"current_insured_number", "①現在の被保険者番号", false, {}},
             {"former_insurer_number", "②過去の保険者番号（「資格（無効）」画面・過去の受診歴）", false, {}},
             {"former_insured_number", "②過去の被保険者番号", false, {}}}};
        return m;
    }();
    return all;
}

// A form field's text, or "" when absent or not text.
std::string textOf(const nlohmann::json& fields, const std::string& key)
{
    const auto it = fields.find(key);
    return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Error fieldError(const std::string& field, const std::string& message)
{
    return Error{Errc::InvalidInput, message, "fields." + field};
}

} // namespace

const FallbackForm& fallbackForm(model::FallbackKind kind)
{
    return forms().at(kind);
}

std::string choiceLabel(const std::string& code)
{
    // The seed's 別紙様式 words where it has them; 社保/国保 spelled out for a patient reading along [I].
    static const std::map<std::string, std::string> labels{
        {"yes", "はい"},
        {"shaho", "被用者保険（社保）"},
        {"kokuho", "国民健康保険"},
        {"kouki", "後期高齢者医療"},
        {"other", "その他"},
        {"unknown", "わからない"},
        {"male", "男"},
        {"female", "女"},
        {"3", "3割"},
        {"2", "2割"},
        {"1", "1割"},
    };
    const auto it = labels.find(code);
    return it == labels.end() ? code : it->second;
}

const std::vector<model::FallbackKind>& fallbackLadder()
{
    static const std::vector<model::FallbackKind> ladder{
        FallbackKind::MynaportalScreen,  FallbackKind::MynaportalPdf, FallbackKind::OshirasePlusCard,
        FallbackKind::ShikakuKakuninsho, FallbackKind::PaperCard,     FallbackKind::VerbalRevisit,
        FallbackKind::Moushitatesho,
    };
    return ladder;
}

std::optional<std::string> fallbackUnavailable(model::FallbackKind kind, const FallbackSituation& situation)
{
    switch (kind) {
    case FallbackKind::PaperCard:
        if (situation.on > rules::paperCardLastDay()) {
            return "健康保険証は2025年12月1日までに有効期限を迎えています（資格確認書を確認してください）";
        }
        return std::nullopt;
    case FallbackKind::VerbalRevisit:
        if (!situation.revisit || !situation.priorQualification) {
            return "口頭確認は、過去の受診で資格情報を把握している患者の再診でのみ使えます";
        }
        return std::nullopt;
    default:
        return std::nullopt;
    }
}

Expected<std::string, Error> checkFallbackFields(model::FallbackKind kind, const std::string& fieldsJson)
{
    const nlohmann::json in = base::parseJson(fieldsJson);
    if (!in.is_object()) {
        return Unexpected(Error{Errc::InvalidInput, "the fallback fields are not a JSON object", "fields"});
    }
    const FallbackForm& form = fallbackForm(kind);
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [key, value] : in.items()) {
        const auto known = std::find_if(form.fields.begin(), form.fields.end(),
                                        [&key = key](const FormField& f) { return f.key == key; });
        if (known == form.fields.end()) {
            return Unexpected(fieldError(key, "'" + key + "' is not a field of " + std::string(base::labelOf(kind))));
        }
        if (!value.is_string()) {
            return Unexpected(fieldError(key, "'" + key + "' must be text"));
        }
        const std::string text = value.get<std::string>();
        if (!known->choices.empty() &&
            std::find(known->choices.begin(), known->choices.end(), text) == known->choices.end()) {
            return Unexpected(fieldError(key, "'" + key + "' is not one of the form's choices"));
        }
        if (key == "birthdate" || key == "valid_until" || key == "valid_from" || key == "signed_on") {
            if (!base::Date::parse(text)) {
                return Unexpected(fieldError(key, "'" + key + "' is not a date (YYYY-MM-DD)"));
            }
        }
        if (!text.empty()) {
            out[key] = text;
        }
    }
    for (const auto& field : form.fields) {
        if (field.required && !out.contains(field.key)) {
            return Unexpected(fieldError(field.key, "'" + field.key + "' (" + field.label + ") is required"));
        }
    }
    if (kind == FallbackKind::Moushitatesho) {
        out["claim"] = claimFor(out);
        if (out["claim"]["basis"] == "fusho") {
            out["fusho_claim"] = fushoClaimFor(out);
        }
    }
    return out.dump();
}

nlohmann::json claimFor(const nlohmann::json& fields)
{
    for (const auto& [order, basis] : {std::pair{1, "current"}, std::pair{2, "former"}}) {
        const std::string insurer = textOf(fields, std::string(basis) + "_insurer_number");
        const std::string insured = textOf(fields, std::string(basis) + "_insured_number");
        if (!insurer.empty() && !insured.empty()) {
            return {{"order", order}, {"basis", basis}, {"insurer_number", insurer}, {"insured_number", insured}};
        }
    }
    const auto fusho = fushoClaimFor(fields);
    return {{"order", 3},
            {"basis", "fusho"},
            {"insurer_number", fusho["insurer_number"]},
            {"insured_number", fusho["insured_number"]}};
}

std::map<std::string, std::string> claimSuggestion(const model::EligibilitySnapshot& latest)
{
    if (latest.insurerNumber.empty() || latest.insuredIdentificationNumber.empty() || !latest.qualificationValidity) {
        return {};
    }
    switch (*latest.qualificationValidity) {
    case model::QualificationValidity::Valid:
        return {{"current_insurer_number", latest.insurerNumber},
                {"current_insured_number", latest.insuredIdentificationNumber}};
    case model::QualificationValidity::Invalid:
    case model::QualificationValidity::InvalidNewQualification:
        return {{"former_insurer_number", latest.insurerNumber},
                {"former_insured_number", latest.insuredIdentificationNumber}};
    default:
        return {};
    }
}

std::map<std::string, std::string> rosterSuggestion(const model::Patient& patient)
{
    std::map<std::string, std::string> out;
    if (!patient.displayName.empty()) {
        out["name"] = patient.displayName;
    }
    if (!patient.nameKana.empty()) {
        out["name_kana"] = patient.nameKana;
    }
    if (patient.birthdate != base::Date::fromSysDays({})) {
        out["birthdate"] = patient.birthdate.toString();
    }
    return out;
}

nlohmann::json fushoClaimFor(const nlohmann::json& fields)
{
    const std::string type = textOf(fields, "insurance_type");
    const auto claim = rules::fushoClaim(type == "kouki");
    std::string remarks = claim.remarksPrefix;
    for (const char* key : {"address", "residence", "employer", "contact_phone"}) {
        if (const auto value = textOf(fields, key); !value.empty()) {
            remarks += "　" + value;
        }
    }
    const std::string reviewBody = type == "shaho"                       ? "shiharai_kikin"
                                   : type == "kokuho" || type == "kouki" ? "kokuhoren"
                                                                         : "facility_decides";
    return {{"insurer_number", claim.insurerNumber},
            {"insurer_number_alternative", claim.insurerNumberAlternative},
            {"insured_number", claim.insuredNumber},
            {"card_symbol", claim.cardSymbol},
            {"remarks_prefix", claim.remarksPrefix},
            {"remarks", remarks},
            {"review_body", reviewBody},
            {"claims_from", claim.claimsFrom}};
}

base::Date discardAfter(model::FallbackKind kind, base::Date on, const FallbackRetention& retention)
{
    const int days = kind == FallbackKind::Moushitatesho ? retention.moushitateshoDays : retention.otherDays;
    return on.addDays(days);
}

} // namespace zaitaku::visit
