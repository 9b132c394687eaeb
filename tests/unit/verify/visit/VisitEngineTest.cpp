// The visit engine end to end on the in-process virtual card and a real encrypted store: each
// persona and each path of F1 (PIN, wrong PIN, last-try refusal, override, blocked, 顔認証 card,
// visual, face unavailable), consent shapes, F2 allowed and refused, every F6 step, custody, pulled
// cards, challenges, privacy. The same engine runs over pcscd in tests/integration/VisitCliTest.

#include "device/mynacard/Certificate.h"
#include "device/mynacard/MynaCard.h"
#include "device/mynacard/VerificationCodeB.h"
#include "hardware/vcard/VirtualCardChannel.h"
#include "support/VisitFixture.h"
#include "sync/protocol/EvidenceSignature.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/Transaction.h"
#include "sync/store/ChallengePool.h"
#include "sync/store/ConsentLedger.h"
#include "sync/store/CustodyLedger.h"
#include "sync/store/SnapshotCache.h"

#include <nlohmann/json.hpp>

namespace zaitaku::testing
{
namespace
{

using model::ConfirmMethod;
using model::EvidenceMethod;
using model::VisitFlow;
using nlohmann::json;
using visit::VisitScript;
using visit::VisitState;

VisitScript pinScript(std::initializer_list<const char*> pins, const char* consent = "all")
{
    VisitScript s;
    for (const char* p : pins) {
        s.pins.push_back(pin(p));
    }
    s.consentSpec = consent;
    return s;
}

VisitScript visualScript(const char* consent = "all")
{
    VisitScript s;
    s.methods = {ConfirmMethod::Visual};
    s.consentSpec = consent;
    return s;
}

// p-cont's eligibility result with this validity and insurer.
auto contSnapshot(const std::string& id, model::QualificationValidity validity, const std::string& insurer)
{
    auto s = confirmedSnapshot(id, "p-cont");
    s.qualificationValidity = validity;
    s.insurerNumber = insurer;
    return s;
}

class VisitEngineTest : public VisitTest
{
protected:
    void cacheSnapshot(const std::string& id,
                       model::QualificationValidity validity,
                       const base::Timestamp& at,
                       const std::string& insurer = "")
    {
        const auto s = contSnapshot(id, validity, insurer);
        auto tx = sync::sql::Transaction::begin(store->db(), sync::sql::Durability::Normal);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(sync::store::SnapshotCache::add(store->db(), s, at));
        ASSERT_TRUE(tx->commit());
    }
    int columns(const std::string& table)
    {
        return static_cast<int>(countWhere("SELECT count(*) FROM pragma_table_info('" + table + "')"));
    }
    json evidenceBundle(const std::string& visitId)
    {
        auto stmt = store->db().prepare("SELECT bundle_json FROM evidence WHERE visit_id = ?1");
        EXPECT_TRUE(stmt);
        stmt->bind(1, visitId);
        auto row = stmt->step();
        EXPECT_TRUE(row && *row) << "no evidence for " << visitId;
        return row && *row ? json::parse(stmt->text(0)) : json::object();
    }
    std::int64_t countWhere(const std::string& sql)
    {
        auto n = store->db().queryInt(sql);
        EXPECT_TRUE(n) << sql;
        return n.value_or(-1);
    }
    // A revisit the engine must refuse for `reason` (the operator ends it there); the outcome for
    // the caller's own checks.
    std::optional<visit::VisitOutcome> refusedRevisit(const std::string& patient, const std::string& reason)
    {
        VisitScript script;
        script.onRevisitRefused = visit::RevisitDecision::Abort;
        visit::ScriptedOperator op(std::move(script));
        auto outcome = run(request(patient, VisitFlow::Revisit), op);
        EXPECT_TRUE(outcome) << outcome.error().message;
        if (!outcome || !outcome->revisit) {
            ADD_FAILURE() << "no revisit decision";
            return std::nullopt;
        }
        EXPECT_FALSE(outcome->revisit->allowed);
        EXPECT_EQ(outcome->revisit->reasons.back(), reason);
        EXPECT_EQ(outcome->state, VisitState::Aborted);
        return *outcome;
    }
    void expectNothingRecorded()
    {
        EXPECT_EQ(count("visit"), 0);
        EXPECT_EQ(count("evidence"), 0);
        EXPECT_EQ(count("consent"), 0);
        EXPECT_EQ(count("outbox"), 0);
    }
    void expectAuditChainOk()
    {
        auto verified = sync::sql::AuditLog::verify(store->db());
        ASSERT_TRUE(verified);
        EXPECT_TRUE(verified->ok());
    }
    int cardTriesLeft()
    {
        hardware::VirtualCardChannel channel(*card);
        device::MynaCard myna(channel);
        return myna.authPinStatus().value().triesLeft;
    }
};

TEST_F(VisitEngineTest, FirstVisitByPinSignsAChallengeAndCommitsOneQueuedRecord)
{
    presentCard("valid");
    visit::ScriptedOperator op(pinScript({"1234"}));
    auto outcome = run(request("p-first"), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->state, VisitState::Committed);
    EXPECT_EQ(outcome->flow, VisitFlow::FirstVisit);
    EXPECT_EQ(outcome->method, EvidenceMethod::PinSignature);
    EXPECT_EQ(outcome->card, model::CardClass::PinCard);
    EXPECT_EQ(outcome->triesLeftBefore, 3);
    EXPECT_EQ(outcome->triesLeftAfter, 3);
    EXPECT_EQ(outcome->challengeOrigin, model::ChallengeOrigin::Local); // the pool is empty
    // The tries were shown before the PIN was asked for.
    ASSERT_EQ(op.pinPrompts().size(), 1u);
    EXPECT_EQ(op.pinPrompts()[0].triesLeft, 3);
    ASSERT_FALSE(op.methodPrompts().empty());
    EXPECT_EQ(op.methodPrompts()[0].triesLeft, 3);

    EXPECT_EQ(count("visit"), 1);
    EXPECT_EQ(count("evidence"), 1);
    EXPECT_EQ(countWhere("SELECT count(*) FROM outbox WHERE kind = 'visit'"), 1);
    ASSERT_EQ(outcome->receipt.evidenceSha256.size(), 1u);
    EXPECT_TRUE(outcome->receipt.queued);

    // The bundle: the card's signature over the challenge verifies against its certificate.
    const json bundle = evidenceBundle(outcome->visitId);
    EXPECT_EQ(bundle["challenge_origin"], "local");
    EXPECT_EQ(bundle["card"], "pin_card");
    EXPECT_EQ(bundle["tries_left_before"], 3);
    EXPECT_EQ(bundle["app_version"], "test");
    EXPECT_EQ(bundle["device_id"], "tablet-1");
    EXPECT_GT(bundle["monotonic_ns"].get<std::int64_t>(), 0);
    const auto cert = base::fromHex(bundle["auth_certificate_der"].get<std::string>()).value();
    const auto nonce = base::fromHex(bundle["challenge_nonce"].get<std::string>()).value();
    const auto signature = base::fromHex(bundle["signature"].get<std::string>()).value();
    EXPECT_EQ(nonce.size(), 32u);
    EXPECT_TRUE(device::verifySha256Signature(cert, nonce, signature).value());
    ASSERT_EQ(bundle["consents"].size(), 4u); // diag, pharm, oper, checkup (the patient is 76)

    // The tablet signed the bundle's hash.
    auto stmt = store->db().prepare("SELECT bundle_sha256, device_signature FROM evidence");
    ASSERT_TRUE(stmt && *stmt->step());
    EXPECT_EQ(stmt->text(0), outcome->receipt.evidenceSha256[0]);
    EXPECT_TRUE(sync::protocol::verifyDeviceSignature(port().signingKey().publicKeyHex(), stmt->text(0),
                                                      base::fromHex(stmt->text(1)).value()));

    // Every transition is in the audit chain.
    EXPECT_EQ(countWhere("SELECT count(*) FROM audit_log WHERE action = 'visit.transition' AND subject = '" +
                         outcome->visitId + "'"),
              static_cast<std::int64_t>(outcome->transitions.size()));
    expectAuditChainOk();
}

TEST_F(VisitEngineTest, WrongPinThenTheRightOne)
{
    presentCard("valid");
    visit::ScriptedOperator op(pinScript({"9999", "1234"}));
    auto outcome = run(request("p-first"), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->method, EvidenceMethod::PinSignature);
    ASSERT_EQ(op.pinPrompts().size(), 2u);
    EXPECT_EQ(op.pinPrompts()[0].triesLeft, 3);
    EXPECT_EQ(op.pinPrompts()[1].triesLeft, 2); // shown again before the second entry
    EXPECT_EQ(outcome->triesLeftBefore, 3);
    EXPECT_EQ(cardTriesLeft(), 3); // the success reset the counter
}

TEST_F(VisitEngineTest, TheSamePinTwiceIsNotSentAndTheNextOneIs)
{
    presentCard("valid");
    visit::ScriptedOperator op(pinScript({"9999", "9999", "1234"}));
    auto outcome = run(request("p-first"), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->method, EvidenceMethod::PinSignature);
    EXPECT_EQ(op.pinPrompts().size(), 3u);
    EXPECT_EQ(op.pinPrompts()[2].triesLeft, 2); // the repeated PIN cost no try
    bool told = false;
    for (const auto& m : op.messages()) {
        told = told || m.message.find("同じ暗証番号") != std::string::npos;
    }
    EXPECT_TRUE(told);
}

TEST_F(VisitEngineTest, TwoWrongPinsLeaveOneTryAndThePinPathCloses)
{
    presentCard("valid");
    VisitScript script = pinScript({"9999", "8888", "1234"});
    script.methods = {ConfirmMethod::Pin, ConfirmMethod::Visual};
    visit::ScriptedOperator op(std::move(script));
    auto outcome = run(request("p-first"), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    // Two wrong entries; the third PIN was never sent: one try is left on the card.
    EXPECT_EQ(op.pinPrompts().size(), 2u);
    EXPECT_EQ(cardTriesLeft(), 1);
    EXPECT_EQ(outcome->method, EvidenceMethod::Visual);
    const json bundle = evidenceBundle(outcome->visitId);
    EXPECT_EQ(bundle["visual"]["reason"], "pin_last_try");
    EXPECT_EQ(bundle["tries_left_after"], 1);
}

TEST_F(VisitEngineTest, OneTryLeftRefusesThePinAndOffersVisualOrFace)
{
    presentCard("one-try-left");
    VisitScript script = pinScript({"1234"});
    script.methods = {ConfirmMethod::Pin, ConfirmMethod::Visual};
    visit::ScriptedOperator op(std::move(script));
    auto outcome = run(request("p-first"), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_FALSE(op.methodPrompts().empty());
    const visit::MethodPrompt& prompt = op.methodPrompts()[0];
    EXPECT_TRUE(prompt.lastTry);
    EXPECT_EQ(prompt.triesLeft, 1);
    EXPECT_FALSE(prompt.options[0].available);
    EXPECT_TRUE(op.pinPrompts().empty());
    EXPECT_EQ(cardTriesLeft(), 1); // no VERIFY sent
    EXPECT_EQ(outcome->method, EvidenceMethod::Visual);
    EXPECT_EQ(evidenceBundle(outcome->visitId)["visual"]["reason"], "pin_last_try");
}

TEST_F(VisitEngineTest, TheLastTryOnlyWithAStaffOverride)
{
    presentCard("one-try-left");
    VisitScript script = pinScript({"1234"});
    script.lastTryOverrideBy = "dr-tanaka";
    visit::ScriptedOperator op(std::move(script));
    auto outcome = run(request("p-first"), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->method, EvidenceMethod::PinSignature);
    EXPECT_EQ(evidenceBundle(outcome->visitId)["last_try_override_by"], "dr-tanaka");
}

TEST_F(VisitEngineTest, ABlockedCardOffersNoPin)
{
    presentCard("blocked");
    VisitScript pinOnly = pinScript({"1234"});
    pinOnly.methods = {ConfirmMethod::Pin};
    visit::ScriptedOperator refuses(std::move(pinOnly));
    auto aborted = run(request("p-first"), refuses);
    ASSERT_TRUE(aborted) << aborted.error().message;
    EXPECT_EQ(aborted->state, VisitState::Aborted);
    EXPECT_NE(refuses.gaveUp().find("ロック"), std::string::npos) << refuses.gaveUp();
    expectNothingRecorded();

    visit::ScriptedOperator visual(visualScript());
    auto outcome = run(request("p-first"), visual);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(evidenceBundle(outcome->visitId)["visual"]["reason"], "pin_blocked");
}

TEST_F(VisitEngineTest, AFaceAuthCardIsNeverOfferedThePin)
{
    presentCard("face-auth-only");
    VisitScript script = pinScript({"1234"});
    script.methods = {ConfirmMethod::Pin, ConfirmMethod::Face, ConfirmMethod::Visual};
    visit::ScriptedOperator op(std::move(script));
    auto outcome = run(request("p-facility"), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->card, model::CardClass::FaceAuthOnly);
    ASSERT_FALSE(op.methodPrompts().empty());
    EXPECT_FALSE(op.methodPrompts()[0].options[0].available);
    EXPECT_FALSE(op.methodPrompts()[0].triesLeft.has_value());
    EXPECT_FALSE(op.methodPrompts()[0].options[1].available); // no face verifier in this build
    EXPECT_TRUE(op.pinPrompts().empty());
    const json bundle = evidenceBundle(outcome->visitId);
    EXPECT_EQ(bundle["card"], "face_auth_only");
    EXPECT_EQ(bundle["visual"]["reason"], "face_auth_only_card");
    EXPECT_EQ(bundle["visual"]["staff_id"], "nurse-7");
    EXPECT_FALSE(bundle["visual"]["statement"].get<std::string>().empty());
}

TEST_F(VisitEngineTest, VisualMismatchGoesToTheFallbackLadder)
{
    presentCard("valid");
    VisitScript script = visualScript();
    script.visualMismatch = true;
    script.fallbackKind = model::FallbackKind::ShikakuKakuninsho;
    script.fallbackFields = R"({"insurer_number":"39131015","insured_number":"10000001","name":"初回 花子",)"
                            R"("birthdate":"1950-03-10","valid_until":"2027-07-31","copay_ratio":"1"})";
    visit::ScriptedOperator op(std::move(script));
    auto outcome = run(request("p-first"), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->flow, VisitFlow::Fallback);
    EXPECT_EQ(outcome->fallback, model::FallbackKind::ShikakuKakuninsho);
    EXPECT_EQ(count("evidence"), 0); // no identity evidence: the person did not match
    EXPECT_EQ(count("fallback_evidence"), 1);
    ASSERT_EQ(op.fallbackPrompts().size(), 1u);
    EXPECT_NE(op.fallbackPrompts()[0].reason.find("目視"), std::string::npos);
}

TEST_F(VisitEngineTest, EveryConsentShape)
{
    struct Case
    {
        const char* patient;
        const char* spec;
        const char* prescription;
        std::vector<std::pair<const char*, bool>> expected;
        const char* textId;
    };
    const std::vector<Case> cases{
        {"p-first", "all", "", {{"diag", true}, {"pharm", true}, {"oper", true}, {"checkup", true}}, "all"},
        {"p-first", "none", "", {{"diag", false}, {"pharm", false}, {"oper", false}, {"checkup", false}}, "diag"},
        {"p-first",
         "diag,pharm",
         "electronic",
         {{"diag", true}, {"pharm", true}, {"oper", false}, {"checkup", false}, {"e_prescription", true}},
         "diag"},
        {"p-young",
         "all",
         "paper",
         {{"diag", true}, {"pharm", true}, {"oper", true}, {"e_prescription", false}},
         "all"},
    };
    const auto& catalog = consent::ConsentCatalog::builtin();
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.patient) + " " + c.spec);
        presentCard("valid");
        VisitScript script = pinScript({"1234"}, c.spec);
        script.prescription = c.prescription;
        visit::ScriptedOperator op(std::move(script));
        auto outcome = run(request(c.patient), op);
        ASSERT_TRUE(outcome) << outcome.error().message;
        ASSERT_EQ(outcome->consents.size(), c.expected.size());
        for (std::size_t i = 0; i < c.expected.size(); ++i) {
            const model::Consent& consent = outcome->consents[i];
            EXPECT_EQ(base::toCode(consent.kind), c.expected[i].first);
            EXPECT_EQ(consent.given, c.expected[i].second);
            auto text = catalog.byVersionId(consent.textVersion);
            ASSERT_TRUE(text) << consent.textVersion;
            EXPECT_EQ(text->sha256, consent.textSha256);
            if (consent.kind != model::ConsentKind::ElectronicPrescription) {
                const std::string shown(textFileName(text->id));
                EXPECT_EQ(shown, std::string(c.textId) == "all" ? "all" : std::string(base::toCode(consent.kind)));
            }
        }
    }
    // A 32-year-old is not asked about 特定健診: naming it is refused and nothing is recorded.
    const auto before = count("visit");
    presentCard("valid");
    visit::ScriptedOperator checkup(pinScript({"1234"}, "checkup"));
    auto refused = run(request("p-young"), checkup);
    ASSERT_TRUE(refused) << refused.error().message;
    EXPECT_EQ(refused->state, VisitState::Aborted);
    EXPECT_NE(checkup.gaveUp().find("40"), std::string::npos) << checkup.gaveUp();
    EXPECT_EQ(count("visit"), before);
}

TEST_F(VisitEngineTest, ConsentRevocationIsARecordOfItsOwn)
{
    presentCard("valid");
    visit::ScriptedOperator op(pinScript({"1234"}, "diag,pharm"));
    auto outcome = run(request("p-first"), op);
    ASSERT_TRUE(outcome);
    auto active = sync::store::ConsentLedger::active(store->db(), "p-first");
    ASSERT_TRUE(active);
    ASSERT_EQ(active->size(), 2u);
    const model::Consent pharm = (*active)[0].kind == model::ConsentKind::Pharmacy ? (*active)[0] : (*active)[1];
    consent::ConsentContext context{"p-first", "ja", clock.nowJst(), ""};
    auto revocation = consent::revocationRecord(pharm, consent::ConsentCatalog::builtin(), context, random);
    ASSERT_TRUE(revocation);
    ASSERT_TRUE(sync::store::ConsentLedger::revoke(*store, *revocation, "nurse-7"));
    active = sync::store::ConsentLedger::active(store->db(), "p-first");
    ASSERT_EQ(active->size(), 1u);
    EXPECT_EQ((*active)[0].kind, model::ConsentKind::Diagnosis);
    EXPECT_EQ(countWhere("SELECT count(*) FROM outbox WHERE kind = 'consent_revocation'"), 1);
    // Withdrawn once: a second revocation of the same consent is a conflict.
    auto again = consent::revocationRecord(pharm, consent::ConsentCatalog::builtin(), context, random);
    auto twice = sync::store::ConsentLedger::revoke(*store, *again, "nurse-7");
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().code, sync::Errc::Conflict);
}

