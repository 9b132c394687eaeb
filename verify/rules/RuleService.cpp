#include "verify/rules/RuleService.h"

#include "base/BoundedJson.h"
#include "base/Timestamp.h"
#include "verify/rules/AgeThresholds.h"
#include "verify/rules/CertificateExpiry.h"
#include "verify/rules/Copay.h"
#include "verify/rules/FallbackDocument.h"
#include "verify/rules/FushoClaim.h"
#include "verify/rules/MedicalInfoWindow.h"
#include "verify/rules/Requery.h"

#include <functional>
#include <nlohmann/json.hpp>

namespace zaitaku::rules
{

namespace
{

using base::Date;
using base::Timestamp;
using nlohmann::json;

json dateOrNull(const std::optional<Date>& d)
{
    return d ? json(d->toString()) : json(nullptr);
}

json timestampOrNull(const std::optional<Timestamp>& t)
{
    return t ? json(t->toString()) : json(nullptr);
}

// Reads typed fields from a request object, turning every problem into an Error naming the field.
class RequestReader
{
public:
    static constexpr int kLastBirthYear = Date::kMaxYear - 76;

    RequestReader(const json& request, const RuleDefaults& defaults)
        : m_request(request)
        , m_defaults(defaults)
    {}

    Expected<Date, Error> date(const char* name) const
    {
        if (!has(name) && isDefaultableOn(name)) {
            return m_defaults.clock->todayJst();
        }
        auto value = parsed<Date>(name, &Date::parse);
        // The rules answer with the 75th birthday and the months around it: a birthdate whose
        // thresholds fall past the last representable year is refused, never computed.
        if (value && std::string_view(name) == "birthdate" && value->year() > kLastBirthYear) {
            return Unexpected(Error{Errc::InvalidValue,
                                    "'birthdate' must be in " + std::to_string(kLastBirthYear) +
                                        " or earlier: its 75th birthday would fall after " +
                                        std::to_string(Date::kMaxYear),
                                    name});
        }
        return value;
    }

    Expected<Timestamp, Error> timestamp(const char* name) const
    {
        if (!has(name) && isDefaultableOn(name)) {
            return m_defaults.clock->nowJst();
        }
        return parsed<Timestamp>(name, &Timestamp::parse);
    }

    Expected<std::optional<Timestamp>, Error> optionalTimestamp(const char* name) const
    {
        return optional<Timestamp>(name, &RequestReader::timestamp);
    }

    // A field that may be written as a string or an integer ("event": "70" or 70).
    Expected<std::string, Error> stringOrInteger(const char* name) const
    {
        if (has(name) && m_request.at(name).is_number_integer()) {
            return std::to_string(m_request.at(name).get<long long>());
        }
        return string(name);
    }

    Expected<bool, Error> boolean(const char* name) const
    {
        if (!has(name)) {
            return Unexpected(missing(name));
        }
        const json& v = m_request.at(name);
        if (!v.is_boolean()) {
            return Unexpected(wrongType(name, "true or false"));
        }
        return v.get<bool>();
    }

    Expected<int, Error> integer(const char* name, int fallback) const
    {
        if (!has(name)) {
            return fallback;
        }
        const json& v = m_request.at(name);
        if (!v.is_number_integer()) {
            return Unexpected(wrongType(name, "an integer"));
        }
        const auto n = v.get<long long>();
        if (n < -1000000 || n > 1000000) {
            return Unexpected(Error{Errc::InvalidValue, "'" + std::string(name) + "' is out of range", name});
        }
        return static_cast<int>(n);
    }

    // A coded value (CodeTable<E>); `fallback` when the field is optional and absent.
    template <typename E> Expected<E, Error> code(const char* name, std::optional<E> fallback = std::nullopt) const
    {
        if (!has(name) && fallback) {
            return *fallback;
        }
        auto text = string(name);
        if (!text) {
            return Unexpected(text.error());
        }
        auto value = base::fromCode<E>(*text);
        if (!value) {
            std::string allowed;
            for (const auto& entry : base::CodeTable<E>::entries) {
                allowed += (allowed.empty() ? "" : ", ") + std::string(entry.code);
            }
            return Unexpected(Error{Errc::InvalidValue,
                                    "'" + std::string(name) + "' must be one of " + allowed + ", not '" + *text + "'",
                                    name});
        }
        return *value;
    }

