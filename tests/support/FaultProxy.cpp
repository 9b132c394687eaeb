#include "support/FaultProxy.h"

#include <arpa/inet.h>
#include <array>
#include <mutex>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace zaitaku::test
{

namespace
{
std::mutex g_workers;

sockaddr_in loopback(std::uint16_t port)
{
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
}

// TLS application data this large from the tablet is a record upload (status and challenge
// requests are a few hundred bytes).
constexpr ssize_t kLargeRequest = 700;

void resetClose(int fd)
{
    linger l{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(fd);
}
} // namespace

FaultProxy::FaultProxy(std::uint16_t targetPort)
    : m_targetPort(targetPort)
{
    m_listen = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(m_listen, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    auto addr = loopback(0);
    bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(m_listen, 64);
    socklen_t len = sizeof addr;
    getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_acceptor = std::thread([this] { acceptLoop(); });
}

FaultProxy::~FaultProxy()
{
    m_stop = true;
    shutdown(m_listen, SHUT_RDWR);
    close(m_listen);
    m_acceptor.join();
    std::lock_guard lock(g_workers);
    for (auto& w : m_workers) {
        w.join();
    }
}

void FaultProxy::acceptLoop()
{
    while (!m_stop) {
        pollfd p{m_listen, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0) {
            continue;
        }
        const int client = accept(m_listen, nullptr, nullptr);
        if (client < 0) {
            continue;
        }
        ++m_connections;
        std::lock_guard lock(g_workers);
        m_workers.emplace_back([this, client] { serve(client); });
    }
}

void FaultProxy::serve(int client)
{
    const Mode mode = m_mode;
    if (mode == Mode::Drop) {
        close(client);
        return;
    }
    if (mode == Mode::Reset) {
        std::array<char, 512> buf{};
        pollfd p{client, POLLIN, 0};
        if (poll(&p, 1, 2000) > 0) {
            (void)!read(client, buf.data(), buf.size());
        }
        resetClose(client);
        return;
    }
    const int server = socket(AF_INET, SOCK_STREAM, 0);
    auto addr = loopback(m_targetPort);
    if (connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close(server);
        resetClose(client);
        return;
    }
    int one = 1;
    setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::array<char, 16384> buf{};
    bool sawRequestBody = false;
    int answersSwallowed = 0;
    while (!m_stop) {
        std::array<pollfd, 2> p{{{client, POLLIN, 0}, {server, POLLIN, 0}}};
        if (poll(p.data(), 2, 100) <= 0) {
            continue;
        }
        bool closed = false;
        for (int i = 0; i < 2 && !closed; ++i) {
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR))) {
                continue;
            }
            const int from = i == 0 ? client : server;
            const int to = i == 0 ? server : client;
            const ssize_t n = read(from, buf.data(), buf.size());
            if (n <= 0) {
                closed = true;
                break;
            }
            if (mode == Mode::Delay) {
                std::this_thread::sleep_for(m_delay.load());
            }
            if (mode == Mode::DropResponse && i == 1 && sawRequestBody) {
                // The gateway answered the record upload (it has committed): swallow the answer
                // and let the line go dead.
                ++answersSwallowed;
                closed = true;
                break;
            }
            if (mode == Mode::DropResponse && i == 0 && n >= kLargeRequest && buf[0] == 0x17) {
                sawRequestBody = true; // encrypted application data the size of a record upload
            }
            if (write(to, buf.data(), static_cast<std::size_t>(n)) != n) {
                closed = true;
            }
        }
        if (closed) {
            break;
        }
    }
    close(server);
    close(client);
}

} // namespace zaitaku::test
