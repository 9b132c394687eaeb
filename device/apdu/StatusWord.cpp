#include "device/apdu/StatusWord.h"

namespace zaitaku::device::sw
{

std::string_view describe(std::uint16_t s)
{
    if (isRetryCounter(s)) {
        return s == 0x63C0 ? "credential blocked" : "wrong credential; tries remain";
    }
    if (isMoreData(s)) {
        return "more data available (GET RESPONSE)";
    }
    if (isWrongLe(s)) {
        return "wrong Le; resend with the exact length";
    }
    switch (s) {
    case kOk:
        return "ok";
    case kEndOfFileWarning:
        return "end of file before Le";
    case kVerifyFailedNoLimit:
        return "wrong credential, no retry limit";
    case kWrongLength:
        return "wrong length";
    case kLogicalChannelNotSupported:
        return "logical channel not supported";
    case kSecurityNotSatisfied:
        return "security status not satisfied";
    case kAuthMethodBlocked:
        return "authentication method blocked";
    case kReferenceBlocked:
        return "referenced key blocked";
    case kConditionsNotSatisfied:
        return "conditions of use not satisfied";
    case kNoCurrentEf:
        return "no current EF";
    case kFileNotFound:
        return "file or application not found";
    case kIncorrectP1P2:
        return "incorrect P1/P2";
    case kOffsetBeyondEf:
        return "offset beyond the end of the EF";
    case kInsNotSupported:
        return "instruction not supported";
    case kClaNotSupported:
        return "class not supported";
    default:
        return "unknown status word";
    }
}

} // namespace zaitaku::device::sw
