// Properties of the visit state machine under random event sequences, and of the whole engine
// under random operators, cards and pulls on a real store. Invariants:
//   - no identity evidence without an identity step completing (Authenticated);
//   - no PIN attempt at one try left without a staff override, none on a blocked or 顔認証 card;
//   - every committed visit has exactly one outbox row; nothing at all for an aborted one;
//   - a challenge is never used twice.

#include "device/mynacard/Certificate.h"
#include "support/VisitFixture.h"
#include "sync/sql/AuditLog.h"
#include "sync/sql/Transaction.h"
#include "sync/store/ChallengePool.h"
#include "verify/visit/VisitMachine.h"

#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

namespace zaitaku::testing
{
namespace
{

using nlohmann::json;
using visit::EventData;
using visit::VisitEvent;
using visit::VisitMachine;
using visit::VisitState;

constexpr int kEventCount = 26;

TEST(VisitMachineProperty, RandomEventSequencesKeepTheInvariants)
{
    std::mt19937_64 rng(20261121);
    std::set<std::pair<VisitState, VisitEvent>> rowsHit;
    int accepted = 0;
    for (int run = 0; run < 20000; ++run) {
        VisitMachine m;
        bool identityStep = false;
        bool pinOutstanding = false;
        int commits = 0;
        for (int step = 0; step < 40; ++step) {
            const auto event = static_cast<VisitEvent>(rng() % kEventCount);
            EventData data;
            if (rng() % 2) {
                data.card = visit::CardFacts{rng() % 4 == 0, rng() % 5 == 0, static_cast<int>(rng() % 4)};
            }
            if (rng() % 2) {
                data.triesLeft = static_cast<int>(rng() % 4);
            }
            if (rng() % 3 == 0) {
                data.lastTryOverrideBy = "staff";
            }
            data.faceAvailable = rng() % 2;
            const VisitState before = m.state();
            const visit::VisitFacts facts = m.facts();
            auto t = m.apply(event, data);
            if (!t) {
                EXPECT_EQ(m.state(), before); // a refusal changes nothing
                continue;
            }
            ++accepted;
            rowsHit.insert({before, event});
            EXPECT_FALSE(visit::isTerminal(before)) << "a terminal state accepted an event";
            switch (event) {
            case VisitEvent::PinSubmitted:
                EXPECT_FALSE(facts.faceAuthOnly);
                EXPECT_FALSE(facts.pinBlocked);
                EXPECT_TRUE(facts.triesLeft > 1 || !facts.lastTryOverrideBy.empty())
                    << "a PIN attempt at one try left without an override";
                EXPECT_FALSE(pinOutstanding);
                pinOutstanding = true;
                break;
            case VisitEvent::PinAccepted:
                EXPECT_TRUE(pinOutstanding) << "PIN accepted without a VERIFY";
                identityStep = true;
                pinOutstanding = false;
                break;
            case VisitEvent::PinRejected:
                EXPECT_TRUE(pinOutstanding);
                pinOutstanding = false;
                break;
            case VisitEvent::FaceMatched:
            case VisitEvent::VisualAttested:
                identityStep = true;
                break;
            case VisitEvent::CommitSucceeded:
                ++commits;
                break;
            default:
                if (m.state() != VisitState::PinEntry) {
                    pinOutstanding = false;
                }
                break;
            }
            if (m.state() == VisitState::Authenticated) {
                EXPECT_TRUE(identityStep) << "authenticated without an identity step";
            }
            EXPECT_LE(commits, 1);
        }
    }
    EXPECT_GT(accepted, 20000);
    // Every row of the table was exercised (plus Abort from the non-terminal states).
    for (const auto& row : visit::transitionTable()) {
        EXPECT_TRUE(rowsHit.count({row.from, row.event})) << base::toCode(row.from) << " + " << base::toCode(row.event);
    }
}

TEST(VisitMachine, AVerifyThatWasNeverSentDoesNotBlockTheNextOne)
{
    for (const VisitEvent unsent : {VisitEvent::BackToMethods, VisitEvent::PinLastTryRefused}) {
        VisitMachine m;
        EventData card;
        card.card = visit::CardFacts{false, false, 3};
        ASSERT_TRUE(m.apply(VisitEvent::BeginFirstVisit));
        ASSERT_TRUE(m.apply(VisitEvent::CardPresented, card));
        ASSERT_TRUE(m.apply(VisitEvent::ChoosePin));
        ASSERT_TRUE(m.apply(VisitEvent::PinSubmitted));
        EventData tries;
        tries.triesLeft = 3;
        ASSERT_TRUE(m.apply(unsent, tries)) << base::toCode(unsent);
        EXPECT_FALSE(m.facts().pinPending);
        EventData overrideData;
        overrideData.lastTryOverrideBy = "dr-1";
        ASSERT_TRUE(m.apply(VisitEvent::ChoosePin, overrideData));
        EXPECT_TRUE(m.apply(VisitEvent::PinSubmitted)) << "after " << base::toCode(unsent);
    }
}

// An operator who does anything the screens allow, at random.
class RandomOperator final : public visit::OperatorInput
{
public:
    explicit RandomOperator(std::uint64_t seed)
        : m_rng(seed)
    {}
    void progress(const visit::VisitProgress&) override {}
    visit::CardDecision cardMissing(const visit::CardPrompt&) override
    {
        return pick({visit::CardDecision::Wait, visit::CardDecision::Wait, visit::CardDecision::Fallback,
                     visit::CardDecision::Abort});
    }
    visit::MethodDecision chooseMethod(const visit::MethodPrompt&) override
    {
        visit::MethodDecision d;
        d.kind = pick({visit::MethodDecision::Kind::Method, visit::MethodDecision::Kind::Method,
                       visit::MethodDecision::Kind::Method, visit::MethodDecision::Kind::Fallback,
                       visit::MethodDecision::Kind::Abort});
        d.method = pick({model::ConfirmMethod::Pin, model::ConfirmMethod::Pin, model::ConfirmMethod::Face,
                         model::ConfirmMethod::Visual});
        if (m_rng() % 4 == 0) {
            d.lastTryOverrideBy = "dr-override";
        }
        return d;
    }
    visit::PinAnswer enterPin(const visit::PinPrompt&) override
    {
        if (m_rng() % 6 == 0) {
            return {};
        }
        return {pin(pick<std::string>({"1234", "1234", "0000", "5678", "9999", "4321"}))};
    }
    visit::CodeBAnswer enterCodeB(const visit::CodeBPrompt&) override { return {}; }
    visit::VisualAnswer attestVisual(const visit::VisualPrompt& prompt) override
    {
        visit::VisualAnswer a;
        a.kind = pick({visit::VisualAnswer::Kind::Attested, visit::VisualAnswer::Kind::Attested,
                       visit::VisualAnswer::Kind::Mismatch, visit::VisualAnswer::Kind::Back});
        a.reason = prompt.suggested;
        return a;
    }
    visit::ConsentAnswer chooseConsent(const visit::ConsentPrompt&) override
    {
        if (m_rng() % 10 == 0) {
            return {};
        }
        const std::string spec = pick<std::string>({"all", "none", "diag", "diag,pharm,oper", "checkup", "bogus"});
        auto selection = consent::parseSelection(spec, pick<std::string>({"", "electronic", "paper"}));
        return selection ? visit::ConsentAnswer{*selection} : visit::ConsentAnswer{};
    }
    visit::RevisitDecision reviewRevisit(const visit::RevisitPrompt&) override
    {
        return pick({visit::RevisitDecision::Confirm, visit::RevisitDecision::CardPath,
                     visit::RevisitDecision::Fallback, visit::RevisitDecision::Abort});
    }
    visit::FallbackAnswer enterFallback(const visit::FallbackPrompt& prompt) override
    {
        if (m_rng() % 8 == 0) {
            return {};
        }
        const auto kind = visit::fallbackLadder()[m_rng() % visit::fallbackLadder().size()];
        json fields = json::object();
        for (const auto& field : visit::fallbackForm(kind).fields) {
            if (field.required || m_rng() % 2) {
                // The patient's own 生年月日 (a document of someone else is refused: issue 28, item 3).
                fields[field.key] =
                    !field.choices.empty()                                ? field.choices.front()
                    : field.key == "birthdate" && prompt.patientBirthdate ? prompt.patientBirthdate->toString()
                    : field.key == "birthdate" || field.key.find("valid") == 0 || field.key == "signed_on"
                        ? "2026-01-31"
                        : "記入";
            }
        }
        if (m_rng() % 5 == 0 && !fields.empty()) {
            fields.erase(fields.begin()); // sometimes incomplete
        }
        return {kind, fields.dump()};
    }
    bool retryCommit(const visit::Error&) override { return m_rng() % 2; }

private:
    template <typename T> T pick(std::initializer_list<T> options)
    {
        return *(options.begin() + m_rng() % options.size());
    }
    std::mt19937_64 m_rng;
};

class VisitEngineProperty : public VisitTest
{};

TEST_F(VisitEngineProperty, RandomVisitsKeepTheStoreInvariants)
{
    std::mt19937_64 rng(7);
    const std::vector<std::string> personas{"valid", "valid", "one-try-left", "blocked", "face-auth-only"};
    const std::vector<std::string> patients{"p-first", "p-cont", "p-young", "p-kango", "p-ended"};
    std::map<std::string, std::unique_ptr<hardware::VirtualCard>> cards;
    for (const auto& name : personas) {
        cards[name] = test::makeVirtualCard(name);
    }
    // A pool that runs dry halfway.
    std::vector<sync::store::PooledChallenge> pool;
    for (int i = 0; i < 60; ++i) {
        pool.push_back({"pool-" + std::to_string(i), std::vector<std::uint8_t>(32, std::uint8_t(i)), "t",
                        clock.nowJst(), clock.nowJst().plus(std::chrono::hours(48))});
    }
    {
        auto tx = sync::sql::Transaction::begin(store->db(), sync::sql::Durability::Full);
        ASSERT_TRUE(sync::store::ChallengePool::add(store->db(), pool, clock.nowJst()));
        ASSERT_TRUE(tx->commit());
    }
    int committed = 0;
    int aborted = 0;
    int errors = 0;
    for (int i = 0; i < 160; ++i) {
        const std::string& persona = personas[rng() % personas.size()];
        reader.insert(cards[persona].get());
        reader.reinsertOnWait(rng() % 2);
        if (rng() % 3 == 0) {
            reader.pullAfter(static_cast<int>(rng() % 30));
        } else {
            reader.pullAfter(1 << 20);
        }
        RandomOperator op(rng());
        const auto flow = static_cast<model::VisitFlow>(rng() % 3);
        const std::string& patient = patients[rng() % patients.size()];
        auto r = request(patient, flow,
                         patient == "p-young" || patient == "p-kango" ? model::ServiceKind::HoumonKango
                                                                      : model::ServiceKind::HoumonShinryo);
        auto outcome = run(r, op);
        if (!outcome) {
            ++errors;
            EXPECT_NE(outcome.error().code, visit::Errc::IllegalTransition) << outcome.error().message;
            continue;
        }
        (outcome->state == VisitState::Committed ? committed : aborted)++;
        // Reset the cards that the random operator locked, so later visits have PIN paths too.
        if (rng() % 4 == 0) {
            cards[persona] = test::makeVirtualCard(persona);
        }
    }
    EXPECT_GT(committed, 20);
    EXPECT_GT(aborted, 5);
    std::cout << "random visits: " << committed << " committed, " << aborted << " aborted, " << errors << " errors\n";

    // Every committed visit has exactly one outbox row, keyed by the visit id.
    EXPECT_EQ(count("visit"), committed);
    auto n = store->db().queryInt("SELECT count(*) FROM visit v WHERE (SELECT count(*) FROM outbox o WHERE "
                                  "o.idem_key = v.id AND o.kind = 'visit') <> 1");
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0);
    EXPECT_EQ(count("outbox"), committed); // custody/consent revocations are not part of this run

