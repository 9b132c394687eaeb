// libFuzzer entry point (clang: scripts/fuzz.sh record_intake).

#include "RecordIntakeFuzz.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    (void)zaitaku::fuzz::runRecordIntake(data, size);
    return 0;
}
