#include "sync/client/GatewayConnection.h"

#include "sync/protocol/Messages.h"

namespace zaitaku::sync::client
{

transport::ClientOptions clientOptions(const transport::GatewayAddress& address,
                                       const ConnectionTimeouts& timeouts,
                                       const std::string& caPem,
                                       const GatewayLink* device)
{
    transport::ClientOptions options;
    options.host = address.host;
    options.port = address.port;
    options.caPem = caPem;
    options.verifyPeer = !caPem.empty();
    if (device) {
        options.certificatePem = device->certificatePem;
        options.privateKeyPem = device->privateKeyPem;
    }
    options.connectTimeout = timeouts.connect;
    options.ioTimeout = timeouts.io;
    return options;
}

Expected<GatewayConnection, Error> GatewayConnection::open(const GatewayLink& link, const ConnectionTimeouts& timeouts)
{
    auto address = transport::GatewayAddress::parse(link.url);
    if (!address) {
        return Unexpected(address.error());
    }
    auto client = transport::HttpsClient::create(clientOptions(*address, timeouts, link.caPem, &link));
    if (!client) {
        return Unexpected(client.error());
    }
    return GatewayConnection(std::move(*client));
}

Expected<transport::HttpResponse, Error> GatewayConnection::get(const std::string& target)
{
    return send({"GET", target, {}, {}});
}

Expected<transport::HttpResponse, Error> GatewayConnection::post(const std::string& target, const std::string& body)
{
    return send({"POST", target, {}, body});
}

Expected<transport::HttpResponse, Error> GatewayConnection::send(transport::HttpRequest request)
{
    for (const auto& [name, value] : m_headers) {
        request.headers[name] = value;
    }
    auto response = m_client->send(request);
    if (!response) {
        return Unexpected(response.error());
    }
    const int status = response->status;
    if ((status >= 200 && status < 300) || status == 409) {
        return response;
    }
    auto body = protocol::parseErrorBody(response->body);
    std::string message = body ? body->message : "HTTP " + std::to_string(status);
    const std::string field = body ? body->field : std::string();
    message = "the gateway answered " + std::to_string(status) + ": " + message;
    if (status == 401 || status == 403) {
        return Unexpected(Error{Errc::Unauthorized, message, field});
    }
    if (status == 429 || status >= 500) {
        return Unexpected(Error{Errc::GatewayUnavailable, message, field});
    }
    return Unexpected(Error{Errc::ProtocolViolation, message, field});
}

bool GatewayConnection::isTransient(const Error& error)
{
    switch (error.code) {
    case Errc::NetworkUnreachable:
    case Errc::Timeout:
    case Errc::TlsFailure:
    case Errc::GatewayUnavailable:
    case Errc::StoreBusy:
        return true;
    default:
        return false;
    }
}

} // namespace zaitaku::sync::client
