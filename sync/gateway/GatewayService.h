#pragma once

// The gateway's routes as a function of (request, TLS peer) → response, so that they can be
// tested and benchmarked without sockets and served by transport/HttpsServer unchanged.
//
//   GET  /healthz          liveness + storage check (no certificate)
//   GET  /metrics          Prometheus text (the monitoring certificate; none with metrics_client_cert = none)
//   POST /v1/enroll        one-time code + CSR → device certificate (no certificate)
//   GET  /v1/status        epoch, server time, device id              (device certificate)
//   POST /v1/challenges    a batch of device-bound challenges         (device certificate)
//   POST /v1/records       idempotent record intake                   (device certificate)
//   GET  /v1/feed          results and state changes after a cursor   (device certificate)
//   POST /v1/precheck      today's patients → latest result and flags (device certificate)
//   POST /v1/requery       a fresh result without the card, when R7 allows (device certificate)
//   GET  /v1/jobs/<id>     a pre-check or re-query waiting on OQS       (device certificate)
//
// No request waits for OQS: a pre-check answers from what is stored and starts (or joins) the
// date's bulk job for the rest; a re-query R7 allows answers with its job; the tablet polls.
//
// A device reads only the patients assigned to it (`zaitaku-gateway roster`): the feed carries
// only their items, the pre-check answers "not_assigned" for the others without asking OQS, a
// re-query of another patient is refused 403. Every read of patient data is an audit row.

