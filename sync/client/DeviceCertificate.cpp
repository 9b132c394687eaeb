#include "sync/client/DeviceCertificate.h"

#include "sync/client/GatewayLink.h"
#include "sync/protocol/DeviceKeyRequest.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/StoreMeta.h"
#include "sync/sql/Transaction.h"

#include <ctime>
#include <memory>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <vector>

namespace zaitaku::sync::client
{

namespace
{

using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

std::vector<Cert> readCertificates(const std::string& pem)
{
    std::vector<Cert> out;
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        out.emplace_back(cert, X509_free);
    }
    return out;
}

std::optional<base::Timestamp> timeOf(const ASN1_TIME* time)
{
    std::tm tm{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
        return std::nullopt;
    }
    return base::Timestamp::fromUtc(std::chrono::sys_seconds(std::chrono::seconds(timegm(&tm))));
}

std::string pemOf(X509* cert)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509(bio.get(), cert);
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(len));
}

} // namespace

std::optional<CertificateLife> certificateLife(const std::string& certificatePem, const base::Timestamp& now)
{
    auto certs = readCertificates(certificatePem);
    if (certs.empty()) {
        return std::nullopt;
    }
    auto notBefore = timeOf(X509_get0_notBefore(certs.front().get()));
    auto notAfter = timeOf(X509_get0_notAfter(certs.front().get()));
    if (!notBefore || !notAfter) {
        return std::nullopt;
    }
    const auto lifetime = notAfter->utc() - notBefore->utc();
    return CertificateLife{*notAfter, notAfter->utc() - now.utc() < lifetime / 3};
}

Expected<base::Timestamp, Error> renewDeviceCertificate(store::Store& store, GatewayConnection& gateway)
{
    auto& db = store.db();
    auto loaded = GatewayLink::load(db);
    if (!loaded || !*loaded) {
        return Unexpected(!loaded ? loaded.error() : Error{Errc::NotEnrolled, "this tablet is not enrolled"});
    }
    GatewayLink link = **loaded;
    auto request = protocol::makeDeviceKeyRequest(link.deviceId);
    if (!request) {
        return Unexpected(request.error());
    }
    auto response =
        gateway.post("/v1/renew", protocol::dump(protocol::toJson(protocol::RenewRequest{request->csrPem})));
    if (!response) {
        return Unexpected(response.error());
    }
    auto renewed = protocol::parseRenewResponse(response->body);
    if (!renewed) {
        return Unexpected(renewed.error());
    }
    // The certificate must be for the key just made, or the tablet would lock itself out.
    auto certs = readCertificates(renewed->certificatePem);
    std::unique_ptr<BIO, decltype(&BIO_free)> keyBio(
        BIO_new_mem_buf(request->privateKeyPem.data(), static_cast<int>(request->privateKeyPem.size())), BIO_free);
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
        PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr), EVP_PKEY_free);
    if (certs.empty() || !key || X509_check_private_key(certs.front().get(), key.get()) != 1) {
        return Unexpected(Error{Errc::ProtocolViolation,
                                "the renewed certificate is not for the key sent: kept the "
                                "current one",
                                "certificate_pem"});
    }
    link.certificatePem = renewed->certificatePem;
    link.privateKeyPem = request->privateKeyPem;
    auto tx = sql::Transaction::begin(db, sql::Durability::Full);
    if (!tx) {
        return Unexpected(tx.error());
    }
    if (auto done = link.save(db); !done) {
        return Unexpected(done.error());
    }
    if (auto done = sql::AuditLog::append(
            db, {"system", "gateway.renew", link.deviceId, {{"not_after", renewed->notAfter.toString()}}},
            store.clock().nowJst());
        !done) {
        return Unexpected(done.error());
    }
    if (auto done = tx->commit(); !done) {
        return Unexpected(done.error());
    }
    return renewed->notAfter;
}

Expected<std::string, Error> pinAnnouncedRoot(const std::string& pinnedPem,
                                              const protocol::TrustAnchorAnnouncement& announcement)
{
    const auto refused = [](const std::string& why) {
        return Unexpected(
            Error{Errc::SignatureInvalid, "the announced gateway root was not pinned: " + why, "root_pem"});
    };
    auto roots = readCertificates(announcement.rootPem);
    auto crosses = readCertificates(announcement.crossPem);
    if (roots.size() != 1 || crosses.size() != 1) {
        return refused("not one certificate each");
    }
    X509* root = roots.front().get();
    X509* cross = crosses.front().get();
    EVP_PKEY* rootKey = X509_get0_pubkey(root);
    if (rootKey == nullptr || X509_check_ca(root) < 1 || X509_verify(root, rootKey) != 1) {
        return refused("the root is not a self-signed CA");
    }
    if (X509_NAME_cmp(X509_get_subject_name(cross), X509_get_subject_name(root)) != 0 ||
        EVP_PKEY_eq(X509_get0_pubkey(cross), rootKey) != 1) {
        return refused("the cross certificate is for another name or key");
    }
    auto pinned = readCertificates(pinnedPem);
    bool vouched = false;
    for (const auto& current : pinned) {
        if (X509_cmp(current.get(), root) == 0) {
            return pinnedPem; // pinned already
        }
        vouched = vouched || (X509_NAME_cmp(X509_get_issuer_name(cross), X509_get_subject_name(current.get())) == 0 &&
                              X509_verify(cross, X509_get0_pubkey(current.get())) == 1);
    }
    if (!vouched) {
        return refused("the cross certificate is not signed by a pinned root");
    }
    return pinnedPem + pemOf(root);
}

} // namespace zaitaku::sync::client
