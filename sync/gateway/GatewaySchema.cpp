#include "sync/gateway/GatewaySchema.h"

namespace zaitaku::sync::gateway
{

namespace
{

// @INTEGER@, @IDENTITY@, @TABLE@ (the table options) and @RECORD_GUARDS@ are the dialect's.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
)@TABLE@;

CREATE TABLE device (
    id           TEXT PRIMARY KEY,
    label        TEXT NOT NULL,
    cert_serial  TEXT NOT NULL UNIQUE,
    signing_key  TEXT NOT NULL,
    app_version  TEXT NOT NULL,
    enrolled_at  TEXT NOT NULL,
    revoked_at   TEXT
)@TABLE@;

CREATE TABLE enrollment_code (
    secret_sha256 TEXT PRIMARY KEY,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT,
    device_id     TEXT
)@TABLE@;

CREATE TABLE record (
    seq            @IDENTITY@,
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
)@TABLE@;
@RECORD_GUARDS@
CREATE TABLE challenge_use (
    challenge_id TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL,
    record_seq   @INTEGER@ NOT NULL REFERENCES record(seq),
    used_at      TEXT NOT NULL
)@TABLE@;

CREATE TABLE feed (
    seq        @IDENTITY@,
    kind       TEXT NOT NULL,
    patient_id TEXT NOT NULL,
    at         TEXT NOT NULL,
    body       TEXT NOT NULL
)@TABLE@;

CREATE TABLE snapshot (
    seq           @IDENTITY@,
    patient_id    TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    snapshot_json TEXT NOT NULL
)@TABLE@;
CREATE INDEX snapshot_by_patient ON snapshot(patient_id, received_at);

CREATE TABLE care_state (
    patient_id              TEXT NOT NULL,
    service_kind            TEXT NOT NULL,
    first_visit_at          TEXT NOT NULL,
    first_visit_record      @INTEGER@ NOT NULL REFERENCES record(seq),
    first_online_confirm_at TEXT,
    ended_at                TEXT,
    PRIMARY KEY (patient_id, service_kind)
)@TABLE@;
)sql";

// Version 2 (the OQS issue): the re-query key per patient.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE requery_key (
    patient_id         TEXT PRIMARY KEY,
    search_json        TEXT NOT NULL,
    certificate_expiry TEXT,
    updated_at         TEXT NOT NULL
)@TABLE@;
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
)@TABLE@;
CREATE INDEX feed_by_patient ON feed(patient_id, seq);
)sql";

// Version 5 (seed 003 「…必要な事務を終えた段階で、速やかに廃棄します」): which records' claims the
// facility has settled, and when a record's 申立書 personal data was purged (ClaimPurge). And a
// care relationship no record of this gateway started (imported: patients in continuing care, with
// their first online confirmation, when the gateway is installed; seed 004 再照会).
constexpr std::string_view kVersion5 = R"sql(
CREATE TABLE claim_settlement (
    record_seq @INTEGER@ PRIMARY KEY REFERENCES record(seq),
    settled_at TEXT NOT NULL,
    settled_by TEXT NOT NULL
)@TABLE@;
ALTER TABLE record ADD COLUMN purged_at TEXT;
@PURGE_GUARDS@
CREATE TABLE care_state_v5 (
    patient_id              TEXT NOT NULL,
    service_kind            TEXT NOT NULL,
    first_visit_at          TEXT NOT NULL,
    first_visit_record      @INTEGER@ REFERENCES record(seq),
    first_online_confirm_at TEXT,
    ended_at                TEXT,
    PRIMARY KEY (patient_id, service_kind)
)@TABLE@;
INSERT INTO care_state_v5 (patient_id, service_kind, first_visit_at, first_visit_record, first_online_confirm_at,
                           ended_at)
    SELECT patient_id, service_kind, first_visit_at, first_visit_record, first_online_confirm_at, ended_at
    FROM care_state;
DROP TABLE care_state;
ALTER TABLE care_state_v5 RENAME TO care_state;
)sql";

// Version 6 (security review H3): the facility's staff accounts, sent to every tablet through the
// feed (items with no patient) so that each person signs in as themselves offline.
constexpr std::string_view kVersion6 = R"sql(
CREATE TABLE staff (
    staff_id   TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    credential TEXT NOT NULL,
    active     @INTEGER@ NOT NULL,
    version    @INTEGER@ NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL
)@TABLE@;
)sql";

