#include "sync/gateway/SqliteGatewayStorage.h"

#include "base/BoundedJson.h"
#include "sync/store/AuditLog.h"
#include "sync/store/Schema.h"
#include "sync/store/SqliteApi.h"
#include "sync/store/Store.h"
#include "sync/store/StoreMeta.h"
#include "sync/store/Transaction.h"

#include <array>
#include <filesystem>

namespace zaitaku::sync::gateway
{

using store::Database;
using store::Durability;
using store::Transaction;

namespace
{

// The gateway's own schema (forward-only, like the tablet's). Accepted records are immutable;
// the audit log is the tablet's table and hash chain (store/AuditLog).
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE device (
    id           TEXT PRIMARY KEY,
    label        TEXT NOT NULL,
    cert_serial  TEXT NOT NULL UNIQUE,
    signing_key  TEXT NOT NULL,
    app_version  TEXT NOT NULL,
    enrolled_at  TEXT NOT NULL,
    revoked_at   TEXT
) STRICT;

CREATE TABLE enrollment_code (
    secret_sha256 TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    device_id     TEXT
) STRICT;

CREATE TABLE record (
    seq            INTEGER PRIMARY KEY,
    device_id      TEXT NOT NULL REFERENCES device(id),
    idem_key       TEXT NOT NULL,
    kind           TEXT NOT NULL,
    record_id      TEXT NOT NULL,
    payload        TEXT NOT NULL,
    payload_sha256 TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    device_time    TEXT NOT NULL,
    received_at    TEXT NOT NULL,
    flags          TEXT NOT NULL,
    UNIQUE (device_id, idem_key)
) STRICT;
CREATE TRIGGER record_immutable BEFORE UPDATE ON record
BEGIN SELECT RAISE(ABORT, 'accepted records are immutable'); END;
CREATE TRIGGER record_no_delete BEFORE DELETE ON record
BEGIN SELECT RAISE(ABORT, 'accepted records are never deleted'); END;

CREATE TABLE challenge_use (
    challenge_id TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL,
    record_seq   INTEGER NOT NULL REFERENCES record(seq),
    used_at      TEXT NOT NULL
) STRICT;

CREATE TABLE feed (
    seq        INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    at         TEXT NOT NULL,
    body       TEXT NOT NULL
) STRICT;

CREATE TABLE snapshot (
    seq           INTEGER PRIMARY KEY,
    patient_id    TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    snapshot_json TEXT NOT NULL
) STRICT;
CREATE INDEX snapshot_by_patient ON snapshot(patient_id, received_at);

CREATE TABLE care_state (
    patient_id              TEXT NOT NULL,
    service_kind            TEXT NOT NULL,
    first_visit_at          TEXT NOT NULL,
    first_visit_record      INTEGER NOT NULL REFERENCES record(seq),
    first_online_confirm_at TEXT,
    ended_at                TEXT,
    PRIMARY KEY (patient_id, service_kind)
) STRICT;

)sql";

const std::string kVersion1WithAudit = std::string(kVersion1) + std::string(store::AuditLog::kTableSql);

// Version 2 (the OQS issue): the re-query key per patient.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE requery_key (
    patient_id         TEXT PRIMARY KEY,
    search_json        TEXT NOT NULL,
    certificate_expiry TEXT,
    updated_at         TEXT NOT NULL
) STRICT;
)sql";

// Version 3 (F6 at the gateway): what the gateway derived from a record (the 不詳 claim fields).
constexpr std::string_view kVersion3 = R"sql(
ALTER TABLE record ADD COLUMN derived TEXT NOT NULL DEFAULT '{}';
)sql";

// Version 4 (issue 21): which patients each tablet may read.
constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE device_patient (
    device_id   TEXT NOT NULL REFERENCES device(id),
    patient_id  TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (device_id, patient_id)
) STRICT;
CREATE INDEX feed_by_patient ON feed(patient_id, seq);
)sql";

const std::array<store::Migration, 4> kGatewayMigrations{{
    {1, "devices, enrollment codes, records, challenge use, feed, snapshots, care state, audit", kVersion1WithAudit},
    {2, "re-query keys", kVersion2},
    {3, "derived fields of records", kVersion3},
    {4, "device to patient roster", kVersion4},
}};

