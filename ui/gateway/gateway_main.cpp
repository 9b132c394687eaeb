#include "base/ProcessHardening.h"
#include "ui/gateway/GatewayCommand.h"

#include <atomic>
#include <csignal>
#include <iostream>

namespace
{
std::atomic<bool> g_stop{false};
std::atomic<bool> g_reload{false};
extern "C" void onSignal(int signal)
{
    (signal == SIGHUP ? g_reload : g_stop).store(true);
}
} // namespace

int main(int argc, char** argv)
{
    if (const auto problem = zaitaku::base::disableCoreDumps(); !problem.empty()) {
        std::cerr << "zaitaku-gateway: refusing to start: " << problem << "\n";
        return 1;
    }
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    std::signal(SIGHUP, onSignal); // systemctl reload: configuration and JPKI CRL read again
    std::signal(SIGPIPE, SIG_IGN);
    const zaitaku::base::SystemClock clock;
    const zaitaku::base::SteadyClock monotonic;
    zaitaku::cli::CliContext ctx{std::cin, std::cout, std::cerr, clock, nullptr, false};
    const int code = zaitaku::cli::runGatewayCli(zaitaku::cli::Args(argv + 1, argv + argc), ctx,
                                                 zaitaku::cli::GatewayRuntime{monotonic, g_stop, &g_reload});
    std::cout.flush();
    return code;
}
