#include "sync/gateway/GatewayStorageOpener.h"

#include "sync/gateway/SqliteGatewayStorage.h"

namespace zaitaku::sync::gateway
{

Expected<std::unique_ptr<GatewayStorage>, Error> openSqliteGatewayStorage(const GatewayConfig& config,
                                                                          const base::SecureBytes& databaseKey,
                                                                          base::RandomSource& random,
                                                                          const base::Timestamp& now)
{
    if (config.storage == StorageBackend::Postgresql) {
        return Unexpected(Error{Errc::InvalidInput,
                                "storage = postgresql: this program has no PostgreSQL backend (run zaitaku-gateway)",
                                "storage"});
    }
    auto lite = SqliteGatewayStorage::open(config.databasePath(), databaseKey, random, now);
    if (!lite) {
        return Unexpected(lite.error());
    }
    return std::unique_ptr<GatewayStorage>(std::move(*lite));
}

} // namespace zaitaku::sync::gateway
