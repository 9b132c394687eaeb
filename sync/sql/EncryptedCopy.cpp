#include "sync/sql/EncryptedCopy.h"

#include "base/AtomicFile.h"
#include "sync/sql/CipherKey.h"

namespace zaitaku::sync::sql
{

Expected<void, Error> exportEncryptedCopy(Database& db, const base::SecureBytes& key, const std::string& target)
{
    // The connection may not create files (a missing store is an error, not a new one): ATTACH
    // gets an empty file to fill.
    if (auto created = base::writeFileAtomically(target, "", 0600); !created) {
        return Unexpected(fromBase(created.error()));
    }
    const base::SecureBytes pragma = rawKeyPragmaValue(key);
    auto attach = db.prepare("ATTACH DATABASE ?1 AS archive KEY ?2");
    if (!attach) {
        return Unexpected(attach.error());
    }
    attach->bind(1, target).bind(2, std::string_view(reinterpret_cast<const char*>(pragma.data()), pragma.size()));
    if (auto done = attach->run(); !done) {
        return done;
    }
    // The copy gets the store's cipher settings (Store.cpp), so the same open code reads it back;
    // one transaction: every table is copied from the same snapshot while writers carry on (WAL).
    auto exported = db.exec("PRAGMA archive.cipher_page_size = 4096; PRAGMA archive.cipher_hmac_algorithm = "
                            "HMAC_SHA256; BEGIN; SELECT sqlcipher_export('archive')",
                            "export");
    auto copyVersion = db.queryInt("PRAGMA main.user_version");
    if (exported && copyVersion) {
        exported = db.exec("PRAGMA archive.user_version = " + std::to_string(*copyVersion), "export");
    }
    auto ended = db.exec(exported ? "COMMIT" : "ROLLBACK", "export");
    if (exported && !ended) {
        exported = ended;
    }
    auto detached = db.exec("DETACH DATABASE archive", "export");
    if (!exported) {
        return exported;
    }
    return detached;
}

} // namespace zaitaku::sync::sql
