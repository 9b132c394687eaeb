#pragma once

// How strict face verification is, per facility. The defaults are docs/design/FACE.md §4's operating point for
// these very models and this alignment: cosine ≥ 0.927 ≈ FAR 0.1% on LFW (TAR 87% against a
// card-like 4 KB JPEG 2000 probe). A facility that calibrated on its own population
// (`zaitaku-cli face calibrate`) writes its threshold into a policy file bound to the model id.

#include "base/Expected.h"
#include "verify/identity/IdentityError.h"
#include "verify/identity/face/FaceQuality.h"

#include <chrono>
#include <string>
#include <string_view>

namespace zaitaku::identity::face
{

inline constexpr double kThresholdFar1Percent = 0.909;  // docs/design/FACE.md §4: TAR 97.0% card-like 4 KB
inline constexpr double kThresholdFar01Percent = 0.927; // docs/design/FACE.md §4: TAR 87.2% card-like 4 KB

struct FacePolicy
{
    double threshold = kThresholdFar01Percent;
    std::string thresholdSource = "docs/design/FACE.md §4 (LFW, FAR 0.1%)";
    int framesWanted = 5;                   // usable frames to decide on…
    std::chrono::milliseconds window{2000}; // …spread over at least this long
    int maxFrames = 30;                     // stop collecting after this many
    int minFrames = 3;                      // fewer by the timeout: no decision
    bool requireMotion = true;              // the presentation check (PresentationCheck.h)
    double minMotion = 0.02;                // in eye distances, over the capture
    QualityLimits limits;
};

// {"model_id": "...", "threshold": 0.93 | "target_far": 0.01 | 0.001, "frames": 5, "window_ms": 2000,
//  "require_motion": true}. A policy calibrated for another model is refused: its threshold would
// mean nothing here. Errc::InvalidInput names the field.
Expected<FacePolicy, Error> parseFacePolicy(std::string_view json);
Expected<FacePolicy, Error> loadFacePolicy(const std::string& path);

// The policy file a calibration writes.
std::string facePolicyJson(double threshold, double targetFar, std::string_view source);

} // namespace zaitaku::identity::face
