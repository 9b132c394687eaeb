#pragma once

// What the detector finds: a box, five landmarks and a score, in the pixels of the image given.

#include <array>

namespace zaitaku::identity::face
{

struct Point2
{
    float x = 0;
    float y = 0;
};

// Landmarks in YuNet's order: the person's right eye (image left), left eye, nose tip, right mouth
// corner (image left), left mouth corner.
enum Landmark
{
    kRightEye = 0,
    kLeftEye = 1,
    kNoseTip = 2,
    kRightMouth = 3,
    kLeftMouth = 4,
};

struct DetectedFace
{
    float x = 0;
    float y = 0;
    float width = 0;
    float height = 0;
    std::array<Point2, 5> landmarks{};
    float score = 0;

    Point2 eyeCentre() const;
    Point2 mouthCentre() const;
    double eyeDistance() const;
};

} // namespace zaitaku::identity::face
