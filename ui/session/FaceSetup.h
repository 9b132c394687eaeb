#pragma once

// The face path of a visit, opened for one visit by the CLI (`visit first --camera SPEC`) and the
// app (its camera setting): the models (checked against their compiled-in sha256), the frame
// source and the CameraFaceVerifier. When there is no camera setting or something does not open,
// the verifier says so and the visit engine offers PIN or visual instead.

#include "base/Clock.h"
#include "verify/identity/FaceVerifier.h"
#include "verify/identity/face/CameraFaceVerifier.h"

#include <memory>
#include <string>

namespace zaitaku::camera
{
class FrameSource;
}
namespace zaitaku::identity::face
{
class FaceEngine;
}

namespace zaitaku::session
{

class FaceSetup
{
public:
    // cameraSpec: "camera:N" or a video/image file; empty: no face path. modelDir empty: the
    // installed models.
    static std::unique_ptr<FaceSetup> open(const std::string& cameraSpec,
                                           const std::string& modelDir,
                                           const base::MonotonicClock& clock,
                                           identity::face::FaceProgressObserver observer = {});
    ~FaceSetup();
    FaceSetup(const FaceSetup&) = delete;
    FaceSetup& operator=(const FaceSetup&) = delete;

    identity::FaceVerifier& verifier() { return *m_verifier; }

private:
    FaceSetup() = default;
    std::unique_ptr<identity::face::FaceEngine> m_engine;
    std::unique_ptr<camera::FrameSource> m_source;
    std::unique_ptr<identity::FaceVerifier> m_verifier;
};

} // namespace zaitaku::session
