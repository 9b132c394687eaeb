#pragma once

// The visit as an explicit state machine: a transition table (state × event → state) and guards
// over what the visit has learned so far. It does no I/O; the engine performs the card, store and
// operator work and reports what happened as events. Because every path goes through apply(), the
// invariants hold for every caller (CLI, app, tests) and are checked by a property test:
//   - no identity evidence without an identity method completing (Authenticated);
//   - no PIN attempt with one try left unless staff overrode, none on a blocked or 顔認証 card;
//   - PinAccepted only after PinSubmitted; a commit only from Recording, and only once.

#include "base/Expected.h"
#include "verify/visit/VisitError.h"
#include "verify/visit/VisitState.h"

#include <optional>
#include <string>
#include <vector>

namespace zaitaku::visit
{

struct CardFacts
{
    bool faceAuthOnly = false; // no PIN on this card
    bool pinBlocked = false;
    int triesLeft = 0;
};

// What an event carries, where it carries something.
struct EventData
{
    std::optional<CardFacts> card; // CardPresented
    std::optional<int> triesLeft;  // PinRejected, PinLastTryRefused
    std::string lastTryOverrideBy; // ChoosePin at one try left: the staff who allowed it
    bool faceAvailable = false;    // ChooseFace
};

struct VisitFacts
{
    bool faceAuthOnly = false;
    bool pinBlocked = false;
    int triesLeft = 0;
    std::string lastTryOverrideBy;
    bool pinPending = false;
    bool identityEstablished = false;
    int pinAttempts = 0;
    int pinAttemptsWithOneTryLeft = 0; // only ever non-zero with an override
    int commits = 0;
};

struct Transition
{
    VisitState from;
    VisitEvent event;
    VisitState to;
};

class VisitMachine
{
public:
    VisitState state() const { return m_state; }
    const VisitFacts& facts() const { return m_facts; }

    // Moves to the next state, or refuses (Errc::IllegalTransition naming the guard) and stays.
    Expected<Transition, Error> apply(VisitEvent event, const EventData& data = {});

    // Whether `event` would be accepted now (the UI greys out what it cannot do).
    bool allows(VisitEvent event, const EventData& data = {}) const;

private:
    std::optional<std::string> refusal(VisitEvent event, const EventData& data) const;
    void learn(VisitEvent event, const EventData& data, VisitState to);

    VisitState m_state = VisitState::Started;
    VisitFacts m_facts;
};

// The table itself, for documentation and tests (every row is reachable).
struct TableRow
{
    VisitState from;
    VisitEvent event;
    VisitState to;
};
const std::vector<TableRow>& transitionTable();

} // namespace zaitaku::visit
