#pragma once

// Application and file identifiers of the My Number Card (docs/design/CARD.md §2–§3, [OSS×4–5]).

#include "base/Bytes.h"

#include <array>
#include <cstdint>

namespace zaitaku::device::myna
{

using Aid = std::array<std::uint8_t, 10>;

inline constexpr Aid kJpkiAid{0xD3, 0x92, 0xF0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01};
// 券面事項入力補助AP: holds the 個人番号. The appliance never selects it.
inline constexpr Aid kTextAid{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08};
// 券面事項確認AP: the card face and photo.
inline constexpr Aid kSurfaceAid{0xD3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02};

// JPKI AP
inline constexpr std::uint16_t kSignCert = 0x0001;
inline constexpr std::uint16_t kSignCaCert = 0x0002;
inline constexpr std::uint16_t kTokenInfo = 0x0006;
inline constexpr std::uint16_t kCertAvailability = 0x0008;
inline constexpr std::uint16_t kAuthCert = 0x000A;
inline constexpr std::uint16_t kAuthCaCert = 0x000B;
inline constexpr std::uint16_t kAuthKey = 0x0017;
inline constexpr std::uint16_t kAuthPin = 0x0018;
inline constexpr std::uint16_t kSignKey = 0x001A;
inline constexpr std::uint16_t kSignPassword = 0x001B;

// 券面事項確認AP
inline constexpr std::uint16_t kCardFace = 0x0002;
inline constexpr std::uint16_t kMyNumberImage = 0x0005; // opened by 照合番号A only: never
inline constexpr std::uint16_t kBirthDateKey = 0x0011;
inline constexpr std::uint16_t kVerificationCodeBKey = 0x0012;
inline constexpr std::uint16_t kVerificationCodeAKey = 0x0013; // 照合番号A: never

// 券面事項入力補助AP (known only to refuse it)
inline constexpr std::uint16_t kTextMyNumber = 0x0001;
inline constexpr std::uint16_t kTextVerificationCodeA = 0x0014;

// Card face (EF 0002 of the surface AP) tags
inline constexpr std::uint32_t kFaceOuterTag = 0xFF20;
inline constexpr std::uint32_t kFaceBirthDate = 0xDF22;
inline constexpr std::uint32_t kFaceSex = 0xDF23;
inline constexpr std::uint32_t kFacePhoto = 0xDF27;
inline constexpr std::uint32_t kFaceSignature = 0xDF28;
inline constexpr std::uint32_t kFaceCardExpiry = 0xDF29;

inline base::Bytes bytesOf(const Aid& aid)
{
    return base::Bytes(aid.begin(), aid.end());
}

} // namespace zaitaku::device::myna
