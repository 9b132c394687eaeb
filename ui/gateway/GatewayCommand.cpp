#include "ui/gateway/GatewayCommand.h"

#include "base/AtomicFile.h"
#include "base/BoundedJson.h"
#include "base/CanonicalJson.h"
#include "base/Sha256.h"
#include "sync/gateway/AuditAnchors.h"
#include "sync/gateway/GatewayBackup.h"
#include "sync/gateway/GatewayServer.h"
#include "sync/protocol/DeviceKeyRequest.h"
#include "sync/protocol/EnrollmentCode.h"
#include "sync/protocol/StaffAccount.h"
#include "sync/sql/SqlTime.h"
#include "sync/store/StoreExport.h"
#include "ui/cli/CommandOptions.h"
#include "ui/gateway/ServiceNotifier.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

namespace zaitaku::cli
{

namespace gw = sync::gateway;

namespace
{

constexpr const char* kProgram = "zaitaku-gateway";

constexpr const char* kUsage =
    "usage: zaitaku-gateway <command> --data-dir DIR [options] | zaitaku-gateway --version\n"
    "  serve [--listen HOST:PORT] [--config FILE] [--jpki-ca FILE] [--jpki-crl FILE] [--threads N]\n"
    "        [--log-requests]         serve HTTPS (creates the CA, certificates and database on first run);\n"
    "                                  SIGHUP reads the configuration and the JPKI CRL again\n"
    "  enroll-code [--ttl-hours H]     print a one-time enrollment code for a tablet (24 h at most) and its id\n"
    "  enroll-code list | enroll-code withdraw ID   the codes issued; withdraw one before it is used\n"
    "  devices list | devices revoke DEVICE_ID\n"
    "  roster list DEVICE_ID | roster assign|unassign DEVICE_ID [PATIENT_ID...] [--patients-file FILE]\n"
    "                                  the patients a tablet may read (feed, pre-check, re-query)\n"
    "  monitor-cert --out DIR [--days N]  a client certificate for /metrics (metrics_client_cert = required)\n"
    "  export [--after SEQ]            accepted records as JSON lines\n"
    "  records import FILE.zexp --export-passphrase-file F   with the gateway stopped: a lost or revoked\n"
    "                                  tablet's unsent records from its store export, each verified\n"
    "  snapshots import FILE           eligibility results [{patient_id, snapshot}] (without an OQS bridge)\n"
    "  epoch rotate [--reason TEXT]    after restoring a backup: tablets push again\n"
    "  care import FILE [--by NAME]    patients already in continuing care when the gateway is installed:\n"
    "                                  [{patient_id, service_kind, first_visit_at, first_online_confirm_at,\n"
    "                                  insurer_number, insured_card_symbol, insured_identification_number,\n"
    "                                  insured_branch_number, birthdate, limit_consent}] (re-query, audited)\n"
    "  claims settle SEQ [--by NAME]   the claim of record SEQ (a 被保険者資格申立書) is settled: its personal\n"
    "                                  data are purged claim_purge_after_days later (seed 003, audited)\n"
    "  claims purge                    purge settled 申立書 data now (serve also does it hourly)\n"
    "  status                          counts, the storage backend, the CA fingerprint and whether the\n"
    "                                  root CA key is still on this server\n"
    "  ca roll --root-key FILE         a new issuing CA (device certificates) signed by the root key kept\n"
    "                                  offline; the earlier one stays trusted; takes effect at the next start\n"
    "  ca roll-root --root-key FILE --new-root-key-out NEW   a new root, cross-certified by the current one,\n"
    "                                  announced to every tablet through the feed (NEW goes offline)\n"
    "  ca switch-root --root-key NEW [--force]   with the gateway stopped, once every tablet has read the\n"
    "                                  announcement (devices list): the new root, issuing CA and server\n"
    "                                  certificate are used from the next start\n"
    "  server-cert renew [--root-key FILE] [--add-name NAME]   a new server certificate (serve renews it\n"
    "                                  itself in its last 30 days while the root key is here); reload takes it\n"
    "  staff add STAFF_ID --role ROLE --secret-file FILE [--name NAME] | staff disable STAFF_ID | staff list\n"
    "                                  who signs in on the tablets (roles: nurse, physician, custodian,\n"
    "                                  manager), each with their own PIN or passphrase (audited)\n"
    "  backup --to FILE --key-file KEY an online copy of the database under the backup key KEY (made when\n"
    "                                  missing: keep it apart from the backups); PostgreSQL: pg_dump\n"
    "  restore --from FILE --key-file KEY [--force]   with the gateway stopped: the backup back in place\n"
    "                                  (--force when the database holds newer records); tablets send again\n"
    "  audit verify                    recompute the audit hash chain (exit 1 if broken)\n"
    "  audit list [--after SEQ] [--limit N]  the audit rows as JSON lines, for review\n"
    "  audit anchor                    append the chain's head to <data-dir>/audit-anchors and print it\n"
    "                                  (serve does it hourly; audit verify checks every anchor)\n"
    "  every command's audit rows name its operator: --by NAME, else the login name\n"
    "  --json prints machine-readable output where a command prints\n";

int fail(CliContext& ctx, const CommandOptions& o, const sync::Error& e, int exitCode = kExitFailure)
{
    const bool badInput = e.code == sync::Errc::InvalidInput || e.code == sync::Errc::ProtocolViolation;
    return reportFailure(ctx, o, kProgram, failureOf(e, badInput ? kExitBadInput : exitCode));
}

std::string dataDirOf(const CommandOptions& o)
{
    return o.value("data-dir");
}

// Who ran an admin command: --by, else the operator's login name.
std::string operatorName(const CommandOptions& o)
{
    if (!o.value("by").empty()) {
        return "operator:" + o.value("by");
    }
    const char* login = std::getenv("LOGNAME");
    if (login == nullptr || *login == '\0') {
        login = std::getenv("USER");
    }
    return std::string("operator:") + (login != nullptr && *login != '\0' ? login : "unknown");
}

// The data folder's settings (the storage backend above all) for the commands that do not serve;
// `settings` receives them for a command that needs more than the storage.
Expected<gw::GatewayData, sync::Error>
openData(CliContext& ctx, const CommandOptions& o, gw::GatewayConfig* settings = nullptr)
{
    gw::GatewayConfig config;
    config.dataDir = dataDirOf(o);
    if (auto done = config.loadFile(o.value("config")); !done) {
        return Unexpected(done.error());
    }
    if (settings != nullptr) {
        *settings = config;
    }
    auto data = gw::GatewayData::open(config, randomOf(ctx), ctx.clock);
    if (data) {
        data->storage->actAs(operatorName(o)); // every audit row of this command names its operator
    }
    return data;
}

// The audit row of an admin action, written before the action (security review M6): an action
// that cannot be audited does not happen.
Expected<void, sync::Error> auditFirst(CliContext& ctx,
                                       gw::GatewayData& data,
                                       const std::string& action,
                                       const std::string& subject,
                                       nlohmann::json detail = nlohmann::json::object())
{
    return data.storage->recordAudit({data.storage->actor(), action, subject, std::move(detail)}, ctx.clock.nowJst());
}

// The configuration file with the command line's flags over it (serve, records import).
Expected<gw::GatewayConfig, sync::Error> serveConfig(const CommandOptions& o)
{
    gw::GatewayConfig config;
    config.dataDir = dataDirOf(o);
    if (auto done = config.loadFile(o.value("config")); !done) {
        return Unexpected(done.error());
    }
    for (const auto& [flag, key] : std::vector<std::pair<std::string, std::string>>{
             {"listen", "listen"}, {"jpki-ca", "jpki_ca"}, {"jpki-crl", "jpki_crl"}, {"threads", "threads"}}) {
        if (!o.value(flag).empty()) {
            if (auto done = config.set(key, o.value(flag)); !done) {
                return Unexpected(done.error());
            }
        }
    }
    config.logRequests = config.logRequests || o.has("--log-requests");
    return config;
}

// Issue 30: a lost or revoked tablet's unsent records from its store export, with the gateway
// stopped (it runs here on loopback for the duration): the archive's signature and digest, then
// every record as the gateway checks a tablet's upload; the OQS requests they need are journalled.
int importRecords(CliContext& ctx, const CommandOptions& o, const GatewayRuntime& runtime)
{
    if (o.positional.size() != 2 || o.positional[0] != "import" || o.value("export-passphrase-file").empty()) {
        return fail(
            ctx, o,
            {sync::Errc::InvalidInput, "usage: records import FILE.zexp --export-passphrase-file FILE", "command"});
    }
    auto passphrase = base::readSecretFile(o.value("export-passphrase-file"), 1024);
    if (!passphrase) {
        return fail(ctx, o, {sync::Errc::InvalidInput, passphrase.error().message, "export-passphrase-file"});
    }
    while (!passphrase->empty() && (passphrase->back() == '\n' || passphrase->back() == '\r')) {
        passphrase->pop_back();
    }
    auto outbox = sync::store::readExportOutbox(o.positional[1], *passphrase, ctx.clock);
    std::fill(passphrase->begin(), passphrase->end(), '\0');
    if (!outbox) {
        return fail(ctx, o, outbox.error());
    }
    auto config = serveConfig(o);
    if (!config) {
        return fail(ctx, o, config.error());
    }
    config->host = "127.0.0.1";
    config->port = 0;
    std::ostringstream quiet; // the in-process gateway's request log is not this command's output
    auto server = gw::GatewayServer::start(*config, ctx.clock, runtime.monotonic, randomOf(ctx), quiet);
    if (!server) {
        return fail(ctx, o, server.error());
    }
    (*server)->storage().actAs(operatorName(o));
    if (auto audited = (*server)->storage().recordAudit(
            {operatorName(o),
             "records.import",
             o.positional[1],
             {{"signer", outbox->signerPublicKeyHex}, {"unsent", outbox->unsent.size()}}},
            ctx.clock.nowJst());
        !audited) {
        return fail(ctx, o, audited.error());
    }
    std::vector<sync::protocol::RecordEnvelope> records;
    for (const auto& item : outbox->unsent) {
        auto created = base::Timestamp::parse(item.createdAt);
        records.push_back({item.idemKey, item.kind, item.recordId, item.payload, item.payloadSha256,
                           created ? *created : outbox->createdAt});
    }
    auto imported =
        (*server)->importRecords(outbox->signerPublicKeyHex, records, outbox->createdAt, std::chrono::seconds(30));
    (*server)->stop();
    if (!imported) {
        return fail(ctx, o, imported.error());
    }
    std::map<std::string, int> tally;
    auto lines = nlohmann::json::array();
    for (const auto& r : imported->results) {
        ++tally[std::string(base::toCode(r.status))];
        lines.push_back({{"idempotency_key", r.idemKey},
                         {"status", base::toCode(r.status)},
                         {"code", r.code},
                         {"reason", r.reason}});
    }
    if (o.has("--json")) {
        ctx.out << nlohmann::json{{"records", lines}, {"tally", tally}}.dump() << "\n";
    } else {
        for (const auto& [status, n] : tally) {
            ctx.out << status << " " << n << "\n";
        }
        for (const auto& r : imported->results) {
            if (r.status == sync::protocol::RecordStatus::Rejected ||
                r.status == sync::protocol::RecordStatus::Conflict) {
                ctx.out << "  " << r.idemKey << ": " << r.code << " " << r.reason << "\n";
            }
        }
    }
    return tally.count("rejected") || tally.count("conflict") ? kExitFailure : kExitOk;
}

int serve(CliContext& ctx, const CommandOptions& o, const GatewayRuntime& runtime)
{
    auto configured = serveConfig(o);
    if (!configured) {
        return fail(ctx, o, configured.error());
    }
    gw::GatewayConfig config = std::move(*configured);
    auto server = gw::GatewayServer::start(config, ctx.clock, runtime.monotonic, randomOf(ctx), ctx.err);
    if (!server) {
        return fail(ctx, o, server.error());
    }
    // One line on stdout for scripts and tests: where to connect and which CA to expect.
    ctx.out << nlohmann::json{{"listening", "https://" + config.host + ":" + std::to_string((*server)->port())},
                              {"port", (*server)->port()},
                              {"ca_fingerprint", (*server)->caFingerprint()}}
                   .dump()
            << "\n"
            << std::flush;
    ServiceNotifier systemd;
    systemd.ready("listening on " + config.host + ":" + std::to_string((*server)->port()));
    while (!runtime.stopRequested.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        systemd.keepAlive(std::chrono::steady_clock::now());
        if (runtime.reloadRequested && runtime.reloadRequested->exchange(false)) {
            systemd.reloading();
            gw::GatewayConfig fresh;
            fresh.dataDir = config.dataDir;
            auto loaded = fresh.loadFile(o.value("config"));
            // The command line wins over the file, as at the start.
            for (const auto& [flag, key] :
                 std::vector<std::pair<std::string, std::string>>{{"jpki-ca", "jpki_ca"}, {"jpki-crl", "jpki_crl"}}) {
                if (loaded && !o.value(flag).empty()) {
                    loaded = fresh.set(key, o.value(flag));
                }
            }
            if (!loaded) {
                ctx.err << nlohmann::json{{"event", "config.reload_failed"},
                                          {"level", "error"},
                                          {"reason", loaded.error().message}}
                               .dump()
                        << "\n";
            } else {
                (void)(*server)->reload(fresh); // logs what it applied and what needs a restart
            }
            systemd.ready("listening on " + config.host + ":" + std::to_string((*server)->port()));
        }
    }
    systemd.stopping();
    (*server)->stop();
    return kExitOk;
}

// --after SEQ (0 when absent), nullopt when it is not a number.
std::optional<std::int64_t> afterOption(const CommandOptions& o)
{
    if (o.value("after").empty()) {
        return 0;
    }
    try {
        return std::stoll(o.value("after"));
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// The JSON array in `path`, or an InvalidInput naming the file and what the array must hold.
Expected<nlohmann::json, sync::Error>
readJsonArray(const std::string& path, std::size_t maxBytes, const std::string& ofWhat)
{
    auto text = base::readSmallFile(path, maxBytes);
    if (!text) {
        return Unexpected(sync::Error{sync::Errc::InvalidInput, "cannot read " + path, "file"});
    }
    auto json = base::parseJson(*text);
    if (!json.is_array()) {
        return Unexpected(sync::Error{sync::Errc::InvalidInput, "the file must be a JSON array of " + ofWhat, "file"});
    }
    return json;
}

// --`name` as a whole number from `min` to `max` (`fallback` when absent); 0 when it is not one.
long numberOption(const CommandOptions& o, const std::string& name, long fallback, long min, long max)
{
    const std::string text = o.value(name);
    if (text.empty()) {
        return fallback;
    }
    long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    const bool whole = ec == std::errc() && end == text.data() + text.size();
    return whole && value >= min && value <= max ? value : 0;
}

// Security review L5: the codes issued (open, used, expired) and withdrawing a printed one that
// may have leaked, by the id `enroll-code` printed with it.
int enrollCodeLifecycle(CliContext& ctx, const CommandOptions& o, gw::GatewayData& data)
{
    const auto now = ctx.clock.nowJst();
    if (o.positional[0] == "withdraw") {
        auto withdrawn = data.storage->withdrawEnrollmentCode(o.positional[1], now);
        if (!withdrawn) {
            return fail(ctx, o, withdrawn.error());
        }
        if (!*withdrawn) {
            return fail(ctx, o, {sync::Errc::InvalidInput, "no open enrollment code " + o.positional[1], "id"});
        }
        ctx.out << (o.has("--json") ? nlohmann::json{{"withdrawn", o.positional[1]}}.dump()
                                    : "withdrawn " + o.positional[1])
                << "\n";
        return kExitOk;
    }
    auto codes = data.storage->enrollmentCodes();
    if (!codes) {
        return fail(ctx, o, codes.error());
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : *codes) {
        const bool expired = c.expiresAt <= sync::sql::utcText(now); // both UTC text of one width
        list.push_back({{"id", c.id},
                        {"created_at", c.createdAt},
                        {"expires_at", c.expiresAt},
                        {"state", c.usedAt  ? "used"
                                  : expired ? "expired"
                                            : "open"},
                        {"device_id", c.deviceId}});
    }
    ctx.out << (o.has("--json") ? list.dump() : list.dump(2)) << "\n";
    return kExitOk;
}

int enrollCode(CliContext& ctx, const CommandOptions& o)
{
    const bool lifecycle = !o.positional.empty();
    if (lifecycle && !(o.positional[0] == "list" && o.positional.size() == 1) &&
        !(o.positional[0] == "withdraw" && o.positional.size() == 2)) {
        return fail(ctx, o,
                    {sync::Errc::InvalidInput,
                     "use: enroll-code [--ttl-hours H] | enroll-code list | "
                     "enroll-code withdraw ID",
                     "enroll-code"});
    }
    auto data = openData(ctx, o);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    if (lifecycle) {
        return enrollCodeLifecycle(ctx, o, *data);
    }
    // A day at most (security review L5): a printed code that lies about for two weeks is a key.
    const long hours = numberOption(o, "ttl-hours", 24, 1, 24);
    if (hours == 0) {
        return fail(ctx, o, {sync::Errc::InvalidInput, "--ttl-hours must be between 1 and 24", "ttl-hours"});
    }
    const auto code = sync::protocol::EnrollmentCode::generate(randomOf(ctx), data->pki->caFingerprint());
    const auto now = ctx.clock.nowJst();
    const auto expires = now.plus(std::chrono::hours(hours));
    // Only the secret's hash is kept: the code itself exists on this screen and nowhere else.
    if (auto done = data->storage->addEnrollmentCode(base::sha256Hex(code.secret), now, expires); !done) {
        return fail(ctx, o, done.error());
    }
    if (o.has("--json")) {
        ctx.out << nlohmann::json{{"code", code.toString()},
                                  {"id", base::sha256Hex(code.secret).substr(0, 8)},
                                  {"expires_at", expires.toString()},
                                  {"ca_fingerprint", code.caFingerprint}}
                       .dump()
                << "\n";
    } else {
        ctx.out << code.toString() << "\n"
                << "id " << base::sha256Hex(code.secret).substr(0, 8) << " (enroll-code withdraw ID), valid until "
                << expires.toString() << "; single use. On the tablet: zaitaku-cli enroll --gateway "
                << "https://HOST:PORT (type the code at its prompt, or --code-file FILE)\n";
    }
    return kExitOk;
}

// A client certificate for the monitoring system (metrics_client_cert = required): key, certificate
// and the gateway CA into --out DIR, 0600. Short-lived instead of revocable: issue a new one in time.
int monitorCert(CliContext& ctx, const CommandOptions& o)
{
    const std::string out = o.value("out");
    if (out.empty()) {
        return fail(ctx, o, {sync::Errc::InvalidInput, "--out DIR is required", "out"});
    }
    const long days = numberOption(o, "days", 90, 1, 397);
    if (days == 0) {
        return fail(ctx, o, {sync::Errc::InvalidInput, "--days must be between 1 and 397", "days"});
    }
    auto data = openData(ctx, o);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    auto request = sync::protocol::makeDeviceKeyRequest("zaitaku-monitor");
    if (!request) {
        return fail(ctx, o, request.error());
    }
    auto issued = data->pki->issueDeviceCertificate(request->csrPem, "monitor", ctx.clock.nowJst(), randomOf(ctx),
                                                    static_cast<int>(days));
    if (!issued) {
        return fail(ctx, o, issued.error());
    }
    if (auto audited = auditFirst(ctx, *data, "gateway.monitor_cert", issued->serialHex, {{"days", days}}); !audited) {
        return fail(ctx, o, audited.error());
    }
    std::error_code ec;
    std::filesystem::create_directories(out, ec);
    for (const auto& [name, content] :
         std::vector<std::pair<std::string, std::string>>{{"monitor.key.pem", request->privateKeyPem},
                                                          {"monitor.cert.pem", issued->certificatePem},
                                                          {"ca.cert.pem", data->pki->caPem()}}) {
        if (auto done = base::writeFileAtomically(out + "/" + name, content, 0600); !done) {
            return fail(ctx, o, sync::fromBase(done.error()));
        }
    }
    if (o.has("--json")) {
        ctx.out << nlohmann::json{{"out", out}, {"serial", issued->serialHex}, {"days", days}}.dump() << "\n";
    } else {
        ctx.out << "monitoring certificate in " << out << " (monitor.key.pem, monitor.cert.pem, ca.cert.pem), valid "
                << days << " days\n";
    }
    return kExitOk;
}

// A tablet-chosen text as the terminal may show it: control characters as \xNN (labels stored
// before enrollment refused them).
std::string printable(const std::string& text)
{
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[u >> 4];
            out += kHex[u & 15];
        } else {
            out += c;
        }
    }
    return out;
}

nlohmann::json deviceJson(const gw::DeviceRecord& d)
{
    return {{"id", d.id},
            {"label", d.label},
            {"certificate_serial", d.certificateSerial},
            {"app_version", d.appVersion},
            {"enrolled_at", d.enrolledAt.toString()},
            {"revoked_at", d.revokedAt ? nlohmann::json(d.revokedAt->toString()) : nlohmann::json(nullptr)},
            {"last_seen_at", d.lastSeenAt ? nlohmann::json(d.lastSeenAt->toString()) : nlohmann::json(nullptr)},
            {"backlog", d.backlog ? nlohmann::json(*d.backlog) : nlohmann::json(nullptr)},
            {"backlog_since", d.backlogSince ? nlohmann::json(d.backlogSince->toString()) : nlohmann::json(nullptr)},
            {"feed_seq", d.feedSeq}};
}

// "never", or the time and, when the tablet said it still held records, how many since when.
std::string sightingText(const gw::DeviceRecord& d)
{
    if (!d.lastSeenAt) {
        return "  last seen never";
    }
    std::string out = "  last seen " + d.lastSeenAt->toString();
    if (d.backlog) {
        out += "  unsent " + std::to_string(*d.backlog);
        if (*d.backlog > 0 && d.backlogSince) {
            out += " (oldest " + d.backlogSince->toString() + ")";
        }
    }
    return out;
}

int devices(CliContext& ctx, const CommandOptions& o)
{
    auto data = openData(ctx, o);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    const std::string action = o.positional.empty() ? "" : o.positional[0];
    if (action == "list") {
        auto list = data->storage->devices();
        if (!list) {
            return fail(ctx, o, list.error());
        }
        if (o.has("--json")) {
            auto arr = nlohmann::json::array();
            for (const auto& d : *list) {
                arr.push_back(deviceJson(d));
            }
            ctx.out << arr.dump() << "\n";
        } else {
            for (const auto& d : *list) {
                ctx.out << d.id << "  " << printable(d.label) << "  enrolled " << d.enrolledAt.toString()
                        << sightingText(d) << (d.revokedAt ? "  REVOKED " + d.revokedAt->toString() : std::string())
                        << "\n";
            }
        }
        return kExitOk;
    }
    if (action == "revoke" && o.positional.size() == 2) {
        auto revoked = data->storage->revokeDevice(o.positional[1], ctx.clock.nowJst());
        if (!revoked) {
            return fail(ctx, o, revoked.error());
        }
        if (!*revoked) {
            return fail(ctx, o, {sync::Errc::InvalidInput, "no active device '" + o.positional[1] + "'", "device"});
        }
        if (o.has("--json")) {
            ctx.out << nlohmann::json{{"revoked", o.positional[1]}}.dump() << "\n";
        } else {
            ctx.out << "revoked " << o.positional[1] << ": its requests are refused from now on\n";
        }
        return kExitOk;
    }
    return fail(ctx, o, {sync::Errc::InvalidInput, "use: devices list | devices revoke DEVICE_ID", "devices"});
}

// Patient ids from the arguments after the device id and from --patients-file (one per line).
Expected<std::vector<std::string>, sync::Error> patientIdsOf(const CommandOptions& o)
{
    std::vector<std::string> ids(o.positional.begin() + 2, o.positional.end());
    if (!o.value("patients-file").empty()) {
        auto text = base::readSmallFile(o.value("patients-file"), 4 * 1024 * 1024);
        if (!text) {
            return Unexpected(sync::Error{sync::Errc::InvalidInput, text.error().message, "patients-file"});
        }
        std::istringstream lines(*text);
        for (std::string line; std::getline(lines, line);) {
            line.erase(line.find_last_not_of(" \t\r") + 1);
            if (!line.empty()) {
                ids.push_back(line);
            }
        }
    }
    if (ids.empty()) {
        return Unexpected(sync::Error{sync::Errc::InvalidInput, "name at least one patient id", "patient"});
    }
    return ids;
}

int roster(CliContext& ctx, const CommandOptions& o)
{
    const std::string action = o.positional.empty() ? "" : o.positional[0];
    const bool change = action == "assign" || action == "unassign";
    if (o.positional.size() < 2 || (!change && (action != "list" || o.positional.size() != 2))) {
        return fail(
            ctx, o,
            {sync::Errc::InvalidInput,
             "use: roster list DEVICE_ID | roster assign|unassign DEVICE_ID PATIENT_ID... [--patients-file FILE]",
             "roster"});
    }
    auto data = openData(ctx, o);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    const std::string& deviceId = o.positional[1];
    if (change) {
        auto ids = patientIdsOf(o);
        if (!ids) {
            return fail(ctx, o, ids.error());
        }
        auto changed = data->storage->changeAssignments(deviceId, *ids, action == "assign", ctx.clock.nowJst());
        if (!changed) {
            return fail(ctx, o, changed.error());
        }
        if (o.has("--json")) {
            ctx.out << nlohmann::json{{"device", deviceId}, {action == "assign" ? "assigned" : "unassigned", *changed}}
                           .dump()
                    << "\n";
        } else {
            ctx.out << deviceId << ": " << *changed << (action == "assign" ? " assigned" : " unassigned") << "\n";
        }
        return kExitOk;
    }
    auto patients = data->storage->assignedPatients(deviceId);
    if (!patients) {
        return fail(ctx, o, patients.error());
    }
    if (o.has("--json")) {
        ctx.out << nlohmann::json{{"device", deviceId}, {"patients", *patients}}.dump() << "\n";
    } else {
        for (const auto& p : *patients) {
            ctx.out << p << "\n";
        }
    }
    return kExitOk;
}

int exportRecords(CliContext& ctx, const CommandOptions& o)
{
    auto data = openData(ctx, o);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    const auto start = afterOption(o);
    if (!start) {
        return fail(ctx, o, {sync::Errc::InvalidInput, "--after must be a number", "after"});
    }
    std::int64_t after = *start;
    // Every payload (names, insurer numbers, 申立書 fields) leaves the database here.
    if (auto audited = auditFirst(ctx, *data, "gateway.export", "records", {{"after", after}}); !audited) {
        return fail(ctx, o, audited.error());
    }
    for (;;) {
        auto page = data->storage->records(after, 500);
        if (!page) {
            return fail(ctx, o, page.error());
        }
        if (page->empty()) {
            break;
        }
        for (const auto& r : *page) {
            ctx.out << nlohmann::json{{"seq", r.seq},
                                      {"device_id", r.deviceId},
                                      {"idempotency_key", r.idemKey},
                                      {"kind", r.kind},
                                      {"record_id", r.recordId},
                                      {"received_at", r.receivedAt.toString()},
                                      {"flags", r.flags},
                                      {"derived", r.derived},
                                      {"payload_sha256", r.payloadSha256},
                                      {"payload", base::parseJson(r.payload)}}
                           .dump()
                    << "\n";
            after = r.seq;
        }
    }
    return kExitOk;
}

int importSnapshots(CliContext& ctx, const CommandOptions& o)
{
    if (o.positional.size() != 2 || o.positional[0] != "import") {
        return fail(ctx, o, {sync::Errc::InvalidInput, "use: snapshots import FILE", "snapshots"});
    }
    auto read = readJsonArray(o.positional[1], 64 * 1024 * 1024, "{patient_id, snapshot}");
    if (!read) {
        return fail(ctx, o, read.error());
    }
    const auto& json = *read;
    auto data = openData(ctx, o);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    std::vector<std::string> patients;
    for (const auto& item : json) {
        if (item.is_object() && item.contains("patient_id") && item["patient_id"].is_string()) {
            patients.push_back(item["patient_id"]);
        }
    }
    if (auto audited = auditFirst(ctx, *data, "snapshot.import", o.positional[1], {{"patients", patients}}); !audited) {
        return fail(ctx, o, audited.error());
    }
    std::size_t count = 0;
    for (std::size_t i = 0; i < json.size(); ++i) {
        const auto& item = json[i];
        if (!item.is_object() || !item.contains("patient_id") || !item["patient_id"].is_string() ||
            !item.contains("snapshot") || !item["snapshot"].is_object()) {
            return fail(ctx, o,
                        {sync::Errc::InvalidInput, "item " + std::to_string(i) + " needs patient_id and snapshot",
                         "[" + std::to_string(i) + "]"});
        }
        if (auto done = data->storage->addSnapshot(item["patient_id"], item["snapshot"], ctx.clock.nowJst()); !done) {
            return fail(ctx, o, done.error());
        }
        ++count;
    }
    ctx.out << (o.has("--json") ? nlohmann::json{{"imported", count}}.dump() : "imported " + std::to_string(count))
            << "\n";
    return kExitOk;
}

int epoch(CliContext& ctx, const CommandOptions& o)
{
    if (o.positional.size() != 1 || o.positional[0] != "rotate") {
        return fail(ctx, o, {sync::Errc::InvalidInput, "use: epoch rotate [--reason TEXT]", "epoch"});
    }
    auto data = openData(ctx, o);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    const std::string reason = o.value("reason").empty() ? "rotated by the operator" : o.value("reason");
    auto rotated = data->storage->rotateEpoch(randomOf(ctx), reason, ctx.clock.nowJst());
    if (!rotated) {
        return fail(ctx, o, rotated.error());
    }
    ctx.out << (o.has("--json") ? nlohmann::json{{"epoch", *rotated}}.dump() : "epoch " + *rotated) << "\n";
    return kExitOk;
}

// Security review M9: a new issuing CA signed by the root key brought from its offline copy.
int rollIssuing(CliContext& ctx, const CommandOptions& o, gw::GatewayData& data)
{
    if (auto audited = auditFirst(ctx, data, "gateway.ca_roll", "issuing"); !audited) {
        return fail(ctx, o, audited.error());
    }
    if (auto rolled =
            gw::GatewayPki::rollIssuingCa(dataDirOf(o), o.value("root-key"), randomOf(ctx), ctx.clock.nowJst());
        !rolled) {
        return fail(ctx, o, rolled.error());
    }
    ctx.out << (o.has("--json") ? nlohmann::json{{"rolled", true}}.dump()
                                : std::string("a new issuing CA signs devices from the next start; the earlier "
                                              "one stays trusted for the tablets it signed"))
            << "\n";
    return kExitOk;
}

// Issue 30, CA rollover, step 1: a new root, cross-certified by the current one, announced to every
// tablet through the feed (they pin it once the cross certificate verifies).
int rollRoot(CliContext& ctx, const CommandOptions& o, gw::GatewayData& data)
{
    if (o.value("new-root-key-out").empty()) {
        return fail(ctx, o,
                    {sync::Errc::InvalidInput, "--new-root-key-out FILE (where the new root key goes) is required",
                     "new-root-key-out"});
    }
    auto next = gw::GatewayPki::announceNextRoot(dataDirOf(o), o.value("root-key"), o.value("new-root-key-out"),
                                                 randomOf(ctx), ctx.clock.nowJst());
    if (!next) {
        return fail(ctx, o, next.error());
    }
    const auto body = sync::protocol::toJson(sync::protocol::TrustAnchorAnnouncement{next->rootPem, next->crossPem});
    if (auto done = data.storage->announceTrustAnchor(body, next->fingerprint, ctx.clock.nowJst()); !done) {
        return fail(ctx, o, done.error());
    }
    ctx.out << (o.has("--json")
                    ? nlohmann::json{{"announced", next->fingerprint}}.dump()
                    : "announced root " + next->fingerprint + " to every tablet; keep " + o.value("new-root-key-out") +
                          " offline. When `devices list` shows every tablet has read it: "
                          "ca switch-root --root-key " +
                          o.value("new-root-key-out"))
            << "\n";
    return kExitOk;
}

// Step 2, with the gateway stopped: the announced root becomes the root (new issuing CA and server
// certificate under it); tablets that have not read the announcement still connect through the
// cross certificate, but --force is needed to leave them behind.
int switchRoot(CliContext& ctx, const CommandOptions& o, gw::GatewayData& data)
{
    auto lock = gw::ServeLock::acquire(dataDirOf(o));
    if (!lock) {
        return fail(ctx, o, lock.error());
    }
    auto seq = data.storage->trustAnchorSeq();
    auto list = data.storage->devices();
    if (!seq || !list) {
        return fail(ctx, o, !seq ? seq.error() : list.error());
    }
    std::vector<std::string> behind;
    for (const auto& d : *list) {
        if (!d.revokedAt && seq->has_value() && d.feedSeq < **seq) {
            behind.push_back(d.id);
        }
    }
    if (!behind.empty() && !o.has("--force")) {
        std::string names;
        for (const auto& id : behind) {
            names += (names.empty() ? "" : ", ") + id;
        }
        return fail(
            ctx, o,
            {sync::Errc::InvalidInput,
             "these tablets have not read the new root yet: " + names + " (let them sync, revoke them, or --force)",
             "devices"});
    }
    if (auto audited = auditFirst(ctx, data, "gateway.ca_switch_root", "root", {{"tablets_behind", behind}});
        !audited) {
        return fail(ctx, o, audited.error());
    }
    gw::GatewayConfig config;
    (void)config.loadFile(o.value("config"));
    if (auto done = gw::GatewayPki::switchRoot(dataDirOf(o), o.value("root-key"), config.serverNames, randomOf(ctx),
                                               ctx.clock.nowJst());
        !done) {
        return fail(ctx, o, done.error());
    }
    ctx.out << (o.has("--json") ? nlohmann::json{{"switched", true}}.dump()
                                : std::string("the new root is in use from the next start; the old root and "
                                              "issuing CA stay trusted for the tablets they signed"))
            << "\n";
    return kExitOk;
}

int ca(CliContext& ctx, const CommandOptions& o)
{
    const std::string action = o.positional.empty() ? "" : o.positional[0];
    if (action != "roll" && action != "roll-root" && action != "switch-root") {
        return fail(ctx, o,
                    {sync::Errc::InvalidInput,
                     "usage: ca roll --root-key FILE | ca roll-root --root-key FILE --new-root-key-out FILE | "
                     "ca switch-root --root-key NEW_ROOT_KEY [--force]",
                     "command"});
    }
    if (o.value("root-key").empty()) {
        return fail(ctx, o,
                    {sync::Errc::InvalidInput, "--root-key FILE (the offline root CA key) is required", "root-key"});
    }
    auto data = openData(ctx, o);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    if (action == "roll") {
        return rollIssuing(ctx, o, *data);
    }
    return action == "roll-root" ? rollRoot(ctx, o, *data) : switchRoot(ctx, o, *data);
}

// Issue 30: the server certificate before it expires, when the root key is offline (serve renews
// it itself while the root key is in the data folder); a running gateway takes it on reload.
int serverCert(CliContext& ctx, const CommandOptions& o)
{
    if (o.positional.empty() || o.positional[0] != "renew") {
        return fail(
            ctx, o,
            {sync::Errc::InvalidInput, "usage: server-cert renew [--root-key FILE] [--add-name NAME]", "command"});
    }
    auto data = openData(ctx, o);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    std::vector<std::string> names;
    if (!o.value("add-name").empty()) {
        names.push_back(o.value("add-name"));
    }
    if (auto audited = auditFirst(ctx, *data, "gateway.server_cert_renew", "server", {{"added_names", names}});
        !audited) {
        return fail(ctx, o, audited.error());
    }
    if (auto done = gw::GatewayPki::renewServerCertificate(dataDirOf(o), names, o.value("root-key"), randomOf(ctx),
                                                           ctx.clock.nowJst());
        !done) {
        return fail(ctx, o, done.error());
    }
    auto renewed = gw::GatewayPki::load(dataDirOf(o));
    if (!renewed) {
        return fail(ctx, o, renewed.error());
    }
    const std::string notAfter = renewed->serverNotAfter().toString();
    ctx.out << (o.has("--json") ? nlohmann::json{{"not_after", notAfter}}.dump()
                                : "server certificate valid until " + notAfter +
                                      "; a running gateway takes it on reload (systemctl reload zaitaku-gateway)")
            << "\n";
    return kExitOk;
}

// Issue 30: an online backup of the SQLCipher database under a backup key kept apart, and its
// restore (the gateway stopped), which starts a new epoch so that tablets push again.
int backup(CliContext& ctx, const CommandOptions& o)
{
    if (o.value("to").empty()) {
        return fail(ctx, o, {sync::Errc::InvalidInput, "--to FILE is required", "to"});
    }
    gw::GatewayConfig config;
    auto data = openData(ctx, o, &config);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    auto key = gw::loadBackupKey(o.value("key-file"), true, randomOf(ctx));
    if (!key) {
        return fail(ctx, o, key.error());
    }
    if (auto audited = auditFirst(ctx, *data, "gateway.backup", o.value("to")); !audited) {
        return fail(ctx, o, audited.error());
    }
    auto summary = gw::backupGateway(config, data->pki->databaseKey(), *key, o.value("to"));
    if (!summary) {
        return fail(ctx, o, summary.error());
    }
    const nlohmann::json j{{"to", o.value("to")},
                           {"records", summary->lastRecordSeq},
                           {"schema_version", summary->schemaVersion},
                           {"epoch", summary->epoch},
                           {"bytes", summary->bytes}};
    ctx.out << (o.has("--json") ? j.dump() : j.dump(2)) << "\n";
    return kExitOk;
}

int restore(CliContext& ctx, const CommandOptions& o)
{
    if (o.value("from").empty()) {
        return fail(ctx, o, {sync::Errc::InvalidInput, "--from FILE is required", "from"});
    }
    gw::GatewayConfig config;
    config.dataDir = dataDirOf(o);
    if (auto done = config.loadFile(o.value("config")); !done) {
        return fail(ctx, o, done.error());
    }
    auto pki = gw::GatewayPki::load(config.dataDir);
    if (!pki) {
        return fail(ctx, o, pki.error());
    }
    auto key = gw::loadBackupKey(o.value("key-file"), false, randomOf(ctx));
    if (!key) {
        return fail(ctx, o, key.error());
    }
    auto summary = gw::restoreGateway(config, pki->databaseKey(), *key, o.value("from"), o.has("--force"),
                                      randomOf(ctx), ctx.clock.nowJst());
    if (!summary) {
        return fail(ctx, o, summary.error());
    }
    const nlohmann::json j{{"from", o.value("from")},
                           {"records", summary->lastRecordSeq},
                           {"schema_version", summary->schemaVersion},
                           {"new_epoch", true}};
    ctx.out << (o.has("--json") ? j.dump() : j.dump(2)) << "\n";
    return kExitOk;
}

int status(CliContext& ctx, const CommandOptions& o)
{
    auto data = openData(ctx, o);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    auto counts = data->storage->counts();
    auto ep = data->storage->epoch();
    if (!counts || !ep) {
        return fail(ctx, o, counts ? ep.error() : counts.error());
    }
    nlohmann::json j{{"backend", data->storage->backend()},
                     {"epoch", *ep},
                     {"ca_fingerprint", data->pki->caFingerprint()},
                     {"root_key_on_server", base::fileExists(dataDirOf(o) + "/ca.key.pem")},
                     {"root_signs_devices", data->pki->rootSignsDevices()},
                     {"devices", counts->devices},
                     {"devices_revoked", counts->revokedDevices},
                     {"records", counts->records},
                     {"feed_items", counts->feedItems},
                     {"snapshots", counts->snapshots}};
    for (const auto& [name, at] : data->pki->expiries()) {
        j["certificates"][name] = {{"expires", at.toString()},
                                   {"days_left", (at.utc() - ctx.clock.nowJst().utc()) / std::chrono::hours(24)}};
    }
    ctx.out << (o.has("--json") ? j.dump() : j.dump(2)) << "\n";
    return kExitOk;
}

// Seed 004 再照会: the patients a facility already visits in continuing care, with the first online
// confirmation and the insurance numbers it holds, so that their revisits can be re-queried from
// the first day; each one audited with the operator's name.
int care(CliContext& ctx, const CommandOptions& o)
{
    if (o.positional.size() != 2 || o.positional[0] != "import") {
        return fail(ctx, o, {sync::Errc::InvalidInput, "use: care import FILE [--by NAME]", "care"});
    }
    auto read = readJsonArray(o.positional[1], 16 * 1024 * 1024, "care relationships");
    if (!read) {
        return fail(ctx, o, read.error());
    }
    const auto& list = *read;
    std::vector<gw::CareImport> cares;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& item = list[i];
        const std::string at = "[" + std::to_string(i) + "]";
        const auto field = [&](const char* key) {
            return item.is_object() && item.contains(key) && item[key].is_string() ? item[key].get<std::string>()
                                                                                   : std::string();
        };
        const auto firstVisit = base::Timestamp::parse(field("first_visit_at"));
        const auto confirmed = base::Timestamp::parse(field("first_online_confirm_at"));
        const auto birth = base::Date::parse(field("birthdate"));
        if (field("patient_id").empty() || field("service_kind").empty() || !firstVisit || !confirmed || !birth ||
            field("insurer_number").empty() || field("insured_identification_number").empty()) {
            return fail(ctx, o,
                        {sync::Errc::InvalidInput,
                         "item " + std::to_string(i) +
                             " needs patient_id, service_kind, first_visit_at and first_online_confirm_at (ISO "
                             "8601 with offset), insurer_number, insured_identification_number and birthdate "
                             "(YYYY-MM-DD)",
                         at});
        }
        gw::CareImport c;
        c.patientId = field("patient_id");
        c.serviceKind = field("service_kind");
        c.firstVisitAt = *firstVisit;
        c.firstOnlineConfirmAt = *confirmed;
        c.search = {{"insurer_number", field("insurer_number")},
                    {"insured_card_symbol", field("insured_card_symbol")},
                    {"insured_identification_number", field("insured_identification_number")},
                    {"insured_branch_number", field("insured_branch_number")},
                    {"birthdate", birth->toCompact()},
                    {"limit_consent", field("limit_consent") == "1" ? "1" : "0"}};
        cares.push_back(std::move(c));
    }
    auto data = openData(ctx, o);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    std::size_t imported = 0;
    for (const auto& c : cares) {
        auto done = data->storage->importCare(c, operatorName(o), ctx.clock.nowJst());
        if (!done) {
            return fail(ctx, o, done.error());
        }
        imported += *done ? 1 : 0;
    }
    ctx.out << (o.has("--json") ? nlohmann::json{{"imported", imported}, {"known", cares.size() - imported}}.dump()
                                : "imported " + std::to_string(imported) + ", already known " +
                                      std::to_string(cares.size() - imported))
            << "\n";
    return kExitOk;
}

// Seed 003: 申立書 data serve the claim only and are discarded once it is settled (ClaimPurge).
int claims(CliContext& ctx, const CommandOptions& o)
{
    const bool settle = o.positional.size() == 2 && o.positional[0] == "settle";
    const bool purge = o.positional.size() == 1 && o.positional[0] == "purge";
    if (!settle && !purge) {
        return fail(ctx, o, {sync::Errc::InvalidInput, "use: claims settle SEQ [--by NAME] | claims purge", "claims"});
    }
    gw::GatewayConfig config;
    auto data = openData(ctx, o, &config);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    const auto now = ctx.clock.nowJst();
    if (settle) {
        std::int64_t seq = 0;
        try {
            seq = std::stoll(o.positional[1]);
        } catch (const std::exception&) {
            return fail(ctx, o, {sync::Errc::InvalidInput, "SEQ is a record number (zaitaku-gateway export)", "seq"});
        }
        auto settled = data->storage->settleClaim(seq, operatorName(o), now);
        if (!settled) {
            return fail(ctx, o, settled.error());
        }
        const auto purgeOn = now.plus(config.claimPurgeAfter);
        nlohmann::json j{{"record", seq}, {"settled", *settled}, {"purge_from", purgeOn.toString()}};
        ctx.out << (o.has("--json") ? j.dump()
                                    : (*settled ? "settled record " : "already settled: record ") +
                                          std::to_string(seq) + "; 申立書 data purged from " + purgeOn.toString())
                << "\n";
        return kExitOk;
    }
    auto purged = data->storage->purgeSettledClaims(now.plus(-config.claimPurgeAfter), operatorName(o), now);
    if (!purged) {
        return fail(ctx, o, purged.error());
    }
    ctx.out << (o.has("--json") ? nlohmann::json{{"purged", *purged}}.dump() : "purged " + std::to_string(*purged))
            << "\n";
    return kExitOk;
}

// For review (6.0: 証跡の定期的な確認): the rows after --after, oldest first, one JSON line each.
int auditList(CliContext& ctx, const CommandOptions& o, gw::GatewayData& data)
{
    const auto after = afterOption(o);
    if (!after) {
        return fail(ctx, o, {sync::Errc::InvalidInput, "--after must be a number", "after"});
    }
    const long limit = numberOption(o, "limit", 1000, 1, 100000);
    if (limit == 0) {
        return fail(ctx, o, {sync::Errc::InvalidInput, "--limit must be between 1 and 100000", "limit"});
    }
    auto rows = data.storage->auditRows(*after, static_cast<std::size_t>(limit));
    if (!rows) {
        return fail(ctx, o, rows.error());
    }
    for (const auto& r : *rows) {
        ctx.out << nlohmann::json{{"seq", r.seq},       {"at", r.at},           {"actor", r.actor},
                                  {"action", r.action}, {"subject", r.subject}, {"detail", base::parseJson(r.detail)}}
                       .dump()
                << "\n";
    }
    return kExitOk;
}

int audit(CliContext& ctx, const CommandOptions& o)
{
    const std::string action = o.positional.size() == 1 ? o.positional[0] : std::string();
    if (action != "verify" && action != "list" && action != "anchor") {
        return fail(ctx, o,
                    {sync::Errc::InvalidInput, "use: audit verify | audit list [--after SEQ] | audit anchor", "audit"});
    }
    auto data = openData(ctx, o);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    if (action == "list") {
        return auditList(ctx, o, *data);
    }
    const std::string anchors = dataDirOf(o) + "/audit-anchors";
    if (action == "anchor") {
        // Appended to the data folder's file and printed: ship the line off the host (syslog).
        auto anchor = gw::currentAuditAnchor(*data->storage);
        if (!anchor) {
            return fail(ctx, o, anchor.error());
        }
        if (!*anchor) {
            return fail(ctx, o, {sync::Errc::InvalidInput, "the audit log is empty", "audit"});
        }
        if (auto done = gw::appendAuditAnchor(anchors, **anchor); !done) {
            return fail(ctx, o, done.error());
        }
        ctx.out
            << (o.has("--json")
                    ? nlohmann::json{{"seq", (*anchor)->seq}, {"hash", (*anchor)->hash}, {"at", (*anchor)->at}}.dump()
                    : (*anchor)->line())
            << "\n";
        return kExitOk;
    }
    auto verified = data->storage->verifyAudit();
    if (!verified) {
        return fail(ctx, o, verified.error());
    }
    // The chain must still pass through every anchor written outside the database (review M6).
    auto anchored = gw::readAuditAnchors(anchors, verified->problems);
    if (!anchored) {
        return fail(ctx, o, anchored.error());
    }
    if (auto checked = gw::checkAuditAnchors(*data->storage, *anchored, verified->problems); !checked) {
        return fail(ctx, o, checked.error());
    }
    ctx.out << (o.has("--json") ? verified->toJson().dump() : verified->toJson().dump(2)) << "\n";
    return verified->ok() ? kExitOk : kExitFailure;
}

// Security review H3: the people who sign in on the tablets, each with a role and a PIN or
// passphrase of their own (read from a 0600 file, never from the command line); every change is
// audited under the operator's name and reaches every tablet at its next sync.
int staff(CliContext& ctx, const CommandOptions& o)
{
    const std::string action = o.positional.empty() ? std::string() : o.positional[0];
    const std::string usage =
        "use: staff add STAFF_ID --role nurse|physician|custodian|manager --secret-file FILE [--name NAME] | "
        "staff disable STAFF_ID | staff list";
    if (!(action == "list" && o.positional.size() == 1) &&
        !((action == "add" || action == "disable") && o.positional.size() == 2)) {
        return fail(ctx, o, {sync::Errc::InvalidInput, usage, "staff"});
    }
    auto data = openData(ctx, o);
    if (!data) {
        return fail(ctx, o, data.error());
    }
    auto accounts = data->storage->staffAccounts();
    if (!accounts) {
        return fail(ctx, o, accounts.error());
    }
    if (action == "list") {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& a : *accounts) {
            list.push_back({{"staff_id", a.staffId},
                            {"name", a.name},
                            {"role", a.role},
                            {"active", a.active},
                            {"version", a.version}});
        }
        ctx.out << (o.has("--json") ? list.dump() : list.dump(2)) << "\n";
        return kExitOk;
    }
    const std::string id = o.positional[1];
    if (!sync::protocol::isStaffId(id)) {
        return fail(ctx, o,
                    {sync::Errc::InvalidInput, "a staff id has 2–32 letters, digits, '.', '_' or '-'", "staff"});
    }
    const auto existing =
        std::find_if(accounts->begin(), accounts->end(), [&](const auto& a) { return a.staffId == id; });
    sync::protocol::StaffAccount account;
    if (action == "disable") {
        if (existing == accounts->end()) {
            return fail(ctx, o, {sync::Errc::InvalidInput, "no staff account " + id, "staff"});
        }
        account = *existing;
        account.active = false;
    } else {
        const std::string role = o.value("role");
        if (!sync::protocol::isStaffRole(role)) {
            return fail(ctx, o,
                        {sync::Errc::InvalidInput, "--role must be nurse, physician, custodian or manager", "role"});
        }
        if (o.value("secret-file").empty()) {
            return fail(ctx, o,
                        {sync::Errc::InvalidInput, "--secret-file FILE (the PIN or passphrase, 0600) is required",
                         "secret-file"});
        }
        auto secret = base::readSecretFile(o.value("secret-file"), 256);
        if (!secret) {
            return fail(ctx, o, {sync::Errc::InvalidInput, secret.error().message, "secret-file"});
        }
        while (!secret->empty() && (secret->back() == '\n' || secret->back() == '\r')) {
            secret->pop_back();
        }
        auto credential = sync::protocol::makeStaffCredential(*secret, randomOf(ctx));
        std::fill(secret->begin(), secret->end(), '\0');
        if (!credential) {
            return fail(ctx, o, credential.error());
        }
        account.staffId = id;
        account.name = o.value("name").empty() && existing != accounts->end() ? existing->name : o.value("name");
        account.role = role;
        account.credential = std::move(*credential);
        account.active = true;
    }
    auto version = data->storage->putStaff(account, ctx.clock.nowJst());
    if (!version) {
        return fail(ctx, o, version.error());
    }
    const nlohmann::json j{{"staff_id", id}, {"role", account.role}, {"active", account.active}, {"version", *version}};
    ctx.out << (o.has("--json") ? j.dump() : j.dump(2)) << "\n";
    return kExitOk;
}

} // namespace

