#include "sync/store/PatientRoster.h"

#include "base/BoundedJson.h"
#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/SqlTime.h"
#include "sync/sql/Transaction.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace zaitaku::sync::store
{

namespace
{

using nlohmann::json;

class EntryReader
{
public:
    EntryReader(const json& object, std::size_t index)
        : m_object(object)
        , m_index(index)
    {}

    Error error(const std::string& key, const std::string& why) const
    {
        // Built by appending: GCC 12 at -O2 warns (-Wrestrict, a false positive) on "[" + … chains.
        const std::string index = std::to_string(m_index);
        std::string field = "[";
        field.append(index).append("].").append(key);
        std::string message = "patient entry ";
        message.append(index).append(": ").append(key).append(" ").append(why);
        return Error{Errc::InvalidInput, std::move(message), std::move(field)};
    }

    // A required or optional string with a byte-length limit.
    Expected<std::string, Error> text(const std::string& key, bool required, std::size_t maxBytes) const
    {
        if (!m_object.contains(key) || m_object[key].is_null()) {
            if (required) {
                return Unexpected(error(key, "is missing"));
            }
            return std::string();
        }
        if (!m_object[key].is_string()) {
            return Unexpected(error(key, "must be a string"));
        }
        std::string value = m_object[key].get<std::string>();
        if (value.size() > maxBytes) {
            return Unexpected(error(key, "is longer than " + std::to_string(maxBytes) + " bytes"));
        }
        return value;
    }

private:
    const json& m_object;
    std::size_t m_index;
};

// Katakana (full- and half-width), the prolonged sound mark and spaces: what カナ氏名 may contain.
bool isKana(std::string_view text)
{
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c == ' ') {
            ++i;
            continue;
        }
        // Every accepted non-space character is a 3-byte UTF-8 sequence.
        if ((c & 0xf0) != 0xe0 || i + 3 > text.size()) {
            return false;
        }
        const auto c1 = static_cast<unsigned char>(text[i + 1]);
        const auto c2 = static_cast<unsigned char>(text[i + 2]);
        if ((c1 & 0xc0) != 0x80 || (c2 & 0xc0) != 0x80) {
            return false;
        }
        const unsigned cp = ((c & 0x0fu) << 12) | ((c1 & 0x3fu) << 6) | (c2 & 0x3fu);
        const bool katakana = cp >= 0x30a0 && cp <= 0x30ff;
        const bool halfWidth = cp >= 0xff61 && cp <= 0xff9f;
        const bool ideographicSpace = cp == 0x3000;
        if (!katakana && !halfWidth && !ideographicSpace) {
            return false;
        }
        i += 3;
    }
    return !text.empty();
}

bool allDigits(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Record ids: letters, digits and . _ : - (they appear in file names and URLs).
bool isRecordId(std::string_view id)
{
    const auto ok = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == ':' || c == '-';
    };
    return !id.empty() && std::all_of(id.begin(), id.end(), ok) && ok(id.front()) && id.front() != '-';
}

const std::set<std::string> kEntryKeys{"id",
                                       "name",
                                       "name_kana",
                                       "birthdate",
                                       "insurer_number",
                                       "insured_symbol",
                                       "insured_number",
                                       "insured_branch",
                                       "local_mrn",
                                       "reference_number",
                                       "care"};
const std::set<std::string> kCareKeys{"id",         "service_kind", "first_online_confirm_at", "first_confirm_method",
                                      "continuing", "ended_at"};

Expected<std::optional<base::Date>, Error>
optionalDate(const EntryReader& r, const json& object, const std::string& key)
{
    if (!object.contains(key) || object[key].is_null()) {
        return std::optional<base::Date>{};
    }
    if (!object[key].is_string()) {
        return Unexpected(r.error(key, "must be a date string YYYY-MM-DD"));
    }
    auto date = base::Date::parse(object[key].get<std::string>());
    if (!date) {
        return Unexpected(r.error(key, "must be a date YYYY-MM-DD"));
    }
    return std::optional<base::Date>(*date);
}

