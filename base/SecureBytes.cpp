#include "base/SecureBytes.h"

#include <new>
#include <openssl/crypto.h>
#include <sys/mman.h>

namespace zaitaku::base
{

SecureBytes::SecureBytes(std::size_t size)
    : m_data(new std::uint8_t[size == 0 ? 1 : size]())
    , m_size(size)
{
    // Best effort: mlock fails without CAP_IPC_LOCK beyond RLIMIT_MEMLOCK; wiping still happens.
    (void)mlock(m_data, m_size);
}

SecureBytes::SecureBytes(SecureBytes&& other) noexcept
    : m_data(other.m_data)
    , m_size(other.m_size)
{
    other.m_data = nullptr;
    other.m_size = 0;
}

SecureBytes& SecureBytes::operator=(SecureBytes&& other) noexcept
{
    if (this != &other) {
        release();
        m_data = other.m_data;
        m_size = other.m_size;
        other.m_data = nullptr;
        other.m_size = 0;
    }
    return *this;
}

SecureBytes::~SecureBytes()
{
    release();
}

void SecureBytes::release()
{
    if (m_data != nullptr) {
        OPENSSL_cleanse(m_data, m_size);
        (void)munlock(m_data, m_size);
        delete[] m_data;
        m_data = nullptr;
        m_size = 0;
    }
}

} // namespace zaitaku::base
