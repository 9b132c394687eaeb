#include "sync/gateway/GatewayService.h"

#include "base/BoundedJson.h"
#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "sync/gateway/MedicalInfoService.h"
#include "sync/protocol/EnrollmentCode.h"
#include "sync/protocol/ModelJson.h"
#include "sync/protocol/WireLimits.h"
#include "verify/rules/PrecheckFlags.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <set>

namespace zaitaku::sync::gateway
{

using transport::HttpRequest;
using transport::HttpResponse;

namespace
{

HttpResponse json(int status, const nlohmann::json& body)
{
    return {status, "application/json", protocol::dump(body), {}};
}

HttpResponse problem(int status, Errc code, const std::string& message, const std::string& field = {})
{
    return json(status, protocol::toJson(protocol::ErrorBody{std::string(base::toCode(code)), message, field}));
}

HttpResponse badRequest(const Error& error)
{
    return problem(error.code == Errc::Unauthorized ? 403 : 400, error.code, error.message, error.field);
}

HttpResponse unavailable(const Error& error)
{
    // Storage trouble is transient for the tablet: it keeps the record queued and retries.
    return problem(503, error.code, "the gateway cannot store right now: " + error.message);
}

// "after=12&limit=100" → value of `name` (absent: fallback; malformed: nullopt).
std::optional<std::int64_t> queryNumber(const std::string& target, const std::string& name, std::int64_t fallback)
{
    const auto q = target.find('?');
    if (q == std::string::npos) {
        return fallback;
    }
    std::string_view query(target);
    query.remove_prefix(q + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            const auto text = pair.substr(eq + 1);
            std::int64_t value = 0;
            auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (ec != std::errc() || ptr != text.data() + text.size()) {
                return std::nullopt;
            }
            return value;
        }
        if (amp == std::string_view::npos) {
            break;
        }
        query.remove_prefix(amp + 1);
    }
    return fallback;
}

void copyOutcome(const IntakeResult& from, protocol::RecordResult& to)
{
    to.status = from.status;
    to.receivedAt = from.receivedAt;
    to.flags = from.flags;
    to.code = from.code;
    to.reason = from.reason;
    to.field = from.field;
}

std::string pathOf(const std::string& target)
{
    return target.substr(0, target.find('?'));
}

// The routes that need an enrolled tablet's certificate, with their method.
const std::vector<std::pair<std::string, std::string>> kDeviceRoutes{
    {"/v1/status", "GET"},    {"/v1/challenges", "POST"}, {"/v1/records", "POST"}, {"/v1/feed", "GET"},
    {"/v1/precheck", "POST"}, {"/v1/requery", "POST"},    {"/v1/medinfo", "POST"}, {"/v1/renew", "POST"}};

bool isJobPath(const std::string& path)
{
    return path.rfind("/v1/jobs/", 0) == 0;
}

bool isDeviceRoute(const std::string& path)
{
    return isJobPath(path) || std::any_of(kDeviceRoutes.begin(), kDeviceRoutes.end(),
                                          [&](const auto& route) { return route.first == path; });
}

// The route's name in metrics and logs ("records", "jobs").
std::string routeOf(const std::string& path)
{
    return isJobPath(path) ? "jobs" : path.substr(4);
}

} // namespace

const std::vector<std::pair<std::string, std::string>>& GatewayService::routes()
{
    static const auto all = [] {
        std::vector<std::pair<std::string, std::string>> out{
            {"/healthz", "GET"}, {"/metrics", "GET"}, {"/v1/enroll", "POST"}, {"/v1/jobs/{id}", "GET"}};
        out.insert(out.end(), kDeviceRoutes.begin(), kDeviceRoutes.end());
        return out;
    }();
    return all;
}

HttpResponse GatewayService::handle(const HttpRequest& request, const transport::RequestContext& context)
{
    const auto started = std::chrono::steady_clock::now();
    struct InFlight // counted down however dispatch ends
    {
        std::atomic<std::int64_t>& gauge;
        explicit InFlight(std::atomic<std::int64_t>& g)
            : gauge(g)
        {
            ++gauge;
        }
        ~InFlight() { --gauge; }
    } inFlight(m_deps.metrics.inFlight());
    std::string route = "unknown";
    std::string deviceId;
    HttpResponse response = dispatch(request, context, route, deviceId);
    observe(route, response, deviceId, context, started);
    return response;
}

void GatewayService::observe(const std::string& route,
                             const HttpResponse& response,
                             const std::string& deviceId,
                             const transport::RequestContext& context,
                             std::chrono::steady_clock::time_point started)
{
    const auto latency = std::chrono::steady_clock::now() - started;
    m_deps.metrics.observeRequest(route, response.status, latency);
    m_deps.log.request({{"route", route},
                        {"status", response.status},
                        {"device", deviceId},
                        {"remote", context.remoteAddress},
                        {"ms", std::chrono::duration<double, std::milli>(latency).count()}});
}

