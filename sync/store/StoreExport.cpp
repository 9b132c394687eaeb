#include "sync/store/StoreExport.h"

#include "base/AtomicFile.h"
#include "base/BoundedJson.h"
#include "base/Bytes.h"
#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "sync/protocol/EvidenceSignature.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/EncryptedCopy.h"
#include "sync/sql/SqlTime.h"
#include "sync/sql/Transaction.h"
#include "sync/store/DeviceSigningKey.h"
#include "sync/store/KeyFile.h"
#include "sync/store/StoreKeys.h"
#include "sync/store/StoreStats.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <unistd.h>

namespace zaitaku::sync::store
{

namespace
{

using nlohmann::json;
constexpr std::string_view kMagic = "ZAITAKU-STORE-EXPORT/1";
constexpr std::size_t kMaxArchiveBytes = std::size_t{2} << 30;

std::string exportBinding(const std::string& storeId)
{
    return "export/" + storeId; // the archive key's wraps are bound to this archive's store
}

void removeDatabaseFiles(const std::string& path)
{
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        std::remove((path + suffix).c_str());
    }
}

// RSA-OAEP-SHA256 of the archive key for the recipient certificate.
Expected<json, Error> wrapForRecipient(const base::SecureBytes& key, const std::string& certPath)
{
    std::unique_ptr<FILE, decltype(&std::fclose)> file(std::fopen(certPath.c_str(), "rb"), std::fclose);
    if (!file) {
        return Unexpected(Error{Errc::InvalidInput, "cannot read the recipient certificate " + certPath, "recipient"});
    }
    std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_X509(file.get(), nullptr, nullptr, nullptr), X509_free);
    if (!cert) {
        return Unexpected(Error{Errc::InvalidInput, "the recipient certificate is not a PEM certificate", "recipient"});
    }
    EVP_PKEY* pub = X509_get0_pubkey(cert.get());
    if (pub == nullptr || EVP_PKEY_get_base_id(pub) != EVP_PKEY_RSA) {
        return Unexpected(Error{Errc::InvalidInput, "the recipient certificate must carry an RSA key", "recipient"});
    }
    std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(EVP_PKEY_CTX_new(pub, nullptr), EVP_PKEY_CTX_free);
    std::size_t length = 0;
    if (!ctx || EVP_PKEY_encrypt_init(ctx.get()) != 1 ||
        EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_OAEP_PADDING) != 1 ||
        EVP_PKEY_CTX_set_rsa_oaep_md(ctx.get(), EVP_sha256()) != 1 ||
        EVP_PKEY_CTX_set_rsa_mgf1_md(ctx.get(), EVP_sha256()) != 1 ||
        EVP_PKEY_encrypt(ctx.get(), nullptr, &length, key.data(), key.size()) != 1) {
        return Unexpected(Error{Errc::StoreIo, "RSA-OAEP setup failed"});
    }
    std::vector<std::uint8_t> wrapped(length);
    if (EVP_PKEY_encrypt(ctx.get(), wrapped.data(), &length, key.data(), key.size()) != 1) {
        return Unexpected(Error{Errc::StoreIo, "RSA-OAEP encryption failed"});
    }
    wrapped.resize(length);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digestLength = 0;
    X509_digest(cert.get(), EVP_sha256(), digest, &digestLength);
    return json{{"slot", "recipient"},
                {"alg", "RSA-OAEP-SHA256"},
                {"cert_sha256", base::toHex(std::vector<std::uint8_t>(digest, digest + digestLength))},
                {"wrapped_key", base::toHex(wrapped)}};
}

} // namespace

