#include "sync/client/Enrollment.h"

#include "sync/protocol/DeviceKeyRequest.h"
#include "sync/protocol/EnrollmentCode.h"
#include "sync/protocol/Messages.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/Transaction.h"
#include "sync/store/DeviceSigningKey.h"

namespace zaitaku::sync::client
{

Expected<EnrollmentResult, Error>
enroll(store::Store& store, const EnrollmentRequest& request, base::RandomSource& random)
{
    auto code = protocol::EnrollmentCode::parse(request.code);
    if (!code) {
        return Unexpected(code.error());
    }
    auto address = transport::GatewayAddress::parse(request.gatewayUrl);
    if (!address) {
        return Unexpected(address.error());
    }
    // No CA yet: verification off, only to read the chain — nothing is sent on this connection.
    auto probeClient = transport::HttpsClient::create(clientOptions(*address, request.timeouts, {}));
    if (!probeClient) {
        return Unexpected(probeClient.error());
    }
    if (auto connected = (*probeClient)->connect(); !connected) {
        return Unexpected(connected.error());
    }
    std::string caDer;
    for (const auto& der : (*probeClient)->peerChain()) {
        if (protocol::caFingerprintOf(der) == code->caFingerprint) {
            caDer = der;
        }
    }
    (*probeClient)->close();
    if (caDer.empty()) {
        return Unexpected(Error{Errc::TlsFailure,
                                "the gateway at " + address->toString() +
                                    " did not present the CA named by the enrollment code: wrong gateway, or a "
                                    "device in between; nothing was sent",
                                "code"});
    }
    GatewayLink link;
    link.url = address->toString();
    link.caPem = protocol::certificatePem(caDer);
    link.caFingerprint = code->caFingerprint;

    auto keyRequest = protocol::makeDeviceKeyRequest(request.label);
    if (!keyRequest) {
        return Unexpected(keyRequest.error());
    }
    auto signingKey = store::DeviceSigningKey::loadOrCreate(store, random);
    if (!signingKey) {
        return Unexpected(signingKey.error());
    }
    auto client = transport::HttpsClient::create(clientOptions(*address, request.timeouts, link.caPem));
    if (!client) {
        return Unexpected(client.error());
    }
    protocol::EnrollRequest message{code->secret, keyRequest->csrPem, signingKey->publicKeyHex(), request.label,
                                    request.appVersion};
    auto response = (*client)->send({"POST", "/v1/enroll", {}, protocol::dump(protocol::toJson(message))});
    if (!response) {
        return Unexpected(response.error());
    }
    if (response->status != 200) {
        auto body = protocol::parseErrorBody(response->body);
        const std::string why = body ? body->message : "HTTP " + std::to_string(response->status);
        return Unexpected(Error{response->status == 403 ? Errc::Unauthorized : Errc::Rejected,
                                "the gateway refused the enrollment: " + why, body ? body->field : std::string()});
    }
    auto enrolled = protocol::parseEnrollResponse(response->body);
    if (!enrolled) {
        return Unexpected(enrolled.error());
    }
    EnrollmentResult result{enrolled->deviceId, link.caFingerprint, enrolled->epoch, (*client)->tlsVersion()};
    link.deviceId = enrolled->deviceId;
    link.certificatePem = enrolled->certificatePem;
    link.privateKeyPem = keyRequest->privateKeyPem;
    link.epoch = enrolled->epoch;
    auto tx = sql::Transaction::begin(store.db(), sql::Durability::Full);
    if (!tx) {
        return Unexpected(tx.error());
    }
    if (auto done = link.save(store.db()); !done) {
        return Unexpected(done.error());
    }
    sql::AuditEntry entry{"operator",
                          "gateway.enroll",
                          link.deviceId,
                          {{"gateway", link.url}, {"ca_fingerprint", link.caFingerprint}, {"label", request.label}}};
    if (auto done = sql::AuditLog::append(store.db(), entry, store.clock().nowJst()); !done) {
        return Unexpected(done.error());
    }
    if (auto done = tx->commit(); !done) {
        return Unexpected(done.error());
    }
    return result;
}

} // namespace zaitaku::sync::client
