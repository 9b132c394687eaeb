#include "ui/gateway/ServiceNotifier.h"

#include <systemd/sd-daemon.h>

namespace zaitaku::cli
{

ServiceNotifier::ServiceNotifier()
{
    std::uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) {
        m_watchdog = std::chrono::microseconds(usec);
    }
}

void ServiceNotifier::send(const std::string& state)
{
    (void)sd_notify(0, state.c_str()); // no systemd: nothing to tell, not an error
}

void ServiceNotifier::ready(const std::string& status)
{
    send("READY=1\nSTATUS=" + status);
}

void ServiceNotifier::reloading()
{
    send("RELOADING=1\nSTATUS=reloading the configuration and the JPKI CRL");
}

void ServiceNotifier::stopping()
{
    send("STOPPING=1\nSTATUS=finishing the requests in flight");
}

void ServiceNotifier::keepAlive(std::chrono::steady_clock::time_point now)
{
    if (m_watchdog && now - m_lastPing >= *m_watchdog / 2) {
        send("WATCHDOG=1");
        m_lastPing = now;
    }
}

} // namespace zaitaku::cli
