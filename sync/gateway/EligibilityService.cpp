#include "sync/gateway/EligibilityService.h"

#include "base/BoundedJson.h"
#include "device/mynacard/Certificate.h"
#include "sync/protocol/ModelJson.h"
#include "verify/rules/CertificateExpiry.h"
#include "verify/rules/PrecheckFlags.h"
#include "verify/rules/Requery.h"

namespace zaitaku::sync::gateway
{

namespace
{

std::string text(const nlohmann::json& j, const char* key)
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// LimitApplicationCertificateRelatedConsFlg: 0 未同意, 1 同意 (docs/design/DOMAIN.md §2.1).
std::string limitFlag(bool consented)
{
    return consented ? "1" : "0";
}

oqs::SearchInfo searchFromJson(const nlohmann::json& j, const std::string& patientId)
{
    oqs::SearchInfo s;
    s.insurerNumber = text(j, "insurer_number");
    s.insuredCardSymbol = text(j, "insured_card_symbol");
    s.insuredIdentificationNumber = text(j, "insured_identification_number");
    s.insuredBranchNumber = text(j, "insured_branch_number");
    if (auto birth = base::Date::parseCompact(text(j, "birthdate"))) {
        s.birthdate = *birth;
    }
    // What the patient chose at the first visit (「限度額情報を提供しますか」 [seed 001]); a key
    // stored before the question was asked counts as not consented.
    s.limitApplicationCertificateRelatedConsFlg = limitFlag(text(j, "limit_consent") == "1");
    s.arbitraryIdentifier = patientId; // echoed per unit: how a bulk answer finds its patient
    return s;
}

protocol::RequeryResponse refusal(std::string reason, std::string reasonJa)
{
    protocol::RequeryResponse r;
    r.allowed = false;
    r.cardReadNeeded = true;
    r.reason = std::move(reason);
    r.reasonJa = std::move(reasonJa);
    return r;
}

} // namespace

nlohmann::json searchKeyOf(const model::EligibilitySnapshot& s)
{
    return {{"insurer_number", s.insurerNumber},
            {"insured_card_symbol", s.insuredCardSymbol},
            {"insured_identification_number", s.insuredIdentificationNumber},
            {"insured_branch_number", s.insuredBranchNumber},
            {"birthdate", s.birthdate ? s.birthdate->toCompact() : std::string()}};
}

EligibilityService::EligibilityService(GatewayStorage& storage,
                                       std::unique_ptr<oqs::OqsBridge> bridge,
                                       const JpkiTrust& jpki,
                                       const base::Clock& clock,
                                       const base::MonotonicClock& monotonic,
                                       base::RandomSource& random,
                                       GatewayLog& log)
    : m_storage(storage)
    , m_bridge(std::move(bridge))
    , m_jpki(jpki)
    , m_clock(clock)
    , m_random(random)
    , m_log(log)
    , m_jobs(std::make_unique<OqsJobs>(
          monotonic, random, [this](const auto& patients, const auto& date) { return refreshRoute(patients, date); }))
{}

EligibilityService::~EligibilityService()
{
    m_jobs.reset(); // its threads first: they call into the bridge and the storage
    stop();
}

void EligibilityService::start()
{
    auto pending = m_bridge->pending();
    if (!pending) {
        m_log.error("oqs.resume_failed", {{"reason", pending.error().message}});
    } else {
        std::lock_guard lock(m_mutex);
        for (auto& ticket : *pending) {
            // Bulk parts are driven synchronously by their caller; after a restart only the
            // first-visit queries have someone waiting for them (every tablet, through the feed).
            const auto purpose = text(ticket.context, "purpose");
            if (purpose == "first_visit" || purpose == "revisit") {
                m_queue.push_back(std::move(ticket));
            }
        }
        if (!pending->empty()) {
            m_log.info("oqs.resumed", {{"pending", pending->size()}, {"queued", m_queue.size()}});
        }
    }
    m_worker = std::thread([this] { work(); });
}

void EligibilityService::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping && !m_worker.joinable()) {
            return;
        }
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_worker.joinable()) {
        m_worker.join();
    }
}

