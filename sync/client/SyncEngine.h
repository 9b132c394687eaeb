#pragma once

// The tablet's sync engine (docs/design/DESIGN.md §4). One run:
//   1. status: the gateway's epoch and time (clock skew is measured and kept, never fatal); a new
//      epoch (the gateway was restored from backup) puts acknowledged records back in the queue
//      and restarts the feed, in one transaction;
//   2. challenges: tops the pool up before the route;
//   3. push: the outbox in bounded batches, oldest first; rows are marked sending before the
//      request and acknowledged only from the gateway's answer, receipt and state in one
//      transaction; refusals become visible dead letters; transient failures back off with
//      jitter and end the run (the rest stays queued);
//   4. pull: feed pages after the stored cursor, each page applied in the same transaction that
//      advances the cursor.
// Every request says how many records the tablet still holds (Zaitaku-Outbox); after the status
// the device certificate is renewed when it is in the last third of its life (DeviceCertificate.h).
// A crash anywhere leaves either the old state or the new one; the next run resumes from it.

#include "base/Date.h"
#include "base/Expected.h"
#include "base/Random.h"
#include "sync/SyncError.h"
#include "sync/client/Backoff.h"
#include "sync/client/GatewayConnection.h"
#include "sync/protocol/MedicalInfoMessages.h"
#include "sync/protocol/Messages.h"
#include "sync/store/Store.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::client
{

struct SyncOptions
{
    std::size_t batchSize = 50;
    std::int64_t challengeLowWater = 20; // fetch when fewer are available
    std::int64_t challengeBatch = 50;
    std::size_t feedPage = 200;
    bool userInitiated = true; // "sync now": records waiting for their backoff go now
    BackoffPolicy backoff;
    ConnectionTimeouts timeouts;
    // How long a pre-check or re-query waits for the gateway's OQS job (polling, never a held request).
    std::chrono::milliseconds oqsWait{180000};
};

struct SyncReport
{
    std::int64_t stored = 0;
    std::int64_t duplicates = 0;
    std::int64_t deadLettered = 0;
    std::int64_t feedItems = 0;
    std::int64_t snapshotsApplied = 0;
    std::int64_t challengesAdded = 0;
    std::int64_t requeuedForNewEpoch = 0;
    std::int64_t skewSeconds = 0;
    std::string epoch;
    // Issue 30: the device certificate renewed in this run (until when), or why not (the run goes
    // on: the current certificate is still valid); gateway roots pinned from announcements.
    std::optional<base::Timestamp> certificateRenewedUntil;
    std::optional<Error> renewalError;
    std::int64_t rootsPinned = 0;
    std::optional<Error> error; // the run stopped early (transient); what was done is kept
};

struct SyncStatus
{
    bool enrolled = false;
    std::string gateway;
    std::string deviceId;
    std::int64_t queued = 0;
    std::int64_t sending = 0;
    std::int64_t acked = 0;
    std::int64_t deadLetter = 0;
    std::int64_t challengesAvailable = 0;
    std::optional<std::string> lastSuccess;
    std::optional<std::int64_t> skewSeconds;
    std::optional<std::string> lastError;
    struct DeadLetter
    {
        std::int64_t seq;
        std::string kind;
        std::string recordId;
        std::string reason;
    };
    std::vector<DeadLetter> deadLetters;
};

struct PrecheckResult
{
    std::string patientId;
    std::vector<std::string> flags;
    std::optional<std::string> receivedAt;
    bool cached = false; // the result was added to the tablet's cache
};

class SyncEngine
{
public:
    SyncEngine(store::Store& store, base::RandomSource& random, SyncOptions options = {})
        : m_store(store)
        , m_random(random)
        , m_options(options)
    {}

    // Error only when nothing could start (not enrolled, revoked, store failure); transient
    // network trouble is reported in SyncReport::error with the work done so far.
    Expected<SyncReport, Error> run();
    // Route pre-check for `date`: every patient in `patientIds` (or the whole roster when empty).
    Expected<std::vector<PrecheckResult>, Error> precheck(const base::Date& date, std::vector<std::string> patientIds);

    // F2: a fresh result without the card, when the gateway says R7 allows it; the answer says
    // why not otherwise. A returned snapshot is added to the tablet's cache.
    Expected<protocol::RequeryResponse, Error>
    requery(const std::string& patientId, const std::string& serviceKind, const base::Date& date);

    // Issue 33: the patient's 薬剤・特定健診 information for a staff member (POST /v1/medinfo, the
    // OQS job awaited): what arrives replaces the tablet's copy until its view_until; an answer that
    // the window is closed or the consent withdrawn wipes the copy.
    Expected<protocol::MedicalInfoAnswer, Error>
    medicalInfo(const std::string& patientId, const std::string& serviceKind, const std::string& staffId);

    static Expected<SyncStatus, Error> status(store::Store& store);
    // An operator sends a dead letter again (after fixing what the gateway refused): back to the
    // queue and one audit row naming who, in one transaction. False when `seq` is not a dead letter.
    static Expected<bool, Error> retryDeadLetter(store::Store& store, std::int64_t seq, const std::string& actor);

private:
    Expected<void, Error> checkEpoch(GatewayConnection& gateway, GatewayLink& link, SyncReport& report);
    Expected<void, Error> topUpChallenges(GatewayConnection& gateway, SyncReport& report);
    Expected<void, Error> push(GatewayConnection& gateway, const GatewayLink& link, SyncReport& report);
    Expected<void, Error> pull(GatewayConnection& gateway, const GatewayLink& link, SyncReport& report);
    Expected<void, Error> noteFailure(const Error& error);
    // The Zaitaku-Outbox header: what this tablet still has to send (the gateway's `devices list`).
    Expected<void, Error> announceBacklog(GatewayConnection& gateway);
    void renewWhenDue(GatewayConnection& gateway, const GatewayLink& link, SyncReport& report);
    Expected<void, Error> applyTrustAnchor(const protocol::FeedItem& item, SyncReport& report);
    Expected<bool, Error> applySnapshot(const model::EligibilitySnapshot& snapshot, const base::Timestamp& receivedAt);
    // An eligibility_result feed item's body; false (counted, never fatal) when it does not parse.
    Expected<bool, Error> applyFeedSnapshot(const nlohmann::json& body);
    Expected<void, Error> applyCareConfirmation(const protocol::FeedItem& item);

    store::Store& m_store;
    base::RandomSource& m_random;
    SyncOptions m_options;
};

} // namespace zaitaku::sync::client
