#include "sync/gateway/PostgresGatewayStorage.h"

#include "base/BoundedJson.h"
#include "base/CanonicalJson.h"
#include "sync/store/StoreTime.h"

#include <array>

namespace zaitaku::sync::gateway
{

namespace
{

struct PgMigration
{
    int version;
    std::string_view summary;
    std::string_view sql;
};

// Versions match the SQLite backend's (same tables, same meaning). Timestamps are the store's
// fixed-width UTC text, so comparisons in SQL are time comparisons on both backends; payloads and
// results are text so that what a tablet signed comes back byte for byte.
constexpr std::string_view kVersion1 = R"sql(
CREATE FUNCTION zaitaku_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END $$;

CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE device (
    id           TEXT PRIMARY KEY,
    label        TEXT NOT NULL,
    cert_serial  TEXT NOT NULL UNIQUE,
    signing_key  TEXT NOT NULL,
    app_version  TEXT NOT NULL,
    enrolled_at  TEXT NOT NULL,
    revoked_at   TEXT
);

CREATE TABLE enrollment_code (
    secret_sha256 TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    device_id     TEXT
);

CREATE TABLE record (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
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
);
CREATE TRIGGER record_immutable BEFORE UPDATE OR DELETE ON record
    FOR EACH ROW EXECUTE FUNCTION zaitaku_refuse('accepted records are immutable and never deleted');
CREATE TRIGGER record_no_truncate BEFORE TRUNCATE ON record
    FOR EACH STATEMENT EXECUTE FUNCTION zaitaku_refuse('accepted records are never deleted');

CREATE TABLE challenge_use (
    challenge_id TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL,
    record_seq   BIGINT NOT NULL REFERENCES record(seq),
    used_at      TEXT NOT NULL
);

CREATE TABLE feed (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    at         TEXT NOT NULL,
    body       TEXT NOT NULL
);

CREATE TABLE snapshot (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patient_id    TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    snapshot_json TEXT NOT NULL
);
CREATE INDEX snapshot_by_patient ON snapshot(patient_id, received_at);

CREATE TABLE care_state (
    patient_id              TEXT NOT NULL,
    service_kind            TEXT NOT NULL,
    first_visit_at          TEXT NOT NULL,
    first_visit_record      BIGINT NOT NULL REFERENCES record(seq),
    first_online_confirm_at TEXT,
    ended_at                TEXT,
    PRIMARY KEY (patient_id, service_kind)
);

CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION zaitaku_refuse('the audit log is append-only');
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION zaitaku_refuse('the audit log is append-only');
)sql";

constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE requery_key (
    patient_id         TEXT PRIMARY KEY,
    search_json        TEXT NOT NULL,
    certificate_expiry TEXT,
    updated_at         TEXT NOT NULL
);
)sql";

constexpr std::string_view kVersion3 = R"sql(
ALTER TABLE record ADD COLUMN derived TEXT NOT NULL DEFAULT '{}';
)sql";

constexpr std::string_view kVersion4 = R"sql(
CREATE TABLE device_patient (
    device_id   TEXT NOT NULL REFERENCES device(id),
    patient_id  TEXT NOT NULL,
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (device_id, patient_id)
);
CREATE INDEX feed_by_patient ON feed(patient_id, seq);
)sql";

constexpr std::array<PgMigration, 4> kMigrations{{
    {1, "devices, enrollment codes, records, challenge use, feed, snapshots, care state, audit", kVersion1},
    {2, "re-query keys", kVersion2},
    {3, "derived fields of records", kVersion3},
    {4, "device to patient roster", kVersion4},
}};

// pg_advisory_xact_lock key of every write transaction ("zaitaku" in ASCII).
constexpr std::string_view kWriterLock = "SELECT pg_advisory_xact_lock(34473461343336545)";

template <typename T> Unexpected<Error> fail(const Expected<T, Error>& result)
{
    return Unexpected(result.error());
}

PgParam timeParam(const base::Timestamp& t)
{
    return store::utcText(t);
}

