// The gateway as a systemd service (issue 30): the program tells systemd when it is ready, pings
// its watchdog, reloads on SIGHUP and says when it stops — over a real NOTIFY_SOCKET, as systemd
// gives it; and `--version` for the package's install test.

#include "support/StoreFixture.h"
#include "support/Subprocess.h"

#include <csignal>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace zaitaku::testing
{
namespace
{

// A datagram socket where the child's sd_notify messages arrive, as systemd's notify socket.
class NotifySocket
{
public:
    explicit NotifySocket(const std::string& path)
        : m_path(path)
    {
        m_fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        path.copy(addr.sun_path, sizeof addr.sun_path - 1);
        EXPECT_EQ(::bind(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << path;
    }
    ~NotifySocket()
    {
        ::close(m_fd);
        ::unlink(m_path.c_str());
    }
    // The messages received within `timeout` until one contains `want`; all of them, in order.
    std::string waitFor(const std::string& want, std::chrono::milliseconds timeout)
    {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < deadline) {
            pollfd p{m_fd, POLLIN, 0};
            if (::poll(&p, 1, 50) == 1) {
                char buf[4096];
                const auto n = ::recv(m_fd, buf, sizeof buf, 0);
                if (n > 0) {
                    m_seen += std::string(buf, static_cast<std::size_t>(n)) + "\n";
                    if (m_seen.find(want) != std::string::npos) {
                        break;
                    }
                }
            }
        }
        return m_seen;
    }
    void clear() { m_seen.clear(); }

private:
    std::string m_path;
    int m_fd = -1;
    std::string m_seen;
};

class GatewayServiceTest : public ::testing::Test
{
protected:
    void SetUp() override { dir = makeTempDir("zaitaku-gateway-service"); }
    void TearDown() override { std::filesystem::remove_all(dir); }
    std::filesystem::path dir;
};

TEST_F(GatewayServiceTest, ItPrintsItsVersion)
{
    const auto r = test::runProcess({ZAITAKU_GATEWAY_PATH, "--version"}, "");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out.rfind("zaitaku-gateway ", 0), 0u) << r.out;
}

TEST_F(GatewayServiceTest, SystemdHearsReadyWatchdogReloadAndStopping)
{
    const std::string socketPath = (dir / "notify.sock").string();
    NotifySocket systemd(socketPath);
    const std::string config = (dir / "gateway.conf").string();
    std::ofstream(config) << "listen = 127.0.0.1:0\n";
    // As systemd starts the unit: its notify socket and a watchdog of 400 ms.
    ::setenv("NOTIFY_SOCKET", socketPath.c_str(), 1);
    ::setenv("WATCHDOG_USEC", "400000", 1);
    int out = -1;
    const int pid = test::spawnProcess(
        {ZAITAKU_GATEWAY_PATH, "serve", "--data-dir", (dir / "data").string(), "--config", config}, &out);
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ASSERT_GT(pid, 0);
    const auto listening = test::readLine(out, std::chrono::seconds(60));
    ASSERT_NE(listening.find("listening"), std::string::npos) << listening;
    EXPECT_NE(systemd.waitFor("READY=1", std::chrono::seconds(5)).find("READY=1"), std::string::npos);
    EXPECT_NE(systemd.waitFor("WATCHDOG=1", std::chrono::seconds(5)).find("WATCHDOG=1"), std::string::npos)
        << "pinged within the watchdog interval";
    systemd.clear();
    // systemctl reload: a configuration that cannot be read keeps the gateway serving, ready again.
    std::ofstream(config, std::ios::trunc) << "listen = 127.0.0.1:0\njpki_ca = /nonexistent/ca.pem\n";
    ASSERT_EQ(::kill(pid, SIGHUP), 0);
    const auto reloaded = systemd.waitFor("READY=1", std::chrono::seconds(10));
    const auto reloading = reloaded.find("RELOADING=1");
    ASSERT_NE(reloading, std::string::npos) << reloaded;
    EXPECT_NE(reloaded.find("READY=1", reloading), std::string::npos) << reloaded;
    systemd.clear();
    ASSERT_EQ(::kill(pid, SIGTERM), 0);
    EXPECT_NE(systemd.waitFor("STOPPING=1", std::chrono::seconds(10)).find("STOPPING=1"), std::string::npos);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
    ::close(out);
}

} // namespace
} // namespace zaitaku::testing
