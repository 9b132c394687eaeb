#include "ui/cli/Cli.h"

#include <iostream>

int main(int argc, char** argv)
{
    std::ios::sync_with_stdio(false);
    const zaitaku::model::SystemClock clock;
    zaitaku::cli::CliContext ctx{std::cin, std::cout, std::cerr, clock};
    const int code = zaitaku::cli::runCli(zaitaku::cli::Args(argv + 1, argv + argc), ctx);
    std::cout.flush();
    return code;
}
