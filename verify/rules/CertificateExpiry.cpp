#include "verify/rules/CertificateExpiry.h"

namespace zaitaku::rules
{

Date graceRuleFirstExpiry()
{
    return Date::fromYmd(2024, 12, 2).value();
}

CertificateStatus certificateStatus(Date expiry, Date on)
{
    CertificateStatus status{CertificateState::Valid, expiry.addMonths(-3), std::nullopt, true, true};
    if (expiry >= graceRuleFirstExpiry()) {
        status.graceUntil = expiry.addMonths(3).lastDayOfMonth();
    }
    if (on < status.alertFrom) {
        status.state = CertificateState::Valid;
    } else if (on <= expiry) {
        status.state = CertificateState::Expiring;
    } else if (status.graceUntil && on <= *status.graceUntil) {
        status.state = CertificateState::Grace;
        status.medicalInfoAllowed = false;
    } else {
        status.state = CertificateState::Unusable;
        status.qualificationAllowed = false;
        status.medicalInfoAllowed = false;
    }
    return status;
}

} // namespace zaitaku::rules
