#pragma once

// The card custody ledger for facilities that hold residents' cards (F8, docs/design/DOMAIN.md §5.1):
// append-only events (deposit, check-out, return, hand-over, lost), each synced and audited in one
// transaction; who holds each card now, and which check-outs are overdue. Never a PIN.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"
#include "sync/store/Store.h"
#include "verify/model/CustodyEvent.h"

#include <chrono>
#include <string>
#include <vector>

namespace zaitaku::sync::store
{

struct CustodyStatus
{
    std::string patientId;
    model::CustodyEvent last; // the latest event decides where the card is
    bool overdue = false;     // checked out longer than the allowed time
};

class CustodyLedger
{
public:
    static constexpr const char* kOutboxKind = "custody";

    // Checks the event against the card's current state: a check-out needs the card deposited, a
    // return needs it checked out; a purpose is required for check-outs; a deposit names its
    // agreement (入所契約・預かり証) and its storage location [seed 004].
    static Expected<void, Error> record(Store& store, const model::CustodyEvent& event, const std::string& actor);
    static Expected<std::vector<CustodyStatus>, Error>
    current(sql::Database& db, const base::Timestamp& now, std::chrono::minutes maxCheckout);

    // The staff allowed to handle residents' cards [seed 004: 「職員のうちマイナンバーカードの管理を
    // 行う者の範囲を定めておく」]. Empty: not defined yet (every staff member may; the screens say so).
    // Once defined, deposit, check-out, return and hand-over need a listed staff id; anybody may
    // report a card lost. Replacing the list is audited.
    static Expected<std::vector<std::string>, Error> custodians(sql::Database& db);
    static Expected<void, Error>
    setCustodians(Store& store, const std::vector<std::string>& staffIds, const std::string& actor);
};

} // namespace zaitaku::sync::store