void EligibilityService::firstVisit(const CardQuery& q)
{
    const std::string der(q.certificateDer.begin(), q.certificateDer.end());
    // R3: an expired certificate still confirms qualification during the grace period, so the
    // chain is checked as of its last valid second; past the grace period nothing is asked. The
    // grace is judged by the visit date: a visit inside it that syncs later is still confirmed.
    const auto now = m_clock.nowJst();
    auto checkAt = now;
    if (auto info = device::parseCertificate(q.certificateDer); info && info->notAfter < now) {
        if (rules::certificateStatus(info->notAfter.localDate(), q.visitDate).state ==
            rules::CertificateState::Unusable) {
            m_log.warn("oqs.card_unusable", {{"patient", q.patientId}, {"expired", info->notAfter.toString()}});
            return;
        }
        checkAt = info->notAfter.plus(std::chrono::seconds(-1));
    }
    if (auto trusted = m_jpki.check(der, checkAt); !trusted) {
        m_log.warn("oqs.card_not_trusted", {{"patient", q.patientId}, {"reason", trusted.error().message}});
        return;
    }
    oqs::CardQualificationRequest request;
    request.header.qualificationConfirmationDate = q.visitDate;
    request.header.medicalInstitutionCode = m_bridge->config().medicalInstitutionCode;
    request.certificateDer = q.certificateDer;
    request.limitApplicationCertificateRelatedConsFlg = limitFlag(q.limitConsent);
    auto xml = oqs::buildCardQualificationRequest(request, m_bridge->config().encoding);
    if (!xml) {
        m_log.error("oqs.request_failed", {{"patient", q.patientId}, {"reason", xml.error().message}});
        return;
    }
    nlohmann::json context{{"purpose", "first_visit"},
                           {"patient_id", q.patientId},
                           {"service_kind", q.serviceKind},
                           {"limit_consent", limitFlag(q.limitConsent)},
                           {"source", std::string(base::toCode(q.source))}};
    if (auto info = device::parseCertificate(q.certificateDer)) {
        context["certificate_expiry"] = info->notAfter.localDate().toString();
    }
    auto ticket = m_bridge->submit(oqs::Interface::CardQualification, *xml, std::move(context));
    if (!ticket) {
        m_log.error("oqs.request_failed", {{"patient", q.patientId}, {"reason", ticket.error().message}});
        return;
    }
    m_log.info("oqs.requested", {{"patient", q.patientId}, {"file", ticket->fileName}});
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(*ticket));
    }
    m_wake.notify_all();
}

// The 資格確認 by a patient's re-query key for `date` (one search, echoing the patient id).
oqs::QualificationRequest
EligibilityService::requeryRequest(const std::string& patientId, const base::Date& date, const RequeryKeyRow& key) const
{
    oqs::QualificationRequest query;
    query.header.qualificationConfirmationDate = date;
    query.header.medicalInstitutionCode = m_bridge->config().medicalInstitutionCode;
    query.search.push_back(searchFromJson(key.search, patientId));
    return query;
}

void EligibilityService::revisit(const RevisitQuery& q)
{
    // The caller checked R7 (requeryRefusal) when the record arrived and flagged a refusal.
    auto key = m_storage.requeryKey(q.patientId);
    if (!key || !*key) {
        return; // gone since the record was checked
    }
    auto xml = oqs::buildQualificationRequest(requeryRequest(q.patientId, q.visitDate, **key), false,
                                              m_bridge->config().encoding);
    if (!xml) {
        m_log.error("oqs.request_failed", {{"patient", q.patientId}, {"reason", xml.error().message}});
        return;
    }
    nlohmann::json context{{"purpose", "revisit"}, {"patient_id", q.patientId}, {"visit_id", q.visitId}};
    auto ticket = m_bridge->submit(oqs::Interface::Qualification, *xml, std::move(context));
    if (!ticket) {
        m_log.error("oqs.request_failed", {{"patient", q.patientId}, {"reason", ticket.error().message}});
        return;
    }
    m_log.info("oqs.requested", {{"patient", q.patientId}, {"visit", q.visitId}, {"file", ticket->fileName}});
    {
        std::lock_guard lock(m_mutex);
        m_queue.push_back(std::move(*ticket));
    }
    m_wake.notify_all();
}

void EligibilityService::work()
{
    for (;;) {
        oqs::Ticket ticket;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_stopping) {
                return;
            }
            ticket = std::move(m_queue.front());
            m_queue.pop_front();
            m_busy = true;
        }
        // Short waits so that stop() is prompt; the request stays journalled meanwhile.
        auto result = m_bridge->await(ticket, std::chrono::milliseconds(500));
        if (result) {
            apply(ticket, *result);
        } else if (result.error().code != Errc::Timeout) {
            m_log.error("oqs.result_rejected", {{"file", ticket.fileName}, {"reason", result.error().message}});
        }
        {
            std::lock_guard lock(m_mutex);
            if (!result && result.error().code == Errc::Timeout) {
                m_queue.push_back(std::move(ticket)); // still pending: try again after the others
            }
            m_busy = false;
        }
        m_drained.notify_all();
    }
}

