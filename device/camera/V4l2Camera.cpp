#include "device/camera/V4l2Camera.h"

#include "base/Clock.h"
#include "device/camera/ImageMat.h"

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <opencv2/core.hpp>
#include <opencv2/videoio.hpp>
#include <thread>

namespace zaitaku::camera
{

struct V4l2Camera::Impl
{
    CameraSettings settings;
    const base::MonotonicClock* clock = nullptr;
    cv::VideoCapture capture;
    std::thread worker;
    std::mutex mutex;
    std::condition_variable changed;
    Image latest;
    std::uint64_t produced = 0;
    std::uint64_t delivered = 0;
    bool failed = false;
    bool stopping = false;

    void run()
    {
        while (true) {
            cv::Mat frame;
            bool ok = false;
            try {
                ok = capture.read(frame);
            } catch (const cv::Exception&) {
                ok = false;
            }
            std::lock_guard lock(mutex);
            if (stopping) {
                return;
            }
            if (!ok || frame.empty()) {
                failed = true;
                changed.notify_all();
                return;
            }
            latest = fromMat(frame, clock->sinceBoot().count());
            ++produced;
            changed.notify_all();
        }
    }
};

V4l2Camera::V4l2Camera(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}

V4l2Camera::~V4l2Camera()
{
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->stopping = true;
    }
    // read() returns with the next frame (or the driver's own select timeout); then the thread ends.
    if (m_impl->worker.joinable()) {
        m_impl->worker.join();
    }
}

Expected<std::unique_ptr<V4l2Camera>, device::Error> V4l2Camera::open(const CameraSettings& settings,
                                                                      const base::MonotonicClock& clock)
{
    const std::string node = "/dev/video" + std::to_string(settings.index);
    std::error_code ec;
    if (!std::filesystem::exists(node, ec)) {
        return Unexpected(device::Error{device::Errc::NoCamera, "no camera at " + node, "camera"});
    }
    auto impl = std::make_unique<Impl>();
    impl->settings = settings;
    impl->clock = &clock;
    try {
        impl->capture.open(settings.index, cv::CAP_V4L2);
    } catch (const cv::Exception& e) {
        return Unexpected(device::Error{device::Errc::NoCamera, "cannot open " + node + ": " + e.what(), "camera"});
    }
    if (!impl->capture.isOpened()) {
        return Unexpected(device::Error{device::Errc::NoCamera,
                                        "cannot open " + node + " (busy, or not a capture device)", "camera"});
    }
    impl->capture.set(cv::CAP_PROP_FRAME_WIDTH, settings.width);
    impl->capture.set(cv::CAP_PROP_FRAME_HEIGHT, settings.height);
    impl->worker = std::thread([raw = impl.get()] { raw->run(); });
    return std::unique_ptr<V4l2Camera>(new V4l2Camera(std::move(impl)));
}

Expected<Image, device::Error> V4l2Camera::nextFrame(std::chrono::milliseconds timeout)
{
    std::unique_lock lock(m_impl->mutex);
    m_impl->changed.wait_for(lock, timeout, [&] { return m_impl->failed || m_impl->produced > m_impl->delivered; });
    if (m_impl->produced > m_impl->delivered) {
        m_impl->delivered = m_impl->produced;
        return m_impl->latest;
    }
    if (m_impl->failed) {
        return Unexpected(device::Error{device::Errc::CameraFailed, "camera " + std::to_string(m_impl->settings.index) +
                                                                        " stopped delivering frames"});
    }
    return Unexpected(device::Error{device::Errc::Timeout, "no frame from camera " +
                                                               std::to_string(m_impl->settings.index) + " within " +
                                                               std::to_string(timeout.count()) + " ms"});
}

std::string V4l2Camera::describe() const
{
    return "camera " + std::to_string(m_impl->settings.index) + " (V4L2)";
}

} // namespace zaitaku::camera