transport::Admission GatewayService::admit(const HttpRequest& head, const transport::RequestContext& context)
{
    const std::string path = pathOf(head.target);
    transport::Admission admission;
    if (!isDeviceRoute(path)) {
        // /healthz and /metrics take no body; enrollment a code and a CSR.
        admission.maxBodyBytes = path == "/v1/enroll" ? m_deps.maxUnauthenticatedBodyBytes : 0;
        return admission;
    }
    admission.maxBodyBytes = m_deps.maxUnauthenticatedBodyBytes;
    const auto started = std::chrono::steady_clock::now();
    std::optional<DeviceRecord> device;
    if (context.peer.verified && !context.peer.serialHex.empty()) {
        auto known = admittedDevice(context.peer.serialHex);
        if (!known) {
            return admission; // storage trouble: the handler answers 503 from the small body
        }
        device = std::move(*known);
    }
    if (auto refusal = deviceRefusal(context, device)) {
        observe(routeOf(path), *refusal, device ? device->id : std::string(), context, started);
        noteAuthRefused(routeOf(path), refusal->status, context);
        admission.refusal = std::move(refusal);
        return admission;
    }
    admission.trusted = true;
    admission.maxBodyBytes = m_deps.maxBodyBytes;
    return admission;
}

Expected<std::optional<DeviceRecord>, Error> GatewayService::admittedDevice(const std::string& serialHex)
{
    constexpr auto kFresh = std::chrono::seconds(5);
    constexpr std::size_t kMaxEntries = 4096; // serials of our own CA: bounded by the devices enrolled
    const auto now = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(m_admittedMutex);
        if (auto it = m_admitted.find(serialHex); it != m_admitted.end() && it->second.until > now) {
            return it->second.device;
        }
    }
    auto device = m_deps.storage.deviceByCertificate(serialHex);
    if (!device) {
        return Unexpected(device.error());
    }
    std::lock_guard lock(m_admittedMutex);
    if (m_admitted.size() >= kMaxEntries) {
        m_admitted.clear();
    }
    m_admitted[serialHex] = {*device, now + kFresh};
    return std::move(*device);
}

void GatewayService::noteAuthRefused(const std::string& route, int status, const transport::RequestContext& context)
{
    m_deps.metrics.countAuthRefused();
    // A line per refusal, a few a minute per address at most: a flood is counted, not logged.
    std::chrono::seconds retry{};
    if (m_deps.enrollLimiter.allow("auth-log|" + context.remoteAddress, retry)) {
        m_deps.log.warn("auth.refused", {{"route", route},
                                         {"status", status},
                                         {"remote", context.remoteAddress},
                                         {"certificate_serial", context.peer.serialHex}});
    }
}

std::optional<HttpResponse> GatewayService::overBudget(const DeviceRecord& device, double cost)
{
    std::chrono::seconds retry{};
    if (cost <= 0.0 || m_deps.limiter.allow(device.id, retry, cost)) {
        return std::nullopt;
    }
    m_deps.metrics.countRateLimited();
    auto out = problem(429, Errc::Rejected, "too many requests from this device; slow down");
    out.headers.emplace_back("Retry-After", std::to_string(retry.count()));
    return out;
}

std::optional<HttpResponse> GatewayService::deviceRefusal(const transport::RequestContext& context,
                                                          const std::optional<DeviceRecord>& device) const
{
    if (!context.peer.verified || context.peer.serialHex.empty()) {
        return problem(401, Errc::Unauthorized, "a device certificate is required: enroll the tablet first");
    }
    if (!device) {
        return problem(403, Errc::Unauthorized, "this device certificate is not registered");
    }
    if (device->revokedAt) {
        return problem(403, Errc::Unauthorized, "this device was revoked on " + device->revokedAt->toString());
    }
    if (device->certificateRetired) {
        return problem(403, Errc::Unauthorized,
                       "this certificate was replaced by a renewed one: use the certificate the gateway issued last");
    }
    return std::nullopt;
}

