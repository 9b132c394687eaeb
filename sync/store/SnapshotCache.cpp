#include "sync/store/SnapshotCache.h"

#include "base/BoundedJson.h"
#include "base/CanonicalJson.h"
#include "sync/protocol/ModelJson.h"
#include "verify/rules/PatientMatch.h"

#include <nlohmann/json.hpp>

namespace zaitaku::sync::store
{

Expected<void, Error>
SnapshotCache::add(sql::Database& db, const model::EligibilitySnapshot& s, const base::Timestamp& receivedAt)
{
    if (s.id.empty() || s.patientId.empty()) {
        return Unexpected(Error{Errc::InvalidInput, "a snapshot needs an id and a patient", "id"});
    }
    // Seed 003 「別人との紐付け誤り」: an answer with another 生年月日 than the roster patient's is kept
    // (the facility must see it) but never becomes that patient's result or re-query key.
    auto roster = db.prepare("SELECT birthdate FROM patient WHERE id = ?1");
    if (!roster) {
        return Unexpected(roster.error());
    }
    roster->bind(1, s.patientId);
    auto found = roster->step();
    if (!found) {
        return Unexpected(found.error());
    }
    std::optional<std::string> mismatch;
    if (*found) {
        if (auto birthdate = base::Date::parse(roster->text(0))) {
            mismatch = rules::birthdateMismatch(s.birthdate, *birthdate, "資格確認結果");
        }
    }
    auto insert = db.prepare(
        "INSERT INTO eligibility_snapshot (id, patient_id, source, received_at, process_execution_time, "
        "qualification_confirmation_date, segment_of_result, processing_result_status, qualification_validity, "
        "snapshot_json, raw_xml, raw_encoding, identity_mismatch) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
        "?11, ?12, ?13)");
    if (!insert) {
        return Unexpected(insert.error());
    }
    insert->bind(1, s.id).bind(2, s.patientId).bind(3, s.source).bind(4, receivedAt).bind(5, s.processExecutionTime);
    insert->bind(6, s.qualificationConfirmationDate).bind(7, s.segmentOfResult).bind(8, s.processingResultStatus);
    insert->bind(9, s.qualificationValidity);
    std::string json;
    try {
        json = base::canonicalJson(protocol::snapshotToJson(s));
    } catch (const nlohmann::json::exception&) {
        return Unexpected(Error{Errc::InvalidInput, "the snapshot holds text that is not UTF-8", "snapshot"});
    }
    insert->bind(10, json);
    insert->bindBlob(11, std::vector<std::uint8_t>(s.rawXml.begin(), s.rawXml.end()));
    insert->bind(12, s.rawEncoding).bind(13, mismatch);
    if (auto done = insert->run(); !done) {
        return Unexpected(done.error());
    }
    if (mismatch || !s.isConfirmed() || s.insurerNumber.empty() || !s.birthdate) {
        return {};
    }
    auto key = db.prepare(
        "INSERT INTO requery_key (patient_id, insurer_number, insured_symbol, insured_number, insured_branch, "
        "birthdate, derived_from_snapshot_id, last_requery_at, last_validity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
        "?9) ON CONFLICT (patient_id) DO UPDATE SET insurer_number = excluded.insurer_number, insured_symbol = "
        "excluded.insured_symbol, insured_number = excluded.insured_number, insured_branch = excluded.insured_branch, "
        "birthdate = excluded.birthdate, derived_from_snapshot_id = excluded.derived_from_snapshot_id, "
        "last_requery_at = excluded.last_requery_at, last_validity = excluded.last_validity");
    if (!key) {
        return Unexpected(key.error());
    }
    key->bind(1, s.patientId).bind(2, s.insurerNumber).bind(3, s.insuredCardSymbol);
    key->bind(4, s.insuredIdentificationNumber).bind(5, s.insuredBranchNumber).bind(6, *s.birthdate);
    key->bind(7, s.id).bind(8, receivedAt).bind(9, s.qualificationValidity);
    return key->run();
}

Expected<bool, Error> SnapshotCache::contains(sql::Database& db, const std::string& snapshotId)
{
    auto row = db.queryRow("SELECT 1 FROM eligibility_snapshot WHERE id = ?1", snapshotId);
    if (!row) {
        return Unexpected(row.error());
    }
    return row->has_value();
}

Expected<std::optional<CachedSnapshot>, Error> SnapshotCache::latestFor(sql::Database& db, const std::string& patientId)
{
    auto stmt = db.queryRow("SELECT snapshot_json, raw_xml, raw_encoding, received_at FROM eligibility_snapshot "
                            "WHERE patient_id = ?1 AND identity_mismatch IS NULL "
                            "ORDER BY received_at DESC, rowid DESC LIMIT 1",
                            patientId);
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    if (!*stmt) {
        return std::optional<CachedSnapshot>{};
    }
    const auto& row = **stmt;
    const auto parsed = base::parseJson(row.text(0));
    auto snapshot = protocol::snapshotFromJson(parsed);
    if (!snapshot) {
        return Unexpected(Error{Errc::StoreCorrupted, "a cached snapshot cannot be read: " + snapshot.error().message});
    }
    const auto raw = row.blob(1);
    snapshot->rawXml.assign(raw.begin(), raw.end());
    snapshot->rawEncoding = row.text(2);
    auto received = base::Timestamp::parse(row.text(3));
    if (!received) {
        return Unexpected(Error{Errc::StoreCorrupted, "a cached snapshot has an unreadable receipt time"});
    }
    return std::optional<CachedSnapshot>(CachedSnapshot{std::move(*snapshot), *received});
}

Expected<std::optional<RequeryKey>, Error> SnapshotCache::requeryKeyFor(sql::Database& db, const std::string& patientId)
{
    auto stmt = db.queryRow("SELECT insurer_number, insured_symbol, insured_number, insured_branch, birthdate, "
                            "derived_from_snapshot_id FROM requery_key WHERE patient_id = ?1",
                            patientId);
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    if (!*stmt) {
        return std::optional<RequeryKey>{};
    }
    const auto& row = **stmt;
    RequeryKey key;
    key.patientId = patientId;
    key.insured = {row.text(0), row.text(1), row.text(2), row.text(3)};
    key.birthdate = base::Date::parse(row.text(4)).value_or(base::Date::fromSysDays({}));
    key.derivedFromSnapshotId = row.text(5);
    return std::optional<RequeryKey>(std::move(key));
}

} // namespace zaitaku::sync::store
