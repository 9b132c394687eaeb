#include "device/mynacard/VerificationCodeB.h"

#include <array>
#include <cstdio>
#include <map>

namespace zaitaku::device
{

namespace
{

struct Era
{
    const char* name;
    int year;
    unsigned month;
    unsigned day;
};

// Start dates of the modern eras (newest first).
constexpr std::array<Era, 5> kEras{{
    {"令和", 2019, 5, 1},
    {"平成", 1989, 1, 8},
    {"昭和", 1926, 12, 25},
    {"大正", 1912, 7, 30},
    {"明治", 1868, 1, 25},
}};

} // namespace

Expected<EraDate, Error> toEraDate(base::Date date)
{
    for (const Era& era : kEras) {
        const auto start = base::Date::fromYmd(era.year, era.month, era.day);
        if (start && date >= *start) {
            return EraDate{era.name, date.year() - era.year + 1, date.month(), date.day()};
        }
    }
    return Unexpected(Error{Errc::InvalidInput, "dates before the Meiji era have no era form"});
}

Expected<std::string, Error> eraYymmdd(base::Date date)
{
    auto era = toEraDate(date);
    if (!era) {
        return Unexpected(era.error());
    }
    if (era->year > 99) {
        return Unexpected(Error{Errc::InvalidInput, "era year does not fit two digits"});
    }
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d%02u%02u", era->year, era->month, era->day);
    return std::string(buf);
}

Expected<SecretDigits, Error>
makeVerificationCodeB(base::Date birthdate, int cardExpiryYear, std::string_view securityCode)
{
    if (cardExpiryYear < 2015 || cardExpiryYear > 2199) {
        return Unexpected(Error{Errc::InvalidInput, "the card expiry year must be 2015..2199", "expiry-year"});
    }
    auto yymmdd = eraYymmdd(birthdate);
    if (!yymmdd) {
        return Unexpected(yymmdd.error());
    }
    auto code = SecretDigits::fromDigits(securityCode, 4, "the security code must be 4 digits");
    if (!code) {
        return Unexpected(code.error());
    }
    std::string digits = *yymmdd + std::to_string(cardExpiryYear);
    digits.append(reinterpret_cast<const char*>(code->bytes().data()), code->size());
    auto result = SecretDigits::fromDigits(digits, 14, "照合番号B must be 14 digits");
    std::fill(digits.begin(), digits.end(), '\0');
    return result;
}

Expected<SecretDigits, Error> parseVerificationCodeB(std::string_view spec)
{
    std::map<std::string, std::string> fields;
    while (!spec.empty()) {
        const std::size_t comma = spec.find(',');
        const std::string_view part = spec.substr(0, comma);
        const std::size_t eq = part.find('=');
        if (eq == std::string_view::npos) {
            return Unexpected(Error{Errc::InvalidInput, "expected birth=YYYY-MM-DD,expiry-year=YYYY,code=NNNN"});
        }
        fields[std::string(part.substr(0, eq))] = std::string(part.substr(eq + 1));
        spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    }
    if (!fields.count("birth") || !fields.count("expiry-year") || !fields.count("code")) {
        return Unexpected(Error{Errc::InvalidInput, "expected birth=YYYY-MM-DD,expiry-year=YYYY,code=NNNN"});
    }
    auto birth = base::Date::parse(fields["birth"]);
    if (!birth) {
        return Unexpected(Error{Errc::InvalidInput, "birth: " + birth.error().message, "birth"});
    }
    const std::string& year = fields["expiry-year"];
    if (year.size() != 4 || year.find_first_not_of("0123456789") != std::string::npos) {
        return Unexpected(Error{Errc::InvalidInput, "expiry-year must be 4 digits", "expiry-year"});
    }
    auto code = makeVerificationCodeB(*birth, std::stoi(year), fields["code"]);
    std::fill(fields["code"].begin(), fields["code"].end(), '\0');
    return code;
}

} // namespace zaitaku::device
