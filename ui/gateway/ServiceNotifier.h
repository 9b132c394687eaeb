#pragma once

// Tells systemd how the gateway is doing (issue 30), through libsystemd's sd_notify: READY=1 once
// it listens, WATCHDOG=1 at half the unit's WatchdogSec while the serving loop runs, RELOADING=1
// then READY=1 around a reload, STOPPING=1 before the graceful stop, STATUS= in words. Outside
// systemd (no NOTIFY_SOCKET) every call does nothing.

#include <chrono>
#include <optional>
#include <string>

namespace zaitaku::cli
{

class ServiceNotifier
{
public:
    ServiceNotifier();
    void ready(const std::string& status);
    void reloading();
    void stopping();
    // Sends WATCHDOG=1 when half the watchdog interval passed since the last one.
    void keepAlive(std::chrono::steady_clock::time_point now);
    // The interval systemd expects a ping within; nullopt when no watchdog is set.
    std::optional<std::chrono::microseconds> watchdog() const { return m_watchdog; }

private:
    void send(const std::string& state);
    std::optional<std::chrono::microseconds> m_watchdog;
    std::chrono::steady_clock::time_point m_lastPing{};
};

} // namespace zaitaku::cli
