#pragma once

// One mTLS session with the enrolled gateway: JSON in, JSON out, and every non-2xx answer turned
// into a sync::Error whose code tells the sync engine what to do with it:
//   401/403 → Unauthorized (stop; the device is revoked or unknown)
//   400/404/405/413 → ProtocolViolation (the request is wrong; field named when the gateway did)
//   409 → returned as a response (per-record conflicts are in the body)
//   429/5xx, network, TLS, timeout → transient (GatewayUnavailable, NetworkUnreachable, Timeout …)

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/client/GatewayLink.h"
#include "sync/transport/HttpsClient.h"

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace zaitaku::sync::client
{

struct ConnectionTimeouts
{
    std::chrono::milliseconds connect{5000};
    std::chrono::milliseconds io{15000};
};

// Client options for the gateway at `address`: the pinned CA (empty with verifyPeer off), the
// device certificate and key when enrolled, and the timeouts.
transport::ClientOptions clientOptions(const transport::GatewayAddress& address,
                                       const ConnectionTimeouts& timeouts,
                                       const std::string& caPem,
                                       const GatewayLink* device = nullptr);

class GatewayConnection
{
public:
    static Expected<GatewayConnection, Error> open(const GatewayLink& link, const ConnectionTimeouts& timeouts);

    Expected<transport::HttpResponse, Error> get(const std::string& target);
    Expected<transport::HttpResponse, Error> post(const std::string& target, const std::string& body);

    // A header sent with every request from now on (lower-case name).
    void setHeader(const std::string& lowerName, const std::string& value) { m_headers[lowerName] = value; }

    // Transient failures leave records queued for a later attempt.
    static bool isTransient(const Error& error);

private:
    explicit GatewayConnection(std::unique_ptr<transport::HttpsClient> client)
        : m_client(std::move(client))
    {}
    Expected<transport::HttpResponse, Error> send(transport::HttpRequest request);
    std::unique_ptr<transport::HttpsClient> m_client;
    std::map<std::string, std::string> m_headers;
};

} // namespace zaitaku::sync::client
