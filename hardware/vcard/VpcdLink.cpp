#include "hardware/vcard/VpcdLink.h"

#include "device/apdu/CommandApdu.h"
#include "device/apdu/ResponseApdu.h"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

namespace zaitaku::hardware
{

namespace
{

constexpr int kPollMs = 200;
constexpr int kFrameTimeoutMs = 5000; // a frame that starts must finish within this

void drain(int fd)
{
    char buf[64];
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

} // namespace

VpcdLink::VpcdLink(VirtualCard& card, VpcdOptions options, VpcdControl& control, int wakeReadFd)
    : m_card(card)
    , m_options(std::move(options))
    , m_control(control)
    , m_wakeFd(wakeReadFd)
{}

bool VpcdLink::connectOnce()
{
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return false;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(m_options.port));
    if (inet_pton(AF_INET, m_options.host.c_str(), &addr.sin_addr) != 1 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close(fd);
        return false;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    m_socket = fd;
    m_apdusThisInsertion = 0;
    m_card.reset();
    std::fprintf(stderr, "vcard: inserted (connected to vpcd %s:%d)\n", m_options.host.c_str(), m_options.port);
    return true;
}

void VpcdLink::disconnect(const char* why)
{
    if (m_socket >= 0) {
        close(m_socket);
        m_socket = -1;
        m_card.reset();
        std::fprintf(stderr, "vcard: removed (%s)\n", why);
    }
}

bool VpcdLink::readExact(std::uint8_t* out, std::size_t n)
{
    std::size_t got = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kFrameTimeoutMs);
    while (got < n) {
        pollfd p{m_socket, POLLIN, 0};
        const int ready = poll(&p, 1, kPollMs);
        if (ready < 0 && errno != EINTR) {
            return false;
        }
        if (ready > 0) {
            // vpcd writes the length and the payload separately with Nagle on: without an
            // immediate ACK of the length, the payload waits out our delayed-ACK timer (~40 ms
            // per APDU). The kernel clears QUICKACK after use, so it is set before every read.
            const int one = 1;
            setsockopt(m_socket, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
            const ssize_t r = recv(m_socket, out + got, n - got, 0);
            if (r <= 0) {
                return false;
            }
            got += static_cast<std::size_t>(r);
        } else if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
    }
    return true;
}

bool VpcdLink::writeFrame(const base::Bytes& payload)
{
    base::Bytes frame{static_cast<std::uint8_t>(payload.size() >> 8), static_cast<std::uint8_t>(payload.size() & 0xFF)};
    frame.insert(frame.end(), payload.begin(), payload.end());
    std::size_t sent = 0;
    while (sent < frame.size()) {
        const ssize_t w = send(m_socket, frame.data() + sent, frame.size() - sent, MSG_NOSIGNAL);
        if (w <= 0) {
            return false;
        }
        sent += static_cast<std::size_t>(w);
    }
    return true;
}

bool VpcdLink::serveOne()
{
    std::uint8_t header[2];
    if (!readExact(header, 2)) {
        return false;
    }
    const std::size_t length = static_cast<std::size_t>(header[0] << 8 | header[1]);
    base::Bytes payload(length);
    if (length > 0 && !readExact(payload.data(), length)) {
        return false;
    }
    if (length == 1) {
        switch (payload[0]) {
        case 0x00: // power off
        case 0x01: // power on
        case 0x02: // reset
            m_card.reset();
            return true;
        case 0x04:
            return writeFrame(m_card.atr());
        default:
            return true;
        }
    }
    const base::Bytes response = m_card.process(payload);
    if (m_options.verbose) {
        auto c = device::CommandApdu::decode(payload);
        auto r = device::ResponseApdu::decode(response);
        std::fprintf(stderr, "vcard: > %s  < %04X (%zu bytes)\n", c ? c->toLogString().c_str() : "(malformed)",
                     r ? r->sw : 0, response.size());
    }
    if (!writeFrame(response)) {
        return false;
    }
    ++m_apdusThisInsertion;
    if (m_options.removeAfterApdus > 0 && m_apdusThisInsertion >= m_options.removeAfterApdus) {
        m_control.inserted = false;
        m_options.removeAfterApdus = 0; // once: a re-inserted card stays
        disconnect("--remove-after reached");
    }
    return true;
}

int VpcdLink::run()
{
    bool warned = false;
    while (!m_control.stop) {
        if (!m_control.inserted) {
            disconnect("removed on request");
        } else if (m_socket < 0 && !connectOnce()) {
            if (!warned) {
                std::fprintf(stderr, "vcard: waiting for vpcd on %s:%d\n", m_options.host.c_str(), m_options.port);
                warned = true;
            }
        }
        pollfd fds[2] = {{m_wakeFd, POLLIN, 0}, {m_socket, POLLIN, 0}};
        const int n = poll(fds, m_socket >= 0 ? 2 : 1, m_socket >= 0 ? kPollMs : 100);
        if (n > 0 && (fds[0].revents & POLLIN)) {
            drain(m_wakeFd);
        }
        if (m_socket >= 0 && n > 0 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            if (!serveOne()) {
                disconnect("vpcd closed the connection");
            }
        }
    }
    disconnect("stopping");
    return 0;
}

} // namespace zaitaku::hardware
