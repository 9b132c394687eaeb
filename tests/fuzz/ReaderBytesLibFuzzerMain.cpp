// libFuzzer entry point (clang: scripts/fuzz.sh reader_bytes).

#include "ReaderBytesFuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    zaitaku::fuzz::runReaderBytes(data, size);
    return 0;
}
