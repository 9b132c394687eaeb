#include "verify/rules/FushoClaim.h"

namespace zaitaku::rules
{

FushoClaimFields fushoClaim(bool kouki)
{
    return FushoClaimFields{
        "77777777", "77777779", kouki ? std::string(8, '7') : std::string(9, '7'), "", "不詳", "2023-09",
    };
}

} // namespace zaitaku::rules