HttpResponse GatewayService::dispatch(const HttpRequest& request,
                                      const transport::RequestContext& context,
                                      std::string& route,
                                      std::string& deviceId)
{
    const std::string path = pathOf(request.target);
    const bool get = request.method == "GET";
    const bool post = request.method == "POST";
    if (path == "/healthz" && get) {
        route = "healthz";
        return healthz();
    }
    if (path == "/metrics" && get) {
        route = "metrics";
        if (m_deps.metricsNeedCertificate) {
            // A certificate of our CA that is not a tablet's: only `monitor-cert` issues those.
            if (!context.peer.verified || context.peer.serialHex.empty()) {
                return problem(401, Errc::Unauthorized, "/metrics needs the monitoring client certificate");
            }
            auto device = m_deps.storage.deviceByCertificate(context.peer.serialHex);
            if (!device) {
                return unavailable(device.error());
            }
            if (*device) {
                return problem(403, Errc::Unauthorized, "a tablet's certificate does not open /metrics");
            }
        }
        const auto samples = m_deps.gauges ? m_deps.gauges() : std::vector<MetricSample>{};
        return HttpResponse{200, Metrics::kContentType, m_deps.metrics.render(samples), {}};
    }
    if (path == "/v1/enroll" && post) {
        route = "enroll";
        std::chrono::seconds retry{};
        if (!m_deps.enrollLimiter.allow(context.remoteAddress, retry)) {
            m_deps.metrics.countRateLimited();
            auto out = problem(429, Errc::Rejected, "too many enrollment attempts; wait and try again");
            out.headers.emplace_back("Retry-After", std::to_string(retry.count()));
            return out;
        }
        return enroll(request);
    }
    const bool jobPath = isJobPath(path);
    bool knownPath = false;
    for (const auto& [p, method] : kDeviceRoutes) {
        if (p == path) {
            knownPath = true;
            route = routeOf(path);
            if (method != request.method) {
                return problem(405, Errc::ProtocolViolation, path + " takes " + method);
            }
        }
    }
    if (jobPath) {
        knownPath = true;
        route = "jobs";
        if (!get) {
            return problem(405, Errc::ProtocolViolation, "/v1/jobs/<id> takes GET");
        }
    }
    if (!knownPath) {
        return problem(404, Errc::ProtocolViolation, "no such endpoint: " + path);
    }
    // mTLS: every device route needs a certificate our CA issued (TLS verified it) for a device
    // that is enrolled and not revoked (admit() refused the others already; this is per request).
    Expected<std::optional<DeviceRecord>, Error> device{std::nullopt};
    if (context.peer.verified && !context.peer.serialHex.empty()) {
        device = m_deps.storage.deviceByCertificate(context.peer.serialHex);
        if (!device) {
            return unavailable(device.error());
        }
    }
    if (*device) {
        deviceId = (*device)->id;
    }
    if (auto refusal = deviceRefusal(context, *device)) {
        noteAuthRefused(route, refusal->status, context);
        return std::move(*refusal);
    }
    if (auto limited = overBudget(**device, 1.0)) {
        return std::move(*limited);
    }
    noteSighting(request, context, **device, std::nullopt);
    if (route == "renew") {
        return renew(request, **device);
    }
    if (route == "status") {
        return status(**device);
    }
    if (route == "challenges") {
        return challenges(request, **device);
    }
    if (route == "records") {
        return records(request, **device);
    }
    if (route == "feed") {
        return feed(request, context, **device);
    }
    if (route == "requery") {
        return requery(request, **device);
    }
    if (route == "medinfo") {
        return medicalInfo(request, **device);
    }
    if (route == "jobs") {
        return job(path.substr(std::string("/v1/jobs/").size()), **device);
    }
    return precheck(request, **device);
}

HttpResponse GatewayService::healthz()
{
    auto epoch = m_deps.storage.epoch();
    if (!epoch) {
        return json(503, {{"status", "unavailable"}, {"reason", epoch.error().message}});
    }
    return json(200, {{"status", "ok"}, {"epoch", *epoch}, {"backend", m_deps.storage.backend()}});
}

HttpResponse GatewayService::enroll(const HttpRequest& request)
{
    auto message = protocol::parseEnrollRequest(request.body);
    if (!message) {
        return badRequest(message.error());
    }
    const auto now = m_deps.clock.nowJst();
    // The code first: nothing is signed for a stranger (the use of the code and the device's
    // registration are still one transaction below, so two racing enrollments cannot both win).
    auto secret = protocol::EnrollmentCode::parseSecret(message->code);
    auto usable =
        secret ? m_deps.storage.enrollmentCodeUsable(base::sha256Hex(*secret), now) : Expected<bool, Error>(false);
    if (!usable) {
        return unavailable(usable.error());
    }
    if (!*usable) {
        m_deps.metrics.countAuthRefused();
        m_deps.log.warn("enroll.refused", {{"reason", "unknown, used or expired code"}});
        return problem(403, Errc::Unauthorized, "the enrollment code is unknown, already used or expired", "code");
    }
    std::vector<std::uint8_t> idBytes(8);
    m_deps.random.fill(idBytes);
    DeviceRecord device;
    device.id = "d-" + base::sha256Hex(std::string(idBytes.begin(), idBytes.end())).substr(0, 16);
    device.label = message->label;
    device.signingKeyHex = message->signingKeyHex;
    device.appVersion = message->appVersion;
    auto issued = m_deps.pki.issueDeviceCertificate(message->csrPem, device.id, now, m_deps.random);
    if (!issued) {
        return badRequest(issued.error());
    }
    m_deps.metrics.countCertificateIssued();
    device.certificateSerial = issued->serialHex;
    if (auto done = m_deps.storage.enroll(base::sha256Hex(*secret), device, now); !done) {
        if (done.error().code == Errc::Unauthorized) {
            m_deps.log.warn("enroll.refused", {{"reason", done.error().message}});
            return problem(403, Errc::Unauthorized, done.error().message, "code");
        }
        return unavailable(done.error());
    }
    auto epoch = m_deps.storage.epoch();
    if (!epoch) {
        return unavailable(epoch.error());
    }
    m_deps.log.info("device.enrolled", {{"device", device.id}, {"label", device.label}});
    return json(
        200, protocol::toJson(protocol::EnrollResponse{device.id, issued->certificatePem, m_deps.pki.caPem(), *epoch}));
}

std::optional<std::pair<std::int64_t, std::optional<base::Timestamp>>> parseOutboxHeader(const std::string& value)
{
    const auto space = value.find(' ');
    const std::string count = value.substr(0, space);
    std::int64_t queued = 0;
    const auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), queued);
    if (count.empty() || count.size() > 9 || ec != std::errc() || end != count.data() + count.size() || queued < 0) {
        return std::nullopt;
    }
    if (space == std::string::npos) {
        return std::make_pair(queued, std::optional<base::Timestamp>());
    }
    auto oldest = base::Timestamp::parse(value.substr(space + 1));
    if (!oldest) {
        return std::nullopt;
    }
    return std::make_pair(queued, std::optional<base::Timestamp>(*oldest));
}