Expected<ExportSummary, Error> exportStore(Store& store, const ExportOptions& options, base::RandomSource& random)
{
    if (options.passphrase.empty() && options.recipientCertPath.empty()) {
        return Unexpected(Error{Errc::InvalidInput, "an export needs a passphrase or a recipient", "recipient"});
    }
    auto signer = DeviceSigningKey::loadOrCreate(store, random);
    if (!signer) {
        return Unexpected(signer.error());
    }
    const base::SecureBytes archiveKey = makeDataKey(random);
    // The intermediate database in a private folder beside the store, not beside --out (which may
    // be a shared folder where a planted link would redirect it: security review L13).
    std::string privateDir = (std::filesystem::path(store.path()).parent_path() / ".export-XXXXXX").string();
    if (::mkdtemp(privateDir.data()) == nullptr) {
        return Unexpected(Error{Errc::StoreIo, "cannot create a private folder for the export", "out"});
    }
    const std::string temp = privateDir + "/archive.db";
    const auto cleanUp = [&] {
        removeDatabaseFiles(temp);
        std::error_code ec;
        std::filesystem::remove(privateDir, ec);
    };
    if (auto done = sql::exportEncryptedCopy(store.db(), archiveKey, temp); !done) {
        cleanUp();
        return Unexpected(done.error());
    }
    auto database = base::readSmallFile(temp, kMaxArchiveBytes, base::Links::Refuse);
    cleanUp();
    if (!database) {
        return Unexpected(fromBase(database.error()));
    }
    auto stats = StoreStats::collect(store);
    if (!stats) {
        return Unexpected(stats.error());
    }
    ExportSummary summary;
    summary.path = options.outPath;
    summary.databaseSha256 = base::sha256Hex(*database);
    summary.signerPublicKeyHex = signer->publicKeyHex();
    json wraps = json::array();
    if (!options.passphrase.empty()) {
        auto slot = wrapDataKey(archiveKey, UnlockSecret::passphrase(options.passphrase), options.scrypt,
                                exportBinding(store.storeId()), random);
        if (!slot) {
            return Unexpected(slot.error());
        }
        wraps.push_back(slotToJson(*slot));
        summary.wraps.push_back("passphrase");
    }
    if (!options.recipientCertPath.empty()) {
        auto wrap = wrapForRecipient(archiveKey, options.recipientCertPath);
        if (!wrap) {
            return Unexpected(wrap.error());
        }
        wraps.push_back(std::move(*wrap));
        summary.wraps.push_back("recipient");
    }
    const json manifest{{"format", kMagic},
                        {"store_id", store.storeId()},
                        {"created_at", sql::utcText(store.clock().nowJst())},
                        {"schema_version", stats->schemaVersion},
                        {"cipher_version", store.cipherVersion()},
                        {"rows", stats->rows},
                        {"database_bytes", database->size()},
                        {"database_sha256", summary.databaseSha256},
                        {"signer_public_key", summary.signerPublicKeyHex},
                        {"key_wraps", wraps}};
    const std::string manifestText = base::canonicalJson(manifest);
    auto signature = signer->sign(manifestText);
    if (!signature) {
        return Unexpected(signature.error());
    }
    std::string archive;
    archive.reserve(database->size() + manifestText.size() + 256);
    archive.append(kMagic).append("\n").append(manifestText).append("\n").append(base::toHex(*signature));
    archive.append("\n").append(*database);
    summary.bytes = static_cast<std::int64_t>(archive.size());
    // Audited before the file exists (review L13): an export that cannot be audited is not made,
    // and a crash after the row leaves an audited attempt, never an unaudited archive.
    auto tx = sql::Transaction::begin(store.db(), sql::Durability::Full);
    if (!tx) {
        return Unexpected(tx.error());
    }
    if (auto done = sql::AuditLog::append(
            store.db(),
            sql::AuditEntry{
                options.actor,
                "store.export",
                "store",
                {{"database_sha256", summary.databaseSha256}, {"wraps", summary.wraps}, {"out", options.outPath}}},
            store.clock().nowJst());
        !done) {
        return Unexpected(done.error());
    }
    if (auto done = tx->commit(); !done) {
        return Unexpected(done.error());
    }
    if (auto written = base::writeFileAtomically(options.outPath, archive, 0600); !written) {
        return Unexpected(fromBase(written.error()));
    }
    return summary;
}

namespace
{

// Verifies the archive; with a passphrase also opens its database from a temporary copy and runs
// `read` on it (the copy is removed afterwards).
Expected<ExportCheck, Error> openExport(const std::string& path,
                                        const std::optional<std::string>& passphrase,
                                        const base::Clock& clock,
                                        const std::function<Expected<void, Error>(Store&)>& read);

} // namespace

Expected<ExportCheck, Error>
verifyExport(const std::string& path, const std::optional<std::string>& passphrase, const base::Clock& clock)
{
    return openExport(path, passphrase, clock, [](Store&) { return Expected<void, Error>(); });
}

