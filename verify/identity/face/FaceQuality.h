#pragma once

// Is this frame good enough to decide on? Exactly one face (a second face at least half as large
// counts; small faces far behind, such as a picture on the wall, do not), large enough, inside the
// picture, frontal, lit and sharp. The limits are what docs/design/FACE.md's anchors assume: a frontal,
// cooperative capture.

#include "device/camera/Image.h"
#include "verify/identity/face/FaceIssue.h"
#include "verify/identity/face/FaceTypes.h"

#include <optional>
#include <vector>

namespace zaitaku::identity::face
{

struct QualityLimits
{
    double minEyeDistance = 28.0; // px in the frame; the chip's is 53
    double secondFaceRatio = 0.5; // a second face at least this large (eye distance) is a person
    double maxYaw = 0.22;         // |nose offset from the eye centre| / eye distance
    double maxRollDegrees = 20.0;
    double minPitchRatio = 0.25; // (nose − eyes) / (mouth − eyes), vertically
    double maxPitchRatio = 0.80;
    double minBrightness = 50.0; // mean grey of the face box
    double maxBrightness = 225.0;
    double minSharpness = 15.0; // variance of the Laplacian over the face, at chip scale
};

struct FrameMetrics
{
    double eyeDistance = 0;
    double yaw = 0;
    double rollDegrees = 0;
    double pitchRatio = 0;
    double brightness = 0;
    double sharpness = 0;
};

struct FrameAssessment
{
    std::optional<FaceIssue> issue; // none: usable
    std::optional<DetectedFace> face;
    FrameMetrics metrics;
};

// Geometry only (no pixels): faces, size, frame bounds and pose.
FrameAssessment
assessGeometry(int width, int height, const std::vector<DetectedFace>& faces, const QualityLimits& limits);

// Geometry, then brightness and sharpness measured on the face.
FrameAssessment
assessFrame(const camera::Image& frame, const std::vector<DetectedFace>& faces, const QualityLimits& limits);

} // namespace zaitaku::identity::face
