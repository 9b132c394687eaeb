#pragma once

// The card custody ledger for facilities that hold residents' cards (F8, DOMAIN.md §5.1):
// append-only events (deposit, check-out, return, hand-over, lost), each synced and audited in one
// transaction; who holds each card now, and which check-outs are overdue. Never a PIN.

#include "sync/SyncError.h"
#include "sync/store/Database.h"
#include "sync/store/Store.h"
#include "verify/model/CustodyEvent.h"
#include "verify/model/Expected.h"

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
    // return needs it checked out; a purpose is required for check-outs.
    static Expected<void, Error> record(Store& store, const model::CustodyEvent& event, const std::string& actor);
    static Expected<std::vector<CustodyStatus>, Error>
    current(Database& db, const model::Timestamp& now, std::chrono::minutes maxCheckout);
};

} // namespace zaitaku::sync::store
