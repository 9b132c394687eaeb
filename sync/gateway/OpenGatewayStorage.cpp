#include "sync/gateway/OpenGatewayStorage.h"

#include "sync/gateway/PostgresGatewayStorage.h"

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
    return openSqliteGatewayStorage(config, databaseKey, random, now);
}

} // namespace zaitaku::sync::gateway
