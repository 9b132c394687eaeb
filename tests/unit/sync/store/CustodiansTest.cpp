// Custody per seed 004: a deposit rests on an agreement (入所契約・預かり証) and names the locked
// storage; once the facility names its custodians, only they handle the cards; anyone reports a
// lost card.

#include "support/StoreFixture.h"
#include "sync/store/CustodyLedger.h"

namespace zaitaku::testing
{
namespace
{

using model::CustodyAction;
using namespace sync::store;

class CustodiansTest : public StoreTest
{
protected:
    void SetUp() override
    {
        StoreTest::SetUp();
        importPatient("p-001");
    }
    model::CustodyEvent event(CustodyAction action, const std::string& staff)
    {
        model::CustodyEvent e;
        e.id = "c-" + std::to_string(++m_next);
        e.patientId = "p-001";
        e.facilityId = "facility-1";
        e.action = action;
        e.staffId = staff;
        e.at = clock.nowJst();
        e.purpose = action == CustodyAction::Checkout ? "訪問診療" : "";
        e.storageLocation = action == CustodyAction::Deposit ? "事務室の鍵付きロッカー" : "";
        e.agreementRef = action == CustodyAction::Deposit ? "預かり証 2026-015" : "";
        return e;
    }
    int m_next = 0;
};

TEST_F(CustodiansTest, ADepositNamesItsAgreementAndItsStorage)
{
    auto noAgreement = event(CustodyAction::Deposit, "staff-3");
    noAgreement.agreementRef.clear();
    auto refused = CustodyLedger::record(*store, noAgreement, "staff-3");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().field, "agreement_ref");
    auto noStorage = event(CustodyAction::Deposit, "staff-3");
    noStorage.storageLocation.clear();
    EXPECT_EQ(CustodyLedger::record(*store, noStorage, "staff-3").error().field, "storage");
    ASSERT_TRUE(CustodyLedger::record(*store, event(CustodyAction::Deposit, "staff-3"), "staff-3"));
    auto status = CustodyLedger::current(store->db(), clock.nowJst(), std::chrono::hours(8));
    ASSERT_TRUE(status);
    ASSERT_EQ(status->size(), 1u);
    EXPECT_EQ((*status)[0].last.agreementRef, "預かり証 2026-015");
    EXPECT_EQ((*status)[0].last.storageLocation, "事務室の鍵付きロッカー");
}

TEST_F(CustodiansTest, OnlyNamedCustodiansHandleCardsOnceTheListExists)
{
    auto empty = CustodyLedger::custodians(store->db());
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
    ASSERT_TRUE(CustodyLedger::setCustodians(*store, {"staff-3", "staff-4"}, "manager-1"));
    EXPECT_EQ(*CustodyLedger::custodians(store->db()), (std::vector<std::string>{"staff-3", "staff-4"}));
    EXPECT_EQ(store->db().queryText("SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1").value_or(""),
              "custody.custodians");

    auto outsider = CustodyLedger::record(*store, event(CustodyAction::Deposit, "staff-9"), "staff-9");
    ASSERT_FALSE(outsider);
    EXPECT_EQ(outsider.error().field, "staff");
    ASSERT_TRUE(CustodyLedger::record(*store, event(CustodyAction::Deposit, "staff-3"), "staff-3"));
    EXPECT_FALSE(CustodyLedger::record(*store, event(CustodyAction::Checkout, "staff-9"), "staff-9"));
    ASSERT_TRUE(CustodyLedger::record(*store, event(CustodyAction::Checkout, "staff-4"), "staff-4"));
    // Anybody may report the card lost.
    ASSERT_TRUE(CustodyLedger::record(*store, event(CustodyAction::Lost, "staff-9"), "staff-9"));

    EXPECT_FALSE(CustodyLedger::setCustodians(*store, {""}, "manager-1")) << "an empty id is no custodian";
    ASSERT_TRUE(CustodyLedger::setCustodians(*store, {}, "manager-1"));
    EXPECT_TRUE(CustodyLedger::custodians(store->db())->empty());
}

} // namespace
} // namespace zaitaku::testing
