#pragma once

// A TCP proxy on loopback that injects network faults between the tablet and the gateway (fault
// injection only — the TLS, HTTP and both ends are the real ones):
//   Pass          forward both ways;
//   Drop          accept, then close without a byte;
//   Reset         read the client's first bytes, then close with RST (SO_LINGER 0);
//   Delay         hold every chunk for `delay` before forwarding;
//   DropResponse  forward the request to the gateway (which commits), swallow the answer, close.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>
#include <vector>

namespace zaitaku::test
{

class FaultProxy
{
public:
    enum class Mode
    {
        Pass,
        Drop,
        Reset,
        Delay,
        DropResponse,
    };

    explicit FaultProxy(std::uint16_t targetPort);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    std::uint16_t port() const { return m_port; }
    void setMode(Mode mode, std::chrono::milliseconds delay = std::chrono::milliseconds(0))
    {
        m_delay = delay;
        m_mode = mode;
    }
    int connections() const { return m_connections; }

private:
    void acceptLoop();
    void serve(int client);

    std::uint16_t m_targetPort;
    std::uint16_t m_port = 0;
    int m_listen = -1;
    std::atomic<Mode> m_mode{Mode::Pass};
    std::atomic<std::chrono::milliseconds> m_delay{std::chrono::milliseconds(0)};
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_connections{0};
    std::thread m_acceptor;
    std::vector<std::thread> m_workers;
};

} // namespace zaitaku::test
