#include "device/camera/ImageMat.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace zaitaku::camera
{

cv::Mat asMat(const Image& image)
{
    if (image.empty()) {
        return {};
    }
    const int type = image.format() == PixelFormat::Gray8 ? CV_8UC1 : CV_8UC3;
    // cv::Mat has no const view; callers that only read keep it that way.
    return cv::Mat(image.height(), image.width(), type, const_cast<std::uint8_t*>(image.data()));
}

Image fromMat(const cv::Mat& mat, std::int64_t capturedNs)
{
    if (mat.empty() || mat.depth() != CV_8U) {
        return {};
    }
    cv::Mat source = mat;
    if (mat.channels() == 4) {
        cv::cvtColor(mat, source, cv::COLOR_BGRA2BGR);
    } else if (mat.channels() != 1 && mat.channels() != 3) {
        return {};
    }
    Image out(source.cols, source.rows, source.channels() == 1 ? PixelFormat::Gray8 : PixelFormat::Bgr8);
    cv::Mat target = asMat(out);
    source.copyTo(target);
    out.capturedNs = capturedNs;
    return out;
}

} // namespace zaitaku::camera
