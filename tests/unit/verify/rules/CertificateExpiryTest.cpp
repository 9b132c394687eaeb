#include "verify/rules/CertificateExpiry.h"

#include "RulesTestSupport.h"

namespace zaitaku::rules
{
namespace
{

using test::d;

struct ExpiryCase
{
    const char* expiry;
    const char* alertFrom;
    const char* graceUntil;
};

TEST(CertificateExpiryTest, AlertAndGraceDatesOfTheR3Table)
{
    // docs/design/DOMAIN.md R3 table; 2025-02-14 matches the municipal example "February → end of May".
    for (const ExpiryCase& c :
         {ExpiryCase{"2025-02-14", "2024-11-14", "2025-05-31"}, ExpiryCase{"2024-12-10", "2024-09-10", "2025-03-31"},
          ExpiryCase{"2025-11-30", "2025-08-30", "2026-02-28"},
          ExpiryCase{"2025-08-20", "2025-05-20", "2025-11-30"},    // §7
          ExpiryCase{"2025-05-31", "2025-02-28", "2025-08-31"},    // month-end clamp
          ExpiryCase{"2027-11-29", "2027-08-29", "2028-02-29"},    // leap February
          ExpiryCase{"2025-10-31", "2025-07-31", "2026-01-31"}}) { // across year end
        const CertificateStatus s = certificateStatus(d(c.expiry), d(c.expiry));
        EXPECT_EQ(s.alertFrom, d(c.alertFrom)) << c.expiry;
        ASSERT_TRUE(s.graceUntil.has_value()) << c.expiry;
        EXPECT_EQ(*s.graceUntil, d(c.graceUntil)) << c.expiry;
    }
}

TEST(CertificateExpiryTest, StatesAlongTheWorkedExampleTimeline)
{
    const auto expiry = d("2025-08-20");
    EXPECT_EQ(certificateStatus(expiry, d("2025-05-19")).state, CertificateState::Valid);
    EXPECT_EQ(certificateStatus(expiry, d("2025-05-20")).state, CertificateState::Expiring);
    const auto lastDay = certificateStatus(expiry, d("2025-08-20"));
    EXPECT_EQ(lastDay.state, CertificateState::Expiring);
    EXPECT_TRUE(lastDay.medicalInfoAllowed);
    const auto grace = certificateStatus(expiry, d("2025-08-21"));
    EXPECT_EQ(grace.state, CertificateState::Grace);
    EXPECT_TRUE(grace.qualificationAllowed);
    EXPECT_FALSE(grace.medicalInfoAllowed);
    EXPECT_EQ(certificateStatus(expiry, d("2025-11-30")).state, CertificateState::Grace);
    const auto gone = certificateStatus(expiry, d("2025-12-01"));
    EXPECT_EQ(gone.state, CertificateState::Unusable);
    EXPECT_FALSE(gone.qualificationAllowed);
    EXPECT_FALSE(gone.medicalInfoAllowed);
}

TEST(CertificateExpiryTest, NoGraceForExpiriesBeforeDecember2024)
{
    const auto before = certificateStatus(d("2024-12-01"), d("2024-12-02"));
    EXPECT_FALSE(before.graceUntil.has_value());
    EXPECT_EQ(before.state, CertificateState::Unusable);
    EXPECT_TRUE(certificateStatus(d("2024-12-02"), d("2024-12-03")).graceUntil.has_value());
    EXPECT_EQ(certificateStatus(d("2024-12-02"), d("2024-12-03")).state, CertificateState::Grace);
}

} // namespace
} // namespace zaitaku::rules
