#include "verify/identity/face/FaceEngine.h"

#include "device/camera/ImageCodec.h"
#include "verify/identity/face/FaceAligner.h"
#include "verify/identity/face/FaceEmbedder.h"
#include "verify/identity/face/FaceModels.h"

namespace zaitaku::identity::face
{

QualityLimits cardPhotoLimits()
{
    QualityLimits limits;
    limits.minEyeDistance = 10.0;
    limits.maxYaw = 0.35;
    limits.maxRollDegrees = 30.0;
    limits.minPitchRatio = 0.1;
    limits.maxPitchRatio = 0.95;
    limits.minBrightness = 0.0;
    limits.maxBrightness = 256.0;
    limits.minSharpness = 0.0;
    return limits;
}

FaceEngine::FaceEngine(std::unique_ptr<FaceDetector> detector, std::unique_ptr<FaceEmbedder> embedder)
    : m_detector(std::move(detector))
    , m_embedder(std::move(embedder))
{}

FaceEngine::~FaceEngine() = default;

Expected<std::unique_ptr<FaceEngine>, Error> FaceEngine::load(const std::string& modelDir)
{
    auto models = verifyModels(modelDir);
    if (!models) {
        return Unexpected(models.error());
    }
    auto detector = FaceDetector::load(models->detectorPath);
    if (!detector) {
        return Unexpected(detector.error());
    }
    auto embedder = FaceEmbedder::load(models->recognizer);
    if (!embedder) {
        return Unexpected(embedder.error());
    }
    return std::unique_ptr<FaceEngine>(new FaceEngine(std::move(*detector), std::move(*embedder)));
}

FaceAnalysis FaceEngine::analyse(const camera::Image& picture, const QualityLimits& limits)
{
    FaceAnalysis out;
    out.assessment = assessFrame(picture, m_detector->detect(picture), limits);
    if (out.assessment.issue || !out.assessment.face) {
        return out;
    }
    out.chip = alignToChip(picture, *out.assessment.face);
    auto embedding = m_embedder->embed(out.chip);
    if (embedding) {
        out.embedding = std::move(*embedding);
    } else {
        out.assessment.issue = FaceIssue::NoFace;
    }
    return out;
}

Expected<FaceEmbedding, Error> FaceEngine::analyseCardPhoto(base::ByteView photo)
{
    auto picture = camera::decodeImage(photo, /*grey=*/true);
    if (!picture) {
        return Unexpected(Error{Errc::InvalidImage, "the card's face photo: " + picture.error().message, "card_photo"});
    }
    FaceAnalysis analysis = analyse(*picture, cardPhotoLimits());
    if (!analysis.embedding) {
        const FaceIssue issue = analysis.assessment.issue.value_or(FaceIssue::NoFace);
        return Unexpected(Error{Errc::FaceCaptureFailed,
                                std::string(base::labelOf(FaceIssue::CardPhotoUnusable)) + "（" +
                                    std::string(guidanceEn(issue)) + "）",
                                std::string(base::toCode(FaceIssue::CardPhotoUnusable))});
    }
    return std::move(*analysis.embedding);
}

} // namespace zaitaku::identity::face