base::Timestamp timeOf(const PgResult& r, int row, int column)
{
    auto parsed = base::Timestamp::parse(r.text(row, column));
    return parsed ? parsed->withOffset(base::Timestamp::kJstOffsetMinutes) : base::Timestamp::fromUtc({});
}

std::optional<base::Timestamp> optionalTime(const PgResult& r, int row, int column)
{
    return r.isNull(row, column) ? std::nullopt : std::optional<base::Timestamp>(timeOf(r, row, column));
}

std::vector<std::string> flagsOf(const std::string& text)
{
    auto json = base::parseJson(text);
    return json.is_array() ? json.get<std::vector<std::string>>() : std::vector<std::string>{};
}

constexpr std::string_view kDeviceColumns =
    "SELECT id, label, cert_serial, signing_key, app_version, enrolled_at, revoked_at FROM device ";

DeviceRecord deviceFrom(const PgResult& r, int row)
{
    DeviceRecord d;
    d.id = r.text(row, 0);
    d.label = r.text(row, 1);
    d.certificateSerial = r.text(row, 2);
    d.signingKeyHex = r.text(row, 3);
    d.appVersion = r.text(row, 4);
    d.enrolledAt = timeOf(r, row, 5);
    d.revokedAt = optionalTime(r, row, 6);
    return d;
}

constexpr std::string_view kRecordColumns = "SELECT seq, device_id, idem_key, kind, record_id, payload, "
                                            "payload_sha256, received_at, flags, derived FROM record ";

StoredRecord recordFrom(const PgResult& r, int row)
{
    StoredRecord s;
    s.seq = r.integer(row, 0);
    s.deviceId = r.text(row, 1);
    s.idemKey = r.text(row, 2);
    s.kind = r.text(row, 3);
    s.recordId = r.text(row, 4);
    s.payload = r.text(row, 5);
    s.payloadSha256 = r.text(row, 6);
    s.receivedAt = timeOf(r, row, 7);
    s.flags = flagsOf(r.text(row, 8));
    s.derived = base::parseJson(r.text(row, 9));
    return s;
}

Expected<int, Error> currentVersion(PgConnection& db)
{
    auto v = db.exec("SELECT coalesce(max(version), 0) FROM zaitaku_schema");
    if (!v) {
        return fail(v);
    }
    return static_cast<int>(v->integer(0, 0));
}

Expected<void, Error> migrate(PgConnection& db, const base::Timestamp& now)
{
    auto tx = PgTransaction::begin(db);
    if (!tx) {
        return fail(tx);
    }
    // Two gateways (or a gateway and the CLI) starting together: one migrates, the other waits.
    if (auto locked = db.exec(kWriterLock); !locked) {
        return fail(locked);
    }
    if (auto done = db.run("CREATE TABLE IF NOT EXISTS zaitaku_schema (version INTEGER PRIMARY KEY, "
                           "summary TEXT NOT NULL, applied_at TEXT NOT NULL)");
        !done) {
        return fail(done);
    }
    auto version = currentVersion(db);
    if (!version) {
        return fail(version);
    }
    if (*version > kMigrations.back().version) {
        return Unexpected(
            Error{Errc::StoreSchemaTooNew, "the PostgreSQL database is at schema version " + std::to_string(*version) +
                                               ", newer than this gateway knows (" +
                                               std::to_string(kMigrations.back().version) + "): never downgraded"});
    }
    for (const auto& m : kMigrations) {
        if (m.version <= *version) {
            continue;
        }
        if (auto done = db.run(m.sql); !done) {
            return Unexpected(Error{done.error().code, "schema migration " + std::to_string(m.version) + " (" +
                                                           std::string(m.summary) + "): " + done.error().message});
        }
        if (auto done = db.exec("INSERT INTO zaitaku_schema (version, summary, applied_at) VALUES ($1, $2, $3)",
                                {pgInt(m.version), pgText(m.summary), timeParam(now)});
            !done) {
            return fail(done);
        }
    }
    return tx->commit();
}

} // namespace

