#pragma once

// Who the virtual card pretends to be. Built-in personas cover the cases the appliance must
// handle; a JSON file can define more. All values are test data.

#include "base/Bytes.h"
#include "base/Date.h"
#include "device/DeviceError.h"

#include <string>
#include <vector>

namespace zaitaku::hardware
{

using device::Error;

struct Persona
{
    std::string name = "valid";
    std::string authPin = "1234";
    int authPinTries = 3;   // remaining; 0 = blocked
    bool authPinSet = true; // false: 顔認証マイナンバーカード
    bool signCert = true;   // false: child or face-auth card
    std::string signPassword = "ABC123";
    int signPasswordTries = 5;
    int certNotBeforeDays = -365; // relative to the clock at start
    int certNotAfterDays = 4 * 365;
    base::Date birthdate = base::Date::fromYmd(1980, 2, 17).value();
    base::Date cardExpiry = base::Date::fromYmd(2035, 2, 17).value();
    std::string securityCode = "2285";
    std::string sex = "1";
    int codeBTries = 10;
    std::string photoPath; // greyscale face image; empty: a generated test pattern
};

const std::vector<std::string>& builtinPersonaNames();
Expected<Persona, Error> builtinPersona(const std::string& name);
// {"name": "...", "auth_pin": "1234", "auth_pin_tries": 3, "auth_pin_set": true, "sign_cert": true,
//  "cert_not_before_days": -365, "cert_not_after_days": 1460, "birthdate": "1980-02-17",
//  "card_expiry": "2035-02-17", "security_code": "2285", "sex": "1", "code_b_tries": 10, "photo": "face.png"}
Expected<Persona, Error> loadPersonaFile(const std::string& path);

} // namespace zaitaku::hardware
