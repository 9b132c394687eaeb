#include "device/camera/ImageCodec.h"

#include "device/camera/ImageMat.h"

#include <array>
#include <cstdint>
#include <fstream>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <optional>
#include <string>

namespace zaitaku::camera
{

namespace
{

using device::Errc;

bool startsWith(base::ByteView bytes, std::initializer_list<std::uint8_t> magic)
{
    if (bytes.size() < magic.size()) {
        return false;
    }
    std::size_t i = 0;
    for (std::uint8_t b : magic) {
        if (bytes[i++] != b) {
            return false;
        }
    }
    return true;
}

const char* kindName(ImageKind kind)
{
    switch (kind) {
    case ImageKind::Jp2:
        return "JPEG 2000 (JP2)";
    case ImageKind::J2kStream:
        return "JPEG 2000 codestream";
    case ImageKind::Jpeg:
        return "JPEG";
    case ImageKind::Png:
        return "PNG";
    case ImageKind::Unknown:
        break;
    }
    return "unknown format";
}

std::uint32_t be32(base::ByteView b, std::size_t at)
{
    return (std::uint32_t(b[at]) << 24) | (std::uint32_t(b[at + 1]) << 16) | (std::uint32_t(b[at + 2]) << 8) |
           std::uint32_t(b[at + 3]);
}

std::uint32_t be16(base::ByteView b, std::size_t at)
{
    return (std::uint32_t(b[at]) << 8) | std::uint32_t(b[at + 1]);
}

struct Size
{
    std::uint64_t width = 0;
    std::uint64_t height = 0;
};

// A JPEG 2000 codestream's SIZ segment (right after SOC): the grid less its offset.
std::optional<Size> codestreamSize(base::ByteView b, std::size_t soc)
{
    if (soc + 24 > b.size()) {
        return std::nullopt;
    }
    const std::uint64_t x = be32(b, soc + 8);
    const std::uint64_t y = be32(b, soc + 12);
    const std::uint64_t xo = be32(b, soc + 16);
    const std::uint64_t yo = be32(b, soc + 20);
    return Size{x > xo ? x - xo : 0, y > yo ? y - yo : 0};
}

// What the header says the picture is, read before any decoder allocates for it (security review
// L7: a ≤32 KiB card photo can declare 60000×60000 pixels). nullopt: no usable header.
std::optional<Size> declaredSize(base::ByteView b, ImageKind kind)
{
    switch (kind) {
    case ImageKind::J2kStream:
        return codestreamSize(b, 0);
    case ImageKind::Jp2: {
        // The decoder allocates from the codestream's SIZ, whatever the ihdr box says: find it.
        for (std::size_t i = 0; i + 4 <= b.size(); ++i) {
            if (b[i] == 0xFF && b[i + 1] == 0x4F && b[i + 2] == 0xFF && b[i + 3] == 0x51) {
                return codestreamSize(b, i);
            }
        }
        return std::nullopt;
    }
    case ImageKind::Png:
        if (b.size() < 24 || b[12] != 'I' || b[13] != 'H' || b[14] != 'D' || b[15] != 'R') {
            return std::nullopt;
        }
        return Size{be32(b, 16), be32(b, 20)};
    case ImageKind::Jpeg:
        // Segments after SOI until a start-of-frame (SOF0–SOF15 but DHT, JPG and DAC).
        for (std::size_t i = 2; i + 9 <= b.size();) {
            if (b[i] != 0xFF) {
                return std::nullopt;
            }
            const std::uint8_t marker = b[i + 1];
            if (marker == 0xFF) {
                ++i; // fill byte
                continue;
            }
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return Size{be16(b, i + 7), be16(b, i + 5)};
            }
            i += 2 + be16(b, i + 2);
        }
        return std::nullopt;
    case ImageKind::Unknown:
        break;
    }
    return std::nullopt;
}

} // namespace

