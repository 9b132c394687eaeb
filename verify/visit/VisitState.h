#pragma once

// The visit state machine's vocabulary (docs/design/DOMAIN.md F1, F2, F6): states and the events that move
// between them. The transition table lives in VisitMachine.cpp; the code of each state is what the
// audit log and the visit row record.

#include "base/CodeTable.h"

#include <array>

namespace zaitaku::visit
{

enum class VisitState
{
    Started,
    AwaitingCard,  // F1: place the card on the reader
    CardRead,      // classified; choose how to verify the person
    PinEntry,      // 暗証番号: tries shown before input
    FaceCheck,     // 顔認証: chip photo vs camera
    VisualCheck,   // 目視確認: staff attest
    Authenticated, // identity established: consent next
    RevisitReview, // F2: re-query permission and the cached result
    Fallback,      // F6: the ladder
    Recording,     // the record is assembled and being committed
    Committed,     // visit, evidence, consents and the outbox row are in the store
    Aborted,       // ended without a record
};

enum class VisitEvent
{
    BeginFirstVisit,
    BeginRevisit,
    BeginFallback,
    CardPresented,
    CardRemoved,
    ChoosePin,
    ChooseFace,
    ChooseVisual,
    BackToMethods,
    PinSubmitted,      // a VERIFY is about to be sent (guarded: never at 1 try left without override)
    PinRejected,       // 63Cx
    PinAccepted,       // VERIFY ok and the card signed the challenge
    PinLastTryRefused, // one try left: the PIN path closes
    PinBlocked,
    FaceMatched,
    FaceRejected,
    FaceUnavailable,
    VisualAttested,
    VisualMismatch,
    ConsentRecorded,
    RevisitAllowed,
    RevisitRefused,
    FallbackRecorded,
    CommitSucceeded,
    CommitFailed,
    Abort,
};

bool isTerminal(VisitState state);

} // namespace zaitaku::visit

namespace zaitaku::base
{
template <> struct CodeTable<visit::VisitState>
{
    static constexpr std::string_view name = "VisitState";
    static constexpr std::array<CodeEntry<visit::VisitState>, 12> entries{{
        {visit::VisitState::Started, "started", "開始"},
        {visit::VisitState::AwaitingCard, "awaiting_card", "カード待ち"},
        {visit::VisitState::CardRead, "card_read", "本人確認方法の選択"},
        {visit::VisitState::PinEntry, "pin_entry", "暗証番号入力"},
        {visit::VisitState::FaceCheck, "face_check", "顔認証"},
        {visit::VisitState::VisualCheck, "visual_check", "目視確認"},
        {visit::VisitState::Authenticated, "authenticated", "本人確認済み"},
        {visit::VisitState::RevisitReview, "revisit_review", "再照会の確認"},
        {visit::VisitState::Fallback, "fallback", "代替手段"},
        {visit::VisitState::Recording, "recording", "記録中"},
        {visit::VisitState::Committed, "committed", "記録完了"},
        {visit::VisitState::Aborted, "aborted", "中止"},
    }};
};

template <> struct CodeTable<visit::VisitEvent>
{
    static constexpr std::string_view name = "VisitEvent";
    static constexpr std::array<CodeEntry<visit::VisitEvent>, 26> entries{{
        {visit::VisitEvent::BeginFirstVisit, "begin_first_visit", "初回の確認を開始"},
        {visit::VisitEvent::BeginRevisit, "begin_revisit", "再照会を開始"},
        {visit::VisitEvent::BeginFallback, "begin_fallback", "代替手段へ"},
        {visit::VisitEvent::CardPresented, "card_presented", "カード読取"},
        {visit::VisitEvent::CardRemoved, "card_removed", "カードが離れた"},
        {visit::VisitEvent::ChoosePin, "choose_pin", "暗証番号を選択"},
        {visit::VisitEvent::ChooseFace, "choose_face", "顔認証を選択"},
        {visit::VisitEvent::ChooseVisual, "choose_visual", "目視確認を選択"},
        {visit::VisitEvent::BackToMethods, "back_to_methods", "方法の選択に戻る"},
        {visit::VisitEvent::PinSubmitted, "pin_submitted", "暗証番号を照合"},
        {visit::VisitEvent::PinRejected, "pin_rejected", "暗証番号が違う"},
        {visit::VisitEvent::PinAccepted, "pin_accepted", "暗証番号の照合と署名に成功"},
        {visit::VisitEvent::PinLastTryRefused, "pin_last_try_refused", "残り1回のため暗証番号を使わない"},
        {visit::VisitEvent::PinBlocked, "pin_blocked", "暗証番号がロック"},
        {visit::VisitEvent::FaceMatched, "face_matched", "顔認証で本人と確認"},
        {visit::VisitEvent::FaceRejected, "face_rejected", "顔認証で確認できない"},
        {visit::VisitEvent::FaceUnavailable, "face_unavailable", "顔認証は利用できない"},
        {visit::VisitEvent::VisualAttested, "visual_attested", "目視で本人と確認"},
        {visit::VisitEvent::VisualMismatch, "visual_mismatch", "目視で一致しない"},
        {visit::VisitEvent::ConsentRecorded, "consent_recorded", "同意を取得"},
        {visit::VisitEvent::RevisitAllowed, "revisit_allowed", "再照会が可能"},
        {visit::VisitEvent::RevisitRefused, "revisit_refused", "再照会はできない"},
        {visit::VisitEvent::FallbackRecorded, "fallback_recorded", "代替手段を記録"},
        {visit::VisitEvent::CommitSucceeded, "commit_succeeded", "記録に成功"},
        {visit::VisitEvent::CommitFailed, "commit_failed", "記録に失敗"},
        {visit::VisitEvent::Abort, "abort", "中止"},
    }};
};
} // namespace zaitaku::base
