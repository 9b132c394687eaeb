#include "sync/gateway/GatewayPki.h"

#include "base/AtomicFile.h"
#include "base/Bytes.h"
#include "device/mynacard/Certificate.h"
#include "sync/protocol/EnrollmentCode.h"

#include <algorithm>
#include <arpa/inet.h>
#include <filesystem>
#include <functional>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <optional>
#include <sstream>

namespace zaitaku::sync::gateway
{

namespace
{

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;
using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;

Error pkiError(const std::string& message)
{
    return Error{Errc::StoreIo, "gateway PKI: " + message};
}

std::string bioText(BIO* bio)
{
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(len));
}

std::string keyPem(EVP_PKEY* key)
{
    Bio bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    return bioText(bio.get());
}

std::string certPem(X509* cert)
{
    Bio bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509(bio.get(), cert);
    return bioText(bio.get());
}

PKey readKey(const std::string& pem)
{
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    return PKey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
}

Cert readCert(const std::string& pem)
{
    Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
}

// notAfter of the first certificate in `pem` (the card certificate parser reads it); nullopt
// when there is none.
std::optional<base::Timestamp> notAfterOf(const std::string& pem)
{
    auto cert = readCert(pem);
    unsigned char* der = nullptr;
    const int length = cert ? i2d_X509(cert.get(), &der) : -1;
    if (length <= 0) {
        return std::nullopt;
    }
    auto info = device::parseCertificate(base::ByteView(der, static_cast<std::size_t>(length)));
    OPENSSL_free(der);
    return info ? std::optional<base::Timestamp>(info->notAfter) : std::nullopt;
}

bool addExtension(X509* cert, X509* issuer, int nid, const std::string& value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!ext) {
        return false;
    }
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    return true;
}

void setSerial(X509* cert, base::RandomSource& random)
{
    std::vector<std::uint8_t> bytes(16);
    random.fill(bytes);
    bytes[0] &= 0x7F; // positive
    bytes[0] |= 0x01; // and no leading zero byte
    BIGNUM* bn = BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr);
    BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
    BN_free(bn);
}

void setValidity(X509* cert, const base::Timestamp& now, long days)
{
    const auto start = static_cast<time_t>(now.utc().time_since_epoch().count()) - 300; // tolerate small skew
    ASN1_TIME_set(X509_getm_notBefore(cert), start);
    ASN1_TIME_set(X509_getm_notAfter(cert), start + days * 86400);
}

void setName(X509_NAME* name, const std::string& commonName)
{
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("zaitaku"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(commonName.c_str()),
                               -1, -1, 0);
}

std::string serialHexOf(X509* cert)
{
    BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr);
    char* hex = BN_bn2hex(bn);
    std::string out(hex);
    OPENSSL_free(hex);
    BN_free(bn);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

PKey newP256()
{
    return PKey(EVP_EC_gen("P-256"), EVP_PKEY_free);
}

// What a certificate says about its subject; the rest (serial, validity, names) is common.
struct CertificateSpec
{
    std::string commonName;
    long days = 825;
    std::vector<std::pair<int, std::string>> extensions;
};

// A certificate for `subjectKey` signed by `issuerKey`; `issuer` null makes it self-signed.
Expected<Cert, Error> signCertificate(EVP_PKEY* subjectKey,
                                      X509* issuer,
                                      EVP_PKEY* issuerKey,
                                      const CertificateSpec& spec,
                                      base::RandomSource& random,
                                      const base::Timestamp& now)
{
    Cert cert(X509_new(), X509_free);
    if (!cert || !subjectKey || !issuerKey) {
        return Unexpected(pkiError("cannot create the certificate for " + spec.commonName));
    }
    X509* signer = issuer ? issuer : cert.get();
    X509_set_version(cert.get(), 2);
    setSerial(cert.get(), random);
    setValidity(cert.get(), now, spec.days);
    setName(X509_get_subject_name(cert.get()), spec.commonName);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
    X509_set_pubkey(cert.get(), subjectKey);
    for (const auto& [nid, value] : spec.extensions) {
        addExtension(cert.get(), signer, nid, value);
    }
    if (X509_sign(cert.get(), issuerKey, EVP_sha256()) <= 0) {
        return Unexpected(pkiError("cannot sign the certificate for " + spec.commonName));
    }
    return cert;
}

