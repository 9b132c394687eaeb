#pragma once

// The tablet's enrollment with one gateway, kept in the encrypted store (store_meta) so that the
// device key never sits in a plain file: the gateway address, the pinned CA, the device id, the
// device certificate and its P-256 key, and the gateway epoch last seen.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"

#include <optional>
#include <string>

namespace zaitaku::sync::client
{

struct GatewayLink
{
    std::string url;
    std::string caPem;
    std::string caFingerprint;
    std::string deviceId;
    std::string certificatePem;
    std::string privateKeyPem;
    std::string epoch;

    static Expected<std::optional<GatewayLink>, Error> load(sql::Database& db);
    // Inside the caller's transaction.
    Expected<void, Error> save(sql::Database& db) const;
};

} // namespace zaitaku::sync::client
