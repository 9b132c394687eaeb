// The outbox: idempotent enqueue, order, acknowledgement with receipt, backoff, dead letters.

#include "sync/store/Outbox.h"

#include "support/StoreFixture.h"
#include "sync/sql/Transaction.h"
#include "sync/store/SyncCursor.h"

namespace zaitaku::testing
{
namespace
{

using sync::Errc;
using namespace sync::store;
namespace sql = sync::sql;

class OutboxTest : public StoreTest
{
protected:
    void enqueue(const std::string& key, const std::string& payload)
    {
        auto tx = sql::Transaction::begin(store->db(), sql::Durability::Full);
        ASSERT_TRUE(tx);
        auto done = Outbox::enqueue(store->db(), key, "visit", key, payload, clock.nowJst());
        ASSERT_TRUE(done) << done.error().message;
        ASSERT_TRUE(tx->commit());
    }
    std::vector<OutboxItem> batch(std::size_t n = 10)
    {
        auto items = Outbox::nextBatch(store->db(), n, clock.nowJst());
        EXPECT_TRUE(items);
        return items.value_or(std::vector<OutboxItem>{});
    }
};

TEST_F(OutboxTest, SameKeySamePayloadIsANoOpAnotherPayloadAConflict)
{
    enqueue("v-1", R"({"a":1})");
    enqueue("v-1", R"({"a":1})");
    EXPECT_EQ(count("outbox"), 1);
    auto tx = sql::Transaction::begin(store->db(), sql::Durability::Full);
    ASSERT_TRUE(tx);
    auto conflict = Outbox::enqueue(store->db(), "v-1", "visit", "v-1", R"({"a":2})", clock.nowJst());
    ASSERT_FALSE(conflict);
    EXPECT_EQ(conflict.error().code, Errc::Conflict);
}

TEST_F(OutboxTest, BatchesComeOldestFirstAndAckStoresTheReceipt)
{
    for (int i = 0; i < 5; ++i) {
        enqueue("v-" + std::to_string(i), "{}");
    }
    auto first = batch(3);
    ASSERT_EQ(first.size(), 3u);
    EXPECT_EQ(first[0].idemKey, "v-0");
    EXPECT_EQ(first[2].idemKey, "v-2");
    EXPECT_EQ(first[0].payloadSha256, "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
    const std::vector<std::int64_t> seqs{first[0].seq, first[1].seq, first[2].seq};
    ASSERT_TRUE(Outbox::markSending(store->db(), seqs));
    auto tx = sql::Transaction::begin(store->db(), sql::Durability::Full);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(Outbox::acknowledge(store->db(), seqs, "receipt-77", clock.nowJst()));
    ASSERT_TRUE(tx->commit());
    auto rest = batch();
    ASSERT_EQ(rest.size(), 2u);
    EXPECT_EQ(rest[0].idemKey, "v-3");
    auto counts = Outbox::counts(store->db());
    ASSERT_TRUE(counts);
    EXPECT_EQ(counts->acked, 3);
    EXPECT_EQ(counts->queued, 2);
    EXPECT_EQ(store->db().queryText("SELECT receipt FROM outbox WHERE idem_key = 'v-0'").value_or(""), "receipt-77");
}

TEST_F(OutboxTest, RowsLeftSendingByACrashAreSentAgain)
{
    enqueue("v-1", "{}");
    auto items = batch();
    ASSERT_TRUE(Outbox::markSending(store->db(), std::vector<std::int64_t>{items[0].seq}));
    reopen();
    auto again = batch();
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].state, OutboxState::Sending);
    EXPECT_EQ(again[0].attempts, 1);
}

TEST_F(OutboxTest, TransientFailureWaitsForItsRetryTime)
{
    enqueue("v-1", "{}");
    const auto seq = batch()[0].seq;
    ASSERT_TRUE(
        Outbox::recordFailure(store->db(), seq, "gateway 503", false, clock.nowJst().plus(std::chrono::minutes(5))));
    EXPECT_TRUE(batch().empty());
    clock.advance(std::chrono::minutes(5));
    ASSERT_EQ(batch().size(), 1u);
    EXPECT_EQ(batch()[0].lastError, "gateway 503");
}

TEST_F(OutboxTest, PermanentFailureIsAVisibleDeadLetterUntilRequeued)
{
    enqueue("v-1", "{}");
    enqueue("v-2", "{}");
    const auto seq = batch()[0].seq;
    ASSERT_TRUE(Outbox::recordFailure(store->db(), seq, "422 consent.text_version unknown", true, std::nullopt));
    auto remaining = batch();
    ASSERT_EQ(remaining.size(), 1u);
    EXPECT_EQ(remaining[0].idemKey, "v-2"); // the queue goes on
    auto dead = Outbox::deadLetters(store->db(), 10);
    ASSERT_TRUE(dead);
    ASSERT_EQ(dead->size(), 1u);
    EXPECT_EQ((*dead)[0].lastError, "422 consent.text_version unknown");
    EXPECT_EQ(Outbox::counts(store->db())->dead, 1);
    EXPECT_TRUE(Outbox::requeue(store->db(), seq).value_or(false));
    EXPECT_FALSE(Outbox::requeue(store->db(), seq).value_or(true)); // no longer dead
    EXPECT_EQ(batch().size(), 2u);
}

TEST_F(OutboxTest, CursorAdvancesWithTheDataItDescribesOrNotAtAll)
{
    EXPECT_FALSE(SyncCursor::get(store->db(), "results").value());
    {
        auto tx = sql::Transaction::begin(store->db(), sql::Durability::Full);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(SyncCursor::set(store->db(), "results", "page-1", clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }
    {
        // A page whose data could not be stored leaves the cursor where it was.
        auto tx = sql::Transaction::begin(store->db(), sql::Durability::Full);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(SyncCursor::set(store->db(), "results", "page-2", clock.nowJst()));
    }
    reopen();
    EXPECT_EQ(SyncCursor::get(store->db(), "results").value().value_or(""), "page-1");
    EXPECT_FALSE(SyncCursor::get(store->db(), "requery").value());
}

} // namespace
} // namespace zaitaku::testing
