#include "sync/protocol/ModelJson.h"

#include "base/Bytes.h"

#include <nlohmann/json.hpp>
#include <set>
#include <type_traits>

namespace zaitaku::sync::protocol
{

namespace
{

using nlohmann::json;
using namespace model;

// The field lists: `v.field(name, member)` for every member, in one place per struct.
template <typename V> void visitFields(V& v, ElderlyRecipientCertificate& e)
{
    v.field("certificate_date", e.certificateDate);
    v.field("valid_start", e.validStart);
    v.field("valid_end", e.validEnd);
    v.field("contribution_ratio_percent", e.contributionRatioPercent);
}

template <typename V> void visitFields(V& v, LimitCertificate& l)
{
    v.field("classification", l.classification);
    v.field("classification_flag", l.classificationFlag);
    v.field("certificate_date", l.certificateDate);
    v.field("valid_start", l.validStart);
    v.field("valid_end", l.validEnd);
    v.field("long_term_date", l.longTermDate);
}

template <typename V> void visitFields(V& v, SpecificDiseaseCertificate& d)
{
    v.field("disease_category", d.diseaseCategory);
    v.field("certificate_date", d.certificateDate);
    v.field("valid_start", d.validStart);
    v.field("valid_end", d.validEnd);
    v.field("self_pay_yen", d.selfPayYen);
}

template <typename V> void visitFields(V& v, MedicalInfoConsent& c)
{
    v.field("flag", c.flag);
    v.field("consent_time", c.consentTime);
    v.field("available_time", c.availableTime);
}

template <typename V> void visitFields(V& v, EligibilitySnapshot& s)
{
    v.field("id", s.id);
    v.field("patient_id", s.patientId);
    v.field("source", s.source);
    v.field("qualification_confirmation_date", s.qualificationConfirmationDate);
    v.field("process_execution_time", s.processExecutionTime);
    v.field("reference_classification", s.referenceClassification);
    v.field("segment_of_result", s.segmentOfResult);
    v.field("error_code", s.errorCode);
    v.field("error_message", s.errorMessage);
    v.field("character_code", s.characterCode);
    v.field("processing_result_status", s.processingResultStatus);
    v.field("processing_result_code", s.processingResultCode);
    v.field("processing_result_message", s.processingResultMessage);
    v.field("qualification_validity", s.qualificationValidity);
    v.field("prescription_issue", s.prescriptionIssue);
    v.field("insured_card_classification", s.insuredCardClassification);
    v.field("insurer_number", s.insurerNumber);
    v.field("insured_card_symbol", s.insuredCardSymbol);
    v.field("insured_identification_number", s.insuredIdentificationNumber);
    v.field("insured_branch_number", s.insuredBranchNumber);
    v.field("personal_family", s.personalFamily);
    v.field("insured_name", s.insuredName);
    v.field("name", s.name);
    v.field("name_kana", s.nameKana);
    v.field("name_of_other", s.nameOfOther);
    v.field("name_of_other_kana", s.nameOfOtherKana);
    v.field("sex1", s.sex1);
    v.field("sex2", s.sex2);
    v.field("birthdate", s.birthdate);
    v.field("address", s.address);
    v.field("post_number", s.postNumber);
    v.field("insurer_name", s.insurerName);
    v.field("qualification_date", s.qualificationDate);
    v.field("disqualification_date", s.disqualificationDate);
    v.field("reason_of_loss", s.reasonOfLoss);
    v.field("insured_certificate_issuance_date", s.insuredCertificateIssuanceDate);
    v.field("insured_card_valid_date", s.insuredCardValidDate);
    v.field("insured_card_expiration_date", s.insuredCardExpirationDate);
    v.field("insured_partial_contribution_ratio_percent", s.insuredPartialContributionRatioPercent);
    v.field("preschool", s.preschool);
    v.field("elderly_recipient", s.elderlyRecipient);
    v.field("limit_consent_flag", s.limitConsentFlag);
    v.field("limit_consent_time", s.limitConsentTime);
    v.field("limit_certificate", s.limitCertificate);
    v.field("specific_diseases_consent_flag", s.specificDiseasesConsentFlag);
    v.field("specific_diseases", s.specificDiseases);
    v.field("specific_health_checkups", s.specificHealthCheckups);
    v.field("pharmacists", s.pharmacists);
    v.field("diagnosis", s.diagnosis);
    v.field("operation", s.operation);
    v.field("reference_number", s.referenceNumber);
}

template <typename V> void visitFields(V& v, FaceMatchResult& f)
{
    v.field("score", f.score);
    v.field("threshold", f.threshold);
    v.field("model_id", f.modelId);
}

template <typename V> void visitFields(V& v, VisualAttestation& a)
{
    v.field("staff_id", a.staffId);
    v.field("reason", a.reason);
    v.field("statement", a.statement);
}

template <typename V> void visitFields(V& v, ConsentDigest& c)
{
    v.field("consent_id", c.consentId);
    v.field("kind", c.kind);
    v.field("given", c.given);
    v.field("text_version", c.textVersion);
    v.field("text_sha256", c.textSha256);
}

template <typename V> void visitFields(V& v, Evidence& e)
{
    v.field("id", e.id);
    v.field("visit_id", e.visitId);
    v.addedLater("patient_id", e.patientId); // bundles sealed before it was added have none
    v.field("method", e.method);
    v.field("captured_at", e.capturedAt);
    v.field("monotonic_ns", e.monotonicNs);
    v.field("device_id", e.deviceId);
    v.field("app_version", e.appVersion);
    v.field("staff_id", e.staffId);
    v.field("card", e.card);
    v.field("auth_certificate_der", e.authCertificateDer);
    v.field("challenge_id", e.challengeId);
    v.field("challenge_origin", e.challengeOrigin);
    v.field("challenge_nonce", e.challengeNonce);
    v.field("signature", e.signature);
    v.field("tries_left_before", e.triesLeftBefore);
    v.field("tries_left_after", e.triesLeftAfter);
    v.field("last_try_override_by", e.lastTryOverrideBy);
    v.field("face", e.face);
    v.field("visual", e.visual);
    v.field("consents", e.consents);
}

template <typename V> void visitFields(V& v, Consent& c)
{
    v.field("id", c.id);
    v.field("patient_id", c.patientId);
    v.field("kind", c.kind);
    v.field("given", c.given);
    v.field("text_version", c.textVersion);
    v.field("text_sha256", c.textSha256);
    v.field("consent_time", c.consentTime);
    v.field("available_time", c.availableTime);
    v.field("revoked_at", c.revokedAt);
    v.field("revokes_consent_id", c.revokesConsentId);
    v.field("source_snapshot_id", c.sourceSnapshotId);
}

template <typename V> void visitFields(V& v, FallbackEvidence& f)
{
    v.field("id", f.id);
    v.field("visit_id", f.visitId);
    v.field("kind", f.kind);
    v.field("captured_fields_json", f.capturedFieldsJson);
    v.field("staff_id", f.staffId);
    v.field("captured_at", f.capturedAt);
    v.field("discard_after", f.discardAfter);
}

template <typename V> void visitFields(V& v, CustodyEvent& c)
{
    v.field("id", c.id);
    v.field("patient_id", c.patientId);
    v.field("facility_id", c.facilityId);
    v.field("action", c.action);
    v.field("staff_id", c.staffId);
    v.field("witness_id", c.witnessId);
    v.field("purpose", c.purpose);
    v.field("at", c.at);
    v.field("storage_location", c.storageLocation);
    v.addedLater("agreement_ref", c.agreementRef);
}

template <typename V> void visitFields(V& v, Visit& x)
{
    v.field("id", x.id);
    v.field("patient_id", x.patientId);
    v.field("care_relationship_id", x.careRelationshipId);
    v.field("service_kind", x.serviceKind);
    v.field("flow", x.flow);
    v.field("state", x.state);
    v.field("scheduled_for", x.scheduledFor);
    v.field("started_at", x.startedAt);
    v.field("completed_at", x.completedAt);
    v.field("staff_id", x.staffId);
    v.field("device_id", x.deviceId);
    v.field("qualification_confirmation_date", x.qualificationConfirmationDate);
    v.field("snapshot_id", x.snapshotId);
    v.field("evidence_ids", x.evidenceIds);
    v.field("consent_ids", x.consentIds);
    v.addedLater("assisted_by", x.assistedBy); // absent in records made before carers were recorded
    v.addedLater("requery", x.requery);        // absent in records made before revisits re-queried
}

// A value to read into or describe (dates and times have no default).
template <typename T> T emptyValue()
{
    if constexpr (std::is_same_v<T, base::Date>) {
        return base::Date::fromSysDays({});
    } else if constexpr (std::is_same_v<T, base::Timestamp>) {
        return base::Timestamp::fromUtc({});
    } else {
        return T{};
    }
}

template <typename T>
constexpr bool kIsStruct = std::is_class_v<T> && !std::is_same_v<T, std::string> && !std::is_same_v<T, base::Date> &&
                           !std::is_same_v<T, base::Timestamp>;

class Writer
{
public:
    json out = json::object();