Expected<std::unique_ptr<PostgresGatewayStorage>, Error>
PostgresGatewayStorage::open(const std::string& conninfo,
                             base::RandomSource& random,
                             const base::Timestamp& now,
                             std::chrono::milliseconds statementTimeout)
{
    auto writer = PgConnection::connect(conninfo, statementTimeout);
    if (!writer) {
        return fail(writer);
    }
    if (auto done = migrate(*writer, now); !done) {
        return fail(done);
    }
    auto reader = PgConnection::connect(conninfo, statementTimeout, PgSession::ReadOnly);
    if (!reader) {
        return fail(reader);
    }
    std::unique_ptr<PostgresGatewayStorage> storage(new PostgresGatewayStorage(std::move(*writer), std::move(*reader)));
    auto epoch = storage->epoch();
    if (!epoch) {
        return fail(epoch);
    }
    if (epoch->empty()) {
        if (auto made = storage->rotateEpoch(random, "created", now); !made) {
            return fail(made);
        }
    }
    return storage;
}

Expected<PgConnection*, Error> PostgresGatewayStorage::reader()
{
    if (auto connected = m_reader.ensureConnected(); !connected) {
        return fail(connected);
    }
    return &m_reader;
}

Expected<PgTransaction, Error> PostgresGatewayStorage::beginWrite()
{
    auto tx = PgTransaction::begin(m_writer);
    if (!tx) {
        return fail(tx);
    }
    if (auto locked = m_writer.exec(kWriterLock); !locked) {
        return fail(locked);
    }
    return tx;
}

Expected<void, Error> PostgresGatewayStorage::appendAudit(const store::AuditEntry& entry, const base::Timestamp& at)
{
    auto last = m_writer.exec("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!last) {
        return fail(last);
    }
    const std::int64_t seq = last->rows() > 0 ? last->integer(0, 0) + 1 : 1;
    const std::string prev = last->rows() > 0 ? last->text(0, 1) : store::AuditChain::genesis();
    const std::string when = store::utcText(at);
    std::string detail;
    try {
        detail = base::canonicalJson(entry.detail);
    } catch (const nlohmann::json::exception&) {
        return Unexpected(Error{Errc::InvalidInput, "audit detail is not valid UTF-8", "detail"});
    }
    const std::string hash = store::AuditChain::hash(prev, seq, when, entry.actor, entry.action, entry.subject, detail);
    if (auto done = m_writer.exec("INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) "
                                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                                  {pgInt(seq), when, entry.actor, entry.action, entry.subject, detail, prev, hash});
        !done) {
        return fail(done);
    }
    if (auto done = m_writer.exec("INSERT INTO store_meta (key, value) VALUES ('audit_head', $1) "
                                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                  {std::to_string(seq) + ":" + hash});
        !done) {
        return fail(done);
    }
    return {};
}

Expected<void, Error> PostgresGatewayStorage::appendFeed(const protocol::FeedItem& item)
{
    auto done = m_writer.exec("INSERT INTO feed (kind, patient_id, at, body) VALUES ($1, $2, $3, $4)",
                              {item.kind, item.patientId, timeParam(item.at), item.body.dump()});
    if (!done) {
        return fail(done);
    }
    return {};
}

Expected<std::string, Error> PostgresGatewayStorage::epoch()
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    auto r = (*db)->exec("SELECT value FROM store_meta WHERE key = 'epoch'");
    if (!r) {
        return fail(r);
    }
    return r->rows() > 0 ? r->text(0, 0) : std::string();
}

