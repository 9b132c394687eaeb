#include "sync/gateway/GatewayServer.h"

#include "base/AtomicFile.h"
#include "sync/gateway/AuditAnchors.h"
#include "sync/gateway/ChallengeIssuer.h"
#include "sync/gateway/GatewayBackup.h"
#include "sync/gateway/GatewayLog.h"
#include "sync/gateway/GatewayPki.h"
#include "sync/gateway/GatewayService.h"
#include "sync/gateway/JpkiTrust.h"
#include "sync/gateway/MedicalInfoService.h"
#include "sync/gateway/Metrics.h"
#include "sync/gateway/OpenGatewayStorage.h"
#include "sync/gateway/RateLimiter.h"
#include "sync/gateway/RecordValidator.h"
#include "sync/transport/HttpsServer.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

namespace zaitaku::sync::gateway
{

void LockedRandom::fill(std::span<std::uint8_t> out)
{
    std::lock_guard lock(m_mutex);
    m_inner.fill(out);
}

struct GatewayServer::Parts
{
    GatewayConfig config;
    std::unique_ptr<LockedRandom> random;
    std::unique_ptr<GatewayPki> pki;
    std::unique_ptr<GatewayStorage> storage; // openGatewayStorage: SQLite or PostgreSQL
    JpkiTrust jpki;
    std::unique_ptr<ChallengeIssuer> challenges;
    std::unique_ptr<RecordValidator> validator;
    Metrics metrics;
    std::unique_ptr<RateLimiter> limiter;
    std::unique_ptr<RateLimiter> enrollLimiter;
    std::unique_ptr<RateLimiter> recordBytes;
    std::unique_ptr<RateLimiter> firstVisitQueries;
    std::unique_ptr<GatewayLog> log;
    // Destroyed after the eligibility service, whose job threads call into it.
    std::unique_ptr<MedicalInfoService> medicalInfo;
    std::unique_ptr<EligibilityService> eligibility; // with an OQS bridge configured
    std::unique_ptr<GatewayService> service;
    std::optional<ServeLock> serveLock; // restore refuses to swap the database while it is held
    std::unique_ptr<transport::HttpsServer> server;
    std::thread highWaterWriter;
    std::mutex mutex;
    std::condition_variable wake;
    bool stopping = false;

    const base::Clock* clock = nullptr;
    std::chrono::steady_clock::time_point nextHourly{}; // the first loop runs the hourly chores at once

    // The /metrics size gauges: five COUNT(*) every 30 s at most, not per scrape.
    std::mutex countsMutex;
    std::optional<StorageCounts> counts;
    std::chrono::steady_clock::time_point nextCount{};
    void refreshCounts()
    {
        const auto now = std::chrono::steady_clock::now();
        if (now < nextCount) {
            return;
        }
        nextCount = now + std::chrono::seconds(30);
        auto fresh = storage->counts();
        std::lock_guard lock(countsMutex);
        counts = fresh ? std::optional<StorageCounts>(*fresh) : std::nullopt;
    }

    // Hourly: 申立書 data discarded once the claim is settled (seed 003, ClaimPurge), the audit
    // chain's head anchored (review M6), the OQS archive kept to its window (review L9).
    void runHourlyChores()
    {
        const auto now = std::chrono::steady_clock::now();
        if (now < nextHourly) {
            return;
        }
        nextHourly = now + std::chrono::hours(1);
        const auto at = clock->nowJst();
        auto purged = storage->purgeSettledClaims(at.plus(-config.claimPurgeAfter), "system", at);
        if (!purged) {
            log->error("claims.purge_failed", {{"reason", purged.error().message}});
        } else if (*purged > 0) {
            log->info("claims.purged", {{"records", *purged}});
        }
        anchorAudit();
        renewServerCertificateWhenDue(at);
        if (eligibility) {
            const auto days = eligibility->purgeArchive(config.oqsArchiveDays);
            if (!days.empty()) {
                (void)storage->recordAudit({"gateway", "oqs.archive_purged", "archive", {{"days", days}}}, at);
                log->info("oqs.archive_purged", {{"days", days.size()}});
            }
        }
    }

