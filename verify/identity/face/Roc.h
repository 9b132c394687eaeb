#pragma once

// The ROC of labelled scores and the threshold for a target false-accept rate: what a facility's
// own calibration computes (docs/FACE.md "Calibration").

#include <cstddef>
#include <vector>

namespace zaitaku::identity::face
{

struct ScoredPair
{
    double score = 0;
    bool genuine = false;
};

struct OperatingPoint
{
    double targetFar = 0;
    bool supported = false; // false: too few impostor pairs to measure this rate (need ≥ 1/FAR)
    double threshold = 0;   // accept when score ≥ threshold
    double far = 0;         // measured at the threshold
    double tar = 0;
};

struct RocSummary
{
    std::size_t genuine = 0;
    std::size_t impostor = 0;
    std::vector<OperatingPoint> points;
    double eer = 0; // where the false-reject rate meets the false-accept rate
    double eerThreshold = 0;
};

// The lowest threshold whose measured FAR is at most `targetFar`: at most floor(FAR·N) impostor
// scores are ≥ it. It sits just above the next impostor score, so ties are never accepted.
OperatingPoint operatingPoint(const std::vector<ScoredPair>& scores, double targetFar);

RocSummary summariseRoc(const std::vector<ScoredPair>& scores, const std::vector<double>& targetFars);

} // namespace zaitaku::identity::face
