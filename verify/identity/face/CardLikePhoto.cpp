#include "verify/identity/face/CardLikePhoto.h"

#include "device/camera/ImageCodec.h"
#include "device/camera/ImageMat.h"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace zaitaku::identity::face
{

camera::Image cardFraming(const camera::Image& picture, const DetectedFace& face)
{
    const Point2 eyes = face.eyeCentre();
    const Point2 mouth = face.mouthCentre();
    const double eyeToMouth = std::max(1.0, static_cast<double>(std::hypot(mouth.x - eyes.x, mouth.y - eyes.y)));
    const double scale = 0.18 * kCardPhotoHeight / eyeToMouth;
    const double cropWidth = kCardPhotoWidth / scale;
    const double cropHeight = kCardPhotoHeight / scale;
    const double x0 = eyes.x - cropWidth / 2;
    const double y0 = eyes.y - 0.52 * cropHeight;

    cv::Mat source = camera::asMat(picture);
    cv::Mat grey;
    if (source.channels() == 3) {
        cv::cvtColor(source, grey, cv::COLOR_BGR2GRAY);
    } else {
        grey = source;
    }
    const int pad = static_cast<int>(std::ceil(std::max(cropWidth, cropHeight)));
    cv::Mat padded;
    cv::copyMakeBorder(grey, padded, pad, pad, pad, pad, cv::BORDER_REPLICATE);
    const cv::Rect crop(static_cast<int>(std::lround(x0)) + pad, static_cast<int>(std::lround(y0)) + pad,
                        std::max(1, static_cast<int>(std::lround(cropWidth))),
                        std::max(1, static_cast<int>(std::lround(cropHeight))));
    cv::Mat card;
    cv::resize(padded(crop & cv::Rect(0, 0, padded.cols, padded.rows)), card, {kCardPhotoWidth, kCardPhotoHeight}, 0, 0,
               cv::INTER_AREA);
    return camera::fromMat(card);
}

Expected<base::Bytes, Error>
makeCardLikePhoto(const camera::Image& picture, const DetectedFace& face, std::size_t maxBytes)
{
    auto encoded = camera::encodeJpeg2000(cardFraming(picture, face), maxBytes);
    if (!encoded) {
        return Unexpected(Error{Errc::InvalidImage, encoded.error().message});
    }
    return std::move(*encoded);
}

} // namespace zaitaku::identity::face
