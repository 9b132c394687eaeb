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
        if (needsCard(m_in.kind)) {
            checkCard();
            checkScreenExpiry();
        }
        if (isDocument(m_in.kind)) {
            checkDates();
            checkBirthdayLimits();
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
        // From 70: the document for 70–74 prints the ratio and its 発効期日.
        if (m_in.kind == FallbackKind::ShikakuKakuninsho && m_in.visitDate > cardValidUntilBefore70(*birthdate)) {
            const bool for70 = from && *from >= elderlyFrom(*birthdate) && !text(m_fields, "copay_ratio").empty();
            if (!for70) {
                refuse("age70_document_ended",
                       "70歳到達前の書類で、" + cardValidUntilBefore70(*birthdate).toString() +
                           "までです。負担割合と発効期日が記載された資格確認書を確認してください");
            }
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