    Expected<std::optional<Date>, Error> optionalDate(const char* name) const
    {
        return optional<Date>(name, &RequestReader::date);
    }

    Expected<std::optional<bool>, Error> optionalBoolean(const char* name) const
    {
        return optional<bool>(name, &RequestReader::boolean);
    }

    // An object whose values are all strings (a form's fields).
    Expected<const json*, Error> stringObject(const char* name) const
    {
        if (!has(name)) {
            return Unexpected(missing(name));
        }
        const json& v = m_request.at(name);
        if (!v.is_object()) {
            return Unexpected(wrongType(name, "an object"));
        }
        for (const auto& [key, value] : v.items()) {
            if (!value.is_string()) {
                return Unexpected(Error{Errc::WrongType, "'" + std::string(name) + "." + key + "' must be a string",
                                        std::string(name) + "." + key});
            }
        }
        return &v;
    }

private:
    bool has(const char* name) const { return m_request.contains(name); }

    // Absent or null: none; otherwise what `read` makes of it, errors included.
    template <typename T>
    Expected<std::optional<T>, Error> optional(const char* name,
                                               Expected<T, Error> (RequestReader::*read)(const char*) const) const
    {
        if (!has(name) || m_request.at(name).is_null()) {
            return std::optional<T>{};
        }
        auto value = (this->*read)(name);
        if (!value) {
            return Unexpected(value.error());
        }
        return std::optional<T>(*value);
    }
    bool isDefaultableOn(const char* name) const { return m_defaults.clock && std::string_view(name) == "on"; }

    Expected<std::string, Error> string(const char* name) const
    {
        if (!has(name)) {
            return Unexpected(missing(name));
        }
        const json& v = m_request.at(name);
        if (!v.is_string()) {
            return Unexpected(wrongType(name, "a string"));
        }
        return v.get<std::string>();
    }

    // A string field parsed by a model parser; its error is reported as InvalidDate on the field.
    template <typename T>
    Expected<T, Error> parsed(const char* name, Expected<T, base::Error> (*parse)(std::string_view)) const
    {
        auto text = string(name);
        if (!text) {
            return Unexpected(text.error());
        }
        auto value = parse(*text);
        if (!value) {
            return Unexpected(Error{Errc::InvalidDate,
                                    "'" + std::string(name) + "' (" + *text + "): " + value.error().message, name});
        }
        return *value;
    }

    static Error missing(const char* name)
    {
        return Error{Errc::MissingField, "missing field '" + std::string(name) + "'", name};
    }
    static Error wrongType(const char* name, const char* expected)
    {
        // Appended rather than "'" + std::string(…): GCC 12's -O2 -Wrestrict misreads that insert.
        std::string message = "'";
        message.append(name).append("' must be ").append(expected);
        return Error{Errc::WrongType, std::move(message), name};
    }

