// The audit chain: every business event appends a row; verify() finds edited, deleted, reordered
// and truncated rows.

#include "sync/sql/AuditLog.h"

#include "support/StoreFixture.h"
#include "sync/sql/Transaction.h"

namespace zaitaku::testing
{
namespace
{

using namespace sync::store;
namespace sql = sync::sql;

class AuditLogTest : public StoreTest
{
protected:
    void SetUp() override
    {
        StoreTest::SetUp();
        for (int i = 0; i < 5; ++i) {
            auto tx = sql::Transaction::begin(store->db(), sql::Durability::Full);
            ASSERT_TRUE(tx);
            ASSERT_TRUE(sql::AuditLog::append(
                store->db(),
                sql::AuditEntry{"nurse-7", "test.event", "r-" + std::to_string(i), {{"n", i}, {"名前", "ヤマダ"}}},
                clock.nowJst()));
            ASSERT_TRUE(tx->commit());
            clock.advance(std::chrono::seconds(1));
        }
        // Tampering means going around the append-only triggers, as an attacker with the key would.
        ASSERT_TRUE(store->db().exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete", "test"));
    }

    sql::AuditVerification verify()
    {
        auto v = sql::AuditLog::verify(store->db());
        EXPECT_TRUE(v);
        return v.value_or(sql::AuditVerification{});
    }
};

TEST_F(AuditLogTest, IntactChainVerifies)
{
    const auto v = verify();
    EXPECT_TRUE(v.ok());
    EXPECT_EQ(v.rows, 6); // store.init + 5
    EXPECT_EQ(v.headHash.size(), 64u);
}

TEST_F(StoreTest, AuditLogIsAppendOnly)
{
    auto edited = store->db().exec("UPDATE audit_log SET actor = 'x' WHERE seq = 1", "test");
    ASSERT_FALSE(edited);
    EXPECT_EQ(edited.error().code, sync::Errc::StoreConstraint);
    EXPECT_FALSE(store->db().exec("DELETE FROM audit_log WHERE seq = 1", "test"));
}

TEST_F(AuditLogTest, EditedRowIsFound)
{
    ASSERT_TRUE(store->db().exec("UPDATE audit_log SET detail = '{\"n\":99}' WHERE seq = 3", "test"));
    const auto v = verify();
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.problems[0].seq, 3);
    EXPECT_NE(v.problems[0].what.find("edited"), std::string::npos);
}

TEST_F(AuditLogTest, DeletedRowIsFound)
{
    ASSERT_TRUE(store->db().exec("DELETE FROM audit_log WHERE seq = 4", "test"));
    const auto v = verify();
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.problems[0].seq, 5);
}

TEST_F(AuditLogTest, ReorderedRowsAreFound)
{
    // Swap the content of rows 2 and 3 (keeping their seq): both hashes break.
    ASSERT_TRUE(
        store->db().exec("UPDATE audit_log SET seq = -2 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3;"
                         "UPDATE audit_log SET seq = 3 WHERE seq = -2;",
                         "test"));
    const auto v = verify();
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.problems[0].seq, 2);
}

TEST_F(AuditLogTest, TruncatedTailIsFoundThroughTheHead)
{
    ASSERT_TRUE(store->db().exec("DELETE FROM audit_log WHERE seq = 6", "test"));
    const auto v = verify();
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.problems.back().what.find("head"), std::string::npos);
}

TEST_F(AuditLogTest, RewrittenHashIsStillFoundByTheNextRow)
{
    // Editing a row and recomputing its own hash breaks the link to the next row.
    ASSERT_TRUE(store->db().exec("UPDATE audit_log SET hash = '" + std::string(64, 'f') + "' WHERE seq = 2", "test"));
    const auto v = verify();
    ASSERT_FALSE(v.ok());
    EXPECT_EQ(v.problems[0].seq, 2);
    EXPECT_EQ(v.problems[1].seq, 3);
}

} // namespace
} // namespace zaitaku::testing
