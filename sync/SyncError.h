#pragma once

// Errors of the sync library (encrypted store, protocol, client, gateway, OQS bridge).

#include "base/BaseError.h"
#include "base/CodeTable.h"
#include "base/Error.h"

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
    StoreNotFound,     // no store (or no key file) at the path: run `store init`
    StoreExists,       // init would overwrite an existing store
    StoreReadOnly,     // read-only media or file
    StoreIo,           // any other I/O failure (nothing was committed)
    StoreSchemaTooNew, // written by a newer zaitaku: never downgraded
    StoreConstraint,   // a record broke a rule of the schema (duplicate id, immutable row …)
    InvalidInput,      // a file or argument given to the store is malformed
    SignatureInvalid,  // an archive or record signature does not verify
    NetworkUnreachable,
    Timeout,
    TlsFailure,
    Unauthorized,      // device not enrolled / certificate rejected
    Rejected,          // the gateway refused the record (validation)
    Conflict,          // same idempotency key, different payload
    ProtocolViolation, // malformed JSON/XML or unknown version
    ClockSkew,
    GatewayUnavailable, // 429 or 5xx: try again later (the record stays queued)
    NotEnrolled,        // the tablet has no gateway yet: zaitaku-cli enroll
    XmlMalformed,       // an OQS file that is not well-formed, or breaks the codec's limits
    XmlEncoding,        // bytes that are not the encoding the file declares
    OqsFailed,          // OQS answered SegmentOfResult=9 (or the bridge gave up): ErrorCode/Message kept
};

using Error = BasicError<Errc>;

std::string_view describe(Errc code);

// A base error (a file written or read, a value parsed) as the sync library reports it: a full
// disk stays DiskFull, a missing file StoreNotFound, a read-only medium StoreReadOnly.
Error fromBase(const base::Error& error);

} // namespace zaitaku::sync

namespace zaitaku::base
{
template <> struct CodeTable<sync::Errc>
{
    static constexpr std::string_view name = "sync::Errc";
    static constexpr std::array<CodeEntry<sync::Errc>, 26> entries{{
        {sync::Errc::StoreCorrupted, "store_corrupted", "保存データが破損しています（隔離しました）"},
        {sync::Errc::StoreNotEncrypted, "store_not_encrypted", "保存データが暗号化されていません"},
        {sync::Errc::WrongKey, "wrong_key", "パスフレーズが違います"},
        {sync::Errc::DiskFull, "disk_full", "保存領域が不足しています"},
        {sync::Errc::StoreBusy, "store_busy", "保存データが使用中です"},
        {sync::Errc::StoreNotFound, "store_not_found", "保存データがありません"},
        {sync::Errc::StoreExists, "store_exists", "保存データは既にあります"},
        {sync::Errc::StoreReadOnly, "store_read_only", "保存先に書き込めません（読み取り専用）"},
        {sync::Errc::StoreIo, "store_io", "保存データの読み書きに失敗しました"},
        {sync::Errc::StoreSchemaTooNew, "store_schema_too_new", "新しい版で作成された保存データです"},
        {sync::Errc::StoreConstraint, "store_constraint", "記録が保存規則に反しています"},
        {sync::Errc::InvalidInput, "invalid_input", "入力が正しくありません"},
        {sync::Errc::SignatureInvalid, "signature_invalid", "署名を検証できません"},
        {sync::Errc::NetworkUnreachable, "network_unreachable", "ネットワークに接続できません"},
        {sync::Errc::Timeout, "timeout", "時間切れです"},
        {sync::Errc::TlsFailure, "tls_failure", "安全な接続を確立できません"},
        {sync::Errc::Unauthorized, "unauthorized", "端末が登録されていません"},
        {sync::Errc::Rejected, "rejected", "ゲートウェイが受け付けませんでした"},
        {sync::Errc::Conflict, "conflict", "同じ記録が異なる内容で送信されています"},
        {sync::Errc::ProtocolViolation, "protocol_violation", "通信内容が正しくありません"},
        {sync::Errc::ClockSkew, "clock_skew", "端末の時刻がずれています"},
        {sync::Errc::GatewayUnavailable, "gateway_unavailable", "ゲートウェイが一時的に利用できません"},
        {sync::Errc::NotEnrolled, "not_enrolled", "この端末はゲートウェイに登録されていません"},
        {sync::Errc::XmlMalformed, "xml_malformed", "資格確認のXMLを読み取れません"},
        {sync::Errc::XmlEncoding, "xml_encoding", "資格確認のXMLの文字コードが正しくありません"},
        {sync::Errc::OqsFailed, "oqs_failed", "オンライン資格確認が異常終了しました"},
    }};
};
} // namespace zaitaku::base