// A new key and its certificate, as PEM texts (key, certificate).
Expected<std::pair<std::string, std::string>, Error> createKeyAndCertificate(X509* issuer,
                                                                             EVP_PKEY* issuerKey,
                                                                             const CertificateSpec& spec,
                                                                             base::RandomSource& random,
                                                                             const base::Timestamp& now)
{
    PKey key = newP256();
    auto cert = signCertificate(key.get(), issuer, issuer ? issuerKey : key.get(), spec, random, now);
    if (!cert) {
        return Unexpected(cert.error());
    }
    return std::make_pair(keyPem(key.get()), certPem(cert->get()));
}

CertificateSpec rootSpec(const std::string& commonName = "zaitaku gateway CA")
{
    // pathlen 1: the root signs the issuing CA, which signs devices.
    return {commonName,
            3650,
            {{NID_basic_constraints, "critical,CA:TRUE,pathlen:1"},
             {NID_key_usage, "critical,keyCertSign,cRLSign"},
             {NID_subject_key_identifier, "hash"}}};
}

CertificateSpec issuingSpec()
{
    // clientAuth only: OpenSSL applies a CA's extended key usage to everything under it, so
    // this CA's key cannot make a server certificate the tablets accept.
    return {"zaitaku device CA",
            3650,
            {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
             {NID_key_usage, "critical,keyCertSign,cRLSign"},
             {NID_ext_key_usage, "clientAuth"},
             {NID_subject_key_identifier, "hash"},
             {NID_authority_key_identifier, "keyid:always"}}};
}

CertificateSpec serverSpec(const std::vector<std::string>& names)
{
    std::string san = "DNS:localhost,IP:127.0.0.1,IP:::1";
    for (const auto& name : names) {
        const bool ip = name.find_first_not_of("0123456789.:abcdefABCDEF") == std::string::npos &&
                        (name.find('.') != std::string::npos || name.find(':') != std::string::npos);
        san += (ip ? ",IP:" : ",DNS:") + name;
    }
    return {"zaitaku gateway",
            825,
            {{NID_subject_alt_name, san},
             {NID_basic_constraints, "critical,CA:FALSE"},
             {NID_key_usage, "critical,digitalSignature"},
             {NID_ext_key_usage, "serverAuth"},
             {NID_authority_key_identifier, "keyid:always"}}};
}

CertificateSpec deviceSpec(const std::string& deviceId, int validDays)
{
    return {deviceId,
            validDays,
            {{NID_basic_constraints, "critical,CA:FALSE"},
             {NID_key_usage, "critical,digitalSignature"},
             {NID_ext_key_usage, "clientAuth"},
             // Names the issuing CA by key: after a roll two of them share a name.
             {NID_authority_key_identifier, "keyid:always"}}};
}

// A root's key, read from `file` and checked against `root` (the offline copy the operator brings).
Expected<PKey, Error> rootKeyFrom(const std::string& file, X509* root, const std::string& rootName)
{
    auto text = base::readSecretFile(file, 64 * 1024);
    if (!text) {
        return Unexpected(fromBase(text.error()));
    }
    PKey key = readKey(*text);
    std::fill(text->begin(), text->end(), '\0');
    if (!key || !root || X509_check_private_key(root, key.get()) != 1) {
        return Unexpected(Error{Errc::StoreCorrupted, file + " is not the key of " + rootName});
    }
    return key;
}

// The certificates kept beside the current ones (rolled over, cross-certified): none is fine.
Expected<void, Error> readIfPresent(const std::string& path, std::string& into)
{
    if (!base::fileExists(path)) {
        return {};
    }
    auto text = base::readSmallFile(path, 1024 * 1024);
    if (!text) {
        return Unexpected(fromBase(text.error()));
    }
    into = std::move(*text);
    return {};
}

// A root certificate with its key, brought from its offline copy for one operation.
struct RootAtHand
{
    Cert root;
    PKey key;
};

Expected<RootAtHand, Error> rootAtHand(const std::string& rootPem, const std::string& keyFile, const std::string& name)
{
    Cert root = readCert(rootPem);
    auto key = rootKeyFrom(keyFile, root.get(), name);
    if (!key) {
        return Unexpected(key.error());
    }
    return RootAtHand{std::move(root), std::move(*key)};
}

