#pragma once

// Group commit for intakes: concurrent callers share one transaction (one fsync). The first caller
// leads and commits everything queued meanwhile; each caller returns only after the commit that
// holds its records. Both storage backends use it, so a batch's atomicity and the order of seqs
// (the order the leader ran the requests) are the same on SQLite and PostgreSQL.

#include "sync/gateway/GatewayStorage.h"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

namespace zaitaku::sync::gateway
{

class IntakeGroupCommit
{
public:
    // Runs every request of the group in one transaction and returns their results in order, or
    // one error for all of them (then nothing was committed).
    using CommitAll =
        std::function<Expected<std::vector<IntakeResult>, Error>(const std::vector<const IntakeRequest*>&)>;

    Expected<std::vector<IntakeResult>, Error> submit(const std::vector<IntakeRequest>& requests,
                                                      const CommitAll& commitAll);

private:
    struct Pending
    {
        const std::vector<IntakeRequest>* requests = nullptr;
        std::vector<IntakeResult> results;
        std::optional<Error> error;
        bool done = false;
    };
    static void commitGroup(const std::vector<Pending*>& group, const CommitAll& commitAll);

    std::mutex m_mutex;
    std::condition_variable m_done;
    std::vector<Pending*> m_queue;
    bool m_leading = false;
};

} // namespace zaitaku::sync::gateway
