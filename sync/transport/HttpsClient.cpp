#include "sync/transport/HttpsClient.h"

#include "sync/transport/TlsPolicy.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <optional>
#include <utility>

namespace zaitaku::sync::transport
{

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpsClient::Impl
{
    ClientOptions options;
    asio::io_context ioc;
    asio::ssl::context ssl{asio::ssl::context::tls_client};
    std::optional<beast::ssl_stream<beast::tcp_stream>> stream;
    beast::flat_buffer buffer;
    std::string tlsVersion; // of the last handshake (a gateway closes a stranger's connection)

    // Runs the queued asynchronous operation to completion (the tcp_stream deadline bounds it).
    void runOnce()
    {
        ioc.restart();
        ioc.run();
    }

    Error failure(const beast::error_code& ec, const std::string& during) const
    {
        const std::string where = options.host + ":" + std::to_string(options.port);
        if (ec == beast::error::timeout) {
            return {Errc::Timeout, "the gateway " + where + " did not answer in time (" + during + ")"};
        }
        if (ec.category() == asio::error::get_ssl_category() || ec == asio::ssl::error::stream_truncated) {
            return {Errc::TlsFailure, "TLS with " + where + " failed during " + during + ": " + ec.message()};
        }
        return {Errc::NetworkUnreachable, "cannot reach the gateway " + where + " (" + during + "): " + ec.message()};
    }

    Expected<void, Error> connect()
    {
        stream.reset();
        buffer.clear();
        stream.emplace(ioc, ssl);
        SSL* handle = stream->native_handle();
        beast::error_code ec;
        const bool isIp = (asio::ip::make_address(options.host, ec), !ec);
        if (!isIp) {
            SSL_set_tlsext_host_name(handle, options.host.c_str());
        }
        if (options.verifyPeer) {
            stream->set_verify_callback(asio::ssl::host_name_verification(options.host));
        }
        tcp::resolver resolver(ioc);
        auto endpoints = resolver.resolve(options.host, std::to_string(options.port), ec);
        if (ec) {
            return Unexpected(failure(ec, "name lookup"));
        }
        auto& lowest = beast::get_lowest_layer(*stream);
        lowest.expires_after(options.connectTimeout);
        lowest.async_connect(endpoints, [&ec](beast::error_code e, const tcp::endpoint&) { ec = e; });
        runOnce();
        if (ec) {
            return Unexpected(failure(ec, "connect"));
        }
        lowest.socket().set_option(tcp::no_delay(true), ec);
        lowest.expires_after(options.ioTimeout);
        stream->async_handshake(asio::ssl::stream_base::client, [&ec](beast::error_code e) { ec = e; });
        runOnce();
        if (ec) {
            const long verify = SSL_get_verify_result(handle);
            std::string detail = ec.message();
            if (verify != X509_V_OK) {
                detail = std::string("the gateway's certificate was refused: ") + X509_verify_cert_error_string(verify);
            }
            stream.reset();
            return Unexpected(Error{Errc::TlsFailure, "TLS with " + options.host + " failed: " + detail});
        }
        tlsVersion = SSL_get_version(handle);
        return {};
    }
};

HttpsClient::HttpsClient(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}

HttpsClient::~HttpsClient()
{
    close();
}

Expected<std::unique_ptr<HttpsClient>, Error> HttpsClient::create(const ClientOptions& options)
{
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    try {
        SSL_CTX* ctx = impl->ssl.native_handle();
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_cipher_list(ctx, kTls12Ciphers);
        if (options.verifyPeer) {
            if (options.caPem.empty()) {
                return Unexpected(Error{Errc::InvalidInput, "no pinned gateway CA: enroll first", "ca"});
            }
            impl->ssl.add_certificate_authority(asio::buffer(options.caPem));
            impl->ssl.set_verify_mode(asio::ssl::verify_peer);
        } else {
            impl->ssl.set_verify_mode(asio::ssl::verify_none);
        }
        if (!options.certificatePem.empty()) {
            impl->ssl.use_certificate_chain(asio::buffer(options.certificatePem));
            impl->ssl.use_private_key(asio::buffer(options.privateKeyPem), asio::ssl::context::pem);
        }
    } catch (const boost::system::system_error& e) {
        return Unexpected(Error{Errc::TlsFailure, std::string("the client's TLS setup failed: ") + e.what()});
    }
    return std::unique_ptr<HttpsClient>(new HttpsClient(std::move(impl)));
}

Expected<void, Error> HttpsClient::connect()
{
    return m_impl->connect();
}

Expected<HttpResponse, Error> HttpsClient::send(const HttpRequest& request)
{
    auto& impl = *m_impl;
    if (!impl.stream) {
        if (auto done = impl.connect(); !done) {
            return Unexpected(done.error());
        }
    }
    http::request<http::string_body> out;
    out.version(11);
    out.method_string(request.method);
    out.target(request.target);
    out.set(http::field::host, impl.options.host);
    out.set(http::field::user_agent, "zaitaku");
    for (const auto& [name, value] : request.headers) {
        out.set(name, value);
    }
    if (!request.body.empty() || request.method == "POST") {
        out.set(http::field::content_type, "application/json");
        out.body() = request.body;
    }
    out.keep_alive(true);
    out.prepare_payload();

    beast::error_code ec;
    auto& lowest = beast::get_lowest_layer(*impl.stream);
    lowest.expires_after(impl.options.ioTimeout);
    http::async_write(*impl.stream, out, [&ec](beast::error_code e, std::size_t) { ec = e; });
    impl.runOnce();
    if (ec) {
        auto error = impl.failure(ec, "sending");
        close();
        return Unexpected(error);
    }
    http::response_parser<http::string_body> parser;
    parser.body_limit(impl.options.maxBodyBytes);
    lowest.expires_after(impl.options.ioTimeout);
    http::async_read(*impl.stream, impl.buffer, parser, [&ec](beast::error_code e, std::size_t) { ec = e; });
    impl.runOnce();
    if (ec) {
        auto error = ec == http::error::body_limit
                         ? Error{Errc::ProtocolViolation, "the gateway's answer is larger than allowed"}
                         : impl.failure(ec, "waiting for the answer");
        close();
        return Unexpected(error);
    }
    auto& message = parser.get();
    HttpResponse response;
    response.status = static_cast<int>(message.result_int());
    response.contentType = std::string(message[http::field::content_type]);
    response.body = std::move(message.body());
    if (!message.keep_alive()) {
        close();
    }
    return response;
}

std::vector<std::string> HttpsClient::peerChain() const
{
    std::vector<std::string> out;
    if (!m_impl->stream) {
        return out;
    }
    STACK_OF(X509)* chain = SSL_get_peer_cert_chain(m_impl->stream->native_handle());
    for (int i = 0; chain && i < sk_X509_num(chain); ++i) {
        unsigned char* der = nullptr;
        const int len = i2d_X509(sk_X509_value(chain, i), &der);
        if (len > 0) {
            out.emplace_back(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
            OPENSSL_free(der);
        }
    }
    return out;
}

std::string HttpsClient::tlsVersion() const
{
    return m_impl->tlsVersion;
}

void HttpsClient::close()
{
    if (m_impl && m_impl->stream) {
        beast::error_code ignored;
        beast::get_lowest_layer(*m_impl->stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(*m_impl->stream).close();
        m_impl->stream.reset();
    }
}

Expected<GatewayAddress, Error> GatewayAddress::parse(const std::string& url)
{
    constexpr std::string_view kScheme = "https://";
    if (url.rfind(kScheme, 0) != 0) {
        return Unexpected(Error{Errc::InvalidInput, "the gateway address must start with https://", "gateway"});
    }
    std::string rest = url.substr(kScheme.size());
    if (auto slash = rest.find('/'); slash != std::string::npos) {
        rest.resize(slash);
    }
    GatewayAddress address;
    const auto colon = rest.rfind(':');
    address.host = rest.substr(0, colon);
    if (colon != std::string::npos) {
        const auto portText = rest.substr(colon + 1);
        unsigned value = 0;
        auto [ptr, ec] = std::from_chars(portText.data(), portText.data() + portText.size(), value);
        if (ec != std::errc() || ptr != portText.data() + portText.size() || value == 0 || value > 65535) {
            return Unexpected(Error{Errc::InvalidInput, "'" + portText + "' is not a port", "gateway"});
        }
        address.port = static_cast<std::uint16_t>(value);
    }
    if (address.host.empty()) {
        return Unexpected(Error{Errc::InvalidInput, "the gateway address has no host", "gateway"});
    }
    return address;
}

std::string GatewayAddress::toString() const
{
    return "https://" + host + ":" + std::to_string(port);
}

} // namespace zaitaku::sync::transport
