#pragma once

// A decoded picture as plain bytes: what the camera delivers and what face verification reads.
// OpenCV stays out of this header (it costs seconds per translation unit); ImageMat.h wraps one
// as a cv::Mat inside .cpp files. Pixels are biometric data: they are wiped when the image dies
// and never written anywhere by the appliance.

#include <cstdint>
#include <vector>

namespace zaitaku::camera
{

enum class PixelFormat
{
    Gray8,
    Bgr8,
};

class Image
{
public:
    Image() = default;
    Image(int width, int height, PixelFormat format);
    ~Image();
    Image(const Image&) = default;
    Image& operator=(const Image&) = default;
    Image(Image&& other) noexcept;
    Image& operator=(Image&& other) noexcept;

    int width() const { return m_width; }
    int height() const { return m_height; }
    PixelFormat format() const { return m_format; }
    int channels() const { return m_format == PixelFormat::Gray8 ? 1 : 3; }
    bool empty() const { return m_pixels.empty(); }
    std::uint8_t* data() { return m_pixels.data(); }
    const std::uint8_t* data() const { return m_pixels.data(); }
    std::size_t sizeBytes() const { return m_pixels.size(); }

    // When the frame was captured, on the source's clock (steady clock for a camera, the stream
    // position for a video, virtual time for a synthetic source). Orders frames and measures motion.
    std::int64_t capturedNs = 0;

private:
    void wipe();

    int m_width = 0;
    int m_height = 0;
    PixelFormat m_format = PixelFormat::Bgr8;
    std::vector<std::uint8_t> m_pixels;
};

} // namespace zaitaku::camera