    const json& m_request;
    const RuleDefaults& m_defaults;
};

// Unwraps an Expected inside a handler, returning its error from the handler.
#define ZAITAKU_TRY(var, expr)                                                                                         \
    auto var##_result = (expr);                                                                                        \
    if (!var##_result) {                                                                                               \
        return Unexpected(var##_result.error());                                                                       \
    }                                                                                                                  \
    auto var = *std::move(var##_result)

Expected<json, Error> copayRule(const RequestReader& in)
{
    ZAITAKU_TRY(birthdate, in.date("birthdate"));
    ZAITAKU_TRY(on, in.date("on"));
    ZAITAKU_TRY(income, in.code<Income>("income", Income::General));
    ZAITAKU_TRY(koukiPercent, in.integer("kouki_percent", 10));
    ZAITAKU_TRY(result, copay(CopayInput{birthdate, on, income, koukiPercent}));
    return json{
        {"copay_percent", result.percent},
        {"basis", base::toCode(result.basis)},
        {"age", result.age},
        {"birthdate", birthdate.toString()},
        {"on", on.toString()},
        {"income", base::toCode(income)},
        {"preschool_until", preschoolUntil(birthdate).toString()},
        {"elderly_from", elderlyFrom(birthdate).toString()},
        {"kouki_from", koukiFrom(birthdate).toString()},
    };
}

Expected<json, Error> preschoolUntilRule(const RequestReader& in)
{
    ZAITAKU_TRY(birthdate, in.date("birthdate"));
    return json{{"until", preschoolUntil(birthdate).toString()}, {"birthdate", birthdate.toString()}};
}

Expected<json, Error> cardValidUntilRule(const RequestReader& in)
{
    ZAITAKU_TRY(birthdate, in.date("birthdate"));
    ZAITAKU_TRY(event, in.stringOrInteger("event"));
    if (event != "70" && event != "75") {
        return Unexpected(Error{Errc::InvalidValue, "'event' must be \"70\" or \"75\", not '" + event + "'", "event"});
    }
    const bool seventy = event == "70";
    return json{
        {"valid_until", (seventy ? cardValidUntilBefore70(birthdate) : cardValidUntilBefore75(birthdate)).toString()},
        {"new_status_from", (seventy ? elderlyFrom(birthdate) : koukiFrom(birthdate)).toString()},
        {"event", event},
        {"birthdate", birthdate.toString()},
    };
}

Expected<json, Error> elderlyFromRule(const RequestReader& in)
{
    ZAITAKU_TRY(birthdate, in.date("birthdate"));
    return json{{"from", elderlyFrom(birthdate).toString()}, {"birthdate", birthdate.toString()}};
}

Expected<json, Error> koukiFromRule(const RequestReader& in)
{
    ZAITAKU_TRY(birthdate, in.date("birthdate"));
    return json{{"from", koukiFrom(birthdate).toString()}, {"birthdate", birthdate.toString()}};
}

Expected<json, Error> ecertRule(const RequestReader& in)
{
    ZAITAKU_TRY(expiry, in.date("expiry"));
    ZAITAKU_TRY(on, in.date("on"));
    const CertificateStatus status = certificateStatus(expiry, on);
    return json{
        {"state", base::toCode(status.state)},
        {"alert_from", status.alertFrom.toString()},
        {"grace_until", dateOrNull(status.graceUntil)},
        {"grace_applies", status.graceUntil.has_value()},
        {"qualification_allowed", status.qualificationAllowed},
        {"medical_info_allowed", status.medicalInfoAllowed},
        {"expiry", expiry.toString()},
        {"on", on.toString()},
    };
}

Expected<json, Error> requeryRule(const RequestReader& in)
{
    ZAITAKU_TRY(first, in.date("first_online_confirm"));
    ZAITAKU_TRY(on, in.date("on"));
    ZAITAKU_TRY(sameProvider, in.boolean("same_provider"));
    ZAITAKU_TRY(continuous, in.boolean("continuous"));
    ZAITAKU_TRY(setting, in.code<CareSetting>("setting"));
    ZAITAKU_TRY(decision, requery(RequeryInput{first, on, sameProvider, continuous, setting}));
    json reasons = json::array();
    for (RequeryReason r : decision.reasons) {
        reasons.push_back(base::toCode(r));
    }
    return json{
        {"allowed", decision.allowed},
        {"reason", base::toCode(decision.reason)},
        {"reasons", reasons},
        {"next_step", decision.allowed ? "requery" : "first_visit"},
    };
}

Expected<json, Error> fushoClaimRule(const RequestReader& in)
{
    ZAITAKU_TRY(kouki, in.boolean("kouki"));
    const FushoClaimFields f = fushoClaim(kouki);
    return json{
        {"insurer_number", f.insurerNumber},
        {"insurer_number_alternative", f.insurerNumberAlternative},
        {"insured_number", f.insuredNumber},
        {"card_symbol", nullptr},
        {"remarks_prefix", f.remarksPrefix},
        {"claims_from", f.claimsFrom},
        {"kouki", kouki},
    };
}

json findingsJson(const std::vector<DocumentFinding>& findings)
{
    json out = json::array();
    for (const auto& f : findings) {
        out.push_back({{"code", f.code}, {"message", f.message}});
    }
    return out;
}

Expected<json, Error> fallbackDocumentRule(const RequestReader& in)
{
    ZAITAKU_TRY(kind, in.code<model::FallbackKind>("kind"));
    ZAITAKU_TRY(fields, in.stringObject("fields"));
    ZAITAKU_TRY(on, in.date("on"));
    ZAITAKU_TRY(birthdate, in.optionalDate("birthdate"));
    ZAITAKU_TRY(cardPresented, in.optionalBoolean("card_presented"));
    const DocumentCheck check = checkFallbackDocument(DocumentCheckInput{kind, fields, on, birthdate, cardPresented});
    return json{
        {"kind", base::toCode(kind)},         {"on", on.toString()},
        {"accepted", check.accepted},         {"reasons", findingsJson(check.reasons)},
        {"notes", findingsJson(check.notes)},
    };
}

Expected<json, Error> medicalInfoWindowRule(const RequestReader& in)
{
    ZAITAKU_TRY(consentAt, in.timestamp("consent_at"));
    ZAITAKU_TRY(on, in.timestamp("on"));
    ZAITAKU_TRY(visitKind, in.code<VisitKind>("visit_kind"));
    ZAITAKU_TRY(availableTime, in.optionalTimestamp("available_time"));
    ZAITAKU_TRY(result, medicalInfoWindow(MedicalInfoWindowInput{consentAt, on, visitKind, availableTime}));
    return json{
        {"allowed", result.allowed},
        {"until", timestampOrNull(result.until)},
        {"basis", base::toCode(result.basis)},
        {"requires_requery_allowed", result.requiresRequeryAllowed},
    };
}

#undef ZAITAKU_TRY

using Handler = Expected<json, Error> (*)(const RequestReader&);

struct RuleEntry
{
    RuleInfo info;
    Handler handler;
};

const std::vector<RuleEntry>& rules()
{
    static const std::vector<RuleEntry> table{
        {{"copay", "copay ratio by age (R1)", "birthdate, on, [income=general|high], [kouki_percent=10|20|30]"},
         copayRule},
        {{"preschool_until", "last day of the preschool 2割 (R1)", "birthdate"}, preschoolUntilRule},
        {{"card_valid_until", "last valid day of the card before 70/75 (R2)", "birthdate, event=70|75"},
         cardValidUntilRule},
        {{"elderly_from", "first day of the 70-74 ratio (R1)", "birthdate"}, elderlyFromRule},
        {{"kouki_from", "first day of 後期高齢者医療 (R1)", "birthdate"}, koukiFromRule},
        {{"ecert", "card certificate: valid, expiring, grace, unusable (R3)", "expiry, on"}, ecertRule},
        {{"requery", "may this visit re-query instead of reading the card (R7)",
          "first_online_confirm, on, same_provider, continuous, setting=home|outpatient"},
         requeryRule},
        {{"fusho_claim", "不詳 claim fields (R4)", "kouki"}, fushoClaimRule},
        {{"fallback-document", "does a fallback document prove insurance on the visit date (F6, R2)",
          "kind, fields{…}, on, [birthdate], [card_presented]"},
         fallbackDocumentRule},
        {{"medical_info_window", "how long consented medical information may be viewed (F4)",
          "consent_at, on, visit_kind=oushin|houmon_continuing, [available_time]"},
         medicalInfoWindowRule},
    };
    return table;
}

} // namespace

const std::vector<RuleInfo>& ruleCatalogue()
{
    static const std::vector<RuleInfo> catalogue = [] {
        std::vector<RuleInfo> out;
        for (const auto& entry : rules()) {
            out.push_back(entry.info);
        }
        return out;
    }();
    return catalogue;
}

Expected<json, Error> evaluateRule(const json& request, const RuleDefaults& defaults)
{
    if (!request.is_object()) {
        return Unexpected(Error{Errc::MalformedRequest, "the request must be a JSON object"});
    }
    if (!request.contains("rule")) {
        return Unexpected(Error{Errc::MissingField, "missing field 'rule'", "rule"});
    }
    if (!request.at("rule").is_string()) {
        return Unexpected(Error{Errc::WrongType, "'rule' must be a string", "rule"});
    }
    const std::string name = request.at("rule").get<std::string>();
    for (const auto& entry : rules()) {
        if (entry.info.name == name) {
            const RequestReader reader(request, defaults);
            auto response = entry.handler(reader);
            if (response) {
                (*response)["rule"] = name;
            }
            return response;
        }
    }
    return Unexpected(Error{Errc::UnknownRule, "unknown rule '" + name + "'", "rule"});
}

Expected<json, Error> evaluateRuleText(std::string_view requestText, const RuleDefaults& defaults)
{
    json request = base::parseJson(requestText);
    if (request.is_discarded()) {
        return Unexpected(Error{Errc::MalformedRequest, "the request is not valid JSON"});
    }
    return evaluateRule(request, defaults);
}

json errorToJson(const Error& error)
{
    return json{
        {"error", error.message},
        {"field", error.field.empty() ? json(nullptr) : json(error.field)},
        {"code", base::toCode(error.code)},
    };
}

} // namespace zaitaku::rules
