#include "verify/rules/MedicalInfoWindow.h"

#include <chrono>

namespace zaitaku::rules
{

Expected<MedicalInfoWindowResult, Error> medicalInfoWindow(const MedicalInfoWindowInput& input)
{
    if (input.on < input.consentAt) {
        return Unexpected(dateOrderError("on", input.on.toString(), "consent_at", input.consentAt.toString()));
    }
    MedicalInfoWindowResult result;
    if (input.availableTime) {
        result.basis = WindowBasis::AvailableTime;
        result.until = input.availableTime->withOffset(input.consentAt.offsetMinutes());
    } else if (input.visitKind == VisitKind::Oushin) {
        result.basis = WindowBasis::TwentyFourHours;
        result.until = input.consentAt.plus(std::chrono::hours{24});
    } else {
        result.basis = WindowBasis::ContinuingCare;
        result.requiresRequeryAllowed = true;
    }
    result.allowed = !result.until || input.on <= *result.until;
    return result;
}

} // namespace zaitaku::rules
