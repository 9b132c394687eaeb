#include "sync/transport/HttpsServer.h"

#include "sync/transport/TlsPolicy.h"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <map>
#include <mutex>
#include <openssl/bn.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

namespace zaitaku::sync::transport
{

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace
{

class Session;

} // namespace

struct HttpsServer::Impl
{
    ServerOptions options;
    RequestHandler handler;
    asio::io_context ioc;
    asio::ssl::context ssl{asio::ssl::context::tls_server};
    tcp::acceptor acceptor{ioc};
    std::vector<std::thread> threads;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> open{0};
    std::atomic<std::size_t> refused{0};
    std::mutex mutex;
    std::set<std::weak_ptr<Session>, std::owner_less<std::weak_ptr<Session>>> sessions;
    // Open connections by remote address. Its own mutex: a session's destructor releases its slot,
    // and that may run while `mutex` is held (stop() drops the last reference to a session).
    std::mutex addressMutex;
    std::map<std::string, std::size_t> perAddress;

    // Takes a slot for `address`, or false when a cap is reached.
    bool admit(const std::string& address);
    void release(const std::string& address);
    std::uint16_t port = 0;

    void accept();
};

namespace
{

class Session : public std::enable_shared_from_this<Session>
{
public:
    // `remote` has been admitted (Impl::admit); the slot is released with the session.
    Session(tcp::socket socket, HttpsServer::Impl& server, std::string remote)
        : m_stream(std::move(socket), server.ssl)
        , m_server(server)
        , m_remote(std::move(remote))
    {
        ++m_server.open;
    }
    ~Session()
    {
        m_server.release(m_remote);
        --m_server.open;
    }

    void run()
    {
        asio::dispatch(m_stream.get_executor(), [self = shared_from_this()] { self->handshake(); });
    }

