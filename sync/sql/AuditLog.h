#pragma once

// The tablet's append-only, hash-chained audit log. Each row stores
//   hash = SHA-256( prev_hash (32 raw bytes) ‖ canonical JSON {seq, at, actor, action, subject, detail} )
// with an all-zero prev_hash for row 1. verify() recomputes the chain: an edited row breaks its own
// hash, a deleted or reordered row breaks the sequence or the next row's prev_hash, and the head
// kept in store_meta (same transaction) catches a truncated tail. A key holder who rewrites the
// whole chain and the head is caught only against the gateway's copy (docs/THREAT-MODEL.md).
//
// Rows say what happened and to which record; never a PIN, a face image or medical content.

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/sql/Database.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::sync::sql
{

struct AuditEntry
{
    std::string actor;   // staff id, "system" or "operator"
    std::string action;  // dotted verb: "visit.commit", "store.purge", "roster.import" …
    std::string subject; // the record id acted on, or the kind of records
    nlohmann::json detail = nlohmann::json::object();
};

struct AuditProblem
{
    std::int64_t seq;
    std::string what;
};

struct AuditVerification
{
    std::int64_t rows = 0;
    std::string headHash;
    std::vector<AuditProblem> problems; // empty: the chain verifies
    bool ok() const { return problems.empty(); }
    // {ok, rows, head, problems: [{seq, problem}]} (the CLIs' `audit verify`).
    nlohmann::json toJson() const;
};

// The hash chain itself, independent of where the rows live: the tablet's SQLite table and the
// gateway's PostgreSQL table compute and verify exactly the same chain.
class AuditChain
{
public:
    static const std::string& genesis(); // prev_hash of row 1: 64 zeros
    static std::string hash(const std::string& prevHashHex,
                            std::int64_t seq,
                            const std::string& at,
                            const std::string& actor,
                            const std::string& action,
                            const std::string& subject,
                            const std::string& detailCanonical);

    // Feed the rows in seq order, then finish with the head recorded beside the table
    // ("seq:hash", empty when none).
    void check(std::int64_t seq,
               const std::string& at,
               const std::string& actor,
               const std::string& action,
               const std::string& subject,
               const std::string& detail,
               const std::string& prevHash,
               const std::string& hash);
    AuditVerification finish(const std::string& recordedHead);

private:
    void note(std::int64_t seq, std::string what);
    AuditVerification m_result;
    std::string m_expectedPrev = genesis();
    std::int64_t m_expectedSeq = 1;
};

class AuditLog
{
public:
    // The table and its append-only triggers, for databases created after the tablet's schema v1
    // (which carries the same text in its migration: a migration's text never changes).
    static constexpr std::string_view kTableSql = R"sql(
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";

    // Appends inside the caller's transaction (the business event and its audit row commit
    // together).
    static Expected<std::int64_t, Error> append(Database& db, const AuditEntry& entry, const base::Timestamp& at);
    static Expected<AuditVerification, Error> verify(Database& db);
};

} // namespace zaitaku::sync::sql
