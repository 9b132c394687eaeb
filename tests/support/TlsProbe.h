#pragma once

// A raw TLS client for attack tests (OpenSSL, blocking, with socket timeouts): it binds the
// source address it is told (all of 127/8 reaches a loopback listener), does not check the
// server, and sends exactly the bytes it is given — a half request, a header without its body,
// an idle connection — which HttpsClient never would.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace zaitaku::testing
{

class TlsProbe
{
public:
    // Connected from `source` to 127.0.0.1:`port` with a completed handshake (with the client
    // certificate when given), or null.
    static std::unique_ptr<TlsProbe> open(const std::string& source,
                                          int port,
                                          const std::string& certificatePem = {},
                                          const std::string& privateKeyPem = {},
                                          std::chrono::milliseconds timeout = std::chrono::seconds(5));
    ~TlsProbe();
    TlsProbe(const TlsProbe&) = delete;
    TlsProbe& operator=(const TlsProbe&) = delete;

    // Whether a second connection from `source` resumed the first one's TLS session (a session
    // ticket or a cached session id), after one request and its answer on the first.
    static bool resumesSession(const std::string& source, int port);

    bool send(std::string_view bytes);
    // What arrives within `timeout`, until the server closes (then closedByServer()).
    std::string receive(std::chrono::milliseconds timeout);
    bool closedByServer() const { return m_closed; }

    struct Parts;

private:
    explicit TlsProbe(std::unique_ptr<Parts> parts);
    std::unique_ptr<Parts> m_parts;
    bool m_closed = false;
};

} // namespace zaitaku::testing