void GatewayService::noteSighting(const HttpRequest& request,
                                  const transport::RequestContext& context,
                                  const DeviceRecord& device,
                                  std::optional<std::int64_t> feedSeq)
{
    const auto now = m_deps.clock.nowJst();
    if (device.otherOpenCertificates > 0 && context.peer.serialHex == device.certificateSerial) {
        if (auto done = m_deps.storage.retireOtherCertificates(device.id, device.certificateSerial, now); !done) {
            m_deps.log.error("device.retire_failed", {{"device", device.id}, {"reason", done.error().message}});
        }
    }
    DeviceSighting sighting{device.id, now, std::nullopt, std::nullopt, std::nullopt};
    if (auto outbox = parseOutboxHeader(request.header("zaitaku-outbox"))) {
        sighting.backlog = outbox->first;
        sighting.backlogSince = outbox->second;
    }
    sighting.feedSeq = feedSeq;
    const auto steady = std::chrono::steady_clock::now();
    {
        std::lock_guard guard(m_sightingsMutex);
        auto& last = m_sightings[device.id];
        const bool changed = (sighting.backlog && sighting.backlog != last.backlog) ||
                             (sighting.feedSeq && sighting.feedSeq != last.feedSeq);
        if (!changed && last.written != std::chrono::steady_clock::time_point{} &&
            steady - last.written < std::chrono::minutes(1)) {
            return;
        }
        last.written = steady;
        last.backlog = sighting.backlog ? sighting.backlog : last.backlog;
        last.feedSeq = sighting.feedSeq ? sighting.feedSeq : last.feedSeq;
    }
    if (auto done = m_deps.storage.noteSighting(sighting); !done) {
        m_deps.log.error("device.sighting_failed", {{"device", device.id}, {"reason", done.error().message}});
    }
}

HttpResponse GatewayService::renew(const HttpRequest& request, const DeviceRecord& device)
{
    auto message = protocol::parseRenewRequest(request.body);
    if (!message) {
        return badRequest(message.error());
    }
    // A signature and a durable write: a tablet renews a few times in its life, a loop pays for it.
    if (auto limited = overBudget(device, 9.0)) {
        return std::move(*limited);
    }
    const auto now = m_deps.clock.nowJst();
    auto issued = m_deps.pki.issueDeviceCertificate(message->csrPem, device.id, now, m_deps.random);
    if (!issued) {
        return badRequest(issued.error());
    }
    m_deps.metrics.countCertificateIssued();
    if (auto done =
            m_deps.storage.renewDevice({device.id, device.certificateSerial, issued->serialHex, issued->notAfter}, now);
        !done) {
        return done.error().code == Errc::Unauthorized ? problem(403, Errc::Unauthorized, done.error().message)
                                                       : unavailable(done.error());
    }
    m_deps.log.info(
        "device.renewed",
        {{"device", device.id}, {"certificate_serial", issued->serialHex}, {"not_after", issued->notAfter.toString()}});
    return json(200, protocol::toJson(protocol::RenewResponse{issued->certificatePem, issued->notAfter}));
}

HttpResponse GatewayService::status(const DeviceRecord& device)
{
    auto epoch = m_deps.storage.epoch();
    if (!epoch) {
        return unavailable(epoch.error());
    }
    return json(200, protocol::toJson(protocol::StatusResponse{*epoch, device.id, m_deps.clock.nowJst()}));
}

HttpResponse GatewayService::challenges(const HttpRequest& request, const DeviceRecord& device)
{
    auto message = protocol::parseChallengeRequest(request.body);
    if (!message) {
        return badRequest(message.error());
    }
    // One signature per challenge: a batch costs its count (the request itself paid one).
    if (auto limited = overBudget(device, static_cast<double>(message->count) - 1.0)) {
        return std::move(*limited);
    }
    protocol::ChallengeBatch batch;
    batch.serverTime = m_deps.clock.nowJst();
    for (std::int64_t i = 0; i < message->count; ++i) {
        batch.challenges.push_back(m_deps.challenges.issue(device.id, batch.serverTime, m_deps.random));
    }
    return json(200, protocol::toJson(batch));
}

HttpResponse GatewayService::records(const HttpRequest& request, const DeviceRecord& device)
{
    // Security review M8: what a tablet makes the gateway keep for ever is bounded per hour; the
    // refused batch stays queued on the tablet (Retry-After), nothing is lost.
    if (std::chrono::seconds retry{};
        !m_deps.recordBytes.allow(device.id, retry, static_cast<double>(request.body.size()))) {
        m_deps.metrics.countRateLimited();
        m_deps.log.warn("records.quota", {{"device", device.id}, {"bytes", request.body.size()}});
        auto out = problem(429, Errc::Rejected, "this tablet sent more record data this hour than the gateway allows");
        out.headers.emplace_back("Retry-After", std::to_string(std::max<long>(retry.count(), 1)));
        return out;
    }
    auto message = protocol::parseRecordsRequest(request.body);
    if (!message) {
        return badRequest(message.error());
    }
    const auto now = m_deps.clock.nowJst();
    auto response = accept(*message, device, now, {});
    if (!response) {
        return unavailable(response.error());
    }
    bool allConflict = !response->results.empty();
    for (const auto& r : response->results) {
        allConflict = allConflict && r.status == protocol::RecordStatus::Conflict;
    }
    return json(allConflict ? 409 : 200, protocol::toJson(*response));
}

