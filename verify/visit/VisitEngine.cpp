#include "verify/visit/VisitEngine.h"

#include "base/BoundedJson.h"
#include "base/Bytes.h"
#include "device/mynacard/Certificate.h"
#include "verify/consent/ConsentSelection.h"
#include "verify/identity/VisualCheck.h"
#include "verify/rules/DoorCopay.h"
#include "verify/rules/EligibilityChange.h"
#include "verify/rules/EligibilityCopay.h"
#include "verify/rules/FallbackDocument.h"
#include "verify/rules/MedicalInfoWindow.h"
#include "verify/rules/PatientMatch.h"
#include "verify/rules/Requery.h"
#include "verify/visit/CardSession.h"

#include <algorithm>

namespace zaitaku::visit
{

namespace
{

using model::ConfirmMethod;
using S = VisitState;
using E = VisitEvent;
using std::chrono::nanoseconds;

// A successful VERIFY resets the counter to its maximum (docs/design/CARD.md §4: "Only a successful VERIFY
// resets the counter").
constexpr int kAuthPinMaxTries = 3;

// One visit in progress: the machine, what has been gathered, and one step function per state.
class VisitRun
{
public:
    VisitRun(const VisitServices& services,
             const VisitSettings& settings,
             const VisitRequest& request,
             OperatorInput& op)
        : m_services(services)
        , m_settings(settings)
        , m_request(request)
        , m_op(op)
        , m_session(services.reader, services.readerSelector, settings.apduTimeout)
    {}

    Expected<VisitOutcome, Error> run();

private:
    // --- plumbing ---------------------------------------------------------------------------------
    Expected<void, Error> fire(E event, const EventData& data = {}, std::map<std::string, std::string> detail = {});
    template <typename F> auto ask(F&& call)
    {
        ++m_prompts;
        const nanoseconds start = m_services.monotonic.sinceBoot();
        auto answer = call();
        m_out.operatorTime += m_services.monotonic.sinceBoot() - start;
        return answer;
    }
    void say(const std::string& message, std::optional<int> tries = std::nullopt)
    {
        m_op.progress(VisitProgress{m_machine.state(), message, tries});
    }
    base::Timestamp now() const { return m_services.clock.nowJst(); }
    base::Date today() const { return now().localDate(); }
    Expected<void, Error> abort(const std::string& reason);
    Error cardError(const device::Error& e) const { return Error{Errc::CardError, e.message, "card"}; }

    // --- one function per state -------------------------------------------------------------------
    Expected<void, Error> start();
    Expected<void, Error> awaitCard();
    Expected<void, Error> readCard();
    Expected<void, Error> chooseMethod();
    Expected<void, Error> enterPin();
    Expected<void, Error> checkFace();
    Expected<void, Error> checkVisual();
    Expected<void, Error> takeConsent();
    Expected<void, Error> reviewRevisit();
    Expected<void, Error> recordFallback();
    Expected<void, Error> commit();

    // Reacts to a card error in a card state: the card left → CardRemoved (wait again), else fail.
    Expected<void, Error> onCardError(const device::Error& e);
    CardFacts cardFacts() const;
    model::Evidence newEvidence(model::EvidenceMethod method);
    RevisitPrompt revisitDecision() const;
    void askGateway(RevisitPrompt& prompt);
    FallbackSituation fallbackSituation() const;
    std::string fallbackCopay(model::FallbackKind kind, const nlohmann::json& captured) const;

    const VisitServices& m_services;
    const VisitSettings& m_settings;
    const VisitRequest& m_request;
    OperatorInput& m_op;
    CardSession m_session;

    VisitMachine m_machine;
    VisitOutcome m_out;
    PatientContext m_context;
    int m_prompts = 0;
    bool m_resuming = false;
    std::string m_fallbackReason;
    model::Assistance m_assistedBy = model::Assistance::None;

