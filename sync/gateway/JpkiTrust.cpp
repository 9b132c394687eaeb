#include "sync/gateway/JpkiTrust.h"

#include "base/AtomicFile.h"

#include <ctime>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

namespace zaitaku::sync::gateway
{

struct JpkiTrust::State
{
    std::vector<X509*> cas;
    std::vector<X509_CRL*> crls;
    ~State()
    {
        for (auto* c : cas) {
            X509_free(c);
        }
        for (auto* c : crls) {
            X509_CRL_free(c);
        }
    }
};

namespace
{

template <typename T, typename Pem, typename Der> std::vector<T*> readAll(const std::string& text, Pem pem, Der der)
{
    std::vector<T*> out;
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())),
                                                  BIO_free);
    while (T* item = pem(bio.get(), nullptr, nullptr, nullptr)) {
        out.push_back(item);
    }
    if (out.empty()) {
        const unsigned char* p = reinterpret_cast<const unsigned char*>(text.data());
        if (T* item = der(nullptr, &p, static_cast<long>(text.size()))) {
            out.push_back(item);
        }
    }
    return out;
}

} // namespace

Expected<JpkiTrust, Error> JpkiTrust::fromPem(const std::string& caPem, const std::string& crlPem)
{
    auto state = std::make_shared<State>();
    state->cas = readAll<X509>(caPem, PEM_read_bio_X509, d2i_X509);
    if (state->cas.empty()) {
        return Unexpected(Error{Errc::InvalidInput, "the JPKI CA file holds no certificate", "jpki_ca"});
    }
    if (!crlPem.empty()) {
        state->crls = readAll<X509_CRL>(crlPem, PEM_read_bio_X509_CRL, d2i_X509_CRL);
        if (state->crls.empty()) {
            return Unexpected(Error{Errc::InvalidInput, "the JPKI CRL file holds no revocation list", "jpki_crl"});
        }
        for (auto* crl : state->crls) {
            bool signedByCa = false;
            for (auto* ca : state->cas) {
                EVP_PKEY* key = X509_get0_pubkey(ca);
                signedByCa = signedByCa || (key && X509_CRL_verify(crl, key) == 1);
            }
            if (!signedByCa) {
                return Unexpected(
                    Error{Errc::SignatureInvalid, "the JPKI CRL is not signed by a configured CA", "jpki_crl"});
            }
        }
    }
    JpkiTrust trust;
    trust.m_shared->state = std::move(state);
    return trust;
}

Expected<JpkiTrust, Error> JpkiTrust::load(const std::vector<std::string>& caFiles, const std::string& crlFile)
{
    std::string caText;
    for (const auto& file : caFiles) {
        auto text = base::readSmallFile(file, 1024 * 1024);
        if (!text) {
            return Unexpected(Error{Errc::InvalidInput, "cannot read the JPKI CA file " + file, "jpki_ca"});
        }
        caText += *text;
    }
    std::string crlText;
    if (!crlFile.empty()) {
        auto text = base::readSmallFile(crlFile, 64 * 1024 * 1024);
        if (!text) {
            return Unexpected(Error{Errc::InvalidInput, "cannot read the JPKI CRL file " + crlFile, "jpki_crl"});
        }
        crlText = std::move(*text);
    }
    return fromPem(caText, crlText);
}

std::shared_ptr<const JpkiTrust::State> JpkiTrust::state() const
{
    std::lock_guard lock(m_shared->mutex);
    return m_shared->state;
}

void JpkiTrust::replaceWith(const JpkiTrust& other)
{
    auto next = other.state();
    std::lock_guard lock(m_shared->mutex);
    m_shared->state = std::move(next);
}

bool JpkiTrust::hasRevocationList() const
{
    const auto s = state();
    return s && !s->crls.empty();
}

namespace
{

// The earliest (or latest) of one time field over the lists.
std::optional<base::Timestamp>
crlTime(const std::vector<X509_CRL*>& crls, const ASN1_TIME* (*field)(const X509_CRL*), bool earliest)
{
    std::optional<base::Timestamp> pick;
    for (auto* crl : crls) {
        const ASN1_TIME* time = field(crl);
        std::tm tm{};
        if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
            continue;
        }
        const auto at = base::Timestamp::fromUtc(std::chrono::sys_seconds(std::chrono::seconds(::timegm(&tm))));
        if (!pick || (earliest ? at.utc() < pick->utc() : at.utc() > pick->utc())) {
            pick = at;
        }
    }
    return pick;
}

} // namespace

std::optional<base::Timestamp> JpkiTrust::crlNextUpdate() const
{
    const auto s = state();
    return crlTime(s ? s->crls : std::vector<X509_CRL*>{}, X509_CRL_get0_nextUpdate, true);
}

std::optional<base::Timestamp> JpkiTrust::crlLastUpdate() const
{
    const auto s = state();
    return crlTime(s ? s->crls : std::vector<X509_CRL*>{}, X509_CRL_get0_lastUpdate, false);
}

Expected<void, Error> JpkiTrust::check(const std::string& certificateDer, const base::Timestamp& at) const
{
    const auto current = state(); // one list for the whole check, however often it is replaced
    if (!current) {
        return Unexpected(Error{Errc::SignatureInvalid, "no JPKI CA is configured: card signatures cannot be checked"});
    }
    const unsigned char* p = reinterpret_cast<const unsigned char*>(certificateDer.data());
    std::unique_ptr<X509, decltype(&X509_free)> cert(d2i_X509(nullptr, &p, static_cast<long>(certificateDer.size())),
                                                     X509_free);
    if (!cert) {
        return Unexpected(
            Error{Errc::SignatureInvalid, "the card certificate cannot be parsed", "auth_certificate_der"});
    }
    std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
    for (auto* ca : current->cas) {
        X509_STORE_add_cert(store.get(), ca);
    }
    for (auto* crl : current->crls) {
        X509_STORE_add_crl(store.get(), crl);
    }
    std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), X509_STORE_CTX_free);
    X509_STORE_CTX_init(ctx.get(), store.get(), cert.get(), nullptr);
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(at.utc().time_since_epoch().count()));
    if (!current->crls.empty()) {
        X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_CRL_CHECK);
    }
    if (X509_verify_cert(ctx.get()) == 1) {
        return {};
    }
    const int code = X509_STORE_CTX_get_error(ctx.get());
    std::string reason = X509_verify_cert_error_string(code);
    if (code == X509_V_ERR_CERT_REVOKED) {
        reason = "the card certificate is on the CA's revocation list";
    } else if (code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY || code == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
               code == X509_V_ERR_CERT_SIGNATURE_FAILURE) {
        reason = "the card certificate was not issued by the configured JPKI CA (" + reason + ")";
    }
    return Unexpected(Error{Errc::SignatureInvalid, reason, "auth_certificate_der"});
}

} // namespace zaitaku::sync::gateway
