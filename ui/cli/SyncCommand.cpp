#include "ui/cli/SyncCommand.h"

#include "sync/client/Enrollment.h"
#include "sync/client/SyncEngine.h"
#include "ui/cli/CommandOptions.h"
#include "ui/cli/SecretPrompt.h"
#include "ui/cli/StoreUnlock.h"
#include "ui/session/MedicalInfoReport.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

namespace zaitaku::cli
{

namespace
{

const std::set<std::string> kValued{"--db",           "--passphrase-file",
                                    "--device-key",   "--recovery-code-file",
                                    "--gateway",      "--code",
                                    "--code-file",    "--label",
                                    "--date",         "--patients",
                                    "--timeout-ms",   "--patient",
                                    "--service-kind", "--seq",
                                    "--staff",        "--staff-secret-file"};

// These commands have no sub-command: the parser sees a fixed one.
std::optional<CommandOptions>
parse(const Args& args, const char* command, CliContext& ctx, std::set<std::string> flags = {"--json"})
{
    Args withSub{"run"};
    withSub.insert(withSub.end(), args.begin(), args.end());
    auto o = parseCommandOptions(withSub, OptionSpec{std::move(flags), kValued, false}, command, ctx);
    if (o && !o->help && o->value("db").empty()) {
        ctx.err << "zaitaku-cli " << command << ": --db PATH is required\n";
        return std::nullopt;
    }
    return o;
}

int fail(CliContext& ctx, const CommandOptions& o, const char* command, const sync::Error& e)
{
    const bool badInput = e.code == sync::Errc::InvalidInput;
    return reportFailure(ctx, o, command, failureOf(e, badInput ? kExitBadInput : kExitFailure));
}

// --timeout-ms: connect and each read/write (100 ms to 10 min); nullopt when malformed.
std::optional<sync::client::ConnectionTimeouts> timeoutsOf(const CommandOptions& o)
{
    sync::client::ConnectionTimeouts t;
    const std::string text = o.value("timeout-ms");
    if (!text.empty()) {
        long ms = 0;
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
        if (ec != std::errc() || end != text.data() + text.size() || ms < 100 || ms > 600000) {
            return std::nullopt;
        }
        t.connect = std::chrono::milliseconds(ms);
        t.io = std::chrono::milliseconds(ms);
    }
    return t;
}

const sync::Error kBadTimeout{sync::Errc::InvalidInput, "--timeout-ms takes 100 to 600000", "timeout-ms"};

nlohmann::json optional(const std::optional<std::string>& v)
{
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

} // namespace

int runEnroll(const Args& args, CliContext& ctx)
{
    auto o = parse(args, "enroll", ctx);
    if (!o) {
        return kExitBadInput;
    }
    if (o->help || o->value("gateway").empty()) {
        (o->help ? ctx.out : ctx.err) << "usage: zaitaku-cli enroll --gateway https://HOST:PORT [--code-file FILE] "
                                         "--db PATH [--label NAME] [--json]\n"
                                         "  the one-time code is read from FILE, else typed at the prompt\n";
        return o->help ? kExitOk : kExitBadInput;
    }
    if (o->values.contains("code")) {
        return fail(ctx, *o, "enroll",
                    {sync::Errc::InvalidInput, secretOnCommandLine("--code", "--code-file"), "code"});
    }
    const auto timeouts = timeoutsOf(*o);
    if (!timeouts) {
        return fail(ctx, *o, "enroll", kBadTimeout);
    }
    std::string problem;
    auto code = secretFromFileOrPrompt(ctx, o->value("code-file"), "enrollment code: ", problem);
    if (!code) {
        return fail(ctx, *o, "enroll", {sync::Errc::InvalidInput, problem, "code"});
    }
    auto store = openStore(ctx, *o, o->value("db"));
    if (!store) {
        wipe(*code);
        return fail(ctx, *o, "enroll", store.error());
    }
    sync::client::EnrollmentRequest request{o->value("gateway"), *code,
                                            o->value("label").empty() ? "tablet" : o->value("label"), ZAITAKU_VERSION,
                                            *timeouts};
    auto enrolled = sync::client::enroll(*store, request, randomOf(ctx));
    wipe(*code);
    wipe(request.code);
    if (!enrolled) {
        return fail(ctx, *o, "enroll", enrolled.error());
    }
    if (o->has("--json")) {
        ctx.out << nlohmann::json{{"device_id", enrolled->deviceId},
                                  {"ca_fingerprint", enrolled->caFingerprint},
                                  {"epoch", enrolled->epoch},
                                  {"tls", enrolled->tlsVersion}}
                       .dump()
                << "\n";
    } else {
        ctx.out << "enrolled as " << enrolled->deviceId << " (gateway CA " << enrolled->caFingerprint << ", "
                << enrolled->tlsVersion << ")\n";
    }
    return kExitOk;
}

int runSync(const Args& args, CliContext& ctx)
{
    auto o = parse(args, "sync", ctx);
    if (!o) {
        return kExitBadInput;
    }
    if (o->help) {
        ctx.out << "usage: zaitaku-cli sync --db PATH [--json]\n";
        return kExitOk;
    }
    const auto timeouts = timeoutsOf(*o);
    if (!timeouts) {
        return fail(ctx, *o, "sync", kBadTimeout);
    }
    auto store = openStore(ctx, *o, o->value("db"));
    if (!store) {
        return fail(ctx, *o, "sync", store.error());
    }
    sync::client::SyncOptions options;
    options.timeouts = *timeouts;
    sync::client::SyncEngine engine(*store, randomOf(ctx), options);
    auto report = engine.run();
    if (!report) {
        return fail(ctx, *o, "sync", report.error());
    }
    nlohmann::json j{{"stored", report->stored},
                     {"duplicates", report->duplicates},
                     {"dead_lettered", report->deadLettered},
                     {"feed_items", report->feedItems},
                     {"snapshots_applied", report->snapshotsApplied},
                     {"challenges_added", report->challengesAdded},
                     {"requeued_for_new_epoch", report->requeuedForNewEpoch},
                     {"skew_seconds", report->skewSeconds},
                     {"epoch", report->epoch},
                     {"complete", !report->error}};
    if (report->error) {
        j["error"] = report->error->message;
        j["code"] = std::string(base::toCode(report->error->code));
    }
    if (o->has("--json")) {
        ctx.out << j.dump() << "\n";
    } else {
        ctx.out << "sent " << report->stored << " (again: " << report->duplicates << "), refused "
                << report->deadLettered << ", results " << report->snapshotsApplied << ", challenges +"
                << report->challengesAdded << ", clock skew " << report->skewSeconds << " s\n";
        if (report->error) {
            ctx.err << "zaitaku-cli sync: stopped early, the rest stays queued: " << report->error->message << "\n";
        }
    }
    // A run cut short by the network is not a failure of the command: nothing was lost.
    return report->error ? 3 : kExitOk;
}

int runSyncStatus(const Args& args, CliContext& ctx)
{
    auto o = parse(args, "sync-status", ctx);
    if (!o) {
        return kExitBadInput;
    }
    if (o->help) {
        ctx.out << "usage: zaitaku-cli sync-status --db PATH [--json]\n";
        return kExitOk;
    }
    auto store = openStore(ctx, *o, o->value("db"));
    if (!store) {
        return fail(ctx, *o, "sync-status", store.error());
    }
    auto status = sync::client::SyncEngine::status(*store);
    if (!status) {
        return fail(ctx, *o, "sync-status", status.error());
    }
    auto dead = nlohmann::json::array();
    for (const auto& d : status->deadLetters) {
        dead.push_back({{"seq", d.seq}, {"kind", d.kind}, {"record_id", d.recordId}, {"reason", d.reason}});
    }
    nlohmann::json j{
        {"enrolled", status->enrolled},
        {"gateway", status->gateway},
        {"device_id", status->deviceId},
        {"queued", status->queued},
        {"sending", status->sending},
        {"acked", status->acked},
        {"dead_letter", status->deadLetter},
        {"challenges_available", status->challengesAvailable},
        {"last_success", optional(status->lastSuccess)},
        {"skew_seconds", status->skewSeconds ? nlohmann::json(*status->skewSeconds) : nlohmann::json(nullptr)},
        {"last_error", optional(status->lastError)},
        {"dead_letters", dead}};
    if (o->has("--json")) {
        ctx.out << j.dump() << "\n";
    } else {
        ctx.out << "送信待ち " << status->queued << " / 送信中 " << status->sending << " / 送信済み " << status->acked
                << " / 送信不可 " << status->deadLetter << "\n"
                << "last success: " << status->lastSuccess.value_or("never") << "\n";
        for (const auto& d : status->deadLetters) {
            ctx.out << "  dead letter #" << d.seq << " " << d.kind << " " << d.recordId << ": " << d.reason << "\n";
        }
    }
    return kExitOk;
}

int runPrecheck(const Args& args, CliContext& ctx)
{
    auto o = parse(args, "precheck", ctx);
    if (!o) {
        return kExitBadInput;
    }
    if (o->help) {
        ctx.out << "usage: zaitaku-cli precheck --db PATH [--date YYYY-MM-DD] [--patients ID,ID…] [--json]\n";
        return kExitOk;
    }
    base::Date date = ctx.clock.todayJst();
    if (!o->value("date").empty()) {
        auto parsed = base::Date::parse(o->value("date"));
        if (!parsed) {
            return fail(ctx, *o, "precheck", {sync::Errc::InvalidInput, "--date must be YYYY-MM-DD", "date"});
        }
        date = *parsed;
    }
    std::vector<std::string> patients;
    std::istringstream list(o->value("patients"));
    for (std::string id; std::getline(list, id, ',');) {
        if (!id.empty()) {
            patients.push_back(id);
        }
    }
    const auto timeouts = timeoutsOf(*o);
    if (!timeouts) {
        return fail(ctx, *o, "precheck", kBadTimeout);
    }
    auto store = openStore(ctx, *o, o->value("db"));
    if (!store) {
        return fail(ctx, *o, "precheck", store.error());
    }
    sync::client::SyncOptions options;
    options.timeouts = *timeouts;
    sync::client::SyncEngine engine(*store, randomOf(ctx), options);
    auto results = engine.precheck(date, patients);
    if (!results) {
        return fail(ctx, *o, "precheck", results.error());
    }
    auto arr = nlohmann::json::array();
    for (const auto& r : *results) {
        arr.push_back({{"patient_id", r.patientId},
                       {"flags", r.flags},
                       {"received_at", optional(r.receivedAt)},
                       {"cached", r.cached}});
        if (!o->has("--json")) {
            ctx.out << r.patientId << ": " << (r.flags.empty() ? "ok" : nlohmann::json(r.flags).dump()) << "\n";
        }
    }
    if (o->has("--json")) {
        ctx.out << nlohmann::json{{"date", date.toString()}, {"patients", arr}}.dump() << "\n";
    }
    return kExitOk;
}

int runRequery(const Args& args, CliContext& ctx)
{
    auto o = parse(args, "requery", ctx);
    if (!o) {
        return kExitBadInput;
    }
    if (o->help) {
        ctx.out << "usage: zaitaku-cli requery --db PATH --patient ID [--service-kind houmon_shinryo] "
                   "[--date YYYY-MM-DD] [--json]\n";
        return kExitOk;
    }
    base::Date date = ctx.clock.todayJst();
    if (!o->value("date").empty()) {
        auto parsed = base::Date::parse(o->value("date"));
        if (!parsed) {
            return fail(ctx, *o, "requery", {sync::Errc::InvalidInput, "--date must be YYYY-MM-DD", "date"});
        }
        date = *parsed;
    }
    if (o->value("patient").empty()) {
        return fail(ctx, *o, "requery", {sync::Errc::InvalidInput, "--patient ID is required", "patient"});
    }
    const std::string kind = o->value("service-kind").empty() ? "houmon_shinryo" : o->value("service-kind");
    const auto timeouts = timeoutsOf(*o);
    if (!timeouts) {
        return fail(ctx, *o, "requery", kBadTimeout);
    }
    auto store = openStore(ctx, *o, o->value("db"));
    if (!store) {
        return fail(ctx, *o, "requery", store.error());
    }
    sync::client::SyncOptions options;
    options.timeouts = *timeouts;
    sync::client::SyncEngine engine(*store, randomOf(ctx), options);
    auto answer = engine.requery(o->value("patient"), kind, date);
    if (!answer) {
        return fail(ctx, *o, "requery", answer.error());
    }
    if (o->has("--json")) {
        ctx.out << sync::protocol::toJson(*answer).dump(2) << "\n";
    } else {
        ctx.out << (answer->allowed ? "再照会 allowed" : "再照会 not allowed") << " (" << answer->reason
                << "): " << answer->reasonJa << "\n";
        if (answer->cardReadNeeded) {
            ctx.out << "  カードの読み取りが必要です / read the card\n";
        }
        for (const auto& flag : answer->flags) {
            ctx.out << "  flag: " << flag << "\n";
        }
    }
    return answer->allowed && !answer->cardReadNeeded ? kExitOk : kExitFailure;
}

int runMedicalInfo(const Args& args, CliContext& ctx)
{
    auto o = parse(args, "medinfo", ctx, {"--json", "--fetch"});
    if (!o) {
        return kExitBadInput;
    }
    if (o->help) {
        ctx.out
            << "usage: zaitaku-cli medinfo --db PATH --patient ID [--fetch --staff ID [--service-kind K]] [--json]\n"
               "The patient's お薬・健診 (薬剤情報, 特定健診情報) from the tablet's cache, as the app shows it:\n"
               "medications by date and facility, 重複投薬の可能性 and 用量変更, checkups by year with values\n"
               "outside the 保健指導判定値 marked. --fetch first asks the gateway for the staff member (a\n"
               "physician or nurse); a closed window or a withdrawn consent wipes the copy (exit 1 then).\n";
        return kExitOk;
    }
    const std::string patient = o->value("patient");
    if (patient.empty() || (o->has("--fetch") && o->value("staff").empty())) {
        return fail(ctx, *o, "medinfo",
                    {sync::Errc::InvalidInput, "--patient ID is required, and --staff ID with --fetch",
                     patient.empty() ? "patient" : "staff"});
    }
    const auto timeouts = timeoutsOf(*o);
    if (!timeouts) {
        return fail(ctx, *o, "medinfo", kBadTimeout);
    }
    auto store = openStore(ctx, *o, o->value("db"));
    if (!store) {
        return fail(ctx, *o, "medinfo", store.error());
    }
    std::optional<sync::protocol::MedicalInfoAnswer> answer;
    if (o->has("--fetch")) {
        sync::client::SyncOptions options;
        options.timeouts = *timeouts;
        sync::client::SyncEngine engine(*store, randomOf(ctx), options);
        const std::string kind = o->value("service-kind").empty() ? "houmon_shinryo" : o->value("service-kind");
        auto fetched = engine.medicalInfo(patient, kind, o->value("staff"));
        if (!fetched) {
            return fail(ctx, *o, "medinfo", fetched.error());
        }
        answer = std::move(*fetched);
    }
    auto report = session::medicalInfoReport(*store, patient, std::nullopt);
    if (!report) {
        return fail(ctx, *o, "medinfo", report.error());
    }
    if (answer && !answer->allowed) {
        report->reasonJa = answer->reasonJa; // the gateway's reason beats "nothing cached"
    }
    if (o->has("--json")) {
        auto out = session::toJson(*report);
        if (answer) {
            out["gateway"] = {
                {"allowed", answer->allowed}, {"reason", answer->reason}, {"reason_ja", answer->reasonJa}};
        }
        ctx.out << out.dump(2) << "\n";
    } else {
        ctx.out << session::toText(*report, ctx.clock.nowJst());
    }
    return report->viewable ? kExitOk : kExitFailure;
}

int runSyncRetry(const Args& args, CliContext& ctx)
{
    auto o = parse(args, "sync-retry", ctx);
    if (!o) {
        return kExitBadInput;
    }
    if (o->help) {
        ctx.out << "usage: zaitaku-cli sync-retry --db PATH --seq N --staff ID [--json]\n"
                   "Puts a dead letter (sync-status lists them with their reasons) back in the queue for the\n"
                   "next sync, audited under the staff id.\n";
        return kExitOk;
    }
    std::int64_t seq = 0;
    const std::string text = o->value("seq");
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || o->value("staff").empty()) {
        return fail(ctx, *o, "sync-retry",
                    {sync::Errc::InvalidInput, "--seq N (a dead letter's number) and --staff ID are required",
                     text.empty() || ec != std::errc() ? "seq" : "staff"});
    }
    auto store = openStore(ctx, *o, o->value("db"));
    if (!store) {
        return fail(ctx, *o, "sync-retry", store.error());
    }
    if (auto signedIn = signInStaff(ctx, *o, *store); !signedIn) {
        return fail(ctx, *o, "sync-retry", signedIn.error());
    }
    auto requeued = sync::client::SyncEngine::retryDeadLetter(*store, seq, o->value("staff"));
    if (!requeued) {
        return fail(ctx, *o, "sync-retry", requeued.error());
    }
    if (!*requeued) {
        return fail(ctx, *o, "sync-retry",
                    {sync::Errc::InvalidInput, "record #" + text + " is not a dead letter", "seq"});
    }
    if (o->has("--json")) {
        ctx.out << nlohmann::json{{"seq", seq}, {"requeued", true}}.dump() << "\n";
    } else {
        ctx.out << "#" << seq << " 再送待ちに戻しました requeued for the next sync\n";
    }
    return kExitOk;
}

} // namespace zaitaku::cli
