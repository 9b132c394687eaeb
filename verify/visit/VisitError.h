#pragma once

#include "base/CodeTable.h"
#include "base/Error.h"

#include <array>
#include <string_view>

namespace zaitaku::visit
{

enum class Errc
{
    IllegalTransition,    // the state machine refused an event in this state (a guard held)
    PatientUnknown,       // not on the tablet's roster
    NoReader,             // no card reader on this tablet / none found
    CardNotPresented,     // no card within the wait, and the operator stopped waiting
    DifferentCard,        // another card was presented when the visit resumed
    CertificateUnusable,  // past the grace period: the card cannot confirm eligibility (F6)
    CustodyNotCheckedOut, // the facility holds the card: check it out first (F8)
    MethodUnavailable,    // e.g. face verification not in this build, PIN on a 顔認証 card
    RevisitNotAllowed,
    FallbackNotAvailable, // a ladder step that does not apply here (verbal on a first visit …)
    InvalidInput,         // operator input that does not parse or is incomplete (names the field)
    Aborted,              // the operator ended the visit; nothing was recorded
    RecordFailed,         // the store refused the record or the audit row (disk full, corrupt …)
    CardError,            // a card or reader error the visit could not recover from
    GatewayUnavailable,   // the re-query could not reach the gateway (no signal …): recorded as pending
};

using Error = BasicError<Errc>;

} // namespace zaitaku::visit

namespace zaitaku::base
{
template <> struct CodeTable<visit::Errc>
{
    static constexpr std::string_view name = "visit::Errc";
    static constexpr std::array<CodeEntry<visit::Errc>, 15> entries{{
        {visit::Errc::IllegalTransition, "illegal_transition", "この状態ではその操作はできません"},
        {visit::Errc::PatientUnknown, "patient_unknown", "患者が名簿にありません"},
        {visit::Errc::NoReader, "no_reader", "カードリーダーがありません"},
        {visit::Errc::CardNotPresented, "card_not_presented", "カードが提示されませんでした"},
        {visit::Errc::DifferentCard, "different_card", "最初とは別のカードです"},
        {visit::Errc::CertificateUnusable, "certificate_unusable", "電子証明書が利用できません（代替手段へ）"},
        {visit::Errc::CustodyNotCheckedOut, "custody_not_checked_out",
         "施設で預かり中のカードです（先に持出しを記録してください）"},
        {visit::Errc::MethodUnavailable, "method_unavailable", "その本人確認方法は利用できません"},
        {visit::Errc::RevisitNotAllowed, "revisit_not_allowed", "再照会はできません（初回の確認が必要です）"},
        {visit::Errc::FallbackNotAvailable, "fallback_not_available", "この場面では使えない代替手段です"},
        {visit::Errc::InvalidInput, "invalid_input", "入力が正しくありません"},
        {visit::Errc::Aborted, "aborted", "訪問の確認を中止しました（記録はありません）"},
        {visit::Errc::RecordFailed, "record_failed", "記録できませんでした"},
        {visit::Errc::CardError, "card_error", "カードの読み取りに失敗しました"},
        {visit::Errc::GatewayUnavailable, "gateway_unavailable", "ゲートウェイにつながりません（再照会待ち）"},
    }};
};
} // namespace zaitaku::base