// Version 7 (issue 33): the 薬剤・特定健診 consents the gateway saw on visit records (a withdrawal
// may arrive first: it is kept as a withdrawn row the consent cannot reopen), and what OQS
// returned under them, parsed and with its source XML.
constexpr std::string_view kVersion7 = R"sql(
CREATE TABLE medical_consent (
    consent_id   TEXT PRIMARY KEY,
    patient_id   TEXT NOT NULL,
    kind         TEXT NOT NULL,
    service_kind TEXT NOT NULL,
    consented_at TEXT NOT NULL,
    withdrawn_at TEXT
)@TABLE@;
CREATE INDEX medical_consent_by_patient ON medical_consent(patient_id);
CREATE TABLE medical_info (
    id          TEXT PRIMARY KEY,
    patient_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    consent_id  TEXT NOT NULL REFERENCES medical_consent(consent_id),
    fetched_at  TEXT NOT NULL,
    result_code TEXT NOT NULL,
    parsed      TEXT NOT NULL,
    source_xml  TEXT NOT NULL
)@TABLE@;
CREATE INDEX medical_info_by_patient ON medical_info(patient_id, kind, fetched_at);
)sql";

// Version 8 (issue 30): a device has the certificates it renewed over the years (the one in use
// retires the earlier ones), and what the gateway last heard from it: when, how many records it
// said were queued and since when, and how far it read the feed (a root CA switch waits for every
// tablet to have read the announcement).
constexpr std::string_view kVersion8 = R"sql(
CREATE TABLE device_certificate (
    serial     TEXT PRIMARY KEY,
    device_id  TEXT NOT NULL REFERENCES device(id),
    issued_at  TEXT NOT NULL,
    not_after  TEXT,
    retired_at TEXT
)@TABLE@;
CREATE INDEX device_certificate_by_device ON device_certificate(device_id);
INSERT INTO device_certificate (serial, device_id, issued_at) SELECT cert_serial, id, enrolled_at FROM device;
ALTER TABLE device ADD COLUMN last_seen_at TEXT;
ALTER TABLE device ADD COLUMN backlog @INTEGER@;
ALTER TABLE device ADD COLUMN backlog_since TEXT;
ALTER TABLE device ADD COLUMN feed_seq @INTEGER@;
)sql";

void replaceAll(std::string& text, std::string_view token, std::string_view with)
{
    for (auto at = text.find(token); at != std::string::npos; at = text.find(token, at + with.size())) {
        text.replace(at, token.size(), with);
    }
}

std::string render(std::string_view sql, const SqlDialect& dialect)
{
    std::string out(sql);
    replaceAll(out, "@INTEGER@", dialect.integer);
    replaceAll(out, "@IDENTITY@", dialect.identity);
    replaceAll(out, "@TABLE@", dialect.tableOptions);
    replaceAll(out, "@RECORD_GUARDS@", dialect.recordGuards);
    replaceAll(out, "@PURGE_GUARDS@", dialect.purgeGuards);
    return out;
}

} // namespace

std::vector<GatewaySchemaVersion>
gatewaySchema(const SqlDialect& dialect, std::string_view prologue, std::string_view epilogue)
{
    std::vector<GatewaySchemaVersion> out;
    out.push_back({1, "devices, enrollment codes, records, challenge use, feed, snapshots, care state, audit",
                   std::string(prologue) + render(kVersion1, dialect) + std::string(epilogue)});
    out.push_back({2, "re-query keys", render(kVersion2, dialect)});
    out.push_back({3, "derived fields of records", render(kVersion3, dialect)});
    out.push_back({4, "device to patient roster", render(kVersion4, dialect)});
    out.push_back({5, "claim settlement, 申立書 purge, imported care", render(kVersion5, dialect)});
    out.push_back({6, "staff accounts", render(kVersion6, dialect)});
    out.push_back({7, "medical-information consents and results", render(kVersion7, dialect)});
    out.push_back({8, "device certificates renewed, last seen and backlog", render(kVersion8, dialect)});
    return out;
}

} // namespace zaitaku::sync::gateway