// Issue 28 (seed 004: 「2回目以降の訪問においては…再照会機能を活用した資格確認を行う」): with no signal the
// revisit is recorded as "re-query pending"; the cached result is shown with its age and is never
// today's confirmation (it used to be recorded as the visit's snapshot, confirmed today).
TEST_F(VisitEngineTest, RevisitWithoutSignalIsPendingAndTheCachedResultIsOnlyShown)
{
    cacheSnapshot("s-cont", model::QualificationValidity::Valid, clock.nowJst().plus(std::chrono::hours(-26)));
    visit::ScriptedOperator op(VisitScript{});
    auto outcome = run(request("p-cont", VisitFlow::Revisit), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->flow, VisitFlow::Revisit);
    EXPECT_EQ(outcome->method, EvidenceMethod::Requery);
    EXPECT_EQ(outcome->requery, model::RequeryState::Pending);
    ASSERT_TRUE(outcome->revisit);
    EXPECT_TRUE(outcome->revisit->allowed);
    ASSERT_TRUE(outcome->latestAge);
    EXPECT_EQ(outcome->latestAge->count(), 26 * 60);
    EXPECT_EQ(reader.connects(), 0); // no card needed
    const bool saysPending = std::any_of(outcome->warnings.begin(), outcome->warnings.end(), [](const std::string& w) {
        return w.find("再照会待ち") != std::string::npos;
    });
    EXPECT_TRUE(saysPending);
    auto stored = sync::store::VisitLedger::find(store->db(), outcome->visitId);
    ASSERT_TRUE(stored && *stored);
    EXPECT_EQ((*stored)->visit.snapshotId, "") << "the cached result is not this visit's confirmation";
    EXPECT_EQ((*stored)->visit.requery, model::RequeryState::Pending);
}

