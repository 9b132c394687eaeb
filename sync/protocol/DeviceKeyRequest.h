#pragma once

// A device's TLS identity as both ends make it: a fresh P-256 key and a certificate signing
// request for it (the tablet at enrollment and renewal, the gateway's monitor client), and the PEM
// form of a certificate the gateway hands back as DER.

#include "base/Expected.h"
#include "sync/SyncError.h"

#include <string>

namespace zaitaku::sync::protocol
{

// A fresh P-256 key and a CSR for it (CN = label), both PEM.
struct DeviceKeyRequest
{
    std::string privateKeyPem;
    std::string csrPem;
};
Expected<DeviceKeyRequest, Error> makeDeviceKeyRequest(const std::string& label);

// DER → PEM for a certificate (empty when the DER does not parse).
std::string certificatePem(const std::string& der);

} // namespace zaitaku::sync::protocol
