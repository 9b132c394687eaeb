#pragma once

// Two pictures, one face each: the same person? What `zaitaku-cli face match` answers. A picture
// shorter than 200 px is taken as a chip photo (scaled up for detection, card quality limits);
// anything larger must pass the live-frame checks.

#include "device/camera/Image.h"
#include "verify/identity/face/FaceIssue.h"
#include "verify/identity/face/FaceQuality.h"

#include <optional>
#include <string>

namespace zaitaku::identity::face
{

class FaceEngine;

struct StillComparison
{
    std::optional<double> score; // none: no decision (see issue)
    double threshold = 0;
    bool match = false;
    std::optional<FaceIssue> issue;
    std::string issueImage; // "a" or "b": which picture the issue is about
};

StillComparison compareStills(FaceEngine& engine,
                              const camera::Image& a,
                              const camera::Image& b,
                              double threshold,
                              const QualityLimits& frameLimits = {});

} // namespace zaitaku::identity::face
