#pragma once

// X.509 certificates read from the card (EF 000A / 000B), parsed with OpenSSL.

#include "base/Bytes.h"
#include "base/Timestamp.h"
#include "device/DeviceError.h"

#include <string>

namespace zaitaku::device
{

struct CertificateInfo
{
    std::string serialHex; // the 発行番号 OQS keys on
    std::string subject;   // RFC 2253 form
    std::string issuer;
    base::Timestamp notBefore = base::Timestamp::fromUtc({});
    base::Timestamp notAfter = base::Timestamp::fromUtc({});
    int publicKeyBits = 0;
};

Expected<CertificateInfo, Error> parseCertificate(base::ByteView der);
// sha256WithRSAEncryption (PKCS#1 v1.5) of `message` under the certificate's public key.
Expected<bool, Error>
verifySha256Signature(base::ByteView certificateDer, base::ByteView message, base::ByteView signature);
// Whether `der` carries a valid signature by `issuerDer`'s key.
Expected<bool, Error> isIssuedBy(base::ByteView der, base::ByteView issuerDer);
// The SHA-256 DigestInfo the card signs (docs/design/CARD.md §5: prefix ‖ 32-byte hash).
base::Bytes sha256DigestInfo(base::ByteView message);

} // namespace zaitaku::device