    // Evidence only where an identity step completed; PIN evidence signed over a never-reused challenge.
    auto evidence = store->db().prepare("SELECT visit_id, method, bundle_json FROM evidence");
    ASSERT_TRUE(evidence);
    std::set<std::string> challenges;
    while (*evidence->step()) {
        const std::string visitId = evidence->text(0);
        const std::string method = evidence->text(1);
        const json bundle = json::parse(evidence->text(2));
        if (method != "requery") {
            auto authenticated = store->db().queryInt(
                "SELECT count(*) FROM audit_log WHERE action = 'visit.transition' AND subject = '" + visitId +
                "' AND json_extract(detail, '$.to') = 'authenticated'");
            ASSERT_TRUE(authenticated);
            EXPECT_GE(*authenticated, 1) << method << " evidence without an identity step";
        }
        if (method == "pin_signature") {
            const std::string id = bundle["challenge_id"];
            EXPECT_TRUE(challenges.insert(id).second) << "challenge " << id << " used twice";
            EXPECT_TRUE(
                device::verifySha256Signature(base::fromHex(bundle["auth_certificate_der"].get<std::string>()).value(),
                                              base::fromHex(bundle["challenge_nonce"].get<std::string>()).value(),
                                              base::fromHex(bundle["signature"].get<std::string>()).value())
                    .value_or(false));
        }
    }
    auto reused = store->db().queryInt(
        "SELECT count(*) FROM (SELECT used_by_visit FROM challenge WHERE used_at IS NOT NULL GROUP BY id "
        "HAVING count(DISTINCT used_by_visit) > 1)");
    ASSERT_TRUE(reused);
    EXPECT_EQ(*reused, 0);

    // No PIN attempt at one try left unless the same visit chose the PIN with an override.
    auto attempts = store->db().prepare(
        "SELECT subject, seq FROM audit_log WHERE action = 'visit.transition' AND "
        "json_extract(detail, '$.event') = 'pin_submitted' AND CAST(json_extract(detail, '$.tries_left') AS "
        "INTEGER) <= 1");
    ASSERT_TRUE(attempts);
    while (*attempts->step()) {
        auto overridden =
            store->db().queryInt("SELECT count(*) FROM audit_log WHERE action = 'visit.transition' AND subject = '" +
                                 attempts->text(0) + "' AND seq < " + std::to_string(attempts->integer(1)) +
                                 " AND json_extract(detail, '$.event') = 'choose_pin' AND "
                                 "json_extract(detail, '$.last_try_override_by') IS NOT NULL");
        ASSERT_TRUE(overridden);
        EXPECT_GE(*overridden, 1) << "a PIN attempt at one try left without an override";
    }
    auto verified = sync::sql::AuditLog::verify(store->db());
    ASSERT_TRUE(verified);
    EXPECT_TRUE(verified->ok());
}

} // namespace
} // namespace zaitaku::testing