Expected<std::optional<model::CareRelationship>, Error>
parseCare(const json& entry, std::size_t index, const std::string& patientId)
{
    if (!entry.contains("care") || entry["care"].is_null()) {
        return std::optional<model::CareRelationship>{};
    }
    const json& care = entry["care"];
    const EntryReader outer(entry, index);
    if (!care.is_object()) {
        return Unexpected(outer.error("care", "must be an object"));
    }
    const EntryReader r(care, index);
    for (const auto& [key, value] : care.items()) {
        if (!kCareKeys.contains(key)) {
            return Unexpected(outer.error("care." + key, "is not a known key"));
        }
    }
    model::CareRelationship rel;
    rel.patientId = patientId;
    auto kind = r.text("service_kind", true, 32);
    if (!kind) {
        return Unexpected(outer.error("care.service_kind", "is missing"));
    }
    auto serviceKind = base::fromCode<model::ServiceKind>(*kind);
    if (!serviceKind) {
        return Unexpected(outer.error("care.service_kind", "must be one of houmon_shinryo, oushin, houmon_kango, "
                                                           "kyotaku_yakuzai"));
    }
    rel.serviceKind = *serviceKind;
    auto id = r.text("id", false, 64);
    if (!id) {
        return Unexpected(outer.error("care.id", "must be a string of at most 64 bytes"));
    }
    rel.id = id->empty() ? patientId + ":" + std::string(base::toCode(rel.serviceKind)) : *id;
    auto first = optionalDate(r, care, "first_online_confirm_at");
    auto ended = optionalDate(r, care, "ended_at");
    if (!first || !ended) {
        return Unexpected(
            outer.error(!first ? "care.first_online_confirm_at" : "care.ended_at", "must be a date YYYY-MM-DD"));
    }
    rel.firstOnlineConfirmAt = *first;
    rel.endedAt = *ended;
    auto method = r.text("first_confirm_method", false, 16);
    if (!method) {
        return Unexpected(outer.error("care.first_confirm_method", "must be pin, face or visual"));
    }
    if (!method->empty()) {
        auto m = base::fromCode<model::ConfirmMethod>(*method);
        if (!m) {
            return Unexpected(outer.error("care.first_confirm_method", "must be pin, face or visual"));
        }
        rel.firstConfirmMethod = *m;
    }
    if (care.contains("continuing") && !care["continuing"].is_null()) {
        if (!care["continuing"].is_boolean()) {
            return Unexpected(outer.error("care.continuing", "must be true or false"));
        }
        rel.continuing = care["continuing"].get<bool>();
    }
    return std::optional<model::CareRelationship>(std::move(rel));
}

Expected<RosterEntry, Error> parseEntry(const json& entry, std::size_t index)
{
    const EntryReader r(entry, index);
    if (!entry.is_object()) {
        return Unexpected(Error{Errc::InvalidInput, "patient entry " + std::to_string(index) + " must be an object",
                                "[" + std::to_string(index) + "]"});
    }
    for (const auto& [key, value] : entry.items()) {
        if (!kEntryKeys.contains(key)) {
            return Unexpected(r.error(key, "is not a known key"));
        }
    }
    RosterEntry out;
    model::Patient& p = out.patient;
    struct Field
    {
        const char* key;
        std::string* target;
        bool required;
        std::size_t maxBytes;
    };
    const Field fields[] = {
        {"id", &p.id, true, 64},
        {"name", &p.displayName, true, 300},
        {"name_kana", &p.nameKana, true, 300},
        {"insurer_number", &p.insured.insurerNumber, true, 8},
        {"insured_symbol", &p.insured.symbol, true, 60},
        {"insured_number", &p.insured.number, true, 60},
        {"insured_branch", &p.insured.branch, true, 2},
        {"local_mrn", &p.localMrn, false, 64},
        {"reference_number", &p.referenceNumber, false, 50},
    };
    for (const auto& field : fields) {
        auto value = r.text(field.key, field.required, field.maxBytes);
        if (!value) {
            return Unexpected(value.error());
        }
        *field.target = std::move(*value);
    }
    if (!isRecordId(p.id)) {
        return Unexpected(r.error("id", "must be letters, digits, '.', '_', ':' or '-'"));
    }
    if (p.displayName.empty()) {
        return Unexpected(r.error("name", "is empty"));
    }
    if (!isKana(p.nameKana)) {
        return Unexpected(r.error("name_kana", "must be katakana (full- or half-width) and spaces"));
    }
    const std::size_t insurerLength = p.insured.insurerNumber.size();
    if ((insurerLength != 6 && insurerLength != 8) || !allDigits(p.insured.insurerNumber)) {
        return Unexpected(r.error("insurer_number", "must be 6 or 8 digits"));
    }
    if (p.insured.number.empty()) {
        return Unexpected(r.error("insured_number", "is empty"));
    }
    if (!(p.insured.branch.empty() || (p.insured.branch.size() == 2 && allDigits(p.insured.branch)))) {
        return Unexpected(r.error("insured_branch", "must be 2 digits (or empty when the document has none)"));
    }
    if (!entry.contains("birthdate") || !entry["birthdate"].is_string()) {
        return Unexpected(
            r.error("birthdate", entry.contains("birthdate") ? "must be a date string YYYY-MM-DD" : "is missing"));
    }
    auto birthdate = base::Date::parse(entry["birthdate"].get<std::string>());
    if (!birthdate) {
        return Unexpected(r.error("birthdate", "must be a date YYYY-MM-DD"));
    }
    p.birthdate = *birthdate;
    auto care = parseCare(entry, index, p.id);
    if (!care) {
        return Unexpected(care.error());
    }
    out.care = std::move(*care);
    return out;
}

