#include "sync/gateway/PostgresGatewayStorage.h"

#include "sync/gateway/GatewaySchema.h"
#include "sync/gateway/PgConnection.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/SqlTime.h"

#include <optional>
#include <vector>

namespace zaitaku::sync::gateway
{

namespace
{

// PostgreSQL's dialect of the gateway's schema. Timestamps are the store's fixed-width UTC text, so
// comparisons in SQL are time comparisons on both engines; payloads and results are text so that
// what a tablet signed comes back byte for byte.
constexpr SqlDialect kPostgresDialect{
    "BIGINT", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "",
    "CREATE TRIGGER record_immutable BEFORE UPDATE OR DELETE ON record\n"
    "    FOR EACH ROW EXECUTE FUNCTION zaitaku_refuse('accepted records are immutable and never deleted');\n"
    "CREATE TRIGGER record_no_truncate BEFORE TRUNCATE ON record\n"
    "    FOR EACH STATEMENT EXECUTE FUNCTION zaitaku_refuse('accepted records are never deleted');\n",
    "CREATE FUNCTION zaitaku_record_guard() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "    IF TG_OP = 'UPDATE' AND OLD.purged_at IS NULL AND NEW.purged_at IS NOT NULL\n"
    "       AND NEW.seq = OLD.seq AND NEW.device_id = OLD.device_id AND NEW.idem_key = OLD.idem_key\n"
    "       AND NEW.kind = OLD.kind AND NEW.record_id = OLD.record_id\n"
    "       AND NEW.payload_sha256 = OLD.payload_sha256 AND NEW.created_at = OLD.created_at\n"
    "       AND NEW.device_time = OLD.device_time AND NEW.received_at = OLD.received_at\n"
    "       AND NEW.flags = OLD.flags THEN\n"
    "        RETURN NEW;\n"
    "    END IF;\n"
    "    RAISE EXCEPTION 'accepted records are immutable and never deleted' USING ERRCODE = 'restrict_violation';\n"
    "END $$;\n"
    "DROP TRIGGER record_immutable ON record;\n"
    "CREATE TRIGGER record_immutable BEFORE UPDATE OR DELETE ON record\n"
    "    FOR EACH ROW EXECUTE FUNCTION zaitaku_record_guard();\n"};

// Version 1's own parts: the function the append-only triggers call, and the audit table.
constexpr std::string_view kRefuseFunction = R"sql(
CREATE FUNCTION zaitaku_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END $$;
)sql";

// The tablet's audit table (store/AuditLog: the same columns and hash chain) in PostgreSQL's
// words: BIGINT seqs, no STRICT, and append-only triggers that call zaitaku_refuse.
std::string auditTable()
{
    std::string sql(sql::AuditLog::kTableSql);
    sql.erase(sql.find(") STRICT;"));
    sql.replace(sql.find("INTEGER PRIMARY KEY"), std::string_view("INTEGER").size(), "BIGINT");
    return sql + ");\n"
                 "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log\n"
                 "    FOR EACH ROW EXECUTE FUNCTION zaitaku_refuse('the audit log is append-only');\n"
                 "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log\n"
                 "    FOR EACH STATEMENT EXECUTE FUNCTION zaitaku_refuse('the audit log is append-only');\n";
}

const std::vector<GatewaySchemaVersion>& migrations()
{
    static const std::vector<GatewaySchemaVersion> versions =
        gatewaySchema(kPostgresDialect, kRefuseFunction, auditTable());
    return versions;
}

// pg_advisory_xact_lock key of every write transaction ("zaitaku" in ASCII).
constexpr std::string_view kWriterLock = "SELECT pg_advisory_xact_lock(34473461343336545)";

Expected<int, Error> currentVersion(PgConnection& db)
{
    auto v = db.exec("SELECT coalesce(max(version), 0) FROM zaitaku_schema");
    if (!v) {
        return errorOf(v);
    }
    return static_cast<int>(v->integer(0, 0));
}

Expected<void, Error> migrate(PgConnection& db, const base::Timestamp& now)
{
    auto tx = PgTransaction::begin(db);
    if (!tx) {
        return errorOf(tx);
    }
    // Two gateways (or a gateway and the CLI) starting together: one migrates, the other waits.
    if (auto locked = db.exec(kWriterLock); !locked) {
        return errorOf(locked);
    }
    // No DDL at all when the schema is current: the gateway's own role may not be allowed any.
    auto exists = db.exec("SELECT to_regclass('zaitaku_schema') IS NOT NULL");
    if (!exists) {
        return errorOf(exists);
    }
    if (exists->text(0, 0) != "t") {
        if (auto done = db.run("CREATE TABLE zaitaku_schema (version INTEGER PRIMARY KEY, "
                               "summary TEXT NOT NULL, applied_at TEXT NOT NULL)");
            !done) {
            return errorOf(done);
        }
    }
    auto version = currentVersion(db);
    if (!version) {
        return errorOf(version);
    }
    if (*version > migrations().back().version) {
        return Unexpected(
            Error{Errc::StoreSchemaTooNew, "the PostgreSQL database is at schema version " + std::to_string(*version) +
                                               ", newer than this gateway knows (" +
                                               std::to_string(migrations().back().version) + "): never downgraded"});
    }
    for (const auto& m : migrations()) {
        if (m.version <= *version) {
            continue;
        }
        if (auto done = db.run(m.sql); !done) {
            return Unexpected(Error{done.error().code, "schema migration " + std::to_string(m.version) + " (" +
                                                           std::string(m.summary) + "): " + done.error().message});
        }
        if (auto done = db.exec("INSERT INTO zaitaku_schema (version, summary, applied_at) VALUES ($1, $2, $3)",
                                {pgInt(m.version), pgText(m.summary), sql::utcText(now)});
            !done) {
            return errorOf(done);
        }
    }
    return tx->commit();
}

// What the gateway's role may do in a schema another role owns (security review M6): read and
// write its working tables, append to the record and audit tables (a record's purge is an
// UPDATE the record guard checks), and nothing else — no DDL, so no DROP or DISABLE TRIGGER.
Expected<void, Error> grantServiceRole(PgConnection& owner, const std::string& serviceRole)
{
    auto quoted = owner.exec("SELECT quote_ident($1), quote_ident(current_schema())", {serviceRole});
    if (!quoted) {
        return errorOf(quoted);
    }
    const std::string role = quoted->text(0, 0);
    const std::string schema = quoted->text(0, 1);
    return owner.run("GRANT USAGE ON SCHEMA " + schema + " TO " + role +
                     ";\n"
                     "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " +
                     schema + " TO " + role +
                     ";\n"
                     "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " +
                     schema + " TO " + role +
                     ";\n"
                     "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM " +
                     role +
                     ";\n"
                     "REVOKE DELETE, TRUNCATE ON record FROM " +
                     role +
                     ";\n"
                     "REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON zaitaku_schema FROM " +
                     role + ";\n");
}

// The seam's ?1, ?2 … as libpq's $1, $2 … (the gateway's SQL has no '?' inside literals).
std::string dollarParameters(std::string_view sql)
{
    std::string out(sql);
    for (std::size_t i = 0; i + 1 < out.size(); ++i) {
        if (out[i] == '?' && out[i + 1] >= '0' && out[i + 1] <= '9') {
            out[i] = '$';
        }
    }
    return out;
}

PgParam pgParam(const SqlValue& value)
{
    if (const auto* text = std::get_if<std::string>(&value)) {
        return *text;
    }
    if (const auto* number = std::get_if<std::int64_t>(&value)) {
        return pgInt(*number);
    }
    return std::nullopt;
}

// One libpq connection behind the seam. A read-only session reconnects before a statement when
// the server went away (every read is idempotent); a write transaction takes the writer lock.
class PostgresConnection final : public SqlConnection
{
public:
    explicit PostgresConnection(PgConnection connection, PgSession session)
        : m_conn(std::move(connection))
        , m_session(session)
    {}

