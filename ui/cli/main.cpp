#include "device/reader/PcscReader.h"
#include "ui/cli/Cli.h"

#include <iostream>
#include <unistd.h>

int main(int argc, char** argv)
{
    std::ios::sync_with_stdio(false);
    const zaitaku::model::SystemClock clock;
    zaitaku::cli::CliContext ctx{
        std::cin,
        std::cout,
        std::cerr,
        clock,
        [] {
            using Result = zaitaku::Expected<std::unique_ptr<zaitaku::device::CardReader>, zaitaku::device::Error>;
            auto reader = zaitaku::device::PcscReader::open();
            if (!reader) {
                return Result(zaitaku::Unexpected(reader.error()));
            }
            return Result(std::unique_ptr<zaitaku::device::CardReader>(std::move(*reader)));
        },
        isatty(STDIN_FILENO) == 1};
    const int code = zaitaku::cli::runCli(zaitaku::cli::Args(argv + 1, argv + argc), ctx);
    std::cout.flush();
    return code;
}
