#include "VisitEdits.h"

#include "base/Bytes.h"
#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "sync/protocol/ModelJson.h"

#include <openssl/evp.h>
#include <vector>

namespace zaitaku::fuzz
{

using nlohmann::json;

namespace
{

constexpr unsigned char kSeed[32] = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
                                     7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};

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

} // namespace

TabletKey::TabletKey()
    : m_key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, kSeed, sizeof kSeed), EVP_PKEY_free)
{}

std::string TabletKey::publicHex() const
{
    std::vector<std::uint8_t> raw(32);
    std::size_t len = raw.size();
    EVP_PKEY_get_raw_public_key(m_key.get(), raw.data(), &len);
    return base::toHex(raw);
}

std::string TabletKey::signHex(const std::string& message) const
{
    std::vector<std::uint8_t> signature(64);
    std::size_t len = signature.size();
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, m_key.get());
    EVP_DigestSign(ctx.get(), signature.data(), &len, reinterpret_cast<const unsigned char*>(message.data()),
                   message.size());
    return base::toHex(signature);
}

// A genuine first visit with visual evidence (no card signature to check) and one consent, as
// the visit engine writes it.
json genuineVisit(const std::string& deviceId, const TabletKey& key, const std::string& visitId)
{
    const auto at = base::Timestamp::parse("2026-12-06T10:00:00+09:00").value();
    model::Visit v;
    v.id = visitId;
    v.patientId = "p-1";
    v.careRelationshipId = "p-1:houmon_shinryo";
    v.state = "committed";
    v.scheduledFor = at.localDate();
    v.startedAt = at;
    v.completedAt = at.plus(std::chrono::minutes(9));
    v.staffId = "nurse-7";
    v.deviceId = deviceId;
    v.evidenceIds = {"e-1"};
    v.consentIds = {"c-1"};
    model::Evidence e;
    e.id = "e-1";
    e.visitId = visitId;
    e.patientId = "p-1";
    e.method = model::EvidenceMethod::Visual;
    e.capturedAt = at;
    e.deviceId = deviceId;
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
                 {"visit", sync::protocol::toJson(v)},
                 {"evidence", json::array({{{"bundle", sync::protocol::toJson(e)}}})},
                 {"consents", json::array({sync::protocol::toJson(c)})},
                 {"fallbacks", json::array()}};
    sealEvidence(payload, key);
    return payload;
}

std::optional<std::string> editVisit(json& payload, const std::uint8_t* data, std::size_t size, const TabletKey& key)
{
    std::vector<json::json_pointer> places;
    pointersOf(payload, json::json_pointer(), places);
    const std::uint8_t* p = data;
    const std::uint8_t* end = data + size;
    bool keepSeal = false;
    for (int edits = 0; p + 2 <= end && edits < 8; ++edits) {
        const std::uint8_t op = *p++;
        const auto& at = places[*p++ % places.size()];
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
    try {
        if (!keepSeal) {
            sealEvidence(payload, key);
        }
        return base::canonicalJson(payload);
    } catch (const json::exception&) {
        return std::nullopt;
    }
}

} // namespace zaitaku::fuzz