    // Called from stop(): close at once (the grace period is over).
    void abort()
    {
        asio::post(m_stream.get_executor(), [self = shared_from_this()] {
            beast::get_lowest_layer(self->m_stream).cancel();
            beast::error_code ignored;
            beast::get_lowest_layer(self->m_stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
        });
    }

private:
    void handshake()
    {
        beast::get_lowest_layer(m_stream).expires_after(m_server.options.handshakeTimeout);
        m_stream.async_handshake(asio::ssl::stream_base::server,
                                 [self = shared_from_this()](beast::error_code ec) { self->onHandshake(ec); });
    }

    void onHandshake(beast::error_code ec)
    {
        if (ec) {
            return; // a failed or timed-out handshake just ends the connection
        }
        SSL* ssl = m_stream.native_handle();
        if (X509* cert = SSL_get1_peer_certificate(ssl)) {
            m_peer.verified = SSL_get_verify_result(ssl) == X509_V_OK;
            unsigned char* der = nullptr;
            const int len = i2d_X509(cert, &der);
            if (len > 0) {
                m_peer.der.assign(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
                OPENSSL_free(der);
            }
            if (BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr)) {
                char* hex = BN_bn2hex(bn);
                m_peer.serialHex = hex;
                for (auto& c : m_peer.serialHex) {
                    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                }
                OPENSSL_free(hex);
                BN_free(bn);
            }
            X509_free(cert);
        }
        read();
    }

    void read()
    {
        m_parser.emplace();
        m_parser->header_limit(static_cast<std::uint32_t>(m_server.options.maxHeaderBytes));
        // The header first; the body only once its size is known to be within what this peer may send.
        m_parser->body_limit(bodyLimit());
        // The first request waits for the read deadline; later ones for the keep-alive idle time.
        beast::get_lowest_layer(m_stream).expires_after(m_requests == 0 ? m_server.options.readTimeout
                                                                        : m_server.options.idleTimeout);
        http::async_read_header(m_stream, m_buffer, *m_parser,
                                [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                    if (ec) {
                                        return self->onRead(ec);
                                    }
                                    self->readBody();
                                });
    }

    // A stranger (no verified client certificate) may send only a small body.
    std::size_t bodyLimit() const
    {
        return m_peer.verified ? m_server.options.maxBodyBytes : m_server.options.maxUnauthenticatedBodyBytes;
    }

    void readBody()
    {
        const auto length = m_parser->content_length();
        if (length && *length > bodyLimit()) {
            return onRead(http::error::body_limit); // refused before a byte of the body is read
        }
        beast::get_lowest_layer(m_stream).expires_after(m_server.options.readTimeout);
        http::async_read(m_stream, m_buffer, *m_parser,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
    }

    void onRead(beast::error_code ec)
    {
        if (ec == http::error::body_limit || ec == http::error::header_limit) {
            respond({413,
                     "application/json",
                     R"({"error":"protocol_violation","message":"the request is too large","field":""})",
                     {}},
                    false);
            return;
        }
        if (ec) {
            return close();
        }
        ++m_requests;
        auto& message = m_parser->get();
        HttpRequest request;
        request.method = std::string(message.method_string());
        request.target = std::string(message.target());
        for (const auto& field : message) {
            std::string name(field.name_string());
            for (auto& c : name) {
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            }
            request.headers[name] = std::string(field.value());
        }
        request.body = std::move(message.body());
        RequestContext context{m_peer, m_remote, std::chrono::steady_clock::now()};
        HttpResponse response;
        try {
            response = m_server.handler(request, context);
        } catch (const std::exception&) {
            response = {500, "application/json", R"({"error":"internal","message":"internal error","field":""})", {}};
        }
        respond(std::move(response), message.keep_alive() && !m_server.stopping);
    }

    void respond(HttpResponse response, bool keepAlive)
    {
        auto out = std::make_shared<http::response<http::string_body>>();
        out->version(11);
        out->result(static_cast<unsigned>(response.status));
        out->set(http::field::server, "zaitaku-gateway");
        // HTTPS only, for a year: a browser an operator points at /healthz never falls back.
        out->set(http::field::strict_transport_security, "max-age=31536000");
        out->set(http::field::content_type, response.contentType);
        for (const auto& [name, value] : response.headers) {
            out->set(name, value);
        }
        out->body() = std::move(response.body);
        out->keep_alive(keepAlive);
        out->prepare_payload();
        write(std::move(out), keepAlive);
    }

    void write(std::shared_ptr<http::response<http::string_body>> out, bool keepAlive)
    {
        beast::get_lowest_layer(m_stream).expires_after(m_server.options.writeTimeout);
        http::async_write(m_stream, *out,
                          [self = shared_from_this(), out, keepAlive](beast::error_code ec, std::size_t) {
                              if (ec || !keepAlive) {
                                  return self->close();
                              }
                              self->read();
                          });
    }

    void close()
    {
        beast::get_lowest_layer(m_stream).expires_after(std::chrono::seconds(2));
        m_stream.async_shutdown([self = shared_from_this()](beast::error_code) {
            beast::error_code ignored;
            beast::get_lowest_layer(self->m_stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
        });
    }

    beast::ssl_stream<beast::tcp_stream> m_stream;
    HttpsServer::Impl& m_server;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    PeerCertificate m_peer;
    std::string m_remote;
    std::size_t m_requests = 0;
};

Expected<void, Error> configure(asio::ssl::context& ssl, const ServerOptions& options)
{
    try {
        ssl.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                        asio::ssl::context::single_dh_use);
        SSL_CTX* ctx = ssl.native_handle();
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_cipher_list(ctx, kTls12Ciphers);
        SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
        ssl.use_certificate_chain(asio::buffer(options.certificateChainPem));
        ssl.use_private_key(asio::buffer(options.privateKeyPem), asio::ssl::context::pem);
        if (!options.clientCaPem.empty()) {
            // verify_peer without fail_if_no_peer_cert: a missing client certificate is not a TLS
            // error (the handler refuses the routes that need one); a wrong one is.
            ssl.add_certificate_authority(asio::buffer(options.clientCaPem));
            ssl.set_verify_mode(asio::ssl::verify_peer);
            static const unsigned char kContext[] = "zaitaku-gateway";
            SSL_CTX_set_session_id_context(ctx, kContext, sizeof(kContext) - 1);
        }
    } catch (const boost::system::system_error& e) {
        return Unexpected(Error{Errc::TlsFailure, std::string("the server's TLS setup failed: ") + e.what()});
    }
    return {};
}

} // namespace

void HttpsServer::Impl::accept()
{
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
        if (stopping) {
            return;
        }
        std::string remote;
        if (!ec) {
            auto endpoint = socket.remote_endpoint(ec);
            remote = ec ? std::string() : endpoint.address().to_string();
        }
        if (!ec && !admit(remote)) {
            ++refused;
            beast::error_code ignored;
            socket.close(ignored); // over a cap: no TLS handshake, no buffer, no slot
        } else if (!ec) {
            socket.set_option(tcp::no_delay(true), ec);
            auto session = std::make_shared<Session>(std::move(socket), *this, std::move(remote));
            {
                std::lock_guard lock(mutex);
                for (auto it = sessions.begin(); it != sessions.end();) {
                    it = it->expired() ? sessions.erase(it) : std::next(it);
                }
                sessions.insert(session);
            }
            session->run();
        }
        accept();
    });
}

bool HttpsServer::Impl::admit(const std::string& address)
{
    std::lock_guard lock(addressMutex);
    if (open >= options.maxConnections) {
        return false;
    }
    auto& count = perAddress[address];
    if (count >= options.maxConnectionsPerAddress) {
        return false;
    }
    ++count;
    return true;
}

void HttpsServer::Impl::release(const std::string& address)
{
    std::lock_guard lock(addressMutex);
    auto it = perAddress.find(address);
    if (it != perAddress.end() && --it->second == 0) {
        perAddress.erase(it); // bounded by the open connections, not by every address ever seen
    }
}

HttpsServer::HttpsServer(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}

HttpsServer::~HttpsServer()
{
    stop(std::chrono::milliseconds(0));
}

Expected<std::unique_ptr<HttpsServer>, Error> HttpsServer::start(const ServerOptions& options, RequestHandler handler)
{
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->handler = std::move(handler);
    if (auto done = configure(impl->ssl, options); !done) {
        return Unexpected(done.error());
    }
    beast::error_code ec;
    auto address = asio::ip::make_address(options.host, ec);
    if (ec) {
        return Unexpected(
            Error{Errc::InvalidInput, "cannot listen on '" + options.host + "': not an IP address", "listen"});
    }
    tcp::endpoint endpoint(address, options.port);
    impl->acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        impl->acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        return Unexpected(Error{
            Errc::NetworkUnreachable,
            "cannot listen on " + options.host + ":" + std::to_string(options.port) + ": " + ec.message(), "listen"});
    }
    impl->port = impl->acceptor.local_endpoint().port();
    impl->accept();
    for (int i = 0; i < std::max(1, options.threads); ++i) {
        impl->threads.emplace_back([raw = impl.get()] { raw->ioc.run(); });
    }
    return std::unique_ptr<HttpsServer>(new HttpsServer(std::move(impl)));
}

