#include "RecordIntakeFuzz.h"

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
#include "sync/protocol/Messages.h"
#include "sync/store/ModelJson.h"
#include "sync/store/RecordBasis.h"

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

// The sending tablet's Ed25519 key (fixed: the target is deterministic).
class TabletKey
{
public:
    TabletKey()
        : m_key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, kSeed, sizeof kSeed), EVP_PKEY_free)
    {}
    std::string publicHex() const
    {
        std::vector<std::uint8_t> raw(32);
        std::size_t len = raw.size();
        EVP_PKEY_get_raw_public_key(m_key.get(), raw.data(), &len);
        return base::toHex(raw);
    }
    std::string signHex(const std::string& message) const
    {
        std::vector<std::uint8_t> signature(64);
        std::size_t len = signature.size();
        std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
        EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, m_key.get());
        EVP_DigestSign(ctx.get(), signature.data(), &len, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size());
        return base::toHex(signature);
    }

private:
    static constexpr unsigned char kSeed[32] = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                                                7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> m_key;
};

// A genuine first visit with visual evidence (no card signature to check) and one consent, as
// the visit engine writes it.
json genuineVisit()
{
    const auto at = base::Timestamp::parse("2026-12-06T10:00:00+09:00").value();
    model::Visit v;
    v.id = "v-1";
    v.patientId = "p-1";
    v.careRelationshipId = "p-1:houmon_shinryo";
    v.state = "committed";
    v.scheduledFor = at.localDate();
    v.startedAt = at;
    v.completedAt = at.plus(std::chrono::minutes(9));
    v.staffId = "nurse-7";
    v.deviceId = kDevice;
    v.evidenceIds = {"e-1"};
    v.consentIds = {"c-1"};
    model::Evidence e;
    e.id = "e-1";
    e.visitId = "v-1";
    e.patientId = "p-1";
    e.method = model::EvidenceMethod::Visual;
    e.capturedAt = at;
    e.deviceId = kDevice;
    e.staffId = "nurse-7";
    e.visual = model::VisualAttestation{"nurse-7", model::VisualReason::CannotEnterPin, "目視で確認しました"};
    model::Consent c;
    c.id = "c-1";
    c.patientId = "p-1";
    c.kind = model::ConsentKind::Diagnosis;
    c.given = true;
    c.textVersion = "2026-11/ja/all";
    c.textSha256 = std::string(64, 'a');
    c.consentTime = at;
    json payload{{"payload_version", 1},
                 {"visit", sync::store::toJson(v)},
                 {"evidence", json::array({{{"bundle", sync::store::toJson(e)}}})},
                 {"consents", json::array({sync::store::toJson(c)})},
                 {"fallbacks", json::array()}};
    return payload;
}

// Every place an edit can land: the pointers of the genuine payload's values.
void pointersOf(const json& value, const json::json_pointer& at, std::vector<json::json_pointer>& out)
{
    out.push_back(at);
    if (value.is_object()) {
        for (const auto& [key, sub] : value.items()) {
            pointersOf(sub, at / key, out);
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
            pointersOf(value[i], at / i, out);
        }
    }
}

struct Fixture
{
    std::filesystem::path dir;
    TabletKey key;
    json genuine = genuineVisit();
    std::vector<json::json_pointer> places;
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
        pointersOf(genuine, json::json_pointer(), places);
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

// A value made of the next bytes: another type than most fields expect, or a tricky string.
json valueFrom(std::uint8_t kind, const std::uint8_t*& p, const std::uint8_t* end)
{
    std::size_t n = 0;
    if (p < end) {
        const std::size_t wanted = *p % 24;
        ++p;
        n = std::min<std::size_t>(wanted, static_cast<std::size_t>(end - p));
    }
    std::string text(reinterpret_cast<const char*>(p), n);
    p += n;
    switch (kind % 7) {
    case 0:
        return nullptr;
    case 1:
        return static_cast<std::int64_t>(n) - 3;
    case 2:
        return json::array();
    case 3:
        return json::object();
    case 4:
        return n % 2 == 0;
    case 5:
        return 1.5;
    default:
        return text; // any bytes, valid UTF-8 or not: the target must refuse them by name
    }
}

void sealEvidence(json& payload, const TabletKey& key)
{
    if (!payload.is_object() || !payload.contains("evidence") || !payload["evidence"].is_array()) {
        return;
    }
    for (auto& item : payload["evidence"]) {
        if (item.is_object() && item.contains("bundle") && item["bundle"].is_object()) {
            const auto sha = base::sha256Hex(base::canonicalJson(item["bundle"]));
            item["bundle_sha256"] = sha;
            item["device_signature"] = key.signHex(sha);
        }
    }
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
    const std::uint8_t* p = data;
    const std::uint8_t* end = data + size;
    bool keepSeal = false;
    for (int edits = 0; p + 2 <= end && edits < 8; ++edits) {
        const std::uint8_t op = *p++;
        const auto& at = f.places[*p++ % f.places.size()];
        if (!payload.contains(at)) {
            continue;
        }
        switch (op % 5) {
        case 0: // remove
            if (!at.empty()) {
                payload.at(at.parent_pointer()).is_object() ? (void)payload.at(at.parent_pointer()).erase(at.back())
                                                            : (void)0;
            }
            break;
        case 1: // another value
            payload[at] = valueFrom(op >> 3, p, end);
            break;
        case 2: // an unknown field beside it
            if (payload[at].is_object()) {
                payload[at]["x_" + std::to_string(op)] = 1;
            }
            break;
        case 3: // the seal left as it was: the hash must catch what changed
            keepSeal = true;
            break;
        default: // a string made of the next bytes
            if (payload[at].is_string() && p < end) {
                payload[at] = std::string(1, static_cast<char>('a' + *p++ % 26));
            }
            break;
        }
    }
    std::string text;
    try {
        if (!keepSeal) {
            sealEvidence(payload, f.key);
        }
        text = base::canonicalJson(payload);
    } catch (const json::exception&) {
        return {false}; // not UTF-8: no tablet can write it, and the gateway's parser refuses such bytes
    }
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
        expectNamed(sync::store::visitFromJson(parsed), "visit");
        expectNamed(sync::store::evidenceFromJson(parsed), "evidence");
        expectNamed(sync::store::consentFromJson(parsed), "consent");
        expectNamed(sync::store::fallbackFromJson(parsed), "fallback");
        expectNamed(sync::store::custodyEventFromJson(parsed), "custody event");
        expectNamed(sync::store::snapshotFromJson(parsed), "snapshot");
    }
}

} // namespace zaitaku::fuzz
