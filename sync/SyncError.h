#pragma once

// Errors of the sync library (encrypted store, protocol, client, gateway, OQS bridge).

#include "verify/model/CodeTable.h"
#include "verify/model/Error.h"

#include <array>
#include <string_view>

namespace zaitaku::sync
{

enum class Errc
{
    StoreCorrupted,    // quick_check failed: the file is quarantined, never deleted
    StoreNotEncrypted, // cipher_version empty or plaintext header: refuse to write
    WrongKey,
    DiskFull,
    StoreBusy,
    NetworkUnreachable,
    Timeout,
    TlsFailure,
    Unauthorized,      // device not enrolled / certificate rejected
    Rejected,          // the gateway refused the record (validation)
    Conflict,          // same idempotency key, different payload
    ProtocolViolation, // malformed JSON/XML or unknown version
    ClockSkew,
};

using Error = BasicError<Errc>;

std::string_view describe(Errc code);

} // namespace zaitaku::sync

namespace zaitaku::model
{
template <> struct CodeTable<sync::Errc>
{
    static constexpr std::string_view name = "sync::Errc";
    static constexpr std::array<CodeEntry<sync::Errc>, 13> entries{{
        {sync::Errc::StoreCorrupted, "store_corrupted", "保存データが破損しています（隔離しました）"},
        {sync::Errc::StoreNotEncrypted, "store_not_encrypted", "保存データが暗号化されていません"},
        {sync::Errc::WrongKey, "wrong_key", "パスフレーズが違います"},
        {sync::Errc::DiskFull, "disk_full", "保存領域が不足しています"},
        {sync::Errc::StoreBusy, "store_busy", "保存データが使用中です"},
        {sync::Errc::NetworkUnreachable, "network_unreachable", "ネットワークに接続できません"},
        {sync::Errc::Timeout, "timeout", "時間切れです"},
        {sync::Errc::TlsFailure, "tls_failure", "安全な接続を確立できません"},
        {sync::Errc::Unauthorized, "unauthorized", "端末が登録されていません"},
        {sync::Errc::Rejected, "rejected", "ゲートウェイが受け付けませんでした"},
        {sync::Errc::Conflict, "conflict", "同じ記録が異なる内容で送信されています"},
        {sync::Errc::ProtocolViolation, "protocol_violation", "通信内容が正しくありません"},
        {sync::Errc::ClockSkew, "clock_skew", "端末の時刻がずれています"},
    }};
};
} // namespace zaitaku::model
