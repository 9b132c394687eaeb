#pragma once

// The visual check (目視確認, docs/design/DESIGN.md §3.2): staff attest that the person present matches the
// photo printed on the card. The attestation names who, why and what they confirmed; the
// statement shown is fixed text so every attestation says the same thing.

#include "base/Expected.h"
#include "verify/identity/IdentityError.h"
#include "verify/model/Evidence.h"

#include <string>

namespace zaitaku::identity
{

// The sentence staff confirm, in the language the screen shows.
std::string visualStatement(const std::string& language);

// Checks staff id, reason and statement; fills the statement when empty.
Expected<model::VisualAttestation, Error>
attestation(const std::string& staffId, model::VisualReason reason, const std::string& language);

} // namespace zaitaku::identity