std::uint16_t HttpsServer::port() const
{
    return m_impl->port;
}

std::size_t HttpsServer::connections() const
{
    return m_impl->open;
}

std::size_t HttpsServer::refusedConnections() const
{
    return m_impl->refused;
}

void HttpsServer::stop(std::chrono::milliseconds grace)
{
    if (!m_impl || m_impl->threads.empty()) {
        return;
    }
    m_impl->stopping = true;
    asio::post(m_impl->acceptor.get_executor(), [impl = m_impl.get()] {
        beast::error_code ignored;
        impl->acceptor.close(ignored);
    });
    // Requests in flight finish (their responses say Connection: close); idle connections wait
    // for their next read, which the abort below ends.
    const auto until = std::chrono::steady_clock::now() + grace;
    while (std::chrono::steady_clock::now() < until && m_impl->open > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    {
        std::lock_guard lock(m_impl->mutex);
        for (const auto& weak : m_impl->sessions) {
            if (auto session = weak.lock()) {
                session->abort();
            }
        }
    }
    const auto hard = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (std::chrono::steady_clock::now() < hard && m_impl->open > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    m_impl->ioc.stop();
    for (auto& thread : m_impl->threads) {
        thread.join();
    }
    m_impl->threads.clear();
}

} // namespace zaitaku::sync::transport
