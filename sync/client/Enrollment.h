#pragma once

// `zaitaku-cli enroll`: the tablet joins a gateway with a one-time code, without ever trusting on
// first use. 1) connect without verification only to read the gateway's certificate chain; 2) find
// the CA whose SHA-256 begins with the code's fingerprint, else stop; 3) reconnect verifying the
// gateway against that CA and its host name; 4) send a CSR for a new P-256 device key and the
// device's Ed25519 evidence key with the code; 5) keep the certificate, key and pinned CA in the
// encrypted store, in one transaction with an audit row.

#include "base/Expected.h"
#include "base/Random.h"
#include "sync/SyncError.h"
#include "sync/client/GatewayConnection.h"
#include "sync/store/Store.h"

#include <string>

namespace zaitaku::sync::client
{

struct EnrollmentRequest
{
    std::string gatewayUrl;
    std::string code;
    std::string label;
    std::string appVersion;
    ConnectionTimeouts timeouts;
};

struct EnrollmentResult
{
    std::string deviceId;
    std::string caFingerprint;
    std::string epoch;
    std::string tlsVersion;
};

Expected<EnrollmentResult, Error>
enroll(store::Store& store, const EnrollmentRequest& request, base::RandomSource& random);

} // namespace zaitaku::sync::client
