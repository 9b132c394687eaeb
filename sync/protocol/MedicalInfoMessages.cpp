#include "sync/protocol/MedicalInfoMessages.h"

#include "sync/protocol/FieldReader.h"

#include <algorithm>
#include <array>
#include <utility>

namespace zaitaku::sync::protocol
{

namespace
{

using model::CheckupItem;
using model::Drug;
using model::DrugEvent;

// The string fields of each type, with their JSON keys: one table for writing and reading.
template <typename T, std::size_t N> using Keys = std::array<std::pair<std::string_view, std::string T::*>, N>;

constexpr Keys<Drug, 9> kDrugKeys{{{"code", &Drug::code},
                                   {"name", &Drug::name},
                                   {"ingredient", &Drug::ingredient},
                                   {"quantity", &Drug::quantity},
                                   {"unit", &Drug::unit},
                                   {"usage", &Drug::usage},
                                   {"special_instruction", &Drug::specialInstruction},
                                   {"times", &Drug::times},
                                   {"usage_class", &Drug::usageClass}}};
constexpr Keys<DrugEvent, 8> kEventKeys{{{"month", &DrugEvent::month},
                                         {"facility_code", &DrugEvent::facilityCode},
                                         {"facility_name", &DrugEvent::facilityName},
                                         {"prescriber_code", &DrugEvent::prescriberCode},
                                         {"prescriber_name", &DrugEvent::prescriberName},
                                         {"organization", &DrugEvent::organization},
                                         {"issuing_org", &DrugEvent::issuingOrg},
                                         {"in_out", &DrugEvent::inOut}}};
constexpr Keys<CheckupItem, 7> kItemKeys{{{"code", &CheckupItem::code},
                                          {"name", &CheckupItem::name},
                                          {"data_type", &CheckupItem::dataType},
                                          {"value", &CheckupItem::value},
                                          {"unit", &CheckupItem::unit},
                                          {"oid", &CheckupItem::oid},
                                          {"value_name", &CheckupItem::valueName}}};
constexpr Keys<model::MedicalInfoSubject, 3> kSubjectKeys{{{"name", &model::MedicalInfoSubject::name},
                                                           {"kana_name", &model::MedicalInfoSubject::kanaName},
                                                           {"sex_code", &model::MedicalInfoSubject::sexCode}}};

// The largest history accepted: 3 years of weekly dispensings by several pharmacies, with room.
constexpr std::size_t kMaxEvents = 2000;
constexpr std::size_t kMaxDrugsPerEvent = 60;
constexpr std::size_t kMaxCheckups = 10;
constexpr std::size_t kMaxItems = 300;
constexpr std::size_t kMaxText = 512;

template <typename T, std::size_t N> void writeKeys(nlohmann::json& out, const T& value, const Keys<T, N>& keys)
{
    for (const auto& [key, member] : keys) {
        out[std::string(key)] = value.*member;
    }
}

template <typename T, std::size_t N> void readKeys(FieldReader& r, T& value, const Keys<T, N>& keys)
{
    for (const auto& [key, member] : keys) {
        value.*member = r.string(key, kMaxText);
    }
}

nlohmann::json dateJson(const std::optional<base::Date>& d)
{
    return d ? nlohmann::json(d->toString()) : nlohmann::json(nullptr);
}

std::optional<base::Date> optionalDate(FieldReader& r, std::string_view key)
{
    auto text = r.optionalString(key, 10);
    if (!text) {
        return std::nullopt;
    }
    auto parsed = base::Date::parse(*text);
    if (!parsed) {
        r.fail(key, "must be a date (YYYY-MM-DD) or null");
        return std::nullopt;
    }
    return *parsed;
}

// Unknown keys are refused: the table's keys and `extra` are the object's only fields.
template <typename Table>
void allowTable(FieldReader& r, const Table& keys, std::initializer_list<std::string_view> extra)
{
    std::vector<std::string_view> all(extra);
    for (const auto& entry : keys) {
        all.push_back(entry.first);
    }
    r.allowOnly(all);
}

nlohmann::json subjectJson(const model::MedicalInfoSubject& s)
{
    nlohmann::json out = nlohmann::json::object();
    writeKeys(out, s, kSubjectKeys);
    out["birthdate"] = dateJson(s.birthdate);
    return out;
}

model::MedicalInfoSubject readSubject(FieldReader& parent)
{
    model::MedicalInfoSubject s;
    FieldReader r = parent.child("subject");
    allowTable(r, kSubjectKeys, {"birthdate"});
    readKeys(r, s, kSubjectKeys);
    s.birthdate = optionalDate(r, "birthdate");
    return s;
}

model::MedicationHistory readMedication(FieldReader& parent)
{
    model::MedicationHistory h;
    FieldReader r = parent.child("medication");
    r.allowOnly({"subject", "events"});
    h.subject = readSubject(r);
    const auto& events = r.array("events", kMaxEvents);
    for (std::size_t i = 0; i < events.size() && r.ok(); ++i) {
        FieldReader e = r.element(events, "events", i);
        allowTable(e, kEventKeys, {"source", "date", "prescribed_date", "drugs"});
        DrugEvent event;
        readKeys(e, event, kEventKeys);
        auto source = base::fromCode<model::DrugSource>(e.string("source", 16));
        if (e.ok() && !source) {
            e.fail("source", "must be medical, dispensing or prescription");
        }
        event.source = source.value_or(model::DrugSource::Dispensing);
        event.date = optionalDate(e, "date");
        event.prescribedDate = optionalDate(e, "prescribed_date");
        const auto& drugs = e.array("drugs", kMaxDrugsPerEvent);
        for (std::size_t j = 0; j < drugs.size() && e.ok(); ++j) {
            FieldReader d = e.element(drugs, "drugs", j);
            allowTable(d, kDrugKeys, {});
            Drug drug;
            readKeys(d, drug, kDrugKeys);
            event.drugs.push_back(std::move(drug));
        }
        h.events.push_back(std::move(event));
    }
    return h;
}

model::CheckupHistory readCheckups(FieldReader& parent)
{
    model::CheckupHistory h;
    FieldReader r = parent.child("checkups");
    r.allowOnly({"subject", "checkups"});
    h.subject = readSubject(r);
    const auto& list = r.array("checkups", kMaxCheckups);
    for (std::size_t i = 0; i < list.size() && r.ok(); ++i) {
        FieldReader c = r.element(list, "checkups", i);
        c.allowOnly({"date", "items"});
        model::Checkup checkup;
        checkup.date = optionalDate(c, "date");
        const auto& items = c.array("items", kMaxItems);
        for (std::size_t j = 0; j < items.size() && c.ok(); ++j) {
            FieldReader it = c.element(items, "items", j);
            allowTable(it, kItemKeys, {});
            CheckupItem item;
            readKeys(it, item, kItemKeys);
            checkup.items.push_back(std::move(item));
        }
        h.checkups.push_back(std::move(checkup));
    }
    return h;
}

MedicalInfoItem readItem(FieldReader& r, const nlohmann::json& json)
{
    r.allowOnly({"kind", "fetched_at", "view_until", "basis", "medication", "checkups"});
    MedicalInfoItem m;
    auto kind = base::fromCode<model::ConsentKind>(r.string("kind", 16));
    if (r.ok() && (!kind || (*kind != model::ConsentKind::Pharmacy && *kind != model::ConsentKind::Checkup))) {
        r.fail("kind", "must be pharm or checkup");
    }
    m.kind = kind.value_or(model::ConsentKind::Pharmacy);
    m.fetchedAt = r.timestamp("fetched_at");
    m.viewUntil = r.timestamp("view_until");
    m.basis = r.string("basis", 32);
    if (r.ok() && json.contains("medication") && !json["medication"].is_null()) {
        m.medication = readMedication(r);
    }
    if (r.ok() && json.contains("checkups") && !json["checkups"].is_null()) {
        m.checkups = readCheckups(r);
    }
    if (r.ok() && !m.medication && !m.checkups) {
        r.fail("medication", "or checkups is required");
    }
    return m;
}

} // namespace

nlohmann::json toJson(const model::MedicationHistory& h)
{
    nlohmann::json events = nlohmann::json::array();
    for (const auto& e : h.events) {
        nlohmann::json event{{"source", base::toCode(e.source)},
                             {"date", dateJson(e.date)},
                             {"prescribed_date", dateJson(e.prescribedDate)},
                             {"drugs", nlohmann::json::array()}};
        writeKeys(event, e, kEventKeys);
        for (const auto& d : e.drugs) {
            nlohmann::json drug = nlohmann::json::object();
            writeKeys(drug, d, kDrugKeys);
            event["drugs"].push_back(std::move(drug));
        }
        events.push_back(std::move(event));
    }
    return {{"subject", subjectJson(h.subject)}, {"events", std::move(events)}};
}

nlohmann::json toJson(const model::CheckupHistory& h)
{
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : h.checkups) {
        nlohmann::json checkup{{"date", dateJson(c.date)}, {"items", nlohmann::json::array()}};
        for (const auto& i : c.items) {
            nlohmann::json item = nlohmann::json::object();
            writeKeys(item, i, kItemKeys);
            checkup["items"].push_back(std::move(item));
        }
        list.push_back(std::move(checkup));
    }
    return {{"subject", subjectJson(h.subject)}, {"checkups", std::move(list)}};
}