    // A field added after records were first written: always written.
    template <typename T> void addedLater(const char* name, T& v) { field(name, v); }
    void field(const char* name, std::string& v) { out[name] = v; }
    void field(const char* name, bool& v) { out[name] = v; }
    void field(const char* name, double& v) { out[name] = v; }
    void field(const char* name, std::int64_t& v) { out[name] = v; }
    void field(const char* name, std::vector<std::uint8_t>& v) { out[name] = base::toHex(v); }
    void field(const char* name, std::vector<std::string>& v) { out[name] = v; }
    void field(const char* name, base::Date& v) { out[name] = v.toString(); }
    void field(const char* name, base::Timestamp& v) { out[name] = v.toString(); }
    template <typename E>
    requires std::is_enum_v<E>
    void field(const char* name, E& v) { out[name] = std::string(base::toCode(v)); }
    template <typename T> void field(const char* name, std::optional<T>& v)
    {
        if (!v) {
            out[name] = nullptr;
        } else if constexpr (std::is_arithmetic_v<T>) {
            out[name] = *v;
        } else {
            field(name, *v);
        }
    }
    template <typename T>
    requires kIsStruct<T>
    void field(const char* name, T& v)
    {
        Writer sub;
        visitFields(sub, v);
        out[name] = std::move(sub.out);
    }
    template <typename T> void field(const char* name, std::vector<T>& list)
    {
        json array = json::array();
        for (auto& item : list) {
            Writer sub;
            visitFields(sub, item);
            array.push_back(std::move(sub.out));
        }
        out[name] = std::move(array);
    }
};

// Whether a name the field list does not know is an error (records a tablet sends, issue 34) or
// ignored (snapshots: a newer gateway may add fields an older tablet does not show).
enum class UnknownFields
{
    Refused,
    Ignored
};

class Reader
{
public:
    Reader(const json& in, std::string path, UnknownFields unknown)
        : m_in(in)
        , m_path(std::move(path))
        , m_unknown(unknown)
    {}
    std::optional<Error> error;

