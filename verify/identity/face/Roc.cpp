#include "verify/identity/face/Roc.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace zaitaku::identity::face
{

namespace
{

constexpr double kAbove = 1e-6; // a threshold "just above" a score, still readable in a policy file

std::vector<double> scoresOf(const std::vector<ScoredPair>& scores, bool genuine)
{
    std::vector<double> out;
    for (const auto& s : scores) {
        if (s.genuine == genuine) {
            out.push_back(s.score);
        }
    }
    return out;
}

double rateAtOrAbove(const std::vector<double>& ascending, double threshold)
{
    if (ascending.empty()) {
        return 0;
    }
    const auto first = std::lower_bound(ascending.begin(), ascending.end(), threshold);
    return static_cast<double>(ascending.end() - first) / static_cast<double>(ascending.size());
}

} // namespace

OperatingPoint operatingPoint(const std::vector<ScoredPair>& scores, double targetFar)
{
    OperatingPoint point;
    point.targetFar = targetFar;
    std::vector<double> impostor = scoresOf(scores, false);
    std::vector<double> genuine = scoresOf(scores, true);
    if (impostor.empty() || genuine.empty() || targetFar <= 0 ||
        static_cast<double>(impostor.size()) * targetFar < 1.0 - 1e-9) {
        return point;
    }
    std::sort(impostor.begin(), impostor.end(), std::greater<>());
    std::sort(genuine.begin(), genuine.end());
    const auto allowed = static_cast<std::size_t>(std::floor(targetFar * static_cast<double>(impostor.size()) + 1e-9));
    // impostor[allowed] is the highest score that must be refused (0-based, descending).
    point.threshold = allowed < impostor.size() ? impostor[allowed] + kAbove : impostor.back();
    std::sort(impostor.begin(), impostor.end());
    point.far = rateAtOrAbove(impostor, point.threshold);
    point.tar = rateAtOrAbove(genuine, point.threshold);
    point.supported = true;
    return point;
}

RocSummary summariseRoc(const std::vector<ScoredPair>& scores, const std::vector<double>& targetFars)
{
    RocSummary summary;
    std::vector<double> impostor = scoresOf(scores, false);
    std::vector<double> genuine = scoresOf(scores, true);
    summary.genuine = genuine.size();
    summary.impostor = impostor.size();
    for (double far : targetFars) {
        summary.points.push_back(operatingPoint(scores, far));
    }
    if (impostor.empty() || genuine.empty()) {
        return summary;
    }
    std::sort(impostor.begin(), impostor.end());
    std::sort(genuine.begin(), genuine.end());
    // Scan every observed score as a threshold; keep the one where FAR and FRR are closest.
    double bestGap = 2.0;
    std::vector<double> candidates = impostor;
    candidates.insert(candidates.end(), genuine.begin(), genuine.end());
    for (double t : candidates) {
        const double far = rateAtOrAbove(impostor, t);
        const double frr = 1.0 - rateAtOrAbove(genuine, t);
        if (std::abs(far - frr) < bestGap) {
            bestGap = std::abs(far - frr);
            summary.eer = (far + frr) / 2;
            summary.eerThreshold = t;
        }
    }
    return summary;
}

} // namespace zaitaku::identity::face
