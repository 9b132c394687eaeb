// A first visit recorded offline whose OQS answer later says "not confirmed" puts a task on the
// route: collect a 申立書 or お知らせ at the next visit. Fallback evidence or a confirming answer
// clears it.

#include "sync/store/FollowUpTasks.h"

#include "support/StoreFixture.h"
#include "sync/sql/Transaction.h"
#include "sync/store/SnapshotCache.h"

namespace zaitaku::testing
{
namespace
{

using namespace sync::store;
namespace sql = sync::sql;

class FollowUpTasksTest : public StoreTest
{
protected:
    void SetUp() override
    {
        StoreTest::SetUp();
        importPatient("p-001");
    }
    // A first visit's answer comes from the card query; a revisit's from the re-query.
    void answer(model::QualificationValidity validity,
                const std::string& id,
                model::SnapshotSource source = model::SnapshotSource::CardPin,
                const std::string& insurer = "")
    {
        auto s = confirmedSnapshot(id, "p-001");
        s.qualificationValidity = validity;
        s.source = source;
        if (!insurer.empty()) {
            s.insurerNumber = insurer;
        }
        auto tx = sql::Transaction::begin(store->db(), sql::Durability::Normal);
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
    next.visit.evidenceIds.clear();
    next.visit.consentIds.clear();
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

// Issue 28 (seed 004 再照会): a revisit recorded with no signal shows as pending on the route until
// the re-query's answer arrives; an answer that does not confirm, or that names another insurer,
// raises its own task.
TEST_F(FollowUpTasksTest, APendingRevisitWaitsForItsReQueryAndTheAnswerIsChecked)
{
    ASSERT_TRUE(VisitLedger::commit(*store, makeVisit("v-1", "p-001", clock.nowJst()), "nurse-7"));
    clock.advance(std::chrono::hours(1));
    answer(model::QualificationValidity::Valid, "s-1", model::SnapshotSource::CardPin, "06131234");
    clock.advance(std::chrono::hours(24 * 14));
    auto revisit = makeVisit("v-2", "p-001", clock.nowJst());
    revisit.visit.flow = model::VisitFlow::Revisit;
    revisit.visit.requery = model::RequeryState::Pending;
    revisit.consents.clear();
    revisit.visit.consentIds.clear();
    ASSERT_TRUE(VisitLedger::commit(*store, revisit, "nurse-7"));
    auto raised = tasks();
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0].code, "requery_pending");
    EXPECT_EQ(raised[0].visitId, "v-2");

    clock.advance(std::chrono::hours(2));
    answer(model::QualificationValidity::Valid, "s-2", model::SnapshotSource::RequerySingle, "06131234");
    EXPECT_TRUE(tasks().empty()) << "answered, same insurer and ratio";

    clock.advance(std::chrono::hours(24 * 14));
    answer(model::QualificationValidity::Valid, "s-3", model::SnapshotSource::RequeryBulk, "39131015");
    raised = tasks();
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0].code, "requery_changed");
    EXPECT_NE(raised[0].detail.find("06131234 → 39131015"), std::string::npos) << raised[0].detail;

    clock.advance(std::chrono::hours(24 * 14));
    answer(model::QualificationValidity::Invalid, "s-4", model::SnapshotSource::RequerySingle, "39131015");
    raised = tasks();
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0].code, "requery_not_confirmed");
}

// Issue 28, item 3 (seed 003 「別人との紐付け誤り」; a facility holds many residents' cards, seed 004):
// an answer with another 生年月日 never becomes the patient's result nor their re-query key, and the
// route says so with both dates; a カナ氏名 that differs is a warning with both spellings.
TEST_F(FollowUpTasksTest, AnAnswerForAnotherPersonIsNotFiledUnderThePatient)
{
    auto ours = confirmedSnapshot("s-ours", "p-001");
    ours.source = model::SnapshotSource::CardPin;
    ours.birthdate = base::Date::parse("1948-04-02").value(); // the roster's
    ours.insurerNumber = "39131015";
    ours.nameKana = "ﾔﾏﾀﾞ ﾀﾛｳ";
    auto theirs = ours;
    theirs.id = "s-theirs";
    theirs.birthdate = base::Date::parse("1938-11-03").value(); // another resident's card
    theirs.insurerNumber = "39139999";
    {
        auto tx = sql::Transaction::begin(store->db(), sql::Durability::Normal);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(SnapshotCache::add(store->db(), ours, clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }
    EXPECT_TRUE(tasks().empty()) << "the same kana, written half-width, is the same name";
    clock.advance(std::chrono::hours(1));
    {
        auto tx = sql::Transaction::begin(store->db(), sql::Durability::Normal);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(SnapshotCache::add(store->db(), theirs, clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }
    auto latest = SnapshotCache::latestFor(store->db(), "p-001").value();
    ASSERT_TRUE(latest);
    EXPECT_EQ(latest->snapshot.id, "s-ours") << "another person's answer is not the patient's result";
    auto key = SnapshotCache::requeryKeyFor(store->db(), "p-001").value();
    ASSERT_TRUE(key);
    EXPECT_EQ(key->derivedFromSnapshotId, "s-ours");
    auto raised = tasks();
    ASSERT_EQ(raised.size(), 1u);
    EXPECT_EQ(raised[0].code, "identity_mismatch");
    EXPECT_NE(raised[0].detail.find("1938-11-03"), std::string::npos) << raised[0].detail;
    EXPECT_NE(raised[0].detail.find("1948-04-02"), std::string::npos) << raised[0].detail;

    clock.advance(std::chrono::hours(1));
    auto renamed = ours;
    renamed.id = "s-renamed";
    renamed.nameKana = "ﾔﾏﾀﾞ ｼﾞﾛｳ";
    {
        auto tx = sql::Transaction::begin(store->db(), sql::Durability::Normal);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(SnapshotCache::add(store->db(), renamed, clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }
    raised = tasks();
    ASSERT_EQ(raised.size(), 1u) << "the newer answer is theirs again: the mismatch is behind it";
    EXPECT_EQ(raised[0].code, "kana_differs");
    EXPECT_NE(raised[0].detail.find("ﾔﾏﾀﾞ ｼﾞﾛｳ"), std::string::npos) << raised[0].detail;
    EXPECT_NE(raised[0].detail.find("ヤマダ タロウ"), std::string::npos) << raised[0].detail;
}

} // namespace
} // namespace zaitaku::testing
