#pragma once

// One libpq connection with what the gateway needs and nothing more: parameterised statements in
// text format (never SQL built from data), a statement timeout on every round trip, SQLSTATEs
// turned into sync::Error values an operator can act on, and a reconnect between operations when
// the server went away. The conninfo string may hold a password: it is never logged nor put into
// an error message. libpq-fe.h stays in the .cpp (scripts/check-layering.sh).

#include "base/Expected.h"
#include "sync/SyncError.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct pg_conn;
struct pg_result;

namespace zaitaku::sync::gateway
{

// A statement parameter in text form; nullopt is SQL NULL.
using PgParam = std::optional<std::string>;

class PgResult
{
public:
    explicit PgResult(pg_result* result);
    int rows() const;
    int columns() const;
    bool isNull(int row, int column) const;
    std::string text(int row, int column) const;
    std::int64_t integer(int row, int column) const;
    // Rows an INSERT/UPDATE/DELETE touched.
    std::int64_t affected() const;
    // The command tag ("INSERT 0 1", "COMMIT", "ROLLBACK" …).
    std::string command() const;

private:
    struct Free
    {
        void operator()(pg_result* r) const;
    };
    std::unique_ptr<pg_result, Free> m_result;
};

enum class PgSession
{
    ReadWrite,
    // default_transaction_read_only: every statement is idempotent, so one lost connection (a
    // server restart) is reconnected and the statement sent again.
    ReadOnly,
};

// Why this conninfo must not be used, or empty: a server that is not on this machine (loopback or
// a Unix socket) is reached only with sslmode=verify-ca or verify-full, so that neither the
// password nor patients' records cross a network in the clear or to an impostor. `env` looks up
// libpq's environment defaults (PGHOST, PGHOSTADDR, PGSSLMODE).
std::string pgTransportProblem(const std::string& conninfo, const std::function<const char*(const char*)>& env);

class PgConnection
{
public:
    // `conninfo` is libpq's ("host=… port=… dbname=… user=…" or a postgresql:// URI). A
    // connect_timeout of 10 s is added unless it names one; every statement gets `statementTimeout`.
    static Expected<PgConnection, Error> connect(const std::string& conninfo,
                                                 std::chrono::milliseconds statementTimeout,
                                                 PgSession session = PgSession::ReadWrite);

    PgConnection(PgConnection&&) noexcept = default;
    PgConnection& operator=(PgConnection&&) noexcept = default;

    Expected<PgResult, Error> exec(std::string_view sql, const std::vector<PgParam>& params = {});
    // Several statements without parameters (migrations, BEGIN/COMMIT).
    Expected<void, Error> run(std::string_view sql);
    // Reconnects when the connection is known to be broken (after a failed statement); a no-op
    // otherwise.
    Expected<void, Error> ensureConnected();
    std::string serverVersion() const;

private:
    struct Finish
    {
        void operator()(pg_conn* c) const;
    };
    PgConnection(pg_conn* conn, std::chrono::milliseconds statementTimeout, PgSession session);
    Expected<void, Error> configureSession();
    Expected<void, Error> runOnce(const std::string& sql);
    Expected<void, Error> checked(pg_result* result, const std::string& sql) const;
    // Runs `attempt` once more on a fresh connection when the connection was lost while idle and
    // sending again cannot store anything twice (a read-only session, or BEGIN).
    template <typename Attempt> auto withReconnect(const std::string& sql, Attempt attempt);
    std::unique_ptr<pg_conn, Finish> m_conn;
    std::chrono::milliseconds m_statementTimeout;
    PgSession m_session;
};

// A transaction on one connection, rolled back unless committed (like store::Transaction).
class PgTransaction
{
public:
    static Expected<PgTransaction, Error> begin(PgConnection& connection);
    PgTransaction(PgTransaction&& other) noexcept;
    PgTransaction& operator=(PgTransaction&&) = delete;
    ~PgTransaction();
    Expected<void, Error> commit();

private:
    explicit PgTransaction(PgConnection& connection)
        : m_connection(&connection)
    {}
    PgConnection* m_connection;
    bool m_open = true;
};

// The error for a SQLSTATE (exposed for the tests): 23xxx constraint, 53100 disk full,
// 57014 timeout, 40001/40P01/55P03 busy, 08xxx connection lost, else StoreIo.
Error pgError(std::string_view sqlState, std::string_view context, std::string_view serverMessage);

// Text forms of the values the gateway stores.
PgParam pgText(std::string_view text);
PgParam pgInt(std::int64_t value);

} // namespace zaitaku::sync::gateway