Expected<protocol::RecordsResponse, Error> GatewayService::importRecords(
    const std::vector<protocol::RecordEnvelope>& records, const DeviceRecord& device, const base::Timestamp& sealedAt)
{
    protocol::RecordsRequest message;
    message.deviceTime = m_deps.clock.nowJst();
    message.records = records;
    return accept(message, device, sealedAt, {"operator_import"});
}

Expected<protocol::RecordsResponse, Error> GatewayService::accept(const protocol::RecordsRequest& request,
                                                                  const DeviceRecord& device,
                                                                  const base::Timestamp& checkedAt,
                                                                  const std::vector<std::string>& extraFlags)
{
    const protocol::RecordsRequest* message = &request;
    // Its earlier enrollments' challenges are its own (security review M7).
    DeviceRecord sender = device;
    auto earlier = m_deps.storage.earlierEnrollments(device);
    if (!earlier) {
        return Unexpected(earlier.error());
    }
    sender.earlierIds = std::move(*earlier);
    const auto now = m_deps.clock.nowJst();
    protocol::RecordsResponse response;
    response.serverTime = now;
    response.skewSeconds = (message->deviceTime.utc() - now.utc()).count();
    const bool skewed = std::abs(response.skewSeconds) > m_deps.validator.policy().skewTolerance.count();
    if (skewed) {
        m_deps.log.warn("clock.skew", {{"device", device.id}, {"skew_seconds", response.skewSeconds}});
    }
    // Security review H1: a tablet writes only about the patients assigned to it. A record about
    // anyone else is refused, per record, before it has any effect (no care state, no OQS query,
    // no feed item, no re-query key); it stays on the tablet as a dead letter naming the reason,
    // and is sent again once the operator assigns the patient (`roster assign`, audited).
    auto roster = m_deps.storage.assignedPatients(device.id);
    if (!roster) {
        return Unexpected(roster.error());
    }
    const std::set<std::string> assigned(roster->begin(), roster->end());
    std::vector<IntakeRequest> accepted;
    std::vector<std::size_t> acceptedIndex;
    std::vector<std::vector<CardQuery>> acceptedQueries;
    std::vector<std::vector<RevisitQuery>> acceptedRevisits;
    response.results.resize(message->records.size());
    for (std::size_t i = 0; i < message->records.size(); ++i) {
        const auto& rec = message->records[i];
        auto& result = response.results[i];
        result.idemKey = rec.idemKey;
        // A key seen before is answered from what was stored, never re-validated: a resend after
        // the challenge expired must still be acknowledged.
        auto known = m_deps.storage.findRecord(device.id, rec.idemKey);
        if (!known) {
            return Unexpected(known.error());
        }
        if (*known) {
            copyOutcome(answerForKnownKey(**known, rec.payloadSha256), result);
            continue;
        }
        auto verdict = m_deps.validator.validate(rec, sender, checkedAt);
        if (!verdict) {
            result.status = protocol::RecordStatus::Rejected;
            result.code = std::string(base::toCode(verdict.error().code));
            result.reason = verdict.error().message;
            result.field = verdict.error().field;
            if (verdict.error().code == Errc::SignatureInvalid) {
                m_deps.metrics.countRejectedSignature();
            }
            m_deps.log.warn("record.rejected", {{"device", device.id},
                                                {"idempotency_key", rec.idemKey},
                                                {"code", result.code},
                                                {"field", result.field},
                                                {"reason", result.reason}});
            continue;
        }
        if (!assigned.count(verdict->patientId)) {
            result.status = protocol::RecordStatus::Rejected;
            result.code = "not_assigned";
            result.reason = "patient " + verdict->patientId +
                            " is not assigned to this tablet: the facility's operator assigns them "
                            "(zaitaku-gateway roster assign), then the record can be sent again";
            result.field = "patient_id";
            m_deps.log.warn("record.rejected", {{"device", device.id},
                                                {"idempotency_key", rec.idemKey},
                                                {"code", result.code},
                                                {"field", result.field}});
            continue;
        }
        IntakeRequest intake;
        intake.deviceId = device.id;
        intake.record = rec;
        intake.receivedAt = now;
        intake.deviceTime = message->deviceTime;
        intake.flags = std::move(verdict->flags);
        if (skewed) {
            intake.flags.push_back("clock_skew");
        }
        intake.flags.insert(intake.flags.end(), extraFlags.begin(), extraFlags.end());
        intake.challengeIds = std::move(verdict->challengeIds);
        intake.feed = std::move(verdict->feed);
        intake.careStarts = std::move(verdict->careStarts);
        intake.patientId = verdict->patientId;
        intake.derived = std::move(verdict->derived);
        intake.medicalConsents = std::move(verdict->medicalConsents);
        // Security review M3: each card query is a request at the national system under the
        // facility's code; past a day's budget the visit is kept, flagged, and not asked about.
        if (std::chrono::seconds retry{};
            !verdict->cardQueries.empty() &&
            !m_deps.firstVisitQueries.allow(device.id, retry, static_cast<double>(verdict->cardQueries.size()))) {
            intake.flags.push_back("oqs_budget_exceeded");
            verdict->cardQueries.clear();
            m_deps.metrics.countRateLimited();
            m_deps.log.warn("oqs.budget_exceeded", {{"device", device.id}, {"idempotency_key", rec.idemKey}});
        }
        acceptedQueries.push_back(std::move(verdict->cardQueries));
        // A revisit R7 does not let the gateway re-query (its care unknown here, ended …) is said
        // in the record's answer, so the tablet's route asks for the card instead of waiting.
        std::vector<RevisitQuery> revisits;
        for (auto& query : verdict->revisitQueries) {
            const auto refused =
                m_deps.eligibility
                    ? m_deps.eligibility->requeryRefusal({query.patientId, query.serviceKind, query.visitDate})
                    : std::nullopt;
            if (refused && refused->reason != "gateway_unavailable") { // a read failure: ask anyway
                intake.flags.push_back("requery_refused:" + refused->reason);
            } else {
                revisits.push_back(std::move(query));
            }
        }
        acceptedRevisits.push_back(std::move(revisits));
        accepted.push_back(std::move(intake));
        acceptedIndex.push_back(i);
    }
    if (!accepted.empty()) {
        auto stored = m_deps.storage.intakeBatch(accepted);
        if (!stored) {
            m_deps.log.error("intake.failed", {{"device", device.id}, {"reason", stored.error().message}});
            return Unexpected(stored.error());
        }
        for (std::size_t k = 0; k < stored->size(); ++k) {
            const auto& s = (*stored)[k];
            copyOutcome(s, response.results[acceptedIndex[k]]);
            if (s.status == protocol::RecordStatus::Rejected) {
                m_deps.metrics.countRejectedSignature();
            }
            // Committed: now (and only now) the first online confirmation is asked of OQS.
            if (s.status == protocol::RecordStatus::Stored && m_deps.eligibility) {
                for (const auto& query : acceptedQueries[k]) {
                    m_deps.eligibility->firstVisit(query);
                }
                for (const auto& query : acceptedRevisits[k]) {
                    m_deps.eligibility->revisit(query);
                }
            }
        }
    }
    for (const auto& r : response.results) {
        m_deps.metrics.countRecord(std::string(base::toCode(r.status)));
    }
    auto epoch = m_deps.storage.epoch();
    if (!epoch) {
        return Unexpected(epoch.error());
    }
    response.epoch = *epoch;
    return response;
}