template <typename T> Unexpected<Error> fail(const Expected<T, Error>& result)
{
    return Unexpected(result.error());
}

std::string joinFlags(const std::vector<std::string>& flags)
{
    return nlohmann::json(flags).dump();
}

std::vector<std::string> splitFlags(const std::string& text)
{
    auto json = base::parseJson(text);
    return json.is_array() ? json.get<std::vector<std::string>>() : std::vector<std::string>{};
}

base::Timestamp timeAt(const store::Statement& s, int column)
{
    auto parsed = base::Timestamp::parse(s.text(column));
    return parsed ? parsed->withOffset(base::Timestamp::kJstOffsetMinutes) : base::Timestamp::fromUtc({});
}

DeviceRecord deviceFrom(const store::Statement& s)
{
    DeviceRecord d;
    d.id = s.text(0);
    d.label = s.text(1);
    d.certificateSerial = s.text(2);
    d.signingKeyHex = s.text(3);
    d.appVersion = s.text(4);
    d.enrolledAt = timeAt(s, 5);
    if (!s.isNull(6)) {
        d.revokedAt = timeAt(s, 6);
    }
    return d;
}

constexpr std::string_view kDeviceColumns =
    "SELECT id, label, cert_serial, signing_key, app_version, enrolled_at, revoked_at FROM device ";

StoredRecord recordFrom(const store::Statement& s)
{
    StoredRecord r;
    r.seq = s.integer(0);
    r.deviceId = s.text(1);
    r.idemKey = s.text(2);
    r.kind = s.text(3);
    r.recordId = s.text(4);
    r.payload = s.text(5);
    r.payloadSha256 = s.text(6);
    r.receivedAt = timeAt(s, 7);
    r.flags = splitFlags(s.text(8));
    r.derived = base::parseJson(s.text(9));
    return r;
}

constexpr std::string_view kRecordColumns = "SELECT seq, device_id, idem_key, kind, record_id, payload, "
                                            "payload_sha256, received_at, flags, derived FROM record ";

Expected<std::int64_t, Error> appendFeed(Database& db, const protocol::FeedItem& item)
{
    auto s = db.prepare("INSERT INTO feed (kind, patient_id, at, body) VALUES (?1, ?2, ?3, ?4)");
    if (!s) {
        return fail(s);
    }
    if (auto done = s->bind(1, item.kind).bind(2, item.patientId).bind(3, item.at).bind(4, item.body.dump()).run();
        !done) {
        return fail(done);
    }
    return db.lastInsertRowid();
}

} // namespace

Expected<std::unique_ptr<SqliteGatewayStorage>, Error> SqliteGatewayStorage::open(const std::string& path,
                                                                                  const base::SecureBytes& key,
                                                                                  base::RandomSource& random,
                                                                                  const base::Timestamp& now)
{
    auto db = Database::open(store::sqlcipherApi(), path, store::OpenMode::ReadWriteCreate);
    if (!db) {
        return fail(db);
    }
    // Owner only (SQLite gives its -wal and -shm files the same mode).
    std::error_code ec;
    std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    if (auto keyed = store::keyConnection(*db, key); !keyed) {
        return fail(keyed);
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
        return fail(done);
    }
    if (auto done = store::migrate(*db, kGatewayMigrations); !done) {
        return fail(done);
    }
    // A second connection for reads: in WAL mode they never wait for a commit's fsync.
    auto reader = Database::open(store::sqlcipherApi(), path, store::OpenMode::ReadWrite);
    if (!reader) {
        return fail(reader);
    }
    if (auto keyed = store::keyConnection(*reader, key); !keyed) {
        return fail(keyed);
    }
    if (auto done = reader->exec("PRAGMA query_only = ON; PRAGMA cache_size = -64000;", "configure reader"); !done) {
        return fail(done);
    }
    std::unique_ptr<SqliteGatewayStorage> storage(new SqliteGatewayStorage(std::move(*db), std::move(*reader)));
    auto epoch = store::StoreMeta::get(storage->m_writer.db, "epoch");
    if (!epoch) {
        return fail(epoch);
    }
    if (!*epoch) {
        if (auto made = storage->rotateEpoch(random, "created", now); !made) {
            return fail(made);
        }
    }
    return storage;
}