Expected<std::string, Error>
PostgresGatewayStorage::rotateEpoch(base::RandomSource& random, const std::string& reason, const base::Timestamp& now)
{
    std::lock_guard lock(m_writerMutex);
    const std::string epoch = base::makeUuid(random);
    auto tx = beginWrite();
    if (!tx) {
        return fail(tx);
    }
    if (auto done = m_writer.exec("INSERT INTO store_meta (key, value) VALUES ('epoch', $1) "
                                  "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                  {epoch});
        !done) {
        return fail(done);
    }
    if (auto done = appendAudit({"operator", "gateway.epoch", epoch, {{"reason", reason}}}, now); !done) {
        return fail(done);
    }
    if (auto done = tx->commit(); !done) {
        return fail(done);
    }
    return epoch;
}

Expected<void, Error> PostgresGatewayStorage::addEnrollmentCode(const std::string& secretSha256,
                                                                const base::Timestamp& now,
                                                                const base::Timestamp& expires)
{
    std::lock_guard lock(m_writerMutex);
    auto tx = beginWrite();
    if (!tx) {
        return fail(tx);
    }
    if (auto done =
            m_writer.exec("INSERT INTO enrollment_code (secret_sha256, created_at, expires_at) VALUES ($1, $2, $3)",
                          {secretSha256, timeParam(now), timeParam(expires)});
        !done) {
        return fail(done);
    }
    if (auto done = appendAudit(
            {"operator", "gateway.enroll_code", "enrollment_code", {{"expires_at", expires.toString()}}}, now);
        !done) {
        return fail(done);
    }
    return tx->commit();
}

Expected<bool, Error> PostgresGatewayStorage::enrollmentCodeUsable(const std::string& secretSha256,
                                                                   const base::Timestamp& now)
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    auto r = (*db)->exec("SELECT 1 FROM enrollment_code WHERE secret_sha256 = $1 AND used_at IS NULL "
                         "AND expires_at > $2",
                         {secretSha256, timeParam(now)});
    if (!r) {
        return fail(r);
    }
    return r->rows() > 0;
}

Expected<void, Error>
PostgresGatewayStorage::enroll(const std::string& secretSha256, const DeviceRecord& device, const base::Timestamp& now)
{
    std::lock_guard lock(m_writerMutex);
    auto tx = beginWrite();
    if (!tx) {
        return fail(tx);
    }
    auto use = m_writer.exec("UPDATE enrollment_code SET used_at = $2, device_id = $3 "
                             "WHERE secret_sha256 = $1 AND used_at IS NULL AND expires_at > $2",
                             {secretSha256, timeParam(now), device.id});
    if (!use) {
        return fail(use);
    }
    if (use->affected() != 1) {
        return Unexpected(Error{Errc::Unauthorized, "the enrollment code is unknown, already used or expired", "code"});
    }
    if (auto done = m_writer.exec("INSERT INTO device (id, label, cert_serial, signing_key, app_version, enrolled_at) "
                                  "VALUES ($1, $2, $3, $4, $5, $6)",
                                  {device.id, device.label, device.certificateSerial, device.signingKeyHex,
                                   device.appVersion, timeParam(now)});
        !done) {
        return fail(done);
    }
    if (auto done = appendAudit({"system",
                                 "device.enroll",
                                 device.id,
                                 {{"label", device.label}, {"certificate_serial", device.certificateSerial}}},
                                now);
        !done) {
        return fail(done);
    }
    return tx->commit();
}

Expected<std::optional<DeviceRecord>, Error> PostgresGatewayStorage::deviceByCertificate(const std::string& serialHex)
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    auto r = (*db)->exec(std::string(kDeviceColumns) + "WHERE cert_serial = $1", {serialHex});
    if (!r) {
        return fail(r);
    }
    return r->rows() > 0 ? std::optional<DeviceRecord>(deviceFrom(*r, 0)) : std::nullopt;
}

Expected<std::vector<DeviceRecord>, Error> PostgresGatewayStorage::devices()
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    auto r = (*db)->exec(std::string(kDeviceColumns) + "ORDER BY enrolled_at, id");
    if (!r) {
        return fail(r);
    }
    std::vector<DeviceRecord> out;
    for (int i = 0; i < r->rows(); ++i) {
        out.push_back(deviceFrom(*r, i));
    }
    return out;
}

