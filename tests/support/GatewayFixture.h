#pragma once

// A real zaitaku gateway on loopback (GatewayServer: Beast HTTPS, mTLS, SQLCipher storage) beside
// the visit fixture's tablet store, with the virtual card's test CA as the gateway's JPKI CA.
// The gateway runs in-process on its own threads with its own manual clock, so tests can move
// the gateway's time without moving the tablet's. With ZAITAKU_TEST_GATEWAY_PG_CONNINFO (set by
// CTest for the "pg." copies of the suites) the gateway stores into the test PostgreSQL server
// instead, in a schema of its own.

#include "base/AtomicFile.h"
#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "hardware/vcard/TestPki.h"
#include "sync/client/Enrollment.h"
#include "sync/client/SyncEngine.h"
#include "sync/gateway/GatewayServer.h"
#include "sync/gateway/PgConnection.h"
#include "sync/protocol/EnrollmentCode.h"
#include "sync/store/PatientRoster.h"
#include "tests/support/VisitFixture.h"

#include <cstdlib>
#include <sstream>
#include <unistd.h>

namespace zaitaku::testing
{

class GatewayTest : public VisitTest
{
protected:
    void SetUp() override
    {
        VisitTest::SetUp();
        gatewayClock.set(clock.now());
        auto pki = hardware::TestPki::open(ZAITAKU_TEST_PKI_DIR, clock.nowJst());
        ASSERT_TRUE(pki);
        jpkiCaPath = (dir / "jpki-ca.pem").string();
        ASSERT_TRUE(base::writeFileAtomically(jpkiCaPath, pki->caCertificatePem(), 0600));
        config.dataDir = (dir / "gateway").string();
        config.port = 0;
        config.jpkiCaFiles = {jpkiCaPath};
        usePostgresWhenAsked();
        startGateway();
        ASSERT_EQ(gateway->storage().backend(), pgSchema.empty() ? "sqlite" : "postgresql");
    }
    void TearDown() override
    {
        gateway.reset();
        if (!pgSchema.empty()) {
            if (auto admin = sync::gateway::PgConnection::connect(pgConninfo, std::chrono::seconds(10))) {
                (void)admin->run("DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE");
            }
        }
        VisitTest::TearDown();
    }

    void usePostgresWhenAsked()
    {
        const char* conninfo = std::getenv("ZAITAKU_TEST_GATEWAY_PG_CONNINFO");
        if (conninfo == nullptr) {
            return;
        }
        pgConninfo = conninfo;
        pgSchema = "gw_" + std::to_string(::getpid());
        auto admin = sync::gateway::PgConnection::connect(pgConninfo, std::chrono::seconds(10));
        ASSERT_TRUE(admin) << admin.error().message;
        // As deployed (docs/OPERATIONS.md): a schema owner migrates, the gateway's role only uses.
        ASSERT_TRUE(admin->run("DROP SCHEMA IF EXISTS " + pgSchema + " CASCADE; CREATE SCHEMA " + pgSchema +
                               " AUTHORIZATION zaitaku_owner"));
        config.storage = sync::gateway::StorageBackend::Postgresql;
        const std::string scoped = pgConninfo + " options='-csearch_path=" + pgSchema + "'";
        config.postgresConninfo = scoped + " user=zaitaku_gateway";
        config.postgresOwnerConninfo = scoped + " user=zaitaku_owner";
    }

    void startGateway()
    {
        auto started = sync::gateway::GatewayServer::start(config, gatewayClock, steady, gatewayRandom, log);
        ASSERT_TRUE(started) << started.error().message;
        gateway = std::move(*started);
        url = "https://127.0.0.1:" + std::to_string(gateway->port());
    }
    // On the same port: the enrolled tablets keep their gateway address.
    void restartGateway()
    {
        config.port = gateway->port();
        gateway.reset();
        startGateway();
    }

    std::string newCode()
    {
        auto code = sync::protocol::EnrollmentCode::generate(gatewayRandom, gateway->caFingerprint());
        const auto now = gatewayClock.nowJst();
        EXPECT_TRUE(
            gateway->storage().addEnrollmentCode(base::sha256Hex(code.secret), now, now.plus(std::chrono::hours(1))));
        return code.toString();
    }

    // Enrolls `tablet` and, as the facility's operator does with `zaitaku-gateway roster assign`,
    // assigns it the patients of its own roster (unless `assignRoster` is false).
    Expected<sync::client::EnrollmentResult, sync::Error>
    enrollTablet(sync::store::Store& tablet, const std::string& code, bool assignRoster = true)
    {
        auto enrolled = sync::client::enroll(tablet, {url, code, "tablet", "test", {}}, random);
        if (enrolled && assignRoster) {
            std::vector<std::string> ids;
            auto roster = sync::store::PatientRoster::list(tablet.db());
            EXPECT_TRUE(roster);
            for (const auto& p : roster ? *roster : std::vector<model::Patient>{}) {
                ids.push_back(p.id);
            }
            EXPECT_TRUE(gateway->storage().changeAssignments(enrolled->deviceId, ids, true, gatewayClock.nowJst()));
        }
        return enrolled;
    }

    sync::client::SyncReport syncNow(sync::store::Store& tablet)
    {
        sync::client::SyncEngine engine(tablet, random);
        auto report = engine.run();
        EXPECT_TRUE(report) << report.error().message;
        return report ? *report : sync::client::SyncReport{};
    }

    std::int64_t gatewayRecords() { return gateway->storage().counts().value().records; }

    base::ManualClock gatewayClock{std::chrono::system_clock::now()};
    base::SteadyClock steady;
    base::SystemRandom gatewayRandom;
    std::ostringstream log;
    sync::gateway::GatewayConfig config;
    std::unique_ptr<sync::gateway::GatewayServer> gateway;
    std::string url;
    std::string jpkiCaPath;
    std::string pgConninfo;
    std::string pgSchema;
};

} // namespace zaitaku::testing
