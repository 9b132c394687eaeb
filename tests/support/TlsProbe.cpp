#include "tests/support/TlsProbe.h"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

namespace zaitaku::testing
{

struct TlsProbe::Parts
{
    int fd = -1;
    SSL_CTX* ctx = nullptr;
    SSL* ssl = nullptr;
    ~Parts()
    {
        if (ssl) {
            SSL_free(ssl);
        }
        if (ctx) {
            SSL_CTX_free(ctx);
        }
        if (fd >= 0) {
            ::close(fd);
        }
    }
};

namespace
{

void setTimeout(int fd, std::chrono::milliseconds timeout)
{
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

// A TCP connection from `source` to 127.0.0.1:`port`, or -1.
int connectFrom(const std::string& source, int port, std::chrono::milliseconds timeout)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return -1;
    }
    setTimeout(fd, timeout);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
    sockaddr_in remote{};
    remote.sin_family = AF_INET;
    remote.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0 ||
        ::connect(fd, reinterpret_cast<sockaddr*>(&remote), sizeof remote) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

bool useClientCertificate(SSL_CTX* ctx, const std::string& certificatePem, const std::string& privateKeyPem)
{
    BIO* certBio = BIO_new_mem_buf(certificatePem.data(), static_cast<int>(certificatePem.size()));
    BIO* keyBio = BIO_new_mem_buf(privateKeyPem.data(), static_cast<int>(privateKeyPem.size()));
    X509* cert = PEM_read_bio_X509(certBio, nullptr, nullptr, nullptr);
    EVP_PKEY* key = PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr);
    const bool ok = cert && key && SSL_CTX_use_certificate(ctx, cert) == 1 && SSL_CTX_use_PrivateKey(ctx, key) == 1;
    X509_free(cert);
    EVP_PKEY_free(key);
    BIO_free(certBio);
    BIO_free(keyBio);
    return ok;
}

} // namespace

TlsProbe::TlsProbe(std::unique_ptr<Parts> parts)
    : m_parts(std::move(parts))
{}

TlsProbe::~TlsProbe() = default;

std::unique_ptr<TlsProbe> TlsProbe::open(const std::string& source,
                                         int port,
                                         const std::string& certificatePem,
                                         const std::string& privateKeyPem,
                                         std::chrono::milliseconds timeout)
{
    auto parts = std::make_unique<Parts>();
    parts->fd = connectFrom(source, port, timeout);
    if (parts->fd < 0) {
        return nullptr;
    }
    parts->ctx = SSL_CTX_new(TLS_client_method());
    if (!parts->ctx) {
        return nullptr;
    }
    SSL_CTX_set_verify(parts->ctx, SSL_VERIFY_NONE, nullptr); // an attacker does not care
    if (!certificatePem.empty() && !useClientCertificate(parts->ctx, certificatePem, privateKeyPem)) {
        return nullptr;
    }
    parts->ssl = SSL_new(parts->ctx);
    SSL_set_fd(parts->ssl, parts->fd);
    if (SSL_connect(parts->ssl) != 1) {
        ERR_clear_error();
        return nullptr;
    }
    return std::unique_ptr<TlsProbe>(new TlsProbe(std::move(parts)));
}

bool TlsProbe::resumesSession(const std::string& source, int port)
{
    auto first = open(source, port);
    if (!first) {
        return false;
    }
    // TLS 1.3 sends its tickets after the handshake: read an answer so that they arrive.
    first->send("GET /healthz HTTP/1.1\r\nHost: g\r\n\r\n");
    first->receive(std::chrono::seconds(2));
    SSL_SESSION* session = SSL_get1_session(first->m_parts->ssl);
    if (session == nullptr || SSL_SESSION_is_resumable(session) != 1) {
        SSL_SESSION_free(session);
        return false;
    }
    auto parts = std::make_unique<Parts>();
    parts->fd = connectFrom(source, port, std::chrono::seconds(5));
    parts->ctx = SSL_CTX_new(TLS_client_method());
    parts->ssl = parts->ctx ? SSL_new(parts->ctx) : nullptr;
    bool resumed = false;
    if (parts->ssl && parts->fd >= 0) {
        SSL_set_fd(parts->ssl, parts->fd);
        SSL_set_session(parts->ssl, session);
        resumed = SSL_connect(parts->ssl) == 1 && SSL_session_reused(parts->ssl) == 1;
    }
    ERR_clear_error();
    SSL_SESSION_free(session);
    return resumed;
}

bool TlsProbe::send(std::string_view bytes)
{
    while (!bytes.empty()) {
        const int n = SSL_write(m_parts->ssl, bytes.data(), static_cast<int>(bytes.size()));
        if (n <= 0) {
            ERR_clear_error();
            return false;
        }
        bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

std::string TlsProbe::receive(std::chrono::milliseconds timeout)
{
    setTimeout(m_parts->fd, timeout);
    std::string out;
    char buffer[4096];
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (!m_closed && std::chrono::steady_clock::now() < until) {
        const int n = SSL_read(m_parts->ssl, buffer, sizeof buffer);
        if (n > 0) {
            out.append(buffer, static_cast<std::size_t>(n));
            continue;
        }
        const int error = SSL_get_error(m_parts->ssl, n);
        ERR_clear_error();
        if (error == SSL_ERROR_ZERO_RETURN || (error == SSL_ERROR_SYSCALL && n == 0)) {
            m_closed = true; // close_notify, or the TCP connection ended
        } else if (error == SSL_ERROR_SYSCALL && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            break; // the timeout: still open
        } else {
            m_closed = true; // reset
        }
    }
    return out;
}

} // namespace zaitaku::testing