bool EligibilityService::idle(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_mutex);
    return m_drained.wait_for(lock, timeout, [this] { return m_queue.empty() && !m_busy; });
}

Expected<model::EligibilitySnapshot, Error>
EligibilityService::storeUnit(const std::string& patientId, model::SnapshotSource source, const oqs::ResultUnit& unit)
{
    model::EligibilitySnapshot snapshot = unit.snapshot;
    snapshot.id = base::makeUuid(m_random);
    snapshot.patientId = patientId;
    snapshot.source = source;
    if (auto done = m_storage.addSnapshot(patientId, protocol::snapshotToJson(snapshot), m_clock.nowJst()); !done) {
        return Unexpected(done.error());
    }
    ++m_applied;
    return snapshot;
}

void EligibilityService::apply(const oqs::Ticket& ticket, const oqs::ResultFile& result)
{
    const std::string patientId = text(ticket.context, "patient_id");
    if (result.units.empty()) {
        m_log.warn("oqs.no_result", {{"file", ticket.fileName},
                                     {"error_code", result.header.errorCode},
                                     {"error_message", result.header.errorMessage}});
        // Still a fact the tablets should see: the query ended abnormally.
        oqs::ResultUnit failed;
        failed.snapshot.segmentOfResult = result.header.segmentOfResult;
        failed.snapshot.errorCode = result.header.errorCode;
        failed.snapshot.errorMessage = result.header.errorMessage;
        failed.snapshot.qualificationConfirmationDate = result.header.qualificationConfirmationDate;
        const bool revisit = text(ticket.context, "purpose") == "revisit";
        (void)storeUnit(patientId, revisit ? model::SnapshotSource::RequerySingle : model::SnapshotSource::CardPin,
                        failed);
        return;
    }
    if (text(ticket.context, "purpose") == "revisit") {
        applyRevisit(patientId, result.units.front());
        return;
    }
    auto source = base::fromCode<model::SnapshotSource>(text(ticket.context, "source"));
    const auto& unit = result.units.front();
    auto stored = storeUnit(patientId, source ? *source : model::SnapshotSource::CardPin, unit);
    if (!stored) {
        m_log.error("oqs.store_failed", {{"patient", patientId}, {"reason", stored.error().message}});
        return;
    }
    const auto outcome = oqs::outcomeOf(unit.snapshot, unit.resultCount);
    m_log.info("oqs.answered", {{"patient", patientId}, {"outcome", std::string(oqs::outcomeName(outcome))}});
    if (outcome != oqs::Outcome::Confirmed) {
        return;
    }
    const auto now = m_clock.nowJst();
    RequeryKeyRow key{patientId, searchKeyOf(unit.snapshot), std::nullopt, now};
    key.search["limit_consent"] = limitFlag(text(ticket.context, "limit_consent") == "1");
    if (auto expiry = base::Date::parse(text(ticket.context, "certificate_expiry"))) {
        key.certificateExpiry = *expiry;
    }
    if (auto done = m_storage.setRequeryKey(key); !done) {
        m_log.error("oqs.store_failed", {{"patient", patientId}, {"reason", done.error().message}});
    }
    if (auto done = m_storage.confirmCare(patientId, now); !done) {
        m_log.error("oqs.store_failed", {{"patient", patientId}, {"reason", done.error().message}});
    } else if (m_onConfirmed) {
        m_onConfirmed(patientId, text(ticket.context, "service_kind"));
    }
}

// The answer to a revisit's re-query: stored for its patient (a feed item for the tablets) when the
// unit echoes that patient; a confirmed answer renews the re-query key, as /v1/requery does.
void EligibilityService::applyRevisit(const std::string& patientId, const oqs::ResultUnit& unit)
{
    if (unit.search && unit.search->arbitraryIdentifier != patientId) {
        m_log.warn("oqs.unqueried_unit", {{"units", 1}, {"reason", "the echo names another patient"}});
        return;
    }
    if (auto stored = storeUnit(patientId, model::SnapshotSource::RequerySingle, unit); !stored) {
        m_log.error("oqs.store_failed", {{"patient", patientId}, {"reason", stored.error().message}});
        return;
    }
    const auto outcome = oqs::outcomeOf(unit.snapshot, unit.resultCount);
    m_log.info("oqs.answered",
               {{"patient", patientId}, {"purpose", "revisit"}, {"outcome", std::string(oqs::outcomeName(outcome))}});
    if (outcome == oqs::Outcome::Confirmed) {
        renewRequeryKey(patientId, unit.snapshot);
    }
}

