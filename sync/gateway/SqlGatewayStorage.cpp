#include "sync/gateway/SqlGatewayStorage.h"

#include "base/BoundedJson.h"
#include "base/CanonicalJson.h"
#include "sync/gateway/ClaimPurge.h"
#include "sync/sql/SqlTime.h"

#include <type_traits>

namespace zaitaku::sync::gateway
{

namespace
{

// Every row of a read as `from(rows, i)` gives it, or the read's error.
template <typename From>
auto rowsAs(const Expected<SqlRows, Error>& r, From from)
    -> Expected<std::vector<std::invoke_result_t<From, const SqlRows&, int>>, Error>
{
    if (!r) {
        return errorOf(r);
    }
    std::vector<std::invoke_result_t<From, const SqlRows&, int>> out;
    out.reserve(static_cast<std::size_t>(r->rows()));
    for (int i = 0; i < r->rows(); ++i) {
        out.push_back(from(*r, i));
    }
    return out;
}

std::string firstColumn(const SqlRows& r, int i)
{
    return r.text(i, 0);
}

base::Timestamp timeOf(const SqlRows& r, int row, int column)
{
    return r.time(row, column).value_or(base::Timestamp::fromUtc({}));
}

std::vector<std::string> flagsOf(const std::string& text)
{
    auto json = base::parseJson(text);
    return json.is_array() ? json.get<std::vector<std::string>>() : std::vector<std::string>{};
}

constexpr std::string_view kDeviceColumns =
    "SELECT d.id, d.label, d.cert_serial, d.signing_key, d.app_version, d.enrolled_at, d.revoked_at, "
    "d.last_seen_at, d.backlog, d.backlog_since, d.feed_seq FROM device d ";

DeviceRecord deviceFrom(const SqlRows& r, int row)
{
    DeviceRecord d;
    d.id = r.text(row, 0);
    d.label = r.text(row, 1);
    d.certificateSerial = r.text(row, 2);
    d.signingKeyHex = r.text(row, 3);
    d.appVersion = r.text(row, 4);
    d.enrolledAt = timeOf(r, row, 5);
    d.revokedAt = r.time(row, 6);
    d.lastSeenAt = r.time(row, 7);
    d.backlog = r.isNull(row, 8) ? std::nullopt : std::optional<std::int64_t>(r.integer(row, 8));
    d.backlogSince = r.time(row, 9);
    d.feedSeq = r.isNull(row, 10) ? 0 : r.integer(row, 10);
    return d;
}

constexpr std::string_view kRecordColumns = "SELECT seq, device_id, idem_key, kind, record_id, payload, "
                                            "payload_sha256, received_at, flags, derived FROM record ";

StoredRecord recordFrom(const SqlRows& r, int row)
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

std::int64_t sqlInt(std::size_t n)
{
    return static_cast<std::int64_t>(n);
}

} // namespace

Expected<std::unique_ptr<SqlGatewayStorage>, Error> SqlGatewayStorage::open(std::unique_ptr<SqlConnection> writer,
                                                                            std::unique_ptr<SqlConnection> reader,
                                                                            base::RandomSource& random,
                                                                            const base::Timestamp& now)
{
    std::unique_ptr<SqlGatewayStorage> storage(new SqlGatewayStorage(std::move(writer), std::move(reader)));
    auto epoch = storage->epoch();
    if (!epoch) {
        return errorOf(epoch);
    }
    if (epoch->empty()) {
        if (auto made = storage->rotateEpoch(random, "created", now); !made) {
            return errorOf(made);
        }
    }
    return storage;
}

Expected<SqlRows, Error> SqlGatewayStorage::read(std::string_view sql, const std::vector<SqlValue>& params)
{
    std::lock_guard lock(m_readerMutex);
    return m_reader->exec(sql, params);
}

template <typename T, typename Work>
Expected<T, Error> SqlGatewayStorage::inWrite(WriteDurability durability, Work work)
{
    std::lock_guard lock(m_writerMutex);
    auto tx = SqlTransaction::write(*m_writer, durability);
    if (!tx) {
        return errorOf(tx);
    }
    Expected<T, Error> result = work();
    if (!result) {
        return result; // rolled back: nothing is acknowledged
    }
    if (auto done = tx->commit(); !done) {
        return errorOf(done);
    }
    return result;
}

Expected<void, Error> SqlGatewayStorage::appendAudit(const sql::AuditEntry& entry, const base::Timestamp& at)
{
    auto last = m_writer->exec("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (!last) {
        return errorOf(last);
    }
    const std::int64_t seq = last->rows() > 0 ? last->integer(0, 0) + 1 : 1;
    const std::string prev = last->rows() > 0 ? last->text(0, 1) : sql::AuditChain::genesis();
    const std::string when = sql::utcText(at);
    std::string detail;
    try {
        detail = base::canonicalJson(entry.detail);
    } catch (const nlohmann::json::exception&) {
        return Unexpected(Error{Errc::InvalidInput, "audit detail is not valid UTF-8", "detail"});
    }
    const std::string hash = sql::AuditChain::hash(prev, seq, when, entry.actor, entry.action, entry.subject, detail);
    if (auto done = m_writer->exec("INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                                   {seq, when, entry.actor, entry.action, entry.subject, detail, prev, hash});
        !done) {
        return errorOf(done);
    }
    if (auto done = m_writer->exec("INSERT INTO store_meta (key, value) VALUES ('audit_head', ?1) "
                                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                   {std::to_string(seq) + ":" + hash});
        !done) {
        return errorOf(done);
    }
    return {};
}

Expected<void, Error> SqlGatewayStorage::appendFeed(const protocol::FeedItem& item)
{
    auto done = m_writer->exec("INSERT INTO feed (kind, patient_id, at, body) VALUES (?1, ?2, ?3, ?4)",
                               {item.kind, item.patientId, sqlTime(item.at), item.body.dump()});
    if (!done) {
        return errorOf(done);
    }
    return {};
}

Expected<std::string, Error> SqlGatewayStorage::epoch()
{
    auto r = read("SELECT value FROM store_meta WHERE key = 'epoch'");
    if (!r) {
        return errorOf(r);
    }
    return r->rows() > 0 ? r->text(0, 0) : std::string();
}

Expected<std::string, Error>
SqlGatewayStorage::rotateEpoch(base::RandomSource& random, const std::string& reason, const base::Timestamp& now)
{
    const std::string epoch = base::makeUuid(random);
    return inWrite<std::string>(WriteDurability::Full, [&]() -> Expected<std::string, Error> {
        if (auto done = m_writer->exec("INSERT INTO store_meta (key, value) VALUES ('epoch', ?1) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                       {epoch});
            !done) {
            return errorOf(done);
        }
        if (auto done = appendAudit({m_actor, "gateway.epoch", epoch, {{"reason", reason}}}, now); !done) {
            return errorOf(done);
        }
        return epoch;
    });
}

Expected<void, Error> SqlGatewayStorage::addEnrollmentCode(const std::string& secretSha256,
                                                           const base::Timestamp& now,
                                                           const base::Timestamp& expires)
{
    return inWrite<void>(WriteDurability::Full, [&]() -> Expected<void, Error> {
        if (auto done = m_writer->exec(
                "INSERT INTO enrollment_code (secret_sha256, created_at, expires_at) VALUES (?1, ?2, ?3)",
                {secretSha256, sqlTime(now), sqlTime(expires)});
            !done) {
            return errorOf(done);
        }
        return appendAudit({m_actor, "gateway.enroll_code", "enrollment_code", {{"expires_at", expires.toString()}}},
                           now);
    });
}

Expected<std::vector<EnrollmentCodeRow>, Error> SqlGatewayStorage::enrollmentCodes()
{
    return rowsAs(read("SELECT substr(secret_sha256, 1, 8), created_at, expires_at, used_at, device_id "
                       "FROM enrollment_code ORDER BY created_at"),
                  [](const SqlRows& r, int i) {
                      return EnrollmentCodeRow{r.text(i, 0), r.text(i, 1), r.text(i, 2),
                                               r.isNull(i, 3) ? std::nullopt : std::optional<std::string>(r.text(i, 3)),
                                               r.isNull(i, 4) ? std::string() : r.text(i, 4)};
                  });
}

Expected<bool, Error> SqlGatewayStorage::withdrawEnrollmentCode(const std::string& id, const base::Timestamp& now)
{
    return inWrite<bool>(WriteDurability::Full, [&]() -> Expected<bool, Error> {
        auto open = m_writer->exec("SELECT secret_sha256 FROM enrollment_code WHERE substr(secret_sha256, 1, 8) = ?1 "
                                   "AND used_at IS NULL AND expires_at > ?2",
                                   {id, sqlTime(now)});
        if (!open) {
            return errorOf(open);
        }
        if (open->rows() > 1) {
            return Unexpected(Error{Errc::InvalidInput, "the id " + id + " names several open codes", "id"});
        }
        if (open->rows() == 0) {
            return false;
        }
        auto done = m_writer->exec("UPDATE enrollment_code SET expires_at = ?2 WHERE secret_sha256 = ?1",
                                   {open->text(0, 0), sqlTime(now)});
        if (!done) {
            return errorOf(done);
        }
        if (auto audited = appendAudit({m_actor, "gateway.enroll_code_withdrawn", id, nlohmann::json::object()}, now);
            !audited) {
            return errorOf(audited);
        }
        return true;
    });
}

Expected<bool, Error> SqlGatewayStorage::enrollmentCodeUsable(const std::string& secretSha256,
                                                              const base::Timestamp& now)
{
    auto r = read("SELECT 1 FROM enrollment_code WHERE secret_sha256 = ?1 AND used_at IS NULL AND expires_at > ?2",
                  {secretSha256, sqlTime(now)});
    if (!r) {
        return errorOf(r);
    }
    return r->rows() > 0;
}

Expected<void, Error>
SqlGatewayStorage::enroll(const std::string& secretSha256, const DeviceRecord& device, const base::Timestamp& now)
{
    return inWrite<void>(WriteDurability::Full, [&]() -> Expected<void, Error> {
        auto use = m_writer->exec("UPDATE enrollment_code SET used_at = ?2, device_id = ?3 "
                                  "WHERE secret_sha256 = ?1 AND used_at IS NULL AND expires_at > ?2",
                                  {secretSha256, sqlTime(now), device.id});
        if (!use) {
            return errorOf(use);
        }
        if (use->affected() != 1) {
            return Unexpected(
                Error{Errc::Unauthorized, "the enrollment code is unknown, already used or expired", "code"});
        }
        if (auto done =
                m_writer->exec("INSERT INTO device (id, label, cert_serial, signing_key, app_version, enrolled_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                               {device.id, device.label, device.certificateSerial, device.signingKeyHex,
                                device.appVersion, sqlTime(now)});
            !done) {
            return errorOf(done);
        }
        if (auto done =
                m_writer->exec("INSERT INTO device_certificate (serial, device_id, issued_at) VALUES (?1, ?2, ?3)",
                               {device.certificateSerial, device.id, sqlTime(now)});
            !done) {
            return errorOf(done);
        }
        return appendAudit({"system",
                            "device.enroll",
                            device.id,
                            {{"label", device.label}, {"certificate_serial", device.certificateSerial}}},
                           now);
    });
}

Expected<std::optional<DeviceRecord>, Error> SqlGatewayStorage::deviceByCertificate(const std::string& serialHex)
{
    // Any certificate the device was ever issued: a retired one is found (and refused by the
    // service), so it is never mistaken for a monitoring certificate.
    auto r = read("SELECT c.retired_at, (SELECT COUNT(*) FROM device_certificate o WHERE o.device_id = c.device_id "
                  "AND o.retired_at IS NULL AND o.serial <> c.serial), c.device_id FROM device_certificate c "
                  "WHERE c.serial = ?1",
                  {serialHex});
    if (!r) {
        return errorOf(r);
    }
    if (r->rows() == 0) {
        return std::optional<DeviceRecord>();
    }
    auto d = read(std::string(kDeviceColumns) + "WHERE d.id = ?1", {r->text(0, 2)});
    if (!d) {
        return errorOf(d);
    }
    if (d->rows() == 0) {
        return std::optional<DeviceRecord>();
    }
    DeviceRecord device = deviceFrom(*d, 0);
    device.certificateRetired = !r->isNull(0, 0);
    device.otherOpenCertificates = r->integer(0, 1);
    return std::optional<DeviceRecord>(std::move(device));
}

Expected<void, Error> SqlGatewayStorage::renewDevice(const DeviceRenewal& renewal, const base::Timestamp& now)
{
    return inWrite<void>(WriteDurability::Full, [&]() -> Expected<void, Error> {
        auto updated = m_writer->exec("UPDATE device SET cert_serial = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                                      {renewal.deviceId, renewal.serial});
        if (!updated) {
            return errorOf(updated);
        }
        if (updated->affected() != 1) {
            return Unexpected(Error{Errc::Unauthorized, "device " + renewal.deviceId + " is unknown or revoked"});
        }
        if (auto done = m_writer->exec("INSERT INTO device_certificate (serial, device_id, issued_at, not_after) "
                                       "VALUES (?1, ?2, ?3, ?4)",
                                       {renewal.serial, renewal.deviceId, sqlTime(now), sqlTime(renewal.notAfter)});
            !done) {
            return errorOf(done);
        }
        return appendAudit({"system",
                            "device.renew",
                            renewal.deviceId,
                            {{"previous_serial", renewal.previousSerial},
                             {"certificate_serial", renewal.serial},
                             {"not_after", renewal.notAfter.toString()}}},
                           now);
    });
}

Expected<void, Error> SqlGatewayStorage::retireOtherCertificates(const std::string& deviceId,
                                                                 const std::string& serialInUse,
                                                                 const base::Timestamp& now)
{
    return inWrite<void>(WriteDurability::Full, [&]() -> Expected<void, Error> {
        auto retired = m_writer->exec("UPDATE device_certificate SET retired_at = ?3 WHERE device_id = ?1 AND "
                                      "serial <> ?2 AND retired_at IS NULL",
                                      {deviceId, serialInUse, sqlTime(now)});
        if (!retired) {
            return errorOf(retired);
        }
        if (retired->affected() == 0) {
            return {};
        }
        return appendAudit({"system",
                            "device.certificates_retired",
                            deviceId,
                            {{"in_use", serialInUse}, {"retired", retired->affected()}}},
                           now);
    });
}

Expected<void, Error> SqlGatewayStorage::announceTrustAnchor(const nlohmann::json& body,
                                                             const std::string& fingerprint,
                                                             const base::Timestamp& now)
{
    return inWrite<void>(WriteDurability::Full, [&]() -> Expected<void, Error> {
        if (auto audited = appendAudit({m_actor, "ca.root_announced", "root", {{"fingerprint", fingerprint}}}, now);
            !audited) {
            return errorOf(audited);
        }
        return appendFeed({0, "trust_anchor", "", now, body});
    });
}

Expected<std::optional<std::int64_t>, Error> SqlGatewayStorage::trustAnchorSeq()
{
    auto r = read("SELECT max(seq) FROM feed WHERE kind = 'trust_anchor'");
    if (!r) {
        return errorOf(r);
    }
    return r->rows() == 0 || r->isNull(0, 0) ? std::optional<std::int64_t>()
                                             : std::optional<std::int64_t>(r->integer(0, 0));
}

Expected<void, Error> SqlGatewayStorage::noteSighting(const DeviceSighting& sighting)
{
    // Relaxed: a sighting lost in a crash is replaced by the next one.
    return inWrite<void>(WriteDurability::Relaxed, [&]() -> Expected<void, Error> {
        auto done = m_writer->exec(
            "UPDATE device SET last_seen_at = ?2, backlog = COALESCE(?3, backlog), backlog_since = CASE WHEN ?3 IS "
            "NULL THEN backlog_since ELSE ?4 END, feed_seq = COALESCE(?5, feed_seq) WHERE id = ?1",
            {sighting.deviceId, sqlTime(sighting.at),
             sighting.backlog ? SqlValue(*sighting.backlog) : SqlValue(std::monostate{}),
             sighting.backlogSince ? sqlTime(*sighting.backlogSince) : SqlValue(std::monostate{}),
             sighting.feedSeq ? SqlValue(*sighting.feedSeq) : SqlValue(std::monostate{})});
        if (!done) {
            return errorOf(done);
        }
        return {};
    });
}

Expected<std::vector<std::string>, Error> SqlGatewayStorage::earlierEnrollments(const DeviceRecord& device)
{
    return rowsAs(
        read("SELECT id FROM device WHERE signing_key = ?1 AND id <> ?2 AND enrolled_at <= ?3 ORDER BY enrolled_at",
             {device.signingKeyHex, device.id, sqlTime(device.enrolledAt)}),
        firstColumn);
}

Expected<std::vector<DeviceRecord>, Error> SqlGatewayStorage::devices()
{
    return rowsAs(read(std::string(kDeviceColumns) + "ORDER BY d.enrolled_at, d.id"), deviceFrom);
}

Expected<bool, Error> SqlGatewayStorage::revokeDevice(const std::string& id, const base::Timestamp& now)
{
    return inWrite<bool>(WriteDurability::Full, [&]() -> Expected<bool, Error> {
        auto r = m_writer->exec("UPDATE device SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                                {id, sqlTime(now)});
        if (!r) {
            return errorOf(r);
        }
        if (r->affected() != 1) {
            return false; // no such device, or revoked already: nothing was written
        }
        if (auto done = appendAudit({m_actor, "device.revoke", id, nlohmann::json::object()}, now); !done) {
            return errorOf(done);
        }
        return true;
    });
}

Expected<std::size_t, Error> SqlGatewayStorage::changeAssignments(const std::string& deviceId,
                                                                  const std::vector<std::string>& patientIds,
                                                                  bool assign,
                                                                  const base::Timestamp& now)
{
    return inWrite<std::size_t>(WriteDurability::Full, [&]() -> Expected<std::size_t, Error> {
        auto known = m_writer->exec("SELECT 1 FROM device WHERE id = ?1", {deviceId});
        if (!known) {
            return errorOf(known);
        }
        if (known->rows() == 0) {
            return Unexpected(Error{Errc::InvalidInput, "no device '" + deviceId + "'", "device"});
        }
        std::size_t changed = 0;
        for (const auto& patientId : patientIds) {
            auto r = assign ? m_writer->exec("INSERT INTO device_patient (device_id, patient_id, assigned_at) "
                                             "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                                             {deviceId, patientId, sqlTime(now)})
                            : m_writer->exec("DELETE FROM device_patient WHERE device_id = ?1 AND patient_id = ?2",
                                             {deviceId, patientId});
            if (!r) {
                return errorOf(r);
            }
            changed += static_cast<std::size_t>(r->affected());
        }
        if (auto done = appendAudit(assignmentAudit(m_actor, deviceId, patientIds, assign), now); !done) {
            return errorOf(done);
        }
        return changed;
    });
}

Expected<std::vector<std::string>, Error> SqlGatewayStorage::assignedPatients(const std::string& deviceId)
{
    return rowsAs(read("SELECT patient_id FROM device_patient WHERE device_id = ?1 ORDER BY patient_id", {deviceId}),
                  firstColumn);
}

Expected<void, Error> SqlGatewayStorage::recordAudit(const sql::AuditEntry& entry, const base::Timestamp& at)
{
    // Relaxed: the row and the chain stay consistent through a crash; a power loss may take the
    // last moments' read rows. The next acknowledging write makes them durable.
    return inWrite<void>(WriteDurability::Relaxed, [&] { return appendAudit(entry, at); });
}

Expected<std::optional<StoredRecord>, Error>
SqlGatewayStorage::findOn(SqlConnection& connection, const std::string& deviceId, const std::string& idemKey)
{
    auto r =
        connection.exec(std::string(kRecordColumns) + "WHERE device_id = ?1 AND idem_key = ?2", {deviceId, idemKey});
    if (!r) {
        return errorOf(r);
    }
    return r->rows() > 0 ? std::optional<StoredRecord>(recordFrom(*r, 0)) : std::nullopt;
}

Expected<std::optional<StoredRecord>, Error> SqlGatewayStorage::findRecord(const std::string& deviceId,
                                                                           const std::string& idemKey)
{
    std::lock_guard lock(m_readerMutex);
    return findOn(*m_reader, deviceId, idemKey);
}

Expected<IntakeResult, Error> SqlGatewayStorage::intakeOne(const IntakeRequest& request)
{
    const auto& rec = request.record;
    auto known = findOn(*m_writer, request.deviceId, rec.idemKey);
    if (!known) {
        return errorOf(known);
    }
    if (*known) {
        return answerForKnownKey(**known, rec.payloadSha256);
    }
    // Savepoint: a refused challenge claim undoes this record only, not the batch.
    if (auto done = m_writer->exec("SAVEPOINT intake"); !done) {
        return errorOf(done);
    }
    auto inserted = m_writer->exec(
        "INSERT INTO record (device_id, idem_key, kind, record_id, payload, payload_sha256, created_at, "
        "device_time, received_at, flags, derived) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING seq",
        {request.deviceId, rec.idemKey, rec.kind, rec.recordId, rec.payload, rec.payloadSha256, sqlTime(rec.createdAt),
         sqlTime(request.deviceTime), sqlTime(request.receivedAt), nlohmann::json(request.flags).dump(),
         request.derived.dump()});
    if (!inserted) {
        return errorOf(inserted);
    }
    const std::int64_t seq = inserted->integer(0, 0);
    for (const auto& challengeId : request.challengeIds) {
        auto claim = m_writer->exec("INSERT INTO challenge_use (challenge_id, device_id, record_seq, used_at) "
                                    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (challenge_id) DO NOTHING",
                                    {challengeId, request.deviceId, seq, sqlTime(request.receivedAt)});
        if (!claim) {
            return errorOf(claim);
        }
        if (claim->affected() != 1) {
            if (auto done = m_writer->exec("ROLLBACK TO SAVEPOINT intake"); !done) {
                return errorOf(done);
            }
            if (auto done = m_writer->exec("RELEASE SAVEPOINT intake"); !done) {
                return errorOf(done);
            }
            return challengeReusedRefusal(challengeId);
        }
    }
    for (const auto& item : request.feed) {
        if (auto done = appendFeed(item); !done) {
            return errorOf(done);
        }
    }
    for (const auto& care : request.careStarts) {
        auto started =
            m_writer->exec("INSERT INTO care_state (patient_id, service_kind, first_visit_at, first_visit_record) "
                           "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
                           {care.patientId, care.serviceKind, sqlTime(care.firstVisitAt), seq});
        if (!started) {
            return errorOf(started);
        }
        if (started->affected() == 1) {
            if (auto done = appendFeed(careStartedItem(care, request.receivedAt)); !done) {
                return errorOf(done);
            }
        }
    }
    for (const auto& consent : request.medicalConsents) {
        // A withdrawal wins whatever the order the two records arrive in.
        auto kept = m_writer->exec(
            consent.withdrawnAt
                ? "INSERT INTO medical_consent (consent_id, patient_id, kind, service_kind, consented_at, "
                  "withdrawn_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (consent_id) DO UPDATE SET withdrawn_at = "
                  "coalesce(medical_consent.withdrawn_at, excluded.withdrawn_at)"
                : "INSERT INTO medical_consent (consent_id, patient_id, kind, service_kind, consented_at, "
                  "withdrawn_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (consent_id) DO NOTHING",
            {consent.consentId, consent.patientId, std::string(base::toCode(consent.kind)), consent.serviceKind,
             sqlTime(consent.consentedAt), consent.withdrawnAt ? sqlTime(*consent.withdrawnAt) : SqlValue()});
        if (!kept) {
            return errorOf(kept);
        }
    }
    if (auto done = appendAudit(recordAcceptedAudit(request), request.receivedAt); !done) {
        return errorOf(done);
    }
    if (auto done = m_writer->exec("RELEASE SAVEPOINT intake"); !done) {
        return errorOf(done);
    }
    return storedReceipt(request);
}

Expected<std::vector<IntakeResult>, Error> SqlGatewayStorage::intakeBatch(const std::vector<IntakeRequest>& requests)
{
    return m_group.submit(requests, [this](const std::vector<const IntakeRequest*>& all) { return commitAll(all); });
}

Expected<std::vector<IntakeResult>, Error>
SqlGatewayStorage::commitAll(const std::vector<const IntakeRequest*>& requests)
{
    return inWrite<std::vector<IntakeResult>>(WriteDurability::Full,
                                              [&]() -> Expected<std::vector<IntakeResult>, Error> {
                                                  std::vector<IntakeResult> results;
                                                  for (const auto* request : requests) {
                                                      auto result = intakeOne(*request);
                                                      if (!result) {
                                                          return errorOf(result);
                                                      }
                                                      results.push_back(std::move(*result));
                                                  }
                                                  return results;
                                              });
}

Expected<std::vector<StoredRecord>, Error> SqlGatewayStorage::records(std::int64_t afterSeq, std::size_t limit)
{
    return rowsAs(read(std::string(kRecordColumns) + "WHERE seq > ?1 ORDER BY seq LIMIT ?2", {afterSeq, sqlInt(limit)}),
                  recordFrom);
}

Expected<std::vector<protocol::FeedItem>, Error>
SqlGatewayStorage::feedItems(std::int64_t afterSeq, std::size_t limit, const std::string& deviceId)
{
    auto r = read("SELECT seq, kind, patient_id, at, body FROM feed WHERE seq > ?1 AND (?3 = '' OR "
                  "patient_id = '' OR patient_id IN (SELECT patient_id FROM device_patient WHERE device_id = ?3)) "
                  "ORDER BY seq LIMIT ?2",
                  {afterSeq, sqlInt(limit), deviceId});
    if (!r) {
        return errorOf(r);
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

Expected<void, Error> SqlGatewayStorage::addSnapshot(const std::string& patientId,
                                                     const nlohmann::json& snapshot,
                                                     const base::Timestamp& receivedAt)
{
    return inWrite<void>(WriteDurability::Full, [&]() -> Expected<void, Error> {
        if (auto done =
                m_writer->exec("INSERT INTO snapshot (patient_id, received_at, snapshot_json) VALUES (?1, ?2, ?3)",
                               {patientId, sqlTime(receivedAt), snapshot.dump()});
            !done) {
            return errorOf(done);
        }
        return appendFeed(eligibilityResultItem(patientId, snapshot, receivedAt));
    });
}

Expected<std::optional<SnapshotRow>, Error> SqlGatewayStorage::latestSnapshot(const std::string& patientId)
{
    auto r = read("SELECT snapshot_json, received_at, seq FROM snapshot WHERE patient_id = ?1 "
                  "ORDER BY received_at DESC, seq DESC LIMIT 1",
                  {patientId});
    if (!r) {
        return errorOf(r);
    }
    if (r->rows() == 0) {
        return std::optional<SnapshotRow>();
    }
    return std::optional<SnapshotRow>(SnapshotRow{r->integer(0, 2), r->text(0, 0), timeOf(*r, 0, 1)});
}

Expected<std::vector<CareState>, Error> SqlGatewayStorage::careStates(const std::string& patientId)
{
    auto r = read("SELECT patient_id, service_kind, first_visit_at, first_online_confirm_at, ended_at "
                  "FROM care_state WHERE patient_id = ?1 ORDER BY service_kind",
                  {patientId});
    if (!r) {
        return errorOf(r);
    }
    std::vector<CareState> out;
    for (int i = 0; i < r->rows(); ++i) {
        CareState c;
        c.patientId = r->text(i, 0);
        c.serviceKind = r->text(i, 1);
        c.firstVisitAt = timeOf(*r, i, 2);
        c.firstOnlineConfirmAt = r->time(i, 3);
        c.endedAt = r->time(i, 4);
        out.push_back(std::move(c));
    }
    return out;
}

Expected<void, Error> SqlGatewayStorage::confirmCare(const std::string& patientId, const base::Timestamp& confirmedAt)
{
    return inWrite<void>(WriteDurability::Full, [&]() -> Expected<void, Error> {
        auto updated = m_writer->exec("UPDATE care_state SET first_online_confirm_at = ?2 WHERE patient_id = ?1 "
                                      "AND first_online_confirm_at IS NULL AND ended_at IS NULL "
                                      "RETURNING service_kind, first_visit_at",
                                      {patientId, sqlTime(confirmedAt)});
        if (!updated) {
            return errorOf(updated);
        }
        for (int i = 0; i < updated->rows(); ++i) {
            // first_visit_at as the tablets were told it when the care started (JST).
            const std::string firstVisit = timeOf(*updated, i, 1).toString();
            if (auto done = appendFeed(careConfirmedItem(patientId, updated->text(i, 0), firstVisit, confirmedAt));
                !done) {
                return errorOf(done);
            }
        }
        return {};
    });
}

Expected<void, Error> SqlGatewayStorage::setRequeryKey(const RequeryKeyRow& key)
{
    return inWrite<void>(WriteDurability::Full, [&]() -> Expected<void, Error> {
        const std::optional<std::string> expiry =
            key.certificateExpiry ? std::optional<std::string>(key.certificateExpiry->toString()) : std::nullopt;
        if (auto done = m_writer->exec(
                "INSERT INTO requery_key (patient_id, search_json, certificate_expiry, updated_at) "
                "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (patient_id) DO UPDATE SET search_json = excluded.search_json, "
                "certificate_expiry = coalesce(excluded.certificate_expiry, requery_key.certificate_expiry), "
                "updated_at = excluded.updated_at",
                {key.patientId, key.search.dump(), sqlOptional(expiry), sqlTime(key.updatedAt)});
            !done) {
            return errorOf(done);
        }
        return {};
    });
}

Expected<std::optional<RequeryKeyRow>, Error> SqlGatewayStorage::requeryKey(const std::string& patientId)
{
    auto r = read("SELECT patient_id, search_json, certificate_expiry, updated_at FROM requery_key "
                  "WHERE patient_id = ?1",
                  {patientId});
    if (!r) {
        return errorOf(r);
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

Expected<std::vector<MedicalConsentRow>, Error> SqlGatewayStorage::medicalConsents(const std::string& patientId)
{
    auto r = read("SELECT consent_id, patient_id, kind, service_kind, consented_at, withdrawn_at FROM medical_consent "
                  "WHERE patient_id = ?1 ORDER BY consented_at",
                  {patientId});
    if (!r) {
        return errorOf(r);
    }
    std::vector<MedicalConsentRow> out;
    for (int i = 0; i < static_cast<int>(r->rows()); ++i) {
        auto kind = base::fromCode<model::ConsentKind>(r->text(i, 2));
        if (!kind) {
            continue; // written by a later version: not ours to interpret
        }
        MedicalConsentRow row{r->text(i, 0), r->text(i, 1), *kind, r->text(i, 3), timeOf(*r, i, 4), std::nullopt};
        if (!r->isNull(i, 5)) {
            row.withdrawnAt = timeOf(*r, i, 5);
        }
        out.push_back(std::move(row));
    }
    return out;
}

Expected<void, Error>
SqlGatewayStorage::addMedicalInfo(const MedicalInfoRow& row, const sql::AuditEntry& audit, const base::Timestamp& at)
{
    return inWrite<void>(WriteDurability::Full, [&]() -> Expected<void, Error> {
        if (auto done = m_writer->exec(
                "INSERT INTO medical_info (id, patient_id, kind, consent_id, fetched_at, result_code, parsed, "
                "source_xml) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                {row.id, row.patientId, std::string(base::toCode(row.kind)), row.consentId, sqlTime(row.fetchedAt),
                 row.resultCode, row.parsedJson, row.sourceXml});
            !done) {
            return errorOf(done);
        }
        return appendAudit(audit, at);
    });
}

Expected<std::optional<MedicalInfoRow>, Error> SqlGatewayStorage::latestMedicalInfo(const std::string& patientId,
                                                                                    model::ConsentKind kind)
{
    auto r = read("SELECT id, patient_id, kind, consent_id, fetched_at, result_code, parsed, source_xml "
                  "FROM medical_info WHERE patient_id = ?1 AND kind = ?2 ORDER BY fetched_at DESC LIMIT 1",
                  {patientId, std::string(base::toCode(kind))});
    if (!r) {
        return errorOf(r);
    }
    if (r->rows() == 0) {
        return std::optional<MedicalInfoRow>();
    }
    return std::optional<MedicalInfoRow>(MedicalInfoRow{r->text(0, 0), r->text(0, 1), kind, r->text(0, 3),
                                                        timeOf(*r, 0, 4), r->text(0, 5), r->text(0, 6), r->text(0, 7)});
}

Expected<StorageCounts, Error> SqlGatewayStorage::counts()
{
    auto r = read("SELECT (SELECT count(*) FROM device), (SELECT count(*) FROM device WHERE revoked_at IS NOT NULL), "
                  "(SELECT count(*) FROM record), (SELECT count(*) FROM feed), (SELECT count(*) FROM snapshot)");
    if (!r) {
        return errorOf(r);
    }
    return StorageCounts{r->integer(0, 0), r->integer(0, 1), r->integer(0, 2), r->integer(0, 3), r->integer(0, 4)};
}

Expected<bool, Error>
SqlGatewayStorage::importCare(const CareImport& care, const std::string& actor, const base::Timestamp& now)
{
    return inWrite<bool>(WriteDurability::Full, [&]() -> Expected<bool, Error> {
        auto started = m_writer->exec(
            "INSERT INTO care_state (patient_id, service_kind, first_visit_at, first_online_confirm_at) "
            "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            {care.patientId, care.serviceKind, sqlTime(care.firstVisitAt), sqlTime(care.firstOnlineConfirmAt)});
        if (!started) {
            return errorOf(started);
        }
        if (started->affected() == 0) {
            return false;
        }
        auto key = m_writer->exec(
            "INSERT INTO requery_key (patient_id, search_json, updated_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            {care.patientId, care.search.dump(), sqlTime(now)});
        if (!key) {
            return errorOf(key);
        }
        if (auto done = appendFeed(careConfirmedItem(care.patientId, care.serviceKind, care.firstVisitAt.toString(),
                                                     care.firstOnlineConfirmAt));
            !done) {
            return errorOf(done);
        }
        if (auto done = appendAudit({actor,
                                     "care.imported",
                                     care.patientId,
                                     {{"service_kind", care.serviceKind},
                                      {"first_online_confirm_at", care.firstOnlineConfirmAt.toString()}}},
                                    now);
            !done) {
            return errorOf(done);
        }
        return true;
    });
}

Expected<bool, Error>
SqlGatewayStorage::settleClaim(std::int64_t recordSeq, const std::string& actor, const base::Timestamp& at)
{
    return inWrite<bool>(WriteDurability::Full, [&]() -> Expected<bool, Error> {
        auto record = m_writer->exec("SELECT payload FROM record WHERE seq = ?1", {recordSeq});
        if (!record) {
            return errorOf(record);
        }
        if (record->rows() == 0 || !holdsMoushitatesho(record->text(0, 0))) {
            return Unexpected(Error{Errc::InvalidInput,
                                    "record " + std::to_string(recordSeq) + " holds no 被保険者資格申立書", "record"});
        }
        auto settled = m_writer->exec("INSERT INTO claim_settlement (record_seq, settled_at, settled_by) "
                                      "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                                      {recordSeq, sqlTime(at), actor});
        if (!settled) {
            return errorOf(settled);
        }
        if (settled->affected() == 0) {
            return false;
        }
        if (auto done = appendAudit({actor, "claim.settled", std::to_string(recordSeq), nlohmann::json::object()}, at);
            !done) {
            return errorOf(done);
        }
        return true;
    });
}

Expected<std::size_t, Error> SqlGatewayStorage::purgeSettledClaims(const base::Timestamp& settledBefore,
                                                                   const std::string& actor,
                                                                   const base::Timestamp& now)
{
    return inWrite<std::size_t>(WriteDurability::Full, [&]() -> Expected<std::size_t, Error> {
        auto due = m_writer->exec("SELECT r.seq, r.payload, r.derived FROM record AS r JOIN claim_settlement AS c "
                                  "ON c.record_seq = r.seq WHERE c.settled_at <= ?1 AND r.purged_at IS NULL "
                                  "ORDER BY r.seq",
                                  {sqlTime(settledBefore)});
        if (!due) {
            return errorOf(due);
        }
        std::size_t purged = 0;
        for (int i = 0; i < due->rows(); ++i) {
            auto redacted = purgeMoushitatesho(due->text(i, 1), due->text(i, 2), now);
            if (!redacted) {
                continue; // settle refuses such records; nothing personal to remove
            }
            const std::int64_t seq = due->integer(i, 0);
            auto updated = m_writer->exec("UPDATE record SET payload = ?2, derived = ?3, purged_at = ?4 WHERE seq = ?1",
                                          {seq, redacted->payload, redacted->derived, sqlTime(now)});
            if (!updated) {
                return errorOf(updated);
            }
            if (auto done = appendAudit({actor,
                                         "claim.personal_data_purged",
                                         std::to_string(seq),
                                         {{"fields", redacted->fields}, {"settled_before", settledBefore.toString()}}},
                                        now);
                !done) {
                return errorOf(done);
            }
            ++purged;
        }
        return purged;
    });
}

Expected<std::int64_t, Error> SqlGatewayStorage::lastRecordSeq()
{
    auto r = read("SELECT coalesce(max(seq), 0) FROM record");
    if (!r) {
        return errorOf(r);
    }
    return r->integer(0, 0);
}

Expected<sql::AuditVerification, Error> SqlGatewayStorage::verifyAudit()
{
    std::lock_guard lock(m_readerMutex);
    // One snapshot for the rows and the head, so a concurrent append cannot look like a broken tail.
    auto tx = SqlTransaction::read(*m_reader);
    if (!tx) {
        return errorOf(tx);
    }
    auto rows = m_reader->exec("SELECT seq, at, actor, action, subject, detail, prev_hash, hash FROM audit_log "
                               "ORDER BY seq");
    if (!rows) {
        return errorOf(rows);
    }
    auto head = m_reader->exec("SELECT value FROM store_meta WHERE key = 'audit_head'");
    if (!head) {
        return errorOf(head);
    }
    (void)tx->commit();
    sql::AuditChain chain;
    for (int i = 0; i < rows->rows(); ++i) {
        chain.check(rows->integer(i, 0), rows->text(i, 1), rows->text(i, 2), rows->text(i, 3), rows->text(i, 4),
                    rows->text(i, 5), rows->text(i, 6), rows->text(i, 7));
    }
    return chain.finish(head->rows() > 0 ? head->text(0, 0) : std::string());
}

namespace
{

constexpr const char* kAuditColumns = "SELECT seq, at, actor, action, subject, detail, hash FROM audit_log ";

AuditRow auditRowFrom(const SqlRows& r, int i)
{
    return {r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5), r.text(i, 6)};
}

} // namespace

Expected<std::vector<AuditRow>, Error> SqlGatewayStorage::auditRows(std::int64_t afterSeq, std::size_t limit)
{
    return rowsAs(read(std::string(kAuditColumns) + "WHERE seq > ?1 ORDER BY seq LIMIT ?2", {afterSeq, sqlInt(limit)}),
                  auditRowFrom);
}

Expected<std::optional<AuditRow>, Error> SqlGatewayStorage::lastAuditRow()
{
    auto r = read(std::string(kAuditColumns) + "ORDER BY seq DESC LIMIT 1");
    if (!r) {
        return errorOf(r);
    }
    if (r->rows() == 0) {
        return std::optional<AuditRow>();
    }
    return std::optional<AuditRow>(auditRowFrom(*r, 0));
}

Expected<std::int64_t, Error> SqlGatewayStorage::putStaff(const protocol::StaffAccount& account,
                                                          const base::Timestamp& now)
{
    return inWrite<std::int64_t>(WriteDurability::Full, [&]() -> Expected<std::int64_t, Error> {
        auto last = m_writer->exec("SELECT version FROM staff WHERE staff_id = ?1", {account.staffId});
        if (!last) {
            return errorOf(last);
        }
        protocol::StaffAccount next = account;
        next.version = last->rows() > 0 ? last->integer(0, 0) + 1 : 1;
        auto done = m_writer->exec(
            "INSERT INTO staff (staff_id, name, role, credential, active, version, changed_at, changed_by) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (staff_id) DO UPDATE SET name = excluded.name, "
            "role = excluded.role, credential = excluded.credential, active = excluded.active, "
            "version = excluded.version, changed_at = excluded.changed_at, changed_by = excluded.changed_by",
            {next.staffId, next.name, next.role, next.credential.toJson().dump(), std::int64_t(next.active ? 1 : 0),
             next.version, sqlTime(now), m_actor});
        if (!done) {
            return errorOf(done);
        }
        if (auto audited = appendAudit({m_actor,
                                        next.active ? "staff.put" : "staff.disable",
                                        next.staffId,
                                        {{"role", next.role}, {"version", next.version}}},
                                       now);
            !audited) {
            return errorOf(audited);
        }
        if (auto fed = appendFeed({0, "staff_account", "", now, next.toJson()}); !fed) {
            return errorOf(fed);
        }
        return next.version;
    });
}

Expected<std::vector<protocol::StaffAccount>, Error> SqlGatewayStorage::staffAccounts()
{
    auto r = read("SELECT staff_id, name, role, credential, active, version FROM staff ORDER BY staff_id");
    if (!r) {
        return errorOf(r);
    }
    std::vector<protocol::StaffAccount> out;
    for (int i = 0; i < r->rows(); ++i) {
        auto credential = protocol::StaffCredential::fromJson(base::parseJson(r->text(i, 3)));
        if (!credential) {
            return Unexpected(credential.error());
        }
        out.push_back({r->text(i, 0), r->text(i, 1), r->text(i, 2), std::move(*credential), r->integer(i, 4) != 0,
                       r->integer(i, 5)});
    }
    return out;
}

Expected<int, Error> SqlGatewayStorage::schemaVersion()
{
    std::lock_guard lock(m_readerMutex);
    return m_reader->schemaVersion();
}

} // namespace zaitaku::sync::gateway
