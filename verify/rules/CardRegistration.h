#pragma once

// A My Number Card not registered for insurance use (保険証利用登録) is not a マイナ保険証
// [seed 004 P2]. What to tell the patient: registration at a medical facility's card reader, on
// マイナポータル or at a Seven Bank ATM (a 法定代理人 may register for the patient), and until then
// the 資格確認書 [seed 001: 「利用登録は窓口（カードリーダー）でできます」][seed 004 P7–P10, P18].
//
// OQS's error codes are not public (docs/design/DOMAIN.md Q5), so the result is recognised by its message
// naming 利用登録 [I]; reconcile with the official code list before shipping.

#include "verify/model/EligibilitySnapshot.h"

#include <string>

namespace zaitaku::rules
{

bool reportsNotRegistered(const model::EligibilitySnapshot& snapshot);

// Japanese, for the route and the result screens.
const std::string& registrationGuidance();

} // namespace zaitaku::rules
