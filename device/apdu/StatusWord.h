#pragma once

// Status words the My Number Card and the transport use (docs/design/CARD.md §7, JICSAP wording).

#include <cstdint>
#include <optional>
#include <string_view>

namespace zaitaku::device::sw
{

inline constexpr std::uint16_t kOk = 0x9000;
inline constexpr std::uint16_t kEndOfFileWarning = 0x6282;
inline constexpr std::uint16_t kVerifyFailedNoLimit = 0x6300;
inline constexpr std::uint16_t kWrongLength = 0x6700;
inline constexpr std::uint16_t kLogicalChannelNotSupported = 0x6881;
inline constexpr std::uint16_t kSecurityNotSatisfied = 0x6982;
inline constexpr std::uint16_t kAuthMethodBlocked = 0x6983;
inline constexpr std::uint16_t kReferenceBlocked = 0x6984;
inline constexpr std::uint16_t kConditionsNotSatisfied = 0x6985;
inline constexpr std::uint16_t kNoCurrentEf = 0x6986;
inline constexpr std::uint16_t kFileNotFound = 0x6A82;
inline constexpr std::uint16_t kIncorrectP1P2 = 0x6A86;
inline constexpr std::uint16_t kOffsetBeyondEf = 0x6B00;
inline constexpr std::uint16_t kInsNotSupported = 0x6D00;
inline constexpr std::uint16_t kClaNotSupported = 0x6E00;

// 63Cx: a credential check failed (or was only queried) and x tries remain.
inline bool isRetryCounter(std::uint16_t s)
{
    return (s & 0xFFF0) == 0x63C0;
}
inline int retriesLeft(std::uint16_t s)
{
    return s & 0x000F;
}
// 63C0, 6983 and 6984 all mean the credential is blocked (docs/design/CARD.md A4).
inline bool isBlocked(std::uint16_t s)
{
    return s == 0x63C0 || s == kAuthMethodBlocked || s == kReferenceBlocked;
}
inline bool isMoreData(std::uint16_t s)
{
    return (s & 0xFF00) == 0x6100;
}
inline bool isWrongLe(std::uint16_t s)
{
    return (s & 0xFF00) == 0x6C00;
}

std::string_view describe(std::uint16_t s);

} // namespace zaitaku::device::sw
