#include "hardware/vcard/Persona.h"

#include "base/BoundedJson.h"

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

namespace zaitaku::hardware
{

namespace
{

using device::Errc;

Error personaError(const std::string& what)
{
    return Error{Errc::InvalidInput, "persona: " + what};
}

} // namespace

const std::vector<std::string>& builtinPersonaNames()
{
    static const std::vector<std::string> names{"valid",        "one-try-left",  "blocked", "face-auth-only",
                                                "expired-cert", "expiring-cert", "child"};
    return names;
}

Expected<Persona, Error> builtinPersona(const std::string& name)
{
    Persona p;
    p.name = name;
    if (name == "valid") {
        return p;
    }
    if (name == "one-try-left") {
        p.authPinTries = 1;
        return p;
    }
    if (name == "blocked") {
        p.authPinTries = 0;
        return p;
    }
    if (name == "face-auth-only") {
        p.authPinSet = false;
        p.signCert = false;
        p.birthdate = base::Date::fromYmd(1938, 11, 3).value(); // 昭和13年
        p.cardExpiry = base::Date::fromYmd(2033, 11, 3).value();
        p.securityCode = "4711";
        p.sex = "2";
        return p;
    }
    if (name == "expired-cert") {
        p.certNotBeforeDays = -5 * 365;
        p.certNotAfterDays = -40;
        return p;
    }
    if (name == "expiring-cert") {
        p.certNotBeforeDays = -5 * 365 + 30;
        p.certNotAfterDays = 30;
        return p;
    }
    if (name == "child") {
        p.signCert = false;
        p.birthdate = base::Date::fromYmd(2019, 5, 1).value(); // 令和元年
        p.cardExpiry = base::Date::fromYmd(2029, 5, 1).value();
        p.securityCode = "0501";
        return p;
    }
    return Unexpected(personaError("no built-in persona '" + name + "'"));
}

Expected<Persona, Error> loadPersonaFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in) {
        return Unexpected(personaError("cannot open " + path));
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const nlohmann::json j = base::parseJson(text);
    if (!j.is_object()) {
        return Unexpected(personaError(path + " is not a JSON object"));
    }
    Persona p;
    try {
        p.name = j.value("name", p.name);
        p.authPin = j.value("auth_pin", p.authPin);
        p.authPinTries = j.value("auth_pin_tries", p.authPinTries);
        p.authPinSet = j.value("auth_pin_set", p.authPinSet);
        p.signCert = j.value("sign_cert", p.signCert);
        p.certNotBeforeDays = j.value("cert_not_before_days", p.certNotBeforeDays);
        p.certNotAfterDays = j.value("cert_not_after_days", p.certNotAfterDays);
        p.securityCode = j.value("security_code", p.securityCode);
        p.sex = j.value("sex", p.sex);
        p.codeBTries = j.value("code_b_tries", p.codeBTries);
        p.photoPath = j.value("photo", p.photoPath);
        for (auto [key, target] : {std::pair{"birthdate", &p.birthdate}, std::pair{"card_expiry", &p.cardExpiry}}) {
            if (j.contains(key)) {
                auto d = base::Date::parse(j.at(key).get<std::string>());
                if (!d) {
                    return Unexpected(personaError(std::string(key) + ": " + d.error().message));
                }
                *target = *d;
            }
        }
    } catch (const nlohmann::json::exception& e) {
        return Unexpected(personaError(std::string("wrong type in ") + path + ": " + e.what()));
    }
    if (p.authPin.size() != 4 || p.authPinTries < 0 || p.authPinTries > 3 || p.codeBTries < 0 || p.codeBTries > 10 ||
        p.securityCode.size() != 4) {
        return Unexpected(
            personaError("auth_pin must be 4 digits, tries 0..3, code_b_tries 0..10, security_code 4 digits"));
    }
    return p;
}

} // namespace zaitaku::hardware