model::Patient readPatient(const sql::Statement& s)
{
    model::Patient p;
    p.id = s.text(0);
    p.localMrn = s.text(1);
    p.displayName = s.text(2);
    p.nameKana = s.text(3);
    p.birthdate = base::Date::parse(s.text(4)).value_or(base::Date::fromSysDays({}));
    p.insured = {s.text(5), s.text(6), s.text(7), s.text(8)};
    p.referenceNumber = s.text(9);
    p.acceptedOqsName = s.text(10);
    return p;
}

constexpr const char* kPatientColumns = "id, local_mrn, name, name_kana, birthdate, insurer_number, insured_symbol, "
                                        "insured_number, insured_branch, reference_number, accepted_oqs_name";

} // namespace

Expected<std::vector<RosterEntry>, Error> PatientRoster::parse(std::string_view text)
{
    if (text.size() > kMaxFileBytes) {
        return Unexpected(Error{Errc::InvalidInput, "the roster file is larger than 16 MiB"});
    }
    const json doc = base::parseJson(text);
    if (doc.is_discarded()) {
        return Unexpected(Error{Errc::InvalidInput, "the roster file is not valid JSON (or not UTF-8)"});
    }
    if (!doc.is_array()) {
        return Unexpected(Error{Errc::InvalidInput, "the roster file must be a JSON array of patients"});
    }
    std::vector<RosterEntry> entries;
    std::set<std::string> ids;
    for (std::size_t i = 0; i < doc.size(); ++i) {
        auto entry = parseEntry(doc[i], i);
        if (!entry) {
            return Unexpected(entry.error());
        }
        if (!ids.insert(entry->patient.id).second) {
            return Unexpected(EntryReader(doc[i], i).error("id", "'" + entry->patient.id + "' appears twice"));
        }
        entries.push_back(std::move(*entry));
    }
    return entries;
}

Expected<RosterImportResult, Error> PatientRoster::import(Store& store, std::string_view text, const std::string& actor)
{
    auto entries = parse(text);
    if (!entries) {
        return Unexpected(entries.error());
    }
    sql::Database& db = store.db();
    const std::string now = sql::utcText(store.clock().nowJst());
    auto tx = sql::Transaction::begin(db, sql::Durability::Full);
    if (!tx) {
        return Unexpected(tx.error());
    }
    auto exists = db.prepare("SELECT 1 FROM patient WHERE id = ?1");
    auto upsert = db.prepare(
        "INSERT INTO patient (id, local_mrn, name, name_kana, birthdate, insurer_number, insured_symbol, "
        "insured_number, insured_branch, reference_number, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11) ON CONFLICT (id) DO UPDATE SET local_mrn = excluded.local_mrn, name = excluded.name, "
        "name_kana = excluded.name_kana, birthdate = excluded.birthdate, insurer_number = excluded.insurer_number, "
        "insured_symbol = excluded.insured_symbol, insured_number = excluded.insured_number, "
        "insured_branch = excluded.insured_branch, reference_number = excluded.reference_number, "
        "updated_at = excluded.updated_at");
    auto care = db.prepare(
        "INSERT INTO care_relationship (id, patient_id, service_kind, first_online_confirm_at, first_confirm_method, "
        "continuing, ended_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO UPDATE SET "
        "service_kind = excluded.service_kind, first_online_confirm_at = excluded.first_online_confirm_at, "
        "first_confirm_method = excluded.first_confirm_method, continuing = excluded.continuing, "
        "ended_at = excluded.ended_at WHERE care_relationship.patient_id = excluded.patient_id");
    if (!exists || !upsert || !care) {
        return Unexpected(!exists ? exists.error() : !upsert ? upsert.error() : care.error());
    }
    RosterImportResult result;
    result.fileSha256 = base::sha256Hex(text);
    for (const auto& entry : *entries) {
        const model::Patient& p = entry.patient;
        exists->reset();
        exists->bind(1, p.id);
        auto found = exists->step();
        if (!found) {
            return Unexpected(found.error());
        }
        upsert->reset();
        upsert->bind(1, p.id).bind(2, p.localMrn).bind(3, p.displayName).bind(4, p.nameKana);
        upsert->bind(5, p.birthdate).bind(6, p.insured.insurerNumber).bind(7, p.insured.symbol);
        upsert->bind(8, p.insured.number).bind(9, p.insured.branch).bind(10, p.referenceNumber).bind(11, now);
        if (auto done = upsert->run(); !done) {
            return Unexpected(done.error());
        }
        (*found ? result.updated : result.inserted) += 1;
        if (entry.care) {
            const model::CareRelationship& c = *entry.care;
            care->reset();
            care->bind(1, c.id).bind(2, c.patientId).bind(3, c.serviceKind).bind(4, c.firstOnlineConfirmAt);
            care->bind(5, c.firstConfirmMethod).bind(6, c.continuing).bind(7, c.endedAt);
            if (auto done = care->run(); !done) {
                return Unexpected(done.error());
            }
            if (db.changes() != 1) {
                return Unexpected(Error{Errc::StoreConstraint,
                                        "care relationship " + c.id + " belongs to another patient", "care.id"});
            }
            ++result.careRelationships;
        }
    }
    const nlohmann::json detail{{"entries", entries->size()},
                                {"inserted", result.inserted},
                                {"updated", result.updated},
                                {"care_relationships", result.careRelationships},
                                {"file_sha256", result.fileSha256}};
    if (auto audited = sql::AuditLog::append(db, sql::AuditEntry{actor, "roster.import", "patient", detail},
                                             store.clock().nowJst());
        !audited) {
        return Unexpected(audited.error());
    }
    if (auto done = tx->commit(); !done) {
        return Unexpected(done.error());
    }
    return result;
}

