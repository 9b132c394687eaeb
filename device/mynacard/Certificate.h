#pragma once

// X.509 certificates read from the card (EF 000A / 000B), parsed with OpenSSL.

#include "device/apdu/Bytes.h"
#include "verify/model/Timestamp.h"

#include <string>

namespace zaitaku::device
{

struct CertificateInfo
{
    std::string serialHex; // the 発行番号 OQS keys on
    std::string subject;   // RFC 2253 form
    std::string issuer;
    model::Timestamp notBefore = model::Timestamp::fromUtc({});
    model::Timestamp notAfter = model::Timestamp::fromUtc({});
    int publicKeyBits = 0;
};

Expected<CertificateInfo, Error> parseCertificate(ByteView der);
// sha256WithRSAEncryption (PKCS#1 v1.5) of `message` under the certificate's public key.
Expected<bool, Error> verifySha256Signature(ByteView certificateDer, ByteView message, ByteView signature);
// Whether `der` carries a valid signature by `issuerDer`'s key.
Expected<bool, Error> isIssuedBy(ByteView der, ByteView issuerDer);
// SHA-256 of `message` (32 bytes).
Bytes sha256(ByteView message);
// The SHA-256 DigestInfo the card signs (CARD.md §5: prefix ‖ 32-byte hash).
Bytes sha256DigestInfo(ByteView message);

} // namespace zaitaku::device
