#include "verify/identity/face/FaceTypes.h"

#include <cmath>

namespace zaitaku::identity::face
{

Point2 DetectedFace::eyeCentre() const
{
    return {(landmarks[kRightEye].x + landmarks[kLeftEye].x) / 2, (landmarks[kRightEye].y + landmarks[kLeftEye].y) / 2};
}

Point2 DetectedFace::mouthCentre() const
{
    return {(landmarks[kRightMouth].x + landmarks[kLeftMouth].x) / 2,
            (landmarks[kRightMouth].y + landmarks[kLeftMouth].y) / 2};
}

double DetectedFace::eyeDistance() const
{
    return std::hypot(landmarks[kLeftEye].x - landmarks[kRightEye].x, landmarks[kLeftEye].y - landmarks[kRightEye].y);
}

} // namespace zaitaku::identity::face
