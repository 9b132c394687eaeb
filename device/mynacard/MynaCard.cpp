#include "device/mynacard/MynaCard.h"

#include "device/apdu/BerTlv.h"

#include <algorithm>
#include <openssl/rand.h>

namespace zaitaku::device
{

namespace
{

constexpr std::size_t kChunk = 256;
constexpr std::size_t kMaxFile = 0x7FFF; // READ BINARY offsets are 15 bits

Error unexpectedSw(const char* what, std::uint16_t s)
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04X", s);
    return Error{Errc::TransmitFailed, std::string(what) + ": " + buf + " (" + std::string(sw::describe(s)) + ")"};
}

CommandApdu selectEf(std::uint16_t fid)
{
    return CommandApdu{0x00, 0xA4, 0x02, 0x0C, {static_cast<std::uint8_t>(fid >> 8), static_cast<std::uint8_t>(fid)},
                       {}};
}

TokenType tokenTypeOf(const std::string& label)
{
    if (label.rfind("JPKIAPICCTOKEN", 0) == 0) {
        return TokenType::PlasticCard;
    }
    if (label.rfind("JPKIAPGPSETOKEN", 0) == 0) {
        return TokenType::Android;
    }
    if (label.rfind("JPKIAPIOSTOKEN", 0) == 0) {
        return TokenType::IPhone;
    }
    return TokenType::Unknown;
}

std::optional<base::Date> compactDate(base::ByteView v)
{
    auto d = base::Date::parseCompact(std::string(v.begin(), v.end()));
    return d ? std::optional<base::Date>(*d) : std::nullopt;
}

} // namespace

MynaCard::MynaCard(CardChannel& channel, std::chrono::milliseconds timeout)
    : m_channel(channel)
    , m_timeout(timeout)
    , m_salt(16)
{
    RAND_bytes(m_salt.data(), static_cast<int>(m_salt.size()));
}

Expected<ResponseApdu, Error> MynaCard::send(const CommandApdu& command)
{
    return exchange(m_channel, command, m_timeout, &m_stats);
}

Expected<void, Error> MynaCard::selectApplication(const myna::Aid& aid)
{
    if (m_selected == aid) {
        return {};
    }
    auto r = send(CommandApdu{0x00, 0xA4, 0x04, 0x0C, myna::bytesOf(aid), {}});
    if (!r) {
        return Unexpected(r.error());
    }
    if (r->sw == sw::kFileNotFound) {
        return Unexpected(Error{Errc::UnsupportedCard, "not a My Number Card (application not found)"});
    }
    if (!r->ok()) {
        return Unexpected(unexpectedSw("SELECT application", r->sw));
    }
    m_selected = aid;
    return {};
}

Expected<void, Error> MynaCard::selectFile(std::uint16_t fid)
{
    auto r = send(selectEf(fid));
    if (!r) {
        return Unexpected(r.error());
    }
    if (!r->ok()) {
        return Unexpected(r->sw == sw::kFileNotFound ? Error{Errc::UnsupportedCard, "file not on this card"}
                                                     : unexpectedSw("SELECT file", r->sw));
    }
    return {};
}

// Reads the current EF from offset 0 until `maxBytes`, a short read, or end of file.
Expected<base::Bytes, Error> MynaCard::readFile(std::size_t maxBytes)
{
    base::Bytes out;
    while (out.size() < maxBytes) {
        const std::size_t want = std::min(kChunk, maxBytes - out.size());
        const std::size_t offset = out.size();
        auto r = send(CommandApdu{0x00,
                                  0xB0,
                                  static_cast<std::uint8_t>((offset >> 8) & 0x7F),
                                  static_cast<std::uint8_t>(offset & 0xFF),
                                  {},
                                  static_cast<std::uint32_t>(want)});
        if (!r) {
            return Unexpected(r.error());
        }
        if (r->sw == sw::kOffsetBeyondEf || r->sw == sw::kEndOfFileWarning) {
            out.insert(out.end(), r->data.begin(), r->data.end());
            break;
        }
        if (r->sw == sw::kSecurityNotSatisfied) {
            return Unexpected(Error{Errc::TransmitFailed, "the file is locked (security status not satisfied)"});
        }
        if (!r->ok()) {
            return Unexpected(unexpectedSw("READ BINARY", r->sw));
        }
        if (r->data.size() > want) {
            return Unexpected(Error{Errc::MalformedResponse, "the card returned more bytes than asked"});
        }
        out.insert(out.end(), r->data.begin(), r->data.end());
        if (r->data.size() < want) {
            break;
        }
    }
    return out;
}

