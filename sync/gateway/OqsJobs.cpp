#include "sync/gateway/OqsJobs.h"

#include "base/Bytes.h"

namespace zaitaku::sync::gateway
{

namespace
{

constexpr std::chrono::minutes kKeepFinished{15};
constexpr std::chrono::minutes kFailureRemembered{5};
constexpr std::size_t kMaxJobs = 10000;

} // namespace

std::string_view toCode(OqsJobs::State state)
{
    switch (state) {
    case OqsJobs::State::Queued:
        return "queued";
    case OqsJobs::State::Running:
        return "running";
    case OqsJobs::State::Done:
        return "done";
    case OqsJobs::State::Failed:
        return "failed";
    }
    return "failed";
}

OqsJobs::OqsJobs(const base::MonotonicClock& clock, base::RandomSource& random, Refresh refresh)
    : m_clock(clock)
    , m_random(random)
    , m_refresh(std::move(refresh))
{
    m_bulkThread = std::thread([this] { bulkLoop(); });
    m_singleThread = std::thread([this] { singleLoop(); });
}

OqsJobs::~OqsJobs()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_bulkThread.join();
    m_singleThread.join();
}

std::set<std::string> OqsJobs::Entry::allPatients() const
{
    std::set<std::string> all;
    for (const auto& [device, patients] : asked) {
        all.insert(patients.begin(), patients.end());
    }
    return all;
}

std::string OqsJobs::newId()
{
    base::Bytes bytes(12);
    m_random.fill(bytes);
    return "j-" + base::toHex(bytes);
}

void OqsJobs::forgetOld()
{
    const auto now = m_clock.sinceBoot();
    std::erase_if(m_jobs, [&](const auto& e) {
        const auto& j = e.second.job;
        const bool finished = j.state == State::Done || j.state == State::Failed;
        return finished && (now - e.second.finishedAt > kKeepFinished || m_jobs.size() > kMaxJobs);
    });
    std::erase_if(m_failed, [&](const auto& f) { return now - f.second > kFailureRemembered; });
}

std::string
OqsJobs::precheck(const std::string& deviceId, const base::Date& date, const std::vector<std::string>& patients)
{
    std::lock_guard lock(m_mutex);
    forgetOld();
    const std::string day = date.toString();
    if (auto running = m_runningByDate.find(day); running != m_runningByDate.end()) {
        auto& entry = m_jobs.at(running->second);
        const auto asking = entry.allPatients();
        const bool covered =
            std::all_of(patients.begin(), patients.end(), [&](const std::string& p) { return asking.count(p) > 0; });
        if (covered) {
            entry.asked[deviceId].insert(patients.begin(), patients.end());
            return entry.job.id;
        }
    }
    auto& queuedId = m_queuedByDate[day];
    if (queuedId.empty()) {
        queuedId = newId();
        Entry entry;
        entry.job = Job{queuedId, "precheck", State::Queued, nullptr, {}, {}};
        entry.date = date;
        m_jobs.emplace(queuedId, std::move(entry));
        m_bulk.push_back(queuedId);
        m_wake.notify_all();
    }
    auto& entry = m_jobs.at(queuedId);
    entry.asked[deviceId].insert(patients.begin(), patients.end());
    return queuedId;
}

std::optional<std::string> OqsJobs::requery(const std::string& deviceId,
                                            const std::string& patientId,
                                            const std::string& key,
                                            std::function<nlohmann::json()> run,
                                            const std::string& kind)
{
    std::lock_guard lock(m_mutex);
    forgetOld();
    std::size_t open = 0;
    for (const auto& [id, e] : m_jobs) {
        const bool unfinished = e.job.state == State::Queued || e.job.state == State::Running;
        if (!unfinished || e.asked.count(deviceId) == 0) {
            continue;
        }
        if (e.job.kind == kind && e.key == key) {
            return id; // asked again while waiting: the same job, not another OQS request
        }
        ++open;
    }
    if (open >= kMaxOpenPerDevice || m_single.size() >= kMaxQueued) {
        return std::nullopt;
    }
    Entry entry;
    entry.job = Job{newId(), kind, State::Queued, nullptr, {}, {patientId}};
    entry.asked[deviceId] = {patientId};
    entry.key = key;
    entry.run = std::move(run);
    const std::string id = entry.job.id;
    m_jobs.emplace(id, std::move(entry));
    m_single.push_back(id);
    m_wake.notify_all();
    return id;
}