// The gateway's re-query at the door, scripted (the real one is GatewayOqsTest's).
class ScriptedRequery : public visit::RequeryPort
{
public:
    Expected<visit::RequeryAnswer, visit::Error> answer =
        Unexpected(visit::Error{visit::Errc::GatewayUnavailable, "no signal", "requery"});
    int calls = 0;
    std::optional<base::Date> askedFor;

    Expected<visit::RequeryAnswer, visit::Error>
    requery(const std::string&, model::ServiceKind, const base::Date& date) override
    {
        ++calls;
        askedFor = date;
        return answer;
    }
};

visit::RequeryAnswer freshAnswer(const std::string& id,
                                 model::QualificationValidity validity,
                                 const base::Timestamp& at,
                                 const std::string& insurer = "39131015")
{
    auto s = contSnapshot(id, validity, insurer);
    s.qualificationConfirmationDate = at.localDate();
    visit::RequeryAnswer a;
    a.allowed = true;
    a.reason = "continuing_home_care";
    a.fresh = visit::CachedResult{s, at};
    return a;
}

TEST_F(VisitEngineTest, RevisitWithSignalRecordsTodaysReQueryAnswer)
{
    cacheSnapshot("s-cont", model::QualificationValidity::Valid, clock.nowJst().plus(std::chrono::hours(-24 * 14)));
    ScriptedRequery gateway;
    gateway.answer = freshAnswer("s-today", model::QualificationValidity::Valid, clock.nowJst());
    requeryPort = &gateway;
    visit::ScriptedOperator op(VisitScript{});
    auto outcome = run(request("p-cont", VisitFlow::Revisit), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(gateway.calls, 1);
    EXPECT_EQ(gateway.askedFor, clock.nowJst().localDate());
    EXPECT_EQ(outcome->state, VisitState::Committed);
    EXPECT_EQ(outcome->requery, model::RequeryState::Answered);
    ASSERT_TRUE(outcome->latest);
    EXPECT_EQ(outcome->latest->snapshot.id, "s-today") << "the screen shows today's answer, not the cache";
    auto stored = sync::store::VisitLedger::find(store->db(), outcome->visitId);
    ASSERT_TRUE(stored && *stored);
    EXPECT_EQ((*stored)->visit.snapshotId, "s-today");
    EXPECT_EQ((*stored)->visit.requery, model::RequeryState::Answered);
}

TEST_F(VisitEngineTest, ARevisitAnswerThatDoesNotConfirmIsNeverRecordedAsConfirmed)
{
    cacheSnapshot("s-cont", model::QualificationValidity::Valid, clock.nowJst().plus(std::chrono::hours(-48)));
    for (const auto validity : {model::QualificationValidity::Invalid, model::QualificationValidity::NoQualification}) {
        SCOPED_TRACE(std::string(base::toCode(validity)));
        ScriptedRequery gateway;
        gateway.answer = freshAnswer("s-lost", validity, clock.nowJst());
        requeryPort = &gateway;
        const auto outcome = refusedRevisit("p-cont", "requery_not_confirmed");
        ASSERT_TRUE(outcome);
        EXPECT_TRUE(outcome->revisit->fresh) << "the answer is shown";
        expectNothingRecorded();
    }
}

TEST_F(VisitEngineTest, ARevisitAnswerWithAnotherInsurerSaysSo)
{
    cacheSnapshot("s-cont", model::QualificationValidity::Valid, clock.nowJst().plus(std::chrono::hours(-48)),
                  "39131015");
    ScriptedRequery gateway;
    gateway.answer = freshAnswer("s-new-insurer", model::QualificationValidity::Valid, clock.nowJst(), "06139999");
    requeryPort = &gateway;
    visit::ScriptedOperator op(VisitScript{});
    auto outcome = run(request("p-cont", VisitFlow::Revisit), op);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->requery, model::RequeryState::Answered);
    const bool saysChanged = std::any_of(outcome->warnings.begin(), outcome->warnings.end(), [](const std::string& w) {
        return w.find("保険者が変わりました") != std::string::npos && w.find("06139999") != std::string::npos;
    });
    EXPECT_TRUE(saysChanged) << ::testing::PrintToString(outcome->warnings);
}

