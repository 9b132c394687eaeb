// A first visit recorded offline whose OQS answer later says "not confirmed" puts a task on the
// route: collect a 申立書 or お知らせ at the next visit. Fallback evidence or a confirming answer
// clears it.

#include "sync/store/FollowUpTasks.h"

#include "support/StoreFixture.h"
#include "sync/store/SnapshotCache.h"
#include "sync/store/Transaction.h"

namespace zaitaku::testing
{
namespace
{

using namespace sync::store;

class FollowUpTasksTest : public StoreTest
{
protected:
    void SetUp() override
    {
        StoreTest::SetUp();
        importPatient("p-001");
    }
    void answer(model::QualificationValidity validity, const std::string& id)
    {
        auto s = confirmedSnapshot(id, "p-001");
        s.qualificationValidity = validity;
        auto tx = Transaction::begin(store->db(), Durability::Normal);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(SnapshotCache::add(store->db(), s, clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }
    std::vector<FollowUpTask> tasks()
    {
        auto latest = SnapshotCache::latestFor(store->db(), "p-001");
        EXPECT_TRUE(latest);
        auto found = FollowUpTasks::forPatient(store->db(), "p-001", latest ? *latest : std::nullopt);
        EXPECT_TRUE(found);
        return found.value_or(std::vector<FollowUpTask>{});
    }
};

TEST_F(FollowUpTasksTest, AnOfflineFirstVisitThatOqsDidNotConfirmRaisesATask)
{
    ASSERT_TRUE(VisitLedger::commit(*store, makeVisit("v-1", "p-001", clock.nowJst()), "nurse-7"));
    EXPECT_TRUE(tasks().empty()) << "no answer yet: nothing to collect";
    clock.advance(std::chrono::hours(3));
    answer(model::QualificationValidity::NoQualification, "s-1");
    const auto raised = tasks();
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0].code, "collect_qualification_documents");
    EXPECT_EQ(raised[0].visitId, "v-1");

    // The next visit collects a 申立書: the task is done.
    clock.advance(std::chrono::hours(24 * 7));
    auto next = makeVisit("v-2", "p-001", clock.nowJst());
    next.visit.flow = model::VisitFlow::Fallback;
    next.evidence.clear();
    next.consents.clear();
    model::FallbackEvidence f;
    f.id = "f-1";
    f.visitId = "v-2";
    f.kind = model::FallbackKind::Moushitatesho;
    f.capturedFieldsJson = "{}";
    f.staffId = "nurse-7";
    f.capturedAt = clock.nowJst();
    next.fallbacks.push_back(f);
    ASSERT_TRUE(VisitLedger::commit(*store, next, "nurse-7"));
    EXPECT_TRUE(tasks().empty());
}

TEST_F(FollowUpTasksTest, AConfirmingAnswerRaisesNothing)
{
    ASSERT_TRUE(VisitLedger::commit(*store, makeVisit("v-1", "p-001", clock.nowJst()), "nurse-7"));
    clock.advance(std::chrono::hours(3));
    answer(model::QualificationValidity::Valid, "s-1");
    EXPECT_TRUE(tasks().empty());
    clock.advance(std::chrono::hours(3));
    answer(model::QualificationValidity::Invalid, "s-2");
    EXPECT_EQ(tasks().size(), 1u) << "a later 資格（無効） answer for the same visit";
    clock.advance(std::chrono::hours(3));
    answer(model::QualificationValidity::Valid, "s-3");
    EXPECT_TRUE(tasks().empty()) << "confirmed again";
}

} // namespace
} // namespace zaitaku::testing
