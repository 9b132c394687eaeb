#include "ui/session/VisitRuntime.h"

#include "sync/client/GatewayLink.h"
#include "verify/consent/ConsentCatalog.h"

namespace zaitaku::session
{

VisitRuntime::VisitRuntime(const VisitInputs& inputs,
                           const base::Clock& clock,
                           const base::MonotonicClock& monotonic,
                           base::RandomSource& random,
                           sync::store::StoreVisitPort& port)
    : m_face(FaceSetup::open(inputs.cameraSpec, inputs.faceModelDir, monotonic, inputs.faceObserver))
    , m_requery(inputs.gatewayStore ? std::make_unique<sync::client::GatewayRequery>(*inputs.gatewayStore, random)
                                    : nullptr)
    , m_services{inputs.reader,
                 inputs.readerSelector,
                 clock,
                 monotonic,
                 random,
                 port,
                 port,
                 port,
                 m_face->verifier(),
                 consent::ConsentCatalog::builtin(),
                 m_requery.get()}
{}

visit::VisitEngine VisitRuntime::engine(visit::VisitSettings settings) const
{
    return visit::VisitEngine(m_services, std::move(settings));
}

std::string deviceIdOf(sync::store::Store& store)
{
    auto link = sync::client::GatewayLink::load(store.db());
    if (link && *link) {
        return (*link)->deviceId;
    }
    return "tablet-" + store.storeId().substr(0, 8);
}

} // namespace zaitaku::session
