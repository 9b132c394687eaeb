#include "ui/cli/CliContext.h"

namespace zaitaku::cli
{

bool isHelpFlag(const std::string& arg)
{
    return arg == "--help" || arg == "-h" || arg == "help";
}

Expected<std::unique_ptr<device::CardReader>, device::Error> openReaderBackend(CliContext& ctx)
{
    if (!ctx.openReader) {
        return Unexpected(device::Error{device::Errc::ServiceUnavailable, "no card-reader backend"});
    }
    return ctx.openReader();
}

base::RandomSource& randomOf(CliContext& ctx)
{
    static base::SystemRandom system;
    return ctx.random != nullptr ? *ctx.random : system;
}

} // namespace zaitaku::cli
