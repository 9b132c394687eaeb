#pragma once

// When the tablet syncs on its own (issue 31): soon after a visit is committed, at once when the
// network comes back, on a timer — every minute while records wait, every quarter hour otherwise
// (the feed: results, staff accounts) — and, after a failure, with the outbox's back-off. A run in
// progress is never started twice. Pure: the app's timer asks due(); tests drive the clock.

#include "base/Random.h"
#include "sync/client/Backoff.h"

#include <chrono>
#include <optional>

namespace zaitaku::sync::client
{

struct AutoSyncPolicy
{
    std::chrono::seconds afterCommit{2}; // the visit's last screens first
    std::chrono::seconds whileQueued{60};
    std::chrono::seconds idle{15 * 60};
    BackoffPolicy backoff{std::chrono::seconds(5), std::chrono::seconds(5 * 60)};
};

class SyncSchedule
{
public:
    using Clock = std::chrono::steady_clock;

    SyncSchedule(AutoSyncPolicy policy, base::RandomSource& random, Clock::time_point now)
        : m_policy(policy)
        , m_random(random)
        , m_next(now) // the first run right after sign-in
    {}

    void visitCommitted(Clock::time_point now) { sooner(now + m_policy.afterCommit); }
    void networkBack(Clock::time_point now)
    {
        m_failures = 0;
        sooner(now);
    }
    bool due(Clock::time_point now) const { return !m_running && now >= m_next; }
    void started() { m_running = true; }
    // `ok`: the run ended without error; `unsent`: what the outbox still holds afterwards.
    void finished(bool ok, std::int64_t unsent, Clock::time_point now);

    bool running() const { return m_running; }
    int failures() const { return m_failures; }
    Clock::time_point next() const { return m_next; }

private:
    // Earlier than planned; during a run, kept for right after it (what it asks for was not in it).
    void sooner(Clock::time_point at)
    {
        if (m_running) {
            m_nudgeAt = m_pendingNudge ? std::min(m_nudgeAt, at) : at;
            m_pendingNudge = true;
            return;
        }
        m_next = std::min(m_next, at);
    }

    AutoSyncPolicy m_policy;
    base::RandomSource& m_random;
    Clock::time_point m_next;
    bool m_running = false;
    bool m_pendingNudge = false;
    Clock::time_point m_nudgeAt{};
    int m_failures = 0;
};

} // namespace zaitaku::sync::client
