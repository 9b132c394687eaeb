#include "verify/identity/face/FaceEmbedder.h"

#include "device/camera/ImageMat.h"
#include "verify/identity/face/FaceAligner.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>

namespace zaitaku::identity::face
{

struct FaceEmbedder::Impl
{
    cv::dnn::Net net;
};

FaceEmbedder::FaceEmbedder(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}
FaceEmbedder::~FaceEmbedder() = default;

Expected<std::unique_ptr<FaceEmbedder>, Error> FaceEmbedder::load(base::ByteView onnx)
{
    auto impl = std::make_unique<Impl>();
    try {
        impl->net = cv::dnn::readNetFromONNX(reinterpret_cast<const char*>(onnx.data()), onnx.size());
    } catch (const cv::Exception& e) {
        return Unexpected(
            Error{Errc::ModelAltered, "the face recogniser cannot be loaded: " + std::string(e.what()), "models"});
    }
    if (impl->net.empty()) {
        return Unexpected(Error{Errc::ModelAltered, "the face recogniser cannot be loaded", "models"});
    }
    return std::unique_ptr<FaceEmbedder>(new FaceEmbedder(std::move(impl)));
}

Expected<FaceEmbedding, Error> FaceEmbedder::embed(const camera::Image& chip)
{
    if (chip.width() != kChipSize || chip.height() != kChipSize || chip.channels() != 3) {
        return Unexpected(Error{Errc::InvalidImage, "the recogniser takes a 150x150 colour chip"});
    }
    const cv::Mat input = camera::asMat(chip);
    cv::Mat output;
    try {
        m_impl->net.setInput(cv::dnn::blobFromImage(input, 1.0 / 256, {kChipSize, kChipSize},
                                                    cv::Scalar(122.782, 117.001, 104.298), /*swapRB=*/true,
                                                    /*crop=*/false));
        output = m_impl->net.forward();
    } catch (const cv::Exception& e) {
        return Unexpected(Error{Errc::InvalidImage, "the recogniser failed: " + std::string(e.what())});
    }
    if (output.total() != static_cast<std::size_t>(FaceEmbedding::kSize) || output.type() != CV_32F) {
        return Unexpected(Error{Errc::InvalidImage, "the recogniser gave an unexpected output shape"});
    }
    FaceEmbedding embedding;
    const float* values = output.ptr<float>();
    std::copy(values, values + FaceEmbedding::kSize, embedding.values().begin());
    output.setTo(0);
    if (!embedding.normalise()) {
        return Unexpected(Error{Errc::InvalidImage, "the recogniser gave an empty embedding"});
    }
    return embedding;
}

} // namespace zaitaku::identity::face
