#include "device/camera/SyntheticFrameSource.h"

#include "base/Random.h"
#include "device/camera/ImageMat.h"

#include <array>
#include <cmath>
#include <numbers>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

namespace zaitaku::camera
{

SyntheticFrameSource::SyntheticFrameSource(Image scene, SyntheticSettings settings, base::RandomSource& random)
    : m_scene(std::move(scene))
    , m_settings(settings)
    , m_random(random)
{}

Expected<Image, device::Error> SyntheticFrameSource::nextFrame(std::chrono::milliseconds)
{
    if (m_settings.frames > 0 && m_frame >= m_settings.frames) {
        return Unexpected(device::Error{device::Errc::EndOfStream, "the synthetic source has no more frames"});
    }
    const std::int64_t index = m_frame++;
    const std::int64_t capturedNs = index * m_settings.frameInterval.count();
    if (m_settings.motion == SyntheticMotion::Frozen) {
        Image same = m_scene;
        same.capturedNs = capturedNs;
        return same;
    }
    // A slow sway (about 2 s period) plus a slight turn, as a hand-held tablet and a living face give.
    const double t = static_cast<double>(capturedNs) / 1e9;
    const double phase = 2.0 * std::numbers::pi * t / 2.0;
    const double dx = m_settings.driftPixels * std::sin(phase);
    const double dy = 0.5 * m_settings.driftPixels * std::sin(2.0 * phase + 1.0);
    const double angle = 1.5 * std::sin(phase + 0.5); // degrees
    const cv::Mat scene = asMat(m_scene);
    const cv::Point2f centre(static_cast<float>(scene.cols) / 2.0f, static_cast<float>(scene.rows) / 2.0f);
    cv::Mat warp = cv::getRotationMatrix2D(centre, angle, 1.0);
    warp.at<double>(0, 2) += dx;
    warp.at<double>(1, 2) += dy;
    cv::Mat moved;
    cv::warpAffine(scene, moved, warp, scene.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);

    std::array<std::uint8_t, 8> seedBytes{};
    m_random.fill(seedBytes);
    std::uint64_t seed = 0;
    for (std::uint8_t b : seedBytes) {
        seed = (seed << 8) | b;
    }
    cv::RNG rng(seed);
    cv::Mat noise(moved.size(), CV_16SC(moved.channels()));
    rng.fill(noise, cv::RNG::NORMAL, 0.0, m_settings.noiseSigma);
    cv::Mat noisy;
    cv::add(moved, noise, noisy, cv::noArray(), moved.type());
    return fromMat(noisy, capturedNs);
}

std::string SyntheticFrameSource::describe() const
{
    return m_settings.motion == SyntheticMotion::Frozen ? "synthetic (frozen)" : "synthetic";
}

} // namespace zaitaku::camera
