#include "ui/cli/VisitCommand.h"

#include "base/AtomicFile.h"
#include "sync/client/GatewayLink.h"
#include "sync/store/Outbox.h"
#include "sync/store/StoreVisitPort.h"
#include "sync/store/VisitLedger.h"
#include "ui/cli/CliOperator.h"
#include "ui/cli/CommandOptions.h"
#include "ui/cli/SecretPrompt.h"
#include "ui/cli/StoreUnlock.h"
#include "ui/session/VisitRuntime.h"
#include "verify/consent/ConsentCatalog.h"
#include "verify/visit/FallbackForms.h"
#include "verify/visit/VisitEngine.h"

#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

namespace zaitaku::cli
{
namespace sql = sync::sql;

namespace
{

using nlohmann::json;
namespace store = sync::store;

constexpr const char* kUsage =
    "usage: zaitaku-cli visit <first|revisit|fallback|status> --db PATH [--passphrase-file FILE] [--json]\n"
    "       zaitaku-cli visit form --fallback KIND [--json]\n"
    "  first     F1 at the door: card → PIN | face | visual → consent → a signed, queued record\n"
    "  revisit   F2: re-query when the rules allow it (no card); otherwise says why and does F1\n"
    "  fallback  F6: record fallback evidence (--fallback KIND --fields-file FILE)\n"
    "  status    [--visit ID]: a visit and its outbox state, or the latest visits\n"
    "  form      the fallback form to fill in (the app prints it as PDF): fields, required, choices\n"
    "options for first/revisit/fallback:\n"
    "  --patient ID --staff ID       required\n"
    "  --service KIND                houmon_shinryo (default), oushin, houmon_kango, kyotaku_yakuzai\n"
    "  --method LIST                 pin, face, visual in order of preference (default: pin)\n"
    "  --pin-file FILE               one PIN per line, each one operator entry (default: typed, no echo)\n"
    "  --code-b-file FILE            照合番号B (14 digits) for the face path\n"
    "  --override-last-try STAFF     staff allow the last PIN try (otherwise refused at one try left)\n"
    "  --visual-reason CODE          face_auth_only_card, pin_last_try, pin_blocked, pin_unknown,\n"
    "                                cannot_enter_pin, face_unavailable (default: suggested by the card)\n"
    "  --visual-mismatch             staff saw that the person does not match the photo (→ fallback)\n"
    "  --consent SPEC                all | none | diag,pharm,oper,checkup (required for a first visit)\n"
    "  --prescription CHOICE         electronic | paper\n"
    "  --limit ANSWER                限度額情報を提供しますか: provide | decline\n"
    "  --assisted-by WHO             who helped at the door: none | family | carer | facility_staff |\n"
    "                                legal_representative (only the patient or the 法定代理人 enters a PIN)\n"
    "  --fallback KIND [--fields-file FILE]   mynaportal_screen, mynaportal_pdf, oshirase_plus_card,\n"
    "                                shikaku_kakuninsho, paper_card, verbal_revisit, moushitatesho\n"
    "  --fallback-reason TEXT        why online confirmation failed\n"
    "  --reader NAME|INDEX --card-wait-ms N --card-waits N   which reader; how long and how often to wait\n"
    "  --facility-held               the facility holds the card (it must be checked out first)\n"
    "  --camera SPEC [--face-models DIR]   the face path: camera:N or a video/image file (default: off)\n"
    "  --lang ja|en --device-id ID\n";

const std::set<std::string> kValued{"--db",
                                    "--passphrase-file",
                                    "--device-key",
                                    "--recovery-code-file",
                                    "--patient",
                                    "--staff",
                                    "--staff-secret-file",
                                    "--service",
                                    "--method",
                                    "--pin-file",
                                    "--code-b-file",
                                    "--override-last-try",
                                    "--visual-reason",
                                    "--consent",
                                    "--prescription",
                                    "--limit",
                                    "--assisted-by",
                                    "--fallback",
                                    "--fields-file",
                                    "--fallback-reason",
                                    "--reader",
                                    "--card-wait-ms",
                                    "--card-waits",
                                    "--lang",
                                    "--device-id",
                                    "--visit",
                                    "--camera",
                                    "--face-models"};
const std::set<std::string> kFlags{"--json", "--visual-mismatch", "--facility-held"};

using Failure = CommandFailure;

int report(CliContext& ctx, const CommandOptions& o, const Failure& f)
{
    return reportFailure(ctx, o, "visit", f);
}

Failure badInput(const std::string& message, const std::string& field)
{
    return Failure{message, "invalid_input", field, kExitBadInput};
}

template <typename E> Failure fromError(const BasicError<E>& e)
{
    return failureOf(e, base::toCode(e.code) == "invalid_input" ? kExitBadInput : kExitFailure);
}

// Reads one PIN per line from a file; each is one operator entry.
std::optional<Failure> readPins(const std::string& file, visit::VisitScript& script)
{
    auto content = base::readSecretFile(file, 4096);
    if (!content) {
        return fromError(sync::fromBase(content.error()));
    }
    // Lines parsed in place: no stream keeps its own copy of the digits (review L2).
    std::string_view rest(*content);
    while (!rest.empty()) {
        const auto end = std::min(rest.find('\n'), rest.size());
        std::string_view line = rest.substr(0, end);
        rest.remove_prefix(std::min(end + 1, rest.size()));
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.empty()) {
            continue;
        }
        auto pin = device::makeAuthPin(line);
        if (!pin) {
            wipe(*content);
            return badInput("the PIN file holds a line that is not 4 digits", "pin-file");
        }
        script.pins.push_back(std::move(*pin));
    }
    wipe(*content);
    return std::nullopt;
}

std::optional<Failure> buildScript(const CommandOptions& o, visit::VisitScript& s, bool& promptForPin)
{
    s.methods.clear();
    std::string methods = o.value("method").empty() ? "pin" : o.value("method");
    std::istringstream list(methods);
    for (std::string item; std::getline(list, item, ',');) {
        auto method = base::fromCode<model::ConfirmMethod>(item);
        if (!method) {
            return badInput("--method takes pin, face and/or visual, not '" + item + "'", "method");
        }
        s.methods.push_back(*method);
    }
    promptForPin = false;
    const bool wantsPin = std::find(s.methods.begin(), s.methods.end(), model::ConfirmMethod::Pin) != s.methods.end();
    if (!o.value("pin-file").empty()) {
        if (auto failed = readPins(o.value("pin-file"), s)) {
            return failed;
        }
    } else if (wantsPin && o.sub != "fallback") {
        promptForPin = true;
    }
    if (!o.value("code-b-file").empty()) {
        auto content = base::readSecretFile(o.value("code-b-file"), 256);
        if (!content) {
            return fromError(sync::fromBase(content.error()));
        }
        auto codeB = device::SecretDigits::fromDigits(content->substr(0, content->find_first_of("\r\n")), 14,
                                                      "照合番号B is 14 digits");
        wipe(*content);
        if (!codeB) {
            return badInput(codeB.error().message, "code-b-file");
        }
        s.codeB = std::move(*codeB);
    }
    s.lastTryOverrideBy = o.value("override-last-try");
    if (!o.value("visual-reason").empty()) {
        auto reason = base::fromCode<model::VisualReason>(o.value("visual-reason"));
        if (!reason) {
            return badInput("unknown --visual-reason '" + o.value("visual-reason") + "'", "visual-reason");
        }
        s.visualReason = *reason;
    }
    s.visualMismatch = o.has("--visual-mismatch");
    s.consentSpec = o.value("consent");
    if (o.sub == "first" && s.consentSpec.empty()) {
        return badInput("a first visit asks for consent: --consent all, none or a list (diag,pharm,oper,checkup)",
                        "consent");
    }
    if (!s.consentSpec.empty()) {
        if (auto parsed = consent::parseSelection(s.consentSpec, o.value("prescription"), o.value("limit")); !parsed) {
            return badInput(parsed.error().message, parsed.error().field);
        }
    } else {
        s.consentSpec = "none";
    }
    s.prescription = o.value("prescription");
    s.limit = o.value("limit");
    if (!o.value("fallback").empty()) {
        auto kind = base::fromCode<model::FallbackKind>(o.value("fallback"));
        if (!kind) {
            return badInput("unknown --fallback '" + o.value("fallback") + "'", "fallback");
        }
        s.fallbackKind = *kind;
        s.fallbackWhenNoCard = true;
        if (!o.value("fields-file").empty()) {
            auto fields = base::readSmallFile(o.value("fields-file"), 64 * 1024);
            if (!fields) {
                return fromError(sync::fromBase(fields.error()));
            }
            s.fallbackFields = *fields;
        }
    } else if (o.sub == "fallback") {
        return badInput("say which fallback: --fallback KIND (see --help)", "fallback");
    }
    if (!o.value("card-waits").empty()) {
        s.cardWaits = std::atoi(o.value("card-waits").c_str());
    }
    return std::nullopt;
}

json outcomeJson(const visit::VisitOutcome& out)
{
    json j{{"visit_id", out.visitId},
           {"state", base::toCode(out.state)},
           {"flow", base::toCode(out.flow)},
           {"method", out.method ? json(base::toCode(*out.method)) : json(nullptr)},
           {"card", base::toCode(out.card)},
           {"challenge", base::toCode(out.challengeOrigin)},
           {"tries_left_before", out.triesLeftBefore ? json(*out.triesLeftBefore) : json(nullptr)},
           {"tries_left_after", out.triesLeftAfter ? json(*out.triesLeftAfter) : json(nullptr)},
           {"consents", json::array()},
           {"fallback", out.fallback ? json(base::toCode(*out.fallback)) : json(nullptr)},
           {"door_copay", out.doorCopay.empty() ? json(nullptr) : json(out.doorCopay)},
           {"requery", base::toCode(out.requery)},
           {"certificate", out.certificate ? json(base::toCode(*out.certificate)) : json(nullptr)},
           {"medical_info_until", out.medicalInfoUntil ? json(out.medicalInfoUntil->toString()) : json(nullptr)},
           {"medical_info_while_continuing", out.medicalInfoWhileContinuing},
           {"warnings", out.warnings},
           {"evidence_sha256", out.receipt.evidenceSha256},
           {"queued", out.receipt.queued},
           {"machine_ms", std::chrono::duration<double, std::milli>(out.machineTime).count()}};
    for (const auto& c : out.consents) {
        j["consents"].push_back({{"kind", base::toCode(c.kind)},
                                 {"given", c.given},
                                 {"text_version", c.textVersion},
                                 {"text_sha256", c.textSha256}});
    }
    if (out.revisit) {
        j["revisit"] = {
            {"allowed", out.revisit->allowed}, {"reasons", out.revisit->reasons}, {"messages", out.revisit->messages}};
    }
    if (out.latest) {
        j["latest"] = {{"snapshot_id", out.latest->snapshot.id},
                       {"confirmed", out.latest->snapshot.isConfirmed()},
                       {"received_at", out.latest->receivedAt.toString()},
                       {"age_minutes", out.latestAge ? json(out.latestAge->count()) : json(nullptr)}};
    }
    if (!out.abortReason.empty()) {
        j["abort_reason"] = out.abortReason;
    }
    return j;
}

} // namespace