#include "base/Clock.h"
#include "base/Random.h"
#include "sync/gateway/ChallengeIssuer.h"
#include "sync/gateway/EligibilityService.h"
#include "sync/gateway/GatewayLog.h"
#include "sync/gateway/GatewayPki.h"
#include "sync/gateway/GatewayStorage.h"
#include "sync/gateway/Metrics.h"
#include "sync/gateway/RateLimiter.h"
#include "sync/gateway/RecordValidator.h"
#include "sync/transport/HttpMessage.h"

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace zaitaku::sync::gateway
{

struct ServiceDeps
{
    GatewayStorage& storage;
    const GatewayPki& pki;
    const ChallengeIssuer& challenges;
    const RecordValidator& validator;
    Metrics& metrics;
    RateLimiter& limiter;           // per device
    RateLimiter& enrollLimiter;     // per remote address, for /v1/enroll (no certificate yet)
    RateLimiter& recordBytes;       // per device, an hour's record bytes (security review M8)
    RateLimiter& firstVisitQueries; // per device, a day's first-visit OQS queries (M3)
    const base::Clock& clock;
    base::RandomSource& random; // must be safe to call from several threads
    GatewayLog& log;
    std::function<std::vector<MetricSample>()> gauges;
    std::chrono::hours enrollmentCodeLifetime{24};
    EligibilityService* eligibility = nullptr;       // null: no OQS bridge configured
    class MedicalInfoService* medicalInfo = nullptr; // with the bridge (issue 33)
    bool metricsNeedCertificate = true;              // /metrics only for a monitoring certificate (M1)
    // Request bodies: an enrolled, unrevoked tablet's record batches; a stranger's enrollment.
    std::size_t maxBodyBytes = 4 * 1024 * 1024;
    std::size_t maxUnauthenticatedBodyBytes = 64 * 1024;
};

class GatewayService
{
public:
    explicit GatewayService(ServiceDeps deps)
        : m_deps(std::move(deps))
    {}

    transport::HttpResponse handle(const transport::HttpRequest& request, const transport::RequestContext& context);
    // Every route handle() answers, as (path, method), `{id}` for a path part (docs/openapi.json
    // describes exactly these; GatewaySyncTest holds the two together).
    static const std::vector<std::pair<std::string, std::string>>& routes();
    // From a request's header, before its body is read (transport::AdmissionHandler): device
    // routes only for an enrolled, unrevoked tablet (trusted: keep-alive, the large body limit);
    // everyone else gets the small limit (enrollment) or none, and one request per connection.
    transport::Admission admit(const transport::HttpRequest& head, const transport::RequestContext& context);
    // Issue 30: the unsent records of a revoked or lost tablet's store export (`records import`),
    // each checked as if the tablet had sent it when the archive was sealed (its signed creation
    // time) and flagged operator_import; the device is the enrollment whose key signed the archive.
    Expected<protocol::RecordsResponse, Error> importRecords(const std::vector<protocol::RecordEnvelope>& records,
                                                             const DeviceRecord& device,
                                                             const base::Timestamp& sealedAt);

private:
    struct Route;
    transport::HttpResponse dispatch(const transport::HttpRequest& request,
                                     const transport::RequestContext& context,
                                     std::string& routeName,
                                     std::string& deviceId);
    transport::HttpResponse enroll(const transport::HttpRequest& request);
    transport::HttpResponse status(const DeviceRecord& device);
    transport::HttpResponse challenges(const transport::HttpRequest& request, const DeviceRecord& device);
    transport::HttpResponse records(const transport::HttpRequest& request, const DeviceRecord& device);
    // Validation, the roster, intake and the OQS follow-ups of a batch from `device`; the policy
    // windows are checked at `checkedAt`, and `extraFlags` go on every stored record.
    Expected<protocol::RecordsResponse, Error> accept(const protocol::RecordsRequest& message,
                                                      const DeviceRecord& device,
                                                      const base::Timestamp& checkedAt,
                                                      const std::vector<std::string>& extraFlags);
    transport::HttpResponse
    feed(const transport::HttpRequest& request, const transport::RequestContext& context, const DeviceRecord& device);
    transport::HttpResponse precheck(const transport::HttpRequest& request, const DeviceRecord& device);
    transport::HttpResponse requery(const transport::HttpRequest& request, const DeviceRecord& device);
    transport::HttpResponse medicalInfo(const transport::HttpRequest& request, const DeviceRecord& device);
    transport::HttpResponse renew(const transport::HttpRequest& request, const DeviceRecord& device);
    // Issue 30: what the tablet's request says about it (last seen, its Zaitaku-Outbox header, how
    // far the feed was delivered to it), written when it changed or a minute passed; and the first
    // use of a renewed certificate retires the earlier ones.
    void noteSighting(const transport::HttpRequest& request,
                      const transport::RequestContext& context,
                      const DeviceRecord& device,
                      std::optional<std::int64_t> feedSeq);
    std::optional<transport::HttpResponse>
    unassigned(const DeviceRecord& device, const std::string& patientId, const char* route);
    transport::HttpResponse job(const std::string& id, const DeviceRecord& device);
    // The audit row of a device's read of these patients' data; false (and logged) when the row
    // could not be written: the read is then refused, never served unaudited.
    bool audited(const DeviceRecord& device, const std::string& route, const std::vector<std::string>& patientIds);
    transport::HttpResponse healthz();
    // Counted, and logged a few times a minute per address (security review M6).
    void noteAuthRefused(const std::string& route, int status, const transport::RequestContext& context);
    // 429 when the device's token bucket cannot pay `cost` more (security review M8), else none.
    std::optional<transport::HttpResponse> overBudget(const DeviceRecord& device, double cost);
    // The refusal for a device route from this peer (no certificate, unknown, revoked), or none.
    std::optional<transport::HttpResponse> deviceRefusal(const transport::RequestContext& context,
                                                         const std::optional<DeviceRecord>& device) const;
    // Whether this certificate serial is an enrolled, unrevoked device, for admit(): looked up at
    // most every few seconds per serial (the handler still checks on every request).
    Expected<std::optional<DeviceRecord>, Error> admittedDevice(const std::string& serialHex);
    void observe(const std::string& route,
                 const transport::HttpResponse& response,
                 const std::string& deviceId,
                 const transport::RequestContext& context,
                 std::chrono::steady_clock::time_point started);

    // Pre-check flags by (stored result, visit date): results change rarely, routes are asked
    // for many times a morning.
    std::vector<std::string>
    flagsFor(const SnapshotRow& row, const base::Date& date, const std::optional<base::Date>& expiry);

    ServiceDeps m_deps;
    std::mutex m_flagsMutex;
    std::map<std::pair<std::int64_t, std::string>, std::vector<std::string>> m_flags;
    struct AdmittedDevice
    {
        std::optional<DeviceRecord> device;
        std::chrono::steady_clock::time_point until;
    };
    std::mutex m_admittedMutex;
    std::map<std::string, AdmittedDevice> m_admitted;
    struct Sighting
    {
        std::chrono::steady_clock::time_point written;
        std::optional<std::int64_t> backlog;
        std::optional<std::int64_t> feedSeq;
    };
    std::mutex m_sightingsMutex;
    std::map<std::string, Sighting> m_sightings;
};

// The Zaitaku-Outbox request header: "<queued records>" or "<queued> <oldest's RFC 3339 time>";
// nullopt when absent or malformed (then nothing is recorded from it).
std::optional<std::pair<std::int64_t, std::optional<base::Timestamp>>> parseOutboxHeader(const std::string& value);

} // namespace zaitaku::sync::gateway
