#pragma once

// The gateway's request handler under attack (issue 34): `GatewayService::handle`, request →
// response, as an enrolled tablet's TLS session presents them (the transport is not in the
// loop: no socket, one process). Route, method and query come from the first bytes; a records
// batch carries a genuine visit edited by the rest (VisitEdits), other routes the raw bytes.
// Used by libFuzzer (scripts/fuzz.sh gateway_handle) and the corpus-driven GoogleTest.

#include <cstddef>
#include <cstdint>

namespace zaitaku::fuzz
{

struct HandleOutcome
{
    int status = 0;
    bool stored = false; // a visit record the gateway stored
};

// Aborts when an invariant breaks: a 5xx other than 503 (the store busy), a /v1 answer that is
// not JSON, a stored record whose visit names another tablet.
HandleOutcome runGatewayHandle(const std::uint8_t* data, std::size_t size);

// After a run: the audit chain still verifies (the corpus test checks it once at the end).
bool gatewayAuditVerifies();

} // namespace zaitaku::fuzz
