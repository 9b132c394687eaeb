#include "sync/sql/CipherKey.h"

#include "sync/sql/SqliteApi.h"

namespace zaitaku::sync::sql
{

base::SecureBytes rawKeyPragmaValue(const base::SecureBytes& dataKey)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    base::SecureBytes value(dataKey.size() * 2 + 3);
    std::uint8_t* out = value.data();
    *out++ = 'x';
    *out++ = '\'';
    for (std::size_t i = 0; i < dataKey.size(); ++i) {
        *out++ = static_cast<std::uint8_t>(kHex[dataKey.data()[i] >> 4]);
        *out++ = static_cast<std::uint8_t>(kHex[dataKey.data()[i] & 0x0f]);
    }
    *out = '\'';
    return value;
}

Expected<std::string, Error> keyConnection(Database& db, const base::SecureBytes& dataKey)
{
    // SQLCipher would also print its own errors to stderr; the store reports them as values.
    (void)db.exec("PRAGMA cipher_log_level = NONE", "configure cipher");
    const base::SecureBytes pragma = rawKeyPragmaValue(dataKey);
    if (db.api().key == nullptr || db.api().key(db.handle(), pragma.data(), static_cast<int>(pragma.size())) != 0) {
        return Unexpected(db.lastError("key"));
    }
    // The engine answering must be SQLCipher: stock SQLite ignores the key and writes plaintext.
    auto version = db.queryText("PRAGMA cipher_version");
    if (!version || version->empty()) {
        return Unexpected(Error{Errc::StoreNotEncrypted, std::string(describe(Errc::StoreNotEncrypted)) + " (engine " +
                                                             db.api().libversion() + ")"});
    }
    // Set on every open, before the first read (SQLCipher does not record them in the file).
    // HMAC-SHA256 rather than 4.x's default SHA-512: as strong for page authentication, and
    // hardware-accelerated on the tablets' CPUs (x86 SHA-NI, ARMv8 SHA2), SHA-512 mostly not.
    if (auto set =
            db.exec("PRAGMA cipher_page_size = 4096; PRAGMA cipher_hmac_algorithm = HMAC_SHA256", "configure cipher");
        !set) {
        return Unexpected(set.error());
    }
    return *version;
}

} // namespace zaitaku::sync::sql