void EligibilityService::renewRequeryKey(const std::string& patientId, const model::EligibilitySnapshot& snapshot)
{
    auto key = m_storage.requeryKey(patientId);
    RequeryKeyRow renewed{patientId, searchKeyOf(snapshot), std::nullopt, m_clock.nowJst()};
    renewed.search["limit_consent"] = limitFlag(key && *key && text((*key)->search, "limit_consent") == "1");
    if (auto done = m_storage.setRequeryKey(renewed); !done) {
        m_log.error("oqs.store_failed", {{"patient", patientId}, {"reason", done.error().message}});
    }
}

std::optional<protocol::RequeryResponse> EligibilityService::requeryRefusal(const protocol::RequeryRequest& request)
{
    auto cares = m_storage.careStates(request.patientId);
    if (!cares) {
        return refusal("gateway_unavailable", "ゲートウェイが一時的に利用できません。カードで確認してください");
    }
    const CareState* care = nullptr;
    for (const auto& c : *cares) {
        if (c.serviceKind == request.serviceKind) {
            care = &c;
        }
    }
    if (!care) {
        return refusal(std::string(base::toCode(rules::RequeryReason::NotSameProvider)),
                       std::string(base::labelOf(rules::RequeryReason::NotSameProvider)));
    }
    if (!care->firstOnlineConfirmAt) {
        return refusal("awaiting_online_confirmation", "初回訪問のオンライン資格確認がまだ完了していません");
    }
    rules::RequeryInput input{care->firstOnlineConfirmAt->localDate(), request.date, true, !care->endedAt,
                              rules::CareSetting::Home};
    auto decision = rules::requery(input);
    if (!decision || !decision->allowed) {
        const auto reason = decision ? decision->reason : rules::RequeryReason::NotContinuous;
        return refusal(std::string(base::toCode(reason)), std::string(base::labelOf(reason)));
    }
    auto key = m_storage.requeryKey(request.patientId);
    if (!key || !*key) {
        return refusal("no_requery_key", "再照会に使う被保険者番号がありません。カードで確認してください");
    }
    return std::nullopt;
}

protocol::RequeryResponse EligibilityService::requery(const protocol::RequeryRequest& request)
{
    if (auto refused = requeryRefusal(request)) {
        return *refused;
    }
    auto key = m_storage.requeryKey(request.patientId);
    if (!key || !*key) {
        return refusal("no_requery_key", "再照会に使う被保険者番号がありません。カードで確認してください");
    }
    auto result = m_bridge->qualification(requeryRequest(request.patientId, request.date, **key),
                                          {{"purpose", "requery"}, {"patient_id", request.patientId}});
    protocol::RequeryResponse response;
    response.allowed = true;
    response.reason = std::string(base::toCode(rules::RequeryReason::Allowed));
    response.reasonJa = std::string(base::labelOf(rules::RequeryReason::Allowed));
    if (!result || result->units.empty()) {
        response.cardReadNeeded = false;
        response.reason = "oqs_unavailable";
        response.reasonJa = "再照会の結果を取得できませんでした（前回の結果を確認してください）";
        response.flags = {"oqs_unavailable"};
        m_log.warn("oqs.requery_failed", {{"patient", request.patientId},
                                          {"reason", result ? result->header.errorMessage : result.error().message}});
        return response;
    }
    const auto& unit = result->units.front();
    if (unit.search && unit.search->arbitraryIdentifier != request.patientId) {
        m_log.warn("oqs.unqueried_unit",
                   {{"units", result->units.size()}, {"reason", "the echo names another patient"}});
        response.cardReadNeeded = true;
        response.reason = "oqs_unavailable";
        response.reasonJa = "再照会の結果が照会内容と一致しません。カードで確認してください";
        response.flags = {"oqs_unavailable"};
        return response;
    }
    auto stored = storeUnit(request.patientId, model::SnapshotSource::RequerySingle, unit);
    if (!stored) {
        return refusal("gateway_unavailable", "ゲートウェイが一時的に利用できません。カードで確認してください");
    }
    const auto now = m_clock.nowJst();
    response.snapshot = *stored;
    response.receivedAt = now;
    response.flags = rules::precheckFlags(&*stored, now.localDate(), request.date, (*key)->certificateExpiry);
    switch (oqs::outcomeOf(unit.snapshot, unit.resultCount)) {
    case oqs::Outcome::Confirmed: {
        response.cardReadNeeded = false;
        renewRequeryKey(request.patientId, unit.snapshot);
        break;
    }
    case oqs::Outcome::NotConfirmed:
        // F2: 3 (新しい資格あり) → read the new card (F1); 2/4 → card or the fallback ladder.
        response.reason = unit.snapshot.qualificationValidity == model::QualificationValidity::InvalidNewQualification
                              ? "eligibility_changed"
                              : "eligibility_not_confirmed";
        response.reasonJa = "再照会で資格が確認できませんでした（" +
                            std::string(base::labelOf(*unit.snapshot.qualificationValidity)) +
                            "）。カードで確認するか代替手段に進んでください";
        break;
    default:
        response.reason = std::string(oqs::outcomeName(oqs::outcomeOf(unit.snapshot, unit.resultCount)));
        response.reasonJa = "再照会の結果を確定できませんでした。カードで確認してください";
        break;
    }
    return response;
}

