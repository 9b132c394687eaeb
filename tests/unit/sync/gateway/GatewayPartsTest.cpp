// The gateway's parts that need no socket: configuration, rate limits, metrics text, stateless
// challenges.

#include "base/AtomicFile.h"
#include "sync/gateway/ChallengeIssuer.h"
#include "sync/gateway/GatewayConfig.h"
#include "sync/gateway/Metrics.h"
#include "sync/gateway/PgConnection.h"
#include "sync/gateway/RateLimiter.h"
#include "tests/support/StoreFixture.h"

#include <limits>

#include <gtest/gtest.h>

namespace zaitaku::sync::gateway
{
namespace
{

TEST(GatewayConfigTest, ReadsSettingsAndNamesTheBadLine)
{
    auto dir = testing::makeTempDir("zaitaku-config");
    const std::string file = (dir / "gateway.conf").string();
    ASSERT_TRUE(
        base::writeFileAtomically(file,
                                  "# facility gateway\nlisten = 0.0.0.0:9443\nthreads=3\njpki_ca = /etc/jpki.pem\n"
                                  "local_challenge_window_hours = 24\nrate_per_second = 50\n"
                                  "record_bytes_per_device_hour = 1048576\nfirst_visit_queries_per_device_day = 30\n",
                                  0600));
    GatewayConfig config;
    ASSERT_TRUE(config.loadFile(file));
    EXPECT_EQ(config.host, "0.0.0.0");
    EXPECT_EQ(config.port, 9443);
    EXPECT_EQ(config.threads, 3);
    EXPECT_EQ(config.jpkiCaFiles, std::vector<std::string>{"/etc/jpki.pem"});
    EXPECT_EQ(config.localChallengeWindow, std::chrono::hours(24));
    EXPECT_EQ(config.ratePerSecond, 50);
    EXPECT_EQ(config.recordBytesPerDeviceHour, 1048576);
    EXPECT_EQ(config.firstVisitQueriesPerDeviceDay, 30);
    ASSERT_TRUE(base::writeFileAtomically(file, "listen = 127.0.0.1:1\nthraeds = 2\n", 0600));
    auto typo = GatewayConfig{}.loadFile(file);
    ASSERT_FALSE(typo);
    EXPECT_NE(typo.error().message.find(":2:"), std::string::npos) << typo.error().message;
    EXPECT_FALSE(GatewayConfig{}.set("listen", "localhost"));
    EXPECT_FALSE(GatewayConfig{}.set("threads", "0"));
    std::filesystem::remove_all(dir);
}

TEST(PgTransportTest, ARemoteServerNeedsAVerifiedTlsConnection)
{
    // Issue 21, item 12: the password and the records never cross a network in the clear.
    const auto noEnv = [](const char*) -> const char* { return nullptr; };
    EXPECT_EQ(pgTransportProblem("host=127.0.0.1 port=55432 dbname=z", noEnv), "");
    EXPECT_EQ(pgTransportProblem("host=/run/postgresql dbname=z", noEnv), "");
    EXPECT_EQ(pgTransportProblem("dbname=z", noEnv), "") << "the default Unix socket";
    EXPECT_EQ(pgTransportProblem("postgresql://localhost/z", noEnv), "");
    EXPECT_NE(pgTransportProblem("host=db.example dbname=z", noEnv).find("verify-full"), std::string::npos);
    EXPECT_NE(pgTransportProblem("host=db.example sslmode=require dbname=z", noEnv), "") << "no server check";
    EXPECT_NE(pgTransportProblem("host=127.0.0.1,10.0.0.5 dbname=z", noEnv), "") << "one remote host in a list";
    EXPECT_NE(pgTransportProblem("hostaddr=10.0.0.5 dbname=z", noEnv), "");
    EXPECT_EQ(pgTransportProblem("host=db.example sslmode=verify-full dbname=z", noEnv), "");
    EXPECT_NE(pgTransportProblem("postgresql://db.example/z?sslmode=verify-ca", noEnv), "")
        << "verify-ca does not check the host name (review L3)";
    // Security review L3: a service file names any host; a name that starts "127." is no address.
    EXPECT_NE(pgTransportProblem("service=zk dbname=z", noEnv).find("service"), std::string::npos);
    const auto serviceEnv = [](const char* name) -> const char* {
        return std::string_view(name) == "PGSERVICE" ? "zk" : nullptr;
    };
    EXPECT_NE(pgTransportProblem("dbname=z", serviceEnv), "");
    EXPECT_NE(pgTransportProblem("host=127.evil.example dbname=z", noEnv), "");
    EXPECT_EQ(pgTransportProblem("host=127.0.0.2 dbname=z", noEnv), "") << "all of 127/8 is loopback";
    // libpq's environment counts as it would when connecting.
    const auto remoteEnv = [](const char* name) -> const char* {
        return std::string_view(name) == "PGHOST" ? "db.example" : nullptr;
    };
    EXPECT_NE(pgTransportProblem("dbname=z", remoteEnv), "");
    EXPECT_EQ(pgTransportProblem("dbname=z sslmode=disable", noEnv), "") << "a local socket needs no TLS";
}

TEST(RateLimiterTest, AllowsTheBurstThenTheRate)
{
    base::ManualMonotonicClock clock;
    RateLimiter limiter(clock, 2.0, 4.0);
    std::chrono::seconds retry{};
    for (int i = 0; i < 4; ++i) {
        EXPECT_TRUE(limiter.allow("d1", retry));
    }
    EXPECT_FALSE(limiter.allow("d1", retry));
    EXPECT_EQ(retry.count(), 1);
    EXPECT_TRUE(limiter.allow("d2", retry)); // another device has its own bucket
    clock.advance(std::chrono::milliseconds(500));
    EXPECT_TRUE(limiter.allow("d1", retry));
    EXPECT_FALSE(limiter.allow("d1", retry));
}

TEST(RateLimiterTest, ARequestCostsWhatItMakesTheGatewayDo)
{
    // Security review M8: 200 challenges (200 signatures) were one token, like a status call.
    base::ManualMonotonicClock clock;
    RateLimiter limiter(clock, 10.0, 40.0);
    std::chrono::seconds retry{};
    EXPECT_TRUE(limiter.allow("d1", retry, 30.0));
    EXPECT_FALSE(limiter.allow("d1", retry, 30.0)) << "10 tokens left";
    EXPECT_EQ(retry.count(), 2) << "20 more tokens at 10 a second";
    EXPECT_TRUE(limiter.allow("d1", retry, 10.0));
    clock.advance(std::chrono::seconds(10));
    EXPECT_TRUE(limiter.allow("d1", retry, 1000.0)) << "more than a bucket costs a full bucket, never forever";
    EXPECT_FALSE(limiter.allow("d1", retry));
}

TEST(RateLimiterTest, OldBucketsAreEvictedSoAnAddressFloodCannotGrowMemory)
{
    // Issue 21, item 3: one bucket per remote address would otherwise grow without bound.
    base::ManualMonotonicClock clock;
    RateLimiter limiter(clock, 1.0, 2.0);
    std::chrono::seconds retry{};
    ASSERT_TRUE(limiter.allow("busy", retry));
    ASSERT_TRUE(limiter.allow("busy", retry));
    EXPECT_FALSE(limiter.allow("busy", retry)) << "its burst is spent";
    for (std::size_t i = 0; i < 3 * RateLimiter::kMaxBuckets; ++i) {
        (void)limiter.allow("10.0." + std::to_string(i), retry);
    }
    EXPECT_LE(limiter.size(), RateLimiter::kMaxBuckets);
    // A bucket that has refilled is forgotten with no change in behaviour.
    clock.advance(std::chrono::seconds(10));
    for (std::size_t i = 0; i < RateLimiter::kMaxBuckets; ++i) {
        (void)limiter.allow("10.1." + std::to_string(i), retry);
    }
    EXPECT_LE(limiter.size(), RateLimiter::kMaxBuckets);
    EXPECT_TRUE(limiter.allow("busy", retry));
}

TEST(MetricsTest, RendersPrometheusText)
{
    Metrics metrics;
    metrics.observeRequest("records", 200, std::chrono::milliseconds(3));
    metrics.observeRequest("records", 200, std::chrono::milliseconds(30));
    metrics.countRejectedSignature();
    metrics.countRecord("stored");
    const auto text = metrics.render({{"zaitaku_gateway_devices", "Enrolled tablets.", false, 2},
                                      {"zaitaku_gateway_records", "Records stored.", false, 12345678}});
    EXPECT_NE(text.find("zaitaku_gateway_requests_total{route=\"records\",status=\"200\"} 2"), std::string::npos);
    EXPECT_NE(text.find("zaitaku_gateway_request_seconds_bucket{route=\"records\",le=\"0.005\"} 1"), std::string::npos);
    EXPECT_NE(text.find("zaitaku_gateway_request_seconds_bucket{route=\"records\",le=\"0.05\"} 2"), std::string::npos);
    EXPECT_NE(text.find("zaitaku_gateway_rejected_signatures_total 1"), std::string::npos);
    EXPECT_NE(text.find("zaitaku_gateway_records_total{status=\"stored\"} 1"), std::string::npos);
    EXPECT_NE(text.find("zaitaku_gateway_devices 2"), std::string::npos);
    EXPECT_NE(text.find("# HELP zaitaku_gateway_devices Enrolled tablets.\n# TYPE zaitaku_gateway_devices gauge"),
              std::string::npos);
    EXPECT_NE(text.find("zaitaku_gateway_records 12345678\n"), std::string::npos) << "exact, not 1.23457e+07";
}

TEST(MetricsTest, NumbersPrintExactlyAndReadBack)
{
    EXPECT_EQ(metricNumber(12345678), "12345678");
    EXPECT_EQ(metricNumber(-86400), "-86400");
    EXPECT_EQ(metricNumber(0.0025), "0.0025");
    EXPECT_EQ(std::stod(metricNumber(1523.4567891234)), 1523.4567891234) << metricNumber(1523.4567891234);
    EXPECT_EQ(metricNumber(1e300), "1e+300"); // beyond 2^53 an integer is printed as a double
    EXPECT_EQ(metricNumber(std::numeric_limits<double>::infinity()), "+Inf");
}

TEST(ChallengeIssuerTest, ChallengesAreBoundAndUnforgeable)
{
    auto dir = testing::makeTempDir("zaitaku-pki");
    base::SeededRandom random(3);
    const auto now = base::Timestamp::parse("2026-11-21T10:00:00+09:00").value();
    auto pki = GatewayPki::loadOrCreate(dir.string(), {}, random, now);
    ASSERT_TRUE(pki) << pki.error().message;
    ChallengeIssuer issuer(*pki, std::chrono::hours(72));
    const auto c = issuer.issue("d-0011223344556677", now, random);
    EXPECT_EQ(c.nonceHex.size(), 64U);
    EXPECT_EQ(c.expiresAt, now.plus(std::chrono::hours(72)));
    auto claim = issuer.check(c.id, c.nonceHex);
    ASSERT_TRUE(claim) << claim.error().message;
    EXPECT_EQ(claim->deviceId, "d-0011223344556677");
    EXPECT_EQ(claim->expiresAt, c.expiresAt);
    std::string forged = c.nonceHex;
    forged[0] = forged[0] == 'a' ? 'b' : 'a';
    EXPECT_EQ(issuer.check(c.id, forged).error().code, Errc::SignatureInvalid);
    std::string otherDevice = c.id;
    otherDevice.replace(3, 18, "d-8899aabbccddeeff");
    EXPECT_FALSE(issuer.check(otherDevice, c.nonceHex)); // the HMAC covers the device
    EXPECT_FALSE(issuer.check("local-123", c.nonceHex));
    // Reloaded from the same folder, the same challenge still checks (a restart loses nothing).
    auto again = GatewayPki::load(dir.string());
    ASSERT_TRUE(again);
    EXPECT_TRUE(ChallengeIssuer(*again, std::chrono::hours(72)).check(c.id, c.nonceHex));
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace zaitaku::sync::gateway