void printVisitOutcome(CliContext& ctx, const visit::VisitOutcome& out)
{
    ctx.out << base::labelOf(out.state) << " (" << base::toCode(out.state) << ") visit " << out.visitId << "\n";
    if (out.method) {
        ctx.out << "  本人確認 identity: " << base::labelOf(*out.method) << "\n";
    }
    if (out.card != model::CardClass::None) {
        ctx.out << "  カード card: " << base::labelOf(out.card);
        if (out.triesLeftBefore) {
            ctx.out << "、暗証番号の残り " << *out.triesLeftBefore << " 回 (PIN tries before)";
        }
        if (out.challengeOrigin != model::ChallengeOrigin::None) {
            ctx.out << "、" << base::labelOf(out.challengeOrigin) << " (challenge " << base::toCode(out.challengeOrigin)
                    << ")";
        }
        ctx.out << "\n";
    }
    if (out.fallback) {
        ctx.out << "  代替手段 fallback: " << base::labelOf(*out.fallback) << " (" << base::toCode(*out.fallback)
                << ")\n";
    }
    if (out.revisit) {
        ctx.out << "  再照会 re-query: " << (out.revisit->allowed ? "可 allowed" : "不可 not allowed");
        for (const auto& m : out.revisit->messages) {
            ctx.out << " / " << m;
        }
        ctx.out << "\n";
    }
    for (const auto& c : out.consents) {
        ctx.out << "  同意 " << base::labelOf(c.kind) << ": " << (c.given ? "同意" : "不同意") << " [" << c.textVersion
                << "]\n";
    }
    if (out.requery == model::RequeryState::Answered && out.latest) {
        ctx.out << "  再照会の結果 today's re-query answer " << out.latest->snapshot.id << " ("
                << out.latest->receivedAt.toString() << ")\n";
    } else if (out.requery == model::RequeryState::Pending) {
        ctx.out << "  再照会待ち re-query pending: not yet confirmed today; the gateway asks OQS when the record "
                   "arrives\n";
    }
    if (out.fallback && out.state == visit::VisitState::Committed) {
        // A fallback is not sent to OQS: the copay to ask is said here, never "confirmed later".
        ctx.out << "  負担割合 copay to ask at the door: " << out.doorCopay << " (no online confirmation)\n";
    }
    if (out.latest && out.requery != model::RequeryState::Answered) {
        ctx.out << "  資格情報（キャッシュ・前回）cached result " << out.latest->snapshot.id << ", "
                << (out.latestAge ? out.latestAge->count() : 0) << " 分前 minutes old (not today's confirmation)\n";
    } else if (!out.latest && !out.fallback && out.requery == model::RequeryState::None &&
               out.state == visit::VisitState::Committed) {
        ctx.out << "  資格情報: 確認待ち（送信待ち）queued for confirmation\n";
    }
    for (const auto& w : out.warnings) {
        ctx.out << "  ! " << w << "\n";
    }
    if (out.state == visit::VisitState::Committed) {
        ctx.out << "  記録済み・送信待ち recorded and queued (" << out.receipt.evidenceSha256.size()
                << " evidence bundle(s), " << out.consents.size() << " consent record(s))\n";
    } else if (!out.abortReason.empty()) {
        ctx.out << "  中止 aborted: " << out.abortReason << "\n";
    }
}

