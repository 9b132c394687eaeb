#pragma once

// YuNet through cv::FaceDetectorYN: every face in a picture with its five landmarks, in the
// picture's own pixels. Large frames are scaled down to at most 640 px a side first (docs/design/FACE.md §2:
// about 20 ms on this CPU); small pictures such as the 90x120 chip photo are scaled up x2, where
// YuNet finds the card face reliably (docs/design/FACE.md §5).

#include "base/Expected.h"
#include "device/camera/Image.h"
#include "verify/identity/IdentityError.h"
#include "verify/identity/face/FaceTypes.h"

#include <memory>
#include <string>
#include <vector>

namespace zaitaku::identity::face
{

struct DetectorSettings
{
    float scoreThreshold = 0.6f;
    float nmsThreshold = 0.3f;
    int maxSide = 640;      // larger frames are scaled down to this
    int upscaleBelow = 200; // pictures shorter than this are scaled up x2
};

class FaceDetector
{
public:
    static Expected<std::unique_ptr<FaceDetector>, Error> load(const std::string& modelPath,
                                                               DetectorSettings settings = {});
    ~FaceDetector();

    // Faces sorted by size, largest first. Grey pictures are accepted.
    std::vector<DetectedFace> detect(const camera::Image& image);

private:
    struct Impl;
    explicit FaceDetector(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace zaitaku::identity::face
