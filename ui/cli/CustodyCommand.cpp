#include "ui/cli/CustodyCommand.h"

#include "sync/store/CustodyLedger.h"
#include "ui/cli/CommandOptions.h"
#include "ui/cli/StoreUnlock.h"

#include <nlohmann/json.hpp>
#include <ostream>

namespace zaitaku::cli
{

namespace
{

using nlohmann::json;
namespace store = sync::store;

constexpr const char* kUsage =
    "usage: zaitaku-cli custody <deposit|checkout|return|lost|list|custodians> --db PATH [--passphrase-file FILE]\n"
    "                           [--json]\n"
    "  deposit     --patient ID --facility ID --staff ID --agreement REF --location TEXT [--witness ID]\n"
    "              (REF: the 入所契約 or 預かり証 the custody rests on; TEXT: the locked storage)\n"
    "  checkout    --patient ID --facility ID --staff ID --purpose TEXT [--witness ID]\n"
    "  return      --patient ID --facility ID --staff ID [--witness ID] [--location TEXT]\n"
    "  lost        --patient ID --facility ID --staff ID: records the incident, prints what to do\n"
    "  list        [--max-checkout-hours N]: who holds each card now; overdue check-outs flagged\n"
    "  custodians  [--set ID,ID,…] --staff ID: the staff allowed to handle cards (shown, or replaced:\n"
    "              a manager's decision once the gateway has sent staff accounts)\n"
    "  --staff-secret-file FILE: the staff member's own PIN or passphrase (else asked), once the\n"
    "              gateway has sent staff accounts\n";

const std::set<std::string> kValued{"--db",
                                    "--passphrase-file",
                                    "--device-key",
                                    "--recovery-code-file",
                                    "--patient",
                                    "--facility",
                                    "--staff",
                                    "--witness",
                                    "--purpose",
                                    "--location",
                                    "--max-checkout-hours",
                                    "--agreement",
                                    "--set",
                                    "--staff-secret-file"};

int fail(CliContext& ctx, const CommandOptions& o, const sync::Error& e)
{
    return reportFailure(ctx, o, "custody",
                         failureOf(e, e.code == sync::Errc::InvalidInput ? kExitBadInput : kExitFailure));
}

json eventJson(const model::CustodyEvent& e)
{
    return {{"id", e.id},
            {"patient_id", e.patientId},
            {"facility_id", e.facilityId},
            {"action", base::toCode(e.action)},
            {"label", base::labelOf(e.action)},
            {"staff_id", e.staffId},
            {"witness_id", e.witnessId},
            {"purpose", e.purpose},
            {"at", e.at.toString()},
            {"storage_location", e.storageLocation},
            {"agreement_ref", e.agreementRef}};
}

int record(CliContext& ctx, const CommandOptions& o, model::CustodyAction action)
{
    model::CustodyEvent e;
    e.id = base::makeUuid(randomOf(ctx));
    e.patientId = o.value("patient");
    e.facilityId = o.value("facility");
    e.action = action;
    e.staffId = o.value("staff");
    e.witnessId = o.value("witness");
    e.purpose = o.value("purpose");
    e.at = ctx.clock.nowJst();
    e.storageLocation = o.value("location");
    e.agreementRef = o.value("agreement");
    if (e.patientId.empty() || e.facilityId.empty() || e.staffId.empty()) {
        return fail(ctx, o,
                    sync::Error{sync::Errc::InvalidInput, "--patient, --facility and --staff are required",
                                e.patientId.empty()    ? "patient"
                                : e.facilityId.empty() ? "facility"
                                                       : "staff"});
    }
    auto opened = openStore(ctx, o, o.value("db"));
    if (!opened) {
        return fail(ctx, o, opened.error());
    }
    if (auto signedIn = signInStaff(ctx, o, *opened); !signedIn) {
        return fail(ctx, o, signedIn.error());
    }
    if (auto done = store::CustodyLedger::record(*opened, e, e.staffId); !done) {
        return fail(ctx, o, done.error());
    }
    if (o.has("--json")) {
        json out = eventJson(e);
        if (action == model::CustodyAction::Lost) {
            out["guidance"] = model::kLostCardGuidance;
        }
        ctx.out << out.dump() << "\n";
    } else {
        ctx.out << base::labelOf(action) << " " << e.patientId << " (" << e.staffId << ") " << e.at.toString() << "\n";
        if (action == model::CustodyAction::Lost) {
            ctx.out << model::kLostCardGuidance << "\n";
        }
    }
    return kExitOk;
}

std::vector<std::string> splitIds(const std::string& text)
{
    std::vector<std::string> ids;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t comma = std::min(text.find(',', start), text.size());
        if (comma > start) {
            ids.push_back(text.substr(start, comma - start));
        }
        start = comma + 1;
    }
    return ids;
}

int custodians(CliContext& ctx, const CommandOptions& o)
{
    auto opened = openStore(ctx, o, o.value("db"));
    if (!opened) {
        return fail(ctx, o, opened.error());
    }
    if (o.values.contains("set")) {
        if (o.value("staff").empty()) {
            return fail(ctx, o,
                        sync::Error{sync::Errc::InvalidInput, "--staff (who changes the list) is required", "staff"});
        }
        if (auto signedIn = signInStaff(ctx, o, *opened); !signedIn) {
            return fail(ctx, o, signedIn.error());
        }
        if (auto done = store::CustodyLedger::setCustodians(*opened, splitIds(o.value("set")), o.value("staff"));
            !done) {
            return fail(ctx, o, done.error());
        }
    }
    auto list = store::CustodyLedger::custodians(opened->db());
    if (!list) {
        return fail(ctx, o, list.error());
    }
    if (o.has("--json")) {
        ctx.out << json{{"custodians", *list}}.dump() << "\n";
    } else if (list->empty()) {
        ctx.out
            << "カード管理者は未設定です（誰でも扱えます） no custodian list: every staff member may handle cards\n";
    } else {
        for (const auto& id : *list) {
            ctx.out << id << "\n";
        }
    }
    return kExitOk;
}

int list(CliContext& ctx, const CommandOptions& o)
{
    const int hours = o.value("max-checkout-hours").empty() ? 8 : std::atoi(o.value("max-checkout-hours").c_str());
    auto opened = openStore(ctx, o, o.value("db"));
    if (!opened) {
        return fail(ctx, o, opened.error());
    }
    auto current = store::CustodyLedger::current(opened->db(), ctx.clock.nowJst(), std::chrono::hours(hours));
    if (!current) {
        return fail(ctx, o, current.error());
    }
    json cards = json::array();
    for (const auto& s : *current) {
        json c = eventJson(s.last);
        c["holder"] = s.last.action == model::CustodyAction::Checkout ? s.last.staffId : s.last.facilityId;
        c["overdue"] = s.overdue;
        cards.push_back(std::move(c));
    }
    if (o.has("--json")) {
        ctx.out << json{{"cards", cards}}.dump() << "\n";
    } else {
        for (const auto& c : cards) {
            ctx.out << c["patient_id"].get<std::string>() << "  " << c["label"].get<std::string>() << "  "
                    << c["holder"].get<std::string>() << (c["overdue"].get<bool>() ? "  ! 返却期限超過 overdue" : "")
                    << "\n";
        }
    }
    return kExitOk;
}

} // namespace

int runCustody(const Args& args, CliContext& ctx)
{
    auto command = parseSubcommand(args, OptionSpec{{"--json"}, kValued, false}, "custody", kUsage, ctx);
    if (!command.options) {
        return command.exitCode;
    }
    const CommandOptions& o = *command.options;
    if (o.value("db").empty()) {
        ctx.err << "zaitaku-cli custody: --db PATH is required\n";
        return kExitBadInput;
    }
    if (o.sub == "deposit") {
        return record(ctx, o, model::CustodyAction::Deposit);
    }
    if (o.sub == "checkout") {
        return record(ctx, o, model::CustodyAction::Checkout);
    }
    if (o.sub == "return") {
        return record(ctx, o, model::CustodyAction::Return);
    }
    if (o.sub == "lost") {
        return record(ctx, o, model::CustodyAction::Lost);
    }
    if (o.sub == "list") {
        return list(ctx, o);
    }
    if (o.sub == "custodians") {
        return custodians(ctx, o);
    }
    ctx.err << "zaitaku-cli custody: unknown command '" << o.sub << "'\n" << kUsage;
    return kExitBadInput;
}

} // namespace zaitaku::cli
