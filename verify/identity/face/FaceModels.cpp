#include "verify/identity/face/FaceModels.h"

#include "base/Sha256.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#ifndef ZAITAKU_MODEL_DIR
#define ZAITAKU_MODEL_DIR "/usr/share/zaitaku/models"
#endif

namespace zaitaku::identity::face
{

namespace
{

Expected<base::Bytes, Error> readChecked(const std::string& dir, const ModelFile& model)
{
    const std::filesystem::path path = std::filesystem::path(dir) / model.fileName;
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        return Unexpected(Error{Errc::ModelMissing,
                                "face model " + path.string() + " is missing (see models/LICENSES.md)", "models"});
    }
    if (size != model.bytes) {
        return Unexpected(Error{Errc::ModelAltered,
                                "face model " + path.string() + " has " + std::to_string(size) + " bytes, expected " +
                                    std::to_string(model.bytes),
                                "models"});
    }
    std::ifstream in(path, std::ios::binary);
    base::Bytes bytes(static_cast<std::size_t>(size));
    if (!in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()))) {
        return Unexpected(Error{Errc::ModelMissing, "cannot read face model " + path.string(), "models"});
    }
    std::string hex = base::toHex(base::sha256(bytes));
    std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return std::tolower(c); });
    if (hex != model.sha256) {
        return Unexpected(Error{Errc::ModelAltered,
                                "face model " + path.string() + " has sha256 " + hex + ", expected " +
                                    std::string(model.sha256) + ": the file was altered or replaced",
                                "models"});
    }
    return bytes;
}

} // namespace

std::string modelId()
{
    return "yunet-2022mar:" + std::string(kDetectorModel.sha256.substr(0, 8)) +
           "+dlib-resnet-v1:" + std::string(kRecognizerModel.sha256.substr(0, 8));
}

std::string defaultModelDir()
{
    if (const char* env = std::getenv("ZAITAKU_MODEL_DIR"); env != nullptr && *env != '\0') {
        return env;
    }
    std::error_code ec;
    return std::filesystem::is_directory(ZAITAKU_MODEL_DIR, ec) ? ZAITAKU_MODEL_DIR : ZAITAKU_INSTALLED_MODEL_DIR;
}

Expected<VerifiedModels, Error> verifyModels(const std::string& dir)
{
    auto detector = readChecked(dir, kDetectorModel);
    if (!detector) {
        return Unexpected(detector.error());
    }
    auto recognizer = readChecked(dir, kRecognizerModel);
    if (!recognizer) {
        return Unexpected(recognizer.error());
    }
    // cv::FaceDetectorYN in OpenCV 4.6 loads only from a path: the file checked a moment ago.
    return VerifiedModels{(std::filesystem::path(dir) / kDetectorModel.fileName).string(), std::move(*recognizer)};
}

} // namespace zaitaku::identity::face
