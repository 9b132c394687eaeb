#pragma once

// The recovery code printed once at `store init`: 160 random bits as 32 Crockford base32
// characters in groups of four (no I, L, O, U; case and dashes ignored when typed back). It
// unlocks the store when the passphrase is forgotten, so it is shown once and never stored.

#include "base/Expected.h"
#include "base/Random.h"
#include "base/SecureBytes.h"
#include "sync/SyncError.h"

#include <string>
#include <string_view>

namespace zaitaku::sync::store
{

// The code as the operator reads it: "7K3M-…" (8 groups).
std::string makeRecoveryCode(base::RandomSource& random);
// The canonical form scrypt is fed (upper case, no separators, ambiguous letters mapped), or
// InvalidInput when it cannot be a recovery code (wrong length or characters).
Expected<std::string, Error> normaliseRecoveryCode(std::string_view typed);

} // namespace zaitaku::sync::store
