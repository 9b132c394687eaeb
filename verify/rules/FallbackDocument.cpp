#include "verify/rules/FallbackDocument.h"

#include "verify/rules/AgeThresholds.h"

#include <nlohmann/json.hpp>

namespace zaitaku::rules
{

namespace
{

using base::Date;
using model::FallbackKind;

std::string text(const nlohmann::json& fields, const char* key)
{
    const auto it = fields.find(key);
    return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<Date> date(const nlohmann::json& fields, const char* key)
{
    auto parsed = Date::parse(text(fields, key));
    return parsed ? std::optional<Date>(*parsed) : std::nullopt;
}

bool needsCard(FallbackKind kind)
{
    return kind == FallbackKind::MynaportalScreen || kind == FallbackKind::MynaportalPdf ||
           kind == FallbackKind::OshirasePlusCard;
}

bool isDocument(FallbackKind kind)
{
    return kind == FallbackKind::ShikakuKakuninsho || kind == FallbackKind::PaperCard;
}

class Checker
{
public:
    explicit Checker(const DocumentCheckInput& in)
        : m_in(in)
        , m_fields(in.fields != nullptr && in.fields->is_object() ? *in.fields : m_empty)
    {}

    DocumentCheck run()
    {
        checkPerson();
        if (needsCard(m_in.kind)) {
            checkCard();
            checkScreenExpiry();
        }
        if (isDocument(m_in.kind)) {
            checkDates();
            checkBirthdayLimits();
        }
        if (m_in.kind == FallbackKind::Moushitatesho) {
            checkMoushitatesho();
        }
        m_out.accepted = m_out.reasons.empty();
        return m_out;
    }

private:
    void refuse(std::string code, std::string message)
    {
        m_out.reasons.push_back({std::move(code), std::move(message)});
    }
    void note(std::string code, std::string message) { m_out.notes.push_back({std::move(code), std::move(message)}); }

    // Seed 003 「別人との紐付け誤り」; facilities hold many residents' documents (seed 004): a document
    // whose 生年月日 is not the patient's is not filed under that patient.
    void checkPerson()
    {
        const auto onDocument = date(m_fields, "birthdate");
        if (m_in.birthdate && onDocument && *onDocument != *m_in.birthdate) {
            refuse("birthdate_mismatch", "本人と一致しない可能性があります（書類の生年月日 " + onDocument->toString() +
                                             "／患者の生年月日 " + m_in.birthdate->toString() +
                                             "）。別の方の書類でないか確認してください");
        }
    }

    // The 別紙様式's conditional fields [seed 003]: ※1 事業所名 for 社保・その他・わからない (国保組合 is
    // inside 国民健康保険 here [I]); ※2 一部負担金の割合 from 70 (後期 included), where 「わからない」 is
    // an answer.
    void checkMoushitatesho()
    {
        const std::string type = text(m_fields, "insurance_type");
        if ((type == "shaho" || type == "other" || type == "unknown") && text(m_fields, "employer").empty()) {
            refuse("employer_required", "社保・その他・わからないの場合は事業所名を記入してください");
        }
        const auto birthdate = m_in.birthdate ? m_in.birthdate : date(m_fields, "birthdate");
        const bool seventy = birthdate && m_in.visitDate >= elderlyFrom(*birthdate);
        if ((seventy || type == "kouki") && text(m_fields, "copay_ratio").empty()) {
            refuse("copay_ratio_required",
                   "70歳以上・後期高齢者の方は一部負担金の割合（3割・2割・1割・わからない）を選んでください");
        }
    }

    void checkCard()
    {
        const bool presented = m_in.cardPresented.value_or(text(m_fields, "card_seen") == "yes");
        if (!presented) {
            refuse("needs_card",
                   m_in.kind == FallbackKind::OshirasePlusCard
                       ? "資格情報のお知らせのみでは受診できません。マイナンバーカードとあわせて確認してください"
                       : "この画面のみでは受診できません。マイナ保険証とあわせて確認してください");
        }
    }

    void checkScreenExpiry()
    {
        const auto until = date(m_fields, "valid_until");
        if (until && *until < m_in.visitDate) {
            note("ratio_may_have_changed", "表示されている有効期限（" + until->toString() +
                                               "）を過ぎています。一部負担金割合が変わっている場合があります");
        }
    }

    void checkDates()
    {
        if (m_in.kind == FallbackKind::PaperCard && m_in.visitDate > paperCardLastDay()) {
            refuse("paper_card_ended",
                   "健康保険証は2025年12月1日までで使えません。資格確認書かマイナ保険証で確認してください");
        }
        if (const auto until = date(m_fields, "valid_until"); until && *until < m_in.visitDate) {
            refuse("expired", "有効期限（" + until->toString() + "）を過ぎています");
        }
        if (const auto from = date(m_fields, "valid_from"); from && m_in.visitDate < *from) {
            refuse("not_yet_effective", "発効期日（" + from->toString() + "）より前です");
        }
        // Seed 004: 「在留期限が切れる場合→在留期限まで」 (foreign residents).
        if (const auto stay = date(m_fields, "residence_until"); stay && *stay < m_in.visitDate) {
            refuse("residence_ended", "在留期限（" + stay->toString() + "）を過ぎています");
        }
    }

    void checkBirthdayLimits()
    {
        const auto birthdate = m_in.birthdate ? m_in.birthdate : date(m_fields, "birthdate");
        if (!birthdate) {
            return;
        }
        const auto from = date(m_fields, "valid_from");
        const std::string insurer = text(m_fields, "insurer_number");
        // From 75: only a 後期高齢者医療 document (its insurer number, or issued from the birthday).
        if (m_in.visitDate > cardValidUntilBefore75(*birthdate)) {
            const bool kouki = isKoukiInsurerNumber(insurer) || (from && *from >= koukiFrom(*birthdate));
            if (!kouki) {
                refuse("age75_document_ended", "75歳の誕生日の前日（" + cardValidUntilBefore75(*birthdate).toString() +
                                                   "）までの書類です。後期高齢者医療の資格確認書を確認してください");
            }
            return;
        }
        // From 70 (seed 004: 「誕生月の月末まで ※ただし、誕生日が1日の方は誕生月の前月末まで」), for the
        // paper card as for the 資格確認書. A 後期高齢者医療 document is outside this rule: members
        // under 75 by 障害認定 (seed 004: 「65歳以上75歳未満の方で一定の障害がある」) keep theirs to its
        // 有効期限.
        const bool kouki = isKoukiInsurerNumber(insurer) || text(m_fields, "insurance_type") == "kouki";
        if (kouki || m_in.visitDate <= cardValidUntilBefore70(*birthdate)) {
            return;
        }
        if (m_in.kind == FallbackKind::PaperCard) {
            if (from && *from < elderlyFrom(*birthdate)) {
                refuse("age70_document_ended",
                       "70歳到達前の健康保険証で、" + cardValidUntilBefore70(*birthdate).toString() + "までです");
            }
            return;
        }
        // The 資格確認書 for 70–74 prints the ratio and its 発効期日 [seed 003: 「70歳以上の場合、負担割合の
        // ほか、有効期限、発効期日を記載」]: left blank, they are asked for, not taken as a refusal.
        if (from && *from < elderlyFrom(*birthdate)) {
            refuse("age70_document_ended", "70歳到達前の書類で、" + cardValidUntilBefore70(*birthdate).toString() +
                                               "までです。負担割合と発効期日が記載された資格確認書を確認してください");
        } else if (!from || text(m_fields, "copay_ratio").empty()) {
            refuse("age70_fields_missing", "70歳以上の資格確認書には負担割合と発効期日が記載されています。"
                                           "券面の負担割合と発効期日を入力してください");
        }
    }

    const DocumentCheckInput& m_in;
    const nlohmann::json m_empty = nlohmann::json::object();
    const nlohmann::json& m_fields;
    DocumentCheck m_out;
};

} // namespace

Date paperCardLastDay()
{
    return Date::fromYmd(2025, 12, 1).value();
}

bool isKoukiInsurerNumber(const std::string& insurerNumber)
{
    return insurerNumber.size() == 8 && insurerNumber.rfind("39", 0) == 0;
}

DocumentCheck checkFallbackDocument(const DocumentCheckInput& input)
{
    return Checker(input).run();
}

} // namespace zaitaku::rules
