#pragma once

// What the gateway trusts to have issued a card's user-authentication certificate: the configured
// JPKI CA certificate(s) (the vcard's test CA in tests and the demo), and the CA's revocation list
// when one is configured (checked, signature and all, by OpenSSL's verifier).

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace zaitaku::sync::gateway
{

class JpkiTrust
{
public:
    // PEM (or DER) files; `crlFile` empty: no revocation list.
    static Expected<JpkiTrust, Error> load(const std::vector<std::string>& caFiles, const std::string& crlFile);
    static Expected<JpkiTrust, Error> fromPem(const std::string& caPem, const std::string& crlPem);

    bool configured() const { return state() != nullptr; }
    bool hasRevocationList() const;
    // The earliest nextUpdate of the revocation lists (none without one): past it, OpenSSL refuses
    // every card as "CRL has expired" until a fresh list is loaded (security review L4).
    std::optional<base::Timestamp> crlNextUpdate() const;
    // When the newest list in use was issued (its thisUpdate): its age is a metric (issue 30).
    std::optional<base::Timestamp> crlLastUpdate() const;
    // The certificate chains to a configured CA, was valid at `at`, and is not revoked.
    // SignatureInvalid with the reason otherwise.
    Expected<void, Error> check(const std::string& certificateDer, const base::Timestamp& at) const;
    // Takes `other`'s CAs and lists, for every copy of this trust (the validator's included), while
    // checks run: a replaced CRL file is read without a restart.
    void replaceWith(const JpkiTrust& other);

    struct State;

private:
    struct Shared
    {
        mutable std::mutex mutex;
        std::shared_ptr<const State> state;
    };
    std::shared_ptr<const State> state() const;
    std::shared_ptr<Shared> m_shared = std::make_shared<Shared>();
};

} // namespace zaitaku::sync::gateway
