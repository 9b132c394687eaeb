#pragma once

#include "base/CodeTable.h"
#include "base/Error.h"

#include <array>
#include <string_view>

namespace zaitaku::identity
{

enum class Errc
{
    FaceUnavailable,   // no face verifier on this build / no camera / no models
    FaceNotMatched,    // a decision: not the card holder (or not sure enough)
    FaceCaptureFailed, // no usable frame (the reason says what to change)
    Timeout,
    IncompleteAttestation, // a visual check without staff id, reason or statement
    ModelMissing,          // a face model file is not where it should be
    ModelAltered,          // a face model file's size or sha256 is not the one shipped
    InvalidImage,          // an image (card photo, file, frame) that does not decode
    InvalidInput,          // a malformed face policy, pairs file or argument
};

using Error = BasicError<Errc>;

} // namespace zaitaku::identity

namespace zaitaku::base
{
template <> struct CodeTable<identity::Errc>
{
    static constexpr std::string_view name = "identity::Errc";
    static constexpr std::array<CodeEntry<identity::Errc>, 9> entries{{
        {identity::Errc::FaceUnavailable, "face_unavailable", "顔認証は利用できません"},
        {identity::Errc::FaceNotMatched, "face_not_matched", "顔認証で本人と確認できませんでした"},
        {identity::Errc::FaceCaptureFailed, "face_capture_failed", "顔を撮影できませんでした"},
        {identity::Errc::Timeout, "timeout", "時間切れです"},
        {identity::Errc::IncompleteAttestation, "incomplete_attestation", "目視確認の記録が不足しています"},
        {identity::Errc::ModelMissing, "model_missing", "顔認証のモデルファイルがありません"},
        {identity::Errc::ModelAltered, "model_altered", "顔認証のモデルファイルが改変されています"},
        {identity::Errc::InvalidImage, "invalid_image", "画像を読み取れません"},
        {identity::Errc::InvalidInput, "invalid_input", "入力が正しくありません"},
    }};
};
} // namespace zaitaku::base
