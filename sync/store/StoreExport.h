#pragma once

// Handover of a retired tablet's store to the gateway: an encrypted, signed archive.
//
//   ZAITAKU-STORE-EXPORT/1\n
//   <manifest: canonical JSON>\n
//   <Ed25519 signature over the manifest bytes, hex>\n
//   <database: a fresh SQLCipher copy (sqlcipher_export) under a random archive key>
//
// The manifest holds the store id, schema version, row counts, the database's size and SHA-256,
// the device's public signing key, and the archive key wrapped for whoever may open it: a handover
// passphrase (scrypt, as the key file) and/or a recipient certificate (RSA-OAEP-SHA256). Format
// details: docs/PROTOCOL.md.

#include "base/Clock.h"
#include "base/Expected.h"
#include "base/Random.h"
#include "sync/SyncError.h"
#include "sync/protocol/Scrypt.h"
#include "sync/store/Outbox.h"
#include "sync/store/Store.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::store
{

struct ExportOptions
{
    std::string outPath;
    std::string passphrase;        // handover passphrase (optional if a recipient is given)
    std::string recipientCertPath; // PEM certificate with an RSA key (optional)
    protocol::ScryptParams scrypt;
    std::string actor = "operator";
};

struct ExportSummary
{
    std::string path;
    std::int64_t bytes = 0;
    std::string databaseSha256;
    std::string signerPublicKeyHex;
    std::vector<std::string> wraps;
};

struct ExportCheck
{
    std::string storeId;
    std::string createdAt;
    std::string signerPublicKeyHex;
    std::optional<std::map<std::string, std::int64_t>> rows; // when opened with the passphrase
};

// What an archive still had to send (issue 30, the gateway's `records import`): the rows of its
// outbox not acknowledged, oldest first, with the signer and the signed creation time.
struct ExportOutbox
{
    std::string signerPublicKeyHex;
    base::Timestamp createdAt = base::Timestamp::fromUtc({});
    std::vector<OutboxItem> unsent;
};

Expected<ExportSummary, Error> exportStore(Store& store, const ExportOptions& options, base::RandomSource& random);

// Checks the signature and the digest; with the passphrase also unwraps the key and opens (and
// integrity-checks) the database from a temporary copy that is removed afterwards.
Expected<ExportCheck, Error>
verifyExport(const std::string& path, const std::optional<std::string>& passphrase, const base::Clock& clock);
// Verifies the archive as verifyExport does, then reads its unsent outbox rows.
Expected<ExportOutbox, Error>
readExportOutbox(const std::string& path, const std::string& passphrase, const base::Clock& clock);

} // namespace zaitaku::sync::store
