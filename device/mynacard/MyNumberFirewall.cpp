#include "device/mynacard/MyNumberFirewall.h"

#include "device/apdu/CommandApdu.h"
#include "device/apdu/ResponseApdu.h"
#include "device/mynacard/MynaIds.h"

#include <algorithm>

namespace zaitaku::device
{

namespace
{

Error forbidden(const std::string& why)
{
    return Error{Errc::Forbidden, "refused APDU: " + why};
}

bool isSelectByAid(const CommandApdu& c)
{
    return c.ins == 0xA4 && c.p1 == 0x04;
}

bool equalsAid(ByteView a, const myna::Aid& aid)
{
    return a.size() == aid.size() && std::equal(a.begin(), a.end(), aid.begin());
}

// A SELECT by DF name may match by prefix: any non-empty prefix of the text AP's AID is refused.
bool mayReachTextAp(ByteView name)
{
    return !name.empty() && name.size() <= myna::kTextAid.size() &&
           std::equal(name.begin(), name.end(), myna::kTextAid.begin());
}

} // namespace

Expected<void, Error> MyNumberFirewall::check(ByteView command, ByteView selectedAid)
{
    auto parsed = CommandApdu::decode(command);
    if (!parsed) {
        return Unexpected(forbidden("does not parse as an APDU"));
    }
    const CommandApdu& c = *parsed;
    if (isSelectByAid(c)) {
        if (mayReachTextAp(c.data)) {
            return Unexpected(forbidden("the 券面事項入力補助AP holds the 個人番号"));
        }
        return {};
    }
    if (c.ins == 0x20 && c.data.size() == 12) {
        return Unexpected(forbidden("a 12-digit VERIFY is 照合番号A"));
    }
    if (equalsAid(selectedAid, myna::kTextAid)) {
        return Unexpected(forbidden("nothing is sent to the 券面事項入力補助AP"));
    }
    if (equalsAid(selectedAid, myna::kSurfaceAid)) {
        if (c.ins == 0xA4 && c.p1 == 0x02 && c.data.size() == 2) {
            const std::uint16_t fid = static_cast<std::uint16_t>(c.data[0] << 8 | c.data[1]);
            if (fid == myna::kVerificationCodeAKey || fid == myna::kMyNumberImage) {
                return Unexpected(forbidden("照合番号A / 個人番号 image in the 券面事項確認AP"));
            }
        }
        // Short-EF-id forms (READ BINARY P1 bit 8, VERIFY P2 = 80|SFI) could name those files implicitly.
        const bool sfiRead = c.ins == 0xB0 && (c.p1 & 0x80) != 0;
        const bool sfiVerify = c.ins == 0x20 && c.p2 != 0x80;
        if (sfiRead || sfiVerify) {
            return Unexpected(forbidden("short-EF-id access in the 券面事項確認AP"));
        }
    }
    return {};
}

Expected<Bytes, Error> MyNumberFirewall::transmit(ByteView command, std::chrono::milliseconds timeout)
{
    auto allowed = check(command, m_selectedAid);
    if (!allowed) {
        return Unexpected(allowed.error());
    }
    auto response = m_inner.transmit(command, timeout);
    if (response) {
        auto parsed = CommandApdu::decode(command);
        auto r = ResponseApdu::decode(*response);
        if (parsed && r && isSelectByAid(*parsed)) {
            // A failed SELECT leaves the card's current DF as it was.
            if (r->ok()) {
                m_selectedAid = parsed->data;
            }
        }
    }
    return response;
}

} // namespace zaitaku::device
