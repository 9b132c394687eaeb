#include "sync/store/ConsentLedger.h"

#include "base/CanonicalJson.h"
#include "sync/protocol/ModelJson.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/Transaction.h"
#include "sync/store/MedicalInfoCache.h"
#include "sync/store/Outbox.h"

#include <nlohmann/json.hpp>

namespace zaitaku::sync::store
{

namespace
{

Expected<void, Error> checkText(const model::Consent& c)
{
    if (c.textVersion.empty() || c.textSha256.size() != 64 ||
        c.textSha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
        return Unexpected(Error{Errc::InvalidInput, "a consent needs its text version and the text's SHA-256",
                                "consent.text_version"});
    }
    return {};
}

} // namespace

Expected<void, Error> ConsentLedger::insert(sql::Database& db, const model::Consent& c, const std::string& visitId)
{
    if (auto ok = checkText(c); !ok) {
        return ok;
    }
    auto stmt = db.prepare(
        "INSERT INTO consent (id, patient_id, visit_id, kind, given, text_version, text_sha256, consent_time, "
        "available_time, revoked_at, source_snapshot_id, revokes_consent_id) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    const std::optional<std::string> visit = visitId.empty() ? std::nullopt : std::optional(visitId);
    const std::optional<std::string> revokes =
        c.revokesConsentId.empty() ? std::nullopt : std::optional(c.revokesConsentId);
    stmt->bind(1, c.id).bind(2, c.patientId).bind(3, visit).bind(4, c.kind).bind(5, c.given).bind(6, c.textVersion);
    stmt->bind(7, c.textSha256).bind(8, c.consentTime).bind(9, c.availableTime).bind(10, c.revokedAt);
    stmt->bind(11, c.sourceSnapshotId).bind(12, revokes);
    return stmt->run();
}

Expected<void, Error> ConsentLedger::revoke(Store& store, const model::Consent& revocation, const std::string& actor)
{
    if (revocation.revokesConsentId.empty() || revocation.given || !revocation.consentTime) {
        return Unexpected(Error{Errc::InvalidInput, "a revocation names the consent it withdraws, with its time",
                                "consent.revokes_consent_id"});
    }
    sql::Database& db = store.db();
    auto tx = sql::Transaction::begin(db, sql::Durability::Full);
    if (!tx) {
        return Unexpected(tx.error());
    }
    auto mark = db.prepare("UPDATE consent SET revoked_at = ?1 WHERE id = ?2 AND patient_id = ?3 AND given = 1 "
                           "AND revoked_at IS NULL AND revokes_consent_id IS NULL");
    if (!mark) {
        return Unexpected(mark.error());
    }
    mark->bind(1, revocation.consentTime).bind(2, revocation.revokesConsentId).bind(3, revocation.patientId);
    if (auto done = mark->run(); !done) {
        return done;
    }
    if (db.changes() != 1) {
        return Unexpected(Error{Errc::Conflict,
                                "consent " + revocation.revokesConsentId +
                                    " is unknown, of another patient, not given or already withdrawn",
                                "consent.revokes_consent_id"});
    }
    if (auto done = insert(db, revocation, ""); !done) {
        return done;
    }
    const base::Timestamp now = store.clock().nowJst();
    auto body = protocol::toJson(revocation);
    body["payload_version"] = protocol::kRecordPayloadVersion;
    if (auto done = Outbox::enqueue(db, revocation.id, kOutboxKind, revocation.id, base::canonicalJson(body), now);
        !done) {
        return done;
    }
    const sql::AuditEntry entry{actor,
                                "consent.revoke",
                                revocation.id,
                                {{"revokes", revocation.revokesConsentId},
                                 {"kind", base::toCode(revocation.kind)},
                                 {"patient_id", revocation.patientId},
                                 {"text_version", revocation.textVersion}}};
    if (auto done = sql::AuditLog::append(db, entry, now); !done) {
        return Unexpected(done.error());
    }
    // Issue 33: withdrawing 薬剤・特定健診 consent removes this tablet's copy at once (the others on
    // the revocation's feed item).
    if (revocation.kind == model::ConsentKind::Pharmacy || revocation.kind == model::ConsentKind::Checkup) {
        if (auto wiped =
                MedicalInfoCache::wipe(db, revocation.patientId, revocation.kind, actor, "consent_withdrawn", now);
            !wiped) {
            return Unexpected(wiped.error());
        }
    }
    return tx->commit();
}

Expected<std::vector<model::Consent>, Error> ConsentLedger::active(sql::Database& db, const std::string& patientId)
{
    auto stmt = db.prepare("SELECT id, kind, text_version, text_sha256, consent_time, available_time, "
                           "source_snapshot_id FROM consent WHERE patient_id = ?1 AND given = 1 AND revoked_at IS NULL "
                           "AND revokes_consent_id IS NULL ORDER BY consent_time DESC, id");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, patientId);
    std::vector<model::Consent> out;
    auto done = stmt->forEachRow([&](const sql::Statement& row) -> Expected<void, Error> {
        model::Consent c;
        c.id = row.text(0);
        auto kind = base::fromCode<model::ConsentKind>(row.text(1));
        if (!kind) {
            return Unexpected(Error{Errc::StoreCorrupted, "a consent holds an unknown kind"});
        }
        c.kind = *kind;
        c.patientId = patientId;
        c.given = true;
        c.textVersion = row.text(2);
        c.textSha256 = row.text(3);
        for (auto [column, target] : {std::pair{4, &c.consentTime}, std::pair{5, &c.availableTime}}) {
            if (!row.isNull(column)) {
                auto at = base::Timestamp::parse(row.text(column));
                if (!at) {
                    return Unexpected(Error{Errc::StoreCorrupted, "a consent holds an unreadable time"});
                }
                *target = *at;
            }
        }
        c.sourceSnapshotId = row.text(6);
        out.push_back(std::move(c));
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return out;
}

} // namespace zaitaku::sync::store
