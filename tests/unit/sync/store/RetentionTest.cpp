// Retention: medical information at its AvailableTime, fallback evidence after discard_after once
// acknowledged, acknowledged payloads after their age; a dry run counts exactly what a purge does;
// every purge leaves an audit row and never touches unsynced data.

#include "sync/store/Retention.h"

#include "support/StoreFixture.h"
#include "sync/sql/Transaction.h"
#include "sync/store/MedicalInfoCache.h"
#include "sync/store/Outbox.h"

#include <nlohmann/json.hpp>

namespace zaitaku::testing
{
namespace
{

using namespace sync::store;
namespace sql = sync::sql;

class RetentionTest : public StoreTest
{
protected:
    void SetUp() override
    {
        StoreTest::SetUp();
        importPatient("p-001");
    }
    void putMedicalInfo(const std::string& id, std::chrono::hours ttl)
    {
        auto tx = sql::Transaction::begin(store->db(), sql::Durability::Normal);
        ASSERT_TRUE(tx);
        MedicalInfo info{
            id, "p-001", model::ConsentKind::Pharmacy, {'<', 'x', '/', '>'}, clock.nowJst(), clock.nowJst().plus(ttl)};
        ASSERT_TRUE(MedicalInfoCache::put(store->db(), info, clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }
    void commitFallbackVisit(const std::string& visitId, const std::string& discardAfter)
    {
        auto record = makeVisit(visitId, "p-001", clock.nowJst());
        model::FallbackEvidence f;
        f.id = visitId + "-f1";
        f.visitId = visitId;
        f.kind = model::FallbackKind::Moushitatesho;
        f.capturedFieldsJson = R"({"insurance":"国保","copay":"30"})";
        f.staffId = "nurse-7";
        f.capturedAt = clock.nowJst();
        f.discardAfter = base::Date::parse(discardAfter).value();
        record.fallbacks.push_back(f);
        ASSERT_TRUE(VisitLedger::commit(*store, record, "nurse-7"));
    }
    void ack(const std::string& key)
    {
        auto seq = store->db().queryInt("SELECT seq FROM outbox WHERE idem_key = '" + key + "'");
        ASSERT_TRUE(seq);
        auto tx = sql::Transaction::begin(store->db(), sql::Durability::Full);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(Outbox::acknowledge(store->db(), std::vector<std::int64_t>{*seq}, "r", clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }
    PurgeCounts purge(const RetentionPolicy& policy = {})
    {
        auto planned = Retention::plan(store->db(), clock.nowJst(), policy);
        auto done = Retention::purge(*store, policy, "system");
        EXPECT_TRUE(planned && done);
        if (planned && done) {
            EXPECT_EQ(planned->medicalInfo, done->medicalInfo);
            EXPECT_EQ(planned->fallbackEvidence, done->fallbackEvidence);
        }
        return done.value_or(PurgeCounts{});
    }
};

TEST_F(RetentionTest, MedicalInformationGoesAtItsAvailableTimeNotBefore)
{
    putMedicalInfo("m-1", std::chrono::hours(24));
    putMedicalInfo("m-2", std::chrono::hours(48));
    EXPECT_EQ(MedicalInfoCache::availableFor(store->db(), "p-001", clock.nowJst())->size(), 2u);
    clock.advance(std::chrono::hours(23));
    EXPECT_EQ(purge().medicalInfo, 0);
    clock.advance(std::chrono::hours(1));
    EXPECT_EQ(MedicalInfoCache::availableFor(store->db(), "p-001", clock.nowJst())->size(), 1u); // never shown late
    EXPECT_EQ(purge().medicalInfo, 1);
    EXPECT_EQ(count("medical_info"), 1);
    const auto audit = nlohmann::json::parse(
        store->db().queryText("SELECT detail FROM audit_log WHERE action = 'retention.purge'").value_or("{}"));
    EXPECT_EQ(audit["count"], 1);
    EXPECT_EQ(audit["reason"], "past its AvailableTime");
    EXPECT_EQ(store->db().queryText("SELECT subject FROM audit_log WHERE action = 'retention.purge'").value_or(""),
              "medical_info");
}

TEST_F(RetentionTest, ExpiredInformationIsRefusedAtTheDoor)
{
    auto tx = sql::Transaction::begin(store->db(), sql::Durability::Normal);
    ASSERT_TRUE(tx);
    MedicalInfo info{"m-old", "p-001", model::ConsentKind::Checkup, {1}, clock.nowJst(), clock.nowJst()};
    EXPECT_FALSE(MedicalInfoCache::put(store->db(), info, clock.nowJst()));
}

TEST_F(RetentionTest, FallbackEvidenceIsKeptUntilSyncedAndPastItsDate)
{
    commitFallbackVisit("v-1", "2026-11-30");
    clock.set(base::Timestamp::parse("2026-12-01T09:00:00+09:00")->utc());
    EXPECT_EQ(purge().fallbackEvidence, 0); // past its date but not acknowledged: kept
    EXPECT_FALSE(store->db().queryText("SELECT captured_fields_json FROM fallback_evidence").value_or("").empty());
    ack("v-1");
    const auto counts = purge();
    EXPECT_EQ(counts.fallbackEvidence, 1);
    EXPECT_EQ(counts.outboxPayloads, 1); // the acknowledged payload carried the same fields
    EXPECT_EQ(store->db()
                  .queryInt("SELECT count(*) FROM fallback_evidence WHERE captured_fields_json IS NULL "
                            "AND discarded_at IS NOT NULL")
                  .value_or(0),
              1);
    EXPECT_EQ(store->db().queryInt("SELECT count(*) FROM outbox WHERE payload IS NULL").value_or(0), 1);
    EXPECT_EQ(count("visit"), 1);  // the visit and its evidence remain
    EXPECT_EQ(purge().total(), 0); // idempotent
}

TEST_F(RetentionTest, FallbackEvidenceIsKeptOnItsDiscardDate)
{
    commitFallbackVisit("v-1", "2026-11-30");
    ack("v-1");
    clock.set(base::Timestamp::parse("2026-11-30T23:59:00+09:00")->utc());
    EXPECT_EQ(purge().fallbackEvidence, 0);
}

TEST_F(RetentionTest, AcknowledgedPayloadsGoAfterTheirAgeUnsentOnesNever)
{
    ASSERT_TRUE(VisitLedger::commit(*store, makeVisit("v-1", "p-001", clock.nowJst()), "nurse-7"));
    ASSERT_TRUE(VisitLedger::commit(*store, makeVisit("v-2", "p-001", clock.nowJst()), "nurse-7"));
    ack("v-1");
    RetentionPolicy policy;
    policy.ackedPayloadAge = std::chrono::days(7);
    clock.advance(std::chrono::days(6));
    EXPECT_EQ(purge(policy).outboxPayloads, 0);
    clock.advance(std::chrono::days(400));
    EXPECT_EQ(purge(policy).outboxPayloads, 1);
    EXPECT_EQ(store->db().queryText("SELECT payload FROM outbox WHERE idem_key = 'v-2'").value_or("").empty(), false);
    EXPECT_FALSE(
        store->db().queryText("SELECT payload_sha256 FROM outbox WHERE idem_key = 'v-1'").value_or("").empty());
}

} // namespace
} // namespace zaitaku::testing
