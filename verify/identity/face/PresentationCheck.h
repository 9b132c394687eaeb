#pragma once

// A basic presentation-attack check for a staff-supervised visit: the capture must show natural
// movement, and the camera must not be serving the same picture over and over.
//
// What it catches: a frozen or stuck camera, a still image injected as the feed, a photo propped
// up in front of the tablet. What it does not: a photo or a screen held in a moving hand, a video
// replay, a mask. Those are left to the nurse or physician who holds the tablet and sees the
// patient (docs/FACE.md, docs/THREAT-MODEL.md). The evidence records that this check was motion
// only.

#include "verify/identity/face/FaceIssue.h"
#include "verify/identity/face/FaceTypes.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace zaitaku::identity::face
{

struct CaptureSample
{
    std::int64_t capturedNs = 0;
    DetectedFace face;
    bool sameAsPrevious = false; // the aligned chip equals the previous one, pixel for pixel (±0.1)
    double score = 0;
};

// None when the capture passes. FrozenFrame when at least half the consecutive frames repeat;
// NoMotion when the eye centre moved less than `minMotion` eye distances over the whole capture.
std::optional<FaceIssue> checkPresentation(const std::vector<CaptureSample>& samples, double minMotion);

} // namespace zaitaku::identity::face
