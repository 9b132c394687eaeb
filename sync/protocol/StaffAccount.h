#pragma once

// A staff account as the gateway keeps it and sends it to every tablet (feed item
// "staff_account", docs/PROTOCOL.md): who, in which role, the sign-in verifier, whether active.

#include "base/Expected.h"
#include "sync/SyncError.h"
#include "sync/protocol/StaffCredential.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace zaitaku::sync::protocol
{

struct StaffAccount
{
    std::string staffId;
    std::string name;
    std::string role; // kStaffRoles
    StaffCredential credential;
    bool active = true;
    std::int64_t version = 0; // the gateway's: an older item never overwrites a newer one

    nlohmann::json toJson() const; // the feed item's body (no failure counters)
    static Expected<StaffAccount, Error> fromJson(const nlohmann::json& body);
};

// nurse and physician visit; custodian also handles residents' cards; manager also decides who
// the custodians are. [I: the facility's roles in seed 004's words; the seeds name no codes]
inline const std::vector<std::string> kStaffRoles{"nurse", "physician", "custodian", "manager"};
bool isStaffRole(const std::string& role);
// Staff IDs: what sign-in and the CLIs accept.
bool isStaffId(const std::string& id);

} // namespace zaitaku::sync::protocol
