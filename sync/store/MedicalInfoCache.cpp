#include "sync/store/MedicalInfoCache.h"

namespace zaitaku::sync::store
{

Expected<void, Error> MedicalInfoCache::put(sql::Database& db, const MedicalInfo& info, const base::Timestamp& now)
{
    if (info.availableUntil <= now) {
        return Unexpected(Error{Errc::InvalidInput, "the information is past its AvailableTime", "available_until"});
    }
    auto stmt = db.prepare("INSERT INTO medical_info (id, patient_id, kind, received_at, available_until, payload) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, info.id).bind(2, info.patientId).bind(3, info.kind).bind(4, info.receivedAt);
    stmt->bind(5, info.availableUntil).bindBlob(6, info.payload);
    return stmt->run();
}

Expected<void, Error> MedicalInfoCache::replace(sql::Database& db, const MedicalInfo& info, const base::Timestamp& now)
{
    auto stmt = db.prepare("DELETE FROM medical_info WHERE patient_id = ?1 AND kind = ?2");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, info.patientId).bind(2, info.kind);
    if (auto done = stmt->run(); !done) {
        return done;
    }
    return put(db, info, now);
}

Expected<std::int64_t, Error> MedicalInfoCache::wipe(sql::Database& db,
                                                     const std::string& patientId,
                                                     model::ConsentKind kind,
                                                     const std::string& actor,
                                                     const std::string& reason,
                                                     const base::Timestamp& now)
{
    auto stmt = db.prepare("DELETE FROM medical_info WHERE patient_id = ?1 AND kind = ?2");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, patientId).bind(2, kind);
    if (auto done = stmt->run(); !done) {
        return Unexpected(done.error());
    }
    const std::int64_t removed = db.changes();
    if (removed > 0) {
        auto audited = sql::AuditLog::append(db,
                                             {actor,
                                              "medical_info.wipe",
                                              patientId,
                                              {{"kind", base::toCode(kind)}, {"count", removed}, {"reason", reason}}},
                                             now);
        if (!audited) {
            return Unexpected(audited.error());
        }
    }
    return removed;
}

Expected<std::vector<MedicalInfo>, Error>
MedicalInfoCache::availableFor(sql::Database& db, const std::string& patientId, const base::Timestamp& now)
{
    auto stmt = db.prepare("SELECT id, kind, payload, received_at, available_until FROM medical_info "
                           "WHERE patient_id = ?1 AND available_until > ?2 ORDER BY received_at");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, patientId).bind(2, now);
    std::vector<MedicalInfo> out;
    auto done = stmt->forEachRow([&](const sql::Statement& row) -> Expected<void, Error> {
        auto kind = base::fromCode<model::ConsentKind>(row.text(1));
        auto received = base::Timestamp::parse(row.text(3));
        auto until = base::Timestamp::parse(row.text(4));
        if (!kind || !received || !until) {
            return Unexpected(Error{Errc::StoreCorrupted, "a medical-information row is unreadable"});
        }
        out.push_back(MedicalInfo{row.text(0), patientId, *kind, row.blob(2), *received, *until});
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return out;
}

} // namespace zaitaku::sync::store