Expected<store::Statement*, Error> SqliteGatewayStorage::Connection::cached(std::string_view sql)
{
    auto it = statements.find(sql);
    if (it == statements.end()) {
        auto prepared = db.prepare(sql);
        if (!prepared) {
            return fail(prepared);
        }
        it = statements.emplace(std::string(sql), std::move(*prepared)).first;
    }
    it->second.reset();
    return &it->second;
}

Expected<std::string, Error> SqliteGatewayStorage::epoch()
{
    std::lock_guard lock(m_reader.mutex);
    auto s = m_reader.cached("SELECT value FROM store_meta WHERE key = 'epoch'");
    if (!s) {
        return fail(s);
    }
    auto row = (*s)->step();
    std::string epoch = row && *row ? (*s)->text(0) : std::string();
    (*s)->reset();
    if (!row) {
        return fail(row);
    }
    return epoch;
}

Expected<std::string, Error>
SqliteGatewayStorage::rotateEpoch(base::RandomSource& random, const std::string& reason, const base::Timestamp& now)
{
    std::lock_guard lock(m_writer.mutex);
    const std::string epoch = base::makeUuid(random);
    auto tx = Transaction::begin(m_writer.db, Durability::Full);
    if (!tx) {
        return fail(tx);
    }
    if (auto done = store::StoreMeta::set(m_writer.db, "epoch", epoch); !done) {
        return fail(done);
    }
    store::AuditEntry entry{"operator", "gateway.epoch", epoch, {{"reason", reason}}};
    if (auto done = store::AuditLog::append(m_writer.db, entry, now); !done) {
        return fail(done);
    }
    if (auto done = tx->commit(); !done) {
        return fail(done);
    }
    return epoch;
}

Expected<void, Error> SqliteGatewayStorage::addEnrollmentCode(const std::string& secretSha256,
                                                              const base::Timestamp& now,
                                                              const base::Timestamp& expires)
{
    std::lock_guard lock(m_writer.mutex);
    auto tx = Transaction::begin(m_writer.db, Durability::Full);
    if (!tx) {
        return fail(tx);
    }
    auto s =
        m_writer.db.prepare("INSERT INTO enrollment_code (secret_sha256, created_at, expires_at) VALUES (?1, ?2, ?3)");
    if (!s) {
        return fail(s);
    }
    if (auto done = s->bind(1, secretSha256).bind(2, now).bind(3, expires).run(); !done) {
        return fail(done);
    }
    store::AuditEntry entry{"operator", "gateway.enroll_code", "enrollment_code", {{"expires_at", expires.toString()}}};
    if (auto done = store::AuditLog::append(m_writer.db, entry, now); !done) {
        return fail(done);
    }
    return tx->commit();
}

Expected<bool, Error> SqliteGatewayStorage::enrollmentCodeUsable(const std::string& secretSha256,
                                                                 const base::Timestamp& now)
{
    std::lock_guard lock(m_reader.mutex);
    auto s = m_reader.db.prepare(
        "SELECT 1 FROM enrollment_code WHERE secret_sha256 = ?1 AND used_at IS NULL AND expires_at > ?2");
    if (!s) {
        return fail(s);
    }
    auto row = s->bind(1, secretSha256).bind(2, now).step();
    if (!row) {
        return fail(row);
    }
    return *row;
}