    // A field added after records were first written: absent in those, so absence is no error.
    template <typename T> void addedLater(const char* name, T& v)
    {
        m_known.insert(name);
        if (!error && m_in.contains(name)) {
            field(name, v);
        }
    }
    // After the field list: a name it does not know is refused, named.
    void finish()
    {
        if (error || m_unknown == UnknownFields::Ignored) {
            return;
        }
        for (const auto& item : m_in.items()) {
            if (!m_known.count(item.key())) {
                error = Error{Errc::InvalidInput, "field " + m_path + item.key() + " is not part of this record",
                              m_path + item.key()};
                return;
            }
        }
    }
    void field(const char* name, std::string& v)
    {
        read(name, v, [](const json& j, std::string& t) {
            if (!j.is_string())
                return false;
            t = j.get<std::string>();
            return true;
        });
    }
    void field(const char* name, bool& v)
    {
        read(name, v, [](const json& j, bool& t) {
            if (!j.is_boolean())
                return false;
            t = j.get<bool>();
            return true;
        });
    }
    void field(const char* name, double& v)
    {
        read(name, v, [](const json& j, double& t) {
            if (!j.is_number())
                return false;
            t = j.get<double>();
            return true;
        });
    }
    void field(const char* name, std::int64_t& v)
    {
        read(name, v, [](const json& j, std::int64_t& t) {
            if (!j.is_number_integer())
                return false;
            t = j.get<std::int64_t>();
            return true;
        });
    }
    void field(const char* name, std::vector<std::uint8_t>& v)
    {
        read(name, v, [](const json& j, std::vector<std::uint8_t>& t) {
            if (!j.is_string())
                return false;
            auto bytes = base::fromHex(j.get<std::string>());
            if (bytes)
                t = std::move(*bytes);
            return bytes.has_value();
        });
    }
    void field(const char* name, std::vector<std::string>& v)
    {
        read(name, v, [](const json& j, std::vector<std::string>& t) {
            if (!j.is_array())
                return false;
            t.clear();
            for (const auto& item : j) {
                if (!item.is_string())
                    return false;
                t.push_back(item.get<std::string>());
            }
            return true;
        });
    }
    void field(const char* name, base::Date& v)
    {
        read(name, v, [](const json& j, base::Date& t) {
            if (!j.is_string())
                return false;
            auto d = base::Date::parse(j.get<std::string>());
            if (d)
                t = *d;
            return d.has_value();
        });
    }
    void field(const char* name, base::Timestamp& v)
    {
        read(name, v, [](const json& j, base::Timestamp& t) {
            if (!j.is_string())
                return false;
            auto d = base::Timestamp::parse(j.get<std::string>());
            if (d)
                t = *d;
            return d.has_value();
        });
    }
    template <typename E>
    requires std::is_enum_v<E>
    void field(const char* name, E& v)
    {
        read(name, v, [](const json& j, E& t) {
            if (!j.is_string())
                return false;
            auto e = base::fromCode<E>(j.get<std::string>());
            if (e)
                t = *e;
            return e.has_value();
        });
    }
    template <typename T> void field(const char* name, std::optional<T>& v)
    {
        if (error || !present(name)) {
            return;
        }
        if (m_in[name].is_null()) {
            v.reset();
            return;
        }
        if constexpr (std::is_floating_point_v<T>) {
            if (!m_in[name].is_number()) {
                fail(name);
                return;
            }
            v = m_in[name].get<T>();
        } else if constexpr (std::is_arithmetic_v<T>) {
            if (!m_in[name].is_number_integer()) {
                fail(name);
                return;
            }
            v = m_in[name].get<T>();
        } else {
            T value{emptyValue<T>()};
            field(name, value);
            v = std::move(value);
        }
    }
    template <typename T>
    requires kIsStruct<T>
    void field(const char* name, T& v)
    {
        if (error || !present(name)) {
            return;
        }
        if (!m_in[name].is_object()) {
            fail(name);
            return;
        }
        Reader sub(m_in[name], m_path + name + ".", m_unknown);
        visitFields(sub, v);
        sub.finish();
        error = sub.error;
    }
    template <typename T> void field(const char* name, std::vector<T>& list)
    {
        if (error || !present(name)) {
            return;
        }
        if (!m_in[name].is_array()) {
            fail(name);
            return;
        }
        list.clear();
        for (std::size_t i = 0; i < m_in[name].size() && !error; ++i) {
            if (!m_in[name][i].is_object()) {
                const std::string item = m_path + name + "[" + std::to_string(i) + "]";
                error = Error{Errc::InvalidInput, "field " + item + " must be an object", item};
                return;
            }
            T item{};
            Reader sub(m_in[name][i], m_path + name + "[" + std::to_string(i) + "].", m_unknown);
            visitFields(sub, item);
            sub.finish();
            error = sub.error;
            list.push_back(std::move(item));
        }
    }

private:
    bool present(const char* name)
    {
        m_known.insert(name);
        if (!m_in.contains(name)) {
            error = Error{Errc::InvalidInput, "field " + m_path + name + " is missing", m_path + name};
            return false;
        }
        return true;
    }
    void fail(const char* name)
    {
        error = Error{Errc::InvalidInput, "field " + m_path + name + " has a wrong type or value", m_path + name};
    }
    template <typename T, typename F> void read(const char* name, T& target, F convert)
    {
        if (error || !present(name)) {
            return;
        }
        if (!convert(m_in[name], target)) {
            fail(name);
        }
    }
    const json& m_in;
    std::string m_path;
    UnknownFields m_unknown;
    std::set<std::string> m_known;
};

// The JSON Schema (draft 2020-12) of a field list: every field required unless added later,
// nothing else allowed. The schemas in docs/schemas are these, written out (issue 34).
class SchemaWriter
{
public:
    json properties = json::object();
    json required = json::array();