// The names a server certificate carries beyond the defaults of serverSpec (kept on renewal).
std::vector<std::string> extraServerNames(X509* cert)
{
    std::vector<std::string> out;
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
        std::string text;
        if (name->type == GEN_DNS) {
            text.assign(reinterpret_cast<const char*>(ASN1_STRING_get0_data(name->d.dNSName)),
                        static_cast<std::size_t>(ASN1_STRING_length(name->d.dNSName)));
        } else if (name->type == GEN_IPADD) {
            const int length = ASN1_STRING_length(name->d.iPAddress);
            char buffer[INET6_ADDRSTRLEN] = {};
            if (inet_ntop(length == 4 ? AF_INET : AF_INET6, ASN1_STRING_get0_data(name->d.iPAddress), buffer,
                          sizeof(buffer)) != nullptr) {
                text = buffer;
            }
        }
        if (!text.empty() && text != "localhost" && text != "127.0.0.1" && text != "::1") {
            out.push_back(text);
        }
    }
    GENERAL_NAMES_free(names);
    return out;
}

// The root of a data folder from before the two tiers has pathlen 0: it cannot have an issuing CA.
bool rootAllowsAnIssuingCa(X509* root)
{
    return X509_get_pathlen(root) != 0;
}

enum class Secrecy
{
    Public,
    Secret
};

Expected<std::string, Error> readOrCreate(const std::string& path,
                                          bool create,
                                          const std::function<Expected<std::string, Error>()>& make,
                                          Secrecy secrecy = Secrecy::Public)
{
    if (base::fileExists(path)) {
        auto text =
            secrecy == Secrecy::Secret ? base::readSecretFile(path, 64 * 1024) : base::readSmallFile(path, 64 * 1024);
        if (!text) {
            return Unexpected(fromBase(text.error()));
        }
        return std::move(*text);
    }
    if (!create) {
        return Unexpected(
            Error{Errc::StoreNotFound, path + " is missing: run `zaitaku-gateway serve` once to create it"});
    }
    auto content = make();
    if (!content) {
        return Unexpected(content.error());
    }
    if (auto done = base::writeFileAtomically(path, *content, 0600); !done) {
        return Unexpected(fromBase(done.error()));
    }
    return content;
}

} // namespace

