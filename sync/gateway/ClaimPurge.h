#pragma once

// 申立書 personal data at the gateway. The form promises 「本申立書に記入いただいた情報は、医療機関等の
// 診療報酬請求等に必要範囲でのみ使用し、診療報酬請求等の請求・支払等に係る必要な事務を終えた段階で、
// 速やかに廃棄します」 [seed 003, 別紙様式]. A clerk marks a record's claim settled
// (`zaitaku-gateway claims settle`); once the configured period after that has passed, the record's
// 申立書 fields (name, kana, birthdate, sex, address, residence, phone, employer, who signed, the
// claim numbers and the 摘要 built from them) are replaced by the date they were purged. What stays:
// that a 申立書 was taken, its claim basis (①②③) and the visit it belongs to. The record's
// payload_sha256 keeps naming what the tablet sent, so a resend is still recognised.

#include "base/Timestamp.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::sync::gateway
{

struct PurgedRecord
{
    std::string payload;             // canonical JSON, 申立書 fields replaced
    std::string derived;             // the derived claims without numbers or 摘要
    std::vector<std::string> fields; // the keys removed (for the audit row; never their values)
};

// Whether a record's payload carries a 被保険者資格申立書.
bool holdsMoushitatesho(std::string_view payload);

// Nothing when the payload holds no 申立書 (or is not JSON).
std::optional<PurgedRecord>
purgeMoushitatesho(std::string_view payload, std::string_view derived, const base::Timestamp& at);

} // namespace zaitaku::sync::gateway
