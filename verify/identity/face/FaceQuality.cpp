#include "verify/identity/face/FaceQuality.h"

#include "device/camera/ImageMat.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace zaitaku::identity::face
{

namespace
{
constexpr int kSharpnessSide = 112;
}

FrameAssessment
assessGeometry(int width, int height, const std::vector<DetectedFace>& faces, const QualityLimits& limits)
{
    FrameAssessment out;
    if (faces.empty()) {
        out.issue = FaceIssue::NoFace;
        return out;
    }
    const DetectedFace& face = *std::max_element(
        faces.begin(), faces.end(), [](const auto& a, const auto& b) { return a.eyeDistance() < b.eyeDistance(); });
    out.face = face;
    FrameMetrics& m = out.metrics;
    m.eyeDistance = face.eyeDistance();
    const std::size_t others = static_cast<std::size_t>(std::count_if(faces.begin(), faces.end(), [&](const auto& f) {
        return &f != &face && f.eyeDistance() >= limits.secondFaceRatio * m.eyeDistance;
    }));
    if (others > 0) {
        out.issue = FaceIssue::MultipleFaces;
        return out;
    }
    if (m.eyeDistance < limits.minEyeDistance) {
        out.issue = FaceIssue::TooSmall;
        return out;
    }
    const float margin = 0.05f * face.width;
    if (face.x < -margin || face.y < -margin || face.x + face.width > static_cast<float>(width) + margin ||
        face.y + face.height > static_cast<float>(height) + margin) {
        out.issue = FaceIssue::OutOfFrame;
        return out;
    }
    const Point2 eyes = face.eyeCentre();
    const Point2 mouth = face.mouthCentre();
    const Point2 nose = face.landmarks[kNoseTip];
    const Point2 right = face.landmarks[kRightEye];
    const Point2 left = face.landmarks[kLeftEye];
    m.rollDegrees = std::atan2(left.y - right.y, left.x - right.x) * 180.0 / std::numbers::pi;
    // Offsets measured along and across the eye line, so a tilted head is not taken for a turned one.
    const double ux = (left.x - right.x) / m.eyeDistance, uy = (left.y - right.y) / m.eyeDistance;
    const double nx = nose.x - eyes.x, ny = nose.y - eyes.y;
    m.yaw = (nx * ux + ny * uy) / m.eyeDistance;
    const double noseDrop = -nx * uy + ny * ux;
    const double mouthDrop = -(mouth.x - eyes.x) * uy + (mouth.y - eyes.y) * ux;
    m.pitchRatio = mouthDrop > 0 ? noseDrop / mouthDrop : 0;
    if (std::abs(m.yaw) > limits.maxYaw || std::abs(m.rollDegrees) > limits.maxRollDegrees ||
        m.pitchRatio < limits.minPitchRatio || m.pitchRatio > limits.maxPitchRatio) {
        out.issue = FaceIssue::NotFrontal;
    }
    return out;
}

FrameAssessment
assessFrame(const camera::Image& frame, const std::vector<DetectedFace>& faces, const QualityLimits& limits)
{
    FrameAssessment out = assessGeometry(frame.width(), frame.height(), faces, limits);
    if (out.issue || !out.face) {
        return out;
    }
    const DetectedFace& face = *out.face;
    const cv::Rect box = cv::Rect(cv::Point(static_cast<int>(face.x), static_cast<int>(face.y)),
                                  cv::Size(static_cast<int>(face.width), static_cast<int>(face.height))) &
                         cv::Rect(0, 0, frame.width(), frame.height());
    if (box.area() <= 0) {
        out.issue = FaceIssue::OutOfFrame;
        return out;
    }
    cv::Mat grey = camera::asMat(frame)(box);
    if (grey.channels() == 3) {
        cv::cvtColor(grey, grey, cv::COLOR_BGR2GRAY);
    }
    out.metrics.brightness = cv::mean(grey)[0];
    // Sharpness at a fixed scale (the face box at chip size), so near and far faces compare alike.
    cv::Mat scaled, laplacian;
    cv::resize(grey, scaled, {kSharpnessSide, kSharpnessSide}, 0, 0, cv::INTER_AREA);
    cv::Laplacian(scaled, laplacian, CV_64F);
    cv::Scalar mean, stddev;
    cv::meanStdDev(laplacian, mean, stddev);
    out.metrics.sharpness = stddev[0] * stddev[0];
    if (out.metrics.brightness < limits.minBrightness) {
        out.issue = FaceIssue::TooDark;
    } else if (out.metrics.brightness > limits.maxBrightness) {
        out.issue = FaceIssue::TooBright;
    } else if (out.metrics.sharpness < limits.minSharpness) {
        out.issue = FaceIssue::Blurry;
    }
    return out;
}

} // namespace zaitaku::identity::face