TEST_F(VisitEngineTest, ARevisitTheGatewayCannotReachIsPendingAndOneTheGatewayRefusesNeedsTheCard)
{
    cacheSnapshot("s-cont", model::QualificationValidity::Valid, clock.nowJst().plus(std::chrono::hours(-48)));
    ScriptedRequery gateway; // no signal
    requeryPort = &gateway;
    visit::ScriptedOperator pendingOp(VisitScript{});
    auto pending = run(request("p-cont", VisitFlow::Revisit), pendingOp);
    ASSERT_TRUE(pending);
    EXPECT_EQ(gateway.calls, 1);
    EXPECT_EQ(pending->state, VisitState::Committed);
    EXPECT_EQ(pending->requery, model::RequeryState::Pending);

    visit::RequeryAnswer refused;
    refused.allowed = false;
    refused.reason = "not_same_provider";
    refused.reasonJa = "同じ医療機関の継続的な訪問ではありません";
    gateway.answer = refused;
    EXPECT_TRUE(refusedRevisit("p-cont", "not_same_provider"));
}

TEST_F(VisitEngineTest, RevisitRefusedSaysWhyAndFallsBackToTheCard)
{
    struct Case
    {
        const char* patient;
        const char* reason;
    };
    for (const auto& c : {Case{"p-first", "not_same_provider"}, Case{"p-ended", "not_continuous"}}) {
        SCOPED_TRACE(c.patient);
        presentCard("valid");
        visit::ScriptedOperator op(pinScript({"1234"}));
        auto outcome = run(request(c.patient, VisitFlow::Revisit), op);
        ASSERT_TRUE(outcome) << outcome.error().message;
        ASSERT_TRUE(outcome->revisit);
        EXPECT_FALSE(outcome->revisit->allowed);
        const auto& reasons = outcome->revisit->reasons;
        EXPECT_NE(std::find(reasons.begin(), reasons.end(), c.reason), reasons.end());
        EXPECT_EQ(outcome->flow, VisitFlow::FirstVisit);
        EXPECT_EQ(outcome->method, EvidenceMethod::PinSignature);
    }
}

TEST_F(VisitEngineTest, ANewQualificationBreaksTheContinuingRelationship)
{
    cacheSnapshot("s-new", model::QualificationValidity::InvalidNewQualification, clock.nowJst());
    EXPECT_TRUE(refusedRevisit("p-cont", "new_qualification"));
    expectNothingRecorded();
}