    template <typename T> void addedLater(const char* name, T& v) { properties[name] = schemaOf(v); }
    template <typename T> void field(const char* name, T& v)
    {
        properties[name] = schemaOf(v);
        required.push_back(name);
    }
    json object() const
    {
        return {
            {"type", "object"}, {"properties", properties}, {"required", required}, {"additionalProperties", false}};
    }

private:
    static json schemaOf(std::string&) { return {{"type", "string"}}; }
    static json schemaOf(bool&) { return {{"type", "boolean"}}; }
    static json schemaOf(double&) { return {{"type", "number"}}; }
    template <typename I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool>) static json schemaOf(I&)
    {
        return {{"type", "integer"}};
    }
    static json schemaOf(std::vector<std::uint8_t>&)
    {
        return {{"type", "string"}, {"pattern", "^([0-9a-fA-F]{2})*$"}};
    }
    static json schemaOf(std::vector<std::string>&) { return {{"type", "array"}, {"items", {{"type", "string"}}}}; }
    static json schemaOf(base::Date&) { return {{"type", "string"}, {"pattern", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}}; }
    static json schemaOf(base::Timestamp&) { return {{"type", "string"}, {"format", "date-time"}}; }
    template <typename E>
    requires std::is_enum_v<E>
    static json schemaOf(E&)
    {
        json codes = json::array();
        for (const auto& entry : base::CodeTable<E>::entries) {
            codes.push_back(std::string(entry.code));
        }
        return {{"type", "string"}, {"enum", codes}};
    }
    template <typename T> static json schemaOf(std::optional<T>&)
    {
        T value = emptyValue<T>();
        return {{"anyOf", json::array({schemaOf(value), {{"type", "null"}}})}};
    }
    template <typename T>
    requires kIsStruct<T>
    static json schemaOf(T& v)
    {
        SchemaWriter sub;
        visitFields(sub, v);
        return sub.object();
    }
    template <typename T>
    requires kIsStruct<T>
    static json schemaOf(std::vector<T>&)
    {
        T item{};
        return {{"type", "array"}, {"items", schemaOf(item)}};
    }
};

template <typename T> json encode(const T& value)
{
    Writer writer;
    visitFields(writer, const_cast<T&>(value)); // the Writer only reads its fields
    return std::move(writer.out);
}

template <typename T>
Expected<T, Error> decode(const json& in, T value, const char* what, UnknownFields unknown = UnknownFields::Refused)
{
    if (!in.is_object()) {
        return Unexpected(Error{Errc::InvalidInput, std::string("a ") + what + " must be a JSON object"});
    }
    Reader reader(in, "", unknown);
    visitFields(reader, value);
    reader.finish();
    if (reader.error) {
        return Unexpected(*reader.error);
    }
    return value;
}

} // namespace

