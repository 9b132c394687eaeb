// Issue 30, a lost or replaced tablet loses no visits: the gateway sees each tablet's last request
// and what it still holds (`devices list`), and an operator brings a revoked tablet's unsent
// records in from its store export, each one verified as an upload would be.

#include "sync/gateway/GatewayServer.h"
#include "sync/store/StoreExport.h"
#include "tests/support/GatewayFixture.h"

#include <gtest/gtest.h>

namespace zaitaku::testing
{
namespace
{

class GatewayLostTabletTest : public GatewayTest
{
protected:
    // A PIN first visit on the fixture's tablet, left in its outbox (no sync after it).
    void visitWithoutSync(const std::string& patient = "p-first")
    {
        presentCard("valid");
        visit::VisitScript script;
        script.pins.push_back(pin("1234"));
        visit::ScriptedOperator op(std::move(script));
        auto outcome = run(request(patient), op);
        ASSERT_TRUE(outcome) << outcome.error().message;
        ASSERT_EQ(outcome->state, visit::VisitState::Committed);
    }

    std::string exportTablet()
    {
        const std::string out = (dir / "tablet-7.zexp").string();
        sync::store::ExportOptions options;
        options.outPath = out;
        options.passphrase = "handover passphrase";
        options.scrypt = fastScrypt();
        auto exported = sync::store::exportStore(*store, options, random);
        EXPECT_TRUE(exported) << exported.error().message;
        return out;
    }

    Expected<sync::protocol::RecordsResponse, sync::Error> importExport(const std::string& archive)
    {
        auto outbox = sync::store::readExportOutbox(archive, "handover passphrase", clock);
        if (!outbox) {
            return Unexpected(outbox.error());
        }
        std::vector<sync::protocol::RecordEnvelope> records;
        for (const auto& item : outbox->unsent) {
            records.push_back({item.idemKey, item.kind, item.recordId, item.payload, item.payloadSha256,
                               base::Timestamp::parse(item.createdAt).value()});
        }
        return gateway->importRecords(outbox->signerPublicKeyHex, records, outbox->createdAt, std::chrono::seconds(5));
    }
};

TEST_F(GatewayLostTabletTest, DevicesListShowsWhenATabletWasLastSeenAndWhatItStillHolds)
{
    auto enrolled = enrollTablet(*store, newCode(), false); // its patients not assigned yet
    ASSERT_TRUE(enrolled);
    auto seen = gateway->storage().devices().value().at(0);
    EXPECT_FALSE(seen.lastSeenAt) << "enrolled, never synced";
    syncNow(*store);
    visitWithoutSync();
    // The visit is refused (patient not assigned) and stays on the tablet as a dead letter.
    const auto report = syncNow(*store);
    EXPECT_EQ(report.deadLettered, 1);
    seen = gateway->storage().devices().value().at(0);
    ASSERT_TRUE(seen.lastSeenAt && seen.backlog && seen.backlogSince);
    EXPECT_EQ(*seen.backlog, 1);
    EXPECT_LE(seen.backlogSince->utc(), clock.nowJst().utc());

    // Once assigned and retried, nothing is held any more.
    const auto ids = sync::store::PatientRoster::list(store->db()).value();
    std::vector<std::string> patientIds;
    for (const auto& p : ids) {
        patientIds.push_back(p.id);
    }
    ASSERT_TRUE(gateway->storage().changeAssignments(enrolled->deviceId, patientIds, true, gatewayClock.nowJst()));
    const auto dead = sync::client::SyncEngine::status(*store).value().deadLetters;
    ASSERT_EQ(dead.size(), 1u);
    ASSERT_TRUE(sync::client::SyncEngine::retryDeadLetter(*store, dead[0].seq, "nurse"));
    EXPECT_EQ(syncNow(*store).stored, 1);
    seen = gateway->storage().devices().value().at(0);
    EXPECT_EQ(seen.backlog.value_or(-1), 0);
}

TEST_F(GatewayLostTabletTest, ARevokedTabletsUnsentVisitsComeInFromItsExportEachVerified)
{
    auto enrolled = enrollTablet(*store, newCode());
    ASSERT_TRUE(enrolled);
    syncNow(*store); // challenges
    visitWithoutSync();
    // The tablet is reported lost and revoked: it can upload nothing any more.
    ASSERT_TRUE(gateway->storage().revokeDevice(enrolled->deviceId, gatewayClock.nowJst()).value());
    sync::client::SyncEngine engine(*store, random);
    EXPECT_FALSE(engine.run()) << "refused: revoked";
    EXPECT_EQ(gatewayRecords(), 0);

    // It is found; support exports its store to the handover passphrase; the operator imports it.
    const std::string archive = exportTablet();
    auto imported = importExport(archive);
    ASSERT_TRUE(imported) << imported.error().message;
    ASSERT_EQ(imported->results.size(), 1u);
    EXPECT_EQ(imported->results[0].status, sync::protocol::RecordStatus::Stored) << imported->results[0].reason;
    EXPECT_NE(std::find(imported->results[0].flags.begin(), imported->results[0].flags.end(), "operator_import"),
              imported->results[0].flags.end());
    EXPECT_EQ(gatewayRecords(), 1);
    auto again = importExport(archive);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->results.at(0).status, sync::protocol::RecordStatus::Duplicate) << "imported once";
    EXPECT_EQ(gatewayRecords(), 1);
}

TEST_F(GatewayLostTabletTest, AnArchiveSignedByATabletOfAnotherGatewayOrAlteredIsRefused)
{
    // Never enrolled here: its signing key is unknown to this gateway.
    visitWithoutSync();
    const std::string archive = exportTablet();
    auto refused = importExport(archive);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, sync::Errc::Unauthorized);

    // One byte of the database changed: the signed digest no longer matches.
    auto bytes = base::readSmallFile(archive, 64 << 20).value();
    bytes[bytes.size() - 100] ^= 0x01;
    ASSERT_TRUE(base::writeFileAtomically(archive, bytes, 0600));
    auto altered = sync::store::readExportOutbox(archive, "handover passphrase", clock);
    ASSERT_FALSE(altered);
    EXPECT_EQ(altered.error().code, sync::Errc::SignatureInvalid);
    EXPECT_EQ(gatewayRecords(), 0);
}

} // namespace
} // namespace zaitaku::testing