TEST_F(VisitEngineTest, EveryFallbackStep)
{
    const std::string numbers = R"("insurer_number":"39131015","insured_number":"10000001","name":"初回 花子",)"
                                R"("birthdate":"1950-03-10")";
    struct Case
    {
        model::FallbackKind kind;
        std::string fields;
        VisitFlow flow;
        const char* patient;
        bool available;
    };
    const std::vector<Case> cases{
        // Only together with the card [seed 003]: without 「カードを確認した」 the screen is refused.
        {model::FallbackKind::MynaportalScreen, "{" + numbers + "}", VisitFlow::Fallback, "p-first", false},
        {model::FallbackKind::MynaportalScreen, "{" + numbers + R"(,"card_seen":"yes"})", VisitFlow::Fallback,
         "p-first", true},
        {model::FallbackKind::MynaportalPdf, "{" + numbers + R"(,"copay_ratio":"1","card_seen":"yes"})",
         VisitFlow::Fallback, "p-first", true},
        {model::FallbackKind::OshirasePlusCard, "{" + numbers + R"(,"card_seen":"yes"})", VisitFlow::Fallback,
         "p-first", true},
        {model::FallbackKind::ShikakuKakuninsho, "{" + numbers + R"(,"valid_until":"2027-07-31"})", VisitFlow::Fallback,
         "p-first", true},
        {model::FallbackKind::PaperCard, "{" + numbers + R"(,"valid_until":"2025-12-01"})", VisitFlow::Fallback,
         "p-first", false}, // paper cards ended on 2025-12-01 at the latest
        {model::FallbackKind::VerbalRevisit, R"({"patient_confirms_no_change":"yes"})", VisitFlow::Fallback, "p-first",
         false}, // not on a first visit
        {model::FallbackKind::Moushitatesho,
         R"({"has_valid_qualification":"yes","insurance_type":"kouki","name":"初回 花子","name_kana":"ショカイ ハナコ",)"
         R"("birthdate":"1950-03-10","sex":"female","address":"東京都世田谷区1-2-3","signed_on":"2026-11-21",)"
         R"("copay_ratio":"1"})",
         VisitFlow::Fallback, "p-first", true},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(base::toCode(c.kind)));
        const auto before = count("fallback_evidence");
        VisitScript script;
        script.fallbackKind = c.kind;
        script.fallbackFields = c.fields;
        visit::ScriptedOperator op(std::move(script));
        auto r = request(c.patient, c.flow);
        r.fallbackReason = "資格確認端末の障害";
        auto outcome = run(r, op);
        ASSERT_TRUE(outcome) << outcome.error().message;
        EXPECT_EQ(outcome->state, c.available ? VisitState::Committed : VisitState::Aborted) << op.gaveUp();
        EXPECT_EQ(count("fallback_evidence"), before + (c.available ? 1 : 0));
        ASSERT_FALSE(op.fallbackPrompts().empty());
        EXPECT_EQ(op.fallbackPrompts()[0].ladder.size(), 7u);
        if (c.available) { // never 10割: the normal share [seed 003]
            EXPECT_NE(
                std::find_if(outcome->warnings.begin(), outcome->warnings.end(),
                             [](const std::string& w) { return w.find("10割ではありません") != std::string::npos; }),
                outcome->warnings.end());
        }
    }
    // The 申立書 carries the 不詳 claim fields (R4) and is discarded sooner than the rest.
    auto stmt = store->db().prepare(
        "SELECT captured_fields_json, discard_after FROM fallback_evidence WHERE kind = 'moushitatesho'");
    ASSERT_TRUE(stmt && *stmt->step());
    const json fields = json::parse(stmt->text(0));
    EXPECT_EQ(fields["claim"]["order"], 3) << "no current or former numbers: ③ 不詳";
    EXPECT_EQ(fields["fusho_claim"]["insurer_number"], "77777777");
    EXPECT_EQ(fields["fusho_claim"]["insured_number"], "77777777"); // 後期高齢者: 8 digits
    EXPECT_EQ(stmt->text(1), clock.nowJst().localDate().addDays(180).toString());
    // A missing required field is named.
    VisitScript incomplete;
    incomplete.fallbackKind = model::FallbackKind::ShikakuKakuninsho;
    incomplete.fallbackFields = "{" + numbers + "}";
    visit::ScriptedOperator op(std::move(incomplete));
    auto outcome = run(request("p-first", VisitFlow::Fallback), op);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->state, VisitState::Aborted);
    EXPECT_NE(op.gaveUp().find("valid_until"), std::string::npos) << op.gaveUp();
}

TEST_F(VisitEngineTest, ADocumentPastItsDatesIsRefusedWithTheReason)
{
    // 資格確認書 past its 有効期限 (seed 003/004), then one for a 76-year-old that is not 後期高齢者医療.
    const std::string numbers = R"("insured_number":"10000001","name":"初回 花子","birthdate":"1950-03-10")";
    const std::vector<std::pair<std::string, std::string>> cases{
        {R"({"insurer_number":"39131015",)" + numbers + R"(,"valid_until":"2026-07-31"})", "有効期限"},
        {R"({"insurer_number":"06131234",)" + numbers + R"(,"valid_until":"2027-07-31"})", "75歳"},
    };
    for (const auto& [fields, reason] : cases) {
        VisitScript script;
        script.fallbackKind = model::FallbackKind::ShikakuKakuninsho;
        script.fallbackFields = fields;
        visit::ScriptedOperator op(std::move(script));
        auto outcome = run(request("p-first", VisitFlow::Fallback), op);
        ASSERT_TRUE(outcome);
        EXPECT_EQ(outcome->state, VisitState::Aborted);
        EXPECT_NE(op.gaveUp().find(reason), std::string::npos) << op.gaveUp();
    }
    EXPECT_EQ(count("fallback_evidence"), 0);
}

