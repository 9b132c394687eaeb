#pragma once

// Aligns a face onto the recogniser's 150x150 chip: the least-squares similarity transform
// (rotation, uniform scale, shift; Umeyama without reflection) from the five landmarks to dlib's
// chip template (docs/design/FACE.md §1d). The thresholds are calibrated for exactly this alignment.

#include "device/camera/Image.h"
#include "verify/identity/face/FaceTypes.h"

#include <array>

namespace zaitaku::identity::face
{

inline constexpr int kChipSize = 150;

// dlib's mean face on a 150x150 chip with padding 0.25, in YuNet's landmark order.
inline constexpr std::array<Point2, 5> kChipTemplate{{
    {47.55f, 46.60f},  // right eye (image left)
    {100.48f, 46.60f}, // left eye
    {74.01f, 76.56f},  // nose tip
    {50.41f, 103.02f}, // right mouth corner
    {97.61f, 103.02f}, // left mouth corner
}};

// The 2x3 matrix mapping `from` onto `to` (row-major: a, -b, tx; b, a, ty).
std::array<double, 6> similarityTransform(const std::array<Point2, 5>& from, const std::array<Point2, 5>& to);

// The 150x150 BGR chip (grey pictures are expanded to three channels).
camera::Image alignToChip(const camera::Image& image, const DetectedFace& face);

} // namespace zaitaku::identity::face
