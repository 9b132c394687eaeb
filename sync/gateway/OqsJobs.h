#pragma once

// OQS waits never hold an HTTP thread (issue 21): a route pre-check or a re-query that must ask the
// 資格確認端末 becomes a job the tablet polls (GET /v1/jobs/<id>). Bulk pre-checks run one at a time
// on their own thread — for a date, one runs and at most one waits, gathering every patient asked
// for meanwhile, so a morning of tablets is one 一括照会 per date, not one per tablet. Re-queries run
// on a second thread. Only the devices that asked see a job, and each sees only its own patients
// in a shared job's result (security review M4); finished jobs are kept 15 minutes. A device has
// at most one re-query waiting per (patient, service, date) — asking again joins it — and at most
// kMaxOpenPerDevice in all; the queue holds at most kMaxQueued (security review M3).

#include "base/Clock.h"
#include "base/Date.h"
#include "base/Random.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace zaitaku::sync::gateway
{

class OqsJobs
{
public:
    enum class State
    {
        Queued,
        Running,
        Done,
        Failed
    };
    struct Job
    {
        std::string id;
        std::string kind; // "precheck", "requery" or "medinfo" (a single request, as a re-query)
        State state = State::Queued;
        nlohmann::json result;             // the job's answer once done (a re-query: its RequeryResponse)
        std::string reason;                // why it failed
        std::vector<std::string> patients; // what the asking device asked about (its view)
    };
    // Refreshes these patients' results for the date; returns those it could not.
    using Refresh = std::function<std::vector<std::string>(const std::vector<std::string>&, const base::Date&)>;

    OqsJobs(const base::MonotonicClock& clock, base::RandomSource& random, Refresh refresh);
    ~OqsJobs();
    OqsJobs(const OqsJobs&) = delete;
    OqsJobs& operator=(const OqsJobs&) = delete;

    // The job that will ask for these patients on `date`: the running one when it has them all,
    // else the date's waiting one (made if needed) with them added.
    std::string precheck(const std::string& deviceId, const base::Date& date, const std::vector<std::string>& patients);
    // A re-query's OQS part: the job id, the device's open job for the same `key` (patient,
    // service, date), or nullopt when the device or the queue is at its bound (answer 429).
    std::optional<std::string> requery(const std::string& deviceId,
                                       const std::string& patientId,
                                       const std::string& key,
                                       std::function<nlohmann::json()> run,
                                       const std::string& kind = "requery");
    // nullopt: no such job, or not one this device asked for. A pre-check's `unanswered` holds
    // only the patients this device asked about.
    std::optional<Job> find(const std::string& id, const std::string& deviceId) const;

    static constexpr std::size_t kMaxOpenPerDevice = 20;
    static constexpr std::size_t kMaxQueued = 1000;
    // A refresh for `date` that failed for this patient in the last minutes: answered
    // oqs_unavailable without asking OQS again at once.
    bool recentlyFailed(const base::Date& date, const std::string& patientId) const;
    // Tests: wait until nothing is queued or running.
    bool idle(std::chrono::milliseconds timeout) const;

private:
    struct Entry
    {
        Job job;
        std::map<std::string, std::set<std::string>> asked; // device → its patients
        std::set<std::string> allPatients() const;          // every device's
        std::string key;                                    // requery: patient|service|date
        base::Date date = base::Date::fromSysDays({});
        std::function<nlohmann::json()> run; // requery
        std::chrono::nanoseconds finishedAt{0};
    };
    std::string newId();
    void bulkLoop();
    void singleLoop();
    void finish(Entry& entry, nlohmann::json result, bool ok, const std::string& reason);
    void forgetOld(); // under m_mutex

    const base::MonotonicClock& m_clock;
    base::RandomSource& m_random;
    Refresh m_refresh;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_wake;
    mutable std::condition_variable m_changed;
    std::map<std::string, Entry> m_jobs;
    std::deque<std::string> m_bulk;   // job ids, in order
    std::deque<std::string> m_single; // job ids, in order
    std::map<std::string, std::string> m_runningByDate;
    std::map<std::string, std::string> m_queuedByDate;
    std::map<std::pair<std::string, std::string>, std::chrono::nanoseconds> m_failed; // (date, patient)
    int m_busy = 0;
    bool m_stopping = false;
    std::thread m_bulkThread;
    std::thread m_singleThread;
};

std::string_view toCode(OqsJobs::State state);

} // namespace zaitaku::sync::gateway
