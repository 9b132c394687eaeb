#include "RecordIntakeFuzz.h"

#include "VisitEdits.h"
#include "base/Bytes.h"
#include "base/CanonicalJson.h"
#include "base/Random.h"
#include "base/Sha256.h"
#include "sync/gateway/ChallengeIssuer.h"
#include "sync/gateway/GatewayConfig.h"
#include "sync/gateway/GatewayPki.h"
#include "sync/gateway/JpkiTrust.h"
#include "sync/gateway/RecordValidator.h"
#include "sync/protocol/EnrollmentCode.h"
#include "sync/protocol/MedicalInfoMessages.h"
#include "sync/protocol/Messages.h"
#include "sync/protocol/ModelJson.h"
#include "sync/protocol/RecordBasis.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <string>
#include <vector>

namespace zaitaku::fuzz
{

namespace
{

using nlohmann::json;

constexpr const char* kDevice = "d-0011223344556677";

struct Fixture
{
    std::filesystem::path dir;
    TabletKey key;
    json genuine = genuineVisit(kDevice, key);
    std::unique_ptr<sync::gateway::GatewayPki> pki;
    std::unique_ptr<sync::gateway::ChallengeIssuer> challenges;
    sync::gateway::JpkiTrust jpki;
    std::unique_ptr<sync::gateway::RecordValidator> validator;
    sync::gateway::DeviceRecord device;

    Fixture()
    {
        dir = std::filesystem::temp_directory_path() / ("zaitaku-intake-fuzz-" + std::to_string(::getpid()));
        base::SeededRandom random(34);
        const auto now = base::Timestamp::parse("2026-12-06T10:00:00+09:00").value();
        pki = std::make_unique<sync::gateway::GatewayPki>(
            sync::gateway::GatewayPki::loadOrCreate(dir.string(), {}, random, now).value());
        challenges = std::make_unique<sync::gateway::ChallengeIssuer>(*pki, std::chrono::hours(72));
        validator = std::make_unique<sync::gateway::RecordValidator>(*challenges, jpki, sync::gateway::IntakePolicy{});
        device.id = kDevice;
        device.signingKeyHex = key.publicHex();
        device.enrolledAt = now.plus(std::chrono::hours(-24));
    }
    ~Fixture()
    {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

Fixture& fixture()
{
    static Fixture f;
    return f;
}

[[noreturn]] void broken(const char* what, const std::string& detail)
{
    std::fprintf(stderr, "record intake invariant broken: %s\n%s\n", what, detail.c_str());
    std::abort();
}

template <typename T> void expectNamed(const Expected<T, sync::Error>& parsed, const char* parser)
{
    if (!parsed && parsed.error().message.empty()) {
        broken(parser, "an error without a message");
    }
}

} // namespace

IntakeOutcome runRecordIntake(const std::uint8_t* data, std::size_t size)
{
    Fixture& f = fixture();
    json payload = f.genuine;
    auto edited = editVisit(payload, data, size, f.key);
    if (!edited) {
        return {false};
    }
    const std::string& text = *edited;
    const bool named = payload.is_object() && payload.contains("visit") && payload["visit"].is_object() &&
                       payload["visit"].contains("id") && payload["visit"]["id"].is_string();
    sync::protocol::RecordEnvelope record{"k-1",
                                          "visit",
                                          named ? payload["visit"]["id"].get<std::string>() : "v-1",
                                          text,
                                          base::sha256Hex(text),
                                          base::Timestamp::parse("2026-12-06T10:00:00+09:00").value()};
    const auto receivedAt = base::Timestamp::parse("2026-12-06T11:00:00+09:00").value();
    auto verdict = f.validator->validate(record, f.device, receivedAt);
    if (!verdict) {
        if (verdict.error().field.empty() || verdict.error().message.empty()) {
            broken("a refusal names its field", verdict.error().message + " / " + text);
        }
        return {false};
    }
    // Accepted: it must be what strict intake promises.
    const auto& visit = payload["visit"];
    if (visit.value("device_id", "") != kDevice) {
        broken("an accepted visit names the sending tablet", text);
    }
    for (const char* list : {"evidence", "consents", "fallbacks"}) {
        if (!payload.contains(list) || !payload[list].is_array()) {
            broken("an accepted visit has its three lists", text);
        }
    }
    return {true};
}

void runWireParsers(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    using namespace sync::protocol;
    expectNamed(parseEnrollRequest(text), "enroll request");
    expectNamed(parseEnrollResponse(text), "enroll response");
    expectNamed(parseChallengeRequest(text), "challenge request");
    expectNamed(parseChallengeBatch(text), "challenge batch");
    expectNamed(parseRecordsRequest(text), "records request");
    expectNamed(parseRecordsResponse(text), "records response");
    expectNamed(parseFeedPage(text), "feed page");
    expectNamed(parsePrecheckRequest(text), "pre-check request");
    expectNamed(parsePrecheckResponse(text), "pre-check response");
    expectNamed(parseRequeryRequest(text), "re-query request");
    expectNamed(parseRequeryResponse(text), "re-query response");
    expectNamed(parseStatusResponse(text), "status");
    expectNamed(parseJobStatus(text), "job status");
    expectNamed(parseErrorBody(text), "error body");
    expectNamed(parseMedicalInfoQuery(text), "medical-information query");
    if (auto answer = parseMedicalInfoAnswer(text); answer) {
        // What was accepted writes back to what parses the same (the tablet caches that form).
        for (const auto& item : answer->items) {
            if (!parseMedicalInfoItem(toJson(item))) {
                broken("an accepted medical-information item reads back", std::string(text));
            }
        }
    } else {
        expectNamed(answer, "medical-information answer");
    }
    expectNamed(EnrollmentCode::parse(text), "enrollment code");
    expectNamed(EnrollmentCode::parseSecret(text), "enrollment secret");
    // gateway.conf: each line as `key = value`.
    sync::gateway::GatewayConfig config;
    const auto eq = text.find('=');
    if (eq != std::string_view::npos) {
        expectNamed(config.set(std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))), "gateway.conf");
    }
    // A record payload's parts, as the gateway reads them.
    const auto parsed = json::parse(text, nullptr, false);
    if (!parsed.is_discarded() && parsed.is_object()) {
        expectNamed(sync::protocol::visitFromJson(parsed), "visit");
        expectNamed(sync::protocol::evidenceFromJson(parsed), "evidence");
        expectNamed(sync::protocol::consentFromJson(parsed), "consent");
        expectNamed(sync::protocol::fallbackFromJson(parsed), "fallback");
        expectNamed(sync::protocol::custodyEventFromJson(parsed), "custody event");
        expectNamed(sync::protocol::snapshotFromJson(parsed), "snapshot");
    }
}

} // namespace zaitaku::fuzz