Expected<GatewayPki, Error> GatewayPki::loadFrom(const std::string& dataDir,
                                                 const std::vector<std::string>& names,
                                                 base::RandomSource* random,
                                                 const base::Timestamp& now)
{
    const bool create = random != nullptr;
    if (create) {
        std::error_code ec;
        std::filesystem::create_directories(dataDir, ec);
        if (ec) {
            return Unexpected(Error{Errc::StoreIo, "cannot create " + dataDir + ": " + ec.message(), "data-dir"});
        }
        std::filesystem::permissions(dataDir, std::filesystem::perms::owner_all, ec);
    }
    const std::string dir = dataDir + "/";
    auto caPem = readOrCreate(dir + "ca.cert.pem", create, [&]() -> Expected<std::string, Error> {
        auto made = createKeyAndCertificate(nullptr, nullptr, rootSpec(), *random, now);
        if (!made) {
            return Unexpected(made.error());
        }
        if (auto done = base::writeFileAtomically(dir + "ca.key.pem", made->first, 0600); !done) {
            return Unexpected(fromBase(done.error()));
        }
        return made->second;
    });
    if (!caPem) {
        return Unexpected(caPem.error());
    }
    Cert root = readCert(*caPem);
    if (!root) {
        return Unexpected(Error{Errc::StoreCorrupted, dir + "ca.cert.pem is damaged"});
    }
    // The root key is read only when something must be made with it: it may be offline.
    std::string rootKeyPem;
    auto rootKey = [&](const std::string& purpose) -> Expected<PKey, Error> {
        if (rootKeyPem.empty()) {
            if (!base::fileExists(dir + "ca.key.pem")) {
                return Unexpected(Error{Errc::StoreNotFound, dir + "ca.key.pem (the root CA key) is needed to create " +
                                                                 purpose + ": put it back from its offline copy"});
            }
            auto text = base::readSecretFile(dir + "ca.key.pem", 64 * 1024);
            if (!text) {
                return Unexpected(fromBase(text.error()));
            }
            rootKeyPem = std::move(*text);
        }
        PKey key = readKey(rootKeyPem);
        if (!key || X509_check_private_key(root.get(), key.get()) != 1) {
            return Unexpected(Error{Errc::StoreCorrupted, dir + "ca.key.pem is damaged or not the root's key"});
        }
        return key;
    };
    const bool twoTiers = rootAllowsAnIssuingCa(root.get()) || base::fileExists(dir + "issuing.cert.pem");
    GatewayPki pki;
    if (twoTiers) {
        auto issuing = readOrCreate(dir + "issuing.cert.pem", create, [&]() -> Expected<std::string, Error> {
            auto key = rootKey("the issuing CA");
            if (!key) {
                return Unexpected(key.error());
            }
            auto made = createKeyAndCertificate(root.get(), key->get(), issuingSpec(), *random, now);
            if (!made) {
                return Unexpected(made.error());
            }
            if (auto done = base::writeFileAtomically(dir + "issuing.key.pem", made->first, 0600); !done) {
                return Unexpected(fromBase(done.error()));
            }
            return made->second;
        });
        if (!issuing) {
            return Unexpected(issuing.error());
        }
        auto issuingKey = base::readSecretFile(dir + "issuing.key.pem", 64 * 1024);
        if (!issuingKey) {
            return Unexpected(fromBase(issuingKey.error()));
        }
        Cert issuingCert = readCert(*issuing);
        PKey key = readKey(*issuingKey);
        if (!issuingCert || !key || X509_check_private_key(issuingCert.get(), key.get()) != 1) {
            return Unexpected(Error{Errc::StoreCorrupted, dir + "issuing.key.pem does not match issuing.cert.pem: "
                                                                "roll the issuing CA again (zaitaku-gateway ca roll)"});
        }
        pki.m_issuingPem = std::move(*issuing);
        pki.m_issuingKeyPem = std::move(*issuingKey);
        if (auto done = readIfPresent(dir + "issuing.previous.cert.pem", pki.m_previousIssuingPem); !done) {
            return Unexpected(done.error());
        }
    } else {
        auto key = rootKey("device certificates (this folder's root signs them itself)");
        if (!key) {
            return Unexpected(key.error());
        }
        pki.m_issuingKeyPem = rootKeyPem;
    }
    auto serverCert = readOrCreate(dir + "server.cert.pem", create, [&]() -> Expected<std::string, Error> {
        auto key = rootKey("the server certificate");
        if (!key) {
            return Unexpected(key.error());
        }
        auto made = createKeyAndCertificate(root.get(), key->get(), serverSpec(names), *random, now);
        if (!made) {
            return Unexpected(made.error());
        }
        if (auto done = base::writeFileAtomically(dir + "server.key.pem", made->first, 0600); !done) {
            return Unexpected(fromBase(done.error()));
        }
        return made->second;
    });
    std::fill(rootKeyPem.begin(), rootKeyPem.end(), '\0');
    if (!serverCert) {
        return Unexpected(serverCert.error());
    }
    auto serverKeyPem = base::readSecretFile(dir + "server.key.pem", 64 * 1024);
    if (!serverKeyPem) {
        return Unexpected(fromBase(serverKeyPem.error()));
    }
    {
        Cert server = readCert(*serverCert);
        PKey key = readKey(*serverKeyPem);
        if (!server || !key || X509_check_private_key(server.get(), key.get()) != 1) {
            return Unexpected(Error{Errc::StoreCorrupted, dir + "server.key.pem does not match server.cert.pem: run "
                                                                "zaitaku-gateway server-cert renew --root-key FILE"});
        }
    }
    for (const auto& [file, into] :
         {std::pair{"ca.previous.cert.pem", &pki.m_previousRootPem}, std::pair{"ca.cross.pem", &pki.m_crossPem}}) {
        if (auto done = readIfPresent(dir + file, *into); !done) {
            return Unexpected(done.error());
        }
    }
    auto secrets = readOrCreate(
        dir + "secrets.key", create,
        [&]() -> Expected<std::string, Error> {
            std::string text;
            for (int i = 0; i < 3; ++i) {
                std::vector<std::uint8_t> bytes(32);
                random->fill(bytes);
                text += base::toHex(bytes) + "\n";
            }
            return text;
        },
        Secrecy::Secret);
    if (!secrets) {
        return Unexpected(secrets.error());
    }
    std::istringstream lines(*secrets);
    std::vector<base::Bytes> parts;
    for (std::string line; std::getline(lines, line);) {
        auto bytes = base::fromHex(line);
        if (!bytes || bytes->size() != 32) {
            return Unexpected(Error{Errc::StoreCorrupted, dir + "secrets.key is damaged"});
        }
        parts.push_back(std::move(*bytes));
    }
    if (parts.size() != 3 || !readCert(*serverCert) || !readKey(*serverKeyPem)) {
        return Unexpected(Error{Errc::StoreCorrupted, "a key or certificate file in " + dataDir + " is damaged"});
    }
    unsigned char* der = nullptr;
    const int len = i2d_X509(root.get(), &der);
    pki.m_caDer.assign(reinterpret_cast<const char*>(der), static_cast<std::size_t>(std::max(len, 0)));
    OPENSSL_free(der);
    pki.m_caPem = *caPem;
    pki.m_serverCertPem = *serverCert;
    pki.m_serverKeyPem = *serverKeyPem;
    std::copy(parts[0].begin(), parts[0].end(), pki.m_challengeSecret.data());
    std::copy(parts[1].begin(), parts[1].end(), pki.m_tokenSeed.data());
    std::copy(parts[2].begin(), parts[2].end(), pki.m_databaseKey.data());
    std::fill(parts.begin(), parts.end(), base::Bytes(32, 0));
    return pki;
}

