#include "sync/gateway/PgConnection.h"

#include <arpa/inet.h>
#include <charconv>
#include <cstdlib>
#include <libpq-fe.h>

namespace zaitaku::sync::gateway
{

namespace
{

std::string trimmed(const char* message)
{
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

void ignoreNotice(void*, const char*) {}

// A loopback address or a Unix socket; a name is local only if it is "localhost" (a name like
// "127.evil.example" is not an address: security review L3).
bool isLocalHost(std::string_view host)
{
    if (host.empty() || host.front() == '/' || host.front() == '@' || host == "localhost" || host == "::1") {
        return true;
    }
    unsigned char bytes[4];
    const std::string text(host);
    return ::inet_pton(AF_INET, text.c_str(), bytes) == 1 && bytes[0] == 127;
}

} // namespace

std::string pgTransportProblem(const std::string& conninfo, const std::function<const char*(const char*)>& env)
{
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &error);
    if (options == nullptr) {
        std::string why = error ? trimmed(error) : "out of memory";
        PQfreemem(error);
        return "postgres_conninfo does not parse: " + why;
    }
    std::string host;
    std::string hostaddr;
    std::string sslmode;
    bool service = false;
    for (auto* o = options; o->keyword != nullptr; ++o) {
        const std::string_view key = o->keyword;
        const std::string value = o->val ? o->val : "";
        service = service || (key == "service" && !value.empty());
        if (key == "host") {
            host = value;
        } else if (key == "hostaddr") {
            hostaddr = value;
        } else if (key == "sslmode") {
            sslmode = value;
        }
    }
    PQconninfoFree(options);
    const auto fallback = [&](std::string& value, const char* name) {
        if (const char* v = value.empty() ? env(name) : nullptr) {
            value = v;
        }
    };
    // A service file (pg_service.conf) can name any host and sslmode behind the guard's back:
    // refused, in the string and in the environment (security review L3).
    for (const char* name : {"PGSERVICE", "PGSERVICEFILE", "PGSYSCONFDIR"}) {
        service = service || (env(name) != nullptr && *env(name) != '\0');
    }
    if (service) {
        return "postgres_conninfo must name its host and sslmode itself: a PostgreSQL service (service=, "
               "PGSERVICE, PGSERVICEFILE, PGSYSCONFDIR) is refused";
    }
    fallback(host, "PGHOST");
    fallback(hostaddr, "PGHOSTADDR");
    fallback(sslmode, "PGSSLMODE");
    bool remote = false;
    for (const std::string* list : {&host, &hostaddr}) {
        std::string_view rest(*list);
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            remote = remote || !isLocalHost(rest.substr(0, comma));
            if (comma == std::string_view::npos) {
                break;
            }
            rest.remove_prefix(comma + 1);
        }
    }
    // verify-full: the certificate chains to the root in sslrootcert AND names the host; verify-ca
    // checks only the chain, so any certificate of that CA (a public one) would pass (L3).
    if (remote && sslmode != "verify-full") {
        return "PostgreSQL on another machine needs sslmode=verify-full in postgres_conninfo; it is '" +
               (sslmode.empty() ? std::string("prefer") : sslmode) + "'";
    }
    return {};
}

void PgResult::Free::operator()(pg_result* r) const
{
    PQclear(r);
}

PgResult::PgResult(pg_result* result)
    : m_result(result)
{}

int PgResult::rows() const
{
    return PQntuples(m_result.get());
}

int PgResult::columns() const
{
    return PQnfields(m_result.get());
}

bool PgResult::isNull(int row, int column) const
{
    return PQgetisnull(m_result.get(), row, column) != 0;
}

std::string PgResult::text(int row, int column) const
{
    return std::string(PQgetvalue(m_result.get(), row, column),
                       static_cast<std::size_t>(PQgetlength(m_result.get(), row, column)));
}

std::int64_t PgResult::integer(int row, int column) const
{
    const char* value = PQgetvalue(m_result.get(), row, column);
    const auto length = static_cast<std::size_t>(PQgetlength(m_result.get(), row, column));
    std::int64_t out = 0;
    std::from_chars(value, value + length, out);
    return out;
}

