#pragma once

// Frames made from one picture for tests and benchmarks, on virtual time (no waiting): the scene
// drifts by a few pixels, turns slightly and carries sensor noise, as a person in front of a
// hand-held tablet does; or, in Frozen mode, the very same frame again and again (a stuck camera
// or an injected still picture).

#include "device/camera/FrameSource.h"

namespace zaitaku::base
{
class RandomSource;
} // namespace zaitaku::base

namespace zaitaku::camera
{

enum class SyntheticMotion
{
    Natural,
    Frozen,
};

struct SyntheticSettings
{
    SyntheticMotion motion = SyntheticMotion::Natural;
    std::chrono::nanoseconds frameInterval{std::chrono::nanoseconds(66'666'667)}; // 15 fps
    double driftPixels = 3.0;                                                     // amplitude of the slow sway
    double noiseSigma = 2.0; // grey levels of sensor noise per pixel
    int frames = 0;          // then Errc::EndOfStream; 0 = endless
};

class SyntheticFrameSource final : public FrameSource
{
public:
    SyntheticFrameSource(Image scene, SyntheticSettings settings, base::RandomSource& random);

    Expected<Image, device::Error> nextFrame(std::chrono::milliseconds timeout) override;
    std::string describe() const override;

private:
    Image m_scene;
    SyntheticSettings m_settings;
    base::RandomSource& m_random;
    std::int64_t m_frame = 0;
};

} // namespace zaitaku::camera
