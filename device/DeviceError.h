#pragma once

// Errors of the device library (readers, cards, camera), modelled on OpenSC's SC_ERROR_* set.

#include "base/CodeTable.h"
#include "base/Error.h"

#include <array>
#include <string_view>

namespace zaitaku::device
{

enum class Errc
{
    ServiceUnavailable, // pcscd not running / no PC/SC service
    NoReader,
    ReaderDetached, // unplugged while in use
    NoCard,
    CardRemoved, // removed mid-command
    CardReset,
    TransmitFailed,
    Timeout,
    MalformedResponse, // APDU/TLV that does not parse: never read past the buffer
    UnsupportedCard,
    PinIncorrect,
    PinBlocked,
    PinLastTry, // one try left: stop and steer to face or visual (never auto-retry)
    Cancelled,
    Busy,         // another application holds the card exclusively
    Forbidden,    // an APDU the appliance must never send (個人番号, 照合番号A)
    PinRepeated,  // the same PIN again after it failed: never retried automatically
    InvalidInput, // a malformed PIN, 照合番号B, challenge or argument
    NoCamera,     // no such camera, or it cannot be opened
    CameraFailed, // the camera stopped delivering frames (unplugged, driver error)
    EndOfStream,  // a video or image source has no more frames
    InvalidImage, // bytes that do not decode as an image (JPEG 2000, JPEG, PNG)
};

using Error = BasicError<Errc>;

// A one-line English description for logs and support staff.
std::string_view describe(Errc code);

} // namespace zaitaku::device

namespace zaitaku::base
{
template <> struct CodeTable<device::Errc>
{
    static constexpr std::string_view name = "device::Errc";
    static constexpr std::array<CodeEntry<device::Errc>, 22> entries{{
        {device::Errc::ServiceUnavailable, "service_unavailable", "カードリーダーのサービスが動作していません"},
        {device::Errc::NoReader, "no_reader", "カードリーダーが接続されていません"},
        {device::Errc::ReaderDetached, "reader_detached", "カードリーダーが取り外されました"},
        {device::Errc::NoCard, "no_card", "カードがありません"},
        {device::Errc::CardRemoved, "card_removed", "カードが取り外されました"},
        {device::Errc::CardReset, "card_reset", "カードがリセットされました"},
        {device::Errc::TransmitFailed, "transmit_failed", "カードとの通信に失敗しました"},
        {device::Errc::Timeout, "timeout", "時間切れです"},
        {device::Errc::MalformedResponse, "malformed_response", "カードの応答が正しくありません"},
        {device::Errc::UnsupportedCard, "unsupported_card", "対応していないカードです"},
        {device::Errc::PinIncorrect, "pin_incorrect", "暗証番号が違います"},
        {device::Errc::PinBlocked, "pin_blocked", "暗証番号がロックされています"},
        {device::Errc::PinLastTry, "pin_last_try", "暗証番号の残り回数が1回です"},
        {device::Errc::Cancelled, "cancelled", "中止しました"},
        {device::Errc::Busy, "busy", "カードは他のアプリケーションが使用中です"},
        {device::Errc::Forbidden, "forbidden", "この操作は行いません（個人番号に関わるため）"},
        {device::Errc::PinRepeated, "pin_repeated", "同じ暗証番号は再送しません"},
        {device::Errc::InvalidInput, "invalid_input", "入力が正しくありません"},
        {device::Errc::NoCamera, "no_camera", "カメラが見つかりません"},
        {device::Errc::CameraFailed, "camera_failed", "カメラから映像が届きません"},
        {device::Errc::EndOfStream, "end_of_stream", "映像の終わりです"},
        {device::Errc::InvalidImage, "invalid_image", "画像を読み取れません"},
    }};
};
} // namespace zaitaku::base
