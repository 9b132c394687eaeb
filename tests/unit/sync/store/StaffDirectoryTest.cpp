// Security review H3: each person signs in as themselves, offline, against the accounts the
// gateway sent; repeated failures back off; only a manager names the card custodians.

#include "sync/store/StaffDirectory.h"

#include "support/StoreFixture.h"
#include "sync/sql/AuditLog.h"
#include "sync/store/CustodyLedger.h"

namespace zaitaku::testing
{
namespace
{

using namespace sync::store;
namespace protocol = sync::protocol;
namespace sql = sync::sql;

class StaffDirectoryTest : public StoreTest
{
protected:
    protocol::StaffAccount
    account(const std::string& id, const std::string& role, const std::string& secret, std::int64_t version = 1)
    {
        protocol::StaffAccount a;
        a.staffId = id;
        a.name = "職員 " + id;
        a.role = role;
        a.credential = protocol::makeStaffCredential(secret, random, fastScrypt()).value();
        a.version = version;
        return a;
    }
    std::vector<std::string> auditActions()
    {
        std::vector<std::string> out;
        auto stmt = store->db().prepare("SELECT action FROM audit_log ORDER BY seq");
        EXPECT_TRUE(stmt);
        (void)stmt->forEachRow([&](sql::Statement& row) { out.push_back(row.text(0)); });
        return out;
    }
};

TEST_F(StaffDirectoryTest, EachPersonSignsInWithTheirOwnSecret)
{
    EXPECT_FALSE(StaffDirectory::any(*store).value()) << "a new tablet: the store passphrase regime";
    ASSERT_TRUE(StaffDirectory::apply(*store, account("nurse-7", "nurse", "4821")));
    ASSERT_TRUE(StaffDirectory::apply(*store, account("mgr-1", "manager", "a long passphrase")));
    EXPECT_TRUE(StaffDirectory::any(*store).value());

    auto signedIn = StaffDirectory::signIn(*store, "nurse-7", "4821");
    ASSERT_TRUE(signedIn) << signedIn.error().message;
    EXPECT_EQ(signedIn->role, "nurse");
    auto wrong = StaffDirectory::signIn(*store, "nurse-7", "a long passphrase");
    ASSERT_FALSE(wrong) << "another person's secret";
    EXPECT_EQ(wrong.error().code, sync::Errc::Unauthorized);
    EXPECT_EQ(wrong.error().field, "secret");
    auto unknown = StaffDirectory::signIn(*store, "custodian-01", "4821");
    ASSERT_FALSE(unknown) << "a typed name is no longer an identity";
    EXPECT_EQ(unknown.error().field, "staff_id");
    const auto actions = auditActions();
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "staff.signin"), 1);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "staff.signin_failed"), 1);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "staff.signin_refused"), 1);
}

TEST_F(StaffDirectoryTest, RepeatedFailuresBackOffAndTheRightSecretWaitsToo)
{
    ASSERT_TRUE(StaffDirectory::apply(*store, account("nurse-7", "nurse", "4821")));
    for (int i = 0; i < StaffDirectory::kFreeFailures - 1; ++i) {
        EXPECT_EQ(StaffDirectory::signIn(*store, "nurse-7", "0000").error().field, "secret");
    }
    auto third = StaffDirectory::signIn(*store, "nurse-7", "0000");
    EXPECT_NE(third.error().message.find("wait 30 s"), std::string::npos) << third.error().message;
    auto meanwhile = StaffDirectory::signIn(*store, "nurse-7", "4821");
    ASSERT_FALSE(meanwhile) << "even the right PIN waits: guessing gains nothing";
    EXPECT_EQ(meanwhile.error().field, "retry_at");
    clock.advance(std::chrono::seconds(31));
    EXPECT_EQ(StaffDirectory::signIn(*store, "nurse-7", "1111").error().field, "secret");
    clock.advance(std::chrono::seconds(31));
    EXPECT_EQ(StaffDirectory::signIn(*store, "nurse-7", "4821").error().field, "retry_at") << "60 s after the 4th";
    clock.advance(std::chrono::seconds(30));
    ASSERT_TRUE(StaffDirectory::signIn(*store, "nurse-7", "4821"));
    EXPECT_EQ(StaffDirectory::signIn(*store, "nurse-7", "0000").error().field, "secret") << "counted afresh";
}

TEST_F(StaffDirectoryTest, ANewerAccountReplacesAnOlderOneAndADisabledOneCannotSignIn)
{
    ASSERT_TRUE(StaffDirectory::apply(*store, account("nurse-7", "nurse", "4821", 2)));
    ASSERT_TRUE(StaffDirectory::apply(*store, account("nurse-7", "manager", "9999", 1)));
    EXPECT_EQ(StaffDirectory::find(*store, "nurse-7").value()->role, "nurse") << "an older item changes nothing";
    ASSERT_TRUE(StaffDirectory::signIn(*store, "nurse-7", "4821"));
    auto disabled = account("nurse-7", "nurse", "4821", 3);
    disabled.active = false;
    ASSERT_TRUE(StaffDirectory::apply(*store, disabled));
    EXPECT_EQ(StaffDirectory::signIn(*store, "nurse-7", "4821").error().field, "staff_id");
    EXPECT_FALSE(StaffDirectory::hasRole(*store, "nurse-7", "nurse").value());
}

TEST_F(StaffDirectoryTest, OnlyAManagerNamesTheCustodians)
{
    // The review's attack: a nurse who is not a custodian appoints herself.
    ASSERT_TRUE(CustodyLedger::setCustodians(*store, {"me"}, "me")) << "no accounts yet: the passphrase regime";
    ASSERT_TRUE(StaffDirectory::apply(*store, account("nurse-7", "nurse", "4821")));
    ASSERT_TRUE(StaffDirectory::apply(*store, account("mgr-1", "manager", "a long passphrase")));
    auto byNurse = CustodyLedger::setCustodians(*store, {"nurse-7"}, "nurse-7");
    ASSERT_FALSE(byNurse);
    EXPECT_EQ(byNurse.error().code, sync::Errc::Unauthorized);
    EXPECT_FALSE(CustodyLedger::setCustodians(*store, {"nurse-7"}, "custodian-01")) << "nor a name nobody has";
    ASSERT_TRUE(CustodyLedger::setCustodians(*store, {"nurse-7"}, "mgr-1"));
    EXPECT_EQ(CustodyLedger::custodians(store->db()).value(), std::vector<std::string>{"nurse-7"});
}

TEST_F(StaffDirectoryTest, AMalformedAccountIsRefusedWithItsField)
{
    auto body = account("nurse-7", "nurse", "4821").toJson();
    body["role"] = "root";
    EXPECT_EQ(protocol::StaffAccount::fromJson(body).error().field, "role");
    body = account("nurse-7", "nurse", "4821").toJson();
    body["credential"]["log_n"] = 40;
    EXPECT_EQ(protocol::StaffAccount::fromJson(body).error().field, "credential");
    EXPECT_FALSE(protocol::makeStaffCredential("123", random)) << "a PIN has at least 4 digits";
}

} // namespace
} // namespace zaitaku::testing
