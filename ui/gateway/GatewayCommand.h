#pragma once

// zaitaku-gateway's command line (docs/OPERATIONS.md, "The gateway"):
//   serve --data-dir DIR [--listen HOST:PORT] [--config FILE] [--jpki-ca FILE] [--jpki-crl FILE]
//         [--threads N] [--log-requests]
//   enroll-code --data-dir DIR [--ttl-hours H] [--json]
//   devices list --data-dir DIR [--json] | devices revoke DEVICE_ID --data-dir DIR [--json]
//   export --data-dir DIR [--after SEQ]                (JSON lines of accepted records)
//   snapshots import FILE --data-dir DIR [--json]      (results, until the OQS bridge supplies them)
//   epoch rotate --data-dir DIR [--reason TEXT]        (after restoring a backup by hand)
//   status --data-dir DIR [--json]

#include "ui/cli/CliContext.h"

#include <atomic>

namespace zaitaku::cli
{

struct GatewayRuntime
{
    const base::MonotonicClock& monotonic;
    // serve returns when this becomes true (main sets it from SIGINT/SIGTERM).
    const std::atomic<bool>& stopRequested;
    // serve re-reads its configuration and the JPKI CRL when this becomes true (SIGHUP) and clears it.
    std::atomic<bool>* reloadRequested = nullptr;
};

int runGatewayCli(const Args& args, CliContext& ctx, const GatewayRuntime& runtime);

} // namespace zaitaku::cli