Expected<void, Error> GatewayPki::rollIssuingCa(const std::string& dataDir,
                                                const std::string& rootKeyFile,
                                                base::RandomSource& random,
                                                const base::Timestamp& now)
{
    const std::string dir = dataDir + "/";
    auto current = load(dataDir);
    if (!current) {
        return Unexpected(current.error());
    }
    auto at = rootAtHand(current->m_caPem, rootKeyFile, dir + "ca.cert.pem");
    if (!at) {
        return Unexpected(at.error());
    }
    if (!rootAllowsAnIssuingCa(at->root.get())) {
        return Unexpected(Error{Errc::StoreCorrupted, dir + "ca.cert.pem cannot sign an issuing CA (a root from before "
                                                            "the two tiers): create a new CA and re-enroll"});
    }
    auto made = createKeyAndCertificate(at->root.get(), at->key.get(), issuingSpec(), random, now);
    if (!made) {
        return Unexpected(made.error());
    }
    // The old certificate joins the trusted ones first: a crash after this step leaves both valid,
    // and a crash between the key and the certificate below is refused at load and rolled again.
    if (auto kept = base::writeFileAtomically(dir + "issuing.previous.cert.pem",
                                              current->m_previousIssuingPem + current->m_issuingPem, 0644);
        !kept) {
        return Unexpected(fromBase(kept.error()));
    }
    if (auto done = base::writeFileAtomically(dir + "issuing.key.pem", made->first, 0600); !done) {
        return Unexpected(fromBase(done.error()));
    }
    if (auto done = base::writeFileAtomically(dir + "issuing.cert.pem", made->second, 0644); !done) {
        return Unexpected(fromBase(done.error()));
    }
    return {};
}

Expected<GatewayPki, Error> GatewayPki::loadOrCreate(const std::string& dataDir,
                                                     const std::vector<std::string>& serverNames,
                                                     base::RandomSource& random,
                                                     const base::Timestamp& now)
{
    return loadFrom(dataDir, serverNames, &random, now);
}

Expected<GatewayPki, Error> GatewayPki::load(const std::string& dataDir)
{
    return loadFrom(dataDir, {}, nullptr, base::Timestamp::fromUtc({}));
}

std::string GatewayPki::caFingerprint() const
{
    return protocol::caFingerprintOf(m_caDer);
}

