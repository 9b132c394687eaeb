#include "hardware/vcard/TestPki.h"

#include "device/apdu/BerTlv.h"

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <thread>
#include <unistd.h>

namespace zaitaku::hardware
{

base::Bytes testSerialFor(const std::string& commonName)
{
    const std::string input = "zaitaku-test-serial:" + commonName;
    unsigned char digest[32];
    SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
    base::Bytes serial(digest, digest + 8);
    serial[0] = static_cast<std::uint8_t>((serial[0] & 0x7F) | 0x01); // positive, no leading zero byte
    return serial;
}

std::string authCertificateCommonName(const std::string& personaName)
{
    return "zaitaku test user-authentication " + personaName;
}

namespace
{

using device::Errc;

Error pkiError(const std::string& what)
{
    return Error{Errc::TransmitFailed, "test PKI: " + what};
}

KeyPtr wrap(EVP_PKEY* key)
{
    return KeyPtr(key, EVP_PKEY_free);
}

std::string pathOf(const std::string& dir, const std::string& name)
{
    return (std::filesystem::path(dir) / name).string();
}

KeyPtr readKey(const std::string& path)
{
    FILE* f = std::fopen(path.c_str(), "r");
    if (!f) {
        return nullptr;
    }
    EVP_PKEY* key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    return key ? wrap(key) : nullptr;
}

// Publishes `key` at `path` unless another process got there first, and returns the key that is
// on disk now. First writer wins: concurrent test processes that all found no key converge on one
// (a last-writer-wins rename let a process keep a CA key that was no longer the one on disk, so
// its gateway trusted a different CA than its virtual card used).
KeyPtr publishKey(const std::string& path, const KeyPtr& key)
{
    const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." +
                            std::to_string(std::hash<std::thread::id>{}(std::this_thread::get_id()));
    FILE* f = std::fopen(tmp.c_str(), "w");
    if (!f) {
        return nullptr;
    }
    const bool ok = PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
    const bool closed = std::fclose(f) == 0;
    // link() never replaces an existing file: readers never see half a key, and nobody's key is
    // swapped under them.
    const bool linked = ok && closed && ::link(tmp.c_str(), path.c_str()) == 0;
    const int linkErrno = errno;
    std::remove(tmp.c_str());
    if (linked) {
        return key;
    }
    return ok && closed && linkErrno == EEXIST ? readKey(path) : nullptr;
}

bool addExtension(X509* cert, X509* issuer, int nid, const char* value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    if (!ext) {
        return false;
    }
    const bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

Expected<base::Bytes, Error> makeCertificate(const KeyPtr& subjectKey,
                                             const std::string& commonName,
                                             X509* issuerCert,
                                             const KeyPtr& issuerKey,
                                             base::Timestamp notBefore,
                                             base::Timestamp notAfter,
                                             bool isCa)
{
    std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
    X509_set_version(cert.get(), 2);
    // Deterministic per subject (testSerialFor): the OQS simulator's population maps a card to a
    // person by serial + issuer, so a persona must keep its serial across runs.
    const base::Bytes serial = testSerialFor(commonName);
    BIGNUM* bn = BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get()));
    BN_free(bn);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "C", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("JP"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("zaitaku test JPKI (not J-LIS)"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(commonName.c_str()),
                               -1, -1, 0);
    X509_set_issuer_name(cert.get(), issuerCert ? X509_get_subject_name(issuerCert) : name);
    ASN1_TIME_set(X509_getm_notBefore(cert.get()), notBefore.utc().time_since_epoch().count());
    ASN1_TIME_set(X509_getm_notAfter(cert.get()), notAfter.utc().time_since_epoch().count());
    X509_set_pubkey(cert.get(), subjectKey.get());
    X509* issuer = issuerCert ? issuerCert : cert.get();
    const bool extOk = isCa ? addExtension(cert.get(), issuer, NID_basic_constraints, "critical,CA:TRUE") &&
                                  addExtension(cert.get(), issuer, NID_key_usage, "critical,keyCertSign,cRLSign")
                            : addExtension(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE") &&
                                  addExtension(cert.get(), issuer, NID_key_usage, "critical,digitalSignature");
    if (!extOk || X509_sign(cert.get(), issuerKey.get(), EVP_sha256()) == 0) {
        return Unexpected(pkiError("cannot sign the certificate"));
    }
    unsigned char* der = nullptr;
    const int length = i2d_X509(cert.get(), &der);
    if (length <= 0) {
        return Unexpected(pkiError("cannot encode the certificate"));
    }
    base::Bytes out(der, der + length);
    OPENSSL_free(der);
    return out;
}

} // namespace

Expected<KeyPtr, Error> TestPki::loadOrCreateKey(const std::string& keyName)
{
    const std::string path = m_directory.empty() ? "" : pathOf(m_directory, keyName + ".key.pem");
    if (!path.empty()) {
        if (KeyPtr cached = readKey(path)) {
            return cached;
        }
    }
    EVP_PKEY* key = EVP_RSA_gen(2048);
    if (!key) {
        return Unexpected(pkiError("RSA key generation failed"));
    }
    KeyPtr out = wrap(key);
    if (!path.empty()) {
        out = publishKey(path, out);
        if (!out) {
            return Unexpected(pkiError("cannot write " + path));
        }
    }
    return out;
}

Expected<TestPki, Error> TestPki::open(const std::string& directory, base::Timestamp now)
{
    TestPki pki;
    pki.m_directory = directory;
    if (!directory.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(directory, ec);
        if (ec) {
            return Unexpected(pkiError("cannot create " + directory + ": " + ec.message()));
        }
    }
    auto caKey = pki.loadOrCreateKey("ca");
    if (!caKey) {
        return Unexpected(caKey.error());
    }
    pki.m_caKey = *caKey;
    // The CA certificate is re-issued from the cached key with a fixed validity window, so its
    // key (what verification depends on) is stable across runs.
    auto der = makeCertificate(pki.m_caKey, "zaitaku test JPKI user-authentication CA", nullptr, pki.m_caKey,
                               now.plus(-std::chrono::hours(24 * 3650)), now.plus(std::chrono::hours(24 * 3650)), true);
    if (!der) {
        return Unexpected(der.error());
    }
    pki.m_caDer = std::move(*der);
    return pki;
}

Expected<IssuedCertificate, Error> TestPki::issue(const std::string& keyName,
                                                  const std::string& commonName,
                                                  base::Timestamp notBefore,
                                                  base::Timestamp notAfter)
{
    auto key = loadOrCreateKey(keyName);
    if (!key) {
        return Unexpected(key.error());
    }
    const unsigned char* p = m_caDer.data();
    std::unique_ptr<X509, decltype(&X509_free)> ca(d2i_X509(nullptr, &p, static_cast<long>(m_caDer.size())), X509_free);
    auto der = makeCertificate(*key, commonName, ca.get(), m_caKey, notBefore, notAfter, false);
    if (!der) {
        return Unexpected(der.error());
    }
    return IssuedCertificate{*key, std::move(*der)};
}

Expected<base::Bytes, Error> rsaPkcs1Sign(const KeyPtr& key, base::ByteView data)
{
    EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key.get(), nullptr);
    base::Bytes sig(static_cast<std::size_t>(EVP_PKEY_get_size(key.get())));
    std::size_t length = sig.size();
    const bool ok = ctx && EVP_PKEY_sign_init(ctx) == 1 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1 &&
                    EVP_PKEY_sign(ctx, sig.data(), &length, data.data(), data.size()) == 1;
    EVP_PKEY_CTX_free(ctx);
    if (!ok) {
        return Unexpected(pkiError("RSA signature failed"));
    }
    sig.resize(length);
    return sig;
}

base::Bytes rsaPublicKeyTlv(const KeyPtr& key)
{
    BIGNUM* n = nullptr;
    BIGNUM* e = nullptr;
    EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &n);
    EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &e);
    base::Bytes modulus(static_cast<std::size_t>(BN_num_bytes(n)));
    base::Bytes exponent(static_cast<std::size_t>(BN_num_bytes(e)));
    BN_bn2bin(n, modulus.data());
    BN_bn2bin(e, exponent.data());
    BN_free(n);
    BN_free(e);
    base::Bytes out = device::encodeTlv(0x90, exponent);
    const base::Bytes mod = device::encodeTlv(0x91, modulus);
    out.insert(out.end(), mod.begin(), mod.end());
    return out;
}

