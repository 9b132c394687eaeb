#include "device/camera/FrameSource.h"

#include "device/camera/ImageCodec.h"
#include "device/camera/StillImageSource.h"
#include "device/camera/V4l2Camera.h"
#include "device/camera/VideoFileSource.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace zaitaku::camera
{

namespace
{

bool allDigits(const std::string& s)
{
    return !s.empty() && s.size() < 4 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool isStillImage(const std::string& path)
{
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".jp2" || ext == ".j2k";
}

} // namespace

Expected<std::unique_ptr<FrameSource>, device::Error> openFrameSource(const std::string& spec,
                                                                      const base::MonotonicClock& clock)
{
    using R = Expected<std::unique_ptr<FrameSource>, device::Error>;
    const std::string index = spec.rfind("camera:", 0) == 0 ? spec.substr(7) : spec;
    if (allDigits(index)) {
        auto camera = V4l2Camera::open(CameraSettings{std::stoi(index)}, clock);
        return camera ? R(std::move(*camera)) : R(Unexpected(camera.error()));
    }
    if (isStillImage(spec)) {
        auto image = readImageFile(spec);
        if (!image) {
            return Unexpected(image.error());
        }
        return std::unique_ptr<FrameSource>(
            std::make_unique<StillImageSource>(std::move(*image), spec, std::chrono::nanoseconds(66'666'667)));
    }
    auto video = VideoFileSource::open(spec);
    return video ? R(std::move(*video)) : R(Unexpected(video.error()));
}

} // namespace zaitaku::camera
