#include "sync/store/StaffDirectory.h"

#include "sync/sql/AuditLog.h"
#include "sync/sql/SqlTime.h"
#include "sync/sql/Transaction.h"

#include <algorithm>

namespace zaitaku::sync::store
{

namespace
{

// An account as stored, with its sign-in failures.
struct StoredAccount
{
    protocol::StaffAccount account;
    std::int64_t failures = 0;
    std::string retryAt; // UTC text, empty: no wait
};

Expected<std::optional<StoredAccount>, Error> lookup(sql::Database& db, const std::string& staffId)
{
    auto stmt = db.queryRow("SELECT staff_id, name, role, credential, active, version, failures, retry_at "
                            "FROM staff_account WHERE staff_id = ?1",
                            staffId);
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    if (!*stmt) {
        return std::optional<StoredAccount>();
    }
    const auto& row = **stmt;
    auto credential = protocol::StaffCredential::fromJson(nlohmann::json::parse(row.text(3), nullptr, false));
    if (!credential) {
        return Unexpected(Error{Errc::StoreCorrupted, "a staff account's credential is unreadable", "staff_account"});
    }
    StoredAccount stored;
    stored.account = {row.text(0),         row.text(1),   row.text(2), std::move(*credential),
                      row.integer(4) != 0, row.integer(5)};
    stored.failures = row.integer(6);
    stored.retryAt = row.isNull(7) ? std::string() : row.text(7);
    return std::optional<StoredAccount>(std::move(stored));
}

Expected<void, Error> audit(
    sql::Database& db, const std::string& actor, const char* action, nlohmann::json detail, const base::Timestamp& now)
{
    if (auto done = sql::AuditLog::append(db, sql::AuditEntry{actor, action, actor, std::move(detail)}, now); !done) {
        return Unexpected(done.error());
    }
    return {};
}

// The back-off after the n-th failure in a row: none for the first kFreeFailures, then doubling.
std::chrono::seconds waitAfter(std::int64_t failures)
{
    if (failures < StaffDirectory::kFreeFailures) {
        return std::chrono::seconds(0);
    }
    const auto doublings = std::min<std::int64_t>(failures - StaffDirectory::kFreeFailures, 10);
    return std::min<std::chrono::seconds>(StaffDirectory::kFirstWait * (1LL << doublings), StaffDirectory::kMaxWait);
}

Error refused(const std::string& field, const std::string& message)
{
    return Error{Errc::Unauthorized, message, field};
}

} // namespace

Expected<void, Error> StaffDirectory::apply(Store& store, const protocol::StaffAccount& account)
{
    sql::Database& db = store.db();
    // A newer version replaces the account; a changed credential starts its failures afresh.
    auto stmt = db.prepare(
        "INSERT INTO staff_account (staff_id, name, role, credential, active, version, failures, retry_at, updated_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, NULL, ?7) "
        "ON CONFLICT (staff_id) DO UPDATE SET name = excluded.name, role = excluded.role, "
        "active = excluded.active, version = excluded.version, updated_at = excluded.updated_at, "
        "failures = CASE WHEN credential = excluded.credential THEN failures ELSE 0 END, "
        "retry_at = CASE WHEN credential = excluded.credential THEN retry_at ELSE NULL END, "
        "credential = excluded.credential "
        "WHERE excluded.version > staff_account.version");
    if (!stmt) {
        return Unexpected(stmt.error());
    }
    stmt->bind(1, account.staffId)
        .bind(2, account.name)
        .bind(3, account.role)
        .bind(4, account.credential.toJson().dump())
        .bind(5, account.active)
        .bind(6, account.version)
        .bind(7, store.clock().nowJst());
    return stmt->run();
}

Expected<bool, Error> StaffDirectory::any(Store& store)
{
    auto n = store.db().queryInt("SELECT count(*) FROM staff_account");
    if (!n) {
        return Unexpected(n.error());
    }
    return *n > 0;
}

Expected<std::optional<protocol::StaffAccount>, Error> StaffDirectory::find(Store& store, const std::string& staffId)
{
    auto stored = lookup(store.db(), staffId);
    if (!stored) {
        return Unexpected(stored.error());
    }
    return *stored ? std::optional<protocol::StaffAccount>((*stored)->account) : std::nullopt;
}

Expected<protocol::StaffAccount, Error>
StaffDirectory::signIn(Store& store, const std::string& staffId, std::string_view secret)
{
    sql::Database& db = store.db();
    const auto now = store.clock().nowJst();
    auto stored = lookup(db, staffId);
    if (!stored) {
        return Unexpected(stored.error());
    }
    const std::int64_t failures = *stored ? (*stored)->failures : 0;
    const std::string retryAt = *stored ? (*stored)->retryAt : std::string();
    std::optional<protocol::StaffAccount> account =
        *stored ? std::optional<protocol::StaffAccount>((*stored)->account) : std::nullopt;
    const std::string unknown = "the staff id or the PIN is wrong, or the account is disabled";
    auto tx = sql::Transaction::begin(db, sql::Durability::Full);
    if (!tx) {
        return Unexpected(tx.error());
    }
    if (!account || !account->active) {
        if (auto done = audit(db, staffId, "staff.signin_refused", {{"reason", "unknown or disabled"}}, now); !done) {
            return Unexpected(done.error());
        }
        if (auto done = tx->commit(); !done) {
            return Unexpected(done.error());
        }
        return Unexpected(refused("staff_id", unknown));
    }
    if (!retryAt.empty() && sql::utcText(now) < retryAt) {
        (void)tx->commit();
        auto until = base::Timestamp::parse(retryAt);
        return Unexpected(refused("retry_at", "too many wrong tries: wait until " +
                                                  (until ? until->withOffset(9 * 60).toString() : retryAt)));
    }
    if (!protocol::staffCredentialMatches(account->credential, secret)) {
        const std::int64_t failuresNow = failures + 1;
        const auto wait = waitAfter(failuresNow);
        auto update = db.prepare("UPDATE staff_account SET failures = ?2, retry_at = ?3 WHERE staff_id = ?1");
        if (!update) {
            return Unexpected(update.error());
        }
        update->bind(1, staffId).bind(2, failuresNow);
        if (wait.count() > 0) {
            update->bind(3, now.plus(wait));
        } else {
            update->bindNull(3);
        }
        if (auto done = update->run(); !done) {
            return Unexpected(done.error());
        }
        if (auto done = audit(db, staffId, "staff.signin_failed", {{"failures", failuresNow}}, now); !done) {
            return Unexpected(done.error());
        }
        if (auto done = tx->commit(); !done) {
            return Unexpected(done.error());
        }
        return Unexpected(refused("secret", wait.count() > 0 ? unknown + "; wait " + std::to_string(wait.count()) +
                                                                   " s before the next try"
                                                             : unknown));
    }
    auto reset = db.prepare("UPDATE staff_account SET failures = 0, retry_at = NULL WHERE staff_id = ?1");
    if (!reset) {
        return Unexpected(reset.error());
    }
    reset->bind(1, staffId);
    if (auto done = reset->run(); !done) {
        return Unexpected(done.error());
    }
    if (auto done = audit(db, staffId, "staff.signin", {{"role", account->role}}, now); !done) {
        return Unexpected(done.error());
    }
    if (auto done = tx->commit(); !done) {
        return Unexpected(done.error());
    }
    return std::move(*account);
}

Expected<bool, Error> StaffDirectory::hasRole(Store& store, const std::string& staffId, const std::string& role)
{
    auto some = any(store);
    if (!some || !*some) {
        return some ? Expected<bool, Error>(true) : Unexpected(some.error());
    }
    auto account = find(store, staffId);
    if (!account) {
        return Unexpected(account.error());
    }
    if (!*account || !(*account)->active) {
        return false;
    }
    const auto& has = (*account)->role;
    return has == role || (role == "custodian" && has == "manager");
}

} // namespace zaitaku::sync::store
