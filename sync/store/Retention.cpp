#include "sync/store/Retention.h"

#include "sync/sql/AuditLog.h"
#include "sync/sql/SqlTime.h"
#include "sync/sql/Transaction.h"

#include <nlohmann/json.hpp>

namespace zaitaku::sync::store
{

namespace
{

// The WHERE clauses are shared by plan() and purge(), so a dry run counts exactly what a purge
// removes. ?1 = now (UTC text), ?2 = today (JST date), ?3 = acknowledged-before (UTC text).
constexpr const char* kExpiredMedicalInfo = "FROM medical_info WHERE available_until <= ?1";
constexpr const char* kDiscardableFallback =
    "FROM fallback_evidence WHERE discarded_at IS NULL AND discard_after IS NOT NULL AND discard_after < ?2 "
    "AND EXISTS (SELECT 1 FROM outbox WHERE outbox.idem_key = fallback_evidence.visit_id AND outbox.state = 'acked')";
constexpr const char* kOldAckedPayloads =
    "FROM outbox WHERE state = 'acked' AND payload IS NOT NULL AND acked_at <= ?3";

struct Bounds
{
    std::string now;
    std::string today;
    std::string ackedBefore;
};

Bounds boundsFor(const base::Timestamp& now, const RetentionPolicy& policy)
{
    return Bounds{sql::utcText(now), now.withOffset(base::Timestamp::kJstOffsetMinutes).localDate().toString(),
                  sql::utcText(now.plus(-std::chrono::duration_cast<std::chrono::seconds>(policy.ackedPayloadAge)))};
}

Expected<std::int64_t, Error> run(sql::Database& db, const std::string& sql, const Bounds& b)
{
    auto stmt = db.prepare(sql);
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    // The clauses share one numbering; a statement is bound up to the highest index it uses.
    const std::string* values[] = {&b.now, &b.today, &b.ackedBefore};
    for (int i = 1; i <= stmt->parameterCount() && i <= 3; ++i) {
        stmt->bind(i, *values[i - 1]);
    }
    auto row = stmt->step();
    if (!row) {
        return Unexpected(row.error());
    }
    return *row ? stmt->integer(0) : db.changes();
}

Expected<void, Error> auditPurge(sql::Database& db,
                                 const std::string& actor,
                                 const char* kind,
                                 std::int64_t count,
                                 const char* why,
                                 const base::Timestamp& now)
{
    if (count == 0) {
        return {};
    }
    auto done = sql::AuditLog::append(
        db, sql::AuditEntry{actor, "retention.purge", kind, {{"count", count}, {"reason", why}}}, now);
    if (!done) {
        return Unexpected(done.error());
    }
    return {};
}

} // namespace

Expected<PurgeCounts, Error>
Retention::plan(sql::Database& db, const base::Timestamp& now, const RetentionPolicy& policy)
{
    const Bounds b = boundsFor(now, policy);
    auto medical = run(db, std::string("SELECT count(*) ") + kExpiredMedicalInfo, b);
    auto fallback = run(db, std::string("SELECT count(*) ") + kDiscardableFallback, b);
    auto payloads = run(db, std::string("SELECT count(*) ") + kOldAckedPayloads, b);
    if (!medical || !fallback || !payloads) {
        return Unexpected(!medical ? medical.error() : !fallback ? fallback.error() : payloads.error());
    }
    return PurgeCounts{*medical, *fallback, *payloads};
}

Expected<PurgeCounts, Error> Retention::purge(Store& store, const RetentionPolicy& policy, const std::string& actor)
{
    sql::Database& db = store.db();
    const base::Timestamp now = store.clock().nowJst();
    const Bounds b = boundsFor(now, policy);
    auto tx = sql::Transaction::begin(db, sql::Durability::Full);
    if (!tx) {
        return Unexpected(tx.error());
    }
    PurgeCounts counts;
    // The acknowledged payload of a visit whose fallback evidence is discarded holds the same
    // fields: it goes in the same step.
    auto fallbackPayloads = run(db,
                                std::string("UPDATE outbox SET payload = NULL, payload_purged_at = ?1 WHERE state = "
                                            "'acked' AND payload IS NOT NULL AND idem_key IN (SELECT visit_id ") +
                                    kDiscardableFallback + ")",
                                b);
    auto fallback = run(db,
                        std::string("UPDATE fallback_evidence SET captured_fields_json = NULL, discarded_at = ?1 "
                                    "WHERE id IN (SELECT id ") +
                            kDiscardableFallback + ")",
                        b);
    auto medical = run(db, std::string("DELETE ") + kExpiredMedicalInfo, b);
    auto payloads =
        run(db,
            std::string("UPDATE outbox SET payload = NULL, payload_purged_at = ?1 WHERE seq IN (SELECT seq ") +
                kOldAckedPayloads + ")",
            b);
    if (!fallbackPayloads || !fallback || !medical || !payloads) {
        return Unexpected(!fallbackPayloads ? fallbackPayloads.error()
                          : !fallback       ? fallback.error()
                          : !medical        ? medical.error()
                                            : payloads.error());
    }
    counts.medicalInfo = *medical;
    counts.fallbackEvidence = *fallback;
    counts.outboxPayloads = *payloads + *fallbackPayloads;
    const std::string payloadWhy =
        "acknowledged by the gateway more than " + std::to_string(policy.ackedPayloadAge.count()) + " days ago";
    for (auto done : {auditPurge(db, actor, "medical_info", counts.medicalInfo, "past its AvailableTime", now),
                      auditPurge(db, actor, "fallback_evidence", counts.fallbackEvidence,
                                 "past its discard_after and acknowledged by the gateway", now),
                      auditPurge(db, actor, "outbox_payload", counts.outboxPayloads, payloadWhy.c_str(), now)}) {
        if (!done) {
            return Unexpected(done.error());
        }
    }
    if (auto done = tx->commit(); !done) {
        return Unexpected(done.error());
    }
    return counts;
}

} // namespace zaitaku::sync::store
