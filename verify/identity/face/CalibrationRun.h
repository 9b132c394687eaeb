#pragma once

// Scores labelled pairs of pictures with the engine, for a calibration or a benchmark. Each
// picture is embedded once. In CardLike mode the first picture of every pair becomes a chip-like
// probe first (CardLikePhoto.h), so the figures include the card's JPEG 2000 loss.

#include "verify/identity/face/PairsFile.h"
#include "verify/identity/face/Roc.h"

#include <functional>
#include <string>
#include <vector>

namespace zaitaku::identity::face
{

class FaceEngine;

enum class ProbeMode
{
    Clean,
    CardLike,
};

struct CalibrationScores
{
    std::vector<ScoredPair> scores;
    std::vector<std::string> skipped; // "path: why" for pictures without a usable face
};

CalibrationScores scorePairs(FaceEngine& engine,
                             const std::vector<LabelledPair>& pairs,
                             ProbeMode mode,
                             std::size_t cardBytes = 4096,
                             const std::function<void(std::size_t)>& progress = {});

} // namespace zaitaku::identity::face
