#pragma once

#include "verify/model/CodeTable.h"
#include "verify/model/Error.h"

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
};

using Error = BasicError<Errc>;

} // namespace zaitaku::identity

namespace zaitaku::model
{
template <> struct CodeTable<identity::Errc>
{
    static constexpr std::string_view name = "identity::Errc";
    static constexpr std::array<CodeEntry<identity::Errc>, 5> entries{{
        {identity::Errc::FaceUnavailable, "face_unavailable", "顔認証は利用できません"},
        {identity::Errc::FaceNotMatched, "face_not_matched", "顔認証で本人と確認できませんでした"},
        {identity::Errc::FaceCaptureFailed, "face_capture_failed", "顔を撮影できませんでした"},
        {identity::Errc::Timeout, "timeout", "時間切れです"},
        {identity::Errc::IncompleteAttestation, "incomplete_attestation", "目視確認の記録が不足しています"},
    }};
};
} // namespace zaitaku::model
