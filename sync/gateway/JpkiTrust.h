#pragma once

// What the gateway trusts to have issued a card's user-authentication certificate: the configured
// JPKI CA certificate(s) (the vcard's test CA in tests and the demo), and the CA's revocation list
// when one is configured (checked, signature and all, by OpenSSL's verifier).

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"

#include <memory>
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

    bool configured() const { return m_state != nullptr; }
    bool hasRevocationList() const;
    // The certificate chains to a configured CA, was valid at `at`, and is not revoked.
    // SignatureInvalid with the reason otherwise.
    Expected<void, Error> check(const std::string& certificateDer, const base::Timestamp& at) const;

    struct State;

private:
    std::shared_ptr<const State> m_state;
};

} // namespace zaitaku::sync::gateway
