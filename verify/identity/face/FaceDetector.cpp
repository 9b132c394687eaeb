#include "verify/identity/face/FaceDetector.h"

#include "device/camera/ImageMat.h"

#include <algorithm>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect/face.hpp>

namespace zaitaku::identity::face
{

struct FaceDetector::Impl
{
    DetectorSettings settings;
    cv::Ptr<cv::FaceDetectorYN> yunet;
    cv::Size inputSize;
};

FaceDetector::FaceDetector(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}
FaceDetector::~FaceDetector() = default;

Expected<std::unique_ptr<FaceDetector>, Error> FaceDetector::load(const std::string& modelPath,
                                                                  DetectorSettings settings)
{
    auto impl = std::make_unique<Impl>();
    impl->settings = settings;
    try {
        impl->yunet = cv::FaceDetectorYN::create(modelPath, "", cv::Size(320, 320), settings.scoreThreshold,
                                                 settings.nmsThreshold, 5000);
    } catch (const cv::Exception& e) {
        return Unexpected(
            Error{Errc::ModelAltered, "the face detector cannot be loaded: " + std::string(e.what()), "models"});
    }
    if (impl->yunet.empty()) {
        return Unexpected(Error{Errc::ModelAltered, "the face detector cannot be loaded", "models"});
    }
    impl->inputSize = cv::Size(320, 320);
    return std::unique_ptr<FaceDetector>(new FaceDetector(std::move(impl)));
}

std::vector<DetectedFace> FaceDetector::detect(const camera::Image& image)
{
    if (image.empty()) {
        return {};
    }
    cv::Mat input = camera::asMat(image);
    if (input.channels() == 1) {
        cv::cvtColor(input, input, cv::COLOR_GRAY2BGR);
    }
    double scale = 1.0;
    const int longer = std::max(input.cols, input.rows);
    if (longer > m_impl->settings.maxSide) {
        scale = static_cast<double>(m_impl->settings.maxSide) / longer;
        cv::resize(input, input, {}, scale, scale, cv::INTER_AREA);
    } else if (input.rows < m_impl->settings.upscaleBelow) {
        scale = 2.0;
        cv::resize(input, input, {}, scale, scale, cv::INTER_CUBIC);
    }
    if (input.size() != m_impl->inputSize) {
        m_impl->yunet->setInputSize(input.size());
        m_impl->inputSize = input.size();
    }
    cv::Mat rows;
    m_impl->yunet->detect(input, rows);

    std::vector<DetectedFace> faces;
    const auto back = [scale](float v) { return static_cast<float>(v / scale); };
    for (int r = 0; r < rows.rows; ++r) {
        const float* f = rows.ptr<float>(r);
        DetectedFace face;
        face.x = back(f[0]);
        face.y = back(f[1]);
        face.width = back(f[2]);
        face.height = back(f[3]);
        for (int i = 0; i < 5; ++i) {
            face.landmarks[static_cast<std::size_t>(i)] = {back(f[4 + 2 * i]), back(f[5 + 2 * i])};
        }
        face.score = f[14];
        faces.push_back(face);
    }
    std::sort(faces.begin(), faces.end(),
              [](const DetectedFace& a, const DetectedFace& b) { return a.width * a.height > b.width * b.height; });
    return faces;
}

} // namespace zaitaku::identity::face