    std::string backend() const override { return "postgresql"; }

    Expected<SqlRows, Error> exec(std::string_view sql, const std::vector<SqlValue>& params) override
    {
        if (m_session == PgSession::ReadOnly) {
            if (auto connected = m_conn.ensureConnected(); !connected) {
                return errorOf(connected);
            }
        }
        std::vector<PgParam> values;
        values.reserve(params.size());
        for (const auto& p : params) {
            values.push_back(pgParam(p));
        }
        auto r = m_conn.exec(dollarParameters(sql), values);
        if (!r) {
            return errorOf(r);
        }
        SqlRows out;
        for (int row = 0; row < r->rows(); ++row) {
            SqlRows::Row cells;
            cells.reserve(static_cast<std::size_t>(r->columns()));
            for (int c = 0; c < r->columns(); ++c) {
                cells.push_back(r->isNull(row, c) ? std::nullopt : std::optional<std::string>(r->text(row, c)));
            }
            out.add(std::move(cells));
        }
        out.setAffected(r->affected());
        return out;
    }

    Expected<void, Error> beginWrite(WriteDurability durability) override
    {
        auto tx = PgTransaction::begin(m_conn);
        if (!tx) {
            return errorOf(tx);
        }
        // Writers are serialised (this process and others, such as `snapshots import`): seqs
        // become visible in commit order and the audit chain has one head.
        if (auto locked = m_conn.exec(kWriterLock); !locked) {
            return errorOf(locked);
        }
        if (durability == WriteDurability::Relaxed) {
            if (auto relaxed = m_conn.exec("SET LOCAL synchronous_commit TO off"); !relaxed) {
                return errorOf(relaxed);
            }
        }
        m_write.emplace(std::move(*tx));
        return {};
    }

