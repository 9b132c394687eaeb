#pragma once

// A short secret made of ASCII digits (the 4-digit PIN, the 14-digit 照合番号B). Never printed,
// never copied into a std::string; the buffer is wiped on destruction.

#include "base/Bytes.h"
#include "device/DeviceError.h"

#include <cstddef>
#include <string_view>

namespace zaitaku::device
{

class SecretDigits
{
public:
    SecretDigits(const SecretDigits&) = delete;
    SecretDigits& operator=(const SecretDigits&) = delete;
    SecretDigits(SecretDigits&& other) noexcept;
    SecretDigits& operator=(SecretDigits&& other) noexcept;
    ~SecretDigits();

    // Exactly `length` ASCII digits, else Errc::InvalidInput (the message never contains the input).
    static Expected<SecretDigits, Error> fromDigits(std::string_view digits, std::size_t length, const char* what);

    base::ByteView bytes() const { return m_bytes; }
    std::size_t size() const { return m_bytes.size(); }
    // A salted digest for "was this exact input already refused?" checks.
    base::Bytes digest(base::ByteView salt) const;

private:
    explicit SecretDigits(base::Bytes bytes)
        : m_bytes(std::move(bytes))
    {}
    void wipe();
    base::Bytes m_bytes;
};

// 利用者証明用電子証明書の暗証番号: 4 digits, 3 tries (docs/design/CARD.md). The PIN pad, the
// card client and this constructor all ask this one constant.
inline constexpr std::size_t kAuthPinDigits = 4;

inline Expected<SecretDigits, Error> makeAuthPin(std::string_view digits)
{
    return SecretDigits::fromDigits(digits, kAuthPinDigits, "the PIN must be 4 digits");
}

} // namespace zaitaku::device
