#pragma once

// A running gateway: keys (GatewayPki), storage, validator, service and the HTTPS server, wired
// from a GatewayConfig. Also detects a database restored from backup: the record high-water mark
// is kept in <data-dir>/highwater, and a database behind it gets a new epoch at start, so tablets
// push again what they had acknowledged (docs/design/STORAGE-SYNC-STYLE.md §2.5 item 6).

#include "base/Clock.h"
#include "base/Random.h"
#include "sync/gateway/GatewayConfig.h"
#include "sync/gateway/GatewayPki.h"
#include "sync/gateway/GatewayStorage.h"
#include "sync/protocol/Messages.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <ostream>

namespace zaitaku::sync::gateway
{

// A RandomSource safe to share between server threads.
class LockedRandom final : public base::RandomSource
{
public:
    explicit LockedRandom(base::RandomSource& inner)
        : m_inner(inner)
    {}
    void fill(std::span<std::uint8_t> out) override;

private:
    base::RandomSource& m_inner;
    std::mutex m_mutex;
};

class GatewayServer
{
public:
    static Expected<std::unique_ptr<GatewayServer>, Error> start(const GatewayConfig& config,
                                                                 const base::Clock& clock,
                                                                 const base::MonotonicClock& monotonic,
                                                                 base::RandomSource& random,
                                                                 std::ostream& log);
    ~GatewayServer();

    std::uint16_t port() const;
    std::string caPem() const;
    std::string caFingerprint() const;
    GatewayStorage& storage();
    // Null unless an OQS bridge is configured.
    class EligibilityService* eligibility();
    // Graceful: stop accepting, finish requests in flight, write the high-water mark.
    void stop();
    // SIGHUP / systemd's ExecReload (issue 30): the JPKI CA and CRL files of `fresh` are read at
    // once and replace the lists in use (an error keeps the old ones); the settings only a restart
    // applies are returned (and logged) by their configuration key when they changed.
    Expected<std::vector<std::string>, Error> reload(const GatewayConfig& fresh);
    // Issue 30: a lost or revoked tablet's unsent records from its store export, brought in by an
    // operator: the device is the latest enrollment with the archive's signing key (revoked ones
    // too); each record is verified as the tablet had sent it at `sealedAt`; OQS follow-ups are
    // journalled (waited for up to `oqsWait`, the rest resumes at the next start).
    Expected<protocol::RecordsResponse, Error> importRecords(const std::string& signerPublicKeyHex,
                                                             const std::vector<protocol::RecordEnvelope>& records,
                                                             const base::Timestamp& sealedAt,
                                                             std::chrono::milliseconds oqsWait);

    struct Parts;

private:
    explicit GatewayServer(std::unique_ptr<Parts> parts);
    std::unique_ptr<Parts> m_parts;
};

// Opens the data folder's keys and storage without serving (the CLI's other commands).
struct GatewayData
{
    std::unique_ptr<GatewayPki> pki;
    std::unique_ptr<GatewayStorage> storage;
    // The backend `config` names (its data folder holds the keys).
    static Expected<GatewayData, Error>
    open(const GatewayConfig& config, base::RandomSource& random, const base::Clock& clock);
};

} // namespace zaitaku::sync::gateway