bool GatewayService::audited(const DeviceRecord& device,
                             const std::string& route,
                             const std::vector<std::string>& patientIds)
{
    if (auto done = m_deps.storage.recordAudit(readAudit(device.id, route, patientIds), m_deps.clock.nowJst()); !done) {
        m_deps.log.error("audit.failed", {{"device", device.id}, {"route", route}, {"reason", done.error().message}});
        return false;
    }
    return true;
}

HttpResponse
GatewayService::feed(const HttpRequest& request, const transport::RequestContext& context, const DeviceRecord& device)
{
    const auto after = queryNumber(request.target, "after", 0);
    const auto limit = queryNumber(request.target, "limit", 100);
    if (!after || *after < 0) {
        return problem(400, Errc::ProtocolViolation, "query 'after' must be a non-negative integer", "after");
    }
    if (!limit || *limit < 1 || *limit > static_cast<std::int64_t>(protocol::kMaxFeedPage)) {
        return problem(400, Errc::ProtocolViolation,
                       "query 'limit' must be between 1 and " + std::to_string(protocol::kMaxFeedPage), "limit");
    }
    // One more than asked tells whether another page follows.
    auto items = m_deps.storage.feedFor(device.id, *after, static_cast<std::size_t>(*limit) + 1);
    if (!items) {
        return unavailable(items.error());
    }
    auto epoch = m_deps.storage.epoch();
    if (!epoch) {
        return unavailable(epoch.error());
    }
    protocol::FeedPage page;
    page.epoch = *epoch;
    page.more = items->size() > static_cast<std::size_t>(*limit);
    if (page.more) {
        items->pop_back();
    }
    page.items = std::move(*items);
    page.next = page.items.empty() ? *after : page.items.back().seq;
    if (page.next > *after) {
        // How far the feed was delivered (a page is applied whole, or asked for again).
        noteSighting(request, context, device, page.next);
    }
    if (!page.items.empty()) {
        std::vector<std::string> patients;
        for (const auto& item : page.items) {
            if (std::find(patients.begin(), patients.end(), item.patientId) == patients.end()) {
                patients.push_back(item.patientId);
            }
        }
        if (!audited(device, "feed", patients)) {
            return problem(503, Errc::StoreIo, "the gateway cannot audit this read right now; try again");
        }
    }
    return json(200, protocol::toJson(page));
}

std::vector<std::string>
GatewayService::flagsFor(const SnapshotRow& row, const base::Date& date, const std::optional<base::Date>& expiry)
{
    const auto key = std::make_pair(row.seq, date.toString() + (expiry ? expiry->toString() : std::string()));
    {
        std::lock_guard lock(m_flagsMutex);
        if (auto it = m_flags.find(key); it != m_flags.end()) {
            return it->second;
        }
    }
    const auto snapshot = protocol::snapshotFromJson(base::parseJson(row.json));
    auto flags = rules::precheckFlags(snapshot ? &*snapshot : nullptr, row.receivedAt.localDate(), date, expiry);
    if (!snapshot) {
        std::replace(flags.begin(), flags.end(), std::string("no_result"), std::string("result_unreadable"));
    }
    std::lock_guard lock(m_flagsMutex);
    if (m_flags.size() > 100000) {
        m_flags.clear(); // bounded: a day's routes fit many times over
    }
    m_flags.emplace(key, flags);
    return flags;
}