Expected<IssuedDeviceCertificate, Error> GatewayPki::issueDeviceCertificate(const std::string& csrPem,
                                                                            const std::string& deviceId,
                                                                            const base::Timestamp& now,
                                                                            base::RandomSource& random,
                                                                            int validDays) const
{
    Bio bio(BIO_new_mem_buf(csrPem.data(), static_cast<int>(csrPem.size())), BIO_free);
    std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)> csr(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr),
                                                            X509_REQ_free);
    if (!csr) {
        return Unexpected(
            Error{Errc::ProtocolViolation, "field 'csr_pem' is not a PEM certificate request", "csr_pem"});
    }
    PKey requested(X509_REQ_get_pubkey(csr.get()), EVP_PKEY_free);
    if (!requested || X509_REQ_verify(csr.get(), requested.get()) != 1) {
        return Unexpected(Error{Errc::ProtocolViolation, "field 'csr_pem' has no valid self-signature", "csr_pem"});
    }
    if (EVP_PKEY_get_base_id(requested.get()) != EVP_PKEY_EC || EVP_PKEY_get_bits(requested.get()) < 256) {
        return Unexpected(Error{Errc::ProtocolViolation, "field 'csr_pem' must carry a P-256 key", "csr_pem"});
    }
    PKey signerKey = readKey(m_issuingKeyPem);
    Cert signer = readCert(rootSignsDevices() ? m_caPem : m_issuingPem);
    auto cert =
        signCertificate(requested.get(), signer.get(), signerKey.get(), deviceSpec(deviceId, validDays), random, now);
    if (!cert) {
        return Unexpected(cert.error());
    }
    const std::string pem = certPem(cert->get());
    return IssuedDeviceCertificate{pem, serialHexOf(cert->get()), notAfterOf(pem).value_or(now)};
}

std::vector<std::uint8_t> GatewayPki::challengeMac(std::string_view message) const
{
    std::vector<std::uint8_t> mac(32);
    unsigned int len = 32;
    HMAC(EVP_sha256(), m_challengeSecret.data(), static_cast<int>(m_challengeSecret.size()),
         reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(), &len);
    return mac;
}

std::vector<std::uint8_t> GatewayPki::signToken(std::string_view message) const
{
    PKey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, m_tokenSeed.data(), m_tokenSeed.size()),
             EVP_PKEY_free);
    std::vector<std::uint8_t> signature(64);
    std::size_t len = signature.size();
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get());
    EVP_DigestSign(ctx.get(), signature.data(), &len, reinterpret_cast<const unsigned char*>(message.data()),
                   message.size());
    signature.resize(len);
    return signature;
}

std::string GatewayPki::tokenPublicKeyHex() const
{
    PKey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, m_tokenSeed.data(), m_tokenSeed.size()),
             EVP_PKEY_free);
    std::vector<std::uint8_t> raw(32);
    std::size_t len = raw.size();
    EVP_PKEY_get_raw_public_key(key.get(), raw.data(), &len);
    return base::toHex(raw);
}

std::string GatewayPki::serverChainPem() const
{
    std::lock_guard guard(*m_serverMutex);
    // After a root switch the cross certificate goes first: a tablet that pins only the old root
    // still finds a path (server → cross → old root); one that pins the new root stops at it.
    return m_serverCertPem + m_crossPem + m_caPem;
}

std::string GatewayPki::serverKeyPem() const
{
    std::lock_guard guard(*m_serverMutex);
    return m_serverKeyPem;
}

base::Timestamp GatewayPki::serverNotAfter() const
{
    std::lock_guard guard(*m_serverMutex);
    return notAfterOf(m_serverCertPem).value_or(base::Timestamp::fromUtc({}));
}

Expected<void, Error> GatewayPki::useServerCertificate(const std::string& dataDir)
{
    auto fresh = load(dataDir);
    if (!fresh) {
        return Unexpected(fresh.error());
    }
    if (fresh->m_caPem != m_caPem) {
        return Unexpected(Error{Errc::InvalidInput, "the root CA changed (ca switch-root): restart the gateway"});
    }
    std::lock_guard guard(*m_serverMutex);
    m_serverCertPem = fresh->m_serverCertPem;
    m_serverKeyPem = fresh->m_serverKeyPem;
    return {};
}

