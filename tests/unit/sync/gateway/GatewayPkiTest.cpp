// The gateway's certificate authority in two tiers (security review M9): the root signs the
// server certificate and an issuing CA; the serving process signs devices with the issuing CA,
// which may only vouch for TLS clients, so the root key can be kept offline and a stolen
// issuing key cannot impersonate the gateway to its tablets.

#include "sync/gateway/GatewayPki.h"

#include "base/AtomicFile.h"
#include "sync/client/GatewayLink.h"
#include "sync/protocol/DeviceKeyRequest.h"
#include "tests/support/StoreFixture.h"

#include <filesystem>
#include <memory>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <gtest/gtest.h>

namespace zaitaku::sync::gateway
{
namespace
{

using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

Cert readCert(const std::string& pem)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
}

std::string fileText(const std::filesystem::path& path)
{
    return base::readSmallFile(path.string(), 64 * 1024).value_or("");
}

std::vector<Cert> readCerts(const std::string& pem)
{
    std::vector<Cert> out;
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        out.emplace_back(cert, X509_free);
    }
    return out;
}

// Whether `leafPem` chains to the root in `dir` for `purpose`, as libssl checks a peer
// (X509_PURPOSE_SSL_SERVER on the tablet, _CLIENT at the gateway); `intermediatesPem` are in
// the trust store beside the root, as the gateway's client trust holds them.
bool chainsFor(const std::filesystem::path& dir,
               const std::string& leafPem,
               const std::string& intermediatesPem,
               int purpose)
{
    Cert root = readCert(fileText(dir / "ca.cert.pem"));
    Cert leaf = readCert(leafPem);
    auto intermediates = readCerts(intermediatesPem);
    if (!root || !leaf || intermediates.empty()) {
        return false;
    }
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
    X509_STORE_add_cert(store.get(), root.get());
    for (const auto& intermediate : intermediates) {
        X509_STORE_add_cert(store.get(), intermediate.get());
    }
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
    X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr);
    X509_STORE_CTX_set_purpose(ctx.get(), purpose);
    return X509_verify_cert(ctx.get()) == 1;
}

