#include "device/camera/StillImageSource.h"

namespace zaitaku::camera
{

StillImageSource::StillImageSource(Image image, std::string name, std::chrono::nanoseconds frameInterval)
    : m_image(std::move(image))
    , m_name(std::move(name))
    , m_interval(frameInterval)
{}

Expected<Image, device::Error> StillImageSource::nextFrame(std::chrono::milliseconds)
{
    Image frame = m_image;
    frame.capturedNs = m_frames++ * m_interval.count();
    return frame;
}

std::string StillImageSource::describe() const
{
    return "image " + m_name;
}

} // namespace zaitaku::camera
