#include "verify/identity/face/FacePolicy.h"

#include "base/BoundedJson.h"
#include "verify/identity/face/FaceModels.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace zaitaku::identity::face
{

namespace
{

Unexpected<Error> bad(const std::string& message, const std::string& field)
{
    return Unexpected(Error{Errc::InvalidInput, "face policy: " + message, field});
}

} // namespace

Expected<FacePolicy, Error> parseFacePolicy(std::string_view text)
{
    const nlohmann::json j = base::parseJson(text);
    if (j.is_discarded() || !j.is_object()) {
        return bad("not a JSON object", "policy");
    }
    FacePolicy policy;
    if (!j.contains("model_id") || !j["model_id"].is_string()) {
        return bad("model_id is missing: a threshold only means something for the model it was calibrated on",
                   "model_id");
    }
    if (j["model_id"].get<std::string>() != modelId()) {
        return bad("calibrated for model " + j["model_id"].get<std::string>() + ", this build runs " + modelId() +
                       ": recalibrate (zaitaku-cli face calibrate)",
                   "model_id");
    }
    if (j.contains("threshold") && j.contains("target_far")) {
        return bad("give threshold or target_far, not both", "threshold");
    }
    if (j.contains("threshold")) {
        if (!j["threshold"].is_number() || !std::isfinite(j["threshold"].get<double>()) ||
            j["threshold"].get<double>() <= 0.0 || j["threshold"].get<double>() >= 1.0) {
            return bad("threshold must be a number between 0 and 1", "threshold");
        }
        policy.threshold = j["threshold"].get<double>();
        policy.thresholdSource = j.value("source", std::string("facility policy"));
    } else if (j.contains("target_far")) {
        const double far = j["target_far"].is_number() ? j["target_far"].get<double>() : -1.0;
        if (far == 0.01) {
            policy.threshold = kThresholdFar1Percent;
            policy.thresholdSource = "docs/design/FACE.md §4 (LFW, FAR 1%)";
        } else if (far == 0.001) {
            policy.threshold = kThresholdFar01Percent;
        } else {
            return bad("target_far must be 0.01 or 0.001 (other rates need a calibration: threshold)", "target_far");
        }
    }
    if (j.contains("frames")) {
        if (!j["frames"].is_number_integer() || j["frames"].get<int>() < 1 || j["frames"].get<int>() > 30) {
            return bad("frames must be an integer from 1 to 30", "frames");
        }
        policy.framesWanted = j["frames"].get<int>();
        policy.minFrames = std::min(policy.minFrames, policy.framesWanted);
    }
    if (j.contains("window_ms")) {
        if (!j["window_ms"].is_number_integer() || j["window_ms"].get<int>() < 0 || j["window_ms"].get<int>() > 10000) {
            return bad("window_ms must be an integer from 0 to 10000", "window_ms");
        }
        policy.window = std::chrono::milliseconds(j["window_ms"].get<int>());
    }
    if (j.contains("require_motion")) {
        if (!j["require_motion"].is_boolean()) {
            return bad("require_motion must be true or false", "require_motion");
        }
        policy.requireMotion = j["require_motion"].get<bool>();
    }
    return policy;
}

Expected<FacePolicy, Error> loadFacePolicy(const std::string& path)
{
    std::ifstream in(path);
    if (!in) {
        return bad("cannot read " + path, "policy");
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().size() > 64 * 1024) {
        return bad(path + " is larger than 64 KiB", "policy");
    }
    return parseFacePolicy(text.str());
}

std::string facePolicyJson(double threshold, double targetFar, std::string_view source)
{
    const nlohmann::json j{
        {"model_id", modelId()}, {"threshold", threshold}, {"source", source}, {"calibrated_for_far", targetFar}};
    return j.dump(2) + "\n";
}

} // namespace zaitaku::identity::face
