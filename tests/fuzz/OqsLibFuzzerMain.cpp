// libFuzzer entry point for the OQS XML codec (clang: scripts/fuzz.sh oqs).

#include "OqsXmlFuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    (void)zaitaku::fuzz::runOqsParsers(data, size);
    return 0;
}
