#include "sync/transport/HttpsServer.h"

#include "sync/transport/AddressPrefix.h"
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
    AdmissionHandler admission;
    asio::io_context ioc;
    // The TLS context new connections take; replaceCredentials swaps it (a connection keeps the one
    // it started with alive through its shared_ptr).
    std::mutex sslMutex;
    std::shared_ptr<asio::ssl::context> ssl = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    std::shared_ptr<asio::ssl::context> currentSsl()
    {
        std::lock_guard guard(sslMutex);
        return ssl;
    }
    tcp::acceptor acceptor{ioc};
    std::vector<std::thread> threads;
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> open{0};
    std::atomic<std::size_t> refused{0};
    std::atomic<std::size_t> evicted{0};
    std::atomic<std::size_t> failedHandshakes{0};
    std::mutex mutex;
    std::set<std::weak_ptr<Session>, std::owner_less<std::weak_ptr<Session>>> sessions;

    // Slot accounting (ServerOptions: the budgets). Its own mutex: a session's destructor gives
    // its slot back, and that may run while `mutex` is held (stop() drops the last reference).
    std::mutex slotMutex;
    std::size_t held = 0;      // every slot
    std::size_t untrusted = 0; // of which unauthenticated
    std::map<std::string, std::size_t> untrustedPerPrefix;
    std::map<std::uint64_t, std::weak_ptr<Session>> untrustedByAge; // ticket order = age
    std::uint64_t nextTicket = 0;

    // Room for one more connection from `prefix`: the sessions evicted for it (their slots already
    // given up; abort them outside the lock), or nullopt when every slot is authenticated.
    std::optional<std::vector<std::shared_ptr<Session>>> makeRoom(const std::string& prefix);
    void enter(Session& session, const std::weak_ptr<Session>& weak, const std::string& prefix);
    void promote(Session& session);
    void release(Session& session);
    std::uint16_t port = 0;

    void accept();

private:
    // Under slotMutex: the oldest unauthenticated session (of `prefix`, when given) gives up its slot.
    bool evictOldest(const std::string* prefix, std::vector<std::shared_ptr<Session>>& victims);
    void giveBack(Session& session);
};

namespace
{

// Where a session stands in the slot accounting (guarded by Impl::slotMutex).
struct SlotState
{
    enum class Kind
    {
        None, // never entered, evicted or closed
        Unauthenticated,
        Authenticated
    };
    Kind kind = Kind::None;
    std::string prefix;
    std::uint64_t ticket = 0;
};

class Session : public std::enable_shared_from_this<Session>
{
public:
    // The slot is taken by Impl::enter after construction and given back with the session.
    Session(tcp::socket socket, HttpsServer::Impl& server, std::string remote)
        : m_ssl(server.currentSsl())
        , m_stream(std::move(socket), *m_ssl)
        , m_server(server)
        , m_remote(std::move(remote))
    {
        ++m_server.open;
    }
    ~Session()
    {
        m_server.release(*this);
        --m_server.open;
    }

    SlotState slot;

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
            // A failed or timed-out handshake just ends the connection; counted (a certificate from
            // another CA, a scanner), not logged one by one (security review M6).
            if (ec != asio::error::operation_aborted) {
                ++m_server.failedHandshakes;
            }
            return;
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
        // The header first (this limit only keeps the parser from refusing it); the body only once
        // admit() has decided what this peer may send.
        m_parser->body_limit(std::max(m_server.options.maxBodyBytes, m_server.options.maxUnauthenticatedBodyBytes));
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

    // From the header alone: who this is, what it may send, whether its connection may stay.
    Admission admit()
    {
        RequestContext context{m_peer, m_remote, std::chrono::steady_clock::now()};
        if (m_server.admission) {
            return m_server.admission(toRequest(m_parser->get()), context);
        }
        // A stranger (no verified client certificate) may send only a small body.
        return {m_peer.verified ? m_server.options.maxBodyBytes : m_server.options.maxUnauthenticatedBodyBytes,
                m_peer.verified, std::nullopt};
    }

    void readBody()
    {
        Admission admission;
        try {
            admission = admit();
        } catch (const std::exception&) {
            admission.refusal = HttpResponse{
                500, "application/json", R"({"error":"internal","message":"internal error","field":""})", {}};
        }
        if (admission.refusal) {
            return respond(std::move(*admission.refusal), false);
        }
        if (admission.trusted && !m_trusted) {
            m_server.promote(*this);
            m_trusted = true;
        }
        m_keepAlive = admission.trusted;
        const auto length = m_parser->content_length();
        if (length && *length > admission.maxBodyBytes) {
            return onRead(http::error::body_limit); // refused before a byte of the body is read
        }
        m_parser->body_limit(admission.maxBodyBytes); // chunked bodies too
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
        HttpRequest request = toRequest(message);
        request.body = std::move(message.body());
        RequestContext context{m_peer, m_remote, std::chrono::steady_clock::now()};
        HttpResponse response;
        try {
            response = m_server.handler(request, context);
        } catch (const std::exception&) {
            response = {500, "application/json", R"({"error":"internal","message":"internal error","field":""})", {}};
        }
        // One request per unauthenticated connection: a stranger cannot hold a slot with keep-alive.
        respond(std::move(response), m_keepAlive && message.keep_alive() && !m_server.stopping);
    }

