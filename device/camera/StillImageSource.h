#pragma once

// One still image served as a stream: every frame is the same picture. Useful to check a photo
// against a card from the CLI; face verification rejects it as a frozen frame by design.

#include "device/camera/FrameSource.h"

namespace zaitaku::camera
{

class StillImageSource final : public FrameSource
{
public:
    StillImageSource(Image image, std::string name, std::chrono::nanoseconds frameInterval);

    Expected<Image, device::Error> nextFrame(std::chrono::milliseconds timeout) override;
    std::string describe() const override;

private:
    Image m_image;
    std::string m_name;
    std::chrono::nanoseconds m_interval;
    std::int64_t m_frames = 0;
};

} // namespace zaitaku::camera
