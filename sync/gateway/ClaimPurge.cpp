#include "sync/gateway/ClaimPurge.h"

#include "base/BoundedJson.h"
#include "base/CanonicalJson.h"

#include <algorithm>

namespace zaitaku::sync::gateway
{

namespace
{

bool isMoushitatesho(const nlohmann::json& fallback)
{
    return fallback.is_object() && fallback.value("kind", nlohmann::json()) == "moushitatesho";
}

// What the claim keeps of a derived claim: which fallback, and the basis in seed 003's order.
nlohmann::json claimBasisOnly(const nlohmann::json& claim)
{
    nlohmann::json kept = nlohmann::json::object();
    for (const char* key : {"fallback_id", "order", "basis"}) {
        if (claim.is_object() && claim.contains(key)) {
            kept[key] = claim[key];
        }
    }
    kept["personal_data_purged"] = true;
    return kept;
}

} // namespace

bool holdsMoushitatesho(std::string_view payload)
{
    const auto parsed = base::parseJson(payload);
    if (!parsed.is_object() || !parsed.contains("fallbacks") || !parsed["fallbacks"].is_array()) {
        return false;
    }
    const auto& fallbacks = parsed["fallbacks"];
    return std::any_of(fallbacks.begin(), fallbacks.end(), isMoushitatesho);
}

std::optional<PurgedRecord>
purgeMoushitatesho(std::string_view payload, std::string_view derived, const base::Timestamp& at)
{
    auto parsed = base::parseJson(payload);
    if (!parsed.is_object() || !parsed.contains("fallbacks") || !parsed["fallbacks"].is_array()) {
        return std::nullopt;
    }
    PurgedRecord out;
    bool found = false;
    for (auto& fallback : parsed["fallbacks"]) {
        if (!isMoushitatesho(fallback)) {
            continue;
        }
        found = true;
        const auto& text =
            fallback.contains("captured_fields_json") ? fallback["captured_fields_json"] : nlohmann::json();
        const auto captured = base::parseJson(text.is_string() ? text.get<std::string>() : std::string("{}"));
        nlohmann::json kept{{"personal_data_purged_at", at.toString()}};
        if (captured.is_object()) {
            for (const auto& [key, value] : captured.items()) {
                if (key == "claim") {
                    kept["claim"] = claimBasisOnly(value);
                } else if (key == "has_valid_qualification" || key == "insurance_type") {
                    kept[key] = value; // the form's category, not the person
                } else if (std::find(out.fields.begin(), out.fields.end(), key) == out.fields.end()) {
                    out.fields.push_back(key);
                }
            }
        }
        fallback["captured_fields_json"] = kept.dump();
    }
    if (!found) {
        return std::nullopt;
    }
    auto claims = base::parseJson(derived);
    if (claims.is_object()) {
        for (const char* list : {"numbered_claims", "fusho_claims"}) {
            if (claims.contains(list) && claims[list].is_array()) {
                for (auto& claim : claims[list]) {
                    claim = claimBasisOnly(claim);
                }
            }
        }
    } else {
        claims = nlohmann::json::object();
    }
    std::sort(out.fields.begin(), out.fields.end());
    out.payload = base::canonicalJson(parsed);
    out.derived = claims.dump();
    return out;
}

} // namespace zaitaku::sync::gateway
