#pragma once

// The model files face verification runs on (models/LICENSES.md), checked against the size and
// sha256 compiled in here before anything is loaded: a missing or altered file is refused, and the
// face path is then not offered. The model id goes into every face evidence record.

#include "base/Bytes.h"
#include "base/Expected.h"
#include "verify/identity/IdentityError.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace zaitaku::identity::face
{

struct ModelFile
{
    std::string_view fileName;
    std::uint64_t bytes;
    std::string_view sha256;
};

inline constexpr ModelFile kDetectorModel{"face_detection_yunet_2022mar.onnx", 345478,
                                          "50ef07f702a31741ca46a4c0d947773b64143b9362780237bf0d427d6c79bab7"};
inline constexpr ModelFile kRecognizerModel{"faceapi_recognition_net.onnx", 24178127,
                                            "c9b46d1f6136a9e5dc2bb20c5e431a9cc60084fdeb8cc42a3279f82894eee2e7"};

// "yunet-2022mar:50ef07f7+dlib-resnet-v1:c9b46d1f": which detector and recogniser decided, so a
// score can be read against the threshold calibrated for exactly these models.
std::string modelId();

// $ZAITAKU_MODEL_DIR, else the directory this build was configured with (the source tree's models/
// or the installed share/zaitaku/models).
std::string defaultModelDir();

struct VerifiedModels
{
    std::string detectorPath;
    base::Bytes recognizer; // loaded from these very bytes, so what was checked is what runs
};

// Reads both files from `dir` and checks them. Errc::ModelMissing / Errc::ModelAltered.
Expected<VerifiedModels, Error> verifyModels(const std::string& dir);

} // namespace zaitaku::identity::face
