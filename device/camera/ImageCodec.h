#pragma once

// Still images in and out: the card's JPEG 2000 chip photo, and image files given to the CLI.
// Decoding is bounded (bytes and pixels) and says which format it saw when it fails.

#include "base/Bytes.h"
#include "base/Expected.h"
#include "device/DeviceError.h"
#include "device/camera/Image.h"

#include <string>

namespace zaitaku::camera
{

inline constexpr std::size_t kMaxEncodedImageBytes = 32u << 20;
inline constexpr int kMaxImageSide = 8192;

enum class ImageKind
{
    Unknown,
    Jp2,       // JPEG 2000 in its box format (what the card stores)
    J2kStream, // a raw JPEG 2000 codestream
    Jpeg,
    Png,
};

ImageKind sniffImageKind(base::ByteView bytes);

// grey: decode to one channel (the chip photo is greyscale), else BGR.
Expected<Image, device::Error> decodeImage(base::ByteView bytes, bool grey = false);
Expected<Image, device::Error> readImageFile(const std::string& path, bool grey = false);

// JPEG 2000 (JP2 box format) at the highest quality whose size fits the budget: how a card-like
// photo is made for tests and the demo's virtual card (docs/design/FACE.md §4).
Expected<base::Bytes, device::Error> encodeJpeg2000(const Image& image, std::size_t maxBytes);

} // namespace zaitaku::camera