std::string PgResult::command() const
{
    return PQcmdStatus(m_result.get());
}

std::int64_t PgResult::affected() const
{
    const char* count = PQcmdTuples(m_result.get());
    std::int64_t out = 0;
    std::from_chars(count, count + std::char_traits<char>::length(count), out);
    return out;
}

Error pgError(std::string_view sqlState, std::string_view context, std::string_view serverMessage)
{
    const std::string what = "PostgreSQL (" + std::string(context) + "): " + std::string(serverMessage);
    const std::string_view cls = sqlState.substr(0, std::min<std::size_t>(2, sqlState.size()));
    if (cls == "23") {
        return Error{Errc::StoreConstraint, what};
    }
    if (sqlState == "53100") {
        return Error{Errc::DiskFull, what};
    }
    if (sqlState == "57014") {
        return Error{Errc::Timeout, what};
    }
    if (sqlState == "40001" || sqlState == "40P01" || sqlState == "55P03") {
        return Error{Errc::StoreBusy, what};
    }
    if (sqlState == "25006") {
        return Error{Errc::StoreReadOnly, what};
    }
    return Error{Errc::StoreIo, what};
}

PgParam pgText(std::string_view text)
{
    return std::string(text);
}

PgParam pgInt(std::int64_t value)
{
    return std::to_string(value);
}

void PgConnection::Finish::operator()(pg_conn* c) const
{
    PQfinish(c);
}

PgConnection::PgConnection(pg_conn* conn, std::chrono::milliseconds statementTimeout, PgSession session)
    : m_conn(conn)
    , m_statementTimeout(statementTimeout)
    , m_session(session)
{}

Expected<PgConnection, Error>
PgConnection::connect(const std::string& conninfo, std::chrono::milliseconds statementTimeout, PgSession session)
{
    if (auto problem = pgTransportProblem(conninfo, [](const char* name) { return std::getenv(name); });
        !problem.empty()) {
        return Unexpected(Error{Errc::InvalidInput, problem, "postgres_conninfo"});
    }
    // Defaults first: the operator's conninfo (expanded from "dbname") overrides any of them.
    const char* keywords[] = {"connect_timeout",  "tcp_user_timeout", "keepalives_idle",
                              "application_name", "dbname",           nullptr};
    const char* values[] = {"10", "30000", "30", "zaitaku-gateway", conninfo.c_str(), nullptr};
    pg_conn* raw = PQconnectdbParams(keywords, values, 1);
    if (raw == nullptr) {
        return Unexpected(Error{Errc::StoreIo, "PostgreSQL: out of memory while connecting"});
    }
    PgConnection connection(raw, statementTimeout, session);
    if (PQstatus(raw) != CONNECTION_OK) {
        // libpq's message names the host and port, never the password.
        return Unexpected(
            Error{Errc::StoreIo, "cannot connect to PostgreSQL: " + trimmed(PQerrorMessage(raw)), "postgres_conninfo"});
    }
    PQsetNoticeProcessor(raw, ignoreNotice, nullptr);
    if (auto done = connection.configureSession(); !done) {
        return Unexpected(done.error());
    }
    return connection;
}

Expected<void, Error> PgConnection::configureSession()
{
    if (PQsetClientEncoding(m_conn.get(), "UTF8") != 0) {
        return Unexpected(Error{Errc::StoreIo, "PostgreSQL: the server cannot speak UTF-8 to this client"});
    }
    if (auto done = runOnce("SET statement_timeout TO " + std::to_string(m_statementTimeout.count()) +
                            "; SET lock_timeout TO " + std::to_string(m_statementTimeout.count()) +
                            "; SET idle_in_transaction_session_timeout TO " +
                            std::to_string(4 * m_statementTimeout.count()) + "; SET client_min_messages TO warning");
        !done) {
        return done;
    }
    return m_session == PgSession::ReadOnly ? runOnce("SET default_transaction_read_only TO on")
                                            : Expected<void, Error>();
}

