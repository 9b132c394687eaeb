#include "sync/store/CustodyLedger.h"

#include "base/CanonicalJson.h"
#include "sync/protocol/ModelJson.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/Transaction.h"
#include "sync/store/Outbox.h"
#include "sync/store/StaffDirectory.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

namespace zaitaku::sync::store
{

namespace
{

using model::CustodyAction;

Expected<std::optional<CustodyAction>, Error> lastAction(sql::Database& db, const std::string& patientId)
{
    auto stmt = db.queryRow(
        "SELECT action FROM custody_event WHERE patient_id = ?1 ORDER BY at DESC, rowid DESC LIMIT 1", patientId);
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    if (!*stmt) {
        return std::optional<CustodyAction>{};
    }
    const auto& row = **stmt;
    auto action = base::fromCode<CustodyAction>(row.text(0));
    if (!action) {
        return Unexpected(Error{Errc::StoreCorrupted, "the custody ledger holds an unknown action"});
    }
    return std::optional<CustodyAction>(*action);
}

Expected<void, Error> checkTransition(const std::optional<CustodyAction>& last, const model::CustodyEvent& e)
{
    const bool inStorage = last == CustodyAction::Deposit || last == CustodyAction::Return;
    switch (e.action) {
    case CustodyAction::Deposit:
        if (inStorage || last == CustodyAction::Checkout) {
            return Unexpected(Error{Errc::Conflict, "the card is already held by the facility", "action"});
        }
        // A facility holds a card only on an agreement (入所契約・預かり証), in locked storage [seed 004].
        if (e.agreementRef.empty()) {
            return Unexpected(Error{Errc::InvalidInput,
                                    "a deposit needs the agreement it rests on (入所契約 or 預かり証 reference)",
                                    "agreement_ref"});
        }
        if (e.storageLocation.empty()) {
            return Unexpected(
                Error{Errc::InvalidInput, "a deposit needs the storage location (e.g. the locked cabinet)", "storage"});
        }
        return {};
    case CustodyAction::Checkout:
        if (!inStorage) {
            return Unexpected(Error{Errc::Conflict, "the card is not in storage", "action"});
        }
        if (e.purpose.empty()) {
            return Unexpected(Error{Errc::InvalidInput, "a check-out needs its purpose", "purpose"});
        }
        return {};
    case CustodyAction::Return:
        if (last != CustodyAction::Checkout) {
            return Unexpected(Error{Errc::Conflict, "the card is not checked out", "action"});
        }
        return {};
    case CustodyAction::HandoverFamily:
        if (!inStorage && last != CustodyAction::Checkout) {
            return Unexpected(Error{Errc::Conflict, "the facility does not hold the card", "action"});
        }
        return {};
    case CustodyAction::Lost:
        return {}; // an incident can be recorded whatever the ledger says
    }
    return {};
}

} // namespace

Expected<void, Error> CustodyLedger::record(Store& store, const model::CustodyEvent& event, const std::string& actor)
{
    if (event.id.empty() || event.patientId.empty() || event.staffId.empty() || event.facilityId.empty()) {
        return Unexpected(
            Error{Errc::InvalidInput, "a custody event needs an id, a patient, a facility and a staff id", "custody"});
    }
    sql::Database& db = store.db();
    auto tx = sql::Transaction::begin(db, sql::Durability::Full);
    if (!tx) {
        return Unexpected(tx.error());
    }
    auto last = lastAction(db, event.patientId);
    if (!last) {
        return Unexpected(last.error());
    }
    if (event.action != CustodyAction::Lost) { // anybody reports a lost card
        auto allowed = custodians(db);
        if (!allowed) {
            return Unexpected(allowed.error());
        }
        if (!allowed->empty() && std::find(allowed->begin(), allowed->end(), event.staffId) == allowed->end()) {
            return Unexpected(Error{Errc::InvalidInput,
                                    "staff '" + event.staffId + "' is not on the custodian list (カード管理者)",
                                    "staff"});
        }
    }
    if (auto ok = checkTransition(*last, event); !ok) {
        return ok;
    }
    auto stmt =
        db.prepare("INSERT INTO custody_event (id, patient_id, facility_id, action, staff_id, witness_id, "
                   "purpose, at, storage_location, agreement_ref) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, event.id).bind(2, event.patientId).bind(3, event.facilityId).bind(4, event.action);
    stmt->bind(5, event.staffId).bind(6, event.witnessId).bind(7, event.purpose).bind(8, event.at);
    stmt->bind(9, event.storageLocation).bind(10, event.agreementRef);
    if (auto done = stmt->run(); !done) {
        return done;
    }
    const base::Timestamp now = store.clock().nowJst();
    std::string payload;
    try {
        auto body = protocol::toJson(event);
        body["payload_version"] = protocol::kRecordPayloadVersion;
        payload = base::canonicalJson(body);
    } catch (const nlohmann::json::exception&) {
        return Unexpected(Error{Errc::InvalidInput, "the custody event holds text that is not UTF-8", "custody"});
    }
    if (auto done = Outbox::enqueue(db, event.id, kOutboxKind, event.id, payload, now); !done) {
        return done;
    }
    const nlohmann::json detail{{"patient_id", event.patientId},
                                {"action", base::toCode(event.action)},
                                {"staff_id", event.staffId},
                                {"witness_id", event.witnessId}};
    if (auto done = sql::AuditLog::append(
            db, sql::AuditEntry{actor, "custody." + std::string(base::toCode(event.action)), event.id, detail}, now);
        !done) {
        return Unexpected(done.error());
    }
    return tx->commit();
}

Expected<std::vector<CustodyStatus>, Error>
CustodyLedger::current(sql::Database& db, const base::Timestamp& now, std::chrono::minutes maxCheckout)
{
    // The latest event per patient (rowid breaks ties between events in the same second).
    auto stmt =
        db.prepare("SELECT id, patient_id, facility_id, action, staff_id, witness_id, purpose, at, storage_location, "
                   "agreement_ref FROM custody_event AS e WHERE rowid = (SELECT rowid FROM custody_event WHERE "
                   "patient_id = e.patient_id "
                   "ORDER BY at DESC, rowid DESC LIMIT 1) ORDER BY patient_id");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    std::vector<CustodyStatus> out;
    auto done = stmt->forEachRow([&](const sql::Statement& row) -> Expected<void, Error> {
        CustodyStatus s;
        model::CustodyEvent& e = s.last;
        e.id = row.text(0);
        e.patientId = row.text(1);
        e.facilityId = row.text(2);
        e.action = base::fromCode<CustodyAction>(row.text(3)).value_or(CustodyAction::Lost);
        e.staffId = row.text(4);
        e.witnessId = row.text(5);
        e.purpose = row.text(6);
        auto at = base::Timestamp::parse(row.text(7));
        if (!at) {
            return Unexpected(Error{Errc::StoreCorrupted, "a custody event has an unreadable time"});
        }
        e.at = at->withOffset(base::Timestamp::kJstOffsetMinutes);
        e.storageLocation = row.text(8);
        e.agreementRef = row.text(9);
        s.patientId = e.patientId;
        s.overdue = e.action == CustodyAction::Checkout && now.utc() - e.at.utc() > maxCheckout;
        out.push_back(std::move(s));
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return out;
}

Expected<std::vector<std::string>, Error> CustodyLedger::custodians(sql::Database& db)
{
    auto stmt = db.prepare("SELECT staff_id FROM custodian ORDER BY staff_id");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    std::vector<std::string> out;
    auto done = stmt->forEachRow([&](const sql::Statement& row) -> Expected<void, Error> {
        out.push_back(row.text(0));
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return out;
}

Expected<void, Error>
CustodyLedger::setCustodians(Store& store, const std::vector<std::string>& staffIds, const std::string& actor)
{
    for (const auto& id : staffIds) {
        if (id.empty() || id.size() > 64) {
            return Unexpected(
                Error{Errc::InvalidInput, "a custodian needs a staff id (1–64 characters)", "custodians"});
        }
    }
    // Security review H3: who handles residents' cards is a manager's decision, once the gateway
    // has sent the facility's accounts (before that, the store passphrase is the only gate).
    auto allowed = StaffDirectory::hasRole(store, actor, "manager");
    if (!allowed) {
        return Unexpected(allowed.error());
    }
    if (!*allowed) {
        return Unexpected(
            Error{Errc::Unauthorized, "only a signed-in manager changes who may handle residents' cards", "staff"});
    }
    sql::Database& db = store.db();
    auto tx = sql::Transaction::begin(db, sql::Durability::Full);
    if (!tx) {
        return Unexpected(tx.error());
    }
    const base::Timestamp now = store.clock().nowJst();
    if (auto done = db.exec("DELETE FROM custodian", "replace the custodian list"); !done) {
        return done;
    }
    for (const auto& id : staffIds) {
        auto stmt = db.prepare("INSERT OR IGNORE INTO custodian (staff_id, added_by, added_at) VALUES (?1, ?2, ?3)");
        if (!stmt) {
            return Unexpected(stmt.error());
        }
        stmt->bind(1, id).bind(2, actor).bind(3, now);
        if (auto done = stmt->run(); !done) {
            return done;
        }
    }
    if (auto done = sql::AuditLog::append(
            db, sql::AuditEntry{actor, "custody.custodians", "", nlohmann::json{{"custodians", staffIds}}}, now);
        !done) {
        return Unexpected(done.error());
    }
    return tx->commit();
}

} // namespace zaitaku::sync::store