Expected<void, Error> GatewayPki::renewServerCertificate(const std::string& dataDir,
                                                         const std::vector<std::string>& serverNames,
                                                         const std::string& rootKeyFile,
                                                         base::RandomSource& random,
                                                         const base::Timestamp& now)
{
    const std::string dir = dataDir + "/";
    auto current = load(dataDir);
    if (!current) {
        return Unexpected(current.error());
    }
    const std::string keyFile = rootKeyFile.empty() ? dir + "ca.key.pem" : rootKeyFile;
    if (rootKeyFile.empty() && !base::fileExists(keyFile)) {
        return Unexpected(Error{Errc::StoreNotFound, "the root key is offline: renew with zaitaku-gateway server-cert "
                                                     "renew --root-key FILE"});
    }
    auto at = rootAtHand(current->m_caPem, keyFile, dir + "ca.cert.pem");
    if (!at) {
        return Unexpected(at.error());
    }
    Cert server = readCert(current->m_serverCertPem);
    std::vector<std::string> names = extraServerNames(server.get());
    for (const auto& name : serverNames) {
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(name);
        }
    }
    auto made = createKeyAndCertificate(at->root.get(), at->key.get(), serverSpec(names), random, now);
    if (!made) {
        return Unexpected(made.error());
    }
    // Key first: a crash between the two leaves a pair load() refuses by name, never a silent mix.
    if (auto done = base::writeFileAtomically(dir + "server.key.pem", made->first, 0600); !done) {
        return Unexpected(fromBase(done.error()));
    }
    if (auto done = base::writeFileAtomically(dir + "server.cert.pem", made->second, 0644); !done) {
        return Unexpected(fromBase(done.error()));
    }
    return {};
}

Expected<std::optional<NextRoot>, Error> GatewayPki::nextRoot(const std::string& dataDir)
{
    const std::string dir = dataDir + "/";
    if (!base::fileExists(dir + "ca.next.cert.pem")) {
        return std::optional<NextRoot>();
    }
    auto rootPem = base::readSmallFile(dir + "ca.next.cert.pem", 64 * 1024);
    auto crossPem = base::readSmallFile(dir + "ca.next.cross.pem", 64 * 1024);
    if (!rootPem || !crossPem) {
        return Unexpected(fromBase(!rootPem ? rootPem.error() : crossPem.error()));
    }
    Cert root = readCert(*rootPem);
    unsigned char* der = nullptr;
    const int length = root ? i2d_X509(root.get(), &der) : -1;
    if (length <= 0) {
        return Unexpected(Error{Errc::StoreCorrupted, dir + "ca.next.cert.pem is damaged"});
    }
    const std::string fingerprint = protocol::caFingerprintOf(std::string(reinterpret_cast<char*>(der), length));
    OPENSSL_free(der);
    return std::optional<NextRoot>(NextRoot{*rootPem, *crossPem, fingerprint});
}

Expected<NextRoot, Error> GatewayPki::announceNextRoot(const std::string& dataDir,
                                                       const std::string& rootKeyFile,
                                                       const std::string& newRootKeyOut,
                                                       base::RandomSource& random,
                                                       const base::Timestamp& now)
{
    const std::string dir = dataDir + "/";
    auto current = load(dataDir);
    if (!current) {
        return Unexpected(current.error());
    }
    if (base::fileExists(newRootKeyOut)) {
        return Unexpected(Error{Errc::InvalidInput, newRootKeyOut + " exists: the new root key is never overwritten",
                                "new-root-key-out"});
    }
    auto at = rootAtHand(current->m_caPem, rootKeyFile, dir + "ca.cert.pem");
    if (!at) {
        return Unexpected(at.error());
    }
    // A name of its own: two roots of one name in a tablet's trust list confuse chain building.
    const CertificateSpec spec = rootSpec("zaitaku gateway CA " + now.toString().substr(0, 10));
    PKey key = newP256();
    auto self = signCertificate(key.get(), nullptr, key.get(), spec, random, now);
    CertificateSpec crossSpec = spec;
    crossSpec.extensions.emplace_back(NID_authority_key_identifier, "keyid:always");
    if (!self) {
        return Unexpected(self.error());
    }
    auto cross = signCertificate(key.get(), at->root.get(), at->key.get(), crossSpec, random, now);
    if (!cross) {
        return Unexpected(cross.error());
    }
    if (auto done = base::writeFileAtomically(newRootKeyOut, keyPem(key.get()), 0600); !done) {
        return Unexpected(fromBase(done.error()));
    }
    if (auto done = base::writeFileAtomically(dir + "ca.next.cross.pem", certPem(cross->get()), 0644); !done) {
        return Unexpected(fromBase(done.error()));
    }
    if (auto done = base::writeFileAtomically(dir + "ca.next.cert.pem", certPem(self->get()), 0644); !done) {
        return Unexpected(fromBase(done.error()));
    }
    auto announced = nextRoot(dataDir);
    if (!announced || !*announced) {
        return Unexpected(announced ? Error{Errc::StoreIo, "the next root was not written"} : announced.error());
    }
    return **announced;
}

