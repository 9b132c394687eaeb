#include "sync/store/StoreVisitPort.h"

#include "sync/sql/AuditLog.h"
#include "sync/sql/Transaction.h"
#include "sync/store/ChallengePool.h"
#include "sync/store/CustodyLedger.h"
#include "sync/store/PatientRoster.h"
#include "sync/store/SnapshotCache.h"
#include "sync/store/VisitLedger.h"

#include <nlohmann/json.hpp>

namespace zaitaku::sync::store
{

visit::Error toVisitError(const Error& error)
{
    const visit::Errc code = error.code == Errc::InvalidInput ? visit::Errc::InvalidInput : visit::Errc::RecordFailed;
    return visit::Error{code, error.message, error.field};
}

Expected<StoreVisitPort, Error> StoreVisitPort::open(Store& store, base::RandomSource& random)
{
    auto key = DeviceSigningKey::loadOrCreate(store, random);
    if (!key) {
        return Unexpected(key.error());
    }
    return StoreVisitPort(store, random, std::move(*key));
}

Expected<visit::PatientContext, visit::Error> StoreVisitPort::load(const std::string& patientId,
                                                                   model::ServiceKind kind)
{
    sql::Database& db = m_store->db();
    auto patient = PatientRoster::find(db, patientId);
    if (!patient) {
        return Unexpected(toVisitError(patient.error()));
    }
    if (!*patient) {
        return Unexpected(visit::Error{visit::Errc::PatientUnknown,
                                       "patient '" + patientId + "' is not on this tablet's roster", "patient"});
    }
    visit::PatientContext context;
    context.patient = std::move(**patient);
    auto care = PatientRoster::careOf(db, patientId);
    if (!care) {
        return Unexpected(toVisitError(care.error()));
    }
    for (auto& c : *care) {
        if (c.serviceKind == kind) {
            context.care = std::move(c);
            break;
        }
    }
    auto latest = SnapshotCache::latestFor(db, patientId);
    if (!latest) {
        return Unexpected(toVisitError(latest.error()));
    }
    if (*latest) {
        context.latest = visit::CachedResult{std::move((*latest)->snapshot), (*latest)->receivedAt};
    }
    auto custody = CustodyLedger::current(db, m_store->clock().nowJst(), std::chrono::hours(24));
    if (!custody) {
        return Unexpected(toVisitError(custody.error()));
    }
    for (auto& status : *custody) {
        if (status.patientId == patientId) {
            context.custody = std::move(status.last);
        }
    }
    return context;
}

Expected<visit::CommitReceipt, visit::Error> StoreVisitPort::commit(const model::VisitRecord& record,
                                                                    const std::string& actor)
{
    auto committed = VisitLedger::commit(*m_store, record, actor, &m_key);
    if (!committed) {
        return Unexpected(toVisitError(committed.error()));
    }
    // The outbox row commits in the same transaction as the record.
    return visit::CommitReceipt{std::move(committed->evidenceSha256), true};
}

Expected<void, visit::Error> StoreVisitPort::record(const visit::TransitionRecord& t)
{
    nlohmann::json detail{{"patient_id", t.patientId},
                          {"from", base::toCode(t.from)},
                          {"event", base::toCode(t.event)},
                          {"to", base::toCode(t.to)},
                          {"monotonic_ns", t.monotonicNs}};
    for (const auto& [key, value] : t.detail) {
        detail[key] = value;
    }
    sql::Database& db = m_store->db();
    auto tx = sql::Transaction::begin(db, sql::Durability::Normal);
    if (!tx) {
        return Unexpected(toVisitError(tx.error()));
    }
    if (auto done = sql::AuditLog::append(db, sql::AuditEntry{t.actor, "visit.transition", t.visitId, detail}, t.at);
        !done) {
        return Unexpected(toVisitError(done.error()));
    }
    if (auto done = tx->commit(); !done) {
        return Unexpected(toVisitError(done.error()));
    }
    return {};
}

Expected<visit::Challenge, visit::Error> StoreVisitPort::take(const std::string& visitId, const base::Timestamp& now)
{
    sql::Database& db = m_store->db();
    auto tx = sql::Transaction::begin(db, sql::Durability::Full);
    if (!tx) {
        return Unexpected(toVisitError(tx.error()));
    }
    auto pooled = ChallengePool::peek(db, now);
    if (!pooled) {
        return Unexpected(toVisitError(pooled.error()));
    }
    if (!*pooled) {
        return m_local.take(visitId, now); // the pool ran dry: the evidence says `local`
    }
    if (auto done = ChallengePool::consume(db, (*pooled)->id, visitId, now); !done) {
        return Unexpected(toVisitError(done.error()));
    }
    if (auto done = tx->commit(); !done) {
        return Unexpected(toVisitError(done.error()));
    }
    return visit::Challenge{(*pooled)->id, (*pooled)->nonce, model::ChallengeOrigin::Pooled};
}

} // namespace zaitaku::sync::store
