#pragma once

// The gateway's own keys, created in its data folder on first run (files 0600):
//   ca.key.pem / ca.cert.pem          the facility root CA (P-256) the tablets pin; it signs the
//                                     server certificate and the issuing CA, nothing else, so its
//                                     key can go offline after the first start (security review M9)
//   issuing.key.pem / issuing.cert.pem  the CA that signs device certificates; its extended key
//                                     usage is clientAuth only, so a thief of the serving host's
//                                     files cannot mint a server certificate the tablets accept
//   issuing.previous.cert.pem         issuing CAs rolled over, trusted until their devices are gone
//   ca.next.cert.pem / ca.next.cross.pem  a root announced to the tablets (`ca roll-root`), self-
//                                     signed and cross-certified by the current root, until
//                                     `ca switch-root` makes it the root; the old root then moves
//                                     to ca.previous.cert.pem (trusted for the devices under it)
//   server.key.pem / server.cert.pem  the TLS server certificate (localhost, 127.0.0.1, names given)
//   secrets.key                       the challenge HMAC secret, the challenge-token Ed25519 seed
//                                     and the database key (hex, one per line)
// The root's fingerprint is what enrollment codes carry (protocol/EnrollmentCode.h).

#include "base/Expected.h"
#include "base/Random.h"
#include "base/SecureBytes.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zaitaku::sync::gateway
{

struct IssuedDeviceCertificate
{
    std::string certificatePem;
    std::string serialHex;
    base::Timestamp notAfter = base::Timestamp::fromUtc({});
};

// A root announced to the tablets before it replaces the current one (issue 30, CA rollover).
struct NextRoot
{
    std::string rootPem;  // self-signed
    std::string crossPem; // the same subject and key, certified by the current root
    std::string fingerprint;
};

// When the server certificate is renewed: in its last kServerRenewDays days (the hourly chore),
// and the gateway warns from kServerWarnDays on when it cannot (the root key is offline).
inline constexpr int kServerRenewDays = 30;
inline constexpr int kServerWarnDays = 60;

class GatewayPki
{
public:
    // Loads the folder's keys, creating what is missing. `serverNames`: extra DNS names or IPs.
    static Expected<GatewayPki, Error> loadOrCreate(const std::string& dataDir,
                                                    const std::vector<std::string>& serverNames,
                                                    base::RandomSource& random,
                                                    const base::Timestamp& now);
    // Loads without creating (the CLI's enroll-code on an existing folder).
    static Expected<GatewayPki, Error> load(const std::string& dataDir);
    // Replaces the issuing CA with a new one signed by the root key in `rootKeyFile` (kept
    // offline); the old issuing certificate stays trusted for the devices it signed.
    static Expected<void, Error> rollIssuingCa(const std::string& dataDir,
                                               const std::string& rootKeyFile,
                                               base::RandomSource& random,
                                               const base::Timestamp& now);

    // A new server key and certificate (the same names plus `serverNames`) signed by the root:
    // its key from `rootKeyFile`, or from the folder when it is still there (empty). The files
    // are replaced; a running gateway takes them with useServerCertificate.
    static Expected<void, Error> renewServerCertificate(const std::string& dataDir,
                                                        const std::vector<std::string>& serverNames,
                                                        const std::string& rootKeyFile,
                                                        base::RandomSource& random,
                                                        const base::Timestamp& now);
    // Announces a new root: its key is written to `newRootKeyOut` (0600, refused if it exists: it
    // goes offline like the current one), the certificates to ca.next.*. The current root's key
    // (`rootKeyFile`) signs the cross certificate.
    static Expected<NextRoot, Error> announceNextRoot(const std::string& dataDir,
                                                      const std::string& rootKeyFile,
                                                      const std::string& newRootKeyOut,
                                                      base::RandomSource& random,
                                                      const base::Timestamp& now);
    // The announced root becomes the root: a new issuing CA and server certificate under it (its
    // key from `newRootKeyFile`), the old root and issuing CA kept for the devices they signed.
    static Expected<void, Error> switchRoot(const std::string& dataDir,
                                            const std::string& newRootKeyFile,
                                            const std::vector<std::string>& serverNames,
                                            base::RandomSource& random,
                                            const base::Timestamp& now);
    // The announced root, if any (the feed item carries it).
    static Expected<std::optional<NextRoot>, Error> nextRoot(const std::string& dataDir);

    const std::string& caPem() const { return m_caPem; }
    const std::string& caDer() const { return m_caDer; }
    std::string caFingerprint() const;
    std::string serverChainPem() const;
    // What a device certificate may chain to: the roots (current and previous), the issuing CA and
    // those rolled over.
    std::string clientCaPem() const { return m_caPem + m_previousRootPem + m_issuingPem + m_previousIssuingPem; }
    // A data folder from before the two tiers: the root signs devices and must stay online.
    bool rootSignsDevices() const { return m_issuingPem.empty(); }
    // When each of the gateway's own certificates expires (issue 30: metrics and `status`):
    // "root", "issuing" (absent in a folder from before the two tiers) and "server".
    std::vector<std::pair<std::string, base::Timestamp>> expiries() const;
    std::string serverKeyPem() const;
    // The server certificate's expiry; replaces it in a running gateway (read back from the folder).
    base::Timestamp serverNotAfter() const;
    Expected<void, Error> useServerCertificate(const std::string& dataDir);

    // Signs a device CSR (P-256, signature checked) for `deviceId` (CN), clientAuth only.
    // `validDays`: 825 for tablets; monitoring certificates (`monitor-cert`) are short-lived.
    Expected<IssuedDeviceCertificate, Error> issueDeviceCertificate(const std::string& csrPem,
                                                                    const std::string& deviceId,
                                                                    const base::Timestamp& now,
                                                                    base::RandomSource& random,
                                                                    int validDays = 825) const;

    // HMAC-SHA256 under the challenge secret (stateless challenges, ChallengeIssuer).
    std::vector<std::uint8_t> challengeMac(std::string_view message) const;
    // Ed25519 over `message` with the challenge-token key; the public key as hex.
    std::vector<std::uint8_t> signToken(std::string_view message) const;
    std::string tokenPublicKeyHex() const;
    const base::SecureBytes& databaseKey() const { return m_databaseKey; }

private:
    GatewayPki() = default;
    static Expected<GatewayPki, Error> loadFrom(const std::string& dataDir,
                                                const std::vector<std::string>& serverNames,
                                                base::RandomSource* random,
                                                const base::Timestamp& now);
    std::string m_caPem;
    std::string m_caDer;
    std::string m_issuingPem;
    std::string m_issuingKeyPem; // the root's key in a folder from before the two tiers
    std::string m_previousIssuingPem;
    std::string m_previousRootPem;
    std::string m_crossPem; // the root certified by the one before it (after `ca switch-root`)
    // Replaced while serving (useServerCertificate): read under the lock.
    std::shared_ptr<std::mutex> m_serverMutex = std::make_shared<std::mutex>();
    std::string m_serverCertPem;
    std::string m_serverKeyPem;
    base::SecureBytes m_challengeSecret{32};
    base::SecureBytes m_tokenSeed{32};
    base::SecureBytes m_databaseKey{32};
};

} // namespace zaitaku::sync::gateway
