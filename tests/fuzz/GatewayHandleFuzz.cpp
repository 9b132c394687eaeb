#include "GatewayHandleFuzz.h"

#include "VisitEdits.h"
#include "base/Clock.h"
#include "base/Random.h"
#include "base/Sha256.h"
#include "sync/client/GatewayLink.h"
#include "sync/gateway/ChallengeIssuer.h"
#include "sync/gateway/GatewayLog.h"
#include "sync/gateway/GatewayPki.h"
#include "sync/gateway/GatewayServer.h"
#include "sync/gateway/GatewayService.h"
#include "sync/gateway/JpkiTrust.h"
#include "sync/gateway/Metrics.h"
#include "sync/gateway/RateLimiter.h"
#include "sync/gateway/RecordValidator.h"
#include "sync/protocol/DeviceKeyRequest.h"
#include "sync/protocol/EnrollmentCode.h"
#include "sync/protocol/Messages.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <unistd.h>

namespace zaitaku::fuzz
{

namespace
{

using nlohmann::json;
namespace gw = sync::gateway;

[[noreturn]] void broken(const char* what, const std::string& detail)
{
    std::fprintf(stderr, "gateway handler invariant broken: %s\n%s\n", what, detail.c_str());
    std::abort();
}

// One gateway for the whole run: keys and a SQLCipher store in a temporary folder, a tablet
// enrolled through the real /v1/enroll, one patient assigned to it.
struct Gateway
{
    std::filesystem::path dir;
    base::ManualClock clock{base::Timestamp::parse("2026-12-06T10:00:00+09:00").value()};
    base::SteadyClock monotonic;
    base::SeededRandom random{34};
    std::ostringstream logText;
    std::unique_ptr<gw::GatewayLog> log;
    gw::GatewayData data;
    std::unique_ptr<gw::ChallengeIssuer> challenges;
    gw::JpkiTrust jpki;
    std::unique_ptr<gw::RecordValidator> validator;
    gw::Metrics metrics;
    std::unique_ptr<gw::RateLimiter> limiter, enrollLimiter, recordBytes, firstVisitQueries;
    std::unique_ptr<gw::GatewayService> service;
    TabletKey key;
    std::string deviceId;
    sync::transport::RequestContext tablet;

    Gateway()
    {
        dir = std::filesystem::temp_directory_path() / ("zaitaku-handle-fuzz-" + std::to_string(::getpid()));
        log = std::make_unique<gw::GatewayLog>(logText, clock);
        gw::GatewayConfig config;
        config.dataDir = dir.string();
        auto pki = gw::GatewayPki::loadOrCreate(config.dataDir, {}, random, clock.nowJst());
        auto opened = pki ? gw::GatewayData::open(config, random, clock) : Unexpected(pki.error());
        if (!opened) {
            broken("the gateway opens", opened.error().message);
        }
        data = std::move(*opened);
        challenges = std::make_unique<gw::ChallengeIssuer>(*data.pki, std::chrono::hours(72));
        validator = std::make_unique<gw::RecordValidator>(*challenges, jpki, gw::IntakePolicy{});
        // Budgets large enough that the fuzzer explores the routes, not the 429s.
        limiter = std::make_unique<gw::RateLimiter>(monotonic, 1e9, 1e9);
        enrollLimiter = std::make_unique<gw::RateLimiter>(monotonic, 1e9, 1e9);
        recordBytes = std::make_unique<gw::RateLimiter>(monotonic, 1e12, 1e12);
        firstVisitQueries = std::make_unique<gw::RateLimiter>(monotonic, 1e9, 1e9);
        service = std::make_unique<gw::GatewayService>(gw::ServiceDeps{
            *data.storage, *data.pki, *challenges, *validator, metrics, *limiter, *enrollLimiter, *recordBytes,
            *firstVisitQueries, clock, random, *log, [] { return std::vector<gw::MetricSample>{}; }});
        enroll();
    }
    ~Gateway()
    {
        service.reset();
        data.storage.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }

    void enroll()
    {
        const auto code = sync::protocol::EnrollmentCode::generate(random, data.pki->caFingerprint());
        const auto now = clock.nowJst();
        if (!data.storage->addEnrollmentCode(base::sha256Hex(code.secret), now, now.plus(std::chrono::hours(1)))) {
            broken("an enrollment code is stored", "");
        }
        auto request = sync::protocol::makeDeviceKeyRequest("fuzz-tablet").value();
        sync::protocol::EnrollRequest enroll{code.secret, request.csrPem, key.publicHex(), "fuzz tablet", "fuzz"};
        sync::transport::HttpRequest http;
        http.method = "POST";
        http.target = "/v1/enroll";
        http.headers["content-type"] = "application/json";
        http.body = sync::protocol::dump(sync::protocol::toJson(enroll));
        auto answer = service->handle(http, {});
        auto enrolled = sync::protocol::parseEnrollResponse(answer.body);
        if (answer.status != 200 || !enrolled) {
            broken("the tablet enrolls", answer.body);
        }
        deviceId = enrolled->deviceId;
        tablet.peer.verified = true;
        // The serial the TLS layer would present: the one the gateway recorded at enrollment.
        auto devices = data.storage->devices();
        if (!devices) {
            broken("the enrolled tablet is listed", devices.error().message);
        }
        for (const auto& d : *devices) {
            if (d.id == deviceId) {
                tablet.peer.serialHex = d.certificateSerial;
            }
        }
        tablet.remoteAddress = "127.0.0.2";
        if (!data.storage->changeAssignments(deviceId, {"p-1"}, true, now)) {
            broken("the patient is assigned", "");
        }
    }
};

Gateway& gateway()
{
    static Gateway g;
    return g;
}

} // namespace

HandleOutcome runGatewayHandle(const std::uint8_t* data, std::size_t size)
{
    Gateway& g = gateway();
    static const char* const kRoutes[][2] = {
        {"POST", "/v1/records"}, {"POST", "/v1/records"},     {"POST", "/v1/precheck"},
        {"POST", "/v1/requery"}, {"POST", "/v1/challenges"},  {"GET", "/v1/feed?after=0&limit=10"},
        {"GET", "/v1/status"},   {"GET", "/v1/jobs/j-0000"},  {"POST", "/v1/enroll"},
        {"GET", "/healthz"},     {"DELETE", "/v1/records"},   {"GET", "/v1/feed?after=-1"},
        {"GET", "/v1/nowhere"},  {"POST", "/v1/records?x=1"}, {"GET", "/v1/feed?limit=99999999999999999999"},
    };
    const std::size_t pick = size > 0 ? data[0] % std::size(kRoutes) : 0;
    const std::uint8_t* rest = size > 0 ? data + 1 : data;
    const std::size_t restSize = size > 0 ? size - 1 : 0;
    sync::transport::HttpRequest request;
    request.method = kRoutes[pick][0];
    request.target = kRoutes[pick][1];
    request.headers["content-type"] = "application/json";
    if (pick <= 1) {
        json payload = genuineVisit(g.deviceId, g.key, base::makeUuid(g.random)); // each input a new record
        auto edited = editVisit(payload, rest, restSize, g.key);
        if (!edited) {
            return {0};
        }
        const auto named = payload.contains("/visit/id"_json_pointer) ? payload["/visit/id"_json_pointer] : json();
        const std::string recordId = named.is_string() ? named.get<std::string>() : "v-x";
        json batch{{"device_time", g.clock.nowJst().toString()},
                   {"records", json::array({{{"idempotency_key", recordId},
                                             {"kind", "visit"},
                                             {"record_id", recordId},
                                             {"payload", *edited},
                                             {"payload_sha256", base::sha256Hex(*edited)},
                                             {"created_at", g.clock.nowJst().toString()}}})}};
        request.body = batch.dump();
    } else {
        request.body.assign(reinterpret_cast<const char*>(rest), restSize);
    }
    const auto response = g.service->handle(request, g.tablet);
    if (response.status >= 500 && response.status != 503) {
        broken("no 5xx but 503", request.target + " → " + std::to_string(response.status) + " " + response.body);
    }
    if (request.target.rfind("/v1/", 0) == 0 && !response.body.empty() &&
        json::parse(response.body, nullptr, false).is_discarded()) {
        broken("a /v1 answer is JSON", response.body);
    }
    bool stored = false;
    if (pick <= 1 && response.status == 200) {
        const auto answer = json::parse(response.body);
        const auto& result = answer["results"][0];
        stored = result.value("status", "") == "stored";
        if (stored) {
            const auto payload = json::parse(json::parse(request.body)["records"][0]["payload"].get<std::string>());
            if (payload["visit"]["device_id"] != g.deviceId) {
                broken("a stored visit names its tablet", request.body);
            }
        } else if (result.value("status", "") == "rejected" && result.value("field", "").empty()) {
            broken("a rejected record names its field", response.body);
        }
    }
    return {response.status, stored};
}

bool gatewayAuditVerifies()
{
    auto verified = gateway().data.storage->verifyAudit();
    return verified && verified->ok();
}

} // namespace zaitaku::fuzz
