#include "sync/gateway/GatewayStorage.h"

namespace zaitaku::sync::gateway
{

IntakeResult answerForKnownKey(const StoredRecord& known, const std::string& payloadSha256)
{
    IntakeResult result;
    result.receivedAt = known.receivedAt;
    result.flags = known.flags;
    if (known.payloadSha256 == payloadSha256) {
        result.status = protocol::RecordStatus::Duplicate;
    } else {
        result.status = protocol::RecordStatus::Conflict;
        result.code = "conflict";
        result.reason = "the idempotency key " + known.idemKey + " was accepted before with another payload";
        result.field = "payload_sha256";
    }
    return result;
}

} // namespace zaitaku::sync::gateway
