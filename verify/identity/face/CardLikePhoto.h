#pragma once

// A chip-like photo made from an ordinary picture, as docs/design/FACE.md §4 built its probes: an ID-photo
// framing from the landmarks (eye–mouth distance 0.18·H, eye line at 0.52·H), grey, 90x120, then
// JPEG 2000 at the highest quality within a byte budget (the card holds about 3–5 KB). For tests,
// benchmarks, calibration and the demo's virtual card; the appliance never writes one to disk.

#include "base/Bytes.h"
#include "base/Expected.h"
#include "device/camera/Image.h"
#include "verify/identity/IdentityError.h"
#include "verify/identity/face/FaceTypes.h"

namespace zaitaku::identity::face
{

inline constexpr int kCardPhotoWidth = 90;
inline constexpr int kCardPhotoHeight = 120;

// The 90x120 grey crop (uncompressed).
camera::Image cardFraming(const camera::Image& picture, const DetectedFace& face);

// The crop as JPEG 2000 within `maxBytes`.
Expected<base::Bytes, Error>
makeCardLikePhoto(const camera::Image& picture, const DetectedFace& face, std::size_t maxBytes = 4096);

} // namespace zaitaku::identity::face