namespace
{

int runFlow(CliContext& ctx, const CommandOptions& o)
{
    if (o.value("patient").empty() || o.value("staff").empty()) {
        return report(ctx, o,
                      badInput("--patient and --staff are required", o.value("patient").empty() ? "patient" : "staff"));
    }
    visit::VisitRequest request;
    request.patientId = o.value("patient");
    request.staffId = o.value("staff");
    request.flow = o.sub == "first"     ? model::VisitFlow::FirstVisit
                   : o.sub == "revisit" ? model::VisitFlow::Revisit
                                        : model::VisitFlow::Fallback;
    if (!o.value("service").empty()) {
        auto kind = base::fromCode<model::ServiceKind>(o.value("service"));
        if (!kind) {
            return report(ctx, o, badInput("unknown --service '" + o.value("service") + "'", "service"));
        }
        request.serviceKind = *kind;
    }
    request.cardHeldByFacility = o.has("--facility-held");
    if (!o.value("assisted-by").empty()) {
        auto assisted = base::fromCode<model::Assistance>(o.value("assisted-by"));
        if (!assisted) {
            return report(ctx, o,
                          badInput("--assisted-by is none, family, carer, facility_staff or legal_representative",
                                   "assisted-by"));
        }
        request.assistedBy = *assisted;
    }
    request.fallbackReason = o.value("fallback-reason");
    visit::VisitScript script;
    bool promptForPin = false;
    if (auto failed = buildScript(o, script, promptForPin)) {
        return report(ctx, o, *failed);
    }
    auto opened = openStore(ctx, o, o.value("db"));
    if (!opened) {
        return report(ctx, o, fromError(opened.error()));
    }
    if (auto signedIn = signInStaff(ctx, o, *opened); !signedIn) {
        return report(ctx, o, fromError(signedIn.error()));
    }
    auto port = store::StoreVisitPort::open(*opened, randomOf(ctx));
    if (!port) {
        return report(ctx, o, fromError(port.error()));
    }
    std::unique_ptr<device::CardReader> reader;
    if (request.flow != model::VisitFlow::Fallback) {
        auto backend = openReaderBackend(ctx);
        if (backend) {
            reader = std::move(*backend); // without one, F2 and F6 still work; F1 asks for a reader
        }
    }
    base::SteadyClock monotonic;
    const session::VisitRuntime runtime(
        {reader.get(), o.value("reader"), o.value("camera"), o.value("face-models"), {}, &*opened}, ctx.clock,
        monotonic, randomOf(ctx), *port);
    visit::VisitSettings settings;
    settings.deviceId = !o.value("device-id").empty() ? o.value("device-id") : session::deviceIdOf(*opened);
    settings.appVersion = ZAITAKU_VERSION;
    settings.language = o.value("lang").empty() ? "ja" : o.value("lang");
    if (!o.value("card-wait-ms").empty()) {
        settings.cardWait = std::chrono::milliseconds(std::atoi(o.value("card-wait-ms").c_str()));
    }
    CliOperator op(ctx, std::move(script), promptForPin, o.has("--json"));
    auto outcome = runtime.engine(settings).run(request, op);
    if (!outcome) {
        return report(ctx, o, fromError(outcome.error()));
    }
    if (outcome->state != visit::VisitState::Committed && !op.gaveUp().empty()) {
        outcome->abortReason = op.gaveUp();
    }
    if (o.has("--json")) {
        ctx.out << outcomeJson(*outcome).dump() << "\n";
    } else {
        printVisitOutcome(ctx, *outcome);
    }
    return outcome->state == visit::VisitState::Committed ? kExitOk : kExitFailure;
}

int status(CliContext& ctx, const CommandOptions& o)
{
    auto opened = openStore(ctx, o, o.value("db"));
    if (!opened) {
        return report(ctx, o, fromError(opened.error()));
    }
    sql::Database& db = opened->db();
    auto ids = db.prepare(o.value("visit").empty() ? "SELECT id FROM visit ORDER BY started_at DESC, id LIMIT 20"
                                                   : "SELECT id FROM visit WHERE id = ?1");
    if (!ids) {
        return report(ctx, o, fromError(ids.error()));
    }
    if (!o.value("visit").empty()) {
        ids->bind(1, o.value("visit"));
    }
    json visits = json::array();
    while (true) {
        auto row = ids->step();
        if (!row) {
            return report(ctx, o, fromError(row.error()));
        }
        if (!*row) {
            break;
        }
        auto found = store::VisitLedger::find(db, ids->text(0));
        if (!found || !*found) {
            continue;
        }
        const model::Visit& v = (*found)->visit;
        auto outbox = db.prepare("SELECT state, attempts, last_error FROM outbox WHERE idem_key = ?1");
        std::string state = "none";
        if (outbox) {
            outbox->bind(1, v.id);
            if (auto has = outbox->step(); has && *has) {
                state = outbox->text(0);
            }
        }
        visits.push_back({{"visit_id", v.id},
                          {"patient_id", v.patientId},
                          {"flow", base::toCode(v.flow)},
                          {"service_kind", base::toCode(v.serviceKind)},
                          {"state", v.state},
                          {"staff_id", v.staffId},
                          {"evidence_sha256", (*found)->evidenceSha256},
                          {"outbox", state}});
    }
    if (!o.value("visit").empty() && visits.empty()) {
        return report(ctx, o,
                      Failure{"no visit '" + o.value("visit") + "' in this store", "not_found", "visit", kExitFailure});
    }
    if (o.has("--json")) {
        ctx.out << (o.value("visit").empty() ? json{{"visits", visits}} : visits[0]).dump() << "\n";
    } else {
        for (const auto& v : visits) {
            ctx.out << v["visit_id"].get<std::string>() << "  " << v["patient_id"].get<std::string>() << "  "
                    << v["flow"].get<std::string>() << "  outbox:" << v["outbox"].get<std::string>() << "\n";
        }
    }
    return kExitOk;
}

// The blank form of a fallback kind, as the app shows it and prints it for a signature; the keys
// are those of --fields-file.
int printForm(CliContext& ctx, const CommandOptions& o)
{
    auto kind = base::fromCode<model::FallbackKind>(o.value("fallback"));
    if (!kind) {
        std::string kinds;
        for (const auto k : visit::fallbackLadder()) {
            kinds += (kinds.empty() ? "" : ", ") + std::string(base::toCode(k));
        }
        return report(ctx, o, badInput("say which form: --fallback KIND (" + kinds + ")", "fallback"));
    }
    const auto& form = visit::fallbackForm(*kind);
    if (o.has("--json")) {
        json fields = json::array();
        for (const auto& f : form.fields) {
            json choices = json::array();
            for (const auto& c : f.choices) {
                choices.push_back({{"code", c}, {"label", visit::choiceLabel(c)}});
            }
            fields.push_back({{"key", f.key}, {"label", f.label}, {"required", f.required}, {"choices", choices}});
        }
        ctx.out << json{{"kind", base::toCode(*kind)}, {"title", base::labelOf(*kind)}, {"fields", fields}}.dump(2)
                << "\n";
        return kExitOk;
    }
    ctx.out << base::labelOf(*kind) << " (" << base::toCode(*kind) << ")\n";
    for (const auto& f : form.fields) {
        ctx.out << "  " << f.label << (f.required ? "（必須）" : "") << "  [" << f.key << "]";
        for (std::size_t i = 0; i < f.choices.size(); ++i) {
            ctx.out << (i == 0 ? "  " : " / ") << f.choices[i] << "=" << visit::choiceLabel(f.choices[i]);
        }
        ctx.out << "\n";
    }
    return kExitOk;
}

} // namespace

int runVisit(const Args& args, CliContext& ctx)
{
    auto command = parseSubcommand(args, OptionSpec{kFlags, kValued, false}, "visit", kUsage, ctx);
    if (!command.options) {
        return command.exitCode;
    }
    const CommandOptions& o = *command.options;
    if (o.sub == "form") {
        return printForm(ctx, o);
    }
    if (o.value("db").empty()) {
        ctx.err << "zaitaku-cli visit: --db PATH is required\n";
        return kExitBadInput;
    }
    if (o.sub == "first" || o.sub == "revisit" || o.sub == "fallback") {
        return runFlow(ctx, o);
    }
    if (o.sub == "status") {
        return status(ctx, o);
    }
    ctx.err << "zaitaku-cli visit: unknown command '" << o.sub << "'\n" << kUsage;
    return kExitBadInput;
}

} // namespace zaitaku::cli
