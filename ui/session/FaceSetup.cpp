#include "ui/session/FaceSetup.h"

#include "device/camera/FrameSource.h"
#include "verify/identity/face/FaceEngine.h"
#include "verify/identity/face/FaceModels.h"

namespace zaitaku::session
{

std::unique_ptr<FaceSetup> FaceSetup::open(const std::string& cameraSpec,
                                           const std::string& modelDir,
                                           const base::MonotonicClock& clock,
                                           identity::face::FaceProgressObserver observer)
{
    std::unique_ptr<FaceSetup> setup(new FaceSetup());
    if (cameraSpec.empty()) {
        setup->m_verifier =
            std::make_unique<identity::NoFaceVerifier>("カメラが設定されていません (no camera is set up)");
        return setup;
    }
    auto engine = identity::face::FaceEngine::load(modelDir.empty() ? identity::face::defaultModelDir() : modelDir);
    if (!engine) {
        setup->m_verifier =
            std::make_unique<identity::NoFaceVerifier>("顔認証モデルを読み込めません: " + engine.error().message);
        return setup;
    }
    auto source = camera::openFrameSource(cameraSpec, clock);
    if (!source) {
        setup->m_verifier = std::make_unique<identity::NoFaceVerifier>("カメラを開けません: " + source.error().message);
        return setup;
    }
    setup->m_engine = std::move(*engine);
    setup->m_source = std::move(*source);
    setup->m_verifier = std::make_unique<identity::face::CameraFaceVerifier>(
        *setup->m_engine, *setup->m_source, clock, identity::face::FacePolicy{}, std::move(observer));
    return setup;
}

FaceSetup::~FaceSetup() = default;

} // namespace zaitaku::session
