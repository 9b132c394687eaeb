#include "sync/store/Schema.h"

#include "sync/sql/Migrations.h"
#include "sync/sql/Transaction.h"

#include <array>
#include <string>

namespace zaitaku::sync::store
{

namespace
{

// Tables are STRICT. Instants are RFC 3339 text in UTC (fixed width, so they sort and compare as
// text); dates are YYYY-MM-DD; codes are the CodeTable codes of verify/model. Records that are
// evidence are immutable (triggers); the audit log and the custody ledger are append-only.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE patient (
    id                TEXT PRIMARY KEY,
    local_mrn         TEXT,
    name              TEXT NOT NULL,
    name_kana         TEXT NOT NULL,
    birthdate         TEXT NOT NULL,
    insurer_number    TEXT NOT NULL,
    insured_symbol    TEXT NOT NULL,
    insured_number    TEXT NOT NULL,
    insured_branch    TEXT NOT NULL,
    reference_number  TEXT,
    accepted_oqs_name TEXT,
    updated_at        TEXT NOT NULL
) STRICT;

CREATE TABLE care_relationship (
    id                      TEXT PRIMARY KEY,
    patient_id              TEXT NOT NULL REFERENCES patient(id),
    service_kind            TEXT NOT NULL,
    first_online_confirm_at TEXT,
    first_confirm_method    TEXT,
    continuing              INTEGER NOT NULL CHECK (continuing IN (0, 1)),
    ended_at                TEXT
) STRICT;
CREATE INDEX care_relationship_by_patient ON care_relationship(patient_id);

CREATE TABLE eligibility_snapshot (
    id                              TEXT PRIMARY KEY,
    patient_id                      TEXT NOT NULL REFERENCES patient(id),
    source                          TEXT NOT NULL,
    received_at                     TEXT NOT NULL,
    process_execution_time          TEXT,
    qualification_confirmation_date TEXT,
    segment_of_result               TEXT NOT NULL,
    processing_result_status        TEXT,
    qualification_validity          TEXT,
    snapshot_json                   TEXT NOT NULL,
    raw_xml                         BLOB NOT NULL,
    raw_encoding                    TEXT NOT NULL
) STRICT;
CREATE INDEX eligibility_snapshot_by_patient ON eligibility_snapshot(patient_id, received_at);
CREATE TRIGGER eligibility_snapshot_immutable BEFORE UPDATE ON eligibility_snapshot
BEGIN SELECT RAISE(ABORT, 'eligibility snapshots are immutable'); END;

CREATE TABLE requery_key (
    patient_id               TEXT PRIMARY KEY REFERENCES patient(id),
    insurer_number           TEXT NOT NULL,
    insured_symbol           TEXT NOT NULL,
    insured_number           TEXT NOT NULL,
    insured_branch           TEXT NOT NULL,
    birthdate                TEXT NOT NULL,
    derived_from_snapshot_id TEXT NOT NULL REFERENCES eligibility_snapshot(id),
    last_requery_at          TEXT,
    last_validity            TEXT
) STRICT;

CREATE TABLE visit (
    id                              TEXT PRIMARY KEY,
    patient_id                      TEXT NOT NULL REFERENCES patient(id),
    care_relationship_id            TEXT,
    service_kind                    TEXT NOT NULL,
    flow                            TEXT NOT NULL,
    state                           TEXT NOT NULL,
    scheduled_for                   TEXT NOT NULL,
    started_at                      TEXT,
    completed_at                    TEXT,
    staff_id                        TEXT NOT NULL,
    device_id                       TEXT NOT NULL,
    qualification_confirmation_date TEXT,
    snapshot_id                     TEXT
) STRICT;
CREATE INDEX visit_by_patient ON visit(patient_id, scheduled_for);

CREATE TABLE consent (
    id                 TEXT PRIMARY KEY,
    patient_id         TEXT NOT NULL REFERENCES patient(id),
    visit_id           TEXT REFERENCES visit(id),
    kind               TEXT NOT NULL,
    given              INTEGER NOT NULL CHECK (given IN (0, 1)),
    text_version       TEXT NOT NULL,
    text_sha256        TEXT NOT NULL,
    consent_time       TEXT,
    available_time     TEXT,
    revoked_at         TEXT,
    source_snapshot_id TEXT
) STRICT;
CREATE INDEX consent_by_patient ON consent(patient_id);
-- A consent is a record of what was said: only its revocation may be added, once.
CREATE TRIGGER consent_only_revocation BEFORE UPDATE ON consent
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.visit_id IS NOT OLD.visit_id
  OR NEW.kind IS NOT OLD.kind OR NEW.given IS NOT OLD.given OR NEW.text_version IS NOT OLD.text_version
  OR NEW.text_sha256 IS NOT OLD.text_sha256 OR NEW.consent_time IS NOT OLD.consent_time
  OR NEW.available_time IS NOT OLD.available_time OR NEW.source_snapshot_id IS NOT OLD.source_snapshot_id
BEGIN SELECT RAISE(ABORT, 'a consent can only be revoked, once'); END;

CREATE TABLE evidence (
    id            TEXT PRIMARY KEY,
    visit_id      TEXT NOT NULL REFERENCES visit(id),
    method        TEXT NOT NULL,
    captured_at   TEXT NOT NULL,
    bundle_json   TEXT NOT NULL,
    bundle_sha256 TEXT NOT NULL
) STRICT;
CREATE INDEX evidence_by_visit ON evidence(visit_id);
CREATE TRIGGER evidence_immutable BEFORE UPDATE ON evidence
BEGIN SELECT RAISE(ABORT, 'evidence is immutable'); END;

CREATE TABLE fallback_evidence (
    id                   TEXT PRIMARY KEY,
    visit_id             TEXT NOT NULL REFERENCES visit(id),
    kind                 TEXT NOT NULL,
    captured_fields_json TEXT,
    staff_id             TEXT NOT NULL,
    captured_at          TEXT NOT NULL,
    discard_after        TEXT,
    discarded_at         TEXT
) STRICT;
CREATE INDEX fallback_evidence_by_discard ON fallback_evidence(discard_after) WHERE discarded_at IS NULL;

CREATE TABLE outbox (
    seq               INTEGER PRIMARY KEY, -- rows are never deleted: no AUTOINCREMENT page to write
    idem_key          TEXT NOT NULL UNIQUE,
    kind              TEXT NOT NULL,
    record_id         TEXT NOT NULL,
    payload           TEXT,
    payload_sha256    TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'acked', 'dead')),
    attempts          INTEGER NOT NULL DEFAULT 0,
    last_error        TEXT,
    created_at        TEXT NOT NULL,
    next_attempt_at   TEXT,
    acked_at          TEXT,
    receipt           TEXT,
    payload_purged_at TEXT
) STRICT;
CREATE INDEX outbox_by_state ON outbox(state, seq);

