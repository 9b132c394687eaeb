#include "sync/protocol/StaffAccount.h"

#include <algorithm>

namespace zaitaku::sync::protocol
{

bool isStaffRole(const std::string& role)
{
    return std::find(kStaffRoles.begin(), kStaffRoles.end(), role) != kStaffRoles.end();
}

bool isStaffId(const std::string& id)
{
    return id.size() >= 2 && id.size() <= 32 && std::all_of(id.begin(), id.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '_' || c == '-';
           });
}

nlohmann::json StaffAccount::toJson() const
{
    return {{"staff_id", staffId}, {"name", name},       {"role", role},
            {"active", active},    {"version", version}, {"credential", credential.toJson()}};
}

Expected<StaffAccount, Error> StaffAccount::fromJson(const nlohmann::json& body)
{
    const auto bad = [](const char* field) {
        return Unexpected(Error{Errc::ProtocolViolation, std::string("a staff account needs a valid ") + field, field});
    };
    if (!body.is_object()) {
        return bad("body");
    }
    StaffAccount a;
    if (!body.contains("staff_id") || !body["staff_id"].is_string() || !isStaffId(body["staff_id"])) {
        return bad("staff_id");
    }
    a.staffId = body["staff_id"];
    a.name = body.value("name", nlohmann::json("")).is_string() ? body.value("name", std::string()) : std::string();
    if (!body.contains("role") || !body["role"].is_string() || !isStaffRole(body["role"])) {
        return bad("role");
    }
    a.role = body["role"];
    if (!body.contains("active") || !body["active"].is_boolean()) {
        return bad("active");
    }
    a.active = body["active"];
    if (!body.contains("version") || !body["version"].is_number_integer()) {
        return bad("version");
    }
    a.version = body["version"];
    auto credential = StaffCredential::fromJson(body.value("credential", nlohmann::json()));
    if (!credential) {
        return Unexpected(credential.error());
    }
    a.credential = std::move(*credential);
    return a;
}

} // namespace zaitaku::sync::protocol
