#include "sync/protocol/DeviceKeyRequest.h"

#include <memory>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace zaitaku::sync::protocol
{

namespace
{
std::string bioText(BIO* bio)
{
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(len));
}
} // namespace

Expected<DeviceKeyRequest, Error> makeDeviceKeyRequest(const std::string& label)
{
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    std::unique_ptr<X509_REQ, decltype(&X509_REQ_free)> req(X509_REQ_new(), X509_REQ_free);
    if (!key || !req) {
        return Unexpected(Error{Errc::TlsFailure, "cannot create the device key"});
    }
    X509_REQ_set_version(req.get(), 0);
    X509_NAME* name = X509_REQ_get_subject_name(req.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(label.c_str()), -1, -1,
                               0);
    X509_REQ_set_pubkey(req.get(), key.get());
    if (X509_REQ_sign(req.get(), key.get(), EVP_sha256()) <= 0) {
        return Unexpected(Error{Errc::TlsFailure, "cannot sign the certificate request"});
    }
    std::unique_ptr<BIO, decltype(&BIO_free)> keyBio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    std::unique_ptr<BIO, decltype(&BIO_free)> reqBio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509_REQ(reqBio.get(), req.get());
    return DeviceKeyRequest{bioText(keyBio.get()), bioText(reqBio.get())};
}

std::string certificatePem(const std::string& der)
{
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<X509, decltype(&X509_free)> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
    if (!cert) {
        return {};
    }
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
    PEM_write_bio_X509(bio.get(), cert.get());
    return bioText(bio.get());
}

} // namespace zaitaku::sync::protocol
