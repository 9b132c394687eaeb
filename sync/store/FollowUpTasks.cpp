#include "sync/store/FollowUpTasks.h"

namespace zaitaku::sync::store
{

Expected<std::vector<FollowUpTask>, Error>
FollowUpTasks::forPatient(Database& db, const std::string& patientId, const std::optional<CachedSnapshot>& latest)
{
    std::vector<FollowUpTask> tasks;
    if (!latest || latest->snapshot.isConfirmed()) {
        return tasks;
    }
    // The newest first visit before that answer, with no fallback evidence recorded since it came.
    auto stmt = db.prepare(
        "SELECT v.id FROM visit AS v WHERE v.patient_id = ?1 AND v.flow = 'first_visit' AND v.completed_at < ?2 "
        "AND NOT EXISTS (SELECT 1 FROM visit AS fv JOIN fallback_evidence AS f ON f.visit_id = fv.id "
        "WHERE fv.patient_id = ?1 AND f.captured_at >= ?2) "
        "AND NOT EXISTS (SELECT 1 FROM fallback_evidence AS own WHERE own.visit_id = v.id) "
        "ORDER BY v.completed_at DESC LIMIT 1");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, patientId).bind(2, latest->receivedAt);
    auto row = stmt->step();
    if (!row) {
        return Unexpected(row.error());
    }
    if (*row) {
        tasks.push_back({"collect_qualification_documents", stmt->text(0)});
    }
    return tasks;
}

} // namespace zaitaku::sync::store
