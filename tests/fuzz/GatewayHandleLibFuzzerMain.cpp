// libFuzzer entry point (clang: scripts/fuzz.sh gateway_handle).

#include "GatewayHandleFuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    (void)zaitaku::fuzz::runGatewayHandle(data, size);
    return 0;
}
