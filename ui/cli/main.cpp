#include "base/ProcessHardening.h"
#include "hardware/readers/ReaderRegistry.h"
#include "ui/cli/Cli.h"

#include <iostream>
#include <unistd.h>

int main(int argc, char** argv)
{
    if (const auto problem = zaitaku::base::disableCoreDumps(); !problem.empty()) {
        std::cerr << "zaitaku-cli: refusing to start: " << problem << "\n";
        return 1;
    }
    std::ios::sync_with_stdio(false);
    const zaitaku::base::SystemClock clock;
    zaitaku::cli::CliContext ctx{
        std::cin,
        std::cout,
        std::cerr,
        clock,
        [] {
            // PC/SC readers and RC-S380s together ("pcsc:0", "rcs380:0").
            using Result = zaitaku::Expected<std::unique_ptr<zaitaku::device::CardReader>, zaitaku::device::Error>;
            return Result(std::unique_ptr<zaitaku::device::CardReader>(zaitaku::hardware::openReaderRegistry()));
        },
        isatty(STDIN_FILENO) == 1};
    const int code = zaitaku::cli::runCli(zaitaku::cli::Args(argv + 1, argv + argc), ctx);
    std::cout.flush();
    return code;
}