// A file holding one BER-TLV (certificate, card face): the first chunk gives the header, the
// header gives the length, the rest is read in 256-byte chunks.
Expected<base::Bytes, Error> MynaCard::readTlvFile(std::uint16_t fid)
{
    if (auto s = selectFile(fid); !s) {
        return Unexpected(s.error());
    }
    auto first = readFile(kChunk);
    if (!first) {
        return first;
    }
    auto header = parseTlvHeader(*first);
    if (!header) {
        return Unexpected(header.error());
    }
    const std::size_t total = header->totalLength();
    if (total > kMaxFile) {
        return Unexpected(Error{Errc::MalformedResponse, "TLV longer than a file can be"});
    }
    base::Bytes out = std::move(*first);
    if (out.size() > total) {
        out.resize(total);
    }
    while (out.size() < total) {
        const std::size_t offset = out.size();
        const std::size_t want = std::min(kChunk, total - offset);
        auto r = send(CommandApdu{0x00,
                                  0xB0,
                                  static_cast<std::uint8_t>((offset >> 8) & 0x7F),
                                  static_cast<std::uint8_t>(offset & 0xFF),
                                  {},
                                  static_cast<std::uint32_t>(want)});
        if (!r) {
            return Unexpected(r.error());
        }
        if (!r->ok() || r->data.empty() || r->data.size() > want) {
            return Unexpected(Error{Errc::MalformedResponse, "the file ended before its TLV length"});
        }
        out.insert(out.end(), r->data.begin(), r->data.end());
    }
    return out;
}

Expected<CardInfo, Error> MynaCard::classify()
{
    if (auto s = selectApplication(myna::kJpkiAid); !s) {
        return Unexpected(s.error());
    }
    CardInfo info;
    if (auto s = selectFile(myna::kTokenInfo); !s) {
        return Unexpected(s.error());
    }
    auto token = readFile(32);
    if (!token) {
        return Unexpected(token.error());
    }
    std::string label(token->begin(), token->end());
    label.erase(std::find_if(label.rbegin(), label.rend(), [](char c) { return c != ' ' && c != '\0'; }).base(),
                label.end());
    info.tokenLabel = label;
    info.tokenType = tokenTypeOf(label);
    if (auto s = selectFile(myna::kCertAvailability); !s) {
        return Unexpected(s.error());
    }
    auto availability = readFile(3);
    if (!availability) {
        return Unexpected(availability.error());
    }
    info.signCertPresent = !availability->empty() && (*availability)[0] == 0x8F;
    auto pin = authPinStatus();
    if (!pin) {
        return Unexpected(pin.error());
    }
    info.authPin = *pin;
    info.authPinSet = pin->state != PinState::NotSet;
    info.faceAuthOnly = !info.authPinSet && !info.signCertPresent;
    return info;
}

Expected<base::Bytes, Error> MynaCard::readAuthCertificate()
{
    if (auto s = selectApplication(myna::kJpkiAid); !s) {
        return Unexpected(s.error());
    }
    return readTlvFile(myna::kAuthCert);
}

Expected<base::Bytes, Error> MynaCard::readAuthCaCertificate()
{
    if (auto s = selectApplication(myna::kJpkiAid); !s) {
        return Unexpected(s.error());
    }
    return readTlvFile(myna::kAuthCaCert);
}

Expected<PinStatus, Error> MynaCard::queryTries(std::uint16_t keyFid)
{
    auto select = send(selectEf(keyFid));
    if (!select) {
        return Unexpected(select.error());
    }
    if (select->sw == sw::kFileNotFound) {
        return PinStatus{PinState::NotSet, 0};
    }
    if (!select->ok()) {
        return Unexpected(unexpectedSw("SELECT key", select->sw));
    }
    auto r = send(CommandApdu{0x00, 0x20, 0x00, 0x80, {}, {}});
    if (!r) {
        return Unexpected(r.error());
    }
    if (sw::isBlocked(r->sw)) {
        return PinStatus{PinState::Blocked, 0};
    }
    if (sw::isRetryCounter(r->sw)) {
        return PinStatus{PinState::Available, sw::retriesLeft(r->sw)};
    }
    if (r->ok()) {
        return PinStatus{PinState::Verified, 0};
    }
    return Unexpected(unexpectedSw("PIN status", r->sw));
}

Expected<PinStatus, Error> MynaCard::authPinStatus()
{
    if (auto s = selectApplication(myna::kJpkiAid); !s) {
        return Unexpected(s.error());
    }
    return queryTries(myna::kAuthPin);
}

Expected<PinOutcome, Error> MynaCard::verifyGuarded(std::uint16_t keyFid,
                                                    const SecretDigits& secret,
                                                    const std::optional<LastTryOverride>& override,
                                                    std::vector<base::Bytes>& refused)
{
    const base::Bytes digest = secret.digest(m_salt);
    if (std::find(refused.begin(), refused.end(), digest) != refused.end()) {
        return Unexpected(Error{Errc::PinRepeated, "this input already failed on this card; it is not sent again"});
    }
    auto status = queryTries(keyFid);
    if (!status) {
        return Unexpected(status.error());
    }
    switch (status->state) {
    case PinState::NotSet:
        return Unexpected(Error{Errc::UnsupportedCard, "this card has no PIN: use face or visual confirmation"});
    case PinState::Blocked:
        return Unexpected(Error{Errc::PinBlocked, "blocked: the municipal office can reset it"});
    case PinState::Verified:
        return PinOutcome{true, 0};
    case PinState::Available:
        break;
    }
    if (isLastPinTry(status->triesLeft) && !(override && !override->staffId.empty())) {
        return Unexpected(
            Error{Errc::PinLastTry, "one try left: use face or visual confirmation, or a staff override"});
    }
    CommandApdu verify{0x00, 0x20, 0x00, 0x80, base::Bytes(secret.bytes().begin(), secret.bytes().end()), {}};
    const base::WipeOnExit wipeVerify(verify.data);
    auto r = send(verify);
    if (!r) {
        return Unexpected(r.error());
    }
    if (r->ok()) {
        return PinOutcome{true, 0};
    }
    if (sw::isBlocked(r->sw)) {
        refused.push_back(digest);
        return Unexpected(Error{Errc::PinBlocked, "wrong; now blocked: the municipal office can reset it"});
    }
    if (sw::isRetryCounter(r->sw)) {
        refused.push_back(digest);
        return PinOutcome{false, sw::retriesLeft(r->sw)};
    }
    return Unexpected(unexpectedSw("VERIFY", r->sw));
}

