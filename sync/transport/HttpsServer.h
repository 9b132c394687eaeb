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
    // Connection budgets (security review H2). A connection is unauthenticated until its first
    // request is admitted as trusted (Admission::trusted); until then it counts against its
    // network prefix (IPv4 /24, IPv6 /64: AddressPrefix.h) and against a global budget kept well
    // below maxConnections, so that strangers never take the slots tablets need. A new connection
    // over a budget evicts the oldest unauthenticated one of the fullest prefix (its own first)
    // rather than being refused: holding slots gains an attacker nothing. Unauthenticated
    // connections get one request each (no keep-alive). Only when every slot is held by
    // authenticated connections is a new one closed on accept.
    std::size_t maxConnections = 1024;
    std::size_t maxUnauthenticatedConnections = 256;
    std::size_t maxUnauthenticatedPerPrefix = 64;
};

using RequestHandler = std::function<HttpResponse(const HttpRequest&, const RequestContext&)>;

// Without one, a verified client certificate is trusted with maxBodyBytes, anyone else gets
// maxUnauthenticatedBodyBytes.
using AdmissionHandler = std::function<Admission(const HttpRequest& head, const RequestContext&)>;

class HttpsServer
{
public:
    // Binds and starts serving on `threads` threads.
    static Expected<std::unique_ptr<HttpsServer>, Error>
    start(const ServerOptions& options, RequestHandler handler, AdmissionHandler admission = {});
    ~HttpsServer();
    HttpsServer(const HttpsServer&) = delete;
    HttpsServer& operator=(const HttpsServer&) = delete;

    std::uint16_t port() const;
    // Open connections right now (a gauge for /metrics).
    std::size_t connections() const;
    // Connections closed on accept because every slot was held by authenticated ones, and
    // unauthenticated connections closed to make room for a newer one (counters for /metrics).
    std::size_t refusedConnections() const;
    std::size_t evictedConnections() const;
    // TLS handshakes that failed or timed out (a refused client certificate among them).
    std::size_t failedHandshakes() const;
    // New connections present this certificate chain and key and accept client certificates of
    // these CAs (a renewed server certificate); connections already open keep theirs.
    Expected<void, Error> replaceCredentials(const std::string& certificateChainPem,
                                             const std::string& privateKeyPem,
                                             const std::string& clientCaPem);
    // Stops accepting, lets requests in flight finish for up to `grace`, then closes everything.
    void stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

    struct Impl;

private:
    explicit HttpsServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace zaitaku::sync::transport
