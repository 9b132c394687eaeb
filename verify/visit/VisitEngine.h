#pragma once

// The visit engine: runs one visit at the patient's door from start to a committed record (or to
// an abort that leaves no record), driving the VisitMachine with what the card, the operator, the
// challenge source and the store report. Fully offline: nothing here needs the network. Every
// transition goes to the audit journal; the record is one transaction with its outbox row.
//
//   F1  card → classify (顔認証 card: no PIN) → PIN (tries shown first; VERIFY; the card signs a
//       challenge; one try left: refused unless staff override) | face | visual → consent → commit
//   F2  re-query permission (rules::requery) and the cached result with its age → commit; when
//       not allowed, why, and F1 with the card
//   F6  the fallback ladder → fallback evidence → commit

#include "base/Clock.h"
#include "base/Random.h"
#include "device/reader/CardReader.h"
#include "verify/consent/ConsentCatalog.h"
#include "verify/identity/FaceVerifier.h"
#include "verify/model/CareRelationship.h"
#include "verify/model/Visit.h"
#include "verify/rules/CertificateExpiry.h"
#include "verify/visit/ChallengeSource.h"
#include "verify/visit/FallbackForms.h"
#include "verify/visit/OperatorInput.h"
#include "verify/visit/VisitMachine.h"
#include "verify/visit/VisitPorts.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::visit
{

struct VisitServices
{
    device::CardReader* reader = nullptr; // none: no reader on this tablet (F2 and F6 still work)
    std::string readerSelector;           // name or index; empty: the first reader with a card
    const base::Clock& clock;
    const base::MonotonicClock& monotonic;
    base::RandomSource& random;
    ChallengeSource& challenges;
    VisitRepository& repository;
    VisitJournal& journal;
    identity::FaceVerifier& face;
    const consent::ConsentCatalog& consents;
    RequeryPort* requery = nullptr; // none: no gateway link, every revisit is recorded as pending
};

struct VisitSettings
{
    std::string deviceId = "tablet";
    std::string appVersion;
    std::string language = "ja";                                  // of the consent texts and statements shown
    std::chrono::milliseconds cardWait{std::chrono::seconds(30)}; // per wait; the operator may wait again
    std::chrono::milliseconds apduTimeout{std::chrono::seconds(5)};
    std::chrono::milliseconds faceTimeout{std::chrono::seconds(5)};
    FallbackRetention retention;
    int maxPrompts = 64; // a visit that needs more operator answers than this is ended (no loops)
};

struct VisitRequest
{
    std::string patientId;
    model::ServiceKind serviceKind = model::ServiceKind::HoumonShinryo;
    model::VisitFlow flow = model::VisitFlow::FirstVisit;
    std::string staffId;
    bool cardHeldByFacility = false;                        // F8: the facility holds the card; it must be checked out
    std::optional<base::Date> scheduledFor;                 // default: today
    std::string fallbackReason;                             // for flow Fallback: why online confirmation failed
    model::Assistance assistedBy = model::Assistance::None; // who helped at the door (seed 004 Q1)
};

struct VisitOutcome
{
    std::string visitId;
    VisitState state = VisitState::Started;
    model::VisitFlow flow = model::VisitFlow::FirstVisit; // as recorded (a refused F2 becomes F1)
    std::optional<model::EvidenceMethod> method;
    model::CardClass card = model::CardClass::None;
    model::ChallengeOrigin challengeOrigin = model::ChallengeOrigin::None;
    std::optional<int> triesLeftBefore;
    std::optional<int> triesLeftAfter;
    std::vector<model::Consent> consents;
    std::optional<model::FallbackKind> fallback;
    std::optional<RevisitPrompt> revisit;                    // the permission and the cached result shown
    model::RequeryState requery = model::RequeryState::None; // a revisit: answered now or pending
    std::optional<CachedResult> latest;                      // the result to show (cached; its age below)
    std::optional<std::chrono::minutes> latestAge;
    std::optional<rules::CertificateState> certificate;
    std::optional<base::Timestamp> medicalInfoUntil; // 往診: 24 h after consent
    bool medicalInfoWhileContinuing = false;         // 訪問診療/看護: while re-query is allowed
    std::vector<std::string> warnings;               // Japanese, for the result screen
    std::string doorCopay; // a fallback visit: the ratio to ask at the door, in words (never 10割)
    std::string abortReason;
    CommitReceipt receipt;
    std::vector<Transition> transitions;
    std::chrono::nanoseconds machineTime{0};  // engine, card and store, without operator input
    std::chrono::nanoseconds operatorTime{0}; // waiting for the people
};

class VisitEngine
{
public:
    VisitEngine(VisitServices services, VisitSettings settings)
        : m_services(std::move(services))
        , m_settings(std::move(settings))
    {}

    // An operator's abort is an outcome (state Aborted, nothing recorded); an error is returned
    // when the visit could not go on (unknown patient, store failure …) — also nothing recorded.
    Expected<VisitOutcome, Error> run(const VisitRequest& request, OperatorInput& op);

private:
    VisitServices m_services;
    VisitSettings m_settings;
};

} // namespace zaitaku::visit
