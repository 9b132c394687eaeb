#pragma once

// Where camera frames come from: a V4L2 camera, a video or image file, or a synthetic source for
// tests. One interface, and every read has a timeout (a camera can hang or vanish).

#include "base/Expected.h"
#include "device/DeviceError.h"
#include "device/camera/Image.h"

#include <chrono>
#include <memory>
#include <string>

namespace zaitaku::base
{
class MonotonicClock;
} // namespace zaitaku::base

namespace zaitaku::camera
{

class FrameSource
{
public:
    virtual ~FrameSource() = default;

    // The next frame, BGR. Errc::Timeout when none came in time, Errc::EndOfStream when a file
    // has no more, Errc::CameraFailed when the device stopped.
    virtual Expected<Image, device::Error> nextFrame(std::chrono::milliseconds timeout) = 0;
    // For logs and the UI: "camera 0 (640x480)", "video visit.avi".
    virtual std::string describe() const = 0;
};

// "camera:N" or "N" → the V4L2 camera N; a .jpg/.jpeg/.png/.jp2/.j2k file → that still image
// repeated; anything else → a video file. Errc::NoCamera / Errc::InvalidImage when it cannot open.
Expected<std::unique_ptr<FrameSource>, device::Error> openFrameSource(const std::string& spec,
                                                                      const base::MonotonicClock& clock);

} // namespace zaitaku::camera
