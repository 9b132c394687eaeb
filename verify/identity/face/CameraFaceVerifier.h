#pragma once

// Face verification at the door: the card's chip photo against the live camera (docs/design/DESIGN.md §3).
//
// The chip photo is embedded once. Frames are then read until enough usable ones (policy.frames,
// spread over policy.window) or the timeout: each frame is detected, checked (FaceQuality), aligned
// and embedded, and scored against the card. The decision score is the second best of the usable
// frames, so one lucky frame cannot pass alone. Then the presentation check, then the threshold.
// Pictures and embeddings live in memory only for the decision and are wiped; the result holds the
// score, the threshold, the model id and the decision.

#include "verify/identity/FaceVerifier.h"
#include "verify/identity/face/FaceIssue.h"
#include "verify/identity/face/FacePolicy.h"

#include <functional>
#include <memory>
#include <optional>

namespace zaitaku::camera
{
class FrameSource;
class Image;
} // namespace zaitaku::camera

namespace zaitaku::base
{
class MonotonicClock;
} // namespace zaitaku::base

namespace zaitaku::identity::face
{

class FaceEngine;

// What the UI shows while the capture runs. `frame` is the picture just analysed (for the live
// preview), valid only during the call.
struct FaceProgress
{
    std::optional<FaceIssue> issue; // guidance for this frame; none: it was usable
    int usableFrames = 0;
    int framesWanted = 0;
    std::chrono::milliseconds elapsed{0};
    const camera::Image* frame = nullptr;
};

using FaceProgressObserver = std::function<void(const FaceProgress&)>;

class CameraFaceVerifier final : public FaceVerifier
{
public:
    CameraFaceVerifier(FaceEngine& engine,
                       camera::FrameSource& source,
                       const base::MonotonicClock& clock,
                       FacePolicy policy,
                       FaceProgressObserver observer = {});

    bool available() const override { return true; }
    std::string unavailableReason() const override { return {}; }
    Expected<FaceDecision, Error> verify(base::ByteView chipPhoto, std::chrono::milliseconds timeout) override;

    const FacePolicy& policy() const { return m_policy; }

private:
    FaceEngine& m_engine;
    camera::FrameSource& m_source;
    const base::MonotonicClock& m_clock;
    FacePolicy m_policy;
    FaceProgressObserver m_observer;
};

} // namespace zaitaku::identity::face
