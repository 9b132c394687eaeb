#include "verify/rules/RuleExplanation.h"

#include "verify/rules/Copay.h"

#include <nlohmann/json.hpp>
#include <sstream>

namespace zaitaku::rules
{

namespace
{

using nlohmann::json;

std::string str(const json& r, const char* key)
{
    if (!r.contains(key) || r.at(key).is_null()) {
        return "—";
    }
    return r.at(key).is_string() ? r.at(key).get<std::string>() : r.at(key).dump();
}

bool flag(const json& r, const char* key)
{
    return r.contains(key) && r.at(key).is_boolean() && r.at(key).get<bool>();
}

int wari(const json& r)
{
    return r.at("copay_percent").get<int>() / 10;
}

std::string copayBasisJa(const std::string& basis)
{
    auto value = base::fromCode<CopayBasis>(basis);
    return value ? std::string(base::labelOf(*value)) : basis;
}

std::string copayBasisEn(const std::string& basis)
{
    if (basis == "preschool") {
        return "preschool child";
    }
    if (basis == "elderly_70_74") {
        return "aged 70-74";
    }
    if (basis == "kouki") {
        return "late-stage elderly (75+)";
    }
    return "school age to 69";
}

std::string ecertJa(const json& r)
{
    const std::string state = str(r, "state");
    if (state == "valid") {
        return "電子証明書は有効です（更新案内は " + str(r, "alert_from") + " から）。";
    }
    if (state == "expiring") {
        return "電子証明書の有効期限（" + str(r, "expiry") +
               "）が3か月以内です。お住まいの市区町村の窓口での更新をご案内ください。";
    }
    if (state == "grace") {
        return "電子証明書の有効期限切れ後の猶予期間です（" + str(r, "grace_until") +
               " まで資格確認のみ可、薬剤情報・診療情報は提供されません）。お住まいの市区町村の窓口で速やかに更新して"
               "ください。";
    }
    return "電子証明書の有効期限切れから3か月を超えています。健康保険証としては利用できません。資格確認書等で確認してく"
           "ださい。";
}

std::string ecertEn(const json& r)
{
    const std::string state = str(r, "state");
    if (state == "valid") {
        return "Certificate valid (renewal alert from " + str(r, "alert_from") + ").";
    }
    if (state == "expiring") {
        return "Certificate expires on " + str(r, "expiry") + " (within 3 months): ask the patient to renew it.";
    }
    if (state == "grace") {
        return "Certificate expired; grace period until " + str(r, "grace_until") +
               ": eligibility only, no drug or clinical information.";
    }
    return "Certificate expired more than 3 months ago: the card cannot be used as an insurance card; use the "
           "fallback documents.";
}

} // namespace

std::string explainRule(const json& r)
{
    const std::string rule = str(r, "rule");
    std::ostringstream ja;
    std::ostringstream en;
    if (rule == "copay") {
        ja << "負担割合: " << wari(r) << "割（" << copayBasisJa(str(r, "basis")) << "、" << str(r, "on") << " 時点 "
           << str(r, "age") << "歳）";
        en << "Copay: " << str(r, "copay_percent") << "% (" << copayBasisEn(str(r, "basis")) << ", age "
           << str(r, "age") << " on " << str(r, "on") << ")";
    } else if (rule == "preschool_until") {
        ja << "未就学児の2割負担は " << str(r, "until") << " まで";
        en << "Preschool 20% copay until " << str(r, "until");
    } else if (rule == "card_valid_until") {
        ja << str(r, "event") << "歳到達に伴い、従来の保険証・資格確認書は " << str(r, "valid_until") << " まで有効（"
           << str(r, "new_status_from") << " から新しい区分）";
        en << "Turning " << str(r, "event") << ": the current card is valid until " << str(r, "valid_until")
           << " (new status from " << str(r, "new_status_from") << ")";
    } else if (rule == "elderly_from") {
        ja << "高齢受給者（70〜74歳）の負担割合は " << str(r, "from") << " から";
        en << "The 70-74 copay applies from " << str(r, "from");
    } else if (rule == "kouki_from") {
        ja << "後期高齢者医療は " << str(r, "from") << "（75歳の誕生日）から";
        en << "Late-stage elderly insurance from " << str(r, "from") << " (75th birthday)";
    } else if (rule == "ecert") {
        ja << ecertJa(r);
        en << ecertEn(r);
    } else if (rule == "requery") {
        if (flag(r, "allowed")) {
            ja << "再照会できます（同一医療機関による継続的な居宅での療養）。暗証番号の入力は不要です。";
            en << "Re-query allowed (continuing home care by the same provider): no PIN needed.";
        } else {
            ja << "再照会はできません（" << str(r, "reason") << "）。初回と同じ手順でマイナ保険証を確認してください。";
            en << "Re-query not allowed (" << str(r, "reason") << "): confirm with the card as on a first visit.";
        }
    } else if (rule == "fusho_claim") {
        ja << "不詳レセプト: 保険者等番号 " << str(r, "insurer_number") << "（チェックデジットで不可の場合 "
           << str(r, "insurer_number_alternative") << "）、記号なし、番号 " << str(r, "insured_number")
           << "、摘要欄は「不詳」から記載";
        en << "Unknown-insurer claim: insurer " << str(r, "insurer_number") << " (or "
           << str(r, "insurer_number_alternative") << "), no symbol, number " << str(r, "insured_number")
           << ", remarks start with 不詳";
    } else if (rule == "medical_info_window") {
        if (r.at("until").is_null()) {
            ja << "継続的な療養の間（再照会ができる間）は薬剤情報等を閲覧できます。";
            en << "Medical information may be viewed while continuing care (re-query) is allowed.";
        } else if (flag(r, "allowed")) {
            ja << "薬剤情報等の閲覧は " << str(r, "until") << " まで可能です。";
            en << "Medical information may be viewed until " << str(r, "until") << ".";
        } else {
            ja << "閲覧期間（" << str(r, "until") << " まで）を過ぎています。";
            en << "The viewing window ended at " << str(r, "until") << ".";
        }
    } else if (rule == "fallback-document") {
        const bool accepted = flag(r, "accepted");
        ja << (accepted ? "この書類で資格を確認できます（" : "この書類では資格を確認できません（") << str(r, "on")
           << "）";
        en << (accepted ? "The document proves insurance on " : "The document does not prove insurance on ")
           << str(r, "on");
        for (const char* list : {"reasons", "notes"}) {
            for (const auto& finding : r.at(list)) {
                ja << "\n・" << finding.value("message", "");
                en << "; " << finding.value("code", "");
            }
        }
    } else {
        ja << r.dump();
    }
    std::string out = ja.str() + "\n";
    if (!en.str().empty()) {
        out += en.str() + "\n";
    }
    return out;
}

} // namespace zaitaku::rules