    // Issue 30: the server certificate renews itself in its last kServerRenewDays days while the
    // root key is on this host; with the root offline (security review M9) the gateway warns from
    // kServerWarnDays on, and `server-cert renew --root-key` + reload does it.
    void renewServerCertificateWhenDue(const base::Timestamp& at)
    {
        const auto daysLeft =
            std::chrono::duration_cast<std::chrono::hours>(pki->serverNotAfter().utc() - at.utc()).count() / 24;
        if (daysLeft > kServerWarnDays) {
            return;
        }
        if (daysLeft <= kServerRenewDays) {
            auto renewed = GatewayPki::renewServerCertificate(config.dataDir, config.serverNames, "", *random, at);
            if (renewed) {
                renewed = takeServerCertificate();
            }
            if (renewed) {
                (void)storage->recordAudit(
                    {"gateway", "pki.server_renewed", "server", {{"not_after", pki->serverNotAfter().toString()}}}, at);
                log->info("pki.server_renewed", {{"not_after", pki->serverNotAfter().toString()}});
                return;
            }
            log->warn("pki.server_cert_expiring", {{"days_left", daysLeft}, {"reason", renewed.error().message}});
            return;
        }
        log->warn("pki.server_cert_expiring", {{"days_left", daysLeft}});
    }

    // The server certificate in the data folder, for new connections from now on.
    Expected<void, Error> takeServerCertificate()
    {
        if (auto done = pki->useServerCertificate(config.dataDir); !done) {
            return done;
        }
        return server->replaceCredentials(pki->serverChainPem(), pki->serverKeyPem(), pki->clientCaPem());
    }

    // Security review M6: the chain's head, hourly, where a rewrite of the database cannot follow.
    std::int64_t anchoredSeq = 0;
    void anchorAudit()
    {
        auto anchor = currentAuditAnchor(*storage);
        if (!anchor || !*anchor || (*anchor)->seq <= anchoredSeq) {
            return;
        }
        if (auto done = appendAuditAnchor(config.dataDir + "/audit-anchors", **anchor); !done) {
            log->error("audit.anchor_failed", {{"reason", done.error().message}});
            return;
        }
        anchoredSeq = (*anchor)->seq;
        log->info("audit.anchor", {{"seq", (*anchor)->seq}, {"hash", (*anchor)->hash}});
    }

    // Security review L4: a replaced CRL file is read without a restart, and a list past (or near)
    // its nextUpdate is reported — past it every PIN-signed visit is refused.
    std::optional<std::filesystem::file_time_type> crlWritten;
    std::chrono::steady_clock::time_point nextCrlCheck{};
    std::chrono::steady_clock::time_point nextCrlReload{};
    void watchCrl()
    {
        if (config.jpkiCrlFile.empty()) {
            return;
        }
        std::error_code ec;
        const auto written = std::filesystem::last_write_time(config.jpkiCrlFile, ec);
        // Read again when the file changed, and hourly anyway (issue 30: a file replaced in place,
        // or on a network mount whose time does not move, is still picked up).
        const auto started = std::chrono::steady_clock::now();
        const bool hourly = crlWritten.has_value() && started >= nextCrlReload;
        if (!crlWritten) {
            nextCrlReload = started + std::chrono::hours(1);
        }
        if (!ec && crlWritten && (written != *crlWritten || hourly)) {
            nextCrlReload = started + std::chrono::hours(1);
            auto fresh = JpkiTrust::load(config.jpkiCaFiles, config.jpkiCrlFile);
            if (fresh) {
                jpki.replaceWith(*fresh);
                nextCrlCheck = {};
                log->info("jpki.crl_reloaded", {{"file", config.jpkiCrlFile}, {"changed", written != *crlWritten}});
            } else {
                log->error("jpki.crl_reload_failed",
                           {{"reason", fresh.error().message}, {"kept", "the list read before"}});
            }
        }
        if (!ec) {
            crlWritten = written;
        }
        const auto now = std::chrono::steady_clock::now();
        const auto next = jpki.crlNextUpdate();
        if (now < nextCrlCheck || !next) {
            return;
        }
        nextCrlCheck = now + std::chrono::hours(1);
        const auto at = clock->nowJst();
        if (next->utc() <= at.utc()) {
            log->error("jpki.crl_expired",
                       {{"next_update", next->toString()},
                        {"effect", "every PIN-signed visit is refused until a fresh list is in place"}});
        } else if (next->utc() <= at.plus(std::chrono::hours(72)).utc()) {
            log->warn("jpki.crl_due", {{"next_update", next->toString()}});
        }
        // A list older than two days is stale whatever its nextUpdate says [I: J-LIS's issuing
        // schedule is not public; revocations happen daily].
        if (const auto issued = jpki.crlLastUpdate(); issued && issued->plus(std::chrono::hours(48)).utc() < at.utc()) {
            log->warn("jpki.crl_stale", {{"this_update", issued->toString()}});
        }
    }

