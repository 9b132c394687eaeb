#include "verify/identity/face/CalibrationRun.h"

#include "device/camera/ImageCodec.h"
#include "verify/identity/face/CardLikePhoto.h"
#include "verify/identity/face/FaceEngine.h"

#include <map>
#include <optional>

namespace zaitaku::identity::face
{

namespace
{

// Calibration pictures are whatever the facility has (LFW has faces in the background): the
// largest face is the subject, and only a minimum size applies.
QualityLimits calibrationLimits()
{
    QualityLimits limits = cardPhotoLimits();
    limits.secondFaceRatio = 1e9;
    limits.maxYaw = 1e9;
    limits.maxRollDegrees = 180;
    limits.minPitchRatio = -1e9;
    limits.maxPitchRatio = 1e9;
    return limits;
}

class EmbeddingCache
{
public:
    EmbeddingCache(FaceEngine& engine, ProbeMode mode, std::size_t cardBytes, std::vector<std::string>& skipped)
        : m_engine(engine)
        , m_mode(mode)
        , m_cardBytes(cardBytes)
        , m_skipped(skipped)
    {}

    const std::optional<FaceEmbedding>& get(const std::string& path, bool probe)
    {
        const std::string key = (probe && m_mode == ProbeMode::CardLike ? "card:" : "full:") + path;
        auto it = m_cache.find(key);
        if (it == m_cache.end()) {
            it = m_cache.emplace(key, compute(path, probe && m_mode == ProbeMode::CardLike)).first;
        }
        return it->second;
    }

private:
    std::optional<FaceEmbedding> compute(const std::string& path, bool cardLike)
    {
        auto picture = camera::readImageFile(path);
        if (!picture) {
            m_skipped.push_back(picture.error().message);
            return std::nullopt;
        }
        FaceAnalysis analysis = m_engine.analyse(*picture, calibrationLimits());
        if (!analysis.embedding) {
            m_skipped.push_back(path + ": " +
                                std::string(guidanceEn(analysis.assessment.issue.value_or(FaceIssue::NoFace))));
            return std::nullopt;
        }
        if (!cardLike) {
            return std::move(analysis.embedding);
        }
        auto card = makeCardLikePhoto(*picture, *analysis.assessment.face, m_cardBytes);
        auto embedding = card ? m_engine.analyseCardPhoto(*card) : Unexpected(card.error());
        if (!embedding) {
            m_skipped.push_back(path + " (card-like): " + embedding.error().message);
            return std::nullopt;
        }
        return std::move(*embedding);
    }

    FaceEngine& m_engine;
    ProbeMode m_mode;
    std::size_t m_cardBytes;
    std::vector<std::string>& m_skipped;
    std::map<std::string, std::optional<FaceEmbedding>> m_cache;
};

} // namespace

CalibrationScores scorePairs(FaceEngine& engine,
                             const std::vector<LabelledPair>& pairs,
                             ProbeMode mode,
                             std::size_t cardBytes,
                             const std::function<void(std::size_t)>& progress)
{
    CalibrationScores out;
    EmbeddingCache cache(engine, mode, cardBytes, out.skipped);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const auto& probe = cache.get(pairs[i].imageA, true);
        const auto& gallery = cache.get(pairs[i].imageB, false);
        if (probe && gallery) {
            out.scores.push_back({cosineSimilarity(*probe, *gallery), pairs[i].genuine});
        }
        if (progress) {
            progress(i + 1);
        }
    }
    return out;
}

} // namespace zaitaku::identity::face
