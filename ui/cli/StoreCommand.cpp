#include "ui/cli/StoreCommand.h"

#include "base/AtomicFile.h"
#include "sync/sql/AuditLog.h"
#include "sync/store/PatientRoster.h"
#include "sync/store/RecoveryCode.h"
#include "sync/store/Retention.h"
#include "sync/store/StoreExport.h"
#include "sync/store/StoreLifecycle.h"
#include "sync/store/StoreStats.h"
#include "ui/cli/CommandOptions.h"
#include "ui/cli/SecretPrompt.h"
#include "ui/cli/StoreUnlock.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <set>

namespace zaitaku::cli
{
namespace protocol = sync::protocol;
namespace sql = sync::sql;

namespace
{

using nlohmann::json;
namespace store = sync::store;

constexpr const char* kUsage =
    "usage: zaitaku-cli store <command> --db PATH [--passphrase-file FILE | --device-key FILE |\n"
    "                         --recovery-code-file FILE] [--json]\n"
    "commands:\n"
    "  init [--device-key FILE] [--kdf-log-n N | --kdf-target-ms MS]\n"
    "                              create an encrypted store; prints the recovery code ONCE (write it down)\n"
    "  unlock-check                unlock and run the open checks (cipher, integrity, schema)\n"
    "  stats                       record counts, outbox by state, versions, file size\n"
    "  verify-audit                recompute the audit hash chain; exit 1 if any row was altered\n"
    "  purge [--dry-run] [--acked-age-days N]\n"
    "                              retention: expired medical information, discardable fallback\n"
    "                              evidence, old acknowledged outbox payloads (default 30 days)\n"
    "  export --out FILE [--export-passphrase-file FILE] [--recipient-cert CERT.pem]\n"
    "                              encrypted, signed archive of the whole store for the gateway (handover)\n"
    "  verify-export FILE [--export-passphrase-file FILE]\n"
    "                              check an archive's signature and digest (and open it with the passphrase)\n"
    "  import-patients FILE.json   provision the patient roster (one transaction, all or nothing)\n"
    "  change-passphrase [--new-passphrase-file FILE]\n"
    "                              rewrap the data key under a new passphrase (unlock with the old one or\n"
    "                              the recovery code); the data is not re-encrypted\n"
    "  rekey [--new-passphrase-file FILE] [--device-key FILE]\n"
    "                              rotate the data key (re-encrypts every page); prints a new recovery code\n"
    "Without --passphrase-file the passphrase is asked for without echo. --actor STAFF names who acts\n"
    "in the audit log (default: operator).\n"
    "Exit: 0 ok, 1 the store refused or failed, 2 bad arguments or input.\n";

struct StoreOptions : CommandOptions
{
    std::string db;
    bool asJson = false;
    bool dryRun = false;
};

const std::set<std::string> kValuedOptions{"--db",
                                           "--passphrase-file",
                                           "--device-key",
                                           "--recovery-code-file",
                                           "--new-passphrase-file",
                                           "--kdf-log-n",
                                           "--kdf-target-ms",
                                           "--acked-age-days",
                                           "--out",
                                           "--export-passphrase-file",
                                           "--recipient-cert",
                                           "--actor"};

int exitFor(const sync::Error& e)
{
    return e.code == sync::Errc::InvalidInput ? kExitBadInput : kExitFailure;
}

int fail(CliContext& ctx, const StoreOptions& o, const sync::Error& e)
{
    return reportFailure(ctx, o, "store", failureOf(e, exitFor(e)));
}

int usageError(CliContext& ctx, const std::string& message)
{
    ctx.err << "zaitaku-cli store: " << message << "\n";
    return kExitBadInput;
}

std::optional<protocol::ScryptParams> scryptParams(CliContext& ctx, const StoreOptions& o)
{
    protocol::ScryptParams params;
    const std::string logN = o.value("kdf-log-n");
    const std::string target = o.value("kdf-target-ms");
    if (!logN.empty()) {
        if (logN.size() > 2 || logN.find_first_not_of("0123456789") != std::string::npos) {
            return std::nullopt;
        }
        params.logN = static_cast<unsigned>(std::stoi(logN));
        if (!params.valid()) {
            return std::nullopt;
        }
        if (params.logN < protocol::ScryptParams::kMinProductionLogN) {
            ctx.err << "warning: --kdf-log-n " << logN << " is for tests only: a stolen key file could be guessed\n";
        }
    } else if (!target.empty()) {
        if (target.size() > 5 || target.find_first_not_of("0123456789") != std::string::npos) {
            return std::nullopt;
        }
        params = protocol::calibrateScrypt(std::chrono::milliseconds(std::stoi(target)));
    }
    return params;
}

// A new passphrase: from a file, or typed twice.
std::optional<std::string> readNewPassphrase(CliContext& ctx, const StoreOptions& o, sync::Error& error)
{
    if (!o.value("new-passphrase-file").empty() || (o.sub == "init" && !o.value("passphrase-file").empty())) {
        return readSecret(ctx, o.sub == "init" ? o.value("passphrase-file") : o.value("new-passphrase-file"), "",
                          error);
    }
    auto first = readSecretLine(ctx, "new passphrase: ");
    auto second = readSecretLine(ctx, "repeat the new passphrase: ");
    const bool same = first == second;
    wipe(second);
    if (!same) {
        wipe(first);
        error = sync::Error{sync::Errc::InvalidInput, "the two passphrases differ", "passphrase"};
        return std::nullopt;
    }
    return first;
}

void print(CliContext& ctx, const StoreOptions& o, const json& j)
{
    if (o.asJson) {
        ctx.out << j.dump() << "\n";
        return;
    }
    for (const auto& [key, value] : j.items()) {
        ctx.out << key << ": " << (value.is_string() ? value.get<std::string>() : value.dump()) << "\n";
    }
}

std::string actorOf(const StoreOptions& o)
{
    return o.value("actor").empty() ? "operator" : o.value("actor");
}

int init(CliContext& ctx, const StoreOptions& o)
{
    auto params = scryptParams(ctx, o);
    if (!params) {
        return usageError(ctx, "--kdf-log-n takes 10..22, --kdf-target-ms takes milliseconds");
    }
    sync::Error error;
    auto pass = readNewPassphrase(ctx, o, error);
    if (!pass) {
        return fail(ctx, o, error);
    }
    store::InitOptions options;
    options.scrypt = *params;
    options.deviceKeyPath = o.value("device-key");
    options.actor = actorOf(o);
    auto created = store::initStore(o.db, *pass, options, randomOf(ctx), ctx.clock);
    wipe(*pass);
    if (!created) {
        return fail(ctx, o, created.error());
    }
    print(ctx, o,
          {{"store_id", created->store.storeId()},
           {"cipher_version", created->store.cipherVersion()},
           {"kdf", {{"name", "scrypt"}, {"log_n", params->logN}, {"r", params->r}, {"p", params->p}}},
           {"recovery_code", created->recoveryCode}});
    if (!o.asJson) {
        ctx.err << "Write the recovery code down and keep it apart from the tablet: it is shown only now.\n";
    }
    wipe(created->recoveryCode);
    return kExitOk;
}

Expected<store::Store, sync::Error> open(CliContext& ctx, const StoreOptions& o)
{
    return openStore(ctx, o, o.db);
}

int unlockCheck(CliContext& ctx, const StoreOptions& o)
{
    auto opened = open(ctx, o);
    if (!opened) {
        return fail(ctx, o, opened.error());
    }
    auto version = opened->db().queryInt("PRAGMA user_version");
    print(ctx, o,
          {{"ok", true},
           {"store_id", opened->storeId()},
           {"cipher_version", opened->cipherVersion()},
           {"schema_version", version.value_or(-1)},
           {"quick_check", "ok"}});
    return kExitOk;
}

int stats(CliContext& ctx, const StoreOptions& o)
{
    auto opened = open(ctx, o);
    if (!opened) {
        return fail(ctx, o, opened.error());
    }
    auto s = store::StoreStats::collect(*opened);
    if (!s) {
        return fail(ctx, o, s.error());
    }
    print(ctx, o,
          {{"store_id", s->storeId},
           {"cipher_version", s->cipherVersion},
           {"sqlite_version", s->sqliteVersion},
           {"schema_version", s->schemaVersion},
           {"page_size", s->pageSize},
           {"journal_mode", s->journalMode},
           {"file_bytes", s->fileBytes},
           {"rows", s->rows},
           {"outbox",
            {{"queued", s->outbox.queued},
             {"sending", s->outbox.sending},
             {"acked", s->outbox.acked},
             {"dead", s->outbox.dead}}},
           {"oldest_unsent_at", s->oldestUnsentAt},
           {"challenges_available", s->challengesAvailable}});
    return kExitOk;
}

int verifyAudit(CliContext& ctx, const StoreOptions& o)
{
    auto opened = open(ctx, o);
    if (!opened) {
        return fail(ctx, o, opened.error());
    }
    auto v = sql::AuditLog::verify(opened->db());
    if (!v) {
        return fail(ctx, o, v.error());
    }
    print(ctx, o, v->toJson());
    return v->ok() ? kExitOk : kExitFailure;
}

int purge(CliContext& ctx, const StoreOptions& o)
{
    store::RetentionPolicy policy;
    const std::string days = o.value("acked-age-days");
    if (!days.empty()) {
        if (days.size() > 4 || days.find_first_not_of("0123456789") != std::string::npos) {
            return usageError(ctx, "--acked-age-days takes a number of days");
        }
        policy.ackedPayloadAge = std::chrono::days(std::stoi(days));
    }
    auto opened = open(ctx, o);
    if (!opened) {
        return fail(ctx, o, opened.error());
    }
    auto counts = o.dryRun ? store::Retention::plan(opened->db(), ctx.clock.nowJst(), policy)
                           : store::Retention::purge(*opened, policy, actorOf(o));
    if (!counts) {
        return fail(ctx, o, counts.error());
    }
    print(ctx, o,
          {{"dry_run", o.dryRun},
           {"medical_info", counts->medicalInfo},
           {"fallback_evidence", counts->fallbackEvidence},
           {"outbox_payloads", counts->outboxPayloads},
           {"acked_age_days", policy.ackedPayloadAge.count()}});
    return kExitOk;
}

int importPatients(CliContext& ctx, const StoreOptions& o)
{
    if (o.positional.size() != 1) {
        return usageError(ctx, "import-patients takes one FILE.json");
    }
    auto text = base::readSmallFile(o.positional[0], store::PatientRoster::kMaxFileBytes);
    if (!text) {
        return fail(ctx, o,
                    text.error().code == base::Errc::FileNotFound
                        ? sync::Error{sync::Errc::InvalidInput, text.error().message, "file"}
                        : sync::fromBase(text.error()));
    }
    // Validate before asking for the passphrase: a bad file is reported without unlocking.
    if (auto parsed = store::PatientRoster::parse(*text); !parsed) {
        return fail(ctx, o, parsed.error());
    }
    auto opened = open(ctx, o);
    if (!opened) {
        return fail(ctx, o, opened.error());
    }
    auto result = store::PatientRoster::import(*opened, *text, actorOf(o));
    if (!result) {
        return fail(ctx, o, result.error());
    }
    print(ctx, o,
          {{"inserted", result->inserted},
           {"updated", result->updated},
           {"care_relationships", result->careRelationships},
           {"file_sha256", result->fileSha256}});
    return kExitOk;
}

// What every key change reads: the scrypt parameters, the current secret and the new passphrase.
struct KeyChange
{
    protocol::ScryptParams params;
    Unlock unlock;
    std::string fresh;
    ~KeyChange() { wipe(fresh); }
};

// kExitOk when everything was read; otherwise the exit code (the error is already printed).
int readKeyChange(CliContext& ctx, const StoreOptions& o, KeyChange& change)
{
    auto params = scryptParams(ctx, o);
    if (!params) {
        return usageError(ctx, "--kdf-log-n takes 10..22, --kdf-target-ms takes milliseconds");
    }
    change.params = *params;
    sync::Error error;
    if (!readUnlock(ctx, o, change.unlock, error)) {
        return fail(ctx, o, error);
    }
    auto fresh = readNewPassphrase(ctx, o, error);
    if (!fresh) {
        return fail(ctx, o, error);
    }
    change.fresh = std::move(*fresh);
    return kExitOk;
}

int changePassphrase(CliContext& ctx, const StoreOptions& o)
{
    KeyChange change;
    if (const int code = readKeyChange(ctx, o, change); code != kExitOk) {
        return code;
    }
    auto done = store::changePassphrase(o.db, change.unlock.secret, change.fresh, change.params, randomOf(ctx),
                                        ctx.clock, actorOf(o));
    if (!done) {
        return fail(ctx, o, done.error());
    }
    print(ctx, o, {{"ok", true}, {"changed", "passphrase"}});
    return kExitOk;
}

int rekey(CliContext& ctx, const StoreOptions& o)
{
    KeyChange change;
    if (const int code = readKeyChange(ctx, o, change); code != kExitOk) {
        return code;
    }
    std::optional<std::string> deviceKey;
    if (!o.value("device-key").empty()) {
        deviceKey = o.value("device-key");
    }
    auto done = store::rotateDataKey(o.db, change.unlock.secret, change.fresh, change.params, deviceKey, randomOf(ctx),
                                     ctx.clock, actorOf(o));
    if (!done) {
        return fail(ctx, o, done.error());
    }
    print(ctx, o, {{"ok", true}, {"recovery_code", done->recoveryCode}});
    return kExitOk;
}

int exportStore(CliContext& ctx, const StoreOptions& o)
{
    if (o.value("out").empty()) {
        return usageError(ctx, "export needs --out FILE");
    }
    if (o.value("export-passphrase-file").empty() && o.value("recipient-cert").empty()) {
        return usageError(ctx, "export needs --export-passphrase-file or --recipient-cert (who may open it)");
    }
    auto opened = open(ctx, o);
    if (!opened) {
        return fail(ctx, o, opened.error());
    }
    store::ExportOptions options;
    options.outPath = o.value("out");
    options.recipientCertPath = o.value("recipient-cert");
    options.actor = actorOf(o);
    sync::Error error;
    if (!o.value("export-passphrase-file").empty()) {
        auto pass = readSecret(ctx, o.value("export-passphrase-file"), "", error);
        if (!pass) {
            return fail(ctx, o, error);
        }
        options.passphrase = std::move(*pass);
    }
    if (auto params = scryptParams(ctx, o)) {
        options.scrypt = *params;
    }
    auto summary = store::exportStore(*opened, options, randomOf(ctx));
    wipe(options.passphrase);
    if (!summary) {
        return fail(ctx, o, summary.error());
    }
    print(ctx, o,
          {{"out", summary->path},
           {"bytes", summary->bytes},
           {"database_sha256", summary->databaseSha256},
           {"signer", summary->signerPublicKeyHex},
           {"wraps", summary->wraps}});
    return kExitOk;
}

int verifyExport(CliContext& ctx, const StoreOptions& o)
{
    if (o.positional.size() != 1) {
        return usageError(ctx, "verify-export takes one archive FILE");
    }
    std::optional<std::string> pass;
    sync::Error error;
    if (!o.value("export-passphrase-file").empty()) {
        pass = readSecret(ctx, o.value("export-passphrase-file"), "", error);
        if (!pass) {
            return fail(ctx, o, error);
        }
    }
    auto checked = store::verifyExport(o.positional[0], pass, ctx.clock);
    if (pass) {
        wipe(*pass);
    }
    if (!checked) {
        return fail(ctx, o, checked.error());
    }
    json out{{"ok", true},
             {"store_id", checked->storeId},
             {"signer", checked->signerPublicKeyHex},
             {"created_at", checked->createdAt},
             {"opened", checked->rows.has_value()}};
    if (checked->rows) {
        out["rows"] = *checked->rows;
    }
    print(ctx, o, out);
    return kExitOk;
}

} // namespace

int runStore(const Args& args, CliContext& ctx)
{
    auto command =
        parseSubcommand(args, OptionSpec{{"--json", "--dry-run"}, kValuedOptions, true}, "store", kUsage, ctx);
    if (!command.options) {
        return command.exitCode;
    }
    StoreOptions o;
    static_cast<CommandOptions&>(o) = std::move(*command.options);
    o.asJson = o.has("--json");
    o.dryRun = o.has("--dry-run");
    o.db = o.value("db");
    if (o.db.empty() && o.sub != "verify-export") {
        return usageError(ctx, "--db PATH is required");
    }
    using Handler = int (*)(CliContext&, const StoreOptions&);
    static const std::map<std::string, Handler> kHandlers{
        {"init", init},
        {"unlock-check", unlockCheck},
        {"stats", stats},
        {"verify-audit", verifyAudit},
        {"purge", purge},
        {"export", exportStore},
        {"verify-export", verifyExport},
        {"import-patients", importPatients},
        {"change-passphrase", changePassphrase},
        {"rekey", rekey},
    };
    const auto handler = kHandlers.find(o.sub);
    if (handler == kHandlers.end()) {
        ctx.err << "zaitaku-cli store: unknown command '" << o.sub << "'\n" << kUsage;
        return kExitBadInput;
    }
    if (!o.positional.empty() && o.sub != "import-patients" && o.sub != "verify-export") {
        return usageError(ctx, "unexpected argument '" + o.positional[0] + "'");
    }
    return handler->second(ctx, o);
}

} // namespace zaitaku::cli