std::optional<OqsJobs::Job> OqsJobs::find(const std::string& id, const std::string& deviceId) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end()) {
        return std::nullopt;
    }
    auto asked = it->second.asked.find(deviceId);
    if (asked == it->second.asked.end()) {
        return std::nullopt;
    }
    Job view = it->second.job;
    view.patients.assign(asked->second.begin(), asked->second.end());
    if (view.kind == "precheck" && view.result.contains("unanswered")) {
        // The shared bulk job failed for others too: this device hears only of its own.
        nlohmann::json mine = nlohmann::json::array();
        for (const auto& p : view.result["unanswered"]) {
            if (p.is_string() && asked->second.count(p.get<std::string>())) {
                mine.push_back(p);
            }
        }
        view.result["unanswered"] = std::move(mine);
    }
    return view;
}

bool OqsJobs::recentlyFailed(const base::Date& date, const std::string& patientId) const
{
    std::lock_guard lock(m_mutex);
    auto it = m_failed.find({date.toString(), patientId});
    return it != m_failed.end() && m_clock.sinceBoot() - it->second <= kFailureRemembered;
}

bool OqsJobs::idle(std::chrono::milliseconds timeout) const
{
    std::unique_lock lock(m_mutex);
    return m_changed.wait_for(lock, timeout, [this] { return m_bulk.empty() && m_single.empty() && m_busy == 0; });
}

void OqsJobs::finish(Entry& entry, nlohmann::json result, bool ok, const std::string& reason)
{
    entry.job.state = ok ? State::Done : State::Failed;
    entry.job.result = std::move(result);
    entry.job.reason = reason;
    entry.finishedAt = m_clock.sinceBoot();
}

void OqsJobs::bulkLoop()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stopping || !m_bulk.empty(); });
        if (m_stopping) {
            return;
        }
        const std::string id = m_bulk.front();
        m_bulk.pop_front();
        auto& entry = m_jobs.at(id);
        const std::string day = entry.date.toString();
        m_queuedByDate.erase(day); // from now on new patients wait for the next job of the date
        m_runningByDate[day] = id;
        entry.job.state = State::Running;
        const auto all = entry.allPatients();
        const std::vector<std::string> patients(all.begin(), all.end());
        const base::Date date = entry.date;
        ++m_busy;
        lock.unlock();
        const auto failed = m_refresh(patients, date);
        lock.lock();
        --m_busy;
        m_runningByDate.erase(day);
        for (const auto& p : failed) {
            m_failed[{day, p}] = m_clock.sinceBoot();
        }
        auto& done = m_jobs.at(id);
        finish(done, {{"unanswered", failed}}, true, {});
        m_changed.notify_all();
    }
}

void OqsJobs::singleLoop()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stopping || !m_single.empty(); });
        if (m_stopping) {
            return;
        }
        const std::string id = m_single.front();
        m_single.pop_front();
        auto run = std::move(m_jobs.at(id).run);
        m_jobs.at(id).job.state = State::Running;
        ++m_busy;
        lock.unlock();
        nlohmann::json result;
        std::string reason;
        bool ok = true;
        try {
            result = run();
        } catch (const std::exception& e) {
            ok = false;
            reason = e.what();
        }
        lock.lock();
        --m_busy;
        finish(m_jobs.at(id), std::move(result), ok, reason);
        m_changed.notify_all();
    }
}

} // namespace zaitaku::sync::gateway
