#pragma once

// What an operator does to a store as a whole: create it, unlock it, change the passphrase,
// recover with the recovery code, rotate the data key. Each step that changes keys writes an
// audit row; none of them ever writes a secret anywhere but into a wrap.

#include "base/Clock.h"
#include "base/Expected.h"
#include "base/Random.h"
#include "sync/SyncError.h"
#include "sync/store/KeyFile.h"
#include "sync/store/Store.h"
#include "sync/store/StoreKeys.h"

#include <optional>
#include <string>
#include <string_view>

namespace zaitaku::sync::store
{

struct InitOptions
{
    protocol::ScryptParams scrypt; // stored with each wrap
    std::string deviceKeyPath;     // optional: also wrap under this device key file (created if missing)
    std::string actor = "operator";
    StoreOptions store;
};

struct InitResult
{
    Store store;
    std::string recoveryCode; // show once, never store
};

Expected<InitResult, Error> initStore(const std::string& path,
                                      std::string_view passphrase,
                                      const InitOptions& options,
                                      base::RandomSource& random,
                                      const base::Clock& clock);

// Loads <path>.keys, unwraps with the secret, opens and checks the store.
Expected<Store, Error> unlockStore(const std::string& path,
                                   const UnlockSecret& secret,
                                   const base::Clock& clock,
                                   const StoreOptions& options = {});

// Rewraps the data key under a new passphrase; the database is not re-encrypted.
Expected<void, Error> changePassphrase(const std::string& path,
                                       const UnlockSecret& current,
                                       std::string_view newPassphrase,
                                       const protocol::ScryptParams& params,
                                       base::RandomSource& random,
                                       const base::Clock& clock,
                                       const std::string& actor = "operator");

// Rotates the data key: PRAGMA rekey re-encrypts every page, then every slot is rewrapped (the
// device-key slot is dropped unless its key file is given). A new recovery code is returned.
struct RekeyResult
{
    std::string recoveryCode;
};
Expected<RekeyResult, Error> rotateDataKey(const std::string& path,
                                           const UnlockSecret& current,
                                           std::string_view newPassphrase,
                                           const protocol::ScryptParams& params,
                                           const std::optional<std::string>& deviceKeyPath,
                                           base::RandomSource& random,
                                           const base::Clock& clock,
                                           const std::string& actor = "operator");

} // namespace zaitaku::sync::store