Expected<bool, Error> PostgresGatewayStorage::revokeDevice(const std::string& id, const base::Timestamp& now)
{
    std::lock_guard lock(m_writerMutex);
    auto tx = beginWrite();
    if (!tx) {
        return fail(tx);
    }
    auto r =
        m_writer.exec("UPDATE device SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", {id, timeParam(now)});
    if (!r) {
        return fail(r);
    }
    if (r->affected() != 1) {
        return false;
    }
    if (auto done = appendAudit({"operator", "device.revoke", id, nlohmann::json::object()}, now); !done) {
        return fail(done);
    }
    if (auto done = tx->commit(); !done) {
        return fail(done);
    }
    return true;
}

Expected<std::size_t, Error> PostgresGatewayStorage::changeAssignments(const std::string& deviceId,
                                                                       const std::vector<std::string>& patientIds,
                                                                       bool assign,
                                                                       const base::Timestamp& now)
{
    std::lock_guard lock(m_writerMutex);
    auto tx = beginWrite();
    if (!tx) {
        return fail(tx);
    }
    auto known = m_writer.exec("SELECT 1 FROM device WHERE id = $1", {deviceId});
    if (!known) {
        return fail(known);
    }
    if (known->rows() == 0) {
        return Unexpected(Error{Errc::InvalidInput, "no device '" + deviceId + "'", "device"});
    }
    std::size_t changed = 0;
    for (const auto& patientId : patientIds) {
        auto r = assign ? m_writer.exec("INSERT INTO device_patient (device_id, patient_id, assigned_at) "
                                        "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                                        {deviceId, patientId, timeParam(now)})
                        : m_writer.exec("DELETE FROM device_patient WHERE device_id = $1 AND patient_id = $2",
                                        {deviceId, patientId});
        if (!r) {
            return fail(r);
        }
        changed += static_cast<std::size_t>(r->affected());
    }
    if (auto done = appendAudit(assignmentAudit(deviceId, patientIds, assign), now); !done) {
        return fail(done);
    }
    if (auto done = tx->commit(); !done) {
        return fail(done);
    }
    return changed;
}

Expected<std::vector<std::string>, Error> PostgresGatewayStorage::assignedPatients(const std::string& deviceId)
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    auto r = (*db)->exec("SELECT patient_id FROM device_patient WHERE device_id = $1 ORDER BY patient_id", {deviceId});
    if (!r) {
        return fail(r);
    }
    std::vector<std::string> out;
    for (int i = 0; i < r->rows(); ++i) {
        out.push_back(r->text(i, 0));
    }
    return out;
}

Expected<void, Error> PostgresGatewayStorage::recordAudit(const store::AuditEntry& entry, const base::Timestamp& at)
{
    std::lock_guard lock(m_writerMutex);
    auto tx = beginWrite();
    if (!tx) {
        return fail(tx);
    }
    // As on SQLite: consistent always, durable with the next acknowledging commit (no WAL flush each).
    if (auto relaxed = m_writer.exec("SET LOCAL synchronous_commit TO off"); !relaxed) {
        return fail(relaxed);
    }
    if (auto done = appendAudit(entry, at); !done) {
        return fail(done);
    }
    return tx->commit();
}

Expected<std::optional<StoredRecord>, Error>
PostgresGatewayStorage::findOn(PgConnection& connection, const std::string& deviceId, const std::string& idemKey)
{
    auto r =
        connection.exec(std::string(kRecordColumns) + "WHERE device_id = $1 AND idem_key = $2", {deviceId, idemKey});
    if (!r) {
        return fail(r);
    }
    return r->rows() > 0 ? std::optional<StoredRecord>(recordFrom(*r, 0)) : std::nullopt;
}

Expected<std::optional<StoredRecord>, Error> PostgresGatewayStorage::findRecord(const std::string& deviceId,
                                                                                const std::string& idemKey)
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    return findOn(**db, deviceId, idemKey);
}

