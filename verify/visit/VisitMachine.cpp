#include "verify/visit/VisitMachine.h"

#include "device/mynacard/MynaCard.h"

#include <vector>

namespace zaitaku::visit
{

namespace
{

using S = VisitState;
using E = VisitEvent;

const std::vector<TableRow> kTable{
    {S::Started, E::BeginFirstVisit, S::AwaitingCard},
    {S::Started, E::BeginRevisit, S::RevisitReview},
    {S::Started, E::BeginFallback, S::Fallback},

    {S::AwaitingCard, E::CardPresented, S::CardRead},
    {S::AwaitingCard, E::BeginFallback, S::Fallback}, // no card, card refused, certificate unusable

    {S::CardRead, E::ChoosePin, S::PinEntry},
    {S::CardRead, E::ChooseFace, S::FaceCheck},
    {S::CardRead, E::ChooseVisual, S::VisualCheck},
    {S::CardRead, E::CardRemoved, S::AwaitingCard},
    {S::CardRead, E::BeginFallback, S::Fallback},

    {S::PinEntry, E::PinSubmitted, S::PinEntry},
    {S::PinEntry, E::PinRejected, S::PinEntry},
    {S::PinEntry, E::PinAccepted, S::Authenticated},
    {S::PinEntry, E::PinLastTryRefused, S::CardRead},
    {S::PinEntry, E::PinBlocked, S::CardRead},
    {S::PinEntry, E::BackToMethods, S::CardRead},
    {S::PinEntry, E::CardRemoved, S::AwaitingCard},

    {S::FaceCheck, E::FaceMatched, S::Authenticated},
    {S::FaceCheck, E::FaceRejected, S::CardRead},
    {S::FaceCheck, E::FaceUnavailable, S::CardRead},
    {S::FaceCheck, E::BackToMethods, S::CardRead},
    {S::FaceCheck, E::CardRemoved, S::AwaitingCard},

    {S::VisualCheck, E::VisualAttested, S::Authenticated},
    {S::VisualCheck, E::VisualMismatch, S::Fallback},
    {S::VisualCheck, E::BackToMethods, S::CardRead},

    {S::Authenticated, E::ConsentRecorded, S::Recording},

    {S::RevisitReview, E::RevisitAllowed, S::Recording},
    {S::RevisitReview, E::RevisitRefused, S::AwaitingCard}, // F1 with the card
    {S::RevisitReview, E::BeginFallback, S::Fallback},

    {S::Fallback, E::FallbackRecorded, S::Recording},

    {S::Recording, E::CommitSucceeded, S::Committed},
    {S::Recording, E::CommitFailed, S::Recording}, // the operator may retry; nothing was written
};

std::optional<S> lookup(S from, E event)
{
    if (event == E::Abort) {
        return isTerminal(from) ? std::nullopt : std::optional(S::Aborted);
    }
    for (const auto& row : kTable) {
        if (row.from == from && row.event == event) {
            return row.to;
        }
    }
    return std::nullopt;
}

} // namespace

bool isTerminal(VisitState state)
{
    return state == S::Committed || state == S::Aborted;
}

const std::vector<TableRow>& transitionTable()
{
    return kTable;
}

std::optional<std::string> VisitMachine::refusal(VisitEvent event, const EventData& data) const
{
    const auto pinClosed = [&](const std::string& overrideBy) -> std::optional<std::string> {
        if (m_facts.faceAuthOnly) {
            return "this 顔認証マイナンバーカード has no PIN";
        }
        if (m_facts.pinBlocked) {
            return "the PIN is blocked";
        }
        if (device::isLastPinTry(m_facts.triesLeft) && overrideBy.empty()) {
            return "one PIN try left: not without a staff override";
        }
        return std::nullopt;
    };
    switch (event) {
    case E::CardPresented:
        if (!data.card) {
            return "a card event without the card's facts";
        }
        break;
    case E::ChoosePin:
        return pinClosed(data.lastTryOverrideBy);
    case E::PinSubmitted:
        if (m_facts.pinPending) {
            return "a VERIFY is already outstanding";
        }
        return pinClosed(m_facts.lastTryOverrideBy);
    case E::PinRejected:
    case E::PinAccepted:
        if (!m_facts.pinPending) {
            return "no VERIFY was sent";
        }
        break;
    case E::ChooseFace:
        if (!data.faceAvailable) {
            return "face verification is not available";
        }
        break;
    case E::CommitSucceeded:
        if (m_facts.commits > 0) {
            return "the visit is already committed";
        }
        break;
    default:
        break;
    }
    return std::nullopt;
}

bool VisitMachine::allows(VisitEvent event, const EventData& data) const
{
    return lookup(m_state, event).has_value() && !refusal(event, data);
}

void VisitMachine::learn(VisitEvent event, const EventData& data, VisitState to)
{
    switch (event) {
    case E::CardPresented:
        m_facts.faceAuthOnly = data.card->faceAuthOnly;
        m_facts.pinBlocked = data.card->pinBlocked;
        m_facts.triesLeft = data.card->triesLeft;
        break;
    case E::ChoosePin:
        m_facts.lastTryOverrideBy = data.lastTryOverrideBy;
        break;
    case E::PinSubmitted:
        m_facts.pinPending = true;
        ++m_facts.pinAttempts;
        if (device::isLastPinTry(m_facts.triesLeft)) {
            ++m_facts.pinAttemptsWithOneTryLeft;
        }
        break;
    case E::PinRejected:
        m_facts.pinPending = false;
        m_facts.triesLeft = data.triesLeft.value_or(m_facts.triesLeft - 1);
        m_facts.pinBlocked = m_facts.triesLeft <= 0;
        m_facts.lastTryOverrideBy.clear(); // an override covers one attempt
        break;
    case E::PinAccepted:
        m_facts.pinPending = false;
        break;
    case E::PinLastTryRefused:
        m_facts.pinPending = false; // refused before the card saw it
        m_facts.triesLeft = data.triesLeft.value_or(m_facts.triesLeft);
        break;
    case E::PinBlocked:
        m_facts.pinPending = false;
        m_facts.pinBlocked = true;
        m_facts.triesLeft = 0;
        break;
    case E::BackToMethods: // e.g. the same PIN again: refused by the card client, never sent
    case E::CardRemoved:   // the card's verified state is gone with it
        m_facts.pinPending = false;
        break;
    case E::CommitSucceeded:
        ++m_facts.commits;
        break;
    default:
        break;
    }
    if (to == S::Authenticated) {
        m_facts.identityEstablished = true;
    }
}

Expected<Transition, Error> VisitMachine::apply(VisitEvent event, const EventData& data)
{
    const auto to = lookup(m_state, event);
    if (!to) {
        return Unexpected(Error{Errc::IllegalTransition,
                                "'" + std::string(base::toCode(event)) + "' is not possible in state '" +
                                    std::string(base::toCode(m_state)) + "'",
                                "event"});
    }
    if (auto why = refusal(event, data)) {
        return Unexpected(
            Error{Errc::IllegalTransition, "'" + std::string(base::toCode(event)) + "' refused: " + *why, "event"});
    }
    const Transition t{m_state, event, *to};
    learn(event, data, *to);
    m_state = *to;
    return t;
}

} // namespace zaitaku::visit