CREATE TABLE sync_cursor (
    stream     TEXT PRIMARY KEY,
    cursor     TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

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

// Version 2: what facilities and the road need beyond the visit itself.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE custody_event (
    id               TEXT PRIMARY KEY,
    patient_id       TEXT NOT NULL REFERENCES patient(id),
    facility_id      TEXT NOT NULL,
    action           TEXT NOT NULL,
    staff_id         TEXT NOT NULL,
    witness_id       TEXT,
    purpose          TEXT,
    at               TEXT NOT NULL,
    storage_location TEXT
) STRICT;
CREATE INDEX custody_event_by_patient ON custody_event(patient_id, at);
CREATE TRIGGER custody_event_no_update BEFORE UPDATE ON custody_event
BEGIN SELECT RAISE(ABORT, 'the custody ledger is append-only'); END;
CREATE TRIGGER custody_event_no_delete BEFORE DELETE ON custody_event
BEGIN SELECT RAISE(ABORT, 'the custody ledger is append-only'); END;

CREATE TABLE challenge (
    id            TEXT PRIMARY KEY,
    nonce         BLOB NOT NULL,
    token         TEXT NOT NULL,
    issued_at     TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    used_at       TEXT,
    used_by_visit TEXT
) STRICT;
CREATE INDEX challenge_unused ON challenge(expires_at) WHERE used_at IS NULL;
-- A challenge is used once: used_at goes from NULL to a value and never back.
CREATE TRIGGER challenge_single_use BEFORE UPDATE ON challenge
WHEN OLD.used_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a challenge is used only once'); END;

