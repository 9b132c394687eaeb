#pragma once

// Frames from a video file (any container OpenCV's videoio reads; MJPEG AVI always works).
// Timestamps are the position in the stream, so a recorded visit replays with its own timing.

#include "device/camera/FrameSource.h"

namespace zaitaku::camera
{

class VideoFileSource final : public FrameSource
{
public:
    static Expected<std::unique_ptr<VideoFileSource>, device::Error> open(const std::string& path);
    ~VideoFileSource() override;

    Expected<Image, device::Error> nextFrame(std::chrono::milliseconds timeout) override;
    std::string describe() const override;

private:
    struct Impl;
    explicit VideoFileSource(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace zaitaku::camera