ImageKind sniffImageKind(base::ByteView bytes)
{
    if (startsWith(bytes, {0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, 0x87, 0x0A})) {
        return ImageKind::Jp2;
    }
    if (startsWith(bytes, {0xFF, 0x4F, 0xFF, 0x51})) {
        return ImageKind::J2kStream;
    }
    if (startsWith(bytes, {0xFF, 0xD8, 0xFF})) {
        return ImageKind::Jpeg;
    }
    if (startsWith(bytes, {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
        return ImageKind::Png;
    }
    return ImageKind::Unknown;
}

Expected<Image, device::Error> decodeImage(base::ByteView bytes, bool grey)
{
    if (bytes.empty()) {
        return Unexpected(device::Error{Errc::InvalidImage, "the image is empty"});
    }
    if (bytes.size() > kMaxEncodedImageBytes) {
        return Unexpected(device::Error{Errc::InvalidImage, "the image is larger than 32 MiB"});
    }
    const ImageKind kind = sniffImageKind(bytes);
    if (kind == ImageKind::Unknown) {
        // OpenCV would try every codec it has (GDAL included): accept only what the appliance uses.
        return Unexpected(device::Error{Errc::InvalidImage, "not a JPEG 2000, JPEG or PNG image"});
    }
    const auto declared = declaredSize(bytes, kind);
    if (!declared) {
        return Unexpected(device::Error{Errc::InvalidImage, std::string("the ") + kindName(kind) +
                                                                " image has no readable size in its header"});
    }
    if (declared->width == 0 || declared->height == 0 || declared->width > kMaxImageSide ||
        declared->height > kMaxImageSide) {
        return Unexpected(device::Error{Errc::InvalidImage, "the image declares " + std::to_string(declared->width) +
                                                                "×" + std::to_string(declared->height) +
                                                                " pixels: more than 8192 on a side, not decoded"});
    }
    cv::Mat mat;
    try {
        const cv::Mat raw(1, static_cast<int>(bytes.size()), CV_8UC1, const_cast<std::uint8_t*>(bytes.data()));
        mat = cv::imdecode(raw, grey ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
    } catch (const cv::Exception& e) {
        return Unexpected(device::Error{Errc::InvalidImage,
                                        std::string("cannot decode the ") + kindName(kind) + " image: " + e.what()});
    }
    if (mat.empty()) {
        return Unexpected(
            device::Error{Errc::InvalidImage, std::string("the ") + kindName(kind) + " image is truncated or corrupt"});
    }
    if (mat.cols > kMaxImageSide || mat.rows > kMaxImageSide) {
        return Unexpected(device::Error{Errc::InvalidImage, "the image is larger than 8192 pixels on a side"});
    }
    return fromMat(mat);
}

Expected<Image, device::Error> readImageFile(const std::string& path, bool grey)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Unexpected(device::Error{Errc::InvalidImage, "cannot open the image " + path, "path"});
    }
    base::Bytes bytes;
    std::array<char, 1 << 16> buffer{};
    while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
        bytes.insert(bytes.end(), buffer.data(), buffer.data() + in.gcount());
        if (bytes.size() > kMaxEncodedImageBytes) {
            return Unexpected(
                device::Error{Errc::InvalidImage, "the image " + path + " is larger than 32 MiB", "path"});
        }
    }
    auto image = decodeImage(bytes, grey);
    if (!image) {
        return Unexpected(device::Error{image.error().code, path + ": " + image.error().message, "path"});
    }
    return image;
}

Expected<base::Bytes, device::Error> encodeJpeg2000(const Image& image, std::size_t maxBytes)
{
    if (image.empty()) {
        return Unexpected(device::Error{Errc::InvalidImage, "nothing to encode"});
    }
    const cv::Mat mat = asMat(image);
    std::vector<std::uint8_t> best;
    int low = 1;
    int high = 1000;
    while (low <= high) {
        const int quality = (low + high) / 2;
        std::vector<std::uint8_t> out;
        if (!cv::imencode(".jp2", mat, out, {cv::IMWRITE_JPEG2000_COMPRESSION_X1000, quality})) {
            return Unexpected(device::Error{Errc::InvalidImage, "JPEG 2000 encoding failed"});
        }
        if (out.size() <= maxBytes) {
            best = std::move(out);
            low = quality + 1;
        } else {
            high = quality - 1;
        }
    }
    if (best.empty()) {
        return Unexpected(device::Error{Errc::InvalidImage, "the image does not fit in " + std::to_string(maxBytes) +
                                                                " bytes of JPEG 2000"});
    }
    return base::Bytes(best.begin(), best.end());
}

} // namespace zaitaku::camera