TEST_F(VisitEngineTest, TheClaimNumbersAreTriedInTheSeedsOrder)
{
    // A 資格（無効） result on file: its numbers are suggested as ② former numbers [seed 003].
    auto lost = confirmedSnapshot("s-lost", "p-cont");
    lost.qualificationValidity = model::QualificationValidity::Invalid;
    lost.insurerNumber = "06131234";
    lost.insuredIdentificationNumber = "20000002";
    {
        auto tx = sync::sql::Transaction::begin(store->db(), sync::sql::Durability::Normal);
        ASSERT_TRUE(tx);
        ASSERT_TRUE(sync::store::SnapshotCache::add(store->db(), lost, clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }
    VisitScript script;
    script.fallbackKind = model::FallbackKind::Moushitatesho;
    script.fallbackFields =
        R"({"has_valid_qualification":"yes","insurance_type":"kokuho","name":"継続 太郎","name_kana":"ケイゾク タロウ",)"
        R"("birthdate":"1955-06-15","sex":"male","address":"東京都世田谷区1-2-3","signed_on":"2026-11-21",)"
        R"("copay_ratio":"2","former_insurer_number":"06131234","former_insured_number":"20000002"})";
    visit::ScriptedOperator op(std::move(script));
    auto outcome = run(request("p-cont", VisitFlow::Fallback), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome->state, VisitState::Committed) << op.gaveUp();
    ASSERT_EQ(op.fallbackPrompts().size(), 1u);
    const auto& suggested = op.fallbackPrompts()[0].suggestedFields;
    EXPECT_EQ(suggested.at("former_insurer_number"), "06131234");
    EXPECT_EQ(suggested.at("former_insured_number"), "20000002");
    EXPECT_FALSE(suggested.contains("current_insured_number"));
    const json fields =
        json::parse(store->db().queryText("SELECT captured_fields_json FROM fallback_evidence").value());
    EXPECT_EQ(fields["claim"]["order"], 2);
    EXPECT_EQ(fields["claim"]["basis"], "former");
    EXPECT_EQ(fields["claim"]["insured_number"], "20000002");
    EXPECT_FALSE(fields.contains("fusho_claim")) << "不詳 only when ① and ② have nothing";
}

TEST_F(VisitEngineTest, TheLimitAnswerAndWhoHelpedAreRecorded)
{
    presentCard("valid");
    VisitScript script = pinScript({"1234"}, "none");
    script.limit = "provide";
    visit::ScriptedOperator op(std::move(script));
    auto r = request("p-first");
    r.assistedBy = model::Assistance::Family;
    auto outcome = run(r, op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_EQ(outcome->state, VisitState::Committed) << op.gaveUp();
    EXPECT_EQ(countWhere("SELECT count(*) FROM consent WHERE kind = 'limit' AND given = 1"), 1);
    EXPECT_EQ(store->db().queryText("SELECT assisted_by FROM visit").value_or(""), "family");
    const auto payload = json::parse(store->db().queryText("SELECT payload FROM outbox").value_or("{}"));
    EXPECT_EQ(payload["visit"]["assisted_by"], "family");
}

TEST_F(VisitEngineTest, VerbalConfirmationOnARevisitWithAKnownQualification)
{
    cacheSnapshot("s-cont", model::QualificationValidity::Valid, clock.nowJst());
    VisitScript script;
    script.onRevisitAllowed = visit::RevisitDecision::Fallback;
    script.fallbackKind = model::FallbackKind::VerbalRevisit;
    script.fallbackFields = R"({"patient_confirms_no_change":"yes","confirmed_with":"本人"})";
    visit::ScriptedOperator op(std::move(script));
    auto outcome = run(request("p-cont", VisitFlow::Revisit), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->state, VisitState::Committed) << op.gaveUp();
    EXPECT_EQ(outcome->fallback, model::FallbackKind::VerbalRevisit);
}

// Issue 28, item 8: 口頭確認 for any returning patient whose details are known [seed 003: 「過去の受診で
// 請求に必要な資格情報を把握していれば」], not only when the visit was started as F2.
TEST_F(VisitEngineTest, VerbalConfirmationIsOfferedToAKnownPatientWhateverTheVisitStartedAs)
{
    cacheSnapshot("s-cont", model::QualificationValidity::Valid, clock.nowJst().plus(std::chrono::hours(-24 * 14)));
    VisitScript script;
    script.fallbackKind = model::FallbackKind::VerbalRevisit;
    script.fallbackFields = R"({"patient_confirms_no_change":"yes","confirmed_with":"本人"})";
    visit::ScriptedOperator op(std::move(script));
    auto outcome = run(request("p-cont", VisitFlow::Fallback), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->state, VisitState::Committed) << op.gaveUp();
    EXPECT_EQ(outcome->fallback, model::FallbackKind::VerbalRevisit);
    ASSERT_FALSE(op.fallbackPrompts().empty());
    const auto& ladder = op.fallbackPrompts()[0].ladder;
    const auto verbal = std::find_if(ladder.begin(), ladder.end(), [](const visit::FallbackOption& o) {
        return o.kind == model::FallbackKind::VerbalRevisit;
    });
    ASSERT_NE(verbal, ladder.end());
    EXPECT_TRUE(verbal->available) << verbal->why;
}

// Issue 28, item 4: every fallback outcome says what to ask at the door [seed 003: 「3割負担（未就学児は
// 2割負担。70歳以上等の方は1～3割）により自己負担額を計算」]; with the income unknown an age band is
// named, never a guessed 一般.
TEST_F(VisitEngineTest, EveryFallbackOutcomeSaysTheCopayToAsk)
{
    const auto moushitatesho = [](const char* name, const char* birth, const char* extra) {
        return std::string(R"({"has_valid_qualification":"yes","insurance_type":"kokuho","name":")") + name +
               R"(","name_kana":"テスト","birthdate":")" + birth +
               R"(","sex":"male","address":"東京都世田谷区1-2-3","signed_on":"2026-11-21")" + extra + "}";
    };
    struct Case
    {
        const char* patient;
        model::FallbackKind kind;
        std::string fields;
        const char* copay; // empty: refused
    };
    const std::vector<Case> cases{
        {"p-young", model::FallbackKind::Moushitatesho, moushitatesho("若葉 一郎", "1994-08-01", ""),
         "3割（申立書: 70歳未満）"},
        {"p-cont", model::FallbackKind::Moushitatesho, moushitatesho("継続 太郎", "1955-06-15", ""), ""},
        {"p-cont", model::FallbackKind::Moushitatesho,
         moushitatesho("継続 太郎", "1955-06-15", R"(,"copay_ratio":"unknown")"), "2割または3割（所得区分による）"},
        {"p-cont", model::FallbackKind::Moushitatesho,
         moushitatesho("継続 太郎", "1955-06-15", R"(,"copay_ratio":"3")"), "3割（申立書の記載）"},
        {"p-first", model::FallbackKind::ShikakuKakuninsho,
         R"({"insurer_number":"39131015","insured_number":"10000001","name":"初回 花子","birthdate":"1950-03-10",)"
         R"("valid_until":"2027-07-31"})",
         "1〜3割（所得区分による）"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(std::string(c.patient) + " " + c.fields);
        VisitScript script;
        script.fallbackKind = c.kind;
        script.fallbackFields = c.fields;
        visit::ScriptedOperator op(std::move(script));
        auto outcome = run(request(c.patient, VisitFlow::Fallback), op);
        ASSERT_TRUE(outcome) << outcome.error().message;
        if (std::string(c.copay).empty()) {
            EXPECT_EQ(outcome->state, VisitState::Aborted);
            EXPECT_NE(op.gaveUp().find("一部負担金の割合"), std::string::npos) << op.gaveUp();
            continue;
        }
        ASSERT_EQ(outcome->state, VisitState::Committed) << op.gaveUp();
        EXPECT_EQ(outcome->doorCopay, c.copay);
    }
}

// Issue 28, item 3: a document with another resident's 生年月日 is not filed under this patient.
TEST_F(VisitEngineTest, ADocumentOfAnotherPersonIsNotFiledUnderThisPatient)
{
    VisitScript script;
    script.fallbackKind = model::FallbackKind::ShikakuKakuninsho;
    script.fallbackFields = R"({"insurer_number":"39131015","insured_number":"10000004","name":"施設 梅子",)"
                            R"("birthdate":"1938-11-03","valid_until":"2027-07-31"})";
    visit::ScriptedOperator op(std::move(script));
    auto outcome = run(request("p-first", VisitFlow::Fallback), op);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->state, VisitState::Aborted);
    EXPECT_NE(op.gaveUp().find("本人と一致しない可能性"), std::string::npos) << op.gaveUp();
    EXPECT_NE(op.gaveUp().find("1938-11-03"), std::string::npos);
    EXPECT_NE(op.gaveUp().find("1950-03-10"), std::string::npos);
    EXPECT_EQ(count("fallback_evidence"), 0);
}

// A face verifier that would accept anyone: the test shows the card's 券面 is checked first.
class AcceptingFaceVerifier : public identity::FaceVerifier
{
public:
    int calls = 0;
    bool available() const override { return true; }
    std::string unavailableReason() const override { return {}; }
    Expected<identity::FaceDecision, identity::Error> verify(base::ByteView, std::chrono::milliseconds) override
    {
        ++calls;
        identity::FaceDecision d;
        d.match = true;
        d.score = 0.99;
        d.threshold = 0.9;
        d.modelId = "test";
        return d;
    }
};

// Issue 28, item 3: on the face path the card's 券面 生年月日 (read with 照合番号B) is compared with the
// roster patient before any face is: a card swapped between residents is stopped with both dates.
TEST_F(VisitEngineTest, ACardOfAnotherPersonIsStoppedBeforeTheFaceIsCompared)
{
    const auto persona = hardware::builtinPersona("valid").value(); // born 1980-02-17; p-first 1950-03-10
    presentCard(persona);
    AcceptingFaceVerifier anyone;
    face = &anyone;
    VisitScript script;
    script.methods = {ConfirmMethod::Face};
    script.codeB =
        device::makeVerificationCodeB(persona.birthdate, persona.cardExpiry.year(), persona.securityCode).value();
    visit::ScriptedOperator op(std::move(script));
    auto outcome = run(request("p-first"), op);
    face = &noFace;
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_NE(outcome->state, VisitState::Committed);
    EXPECT_EQ(anyone.calls, 0) << "the face was compared although the card is someone else's";
    bool said = false;
    for (const auto& m : op.messages()) {
        said = said ||
               (m.message.find("本人と一致しない可能性") != std::string::npos &&
                m.message.find("1980-02-17") != std::string::npos && m.message.find("1950-03-10") != std::string::npos);
    }
    EXPECT_TRUE(said);
    expectNothingRecorded();
}

TEST_F(VisitEngineTest, CustodyRoundTripAroundAFacilityVisit)
{
    auto event = [&](model::CustodyAction action, const char* purpose) {
        model::CustodyEvent e;
        e.id = base::makeUuid(random);
        e.patientId = "p-facility";
        e.facilityId = "facility-1";
        e.action = action;
        e.staffId = "carer-3";
        e.purpose = purpose;
        e.at = clock.nowJst();
        e.storageLocation = "金庫A";
        e.agreementRef = action == model::CustodyAction::Deposit ? "入所契約 第12号" : "";
        clock.advance(std::chrono::minutes(1));
        return sync::store::CustodyLedger::record(*store, e, "carer-3");
    };
    ASSERT_TRUE(event(model::CustodyAction::Deposit, ""));
    presentCard("face-auth-only");
    auto r = request("p-facility");
    r.cardHeldByFacility = true;
    visit::ScriptedOperator early(visualScript());
    auto refused = run(r, early);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, visit::Errc::CustodyNotCheckedOut);

    // The ledger itself says the facility holds the card: refused without the caller's flag too
    // (the app starts visits without it) [seed 004].
    visit::ScriptedOperator unflagged(visualScript());
    auto refusedAgain = run(request("p-facility"), unflagged);
    ASSERT_FALSE(refusedAgain);
    EXPECT_EQ(refusedAgain.error().code, visit::Errc::CustodyNotCheckedOut);

    ASSERT_TRUE(event(model::CustodyAction::Checkout, "訪問診療での資格確認"));
    visit::ScriptedOperator op(visualScript());
    auto outcome = run(r, op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->state, VisitState::Committed);
    ASSERT_TRUE(event(model::CustodyAction::Return, ""));
    auto current = sync::store::CustodyLedger::current(store->db(), clock.nowJst(), std::chrono::hours(2));
    ASSERT_TRUE(current);
    ASSERT_EQ(current->size(), 1u);
    EXPECT_EQ((*current)[0].last.action, model::CustodyAction::Return);
    EXPECT_EQ(countWhere("SELECT count(*) FROM outbox WHERE kind = 'custody'"), 3);
}

