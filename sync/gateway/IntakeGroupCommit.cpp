#include "sync/gateway/IntakeGroupCommit.h"

namespace zaitaku::sync::gateway
{

Expected<std::vector<IntakeResult>, Error> IntakeGroupCommit::submit(const std::vector<IntakeRequest>& requests,
                                                                     const CommitAll& commitAll)
{
    Pending mine;
    mine.requests = &requests;
    std::unique_lock lock(m_mutex);
    m_queue.push_back(&mine);
    while (!mine.done) {
        if (m_leading) {
            m_done.wait(lock);
            continue;
        }
        m_leading = true;
        std::vector<Pending*> group;
        group.swap(m_queue);
        lock.unlock();
        commitGroup(group, commitAll);
        lock.lock();
        for (auto* pending : group) {
            pending->done = true;
        }
        m_leading = false;
        m_done.notify_all();
    }
    if (mine.error) {
        return Unexpected(*mine.error);
    }
    return std::move(mine.results);
}

void IntakeGroupCommit::commitGroup(const std::vector<Pending*>& group, const CommitAll& commitAll)
{
    std::vector<const IntakeRequest*> all;
    for (const auto* pending : group) {
        for (const auto& request : *pending->requests) {
            all.push_back(&request);
        }
    }
    auto results = commitAll(all);
    if (!results || results->size() != all.size()) {
        const Error error = results ? Error{Errc::StoreIo, "the group commit lost results"} : results.error();
        for (auto* pending : group) {
            pending->error = error;
        }
        return;
    }
    std::size_t next = 0;
    for (auto* pending : group) {
        for (std::size_t i = 0; i < pending->requests->size(); ++i) {
            pending->results.push_back(std::move((*results)[next++]));
        }
    }
}

} // namespace zaitaku::sync::gateway