Expected<ExportOutbox, Error>
readExportOutbox(const std::string& path, const std::string& passphrase, const base::Clock& clock)
{
    ExportOutbox out;
    auto check = openExport(path, passphrase, clock, [&](Store& store) -> Expected<void, Error> {
        // Every unsent row, waiting for its backoff or dead-lettered alike: nextBatch at a time far ahead.
        const auto farAhead =
            base::Timestamp::fromUtc(std::chrono::sys_days{std::chrono::year{9999} / std::chrono::January / 1});
        auto all = Outbox::nextBatch(store.db(), 1000000, farAhead);
        auto dead = Outbox::deadLetters(store.db(), 1000000);
        if (!all || !dead) {
            return Unexpected(!all ? all.error() : dead.error());
        }
        out.unsent = std::move(*all);
        out.unsent.insert(out.unsent.end(), dead->begin(), dead->end());
        std::sort(out.unsent.begin(), out.unsent.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
        return {};
    });
    if (!check) {
        return Unexpected(check.error());
    }
    auto created = base::Timestamp::parse(check->createdAt);
    if (!created) {
        return Unexpected(Error{Errc::InvalidInput, "not a valid zaitaku export: no creation time", "archive"});
    }
    out.signerPublicKeyHex = check->signerPublicKeyHex;
    out.createdAt = *created;
    return out;
}

namespace
{

Expected<ExportCheck, Error> openExport(const std::string& path,
                                        const std::optional<std::string>& passphrase,
                                        const base::Clock& clock,
                                        const std::function<Expected<void, Error>(Store&)>& read)
{
    auto archive = base::readSmallFile(path, kMaxArchiveBytes);
    if (!archive) {
        return Unexpected(fromBase(archive.error()));
    }
    const auto invalid = [](const std::string& why) {
        return Unexpected(Error{Errc::InvalidInput, "not a valid zaitaku export: " + why, "archive"});
    };
    const std::size_t magicEnd = archive->find('\n');
    if (magicEnd == std::string::npos || archive->compare(0, magicEnd, kMagic) != 0) {
        return invalid("wrong header");
    }
    const std::size_t manifestEnd = archive->find('\n', magicEnd + 1);
    const std::size_t signatureEnd =
        manifestEnd == std::string::npos ? std::string::npos : archive->find('\n', manifestEnd + 1);
    if (signatureEnd == std::string::npos) {
        return invalid("truncated");
    }
    const std::string manifestText = archive->substr(magicEnd + 1, manifestEnd - magicEnd - 1);
    auto signature = base::fromHex(archive->substr(manifestEnd + 1, signatureEnd - manifestEnd - 1));
    const std::string_view database = std::string_view(*archive).substr(signatureEnd + 1);
    const json manifest = base::parseJson(manifestText);
    if (manifest.is_discarded() || !manifest.is_object() || !signature) {
        return invalid("unreadable manifest or signature");
    }
    const std::string signer = manifest.value("signer_public_key", "");
    if (!protocol::verifyDeviceSignature(signer, manifestText, *signature)) {
        return Unexpected(Error{Errc::SignatureInvalid, "the archive's signature does not verify", "signature"});
    }
    if (manifest.value("database_bytes", std::size_t{0}) != database.size() ||
        manifest.value("database_sha256", "") != base::sha256Hex(database)) {
        return Unexpected(
            Error{Errc::SignatureInvalid, "the archive's database does not match its signed digest", "database"});
    }
    ExportCheck check;
    check.storeId = manifest.value("store_id", "");
    check.createdAt = manifest.value("created_at", "");
    check.signerPublicKeyHex = signer;
    if (!passphrase) {
        return check;
    }
    std::optional<KeySlot> slot;
    for (const auto& wrap : manifest.value("key_wraps", json::array())) {
        if (wrap.value("slot", "") == "passphrase") {
            auto parsed = slotFromJson(wrap, path);
            if (!parsed) {
                return Unexpected(parsed.error());
            }
            slot = std::move(*parsed);
        }
    }
    if (!slot) {
        return Unexpected(Error{Errc::WrongKey, "the archive has no passphrase wrap", "passphrase"});
    }
    auto key = unwrapDataKey(*slot, UnlockSecret::passphrase(*passphrase), exportBinding(check.storeId));
    if (!key) {
        return Unexpected(key.error());
    }
    char tempPath[] = "/tmp/zaitaku-export-XXXXXX";
    const int fd = ::mkstemp(tempPath);
    if (fd < 0) {
        return Unexpected(Error{Errc::StoreIo, "cannot create a temporary file to open the archive"});
    }
    ::close(fd);
    const std::string temp = tempPath;
    if (auto written = base::writeFileAtomically(temp, database, 0600); !written) {
        removeDatabaseFiles(temp);
        return Unexpected(fromBase(written.error()));
    }
    StoreOptions options;
    options.quarantineOnFailure = false;
    auto opened = Store::open(temp, *key, check.storeId, clock, options);
    if (!opened) {
        removeDatabaseFiles(temp);
        return Unexpected(opened.error());
    }
    auto stats = StoreStats::collect(*opened);
    auto done = stats ? read(*opened) : Expected<void, Error>();
    opened->db().close();
    removeDatabaseFiles(temp);
    if (!stats) {
        return Unexpected(stats.error());
    }
    if (!done) {
        return Unexpected(done.error());
    }
    check.rows = stats->rows;
    return check;
}

} // namespace

} // namespace zaitaku::sync::store
