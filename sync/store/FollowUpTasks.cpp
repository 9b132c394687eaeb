#include "sync/store/FollowUpTasks.h"

#include "base/BoundedJson.h"
#include "sync/protocol/ModelJson.h"
#include "verify/rules/EligibilityChange.h"
#include "verify/rules/PatientMatch.h"

#include <nlohmann/json.hpp>

namespace zaitaku::sync::store
{

namespace
{

bool isRequery(const model::EligibilitySnapshot& s)
{
    return s.source == model::SnapshotSource::RequerySingle || s.source == model::SnapshotSource::RequeryBulk;
}

// The first column of the first row, or nothing; ?1 is the patient, ?2 the instant when given.
Expected<std::optional<std::string>, Error> firstText(sql::Database& db,
                                                      const char* sql,
                                                      const std::string& patientId,
                                                      const std::optional<base::Timestamp>& at = std::nullopt)
{
    auto stmt = db.prepare(sql);
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, patientId);
    if (at) {
        stmt->bind(2, *at);
    }
    auto row = stmt->step();
    if (!row) {
        return Unexpected(row.error());
    }
    return *row ? std::optional<std::string>(stmt->text(0)) : std::nullopt;
}

// The newest first visit before that answer, with no fallback evidence recorded since it came.
Expected<std::optional<std::string>, Error>
unconfirmedFirstVisit(sql::Database& db, const std::string& patientId, const CachedSnapshot& latest)
{
    return firstText(
        db,
        "SELECT v.id FROM visit AS v WHERE v.patient_id = ?1 AND v.flow = 'first_visit' AND v.completed_at < ?2 "
        "AND NOT EXISTS (SELECT 1 FROM visit AS fv JOIN fallback_evidence AS f ON f.visit_id = fv.id "
        "WHERE fv.patient_id = ?1 AND f.captured_at >= ?2) "
        "AND NOT EXISTS (SELECT 1 FROM fallback_evidence AS own WHERE own.visit_id = v.id) "
        "ORDER BY v.completed_at DESC LIMIT 1",
        patientId, latest.receivedAt);
}

// A pending revisit is answered by the first re-query result received after it was recorded —
// unless the gateway said, in its receipt, that it cannot re-query it (flag requery_refused:REASON).
Expected<std::optional<FollowUpTask>, Error> pendingRevisit(sql::Database& db, const std::string& patientId)
{
    auto stmt = db.queryRow("SELECT v.id, coalesce(o.receipt, '') FROM visit AS v LEFT JOIN outbox AS o "
                            "ON o.idem_key = v.id WHERE v.patient_id = ?1 AND v.requery = 'pending' "
                            "AND NOT EXISTS (SELECT 1 FROM eligibility_snapshot AS s WHERE s.patient_id = ?1 "
                            "AND s.source IN ('requery_single', 'requery_bulk') AND s.received_at >= v.completed_at) "
                            "ORDER BY v.completed_at DESC LIMIT 1",
                            patientId);
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    if (!*stmt) {
        return std::optional<FollowUpTask>();
    }
    const auto& row = **stmt;
    const auto receipt = base::parseJson(row.text(1));
    const auto flags = receipt.is_object() ? receipt.value("flags", nlohmann::json::array()) : nlohmann::json();
    for (const auto& flag : flags.is_array() ? flags : nlohmann::json::array()) {
        const std::string text = flag.is_string() ? flag.get<std::string>() : std::string();
        if (text.rfind("requery_refused:", 0) == 0) {
            return std::optional<FollowUpTask>(
                FollowUpTask{"requery_refused", row.text(0),
                             "ゲートウェイがこの再訪問を再照会できませんでした（" + text.substr(16) +
                                 "）。次回はカードで確認するか代替手段で確認してください"});
        }
    }
    return std::optional<FollowUpTask>(FollowUpTask{"requery_pending", row.text(0), {}});
}

// The newest confirmed answer received before `before` (what the patient's insurance was).
Expected<std::optional<model::EligibilitySnapshot>, Error>
confirmedBefore(sql::Database& db, const std::string& patientId, const base::Timestamp& before)
{
    auto stmt = db.prepare("SELECT snapshot_json FROM eligibility_snapshot WHERE patient_id = ?1 AND received_at < ?2 "
                           "ORDER BY received_at DESC, rowid DESC LIMIT 20");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, patientId).bind(2, before);
    std::optional<model::EligibilitySnapshot> found;
    auto done = stmt->forEachRow([&](const sql::Statement& row) {
        if (found) {
            return;
        }
        auto snapshot = protocol::snapshotFromJson(base::parseJson(row.text(0)));
        if (snapshot && snapshot->isConfirmed()) {
            found = std::move(*snapshot);
        }
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return found;
}

// An answer newer than the patient's latest result whose 生年月日 was not theirs (SnapshotCache):
// kept out of their record; its words name both dates.
Expected<std::optional<std::string>, Error>
foreignAnswer(sql::Database& db, const std::string& patientId, const std::optional<CachedSnapshot>& latest)
{
    return firstText(db,
                     "SELECT identity_mismatch FROM eligibility_snapshot WHERE patient_id = ?1 "
                     "AND identity_mismatch IS NOT NULL AND received_at >= ?2 "
                     "ORDER BY received_at DESC, rowid DESC LIMIT 1",
                     patientId, latest ? latest->receivedAt : base::Timestamp::fromUtc({}));
}

} // namespace

Expected<std::vector<FollowUpTask>, Error>
FollowUpTasks::forPatient(sql::Database& db, const std::string& patientId, const std::optional<CachedSnapshot>& latest)
{
    std::vector<FollowUpTask> tasks;
    auto foreign = foreignAnswer(db, patientId, latest);
    auto pending = pendingRevisit(db, patientId);
    if (!foreign || !pending) {
        return Unexpected(!foreign ? foreign.error() : pending.error());
    }
    if (*foreign) {
        tasks.push_back({"identity_mismatch", {}, **foreign});
    }
    if (*pending) {
        tasks.push_back(std::move(**pending));
    }
    if (!latest) {
        return tasks;
    }
    // A カナ氏名 that differs from the roster's is a warning: 「●」 names are confirmed by their kana
    // and claimed as they are [seed 003].
    auto rosterKana = firstText(db, "SELECT name_kana FROM patient WHERE id = ?1", patientId);
    if (!rosterKana) {
        return Unexpected(rosterKana.error());
    }
    if (auto differs = rules::kanaDifference(latest->snapshot.nameKana, rosterKana->value_or(""))) {
        tasks.push_back({"kana_differs", {}, *differs});
    }
    if (!latest->snapshot.isConfirmed()) {
        if (isRequery(latest->snapshot)) {
            tasks.push_back({"requery_not_confirmed", {}, {}}); // about the revisit, not the first visit
            return tasks;
        }
        auto visit = unconfirmedFirstVisit(db, patientId, *latest);
        if (!visit) {
            return Unexpected(visit.error());
        }
        if (*visit) {
            tasks.push_back({"collect_qualification_documents", **visit, {}});
        }
        return tasks;
    }
    if (isRequery(latest->snapshot)) {
        auto before = confirmedBefore(db, patientId, latest->receivedAt);
        if (!before) {
            return Unexpected(before.error());
        }
        if (*before) {
            std::string detail;
            for (const auto& change :
                 rules::eligibilityChanges(**before, latest->snapshot, latest->receivedAt.localDate())) {
                detail += (detail.empty() ? "" : "／") + change;
            }
            if (!detail.empty()) {
                tasks.push_back({"requery_changed", {}, detail});
            }
        }
    }
    return tasks;
}

} // namespace zaitaku::sync::store