json snapshotToJson(const EligibilitySnapshot& snapshot)
{
    return encode(snapshot);
}

Expected<EligibilitySnapshot, Error> snapshotFromJson(const json& in)
{
    return decode(in, EligibilitySnapshot{}, "snapshot", UnknownFields::Ignored);
}

json toJson(const Visit& visit)
{
    return encode(visit);
}
json toJson(const Evidence& evidence)
{
    return encode(evidence);
}
json toJson(const Consent& consent)
{
    return encode(consent);
}
json toJson(const FallbackEvidence& fallback)
{
    return encode(fallback);
}
json toJson(const CustodyEvent& event)
{
    return encode(event);
}

Expected<Visit, Error> visitFromJson(const json& in)
{
    return decode(in, Visit{}, "visit");
}
Expected<Evidence, Error> evidenceFromJson(const json& in)
{
    return decode(in, Evidence{}, "evidence");
}
Expected<Consent, Error> consentFromJson(const json& in)
{
    return decode(in, Consent{}, "consent");
}
Expected<FallbackEvidence, Error> fallbackFromJson(const json& in)
{
    return decode(in, FallbackEvidence{}, "fallback evidence");
}
Expected<CustodyEvent, Error> custodyEventFromJson(const json& in)
{
    return decode(in, CustodyEvent{}, "custody event");
}

