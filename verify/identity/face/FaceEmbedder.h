#pragma once

// The recogniser: an aligned 150x150 chip → a 128-d embedding (dlib ResNet via OpenCV DNN, input
// (RGB − mean) / 256 as docs/design/FACE.md §1d and models/LICENSES.md specify).

#include "base/Bytes.h"
#include "base/Expected.h"
#include "device/camera/Image.h"
#include "verify/identity/IdentityError.h"
#include "verify/identity/face/FaceEmbedding.h"

#include <memory>

namespace zaitaku::identity::face
{

class FaceEmbedder
{
public:
    static Expected<std::unique_ptr<FaceEmbedder>, Error> load(base::ByteView onnx);
    ~FaceEmbedder();

    // Errc::InvalidImage for anything but a 150x150 chip, or when the net gives no usable vector.
    Expected<FaceEmbedding, Error> embed(const camera::Image& chip);

private:
    struct Impl;
    explicit FaceEmbedder(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace zaitaku::identity::face
