#pragma once

// The loaded models and the per-picture pipeline: detect → check quality → align → embed. One
// engine per process (loading costs about 60 ms); not thread-safe, use it from one thread.

#include "base/Bytes.h"
#include "base/Expected.h"
#include "device/camera/Image.h"
#include "verify/identity/IdentityError.h"
#include "verify/identity/face/FaceDetector.h"
#include "verify/identity/face/FaceEmbedding.h"
#include "verify/identity/face/FaceQuality.h"

#include <memory>
#include <optional>
#include <string>

namespace zaitaku::identity::face
{

class FaceEmbedder;

// A picture's face, ready to compare; or why there is none.
struct FaceAnalysis
{
    FrameAssessment assessment;
    std::optional<FaceEmbedding> embedding; // set when assessment.issue is empty
    camera::Image chip;                     // the aligned 150x150 chip the embedding came from
};

// The chip photo is small, grey and soft: only the face count and a minimum size apply.
QualityLimits cardPhotoLimits();

class FaceEngine
{
public:
    // Checks and loads the models from `modelDir` (FaceModels.h).
    static Expected<std::unique_ptr<FaceEngine>, Error> load(const std::string& modelDir);
    ~FaceEngine();

    FaceDetector& detector() { return *m_detector; }
    FaceEmbedder& embedder() { return *m_embedder; }

    FaceAnalysis analyse(const camera::Image& picture, const QualityLimits& limits);

    // The card's JPEG 2000 photo → its embedding. Errc::InvalidImage when it does not decode,
    // Errc::FaceCaptureFailed (CardPhotoUnusable) when it holds no single clear face.
    Expected<FaceEmbedding, Error> analyseCardPhoto(base::ByteView photo);

private:
    FaceEngine(std::unique_ptr<FaceDetector> detector, std::unique_ptr<FaceEmbedder> embedder);
    std::unique_ptr<FaceDetector> m_detector;
    std::unique_ptr<FaceEmbedder> m_embedder;
};

} // namespace zaitaku::identity::face