Expected<std::optional<model::Patient>, Error> PatientRoster::find(sql::Database& db, const std::string& id)
{
    auto stmt = db.prepare(std::string("SELECT ") + kPatientColumns + " FROM patient WHERE id = ?1");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, id);
    auto row = stmt->step();
    if (!row) {
        return Unexpected(row.error());
    }
    return *row ? std::optional<model::Patient>(readPatient(*stmt)) : std::nullopt;
}

Expected<std::vector<model::Patient>, Error> PatientRoster::list(sql::Database& db)
{
    auto stmt = db.prepare(std::string("SELECT ") + kPatientColumns + " FROM patient ORDER BY name_kana, id");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    std::vector<model::Patient> out;
    auto done = stmt->forEachRow([&](const sql::Statement& row) { out.push_back(readPatient(row)); });
    if (!done) {
        return Unexpected(done.error());
    }
    return out;
}

Expected<bool, Error> PatientRoster::confirmCare(sql::Database& db,
                                                 const std::string& patientId,
                                                 const std::string& serviceKind,
                                                 const base::Date& confirmedOn)
{
    auto stmt = db.prepare("UPDATE care_relationship SET first_online_confirm_at = ?3 WHERE patient_id = ?1 "
                           "AND service_kind = ?2 AND first_online_confirm_at IS NULL AND ended_at IS NULL");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, patientId).bind(2, serviceKind).bind(3, confirmedOn);
    if (auto done = stmt->run(); !done) {
        return Unexpected(done.error());
    }
    return db.changes() > 0;
}

Expected<std::vector<model::CareRelationship>, Error> PatientRoster::careOf(sql::Database& db,
                                                                            const std::string& patientId)
{
    auto stmt = db.prepare("SELECT id, service_kind, first_online_confirm_at, first_confirm_method, continuing, "
                           "ended_at FROM care_relationship WHERE patient_id = ?1 ORDER BY id");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, patientId);
    std::vector<model::CareRelationship> out;
    auto done = stmt->forEachRow([&](const sql::Statement& row) {
        model::CareRelationship c;
        c.id = row.text(0);
        c.patientId = patientId;
        c.serviceKind = base::fromCode<model::ServiceKind>(row.text(1)).value_or(model::ServiceKind::HoumonShinryo);
        if (auto d = row.optionalText(2)) {
            c.firstOnlineConfirmAt = base::Date::parse(*d).value_or(base::Date::fromSysDays({}));
        }
        if (auto m = row.optionalText(3)) {
            c.firstConfirmMethod = base::fromCode<model::ConfirmMethod>(*m).value_or(model::ConfirmMethod::Visual);
        }
        c.continuing = row.integer(4) != 0;
        if (auto d = row.optionalText(5)) {
            c.endedAt = base::Date::parse(*d).value_or(base::Date::fromSysDays({}));
        }
        out.push_back(std::move(c));
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return out;
}

} // namespace zaitaku::sync::store
