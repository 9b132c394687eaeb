#include "verify/identity/face/CameraFaceVerifier.h"

#include "base/Clock.h"
#include "device/camera/FrameSource.h"
#include "device/camera/ImageMat.h"
#include "verify/identity/face/FaceEngine.h"
#include "verify/identity/face/FaceModels.h"
#include "verify/identity/face/PresentationCheck.h"

#include <algorithm>
#include <map>
#include <opencv2/core.hpp>

namespace zaitaku::identity::face
{

namespace
{

// Mean absolute difference of two chips, in grey levels: 0 for a repeated frame; sensor noise
// alone gives about 2.
double chipDifference(const camera::Image& a, const camera::Image& b)
{
    if (a.empty() || b.empty() || a.sizeBytes() != b.sizeBytes()) {
        return 255.0;
    }
    cv::Mat diff;
    cv::absdiff(camera::asMat(a), camera::asMat(b), diff);
    const cv::Scalar mean = cv::mean(diff);
    return (mean[0] + mean[1] + mean[2]) / 3.0;
}

double decisionScore(std::vector<double> scores)
{
    std::sort(scores.begin(), scores.end(), std::greater<>());
    return scores.size() >= 2 ? scores[1] : scores.front();
}

Error captureFailed(const std::map<FaceIssue, int>& issues, const std::string& why)
{
    if (issues.empty()) {
        return Error{Errc::FaceCaptureFailed, "顔を撮影できませんでした（" + why + "）", "face"};
    }
    const auto most = std::max_element(issues.begin(), issues.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
    return Error{Errc::FaceCaptureFailed,
                 std::string(base::labelOf(most->first)) + "（" + std::string(guidanceEn(most->first)) + "）",
                 std::string(base::toCode(most->first))};
}

} // namespace

CameraFaceVerifier::CameraFaceVerifier(FaceEngine& engine,
                                       camera::FrameSource& source,
                                       const base::MonotonicClock& clock,
                                       FacePolicy policy,
                                       FaceProgressObserver observer)
    : m_engine(engine)
    , m_source(source)
    , m_clock(clock)
    , m_policy(std::move(policy))
    , m_observer(std::move(observer))
{}

Expected<FaceDecision, Error> CameraFaceVerifier::verify(base::ByteView chipPhoto, std::chrono::milliseconds timeout)
{
    auto card = m_engine.analyseCardPhoto(chipPhoto);
    if (!card) {
        return Unexpected(card.error());
    }
    const auto start = m_clock.sinceBoot();
    const auto deadline = start + timeout;
    std::vector<CaptureSample> samples;
    std::vector<double> scores;
    std::map<FaceIssue, int> issues;
    camera::Image previousChip;
    std::string stopped = "時間切れ";

    while (static_cast<int>(samples.size()) < m_policy.maxFrames) {
        const auto now = m_clock.sinceBoot();
        if (now >= deadline) {
            break;
        }
        auto frame = m_source.nextFrame(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
        if (!frame) {
            if (frame.error().code == device::Errc::Timeout) {
                continue; // the loop's deadline decides
            }
            stopped = frame.error().message;
            if (frame.error().code != device::Errc::EndOfStream && samples.empty()) {
                return Unexpected(
                    Error{Errc::FaceCaptureFailed, "カメラから映像が届きません（" + stopped + "）", "camera"});
            }
            break;
        }
        FaceAnalysis analysis = m_engine.analyse(*frame, m_policy.limits);
        FaceProgress progress{analysis.assessment.issue, 0, m_policy.framesWanted,
                              std::chrono::duration_cast<std::chrono::milliseconds>(m_clock.sinceBoot() - start),
                              &*frame};
        if (analysis.embedding) {
            CaptureSample sample{frame->capturedNs, *analysis.assessment.face, false,
                                 cosineSimilarity(*card, *analysis.embedding)};
            sample.sameAsPrevious = chipDifference(analysis.chip, previousChip) < 0.1;
            previousChip = std::move(analysis.chip);
            samples.push_back(sample);
            scores.push_back(sample.score);
        } else if (analysis.assessment.issue) {
            ++issues[*analysis.assessment.issue];
        }
        progress.usableFrames = static_cast<int>(samples.size());
        if (m_observer) {
            m_observer(progress);
        }
        if (static_cast<int>(samples.size()) >= m_policy.framesWanted &&
            samples.back().capturedNs - samples.front().capturedNs >=
                std::chrono::duration_cast<std::chrono::nanoseconds>(m_policy.window).count()) {
            break;
        }
    }
    if (static_cast<int>(samples.size()) < m_policy.minFrames) {
        return Unexpected(captureFailed(issues, stopped));
    }

    FaceDecision decision;
    decision.score = decisionScore(scores);
    decision.threshold = m_policy.threshold;
    decision.modelId = modelId();
    if (m_policy.requireMotion) {
        if (auto attack = checkPresentation(samples, m_policy.minMotion)) {
            decision.match = false;
            decision.reason = std::string(base::labelOf(*attack));
            return decision;
        }
    }
    decision.match = decision.score >= decision.threshold;
    if (!decision.match) {
        decision.reason = "顔認証で本人と確認できませんでした";
    }
    return decision;
}

} // namespace zaitaku::identity::face
