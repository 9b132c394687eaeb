// The records a tablet sends, as documented and as checked (issue 34): the JSON Schemas in
// docs/schemas are the code's own (written from the same field lists), and the tablet refuses to
// queue a visit the gateway would refuse.

#include "base/AtomicFile.h"
#include "support/StoreFixture.h"
#include "sync/protocol/ModelJson.h"
#include "sync/protocol/RecordBasis.h"
#include "sync/store/Outbox.h"

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace zaitaku::testing
{
namespace
{

using namespace sync::store;
namespace protocol = sync::protocol;

TEST(RecordSchemaTest, TheDocumentedSchemasAreTheOnesTheCodeChecks)
{
    // ZAITAKU_UPDATE_SCHEMAS=1 writes them after a deliberate change (a new payload_version).
    const bool update = std::getenv("ZAITAKU_UPDATE_SCHEMAS") != nullptr;
    for (const char* kind : {"visit", "consent_revocation", "custody"}) {
        const std::string path = std::string(ZAITAKU_SOURCE_DIR) + "/docs/schemas/" + kind + ".schema.json";
        const auto schema = protocol::recordPayloadSchema(kind);
        ASSERT_TRUE(schema.is_object()) << kind;
        if (update) {
            ASSERT_TRUE(base::writeFileAtomically(path, schema.dump(2) + "\n", 0644));
        }
        auto text = base::readSmallFile(path, 1024 * 1024);
        ASSERT_TRUE(text) << path << " is missing: run this test with ZAITAKU_UPDATE_SCHEMAS=1";
        EXPECT_EQ(nlohmann::json::parse(*text), schema)
            << path << " differs from what the gateway checks: run this test with ZAITAKU_UPDATE_SCHEMAS=1";
    }
    EXPECT_TRUE(protocol::recordPayloadSchema("visit")["required"] ==
                nlohmann::json({"visit", "evidence", "consents", "fallbacks"}));
    EXPECT_TRUE(protocol::recordPayloadSchema("nothing").is_null());
}

class TabletRecordBasisTest : public StoreTest
{
protected:
    void SetUp() override
    {
        StoreTest::SetUp();
        importPatient("p-001");
    }
    void expectRefused(const model::VisitRecord& record, const std::string& field)
    {
        auto refused = VisitLedger::commit(*store, record, "nurse-7");
        ASSERT_FALSE(refused) << field;
        EXPECT_EQ(refused.error().field, field) << refused.error().message;
        EXPECT_EQ(count("outbox"), 0) << "nothing queued";
        EXPECT_EQ(count("visit"), 0);
    }
};

TEST_F(TabletRecordBasisTest, TheTabletNeverQueuesAVisitTheGatewayWouldRefuse)
{
    auto record = makeVisit("v-1", "p-001", clock.nowJst());
    auto noEvidence = record;
    noEvidence.evidence.clear();
    noEvidence.visit.evidenceIds.clear();
    expectRefused(noEvidence, "evidence");
    auto fallbackWithout = record;
    fallbackWithout.visit.flow = model::VisitFlow::Fallback;
    expectRefused(fallbackWithout, "fallbacks");
    auto noTablet = record;
    noTablet.visit.deviceId.clear();
    expectRefused(noTablet, "visit.device_id");
    auto unlisted = record;
    unlisted.visit.evidenceIds = {"e-other"};
    expectRefused(unlisted, "visit.evidence_ids");
    auto visualWithoutDecision = record;
    visualWithoutDecision.evidence[0].method = model::EvidenceMethod::Visual;
    expectRefused(visualWithoutDecision, "evidence[0].bundle.visual");
    auto faceBelow = record;
    faceBelow.evidence[0].method = model::EvidenceMethod::FaceMatch;
    faceBelow.evidence[0].face = model::FaceMatchResult{0.2, 0.4, "sface"};
    expectRefused(faceBelow, "evidence[0].bundle.face.score");
    auto pending = record;
    pending.visit.flow = model::VisitFlow::Revisit;
    pending.visit.requery = model::RequeryState::Answered;
    pending.visit.snapshotId.clear();
    expectRefused(pending, "visit.snapshot_id");

    ASSERT_TRUE(VisitLedger::commit(*store, record, "nurse-7"));
    auto items = Outbox::nextBatch(store->db(), 10, clock.nowJst()).value();
    ASSERT_EQ(items.size(), 1u);
    EXPECT_EQ(nlohmann::json::parse(items[0].payload)["payload_version"], protocol::kRecordPayloadVersion);
}

} // namespace
} // namespace zaitaku::testing
