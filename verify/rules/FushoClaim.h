#pragma once

// R4: the fields of a 不詳 claim, filed from a 被保険者資格申立書 when no numbers can be
// confirmed [S:P17][S:P18][S:P19][S:P20]. Only after the current and the previous (旧資格)
// numbers have both been tried.

#include <string>

namespace zaitaku::rules
{

struct FushoClaimFields
{
    std::string insurerNumber;            // 保険者等番号: 77777777
    std::string insurerNumberAlternative; // when a check-digit validation rejects the first: 77777779
    std::string insuredNumber;            // 番号: 777777777 (9 digits); 後期高齢者 77777777 (8)
    std::string cardSymbol;               // 記号: not recorded
    std::string remarksPrefix;            // 摘要欄 starts with 「不詳」, then address/employer/contact
    std::string claimsFrom;               // allowed for claims from 2023-09 on
};

FushoClaimFields fushoClaim(bool kouki);

} // namespace zaitaku::rules
