#include "verify/identity/face/FaceAligner.h"

#include "device/camera/ImageMat.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace zaitaku::identity::face
{

std::array<double, 6> similarityTransform(const std::array<Point2, 5>& from, const std::array<Point2, 5>& to)
{
    double fx = 0, fy = 0, tx = 0, ty = 0;
    for (std::size_t i = 0; i < from.size(); ++i) {
        fx += from[i].x;
        fy += from[i].y;
        tx += to[i].x;
        ty += to[i].y;
    }
    const double n = static_cast<double>(from.size());
    fx /= n;
    fy /= n;
    tx /= n;
    ty /= n;
    // Closed form of the 2-D least-squares similarity: to ≈ [a -b; b a]·from + t.
    double dot = 0, cross = 0, norm = 0;
    for (std::size_t i = 0; i < from.size(); ++i) {
        const double px = from[i].x - fx, py = from[i].y - fy;
        const double qx = to[i].x - tx, qy = to[i].y - ty;
        dot += px * qx + py * qy;
        cross += px * qy - py * qx;
        norm += px * px + py * py;
    }
    if (norm <= 0) {
        return {1, 0, tx - fx, 0, 1, ty - fy};
    }
    const double a = dot / norm;
    const double b = cross / norm;
    return {a, -b, tx - (a * fx - b * fy), b, a, ty - (b * fx + a * fy)};
}

camera::Image alignToChip(const camera::Image& image, const DetectedFace& face)
{
    const std::array<double, 6> m = similarityTransform(face.landmarks, kChipTemplate);
    cv::Mat source = camera::asMat(image);
    if (source.channels() == 1) {
        cv::cvtColor(source, source, cv::COLOR_GRAY2BGR);
    }
    const cv::Mat warp = (cv::Mat_<double>(2, 3) << m[0], m[1], m[2], m[3], m[4], m[5]);
    cv::Mat chip;
    cv::warpAffine(source, chip, warp, {kChipSize, kChipSize}, cv::INTER_LINEAR, cv::BORDER_REPLICATE);
    return camera::fromMat(chip, image.capturedNs);
}

} // namespace zaitaku::identity::face
