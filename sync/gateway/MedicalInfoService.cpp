#include "sync/gateway/MedicalInfoService.h"

#include "base/BoundedJson.h"
#include "verify/rules/CertificateExpiry.h"
#include "verify/rules/MedicalInfoWindow.h"

#include <algorithm>
#include <array>

namespace zaitaku::sync::gateway
{

namespace
{

constexpr std::array<model::ConsentKind, 2> kKinds{model::ConsentKind::Pharmacy, model::ConsentKind::Checkup};

MedicalInfoWindow closed(std::string reason, std::string reasonJa)
{
    MedicalInfoWindow w;
    w.reason = std::move(reason);
    w.reasonJa = std::move(reasonJa);
    return w;
}

std::string label(model::ConsentKind kind)
{
    return std::string(base::labelOf(kind));
}

// OQS's own deadline for a kind, from the newest result (F4 rule: *AvailableTime is authoritative [I]).
std::optional<base::Timestamp>
availableTime(GatewayStorage& storage, const std::string& patientId, model::ConsentKind kind)
{
    auto latest = storage.latestSnapshot(patientId);
    if (!latest || !*latest) {
        return std::nullopt;
    }
    const auto json = base::parseJson((*latest)->json);
    const char* key = kind == model::ConsentKind::Pharmacy ? "pharmacists" : "specific_health_checkups";
    if (!json.is_object() || !json.contains(key) || !json[key].is_object()) {
        return std::nullopt;
    }
    const auto& c = json[key];
    if (c.value("flag", "") != "1" || !c.contains("available_time") || !c["available_time"].is_string()) {
        return std::nullopt;
    }
    auto at = base::Timestamp::parse(c["available_time"].get<std::string>());
    return at ? std::optional<base::Timestamp>(*at) : std::nullopt;
}

base::Date yearsBefore(const base::Date& d, int years)
{
    return base::Date::fromSysDays(d.sysDays() - std::chrono::days(365 * years + years / 4));
}

} // namespace

MedicalInfoService::MedicalInfoService(GatewayStorage& storage,
                                       EligibilityService& eligibility,
                                       const base::Clock& clock,
                                       base::RandomSource& random,
                                       GatewayLog& log,
                                       MedicalInfoPolicy policy)
    : m_storage(storage)
    , m_eligibility(eligibility)
    , m_clock(clock)
    , m_random(random)
    , m_log(log)
    , m_policy(policy)
{}

MedicalInfoWindow
MedicalInfoService::window(const std::string& patientId, const std::string& serviceKind, model::ConsentKind kind)
{
    const auto now = m_clock.nowJst();
    auto consents = m_storage.medicalConsents(patientId);
    if (!consents) {
        return closed("gateway_unavailable", "ゲートウェイが一時的に利用できません");
    }
    const MedicalConsentRow* latest = nullptr;
    for (const auto& c : *consents) {
        if (c.kind == kind && !c.serviceKind.empty() && (!latest || c.consentedAt.utc() >= latest->consentedAt.utc())) {
            latest = &c;
        }
    }
    if (!latest) {
        return closed("no_consent", label(kind) + "の提供への同意がありません");
    }
    if (latest->withdrawnAt) {
        return closed("consent_withdrawn", label(kind) + "の提供への同意は撤回されています");
    }
    auto key = m_storage.requeryKey(patientId);
    if (!key) {
        return closed("gateway_unavailable", "ゲートウェイが一時的に利用できません");
    }
    if (!*key) {
        return closed("awaiting_online_confirmation", "初回訪問のオンライン資格確認がまだ完了していません");
    }
    if (const auto expiry = (*key)->certificateExpiry) {
        const auto status = rules::certificateStatus(*expiry, now.localDate());
        if (!status.medicalInfoAllowed) {
            return closed(status.state == rules::CertificateState::Grace ? "ecert_grace" : "ecert_unusable",
                          std::string(base::labelOf(status.state)) + "：薬剤情報・特定健診情報は取得できません");
        }
    }
    const auto visitKind = serviceKind == "oushin" ? rules::VisitKind::Oushin : rules::VisitKind::HoumonContinuing;
    // A consent stamped ahead of the gateway's clock (a tablet's skew) counts from now.
    const auto consentAt = latest->consentedAt.utc() > now.utc() ? now : latest->consentedAt;
    auto decided = rules::medicalInfoWindow({consentAt, now, visitKind, availableTime(m_storage, patientId, kind)});
    if (!decided || !decided->allowed) {
        const std::string basis = decided ? std::string(base::labelOf(decided->basis)) : std::string();
        return closed("window_closed",
                      "閲覧期間外です（" + basis +
                          (decided && decided->until ? "：" + decided->until->toString() + "まで" : "") + "）");
    }
    if (decided->requiresRequeryAllowed) {
        if (auto refused = m_eligibility.requeryRefusal({patientId, serviceKind, now.localDate()})) {
            return closed("care_not_continuing",
                          "閲覧期間外です（継続的な療養が確認できません：" + refused->reasonJa + "）");
        }
    }
    MedicalInfoWindow w;
    w.allowed = true;
    w.reason = "available";
    w.consentId = latest->consentId;
    w.basis = std::string(base::toCode(decided->basis));
    const auto cache = now.plus(m_policy.tabletCache);
    w.viewUntil = decided->until && decided->until->utc() < cache.utc() ? *decided->until : cache;
    return w;
}

std::optional<std::string> MedicalInfoService::staffRefusal(const std::string& staffId)
{
    auto staff = m_storage.staffAccounts();
    if (!staff) {
        return "ゲートウェイが一時的に利用できません";
    }
    for (const auto& s : *staff) {
        if (s.staffId == staffId && s.active) {
            if (s.role == "physician" || s.role == "nurse") {
                return std::nullopt;
            }
            return "薬剤情報・特定健診情報を閲覧できるのは医師・看護師です";
        }
    }
    return "この職員は登録されていないか、無効です";
}

protocol::MedicalInfoAnswer MedicalInfoService::stored(const protocol::MedicalInfoQuery& query, bool& stale)
{
    protocol::MedicalInfoAnswer out;
    const auto now = m_clock.nowJst();
    stale = false;
    for (const auto kind : kKinds) {
        const auto w = window(query.patientId, query.serviceKind, kind);
        if (!w.allowed) {
            if (out.reason.empty()) {
                out.reason = w.reason;
                out.reasonJa = w.reasonJa;
            }
            continue;
        }
        out.allowed = true;
        auto row = m_storage.latestMedicalInfo(query.patientId, kind);
        if (!row) {
            continue;
        }
        const bool current =
            *row && (*row)->consentId == w.consentId && now.utc() - (*row)->fetchedAt.utc() < m_policy.refreshAfter;
        stale = stale || !current;
        if (!current || (*row)->resultCode != "1") {
            continue;
        }
        nlohmann::json item{
            {"kind", base::toCode(kind)},
            {"fetched_at", (*row)->fetchedAt.toString()},
            {"view_until", w.viewUntil.toString()},
            {"basis", w.basis},
            {kind == model::ConsentKind::Pharmacy ? "medication" : "checkups", base::parseJson((*row)->parsedJson)}};
        if (auto parsed = protocol::parseMedicalInfoItem(item)) {
            out.items.push_back(std::move(*parsed));
        } else {
            m_log.error("medinfo.unreadable", {{"patient", query.patientId}, {"reason", parsed.error().message}});
        }
    }
    if (out.allowed) {
        out.reason = "available";
        out.reasonJa = out.items.empty() ? "取得できる情報がまだありません" : "";
    }
    return out;
}

protocol::MedicalInfoAnswer MedicalInfoService::answer(const protocol::MedicalInfoQuery& query,
                                                       const std::string& deviceId)
{
    if (auto refused = staffRefusal(query.staffId)) {
        return {false, "staff_not_allowed", *refused, {}, std::nullopt};
    }
    bool stale = false;
    auto out = stored(query, stale);
    if (out.allowed && stale) {
        const std::string key = "medinfo|" + query.patientId + "|" + query.serviceKind;
        out.jobId = m_eligibility.jobs().requery(
            deviceId, query.patientId, key,
            [this, query, deviceId] { return protocol::toJson(fetch(query, deviceId)); }, "medinfo");
        out.reason = out.jobId ? "oqs_pending" : "oqs_busy";
        out.reasonJa = out.jobId ? "オンライン資格確認に薬剤情報等を照会しています"
                                 : "照会が混み合っています。しばらくしてから開いてください";
    }
    if (!out.items.empty()) {
        std::vector<std::string> kinds;
        for (const auto& i : out.items) {
            kinds.emplace_back(base::toCode(i.kind));
        }
        (void)m_storage.recordAudit(
            {deviceId, "read.medinfo", query.patientId, {{"staff_id", query.staffId}, {"kinds", kinds}}},
            m_clock.nowJst());
    }
    return out;
}

void MedicalInfoService::afterConfirmation(const std::string& patientId, const std::string& serviceKind)
{
    const protocol::MedicalInfoQuery query{patientId, serviceKind, ""};
    (void)m_eligibility.jobs().requery(
        "gateway", patientId, "medinfo|" + patientId + "|" + serviceKind,
        [this, query] {
            (void)fetch(query, "gateway");
            return nlohmann::json::object();
        },
        "medinfo");
}

protocol::MedicalInfoAnswer MedicalInfoService::fetch(const protocol::MedicalInfoQuery& query, const std::string& actor)
{
    for (const auto kind : kKinds) {
        const auto w = window(query.patientId, query.serviceKind, kind);
        if (!w.allowed) {
            continue; // checked again now: a withdrawal since the job was queued stops it here
        }
        if (auto done = fetchKind(query.patientId, kind, w, actor, query.staffId); !done) {
            m_log.warn("medinfo.request_failed",
                       {{"patient", query.patientId}, {"kind", base::toCode(kind)}, {"reason", done.error().message}});
        }
    }
    if (query.staffId.empty()) {
        return {};
    }
    return answer(query, actor);
}

Expected<void, Error> MedicalInfoService::fetchKind(const std::string& patientId,
                                                    model::ConsentKind kind,
                                                    const MedicalInfoWindow& window,
                                                    const std::string& actor,
                                                    const std::string& staffId)
{
    auto key = m_storage.requeryKey(patientId);
    if (!key || !*key) {
        return Unexpected(Error{Errc::InvalidInput, "no insurer numbers to ask by", "patient_id"});
    }
    const auto& search = (*key)->search;
    const auto today = m_clock.nowJst().localDate();
    oqs::MedicalInfoRequest request;
    request.drugs = kind == model::ConsentKind::Pharmacy;
    request.medicalInstitutionCode = m_eligibility.bridgeConfig().medicalInstitutionCode;
    request.insurerNumber = search.value("insurer_number", "");
    request.insuranceCardSymbol = search.value("insured_card_symbol", "");
    request.insuredPersonIdentificationNumber = search.value("insured_identification_number", "");
    request.branchNumber = search.value("insured_branch_number", "");
    if (request.drugs) {
        request.startDate = yearsBefore(today, 3); // 3 years of drug information [S:P12]
        request.endDate = today;
    }
    request.medicalTreatmentFlag = "2"; // 訪問診療等 [S:6]
    auto file = m_eligibility.medicalInfo(
        request, {{"purpose", "medical_info"}, {"patient_id", patientId}, {"kind", base::toCode(kind)}});
    if (!file) {
        return Unexpected(file.error());
    }
    MedicalInfoRow row;
    row.id = base::makeUuid(m_random);
    row.patientId = patientId;
    row.kind = kind;
    row.consentId = window.consentId;
    row.fetchedAt = m_clock.nowJst();
    row.resultCode = file->resultCode;
    row.parsedJson = !file->succeeded() ? nlohmann::json{{"message", file->messageContents}}.dump()
                     : request.drugs    ? protocol::toJson(file->medication).dump()
                                        : protocol::toJson(file->checkups).dump();
    row.sourceXml = file->utf8;
    const std::size_t count = request.drugs ? file->medication.events.size() : file->checkups.checkups.size();
    sql::AuditEntry audit{actor,
                          "medinfo.request",
                          patientId,
                          {{"kind", base::toCode(kind)},
                           {"staff_id", staffId},
                           {"result_code", file->resultCode},
                           {"entries", count},
                           {"warnings", file->warnings.size()}}};
    m_log.info(
        "medinfo.answered",
        {{"patient", patientId}, {"kind", base::toCode(kind)}, {"result_code", file->resultCode}, {"entries", count}});
    return m_storage.addMedicalInfo(row, audit, row.fetchedAt);
}

} // namespace zaitaku::sync::gateway
