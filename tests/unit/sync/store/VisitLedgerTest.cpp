// A visit is one business event: visit, evidence, consents, fallback, challenge, outbox and audit
// commit together or not at all. Also the challenge pool and the custody ledger.

#include "support/StoreFixture.h"
#include "sync/sql/Transaction.h"
#include "sync/store/ChallengePool.h"
#include "sync/store/CustodyLedger.h"
#include "sync/store/Outbox.h"

#include <nlohmann/json.hpp>

namespace zaitaku::testing
{
namespace
{

using sync::Errc;
using namespace sync::store;
namespace sql = sync::sql;

class VisitLedgerTest : public StoreTest
{
protected:
    void SetUp() override
    {
        StoreTest::SetUp();
        importPatient("p-001");
    }
    PooledChallenge challenge(const std::string& id, std::chrono::hours ttl = std::chrono::hours(12))
    {
        return PooledChallenge{id, {1, 2, 3, 4}, "signed-token-" + id, clock.nowJst(), clock.nowJst().plus(ttl)};
    }
    void addChallenges(const std::vector<PooledChallenge>& batch)
    {
        auto tx = sql::Transaction::begin(store->db(), sql::Durability::Normal);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(ChallengePool::add(store->db(), batch, clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }
};

TEST_F(VisitLedgerTest, CommitWritesEverythingAndQueuesIt)
{
    const auto record = makeVisit("v-1", "p-001", clock.nowJst());
    ASSERT_TRUE(VisitLedger::commit(*store, record, "nurse-7"));
    auto stored = VisitLedger::find(store->db(), "v-1");
    ASSERT_TRUE(stored && *stored);
    EXPECT_TRUE((*stored)->queued);
    ASSERT_EQ((*stored)->evidenceSha256.size(), 1u);
    EXPECT_EQ(count("consent"), 1);
    auto items = Outbox::nextBatch(store->db(), 10, clock.nowJst());
    ASSERT_TRUE(items);
    ASSERT_EQ(items->size(), 1u);
    const auto payload = nlohmann::json::parse((*items)[0].payload);
    EXPECT_EQ(payload["visit"]["id"], "v-1");
    EXPECT_EQ(payload["evidence"][0]["bundle"]["method"], "pin_signature");
    EXPECT_EQ(payload["evidence"][0]["bundle_sha256"].get<std::string>().size(), 64u);
    EXPECT_EQ(payload["consents"][0]["text_sha256"], std::string(64, 'a'));
    // The evidence hash in the store is the hash of the canonical bundle that travels.
    EXPECT_EQ(store->db().queryText("SELECT bundle_sha256 FROM evidence").value_or(""), (*stored)->evidenceSha256[0]);
    EXPECT_EQ(store->db().queryText("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1").value_or(""),
              "visit.commit");
}

TEST_F(VisitLedgerTest, TheLastVisitBeforeADayIsTheNewestCommittedOne)
{
    // Issue 33: お薬・健診 says whether a dose changed since the patient's last visit.
    const auto today = clock.nowJst().localDate();
    EXPECT_FALSE(VisitLedger::lastVisitBefore(store->db(), "p-001", today.addDays(1)).value());
    ASSERT_TRUE(VisitLedger::commit(*store, makeVisit("v-1", "p-001", clock.nowJst()), "nurse-7"));
    EXPECT_FALSE(VisitLedger::lastVisitBefore(store->db(), "p-001", today).value()) << "not today's own";
    EXPECT_EQ(VisitLedger::lastVisitBefore(store->db(), "p-001", today.addDays(7)).value(), today);
    EXPECT_FALSE(VisitLedger::lastVisitBefore(store->db(), "p-002", today.addDays(7)).value());
}

TEST_F(VisitLedgerTest, AFailedPartLeavesNothingBehind)
{
    ASSERT_TRUE(VisitLedger::commit(*store, makeVisit("v-1", "p-001", clock.nowJst()), "nurse-7"));
    const auto audit = count("audit_log");
    // Same evidence id again under a new visit: the evidence insert fails after the visit insert.
    auto record = makeVisit("v-2", "p-001", clock.nowJst());
    record.evidence[0].id = "v-1-e1";
    record.visit.evidenceIds = {"v-1-e1"};
    auto failed = VisitLedger::commit(*store, record, "nurse-7");
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, Errc::StoreConstraint);
    EXPECT_EQ(count("visit"), 1);
    EXPECT_EQ(count("outbox"), 1);
    EXPECT_EQ(count("audit_log"), audit);
}

TEST_F(VisitLedgerTest, UnknownPatientIsRefused)
{
    auto failed = VisitLedger::commit(*store, makeVisit("v-1", "p-nobody", clock.nowJst()), "nurse-7");
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, Errc::StoreConstraint);
    EXPECT_EQ(count("visit"), 0);
}

TEST_F(VisitLedgerTest, ConsentNeedsItsTextVersionAndHash)
{
    auto record = makeVisit("v-1", "p-001", clock.nowJst());
    record.consents[0].textSha256 = "short";
    auto failed = VisitLedger::commit(*store, record, "nurse-7");
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, Errc::InvalidInput);
    EXPECT_EQ(count("visit"), 0);
}

TEST_F(VisitLedgerTest, EvidenceIsImmutableAndConsentOnlyRevocable)
{
    ASSERT_TRUE(VisitLedger::commit(*store, makeVisit("v-1", "p-001", clock.nowJst()), "nurse-7"));
    EXPECT_FALSE(store->db().exec("UPDATE evidence SET method = 'visual'", "test"));
    EXPECT_FALSE(store->db().exec("UPDATE consent SET given = 0", "test"));
    EXPECT_TRUE(store->db().exec("UPDATE consent SET revoked_at = '2026-11-22T00:00:00+00:00'", "test"));
    EXPECT_FALSE(store->db().exec("UPDATE consent SET revoked_at = '2026-11-23T00:00:00+00:00'", "test"));
}

TEST_F(VisitLedgerTest, PooledChallengeIsUsedOnce)
{
    addChallenges({challenge("ch-1"), challenge("ch-2")});
    EXPECT_EQ(ChallengePool::available(store->db(), clock.nowJst()).value_or(0), 2);
    auto record = makeVisit("v-1", "p-001", clock.nowJst());
    record.pooledChallengeId = "ch-1";
    ASSERT_TRUE(VisitLedger::commit(*store, record, "nurse-7"));
    EXPECT_EQ(ChallengePool::available(store->db(), clock.nowJst()).value_or(0), 1);

    auto reuse = makeVisit("v-2", "p-001", clock.nowJst());
    reuse.pooledChallengeId = "ch-1";
    auto refused = VisitLedger::commit(*store, reuse, "nurse-7");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::Conflict);
    EXPECT_EQ(count("visit"), 1);
    EXPECT_FALSE(store->db().exec("UPDATE challenge SET used_at = NULL WHERE id = 'ch-1'", "test"));
}