Expected<IntakeResult, Error> PostgresGatewayStorage::intakeLocked(const IntakeRequest& request)
{
    const auto& rec = request.record;
    auto known = findOn(m_writer, request.deviceId, rec.idemKey);
    if (!known) {
        return fail(known);
    }
    if (*known) {
        return answerForKnownKey(**known, rec.payloadSha256);
    }
    // Savepoint: a refused challenge claim undoes this record only, not the batch.
    if (auto done = m_writer.run("SAVEPOINT intake"); !done) {
        return fail(done);
    }
    auto inserted = m_writer.exec(
        "INSERT INTO record (device_id, idem_key, kind, record_id, payload, payload_sha256, created_at, "
        "device_time, received_at, flags, derived) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING seq",
        {request.deviceId, rec.idemKey, rec.kind, rec.recordId, rec.payload, rec.payloadSha256,
         timeParam(rec.createdAt), timeParam(request.deviceTime), timeParam(request.receivedAt),
         nlohmann::json(request.flags).dump(), request.derived.dump()});
    if (!inserted) {
        return fail(inserted);
    }
    const std::int64_t seq = inserted->integer(0, 0);
    for (const auto& challengeId : request.challengeIds) {
        auto claim = m_writer.exec("INSERT INTO challenge_use (challenge_id, device_id, record_seq, used_at) "
                                   "VALUES ($1, $2, $3, $4) ON CONFLICT (challenge_id) DO NOTHING",
                                   {challengeId, request.deviceId, pgInt(seq), timeParam(request.receivedAt)});
        if (!claim) {
            return fail(claim);
        }
        if (claim->affected() != 1) {
            if (auto done = m_writer.run("ROLLBACK TO SAVEPOINT intake; RELEASE SAVEPOINT intake"); !done) {
                return fail(done);
            }
            return challengeReusedRefusal(challengeId);
        }
    }
    for (const auto& item : request.feed) {
        if (auto done = appendFeed(item); !done) {
            return fail(done);
        }
    }
    for (const auto& care : request.careStarts) {
        auto started =
            m_writer.exec("INSERT INTO care_state (patient_id, service_kind, first_visit_at, first_visit_record) "
                          "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                          {care.patientId, care.serviceKind, timeParam(care.firstVisitAt), pgInt(seq)});
        if (!started) {
            return fail(started);
        }
        if (started->affected() == 1) {
            if (auto done = appendFeed(careStartedItem(care, request.receivedAt)); !done) {
                return fail(done);
            }
        }
    }
    const auto entry = recordAcceptedAudit(request);
    if (auto done = appendAudit(entry, request.receivedAt); !done) {
        return fail(done);
    }
    if (auto done = m_writer.run("RELEASE SAVEPOINT intake"); !done) {
        return fail(done);
    }
    return storedReceipt(request);
}

Expected<std::vector<IntakeResult>, Error>
PostgresGatewayStorage::intakeBatch(const std::vector<IntakeRequest>& requests)
{
    return m_group.submit(requests, [this](const std::vector<const IntakeRequest*>& all) { return commitAll(all); });
}

Expected<std::vector<IntakeResult>, Error>
PostgresGatewayStorage::commitAll(const std::vector<const IntakeRequest*>& requests)
{
    std::lock_guard lock(m_writerMutex);
    auto tx = beginWrite();
    if (!tx) {
        return fail(tx);
    }
    std::vector<IntakeResult> results;
    for (const auto* request : requests) {
        auto result = intakeLocked(*request);
        if (!result) {
            return fail(result); // rolled back: nothing is acknowledged
        }
        results.push_back(std::move(*result));
    }
    if (auto done = tx->commit(); !done) {
        return fail(done);
    }
    return results;
}

Expected<std::vector<StoredRecord>, Error> PostgresGatewayStorage::records(std::int64_t afterSeq, std::size_t limit)
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    auto r = (*db)->exec(std::string(kRecordColumns) + "WHERE seq > $1 ORDER BY seq LIMIT $2",
                         {pgInt(afterSeq), pgInt(static_cast<std::int64_t>(limit))});
    if (!r) {
        return fail(r);
    }
    std::vector<StoredRecord> out;
    for (int i = 0; i < r->rows(); ++i) {
        out.push_back(recordFrom(*r, i));
    }
    return out;
}

