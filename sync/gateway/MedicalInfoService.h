#pragma once

// The 薬剤情報 and 特定健診情報 of a patient, only within what the patient consented to (issue 33,
// docs/design/DOMAIN.md F4, seeds 003/004). For each kind, OQS is asked and its answer is served only while:
//   - the consent of that kind was given on a visit record and not withdrawn (a withdrawal stops
//     further requests at once; the tablets wipe their copies on its feed item);
//   - the viewing window is open (rules::medicalInfoWindow): 24 h after the consent for 往診
//     (seed 003 「同意情報登録後24時間」), while continuing care allows re-query for 訪問診療・訪問看護
//     (seed 004), OQS's *AvailableTime when it sent one;
//   - the card's e-certificate is not in its grace period or past it (R3: qualification only);
//   - the reader is a physician or a nurse (docs/design/DOMAIN.md R9: qualified staff only) [I: the roles].
// Requests run as OQS jobs (like the re-query): after OQS confirmed a first visit, and when a
// tablet asks and the stored answer is older than a day. Each request and each read is an audit
// row naming the staff member (or the gateway) and the patient.

#include "base/Clock.h"
#include "base/Random.h"
#include "sync/gateway/EligibilityService.h"
#include "sync/gateway/GatewayLog.h"
#include "sync/gateway/GatewayStorage.h"
#include "sync/protocol/MedicalInfoMessages.h"

#include <chrono>
#include <optional>
#include <string>

namespace zaitaku::sync::gateway
{

struct MedicalInfoPolicy
{
    std::chrono::hours refreshAfter{24}; // a stored answer older than this is asked again
    std::chrono::hours tabletCache{72};  // continuing care has no fixed end: tablets keep a copy this long [I]
};

// Whether one kind may be fetched and shown now, and until when.
struct MedicalInfoWindow
{
    bool allowed = false;
    std::string reason;   // "available" or why not (docs/PROTOCOL.md)
    std::string reasonJa; // what the nurse reads
    std::string consentId;
    std::string basis; // rules::WindowBasis code
    base::Timestamp viewUntil = base::Timestamp::fromUtc({});
};

class MedicalInfoService
{
public:
    MedicalInfoService(GatewayStorage& storage,
                       EligibilityService& eligibility,
                       const base::Clock& clock,
                       base::RandomSource& random,
                       GatewayLog& log,
                       MedicalInfoPolicy policy = {});

    MedicalInfoWindow window(const std::string& patientId, const std::string& serviceKind, model::ConsentKind kind);
    // POST /v1/medinfo for a patient on the device's roster: what is stored and viewable, or a job
    // (the answer's jobId) when OQS must be asked first, or why not.
    protocol::MedicalInfoAnswer answer(const protocol::MedicalInfoQuery& query, const std::string& deviceId);
    // After OQS confirmed a first visit: fetch what the consents allow (a job of the gateway's own).
    void afterConfirmation(const std::string& patientId, const std::string& serviceKind);

private:
    // Blocks on OQS (a job): asks for every kind the window allows, stores, then answers.
    protocol::MedicalInfoAnswer fetch(const protocol::MedicalInfoQuery& query, const std::string& actor);
    Expected<void, Error> fetchKind(const std::string& patientId,
                                    model::ConsentKind kind,
                                    const MedicalInfoWindow& window,
                                    const std::string& actor,
                                    const std::string& staffId);
    // What is stored and viewable now (no OQS); `stale`: some allowed kind needs asking.
    protocol::MedicalInfoAnswer stored(const protocol::MedicalInfoQuery& query, bool& stale);
    std::optional<std::string> staffRefusal(const std::string& staffId);

    GatewayStorage& m_storage;
    EligibilityService& m_eligibility;
    const base::Clock& m_clock;
    base::RandomSource& m_random;
    GatewayLog& m_log;
    MedicalInfoPolicy m_policy;
};

} // namespace zaitaku::sync::gateway