template <typename T> json schemaOfStruct()
{
    T value{};
    if constexpr (std::is_same_v<T, FallbackEvidence>) {
        value.capturedAt = base::Timestamp::fromUtc({});
    }
    SchemaWriter writer;
    visitFields(writer, value);
    return writer.object();
}

json recordPayloadSchema(std::string_view kind)
{
    json payload;
    std::string title;
    if (kind == "visit") {
        title = "zaitaku visit record";
        json evidence{{"type", "object"},
                      {"properties",
                       {{"bundle", schemaOfStruct<Evidence>()},
                        {"bundle_sha256", {{"type", "string"}, {"pattern", "^[0-9a-f]{64}$"}}},
                        {"device_signature", {{"type", "string"}, {"pattern", "^([0-9a-fA-F]{2})+$"}}}}},
                      {"required", {"bundle", "bundle_sha256", "device_signature"}},
                      {"additionalProperties", false}};
        payload = {{"type", "object"},
                   {"properties",
                    {{"visit", schemaOfStruct<Visit>()},
                     {"evidence", {{"type", "array"}, {"items", evidence}}},
                     {"consents", {{"type", "array"}, {"items", schemaOfStruct<Consent>()}}},
                     {"fallbacks", {{"type", "array"}, {"items", schemaOfStruct<FallbackEvidence>()}}}}},
                   {"required", {"visit", "evidence", "consents", "fallbacks"}},
                   {"additionalProperties", false}};
    } else if (kind == "consent_revocation") {
        title = "zaitaku consent revocation record";
        payload = schemaOfStruct<Consent>();
    } else if (kind == "custody") {
        title = "zaitaku custody event record";
        payload = schemaOfStruct<CustodyEvent>();
    } else {
        return nullptr;
    }
    payload["properties"]["payload_version"] = {{"type", "integer"}, {"const", kRecordPayloadVersion}};
    json schema{{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                {"$id", "https://zaitaku.example/schemas/" + std::string(kind) + ".schema.json"},
                {"title", title}};
    schema.update(payload);
    return schema;
}

} // namespace zaitaku::sync::protocol
