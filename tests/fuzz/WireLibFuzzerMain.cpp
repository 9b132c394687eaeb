// libFuzzer entry point (clang: scripts/fuzz.sh wire_parsers).

#include "RecordIntakeFuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    zaitaku::fuzz::runWireParsers(data, size);
    return 0;
}
