#pragma once

// zaitaku-gateway's settings: `<data-dir>/gateway.conf` (key = value lines, # comments), then
// command-line flags on top. Unknown keys are an error naming the line, so a typo never silently
// falls back to a default. docs/OPERATIONS.md lists every key.

#include "base/Expected.h"
#include "sync/SyncError.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace zaitaku::sync::gateway
{

enum class StorageBackend
{
    Sqlite,
    Postgresql,
};

struct GatewayConfig
{
    std::string dataDir;
    std::string host = "127.0.0.1";
    std::uint16_t port = 8443;
    int threads = 8;                      // handlers mostly wait on a group commit: four a core
    std::vector<std::string> serverNames; // extra names in the server certificate
    std::vector<std::string> jpkiCaFiles;
    std::string jpkiCrlFile;
    std::chrono::hours challengeLifetime{72};
    std::chrono::hours localChallengeWindow{72};
    std::chrono::hours uploadGrace{14 * 24};
    std::chrono::seconds skewTolerance{300};
    double ratePerSecond = 200;
    double rateBurst = 400;
    // Unauthenticated traffic (issue 21): enrollment has its own small bucket per address, and
    // connections are capped in all and per address before any TLS work.
    double enrollPerMinute = 6;
    double enrollBurst = 5;
    // What one tablet may make the gateway keep and ask (security review M3/M8): record bytes an
    // hour (a week offline is a few MB; 429 beyond, the tablet keeps them queued) and first-visit
    // 資格確認 queries a day (beyond, the record is stored and flagged oqs_budget_exceeded).
    double recordBytesPerDeviceHour = 64.0 * 1024 * 1024;
    double firstVisitQueriesPerDeviceDay = 100;
    // /metrics: only for a client certificate from `zaitaku-gateway monitor-cert` (the default,
    // `metrics_client_cert = required`), or open to whoever reaches the port (`none`: bind or
    // firewall it) (security review M1).
    bool metricsNeedCertificate = true;
    // transport::ServerOptions: every slot, those a stranger may hold, those one network may hold.
    std::size_t maxConnections = 1024;
    std::size_t maxUnauthenticatedConnections = 256;
    std::size_t maxUnauthenticatedPerPrefix = 64;
    bool logRequests = false;
    // 申立書 personal data are purged this long after a clerk marks the claim settled (seed 003:
    // 「…必要な事務を終えた段階で、速やかに廃棄します」; a week to undo a mistaken mark [I]).
    std::chrono::hours claimPurgeAfter{7 * 24};

    // The OQS bridge (docs/OQS.md): off unless the terminal's req/ and res/ folders are set.
    std::string oqsRequestDir;
    std::string oqsResultDir;
    std::string oqsStateDir; // default <data-dir>/oqs
    // Days the bridge keeps the raw request and result files in archive/ (review L9) [I: the
    // results stay in the database; the files serve support for a few months].
    int oqsArchiveDays = 90;
    std::string medicalInstitutionCode = "0000000000";
    bool oqsShiftJis = true;
    std::chrono::milliseconds oqsSingleTimeout{30000};
    std::chrono::milliseconds oqsBulkTimeout{120000};
    std::chrono::milliseconds oqsPollFirst{20};

    // Where accepted records live (docs/OPERATIONS.md "Storage backends").
    StorageBackend storage = StorageBackend::Sqlite;
    std::string postgresConninfo; // libpq conninfo or URI; may name a passfile, never logged
    // The schema owner's role, for migrations and grants only (security review M6); empty: the
    // gateway's role owns its tables.
    std::string postgresOwnerConninfo;
    std::chrono::milliseconds postgresStatementTimeout{30000};

    std::string databasePath() const { return dataDir + "/gateway.db"; }
    // Reads <dataDir>/gateway.conf when it exists (or `file` when given).
    Expected<void, Error> loadFile(const std::string& file);
    // One setting by its config-file key ("listen", "jpki_ca" …).
    Expected<void, Error> set(const std::string& key, const std::string& value);
};

} // namespace zaitaku::sync::gateway
