// The reader-bytes fuzz target under ASan/UBSan on every CI run (issue 34): RC-S380 frames, ISO
// 14443-4 blocks and chip responses from genuine encodings, and card photos — a genuine JPEG 2000
// and one whose header declares 60000 × 60000 pixels — each mutated deterministically.

#include "ReaderBytesFuzz.h"
#include "device/camera/ImageCodec.h"
#include "hardware/rcs380/BlockProtocol.h"
#include "hardware/rcs380/Frame.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace zaitaku::fuzz
{
namespace
{

using base::Bytes;

void mutateAndRun(std::vector<Bytes> seeds, int rounds, std::uint32_t seed)
{
    std::mt19937 rng(seed);
    for (int i = 0; i < rounds; ++i) {
        Bytes input = seeds[rng() % seeds.size()];
        for (int e = 0, edits = 1 + static_cast<int>(rng() % 3); e < edits && !input.empty(); ++e) {
            const std::size_t at = rng() % input.size();
            switch (rng() % 3) {
            case 0:
                input[at] = static_cast<std::uint8_t>(input[at] ^ (1u << (rng() % 8)));
                break;
            case 1:
                input.insert(input.begin() + static_cast<long>(at), static_cast<std::uint8_t>(rng()));
                break;
            default:
                input.resize(at);
                break;
            }
        }
        runReaderBytes(input.data(), input.size()); // aborts on a broken invariant
    }
}

TEST(ReaderBytesCorpus, FramesBlocksAndChipAnswersNeverBreak)
{
    namespace rc = hardware::rcs380;
    rc::Block iBlock;
    iBlock.inf = {0x00, 0xA4, 0x04, 0x0C, 0x02, 0x3F, 0x00};
    rc::Block wtx;
    wtx.type = rc::BlockType::WaitingTimeExtension;
    wtx.wtxm = 3;
    const Bytes sensb{0x50, 0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x81, 0x81};
    mutateAndRun({rc::encodeFrame(Bytes{0xD7, 0x05, 0x00, 0x00, 0x00, 0x00, 0x90, 0x00}),
                  rc::encodeFrame(Bytes(200, 0x5A)), rc::encodeBlock(iBlock), rc::encodeBlock(wtx), sensb,
                  Bytes{0x00, 0x00, 0x00, 0x00, 0x01, 0x02}},
                 20000, 380);
    SUCCEED();
}

TEST(ReaderBytesCorpus, PhotosAreSizedBeforeTheyAreDecoded)
{
    camera::Image face(48, 64, camera::PixelFormat::Gray8);
    auto jp2 = camera::encodeJpeg2000(face, 32 * 1024);
    ASSERT_TRUE(jp2) << jp2.error().message;
    // A J2K codestream whose SIZ declares 60000 × 60000: refused from its header, never decoded.
    Bytes huge{0xFF, 0x4F, 0xFF, 0x51, 0x00, 0x29, 0x00, 0x00, 0x00, 0x00, 0xEA, 0x60, 0x00, 0x00, 0xEA, 0x60};
    huge.resize(64, 0x00);
    auto refused = camera::decodeImage(huge);
    ASSERT_FALSE(refused);
    EXPECT_FALSE(refused.error().message.empty());
    mutateAndRun({*jp2, huge}, 2000, 2000);
}

} // namespace
} // namespace zaitaku::fuzz
