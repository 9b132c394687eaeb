#pragma once

// The visit engine's services for one visit, built the same way by the app, `zaitaku-cli visit`
// and the demo: the card reader, the clocks and randomness, the store's visit port (repository,
// journal and pooled challenges), the consent texts, and the face path opened for this visit
// (without a camera the engine offers PIN or visual). Also the device id the tablet's evidence
// carries.

#include "sync/client/GatewayRequery.h"
#include "sync/store/Store.h"
#include "sync/store/StoreVisitPort.h"
#include "ui/session/FaceSetup.h"
#include "verify/visit/VisitEngine.h"

#include <memory>
#include <string>

namespace zaitaku::session
{

struct VisitInputs
{
    device::CardReader* reader = nullptr; // none: F2 and F6 still work; F1 asks for a reader
    std::string readerSelector;           // name or index; empty: the first reader with a card
    std::string cameraSpec;               // "camera:N" or a file; empty: no face path
    std::string faceModelDir;             // empty: the installed models
    identity::face::FaceProgressObserver faceObserver;
    // The enrolled store a revisit re-queries through (seed 004 再照会 at the door); none: every
    // revisit is recorded as pending and the gateway re-queries when it arrives.
    sync::store::Store* gatewayStore = nullptr;
};

class VisitRuntime
{
public:
    VisitRuntime(const VisitInputs& inputs,
                 const base::Clock& clock,
                 const base::MonotonicClock& monotonic,
                 base::RandomSource& random,
                 sync::store::StoreVisitPort& port);
    VisitRuntime(const VisitRuntime&) = delete;
    VisitRuntime& operator=(const VisitRuntime&) = delete;

    visit::VisitEngine engine(visit::VisitSettings settings) const;

private:
    std::unique_ptr<FaceSetup> m_face;                       // before m_services: they refer to its verifier
    std::unique_ptr<sync::client::GatewayRequery> m_requery; // likewise
    visit::VisitServices m_services;
};

// The id the gateway gave this tablet at enrolment, so its evidence names the device the gateway
// knows; before enrolment one derived from the store ("tablet-" + the store id's first 8).
std::string deviceIdOf(sync::store::Store& store);

} // namespace zaitaku::session