HttpResponse GatewayService::precheck(const HttpRequest& request, const DeviceRecord& device)
{
    auto message = protocol::parsePrecheckRequest(request.body);
    if (!message) {
        return badRequest(message.error());
    }
    // Today's and tomorrow's routes only: a pre-check is the morning's (or the evening before's)
    // look at the day; any other date would be a bulk OQS request nobody needs.
    const auto today = m_deps.clock.nowJst().localDate();
    if (message->date != today && message->date != today.addDays(1)) {
        return problem(400, Errc::ProtocolViolation, "a pre-check is for today (" + today.toString() + ") or tomorrow",
                       "date");
    }
    // Security review M8: each patient is read once however often it is listed, and a pre-check
    // costs the device one token a patient (the request itself paid one).
    {
        std::set<std::string> seen;
        std::erase_if(message->patientIds, [&](const std::string& p) { return !seen.insert(p).second; });
    }
    if (auto limited = overBudget(device, static_cast<double>(message->patientIds.size()) - 1.0)) {
        return std::move(*limited);
    }
    auto roster = m_deps.storage.assignedPatients(device.id);
    if (!roster) {
        return unavailable(roster.error());
    }
    std::sort(roster->begin(), roster->end()); // byte order, whatever the database's collation
    const auto isAssigned = [&](const std::string& patientId) {
        return std::binary_search(roster->begin(), roster->end(), patientId);
    };
    std::vector<std::string> assigned;
    std::copy_if(message->patientIds.begin(), message->patientIds.end(), std::back_inserter(assigned), isAssigned);
    // Nothing about a patient disclosed, nothing to audit (an empty pre-check is no read).
    if (!assigned.empty() && !audited(device, "precheck", assigned)) {
        return problem(503, Errc::StoreIo, "the gateway cannot audit this read right now; try again");
    }
    // F3: one bulk request for the patients whose cached result is not for this day — as a job;
    // this answer never waits for it. A refresh that failed minutes ago is not asked again at once.
    std::set<std::string> pending;
    std::set<std::string> unanswered;
    std::optional<std::string> jobId;
    if (m_deps.eligibility && !assigned.empty()) {
        auto& jobs = m_deps.eligibility->jobs();
        std::vector<std::string> ask;
        for (const auto& id : m_deps.eligibility->needingRefresh(assigned, message->date)) {
            if (jobs.recentlyFailed(message->date, id)) {
                unanswered.insert(id);
            } else {
                pending.insert(id);
                ask.push_back(id);
            }
        }
        if (!ask.empty()) {
            jobId = jobs.precheck(device.id, message->date, ask);
        }
    }
    // Written by hand around the stored JSON text: the results are passed on as stored, never
    // parsed and re-encoded (the shape is protocol::PrecheckResponse).
    std::string body = R"({"patients":[)";
    for (std::size_t i = 0; i < message->patientIds.size(); ++i) {
        const auto& patientId = message->patientIds[i];
        if (!isAssigned(patientId)) {
            // Another tablet's patient: not even whether a result exists is told.
            body += i ? ",{" : "{";
            body += R"("flags":["not_assigned"],"patient_id":)" + protocol::dump(patientId);
            body += R"(,"received_at":null,"snapshot":null})";
            continue;
        }
        auto latest = m_deps.storage.latestSnapshot(patientId);
        if (!latest) {
            return unavailable(latest.error());
        }
        auto key = m_deps.storage.requeryKey(patientId);
        if (!key) {
            return unavailable(key.error());
        }
        const auto expiry = *key ? (*key)->certificateExpiry : std::nullopt;
        auto flags = *latest ? flagsFor(**latest, message->date, expiry)
                             : rules::precheckFlags(nullptr, std::nullopt, message->date, expiry);
        if (unanswered.count(patientId)) {
            flags.push_back("oqs_unavailable");
        }
        if (pending.count(patientId)) {
            flags.push_back("oqs_pending");
        }
        body += i ? ",{" : "{";
        body += R"("flags":)" + protocol::dump(flags);
        body += R"(,"patient_id":)" + protocol::dump(patientId);
        body += R"(,"received_at":)" + (*latest ? protocol::dump((*latest)->receivedAt.toString()) : "null");
        body += R"(,"snapshot":)" + (*latest ? (*latest)->json : "null");
        body += "}";
    }
    body += "]";
    if (jobId) {
        body += R"(,"job":)" + protocol::dump(*jobId);
    }
    body += R"(,"server_time":)" + protocol::dump(m_deps.clock.nowJst().toString()) + "}";
    return HttpResponse{200, "application/json", std::move(body), {}};
}

// The refusal when `patientId` is not on the device's roster (403) or the roster cannot be read.
std::optional<HttpResponse>
GatewayService::unassigned(const DeviceRecord& device, const std::string& patientId, const char* route)
{
    auto roster = m_deps.storage.assignedPatients(device.id);
    if (!roster) {
        return unavailable(roster.error());
    }
    if (std::find(roster->begin(), roster->end(), patientId) == roster->end()) {
        m_deps.log.warn(std::string(route) + ".refused", {{"device", device.id}, {"reason", "not_assigned"}});
        return problem(403, Errc::Unauthorized, "this patient is not assigned to this tablet", "patient_id");
    }
    return std::nullopt;
}

