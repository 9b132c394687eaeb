#pragma once

// The storage backend the configuration names: `storage = sqlite` (default: gateway.db in the
// data folder, SQLCipher with the data folder's database key) or `storage = postgresql`
// (`postgres_conninfo`).

#include "sync/gateway/GatewayConfig.h"
#include "sync/gateway/GatewayStorage.h"
#include "sync/store/SecureBytes.h"

#include <memory>

namespace zaitaku::sync::gateway
{

Expected<std::unique_ptr<GatewayStorage>, Error> openGatewayStorage(const GatewayConfig& config,
                                                                    const store::SecureBytes& databaseKey,
                                                                    model::RandomSource& random,
                                                                    const model::Timestamp& now);

} // namespace zaitaku::sync::gateway
