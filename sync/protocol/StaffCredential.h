#pragma once

// A staff member's sign-in secret (PIN or passphrase) as the gateway distributes it and a tablet
// checks it offline (security review H3): scrypt over the secret, then HMAC-SHA256 of a fixed
// label under that key; only the salt, the parameters and that verifier travel and are stored.
// The verifier sits inside the tablet's encrypted store: it protects who someone is, not the data
// (whoever reads it has opened the store already); guessing a PIN from it costs one scrypt a try.

#include "base/Expected.h"
#include "base/Random.h"
#include "sync/SyncError.h"
#include "sync/protocol/Scrypt.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace zaitaku::sync::protocol
{

struct StaffCredential
{
    std::string saltHex;
    ScryptParams params{15, 8, 1}; // ≈ 32 MiB, ~0.1 s: one per sign-in on a tablet
    std::string verifierHex;

    nlohmann::json toJson() const;
    static Expected<StaffCredential, Error> fromJson(const nlohmann::json& j);
};

// At least 4 characters (a 4-digit PIN), at most 128.
Expected<StaffCredential, Error>
makeStaffCredential(std::string_view secret, base::RandomSource& random, const ScryptParams& params = {15, 8, 1});
// Constant-time comparison; false for any error.
bool staffCredentialMatches(const StaffCredential& credential, std::string_view secret);

} // namespace zaitaku::sync::protocol
