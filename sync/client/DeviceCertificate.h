#pragma once

// The tablet's certificates over the years (issue 30): its device certificate renewed over mTLS
// in the last third of its life (same device id, roster and evidence key), and a new gateway root
// pinned only when the gateway's announcement carries a cross certificate signed by a root the
// tablet already pins (the root key is offline: a thief of the serving host cannot add a root).

#include "base/Expected.h"
#include "base/Timestamp.h"
#include "sync/SyncError.h"
#include "sync/client/GatewayConnection.h"
#include "sync/protocol/Messages.h"
#include "sync/store/Store.h"

#include <optional>
#include <string>

namespace zaitaku::sync::client
{

// When the certificate expires and whether it is due for renewal at `now` (less than a third of
// its lifetime left); nullopt when it cannot be read.
struct CertificateLife
{
    base::Timestamp notAfter = base::Timestamp::fromUtc({});
    bool renewalDue = false;
};
std::optional<CertificateLife> certificateLife(const std::string& certificatePem, const base::Timestamp& now);

// POST /v1/renew for a new P-256 key; the certificate and key replace the link's in one
// transaction with an audit row. Returns the new certificate's expiry.
Expected<base::Timestamp, Error> renewDeviceCertificate(store::Store& store, GatewayConnection& gateway);

// The pinned bundle with the announced root added (unchanged when it is pinned already);
// SignatureInvalid when the announcement does not verify under a pinned root.
Expected<std::string, Error> pinAnnouncedRoot(const std::string& pinnedPem,
                                              const protocol::TrustAnchorAnnouncement& announcement);

} // namespace zaitaku::sync::client
