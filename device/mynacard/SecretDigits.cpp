#include "device/mynacard/SecretDigits.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace zaitaku::device
{

SecretDigits::SecretDigits(SecretDigits&& other) noexcept
    : m_bytes(std::move(other.m_bytes))
{
    other.wipe();
}

SecretDigits& SecretDigits::operator=(SecretDigits&& other) noexcept
{
    if (this != &other) {
        wipe();
        m_bytes = std::move(other.m_bytes);
        other.wipe();
    }
    return *this;
}

SecretDigits::~SecretDigits()
{
    wipe();
}

void SecretDigits::wipe()
{
    if (!m_bytes.empty()) {
        OPENSSL_cleanse(m_bytes.data(), m_bytes.size());
    }
    m_bytes.clear();
}

Expected<SecretDigits, Error> SecretDigits::fromDigits(std::string_view digits, std::size_t length, const char* what)
{
    if (digits.size() != length) {
        return Unexpected(Error{Errc::InvalidInput, what});
    }
    for (char c : digits) {
        if (c < '0' || c > '9') {
            return Unexpected(Error{Errc::InvalidInput, what});
        }
    }
    return SecretDigits(base::Bytes(digits.begin(), digits.end()));
}

base::Bytes SecretDigits::digest(base::ByteView salt) const
{
    base::Bytes out(32);
    unsigned int length = 0;
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
    EVP_DigestUpdate(ctx, salt.data(), salt.size());
    EVP_DigestUpdate(ctx, m_bytes.data(), m_bytes.size());
    EVP_DigestFinal_ex(ctx, out.data(), &length);
    EVP_MD_CTX_free(ctx);
    out.resize(length);
    return out;
}

} // namespace zaitaku::device
