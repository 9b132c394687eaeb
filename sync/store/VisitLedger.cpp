#include "sync/store/VisitLedger.h"

#include "base/Bytes.h"
#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "sync/protocol/ModelJson.h"
#include "sync/protocol/RecordBasis.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/Transaction.h"
#include "sync/store/ChallengePool.h"
#include "sync/store/ConsentLedger.h"
#include "sync/store/Outbox.h"

#include <nlohmann/json.hpp>

namespace zaitaku::sync::store
{

namespace
{

using nlohmann::json;

Expected<void, Error> insertVisit(sql::Database& db, const model::Visit& v)
{
    auto stmt =
        db.prepare("INSERT INTO visit (id, patient_id, care_relationship_id, service_kind, flow, state, scheduled_for, "
                   "started_at, completed_at, staff_id, device_id, qualification_confirmation_date, snapshot_id, "
                   "assisted_by, requery) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, v.id).bind(2, v.patientId).bind(3, v.careRelationshipId).bind(4, v.serviceKind).bind(5, v.flow);
    stmt->bind(6, v.state).bind(7, v.scheduledFor).bind(8, v.startedAt).bind(9, v.completedAt).bind(10, v.staffId);
    stmt->bind(11, v.deviceId).bind(12, v.qualificationConfirmationDate).bind(13, v.snapshotId);
    stmt->bind(14, v.assistedBy).bind(15, v.requery);
    return stmt->run();
}

struct SealedEvidence
{
    std::string sha256;
    std::string deviceSignatureHex; // empty when committed without a signer
};

Expected<SealedEvidence, Error>
insertEvidence(sql::Database& db, const model::Evidence& e, const DeviceSigningKey* signer)
{
    const std::string bundle = base::canonicalJson(protocol::toJson(e));
    SealedEvidence sealed{base::sha256Hex(bundle), {}};
    if (signer != nullptr) {
        auto signature = signer->sign(sealed.sha256);
        if (!signature) {
            return Unexpected(signature.error());
        }
        sealed.deviceSignatureHex = base::toHex(*signature);
    }
    auto stmt = db.prepare("INSERT INTO evidence (id, visit_id, method, captured_at, bundle_json, bundle_sha256, "
                           "device_signature) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, e.id).bind(2, e.visitId).bind(3, e.method).bind(4, e.capturedAt).bind(5, bundle);
    stmt->bind(6, sealed.sha256).bind(7, sealed.deviceSignatureHex);
    if (auto done = stmt->run(); !done) {
        return Unexpected(done.error());
    }
    return sealed;
}

Expected<void, Error> insertFallback(sql::Database& db, const model::FallbackEvidence& f)
{
    auto stmt = db.prepare("INSERT INTO fallback_evidence (id, visit_id, kind, captured_fields_json, staff_id, "
                           "captured_at, discard_after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, f.id).bind(2, f.visitId).bind(3, f.kind).bind(4, f.capturedFieldsJson).bind(5, f.staffId);
    stmt->bind(6, f.capturedAt).bind(7, f.discardAfter);
    return stmt->run();
}

// The gateway's own rules (RecordBasis): a record it would refuse is never queued (issue 34).
Expected<void, Error> checkRecord(const model::VisitRecord& r)
{
    return protocol::checkVisitBasis({r.visit, r.evidence, r.consents, r.fallbacks});
}

} // namespace

Expected<CommittedVisit, Error> VisitLedger::commit(Store& store,
                                                    const model::VisitRecord& record,
                                                    const std::string& actor,
                                                    const DeviceSigningKey* signer)
{
    if (auto ok = checkRecord(record); !ok) {
        return Unexpected(ok.error());
    }
    CommittedVisit committed;
    sql::Database& db = store.db();
    const base::Timestamp now = store.clock().nowJst();
    json payload{{"payload_version", protocol::kRecordPayloadVersion},
                 {"visit", protocol::toJson(record.visit)},
                 {"evidence", json::array()},
                 {"consents", json::array()},
                 {"fallbacks", json::array()}};
    json auditDetail{{"flow", base::toCode(record.visit.flow)},
                     {"patient_id", record.visit.patientId},
                     {"evidence", json::array()},
                     {"consent_kinds", json::array()},
                     {"fallback_kinds", json::array()},
                     {"challenge", record.pooledChallengeId.empty() ? "none" : "pooled"}};
    try {
        auto tx = sql::Transaction::begin(db, sql::Durability::Full);
        if (!tx) {
            return Unexpected(tx.error());
        }
        if (auto done = insertVisit(db, record.visit); !done) {
            return Unexpected(done.error());
        }
        for (const auto& e : record.evidence) {
            auto sealed = insertEvidence(db, e, signer);
            if (!sealed) {
                return Unexpected(sealed.error());
            }
            payload["evidence"].push_back({{"bundle", protocol::toJson(e)},
                                           {"bundle_sha256", sealed->sha256},
                                           {"device_signature", sealed->deviceSignatureHex}});
            committed.evidenceSha256.push_back(sealed->sha256);
            auditDetail["evidence"].push_back(
                {{"id", e.id}, {"method", base::toCode(e.method)}, {"sha256", sealed->sha256}});
        }
        for (const auto& c : record.consents) {
            if (auto done = ConsentLedger::insert(db, c, record.visit.id); !done) {
                return Unexpected(done.error());
            }
            payload["consents"].push_back(protocol::toJson(c));
            auditDetail["consent_kinds"].push_back(base::toCode(c.kind));
        }
        for (const auto& f : record.fallbacks) {
            if (auto done = insertFallback(db, f); !done) {
                return Unexpected(done.error());
            }
            payload["fallbacks"].push_back(protocol::toJson(f));
            auditDetail["fallback_kinds"].push_back(base::toCode(f.kind));
        }
        if (!record.pooledChallengeId.empty()) {
            if (auto done = ChallengePool::claimFor(db, record.pooledChallengeId, record.visit.id, now); !done) {
                return Unexpected(done.error());
            }
        }
        if (auto done =
                Outbox::enqueue(db, record.visit.id, kOutboxKind, record.visit.id, base::canonicalJson(payload), now);
            !done) {
            return Unexpected(done.error());
        }
        if (auto done =
                sql::AuditLog::append(db, sql::AuditEntry{actor, "visit.commit", record.visit.id, auditDetail}, now);
            !done) {
            return Unexpected(done.error());
        }
        if (auto done = tx->commit(); !done) {
            return Unexpected(done.error());
        }
        return committed;
    } catch (const json::exception&) {
        return Unexpected(Error{Errc::InvalidInput, "the visit record holds text that is not UTF-8", "visit"});
    }
}

Expected<std::optional<base::Date>, Error>
VisitLedger::lastVisitBefore(sql::Database& db, const std::string& patientId, const base::Date& before)
{
    // Every row of `visit` is a recorded visit: only a committed one reaches the ledger.
    auto stmt = db.prepare("SELECT max(scheduled_for) FROM visit WHERE patient_id = ?1 AND scheduled_for < ?2");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, patientId).bind(2, before.toString());
    auto row = stmt->step();
    if (!row) {
        return Unexpected(row.error());
    }
    if (!*row || stmt->isNull(0)) {
        return std::optional<base::Date>();
    }
    auto date = base::Date::parse(stmt->text(0));
    return date ? std::optional<base::Date>(*date) : std::nullopt;
}

Expected<std::optional<StoredVisit>, Error> VisitLedger::find(sql::Database& db, const std::string& visitId)
{
    auto stmt = db.prepare(
        "SELECT id, patient_id, care_relationship_id, service_kind, flow, state, scheduled_for, staff_id, device_id, "
        "snapshot_id, EXISTS (SELECT 1 FROM outbox WHERE idem_key = visit.id), assisted_by, requery FROM visit "
        "WHERE id = ?1");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, visitId);
    auto row = stmt->step();
    if (!row) {
        return Unexpected(row.error());
    }
    if (!*row) {
        return std::optional<StoredVisit>{};
    }
    StoredVisit out;
    model::Visit& v = out.visit;
    v.id = stmt->text(0);
    v.patientId = stmt->text(1);
    v.careRelationshipId = stmt->text(2);
    v.serviceKind = base::fromCode<model::ServiceKind>(stmt->text(3)).value_or(model::ServiceKind::HoumonShinryo);
    v.flow = base::fromCode<model::VisitFlow>(stmt->text(4)).value_or(model::VisitFlow::FirstVisit);
    v.state = stmt->text(5);
    v.scheduledFor = base::Date::parse(stmt->text(6)).value_or(base::Date::fromSysDays({}));
    v.staffId = stmt->text(7);
    v.deviceId = stmt->text(8);
    v.snapshotId = stmt->text(9);
    out.queued = stmt->integer(10) != 0;
    v.assistedBy = base::fromCode<model::Assistance>(stmt->text(11)).value_or(model::Assistance::None);
    v.requery = base::fromCode<model::RequeryState>(stmt->text(12)).value_or(model::RequeryState::None);
    auto evidence = db.prepare("SELECT id, bundle_sha256 FROM evidence WHERE visit_id = ?1 ORDER BY id");
    if (!evidence) {
        return Unexpected(evidence.error());
    }
    evidence->bind(1, visitId);
    auto done = evidence->forEachRow([&](const sql::Statement& item) {
        v.evidenceIds.push_back(item.text(0));
        out.evidenceSha256.push_back(item.text(1));
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return std::optional<StoredVisit>(std::move(out));
}

} // namespace zaitaku::sync::store
