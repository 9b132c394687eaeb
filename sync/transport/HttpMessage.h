#pragma once

// HTTP messages as plain values, so that nothing outside sync/transport sees Beast or Asio (they
// cost ~15 s per translation unit, docs/ARCHITECTURE.md).

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace zaitaku::sync::transport
{

struct HttpRequest
{
    std::string method = "GET";
    std::string target = "/";                   // path and query
    std::map<std::string, std::string> headers; // names in lower case
    std::string body;

    std::string header(const std::string& lowerName) const
    {
        auto it = headers.find(lowerName);
        return it == headers.end() ? std::string() : it->second;
    }
};

struct HttpResponse
{
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

// What TLS established about the client: a certificate verified against the configured client CA.
struct PeerCertificate
{
    bool verified = false;
    std::string der;
    std::string serialHex; // lower case, computed once per connection
};

// What the server may do with a request, decided from its header before any of its body is read
// (security review M2: a revoked or monitoring certificate must not get a tablet's body limit).
struct Admission
{
    std::size_t maxBodyBytes = 0;
    // An authenticated client (an enrolled, unrevoked tablet): keep-alive, and its slot leaves the
    // unauthenticated budgets.
    bool trusted = false;
    // Answered at once, the body unread; the connection is then closed.
    std::optional<HttpResponse> refusal;
};

struct RequestContext
{
    PeerCertificate peer;
    std::string remoteAddress;
    std::chrono::steady_clock::time_point receivedAt;
};

} // namespace zaitaku::sync::transport
