// Cached eligibility snapshots: lossless round trip through the store, raw XML kept byte for
// byte, immutable rows, re-query keys only from confirmed results; the record codecs.

#include "sync/store/SnapshotCache.h"

#include "support/StoreFixture.h"
#include "sync/protocol/ModelJson.h"
#include "sync/sql/Transaction.h"

#include <nlohmann/json.hpp>

namespace zaitaku::testing
{
namespace
{

using sync::Errc;
using namespace sync::store;
namespace protocol = sync::protocol;
namespace sql = sync::sql;
using namespace model;

EligibilitySnapshot fullSnapshot()
{
    EligibilitySnapshot s;
    s.id = "s-1";
    s.patientId = "p-001";
    s.source = SnapshotSource::RequeryBulk;
    s.qualificationConfirmationDate = base::Date::parse("2026-11-20").value();
    s.processExecutionTime = base::Timestamp::parse("2026-11-20T08:15:00+09:00").value();
    s.referenceClassification = ReferenceClassification::MyNumberCard;
    s.segmentOfResult = SegmentOfResult::Normal;
    s.processingResultStatus = ProcessingResultStatus::Normal;
    s.processingResultCode = "1234";
    s.qualificationValidity = QualificationValidity::Valid;
    s.insurerNumber = "39131015";
    s.insuredCardSymbol = "";
    s.insuredIdentificationNumber = "12345678";
    s.insuredBranchNumber = "00";
    s.name = "山田 ●郎";
    s.nameKana = "ﾔﾏﾀﾞ ﾀﾛｳ";
    s.birthdate = base::Date::parse("1948-04-02").value();
    s.sex1 = Sex::Male;
    s.insuredPartialContributionRatioPercent = 10;
    s.elderlyRecipient =
        ElderlyRecipientCertificate{base::Date::parse("2026-08-01").value(), std::nullopt, std::nullopt, 20};
    s.limitCertificate = LimitCertificate{};
    s.limitCertificate->classificationFlag = "A03";
    s.specificDiseases.push_back(SpecificDiseaseCertificate{"1", std::nullopt, std::nullopt, std::nullopt, 10000});
    s.pharmacists = MedicalInfoConsent{"1", base::Timestamp::parse("2026-11-20T08:00:00+09:00").value(),
                                       base::Timestamp::parse("2026-11-21T08:00:00+09:00").value()};
    s.rawXml = std::string("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\x82\xa0\x00tail", 50);
    s.rawEncoding = "Shift_JIS";
    return s;
}

TEST(ModelJsonTest, SnapshotRoundTripsThroughJson)
{
    const auto original = fullSnapshot();
    const auto json = protocol::snapshotToJson(original);
    auto back = protocol::snapshotFromJson(json);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(protocol::snapshotToJson(*back), json);
    EXPECT_EQ(back->name, "山田 ●郎");
    EXPECT_EQ(back->elderlyRecipient->contributionRatioPercent, 20);
    EXPECT_EQ(back->specificDiseases[0].selfPayYen, 10000);
    EXPECT_EQ(*back->pharmacists.availableTime, *original.pharmacists.availableTime);
}

TEST(ModelJsonTest, StrictReadingNamesTheField)
{
    auto json = protocol::snapshotToJson(fullSnapshot());
    json["qualification_validity"] = "9";
    auto bad = protocol::snapshotFromJson(json);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "qualification_validity");
    json = protocol::snapshotToJson(fullSnapshot());
    json["elderly_recipient"].erase("valid_end");
    bad = protocol::snapshotFromJson(json);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().field, "elderly_recipient.valid_end");
}

TEST(ModelJsonTest, EvidenceRoundTripsWithBytesAsHex)
{
    const auto record = makeVisit("v-1", "p-1", base::Timestamp::parse("2026-11-21T10:00:00+09:00").value());
    Evidence e = record.evidence[0];
    e.face = FaceMatchResult{0.934, 0.927, "sha256:abc"};
    const auto json = protocol::toJson(e);
    EXPECT_EQ(json["auth_certificate_der"], "3082010A");
    auto back = protocol::evidenceFromJson(json);
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->signature, e.signature);
    EXPECT_DOUBLE_EQ(back->face->score, 0.934);
    auto visit = protocol::visitFromJson(protocol::toJson(record.visit));
    ASSERT_TRUE(visit) << visit.error().message;
    EXPECT_EQ(protocol::toJson(*visit), protocol::toJson(record.visit));
}

class SnapshotCacheTest : public StoreTest
{
protected:
    void SetUp() override
    {
        StoreTest::SetUp();
        importPatient("p-001");
    }
    Expected<void, sync::Error> add(const EligibilitySnapshot& s)
    {
        auto tx = sql::Transaction::begin(store->db(), sql::Durability::Normal);
        EXPECT_TRUE(tx);
        auto done = SnapshotCache::add(store->db(), s, clock.nowJst());
        if (done) {
            EXPECT_TRUE(tx->commit());
        }
        return done;
    }
};

TEST_F(SnapshotCacheTest, LatestSnapshotComesBackWhole)
{
    ASSERT_TRUE(add(fullSnapshot()));
    reopen();
    auto cached = SnapshotCache::latestFor(store->db(), "p-001");
    ASSERT_TRUE(cached && *cached);
    EXPECT_EQ(protocol::snapshotToJson((*cached)->snapshot), protocol::snapshotToJson(fullSnapshot()));
    EXPECT_EQ((*cached)->snapshot.rawXml, fullSnapshot().rawXml); // bytes, NUL included
    EXPECT_EQ((*cached)->receivedAt, clock.nowJst());
    auto key = SnapshotCache::requeryKeyFor(store->db(), "p-001");
    ASSERT_TRUE(key && *key);
    EXPECT_EQ((*key)->insured.number, "12345678");
    EXPECT_EQ((*key)->derivedFromSnapshotId, "s-1");
}

TEST_F(SnapshotCacheTest, NewerResultIsANewRowAndRowsAreImmutable)
{
    ASSERT_TRUE(add(fullSnapshot()));
    clock.advance(std::chrono::hours(1));
    auto lost = fullSnapshot();
    lost.id = "s-2";
    lost.qualificationValidity = QualificationValidity::Invalid;
    ASSERT_TRUE(add(lost));
    auto cached = SnapshotCache::latestFor(store->db(), "p-001");
    ASSERT_TRUE(cached && *cached);
    EXPECT_EQ((*cached)->snapshot.id, "s-2");
    // The re-query key still comes from the last confirmed result.
    EXPECT_EQ(SnapshotCache::requeryKeyFor(store->db(), "p-001").value()->derivedFromSnapshotId, "s-1");
    auto edit = store->db().exec("UPDATE eligibility_snapshot SET qualification_validity = '1'", "test");
    ASSERT_FALSE(edit);
    EXPECT_EQ(edit.error().code, Errc::StoreConstraint);
    auto duplicate = add(fullSnapshot());
    ASSERT_FALSE(duplicate);
    EXPECT_EQ(duplicate.error().code, Errc::StoreConstraint);
}

} // namespace
} // namespace zaitaku::testing
