#include "device/camera/VideoFileSource.h"

#include "device/camera/ImageMat.h"

#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>

namespace zaitaku::camera
{

struct VideoFileSource::Impl
{
    std::string path;
    cv::VideoCapture capture;
    double fps = 0;
    std::int64_t frames = 0;
};

VideoFileSource::VideoFileSource(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}
VideoFileSource::~VideoFileSource() = default;

Expected<std::unique_ptr<VideoFileSource>, device::Error> VideoFileSource::open(const std::string& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
        return Unexpected(device::Error{device::Errc::NoCamera, "no such video file: " + path, "video"});
    }
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    try {
        impl->capture.open(path, cv::CAP_ANY);
    } catch (const cv::Exception& e) {
        return Unexpected(
            device::Error{device::Errc::NoCamera, "cannot open the video " + path + ": " + e.what(), "video"});
    }
    if (!impl->capture.isOpened()) {
        return Unexpected(
            device::Error{device::Errc::NoCamera, "cannot open the video " + path + " (unknown format?)", "video"});
    }
    impl->fps = impl->capture.get(cv::CAP_PROP_FPS);
    return std::unique_ptr<VideoFileSource>(new VideoFileSource(std::move(impl)));
}

Expected<Image, device::Error> VideoFileSource::nextFrame(std::chrono::milliseconds)
{
    cv::Mat frame;
    bool ok = false;
    try {
        ok = m_impl->capture.read(frame);
    } catch (const cv::Exception& e) {
        return Unexpected(
            device::Error{device::Errc::CameraFailed, "the video cannot be read: " + std::string(e.what())});
    }
    if (!ok || frame.empty()) {
        return Unexpected(
            device::Error{device::Errc::EndOfStream, "the video " + m_impl->path + " has no more frames"});
    }
    // The frame's place in the stream at the container's nominal rate (15 fps when it gives none).
    const double fps = m_impl->fps > 0 ? m_impl->fps : 15.0;
    const auto ns = static_cast<std::int64_t>(static_cast<double>(m_impl->frames++) * 1e9 / fps);
    return fromMat(frame, ns);
}

std::string VideoFileSource::describe() const
{
    return "video " + m_impl->path;
}

} // namespace zaitaku::camera
