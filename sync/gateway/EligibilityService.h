#pragma once

// The gateway's side of OQS (docs/design/DOMAIN.md F1, F2, F3): it turns accepted visits and tablet requests
// into bridge requests and the answers into snapshots, care state and re-query keys.
//   - First visit: a card was read (its JPKI certificate checked against the card CA) → a card
//     confirmation request → snapshot (a feed item for every tablet) → when confirmed, the care
//     relationship's first_online_confirm_at (requery_permission allowed) and the re-query key.
//     Runs on a worker thread after the record is committed; the bridge journals it, so a restart
//     resumes it (resume()).
//   - Re-query (POST /v1/requery): only while R7 allows it; otherwise the answer says why and that
//     the card must be read.
//   - Route pre-check: one bulk request for the patients whose cached result is not for the day.

#include "base/Clock.h"
#include "base/Random.h"
#include "sync/gateway/GatewayLog.h"
#include "sync/gateway/GatewayStorage.h"
#include "sync/gateway/JpkiTrust.h"
#include "sync/gateway/OqsJobs.h"
#include "sync/oqs/OqsBridge.h"
#include "sync/protocol/Messages.h"
#include "verify/model/EligibilitySnapshot.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

namespace zaitaku::sync::gateway
{

// What a first visit asks of OQS (from RecordValidator, applied after the commit).
struct CardQuery
{
    std::string patientId;
    std::string serviceKind;
    model::SnapshotSource source = model::SnapshotSource::CardPin;
    std::vector<std::uint8_t> certificateDer;
    base::Date visitDate = base::Date::fromSysDays({});
    bool limitConsent = false; // 限度額情報を「提供する」 at this visit [seed 001]
};

// What a revisit recorded with no signal asks of OQS (seed 004 再照会): the re-query for the
// visit date, run when the record arrives; the answer reaches the tablets through the feed.
struct RevisitQuery
{
    std::string patientId;
    std::string serviceKind;
    std::string visitId;
    base::Date visitDate = base::Date::fromSysDays({});
};

class EligibilityService
{
public:
    EligibilityService(GatewayStorage& storage,
                       std::unique_ptr<oqs::OqsBridge> bridge,
                       const JpkiTrust& jpki,
                       const base::Clock& clock,
                       const base::MonotonicClock& monotonic,
                       base::RandomSource& random,
                       GatewayLog& log);
    ~EligibilityService();

    // Starts the worker and resumes what the bridge journalled before a restart.
    void start();
    void stop();
    // The bridge's archive days older than `keepDays`, deleted (security review L9).
    std::vector<std::string> purgeArchive(int keepDays) { return m_bridge->purgeArchive(keepDays); }

    // After the record was committed: journal the request now, await the answer on the worker.
    void firstVisit(const CardQuery& query);
    // After an F2 record without an answer was committed, and R7 allowed it (requeryRefusal, checked
    // at intake: a refusal is the record's flag): journal the re-query for its visit date and await
    // the answer on the worker.
    void revisit(const RevisitQuery& query);
    // The answer when R7 (or a missing re-query key) refuses without asking OQS; nullopt: OQS must
    // be asked (requery(), as a job).
    std::optional<protocol::RequeryResponse> requeryRefusal(const protocol::RequeryRequest& request);
    // Blocks on OQS: only ever run as a job (jobs()).
    protocol::RequeryResponse requery(const protocol::RequeryRequest& request);
    // Which of these patients a refresh for `date` would ask OQS about: a re-query key, and no
    // result asked today for that date.
    std::vector<std::string> needingRefresh(const std::vector<std::string>& patientIds, const base::Date& date);
    // Where pre-checks and re-queries wait for OQS, off the HTTP threads.
    OqsJobs& jobs() { return *m_jobs; }
    // Refreshes the cached results of these patients for `date` with one bulk request. Returns
    // the patients the refresh failed for (their flags say oqs_unavailable).
    std::vector<std::string> refreshRoute(const std::vector<std::string>& patientIds, const base::Date& date);

    // Issue 33: one 薬剤 or 特定健診 request, submit + await (blocks: only run as a job), and who
    // is told when OQS confirmed a first visit (the medical information it may now fetch).
    Expected<oqs::MedicalInfoFile, Error> medicalInfo(const oqs::MedicalInfoRequest& request, nlohmann::json context)
    {
        return m_bridge->medicalInfo(request, std::move(context));
    }
    const oqs::BridgeConfig& bridgeConfig() const { return m_bridge->config(); }
    using ConfirmedHook = std::function<void(const std::string& patientId, const std::string& serviceKind)>;
    void onConfirmed(ConfirmedHook hook) { m_onConfirmed = std::move(hook); }

    // Tests: wait until the worker has nothing queued (or the timeout passed).
    bool idle(std::chrono::milliseconds timeout);
    std::size_t applied() const { return m_applied; }

private:
    void work();
    void apply(const oqs::Ticket& ticket, const oqs::ResultFile& result);
    oqs::QualificationRequest
    requeryRequest(const std::string& patientId, const base::Date& date, const RequeryKeyRow& key) const;
    void applyRevisit(const std::string& patientId, const oqs::ResultUnit& unit);
    void renewRequeryKey(const std::string& patientId, const model::EligibilitySnapshot& snapshot);
    // The answer as the patient's result (a new id, the patient's, `source`), as stored.
    Expected<model::EligibilitySnapshot, Error>
    storeUnit(const std::string& patientId, model::SnapshotSource source, const oqs::ResultUnit& unit);

    GatewayStorage& m_storage;
    std::unique_ptr<oqs::OqsBridge> m_bridge;
    const JpkiTrust& m_jpki;
    const base::Clock& m_clock;
    base::RandomSource& m_random;
    GatewayLog& m_log;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_drained;
    std::deque<oqs::Ticket> m_queue;
    bool m_busy = false;
    bool m_stopping = false;
    std::thread m_worker;
    std::atomic<std::size_t> m_applied{0};
    ConfirmedHook m_onConfirmed;     // set before start()
    std::unique_ptr<OqsJobs> m_jobs; // last: its threads use the members above
};

// The SearchInfo to re-query with, from a confirmed result (the "re-query key", docs/design/DOMAIN.md §2.6).
nlohmann::json searchKeyOf(const model::EligibilitySnapshot& snapshot);

} // namespace zaitaku::sync::gateway
