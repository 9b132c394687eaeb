#pragma once

// A V4L2 camera through OpenCV's videoio. A worker thread reads frames as the camera delivers them
// and keeps only the latest, so a slow consumer never sees stale frames and a hung driver never
// blocks the caller past its timeout.

#include "device/camera/FrameSource.h"

namespace zaitaku::camera
{

struct CameraSettings
{
    int index = 0;
    int width = 640;
    int height = 480;
};

class V4l2Camera final : public FrameSource
{
public:
    static Expected<std::unique_ptr<V4l2Camera>, device::Error> open(const CameraSettings& settings,
                                                                     const base::MonotonicClock& clock);
    ~V4l2Camera() override;

    Expected<Image, device::Error> nextFrame(std::chrono::milliseconds timeout) override;
    std::string describe() const override;

private:
    struct Impl;
    explicit V4l2Camera(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace zaitaku::camera