Expected<void, Error> GatewayPki::switchRoot(const std::string& dataDir,
                                             const std::string& newRootKeyFile,
                                             const std::vector<std::string>& serverNames,
                                             base::RandomSource& random,
                                             const base::Timestamp& now)
{
    const std::string dir = dataDir + "/";
    auto current = load(dataDir);
    auto next = nextRoot(dataDir);
    if (!current || !next) {
        return Unexpected(!current ? current.error() : next.error());
    }
    if (!*next) {
        return Unexpected(Error{Errc::InvalidInput, "no root was announced: run zaitaku-gateway ca roll-root first"});
    }
    auto at = rootAtHand((*next)->rootPem, newRootKeyFile, dir + "ca.next.cert.pem");
    if (!at) {
        return Unexpected(at.error());
    }
    Cert oldServer = readCert(current->m_serverCertPem);
    std::vector<std::string> names = extraServerNames(oldServer.get());
    names.insert(names.end(), serverNames.begin(), serverNames.end());
    auto issuing = createKeyAndCertificate(at->root.get(), at->key.get(), issuingSpec(), random, now);
    if (!issuing) {
        return Unexpected(issuing.error());
    }
    auto server = createKeyAndCertificate(at->root.get(), at->key.get(), serverSpec(names), random, now);
    if (!server) {
        return Unexpected(server.error());
    }
    // The old root and issuing CA join the trusted ones first; the root file is replaced last, so
    // a crash before it leaves the announcement in place and the switch can run again.
    const std::vector<std::pair<std::string, std::string>> steps{
        {"ca.previous.cert.pem", current->m_previousRootPem + current->m_caPem},
        {"issuing.previous.cert.pem", current->m_previousIssuingPem + current->m_issuingPem},
        {"issuing.key.pem", issuing->first},
        {"issuing.cert.pem", issuing->second},
        {"server.key.pem", server->first},
        {"server.cert.pem", server->second},
        {"ca.cross.pem", (*next)->crossPem},
        {"ca.cert.pem", (*next)->rootPem}};
    for (const auto& [file, content] : steps) {
        const bool secret = file.find(".key.") != std::string::npos;
        if (auto done = base::writeFileAtomically(dir + file, content, secret ? 0600 : 0644); !done) {
            return Unexpected(fromBase(done.error()));
        }
    }
    std::error_code ec;
    // The old root's key, if it was still here, is kept under a name that says what it is.
    if (base::fileExists(dir + "ca.key.pem")) {
        std::filesystem::rename(dir + "ca.key.pem", dir + "ca.previous.key.pem", ec);
    }
    std::filesystem::remove(dir + "ca.next.cert.pem", ec);
    std::filesystem::remove(dir + "ca.next.cross.pem", ec);
    return {};
}

std::vector<std::pair<std::string, base::Timestamp>> GatewayPki::expiries() const
{
    std::vector<std::pair<std::string, base::Timestamp>> out;
    std::lock_guard guard(*m_serverMutex);
    for (const auto& [name, pem] : {std::pair<const char*, const std::string*>{"root", &m_caPem},
                                    {"issuing", &m_issuingPem},
                                    {"server", &m_serverCertPem}}) {
        if (auto at = pem->empty() ? std::nullopt : notAfterOf(*pem)) {
            out.emplace_back(name, *at);
        }
    }
    return out;
}

} // namespace zaitaku::sync::gateway