Expected<PinOutcome, Error> MynaCard::verifyAuthPin(const SecretDigits& pin,
                                                    const std::optional<LastTryOverride>& override)
{
    if (pin.size() != kAuthPinDigits) {
        return Unexpected(Error{Errc::InvalidInput, "the PIN must be 4 digits"});
    }
    if (auto s = selectApplication(myna::kJpkiAid); !s) {
        return Unexpected(s.error());
    }
    auto outcome = verifyGuarded(myna::kAuthPin, pin, override, m_refusedPins);
    if (outcome && outcome->verified) {
        m_authVerified = true;
    }
    return outcome;
}

Expected<base::Bytes, Error> MynaCard::signChallenge(base::ByteView challenge)
{
    if (challenge.empty() || challenge.size() > 4096) {
        return Unexpected(Error{Errc::InvalidInput, "the challenge must be 1..4096 bytes"});
    }
    if (!m_authVerified) {
        return Unexpected(Error{Errc::InvalidInput, "verify the PIN on this connection before signing"});
    }
    if (auto s = selectApplication(myna::kJpkiAid); !s) {
        return Unexpected(s.error());
    }
    if (auto s = selectFile(myna::kAuthKey); !s) {
        return Unexpected(s.error());
    }
    auto r = send(CommandApdu{0x80, 0x2A, 0x00, 0x80, sha256DigestInfo(challenge), 256u});
    if (!r) {
        return Unexpected(r.error());
    }
    if (r->sw == sw::kSecurityNotSatisfied) {
        m_authVerified = false;
        return Unexpected(Error{Errc::CardReset, "the card no longer holds the verified PIN (was it reset?)"});
    }
    if (!r->ok() || r->data.size() != 256) {
        return Unexpected(unexpectedSw("COMPUTE DIGITAL SIGNATURE", r->sw));
    }
    return r->data;
}

Expected<PinStatus, Error> MynaCard::verificationCodeBStatus()
{
    if (auto s = selectApplication(myna::kSurfaceAid); !s) {
        return Unexpected(s.error());
    }
    return queryTries(myna::kVerificationCodeBKey);
}

Expected<FacePhoto, Error> MynaCard::readFacePhoto(const SecretDigits& codeB,
                                                   const std::optional<LastTryOverride>& override)
{
    if (codeB.size() != 14) {
        return Unexpected(Error{Errc::InvalidInput, "照合番号B must be 14 digits"});
    }
    if (auto s = selectApplication(myna::kSurfaceAid); !s) {
        return Unexpected(s.error());
    }
    auto outcome = verifyGuarded(myna::kVerificationCodeBKey, codeB, override, m_refusedCodesB);
    if (!outcome) {
        return Unexpected(outcome.error());
    }
    if (!outcome->verified) {
        return Unexpected(Error{Errc::PinIncorrect, "照合番号B does not match the card (" +
                                                        std::to_string(outcome->triesLeft) + " tries left)"});
    }
    auto file = readTlvFile(myna::kCardFace);
    if (!file) {
        return Unexpected(file.error());
    }
    auto outer = parseTlv(*file);
    if (!outer || outer->tag != myna::kFaceOuterTag) {
        return Unexpected(Error{Errc::MalformedResponse, "the card face is not an FF20 TLV"});
    }
    auto fields = parseTlvSequence(outer->value);
    if (!fields) {
        return Unexpected(fields.error());
    }
    auto photo = findTlv(*fields, myna::kFacePhoto);
    if (!photo || photo->value.size() < 12) {
        return Unexpected(Error{Errc::MalformedResponse, "the card face has no photo"});
    }
    FacePhoto face;
    face.jpeg2000.assign(photo->value.begin(), photo->value.end());
    if (auto birth = findTlv(*fields, myna::kFaceBirthDate)) {
        face.birthdate = compactDate(birth->value);
    }
    if (auto sex = findTlv(*fields, myna::kFaceSex)) {
        face.sex.assign(sex->value.begin(), sex->value.end());
    }
    if (auto expiry = findTlv(*fields, myna::kFaceCardExpiry)) {
        face.cardExpiry = compactDate(expiry->value);
    }
    return face;
}

} // namespace zaitaku::device