nlohmann::json toJson(const MedicalInfoQuery& m)
{
    return {{"patient_id", m.patientId}, {"service_kind", m.serviceKind}, {"staff_id", m.staffId}};
}

nlohmann::json toJson(const MedicalInfoItem& m)
{
    return {{"kind", base::toCode(m.kind)},
            {"fetched_at", m.fetchedAt.toString()},
            {"view_until", m.viewUntil.toString()},
            {"basis", m.basis},
            {"medication", m.medication ? toJson(*m.medication) : nlohmann::json(nullptr)},
            {"checkups", m.checkups ? toJson(*m.checkups) : nlohmann::json(nullptr)}};
}

nlohmann::json toJson(const MedicalInfoAnswer& m)
{
    nlohmann::json items = nlohmann::json::array();
    for (const auto& i : m.items) {
        items.push_back(toJson(i));
    }
    nlohmann::json out{{"allowed", m.allowed}, {"reason", m.reason}, {"reason_ja", m.reasonJa}, {"items", items}};
    if (m.jobId) {
        out["job"] = *m.jobId;
    }
    return out;
}

Expected<MedicalInfoQuery, Error> parseMedicalInfoQuery(std::string_view body)
{
    return parseMessage<MedicalInfoQuery>(body, [](FieldReader& r) {
        r.allowOnly({"patient_id", "service_kind", "staff_id"});
        return MedicalInfoQuery{r.string("patient_id", 64), r.string("service_kind", 32), r.string("staff_id", 64)};
    });
}

Expected<MedicalInfoItem, Error> parseMedicalInfoItem(const nlohmann::json& json)
{
    if (!json.is_object()) {
        return Unexpected(Error{Errc::ProtocolViolation, "a medical-information item is an object"});
    }
    FieldReader r(json);
    auto item = readItem(r, json);
    if (!r.ok()) {
        return Unexpected(r.error());
    }
    return item;
}

Expected<MedicalInfoAnswer, Error> parseMedicalInfoAnswer(std::string_view body)
{
    return parseMessage<MedicalInfoAnswer>(body, [](FieldReader& r) {
        r.allowOnly({"allowed", "reason", "reason_ja", "items", "job"});
        MedicalInfoAnswer m;
        m.allowed = r.boolean("allowed");
        m.reason = r.string("reason", 64);
        m.reasonJa = r.string("reason_ja", 512);
        m.jobId = r.optionalString("job", 64);
        const auto& items = r.array("items", 2);
        for (std::size_t i = 0; i < items.size() && r.ok(); ++i) {
            FieldReader e = r.element(items, "items", i);
            m.items.push_back(readItem(e, items[i]));
        }
        return m;
    });
}

} // namespace zaitaku::sync::protocol
