// zaitaku-oqs-sim: a simulated 資格確認端末 (req/ → res/) for demos and tests (docs/OQS.md).

#include "base/Clock.h"
#include "ui/cli/OqsCommand.h"

#include <csignal>
#include <iostream>

namespace
{
std::atomic<bool> g_stop{false};
void onSignal(int)
{
    g_stop = true;
}
} // namespace

int main(int argc, char** argv)
{
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    const zaitaku::base::SystemClock clock;
    zaitaku::cli::CliContext ctx{std::cin, std::cout, std::cerr, clock, nullptr, false};
    return zaitaku::cli::runOqsSimulator(zaitaku::cli::Args(argv + 1, argv + argc), ctx, g_stop);
}
