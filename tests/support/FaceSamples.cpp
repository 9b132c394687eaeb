#include "support/FaceSamples.h"

#include "device/camera/ImageCodec.h"
#include "device/camera/ImageMat.h"
#include "verify/identity/face/FaceEngine.h"

#include <cstdlib>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace zaitaku::test
{

namespace face = identity::face;

std::string faceSamplesDir()
{
    const char* dir = std::getenv("ZAITAKU_FACE_SAMPLES");
    return dir == nullptr ? std::string() : std::string(dir);
}

camera::Image loadSample(int index)
{
    auto image = camera::readImageFile(faceSamplesDir() + "/sample" + std::to_string(index) + ".jpg");
    if (!image) {
        throw std::runtime_error(image.error().message);
    }
    return std::move(*image);
}

std::vector<Portrait> usablePortraits(face::FaceEngine& engine)
{
    std::vector<Portrait> out;
    for (int s = 1; s <= 6; ++s) {
        const camera::Image photo = loadSample(s);
        const cv::Mat full = camera::asMat(photo);
        const auto faces = engine.detector().detect(photo);
        for (std::size_t i = 0; i < faces.size(); ++i) {
            const auto& f = faces[i];
            // A 3:4 portrait around the face, twice its width: what a tablet's front camera sees.
            const double width = 2.0 * f.width;
            const double height = width * 4.0 / 3.0;
            const double cx = f.x + f.width / 2.0, cy = f.y + f.height / 2.0;
            cv::Rect crop(static_cast<int>(cx - width / 2), static_cast<int>(cy - height * 0.45),
                          static_cast<int>(width), static_cast<int>(height));
            if ((crop & cv::Rect(0, 0, full.cols, full.rows)) != crop) {
                continue;
            }
            cv::Mat frame;
            cv::resize(full(crop), frame, {480, 640}, 0, 0, cv::INTER_AREA);
            Portrait p{"sample" + std::to_string(s) + "#" + std::to_string(i), camera::fromMat(frame), {}};
            const face::FaceAnalysis analysis = engine.analyse(p.frame, face::QualityLimits{});
            if (analysis.embedding) {
                p.face = *analysis.assessment.face;
                out.push_back(std::move(p));
            }
        }
    }
    return out;
}

camera::Image shrunkOnCanvas(const camera::Image& frame, double factor)
{
    cv::Mat canvas(480, 640, CV_8UC3, cv::Scalar(128, 128, 128));
    cv::Mat small;
    cv::resize(camera::asMat(frame), small, {}, factor, factor, cv::INTER_AREA);
    small.copyTo(
        canvas(cv::Rect((canvas.cols - small.cols) / 2, (canvas.rows - small.rows) / 2, small.cols, small.rows)));
    return camera::fromMat(canvas);
}

} // namespace zaitaku::test
