#include "verify/rules/PrecheckFlags.h"

#include "verify/rules/AgeThresholds.h"
#include "verify/rules/CardRegistration.h"
#include "verify/rules/CertificateExpiry.h"

namespace zaitaku::rules
{

namespace
{
constexpr int kStaleDays = 30;           // an older result is shown with a warning [I]
constexpr int kTransitionAheadDays = 31; // 70/75 birthdays inside the coming month [I]
} // namespace

std::vector<std::string> precheckFlags(const model::EligibilitySnapshot* snapshot,
                                       const std::optional<base::Date>& receivedOn,
                                       const base::Date& visitDate,
                                       const std::optional<base::Date>& certificateExpiry)
{
    std::vector<std::string> flags;
    if (certificateExpiry) {
        switch (certificateStatus(*certificateExpiry, visitDate).state) {
        case CertificateState::Valid:
            break;
        case CertificateState::Expiring:
            flags.push_back("ecert_expiring");
            break;
        case CertificateState::Grace:
            flags.push_back("ecert_grace"); // qualification only, no medical information (R3)
            break;
        case CertificateState::Unusable:
            flags.push_back("ecert_unusable");
            break;
        }
    }
    if (snapshot == nullptr) {
        flags.push_back("no_result");
        return flags;
    }
    const auto& s = *snapshot;
    if (reportsNotRegistered(s)) {
        flags.push_back("card_not_registered"); // guide to 利用登録; meanwhile the 資格確認書
    }
    if (s.segmentOfResult != model::SegmentOfResult::Normal) {
        flags.push_back("query_failed");
    } else if (s.qualificationValidity) {
        switch (*s.qualificationValidity) {
        case model::QualificationValidity::Valid:
            break;
        case model::QualificationValidity::Invalid:
            flags.push_back("eligibility_lost");
            break;
        case model::QualificationValidity::InvalidNewQualification:
            flags.push_back("eligibility_changed");
            break;
        default:
            flags.push_back("eligibility_not_confirmed");
            break;
        }
    }
    if (s.name.find("●") != std::string::npos) {
        flags.push_back("name_placeholder");
    }
    if (!s.processingResultCode.empty()) {
        flags.push_back("processing_notice"); // e.g. the e-certificate expiring (Q5, Q14)
    }
    if (s.birthdate) {
        const auto until = visitDate.addDays(kTransitionAheadDays);
        const auto at70 = elderlyFrom(*s.birthdate);
        const auto at75 = koukiFrom(*s.birthdate);
        if (at70 > visitDate && at70 <= until) {
            flags.push_back("copay_change_70");
        }
        if (at75 > visitDate && at75 <= until) {
            flags.push_back("insurer_change_75");
        }
    }
    if (receivedOn && receivedOn->addDays(kStaleDays) < visitDate) {
        flags.push_back("result_stale");
    }
    return flags;
}

} // namespace zaitaku::rules