CREATE TABLE medical_info (
    id              TEXT PRIMARY KEY,
    patient_id      TEXT NOT NULL REFERENCES patient(id),
    kind            TEXT NOT NULL,
    received_at     TEXT NOT NULL,
    available_until TEXT NOT NULL,
    payload         BLOB NOT NULL
) STRICT;
CREATE INDEX medical_info_by_deadline ON medical_info(available_until);
CREATE INDEX medical_info_by_patient ON medical_info(patient_id);
)sql";

// Version 3: the visit engine (verify/visit). Revocation is a record of its own that names the
// consent it withdraws; each evidence bundle carries the tablet's signature over its hash.
constexpr std::string_view kVersion3 = R"sql(
ALTER TABLE consent ADD COLUMN revokes_consent_id TEXT REFERENCES consent(id);
CREATE UNIQUE INDEX consent_revoked_once ON consent(revokes_consent_id) WHERE revokes_consent_id IS NOT NULL;
DROP TRIGGER consent_only_revocation;
CREATE TRIGGER consent_only_revocation BEFORE UPDATE ON consent
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL
  OR NEW.id IS NOT OLD.id OR NEW.patient_id IS NOT OLD.patient_id OR NEW.visit_id IS NOT OLD.visit_id
  OR NEW.kind IS NOT OLD.kind OR NEW.given IS NOT OLD.given OR NEW.text_version IS NOT OLD.text_version
  OR NEW.text_sha256 IS NOT OLD.text_sha256 OR NEW.consent_time IS NOT OLD.consent_time
  OR NEW.available_time IS NOT OLD.available_time OR NEW.source_snapshot_id IS NOT OLD.source_snapshot_id
  OR NEW.revokes_consent_id IS NOT OLD.revokes_consent_id
BEGIN SELECT RAISE(ABORT, 'a consent can only be revoked, once'); END;
ALTER TABLE evidence ADD COLUMN device_signature TEXT;
)sql";

// Version 4 (seed 004): who helped at the door; the agreement a card's custody rests on; the staff
// allowed to handle residents' cards (「管理を行う者の範囲を定めておく」).
constexpr std::string_view kVersion4 = R"sql(
ALTER TABLE visit ADD COLUMN assisted_by TEXT NOT NULL DEFAULT 'none';
ALTER TABLE custody_event ADD COLUMN agreement_ref TEXT;
CREATE TABLE custodian (
    staff_id TEXT PRIMARY KEY,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
) STRICT;
)sql";

// Version 5 (seed 004 再照会): whether a revisit was answered by OQS at the door or waits for the
// gateway's re-query ('none' for every other visit and for revisits recorded before); an answer
// whose 生年月日 is not the roster patient's is kept, but not as that patient's result (seed 003
// 「別人との紐付け誤り」): the words staff see.
constexpr std::string_view kVersion5 = R"sql(
ALTER TABLE visit ADD COLUMN requery TEXT NOT NULL DEFAULT 'none';
ALTER TABLE eligibility_snapshot ADD COLUMN identity_mismatch TEXT;
)sql";

// Version 6 (security review H3): the facility's staff accounts from the gateway, so that each
// person signs in as themselves offline; failures and back-off per account (StaffDirectory).
constexpr std::string_view kVersion6 = R"sql(
CREATE TABLE staff_account (
    staff_id   TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    role       TEXT NOT NULL,
    credential TEXT NOT NULL,
    active     INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    failures   INTEGER NOT NULL DEFAULT 0,
    retry_at   TEXT,
    updated_at TEXT NOT NULL
) STRICT;
)sql";

constexpr std::array<sql::Migration, 6> kMigrations{{
    {1, "patients, care, snapshots, re-query keys, visits, consents, evidence, fallback, outbox, cursor, audit",
     kVersion1},
    {2, "card custody ledger, challenge pool, medical-information cache", kVersion2},
    {3, "consent revocation records, device-signed evidence", kVersion3},
    {4, "assistance at the door, custody agreements, custodians", kVersion4},
    {5, "a revisit's re-query: answered at the door or pending; answers not the patient's", kVersion5},
    {6, "staff accounts with roles, signed in offline", kVersion6},
}};

} // namespace

std::span<const sql::Migration> migrations()
{
    return kMigrations;
}

int latestSchemaVersion()
{
    return kMigrations.back().version;
}

Expected<void, Error> migrate(sql::Database& db, int target)
{
    return sql::migrate(db, kMigrations, target);
}

} // namespace zaitaku::sync::store
