#include "verify/rules/CardRegistration.h"

namespace zaitaku::rules
{

bool reportsNotRegistered(const model::EligibilitySnapshot& s)
{
    const std::string_view marker = "利用登録";
    return s.errorMessage.find(marker) != std::string::npos ||
           s.processingResultMessage.find(marker) != std::string::npos;
}

const std::string& registrationGuidance()
{
    static const std::string text =
        "マイナンバーカードの健康保険証利用登録がされていません。利用登録は医療機関・薬局のカードリーダー、"
        "マイナポータル、セブン銀行ATMでできます（法定代理人による登録も可）。登録されるまでは資格確認書で"
        "資格を確認してください。";
    return text;
}

} // namespace zaitaku::rules
