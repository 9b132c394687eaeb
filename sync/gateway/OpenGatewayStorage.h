#pragma once

// The storage backend the configuration names: `storage = sqlite` (default: gateway.db in the data
// folder, SQLCipher under the data folder's database key) or `storage = postgresql`
// (`postgres_conninfo`).

#include "base/Random.h"
#include "base/SecureBytes.h"
#include "base/Timestamp.h"
#include "sync/gateway/GatewayConfig.h"
#include "sync/gateway/GatewayStorage.h"

#include <memory>

namespace zaitaku::sync::gateway
{

Expected<std::unique_ptr<GatewayStorage>, Error> openGatewayStorage(const GatewayConfig& config,
                                                                    const base::SecureBytes& databaseKey,
                                                                    base::RandomSource& random,
                                                                    const base::Timestamp& now);

} // namespace zaitaku::sync::gateway
