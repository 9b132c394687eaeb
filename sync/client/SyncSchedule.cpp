#include "sync/client/SyncSchedule.h"

namespace zaitaku::sync::client
{

void SyncSchedule::finished(bool ok, std::int64_t unsent, Clock::time_point now)
{
    m_running = false;
    if (ok) {
        m_failures = 0;
        m_next = now + (unsent > 0 ? m_policy.whileQueued : m_policy.idle);
    } else {
        ++m_failures;
        m_next = now + backoffDelay(m_failures, m_policy.backoff, m_random);
    }
    // A visit committed while the run was under way was not in it: it goes at its own time.
    if (m_pendingNudge) {
        m_pendingNudge = false;
        m_next = std::min(m_next, std::max(m_nudgeAt, now));
    }
}

} // namespace zaitaku::sync::client
