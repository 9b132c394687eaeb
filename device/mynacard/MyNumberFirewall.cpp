#include "device/mynacard/MyNumberFirewall.h"

#include "device/apdu/CommandApdu.h"
#include "device/apdu/ResponseApdu.h"
#include "device/mynacard/MynaIds.h"

#include <algorithm>
#include <array>

namespace zaitaku::device
{

namespace
{

constexpr std::uint8_t kSelect = 0xA4;
constexpr std::uint8_t kReadBinary = 0xB0;
constexpr std::uint8_t kVerify = 0x20;
constexpr std::uint8_t kGetResponse = 0xC0;
constexpr std::uint8_t kComputeSignature = 0x2A;
constexpr std::size_t kPinDigits = 4;
constexpr std::size_t kCodeBDigits = 14;
constexpr std::size_t kSha256DigestInfo = 51;

// The EFs MynaCard selects, per application.
constexpr std::array<std::uint16_t, 6> kJpkiFiles{myna::kTokenInfo,  myna::kCertAvailability, myna::kAuthCert,
                                                  myna::kAuthCaCert, myna::kAuthKey,          myna::kAuthPin};
constexpr std::array<std::uint16_t, 2> kSurfaceFiles{myna::kCardFace, myna::kVerificationCodeBKey};

Error forbidden(const std::string& why)
{
    return Error{Errc::Forbidden, "refused APDU: " + why};
}

bool equalsAid(base::ByteView a, const myna::Aid& aid)
{
    return a.size() == aid.size() && std::equal(a.begin(), a.end(), aid.begin());
}

template <std::size_t N> bool contains(const std::array<std::uint16_t, N>& files, std::uint16_t fid)
{
    return std::find(files.begin(), files.end(), fid) != files.end();
}

std::optional<std::uint16_t> fidOf(const CommandApdu& c)
{
    if (c.data.size() != 2) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(c.data[0] << 8 | c.data[1]);
}

bool isSelectApplication(const CommandApdu& c)
{
    return c.cla == 0x00 && c.ins == kSelect && c.p1 == 0x04 && c.p2 == 0x0C && !c.le;
}

bool isSelectFile(const CommandApdu& c)
{
    return c.cla == 0x00 && c.ins == kSelect && c.p1 == 0x02 && c.p2 == 0x0C && !c.le && fidOf(c);
}

Expected<void, Error> checkSelectApplication(const CommandApdu& c)
{
    if (equalsAid(c.data, myna::kJpkiAid) || equalsAid(c.data, myna::kSurfaceAid)) {
        return {};
    }
    const bool textApPrefix = !c.data.empty() && c.data.size() <= myna::kTextAid.size() &&
                              std::equal(c.data.begin(), c.data.end(), myna::kTextAid.begin());
    return Unexpected(forbidden(textApPrefix ? "the 券面事項入力補助AP holds the 個人番号"
                                             : "only the JPKI AP and the 券面事項確認AP are selected"));
}

Expected<void, Error> checkSelectFile(const CommandApdu& c, bool jpki)
{
    const std::uint16_t fid = *fidOf(c);
    if (!jpki && (fid == myna::kVerificationCodeAKey || fid == myna::kMyNumberImage)) {
        return Unexpected(forbidden("照合番号A / 個人番号 image in the 券面事項確認AP"));
    }
    if (jpki ? contains(kJpkiFiles, fid) : contains(kSurfaceFiles, fid)) {
        return {};
    }
    return Unexpected(forbidden("this EF is not one zaitaku reads"));
}

Expected<void, Error> checkVerify(const CommandApdu& c, bool jpki, const std::optional<std::uint16_t>& ef)
{
    if (c.cla != 0x00 || c.p1 != 0x00 || c.p2 != 0x80 || c.le) {
        return Unexpected(forbidden("VERIFY only of the selected key, without Le"));
    }
    if (c.data.empty()) {
        return {}; // the retry counter
    }
    if (c.data.size() == 12) {
        return Unexpected(forbidden("a 12-digit VERIFY is 照合番号A"));
    }
    const bool pin = jpki && ef == myna::kAuthPin && c.data.size() == kPinDigits;
    const bool codeB = !jpki && ef == myna::kVerificationCodeBKey && c.data.size() == kCodeBDigits;
    if (pin || codeB) {
        return {};
    }
    return Unexpected(forbidden("VERIFY only of the auth PIN (4 digits) or 照合番号B (14 digits)"));
}

} // namespace

Expected<void, Error> MyNumberFirewall::check(base::ByteView command, const Selection& selected)
{
    auto parsed = CommandApdu::decode(command);
    if (!parsed) {
        return Unexpected(forbidden("does not parse as an APDU"));
    }
    const base::WipeOnExit wipeParsed(parsed->data);
    const CommandApdu& c = *parsed;
    if (c.extended) {
        return Unexpected(forbidden("extended length: MynaCard sends short APDUs only"));
    }
    if (c.ins == kSelect && c.p1 == 0x04) {
        return isSelectApplication(c) ? checkSelectApplication(c)
                                      : Unexpected(forbidden("SELECT by name only as 00 A4 04 0C with the full AID"));
    }
    if (c.cla == 0x00 && c.ins == kGetResponse && c.p1 == 0 && c.p2 == 0 && c.data.empty() && c.le) {
        return {};
    }
    const bool jpki = equalsAid(selected.aid, myna::kJpkiAid);
    const bool surface = equalsAid(selected.aid, myna::kSurfaceAid);
    if (!jpki && !surface) {
        return Unexpected(forbidden(equalsAid(selected.aid, myna::kTextAid)
                                        ? "nothing is sent to the 券面事項入力補助AP"
                                        : "select the JPKI AP or the 券面事項確認AP first"));
    }
    if (c.ins == kSelect) {
        return isSelectFile(c) ? checkSelectFile(c, jpki) : Unexpected(forbidden("SELECT EF only as 00 A4 02 0C FID"));
    }
    if (c.ins == kReadBinary) {
        // P1 bit 8 would name a file by short EF id: only the selected EF is read.
        const bool plain = c.cla == 0x00 && (c.p1 & 0x80) == 0 && c.data.empty() && c.le && selected.ef;
        return plain ? Expected<void, Error>{} : Unexpected(forbidden("READ BINARY only of the selected EF"));
    }
    if (c.ins == kVerify) {
        return checkVerify(c, jpki, selected.ef);
    }
    if (c.ins == kComputeSignature) {
        const bool sign = jpki && selected.ef == myna::kAuthKey && c.cla == 0x80 && c.p1 == 0x00 && c.p2 == 0x80 &&
                          c.data.size() == kSha256DigestInfo && c.le;
        return sign ? Expected<void, Error>{}
                    : Unexpected(forbidden("signing only a SHA-256 DigestInfo with the auth key"));
    }
    return Unexpected(forbidden("not a command zaitaku sends"));
}

Expected<base::Bytes, Error> MyNumberFirewall::transmit(base::ByteView command, std::chrono::milliseconds timeout)
{
    auto allowed = check(command, m_selected);
    if (!allowed) {
        return Unexpected(allowed.error());
    }
    auto response = m_inner.transmit(command, timeout);
    if (response) {
        auto parsed = CommandApdu::decode(command);
        auto r = ResponseApdu::decode(*response);
        // A failed SELECT leaves the card's current DF and EF as they were.
        if (parsed && r && r->ok() && parsed->ins == kSelect) {
            if (parsed->p1 == 0x04) {
                m_selected = {parsed->data, std::nullopt};
            } else {
                m_selected.ef = fidOf(*parsed);
            }
        }
        if (parsed) {
            base::wipe(parsed->data); // a VERIFY's digits, parsed a second time
        }
    }
    return response;
}

} // namespace zaitaku::device
