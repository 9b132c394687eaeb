#include "verify/identity/face/PresentationCheck.h"

#include <algorithm>
#include <cmath>

namespace zaitaku::identity::face
{

std::optional<FaceIssue> checkPresentation(const std::vector<CaptureSample>& samples, double minMotion)
{
    if (samples.size() < 2) {
        return FaceIssue::NoMotion;
    }
    const auto repeats =
        std::count_if(samples.begin() + 1, samples.end(), [](const CaptureSample& s) { return s.sameAsPrevious; });
    if (2 * repeats >= static_cast<std::ptrdiff_t>(samples.size() - 1)) {
        return FaceIssue::FrozenFrame;
    }
    double eyeDistance = 0;
    for (const auto& s : samples) {
        eyeDistance += s.face.eyeDistance();
    }
    eyeDistance /= static_cast<double>(samples.size());
    double largest = 0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
        for (std::size_t k = i + 1; k < samples.size(); ++k) {
            const Point2 a = samples[i].face.eyeCentre();
            const Point2 b = samples[k].face.eyeCentre();
            largest = std::max(largest, static_cast<double>(std::hypot(a.x - b.x, a.y - b.y)));
        }
    }
    if (eyeDistance <= 0 || largest / eyeDistance < minMotion) {
        return FaceIssue::NoMotion;
    }
    return std::nullopt;
}

} // namespace zaitaku::identity::face