Expected<void, Error>
SqliteGatewayStorage::enroll(const std::string& secretSha256, const DeviceRecord& device, const base::Timestamp& now)
{
    std::lock_guard lock(m_writer.mutex);
    auto tx = Transaction::begin(m_writer.db, Durability::Full);
    if (!tx) {
        return fail(tx);
    }
    auto use = m_writer.db.prepare("UPDATE enrollment_code SET used_at = ?2, device_id = ?3 "
                                   "WHERE secret_sha256 = ?1 AND used_at IS NULL AND expires_at > ?2");
    if (!use) {
        return fail(use);
    }
    if (auto done = use->bind(1, secretSha256).bind(2, now).bind(3, device.id).run(); !done) {
        return fail(done);
    }
    if (m_writer.db.changes() != 1) {
        return Unexpected(Error{Errc::Unauthorized, "the enrollment code is unknown, already used or expired", "code"});
    }
    auto add = m_writer.db.prepare("INSERT INTO device (id, label, cert_serial, signing_key, app_version, enrolled_at) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!add) {
        return fail(add);
    }
    if (auto done = add->bind(1, device.id)
                        .bind(2, device.label)
                        .bind(3, device.certificateSerial)
                        .bind(4, device.signingKeyHex)
                        .bind(5, device.appVersion)
                        .bind(6, now)
                        .run();
        !done) {
        return fail(done);
    }
    store::AuditEntry entry{"system",
                            "device.enroll",
                            device.id,
                            {{"label", device.label}, {"certificate_serial", device.certificateSerial}}};
    if (auto done = store::AuditLog::append(m_writer.db, entry, now); !done) {
        return fail(done);
    }
    return tx->commit();
}

Expected<std::optional<DeviceRecord>, Error> SqliteGatewayStorage::deviceByCertificate(const std::string& serialHex)
{
    std::lock_guard lock(m_reader.mutex);
    static const std::string kSql = std::string(kDeviceColumns) + "WHERE cert_serial = ?1";
    auto s = m_reader.cached(kSql);
    if (!s) {
        return fail(s);
    }
    (*s)->bind(1, serialHex);
    auto row = (*s)->step();
    if (!row) {
        return fail(row);
    }
    std::optional<DeviceRecord> device = *row ? std::optional<DeviceRecord>(deviceFrom(**s)) : std::nullopt;
    (*s)->reset();
    return device;
}

Expected<std::vector<DeviceRecord>, Error> SqliteGatewayStorage::devices()
{
    std::lock_guard lock(m_reader.mutex);
    auto s = m_reader.db.prepare(std::string(kDeviceColumns) + "ORDER BY enrolled_at, id");
    if (!s) {
        return fail(s);
    }
    std::vector<DeviceRecord> out;
    if (auto done = s->forEachRow([&](const store::Statement& row) { out.push_back(deviceFrom(row)); }); !done) {
        return fail(done);
    }
    return out;
}

