#pragma once

// The facility's staff accounts as the gateway sends them (feed items "staff_account"), cached in
// the tablet's store so that each person signs in as themselves with no signal (security review
// H3): a PIN or passphrase checked against the gateway's verifier (StaffCredential), with back-off
// after repeated failures, every sign-in and failure audited under the name tried. Roles decide
// what a person may do: only a manager changes who may handle residents' cards.
//
// Until the gateway has sent any account (a new tablet), sign-in is by the store passphrase alone
// and staff IDs are as typed: `any()` tells which regime holds.

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/protocol/StaffAccount.h"
#include "sync/store/Store.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::sync::store
{

class StaffDirectory
{
public:
    // Failures before back-off starts, its first wait and its cap.
    static constexpr int kFreeFailures = 3;
    static constexpr std::chrono::seconds kFirstWait{30};
    static constexpr std::chrono::minutes kMaxWait{15};

    static Expected<void, Error> apply(Store& store, const protocol::StaffAccount& account);
    static Expected<bool, Error> any(Store& store);
    static Expected<std::optional<protocol::StaffAccount>, Error> find(Store& store, const std::string& staffId);
    // The account signed in. Unauthorized, with field "secret" (wrong), "staff_id" (unknown or
    // disabled: the same words, so as not to say which) or "retry_at" (backing off; the message
    // says until when). Never asks again by itself.
    static Expected<protocol::StaffAccount, Error>
    signIn(Store& store, const std::string& staffId, std::string_view secret);
    // Whether `staffId` may act in `role` now: true when no account exists yet (the store
    // passphrase regime), else an active account with that role or, for "custodian", "manager".
    static Expected<bool, Error> hasRole(Store& store, const std::string& staffId, const std::string& role);
};

} // namespace zaitaku::sync::store