// A server certificate for localhost signed with the issuing CA's key: what a thief of the
// serving host's files could make.
std::string serverCertificateMintedWithTheIssuingKey(const std::filesystem::path& dir)
{
    auto keyText = fileText(dir / "issuing.key.pem");
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(keyText.data(), static_cast<int>(keyText.size())),
                                                  BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> issuingKey(
        PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
    Cert issuing = readCert(fileText(dir / "issuing.cert.pem"));
    if (!issuingKey || !issuing) {
        return {};
    }
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    Cert cert(X509_new(), X509_free);
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 7);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>("zaitaku gateway"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), X509_get_subject_name(issuing.get()));
    X509_set_pubkey(cert.get(), key.get());
    X509V3_CTX v3;
    X509V3_set_ctx(&v3, issuing.get(), cert.get(), nullptr, nullptr, 0);
    for (const auto& [nid, value] :
         {std::pair{NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1"}, std::pair{NID_ext_key_usage, "serverAuth"}}) {
        X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &v3, nid, value);
        X509_add_ext(cert.get(), ext, -1);
        X509_EXTENSION_free(ext);
    }
    X509_sign(cert.get(), issuingKey.get(), EVP_sha256());
    std::unique_ptr<BIO, decltype(&BIO_free)> out(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509(out.get(), cert.get());
    char* data = nullptr;
    const long len = BIO_get_mem_data(out.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

class GatewayPkiTest : public ::testing::Test
{
protected:
    void SetUp() override { ASSERT_TRUE(GatewayPki::loadOrCreate(dir.string(), {}, random, now)); }
    void TearDown() override { std::filesystem::remove_all(dir); }

    std::filesystem::path dir = testing::makeTempDir("zaitaku-pki");
    base::SeededRandom random{3};
    base::Timestamp now = base::Timestamp::parse("2026-12-06T10:00:00+09:00").value();
};

TEST_F(GatewayPkiTest, TheServingProcessSignsDevicesWithoutTheRootKey)
{
    // The operator moved the root key to offline media after the first start.
    std::filesystem::remove(dir / "ca.key.pem");
    auto pki = GatewayPki::load(dir.string());
    ASSERT_TRUE(pki) << pki.error().message;
    auto again = GatewayPki::loadOrCreate(dir.string(), {}, random, now); // serve finds nothing to create
    ASSERT_TRUE(again) << again.error().message;
    auto request = protocol::makeDeviceKeyRequest("tablet-1").value();
    auto issued = pki->issueDeviceCertificate(request.csrPem, "d-0011223344556677", now, random);
    ASSERT_TRUE(issued) << issued.error().message;
    const std::string issuingPem = fileText(dir / "issuing.cert.pem");
    EXPECT_TRUE(chainsFor(dir, issued->certificatePem, issuingPem, X509_PURPOSE_SSL_CLIENT));
    // Issued by the issuing CA, not the root: the gateway's client trust names both.
    Cert device = readCert(issued->certificatePem);
    Cert issuing = readCert(issuingPem);
    ASSERT_TRUE(device && issuing);
    EXPECT_EQ(X509_check_issued(issuing.get(), device.get()), X509_V_OK);
    EXPECT_NE(pki->clientCaPem().find(issuingPem), std::string::npos);
    EXPECT_NE(pki->clientCaPem().find(pki->caPem()), std::string::npos);
    // Tablets still pin the root: the enrollment code's fingerprint is unchanged by the move.
    EXPECT_EQ(pki->caFingerprint(), again->caFingerprint());
}

TEST_F(GatewayPkiTest, TheIssuingKeyCannotVouchForAServer)
{
    const std::string issuingPem = fileText(dir / "issuing.cert.pem");
    const std::string minted = serverCertificateMintedWithTheIssuingKey(dir);
    ASSERT_FALSE(minted.empty());
    EXPECT_FALSE(chainsFor(dir, minted, issuingPem, X509_PURPOSE_SSL_SERVER));
    // The genuine server certificate is the root's and passes the same check.
    EXPECT_TRUE(chainsFor(dir, fileText(dir / "server.cert.pem"), issuingPem, X509_PURPOSE_SSL_SERVER));
}

TEST_F(GatewayPkiTest, WhatNeedsTheRootKeyNamesIt)
{
    std::filesystem::remove(dir / "ca.key.pem");
    std::filesystem::remove(dir / "server.cert.pem");
    auto pki = GatewayPki::loadOrCreate(dir.string(), {}, random, now);
    ASSERT_FALSE(pki);
    EXPECT_NE(pki.error().message.find("ca.key.pem"), std::string::npos) << pki.error().message;
}

TEST_F(GatewayPkiTest, ANewIssuingCaKeepsEarlierDevicesValid)
{
    auto pki = GatewayPki::load(dir.string()).value();
    auto request = protocol::makeDeviceKeyRequest("tablet-1").value();
    auto before = pki.issueDeviceCertificate(request.csrPem, "d-0011223344556677", now, random).value();
    const std::string oldIssuing = fileText(dir / "issuing.cert.pem");
    auto rolled = GatewayPki::rollIssuingCa(dir.string(), (dir / "ca.key.pem").string(), random, now);
    ASSERT_TRUE(rolled) << rolled.error().message;
    auto after = GatewayPki::load(dir.string()).value();
    EXPECT_NE(fileText(dir / "issuing.cert.pem"), oldIssuing);
    auto later = after.issueDeviceCertificate(request.csrPem, "d-8899aabbccddeeff", now, random).value();
    // The gateway trusts both issuing certificates until the earlier one's devices are gone.
    EXPECT_NE(after.clientCaPem().find(oldIssuing), std::string::npos);
    EXPECT_TRUE(chainsFor(dir, before.certificatePem, after.clientCaPem(), X509_PURPOSE_SSL_CLIENT));
    EXPECT_TRUE(chainsFor(dir, later.certificatePem, after.clientCaPem(), X509_PURPOSE_SSL_CLIENT));
    EXPECT_EQ(after.caFingerprint(), pki.caFingerprint());
}

} // namespace
} // namespace zaitaku::sync::gateway
