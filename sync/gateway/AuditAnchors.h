#pragma once

// Witnesses of the gateway's audit chain outside its database (security review M6): each anchor is
// the chain's last row number and hash at a moment, appended to <data-dir>/audit-anchors (one line
// "seq hash at", O_APPEND, fsynced) by `serve` every hour and by `zaitaku-gateway audit anchor`,
// which also prints it for a remote log. Whoever holds the service account and secrets.key can
// recompute the whole chain, but not make it pass through an anchor it did not write: `audit
// verify` checks every anchor against the chain. Make the file append-only for that account
// (`chattr +a`, root) or ship the printed lines off the host (OPERATIONS.md).

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/gateway/GatewayStorage.h"
#include "sync/sql/AuditLog.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::gateway
{

struct AuditAnchor
{
    std::int64_t seq = 0;
    std::string hash;
    std::string at;

    std::string line() const; // "seq hash at"
};

Expected<void, Error> appendAuditAnchor(const std::string& path, const AuditAnchor& anchor);
// The chain's last row now, as an anchor (none while the log is empty).
Expected<std::optional<AuditAnchor>, Error> currentAuditAnchor(GatewayStorage& storage);
// Each anchor against the chain: a missing row (rows removed, or an older copy restored) or
// another hash (the chain rewritten) is a problem.
Expected<void, Error> checkAuditAnchors(GatewayStorage& storage,
                                        const std::vector<AuditAnchor>& anchors,
                                        std::vector<sql::AuditProblem>& problems);
// No file: none. A line that does not parse is a problem of its own (seq 0).
Expected<std::vector<AuditAnchor>, Error> readAuditAnchors(const std::string& path,
                                                           std::vector<sql::AuditProblem>& problems);

} // namespace zaitaku::sync::gateway
