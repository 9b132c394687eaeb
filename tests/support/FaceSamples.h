#pragma once

// The face tests' pictures: the six group photos of @vladmandic/face-api's demo (MIT), fetched by
// tests/scripts/fetch-face-samples.sh into $ZAITAKU_FACE_SAMPLES (the CTest fixture face_samples).
// Each photo holds 3–5 people; a "portrait" is one person cut out as a 480x640 camera-like frame.

#include "device/camera/Image.h"
#include "verify/identity/face/FaceTypes.h"

#include <string>
#include <vector>

namespace zaitaku::identity::face
{
class FaceEngine;
}

namespace zaitaku::test
{

struct Portrait
{
    std::string id; // "sample3#1": photo and face index (largest first)
    camera::Image frame;
    identity::face::DetectedFace face; // in frame pixels
};

// The directory, or "" when the fixture did not run.
std::string faceSamplesDir();

camera::Image loadSample(int index); // 1…6

// Every face of the six photos that makes a usable portrait (one face, frontal, sharp).
std::vector<Portrait> usablePortraits(identity::face::FaceEngine& engine);

// The portrait frame scaled by `factor` (e.g. 0.2: a face too far away), on a grey 640x480 canvas.
camera::Image shrunkOnCanvas(const camera::Image& frame, double factor);

} // namespace zaitaku::test
