#include "sync/gateway/OpenGatewayStorage.h"

#include "sync/gateway/PostgresGatewayStorage.h"
#include "sync/gateway/SqliteGatewayStorage.h"

namespace zaitaku::sync::gateway
{

Expected<std::unique_ptr<GatewayStorage>, Error> openGatewayStorage(const GatewayConfig& config,
                                                                    const base::SecureBytes& databaseKey,
                                                                    base::RandomSource& random,
                                                                    const base::Timestamp& now)
{
    if (config.storage == StorageBackend::Postgresql) {
        if (config.postgresConninfo.empty()) {
            return Unexpected(
                Error{Errc::InvalidInput, "storage = postgresql needs postgres_conninfo", "postgres_conninfo"});
        }
        auto pg = PostgresGatewayStorage::open(config.postgresConninfo, random, now, config.postgresStatementTimeout,
                                               config.postgresOwnerConninfo);
        if (!pg) {
            return Unexpected(pg.error());
        }
        return std::unique_ptr<GatewayStorage>(std::move(*pg));
    }
    auto lite = SqliteGatewayStorage::open(config.databasePath(), databaseKey, random, now);
    if (!lite) {
        return Unexpected(lite.error());
    }
    return std::unique_ptr<GatewayStorage>(std::move(*lite));
}

} // namespace zaitaku::sync::gateway
