#include "hardware/vcard/CardImage.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace zaitaku::hardware
{

namespace
{

// A face-like test pattern for when no photo is given: an oval with eyes and a mouth.
cv::Mat testPattern()
{
    cv::Mat img(120, 90, CV_8UC1, cv::Scalar(200));
    cv::ellipse(img, {45, 62}, {30, 40}, 0, 0, 360, cv::Scalar(150), cv::FILLED);
    cv::circle(img, {34, 52}, 4, cv::Scalar(40), cv::FILLED);
    cv::circle(img, {56, 52}, 4, cv::Scalar(40), cv::FILLED);
    cv::ellipse(img, {45, 82}, {10, 4}, 0, 0, 180, cv::Scalar(60), 2);
    return img;
}

} // namespace

Expected<base::Bytes, Error> encodeFacePhoto(const std::string& imagePath)
{
    cv::Mat grey;
    if (imagePath.empty()) {
        grey = testPattern();
    } else {
        grey = cv::imread(imagePath, cv::IMREAD_GRAYSCALE);
        if (grey.empty()) {
            return Unexpected(Error{device::Errc::InvalidInput, "cannot read the face photo " + imagePath});
        }
        // The chip photo is small (docs/design/FACE.md: card-like 90x120, about 4 KB).
        cv::resize(grey, grey, {90, 120}, 0, 0, cv::INTER_AREA);
    }
    std::vector<std::uint8_t> out;
    if (!cv::imencode(".jp2", grey, out, {cv::IMWRITE_JPEG2000_COMPRESSION_X1000, 125})) {
        return Unexpected(Error{device::Errc::InvalidInput, "JPEG 2000 encoding failed"});
    }
    return base::Bytes(out.begin(), out.end());
}

base::Bytes placeholderPng(int width, int height)
{
    cv::Mat img(height, width, CV_8UC1, cv::Scalar(255));
    cv::rectangle(img, {1, 1}, {width - 2, height - 2}, cv::Scalar(0), 1);
    std::vector<std::uint8_t> out;
    cv::imencode(".png", img, out);
    return base::Bytes(out.begin(), out.end());
}

} // namespace zaitaku::hardware
