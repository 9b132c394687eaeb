#include "verify/identity/face/StillComparison.h"

#include "verify/identity/face/FaceEngine.h"

namespace zaitaku::identity::face
{

StillComparison compareStills(FaceEngine& engine,
                              const camera::Image& a,
                              const camera::Image& b,
                              double threshold,
                              const QualityLimits& frameLimits)
{
    StillComparison out;
    out.threshold = threshold;
    const auto limitsFor = [&](const camera::Image& picture) {
        return picture.height() < 200 ? cardPhotoLimits() : frameLimits;
    };
    FaceAnalysis first = engine.analyse(a, limitsFor(a));
    if (!first.embedding) {
        out.issue = first.assessment.issue.value_or(FaceIssue::NoFace);
        out.issueImage = 'a'; // (a char, not a literal: GCC 12 -O2 warns -Wrestrict on the latter)
        return out;
    }
    FaceAnalysis second = engine.analyse(b, limitsFor(b));
    if (!second.embedding) {
        out.issue = second.assessment.issue.value_or(FaceIssue::NoFace);
        out.issueImage = 'b';
        return out;
    }
    out.score = cosineSimilarity(*first.embedding, *second.embedding);
    out.match = *out.score >= threshold;
    return out;
}

} // namespace zaitaku::identity::face
