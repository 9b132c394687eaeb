#pragma once

// The virtual card's own test PKI: a "JPKI test CA" and per-persona RSA-2048 keys and certificates.
// With a directory, keys and the CA are cached there as PEM (generation costs ~0.1 s a key), so
// every run of a test suite sees the same CA. Nothing here is a real J-LIS key.

#include "base/Bytes.h"
#include "base/Timestamp.h"
#include "device/DeviceError.h"

#include <memory>
#include <openssl/types.h>
#include <string>
#include <vector>

namespace zaitaku::hardware
{

using base::Bytes;
using base::ByteView;
using device::Error;
using KeyPtr = std::shared_ptr<EVP_PKEY>;

struct IssuedCertificate
{
    KeyPtr key;
    base::Bytes der;
};

class TestPki
{
public:
    // `directory` empty: everything in memory.
    static Expected<TestPki, Error> open(const std::string& directory, base::Timestamp now);

    const base::Bytes& caCertificateDer() const { return m_caDer; }
    const KeyPtr& caKey() const { return m_caKey; }

    // The key `keyName` (cached as <directory>/<keyName>.key.pem) certified by the CA.
    Expected<IssuedCertificate, Error> issue(const std::string& keyName,
                                             const std::string& commonName,
                                             base::Timestamp notBefore,
                                             base::Timestamp notAfter);

    // The CA certificate as PEM (what a gateway configures as its JPKI CA in tests and the demo).
    std::string caCertificatePem() const;
    // A CRL signed by the CA listing the given certificates (DER) as revoked, as PEM.
    Expected<std::string, Error> revocationListPem(const std::vector<base::Bytes>& revoked, base::Timestamp now) const;

private:
    Expected<KeyPtr, Error> loadOrCreateKey(const std::string& keyName);

    std::string m_directory;
    KeyPtr m_caKey;
    base::Bytes m_caDer;
};

// The serial the test CA gives the certificate with this subject CN (8 bytes, positive). Stable
// across runs so that the OQS simulator's population can name a persona's card.
base::Bytes testSerialFor(const std::string& commonName);
// The subject CN of a persona's user-authentication certificate.
std::string authCertificateCommonName(const std::string& personaName);

// RSA private operation with PKCS#1 v1.5 type-1 padding over `data` as supplied (the card's
// 80 2A P1=00), and a 256-byte result.
Expected<base::Bytes, Error> rsaPkcs1Sign(const KeyPtr& key, base::ByteView data);
// The public key as the card face stores it: 90 exponent, 91 modulus.
base::Bytes rsaPublicKeyTlv(const KeyPtr& key);

} // namespace zaitaku::hardware