TEST_F(VisitEngineTest, ACardPulledAtAnyPointResumesOrAbortsCleanly)
{
    // Pull the card after every possible number of APDUs of a PIN visit; with the card put back
    // the visit completes exactly once, without it nothing at all is written.
    for (int pullAfter = 0; pullAfter < 16; ++pullAfter) {
        for (const bool putBack : {true, false}) {
            SCOPED_TRACE("pull after " + std::to_string(pullAfter) + (putBack ? ", put back" : ", gone"));
            const auto visitsBefore = count("visit");
            const auto outboxBefore = count("outbox");
            const auto evidenceBefore = count("evidence");
            presentCard("valid");
            reader.pullAfter(pullAfter);
            reader.reinsertOnWait(putBack);
            VisitScript script = pinScript({"1234", "1234"});
            script.cardWaits = putBack ? 3 : 0;
            visit::ScriptedOperator op(std::move(script));
            auto outcome = run(request("p-first"), op);
            ASSERT_TRUE(outcome) << outcome.error().message;
            if (outcome->state == VisitState::Committed) {
                EXPECT_EQ(count("visit"), visitsBefore + 1);
                EXPECT_EQ(count("outbox"), outboxBefore + 1);
                EXPECT_EQ(count("evidence"), evidenceBefore + 1);
            } else {
                EXPECT_FALSE(putBack) << op.gaveUp();
                EXPECT_EQ(count("visit"), visitsBefore);
                EXPECT_EQ(count("outbox"), outboxBefore);
                EXPECT_EQ(count("evidence"), evidenceBefore);
            }
            reader.pullAfter(1 << 20);
        }
    }
    expectAuditChainOk();
}

TEST_F(VisitEngineTest, AnotherCardOnResumeIsNotTakenForTheFirst)
{
    // How many APDUs reading the card takes: the pull comes right after, in the PIN step.
    presentCard("valid");
    VisitScript readOnly;
    readOnly.methods = {};
    visit::ScriptedOperator counter(std::move(readOnly));
    ASSERT_TRUE(run(request("p-first"), counter));
    const int readApdus = reader.apdus();
    presentCard("valid");
    auto other = test::makeVirtualCard("expiring-cert");
    reader.pullAfter(readApdus + 1);
    reader.swapOnWait(other.get());
    VisitScript script = pinScript({"1234"});
    script.cardWaits = 1;
    visit::ScriptedOperator op(std::move(script));
    auto outcome = run(request("p-first"), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->state, VisitState::Aborted);
    bool warned = false;
    for (const auto& m : op.messages()) {
        warned = warned || m.message.find("別のカード") != std::string::npos;
    }
    EXPECT_TRUE(warned);
    expectNothingRecorded();
}

