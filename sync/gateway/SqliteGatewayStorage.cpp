#include "sync/gateway/SqliteGatewayStorage.h"

#include "sync/gateway/GatewaySchema.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/CipherKey.h"
#include "sync/sql/Database.h"
#include "sync/sql/Migrations.h"
#include "sync/sql/SqliteApi.h"
#include "sync/sql/Transaction.h"

#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <vector>

namespace zaitaku::sync::gateway
{

using sql::Database;

namespace
{

// SQLite's dialect of the gateway's schema: STRICT tables, rowid seqs, RAISE triggers; version 1
// carries the tablet's audit table and hash chain (store/AuditLog).
constexpr SqlDialect kSqliteDialect{
    "INTEGER", "INTEGER PRIMARY KEY", " STRICT",
    "CREATE TRIGGER record_immutable BEFORE UPDATE ON record\n"
    "BEGIN SELECT RAISE(ABORT, 'accepted records are immutable'); END;\n"
    "CREATE TRIGGER record_no_delete BEFORE DELETE ON record\n"
    "BEGIN SELECT RAISE(ABORT, 'accepted records are never deleted'); END;\n",
    "DROP TRIGGER record_immutable;\n"
    "CREATE TRIGGER record_immutable BEFORE UPDATE ON record\n"
    "WHEN NOT (OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL\n"
    "  AND NEW.seq IS OLD.seq AND NEW.device_id IS OLD.device_id\n"
    "  AND NEW.idem_key IS OLD.idem_key AND NEW.kind IS OLD.kind\n"
    "  AND NEW.record_id IS OLD.record_id AND NEW.payload_sha256 IS OLD.payload_sha256\n"
    "  AND NEW.created_at IS OLD.created_at AND NEW.device_time IS OLD.device_time\n"
    "  AND NEW.received_at IS OLD.received_at AND NEW.flags IS OLD.flags)\n"
    "BEGIN SELECT RAISE(ABORT, 'accepted records are immutable'); END;\n"};

// The versions as sql::migrate takes them (views into strings that live as long as the program).
std::span<const sql::Migration> gatewayMigrations()
{
    static const std::vector<GatewaySchemaVersion> versions =
        gatewaySchema(kSqliteDialect, "", sql::AuditLog::kTableSql);
    static const std::vector<sql::Migration> migrations = [] {
        std::vector<sql::Migration> out;
        for (const auto& v : versions) {
            out.push_back({v.version, v.summary, v.sql});
        }
        return out;
    }();
    return migrations;
}

// One SQLCipher connection behind the seam. Every statement is prepared once and kept (parsing the
// SQL cost more than running it); each run is stepped to the end and reset, so no read
// transaction stays open between calls.
class SqliteConnection final : public SqlConnection
{
public:
    explicit SqliteConnection(Database db)
        : m_db(std::move(db))
    {}

    std::string backend() const override { return "sqlite"; }

    Expected<SqlRows, Error> exec(std::string_view sql, const std::vector<SqlValue>& params) override
    {
        auto statement = cached(sql);
        if (!statement) {
            return errorOf(statement);
        }
        sql::Statement& s = **statement;
        for (std::size_t i = 0; i < params.size(); ++i) {
            const int index = static_cast<int>(i + 1);
            if (const auto* text = std::get_if<std::string>(&params[i])) {
                s.bind(index, std::string_view(*text));
            } else if (const auto* number = std::get_if<std::int64_t>(&params[i])) {
                s.bind(index, *number);
            } else {
                s.bindNull(index);
            }
        }
        SqlRows out;
        auto done = s.forEachRow([&](const sql::Statement& row) {
            SqlRows::Row cells;
            const int columns = row.columnCount();
            cells.reserve(static_cast<std::size_t>(columns));
            for (int c = 0; c < columns; ++c) {
                cells.push_back(row.optionalText(c));
            }
            out.add(std::move(cells));
        });
        s.reset();
        if (!done) {
            return errorOf(done);
        }
        out.setAffected(m_db.changes());
        return out;
    }

    Expected<void, Error> beginWrite(WriteDurability durability) override
    {
        // synchronous=FULL for what acknowledges; NORMAL (WAL) keeps the chain consistent through
        // a crash and leaves durability to the next FULL commit.
        auto tx = sql::Transaction::begin(m_db, durability == WriteDurability::Full ? sql::Durability::Full
                                                                                    : sql::Durability::Normal);
        if (!tx) {
            return errorOf(tx);
        }
        m_write.emplace(std::move(*tx));
        return {};
    }

    Expected<void, Error> commitWrite() override
    {
        auto done = m_write->commit();
        m_write.reset(); // a failed commit rolls back here
        return done;
    }

    void rollbackWrite() override { m_write.reset(); }

    Expected<void, Error> beginRead() override { return m_db.exec("BEGIN", "read snapshot"); }

    Expected<int, Error> schemaVersion() override
    {
        auto version = m_db.queryInt("PRAGMA user_version");
        if (!version) {
            return errorOf(version);
        }
        return static_cast<int>(*version);
    }

private:
    Expected<sql::Statement*, Error> cached(std::string_view sql)
    {
        auto it = m_statements.find(sql);
        if (it == m_statements.end()) {
            auto prepared = m_db.prepare(sql);
            if (!prepared) {
                return errorOf(prepared);
            }
            it = m_statements.emplace(std::string(sql), std::move(*prepared)).first;
        }
        it->second.reset();
        return &it->second;
    }

    // Declared before the statements: they are finalised before the connection closes.
    Database m_db;
    std::map<std::string, sql::Statement, std::less<>> m_statements;
    std::optional<sql::Transaction> m_write;
};

} // namespace

Expected<std::unique_ptr<SqlGatewayStorage>, Error> SqliteGatewayStorage::open(const std::string& path,
                                                                               const base::SecureBytes& key,
                                                                               base::RandomSource& random,
                                                                               const base::Timestamp& now)
{
    auto db = Database::open(sql::sqlcipherApi(), path, sql::OpenMode::ReadWriteCreate);
    if (!db) {
        return errorOf(db);
    }
    // Owner only (SQLite gives its -wal and -shm files the same mode).
    std::error_code ec;
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    if (auto keyed = sql::keyConnection(*db, key); !keyed) {
        return errorOf(keyed);
    }
    if (auto check = db->queryText("PRAGMA quick_check"); !check || *check != "ok") {
        return Unexpected(
            Error{Errc::StoreCorrupted,
                  "the gateway database " + path + " fails its integrity check (or secrets.key does not match it)"});
    }
    if (auto done = db->exec("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;"
                             "PRAGMA cache_size = -64000;",
                             "configure");
        !done) {
        return errorOf(done);
    }
    if (auto done = sql::migrate(*db, gatewayMigrations()); !done) {
        return errorOf(done);
    }
    // A second connection for reads: in WAL mode they never wait for a commit's fsync.
    auto reader = Database::open(sql::sqlcipherApi(), path, sql::OpenMode::ReadWrite);
    if (!reader) {
        return errorOf(reader);
    }
    if (auto keyed = sql::keyConnection(*reader, key); !keyed) {
        return errorOf(keyed);
    }
    if (auto done = reader->exec("PRAGMA query_only = ON; PRAGMA cache_size = -64000;", "configure reader"); !done) {
        return errorOf(done);
    }
    return SqlGatewayStorage::open(std::make_unique<SqliteConnection>(std::move(*db)),
                                   std::make_unique<SqliteConnection>(std::move(*reader)), random, now);
}

} // namespace zaitaku::sync::gateway