HttpResponse GatewayService::requery(const HttpRequest& request, const DeviceRecord& device)
{
    auto message = protocol::parseRequeryRequest(request.body);
    if (!message) {
        return badRequest(message.error());
    }
    if (auto refused = unassigned(device, message->patientId, "requery")) {
        return *refused;
    }
    if (!audited(device, "requery", {message->patientId})) {
        return problem(503, Errc::StoreIo, "the gateway cannot audit this read right now; try again");
    }
    if (!m_deps.eligibility) {
        protocol::RequeryResponse off;
        off.reason = "oqs_not_configured";
        off.reasonJa = "ゲートウェイにオンライン資格確認の接続が設定されていません。カードで確認してください";
        return json(200, protocol::toJson(off));
    }
    if (auto refused = m_deps.eligibility->requeryRefusal(*message)) {
        return json(200, protocol::toJson(*refused));
    }
    // Allowed: OQS answers on the job's thread; the tablet polls /v1/jobs/<id> for the result.
    EligibilityService* eligibility = m_deps.eligibility;
    const protocol::RequeryRequest asked = *message;
    protocol::RequeryResponse waiting;
    waiting.allowed = true;
    waiting.cardReadNeeded = false;
    waiting.reason = "oqs_pending";
    waiting.reasonJa = "オンライン資格確認に再照会しています";
    waiting.flags = {"oqs_pending"};
    const std::string key = asked.patientId + "|" + asked.serviceKind + "|" + asked.date.toString();
    GatewayStorage& storage = m_deps.storage;
    const std::string serial = device.certificateSerial;
    auto jobId = eligibility->jobs().requery(device.id, asked.patientId, key, [eligibility, asked, &storage, serial] {
        // Security review M3: a tablet revoked while its re-query waited asks nothing more of OQS.
        auto current = storage.deviceByCertificate(serial);
        if (!current || !*current || (*current)->revokedAt) {
            protocol::RequeryResponse refused;
            refused.reason = "device_revoked";
            refused.reasonJa = "この端末は失効しています";
            return protocol::toJson(refused);
        }
        return protocol::toJson(eligibility->requery(asked));
    });
    if (!jobId) {
        // Security review M3: each re-query is a real request at the national system under the
        // facility's code; a device with 20 waiting gets no 21st.
        m_deps.metrics.countRateLimited();
        m_deps.log.warn("requery.limited", {{"device", device.id}});
        auto out = problem(429, Errc::Rejected, "too many re-queries waiting for this device; wait for their answers");
        out.headers.emplace_back("Retry-After", "30");
        return out;
    }
    waiting.jobId = std::move(*jobId);
    return json(200, protocol::toJson(waiting));
}

// Issue 33: a patient's 薬剤・特定健診 information for a staff member of this tablet (MedicalInfoService
// decides what may be asked and shown; each read is audited there with the staff member's id).
HttpResponse GatewayService::medicalInfo(const HttpRequest& request, const DeviceRecord& device)
{
    auto message = protocol::parseMedicalInfoQuery(request.body);
    if (!message) {
        return badRequest(message.error());
    }
    if (auto refused = unassigned(device, message->patientId, "medinfo")) {
        return *refused;
    }
    if (!m_deps.medicalInfo) {
        return json(200, protocol::toJson(
                             protocol::MedicalInfoAnswer{false,
                                                         "oqs_not_configured",
                                                         "ゲートウェイにオンライン資格確認の接続が設定されていません",
                                                         {},
                                                         std::nullopt}));
    }
    auto answer = m_deps.medicalInfo->answer(*message, device.id);
    if (answer.reason == "oqs_busy") {
        m_deps.metrics.countRateLimited();
        auto out = problem(429, Errc::Rejected, "too many OQS requests waiting for this device; try again later");
        out.headers.emplace_back("Retry-After", "30");
        return out;
    }
    return json(200, protocol::toJson(answer));
}

HttpResponse GatewayService::job(const std::string& id, const DeviceRecord& device)
{
    auto found = m_deps.eligibility ? m_deps.eligibility->jobs().find(id, device.id) : std::nullopt;
    if (!found) {
        return problem(404, Errc::ProtocolViolation, "no such job for this device: " + id, "id");
    }
    // Security review L12: a result is for the patients assigned now, not when it was asked.
    auto roster = m_deps.storage.assignedPatients(device.id);
    if (!roster) {
        return unavailable(roster.error());
    }
    const auto assigned = [&](const std::string& p) {
        return std::find(roster->begin(), roster->end(), p) != roster->end();
    };
    if (found->kind != "precheck" && !std::all_of(found->patients.begin(), found->patients.end(), assigned)) {
        return problem(404, Errc::ProtocolViolation, "no such job for this device: " + id, "id");
    }
    if (found->result.contains("unanswered")) {
        auto& unanswered = found->result["unanswered"];
        unanswered.erase(
            std::remove_if(unanswered.begin(), unanswered.end(),
                           [&](const nlohmann::json& p) { return !p.is_string() || !assigned(p.get<std::string>()); }),
            unanswered.end());
    }
    return json(200, protocol::toJson(protocol::JobStatus{found->id, found->kind, std::string(toCode(found->state)),
                                                          found->result, found->reason}));
}

} // namespace zaitaku::sync::gateway
