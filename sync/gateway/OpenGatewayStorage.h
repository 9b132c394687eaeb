#pragma once

// The storage backend the configuration names: `storage = sqlite` (default) or
// `storage = postgresql` (`postgres_conninfo`). Part of `zaitaku_sync_gateway_pg`: only programs
// that run a facility's gateway link it (GatewayStorageOpener.h).

#include "sync/gateway/GatewayStorageOpener.h"

namespace zaitaku::sync::gateway
{

Expected<std::unique_ptr<GatewayStorage>, Error> openGatewayStorage(const GatewayConfig& config,
                                                                    const base::SecureBytes& databaseKey,
                                                                    base::RandomSource& random,
                                                                    const base::Timestamp& now);

} // namespace zaitaku::sync::gateway
