#include "device/apdu/ResponseApdu.h"

namespace zaitaku::device
{

base::Bytes ResponseApdu::encode() const
{
    base::Bytes out = data;
    out.push_back(sw1());
    out.push_back(sw2());
    return out;
}

Expected<ResponseApdu, Error> ResponseApdu::decode(base::ByteView bytes)
{
    if (bytes.size() < 2) {
        return Unexpected(Error{Errc::MalformedResponse,
                                "response of " + std::to_string(bytes.size()) + " bytes has no status word"});
    }
    ResponseApdu r;
    r.data.assign(bytes.begin(), bytes.end() - 2);
    r.sw = static_cast<std::uint16_t>(bytes[bytes.size() - 2] << 8 | bytes[bytes.size() - 1]);
    return r;
}

} // namespace zaitaku::device
