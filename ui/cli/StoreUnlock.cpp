#include "ui/cli/StoreUnlock.h"

#include "base/AtomicFile.h"
#include "sync/store/RecoveryCode.h"
#include "sync/store/StaffDirectory.h"
#include "sync/store/StoreLifecycle.h"
#include "ui/cli/SecretPrompt.h"

namespace zaitaku::cli
{

namespace store = sync::store;

std::optional<std::string> readSecret(CliContext& ctx, const std::string& file, const char* prompt, sync::Error& error)
{
    if (!file.empty()) {
        auto content = base::readSecretFile(file, 4096); // owner-only, no links (review L2)
        if (!content) {
            error = sync::fromBase(content.error());
            return std::nullopt;
        }
        std::string secret = content->substr(0, content->find('\n'));
        if (!secret.empty() && secret.back() == '\r') {
            secret.pop_back();
        }
        wipe(*content);
        return secret;
    }
    return readSecretLine(ctx, prompt);
}

Expected<void, sync::Error> signInStaff(CliContext& ctx, const CommandOptions& o, sync::store::Store& store)
{
    auto some = sync::store::StaffDirectory::any(store);
    if (!some) {
        return Unexpected(some.error());
    }
    if (!*some) {
        return {};
    }
    sync::Error error;
    auto secret = readSecret(ctx, o.value("staff-secret-file"), "staff PIN or passphrase: ", error);
    if (!secret) {
        return Unexpected(error);
    }
    auto account = sync::store::StaffDirectory::signIn(store, o.value("staff"), *secret);
    wipe(*secret);
    if (!account) {
        return Unexpected(account.error());
    }
    return {};
}

Unlock::~Unlock()
{
    wipe(text);
}

bool readUnlock(CliContext& ctx, const CommandOptions& o, Unlock& unlock, sync::Error& error)
{
    if (!o.value("device-key").empty() && o.sub != "init" && o.sub != "rekey") {
        auto key = store::loadDeviceKeyFile(o.value("device-key"));
        if (!key) {
            error = key.error();
            return false;
        }
        unlock.key = std::move(*key);
        unlock.secret = store::UnlockSecret::deviceKey(*unlock.key);
        return true;
    }
    if (!o.value("recovery-code-file").empty()) {
        auto typed = readSecret(ctx, o.value("recovery-code-file"), "", error);
        if (!typed) {
            return false;
        }
        auto canonical = store::normaliseRecoveryCode(*typed);
        wipe(*typed);
        if (!canonical) {
            error = canonical.error();
            return false;
        }
        unlock.text = std::move(*canonical);
        unlock.secret = store::UnlockSecret::recoveryCode(unlock.text);
        return true;
    }
    auto pass = readSecret(ctx, o.value("passphrase-file"), "store passphrase: ", error);
    if (!pass) {
        return false;
    }
    unlock.text = std::move(*pass);
    unlock.secret = store::UnlockSecret::passphrase(unlock.text);
    return true;
}

Expected<store::Store, sync::Error> openStore(CliContext& ctx, const CommandOptions& o, const std::string& db)
{
    Unlock unlock;
    sync::Error error;
    if (!readUnlock(ctx, o, unlock, error)) {
        return Unexpected(error);
    }
    return store::unlockStore(db, unlock.secret, ctx.clock);
}

} // namespace zaitaku::cli
