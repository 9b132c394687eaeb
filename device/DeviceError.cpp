#include "device/DeviceError.h"

namespace zaitaku::device
{

std::string_view describe(Errc code)
{
    switch (code) {
    case Errc::ServiceUnavailable:
        return "the PC/SC service (pcscd) is not reachable";
    case Errc::NoReader:
        return "no card reader is connected";
    case Errc::ReaderDetached:
        return "the reader was unplugged while in use";
    case Errc::NoCard:
        return "no card is on the reader";
    case Errc::CardRemoved:
        return "the card was removed during a command";
    case Errc::CardReset:
        return "the card was reset by another application";
    case Errc::TransmitFailed:
        return "the command could not be sent to the card";
    case Errc::Timeout:
        return "the card or reader did not answer in time";
    case Errc::MalformedResponse:
        return "the card's answer is malformed";
    case Errc::UnsupportedCard:
        return "the card is not a My Number Card";
    case Errc::PinIncorrect:
        return "the PIN is incorrect";
    case Errc::PinBlocked:
        return "the PIN is blocked (reset only at the municipal office)";
    case Errc::PinLastTry:
        return "one PIN try left: use face or visual confirmation instead";
    case Errc::Cancelled:
        return "cancelled by the user";
    case Errc::Busy:
        return "another application holds the card";
    case Errc::Forbidden:
        return "refused: the command would touch the 個人番号 or 照合番号A";
    case Errc::PinRepeated:
        return "refused: this PIN already failed on this card; ask the patient again";
    case Errc::InvalidInput:
        return "the input is malformed";
    case Errc::NoCamera:
        return "no such camera, or it cannot be opened";
    case Errc::CameraFailed:
        return "the camera stopped delivering frames";
    case Errc::EndOfStream:
        return "the video or image source has no more frames";
    case Errc::InvalidImage:
        return "the bytes do not decode as an image";
    }
    return "unknown device error";
}

} // namespace zaitaku::device
