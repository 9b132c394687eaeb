#pragma once

// Image ⇄ cv::Mat for the .cpp files that run OpenCV. cv::Mat is only declared here, so this header
// costs nothing to include; callers include <opencv2/core.hpp> themselves.

#include "device/camera/Image.h"

namespace cv
{
class Mat;
}

namespace zaitaku::camera
{

// A cv::Mat header over the image's pixels (no copy): valid while the image lives unchanged.
cv::Mat asMat(const Image& image);

// A copy of an 8-bit grey, BGR or BGRA matrix (BGRA loses alpha). Other depths give an empty image.
Image fromMat(const cv::Mat& mat, std::int64_t capturedNs = 0);

} // namespace zaitaku::camera
