#include "ReaderBytesFuzz.h"

#include "device/camera/ImageCodec.h"
#include "hardware/rcs380/BlockProtocol.h"
#include "hardware/rcs380/Command.h"
#include "hardware/rcs380/Frame.h"
#include "hardware/rcs380/TypeB.h"

#include <cstdio>
#include <cstdlib>

namespace zaitaku::fuzz
{

namespace
{

[[noreturn]] void broken(const char* what)
{
    std::fprintf(stderr, "reader bytes invariant broken: %s\n", what);
    std::abort();
}

template <typename T, typename E> void expectExplained(const Expected<T, E>& result, const char* what)
{
    if (!result && result.error().message.empty()) {
        broken(what);
    }
}

} // namespace

void runReaderBytes(const std::uint8_t* data, std::size_t size)
{
    namespace rc = hardware::rcs380;
    const base::ByteView bytes(data, size);
    auto frame = rc::decodeFrame(bytes);
    expectExplained(frame, "frame");
    if (frame && frame->kind == rc::FrameKind::Data) {
        auto again = rc::decodeFrame(rc::encodeFrame(frame->data));
        if (!again || again->data != frame->data) {
            broken("a data frame survives its own encoding");
        }
    }
    auto block = rc::decodeBlock(bytes);
    expectExplained(block, "block");
    if (block) {
        auto again = rc::decodeBlock(rc::encodeBlock(*block));
        if (!again || again->type != block->type) {
            broken("a block survives its own encoding");
        }
    }
    for (const auto code :
         {rc::CommandCode::InSetRf, rc::CommandCode::InSetProtocol, rc::CommandCode::InCommRf,
          rc::CommandCode::SwitchRf, rc::CommandCode::GetFirmwareVersion, rc::CommandCode::GetPdDataVersion,
          rc::CommandCode::GetCommandType, rc::CommandCode::SetCommandType}) {
        expectExplained(rc::decodeResponse(code, bytes), "chip response");
    }
    expectExplained(rc::decodeInCommRf(bytes), "InCommRf result");
    expectExplained(rc::parseSensbResponse(bytes), "Type B answer");
    auto image = camera::decodeImage(bytes);
    expectExplained(image, "image");
    if (image && (image->width() > camera::kMaxImageSide || image->height() > camera::kMaxImageSide)) {
        broken("a decoded photo stays within the size limit");
    }
}

} // namespace zaitaku::fuzz
