#include "device/mynacard/Certificate.h"

#include "base/Sha256.h"

#include <ctime>
#include <memory>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

namespace zaitaku::device
{

namespace
{

struct X509Free
{
    void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

Expected<X509Ptr, Error> decodeDer(base::ByteView der)
{
    const unsigned char* p = der.data();
    X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!cert || p != der.data() + der.size()) {
        return Unexpected(Error{Errc::MalformedResponse, "not a DER X.509 certificate"});
    }
    return cert;
}

std::string nameOf(const X509_NAME* name)
{
    BIO* bio = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253);
    char* data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(n));
    BIO_free(bio);
    return out;
}

base::Timestamp timeOf(const ASN1_TIME* t)
{
    std::tm tm{};
    ASN1_TIME_to_tm(t, &tm);
    return base::Timestamp::fromUtc(std::chrono::sys_seconds{std::chrono::seconds{timegm(&tm)}}, 0);
}

} // namespace

base::Bytes sha256DigestInfo(base::ByteView message)
{
    base::Bytes out{0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                    0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    const base::Bytes hash = base::sha256(message);
    out.insert(out.end(), hash.begin(), hash.end());
    return out;
}

Expected<CertificateInfo, Error> parseCertificate(base::ByteView der)
{
    auto cert = decodeDer(der);
    if (!cert) {
        return Unexpected(cert.error());
    }
    CertificateInfo info;
    const ASN1_INTEGER* serial = X509_get0_serialNumber(cert->get());
    BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
    char* hex = BN_bn2hex(bn);
    info.serialHex = hex;
    OPENSSL_free(hex);
    BN_free(bn);
    info.subject = nameOf(X509_get_subject_name(cert->get()));
    info.issuer = nameOf(X509_get_issuer_name(cert->get()));
    info.notBefore = timeOf(X509_get0_notBefore(cert->get()));
    info.notAfter = timeOf(X509_get0_notAfter(cert->get()));
    if (EVP_PKEY* key = X509_get0_pubkey(cert->get())) {
        info.publicKeyBits = EVP_PKEY_get_bits(key);
    }
    return info;
}

Expected<bool, Error>
verifySha256Signature(base::ByteView certificateDer, base::ByteView message, base::ByteView signature)
{
    auto cert = decodeDer(certificateDer);
    if (!cert) {
        return Unexpected(cert.error());
    }
    EVP_PKEY* key = X509_get0_pubkey(cert->get());
    if (!key) {
        return Unexpected(Error{Errc::MalformedResponse, "the certificate has no usable public key"});
    }
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
              EVP_DigestVerify(ctx, signature.data(), signature.size(), message.data(), message.size()) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

Expected<bool, Error> isIssuedBy(base::ByteView der, base::ByteView issuerDer)
{
    auto cert = decodeDer(der);
    auto issuer = decodeDer(issuerDer);
    if (!cert || !issuer) {
        return Unexpected(Error{Errc::MalformedResponse, "not a DER X.509 certificate"});
    }
    EVP_PKEY* key = X509_get0_pubkey(issuer->get());
    return key != nullptr && X509_verify(cert->get(), key) == 1;
}

} // namespace zaitaku::device