std::string TestPki::caCertificatePem() const
{
    const unsigned char* p = m_caDer.data();
    std::unique_ptr<X509, decltype(&X509_free)> ca(d2i_X509(nullptr, &p, static_cast<long>(m_caDer.size())), X509_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509(bio.get(), ca.get());
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

Expected<std::string, Error> TestPki::revocationListPem(const std::vector<base::Bytes>& revoked,
                                                        base::Timestamp now) const
{
    const unsigned char* p = m_caDer.data();
    std::unique_ptr<X509, decltype(&X509_free)> ca(d2i_X509(nullptr, &p, static_cast<long>(m_caDer.size())), X509_free);
    std::unique_ptr<X509_CRL, decltype(&X509_CRL_free)> crl(X509_CRL_new(), X509_CRL_free);
    if (!ca || !crl) {
        return Unexpected(pkiError("cannot build a CRL"));
    }
    X509_CRL_set_version(crl.get(), 1);
    X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca.get()));
    const auto at = static_cast<time_t>(now.utc().time_since_epoch().count());
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> last(ASN1_TIME_set(nullptr, at - 3600), ASN1_TIME_free);
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> next(ASN1_TIME_set(nullptr, at + 30 * 86400), ASN1_TIME_free);
    X509_CRL_set1_lastUpdate(crl.get(), last.get());
    X509_CRL_set1_nextUpdate(crl.get(), next.get());
    for (const auto& der : revoked) {
        const unsigned char* q = der.data();
        std::unique_ptr<X509, decltype(&X509_free)> cert(d2i_X509(nullptr, &q, static_cast<long>(der.size())),
                                                         X509_free);
        if (!cert) {
            return Unexpected(pkiError("a certificate to revoke cannot be parsed"));
        }
        X509_REVOKED* entry = X509_REVOKED_new();
        X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(cert.get()));
        X509_REVOKED_set_revocationDate(entry, last.get());
        X509_CRL_add0_revoked(crl.get(), entry);
    }
    X509_CRL_sort(crl.get());
    if (X509_CRL_sign(crl.get(), m_caKey.get(), EVP_sha256()) == 0) {
        return Unexpected(pkiError("cannot sign the CRL"));
    }
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509_CRL(bio.get(), crl.get());
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

} // namespace zaitaku::hardware