int runGatewayCli(const Args& args, CliContext& ctx, const GatewayRuntime& runtime)
{
    OptionSpec spec{
        {"--json", "--log-requests", "--force"},
        {"--data-dir",  "--listen", "--config",   "--jpki-ca",          "--jpki-crl", "--threads",
         "--ttl-hours", "--after",  "--reason",   "--patients-file",    "--out",      "--days",
         "--by",        "--limit",  "--role",     "--secret-file",      "--name",     "--root-key",
         "--to",        "--from",   "--key-file", "--new-root-key-out", "--add-name", "--export-passphrase-file"},
        true};
    if (!args.empty() && args[0] == "--version") {
        ctx.out << kProgram << " " << ZAITAKU_VERSION << "\n";
        return kExitOk;
    }
    auto command = parseSubcommand(args, spec, kProgram, kUsage, ctx);
    if (!command.options) {
        return command.exitCode;
    }
    const CommandOptions& o = *command.options;
    if (dataDirOf(o).empty()) {
        return fail(ctx, o, {sync::Errc::InvalidInput, "--data-dir is required", "data-dir"});
    }
    const std::string& sub = o.sub;
    if (sub == "serve") {
        return serve(ctx, o, runtime);
    }
    if (sub == "enroll-code") {
        return enrollCode(ctx, o);
    }
    if (sub == "devices") {
        return devices(ctx, o);
    }
    if (sub == "monitor-cert") {
        return monitorCert(ctx, o);
    }
    if (sub == "roster") {
        return roster(ctx, o);
    }
    if (sub == "export") {
        return exportRecords(ctx, o);
    }
    if (sub == "snapshots") {
        return importSnapshots(ctx, o);
    }
    if (sub == "epoch") {
        return epoch(ctx, o);
    }
    if (sub == "ca") {
        return ca(ctx, o);
    }
    if (sub == "records") {
        return importRecords(ctx, o, runtime);
    }
    if (sub == "server-cert") {
        return serverCert(ctx, o);
    }
    if (sub == "backup") {
        return backup(ctx, o);
    }
    if (sub == "restore") {
        return restore(ctx, o);
    }
    if (sub == "status") {
        return status(ctx, o);
    }
    if (sub == "audit") {
        return audit(ctx, o);
    }
    if (sub == "claims") {
        return claims(ctx, o);
    }
    if (sub == "care") {
        return care(ctx, o);
    }
    if (sub == "staff") {
        return staff(ctx, o);
    }
    ctx.err << "zaitaku-gateway: unknown command '" << sub << "'\n";
    ctx.err << kUsage;
    return kExitBadInput;
}

} // namespace zaitaku::cli
