#include "device/camera/Image.h"

#include <cstring>
#include <utility>

namespace zaitaku::camera
{

Image::Image(int width, int height, PixelFormat format)
    : m_width(width > 0 ? width : 0)
    , m_height(height > 0 ? height : 0)
    , m_format(format)
    , m_pixels(static_cast<std::size_t>(m_width) * static_cast<std::size_t>(m_height) *
               static_cast<std::size_t>(channels()))
{}

Image::~Image()
{
    wipe();
}

Image::Image(Image&& other) noexcept
    : capturedNs(other.capturedNs)
    , m_width(std::exchange(other.m_width, 0))
    , m_height(std::exchange(other.m_height, 0))
    , m_format(other.m_format)
    , m_pixels(std::move(other.m_pixels))
{
    other.m_pixels.clear();
}

Image& Image::operator=(Image&& other) noexcept
{
    if (this != &other) {
        wipe();
        capturedNs = other.capturedNs;
        m_width = std::exchange(other.m_width, 0);
        m_height = std::exchange(other.m_height, 0);
        m_format = other.m_format;
        m_pixels = std::move(other.m_pixels);
        other.m_pixels.clear();
    }
    return *this;
}

void Image::wipe()
{
    // explicit_bzero: the compiler may not drop it as a dead store.
    if (!m_pixels.empty()) {
        explicit_bzero(m_pixels.data(), m_pixels.size());
    }
}

} // namespace zaitaku::camera