    Expected<void, Error> commitWrite() override
    {
        auto done = m_write->commit();
        m_write.reset();
        return done;
    }

    void rollbackWrite() override { m_write.reset(); } // PgTransaction rolls back what it did not commit

    Expected<void, Error> beginRead() override
    {
        if (auto connected = m_conn.ensureConnected(); !connected) {
            return connected;
        }
        return m_conn.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    }

    Expected<int, Error> schemaVersion() override { return currentVersion(m_conn); }

private:
    PgConnection m_conn;
    PgSession m_session;
    std::optional<PgTransaction> m_write; // refers to m_conn: this object never moves (heap)
};

} // namespace

Expected<std::unique_ptr<SqlGatewayStorage>, Error>
PostgresGatewayStorage::open(const std::string& conninfo,
                             base::RandomSource& random,
                             const base::Timestamp& now,
                             std::chrono::milliseconds statementTimeout,
                             const std::string& ownerConninfo)
{
    auto writer = PgConnection::connect(conninfo, statementTimeout);
    if (!writer) {
        return errorOf(writer);
    }
    if (!ownerConninfo.empty()) {
        auto role = writer->exec("SELECT current_user");
        if (!role) {
            return errorOf(role);
        }
        auto owner = PgConnection::connect(ownerConninfo, statementTimeout);
        if (!owner) {
            return errorOf(owner);
        }
        if (auto done = migrate(*owner, now); !done) {
            return errorOf(done);
        }
        if (auto done = grantServiceRole(*owner, role->text(0, 0)); !done) {
            return Unexpected(
                Error{done.error().code, "granting the gateway's role its tables (postgres_owner_conninfo):"
                                         " " +
                                             done.error().message});
        }
    }
    if (auto done = migrate(*writer, now); !done) {
        return errorOf(done);
    }
    auto reader = PgConnection::connect(conninfo, statementTimeout, PgSession::ReadOnly);
    if (!reader) {
        return errorOf(reader);
    }
    return SqlGatewayStorage::open(std::make_unique<PostgresConnection>(std::move(*writer), PgSession::ReadWrite),
                                   std::make_unique<PostgresConnection>(std::move(*reader), PgSession::ReadOnly),
                                   random, now);
}

} // namespace zaitaku::sync::gateway
