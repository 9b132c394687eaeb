#include "sync/store/StoreLifecycle.h"

#include "base/AtomicFile.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/Transaction.h"
#include "sync/store/RecoveryCode.h"

namespace zaitaku::sync::store
{

namespace
{

Expected<void, Error> audit(Store& store,
                            const std::string& actor,
                            const std::string& action,
                            nlohmann::json detail = nlohmann::json::object())
{
    auto tx = sql::Transaction::begin(store.db(), sql::Durability::Full);
    if (!tx) {
        return Unexpected(tx.error());
    }
    auto appended = sql::AuditLog::append(store.db(), sql::AuditEntry{actor, action, "store", std::move(detail)},
                                          store.clock().nowJst());
    if (!appended) {
        return Unexpected(appended.error());
    }
    return tx->commit();
}

// Builds the full set of slots for a data key: passphrase, recovery code, optional device key.
Expected<KeyFile, Error> wrapAll(const std::string& storeId,
                                 const base::SecureBytes& dataKey,
                                 std::string_view passphrase,
                                 const std::string& recoveryCode,
                                 const base::SecureBytes* deviceKey,
                                 const protocol::ScryptParams& params,
                                 base::RandomSource& random)
{
    KeyFile file;
    file.storeId = storeId;
    auto canonical = normaliseRecoveryCode(recoveryCode);
    if (!canonical) {
        return Unexpected(canonical.error());
    }
    auto pass = wrapDataKey(dataKey, UnlockSecret::passphrase(passphrase), params, storeId, random);
    auto recovery = wrapDataKey(dataKey, UnlockSecret::recoveryCode(*canonical), params, storeId, random);
    if (!pass || !recovery) {
        return Unexpected(!pass ? pass.error() : recovery.error());
    }
    file.put(std::move(*pass));
    file.put(std::move(*recovery));
    if (deviceKey != nullptr) {
        auto device = wrapDataKey(dataKey, UnlockSecret::deviceKey(*deviceKey), params, storeId, random);
        if (!device) {
            return Unexpected(device.error());
        }
        file.put(std::move(*device));
    }
    return file;
}

Expected<void, Error> checkPassphrase(std::string_view passphrase)
{
    // Long enough that scrypt is not the only thing standing between a stolen tablet and the data.
    if (passphrase.size() < 8) {
        return Unexpected(Error{Errc::InvalidInput, "the passphrase must have at least 8 characters", "passphrase"});
    }
    return {};
}

// A store opened through one key file: the wraps, the data key they gave, the open store.
struct Unlocked
{
    KeyFile keys;
    base::SecureBytes dataKey;
    Store store;
};

Expected<Unlocked, Error> openWithKeyFile(const std::string& keyPath,
                                          const std::string& path,
                                          const UnlockSecret& secret,
                                          const base::Clock& clock,
                                          const StoreOptions& options = {})
{
    auto keys = KeyFile::load(keyPath);
    if (!keys) {
        return Unexpected(keys.error());
    }
    auto dataKey = unlockKeyFile(*keys, secret);
    if (!dataKey) {
        return Unexpected(dataKey.error());
    }
    auto store = Store::open(path, *dataKey, keys->storeId, clock, options);
    if (!store) {
        return Unexpected(store.error());
    }
    return Unlocked{std::move(*keys), std::move(*dataKey), std::move(*store)};
}

// The common start of every key change: the new passphrase is acceptable and the current secret
// opens a store that passes its checks.
Expected<Unlocked, Error> unlockForKeyChange(const std::string& path,
                                             const UnlockSecret& current,
                                             std::string_view newPassphrase,
                                             const base::Clock& clock)
{
    if (auto ok = checkPassphrase(newPassphrase); !ok) {
        return Unexpected(ok.error());
    }
    return openWithKeyFile(keyFilePathFor(path), path, current, clock);
}

} // namespace

Expected<InitResult, Error> initStore(const std::string& path,
                                      std::string_view passphrase,
                                      const InitOptions& options,
                                      base::RandomSource& random,
                                      const base::Clock& clock)
{
    if (auto ok = checkPassphrase(passphrase); !ok) {
        return Unexpected(ok.error());
    }
    const std::string keyPath = keyFilePathFor(path);
    if (base::fileExists(path) || base::fileExists(keyPath)) {
        return Unexpected(Error{Errc::StoreExists, "a store (or its key file) already exists at " + path});
    }
    std::optional<base::SecureBytes> deviceKey;
    if (!options.deviceKeyPath.empty()) {
        auto loaded = createDeviceKeyFile(options.deviceKeyPath, random);
        if (!loaded) {
            return Unexpected(loaded.error());
        }
        deviceKey = std::move(*loaded);
    }
    const std::string storeId = base::makeUuid(random);
    const base::SecureBytes dataKey = makeDataKey(random);
    std::string recoveryCode = makeRecoveryCode(random);
    auto keys =
        wrapAll(storeId, dataKey, passphrase, recoveryCode, deviceKey ? &*deviceKey : nullptr, options.scrypt, random);
    if (!keys) {
        return Unexpected(keys.error());
    }
    // Key file first: a database must never exist without the wraps that open it.
    if (auto saved = keys->save(keyPath); !saved) {
        return Unexpected(saved.error());
    }
    auto store = Store::create(path, dataKey, storeId, clock, options.store);
    if (!store) {
        std::remove(keyPath.c_str()); // nothing was stored under this key yet
        return Unexpected(store.error());
    }
    nlohmann::json detail{
        {"store_id", storeId},
        {"slots", nlohmann::json::array()},
        {"kdf",
         {{"name", "scrypt"}, {"log_n", options.scrypt.logN}, {"r", options.scrypt.r}, {"p", options.scrypt.p}}}};
    for (const auto& slot : keys->slots) {
        detail["slots"].push_back(base::toCode(slot.kind));
    }
    if (auto audited = audit(*store, options.actor, "store.init", detail); !audited) {
        return Unexpected(audited.error());
    }
    return InitResult{std::move(*store), std::move(recoveryCode)};
}

Expected<Store, Error>
unlockStore(const std::string& path, const UnlockSecret& secret, const base::Clock& clock, const StoreOptions& options)
{
    if (!base::fileExists(path)) {
        return Unexpected(Error{Errc::StoreNotFound, "there is no store at " + path + " (run `store init`)"});
    }
    const std::string keyPath = keyFilePathFor(path);
    const std::string pendingPath = keyPath + ".pending";
    if (!base::fileExists(pendingPath)) {
        auto unlocked = openWithKeyFile(keyPath, path, secret, clock, options);
        if (!unlocked) {
            return Unexpected(unlocked.error());
        }
        return std::move(unlocked->store);
    }
    // A key rotation was interrupted: the database holds either the new key (finish the rotation)
    // or the old one (the rekey never happened). Neither failure is the file's fault: no quarantine.
    StoreOptions careful = options;
    careful.quarantineOnFailure = false;
    if (auto rotated = openWithKeyFile(pendingPath, path, secret, clock, careful)) {
        if (std::rename(pendingPath.c_str(), keyPath.c_str()) != 0) {
            return Unexpected(Error{Errc::StoreIo, "cannot finish the interrupted key rotation"});
        }
        return std::move(rotated->store);
    }
    auto old = openWithKeyFile(keyPath, path, secret, clock, careful);
    if (!old) {
        if (old.error().code == Errc::WrongKey) {
            return Unexpected(Error{Errc::WrongKey, "a key rotation was interrupted: unlock with the new passphrase"});
        }
        return Unexpected(old.error());
    }
    std::remove(pendingPath.c_str());
    return std::move(old->store);
}

Expected<void, Error> changePassphrase(const std::string& path,
                                       const UnlockSecret& current,
                                       std::string_view newPassphrase,
                                       const protocol::ScryptParams& params,
                                       base::RandomSource& random,
                                       const base::Clock& clock,
                                       const std::string& actor)
{
    // Open (and check) the store before touching the key file: the new wrap must open a good store.
    auto unlocked = unlockForKeyChange(path, current, newPassphrase, clock);
    if (!unlocked) {
        return Unexpected(unlocked.error());
    }
    const std::string keyPath = keyFilePathFor(path);
    KeyFile& keys = unlocked->keys;
    auto slot = wrapDataKey(unlocked->dataKey, UnlockSecret::passphrase(newPassphrase), params, keys.storeId, random);
    if (!slot) {
        return Unexpected(slot.error());
    }
    keys.put(std::move(*slot));
    if (auto saved = keys.save(keyPath); !saved) {
        return Unexpected(saved.error());
    }
    return audit(unlocked->store, actor, "store.passphrase_changed", {{"unlocked_with", base::toCode(current.kind)}});
}

Expected<RekeyResult, Error> rotateDataKey(const std::string& path,
                                           const UnlockSecret& current,
                                           std::string_view newPassphrase,
                                           const protocol::ScryptParams& params,
                                           const std::optional<std::string>& deviceKeyPath,
                                           base::RandomSource& random,
                                           const base::Clock& clock,
                                           const std::string& actor)
{
    auto unlocked = unlockForKeyChange(path, current, newPassphrase, clock);
    if (!unlocked) {
        return Unexpected(unlocked.error());
    }
    const std::string keyPath = keyFilePathFor(path);
    Store& store = unlocked->store;
    std::optional<base::SecureBytes> deviceKey;
    if (deviceKeyPath) {
        auto loaded = loadDeviceKeyFile(*deviceKeyPath);
        if (!loaded) {
            return Unexpected(loaded.error());
        }
        deviceKey = std::move(*loaded);
    }
    const base::SecureBytes newKey = makeDataKey(random);
    RekeyResult result{makeRecoveryCode(random)};
    auto newKeys = wrapAll(unlocked->keys.storeId, newKey, newPassphrase, result.recoveryCode,
                           deviceKey ? &*deviceKey : nullptr, params, random);
    if (!newKeys) {
        return Unexpected(newKeys.error());
    }
    // Crash window: between rekey and the key-file rename the old wraps no longer open the file.
    // The new key file is written first beside the old one so either can be restored by support.
    const std::string pendingPath = keyPath + ".pending";
    if (auto saved = newKeys->save(pendingPath); !saved) {
        return Unexpected(saved.error());
    }
    if (auto rekeyed = store.rekey(newKey); !rekeyed) {
        std::remove(pendingPath.c_str());
        return Unexpected(rekeyed.error());
    }
    if (std::rename(pendingPath.c_str(), keyPath.c_str()) != 0) {
        return Unexpected(Error{Errc::StoreIo, "the store was rekeyed but " + pendingPath +
                                                   " could not replace the key file: rename it by hand"});
    }
    if (auto audited = audit(store, actor, "store.rekey", {{"unlocked_with", base::toCode(current.kind)}}); !audited) {
        return Unexpected(audited.error());
    }
    return result;
}

} // namespace zaitaku::sync::store
