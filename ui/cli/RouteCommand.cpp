#include "ui/cli/RouteCommand.h"

#include "base/CodeTable.h"
#include "ui/cli/CommandOptions.h"
#include "ui/cli/StoreUnlock.h"
#include "ui/session/RouteView.h"

#include <nlohmann/json.hpp>
#include <ostream>

namespace zaitaku::cli
{

using session::ageLabel;
using session::flagLabel;
using session::loadRoute;
using session::RouteEntry;

namespace
{

constexpr const char* kUsage = "usage: zaitaku-cli route show --db PATH [--passphrase-file FILE] [--json]\n"
                               "  show   today's patients from the tablet's cache (no network): age, service,\n"
                               "         the cached result's age and its pre-check flags\n";

const std::set<std::string> kValued{"--db", "--passphrase-file", "--device-key", "--recovery-code-file"};

nlohmann::json entryJson(const RouteEntry& e)
{
    auto services = nlohmann::json::array();
    for (const auto& c : e.care) {
        services.push_back(base::toCode(c.serviceKind));
    }
    return {{"patient_id", e.patient.id},
            {"name", e.patient.displayName},
            {"age", e.ageYears},
            {"services", services},
            {"result_received_at", e.latest ? nlohmann::json(e.latest->receivedAt.toString()) : nlohmann::json()},
            {"result_age_minutes", e.resultAge ? nlohmann::json(e.resultAge->count()) : nlohmann::json()},
            {"flags", e.flags},
            {"notes", e.notes}};
}

} // namespace

int runRoute(const Args& args, CliContext& ctx)
{
    auto command = parseSubcommand(args, OptionSpec{{"--json"}, kValued, false}, "route", kUsage, ctx);
    if (!command.options) {
        return command.exitCode;
    }
    const CommandOptions& o = *command.options;
    if (o.sub != "show" || o.value("db").empty()) {
        ctx.err << "zaitaku-cli route: " << (o.sub != "show" ? "unknown command '" + o.sub + "'" : "--db is required")
                << "\n"
                << kUsage;
        return kExitBadInput;
    }
    auto store = openStore(ctx, o, o.value("db"));
    auto route = store ? loadRoute(store->db(), ctx.clock.nowJst())
                       : Expected<std::vector<RouteEntry>, sync::Error>(Unexpected(store.error()));
    if (!route) {
        return reportFailure(ctx, o, "route", failureOf(route.error(), kExitFailure));
    }
    if (o.has("--json")) {
        auto patients = nlohmann::json::array();
        for (const auto& e : *route) {
            patients.push_back(entryJson(e));
        }
        ctx.out << nlohmann::json{{"date", ctx.clock.todayJst().toString()}, {"patients", patients}}.dump() << "\n";
        return kExitOk;
    }
    for (const auto& e : *route) {
        ctx.out << e.patient.id << "  " << e.patient.displayName << "（" << e.ageYears << "歳）  "
                << (e.resultAge ? "資格確認 " + ageLabel(*e.resultAge) : std::string("資格確認結果なし")) << "\n";
        for (const auto& flag : e.flags) {
            ctx.out << "    ! " << flagLabel(flag) << " (" << flag << ")\n";
        }
        for (const auto& note : e.notes) {
            ctx.out << "      " << note << "\n";
        }
    }
    return kExitOk;
}

} // namespace zaitaku::cli
