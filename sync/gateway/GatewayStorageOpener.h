#pragma once

// How a gateway opens its storage. The core gateway library knows only SQLCipher
// (`openSqliteGatewayStorage`); the PostgreSQL backend is its own library
// (`zaitaku_sync_gateway_pg`: `openGatewayStorage` in OpenGatewayStorage.h opens either), linked by
// the programs that run a facility's gateway — so the tablet app and its demo stack never link libpq.

#include "base/SecureBytes.h"
#include "sync/gateway/GatewayConfig.h"
#include "sync/gateway/GatewayStorage.h"

#include <functional>
#include <memory>

namespace zaitaku::sync::gateway
{

using GatewayStorageOpener =
    std::function<Expected<std::unique_ptr<GatewayStorage>, Error>(const GatewayConfig& config,
                                                                   const base::SecureBytes& databaseKey,
                                                                   base::RandomSource& random,
                                                                   const base::Timestamp& now)>;

// `storage = sqlite` (gateway.db in the data folder, SQLCipher with the data folder's database
// key); `storage = postgresql` is refused with the reason (this program has no PostgreSQL backend).
Expected<std::unique_ptr<GatewayStorage>, Error> openSqliteGatewayStorage(const GatewayConfig& config,
                                                                          const base::SecureBytes& databaseKey,
                                                                          base::RandomSource& random,
                                                                          const base::Timestamp& now);

} // namespace zaitaku::sync::gateway
