#pragma once

// An HTTPS/1.1 server on Boost.Beast (pimpl: no Asio in this header). Each connection runs on its
// own strand; every operation has a deadline (handshake, header and body read, write, keep-alive
// idle); request size is bounded before the body is read. Client certificates are requested and
// verified against the client CA but not required by TLS, so that enrollment works without one;
// the handler decides per route (RequestContext::peer).

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/transport/HttpMessage.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace zaitaku::sync::transport
{

struct ServerOptions
{
    std::string host = "127.0.0.1";
    std::uint16_t port = 0; // 0: any free port (port() tells)
    int threads = 2;
    std::string certificateChainPem; // server certificate, then its CA
    std::string privateKeyPem;
    std::string clientCaPem; // device certificates must chain to this
    std::chrono::milliseconds handshakeTimeout{5000};
    std::chrono::milliseconds readTimeout{10000};
    std::chrono::milliseconds writeTimeout{10000};
    std::chrono::milliseconds idleTimeout{30000};
    std::size_t maxBodyBytes = 4 * 1024 * 1024;
    std::size_t maxHeaderBytes = 16 * 1024;
    // Before a client certificate verified, only a small body is read (enrollment is a CSR and a
    // code): a stranger cannot make the server buffer megabytes.
    std::size_t maxUnauthenticatedBodyBytes = 64 * 1024;
    // Connections beyond these are closed on accept, before any TLS work: a flood from one
    // address cannot take every slot, nor all of them the server's memory.
    std::size_t maxConnections = 1024;
    std::size_t maxConnectionsPerAddress = 64;
};

using RequestHandler = std::function<HttpResponse(const HttpRequest&, const RequestContext&)>;

class HttpsServer
{
public:
    // Binds and starts serving on `threads` threads.
    static Expected<std::unique_ptr<HttpsServer>, Error> start(const ServerOptions& options, RequestHandler handler);
    ~HttpsServer();
    HttpsServer(const HttpsServer&) = delete;
    HttpsServer& operator=(const HttpsServer&) = delete;

    std::uint16_t port() const;
    // Open connections right now (a gauge for /metrics).
    std::size_t connections() const;
    // Connections closed on accept because a cap was reached (a counter for /metrics).
    std::size_t refusedConnections() const;
    // Stops accepting, lets requests in flight finish for up to `grace`, then closes everything.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

    struct Impl;

private:
    explicit HttpsServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace zaitaku::sync::transport