std::vector<std::string> EligibilityService::needingRefresh(const std::vector<std::string>& patientIds,
                                                            const base::Date& date)
{
    std::vector<std::string> out;
    const auto today = m_clock.nowJst().localDate();
    for (const auto& id : patientIds) {
        auto key = m_storage.requeryKey(id);
        if (!key || !*key) {
            continue; // never confirmed online here: nothing to query by
        }
        auto latest = m_storage.latestSnapshot(id);
        if (latest && *latest && (*latest)->receivedAt.localDate() == today) {
            auto json = base::parseJson((*latest)->json);
            if (text(json, "qualification_confirmation_date") == date.toString()) {
                continue; // already asked today for this date
            }
        }
        out.push_back(id);
    }
    return out;
}

std::vector<std::string> EligibilityService::refreshRoute(const std::vector<std::string>& patientIds,
                                                          const base::Date& date)
{
    oqs::QualificationRequest query;
    query.header.qualificationConfirmationDate = date;
    query.header.medicalInstitutionCode = m_bridge->config().medicalInstitutionCode;
    query.header.arbitraryFileIdentifier = "route-" + date.toCompact();
    for (const auto& id : needingRefresh(patientIds, date)) {
        if (auto key = m_storage.requeryKey(id); key && *key) {
            query.search.push_back(searchFromJson((*key)->search, id));
        }
    }
    if (query.search.empty()) {
        return {};
    }
    std::vector<std::string> failed;
    auto result = m_bridge->bulkQualification(query, {{"purpose", "route_precheck"}, {"date", date.toString()}});
    if (!result || result->header.segmentOfResult != model::SegmentOfResult::Normal) {
        m_log.warn("oqs.precheck_failed",
                   {{"patients", query.search.size()},
                    {"reason",
                     result ? result->header.errorCode + " " + result->header.errorMessage : result.error().message}});
        for (const auto& s : query.search) {
            failed.push_back(s.arbitraryIdentifier);
        }
        return failed;
    }
    // The terminal's answer is trusted for nothing it was not asked: a unit is stored only for a
    // patient this request queried, and only once (a unit naming anyone else is dropped).
    std::set<std::string> queried;
    for (const auto& s : query.search) {
        queried.insert(s.arbitraryIdentifier);
    }
    std::set<std::string> answered;
    std::size_t dropped = 0;
    for (const auto& unit : result->units) {
        const std::string id = unit.search ? unit.search->arbitraryIdentifier : std::string();
        if (!queried.count(id) || answered.count(id)) {
            ++dropped;
            continue;
        }
        if (storeUnit(id, model::SnapshotSource::RequeryBulk, unit)) {
            answered.insert(id);
        }
    }
    for (const auto& s : query.search) {
        if (!answered.count(s.arbitraryIdentifier)) {
            failed.push_back(s.arbitraryIdentifier);
        }
    }
    if (dropped > 0) {
        m_log.warn("oqs.unqueried_unit", {{"units", dropped}, {"reason", "not a patient of this request, or twice"}});
    }
    m_log.info("oqs.precheck", {{"patients", query.search.size()}, {"answered", answered.size()}});
    return failed;
}

} // namespace zaitaku::sync::gateway
