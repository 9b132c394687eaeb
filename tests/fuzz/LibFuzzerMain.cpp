// libFuzzer entry point (clang: scripts/fuzz.sh).

#include "CardParsersFuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    (void)zaitaku::fuzz::runCardParsers(data, size);
    return 0;
}
