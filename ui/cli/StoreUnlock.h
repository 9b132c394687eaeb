#pragma once

// How every store-using command unlocks the store: --device-key FILE, --recovery-code-file FILE,
// or the passphrase (--passphrase-file FILE, else typed without echo). Secrets are wiped after use.

#include "base/SecureBytes.h"
#include "sync/SyncError.h"
#include "sync/store/Store.h"
#include "sync/store/StoreKeys.h"
#include "ui/cli/CommandOptions.h"

#include <optional>
#include <string>

namespace zaitaku::cli
{

// A secret from a file (its first line) or, without one, from the terminal without echo.
std::optional<std::string> readSecret(CliContext& ctx, const std::string& file, const char* prompt, sync::Error& error);

// The secret that unlocks the store: a device key, the recovery code, or the passphrase.
struct Unlock
{
    std::string text;                     // passphrase or canonical recovery code (wiped)
    std::optional<base::SecureBytes> key; // device key
    sync::store::UnlockSecret secret;

    Unlock() = default;
    Unlock(const Unlock&) = delete;
    Unlock& operator=(const Unlock&) = delete;
    ~Unlock();
};

bool readUnlock(CliContext& ctx, const CommandOptions& o, Unlock& unlock, sync::Error& error);

// Security review H3: once the gateway has sent the facility's staff accounts, --staff names
// someone only with their own PIN or passphrase (--staff-secret-file FILE, else typed without
// echo); before that, as typed. A wrong one counts toward that account's back-off.
Expected<void, sync::Error> signInStaff(CliContext& ctx, const CommandOptions& o, sync::store::Store& store);

// Reads the unlock secret from the options and opens the store at `db`.
Expected<sync::store::Store, sync::Error> openStore(CliContext& ctx, const CommandOptions& o, const std::string& db);

} // namespace zaitaku::cli