    // Gathered at the door.
    base::Bytes m_authCertificate;
    device::CardInfo m_cardInfo;
    std::optional<model::Evidence> m_identity;
    std::optional<model::FallbackEvidence> m_fallback;
    std::string m_pooledChallengeId;
    nanoseconds m_startedMono{0};
    base::Timestamp m_startedAt = base::Timestamp::fromUtc({});
};

Expected<void, Error> VisitRun::fire(E event, const EventData& data, std::map<std::string, std::string> detail)
{
    auto t = m_machine.apply(event, data);
    if (!t) {
        return Unexpected(t.error());
    }
    m_out.transitions.push_back(*t);
    m_out.state = t->to;
    TransitionRecord record{m_out.visitId,
                            m_request.patientId,
                            m_request.staffId,
                            t->from,
                            t->event,
                            t->to,
                            now(),
                            m_services.monotonic.sinceBoot().count(),
                            std::move(detail)};
    if (auto logged = m_services.journal.record(record); !logged) {
        return Unexpected(
            Error{Errc::RecordFailed, "the audit journal refused a transition: " + logged.error().message, "audit"});
    }
    return {};
}

Expected<void, Error> VisitRun::abort(const std::string& reason)
{
    m_session.drop();
    m_out.abortReason = reason;
    if (!isTerminal(m_machine.state())) {
        return fire(E::Abort, {}, {{"reason", reason}});
    }
    return {};
}

CardFacts VisitRun::cardFacts() const
{
    return CardFacts{m_cardInfo.faceAuthOnly || !m_cardInfo.authPinSet,
                     m_cardInfo.authPin.state == device::PinState::Blocked, m_cardInfo.authPin.triesLeft};
}

model::Evidence VisitRun::newEvidence(model::EvidenceMethod method)
{
    model::Evidence e;
    e.id = base::makeUuid(m_services.random);
    e.visitId = m_out.visitId;
    e.patientId = m_request.patientId;
    e.method = method;
    e.capturedAt = now();
    e.monotonicNs = m_services.monotonic.sinceBoot().count();
    e.deviceId = m_settings.deviceId;
    e.appVersion = m_settings.appVersion;
    e.staffId = m_request.staffId;
    e.card = m_out.card;
    e.authCertificateDer = m_authCertificate;
    return e;
}

Expected<VisitOutcome, Error> VisitRun::run()
{
    m_out.visitId = base::makeUuid(m_services.random);
    m_startedMono = m_services.monotonic.sinceBoot();
    m_startedAt = now();
    auto loaded = m_services.repository.load(m_request.patientId, m_request.serviceKind);
    if (!loaded) {
        return Unexpected(loaded.error());
    }
    m_context = std::move(*loaded);
    m_out.latest = m_context.latest;
    if (m_context.latest) {
        m_out.latestAge =
            std::chrono::duration_cast<std::chrono::minutes>(now().utc() - m_context.latest->receivedAt.utc());
    }
    Expected<void, Error> step = start();
    while (step && !isTerminal(m_machine.state())) {
        if (m_prompts > m_settings.maxPrompts) {
            step = abort("too many operator prompts in one visit");
            break;
        }
        switch (m_machine.state()) {
        case S::AwaitingCard:
            step = awaitCard();
            break;
        case S::CardRead:
            step = chooseMethod();
            break;
        case S::PinEntry:
            step = enterPin();
            break;
        case S::FaceCheck:
            step = checkFace();
            break;
        case S::VisualCheck:
            step = checkVisual();
            break;
        case S::Authenticated:
            step = takeConsent();
            break;
        case S::RevisitReview:
            step = reviewRevisit();
            break;
        case S::Fallback:
            step = recordFallback();
            break;
        case S::Recording:
            step = commit();
            break;
        case S::Started:
        case S::Committed:
        case S::Aborted:
            break;
        }
    }
    m_session.drop();
    m_out.machineTime = m_services.monotonic.sinceBoot() - m_startedMono - m_out.operatorTime;
    if (!step) {
        if (!isTerminal(m_machine.state()) && step.error().code != Errc::RecordFailed) {
            (void)abort(step.error().message);
        }
        return Unexpected(step.error());
    }
    return m_out;
}

Expected<void, Error> VisitRun::start()
{
    m_out.flow = m_request.flow;
    m_assistedBy = m_request.assistedBy;
    // F8: a card the custody ledger shows in the facility's storage is checked out first, whoever
    // starts the visit (app or CLI) [seed 004: 出し入れした日時など管理の記録].
    const auto custody = m_context.custody ? std::optional(m_context.custody->action) : std::nullopt;
    const bool heldByFacility = m_request.cardHeldByFacility || custody == model::CustodyAction::Deposit ||
                                custody == model::CustodyAction::Return;
    if (heldByFacility && m_request.flow == model::VisitFlow::FirstVisit && custody != model::CustodyAction::Checkout) {
        return Unexpected(Error{Errc::CustodyNotCheckedOut,
                                "the facility holds this card: record its check-out (custody checkout) first",
                                "custody"});
    }
    std::map<std::string, std::string> detail{{"service_kind", std::string(base::toCode(m_request.serviceKind))}};
    switch (m_request.flow) {
    case model::VisitFlow::FirstVisit:
        say("カードをリーダーに置いてください");
        return fire(E::BeginFirstVisit, {}, detail);
    case model::VisitFlow::Revisit:
        return fire(E::BeginRevisit, {}, detail);
    case model::VisitFlow::Fallback:
        m_fallbackReason =
            m_request.fallbackReason.empty() ? "オンライン資格確認ができません" : m_request.fallbackReason;
        return fire(E::BeginFallback, {}, detail);
    }
    return {};
}

Expected<void, Error> VisitRun::awaitCard()
{
    m_out.flow = model::VisitFlow::FirstVisit;
    auto connected = m_session.connect(m_settings.cardWait);
    if (!connected) {
        const bool noReader = connected.error().code == device::Errc::NoReader ||
                              connected.error().code == device::Errc::ServiceUnavailable;
        const std::string reason = noReader ? "カードリーダーがありません（" + connected.error().message + "）"
                                   : m_resuming ? "カードが離れました。もう一度カードを置いてください"
                                                : "カードをリーダーに置いてください";
        const CardDecision decision = ask([&] { return m_op.cardMissing(CardPrompt{reason, m_resuming}); });
        switch (decision) {
        case CardDecision::Wait:
            return {};
        case CardDecision::Fallback:
            m_fallbackReason = noReader ? "カードリーダーが使えない" : "カードの提示がない";
            return fire(E::BeginFallback, {}, {{"reason", "no_card"}});
        case CardDecision::Abort:
            return abort("no card was presented");
        }
    }
    return readCard();
}

Expected<void, Error> VisitRun::readCard()
{
    device::MynaCard& card = m_session.card();
    auto info = card.classify();
    if (!info) {
        return onCardError(info.error());
    }
    auto certificate = card.readAuthCertificate();
    if (!certificate) {
        return onCardError(certificate.error());
    }
    if (!m_authCertificate.empty() && *certificate != m_authCertificate) {
        m_session.drop();
        say("最初とは別のカードです。同じカードを置いてください");
        const CardDecision decision = ask([&] {
            return m_op.cardMissing(CardPrompt{"最初とは別のカードです。同じカードを置いてください", true});
        });
        if (decision == CardDecision::Abort) {
            return abort("a different card was presented");
        }
        if (decision == CardDecision::Fallback) {
            m_fallbackReason = "カードを確認できない";
            return fire(E::BeginFallback, {}, {{"reason", "different_card"}});
        }
        return {};
    }
    m_authCertificate = std::move(*certificate);
    m_cardInfo = *info;
    m_out.card = cardFacts().faceAuthOnly ? model::CardClass::FaceAuthOnly : model::CardClass::PinCard;
    auto parsed = device::parseCertificate(m_authCertificate);
    if (!parsed) {
        m_session.drop();
        return Unexpected(cardError(parsed.error()));
    }
    const rules::CertificateStatus status = rules::certificateStatus(parsed->notAfter.localDate(), today());
    m_out.certificate = status.state;
    std::map<std::string, std::string> detail{{"card", std::string(base::toCode(m_out.card))},
                                              {"certificate", std::string(base::toCode(status.state))},
                                              {"tries_left", std::to_string(m_cardInfo.authPin.triesLeft)}};
    if (status.state == rules::CertificateState::Unusable) {
        m_session.drop();
        m_out.warnings.emplace_back("電子証明書の有効期限と猶予期間が過ぎているため、このカードでは資格確認できません");
        m_fallbackReason = "電子証明書の有効期限切れ（猶予期間経過）";
        return fire(E::BeginFallback, {}, {{"reason", "certificate_unusable"}});
    }
    if (status.state == rules::CertificateState::Expiring) {
        m_out.warnings.emplace_back(
            "電子証明書の有効期限が3か月以内です。お住まいの市区町村の窓口で更新をご案内ください");
    } else if (status.state == rules::CertificateState::Grace) {
        // Usable for 3 months, qualification only [seed 003: 「有効期限が切れてから3か月間は健康保険証
        // として利用可能」]; no 診療・薬剤 information meanwhile [nishipla-kenpo.or.jp/news/2802];
        // renewal at the municipality [seed 003][seed 004: 「更新手続きは、お住まいの市区町村窓口」].
        m_out.warnings.emplace_back("電子証明書の有効期限が切れています（切れてから3か月間は資格確認のみ可能。"
                                    "診療・薬剤等の情報は提供されません）。お住まいの市区町村の窓口で速やかに更新して"
                                    "ください");
    }
    m_resuming = false;
    EventData data;
    data.card = cardFacts();
    return fire(E::CardPresented, data, detail);
}

Expected<void, Error> VisitRun::onCardError(const device::Error& e)
{
    m_session.drop();
    if (!CardSession::cardGone(e)) {
        return Unexpected(cardError(e));
    }
    m_resuming = true;
    if (m_machine.state() == S::AwaitingCard) {
        return {}; // not read yet: the loop waits again
    }
    say("カードが離れました。もう一度カードを置いてください");
    return fire(E::CardRemoved, {}, {{"device_error", std::string(base::toCode(e.code))}});
}

Expected<void, Error> VisitRun::chooseMethod()
{
    const VisitFacts& facts = m_machine.facts();
    MethodPrompt prompt;
    prompt.card = m_out.card;
    prompt.lastTry = !facts.faceAuthOnly && !facts.pinBlocked && device::isLastPinTry(facts.triesLeft);
    if (!facts.faceAuthOnly) {
        prompt.triesLeft = facts.triesLeft;
    }
    MethodOption pin{ConfirmMethod::Pin, m_machine.allows(E::ChoosePin), ""};
    if (facts.faceAuthOnly) {
        pin.why = "顔認証マイナンバーカードのため暗証番号は使えません";
    } else if (facts.pinBlocked) {
        pin.why = "暗証番号がロックされています（市区町村の窓口で再設定）";
    } else if (prompt.lastTry) {
        pin.why = "暗証番号の残り回数が1回のため、職員の判断なしには使えません";
    }
    EventData faceData;
    faceData.faceAvailable = m_services.face.available();
    MethodOption face{ConfirmMethod::Face, faceData.faceAvailable,
                      faceData.faceAvailable ? "" : m_services.face.unavailableReason()};
    prompt.options = {pin, face, MethodOption{ConfirmMethod::Visual, true, ""}};
    const MethodDecision decision = ask([&] { return m_op.chooseMethod(prompt); });
    if (decision.assistedBy) {
        m_assistedBy = *decision.assistedBy;
    }
    switch (decision.kind) {
    case MethodDecision::Kind::Abort:
        return abort("the operator ended the visit at the method choice");
    case MethodDecision::Kind::Fallback:
        m_session.drop();
        m_fallbackReason = "カードによる本人確認ができない";
        return fire(E::BeginFallback, {}, {{"reason", "operator_choice"}});
    case MethodDecision::Kind::Method:
        break;
    }
    EventData data;
    E event = E::ChooseVisual;
    if (decision.method == ConfirmMethod::Pin) {
        event = E::ChoosePin;
        data.lastTryOverrideBy = decision.lastTryOverrideBy;
    } else if (decision.method == ConfirmMethod::Face) {
        event = E::ChooseFace;
        data = faceData;
    }
    if (!m_machine.allows(event, data)) {
        const auto& option = decision.method == ConfirmMethod::Pin    ? pin
                             : decision.method == ConfirmMethod::Face ? face
                                                                      : prompt.options[2];
        say(option.why.empty() ? "その方法は使えません" : option.why);
        return {}; // ask again
    }
    std::map<std::string, std::string> detail{{"method", std::string(base::toCode(decision.method))}};
    if (!data.lastTryOverrideBy.empty()) {
        detail["last_try_override_by"] = data.lastTryOverrideBy;
    }
    return fire(event, data, detail);
}

Expected<void, Error> VisitRun::enterPin()
{
    device::MynaCard& card = m_session.card();
    auto status = card.authPinStatus();
    if (!status) {
        return onCardError(status.error());
    }
    const VisitFacts& facts = m_machine.facts();
    if (status->state == device::PinState::Blocked) {
        say("暗証番号がロックされています。目視確認か顔認証で確認してください");
        return fire(E::PinBlocked);
    }
    if (device::isLastPinTry(status->triesLeft) && facts.lastTryOverrideBy.empty()) {
        say("暗証番号の残り回数が1回です。目視確認か顔認証に切り替えてください", status->triesLeft);
        EventData data;
        data.triesLeft = status->triesLeft;
        return fire(E::PinLastTryRefused, data, {{"tries_left", std::to_string(status->triesLeft)}});
    }
    if (!m_out.triesLeftBefore) {
        m_out.triesLeftBefore = status->triesLeft;
    }
    PinAnswer answer = ask([&] {
        return m_op.enterPin(PinPrompt{status->triesLeft, device::isLastPinTry(status->triesLeft)});
    });
    if (!answer.pin) {
        return fire(E::BackToMethods);
    }
    if (auto sent = fire(E::PinSubmitted, {}, {{"tries_left", std::to_string(status->triesLeft)}}); !sent) {
        return sent;
    }
    std::optional<device::LastTryOverride> override;
    if (!facts.lastTryOverrideBy.empty()) {
        override = device::LastTryOverride{facts.lastTryOverrideBy};
    }
    auto outcome = card.verifyAuthPin(*answer.pin, override);
    if (!outcome) {
        const device::Errc code = outcome.error().code;
        if (code == device::Errc::PinLastTry) {
            EventData data;
            data.triesLeft = 1;
            return fire(E::PinLastTryRefused, data);
        }
        if (code == device::Errc::PinBlocked) {
            return fire(E::PinBlocked);
        }
        if (code == device::Errc::PinRepeated || code == device::Errc::InvalidInput) {
            say(code == device::Errc::PinRepeated ? "前回と同じ暗証番号は送信しません" : "暗証番号は4桁の数字です");
            return fire(E::BackToMethods, {}, {{"device_error", std::string(base::toCode(code))}});
        }
        return onCardError(outcome.error());
    }
    if (!outcome->verified) {
        m_out.triesLeftAfter = outcome->triesLeft;
        say("暗証番号が違います。残り" + std::to_string(outcome->triesLeft) + "回", outcome->triesLeft);
        EventData data;
        data.triesLeft = outcome->triesLeft;
        return fire(E::PinRejected, data, {{"tries_left", std::to_string(outcome->triesLeft)}});
    }
    auto challenge = m_services.challenges.take(m_out.visitId, now());
    if (!challenge) {
        return Unexpected(challenge.error());
    }
    auto signature = card.signChallenge(challenge->nonce);
    if (!signature) {
        return onCardError(signature.error());
    }
    m_out.triesLeftAfter = kAuthPinMaxTries;
    m_out.challengeOrigin = challenge->origin;
    model::Evidence e = newEvidence(model::EvidenceMethod::PinSignature);
    e.challengeId = challenge->id;
    e.challengeOrigin = challenge->origin;
    e.challengeNonce = challenge->nonce;
    e.signature = std::move(*signature);
    e.triesLeftBefore = m_out.triesLeftBefore;
    e.triesLeftAfter = m_out.triesLeftAfter;
    e.lastTryOverrideBy = facts.lastTryOverrideBy;
    m_identity = std::move(e);
    if (challenge->origin == model::ChallengeOrigin::Pooled) {
        m_pooledChallengeId = challenge->id;
    }
    return fire(E::PinAccepted, {}, {{"challenge", std::string(base::toCode(challenge->origin))}});
}

Expected<void, Error> VisitRun::checkFace()
{
    device::MynaCard& card = m_session.card();
    auto status = card.verificationCodeBStatus();
    if (!status) {
        return onCardError(status.error());
    }
    CodeBAnswer answer = ask([&] { return m_op.enterCodeB(CodeBPrompt{status->triesLeft}); });
    if (!answer.codeB) {
        return fire(E::BackToMethods);
    }
    auto photo = card.readFacePhoto(*answer.codeB);
    if (!photo) {
        if (CardSession::cardGone(photo.error())) {
            return onCardError(photo.error());
        }
        say("券面の照合番号を確認できませんでした（" + photo.error().message + "）");
        return fire(E::FaceRejected, {}, {{"device_error", std::string(base::toCode(photo.error().code))}});
    }
    // The card's 券面 生年月日 against the roster: a card swapped between residents (seed 004: a
    // facility holds many) is stopped here, before any face is compared.
    if (auto mismatch = rules::birthdateMismatch(photo->birthdate, m_context.patient.birthdate, "カード券面")) {
        base::wipe(photo->jpeg2000);
        say(*mismatch);
        return fire(E::FaceRejected, {}, {{"reason", "birthdate_mismatch"}});
    }
    auto decision = m_services.face.verify(photo->jpeg2000, m_settings.faceTimeout);
    if (!decision) {
        say(decision.error().message);
        return fire(decision.error().code == identity::Errc::FaceUnavailable ? E::FaceUnavailable : E::FaceRejected);
    }
    if (!decision->match) {
        say(decision->reason.empty() ? "顔認証で本人と確認できませんでした" : decision->reason);
        return fire(E::FaceRejected, {}, {{"score", std::to_string(decision->score)}});
    }
    model::Evidence e = newEvidence(model::EvidenceMethod::FaceMatch);
    e.face = model::FaceMatchResult{decision->score, decision->threshold, decision->modelId};
    m_identity = std::move(e);
    return fire(E::FaceMatched, {}, {{"model_id", decision->modelId}});
}

Expected<void, Error> VisitRun::checkVisual()
{
    const VisitFacts& facts = m_machine.facts();
    model::VisualReason suggested = model::VisualReason::CannotEnterPin;
    if (facts.faceAuthOnly) {
        suggested = model::VisualReason::FaceAuthOnlyCard;
    } else if (facts.pinBlocked) {
        suggested = model::VisualReason::PinBlocked;
    } else if (device::isLastPinTry(facts.triesLeft)) {
        suggested = model::VisualReason::PinLastTry;
    }
    VisualPrompt prompt{identity::visualStatement(m_settings.language), {}, suggested};
    for (const auto& entry : base::CodeTable<model::VisualReason>::entries) {
        prompt.reasons.push_back(entry.value);
    }
    const VisualAnswer answer = ask([&] { return m_op.attestVisual(prompt); });
    switch (answer.kind) {
    case VisualAnswer::Kind::Back:
        return fire(E::BackToMethods);
    case VisualAnswer::Kind::Mismatch:
        m_session.drop();
        m_fallbackReason = "目視確認でカードの顔写真と一致しない";
        return fire(E::VisualMismatch);
    case VisualAnswer::Kind::Attested:
        break;
    }
    auto attestation = identity::attestation(answer.staffId.empty() ? m_request.staffId : answer.staffId, answer.reason,
                                             m_settings.language);
    if (!attestation) {
        say(attestation.error().message);
        return {};
    }
    model::Evidence e = newEvidence(model::EvidenceMethod::Visual);
    e.visual = *attestation;
    e.triesLeftBefore = m_out.triesLeftBefore;
    e.triesLeftAfter = m_out.triesLeftAfter;
    m_identity = std::move(e);
    return fire(E::VisualAttested, {}, {{"reason", std::string(base::toCode(answer.reason))}});
}

Expected<void, Error> VisitRun::takeConsent()
{
    m_session.drop(); // identity is established: no verified PIN state outlives this step
    const consent::ConsentOffer offer = consent::consentOffer(
        {m_context.patient.birthdate, today(), m_out.certificate == rules::CertificateState::Grace});
    const ConsentPrompt prompt{offer, m_settings.language, m_services.consents.currentVersion()};
    const ConsentAnswer answer = ask([&] { return m_op.chooseConsent(prompt); });
    if (!answer.selection) {
        return abort("the operator ended the visit at the consent");
    }
    consent::ConsentContext context{m_request.patientId, m_settings.language, now(),
                                    m_context.latest ? m_context.latest->snapshot.id : ""};
    auto records = consent::consentRecords(consent::completeAgainst(*answer.selection, offer), offer,
                                           m_services.consents, context, m_services.random);
    if (!records) {
        say(records.error().message);
        return {}; // ask again
    }
    m_out.consents = std::move(*records);
    const bool medical = std::any_of(m_out.consents.begin(), m_out.consents.end(), [](const model::Consent& c) {
        return c.given && c.kind != model::ConsentKind::ElectronicPrescription;
    });
    if (medical) {
        const bool oushin = m_request.serviceKind == model::ServiceKind::Oushin;
        auto window = rules::medicalInfoWindow(
            {now(), now(), oushin ? rules::VisitKind::Oushin : rules::VisitKind::HoumonContinuing, std::nullopt});
        if (window) {
            m_out.medicalInfoUntil = window->until;
            m_out.medicalInfoWhileContinuing = window->requiresRequeryAllowed;
        }
    }
    std::string kinds;
    for (const auto& c : m_out.consents) {
        kinds += (kinds.empty() ? "" : ",") + std::string(base::toCode(c.kind)) + (c.given ? "+" : "-");
    }
    return fire(E::ConsentRecorded, {}, {{"consents", kinds}, {"text_version", prompt.textVersion}});
}

RevisitPrompt VisitRun::revisitDecision() const
{
    RevisitPrompt prompt;
    prompt.latest = m_context.latest;
    prompt.age = m_out.latestAge;
    const auto& care = m_context.care;
    // Every service kind here is 居宅 (R7.3). Without a first online confirmation there is no date
    // to give: sameProvider=false already forbids it.
    const rules::RequeryInput input{care && care->firstOnlineConfirmAt ? *care->firstOnlineConfirmAt : today(), today(),
                                    care && care->firstOnlineConfirmAt.has_value(),
                                    care && care->continuing && !care->endedAt, rules::CareSetting::Home};
    auto decision = rules::requery(input);
    if (!decision) {
        prompt.reasons.emplace_back("invalid_input");
        prompt.messages.push_back(decision.error().message);
        return prompt;
    }
    prompt.allowed = decision->allowed;
    for (const auto reason : decision->reasons) {
        prompt.reasons.emplace_back(base::toCode(reason));
        prompt.messages.emplace_back(base::labelOf(reason));
    }
    // docs/design/DOMAIN.md F2 guard [I]: a result saying a new qualification exists breaks the relationship.
    if (m_context.latest &&
        m_context.latest->snapshot.qualificationValidity == model::QualificationValidity::InvalidNewQualification) {
        prompt.allowed = false;
        prompt.reasons.emplace_back("new_qualification");
        prompt.messages.emplace_back("新しい資格があります（保険者の変更）。カードで確認してください");
    }
    if (prompt.allowed) {
        prompt.reasons.emplace_back(base::toCode(rules::RequeryReason::Allowed));
        prompt.messages.emplace_back(base::labelOf(rules::RequeryReason::Allowed));
    }
    return prompt;
}

// Seed 004: 「2回目以降の訪問においては…再照会機能を活用した資格確認を行う」. With signal the gateway
// asks OQS now and its answer decides; without, the revisit can only be recorded as pending and
// the gateway asks when the record arrives. The cached result is shown with its age, never counted.
void VisitRun::askGateway(RevisitPrompt& prompt)
{
    prompt.requery = model::RequeryState::Pending;
    if (!prompt.allowed || m_services.requery == nullptr) {
        return;
    }
    say("オンライン資格確認に再照会しています");
    const nanoseconds start = m_services.monotonic.sinceBoot();
    auto answer = m_services.requery->requery(m_request.patientId, m_request.serviceKind, today());
    m_out.operatorTime += m_services.monotonic.sinceBoot() - start; // the network, not this machine
    if (!answer) {
        say("再照会待ち（ゲートウェイにつながりません）");
        prompt.reasons.emplace_back("requery_pending");
        prompt.messages.emplace_back(
            "ゲートウェイにつながらないため、再照会は送信後にゲートウェイが行います（再照会待ち）");
        return;
    }
    if (!answer->allowed) {
        prompt.allowed = false;
        prompt.reasons.push_back(answer->reason.empty() ? std::string("gateway_refused") : answer->reason);
        prompt.messages.push_back(answer->reasonJa.empty() ? std::string("ゲートウェイが再照会を認めませんでした")
                                                           : answer->reasonJa);
        return;
    }
    if (!answer->fresh) {
        prompt.reasons.emplace_back("requery_pending");
        prompt.messages.push_back(answer->reasonJa.empty() ? std::string("再照会の結果を取得できませんでした")
                                                           : answer->reasonJa);
        return;
    }
    prompt.fresh = answer->fresh;
    const auto& s = answer->fresh->snapshot;
    if (!s.isConfirmed()) {
        prompt.allowed = false;
        prompt.reasons.emplace_back("requery_not_confirmed");
        const std::string what =
            s.qualificationValidity ? std::string(base::labelOf(*s.qualificationValidity)) : "結果を確定できません";
        prompt.messages.push_back("再照会で資格が確認できませんでした（" + what +
                                  "）。カードで確認するか代替手段に進んでください");
        return;
    }
    prompt.requery = model::RequeryState::Answered;
    say("再照会の結果が届きました（" + answer->fresh->receivedAt.toString() + "）");
    if (m_context.latest) {
        prompt.changes = rules::eligibilityChanges(m_context.latest->snapshot, s, today());
    }
}

Expected<void, Error> VisitRun::reviewRevisit()
{
    RevisitPrompt prompt = revisitDecision();
    askGateway(prompt);
    m_out.revisit = prompt;
    std::map<std::string, std::string> detail{{"allowed", prompt.allowed ? "true" : "false"}};
    std::string reasons;
    for (const auto& r : prompt.reasons) {
        reasons += (reasons.empty() ? "" : ",") + r;
    }
    detail["reasons"] = reasons;
    if (!prompt.allowed) {
        say("再照会はできません: " + (prompt.messages.empty() ? std::string() : prompt.messages.front()));
    }
    const RevisitDecision decision = ask([&] { return m_op.reviewRevisit(prompt); });
    switch (decision) {
    case RevisitDecision::Abort:
        return abort("the operator ended the visit at the revisit review");
    case RevisitDecision::Fallback:
        m_fallbackReason = prompt.allowed ? "再照会によらない確認" : "再照会できず、カードもない";
        return fire(E::BeginFallback, {}, detail);
    case RevisitDecision::CardPath:
        say("カードをリーダーに置いてください");
        return fire(E::RevisitRefused, {}, detail);
    case RevisitDecision::Confirm:
        break;
    }
    if (!prompt.allowed) {
        say("再照会はできないため、カードで確認します");
        return fire(E::RevisitRefused, {}, detail);
    }
    model::Evidence e = newEvidence(model::EvidenceMethod::Requery);
    m_identity = std::move(e);
    m_out.flow = model::VisitFlow::Revisit;
    m_out.requery = prompt.requery;
    detail["requery"] = std::string(base::toCode(prompt.requery));
    if (prompt.fresh) {
        m_out.latest = prompt.fresh; // the answer for today, not the cache
        m_out.latestAge =
            std::chrono::duration_cast<std::chrono::minutes>(now().utc() - prompt.fresh->receivedAt.utc());
    } else {
        m_out.warnings.emplace_back(
            "再照会待ち: 本日の資格はまだ確認されていません。送信されるとゲートウェイがオンライン資格確認"
            "に再照会し、結果が届きます（表示中の結果は前回のものです）");
    }
    m_out.warnings.insert(m_out.warnings.end(), prompt.changes.begin(), prompt.changes.end());
    return fire(E::RevisitAllowed, {}, detail);
}

// What to ask at the door after a fallback (item 4 of issue 28): the document's ratio, the 申立書's
// rule, the previous confirmation's ratio for 口頭確認, else the age band with the income unknown.
std::string VisitRun::fallbackCopay(model::FallbackKind kind, const nlohmann::json& captured) const
{
    const auto field = [&](const char* key) {
        return captured.contains(key) && captured[key].is_string() ? captured[key].get<std::string>() : std::string();
    };
    if (kind == model::FallbackKind::VerbalRevisit && m_context.latest && m_context.latest->snapshot.isConfirmed()) {
        if (auto copay = rules::eligibilityCopay(m_context.latest->snapshot, today());
            copay && copay->source != rules::CopaySource::AgeRule) {
            return std::to_string(copay->percent / 10) + "割（前回の資格確認結果）";
        }
    }
    const std::string insurer = field("insurer_number").empty() && m_context.latest
                                    ? m_context.latest->snapshot.insurerNumber
                                    : field("insurer_number");
    const bool kouki = rules::isKoukiInsurerNumber(insurer) || field("insurance_type") == "kouki";
    const std::string ratio = field("copay_ratio") == "unknown" ? std::string() : field("copay_ratio");
    return rules::doorCopay(m_context.patient.birthdate, today(), ratio, kind == model::FallbackKind::Moushitatesho,
                            kouki);
}

FallbackSituation VisitRun::fallbackSituation() const
{
    const bool prior = m_context.latest && m_context.latest->snapshot.isConfirmed();
    // A card read at this visit was presented; otherwise staff attest to seeing it on the form.
    const auto presented = m_authCertificate.empty() ? std::nullopt : std::optional(true);
    // 再診 is the patient, not how this visit was started [seed 003: 「過去の受診で請求に必要な資格情報を
    // 把握していれば」]: seen before by this provider (an online confirmation on file, or a care
    // relationship confirmed online), whether the visit began as F1, F2 or F6.
    const bool returning = m_request.flow == model::VisitFlow::Revisit || prior ||
                           (m_context.care && m_context.care->firstOnlineConfirmAt.has_value());
    return FallbackSituation{today(), returning, prior, presented};
}

// A card read at this visit was seen: staff need not tick 「マイナンバーカードを確認した」 again.
std::string withCardSeen(model::FallbackKind kind, const std::string& fieldsJson, const FallbackSituation& situation)
{
    const auto& fields = fallbackForm(kind).fields;
    const bool asksForCard =
        std::any_of(fields.begin(), fields.end(), [](const FormField& f) { return f.key == "card_seen"; });
    nlohmann::json parsed = base::parseJson(fieldsJson);
    if (!asksForCard || situation.cardPresented != true || !parsed.is_object() || parsed.contains("card_seen")) {
        return fieldsJson;
    }
    parsed["card_seen"] = "yes";
    return parsed.dump();
}

Expected<void, Error> VisitRun::recordFallback()
{
    FallbackPrompt prompt;
    prompt.reason = m_fallbackReason;
    const FallbackSituation situation = fallbackSituation();
    for (const auto kind : fallbackLadder()) {
        FallbackOption option{kind, true, "", {}};
        if (auto why = fallbackUnavailable(kind, situation)) {
            option.available = false;
            option.why = *why;
        }
        for (const auto& field : fallbackForm(kind).fields) {
            if (field.required) {
                option.requiredFields.push_back(field.key);
            }
        }
        prompt.ladder.push_back(std::move(option));
    }
    prompt.suggestedFields = rosterSuggestion(m_context.patient);
    if (m_context.latest) {
        prompt.suggestedFields.merge(claimSuggestion(m_context.latest->snapshot));
    }
    prompt.patientBirthdate = m_context.patient.birthdate;
    const FallbackAnswer answer = ask([&] { return m_op.enterFallback(prompt); });
    if (!answer.kind) {
        return abort("the operator ended the visit at the fallback");
    }
    if (auto why = fallbackUnavailable(*answer.kind, situation)) {
        say(*why);
        return {};
    }
    auto fields = checkFallbackFields(*answer.kind, withCardSeen(*answer.kind, answer.fieldsJson, situation));
    if (!fields) {
        say(fields.error().message);
        return {};
    }
    const nlohmann::json captured = base::parseJson(*fields);
    const auto check = rules::checkFallbackDocument(rules::DocumentCheckInput{
        *answer.kind, &captured, today(), m_context.patient.birthdate, situation.cardPresented});
    if (!check.accepted) {
        std::string why;
        for (const auto& reason : check.reasons) {
            why += (why.empty() ? "" : "／") + reason.message;
        }
        say(why); // refused with the reason: staff choose another document or correct the fields
        return {};
    }
    for (const auto& finding : check.notes) {
        m_out.warnings.push_back(finding.message);
    }
    // Not 10割: the patient pays the normal share [seed 003: 「自己負担10割でなく、これまで通りの
    // 自己負担額です」「患者には適切な自己負担分（3割分等）の支払を求めてください」][seed 004].
    m_out.warnings.emplace_back("自己負担は10割ではありません。これまで通りの負担割合（3割等）でお支払いいただきます");
    m_out.doorCopay = fallbackCopay(*answer.kind, captured);
    model::FallbackEvidence f;
    f.id = base::makeUuid(m_services.random);
    f.visitId = m_out.visitId;
    f.kind = *answer.kind;
    f.capturedFieldsJson = std::move(*fields);
    f.staffId = m_request.staffId;
    f.capturedAt = now();
    f.discardAfter = discardAfter(f.kind, today(), m_settings.retention);
    m_fallback = std::move(f);
    m_out.fallback = *answer.kind;
    m_out.flow = model::VisitFlow::Fallback;
    return fire(E::FallbackRecorded, {},
                {{"kind", std::string(base::toCode(*answer.kind))}, {"reason", prompt.reason}});
}

Expected<void, Error> VisitRun::commit()
{
    model::VisitRecord bundle;
    model::Visit& v = bundle.visit;
    v.id = m_out.visitId;
    v.patientId = m_request.patientId;
    v.careRelationshipId = m_context.care ? m_context.care->id : "";
    v.serviceKind = m_request.serviceKind;
    v.flow = m_out.flow;
    v.state = std::string(base::toCode(S::Committed));
    v.scheduledFor = m_request.scheduledFor.value_or(today());
    v.startedAt = m_startedAt;
    v.completedAt = now();
    v.staffId = m_request.staffId;
    v.deviceId = m_settings.deviceId;
    v.qualificationConfirmationDate = today();
    v.assistedBy = m_assistedBy;
    v.snapshotId = m_context.latest ? m_context.latest->snapshot.id : "";
    if (v.flow == model::VisitFlow::Revisit) {
        // Only OQS's answer for today confirms a revisit; pending: the gateway re-queries for this date.
        v.requery = m_out.requery;
        const bool answered = m_out.requery == model::RequeryState::Answered && m_out.latest;
        v.snapshotId = answered ? m_out.latest->snapshot.id : "";
        if (!answered) {
            v.qualificationConfirmationDate.reset();
        }
    }
    if (m_identity) {
        model::Evidence e = *m_identity;
        for (const auto& c : m_out.consents) {
            e.consents.push_back(model::ConsentDigest{c.id, c.kind, c.given, c.textVersion, c.textSha256});
        }
        m_out.method = e.method;
        v.evidenceIds.push_back(e.id);
        bundle.evidence.push_back(std::move(e));
    }
    for (const auto& c : m_out.consents) {
        v.consentIds.push_back(c.id);
    }
    bundle.consents = m_out.consents;
    if (m_fallback) {
        bundle.fallbacks.push_back(*m_fallback);
        m_out.method = model::EvidenceMethod::Fallback;
    }
    bundle.pooledChallengeId = m_pooledChallengeId;
    for (;;) {
        auto receipt = m_services.repository.commit(bundle, m_request.staffId);
        if (receipt) {
            m_out.receipt = *receipt;
            return fire(E::CommitSucceeded, {},
                        {{"evidence", std::to_string(bundle.evidence.size())},
                         {"consents", std::to_string(bundle.consents.size())}});
        }
        if (auto failed = fire(E::CommitFailed, {}, {{"error", receipt.error().message}}); !failed) {
            return failed;
        }
        const bool retry = ask([&] { return m_op.retryCommit(receipt.error()); });
        if (!retry || m_prompts > m_settings.maxPrompts) {
            (void)abort("the record could not be stored: " + receipt.error().message);
            return Unexpected(receipt.error());
        }
    }
}

} // namespace

Expected<VisitOutcome, Error> VisitEngine::run(const VisitRequest& request, OperatorInput& op)
{
    if (request.patientId.empty() || request.staffId.empty()) {
        return Unexpected(Error{Errc::InvalidInput, "a visit needs a patient and the staff member doing it",
                                request.patientId.empty() ? "patient" : "staff"});
    }
    VisitRun run(m_services, m_settings, request, op);
    return run.run();
}

} // namespace zaitaku::visit
