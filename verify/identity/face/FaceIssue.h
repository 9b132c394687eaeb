#pragma once

// Why a frame (or a whole capture) gave no decision, as guidance the nurse can act on. The UI shows
// the Japanese label; `guidanceEn` is the English text for the CLI and the translation.

#include "base/CodeTable.h"

#include <array>
#include <string_view>

namespace zaitaku::identity::face
{

enum class FaceIssue
{
    NoFace,            // no face in the frame
    MultipleFaces,     // a second face of similar size: only the patient in the frame
    TooSmall,          // move closer
    OutOfFrame,        // part of the face is outside the picture
    NotFrontal,        // turned, tilted or nodding: face the camera
    TooDark,           // more light
    TooBright,         // backlit or overexposed
    Blurry,            // moving or out of focus: hold still
    FrozenFrame,       // the same picture again and again (stuck camera, injected still image)
    NoMotion,          // no natural movement over the capture (a picture on a stand)
    CardPhotoUnusable, // no single clear face in the chip photo
};

std::string_view guidanceEn(FaceIssue issue);

} // namespace zaitaku::identity::face

namespace zaitaku::base
{
template <> struct CodeTable<identity::face::FaceIssue>
{
    using I = identity::face::FaceIssue;
    static constexpr std::string_view name = "face::FaceIssue";
    static constexpr std::array<CodeEntry<I>, 11> entries{{
        {I::NoFace, "no_face", "顔が写っていません。カメラに顔を向けてください"},
        {I::MultipleFaces, "multiple_faces", "ご本人だけが写るようにしてください"},
        {I::TooSmall, "too_small", "もう少し近づいてください"},
        {I::OutOfFrame, "out_of_frame", "顔全体が画面に入るようにしてください"},
        {I::NotFrontal, "not_frontal", "カメラの方を正面から見てください"},
        {I::TooDark, "too_dark", "暗すぎます。明るい場所で撮影してください"},
        {I::TooBright, "too_bright", "明るすぎます（逆光）。光を背にしないでください"},
        {I::Blurry, "blurry", "ぶれています。少しの間動かないでください"},
        {I::FrozenFrame, "frozen_frame", "映像が止まっています。カメラを確認してください"},
        {I::NoMotion, "no_motion", "動きが確認できません。写真ではなくご本人を撮影してください"},
        {I::CardPhotoUnusable, "card_photo_unusable", "カードの顔写真から顔を読み取れません"},
    }};
};
} // namespace zaitaku::base