TEST_F(VisitEngineTest, PooledChallengesAreUsedOnceAndBurnedEvenWhenTheVisitAborts)
{
    std::vector<sync::store::PooledChallenge> batch;
    for (int i = 0; i < 2; ++i) {
        sync::store::PooledChallenge c{"ch-" + std::to_string(i), std::vector<std::uint8_t>(32, std::uint8_t(i + 1)),
                                       "token", clock.nowJst(), clock.nowJst().plus(std::chrono::hours(24 + i))};
        batch.push_back(c);
    }
    {
        auto tx = sync::sql::Transaction::begin(store->db(), sync::sql::Durability::Full);
        ASSERT_TRUE(sync::store::ChallengePool::add(store->db(), batch, clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }
    // Signed with ch-0, then the operator aborts at the consent: ch-0 is gone anyway.
    presentCard("valid");
    VisitScript abortAtConsent = pinScript({"1234"}, "bogus-item");
    visit::ScriptedOperator first(std::move(abortAtConsent));
    auto aborted = run(request("p-first"), first);
    ASSERT_TRUE(aborted);
    EXPECT_EQ(aborted->state, VisitState::Aborted);
    EXPECT_EQ(countWhere("SELECT count(*) FROM challenge WHERE used_at IS NOT NULL"), 1);

    visit::ScriptedOperator second(pinScript({"1234"}));
    auto used = run(request("p-first"), second);
    ASSERT_TRUE(used) << used.error().message;
    EXPECT_EQ(used->challengeOrigin, model::ChallengeOrigin::Pooled);
    EXPECT_EQ(evidenceBundle(used->visitId)["challenge_id"], "ch-1");

    visit::ScriptedOperator third(pinScript({"1234"}));
    auto local = run(request("p-first"), third);
    ASSERT_TRUE(local);
    EXPECT_EQ(local->challengeOrigin, model::ChallengeOrigin::Local);
    EXPECT_EQ(evidenceBundle(local->visitId)["challenge_origin"], "local");
}

TEST_F(VisitEngineTest, ACertificatePastItsGracePeriodSendsTheVisitDownTheLadder)
{
    hardware::Persona persona = hardware::builtinPersona("valid").value();
    persona.certNotBeforeDays = -5 * 365;
    persona.certNotAfterDays = -200;
    presentCard(persona);
    VisitScript script = pinScript({"1234"});
    script.fallbackKind = model::FallbackKind::MynaportalScreen;
    script.fallbackFields = R"({"insurer_number":"39131015","insured_number":"10000001","name":"初回 花子",)"
                            R"("birthdate":"1950-03-10"})";
    visit::ScriptedOperator op(std::move(script));
    auto outcome = run(request("p-first"), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->certificate, rules::CertificateState::Unusable);
    EXPECT_EQ(outcome->flow, VisitFlow::Fallback);
    EXPECT_TRUE(op.pinPrompts().empty());
}

TEST_F(VisitEngineTest, InTheGracePeriodOnlyQualificationIsConfirmed)
{
    presentCard("expired-cert"); // expired 40 days ago: inside the 3-month grace period
    visit::ScriptedOperator op(pinScript({"1234"}, "all"));
    auto outcome = run(request("p-first"), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->certificate, rules::CertificateState::Grace);
    ASSERT_EQ(op.consentPrompts().size(), 1u);
    EXPECT_TRUE(op.consentPrompts()[0].offer.items.empty());
    EXPECT_TRUE(outcome->consents.empty());
    EXPECT_FALSE(outcome->warnings.empty());
}

TEST_F(VisitEngineTest, OushinOpensTheMedicalInformationWindowFor24Hours)
{
    presentCard("valid");
    visit::ScriptedOperator op(pinScript({"1234"}, "diag"));
    auto outcome = run(request("p-oushin", VisitFlow::FirstVisit, model::ServiceKind::Oushin), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    ASSERT_TRUE(outcome->medicalInfoUntil);
    const auto window = outcome->medicalInfoUntil->utc() - clock.now();
    EXPECT_LE(window, std::chrono::hours(24));
    EXPECT_GT(window, std::chrono::hours(24) - std::chrono::seconds(1)); // instants are whole seconds

    presentCard("valid");
    visit::ScriptedOperator nursing(pinScript({"1234"}, "diag"));
    auto continuing = run(request("p-young", VisitFlow::FirstVisit, model::ServiceKind::HoumonKango), nursing);
    ASSERT_TRUE(continuing);
    EXPECT_FALSE(continuing->medicalInfoUntil);
    EXPECT_TRUE(continuing->medicalInfoWhileContinuing);
}

TEST_F(VisitEngineTest, NursingAsksForThePinOnlyOnTheFirstVisit)
{
    // p-kango: first confirmed on 2025-09-01, continuing → re-query, no PIN.
    visit::ScriptedOperator op(pinScript({"1234"}));
    auto outcome = run(request("p-kango", VisitFlow::Revisit, model::ServiceKind::HoumonKango), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    EXPECT_EQ(outcome->method, EvidenceMethod::Requery);
    EXPECT_TRUE(op.pinPrompts().empty());
}

TEST_F(VisitEngineTest, NoPinNoImageAndNoMyNumberAnywhereInTheStore)
{
    hardware::Persona persona = hardware::builtinPersona("valid").value();
    persona.authPin = "8531";
    presentCard(persona);
    visit::ScriptedOperator op(pinScript({"8531"}));
    auto outcome = run(request("p-first"), op);
    ASSERT_TRUE(outcome) << outcome.error().message;
    auto tables = store->db().prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
    ASSERT_TRUE(tables);
    std::vector<std::string> names;
    while (*tables->step()) {
        names.push_back(tables->text(0));
    }
    int cells = 0;
    for (const auto& table : names) {
        auto rows = store->db().prepare("SELECT * FROM " + table);
        ASSERT_TRUE(rows);
        while (*rows->step()) {
            for (int c = 0; c < columns(table); ++c) {
                const std::string text = rows->text(c);
                ++cells;
                EXPECT_NE(text, "8531") << table;
                const json j = json::parse(text, nullptr, false);
                if (j.is_object()) {
                    const json flat = j.flatten();
                    for (const auto& [key, value] : flat.items()) {
                        EXPECT_EQ(key.find("/pin/"), std::string::npos) << table << key;
                        EXPECT_EQ(key.find("my_number"), std::string::npos) << table << key;
                        EXPECT_EQ(key.find("photo"), std::string::npos) << table << key;
                        EXPECT_NE(value, "8531") << table << key;
                    }
                }
            }
        }
    }
    EXPECT_GT(cells, 100);
}

TEST_F(VisitEngineTest, AnUnknownPatientIsAClearErrorAndLeavesNoTrace)
{
    presentCard("valid");
    visit::ScriptedOperator op(pinScript({"1234"}));
    auto outcome = run(request("p-nobody"), op);
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error().code, visit::Errc::PatientUnknown);
    expectNothingRecorded();
}

} // namespace
} // namespace zaitaku::testing