    std::string highWaterPath() const { return config.dataDir + "/highwater"; }
    std::int64_t highWaterWritten = -1;
    // Written (with its fsync) only when records were added since the last write.
    void writeHighWater()
    {
        auto seq = storage->lastRecordSeq();
        // Issue 30: a database that went backwards while serving (a PostgreSQL failover that lost
        // the last commits, a restore under a running gateway) gets a new epoch at once, so the
        // tablets send again what they believe is stored — not only at the next start.
        if (seq && highWaterWritten >= 0 && *seq < highWaterWritten) {
            if (auto epoch = storage->rotateEpoch(*random, "database went backwards", clock->nowJst()); epoch) {
                log->warn("epoch.rotated", {{"reason", "database behind its high-water mark while serving"},
                                            {"records", *seq},
                                            {"high_water", highWaterWritten},
                                            {"epoch", *epoch}});
            }
        }
        if (seq && *seq != highWaterWritten &&
            base::writeFileAtomically(highWaterPath(), std::to_string(*seq) + "\n", 0600)) {
            highWaterWritten = *seq;
        }
    }
};

namespace
{

Expected<std::int64_t, Error> readHighWater(const std::string& path)
{
    if (!base::fileExists(path)) {
        return 0;
    }
    auto text = base::readSmallFile(path, 64);
    if (!text) {
        return Unexpected(fromBase(text.error()));
    }
    try {
        return std::stoll(*text);
    } catch (const std::exception&) {
        return 0;
    }
}

} // namespace

Expected<GatewayData, Error>
GatewayData::open(const GatewayConfig& config, base::RandomSource& random, const base::Clock& clock)
{
    auto pki = GatewayPki::load(config.dataDir);
    if (!pki) {
        return Unexpected(pki.error());
    }
    GatewayData data;
    data.pki = std::make_unique<GatewayPki>(std::move(*pki));
    auto storage = openGatewayStorage(config, data.pki->databaseKey(), random, clock.nowJst());
    if (!storage) {
        return Unexpected(storage.error());
    }
    data.storage = std::move(*storage);
    return data;
}

GatewayServer::GatewayServer(std::unique_ptr<Parts> parts)
    : m_parts(std::move(parts))
{}

GatewayServer::~GatewayServer()
{
    stop();
}

Expected<std::unique_ptr<GatewayServer>, Error> GatewayServer::start(const GatewayConfig& config,
                                                                     const base::Clock& clock,
                                                                     const base::MonotonicClock& monotonic,
                                                                     base::RandomSource& random,
                                                                     std::ostream& log)
{
    auto parts = std::make_unique<Parts>();
    parts->config = config;
    parts->clock = &clock;
    parts->random = std::make_unique<LockedRandom>(random);
    parts->log = std::make_unique<GatewayLog>(log, clock, config.logRequests);
    const auto now = clock.nowJst();
    auto pki = GatewayPki::loadOrCreate(config.dataDir, config.serverNames, *parts->random, now);
    if (!pki) {
        return Unexpected(pki.error());
    }
    parts->pki = std::make_unique<GatewayPki>(std::move(*pki));
    auto serving = ServeLock::acquire(config.dataDir);
    if (!serving) {
        return Unexpected(serving.error());
    }
    parts->serveLock.emplace(std::move(*serving));
    auto storage = openGatewayStorage(config, parts->pki->databaseKey(), *parts->random, now);
    if (!storage) {
        return Unexpected(storage.error());
    }
    parts->storage = std::move(*storage);
    // A database behind the high-water mark was restored from a backup: start a new epoch.
    auto highWater = readHighWater(parts->highWaterPath());
    auto lastSeq = parts->storage->lastRecordSeq();
    if (highWater && lastSeq && *lastSeq < *highWater) {
        auto epoch = parts->storage->rotateEpoch(*parts->random, "restored from backup", now);
        if (!epoch) {
            return Unexpected(epoch.error());
        }
        parts->log->warn("epoch.rotated", {{"reason", "database behind its high-water mark (restored from backup?)"},
                                           {"records", *lastSeq},
                                           {"high_water", *highWater},
                                           {"epoch", *epoch}});
    }
    if (!config.jpkiCaFiles.empty()) {
        auto jpki = JpkiTrust::load(config.jpkiCaFiles, config.jpkiCrlFile);
        if (!jpki) {
            return Unexpected(jpki.error());
        }
        parts->jpki = std::move(*jpki);
    } else {
        parts->log->warn("jpki.unconfigured", {{"effect", "PIN-signed visits will be rejected until jpki_ca is set"}});
    }
    if (parts->pki->rootSignsDevices()) {
        parts->log->warn("pki.root_online", {{"effect", "this data folder's root CA signs devices itself, so its key "
                                                        "must stay on the server; see OPERATIONS.md, CA"}});
    }
    parts->challenges = std::make_unique<ChallengeIssuer>(*parts->pki, config.challengeLifetime);
    IntakePolicy policy;
    policy.localChallengeWindow = config.localChallengeWindow;
    policy.uploadGrace = config.uploadGrace;
    policy.skewTolerance = config.skewTolerance;
    parts->validator = std::make_unique<RecordValidator>(*parts->challenges, parts->jpki, policy);
    parts->limiter = std::make_unique<RateLimiter>(monotonic, config.ratePerSecond, config.rateBurst);
    parts->enrollLimiter = std::make_unique<RateLimiter>(monotonic, config.enrollPerMinute / 60.0, config.enrollBurst);
    // Quotas as token buckets that refill over their window: a full hour's (day's) worth at once.
    parts->recordBytes = std::make_unique<RateLimiter>(monotonic, config.recordBytesPerDeviceHour / 3600.0,
                                                       config.recordBytesPerDeviceHour);
    parts->firstVisitQueries = std::make_unique<RateLimiter>(monotonic, config.firstVisitQueriesPerDeviceDay / 86400.0,
                                                             config.firstVisitQueriesPerDeviceDay);
    Parts* raw = parts.get();
    ServiceDeps deps{
        *raw->storage,
        *raw->pki,
        *raw->challenges,
        *raw->validator,
        raw->metrics,
        *raw->limiter,
        *raw->enrollLimiter,
        *raw->recordBytes,
        *raw->firstVisitQueries,
        clock,
        *raw->random,
        *raw->log,
        [raw]() {
            const auto server = [&](auto read) { return raw->server ? static_cast<double>(read(*raw->server)) : 0.0; };
            std::vector<MetricSample> s{
                {"zaitaku_gateway_open_connections", "Open TLS connections.", false,
                 server([](auto& h) { return h.connections(); })},
                {"zaitaku_gateway_connections_refused_total", "Connections closed on accept: every slot was taken.",
                 true, server([](auto& h) { return h.refusedConnections(); })},
                {"zaitaku_gateway_connections_evicted_total",
                 "Unauthenticated connections closed to make room for a newcomer.", true,
                 server([](auto& h) { return h.evictedConnections(); })},
                {"zaitaku_gateway_tls_handshakes_failed_total", "TLS handshakes that failed (scanners, wrong CA).",
                 true, server([](auto& h) { return h.failedHandshakes(); })},
            };
            for (const auto& [name, at] : raw->pki->expiries()) {
                s.push_back({"zaitaku_gateway_" + name + "_certificate_expiry_timestamp_seconds",
                             "When the gateway's " + name + " certificate expires (Unix time).", false,
                             static_cast<double>(at.utc().time_since_epoch().count())});
            }
            if (const auto issued = raw->jpki.crlLastUpdate()) {
                s.push_back({"zaitaku_gateway_jpki_crl_age_seconds",
                             "Seconds since the JPKI CRL in use was issued (its thisUpdate).", false,
                             static_cast<double>((raw->clock->nowJst().utc() - issued->utc()).count())});
            }
            if (const auto next = raw->jpki.crlNextUpdate()) {
                s.push_back({"zaitaku_gateway_jpki_crl_seconds_left",
                             "Seconds until the JPKI CRL's nextUpdate (negative: PIN visits are refused).", false,
                             static_cast<double>((next->utc() - raw->clock->nowJst().utc()).count())});
            }
            // Counted by the background thread, never per scrape (security review M1).
            std::lock_guard lock(raw->countsMutex);
            if (raw->counts) {
                s.push_back(
                    {"zaitaku_gateway_devices", "Enrolled tablets.", false, static_cast<double>(raw->counts->devices)});
                s.push_back({"zaitaku_gateway_devices_revoked", "Revoked tablets.", false,
                             static_cast<double>(raw->counts->revokedDevices)});
                s.push_back(
                    {"zaitaku_gateway_records", "Records stored.", false, static_cast<double>(raw->counts->records)});
                s.push_back({"zaitaku_gateway_feed_items", "Feed items published.", false,
                             static_cast<double>(raw->counts->feedItems)});
            }
            return s;
        }};
    if (!config.oqsRequestDir.empty() || !config.oqsResultDir.empty()) {
        oqs::BridgeConfig bridge;
        bridge.requestDir = config.oqsRequestDir;
        bridge.resultDir = config.oqsResultDir;
        bridge.stateDir = config.oqsStateDir.empty() ? config.dataDir + "/oqs" : config.oqsStateDir;
        bridge.medicalInstitutionCode = config.medicalInstitutionCode;
        bridge.encoding = config.oqsShiftJis ? oqs::TextEncoding::ShiftJis : oqs::TextEncoding::Utf8;
        bridge.singleTimeout = config.oqsSingleTimeout;
        bridge.bulkTimeout = config.oqsBulkTimeout;
        bridge.pollFirst = config.oqsPollFirst;
        auto opened = oqs::OqsBridge::open(bridge, *raw->random, clock);
        if (!opened) {
            return Unexpected(opened.error());
        }
        parts->eligibility = std::make_unique<EligibilityService>(*raw->storage, std::move(*opened), raw->jpki, clock,
                                                                  monotonic, *raw->random, *raw->log);
        parts->medicalInfo =
            std::make_unique<MedicalInfoService>(*raw->storage, *parts->eligibility, clock, *raw->random, *raw->log);
        parts->eligibility->onConfirmed(
            [medical = parts->medicalInfo.get()](const std::string& patientId, const std::string& serviceKind) {
                medical->afterConfirmation(patientId, serviceKind);
            });
        parts->eligibility->start();
        deps.eligibility = parts->eligibility.get();
        deps.medicalInfo = parts->medicalInfo.get();
        parts->log->info("oqs.bridge", {{"req", config.oqsRequestDir}, {"res", config.oqsResultDir}});
    }
    deps.metricsNeedCertificate = config.metricsNeedCertificate;
    parts->service = std::make_unique<GatewayService>(std::move(deps));
    transport::ServerOptions options;
    options.host = config.host;
    options.port = config.port;
    options.threads = config.threads;
    options.certificateChainPem = parts->pki->serverChainPem();
    options.privateKeyPem = parts->pki->serverKeyPem();
    options.clientCaPem = parts->pki->clientCaPem();
    options.maxConnections = config.maxConnections;
    options.maxUnauthenticatedConnections = std::min(config.maxUnauthenticatedConnections, config.maxConnections);
    options.maxUnauthenticatedPerPrefix = config.maxUnauthenticatedPerPrefix;
    options.maxBodyBytes = deps.maxBodyBytes;
    options.maxUnauthenticatedBodyBytes = deps.maxUnauthenticatedBodyBytes;
    auto server = transport::HttpsServer::start(
        options, [raw](const auto& request, const auto& context) { return raw->service->handle(request, context); },
        [raw](const auto& head, const auto& context) { return raw->service->admit(head, context); });
    if (!server) {
        return Unexpected(server.error());
    }
    parts->server = std::move(*server);
    parts->refreshCounts();
    parts->watchCrl();
    parts->highWaterWriter = std::thread([raw] {
        std::unique_lock lock(raw->mutex);
        while (!raw->stopping) {
            raw->wake.wait_for(lock, std::chrono::seconds(2));
            raw->writeHighWater();
            raw->runHourlyChores();
            raw->refreshCounts();
            raw->watchCrl();
        }
    });
    parts->log->info("listening", {{"host", config.host},
                                   {"port", parts->server->port()},
                                   {"backend", parts->storage->backend()},
                                   {"ca_fingerprint", parts->pki->caFingerprint()},
                                   {"jpki_crl", !config.jpkiCrlFile.empty()}});
    return std::unique_ptr<GatewayServer>(new GatewayServer(std::move(parts)));
}

Expected<std::vector<std::string>, Error> GatewayServer::reload(const GatewayConfig& fresh)
{
    std::lock_guard lock(m_parts->mutex); // the background thread's: it reads the CRL settings
    auto& current = m_parts->config;
    auto jpki = JpkiTrust::load(fresh.jpkiCaFiles, fresh.jpkiCrlFile);
    if (!jpki) {
        m_parts->log->error("config.reload_failed", {{"reason", jpki.error().message}, {"kept", "the lists in use"}});
        return Unexpected(jpki.error());
    }
    m_parts->jpki.replaceWith(*jpki);
    current.jpkiCaFiles = fresh.jpkiCaFiles;
    current.jpkiCrlFile = fresh.jpkiCrlFile;
    m_parts->crlWritten.reset();
    m_parts->nextCrlCheck = {};
    // A server certificate renewed by the operator (`server-cert renew`) is taken now.
    if (auto taken = m_parts->takeServerCertificate(); !taken) {
        m_parts->log->error("pki.server_reload_failed", {{"reason", taken.error().message}});
    } else {
        m_parts->log->info("pki.server_certificate", {{"not_after", m_parts->pki->serverNotAfter().toString()}});
    }
    const std::vector<std::pair<const char*, bool>> restartOnly{
        {"listen", fresh.host != current.host || fresh.port != current.port},
        {"threads", fresh.threads != current.threads},
        {"server_names", fresh.serverNames != current.serverNames},
        {"postgres_conninfo", fresh.postgresConninfo != current.postgresConninfo},
        {"oqs_req_dir", fresh.oqsRequestDir != current.oqsRequestDir},
        {"oqs_res_dir", fresh.oqsResultDir != current.oqsResultDir},
        {"medical_institution_code", fresh.medicalInstitutionCode != current.medicalInstitutionCode},
        {"rate_per_second", fresh.ratePerSecond != current.ratePerSecond || fresh.rateBurst != current.rateBurst},
        {"max_connections", fresh.maxConnections != current.maxConnections},
    };
    std::vector<std::string> restart;
    for (const auto& [key, changed] : restartOnly) {
        if (changed) {
            restart.emplace_back(key);
        }
    }
    m_parts->log->info("config.reloaded", {{"jpki_ca_files", fresh.jpkiCaFiles.size()},
                                           {"jpki_crl", !fresh.jpkiCrlFile.empty()},
                                           {"restart_needed", restart}});
    return restart;
}

Expected<protocol::RecordsResponse, Error>
GatewayServer::importRecords(const std::string& signerPublicKeyHex,
                             const std::vector<protocol::RecordEnvelope>& records,
                             const base::Timestamp& sealedAt,
                             std::chrono::milliseconds oqsWait)
{
    auto devices = m_parts->storage->devices();
    if (!devices) {
        return Unexpected(devices.error());
    }
    // Hex either case: the archive writes it as the tablet's key prints, enrollment stored it lower.
    std::string key = signerPublicKeyHex;
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    std::optional<DeviceRecord> signer;
    for (const auto& device : *devices) { // enrollment order: the latest one with the key wins
        if (device.signingKeyHex == key) {
            signer = device;
        }
    }
    if (!signer) {
        return Unexpected(Error{Errc::Unauthorized,
                                "no tablet enrolled at this gateway holds the key that signed the archive", "archive"});
    }
    auto response = m_parts->service->importRecords(records, *signer, sealedAt);
    if (response && m_parts->eligibility) {
        (void)m_parts->eligibility->idle(oqsWait);
    }
    return response;
}

std::uint16_t GatewayServer::port() const
{
    return m_parts->server->port();
}

std::string GatewayServer::caPem() const
{
    return m_parts->pki->caPem();
}

std::string GatewayServer::caFingerprint() const
{
    return m_parts->pki->caFingerprint();
}

GatewayStorage& GatewayServer::storage()
{
    return *m_parts->storage;
}

EligibilityService* GatewayServer::eligibility()
{
    return m_parts->eligibility.get();
}

void GatewayServer::stop()
{
    if (!m_parts || !m_parts->server) {
        return;
    }
    m_parts->server->stop();
    {
        std::lock_guard lock(m_parts->mutex);
        m_parts->stopping = true;
    }
    m_parts->wake.notify_all();
    if (m_parts->highWaterWriter.joinable()) {
        m_parts->highWaterWriter.join();
    }
    m_parts->writeHighWater();
    if (m_parts->eligibility) {
        m_parts->eligibility->stop(); // what is in flight stays journalled in the bridge
    }
    m_parts->log->info("stopped");
    m_parts->server.reset();
}

} // namespace zaitaku::sync::gateway