TEST_F(VisitLedgerTest, ExpiredChallengesAreNeitherOfferedNorAccepted)
{
    addChallenges({challenge("ch-short", std::chrono::hours(1)), challenge("ch-long", std::chrono::hours(24))});
    auto first = ChallengePool::peek(store->db(), clock.nowJst());
    ASSERT_TRUE(first && *first);
    EXPECT_EQ((*first)->id, "ch-short"); // soonest expiry first
    clock.advance(std::chrono::hours(2));
    auto next = ChallengePool::peek(store->db(), clock.nowJst());
    ASSERT_TRUE(next && *next);
    EXPECT_EQ((*next)->id, "ch-long");
    auto record = makeVisit("v-1", "p-001", clock.nowJst());
    record.pooledChallengeId = "ch-short";
    ASSERT_FALSE(VisitLedger::commit(*store, record, "nurse-7"));
    clock.advance(std::chrono::hours(23));
    auto none = ChallengePool::peek(store->db(), clock.nowJst());
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none); // the engine then signs a local challenge
}

model::CustodyEvent custody(const std::string& id, model::CustodyAction action, const base::Timestamp& at)
{
    model::CustodyEvent e;
    e.id = id;
    e.patientId = "p-001";
    e.facilityId = "facility-1";
    e.action = action;
    e.staffId = "staff-3";
    e.witnessId = "staff-4";
    e.purpose = action == model::CustodyAction::Checkout ? "通院付き添い" : "";
    e.at = at;
    e.storageLocation = "金庫A";
    e.agreementRef = action == model::CustodyAction::Deposit ? "預かり証 2026-001" : "";
    return e;
}

TEST_F(VisitLedgerTest, CustodyLedgerFollowsTheCardAndFlagsOverdueCheckouts)
{
    using model::CustodyAction;
    ASSERT_TRUE(CustodyLedger::record(*store, custody("c-1", CustodyAction::Deposit, clock.nowJst()), "staff-3"));
    auto wrong = CustodyLedger::record(*store, custody("c-2", CustodyAction::Return, clock.nowJst()), "staff-3");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, Errc::Conflict);
    auto noPurpose = custody("c-3", CustodyAction::Checkout, clock.nowJst());
    noPurpose.purpose.clear();
    EXPECT_EQ(CustodyLedger::record(*store, noPurpose, "staff-3").error().field, "purpose");
    clock.advance(std::chrono::minutes(1));
    ASSERT_TRUE(CustodyLedger::record(*store, custody("c-4", CustodyAction::Checkout, clock.nowJst()), "staff-3"));

    clock.advance(std::chrono::hours(5));
    auto status = CustodyLedger::current(store->db(), clock.nowJst(), std::chrono::hours(4));
    ASSERT_TRUE(status);
    ASSERT_EQ(status->size(), 1u);
    EXPECT_EQ((*status)[0].last.action, CustodyAction::Checkout);
    EXPECT_TRUE((*status)[0].overdue);
    EXPECT_EQ((*status)[0].last.purpose, "通院付き添い");

    ASSERT_TRUE(CustodyLedger::record(*store, custody("c-5", CustodyAction::Return, clock.nowJst()), "staff-3"));
    status = CustodyLedger::current(store->db(), clock.nowJst(), std::chrono::hours(4));
    ASSERT_TRUE(status);
    EXPECT_FALSE((*status)[0].overdue);
    EXPECT_EQ(count("custody_event"), 3);
    EXPECT_EQ(Outbox::counts(store->db())->queued, 3);
    EXPECT_FALSE(store->db().exec("DELETE FROM custody_event", "test"));
}

} // namespace
} // namespace zaitaku::testing