Expected<std::vector<protocol::FeedItem>, Error>
PostgresGatewayStorage::feedItems(std::int64_t afterSeq, std::size_t limit, const std::string& deviceId)
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    auto r = (*db)->exec("SELECT seq, kind, patient_id, at, body FROM feed WHERE seq > $1 AND ($3 = '' OR "
                         "patient_id IN (SELECT patient_id FROM device_patient WHERE device_id = $3)) "
                         "ORDER BY seq LIMIT $2",
                         {pgInt(afterSeq), pgInt(static_cast<std::int64_t>(limit)), deviceId});
    if (!r) {
        return fail(r);
    }
    std::vector<protocol::FeedItem> out;
    for (int i = 0; i < r->rows(); ++i) {
        protocol::FeedItem item;
        item.seq = r->integer(i, 0);
        item.kind = r->text(i, 1);
        item.patientId = r->text(i, 2);
        item.at = timeOf(*r, i, 3);
        item.body = base::parseJson(r->text(i, 4));
        out.push_back(std::move(item));
    }
    return out;
}

Expected<void, Error> PostgresGatewayStorage::addSnapshot(const std::string& patientId,
                                                          const nlohmann::json& snapshot,
                                                          const base::Timestamp& receivedAt)
{
    std::lock_guard lock(m_writerMutex);
    auto tx = beginWrite();
    if (!tx) {
        return fail(tx);
    }
    if (auto done = m_writer.exec("INSERT INTO snapshot (patient_id, received_at, snapshot_json) VALUES ($1, $2, $3)",
                                  {patientId, timeParam(receivedAt), snapshot.dump()});
        !done) {
        return fail(done);
    }
    if (auto done = appendFeed(eligibilityResultItem(patientId, snapshot, receivedAt)); !done) {
        return fail(done);
    }
    return tx->commit();
}

Expected<std::optional<SnapshotRow>, Error> PostgresGatewayStorage::latestSnapshot(const std::string& patientId)
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    auto r = (*db)->exec("SELECT snapshot_json, received_at, seq FROM snapshot WHERE patient_id = $1 "
                         "ORDER BY received_at DESC, seq DESC LIMIT 1",
                         {patientId});
    if (!r) {
        return fail(r);
    }
    if (r->rows() == 0) {
        return std::optional<SnapshotRow>();
    }
    return std::optional<SnapshotRow>(SnapshotRow{r->integer(0, 2), r->text(0, 0), timeOf(*r, 0, 1)});
}

Expected<std::vector<CareState>, Error> PostgresGatewayStorage::careStates(const std::string& patientId)
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    auto r = (*db)->exec("SELECT patient_id, service_kind, first_visit_at, first_online_confirm_at, ended_at "
                         "FROM care_state WHERE patient_id = $1 ORDER BY service_kind",
                         {patientId});
    if (!r) {
        return fail(r);
    }
    std::vector<CareState> out;
    for (int i = 0; i < r->rows(); ++i) {
        CareState c;
        c.patientId = r->text(i, 0);
        c.serviceKind = r->text(i, 1);
        c.firstVisitAt = timeOf(*r, i, 2);
        c.firstOnlineConfirmAt = optionalTime(*r, i, 3);
        c.endedAt = optionalTime(*r, i, 4);
        out.push_back(std::move(c));
    }
    return out;
}

Expected<void, Error> PostgresGatewayStorage::confirmCare(const std::string& patientId,
                                                          const base::Timestamp& confirmedAt)
{
    std::lock_guard lock(m_writerMutex);
    auto tx = beginWrite();
    if (!tx) {
        return fail(tx);
    }
    auto updated = m_writer.exec("UPDATE care_state SET first_online_confirm_at = $2 WHERE patient_id = $1 "
                                 "AND first_online_confirm_at IS NULL AND ended_at IS NULL "
                                 "RETURNING service_kind, first_visit_at",
                                 {patientId, timeParam(confirmedAt)});
    if (!updated) {
        return fail(updated);
    }
    for (int i = 0; i < updated->rows(); ++i) {
        // first_visit_at as the tablets were told it (JST), like the SQLite backend.
        const std::string firstVisit = timeOf(*updated, i, 1).toString();
        if (auto done = appendFeed(careConfirmedItem(patientId, updated->text(i, 0), firstVisit, confirmedAt)); !done) {
            return fail(done);
        }
    }
    return tx->commit();
}

