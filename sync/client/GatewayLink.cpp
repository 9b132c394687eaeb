#include "sync/client/GatewayLink.h"

#include "sync/sql/StoreMeta.h"

#include <array>
#include <memory>
#include <utility>

namespace zaitaku::sync::client
{

namespace
{
// store_meta keys.
constexpr std::array<std::pair<const char*, std::string GatewayLink::*>, 7> kFields{{
    {"gateway.url", &GatewayLink::url},
    {"gateway.ca_pem", &GatewayLink::caPem},
    {"gateway.ca_fingerprint", &GatewayLink::caFingerprint},
    {"gateway.device_id", &GatewayLink::deviceId},
    {"gateway.certificate_pem", &GatewayLink::certificatePem},
    {"gateway.private_key_pem", &GatewayLink::privateKeyPem},
    {"gateway.epoch", &GatewayLink::epoch},
}};

} // namespace

Expected<std::optional<GatewayLink>, Error> GatewayLink::load(sql::Database& db)
{
    GatewayLink link;
    for (const auto& [key, member] : kFields) {
        auto value = sql::StoreMeta::get(db, key);
        if (!value) {
            return Unexpected(value.error());
        }
        if (!*value && member != &GatewayLink::epoch) {
            return std::optional<GatewayLink>();
        }
        link.*member = value->value_or(std::string());
    }
    return std::optional<GatewayLink>(std::move(link));
}

Expected<void, Error> GatewayLink::save(sql::Database& db) const
{
    for (const auto& [key, member] : kFields) {
        if (auto done = sql::StoreMeta::set(db, key, this->*member); !done) {
            return done;
        }
    }
    return {};
}

} // namespace zaitaku::sync::client