    // Method, target and headers (names in lower case); the body is moved in by the caller.
    static HttpRequest toRequest(const http::request<http::string_body>& message)
    {
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
        return request;
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

    std::shared_ptr<asio::ssl::context> m_ssl; // before m_stream: it outlives the stream's SSL
    beast::ssl_stream<beast::tcp_stream> m_stream;
    HttpsServer::Impl& m_server;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    PeerCertificate m_peer;
    std::string m_remote;
    std::size_t m_requests = 0;
    bool m_trusted = false;   // admitted as authenticated once: its slot left the unauthenticated budgets
    bool m_keepAlive = false; // the current request's admission allows another on this connection
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
        // No resumption: a resumed session would carry the stored verification of a certificate
        // that may have expired since (security review L10); tablets keep connections alive instead.
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
        SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
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
        if (!ec) {
            const std::string prefix = addressPrefix(remote);
            auto victims = makeRoom(prefix);
            if (!victims) {
                ++refused;
                beast::error_code ignored;
                socket.close(ignored); // every slot authenticated: no TLS handshake, no buffer
            } else {
                socket.set_option(tcp::no_delay(true), ec);
                auto session = std::make_shared<Session>(std::move(socket), *this, std::move(remote));
                enter(*session, session, prefix);
                {
                    std::lock_guard lock(mutex);
                    for (auto it = sessions.begin(); it != sessions.end();) {
                        it = it->expired() ? sessions.erase(it) : std::next(it);
                    }
                    sessions.insert(session);
                }
                for (const auto& victim : *victims) {
                    victim->abort();
                }
                evicted += victims->size();
                session->run();
            }
        }
        accept();
    });
}

std::optional<std::vector<std::shared_ptr<Session>>> HttpsServer::Impl::makeRoom(const std::string& prefix)
{
    std::vector<std::shared_ptr<Session>> victims;
    std::lock_guard lock(slotMutex);
    if (auto it = untrustedPerPrefix.find(prefix);
        it != untrustedPerPrefix.end() && it->second >= options.maxUnauthenticatedPerPrefix) {
        evictOldest(&prefix, victims);
    }
    if (untrusted >= options.maxUnauthenticatedConnections) {
        const auto fullest = std::max_element(untrustedPerPrefix.begin(), untrustedPerPrefix.end(),
                                              [](const auto& a, const auto& b) { return a.second < b.second; });
        if (fullest == untrustedPerPrefix.end() || !evictOldest(&fullest->first, victims)) {
            evictOldest(nullptr, victims);
        }
    }
    if (held >= options.maxConnections && !evictOldest(nullptr, victims)) {
        return std::nullopt;
    }
    return victims;
}

bool HttpsServer::Impl::evictOldest(const std::string* prefix, std::vector<std::shared_ptr<Session>>& victims)
{
    for (const auto& [ticket, weak] : untrustedByAge) {
        auto session = weak.lock();
        if (!session || (prefix && session->slot.prefix != *prefix)) {
            continue; // one being destroyed gives its slot back itself
        }
        giveBack(*session);
        victims.push_back(std::move(session)); // the last reference may go only outside the lock
        return true;
    }
    return false;
}

void HttpsServer::Impl::enter(Session& session, const std::weak_ptr<Session>& weak, const std::string& prefix)
{
    std::lock_guard lock(slotMutex);
    session.slot = {SlotState::Kind::Unauthenticated, prefix, nextTicket++};
    ++held;
    ++untrusted;
    ++untrustedPerPrefix[prefix];
    untrustedByAge.emplace(session.slot.ticket, weak);
}

void HttpsServer::Impl::promote(Session& session)
{
    std::lock_guard lock(slotMutex);
    if (session.slot.kind != SlotState::Kind::Unauthenticated) {
        return; // evicted meanwhile: it is closing
    }
    giveBack(session);
    ++held;
    session.slot.kind = SlotState::Kind::Authenticated;
}

void HttpsServer::Impl::release(Session& session)
{
    std::lock_guard lock(slotMutex);
    giveBack(session);
}

void HttpsServer::Impl::giveBack(Session& session)
{
    auto& slot = session.slot;
    if (slot.kind == SlotState::Kind::Unauthenticated) {
        --untrusted;
        auto it = untrustedPerPrefix.find(slot.prefix);
        if (it != untrustedPerPrefix.end() && --it->second == 0) {
            untrustedPerPrefix.erase(it); // bounded by the open connections, not every prefix ever seen
        }
        untrustedByAge.erase(slot.ticket);
    }
    if (slot.kind != SlotState::Kind::None) {
        --held;
    }
    slot.kind = SlotState::Kind::None;
}

HttpsServer::HttpsServer(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{}

Expected<void, Error> HttpsServer::replaceCredentials(const std::string& certificateChainPem,
                                                      const std::string& privateKeyPem,
                                                      const std::string& clientCaPem)
{
    ServerOptions options = m_impl->options;
    options.certificateChainPem = certificateChainPem;
    options.privateKeyPem = privateKeyPem;
    options.clientCaPem = clientCaPem;
    auto fresh = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    if (auto done = configure(*fresh, options); !done) {
        return done;
    }
    std::lock_guard guard(m_impl->sslMutex);
    m_impl->ssl = std::move(fresh);
    return {};
}

HttpsServer::~HttpsServer()
{
    stop(std::chrono::milliseconds(0));
}

Expected<std::unique_ptr<HttpsServer>, Error>
HttpsServer::start(const ServerOptions& options, RequestHandler handler, AdmissionHandler admission)
{
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    impl->handler = std::move(handler);
    impl->admission = std::move(admission);
    if (auto done = configure(*impl->ssl, options); !done) {
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

std::size_t HttpsServer::evictedConnections() const
{
    return m_impl->evicted;
}

std::size_t HttpsServer::failedHandshakes() const
{
    return m_impl->failedHandshakes;
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
