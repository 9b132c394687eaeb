#pragma once

// The visit engine's re-query at the door (F2 with signal, seed 004 再照会) through this tablet's
// gateway link: POST /v1/requery, the OQS job awaited within a short budget so the nurse is not
// kept waiting, the answer added to the cache. Not enrolled, no signal, or too slow: an error,
// and the engine records the revisit as pending (the gateway re-queries when it arrives).

#include "base/Random.h"
#include "sync/client/SyncEngine.h"
#include "sync/store/Store.h"
#include "verify/visit/VisitPorts.h"

namespace zaitaku::sync::client
{

class GatewayRequery : public visit::RequeryPort
{
public:
    GatewayRequery(store::Store& store, base::RandomSource& random, SyncOptions options = doorOptions());

    Expected<visit::RequeryAnswer, visit::Error>
    requery(const std::string& patientId, model::ServiceKind kind, const base::Date& date) override;

    // At the door: a few seconds to connect, half a minute for OQS (it usually answers in seconds).
    static SyncOptions doorOptions();

private:
    store::Store& m_store;
    base::RandomSource& m_random;
    SyncOptions m_options;
};

} // namespace zaitaku::sync::client