Expected<void, Error> PgConnection::ensureConnected()
{
    if (PQstatus(m_conn.get()) == CONNECTION_OK) {
        return {};
    }
    PQreset(m_conn.get());
    if (PQstatus(m_conn.get()) != CONNECTION_OK) {
        return Unexpected(Error{Errc::StoreIo, "PostgreSQL is unreachable: " + trimmed(PQerrorMessage(m_conn.get()))});
    }
    return configureSession();
}

std::string PgConnection::serverVersion() const
{
    const int v = PQserverVersion(m_conn.get());
    return std::to_string(v / 10000) + "." + std::to_string(v % 10000);
}

template <typename Attempt> auto PgConnection::withReconnect(const std::string& sql, Attempt attempt)
{
    const bool idle = PQtransactionStatus(m_conn.get()) == PQTRANS_IDLE;
    auto result = attempt();
    const bool resendable = m_session == PgSession::ReadOnly || sql == "BEGIN";
    if (!result && idle && resendable && PQstatus(m_conn.get()) != CONNECTION_OK) {
        if (ensureConnected()) {
            result = attempt();
        }
    }
    return result;
}

Expected<PgResult, Error> PgConnection::exec(std::string_view sql, const std::vector<PgParam>& params)
{
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) {
        values.push_back(p ? p->c_str() : nullptr);
    }
    const std::string text(sql);
    return withReconnect(text, [&]() -> Expected<PgResult, Error> {
        pg_result* raw = PQexecParams(m_conn.get(), text.c_str(), static_cast<int>(values.size()), nullptr,
                                      values.data(), nullptr, nullptr, 0);
        PgResult result(raw);
        if (auto ok = checked(raw, text); !ok) {
            return Unexpected(ok.error());
        }
        return result;
    });
}

Expected<void, Error> PgConnection::run(std::string_view sql)
{
    const std::string text(sql);
    return withReconnect(text, [&] { return runOnce(text); });
}

Expected<void, Error> PgConnection::runOnce(const std::string& sql)
{
    pg_result* raw = PQexec(m_conn.get(), sql.c_str());
    PgResult result(raw);
    return checked(raw, sql);
}

Expected<void, Error> PgConnection::checked(pg_result* raw, const std::string& sql) const
{
    // The statement's first words say what failed without quoting any data (parameters are separate).
    const std::string context = sql.substr(0, std::min<std::size_t>(sql.find_first_of("(\n"), 48));
    if (raw == nullptr) {
        return Unexpected(Error{Errc::StoreIo, "PostgreSQL connection lost: " + trimmed(PQerrorMessage(m_conn.get()))});
    }
    const auto status = PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        return {};
    }
    const char* state = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
    if (state == nullptr || PQstatus(m_conn.get()) != CONNECTION_OK) {
        return Unexpected(Error{Errc::StoreIo, "PostgreSQL connection lost (" + context +
                                                   "): " + trimmed(PQerrorMessage(m_conn.get()))});
    }
    return Unexpected(pgError(state, context, trimmed(PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY))));
}

PgTransaction::PgTransaction(PgTransaction&& other) noexcept
    : m_connection(other.m_connection)
    , m_open(other.m_open)
{
    other.m_open = false;
}

Expected<PgTransaction, Error> PgTransaction::begin(PgConnection& connection)
{
    if (auto connected = connection.ensureConnected(); !connected) {
        return Unexpected(connected.error());
    }
    if (auto done = connection.run("BEGIN"); !done) {
        return Unexpected(done.error());
    }
    return PgTransaction(connection);
}

PgTransaction::~PgTransaction()
{
    if (m_open) {
        (void)m_connection->run("ROLLBACK");
    }
}

Expected<void, Error> PgTransaction::commit()
{
    m_open = false;
    auto done = m_connection->exec("COMMIT");
    if (!done) {
        return Unexpected(done.error());
    }
    // COMMIT of a transaction that failed earlier answers "ROLLBACK": nothing was stored.
    if (done->command() != "COMMIT") {
        return Unexpected(Error{Errc::StoreIo, "PostgreSQL rolled the transaction back"});
    }
    return {};
}

} // namespace zaitaku::sync::gateway
