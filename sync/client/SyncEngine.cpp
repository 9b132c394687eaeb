#include "sync/client/SyncEngine.h"

#include "base/Bytes.h"
#include "sync/client/DeviceCertificate.h"
#include "sync/protocol/Messages.h"
#include "sync/protocol/ModelJson.h"
#include "sync/protocol/WireLimits.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/StoreMeta.h"
#include "sync/sql/Transaction.h"
#include "sync/store/ChallengePool.h"
#include "sync/store/MedicalInfoCache.h"
#include "sync/store/Outbox.h"
#include "sync/store/PatientRoster.h"
#include "sync/store/SnapshotCache.h"
#include "sync/store/StaffDirectory.h"
#include "sync/store/SyncCursor.h"

#include <charconv>
#include <chrono>
#include <map>
#include <set>
#include <thread>

namespace zaitaku::sync::client
{

using sql::Durability;
using sql::Transaction;
using store::Outbox;

namespace
{

constexpr const char* kFeedStream = "feed";

// Runs `work` in one transaction (Full durability: it acknowledges or moves the cursor).
// Polls GET /v1/jobs/<id> until the gateway's OQS job is no longer queued or running (every 25 ms
// for the first 2 s — most jobs end within a few hundred ms — then doubling to 1 s, within
// `limit`): the gateway never holds a request open for OQS.
Expected<protocol::JobStatus, Error>
waitForJob(GatewayConnection& gateway, const std::string& id, std::chrono::milliseconds limit)
{
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + limit;
    auto pause = std::chrono::milliseconds(25);
    for (;;) {
        auto response = gateway.get("/v1/jobs/" + id);
        if (!response) {
            return Unexpected(response.error());
        }
        auto status = protocol::parseJobStatus(response->body);
        if (!status) {
            return Unexpected(status.error());
        }
        if (status->state != "queued" && status->state != "running") {
            return status;
        }
        if (std::chrono::steady_clock::now() + pause > deadline) {
            return Unexpected(
                Error{Errc::Timeout, "the gateway's OQS job " + id + " is still " + status->state, "job"});
        }
        std::this_thread::sleep_for(pause);
        if (std::chrono::steady_clock::now() - start > std::chrono::seconds(2)) {
            pause = std::min(pause * 2, std::chrono::milliseconds(1000));
        }
    }
}

template <typename Work> Expected<void, Error> inTransaction(sql::Database& db, Work work)
{
    auto tx = Transaction::begin(db, Durability::Full);
    if (!tx) {
        return errorOf(tx);
    }
    if (auto done = work(); !done) {
        return done;
    }
    return tx->commit();
}

Expected<GatewayLink, Error> linkOf(sql::Database& db)
{
    auto link = GatewayLink::load(db);
    if (!link) {
        return errorOf(link);
    }
    if (!*link) {
        return Unexpected(Error{Errc::NotEnrolled,
                                "this tablet is not enrolled: run zaitaku-cli enroll --gateway URL --code-file FILE"});
    }
    return **link;
}

// POSTs `body` to `path` and parses the answer with `parse`; an answer naming an OQS job is awaited
// and the job's result parsed as the final answer (`what` names the request in the error).
template <typename Parse>
auto askAndAwait(sql::Database& db,
                 const SyncOptions& options,
                 const std::string& path,
                 const std::string& body,
                 Parse parse,
                 const char* what) -> decltype(parse(std::string_view()))
{
    auto link = linkOf(db);
    if (!link) {
        return errorOf(link);
    }
    auto gateway = GatewayConnection::open(*link, options.timeouts);
    if (!gateway) {
        return errorOf(gateway);
    }
    auto response = gateway->post(path, body);
    if (!response) {
        return errorOf(response);
    }
    auto parsed = parse(response->body);
    if (!parsed || !parsed->jobId) {
        return parsed;
    }
    auto job = waitForJob(*gateway, *parsed->jobId, options.oqsWait);
    if (!job) {
        return errorOf(job);
    }
    if (job->state != "done") {
        return Unexpected(
            Error{Errc::OqsFailed, std::string("the gateway's ") + what + " failed: " + job->reason, "job"});
    }
    return parse(protocol::dump(job->result));
}

} // namespace

Expected<SyncReport, Error> SyncEngine::run()
{
    SyncReport report;
    auto& db = m_store.db();
    auto link = linkOf(db);
    if (!link) {
        return errorOf(link);
    }
    auto gateway = GatewayConnection::open(*link, m_options.timeouts);
    if (!gateway) {
        return errorOf(gateway);
    }
    auto step = announceBacklog(*gateway);
    if (step) {
        step = checkEpoch(*gateway, *link, report);
    }
    if (step) {
        renewWhenDue(*gateway, *link, report);
        step = topUpChallenges(*gateway, report);
    }
    if (step) {
        step = push(*gateway, *link, report);
    }
    if (step) {
        step = announceBacklog(*gateway);
    }
    if (step) {
        step = pull(*gateway, *link, report);
    }
    if (!step) {
        if (!GatewayConnection::isTransient(step.error()) && step.error().code != Errc::ProtocolViolation) {
            (void)noteFailure(step.error());
            return errorOf(step);
        }
        report.error = step.error();
        if (auto noted = noteFailure(step.error()); !noted) {
            return errorOf(noted);
        }
        return report;
    }
    const auto now = m_store.clock().nowJst();
    auto done = inTransaction(db, [&]() -> Expected<void, Error> {
        if (auto s = sql::StoreMeta::set(db, "sync.last_success", now.toString()); !s) {
            return s;
        }
        if (auto s = sql::StoreMeta::set(db, "sync.skew_seconds", std::to_string(report.skewSeconds)); !s) {
            return s;
        }
        return sql::StoreMeta::set(db, "sync.last_error", "");
    });
    if (!done) {
        return errorOf(done);
    }
    return report;
}

Expected<void, Error> SyncEngine::announceBacklog(GatewayConnection& gateway)
{
    auto counts = store::Outbox::counts(m_store.db());
    if (!counts) {
        return errorOf(counts);
    }
    const std::string value = std::to_string(counts->unsent());
    gateway.setHeader("zaitaku-outbox", counts->oldestUnsent.empty() ? value : value + " " + counts->oldestUnsent);
    return {};
}

void SyncEngine::renewWhenDue(GatewayConnection& gateway, const GatewayLink& link, SyncReport& report)
{
    const auto life = certificateLife(link.certificatePem, m_store.clock().nowJst());
    if (!life || !life->renewalDue) {
        return;
    }
    auto renewed = renewDeviceCertificate(m_store, gateway);
    if (renewed) {
        report.certificateRenewedUntil = *renewed;
    } else {
        report.renewalError = renewed.error(); // tried again next run; the current one still works
    }
}

Expected<void, Error> SyncEngine::applyTrustAnchor(const protocol::FeedItem& item, SyncReport& report)
{
    auto& db = m_store.db();
    const auto now = m_store.clock().nowJst();
    auto pinned = sql::StoreMeta::get(db, "gateway.ca_pem");
    if (!pinned) {
        return errorOf(pinned);
    }
    auto announcement = protocol::parseTrustAnchorAnnouncement(item.body);
    auto bundle = announcement ? pinAnnouncedRoot(pinned->value_or(""), *announcement)
                               : Expected<std::string, Error>(Unexpected(announcement.error()));
    if (!bundle) {
        // Kept as evidence and skipped: a forged announcement must not stop the feed.
        auto audited = sql::AuditLog::append(
            db, {"system", "gateway.trust_anchor_refused", "gateway", {{"reason", bundle.error().message}}}, now);
        return audited ? Expected<void, Error>() : errorOf(audited);
    }
    if (*bundle == pinned->value_or("")) {
        return {};
    }
    if (auto done = sql::StoreMeta::set(db, "gateway.ca_pem", *bundle); !done) {
        return done;
    }
    ++report.rootsPinned;
    auto audited =
        sql::AuditLog::append(db, {"system", "gateway.trust_anchor", "gateway", nlohmann::json::object()}, now);
    return audited ? Expected<void, Error>() : errorOf(audited);
}

Expected<void, Error> SyncEngine::noteFailure(const Error& error)
{
    auto& db = m_store.db();
    return inTransaction(db, [&]() {
        return sql::StoreMeta::set(db, "sync.last_error", std::string(base::toCode(error.code)) + ": " + error.message);
    });
}

Expected<void, Error> SyncEngine::checkEpoch(GatewayConnection& gateway, GatewayLink& link, SyncReport& report)
{
    auto response = gateway.get("/v1/status");
    if (!response) {
        return errorOf(response);
    }
    auto status = protocol::parseStatusResponse(response->body);
    if (!status) {
        return errorOf(status);
    }
    const auto now = m_store.clock().nowJst();
    report.skewSeconds = (now.utc() - status->serverTime.utc()).count();
    report.epoch = status->epoch;
    if (status->epoch == link.epoch) {
        return {};
    }
    auto& db = m_store.db();
    const bool restored = !link.epoch.empty();
    return inTransaction(db, [&]() -> Expected<void, Error> {
        if (restored) {
            // The gateway lost what it had acknowledged: send it again (idempotent) and read the
            // feed from its start.
            auto requeued = Outbox::requeueAcknowledged(db);
            if (!requeued) {
                return errorOf(requeued);
            }
            report.requeuedForNewEpoch = *requeued;
            if (auto done = store::SyncCursor::set(db, kFeedStream, "0", now); !done) {
                return done;
            }
            sql::AuditEntry entry{
                "system", "sync.epoch_changed", status->epoch, {{"previous", link.epoch}, {"requeued", *requeued}}};
            if (auto done = sql::AuditLog::append(db, entry, now); !done) {
                return errorOf(done);
            }
        }
        link.epoch = status->epoch;
        return sql::StoreMeta::set(db, "gateway.epoch", link.epoch);
    });
}

Expected<void, Error> SyncEngine::topUpChallenges(GatewayConnection& gateway, SyncReport& report)
{
    auto& db = m_store.db();
    const auto now = m_store.clock().nowJst();
    auto available = store::ChallengePool::available(db, now);
    if (!available) {
        return errorOf(available);
    }
    if (*available >= m_options.challengeLowWater) {
        return {};
    }
    const auto want = std::min<std::int64_t>(m_options.challengeBatch, protocol::kMaxChallengesPerRequest);
    auto response = gateway.post("/v1/challenges", protocol::dump(protocol::toJson(protocol::ChallengeRequest{want})));
    if (!response) {
        return errorOf(response);
    }
    auto batch = protocol::parseChallengeBatch(response->body);
    if (!batch) {
        return errorOf(batch);
    }
    std::vector<store::PooledChallenge> pooled;
    for (const auto& c : batch->challenges) {
        auto nonce = base::fromHex(c.nonceHex);
        if (!nonce) {
            return Unexpected(Error{Errc::ProtocolViolation, "a challenge nonce is not hex", "nonce"});
        }
        pooled.push_back({c.id, std::move(*nonce), c.token, c.issuedAt, c.expiresAt});
    }
    return inTransaction(db, [&]() -> Expected<void, Error> {
        auto added = store::ChallengePool::add(db, pooled, now);
        if (!added) {
            return errorOf(added);
        }
        report.challengesAdded += static_cast<std::int64_t>(*added);
        return {};
    });
}

Expected<void, Error> SyncEngine::push(GatewayConnection& gateway, const GatewayLink& link, SyncReport& report)
{
    auto& db = m_store.db();
    if (m_options.userInitiated) {
        if (auto done = inTransaction(db, [&]() { return Outbox::clearBackoff(db); }); !done) {
            return done;
        }
    }
    for (;;) {
        const auto now = m_store.clock().nowJst();
        auto batch = Outbox::nextBatch(db, m_options.batchSize, now);
        if (!batch) {
            return errorOf(batch);
        }
        if (batch->empty()) {
            return {};
        }
        std::vector<std::int64_t> seqs;
        protocol::RecordsRequest request;
        request.deviceTime = now;
        for (const auto& item : *batch) {
            seqs.push_back(item.seq);
            auto created = base::Timestamp::parse(item.createdAt);
            request.records.push_back(
                {item.idemKey, item.kind, item.recordId, item.payload, item.payloadSha256, created ? *created : now});
        }
        if (auto done = inTransaction(db, [&]() { return Outbox::markSending(db, seqs); }); !done) {
            return done;
        }
        auto response = gateway.post("/v1/records", protocol::dump(protocol::toJson(request)));
        Expected<protocol::RecordsResponse, Error> parsed =
            response ? protocol::parseRecordsResponse(response->body)
                     : Expected<protocol::RecordsResponse, Error>(errorOf(response));
        if (!parsed) {
            const Error error = parsed.error();
            // A whole-batch refusal naming one record ("records[3].payload") dead-letters that one
            // record; anything else is transient for the batch.
            std::optional<std::size_t> culprit;
            if (error.code == Errc::ProtocolViolation && error.field.rfind("records[", 0) == 0) {
                std::size_t index = 0;
                const char* digits = error.field.c_str() + 8;
                auto [end, ec] = std::from_chars(digits, error.field.c_str() + error.field.size(), index);
                if (ec == std::errc() && *end == ']' && index < batch->size()) {
                    culprit = index;
                }
            }
            auto done = inTransaction(db, [&]() -> Expected<void, Error> {
                for (std::size_t i = 0; i < batch->size(); ++i) {
                    const auto& item = (*batch)[i];
                    const bool dead = culprit && *culprit == i;
                    const auto retryAt =
                        culprit ? now : now.plus(backoffDelay(item.attempts + 1, m_options.backoff, m_random));
                    const std::string reason = std::string(base::toCode(error.code)) + ": " + error.message;
                    if (auto r = Outbox::recordFailure(db, item.seq, reason, dead, retryAt); !r) {
                        return r;
                    }
                    report.deadLettered += dead ? 1 : 0;
                }
                return {};
            });
            if (!done) {
                return done;
            }
            if (culprit) {
                continue;
            }
            return Unexpected(error);
        }
        report.skewSeconds = -parsed->skewSeconds;
        std::map<std::string, const protocol::RecordResult*> byKey;
        for (const auto& r : parsed->results) {
            byKey[r.idemKey] = &r;
        }
        auto done = inTransaction(db, [&]() -> Expected<void, Error> {
            for (const auto& item : *batch) {
                auto it = byKey.find(item.idemKey);
                if (it == byKey.end()) {
                    if (auto r = Outbox::recordFailure(
                            db, item.seq, "the gateway did not answer for this record", false,
                            now.plus(backoffDelay(item.attempts + 1, m_options.backoff, m_random)));
                        !r) {
                        return r;
                    }
                    continue;
                }
                const auto& result = *it->second;
                if (result.status == protocol::RecordStatus::Stored ||
                    result.status == protocol::RecordStatus::Duplicate) {
                    const nlohmann::json receipt{
                        {"status", std::string(base::toCode(result.status))},
                        {"received_at", result.receivedAt ? result.receivedAt->toString() : ""},
                        {"flags", result.flags},
                        {"epoch", parsed->epoch},
                        {"device_id", link.deviceId}};
                    const std::int64_t one[] = {item.seq};
                    if (auto r = Outbox::acknowledge(db, one, receipt.dump(), now); !r) {
                        return r;
                    }
                    (result.status == protocol::RecordStatus::Stored ? report.stored : report.duplicates) += 1;
                } else {
                    const std::string reason =
                        result.code + ": " + result.reason + (result.field.empty() ? "" : " (" + result.field + ")");
                    if (auto r = Outbox::recordFailure(db, item.seq, reason, true, std::nullopt); !r) {
                        return r;
                    }
                    ++report.deadLettered;
                }
            }
            return {};
        });
        if (!done) {
            return done;
        }
    }
}

Expected<bool, Error> SyncEngine::applySnapshot(const model::EligibilitySnapshot& snapshot,
                                                const base::Timestamp& receivedAt)
{
    auto& db = m_store.db();
    auto patient = store::PatientRoster::find(db, snapshot.patientId);
    if (!patient) {
        return errorOf(patient);
    }
    if (!*patient) {
        return false; // not on this tablet's roster
    }
    auto known = store::SnapshotCache::contains(db, snapshot.id);
    if (!known) {
        return errorOf(known);
    }
    if (*known) {
        return false;
    }
    if (auto done = store::SnapshotCache::add(db, snapshot, receivedAt); !done) {
        return errorOf(done);
    }
    return true;
}

Expected<bool, Error> SyncEngine::applyFeedSnapshot(const nlohmann::json& body)
{
    auto snapshot = protocol::snapshotFromJson(body.value("snapshot", nlohmann::json()));
    auto receivedAt = base::Timestamp::parse(body.value("received_at", ""));
    if (!snapshot || !receivedAt) {
        return false; // reported by the count; a malformed item never blocks the feed
    }
    return applySnapshot(*snapshot, *receivedAt);
}

Expected<void, Error> SyncEngine::pull(GatewayConnection& gateway, const GatewayLink& link, SyncReport& report)
{
    auto& db = m_store.db();
    for (;;) {
        auto cursor = store::SyncCursor::get(db, kFeedStream);
        if (!cursor) {
            return errorOf(cursor);
        }
        const std::string after = cursor->value_or("0");
        auto response = gateway.get("/v1/feed?after=" + after + "&limit=" + std::to_string(m_options.feedPage));
        if (!response) {
            return errorOf(response);
        }
        auto page = protocol::parseFeedPage(response->body);
        if (!page) {
            return errorOf(page);
        }
        if (page->epoch != link.epoch) {
            return {}; // the gateway changed under us: the next run re-reads from the start
        }
        const auto now = m_store.clock().nowJst();
        auto done = inTransaction(db, [&]() -> Expected<void, Error> {
            for (const auto& item : page->items) {
                ++report.feedItems;
                if (item.kind == "eligibility_result" && item.body.contains("snapshot")) {
                    auto applied = applyFeedSnapshot(item.body);
                    if (!applied) {
                        return errorOf(applied);
                    }
                    report.snapshotsApplied += *applied ? 1 : 0;
                } else if (item.kind == "requery_permission") {
                    if (auto applied = applyCareConfirmation(item); !applied) {
                        return errorOf(applied);
                    }
                } else if (item.kind == "consent_revocation") {
                    // Issue 33: a withdrawn 薬剤・特定健診 consent wipes this tablet's copy at once.
                    auto kind = base::fromCode<model::ConsentKind>(item.body.value("kind", ""));
                    if (kind && (*kind == model::ConsentKind::Pharmacy || *kind == model::ConsentKind::Checkup)) {
                        auto wiped = store::MedicalInfoCache::wipe(db, item.patientId, *kind, "system",
                                                                   "consent_withdrawn", now);
                        if (!wiped) {
                            return errorOf(wiped);
                        }
                    }
                } else if (item.kind == "trust_anchor") {
                    if (auto applied = applyTrustAnchor(item, report); !applied) {
                        return errorOf(applied);
                    }
                } else if (item.kind == "staff_account") {
                    // A malformed account is skipped (the next version replaces it), never fatal.
                    if (auto account = protocol::StaffAccount::fromJson(item.body); account) {
                        if (auto applied = store::StaffDirectory::apply(m_store, *account); !applied) {
                            return errorOf(applied);
                        }
                    }
                }
            }
            return store::SyncCursor::set(db, kFeedStream, std::to_string(page->next), now);
        });
        if (!done) {
            return done;
        }
        if (!page->more) {
            return {};
        }
    }
}

// The first online confirmation of a care relationship (R7): from then on this tablet may offer
// the revisit by re-query for that care without asking the gateway first.
Expected<void, Error> SyncEngine::applyCareConfirmation(const protocol::FeedItem& item)
{
    const auto& body = item.body;
    if (!body.is_object() || body.value("allowed", nlohmann::json()) != true ||
        !body.contains("first_online_confirm_at") || !body["first_online_confirm_at"].is_string() ||
        !body.contains("service_kind") || !body["service_kind"].is_string()) {
        return {};
    }
    auto at = base::Timestamp::parse(body["first_online_confirm_at"].get<std::string>());
    if (!at) {
        return {};
    }
    auto done = store::PatientRoster::confirmCare(m_store.db(), item.patientId, body["service_kind"].get<std::string>(),
                                                  at->localDate());
    if (!done) {
        return Unexpected(done.error());
    }
    return {};
}

Expected<protocol::RequeryResponse, Error>
SyncEngine::requery(const std::string& patientId, const std::string& serviceKind, const base::Date& date)
{
    auto& db = m_store.db();
    auto parsed = askAndAwait(db, m_options, "/v1/requery",
                              protocol::dump(protocol::toJson(protocol::RequeryRequest{patientId, serviceKind, date})),
                              protocol::parseRequeryResponse, "re-query");
    if (!parsed) {
        return parsed;
    }
    if (parsed->snapshot && parsed->receivedAt) {
        auto done = inTransaction(db, [&]() -> Expected<void, Error> {
            auto applied = applySnapshot(*parsed->snapshot, *parsed->receivedAt);
            if (!applied) {
                return errorOf(applied);
            }
            return {};
        });
        if (!done) {
            return errorOf(done);
        }
    }
    return parsed;
}

Expected<protocol::MedicalInfoAnswer, Error>
SyncEngine::medicalInfo(const std::string& patientId, const std::string& serviceKind, const std::string& staffId)
{
    auto& db = m_store.db();
    auto parsed =
        askAndAwait(db, m_options, "/v1/medinfo",
                    protocol::dump(protocol::toJson(protocol::MedicalInfoQuery{patientId, serviceKind, staffId})),
                    protocol::parseMedicalInfoAnswer, "medical-information request");
    if (!parsed) {
        return parsed;
    }
    // Refusals that end the right to view (not a staff or gateway problem) remove the copy.
    static const std::set<std::string> kClosing{"no_consent",          "consent_withdrawn", "window_closed",
                                                "care_not_continuing", "ecert_grace",       "ecert_unusable"};
    const auto now = m_store.clock().nowJst();
    auto done = inTransaction(db, [&]() -> Expected<void, Error> {
        if (!parsed->allowed && kClosing.count(parsed->reason)) {
            for (auto kind : {model::ConsentKind::Pharmacy, model::ConsentKind::Checkup}) {
                if (auto wiped = store::MedicalInfoCache::wipe(db, patientId, kind, staffId, parsed->reason, now);
                    !wiped) {
                    return errorOf(wiped);
                }
            }
        }
        for (const auto& item : parsed->items) {
            const auto text = protocol::dump(protocol::toJson(item));
            store::MedicalInfo info{
                base::makeUuid(m_random), patientId,     item.kind, std::vector<std::uint8_t>(text.begin(), text.end()),
                item.fetchedAt,           item.viewUntil};
            if (info.availableUntil.utc() <= now.utc()) {
                continue;
            }
            if (auto put = store::MedicalInfoCache::replace(db, info, now); !put) {
                return errorOf(put);
            }
        }
        auto audited = sql::AuditLog::append(
            db,
            {staffId, "medical_info.fetch", patientId, {{"reason", parsed->reason}, {"items", parsed->items.size()}}},
            now);
        if (!audited) {
            return errorOf(audited);
        }
        return {};
    });
    if (!done) {
        return errorOf(done);
    }
    return parsed;
}

Expected<std::vector<PrecheckResult>, Error> SyncEngine::precheck(const base::Date& date,
                                                                  std::vector<std::string> patientIds)
{
    auto& db = m_store.db();
    auto link = linkOf(db);
    if (!link) {
        return errorOf(link);
    }
    if (patientIds.empty()) {
        auto roster = store::PatientRoster::list(db);
        if (!roster) {
            return errorOf(roster);
        }
        for (const auto& p : *roster) {
            patientIds.push_back(p.id);
        }
    }
    auto gateway = GatewayConnection::open(*link, m_options.timeouts);
    if (!gateway) {
        return errorOf(gateway);
    }
    SyncReport ignored;
    if (auto done = topUpChallenges(*gateway, ignored); !done) {
        return errorOf(done);
    }
    std::vector<PrecheckResult> results;
    for (std::size_t start = 0; start < patientIds.size(); start += protocol::kMaxPrecheckPatients) {
        protocol::PrecheckRequest request;
        request.date = date;
        const auto end = std::min(patientIds.size(), start + protocol::kMaxPrecheckPatients);
        request.patientIds.assign(patientIds.begin() + static_cast<std::ptrdiff_t>(start),
                                  patientIds.begin() + static_cast<std::ptrdiff_t>(end));
        auto response = gateway->post("/v1/precheck", protocol::dump(protocol::toJson(request)));
        if (!response) {
            return errorOf(response);
        }
        auto parsed = protocol::parsePrecheckResponse(response->body);
        if (!parsed) {
            return errorOf(parsed);
        }
        if (parsed->jobId) {
            // The gateway is asking OQS for some of them: wait for that job, then ask once more
            // (what it learnt is then stored; a patient it could not get says oqs_unavailable).
            if (auto job = waitForJob(*gateway, *parsed->jobId, m_options.oqsWait); job) {
                auto again = gateway->post("/v1/precheck", protocol::dump(protocol::toJson(request)));
                if (!again) {
                    return errorOf(again);
                }
                parsed = protocol::parsePrecheckResponse(again->body);
                if (!parsed) {
                    return errorOf(parsed);
                }
            }
        }
        auto done = inTransaction(db, [&]() -> Expected<void, Error> {
            for (const auto& entry : parsed->patients) {
                PrecheckResult result{entry.patientId, entry.flags, std::nullopt, false};
                if (entry.receivedAt) {
                    result.receivedAt = entry.receivedAt->toString();
                }
                if (entry.snapshot && entry.receivedAt) {
                    auto applied = applySnapshot(*entry.snapshot, *entry.receivedAt);
                    if (!applied) {
                        return errorOf(applied);
                    }
                    result.cached = *applied;
                }
                results.push_back(std::move(result));
            }
            return {};
        });
        if (!done) {
            return errorOf(done);
        }
    }
    return results;
}

Expected<bool, Error> SyncEngine::retryDeadLetter(store::Store& store, std::int64_t seq, const std::string& actor)
{
    bool requeued = false;
    auto done = inTransaction(store.db(), [&]() -> Expected<void, Error> {
        auto changed = store::Outbox::requeue(store.db(), seq);
        if (!changed) {
            return errorOf(changed);
        }
        requeued = *changed;
        if (!requeued) {
            return {};
        }
        auto audited = sql::AuditLog::append(
            store.db(), {actor, "outbox.retry", std::to_string(seq), nlohmann::json::object()}, store.clock().nowJst());
        if (!audited) {
            return errorOf(audited);
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return requeued;
}

Expected<SyncStatus, Error> SyncEngine::status(store::Store& store)
{
    auto& db = store.db();
    SyncStatus status;
    auto link = GatewayLink::load(db);
    if (!link) {
        return errorOf(link);
    }
    if (*link) {
        status.enrolled = true;
        status.gateway = (*link)->url;
        status.deviceId = (*link)->deviceId;
    }
    auto counts = Outbox::counts(db);
    if (!counts) {
        return errorOf(counts);
    }
    status.queued = counts->queued;
    status.sending = counts->sending;
    status.acked = counts->acked;
    status.deadLetter = counts->dead;
    auto available = store::ChallengePool::available(db, store.clock().nowJst());
    if (!available) {
        return errorOf(available);
    }
    status.challengesAvailable = *available;
    auto meta = [&db](const char* key) -> Expected<std::optional<std::string>, Error> {
        auto value = sql::StoreMeta::get(db, key);
        if (value && *value && (*value)->empty()) {
            return std::optional<std::string>();
        }
        return value;
    };
    auto lastSuccess = meta("sync.last_success");
    auto skew = meta("sync.skew_seconds");
    auto lastError = meta("sync.last_error");
    if (!lastSuccess || !skew || !lastError) {
        return Unexpected(Error{Errc::StoreIo, "cannot read the sync state"});
    }
    status.lastSuccess = *lastSuccess;
    if (*skew) {
        std::int64_t seconds = 0;
        const auto& text = **skew;
        if (std::from_chars(text.data(), text.data() + text.size(), seconds).ec == std::errc()) {
            status.skewSeconds = seconds;
        }
    }
    status.lastError = *lastError;
    auto dead = Outbox::deadLetters(db, 100);
    if (!dead) {
        return errorOf(dead);
    }
    for (const auto& item : *dead) {
        status.deadLetters.push_back({item.seq, item.kind, item.recordId, item.lastError});
    }
    return status;
}

} // namespace zaitaku::sync::client
