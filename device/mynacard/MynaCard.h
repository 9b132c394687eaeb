#pragma once

// The My Number Card client (docs/design/CARD.md §6). Everything goes through MyNumberFirewall, and the PIN
// rules are enforced here, not in the UI:
//   - the remaining tries are read (empty VERIFY, no try spent) before every VERIFY;
//   - a VERIFY is sent only when the caller asks, once per call, never retried;
//   - the same PIN is never sent again after it failed on this card (PinRepeated);
//   - with one try left VERIFY is refused (PinLastTry) unless staff explicitly override;
//   - a blocked or unset PIN is never tried.
// The same rules guard 照合番号B.

#include "base/Date.h"
#include "device/mynacard/Certificate.h"
#include "device/mynacard/MyNumberFirewall.h"
#include "device/mynacard/MynaIds.h"
#include "device/mynacard/SecretDigits.h"
#include "device/reader/ApduExchange.h"

#include <optional>
#include <string>
#include <vector>

namespace zaitaku::device
{

enum class TokenType
{
    PlasticCard, // JPKIAPICCTOKEN…
    Android,     // JPKIAPGPSETOKEN
    IPhone,      // JPKIAPIOSTOKEN
    Unknown,
};

enum class PinState
{
    Available, // triesLeft tries remain
    Blocked,   // reset only at the municipal office
    NotSet,    // face-auth-only card
    Verified,  // already verified in this card session
};

struct PinStatus
{
    PinState state = PinState::Available;
    int triesLeft = 0;
};

// The one PIN try left: a wrong PIN now blocks the card until the municipal office resets it, so
// nothing tries it without a staff member's explicit decision (LastTryOverride) and nothing
// retries a PIN by itself. One place for the rule the card, the visit machine and the screens use.
constexpr bool isLastPinTry(int triesLeft)
{
    return triesLeft <= 1;
}

struct CardInfo
{
    std::string tokenLabel;
    TokenType tokenType = TokenType::Unknown;
    bool signCertPresent = false; // EF 0008 byte 0 == 8F
    bool authPinSet = true; // false: a 顔認証マイナンバーカード, no PIN [derived, unverified on a real card]
    bool faceAuthOnly = false; // no PIN and no sign cert: face or visual only
    PinStatus authPin;         // as read during classification (no try spent)
};

// Explicit staff acknowledgement that the patient will use the card's last PIN try.
struct LastTryOverride
{
    std::string staffId;
};

struct PinOutcome
{
    bool verified = false;
    int triesLeft = 0; // after a wrong PIN
};

struct FacePhoto
{
    base::Bytes jpeg2000;                 // DF27, greyscale JPEG 2000 (JP2); for matching only, never stored
    std::optional<base::Date> birthdate;  // DF22
    std::string sex;                      // DF23: "1", "2", "9"
    std::optional<base::Date> cardExpiry; // DF29
};

class MynaCard
{
public:
    explicit MynaCard(CardChannel& channel, std::chrono::milliseconds timeout = std::chrono::seconds(5));

    Expected<CardInfo, Error> classify();
    Expected<base::Bytes, Error> readAuthCertificate();
    Expected<base::Bytes, Error> readAuthCaCertificate();
    Expected<PinStatus, Error> authPinStatus();
    Expected<PinOutcome, Error> verifyAuthPin(const SecretDigits& pin,
                                              const std::optional<LastTryOverride>& override = std::nullopt);
    // Signs SHA-256 DigestInfo(challenge) with the user-authentication key; the PIN must have been
    // verified on this connection.
    Expected<base::Bytes, Error> signChallenge(base::ByteView challenge);
    Expected<PinStatus, Error> verificationCodeBStatus();
    Expected<FacePhoto, Error> readFacePhoto(const SecretDigits& codeB,
                                             const std::optional<LastTryOverride>& override = std::nullopt);

    const ExchangeStats& stats() const { return m_stats; }

private:
    Expected<ResponseApdu, Error> send(const CommandApdu& command);
    Expected<void, Error> selectApplication(const myna::Aid& aid);
    Expected<void, Error> selectFile(std::uint16_t fid);
    Expected<base::Bytes, Error> readFile(std::size_t maxBytes);
    Expected<base::Bytes, Error> readTlvFile(std::uint16_t fid);
    Expected<PinStatus, Error> queryTries(std::uint16_t keyFid);
    Expected<PinOutcome, Error> verifyGuarded(std::uint16_t keyFid,
                                              const SecretDigits& secret,
                                              const std::optional<LastTryOverride>& override,
                                              std::vector<base::Bytes>& refused);

    MyNumberFirewall m_channel;
    std::chrono::milliseconds m_timeout;
    ExchangeStats m_stats;
    std::optional<myna::Aid> m_selected;
    bool m_authVerified = false;
    base::Bytes m_salt;
    std::vector<base::Bytes> m_refusedPins;
    std::vector<base::Bytes> m_refusedCodesB;
};

} // namespace zaitaku::device