Expected<void, Error> PostgresGatewayStorage::setRequeryKey(const RequeryKeyRow& key)
{
    std::lock_guard lock(m_writerMutex);
    auto tx = beginWrite();
    if (!tx) {
        return fail(tx);
    }
    const PgParam expiry = key.certificateExpiry ? PgParam(key.certificateExpiry->toString()) : std::nullopt;
    if (auto done = m_writer.exec(
            "INSERT INTO requery_key (patient_id, search_json, certificate_expiry, updated_at) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (patient_id) DO UPDATE SET search_json = excluded.search_json, "
            "certificate_expiry = coalesce(excluded.certificate_expiry, requery_key.certificate_expiry), "
            "updated_at = excluded.updated_at",
            {key.patientId, key.search.dump(), expiry, timeParam(key.updatedAt)});
        !done) {
        return fail(done);
    }
    return tx->commit();
}

Expected<std::optional<RequeryKeyRow>, Error> PostgresGatewayStorage::requeryKey(const std::string& patientId)
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    auto r = (*db)->exec(
        "SELECT patient_id, search_json, certificate_expiry, updated_at FROM requery_key WHERE patient_id = $1",
        {patientId});
    if (!r) {
        return fail(r);
    }
    if (r->rows() == 0) {
        return std::optional<RequeryKeyRow>();
    }
    RequeryKeyRow k;
    k.patientId = r->text(0, 0);
    k.search = base::parseJson(r->text(0, 1));
    if (!r->isNull(0, 2)) {
        if (auto date = base::Date::parse(r->text(0, 2))) {
            k.certificateExpiry = *date;
        }
    }
    k.updatedAt = timeOf(*r, 0, 3);
    return std::optional<RequeryKeyRow>(std::move(k));
}

Expected<StorageCounts, Error> PostgresGatewayStorage::counts()
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    auto r = (*db)->exec("SELECT (SELECT count(*) FROM device), "
                         "(SELECT count(*) FROM device WHERE revoked_at IS NOT NULL), "
                         "(SELECT count(*) FROM record), (SELECT count(*) FROM feed), (SELECT count(*) FROM snapshot)");
    if (!r) {
        return fail(r);
    }
    return StorageCounts{r->integer(0, 0), r->integer(0, 1), r->integer(0, 2), r->integer(0, 3), r->integer(0, 4)};
}

Expected<std::int64_t, Error> PostgresGatewayStorage::lastRecordSeq()
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    auto r = (*db)->exec("SELECT coalesce(max(seq), 0) FROM record");
    if (!r) {
        return fail(r);
    }
    return r->integer(0, 0);
}

Expected<store::AuditVerification, Error> PostgresGatewayStorage::verifyAudit()
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    // One snapshot for the rows and the head, so a concurrent append cannot look like a broken tail.
    if (auto done = (*db)->run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !done) {
        return fail(done);
    }
    auto rows = (*db)->exec("SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log "
                            "ORDER BY seq");
    auto head = (*db)->exec("SELECT value FROM store_meta WHERE key = 'audit_head'");
    (void)(*db)->run("COMMIT");
    if (!rows) {
        return fail(rows);
    }
    if (!head) {
        return fail(head);
    }
    store::AuditChain chain;
    for (int i = 0; i < rows->rows(); ++i) {
        chain.check(rows->integer(i, 0), rows->text(i, 1), rows->text(i, 2), rows->text(i, 3), rows->text(i, 4),
                    rows->text(i, 5), rows->text(i, 6), rows->text(i, 7));
    }
    return chain.finish(head->rows() > 0 ? head->text(0, 0) : std::string());
}

Expected<int, Error> PostgresGatewayStorage::schemaVersion()
{
    std::lock_guard lock(m_readerMutex);
    auto db = reader();
    if (!db) {
        return fail(db);
    }
    return currentVersion(**db);
}

} // namespace zaitaku::sync::gateway
