#pragma once

// A blocking HTTPS/1.1 client on Boost.Beast (pimpl) with a deadline on connect, handshake, write
// and read, and keep-alive reuse of one connection. The server is verified against a pinned CA
// (never the system store) and its host name; an optional client certificate gives mTLS. With
// `verifyPeer` off it only collects the server's chain — enrollment uses that to find the CA whose
// fingerprint the enrollment code carries, then reconnects with verification on.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/transport/HttpMessage.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace zaitaku::sync::transport
{

struct ClientOptions
{
    std::string host;
    std::uint16_t port = 0;
    std::string caPem; // the pinned gateway CA
    std::string certificatePem;
    std::string privateKeyPem;
    bool verifyPeer = true;
    std::chrono::milliseconds connectTimeout{5000};
    std::chrono::milliseconds ioTimeout{15000};
    std::size_t maxBodyBytes = 4 * 1024 * 1024;
};

// "https://host:port" → host and port (InvalidInput otherwise).
struct GatewayAddress
{
    std::string host;
    std::uint16_t port = 443;
    static Expected<GatewayAddress, Error> parse(const std::string& url);
    std::string toString() const;
};

class HttpsClient
{
public:
    static Expected<std::unique_ptr<HttpsClient>, Error> create(const ClientOptions& options);
    ~HttpsClient();
    HttpsClient(const HttpsClient&) = delete;
    HttpsClient& operator=(const HttpsClient&) = delete;

    // Connects when needed. Errors: NetworkUnreachable, Timeout, TlsFailure, ProtocolViolation.
    Expected<HttpResponse, Error> send(const HttpRequest& request);
    // The certificates the server presented on the current connection (DER, leaf first).
    std::vector<std::string> peerChain() const;
    // Connects and handshakes without a request (enrollment's first step).
    Expected<void, Error> connect();
    void close();
    // The protocol the last handshake negotiated ("TLSv1.3"), empty before any; kept after the
    // connection closes (the gateway closes a stranger's after each answer).
    std::string tlsVersion() const;

    struct Impl;

private:
    explicit HttpsClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

} // namespace zaitaku::sync::transport