Expected<bool, Error> SqliteGatewayStorage::revokeDevice(const std::string& id, const base::Timestamp& now)
{
    std::lock_guard lock(m_writer.mutex);
    auto tx = Transaction::begin(m_writer.db, Durability::Full);
    if (!tx) {
        return fail(tx);
    }
    auto s = m_writer.db.prepare("UPDATE device SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
    if (!s) {
        return fail(s);
    }
    if (auto done = s->bind(1, id).bind(2, now).run(); !done) {
        return fail(done);
    }
    if (m_writer.db.changes() != 1) {
        return false;
    }
    if (auto done =
            store::AuditLog::append(m_writer.db, {"operator", "device.revoke", id, nlohmann::json::object()}, now);
        !done) {
        return fail(done);
    }
    if (auto done = tx->commit(); !done) {
        return fail(done);
    }
    return true;
}

Expected<std::optional<StoredRecord>, Error>
SqliteGatewayStorage::findLocked(Connection& connection, const std::string& deviceId, const std::string& idemKey)
{
    static const std::string kSql = std::string(kRecordColumns) + "WHERE device_id = ?1 AND idem_key = ?2";
    auto s = connection.cached(kSql);
    if (!s) {
        return fail(s);
    }
    (*s)->bind(1, deviceId).bind(2, idemKey);
    auto row = (*s)->step();
    if (!row) {
        return fail(row);
    }
    std::optional<StoredRecord> record = *row ? std::optional<StoredRecord>(recordFrom(**s)) : std::nullopt;
    (*s)->reset();
    return record;
}

Expected<std::optional<StoredRecord>, Error> SqliteGatewayStorage::findRecord(const std::string& deviceId,
                                                                              const std::string& idemKey)
{
    std::lock_guard lock(m_reader.mutex);
    return findLocked(m_reader, deviceId, idemKey);
}

Expected<IntakeResult, Error> SqliteGatewayStorage::intakeLocked(const IntakeRequest& request)
{
    const auto& rec = request.record;
    auto known = findLocked(m_writer, request.deviceId, rec.idemKey);
    if (!known) {
        return fail(known);
    }
    if (*known) {
        return answerForKnownKey(**known, rec.payloadSha256);
    }
    // Savepoint: a refused challenge claim undoes this record only, not the batch.
    if (auto done = m_writer.db.exec("SAVEPOINT intake", "intake"); !done) {
        return fail(done);
    }
    auto rollback = [this](IntakeResult refusal) -> Expected<IntakeResult, Error> {
        if (auto done = m_writer.db.exec("ROLLBACK TO intake; RELEASE intake", "intake"); !done) {
            return fail(done);
        }
        return refusal;
    };
    auto insert = m_writer.cached("INSERT INTO record (device_id, idem_key, kind, record_id, payload, payload_sha256, "
                                  "created_at, device_time, received_at, flags, derived) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    if (!insert) {
        return fail(insert);
    }
    if (auto done = (*insert)
                        ->bind(1, request.deviceId)
                        .bind(2, rec.idemKey)
                        .bind(3, rec.kind)
                        .bind(4, rec.recordId)
                        .bind(5, rec.payload)
                        .bind(6, rec.payloadSha256)
                        .bind(7, rec.createdAt)
                        .bind(8, request.deviceTime)
                        .bind(9, request.receivedAt)
                        .bind(10, joinFlags(request.flags))
                        .bind(11, request.derived.dump())
                        .run();
        !done) {
        return fail(done);
    }
    const std::int64_t seq = m_writer.db.lastInsertRowid();
    for (const auto& challengeId : request.challengeIds) {
        auto claim = m_writer.cached("INSERT INTO challenge_use (challenge_id, device_id, record_seq, used_at) "
                                     "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(challenge_id) DO NOTHING");
        if (!claim) {
            return fail(claim);
        }
        if (auto done =
                (*claim)->bind(1, challengeId).bind(2, request.deviceId).bind(3, seq).bind(4, request.receivedAt).run();
            !done) {
            return fail(done);
        }
        if (m_writer.db.changes() != 1) {
            return rollback(challengeReusedRefusal(challengeId));
        }
    }
    for (auto item : request.feed) {
        if (auto done = appendFeed(m_writer.db, item); !done) {
            return fail(done);
        }
    }
    for (const auto& care : request.careStarts) {
        auto s =
            m_writer.db.prepare("INSERT INTO care_state (patient_id, service_kind, first_visit_at, first_visit_record) "
                                "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING");
        if (!s) {
            return fail(s);
        }
        if (auto done =
                s->bind(1, care.patientId).bind(2, care.serviceKind).bind(3, care.firstVisitAt).bind(4, seq).run();
            !done) {
            return fail(done);
        }
        if (m_writer.db.changes() == 1) {
            if (auto done = appendFeed(m_writer.db, careStartedItem(care, request.receivedAt)); !done) {
                return fail(done);
            }
        }
    }
    const auto entry = recordAcceptedAudit(request);
    if (auto done = store::AuditLog::append(m_writer.db, entry, request.receivedAt); !done) {
        return fail(done);
    }
    if (auto done = m_writer.db.exec("RELEASE intake", "intake"); !done) {
        return fail(done);
    }
    return storedReceipt(request);
}

Expected<std::vector<IntakeResult>, Error> SqliteGatewayStorage::intakeBatch(const std::vector<IntakeRequest>& requests)
{
    return m_group.submit(requests, [this](const std::vector<const IntakeRequest*>& all) { return commitAll(all); });
}

Expected<std::vector<IntakeResult>, Error>
SqliteGatewayStorage::commitAll(const std::vector<const IntakeRequest*>& requests)
{
    std::lock_guard lock(m_writer.mutex);
    auto tx = Transaction::begin(m_writer.db, Durability::Full);
    if (!tx) {
        return fail(tx);
    }
    std::vector<IntakeResult> results;
    for (const auto* request : requests) {
        auto result = intakeLocked(*request);
        if (!result) {
            return fail(result); // the transaction rolls back: nothing is acknowledged
        }
        results.push_back(std::move(*result));
    }
    if (auto done = tx->commit(); !done) {
        return fail(done);
    }
    return results;
}

Expected<std::vector<StoredRecord>, Error> SqliteGatewayStorage::records(std::int64_t afterSeq, std::size_t limit)
{
    std::lock_guard lock(m_reader.mutex);
    auto s = m_reader.db.prepare(std::string(kRecordColumns) + "WHERE seq > ?1 ORDER BY seq LIMIT ?2");
    if (!s) {
        return fail(s);
    }
    s->bind(1, afterSeq).bind(2, static_cast<std::int64_t>(limit));
    std::vector<StoredRecord> out;
    if (auto done = s->forEachRow([&](const store::Statement& row) { out.push_back(recordFrom(row)); }); !done) {
        return fail(done);
    }
    return out;
}

Expected<std::vector<protocol::FeedItem>, Error>
SqliteGatewayStorage::feedItems(std::int64_t afterSeq, std::size_t limit, const std::string& deviceId)
{
    std::lock_guard lock(m_reader.mutex);
    auto s = m_reader.db.prepare("SELECT seq, kind, patient_id, at, body FROM feed WHERE seq > ?1 AND (?3 = '' OR "
                                 "patient_id IN (SELECT patient_id FROM device_patient WHERE device_id = ?3)) "
                                 "ORDER BY seq LIMIT ?2");
    if (!s) {
        return fail(s);
    }
    s->bind(1, afterSeq).bind(2, static_cast<std::int64_t>(limit)).bind(3, deviceId);
    std::vector<protocol::FeedItem> out;
    auto done = s->forEachRow([&](const store::Statement& row) {
        protocol::FeedItem item;
        item.seq = row.integer(0);
        item.kind = row.text(1);
        item.patientId = row.text(2);
        item.at = timeAt(row, 3);
        item.body = base::parseJson(row.text(4));
        out.push_back(std::move(item));
    });
    if (!done) {
        return fail(done);
    }
    return out;
}

Expected<void, Error> SqliteGatewayStorage::addSnapshot(const std::string& patientId,
                                                        const nlohmann::json& snapshot,
                                                        const base::Timestamp& receivedAt)
{
    std::lock_guard lock(m_writer.mutex);
    auto tx = Transaction::begin(m_writer.db, Durability::Full);
    if (!tx) {
        return fail(tx);
    }
    auto s = m_writer.db.prepare("INSERT INTO snapshot (patient_id, received_at, snapshot_json) VALUES (?1, ?2, ?3)");
    if (!s) {
        return fail(s);
    }
    if (auto done = s->bind(1, patientId).bind(2, receivedAt).bind(3, snapshot.dump()).run(); !done) {
        return fail(done);
    }
    if (auto done = appendFeed(m_writer.db, eligibilityResultItem(patientId, snapshot, receivedAt)); !done) {
        return fail(done);
    }
    return tx->commit();
}

Expected<std::optional<SnapshotRow>, Error> SqliteGatewayStorage::latestSnapshot(const std::string& patientId)
{
    std::lock_guard lock(m_reader.mutex);
    auto s = m_reader.cached("SELECT snapshot_json, received_at, seq FROM snapshot WHERE patient_id = ?1 "
                             "ORDER BY received_at DESC, seq DESC LIMIT 1");
    if (!s) {
        return fail(s);
    }
    (*s)->bind(1, patientId);
    auto row = (*s)->step();
    if (!row) {
        return fail(row);
    }
    std::optional<SnapshotRow> latest;
    if (*row) {
        latest = SnapshotRow{(*s)->integer(2), (*s)->text(0), timeAt(**s, 1)};
    }
    (*s)->reset();
    return latest;
}

Expected<std::size_t, Error> SqliteGatewayStorage::changeAssignments(const std::string& deviceId,
                                                                     const std::vector<std::string>& patientIds,
                                                                     bool assign,
                                                                     const base::Timestamp& now)
{
    std::lock_guard lock(m_writer.mutex);
    auto tx = Transaction::begin(m_writer.db, Durability::Full);
    if (!tx) {
        return fail(tx);
    }
    auto known = m_writer.db.prepare("SELECT 1 FROM device WHERE id = ?1");
    if (!known) {
        return fail(known);
    }
    auto found = known->bind(1, deviceId).step();
    if (!found) {
        return fail(found);
    }
    if (!*found) {
        return Unexpected(Error{Errc::InvalidInput, "no device '" + deviceId + "'", "device"});
    }
    known->reset();
    auto s = m_writer.db.prepare(
        assign ? "INSERT INTO device_patient (device_id, patient_id, assigned_at) VALUES (?1, ?2, ?3) "
                 "ON CONFLICT DO NOTHING"
               : "DELETE FROM device_patient WHERE device_id = ?1 AND patient_id = ?2");
    if (!s) {
        return fail(s);
    }
    std::size_t changed = 0;
    for (const auto& patientId : patientIds) {
        s->bind(1, deviceId).bind(2, patientId);
        if (assign) {
            s->bind(3, now);
        }
        if (auto done = s->run(); !done) {
            return fail(done);
        }
        changed += static_cast<std::size_t>(m_writer.db.changes());
        s->reset();
    }
    if (auto done = store::AuditLog::append(m_writer.db, assignmentAudit(deviceId, patientIds, assign), now); !done) {
        return fail(done);
    }
    if (auto done = tx->commit(); !done) {
        return fail(done);
    }
    return changed;
}

Expected<std::vector<std::string>, Error> SqliteGatewayStorage::assignedPatients(const std::string& deviceId)
{
    std::lock_guard lock(m_reader.mutex);
    auto s = m_reader.db.prepare("SELECT patient_id FROM device_patient WHERE device_id = ?1 ORDER BY patient_id");
    if (!s) {
        return fail(s);
    }
    s->bind(1, deviceId);
    std::vector<std::string> out;
    if (auto done = s->forEachRow([&](const store::Statement& row) { out.push_back(row.text(0)); }); !done) {
        return fail(done);
    }
    return out;
}

Expected<void, Error> SqliteGatewayStorage::recordAudit(const store::AuditEntry& entry, const base::Timestamp& at)
{
    std::lock_guard lock(m_writer.mutex);
    // synchronous=NORMAL (WAL): the row and the chain stay consistent through a crash; a power
    // loss may take the last moments' read rows. The next acknowledging write makes them durable.
    auto tx = Transaction::begin(m_writer.db, Durability::Normal);
    if (!tx) {
        return fail(tx);
    }
    if (auto done = store::AuditLog::append(m_writer.db, entry, at); !done) {
        return fail(done);
    }
    return tx->commit();
}

Expected<std::vector<CareState>, Error> SqliteGatewayStorage::careStates(const std::string& patientId)
{
    std::lock_guard lock(m_reader.mutex);
    auto s = m_reader.db.prepare("SELECT patient_id, service_kind, first_visit_at, first_online_confirm_at, ended_at "
                                 "FROM care_state WHERE patient_id = ?1 ORDER BY service_kind");
    if (!s) {
        return fail(s);
    }
    s->bind(1, patientId);
    std::vector<CareState> out;
    auto done = s->forEachRow([&](const store::Statement& row) {
        CareState c;
        c.patientId = row.text(0);
        c.serviceKind = row.text(1);
        c.firstVisitAt = timeAt(row, 2);
        if (!row.isNull(3)) {
            c.firstOnlineConfirmAt = timeAt(row, 3);
        }
        if (!row.isNull(4)) {
            c.endedAt = timeAt(row, 4);
        }
        out.push_back(std::move(c));
    });
    if (!done) {
        return fail(done);
    }
    return out;
}

Expected<void, Error> SqliteGatewayStorage::confirmCare(const std::string& patientId,
                                                        const base::Timestamp& confirmedAt)
{
    std::lock_guard lock(m_writer.mutex);
    auto tx = Transaction::begin(m_writer.db, Durability::Full);
    if (!tx) {
        return fail(tx);
    }
    auto select = m_writer.db.prepare("SELECT service_kind, first_visit_at FROM care_state "
                                      "WHERE patient_id = ?1 AND first_online_confirm_at IS NULL AND ended_at IS NULL");
    if (!select) {
        return fail(select);
    }
    select->bind(1, patientId);
    std::vector<std::pair<std::string, std::string>> kinds;
    // first_visit_at as the tablets were told it when the care started (JST).
    if (auto done = select->forEachRow(
            [&](const store::Statement& row) { kinds.emplace_back(row.text(0), timeAt(row, 1).toString()); });
        !done) {
        return fail(done);
    }
    for (const auto& [kind, firstVisit] : kinds) {
        auto update = m_writer.db.prepare(
            "UPDATE care_state SET first_online_confirm_at = ?3 WHERE patient_id = ?1 AND service_kind = ?2");
        if (!update) {
            return fail(update);
        }
        if (auto done = update->bind(1, patientId).bind(2, kind).bind(3, confirmedAt).run(); !done) {
            return fail(done);
        }
        if (auto done = appendFeed(m_writer.db, careConfirmedItem(patientId, kind, firstVisit, confirmedAt)); !done) {
            return fail(done);
        }
    }
    return tx->commit();
}

Expected<void, Error> SqliteGatewayStorage::setRequeryKey(const RequeryKeyRow& key)
{
    std::lock_guard lock(m_writer.mutex);
    auto tx = Transaction::begin(m_writer.db, Durability::Full);
    if (!tx) {
        return fail(tx);
    }
    auto s = m_writer.db.prepare(
        "INSERT INTO requery_key (patient_id, search_json, certificate_expiry, updated_at) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(patient_id) DO UPDATE SET search_json = excluded.search_json, "
        "certificate_expiry = coalesce(excluded.certificate_expiry, requery_key.certificate_expiry), "
        "updated_at = excluded.updated_at");
    if (!s) {
        return fail(s);
    }
    s->bind(1, key.patientId).bind(2, key.search.dump()).bind(4, key.updatedAt);
    if (key.certificateExpiry) {
        s->bind(3, key.certificateExpiry->toString());
    }
    if (auto done = s->run(); !done) {
        return fail(done);
    }
    return tx->commit();
}

Expected<std::optional<RequeryKeyRow>, Error> SqliteGatewayStorage::requeryKey(const std::string& patientId)
{
    std::lock_guard lock(m_reader.mutex);
    auto s = m_reader.cached(
        "SELECT patient_id, search_json, certificate_expiry, updated_at FROM requery_key WHERE patient_id = ?1");
    if (!s) {
        return fail(s);
    }
    (*s)->bind(1, patientId);
    auto row = (*s)->step();
    if (!row) {
        return fail(row);
    }
    std::optional<RequeryKeyRow> out;
    if (*row) {
        RequeryKeyRow k;
        k.patientId = (*s)->text(0);
        k.search = base::parseJson((*s)->text(1));
        if (!(*s)->isNull(2)) {
            if (auto date = base::Date::parse((*s)->text(2))) {
                k.certificateExpiry = *date;
            }
        }
        k.updatedAt = timeAt(**s, 3);
        out = std::move(k);
    }
    (*s)->reset();
    return out;
}

Expected<StorageCounts, Error> SqliteGatewayStorage::counts()
{
    std::lock_guard lock(m_reader.mutex);
    StorageCounts c;
    auto q = [this](const char* sql) { return m_reader.db.queryInt(sql); };
    auto devices = q("SELECT count(*) FROM device");
    auto revoked = q("SELECT count(*) FROM device WHERE revoked_at IS NOT NULL");
    auto records = q("SELECT count(*) FROM record");
    auto feed = q("SELECT count(*) FROM feed");
    auto snapshots = q("SELECT count(*) FROM snapshot");
    for (const auto* r : {&devices, &revoked, &records, &feed, &snapshots}) {
        if (!*r) {
            return fail(*r);
        }
    }
    c.devices = *devices;
    c.revokedDevices = *revoked;
    c.records = *records;
    c.feedItems = *feed;
    c.snapshots = *snapshots;
    return c;
}

Expected<store::AuditVerification, Error> SqliteGatewayStorage::verifyAudit()
{
    std::lock_guard lock(m_reader.mutex);
    return store::AuditLog::verify(m_reader.db);
}

Expected<std::int64_t, Error> SqliteGatewayStorage::lastRecordSeq()
{
    std::lock_guard lock(m_reader.mutex);
    return m_reader.db.queryInt("SELECT coalesce(max(seq), 0) FROM record");
}

} // namespace zaitaku::sync::gateway
