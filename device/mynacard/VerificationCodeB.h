#pragma once

// 照合番号B: the 14 digits that open the 券面事項確認AP (docs/design/CARD.md §4), built from the card face:
// birth date as Japanese-era YYMMDD + card expiry year YYYY + the 4-digit security code.
// Worked example (myna-card data.rs): 昭和55年2月17日, expiry 2035, code 2285 → 55021720352285.

#include "base/Date.h"
#include "device/mynacard/SecretDigits.h"

#include <string>

namespace zaitaku::device
{

struct EraDate
{
    std::string era; // 明治 大正 昭和 平成 令和
    int year = 0;    // era year, 1 = 元年
    unsigned month = 0;
    unsigned day = 0;
};

// Gregorian → Japanese era. Dates before Meiji (1868-01-25) are an error.
Expected<EraDate, Error> toEraDate(base::Date date);
// "YYMMDD" with the era year: 1980-02-17 → "550217".
Expected<std::string, Error> eraYymmdd(base::Date date);

Expected<SecretDigits, Error>
makeVerificationCodeB(base::Date birthdate, int cardExpiryYear, std::string_view securityCode);
// From the CLI form "birth=YYYY-MM-DD,expiry-year=YYYY,code=NNNN".
Expected<SecretDigits, Error> parseVerificationCodeB(std::string_view spec);

} // namespace zaitaku::device
